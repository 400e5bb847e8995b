//! Bullington diffraction (ITU-R P.452-18 §4.2.1 eqs (14)–(22), P.1812-6
//! §4.3.1 eqs (13)–(21)) over a terrain profile, over the smooth profile of
//! the delta-Bullington method (the actual and the smooth profile walked
//! together), and without a profile (P.1812-6 Attachment 4, eqs (105)–(112)).

use super::{LIGHT_SPEED_M_GHZ, knife_edge_loss_db};
use crate::walk::{max_of_concave, max_over};

/// Bullington diffraction loss over the profile `heights_m` (terrain plus
/// clutter where the model asks for it) between antennas at `hts_m` and
/// `hrs_m` above sea level, for effective Earth radius `ap_km`
/// (P.452-18 eqs (14)–(22), P.1812-6 eqs (13)–(21)).
///
/// `distances_km` and `heights_m` have the same length (≥ 3); only the
/// intermediate points are examined.
pub fn bullington_loss_db(
    distances_km: &[f64],
    heights_m: &[f64],
    hts_m: f64,
    hrs_m: f64,
    ap_km: f64,
    freq_ghz: f64,
) -> f64 {
    let n = distances_km.len().min(heights_m.len());
    if n < 3 {
        return 0.0;
    }
    let g = BullingtonGeometry::new(&distances_km[..n], ap_km, freq_ghz);
    let one = Bullington::new(hts_m, hrs_m, g.dtot);
    let (d, h) = (&distances_km[1..n - 1], &heights_m[1..n - 1]);
    let [stim] = max_over(n - 2, |i| [one.slope_t(&g, d[i], h[i], 1.0 / d[i])]);
    let los = stim < one.slope_tr;
    let second = one.second_walk(&g, los, d, h, |i| (1.0 / d[i], 1.0 / (g.dtot - d[i])));
    one.loss_db(&g, los, stim, second)
}

/// The Bullington losses of the profile `heights_m` between antennas
/// `actual` (hts, hrs, above sea level) and of the smooth (all-zero) profile
/// between antennas `smooth`, in the same two walks over the points and
/// with the same arithmetic as two [`bullington_loss_db`] calls (the same
/// bits); no zero profile is allocated, and the reciprocals of the distances
/// to the terminals come from `recip`, computed once for all the walks of a
/// prediction.
pub(super) fn bullington_pair(
    distances_km: &[f64],
    heights_m: &[f64],
    recip: &Reciprocals,
    actual: (f64, f64),
    smooth: (f64, f64),
    ap_km: f64,
    freq_ghz: f64,
) -> (f64, f64) {
    let n = distances_km.len().min(heights_m.len());
    if n < 3 {
        return (0.0, 0.0);
    }
    // Reciprocals of another profile cannot be used: compute these.
    let local;
    let recip = if recip.inv_d.len() == n - 2 {
        recip
    } else {
        local = Reciprocals::new(distances_km, n);
        &local
    };
    let g = BullingtonGeometry::new(&distances_km[..n], ap_km, freq_ghz);
    let a = Bullington::new(actual.0, actual.1, g.dtot);
    let z = Bullington::new(smooth.0, smooth.1, g.dtot);
    let m = n - 2;
    let (d, h) = (&distances_km[1..n - 1], &heights_m[1..n - 1]);
    let (inv_d, inv_dr) = (&recip.inv_d[..m], &recip.inv_dr[..m]);
    let [stim_a] = max_over(m, |i| [a.slope_t(&g, d[i], h[i], inv_d[i])]);
    let stim_z = z.smooth_stim(&g, d, inv_d);
    let (los_a, los_z) = (stim_a < a.slope_tr, stim_z < z.slope_tr);
    let recips = |i: usize| (inv_d[i], inv_dr[i]);
    let second_a = a.second_walk(&g, los_a, d, h, recips);
    let second_z = if los_z {
        z.second_walk(&g, los_z, d, Zeros, recips)
    } else {
        z.smooth_srim(&g, d, inv_dr)
    };
    (
        a.loss_db(&g, los_a, stim_a, second_a),
        z.loss_db(&g, los_z, stim_z, second_z),
    )
}

/// The heights of the smooth profile of the delta-Bullington method: zero
/// at every point, without a profile in memory.
#[derive(Clone, Copy)]
struct Zeros;

/// Heights a walk reads by index: a profile's, or [`Zeros`].
trait Heights: Copy {
    fn at(&self, i: usize) -> f64;
}

impl Heights for &[f64] {
    #[inline(always)]
    fn at(&self, i: usize) -> f64 {
        self[i]
    }
}

