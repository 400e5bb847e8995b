//! The two deciles of ITM's terrain irregularity (NTIA ITM v1.3
//! `ComputeDeltaH`): the `k`-th largest and the `k`-th smallest of the
//! ≤ 245 deviations of the resampled terrain from its least-squares line, in
//! IEEE total order (`f64::total_cmp`).
//!
//! Selection by buckets: the range `[min, max]` of the values is cut into
//! [`BUCKETS`] equal buckets, one pass gives every value its bucket and
//! counts them, and the counts, summed from either end, name the bucket that
//! holds each decile and its rank there. Only those two buckets' values
//! (about two each on terrain) are then read and ranked. The bucket of a
//! value is a rounding of `(x − min) · scale`, which never decreases as `x`
//! grows, so buckets are ordered as their values are and the rank inside a
//! bucket is the rank overall (`−0.0` and `0.0` share a bucket and are ranked
//! there by total order). NaNs, infinite or constant values, a subnormal
//! range and a bucket holding both deciles are selected over all values
//! instead. Either way the values returned are the order statistics
//! themselves, so Δh is bit-identical to NTIA's selection over everything.
//! Where the processor has AVX2 (checked at run time) the same code is
//! compiled four lanes wide.

/// Values at most; NTIA's resampling gives 10·25 − 5.
const MAX_VALUES: usize = 245;
/// Buckets the value range is cut into (a power of two: a bucket is the low
/// bits of a float's mantissa).
const BUCKETS: usize = 128;
/// Room for the bucket numbers, whole 8-byte words (the bytes past the
/// values hold [`NO_BUCKET`]).
const WORDS: usize = MAX_VALUES.div_ceil(8);
/// The bucket number of the padding bytes: matches no bucket.
const NO_BUCKET: u8 = 0xff;
/// Candidates this few are ranked by insertion; more (values bunched in one
/// bucket, as beside a far outlier) by `select_nth_unstable`.
const INSERTION_MAX: usize = 16;

/// `x` as an integer whose order is `f64::total_cmp`'s.
fn key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ ((((b >> 63) as u64) >> 1) as i64)
}

/// The `f64` of a [`key`] (the transform keeps the sign bit, so it is its
/// own inverse).
fn value(k: i64) -> f64 {
    f64::from_bits((k ^ ((((k >> 63) as u64) >> 1) as i64)) as u64)
}

/// The `k`-th largest and the `k`-th smallest of `xs` (1 ≤ k, 2k ≤ len) in
/// total order. `xs` may be reordered.
pub(crate) fn deciles(xs: &mut [f64], k: usize) -> (f64, f64) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        #[allow(unsafe_code)]
        // SAFETY: the processor has AVX2, the only requirement of `with_avx2`.
        return unsafe { with_avx2(xs, k) };
    }
    by_buckets(xs, k)
}

/// [`by_buckets`] compiled for AVX2: its passes over the values (range,
/// buckets, counts) run four lanes wide instead of two. Same operations,
/// same bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn with_avx2(xs: &mut [f64], k: usize) -> (f64, f64) {
    by_buckets(xs, k)
}

