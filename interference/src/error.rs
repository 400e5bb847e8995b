//! Errors of interference studies.

use thiserror::Error;

/// Why a study could not run.
#[derive(Debug, Error)]
pub enum InterferenceError {
    /// An input file is malformed: file, line (0 when unknown) and field.
    #[error("{file}:{line}: field `{field}`: expected {expected}, found {found:?}")]
    Input {
        /// The file.
        file: String,
        /// 1-based line, 0 when unknown.
        line: usize,
        /// The field (dotted path in a TOML file).
        field: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A value outside its domain (a parameter of a study, not a file).
    #[error("{field}: expected {expected}, found {found}")]
    Invalid {
        /// The parameter.
        field: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// Reading a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The register could not be read.
    #[error(transparent)]
    Stations(#[from] stations::StationsError),
    /// Writing an output failed.
    #[error(transparent)]
    Tabular(#[from] tabular::TabularError),
    /// Arrow refused a batch.
    #[error("arrow: {0}")]
    Arrow(#[from] arrow::error::ArrowError),
    /// Terrain or a propagation model failed.
    #[error("{0}")]
    Model(String),
}
