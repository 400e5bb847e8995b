//! The Irregular Terrain Model (Longley-Rice), NTIA/ITS ITM v1.3 — functionally
//! the FORTRAN ITM 1.2.2 — as published in `NTIA/itm`.
//!
//! Point-to-point mode ([`p2p_tls`], [`p2p_cr`]) takes a terrain profile at uniform
//! spacing; area mode ([`area_tls`], [`area_cr`]) takes the path distance and the
//! terrain irregularity Δh. Variability is given either as time / location /
//! situation percentages (TLS) or as confidence / reliability (CR). Every call
//! returns the basic transmission loss, NTIA's warning bit flags
//! ([`warnings`]), the propagation mode and NTIA's intermediate values.
//!
//! [`RadialItm`] gives the point-to-point losses to many receivers along one
//! terrain profile (a coverage radial) with the profile scans made
//! incremental; it agrees with [`p2p_tls`] to rounding, not to the bit.
//!
//! The numerics follow the reference implementation operation by operation
//! (same constants, same branch logic) so that results agree with NTIA's to
//! the printed digits. Point-to-point calls allocate nothing: the terrain
//! deciles are selected on stack buffers.
//!
//! ```
//! use spectrum_core::itm::{p2p_tls, Climate, ItmParams, Polarization};
//! let params = ItmParams {
//!     h_tx_m: 15.0, h_rx_m: 3.0, climate: Climate::ContinentalTemperate, n0_nunits: 301.0,
//!     freq_mhz: 3500.0, polarization: Polarization::Vertical, epsilon: 15.0,
//!     sigma_s_per_m: 0.005, mdvar: 1,
//! };
//! let terrain = vec![100.0; 101];
//! let r = p2p_tls(&terrain, 100.0, &params, 50.0, 50.0, 50.0).unwrap();
//! assert!(r.loss_db > r.intermediate.a_fs_db - 1.0);
//! ```

use serde::Serialize;
use thiserror::Error;

mod area;
mod complex;
mod deciles;
mod diffraction;
mod direct_delta_h;
mod frequency;
mod horizons;
mod hull;
mod lr;
mod p2p;
mod radial;
mod resample;
mod terrain;
mod variability;

pub use area::{SitingCriteria, area_cr, area_tls};
pub use p2p::{
    ItmScratch, from_pfl, p2p_cr, p2p_cr_profile, p2p_tls, p2p_tls_profile, p2p_tls_with,
    parse_pfl, profile_step_m,
};
pub use radial::RadialItm;
pub use terrain::compute_delta_h;
pub(crate) use terrain::linear_least_squares_fit;

/// NTIA's warning bit flags (`Warnings.h`).
pub mod warnings {
    /// Tx terminal height is near its limits.
    pub const TX_TERMINAL_HEIGHT: u32 = 0x0001;
    /// Rx terminal height is near its limits.
    pub const RX_TERMINAL_HEIGHT: u32 = 0x0002;
    /// Frequency is near its limits.
    pub const FREQUENCY: u32 = 0x0004;
    /// Path distance is near its upper limit.
    pub const PATH_DISTANCE_TOO_BIG_1: u32 = 0x0008;
    /// Path distance is large: care must be taken with the result.
    pub const PATH_DISTANCE_TOO_BIG_2: u32 = 0x0010;
    /// Path distance is near its lower limit.
    pub const PATH_DISTANCE_TOO_SMALL_1: u32 = 0x0020;
    /// Path distance is small: care must be taken with the result.
    pub const PATH_DISTANCE_TOO_SMALL_2: u32 = 0x0040;
    /// Tx horizon angle is large: small-angle approximations could break down.
    pub const TX_HORIZON_ANGLE: u32 = 0x0080;
    /// Rx horizon angle is large: small-angle approximations could break down.
    pub const RX_HORIZON_ANGLE: u32 = 0x0100;
    /// Tx horizon distance is less than 1/10 of the smooth-earth horizon distance.
    pub const TX_HORIZON_DISTANCE_1: u32 = 0x0200;
    /// Rx horizon distance is less than 1/10 of the smooth-earth horizon distance.
    pub const RX_HORIZON_DISTANCE_1: u32 = 0x0400;
    /// Tx horizon distance is more than 3 times the smooth-earth horizon distance.
    pub const TX_HORIZON_DISTANCE_2: u32 = 0x0800;
    /// Rx horizon distance is more than 3 times the smooth-earth horizon distance.
    pub const RX_HORIZON_DISTANCE_2: u32 = 0x1000;
    /// A variability lies far in the tail of its distribution.
    pub const EXTREME_VARIABILITIES: u32 = 0x2000;
    /// Surface refractivity is small: care must be taken with the result.
    pub const SURFACE_REFRACTIVITY: u32 = 0x4000;
}