impl Heights for Zeros {
    #[inline(always)]
    fn at(&self, _: usize) -> f64 {
        0.0
    }
}

/// `1 / d_i` and `1 / (d_tot − d_i)` at the inner points of a profile (the
/// divisions of the Bullington walks), computed once and shared by the walks
/// of one prediction (two effective radii, the actual and the smooth profile).
#[derive(Debug, Default)]
pub(crate) struct Reciprocals {
    pub(crate) inv_d: Vec<f64>,
    pub(crate) inv_dr: Vec<f64>,
}

impl Reciprocals {
    /// The reciprocals for the first `n` points of `distances_km`, with
    /// `d_tot` the distance from the first point to the last (as the
    /// Bullington construction takes it).
    pub(crate) fn new(distances_km: &[f64], n: usize) -> Reciprocals {
        let mut r = Reciprocals::default();
        r.fill(distances_km, n);
        r
    }

    /// [`Reciprocals::new`] into these buffers (no allocation once they are
    /// as long).
    pub(crate) fn fill(&mut self, distances_km: &[f64], n: usize) {
        let d = &distances_km[..n.min(distances_km.len())];
        let dtot = match (d.first(), d.last()) {
            (Some(first), Some(last)) => last - first,
            _ => 0.0,
        };
        let inner = d.get(1..d.len().saturating_sub(1)).unwrap_or(&[]);
        self.inv_d.clear();
        self.inv_d.extend(inner.iter().map(|&di| 1.0 / di));
        self.inv_dr.clear();
        self.inv_dr
            .extend(inner.iter().map(|&di| 1.0 / (dtot - di)));
    }
}

/// The rounding-error bound of the smooth profile's slopes, relative to the
/// magnitude of their terms: 64 u = 32 × `f64::EPSILON`, eight times the
/// error analysis's 8 u.
const ROUNDING: f64 = 32.0 * f64::EPSILON;

/// What every Bullington construction over one set of distances shares.
struct BullingtonGeometry {
    ce: f64,
    lambda: f64,
    dtot: f64,
    inv_dtot: f64,
    /// 0.002 d / λ, the constant of eq (16)'s ν.
    nu_k: f64,
}

impl BullingtonGeometry {
    fn new(distances_km: &[f64], ap_km: f64, freq_ghz: f64) -> Self {
        let n = distances_km.len();
        let lambda = LIGHT_SPEED_M_GHZ / freq_ghz;
        let dtot = distances_km[n - 1] - distances_km[0];
        Self {
            ce: 1.0 / ap_km,
            lambda,
            dtot,
            inv_dtot: 1.0 / dtot,
            nu_k: 0.002 * dtot / lambda,
        }
    }

    /// Earth bulge at `di`, m.
    fn bulge(&self, di: f64) -> f64 {
        500.0 * self.ce * di * (self.dtot - di)
    }
}

/// One Bullington construction: the antenna heights above sea level.
struct Bullington {
    hts: f64,
    hrs: f64,
    /// Eq (15): slope of the line from the transmitter to the receiver.
    slope_tr: f64,
}

impl Bullington {
    fn new(hts: f64, hrs: f64, dtot: f64) -> Self {
        Self {
            hts,
            hrs,
            slope_tr: (hrs - hts) / dtot,
        }
    }

    /// Eq (14)'s slope from the transmitter to the point (`di`, `hi`);
    /// `inv_d` = 1 / `di`.
    fn slope_t(&self, g: &BullingtonGeometry, di: f64, hi: f64, inv_d: f64) -> f64 {
        (hi + g.bulge(di) - self.hts) * inv_d
    }

    /// Eq (18)'s slope from the receiver to the point (`di`, `hi`);
    /// `inv_dr` = 1 / (d_tot − `di`).
    fn slope_r(&self, g: &BullingtonGeometry, di: f64, hi: f64, inv_dr: f64) -> f64 {
        (hi + g.bulge(di) - self.hrs) * inv_dr
    }

    /// The second walk over the inner points (`d`, `h`): the largest of
    /// eq (16)'s ν in line of sight, of eq (18)'s slope from the receiver
    /// otherwise; `recips(i)` = (1 / d_i, 1 / (d_tot − d_i)).
    #[inline(always)]
    fn second_walk(
        &self,
        g: &BullingtonGeometry,
        los: bool,
        d: &[f64],
        h: impl Heights,
        recips: impl Fn(usize) -> (f64, f64),
    ) -> f64 {
        let [second] =
            if los {
                max_over(d.len(), |i| {
                    let (inv_d, inv_dr) = recips(i);
                    let di = d[i];
                    [(h.at(i) + g.bulge(di)
                        - (self.hts * (g.dtot - di) + self.hrs * di) * g.inv_dtot)
                        * (g.nu_k * inv_d * inv_dr).sqrt()]
                })
            } else {
                max_over(d.len(), |i| [self.slope_r(g, d[i], h.at(i), recips(i).1)])
            };
        second
    }

