//! Okumura-Hata (Hata 1980, as in ITU-R P.529-3) and COST-231 Hata (COST
//! Action 231 final report, 1999, §4.4.1) median path loss.
//!
//! - Okumura-Hata: 150–1500 MHz; COST-231 Hata: 1500–2000 MHz.
//! - Base-station effective height 30–200 m, mobile height 1–10 m, distance 1–20 km.
//! - Urban loss with the mobile-antenna correction a(h_m) for small/medium or
//!   large cities; suburban and open areas subtract Hata's corrections from the
//!   small/medium-city urban loss (COST-231 adds C_m = 3 dB in large cities).
//!
//! Inputs outside these ranges are refused with a [`HataError`] (use
//! [`HataOptions::allow_extrapolation`] to compute anyway).
//!
//! ```
//! use spectrum_core::hata::{hata_loss_db, CitySize, HataEnvironment, HataOptions};
//! let l = hata_loss_db(900.0, 30.0, 1.5, 10.0, HataEnvironment::Urban, CitySize::SmallMedium, &HataOptions::default()).unwrap();
//! assert!((l - 161.6).abs() < 0.1);
//! ```

use serde::Serialize;
use thiserror::Error;

/// Propagation environment of the mobile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum HataEnvironment {
    /// Urban.
    Urban,
    /// Suburban.
    Suburban,
    /// Open (rural) area.
    Open,
}

/// City size for the urban mobile-antenna correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CitySize {
    /// Small or medium-sized city.
    SmallMedium,
    /// Large city (metropolitan centre).
    Large,
}

impl HataEnvironment {
    /// Reads `urban`, `suburban`, `open` (or `rural`), any case.
    ///
    /// ```
    /// use spectrum_core::hata::HataEnvironment;
    /// assert_eq!(HataEnvironment::parse("Rural"), Some(HataEnvironment::Open));
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "urban" => Some(Self::Urban),
            "suburban" => Some(Self::Suburban),
            "open" | "rural" => Some(Self::Open),
            _ => None,
        }
    }
}

impl CitySize {
    /// Reads `medium` (or `small`, `small-medium`) and `large`, any case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "medium" | "small" | "small-medium" => Some(Self::SmallMedium),
            "large" => Some(Self::Large),
            _ => None,
        }
    }
}

/// Which formula a frequency selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum HataVariant {
    /// Okumura-Hata (150–1500 MHz).
    OkumuraHata,
    /// COST-231 Hata (1500–2000 MHz).
    Cost231,
}

/// Options of [`hata_loss_db`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct HataOptions {
    /// Compute outside the validity ranges instead of returning an error.
    pub allow_extrapolation: bool,
}

/// An input outside the validity range of the Hata models.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum HataError {
    /// Frequency outside 150–2000 MHz.
    #[error(
        "frequency must be within 150..=2000 MHz (Hata 150-1500, COST-231 1500-2000), found {found_mhz} MHz"
    )]
    Frequency {
        /// Value given, MHz.
        found_mhz: f64,
    },
    /// Base-station height outside 30–200 m.
    #[error("base-station effective height must be within 30..=200 m, found {found_m} m")]
    BaseHeight {
        /// Value given, m.
        found_m: f64,
    },
    /// Mobile height outside 1–10 m.
    #[error("mobile antenna height must be within 1..=10 m, found {found_m} m")]
    MobileHeight {
        /// Value given, m.
        found_m: f64,
    },
    /// Distance outside 1–20 km.
    #[error("distance must be within 1..=20 km, found {found_km} km")]
    Distance {
        /// Value given, km.
        found_km: f64,
    },
    /// A value that is not a positive finite number (even with extrapolation).
    #[error("{name} must be a finite number > 0, found {found}")]
    NotPositive {
        /// Parameter name.
        name: &'static str,
        /// Value given.
        found: f64,
    },
}

/// The variant a frequency selects (COST-231 above 1500 MHz).
pub fn variant_for(freq_mhz: f64) -> HataVariant {
    if freq_mhz > 1500.0 {
        HataVariant::Cost231
    } else {
        HataVariant::OkumuraHata
    }
}

/// Mobile antenna height correction a(h_m), dB.
pub fn mobile_correction_db(freq_mhz: f64, h_m_m: f64, city: CitySize) -> f64 {
    let lf = freq_mhz.log10();
    match city {
        CitySize::SmallMedium => (1.1 * lf - 0.7) * h_m_m - (1.56 * lf - 0.8),
        CitySize::Large if freq_mhz <= 300.0 => 8.29 * (1.54 * h_m_m).log10().powi(2) - 1.1,
        CitySize::Large => 3.2 * (11.75 * h_m_m).log10().powi(2) - 4.97,
    }
}

