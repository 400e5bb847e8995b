//! End-to-end tests of `spectra assign rlfap`: exit codes by answer, the
//! assignment file, bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{spectra, stderr_of_usage_error};

const RLFAP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/assignment/rlfap"
);

#[test]
fn answers_map_to_exit_codes_and_the_assignment_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.csv");
    let run = spectra(&[
        "assign",
        "rlfap",
        RLFAP,
        "--instance",
        "2-f24",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("variable,value\n"));
    assert_eq!(text.lines().count(), 201, "200 variables and the header");
    let run = spectra(&["assign", "rlfap", RLFAP, "--instance", "2-f25", "--json"]);
    assert_eq!(run.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["instances"][0]["status"], "infeasible");
    let run = spectra(&[
        "assign",
        "rlfap",
        RLFAP,
        "--instance",
        "8-f10",
        "--time-limit-s",
        "0.2",
    ]);
    assert!(
        matches!(run.status.code(), Some(0 | 3)),
        "feasible or out of time, never infeasible"
    );
    let err = stderr_of_usage_error(&["assign", "rlfap", RLFAP, "--instance", "nope"]);
    assert!(err.contains("domnope.txt"), "{err}");
}

#[test]
fn celar_min_span_is_proved_and_other_criteria_report_their_objectives() {
    let celar = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/assignment/celar"
    );
    let run = spectra(&["assign", "celar", &format!("{celar}/scen05"), "--json"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["largest_value"], 792);
    assert_eq!(v["optimal"], true);
    let run = spectra(&["assign", "celar", &format!("{celar}/scen06"), "--json"]);
    assert_eq!(run.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        v["status"], "feasible",
        "the hard constraints of scen06 are satisfiable"
    );
    assert!(
        v["soft_cost"].as_u64().unwrap() >= 3389,
        "never below the proved optimum"
    );
}
