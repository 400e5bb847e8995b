//! The resampling step of ITM v1.3's terrain irregularity (NTIA
//! `ComputeDeltaH`): `n` heights interpolated linearly at equal spacing
//! between two distances of the profile.
//!
//! NTIA walks a fractional position `x` along the profile: before each sample
//! it subtracts 1 from `x` (and moves the index on) while `x > 0`, then adds
//! the spacing. The subtractions are exact while `x ≥ 1`, so the walk ends
//! after `k = ⌈x⌉` of them at `x − k` with a single rounding, whatever the path
//! there. Once the first sample is taken, `x` lies in `[s − 1, s]` for the
//! spacing `s`, so `k` is `⌈s⌉` or `⌈s⌉ − 1`: one comparison. For spacings
//! above 2 (profiles more than about twice as long as the 245 samples; on a
//! 3 680-point profile NTIA's loop runs about 15 times a sample and its exit
//! is mispredicted) this module takes that step in one subtraction; below, and
//! where the end of the profile could stop the walk, it runs NTIA's loop
//! (whose one or two turns the processor predicts well: measured faster there).
//! The samples are bit-identical to NTIA's.

use super::terrain::at;

/// Fills `out` with NTIA's resampled heights: position `x` (profile index
/// units, fractional part relative to `i + 1`) starting at index `i`,
/// advancing `spacing` per sample.
pub(crate) fn resample(z: &[f64], mut i: i64, mut x: f64, spacing: f64, out: &mut [f64]) {
    let np = z.len() as i64 - 1;
    // ⌈spacing⌉ and ⌈spacing⌉ − 1, as integers and floats (a NaN spacing
    // gives m = 0: NTIA's loop)
    let m = spacing.ceil() as i64;
    let (m_f, below_f) = (m as f64, (m - 1) as f64);
    let one_step = m >= 3;
    // x went through NTIA's walk once and lies in [−1, 0] (or the walk
    // stopped at the profile's end, where `i + m < np` fails)
    let mut settled = false;
    for sj in out.iter_mut() {
        if one_step && settled && i >= 0 && i + m < np {
            // x ∈ [spacing − 1, spacing] > 0: NTIA's walk makes k = ⌈x⌉ ∈
            // {m − 1, m} steps; both results at once, the comparison selects
            let up = x > below_f;
            let (x_up, x_down) = (x - m_f, x - below_f);
            x = if up { x_up } else { x_down };
            i += m - 1 + i64::from(up);
        } else {
            while x > 0.0 && (i + 1) < np {
                x -= 1.0;
                i += 1;
            }
        }
        settled = x >= -1.0;
        // the two heights, read directly while inside the profile
        let pair = usize::try_from(i).ok().and_then(|u| z.get(u..u + 2));
        let (z0, z1) = match pair {
            Some(&[z0, z1]) => (z0, z1),
            _ => (at(z, i), at(z, i + 1)),
        };
        *sj = z1 + (z1 - z0) * x;
        x += spacing;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// NTIA's loop as written.
    fn reference(z: &[f64], mut i: i64, mut x: f64, spacing: f64, out: &mut [f64]) {
        let np = z.len() as i64 - 1;
        for sj in out.iter_mut() {
            while x > 0.0 && (i + 1) < np {
                x -= 1.0;
                i += 1;
            }
            *sj = at(z, i + 1) + (at(z, i + 1) - at(z, i)) * x;
            x += spacing;
        }
    }

    /// The caller's start: `x_start` in profile index units.
    fn start(x_start: f64) -> (i64, f64) {
        let i = x_start as i64;
        (i, x_start - ((i as f64 + 1.0) as f32) as f64)
    }

    proptest! {
        #[test]
        fn bit_identical_to_ntia(
            heights in proptest::collection::vec(-50.0f64..3000.0, 3..400),
            from in 0.0f64..1.0,
            to in 0.0f64..1.0,
            n in 10usize..245,
        ) {
            let np = (heights.len() - 1) as f64;
            let (a, b) = (from.min(to) * np, from.max(to) * np);
            let spacing = (b - a) / (n - 1) as f64;
            prop_assume!(spacing > 0.0);
            let (i, x) = start(a);
            let (mut fast, mut slow) = (vec![0.0; n], vec![0.0; n]);
            resample(&heights, i, x, spacing, &mut fast);
            reference(&heights, i, x, spacing, &mut slow);
            for (f, s) in fast.iter().zip(&slow) {
                prop_assert_eq!(f.to_bits(), s.to_bits());
            }
        }
    }

    #[test]
    fn integer_spacings_and_the_profile_end_match_ntia() {
        let z: Vec<f64> = (0..300).map(|k| ((k * 37) % 101) as f64 * 1.5).collect();
        for spacing in [
            0.5,
            1.0,
            2.0,
            3.0,
            1.0 + 1e-12,
            1.0 + f64::EPSILON,
            2.0 - f64::EPSILON,
            2.0 + 4.0 * f64::EPSILON,
            1.03,
            1.0 / 0.7,
            1.25,
            7.75,
        ] {
            for a in [0.0, 0.3, 1.0, 17.9, 0.1 + 0.2] {
                // some walks run past the end (spacing · n beyond the profile)
                for n in [20, 120, 245] {
                    let (i, x) = start(a);
                    let (mut fast, mut slow) = (vec![0.0; n], vec![0.0; n]);
                    resample(&z, i, x, spacing, &mut fast);
                    reference(&z, i, x, spacing, &mut slow);
                    let same = fast
                        .iter()
                        .zip(&slow)
                        .all(|(f, s)| f.to_bits() == s.to_bits());
                    assert!(same, "spacing {spacing}, start {a}, n {n}");
                }
            }
        }
    }
}
