//! ITM v1.3 point-to-point along one radial: the losses to many receivers on
//! prefixes of one terrain profile (the cells of a coverage map along a
//! radial), with the parts of NTIA's profile analysis that scan the whole
//! path made incremental.
//!
//! For a receiver at index `m`, [`p2p_tls`](super::p2p_tls) over the first
//! `m + 1` heights scans the path three times before the model proper: the
//! mean height (`h_sys`), the terminal horizons (`FindHorizons`) and the
//! least-squares terrain fits of the effective heights
//! (`LinearLeastSquaresFit`). Here the sums come from prefix sums of the
//! radial (O(1) per receiver) and the horizons from an upper convex hull that
//! grows with the prefix ([`super::hull`], O(log n) per receiver). The terrain
//! irregularity Δh is NTIA's quantity without its running sums
//! ([`super::direct_delta_h`], equal to rounding); everything after it is
//! NTIA's, unchanged.
//!
//! The result is not bit-identical to `p2p_tls` of the same prefix: the fits'
//! sums and Δh differ by rounding, and where two terrain points are within
//! rounding of the same horizon angle the other one may be taken. The
//! horizon distances are NTIA's running sums of the step, to the bit
//! (`accumulated`), as the ranges ITM truncates from them (`0.9·d_hzn / s`)
//! would move by a whole point on a rounding. The coverage engine's radial
//! mode is measured against the exact mode (README, coverage benchmarks).

use super::hull::HorizonHull;
use super::lr::initialize;
use super::p2p::{check_profile, p2p_tls_from};
use super::terrain::{fit_range, linear_least_squares_fit, quick_pfl_from};
use super::{ItmError, ItmParams, ItmResult, validate};

/// One radial's terrain prepared for ITM point-to-point losses to receivers
/// at increasing distances along it.
///
/// ```
/// use spectrum_core::itm::{p2p_tls, Climate, ItmParams, Polarization, RadialItm};
/// let params = ItmParams {
///     h_tx_m: 30.0, h_rx_m: 10.0, climate: Climate::ContinentalTemperate, n0_nunits: 301.0,
///     freq_mhz: 600.0, polarization: Polarization::Vertical, epsilon: 15.0,
///     sigma_s_per_m: 0.005, mdvar: 3,
/// };
/// let terrain: Vec<f64> = (0..400).map(|i| 500.0 + 80.0 * (i as f64 / 23.0).sin()).collect();
/// let mut radial = RadialItm::new(&terrain, 50.0, &params, 50.0, 50.0, 50.0).unwrap();
/// for m in [10, 150, 399] {
///     let fast = radial.p2p_tls(m, 50.0).unwrap().loss_db;
///     let exact = p2p_tls(&terrain[..=m], 50.0, &params, 50.0, 50.0, 50.0).unwrap().loss_db;
///     assert!((fast - exact).abs() < 1e-6, "{fast} vs {exact}");
/// }
/// ```
#[derive(Debug, Clone)]
pub struct RadialItm<'a> {
    z: &'a [f64],
    params: ItmParams,
    pct: [f64; 3],
    warn: u32,
    /// Index of the first height that is not finite (`z.len()` if none).
    first_bad: usize,
    z_ref: f64,
    /// `sum[i]` = Σ_{j<i} (z_j − z_ref).
    sum: Vec<f64>,
    /// `sum_i[i]` = Σ_{j<i} j·(z_j − z_ref).
    sum_i: Vec<f64>,
    c0: f64,
    hull: HorizonHull,
}

impl<'a> RadialItm<'a> {
    /// Prepares the radial `elevations_m` (from the transmitter, index 0) at
    /// nominal spacing `step_m`; the inputs are validated as by
    /// [`p2p_tls`](super::p2p_tls).
    pub fn new(
        elevations_m: &'a [f64],
        step_m: f64,
        params: &ItmParams,
        time_pct: f64,
        location_pct: f64,
        situation_pct: f64,
    ) -> Result<Self, ItmError> {
        let warn = validate(params, time_pct, location_pct, situation_pct)?;
        let z = elevations_m;
        check_profile(z.get(..2).unwrap_or(z), step_m)?;
        let first_bad = z.iter().position(|v| !v.is_finite()).unwrap_or(z.len());
        let z_ref = z[0];
        let mut sum = Vec::with_capacity(first_bad + 1);
        let mut sum_i = Vec::with_capacity(first_bad + 1);
        let (mut s0, mut s1) = (0.0, 0.0);
        sum.push(s0);
        sum_i.push(s1);
        for (j, &zj) in z[..first_bad].iter().enumerate() {
            s0 += zj - z_ref;
            s1 += j as f64 * (zj - z_ref);
            sum.push(s0);
            sum_i.push(s1);
        }
        // The hull's curvature: the effective earth radius of the whole
        // radial; each path's own is applied when its horizons are refined.
        let h_mean = z_ref + s0 / first_bad.max(1) as f64;
        let gamma_e = initialize(
            params.freq_mhz,
            h_mean,
            params.n0_nunits,
            params.polarization,
            params.epsilon,
            params.sigma_s_per_m,
        )
        .gamma_e;
        let c0 = 0.5 * step_m * step_m * gamma_e;
        Ok(Self {
            z,
            params: *params,
            pct: [time_pct, location_pct, situation_pct],
            warn,
            first_bad,
            z_ref,
            sum,
            sum_i,
            c0,
            hull: HorizonHull::new(c0),
        })
    }

