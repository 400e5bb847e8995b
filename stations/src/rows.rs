//! Rows of text from a CSV or Parquet input, read in chunks and converted in
//! parallel (the result keeps the input order, and the first bad row by line
//! is the one reported, whatever the thread count).
//!
//! Parquet columns may be text or numbers; they are read through their text
//! form, so a Parquet file and the CSV it was written from read the same.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, StringArray};
use arrow::datatypes::DataType;
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::error::StationsError;

macro_rules! columns {
    ($($variant:ident => $name:literal,)*) => {
        /// A column the register or the operators file may have.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Col {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl Col {
            /// Every column.
            pub const ALL: &'static [Col] = &[$(Col::$variant),*];

            /// The column's name in a header.
            pub fn name(self) -> &'static str {
                match self { $(Col::$variant => $name,)* }
            }
        }
    };
}

columns! {
    Id => "id", Operator => "operator", Service => "service", LatDeg => "lat_deg", LonDeg => "lon_deg",
    AntennaHeightM => "antenna_height_m", FreqHz => "freq_hz", Emission => "emission",
    Direction => "direction", EirpDbm => "eirp_dbm", TxPowerDbm => "tx_power_dbm",
    FeederLossDb => "feeder_loss_db", GainDbi => "gain_dbi", GroundM => "ground_m", Antenna => "antenna",
    AzimuthDeg => "azimuth_deg", TiltDeg => "tilt_deg", Polarisation => "polarisation",
    NoiseFigureDb => "noise_figure_db", NoiseDbm => "noise_dbm", Mask => "mask", RxMask => "rx_mask", Link => "link", ProtectionINDb => "protection_i_n_db", Category => "category",
    Status => "status", ValidFrom => "valid_from", ValidTo => "valid_to", Licence => "licence",
    Name => "name", Kind => "kind", User => "user", StateSharePct => "state_share_pct",
}

/// Rows converted per parallel chunk.
const CHUNK_ROWS: usize = 16_384;

/// The fields of one row by position.
trait Fields {
    fn field(&self, i: usize) -> Option<&str>;
}

impl Fields for csv::StringRecord {
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i).map(str::trim).filter(|t| !t.is_empty())
    }
}

struct ArrowRow<'a> {
    columns: &'a [&'a StringArray],
    row: usize,
}

impl Fields for ArrowRow<'_> {
    fn field(&self, i: usize) -> Option<&str> {
        let c = self.columns.get(i)?;
        (!c.is_null(self.row))
            .then(|| c.value(self.row).trim())
            .filter(|t| !t.is_empty())
    }
}

/// One row being converted: its fields by column, with error reporting.
pub struct Row<'a> {
    file: &'a str,
    /// 1-based line (the header is line 1).
    pub line: usize,
    fields: &'a dyn Fields,
    map: &'a [Option<usize>],
}

impl<'a> Row<'a> {
    /// The trimmed, non-empty text of a column.
    pub fn text(&self, c: Col) -> Option<&'a str> {
        self.map[c as usize].and_then(|i| self.fields.field(i))
    }

    /// A field error naming this row's file, line and the column.
    pub fn error(&self, c: Col, expected: &str, found: &str) -> StationsError {
        StationsError::Field {
            file: self.file.to_owned(),
            line: self.line,
            field: c.name().to_owned(),
            expected: expected.to_owned(),
            found: found.to_owned(),
        }
    }

    /// A column that must have a value.
    pub fn required(&self, c: Col) -> Result<&'a str, StationsError> {
        self.text(c).ok_or_else(|| self.error(c, "a value", ""))
    }

    /// An optional column parsed by `parse`.
    pub fn parsed<T>(
        &self,
        c: Col,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, StationsError> {
        match self.text(c) {
            None => Ok(None),
            Some(t) => parse(t).map(Some).ok_or_else(|| self.error(c, expected, t)),
        }
    }

    /// An optional finite number in `[min, max]`.
    pub fn number(&self, c: Col, min: f64, max: f64) -> Result<Option<f64>, StationsError> {
        match self.text(c) {
            None => Ok(None),
            Some(t) => t
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && (min..=max).contains(v))
                .map(Some)
                .ok_or_else(|| self.error(c, &format!("a number from {min} to {max}"), t)),
        }
    }

    /// A required finite number in `[min, max]`.
    pub fn required_number(&self, c: Col, min: f64, max: f64) -> Result<f64, StationsError> {
        self.number(c, min, max)?
            .ok_or_else(|| self.error(c, "a value", ""))
    }

    /// An optional date `YYYY-MM-DD`.
    pub fn date(&self, c: Col) -> Result<Option<NaiveDate>, StationsError> {
        self.parsed(c, "a date YYYY-MM-DD", parse_date)
    }
}

