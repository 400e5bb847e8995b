//! ITU-R P.452-18 (interference between stations) and ITU-R P.1812-6
//! (point-to-area) for Python.

use pyo3::prelude::*;
use spectrum_core::p452::{self as p452_core, P452Input, PathCentre};
use spectrum_core::p526::Polarization as ItuPolarization;
use spectrum_core::p1812::{self as p1812_core, P1812Input, tropo};
use spectrum_core::profile::PathProfile;

use super::{Profiles, antenna_heights, finite_result, losses};
use crate::convert::Numbers;
use crate::errors::refused;
use crate::profile::Profile;
use crate::vectorised::ghz;

/// (tx_lat, tx_lon, rx_lat, rx_lon), degrees.
type Endpoints = (f64, f64, f64, f64);

fn path_centre(
    phi_deg: Option<f64>,
    endpoints: Option<(f64, f64, f64, f64)>,
) -> PyResult<PathCentre> {
    match (phi_deg, endpoints) {
        (Some(phi_deg), None) => Ok(PathCentre::Latitude { phi_deg }),
        (None, Some((tx_lat_deg, tx_lon_deg, rx_lat_deg, rx_lon_deg))) => {
            Ok(PathCentre::Endpoints {
                tx_lat_deg,
                tx_lon_deg,
                rx_lat_deg,
                rx_lon_deg,
            })
        }
        _ => Err(refused(
            "expected the path centre as phi_deg=… or endpoints=(tx_lat, tx_lon, rx_lat, rx_lon), exactly one of them",
        )),
    }
}

fn itu_polarization(p: &str) -> PyResult<ItuPolarization> {
    match p {
        "h" | "horizontal" => Ok(ItuPolarization::Horizontal),
        "v" | "vertical" => Ok(ItuPolarization::Vertical),
        other => Err(refused(format!(
            "polarization: expected \"h\" or \"v\", found {other:?}"
        ))),
    }
}

/// The P.452 settings other than the broadcast numbers.
#[derive(Clone, Copy)]
struct P452Settings {
    centre: PathCentre,
    gt_dbi: f64,
    gr_dbi: f64,
    pol: ItuPolarization,
    dct_km: f64,
    dcr_km: f64,
    pressure_hpa: f64,
    temperature_c: f64,
    dn: f64,
    n0: f64,
}

impl P452Settings {
    fn input(
        &self,
        freq_ghz: f64,
        time_pct: f64,
        htg_m: f64,
        hrg_m: f64,
    ) -> Result<P452Input, String> {
        antenna_heights(("htg_m", htg_m), ("hrg_m", hrg_m))?;
        Ok(P452Input {
            freq_ghz: ghz(freq_ghz)?,
            time_pct,
            htg_m,
            hrg_m,
            path_centre: self.centre,
            gt_dbi: self.gt_dbi,
            gr_dbi: self.gr_dbi,
            polarization: self.pol,
            dct_km: self.dct_km,
            dcr_km: self.dcr_km,
            pressure_hpa: self.pressure_hpa,
            temperature_c: self.temperature_c,
            dn: self.dn,
            n0: self.n0,
        })
    }
}

impl P452Settings {
    /// The settings from the Python arguments.
    #[allow(clippy::too_many_arguments)]
    fn new(
        centre: (Option<f64>, Option<Endpoints>),
        gains_dbi: (f64, f64),
        polarization: &str,
        coast_km: (f64, f64),
        pressure_hpa: f64,
        temperature_c: f64,
        dn: f64,
        n0: f64,
    ) -> PyResult<Self> {
        Ok(P452Settings {
            centre: path_centre(centre.0, centre.1)?,
            gt_dbi: gains_dbi.0,
            gr_dbi: gains_dbi.1,
            pol: itu_polarization(polarization)?,
            dct_km: coast_km.0,
            dcr_km: coast_km.1,
            pressure_hpa,
            temperature_c,
            dn,
            n0,
        })
    }
}

