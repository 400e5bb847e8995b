//! Terminal horizons of ITM v1.3's profile analysis (NTIA `FindHorizons`):
//! for each terminal, the largest elevation angle (rad) to a profile point
//! on a smooth earth of radius `a_e_m`, and the distance of the first point
//! that reaches it.
//!
//! NTIA's angle of a point takes two divisions per terminal (the terrain
//! slope and the earth's curvature), which bound its loop. Most points
//! cannot beat the largest angle so far, and a test by multiplications with
//! a proven margin ([`Screen`]) shows it: those skip the divisions. The
//! divisions of different points are independent, so where the processor
//! has AVX this module takes two points a step (four angles in one test and,
//! where a lane passes it, one 256-bit division) and keeps running maxima
//! for the even and the odd points apart, merged at the end with the first
//! point winning a tie, as NTIA's strict comparison does. Every angle and
//! distance is NTIA's to the bit (a point the test skips could never have
//! been kept; IEEE division is exact whatever the vector width; Rust never
//! fuses a multiplication into an addition).

/// Terminal horizon angles (rad) and distances (m) of the profile `z` (m, at
/// `step_m` spacing) for antennas `h_m` above the ends.
pub(crate) fn find_horizons(
    z: &[f64],
    step_m: f64,
    a_e_m: f64,
    h_m: [f64; 2],
) -> ([f64; 2], [f64; 2]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        return avx::find_horizons(z, step_m, a_e_m, h_m);
    }
    scalar(z, step_m, a_e_m, h_m)
}

/// NTIA's loop: one point a step.
fn scalar(z: &[f64], step_m: f64, a_e_m: f64, h_m: [f64; 2]) -> ([f64; 2], [f64; 2]) {
    let (mut theta, mut d_hzn, z_tx, z_rx, d_m) = start(z, step_m, a_e_m, h_m);
    let screen = Screen::new(step_m, a_e_m, d_m);
    let rx_floor = screen.map_or(f64::NEG_INFINITY, |s| s.rx_floor(z, z_rx));
    let mut d_tx = 0.0;
    let mut d_rx = d_m;
    for &zi in z.iter().take(z.len().saturating_sub(1)).skip(1) {
        d_tx += step_m;
        d_rx -= step_m;
        // the receiver's bar: its running maximum or the bound below its
        // largest (`f64::max` takes the bound when the maximum is NaN)
        if let Some(s) = screen
            && s.fails(zi - z_tx, d_tx, theta[0])
            && s.fails(-(z_rx - zi), d_rx, theta[1].max(rx_floor))
        {
            continue;
        }
        visit(
            zi,
            [d_tx, d_rx],
            [z_tx, z_rx],
            a_e_m,
            &mut theta,
            &mut d_hzn,
        );
    }
    (theta, d_hzn)
}

/// NTIA's step for one point of height `zi` at distances `d_m` from the
/// two ends: its angles from antennas at `z_ant_m`, kept where they beat
/// the largest so far.
#[inline(always)]
fn visit(
    zi: f64,
    d_m: [f64; 2],
    z_ant_m: [f64; 2],
    a_e_m: f64,
    theta: &mut [f64; 2],
    d_hzn: &mut [f64; 2],
) {
    let [d_tx, d_rx] = d_m;
    let [z_tx, z_rx] = z_ant_m;
    let theta_tx = (zi - z_tx) / d_tx - d_tx / (2.0 * a_e_m);
    let theta_rx = -(z_rx - zi) / d_rx - d_rx / (2.0 * a_e_m);
    if theta_tx > theta[0] {
        theta[0] = theta_tx;
        d_hzn[0] = d_tx;
    }
    if theta_rx > theta[1] {
        theta[1] = theta_rx;
        d_hzn[1] = d_rx;
    }
}

/// How many inner points near the receiver [`Screen::rx_floor`] looks at.
const NEAR: usize = 8;

/// Profiles of fewer intervals get no bound from [`Screen::rx_floor`]: it costs
/// about as much as the points it spares there (measured level on 256–287
/// points, 1 % slower on 79, 25 % faster on 3 680).
const SHORT: usize = 128;

