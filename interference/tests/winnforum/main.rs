//! The WInnForum SAS reference-model test vectors (README §1–§2 of
//! `shared/data/interference`): the aggregate-interference unit test with the
//! fake model, the calculation sheet, channelisation, gridding, mask losses
//! and antenna gains.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use interference::cbrs::*;
use spectrum_core::geodesy::{GeoPoint, direct, inverse};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/interference/winnforum/"
);

fn text(name: &str) -> String {
    read_text(std::path::Path::new(&format!("{DATA}{name}"))).unwrap()
}

fn grants() -> Vec<Grant> {
    let mut g = parse_cbsd(&text("cbsd_uut_ut.json"), "cbsd_uut_ut.json")
        .unwrap()
        .to_grants();
    g.extend(
        parse_cbsd(&text("cbsd_th1_ut.json"), "cbsd_th1_ut.json")
            .unwrap()
            .to_grants(),
    );
    g
}

/// The fake model of README §1.2.
fn fake(g: &Grant, c: &Constraint) -> Coupling {
    Coupling {
        path_loss_db: 1.0 * ((c.lat_deg - g.lat_deg).abs() + (c.lon_deg - g.lon_deg).abs()) + 50.0,
        gain_db: 10.0,
    }
}

const REL: f64 = 1e-12;

fn assert_rel(got: f64, want: f64, what: &str) {
    let rel = ((got - want) / want).abs();
    assert!(
        rel <= REL,
        "{what}: got {got:?}, want {want:?}, rel {rel:e}"
    );
}

/// Checks a channel vector: listed indexes within REL, all others exactly 0.
fn assert_channels(got: &[f64], want: &[(usize, f64)], what: &str) {
    for (k, v) in got.iter().enumerate() {
        match want.iter().find(|(i, _)| *i == k) {
            Some(&(_, w)) => assert_rel(*v, w, &format!("{what} channel {k}")),
            None => assert_eq!(*v, 0.0, "{what} channel {k} must be exactly 0"),
        }
    }
}

const P1: (f64, f64) = (34.40888888888889, -100.57222222222222);
const P2: (f64, f64) = (34.40944444444444, -100.57277777777779);
const P3: (f64, f64) = (34.40944444444444, -100.57222222222222);
const PPA_MW: [f64; 3] = [2.5022498449008137, 2.5022498449008053, 2.50256995666338];

fn mhz(v: &[(f64, f64)]) -> Vec<(f64, f64)> {
    v.iter().map(|&(a, b)| (a / 1e6, b / 1e6)).collect()
}

// ---------------------------------------------------------------- §1.4

#[test]
fn channelisation_upstream_examples() {
    let c = |a: f64, b: f64| protected_channels(a * 1e6, b * 1e6);
    let three = vec![(3660e6, 3665e6), (3665e6, 3670e6), (3670e6, 3675e6)];
    assert_eq!(c(3660.0, 3675.0), three);
    assert_eq!(c(3662.0, 3671.0), three);
    assert_eq!(c(3540.0, 3555.0), vec![(3550e6, 3555e6)]);
    assert_eq!(c(3692.0, 3722.0), vec![(3690e6, 3695e6), (3695e6, 3700e6)]);
}

#[test]
fn channels_per_entity() {
    let fss = parse_fss(&text("fss_ut.json"), "fss_ut.json").unwrap();
    let co = fss_co_channel_channels(&fss).unwrap();
    assert_eq!(co.len(), 20);
    assert_eq!((co[0].0, co[19].1), (3600e6, 3700e6));
    assert_eq!(fss_blocking_channels(&fss).unwrap(), vec![(3550e6, 3600e6)]);
    let esc = esc_channels();
    assert_eq!(esc.len(), 26);
    assert_eq!((esc[0].0, esc[25].1), (3550e6, 3680e6));
    let pal = parse_pal(&text("pal_ut.json"), "pal_ut.json").unwrap();
    assert_eq!(
        mhz(&protected_channels(pal.low_hz, pal.high_hz)),
        vec![(3650.0, 3655.0), (3655.0, 3660.0)]
    );
    let gw = parse_gwpz(&text("gwpz_ut.json"), "gwpz_ut.json").unwrap();
    assert_eq!(protected_channels(gw.low_hz, gw.high_hz).len(), 5);
}

