//! ITU-R P.676-13 (08/2022) Annex 1 §2.2: the gaseous attenuation of a slant
//! path by ray tracing through exponentially thickening spherical layers of
//! the ITU-R P.835-6 mean annual global reference atmosphere.
//!
//! - §2.2.1, non-negative apparent elevation: from sea level to space, the
//!   922 layers δᵢ = 0.0001·exp((i − 1)/100) km of eq (14); between a lower
//!   and an upper height (0 ≤ h_lower < h_upper ≤ 100 km), the layers
//!   i_lower … i_upper − 1 of eqs (16a)–(16d), rescaled to fill exactly that
//!   span. A station above sea level looking to space uses eqs (16a)–(16d)
//!   with h_upper = 100 km, the top of the reference atmosphere.
//! - §2.2.2, negative apparent elevation (a station above the ground looking
//!   down to a ray that grazes at height h_G and climbs again): the grazing
//!   height from Snell's law for a spherically stratified atmosphere,
//!   n(h_G)(r + h_G) = n(h)(r + h)·cos θ, and then the two §2.2.1 paths at 0°
//!   elevation from h_G, up to the station and up to the upper end.
//!
//! In each layer the path length aᵢ (eq (17)), the angle at the top of the
//! layer αᵢ (eq (18b)) and, through Snell's law, the angle at the bottom of the
//! next βᵢ₊₁ (eq (19b)) follow from the refractive index at the layer's
//! mid-point, nᵢ = 1 + 10⁻⁶ (77.6 p/T + 72 e/T + 3.75·10⁵ e/T²) (ITU-R
//! P.453-14 eqs (1)–(2)). A = Σ aᵢ γᵢ (eq (13)); the ray bends by
//! Σ (βᵢ₊₁ − αᵢ).

use super::{FREQ_RANGE_GHZ, specific_attenuation_db_km};
use crate::p835::{HEIGHT_RANGE_KM, MeanAnnualGlobal};
use thiserror::Error;

/// Earth radius of §2.2, km.
const EARTH_RADIUS_KM: f64 = 6371.0;
/// Layers of eq (14), sea level to just above 100 km.
const LAYERS_TO_SPACE: usize = 922;

/// An input outside the domain of §2.2 (nothing is computed).
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum SlantPathError {
    /// Frequency outside 1–1000 GHz.
    #[error("P.676-13 §2.2: frequency must be within 1..=1000 GHz, found {found_ghz} GHz")]
    Frequency {
        /// The frequency given, GHz.
        found_ghz: f64,
    },
    /// A height outside the reference atmosphere, or the ends in the wrong order.
    #[error(
        "P.676-13 §2.2: heights must satisfy 0 <= h_lower < h_upper <= 100 km, found h_lower {lower_km} km, h_upper {upper_km} km"
    )]
    Heights {
        /// The lower height given, km.
        lower_km: f64,
        /// The upper height given, km (100 for a path to space).
        upper_km: f64,
    },
    /// Apparent elevation outside −90°..=90°, or looking down from sea level.
    #[error(
        "P.676-13 §2.2: apparent elevation must be within -90..=90 deg (negative only above sea level), found {found_deg} deg at {height_km} km"
    )]
    Elevation {
        /// The elevation given, degrees.
        found_deg: f64,
        /// The height of the station, km.
        height_km: f64,
    },
    /// A downward ray that would meet the ground before it grazes (§2.2.2
    /// needs h_G ≥ 0).
    #[error(
        "P.676-13 §2.2.2: a ray leaving {height_km} km at {elevation_deg} deg reaches the ground before it grazes"
    )]
    HitsGround {
        /// The height of the station, km.
        height_km: f64,
        /// The apparent elevation, degrees.
        elevation_deg: f64,
    },
}

