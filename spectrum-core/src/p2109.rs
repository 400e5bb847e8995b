//! ITU-R P.2109-1 (02/2019), "Prediction of building entry loss": the
//! statistical building entry loss L_BEL not exceeded with probability P, for
//! traditional and thermally-efficient buildings, 80 MHz–100 GHz, with the
//! elevation of the path at the façade (§3, eqs (1)–(10) and Table 1). The
//! equations and coefficients are those P.2109-2 keeps.
//!
//! L_BEL(P) = 10 log(10^(0.1 A(P)) + 10^(0.1 B(P)) + 10^(0.1 C)), where
//! A(P) = F⁻¹(P) σ₁ + μ₁, B(P) = F⁻¹(P) σ₂ + μ₂, C = −3 dB,
//! μ₁ = L_h + L_e, μ₂ = w + x log f, σ₁ = u + v log f, σ₂ = y + z log f,
//! L_h = r + s log f + t (log f)², L_e = 0.212 |θ|, and F⁻¹ is the inverse
//! standard normal distribution (exact, [`crate::normal::normal_quantile`]).
//!
//! ```
//! use spectrum_core::p2109::{BuildingClass, building_entry_loss_db};
//! let median = building_entry_loss_db(2.0, 50.0, BuildingClass::Traditional, 0.0).unwrap();
//! assert!((median - 14.96).abs() < 0.01);
//! assert!(building_entry_loss_db(200.0, 50.0, BuildingClass::Traditional, 0.0).is_err());
//! ```

use serde::Serialize;
use thiserror::Error;

use crate::normal::normal_quantile;

/// Frequency range of the model, GHz (inclusive).
pub const FREQ_RANGE_GHZ: (f64, f64) = (0.08, 100.0);

/// The building classes of Table 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum BuildingClass {
    /// 1: traditional construction.
    Traditional,
    /// 2: thermally efficient (metallised glass, foil-backed panels).
    ThermallyEfficient,
}

impl BuildingClass {
    /// From the reference code: 1 traditional, 2 thermally efficient.
    pub fn from_code(code: i64) -> Result<Self, P2109Error> {
        match code {
            1 => Ok(Self::Traditional),
            2 => Ok(Self::ThermallyEfficient),
            found => Err(P2109Error::BuildingClass { found }),
        }
    }

    /// The reference code (1 or 2).
    pub fn code(self) -> i64 {
        match self {
            Self::Traditional => 1,
            Self::ThermallyEfficient => 2,
        }
    }

    /// Table 1: (r, s, t, u, v, w, x, y, z).
    fn coefficients(self) -> [f64; 9] {
        match self {
            Self::Traditional => [12.64, 3.72, 0.96, 9.6, 2.0, 9.1, -3.0, 4.5, -2.0],
            Self::ThermallyEfficient => [28.19, -3.00, 8.48, 13.5, 3.8, 27.8, -2.9, 9.4, -2.1],
        }
    }
}

/// An input outside the model's domain (the model is not evaluated).
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum P2109Error {
    /// Frequency outside 0.08–100 GHz.
    #[error(
        "P.2109 building entry loss: frequency must be within 0.08..=100 GHz, found {found_ghz} GHz"
    )]
    Frequency {
        /// The frequency given, GHz.
        found_ghz: f64,
    },
    /// Probability outside (0, 100) %.
    #[error(
        "P.2109 building entry loss: probability must be within (0, 100) %, found {found_pct} %"
    )]
    Probability {
        /// The probability given, %.
        found_pct: f64,
    },
    /// Elevation outside −90..=90°.
    #[error(
        "P.2109 building entry loss: elevation angle must be within -90..=90°, found {found_deg}°"
    )]
    Elevation {
        /// The elevation given, degrees.
        found_deg: f64,
    },
    /// Building class other than 1 or 2.
    #[error(
        "P.2109 building entry loss: building class must be 1 (traditional) or 2 (thermally efficient), found {found}"
    )]
    BuildingClass {
        /// The code given.
        found: i64,
    },
}

