//! The closed-form models, vectorised: free space (ITU-R P.525-4),
//! Okumura-Hata / COST-231 Hata, the three methods of ITU-R P.2108-1 and the
//! building entry loss of ITU-R P.2109-1 and the gaseous attenuation of a
//! terrestrial path by ITU-R P.676-13 Annex 1.
//! Each takes scalars or numpy arrays (broadcast) and returns a float or an
//! array of losses in dB, bit-identical to `spectra propagate … --json`.

use pyo3::prelude::*;
use spectrum_core::hata::{self, CitySize, HataEnvironment, HataOptions};
use spectrum_core::p2108::{self, ClutterType};

use crate::convert::Numbers;
use crate::errors::refused;
use crate::vectorised::{ghz, mhz, run};

/// Free-space basic transmission loss, dB (ITU-R P.525-4).
#[pyfunction]
pub fn free_space_loss_db<'py>(
    freq_mhz: &Bound<'py, PyAny>,
    dist_km: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let f = Numbers::read(freq_mhz, "freq_mhz")?;
    let d = Numbers::read(dist_km, "dist_km")?;
    run(freq_mhz.py(), &[("freq_mhz", &f), ("dist_km", &d)], |i| {
        let (fm, dk) = (mhz(f.at(i))?, d.at(i));
        if dk.is_nan() || dk <= 0.0 {
            return Err(format!("dist_km: expected > 0 km, found {dk}"));
        }
        Ok(spectrum_core::p525::free_space_loss_db(fm, dk))
    })
}

/// Okumura-Hata (150–1500 MHz) / COST-231 Hata (1500–2000 MHz) median loss, dB.
/// `environment`: urban, suburban or open; `city`: medium or large.
#[pyfunction]
#[pyo3(signature = (freq_mhz, h_b_m, h_m_m, dist_km, environment="urban", city="medium", extrapolate=false))]
#[allow(clippy::too_many_arguments)]
pub fn hata_loss_db<'py>(
    freq_mhz: &Bound<'py, PyAny>,
    h_b_m: &Bound<'py, PyAny>,
    h_m_m: &Bound<'py, PyAny>,
    dist_km: &Bound<'py, PyAny>,
    environment: &str,
    city: &str,
    extrapolate: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let env = HataEnvironment::parse(environment).ok_or_else(|| {
        refused(format!(
            "environment: expected urban, suburban or open, found {environment:?}"
        ))
    })?;
    let city = CitySize::parse(city)
        .ok_or_else(|| refused(format!("city: expected medium or large, found {city:?}")))?;
    let options = HataOptions {
        allow_extrapolation: extrapolate,
    };
    let f = Numbers::read(freq_mhz, "freq_mhz")?;
    let hb = Numbers::read(h_b_m, "h_b_m")?;
    let hm = Numbers::read(h_m_m, "h_m_m")?;
    let d = Numbers::read(dist_km, "dist_km")?;
    let args = [
        ("freq_mhz", &f),
        ("h_b_m", &hb),
        ("h_m_m", &hm),
        ("dist_km", &d),
    ];
    run(freq_mhz.py(), &args, |i| {
        hata::hata_loss_db(
            mhz(f.at(i))?,
            hb.at(i),
            hm.at(i),
            d.at(i),
            env,
            city,
            &options,
        )
        .map_err(|e| e.to_string())
    })
}

/// ITU-R P.2108-1 §3.2 terrestrial statistical clutter loss, dB, not exceeded
/// for `percent` % of locations (0.5–67 GHz, paths ≥ 0.25 km).
#[pyfunction]
pub fn p2108_terrestrial_db<'py>(
    freq_ghz: &Bound<'py, PyAny>,
    dist_km: &Bound<'py, PyAny>,
    percent: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let f = Numbers::read(freq_ghz, "freq_ghz")?;
    let d = Numbers::read(dist_km, "dist_km")?;
    let p = Numbers::read(percent, "percent")?;
    let args = [("freq_ghz", &f), ("dist_km", &d), ("percent", &p)];
    run(freq_ghz.py(), &args, |i| {
        p2108::terrestrial_statistical_db(ghz(f.at(i))?, d.at(i), p.at(i))
            .map_err(|e| e.to_string())
    })
}

