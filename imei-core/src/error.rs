//! Typed errors of the pure IMEI logic: each says what was expected and what
//! was found, with the file, line and field for input errors.

use std::path::{Path, PathBuf};

/// Errors of identity parsing, TAC databases, input readers and bulk checks.
#[derive(Debug, thiserror::Error)]
pub enum ImeiError {
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
    /// A column has a type that would lose information (an identifier read
    /// as a number loses its leading zeros).
    #[error("{file}: column `{column}` must be text, found {found}; nothing was read")]
    ColumnType {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// The type found.
        found: String,
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
    /// A request that cannot be satisfied.
    #[error("{0}")]
    Invalid(String),
    /// An operator data file failed a safety check: refused whole, nothing
    /// stored.
    #[error("refused, nothing stored: {0}")]
    Refused(Box<crate::operator_data::SafetyReport>),
}

impl ImeiError {
    /// An I/O error on a path.
    pub fn io(path: &Path, source: std::io::Error) -> ImeiError {
        ImeiError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// An input error.
    pub fn input(file: &str, line: u64, field: &str, message: impl Into<String>) -> ImeiError {
        ImeiError::Input {
            file: file.to_string(),
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// An Arrow error with context.
    pub fn arrow(context: impl Into<String>) -> impl FnOnce(arrow::error::ArrowError) -> ImeiError {
        let context = context.into();
        move |source| ImeiError::Arrow { context, source }
    }
}
