//! Strict identifier input and the pseudonym key through the `spectra`
//! binary: `registry new-key`, refused passphrases and short keys, a numeric
//! IMEI column refused by `imei check`, and `registry rotate-key` keeping
//! every verdict.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

/// Runs `spectra` with `args`; `key_env` sets `$SPECTRA_PSEUDONYM_KEY` (else
/// it is removed).
fn spectra(args: &[&str], key_env: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_spectra"));
    c.args(args);
    match key_env {
        Some(k) => c.env("SPECTRA_PSEUDONYM_KEY", k),
        None => c.env_remove("SPECTRA_PSEUDONYM_KEY"),
    };
    c.output().unwrap()
}

fn ok(out: Output) -> Output {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn fails(out: &Output, needle: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    err
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const DEVICES: &str = "imei,status,reasons,owner_id\n\
260531793113837,white,,KG 1\n\
353328110000013,black,STOLEN,KG-1\n\
012345678901237,grey,DUTY_UNPAID,AN 77\n";

const CHECK: &str = "\u{feff}imei,operator\n\
260531793113837,A\n353328110000013,B\n012345678901237,C\n861301051234565,D\n";

fn stats(db: &Path) -> serde_json::Value {
    let out = ok(spectra(
        &["registry", "stats", "--json", "--registry", s(db)],
        None,
    ));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn new_key_writes_a_private_random_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let k = dir.path().join("owner.key");
    let out = ok(spectra(&["registry", "new-key", "--out", s(&k)], None));
    assert!(String::from_utf8_lossy(&out.stdout).contains("kf1:"));
    let text = std::fs::read_to_string(&k).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 1, "{text}");
    let hex = lines[0].strip_prefix("hex:").unwrap();
    assert_eq!(hex.len(), 64);
    assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&k).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // Never overwritten.
    let again = spectra(&["registry", "new-key", "--out", s(&k)], None);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&k).unwrap(), text);
    // Two keys differ.
    let k2 = dir.path().join("other.key");
    ok(spectra(&["registry", "new-key", "--out", s(&k2)], None));
    assert_ne!(std::fs::read_to_string(&k2).unwrap(), text);
}

#[test]
fn passphrases_and_short_keys_are_refused_before_the_registry_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("devices.csv");
    std::fs::write(&list, DEVICES).unwrap();
    let db = dir.path().join("reg.duckdb");
    let import = |key_env: Option<&str>, key_file: Option<&Path>| {
        let mut args = vec!["registry", "import", s(&list), "--registry", s(&db)];
        if let Some(k) = key_file {
            args.extend(["--key-file", s(k)]);
        }
        spectra(&args, key_env)
    };
    let out = import(Some("a secret of 16 bytes or more"), None);
    fails(&out, "passphrase");
    let out = import(Some(&format!("hex:{}", "ab".repeat(16))), None);
    fails(&out, "at least 32");
    let short = dir.path().join("short.key");
    std::fs::write(&short, format!("base64:{}\n", "QUJD".repeat(5))).unwrap();
    let out = import(None, Some(&short));
    let err = fails(&out, "at least 32");
    assert!(err.contains("short.key"), "{err}");
    assert!(!db.exists(), "a refused key must not create the registry");
    // Without any key, an owner_id column cannot be imported.
    let out = import(None, None);
    fails(&out, "owner_id");
}

#[test]
fn a_numeric_imei_column_is_refused_by_imei_check_and_nothing_is_written() {
    use arrow::array::{ArrayRef, Int64Array, RecordBatch};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    ok(spectra(&["registry", "init", "--registry", s(&db)], None));
    let input = dir.path().join("check.parquet");
    let batch = RecordBatch::try_from_iter(vec![(
        "IMEI",
        Arc::new(Int64Array::from(vec![12_345_678_901_237_i64])) as ArrayRef,
    )])
    .unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&input).unwrap(),
        batch.schema(),
        None,
    )
    .unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let out_file = dir.path().join("verdicts.parquet");
    let out = spectra(
        &[
            "imei",
            "check",
            s(&input),
            "--registry",
            s(&db),
            "--out",
            s(&out_file),
            "--column",
            "IMEI",
            "--quiet",
        ],
        None,
    );
    let err = fails(&out, "IMEI");
    assert!(
        err.contains("Int64") && err.contains("check.parquet"),
        "{err}"
    );
    assert!(!out_file.exists());
}

