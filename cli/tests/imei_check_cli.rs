//! `spectra imei check` accounts for every input row: a refused row is named
//! with its line and makes the run exit 1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::spectra;

/// Regression: a stray `"` swallowed the following records and the run
/// exited 0 with fewer verdicts than rows and no warning.
#[test]
fn a_refused_row_is_named_and_the_run_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    let db = db.to_str().unwrap();
    assert!(
        spectra(&["registry", "init", "--registry", db])
            .status
            .success()
    );
    let input = dir.path().join("in.csv");
    let mut text = String::from("imei\n");
    for i in 0..2_000u64 {
        let imei = imei_registry::identity::format_imei15(35_332_811_000_000 + i);
        if i == 999 {
            text.push('"');
        }
        text.push_str(&imei);
        text.push('\n');
    }
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("v.csv");
    let run = spectra(&[
        "imei",
        "check",
        input.to_str().unwrap(),
        "--registry",
        db,
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("1999 rows") && stdout.contains("1 more rows refused"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("line 1001: refused"), "{stderr}");
    let verdicts = std::fs::read_to_string(&out).unwrap();
    assert_eq!(verdicts.lines().count(), 2_000, "header + 1999 verdicts");
}
