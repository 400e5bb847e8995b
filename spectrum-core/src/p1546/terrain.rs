//! ITU-R P.1546-6 (08/2019) quantities taken from a terrain profile: the
//! effective height of the transmitting antenna (Annex 5 §3: the antenna's
//! height above the average terrain between 3 and 15 km, or between 0.2 d
//! and d on paths shorter than 15 km), the transmitter's clearance angle
//! θ_eff1 (§4.3 case a, over 15 km) and the receiver's terrain clearance
//! angle (§11, over 16 km).
//!
//! The averages and angles are taken over the profile points inside each
//! window, as the ITU-R WP 3K reference implementation does (its results are
//! reproduced to 1e-3 dB, so h1 must be the same); a window holding fewer
//! than two points is read by linear interpolation of the profile instead.
//!
//! ```
//! use spectrum_core::p1546::terrain::effective_height_m;
//! let d: Vec<f64> = (0..=40).map(|i| i as f64).collect();
//! let h = vec![200.0; 41];
//! // Flat ground: the effective height is the antenna's height above it.
//! assert_eq!(effective_height_m(&d, &h, 30.0).unwrap(), 30.0);
//! ```

use super::{P1546Error, P1546Input, RxArea, Zone};
use crate::profile::{PathProfile, RadioClimaticZone};

/// A profile too short or malformed for the terrain quantities.
pub type ProfileError = String;

/// The terminals and conditions of a prediction over a terrain profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileTerminals {
    /// Frequency, MHz.
    pub freq_mhz: f64,
    /// Percentage of time, %.
    pub time_pct: f64,
    /// Transmitting antenna height above ground at the profile's first point, m.
    pub ha_m: f64,
    /// Receiving antenna height above ground at its last point, m.
    pub h2_m: f64,
    /// The receiver's surroundings.
    pub rx_area: RxArea,
    /// The kind of the profile's sea stretches (radio-climatic zone B).
    pub sea: Zone,
}

impl P1546Input {
    /// A prediction over a terrain profile from the transmitter to the
    /// receiver, with terrain known: h_eff from the profile (§3), h_b = h_eff
    /// below 15 km, the receiver's clearance angle (§11) for the correction
    /// of step 12 and, with θ_eff1 (§4.3a), for the tropospheric scatter of
    /// step 13, the ground heights at both ends (§14), and the land and sea
    /// lengths from the profile's zones (each point counts half the distance
    /// to each neighbour; zone B is sea, coastal and inland land are land;
    /// no zones: all land). Clutter heights stay the area's typical ones.
    ///
    /// ```
    /// use spectrum_core::p1546::{p1546, P1546Input, RxArea, Zone};
    /// use spectrum_core::p1546::terrain::ProfileTerminals;
    /// use spectrum_core::profile::PathProfile;
    /// let profile = PathProfile::flat(30.0, 0.1, 400.0).unwrap();
    /// let t = ProfileTerminals {
    ///     freq_mhz: 600.0, time_pct: 50.0, ha_m: 75.0, h2_m: 10.0,
    ///     rx_area: RxArea::Rural, sea: Zone::ColdSea,
    /// };
    /// let input = P1546Input::from_profile(&profile, &t).unwrap();
    /// assert!((input.heff_m - 75.0).abs() < 1e-9);
    /// assert!(p1546(&input).unwrap().loss_db > 100.0);
    /// ```
    pub fn from_profile(profile: &PathProfile, t: &ProfileTerminals) -> Result<Self, P1546Error> {
        let (x, h) = (&profile.distances_km, &profile.heights_m);
        let err = |e: String| P1546Error::Invalid(e);
        let heff = effective_height_m(x, h, t.ha_m).map_err(err)?;
        let tca = clearance_angle_deg(x, h, t.h2_m).map_err(err)?;
        let eff1 = tx_clearance_angle_deg(x, h, t.ha_m).map_err(err)?;
        let n = x.len();
        let (mut land_km, mut sea_km) = (0.0, 0.0);
        for i in 0..n {
            let inc = (x[(i + 1).min(n - 1)] - x[i.saturating_sub(1)]) / 2.0;
            let sea = profile
                .zones
                .as_ref()
                .and_then(|z| z.get(i))
                .is_some_and(|z| *z == RadioClimaticZone::Sea);
            if sea {
                sea_km += inc;
            } else {
                land_km += inc;
            }
        }
        let zones = [(Zone::Land, land_km), (t.sea, sea_km)]
            .into_iter()
            .filter(|z| z.1 > 0.0)
            .collect();
        let mut input = P1546Input::new(t.freq_mhz, t.time_pct, zones, heff, t.h2_m, t.rx_area);
        input.ha_m = Some(t.ha_m);
        input.hb_m = (land_km + sea_km < 15.0).then_some(heff);
        input.terrain_known = true;
        input.tca_deg = Some(tca);
        input.scatter_angles_deg = Some((eff1, tca));
        input.ground_heights_m = Some((h[0], h[n - 1]));
        Ok(input)
    }
}

