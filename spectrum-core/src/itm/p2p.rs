//! ITM v1.3 point-to-point mode (NTIA `ITM_P2P_TLS_Ex`, `ITM_P2P_CR_Ex`).

use super::lr::{LrInput, initialize, longley_rice};
use super::terrain::{PathGeometry, quick_pfl};
use super::variability::{VarInput, variability};
use super::{IntermediateValues, ItmError, ItmParams, ItmResult, free_space_loss_db, validate};
use crate::profile::PathProfile;

/// Reads the text of an NTIA PFL file: numbers separated by commas and/or
/// white space, `[n intervals, step m, z0, …, zn]`; a leading UTF-8 byte
/// order mark is skipped. `label` names the file in errors, with the
/// position of a value that is not a number.
///
/// ```
/// let pfl = spectrum_core::itm::parse_pfl("\u{feff}2, 100\n10 12 11\n", "p.pfl").unwrap();
/// assert_eq!(pfl, [2.0, 100.0, 10.0, 12.0, 11.0]);
/// assert!(spectrum_core::itm::parse_pfl("2 100 x", "p.pfl").is_err());
/// ```
pub fn parse_pfl(text: &str, label: &str) -> Result<Vec<f64>, ItmError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut values = Vec::new();
    for (i, tok) in text
        .split([',', ' ', '\t', '\n', '\r'])
        .filter(|t| !t.is_empty())
        .enumerate()
    {
        let v: f64 = tok.parse().map_err(|_| {
            ItmError::Profile(format!(
                "{label}: value {} must be a number, found `{tok}`",
                i + 1
            ))
        })?;
        values.push(v);
    }
    from_pfl(&values).map_err(|e| ItmError::Profile(format!("{label}: not an NTIA PFL: {e}")))?;
    Ok(values)
}

/// Splits NTIA's PFL layout `[n intervals, step m, z0, …, zn]` into the
/// elevations `z0..=zn` and the step in m. Values after `zn` are ignored, as
/// NTIA does.
///
/// ```
/// let pfl = [2.0, 100.0, 10.0, 12.0, 11.0];
/// let (z, step) = spectrum_core::itm::from_pfl(&pfl).unwrap();
/// assert_eq!((z.len(), step), (3, 100.0));
/// ```
pub fn from_pfl(pfl: &[f64]) -> Result<(&[f64], f64), ItmError> {
    let (n, step) = match pfl {
        [n, step, ..] => (*n, *step),
        _ => {
            return Err(ItmError::Profile(format!(
                "a PFL needs [n, step, z0..zn], found {} values",
                pfl.len()
            )));
        }
    };
    if !(n.is_finite() && n >= 1.0 && n.fract() == 0.0) {
        return Err(ItmError::Profile(format!(
            "PFL interval count must be a whole number >= 1, found {n}"
        )));
    }
    let points = n as usize + 1;
    let z = pfl.get(2..2 + points).ok_or_else(|| {
        ItmError::Profile(format!(
            "PFL declares {points} elevations, found {}",
            pfl.len().saturating_sub(2)
        ))
    })?;
    Ok((z, step))
}

/// True when every height is finite: one branch-free pass.
fn all_finite(heights_m: &[f64]) -> bool {
    !heights_m.iter().fold(false, |bad, z| bad | !z.is_finite())
}

pub(crate) fn check_profile(elevations_m: &[f64], step_m: f64) -> Result<(), ItmError> {
    if elevations_m.len() < 2 {
        return Err(ItmError::Profile(format!(
            "need at least 2 elevations, found {}",
            elevations_m.len()
        )));
    }
    if !(step_m.is_finite() && step_m > 0.0) {
        return Err(ItmError::Profile(format!(
            "step must be a finite distance > 0 m, found {step_m}"
        )));
    }
    // One branch-free pass; the bad point is looked for only when there is one.
    if !all_finite(elevations_m) {
        let i = elevations_m
            .iter()
            .position(|z| !z.is_finite())
            .unwrap_or(0);
        return Err(ItmError::Profile(format!(
            "elevation {i} is not a finite number"
        )));
    }
    Ok(())
}

/// Reusable workspace for [`p2p_tls_with`]. Point-to-point calls already run
/// without heap allocation (stack buffers), so this holds nothing today; it
/// keeps the call shape stable for callers that pool workspaces.
#[derive(Debug, Default, Clone)]
pub struct ItmScratch {
    _private: (),
}