/// One layer of the ray trace (units in the names; angles from the local
/// zenith).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layer {
    /// Layer index i of eqs (14)/(16).
    pub index: usize,
    /// Thickness δᵢ, km.
    pub thickness_km: f64,
    /// Height of the bottom of the layer hᵢ (eq (15)), km.
    pub bottom_km: f64,
    /// The reference atmosphere at the mid-point.
    pub atmosphere: MeanAnnualGlobal,
    /// Refractive index at the mid-point.
    pub refractive_index: f64,
    /// Angle of the ray at the bottom of the layer βᵢ, rad.
    pub angle_bottom_rad: f64,
    /// Angle of the ray at the top of the layer αᵢ, rad.
    pub angle_top_rad: f64,
    /// Path length through the layer aᵢ, km.
    pub length_km: f64,
    /// Specific attenuation of dry air, dB/km.
    pub gamma_o_db_km: f64,
    /// Specific attenuation of water vapour, dB/km.
    pub gamma_w_db_km: f64,
}

/// The attenuation of a slant path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlantPath {
    /// Gaseous attenuation A, dB.
    pub attenuation_db: f64,
    /// Total bending of the ray, rad.
    pub bending_rad: f64,
    /// Length of the ray, km.
    pub length_km: f64,
    /// Number of layers traced.
    pub layers: usize,
}

fn check_freq(freq_ghz: f64) -> Result<(), SlantPathError> {
    if (FREQ_RANGE_GHZ.0..=FREQ_RANGE_GHZ.1).contains(&freq_ghz) {
        Ok(())
    } else {
        Err(SlantPathError::Frequency {
            found_ghz: freq_ghz,
        })
    }
}

/// Refractive index n = 1 + 10⁻⁶ (77.6 p/T + 72 e/T + 3.75·10⁵ e/T²) for
/// pressure `p_hpa` (the dry-air pressure here; P.528 passes the total),
/// vapour pressure `e_hpa` and temperature `temp_k` (ITU-R P.453-14).
pub(crate) fn refractive_index_of(p_hpa: f64, e_hpa: f64, temp_k: f64) -> f64 {
    let (t, e) = (temp_k, e_hpa);
    1.0 + 1e-6 * (77.6 * p_hpa / t + 72.0 * e / t + 3.75e5 * e / (t * t))
}

/// Refractive index at a height of the reference atmosphere.
fn refractive_index(a: &MeanAnnualGlobal) -> f64 {
    refractive_index_of(a.dry_pressure_hpa(), a.vapour_hpa, a.temp_k)
}

/// Thicknesses and bottom heights of the layers of eq (14) (to space from sea
/// level, `None`) or eqs (16a)-(16d).
fn layer_grid(lower_km: f64, upper_km: Option<f64>) -> Vec<(usize, f64, f64)> {
    let upper_km = match upper_km {
        None if lower_km == 0.0 => {
            let mut h = 0.0;
            return (1..=LAYERS_TO_SPACE)
                .map(|i| {
                    let d = 1e-4 * ((i as f64 - 1.0) / 100.0).exp();
                    let layer = (i, d, h);
                    h += d;
                    layer
                })
                .collect();
        }
        other => other.unwrap_or(HEIGHT_RANGE_KM.1),
    };
    let step = 0.01f64.exp_m1();
    let index = |h: f64| 100.0 * (1e4 * h * step + 1.0).ln() + 1.0;
    let lo = index(lower_km).floor() as usize;
    let hi = index(upper_km).ceil() as usize;
    let m = ((0.02f64.exp() - 0.01f64.exp())
        / ((hi as f64 / 100.0).exp() - (lo as f64 / 100.0).exp()))
        * (upper_km - lower_km);
    let mut h = lower_km;
    (lo..hi)
        .map(|i| {
            let d = m * ((i as f64 - 1.0) / 100.0).exp();
            let layer = (i, d, h);
            h += d;
            layer
        })
        .collect()
}

