//! Coverage maps from Python: a `spectra_study::Study` built from keyword
//! arguments (the flags of `spectra coverage`), run on all cores with the
//! GIL released, returned as numpy grids with their georeferencing and as
//! the Arrow cells `spectra coverage` writes to Parquet.

use std::path::PathBuf;

use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use spectra_study::{ModelChoice, Study, StudyError, StudyResult};
use spectrum_core::coverage::{
    AntennaPattern, Area, CoverageError, Ehata, Hata, Itm, P1546, P1812, Scenario, Transmitter,
};
use spectrum_core::geodesy::GeoPoint;
use spectrum_core::p1546::RxArea;
use spectrum_core::units::Frequency;

use crate::arrow_io::ArrowTable;
use crate::convert::to_object;
use crate::errors::{PyResultExt, refused};
use crate::profile::terrain_source;

fn model(
    name: &str,
    site: GeoPoint,
    itm_pct: (f64, f64, f64),
    itm_exact: bool,
    p1812_pct: (f64, f64),
    p1546_pct: (f64, f64),
    p1546_area: &str,
) -> PyResult<ModelChoice> {
    Ok(match name {
        "itm" => ModelChoice::Itm(Itm {
            time_pct: itm_pct.0,
            location_pct: itm_pct.1,
            situation_pct: itm_pct.2,
            exact: itm_exact,
            ..Itm::default()
        }),
        "free-space" => ModelChoice::FreeSpace,
        "hata" => ModelChoice::Hata(Hata::default()),
        "ehata" => ModelChoice::Ehata(Ehata::default()),
        "p1812" => ModelChoice::P1812(P1812 {
            time_pct: p1812_pct.0,
            location_pct: p1812_pct.1,
            centre_lat_deg: site.lat_deg,
            ..P1812::default()
        }),
        "p1546" => ModelChoice::P1546(P1546 {
            time_pct: p1546_pct.0,
            location_pct: p1546_pct.1,
            rx_area: RxArea::from_name(p1546_area).ok_or_else(|| {
                refused(format!(
                    "p1546_area: expected rural, suburban, urban, dense-urban or sea, found {p1546_area:?}"
                ))
            })?,
            ..P1546::default()
        }),
        other => {
            return Err(refused(format!(
                "model: expected itm, free-space, hata, ehata, p1812 or p1546, found {other:?}"
            )));
        }
    })
}

/// The Python argument that sets a library field (`height_agl_m` → `height_m`).
fn argument_of(field: &str) -> &'static str {
    match field.split(' ').next().unwrap_or(field) {
        "site" => "site",
        "height_agl_m" => "height_m",
        "rx_height_m" => "rx_height_m",
        "freq" => "freq_mhz",
        "eirp_dbm" => "eirp_dbm",
        "rx_gain_dbi" => "rx_gain_dbi",
        "azimuth_deg" => "azimuth_deg",
        "downtilt_deg" => "downtilt_deg",
        "radius_km" => "radius_km",
        "resolution_m" => "resolution_m",
        "bbox" => "bbox",
        "terrain_step_m" => "terrain_step_m",
        "threads" => "threads",
        "cells" => "radius_km / bbox / resolution_m",
        f if f.starts_with("itm.") => "itm_percent",
        f if f.starts_with("p1812.") => "p1812_percent",
        f if f.starts_with("p1546.") => "p1546_percent",
        _ => "input",
    }
}

/// A study error as a `SpectraError`, naming the argument of an input out
/// of bounds.
fn study_error(e: &StudyError) -> PyErr {
    match e {
        StudyError::OutOfBounds(b) | StudyError::Coverage(CoverageError::OutOfBounds(b)) => {
            refused(format!("{}: {b}", argument_of(b.field)))
        }
        other => crate::errors::to_py(other),
    }
}

