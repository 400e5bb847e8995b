//! The one Arrow sink chosen by the output's file extension: `.parquet`
//! (or `.pq`; with provenance in the key-value metadata, written row group
//! by row group) or `.csv` (with a header). Both are written to a temporary
//! file in the destination directory and renamed into place by
//! [`BatchSink::finish`]; dropped unfinished, nothing is left behind.
//!
//! ```
//! use std::sync::Arc;
//! use arrow::array::{RecordBatch, StringArray};
//! use arrow::datatypes::{DataType, Field, Schema};
//! use tabular::{BatchSink, Provenance, WriteOptions};
//!
//! let schema = Arc::new(Schema::new(vec![Field::new("tac", DataType::Utf8, false)]));
//! let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(vec!["01124500"]))]).unwrap();
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("tacs.csv");
//! let mut sink = BatchSink::create(&path, schema, &Provenance::new("example"), &WriteOptions::default()).unwrap();
//! sink.write(&batch).unwrap();
//! assert_eq!(sink.finish().unwrap(), 1);
//! assert_eq!(std::fs::read_to_string(&path).unwrap(), "tac\n01124500\n");
//! ```

use std::path::{Path, PathBuf};

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;

use crate::{
    AtomicFile, EncodedRowGroup, Provenance, RowGroupEncoder, RowGroupWriter, TabularError,
    WriteOptions,
};

/// The formats a [`BatchSink`] writes, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkFormat {
    /// Apache Parquet (`.parquet`, `.pq`).
    Parquet,
    /// CSV with a header line (`.csv`).
    Csv,
}

impl SinkFormat {
    /// The format named by `path`'s extension (case-insensitive).
    pub fn of(path: &Path) -> Result<SinkFormat, TabularError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("parquet" | "pq") => Ok(SinkFormat::Parquet),
            Some("csv") => Ok(SinkFormat::Csv),
            _ => Err(TabularError::Invalid(format!(
                "{}: expected an output ending in .parquet or .csv",
                path.display()
            ))),
        }
    }
}

enum Inner {
    Parquet(Box<RowGroupWriter>),
    Csv(Box<arrow::csv::Writer<AtomicFile>>),
}

/// A streaming writer of record batches in the format of its path.
pub struct BatchSink {
    inner: Inner,
    path: PathBuf,
    schema: SchemaRef,
    rows: usize,
    batches: usize,
}

impl std::fmt::Debug for BatchSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchSink")
            .field("path", &self.path)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl BatchSink {
    /// Creates the sink for `path` (its extension chooses the format);
    /// `provenance` and `options` apply to Parquet.
    pub fn create(
        path: &Path,
        schema: SchemaRef,
        provenance: &Provenance,
        options: &WriteOptions,
    ) -> Result<BatchSink, TabularError> {
        let inner = match SinkFormat::of(path)? {
            SinkFormat::Parquet => Inner::Parquet(Box::new(RowGroupWriter::create(
                path,
                schema.clone(),
                provenance,
                options,
            )?)),
            SinkFormat::Csv => Inner::Csv(Box::new(
                arrow::csv::WriterBuilder::new()
                    .with_header(true)
                    .build(AtomicFile::create(path)?),
            )),
        };
        Ok(BatchSink {
            inner,
            path: path.to_path_buf(),
            schema,
            rows: 0,
            batches: 0,
        })
    }

    /// The format being written.
    pub fn format(&self) -> SinkFormat {
        match self.inner {
            Inner::Parquet(_) => SinkFormat::Parquet,
            Inner::Csv(_) => SinkFormat::Csv,
        }
    }

    /// An encoder for row groups prepared on other threads (Parquet only).
    pub fn encoder(&self) -> Option<RowGroupEncoder> {
        match &self.inner {
            Inner::Parquet(w) => Some(w.encoder()),
            Inner::Csv(_) => None,
        }
    }

    /// Writes one batch.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), TabularError> {
        match &mut self.inner {
            Inner::Parquet(w) => w.append(w.encoder().encode(batch)?)?,
            Inner::Csv(w) => w.write(batch).map_err(|source| TabularError::Arrow {
                path: self.path.clone(),
                source,
            })?,
        }
        self.rows += batch.num_rows();
        self.batches += 1;
        Ok(())
    }

    /// Appends a row group encoded by [`BatchSink::encoder`] (Parquet only).
    pub fn append_row_group(&mut self, rg: EncodedRowGroup) -> Result<(), TabularError> {
        match &mut self.inner {
            Inner::Parquet(w) => {
                self.rows += rg.rows();
                self.batches += 1;
                w.append(rg)
            }
            Inner::Csv(_) => Err(TabularError::Invalid(format!(
                "{}: an encoded Parquet row group cannot go into a CSV file",
                self.path.display()
            ))),
        }
    }

    /// Completes the file and renames it into place; returns the rows written.
    /// A CSV that received no batch still gets its header line.
    pub fn finish(mut self) -> Result<usize, TabularError> {
        if self.batches == 0 {
            let empty = RecordBatch::new_empty(self.schema.clone());
            self.write(&empty)?;
        }
        match self.inner {
            Inner::Parquet(w) => {
                w.finish()?;
            }
            Inner::Csv(w) => w.into_inner().commit()?,
        }
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: an empty input gave a 0-byte CSV without its header.
    #[test]
    fn an_empty_csv_still_has_its_header() {
        use arrow::datatypes::{DataType, Field, Schema};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.csv");
        let schema = std::sync::Arc::new(Schema::new(vec![
            Field::new("line", DataType::UInt64, false),
            Field::new("imei", DataType::Utf8, true),
        ]));
        let sink = BatchSink::create(
            &path,
            schema,
            &Provenance::new("test"),
            &WriteOptions::default(),
        )
        .unwrap();
        assert_eq!(sink.finish().unwrap(), 0);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "line,imei\n");
    }

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(
            SinkFormat::of(Path::new("a.PARQUET")).ok(),
            Some(SinkFormat::Parquet)
        );
        assert_eq!(
            SinkFormat::of(Path::new("a.pq")).ok(),
            Some(SinkFormat::Parquet)
        );
        assert_eq!(
            SinkFormat::of(Path::new("a.csv")).ok(),
            Some(SinkFormat::Csv)
        );
        let e = SinkFormat::of(Path::new("a.xlsx")).unwrap_err().to_string();
        assert!(
            e.contains("expected an output ending in .parquet or .csv"),
            "{e}"
        );
    }
}
