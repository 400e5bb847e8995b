//! `spectra serve`: the online EIR service (`spectra_eir`). The command
//! validates the configuration, sets up the structured log (JSON lines on
//! standard error, level from `RUST_LOG`, default `info`) and runs the
//! service until SIGINT or SIGTERM.

use std::io::Read;

use crate::flags::serve::ServeFlags;
use crate::output::{Status, print_text};

/// Runs `spectra serve`.
pub fn run(f: &ServeFlags) -> anyhow::Result<Status> {
    if f.hash_token {
        let mut token = String::new();
        std::io::stdin().read_to_string(&mut token)?;
        let token = token.trim_end_matches(['\n', '\r']);
        if token.is_empty() {
            anyhow::bail!("--hash-token: expected a token on standard input, found nothing");
        }
        print_text(&spectra_eir::config::token_sha256_hex(token))?;
        return Ok(Status::Ok);
    }
    let Some(path) = &f.config else {
        anyhow::bail!("--config: expected the service's configuration file");
    };
    let config = spectra_eir::Config::load(path)?;
    if f.check {
        let snap = imei_registry::snapshot::Snapshot::read_path(&config.snapshot)?;
        print_text(&format!(
            "{}: ok — HTTP on {}, {} clients; snapshot {} ({} devices, {} TACs, {} findings, {} pairs, \
             written {})",
            path.display(),
            config.http.listen,
            config.clients.len(),
            config.snapshot.display(),
            snap.index.len(),
            snap.tacs.len(),
            snap.findings.len(),
            snap.pair_count(),
            snap.meta.created_at
        ))?;
        return Ok(Status::Ok);
    }
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    spectra_eir::run_blocking(config)?;
    Ok(Status::Ok)
}
