use std::collections::{BTreeMap, BTreeSet, HashSet};

use stations::compliance::{FindingKind, check};
use stations::model::OperatorKind;

use super::*;

fn params(seed: u64, assignments: usize, nonconforming_share: f64) -> StationParams {
    StationParams {
        seed,
        assignments,
        nonconforming_share,
    }
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

#[test]
fn deterministic_and_seeded() {
    let a = generate(&params(7, 9_000, 0.02)).unwrap();
    let b = generate(&params(7, 9_000, 0.02)).unwrap();
    assert_eq!(a, b);
    let c = generate(&params(8, 9_000, 0.02)).unwrap();
    assert_ne!(a.assignments, c.assignments);
    // A shorter register is not a prefix in general, but chunk 0 is.
    let d = generate(&params(7, 100, 0.0)).unwrap();
    assert_eq!(d.len(), 100);
}

#[test]
fn same_on_one_thread() {
    let p = params(11, 10_000, 0.02);
    let many = generate(&p).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| generate(&p)).unwrap();
    assert_eq!(many, one);
}

#[test]
fn count_ids_lines_and_coordinates() {
    for n in [0, 1, 4095, 4096, 4097, 12_345] {
        let r = generate(&params(3, n, 0.02)).unwrap();
        assert_eq!(r.len(), n);
        let ids: HashSet<&str> = r.assignments.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids.len(), n);
        for (i, a) in r.assignments.iter().enumerate() {
            assert_eq!(a.id, format!("A{:07}", i + 1));
            assert_eq!(a.line, i + 2);
            let s = a.station.site;
            assert!(s.lat_deg.is_finite() && s.lon_deg.is_finite());
            assert!((39.2..=43.3).contains(&s.lat_deg), "{a:?}");
            assert!((69.2..=80.3).contains(&s.lon_deg), "{a:?}");
            let in_relief =
                (42.3..=43.3).contains(&s.lat_deg) && (74.0..=75.2).contains(&s.lon_deg);
            assert_eq!(s.ground_m.is_some(), in_relief, "{a:?}");
            if let Some(h) = s.ground_m {
                assert!((300.0..5500.0).contains(&h));
            }
            assert!(r.operators.contains_key(&a.operator), "{}", a.operator);
            assert_eq!(
                a.protection_i_n_db,
                ProtectionDefaults::default().i_n_db(a.service)
            );
        }
    }
}

#[test]
fn operators_are_realistic() {
    let r = generate(&params(5, 20_000, 0.0)).unwrap();
    let kinds: Vec<OperatorKind> = r.operators.values().map(|o| o.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == OperatorKind::Virtual)
            .count(),
        1
    );
    for o in r.operators.values() {
        if o.kind == OperatorKind::National {
            assert!(o.state_share_pct.is_some_and(|s| s >= 80.0));
        }
    }
    assert!(!r.assignments.iter().any(|a| a.operator == "Virtual One"));
    let by_service: BTreeMap<&str, usize> =
        r.assignments.iter().fold(BTreeMap::new(), |mut m, a| {
            *m.entry(a.service.name()).or_default() += 1;
            m
        });
    for s in [
        "Land Mobile",
        "Fixed",
        "Broadcasting",
        "Radiolocation",
        "Aeronautical Mobile (R)",
    ] {
        assert!(by_service.get(s).is_some_and(|&n| n > 0), "{by_service:?}");
    }
    // Cell sites sit on distinct places per operator: no sector-0 carrier twice.
    let sector0: Vec<_> = r
        .assignments
        .iter()
        .filter(|a| {
            a.station.polarisation == Some(stations::model::Polarisation::Dual)
                && a.station.azimuth_deg == 0.0
        })
        .map(|a| {
            (
                a.operator.as_str(),
                a.station.site.lat_deg.to_bits(),
                a.station.site.lon_deg.to_bits(),
                a.freq_hz,
            )
        })
        .collect();
    let distinct: HashSet<_> = sector0.iter().collect();
    assert!(sector0.len() > 1000);
    assert_eq!(distinct.len(), sector0.len());
}

fn with_findings(r: &Register) -> (usize, BTreeSet<FindingKind>) {
    let table = crate::ntfa::sample_table().unwrap();
    let report = check(&table, r, date(), allocation_table::Audience::Internal);
    let ids: HashSet<&str> = report.findings.iter().map(|f| f.id.as_str()).collect();
    (ids.len(), report.findings.iter().map(|f| f.kind).collect())
}

#[test]
fn conforming_register_has_no_findings() {
    let r = generate(&params(2026, 20_000, 0.0)).unwrap();
    let table = crate::ntfa::sample_table().unwrap();
    let report = check(&table, &r, date(), allocation_table::Audience::Internal);
    assert!(
        report.findings.is_empty(),
        "{:#?}",
        &report.findings[..report.findings.len().min(5)]
    );
}

#[test]
fn nonconforming_share_is_met_in_six_ways() {
    let r = generate(&params(2026, 20_000, 0.02)).unwrap();
    let (bad, kinds) = with_findings(&r);
    let share = bad as f64 / r.len() as f64;
    assert!((0.01..=0.03).contains(&share), "{share}");
    assert_eq!(bad, 400);
    for k in [
        FindingKind::NotAllocated,
        FindingKind::Secondary,
        FindingKind::StraddlesBandEdge,
        FindingKind::CategoryMismatch,
        FindingKind::OutsideValidity,
        FindingKind::VirtualOperator,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
}

#[test]
fn bad_share_is_refused() {
    assert!(matches!(
        generate(&params(1, 10, 1.5)),
        Err(GenerateError::Invalid(_))
    ));
    assert!(matches!(
        generate(&params(1, 10, f64::NAN)),
        Err(GenerateError::Invalid(_))
    ));
}

#[test]
#[ignore = "timing: cargo test --release -p datasets stations::tests::million -- --ignored --nocapture"]
fn million() {
    let t = std::time::Instant::now();
    let r = generate(&params(2026, 1_000_000, 0.02)).unwrap();
    let gen_s = t.elapsed().as_secs_f64();
    assert_eq!(r.len(), 1_000_000);
    let by_service: BTreeMap<&str, usize> =
        r.assignments.iter().fold(BTreeMap::new(), |mut m, a| {
            *m.entry(a.service.name()).or_default() += 1;
            m
        });
    let t = std::time::Instant::now();
    let (bad, _) = with_findings(&r);
    eprintln!(
        "1 M assignments generated in {gen_s:.2} s; checked in {:.2} s; {bad} with findings; {by_service:?}",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(bad, 20_000);
}