/// Median path loss in dB (Okumura-Hata below 1500 MHz, COST-231 Hata above).
pub fn hata_loss_db(
    freq_mhz: f64,
    h_b_m: f64,
    h_m_m: f64,
    dist_km: f64,
    env: HataEnvironment,
    city: CitySize,
    options: &HataOptions,
) -> Result<f64, HataError> {
    for (name, v) in [
        ("freq_mhz", freq_mhz),
        ("h_b_m", h_b_m),
        ("h_m_m", h_m_m),
        ("dist_km", dist_km),
    ] {
        if !(v.is_finite() && v > 0.0) {
            return Err(HataError::NotPositive { name, found: v });
        }
    }
    if !options.allow_extrapolation {
        if !(150.0..=2000.0).contains(&freq_mhz) {
            return Err(HataError::Frequency {
                found_mhz: freq_mhz,
            });
        }
        if !(30.0..=200.0).contains(&h_b_m) {
            return Err(HataError::BaseHeight { found_m: h_b_m });
        }
        if !(1.0..=10.0).contains(&h_m_m) {
            return Err(HataError::MobileHeight { found_m: h_m_m });
        }
        if !(1.0..=20.0).contains(&dist_km) {
            return Err(HataError::Distance { found_km: dist_km });
        }
    }
    let lf = freq_mhz.log10();
    let lhb = h_b_m.log10();
    let slope = (44.9 - 6.55 * lhb) * dist_km.log10();
    let urban = |city: CitySize| match variant_for(freq_mhz) {
        HataVariant::OkumuraHata => {
            69.55 + 26.16 * lf - 13.82 * lhb - mobile_correction_db(freq_mhz, h_m_m, city) + slope
        }
        HataVariant::Cost231 => {
            let c_m = if city == CitySize::Large { 3.0 } else { 0.0 };
            46.3 + 33.9 * lf - 13.82 * lhb - mobile_correction_db(freq_mhz, h_m_m, city)
                + slope
                + c_m
        }
    };
    Ok(match env {
        HataEnvironment::Urban => urban(city),
        HataEnvironment::Suburban => {
            urban(CitySize::SmallMedium) - 2.0 * (freq_mhz / 28.0).log10().powi(2) - 5.4
        }
        HataEnvironment::Open => {
            urban(CitySize::SmallMedium) - 4.78 * lf.powi(2) + 18.33 * lf - 40.94
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        let o = HataOptions::default();
        // 900 MHz, 30 m, 1.5 m, 10 km, medium city: about 161.6 dB
        let u = hata_loss_db(
            900.0,
            30.0,
            1.5,
            10.0,
            HataEnvironment::Urban,
            CitySize::SmallMedium,
            &o,
        )
        .unwrap();
        assert!((u - 161.6).abs() < 0.05, "{u}");
        let s = hata_loss_db(
            900.0,
            30.0,
            1.5,
            10.0,
            HataEnvironment::Suburban,
            CitySize::SmallMedium,
            &o,
        )
        .unwrap();
        let op = hata_loss_db(
            900.0,
            30.0,
            1.5,
            10.0,
            HataEnvironment::Open,
            CitySize::SmallMedium,
            &o,
        )
        .unwrap();
        assert!(u > s && s > op);
        let c = hata_loss_db(
            1800.0,
            30.0,
            1.5,
            10.0,
            HataEnvironment::Urban,
            CitySize::Large,
            &o,
        )
        .unwrap();
        let m = hata_loss_db(
            1800.0,
            30.0,
            1.5,
            10.0,
            HataEnvironment::Urban,
            CitySize::SmallMedium,
            &o,
        )
        .unwrap();
        assert!(c > m);
    }

    #[test]
    fn validity_ranges_are_errors() {
        let o = HataOptions::default();
        let e = hata_loss_db(
            2500.0,
            30.0,
            1.5,
            10.0,
            HataEnvironment::Urban,
            CitySize::Large,
            &o,
        );
        assert!(matches!(e, Err(HataError::Frequency { .. })));
        let e = hata_loss_db(
            900.0,
            10.0,
            1.5,
            10.0,
            HataEnvironment::Urban,
            CitySize::Large,
            &o,
        );
        assert!(matches!(e, Err(HataError::BaseHeight { .. })));
        let e = hata_loss_db(
            900.0,
            30.0,
            1.5,
            40.0,
            HataEnvironment::Urban,
            CitySize::Large,
            &o,
        );
        assert!(matches!(e, Err(HataError::Distance { .. })));
        let x = HataOptions {
            allow_extrapolation: true,
        };
        assert!(
            hata_loss_db(
                900.0,
                30.0,
                1.5,
                40.0,
                HataEnvironment::Urban,
                CitySize::Large,
                &x
            )
            .is_ok()
        );
    }
}