/// Radio climate (codes 1..=7 as NTIA numbers them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Climate {
    /// 1: equatorial.
    Equatorial,
    /// 2: continental subtropical.
    ContinentalSubtropical,
    /// 3: maritime subtropical.
    MaritimeSubtropical,
    /// 4: desert.
    Desert,
    /// 5: continental temperate.
    ContinentalTemperate,
    /// 6: maritime temperate over land.
    MaritimeTemperateOverLand,
    /// 7: maritime temperate over sea.
    MaritimeTemperateOverSea,
}

impl Climate {
    /// NTIA code 1..=7.
    pub fn code(self) -> i32 {
        match self {
            Self::Equatorial => 1,
            Self::ContinentalSubtropical => 2,
            Self::MaritimeSubtropical => 3,
            Self::Desert => 4,
            Self::ContinentalTemperate => 5,
            Self::MaritimeTemperateOverLand => 6,
            Self::MaritimeTemperateOverSea => 7,
        }
    }

    /// The climate for NTIA code 1..=7 ([`ItmError::InvalidRadioClimate`] otherwise).
    pub fn from_code(code: i32) -> Result<Self, ItmError> {
        Ok(match code {
            1 => Self::Equatorial,
            2 => Self::ContinentalSubtropical,
            3 => Self::MaritimeSubtropical,
            4 => Self::Desert,
            5 => Self::ContinentalTemperate,
            6 => Self::MaritimeTemperateOverLand,
            7 => Self::MaritimeTemperateOverSea,
            _ => return Err(ItmError::InvalidRadioClimate { found: code }),
        })
    }

    pub(crate) fn index(self) -> usize {
        // code() is 1..=7 by construction
        (self.code() - 1) as usize
    }
}

/// Antenna polarization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Polarization {
    /// 0: horizontal.
    Horizontal,
    /// 1: vertical.
    Vertical,
}

impl Polarization {
    /// NTIA code (0 horizontal, 1 vertical).
    pub fn code(self) -> i32 {
        match self {
            Self::Horizontal => 0,
            Self::Vertical => 1,
        }
    }

    /// The polarization for NTIA code 0 or 1 ([`ItmError::Polarization`] otherwise).
    pub fn from_code(code: i32) -> Result<Self, ItmError> {
        match code {
            0 => Ok(Self::Horizontal),
            1 => Ok(Self::Vertical),
            _ => Err(ItmError::Polarization { found: code }),
        }
    }
}

/// Mode of propagation of the reference attenuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PropagationMode {
    /// 1: line of sight.
    LineOfSight,
    /// 2: diffraction.
    Diffraction,
    /// 3: troposcatter.
    Troposcatter,
}

impl PropagationMode {
    /// NTIA code (1 line of sight, 2 diffraction, 3 troposcatter).
    pub fn code(self) -> i32 {
        match self {
            Self::LineOfSight => 1,
            Self::Diffraction => 2,
            Self::Troposcatter => 3,
        }
    }
}

