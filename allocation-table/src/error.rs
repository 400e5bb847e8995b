//! Errors of the allocation-table crate.

use std::path::PathBuf;

/// Why a table could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// File-system error.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line of an input file could not be understood.
    #[error("{path}:{line}: field `{field}`: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The field at fault.
        field: String,
        /// What was expected and what was found.
        message: String,
    },
    /// The path is neither a native table file nor a TSV table directory.
    #[error("{path}: expected a native table file (.ntfa) or a directory holding allocations.tsv")]
    UnknownFormat {
        /// The path.
        path: PathBuf,
    },
    /// Writing an export failed.
    #[error(transparent)]
    Export(#[from] tabular::TabularError),
    /// Drawing a chart failed.
    #[error(transparent)]
    Chart(#[from] plotkit::PlotError),
}
