//! End-to-end test of contesting a decision: `spectra registry contest`,
//! `contests --open --json`, `decide --uphold …` and a refused second decision.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::spectra;

#[test]
fn a_blocked_device_is_contested_and_the_contest_upheld() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.duckdb");
    let db = db.to_str().unwrap();
    let imei = "353328110000013";
    let ok = |out: Output| {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let missing = spectra(&["registry", "contests", "--registry", db]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "reading commands never create a registry"
    );
    assert!(!std::path::Path::new(db).exists());
    ok(spectra(&["registry", "init", "--registry", db]));
    ok(spectra(&[
        "registry",
        "set-status",
        imei,
        "--registry",
        db,
        "--status",
        "black",
        "--reasons",
        "STOLEN",
        "--source",
        "police",
        "--actor",
        "officer",
    ]));
    let filed = ok(spectra(&[
        "registry",
        "contest",
        imei,
        "--registry",
        db,
        "--json",
        "--grounds",
        "Recovered; police report 118",
        "--actor",
        "owner-service",
    ]));
    let c: serde_json::Value = serde_json::from_slice(&filed.stdout).unwrap();
    assert_eq!(c["state"], "open");
    assert_eq!(c["contested_verdict"], "blocked");
    assert_eq!(c["filed_by"], "owner-service");
    let id = c["id"].as_u64().unwrap().to_string();

    let open = ok(spectra(&[
        "registry",
        "contests",
        "--registry",
        db,
        "--open",
        "--json",
    ]));
    let list: serde_json::Value = serde_json::from_slice(&open.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let decided = ok(spectra(&[
        "registry",
        "decide",
        &id,
        "--registry",
        db,
        "--json",
        "--uphold",
        "white",
        "--reasons",
        "RECOVERED",
        "--note",
        "Recovery confirmed",
        "--actor",
        "officer",
    ]));
    let d: serde_json::Value = serde_json::from_slice(&decided.stdout).unwrap();
    assert_eq!(d["state"], "upheld");
    assert_eq!(d["decided_by"], "officer");

    let info = ok(spectra(&["imei", "info", imei, "--registry", db, "--json"]));
    let i: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(i["status"], "white");

    let again = spectra(&[
        "registry",
        "decide",
        &id,
        "--registry",
        db,
        "--reject",
        "--note",
        "no",
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already decided"));
    let none = spectra(&["registry", "decide", &id, "--registry", db, "--note", "no"]);
    assert_eq!(
        none.status.code(),
        Some(2),
        "--uphold or --reject is required"
    );
}
