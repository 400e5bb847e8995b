//! ITM v1.3 profile analysis: least-squares terrain fits, the terrain
//! irregularity parameter Δh (interdecile range of the terrain about a fitted
//! line) and effective heights (NTIA `LinearLeastSquaresFit`, `ComputeDeltaH`,
//! `QuickPfl`); the terminal horizons are [`super::horizons`].
//!
//! Profiles are slices of elevations `z` (m) at uniform spacing `step_m`, from
//! the transmitter (index 0) to the receiver (last index); NTIA's PFL index
//! `pfl[i + 2]` is `z[i]` here and `pfl[0]` is `z.len() - 1`.

/// Maximum number of resampled points used for Δh (NTIA: 10·25 − 5).
pub(super) const MAX_DELTA_H_POINTS: usize = 245;

use super::deciles::deciles;
use super::direct_delta_h::direct_delta_h;
use super::horizons::find_horizons;
use super::resample::resample;

/// `fdim(a, b)`: positive difference.
fn fdim(a: f64, b: f64) -> f64 {
    if a > b { a - b } else { 0.0 }
}

/// Elevation at index `i`, clamped into the profile (guards against indices
/// the reference would read out of bounds for degenerate inputs).
pub(super) fn at(z: &[f64], i: i64) -> f64 {
    let last = z.len().saturating_sub(1);
    let idx = if i < 0 { 0 } else { (i as usize).min(last) };
    z.get(idx).copied().unwrap_or(0.0)
}

/// The index range `[i_start, i_end]` NTIA's `LinearLeastSquaresFit` fits
/// over a profile of `np` intervals of `step` between `d_start` and `d_end`.
pub(crate) fn fit_range(np: i64, step: f64, d_start: f64, d_end: f64) -> (i64, i64) {
    let npf = np as f64;
    let mut i_start = fdim(d_start / step, 0.0) as i64;
    let mut i_end = np - fdim(npf, d_end / step) as i64;
    if i_end <= i_start {
        i_start = fdim(i_start as f64, 1.0) as i64;
        i_end = np - fdim(npf, i_end as f64 + 1.0) as i64;
    }
    (i_start, i_end)
}

/// Least-squares line through the terrain between `d_start` and `d_end` (in
/// profile distance units); returns the fitted heights at the two ends of the
/// whole profile.
///
/// NTIA's two sums, in its order ([`FitSums`]).
pub(crate) fn linear_least_squares_fit(
    z: &[f64],
    step: f64,
    d_start: f64,
    d_end: f64,
) -> (f64, f64) {
    FitSums::new(z, step, d_start, d_end).finish()
}

/// NTIA's `LinearLeastSquaresFit` as running sums taken one point at a time
/// ([`step`](Self::step)), so that they can run beside another loop.
///
/// The sums start from the two ends' half weights, then add the points
/// strictly between the ends (NTIA's loop runs `i = 2, 3, …` while
/// `i ≤ x_length`: indices i_start + 1 … i_end − 1, within the profile
/// whenever there are any), each with its centred abscissa `mid`, which
/// NTIA moves on by adding 1 (exact: half-integers far below 2⁵²).
pub(crate) struct FitSums<'a> {
    /// the points still to add
    rest: std::slice::Iter<'a, f64>,
    /// the centred abscissa of the last point added
    mid: f64,
    sum_y: f64,
    scaled_sum_y: f64,
    x_length: f64,
    mid_end: f64,
    /// the profile's number of intervals
    np: f64,
}