/// Building entry loss not exceeded with probability `probability_pct` %,
/// dB (eq (1)), at `freq_ghz` for a path arriving at `elevation_deg` at the
/// façade (the sign of the elevation does not matter).
pub fn building_entry_loss_db(
    freq_ghz: f64,
    probability_pct: f64,
    class: BuildingClass,
    elevation_deg: f64,
) -> Result<f64, P2109Error> {
    if !(FREQ_RANGE_GHZ.0..=FREQ_RANGE_GHZ.1).contains(&freq_ghz) {
        return Err(P2109Error::Frequency {
            found_ghz: freq_ghz,
        });
    }
    if !(probability_pct > 0.0 && probability_pct < 100.0) {
        return Err(P2109Error::Probability {
            found_pct: probability_pct,
        });
    }
    if !(-90.0..=90.0).contains(&elevation_deg) {
        return Err(P2109Error::Elevation {
            found_deg: elevation_deg,
        });
    }
    let [r, s, t, u, v, w, x, y, z] = class.coefficients();
    let log_f = freq_ghz.log10();
    let l_h = r + s * log_f + t * log_f * log_f; // (7)
    let l_e = 0.212 * elevation_deg.abs(); // (8)
    let mu1 = l_h + l_e; // (5)
    let mu2 = w + x * log_f; // (9)
    let sigma1 = u + v * log_f; // (6)
    let sigma2 = y + z * log_f; // (10)
    let q = normal_quantile(probability_pct / 100.0);
    let a = q * sigma1 + mu1; // (2)
    let b = q * sigma2 + mu2; // (3)
    let c = -3.0; // (4)
    Ok(10.0 * (10f64.powf(0.1 * a) + 10f64.powf(0.1 * b) + 10f64.powf(0.1 * c)).log10())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loss_grows_with_probability_and_elevation() {
        let c = BuildingClass::ThermallyEfficient;
        let low = building_entry_loss_db(3.5, 10.0, c, 0.0).unwrap_or(f64::NAN);
        let high = building_entry_loss_db(3.5, 90.0, c, 0.0).unwrap_or(f64::NAN);
        let steep = building_entry_loss_db(3.5, 90.0, c, 60.0).unwrap_or(f64::NAN);
        assert!(low < high && high < steep, "{low} {high} {steep}");
        let down = building_entry_loss_db(3.5, 90.0, c, -60.0).unwrap_or(f64::NAN);
        assert_eq!(steep, down);
    }

    #[test]
    fn thermally_efficient_buildings_lose_more() {
        for f in [0.1, 1.0, 10.0, 100.0] {
            let t = building_entry_loss_db(f, 50.0, BuildingClass::Traditional, 0.0);
            let e = building_entry_loss_db(f, 50.0, BuildingClass::ThermallyEfficient, 0.0);
            assert!(t.unwrap_or(f64::NAN) < e.unwrap_or(f64::NAN), "{f} GHz");
        }
    }

    #[test]
    fn edges_are_errors_not_nan() {
        let t = BuildingClass::Traditional;
        assert!(building_entry_loss_db(0.08, 50.0, t, 0.0).is_ok());
        assert!(building_entry_loss_db(100.0, 50.0, t, 90.0).is_ok());
        assert!(matches!(
            building_entry_loss_db(0.079, 50.0, t, 0.0),
            Err(P2109Error::Frequency { .. })
        ));
        assert!(matches!(
            building_entry_loss_db(f64::NAN, 50.0, t, 0.0),
            Err(P2109Error::Frequency { .. })
        ));
        assert!(matches!(
            building_entry_loss_db(1.0, 0.0, t, 0.0),
            Err(P2109Error::Probability { .. })
        ));
        assert!(matches!(
            building_entry_loss_db(1.0, 100.0, t, 0.0),
            Err(P2109Error::Probability { .. })
        ));
        assert!(matches!(
            building_entry_loss_db(1.0, 50.0, t, 91.0),
            Err(P2109Error::Elevation { .. })
        ));
        assert!(matches!(
            BuildingClass::from_code(3),
            Err(P2109Error::BuildingClass { found: 3 })
        ));
        let msg = building_entry_loss_db(200.0, 50.0, t, 0.0)
            .err()
            .map(|e| e.to_string());
        assert!(msg.is_some_and(|m| m.contains("0.08..=100 GHz") && m.contains("200")));
    }
}
