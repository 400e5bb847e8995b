//! Every command-line flag of `spectra`, in one place.
//!
//! Each command group has its own file; this module assembles them into the
//! top-level parser. Commands turn these raw flags into validated
//! configurations before running (see `commands`).

pub mod assign;
pub mod assign_plan;
pub mod conformance;
pub mod contest;
pub mod coverage;
pub mod datasets;
pub mod imei;
pub mod interference;
pub mod operators;
pub mod propagate;
pub mod propagate_itu;
pub mod propagate_ntia;
pub mod propagate_p1546;
pub mod pseudonym_key;
pub mod registry;
pub mod registry_file;
pub mod serve;
pub mod stations;
pub mod subject;
pub mod table;
pub mod values;

use clap::{Parser, Subcommand};

/// Spectra: national table of frequency allocations, propagation and
/// coverage studies, and the national IMEI registry.
#[derive(Debug, Parser)]
#[command(name = "spectra", version, about, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Whether the command is the long-running service (`spectra serve`
    /// without `--check` or `--hash-token`), which handles its own signals.
    pub fn is_service(&self) -> bool {
        matches!(&self.command, Command::Serve(f) if !f.check && !f.hash_token)
    }
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the main job on embedded defaults and write its outputs under `out/`.
    Demo(DemoFlags),
    /// The national table of frequency allocations.
    #[command(subcommand)]
    Table(table::TableCommand),
    /// Check propagation models against reference data, or write a declaration.
    Conformance(conformance::ConformanceFlags),
    /// Compute the loss of one path with a propagation model.
    #[command(subcommand)]
    Propagate(propagate::PropagateCommand),
    /// Coverage map of a transmitter over terrain (GeoTIFF, PNG, Parquet).
    Coverage(coverage::CoverageFlags),
    /// Terrain path profile between two points.
    Profile(coverage::ProfileFlags),
    /// IMEI checks: bulk check of a file, information on one IMEI.
    #[command(subcommand)]
    Imei(imei::ImeiCommand),
    /// The national IMEI registry store.
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
    /// The register of stations and assignments: emission designators,
    /// compliance with the national table, emergency orders, spatial queries.
    #[command(subcommand)]
    Stations(stations::StationsCommand),
    /// Run a whole interference study from its file (TOML): registers, model,
    /// terrain, criteria, outputs and a manifest of the inputs' SHA-256.
    Study(StudyFlags),
    /// Frequency assignment: solve RLFAP / CELAR instances.
    #[command(subcommand)]
    Assign(assign::AssignCommand),
    /// Interference and compatibility studies over the register.
    #[command(subcommand)]
    Interference(interference::InterferenceCommand),
    /// Seeded generators of realistic synthetic data.
    #[command(subcommand)]
    Datasets(datasets::DatasetsCommand),
    /// The online equipment identity check: N5g-eir and the operators' JSON API over HTTP/1.1 and
    /// h2c, answered from the snapshot `spectra registry publish` writes, swapped in when it changes.
    Serve(serve::ServeFlags),
}

/// Flags of `spectra study`.
#[derive(Debug, clap::Args)]
pub struct StudyFlags {
    /// The study file (see `interference::study`).
    pub study: std::path::PathBuf,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra demo`.
#[derive(Debug, clap::Args)]
pub struct DemoFlags {
    /// Directory for the demo's outputs.
    #[arg(long, default_value = "out")]
    pub out: std::path::PathBuf,
}