impl<'a> FitSums<'a> {
    /// The sums before the first inner point of the fit of `z` (spacing
    /// `step`) between `d_start` and `d_end`.
    pub(crate) fn new(z: &'a [f64], step: f64, d_start: f64, d_end: f64) -> Self {
        let np = z.len() as i64 - 1;
        let (i_start, i_end) = fit_range(np, step, d_start, d_end);
        let x_length = (i_end - i_start) as f64;
        let mid_start = -0.5 * x_length;
        let inner = usize::try_from(i_start + 1)
            .ok()
            .zip(usize::try_from(i_end).ok())
            .and_then(|(a, b)| z.get(a..b))
            .unwrap_or(&[]);
        FitSums {
            rest: inner.iter(),
            mid: mid_start,
            sum_y: 0.5 * (at(z, i_start) + at(z, i_end)),
            scaled_sum_y: 0.5 * (at(z, i_start) - at(z, i_end)) * mid_start,
            x_length,
            mid_end: i_end as f64 + mid_start,
            np: np as f64,
        }
    }

    /// Adds the next point; false when none is left.
    #[inline(always)]
    pub(crate) fn step(&mut self) -> bool {
        match self.rest.next() {
            Some(&zi) => {
                self.mid += 1.0;
                self.sum_y += zi;
                self.scaled_sum_y += zi * self.mid;
                true
            }
            None => false,
        }
    }

    /// Adds the points left and returns the fitted heights at the two ends
    /// of the whole profile.
    pub(crate) fn finish(mut self) -> (f64, f64) {
        while self.step() {}
        let x = self.x_length;
        let sum_y = self.sum_y / x;
        let scaled_sum_y = self.scaled_sum_y * 12.0 / ((x * x + 2.0) * x);
        (
            sum_y - scaled_sum_y * self.mid_end,
            sum_y + scaled_sum_y * (self.np - self.mid_end),
        )
    }
}

/// Terrain irregularity parameter Δh (m) of the profile between `d_start_m`
/// and `d_end_m`: the interdecile range of the terrain heights about a
/// least-squares line, resampled at 10·p₁₀ − 5 points, scaled to an
/// asymptotic value ([ERL 79-ITS 67, eq. 3], inverted).
///
/// Allocation-free: the resampled profile, then its deviations in its place,
/// live on the stack and the deciles are found by selection
/// ([`super::deciles`]).
pub fn compute_delta_h(z: &[f64], step_m: f64, d_start_m: f64, d_end_m: f64) -> f64 {
    delta_h_beside(z, step_m, d_start_m, d_end_m, ()).0
}

/// [`compute_delta_h`], advancing `beside` once per resampled point (in
/// the loop of the deviations from the fitted line); gives it back.
fn delta_h_beside<B: Beside>(
    z: &[f64],
    step_m: f64,
    d_start_m: f64,
    d_end_m: f64,
    mut beside: B,
) -> (f64, B) {
    let mut x_start = d_start_m / step_m;
    let mut x_end = d_end_m / step_m;
    let Some((p10, n)) = delta_h_samples(x_start, x_end) else {
        return (0.0, beside);
    };
    let np_s = (n - 1) as f64;
    let mut s = [0.0f64; MAX_DELTA_H_POINTS];
    x_end = (x_end - x_start) / np_s;
    let i = x_start as i64;
    // NTIA converts (i + 1.0) through a float here; exact for any profile length < 2^24.
    x_start -= ((i as f64 + 1.0) as f32) as f64;
    resample(z, i, x_start, x_end, &mut s[..n]);
    let resampled = &mut s[..n];
    let (mut fit_y1, fit_y2) = linear_least_squares_fit(resampled, 1.0, 0.0, np_s);
    let slope = (fit_y2 - fit_y1) / np_s;
    // the deviations from the line, in place of the heights
    for sj in resampled.iter_mut() {
        *sj -= fit_y1;
        fit_y1 += slope;
        beside.step();
    }
    let (q10, q90) = deciles(resampled, p10);
    (asymptotic_delta_h(q10 - q90, d_start_m, d_end_m), beside)
}

/// NTIA's decile rank `p₁₀` and number of samples `10·p₁₀ − 5` of Δh over
/// the profile positions `x_start..x_end` (in profile intervals); `None`
/// when the window is shorter than two intervals (Δh is zero).
pub(super) fn delta_h_samples(x_start: f64, x_end: f64) -> Option<(usize, usize)> {
    if x_end - x_start < 2.0 {
        return None;
    }
    let p10 = ((0.1 * (x_end - x_start + 8.0)) as i64).clamp(4, 25) as usize;
    Some((p10, 10 * p10 - 5))
}

