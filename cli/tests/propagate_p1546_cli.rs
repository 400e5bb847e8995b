//! `spectra propagate p1546` end to end (issue 17): a curve value read
//! directly, a reference validation case over its terrain profile, and the
//! edges refused with their ranges.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{stderr_of_usage_error, stdout_of};

const PROFILES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/propagation/p1546/profiles"
);

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["propagate", "p1546", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&stdout_of(&all)).unwrap()
}

#[test]
fn a_nominal_case_reads_figure_9() {
    // 600 MHz, 50 %, land, h1 = 150 m, 20 km: Figure 9's tabulated 60.2499.
    let doc = json(&[
        "--freq-mhz",
        "600",
        "--distance-km",
        "20",
        "--heff-m",
        "150",
        "--h-rx-m",
        "10",
    ]);
    assert_eq!(doc["field_dbuv_m"].as_f64().unwrap(), 60.2499);
    let lb = doc["loss_db"].as_f64().unwrap();
    assert!((lb - (139.3 - 60.2499 + 20.0 * 600f64.log10())).abs() < 1e-9);
    assert_eq!(doc["steps"]["h1_m"].as_f64().unwrap(), 150.0);
    // A mixed path with 10 km of warm sea is stronger than all land.
    let mixed = json(&[
        "--freq-mhz",
        "600",
        "--distance-km",
        "20",
        "--heff-m",
        "150",
        "--h-rx-m",
        "10",
        "--sea-km",
        "10",
        "--sea",
        "warm",
        "--time-pct",
        "10",
    ]);
    let land = json(&[
        "--freq-mhz",
        "600",
        "--distance-km",
        "20",
        "--heff-m",
        "150",
        "--h-rx-m",
        "10",
        "--time-pct",
        "10",
    ]);
    assert!(mixed["field_dbuv_m"].as_f64().unwrap() > land["field_dbuv_m"].as_f64().unwrap());
    assert_eq!(mixed["steps"]["sea_km"].as_f64().unwrap(), 10.0);
}

#[test]
fn a_reference_case_over_its_profile_gives_the_reference_field() {
    // flat_10km.csv: 900 MHz, 20 %, Tx 100 m, Rx 5 m, rural, no clutter
    // heights at either end; the WP 3K reference gives 63.03099718 dBµV/m.
    let text = std::fs::read_to_string(format!("{PROFILES}/flat_10km.csv")).unwrap();
    let points: Vec<String> = text
        .lines()
        .skip_while(|l| !l.starts_with("Number of Points"))
        .skip(1)
        .take_while(|l| !l.starts_with('{'))
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(points.len(), 27);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("flat_10km.csv");
    std::fs::write(&csv, format!("d_km,h_m\n{}\n", points.join("\n"))).unwrap();
    let doc = json(&[
        "--profile",
        csv.to_str().unwrap(),
        "--freq-mhz",
        "900",
        "--time-pct",
        "20",
        "--h-tx-m",
        "100",
        "--h-rx-m",
        "5",
        "--rx-clutter-m",
        "0",
        "--tx-clutter-m",
        "0",
    ]);
    let e = doc["field_dbuv_m"].as_f64().unwrap();
    assert!((e - 63.030_997_18).abs() < 1e-6, "{e}");
    assert!((doc["loss_db"].as_f64().unwrap() - (139.3 - e + 20.0 * 900f64.log10())).abs() < 1e-9);
    assert_eq!(doc["input"]["terrain_known"], true);
    // Text output names the field strength and the loss.
    let text = stdout_of(&[
        "propagate",
        "p1546",
        "--profile",
        csv.to_str().unwrap(),
        "--freq-mhz",
        "900",
        "--time-pct",
        "20",
        "--h-tx-m",
        "100",
        "--h-rx-m",
        "5",
    ]);
    assert!(
        text.contains("Field strength") && text.contains("Basic loss"),
        "{text}"
    );
}

#[test]
fn the_edges_are_refused_with_their_ranges() {
    let base = [
        "propagate",
        "p1546",
        "--distance-km",
        "20",
        "--heff-m",
        "150",
    ];
    for (extra, expected) in [
        (
            vec!["--freq-mhz", "5000", "--h-rx-m", "10"],
            "30..=4000 MHz",
        ),
        (
            vec!["--freq-mhz", "600", "--h-rx-m", "10", "--time-pct", "60"],
            "1..=50 %",
        ),
        (
            vec![
                "--freq-mhz",
                "600",
                "--h-rx-m",
                "10",
                "--location-pct",
                "100",
            ],
            "1..=99 %",
        ),
        (
            vec!["--freq-mhz", "600", "--h-rx-m", "10", "--sea-km", "30"],
            "--sea-km",
        ),
        (
            vec!["--freq-mhz", "600", "--rx-area", "sea", "--h-rx-m", "2"],
            "3..=3000 m",
        ),
    ] {
        let mut args = base.to_vec();
        args.extend_from_slice(&extra);
        let err = stderr_of_usage_error(&args);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let err = stderr_of_usage_error(&[
        "propagate",
        "p1546",
        "--distance-km",
        "1200",
        "--heff-m",
        "150",
        "--h-rx-m",
        "10",
        "--freq-mhz",
        "600",
    ]);
    assert!(
        err.contains("path length") && err.contains("1000 km"),
        "{err}"
    );
    let err = stderr_of_usage_error(&[
        "propagate",
        "p1546",
        "--profile",
        "/nonexistent.csv",
        "--freq-mhz",
        "600",
        "--h-rx-m",
        "10",
    ]);
    assert!(err.contains("--h-tx-m"), "{err}");
}
