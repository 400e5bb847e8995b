//! Clutter loss, Recommendation ITU-R P.2108-1 (09/2021), as implemented by
//! NTIA/ITS (`NTIA/p2108`).
//!
//! Three methods:
//! - §3.1 height-gain terminal correction model ([`height_gain_terminal_correction_db`]),
//!   0.03–3 GHz, one terminal within its local clutter;
//! - §3.2 terrestrial statistical model ([`terrestrial_statistical_db`]), 0.5–67 GHz,
//!   both terminals in clutter, path ≥ 0.25 km;
//! - §3.3 aeronautical statistical model ([`aeronautical_statistical_db`]), 10–100 GHz,
//!   an Earth–space or aeronautical path at elevation 0–90°.
//!
//! Inputs outside the ranges return a [`P2108Error`] whose [`P2108Error::code`] is NTIA's
//! return code (and [`P2108Error::legacy_code`] the 3100/3200/3300 series used by the
//! NTIA test data before it moved codes into the POSIX range).
//!
//! Q⁻¹ is the exact inverse complementary normal distribution
//! ([`crate::normal`]), as the Recommendation writes it. NTIA's C++ uses the
//! Abramowitz & Stegun 26.2.23 approximation (error up to 4.5e-4), which moves
//! one published reference value (terrestrial, 67 GHz, 5.4 km, 30.5 %: exact
//! 30.9496 dB, approximated 30.9512 dB, printed 30.9) outside its rounding.

use serde::Serialize;
use thiserror::Error;

use crate::normal::inverse_complementary;

/// Clutter type of the §3.1 height-gain terminal correction model (P.2108-1 Table 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ClutterType {
    /// Water / sea (code 1).
    WaterSea,
    /// Open / rural (code 2).
    OpenRural,
    /// Suburban (code 3).
    Suburban,
    /// Urban (code 4).
    Urban,
    /// Trees / forest (code 5).
    TreesForest,
    /// Dense urban (code 6).
    DenseUrban,
}

impl ClutterType {
    /// The clutter type for NTIA's integer code 1..=6.
    pub fn from_code(code: i64) -> Result<Self, P2108Error> {
        Ok(match code {
            1 => Self::WaterSea,
            2 => Self::OpenRural,
            3 => Self::Suburban,
            4 => Self::Urban,
            5 => Self::TreesForest,
            6 => Self::DenseUrban,
            _ => return Err(P2108Error::ClutterType { found: code }),
        })
    }

    /// NTIA's integer code (1..=6).
    pub fn code(self) -> i64 {
        match self {
            Self::WaterSea => 1,
            Self::OpenRural => 2,
            Self::Suburban => 3,
            Self::Urban => 4,
            Self::TreesForest => 5,
            Self::DenseUrban => 6,
        }
    }

    /// Default representative clutter height R in m (P.2108-1 Table 3).
    pub fn default_height_m(self) -> f64 {
        match self {
            Self::WaterSea | Self::OpenRural | Self::Suburban => 10.0,
            Self::Urban | Self::TreesForest => 15.0,
            Self::DenseUrban => 20.0,
        }
    }
}

/// An input outside the range of a P.2108 method.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum P2108Error {
    /// §3.1: frequency outside 0.03–3 GHz.
    #[error("§3.1 height-gain model: frequency must be within 0.03..=3 GHz, found {found_ghz} GHz")]
    HeightGainFrequency {
        /// Frequency given, GHz.
        found_ghz: f64,
    },
    /// §3.1: antenna height not > 0 m.
    #[error("§3.1 height-gain model: antenna height must be > 0 m, found {found_m} m")]
    AntennaHeight {
        /// Height given, m.
        found_m: f64,
    },
    /// §3.1: street width not > 0 m.
    #[error("§3.1 height-gain model: street width must be > 0 m, found {found_m} m")]
    StreetWidth {
        /// Width given, m.
        found_m: f64,
    },
    /// §3.1: representative clutter height not > 0 m.
    #[error(
        "§3.1 height-gain model: representative clutter height must be > 0 m, found {found_m} m"
    )]
    ClutterHeight {
        /// Height given, m.
        found_m: f64,
    },
    /// §3.1: clutter type code outside 1..=6.
    #[error("§3.1 height-gain model: clutter type must be a code 1..=6, found {found}")]
    ClutterType {
        /// Code given.
        found: i64,
    },
    /// §3.2: frequency outside 0.5–67 GHz.
    #[error("§3.2 terrestrial model: frequency must be within 0.5..=67 GHz, found {found_ghz} GHz")]
    TerrestrialFrequency {
        /// Frequency given, GHz.
        found_ghz: f64,
    },
    /// §3.2: path distance below 0.25 km.
    #[error("§3.2 terrestrial model: path distance must be >= 0.25 km, found {found_km} km")]
    Distance {
        /// Distance given, km.
        found_km: f64,
    },
    /// §3.2: percentage outside (0, 100).
    #[error("§3.2 terrestrial model: percentage must be within (0, 100), found {found}")]
    TerrestrialPercentage {
        /// Percentage given.
        found: f64,
    },
    /// §3.3: frequency outside 10–100 GHz.
    #[error(
        "§3.3 aeronautical model: frequency must be within 10..=100 GHz, found {found_ghz} GHz"
    )]
    AeronauticalFrequency {
        /// Frequency given, GHz.
        found_ghz: f64,
    },
    /// §3.3: elevation angle outside 0–90°.
    #[error(
        "§3.3 aeronautical model: elevation angle must be within 0..=90 deg, found {found_deg} deg"
    )]
    Theta {
        /// Angle given, degrees.
        found_deg: f64,
    },
    /// §3.3: percentage outside (0, 100).
    #[error("§3.3 aeronautical model: percentage must be within (0, 100), found {found}")]
    AeronauticalPercentage {
        /// Percentage given.
        found: f64,
    },
}

