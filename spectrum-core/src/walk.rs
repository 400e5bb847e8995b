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
fn raise(acc: f64, v: f64) -> f64 {
    if v > acc { v } else { acc }
}

/// The largest value of each of the `K` quantities `f(i)` returns, over
/// `i` in `0..n` (−∞ for none, NaN values ignored).
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

/// Points kept on each side of the peak's neighbourhood by
/// [`max_of_concave`], so that the points it bounds are clearly below.
const SPARE: usize = 4;

/// The largest computed value `value(i)` over the points of increasing
/// abscissa `x`, when before rounding the values are a concave function of
/// `x` whose peak is at `x_peak`: the same value as [`max_over`], from the
/// points near the peak only.
///
/// The caller proves, for its formula, that `error(i)` bounds the rounding
/// error of `value(i)` in such a way that the exact value plus that bound is
/// still a concave function of `x`, peaking within `1e-6 ×` the span of `x`
/// of `x_peak`. Then every point farther from the peak than the evaluated
/// window is at most the window's outermost neighbour plus twice its error
/// bound; when that is below the window's maximum on both sides, no point
/// outside can reach it. Otherwise (a flat or an unbounded case) every point
/// is walked.
#[inline(always)]
pub(crate) fn max_of_concave(
    x: &[f64],
    x_peak: f64,
    value: impl Fn(usize) -> f64,
    error: impl Fn(usize) -> f64,
) -> f64 {
    let n = x.len();
    let walk_all = |value: &dyn Fn(usize) -> f64| max_over(n, |i| [value(i)])[0];
    let (Some(&first), Some(&last)) = (x.first(), x.last()) else {
        return f64::NEG_INFINITY;
    };
    let tol = 1e-6 * (last - first);
    if !(x_peak.is_finite() && tol.is_finite()) {
        return walk_all(&value);
    }
    // The window [lo, hi): the points within `tol` of the peak and SPARE
    // more on each side; the points outside are bounded by lo − 1 and hi.
    let lo = x
        .partition_point(|&v| v < x_peak - tol)
        .saturating_sub(SPARE);
    let hi = (x.partition_point(|&v| v <= x_peak + tol) + SPARE).min(n);
    let [max] = max_over(hi - lo, |j| [value(lo + j)]);
    let below = |i: usize| value(i) + 2.0 * error(i) < max;
    if max > f64::NEG_INFINITY && (lo == 0 || below(lo - 1)) && (hi == n || below(hi)) {
        max
    } else {
        walk_all(&value)
    }
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

    proptest! {
        /// On a concave function (a Bullington slope over an irregular set of
        /// distances), the window gives the bits of the walk over every point.
        #[test]
        fn max_of_concave_is_the_walk_over_every_point(
            steps in proptest::collection::vec(1e-4f64..3.0, 3..400),
            h in 1.0f64..3000.0,
            ce in 1e-5f64..3e-4,
        ) {
            let mut x = vec![0.0];
            for s in &steps {
                x.push(x[x.len() - 1] + s);
            }
            let dtot = x[x.len() - 1];
            let inner = &x[1..x.len() - 1];
            let value = |i: usize| (500.0 * ce * inner[i] * (dtot - inner[i]) - h) * (1.0 / inner[i]);
            let error = |i: usize| 64.0 * f64::EPSILON * (500.0 * ce * (dtot - inner[i]) + h / inner[i]);
            let peak = (h / (500.0 * ce)).sqrt();
            let [all] = max_over(inner.len(), |i| [value(i)]);
            let got = max_of_concave(inner, peak, value, error);
            prop_assert_eq!(got.to_bits(), all.to_bits());
            // A wrong peak is caught by the bounds and walks every point.
            let far = max_of_concave(inner, peak + 0.5 * dtot, value, error);
            prop_assert_eq!(far, all);
        }
    }

    #[test]
    fn max_of_concave_checks_the_window_neighbours() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        let parabola = |i: usize| -(x[i] - 20.0).powi(2);
        // Window [16, 25): the neighbours 15 and 25 bound the rest, and
        // nothing else is evaluated.
        let calls = std::cell::Cell::new(0);
        let counted = |i: usize| {
            calls.set(calls.get() + 1);
            parabola(i)
        };
        assert_eq!(max_of_concave(&x, 20.0, counted, |_| 0.0), 0.0);
        assert_eq!(calls.get(), 11);
        // A neighbour above the window's maximum: every point is walked.
        let spike = |i: usize| if i == 25 { 10.0 } else { parabola(i) };
        assert_eq!(max_of_concave(&x, 20.0, spike, |_| 0.0), 10.0);
        // An error bound that does not separate them: every point walked.
        let far_spike = |i: usize| if i == 90 { 5.0 } else { parabola(i) };
        assert_eq!(max_of_concave(&x, 20.0, far_spike, |_| 30.0), 5.0);
        // No point, or no peak.
        assert_eq!(
            max_of_concave(&[], 1.0, parabola, |_| 0.0),
            f64::NEG_INFINITY
        );
        assert_eq!(max_of_concave(&x, f64::NAN, far_spike, |_| 0.0), 5.0);
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
