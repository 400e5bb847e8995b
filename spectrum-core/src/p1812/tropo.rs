//! Troposcatter and location variability of ITU-R P.1812-6 (§4.4 eqs
//! (44)–(45), §4.8 eqs (64)–(68)).

use crate::profile::PathProfile;

/// Basic transmission loss due to troposcatter not exceeded for `time_pct` %
/// of time, L_bs, dB (P.1812-6 eq (44)); `theta_mrad` is the path angular
/// distance and `n0` the sea-level surface refractivity at the path centre.
pub fn troposcatter_loss_db(
    dtot_km: f64,
    theta_mrad: f64,
    freq_ghz: f64,
    time_pct: f64,
    n0: f64,
) -> f64 {
    // Eq (45): frequency dependence.
    let lf = 25.0 * freq_ghz.log10() - 2.5 * (freq_ghz / 2.0).log10().powi(2);
    190.1 + lf + 20.0 * dtot_km.log10() + 0.573 * theta_mrad
        - 0.15 * n0
        - 10.125 * (50.0 / time_pct).log10().powf(0.7)
}

/// Side of the square over which the default location variability applies
/// (P.1812-6 §4.8: 100 m for broadcasting and mobile coverage), m.
pub const DEFAULT_WA_M: f64 = 100.0;

/// The default σ_L of a prediction, dB: [`location_std_dev_db`] for a
/// receiver `hrx_m` above ground among the clutter at the profile's receiver
/// end (0 m without clutter), over [`DEFAULT_WA_M`] squares.
pub fn default_location_std_dev_db(freq_ghz: f64, hrx_m: f64, profile: &PathProfile) -> f64 {
    let rx_clutter_m = profile
        .clutter_heights_m
        .as_ref()
        .and_then(|c| c.last().copied())
        .unwrap_or(0.0);
    location_std_dev_db(freq_ghz, hrx_m, rx_clutter_m, DEFAULT_WA_M)
}

/// Standard deviation of the location variability σ_L, dB (P.1812-6 eqs
/// (65)–(66)) for a receiver antenna `h_m` above ground among clutter of
/// height `clutter_m`, over squares of side `wa_m` metres.
pub fn location_std_dev_db(freq_ghz: f64, h_m: f64, clutter_m: f64, wa_m: f64) -> f64 {
    let sigma = (0.52 + 0.024 * freq_ghz) * wa_m.powf(0.28);
    let uh = if h_m < clutter_m {
        1.0
    } else if h_m >= clutter_m + 10.0 {
        0.0
    } else {
        1.0 - (h_m - clutter_m) / 10.0
    };
    sigma * uh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn troposcatter_median_and_location_spread() {
        let l50 = troposcatter_loss_db(200.0, 20.0, 0.1, 50.0, 325.0);
        let l1 = troposcatter_loss_db(200.0, 20.0, 0.1, 1.0, 325.0);
        assert!(l1 < l50 - 10.0);
        // An antenna 10 m above the clutter sees no location variability.
        assert_eq!(location_std_dev_db(0.1, 20.0, 10.0, 100.0), 0.0);
        let s = location_std_dev_db(0.1, 1.5, 10.0, 100.0);
        assert!((s - (0.52 + 0.0024) * 100f64.powf(0.28)).abs() < 1e-12);
    }
}
