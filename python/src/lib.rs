//! # spectra-python
//!
//! The extension module `spectra._spectra` of the Python package `spectra`
//! (pyo3, stable ABI from CPython 3.9; built by maturin from
//! `python/pyproject.toml`). It is a thin layer: every computation is a call
//! into the workspace's libraries, so a binding returns exactly what the CLI
//! prints for the same inputs.
//!
//! | module | what it binds |
//! |---|---|
//! | [`table`] | `Table`: load, at / range / service, validate, findings, diff, convert, as_of, to_arrow, export |
//! | [`profile`] | `Profile`: arrays, CSV, flat, from terrain |
//! | [`formulas`] | free space, Hata, P.2108, P.2109, P.676 — vectorised over numpy arrays |
//! | [`paths`] | the terrain-path models — [`paths::ntia`]: ITM, Extended Hata; [`paths::itu`]: P.452, P.1812 — dicts, and vectorised losses over profiles |
//! | [`imei`] | `classify`, `check_digit`, `Snapshot` (bulk check, info) over Arrow columns |
//! | [`coverage`] | `coverage(…)` → `CoverageMap` (numpy grids, geotransform, Arrow cells) |
//! | [`arrow_io`] | the Arrow PyCapsule Interface in and out (`ArrowTable`) |
//! | [`convert`], [`vectorised`], [`errors`] | argument conversion, broadcasting, `SpectraError` |

pub mod arrow_io;
pub mod convert;
pub mod coverage;
pub mod errors;
pub mod formulas;
pub mod imei;
pub mod p1546;
pub mod paths;
pub mod profile;
pub mod table;
pub mod vectorised;

use pyo3::prelude::*;

/// The extension module.
#[pymodule]
fn _spectra(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SpectraError", m.py().get_type::<errors::SpectraError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<arrow_io::ArrowTable>()?;
    m.add_class::<table::Table>()?;
    m.add_class::<profile::Profile>()?;
    m.add_class::<imei::Snapshot>()?;
    m.add_class::<coverage::CoverageMap>()?;
    m.add_function(wrap_pyfunction!(formulas::free_space_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(formulas::hata_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(formulas::p2108_terrestrial_db, m)?)?;
    m.add_function(wrap_pyfunction!(formulas::p2108_aeronautical_db, m)?)?;
    m.add_function(wrap_pyfunction!(formulas::p2108_height_gain_db, m)?)?;
    m.add_function(wrap_pyfunction!(formulas::p2109_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(formulas::p676_terrestrial_db, m)?)?;
    m.add_function(wrap_pyfunction!(formulas::p676_slant_db, m)?)?;
    m.add_function(wrap_pyfunction!(formulas::p528_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(p1546::p1546_field_dbuv_m, m)?)?;
    m.add_function(wrap_pyfunction!(p1546::p1546_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(paths::ntia::itm_p2p, m)?)?;
    m.add_function(wrap_pyfunction!(paths::ntia::itm_p2p_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(paths::ntia::itm_area_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(paths::ntia::ehata, m)?)?;
    m.add_function(wrap_pyfunction!(paths::ntia::ehata_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(paths::itu::p452, m)?)?;
    m.add_function(wrap_pyfunction!(paths::itu::p452_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(paths::itu::p1812, m)?)?;
    m.add_function(wrap_pyfunction!(paths::itu::p1812_loss_db, m)?)?;
    m.add_function(wrap_pyfunction!(imei::classify, m)?)?;
    m.add_function(wrap_pyfunction!(imei::check_digit, m)?)?;
    m.add_function(wrap_pyfunction!(coverage::coverage, m)?)?;
    Ok(())
}
