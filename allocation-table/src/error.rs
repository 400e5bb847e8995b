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
    /// The output's extension names no format this writer can write.
    #[error("{path}: cannot tell the format from the extension: expected one of {expected}")]
    UnknownExtension {
        /// The output path.
        path: PathBuf,
        /// The extensions accepted.
        expected: String,
    },
    /// A working table can only be written in the native format (it carries
    /// the whole table and its journal).
    #[error(
        "{path}: expected a native table path ending in .ntfa, found another extension (to publish CSV, JSON, Parquet or a chart, use `spectra table export`)"
    )]
    NotNative {
        /// The output path.
        path: PathBuf,
    },
    /// A converted table needs somewhere to go: the input is not a native
    /// table file that could be rewritten in place.
    #[error(
        "give an output path (--out PATH.ntfa): the input is not a native table file to rewrite in place"
    )]
    NoTarget,
    /// Another process holds the table file's lock (e.g. another conversion).
    #[error(
        "{path}: the table file is in use by another process (locked); try again when it has finished"
    )]
    InUse {
        /// The table file.
        path: PathBuf,
    },
    /// A conversion was refused; nothing was written.
    #[error("{path}: conversion refused: {source}")]
    Conversion {
        /// The table file.
        path: PathBuf,
        /// Why.
        source: crate::convert::ConversionError,
    },
    /// Writing an export failed.
    #[error(transparent)]
    Export(#[from] tabular::TabularError),
    /// Drawing a chart failed.
    #[error(transparent)]
    Chart(#[from] plotkit::PlotError),
}
