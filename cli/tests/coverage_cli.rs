//! End-to-end tests of the frequency flags and the bounded inputs of
//! `spectra coverage` and `spectra profile` (the `propagate` side is in
//! `propagate_cli.rs`): a frequency with its unit gives the same bits as the
//! bare number, and an input out of bounds fails with exit 2 and an error
//! naming its flag, before any work.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{spectra, stderr_of_usage_error, stdout_of};

#[test]
fn a_frequency_with_its_unit_gives_the_same_result_as_the_bare_number() {
    let bare = stdout_of(&[
        "propagate",
        "free-space",
        "--freq-mhz",
        "600",
        "--distance-km",
        "10",
        "--json",
    ]);
    for f in ["600MHz", "600 MHz", "0.6GHz", "6e8Hz", "600000kHz"] {
        let with_unit = stdout_of(&[
            "propagate",
            "free-space",
            "--freq-mhz",
            f,
            "--distance-km",
            "10",
            "--json",
        ]);
        assert_eq!(bare, with_unit, "{f}");
    }
    let itm = |f: &str| {
        stdout_of(&[
            "propagate",
            "itm",
            "--distance-km",
            "30",
            "--freq-mhz",
            f,
            "--h-tx-m",
            "60",
            "--h-rx-m",
            "1.5",
            "--json",
        ])
    };
    assert_eq!(itm("600"), itm("600MHz"));
    let p2108 = |f: &str| {
        stdout_of(&[
            "propagate",
            "p2108",
            "--method",
            "terrestrial",
            "--freq-ghz",
            f,
            "--distance-km",
            "2",
            "--percent",
            "50",
            "--json",
        ])
    };
    assert_eq!(p2108("2"), p2108("2000MHz"));
}

#[test]
fn a_bad_frequency_is_refused_with_the_flag_named() {
    for f in ["0", "12 furlongs", "1.0000001Hz", "4000GHz"] {
        let err = stderr_of_usage_error(&[
            "propagate",
            "free-space",
            "--freq-mhz",
            f,
            "--distance-km",
            "10",
        ]);
        assert!(err.contains("--freq-mhz"), "{f}: {err}");
    }
}

#[test]
fn coverage_inputs_out_of_bounds_name_their_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map");
    let out = out.to_str().unwrap();
    let base = [
        "coverage",
        "--site",
        "42.80,74.60",
        "--freq-mhz",
        "600",
        "--eirp-dbm",
        "70",
        "--quiet",
        "--out",
        out,
    ];
    for (extra, flag) in [
        (&["--height-m", "0", "--radius-km", "5"][..], "--height-m"),
        (&["--height-m", "30", "--radius-km", "5000"], "--radius-km"),
        (
            &[
                "--height-m",
                "30",
                "--radius-km",
                "5",
                "--resolution-m",
                "0.1",
            ],
            "--resolution-m",
        ),
        (
            &[
                "--height-m",
                "30",
                "--radius-km",
                "2000",
                "--resolution-m",
                "1",
            ],
            "--radius-km / --bbox / --resolution-m",
        ),
        (
            &[
                "--height-m",
                "30",
                "--radius-km",
                "100",
                "--terrain-step-m",
                "1",
            ],
            "--terrain-step-m",
        ),
        (
            &["--height-m", "30", "--radius-km", "5", "--rx-height-m", "0"],
            "--rx-height-m",
        ),
        (
            &[
                "--height-m",
                "30",
                "--radius-km",
                "5",
                "--itm-percent",
                "50,100,50",
            ],
            "--itm-percent",
        ),
        (
            &[
                "--height-m",
                "30",
                "--radius-km",
                "5",
                "--model",
                "p1812",
                "--p1812-percent",
                "60,50",
            ],
            "--p1812-percent",
        ),
        (
            &[
                "--height-m",
                "30",
                "--radius-km",
                "5",
                "--model",
                "p1546",
                "--p1546-percent",
                "60,50",
            ],
            "--p1546-percent",
        ),
    ] {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        let err = stderr_of_usage_error(&args);
        assert!(err.contains(flag), "{extra:?}: {err}");
    }
    let high = stderr_of_usage_error(&[
        "coverage",
        "--site",
        "42.80,74.60",
        "--freq-mhz",
        "25GHz",
        "--eirp-dbm",
        "70",
        "--height-m",
        "30",
        "--radius-km",
        "5",
        "--quiet",
        "--out",
        out,
    ]);
    assert!(
        high.contains("--freq-mhz") && high.contains("20000"),
        "{high}"
    );
    assert!(!dir.path().join("map.tif").exists(), "nothing is written");
}

