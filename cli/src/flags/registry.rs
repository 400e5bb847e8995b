//! Flags of `spectra registry …`: the national IMEI registry store. Values
//! are parsed into their types here ([`super::values`]): IMEIs into registry
//! keys, statuses and reason codes into their enums.

use std::path::PathBuf;

use imei_registry::{DeviceStatus, ReasonMask};

use super::registry_file::RegistryFlags;
use super::values;
use super::{contest, operators, pseudonym_key, subject};

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
    /// Verify the registry's tamper evidence: every hash chain (status history,
    /// audit log, contest events), devices and contests against their chains,
    /// and (with --checkpoint) that every chain still extends a checkpoint.
    /// Exit 1 with the first broken link named.
    Verify(VerifyFlags),
    /// Verify the registry, then print the tips of its hash chains (JSON) to
    /// publish or sign outside the registry; `verify --checkpoint` checks them.
    Checkpoint(CheckpointFlags),
    /// Counts of devices, history, audit entries and TACs.
    Stats(RegistryFlags),
    /// Status history of one device.
    History(HistoryFlags),
    /// Contest the automated decision on one device (recorded with the verdict,
    /// its reason and the rule version).
    Contest(contest::ContestFlags),
    /// List contests (all, one device's, or only open ones).
    Contests(contest::ContestsFlags),
    /// Decide an open contest: uphold (correcting the status) or reject.
    Decide(contest::DecideFlags),
    /// Write a fresh random pseudonym key (32 bytes, hex) to a new file, mode 0600.
    NewKey(pseudonym_key::NewKeyFlags),
    /// Re-pseudonymise every owner under a new key generation, in one transaction.
    RotateKey(pseudonym_key::RotateKeyFlags),
    /// Declare an operator and the MCC-MNC prefixes of its IMSIs.
    AddOperator(operators::AddOperatorFlags),
    /// Import operator data files (daily IMEI–IMSI–MSISDN triplets): safety checks per file (a file past a
    /// threshold is refused whole, with the figures), IMSIs and MSISDNs under the network-monitoring key,
    /// one row per triplet and month with the days seen. Exit 1 when a file was refused.
    ImportOperatorData(operators::ImportOperatorDataFlags),
    /// Classify every IMEI seen in the network data under a conditions file on a date, and record the
    /// run, each decision (with the rule version, its inputs and reason) and the open matches.
    Classify(operators::ClassifyFlags),
    /// Write the national block list of a date from the last classification run (CSV, Parquet with
    /// provenance, manifest with SHA-256), kept as a generation; with --base, the delta against one.
    Lists(operators::ListsFlags),
    /// Import a device list the classification consults: stolen reports (with recoveries), the golden
    /// list (never blocked) or barred TACs; a bad row refuses the file with its line.
    ImportList(operators::ImportListFlags),
    /// Replace the IMEI–IMSI pairing list (`imei,imsi`): the exceptions each operator honours; IMSIs
    /// pseudonymised, their clear values sealed in the identity vault.
    ImportPairings(subject::ImportPairingsFlags),
    /// Export everything held about one subscriber (--imsi) or owner (--owner), one JSON section per
    /// purpose, never merged; the read is audited with --why.
    SubjectAccess(subject::SubjectAccessFlags),
    /// Erase a subscriber (crypto-shred their identity-vault entries, delete their pairings) or an
    /// owner (unlink their pseudonym from their devices); records a destruction act.
    Erase(subject::EraseFlags),
    /// Drop network data older than --months calendar months and shred the vault entries no longer
    /// backed by any; records a destruction act.
    Retention(subject::RetentionFlags),
    /// Write the EIR snapshot `spectra serve` answers from (statuses, TACs, findings, pairing list),
    /// atomically; a running service swaps it in without dropping a request.
    Publish(PublishFlags),
}

/// Flags of `spectra registry publish`.
#[derive(Debug, clap::Args)]
pub struct PublishFlags {
    /// Registry, actor, output format.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// The snapshot file to write (replaced atomically).
    #[arg(long)]
    pub out: PathBuf,
    /// The date whose golden list applies (YYYY-MM-DD; default today). Findings are dated by the
    /// service at each request: grey before the block date, blocked from it.
    #[arg(long, value_parser = crate::flags::operators::date)]
    pub date: Option<chrono::NaiveDate>,
}

/// Flags of `spectra registry verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyFlags {
    /// Registry, actor, output format.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// A checkpoint printed earlier by `spectra registry checkpoint`: every
    /// chain must still extend it (catches deleted tails and recomputed chains).
    #[arg(long)]
    pub checkpoint: Option<PathBuf>,
}

/// Flags of `spectra registry checkpoint`.
#[derive(Debug, clap::Args)]
pub struct CheckpointFlags {
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Write the checkpoint to this file (atomically) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Flags of `spectra registry import`.
#[derive(Debug, clap::Args)]
pub struct ImportFlags {
    /// Device list: columns imei, status, [reasons, source, first_seen, registered_at, import_declaration,
    /// owner_id or owner_pseudonym]. Identifier columns must be text (a numeric Parquet column is refused).
    pub file: PathBuf,
    /// Registry, actor, output format.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Source recorded when the file has no `source` column.
    #[arg(long, default_value = "import")]
    pub source: String,
    /// Pseudonym key file (`hex:…` or `base64:…`, ≥ 32 random bytes, from `spectra registry new-key`);
    /// else $SPECTRA_PSEUDONYM_KEY (same text). Never stored in the registry.
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
    /// The IMEI (14 to 16 digits).
    #[arg(value_parser = values::imei_key)]
    pub imei: u64,
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// New status: white, grey or black.
    #[arg(long, value_parser = values::device_status)]
    pub status: DeviceStatus,
    /// Reason codes separated by `;` (e.g. STOLEN;COURT_ORDER).
    #[arg(long, default_value = "", value_parser = values::reason_mask)]
    pub reasons: ReasonMask,
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
    #[arg(long, value_parser = values::device_status)]
    pub status: DeviceStatus,
    /// Output (`.parquet` or `.csv`).
    #[arg(long)]
    pub out: PathBuf,
}

/// Flags of `spectra registry history`.
#[derive(Debug, clap::Args)]
pub struct HistoryFlags {
    /// The IMEI (14 to 16 digits).
    #[arg(value_parser = values::imei_key)]
    pub imei: u64,
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
}