/// Traces a ray leaving `lower_km` at apparent elevation `elevation_deg`
/// (≥ 0) up to `upper_km` (`None`: to space), layer by layer. Unchecked.
fn trace(freq_ghz: f64, lower_km: f64, upper_km: Option<f64>, elevation_deg: f64) -> Vec<Layer> {
    let grid = layer_grid(lower_km, upper_km);
    let mut layers = Vec::with_capacity(grid.len());
    let mut beta = (90.0 - elevation_deg).to_radians();
    let mut prev: Option<(f64, f64)> = None; // (α, n) of the layer below
    for (index, d, h) in grid {
        let mid = (h + d / 2.0).min(HEIGHT_RANGE_KM.1);
        let Ok(atmosphere) = MeanAnnualGlobal::at(mid) else {
            break;
        };
        let n = refractive_index(&atmosphere);
        if let Some((alpha, n_below)) = prev {
            // Eq (19b): Snell's law at the boundary.
            beta = (n_below / n * alpha.sin()).min(1.0).asin();
        }
        let r = EARTH_RADIUS_KM + h;
        let c = r * beta.cos();
        // Eq (17), then eq (18b): the sine rule in the triangle of the layer.
        let a = -c + (c * c + 2.0 * r * d + d * d).sqrt();
        let alpha = (r * beta.sin() / (r + d)).min(1.0).asin();
        let (go, gw) = specific_attenuation_db_km(
            freq_ghz,
            atmosphere.dry_pressure_hpa(),
            atmosphere.rho_g_m3,
            atmosphere.temp_k,
        );
        layers.push(Layer {
            index,
            thickness_km: d,
            bottom_km: h,
            atmosphere,
            refractive_index: n,
            angle_bottom_rad: beta,
            angle_top_rad: alpha,
            length_km: a,
            gamma_o_db_km: go,
            gamma_w_db_km: gw,
        });
        prev = Some((alpha, n));
    }
    layers
}

fn summary(layers: &[Layer]) -> SlantPath {
    let attenuation_db = layers
        .iter()
        .map(|l| l.length_km * (l.gamma_o_db_km + l.gamma_w_db_km))
        .sum();
    let bending_rad = layers
        .windows(2)
        .map(|w| w[1].angle_bottom_rad - w[0].angle_top_rad)
        .sum();
    SlantPath {
        attenuation_db,
        bending_rad,
        length_km: layers.iter().map(|l| l.length_km).sum(),
        layers: layers.len(),
    }
}

/// The layers of the §2.2.1 ray trace from `lower_km` (a.m.s.l.) at apparent
/// elevation `elevation_deg` (0–90°) to `upper_km` (`None`: to space).
///
/// ```
/// use spectrum_core::p676::slant::slant_path_layers;
/// let layers = slant_path_layers(28.0, 0.0, None, 30.0).unwrap();
/// assert_eq!(layers.len(), 922);
/// assert!((layers[0].thickness_km - 1e-4).abs() < 1e-15);
/// ```
pub fn slant_path_layers(
    freq_ghz: f64,
    lower_km: f64,
    upper_km: Option<f64>,
    elevation_deg: f64,
) -> Result<Vec<Layer>, SlantPathError> {
    check_freq(freq_ghz)?;
    check_heights(lower_km, upper_km)?;
    if !(0.0..=90.0).contains(&elevation_deg) {
        return Err(SlantPathError::Elevation {
            found_deg: elevation_deg,
            height_km: lower_km,
        });
    }
    Ok(trace(freq_ghz, lower_km, upper_km, elevation_deg))
}

fn check_heights(lower_km: f64, upper_km: Option<f64>) -> Result<(), SlantPathError> {
    let top = upper_km.unwrap_or(HEIGHT_RANGE_KM.1);
    let ok = (HEIGHT_RANGE_KM.0..HEIGHT_RANGE_KM.1).contains(&lower_km)
        && top > lower_km
        && top <= HEIGHT_RANGE_KM.1;
    if ok {
        Ok(())
    } else {
        Err(SlantPathError::Heights {
            lower_km,
            upper_km: top,
        })
    }
}

