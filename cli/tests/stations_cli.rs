//! End-to-end tests of `spectra stations` and `spectra table convert
//! --stations`: emission designators, a generated register checked against
//! the sample table, bad rows, conversion impact, emergency orders and the
//! radius query.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{spectra, stderr_of_usage_error, stdout_of};

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_of(args)).unwrap()
}

#[test]
fn emission_prints_the_designator_as_json() {
    let v = json(&["stations", "emission", "16K0F3E", "--json"]);
    assert_eq!(v["designator"], "16K0F3E");
    assert_eq!(v["bandwidth_hz"], 16000.0);
    assert!(
        v["modulation"]
            .as_str()
            .unwrap()
            .contains("requency modulation"),
        "{v}"
    );
    assert!(
        v["information"].as_str().unwrap().contains("elephony"),
        "{v}"
    );
    let err = stderr_of_usage_error(&["stations", "emission", "0K50F3E", "--json"]);
    assert!(err.contains("position 1"), "{err}");
}

/// Generates a register (with operators) into `dir`.
fn generate(dir: &std::path::Path, n: &str, share: &str) -> (String, String) {
    let reg = dir.join("reg.csv").to_str().unwrap().to_owned();
    let ops = dir.join("ops.csv").to_str().unwrap().to_owned();
    stdout_of(&[
        "datasets",
        "stations",
        "--assignments",
        n,
        "--nonconforming-share",
        share,
        "--out",
        &reg,
        "--operators-out",
        &ops,
    ]);
    (reg, ops)
}

