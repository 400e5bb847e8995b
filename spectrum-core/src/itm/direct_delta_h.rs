//! ITM v1.3's terrain irregularity Δh (NTIA `ComputeDeltaH`) with its
//! running sums replaced by direct expressions, for the radial mode of
//! coverage maps ([`super::RadialItm`]).
//!
//! NTIA's `ComputeDeltaH` resamples the terrain at `10·p₁₀ − 5` points by
//! walking a position that it moves on by one addition per sample (and one
//! subtraction per profile point passed), fits a line through the samples and
//! takes the deviations from it, moving the line's height on by one addition
//! per sample again. Each of those sums is a chain of dependent additions,
//! which makes [`compute_delta_h`](super::compute_delta_h) the largest part of
//! a coverage cell. Here every sample's position is `x_start + j·spacing`, its
//! line height `y₁ + j·slope`, and the fit's two sums run in four lanes: the
//! same quantity with no chain from one sample to the next, so the processor
//! overlaps the samples (and vectorises the sums and deviations).
//!
//! The result differs from NTIA's by rounding only: the positions and line
//! heights are closer to the exact ones than NTIA's accumulated ones, the
//! interpolation is taken from the lower point, and the deciles are the same
//! order statistics ([`super::deciles`]) of deviations that differ by a few
//! ulps. Where the position lands on a profile point, both neighbouring
//! intervals give that point's height, so the choice of interval does not
//! matter beyond rounding. [`compute_delta_h`](super::compute_delta_h) stays
//! the exact mode's, bit-identical to NTIA.

use super::deciles::deciles;
use super::terrain::{MAX_DELTA_H_POINTS, asymptotic_delta_h, delta_h_samples};

/// Lanes of the sums (and of the AVX2 loops).
const LANES: usize = 4;
/// Room for the samples, whole blocks of [`LANES`].
const ROOM: usize = MAX_DELTA_H_POINTS.next_multiple_of(LANES);

/// Δh (m) of the profile `z` (spacing `step_m`) between `d_start_m` and
/// `d_end_m`, as [`compute_delta_h`](super::compute_delta_h) to rounding;
/// `z` holds at least two finite heights.
pub(crate) fn direct_delta_h(z: &[f64], step_m: f64, d_start_m: f64, d_end_m: f64) -> f64 {
    let x_start = d_start_m / step_m;
    let x_end = d_end_m / step_m;
    let Some((p10, n)) = delta_h_samples(x_start, x_end).filter(|_| z.len() >= 2) else {
        return 0.0;
    };
    let spacing = (x_end - x_start) / (n - 1) as f64;
    let mut buf = [0.0f64; ROOM];
    deviations(z, x_start, spacing, n, &mut buf);
    let (q10, q90) = deciles(&mut buf[..n], p10);
    asymptotic_delta_h(q10 - q90, d_start_m, d_end_m)
}

/// Fills `buf[..n]` with the deviations of the resampled terrain from its
/// line: AVX2 where the processor has it (the same operations four lanes
/// wide, so the same bits), one sample at a time elsewhere.
fn deviations(z: &[f64], x_start: f64, spacing: f64, n: usize, buf: &mut [f64; ROOM]) {
    #[cfg(target_arch = "x86_64")]
    if z.len() <= i32::MAX as usize && std::arch::is_x86_feature_detected!("avx2") {
        avx2::deviations(z, x_start, spacing, n, buf);
        return;
    }
    scalar(z, x_start, spacing, n, buf);
}

/// The sample at index position `x`: the profile clamped into
/// `[0, last]`, interpolated linearly from the point below (the last
/// interval at the end). Written as the AVX2 lanes compute it.
#[inline(always)]
fn sample(z: &[f64], x: f64, last: usize) -> f64 {
    let x = if x > 0.0 { x } else { 0.0 };
    let x = if x < last as f64 { x } else { last as f64 };
    let i = (x as usize).min(last - 1);
    let f = x - i as f64;
    match z.get(i..i + 2) {
        Some(&[z0, z1]) => z0 + (z1 - z0) * f,
        _ => f64::NAN,
    }
}

/// [`deviations`] one sample at a time, the fit's sums in [`LANES`] lanes
/// (sample `j` in lane `j mod 4`).
fn scalar(z: &[f64], x_start: f64, spacing: f64, n: usize, buf: &mut [f64; ROOM]) {
    let last = z.len() - 1;
    let c = 0.5 * (n - 1) as f64;
    let (mut s0, mut s1) = ([0.0f64; LANES], [0.0f64; LANES]);
    for (j, v) in buf[..n].iter_mut().enumerate() {
        let jf = j as f64;
        *v = sample(z, x_start + jf * spacing, last);
        s0[j % LANES] += *v;
        s1[j % LANES] += *v * (jf - c);
    }
    let (y1, slope) = line(s0, s1, buf[0], buf[n - 1], n);
    for (j, v) in buf[..n].iter_mut().enumerate() {
        *v -= y1 + j as f64 * slope;
    }
}

