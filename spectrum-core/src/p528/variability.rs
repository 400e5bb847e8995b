//! ITU-R P.528-5 Annex 2 §14 (long-term variability, NBS Technical Note 101
//! curves for a continental temperate climate) and §§12–13 (the Nakagami-Rice
//! distribution of the within-the-hour fading, from its table of K and time
//! percentage), and the combination of the two distributions.

use crate::itm::inverse_ccdf;

/// K of the Nakagami-Rice table rows, dB.
const NR_K: [f64; 17] = [
    -40.0, -25.0, -20.0, -18.0, -16.0, -14.0, -12.0, -10.0, -8.0, -6.0, -4.0, -2.0, 0.0, 2.0, 4.0,
    6.0, 20.0,
];
/// Time percentages of the table columns.
const NR_P: [f64; 17] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 85.0, 90.0, 95.0, 98.0,
    99.0,
];
/// Nakagami-Rice variability Y_π (dB), one row per K, one column per p.
#[rustfmt::skip]
const NR: [[f64; 17]; 17] = [
    [-0.1417, -0.1252, -0.1004, -0.0784, -0.0634, -0.0515, -0.0321, -0.0155, 0.0, 0.0156, 0.0323, 0.0518, 0.0639, 0.0791, 0.1016, 0.1271, 0.1441],
    [-0.7676, -0.6811, -0.5497, -0.4312, -0.3504, -0.2856, -0.1790, -0.0870, 0.0, 0.0878, 0.1828, 0.2953, 0.3651, 0.4537, 0.5868, 0.7390, 0.8420],
    [-1.3183, -1.1738, -0.9524, -0.7508, -0.6121, -0.5003, -0.3151, -0.1537, 0.0, 0.1564, 0.3269, 0.5308, 0.6585, 0.8218, 1.0696, 1.3572, 1.5544],
    [-1.6263, -1.4507, -1.1805, -0.9332, -0.7623, -0.6240, -0.3940, -0.1926, 0.0, 0.1969, 0.4127, 0.6722, 0.8355, 1.0453, 1.3660, 1.7417, 2.0014],
    [-1.9963, -1.7847, -1.4573, -1.1557, -0.9462, -0.7760, -0.4916, -0.2410, 0.0, 0.2478, 0.5209, 0.8519, 1.0615, 1.3326, 1.7506, 2.2463, 2.5931],
    [-2.4355, -2.1829, -1.7896, -1.4247, -1.1695, -0.9613, -0.6113, -0.3007, 0.0, 0.3114, 0.6573, 1.0802, 1.3505, 1.7028, 2.2526, 2.9156, 3.3872],
    [-2.9491, -2.6507, -2.1831, -1.7455, -1.4375, -1.1846, -0.7567, -0.3737, 0.0, 0.3903, 0.8281, 1.3698, 1.7198, 2.1808, 2.9119, 3.8143, 4.4714],
    [-3.5384, -3.1902, -2.6407, -2.1218, -1.7535, -1.4495, -0.9307, -0.4619, 0.0, 0.4874, 1.0404, 1.7348, 2.1898, 2.7975, 3.7820, 5.0373, 5.9833],
    [-4.1980, -3.7974, -3.1602, -2.5528, -2.1180, -1.7565, -1.1345, -0.5662, 0.0, 0.6045, 1.2999, 2.1887, 2.7814, 3.5868, 4.9288, 6.7171, 8.1319],
    [-4.9132, -4.4591, -3.7313, -3.0306, -2.5247, -2.1011, -1.3655, -0.6855, 0.0, 0.7415, 1.6078, 2.7374, 3.5059, 4.5714, 6.4060, 8.9732, 11.0973],
    [-5.6559, -5.1494, -4.3315, -3.5366, -2.9578, -2.4699, -1.6150, -0.8154, 0.0, 0.8935, 1.9530, 3.3611, 4.3363, 5.7101, 8.1216, 11.5185, 14.2546],
    [-6.3810, -5.8252, -4.9219, -4.0366, -3.3871, -2.8364, -1.8638, -0.9455, 0.0, 1.0458, 2.2979, 3.9771, 5.1450, 6.7874, 9.6276, 13.4690, 16.4251],
    [-7.0247, -6.4249, -5.4449, -4.4782, -3.7652, -3.1580, -2.0804, -1.0574, 0.0, 1.1723, 2.5755, 4.4471, 5.7363, 7.5266, 10.5553, 14.5401, 17.5511],
    [-7.5229, -6.8862, -5.8424, -4.8090, -4.0446, -3.3927, -2.2344, -1.1347, 0.0, 1.2535, 2.7446, 4.7144, 6.0581, 7.9073, 11.0003, 15.0270, 18.0526],
    [-7.8532, -7.1880, -6.0963, -5.0145, -4.2145, -3.5325, -2.3227, -1.1774, 0.0, 1.2948, 2.8268, 4.8377, 6.2021, 8.0724, 11.1869, 15.2265, 18.2566],
    [-8.0435, -7.3588, -6.2354, -5.1234, -4.3022, -3.6032, -2.3656, -1.1975, 0.0, 1.3130, 2.8619, 4.8888, 6.2610, 8.1388, 11.2607, 15.3047, 18.3361],
    [-8.2238, -7.5154, -6.3565, -5.2137, -4.3726, -3.6584, -2.3979, -1.2121, 0.0, 1.3255, 2.8855, 4.9224, 6.2992, 8.1814, 11.3076, 15.3541, 18.3864],
];

