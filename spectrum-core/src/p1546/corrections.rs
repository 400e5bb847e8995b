//! ITU-R P.1546-6 (08/2019) Annex 5: the corrections applied to the field
//! strength read from the curves — maximum field strength (§2, eqs (1)–(3)
//! and (42)), mixed land/sea paths (§8, eqs (22)–(26)), receiving antenna
//! height and clutter (§9, eqs (27)–(29)), transmitter clutter (§10,
//! eq. (30)), terrain clearance angle (§11, eqs (31)–(32)), location
//! variability (§12, eq. (33)), tropospheric scatter (§13, eqs (35)–(36)),
//! slope path (§14, eq. (37)), paths shorter than 1 km (§15, eq. (38)) and
//! basic transmission loss (§17, eq. (40)). Each is a plain function of its
//! inputs.

use super::RxArea;
use super::field::d06_km;
use crate::p526::{inv_cum_norm, knife_edge_loss_db};

/// §2 eqs (1)–(3), (42): the maximum field strength for 1 kW, dB(µV/m), of a
/// path with `land_km` of land and `sea_km` of sea at `time_pct` %: free
/// space, plus the sea enhancement E_se weighted by the sea fraction.
///
/// ```
/// use spectrum_core::p1546::corrections::max_field_dbuv_m;
/// assert!((max_field_dbuv_m(50.0, 10.0, 0.0) - 86.9).abs() < 1e-12);
/// assert!(max_field_dbuv_m(1.0, 0.0, 10.0) > max_field_dbuv_m(50.0, 0.0, 10.0));
/// ```
pub fn max_field_dbuv_m(time_pct: f64, land_km: f64, sea_km: f64) -> f64 {
    let d = land_km + sea_km;
    let e_fs = 106.9 - 20.0 * d.log10(); // eq. (2)
    let e_se = 2.38 * (1.0 - (-d / 8.94).exp()) * (50.0 / time_pct).log10(); // eq. (3)
    e_fs + sea_km * e_se / d // eq. (42)
}

/// §8 eqs (22)–(26): the field strength of a mixed land/sea path from the
/// all-land and all-sea field strengths over the whole distance and the sea
/// fraction of the path.
pub fn mixed_path_dbuv_m(e_land: f64, e_sea: f64, sea_fraction: f64) -> f64 {
    if sea_fraction <= 0.0 {
        return e_land;
    }
    if sea_fraction >= 1.0 {
        return e_sea;
    }
    let delta = e_sea - e_land; // eq. (26)
    let v = (1.0 + delta / 40.0).max(1.0); // eq. (25)
    let a0 = 1.0 - (1.0 - sea_fraction).powf(2.0 / 3.0); // eq. (24)
    let a = a0.powf(v);
    (1.0 - a) * e_land + a * e_sea // eq. (23)
}

/// §11 eqs (31)–(32): the terrain-clearance-angle correction, dB, and ν, for
/// a receiver's clearance angle `tca_deg` (limited to 0.55–40°).
pub fn clearance_angle_correction_db(freq_mhz: f64, tca_deg: f64) -> (f64, f64) {
    let tca = tca_deg.clamp(0.55, 40.0);
    let nu_ref = 0.036 * freq_mhz.sqrt(); // eq. (32b)
    let nu = 0.065 * tca * freq_mhz.sqrt(); // eq. (32c)
    (knife_edge_loss_db(nu_ref) - knife_edge_loss_db(nu), nu)
}

/// §13 eqs (35)–(36): the tropospheric-scatter field strength for 1 kW,
/// dB(µV/m), and the scatter angle θ_s, degrees, over `dist_km` with the
/// terminals' clearance angles `theta_eff1_deg` and `theta_eff2_deg`
/// and sea-level surface refractivity `n0` (325 in the Recommendation's
/// example).
pub fn troposcatter_dbuv_m(
    dist_km: f64,
    freq_mhz: f64,
    time_pct: f64,
    theta_eff1_deg: f64,
    theta_eff2_deg: f64,
    n0: f64,
) -> (f64, f64) {
    let theta_s = (180.0 * dist_km / (std::f64::consts::PI * 4.0 / 3.0 * 6370.0)
        + theta_eff1_deg
        + theta_eff2_deg)
        .max(0.0);
    let lf = 5.0 * freq_mhz.log10() - 2.5 * (freq_mhz.log10() - 3.3).powi(2); // eq. (36a)
    let e = 24.4 - 20.0 * dist_km.log10() - 10.0 * theta_s - lf
        + 0.15 * n0
        + 10.1 * (-(0.02 * time_pct).log10()).powf(0.7); // eqs (36), (36b)
    (e, theta_s)
}