#[test]
fn profile_points_are_capped_with_the_flag_named() {
    let err =
        stderr_of_usage_error(&["profile", "42.87,74.59", "42.55,74.62", "--step-m", "0.001"]);
    assert!(
        err.contains("--step-m") && err.contains("at most 1000000"),
        "{err}"
    );
    let err = stderr_of_usage_error(&["profile", "42.87,74.59", "42.55,74.62", "--step-m", "0"]);
    assert!(err.contains("--step-m"), "{err}");
}

/// Issue 10 #4 / #5: runaway or non-physical coverage studies are refused
/// before any work, with the flag named; a large study states its size.
#[test]
fn runaway_and_non_physical_coverage_studies_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map");
    let out = out.to_str().unwrap();
    let base = [
        "coverage",
        "--site",
        "42.80,74.60",
        "--height-m",
        "30",
        "--quiet",
        "--out",
        out,
    ];
    for (extra, flag) in [
        (
            &[
                "--radius-km",
                "5",
                "--freq-mhz",
                "600",
                "--eirp-dbm",
                "70",
                "--threads",
                "100000",
            ][..],
            "--threads",
        ),
        (
            &[
                "--bbox",
                "10,10,10.1,10.1",
                "--freq-mhz",
                "600",
                "--eirp-dbm",
                "70",
            ],
            "--bbox",
        ),
        (
            &[
                "--radius-km",
                "5",
                "--freq-mhz",
                "600",
                "--eirp-dbm",
                "1e300",
            ],
            "--eirp-dbm",
        ),
        (
            &[
                "--radius-km",
                "5",
                "--freq-mhz",
                "600",
                "--eirp-dbm",
                "70",
                "--itm-percent",
                "0,50,50",
            ],
            "--itm-percent",
        ),
        (
            &[
                "--radius-km",
                "5",
                "--freq-mhz",
                "20000",
                "--eirp-dbm",
                "70",
                "--model",
                "hata",
            ],
            "--freq-mhz",
        ),
        (
            &[
                "--radius-km",
                "5",
                "--freq-mhz",
                "20000",
                "--eirp-dbm",
                "70",
                "--model",
                "ehata",
            ],
            "--freq-mhz",
        ),
    ] {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        let err = stderr_of_usage_error(&args);
        assert!(err.contains(flag), "{extra:?}: {err}");
    }
    assert!(!dir.path().join("map.tif").exists(), "nothing is written");
}

/// Issue 10 #4: a large study states its size on stderr before it starts.
#[test]
fn a_large_study_states_its_size_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big");
    let o = spectra(&[
        "coverage",
        "--site",
        "42.80,74.60",
        "--height-m",
        "60",
        "--freq-mhz",
        "600",
        "--eirp-dbm",
        "70",
        "--model",
        "free-space",
        "--radius-km",
        "60",
        "--resolution-m",
        "100",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("note: a large study: 1442401 cells (1201 × 1201)") && err.contains("radials"),
        "{err}"
    );
}

/// Issue 10 #16: the help of `propagate p452` says the path centre is
/// needed, and every `--dem` directory in the README exists.
#[test]
fn examples_and_help_name_what_they_need() {
    let help = stdout_of(&["propagate", "p452", "--help"]);
    assert!(help.contains("needed with --profile"), "{help}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for doc in ["README.md", "spectrum-core/COVERAGE.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        let dems: Vec<&str> = text
            .split("--dem ")
            .skip(1)
            .filter_map(|rest| rest.split_whitespace().next())
            .filter(|d| !d.starts_with('<') && !d.starts_with("DIR"))
            .collect();
        assert!(!dems.is_empty(), "{doc}");
        for d in dems {
            assert!(root.join(d).is_dir(), "{doc}: --dem {d} does not exist");
        }
    }
}

/// Issue 17: P.1546 is a coverage model — a small map over the synthetic
/// relief, every cell accepted by the model.
#[test]
fn p1546_maps_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p1546");
    let summary = stdout_of(&[
        "coverage",
        "--site",
        "42.80,74.60",
        "--freq-mhz",
        "600",
        "--eirp-dbm",
        "60",
        "--height-m",
        "30",
        "--radius-km",
        "3",
        "--resolution-m",
        "200",
        "--model",
        "p1546",
        "--p1546-percent",
        "10,90",
        "--p1546-area",
        "urban",
        "--quiet",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    let doc: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(doc["model"], "p1546", "{doc}");
    assert_eq!(doc["model_failed_cells"], 0, "{doc}");
    assert!(doc["computed_cells"].as_u64().unwrap() > 400, "{doc}");
    assert!(dir.path().join("p1546.parquet").exists());
}
