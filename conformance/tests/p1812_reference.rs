//! Every ITU-R P.1812-6 reference validation case (ITU-R WP 3M) in
//! `../shared/data/propagation/p1812` must reproduce the reference losses,
//! field strengths and intermediates within 1e-6.

use std::path::Path;
use std::sync::LazyLock;

use spectra_conformance::{ConformanceError, ModelReport, p1812};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/propagation/p1812"
);

static REPORT: LazyLock<ModelReport> =
    LazyLock::new(|| p1812::run(Path::new(DATA)).unwrap_or_else(|e| panic!("{e}")));

#[test]
fn finds_every_reference_case() {
    let files = std::fs::read_dir(Path::new(DATA).join("results"))
        .unwrap()
        .count();
    assert_eq!(files, 48);
    assert_eq!(REPORT.case_count(), 48);
    for case in &REPORT.cases {
        assert_eq!(case.checks[0].name, "Lb (dB)", "{}", case.case);
        // 49 intermediates and results besides Lb, plus R2 and Rn-1.
        assert!(
            case.checks.len() >= 50,
            "{}: {}",
            case.case,
            case.checks.len()
        );
        assert_eq!(case.codes.len(), 2, "{}", case.case);
    }
}

#[test]
fn every_case_is_within_tolerance() {
    let failures: Vec<String> = REPORT
        .cases
        .iter()
        .filter(|c| !c.passed())
        .map(|c| {
            let worst = c
                .checks
                .iter()
                .filter(|q| !q.passed())
                .map(|q| format!("{} {} vs {}", q.name, q.computed, q.expected))
                .collect::<Vec<_>>()
                .join("; ");
            format!("{}: {worst} {:?}", c.case, c.codes)
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let max = REPORT.max_deviation();
    println!("{} cases, max deviation {max:e}", REPORT.case_count());
    let mut by_name: Vec<(String, f64)> = Vec::new();
    for q in REPORT.cases.iter().flat_map(|c| &c.checks) {
        match by_name.iter_mut().find(|(n, _)| *n == q.name) {
            Some((_, m)) => *m = m.max(q.deviation()),
            None => by_name.push((q.name.clone(), q.deviation())),
        }
    }
    for (n, m) in &by_name {
        println!("  {n}: {m:.1e}");
    }
    assert!(max <= 1e-6, "{max}");
}

#[test]
fn a_subset_runs_and_an_empty_directory_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        p1812::run(dir.path()),
        Err(ConformanceError::NothingToRun { model: "p1812", .. })
    ));
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    std::fs::create_dir_all(dir.path().join("results")).unwrap();
    for f in [
        "profiles/rburg.csv",
        "results/rburg_1.csv",
        "results/rburg_2.csv",
        "results/b2iseac_1.csv",
    ] {
        std::fs::copy(Path::new(DATA).join(f), dir.path().join(f)).unwrap();
    }
    let report = p1812::run(dir.path()).unwrap();
    // b2iseac_1 has no profile here.
    assert_eq!(report.case_count(), 2);
    assert_eq!(report.failures(), 0);
}
