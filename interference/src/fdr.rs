//! Frequency-dependent rejection (ITU-R SM.337-6, Annex 1).
//!
//! ```text
//! FDR(Δf) = 10·log10( ∫ P(f) df / ∫ P(f)·|H(f + Δf)|² df )
//! ```
//!
//! `P` is the transmitter's power spectral density with `f` measured from the
//! transmitter's centre frequency, `|H|²` the receiver's power response with
//! its argument measured from the receiver's tuned frequency, and
//! `Δf = f_transmitter − f_receiver`: a transmitter component at offset `f`
//! lies at `f_tx + f`, which is `f + Δf` from the receiver's tuned frequency.
//! On-tune rejection OTR = FDR(0); off-frequency rejection
//! OFR(Δf) = FDR(Δf) − OTR.
//!
//! How the integrals are computed:
//! - mask × mask: exactly. Between the union of the transmitter's breakpoints
//!   and the receiver's breakpoints moved by −Δf the product is
//!   `10^((a + b·f)/10)`, integrated in closed form;
//! - Gaussian × Gaussian: the closed form
//!   `5·log10(1 + σ_T²/σ_R²) + 10·log10(e)·Δf² / (2·(σ_T² + σ_R²))`;
//! - Gaussian × mask (either way round): each mask segment, limited to ±38σ
//!   around the Gaussian's centre (beyond, `exp(−722)` is below the smallest
//!   normal f64), is split into pieces on which the exponent of the integrand
//!   varies by at most 1 neper and at most σ wide, each integrated with
//!   10-point Gauss–Legendre. The relative error is then below 1e-13 (the
//!   tests check 1e-10 against the `erf` closed form).
//!
//! No coupling (no overlap, or a shape with no power) gives `f64::INFINITY`.

use std::sync::OnceLock;

use crate::mask::{DB_TO_NEPER, Mask, exp_db_integral};

/// A spectrum shape for [`crate::fdr`]: a transmitter's power spectral
/// density or a receiver's power response, relative (peak ≤ 1).
///
/// ```
/// use interference::mask::Shape;
/// let g = Shape::Gaussian { sigma_hz: 1e3 };
/// assert_eq!(g.linear(0.0), 1.0);
/// let r = Shape::rectangular(10e3);
/// assert_eq!(r.linear(6e3), 0.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Piecewise-linear in dB.
    Mask(Mask),
    /// `exp(−f² / (2σ²))`: σ is the standard deviation of the power shape (3 dB
    /// width 2σ·√(2·ln 2) ≈ 2.3548σ). A σ that is not finite and positive
    /// means no power.
    Gaussian {
        /// Standard deviation of the power shape, Hz.
        sigma_hz: f64,
    },
}

impl Shape {
    /// [`Mask::rectangular`] as a shape.
    ///
    /// ```
    /// use interference::mask::Shape;
    /// assert_eq!(Shape::rectangular(2.0).total_power(), 2.0);
    /// ```
    pub fn rectangular(bandwidth_hz: f64) -> Shape {
        Shape::Mask(Mask::rectangular(bandwidth_hz))
    }

    /// Relative power (linear) at `offset_hz`.
    ///
    /// ```
    /// use interference::mask::Shape;
    /// let g = Shape::Gaussian { sigma_hz: 1.0 };
    /// assert!((g.linear(1.0) - (-0.5f64).exp()).abs() < 1e-15);
    /// ```
    pub fn linear(&self, offset_hz: f64) -> f64 {
        match self {
            Shape::Mask(m) => m.linear(offset_hz),
            Shape::Gaussian { sigma_hz } if valid_sigma(*sigma_hz) => {
                (-offset_hz * offset_hz / (2.0 * sigma_hz * sigma_hz)).exp()
            }
            Shape::Gaussian { .. } => 0.0,
        }
    }

    /// `∫ linear(f) df` in Hz (exact for both kinds).
    ///
    /// ```
    /// use interference::mask::Shape;
    /// let g = Shape::Gaussian { sigma_hz: 1.0 };
    /// assert!((g.total_power() - (2.0 * std::f64::consts::PI).sqrt()).abs() < 1e-15);
    /// ```
    pub fn total_power(&self) -> f64 {
        match self {
            Shape::Mask(m) => m.total_power(),
            Shape::Gaussian { sigma_hz } if valid_sigma(*sigma_hz) => {
                sigma_hz * (2.0 * std::f64::consts::PI).sqrt()
            }
            Shape::Gaussian { .. } => 0.0,
        }
    }
}

/// Whether σ describes a Gaussian with power.
pub(crate) fn valid_sigma(sigma_hz: f64) -> bool {
    sigma_hz.is_finite() && sigma_hz > 0.0
}

/// Half-width, in σ, of the window in which a Gaussian is integrated.
const GAUSS_WINDOW_SIGMAS: f64 = 38.0;