/// [`p2p_tls`] with a caller-owned workspace (see [`ItmScratch`]).
pub fn p2p_tls_with(
    _scratch: &mut ItmScratch,
    elevations_m: &[f64],
    step_m: f64,
    params: &ItmParams,
    time_pct: f64,
    location_pct: f64,
    situation_pct: f64,
) -> Result<ItmResult, ItmError> {
    p2p_tls(
        elevations_m,
        step_m,
        params,
        time_pct,
        location_pct,
        situation_pct,
    )
}

/// Point-to-point ITM with time / location / situation variability.
///
/// `elevations_m`: terrain heights at uniform spacing `step_m` from Tx (index 0)
/// to Rx (last); the path length is `(len − 1)·step_m`.
pub fn p2p_tls(
    elevations_m: &[f64],
    step_m: f64,
    params: &ItmParams,
    time_pct: f64,
    location_pct: f64,
    situation_pct: f64,
) -> Result<ItmResult, ItmError> {
    let warn = validate(params, time_pct, location_pct, situation_pct)?;
    // the profile's length and step first (the finiteness check below needs
    // at least two points)
    check_profile(elevations_m.get(..2).unwrap_or(elevations_m), step_m)?;
    let z = elevations_m;
    let np = z.len() - 1;
    // average path height, ignoring the first and last 10 %
    let p10 = (0.1 * np as f64) as usize;
    let mut h_sys = 0.0;
    for &zi in &z[p10..=np - p10] {
        h_sys += zi;
    }
    // The sum is finite when the heights it adds are (no separate pass over
    // them); the 10 % at each end are checked apart. Otherwise the whole
    // profile is checked, naming the first bad height; heights so large that
    // the sum overflows pass, as before.
    if !(h_sys.is_finite() && all_finite(&z[..p10]) && all_finite(&z[np - p10 + 1..])) {
        check_profile(z, step_m)?;
    }
    h_sys /= (np - 2 * p10 + 1) as f64;
    let h_m = [params.h_tx_m, params.h_rx_m];
    p2p_tls_from(
        params,
        [time_pct, location_pct, situation_pct],
        warn,
        h_sys,
        |gamma_e| quick_pfl(z, step_m, gamma_e, h_m),
    )
}

/// The rest of [`p2p_tls`] once the inputs are validated (`warn`: the
/// warnings so far) and the mean path height `h_sys_m` is known:
/// `geometry(gamma_e)` analyses the profile ([`quick_pfl`] or the radial
/// mode's incremental analysis), then the reference attenuation and the
/// variability.
pub(crate) fn p2p_tls_from(
    params: &ItmParams,
    [time_pct, location_pct, situation_pct]: [f64; 3],
    mut warn: u32,
    h_sys_m: f64,
    geometry: impl FnOnce(f64) -> PathGeometry,
) -> Result<ItmResult, ItmError> {
    let init = initialize(
        params.freq_mhz,
        h_sys_m,
        params.n0_nunits,
        params.polarization,
        params.epsilon,
        params.sigma_s_per_m,
    );
    let h_m = [params.h_tx_m, params.h_rx_m];
    let g = geometry(init.gamma_e);
    let reference = longley_rice(
        &LrInput {
            theta_hzn: g.theta_hzn,
            f_mhz: params.freq_mhz,
            z_g: init.z_g,
            d_hzn_m: g.d_hzn_m,
            h_e_m: g.h_e_m,
            gamma_e: init.gamma_e,
            n_s: init.n_s,
            delta_h_m: g.delta_h_m,
            h_m,
            d_m: g.d_m,
            p2p: true,
        },
        &mut warn,
    )?;
    let a_fs = free_space_loss_db(g.d_m, params.freq_mhz);
    let loss_db = variability(
        &VarInput {
            time: time_pct,
            location: location_pct,
            situation: situation_pct,
            h_e_m: g.h_e_m,
            delta_h_m: g.delta_h_m,
            f_mhz: params.freq_mhz,
            d_m: g.d_m,
            a_ref_db: reference.a_ref_db,
            climate: params.climate,
            mdvar: params.mdvar,
        },
        &mut warn,
    ) + a_fs;
    Ok(ItmResult {
        loss_db,
        warnings: warn,
        mode: reference.mode,
        intermediate: IntermediateValues {
            theta_hzn_rad: g.theta_hzn,
            d_hzn_m: g.d_hzn_m,
            h_e_m: g.h_e_m,
            n_s_nunits: init.n_s,
            delta_h_m: g.delta_h_m,
            a_ref_db: reference.a_ref_db,
            a_fs_db: a_fs,
            d_km: g.d_m / 1000.0,
            mode: reference.mode,
        },
    })
}

