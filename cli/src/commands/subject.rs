//! The personal-data commands: `spectra registry import-pairings`,
//! `subject-access`, `erase` and `retention`, and the key readers they share
//! with the operator-data commands. Typed flags into one library call each.

use std::path::PathBuf;

use anyhow::Context;
use imei_registry::pseudonym::PseudonymKey;

use super::registry_access::{open_or_create, read_key, warn_if_shared};
use crate::flags::subject::{
    EraseFlags, ImportPairingsFlags, NetworkKeyFlags, RetentionFlags, SubjectAccessFlags,
    VaultKeyFlags,
};
use crate::output::{Status, print_json, print_text};

/// Environment variable holding the network-monitoring key text.
const NETWORK_KEY_ENV: &str = "SPECTRA_NETWORK_KEY";
/// Environment variable holding the vault key text.
const VAULT_KEY_ENV: &str = "SPECTRA_VAULT_KEY";

/// A key from `file`, else from `$env`; `what` names it in errors.
fn key_from(
    file: Option<&PathBuf>,
    env: &str,
    flag: &str,
    what: &str,
) -> anyhow::Result<PseudonymKey> {
    match file {
        Some(p) => {
            warn_if_shared(p);
            imei_registry::pseudonym::read_key_file(p)
                .with_context(|| format!("reading the {what} key file {}", p.display()))
        }
        None => match std::env::var(env) {
            Ok(v) => Ok(PseudonymKey::parse(&v, &format!("${env}"))?),
            Err(_) => anyhow::bail!("expected the {what} key ({flag} FILE or ${env}), found none"),
        },
    }
}

/// The network-monitoring key.
pub(super) fn network_key(f: &NetworkKeyFlags) -> anyhow::Result<PseudonymKey> {
    key_from(
        f.network_key_file.as_ref(),
        NETWORK_KEY_ENV,
        "--network-key-file",
        "network-monitoring",
    )
}

/// The identity vault's key.
pub(super) fn vault_key(f: &VaultKeyFlags) -> anyhow::Result<PseudonymKey> {
    key_from(
        f.vault_key_file.as_ref(),
        VAULT_KEY_ENV,
        "--vault-key-file",
        "identity-vault",
    )
}

fn owner_key(file: Option<&PathBuf>) -> anyhow::Result<PseudonymKey> {
    read_key(file)?.ok_or_else(|| {
        anyhow::anyhow!(
            "expected the owner pseudonym key (--key-file FILE or $SPECTRA_PSEUDONYM_KEY), found none"
        )
    })
}

pub(super) fn import_pairings(f: &ImportPairingsFlags) -> anyhow::Result<Status> {
    let (key, vault) = (network_key(&f.network)?, vault_key(&f.vault)?);
    let mut reg = open_or_create(&f.reg)?;
    let n = reg
        .import_pairing_list(&f.file, &key, &vault)
        .with_context(|| format!("importing {}", f.file.display()))?;
    print_text(&format!(
        "{}: pairing list replaced by {n} pairs from {}",
        reg.path().display(),
        f.file.display()
    ))?;
    Ok(Status::Ok)
}

pub(super) fn subject_access(f: &SubjectAccessFlags) -> anyhow::Result<Status> {
    // Keys are settled before the registry is opened.
    let network = match &f.subject.imsi {
        Some(_) => Some((network_key(&f.network)?, vault_key(&f.vault)?)),
        None => None,
    };
    let owner = match &f.subject.owner {
        Some(_) => Some(owner_key(f.key_file.as_ref())?),
        None => None,
    };
    let reg = open_or_create(&f.reg)?;
    let mut export = serde_json::Map::new();
    if let (Some(imsi), Some((key, vault))) = (&f.subject.imsi, &network) {
        let e = reg.subscriber_access(imsi, key, vault, &f.why)?;
        export.insert(e.purpose.to_string(), serde_json::to_value(&e)?);
    }
    if let (Some(id), Some(key)) = (&f.subject.owner, &owner) {
        let e = reg.owner_access(id, key, &f.why)?;
        export.insert(e.purpose.to_string(), serde_json::to_value(&e)?);
    }
    let value = serde_json::Value::Object(export);
    match &f.out {
        Some(p) => {
            let text = serde_json::to_string_pretty(&value)?;
            tabular::write_atomic(p, text.as_bytes())
                .with_context(|| format!("writing {}", p.display()))?;
            print_text(&format!(
                "subject access export written to {} (the read is in the audit log)",
                p.display()
            ))?;
        }
        None => print_json(&value)?,
    }
    Ok(Status::Ok)
}

pub(super) fn erase(f: &EraseFlags) -> anyhow::Result<Status> {
    let network = match &f.subject.imsi {
        Some(_) => Some(network_key(&f.network)?),
        None => None,
    };
    let owner = match &f.subject.owner {
        Some(_) => Some(owner_key(f.key_file.as_ref())?),
        None => None,
    };
    let mut reg = open_or_create(&f.reg)?;
    let mut done = Vec::new();
    if let (Some(imsi), Some(key)) = (&f.subject.imsi, &network) {
        done.push(reg.erase_subscriber(imsi, key, &f.why)?);
    }
    if let (Some(id), Some(key)) = (&f.subject.owner, &owner) {
        done.push(reg.erase_owner(id, key, &f.why)?);
    }
    if f.reg.json {
        print_json(&done)?;
        return Ok(Status::Ok);
    }
    for d in &done {
        print_text(&format!(
            "destruction act {}: {} of {} data of {}: {}",
            d.act.act_id, d.act.kind, d.act.purpose, d.act.subject, d.act.detail
        ))?;
    }
    Ok(Status::Ok)
}

pub(super) fn retention(f: &RetentionFlags) -> anyhow::Result<Status> {
    let mut reg = open_or_create(&f.reg)?;
    let d = reg.apply_retention(f.months, f.date)?;
    if f.reg.json {
        print_json(&d)?;
        return Ok(Status::Ok);
    }
    print_text(&format!(
        "destruction act {}: {} of {} data ({}): {}",
        d.act.act_id, d.act.kind, d.act.purpose, d.act.subject, d.act.detail
    ))?;
    Ok(Status::Ok)
}
