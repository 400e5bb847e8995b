//! Typed errors of the IMEI registry: each says what was expected and what was
//! found, with the file, line and field for input errors.

use std::path::Path;

/// Errors of the IMEI registry library.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A DuckDB operation failed.
    #[error("registry store ({context}): {cause}")]
    Db {
        /// What was being done.
        context: String,
        /// The cause. Not exposed as `source()`: DuckDB's message is in the
        /// display already, and its own cause would only add "Error code 1:
        /// Unknown error code".
        cause: duckdb::Error,
    },
    /// An append-only record (a hash chain) or the current state derived from
    /// it does not verify: the first broken link is named.
    #[error("{chain} tampered at entry {seq}: {detail}")]
    Tampered {
        /// The chain or table (`status_history`, `audit_log`,
        /// `contest_events`, `devices`, `contests`).
        chain: String,
        /// First entry (sequence number, or device key) that does not verify.
        seq: u64,
        /// What differs.
        detail: String,
    },
    /// The file is not a Spectra registry (or of another schema version).
    #[error("{path}: not a Spectra registry: {detail}")]
    NotARegistry {
        /// The file.
        path: String,
        /// What was expected and what was found.
        detail: String,
    },
    /// The registry cannot be written, and every read is audited in it.
    #[error(
        "{path} is read-only for this user: every read of the registry is recorded in its audit log, so it \
         needs write access (to the file and to `<file>.lock` beside it); there is no unaudited read-only mode"
    )]
    ReadOnly {
        /// The registry file.
        path: String,
    },
    /// Another process holds the registry open for writing.
    #[error("{path} is in use by process {pid}; try again when it has finished")]
    InUse {
        /// The registry file.
        path: String,
        /// The holder's process id (as it recorded it), or `unknown`.
        pid: String,
    },
    /// The pseudonym key differs from the one the registry was built with.
    #[error(
        "pseudonym key mismatch: the registry uses key fingerprint {stored}, the given key has {given}"
    )]
    KeyMismatch {
        /// Fingerprint stored in the registry.
        stored: String,
        /// Fingerprint of the given key.
        given: String,
    },
    /// A request that cannot be satisfied.
    #[error("{0}")]
    Invalid(String),
    /// An error of the pure IMEI logic: input files, readers, bulk checks.
    #[error(transparent)]
    Core(#[from] imei_core::ImeiError),
}

impl From<tabular::TabularError> for RegistryError {
    fn from(e: tabular::TabularError) -> Self {
        RegistryError::Core(imei_core::ImeiError::Tabular(e))
    }
}

impl RegistryError {
    /// An I/O error on a path.
    pub fn io(path: &Path, source: std::io::Error) -> RegistryError {
        RegistryError::Core(imei_core::ImeiError::io(path, source))
    }

    /// An input error.
    pub fn input(file: &str, line: u64, field: &str, message: impl Into<String>) -> RegistryError {
        RegistryError::Core(imei_core::ImeiError::input(file, line, field, message))
    }

    /// A DuckDB error with context.
    pub fn db(context: impl Into<String>) -> impl FnOnce(duckdb::Error) -> RegistryError {
        let context = context.into();
        move |cause| RegistryError::Db { context, cause }
    }

    /// An Arrow error with context.
    pub fn arrow(
        context: impl Into<String>,
    ) -> impl FnOnce(arrow::error::ArrowError) -> RegistryError {
        let context = context.into();
        move |source| RegistryError::Core(imei_core::ImeiError::Arrow { context, source })
    }
}