/// Computes a coverage map around a transmitter — the study
/// `spectra coverage` runs with the same arguments (as flags).
///
/// The area is `radius_km` around the site or `bbox=(south, west, north,
/// east)` in degrees, at `resolution_m`; terrain from `dem` (a directory of
/// SRTM / GeoTIFF tiles) or the synthetic relief. ITM maps evaluate the
/// cells of each radial together (equal to the exact mode to rounding);
/// `itm_exact=True` evaluates every cell as an independent path.
#[pyfunction]
#[pyo3(signature = (site, height_m, freq_mhz, eirp_dbm, *, rx_height_m=1.5, rx_gain_dbi=0.0, model="itm", radius_km=None, bbox=None, resolution_m=100.0, terrain_step_m=None, dem=None, missing="sea-level", itm_percent=(50.0, 50.0, 50.0), itm_exact=false, p1812_percent=(50.0, 50.0), p1546_percent=(50.0, 50.0), p1546_area="rural", azimuth_deg=0.0, downtilt_deg=0.0, pattern=None, threads=None))]
#[allow(clippy::too_many_arguments)]
pub fn coverage(
    py: Python<'_>,
    site: (f64, f64),
    height_m: f64,
    freq_mhz: f64,
    eirp_dbm: f64,
    rx_height_m: f64,
    rx_gain_dbi: f64,
    model: &str,
    radius_km: Option<f64>,
    bbox: Option<(f64, f64, f64, f64)>,
    resolution_m: f64,
    terrain_step_m: Option<f64>,
    dem: Option<PathBuf>,
    missing: &str,
    itm_percent: (f64, f64, f64),
    itm_exact: bool,
    p1812_percent: (f64, f64),
    p1546_percent: (f64, f64),
    p1546_area: &str,
    azimuth_deg: f64,
    downtilt_deg: f64,
    pattern: Option<PathBuf>,
    threads: Option<usize>,
) -> PyResult<CoverageMap> {
    let site = GeoPoint::new(site.0, site.1);
    let area = match (radius_km, bbox) {
        (Some(radius_km), None) => Area::Radius {
            radius_km,
            resolution_m,
        },
        (None, Some((south_deg, west_deg, north_deg, east_deg))) => Area::BoundingBox {
            south_deg,
            west_deg,
            north_deg,
            east_deg,
            resolution_m,
        },
        _ => {
            return Err(refused(
                "expected radius_km=… or bbox=(south, west, north, east), exactly one",
            ));
        }
    };
    let pattern = match pattern {
        Some(p) => AntennaPattern::read_msi(&p).py_err()?,
        None => AntennaPattern::omni(),
    };
    let study = Study {
        scenario: Scenario {
            tx: Transmitter {
                site,
                height_agl_m: height_m,
                freq: Frequency::from_mhz_f64(freq_mhz).py_err()?,
                eirp_dbm,
                pattern,
                azimuth_deg,
                downtilt_deg,
            },
            rx_height_m,
            rx_gain_dbi,
            area,
            terrain_step_m,
        },
        model: self::model(
            model,
            site,
            itm_percent,
            itm_exact,
            p1812_percent,
            p1546_percent,
            p1546_area,
        )?,
        terrain: terrain_source(dem, missing)?,
        threads,
    };
    study.validate().map_err(|e| study_error(&e))?;
    let result = py
        .detach(|| study.run(&|_, _| {}))
        .map_err(|e| study_error(&e))?;
    Ok(CoverageMap { result })
}

/// A computed coverage map: grids (rows from north to south, columns from
/// west to east; NaN outside the area) and their georeferencing in WGS 84.
#[pyclass(module = "spectra", name = "CoverageMap", frozen)]
pub struct CoverageMap {
    result: StudyResult,
}

impl CoverageMap {
    fn grid<'py>(&self, py: Python<'py>, values: &[f32]) -> PyResult<Bound<'py, PyAny>> {
        let g = &self.result.map.grid;
        let a = PyArray1::from_slice(py, values);
        Ok(a.reshape([g.height, g.width])?.into_any())
    }
}

#[pymethods]
impl CoverageMap {
    /// Basic transmission loss, dB, as a (rows, cols) float32 array.
    #[getter]
    fn loss_db<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.grid(py, &self.result.map.loss_db)
    }

    /// Field strength, dBµV/m, as a (rows, cols) float32 array.
    #[getter]
    fn field_strength_dbuv_per_m<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.grid(py, &self.result.map.field_strength_dbuv_per_m)
    }

    /// Received power, dBm, as a (rows, cols) float32 array.
    #[getter]
    fn rx_power_dbm<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.grid(py, &self.result.map.rx_power_dbm)
    }

    /// The affine transform in GDAL order: (west, dlon, 0, north, 0, -dlat),
    /// degrees — the one written in the map's GeoTIFF.
    #[getter]
    fn geotransform(&self) -> (f64, f64, f64, f64, f64, f64) {
        let g = &self.result.map.grid;
        (g.west_deg, g.dlon_deg, 0.0, g.north_deg, 0.0, -g.dlat_deg)
    }

    /// The coordinate reference system (`"EPSG:4326"`).
    #[getter]
    fn crs(&self) -> &'static str {
        "EPSG:4326"
    }

    /// (rows, cols).
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.result.map.grid.height, self.result.map.grid.width)
    }

    /// Model, edition, parameters, terrain and inputs, as written in the
    /// outputs' provenance.
    #[getter]
    fn provenance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let map: serde_json::Map<String, serde_json::Value> = self
            .result
            .provenance
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        to_object(py, &map)
    }

    /// What `spectra coverage --json` reports besides the files: radials,
    /// terrain step, terrain samples without data (sea level used), cells
    /// with model warnings, cells the model refused (left empty) and the
    /// first refusal, model name and edition.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let m = &self.result.map;
        to_object(
            py,
            &serde_json::json!({
                "model": m.model_name,
                "model_edition": m.model_edition,
                "cells": m.grid.width * m.grid.height,
                "valid_cells": m.valid_cells(),
                "n_radials": m.n_radials,
                "terrain_step_m": m.terrain_step_m,
                "missing_terrain_samples": m.missing_terrain_samples,
                "warned_cells": m.warned_cells,
                "failed_cells": m.failed_cells,
                "first_model_error": m.first_model_error,
                "dem": self.result.dem,
            }),
        )
    }

    /// Cells with a value as an Arrow table: row, col, lat_deg, lon_deg,
    /// loss_db, field_strength_dbuv_per_m, rx_power_dbm — the Parquet cells
    /// of `spectra coverage`.
    fn cells(&self) -> PyResult<ArrowTable> {
        Ok(ArrowTable::one(
            spectra_study::cells::to_record_batch(&self.result.map).py_err()?,
        ))
    }

    fn __repr__(&self) -> String {
        let m = &self.result.map;
        format!(
            "CoverageMap({}, {}×{} cells, {} radials)",
            m.model_name, m.grid.height, m.grid.width, m.n_radials
        )
    }
}