/// Inputs common to point-to-point and area mode.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ItmParams {
    /// Structural height of the transmitter above ground, m (0.5..=3000).
    pub h_tx_m: f64,
    /// Structural height of the receiver above ground, m (0.5..=3000).
    pub h_rx_m: f64,
    /// Radio climate.
    pub climate: Climate,
    /// Minimum monthly mean surface refractivity reduced to sea level, N-units (250..=400).
    pub n0_nunits: f64,
    /// Frequency, MHz (20..=20000).
    pub freq_mhz: f64,
    /// Polarization.
    pub polarization: Polarization,
    /// Relative permittivity of the ground (≥ 1).
    pub epsilon: f64,
    /// Ground conductivity, S/m (> 0).
    pub sigma_s_per_m: f64,
    /// Mode of variability: 0 single message, 1 accidental, 2 mobile, 3 broadcast;
    /// +10 to eliminate location variability, +20 to eliminate direct situation variability.
    pub mdvar: i32,
}

/// NTIA's intermediate values (`IntermediateValues`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IntermediateValues {
    /// Terminal horizon angles [Tx, Rx], rad.
    pub theta_hzn_rad: [f64; 2],
    /// Terminal horizon distances [Tx, Rx], m.
    pub d_hzn_m: [f64; 2],
    /// Effective terminal heights [Tx, Rx], m.
    pub h_e_m: [f64; 2],
    /// Surface refractivity N_s, N-units.
    pub n_s_nunits: f64,
    /// Terrain irregularity parameter Δh, m.
    pub delta_h_m: f64,
    /// Reference attenuation, dB.
    pub a_ref_db: f64,
    /// Free-space basic transmission loss, dB.
    pub a_fs_db: f64,
    /// Path distance, km.
    pub d_km: f64,
    /// Mode of propagation.
    pub mode: PropagationMode,
}

/// Result of one ITM call.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ItmResult {
    /// Basic transmission loss, dB.
    pub loss_db: f64,
    /// NTIA warning flags (see [`warnings`]).
    pub warnings: u32,
    /// Mode of propagation (same as `intermediate.mode`).
    pub mode: PropagationMode,
    /// Intermediate values.
    pub intermediate: IntermediateValues,
}