/// The straight line through (x1, y1) and (x2, y2) at x.
fn lerp(x1: f64, y1: f64, x2: f64, y2: f64, x: f64) -> f64 {
    (y1 * (x2 - x) + y2 * (x - x1)) / (x2 - x1)
}

/// First index whose value is ≥ `x` (C++ `lower_bound`).
fn lower_bound(table: &[f64], x: f64) -> usize {
    table.partition_point(|&v| v < x)
}

/// First index whose value is > `x` (C++ `upper_bound`).
fn upper_bound(table: &[f64], x: f64) -> usize {
    table.partition_point(|&v| v <= x)
}

/// Nakagami-Rice variability Y_π (dB) exceeded `p` % of the time for a
/// steady-to-Rayleigh ratio `k_db`.
pub(crate) fn nakagami_rice(k_db: f64, p: f64) -> f64 {
    let d_k = lower_bound(&NR_K, k_db);
    let d_p = lower_bound(&NR_P, p);
    let along_p = |row: &[f64; 17]| {
        if d_p == 0 {
            row[0]
        } else {
            lerp(NR_P[d_p], row[d_p], NR_P[d_p - 1], row[d_p - 1], p)
        }
    };
    if d_k == 0 {
        return along_p(&NR[0]);
    }
    if d_k == NR_K.len() {
        return along_p(&NR[16]);
    }
    let at_k = |j: usize| lerp(NR_K[d_k], NR[d_k][j], NR_K[d_k - 1], NR[d_k - 1][j], k_db);
    if d_p == 0 {
        at_k(0)
    } else {
        lerp(NR_P[d_p], at_k(d_p), NR_P[d_p - 1], at_k(d_p - 1), p)
    }
}

/// The K whose 99 % Nakagami-Rice value is `y_pi_99_db`.
pub(crate) fn k_for_99_percent(y_pi_99_db: f64) -> f64 {
    let col = |i: usize| NR[i][16];
    if y_pi_99_db < col(0) {
        return NR_K[0];
    }
    for i in 1..NR_K.len() {
        if y_pi_99_db - col(i) < 0.0 {
            return (NR_K[i] * (y_pi_99_db - col(i - 1)) - NR_K[i - 1] * (y_pi_99_db - col(i)))
                / (col(i) - col(i - 1));
        }
    }
    NR_K[16]
}

