//! Extended Hata median loss and terrain correction factors (NTIA TR 15-517
//! Annex A; Okumura et al. 1968 curves): median basic loss with the
//! break-point distance, isolated ridge, mixed land-sea path, median and fine
//! rolling-hilly terrain, general slope, and NTIA's location variability.

use std::f64::consts::PI;

use super::Environment;

/// Median-loss intermediate values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Median {
    pub loss_db: f64,
    pub d_bp_km: f64,
    pub att_1km_db: f64,
    pub att_100km_db: f64,
}

/// Median basic transmission loss (NTIA `MedianBasicPropLoss`).
pub(crate) fn median_basic_loss(
    f_mhz: f64,
    h_b_m: f64,
    h_m_m: f64,
    d_km: f64,
    env: Environment,
) -> Median {
    let perm = 4.0e-7 * PI;
    let eps = 8.854e-12;
    let c = 1.0 / (eps * perm).sqrt();
    let sr_1km = (1.0e6 + (200.0f64 - 3.0).powi(2)).sqrt();
    let htg_hb_ref = 13.82 * 200.0f64.log10();
    let htg_hm_ref = 3.2 * (11.75f64 * 3.0).log10().powi(2) - 4.97;
    let wn_1500 = 2.0 * PI * 1.5e9 / c;
    let gamma_1 = (3.85 / 2.0f64.log10() - 1.5 / (4.0f64 / 3.0).log10()) / 1.5f64.log10();
    let beta_1 = 20.0 + 1.5 / (4.0f64 / 3.0).log10() - gamma_1 * 3.0e6f64.log10();
    let alpha_1 = 22.0 + htg_hb_ref + htg_hm_ref + 20.0 * (2.0 * wn_1500 * sr_1km).log10()
        - 1500.0f64.log10() * (beta_1 + gamma_1 * 1500.0f64.log10());
    let denom = (4.0f64 / 3.0).log10() * 1.5f64.log10() * 2.0f64.log10();
    let gamma_1_sub = (2.5 * (4.0f64 / 3.0).log10() - 0.9 * 2.0f64.log10()) / denom;
    let beta_1_sub = (0.9 * 2.0f64.log10() * 4.5e6f64.log10()
        - 2.5 * (4.0f64 / 3.0).log10() * 3.0e6f64.log10())
        / denom;
    let alpha_1_sub = 11.5 - beta_1_sub * 1.5e3f64.log10() - gamma_1_sub * 1.5e3f64.log10().powi(2);
    let alpha_100 = 120.78129;
    let beta_100 = -52.714929;
    let gamma_100 = 10.919011;
    let tau = (0.72 * (70.0f64 / 24.5).log10() - 0.5 * (200.0f64 / 24.5).log10())
        / (70.0f64 / 24.5).log10()
        / (200.0f64 / 70.0).log10()
        / (200.0f64 / 24.5).log10();
    let sigma = 0.72 / (200.0f64 / 24.5).log10() - tau * (200.0f64 * 24.5).log10();
    let rho = 2.5 - 24.5f64.log10() * (sigma + tau * 24.5f64.log10());
    let lf = f_mhz.log10();
    let suburban_factor = alpha_1_sub + beta_1_sub * lf + gamma_1_sub * lf.powi(2);
    let rural_factor = 40.94 - 18.33 * lf + 4.78 * lf.powi(2);
    let wnmh = 2.0e6 * PI * f_mhz / c;
    let term1 = lf * (beta_1 + gamma_1 * lf);
    let att_1km = alpha_1 + term1 - htg_hb_ref - htg_hm_ref - 20.0 * (2.0 * wnmh * sr_1km).log10();
    let att_100km = alpha_100 + lf * (beta_100 + gamma_100 * lf);
    let lhb = h_b_m.log10();
    let term2 = -13.82 * lhb;
    let n_h = 2.0 * (rho + lhb * (sigma + tau * lhb) - 1.0);
    let n_l = 0.1 * (44.9 - 6.55 * lhb) - 2.0;
    let d_bp = 10f64.powf((2.0 * n_h + 0.1 * (att_1km - att_100km)) / (n_h - n_l));
    let terma = -3.2 * (11.75 * h_m_m).log10().powi(2) + 4.97;
    let sr_d = (1.0e6 * d_km.powi(2) + (h_b_m - h_m_m).powi(2)).sqrt();
    let urban = if d_km <= d_bp {
        alpha_1 + term1 + term2 + terma + (44.9 - 6.55 * lhb) * d_km.log10()
    } else {
        att_100km + htg_hb_ref + term2 + htg_hm_ref + terma - 20.0 * n_h
            + 10.0 * n_h * d_km.log10()
            + 20.0 * (2.0 * wnmh * sr_d).log10()
    };
    let loss_db = match env {
        Environment::Urban | Environment::DenseUrban => urban,
        Environment::Suburban => urban - suburban_factor,
        Environment::Rural => urban - rural_factor,
    };
    Median {
        loss_db,
        d_bp_km: d_bp,
        att_1km_db: att_1km,
        att_100km_db: att_100km,
    }
}

