//! Sections of a path by radio-climatic zone (ITU-R P.452-18 §3.2.1 and
//! Table 4, P.1812-6 §3.6 and eq (1)): the longest continuous land and
//! inland sections (d_tm, d_lm) and the sea fraction ω, each run of points
//! extended by half a step at an end that is not a path end, as the
//! reference implementations do.

use crate::profile::RadioClimaticZone;

/// Length of a run of points, km, extended by half a step at each end that
/// is not a path end (P.452-18 §3.2.1 convention of the reference code).
fn run_length_km(d: &[f64], start: usize, stop: usize) -> f64 {
    let last = d.len() - 1;
    let mut delta = 0.0;
    if d[stop] < d[last] && stop < last {
        delta += (d[stop + 1] - d[stop]) / 2.0;
    }
    if d[start] > 0.0 && start > 0 {
        delta += (d[start] - d[start - 1]) / 2.0;
    }
    d[stop] - d[start] + delta
}

/// The runs of consecutive points where `inside(i)` holds, in one walk with
/// nothing allocated: (the longest run, the sum of all runs), each run's
/// length as [`run_length_km`].
fn run_lengths_km(distances_km: &[f64], inside: impl Fn(usize) -> bool) -> (f64, f64) {
    let n = distances_km.len();
    // -0.0 is the start of `Iterator::sum`, kept so that a path without any
    // such run gives the same bits as before.
    let (mut longest, mut total) = (0.0_f64, -0.0_f64);
    let mut i = 0;
    while i < n {
        if inside(i) {
            let start = i;
            while i + 1 < n && inside(i + 1) {
                i += 1;
            }
            let len = run_length_km(distances_km, start, i);
            longest = longest.max(len);
            total += len;
        }
        i += 1;
    }
    (longest, total)
}

/// The section lengths both models take from the radio-climatic zones of a
/// profile (P.452-18 §3.2.1 and Table 4, P.1812-6 §3.6 and eq (1)), km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ZoneSections {
    /// d_tm: the longest continuous land (coastal or inland) section.
    pub(crate) dtm_km: f64,
    /// d_lm: the longest continuous inland section.
    pub(crate) dlm_km: f64,
    /// The total length of the sea sections (ω × path length).
    pub(crate) sea_km: f64,
}

/// [`ZoneSections`] of the profile with distances `distances_km` and zones
/// `zones` (`None`: inland everywhere), in one walk over the runs of equal
/// zones; the same values as [`run_lengths_km`] on each zone test.
pub(crate) fn zone_sections(
    distances_km: &[f64],
    zones: Option<&[RadioClimaticZone]>,
) -> ZoneSections {
    use RadioClimaticZone::{Inland, Sea};
    let n = distances_km.len();
    let Some(zones) = zones.filter(|z| z.len() >= n && n > 0) else {
        // One inland run over the whole path.
        let whole = if n == 0 {
            0.0
        } else {
            run_length_km(distances_km, 0, n - 1)
        };
        return ZoneSections {
            dtm_km: whole.max(0.0),
            dlm_km: whole.max(0.0),
            sea_km: -0.0,
        };
    };
    /// The maximal runs of the points passing one zone test.
    struct Runs {
        open: Option<usize>,
        longest: f64,
        total: f64,
    }
    impl Runs {
        fn step(&mut self, d: &[f64], start: usize, inside: bool) {
            match (self.open, inside) {
                (None, true) => self.open = Some(start),
                (Some(first), false) => {
                    self.close(d, first, start - 1);
                    self.open = None;
                }
                _ => {}
            }
        }
        fn close(&mut self, d: &[f64], first: usize, last: usize) {
            let len = run_length_km(d, first, last);
            self.longest = self.longest.max(len);
            self.total += len;
        }
    }
    let fresh = || Runs {
        open: None,
        longest: 0.0,
        total: -0.0,
    };
    let (mut land, mut inland, mut sea) = (fresh(), fresh(), fresh());
    let zones = &zones[..n];
    let mut start = 0;
    while start < n {
        let z = zones[start];
        land.step(distances_km, start, z != Sea);
        inland.step(distances_km, start, z == Inland);
        sea.step(distances_km, start, z == Sea);
        start = run_end(zones, start);
    }
    for runs in [&mut land, &mut inland, &mut sea] {
        if let Some(first) = runs.open {
            runs.close(distances_km, first, n - 1);
        }
    }
    ZoneSections {
        dtm_km: land.longest,
        dlm_km: inland.longest,
        sea_km: sea.total,
    }
}

