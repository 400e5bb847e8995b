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

fn main() -> ExitCode {
    let cli = flags::Cli::parse();
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
