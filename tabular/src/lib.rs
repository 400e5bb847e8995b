//! # tabular
//!
//! The one place where Spectra turns Arrow record batches into files:
//! Parquet (with provenance in the key-value metadata), CSV and JSON, each
//! written to a temporary file in the destination directory and renamed into
//! place only when complete, so a failed write never leaves a half-written
//! output behind.
//!
//! ```
//! use std::sync::Arc;
//! use arrow::array::{Float64Array, RecordBatch};
//! use arrow::datatypes::{DataType, Field, Schema};
//! use tabular::{Provenance, write_parquet, read_parquet_metadata};
//!
//! let schema = Arc::new(Schema::new(vec![Field::new("loss_db", DataType::Float64, false)]));
//! let batch = RecordBatch::try_new(schema, vec![Arc::new(Float64Array::from(vec![120.5, 98.0]))]).unwrap();
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("losses.parquet");
//! let prov = Provenance::new("example").with("model", "free space");
//! write_parquet(&path, &[batch], &prov).unwrap();
//! let meta = read_parquet_metadata(&path).unwrap();
//! assert_eq!(meta.get("model").map(String::as_str), Some("free space"));
//! assert_eq!(meta.get("source").map(String::as_str), Some("example"));
//! ```

mod atomic;
mod provenance;
mod rowgroups;
mod sink;
mod writers;

pub use atomic::{
    AtomicFile, AtomicPath, FREE_SPACE_MARGIN_BYTES, STALE_TEMP_AGE, check_free_space,
    check_output, remove_in_flight_temps, sweep_stale_temps, write_atomic,
};
pub use provenance::Provenance;
pub use rowgroups::{EncodedRowGroup, RowGroupEncoder, RowGroupWriter};
pub use sink::{BatchSink, SinkFormat};
pub use writers::{
    ParquetStreamWriter, WriteOptions, read_parquet, read_parquet_metadata, read_parquet_schema,
    write_csv, write_json, write_parquet,
};

use std::path::PathBuf;

/// Why an output could not be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum TabularError {
    /// File-system error on a path.
    #[error("{path}: {source}")]
    Io {
        /// The file being written or read.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Arrow encoding error (CSV/JSON writers, schema mismatch).
    #[error("{path}: {source}")]
    Arrow {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: arrow::error::ArrowError,
    },
    /// Parquet encoding or decoding error.
    #[error("{path}: {source}")]
    Parquet {
        /// The file being written or read.
        path: PathBuf,
        /// The underlying error.
        source: parquet::errors::ParquetError,
    },
    /// A request the writer cannot carry out (what was expected and found).
    #[error("{0}")]
    Invalid(String),
}
