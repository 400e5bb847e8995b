//! Flags of `spectra imei …` and `spectra registry …`.

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
    #[arg(long, default_value_t = 4)]
    pub chunk_mib: usize,
    /// Who runs the check (for the registry's audit log); default: $USER.
    #[arg(long)]
    pub actor: Option<String>,
    /// Exit with status 1 when any row is blocked.
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

/// Subcommands of `spectra registry`.
#[derive(Debug, clap::Subcommand)]
pub enum RegistryCommand {
    /// Create an empty registry file (schema and reason catalogue).
    Init(RegistryFlags),
    /// Import a device list (CSV or Parquet) in one transaction.
    Import(ImportFlags),
    /// Import a TAC database (GSMA pipe-separated export or Osmocom CSV).
    ImportTac(ImportTacFlags),
    /// Set the status of one device (recorded in the hash-chained history).
    SetStatus(SetStatusFlags),
    /// Export the white, grey or black list for operators.
    ExportList(ExportListFlags),
    /// Verify the status-history hash chain.
    Verify(RegistryFlags),
    /// Counts of devices, history, audit entries and TACs.
    Stats(RegistryFlags),
    /// Status history of one device.
    History(HistoryFlags),
    /// Contest the automated decision on one device (recorded with the verdict,
    /// its reason and the rule version).
    Contest(super::contest::ContestFlags),
    /// List contests (all, one device's, or only open ones).
    Contests(super::contest::ContestsFlags),
    /// Decide an open contest: uphold (correcting the status) or reject.
    Decide(super::contest::DecideFlags),
}

/// The registry file and the actor.
#[derive(Debug, clap::Args)]
pub struct RegistryFlags {
    /// Registry file (DuckDB).
    #[arg(long)]
    pub registry: PathBuf,
    /// Who acts (for the audit log); default: $USER.
    #[arg(long)]
    pub actor: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra registry import`.
#[derive(Debug, clap::Args)]
pub struct ImportFlags {
    /// Device list: columns imei, status, [reasons, source, first_seen, registered_at, import_declaration, owner_id].
    pub file: PathBuf,
    /// Registry, actor, output format.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Source recorded when the file has no `source` column.
    #[arg(long, default_value = "import")]
    pub source: String,
    /// File holding the pseudonym key (≥ 16 bytes); else $SPECTRA_PSEUDONYM_KEY. Never stored in the registry.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Rows per staged batch.
    #[arg(long, default_value_t = 200_000)]
    pub batch_rows: usize,
}

/// Flags of `spectra registry import-tac`.
#[derive(Debug, clap::Args)]
pub struct ImportTacFlags {
    /// TAC file.
    pub file: PathBuf,
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
}

/// Flags of `spectra registry set-status`.
#[derive(Debug, clap::Args)]
pub struct SetStatusFlags {
    /// The IMEI.
    pub imei: String,
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// New status: white, grey or black.
    #[arg(long)]
    pub status: String,
    /// Reason codes separated by `;` (e.g. STOLEN;COURT_ORDER).
    #[arg(long, default_value = "")]
    pub reasons: String,
    /// Source of the change (police, customs, operator…).
    #[arg(long, default_value = "manual")]
    pub source: String,
}

/// Flags of `spectra registry export-list`.
#[derive(Debug, clap::Args)]
pub struct ExportListFlags {
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Which list: white, grey or black.
    #[arg(long)]
    pub status: String,
    /// Output (`.parquet` or `.csv`).
    #[arg(long)]
    pub out: PathBuf,
}

/// Flags of `spectra registry history`.
#[derive(Debug, clap::Args)]
pub struct HistoryFlags {
    /// The IMEI.
    pub imei: String,
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
}