/// Isolated ridge correction (dB) from the horizon distances and ridge height.
pub(crate) fn isolated_ridge(d1_hzn_km: f64, d2_hzn_km: f64, h_edge_m: f64) -> f64 {
    const D_1: [f64; 3] = [15.0, 30.0, 60.0];
    const D_2: [f64; 9] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
    const CURVES: [[f64; 9]; 3] = [
        [4.0, -13.0, -17.5, -17.5, -15.0, -12.5, -10.0, -8.0, -6.0],
        [12.0, -8.5, -13.0, -12.0, -10.0, -8.0, -6.5, -5.0, -4.0],
        [20.0, -4.0, -6.5, -6.0, -4.5, -3.5, -2.5, -2.0, -1.0],
    ];
    let alpha = (h_edge_m / 200.0).sqrt();
    let id1 = usize::from(d1_hzn_km >= D_1[1]);
    let mut id2 = 0;
    while id2 < 7 && d2_hzn_km > D_2[id2 + 1] {
        id2 += 1;
    }
    let interp = |row: &[f64; 9]| {
        row[id2] + (row[id2 + 1] - row[id2]) * (d2_hzn_km - D_2[id2]) / (D_2[id2 + 1] - D_2[id2])
    };
    let c1 = interp(&CURVES[id1]);
    let c2 = interp(&CURVES[id1 + 1]);
    alpha * (c1 + (c2 - c1) * (d1_hzn_km - D_1[id1]) / (D_1[id1 + 1] - D_1[id1]))
}

/// Mixed land-sea path correction (dB) for sea fraction `beta`.
pub(crate) fn mixed_path(d_km: f64, beta: f64, iend_ov_sea: i32) -> f64 {
    const BETA_30: [f64; 10] = [0.0, 0.15, 0.35, 0.45, 0.6, 0.65, 0.725, 0.775, 0.85, 1.0];
    const CORR_30: [[f64; 10]; 2] = [
        [0.0, 1.0, 3.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0],
        [0.0, 4.0, 5.5, 7.0, 8.5, 9.0, 9.5, 9.8, 10.25, 11.0],
    ];
    const BETA_60: [f64; 10] = [0.0, 0.15, 0.3, 0.4, 0.5, 0.6, 0.725, 0.85, 0.9, 1.0];
    const CORR_60: [[f64; 10]; 2] = [
        [0.0, 2.0, 4.0, 5.5, 7.0, 9.0, 11.0, 13.0, 14.0, 15.0],
        [0.0, 4.25, 6.25, 9.2, 10.5, 11.75, 13.0, 14.0, 14.25, 15.0],
    ];
    if beta == 0.0 {
        return 0.0;
    }
    let index = |table: &[f64; 10]| {
        let mut i = 0;
        while i < 8 && beta > table[i + 1] {
            i += 1;
        }
        i
    };
    let i30 = index(&BETA_30);
    let i60 = index(&BETA_60);
    let slope = |b: &[f64; 10], c: &[f64; 10], i: usize| (c[i + 1] - c[i]) / (b[i + 1] - b[i]);
    let corr = |b: &[f64; 10], c: &[[f64; 10]; 2], i: usize| match iend_ov_sea {
        0 | 1 => {
            let e = iend_ov_sea as usize;
            c[e][i] + (beta - b[i]) * slope(b, &c[e], i)
        }
        _ => 0.5 * (c[0][i] + c[1][i] + (beta - b[i]) * (slope(b, &c[0], i) + slope(b, &c[1], i))),
    };
    if d_km <= 30.0 {
        corr(&BETA_30, &CORR_30, i30)
    } else if d_km >= 60.0 {
        corr(&BETA_60, &CORR_60, i60)
    } else {
        let dist_fact = (d_km - 30.0) / 30.0;
        let q30 = corr(&BETA_30, &CORR_30, i30);
        let q60 = corr(&BETA_60, &CORR_60, i60);
        q30 + dist_fact * (q60 - q30)
    }
}

