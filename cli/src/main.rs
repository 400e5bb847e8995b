//! `spectra`: the command-line shell over the Spectra libraries.
//!
//! Flags are defined in one place ([`flags`]), parsed by clap, turned into a
//! validated configuration and run by [`commands`]. Exit codes: 0 success,
//! 1 findings (validation findings, conformance failures), 2 bad usage or
//! unreadable input.

mod commands;
mod flags;
mod output;

use std::process::ExitCode;

use clap::Parser;

/// On SIGINT or SIGTERM: remove the temporary files of outputs being
/// written (see `tabular::remove_in_flight_temps`), then exit with 128 +
/// the signal number, as the default action's exit status reads to a shell.
fn remove_temps_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            tabular::remove_in_flight_temps();
            std::process::exit(128 + sig);
        }
    });
}

/// Pumpkin 0.5 asserts when resumed after a time-out at its root; the
/// assignment solver catches that and goes on with what it has, so one
/// line stands for the panic's report (kept, in case one is not caught).
/// Every other panic reports as usual.
fn quiet_solver_assertions() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| match info.location() {
        Some(l) if l.file().contains("pumpkin-core") => {
            output::note(&format!(
                "the constraint solver stopped on an internal assertion ({}:{}); \
                 the best found so far stands",
                l.file().rsplit('/').next().unwrap_or(""),
                l.line()
            ));
        }
        _ => default(info),
    }));
}

fn main() -> ExitCode {
    quiet_solver_assertions();
    let cli = flags::Cli::parse();
    // The service handles SIGINT / SIGTERM itself: it stops accepting and
    // drains in-flight requests before it exits 0.
    if !cli.is_service() {
        remove_temps_on_signals();
    }
    match commands::run(cli) {
        Ok(status) => status.into(),
        // A reader that stops early (`spectra … | head`) is not an error.
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            output::report_error(&err);
            ExitCode::from(2)
        }
    }
}