/// ITU-R P.2108-1 §3.3 aeronautical statistical clutter loss, dB (10–100 GHz),
/// at elevation `theta_deg`, not exceeded for `percent` % of locations.
#[pyfunction]
pub fn p2108_aeronautical_db<'py>(
    freq_ghz: &Bound<'py, PyAny>,
    theta_deg: &Bound<'py, PyAny>,
    percent: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let f = Numbers::read(freq_ghz, "freq_ghz")?;
    let t = Numbers::read(theta_deg, "theta_deg")?;
    let p = Numbers::read(percent, "percent")?;
    let args = [("freq_ghz", &f), ("theta_deg", &t), ("percent", &p)];
    run(freq_ghz.py(), &args, |i| {
        p2108::aeronautical_statistical_db(ghz(f.at(i))?, t.at(i), p.at(i))
            .map_err(|e| e.to_string())
    })
}

/// ITU-R P.2108-1 §3.1 height-gain terminal correction, dB (0.03–3 GHz), for
/// a terminal `h_m` above ground in clutter type 1–6 (clutter height defaults
/// to the type's representative height).
#[pyfunction]
#[pyo3(signature = (freq_ghz, h_m, clutter_type, street_width_m=27.0, clutter_height_m=None))]
pub fn p2108_height_gain_db<'py>(
    freq_ghz: &Bound<'py, PyAny>,
    h_m: &Bound<'py, PyAny>,
    clutter_type: i64,
    street_width_m: f64,
    clutter_height_m: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let clutter = ClutterType::from_code(clutter_type).map_err(|e| refused(e.to_string()))?;
    let r = clutter_height_m.unwrap_or_else(|| clutter.default_height_m());
    let f = Numbers::read(freq_ghz, "freq_ghz")?;
    let h = Numbers::read(h_m, "h_m")?;
    run(freq_ghz.py(), &[("freq_ghz", &f), ("h_m", &h)], |i| {
        p2108::height_gain_terminal_correction_db(
            ghz(f.at(i))?,
            h.at(i),
            street_width_m,
            r,
            clutter,
        )
        .map_err(|e| e.to_string())
    })
}

/// ITU-R P.2109-1 building entry loss, dB (0.08–100 GHz), not exceeded with
/// probability `percent` %, for building class 1 (traditional) or 2
/// (thermally efficient), at elevation `theta_deg` at the façade.
#[pyfunction]
#[pyo3(signature = (freq_ghz, percent, building_class=1, theta_deg=None))]
pub fn p2109_loss_db<'py>(
    freq_ghz: &Bound<'py, PyAny>,
    percent: &Bound<'py, PyAny>,
    building_class: i64,
    theta_deg: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let class = spectrum_core::p2109::BuildingClass::from_code(building_class)
        .map_err(|e| refused(e.to_string()))?;
    let f = Numbers::read(freq_ghz, "freq_ghz")?;
    let p = Numbers::read(percent, "percent")?;
    let t = theta_deg.map_or(Ok(Numbers::Scalar(0.0)), |t| Numbers::read(t, "theta_deg"))?;
    let args = [("freq_ghz", &f), ("percent", &p), ("theta_deg", &t)];
    run(freq_ghz.py(), &args, |i| {
        spectrum_core::p2109::building_entry_loss_db(ghz(f.at(i))?, p.at(i), class, t.at(i))
            .map_err(|e| e.to_string())
    })
}