/// A test, by multiplications only, that a point's angle cannot beat the
/// largest so far, which spares most points NTIA's two divisions.
///
/// A point at distance `d` > 0 with height difference `num` (NTIA's
/// numerator) beats `best` when `num / d − d / c > best` (c = 2·a_e), that
/// is when its "rise" `num − d·(best + d/c)` is above zero. Rounded in
/// doubles, NTIA's angle (times d) and the rise each err by a few units of
/// the last place (2⁻⁵³) of `|num| + d·(|best| + d/|c|)`. A point fails the
/// test only when its rise is at most −(2⁻⁴⁰·|num| + d·k), where
/// k = 2⁻⁴⁰·(|best| + 2·d_path/|c|) + 2·2⁻⁹⁰⁰/step bounds 2⁻⁴⁰·(|best| +
/// d/|c|) (no distance exceeds twice the path) and adds a floor for
/// underflow (no distance is below half a step): a margin over a hundred
/// times those errors, so a point that fails could never have been kept and
/// the horizons stay NTIA's to the bit. A NaN or an infinity never fails
/// the test and goes to the division.
#[derive(Debug, Clone, Copy)]
struct Screen {
    /// the profile's spacing, m
    step_m: f64,
    /// 1 / (2·a_e), 1/m
    inv_c: f64,
    /// the margin's share of the terms' magnitudes
    slack: f64,
    /// 2·d_path / |2·a_e|, the largest d/|c|
    reach: f64,
    /// the floor's share per metre of distance, 1/m
    floor_per_m: f64,
}

impl Screen {
    /// The test for a profile of `d_m` metres at `step_m` spacing, when
    /// its bound holds: every inner point's distances positive (the step
    /// positive and at most 2²⁰ points, so the sums of steps stay within a
    /// step of their exact values), path and earth neither tiny nor huge.
    fn new(step_m: f64, a_e_m: f64, d_m: f64) -> Option<Self> {
        let c = 2.0 * a_e_m;
        let holds = step_m >= f64::powi(2.0, -30)
            && d_m <= (1u64 << 60) as f64
            && d_m <= step_m * (1u64 << 20) as f64
            && c.abs() >= 1.0;
        holds.then(|| Screen {
            step_m,
            inv_c: 1.0 / c,
            slack: f64::powi(2.0, -40),
            reach: 2.0 * d_m / c.abs(),
            floor_per_m: 2.0 * f64::powi(2.0, -900) / step_m,
        })
    }

    /// The margin's share per metre of distance, k, for the angle `best`.
    #[inline(always)]
    fn per_m(self, best: f64) -> f64 {
        self.slack * (best.abs() + self.reach) + self.floor_per_m
    }

    /// A lower bound of the largest angle seen from the receiver (antenna at
    /// `z_rx_m` above sea level) over the inner points of `z`, −∞ when there
    /// is none. NTIA walks from the transmitter, so its running maximum for
    /// the transmitter starts near that horizon's usual place and needs no
    /// bound, while for the receiver it climbs point after point on a long
    /// path (more than half the pairs of the 3 680-point bench profile would
    /// be divided). The bound: the angles of the [`NEAR`] inner points nearest
    /// the receiver, at distances taken as k × step (k points from it) and by
    /// multiplications only (1/d as 1/step × 1/k), less 2⁻¹⁰ of their terms'
    /// magnitudes; none below [`SHORT`] intervals.
    ///
    /// NTIA's distances are running sums of the step; near the receiver they
    /// differ from k × step by up to np² units in the last place of a step,
    /// less than 2⁻¹³ of it (np ≤ 2²⁰, [`Screen::new`]), which with the
    /// roundings here moves an angle by less than 2⁻¹² of those magnitudes:
    /// the bound stays below an angle NTIA computes, hence below the largest.
    /// A point that cannot beat the bound cannot be the horizon, whatever the
    /// running maximum when NTIA reaches it: NTIA's answer is the first point
    /// of the largest angle, and every point at or above the bound is still
    /// taken. The bound is never NaN.
    fn rx_floor(self, z: &[f64], z_rx_m: f64) -> f64 {
        const INV_K: [f64; NEAR + 1] = [
            0.0,
            1.0,
            1.0 / 2.0,
            1.0 / 3.0,
            1.0 / 4.0,
            1.0 / 5.0,
            1.0 / 6.0,
            1.0 / 7.0,
            1.0 / 8.0,
        ];
        let np = z.len().saturating_sub(1);
        if np < SHORT {
            return f64::NEG_INFINITY;
        }
        let inv_step = 1.0 / self.step_m;
        let mut floor = f64::NEG_INFINITY;
        // the inner points k = 1 … NEAR points from the receiver
        for (k, &inv_k) in INV_K.iter().enumerate().skip(1).take(NEAR) {
            let zi = z.get(np - k).copied().unwrap_or(0.0);
            let num_m = -(z_rx_m - zi);
            let d_m = k as f64 * self.step_m;
            let (slope, curve) = (num_m * inv_step * inv_k, d_m * self.inv_c);
            let bound = (slope - curve) - (slope.abs() + curve.abs()) * f64::powi(2.0, -10);
            if bound > floor {
                floor = bound;
            }
        }
        floor
    }

