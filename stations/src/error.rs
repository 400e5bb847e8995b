//! Errors of the station register.

use std::path::PathBuf;

use thiserror::Error;

/// Why reading, checking or writing the register failed.
#[derive(Debug, Error)]
pub enum StationsError {
    /// A field of an input row is missing or malformed.
    #[error("{file}:{line}: field `{field}`: expected {expected}, found {found:?}")]
    Field {
        /// The input file.
        file: String,
        /// 1-based line (the header is line 1).
        line: usize,
        /// Column name.
        field: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A required column is missing from the header.
    #[error("{file}: expected a column `{column}` in the header, found {found}")]
    MissingColumn {
        /// The input file.
        file: String,
        /// The missing column.
        column: String,
        /// The columns present.
        found: String,
    },
    /// The input is not readable as CSV or Parquet.
    #[error("{file}: {message}")]
    Unreadable {
        /// The input file.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// Reading a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing an output failed.
    #[error(transparent)]
    Tabular(#[from] tabular::TabularError),
    /// Arrow refused a batch (a bug: the schema is ours).
    #[error("arrow: {0}")]
    Arrow(#[from] arrow::error::ArrowError),
    /// An emergency order or the orders journal is invalid.
    #[error("{0}")]
    Order(String),
    /// The orders journal was altered: its chain does not verify.
    #[error("{path}: the orders journal was altered: {detail}")]
    Tampered {
        /// The journal.
        path: PathBuf,
        /// Which entry fails and how.
        detail: String,
    },
}
