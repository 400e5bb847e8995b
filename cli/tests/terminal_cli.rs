//! What a person sees in a terminal: free text is shown with control
//! characters escaped, and a reader that stops early is not an error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::spectra;

/// Regression: contest grounds holding `ESC [2J` (clear screen) and a
/// carriage return (overwrite the line) were echoed raw.
#[test]
fn free_text_is_shown_with_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    let db = db.to_str().unwrap();
    assert!(
        spectra(&["registry", "init", "--registry", db])
            .status
            .success()
    );
    let out = spectra(&[
        "registry",
        "set-status",
        "35332811000001",
        "--status",
        "black",
        "--reasons",
        "STOLEN",
        "--registry",
        db,
    ]);
    assert!(out.status.success());
    let grounds = "recovered\u{1b}[2J\rFORGED: contest upheld";
    let out = spectra(&[
        "registry",
        "contest",
        "35332811000001",
        "--grounds",
        grounds,
        "--registry",
        db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = spectra(&["registry", "contests", "--registry", db]);
    let text = String::from_utf8(listed.stdout).unwrap();
    assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
    assert!(text.contains("\\u{1b}[2J\\u{d}FORGED"), "{text}");
    // JSON keeps the exact text (escaped by JSON itself).
    let json = spectra(&["registry", "contests", "--registry", db, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v[0]["grounds"], grounds);
}

/// Regression: `spectra … | head -1` ended with "error: Broken pipe" and exit 2.
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spectra"))
        .args([
            "conformance",
            "p452",
            "../../shared/data/propagation/p452",
            "--json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
