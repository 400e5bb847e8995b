//! End-to-end tests of `spectra interference aggregate`: outputs, exit codes
//! and bad inputs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{spectra, stderr_of_usage_error};

const HEAD: &str = "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,direction,eirp_dbm,noise_figure_db";

fn register(dir: &std::path::Path, rows: &[&str]) -> String {
    let p = dir.join("reg.csv");
    std::fs::write(&p, format!("{HEAD}\n{}\n", rows.join("\n"))).unwrap();
    p.to_str().unwrap().to_owned()
}

#[test]
fn a_victim_above_its_criterion_exits_one_with_its_worst_interferer() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(
        dir.path(),
        &[
            "T1,Alpha,land_mobile,42.80,74.50,30,460000000,12K5F3E,tx,40,",
            "T2,Alpha,land_mobile,42.95,74.70,30,460000000,12K5F3E,tx,30,",
            "R1,Beta,land_mobile,42.87,74.59,10,460000000,12K5F3E,rx,,6",
            "R2,Beta,land_mobile,42.87,74.59,10,470000000,12K5F3E,rx,,6",
        ],
    );
    let out = dir.path().join("victims.parquet");
    let pairs = dir.path().join("pairs.csv");
    let run = spectra(&[
        "interference",
        "aggregate",
        "--stations",
        &reg,
        "--out",
        out.to_str().unwrap(),
        "--contributions",
        pairs.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["victims"], 2);
    assert_eq!(v["unprotected"], 1);
    assert_eq!(v["worst"]["victim_id"], "R1");
    assert_eq!(v["worst"]["worst_interferer_id"], "T1");
    assert_eq!(v["worst"]["n_interferers"], 2);
    assert!(out.is_file());
    let text = std::fs::read_to_string(&pairs).unwrap();
    assert!(
        text.starts_with("victim_id,interferer_id,distance_km,path_loss_db,fdr_db,i_dbm"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3, "two contributions: {text}");
}

#[test]
fn a_cutoff_below_the_distance_leaves_the_victim_alone() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(
        dir.path(),
        &[
            "T1,Alpha,land_mobile,42.80,74.50,30,460000000,12K5F3E,tx,40,",
            "R1,Beta,land_mobile,42.87,74.59,10,460000000,12K5F3E,rx,,6",
        ],
    );
    let run = spectra(&[
        "interference",
        "aggregate",
        "--stations",
        &reg,
        "--cutoff-km",
        "5",
        "--json",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["pairs"], 0);
}

#[test]
fn bad_inputs_exit_two_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(
        dir.path(),
        &["T1,Alpha,land_mobile,42.80,74.50,30,460000000,12K5F3E,tx,,"],
    );
    let err = stderr_of_usage_error(&["interference", "aggregate", "--stations", &reg]);
    assert!(err.contains("reg.csv:2: field `eirp_dbm`"), "{err}");
    let reg = register(
        dir.path(),
        &["T1,Alpha,land_mobile,42.80,74.50,30,460000000,12K5F3E,tx,40,"],
    );
    let err = stderr_of_usage_error(&[
        "interference",
        "aggregate",
        "--stations",
        &reg,
        "--cutoff-km",
        "-3",
    ]);
    assert!(err.contains("--cutoff-km"), "{err}");
    let err = stderr_of_usage_error(&[
        "interference",
        "aggregate",
        "--stations",
        &reg,
        "--model",
        "p452",
        "--time-pct",
        "80",
    ]);
    assert!(err.contains("--time-pct"), "{err}");
    let err = stderr_of_usage_error(&[
        "interference",
        "aggregate",
        "--stations",
        &reg,
        "--out",
        "victims.txt",
    ]);
    assert!(err.contains(".parquet or .csv"), "{err}");
}

#[test]
fn montecarlo_runs_the_handbook_scenario_and_refuses_a_bad_file() {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../interference/data/seamcat-handbook.toml"
    );
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.parquet");
    let run = spectra(&[
        "interference",
        "montecarlo",
        scenario,
        "--events",
        "2000",
        "--out",
        events.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["events"], 2000);
    assert_eq!(v["criteria"][0]["criterion"], "C/I");
    assert_eq!(v["criteria"][0]["probability"], 1.0);
    assert!(
        (v["mean_drss_dbm"].as_f64().unwrap() + 53.47).abs() < 0.01,
        "{v}"
    );
    assert!(events.is_file());
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[victim]\nfrequency_mhz = \"lots\"\n").unwrap();
    let err = stderr_of_usage_error(&["interference", "montecarlo", bad.to_str().unwrap()]);
    assert!(err.contains("bad.toml:2"), "{err}");
}
