//! Every `spectra …` command of the README runs as written on the shipped
//! data (issue 10's regression guard for examples that did not): each fenced
//! `sh` block's `spectra`, `mkdir` and `printf` lines are run one by one (continuations joined)
//! in a scratch directory beside a link to `../shared`, with `spectra` on
//! the PATH and HOME in the scratch directory. Every command exits 0, except
//! that `table validate` may report findings (exit 1) on an ITU table.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

/// The `spectra` and `mkdir` command lines of a README's `sh` blocks, in order.
fn readme_commands(readme: &str) -> Vec<String> {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(readme);
    let text = std::fs::read_to_string(readme).unwrap();
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line.trim() == "```sh";
            pending.clear();
            continue;
        }
        if !in_sh {
            continue;
        }
        let line = line.trim_end();
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        let command = std::mem::take(&mut pending);
        let command_start = command.trim_start();
        if ["spectra ", "mkdir ", "printf "]
            .iter()
            .any(|p| command_start.starts_with(p))
        {
            out.push(command.trim().to_string());
        }
    }
    out
}

#[test]
fn every_readme_command_runs_as_written() {
    run_all(&readme_commands("README.md"), 30);
}

#[test]
fn every_registry_readme_command_runs_as_written() {
    run_all(&readme_commands("imei-registry/README.md"), 15);
}

/// Runs `commands` in order in one scratch directory; none may fail.
fn run_all(commands: &[String], at_least: usize) {
    assert!(
        commands.len() > at_least,
        "found only {} commands",
        commands.len()
    );
    let scratch = tempfile::tempdir().unwrap();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    std::os::unix::fs::symlink(
        shared.canonicalize().unwrap(),
        scratch.path().join("shared"),
    )
    .unwrap();
    let work = scratch.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_spectra")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    for command in commands {
        let out = Command::new("bash")
            .args(["-c", command])
            .current_dir(&work)
            .env("PATH", &path)
            .env("HOME", scratch.path())
            .env_remove("SPECTRA_PSEUDONYM_KEY")
            .output()
            .unwrap();
        let code = out.status.code();
        // Only a validation, a compliance check or an interference study may
        // report findings (exit 1).
        let findings_allowed = command.contains("table validate")
            || command.contains("stations compliance")
            || command.contains("interference aggregate")
            || command.contains("interference move-list")
            || command.starts_with("spectra study");
        if !(code == Some(0) || (findings_allowed && code == Some(1))) {
            failures.push(format!(
                "{command}\n  exit {code:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "README commands that fail:\n{}",
        failures.join("\n")
    );
}