#[test]
fn rotate_key_keeps_every_verdict_and_retires_the_old_key() {
    let dir = tempfile::tempdir().unwrap();
    let (list, check) = (dir.path().join("devices.csv"), dir.path().join("check.csv"));
    std::fs::write(&list, DEVICES).unwrap();
    std::fs::write(&check, CHECK).unwrap();
    let db = dir.path().join("reg.duckdb");
    let (k1, k2) = (dir.path().join("k1.key"), dir.path().join("k2.key"));
    ok(spectra(&["registry", "new-key", "--out", s(&k1)], None));
    // The key may also come from the environment (same text as the file).
    let k1_text = std::fs::read_to_string(&k1).unwrap();
    ok(spectra(
        &["registry", "import", s(&list), "--registry", s(&db)],
        Some(&k1_text),
    ));
    let fp1 = stats(&db)["pseudonym_key_fingerprint"].clone();
    let verdicts = |name: &str| {
        let out = dir.path().join(name);
        ok(spectra(
            &[
                "imei",
                "check",
                s(&check),
                "--registry",
                s(&db),
                "--out",
                s(&out),
                "--quiet",
            ],
            None,
        ));
        std::fs::read(&out).unwrap()
    };
    let before = verdicts("before.csv");
    let owner_before = ok(spectra(
        &[
            "imei",
            "info",
            "260531793113837",
            "--registry",
            s(&db),
            "--json",
        ],
        None,
    ));

    ok(spectra(
        &[
            "registry",
            "rotate-key",
            "--registry",
            s(&db),
            "--key-file",
            s(&k1),
            "--out",
            s(&k2),
        ],
        None,
    ));
    assert_eq!(verdicts("after.csv"), before);
    let fp2 = stats(&db)["pseudonym_key_fingerprint"].clone();
    assert_ne!(fp1, fp2);
    let owner_after = ok(spectra(
        &[
            "imei",
            "info",
            "260531793113837",
            "--registry",
            s(&db),
            "--json",
        ],
        None,
    ));
    let pseudonym = |o: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["registry"]["owner_pseudonym"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_ne!(pseudonym(&owner_before), pseudonym(&owner_after));
    let k2_text = std::fs::read_to_string(&k2).unwrap();
    assert_eq!(k2_text.lines().filter(|l| l.starts_with("hex:")).count(), 2);

    // The old key alone is refused; the rotated key file works and links owners.
    let more = dir.path().join("more.csv");
    std::fs::write(&more, "imei,status,owner_id\n861301051234565,white,kg1\n").unwrap();
    let out = spectra(
        &[
            "registry",
            "import",
            s(&more),
            "--registry",
            s(&db),
            "--key-file",
            s(&k1),
        ],
        None,
    );
    fails(&out, "mismatch");
    ok(spectra(
        &[
            "registry",
            "import",
            s(&more),
            "--registry",
            s(&db),
            "--key-file",
            s(&k2),
        ],
        None,
    ));
    let info = ok(spectra(
        &[
            "imei",
            "info",
            "861301051234565",
            "--registry",
            s(&db),
            "--json",
        ],
        None,
    ));
    assert_eq!(pseudonym(&info), pseudonym(&owner_after));

    // Rotating with the retired key, or onto an existing file, is refused.
    let k3 = dir.path().join("k3.key");
    let out = spectra(
        &[
            "registry",
            "rotate-key",
            "--registry",
            s(&db),
            "--key-file",
            s(&k1),
            "--out",
            s(&k3),
        ],
        None,
    );
    fails(&out, "mismatch");
    assert!(!k3.exists());
    let out = spectra(
        &[
            "registry",
            "rotate-key",
            "--registry",
            s(&db),
            "--key-file",
            s(&k2),
            "--out",
            s(&k1),
        ],
        None,
    );
    fails(&out, "existing file");
    assert_eq!(stats(&db)["pseudonym_key_fingerprint"], fp2);
}
