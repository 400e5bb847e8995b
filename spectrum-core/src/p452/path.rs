//! Path-profile analysis of ITU-R P.452-18 Attachment 2 to Annex 1 (§5.1)
//! and §3.2 (radio-climatic zones), shared with ITU-R P.1812-6 (§3, §4.5,
//! Attachment 1): path centre, longest land / inland sections, sea fraction,
//! β0, horizon angles and distances, and the smooth-Earth surface heights.

use serde::Serialize;

pub use super::sections::{longest_section_km, path_fraction};
use crate::p526::Reciprocals;
use crate::walk::{Ties, locate, max_over};

/// Earth radius used for the great-circle path centre, km.
const GREAT_CIRCLE_RADIUS_KM: f64 = 6371.0;

/// Whether the path is line-of-sight or trans-horizon
/// (P.452-18 eq (150), P.1812-6 eq (76)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PathType {
    /// Line of sight.
    LineOfSight,
    /// Trans-horizon.
    TransHorizon,
}

impl PathType {
    /// Code used by the reference implementations (1 LoS, 2 trans-horizon).
    pub fn code(self) -> i64 {
        match self {
            Self::LineOfSight => 1,
            Self::TransHorizon => 2,
        }
    }

    /// Label used in the reference results (`Line of Sight`, `Trans-Horizon`).
    pub fn label(self) -> &'static str {
        match self {
            Self::LineOfSight => "Line of Sight",
            Self::TransHorizon => "Trans-Horizon",
        }
    }
}

/// Latitude and longitude (degrees) of the point `dpnt_km` along the great
/// circle from the transmitter towards the receiver (P.2001 Annex H, as used
/// by the P.452 / P.1812 reference implementations). Returns `(lon, lat)`.
pub fn great_circle_point_deg(
    tx_lon_deg: f64,
    tx_lat_deg: f64,
    rx_lon_deg: f64,
    rx_lat_deg: f64,
    dpnt_km: f64,
) -> (f64, f64) {
    let sind = |x: f64| x.to_radians().sin();
    let cosd = |x: f64| x.to_radians().cos();
    let dlon = rx_lon_deg - tx_lon_deg;
    let r = sind(tx_lat_deg) * sind(rx_lat_deg) + cosd(tx_lat_deg) * cosd(rx_lat_deg) * cosd(dlon);
    let x1 = sind(rx_lat_deg) - r * sind(tx_lat_deg);
    let y1 = cosd(tx_lat_deg) * cosd(rx_lat_deg) * sind(dlon);
    let bearing = if x1.abs() < 1e-9 && y1.abs() < 1e-9 {
        rx_lon_deg
    } else {
        y1.atan2(x1).to_degrees()
    };
    let phi = dpnt_km / GREAT_CIRCLE_RADIUS_KM;
    let s = sind(tx_lat_deg) * phi.cos() + cosd(tx_lat_deg) * phi.sin() * cosd(bearing);
    let lat = s.asin().to_degrees();
    let x2 = phi.cos() - s * sind(tx_lat_deg);
    let y2 = cosd(tx_lat_deg) * phi.sin() * sind(bearing);
    let lon = if x2 < 1e-9 && y2 < 1e-9 {
        bearing
    } else {
        tx_lon_deg + y2.atan2(x2).to_degrees()
    };
    (lon, lat)
}

/// Where the path centre is, for the path-centre latitude used by β0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub enum PathCentre {
    /// Terminal coordinates in degrees (east longitude, north latitude); the
    /// centre is the great-circle point half-way along the profile length.
    Endpoints {
        /// Transmitter latitude, degrees.
        tx_lat_deg: f64,
        /// Transmitter longitude, degrees.
        tx_lon_deg: f64,
        /// Receiver latitude, degrees.
        rx_lat_deg: f64,
        /// Receiver longitude, degrees.
        rx_lon_deg: f64,
    },
    /// The path-centre latitude itself, degrees.
    Latitude {
        /// Latitude, degrees.
        phi_deg: f64,
    },
}