/// Δh (m) from the interdecile range `delta_h_d_m` of the window between
/// `d_start_m` and `d_end_m`, scaled to its asymptotic value ([ERL
/// 79-ITS 67, eq. 3], inverted).
pub(super) fn asymptotic_delta_h(delta_h_d_m: f64, d_start_m: f64, d_end_m: f64) -> f64 {
    delta_h_d_m / (1.0 - 0.8 * (-(d_end_m - d_start_m) / 50e3).exp())
}

/// Geometry extracted from a profile by NTIA's `QuickPfl`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathGeometry {
    pub theta_hzn: [f64; 2],
    pub d_hzn_m: [f64; 2],
    pub h_e_m: [f64; 2],
    pub delta_h_m: f64,
    pub d_m: f64,
}

/// Horizons, Δh and effective heights from the profile (NTIA `QuickPfl`).
pub(crate) fn quick_pfl(z: &[f64], step_m: f64, gamma_e: f64, h_m: [f64; 2]) -> PathGeometry {
    let horizons = find_horizons(z, step_m, 1.0 / gamma_e, h_m);
    quick_pfl_from(z, step_m, gamma_e, h_m, horizons, |plan| {
        plan.fused(z, step_m)
    })
}

/// What NTIA's `QuickPfl` measures on the profile once the horizons are
/// known: Δh between `d_start_m` and `d_end_m`, and the least-squares fits
/// that give the terminals' effective heights, one over `tx_fit_m` (from
/// which both terminals' fitted heights come on a line-of-sight path, where
/// `rx_fit_m` is `None`) and, beyond the horizon, one over `rx_fit_m` for
/// the receiver. Distances in metres.
pub(crate) struct TerrainPlan {
    pub d_start_m: f64,
    pub d_end_m: f64,
    pub tx_fit_m: (f64, f64),
    pub rx_fit_m: Option<(f64, f64)>,
}

impl TerrainPlan {
    /// Δh to rounding ([`direct_delta_h`], without NTIA's running sums) and
    /// the fitted heights (m) at the transmitter and the receiver, the fits
    /// taken by `fit(d_start_m, d_end_m)`: the radial mode's, whose fits are
    /// incremental.
    pub(crate) fn with_fits(
        &self,
        z: &[f64],
        step_m: f64,
        fit: impl Fn(f64, f64) -> (f64, f64),
    ) -> (f64, [f64; 2]) {
        let delta_h = direct_delta_h(z, step_m, self.d_start_m, self.d_end_m);
        let tx = fit(self.tx_fit_m.0, self.tx_fit_m.1);
        let rx = self.rx_fit_m.map(|(d0, d1)| fit(d0, d1));
        (delta_h, terminal_heights(tx, rx))
    }

    /// NTIA's Δh ([`compute_delta_h`]) and fits over the profile, bit for
    /// bit, the fits' sums taken in Δh's loop of the deviations from its
    /// fitted line (independent dependency chains, which the processor
    /// overlaps).
    pub(crate) fn fused(&self, z: &[f64], step_m: f64) -> (f64, [f64; 2]) {
        let fits = PlanFits {
            tx: FitSums::new(z, step_m, self.tx_fit_m.0, self.tx_fit_m.1),
            rx: self
                .rx_fit_m
                .map(|(d0, d1)| FitSums::new(z, step_m, d0, d1)),
        };
        let (delta_h, fits) = delta_h_beside(z, step_m, self.d_start_m, self.d_end_m, fits);
        let heights = terminal_heights(fits.tx.finish(), fits.rx.map(FitSums::finish));
        (delta_h, heights)
    }
}

