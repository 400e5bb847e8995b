//! # imei-core
//!
//! The pure IMEI logic of Spectra — no database, so a front end that only
//! needs [`classify`] (an EIR service, the Python package) compiles in
//! seconds. The DuckDB store that keeps the national registry is the crate
//! `imei-registry`, built on this one.
//!
//! - [`identity`]: IMEI / IMEISV parsing, classification and the Luhn check
//!   digit (3GPP TS 23.003); the registry key is the 14-digit body.
//! - [`tac`]: the TAC database (GSMA export, Osmocom CSV).
//! - [`verdict`]: statuses, reason codes and the verdict rules.
//! - [`index`]: the in-memory lookup index of registry statuses.
//! - [`pseudonym`]: keyed pseudonyms (HMAC-SHA256) of owners and the key
//!   format.
//! - [`classification`]: a classification run: every condition for every
//!   IMEI, the matching-share safety check, and the life of each match
//!   (first match, block date, continued, ended, kept when sticky).
//! - [`conditions`]: classification conditions (intersections of
//!   dimensions with grace, blocking, sticky, reason) read from TOML.
//! - [`dimensions`]: the dimensions evaluated for one IMEI (sightings in a
//!   window, list evidence), each with its inputs in words.
//! - [`sightings`]: every IMEI's network sightings for a run, packed,
//!   sorted and grouped by IMEI (national scale in bounded memory).
//! - [`operator_data`]: operators' daily IMEI–IMSI–MSISDN triplets: safety
//!   checks with thresholds and the monthly day-seen aggregation.
//! - [`purpose`]: purposes of personal data, each with its own pseudonyms
//!   (network monitoring: `n1:` for IMSIs and MSISDNs).
//! - [`vault`]: the identity vault's AEAD (ChaCha20-Poly1305 under
//!   per-subject keys) and its slot file, for crypto-shredding.
//! - [`findings`]: classification findings (blocked / grey in grace) that
//!   the online verdict combines with the registry's.
//! - [`snapshot`]: the EIR snapshot file (statuses, TACs, findings, pairing
//!   list) that `spectra serve` answers from.
//! - [`reader`]: strict readers of CSV / Parquet input files (identifier
//!   columns must be text).
//! - [`check`] and [`bulk`]: per-row verdicts and the streaming, parallel bulk
//!   check of CSV/Parquet files (its ordered pipeline in the private
//!   `pipeline` module).
//!
//! ```
//! use imei_core::identity::{classify, ImeiClass};
//! assert_eq!(classify("260531793113837").class, ImeiClass::Imei15);
//! ```

pub mod bulk;
pub mod check;
pub mod classification;
pub mod conditions;
mod csvblock;
pub mod dimensions;
pub mod error;
mod fasthash;
pub mod findings;
pub mod identity;
pub mod index;
pub mod operator_data;
mod pipeline;
pub mod pseudonym;
pub mod purpose;
pub mod reader;
pub mod sightings;
pub mod snapshot;
pub mod tac;
pub mod vault;
pub mod verdict;

pub use check::{CheckContext, CheckCounts, ImeiInfo, info};
pub use error::ImeiError;
pub use identity::{ImeiClass, Parsed, classify};
pub use index::RegistryIndex;
pub use tac::TacDb;
pub use verdict::{DeviceStatus, ReasonMask, Verdict};