/// §9 eqs (27)–(29): the receiving-antenna height correction, dB, and the
/// modified representative clutter height R', m, for a receiver `h2_m` above
/// ground in `area` with clutter height `r2_m`, at `dist_km` (≥ 1) from a
/// transmitter of effective height `h1_m`. Over land R' = (1000 d R − 15 h1)
/// / (1000 d − 15), at least 1 m; rural receivers use R' = 10 m; receivers
/// adjacent to sea use eqs (29a)–(29c).
pub fn rx_height_correction_db(
    h1_m: f64,
    dist_km: f64,
    r2_m: f64,
    h2_m: f64,
    freq_mhz: f64,
    area: RxArea,
) -> (f64, f64) {
    let k_h2 = 3.2 + 6.2 * freq_mhz.log10(); // eq. (29)
    match area {
        RxArea::Rural => (k_h2 * (h2_m / 10.0).log10(), 10.0),
        RxArea::Suburban | RxArea::Urban | RxArea::DenseUrban => {
            let rp = ((1000.0 * dist_km * r2_m - 15.0 * h1_m) / (1000.0 * dist_km - 15.0)).max(1.0);
            let mut c = if h2_m < rp {
                let h_dif = rp - h2_m;
                let theta_clut = (h_dif / 27.0).atan().to_degrees();
                let nu = 0.0108 * freq_mhz.sqrt() * (h_dif * theta_clut).sqrt();
                6.03 - knife_edge_loss_db(nu) // eq. (28a)
            } else {
                k_h2 * (h2_m / rp).log10() // eq. (28b)
            };
            if rp < 10.0 {
                c -= k_h2 * (10.0 / rp).log10();
            }
            (c, rp)
        }
        RxArea::Sea => {
            let c10 = k_h2 * (h2_m / 10.0).log10();
            if h2_m >= 10.0 {
                return (c10, 10.0);
            }
            let d10 = d06_km(freq_mhz, h1_m, 10.0);
            let dh2 = d06_km(freq_mhz, h1_m, h2_m);
            let c = if dist_km >= d10 {
                c10
            } else if dist_km <= dh2 {
                0.0
            } else {
                c10 * (dist_km / dh2).log10() / (d10 / dh2).log10()
            };
            (c, 10.0)
        }
    }
}

/// §10 eq. (30): the correction, dB (≤ 0), for clutter of height `r1_m`
/// around a transmitting antenna `ha_m` above ground.
pub fn tx_clutter_correction_db(ha_m: f64, r1_m: f64, freq_mhz: f64) -> f64 {
    let h_dif = ha_m - r1_m;
    let theta_clut = (h_dif / 27.0).atan().to_degrees();
    let nu = 0.0108 * freq_mhz.sqrt() * (h_dif * theta_clut).sqrt();
    let nu = if r1_m >= ha_m { nu } else { -nu };
    0.0 - knife_edge_loss_db(nu) // 0.0, not −0.0, when clear
}

/// §14 eq. (37): the slope distance, km, between antennas `ha_m` and `h2_m`
/// above ground over ground heights `ground_m` (transmitter, receiver; both
/// 0 when unknown) `dist_km` apart.
pub fn slope_dist_km(ha_m: f64, h2_m: f64, dist_km: f64, ground_m: (f64, f64)) -> f64 {
    let dh = (ha_m + ground_m.0) - (h2_m + ground_m.1);
    (dist_km * dist_km + 1e-6 * dh * dh).sqrt()
}

/// §14 eq. (37): the slope-path correction 20 log(d / d_slope), dB.
pub fn slope_correction_db(ha_m: f64, h2_m: f64, dist_km: f64, ground_m: (f64, f64)) -> f64 {
    20.0 * (dist_km / slope_dist_km(ha_m, h2_m, dist_km, ground_m)).log10()
}

/// §15 eq. (38): the field strength, dB(µV/m), of a path shorter than 1 km,
/// between free space over the slope distance at 0.04 km and `e_1km` (the
/// field computed for 1 km) at 1 km, linear in log slope distance.
pub fn short_path_dbuv_m(
    ha_m: f64,
    h2_m: f64,
    dist_km: f64,
    ground_m: (f64, f64),
    e_1km: f64,
) -> f64 {
    let slope = |d: f64| slope_dist_km(ha_m, h2_m, d, ground_m);
    let d_slope = slope(dist_km);
    if dist_km <= 0.04 {
        return 106.9 - 20.0 * d_slope.log10();
    }
    let (inf, sup) = (slope(0.04), slope(1.0));
    let e_inf = 106.9 - 20.0 * inf.log10();
    e_inf + (e_1km - e_inf) * (d_slope / inf).log10() / (sup / inf).log10()
}

