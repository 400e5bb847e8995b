//! Running maxima over the points of a profile, the inner loop of the
//! Bullington construction and of the path analysis (ITU-R P.452-18 §4.2.1
//! and Attachment 2 §5.1, P.1812-6 §4.3.1 and Attachment 1).
//!
//! A walk that keeps one running maximum makes every point wait for the
//! previous comparison. These walks keep four interleaved maxima (points
//! `i`, `i + 1`, `i + 2`, `i + 3` in separate lanes) and combine them at the
//! end. A maximum is exact, so the result is the value a walk in index order
//! gives (up to the sign of a zero maximum); NaN values are ignored, as
//! MATLAB's `max` in the reference implementations ignores them.

/// Number of interleaved running maxima.
const LANES: usize = 4;

/// `v` when it is larger than `acc`, else `acc`: the NaN-ignoring maximum
/// for an `acc` that is not NaN, which a running maximum started at −∞ never
/// is (a NaN `v` is never larger). One `maxsd`, no test for NaN.
#[inline(always)]
pub(crate) fn raise(acc: f64, v: f64) -> f64 {
    if v > acc { v } else { acc }
}

/// The largest value of each of the `K` quantities `f(i)` returns, over
/// `i` in `0..n` (−∞ for none, NaN values ignored).
///
/// ```ignore
/// let [hi, lo_neg] = max_over(3, |i| [[1.0, 5.0, 2.0][i], -[1.0, 5.0, 2.0][i]]);
/// assert_eq!((hi, lo_neg), (5.0, -1.0));
/// ```
#[inline(always)]
pub(crate) fn max_over<const K: usize>(n: usize, f: impl Fn(usize) -> [f64; K]) -> [f64; K] {
    let mut acc = [[f64::NEG_INFINITY; K]; LANES];
    let mut i = 0;
    while i + LANES <= n {
        for (lane, acc) in acc.iter_mut().enumerate() {
            let v = f(i + lane);
            for k in 0..K {
                acc[k] = raise(acc[k], v[k]);
            }
        }
        i += LANES;
    }
    for (lane, j) in (i..n).enumerate() {
        let v = f(j);
        for k in 0..K {
            acc[lane][k] = raise(acc[lane][k], v[k]);
        }
    }
    let mut out = acc[0];
    for lane in &acc[1..] {
        for k in 0..K {
            out[k] = raise(out[k], lane[k]);
        }
    }
    out
}

/// Which index [`locate`] returns when several points share the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ties {
    /// The smallest index among equal maxima.
    First,
    /// The largest index among equal maxima.
    Last,
}

/// Where in `range` the quantity `f` reaches `max` (its [`max_over`]),
/// with its value there: what a walk in index order gives that replaces its
/// best on `>` (`Ties::First`) or `>=` (`Ties::Last`), starting from
/// `(fallback, −∞)`. The walk stops at the first match from the start
/// (`First`) or from the end (`Last`), so a maximum near that end costs
/// little.
#[inline(always)]
pub(crate) fn locate(
    range: std::ops::Range<usize>,
    ties: Ties,
    fallback: usize,
    max: f64,
    f: impl Fn(usize) -> f64,
) -> (usize, f64) {
    let found = match ties {
        // `>` never replaces −∞ by −∞.
        Ties::First if max == f64::NEG_INFINITY => None,
        Ties::First => range.clone().find(|&i| f(i) == max),
        Ties::Last => range.clone().rev().find(|&i| f(i) == max),
    };
    match found {
        Some(i) => (i, f(i)),
        None => (fallback, f64::NEG_INFINITY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Maximum that ignores NaN operands (as MATLAB's `max` does): the
    /// fold the walks replace.
    fn nan_max(a: f64, b: f64) -> f64 {
        if b > a || a.is_nan() { b } else { a }
    }

    /// The index-order walk the lanes replace.
    fn argmax_naive(v: &[f64], ties: Ties, fallback: usize) -> (usize, f64) {
        let mut out = (fallback, f64::NEG_INFINITY);
        for (i, &x) in v.iter().enumerate() {
            let better = match ties {
                Ties::First => x > out.1,
                Ties::Last => x >= out.1,
            };
            if better {
                out = (i, x);
            }
        }
        out
    }

    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            (-5i32..5).prop_map(f64::from),
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::NEG_INFINITY),
        ]
    }

    proptest! {
        #[test]
        fn max_over_is_the_nan_ignoring_fold(v in proptest::collection::vec(value(), 0..40)) {
            let [m, neg] = max_over(v.len(), |i| [v[i], -v[i]]);
            let fold = v.iter().copied().fold(f64::NEG_INFINITY, nan_max);
            let fold_neg = v.iter().map(|x| -x).fold(f64::NEG_INFINITY, nan_max);
            prop_assert_eq!(m, fold);
            prop_assert_eq!(neg, fold_neg);
        }

        #[test]
        fn locate_is_the_index_order_walk(v in proptest::collection::vec(value(), 0..40)) {
            let [max] = max_over(v.len(), |i| [v[i]]);
            for ties in [Ties::First, Ties::Last] {
                let (i, m) = locate(0..v.len(), ties, 7, max, |i| v[i]);
                let (j, n) = argmax_naive(&v, ties, 7);
                prop_assert_eq!((i, m.to_bits()), (j, n.to_bits()), "{:?}", ties);
            }
        }
    }

    #[test]
    fn locate_breaks_ties_as_asked() {
        let v = [1.0, 3.0, 0.0, 3.0, 3.0, 2.0, 3.0, 1.0, 0.0];
        let at = |i: usize| v[i];
        assert_eq!(locate(0..9, Ties::First, 0, 3.0, at), (1, 3.0));
        assert_eq!(locate(0..9, Ties::Last, 0, 3.0, at), (6, 3.0));
        assert_eq!(locate(2..5, Ties::Last, 0, 3.0, at), (4, 3.0));
        let nan = |_| f64::NAN;
        let [none] = max_over(2, |i| [nan(i)]);
        assert_eq!(none, f64::NEG_INFINITY);
        assert_eq!(
            locate(0..2, Ties::First, 9, none, nan),
            (9, f64::NEG_INFINITY)
        );
    }
}
