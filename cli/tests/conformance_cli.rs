//! End-to-end tests of `spectra conformance …`: every shared reference set
//! passes, the declaration reports the margin, a directory with one altered
//! reference value fails with exit 1, and an empty directory is an error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::spectra;

const PROPAGATION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/propagation");

/// A base directory holding every model folder of the shared data (links),
/// with P.528's 40 curve tables cut to two: the full tables take minutes and
/// are checked by the README's `spectra conformance report` and by
/// `spectra-conformance`'s own tests.
fn declaration_base(dir: &std::path::Path) -> std::path::PathBuf {
    let base = dir.join("propagation");
    std::fs::create_dir(&base).unwrap();
    for entry in std::fs::read_dir(PROPAGATION).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "p528" {
            continue;
        }
        std::os::unix::fs::symlink(entry.path(), base.join(&name)).unwrap();
    }
    let p528 = std::path::Path::new(PROPAGATION).join("p528");
    std::fs::create_dir_all(base.join("p528/data-tables")).unwrap();
    std::os::unix::fs::symlink(p528.join("ntia"), base.join("p528/ntia")).unwrap();
    for table in [
        "100 MHz - Lb(0.01)_P528.csv",
        "30,000 MHz - Lb(0.95)_P528.csv",
    ] {
        let src = p528.join("data-tables").join(table);
        assert!(src.is_file(), "{}", src.display());
        std::os::unix::fs::symlink(src, base.join("p528/data-tables").join(table)).unwrap();
    }
    base
}

#[test]
fn the_declaration_covers_every_model_within_tolerance() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("conformance.md");
    let base = declaration_base(dir.path());
    let out = spectra(&[
        "conformance",
        "report",
        base.to_str().unwrap(),
        "--json",
        "--out",
        md.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let models = doc["models"].as_array().unwrap();
    let names: Vec<&str> = models
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "p452", "p1812", "itm", "ehata", "p2108", "p2109", "p676", "p528", "p1546"
        ]
    );
    for m in models {
        assert_eq!(m["failed"], 0, "{m}");
        let ratio = m["max_tolerance_ratio"].as_f64().unwrap();
        assert!(ratio <= 1.0, "{m}");
        assert!(m["cases"].as_u64().unwrap() >= 16, "{m}");
    }
    assert!(md.exists(), "--out writes the declaration");
}

#[test]
fn an_altered_reference_value_fails_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(PROPAGATION).join("p2108");
    let name = "TerrestrialStatisticalModelTestData.csv";
    let text = std::fs::read_to_string(src.join(name)).unwrap();
    // Row 1 expects 17.4 dB; 17.5 is one printed unit away.
    let altered = text.replacen("0.5,0.25,50,0,17.4", "0.5,0.25,50,0,17.5", 1);
    assert_ne!(text, altered, "the reference row to alter is present");
    std::fs::write(dir.path().join(name), altered).unwrap();
    let out = spectra(&["conformance", "p2108", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("FAIL") && stdout.contains("row 1"),
        "{stdout}"
    );
}

#[test]
fn a_directory_without_reference_files_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = spectra(&["conformance", "ehata", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("found no"));
}
