//! # spectra-eir
//!
//! `spectra serve`: the online equipment identity check of the national
//! registry (issue 15), answered from memory from an EIR snapshot
//! ([`imei_core::snapshot`], written by `spectra registry publish`), so the
//! DuckDB store stays the only writer and the service never holds its lock.
//! It gives the same verdicts and reasons as `spectra imei check`.
//!
//! - [`config`]: `serve.toml`, validated into typed settings at start-up.
//! - [`equipment`]: PEI / SUPI parsing and the equipment status of one PEI
//!   (TS 29.511), with the pairing list's exceptions and the policy for
//!   unknown equipment.
//! - [`access`]: bearer tokens (stored hashed), scopes and per-client rate
//!   limits.
//! - [`http`]: the N5g-eir `equipment-status` resource, the operators' JSON
//!   API (`/v1/imei/{imei}`, `/v1/imei/check`, `/v1/tac/{tac}`),
//!   `/healthz`, `/metrics`; ProblemDetails errors; the access log.
//! - [`diameter`]: the S13 peer for MMEs (CER/CEA, DWR/DWA, DPR/DPA,
//!   ECR/ECA), with its own strict framing and the AVP dictionary of the
//!   specifications.
//! - [`metrics`]: Prometheus / OpenMetrics counters and histograms.
//! - [`server`]: listeners, connection limits, snapshot swaps, graceful
//!   shutdown.
//! - [`tls`]: HTTPS with rustls (ALPN h2 / http/1.1) and optional mutual
//!   TLS.
//!
//! ```
//! use spectra_eir::equipment::{pei_digits, EquipmentStatus};
//! use imei_core::verdict::Verdict;
//! assert_eq!(pei_digits("imeisv-3569380356438091").unwrap(), "3569380356438091");
//! assert_eq!(EquipmentStatus::of(Verdict::Blocked).name(), "BLACKLISTED");
//! ```

pub mod access;
pub mod config;
pub mod diameter;
pub mod equipment;
pub mod error;
pub mod http;
pub mod metrics;
pub mod server;
pub mod tls;

pub use config::Config;
pub use error::EirError;
pub use server::{Running, run_blocking, start};
