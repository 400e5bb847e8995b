//! Arrow in and out of Python through the Arrow C Data Interface and the
//! Arrow PyCapsule Interface (`__arrow_c_array__`, `__arrow_c_stream__`):
//! pyarrow arrays, chunked arrays and tables, polars Series and DataFrames
//! and DuckDB relations all hand their columns over without a copy, and
//! every table this package returns ([`ArrowTable`]) is read the same way by
//! `pyarrow.table(…)`, `polars.DataFrame(…)` or DuckDB.

use std::ffi::CStr;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, RecordBatch, RecordBatchIterator, StringArray, StructArray};
use arrow::datatypes::{DataType, SchemaRef};
use arrow::ffi::{FFI_ArrowArray, FFI_ArrowSchema, from_ffi};
use arrow::ffi_stream::{ArrayStreamReader, FFI_ArrowArrayStream};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};

use crate::errors::{PyResultExt, refused};

const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";
const STREAM: &CStr = c"arrow_array_stream";

/// The chunks of one column of `obj`: an Arrow array or chunked array, a
/// Series, or a table / DataFrame / relation with a column named `column`
/// (without `column`: its only column, else the column named `default`).
/// Anything else is refused with what was expected.
pub fn column_chunks(
    obj: &Bound<'_, PyAny>,
    column: Option<&str>,
    default: &str,
) -> PyResult<Vec<ArrayRef>> {
    let chunks = if obj.hasattr("__arrow_c_array__")? {
        vec![import_array(obj)?]
    } else if obj.hasattr("__arrow_c_stream__")? {
        import_stream(obj)?
    } else if let Ok(values) = obj.extract::<Vec<Option<String>>>() {
        // A plain list of str (None for missing): convenient for small inputs.
        vec![Arc::new(StringArray::from(values)) as ArrayRef]
    } else {
        return Err(refused(format!(
            "expected an Arrow array, chunked array, table, polars Series/DataFrame, DuckDB relation \
             (an object with __arrow_c_array__ or __arrow_c_stream__) or a list of str, found {}",
            obj.get_type().name()?
        )));
    };
    chunks
        .into_iter()
        .map(|a| pick_column(a, column, default))
        .collect()
}

/// The column of a struct array (a table's batch), or the array itself.
fn pick_column(array: ArrayRef, column: Option<&str>, default: &str) -> PyResult<ArrayRef> {
    let DataType::Struct(fields) = array.data_type() else {
        if let Some(name) = column {
            return Err(refused(format!(
                "column={name:?} names a column of a table, but the input is a single {} column",
                array.data_type()
            )));
        }
        return Ok(array);
    };
    let Some(s) = array.as_any().downcast_ref::<StructArray>() else {
        return Err(refused(
            "a struct-typed Arrow array that is not a StructArray",
        ));
    };
    let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
    let index = match column {
        Some(name) => names.iter().position(|n| *n == name).ok_or_else(|| {
            refused(format!(
                "expected a column named {name:?}, found the columns {names:?}"
            ))
        })?,
        None if names.len() == 1 => 0,
        None => names.iter().position(|n| *n == default).ok_or_else(|| {
            refused(format!(
                "the table has {} columns {names:?} and none named {default:?}: name the one to use (column=…)",
                names.len()
            ))
        })?,
    };
    if s.null_count() > 0 {
        return Err(refused(
            "the table has null rows (a null struct): expected rows of values",
        ));
    }
    Ok(s.column(index).clone())
}

#[allow(unsafe_code)]
fn import_array(obj: &Bound<'_, PyAny>) -> PyResult<ArrayRef> {
    let pair = obj.call_method0("__arrow_c_array__")?;
    let pair = pair.cast::<PyTuple>()?;
    let schema = pair.get_item(0)?;
    let schema = schema.cast::<PyCapsule>()?;
    let array = pair.get_item(1)?;
    let array = array.cast::<PyCapsule>()?;
    let schema_ptr = schema
        .pointer_checked(Some(SCHEMA))?
        .cast::<FFI_ArrowSchema>();
    let array_ptr = array.pointer_checked(Some(ARRAY))?.cast::<FFI_ArrowArray>();
    // SAFETY: the capsules are named as the PyCapsule Interface requires, so
    // they hold an FFI_ArrowSchema and an FFI_ArrowArray. A capsule whose
    // array was already moved out (its release callback NULL) is refused
    // before anything reads its buffers; otherwise the array is moved out
    // (release left NULL in the capsule, as the protocol asks of a consumer)
    // and the schema only borrowed while its capsule is alive.
    if unsafe { array_ptr.as_ref() }.is_released() {
        return Err(refused(
            "the Arrow array capsule was already consumed (an array can be imported once)",
        ));
    }
    // SAFETY: see above.
    let data = unsafe {
        let ffi_array = FFI_ArrowArray::from_raw(array_ptr.as_ptr());
        from_ffi(ffi_array, schema_ptr.as_ref())
    }
    .py_err()?;
    Ok(arrow::array::make_array(data))
}

