//! Line-of-sight propagation including short-term effects, ITU-R P.452-18
//! §4.1 (eqs (8)–(12)); the same terms without gaseous attenuation are
//! ITU-R P.1812-6 §4.2 (eqs (8)–(11)).

use serde::Serialize;

/// Free-space and LoS-enhancement losses of §4.1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LosLosses {
    /// Free-space loss including gaseous attenuation, L_bfsg, dB (eq (8)).
    pub lbfsg_db: f64,
    /// LoS loss not exceeded for p % of time, L_b0p, dB (eq (11)).
    pub lb0p_db: f64,
    /// LoS loss not exceeded for β0 % of time, L_b0β, dB (eq (12)).
    pub lb0b_db: f64,
}

/// Line-of-sight losses for a path of `dist_km` (the 3-D distance in
/// P.452-18's reference implementation), gaseous attenuation `ag_db`
/// (0 for P.1812), horizon distances `dlt_km`, `dlr_km`, time percentage
/// `time_pct` and β0 `beta0_pct`.
///
/// The free-space constant is 92.4 dB (f in GHz, d in km), as both
/// Recommendations write it.
pub fn los_losses(
    dist_km: f64,
    freq_ghz: f64,
    ag_db: f64,
    time_pct: f64,
    beta0_pct: f64,
    dlt_km: f64,
    dlr_km: f64,
) -> LosLosses {
    let lbfsg = 92.4 + 20.0 * freq_ghz.log10() + 20.0 * dist_km.log10() + ag_db;
    // Eq (10): focusing and multipath corrections.
    let focusing = 2.6 * (1.0 - (-0.1 * (dlt_km + dlr_km)).exp());
    let esp = focusing * (time_pct / 50.0).log10();
    let esb = focusing * (beta0_pct / 50.0).log10();
    LosLosses {
        lbfsg_db: lbfsg,
        lb0p_db: lbfsg + esp,
        lb0b_db: lbfsg + esb,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_space_at_1_ghz_1_km_is_92_4_db_and_enhancement_lowers_loss() {
        let l = los_losses(1.0, 1.0, 0.0, 50.0, 5.0, 10.0, 10.0);
        assert!((l.lbfsg_db - 92.4).abs() < 1e-12);
        assert_eq!(l.lb0p_db, l.lbfsg_db);
        assert!(l.lb0b_db < l.lbfsg_db);
    }
}