    /// Eq (14)'s largest slope over the smooth (all-zero) profile, from the
    /// points near its peak ([`max_of_concave`]): with zero heights the slope
    /// is k (d_tot − d) − h_ts / d (k = 500 / a_p), concave in d for
    /// h_ts > 0 and largest at d = √(h_ts / k). Its rounding error is below
    /// about 8 u (u = 2⁻⁵³) times the sum of the two terms' magnitudes (four
    /// roundings in the bulge, one in the subtraction, two in the reciprocal
    /// and the product); the bound passed is [`ROUNDING`] times that sum.
    fn smooth_stim(&self, g: &BullingtonGeometry, d: &[f64], inv_d: &[f64]) -> f64 {
        let value = |i: usize| self.slope_t(g, d[i], 0.0, inv_d[i]);
        let k = 500.0 * g.ce;
        if !(self.hts > 0.0 && k > 0.0) {
            return max_over(d.len(), |i| [value(i)])[0];
        }
        let error = |i: usize| ROUNDING * (k * (g.dtot - d[i]) + self.hts * inv_d[i]);
        max_of_concave(d, (self.hts / k).sqrt(), value, error)
    }

    /// Eq (18)'s largest slope from the receiver over the smooth profile
    /// beyond the horizon, likewise: k d − h_rs / (d_tot − d), concave for
    /// h_rs > 0 and largest at d = d_tot − √(h_rs / k).
    fn smooth_srim(&self, g: &BullingtonGeometry, d: &[f64], inv_dr: &[f64]) -> f64 {
        let value = |i: usize| self.slope_r(g, d[i], 0.0, inv_dr[i]);
        let k = 500.0 * g.ce;
        if !(self.hrs > 0.0 && k > 0.0) {
            return max_over(d.len(), |i| [value(i)])[0];
        }
        let error = |i: usize| ROUNDING * (k * d[i] + self.hrs * inv_dr[i]);
        max_of_concave(d, g.dtot - (self.hrs / k).sqrt(), value, error)
    }

    /// Eqs (17), (19)–(22) from the walks' maxima.
    fn loss_db(&self, g: &BullingtonGeometry, los: bool, stim: f64, second: f64) -> f64 {
        let (hts, hrs, dtot) = (self.hts, self.hrs, g.dtot);
        let luc = if los {
            knife_edge_loss_db(second)
        } else {
            let srim = second;
            let dbp = (hrs - hts + srim * dtot) / (stim + srim);
            let nub = (hts + stim * dbp - (hts * (dtot - dbp) + hrs * dbp) / dtot)
                * (0.002 * dtot / (g.lambda * dbp * (dtot - dbp))).sqrt();
            knife_edge_loss_db(nub)
        };
        luc + (1.0 - (-luc / 6.0).exp()) * (10.0 + 0.02 * dtot)
    }
}

/// Bullington loss of the smooth path without a terrain profile
/// (P.1812-6 Attachment 4 to Annex 1, eqs (105)–(112)), for effective
/// antenna heights `hte_m`, `hre_m` above the smooth surface.
pub fn bullington_smooth_loss_db(
    dtot_km: f64,
    hte_m: f64,
    hre_m: f64,
    ap_km: f64,
    freq_ghz: f64,
) -> f64 {
    let ce = 1.0 / ap_km;
    let lambda = LIGHT_SPEED_M_GHZ / freq_ghz;
    let dlos = (2.0 * ap_km).sqrt() * ((0.001 * hte_m).sqrt() + (0.001 * hre_m).sqrt());
    let lus = if dtot_km < dlos {
        let (dse1, _dse2, hse) = smallest_clearance(dtot_km, hte_m, hre_m, ap_km);
        let numax = -hse * (0.002 * dtot_km / (lambda * dse1 * (dtot_km - dse1))).sqrt();
        knife_edge_loss_db(numax)
    } else {
        let stm = 500.0 * ce * dtot_km - 2.0 * (500.0 * ce * hte_m).sqrt();
        let srm = 500.0 * ce * dtot_km - 2.0 * (500.0 * ce * hre_m).sqrt();
        let ds = (hre_m - hte_m + srm * dtot_km) / (stm + srm);
        let nus = (hte_m + stm * ds - (hte_m * (dtot_km - ds) + hre_m * ds) / dtot_km)
            * (0.002 * dtot_km / (lambda * ds * (dtot_km - ds))).sqrt();
        knife_edge_loss_db(nus)
    };
    lus + (1.0 - (-lus / 6.0).exp()) * (10.0 + 0.02 * dtot_km)
}