impl PathCentre {
    /// Path-centre latitude (degrees) for a path of `half_length_km` × 2.
    pub fn latitude_deg(&self, half_length_km: f64) -> f64 {
        match *self {
            Self::Endpoints {
                tx_lat_deg,
                tx_lon_deg,
                rx_lat_deg,
                rx_lon_deg,
            } => {
                great_circle_point_deg(
                    tx_lon_deg,
                    tx_lat_deg,
                    rx_lon_deg,
                    rx_lat_deg,
                    half_length_km,
                )
                .1
            }
            Self::Latitude { phi_deg } => phi_deg,
        }
    }

    /// Checks that latitudes lie within ±90° and longitudes within ±360°.
    pub fn validate(&self) -> Result<(), super::P452Error> {
        use super::check_range;
        match *self {
            Self::Endpoints {
                tx_lat_deg,
                tx_lon_deg,
                rx_lat_deg,
                rx_lon_deg,
            } => {
                check_range(
                    "tx_lat_deg",
                    tx_lat_deg,
                    -90.0,
                    90.0,
                    "a latitude within ±90°",
                )?;
                check_range(
                    "rx_lat_deg",
                    rx_lat_deg,
                    -90.0,
                    90.0,
                    "a latitude within ±90°",
                )?;
                check_range(
                    "tx_lon_deg",
                    tx_lon_deg,
                    -360.0,
                    360.0,
                    "a longitude within ±360°",
                )?;
                check_range(
                    "rx_lon_deg",
                    rx_lon_deg,
                    -360.0,
                    360.0,
                    "a longitude within ±360°",
                )
            }
            Self::Latitude { phi_deg } => {
                check_range("phi_deg", phi_deg, -90.0, 90.0, "a latitude within ±90°")
            }
        }
    }
}

/// Which edition's formulas to apply where P.452-18 and P.1812-6 differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rules {
    /// ITU-R P.452-18.
    P452,
    /// ITU-R P.1812-6.
    P1812,
}

/// Time percentage β0 (%) for which refractive-index lapse rates exceeding
/// 100 N-units/km can be expected in the first 100 m of the atmosphere
/// (P.452-18 eqs (2)–(4)), from the path-centre latitude and the longest
/// land (`dtm_km`) and inland (`dlm_km`) sections.
pub fn beta0_pct(phi_deg: f64, dtm_km: f64, dlm_km: f64) -> f64 {
    beta0_with(Rules::P452, phi_deg, dtm_km, dlm_km)
}

/// β0 as P.452 (μ4 = 10^(a·log10 μ1)) or P.1812 (μ4 = μ1^a) writes it.
pub(crate) fn beta0_with(rules: Rules, phi_deg: f64, dtm_km: f64, dlm_km: f64) -> f64 {
    let tau = 1.0 - (-(4.12e-4 * dlm_km.powf(2.41))).exp();
    let mu1 = (10f64.powf(-dtm_km / (16.0 - 6.6 * tau)) + 10f64.powf(-5.0 * (0.496 + 0.354 * tau)))
        .powf(0.2);
    let mu1 = if mu1 > 1.0 { 1.0 } else { mu1 };
    let phi = phi_deg.abs();
    let mu4_of = |a: f64| match rules {
        Rules::P452 => 10f64.powf(a * mu1.log10()),
        Rules::P1812 => mu1.powf(a),
    };
    if phi <= 70.0 {
        let mu4 = mu4_of(-0.935 + 0.0176 * phi);
        10f64.powf(-0.015 * phi + 1.67) * mu1 * mu4
    } else {
        let mu4 = mu4_of(0.3);
        4.17 * mu1 * mu4
    }
}

