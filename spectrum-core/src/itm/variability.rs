//! ITM v1.3 variability (NTIA `Variability`): the climate curves of TN101
//! Fig. 10.13, time / location / situation deviations, the four modes of
//! variability (single message, accidental, mobile, broadcast, +10 / +20
//! eliminations) and the final soft limit on negative losses.

use super::diffraction::terrain_roughness;
use super::frequency::FrequencyTerms;
use super::{Climate, inverse_ccdf, warnings};

/// Effective earth radius used for the effective distance, m.
const A_9000_M: f64 = 9000e3;

const ALL_YEAR: [[f64; 7]; 5] = [
    [-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15],
    [12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9],
    [
        144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.0e3,
    ],
    [
        190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3,
    ],
    [133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3],
];
const BSM1: [f64; 7] = [2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51];
const BSM2: [f64; 7] = [159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8];
const XSM1: [f64; 7] = [762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3];
const XSM2: [f64; 7] = [
    123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3,
];
const XSM3: [f64; 7] = [94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3];
const BSP1: [f64; 7] = [2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43];
const BSP2: [f64; 7] = [102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19];
const XSP1: [f64; 7] = [636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3];
const XSP2: [f64; 7] = [134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3];
const XSP3: [f64; 7] = [95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3];
const C_D: [f64; 7] = [1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518];
const Z_D: [f64; 7] = [1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282];
const BFM1: [f64; 7] = [1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0];
const BFM2: [f64; 7] = [0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0];
const BFM3: [f64; 7] = [0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0];
const BFP1: [f64; 7] = [1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0];
const BFP2: [f64; 7] = [0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0];
const BFP3: [f64; 7] = [0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0];

fn curve(c1: f64, c2: f64, x1: f64, x2: f64, x3: f64, d_e_m: f64) -> f64 {
    (c1 + c2 / (1.0 + ((d_e_m - x2) / x3).powi(2))) * (d_e_m / x1).powi(2)
        / (1.0 + (d_e_m / x1).powi(2))
}

/// Inputs of [`variability`].
pub(crate) struct VarInput {
    pub time: f64,
    pub location: f64,
    pub situation: f64,
    pub h_e_m: [f64; 2],
    pub delta_h_m: f64,
    pub f_mhz: f64,
    pub d_m: f64,
    pub a_ref_db: f64,
    pub climate: Climate,
    pub mdvar: i32,
}

/// Attenuation relative to free space including variability, dB.
pub(crate) fn variability(v: &VarInput, warn: &mut u32) -> f64 {
    // the three deviates; a percentage equal to one already converted (maps
    // and most studies use one value for all three) reuses its deviate
    let deviate = |pct: f64, done: &[(f64, f64)]| {
        done.iter()
            .find(|&&(p, _)| p == pct)
            .map_or_else(|| inverse_ccdf(pct / 100.0), |&(_, z)| z)
    };
    let mut z_t = deviate(v.time, &[]);
    let mut z_l = deviate(v.location, &[(v.time, z_t)]);
    let z_s = deviate(v.situation, &[(v.time, z_t), (v.location, z_l)]);
    let c = v.climate.index();
    let wn = v.f_mhz / 47.7;
    let f_terms = FrequencyTerms::of(v.f_mhz);
    let d_ex = (2.0 * A_9000_M * v.h_e_m[0]).sqrt()
        + (2.0 * A_9000_M * v.h_e_m[1]).sqrt()
        + f_terms.variability_cbrt;
    let d_e = if v.d_m < d_ex {
        130e3 * v.d_m / d_ex
    } else {
        130e3 + v.d_m - d_ex
    };

    let mut mdvar = v.mdvar;
    let plus20 = mdvar >= 20;
    if plus20 {
        mdvar -= 20;
    }
    let sigma_s = if plus20 {
        0.0
    } else {
        5.0 + 3.0 * (-d_e / 100e3).exp()
    };
    let plus10 = mdvar >= 10;
    if plus10 {
        mdvar -= 10;
    }
    let v_med = curve(
        ALL_YEAR[0][c],
        ALL_YEAR[1][c],
        ALL_YEAR[2][c],
        ALL_YEAR[3][c],
        ALL_YEAR[4][c],
        d_e,
    );
    match mdvar {
        0 => {
            z_t = z_s;
            z_l = z_s;
        }
        1 => z_l = z_s,
        2 => z_l = z_t,
        _ => {}
    }
    if z_t.abs() > 3.10 || z_l.abs() > 3.10 || z_s.abs() > 3.10 {
        *warn |= warnings::EXTREME_VARIABILITIES;
    }
    let sigma_l = if plus10 {
        0.0
    } else {
        let dh = terrain_roughness(v.d_m, v.delta_h_m);
        10.0 * wn * dh / (wn * dh + 13.0)
    };
    let y_l = sigma_l * z_l;
    let q = f_terms.variability_ln;
    let g_minus = BFM1[c] + BFM2[c] / ((BFM3[c] * q).powi(2) + 1.0);
    let g_plus = BFP1[c] + BFP2[c] / ((BFP3[c] * q).powi(2) + 1.0);
    let sigma_t_minus = curve(BSM1[c], BSM2[c], XSM1[c], XSM2[c], XSM3[c], d_e) * g_minus;
    let sigma_t_plus = curve(BSP1[c], BSP2[c], XSP1[c], XSP2[c], XSP3[c], d_e) * g_plus;
    let sigma_td = C_D[c] * sigma_t_plus;
    let tgtd = (sigma_t_plus - sigma_td) * Z_D[c];
    let sigma_t = if z_t < 0.0 {
        sigma_t_minus
    } else if z_t <= Z_D[c] {
        sigma_t_plus
    } else {
        sigma_td + tgtd / z_t
    };
    let y_t = sigma_t * z_t;
    let y_s_temp =
        sigma_s.powi(2) + y_t.powi(2) / (7.8 + z_s.powi(2)) + y_l.powi(2) / (24.0 + z_s.powi(2));
    let (y_r, y_s) = match mdvar {
        0 => (
            0.0,
            (sigma_t.powi(2) + sigma_l.powi(2) + y_s_temp).sqrt() * z_s,
        ),
        1 => (y_t, (sigma_l.powi(2) + y_s_temp).sqrt() * z_s),
        2 => (
            (sigma_t.powi(2) + sigma_l.powi(2)).sqrt() * z_t,
            y_s_temp.sqrt() * z_s,
        ),
        _ => (y_t + y_l, y_s_temp.sqrt() * z_s),
    };
    let mut result = v.a_ref_db - v_med - y_r - y_s;
    if result < 0.0 {
        result = result * (29.0 - result) / (29.0 - 10.0 * result);
    }
    result
}
