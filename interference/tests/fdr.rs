//! Tests of `mask` and `fdr` against the closed forms of
//! `/work/shared/data/interference/README.md` §3 (ITU-R SM.337 Annex 1).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use interference::InterferenceError;
use interference::fdr::{coupled_fraction, coupled_power_db, fdr_db, ofr_db, otr_db};
use interference::mask::{Mask, MaskLibrary, Shape};
use proptest::prelude::*;

fn rect(b: f64) -> Shape {
    Shape::rectangular(b)
}

fn rel_close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(f64::MIN_POSITIVE)
}

/// The README's W(Δf) for rectangular spectra.
fn overlap(bt: f64, br: f64, df: f64) -> f64 {
    let d = df.abs();
    ((bt / 2.0).min(d + br / 2.0) - (-bt / 2.0).max(d - br / 2.0)).max(0.0)
}

#[test]
fn rectangular_table_rows() {
    let (tx, rx) = (rect(16e3), rect(12.5e3));
    let v = fdr_db(&tx, &rx, 0.0);
    assert!(rel_close(v, 1.0720996964786838, 1e-12), "{v}");
    for df in [10e3, -10e3] {
        let v = fdr_db(&tx, &rx, df);
        assert!(rel_close(v, 5.757310526056132, 1e-12), "{v}");
    }
    for df in [14.25e3, -14.25e3, 14.26e3, 20e3, 1e9, f64::INFINITY] {
        assert_eq!(fdr_db(&tx, &rx, df), f64::INFINITY, "{df}");
    }
    // Just inside the boundary (B_T + B_R)/2 there is still coupling.
    assert!(fdr_db(&tx, &rx, 14.25e3 - 1.0).is_finite());
    assert!(fdr_db(&tx, &rx, f64::NAN).is_nan());
    // B_R ≥ B_T: no on-tune rejection.
    assert_eq!(otr_db(&rect(12.5e3), &rect(16e3)), 0.0);
}

#[test]
fn rectangular_partial_overlap() {
    for &(bt, br) in &[(16e3, 12.5e3), (5e6, 20e6), (1.0, 3.0), (7.3e3, 7.3e3)] {
        for k in 0..40 {
            let df = (k as f64 / 40.0 - 0.5) * (bt + br) * 1.1;
            let w = overlap(bt, br, df);
            let v = fdr_db(&rect(bt), &rect(br), df);
            if w > 0.0 {
                let expected = 10.0 * (bt / w).log10();
                let tol = 1e-12 * expected.abs().max(1e-3);
                assert!(
                    (v - expected).abs() <= tol,
                    "{bt} {br} {df}: {v} vs {expected}"
                );
            } else {
                assert_eq!(v, f64::INFINITY);
            }
        }
    }
}

#[test]
fn gaussian_closed_forms() {
    let g = |s: f64| Shape::Gaussian { sigma_hz: s };
    let s = 2.5e3;
    assert!((fdr_db(&g(s), &g(s), 0.0) - 1.505149978319906).abs() < 1e-9);
    assert!((fdr_db(&g(s), &g(s), 2.0 * s) - 5.848094797352425).abs() < 1e-9);
    assert!((fdr_db(&g(s), &g(s), -2.0 * s) - 5.848094797352425).abs() < 1e-9);
    assert!((fdr_db(&g(1.5), &g(0.7), 1.3) - 5.077111235887283).abs() < 1e-9);
    assert!((otr_db(&g(s), &g(s)) - 1.505149978319906).abs() < 1e-9);
    assert!((ofr_db(&g(s), &g(s), 2.0 * s) - 4.342944819032518).abs() < 1e-9);
}