#[allow(unsafe_code)]
fn import_stream(obj: &Bound<'_, PyAny>) -> PyResult<Vec<ArrayRef>> {
    let capsule = obj.call_method0("__arrow_c_stream__")?;
    let capsule = capsule.cast::<PyCapsule>()?;
    let ptr = capsule
        .pointer_checked(Some(STREAM))?
        .cast::<FFI_ArrowArrayStream>();
    // SAFETY: a capsule named "arrow_array_stream" holds an
    // FFI_ArrowArrayStream; a released one (moved out before) or one without
    // its callbacks is refused; otherwise it is moved out (release left NULL
    // in the capsule).
    let stream = unsafe { ptr.as_ref() };
    // SAFETY (below): checked just above, the stream is live and complete.
    if stream.release().is_none() || stream.get_next().is_none() || stream.get_schema().is_none() {
        return Err(refused(
            "the Arrow stream capsule was already consumed or has no callbacks",
        ));
    }
    let reader = unsafe { ArrayStreamReader::from_raw(ptr.as_ptr()) }.py_err()?;
    let mut chunks = Vec::new();
    for chunk in reader {
        chunks.push(chunk.py_err()?);
    }
    Ok(chunks)
}

/// Record batches handed to Python: any Arrow consumer reads them through
/// `__arrow_c_stream__` (`pyarrow.table(t)`, `polars.DataFrame(t)`,
/// `duckdb.sql("select * from t")`); `to_pyarrow()` and `to_polars()` are
/// shortcuts when those libraries are installed.
#[pyclass(module = "spectra", name = "ArrowTable", frozen)]
pub struct ArrowTable {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowTable {
    /// One batch.
    pub fn one(batch: RecordBatch) -> Self {
        Self {
            schema: batch.schema(),
            batches: vec![batch],
        }
    }

    /// Several batches of one schema.
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        Self { schema, batches }
    }
}

#[pymethods]
impl ArrowTable {
    /// Exports the batches as an Arrow C stream (the PyCapsule Interface).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let reader = RecordBatchIterator::new(
            self.batches.clone().into_iter().map(Ok),
            self.schema.clone(),
        );
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, STREAM)
    }

    /// Number of rows.
    fn __len__(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The column names.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// As a `pyarrow.Table` (needs pyarrow).
    fn to_pyarrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let pa = slf.py().import("pyarrow")?;
        pa.call_method1("table", (slf,))
    }

    /// As a `polars.DataFrame` (needs polars).
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let pl = slf.py().import("polars")?;
        pl.call_method1("DataFrame", (slf,))
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowTable({} rows: {})",
            self.__len__(),
            self.column_names().join(", ")
        )
    }
}

/// A text column as Utf8, LargeUtf8 or Utf8View (a dictionary of text is
/// cast to Utf8); anything else is refused, naming what was found.
pub fn text_column(array: ArrayRef) -> PyResult<ArrayRef> {
    match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(array),
        DataType::Dictionary(_, value)
            if matches!(
                value.as_ref(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
        {
            arrow::compute::cast(&array, &DataType::Utf8).py_err()
        }
        other => Err(refused(format!(
            "expected a text column (IMEIs are text: leading zeros and 16-digit IMEISVs do not survive integers), found {other}"
        ))),
    }
}

/// Feeds the values of a column made by [`text_column`] to `f`, in row order
/// (`None` for a null).
pub fn for_each_text(array: &dyn Array, mut f: impl FnMut(Option<&[u8]>)) {
    use arrow::array::AsArray;
    match array.data_type() {
        DataType::Utf8 => array
            .as_string::<i32>()
            .iter()
            .for_each(|v| f(v.map(str::as_bytes))),
        DataType::LargeUtf8 => array
            .as_string::<i64>()
            .iter()
            .for_each(|v| f(v.map(str::as_bytes))),
        DataType::Utf8View => array
            .as_string_view()
            .iter()
            .for_each(|v| f(v.map(str::as_bytes))),
        _ => {}
    }
}
