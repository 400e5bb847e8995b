//! Gaseous absorption along a ray as ITU-R P.528-5 Annex 2 computes it: the
//! line-by-line specific attenuation of ITU-R P.676 Annex 1 in the ITU-R
//! P.835 mean annual global reference atmosphere, traced through the
//! exponentially thickening layers of P.676 eqs (14)–(19) between two heights
//! (eqs (16a)–(16c)). As in the reference implementation (NTIA/p528), the
//! total P.835 pressure stands where P.676 writes the dry-air pressure, Snell's
//! invariant is taken at the first layer's mid-point, the bending sums all but
//! the last layer, and a downward ray (zenith angle above 90°) is split at its
//! grazing height (P.676 §2.2.2), found by bisection to 0.001 km.

use super::P528Error;
use crate::p676::slant::refractive_index_of;
use crate::p676::specific_attenuation_with_vapour_pressure;
use crate::p835::MeanAnnualGlobal;
use std::f64::consts::FRAC_PI_2;

/// Earth radius of the ray tracer, km.
const A_0_KM: f64 = 6371.0;

/// What a traced ray gives P.528.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ray {
    /// Gaseous absorption, dB.
    pub a_gas_db: f64,
    /// Total bending, rad.
    pub bending_rad: f64,
    /// Length of the ray, km.
    pub length_km: f64,
    /// Zenith angle of the ray at its upper end, rad.
    pub angle_rad: f64,
}

/// The atmosphere at `h_km`: (refractive index, specific attenuation dB/km
/// at `freq_ghz`).
fn layer(freq_ghz: f64, h_km: f64) -> Result<(f64, f64), P528Error> {
    let a =
        MeanAnnualGlobal::at(h_km).map_err(|_| P528Error::AboveAtmosphere { height_km: h_km })?;
    let n = refractive_index(&a);
    let (go, gw) =
        specific_attenuation_with_vapour_pressure(freq_ghz, a.pressure_hpa, a.vapour_hpa, a.temp_k);
    Ok((n, go + gw))
}

/// P.453's refractive index with the total pressure where P.676 writes the
/// dry-air pressure, as the reference does.
fn refractive_index(a: &MeanAnnualGlobal) -> f64 {
    refractive_index_of(a.pressure_hpa, a.vapour_hpa, a.temp_k)
}

/// The layers between two heights (eqs (16a)–(16c)) with the atmosphere at
/// each mid-point: what a ray trace needs besides its starting angle, so that
/// rays between the same two heights share it.
#[derive(Debug, Clone)]
pub(crate) struct Layers {
    /// Per layer i = lower..=upper: radius of the bottom r_i (km), thickness
    /// δ_i (km), refractive index and specific attenuation (dB/km) at the
    /// mid-point. The last entry only serves Snell's law at the top.
    layers: Vec<(f64, f64, f64, f64)>,
}

impl Layers {
    /// The layers from `h1_km` up to `h2_km` at `freq_ghz`.
    pub fn new(freq_ghz: f64, h1_km: f64, h2_km: f64) -> Result<Self, P528Error> {
        let step = (1.0f64 / 100.0).exp() - 1.0;
        let lower = (100.0 * (1e4 * h1_km * step + 1.0).ln() + 1.0).floor() as i64;
        let upper = (100.0 * (1e4 * h2_km * step + 1.0).ln() + 1.0).ceil() as i64;
        if upper <= lower {
            return Ok(Self { layers: Vec::new() });
        }
        let e = |i: i64| (i as f64 / 100.0).exp();
        let m = ((e(2) - e(1)) / (e(upper) - e(lower))) * (h2_km - h1_km);
        let layers = (lower..=upper)
            .map(|i| {
                let thickness = m * e(i - 1);
                let bottom = h1_km + m * ((e(i - 1) - e(lower - 1)) / step);
                let (n, gamma) = layer(freq_ghz, bottom + thickness / 2.0)?;
                Ok((A_0_KM + bottom, thickness, n, gamma))
            })
            .collect::<Result<_, P528Error>>()?;
        Ok(Self { layers })
    }

