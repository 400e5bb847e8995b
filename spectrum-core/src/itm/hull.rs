//! Terminal horizons of many receivers along one radial, by an upper convex
//! hull of the terrain in an earth-curvature frame (used by
//! [`super::radial`]; the point-by-point search of NTIA ITM v1.3
//! `FindHorizons` is [`super::horizons`]).
//!
//! ITM's horizon angle from the transmitter to profile point `i` is
//! `(z_i − z_tx)/x_i − x_i/(2a)`. In index units (`x_i = i·s`) and with
//! `w_i = z_i − c·i²`, `c = s²/(2a)`, it is `s⁻¹·(w_i − z_tx)/i`: the slope
//! from the transmitter to `(i, w_i)`. From the receiver at index `m` it is
//! `s⁻¹·((w_i − W)/(m − i) − 2cm)` with `W = z_rx − c·m²`. Both maxima over
//! the intermediate points are tangents from a point outside the upper hull
//! of `(i, w_i)`, found by binary search on the hull; adding the points of a
//! growing prefix keeps the hull in amortised O(1) per point (monotone chain).
//!
//! The hull is built with one curvature `c₀` per radial while each path has
//! its own (the effective earth radius depends on the path's mean height and
//! the cell's stretched spacing), so the caller re-evaluates the exact angle
//! at the hull's answer and its neighbours ([`HorizonHull::refine`]).

/// Upper convex hull of `(i, z_i − c₀·i²)` over a growing prefix of a profile.
#[derive(Debug, Clone)]
pub(crate) struct HorizonHull {
    c0: f64,
    /// Hull vertices: profile index and transformed height.
    vertices: Vec<(usize, f64)>,
    /// Next profile index to add.
    next: usize,
}

/// `(b − a) × (c − a)` for points `(x, w)`.
fn cross(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// The first `j` in `0..n` for which `pred(j)` is false (`n` if none), for a
/// `pred` that is true then false.
fn first_not(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

impl HorizonHull {
    /// An empty hull with curvature `c0 = s²/(2a)` (index units); the first
    /// point added is profile index 1 (index 0 is the transmitter).
    pub(crate) fn new(c0: f64) -> Self {
        Self {
            c0,
            vertices: Vec::new(),
            next: 1,
        }
    }

    fn point(&self, i: usize, z: f64) -> (f64, f64) {
        let x = i as f64;
        (x, z - self.c0 * x * x)
    }

    /// The next profile index [`extend_to`](Self::extend_to) would add.
    pub(crate) fn next_index(&self) -> usize {
        self.next
    }

    /// Adds the profile points up to index `end − 1` (the intermediate
    /// points of the path to index `end`). Indices already added are skipped.
    pub(crate) fn extend_to(&mut self, z: &[f64], end: usize) {
        while self.next < end.min(z.len()) {
            let i = self.next;
            let p = self.point(i, z[i]);
            while let [.., a, b] = self.vertices[..] {
                let (a, b) = ((a.0 as f64, a.1), (b.0 as f64, b.1));
                if cross(a, b, p) >= 0.0 {
                    self.vertices.pop();
                } else {
                    break;
                }
            }
            self.vertices.push((i, p.1));
            self.next += 1;
        }
    }

    /// Hull position of the vertex of largest slope from the transmitter at
    /// index 0 and height `z_tx` (`None` when the hull is empty).
    pub(crate) fn tx_tangent(&self, z_tx: f64) -> Option<usize> {
        let v = &self.vertices;
        let slope = |j: usize| (v[j].1 - z_tx) / v[j].0 as f64;
        (!v.is_empty()).then(|| first_not(v.len() - 1, |j| slope(j + 1) > slope(j)))
    }

    /// Hull position of the vertex seen highest from the receiver at index
    /// `m` and height `z_rx` (`None` when the hull is empty).
    pub(crate) fn rx_tangent(&self, m: usize, z_rx: f64) -> Option<usize> {
        let v = &self.vertices;
        let (xm, w_rx) = self.point(m, z_rx);
        let slope = |j: usize| (v[j].1 - w_rx) / (xm - v[j].0 as f64);
        (!v.is_empty()).then(|| first_not(v.len() - 1, |j| slope(j + 1) > slope(j)))
    }

    /// From hull position `pos`, walks to the neighbouring vertices while
    /// the exact `angle(profile index)` grows; returns the profile index and
    /// its angle.
    pub(crate) fn refine(&self, pos: usize, angle: impl Fn(usize) -> f64) -> (usize, f64) {
        let v = &self.vertices;
        let mut best = (v[pos].0, angle(v[pos].0));
        let mut j = pos;
        while j > 0 {
            let a = angle(v[j - 1].0);
            if a < best.1 {
                break;
            }
            j -= 1;
            best = (v[j].0, a);
        }
        if j == pos {
            let mut j = pos;
            while j + 1 < v.len() {
                let a = angle(v[j + 1].0);
                if a <= best.1 {
                    break;
                }
                j += 1;
                best = (v[j].0, a);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(z: &[f64], m: usize, c: f64, z_tx: f64, z_rx: f64) -> (f64, f64) {
        let tx = (1..m)
            .map(|i| (z[i] - c * (i * i) as f64 - z_tx) / i as f64)
            .fold(f64::NEG_INFINITY, f64::max);
        let w_rx = z_rx - c * (m * m) as f64;
        let rx = (1..m)
            .map(|i| (z[i] - c * (i * i) as f64 - w_rx) / (m - i) as f64)
            .fold(f64::NEG_INFINITY, f64::max);
        (tx, rx)
    }

    proptest! {
        #[test]
        fn tangents_are_the_brute_force_maxima(
            z in prop::collection::vec(0.0f64..500.0, 3..120),
            c in 0.0f64..0.05,
            h in (0.0f64..200.0, 0.0f64..200.0),
        ) {
            let mut hull = HorizonHull::new(c);
            for m in 2..z.len() {
                hull.extend_to(&z, m);
                let (z_tx, z_rx) = (z[0] + h.0, z[m] + h.1);
                let (tx, rx) = brute(&z, m, c, z_tx, z_rx);
                let txa = |i: usize| (z[i] - c * (i * i) as f64 - z_tx) / i as f64;
                let w_rx = z_rx - c * (m * m) as f64;
                let rxa = |i: usize| (z[i] - c * (i * i) as f64 - w_rx) / (m - i) as f64;
                let got_tx = hull.refine(hull.tx_tangent(z_tx).unwrap(), txa).1;
                let got_rx = hull.refine(hull.rx_tangent(m, z_rx).unwrap(), rxa).1;
                prop_assert!((got_tx - tx).abs() <= 1e-9 * tx.abs().max(1.0), "tx {got_tx} vs {tx} at m={m}");
                prop_assert!((got_rx - rx).abs() <= 1e-9 * rx.abs().max(1.0), "rx {got_rx} vs {rx} at m={m}");
            }
        }
    }

    #[test]
    fn empty_hull_has_no_tangent() {
        let hull = HorizonHull::new(0.0);
        assert_eq!(hull.tx_tangent(0.0), None);
        assert_eq!(hull.rx_tangent(1, 0.0), None);
    }
}
