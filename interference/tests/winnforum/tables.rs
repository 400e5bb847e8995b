//! README §2 of `shared/data/interference`: the WInnForum mask losses and
//! antenna gains, table by table.

use super::*;

// ---------------------------------------------------------------- §2.1–2.2

fn close7(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-7, "{what}: got {got}, want {want}");
}

#[test]
fn fss_mask_loss_table() {
    let rows = [
        ((3630.0, 3631.0), 3650.0, 12.2),
        ((3530.0, 3531.0), 3650.0, 47.875),
        ((3595.0, 3615.0), 3650.0, 26.141445718081236),
        ((3645.0, 3655.0), 3650.0, 1.9174471619169098),
        ((3630.0, 3631.0), 3652.25, 13.55),
        ((3640.0, 3680.0), 3650.0, 3.1633984941918687),
    ];
    for ((lo, hi), c_hi, want) in rows {
        let got = fss_mask_loss((lo * 1e6, hi * 1e6), (3550e6, c_hi * 1e6)).unwrap();
        close7(got, want, &format!("fss mask {lo}-{hi} vs {c_hi}"));
        assert!((got - want).abs() <= 1e-12 * want, "{got} {want}");
    }
    assert!(fss_mask_loss((3680e6, 3690e6), (3550e6, 3650e6)).is_err());
}

#[test]
fn esc_mask_loss_table() {
    let rows = [
        (3645.0, 0.5),
        (3650.0, 2.7723321858267305),
        (3655.0, 7.7723321858267305),
        (3660.0, 12.77233218582673),
        (3675.0, 27.77233218582673),
    ];
    for (lo, want) in rows {
        let got = esc_mask_loss((lo * 1e6, (lo + 5.0) * 1e6)).unwrap();
        assert!((got - want).abs() <= 1e-12 * want, "{lo}: {got} {want}");
    }
}

// ---------------------------------------------------------------- §2.3

#[test]
fn single_grant_fss_checks_reference_model() {
    let fss = parse_fss(&text("fss_ut.json"), "fss_ut.json").unwrap();
    let fss_p = GeoPoint::new(fss.lat_deg, fss.lon_deg);
    let cbsd = direct(fss_p, 0.0, 30_000.0);
    // Cat A outdoor template: 20 dBm/MHz, 6 dBi omni, 6 m.
    let mut g = grants()[0].clone();
    (g.category, g.lat_deg, g.lon_deg, g.height_m) = (Category::A, cbsd.lat_deg, cbsd.lon_deg, 6.0);
    (
        g.max_eirp_dbm_mhz,
        g.antenna_gain_dbi,
        g.antenna_azimuth_deg,
        g.antenna_beamwidth_deg,
    ) = (20.0, 6.0, None, None);
    let model = |g: &Grant, c: &Constraint| Coupling {
        path_loss_db: inverse(
            GeoPoint::new(g.lat_deg, g.lon_deg),
            GeoPoint::new(c.lat_deg, c.lon_deg),
        )
        .dist_m
            / 1000.0
            + 40.0,
        gain_db: standard_antenna_gain(
            180.0,
            g.antenna_azimuth_deg,
            g.antenna_beamwidth_deg,
            g.antenna_gain_dbi,
        ) + 2.8,
    };
    let cases = [
        (
            Entity::FssBlocking,
            (3640e6, 3680e6),
            (3550e6, 3650e6),
            -40.36339849419187,
        ),
        (
            Entity::FssCoChannel,
            (3645e6, 3660e6),
            (3652e6, 3750e6),
            -38.669100130080565,
        ),
    ];
    for (entity, (glo, ghi), (clo, chi), want) in cases {
        (g.low_hz, g.high_hz) = (glo, ghi);
        let c = Constraint {
            lat_deg: fss_p.lat_deg,
            lon_deg: fss_p.lon_deg,
            low_hz: clo,
            high_hz: chi,
            entity,
        };
        let got = interference_dbm(
            &g,
            &c,
            &EirpRule::of(Model::Reference, entity),
            model(&g, &c),
        )
        .unwrap();
        assert!((got - want).abs() < 1e-6, "{entity:?}: {got} vs {want}");
    }
}

// ---------------------------------------------------------------- §2.4–2.7