/// Result of the path-profile analysis (P.452-18 Attachment 2 §5.1.6,
/// P.1812-6 Attachment 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProfileAnalysis {
    /// Smooth-surface height at the transmitter before limiting, m (eq (163)).
    pub hst_raw_m: f64,
    /// Smooth-surface height at the receiver before limiting, m (eq (164)).
    pub hsr_raw_m: f64,
    /// Smooth-surface height at the transmitter, min(h_st, h_1), m (eq (168a)).
    pub hst_m: f64,
    /// Smooth-surface height at the receiver, min(h_sr, h_n), m (eq (168b)).
    pub hsr_m: f64,
    /// Smooth-surface height at the transmitter for diffraction, m (eq (167)).
    pub hstd_m: f64,
    /// Smooth-surface height at the receiver for diffraction, m (eq (167)).
    pub hsrd_m: f64,
    /// Effective transmitter height for ducting, m (eq (170)).
    pub hte_m: f64,
    /// Effective receiver height for ducting, m (eq (170)).
    pub hre_m: f64,
    /// Terrain roughness, m (eq (171)).
    pub hm_m: f64,
    /// Distance from the transmitter to its horizon, km (eq (155)).
    pub dlt_km: f64,
    /// Distance from the receiver to its horizon, km (eq (158)).
    pub dlr_km: f64,
    /// Transmitter horizon elevation angle, mrad (eq (154)).
    pub theta_t_mrad: f64,
    /// Receiver horizon elevation angle, mrad (eq (157)).
    pub theta_r_mrad: f64,
    /// Path angular distance, mrad (eq (159)).
    pub theta_mrad: f64,
    /// Line-of-sight or trans-horizon.
    pub path_type: PathType,
}