    /// True when a point at `d_m` with numerator `num_m` cannot beat `best`.
    #[inline(always)]
    fn fails(self, num_m: f64, d_m: f64, best: f64) -> bool {
        let rise = num_m - d_m * (best + d_m * self.inv_c);
        let bound = self.slack * num_m.abs() + d_m * self.per_m(best);
        rise + bound <= 0.0
    }
}

/// NTIA's starting point: the angles (rad) and distances (m) of the other
/// terminal, the two antennas' heights above sea level (m) and the path
/// length (m).
type Start = ([f64; 2], [f64; 2], f64, f64, f64);

/// The [`Start`] of a search.
fn start(z: &[f64], step_m: f64, a_e_m: f64, h_m: [f64; 2]) -> Start {
    // NTIA's `pfl[0]` (the number of intervals; −1 for an empty profile)
    let d_m = (z.len() as f64 - 1.0) * step_m;
    let z_tx = z.first().copied().unwrap_or(0.0) + h_m[0];
    let z_rx = z.last().copied().unwrap_or(0.0) + h_m[1];
    let theta = [
        (z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m),
        -(z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m),
    ];
    (theta, [d_m, d_m], z_tx, z_rx, d_m)
}

#[cfg(target_arch = "x86_64")]
mod avx {
    /// [`super::find_horizons`] two points a step, on a processor with AVX.
    pub(super) fn find_horizons(
        z: &[f64],
        step_m: f64,
        a_e_m: f64,
        h_m: [f64; 2],
    ) -> ([f64; 2], [f64; 2]) {
        #[allow(unsafe_code)]
        // SAFETY: the caller checked that the processor has AVX
        // (`is_x86_feature_detected!`), the only requirement of `paired`.
        unsafe {
            paired(z, step_m, a_e_m, h_m)
        }
    }