#[test]
fn standard_antenna_table_exact() {
    for h in [0.0, 90.0, 180.0, 270.0] {
        for bw in [None, Some(0.0), Some(360.0)] {
            assert_eq!(standard_antenna_gain(h, Some(0.0), bw, 5.0), 5.0);
        }
        assert_eq!(standard_antenna_gain(h, None, Some(90.0), 5.0), 5.0);
    }
    let rows = [
        (180.0, 0.0, 120.0, 10.0, -10.0),
        (60.0, 0.0, 120.0, 10.0, 7.0),
        (5.5, 50.5, 90.0, 10.0, 7.0),
        (50.5, 50.5, 90.0, 10.0, 10.0),
        (25.0, 50.0, 100.0, 10.0, 9.25),
        (310.0, 50.0, 100.0, 10.0, -2.0),
    ];
    for (h, az, bw, g0, want) in rows {
        assert_eq!(
            standard_antenna_gain(h, Some(az), Some(bw), g0),
            want,
            "hor {h}"
        );
    }
    let hor = [3.5, 47.3, 342.0];
    let v = standard_antenna_gains(&hor, Some(123.3), Some(90.0), 12.4);
    assert_eq!(v, vec![-7.6, 3.8429629629629627, -7.6]);
    for (h, g) in hor.iter().zip(&v) {
        assert_eq!(standard_antenna_gain(*h, Some(123.3), Some(90.0), 12.4), *g);
    }
}

#[test]
fn radar_gain_table_exact() {
    let rows: [(f64, f64, &[f64], &[f64]); 4] = [
        (0.0, 3.0, &[0.0, 1.49, 358.51], &[0.0, 0.0, 0.0]),
        (0.0, 3.0, &[1.51, 358.49, 90.0, 320.0], &[-25.0; 4]),
        (
            10.0,
            3.0,
            &[5.0, 8.6, 11.4, 20.0],
            &[-25.0, 0.0, 0.0, -25.0],
        ),
        (
            10.0,
            2.0,
            &[5.0, 8.99, 9.01, 10.0, 10.99, 11.01],
            &[-25.0, -25.0, 0.0, 0.0, 0.0, -25.0],
        ),
    ];
    for (az, bw, hor, want) in rows {
        for (h, w) in hor.iter().zip(want) {
            assert_eq!(
                radar_normalized_gain(*h, az, bw),
                *w,
                "az {az} bw {bw} hor {h}"
            );
        }
    }
    assert_eq!(RADAR_BEAMWIDTH_DEG, 3.0);
    assert_eq!(radar_normalized_gain(123.0, 0.0, 360.0), 0.0);
}

#[test]
fn fss_antenna_table() {
    let rows = [
        (20.0, 30.0, 30.0),
        (21.0, 30.0, 30.0),
        (21.4, 30.0, 30.0),
        (21.6, 30.0, 23.8970004),
        (22.9, 30.0, 17.4400501),
        (23.1, 19.7159577, 16.7159577),
        (26.9, 11.0287727, 8.0287727),
        (27.1, 10.7185413, 8.0),
        (29.1, 8.0239652, 8.0),
        (29.3, 7.7879263, 7.7879263),
        (67.0, -9.8024464, -9.8024464),
        (69.0, -10.0, -10.0),
    ];
    let perp = FssAntenna::new(20.0, 0.0, 30.0);
    let tang = FssAntenna {
        w1: 1.0,
        w2: 0.0,
        ..perp
    };
    let vertical = FssAntenna::new(0.0, 20.0, 30.0);
    for (h, p, t) in rows {
        close7(perp.gain(h, 0.0), p, &format!("perpendicular {h}"));
        close7(tang.gain(h, 0.0), t, &format!("tangential {h}"));
        close7(vertical.gain(0.0, h), p, &format!("vertical {h}"));
    }
}

#[test]
fn pattern_gain_table() {
    let p: [f64; 360] = std::array::from_fn(|k| k as f64);
    close7(pattern_gain(40.0, 0.0, &p, 0.0), 40.0, "40");
    close7(pattern_gain(40.5, 0.0, &p, 0.0), 40.5, "40.5");
    close7(pattern_gain(40.2, 20.0, &p, 0.0), 20.2, "40.2");
    for (g0, want) in [(0.0, [350.5, 22.2, 5.0]), (10.0, [360.5, 32.2, 15.0])] {
        for (h, w) in [10.5, 42.2, 25.0].iter().zip(want) {
            close7(pattern_gain(*h, 20.0, &p, g0), w, &format!("{h} G0 {g0}"));
        }
    }
}

// ---------------------------------------------------------------- properties

proptest::proptest! {
    #[test]
    fn channels_are_gridded_and_clipped(lo in 3400.0f64..3800.0, w in 0.1f64..200.0) {
        let ch = protected_channels(lo * 1e6, (lo + w) * 1e6);
        for (a, b) in &ch {
            proptest::prop_assert!(*a >= 3550e6 && *b <= 3700e6);
            proptest::prop_assert_eq!(b - a, 5e6);
            proptest::prop_assert_eq!(a % 5e6, 0.0);
            proptest::prop_assert!(*a < (lo + w) * 1e6);
        }
    }

    #[test]
    fn standard_gain_is_bounded(h in 0.0f64..360.0, az in 0.0f64..360.0, bw in 1.0f64..359.0) {
        let g = standard_antenna_gain(h, Some(az), Some(bw), 10.0);
        proptest::prop_assert!((-10.0..=10.0).contains(&g));
        proptest::prop_assert_eq!(standard_antenna_gains(&[h], Some(az), Some(bw), 10.0), vec![g]);
    }
}
