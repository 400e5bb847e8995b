//! Opening the registry and reading the pseudonym key, shared by the
//! `imei`, `registry`, contest and key commands.

use std::path::{Path, PathBuf};

use anyhow::Context;
use imei_registry::Registry;
use imei_registry::pseudonym::PseudonymKey;
use imei_registry::tac::TacDb;

use crate::flags::registry_file::RegistryFlags;
use crate::output::note;

/// Environment variable holding the pseudonym key when no key file is given.
pub(super) const KEY_ENV: &str = "SPECTRA_PSEUDONYM_KEY";

pub(super) fn actor(a: Option<&String>) -> String {
    a.cloned()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "spectra".to_string())
}

/// Opens an existing registry. Reading commands never create one: a mistyped
/// path would otherwise check every IMEI against an empty registry.
pub(super) fn open(f: &RegistryFlags) -> anyhow::Result<Registry> {
    open_existing(&f.registry, f.actor.as_ref())
}

pub(super) fn open_existing(path: &Path, actor_name: Option<&String>) -> anyhow::Result<Registry> {
    if !path.exists() {
        anyhow::bail!(
            "{}: expected an existing registry file, found none (create one with \
             `spectra registry init` or `spectra registry import`)",
            path.display()
        );
    }
    Registry::open(path, &actor(actor_name))
        .with_context(|| format!("opening the registry {}", path.display()))
}

/// Opens a registry, creating it when no file exists (`init` and the
/// imports); an existing file that is not a registry is refused.
pub(super) fn open_or_create(f: &RegistryFlags) -> anyhow::Result<Registry> {
    Registry::open_or_create(&f.registry, &actor(f.actor.as_ref()))
        .with_context(|| format!("opening the registry {}", f.registry.display()))
}

/// The pseudonym key from `--key-file` or else `$SPECTRA_PSEUDONYM_KEY`
/// (`None` when neither is given). Both hold key text: one `hex:…` or
/// `base64:…` line per generation, each at least 32 bytes; a passphrase or a
/// short key is refused (`imei_core::pseudonym`).
pub(super) fn read_key(file: Option<&PathBuf>) -> anyhow::Result<Option<PseudonymKey>> {
    match file {
        Some(p) => {
            warn_if_shared(p);
            let key = imei_registry::pseudonym::read_key_file(p)
                .with_context(|| format!("reading the pseudonym key file {}", p.display()))?;
            Ok(Some(key))
        }
        None => match std::env::var(KEY_ENV) {
            Ok(v) => Ok(Some(PseudonymKey::parse(&v, &format!("${KEY_ENV}"))?)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(e) => Err(anyhow::anyhow!("${KEY_ENV}: {e}")),
        },
    }
}

/// Notes a key file that others than its owner may read.
pub(super) fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(path)
            && m.permissions().mode() & 0o077 != 0
        {
            note(&format!(
                "warning: the key file {} is readable by others (mode {:o}); `chmod 600` it",
                path.display(),
                m.permissions().mode() & 0o777
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

pub(super) fn load_tacs(path: &Path) -> anyhow::Result<TacDb> {
    TacDb::read_path(path).with_context(|| format!("reading the TAC database {}", path.display()))
}
