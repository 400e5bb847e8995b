//! Runs every shared itm reference case through `spectra_conformance`
//! and requires all of them to pass within half a unit of the last printed digit.

#![allow(clippy::unwrap_used)] // test fixtures: a missing reference file should fail loudly

use std::path::Path;
use std::sync::LazyLock;

use spectra_conformance as conformance;
use spectra_conformance::{Model, ModelReport};

static REPORT: LazyLock<ModelReport> = LazyLock::new(|| {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/propagation/itm"
    ));
    conformance::run(Model::from_name("itm").unwrap(), dir).unwrap()
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
}

#[test]
fn finds_every_shared_case() {
    // p2p.csv: 5 rows, area.csv: 5 rows, cmd_examples: 6 reports
    assert_eq!(REPORT.case_count(), 16);
    let table = REPORT
        .cases
        .iter()
        .find(|c| c.case.ends_with("o_areacr_tbl.txt"))
        .unwrap();
    // 19 distances x (distance + free space + 3 confidences)
    assert_eq!(table.checks.len(), 19 * 5);
}
