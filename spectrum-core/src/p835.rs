//! ITU-R P.835-6 (12/2017), "Reference standard atmospheres", §1: the mean
//! annual global reference atmosphere — temperature and total pressure as a
//! function of geometric height from 0 to 100 km (§1.1, eqs (1)–(5), through
//! the geopotential height of eq (1a) below 86 km), and the water-vapour
//! density ρ = 7.5 exp(−h/2) g/m³ with the mixing-ratio floor e/P ≥ 2·10⁻⁶
//! (§1.2, eqs (6)–(8)). ITU-R P.676-13 §2.2 evaluates its slant paths in this
//! atmosphere.
//!
//! ```
//! use spectrum_core::p835::MeanAnnualGlobal;
//! let sea = MeanAnnualGlobal::at(0.0).unwrap();
//! assert!((sea.pressure_hpa - 1013.25).abs() < 1e-9 && (sea.temp_k - 288.15).abs() < 1e-9);
//! assert!((sea.rho_g_m3 - 7.5).abs() < 1e-12);
//! assert!(MeanAnnualGlobal::at(101.0).is_err());
//! ```

use thiserror::Error;

/// Heights the reference atmosphere covers, km (inclusive).
pub const HEIGHT_RANGE_KM: (f64, f64) = (0.0, 100.0);

/// Earth radius of the geopotential conversion, eq (1a), km.
const R_GEOPOTENTIAL_KM: f64 = 6356.766;

/// A height outside the reference atmosphere.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
#[error("ITU-R P.835-6 §1: height must be within 0..=100 km, found {found_km} km")]
pub struct HeightError {
    /// The height given, km.
    pub found_km: f64,
}

/// The atmosphere at one geometric height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanAnnualGlobal {
    /// Temperature, K.
    pub temp_k: f64,
    /// Total barometric pressure, hPa.
    pub pressure_hpa: f64,
    /// Water-vapour density, g/m³.
    pub rho_g_m3: f64,
    /// Water-vapour partial pressure e = ρT/216.7, hPa.
    pub vapour_hpa: f64,
}

impl MeanAnnualGlobal {
    /// The mean annual global reference atmosphere at geometric height
    /// `height_km` above sea level (0–100 km).
    pub fn at(height_km: f64) -> Result<Self, HeightError> {
        if !(HEIGHT_RANGE_KM.0..=HEIGHT_RANGE_KM.1).contains(&height_km) {
            return Err(HeightError {
                found_km: height_km,
            });
        }
        let (temp_k, pressure_hpa) = temperature_pressure(height_km);
        // Eqs (6)-(8): exponential water vapour, floored at a mixing ratio of 2e-6.
        let rho = 7.5 * (-height_km / 2.0).exp();
        let e = rho * temp_k / 216.7;
        let (rho_g_m3, vapour_hpa) = if e / pressure_hpa < 2e-6 {
            let e = 2e-6 * pressure_hpa;
            (e * 216.7 / temp_k, e)
        } else {
            (rho, e)
        };
        Ok(Self {
            temp_k,
            pressure_hpa,
            rho_g_m3,
            vapour_hpa,
        })
    }

    /// Dry-air pressure p = P − e, hPa (the pressure of P.676 Annex 1).
    pub fn dry_pressure_hpa(&self) -> f64 {
        self.pressure_hpa - self.vapour_hpa
    }
}

/// Eqs (2)-(5): temperature (K) and total pressure (hPa) at geometric height
/// `z_km` (0–100 km, unchecked).
fn temperature_pressure(z_km: f64) -> (f64, f64) {
    // Eq (1a): geopotential height.
    let h = R_GEOPOTENTIAL_KM * z_km / (R_GEOPOTENTIAL_KM + z_km);
    if h <= 84.852 {
        let (t, p) = if h <= 11.0 {
            let t = 288.15 - 6.5 * h;
            (t, 1013.25 * (288.15 / t).powf(-34.1632 / 6.5))
        } else if h <= 20.0 {
            (216.65, 226.3226 * (-34.1632 * (h - 11.0) / 216.65).exp())
        } else if h <= 32.0 {
            let t = 216.65 + (h - 20.0);
            (t, 54.74980 * (216.65 / t).powf(34.1632))
        } else if h <= 47.0 {
            let t = 228.65 + 2.8 * (h - 32.0);
            (t, 8.680422 * (228.65 / t).powf(34.1632 / 2.8))
        } else if h <= 51.0 {
            (270.65, 1.109106 * (-34.1632 * (h - 47.0) / 270.65).exp())
        } else if h <= 71.0 {
            let t = 270.65 - 2.8 * (h - 51.0);
            (t, 0.6694167 * (270.65 / t).powf(-34.1632 / 2.8))
        } else {
            let t = 214.65 - 2.0 * (h - 71.0);
            (t, 0.03956649 * (214.65 / t).powf(-34.1632 / 2.0))
        };
        return (t, p);
    }
    // Eqs (3), (5): above 86 km in geometric height.
    let t = if z_km <= 91.0 {
        186.8673
    } else {
        let x = (z_km - 91.0) / 19.9429;
        263.1905 - 76.3232 * (1.0 - x * x).sqrt()
    };
    let p = (95.571899
        + z_km * (-4.011801 + z_km * (6.424731e-2 + z_km * (-4.789660e-4 + z_km * 1.340543e-6))))
        .exp();
    (t, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_join_without_jumps() {
        // Each formula's constant is the pressure where the layer below ends.
        for z in [11.019, 20.063, 32.162, 47.350, 51.412, 71.802] {
            let below = MeanAnnualGlobal::at(z - 1e-6).map(|a| a.pressure_hpa);
            let above = MeanAnnualGlobal::at(z + 1e-6).map(|a| a.pressure_hpa);
            let (Ok(b), Ok(a)) = (below, above) else {
                panic!("{z} km is inside the atmosphere");
            };
            assert!((b - a).abs() / b < 1e-3, "{z} km: {b} vs {a}");
        }
    }

    #[test]
    fn water_vapour_keeps_its_floor_aloft() {
        let top = MeanAnnualGlobal::at(99.9).unwrap_or_else(|e| panic!("{e}"));
        assert!((top.vapour_hpa / top.pressure_hpa - 2e-6).abs() < 1e-18);
        let low = MeanAnnualGlobal::at(2.0).unwrap_or_else(|e| panic!("{e}"));
        assert!((low.rho_g_m3 - 7.5 * (-1.0f64).exp()).abs() < 1e-12);
        assert!(MeanAnnualGlobal::at(-0.1).is_err() && MeanAnnualGlobal::at(f64::NAN).is_err());
    }
}
