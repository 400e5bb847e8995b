//! End-to-end tests of `spectra table …`: JSON shapes, exit codes (0 ok,
//! 1 findings, 2 bad usage or unreadable input), conversions and history.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use allocation_table::leaks::{Probe, Probes, parquet_as_text};
use allocation_table::publish::{Audience, view};
use allocation_table::sink::{Format, write};
use common::spectra;

const ITU1: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/allocations/itu1"
);

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn at_json_has_the_documented_shape_for_every_frequency_form() {
    for f in ["435MHz", "435 MHz", "0.435GHz", "4.35e8"] {
        let out = spectra(&["table", "at", f, "--table", ITU1, "--json"]);
        assert_eq!(out.status.code(), Some(0), "{f}");
        let v = json(&out);
        let band = &v["bands"][0];
        assert_eq!(band["lower_hz"], 432_000_000u64);
        assert_eq!(band["upper_hz"], 438_000_000u64);
        assert!(
            band["footnotes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == "5.138")
        );
        let a = &band["allocations"];
        assert_eq!(a[0]["service"], "Amateur");
        assert_eq!(a[0]["status"], "primary");
        assert_eq!(a[2]["service"], "Earth Exploration-Satellite (active)");
        assert_eq!(a[2]["status"], "secondary");
        assert_eq!(a[2]["qualifiers"][0], "(active)");
        assert_eq!(a[2]["footnotes"][0], "5.279A");
    }
}

#[test]
fn validate_exit_codes_and_json() {
    let out = spectra(&["table", "validate", "--table", ITU1, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert!(v["bands"].as_u64().unwrap() > 400);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 115);
    for key in ["kind", "lower_hz", "upper_hz", "line", "message"] {
        assert!(findings[0].get(key).is_some(), "missing {key}");
    }
    // The embedded sample table is clean.
    let out = spectra(&["table", "validate"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn bad_usage_and_unreadable_input_exit_2() {
    let out = spectra(&["table", "at", "12 furlongs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a frequency"));
    let out = spectra(&["table", "at", "435MHz", "--table", "/nonexistent/table"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/table"));
}

#[test]
fn conversion_is_recorded_and_refused_directions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("kg.ntfa");
    let out_str = out_path.to_str().unwrap();
    let refused = spectra(&[
        "table",
        "convert",
        "--lower",
        "790MHz",
        "--upper",
        "862MHz",
        "--from",
        "civil",
        "--to",
        "government",
        "--reference",
        "X",
        "--authority",
        "Y",
        "--date",
        "2025-01-01",
        "--out",
        out_str,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a conversion"));
    assert!(
        !out_path.exists(),
        "nothing is written when a conversion is refused"
    );

    let ok = spectra(&[
        "table",
        "convert",
        "--lower",
        "1435MHz",
        "--upper",
        "1452MHz",
        "--from",
        "government",
        "--to",
        "joint",
        "--reference",
        "GKS-2025-001",
        "--authority",
        "Agency",
        "--date",
        "2025-01-01",
        "--out",
        out_str,
        "--json",
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(json(&ok)["decision"]["split_edges_hz"][0], 1_435_000_000u64);

    let at = json(&spectra(&[
        "table", "at", "1440MHz", "--table", out_str, "--json",
    ]));
    assert_eq!(at["bands"][0]["category"], "joint");
    let hist = json(&spectra(&[
        "table", "history", "--table", out_str, "--json",
    ]));
    assert_eq!(hist["decisions"].as_array().unwrap().len(), 5);
    let past = json(&spectra(&[
        "table",
        "history",
        "--table",
        out_str,
        "--as-of",
        "2024-12-31",
        "--json",
    ]));
    assert_eq!(past["decisions_in_force"], 4);
}

/// The sample table and the probes of its restricted material.
fn sample_probes() -> (allocation_table::Table, Probes) {
    let t = datasets::ntfa::sample_table().unwrap();
    let p = Probes::for_table(&t);
    assert!(
        p.items()
            .iter()
            .any(|(p, _)| *p == Probe::Pair(420_000_000, 430_000_000)),
        "{:?}",
        p.items()
    );
    (t, p)
}

/// The bytes of an output as the leak audit reads them.
fn audit_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    if path.extension().is_some_and(|e| e == "parquet") {
        bytes.extend(parquet_as_text(path).unwrap().into_bytes());
    }
    bytes
}

/// A chart of the sample table with its restricted bands removed.
fn stripped_chart(t: &allocation_table::Table, path: &Path) -> Vec<u8> {
    let mut stripped = t.clone();
    let public = t
        .bands()
        .iter()
        .filter(|b| b.sensitivity == allocation_table::Sensitivity::Public)
        .cloned()
        .collect();
    stripped.set_bands(public);
    let format = Format::from_path(path).unwrap();
    write(&view(&stripped, Audience::Internal), format, path).unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn default_exports_and_charts_are_open_and_leak_nothing() {
    let (t, probes) = sample_probes();
    let dir = tempfile::tempdir().unwrap();
    for name in ["t.parquet", "t.csv", "t.json", "t.ntfa", "c.png", "c.svg"] {
        let sub = if name.starts_with('c') {
            "chart"
        } else {
            "export"
        };
        for internal in [false, true] {
            let p = dir
                .path()
                .join(format!("{}{name}", if internal { "i" } else { "" }));
            let mut args = vec!["table", sub, "--out", p.to_str().unwrap()];
            if internal {
                args.push("--internal");
            }
            let out = spectra(&args);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(std::fs::metadata(&p).unwrap().len() > 100, "{name}");
            let found = probes.find(&audit_bytes(&p));
            if !internal {
                assert!(found.is_empty(), "{name}: {found:#?}");
            } else if sub == "export" {
                assert!(
                    !found.is_empty(),
                    "{name}: --internal must include the restricted band"
                );
            }
        }
        if sub == "chart" {
            let open = std::fs::read(dir.path().join(name)).unwrap();
            let internal = std::fs::read(dir.path().join(format!("i{name}"))).unwrap();
            let expected = stripped_chart(&t, &dir.path().join(format!("s{name}")));
            assert_eq!(
                open, expected,
                "{name}: open chart draws more than the public bands"
            );
            assert_ne!(open, internal, "{name}");
        }
    }
    let csv = std::fs::read_to_string(dir.path().join("t.csv")).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.split(',').nth(1) == Some("410000000"))
    );
}

#[test]
fn demo_open_outputs_leak_nothing() {
    let (t, probes) = sample_probes();
    let dir = tempfile::tempdir().unwrap();
    let out = spectra(&["demo", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "ntfa.parquet",
        "ntfa.csv",
        "ntfa.json",
        "chart.png",
        "chart.svg",
        "ntfa-converted.ntfa",
    ] {
        let found = probes.find(&audit_bytes(&dir.path().join(name)));
        assert!(found.is_empty(), "{name}: {found:#?}");
    }
    // The demo's conversion does not touch restricted spectrum, so the
    // charts are those of the public bands.
    for name in ["chart.png", "chart.svg"] {
        let open = std::fs::read(dir.path().join(name)).unwrap();
        let mut converted = t.clone();
        converted
            .convert(&allocation_table::convert::Conversion {
                lower_hz: 1_435_000_000,
                upper_hz: 1_452_000_000,
                from: allocation_table::Category::Government,
                to: allocation_table::Category::Joint,
                reference: "DEMO-2025-001".into(),
                authority: "State Communications Agency (demo)".into(),
                effective_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            })
            .unwrap();
        let expected = stripped_chart(&converted, &dir.path().join(format!("s{name}")));
        assert_eq!(open, expected, "{name}");
    }
    let native = std::fs::read_to_string(dir.path().join("ntfa-converted.ntfa")).unwrap();
    assert!(
        !native.contains("restricted"),
        "the demo's native output is the open view"
    );
}

#[test]
fn queries_diff_and_history_default_to_the_open_audience() {
    let (_, probes) = sample_probes();
    let runs: [&[&str]; 5] = [
        &["table", "at", "425MHz", "--json"],
        &["table", "range", "400MHz", "440MHz"],
        &["table", "service", "radiolocation", "--json"],
        &["table", "diff", "--against", ITU1, "--json"],
        &["table", "history", "--as-of", "2020-01-01", "--json"],
    ];
    for args in runs {
        let out = spectra(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let found = probes.find(&out.stdout);
        assert!(found.is_empty(), "{args:?}: {found:#?}");
    }
    assert_eq!(
        json(&spectra(&["table", "at", "425MHz", "--json"]))["bands"],
        serde_json::json!([])
    );
    let inside = json(&spectra(&["table", "at", "425MHz", "--json", "--internal"]));
    assert_eq!(inside["bands"][0]["lower_hz"], 420_000_000u64);
}

#[test]
fn convert_refuses_non_native_outputs_blank_references_and_locked_tables() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("kg.ntfa");
    std::fs::write(&table, datasets::ntfa::SAMPLE_NTFA).unwrap();
    let base = |out: &str, reference: &str| {
        spectra(&[
            "table",
            "convert",
            "--lower",
            "1435MHz",
            "--upper",
            "1452MHz",
            "--from",
            "government",
            "--to",
            "joint",
            "--reference",
            reference,
            "--authority",
            "Agency",
            "--date",
            "2025-01-01",
            "--table",
            table.to_str().unwrap(),
            "--out",
            out,
        ])
    };
    let csv = dir.path().join("x.csv");
    let out = base(csv.to_str().unwrap(), "R-1");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(".ntfa"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!csv.exists(), "no native text in a .csv file");
    let out = base(table.to_str().unwrap(), "  ");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("non-blank"));
    // Another process holds the table: refused as in use, file unchanged.
    let holder = std::fs::File::open(&table).unwrap();
    holder.lock().unwrap();
    let out = base(table.to_str().unwrap(), "R-1");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("in use"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&table).unwrap(),
        datasets::ntfa::SAMPLE_NTFA
    );
    holder.unlock().unwrap();
    let out = base(table.to_str().unwrap(), "R-1");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(&table)
            .unwrap()
            .contains("decision\tR-1")
    );
}

#[test]
fn validate_reports_and_loading_refuses_an_illegal_journal() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("bad.ntfa");
    let text = datasets::ntfa::SAMPLE_NTFA
        .replace("\tjoint\tcivil\t3400 MHz", "\tcivil\tgovernment\t3400 MHz");
    assert_ne!(text, datasets::ntfa::SAMPLE_NTFA);
    std::fs::write(&table, text).unwrap();
    let out = spectra(&["table", "validate", "--table", table.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.ntfa:")
            && err.contains("field `from`")
            && err.contains("not a conversion"),
        "{err}"
    );
}

#[test]
fn export_refuses_a_format_that_contradicts_the_extension_and_charts_refuse_data_names() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("x.csv");
    let out = spectra(&[
        "table",
        "export",
        "--format",
        "native",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("contradicts"));
    assert!(!csv.exists());
    let out = spectra(&["table", "chart", "--out", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".png or .svg"));
    assert!(!csv.exists());
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn dangerous_output_paths_are_refused_and_nothing_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    // A symbolic link stays a link; its target is untouched.
    std::fs::write(d("target.txt"), b"keep").unwrap();
    std::os::unix::fs::symlink(d("target.txt"), d("link.csv")).unwrap();
    let out = spectra(&["table", "export", "--out", &d("link.csv")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(d("link.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(d("target.txt")).unwrap(), b"keep");
    // A device is refused.
    let out = spectra(&["table", "export", "--format", "csv", "--out", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("device"), "{}", stderr(&out));
    // A missing directory is refused, not created.
    let out = spectra(&["table", "export", "--out", &d("no/such/t.csv")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(!dir.path().join("no").exists());
    // The output may not be the input.
    let out = spectra(&["table", "export", "--out", &d("t.ntfa")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = std::fs::read(d("t.ntfa")).unwrap();
    for cmd in [
        vec!["table", "export", "--format", "ntfa"],
        vec!["table", "chart"],
    ] {
        let mut args = cmd.clone();
        let same = d("t.ntfa");
        args.extend(["--table", &same, "--out", &same]);
        let out = spectra(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = spectra(&[
        "table",
        "export",
        "--table",
        &d("t.ntfa"),
        "--out",
        &d("./t.ntfa"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is the input"), "{}", stderr(&out));
    assert_eq!(std::fs::read(d("t.ntfa")).unwrap(), before);
}

#[test]
fn out_dash_writes_text_exports_to_stdout_and_refuses_binary_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spectra"))
        .args(["table", "export", "--out", "-", "--format", "csv"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().count() > 10 && text.contains("lower_hz"),
        "{text}"
    );
    assert!(!dir.path().join("-").exists(), "no file named -");
    let out = spectra(&["table", "export", "--out", "-", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    json(&out);
    for args in [
        &["table", "export", "--out", "-"][..],
        &["table", "export", "--out", "-", "--format", "parquet"],
        &["table", "chart", "--out", "-"],
    ] {
        let out = spectra(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains('-'), "{}", stderr(&out));
    }
}

#[test]
fn table_loading_refuses_empty_sources_and_reads_parquet_exports() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    std::fs::write(d("empty.ntfa"), "spectra-ntfa\t1\n").unwrap();
    let out = spectra(&["table", "validate", "--table", &d("empty.ntfa")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no band"), "{}", stderr(&out));

    let out = spectra(&["table", "export", "--out", &d("t.parquet")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = spectra(&[
        "table",
        "at",
        "435MHz",
        "--table",
        &d("t.parquet"),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!json(&out)["bands"].as_array().unwrap().is_empty());

    // 435 Hz: no band in the sample, an unallocated band in ITU Region 1.
    for args in [
        &["table", "at", "435"][..],
        &["table", "at", "435", "--table", ITU1],
    ] {
        let out = spectra(args);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("hint:") && text.contains("435MHz"), "{text}");
    }
}

#[test]
fn sigterm_is_handled_and_stale_temps_of_ours_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    // A table directory whose allocations.tsv is a FIFO: loading blocks.
    let tsv = dir.path().join("blocked");
    std::fs::create_dir(&tsv).unwrap();
    let fifo = tsv.join("allocations.tsv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_spectra"))
        .args(["table", "validate", "--table", tsv.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait_with_output().unwrap().status;
    // The handler ran (it removes in-flight temporary files, then exits
    // 128 + 15); without it the process dies of the signal, with no code.
    assert_eq!(status.code(), Some(143), "{status:?}");

    // A temporary file of our naming older than an hour is swept by the
    // next write beside it; a recent one and other files are left alone.
    let stale = dir.path().join(".t.csv.a1b2c3.tmp.csv");
    let fresh = dir.path().join(".t.csv.d4e5f6.tmp.csv");
    std::fs::write(&stale, b"half").unwrap();
    std::fs::write(&fresh, b"half").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))
        .unwrap();
    let out = spectra(&[
        "table",
        "export",
        "--out",
        dir.path().join("t.csv").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stale.exists());
    assert!(fresh.exists());
}