/// Analyses the terrain profile `h` (m, terrain only) for antennas
/// `htg_m`/`hrg_m` above ground, median effective Earth radius `ae_km` and
/// frequency `freq_ghz` (used for the LoS horizon point); `recip` holds the
/// reciprocals of the distances of `d` ([`Reciprocals::new`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn analyse_profile(
    rules: Rules,
    d: &[f64],
    h: &[f64],
    recip: &Reciprocals,
    htg_m: f64,
    hrg_m: f64,
    ae_km: f64,
    freq_ghz: f64,
) -> ProfileAnalysis {
    let n = d.len();
    let dtot = d[n - 1];
    let hts = h[0] + htg_m;
    let hrs = h[n - 1] + hrg_m;
    // Eqs (161)-(164): least-squares smooth surface.
    let mut v1 = 0.0;
    let mut v2 = 0.0;
    for i in 1..n {
        let dd = d[i] - d[i - 1];
        v1 += dd * (h[i] + h[i - 1]);
        v2 += dd * (h[i] * (2.0 * d[i] + d[i - 1]) + h[i - 1] * (d[i] + 2.0 * d[i - 1]));
    }
    let hst_raw = (2.0 * v1 * dtot - v2) / (dtot * dtot);
    let hsr_raw = (v2 - v1 * dtot) / (dtot * dtot);
    let inner = 1..n - 1;
    // Eqs (165)-(167) and the horizon search of eqs (152)-(158), on the
    // reciprocals of the distances to each terminal (`recip`, shared with the
    // Bullington walks) and in interleaved running maxima (`walk`). atan is
    // increasing, so the horizon search runs on the slopes (first index of
    // the transmitter's largest, last of the receiver's) and takes one atan
    // per terminal afterwards.
    let (inv_dtot, inv_2ae) = (1.0 / dtot, 1.0 / (2.0 * ae_km));
    let (di, hh) = (&d[1..n - 1], &h[1..n - 1]);
    let (inv_d, inv_dr) = (&recip.inv_d[..n - 2], &recip.inv_dr[..n - 2]);
    let slope_t = |j: usize| (hh[j] - hts) * 0.001 * inv_d[j] - di[j] * inv_2ae;
    let slope_r = |j: usize| {
        let dr = dtot - di[j];
        (hh[j] - hrs) * 0.001 * inv_dr[j] - dr * inv_2ae
    };
    let [hobs, alpha_obt, alpha_obr] = max_over(n - 2, |j| {
        let hi = hh[j] - (hts * (dtot - di[j]) + hrs * di[j]) * inv_dtot;
        [hi, hi * inv_d[j], hi * inv_dr[j]]
    });
    let [max_t, max_r] = max_over(n - 2, |j| [slope_t(j), slope_r(j)]);
    let (first_max_t, slope_max_t) = locate(0..n - 2, Ties::First, 0, max_t, slope_t);
    let (last_max_r, slope_max_r) = locate(0..n - 2, Ties::Last, n - 3, max_r, slope_r);
    let (first_max_t, last_max_r) = (first_max_t + 1, last_max_r + 1);
    let gt = alpha_obt / (alpha_obt + alpha_obr);
    let gr = alpha_obr / (alpha_obt + alpha_obr);
    let (hstp, hsrp) = if hobs <= 0.0 {
        (hst_raw, hsr_raw)
    } else {
        (hst_raw - hobs * gt, hsr_raw - hobs * gr)
    };
    let hstd = if hstp >= h[0] { h[0] } else { hstp };
    let hsrd = if hsrp > h[n - 1] { h[n - 1] } else { hsrp };
    let theta_td = 1000.0 * ((hrs - hts) / (1000.0 * dtot) - dtot / (2.0 * ae_km)).atan();
    let theta_rd = 1000.0 * ((hts - hrs) / (1000.0 * dtot) - dtot / (2.0 * ae_km)).atan();
    let theta_max_t = 1000.0 * slope_max_t.atan();
    let theta_max_r = 1000.0 * slope_max_r.atan();
    let path_type = if theta_max_t > theta_td {
        PathType::TransHorizon
    } else {
        PathType::LineOfSight
    };
    let (theta_t, theta_r, lt, lr, dlt, dlr) = match path_type {
        PathType::TransHorizon => {
            let theta_r = match rules {
                Rules::P452 => theta_max_r.max(theta_rd),
                Rules::P1812 => theta_max_r,
            };
            (
                theta_max_t.max(theta_td),
                theta_r,
                first_max_t,
                last_max_r,
                d[first_max_t],
                dtot - d[last_max_r],
            )
        }
        PathType::LineOfSight => {
            // The horizon points are the point of highest diffraction parameter.
            let lambda = 0.2998 / freq_ghz;
            let ce = 1.0 / ae_km;
            let nu = |i: usize| {
                (h[i] + 500.0 * ce * d[i] * (dtot - d[i])
                    - (hts * (dtot - d[i]) + hrs * d[i]) / dtot)
                    * (0.002 * dtot / (lambda * d[i] * (dtot - d[i]))).sqrt()
            };
            // The last index of the highest ν.
            let [numax] = max_over(n - 2, |j| [nu(j + 1)]);
            let (lt, _) = locate(inner.clone(), Ties::Last, 1, numax, nu);
            let dlt = d[lt];
            let dlr = dtot - dlt;
            let lr = match rules {
                Rules::P452 => inner
                    .clone()
                    .rev()
                    .find(|&i| dlr <= dtot - d[i])
                    .unwrap_or(lt),
                Rules::P1812 => lt,
            };
            (theta_td, theta_rd, lt, lr, dlt, dlr)
        }
    };
    let theta = 1e3 * dtot / ae_km + theta_t + theta_r;
    // Eqs (168)-(171): smooth surface for ducting and roughness.
    let hst = hst_raw.min(h[0]);
    let hsr = hsr_raw.min(h[n - 1]);
    let m = (hsr - hst) / dtot;
    let hte = htg_m + h[0] - hst;
    let hre = hrg_m + h[n - 1] - hsr;
    let [hm] = max_over(lr + 1 - lt.min(lr + 1), |j| {
        let i = lt + j;
        [h[i] - (hst + m * d[i])]
    });
    ProfileAnalysis {
        hst_raw_m: hst_raw,
        hsr_raw_m: hsr_raw,
        hst_m: hst,
        hsr_m: hsr,
        hstd_m: hstd,
        hsrd_m: hsrd,
        hte_m: hte,
        hre_m: hre,
        hm_m: hm,
        dlt_km: dlt,
        dlr_km: dlr,
        theta_t_mrad: theta_t,
        theta_r_mrad: theta_r,
        theta_mrad: theta,
        path_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta0_decreases_with_land_and_matches_between_rules() {
        let sea_path = beta0_pct(50.0, 0.0, 0.0);
        let land_path = beta0_pct(50.0, 100.0, 100.0);
        assert!(sea_path > land_path);
        let a = beta0_with(Rules::P452, 45.0, 30.0, 10.0);
        let b = beta0_with(Rules::P1812, 45.0, 30.0, 10.0);
        assert!((a - b).abs() < 1e-12);
    }

    #[test]
    fn path_centre_of_meridian_path_is_mid_latitude() {
        let (lon, lat) = great_circle_point_deg(10.0, 40.0, 10.0, 42.0, 0.5 * 222.39);
        assert!((lat - 41.0).abs() < 1e-3, "{lat}");
        assert!((lon - 10.0).abs() < 1e-9, "{lon}");
    }
}