/// Parses `YYYY-MM-DD` exactly (four, two and two digits; a real date).
///
/// ```
/// use stations::rows::parse_date;
/// assert_eq!(parse_date("2026-02-28"), chrono::NaiveDate::from_ymd_opt(2026, 2, 28));
/// assert_eq!(parse_date("2026-02-29"), None);
/// assert_eq!(parse_date("2026-2-28"), None);
/// ```
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

fn unreadable(file: &str, message: String) -> StationsError {
    StationsError::Unreadable {
        file: file.to_owned(),
        message,
    }
}

fn column_map(
    file: &str,
    header: &[String],
    required: &[Col],
) -> Result<Vec<Option<usize>>, StationsError> {
    let map: Vec<Option<usize>> = Col::ALL
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(c.name()))
        })
        .collect();
    for c in required {
        if map[*c as usize].is_none() {
            return Err(StationsError::MissingColumn {
                file: file.to_owned(),
                column: c.name().to_owned(),
                found: header.join(", "),
            });
        }
    }
    Ok(map)
}

/// Converts a chunk in parallel, keeping order; the first error by position wins.
fn collect_in_order<T: Send>(
    items: Vec<Result<T, StationsError>>,
    out: &mut Vec<T>,
) -> Result<(), StationsError> {
    for item in items {
        out.push(item?);
    }
    Ok(())
}

/// Reads every row of a CSV or Parquet file (by extension) through
/// `convert`, in parallel chunks; the result is in file order, and the first
/// failing row (by line) is the error.
pub fn read_rows<T: Send>(
    path: &Path,
    required: &[Col],
    convert: impl Fn(&Row<'_>) -> Result<T, StationsError> + Sync,
) -> Result<Vec<T>, StationsError> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => read_csv(path, &file, required, &convert),
        Some("parquet" | "pq") => read_parquet(path, &file, required, &convert),
        _ => Err(unreadable(
            &file,
            "expected a file ending in .csv or .parquet".into(),
        )),
    }
}