/// Point-to-point ITM with confidence / reliability variability (NTIA runs
/// TLS with time = reliability, location = 50 %, situation = confidence).
pub fn p2p_cr(
    elevations_m: &[f64],
    step_m: f64,
    params: &ItmParams,
    confidence_pct: f64,
    reliability_pct: f64,
) -> Result<ItmResult, ItmError> {
    p2p_tls(
        elevations_m,
        step_m,
        params,
        reliability_pct,
        50.0,
        confidence_pct,
    )
    .map_err(ItmError::into_cr)
}

/// Uniform step (m) of a [`PathProfile`], or an error if its spacing is not uniform.
pub fn profile_step_m(profile: &PathProfile) -> Result<f64, ItmError> {
    let d = &profile.distances_km;
    if d.len() < 2 || d.len() != profile.heights_m.len() {
        return Err(ItmError::Profile(format!(
            "need at least 2 points with one height each, found {} distances and {} heights",
            d.len(),
            profile.heights_m.len()
        )));
    }
    let n = (d.len() - 1) as f64;
    let step_km = (d[d.len() - 1] - d[0]) / n;
    for (i, w) in d.windows(2).enumerate() {
        let s = w[1] - w[0];
        if (s - step_km).abs() > 1e-6 * step_km.abs().max(1e-9) {
            return Err(ItmError::Profile(format!(
                "ITM needs uniform spacing: step {} is {s} km, expected {step_km} km",
                i + 1
            )));
        }
    }
    Ok(step_km * 1000.0)
}

/// [`p2p_tls`] over a [`PathProfile`] (uniform spacing required).
pub fn p2p_tls_profile(
    profile: &PathProfile,
    params: &ItmParams,
    time_pct: f64,
    location_pct: f64,
    situation_pct: f64,
) -> Result<ItmResult, ItmError> {
    let step = profile_step_m(profile)?;
    p2p_tls(
        &profile.heights_m,
        step,
        params,
        time_pct,
        location_pct,
        situation_pct,
    )
}

/// [`p2p_cr`] over a [`PathProfile`] (uniform spacing required).
pub fn p2p_cr_profile(
    profile: &PathProfile,
    params: &ItmParams,
    confidence_pct: f64,
    reliability_pct: f64,
) -> Result<ItmResult, ItmError> {
    let step = profile_step_m(profile)?;
    p2p_cr(
        &profile.heights_m,
        step,
        params,
        confidence_pct,
        reliability_pct,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itm::{Climate, Polarization};

    fn params() -> ItmParams {
        ItmParams {
            h_tx_m: 15.0,
            h_rx_m: 3.0,
            climate: Climate::ContinentalTemperate,
            n0_nunits: 301.0,
            freq_mhz: 3500.0,
            polarization: Polarization::Vertical,
            epsilon: 15.0,
            sigma_s_per_m: 0.005,
            mdvar: 1,
        }
    }

    #[test]
    fn cr_maps_error_codes() {
        let z = [0.0; 11];
        let e = p2p_cr(&z, 100.0, &params(), 50.0, 100.0).unwrap_err();
        assert_eq!(e.code(), 1007);
        let e = p2p_cr(&z, 100.0, &params(), 0.0, 50.0).unwrap_err();
        assert_eq!(e.code(), 1006);
    }

    #[test]
    fn bad_profiles_are_refused() {
        assert!(p2p_tls(&[1.0], 100.0, &params(), 50.0, 50.0, 50.0).is_err());
        assert!(from_pfl(&[3.0, 10.0, 1.0]).is_err());
        let prof = PathProfile::new(vec![0.0, 0.1, 0.3], vec![1.0, 2.0, 3.0]).unwrap();
        assert!(p2p_tls_profile(&prof, &params(), 50.0, 50.0, 50.0).is_err());
    }

    #[test]
    fn a_height_that_is_not_a_number_is_named_wherever_it_is() {
        // the ends (outside the mean height's range), inside it, and two bad
        for bad in [
            vec![0],
            vec![1],
            vec![3],
            vec![20],
            vec![49],
            vec![50],
            vec![7, 30],
        ] {
            for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                let mut z = vec![100.0; 51];
                for &i in &bad {
                    z[i] = value;
                }
                let e = p2p_tls(&z, 100.0, &params(), 50.0, 50.0, 50.0).unwrap_err();
                let want = format!("elevation {} is not a finite number", bad[0]);
                assert!(e.to_string().contains(&want), "{bad:?} {value}: {e}");
            }
        }
        // huge but finite heights are the model's business, not a refusal
        let z = vec![1e308; 51];
        let r = p2p_tls(&z, 100.0, &params(), 50.0, 50.0, 50.0);
        assert!(!matches!(r, Err(ItmError::Profile(_))), "{r:?}");
    }
}