impl P2108Error {
    /// NTIA/p2108 return code (v1.0+, POSIX range: 32.., 48.., 64..).
    pub fn code(&self) -> i64 {
        match self {
            Self::HeightGainFrequency { .. } => 32,
            Self::AntennaHeight { .. } => 33,
            Self::StreetWidth { .. } => 34,
            Self::ClutterHeight { .. } => 35,
            Self::ClutterType { .. } => 36,
            Self::TerrestrialFrequency { .. } => 48,
            Self::Distance { .. } => 49,
            Self::TerrestrialPercentage { .. } => 50,
            Self::AeronauticalFrequency { .. } => 64,
            Self::Theta { .. } => 65,
            Self::AeronauticalPercentage { .. } => 66,
        }
    }

    /// The earlier NTIA/p2108 return code (3100.., 3200.., 3300..), used by its test data.
    pub fn legacy_code(&self) -> i64 {
        match self {
            Self::HeightGainFrequency { .. } => 3100,
            Self::AntennaHeight { .. } => 3101,
            Self::StreetWidth { .. } => 3102,
            Self::ClutterHeight { .. } => 3103,
            Self::ClutterType { .. } => 3104,
            Self::TerrestrialFrequency { .. } => 3200,
            Self::Distance { .. } => 3201,
            Self::TerrestrialPercentage { .. } => 3202,
            Self::AeronauticalFrequency { .. } => 3300,
            Self::Theta { .. } => 3301,
            Self::AeronauticalPercentage { .. } => 3302,
        }
    }
}

/// §3.1 height-gain terminal correction A_h in dB (P.2108-1 eq. (2a)–(2g)).
///
/// `freq_ghz` 0.03–3, terminal `height_m` > 0, `street_width_m` > 0,
/// representative clutter height `clutter_height_m` > 0.
///
/// ```
/// use spectrum_core::p2108::{height_gain_terminal_correction_db, ClutterType};
/// let a = height_gain_terminal_correction_db(1.5, 2.0, 27.0, 10.0, ClutterType::OpenRural).unwrap();
/// assert!((a - 16.0).abs() < 0.05);
/// ```
pub fn height_gain_terminal_correction_db(
    freq_ghz: f64,
    height_m: f64,
    street_width_m: f64,
    clutter_height_m: f64,
    clutter: ClutterType,
) -> Result<f64, P2108Error> {
    if !(0.03..=3.0).contains(&freq_ghz) {
        return Err(P2108Error::HeightGainFrequency {
            found_ghz: freq_ghz,
        });
    }
    if height_m.is_nan() || height_m <= 0.0 {
        return Err(P2108Error::AntennaHeight { found_m: height_m });
    }
    if street_width_m.is_nan() || street_width_m <= 0.0 {
        return Err(P2108Error::StreetWidth {
            found_m: street_width_m,
        });
    }
    if clutter_height_m.is_nan() || clutter_height_m <= 0.0 {
        return Err(P2108Error::ClutterHeight {
            found_m: clutter_height_m,
        });
    }
    if height_m >= clutter_height_m {
        return Ok(0.0);
    }
    let h_dif_m = clutter_height_m - height_m; // (2d)
    let theta_clut_deg = (h_dif_m / street_width_m).atan() * 180.0 / std::f64::consts::PI; // (2e)
    let k_h2 = 21.8 + 6.2 * freq_ghz.log10(); // (2f)
    Ok(match clutter {
        ClutterType::WaterSea | ClutterType::OpenRural => {
            -k_h2 * (height_m / clutter_height_m).log10()
        } // (2b)
        _ => {
            let k_nu = 0.342 * freq_ghz.sqrt(); // (2g)
            let nu = k_nu * (h_dif_m * theta_clut_deg).sqrt(); // (2c)
            let j_nu_db = if nu <= -0.78 {
                0.0
            } else {
                let term = ((nu - 0.1).powi(2) + 1.0).sqrt();
                6.9 + 20.0 * (term + nu - 0.1).log10()
            };
            j_nu_db - 6.03 // (2a)
        }
    })
}