/// Gaussian against a rectangular mask: `∫_{−a}^{a} N(0, σ)` = erf(a/(σ√2)).
#[test]
fn gaussian_against_mask_quadrature() {
    let erf_1_over_sqrt2 = 0.682_689_492_137_085_9_f64; // erf(1/√2), one σ
    let sigma = 3e3;
    let g = Shape::Gaussian { sigma_hz: sigma };
    let r = rect(2.0 * sigma);
    let expected = -10.0 * erf_1_over_sqrt2.log10();
    // Gaussian transmitter into a rectangular receiver, and the reverse: the
    // rectangle's total power is 2σ, the coupled integral σ√(2π)·erf(1/√2).
    let v = fdr_db(&g, &r, 0.0);
    assert!((v - expected).abs() < 1e-10, "{v} vs {expected}");
    let reverse = 10.0
        * ((2.0 * sigma) / (sigma * (2.0 * std::f64::consts::PI).sqrt() * erf_1_over_sqrt2))
            .log10();
    let v = fdr_db(&r, &g, 0.0);
    assert!((v - reverse).abs() < 1e-10, "{v} vs {reverse}");
    // Shifting by +σ or −σ gives the same for symmetric shapes; far away
    // there is still a (tiny) coupling for a Gaussian, then none at all.
    let a = fdr_db(&g, &r, sigma);
    let b = fdr_db(&g, &r, -sigma);
    assert!((a - b).abs() < 1e-10);
    assert!(fdr_db(&g, &r, 10.0 * sigma).is_finite());
    assert_eq!(fdr_db(&g, &r, 100.0 * sigma), f64::INFINITY);
    // A wide receiver takes everything.
    assert!(fdr_db(&g, &rect(40.0 * sigma), 0.0).abs() < 1e-12);
}

/// Narrow transmitter at Δf = f_tx − f_rx sees the receiver level at +Δf.
#[test]
fn asymmetric_mask_pins_sign_convention() {
    let rx = Mask::from_points(vec![
        (-20e3, -30.0),
        (-10e3, -30.0),
        (-5e3, 0.0),
        (5e3, 0.0),
        (10e3, -10.0),
        (20e3, -10.0),
    ])
    .unwrap();
    let rx = Shape::Mask(rx);
    let tx = rect(100.0);
    // Transmitter 15 kHz above the receiver: receiver level at +15 kHz is −10 dB.
    assert!((fdr_db(&tx, &rx, 15e3) - 10.0).abs() < 1e-9);
    assert!((fdr_db(&tx, &rx, -15e3) - 30.0).abs() < 1e-9);
    // An asymmetric emission: the part below the carrier is stronger; a
    // narrow receiver 15 kHz below the transmitter (Δf = +15 kHz) sees the
    // emission at offset −15 kHz.
    let tx = Shape::Mask(
        Mask::from_points(vec![
            (-20e3, -20.0),
            (-1e3, -20.0),
            (0.0, 0.0),
            (1e3, -40.0),
            (20e3, -40.0),
        ])
        .unwrap(),
    );
    let rxn = rect(100.0);
    let c_plus = coupled_power_db(&tx, &rxn, 15e3);
    let c_minus = coupled_power_db(&tx, &rxn, -15e3);
    assert!((c_plus - c_minus - 20.0).abs() < 1e-9, "{c_plus} {c_minus}");
}

#[test]
fn symmetric_masks_symmetric_fdr_and_nonnegative_ofr() {
    let lib = MaskLibrary::builtin().unwrap();
    let pairs = [
        ("lte-10mhz", "lte-10mhz-rx"),
        ("nr-100mhz", "lte-20mhz-rx"),
        ("pmr-12k5-fm", "pmr-12k5-rx"),
    ];
    for (t, r) in pairs {
        let tx = Shape::Mask(lib.get(t).unwrap().clone());
        let rx = Shape::Mask(lib.get(r).unwrap().clone());
        let span = tx_support(&tx) + tx_support(&rx);
        for k in 0..50 {
            let df = span * k as f64 / 50.0;
            let (a, b) = (fdr_db(&tx, &rx, df), fdr_db(&tx, &rx, -df));
            assert!(
                a == b || (a - b).abs() <= 1e-9 * a.abs(),
                "{t} {r} {df}: {a} {b}"
            );
            assert!(ofr_db(&tx, &rx, df) >= -1e-12, "{t} {r} {df}");
        }
    }
}

fn tx_support(s: &Shape) -> f64 {
    match s {
        Shape::Mask(m) => m.support().map_or(0.0, |(a, b)| b - a),
        Shape::Gaussian { sigma_hz } => 40.0 * sigma_hz,
    }
}