/// Smallest clearance between the curved Earth and the ray, P.452-18
/// eqs (24)–(25): returns (d_se1 km, d_se2 km, h_se m).
pub(super) fn smallest_clearance(d_km: f64, hte_m: f64, hre_m: f64, ap_km: f64) -> (f64, f64, f64) {
    let c = (hte_m - hre_m) / (hte_m + hre_m);
    let m = 250.0 * d_km * d_km / (ap_km * (hte_m + hre_m));
    let b = 2.0
        * ((m + 1.0) / (3.0 * m)).sqrt()
        * (std::f64::consts::PI / 3.0
            + 1.0 / 3.0 * (3.0 * c / 2.0 * (3.0 * m / (m + 1.0).powi(3)).sqrt()).acos())
        .cos();
    let dse1 = d_km / 2.0 * (1.0 + b);
    let dse2 = d_km - dse1;
    let hse = ((hte_m - 500.0 * dse1 * dse1 / ap_km) * dse2
        + (hre_m - 500.0 * dse2 * dse2 / ap_km) * dse1)
        / d_km;
    (dse1, dse2, hse)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pair walk gives the bits of two separate walks, in line of sight
    /// and beyond the horizon.
    #[test]
    fn the_pair_equals_two_separate_constructions() {
        let d: Vec<f64> = (0..=200).map(|i| i as f64 * 0.25).collect();
        let h: Vec<f64> = d
            .iter()
            .map(|x| 300.0 + 40.0 * (x * 0.7).sin() + 2.0 * x)
            .collect();
        let zeros = vec![0.0; d.len()];
        for (actual, smooth) in [
            ((330.0, 420.0), (25.0, 30.0)),
            ((900.0, 950.0), (600.0, 640.0)),
        ] {
            let recip = Reciprocals::new(&d, d.len());
            let (a, z) = bullington_pair(&d, &h, &recip, actual, smooth, 8500.0, 2.0);
            let wrong = Reciprocals::new(&d[..3], 3);
            assert_eq!(
                bullington_pair(&d, &h, &wrong, actual, smooth, 8500.0, 2.0),
                (a, z)
            );
            let a1 = bullington_loss_db(&d, &h, actual.0, actual.1, 8500.0, 2.0);
            let z1 = bullington_loss_db(&d, &zeros, smooth.0, smooth.1, 8500.0, 2.0);
            assert_eq!((a.to_bits(), z.to_bits()), (a1.to_bits(), z1.to_bits()));
            assert!(a.is_finite() && z.is_finite());
        }
    }

    proptest::proptest! {
        /// The smooth profile's maxima found near their peaks give the bits
        /// of walks over every point, over irregular steps, both terminals'
        /// heights, both effective radii and in and beyond line of sight.
        #[test]
        fn the_pair_equals_two_walks_over_every_point(
            steps in proptest::collection::vec(0.01f64..2.0, 3..300),
            relief in proptest::collection::vec(-50.0f64..400.0, 300),
            smooth in (0.5f64..900.0, 0.5f64..900.0),
            ap_km in proptest::prop_oneof![proptest::strategy::Just(8500.0), 6000.0f64..3e5],
            freq_ghz in 0.1f64..50.0,
        ) {
            let mut d = vec![0.0];
            for s in &steps {
                d.push(d[d.len() - 1] + s);
            }
            let h: Vec<f64> = relief[..d.len()].to_vec();
            let zeros = vec![0.0; d.len()];
            let actual = (h[0] + 10.0, h[d.len() - 1] + 5.0);
            let recip = Reciprocals::new(&d, d.len());
            let (a, z) = bullington_pair(&d, &h, &recip, actual, smooth, ap_km, freq_ghz);
            let a1 = bullington_loss_db(&d, &h, actual.0, actual.1, ap_km, freq_ghz);
            let z1 = bullington_loss_db(&d, &zeros, smooth.0, smooth.1, ap_km, freq_ghz);
            proptest::prop_assert_eq!((a.to_bits(), z.to_bits()), (a1.to_bits(), z1.to_bits()));
        }
    }
}
