//! Flags of `spectra datasets …`.

use std::path::PathBuf;

/// Subcommands of `spectra datasets`.
#[derive(Debug, clap::Subcommand)]
pub enum DatasetsCommand {
    /// Synthetic IMEI check file (and optionally the matching national registry device list).
    Imei(ImeiDataFlags),
    /// Synthetic national register of stations and assignments (cellular
    /// sites, fixed links, broadcasting, PMR, government radars) over the
    /// sample country, with its operators list.
    Stations(StationsDataFlags),
    /// A synthetic month of operator network data (date,imei,imsi,msisdn,rat), one file per operator
    /// (alfa 43701, beta 43705) named <operator>_YYYYMMDD_YYYYMMDD.csv, with clones, SIM swappers,
    /// inbound roamers, unknown TACs, unregistered devices and a few malformed IMEIs.
    OperatorData(OperatorDataFlags),
}

/// `YYYY-MM`.
fn month(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .map_err(|_| format!("expected a month YYYY-MM, found {text:?}"))
}

/// Flags of `spectra datasets operator-data`.
#[derive(Debug, clap::Args)]
pub struct OperatorDataFlags {
    /// Subscribers (SIMs), shared among the operators.
    #[arg(long)]
    pub subscribers: u64,
    /// The month, YYYY-MM.
    #[arg(long, value_parser = month)]
    pub month: chrono::NaiveDate,
    /// Existing directory for the files.
    #[arg(long)]
    pub out_dir: PathBuf,
    /// Seed (same seed, same bytes; the registry devices are those of `spectra datasets imei
    /// --registry-devices SUBSCRIBERS` with this seed).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Operators, 1 to 4 (alfa 43701, beta 43705, gamma 43709, delta 43703); subscriber i
    /// belongs to operator i mod N.
    #[arg(long, default_value_t = 2)]
    pub operators: usize,
    /// Chance that a subscriber is seen on a given day (about 31 × this many rows per
    /// subscriber; 0.32 gives the national month of ten rows per subscriber).
    #[arg(long, default_value_t = 0.6)]
    pub daily_presence: f64,
}

/// Flags of `spectra datasets stations`.
#[derive(Debug, clap::Args)]
pub struct StationsDataFlags {
    /// Assignments to generate.
    #[arg(long, default_value_t = 5_000)]
    pub assignments: usize,
    /// Output register (.csv or .parquet).
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the operators list (.csv or .parquet).
    #[arg(long)]
    pub operators_out: Option<PathBuf>,
    /// Share of deliberately non-conforming assignments (for compliance demos).
    #[arg(long, default_value_t = 0.02)]
    pub nonconforming_share: f64,
    /// Seed (same seed, same bytes).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// Flags of `spectra datasets imei`.
#[derive(Debug, clap::Args)]
pub struct ImeiDataFlags {
    /// Rows of the check file.
    #[arg(long)]
    pub rows: u64,
    /// Output check file (CSV).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed (same seed, same bytes).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Also write the registry device list (CSV) that the check file refers to.
    #[arg(long)]
    pub registry_out: Option<PathBuf>,
    /// Devices in the registry.
    #[arg(long, default_value_t = 1_000_000)]
    pub registry_devices: u64,
    /// Also write the TAC mix as an Osmocom-format TAC CSV (for `spectra registry import-tac`).
    #[arg(long)]
    pub tac_out: Option<PathBuf>,
    /// Take the TAC mix from an Osmocom TAC CSV instead of the built-in list.
    #[arg(long)]
    pub tac_source: Option<PathBuf>,
    /// Share of malformed values.
    #[arg(long, default_value_t = 0.01)]
    pub malformed_share: f64,
    /// Share of stolen (black-listed) devices.
    #[arg(long, default_value_t = 0.01)]
    pub stolen_share: f64,
    /// Share of unregistered devices.
    #[arg(long, default_value_t = 0.05)]
    pub unregistered_share: f64,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}
