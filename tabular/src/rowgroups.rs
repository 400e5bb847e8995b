//! A Parquet file written one row group per batch, with the encoding and
//! compression of each row group done by the caller's threads.
//!
//! [`crate::ParquetStreamWriter`] encodes on the thread that writes, which
//! makes the encoder (dictionary, levels, zstd) a serial stage of any
//! pipeline. Here the [`RowGroupEncoder`] is shared by worker threads: each
//! turns a whole record batch into an [`EncodedRowGroup`] (the finished,
//! compressed column chunks, as parquet-rs's `ArrowColumnWriter` makes them),
//! and the single writer only appends bytes, in the order it is given them.
//! The file is the same whatever the thread count: a row group depends only
//! on its batch. (Parquet modular encryption is not supported: it would need
//! each row group's index when its columns are encoded.)
//!
//! ```
//! use std::sync::Arc;
//! use arrow::array::{Int64Array, RecordBatch};
//! use arrow::datatypes::{DataType, Field, Schema};
//! use tabular::{Provenance, RowGroupWriter, WriteOptions};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("n.parquet");
//! let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
//! let mut w = RowGroupWriter::create(&path, schema.clone(), &Provenance::new("doc"),
//!     &WriteOptions::default()).unwrap();
//! let enc = w.encoder();
//! let batch = RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(vec![1, 2, 3]))]).unwrap();
//! let rg = enc.encode(&batch).unwrap(); // on any thread
//! w.append(rg).unwrap();
//! assert_eq!(w.finish().unwrap(), 3);
//! assert_eq!(tabular::read_parquet(&path).unwrap()[0].num_rows(), 3);
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnChunk, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::file::writer::SerializedFileWriter;
use tempfile::NamedTempFile;

use crate::atomic::{persist, temp_beside};
use crate::writers::{WriteOptions, parquet_err, properties_with};
use crate::{Provenance, TabularError};

/// Encodes record batches into finished row groups; cheap to clone, `Sync`.
#[derive(Debug, Clone)]
pub struct RowGroupEncoder {
    factory: Arc<ArrowRowGroupWriterFactory>,
    schema: SchemaRef,
    path: PathBuf,
}

/// One row group, encoded and compressed, waiting to be appended.
#[derive(Debug)]
pub struct EncodedRowGroup {
    chunks: Vec<ArrowColumnChunk>,
    rows: usize,
}

impl EncodedRowGroup {
    /// Rows in the row group.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

impl RowGroupEncoder {
    /// Encodes `batch` (with the file's schema) as one row group.
    pub fn encode(&self, batch: &RecordBatch) -> Result<EncodedRowGroup, TabularError> {
        if batch.schema().fields() != self.schema.fields() {
            return Err(TabularError::Invalid(format!(
                "{}: batch schema differs from the file's",
                self.path.display()
            )));
        }
        let err = |e| parquet_err(&self.path, e);
        let mut writers = self.factory.create_column_writers(0).map_err(err)?;
        let mut next = writers.iter_mut();
        for (field, column) in self.schema.fields().iter().zip(batch.columns()) {
            for leaf in compute_leaves(field, column).map_err(err)? {
                let w = next.next().ok_or_else(|| {
                    TabularError::Invalid(format!(
                        "{}: more leaf columns than writers",
                        self.path.display()
                    ))
                })?;
                w.write(&leaf).map_err(err)?;
            }
        }
        let chunks = writers
            .into_iter()
            .map(|w| w.close())
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        Ok(EncodedRowGroup {
            chunks,
            rows: batch.num_rows(),
        })
    }
}

/// A Parquet file assembled from [`EncodedRowGroup`]s, appearing at its path
/// only when [`RowGroupWriter::finish`] succeeds.
#[derive(Debug)]
pub struct RowGroupWriter {
    path: PathBuf,
    writer: SerializedFileWriter<NamedTempFile>,
    encoder: RowGroupEncoder,
    rows: usize,
}

impl RowGroupWriter {
    /// Starts a Parquet file with `schema`, provenance key-value metadata
    /// (and the Arrow schema, so readers get the same Arrow types back).
    pub fn create(
        path: &Path,
        schema: SchemaRef,
        provenance: &Provenance,
        options: &WriteOptions,
    ) -> Result<Self, TabularError> {
        let tmp = temp_beside(path)?;
        let err = |e| parquet_err(path, e);
        let arrow = ArrowWriter::try_new(
            tmp,
            schema.clone(),
            Some(properties_with(provenance, options)),
        )
        .map_err(err)?;
        let (writer, factory) = arrow.into_serialized_writer().map_err(err)?;
        Ok(Self {
            path: path.to_path_buf(),
            writer,
            encoder: RowGroupEncoder {
                factory: Arc::new(factory),
                schema,
                path: path.to_path_buf(),
            },
            rows: 0,
        })
    }

