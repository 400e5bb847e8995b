//! `spectra.Profile`: a terrain profile between two terminals
//! (`spectrum_core::profile::PathProfile`), built from arrays, read from
//! the CLI's profile CSV, flat, or extracted from terrain (a DEM directory
//! or the seeded synthetic relief) along a WGS 84 geodesic.

use std::path::PathBuf;

use numpy::PyArray1;
use pyo3::prelude::*;
use spectra_study::TerrainSource;
use spectrum_core::geodesy::GeoPoint;
use spectrum_core::profile::{PathProfile, RadioClimaticZone};
use spectrum_core::terrain::MissingPolicy;

use crate::convert::float_vec;
use crate::errors::{PyResultExt, error_text, refused};

/// The missing-terrain policy by name (`"sea-level"` or `"error"`).
pub fn missing_policy(name: &str) -> PyResult<MissingPolicy> {
    match name {
        "sea-level" => Ok(MissingPolicy::SeaLevel),
        "error" => Ok(MissingPolicy::Error),
        other => Err(refused(format!(
            "missing: expected \"sea-level\" or \"error\", found {other:?}"
        ))),
    }
}

/// The terrain of a study or a profile: a DEM directory, else the synthetic relief.
pub fn terrain_source(dem: Option<PathBuf>, missing: &str) -> PyResult<TerrainSource> {
    let missing = missing_policy(missing)?;
    Ok(match dem {
        Some(dir) => TerrainSource::Dem { dir, missing },
        None => TerrainSource::SyntheticRelief { missing },
    })
}

/// A terrain profile: distances from the transmitter (km, increasing from 0),
/// terrain heights (m above sea level), optional clutter heights (m) and
/// radio-climatic zones (1 = A1 coastal land, 2 = A2 inland, 3 = B sea).
#[pyclass(module = "spectra", name = "Profile", frozen)]
#[derive(Clone)]
pub struct Profile {
    /// The profile.
    pub inner: PathProfile,
    /// Points with no terrain data (sea level used), from [`Profile::from_terrain`].
    missing: usize,
}

impl Profile {
    /// A profile whose heights are within the terrain bounds.
    fn checked(inner: PathProfile, missing: usize) -> PyResult<Profile> {
        spectrum_core::bounds::terrain_heights("heights_m", &inner.heights_m)
            .map_err(|e| refused(e.to_string()))?;
        Ok(Profile { inner, missing })
    }
}

#[pymethods]
impl Profile {
    #[new]
    #[pyo3(signature = (distances_km, heights_m, clutter_heights_m=None, zones=None))]
    fn new(
        distances_km: &Bound<'_, PyAny>,
        heights_m: &Bound<'_, PyAny>,
        clutter_heights_m: Option<&Bound<'_, PyAny>>,
        zones: Option<Vec<i64>>,
    ) -> PyResult<Profile> {
        let mut p = PathProfile::new(
            float_vec(distances_km, "distances_km")?,
            float_vec(heights_m, "heights_m")?,
        )
        .py_err()?;
        p.clutter_heights_m = clutter_heights_m
            .map(|c| float_vec(c, "clutter_heights_m"))
            .transpose()?;
        if let Some(z) = zones {
            let zones = z
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let code = u8::try_from(*c).ok();
                    code.and_then(RadioClimaticZone::from_code).ok_or_else(|| {
                        refused(format!(
                            "zones[{i}]: expected 1 (A1 coastal land), 2 (A2 inland) or 3 (B sea), found {c}"
                        ))
                    })
                })
                .collect::<PyResult<Vec<_>>>()?;
            p.zones = Some(zones);
        }
        p.validate().py_err()?;
        Profile::checked(p, 0)
    }

    /// A flat profile of `length_km` sampled every `step_km` at `height_m`.
    #[staticmethod]
    #[pyo3(signature = (length_km, step_km, height_m=0.0))]
    fn flat(length_km: f64, step_km: f64, height_m: f64) -> PyResult<Profile> {
        Profile::checked(PathProfile::flat(length_km, step_km, height_m).py_err()?, 0)
    }

    /// Reads a profile CSV (the layout `spectra propagate p452 --profile` reads).
    #[staticmethod]
    fn read_csv(path: PathBuf) -> PyResult<Profile> {
        let file = std::fs::File::open(&path)
            .map_err(|e| refused(format!("cannot open profile {}: {e}", path.display())))?;
        let inner = PathProfile::read_csv(file, &path.display().to_string()).py_err()?;
        spectrum_core::bounds::terrain_heights("heights", &inner.heights_m)
            .map_err(|e| refused(format!("{}: {e}", path.display())))?;
        Ok(Profile { inner, missing: 0 })
    }

    /// The profile from `start` to `end` ((lat, lon) in degrees) sampled at
    /// most every `step_m` along the geodesic, heights from a DEM directory
    /// (SRTM `.hgt` / GeoTIFF) or, without `dem`, the synthetic relief — the
    /// same as `spectra profile --json` (same defaults: 90 m, and a point
    /// without terrain is an error unless `missing="sea-level"`, which counts
    /// such points in `missing_samples`).
    #[staticmethod]
    #[pyo3(signature = (start, end, step_m=90.0, dem=None, missing="error"))]
    fn from_terrain(
        py: Python<'_>,
        start: (f64, f64),
        end: (f64, f64),
        step_m: f64,
        dem: Option<PathBuf>,
        missing: &str,
    ) -> PyResult<Profile> {
        let source = terrain_source(dem, missing)?;
        let a = GeoPoint::new(start.0, start.1);
        let b = GeoPoint::new(end.0, end.1);
        let geo = py
            .detach(|| -> Result<_, String> {
                let (tiles, _) = source.open().map_err(|e| error_text(&e))?;
                spectrum_core::path::extract(&tiles, a, b, step_m).map_err(|e| error_text(&e))
            })
            .map_err(refused)?;
        Profile::checked(geo.profile, geo.missing_samples)
    }

    /// Distances from the transmitter, km.
    #[getter]
    fn distances_km<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.inner.distances_km)
    }

    /// Terrain heights, m above sea level.
    #[getter]
    fn heights_m<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.inner.heights_m)
    }

    /// Points that had no terrain data (sea level used; `from_terrain` with
    /// `missing="sea-level"`).
    #[getter]
    fn missing_samples(&self) -> usize {
        self.missing
    }

    /// Path length, km.
    #[getter]
    fn length_km(&self) -> f64 {
        self.inner.length_km()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Profile({} points, {:.3} km)",
            self.inner.len(),
            self.inner.length_km()
        )
    }
}