/// Why ITM refused its inputs; [`ItmError::code`] is NTIA's error code.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ItmError {
    /// 1000: Tx height outside 0.5..=3000 m.
    #[error("Tx terminal height must be within 0.5..=3000 m, found {found} m")]
    TxTerminalHeight {
        /// Value given.
        found: f64,
    },
    /// 1001: Rx height outside 0.5..=3000 m.
    #[error("Rx terminal height must be within 0.5..=3000 m, found {found} m")]
    RxTerminalHeight {
        /// Value given.
        found: f64,
    },
    /// 1002: radio climate code outside 1..=7.
    #[error("radio climate must be a code 1..=7, found {found}")]
    InvalidRadioClimate {
        /// Code given.
        found: i32,
    },
    /// 1003: time percentage outside (0, 100).
    #[error("time percentage must be within (0, 100), found {found}")]
    InvalidTime {
        /// Value given.
        found: f64,
    },
    /// 1004: location percentage outside (0, 100).
    #[error("location percentage must be within (0, 100), found {found}")]
    InvalidLocation {
        /// Value given.
        found: f64,
    },
    /// 1005: situation percentage outside (0, 100).
    #[error("situation percentage must be within (0, 100), found {found}")]
    InvalidSituation {
        /// Value given.
        found: f64,
    },
    /// 1006: confidence percentage outside (0, 100).
    #[error("confidence percentage must be within (0, 100), found {found}")]
    InvalidConfidence {
        /// Value given.
        found: f64,
    },
    /// 1007: reliability percentage outside (0, 100).
    #[error("reliability percentage must be within (0, 100), found {found}")]
    InvalidReliability {
        /// Value given.
        found: f64,
    },
    /// 1008: N_0 outside 250..=400 N-units.
    #[error("refractivity N_0 must be within 250..=400 N-units, found {found}")]
    Refractivity {
        /// Value given.
        found: f64,
    },
    /// 1009: frequency outside 20..=20000 MHz.
    #[error("frequency must be within 20..=20000 MHz, found {found} MHz")]
    Frequency {
        /// Value given.
        found: f64,
    },
    /// 1010: polarization code not 0 or 1.
    #[error("polarization must be 0 (horizontal) or 1 (vertical), found {found}")]
    Polarization {
        /// Code given.
        found: i32,
    },
    /// 1011: relative permittivity below 1.
    #[error("relative permittivity must be >= 1, found {found}")]
    Epsilon {
        /// Value given.
        found: f64,
    },
    /// 1012: conductivity not > 0.
    #[error("conductivity must be > 0 S/m, found {found}")]
    Sigma {
        /// Value given.
        found: f64,
    },
    /// 1013: imaginary part of the ground impedance not smaller than its real part.
    #[error("ground impedance: the real part must exceed the magnitude of the imaginary part")]
    GroundImpedance,
    /// 1014: invalid mode of variability.
    #[error("mode of variability must be 0..=3 plus 0, 10, 20 or 30, found {found}")]
    Mdvar {
        /// Code given.
        found: i32,
    },
    /// 1016: effective earth radius outside 4000..=13333 km.
    #[error("effective earth radius must be within 4000..=13333.333 km, found {found_m} m")]
    EffectiveEarth {
        /// Radius computed, m.
        found_m: f64,
    },
    /// 1017: path distance not > 0.
    #[error("path distance must be > 0 km, found {found} km")]
    PathDistance {
        /// Value given, km.
        found: f64,
    },
    /// 1018: Δh negative.
    #[error("terrain irregularity Δh must be >= 0 m, found {found} m")]
    DeltaH {
        /// Value given.
        found: f64,
    },
    /// 1019: Tx siting criteria code outside 0..=2.
    #[error("Tx siting criteria must be 0, 1 or 2, found {found}")]
    TxSitingCriteria {
        /// Code given.
        found: i32,
    },
    /// 1020: Rx siting criteria code outside 0..=2.
    #[error("Rx siting criteria must be 0, 1 or 2, found {found}")]
    RxSitingCriteria {
        /// Code given.
        found: i32,
    },
    /// 1021: surface refractivity below 150 N-units.
    #[error("surface refractivity N_s must be >= 150 N-units, found {found}")]
    SurfaceRefractivitySmall {
        /// Value computed.
        found: f64,
    },
    /// 1022: surface refractivity above 400 N-units.
    #[error("surface refractivity N_s must be <= 400 N-units, found {found}")]
    SurfaceRefractivityLarge {
        /// Value computed.
        found: f64,
    },
    /// Not an NTIA code: the terrain profile cannot be used.
    #[error("terrain profile: {0}")]
    Profile(String),
}

impl ItmError {
    /// NTIA's integer error code (`Errors.h`); 0 for [`ItmError::Profile`], which NTIA lacks.
    pub fn code(&self) -> i32 {
        match self {
            Self::TxTerminalHeight { .. } => 1000,
            Self::RxTerminalHeight { .. } => 1001,
            Self::InvalidRadioClimate { .. } => 1002,
            Self::InvalidTime { .. } => 1003,
            Self::InvalidLocation { .. } => 1004,
            Self::InvalidSituation { .. } => 1005,
            Self::InvalidConfidence { .. } => 1006,
            Self::InvalidReliability { .. } => 1007,
            Self::Refractivity { .. } => 1008,
            Self::Frequency { .. } => 1009,
            Self::Polarization { .. } => 1010,
            Self::Epsilon { .. } => 1011,
            Self::Sigma { .. } => 1012,
            Self::GroundImpedance => 1013,
            Self::Mdvar { .. } => 1014,
            Self::EffectiveEarth { .. } => 1016,
            Self::PathDistance { .. } => 1017,
            Self::DeltaH { .. } => 1018,
            Self::TxSitingCriteria { .. } => 1019,
            Self::RxSitingCriteria { .. } => 1020,
            Self::SurfaceRefractivitySmall { .. } => 1021,
            Self::SurfaceRefractivityLarge { .. } => 1022,
            Self::Profile(_) => 0,
        }
    }

