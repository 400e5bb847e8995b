//! NTIA ITM v1.3 (point-to-point and area mode) and NTIA Extended Hata
//! (TR 15-517) for Python.

use pyo3::prelude::*;
use spectrum_core::ehata::{self as ehata_core, EhataOptions, Environment};
use spectrum_core::itm::{self, Climate, ItmParams, ItmResult, Polarization, SitingCriteria};
use spectrum_core::profile::PathProfile;

use super::{Profiles, antenna_heights, finite_result, losses, percent};
use crate::convert::Numbers;
use crate::errors::refused;
use crate::profile::Profile;
use crate::vectorised::mhz;

/// The scalar settings of an ITM prediction.
#[derive(Clone, Copy)]
struct ItmSettings {
    climate: Climate,
    n0: f64,
    polarization: Polarization,
    epsilon: f64,
    sigma: f64,
    mdvar: i32,
}

impl ItmSettings {
    fn new(
        climate: i32,
        n0: f64,
        polarization: i32,
        epsilon: f64,
        sigma: f64,
        mdvar: i32,
    ) -> PyResult<Self> {
        Ok(Self {
            climate: Climate::from_code(climate).map_err(|e| refused(e.to_string()))?,
            n0,
            polarization: Polarization::from_code(polarization)
                .map_err(|e| refused(e.to_string()))?,
            epsilon,
            sigma,
            mdvar,
        })
    }

    fn params(&self, freq_mhz: f64, h_tx_m: f64, h_rx_m: f64) -> Result<ItmParams, String> {
        antenna_heights(("h_tx_m", h_tx_m), ("h_rx_m", h_rx_m))?;
        Ok(ItmParams {
            h_tx_m,
            h_rx_m,
            climate: self.climate,
            n0_nunits: self.n0,
            freq_mhz: mhz(freq_mhz)?,
            polarization: self.polarization,
            epsilon: self.epsilon,
            sigma_s_per_m: self.sigma,
            mdvar: self.mdvar,
        })
    }
}

fn itm_p2p_one(
    profile: &PathProfile,
    params: &ItmParams,
    tls: (f64, f64, f64),
) -> Result<ItmResult, String> {
    itm::p2p_tls_profile(profile, params, tls.0, tls.1, tls.2).map_err(|e| e.to_string())
}

/// NTIA ITM v1.3 point-to-point over `profile` (uniform spacing), with time /
/// location / situation variability; the `result` of
/// `spectra propagate itm --profile … --json` as a dict.
#[pyfunction]
#[pyo3(signature = (profile, freq_mhz, h_tx_m, h_rx_m, *, climate=5, n0=301.0, polarization=1, epsilon=15.0, sigma=0.005, mdvar=12, time_pct=50.0, location_pct=50.0, situation_pct=50.0))]
#[allow(clippy::too_many_arguments)]
pub fn itm_p2p<'py>(
    py: Python<'py>,
    profile: &Profile,
    freq_mhz: f64,
    h_tx_m: f64,
    h_rx_m: f64,
    climate: i32,
    n0: f64,
    polarization: i32,
    epsilon: f64,
    sigma: f64,
    mdvar: i32,
    time_pct: f64,
    location_pct: f64,
    situation_pct: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let s = ItmSettings::new(climate, n0, polarization, epsilon, sigma, mdvar)?;
    let params = s.params(freq_mhz, h_tx_m, h_rx_m).map_err(refused)?;
    let r = itm_p2p_one(
        &profile.inner,
        &params,
        (time_pct, location_pct, situation_pct),
    )
    .map_err(refused)?;
    finite_result(py, "ITM", &r)
}

/// Vectorised [`itm_p2p`]: the basic transmission loss, dB, for every
/// profile and/or every element of the array arguments (broadcast); the
/// percentages default to 50 %.
#[pyfunction]
#[pyo3(signature = (profiles, freq_mhz, h_tx_m, h_rx_m, *, climate=5, n0=301.0, polarization=1, epsilon=15.0, sigma=0.005, mdvar=12, time_pct=None, location_pct=None, situation_pct=None))]
#[allow(clippy::too_many_arguments)]
pub fn itm_p2p_loss_db<'py>(
    py: Python<'py>,
    profiles: &Bound<'py, PyAny>,
    freq_mhz: &Bound<'py, PyAny>,
    h_tx_m: &Bound<'py, PyAny>,
    h_rx_m: &Bound<'py, PyAny>,
    climate: i32,
    n0: f64,
    polarization: i32,
    epsilon: f64,
    sigma: f64,
    mdvar: i32,
    time_pct: Option<&Bound<'py, PyAny>>,
    location_pct: Option<&Bound<'py, PyAny>>,
    situation_pct: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let s = ItmSettings::new(climate, n0, polarization, epsilon, sigma, mdvar)?;
    let profiles = Profiles::read(profiles)?;
    let (f, ht, hr) = (
        Numbers::read(freq_mhz, "freq_mhz")?,
        Numbers::read(h_tx_m, "h_tx_m")?,
        Numbers::read(h_rx_m, "h_rx_m")?,
    );
    let (t, l, st) = (
        percent(time_pct, "time_pct")?,
        percent(location_pct, "location_pct")?,
        percent(situation_pct, "situation_pct")?,
    );
    let args = [
        ("freq_mhz", &f),
        ("h_tx_m", &ht),
        ("h_rx_m", &hr),
        ("time_pct", &t),
        ("location_pct", &l),
        ("situation_pct", &st),
    ];
    losses(py, &profiles, &args, |p, i| {
        let params = s.params(f.at(i), ht.at(i), hr.at(i))?;
        itm_p2p_one(p, &params, (t.at(i), l.at(i), st.at(i))).map(|r| r.loss_db)
    })
}

