//! Shared helpers of the CLI tests.

#![allow(dead_code, clippy::unwrap_used)]

use std::process::{Command, Output};

/// Runs the `spectra` binary under test with `args`.
pub fn spectra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spectra"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `spectra` with `args`, expects exit 0, returns its standard output.
pub fn stdout_of(args: &[&str]) -> String {
    let out = spectra(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `spectra` with `args`, expects exit 2 (bad usage or input), returns
/// its standard error.
pub fn stderr_of_usage_error(args: &[&str]) -> String {
    let out = spectra(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}