/// Median rolling-hilly terrain correction (dB) from Δh.
pub(crate) fn median_rolling_hilly(delta_h_m: f64) -> f64 {
    let (a, b, c) = (-1.5072013, 8.458676, -6.102538);
    let dh = if delta_h_m < 15.0 { 15.0 } else { delta_h_m };
    a + dh.log10() * (b + c * dh.log10())
}

/// Fine rolling-hilly terrain correction (dB) from the mobile's ground height
/// relative to the terrain quantiles.
/// `testbed`: the original ITS code (Δh floored at 10 m; lower branch scaled by
/// the mobile height above the 90 % quantile).
pub(crate) fn fine_rolling_hilly(
    delta_h_m: f64,
    pfl10: f64,
    pfl50: f64,
    pfl90: f64,
    h_m_gnd_m: f64,
    testbed: bool,
) -> f64 {
    let (a, b, c) = (-11.728795, 15.544272, -1.8154766);
    let dh = if delta_h_m >= 10.0 {
        delta_h_m
    } else if testbed {
        10.0
    } else {
        return 0.0;
    };
    let k_h = a + dh.log10() * (b + c * dh.log10());
    if h_m_gnd_m >= pfl10 {
        k_h
    } else if h_m_gnd_m <= pfl90 {
        -k_h
    } else if h_m_gnd_m < pfl10 && h_m_gnd_m >= pfl50 {
        k_h * (h_m_gnd_m - pfl50) / (pfl10 - pfl50)
    } else if testbed {
        -k_h * (h_m_gnd_m - pfl90) / (pfl50 - pfl90)
    } else {
        -k_h * (pfl50 - h_m_gnd_m) / (pfl50 - pfl90)
    }
}

/// General slope correction (dB) from the mobile terrain slope (mrad).
pub(crate) fn general_slope(theta_m_mrad: f64, d_km: f64) -> f64 {
    let (emm1, emm2) = (0.25, 0.8);
    let (emp1, emp2, emp3) = (0.125, 0.35, 0.6);
    if theta_m_mrad <= 0.0 {
        if d_km <= 10.0 {
            theta_m_mrad * emm1
        } else if d_km >= 30.0 {
            theta_m_mrad * emm2
        } else {
            theta_m_mrad * (emm1 + 0.05 * (emm2 - emm1) * (d_km - 10.0))
        }
    } else if d_km <= 10.0 {
        theta_m_mrad * emp1
    } else if d_km >= 60.0 {
        theta_m_mrad * emp3
    } else if d_km > 10.0 && d_km <= 30.0 {
        theta_m_mrad * (emp1 + 0.05 * (d_km - 10.0) * (emp2 - emp1))
    } else {
        theta_m_mrad * (emp2 + (d_km - 30.0) * (emp3 - emp2) / 30.0)
    }
}

/// NTIA eHata location variability: loss not exceeded at `reliability` (0..1).
pub(crate) fn variability(median_db: f64, f_mhz: f64, env: Environment, reliability: f64) -> f64 {
    let lf = f_mhz.log10();
    let sigma_u = 4.0976291 + -1.2255656 * lf + 0.68350345 * lf.powi(2);
    let sigma = match env {
        Environment::Urban | Environment::DenseUrban => sigma_u,
        _ => sigma_u + 2.0,
    };
    median_db - ierf(reliability) * sigma
}

/// NTIA's inverse normal approximation (`ierf`).
fn ierf(q: f64) -> f64 {
    let (c0, c1, c2) = (2.515516698, 0.802853, 0.010328);
    let (d1, d2, d3) = (1.432788, 0.189269, 0.001308);
    let x = 0.5 - q;
    let t = (0.5 - x.abs()).max(0.000001);
    let t = (-2.0 * t.ln()).sqrt();
    let v = t - ((c2 * t + c1) * t + c0) / (((d3 * t + d2) * t + d1) * t + 1.0);
    if x < 0.0 { -v } else { v }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_sea_no_mixed_path_correction() {
        assert_eq!(mixed_path(40.0, 0.0, -1), 0.0);
        assert!((mixed_path(20.0, 1.0, 0) - 11.0).abs() < 1e-12);
    }

    #[test]
    fn median_variability_is_zero() {
        assert!((variability(100.0, 1000.0, Environment::Urban, 0.5) - 100.0).abs() < 1e-5);
    }
}