/// Gaseous attenuation of a slant path from a station at `station_km`
/// a.m.s.l. with apparent elevation `elevation_deg` (−90°..=90°) to
/// `upper_km` (`None`: to space), §2.2.1 and, below the horizontal, §2.2.2.
///
/// ```
/// use spectrum_core::p676::slant::slant_path;
/// // 28 GHz, 30°, sea level to space: about 0.47 dB (SG 3 example).
/// let a = slant_path(28.0, 0.0, None, 30.0).unwrap();
/// assert!((a.attenuation_db - 0.4708).abs() < 1e-3);
/// assert!(slant_path(28.0, 0.0, None, -1.0).is_err());
/// ```
pub fn slant_path(
    freq_ghz: f64,
    station_km: f64,
    upper_km: Option<f64>,
    elevation_deg: f64,
) -> Result<SlantPath, SlantPathError> {
    check_freq(freq_ghz)?;
    check_heights(station_km, upper_km)?;
    if !(-90.0..=90.0).contains(&elevation_deg) || (elevation_deg < 0.0 && station_km == 0.0) {
        return Err(SlantPathError::Elevation {
            found_deg: elevation_deg,
            height_km: station_km,
        });
    }
    if elevation_deg >= 0.0 {
        return Ok(summary(&trace(
            freq_ghz,
            station_km,
            upper_km,
            elevation_deg,
        )));
    }
    let grazing_km =
        grazing_height_km(station_km, elevation_deg).ok_or(SlantPathError::HitsGround {
            height_km: station_km,
            elevation_deg,
        })?;
    let up = summary(&trace(freq_ghz, grazing_km, upper_km, 0.0));
    let down = if station_km > grazing_km {
        summary(&trace(freq_ghz, grazing_km, Some(station_km), 0.0))
    } else {
        SlantPath {
            attenuation_db: 0.0,
            bending_rad: 0.0,
            length_km: 0.0,
            layers: 0,
        }
    };
    Ok(SlantPath {
        attenuation_db: up.attenuation_db + down.attenuation_db,
        bending_rad: up.bending_rad + down.bending_rad,
        length_km: up.length_km + down.length_km,
        layers: up.layers + down.layers,
    })
}

/// §2.2.2: the height where a ray leaving `station_km` at a negative apparent
/// elevation becomes horizontal, by bisection on the invariant
/// n(h)(r + h) = n(h_s)(r + h_s) cos θ (`None` if it meets the ground first).
fn grazing_height_km(station_km: f64, elevation_deg: f64) -> Option<f64> {
    let invariant = |h: f64| {
        MeanAnnualGlobal::at(h)
            .ok()
            .map(|a| refractive_index(&a) * (EARTH_RADIUS_KM + h))
    };
    let target = invariant(station_km)? * elevation_deg.to_radians().cos();
    let (mut lo, mut hi) = (0.0, station_km);
    if invariant(lo)? > target {
        return None;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if invariant(mid)? < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_inputs_are_errors() {
        assert!(matches!(
            slant_path(0.5, 0.0, None, 30.0),
            Err(SlantPathError::Frequency { .. })
        ));
        assert!(matches!(
            slant_path(28.0, 5.0, Some(4.0), 30.0),
            Err(SlantPathError::Heights { .. })
        ));
        assert!(matches!(
            slant_path(28.0, -1.0, None, 30.0),
            Err(SlantPathError::Heights { .. })
        ));
        assert!(matches!(
            slant_path(28.0, 0.0, Some(101.0), 30.0),
            Err(SlantPathError::Heights { .. })
        ));
        assert!(matches!(
            slant_path(28.0, 0.0, None, 91.0),
            Err(SlantPathError::Elevation { .. })
        ));
        assert!(matches!(
            slant_path(28.0, 0.0, None, -1.0),
            Err(SlantPathError::Elevation { .. })
        ));
        assert!(matches!(
            slant_path(28.0, 1.0, None, -60.0),
            Err(SlantPathError::HitsGround { .. })
        ));
    }

    #[test]
    fn lower_elevations_and_lower_stations_attenuate_more() {
        let at = |h: f64, el: f64| {
            slant_path(28.0, h, None, el)
                .map(|s| s.attenuation_db)
                .unwrap_or(f64::NAN)
        };
        assert!(at(0.0, 10.0) > at(0.0, 30.0) && at(0.0, 30.0) > at(0.0, 90.0));
        assert!(at(0.0, 30.0) > at(2.0, 30.0) && at(2.0, 30.0) > 0.0);
        // Looking slightly down from 3 km crosses more air than looking level.
        assert!(at(3.0, -1.0) > at(3.0, 0.0));
        // Zenith from sea level is about the integrated specific attenuation.
        let zenith = at(0.0, 90.0);
        assert!((0.1..0.4).contains(&zenith), "{zenith}");
    }
}