/// §12 eq. (33): the field strength exceeded at `location_pct` % of
/// locations from the median, with standard deviation `sigma_db`.
pub fn location_dbuv_m(e_median: f64, location_pct: f64, sigma_db: f64) -> f64 {
    e_median + inv_cum_norm(location_pct / 100.0) * sigma_db
}

/// §12: the location variability σ_L, dB: (0.024 f/1000 + 0.52) w_a^0.28
/// over a square of side `wa_m` when terrain is known; otherwise 8 dB
/// (urban, dense urban), 10 dB (suburban), 12 dB (rural); 0 at sea.
pub fn location_sigma_db(freq_mhz: f64, area: RxArea, wa_m: Option<f64>) -> f64 {
    match (area, wa_m) {
        (RxArea::Sea, _) => 0.0,
        (_, Some(wa)) => (0.024 * freq_mhz / 1000.0 + 0.52) * wa.powf(0.28),
        (RxArea::Urban | RxArea::DenseUrban, None) => 8.0,
        (RxArea::Suburban, None) => 10.0,
        (RxArea::Rural, None) => 12.0,
    }
}

/// §17 eq. (40): basic transmission loss, dB, for field strength `e_1kw`
/// dB(µV/m) from 1 kW e.r.p.
///
/// ```
/// use spectrum_core::p1546::corrections::basic_loss_db;
/// assert!((basic_loss_db(100.0, 50.0) - 129.3).abs() < 1e-12);
/// ```
pub fn basic_loss_db(freq_mhz: f64, e_1kw: f64) -> f64 {
    139.3 - e_1kw + 20.0 * freq_mhz.log10()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_paths_lie_between_land_and_sea() {
        let e = mixed_path_dbuv_m(40.0, 60.0, 0.5);
        assert!(e > 40.0 && e < 60.0);
        assert_eq!(mixed_path_dbuv_m(40.0, 60.0, 0.0), 40.0);
        assert_eq!(mixed_path_dbuv_m(40.0, 60.0, 1.0), 60.0);
    }

    #[test]
    fn clutter_corrections_have_their_signs() {
        // Antenna well above its clutter: no loss.
        assert_eq!(tx_clutter_correction_db(60.0, 10.0, 600.0), 0.0);
        // Buried in clutter: a loss.
        assert!(tx_clutter_correction_db(10.0, 20.0, 600.0) < -6.0);
        // Receiver below urban clutter loses against one above it.
        let low = rx_height_correction_db(100.0, 10.0, 20.0, 1.5, 600.0, RxArea::Urban).0;
        let high = rx_height_correction_db(100.0, 10.0, 20.0, 25.0, 600.0, RxArea::Urban).0;
        assert!(low < high);
    }

    #[test]
    fn clearance_angle_is_limited() {
        assert_eq!(
            clearance_angle_correction_db(600.0, -3.0),
            clearance_angle_correction_db(600.0, 0.55)
        );
        assert!(clearance_angle_correction_db(600.0, 5.0).0 < 0.0);
    }

    #[test]
    fn short_paths_join_free_space_and_the_1_km_field() {
        let e1 = 90.0;
        let at1 = short_path_dbuv_m(30.0, 1.5, 1.0, (0.0, 0.0), e1);
        assert!((at1 - e1).abs() < 1e-9);
        let at004 = short_path_dbuv_m(30.0, 1.5, 0.04, (0.0, 0.0), e1);
        let fs = 106.9 - 20.0 * slope_dist_km(30.0, 1.5, 0.04, (0.0, 0.0)).log10();
        assert_eq!(at004, fs);
    }

    #[test]
    fn location_percentages_move_the_median() {
        // The Q_i approximation of §16 is zero at 50 % to 1e-8.
        assert!((location_dbuv_m(50.0, 50.0, 5.0) - 50.0).abs() < 1e-7);
        assert!(location_dbuv_m(50.0, 90.0, 5.0) < 50.0);
        assert_eq!(location_sigma_db(600.0, RxArea::Sea, Some(500.0)), 0.0);
    }
}
