//! Typed errors of the IMEI registry: each says what was expected and what was
//! found, with the file, line and field for input errors.

use std::path::{Path, PathBuf};

/// Errors of the IMEI registry library.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Bad input at a given place.
    #[error("{file}, line {line}, field `{field}`: {message}")]
    Input {
        /// The file (or source name).
        file: String,
        /// 1-based line (record number for Parquet).
        line: u64,
        /// The field or column.
        field: String,
        /// What was expected and what was found.
        message: String,
    },
    /// A required column is missing from an input file.
    #[error("{file}: no column `{column}`; the columns are {found:?}")]
    MissingColumn {
        /// The file.
        file: String,
        /// The expected column.
        column: String,
        /// The columns present.
        found: Vec<String>,
    },
    /// A DuckDB operation failed.
    #[error("registry store ({context}): {source}")]
    Db {
        /// What was being done.
        context: String,
        /// The cause.
        source: duckdb::Error,
    },
    /// Arrow error.
    #[error("{context}: {source}")]
    Arrow {
        /// What was being done.
        context: String,
        /// The cause.
        source: arrow::error::ArrowError,
    },
    /// Parquet error while reading an input.
    #[error("{file}: {source}")]
    Parquet {
        /// The file.
        file: String,
        /// The cause.
        source: parquet::errors::ParquetError,
    },
    /// Output writing failed.
    #[error(transparent)]
    Tabular(#[from] tabular::TabularError),
    /// The status history hash chain does not verify.
    #[error("status history tampered: hash chain broken at seq {seq}: {detail}")]
    HistoryTampered {
        /// First history entry that does not verify.
        seq: u64,
        /// What differs.
        detail: String,
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
}

impl RegistryError {
    /// An I/O error on a path.
    pub fn io(path: &Path, source: std::io::Error) -> RegistryError {
        RegistryError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// An input error.
    pub fn input(file: &str, line: u64, field: &str, message: impl Into<String>) -> RegistryError {
        RegistryError::Input {
            file: file.to_string(),
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// A DuckDB error with context.
    pub fn db(context: impl Into<String>) -> impl FnOnce(duckdb::Error) -> RegistryError {
        let context = context.into();
        move |source| RegistryError::Db { context, source }
    }

    /// An Arrow error with context.
    pub fn arrow(
        context: impl Into<String>,
    ) -> impl FnOnce(arrow::error::ArrowError) -> RegistryError {
        let context = context.into();
        move |source| RegistryError::Arrow { context, source }
    }
}
