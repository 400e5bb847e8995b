//! # imei-registry
//!
//! The national IMEI registry of Spectra, kept in one embedded DuckDB file.
//! The pure logic (identity, TACs, verdicts, lookup index, bulk check) is in
//! `imei-core` and re-exported here; this crate adds the store:
//!
//! - [`store`]: the registry file — devices, reason catalogue, TAC table,
//!   hash-chained status [`history`], audit log — with atomic batch
//!   [`import`]s.
//! - [`lists`]: white/grey/black list export for operators.
//! - [`contest`]: contesting an automated decision, and its outcome.
//! - [`rotate`]: the pseudonym key's fingerprint check and key rotation.
//! - [`blacklist`]: the national block list of a classification, its
//!   generations and deltas, with a manifest.
//! - [`classify`]: classification runs over the network data, their
//!   decisions and the open matches.
//! - [`device_lists`]: stolen reports (with recovery), the golden list and
//!   barred TACs.
//! - [`operators`]: declared operators and their network data (safety
//!   checks, IMSIs and MSISDNs under the network-monitoring key, monthly
//!   day-seen triplets).
//! - [`vault_store`]: the identity vault (clear IMSI / MSISDN sealed under
//!   per-subject keys, crypto-shredding) and the destruction acts.
//! - [`operator_lists`]: the pairing list and each operator's notification
//!   and exception lists, with their deltas.
//! - [`subject`]: subject access, erasure and retention.
//! - [`publish`]: the EIR snapshot `spectra serve` answers from, written
//!   atomically.
//!
//! ```
//! use imei_registry::identity::{classify, ImeiClass};
//! assert_eq!(classify("260531793113837").class, ImeiClass::Imei15);
//! ```

pub mod blacklist;
pub mod chain;
pub mod classify;
pub mod contest;
pub mod device_lists;
pub mod error;
pub mod history;
pub mod import;
pub mod lists;
mod opening;
pub mod operator_lists;
pub mod operators;
pub mod publish;
pub mod rotate;
mod staging;
pub mod store;
pub mod subject;
pub mod vault_store;
pub mod verify;

pub use error::RegistryError;
pub use imei_core::DeviceStatus;
pub use imei_core::{
    CheckContext, CheckCounts, ImeiClass, ImeiError, ImeiInfo, Parsed, ReasonMask, RegistryIndex,
    TacDb, Verdict, bulk, check, classification, classify, conditions, dimensions, findings,
    identity, index, info, operator_data, pseudonym, purpose, reader, sightings, snapshot, tac,
    vault, verdict,
};
pub use store::Registry;