/// ITU-R P.452-18 basic transmission loss over `profile` (interference
/// between stations, clear-air); the `result` of
/// `spectra propagate p452 --json` as a dict (`lb_db` and every
/// intermediate value).
#[pyfunction]
#[pyo3(signature = (profile, freq_ghz, time_pct, htg_m, hrg_m, *, phi_deg=None, endpoints=None, gt_dbi=0.0, gr_dbi=0.0, polarization="v", dct_km=500.0, dcr_km=500.0, pressure_hpa=1013.25, temperature_c=15.0, dn=45.0, n0=325.0))]
#[allow(clippy::too_many_arguments)]
pub fn p452<'py>(
    py: Python<'py>,
    profile: &Profile,
    freq_ghz: f64,
    time_pct: f64,
    htg_m: f64,
    hrg_m: f64,
    phi_deg: Option<f64>,
    endpoints: Option<(f64, f64, f64, f64)>,
    gt_dbi: f64,
    gr_dbi: f64,
    polarization: &str,
    dct_km: f64,
    dcr_km: f64,
    pressure_hpa: f64,
    temperature_c: f64,
    dn: f64,
    n0: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let s = P452Settings::new(
        (phi_deg, endpoints),
        (gt_dbi, gr_dbi),
        polarization,
        (dct_km, dcr_km),
        pressure_hpa,
        temperature_c,
        dn,
        n0,
    )?;
    let input = s.input(freq_ghz, time_pct, htg_m, hrg_m).map_err(refused)?;
    let r = p452_core::p452(&input, &profile.inner).map_err(|e| refused(e.to_string()))?;
    finite_result(py, "P.452-18", &r)
}

/// Vectorised [`p452`]: `lb_db` for every profile and/or every element of
/// the array arguments.
#[pyfunction]
#[pyo3(signature = (profiles, freq_ghz, time_pct, htg_m, hrg_m, *, phi_deg=None, endpoints=None, gt_dbi=0.0, gr_dbi=0.0, polarization="v", dct_km=500.0, dcr_km=500.0, pressure_hpa=1013.25, temperature_c=15.0, dn=45.0, n0=325.0))]
#[allow(clippy::too_many_arguments)]
pub fn p452_loss_db<'py>(
    py: Python<'py>,
    profiles: &Bound<'py, PyAny>,
    freq_ghz: &Bound<'py, PyAny>,
    time_pct: &Bound<'py, PyAny>,
    htg_m: &Bound<'py, PyAny>,
    hrg_m: &Bound<'py, PyAny>,
    phi_deg: Option<f64>,
    endpoints: Option<(f64, f64, f64, f64)>,
    gt_dbi: f64,
    gr_dbi: f64,
    polarization: &str,
    dct_km: f64,
    dcr_km: f64,
    pressure_hpa: f64,
    temperature_c: f64,
    dn: f64,
    n0: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let s = P452Settings::new(
        (phi_deg, endpoints),
        (gt_dbi, gr_dbi),
        polarization,
        (dct_km, dcr_km),
        pressure_hpa,
        temperature_c,
        dn,
        n0,
    )?;
    let profiles = Profiles::read(profiles)?;
    let (f, p, ht, hr) = (
        Numbers::read(freq_ghz, "freq_ghz")?,
        Numbers::read(time_pct, "time_pct")?,
        Numbers::read(htg_m, "htg_m")?,
        Numbers::read(hrg_m, "hrg_m")?,
    );
    let args = [
        ("freq_ghz", &f),
        ("time_pct", &p),
        ("htg_m", &ht),
        ("hrg_m", &hr),
    ];
    losses(py, &profiles, &args, |prof, i| {
        let input = s.input(f.at(i), p.at(i), ht.at(i), hr.at(i))?;
        p452_core::p452(&input, prof)
            .map(|r| r.lb_db)
            .map_err(|e| e.to_string())
    })
}

/// The P.1812 input of one element.
#[allow(clippy::too_many_arguments)]
fn p1812_input(
    profile: &PathProfile,
    centre: PathCentre,
    pol: ItuPolarization,
    freq_ghz: f64,
    time_pct: f64,
    htg_m: f64,
    hrg_m: f64,
    location_pct: f64,
    sigma_l_db: Option<f64>,
    rest: (f64, f64, f64, f64, f64, bool),
) -> Result<P1812Input, String> {
    antenna_heights(("htg_m", htg_m), ("hrg_m", hrg_m))?;
    let f = ghz(freq_ghz)?;
    let mut input = P1812Input::new(f, time_pct, htg_m, hrg_m, centre, pol);
    let (tx_power_kw, dn, n0, dct_km, dcr_km, attachment4) = rest;
    input.location_pct = location_pct;
    input.location_sigma_db =
        sigma_l_db.unwrap_or_else(|| tropo::default_location_std_dev_db(f, hrg_m, profile));
    input.tx_power_kw = tx_power_kw;
    input.dn = dn;
    input.n0 = n0;
    input.dct_km = dct_km;
    input.dcr_km = dcr_km;
    if attachment4 {
        input.smooth_path = spectrum_core::p526::SmoothPathMethod::Attachment4;
    }
    Ok(input)
}

