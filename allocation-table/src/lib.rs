//! # allocation-table
//!
//! The national table of frequency allocations (NTFA) as Spectra keeps it:
//!
//! - [`model`]: bands as half-open integer-hertz intervals, allocations
//!   (RR Article 1 service, primary/secondary status, qualifiers, footnotes),
//!   band footnotes, the national category of use (government / civil /
//!   joint), sensitivity and metadata;
//! - [`service`]: the radio services of ITU RR Article 1 and the parser that
//!   keeps qualifiers apart; [`edition`]: the edition limits (8.3 kHz since
//!   WRC-12, 275 GHz, radio waves below 3000 GHz) and ITU band numbers;
//!   [`freq`]: exact frequency parsing and formatting;
//! - [`efis`]: import of the EarthFrequencies TSV layout; [`native`]: the
//!   project's own diffable text format; [`export`]: CSV, JSON and Parquet with
//!   provenance; [`load`]: either input by path;
//! - [`validate`]: one finding per problem; [`query`]: lookups; [`diff`]:
//!   band-aligned comparison of two tables;
//! - [`category`]: the categories of use and the law of conversions;
//!   [`convert`]: conversions (the legal act) with the decision [`journal`]
//!   and the table as of a date; [`workfile`]: a conversion of a table file
//!   under an advisory lock;
//! - [`publish`]: the one publication filter (audience open / internal);
//!   [`sink`]: the one writer of publications, by extension; [`leaks`]: the audit that no byte of an open
//!   output reveals what the filter withheld;
//! - [`chart`]: the spectrum chart as PNG and SVG; [`view`]: JSON views;
//!   [`request`]: one entry point and one report per `spectra table`
//!   command.
//!
//! Module arrows point one way: `category` ← `journal` ← `model` ←
//! (`convert`, `native`, `validate`, `query`, `diff`) ← `publish` ←
//! (`export`, `chart`) ← `sink` ← (`request`, `workfile`, `leaks`).
//!
//! ```
//! use allocation_table::model::{Allocation, Band, Metadata, Status, Table};
//! let mut band = Band::new(432_000_000, 438_000_000);
//! band.allocations.push(Allocation::new("Amateur", Status::Primary));
//! let table = Table::new(Metadata::default(), vec![band], Default::default());
//! let hit = table.band_at(allocation_table::freq::parse_freq_hz("435 MHz").unwrap()).unwrap();
//! assert_eq!(hit.allocations[0].service_text, "Amateur");
//! ```

pub mod category;
pub mod chart;
pub mod convert;
pub mod diff;
pub mod edition;
pub mod efis;
pub mod error;
pub mod export;
pub mod freq;
pub mod journal;
pub mod leaks;
pub mod load;
pub mod model;
pub mod native;
pub mod publish;
pub mod query;
pub mod request;
pub mod service;
pub mod sink;
pub mod validate;
pub mod view;
pub mod workfile;

pub use error::TableError;
pub use model::{Allocation, Band, Category, Metadata, Sensitivity, Status, Table};
pub use publish::{Audience, Publication};
