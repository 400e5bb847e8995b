//! Flags of `spectra registry new-key | rotate-key`: the pseudonym key of a
//! registry (`imei_core::pseudonym`).

use std::path::PathBuf;

use super::registry_file::RegistryFlags;

/// Flags of `spectra registry new-key`.
#[derive(Debug, clap::Args)]
pub struct NewKeyFlags {
    /// Key file to create (must not exist): 32 random bytes from the operating
    /// system, written as `hex:…`, readable by its owner only (mode 0600).
    #[arg(long)]
    pub out: PathBuf,
}

/// Flags of `spectra registry rotate-key`.
#[derive(Debug, clap::Args)]
pub struct RotateKeyFlags {
    /// Registry, actor (for the audit log), output format.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// The current key file; else $SPECTRA_PSEUDONYM_KEY.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Where to write the rotated key (the current generations plus a new
    /// random one); must not exist; mode 0600. Written before the registry
    /// changes and removed if the rotation fails.
    #[arg(long)]
    pub out: PathBuf,
}
