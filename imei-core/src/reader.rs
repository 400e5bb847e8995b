//! Row readers for input files (CSV with a header line, RFC 4180, or Apache
//! Parquet), yielding batches of selected columns as optional strings with
//! their line numbers (CSV: physical line, header = line 1; Parquet: 1-based
//! row number).
//!
//! Identifiers are text of fixed width: an IMEI typed as a number has already
//! lost its leading zeros (`012345678901237` → `12345678901237`, another TAC).
//! So the columns named as identifiers must be text: in Parquet, a column of
//! any other type (Int64, Float64, Decimal, …) is refused with
//! [`ImeiError::ColumnType`] before a row is read ([`require_text`]). CSV is
//! always read as text — types are never inferred — and a leading UTF-8 byte
//! order mark is stripped from the header.

use std::fs::File;
use std::path::Path;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::compute::cast;
use arrow::datatypes::DataType;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use crate::error::ImeiError;

/// Input file kind, by extension (`.parquet`/`.pq` → Parquet, else CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// CSV with a header line.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl InputKind {
    /// Detects the kind from a path's extension.
    pub fn of(path: &Path) -> InputKind {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("parquet" | "pq") => InputKind::Parquet,
            _ => InputKind::Csv,
        }
    }
}

/// One batch: `(line, fields)` with fields in the requested column order.
pub type RowBatch = Vec<(u64, Vec<Option<String>>)>;

/// A source of row batches.
pub struct RowSource {
    file: String,
    batch_rows: usize,
    inner: Inner,
    cols: Vec<Option<usize>>,
    next_line: u64,
}

enum Inner {
    Csv(csv::Reader<File>),
    Parquet(ParquetRecordBatchReader),
}

impl std::fmt::Debug for RowSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RowSource({})", self.file)
    }
}

/// Whether an Arrow type holds text (UTF-8 strings, possibly
/// dictionary-encoded) or only nulls.
pub fn is_text_type(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => true,
        DataType::Dictionary(_, v) => is_text_type(v),
        _ => false,
    }
}

/// Refuses an identifier column that is not text ([`is_text_type`]): its
/// values could not be trusted to keep their leading zeros.
pub fn require_text(file: &str, column: &str, t: &DataType) -> Result<(), ImeiError> {
    if is_text_type(t) {
        Ok(())
    } else {
        Err(ImeiError::ColumnType {
            file: file.to_string(),
            column: column.to_string(),
            found: t.to_string(),
        })
    }
}

fn find(names: &[String], want: &str) -> Option<usize> {
    names
        .iter()
        .position(|n| n.trim().eq_ignore_ascii_case(want))
}

/// Opens `path`, locating `cols` by header name; the columns at positions
/// `required` must exist, and those at positions `text` (identifiers) must be
/// text when present (Parquet; CSV is always text).
pub fn open_rows(
    path: &Path,
    cols: &[&str],
    required: &[usize],
    text: &[usize],
    batch_rows: usize,
) -> Result<RowSource, ImeiError> {
    let file = path.display().to_string();
    let f = File::open(path).map_err(|e| ImeiError::io(path, e))?;
    let (inner, names, next_line) = match InputKind::of(path) {
        InputKind::Csv => {
            let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(f);
            let names: Vec<String> = r
                .headers()
                .map_err(|e| ImeiError::input(&file, 1, "header", e.to_string()))?
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    if i == 0 {
                        n.trim_start_matches('\u{feff}').to_string()
                    } else {
                        n.to_string()
                    }
                })
                .collect();
            (Inner::Csv(r), names, 2)
        }
        InputKind::Parquet => {
            let b = ParquetRecordBatchReaderBuilder::try_new(f).map_err(|source| {
                ImeiError::Parquet {
                    file: file.clone(),
                    source,
                }
            })?;
            let schema = b.schema().clone();
            let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
            for &t in text {
                if let Some(c) = cols.get(t).and_then(|want| find(&names, want))
                    && let Some(f) = schema.fields().get(c)
                {
                    require_text(&file, f.name(), f.data_type())?;
                }
            }
            let r = b
                .with_batch_size(batch_rows)
                .build()
                .map_err(|source| ImeiError::Parquet {
                    file: file.clone(),
                    source,
                })?;
            (Inner::Parquet(r), names, 1)
        }
    };
    let idx: Vec<Option<usize>> = cols.iter().map(|c| find(&names, c)).collect();
    for &r in required {
        if idx.get(r).copied().flatten().is_none() {
            let column = cols.get(r).copied().unwrap_or("?").to_string();
            return Err(ImeiError::MissingColumn {
                file,
                column,
                found: names,
            });
        }
    }
    Ok(RowSource {
        file,
        batch_rows,
        inner,
        cols: idx,
        next_line,
    })
}

fn strings(
    batch: &RecordBatch,
    col: Option<usize>,
    file: &str,
) -> Result<Option<arrow::array::ArrayRef>, ImeiError> {
    match col {
        None => Ok(None),
        Some(c) => {
            let a = batch.column(c);
            let s = cast(a, &DataType::Utf8)
                .map_err(ImeiError::arrow(format!("{file}: column {c} as text")))?;
            Ok(Some(s))
        }
    }
}

impl RowSource {
    /// The next batch, or `None` at the end.
    pub fn next_batch(&mut self) -> Result<Option<RowBatch>, ImeiError> {
        match &mut self.inner {
            Inner::Csv(r) => {
                let mut out = Vec::with_capacity(self.batch_rows);
                let mut rec = csv::StringRecord::new();
                while out.len() < self.batch_rows {
                    let more = r.read_record(&mut rec).map_err(|e| {
                        let line = e.position().map_or(self.next_line, |p| p.line());
                        ImeiError::input(&self.file, line, "row", e.to_string())
                    })?;
                    if !more {
                        break;
                    }
                    let line = rec.position().map_or(self.next_line, |p| p.line());
                    self.next_line = line + 1;
                    let fields = self
                        .cols
                        .iter()
                        .map(|c| c.and_then(|c| rec.get(c)).map(str::to_string))
                        .collect();
                    out.push((line, fields));
                }
                Ok(if out.is_empty() { None } else { Some(out) })
            }
            Inner::Parquet(r) => {
                let Some(b) = r.next() else { return Ok(None) };
                let b = b.map_err(ImeiError::arrow(format!("reading {}", self.file)))?;
                let cols: Vec<Option<arrow::array::ArrayRef>> = self
                    .cols
                    .iter()
                    .map(|c| strings(&b, *c, &self.file))
                    .collect::<Result<_, _>>()?;
                let mut out = Vec::with_capacity(b.num_rows());
                for i in 0..b.num_rows() {
                    let fields = cols
                        .iter()
                        .map(|c| {
                            c.as_ref().and_then(|a| {
                                let s = a.as_string::<i32>();
                                if s.is_null(i) {
                                    None
                                } else {
                                    Some(s.value(i).to_string())
                                }
                            })
                        })
                        .collect();
                    out.push((self.next_line + i as u64, fields));
                }
                self.next_line += b.num_rows() as u64;
                Ok(Some(out))
            }
        }
    }
}