#[test]
fn adjacent_channel_rejection_of_lte_masks() {
    let lib = MaskLibrary::builtin().unwrap();
    let tx = Shape::Mask(lib.get("lte-10mhz").unwrap().clone());
    // ACLR as defined by 3GPP: in-channel over adjacent-channel power, both
    // measured over the 9 MHz transmission bandwidth: exactly 45 dB here.
    let meas = rect(9e6);
    let aclr = fdr_db(&tx, &meas, 10e6) - fdr_db(&tx, &meas, 0.0);
    assert!((aclr - 45.0).abs() < 1e-9, "{aclr}");
    let aclr2 = fdr_db(&tx, &meas, 20e6) - fdr_db(&tx, &meas, 0.0);
    assert!((aclr2 - 45.0).abs() < 1e-9, "{aclr2}");
    let pmr = Shape::Mask(lib.get("pmr-12k5-fm").unwrap().clone());
    let acp = coupled_power_db(&pmr, &rect(8.5e3), 12.5e3);
    assert!(acp <= -60.0, "{acp}");
}

#[test]
fn shipped_library_parses_and_self_coupling_is_finite() {
    let lib = MaskLibrary::builtin().unwrap();
    assert!(lib.names().len() >= 10);
    for name in lib.names() {
        let entry = lib.entry(name).unwrap();
        assert!(!entry.reference.is_empty(), "{name}");
        let s = Shape::Mask(entry.mask.clone());
        let v = fdr_db(&s, &s, 0.0);
        assert!(v.is_finite() && v >= 0.0, "{name}: {v}");
        assert!((coupled_fraction(&s, &s, 0.0) - 10f64.powf(-v / 10.0)).abs() < 1e-12);
    }
}

/// The WInnForum FSS blocking mask (§2.1): 0.6 dB/MHz from the constraint top
/// plus 0.5 dB insertion loss, averaged in linear power over 1 MHz bins. The
/// exact continuous integral over a bin of a mask with slope s dB/MHz is the
/// bin-centre value times sinh(x)/x, x = ln(10)/10 · s/2, so on the
/// single-slope part the two differ by exactly 10·log10(sinh(x)/x) (0.0035 dB).
#[test]
fn winnforum_fss_mask_loss_continuous_vs_binned() {
    // Offsets in Hz from the constraint top c_hi = 3650 MHz.
    let fss = Mask::from_points(vec![(-50e6, -(50.0 * 0.6 + 0.5)), (0.0, -0.5)]).unwrap();
    let rx = Shape::Mask(fss);
    let x = std::f64::consts::LN_10 / 10.0 * 0.3;
    let curvature = 10.0 * (x.sinh() / x).log10();
    // Grant 3630–3631 MHz: centre 19.5 MHz below c_hi; binned loss 12.2 dB.
    let loss = fdr_db(&rect(1e6), &rx, -19.5e6);
    assert!((loss - (12.2 - curvature)).abs() < 1e-9, "{loss}");
    // Grant 3645–3655 MHz: only 3645–3650 couples (5 bins); 1.9174471619169098.
    // Here the FDR's numerator is the whole 10 MHz grant; the WInnForum loss
    // is relative to the 5 MHz below c_hi, i.e. 10·log10(2) less.
    let loss = fdr_db(&rect(10e6), &rx, 0.0) - 10.0 * 2f64.log10();
    assert!(
        (loss - (1.9174471619169098 - curvature)).abs() < 1e-9,
        "{loss}"
    );
}