/// ITU-R P.676-13 Annex 1 gaseous attenuation of a terrestrial path, dB
/// (1–1000 GHz, line-by-line), for dry-air pressure `pressure_hpa`,
/// water-vapour density `rho_g_m3` and temperature `temp_c`.
#[pyfunction]
#[pyo3(signature = (freq_ghz, dist_km, pressure_hpa=1013.25, rho_g_m3=7.5, temp_c=15.0))]
pub fn p676_terrestrial_db<'py>(
    freq_ghz: &Bound<'py, PyAny>,
    dist_km: &Bound<'py, PyAny>,
    pressure_hpa: f64,
    rho_g_m3: f64,
    temp_c: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let f = Numbers::read(freq_ghz, "freq_ghz")?;
    let d = Numbers::read(dist_km, "dist_km")?;
    run(freq_ghz.py(), &[("freq_ghz", &f), ("dist_km", &d)], |i| {
        spectrum_core::p676::terrestrial_path_db(
            ghz(f.at(i))?,
            d.at(i),
            pressure_hpa,
            rho_g_m3,
            temp_c + 273.15,
        )
        .map_err(|e| e.to_string())
    })
}

/// ITU-R P.676-13 Annex 1 §2.2 gaseous attenuation of a slant path through
/// the P.835-6 mean annual global atmosphere, dB: from a station `station_km`
/// above sea level at apparent elevation `elevation_deg` (negative only above
/// sea level) up to `upper_km` (space when absent, at most 100 km).
#[pyfunction]
#[pyo3(signature = (freq_ghz, elevation_deg, station_km=0.0, upper_km=None))]
pub fn p676_slant_db<'py>(
    freq_ghz: &Bound<'py, PyAny>,
    elevation_deg: &Bound<'py, PyAny>,
    station_km: f64,
    upper_km: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let f = Numbers::read(freq_ghz, "freq_ghz")?;
    let e = Numbers::read(elevation_deg, "elevation_deg")?;
    run(
        freq_ghz.py(),
        &[("freq_ghz", &f), ("elevation_deg", &e)],
        |i| {
            spectrum_core::p676::slant::slant_path(ghz(f.at(i))?, station_km, upper_km, e.at(i))
                .map(|s| s.attenuation_db)
                .map_err(|e| e.to_string())
        },
    )
}

/// ITU-R P.528-5 aeronautical basic transmission loss, dB, not exceeded for
/// `time_percent` % of the time (1–99), between terminals at `h1_m` ≤ `h2_m`
/// (1.5 m–80 km) over a smooth earth, 100–30 000 MHz, polarisation `pol`
/// (`"h"` or `"v"`); every argument but `pol` may be an array.
#[pyfunction]
#[pyo3(signature = (freq_mhz, dist_km, h1_m, h2_m, time_percent=None, pol="h"))]
pub fn p528_loss_db<'py>(
    freq_mhz: &Bound<'py, PyAny>,
    dist_km: &Bound<'py, PyAny>,
    h1_m: &Bound<'py, PyAny>,
    h2_m: &Bound<'py, PyAny>,
    time_percent: Option<&Bound<'py, PyAny>>,
    pol: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let pol = match pol.to_ascii_lowercase().as_str() {
        "h" | "horizontal" => spectrum_core::p526::Polarization::Horizontal,
        "v" | "vertical" => spectrum_core::p526::Polarization::Vertical,
        other => {
            return Err(refused(format!(
                "pol must be \"h\" or \"v\", found {other:?}"
            )));
        }
    };
    let f = Numbers::read(freq_mhz, "freq_mhz")?;
    let d = Numbers::read(dist_km, "dist_km")?;
    let a = Numbers::read(h1_m, "h1_m")?;
    let b = Numbers::read(h2_m, "h2_m")?;
    let p = time_percent.map_or(Ok(Numbers::Scalar(50.0)), |t| {
        Numbers::read(t, "time_percent")
    })?;
    let args = [
        ("freq_mhz", &f),
        ("dist_km", &d),
        ("h1_m", &a),
        ("h2_m", &b),
        ("time_percent", &p),
    ];
    run(freq_mhz.py(), &args, |i| {
        spectrum_core::p528::p528(d.at(i), a.at(i), b.at(i), mhz(f.at(i))?, pol, p.at(i))
            .map(|r| r.loss_db)
            .map_err(|e| e.to_string())
    })
}
