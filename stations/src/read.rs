//! Import of the register from CSV or Parquet (chosen by extension), with the
//! schema documented in `stations/README.md`.
//!
//! Every field is checked; the first bad one is reported with its file, line
//! and column and nothing is returned (no partial register). Parquet columns
//! may be text or numbers; they are read through their text form, so a
//! Parquet file and the CSV it was written from read the same.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use allocation_table::Category;
use allocation_table::service::RadioService;
use arrow::array::{Array, StringArray};
use arrow::datatypes::DataType;
use chrono::NaiveDate;

use crate::emission::Emission;
use crate::error::StationsError;
use crate::model::{
    Assignment, AssignmentStatus, Direction, NATIONAL_STATE_SHARE_MIN_PCT, Operator, OperatorKind,
    Polarisation, Site, Station, UserKind,
};
use crate::register::{ProtectionDefaults, Register};

/// Columns every register file must have.
pub const REQUIRED_COLUMNS: [&str; 8] = [
    "id",
    "operator",
    "service",
    "lat_deg",
    "lon_deg",
    "antenna_height_m",
    "freq_hz",
    "emission",
];

/// Optional columns of a register file.
pub const OPTIONAL_COLUMNS: [&str; 19] = [
    "direction",
    "eirp_dbm",
    "tx_power_dbm",
    "feeder_loss_db",
    "gain_dbi",
    "ground_m",
    "antenna",
    "azimuth_deg",
    "tilt_deg",
    "polarisation",
    "noise_figure_db",
    "protection_i_n_db",
    "category",
    "status",
    "valid_from",
    "valid_to",
    "licence",
    "operator_kind",
    "operator_user",
];

/// Columns of an operators file (`name`, `kind` and `user` are required).
pub const OPERATOR_COLUMNS: [&str; 4] = ["name", "kind", "user", "state_share_pct"];

/// A table of text fields read from CSV or Parquet.
struct TextTable {
    file: String,
    header: Vec<String>,
    /// (line, fields) for every row.
    rows: Vec<(usize, Vec<Option<String>>)>,
}

impl TextTable {
    fn read(path: &Path) -> Result<TextTable, StationsError> {
        let file = path.display().to_string();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Self::read_csv(path, file),
            Some("parquet" | "pq") => Self::read_parquet(path, file),
            _ => Err(StationsError::Unreadable {
                file,
                message: "expected a file ending in .csv or .parquet".into(),
            }),
        }
    }

    fn read_csv(path: &Path, file: String) -> Result<TextTable, StationsError> {
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
            .map_err(|e| StationsError::Unreadable {
                file: file.clone(),
                message: format!("line 1: {e}"),
            })?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| StationsError::Unreadable {
                file: file.clone(),
                message: match e.position() {
                    Some(p) => format!("line {}: {e}", p.line()),
                    None => e.to_string(),
                },
            })?;
            // The csv crate reports a record after empty lines at the first
            // empty line: step over them to the record's physical line.
            let line = record.position().map_or(0, |p| {
                let mut line = p.line() as usize;
                let mut at = usize::try_from(p.byte()).unwrap_or(usize::MAX);
                while let Some(&c) = bytes.get(at).filter(|c| matches!(c, b'\r' | b'\n')) {
                    line += usize::from(c == b'\n');
                    at += 1;
                }
                line
            });
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let fields = record
                .iter()
                .map(|f| {
                    let t = f.trim();
                    (!t.is_empty()).then(|| t.to_owned())
                })
                .collect();
            rows.push((line, fields));
        }
        Ok(TextTable { file, header, rows })
    }

    fn read_parquet(path: &Path, file: String) -> Result<TextTable, StationsError> {
        let batches = tabular::read_parquet(path)?;
        let header: Vec<String> = match batches.first() {
            Some(b) => b
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect(),
            None => {
                let meta = tabular::read_parquet_schema(path)?;
                meta.fields().iter().map(|f| f.name().clone()).collect()
            }
        };
        let mut rows = Vec::new();
        let mut line = 1;
        for batch in &batches {
            let columns = batch
                .columns()
                .iter()
                .zip(header.iter())
                .map(|(c, name)| match c.data_type() {
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
                    | DataType::Null => arrow::compute::cast(c, &DataType::Utf8).map_err(|e| {
                        StationsError::Unreadable {
                            file: file.clone(),
                            message: format!("column `{name}`: {e}"),
                        }
                    }),
                    other => Err(StationsError::Unreadable {
                        file: file.clone(),
                        message: format!(
                            "column `{name}`: expected text, integer, float or date, found {other}"
                        ),
                    }),
                })
                .collect::<Result<Vec<Arc<dyn Array>>, _>>()?;
            let texts: Vec<&StringArray> = columns
                .iter()
                .filter_map(|c| c.as_any().downcast_ref::<StringArray>())
                .collect();
            for r in 0..batch.num_rows() {
                line += 1;
                let fields = texts
                    .iter()
                    .map(|c| {
                        (!c.is_null(r))
                            .then(|| c.value(r).trim().to_owned())
                            .filter(|t| !t.is_empty())
                    })
                    .collect();
                rows.push((line, fields));
            }
        }
        Ok(TextTable { file, header, rows })
    }

    fn columns(&self, required: &[&str]) -> Result<HashMap<String, usize>, StationsError> {
        let map: HashMap<String, usize> = self
            .header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_ascii_lowercase(), i))
            .collect();
        for column in required {
            if !map.contains_key(*column) {
                return Err(StationsError::MissingColumn {
                    file: self.file.clone(),
                    column: (*column).to_owned(),
                    found: self.header.join(", "),
                });
            }
        }
        Ok(map)
    }
}