#[test]
fn a_generated_register_complies_or_exits_one_with_findings() {
    let dir = tempfile::tempdir().unwrap();
    let (reg, ops) = generate(dir.path(), "2000", "0");
    let args = [
        "stations",
        "compliance",
        "--stations",
        &reg,
        "--operators",
        &ops,
        "--at",
        "2026-11-30",
        "--json",
        "--internal",
    ];
    let clean = spectra(&args);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(v["assignments"], 2000);
    assert_eq!(v["findings"], serde_json::json!([]));

    let (reg, ops) = generate(dir.path(), "2000", "0.05");
    let out = dir.path().join("findings.parquet");
    let run = spectra(&[
        "stations",
        "compliance",
        "--stations",
        &reg,
        "--operators",
        &ops,
        "--at",
        "2026-11-30",
        "--json",
        "--internal",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in ["id", "kind", "lower_hz", "upper_hz", "message"] {
            assert!(!f[key].is_null(), "{key} missing in {f}");
        }
    }
    assert!(out.is_file(), "the findings are written as Parquet");
}

#[test]
fn a_bad_row_names_file_line_and_field_and_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("bad.csv");
    std::fs::write(
        &reg,
        "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,eirp_dbm\n\
         A1,Sky,land_mobile,42.87,74.59,30,460000000,12K5F3E,40\n\
         A2,Sky,land_mobile,42.87,74.59,30,460000000,K500F3E,40\n",
    )
    .unwrap();
    let out = dir.path().join("out.parquet");
    let err = stderr_of_usage_error(&[
        "stations",
        "export",
        "--stations",
        reg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(err.contains("bad.csv:3: field `emission`"), "{err}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn convert_with_stations_lists_the_touched_assignments() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("reg.csv");
    std::fs::write(
        &reg,
        "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,eirp_dbm,category\n\
         G1,MoD,fixed,42.87,74.59,30,1440000000,3M50D7W,50,government\n\
         C1,Sky,fixed,42.87,74.59,30,1500000000,3M50D7W,50,civil\n",
    )
    .unwrap();
    let table = dir.path().join("kg.ntfa");
    std::fs::write(&table, datasets::ntfa::SAMPLE_NTFA).unwrap();
    let impact = dir.path().join("impact.csv");
    let v = json(&[
        "table",
        "convert",
        "--table",
        table.to_str().unwrap(),
        "--lower",
        "1435MHz",
        "--upper",
        "1452MHz",
        "--from",
        "government",
        "--to",
        "civil",
        "--reference",
        "T-1",
        "--authority",
        "Test",
        "--date",
        "2026-12-01",
        "--stations",
        reg.to_str().unwrap(),
        "--impact-out",
        impact.to_str().unwrap(),
        "--json",
    ]);
    let list = v["impact"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{v}");
    assert_eq!(list[0]["id"], "G1");
    assert_eq!(list[0]["change"], "now_mismatched");
    assert!(std::fs::read_to_string(&impact).unwrap().contains("G1"));
}

#[test]
fn emergency_orders_switch_on_and_off_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("reg.csv");
    std::fs::write(
        &reg,
        "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,eirp_dbm\n\
         A1,Sky,land_mobile,42.87,74.59,30,460000000,12K5F3E,40\n\
         A2,MES,land_mobile,42.88,74.60,30,462000000,12K5F3E,40\n\
         A3,Sky,land_mobile,40.5,72.8,30,460000000,12K5F3E,40\n",
    )
    .unwrap();
    let area = dir.path().join("area.geojson");
    std::fs::write(
        &area,
        r#"{"type":"Polygon","coordinates":[[[74.4,42.7],[74.8,42.7],[74.8,43.0],[74.4,43.0],[74.4,42.7]]]}"#,
    )
    .unwrap();
    let orders = dir.path().join("orders.json");
    let (o, r, a) = (
        orders.to_str().unwrap(),
        reg.to_str().unwrap(),
        area.to_str().unwrap(),
    );
    let order = |id: &str, action: &str, extra: &[&str]| {
        let mut args = vec![
            "stations",
            "order",
            "--orders",
            o,
            "--id",
            id,
            "--emergency",
            "Flood",
            "--authority",
            "MES",
            "--action",
            action,
            "--band",
            "450MHz-470MHz",
            "--territory",
            a,
            "--start",
            "2026-12-01",
            "--end",
            "2026-12-03",
        ];
        args.extend_from_slice(extra);
        spectra(&args)
    };
    assert_eq!(order("O1", "suspend", &[]).status.code(), Some(0));
    assert_eq!(
        order("O2", "priority", &["--users", "MES"]).status.code(),
        Some(0)
    );
    // A priority order without users, and an end before the start, are refused.
    assert_eq!(order("O3", "priority", &[]).status.code(), Some(2));
    let bad_end = spectra(&[
        "stations",
        "order",
        "--orders",
        o,
        "--id",
        "O4",
        "--emergency",
        "F",
        "--authority",
        "M",
        "--action",
        "suspend",
        "--band",
        "450MHz-470MHz",
        "--territory",
        a,
        "--start",
        "2026-12-03",
        "--end",
        "2026-12-01",
    ]);
    assert_eq!(bad_end.status.code(), Some(2));
    let states = |at: &str| -> Vec<String> {
        let v = json(&[
            "stations",
            "status",
            "--stations",
            r,
            "--orders",
            o,
            "--at",
            at,
            "--json",
        ]);
        v["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["state"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(states("2026-11-30"), ["active", "active", "active"]);
    assert_eq!(
        states("2026-12-02T12:00:00Z"),
        ["suspended_by_order", "prioritised", "active"]
    );
    assert_eq!(states("2026-12-03"), ["active", "active", "active"]);
    // Editing the journal by hand is detected.
    let text = std::fs::read_to_string(&orders).unwrap();
    std::fs::write(&orders, text.replacen("Flood", "Fire", 1)).unwrap();
    let err = stderr_of_usage_error(&["stations", "status", "--stations", r, "--orders", o]);
    assert!(err.contains("altered"), "{err}");
}

#[test]
fn near_finds_assignments_within_the_radius_and_band() {
    let dir = tempfile::tempdir().unwrap();
    let (reg, _) = generate(dir.path(), "3000", "0");
    let all = json(&[
        "stations",
        "near",
        "--stations",
        &reg,
        "--lat",
        "42.8746",
        "--lon",
        "74.5698",
        "--radius-km",
        "20",
        "--json",
    ]);
    let banded = json(&[
        "stations",
        "near",
        "--stations",
        &reg,
        "--lat",
        "42.8746",
        "--lon",
        "74.5698",
        "--radius-km",
        "20",
        "--band",
        "450MHz-470MHz",
        "--json",
    ]);
    let n_all = all["count"].as_u64().unwrap();
    assert!(n_all > 0);
    assert!(banded["count"].as_u64().unwrap() <= n_all);
    let err = stderr_of_usage_error(&[
        "stations",
        "near",
        "--stations",
        &reg,
        "--lat",
        "95",
        "--lon",
        "74",
        "--radius-km",
        "1",
    ]);
    assert!(err.contains("--lat"), "{err}");
}