    /// The encoder to hand to worker threads.
    pub fn encoder(&self) -> RowGroupEncoder {
        self.encoder.clone()
    }

    /// Appends an encoded row group (made by this file's encoder).
    pub fn append(&mut self, rg: EncodedRowGroup) -> Result<(), TabularError> {
        let err = |e| parquet_err(&self.path, e);
        let mut group = self.writer.next_row_group().map_err(err)?;
        for chunk in rg.chunks {
            chunk.append_to_row_group(&mut group).map_err(err)?;
        }
        group.close().map_err(err)?;
        self.rows += rg.rows;
        Ok(())
    }

    /// Closes the file and renames it into place; returns the row count.
    pub fn finish(self) -> Result<usize, TabularError> {
        let tmp = self
            .writer
            .into_inner()
            .map_err(|e| parquet_err(&self.path, e))?;
        persist(tmp, &self.path)?;
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use arrow::array::{Int64Array, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};

    fn batch(schema: &SchemaRef, from: i64, n: i64) -> RecordBatch {
        let ids: Vec<i64> = (from..from + n).collect();
        let names: Vec<String> = ids.iter().map(|i| format!("row {i}")).collect();
        RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(ids)),
                Arc::new(StringArray::from(names)),
            ],
        )
        .unwrap()
    }

    #[test]
    fn row_groups_encoded_on_threads_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rg.parquet");
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("name", DataType::Utf8, true),
        ]));
        let opts = WriteOptions {
            no_statistics: vec!["name".into()],
            delta: vec!["id".into()],
            delta_length: vec!["name".into()],
        };
        let mut w =
            RowGroupWriter::create(&path, schema.clone(), &Provenance::new("test"), &opts).unwrap();
        let enc = w.encoder();
        let encoded: Vec<EncodedRowGroup> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|k| {
                    let enc = enc.clone();
                    let schema = schema.clone();
                    s.spawn(move || enc.encode(&batch(&schema, k * 1000, 1000)).unwrap())
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for rg in encoded {
            w.append(rg).unwrap();
        }
        assert!(
            path.metadata().is_err(),
            "nothing at the path before finish"
        );
        assert_eq!(w.finish().unwrap(), 4000);
        let back = crate::read_parquet(&path).unwrap();
        let ids: Vec<i64> = back
            .iter()
            .flat_map(|b| {
                b.column(0)
                    .as_any()
                    .downcast_ref::<Int64Array>()
                    .unwrap()
                    .values()
                    .to_vec()
            })
            .collect();
        assert_eq!(ids, (0..4000).collect::<Vec<i64>>());
        // The options reach every row group: `id` delta-encoded, `name` plain.
        let file =
            parquet::file::reader::SerializedFileReader::new(std::fs::File::open(&path).unwrap())
                .unwrap();
        use parquet::file::reader::FileReader;
        for rg in file.metadata().row_groups() {
            let id: Vec<_> = rg.column(0).encodings().collect();
            assert!(
                id.contains(&parquet::basic::Encoding::DELTA_BINARY_PACKED),
                "{id:?}"
            );
            let name: Vec<_> = rg.column(1).encodings().collect();
            assert!(
                name.contains(&parquet::basic::Encoding::DELTA_LENGTH_BYTE_ARRAY),
                "{name:?}"
            );
            assert!(
                !name.contains(&parquet::basic::Encoding::RLE_DICTIONARY),
                "{name:?}"
            );
        }
        let meta = crate::read_parquet_metadata(&path).unwrap();
        assert_eq!(meta.get("source").map(String::as_str), Some("test"));
    }

    #[test]
    fn a_batch_of_another_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.parquet");
        let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, false)]));
        let other = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("name", DataType::Utf8, true),
        ]));
        let w = RowGroupWriter::create(
            &path,
            schema,
            &Provenance::new("t"),
            &WriteOptions::default(),
        )
        .unwrap();
        assert!(w.encoder().encode(&batch(&other, 0, 3)).is_err());
    }
}