fn terrestrial_helper_db(freq_ghz: f64, dist_km: f64, percent: f64) -> f64 {
    const SIGMA_L_DB: f64 = 4.0;
    const SIGMA_S_DB: f64 = 6.0;
    let term1 = 10f64.powf(-5.0 * freq_ghz.log10() - 12.5);
    let l_l_db = -2.0 * (term1 + 10f64.powf(-16.5)).log10(); // (4a)
    let l_s_db = 32.98 + 23.9 * dist_km.log10() + 3.0 * freq_ghz.log10(); // (5a)
    let a = 10f64.powf(-0.2 * l_l_db);
    let b = 10f64.powf(-0.2 * l_s_db);
    let numerator = SIGMA_L_DB.powi(2) * a + SIGMA_S_DB.powi(2) * b;
    let sigma_cb_db = (numerator / (a + b)).sqrt(); // (3b)
    -5.0 * (a + b).log10() - sigma_cb_db * inverse_complementary(percent / 100.0) // (3a)
}

/// §3.2 terrestrial statistical clutter loss L_ctt in dB not exceeded for
/// `percent` % of locations (P.2108-1 eq. (3)–(6)).
///
/// ```
/// use spectrum_core::p2108::terrestrial_statistical_db;
/// let l = terrestrial_statistical_db(0.5, 0.25, 50.0).unwrap();
/// assert!((l - 17.4).abs() < 0.05);
/// ```
pub fn terrestrial_statistical_db(
    freq_ghz: f64,
    dist_km: f64,
    percent: f64,
) -> Result<f64, P2108Error> {
    if !(0.5..=67.0).contains(&freq_ghz) {
        return Err(P2108Error::TerrestrialFrequency {
            found_ghz: freq_ghz,
        });
    }
    if dist_km.is_nan() || dist_km < 0.25 {
        return Err(P2108Error::Distance { found_km: dist_km });
    }
    if percent.is_nan() || percent <= 0.0 || percent >= 100.0 {
        return Err(P2108Error::TerrestrialPercentage { found: percent });
    }
    let at_2km = terrestrial_helper_db(freq_ghz, 2.0, percent);
    let at_d = terrestrial_helper_db(freq_ghz, dist_km, percent);
    Ok(at_2km.min(at_d)) // (6)
}

/// §3.3 aeronautical (Earth–space) statistical clutter loss L_ces in dB not
/// exceeded for `percent` % of locations (P.2108-1 eq. (7)).
///
/// ```
/// use spectrum_core::p2108::aeronautical_statistical_db;
/// let l = aeronautical_statistical_db(30.0, 2.0, 5.0).unwrap();
/// assert!((l - 7.7).abs() < 0.05);
/// ```
pub fn aeronautical_statistical_db(
    freq_ghz: f64,
    theta_deg: f64,
    percent: f64,
) -> Result<f64, P2108Error> {
    if !(10.0..=100.0).contains(&freq_ghz) {
        return Err(P2108Error::AeronauticalFrequency {
            found_ghz: freq_ghz,
        });
    }
    if !(0.0..=90.0).contains(&theta_deg) {
        return Err(P2108Error::Theta {
            found_deg: theta_deg,
        });
    }
    if percent.is_nan() || percent <= 0.0 || percent >= 100.0 {
        return Err(P2108Error::AeronauticalPercentage { found: percent });
    }
    const A_1: f64 = 0.05;
    let k_1 = 93.0 * freq_ghz.powf(0.175);
    let part1 = (1.0 - percent / 100.0).ln();
    let part2 = A_1 * (1.0 - theta_deg / 90.0) + std::f64::consts::PI * theta_deg / 180.0;
    let part3 = 0.5 * (90.0 - theta_deg) / 90.0;
    let part4 = 0.6 * inverse_complementary(percent / 100.0);
    Ok((-k_1 * part1 * (1.0 / part2.tan())).powf(part3) - 1.0 - part4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_match_ntia() {
        let e = terrestrial_statistical_db(0.24, 2.0, 50.0).unwrap_err();
        assert_eq!((e.code(), e.legacy_code()), (48, 3200));
        let e = aeronautical_statistical_db(22.0, 25.0, 100.0).unwrap_err();
        assert_eq!((e.code(), e.legacy_code()), (66, 3302));
        let e = height_gain_terminal_correction_db(4.0, 2.0, 27.0, 10.0, ClutterType::Suburban)
            .unwrap_err();
        assert_eq!(e.legacy_code(), 3100);
        assert_eq!(ClutterType::from_code(7).unwrap_err().code(), 36);
    }

    #[test]
    fn terminal_above_clutter_has_no_loss() {
        let a =
            height_gain_terminal_correction_db(1.0, 12.0, 27.0, 10.0, ClutterType::Urban).unwrap();
        assert_eq!(a, 0.0);
    }
}