/// One row being read: its fields by column name, with error reporting.
struct Row<'a> {
    file: &'a str,
    line: usize,
    fields: &'a [Option<String>],
    columns: &'a HashMap<String, usize>,
}

impl Row<'_> {
    fn text(&self, column: &str) -> Option<&str> {
        self.columns
            .get(column)
            .and_then(|&i| self.fields.get(i))
            .and_then(|f| f.as_deref())
    }

    fn error(&self, column: &str, expected: &str, found: &str) -> StationsError {
        StationsError::Field {
            file: self.file.to_owned(),
            line: self.line,
            field: column.to_owned(),
            expected: expected.to_owned(),
            found: found.to_owned(),
        }
    }

    fn required(&self, column: &str) -> Result<&str, StationsError> {
        self.text(column)
            .ok_or_else(|| self.error(column, "a value", ""))
    }

    fn parsed<T>(
        &self,
        column: &str,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, StationsError> {
        match self.text(column) {
            None => Ok(None),
            Some(t) => parse(t)
                .map(Some)
                .ok_or_else(|| self.error(column, expected, t)),
        }
    }

    fn number(&self, column: &str, min: f64, max: f64) -> Result<Option<f64>, StationsError> {
        let expected = format!("a number from {min} to {max}");
        self.parsed(column, &expected, |t| {
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && (min..=max).contains(v))
        })
    }

    fn date(&self, column: &str) -> Result<Option<NaiveDate>, StationsError> {
        self.parsed(column, "a date YYYY-MM-DD", |t| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
        })
    }
}

fn assignment(
    row: &Row<'_>,
    operators: &BTreeMap<String, Operator>,
    protection: &ProtectionDefaults,
) -> Result<Assignment, StationsError> {
    let id = row.required("id")?.to_owned();
    let operator = row.required("operator")?.to_owned();
    if !operators.is_empty() && !operators.contains_key(&operator) {
        return Err(row.error("operator", "an operator of the operators file", &operator));
    }
    let service_text = row.required("service")?;
    let service = RadioService::lookup(service_text).ok_or_else(|| {
        row.error(
            "service",
            "a radio service of RR Article 1 (e.g. land_mobile, fixed, broadcasting)",
            service_text,
        )
    })?;
    let lat_deg = row
        .number("lat_deg", -90.0, 90.0)?
        .ok_or_else(|| row.error("lat_deg", "a value", ""))?;
    let lon_deg = row
        .number("lon_deg", -180.0, 180.0)?
        .ok_or_else(|| row.error("lon_deg", "a value", ""))?;
    let antenna_height_m = row
        .number("antenna_height_m", 0.0, 3000.0)?
        .ok_or_else(|| row.error("antenna_height_m", "a value", ""))?;
    let freq_text = row.required("freq_hz")?;
    let freq_hz = freq_text
        .parse::<u64>()
        .ok()
        .filter(|&f| f > 0)
        .ok_or_else(|| row.error("freq_hz", "a whole number of hertz above 0", freq_text))?;
    let emission_text = row.required("emission")?;
    let emission = Emission::parse(emission_text).map_err(|e| {
        row.error(
            "emission",
            &format!("an emission designator ({e})"),
            emission_text,
        )
    })?;
    let direction = row
        .parsed("direction", "tx, rx or txrx", Direction::parse)?
        .unwrap_or(Direction::TxRx);
    let gain_dbi = row.number("gain_dbi", -50.0, 80.0)?.unwrap_or(0.0);
    let eirp_given = row.number("eirp_dbm", -100.0, 150.0)?;
    let tx_power = row.number("tx_power_dbm", -100.0, 120.0)?;
    let feeder_loss_db = row.number("feeder_loss_db", 0.0, 100.0)?.unwrap_or(0.0);
    let eirp_dbm = eirp_given.or(tx_power.map(|p| p - feeder_loss_db + gain_dbi));
    if direction.transmits() && eirp_dbm.is_none() {
        return Err(row.error(
            "eirp_dbm",
            "an EIRP (or tx_power_dbm) for a transmitter",
            "",
        ));
    }
    let category = row.parsed("category", "government or civil", |t| {
        Category::parse(t).filter(|c| *c != Category::Joint)
    })?;
    let valid_from = row.date("valid_from")?;
    let valid_to = row.date("valid_to")?;
    if let (Some(from), Some(to)) = (valid_from, valid_to)
        && to < from
    {
        return Err(row.error(
            "valid_to",
            &format!("a date on or after valid_from {from}"),
            &to.to_string(),
        ));
    }
    let protection_i_n_db = row
        .number("protection_i_n_db", -60.0, 30.0)?
        .unwrap_or_else(|| protection.i_n_db(service));
    Ok(Assignment {
        id,
        operator,
        station: Station {
            site: Site {
                lat_deg,
                lon_deg,
                ground_m: row.number("ground_m", -500.0, 9000.0)?,
            },
            direction,
            antenna_height_m,
            gain_dbi,
            pattern: row.text("antenna").map(str::to_owned),
            azimuth_deg: row.number("azimuth_deg", 0.0, 360.0)?.unwrap_or(0.0),
            tilt_deg: row.number("tilt_deg", -90.0, 90.0)?.unwrap_or(0.0),
            polarisation: row.parsed(
                "polarisation",
                "h, v, x, rhcp or lhcp",
                Polarisation::parse,
            )?,
            eirp_dbm,
            noise_figure_db: row.number("noise_figure_db", 0.0, 40.0)?,
        },
        freq_hz,
        emission,
        service,
        category,
        status: row
            .parsed(
                "status",
                "planned, licensed or suspended",
                AssignmentStatus::parse,
            )?
            .unwrap_or(AssignmentStatus::Licensed),
        valid_from,
        valid_to,
        licence: row.text("licence").map(str::to_owned),
        protection_i_n_db,
        line: row.line,
    })
}