#[test]
fn overlap_is_strict() {
    assert!(overlaps((3560e6, 3570e6), (3565e6, 3570e6)));
    assert!(!overlaps((3560e6, 3570e6), (3570e6, 3575e6)));
    assert!(!overlaps((3560e6, 3570e6), (3555e6, 3560e6)));
    assert!(overlaps((3560e6, 3570e6), (3550e6, 3600e6)));
}

// ---------------------------------------------------------------- §1.3

#[test]
fn neighbourhood_distances_and_geodesic_check() {
    use Category::{A, B};
    let table = [
        (Entity::Gwpz, 40.0, 40.0),
        (Entity::Ppa, 40.0, 40.0),
        (Entity::FssCoChannel, 150.0, 150.0),
        (Entity::FssBlocking, 40.0, 40.0),
        (Entity::Esc, 40.0, 80.0),
    ];
    let p = GeoPoint::new(34.4116, -100.57114);
    for (e, a, b) in table {
        assert_eq!(e.neighbourhood_km(A), a, "{e:?} A");
        assert_eq!(e.neighbourhood_km(B), b, "{e:?} B");
        for (cat, km) in [(A, a), (B, b)] {
            let inside = direct(p, 37.0, km * 1000.0 - 0.01);
            let outside = direct(p, 37.0, km * 1000.0 + 0.01);
            assert!(e.in_neighbourhood(cat, inside, p), "{e:?} {cat:?} inside");
            assert!(
                !e.in_neighbourhood(cat, outside, p),
                "{e:?} {cat:?} outside"
            );
        }
    }
    // Every CBSD–point distance of the unit test is below 0.6 km.
    for g in grants() {
        let d = inverse(GeoPoint::new(g.lat_deg, g.lon_deg), p).dist_m;
        assert!(d < 600.0);
    }
}

// ---------------------------------------------------------------- §1.5

#[test]
fn gridding_of_the_triangle_is_exact() {
    let ppa = parse_ppa(&text("ppa_ut.json"), "ppa_ut.json").unwrap();
    let gw = parse_gwpz(&text("gwpz_ut.json"), "gwpz_ut.json").unwrap();
    assert_eq!(ppa.zone, gw.zone);
    let mut pts = grid_polygon(&ppa.zone, 2.0);
    pts.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut want = vec![P1, P2, P3];
    want.sort_by(|a, b| a.partial_cmp(b).unwrap());
    // Bitwise equality of the f64 coordinates.
    assert_eq!(pts, want);
    let res = 2.0 / 3600.0;
    assert_eq!(
        P1,
        (
            34.40833333333333 + 1.0 * res,
            -100.57333333333334 + 2.0 * res
        )
    );
    // A point exactly on the boundary counts (buffer 1e-8°).
    let ring = vec![
        (0.0, 0.0),
        (2.0 * res, 0.0),
        (2.0 * res, 2.0 * res),
        (0.0, 2.0 * res),
        (0.0, 0.0),
    ];
    let sq = geo::Polygon::new(geo::LineString::from(ring), vec![]);
    assert_eq!(grid_polygon(&sq, 2.0).len(), 9);
}

// ---------------------------------------------------------------- §1.1

