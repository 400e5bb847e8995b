//! `spectra.Table`: the national table of frequency allocations
//! (`allocation_table`) — load, query, validate, diff, convert, export.
//! Queries answer the open view by default, as the CLI does; reports are the
//! same Python objects as the CLI's `--json` output.

use std::path::PathBuf;

use allocation_table::convert::Conversion;
use allocation_table::load::{Loaded, load};
use allocation_table::request::{self, BandQuery};
use allocation_table::sink::{self, PublishRequest};
use allocation_table::{Audience, Category};
use pyo3::prelude::*;

use crate::arrow_io::ArrowTable;
use crate::convert::{date, freq_hz, to_object};
use crate::errors::{PyResultExt, refused};

fn audience(name: &str) -> PyResult<Audience> {
    match name {
        "open" => Ok(Audience::Open),
        "internal" => Ok(Audience::Internal),
        other => Err(refused(format!(
            "audience: expected \"open\" or \"internal\", found {other:?}"
        ))),
    }
}

fn category(name: &str, what: &str) -> PyResult<Category> {
    Category::parse(name).ok_or_else(|| {
        refused(format!(
            "{what}: expected a category of use (government, civil or joint), found {name:?}"
        ))
    })
}

/// A national table of frequency allocations.
///
/// ```python
/// t = spectra.Table.load("ntfa.ntfa")
/// t.at("435 MHz")            # bands containing 435 MHz (open view)
/// t.validate()["findings"]   # problems of the source file
/// ```
#[pyclass(module = "spectra", name = "Table")]
pub struct Table {
    loaded: Loaded,
    source: String,
}