#[test]
fn bad_library_files_give_line_and_field() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "[[mask]]\nname = \"a\"\nkind = \"emission\"\npoints_hz = [[0.0, 0.0],\n  [0.0, -3.0]]\n",
            5,
            "mask[0].points_hz[1]",
        ),
        (
            "[[mask]]\nname = \"a\"\nkind = \"transmitter\"\npoints_hz = [[0.0, 0.0], [1.0, 0.0]]\n",
            3,
            "mask[0].kind",
        ),
        (
            "[[mask]]\nname = \"a\"\nkind = \"emission\"\npoints_hz = [[0.0, 0.0], [1.0, 0.0]]\n[[mask]]\nname = \"a\"\nkind = \"receiver\"\npoints_khz = [[0.0, 0.0], [1.0, 0.0]]\n",
            6,
            "mask[1].name",
        ),
        (
            "[[mask]]\nname = \"a\"\nkind = \"emission\"\n",
            2,
            "mask[0].points",
        ),
        (
            "[[mask]]\nname = \"a\"\nkind = \"emission\"\npoints_hz = [[0.0, 0.0], [1.0, 0.0]]\npoints_mhz = [[0.0, 0.0], [1.0, 0.0]]\n",
            2,
            "mask[0].points",
        ),
        (
            "[[mask]]\nname = \"a\"\nkind = \"emission\"\npoints_hz = [[0.0, 3.0], [1.0, 0.0]]\n",
            4,
            "mask[0].points_hz[0]",
        ),
        (
            "[[mask]]\nname = \"a\"\nkind = \"emission\"\nsymmetric = true\npoints_hz = [[-1.0, 0.0], [1.0, 0.0]]\n",
            5,
            "mask[0].points_hz",
        ),
        (
            "[[mask]]\nname = \"a\"\nkind = \"emission\"\npoints_hz = [[0.0, 0.0]]\n",
            4,
            "mask[0].points_hz",
        ),
        (
            "[[mask]]\nname = \"a\"\nkind = \"emission\"\ncolour = 1\npoints_hz = [[0.0, 0.0], [1.0, 0.0]]\n",
            4,
            "colour",
        ),
        (
            "[[mask]]\nkind = \"emission\"\npoints_hz = [[0.0, 0.0], [1.0, 0.0]]\n",
            0,
            "name",
        ),
        (
            "[[mask]]\nname = \"a\"\nkind = \"emission\"\npoints_hz = [[0.0, \"x\"], [1.0, 0.0]]\n",
            4,
            "",
        ),
    ];
    for (text, line, field) in cases {
        let err = MaskLibrary::parse(text, "bad.toml").unwrap_err();
        match err {
            InterferenceError::Input {
                file,
                line: l,
                field: f,
                ..
            } => {
                assert_eq!(file, "bad.toml");
                if *line > 0 {
                    assert_eq!(l, *line, "{text}: {f}");
                } else {
                    assert!(l >= 1, "{text}");
                }
                assert!(f.contains(field), "{text}: {f}");
            }
            other => panic!("{text}: {other}"),
        }
    }
    let err = MaskLibrary::load("/nonexistent/masks.toml".as_ref()).unwrap_err();
    assert!(matches!(err, InterferenceError::Io { .. }));
}

#[test]
fn mask_constructors() {
    let m = Mask::symmetric(vec![(0.0, 0.0), (1.0, -3.0)]).unwrap();
    assert_eq!(m.points(), &[(-1.0, -3.0), (0.0, 0.0), (1.0, -3.0)]);
    assert!(Mask::from_points(vec![(0.0, f64::NAN), (1.0, 0.0)]).is_err());
    assert!(Mask::from_points(vec![(0.0, 1e-12), (1.0, 0.0)]).is_ok());
    assert!(Mask::rectangular(f64::NAN).is_empty());
    let e = Shape::Mask(Mask::empty());
    assert_eq!(fdr_db(&e, &rect(1.0), 0.0), f64::INFINITY);
    assert_eq!(
        fdr_db(&rect(1.0), &Shape::Gaussian { sigma_hz: 0.0 }, 0.0),
        f64::INFINITY
    );
    assert!(Mask::rectangular(1.0).scaled(-1.0).is_err());
}

/// Random mask: `n` increasing offsets in Hz, levels in [−60, 0] dB.
fn arb_mask() -> impl Strategy<Value = Mask> {
    (2usize..8, -5e3f64..5e3).prop_flat_map(|(n, start)| {
        (
            proptest::collection::vec(1.0f64..3e3, n - 1),
            proptest::collection::vec(-60.0f64..0.0, n),
        )
            .prop_map(move |(gaps, levels)| {
                let mut x = start;
                let mut offsets = vec![x];
                for g in gaps {
                    x += g;
                    offsets.push(x);
                }
                Mask::from_points(offsets.into_iter().zip(levels).collect()).unwrap()
            })
    })
}