/// Combines two distributions given by their medians and p-values.
pub(crate) fn combine(a_median: f64, a_p: f64, b_median: f64, b_p: f64, p: f64) -> f64 {
    let spread = ((a_p - a_median).powi(2) + (b_p - b_median).powi(2)).sqrt();
    if p < 50.0 {
        a_median + b_median + spread
    } else {
        a_median + b_median - spread
    }
}

/// NBS TN 101 curve constants: columns Y₀(90), Y₀(10), V(50).
const C1: [f64; 3] = [2.93e-4, 5.25e-4, 1.59e-5];
const C2: [f64; 3] = [3.78e-8, 1.57e-6, 1.56e-11];
const C3: [f64; 3] = [1.02e-7, 4.70e-7, 2.77e-8];
const N1: [f64; 3] = [2.00, 1.97, 2.32];
const N2: [f64; 3] = [2.88, 2.31, 4.08];
const N3: [f64; 3] = [3.15, 2.90, 3.25];
const F_INF: [f64; 3] = [3.2, 5.4, 0.0];
const F_M: [f64; 3] = [8.2, 10.0, 3.9];

/// Long-term variability (§14): (Y_e dB, A_Y dB) for time percentage `p`,
/// horizon distances `d_r1_km`, `d_r2_km`, path `dist_km`, elevation weight
/// `f_theta_h` and the path's loss term `a_t_db`.
pub(crate) fn long_term(
    d_r1_km: f64,
    d_r2_km: f64,
    dist_km: f64,
    freq_mhz: f64,
    p: f64,
    f_theta_h: f64,
    a_t_db: f64,
) -> (f64, f64) {
    let d_qs = 65.0 * (100.0 / freq_mhz).powf(1.0 / 3.0);
    let d_q = d_r1_km + d_r2_km + d_qs;
    let d_e = if dist_km <= d_q {
        130.0 * dist_km / d_q
    } else {
        130.0 + dist_km - d_q
    };
    let (g_10, g_90) = if freq_mhz > 1600.0 {
        (1.05, 1.05)
    } else {
        let s = (5.22 * (freq_mhz / 200.0).log10()).sin();
        (0.21 * s + 1.28, 0.18 * s + 1.23)
    };
    let z: [f64; 3] = std::array::from_fn(|i| {
        let f_2 = F_INF[i] + (F_M[i] - F_INF[i]) * (-C2[i] * d_e.powf(N2[i])).exp();
        (C1[i] * d_e.powf(N1[i]) - f_2) * (-C3[i] * d_e.powf(N3[i])).exp() + f_2
    });
    let y_p = if p == 50.0 {
        z[2]
    } else if p > 50.0 {
        let c_p = inverse_ccdf(p / 100.0) / inverse_ccdf(0.9);
        c_p * (-z[0] * g_90) + z[2]
    } else {
        let c_p = if p >= 10.0 {
            inverse_ccdf(p / 100.0) / inverse_ccdf(0.1)
        } else {
            let ps = [1.0, 2.0, 5.0, 10.0];
            let c_ps = [1.9507, 1.7166, 1.3265, 1.0];
            let j = upper_bound(&NR_P, p);
            lerp(ps[j - 1], c_ps[j - 1], ps[j], c_ps[j], p)
        };
        c_p * (z[1] * g_10) + z[2]
    };
    let y_10 = z[1] * g_10 + z[2];
    let a_y = (a_t_db + f_theta_h * y_10 - 3.0).max(0.0);
    let mut y_e = f_theta_h * y_p - a_y;
    if p < 10.0 {
        // Never better than free space (Gierhart 1970).
        let c_y = [-5.0, -4.5, -3.7, 0.0];
        let j = upper_bound(&NR_P, p);
        let cap = lerp(NR_P[j - 1], c_y[j - 1], NR_P[j], c_y[j], p);
        y_e = (y_e + a_t_db).min(-cap) - a_t_db;
    }
    (y_e, a_y)
}
