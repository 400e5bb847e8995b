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

/// Issue 10 #3: path sizes derived from the flags are bounded before
/// anything is allocated (these aborted with "memory allocation … failed").
#[test]
fn oversized_propagate_paths_are_refused_with_the_flag_named() {
    let err = stderr_of_usage_error(&[
        "propagate",
        "p452",
        "--distance-km",
        "1e7",
        "--step-km",
        "1e-6",
        "--freq-ghz",
        "2",
        "--time-pct",
        "50",
        "--h-tx-m",
        "10",
        "--h-rx-m",
        "10",
        "--phi-deg",
        "40",
    ]);
    assert!(
        err.contains("--step-km") && err.contains("at most 1000000"),
        "{err}"
    );
    for (model, hb, hm) in [
        ("itm", "--h-tx-m", "--h-rx-m"),
        ("ehata", "--h-b-m", "--h-m-m"),
    ] {
        let err = stderr_of_usage_error(&[
            "propagate",
            model,
            "--distance-km",
            "1e6",
            "--step-m",
            "0.01",
            "--freq-mhz",
            "600",
            hb,
            "50",
            hm,
            "2",
        ]);
        assert!(
            err.contains("--step-m") && err.contains("at most"),
            "{model}: {err}"
        );
    }
    let err = stderr_of_usage_error(&["profile", "0,0", "0,179", "--step-m", "0.01"]);
    assert!(err.contains("--step-m"), "{err}");
}