/// Composite Simpson (2000 panels) on every piece between the breakpoints.
fn numeric_coupled(tx: &Mask, rx: &Mask, df: f64) -> f64 {
    let mut cuts: Vec<f64> = tx.points().iter().map(|p| p.0).collect();
    cuts.extend(rx.points().iter().map(|p| p.0 - df));
    cuts.sort_by(f64::total_cmp);
    let f = |x: f64| tx.linear(x) * rx.linear(x + df);
    let mut total = 0.0;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b <= a {
            continue;
        }
        let n = 2000;
        let h = (b - a) / n as f64;
        // Nudge the ends inward so that the pieces' own values are used: by
        // more than the rounding of `x + df` (a few ulps of the largest
        // magnitude involved; 1e-9·h alone is below one ulp on narrow pieces
        // far from zero), and by less than half the piece.
        let ulps = 8.0 * f64::EPSILON * (a.abs().max(b.abs()) + df.abs());
        let nudge = (1e-9 * h + ulps).min(0.25 * (b - a));
        let g = |x: f64| f(x.clamp(a + nudge, b - nudge));
        let mut s = g(a) + g(b);
        for i in 1..n {
            s += g(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        total += s * h / 3.0;
    }
    total
}

/// The case that found the quadrature's nudge too small: a 1 Hz flat mask
/// 4.5 kHz from zero, cut two thirds of the way by the receiver's edge.
#[test]
fn quadrature_keeps_narrow_pieces_far_from_zero() {
    let tx = Mask::from_points(vec![(-4492.739597139583, 0.0), (-4491.739597139583, 0.0)]).unwrap();
    let rx = Mask::from_points(vec![
        (-3360.0497579638673, 0.0),
        (-1548.845613090532, 0.0),
        (-882.3903080492964, 0.0),
    ])
    .unwrap();
    let df = 3609.683478282967;
    let overlap = (-882.3903080492964 - df) - -4492.739597139583;
    let coupled = numeric_coupled(&tx, &rx, df);
    let total = numeric_coupled(&tx, &Mask::rectangular(1e9), 0.0);
    assert!(
        rel_close(coupled / total, overlap, 1e-9),
        "{} vs {overlap}",
        coupled / total
    );
    let exact_fdr = fdr_db(&Shape::Mask(tx), &Shape::Mask(rx), df);
    assert!(
        rel_close(10f64.powf(-exact_fdr / 10.0), overlap, 1e-9),
        "{exact_fdr}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn exact_integral_matches_quadrature(tx in arb_mask(), rx in arb_mask(), df in -8e3f64..8e3) {
        let exact_fdr = fdr_db(&Shape::Mask(tx.clone()), &Shape::Mask(rx.clone()), df);
        let coupled = numeric_coupled(&tx, &rx, df);
        let total = numeric_coupled(&tx, &Mask::rectangular(1e9), 0.0);
        prop_assert!(rel_close(tx.total_power(), total, 1e-6));
        if coupled > 0.0 {
            let numeric_fdr = 10.0 * (total / coupled).log10();
            let exact_lin = 10f64.powf(-exact_fdr / 10.0);
            prop_assert!(rel_close(exact_lin, coupled / total, 1e-6),
                "{} vs {}", exact_fdr, numeric_fdr);
        } else {
            prop_assert_eq!(exact_fdr, f64::INFINITY);
        }
    }

    #[test]
    fn rectangular_fdr_nondecreasing_in_abs_df(bt in 1.0f64..1e6, br in 1.0f64..1e6,
                                                d1 in 0.0f64..2e6, d2 in 0.0f64..2e6,
                                                s1 in any::<bool>(), s2 in any::<bool>()) {
        let (lo, hi) = if d1 <= d2 { (d1, d2) } else { (d2, d1) };
        let lo = if s1 { lo } else { -lo };
        let hi = if s2 { hi } else { -hi };
        let a = fdr_db(&rect(bt), &rect(br), lo);
        let b = fdr_db(&rect(bt), &rect(br), hi);
        prop_assert!(a == b || b >= a - 1e-12 * a.abs(), "{} {}", a, b);
    }
}
