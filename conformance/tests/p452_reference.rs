//! Every ITU-R P.452-18 reference validation example (ITU-R WP 3M) in
//! `../shared/data/propagation/p452` must reproduce the reference losses and
//! intermediates within 1e-6.

use std::path::Path;
use std::sync::LazyLock;

use spectra_conformance::{ConformanceError, ModelReport, p452};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/propagation/p452"
);

static REPORT: LazyLock<ModelReport> =
    LazyLock::new(|| p452::run(Path::new(DATA)).unwrap_or_else(|e| panic!("{e}")));

#[test]
fn finds_every_reference_case() {
    // 13 profiles × 35 rows.
    assert_eq!(REPORT.case_count(), 455);
    for case in &REPORT.cases {
        assert_eq!(case.checks[0].name, "Lb", "{}", case.case);
        // Lb, 8 losses, 18 path quantities, DN and N0.
        assert_eq!(case.checks.len(), 29, "{}", case.case);
        assert_eq!(case.codes.len(), 1, "{}", case.case);
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
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    std::fs::create_dir_all(dir.path().join("results")).unwrap();
    assert!(matches!(
        p452::run(dir.path()),
        Err(ConformanceError::NothingToRun { model: "p452", .. })
    ));
    let name = "test_profile_mixed_109km.csv";
    std::fs::copy(
        Path::new(DATA).join("profiles").join(name),
        dir.path().join("profiles").join(name),
    )
    .unwrap();
    std::fs::copy(
        Path::new(DATA).join("results/test_result_mixed_109km.csv"),
        dir.path().join("results/test_result_mixed_109km.csv"),
    )
    .unwrap();
    // A results file whose profile is absent is skipped.
    std::fs::copy(
        Path::new(DATA).join("results/test_result_land_70km.csv"),
        dir.path().join("results/test_result_land_70km.csv"),
    )
    .unwrap();
    let report = p452::run(dir.path()).unwrap();
    assert_eq!(report.case_count(), 35);
    assert_eq!(report.failures(), 0);
}

#[test]
fn a_malformed_row_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    std::fs::create_dir_all(dir.path().join("results")).unwrap();
    let name = "test_profile_mixed_109km.csv";
    std::fs::copy(
        Path::new(DATA).join("profiles").join(name),
        dir.path().join("profiles").join(name),
    )
    .unwrap();
    let text = std::fs::read_to_string(Path::new(DATA).join("results/test_result_mixed_109km.csv"))
        .unwrap();
    let mut lines: Vec<String> = text.lines().take(3).map(str::to_owned).collect();
    lines[2] = lines[2].replacen(",0.1,", ",abc,", 1);
    std::fs::write(dir.path().join("results/bad.csv"), lines.join("\n")).unwrap();
    match p452::run(dir.path()) {
        Err(ConformanceError::BadFile {
            file,
            line,
            message,
        }) => {
            assert!(file.ends_with("bad.csv"));
            assert_eq!(line, 3);
            assert!(message.contains("abc"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}