fn check(dist_km: &[f64], heights_m: &[f64]) -> Result<(), ProfileError> {
    if dist_km.len() != heights_m.len() {
        return Err(format!(
            "P.1546 terrain: expected as many heights as distances, found {} and {}",
            heights_m.len(),
            dist_km.len()
        ));
    }
    if dist_km.len() < 2 {
        return Err(format!(
            "P.1546 terrain: a profile needs at least 2 points, found {}",
            dist_km.len()
        ));
    }
    if let Some(i) = (1..dist_km.len()).find(|&i| dist_km[i] < dist_km[i - 1]) {
        return Err(format!(
            "P.1546 terrain: distances must not decrease, point {i} is at {} km after {} km",
            dist_km[i],
            dist_km[i - 1]
        ));
    }
    if dist_km[dist_km.len() - 1] <= dist_km[0] {
        return Err("P.1546 terrain: the profile has zero length".into());
    }
    if dist_km.iter().chain(heights_m).any(|v| !v.is_finite()) {
        return Err("P.1546 terrain: distances and heights must be finite numbers".into());
    }
    Ok(())
}

/// Height of the profile at distance `x_km`, by linear interpolation.
fn height_at(dist_km: &[f64], heights_m: &[f64], x_km: f64) -> f64 {
    let j = dist_km
        .partition_point(|&d| d < x_km)
        .clamp(1, dist_km.len() - 1);
    let (x0, x1) = (dist_km[j - 1], dist_km[j]);
    let (h0, h1) = (heights_m[j - 1], heights_m[j]);
    if x1 > x0 {
        h0 + (h1 - h0) * (x_km - x0) / (x1 - x0)
    } else {
        h1
    }
}

/// Annex 5 §3: the effective height h_eff of an antenna `ha_m` above the
/// ground at the first profile point, m: its height above the mean terrain
/// (trapezoid average) between 3 and 15 km from it, or between 0.2 d and d
/// when the path is shorter than 15 km. `dist_km` starts at the antenna.
pub fn effective_height_m(
    dist_km: &[f64],
    heights_m: &[f64],
    ha_m: f64,
) -> Result<f64, ProfileError> {
    check(dist_km, heights_m)?;
    let d0 = dist_km[0];
    let len = dist_km[dist_km.len() - 1] - d0;
    let (lo, hi) = if len >= 15.0 {
        (3.0, 15.0)
    } else {
        (0.2 * len, len)
    };
    // Distances do not decrease: the window is one run of points.
    let a = dist_km.partition_point(|&d| d - d0 < lo);
    let b = dist_km.partition_point(|&d| d - d0 <= hi);
    let trapezoid_mean = |x: &[f64], y: &[f64]| {
        let area: f64 = (1..x.len())
            .map(|i| (y[i - 1] + y[i]) * (x[i] - x[i - 1]) / 2.0)
            .sum();
        area / (x[x.len() - 1] - x[0])
    };
    let mean = if b >= a + 2 && dist_km[b - 1] > dist_km[a] {
        trapezoid_mean(&dist_km[a..b], &heights_m[a..b])
    } else {
        // Too few points in the window: sample it.
        let n = 10;
        let (x, y): (Vec<f64>, Vec<f64>) = (0..=n)
            .map(|k| {
                let x = d0 + lo + (hi - lo) * k as f64 / n as f64;
                (x, height_at(dist_km, heights_m, x))
            })
            .unzip();
        trapezoid_mean(&x, &y)
    };
    Ok(ha_m + heights_m[0] - mean)
}

