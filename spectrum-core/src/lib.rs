//! # spectrum-core
//!
//! The numerics of the Spectra engine: units and the [`units::Frequency`]
//! type, geodesy, terrain reading, path profiles, one module per propagation
//! recommendation (named after it: [`p525`], [`p452`], [`p1812`], [`itm`], …)
//! and the coverage engine.
//!
//! Every path model takes its terrain as plain data ([`profile::PathProfile`])
//! and returns a result struct; the coverage engine returns a grid. Nothing
//! here writes results: the GeoTIFF / PNG / Parquet writers and the study
//! orchestration live in `spectra-study`, the reference-data conformance
//! runners in `spectra-conformance`. Quantities carry their unit in their
//! name (`freq_hz`, `dist_km`, `height_m`, `loss_db`); frequencies cross crate
//! boundaries as exact hertz ([`units`] explains the convention).
//!
//! | module | what it holds |
//! |---|---|
//! | [`units`] | constants, dB conversions, [`units::Frequency`] |
//! | [`bounds`] | input bounds and size caps of studies and profiles |
//! | [`geodesy`] | WGS 84 geodesics (Karney) |
//! | [`terrain`] | SRTM `.hgt` and GeoTIFF DEM reading, tile sets |
//! | [`path`], [`profile`] | terrain profiles between two points |
//! | [`p525`], [`p526`], [`p528`], [`p452`], [`p1546`], [`p1812`], [`p676`], [`p835`], [`p2108`], [`p2109`] | ITU-R recommendations |
//! | [`itm`], [`ehata`], [`hata`] | NTIA ITM, Extended Hata, Okumura-Hata / COST-231 |
//! | [`normal`] | the inverse normal distribution (AS 241) |
//! | `walk` (crate-internal) | running maxima over profile points in interleaved lanes, shared by the path models |
//! | [`coverage`] | the coverage engine (grid, radials, models, antenna patterns) |

pub mod bounds;
pub mod coverage;
pub mod ehata;
pub mod geodesy;
pub mod hata;
pub mod itm;
pub mod normal;
pub mod p1546;
pub mod p1812;
pub mod p2108;
pub mod p2109;
pub mod p452;
pub mod p525;
pub mod p526;
pub mod p528;
pub mod p676;
pub mod p835;
pub mod path;
pub mod profile;
pub mod terrain;
pub mod units;
pub(crate) mod walk;
