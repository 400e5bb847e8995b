//! End-to-end tests of `spectra propagate`: paths too large for memory,
//! non-physical inputs and non-finite results refused with the flag named,
//! one flag scheme across the models, PFL files with a byte order mark.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{spectra, stderr_of_usage_error, stdout_of};

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

/// Issue 17: ITU-R P.2109 from the command line — the ITU reference value of
/// the SG 3 workbook (28 GHz, traditional, 0°) and its edges as errors.
#[test]
fn p2109_gives_the_reference_loss_and_refuses_its_edges() {
    let out = stdout_of(&[
        "propagate",
        "p2109",
        "--freq-ghz",
        "28",
        "--percent",
        "50.11872",
        "--class",
        "1",
        "--json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let loss = doc["loss_db"].as_f64().unwrap();
    // The SG 3 workbook: 28 GHz, P = 50.11872 %, class 1, 0° → 20.218 dB (tolerance 0.01 dB).
    assert!((loss - 20.218).abs() <= 0.01, "{loss}");
    assert!(doc["model"].as_str().unwrap().contains("P.2109"));
    for (flag, value, says) in [
        ("--freq-ghz", "200", "0.08..=100 GHz"),
        ("--percent", "100", "(0, 100) %"),
        ("--class", "3", "building class"),
        ("--theta-deg", "91", "-90..=90"),
    ] {
        let mut args = vec!["propagate", "p2109", "--freq-ghz", "28", "--percent", "50"];
        if let Some(i) = args.iter().position(|a| *a == flag) {
            args[i + 1] = value;
        } else {
            args.extend([flag, value]);
        }
        let err = stderr_of_usage_error(&args);
        assert!(err.contains(says), "{flag} {value}: {err}");
    }
}

/// Issue 17: ITU-R P.676 from the command line — the SG 3 sweep's γ at
/// 60 GHz over 2 km, and the frequency edge as an error.
#[test]
fn p676_gives_the_reference_attenuation_and_refuses_its_edges() {
    let out = stdout_of(&[
        "propagate",
        "p676",
        "--freq-ghz",
        "60",
        "--distance-km",
        "2",
        "--json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = doc["loss_db"].as_f64().unwrap();
    // P.676-13_SpAtt.csv, 60 GHz: γ = 14.7783166371223 dB/km at 1013.25 hPa, 7.5 g/m³, 288.15 K.
    let expected = 2.0 * 14.778_316_637_122_3;
    assert!((a - expected).abs() <= 1e-6 * expected, "{a} vs {expected}");
    let err = stderr_of_usage_error(&[
        "propagate",
        "p676",
        "--freq-ghz",
        "1500",
        "--distance-km",
        "1",
    ]);
    assert!(err.contains("1..=1000 GHz"), "{err}");
}

/// Issue 17: the P.676 slant path from the command line — the SG 3 example
/// (28 GHz, 30°, sea level to space; and 1.3 to 8 km) and its refusals.
#[test]
fn p676_slant_path_gives_the_sg3_examples_and_refuses_bad_geometry() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "propagate",
            "p676",
            "--freq-ghz",
            "28",
            "--elevation-deg",
            "30",
            "--json",
        ];
        args.extend_from_slice(extra);
        let doc: serde_json::Value = serde_json::from_str(&stdout_of(&args)).unwrap();
        (
            doc["loss_db"].as_f64().unwrap(),
            doc["bending_rad"].as_f64().unwrap(),
        )
    };
    // P.676-13_A_Gas_A1_2.2.1a.csv row 23: A = 0.47081173472870474 dB, bending 5.4798080918594394e-4 rad.
    let (a, b) = run(&[]);
    assert!((a - 0.470_811_734_728_704_7).abs() <= 1e-6 * a, "{a}");
    assert!((b - 5.479_808_091_859_439e-4).abs() <= 1e-6 * b, "{b}");
    // P.676-13_A_Gas_A1_2.2.1b.csv row 24: 1.3 to 8 km, A = 0.24376211236218553 dB.
    let (a, _) = run(&["--station-km", "1.3", "--upper-km", "8"]);
    assert!((a - 0.243_762_112_362_185_53).abs() <= 1e-6 * a, "{a}");
    let err = stderr_of_usage_error(&[
        "propagate",
        "p676",
        "--freq-ghz",
        "28",
        "--elevation-deg",
        "-5",
    ]);
    assert!(err.contains("negative only above sea level"), "{err}");
    let err = stderr_of_usage_error(&[
        "propagate",
        "p676",
        "--freq-ghz",
        "28",
        "--elevation-deg",
        "30",
        "--station-km",
        "9",
        "--upper-km",
        "8",
    ]);
    assert!(err.contains("h_lower < h_upper"), "{err}");
    let err = stderr_of_usage_error(&["propagate", "p676", "--freq-ghz", "28"]);
    assert!(
        err.contains("--distance-km") || err.contains("required"),
        "{err}"
    );
}

/// Issue 17: ITU-R P.528 from the command line — NTIA's test vector at 600 km
/// (troposcatter, vertical) and a line-of-sight README example, then the
/// edges as errors naming their range.
#[test]
fn p528_gives_ntias_vectors_and_refuses_its_edges() {
    let run = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["propagate", "p528", "--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&stdout_of(&all)).unwrap()
    };
    // P528Test_001.csv row 1: 600 km, 10 m / 20 km, 3 GHz, vertical, 50 %.
    let doc = run(&[
        "--freq-mhz",
        "3000",
        "--distance-km",
        "600",
        "--h1-m",
        "10",
        "--h2-m",
        "20000",
        "--pol",
        "v",
    ]);
    assert_eq!(doc["mode"], "troposcatter");
    let a = doc["loss_db"].as_f64().unwrap();
    assert!((a - 189.111_954_450_171_34).abs() < 1e-6, "{a}");
    assert!((doc["absorption_db"].as_f64().unwrap() - 2.207_736_108_335_497).abs() < 1e-6);
    // 15 km, 10 m / 1 km, 500 MHz, 50 %: 110.0 dB in line of sight.
    let doc = run(&[
        "--freq-mhz",
        "500",
        "--distance-km",
        "15",
        "--h1-m",
        "10",
        "--h2-m",
        "1000",
    ]);
    assert_eq!(doc["mode"], "line of sight");
    assert!(
        (doc["loss_db"].as_f64().unwrap() - 110.0).abs() < 0.05,
        "{doc}"
    );
    // Each refusal names the range it expected.
    let base = ["propagate", "p528", "--distance-km", "15"];
    for (extra, expected) in [
        (
            ["--freq-mhz", "50", "--h1-m", "10", "--h2-m", "1000"],
            "100..=30000 MHz",
        ),
        (
            ["--freq-mhz", "500", "--h1-m", "1000", "--h2-m", "10"],
            "lower one",
        ),
        (
            ["--freq-mhz", "500", "--h1-m", "10", "--h2-m", "1000"],
            "1..=99 %",
        ),
    ] {
        let mut args = base.to_vec();
        args.extend_from_slice(&extra);
        if expected == "1..=99 %" {
            args.extend_from_slice(&["--time-percent", "99.5"]);
        }
        let err = stderr_of_usage_error(&args);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}