/// §11 eq. (31): the receiver's terrain clearance angle, degrees: the
/// largest elevation, seen from the receiving antenna `hr_m` above the last
/// profile point, of the terrain within 16 km of it towards the transmitter
/// (positive when the terrain rises above the antenna).
pub fn clearance_angle_deg(
    dist_km: &[f64],
    heights_m: &[f64],
    hr_m: f64,
) -> Result<f64, ProfileError> {
    check(dist_km, heights_m)?;
    let n = dist_km.len();
    let (d_end, h_ant) = (dist_km[n - 1], heights_m[n - 1] + hr_m);
    // atan is increasing: the largest angle is the angle of the largest slope.
    let slope = |i: usize| (heights_m[i] - h_ant) / (1000.0 * (d_end - dist_km[i]));
    let first = dist_km.partition_point(|&d| d_end - d > 16.0).min(n - 2);
    let max_slope = (first..n - 1)
        .filter(|&i| dist_km[i] < d_end)
        .map(slope)
        .fold(f64::NEG_INFINITY, f64::max);
    Ok(max_slope.atan().to_degrees())
}

/// §4.3 case a: the transmitter's clearance angle θ_eff1, degrees: the
/// largest elevation, seen from the transmitting antenna `ht_m` above the
/// first profile point, of the terrain within 15 km of it.
pub fn tx_clearance_angle_deg(
    dist_km: &[f64],
    heights_m: &[f64],
    ht_m: f64,
) -> Result<f64, ProfileError> {
    check(dist_km, heights_m)?;
    let (d0, h_ant) = (dist_km[0], heights_m[0] + ht_m);
    let last = dist_km.partition_point(|&d| d - d0 <= 15.0).max(2);
    let max_slope = (1..last)
        .filter(|&i| dist_km[i] > d0)
        .map(|i| (heights_m[i] - h_ant) / (1000.0 * (dist_km[i] - d0)))
        .fold(f64::NEG_INFINITY, f64::max);
    Ok(max_slope.atan().to_degrees())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effective_height_averages_3_to_15_km() {
        // Ground rising linearly 0 → 400 m over 40 km: mean over 3–15 km is 90 m.
        let d: Vec<f64> = (0..=40).map(|i| i as f64).collect();
        let h: Vec<f64> = d.iter().map(|x| 10.0 * x).collect();
        assert!((effective_height_m(&d, &h, 50.0).unwrap() - (50.0 - 90.0)).abs() < 1e-9);
        // Short path: 0.2 d .. d.
        let d: Vec<f64> = (0..=10).map(|i| i as f64).collect();
        let h: Vec<f64> = d.iter().map(|x| 10.0 * x).collect();
        assert!((effective_height_m(&d, &h, 50.0).unwrap() - (50.0 - 60.0)).abs() < 1e-9);
        // Two points: the window is sampled.
        let e = effective_height_m(&[0.0, 40.0], &[0.0, 400.0], 50.0).unwrap();
        assert!((e - (50.0 - 90.0)).abs() < 1e-9);
    }

    #[test]
    fn clearance_angles_see_the_highest_obstacle() {
        let d = [0.0, 5.0, 10.0, 19.0, 20.0];
        let h = [100.0, 100.0, 100.0, 110.0, 100.0];
        // From the receiver 10 m above the ground the 110 m hill 1 km away is level.
        assert!(clearance_angle_deg(&d, &h, 10.0).unwrap().abs() < 1e-12);
        let t = tx_clearance_angle_deg(&d, &h, 10.0).unwrap();
        // From the transmitter 10 m up, the farthest flat point within 15 km is the highest.
        assert!((t - (-10.0f64 / 10_000.0).atan().to_degrees()).abs() < 1e-12);
        assert!(clearance_angle_deg(&[0.0], &[1.0], 1.0).is_err());
        assert!(effective_height_m(&[0.0, 2.0, 1.0], &[0.0; 3], 1.0).is_err());
    }
}