#[test]
fn records_parse() {
    let c = parse_cbsd(&text("cbsd_uut_ut.json"), "cbsd_uut_ut.json").unwrap();
    assert_eq!(c.id, "device_1_id");
    assert_eq!(c.category, Category::B);
    assert_eq!(
        (c.lat_deg, c.lon_deg, c.height_m, c.antenna_gain_dbi),
        (34.41117, -100.56811, 75.0, 0.0)
    );
    assert_eq!(
        (c.antenna_azimuth_deg, c.antenna_beamwidth_deg),
        (Some(170.0), Some(60.0))
    );
    assert_eq!(c.grants, vec![(37.0, 3650e6, 3660e6)]);
    let g = grants();
    assert_eq!(g.len(), 2);
    assert_eq!(
        (
            g[1].cbsd_id.as_str(),
            g[1].lat_deg,
            g[1].lon_deg,
            g[1].low_hz
        ),
        ("device_2_id", 34.40929, -100.57266, 3560e6)
    );
    let f = parse_fss(&text("fss_ut.json"), "fss_ut.json").unwrap();
    assert_eq!(
        (
            f.lat_deg,
            f.lon_deg,
            f.height_m,
            f.antenna_azimuth_deg,
            f.antenna_downtilt_deg
        ),
        (34.4116, -100.57114, 26.5, 270.0, 5.0)
    );
    assert_eq!((f.low_hz, f.high_hz, f.ttc), (3600e6, 4200e6, true));
    let e = parse_esc(&text("esc_ut.json"), "esc_ut.json").unwrap();
    assert_eq!(
        (e.lat_deg, e.lon_deg, e.height_m),
        (34.41029, -100.56683, 26.5)
    );
    let p = parse_ppa(&text("ppa_ut.json"), "ppa_ut.json").unwrap();
    assert_eq!(p.pal_ids, vec!["pal_111".to_string()]);
    assert_eq!(
        p.cluster,
        vec!["cbsd/fccId6/0f47fabe5aae48fabde5fa9f7af0a9807f9ce79d".to_string()]
    );
    assert_eq!(p.zone.exterior().0.len(), 4);
    let pal = parse_pal(&text("pal_ut.json"), "pal_ut.json").unwrap();
    assert_eq!(
        (pal.pal_id.as_str(), pal.low_hz, pal.high_hz),
        ("pal_111", 3650e6, 3660e6)
    );
    let gw = parse_gwpz(&text("gwpz_ut.json"), "gwpz_ut.json").unwrap();
    assert_eq!(
        (gw.low_hz, gw.high_hz, gw.land_category.as_deref()),
        (3650e6, 3675e6, Some("RURAL"))
    );
}

#[test]
fn record_errors_name_file_and_field() {
    let mut v: serde_json::Value = serde_json::from_str(&text("cbsd_uut_ut.json")).unwrap();
    v["registration"]["installationParam"]["latitude"] = serde_json::json!("north");
    let err = parse_cbsd(&v.to_string(), "cbsd_uut_ut.json").unwrap_err();
    match &err {
        interference::InterferenceError::Input { file, field, .. } => {
            assert_eq!(file, "cbsd_uut_ut.json");
            assert_eq!(field, "registration.installationParam.latitude");
        }
        other => panic!("unexpected {other:?}"),
    }
    let mut v: serde_json::Value = serde_json::from_str(&text("fss_ut.json")).unwrap();
    v["record"]["deploymentParam"][0]["operationParam"] = serde_json::json!({});
    let msg = parse_fss(&v.to_string(), "fss_ut.json")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("fss_ut.json")
            && msg.contains(
                "record.deploymentParam[0].operationParam.operationFrequencyRange.lowFrequency"
            ),
        "{msg}"
    );
    let msg = parse_ppa("{not json", "ppa_ut.json")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("ppa_ut.json:1:"), "{msg}");
    let msg = parse_pal(r#"{"palId": "x"}"#, "pal_ut.json")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("channelAssignment.primaryAssignment.lowFrequency"),
        "{msg}"
    );
}

// ---------------------------------------------------------------- §1.6