/// NTIA's `LinearLeastSquaresFit` of `n` samples at unit spacing over their
/// whole length (end points at half weight), from the lanes' sums of the
/// samples (`s0`) and of the samples times their centred abscissa (`s1`):
/// the line's height at the first sample and its slope per sample.
fn line(s0: [f64; LANES], s1: [f64; LANES], first: f64, end: f64, n: usize) -> (f64, f64) {
    let x_length = (n - 1) as f64;
    let c = 0.5 * x_length;
    let sum_y = (s0[0] + s0[1]) + (s0[2] + s0[3]) - 0.5 * (first + end);
    let scaled = (s1[0] + s1[1]) + (s1[2] + s1[3]) - 0.5 * c * (end - first);
    let mean = sum_y / x_length;
    let slope = scaled * 12.0 / ((x_length * x_length + 2.0) * x_length);
    (mean - slope * c, slope)
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{LANES, ROOM, line};
    use std::arch::x86_64::{
        __m256d, _mm_min_epi32, _mm_set1_epi32, _mm256_add_pd, _mm256_blendv_pd,
        _mm256_castsi256_pd, _mm256_cmpgt_epi64, _mm256_cvtepi32_pd, _mm256_cvttpd_epi32,
        _mm256_i32gather_pd, _mm256_loadu_pd, _mm256_max_pd, _mm256_min_pd, _mm256_mul_pd,
        _mm256_set1_epi64x, _mm256_set1_pd, _mm256_setr_epi64x, _mm256_setr_pd, _mm256_setzero_pd,
        _mm256_storeu_pd, _mm256_sub_pd,
    };

    /// [`super::scalar`] four samples a step (`z.len() ≤ i32::MAX`).
    pub(super) fn deviations(
        z: &[f64],
        x_start: f64,
        spacing: f64,
        n: usize,
        buf: &mut [f64; ROOM],
    ) {
        #[allow(unsafe_code)]
        // SAFETY: the caller checked that the processor has AVX2
        // (`is_x86_feature_detected!`), the only requirement of `lanes`.
        unsafe {
            lanes(z, x_start, spacing, n, buf)
        }
    }

    /// Each lane computes [`super::sample`] and the sums' terms with the
    /// same operations as [`super::scalar`]; the lanes past `n` in the last
    /// block add −0.0 to the sums (which leaves every sum as it is).
    #[target_feature(enable = "avx2")]
    fn lanes(z: &[f64], x_start: f64, spacing: f64, n: usize, buf: &mut [f64; ROOM]) {
        let last = z.len() - 1;
        let c = 0.5 * (n - 1) as f64;
        let (x0, step) = (_mm256_set1_pd(x_start), _mm256_set1_pd(spacing));
        let (zero, top) = (_mm256_setzero_pd(), _mm256_set1_pd(last as f64));
        let top_i = _mm_set1_epi32((last - 1) as i32);
        let (centre, four) = (_mm256_set1_pd(c), _mm256_set1_pd(LANES as f64));
        let minus_zero = _mm256_set1_pd(-0.0);
        let (mut s0, mut s1) = (_mm256_setzero_pd(), _mm256_setzero_pd());
        let mut j = _mm256_setr_pd(0.0, 1.0, 2.0, 3.0);
        let lane = _mm256_setr_epi64x(0, 1, 2, 3);
        let blocks = n.div_ceil(LANES);
        for (k, block) in buf.chunks_exact_mut(LANES).take(blocks).enumerate() {
            let x = _mm256_add_pd(x0, _mm256_mul_pd(j, step));
            // max(x, 0) then min(·, last): `x > 0 ? x : 0`, `x < last ? x : last`
            let x = _mm256_min_pd(_mm256_max_pd(x, zero), top);
            let i = _mm_min_epi32(_mm256_cvttpd_epi32(x), top_i);
            let f = _mm256_sub_pd(x, _mm256_cvtepi32_pd(i));
            #[allow(unsafe_code)]
            // SAFETY: every index is in [0, last − 1] (x is clamped into
            // [0, last] and truncated, then capped at last − 1), so the
            // reads at `i` and `i + 1` lie inside `z`.
            let (z0, z1) = unsafe {
                (
                    _mm256_i32gather_pd::<8>(z.as_ptr(), i),
                    _mm256_i32gather_pd::<8>(z.as_ptr().add(1), i),
                )
            };
            let v = _mm256_add_pd(z0, _mm256_mul_pd(_mm256_sub_pd(z1, z0), f));
            #[allow(unsafe_code)]
            // SAFETY: `block` holds four f64.
            unsafe {
                _mm256_storeu_pd(block.as_mut_ptr(), v)
            };
            let p = _mm256_mul_pd(v, _mm256_sub_pd(j, centre));
            // lanes at or past `n` add −0.0
            let valid = _mm256_castsi256_pd(_mm256_cmpgt_epi64(
                _mm256_set1_epi64x((n - k * LANES) as i64),
                lane,
            ));
            s0 = _mm256_add_pd(s0, _mm256_blendv_pd(minus_zero, v, valid));
            s1 = _mm256_add_pd(s1, _mm256_blendv_pd(minus_zero, p, valid));
            j = _mm256_add_pd(j, four);
        }
        let (y1, slope) = line(lanes_of(s0), lanes_of(s1), buf[0], buf[n - 1], n);
        let (y1, slope) = (_mm256_set1_pd(y1), _mm256_set1_pd(slope));
        let mut j = _mm256_setr_pd(0.0, 1.0, 2.0, 3.0);
        for block in buf.chunks_exact_mut(LANES).take(blocks) {
            #[allow(unsafe_code)]
            // SAFETY: `block` holds four f64.
            unsafe {
                let v = _mm256_loadu_pd(block.as_ptr());
                let v = _mm256_sub_pd(v, _mm256_add_pd(y1, _mm256_mul_pd(j, slope)));
                _mm256_storeu_pd(block.as_mut_ptr(), v);
            }
            j = _mm256_add_pd(j, four);
        }
    }

    /// The four lanes of `v`.
    #[target_feature(enable = "avx2")]
    fn lanes_of(v: __m256d) -> [f64; LANES] {
        let mut out = [0.0; LANES];
        #[allow(unsafe_code)]
        // SAFETY: `out` holds four f64.
        unsafe {
            _mm256_storeu_pd(out.as_mut_ptr(), v)
        };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itm::compute_delta_h;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_ntia_to_rounding(
            heights in proptest::collection::vec(-50.0f64..3000.0, 3..800),
            step_m in 10.0f64..200.0,
            from in 0.0f64..1.0,
            to in 0.0f64..1.0,
        ) {
            let d_m = (heights.len() - 1) as f64 * step_m;
            let (a, b) = (from.min(to) * d_m, from.max(to) * d_m);
            let exact = compute_delta_h(&heights, step_m, a, b);
            let direct = direct_delta_h(&heights, step_m, a, b);
            prop_assert!((exact - direct).abs() <= 1e-9, "{exact} vs {direct}");
        }
    }

    #[test]
    fn a_straight_slope_has_no_irregularity_and_a_sawtooth_its_range() {
        let slope: Vec<f64> = (0..500).map(|i| 100.0 + 0.37 * i as f64).collect();
        assert!(direct_delta_h(&slope, 30.0, 300.0, 14_000.0).abs() < 1e-9);
        let saw: Vec<f64> = (0..500)
            .map(|i| if i % 2 == 0 { 0.0 } else { 10.0 })
            .collect();
        let (a, b) = (300.0, 14_000.0);
        let exact = compute_delta_h(&saw, 30.0, a, b);
        let direct = direct_delta_h(&saw, 30.0, a, b);
        assert!(exact > 1.0, "{exact}");
        assert!((exact - direct).abs() < 1e-9, "{exact} vs {direct}");
    }

    proptest! {
        /// The AVX2 lanes give the bits of the scalar loop, whatever the
        /// number of samples in the last block.
        #[test]
        fn lanes_match_the_scalar_loop(
            heights in proptest::collection::vec(-50.0f64..3000.0, 2..800),
            from in 0.0f64..1.0,
            to in 0.0f64..1.0,
            p10 in 4usize..=25,
        ) {
            let last = (heights.len() - 1) as f64;
            let (a, b) = (from.min(to) * last, from.max(to) * last);
            let n = 10 * p10 - 5;
            let spacing = (b - a) / (n - 1) as f64;
            let (mut want, mut got) = ([0.0; ROOM], [0.0; ROOM]);
            scalar(&heights, a, spacing, n, &mut want);
            deviations(&heights, a, spacing, n, &mut got);
            for (w, g) in want[..n].iter().zip(&got[..n]) {
                prop_assert_eq!(w.to_bits(), g.to_bits());
            }
        }
    }

    #[test]
    fn a_short_window_has_none() {
        assert_eq!(direct_delta_h(&[1.0, 5.0, 2.0], 100.0, 0.0, 150.0), 0.0);
        assert_eq!(direct_delta_h(&[1.0], 100.0, 0.0, 1000.0), 0.0);
    }
}
