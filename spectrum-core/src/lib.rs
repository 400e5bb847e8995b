//! # spectrum-core
//!
//! Units, geodesy, terrain, and one module per propagation recommendation
//! (named after it: [`p525`], `p452`, `p1812`, `itm`, …), coverage,
//! interference and assignment for the Spectra engine.
//!
//! Every path model takes its terrain as plain data ([`profile::PathProfile`]);
//! no model reads files. Quantities carry their unit in their name
//! (`freq_hz`, `dist_km`, `height_m`, `loss_db`).

pub mod conformance;
pub mod coverage;
pub mod ehata;
pub mod geodesy;
pub mod hata;
pub mod itm;
pub mod normal;
pub mod p1812;
pub mod p2108;
pub mod p452;
pub mod p525;
pub mod p526;
pub mod path;
pub mod profile;
pub mod terrain;
pub mod units;
