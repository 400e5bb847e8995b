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

/// Regression: `--out` equal to the input overwrote the input, and a
/// symbolic link or a missing directory was silently replaced or created.
#[test]
fn dangerous_outputs_are_refused_and_nothing_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    let db = db.to_str().unwrap();
    assert!(
        spectra(&["registry", "init", "--registry", db])
            .status
            .success()
    );
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "imei\n353328110000013\n").unwrap();
    let input_s = input.to_str().unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let missing = dir.path().join("no/such/dir/v.csv");
    for out in [
        input_s,
        link.to_str().unwrap(),
        missing.to_str().unwrap(),
        db,
    ] {
        let run = spectra(&["imei", "check", input_s, "--registry", db, "--out", out]);
        assert_eq!(run.status.code(), Some(2), "{out}");
    }
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        "imei\n353328110000013\n"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!dir.path().join("no").exists());
    let run = spectra(&[
        "registry",
        "export-list",
        "--status",
        "black",
        "--registry",
        db,
        "--out",
        db,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        spectra(&["registry", "verify", "--registry", db])
            .status
            .success()
    );
}

/// Regression: a generator or check larger than the free disk space ran until
/// the disk was full; it is now refused before anything is written.
#[test]
fn an_output_larger_than_the_free_disk_space_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("huge.csv");
    let run = spectra(&[
        "datasets",
        "imei",
        "--rows",
        "1000000000000000",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("free space"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing was written"
    );
}
