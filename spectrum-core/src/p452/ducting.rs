//! Ducting / layer-reflection ("anomalous propagation") loss, ITU-R
//! P.452-18 §4.4 (eqs (46)–(56)); the same procedure without gaseous
//! attenuation is ITU-R P.1812-6 §4.5 (eqs (45)–(56)).

use serde::Serialize;

/// Inputs of the anomalous-propagation loss.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AnomalousInput {
    /// Path length, km.
    pub dtot_km: f64,
    /// Transmitter horizon distance, km.
    pub dlt_km: f64,
    /// Receiver horizon distance, km.
    pub dlr_km: f64,
    /// Distance over land from the transmitter to the coast, km.
    pub dct_km: f64,
    /// Distance over land from the receiver to the coast, km.
    pub dcr_km: f64,
    /// Longest continuous inland section, km.
    pub dlm_km: f64,
    /// Transmitter antenna height above sea level, m.
    pub hts_m: f64,
    /// Receiver antenna height above sea level, m.
    pub hrs_m: f64,
    /// Effective transmitter height for ducting, m.
    pub hte_m: f64,
    /// Effective receiver height for ducting, m.
    pub hre_m: f64,
    /// Terrain roughness, m.
    pub hm_m: f64,
    /// Transmitter horizon elevation angle, mrad.
    pub theta_t_mrad: f64,
    /// Receiver horizon elevation angle, mrad.
    pub theta_r_mrad: f64,
    /// Frequency, GHz.
    pub freq_ghz: f64,
    /// Time percentage, %.
    pub time_pct: f64,
    /// Fraction of the path over sea.
    pub omega: f64,
    /// Median effective Earth radius, km.
    pub ae_km: f64,
    /// β0, %.
    pub beta0_pct: f64,
    /// Gaseous attenuation over the path, dB (0 for P.1812).
    pub ag_db: f64,
}

/// Basic transmission loss due to ducting / layer reflection L_ba, dB
/// (P.452-18 eq (46)).
pub fn anomalous_loss_db(a: &AnomalousInput) -> f64 {
    let f = a.freq_ghz;
    // Eq (47a): empirical correction at low frequencies.
    let alf = if f < 0.5 {
        45.375 - 137.0 * f + 92.5 * f * f
    } else {
        0.0
    };
    // Eqs (48): site-shielding losses.
    let shielding = |theta: f64, dl: f64| {
        let theta2 = theta - 0.1 * dl;
        if theta2 > 0.0 {
            20.0 * (1.0 + 0.361 * theta2 * (f * dl).sqrt()).log10()
                + 0.264 * theta2 * f.powf(1.0 / 3.0)
        } else {
            0.0
        }
    };
    let ast = shielding(a.theta_t_mrad, a.dlt_km);
    let asr = shielding(a.theta_r_mrad, a.dlr_km);
    // Eqs (49): over-sea surface-duct coupling corrections.
    let coupling = |dc: f64, dl: f64, hs: f64| {
        if dc <= 5.0 && dc <= dl && a.omega >= 0.75 {
            -3.0 * (-0.25 * dc * dc).exp() * (1.0 + (0.07 * (50.0 - hs)).tanh())
        } else {
            0.0
        }
    };
    let act = coupling(a.dct_km, a.dlt_km, a.hts_m);
    let acr = coupling(a.dcr_km, a.dlr_km, a.hrs_m);
    // Eq (51): specific attenuation within the anomalous mechanism.
    let gamma_d = 5e-5 * a.ae_km * f.powf(1.0 / 3.0);
    // Eq (52a): angular distance with limited horizon angles.
    let theta_t1 = if a.theta_t_mrad > 0.1 * a.dlt_km {
        0.1 * a.dlt_km
    } else {
        a.theta_t_mrad
    };
    let theta_r1 = if a.theta_r_mrad > 0.1 * a.dlr_km {
        0.1 * a.dlr_km
    } else {
        a.theta_r_mrad
    };
    let theta1 = 1e3 * a.dtot_km / a.ae_km + theta_t1 + theta_r1;
    // Eq (56): terrain roughness correction.
    let di = (a.dtot_km - a.dlt_km - a.dlr_km).min(40.0);
    let mu3 = if a.hm_m > 10.0 {
        (-4.6e-5 * (a.hm_m - 10.0) * (43.0 + 6.0 * di)).exp()
    } else {
        1.0
    };
    // Eq (55): path geometry correction.
    let tau = 1.0 - (-(4.12e-4 * a.dlm_km.powf(2.41))).exp();
    let epsilon = 3.5;
    let alpha = (-0.6 - epsilon * 1e-9 * a.dtot_km.powf(3.1) * tau).max(-3.4);
    let mu2 = (500.0 / a.ae_km * a.dtot_km.powi(2) / (a.hte_m.sqrt() + a.hre_m.sqrt()).powi(2))
        .powf(alpha)
        .min(1.0);
    // Eq (54): time percentage associated with anomalous propagation.
    let beta = a.beta0_pct * mu2 * mu3;
    let lb = beta.log10();
    // Eq (53a).
    let gamma = 1.076 / (2.0058 - lb).powf(1.012)
        * (-(9.51 - 4.8 * lb + 0.198 * lb * lb) * 1e-6 * a.dtot_km.powf(1.13)).exp();
    // Eq (53): time-percentage variability.
    let ap = -12.0
        + (1.2 + 3.7e-3 * a.dtot_km) * (a.time_pct / beta).log10()
        + 12.0 * (a.time_pct / beta).powf(gamma);
    let adp = gamma_d * theta1 + ap;
    // Eq (47): fixed coupling losses.
    let af = 102.45
        + 20.0 * f.log10()
        + 20.0 * (a.dlt_km + a.dlr_km).log10()
        + alf
        + ast
        + asr
        + act
        + acr;
    af + adp + a.ag_db
}