#[test]
fn fss_co_channel() {
    let fss = parse_fss(&text("fss_ut.json"), "fss_ut.json").unwrap();
    let r = aggregate_fss_co_channel(&fss, &grants(), Model::UnitTest, &fake).unwrap();
    assert_eq!(r.points.len(), 1);
    assert_eq!(
        (r.points[0].lat_deg, r.points[0].lon_deg),
        (34.4116, -100.57114)
    );
    assert_eq!(r.points[0].mw.len(), 20);
    assert_channels(
        &r.points[0].mw,
        &[(10, 2.2316393176900284), (11, 2.2316393176900284)],
        "FSS co-channel",
    );
}

#[test]
fn fss_blocking() {
    let fss = parse_fss(&text("fss_ut.json"), "fss_ut.json").unwrap();
    let r = aggregate_fss_blocking(&fss, &grants(), Model::UnitTest, &fake).unwrap();
    assert_eq!(r.channels, vec![(3550e6, 3600e6)]);
    assert_eq!(r.points[0].mw.len(), 1);
    assert_rel(r.points[0].mw[0], 4.462898399659984, "FSS blocking");
}

#[test]
fn esc() {
    let e = parse_esc(&text("esc_ut.json"), "esc_ut.json").unwrap();
    let r = aggregate_esc(
        GeoPoint::new(e.lat_deg, e.lon_deg),
        &grants(),
        Model::UnitTest,
        &fake,
    )
    .unwrap();
    assert_eq!(r.points[0].mw.len(), 26);
    let d2 = 2.229908301599665;
    let d1 = 2.2323074278051225;
    assert_channels(
        &r.points[0].mw,
        &[(2, d2), (3, d2), (20, d1), (21, d1)],
        "ESC",
    );
}

fn check_gridded(r: &EntityAggregate, n_channels: usize, what: &str) {
    assert_eq!(r.points.len(), 3, "{what}");
    for (p, want) in [P1, P2, P3].iter().zip(PPA_MW) {
        let got = r
            .points
            .iter()
            .find(|q| (q.lat_deg, q.lon_deg) == *p)
            .unwrap_or_else(|| panic!("{what}: point {p:?} missing"));
        assert_eq!(got.mw.len(), n_channels);
        assert_channels(
            &got.mw,
            &[(0, want), (1, want)],
            &format!("{what} at {p:?}"),
        );
    }
}

#[test]
fn ppa() {
    let ppa = parse_ppa(&text("ppa_ut.json"), "ppa_ut.json").unwrap();
    let pal = parse_pal(&text("pal_ut.json"), "pal_ut.json").unwrap();
    let r = aggregate_ppa(&ppa, &pal, &grants(), Model::UnitTest, &fake).unwrap();
    check_gridded(&r, 2, "PPA");
    // A CBSD of the cluster list is not counted.
    let mut g = grants();
    g[0].cbsd_id = ppa.cluster[0].clone();
    let r = aggregate_ppa(&ppa, &pal, &g, Model::UnitTest, &fake).unwrap();
    assert!(r.points.iter().all(|p| p.mw.iter().all(|&v| v == 0.0)));
}

#[test]
fn gwpz() {
    let gw = parse_gwpz(&text("gwpz_ut.json"), "gwpz_ut.json").unwrap();
    let r = aggregate_gwpz(&gw, &grants(), Model::UnitTest, &fake).unwrap();
    check_gridded(&r, 5, "GWPZ");
}

// ---------------------------------------------------------------- §1.8

