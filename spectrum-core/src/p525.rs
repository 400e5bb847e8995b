//! Free-space basic transmission loss, ITU-R P.525-4 (08/2019).
//!
//! `Lbf = 32.4 + 20·log10(f MHz) + 20·log10(d km)` (eq. (8) of P.525-4, the
//! form that P.452 and P.1812 use with 92.4 for f in GHz).

/// Free-space basic transmission loss in dB for a frequency in MHz and a
/// distance in km (ITU-R P.525-4 eq. (8)).
///
/// ```
/// use spectrum_core::p525::free_space_loss_db;
/// let l = free_space_loss_db(1000.0, 10.0);
/// assert!((l - (32.45 + 60.0 + 20.0)).abs() < 0.01);
/// ```
pub fn free_space_loss_db(freq_mhz: f64, dist_km: f64) -> f64 {
    // 20 log10(4π/c · 1e6 · 1e3) = 32.4478 dB
    32.447_783_221_883_38 + 20.0 * freq_mhz.log10() + 20.0 * dist_km.log10()
}