    /// The number of heights of the radial.
    pub fn len(&self) -> usize {
        self.z.len()
    }

    /// True when the radial has no heights (never: [`RadialItm::new`]
    /// needs two).
    pub fn is_empty(&self) -> bool {
        self.z.is_empty()
    }

    /// ITM point-to-point loss (time / location / situation variability)
    /// to the receiver at index `m` (1 ≤ m < [`len`](Self::len)), the path's
    /// heights `0..=m` taken at spacing `step_m` (a cell's stretched spacing).
    /// Fastest when `m` does not decrease from one call to the next.
    pub fn p2p_tls(&mut self, m: usize, step_m: f64) -> Result<ItmResult, ItmError> {
        let Some(z) = self.z.get(..=m) else {
            return Err(ItmError::Profile(format!(
                "receiver index must be below {}, found {m}",
                self.z.len()
            )));
        };
        if m < 1 || m >= self.first_bad || !(step_m.is_finite() && step_m > 0.0) {
            check_profile(z, step_m)?;
        }
        if self.hull_past(m) {
            self.hull = HorizonHull::new(self.c0);
        }
        self.hull.extend_to(self.z, m);
        let p10 = (0.1 * m as f64) as usize;
        let n = (m - 2 * p10 + 1) as f64;
        let h_sys = self.z_ref + (self.sum[m - p10 + 1] - self.sum[p10]) / n;
        let h_m = [self.params.h_tx_m, self.params.h_rx_m];
        let this = &*self;
        p2p_tls_from(&this.params, this.pct, this.warn, h_sys, |gamma_e| {
            let horizons = this.horizons(m, step_m, 1.0 / gamma_e, h_m);
            quick_pfl_from(z, step_m, gamma_e, h_m, horizons, |plan| {
                plan.with_fits(z, step_m, |d_start, d_end| {
                    this.fit(m, step_m, d_start, d_end)
                })
            })
        })
    }

    /// True when the hull holds points beyond the path to index `m`.
    fn hull_past(&self, m: usize) -> bool {
        self.hull.next_index() > m.max(1)
    }

    /// Terminal horizon angles and distances of the path to index `m`
    /// (NTIA `FindHorizons`'s answer, from the hull).
    fn horizons(&self, m: usize, s: f64, a_e_m: f64, h_m: [f64; 2]) -> ([f64; 2], [f64; 2]) {
        let z = self.z;
        let d_m = m as f64 * s;
        let z_tx = z[0] + h_m[0];
        let z_rx = z[m] + h_m[1];
        let mut theta = [
            (z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m),
            -(z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m),
        ];
        let mut d_hzn = [d_m, d_m];
        if let Some(pos) = self.hull.tx_tangent(z_tx) {
            let (i, _) = self.hull.refine(pos, |i| {
                let d = i as f64 * s;
                (z[i] - z_tx) / d - d / (2.0 * a_e_m)
            });
            // NTIA's loop reaches point i with a running sum of the step:
            // the same distance to the bit, so that ranges derived from it
            // (`0.9·d_hzn / s`) round as in the exact analysis.
            let d = accumulated(0.0, s, i);
            let t = (z[i] - z_tx) / d - d / (2.0 * a_e_m);
            if t > theta[0] {
                theta[0] = t;
                d_hzn[0] = d;
            }
        }
        if let Some(pos) = self.hull.rx_tangent(m, z_rx) {
            let (i, _) = self.hull.refine(pos, |i| {
                let d = (m - i) as f64 * s;
                -(z_rx - z[i]) / d - d / (2.0 * a_e_m)
            });
            let d = accumulated(d_m, -s, i);
            let t = -(z_rx - z[i]) / d - d / (2.0 * a_e_m);
            if t > theta[1] {
                theta[1] = t;
                d_hzn[1] = d;
            }
        }
        (theta, d_hzn)
    }