/// The terminals' fitted heights: the transmitter's from its fit (the two
/// ends of the whole profile), the receiver's from its own fit or, on a
/// line-of-sight path (`rx` is `None`), from the transmitter's.
fn terminal_heights(tx: (f64, f64), rx: Option<(f64, f64)>) -> [f64; 2] {
    [tx.0, rx.unwrap_or(tx).1]
}

/// Work that [`compute_delta_h`]'s last loop (the deviations from the
/// fitted line, a chain of one addition a point that leaves the processor's
/// units mostly idle) advances one step per point, taken and given back by
/// value so that its state can stay in registers.
pub(crate) trait Beside {
    /// One step of the work.
    fn step(&mut self);
}

/// No work beside.
impl Beside for () {
    #[inline(always)]
    fn step(&mut self) {}
}

/// A [`TerrainPlan`]'s fits, the transmitter's first.
struct PlanFits<'a> {
    tx: FitSums<'a>,
    rx: Option<FitSums<'a>>,
}

impl Beside for PlanFits<'_> {
    #[inline(always)]
    fn step(&mut self) {
        if !self.tx.step()
            && let Some(rx) = self.rx.as_mut()
        {
            rx.step();
        }
    }
}

/// [`quick_pfl`] from horizons `(angles, distances)` found elsewhere, Δh
/// and the terminals' fitted heights taken by `measure` as its
/// [`TerrainPlan`] says (the radial mode finds the horizons and the fits
/// incrementally: [`super::radial`]).
pub(crate) fn quick_pfl_from(
    z: &[f64],
    step_m: f64,
    gamma_e: f64,
    h_m: [f64; 2],
    horizons: ([f64; 2], [f64; 2]),
    measure: impl FnOnce(&TerrainPlan) -> (f64, [f64; 2]),
) -> PathGeometry {
    let np = z.len() as i64 - 1;
    let d_m = np as f64 * step_m;
    let a_e_m = 1.0 / gamma_e;
    let (mut theta_hzn, mut d_hzn) = horizons;
    let d_start = (15.0 * h_m[0]).min(0.1 * d_hzn[0]);
    let d_end = d_m - (15.0 * h_m[1]).min(0.1 * d_hzn[1]);
    let line_of_sight = d_hzn[0] + d_hzn[1] > 1.5 * d_m;
    let plan = TerrainPlan {
        d_start_m: d_start,
        d_end_m: d_end,
        tx_fit_m: (d_start, if line_of_sight { d_end } else { 0.9 * d_hzn[0] }),
        rx_fit_m: (!line_of_sight).then(|| (d_m - 0.9 * d_hzn[1], d_end)),
    };
    let (delta_h, [fit_tx, fit_rx]) = measure(&plan);
    let mut h_e = [0.0; 2];
    let horizon =
        |h_e: f64| (2.0 * h_e * a_e_m).sqrt() * (-0.07 * (delta_h / h_e.max(5.0)).sqrt()).exp();
    if line_of_sight {
        h_e[0] = h_m[0] + fdim(at(z, 0), fit_tx);
        h_e[1] = h_m[1] + fdim(at(z, np), fit_rx);
        for (d, &h) in d_hzn.iter_mut().zip(&h_e) {
            *d = horizon(h);
        }
        let combined = d_hzn[0] + d_hzn[1];
        if combined <= d_m {
            let q = (d_m / combined).powi(2);
            for (h, d) in h_e.iter_mut().zip(d_hzn.iter_mut()) {
                *h *= q;
                *d = horizon(*h);
            }
        }
        for ((t, &h), &d) in theta_hzn.iter_mut().zip(&h_e).zip(&d_hzn) {
            let q = (2.0 * h * a_e_m).sqrt();
            *t = (0.65 * delta_h * (q / d - 1.0) - 2.0 * h) / q;
        }
    } else {
        h_e[0] = h_m[0] + fdim(at(z, 0), fit_tx);
        h_e[1] = h_m[1] + fdim(at(z, np), fit_rx);
    }
    PathGeometry {
        theta_hzn,
        d_hzn_m: d_hzn,
        h_e_m: h_e,
        delta_h_m: delta_h,
        d_m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// NTIA's `LinearLeastSquaresFit` as written.
    fn ntia_fit(z: &[f64], step: f64, d_start: f64, d_end: f64) -> (f64, f64) {
        let np = z.len() as i64 - 1;
        let npf = np as f64;
        let (mut i_start, i_end) = fit_range(np, step, d_start, d_end);
        let x_length = (i_end - i_start) as f64;
        let mut mid = -0.5 * x_length;
        let mid_end = i_end as f64 + mid;
        let mut sum_y = 0.5 * (at(z, i_start) + at(z, i_end));
        let mut scaled_sum_y = 0.5 * (at(z, i_start) - at(z, i_end)) * mid;
        let mut i = 2i64;
        while (i as f64) <= x_length {
            i_start += 1;
            mid += 1.0;
            let zi = at(z, i_start);
            sum_y += zi;
            scaled_sum_y += zi * mid;
            i += 1;
        }
        sum_y /= x_length;
        scaled_sum_y = scaled_sum_y * 12.0 / ((x_length * x_length + 2.0) * x_length);
        (
            sum_y - scaled_sum_y * mid_end,
            sum_y + scaled_sum_y * (npf - mid_end),
        )
    }

    proptest! {
        #[test]
        fn least_squares_fit_is_bit_identical_to_ntia(
            z in proptest::collection::vec(-100.0f64..4000.0, 2..300),
            step in 1.0f64..100.0,
            from in -0.2f64..1.2,
            to in -0.2f64..1.2,
        ) {
            let d = (z.len() - 1) as f64 * step;
            let (d_start, d_end) = (from * d, to * d);
            let (a, b) = linear_least_squares_fit(&z, step, d_start, d_end);
            let (c, e) = ntia_fit(&z, step, d_start, d_end);
            prop_assert_eq!((a.to_bits(), b.to_bits()), (c.to_bits(), e.to_bits()));
        }
    }

    proptest! {
        /// The fits taken beside Δh's loop give the bits of the fits and
        /// the Δh taken one after the other, on line-of-sight plans (one
        /// fit) and beyond-the-horizon ones (two), including ranges too
        /// short for a Δh and fits longer than Δh's loop.
        #[test]
        fn fits_beside_delta_h_are_bit_identical(
            z in proptest::collection::vec(-100.0f64..4000.0, 3..400),
            step in 1.0f64..200.0,
            ends in proptest::collection::vec(-0.1f64..1.1, 6),
            line_of_sight in any::<bool>(),
        ) {
            let d = (z.len() - 1) as f64 * step;
            let at_m = |k: usize| ends[k] * d;
            let plan = TerrainPlan {
                d_start_m: at_m(0),
                d_end_m: at_m(1),
                tx_fit_m: (at_m(2), at_m(3)),
                rx_fit_m: (!line_of_sight).then(|| (at_m(4), at_m(5))),
            };
            let (delta_h, fits) = plan.fused(&z, step);
            let want_delta_h = compute_delta_h(&z, step, plan.d_start_m, plan.d_end_m);
            let fit = |(a, b): (f64, f64)| ntia_fit(&z, step, a, b);
            let want_fits = terminal_heights(fit(plan.tx_fit_m), plan.rx_fit_m.map(fit));
            prop_assert_eq!(delta_h.to_bits(), want_delta_h.to_bits());
            prop_assert_eq!(fits.map(f64::to_bits), want_fits.map(f64::to_bits));
        }
    }

    #[test]
    fn flat_terrain_has_no_irregularity() {
        let z = vec![250.0; 201];
        assert_eq!(compute_delta_h(&z, 50.0, 100.0, 9_900.0), 0.0);
        let (y1, y2) = linear_least_squares_fit(&z, 50.0, 0.0, 10_000.0);
        assert!((y1 - 250.0).abs() < 1e-9 && (y2 - 250.0).abs() < 1e-9);
    }
}