fn read_csv<T: Send>(
    path: &Path,
    file: &str,
    required: &[Col],
    convert: &(impl Fn(&Row<'_>) -> Result<T, StationsError> + Sync),
) -> Result<Vec<T>, StationsError> {
    let bytes = std::fs::read(path).map_err(|source| StationsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| unreadable(file, format!("line 1: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    let map = column_map(file, &header, required)?;
    // Double buffering: one chunk is read (one thread) while the previous
    // one is converted (the others); record buffers are reused.
    let mut out = Vec::new();
    let mut current = Chunk::new();
    let mut next = Chunk::new();
    current.fill(&mut reader, bytes, file)?;
    while current.len > 0 {
        let (filled, items) = rayon::join(
            || next.fill(&mut reader, bytes, file),
            || {
                current.records[..current.len]
                    .par_iter()
                    .zip(&current.lines[..current.len])
                    .map(|(record, &line)| {
                        convert(&Row {
                            file,
                            line,
                            fields: record,
                            map: &map,
                        })
                    })
                    .collect::<Vec<Result<T, StationsError>>>()
            },
        );
        collect_in_order(items, &mut out)?;
        filled?;
        std::mem::swap(&mut current, &mut next);
    }
    Ok(out)
}

/// A chunk of CSV records with their physical lines; buffers are reused.
struct Chunk {
    records: Vec<csv::StringRecord>,
    lines: Vec<usize>,
    len: usize,
}

impl Chunk {
    fn new() -> Chunk {
        Chunk {
            records: vec![csv::StringRecord::new(); CHUNK_ROWS],
            lines: vec![0; CHUNK_ROWS],
            len: 0,
        }
    }

    /// Reads up to `CHUNK_ROWS` non-blank records; `len` 0 means the end.
    fn fill(
        &mut self,
        reader: &mut csv::Reader<&[u8]>,
        bytes: &[u8],
        file: &str,
    ) -> Result<(), StationsError> {
        self.len = 0;
        while self.len < CHUNK_ROWS {
            let record = &mut self.records[self.len];
            let more = reader.read_record(record).map_err(|e| {
                unreadable(
                    file,
                    match e.position() {
                        Some(p) => format!("line {}: {e}", p.line()),
                        None => e.to_string(),
                    },
                )
            })?;
            if !more {
                break;
            }
            if record.iter().any(|f| !f.trim().is_empty()) {
                self.lines[self.len] = physical_line(record, bytes);
                self.len += 1;
            }
        }
        Ok(())
    }
}

/// The csv crate reports a record that follows empty lines at the first
/// empty line: step over them to the record's physical line.
fn physical_line(record: &csv::StringRecord, bytes: &[u8]) -> usize {
    record.position().map_or(0, |p| {
        let mut line = usize::try_from(p.line()).unwrap_or(usize::MAX);
        let mut at = usize::try_from(p.byte()).unwrap_or(usize::MAX);
        while let Some(&c) = bytes.get(at).filter(|c| matches!(c, b'\r' | b'\n')) {
            line += usize::from(c == b'\n');
            at += 1;
        }
        line
    })
}

fn read_parquet<T: Send>(
    path: &Path,
    file: &str,
    required: &[Col],
    convert: &(impl Fn(&Row<'_>) -> Result<T, StationsError> + Sync),
) -> Result<Vec<T>, StationsError> {
    let batches = tabular::read_parquet(path)?;
    let schema = tabular::read_parquet_schema(path)?;
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let map = column_map(file, &header, required)?;
    let mut out = Vec::new();
    let mut first_line = 2;
    for batch in &batches {
        let columns = batch
            .columns()
            .iter()
            .zip(header.iter())
            .map(|(c, name)| text_column(file, name, c))
            .collect::<Result<Vec<Arc<dyn Array>>, _>>()?;
        let texts: Vec<&StringArray> = columns
            .iter()
            .filter_map(|c| c.as_any().downcast_ref::<StringArray>())
            .collect();
        let items: Vec<Result<T, StationsError>> = (0..batch.num_rows())
            .into_par_iter()
            .filter_map(|r| {
                let row = ArrowRow {
                    columns: &texts,
                    row: r,
                };
                (0..texts.len()).any(|i| row.field(i).is_some()).then(|| {
                    convert(&Row {
                        file,
                        line: first_line + r,
                        fields: &row,
                        map: &map,
                    })
                })
            })
            .collect();
        collect_in_order(items, &mut out)?;
        first_line += batch.num_rows();
    }
    Ok(out)
}

fn text_column(
    file: &str,
    name: &str,
    c: &Arc<dyn Array>,
) -> Result<Arc<dyn Array>, StationsError> {
    match c.data_type() {
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float32
        | DataType::Float64
        | DataType::Boolean
        | DataType::Date32
        | DataType::Date64
        | DataType::Null => arrow::compute::cast(c, &DataType::Utf8)
            .map_err(|e| unreadable(file, format!("column `{name}`: {e}"))),
        other => Err(unreadable(
            file,
            format!("column `{name}`: expected text, integer, float or date, found {other}"),
        )),
    }
}