/// [`deciles`] by buckets (the module doc).
#[inline(always)]
fn by_buckets(xs: &mut [f64], k: usize) -> (f64, f64) {
    let n = xs.len();
    if k == 0 || 2 * k > n || n > MAX_VALUES {
        return selected(xs, k);
    }
    let Some((min, range)) = finite_range(xs) else {
        return selected(xs, k);
    };
    // bucket = round((x − min) · scale) ∈ [0, BUCKETS − 1], read from the
    // mantissa after adding 2^52 (exact integer rounding, vectorisable)
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    let scale = (BUCKETS - 1) as f64 / range;
    if !scale.is_finite() {
        // a subnormal range
        return selected(xs, k);
    }
    let mut words = [[NO_BUCKET; 8]; WORDS];
    let buckets = words.as_flattened_mut();
    for (b, &x) in buckets.iter_mut().zip(xs.iter()) {
        *b = ((x - min) * scale + TWO_52).to_bits() as u8 & (BUCKETS as u8 - 1);
    }
    // four interleaved counts: runs of one bucket (smooth terrain) do not
    // wait on the previous increment
    let mut counts = [[0u8; BUCKETS]; 4];
    let (quads, rest) = buckets[..n].as_chunks::<4>();
    for q in quads {
        for (c, &b) in counts.iter_mut().zip(q) {
            c[usize::from(b)] += 1;
        }
    }
    for &b in rest {
        counts[0][usize::from(b)] += 1;
    }
    let count = |b: usize| counts.iter().map(|c| usize::from(c[b])).sum::<usize>();
    let (Some((b_hi, r_hi)), Some((b_lo, r_lo))) = (
        bucket_of_rank((0..BUCKETS).rev().map(count), k),
        bucket_of_rank((0..BUCKETS).map(count), k),
    ) else {
        return selected(xs, k);
    };
    let b_hi = BUCKETS - 1 - b_hi;
    if b_lo >= b_hi {
        return selected(xs, k);
    }
    // the two buckets' values, found eight bucket numbers at a time: from
    // the front of one buffer and from its back (distinct buckets: at most n
    // values in all, so the ends never meet)
    const SLOTS: usize = MAX_VALUES + 1;
    let mut cand = [0i64; SLOTS];
    let (mut n_hi, mut n_lo) = (0, 0);
    for (w, word) in words[..n.div_ceil(8)].iter().enumerate() {
        let word = u64::from_le_bytes(*word);
        let at = |m: u64| key(xs[8 * w + (m.trailing_zeros() / 8) as usize]);
        let mut m = equal_bytes(word, b_hi as u8);
        while m != 0 {
            cand[n_hi] = at(m);
            n_hi += 1;
            m &= m - 1;
        }
        let mut m = equal_bytes(word, b_lo as u8);
        while m != 0 {
            n_lo += 1;
            cand[SLOTS - n_lo] = at(m);
            m &= m - 1;
        }
    }
    let (hi, rest) = cand.split_at_mut(n_hi);
    let lo_start = rest.len() - n_lo;
    let lo = &mut rest[lo_start..];
    // the smallest keys are the largest of `!key` (order-reversing, its own
    // inverse)
    lo.iter_mut().for_each(|x| *x = !*x);
    (value(kth_largest(hi, r_hi)), value(!kth_largest(lo, r_lo)))
}

/// The smallest value and the range `max − min` of `xs`, when no value is
/// NaN and the range is finite and above zero.
#[inline(always)]
fn finite_range(xs: &[f64]) -> Option<(f64, f64)> {
    // eight independent lanes (vectorised; no chain of dependent compares)
    const LANES: usize = 8;
    let (mut min, mut max) = ([xs[0]; LANES], [xs[0]; LANES]);
    let mut nan = [false; LANES];
    let (chunks, rest) = xs.as_chunks::<LANES>();
    for c in chunks {
        for j in 0..LANES {
            let x = c[j];
            min[j] = if x < min[j] { x } else { min[j] };
            max[j] = if x > max[j] { x } else { max[j] };
            nan[j] |= x.is_nan();
        }
    }
    let (mut lo, mut hi) = (xs[0], xs[0]);
    for &x in rest.iter().chain(&min).chain(&max) {
        lo = if x < lo { x } else { lo };
        hi = if x > hi { x } else { hi };
    }
    let nan = nan.contains(&true) || rest.iter().any(|x| x.is_nan());
    let range = hi - lo;
    (!nan && range > 0.0 && range.is_finite()).then_some((lo, range))
}

/// The position, in the order `counts` runs, of the bucket holding the
/// `k`-th value, and that value's rank inside it (1-based); `None` when the
/// counts add up to less than `k`.
#[inline(always)]
fn bucket_of_rank(counts: impl Iterator<Item = usize>, k: usize) -> Option<(usize, usize)> {
    let mut before = 0;
    for (b, c) in counts.enumerate() {
        if before + c >= k {
            return Some((b, k - before));
        }
        before += c;
    }
    None
}

