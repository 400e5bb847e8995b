//! IMEIs from Python (`imei_core`): classification and the check digit
//! (3GPP TS 23.003) over Arrow columns, and the bulk check against an EIR
//! snapshot published by `spectra registry publish` — the same verdicts as
//! `spectra imei check` on the registry the snapshot was written from.
//! Columns come in through the Arrow C Data Interface without a copy (pyarrow,
//! polars, DuckDB); values must be text.

use std::path::PathBuf;
use std::sync::Arc;

use arrow::array::DictionaryArray;
use arrow::array::{
    ArrayRef, BooleanBuilder, Int8Array, RecordBatch, StringArray, StringBuilder, UInt64Array,
};
use arrow::datatypes::{DataType, Field, Int8Type, Schema};
use imei_core::check::{CheckContext, VerdictBuilder, verdict_fields};
use imei_core::findings::Findings;
use imei_core::identity::{self, ImeiClass, classify_bytes};
use imei_core::snapshot::Snapshot as EirSnapshot;
use pyo3::prelude::*;
use rayon::prelude::*;

use crate::arrow_io::{ArrowTable, column_chunks, for_each_text, text_column};
use crate::convert::{date, to_object};
use crate::errors::{PyResultExt, refused};

/// Rows per parallel work item of a check.
const ROWS_PER_TASK: usize = 1 << 16;

/// The text chunks of the IMEI column of `values` (no copy: the chunks are
/// the caller's Arrow buffers, a dictionary column is cast once).
fn read_values(values: &Bound<'_, PyAny>, column: Option<&str>) -> PyResult<Vec<ArrayRef>> {
    column_chunks(values, column, "imei")?
        .into_iter()
        .map(text_column)
        .collect()
}

/// The work items: (first row, slice of at most [`ROWS_PER_TASK`] rows), in order.
fn tasks(chunks: &[ArrayRef]) -> Vec<(u64, ArrayRef)> {
    let mut line = 0u64;
    let mut out = Vec::new();
    for chunk in chunks {
        let mut offset = 0;
        while offset < chunk.len() {
            let len = ROWS_PER_TASK.min(chunk.len() - offset);
            out.push((line, chunk.slice(offset, len)));
            line += len as u64;
            offset += len;
        }
    }
    out
}

/// Classifies every value of a text column (the input's `imei` column when
/// it is a table and `column` is not given): `row`, `key` (14-digit body),
/// `class`, `valid`, `check_digit_ok` (null without a check digit),
/// `software_version`, `tac` and `check_digit` (the Luhn digit of the body,
/// TS 23.003 annex B), one row per value, in order.
#[pyfunction]
#[pyo3(signature = (values, column=None))]
pub fn classify(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    column: Option<&str>,
) -> PyResult<ArrowTable> {
    let chunks = read_values(values, column)?;
    let schema = Arc::new(Schema::new(vec![
        Field::new("row", DataType::UInt64, false),
        Field::new("key", DataType::Utf8, true),
        Field::new(
            "class",
            DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8)),
            false,
        ),
        Field::new("valid", DataType::Boolean, false),
        Field::new("check_digit_ok", DataType::Boolean, true),
        Field::new("software_version", DataType::UInt8, true),
        Field::new("tac", DataType::Utf8, true),
        Field::new("check_digit", DataType::UInt8, true),
    ]));
    let batches = py.detach(|| {
        tasks(&chunks)
            .into_par_iter()
            .map(|(first, rows)| classify_batch(&schema, first, &rows))
            .collect::<Result<Vec<_>, _>>()
    });
    Ok(ArrowTable::new(schema.clone(), batches.py_err()?))
}

fn classify_batch(
    schema: &Arc<Schema>,
    first: u64,
    rows: &ArrayRef,
) -> Result<RecordBatch, arrow::error::ArrowError> {
    let n = rows.len();
    let mut key = StringBuilder::with_capacity(n, 14 * n);
    let mut class = Vec::with_capacity(n);
    let mut valid = BooleanBuilder::with_capacity(n);
    let mut cd = BooleanBuilder::with_capacity(n);
    let mut sv = arrow::array::UInt8Builder::with_capacity(n);
    let mut tac = StringBuilder::with_capacity(n, 8 * n);
    let mut luhn = arrow::array::UInt8Builder::with_capacity(n);
    for_each_text(rows.as_ref(), |v| {
        let p = classify_bytes(v.unwrap_or(b""));
        key.append_option(p.key.map(identity::format_key));
        class.push(p.class as i8);
        valid.append_value(p.is_well_formed());
        cd.append_option(p.check_digit_ok);
        sv.append_option(p.software_version);
        tac.append_option(p.tac().map(|t| format!("{t:08}")));
        luhn.append_option(p.key.map(identity::check_digit));
    });
    let classes = StringArray::from_iter_values(ImeiClass::ALL.iter().map(|c| c.name()));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(UInt64Array::from_iter_values(first..first + n as u64)),
        Arc::new(key.finish()),
        Arc::new(DictionaryArray::<Int8Type>::new(
            Int8Array::from(class),
            Arc::new(classes),
        )),
        Arc::new(valid.finish()),
        Arc::new(cd.finish()),
        Arc::new(sv.finish()),
        Arc::new(tac.finish()),
        Arc::new(luhn.finish()),
    ];
    RecordBatch::try_new(schema.clone(), columns)
}