/// ITU-R P.1812-6 point-to-area basic transmission loss and field strength
/// over `profile`; the `result` of `spectra propagate p1812 --json` as a
/// dict. σ_L defaults to P.1812-6 eq (65) over 100 m squares.
#[pyfunction]
#[pyo3(signature = (profile, freq_ghz, time_pct, htg_m, hrg_m, *, phi_deg=None, endpoints=None, polarization="v", location_pct=50.0, sigma_l_db=None, tx_power_kw=1.0, dn=45.0, n0=325.0, dct_km=500.0, dcr_km=500.0, attachment4=false))]
#[allow(clippy::too_many_arguments)]
pub fn p1812<'py>(
    py: Python<'py>,
    profile: &Profile,
    freq_ghz: f64,
    time_pct: f64,
    htg_m: f64,
    hrg_m: f64,
    phi_deg: Option<f64>,
    endpoints: Option<(f64, f64, f64, f64)>,
    polarization: &str,
    location_pct: f64,
    sigma_l_db: Option<f64>,
    tx_power_kw: f64,
    dn: f64,
    n0: f64,
    dct_km: f64,
    dcr_km: f64,
    attachment4: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let centre = path_centre(phi_deg, endpoints)?;
    let pol = itu_polarization(polarization)?;
    let rest = (tx_power_kw, dn, n0, dct_km, dcr_km, attachment4);
    let input = p1812_input(
        &profile.inner,
        centre,
        pol,
        freq_ghz,
        time_pct,
        htg_m,
        hrg_m,
        location_pct,
        sigma_l_db,
        rest,
    )
    .map_err(refused)?;
    let r = p1812_core::p1812(&input, &profile.inner).map_err(|e| refused(e.to_string()))?;
    finite_result(py, "P.1812-6", &r)
}

/// Vectorised [`p1812`]: `lb_db` for every profile and/or array element.
#[pyfunction]
#[pyo3(signature = (profiles, freq_ghz, time_pct, htg_m, hrg_m, *, phi_deg=None, endpoints=None, polarization="v", location_pct=50.0, sigma_l_db=None, tx_power_kw=1.0, dn=45.0, n0=325.0, dct_km=500.0, dcr_km=500.0, attachment4=false))]
#[allow(clippy::too_many_arguments)]
pub fn p1812_loss_db<'py>(
    py: Python<'py>,
    profiles: &Bound<'py, PyAny>,
    freq_ghz: &Bound<'py, PyAny>,
    time_pct: &Bound<'py, PyAny>,
    htg_m: &Bound<'py, PyAny>,
    hrg_m: &Bound<'py, PyAny>,
    phi_deg: Option<f64>,
    endpoints: Option<(f64, f64, f64, f64)>,
    polarization: &str,
    location_pct: f64,
    sigma_l_db: Option<f64>,
    tx_power_kw: f64,
    dn: f64,
    n0: f64,
    dct_km: f64,
    dcr_km: f64,
    attachment4: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let centre = path_centre(phi_deg, endpoints)?;
    let pol = itu_polarization(polarization)?;
    let rest = (tx_power_kw, dn, n0, dct_km, dcr_km, attachment4);
    let profiles = Profiles::read(profiles)?;
    let (f, p, ht, hr) = (
        Numbers::read(freq_ghz, "freq_ghz")?,
        Numbers::read(time_pct, "time_pct")?,
        Numbers::read(htg_m, "htg_m")?,
        Numbers::read(hrg_m, "hrg_m")?,
    );
    let args = [
        ("freq_ghz", &f),
        ("time_pct", &p),
        ("htg_m", &ht),
        ("hrg_m", &hr),
    ];
    losses(py, &profiles, &args, |prof, i| {
        let input = p1812_input(
            prof,
            centre,
            pol,
            f.at(i),
            p.at(i),
            ht.at(i),
            hr.at(i),
            location_pct,
            sigma_l_db,
            rest,
        )?;
        p1812_core::p1812(&input, prof)
            .map(|r| r.lb_db)
            .map_err(|e| e.to_string())
    })
}