#[test]
fn calc_sheet_cross_check() {
    let g = grants();
    let fss = parse_fss(&text("fss_ut.json"), "fss_ut.json").unwrap();
    let e = parse_esc(&text("esc_ut.json"), "esc_ut.json").unwrap();
    let ppa = parse_ppa(&text("ppa_ut.json"), "ppa_ut.json").unwrap();
    let pal = parse_pal(&text("pal_ut.json"), "pal_ut.json").unwrap();
    let gw = parse_gwpz(&text("gwpz_ut.json"), "gwpz_ut.json").unwrap();
    let results = [
        (
            "GWPZ",
            aggregate_gwpz(&gw, &g, Model::UnitTest, &fake).unwrap(),
        ),
        (
            "PPA",
            aggregate_ppa(&ppa, &pal, &g, Model::UnitTest, &fake).unwrap(),
        ),
        (
            "ESC",
            aggregate_esc(
                GeoPoint::new(e.lat_deg, e.lon_deg),
                &g,
                Model::UnitTest,
                &fake,
            )
            .unwrap(),
        ),
        (
            "FSS BLOCKING",
            aggregate_fss_blocking(&fss, &g, Model::UnitTest, &fake).unwrap(),
        ),
        (
            "FSS CO-CHANNEL",
            aggregate_fss_co_channel(&fss, &g, Model::UnitTest, &fake).unwrap(),
        ),
    ];
    let csv = text("aggregate_interference_calc_sheet.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut rows_per_entity = std::collections::HashMap::<String, usize>::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let num = |name: &str| f[col(name)].parse::<f64>().unwrap();
        let entity = f[col("entity")];
        *rows_per_entity.entry(entity.to_string()).or_default() += 1;
        let (lat_rx, lon_rx) = (num("lat_rx"), num("lon_rx"));
        let (lat_c, lon_c) = (num("lat_cbsd"), num("lon_cbsd"));
        // Intermediate columns from the sheet's own (rounded) inputs.
        let dist = (lat_rx - lat_c).abs() + (lon_rx - lon_c).abs();
        assert!((dist - num("fake_distance_deg_L1")).abs() < 1e-12, "{line}");
        assert!(
            (dist + 50.0 - num("fake_path_loss_db")).abs() < 1e-12,
            "{line}"
        );
        let loss = if entity == "GWPZ" || entity == "PPA" {
            0.0
        } else {
            0.5
        };
        let dbm = num("eirp_dbm_in_ref_bw") - num("fake_path_loss_db") - loss;
        assert!((dbm - num("calc_interference_dbm")).abs() < 1e-9, "{line}");
        assert!(
            (10f64.powf(dbm / 10.0) / num("calc_interference_mw") - 1.0).abs() < 1e-9,
            "{line}"
        );
        // The reference code's output against ours at the matching point.
        let r = &results.iter().find(|(n, _)| *n == entity).unwrap().1;
        let p = r
            .points
            .iter()
            .find(|p| (p.lat_deg - lat_rx).abs() < 1e-9 && (p.lon_deg - lon_rx).abs() < 1e-9)
            .unwrap_or_else(|| panic!("no point for {line}"));
        let python = num("python_executed_interference_mw");
        assert!(
            p.mw.iter()
                .any(|&v| v != 0.0 && ((v - python) / python).abs() < 1e-12),
            "{line}: {:?}",
            p.mw
        );
        // And the sheet's hand calculation to about 1e-10.
        assert!(
            p.mw.iter()
                .any(|&v| v != 0.0 && ((v - num("calc_interference_mw")) / v).abs() < 1e-9),
            "{line}"
        );
    }
    // One sheet row per non-zero (entity, point, channel).
    for (name, r) in &results {
        let nonzero = r
            .points
            .iter()
            .flat_map(|p| &p.mw)
            .filter(|&&v| v != 0.0)
            .count();
        assert_eq!(
            rows_per_entity.get(*name).copied().unwrap_or(0),
            nonzero,
            "{name}"
        );
    }
}

// ---------------------------------------------------------------- ESC Cat A