/// The Luhn check digit of a 14-digit IMEI body (TS 23.003 annex B).
#[pyfunction]
pub fn check_digit(body: &str) -> PyResult<u8> {
    let digits = body.trim();
    if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(format!(
            "expected the 14-digit IMEI body (TAC and serial number), found {body:?}"
        )));
    }
    let key: u64 = digits
        .parse()
        .map_err(|_| refused("unreachable: 14 digits"))?;
    Ok(identity::check_digit(key))
}

/// An EIR snapshot (`spectra registry publish --out FILE`): statuses, TACs,
/// classification findings. Checks IMEIs exactly as `spectra imei check`
/// does on the registry it was published from.
#[pyclass(module = "spectra", name = "Snapshot", frozen)]
pub struct Snapshot {
    inner: EirSnapshot,
}

impl Snapshot {
    fn findings(&self, day: Option<&Bound<'_, PyAny>>) -> PyResult<Findings> {
        let d = match day {
            Some(d) => date(d, "date")?,
            None => chrono::Utc::now().date_naive(),
        };
        Ok(Findings::on(
            &self.inner.findings,
            d,
            &self.inner.meta.rule_version,
        ))
    }

    fn context<'a>(&'a self, findings: &'a Findings) -> CheckContext<'a> {
        CheckContext {
            index: &self.inner.index,
            tacs: (!self.inner.tacs.is_empty()).then_some(&self.inner.tacs),
            findings: Some(findings),
        }
    }
}

#[pymethods]
impl Snapshot {
    /// Reads a snapshot file (damaged or truncated files are refused).
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<Snapshot> {
        let inner = py.detach(|| EirSnapshot::read_path(&path)).py_err()?;
        Ok(Snapshot { inner })
    }

    /// What the snapshot says about itself (created_at, source, rule_version, …).
    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_object(py, &self.inner.meta)
    }

    /// Devices in the snapshot's index.
    fn __len__(&self) -> usize {
        self.inner.index.len()
    }

    /// Everything known about one IMEI on `date` (default today, UTC): the
    /// record `spectra imei info --json` prints.
    #[pyo3(signature = (imei, date=None))]
    fn info<'py>(
        &self,
        py: Python<'py>,
        imei: &str,
        date: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let findings = self.findings(date)?;
        to_object(py, &imei_core::check::info(imei, self.context(&findings)))
    }

    /// Bulk check of a text column: one row per value, in order, with the
    /// columns `row` (0-based) and the verdict columns of
    /// `spectra imei check` (key, class, valid, check_digit_ok, tac,
    /// tac_known, model, status, reason_codes, verdict, reason). Runs on all
    /// cores with the GIL released.
    #[pyo3(signature = (values, column=None, date=None))]
    fn check(
        &self,
        py: Python<'_>,
        values: &Bound<'_, PyAny>,
        column: Option<&str>,
        date: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ArrowTable> {
        let findings = self.findings(date)?;
        let chunks = read_values(values, column)?;
        let mut fields = vec![Field::new("row", DataType::UInt64, false)];
        fields.extend(verdict_fields());
        let schema = Arc::new(Schema::new(fields));
        let ctx = self.context(&findings);
        let batches = py.detach(|| {
            tasks(&chunks)
                .into_par_iter()
                .map(|(first, rows)| {
                    let mut b = VerdictBuilder::new(ctx, rows.len());
                    let mut line = first;
                    for_each_text(rows.as_ref(), |v| {
                        b.push(line, v);
                        line += 1;
                    });
                    let (line, mut cols, _) = b.finish();
                    cols.insert(0, line);
                    RecordBatch::try_new(schema.clone(), cols)
                })
                .collect::<Result<Vec<_>, _>>()
        });
        Ok(ArrowTable::new(schema.clone(), batches.py_err()?))
    }
}
