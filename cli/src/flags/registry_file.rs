//! The registry file and who acts: shared by every `spectra registry …`
//! subcommand and by `spectra imei info`.

use std::path::PathBuf;

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
