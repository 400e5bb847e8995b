//! Extended Hata (eHata) urban propagation model, NTIA TR 15-517 (2015), as
//! implemented by NTIA/ITS (`NTIA/ehata`) and kept, with its corrections and
//! "WInnForum extensions", by the Wireless Innovation Forum SAS reference
//! models (the version CBRS uses).
//!
//! The median basic loss extends Okumura-Hata to 1500–3000 MHz and beyond the
//! break-point distance; terrain corrections follow Okumura et al. (1968):
//! isolated ridge (single-horizon paths), mixed land-sea paths, median and
//! fine rolling-hilly terrain and general slope (two-horizon paths).
//!
//! The profile runs from the **mobile** (index 0) to the **base station**
//! (last index), as in NTIA's code.
//!
//! ```
//! use spectrum_core::ehata::{extended_hata, EhataOptions, Environment};
//! let z = vec![100.0; 101];
//! let r = extended_hata(&z, 100.0, 3500.0, 30.0, 3.0, Environment::Urban, &EhataOptions::default()).unwrap();
//! assert!(r.loss_db > 100.0);
//! ```

use serde::Serialize;
use thiserror::Error;

mod corrections;
mod terrain;
mod testbed;

/// Environment of the mobile (NTIA codes: 22 suburban, 23 urban, 24 dense urban, other rural).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Environment {
    /// Rural / open (any code other than 22, 23, 24).
    Rural,
    /// Suburban (22).
    Suburban,
    /// Urban (23).
    Urban,
    /// Dense urban (24): same median loss as urban.
    DenseUrban,
}

impl Environment {
    /// The environment for an NTIA code (22, 23, 24; anything else is rural).
    pub fn from_code(code: i64) -> Self {
        match code {
            22 => Self::Suburban,
            23 => Self::Urban,
            24 => Self::DenseUrban,
            _ => Self::Rural,
        }
    }
}

/// Options of [`extended_hata`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EhataOptions {
    /// WInnForum extensions (on in the SAS reference models): base effective
    /// height clamped to 20..=200 m, mobile height used as given, and the 3 km
    /// averaging start rounded up. Off: NTIA's clamps (1..=10 m, 30..=200 m).
    pub winnforum_extensions: bool,
    /// Location reliability in (0, 1) for NTIA's variability; `None` = median (WInnForum).
    pub reliability: Option<f64>,
    /// Reproduce the original ITS test-bed code (2016, the one that produced the
    /// published `test-inputs.csv` values, used with the extensions off): average
    /// ground height 3–15 km taken as `mean·(d−3)/12`, fine rolling-hilly
    /// correction with Δh floored at 10 m and its original lower-branch formula,
    /// and the mobile terrain slope in single precision as that code computed
    /// it (see `testbed.rs`).
    pub its_testbed: bool,
}

impl Default for EhataOptions {
    fn default() -> Self {
        Self {
            winnforum_extensions: true,
            reliability: None,
            its_testbed: false,
        }
    }
}

/// eHata result with NTIA's intermediate values (`InterValues`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EhataResult {
    /// Basic transmission loss, dB.
    pub loss_db: f64,
    /// Median basic loss before terrain corrections, dB.
    pub median_loss_db: f64,
    /// Sum of the terrain corrections subtracted from the median loss, dB.
    pub corrections_db: f64,
    /// Break-point distance, km.
    pub d_bp_km: f64,
    /// Attenuation at 1 km, dB.
    pub att_1km_db: f64,
    /// Attenuation at 100 km, dB.
    pub att_100km_db: f64,
    /// Effective base-station height used, m.
    pub h_b_eff_m: f64,
    /// Effective mobile height used, m.
    pub h_m_eff_m: f64,
    /// Terrain height exceeded by 10 % of the points near the mobile, m.
    pub pfl10_m: f64,
    /// Median terrain height near the mobile, m.
    pub pfl50_m: f64,
    /// Terrain height exceeded by 90 % of the points near the mobile, m.
    pub pfl90_m: f64,
    /// Terrain irregularity Δh, m.
    pub delta_h_m: f64,
    /// Path length, km.
    pub d_km: f64,
    /// Horizon distances [mobile, base], m.
    pub d_hzn_m: [f64; 2],
    /// Average ground heights [mobile, base], m.
    pub h_avg_m: [f64; 2],
    /// Mobile terrain slope, mrad.
    pub theta_m_mrad: f64,
    /// Fraction of the path over sea.
    pub beta: f64,
    /// Which end is over sea: 1 mobile end, 0 base end, −1 balanced.
    pub iend_ov_sea: i32,
    /// Effective ridge height of a single-horizon path, m.
    pub hedge_tilda_m: f64,
    /// True for a single-horizon (isolated ridge) path.
    pub single_horizon: bool,
    /// Largest mobile slope over 5..=10 km, mrad.
    pub slope_max: f64,
    /// Smallest mobile slope over 5..=10 km, mrad.
    pub slope_min: f64,
}