#[pymethods]
impl Table {
    /// Loads a table: a native `.ntfa` file, a Parquet export or an
    /// EarthFrequencies TSV directory.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Table> {
        let loaded = py.detach(|| load(&path)).py_err()?;
        Ok(Table {
            loaded,
            source: path.display().to_string(),
        })
    }

    /// Number of bands.
    fn __len__(&self) -> usize {
        self.loaded.table.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Table({:?}, {} bands)",
            self.source,
            self.loaded.table.len()
        )
    }

    /// The table's metadata (country, name, ITU region, edition, …).
    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let m = &self.loaded.table.metadata;
        to_object(
            py,
            &serde_json::json!({
                "country": m.country,
                "name": m.name,
                "itu_region": m.itu_region,
                "edition": m.edition,
                "effective_date": m.effective_date,
                "source": m.source,
            }),
        )
    }

    /// Bands containing a frequency (whole Hz or text such as `"435 MHz"`):
    /// the report of `spectra table at --json`.
    #[pyo3(signature = (freq, audience="open"))]
    fn at<'py>(
        &self,
        py: Python<'py>,
        freq: &Bound<'py, PyAny>,
        audience: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = BandQuery::At(freq_hz(freq, "freq")?);
        self.bands(py, audience, &q)
    }

    /// Bands meeting the closed range [`lower`, `upper`] (either order).
    #[pyo3(signature = (lower, upper, audience="open"))]
    fn range<'py>(
        &self,
        py: Python<'py>,
        lower: &Bound<'py, PyAny>,
        upper: &Bound<'py, PyAny>,
        audience: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = BandQuery::Range(freq_hz(lower, "lower")?, freq_hz(upper, "upper")?);
        self.bands(py, audience, &q)
    }

    /// Bands where a radio service (name or id) is allocated.
    #[pyo3(signature = (name, primary_only=false, audience="open"))]
    fn service<'py>(
        &self,
        py: Python<'py>,
        name: String,
        primary_only: bool,
        audience: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = BandQuery::Service { name, primary_only };
        self.bands(py, audience, &q)
    }

    /// The findings of the source file: `{"bands": n, "findings": [...]}`,
    /// as `spectra table validate --json`.
    fn validate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_object(py, &request::validate_table(&self.loaded))
    }

    /// The findings as an Arrow table (columns line, kind, lower_hz,
    /// upper_hz, message), ready for polars / pyarrow / DuckDB.
    fn findings(&self) -> PyResult<ArrowTable> {
        use arrow::array::{RecordBatch, StringArray, UInt64Array};
        use arrow::datatypes::{DataType, Field, Schema};
        use std::sync::Arc;
        let report = request::validate_table(&self.loaded);
        let f = &report.findings;
        let schema = Arc::new(Schema::new(vec![
            Field::new("line", DataType::UInt64, false),
            Field::new("kind", DataType::Utf8, false),
            Field::new("lower_hz", DataType::UInt64, false),
            Field::new("upper_hz", DataType::UInt64, false),
            Field::new("message", DataType::Utf8, false),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(UInt64Array::from_iter_values(
                    f.iter().map(|x| x.line as u64),
                )),
                Arc::new(StringArray::from_iter_values(
                    f.iter().map(|x| x.kind.name()),
                )),
                Arc::new(UInt64Array::from_iter_values(f.iter().map(|x| x.lower_hz))),
                Arc::new(UInt64Array::from_iter_values(f.iter().map(|x| x.upper_hz))),
                Arc::new(StringArray::from_iter_values(
                    f.iter().map(|x| x.message.as_str()),
                )),
            ],
        )
        .py_err()?;
        Ok(ArrowTable::one(batch))
    }

    /// Band-aligned differences from this table to `other`, as
    /// `spectra table diff --json`.
    #[pyo3(signature = (other, audience="open"))]
    fn diff<'py>(
        &self,
        py: Python<'py>,
        other: &Table,
        audience: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a = crate::table::audience(audience)?;
        to_object(
            py,
            &request::diff_tables(&self.loaded.table, &other.loaded.table, a),
        )
    }

    /// Converts [`lower`, `upper`) from one category of use to another (only
    /// government→civil, government→joint, joint→civil are conversions) and
    /// returns the decision recorded in the table's journal. The table is
    /// unchanged when the conversion is refused.
    #[pyo3(signature = (lower, upper, from_category, to_category, reference, authority, effective_date))]
    #[allow(clippy::too_many_arguments)]
    fn convert<'py>(
        &mut self,
        py: Python<'py>,
        lower: &Bound<'py, PyAny>,
        upper: &Bound<'py, PyAny>,
        from_category: &str,
        to_category: &str,
        reference: String,
        authority: String,
        effective_date: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let c = Conversion {
            lower_hz: freq_hz(lower, "lower")?,
            upper_hz: freq_hz(upper, "upper")?,
            from: category(from_category, "from_category")?,
            to: category(to_category, "to_category")?,
            reference,
            authority,
            effective_date: date(effective_date, "effective_date")?,
        };
        let decision = self.loaded.table.convert(&c).py_err()?.clone();
        to_object(py, &decision)
    }

    /// The decision journal as the audience may see it: `{"decisions": [...]}`,
    /// as `spectra table history --json`.
    #[pyo3(signature = (audience="open"))]
    fn history<'py>(&self, py: Python<'py>, audience: &str) -> PyResult<Bound<'py, PyAny>> {
        let a = crate::table::audience(audience)?;
        to_object(py, &request::journal(&self.loaded.table, a))
    }

    /// The table as it stood on a date (later conversions undone).
    fn as_of(&self, day: &Bound<'_, PyAny>) -> PyResult<Table> {
        let d = date(day, "date")?;
        Ok(Table {
            loaded: Loaded {
                table: self.loaded.table.as_of(d),
                issues: Vec::new(),
            },
            source: format!("{} as of {d}", self.source),
        })
    }

    /// The table's bands as an Arrow table: the same columns as the Parquet
    /// export (`spectra table export --out x.parquet`).
    #[pyo3(signature = (audience="open"))]
    fn to_arrow(&self, audience: &str) -> PyResult<ArrowTable> {
        let p =
            allocation_table::publish::view(&self.loaded.table, crate::table::audience(audience)?);
        let batch = allocation_table::export::to_record_batch(&p).py_err()?;
        Ok(ArrowTable::one(batch))
    }

    /// Writes the table by the extension of `path` (`.csv`, `.json`,
    /// `.parquet`, `.ntfa`, `.png`, `.svg`), atomically, for an audience.
    #[pyo3(signature = (path, audience="open", merged=false))]
    fn export(&self, py: Python<'_>, path: PathBuf, audience: &str, merged: bool) -> PyResult<()> {
        if sink::is_stdout(&path) {
            return Err(refused(
                "path: expected a file to write, found \"-\" (standard output is the CLI's)",
            ));
        }
        let source = PathBuf::from(&self.source);
        tabular::check_output(&path, &[source.as_path()]).py_err()?;
        let req = PublishRequest {
            out: path,
            format: None,
            audience: crate::table::audience(audience)?,
            merged,
        };
        let table = &self.loaded.table;
        py.detach(|| sink::publish(table, &req)).py_err()?;
        Ok(())
    }
}

impl Table {
    fn bands<'py>(
        &self,
        py: Python<'py>,
        audience: &str,
        q: &BandQuery,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a = crate::table::audience(audience)?;
        to_object(py, &request::query_bands(&self.loaded.table, a, q))
    }
}
