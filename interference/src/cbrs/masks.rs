//! Mask losses of the reference model (README §2.1–§2.2; upstream
//! `interference.py`, `getFssMaskLoss`, `getEscMaskLoss`).

use super::channels::MHZ;
use crate::error::InterferenceError;

/// Centres of the 1 MHz bins `start + 0.5 MHz, start + 1.5 MHz, …` while `< end`.
fn bins(start: f64, end: f64) -> impl Iterator<Item = f64> {
    (0..)
        .map(move |k| start + (f64::from(k) + 0.5) * MHZ)
        .take_while(move |f| *f < end)
}

/// `−10·log10` of the linear mean of `10^(−a/10)` over the attenuations.
fn linear_mean_loss(atts: &[f64]) -> f64 {
    let sum: f64 = atts.iter().map(|a| 10f64.powf(-a / 10.0)).sum();
    -10.0 * (sum / atts.len() as f64).log10()
}

/// `a < b`, false when either is NaN.
fn lt(a: f64, b: f64) -> bool {
    a < b
}

fn invalid(field: &str, expected: &str, found: String) -> InterferenceError {
    InterferenceError::Invalid {
        field: field.to_string(),
        expected: expected.to_string(),
        found,
    }
}

/// FSS blocking mask loss in dB for a grant `[g_lo, g_hi]` against the
/// out-of-band constraint `[c_lo, c_hi]` (Hz) below the FSS passband
/// (README §2.1): 0.6 dB/MHz over the 50 MHz below `c_hi` (plus 0.5 dB), then
/// 30.5 dB + 0.25 dB/MHz further down, averaged in linear power over 1 MHz
/// bins of the grant.
///
/// Errors when `g_lo ≥ g_hi` or `g_lo ≥ c_hi`.
///
/// ```
/// use interference::cbrs::fss_mask_loss;
/// let l = fss_mask_loss((3630e6, 3631e6), (3550e6, 3650e6)).unwrap();
/// assert!((l - 12.2).abs() < 1e-9);
/// assert!(fss_mask_loss((3680e6, 3690e6), (3550e6, 3650e6)).is_err());
/// ```
pub fn fss_mask_loss(grant: (f64, f64), constraint: (f64, f64)) -> Result<f64, InterferenceError> {
    let (g_lo, g_hi) = grant;
    let c_hi = constraint.1;
    if !lt(g_lo, g_hi) {
        return Err(invalid(
            "grant",
            "low frequency < high frequency",
            format!("[{g_lo}, {g_hi}] Hz"),
        ));
    }
    if !lt(g_lo, c_hi) {
        return Err(invalid(
            "grant",
            "a grant starting below the constraint's upper edge",
            format!("grant low {g_lo} Hz ≥ constraint high {c_hi} Hz"),
        ));
    }
    let edge = c_hi - 50.0 * MHZ;
    let edge_r = (edge / MHZ + 0.5).trunc() * MHZ;
    let mut atts: Vec<f64> = bins(g_lo.max(edge_r), g_hi.min(c_hi))
        .map(|f| (c_hi - f) / MHZ * 0.6 + 0.5)
        .collect();
    atts.extend(bins(g_lo, g_hi.min(edge_r)).map(|f| (edge - f) / MHZ * 0.25 + 30.5));
    if atts.is_empty() {
        return Err(invalid(
            "grant",
            "at least one 1 MHz bin below the constraint's upper edge",
            format!("[{g_lo}, {g_hi}] Hz"),
        ));
    }
    Ok(linear_mean_loss(&atts))
}

/// ESC mask loss in dB for a channel `[c_lo, c_hi]` (Hz) (README §2.2):
/// 0.5 dB for channels at or below 3650 MHz, otherwise `f/1 MHz − 3650 + 0.5`
/// dB averaged in linear power over 1 MHz bins. Errors when the channel
/// straddles 3650 MHz or is empty.
///
/// ```
/// use interference::cbrs::esc_mask_loss;
/// assert_eq!(esc_mask_loss((3645e6, 3650e6)).unwrap(), 0.5);
/// assert!((esc_mask_loss((3650e6, 3655e6)).unwrap() - 2.7723321858267305).abs() < 1e-12);
/// ```
pub fn esc_mask_loss(channel: (f64, f64)) -> Result<f64, InterferenceError> {
    let (c_lo, c_hi) = channel;
    let knee = 3650.0 * MHZ;
    if !lt(c_lo, c_hi) {
        return Err(invalid(
            "channel",
            "low frequency < high frequency",
            format!("[{c_lo}, {c_hi}] Hz"),
        ));
    }
    if c_hi <= knee {
        return Ok(0.5);
    }
    if c_lo < knee {
        return Err(invalid(
            "channel",
            "a channel entirely below or above 3650 MHz",
            format!("[{c_lo}, {c_hi}] Hz"),
        ));
    }
    let atts: Vec<f64> = bins(c_lo, c_hi).map(|f| f / MHZ - 3650.0 + 0.5).collect();
    Ok(linear_mean_loss(&atts))
}
