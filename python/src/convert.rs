//! Small conversions between Python values and the libraries' types: reports
//! to Python objects (through their JSON, so a binding returns exactly what
//! the CLI prints with `--json`), frequencies given as hertz or as text,
//! dates, and scalars-or-arrays of numbers.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use serde::Serialize;

use crate::errors::refused;

/// A serialisable report as the Python object its JSON reads as.
pub fn to_object<'py>(py: Python<'py>, value: &impl Serialize) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| refused(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// A frequency in whole hertz: an `int` (Hz) or text with a unit (`"435 MHz"`).
pub fn freq_hz(value: &Bound<'_, PyAny>, what: &str) -> PyResult<u64> {
    if let Ok(hz) = value.extract::<i128>() {
        return u64::try_from(hz).map_err(|_| {
            refused(format!(
                "{what}: expected a frequency in whole hertz ≥ 0, found {hz}"
            ))
        });
    }
    if let Ok(text) = value.extract::<String>() {
        return allocation_table::freq::parse_freq_hz(&text)
            .map_err(|e| refused(format!("{what}: {e}")));
    }
    Err(refused(format!(
        "{what}: expected whole hertz (int) or text with a unit such as \"435 MHz\", found {}",
        value.get_type().name()?
    )))
}

/// A date from `datetime.date` (or `datetime.datetime`: its date) or
/// `YYYY-MM-DD` text.
pub fn date(value: &Bound<'_, PyAny>, what: &str) -> PyResult<chrono::NaiveDate> {
    let text: String = if let Ok(t) = value.extract::<String>() {
        t
    } else if value.hasattr("isoformat")? && value.hasattr("year")? {
        let iso: String = value.call_method0("isoformat")?.extract()?;
        iso.chars().take(10).collect()
    } else {
        return Err(refused(format!(
            "{what}: expected a date (datetime.date or YYYY-MM-DD text), found {}",
            value.get_type().name()?
        )));
    };
    chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
        refused(format!(
            "{what}: expected a date YYYY-MM-DD, found {text:?}"
        ))
    })
}

/// One numeric argument of a vectorised function: a scalar, or a 1-D
/// array (numpy, or anything `numpy.asarray` turns into float64).
pub enum Numbers {
    /// The same value for every element.
    Scalar(f64),
    /// One value per element.
    Array(Vec<f64>),
}

impl Numbers {
    /// Reads a number (a Python or numpy scalar, a 0-d array) or a 1-D array
    /// of numbers (numpy, a list, anything `numpy.asarray` reads as float64).
    pub fn read(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Numbers> {
        let np = value.py().import("numpy")?;
        let is_array = value.is_instance(&np.getattr("ndarray")?)?
            || value.is_instance_of::<pyo3::types::PyList>()
            || value.is_instance_of::<pyo3::types::PyTuple>();
        if !is_array && let Ok(v) = value.extract::<f64>() {
            return Ok(Numbers::Scalar(v));
        }
        let array = np
            .call_method1("asarray", (value, "float64"))
            .map_err(|e| {
                refused(format!(
                    "{what}: expected a number or a 1-D array of numbers ({e})"
                ))
            })?;
        let ndim: usize = array.getattr("ndim")?.extract()?;
        if ndim == 0 {
            return Ok(Numbers::Scalar(array.call_method0("item")?.extract()?));
        }
        let array: PyReadonlyArray1<'_, f64> = array.extract().map_err(|_| {
            refused(format!(
                "{what}: expected a number or a 1-D array of numbers, found an array of {ndim} dimensions"
            ))
        })?;
        Ok(Numbers::Array(array.as_array().iter().copied().collect()))
    }

    /// The length this argument imposes (`None` for a scalar).
    pub fn length(&self) -> Option<usize> {
        match self {
            Numbers::Scalar(_) => None,
            Numbers::Array(v) => Some(v.len()),
        }
    }

    /// Element `i` (a scalar is the same everywhere).
    #[inline]
    pub fn at(&self, i: usize) -> f64 {
        match self {
            Numbers::Scalar(v) => *v,
            Numbers::Array(v) => v[i],
        }
    }
}

/// A 1-D float64 array argument (a numpy array, a list, anything
/// `numpy.asarray` reads) as a vector.
pub fn float_vec(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<f64>> {
    match Numbers::read(value, what)? {
        Numbers::Array(v) => Ok(v),
        Numbers::Scalar(v) => Err(refused(format!(
            "{what}: expected a 1-D array of numbers, found the single number {v}"
        ))),
    }
}

/// The common length of broadcast arguments: every array must have the same
/// length; all scalars give one element.
pub fn broadcast_len(args: &[(&str, &Numbers)]) -> PyResult<usize> {
    let mut n: Option<(usize, &str)> = None;
    for (name, a) in args {
        if let Some(len) = a.length() {
            match n {
                Some((m, first)) if m != len => {
                    return Err(refused(format!(
                        "expected arrays of one length: {first} has {m} values, {name} has {len}"
                    )));
                }
                None => n = Some((len, name)),
                _ => {}
            }
        }
    }
    Ok(n.map_or(1, |(len, _)| len))
}

/// A float64 numpy array owning `values`.
pub fn numpy_f64(py: Python<'_>, values: Vec<f64>) -> Bound<'_, PyArray1<f64>> {
    PyArray1::from_vec(py, values)
}