/// NTIA ITM v1.3 area mode: the basic transmission loss, dB, at `dist_km`
/// (scalar or array) over terrain of irregularity `delta_h_m`; siting 0
/// random, 1 careful, 2 very careful.
#[pyfunction]
#[pyo3(signature = (dist_km, freq_mhz, h_tx_m, h_rx_m, *, delta_h_m=90.0, tx_siting=0, rx_siting=0, climate=5, n0=301.0, polarization=1, epsilon=15.0, sigma=0.005, mdvar=12, time_pct=50.0, location_pct=50.0, situation_pct=50.0))]
#[allow(clippy::too_many_arguments)]
pub fn itm_area_loss_db<'py>(
    py: Python<'py>,
    dist_km: &Bound<'py, PyAny>,
    freq_mhz: f64,
    h_tx_m: f64,
    h_rx_m: f64,
    delta_h_m: f64,
    tx_siting: i32,
    rx_siting: i32,
    climate: i32,
    n0: f64,
    polarization: i32,
    epsilon: f64,
    sigma: f64,
    mdvar: i32,
    time_pct: f64,
    location_pct: f64,
    situation_pct: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let s = ItmSettings::new(climate, n0, polarization, epsilon, sigma, mdvar)?;
    let site = |c: i32, which: &str| {
        SitingCriteria::from_code(c)
            .ok_or_else(|| refused(format!("{which}: expected 0, 1 or 2, found {c}")))
    };
    let (tx, rx) = (site(tx_siting, "tx_siting")?, site(rx_siting, "rx_siting")?);
    let params = s.params(freq_mhz, h_tx_m, h_rx_m).map_err(refused)?;
    let d = Numbers::read(dist_km, "dist_km")?;
    crate::vectorised::run(py, &[("dist_km", &d)], |i| {
        itm::area_tls(
            &params,
            tx,
            rx,
            d.at(i),
            delta_h_m,
            time_pct,
            location_pct,
            situation_pct,
        )
        .map(|r| r.loss_db)
        .map_err(|e| e.to_string())
    })
}

/// NTIA Extended Hata (TR 15-517) over `profile` (uniform spacing, from the
/// mobile at index 0 to the base station); `environment` is the NLCD-style
/// code (23 urban, 22 suburban, …). The result of
/// `spectra propagate ehata --json` as a dict.
#[pyfunction]
#[pyo3(signature = (profile, freq_mhz, h_b_m, h_m_m, *, environment=23, winnforum=true, its_testbed=false, reliability_pct=None))]
#[allow(clippy::too_many_arguments)]
pub fn ehata<'py>(
    py: Python<'py>,
    profile: &Profile,
    freq_mhz: f64,
    h_b_m: f64,
    h_m_m: f64,
    environment: i64,
    winnforum: bool,
    its_testbed: bool,
    reliability_pct: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = ehata_options(winnforum, its_testbed, reliability_pct);
    let env = Environment::from_code(environment);
    let r = ehata_one(&profile.inner, freq_mhz, h_b_m, h_m_m, env, &options).map_err(refused)?;
    finite_result(py, "Extended Hata", &r)
}

fn ehata_options(winnforum: bool, its_testbed: bool, reliability_pct: Option<f64>) -> EhataOptions {
    EhataOptions {
        winnforum_extensions: winnforum && !its_testbed,
        reliability: reliability_pct.map(|r| r / 100.0),
        its_testbed,
    }
}

fn ehata_one(
    profile: &PathProfile,
    freq_mhz: f64,
    h_b_m: f64,
    h_m_m: f64,
    env: Environment,
    options: &EhataOptions,
) -> Result<ehata_core::EhataResult, String> {
    antenna_heights(("h_b_m", h_b_m), ("h_m_m", h_m_m))?;
    let step_m = itm::profile_step_m(profile).map_err(|e| e.to_string())?;
    ehata_core::extended_hata(
        &profile.heights_m,
        step_m,
        mhz(freq_mhz)?,
        h_b_m,
        h_m_m,
        env,
        options,
    )
    .map_err(|e| e.to_string())
}

/// Vectorised [`ehata`]: the basic transmission loss, dB, for every profile
/// and/or every element of the array arguments (broadcast).
#[pyfunction]
#[pyo3(signature = (profiles, freq_mhz, h_b_m, h_m_m, *, environment=23, winnforum=true, its_testbed=false, reliability_pct=None))]
#[allow(clippy::too_many_arguments)]
pub fn ehata_loss_db<'py>(
    py: Python<'py>,
    profiles: &Bound<'py, PyAny>,
    freq_mhz: &Bound<'py, PyAny>,
    h_b_m: &Bound<'py, PyAny>,
    h_m_m: &Bound<'py, PyAny>,
    environment: i64,
    winnforum: bool,
    its_testbed: bool,
    reliability_pct: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = ehata_options(winnforum, its_testbed, reliability_pct);
    let env = Environment::from_code(environment);
    let profiles = Profiles::read(profiles)?;
    let (f, hb, hm) = (
        Numbers::read(freq_mhz, "freq_mhz")?,
        Numbers::read(h_b_m, "h_b_m")?,
        Numbers::read(h_m_m, "h_m_m")?,
    );
    let args = [("freq_mhz", &f), ("h_b_m", &hb), ("h_m_m", &hm)];
    losses(py, &profiles, &args, |p, i| {
        ehata_one(p, f.at(i), hb.at(i), hm.at(i), env, &options).map(|r| r.loss_db)
    })
}