    /// NTIA `LinearLeastSquaresFit` of the path to index `m` from the
    /// prefix sums: the fitted heights at the two ends of the path.
    fn fit(&self, m: usize, s: f64, d_start: f64, d_end: f64) -> (f64, f64) {
        let (a, b) = fit_range(m as i64, s, d_start, d_end);
        if b - a < 1 || a < 0 {
            return linear_least_squares_fit(&self.z[..=m], s, d_start, d_end);
        }
        let (a, b) = (a as usize, b as usize);
        let x_length = (b - a) as f64;
        let c = b as f64 - 0.5 * x_length;
        let (za, zb) = (self.z[a] - self.z_ref, self.z[b] - self.z_ref);
        let s0 = self.sum[b + 1] - self.sum[a];
        let s1 = self.sum_i[b + 1] - self.sum_i[a];
        let sum_y = s0 - 0.5 * (za + zb);
        let scaled = (s1 - c * s0) - 0.5 * (za * (a as f64 - c) + zb * (b as f64 - c));
        let mean = sum_y / x_length + self.z_ref;
        let slope = scaled * 12.0 / ((x_length * x_length + 2.0) * x_length);
        (mean - slope * c, mean + slope * (m as f64 - c))
    }
}

/// `start` plus `count` additions of `step`, one at a time in `f64` (as
/// NTIA's horizon loop accumulates its distances), equal to that loop's
/// result bit for bit but in O(binades crossed): within a binade every
/// addition adds the same multiple of the binade's ulp.
///
/// Below 16 steps from zero the additions are made one by one (a binade
/// holds a handful of them there, fewer than a jump costs). The jumps make
/// no division: the binade's ulp `u` and its inverse are powers of two made
/// from the exponent bits, and the count of additions that stay in the
/// binade is a floating quotient corrected by one integer multiplication.
fn accumulated(start: f64, step: f64, count: usize) -> f64 {
    /// 2⁵²: quotients below it convert to integers exactly.
    const LIMIT: f64 = 4_503_599_627_370_496.0;
    /// The power of two of biased exponent `e` (1 ≤ e ≤ 2046).
    fn pow2(e: u64) -> f64 {
        f64::from_bits(e << 52)
    }
    let mut acc = start;
    let mut left = count;
    let near = 16.0 * step.abs();
    while left > 0 {
        if acc.abs() < near || acc.is_nan() {
            acc += step;
            left -= 1;
            continue;
        }
        // acc ∈ [lo, 2·lo), lo = 2^(e − 1023); u = 2^(e − 1075) is normal
        // for e ≥ 53 and its inverse 2^(1075 − e) for e ≤ 2097
        let e = (acc.to_bits() >> 52) & 0x7ff;
        let plain = acc > 0.0 && (53..=2045).contains(&e);
        let (lo, u, inv_u) = if plain {
            (pow2(e), pow2(e - 52), pow2(2098 - e))
        } else {
            (0.0, 0.0, 0.0)
        };
        let q = step * inv_u;
        let whole = q as i64;
        let frac = q - whole as f64;
        if !plain || q.abs() >= LIMIT || q.is_nan() || frac.abs() == 0.5 {
            // zero, subnormal, huge or a tie: one addition as the loop does it
            acc += step;
            left -= 1;
            continue;
        }
        let whole = whole + i64::from(frac > 0.5) - i64::from(frac < -0.5);
        if whole == 0 {
            return acc;
        }
        // steps that stay within [lo, 2·lo) on the grid of u (exact
        // integers below 2⁵³)
        let room = if whole > 0 {
            ((2.0 * lo - acc) * inv_u) as u64 - 1
        } else {
            ((acc - lo) * inv_u) as u64
        };
        let per = whole.unsigned_abs();
        // ⌊room / per⌋: the correctly rounded quotient of integers below
        // 2⁵³ and 2⁵² never rounds up to the next integer (its distance
        // to it, at least 1/per, exceeds half an ulp); the check guards
        // that bound for one multiplication
        let mut n = (room as f64 / per as f64) as u64;
        if n.saturating_mul(per) > room {
            n -= 1;
        }
        let n = (n as usize).min(left);
        acc += n as f64 * (whole as f64 * u);
        left -= n;
        if left > 0 {
            acc += step;
            left -= 1;
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itm::{Climate, Polarization, p2p_tls};

    fn params() -> ItmParams {
        ItmParams {
            h_tx_m: 60.0,
            h_rx_m: 10.0,
            climate: Climate::ContinentalTemperate,
            n0_nunits: 301.0,
            freq_mhz: 600.0,
            polarization: Polarization::Vertical,
            epsilon: 15.0,
            sigma_s_per_m: 0.005,
            mdvar: 3,
        }
    }

    /// A rough radial: ridges, a valley and noise from a fixed LCG.
    pub(super) fn terrain(n: usize) -> Vec<f64> {
        let mut state = 12345u64;
        (0..n)
            .map(|i| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let noise = (state >> 33) as f64 / (1u64 << 31) as f64;
                let x = i as f64;
                900.0 + 300.0 * (x / 97.0).sin() + 120.0 * (x / 13.0).cos() + 25.0 * noise
            })
            .collect()
    }

    #[test]
    fn every_prefix_matches_the_exact_analysis() {
        let z = terrain(700);
        let p = params();
        let mut radial = RadialItm::new(&z, 50.0, &p, 50.0, 50.0, 50.0).unwrap();
        let mut worst: f64 = 0.0;
        for m in 1..z.len() {
            // the stretched spacing of a cell, as the coverage engine passes it
            let s = 50.0 * (1.0 + 0.3 / (m as f64 + 1.0));
            let fast = radial.p2p_tls(m, s).unwrap();
            let exact = p2p_tls(&z[..=m], s, &p, 50.0, 50.0, 50.0).unwrap();
            let (f, e) = (fast.intermediate, exact.intermediate);
            for k in 0..2 {
                assert!((f.d_hzn_m[k] - e.d_hzn_m[k]).abs() < 1e-6, "m = {m}");
            }
            assert_eq!(fast.warnings, exact.warnings, "m = {m}");
            for k in 0..2 {
                assert!((f.h_e_m[k] - e.h_e_m[k]).abs() < 1e-6, "m = {m}");
            }
            worst = worst.max((fast.loss_db - exact.loss_db).abs());
        }
        assert!(worst < 1e-6, "worst deviation {worst} dB");
    }

    proptest::proptest! {
        #[test]
        fn accumulated_equals_the_running_sum(
            start in 0.0f64..1e6,
            step in 1e-3f64..500.0,
            count in 0usize..3000,
            down in proptest::bool::ANY,
        ) {
            let (start, step) = if down { (start + step * count as f64, -step) } else { (start, step) };
            let mut acc = start;
            for _ in 0..count {
                acc += step;
            }
            proptest::prop_assert_eq!(accumulated(start, step, count).to_bits(), acc.to_bits());
        }
    }

    #[test]
    fn accumulated_handles_round_steps_and_zero() {
        for (start, step, count) in [
            (0.0, 50.0, 700),
            (0.0, 30.0, 3),
            (35_000.0, -50.0, 690),
            (0.0, 0.1, 1000),
        ] {
            let mut acc = start;
            for _ in 0..count {
                acc += step;
            }
            assert_eq!(accumulated(start, step, count).to_bits(), acc.to_bits());
        }
    }

    #[test]
    fn going_back_along_the_radial_restarts_the_hull() {
        let z = terrain(300);
        let p = params();
        let mut radial = RadialItm::new(&z, 50.0, &p, 50.0, 50.0, 50.0).unwrap();
        let far = radial.p2p_tls(250, 50.0).unwrap().loss_db;
        let near = radial.p2p_tls(80, 50.0).unwrap().loss_db;
        let exact = p2p_tls(&z[..=80], 50.0, &p, 50.0, 50.0, 50.0)
            .unwrap()
            .loss_db;
        assert!((near - exact).abs() < 1e-6, "{near} vs {exact}");
        assert!(far > near);
    }

    #[test]
    fn bad_heights_and_indices_are_refused_per_path() {
        let mut z = terrain(100);
        z[60] = f64::NAN;
        let p = params();
        let mut radial = RadialItm::new(&z, 50.0, &p, 50.0, 50.0, 50.0).unwrap();
        assert!(radial.p2p_tls(59, 50.0).is_ok());
        let e = radial.p2p_tls(70, 50.0).unwrap_err().to_string();
        assert!(e.contains("elevation 60"), "{e}");
        assert!(radial.p2p_tls(100, 50.0).is_err());
        assert!(radial.p2p_tls(0, 50.0).is_err());
        assert!(radial.p2p_tls(20, 0.0).is_err());
        assert!(RadialItm::new(&z[..1], 50.0, &p, 50.0, 50.0, 50.0).is_err());
    }
}