/// 0x80 in each byte of `word` equal to `b`, 0 elsewhere (exact: no borrow
/// runs between bytes).
#[inline(always)]
fn equal_bytes(word: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let v = word ^ (0x0101_0101_0101_0101 * u64::from(b));
    !(((v & LOW7) + LOW7) | v | LOW7)
}

/// The `r`-th largest of `keys` (1 ≤ r ≤ len); `keys` is reordered.
fn kth_largest(keys: &mut [i64], r: usize) -> i64 {
    if keys.len() <= INSERTION_MAX {
        for a in 1..keys.len() {
            let v = keys[a];
            let mut j = a;
            while j > 0 && keys[j - 1] < v {
                keys[j] = keys[j - 1];
                j -= 1;
            }
            keys[j] = v;
        }
        keys[r - 1]
    } else {
        *keys.select_nth_unstable_by(r - 1, |a, b| b.cmp(a)).1
    }
}

/// [`deciles`] by two selections over all values (the second over what the
/// first left below its decile).
fn selected(xs: &mut [f64], k: usize) -> (f64, f64) {
    let n = xs.len();
    let k = k.clamp(1, n.max(1));
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let desc = |a: &f64, b: &f64| b.total_cmp(a);
    let (_, &mut q_hi, rest) = xs.select_nth_unstable_by(k - 1, desc);
    let q_lo = match (n - k).checked_sub(k) {
        Some(i) if i < rest.len() => *rest.select_nth_unstable_by(i, desc).1,
        _ => {
            xs.sort_unstable_by(desc);
            xs[n - k]
        }
    };
    (q_hi, q_lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn flat_and_two_level_terrain_take_the_full_selection_right() {
        // a constant run between two outliers: both deciles in one bucket
        // (b_lo ≥ b_hi) except at the outliers' ranks
        let mut flat = vec![3.5; 245];
        flat[7] = 9.0;
        flat[200] = -2.0;
        for k in [1, 2, 25] {
            let (hi, lo) = deciles(&mut flat.clone(), k);
            assert_eq!((hi.to_bits(), lo.to_bits()), truth(&flat, k), "k {k}");
        }
        let two: Vec<f64> = (0..245)
            .map(|i| if i % 3 == 0 { 1.0 } else { -1.0 })
            .collect();
        let (hi, lo) = deciles(&mut two.clone(), 25);
        assert_eq!((hi.to_bits(), lo.to_bits()), truth(&two, 25));
    }

    #[test]
    fn crowded_decile_buckets_give_the_order_statistics() {
        // three bunches far apart: each decile's bucket holds a whole bunch
        // (20 or 82 values), far more candidates than insertion ranks
        for n in [60, 245] {
            let xs: Vec<f64> = (0..n)
                .map(|i| match i % 3 {
                    0 => 1e-6 * i as f64,
                    1 => 5e8 + 1e-6 * i as f64,
                    _ => 1e9,
                })
                .collect();
            for k in [3, 10, n / 10] {
                let (hi, lo) = deciles(&mut xs.clone(), k);
                assert_eq!((hi.to_bits(), lo.to_bits()), truth(&xs, k), "n {n}, k {k}");
                let (hi, lo) = by_buckets(&mut xs.clone(), k);
                assert_eq!((hi.to_bits(), lo.to_bits()), truth(&xs, k), "n {n}, k {k}");
            }
        }
    }

    fn truth(xs: &[f64], k: usize) -> (u64, u64) {
        let mut v = xs.to_vec();
        v.sort_by(|a, b| b.total_cmp(a));
        (v[k - 1].to_bits(), v[v.len() - k].to_bits())
    }

    fn values() -> impl Strategy<Value = f64> {
        prop_oneof![
            8 => -400.0f64..400.0,
            1 => Just(0.0),
            1 => Just(-0.0),
            1 => Just(12.5),
        ]
    }

    proptest! {
        #[test]
        fn deciles_are_the_order_statistics(
            xs in prop::collection::vec(values(), 2..=245),
            k in 1usize..=25,
            shape in 0u8..4,
        ) {
            let mut xs = xs;
            let k = k.min(xs.len() / 2).max(1);
            match shape {
                1 => xs.sort_by(f64::total_cmp),
                2 => xs.sort_by(|a, b| b.total_cmp(a)),
                // a smooth ridge with noise, like detrended terrain
                3 => xs.iter_mut().enumerate().for_each(|(i, x)| *x += 300.0 * (i as f64 / 17.0).sin()),
                _ => {}
            }
            let want = truth(&xs, k);
            let (hi, lo) = deciles(&mut xs.clone(), k);
            prop_assert_eq!((hi.to_bits(), lo.to_bits()), want);
            // the baseline build too, where `deciles` took the AVX2 one
            let (hi, lo) = by_buckets(&mut xs.clone(), k);
            prop_assert_eq!((hi.to_bits(), lo.to_bits()), want);
        }
    }

    proptest! {
        /// Values bunched in one bucket next to a far outlier (more than
        /// [`INSERTION_MAX`] candidates), and NaNs and infinities (selected
        /// over everything), still give the order statistics.
        #[test]
        fn outliers_and_non_finite_values_give_the_order_statistics(
            xs in prop::collection::vec(-3.0f64..3.0, 20..=245),
            outlier in prop_oneof![Just(1e9), Just(-1e9), Just(f64::INFINITY), Just(f64::NAN), Just(-f64::NAN)],
            at in any::<prop::sample::Index>(),
            k in 1usize..=25,
        ) {
            let mut xs = xs;
            let i = at.index(xs.len());
            xs[i] = outlier;
            let k = k.min(xs.len() / 2);
            let want = truth(&xs, k);
            let (hi, lo) = deciles(&mut xs.clone(), k);
            prop_assert_eq!((hi.to_bits(), lo.to_bits()), want);
            // the baseline build too, where `deciles` took the AVX2 one
            let (hi, lo) = by_buckets(&mut xs.clone(), k);
            prop_assert_eq!((hi.to_bits(), lo.to_bits()), want);
        }
    }

    #[test]
    fn equal_bytes_marks_exactly_the_equal_bytes() {
        let word = u64::from_le_bytes([0, 1, 127, 0x80, 0xff, 1, 0x81, 0x7f]);
        assert_eq!(equal_bytes(word, 1), 0x0000_8000_0000_8000);
        assert_eq!(equal_bytes(word, 127), 0x8000_0000_0080_0000);
        assert_eq!(equal_bytes(word, 0), 0x80);
        assert_eq!(equal_bytes(word, 0x80), 0x8000_0000);
        assert_eq!(equal_bytes(word, 5), 0);
    }

    #[test]
    fn a_subnormal_range_is_selected_over_everything() {
        let tiny = f64::from_bits(3);
        let mut xs: Vec<f64> = (0..100).map(|i| f64::from(i % 7) * tiny).collect();
        xs[40] = -tiny;
        let (hi, lo) = deciles(&mut xs.clone(), 10);
        assert_eq!((hi.to_bits(), lo.to_bits()), truth(&xs, 10));
    }

    #[test]
    fn keys_order_as_total_cmp_and_invert() {
        let xs = [
            f64::NEG_INFINITY,
            -2.5,
            -0.0,
            0.0,
            1e-300,
            3.0,
            f64::INFINITY,
        ];
        for a in xs {
            assert_eq!(value(key(a)).to_bits(), a.to_bits());
            for b in xs {
                assert_eq!(key(a).cmp(&key(b)), a.total_cmp(&b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn few_values_and_large_ranks_still_answer() {
        let mut xs = [3.0, 1.0, 2.0];
        assert_eq!(deciles(&mut xs, 1), (3.0, 1.0));
        let mut xs = [5.0, 4.0];
        assert_eq!(deciles(&mut xs, 2), (4.0, 5.0));
    }
}
