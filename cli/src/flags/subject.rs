//! Flags of the personal-data commands: `spectra registry import-pairings`,
//! `subject-access`, `erase` and `retention`, and the key flags they share
//! with `import-operator-data` and `lists`.

use std::path::PathBuf;

use crate::flags::operators::date;
use crate::flags::registry_file::RegistryFlags;

/// The network-monitoring key (IMSI and MSISDN pseudonyms).
#[derive(Debug, Clone, clap::Args)]
pub struct NetworkKeyFlags {
    /// Network-monitoring pseudonym key file (another key than the owners' and the vault's; from
    /// `spectra registry new-key`); else $SPECTRA_NETWORK_KEY. Never stored in the registry.
    #[arg(long)]
    pub network_key_file: Option<PathBuf>,
}

/// The identity vault's key.
#[derive(Debug, Clone, clap::Args)]
pub struct VaultKeyFlags {
    /// Identity-vault key file (its own key; from `spectra registry new-key`); else
    /// $SPECTRA_VAULT_KEY. Seals and opens the clear IMSIs and MSISDNs; never stored in the registry.
    #[arg(long)]
    pub vault_key_file: Option<PathBuf>,
}

/// Flags of `spectra registry import-pairings`.
#[derive(Debug, clap::Args)]
pub struct ImportPairingsFlags {
    /// The whole pairing list (`imei,imsi`; CSV or Parquet, text columns); replaces the previous one.
    pub file: PathBuf,
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Network key.
    #[command(flatten)]
    pub network: NetworkKeyFlags,
    /// Vault key.
    #[command(flatten)]
    pub vault: VaultKeyFlags,
}

/// Whose data: one subscriber (IMSI) and/or one owner (ID).
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = true)]
pub struct SubjectFlags {
    /// The subscriber's IMSI (network monitoring).
    #[arg(long)]
    pub imsi: Option<String>,
    /// The owner's ID as registered (owner registration).
    #[arg(long)]
    pub owner: Option<String>,
}

/// Flags of `spectra registry subject-access`.
#[derive(Debug, clap::Args)]
pub struct SubjectAccessFlags {
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// The subject.
    #[command(flatten)]
    pub subject: SubjectFlags,
    /// Why the data is read (recorded in the audit log), e.g. the request's reference.
    #[arg(long)]
    pub why: String,
    /// Network key (with --imsi).
    #[command(flatten)]
    pub network: NetworkKeyFlags,
    /// Vault key (with --imsi).
    #[command(flatten)]
    pub vault: VaultKeyFlags,
    /// Owner pseudonym key file (with --owner); else $SPECTRA_PSEUDONYM_KEY.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Write the export (JSON, one section per purpose) here; default: standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Flags of `spectra registry erase`.
#[derive(Debug, clap::Args)]
pub struct EraseFlags {
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// The subject.
    #[command(flatten)]
    pub subject: SubjectFlags,
    /// Why (recorded in the destruction act), e.g. the request's reference.
    #[arg(long)]
    pub why: String,
    /// Network key (with --imsi).
    #[command(flatten)]
    pub network: NetworkKeyFlags,
    /// Owner pseudonym key file (with --owner); else $SPECTRA_PSEUDONYM_KEY.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
}

/// Flags of `spectra registry retention`.
#[derive(Debug, clap::Args)]
pub struct RetentionFlags {
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Calendar months of network data to keep, ending with the date's month (≥ 1).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub months: u32,
    /// The date retention is applied on, YYYY-MM-DD.
    #[arg(long, value_parser = date)]
    pub date: chrono::NaiveDate,
}
