//! End-to-end tests of `spectra table …`: JSON shapes, exit codes (0 ok,
//! 1 findings, 2 bad usage or unreadable input), conversions and history.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::spectra;

const ITU1: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/allocations/itu1"
);

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn at_json_has_the_documented_shape_for_every_frequency_form() {
    for f in ["435MHz", "435 MHz", "0.435GHz", "4.35e8"] {
        let out = spectra(&["table", "at", f, "--table", ITU1, "--json"]);
        assert_eq!(out.status.code(), Some(0), "{f}");
        let v = json(&out);
        let band = &v["bands"][0];
        assert_eq!(band["lower_hz"], 432_000_000u64);
        assert_eq!(band["upper_hz"], 438_000_000u64);
        assert!(
            band["footnotes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == "5.138")
        );
        let a = &band["allocations"];
        assert_eq!(a[0]["service"], "Amateur");
        assert_eq!(a[0]["status"], "primary");
        assert_eq!(a[2]["service"], "Earth Exploration-Satellite (active)");
        assert_eq!(a[2]["status"], "secondary");
        assert_eq!(a[2]["qualifiers"][0], "(active)");
        assert_eq!(a[2]["footnotes"][0], "5.279A");
    }
}

#[test]
fn validate_exit_codes_and_json() {
    let out = spectra(&["table", "validate", "--table", ITU1, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert!(v["bands"].as_u64().unwrap() > 400);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 115);
    for key in ["kind", "lower_hz", "upper_hz", "line", "message"] {
        assert!(findings[0].get(key).is_some(), "missing {key}");
    }
    // The embedded sample table is clean.
    let out = spectra(&["table", "validate"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn bad_usage_and_unreadable_input_exit_2() {
    let out = spectra(&["table", "at", "12 furlongs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a frequency"));
    let out = spectra(&["table", "at", "435MHz", "--table", "/nonexistent/table"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/table"));
}

#[test]
fn conversion_is_recorded_and_refused_directions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("kg.ntfa");
    let out_str = out_path.to_str().unwrap();
    let refused = spectra(&[
        "table",
        "convert",
        "--lower",
        "790MHz",
        "--upper",
        "862MHz",
        "--from",
        "civil",
        "--to",
        "government",
        "--reference",
        "X",
        "--authority",
        "Y",
        "--date",
        "2025-01-01",
        "--out",
        out_str,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a conversion"));
    assert!(
        !out_path.exists(),
        "nothing is written when a conversion is refused"
    );

    let ok = spectra(&[
        "table",
        "convert",
        "--lower",
        "1435MHz",
        "--upper",
        "1452MHz",
        "--from",
        "government",
        "--to",
        "joint",
        "--reference",
        "GKS-2025-001",
        "--authority",
        "Agency",
        "--date",
        "2025-01-01",
        "--out",
        out_str,
        "--json",
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(json(&ok)["decision"]["split_edges_hz"][0], 1_435_000_000u64);

    let at = json(&spectra(&[
        "table", "at", "1440MHz", "--table", out_str, "--json",
    ]));
    assert_eq!(at["bands"][0]["category"], "joint");
    let hist = json(&spectra(&[
        "table", "history", "--table", out_str, "--json",
    ]));
    assert_eq!(hist["decisions"].as_array().unwrap().len(), 5);
    let past = json(&spectra(&[
        "table",
        "history",
        "--table",
        out_str,
        "--as-of",
        "2024-12-31",
        "--json",
    ]));
    assert_eq!(past["decisions_in_force"], 4);
}

#[test]
fn exports_and_chart_are_written() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["t.parquet", "t.csv", "t.json", "t.ntfa", "c.png", "c.svg"] {
        let p = dir.path().join(name);
        let sub = if name.starts_with('c') {
            "chart"
        } else {
            "export"
        };
        let out = spectra(&["table", sub, "--out", p.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(std::fs::metadata(&p).unwrap().len() > 100, "{name}");
    }
    // Open export leaves the restricted 420-430 MHz band out.
    let csv = std::fs::read_to_string(dir.path().join("t.csv")).unwrap();
    assert!(
        !csv.lines()
            .any(|l| l.split(',').nth(1) == Some("420000000")),
        "the restricted band's row was exported"
    );
    assert!(
        csv.lines()
            .any(|l| l.split(',').nth(1) == Some("410000000"))
    );
}
