//! Flags of `spectra imei …`: bulk checks and information on one IMEI.

use std::path::PathBuf;

/// Subcommands of `spectra imei`.
#[derive(Debug, clap::Subcommand)]
pub enum ImeiCommand {
    /// Bulk-check a CSV or Parquet file of IMEIs against a registry; writes one
    /// verdict per row (Parquet or CSV, by the output's extension).
    Check(CheckFlags),
    /// Everything known about one IMEI: validity, check digit, TAC, status, verdict.
    Info(InfoFlags),
}

/// Flags of `spectra imei check`.
#[derive(Debug, clap::Args)]
pub struct CheckFlags {
    /// Input file (`.csv` with a header line, or `.parquet`).
    pub input: PathBuf,
    /// Registry file (DuckDB).
    #[arg(long)]
    pub registry: PathBuf,
    /// The day the verdicts are for: classification findings whose block date has come are blocked,
    /// those in grace grey (YYYY-MM-DD; default: today, UTC).
    #[arg(long, value_parser = crate::flags::operators::date)]
    pub date: Option<chrono::NaiveDate>,
    /// Output verdicts (`.parquet` or `.csv`); written to a temporary file and renamed.
    #[arg(long)]
    pub out: PathBuf,
    /// Name of the IMEI column; the other columns are passed through.
    #[arg(long, default_value = "imei")]
    pub column: String,
    /// TAC database (GSMA pipe-separated export or Osmocom CSV) instead of the registry's TAC table.
    #[arg(long)]
    pub tac_db: Option<PathBuf>,
    /// Size of a parallel work item, in MiB of CSV input.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub chunk_mib: u64,
    /// Most line ends one quoted CSV field may span; a field still open after
    /// them (a stray `"`) refuses only its own row, named with its line.
    #[arg(long, default_value_t = 16, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100_000))]
    pub max_field_lines: usize,
    /// Who runs the check (for the registry's audit log); default: $USER.
    #[arg(long)]
    pub actor: Option<String>,
    /// Exit with status 1 when any row is blocked (a refused row always exits 1).
    #[arg(long)]
    pub fail_on_blocked: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Flags of `spectra imei info`.
#[derive(Debug, clap::Args)]
pub struct InfoFlags {
    /// The IMEI (14 or 15 digits) or IMEISV (16 digits), as received.
    pub imei: String,
    /// Registry file (DuckDB); without it the status is unknown.
    #[arg(long)]
    pub registry: Option<PathBuf>,
    /// The day the verdict is for (classification findings: blocked from their block date, grey in
    /// grace); YYYY-MM-DD, default: today (UTC).
    #[arg(long, value_parser = crate::flags::operators::date)]
    pub date: Option<chrono::NaiveDate>,
    /// TAC database (GSMA export or Osmocom CSV); default: the registry's TAC table.
    #[arg(long)]
    pub tac_db: Option<PathBuf>,
    /// Who asks (for the audit log); default: $USER.
    #[arg(long)]
    pub actor: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
