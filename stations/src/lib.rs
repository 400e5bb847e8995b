//! # stations
//!
//! The national register of stations and assignments, above the national
//! table (`allocation-table`) and the units and geodesy of `spectrum-core`:
//!
//! - [`emission`]: emission designators of RR Appendix 1 (necessary
//!   bandwidth and class of emission), parsed and formatted;
//! - [`model`]: operators, sites, stations, assignments and the receivers'
//!   protection criterion; [`register`]: the register as a whole;
//! - [`read`]: import from CSV or Parquet with the documented schema (a bad
//!   row names its file, line and field; nothing partial is returned);
//!   [`rows`]: the text rows of CSV and Parquet inputs, converted in
//!   parallel chunks; [`write`]: export to CSV or Parquet through the one sink of `tabular`;
//! - [`compliance`]: every assignment against the national table (service
//!   allocated primary / secondary / not at all, band edges, category of use,
//!   edition limits, validity);
//! - [`impact`]: which assignments a conversion of spectrum touches and what
//!   changes for each;
//! - [`emergency`]: emergency orders (suspension or priority, bounded in time
//!   and territory), journalled, and the status of every assignment at a time;
//! - [`index`]: the R-tree of stations: within a radius or a polygon, in a
//!   frequency range.
//!
//! ```
//! use stations::emission::Emission;
//! let e = Emission::parse("16K0F3E").unwrap();
//! assert_eq!(e.bandwidth_hz(), 16_000.0);
//! ```

pub mod compliance;
pub mod emergency;
pub mod emission;
pub mod error;
pub mod impact;
pub mod index;
pub mod model;
pub mod read;
pub mod register;
pub mod rows;
pub mod write;

pub use emission::Emission;
pub use error::StationsError;
pub use model::{Assignment, Operator, Station};
pub use register::Register;
