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

/// Four land-mobile assignments on one site: two licensed on channels 1
/// and 3 of a 12.5 kHz raster, two planned.
fn small_register(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("register.csv");
    let mut text = String::from(
        "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,eirp_dbm,status\n",
    );
    for (id, freq, status) in [
        ("L1", 440_006_250, "licensed"),
        ("L3", 440_031_250, "licensed"),
        ("P1", 440_006_250, "planned"),
        ("P2", 440_006_250, "planned"),
    ] {
        text.push_str(&format!(
            "{id},Op,land_mobile,42.87,74.59,30,{freq},12K5F3E,40,{status}\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_channel_plan_moves_planned_assignments_only_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let register = small_register(dir.path());
    let update = dir.path().join("update.csv");
    let updated = dir.path().join("register2.parquet");
    let run = spectra(&[
        "assign",
        "stations",
        "--stations",
        register.to_str().unwrap(),
        "--channels",
        "440006250:12500:440043750",
        "--separation",
        "0.1:1",
        "--out",
        update.to_str().unwrap(),
        "--register-out",
        updated.to_str().unwrap(),
        "--json",
        "--quiet",
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        (v["movable"].as_u64(), v["fixed"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        v["status"], "optimal",
        "4 channels for 4 co-site assignments"
    );
    assert_eq!(v["objective"], 4);
    let text = std::fs::read_to_string(&update).unwrap();
    assert!(text.starts_with("id,old_freq_hz,new_freq_hz,channel,moved,status,reason\n"));
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 4);
    let mut channels = Vec::new();
    for r in &rows {
        if r[0].starts_with('L') {
            assert_eq!(
                r[1], r[2],
                "a licensed assignment keeps its frequency: {r:?}"
            );
            assert_eq!(r[5], "kept: licensed");
        }
        channels.push(r[3].to_owned());
    }
    channels.sort();
    channels.dedup();
    assert_eq!(channels.len(), 4, "co-site: every channel differs");
    assert!(text.contains("co-site with"), "{text}");
    assert!(updated.exists());
    // Three channels cannot hold four co-site assignments: proved, exit 1.
    let run = spectra(&[
        "assign",
        "stations",
        "--stations",
        register.to_str().unwrap(),
        "--channels",
        "440006250:12500:440031250",
        "--separation",
        "0.1:1",
        "--out",
        dir.path().join("none.csv").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!dir.path().join("none.csv").exists(), "nothing written");
    assert!(String::from_utf8_lossy(&run.stderr).contains("no plan satisfies every rule"));
    // A malformed raster names what was expected.
    let err = stderr_of_usage_error(&[
        "assign",
        "stations",
        "--stations",
        register.to_str().unwrap(),
        "--channels",
        "440 MHz",
        "--out",
        "x.csv",
    ]);
    assert!(err.contains("channel raster: expected"), "{err}");
}

#[test]
fn interference_contributions_keep_a_victim_off_its_interferers_channel() {
    use std::sync::Arc;

    use arrow::array::{Float64Array, RecordBatch, StringArray};
    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("register.csv");
    std::fs::write(
        &register,
        "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,eirp_dbm,status,noise_dbm\n\
         P1,Op,land_mobile,42.87,74.59,30,440006250,12K5F3E,40,planned,-120\n\
         P2,Op,land_mobile,42.97,74.59,30,440006250,12K5F3E,40,planned,-120\n",
    )
    .unwrap();
    let plan = |extra: &[&str]| {
        let out = dir.path().join("update.csv");
        let mut args = vec![
            "assign",
            "stations",
            "--stations",
            register.to_str().unwrap(),
            "--channels",
            "440006250:12500:440043750",
            "--out",
            out.to_str().unwrap(),
            "--json",
            "--quiet",
        ];
        args.extend_from_slice(extra);
        let run = spectra(&args);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        (v, std::fs::read_to_string(&out).unwrap())
    };
    // No rule: both share one channel.
    let (v, _) = plan(&[]);
    assert_eq!(v["objective"], 1);
    // P2 would put −100 dBm co-channel into P1 (I/N +20 dB > −6 dB).
    let contributions = dir.path().join("contributions.parquet");
    let batch = RecordBatch::try_from_iter([
        ("victim_id", Arc::new(StringArray::from(vec!["P1"])) as _),
        (
            "interferer_id",
            Arc::new(StringArray::from(vec!["P2"])) as _,
        ),
        ("i_dbm", Arc::new(Float64Array::from(vec![-130.0])) as _),
        ("fdr_db", Arc::new(Float64Array::from(vec![30.0])) as _),
    ])
    .unwrap();
    let file = std::fs::File::create(&contributions).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let (v, text) = plan(&["--interference", contributions.to_str().unwrap()]);
    assert_eq!(v["interference_pairs"], 1);
    assert_eq!(v["objective"], 2, "two channels now");
    assert!(text.contains("interference with P"), "{text}");
}
