//! Physical constants, unit conversions and the frequency type used by every
//! propagation model.
//!
//! Quantities are plain `f64` with the unit in the name (`freq_mhz`,
//! `dist_km`, `loss_db`); this module holds the constants and the few
//! conversions between them so that no model re-derives them.
//!
//! # Frequencies: one convention
//!
//! - **At the boundaries between crates** (national table, study configs,
//!   interference, CLI flags) a frequency is exact integer hertz: a
//!   [`Frequency`] (or a `u64` named `…_hz`, as the table's band edges
//!   `lower_hz` / `upper_hz`). Text is read exactly (`600MHz`, `"2.4 GHz"`,
//!   `8.3kHz`, `4.35e8`), never through binary floating point.
//! - **Inside model equations** a frequency is the `f64` the recommendation
//!   writes, with its unit in the name (`freq_mhz` for ITM, Hata, eHata,
//!   P.525; `freq_ghz` for P.452, P.1812, P.2108), taken once at the model's
//!   entry from [`Frequency::mhz`] or [`Frequency::ghz`].
//!
//! ```
//! use spectrum_core::units::Frequency;
//! let f: Frequency = "600MHz".parse().unwrap();
//! let loss_db = spectrum_core::p525::free_space_loss_db(f.mhz(), 10.0);
//! assert!((loss_db - 108.0).abs() < 0.1);
//! ```

pub mod frequency;

pub use frequency::{Frequency, FrequencyError, FrequencyUnit, parse_hz};

/// Speed of light in vacuum, m/s (exact, SI).
pub const SPEED_OF_LIGHT_M_PER_S: f64 = 299_792_458.0;

/// Mean Earth radius used by ITU-R P.452, P.1812 and P.2001, km
/// (ITU-R P.452-18 §4 and P.1812-6 §3: a = 6371 km).
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// Median effective Earth-radius factor k50 for a refractivity gradient ΔN
/// (N-units/km), ITU-R P.452-18 eq. (5): `k50 = 157 / (157 − ΔN)`.
///
/// ```
/// use spectrum_core::units::effective_earth_radius_factor;
/// let k = effective_earth_radius_factor(40.0);
/// assert!((k - 157.0 / 117.0).abs() < 1e-12);
/// ```
pub fn effective_earth_radius_factor(delta_n: f64) -> f64 {
    157.0 / (157.0 - delta_n)
}

/// Median effective Earth radius ae = k50 · a, km, for a refractivity
/// gradient ΔN (ITU-R P.452-18 eq. (6a)).
pub fn effective_earth_radius_km(delta_n: f64) -> f64 {
    EARTH_RADIUS_KM * effective_earth_radius_factor(delta_n)
}

/// Wavelength in metres of a frequency in hertz.
///
/// ```
/// use spectrum_core::units::wavelength_m;
/// assert!((wavelength_m(299_792_458.0) - 1.0).abs() < 1e-15);
/// ```
pub fn wavelength_m(freq_hz: f64) -> f64 {
    SPEED_OF_LIGHT_M_PER_S / freq_hz
}

/// Converts a power ratio in dB to a linear ratio.
pub fn db_to_linear(value_db: f64) -> f64 {
    10f64.powf(value_db / 10.0)
}

/// Converts a linear power ratio to dB.
pub fn linear_to_db(ratio: f64) -> f64 {
    10.0 * ratio.log10()
}

/// Field strength (dBµV/m) produced by an EIRP (dBm) through a basic
/// transmission loss (dB) at a frequency (MHz).
///
/// From `E² = 30·P·(4π/λ)² / Lb` (isotropic radiator, far field):
/// `E = EIRP_dBW − Lb + 20·log10(f_MHz) + 107.219`, the relation used in
/// ITU-R P.1812-6 eq. (69) and P.525-4 §2.
///
/// ```
/// use spectrum_core::units::field_strength_dbuv_per_m;
/// use spectrum_core::p525::free_space_loss_db;
/// // 1 kW EIRP (60 dBm) in free space at 1 km: E = sqrt(30·1000)/1000 V/m = 104.77 dBµV/m.
/// let e = field_strength_dbuv_per_m(60.0, free_space_loss_db(100.0, 1.0), 100.0);
/// assert!((e - 104.771).abs() < 1e-3);
/// ```
pub fn field_strength_dbuv_per_m(eirp_dbm: f64, loss_db: f64, freq_mhz: f64) -> f64 {
    eirp_dbm - 30.0 - loss_db + 20.0 * freq_mhz.log10() + FIELD_STRENGTH_CONSTANT_DB
}

/// `10·log10(30) + 20·log10(4π) + 240 − 20·log10(c)`: the constant of the
/// EIRP → field-strength relation with f in MHz and E in dBµV/m.
pub const FIELD_STRENGTH_CONSTANT_DB: f64 = 107.218_995_769_080_04;

/// Received power (dBm) at an isotropic antenna for an EIRP (dBm) and a basic
/// transmission loss (dB).
pub fn received_power_dbm(eirp_dbm: f64, loss_db: f64) -> f64 {
    eirp_dbm - loss_db
}