/// Inputs eHata cannot use.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EhataError {
    /// The terrain profile is unusable.
    #[error("terrain profile: {0}")]
    Profile(String),
    /// A parameter is not a finite number in range.
    #[error("{name} must be {expected}, found {found}")]
    Parameter {
        /// Parameter name.
        name: &'static str,
        /// What was expected.
        expected: &'static str,
        /// Value given.
        found: f64,
    },
}

/// Frequencies accepted by [`extended_hata`], MHz: Okumura's curves start at
/// 100 MHz and the published reference set reaches 4000 MHz (CBRS uses the
/// model to 3700 MHz); above 6000 MHz the model is not used.
pub const FREQ_RANGE_MHZ: (f64, f64) = (100.0, 6000.0);

/// Extended Hata basic transmission loss over a terrain profile.
///
/// `elevations_m` at uniform spacing `step_m` from the mobile (index 0) to the
/// base station (last); `h_b_m` / `h_m_m` are the antenna heights above ground.
pub fn extended_hata(
    elevations_m: &[f64],
    step_m: f64,
    freq_mhz: f64,
    h_b_m: f64,
    h_m_m: f64,
    env: Environment,
    options: &EhataOptions,
) -> Result<EhataResult, EhataError> {
    if elevations_m.len() < 2 {
        return Err(EhataError::Profile(format!(
            "need at least 2 elevations, found {}",
            elevations_m.len()
        )));
    }
    if let Some(i) = elevations_m.iter().position(|z| !z.is_finite()) {
        return Err(EhataError::Profile(format!(
            "elevation {i} is not a finite number"
        )));
    }
    let positive = |name, v: f64| {
        if v.is_finite() && v > 0.0 {
            Ok(())
        } else {
            Err(EhataError::Parameter {
                name,
                expected: "a finite number > 0",
                found: v,
            })
        }
    };
    positive("step_m", step_m)?;
    if !(FREQ_RANGE_MHZ.0..=FREQ_RANGE_MHZ.1).contains(&freq_mhz) {
        return Err(EhataError::Parameter {
            name: "freq_mhz",
            expected: "within 100..=6000 MHz",
            found: freq_mhz,
        });
    }
    for (name, v) in [("h_b_m", h_b_m), ("h_m_m", h_m_m)] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(EhataError::Parameter {
                name,
                expected: "a finite height >= 0 m",
                found: v,
            });
        }
    }
    if let Some(r) = options.reliability
        && !(r > 0.0 && r < 1.0)
    {
        return Err(EhataError::Parameter {
            name: "reliability",
            expected: "within (0, 1)",
            found: r,
        });
    }
    let z = elevations_m;
    let np = z.len() - 1;
    let testbed = options.its_testbed;
    // The test bed ran with the extensions off.
    let wf = options.winnforum_extensions && !testbed;
    let t = terrain::preprocess(z, step_m, h_b_m, h_m_m, wf, testbed);
    let h_m_gnd = z[0];
    // The test bed stored every value in a C float (see `testbed.rs`).
    let stored = |v: f64| if testbed { testbed::f32_round(v) } else { v };
    let effective = |h: f64, ground: f64, avg: f64| {
        if testbed {
            f64::from(h as f32 + ground as f32 - avg as f32)
        } else {
            h + ground - avg
        }
    };
    let h_b_eff = effective(h_b_m, z[np], t.h_avg_m[1]);
    let (h_b_eff, h_m_eff) = if wf {
        (h_b_eff.clamp(20.0, 200.0), h_m_m)
    } else {
        (
            h_b_eff.clamp(30.0, 200.0),
            effective(h_m_m, z[0], t.h_avg_m[0]).clamp(1.0, 10.0),
        )
    };
    let d_km = if testbed {
        f64::from(np as f32 * step_m as f32 / 1000.0)
    } else {
        terrain::distance_m(np, step_m) / 1000.0
    };
    let d1_hzn_km = t.d_hzn_m[1] * 0.001;
    let d2_hzn_km = t.d_hzn_m[0] * 0.001;
    let (d1_hzn_km, d2_hzn_km) = (stored(d1_hzn_km), stored(d2_hzn_km));
    let median = corrections::median_basic_loss(freq_mhz, h_b_eff, h_m_eff, d_km, env);
    let base = stored(match options.reliability {
        Some(r) => corrections::variability(median.loss_db, freq_mhz, env, r),
        None => median.loss_db,
    });
    // Subtract the corrections one by one (in single precision in the test bed).
    let subtract = |acc: f64, c: f64| {
        if testbed {
            f64::from(acc as f32 - c as f32)
        } else {
            acc - c
        }
    };
    let loss_db = if t.single_horizon {
        let ridge = if testbed {
            testbed::isolated_ridge_f32(d1_hzn_km, d2_hzn_km, t.hedge_tilda_m)
        } else {
            corrections::isolated_ridge(d1_hzn_km, d2_hzn_km, t.hedge_tilda_m)
        };
        let l = subtract(base, ridge);
        subtract(l, corrections::mixed_path(d_km, t.beta, t.iend_ov_sea))
    } else {
        let mut l = subtract(base, corrections::median_rolling_hilly(t.delta_h_m));
        l = subtract(
            l,
            corrections::fine_rolling_hilly(
                t.delta_h_m,
                t.pfl10_m,
                t.pfl50_m,
                t.pfl90_m,
                h_m_gnd,
                testbed,
            ),
        );
        l = subtract(l, corrections::general_slope(t.theta_m_mrad, d_km));
        subtract(l, corrections::mixed_path(d_km, t.beta, t.iend_ov_sea))
    };
    if !loss_db.is_finite() {
        return Err(EhataError::Profile(format!(
            "no finite loss from {} points at {step_m} m spacing: the terrain slope needs at least \
             two points within 5 km of the mobile (a step of at most 2.5 km)",
            z.len()
        )));
    }
    Ok(EhataResult {
        loss_db,
        median_loss_db: median.loss_db,
        corrections_db: base - loss_db,
        d_bp_km: median.d_bp_km,
        att_1km_db: median.att_1km_db,
        att_100km_db: median.att_100km_db,
        h_b_eff_m: h_b_eff,
        h_m_eff_m: h_m_eff,
        pfl10_m: t.pfl10_m,
        pfl50_m: t.pfl50_m,
        pfl90_m: t.pfl90_m,
        delta_h_m: t.delta_h_m,
        d_km,
        d_hzn_m: t.d_hzn_m,
        h_avg_m: t.h_avg_m,
        theta_m_mrad: t.theta_m_mrad,
        beta: t.beta,
        iend_ov_sea: t.iend_ov_sea,
        hedge_tilda_m: t.hedge_tilda_m,
        single_horizon: t.single_horizon,
        slope_max: t.slope_max,
        slope_min: t.slope_min,
    })
}