/// Issue 10 #5: a step longer than the path, terrain heights out of range
/// and non-physical inputs are refused up front instead of printing a
/// NaN / inf / absurd result with exit 0.
#[test]
fn non_physical_propagate_inputs_are_refused() {
    let err = stderr_of_usage_error(&[
        "propagate",
        "itm",
        "--distance-km",
        "30",
        "--step-m",
        "1e9",
        "--freq-mhz",
        "600",
        "--h-tx-m",
        "10",
        "--h-rx-m",
        "10",
    ]);
    assert!(err.contains("--step-m"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    std::fs::write(&csv, "d_km,h_m\n0,100\n5,1e300\n10,100\n").unwrap();
    let err = stderr_of_usage_error(&[
        "propagate",
        "p452",
        "--profile",
        csv.to_str().unwrap(),
        "--freq-ghz",
        "2",
        "--time-pct",
        "50",
        "--h-tx-m",
        "10",
        "--h-rx-m",
        "10",
        "--phi-deg",
        "40",
    ]);
    assert!(err.contains("terrain heights in [-500, 9000] m"), "{err}");
    let pfl = dir.path().join("p.pfl");
    std::fs::write(&pfl, "2 1000 100 1e308 100\n").unwrap();
    let err = stderr_of_usage_error(&[
        "propagate",
        "ehata",
        "--pfl",
        pfl.to_str().unwrap(),
        "--freq-mhz",
        "600",
        "--h-tx-m",
        "50",
        "--h-rx-m",
        "2",
    ]);
    assert!(err.contains("terrain heights"), "{err}");
    // Antenna heights: the rule of `coverage`, (0, 10000] m, in every model.
    for model in ["p452", "p1812"] {
        let err = stderr_of_usage_error(&[
            "propagate",
            model,
            "--distance-km",
            "30",
            "--freq-ghz",
            "2",
            "--time-pct",
            "10",
            "--h-tx-m",
            "1e7",
            "--h-rx-m",
            "10",
            "--phi-deg",
            "40",
        ]);
        assert!(
            err.contains("--h-tx-m") && err.contains("10000"),
            "{model}: {err}"
        );
    }
    for model in ["ehata", "hata"] {
        let err = stderr_of_usage_error(&[
            "propagate",
            model,
            "--distance-km",
            "5",
            "--freq-mhz",
            "900",
            "--h-tx-m",
            "1e7",
            "--h-rx-m",
            "2",
        ]);
        assert!(
            err.contains("--h-tx-m") && err.contains("10000"),
            "{model}: {err}"
        );
    }
}

/// Issue 10 #15: one flag scheme across models (old names still accepted),
/// negative values without `=`, no Debug names or `-0.000000` in the text.
#[test]
fn propagate_flags_share_one_scheme_and_text_has_no_debug_strings() {
    let p452 = |h: [&str; 2], phi: &str| {
        stdout_of(&[
            "propagate",
            "p452",
            "--distance-km",
            "30",
            "--ground-m",
            "-20",
            "--freq-ghz",
            "2",
            "--time-pct",
            "50",
            h[0],
            "10",
            h[1],
            "10",
            "--phi-deg",
            phi,
        ])
    };
    let new = p452(["--h-tx-m", "--h-rx-m"], "-40");
    assert_eq!(new, p452(["--htx-m", "--hrx-m"], "-40"));
    assert!(!new.contains("-0.000000"), "{new}");
    let hata = |h: [&str; 2]| {
        stdout_of(&[
            "propagate",
            "hata",
            "--freq-mhz",
            "900",
            h[0],
            "50",
            h[1],
            "1.5",
            "--distance-km",
            "5",
        ])
    };
    let new = hata(["--h-tx-m", "--h-rx-m"]);
    assert_eq!(new, hata(["--h-b-m", "--h-m-m"]));
    assert!(
        new.contains("Okumura-Hata (urban, small/medium city)"),
        "{new}"
    );
    let itm = stdout_of(&[
        "propagate",
        "itm",
        "--distance-km",
        "30",
        "--freq-mhz",
        "600",
        "--h-tx-m",
        "10",
        "--h-rx-m",
        "10",
    ]);
    assert!(itm.contains("Mode of propagation      "), "{itm}");
    assert!(
        !itm.contains("LineOfSight") && !itm.contains("Diffraction\n"),
        "{itm}"
    );
    assert!(itm.contains("Warning flags            0x"), "{itm}");
    let flags_line = itm
        .lines()
        .find(|l| l.starts_with("Warning flags"))
        .unwrap();
    assert!(flags_line.ends_with(": none"), "{itm}");
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

/// Issue 10 #5: eHata refuses the same frequencies in `propagate` as in
/// `coverage`.
#[test]
fn ehata_frequency_domain_is_the_same_in_propagate() {
    let err = stderr_of_usage_error(&[
        "propagate",
        "ehata",
        "--distance-km",
        "10",
        "--freq-mhz",
        "20000",
        "--h-tx-m",
        "50",
        "--h-rx-m",
        "2",
    ]);
    assert!(err.contains("100..=6000 MHz"), "{err}");
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

/// Regression: a PFL file starting with a UTF-8 byte order mark was refused
/// ("value 1 must be a number").
#[test]
fn a_pfl_with_a_byte_order_mark_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.pfl");
    let bom = dir.path().join("bom.pfl");
    let text = "4, 1000, 100, 120, 180, 140, 110\n";
    std::fs::write(&plain, text).unwrap();
    std::fs::write(&bom, format!("\u{feff}{text}")).unwrap();
    let run = |p: &std::path::Path| {
        stdout_of(&[
            "propagate",
            "itm",
            "--pfl",
            p.to_str().unwrap(),
            "--freq-mhz",
            "600",
            "--h-tx-m",
            "30",
            "--h-rx-m",
            "10",
            "--json",
        ])
    };
    assert_eq!(run(&bom), run(&plain));
}

/// Regression: P.452 and P.1812 took only `--freq-ghz` while every other
/// model takes `--freq-mhz`; both now take either (exactly one).
#[test]
fn itu_models_take_freq_mhz_like_the_others() {
    let base = [
        "--distance-km",
        "30",
        "--time-pct",
        "1",
        "--h-tx-m",
        "30",
        "--h-rx-m",
        "10",
        "--phi-deg",
        "42.8",
        "--json",
    ];
    for model in ["p452", "p1812"] {
        let run = |freq: [&str; 2]| {
            let mut args = vec!["propagate", model];
            args.extend(freq);
            args.extend(base);
            stdout_of(&args)
        };
        assert_eq!(
            run(["--freq-mhz", "2000"]),
            run(["--freq-ghz", "2"]),
            "{model}"
        );
        let both = spectra(&[
            "propagate",
            model,
            "--freq-mhz",
            "2000",
            "--freq-ghz",
            "2",
            "--distance-km",
            "30",
            "--time-pct",
            "1",
            "--h-tx-m",
            "30",
            "--h-rx-m",
            "10",
            "--phi-deg",
            "42.8",
        ]);
        assert_eq!(
            both.status.code(),
            Some(2),
            "{model}: one frequency flag only"
        );
    }
}