/// FDR in dB of a transmitter `tx` into a receiver `rx` tuned `delta_f_hz`
/// below it (`Δf = f_tx − f_rx`). `INFINITY` when nothing couples; NaN when
/// `delta_f_hz` is NaN.
///
/// ```
/// use interference::fdr::fdr_db;
/// use interference::mask::Shape;
/// let (tx, rx) = (Shape::rectangular(16e3), Shape::rectangular(12.5e3));
/// assert!((fdr_db(&tx, &rx, 10e3) - 10.0 * (16.0f64 / 4.25).log10()).abs() < 1e-12);
/// assert_eq!(fdr_db(&tx, &rx, 14.25e3), f64::INFINITY);
/// ```
pub fn fdr_db(tx: &Shape, rx: &Shape, delta_f_hz: f64) -> f64 {
    if delta_f_hz.is_nan() {
        return f64::NAN;
    }
    if let (Shape::Gaussian { sigma_hz: st }, Shape::Gaussian { sigma_hz: sr }) = (tx, rx)
        && valid_sigma(*st)
        && valid_sigma(*sr)
    {
        if delta_f_hz.is_infinite() {
            return f64::INFINITY;
        }
        let (t2, r2) = (st * st, sr * sr);
        let spread = 10.0 * std::f64::consts::LOG10_E * delta_f_hz * delta_f_hz;
        return 5.0 * (1.0 + t2 / r2).log10() + spread / (2.0 * (t2 + r2));
    }
    let (total, coupled) = (tx.total_power(), coupled_integral(tx, rx, delta_f_hz));
    if total > 0.0 && coupled > 0.0 {
        10.0 * (total / coupled).log10()
    } else {
        f64::INFINITY
    }
}

/// On-tune rejection: [`fdr_db`] at Δf = 0.
///
/// ```
/// use interference::fdr::otr_db;
/// use interference::mask::Shape;
/// let g = Shape::Gaussian { sigma_hz: 1e3 };
/// assert!((otr_db(&g, &g) - 5.0 * 2f64.log10()).abs() < 1e-12);
/// ```
pub fn otr_db(tx: &Shape, rx: &Shape) -> f64 {
    fdr_db(tx, rx, 0.0)
}

/// Off-frequency rejection `FDR(Δf) − OTR`; `INFINITY` when FDR(Δf) is
/// infinite (including when OTR is infinite as well).
///
/// ```
/// use interference::fdr::ofr_db;
/// use interference::mask::Shape;
/// let (tx, rx) = (Shape::rectangular(16e3), Shape::rectangular(12.5e3));
/// assert!((ofr_db(&tx, &rx, 10e3) - 10.0 * (12.5f64 / 4.25).log10()).abs() < 1e-12);
/// ```
pub fn ofr_db(tx: &Shape, rx: &Shape, delta_f_hz: f64) -> f64 {
    let fdr = fdr_db(tx, rx, delta_f_hz);
    if fdr == f64::INFINITY {
        f64::INFINITY
    } else {
        fdr - otr_db(tx, rx)
    }
}

/// What reaches the receiver relative to the total transmitted power, in dB:
/// `−FDR` (`NEG_INFINITY` when nothing couples).
///
/// ```
/// use interference::fdr::coupled_power_db;
/// use interference::mask::Shape;
/// let p = coupled_power_db(&Shape::rectangular(20.0), &Shape::rectangular(10.0), 0.0);
/// assert!((p + 10.0 * 2f64.log10()).abs() < 1e-12);
/// ```
pub fn coupled_power_db(tx: &Shape, rx: &Shape, delta_f_hz: f64) -> f64 {
    -fdr_db(tx, rx, delta_f_hz)
}

/// The same as a linear fraction in [0, 1]: `10^(−FDR/10)`.
///
/// ```
/// use interference::fdr::coupled_fraction;
/// use interference::mask::Shape;
/// let p = coupled_fraction(&Shape::rectangular(20.0), &Shape::rectangular(10.0), 0.0);
/// assert!((p - 0.5).abs() < 1e-15);
/// ```
pub fn coupled_fraction(tx: &Shape, rx: &Shape, delta_f_hz: f64) -> f64 {
    if let (Shape::Mask(_), _) | (_, Shape::Mask(_)) = (tx, rx) {
        let total = tx.total_power();
        if total > 0.0 {
            return coupled_integral(tx, rx, delta_f_hz) / total;
        }
        return 0.0;
    }
    let fdr = fdr_db(tx, rx, delta_f_hz);
    if fdr.is_nan() {
        f64::NAN
    } else {
        10f64.powf(-fdr / 10.0)
    }
}

