//! ITM v1.3 area prediction mode (NTIA `ITM_AREA_TLS_Ex`, `ITM_AREA_CR_Ex`,
//! `InitializeArea`): effective heights and horizons estimated from Δh and the
//! siting criteria instead of a terrain profile.

use serde::Serialize;

use super::lr::{LrInput, initialize, longley_rice};
use super::variability::{VarInput, variability};
use super::{IntermediateValues, ItmError, ItmParams, ItmResult, free_space_loss_db, validate};

/// How carefully a terminal was sited (NTIA codes 0, 1, 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SitingCriteria {
    /// 0: random.
    Random,
    /// 1: careful.
    Careful,
    /// 2: very careful.
    VeryCareful,
}

impl SitingCriteria {
    /// NTIA code.
    pub fn code(self) -> i32 {
        match self {
            Self::Random => 0,
            Self::Careful => 1,
            Self::VeryCareful => 2,
        }
    }

    /// The criteria for NTIA code 0..=2 (`None` otherwise).
    pub fn from_code(code: i32) -> Option<Self> {
        match code {
            0 => Some(Self::Random),
            1 => Some(Self::Careful),
            2 => Some(Self::VeryCareful),
            _ => None,
        }
    }
}

/// Effective heights, horizon distances and angles (NTIA `InitializeArea`).
fn initialize_area(
    siting: [SitingCriteria; 2],
    gamma_e: f64,
    delta_h_m: f64,
    h_m: [f64; 2],
) -> ([f64; 2], [f64; 2], [f64; 2]) {
    let one = |site: SitingCriteria, h: f64| {
        let h_e = match site {
            SitingCriteria::Random => h,
            s => {
                let mut b = if s == SitingCriteria::Careful {
                    4.0
                } else {
                    9.0
                };
                if h < 5.0 {
                    b *= (0.1 * std::f64::consts::PI * h).sin();
                }
                h + (1.0 + b) * (-(2.0 * h / delta_h_m.max(1e-3)).min(20.0)).exp()
            }
        };
        let d_ls = (2.0 * h_e / gamma_e).sqrt();
        const H_3_M: f64 = 5.0;
        let d_hzn = d_ls * (-0.07 * (delta_h_m / h_e.max(H_3_M)).sqrt()).exp();
        let theta = (0.65 * delta_h_m * (d_ls / d_hzn - 1.0) - 2.0 * h_e) / d_ls;
        (h_e, d_hzn, theta)
    };
    let (he0, d0, t0) = one(siting[0], h_m[0]);
    let (he1, d1, t1) = one(siting[1], h_m[1]);
    ([he0, he1], [d0, d1], [t0, t1])
}

/// Area-mode ITM with time / location / situation variability.
///
/// `dist_km` > 0 is the path length, `delta_h_m` ≥ 0 the terrain irregularity.
#[allow(clippy::too_many_arguments)]
pub fn area_tls(
    params: &ItmParams,
    tx_siting: SitingCriteria,
    rx_siting: SitingCriteria,
    dist_km: f64,
    delta_h_m: f64,
    time_pct: f64,
    location_pct: f64,
    situation_pct: f64,
) -> Result<ItmResult, ItmError> {
    let mut warn = validate(params, time_pct, location_pct, situation_pct)?;
    if dist_km.is_nan() || dist_km <= 0.0 {
        return Err(ItmError::PathDistance { found: dist_km });
    }
    if delta_h_m.is_nan() || delta_h_m < 0.0 {
        return Err(ItmError::DeltaH { found: delta_h_m });
    }
    let h_m = [params.h_tx_m, params.h_rx_m];
    let init = initialize(
        params.freq_mhz,
        0.0,
        params.n0_nunits,
        params.polarization,
        params.epsilon,
        params.sigma_s_per_m,
    );
    let (h_e, d_hzn, theta) = initialize_area([tx_siting, rx_siting], init.gamma_e, delta_h_m, h_m);
    let d_m = dist_km * 1000.0;
    let reference = longley_rice(
        &LrInput {
            theta_hzn: theta,
            f_mhz: params.freq_mhz,
            z_g: init.z_g,
            d_hzn_m: d_hzn,
            h_e_m: h_e,
            gamma_e: init.gamma_e,
            n_s: init.n_s,
            delta_h_m,
            h_m,
            d_m,
            p2p: false,
        },
        &mut warn,
    )?;
    let a_fs = free_space_loss_db(d_m, params.freq_mhz);
    let loss_db = a_fs
        + variability(
            &VarInput {
                time: time_pct,
                location: location_pct,
                situation: situation_pct,
                h_e_m: h_e,
                delta_h_m,
                f_mhz: params.freq_mhz,
                d_m,
                a_ref_db: reference.a_ref_db,
                climate: params.climate,
                mdvar: params.mdvar,
            },
            &mut warn,
        );
    Ok(ItmResult {
        loss_db,
        warnings: warn,
        mode: reference.mode,
        intermediate: IntermediateValues {
            theta_hzn_rad: theta,
            d_hzn_m: d_hzn,
            h_e_m: h_e,
            n_s_nunits: init.n_s,
            delta_h_m,
            a_ref_db: reference.a_ref_db,
            a_fs_db: a_fs,
            d_km: dist_km,
            mode: reference.mode,
        },
    })
}

/// Area-mode ITM with confidence / reliability variability (TLS with time =
/// reliability, location = 50 %, situation = confidence).
pub fn area_cr(
    params: &ItmParams,
    tx_siting: SitingCriteria,
    rx_siting: SitingCriteria,
    dist_km: f64,
    delta_h_m: f64,
    confidence_pct: f64,
    reliability_pct: f64,
) -> Result<ItmResult, ItmError> {
    area_tls(
        params,
        tx_siting,
        rx_siting,
        dist_km,
        delta_h_m,
        reliability_pct,
        50.0,
        confidence_pct,
    )
    .map_err(ItmError::into_cr)
}