    /// Maps TLS time / situation errors to the CR reliability / confidence errors.
    pub(crate) fn into_cr(self) -> Self {
        match self {
            Self::InvalidTime { found } => Self::InvalidReliability { found },
            Self::InvalidSituation { found } => Self::InvalidConfidence { found },
            e => e,
        }
    }
}

/// Checks the common inputs as NTIA's `ValidateInputs` does (same order), returning
/// the warning flags raised so far.
pub fn validate(
    p: &ItmParams,
    time_pct: f64,
    location_pct: f64,
    situation_pct: f64,
) -> Result<u32, ItmError> {
    let mut w = 0u32;
    if !(1.0..=1000.0).contains(&p.h_tx_m) {
        w |= warnings::TX_TERMINAL_HEIGHT;
    }
    if !(0.5..=3000.0).contains(&p.h_tx_m) {
        return Err(ItmError::TxTerminalHeight { found: p.h_tx_m });
    }
    if !(1.0..=1000.0).contains(&p.h_rx_m) {
        w |= warnings::RX_TERMINAL_HEIGHT;
    }
    if !(0.5..=3000.0).contains(&p.h_rx_m) {
        return Err(ItmError::RxTerminalHeight { found: p.h_rx_m });
    }
    if !(250.0..=400.0).contains(&p.n0_nunits) {
        return Err(ItmError::Refractivity { found: p.n0_nunits });
    }
    if !(40.0..=10000.0).contains(&p.freq_mhz) {
        w |= warnings::FREQUENCY;
    }
    if !(20.0..=20000.0).contains(&p.freq_mhz) {
        return Err(ItmError::Frequency { found: p.freq_mhz });
    }
    if p.epsilon.is_nan() || p.epsilon < 1.0 {
        return Err(ItmError::Epsilon { found: p.epsilon });
    }
    if p.sigma_s_per_m.is_nan() || p.sigma_s_per_m <= 0.0 {
        return Err(ItmError::Sigma {
            found: p.sigma_s_per_m,
        });
    }
    let m = p.mdvar;
    if m < 0 || (m > 3 && m < 10) || (m > 13 && m < 20) || (m > 23 && m < 30) || m > 33 {
        return Err(ItmError::Mdvar { found: m });
    }
    let bad = |v: f64| v.is_nan() || v <= 0.0 || v >= 100.0;
    if bad(situation_pct) {
        return Err(ItmError::InvalidSituation {
            found: situation_pct,
        });
    }
    if bad(time_pct) {
        return Err(ItmError::InvalidTime { found: time_pct });
    }
    if bad(location_pct) {
        return Err(ItmError::InvalidLocation {
            found: location_pct,
        });
    }
    Ok(w)
}

/// Free-space basic transmission loss as ITM computes it (32.45 dB constant), dB.
pub fn free_space_loss_db(dist_m: f64, freq_mhz: f64) -> f64 {
    32.45 + 20.0 * frequency::FrequencyTerms::of(freq_mhz).log10 + 20.0 * (dist_m / 1000.0).log10()
}

/// Inverse complementary cumulative normal distribution with ITM's constants
/// (Abramowitz & Stegun 26.2.23, C₀ = 2.515516).
pub fn inverse_ccdf(q: f64) -> f64 {
    const C0: f64 = 2.515516;
    const C1: f64 = 0.802853;
    const C2: f64 = 0.010328;
    const D1: f64 = 1.432788;
    const D2: f64 = 0.189269;
    const D3: f64 = 0.001308;
    let x = if q > 0.5 { 1.0 - q } else { q };
    let t = (-2.0 * x.ln()).sqrt();
    let zeta = ((C2 * t + C1) * t + C0) / (((D3 * t + D2) * t + D1) * t + 1.0);
    let z = t - zeta;
    if q > 0.5 { -z } else { z }
}
