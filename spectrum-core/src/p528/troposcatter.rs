//! ITU-R P.528-5 Annex 2 §11 (troposcatter: scattering efficiency and
//! scattering volume of the IF-77 model, N_s = 341) and §3 step 6 (the search
//! for the distance where the troposcatter curve overtakes the diffraction
//! line).

use super::geometry::Terminal;
use super::{A_0_KM, A_E_KM, N_S};

/// Troposcatter at one distance.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Troposcatter {
    /// Scatter loss A_s, dB.
    pub a_s_db: f64,
    /// Scattering angle θ_s, rad.
    pub theta_s_rad: f64,
    /// Height of the common volume h_v, km.
    pub h_v_km: f64,
}

impl Troposcatter {
    /// §11 at `dist_km` (all zero when the horizons overlap).
    pub fn at(t: &[Terminal; 2], dist_km: f64, freq_mhz: f64) -> Self {
        let d_s = dist_km - t[0].d_r_km - t[1].d_r_km;
        if d_s <= 0.0 {
            return Self::default();
        }
        let d_z = 0.5 * d_s;
        let a_m = 1.0 / A_0_KM;
        let dn = a_m - 1.0 / A_E_KM;
        let gamma_e = N_S * 1e-6 / dn;
        let q = |z: f64| a_m - dn / (z / gamma_e).min(35.0).exp();
        let z_a = 1.0 / (2.0 * A_E_KM) * (d_z / 2.0).powi(2);
        let z_b = 1.0 / (2.0 * A_E_KM) * d_z * d_z;
        let q_o = a_m - dn;
        let (q_a, q_b) = (q(z_a), q(z_b));
        let big_z_a = (7.0 * q_o + 6.0 * q_a - q_b) * (d_z * d_z / 96.0);
        let big_z_b = (q_o + 2.0 * q_a) * (d_z * d_z / 6.0);
        let (q_big_a, q_big_b) = (q(big_z_a), q(big_z_b));
        let h_v_km = (q_o + 2.0 * q_big_a) * (d_z * d_z / 6.0);
        let theta_a = (q_o + 4.0 * q_big_a + q_big_b) * d_z / 6.0;
        let theta_s_rad = 2.0 * theta_a;
        // Scattering efficiency (eqs 11-20 to 11-23).
        let eps_1 = 5.67e-6 * N_S * N_S - 0.00232 * N_S + 0.031;
        let eps_2 = 0.0002 * N_S * N_S - 0.06 * N_S + 6.6;
        let gamma = 0.1424 * (1.0 + eps_1 / (h_v_km / 4.0).powi(6).min(35.0).exp());
        let s_e_db = 83.1 - eps_2 / (1.0 + 0.07716 * h_v_km * h_v_km)
            + 20.0 * ((0.1424 / gamma).powi(2) * (gamma * h_v_km).exp()).log10();
        // Scattering volume (eqs 11-24 to 11-38).
        let x_a = |t: &Terminal| {
            t.h_e_km * t.h_e_km
                + 4.0 * (A_E_KM + t.h_e_km) * A_E_KM * (t.d_r_km / (A_E_KM * 2.0)).sin().powi(2)
        };
        let ell_1 = x_a(&t[0]).sqrt() + d_z;
        let ell_2 = x_a(&t[1]).sqrt() + d_z;
        let ell = ell_1 + ell_2;
        let s = (ell_1 - ell_2) / ell;
        let eta = gamma * theta_s_rad * ell / 2.0;
        let kappa = freq_mhz / 0.0477;
        let rho_1 = 2.0 * kappa * theta_s_rad * t[0].h_e_km;
        let rho_2 = 2.0 * kappa * theta_s_rad * t[1].h_e_km;
        let sqrt2 = std::f64::consts::SQRT_2;
        let a = (1.0 - s * s).powi(2);
        let x_v1 = (1.0 + s).powi(2) * eta;
        let x_v2 = (1.0 - s).powi(2) * eta;
        let q_1 = x_v1 * x_v1 + rho_1 * rho_1;
        let q_2 = x_v2 * x_v2 + rho_2 * rho_2;
        let b_s = 6.0
            + 8.0 * s * s
            + 8.0 * (1.0 - s) * x_v1 * x_v1 * rho_1 * rho_1 / (q_1 * q_1)
            + 8.0 * (1.0 + s) * x_v2 * x_v2 * rho_2 * rho_2 / (q_2 * q_2)
            + 2.0
                * (1.0 - s * s)
                * (1.0 + 2.0 * x_v1 * x_v1 / q_1)
                * (1.0 + 2.0 * x_v2 * x_v2 / q_2);
        let c_s = 12.0
            * ((rho_1 + sqrt2) / rho_1).powi(2)
            * ((rho_2 + sqrt2) / rho_2).powi(2)
            * (rho_1 + rho_2)
            / (rho_1 + rho_2 + 2.0 * sqrt2);
        let temp = (a * eta * eta + b_s * eta) * q_1 * q_2 / (rho_1 * rho_1 * rho_2 * rho_2);
        let s_v_db = 10.0 * (temp + c_s).log10();
        Self {
            a_s_db: s_e_db + s_v_db + 10.0 * (kappa * theta_s_rad.powi(3) / ell).log10(),
            theta_s_rad,
            h_v_km,
        }
    }
}

/// The diffraction line (slope dB/km, intercept dB) after the crossover
/// search, the crossover distance, whether the line was bent to meet
/// troposcatter (case 2), and whether a crossover was found within 100 km at
/// all (if not, the reference behaves as case 1 from d_ML + 102 km and warns).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Crossover {
    pub m_d: f64,
    pub a_d0_db: f64,
    pub d_crx_km: f64,
    pub bent: bool,
    pub found: bool,
}

/// §3 step 6: walks troposcatter outwards from d_ML + 3 km in 1 km steps until
/// its slope falls to the diffraction line's.
pub(crate) fn crossover(
    t: &[Terminal; 2],
    freq_mhz: f64,
    d_ml_km: f64,
    a_dml_db: f64,
    m_d: f64,
    a_d0_db: f64,
) -> Crossover {
    let mut d = [d_ml_km + 3.0, d_ml_km + 2.0];
    let mut a_s = [0.0f64; 2];
    let mut valid = 0;
    for _ in 0..100 {
        a_s[1] = a_s[0];
        a_s[0] = Troposcatter::at(t, d[0], freq_mhz).a_s_db;
        if a_s[0] >= 20.0 {
            valid += 1;
            if valid > 1 {
                let m_s = (a_s[0] - a_s[1]) / (d[0] - d[1]);
                if m_s <= m_d {
                    let a_d = m_d * d[1] + a_d0_db;
                    if a_s[1] >= a_d {
                        return Crossover {
                            m_d,
                            a_d0_db,
                            d_crx_km: d[0],
                            bent: false,
                            found: true,
                        };
                    }
                    let m = (a_s[1] - a_dml_db) / (d[1] - d_ml_km);
                    return Crossover {
                        m_d: m,
                        a_d0_db: a_s[1] - m * d[1],
                        d_crx_km: d[0],
                        bent: true,
                        found: true,
                    };
                }
            }
        }
        d[1] = d[0];
        d[0] += 1.0;
    }
    Crossover {
        m_d,
        a_d0_db,
        d_crx_km: d[1],
        bent: false,
        found: false,
    }
}
