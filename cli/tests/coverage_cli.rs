//! End-to-end tests of the frequency flags and the bounded inputs of
//! `spectra propagate`, `spectra coverage` and `spectra profile`: a frequency
//! with its unit gives the same bits as the bare number, and an input out of
//! bounds fails with exit 2 and an error naming its flag, before any work.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::spectra;

fn stdout_of(args: &[&str]) -> String {
    let out = spectra(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn stderr_of_usage_error(args: &[&str]) -> String {
    let out = spectra(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

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
