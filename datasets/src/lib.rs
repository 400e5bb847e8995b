//! # datasets
//!
//! Data this project ships (written for Spectra, not copied from elsewhere)
//! and seeded generators of realistic synthetic data:
//!
//! - [`ntfa`]: the sample national table of frequency allocations (native
//!   format), a Kyrgyz-style table for 8.3 kHz–275 GHz with a category of use on
//!   every band and recorded conversions.
//! - [`stations`]: a seeded national register of stations and assignments
//!   (cellular, fixed links, broadcasting, PMR, government radio, radars).
//!
//! Every generator is seeded and deterministic: the same seed gives the same
//! bytes on every machine and thread count.

pub mod imei;
pub mod ntfa;
pub mod relief;
pub mod stations;
