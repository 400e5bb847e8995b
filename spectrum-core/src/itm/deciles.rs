//! The two deciles of ITM's terrain irregularity (NTIA ITM v1.3
//! `ComputeDeltaH`): the `k`-th largest and the `k`-th smallest of the
//! ≤ 245 deviations of the resampled terrain from its least-squares line, in
//! IEEE total order (`f64::total_cmp`).
//!
//! Both ranks are near the ends (`k` ≈ n/10), so most values cannot be
//! either decile. A sample of every eighth value gives two thresholds that,
//! for terrain, leave about `2k` candidates beyond each; one branch-free pass
//! gathers them (keyed on the fly, into the two ends of one buffer) and the
//! deciles are selected among those few. When a threshold leaves fewer than
//! `k` candidates (possible, never wrong; 0.07 % of the calls on the coverage
//! bench map) both deciles are selected over all values instead. Fewer than 96 values, and
//! the sample itself, go through one pass that keeps the `k` largest and
//! smallest in small sorted buffers. Either way the values returned are the
//! order statistics themselves, so Δh is bit-identical to a selection over
//! everything.

/// Values at most; NTIA's resampling gives 10·25 − 5.
const MAX_VALUES: usize = 245;
/// Spacing of the sample the thresholds come from.
const STRIDE: usize = 8;
/// Fewer values than this are not sampled: their deciles come from one pass
/// keeping the `k` largest and smallest ([`kth_from_ends`]).
const MIN_FILTERED: usize = 96;
/// The largest rank [`kth_from_ends`] keeps buffers for (NTIA's rank for
/// fewer than 96 values is at most 10; the sample's rank is about 2k/8).
const MAX_KEPT: usize = 16;

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
/// total order. `xs` is reordered.
pub(crate) fn deciles(xs: &mut [f64], k: usize) -> (f64, f64) {
    let n = xs.len();
    if k == 0 || 2 * k > n {
        return selected(xs, k);
    }
    if n < MIN_FILTERED && k <= MAX_KEPT {
        let (hi, lo) = kth_from_ends(xs.iter().map(|&x| key(x)), k);
        return (value(hi), value(lo));
    }
    if n > MAX_VALUES {
        return selected(xs, k);
    }
    let mut sample = [0i64; MAX_VALUES / STRIDE + 1];
    let mut s = 0;
    for &x in xs.iter().skip(STRIDE / 2).step_by(STRIDE) {
        sample[s] = key(x);
        s += 1;
    }
    let sample = &mut sample[..s];
    // the j-th largest / smallest of the sample: about 2k values beyond
    let j = (2 * k * s).div_ceil(n).clamp(1, s);
    let (t_hi, t_lo) = if j <= MAX_KEPT {
        kth_from_ends(sample.iter().copied(), j)
    } else {
        (
            *sample.select_nth_unstable_by(j - 1, |a, b| b.cmp(a)).1,
            *sample.select_nth_unstable(j - 1).1,
        )
    };
    if t_lo >= t_hi {
        // (nearly) constant values: no filtering to gain
        return selected(xs, k);
    }
    // One buffer: candidates above `t_hi` from the front, below `t_lo` from
    // the back. Every value is written to both ends' next slot and kept by
    // moving that end on; with t_lo < t_hi no value is both, so the two ends
    // hold at most n ≤ MAX_VALUES < SLOTS values and never meet.
    const SLOTS: usize = MAX_VALUES + 1;
    let mut cand = [0i64; SLOTS];
    let (mut n_hi, mut n_lo) = (0, 0);
    for &x in xs.iter() {
        let kx = key(x);
        cand[n_hi] = kx;
        n_hi += usize::from(kx >= t_hi);
        cand[SLOTS - 1 - n_lo] = kx;
        n_lo += usize::from(kx <= t_lo);
    }
    if n_hi < k || n_lo < k {
        return selected(xs, k);
    }
    let (hi, rest) = cand.split_at_mut(n_hi);
    let lo_start = rest.len() - n_lo;
    let lo = &mut rest[lo_start..];
    let q_hi = *hi.select_nth_unstable_by(k - 1, |a, b| b.cmp(a)).1;
    let q_lo = *lo.select_nth_unstable(k - 1).1;
    (value(q_hi), value(q_lo))
}

/// The `k`-th largest and the `k`-th smallest of `keys` (1 ≤ k ≤
/// [`MAX_KEPT`], at least `k` keys), in one pass keeping the `k` largest and
/// the `k` smallest seen so far in two small sorted buffers: a key enters
/// only when it beats the buffer's last, which after the first few keys is
/// rare unless the keys trend (then at most `k` moves each).
fn kth_from_ends(keys: impl Iterator<Item = i64>, k: usize) -> (i64, i64) {
    // The smallest keys are kept as the largest of `!key`, which reverses
    // the order of `i64` and is its own inverse.
    let mut top = [i64::MIN; MAX_KEPT];
    let mut bottom = [i64::MIN; MAX_KEPT];
    let last = k - 1;
    for key in keys {
        keep_largest(&mut top[..=last], key);
        keep_largest(&mut bottom[..=last], !key);
    }
    (top[last], !bottom[last])
}

/// Inserts `key` into `buf` (sorted, largest first) when it beats the last,
/// dropping the last.
#[inline(always)]
fn keep_largest(buf: &mut [i64], key: i64) {
    let last = buf.len() - 1;
    if key > buf[last] {
        let mut i = last;
        while i > 0 && buf[i - 1] < key {
            buf[i] = buf[i - 1];
            i -= 1;
        }
        buf[i] = key;
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
        // every sampled value equal: the thresholds coincide (t_lo ≥ t_hi)
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
        }
    }

    proptest! {
        /// The buffers give the order statistics for every rank they keep,
        /// on random, sorted, reversed and repeated keys.
        #[test]
        fn kth_from_ends_is_the_order_statistic(
            keys in prop::collection::vec(prop_oneof![any::<i64>(), -3i64..3, Just(i64::MIN), Just(i64::MAX)], 1..120),
            k in 1usize..=MAX_KEPT,
            shape in 0u8..3,
        ) {
            let mut keys = keys;
            match shape {
                1 => keys.sort(),
                2 => keys.sort_by(|a, b| b.cmp(a)),
                _ => {}
            }
            let k = k.min(keys.len());
            let mut sorted = keys.clone();
            sorted.sort();
            let want = (sorted[sorted.len() - k], sorted[k - 1]);
            prop_assert_eq!(kth_from_ends(keys.iter().copied(), k), want);
        }
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
