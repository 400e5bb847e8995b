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
