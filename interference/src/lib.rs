//! # interference
//!
//! Interference and compatibility studies above the station register
//! (`stations`), the propagation models and the terrain (`spectrum-core`):
//!
//! - [`mask`]: transmitter emission masks and receiver selectivities as
//!   piecewise-linear dB masks, and the mask library (TOML);
//!   [`fdr`]: frequency-dependent rejection (ITU-R SM.337): on-tune and
//!   off-tune rejection by integrating in linear power;
//! - [`aggregate`]: aggregate interference at every victim receiver of a
//!   register (candidates from the R-tree within a cutoff and a frequency
//!   range, path loss from a [`pathloss::PathLossModel`], summed in mW),
//!   I/N, margins, worst contributors; [`pathloss`]: the loss of one path
//!   over the DEM or a smooth profile; [`tables`]: results as Arrow batches;
//! - [`montecarlo`]: SEAMCAT's Monte-Carlo compatibility method (scenario
//!   file, seeded events, dRSS / iRSS, the four criteria, probability of
//!   interference);
//! - [`study`]: a whole study in one TOML file, with the hashes of its inputs;
//! - [`cbrs`]: the WInnForum CBRS SAS reference calculations (neighbourhoods,
//!   protected channels, polygon gridding, mask losses, antenna gains);
//! - [`movelist`]: protection points and DPA-style move lists (WInnForum
//!   method: sort by median contribution, binary search, percentile aggregate).

pub mod aggregate;
pub mod cbrs;
pub mod error;
pub mod fdr;
pub mod mask;
pub mod montecarlo;
pub mod movelist;
pub mod pathloss;
pub mod study;
pub mod tables;

pub use error::InterferenceError;
