//! Flags of `spectra serve`.

use std::path::PathBuf;

/// Flags of `spectra serve`.
#[derive(Debug, clap::Args)]
pub struct ServeFlags {
    /// The service's configuration (TOML: snapshot, listener, limits, clients with hashed tokens).
    #[arg(long, required_unless_present = "hash_token")]
    pub config: Option<PathBuf>,
    /// Check the configuration and the snapshot, print what would be served, and exit.
    #[arg(long)]
    pub check: bool,
    /// Read a bearer token from standard input and print its SHA-256 for a client's `token_sha256`
    /// (the token itself is never written anywhere).
    #[arg(long, conflicts_with_all = ["config", "check"])]
    pub hash_token: bool,
}