    /// Traces a ray leaving the bottom at zenith angle `beta1_rad` (≤ 90°).
    pub fn trace(&self, beta1_rad: f64) -> Ray {
        let mut ray = Ray {
            angle_rad: beta1_rad,
            ..Ray::default()
        };
        let Some(&(r_1, _, n_1, _)) = self.layers.first() else {
            return ray;
        };
        let invariant = n_1 * r_1 * beta1_rad.sin();
        let last = self.layers.len() - 2;
        for (k, pair) in self.layers.windows(2).enumerate() {
            let (r_i, d, n_i, gamma_i) = pair[0];
            let (r_next, _, n_next, _) = pair[1];
            let beta_i = (invariant / (n_i * r_i)).min(1.0).asin();
            let alpha_i = (invariant / (n_i * r_next)).min(1.0).asin();
            let c = r_i * beta_i.cos();
            let a_i = -c + (c * c + 2.0 * r_i * d + d * d).sqrt();
            ray.length_km += a_i;
            ray.a_gas_db += a_i * gamma_i;
            if k != last {
                ray.bending_rad += (n_i / n_next * alpha_i.sin()).asin() - alpha_i;
            }
            ray.angle_rad = alpha_i;
        }
        ray
    }
}

/// Traces a ray leaving `h1_km` at zenith angle `beta1_rad` (≤ 90°) up to `h2_km`.
fn trace(freq_ghz: f64, h1_km: f64, h2_km: f64, beta1_rad: f64) -> Result<Ray, P528Error> {
    Ok(Layers::new(freq_ghz, h1_km, h2_km)?.trace(beta1_rad))
}

/// The ray from `h1_km` leaving at zenith angle `beta1_rad` towards `h2_km`
/// (`h1_km` ≤ `h2_km`); above 90° the ray first descends to its grazing
/// height and the two upward legs are added.
pub(crate) fn slant_path(
    freq_ghz: f64,
    h1_km: f64,
    h2_km: f64,
    beta1_rad: f64,
) -> Result<Ray, P528Error> {
    slant_path_in(None, freq_ghz, h1_km, h2_km, beta1_rad)
}

/// [`slant_path`] reusing the `layers` from `h1_km` to `h2_km` when given.
pub(crate) fn slant_path_in(
    layers: Option<&Layers>,
    freq_ghz: f64,
    h1_km: f64,
    h2_km: f64,
    beta1_rad: f64,
) -> Result<Ray, P528Error> {
    if beta1_rad <= FRAC_PI_2 {
        return match layers {
            Some(l) => Ok(l.trace(beta1_rad)),
            None => trace(freq_ghz, h1_km, h2_km, beta1_rad),
        };
    }
    let n_at = |h: f64| {
        MeanAnnualGlobal::at(h)
            .map(|a| refractive_index(&a))
            .map_err(|_| P528Error::AboveAtmosphere { height_km: h })
    };
    let start = n_at(h1_km)? * (A_0_KM + h1_km) * beta1_rad.sin();
    let (mut h_g, mut delta, mut diff) = (h1_km, h1_km / 2.0, 100.0f64);
    // Bisection as the reference does it (a cap instead of an endless loop).
    for _ in 0..200 {
        if diff > 0.0 {
            h_g -= delta;
        } else {
            h_g += delta;
        }
        delta /= 2.0;
        diff = n_at(h_g.max(0.0))? * (A_0_KM + h_g) - start;
        if diff.abs() <= 0.001 {
            break;
        }
    }
    let h_g = h_g.max(0.0);
    let r1 = trace(freq_ghz, h_g, h1_km, FRAC_PI_2)?;
    let r2 = trace(freq_ghz, h_g, h2_km, FRAC_PI_2)?;
    Ok(Ray {
        a_gas_db: r1.a_gas_db + r2.a_gas_db,
        bending_rad: r1.bending_rad + r2.bending_rad,
        length_km: r1.length_km + r2.length_km,
        angle_rad: r2.angle_rad,
    })
}
