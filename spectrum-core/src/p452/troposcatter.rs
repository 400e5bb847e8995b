//! Tropospheric scatter, ITU-R P.452-18 §4.3 (eqs (45)–(45b)).

/// Water-vapour density assumed for the troposcatter gaseous attenuation
/// (P.452-18 §4.3), g/m³.
pub const TROPO_RHO_G_M3: f64 = 3.0;

/// Basic transmission loss due to troposcatter not exceeded for `time_pct` %
/// of time, L_bs, dB (P.452-18 eq (45)).
///
/// `theta_mrad` is the path angular distance, `n0` the sea-level surface
/// refractivity at the path centre, `gt_dbi`/`gr_dbi` the antenna gains
/// towards the horizon along the path (aperture-to-medium coupling, eq (45b))
/// and `ag_db` the gaseous attenuation over the path for a water-vapour
/// density of [`TROPO_RHO_G_M3`].
#[allow(clippy::too_many_arguments)]
pub fn troposcatter_loss_db(
    dtot_km: f64,
    theta_mrad: f64,
    freq_ghz: f64,
    time_pct: f64,
    n0: f64,
    gt_dbi: f64,
    gr_dbi: f64,
    ag_db: f64,
) -> f64 {
    let f = freq_ghz;
    // Eq (45a): frequency dependence.
    let lf = 25.0 * f.log10() - 2.5 * (f / 2.0).log10().powi(2);
    // Eq (45b): aperture-to-medium coupling loss.
    let lc = 0.051 * (0.055 * (gt_dbi + gr_dbi)).exp();
    190.0 + lf + 20.0 * dtot_km.log10() + 0.573 * theta_mrad - 0.15 * n0 + lc + ag_db
        - 10.1 * (-(time_pct / 50.0).log10()).powf(0.7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn troposcatter_loss_grows_with_distance_and_angle() {
        let near = troposcatter_loss_db(100.0, 10.0, 1.0, 10.0, 320.0, 0.0, 0.0, 0.5);
        let far = troposcatter_loss_db(300.0, 30.0, 1.0, 10.0, 320.0, 0.0, 0.0, 1.5);
        assert!(far > near + 10.0);
        assert!((150.0..250.0).contains(&near), "{near}");
    }
}
