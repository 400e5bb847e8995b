//! Running a model over broadcast arguments: every numeric argument is a
//! scalar or a 1-D array of one common length; elements are computed on
//! all cores (rayon) with the GIL released, and each element's result is
//! the one a scalar call gives (same bits whatever the thread count). The
//! first refused element raises, naming its index.

use pyo3::prelude::*;
use rayon::prelude::*;
use spectrum_core::units::Frequency;

use crate::convert::{Numbers, broadcast_len, numpy_f64};
use crate::errors::refused;

/// Runs `f` for every element; a float when every argument is a scalar,
/// else a float64 numpy array.
pub fn run<'py>(
    py: Python<'py>,
    args: &[(&str, &Numbers)],
    f: impl Fn(usize) -> Result<f64, String> + Sync,
) -> PyResult<Bound<'py, PyAny>> {
    let n = broadcast_len(args)?;
    let scalar = args.iter().all(|(_, a)| a.length().is_none());
    let values = py.detach(|| collect(n, &f));
    let values = values.map_err(refused)?;
    if scalar {
        Ok(values[0].into_pyobject(py)?.into_any())
    } else {
        Ok(numpy_f64(py, values).into_any())
    }
}

/// `f` over `0..n` in parallel, or the first error (lowest index) with it.
pub fn collect(
    n: usize,
    f: &(impl Fn(usize) -> Result<f64, String> + Sync),
) -> Result<Vec<f64>, String> {
    let results: Vec<Result<f64, String>> = (0..n).into_par_iter().map(f).collect();
    let mut out = Vec::with_capacity(n);
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(v) if v.is_finite() => out.push(v),
            Ok(v) => {
                return Err(element(
                    n,
                    i,
                    format!(
                        "the inputs give a non-finite result ({v}); check that they are within the model's domain"
                    ),
                ));
            }
            Err(e) => return Err(element(n, i, e)),
        }
    }
    Ok(out)
}

fn element(n: usize, i: usize, message: String) -> String {
    if n == 1 {
        message
    } else {
        format!("element {i}: {message}")
    }
}

/// A frequency in MHz quantised to whole hertz, as the CLI reads it (a
/// frequency crosses crate boundaries as exact hertz).
pub fn mhz(freq_mhz: f64) -> Result<f64, String> {
    Frequency::from_mhz_f64(freq_mhz)
        .map(Frequency::mhz)
        .map_err(|e| format!("freq_mhz: {e}"))
}

/// A frequency in GHz quantised to whole hertz, as the CLI reads it.
pub fn ghz(freq_ghz: f64) -> Result<f64, String> {
    Frequency::from_mhz_f64(freq_ghz * 1000.0)
        .map(Frequency::ghz)
        .map_err(|_| {
            format!("freq_ghz: expected a frequency > 0 and at most 3000 GHz, found {freq_ghz} GHz")
        })
}
