//! # imei-registry
//!
//! The national IMEI registry of Spectra:
//!
//! - [`identity`]: IMEI / IMEISV parsing, classification and the Luhn check
//!   digit (3GPP TS 23.003); the registry key is the 14-digit body.
//! - [`tac`]: the TAC database (GSMA export, Osmocom CSV).
//! - [`store`]: the registry in one embedded DuckDB file — devices, reason
//!   catalogue, TAC table, hash-chained status [`history`], audit log — with
//!   atomic batch [`import`]s.
//! - [`pseudonym`]: keyed pseudonyms (HMAC-SHA256) of owners.
//! - [`index`]: the in-memory lookup index built when a registry is opened.
//! - [`check`] and [`bulk`]: per-row verdicts and the streaming, parallel bulk
//!   check of CSV/Parquet files.
//! - [`verdict`]: statuses, reason codes and the verdict rules.
//! - [`lists`]: white/grey/black list export for operators.
//! - [`contest`]: contesting an automated decision, and its outcome.
//!
//! ```
//! use imei_registry::identity::{classify, ImeiClass};
//! assert_eq!(classify("260531793113837").class, ImeiClass::Imei15);
//! ```

pub mod bulk;
pub mod check;
pub mod contest;
mod csvblock;
pub mod error;
mod fasthash;
pub mod history;
pub mod identity;
pub mod import;
pub mod index;
pub mod lists;
pub mod pseudonym;
pub mod reader;
pub mod store;
pub mod tac;
pub mod verdict;

pub use check::{CheckContext, CheckCounts, ImeiInfo, info};
pub use error::RegistryError;
pub use identity::{ImeiClass, Parsed, classify};
pub use index::RegistryIndex;
pub use store::Registry;
pub use tac::TacDb;
pub use verdict::{DeviceStatus, ReasonMask, Verdict};