    /// Lanes: (transmitter, receiver) of an even point, then of the odd
    /// point after it; each lane computes NTIA's expression. When the
    /// [`super::Screen`] applies, a pair's divisions are skipped where every
    /// lane fails it.
    #[target_feature(enable = "avx")]
    fn paired(z: &[f64], step_m: f64, a_e_m: f64, h_m: [f64; 2]) -> ([f64; 2], [f64; 2]) {
        use std::arch::x86_64::{
            _CMP_GT_OQ, _CMP_NLE_UQ, _mm_add_pd, _mm_cvtsd_f64, _mm_setr_pd, _mm_unpackhi_pd,
            _mm256_add_pd, _mm256_and_pd, _mm256_blend_pd, _mm256_blendv_pd,
            _mm256_castpd128_pd256, _mm256_cmp_pd, _mm256_div_pd, _mm256_insertf128_pd,
            _mm256_max_pd, _mm256_mul_pd, _mm256_permute_pd, _mm256_set1_pd, _mm256_setr_pd,
            _mm256_setzero_pd, _mm256_sub_pd, _mm256_testz_pd, _mm256_xor_pd,
        };
        let (theta0, d_hzn0, z_tx, z_rx, d_m) = super::start(z, step_m, a_e_m, h_m);
        let inner = z.get(1..z.len().saturating_sub(1)).unwrap_or(&[]);
        let mut best = _mm256_setr_pd(theta0[0], theta0[1], theta0[0], theta0[1]);
        let mut best_d = _mm256_setr_pd(d_hzn0[0], d_hzn0[1], d_hzn0[0], d_hzn0[1]);
        let two_a_e = _mm256_set1_pd(2.0 * a_e_m);
        let screen = super::Screen::new(step_m, a_e_m, d_m);
        // with no screen, a bound no lane fails: every pair is divided
        let (inv_c, slack, reach, floor_per_m) = match screen {
            Some(s) => (s.inv_c, s.slack, s.reach, s.floor_per_m),
            None => (0.0, f64::NAN, f64::NAN, f64::NAN),
        };
        let rx_floor = screen.map_or(f64::NEG_INFINITY, |s| s.rx_floor(z, z_rx));
        let floors = _mm256_setr_pd(f64::NEG_INFINITY, rx_floor, f64::NEG_INFINITY, rx_floor);
        let (inv_c, slack, reach, floor_per_m) = (
            _mm256_set1_pd(inv_c),
            _mm256_set1_pd(slack),
            _mm256_set1_pd(reach),
            _mm256_set1_pd(floor_per_m),
        );
        let magnitude = _mm256_set1_pd(f64::from_bits(!(1u64 << 63)));
        // `Screen::per_m` in four lanes
        let per_m = |best| {
            _mm256_add_pd(
                _mm256_mul_pd(slack, _mm256_add_pd(_mm256_and_pd(best, magnitude), reach)),
                floor_per_m,
            )
        };
        // the screen's bar: the running maximum or the bound below the
        // largest (`max` takes its second operand, the bound, over a NaN)
        let mut bar = _mm256_max_pd(best, floors);
        let mut k = per_m(bar);
        // NTIA's running distances (d_tx + step, d_rx − step) in one vector:
        // x + (−s) is x − s to the bit
        let step = _mm_setr_pd(step_m, -step_m);
        let mut d_run = _mm_setr_pd(0.0, d_m);
        let (ends_tx, ends_rx) = (_mm256_set1_pd(z_tx), _mm256_set1_pd(z_rx));
        let negate_rx = _mm256_setr_pd(0.0, -0.0, 0.0, -0.0);
        let mut pairs = inner.chunks_exact(2);
        for pair in &mut pairs {
            let d_a = _mm_add_pd(d_run, step);
            d_run = _mm_add_pd(d_a, step);
            let d = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(d_a), d_run);
            // heights [za, za, zb, zb], then NTIA's numerators
            // [za − z_tx, −(z_rx − za), zb − z_tx, −(z_rx − zb)]
            let ab = _mm_setr_pd(pair[0], pair[1]);
            let ab = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(ab), ab);
            let heights = _mm256_permute_pd::<0b1100>(ab);
            let num = _mm256_xor_pd(
                _mm256_sub_pd(
                    _mm256_blend_pd::<0b1010>(heights, ends_rx),
                    _mm256_blend_pd::<0b0101>(heights, ends_tx),
                ),
                negate_rx,
            );
            // the screen's test (`Screen::fails`) in four lanes
            let rise = _mm256_sub_pd(
                num,
                _mm256_mul_pd(d, _mm256_add_pd(bar, _mm256_mul_pd(d, inv_c))),
            );
            let bound = _mm256_add_pd(
                _mm256_mul_pd(slack, _mm256_and_pd(num, magnitude)),
                _mm256_mul_pd(d, k),
            );
            // not (rise + bound ≤ 0): above zero or NaN
            let passes =
                _mm256_cmp_pd::<_CMP_NLE_UQ>(_mm256_add_pd(rise, bound), _mm256_setzero_pd());
            if _mm256_testz_pd(passes, passes) == 1 {
                continue;
            }
            let theta = _mm256_sub_pd(_mm256_div_pd(num, d), _mm256_div_pd(d, two_a_e));
            // `>` of ordered operands, false with a NaN: Rust's `>`
            let up = _mm256_cmp_pd::<_CMP_GT_OQ>(theta, best);
            best = _mm256_blendv_pd(best, theta, up);
            best_d = _mm256_blendv_pd(best_d, d, up);
            bar = _mm256_max_pd(best, floors);
            k = per_m(bar);
        }
        let (d_tx, d_rx) = (
            _mm_cvtsd_f64(d_run),
            _mm_cvtsd_f64(_mm_unpackhi_pd(d_run, d_run)),
        );
        let [even_tx, even_rx, odd_tx, odd_rx] = lanes(best);
        let [even_d_tx, even_d_rx, odd_d_tx, odd_d_rx] = lanes(best_d);
        let (mut even, mut even_d) = ([even_tx, even_rx], [even_d_tx, even_d_rx]);
        if let [zi] = *pairs.remainder() {
            // the last inner point when their number is odd: the even lanes
            // (the merge below orders by distance, not by lane)
            let d = [d_tx + step_m, d_rx - step_m];
            super::visit(zi, d, [z_tx, z_rx], a_e_m, &mut even, &mut even_d);
        }
        // NTIA keeps the first point of the largest angle: the one nearer the
        // transmitter, so the smaller d_tx or the larger d_rx on a tie
        let tx_odd = odd_tx > even[0] || (odd_tx == even[0] && odd_d_tx < even_d[0]);
        let rx_odd = odd_rx > even[1] || (odd_rx == even[1] && odd_d_rx > even_d[1]);
        (
            [
                if tx_odd { odd_tx } else { even[0] },
                if rx_odd { odd_rx } else { even[1] },
            ],
            [
                if tx_odd { odd_d_tx } else { even_d[0] },
                if rx_odd { odd_d_rx } else { even_d[1] },
            ],
        )
    }

    /// The four lanes of a vector, first lane first.
    #[target_feature(enable = "avx")]
    fn lanes(v: std::arch::x86_64::__m256d) -> [f64; 4] {
        use std::arch::x86_64::{
            _mm_cvtsd_f64, _mm_unpackhi_pd, _mm256_castpd256_pd128, _mm256_extractf128_pd,
        };
        let (lo, hi) = (_mm256_castpd256_pd128(v), _mm256_extractf128_pd::<1>(v));
        [
            _mm_cvtsd_f64(lo),
            _mm_cvtsd_f64(_mm_unpackhi_pd(lo, lo)),
            _mm_cvtsd_f64(hi),
            _mm_cvtsd_f64(_mm_unpackhi_pd(hi, hi)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// NTIA's `FindHorizons` as written (indices through the clamped
    /// accessor, one point a step).
    fn ntia(z: &[f64], step_m: f64, a_e_m: f64, h_m: [f64; 2]) -> ([f64; 2], [f64; 2]) {
        use super::super::terrain::at;
        let np = z.len() as i64 - 1;
        let d_m = np as f64 * step_m;
        let z_tx = at(z, 0) + h_m[0];
        let z_rx = at(z, np) + h_m[1];
        let mut theta = [
            (z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m),
            -(z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m),
        ];
        let mut d_hzn = [d_m, d_m];
        let mut d_tx = 0.0;
        let mut d_rx = d_m;
        for i in 1..np {
            d_tx += step_m;
            d_rx -= step_m;
            let zi = at(z, i);
            let theta_tx = (zi - z_tx) / d_tx - d_tx / (2.0 * a_e_m);
            let theta_rx = -(z_rx - zi) / d_rx - d_rx / (2.0 * a_e_m);
            if theta_tx > theta[0] {
                theta[0] = theta_tx;
                d_hzn[0] = d_tx;
            }
            if theta_rx > theta[1] {
                theta[1] = theta_rx;
                d_hzn[1] = d_rx;
            }
        }
        (theta, d_hzn)
    }

    fn bits(r: ([f64; 2], [f64; 2])) -> [u64; 4] {
        [r.0[0], r.0[1], r.1[0], r.1[1]].map(f64::to_bits)
    }

    fn heights() -> impl Strategy<Value = f64> {
        // a few repeated values make ties between points common
        prop_oneof![
            6 => -50.0f64..3000.0,
            1 => Just(100.0),
            1 => Just(0.0),
        ]
    }

    proptest! {
        #[test]
        fn bit_identical_to_ntia(
            z in proptest::collection::vec(heights(), 2..300),
            step in prop_oneof![Just(30.0), Just(99.865242), 1.0f64..200.0],
            h_tx in 0.5f64..100.0,
            h_rx in 0.5f64..100.0,
            flat_earth in any::<bool>(),
        ) {
            let a_e = if flat_earth { f64::INFINITY } else { 8_500e3 };
            let want = bits(ntia(&z, step, a_e, [h_tx, h_rx]));
            prop_assert_eq!(bits(find_horizons(&z, step, a_e, [h_tx, h_rx])), want);
            prop_assert_eq!(bits(scalar(&z, step, a_e, [h_tx, h_rx])), want);
        }
    }

    /// `x` moved by `ulps` units in the last place.
    fn nudge(x: f64, ulps: i64) -> f64 {
        if x == 0.0 || !x.is_finite() {
            return x;
        }
        let moved = (x.abs().to_bits() as i64 + ulps).max(0) as u64;
        f64::from_bits(moved).copysign(x)
    }

    proptest! {
        /// Every inner point within a few units in the last place of one
        /// angle seen from the transmitter (or the receiver): the cases
        /// closest to the screen's margin, where it must still let through
        /// every point that NTIA keeps.
        #[test]
        fn near_ties_stay_bit_identical(
            len in 3usize..200,
            step in prop_oneof![Just(30.0), 1.0f64..200.0],
            angle in -0.05f64..0.05,
            jitter in proptest::collection::vec(-4i64..=4, 200),
            from_rx in any::<bool>(),
            a_e in prop_oneof![Just(f64::INFINITY), Just(8_500e3), Just(-3_000e3)],
        ) {
            let (h_tx, h_rx) = (10.0, 20.0);
            let d_m = (len as f64 - 1.0) * step;
            let mut z = vec![0.0; len];
            z[len - 1] = 7.0;
            let (z_tx, z_rx) = (z[0] + h_tx, z[len - 1] + h_rx);
            let mut d_tx = 0.0;
            let mut d_rx = d_m;
            for i in 1..len - 1 {
                d_tx += step;
                d_rx -= step;
                let height = if from_rx {
                    z_rx - (-angle - d_rx / (2.0 * a_e)) * d_rx
                } else {
                    z_tx + (angle + d_tx / (2.0 * a_e)) * d_tx
                };
                z[i] = nudge(height, jitter[i]);
            }
            let want = bits(ntia(&z, step, a_e, [h_tx, h_rx]));
            prop_assert_eq!(bits(find_horizons(&z, step, a_e, [h_tx, h_rx])), want);
            prop_assert_eq!(bits(scalar(&z, step, a_e, [h_tx, h_rx])), want);
        }
    }

    #[test]
    fn ties_keep_the_point_nearest_the_transmitter() {
        // A flat earth and inner points on a straight line through the
        // transmitter's antenna: every one is seen from there at the same
        // angle (0.5 exactly); NTIA keeps the first. The mirrored profile
        // ties every point seen from the receiver.
        for len in [3, 4, 5, 10, 11] {
            let mut z: Vec<f64> = (0..len).map(|i| 5.0 * i as f64).collect();
            z[0] = -1.0;
            z[len - 1] = 0.0;
            let mirrored: Vec<f64> = z.iter().rev().copied().collect();
            for (profile, side) in [(&z, 0), (&mirrored, 1)] {
                let got = find_horizons(profile, 10.0, f64::INFINITY, [1.0, 1.0]);
                let want = ntia(profile, 10.0, f64::INFINITY, [1.0, 1.0]);
                assert_eq!(bits(got), bits(want), "{len} points, side {side}");
                if len > 3 {
                    let first = if side == 0 {
                        10.0
                    } else {
                        (len - 2) as f64 * 10.0
                    };
                    assert_eq!(got.1[side], first, "{len} points, side {side}");
                }
            }
        }
    }

    #[test]
    fn ridge_is_the_horizon() {
        let mut z = vec![0.0; 101];
        z[30] = 200.0;
        let (_, d) = find_horizons(&z, 100.0, 8_500e3, [10.0, 10.0]);
        assert_eq!(d, [3_000.0, 7_000.0]);
    }
}
