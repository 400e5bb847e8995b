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
    let proofs = dir.path().join("proofs");
    let run = spectra(&[
        "assign",
        "rlfap",
        RLFAP,
        "--instance",
        "2-f25",
        "--json",
        "--proof-dir",
        proofs.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["instances"][0]["status"], "infeasible");
    assert_eq!(v["instances"][0]["proof"]["verified"], true);
    assert!(proofs.join("2-f25.cnf").exists() && proofs.join("2-f25.drup").exists());
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
    assert_eq!(v["criterion"], "min_span");
    assert_eq!(v["largest_value"], 792);
    assert_eq!(
        (v["objective"].as_u64(), v["bound"].as_u64()),
        (Some(792), Some(792))
    );
    assert_eq!(v["status"], "optimal");
    assert_eq!(v["optimal"], true);
    let progress = String::from_utf8_lossy(&run.stderr);
    assert!(progress.contains("objective 792"), "{progress}");
    // scen06: not every constraint can hold, so the weighted cost applies.
    let run = spectra(&[
        "assign",
        "celar",
        &format!("{celar}/scen06"),
        "--json",
        "--time-limit-s",
        "10",
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stderr.is_empty(), "--quiet: no progress");
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["criterion"], "min_cost");
    assert_eq!(v["status"], "feasible", "best found, not proved");
    assert_eq!(v["objective"], v["soft_cost"], "the checker's cost");
    assert!(
        v["soft_cost"].as_u64().unwrap() >= 3389,
        "never below the proved optimum"
    );
    // scen02: the known fewest values, the clique bound beside it.
    let run = spectra(&[
        "assign",
        "celar",
        &format!("{celar}/scen02"),
        "--json",
        "--stop-at",
        "14",
        "--time-limit-s",
        "120",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["criterion"], "min_order");
    assert_eq!(
        (v["objective"].as_u64(), v["bound"].as_u64()),
        (Some(14), Some(13))
    );
    assert_eq!(v["clique"], 13);
    assert_eq!(v["distinct_values"], 14);
}

#[test]
fn bad_solver_flags_are_refused_with_what_was_expected() {
    let celar = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/assignment/celar/scen05"
    );
    let run = spectra(&["assign", "celar", celar, "--time-limit-s", "0"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("expected 0 to 86400 s"));
    let err = stderr_of_usage_error(&["assign", "celar", celar, "--criterion", "fastest"]);
    assert!(err.contains("min-order"), "{err}");
}
