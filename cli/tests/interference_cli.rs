//! End-to-end tests of `spectra interference aggregate`: outputs, exit codes
//! and bad inputs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{spectra, stderr_of_usage_error};

const HEAD: &str = "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,direction,eirp_dbm,noise_figure_db";

fn read_batches(path: &std::path::Path) -> Vec<arrow::array::RecordBatch> {
    parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(path).unwrap(),
    )
    .unwrap()
    .build()
    .unwrap()
    .map(|b| b.unwrap())
    .collect()
}

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
    let map = dir.path().join("i-over-n.png");
    let run = spectra(&[
        "interference",
        "aggregate",
        "--stations",
        &reg,
        "--map",
        map.to_str().unwrap(),
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
    let top = v["worst"]["top"].as_array().unwrap();
    assert_eq!(top.len(), 2);
    assert_eq!(top[0][0], "T1", "strongest first: {top:?}");
    assert!(top[0][1].as_f64().unwrap() > top[1][1].as_f64().unwrap());
    assert!(out.is_file());
    let text = std::fs::read_to_string(&pairs).unwrap();
    assert!(
        text.starts_with("victim_id,interferer_id,distance_km,path_loss_db,fdr_db,i_dbm"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3, "two contributions: {text}");
    assert_eq!(&std::fs::read(&map).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
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

#[test]
fn masks_from_the_library_reach_adjacent_channels() {
    let dir = tempfile::tempdir().unwrap();
    let head = "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,direction,eirp_dbm,noise_figure_db,mask,rx_mask";
    let write = |rows: &[&str]| {
        let p = dir.path().join("masked.csv");
        std::fs::write(&p, format!("{head}\n{}\n", rows.join("\n"))).unwrap();
        p.to_str().unwrap().to_owned()
    };
    // A 10 MHz LTE carrier one channel above a 10 MHz LTE receiver.
    let reg = write(&[
        "T1,Alpha,land_mobile,42.80,74.50,30,1815000000,10M0G7W,tx,60,,lte-10mhz,",
        "R1,Beta,land_mobile,42.87,74.59,30,1805000000,10M0G7W,rx,,5,,lte-10mhz-rx",
    ]);
    let pairs = dir.path().join("pairs.csv");
    let run = spectra(&[
        "interference",
        "aggregate",
        "--stations",
        &reg,
        "--contributions",
        pairs.to_str().unwrap(),
        "--json",
    ]);
    assert!(
        matches!(run.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&pairs).unwrap();
    let row = text
        .lines()
        .nth(1)
        .expect("the adjacent carrier couples through the masks");
    let fdr: f64 = row.split(',').nth(4).unwrap().parse().unwrap();
    assert!(
        (20.0..60.0).contains(&fdr),
        "adjacent-channel FDR {fdr} dB: {text}"
    );
    // Without masks the two rectangular spectra do not overlap: nothing couples.
    let plain = write(&[
        "T1,Alpha,land_mobile,42.80,74.50,30,1815000000,10M0G7W,tx,60,,,",
        "R1,Beta,land_mobile,42.87,74.59,30,1805000000,10M0G7W,rx,,5,,",
    ]);
    let run = spectra(&["interference", "aggregate", "--stations", &plain, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["pairs"], 0, "{v}");
    // An unknown mask name is refused with its line.
    let bad = write(&["T1,Alpha,land_mobile,42.80,74.50,30,1815000000,10M0G7W,tx,60,,lte-11mhz,"]);
    let err = stderr_of_usage_error(&["interference", "aggregate", "--stations", &bad]);
    assert!(err.contains("masked.csv:2: field `mask`"), "{err}");
}

#[test]
fn a_study_file_runs_reproducibly_with_the_hashes_of_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    register(
        dir.path(),
        &[
            "T1,Alpha,land_mobile,42.80,74.50,30,460000000,12K5F3E,tx,40,",
            "R1,Beta,land_mobile,42.87,74.59,10,460000000,12K5F3E,rx,,6",
        ],
    );
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let study = dir.path().join("study.toml");
    std::fs::write(
        &study,
        "[register]\nstations = \"reg.csv\"\n\n[model]\nname = \"p452\"\ntime_pct = 1.0\n\n[terrain]\nrelief = true\nstep_m = 200.0\n\n[criteria]\ncutoff_km = 40.0\nprotection = { land_mobile = -10.0 }\n\n[output]\ndir = \"out\"\ncontributions = true\n",
    )
    .unwrap();
    let first = spectra(&["study", study.to_str().unwrap(), "--json"]);
    assert_eq!(
        first.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(v["worst"]["protection_i_n_db"], -10.0);
    assert!(v["model"].as_str().unwrap().contains("P.452-18"));
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap(),
    )
    .unwrap();
    let hashes = manifest["inputs_sha256"].as_object().unwrap();
    assert_eq!(
        hashes.len(),
        2,
        "the study file and the register: {hashes:?}"
    );
    assert!(hashes.values().all(|h| h.as_str().unwrap().len() == 64));
    let victims = read_batches(&dir.path().join("out/victims.parquet"));
    // Run again: the same results (the files differ only in their export time).
    assert_eq!(
        spectra(&["study", study.to_str().unwrap()]).status.code(),
        Some(1)
    );
    assert_eq!(
        read_batches(&dir.path().join("out/victims.parquet")),
        victims
    );
    let again: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(again, manifest, "the manifest has no clock in it");
    // A misspelt key is refused with its line.
    std::fs::write(
        &study,
        "[register]\nstations = \"reg.csv\"\n\n[model]\nnmae = \"p452\"\n",
    )
    .unwrap();
    let err = stderr_of_usage_error(&["study", study.to_str().unwrap()]);
    assert!(err.contains("study.toml:5"), "{err}");
}

#[test]
fn move_list_names_the_assignments_to_move() {
    let dir = tempfile::tempdir().unwrap();
    // Three co-channel transmitters north of a protection point at 10, 20 and 40 km.
    let reg = register(
        dir.path(),
        &[
            "T20,A,radiolocation,43.0598,74.5698,30,2800000000,1M00P0N,tx,40,",
            "T10,A,radiolocation,42.9647,74.5698,30,2800000000,1M00P0N,tx,40,",
            "T40,A,radiolocation,43.2350,74.5698,30,2800000000,1M00P0N,tx,40,",
        ],
    );
    let out = dir.path().join("moves.csv");
    let run = spectra(&[
        "interference",
        "move-list",
        "--stations",
        &reg,
        "--point",
        "42.8746,74.5698",
        "--band",
        "2799MHz-2801MHz",
        "--reference-bandwidth",
        "2MHz",
        "--threshold-dbm",
        "-85",
        "--sigma-db",
        "0",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["candidates"], 3);
    assert_eq!(v["moved"], serde_json::json!(["T10"]), "{v}");
    assert!(v["margin_db"].as_f64().unwrap() >= 0.0);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("T10,1,true")
    );
    // A generous threshold moves nothing and exits 0.
    let run = spectra(&[
        "interference",
        "move-list",
        "--stations",
        &reg,
        "--point",
        "42.8746,74.5698",
        "--band",
        "2799MHz-2801MHz",
        "--threshold-dbm",
        "-20",
        "--sigma-db",
        "0",
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let err = stderr_of_usage_error(&[
        "interference",
        "move-list",
        "--stations",
        &reg,
        "--band",
        "2799MHz-2801MHz",
        "--threshold-dbm",
        "-85",
    ]);
    assert!(err.contains("--point"), "{err}");
}