#[test]
fn esc_cat_a_rule() {
    let e = parse_esc(&text("esc_ut.json"), "esc_ut.json").unwrap();
    let esc_p = GeoPoint::new(e.lat_deg, e.lon_deg);
    let mut a = grants()[0].clone();
    a.category = Category::A;
    a.cbsd_id = "cat_a".into();
    (a.low_hz, a.high_hz) = (3655e6, 3670e6);
    let r = aggregate_esc(esc_p, std::slice::from_ref(&a), Model::UnitTest, &fake).unwrap();
    let d1 = 2.2323074278051225;
    // 3655–3660 counts; 3660–3665 and 3665–3670 have c_lo ≥ 3660: ignored.
    assert_channels(&r.points[0].mw, &[(21, d1)], "ESC Cat A");
    let mut b = a.clone();
    b.category = Category::B;
    let r = aggregate_esc(esc_p, &[b], Model::UnitTest, &fake).unwrap();
    assert_channels(
        &r.points[0].mw,
        &[(21, d1), (22, d1), (23, d1)],
        "ESC Cat B",
    );
    // A Cat A grant starting at 3660 MHz is ignored everywhere.
    (a.low_hz, a.high_hz) = (3660e6, 3670e6);
    let r = aggregate_esc(esc_p, &[a.clone()], Model::UnitTest, &fake).unwrap();
    assert!(r.points[0].mw.iter().all(|&v| v == 0.0));
    assert!(esc_ignores(Category::A, (3660e6, 3670e6), (3550e6, 3555e6)));
    assert!(!esc_ignores(
        Category::A,
        (3650e6, 3670e6),
        (3655e6, 3660e6)
    ));
    // The rule is for ESC only.
    assert!(contributes(
        Entity::Gwpz,
        Category::A,
        (3660e6, 3670e6),
        (3660e6, 3665e6)
    ));
    // ESC neighbourhood: 40 km for Cat A, 80 km for Cat B.
    let far = direct(esc_p, 90.0, 60_000.0);
    (a.low_hz, a.high_hz, a.lat_deg, a.lon_deg) = (3550e6, 3560e6, far.lat_deg, far.lon_deg);
    let r = aggregate_esc(esc_p, &[a.clone()], Model::UnitTest, &fake).unwrap();
    assert!(r.points[0].mw.iter().all(|&v| v == 0.0));
    a.category = Category::B;
    let r = aggregate_esc(esc_p, &[a], Model::UnitTest, &fake).unwrap();
    assert!(r.points[0].mw[0] > 0.0 && r.points[0].mw[1] > 0.0);
}

// ---------------------------------------------------------------- errors

#[test]
fn error_cases() {
    let mut fss = parse_fss(&text("fss_ut.json"), "fss_ut.json").unwrap();
    fss.high_hz = 3690e6;
    assert!(fss_co_channel_channels(&fss).is_err());
    assert!(aggregate_fss_co_channel(&fss, &grants(), Model::UnitTest, &fake).is_err());
    let mut fss = parse_fss(&text("fss_ut.json"), "fss_ut.json").unwrap();
    (fss.low_hz, fss.ttc) = (3700e6, false);
    assert!(aggregate_fss_blocking(&fss, &grants(), Model::UnitTest, &fake).is_err());
    fss.ttc = true;
    assert!(aggregate_fss_blocking(&fss, &grants(), Model::UnitTest, &fake).is_ok());
    assert!(fss_mask_loss((3680e6, 3690e6), (3550e6, 3650e6)).is_err());
    assert!(fss_mask_loss((3650e6, 3660e6), (3550e6, 3650e6)).is_err());
    assert!(fss_mask_loss((3640e6, 3630e6), (3550e6, 3650e6)).is_err());
    assert!(esc_mask_loss((3648e6, 3653e6)).is_err());
    let ppa = parse_ppa(&text("ppa_ut.json"), "ppa_ut.json").unwrap();
    let mut pal = parse_pal(&text("pal_ut.json"), "pal_ut.json").unwrap();
    pal.pal_id = "pal_999".into();
    assert!(aggregate_ppa(&ppa, &pal, &grants(), Model::UnitTest, &fake).is_err());
}

// §2: mask losses and antenna gains.
mod tables;
