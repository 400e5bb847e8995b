//! Command implementations: each turns its flags into a validated
//! configuration, calls the libraries and writes the outputs.

mod aggregate_job;
mod assign;
mod assign_plan;
mod conformance;
mod contest;
mod coverage;
mod datasets;
mod demo;
mod imei;
mod interference;
mod operators;
mod propagate_itu;
mod propagate_ntia;
mod propagate_p1546;
mod pseudonym_key;
mod registry;
mod registry_access;
mod serve;
mod stations;
mod subject;
mod table;

use crate::flags::propagate::PropagateCommand;
use crate::flags::{Cli, Command};
use crate::output::Status;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Demo(f) => demo::run(&f),
        Command::Table(c) => table::run(c),
        Command::Conformance(f) => conformance::run(&f),
        Command::Propagate(p) => match p {
            PropagateCommand::P452(f) => propagate_itu::run_p452(&f),
            PropagateCommand::P1812(f) => propagate_itu::run_p1812(&f),
            PropagateCommand::Itm(f) => propagate_ntia::run_itm(&f),
            PropagateCommand::Ehata(f) => propagate_ntia::run_ehata(&f),
            PropagateCommand::Hata(f) => propagate_ntia::run_hata(&f),
            PropagateCommand::P2108(f) => propagate_ntia::run_p2108(&f),
            PropagateCommand::P2109(f) => propagate_itu::run_p2109(&f),
            PropagateCommand::P676(f) => propagate_itu::run_p676(&f),
            PropagateCommand::P528(f) => propagate_itu::run_p528(&f),
            PropagateCommand::P1546(f) => propagate_p1546::run_p1546(&f),
            PropagateCommand::FreeSpace(f) => propagate_ntia::run_free_space(&f),
        },
        Command::Coverage(f) => coverage::run_coverage(&f),
        Command::Profile(f) => coverage::run_profile(&f),
        Command::Imei(c) => imei::run_imei(c),
        Command::Registry(c) => registry::run_registry(c),
        Command::Stations(c) => stations::run(c),
        Command::Interference(c) => interference::run(c),
        Command::Assign(c) => assign::run(c),
        Command::Study(f) => aggregate_job::run_study(&f.study, f.json),
        Command::Datasets(c) => datasets::run(c),
        Command::Serve(f) => serve::run(&f),
    }
}
