//! Runs every shared ehata reference case through `spectra_conformance`
//! and requires all of them to pass within half a unit of the last printed digit.

#![allow(clippy::unwrap_used)] // test fixtures: a missing reference file should fail loudly

use std::path::Path;
use std::sync::LazyLock;

use spectra_conformance as conformance;
use spectra_conformance::{Model, ModelReport};

static REPORT: LazyLock<ModelReport> = LazyLock::new(|| {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/propagation/ehata"
    ));
    conformance::run(Model::from_name("ehata").unwrap(), dir).unwrap()
});

#[test]
fn every_case_passes() {
    let f = REPORT.failure_lines();
    assert!(
        f.is_empty(),
        "{} of {} cases failed:\n{}",
        f.len(),
        REPORT.case_count(),
        f.join("\n")
    );
    assert!(
        REPORT
            .cases
            .iter()
            .all(|c| c.codes.iter().all(|(_, e, g)| e == g))
    );
}

#[test]
fn finds_every_shared_case() {
    assert_eq!(REPORT.case_count(), 40);
}