/// The index after the run of zones equal to `zones[start]`, comparing 32
/// zones at a time (a profile has a few long runs).
fn run_end(zones: &[RadioClimaticZone], start: usize) -> usize {
    let z = zones[start];
    let mut end = start;
    for block in zones[start..].chunks_exact(32) {
        if !block.iter().fold(true, |same, b| same & (*b == z)) {
            break;
        }
        end += 32;
    }
    end + zones[end..].iter().take_while(|&&b| b == z).count()
}

/// Longest continuous section, km, of the points where `mask` is true
/// (d_tm for land, d_lm for inland; P.452-18 §3.2.1, P.1812-6 §3.6).
pub fn longest_section_km(distances_km: &[f64], mask: &[bool]) -> f64 {
    let n = distances_km.len().min(mask.len());
    run_lengths_km(&distances_km[..n], |i| mask[i]).0
}

/// Fraction of the path length where `mask` is true (ω for sea,
/// P.452-18 Table 4, P.1812-6 eq (1)).
pub fn path_fraction(distances_km: &[f64], mask: &[bool]) -> f64 {
    let m = distances_km.len().min(mask.len());
    let total = run_lengths_km(&distances_km[..m], |i| mask[i]).1;
    let n = distances_km.len();
    total / (distances_km[n - 1] - distances_km[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_fractions_extend_by_half_steps() {
        let d = [0.0, 1.0, 2.0, 3.0, 4.0];
        let sea = [false, false, true, true, false];
        // Points 2..3 plus half a step at each side.
        assert_eq!(longest_section_km(&d, &sea), 2.0);
        assert_eq!(path_fraction(&d, &sea), 0.5);
        let land = [true, true, false, false, true];
        assert_eq!(longest_section_km(&d, &land), 1.5);
        assert_eq!(path_fraction(&d, &[false; 5]), 0.0);
    }

    proptest::proptest! {
        /// The one walk over the runs of equal zones gives the bits of
        /// one walk over the points per zone test.
        #[test]
        fn zone_sections_are_the_walks_per_zone_test(
            runs in proptest::collection::vec((0u8..3, 1usize..70), 1..6),
            steps in proptest::collection::vec(0.0f64..2.0, 350),
        ) {
            use RadioClimaticZone::{CoastalLand, Inland, Sea};
            // Runs long enough for the blocks of 32 zones, and short ones.
            let mut zones: Vec<_> = runs
                .iter()
                .flat_map(|&(z, len)| vec![[CoastalLand, Inland, Sea][z as usize]; len])
                .collect();
            if zones.len() < 2 {
                zones.push(Sea);
            }
            let mut d = vec![0.0];
            for s in &steps[..zones.len() - 1] {
                d.push(d[d.len() - 1] + s);
            }
            let got = zone_sections(&d, Some(&zones));
            let walk = |test: &dyn Fn(RadioClimaticZone) -> bool| run_lengths_km(&d, |i| test(zones[i]));
            proptest::prop_assert_eq!(got.dtm_km.to_bits(), walk(&|z| z != Sea).0.to_bits());
            proptest::prop_assert_eq!(got.dlm_km.to_bits(), walk(&|z| z == Inland).0.to_bits());
            proptest::prop_assert_eq!(got.sea_km.to_bits(), walk(&|z| z == Sea).1.to_bits());
            let inland = zone_sections(&d, None);
            let all = run_lengths_km(&d, |_| true);
            proptest::prop_assert_eq!((inland.dtm_km, inland.dlm_km), (all.0, all.0));
            proptest::prop_assert_eq!(inland.sea_km.to_bits(), (-0.0f64).to_bits());
        }
    }
}