/// Reads an operators file (CSV or Parquet: `name, kind, user[, state_share_pct]`).
///
/// A national operator needs a state share of at least 80 %; names are unique.
pub fn read_operators(path: &Path) -> Result<BTreeMap<String, Operator>, StationsError> {
    let table = TextTable::read(path)?;
    let columns = table.columns(&OPERATOR_COLUMNS[..3])?;
    let mut out = BTreeMap::new();
    let mut lines: HashMap<String, usize> = HashMap::new();
    for (line, fields) in &table.rows {
        let row = Row {
            file: &table.file,
            line: *line,
            fields,
            columns: &columns,
        };
        let operator = operator_row(&row)?;
        if let Some(first) = lines.insert(operator.name.clone(), *line) {
            return Err(row.error(
                "name",
                &format!("a name not used before (line {first} has it)"),
                &operator.name,
            ));
        }
        out.insert(operator.name.clone(), operator);
    }
    Ok(out)
}

fn operator_row(row: &Row<'_>) -> Result<Operator, StationsError> {
    let name = row.required("name")?.to_owned();
    let kind = row
        .parsed("kind", "network, virtual or national", OperatorKind::parse)?
        .ok_or_else(|| row.error("kind", "network, virtual or national", ""))?;
    let user = row
        .parsed("user", "government or civil", UserKind::parse)?
        .ok_or_else(|| row.error("user", "government or civil", ""))?;
    let state_share_pct = row.number("state_share_pct", 0.0, 100.0)?;
    if kind == OperatorKind::National
        && state_share_pct.is_none_or(|s| s < NATIONAL_STATE_SHARE_MIN_PCT)
    {
        return Err(row.error(
            "state_share_pct",
            "a state share of at least 80 % for a national operator",
            &state_share_pct.map_or(String::new(), |s| s.to_string()),
        ));
    }
    Ok(Operator {
        name,
        kind,
        user,
        state_share_pct,
    })
}

/// Reads a register file (CSV or Parquet), with an optional operators file.
///
/// Identifiers are unique; with an operators file every assignment's
/// operator must be in it. The first problem is returned, naming file, line
/// and field, and no register.
pub fn read_register(
    path: &Path,
    operators: Option<&Path>,
    protection: &ProtectionDefaults,
) -> Result<Register, StationsError> {
    let operators = match operators {
        Some(p) => read_operators(p)?,
        None => BTreeMap::new(),
    };
    let table = TextTable::read(path)?;
    let columns = table.columns(&REQUIRED_COLUMNS)?;
    let mut assignments = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(table.rows.len());
    for (line, fields) in &table.rows {
        let row = Row {
            file: &table.file,
            line: *line,
            fields,
            columns: &columns,
        };
        let a = assignment(&row, &operators, protection)?;
        if let Some(first) = seen.insert(a.id.clone(), *line) {
            return Err(row.error(
                "id",
                &format!("an id not used before (line {first} has it)"),
                &a.id,
            ));
        }
        assignments.push(a);
    }
    Ok(Register {
        operators,
        assignments,
    })
}