/// `∫ P(f)·|H(f + Δf)|² df` for the non Gaussian×Gaussian cases (0 for that
/// case when a σ is invalid).
fn coupled_integral(tx: &Shape, rx: &Shape, delta_f_hz: f64) -> f64 {
    if !delta_f_hz.is_finite() {
        return 0.0;
    }
    match (tx, rx) {
        (Shape::Mask(t), Shape::Mask(r)) => mask_mask(t, r, delta_f_hz),
        // Transmitter Gaussian centred at 0; receiver segment [o_i, o_i+1]
        // covers f in [o_i − Δf, o_i+1 − Δf].
        (Shape::Gaussian { sigma_hz }, Shape::Mask(r)) if valid_sigma(*sigma_hz) => {
            mask_gauss(r, -delta_f_hz, 0.0, *sigma_hz)
        }
        // Receiver Gaussian at f + Δf, i.e. centred at f = −Δf.
        (Shape::Mask(t), Shape::Gaussian { sigma_hz }) if valid_sigma(*sigma_hz) => {
            mask_gauss(t, 0.0, -delta_f_hz, *sigma_hz)
        }
        _ => 0.0,
    }
}

/// Exact `∫ 10^(T(f)/10)·10^(R(f+Δf)/10) df`.
fn mask_mask(tx: &Mask, rx: &Mask, delta_f_hz: f64) -> f64 {
    let (Some((t0, t1)), Some((r0, r1))) = (tx.support(), rx.support()) else {
        return 0.0;
    };
    let lo = t0.max(r0 - delta_f_hz);
    let hi = t1.min(r1 - delta_f_hz);
    if lo >= hi {
        return 0.0;
    }
    let mut cuts: Vec<f64> = tx
        .points()
        .iter()
        .map(|p| p.0)
        .chain(rx.points().iter().map(|p| p.0 - delta_f_hz))
        .filter(|&x| x > lo && x < hi)
        .collect();
    cuts.push(lo);
    cuts.push(hi);
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let level = |x: f64| tx.level_clamped(x) + rx.level_clamped(x + delta_f_hz);
    cuts.windows(2)
        .map(|w| match w {
            [a, b] => exp_db_integral(b - a, level(*a), level(*b)),
            _ => 0.0,
        })
        .sum()
}

/// `∫ 10^(M(f + shift)/10) · exp(−(f − centre)²/(2σ²)) df` over the support of
/// the mask `M` moved by `−shift`, by Gauss–Legendre on small pieces.
fn mask_gauss(mask: &Mask, shift: f64, centre: f64, sigma: f64) -> f64 {
    let window = GAUSS_WINDOW_SIGMAS * sigma;
    let nodes = gauss_legendre_10();
    let mut sum = 0.0;
    for w in mask.points().windows(2) {
        let [(x0, l0), (x1, l1)] = w else { continue };
        // Segment in integration variable u = f − centre, f = x − shift.
        let (u0, u1) = (x0 - shift - centre, x1 - shift - centre);
        let (a, b) = (u0.max(-window), u1.min(window));
        if a >= b {
            continue;
        }
        let slope = (l1 - l0) / (x1 - x0);
        let level = |u: f64| l0 + slope * (u - u0);
        let width = b - a;
        let reach = a.abs().max(b.abs());
        let variation = reach * width / (sigma * sigma) + DB_TO_NEPER * (level(b) - level(a)).abs();
        let pieces = (width / sigma).max(variation).ceil().clamp(1.0, 1e6);
        let h = width / pieces;
        // `pieces` is a whole number in [1, 1e6].
        let n = pieces as usize;
        for k in 0..n {
            let mid = a + h * (k as f64 + 0.5);
            for &(x, wt) in nodes {
                let u = mid + 0.5 * h * x;
                let exponent = DB_TO_NEPER * level(u) - u * u / (2.0 * sigma * sigma);
                sum += 0.5 * h * wt * exponent.exp();
            }
        }
    }
    sum
}

/// Nodes and weights of 10-point Gauss–Legendre on [−1, 1], computed once by
/// Newton's method on the Legendre polynomial.
fn gauss_legendre_10() -> &'static [(f64, f64)] {
    static NODES: OnceLock<Vec<(f64, f64)>> = OnceLock::new();
    NODES.get_or_init(|| {
        const N: usize = 10;
        let nf = N as f64;
        (0..N)
            .map(|i| {
                let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (nf + 0.5)).cos();
                let mut derivative = 1.0;
                for _ in 0..100 {
                    let (mut p0, mut p1) = (1.0, x);
                    for j in 2..=N {
                        let jf = j as f64;
                        let p2 = ((2.0 * jf - 1.0) * x * p1 - (jf - 1.0) * p0) / jf;
                        p0 = p1;
                        p1 = p2;
                    }
                    derivative = nf * (x * p1 - p0) / (x * x - 1.0);
                    let dx = p1 / derivative;
                    x -= dx;
                    if dx.abs() < 1e-16 {
                        break;
                    }
                }
                (x, 2.0 / ((1.0 - x * x) * derivative * derivative))
            })
            .collect()
    })
}