/// Median basic loss alone (no terrain corrections), dB.
pub fn median_basic_loss_db(
    freq_mhz: f64,
    h_b_m: f64,
    h_m_m: f64,
    dist_km: f64,
    env: Environment,
) -> f64 {
    corrections::median_basic_loss(freq_mhz, h_b_m, h_m_m, dist_km, env).loss_db
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suburban_and_rural_lose_less_than_urban() {
        let urban = median_basic_loss_db(1500.0, 50.0, 3.0, 10.0, Environment::Urban);
        let sub = median_basic_loss_db(1500.0, 50.0, 3.0, 10.0, Environment::Suburban);
        let rural = median_basic_loss_db(1500.0, 50.0, 3.0, 10.0, Environment::Rural);
        assert!(urban > sub && sub > rural, "{urban} {sub} {rural}");
    }

    #[test]
    fn a_step_too_coarse_for_the_slope_is_an_error_not_nan() {
        let o = EhataOptions {
            winnforum_extensions: false,
            ..EhataOptions::default()
        };
        let r = extended_hata(
            &[100.0, 120.0],
            12_000.0,
            900.0,
            30.0,
            3.0,
            Environment::Urban,
            &o,
        );
        assert!(matches!(r, Err(EhataError::Profile(_))), "{r:?}");
    }

    #[test]
    fn rejects_bad_inputs() {
        let o = EhataOptions::default();
        assert!(extended_hata(&[1.0], 10.0, 900.0, 30.0, 3.0, Environment::Urban, &o).is_err());
        assert!(extended_hata(&[1.0, 2.0], 10.0, -1.0, 30.0, 3.0, Environment::Urban, &o).is_err());
    }
}
