//! Runs every shared p2108 reference case through `spectrum_core::conformance`
//! and requires all of them to pass within half a unit of the last printed digit.

#![allow(clippy::unwrap_used)] // test fixtures: a missing reference file should fail loudly

use std::path::Path;
use std::sync::LazyLock;

use spectrum_core::conformance::{self, Model, ModelReport};

static REPORT: LazyLock<ModelReport> = LazyLock::new(|| {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/propagation/p2108"
    ));
    conformance::run(Model::from_name("p2108").unwrap(), dir).unwrap()
});

/// The one published value NTIA's own algorithm does not round to: terrestrial
/// 67 GHz, 5.4 km, 30.5 % gives 30.951 dB against a printed 30.9 (NTIA's own
/// test accepts 0.1 dB). Largest deviation accepted for it, dB.
const KNOWN_DEVIATIONS: [(&str, f64); 1] =
    [("TerrestrialStatisticalModelTestData.csv row 5", 0.06)];

#[test]
fn every_case_passes() {
    let known = |case: &str| {
        KNOWN_DEVIATIONS
            .iter()
            .find(|(id, _)| case == *id)
            .map(|(_, d)| *d)
    };
    let f: Vec<String> = REPORT
        .failure_lines()
        .into_iter()
        .filter(|line| known(line.split(':').next().unwrap_or("")).is_none())
        .collect();
    assert!(
        f.is_empty(),
        "{} of {} cases failed:\n{}",
        f.len(),
        REPORT.case_count(),
        f.join("\n")
    );
    for c in REPORT.cases.iter().filter(|c| known(&c.case).is_some()) {
        let limit = known(&c.case).unwrap();
        assert!(
            c.max_deviation() <= limit,
            "{}: deviation {} exceeds the known {}",
            c.case,
            c.max_deviation(),
            limit
        );
        assert!(c.codes.iter().all(|(_, e, g)| e == g));
    }
}

#[test]
fn finds_every_shared_case() {
    // 23 height-gain, 12 terrestrial, 13 aeronautical rows
    assert_eq!(REPORT.case_count(), 48);
    let errors = REPORT
        .cases
        .iter()
        .filter(|c| c.codes.iter().any(|(_, e, _)| *e != 0))
        .count();
    assert_eq!(errors, 16);
}
