//! `spectra registry new-key | rotate-key`: creating and rotating the
//! pseudonym key (`imei_core::pseudonym`, `imei_registry::rotate`).

use anyhow::Context;
use imei_registry::pseudonym::{GENERATED_KEY_BYTES, PseudonymKey, write_key_file};

use super::registry_access::{open, read_key};
use crate::flags::pseudonym_key::{NewKeyFlags, RotateKeyFlags};
use crate::output::{Status, print_json, print_text};

/// Writes a fresh random key to a new file (mode 0600).
pub(super) fn new_key(f: &NewKeyFlags) -> anyhow::Result<Status> {
    let key = PseudonymKey::generate()?;
    write_key_file(&f.out, &key)
        .with_context(|| format!("writing the new key file {}", f.out.display()))?;
    print_text(&format!(
        "{}: new pseudonym key ({GENERATED_KEY_BYTES} random bytes, hex), fingerprint {}; keep it \
         secret and apart from the registry",
        f.out.display(),
        key.fingerprint()
    ))?;
    Ok(Status::Ok)
}

/// Rotates a registry's pseudonym key: writes the extended key chain to a new
/// file, then re-pseudonymises every owner in one transaction.
pub(super) fn rotate_key(f: &RotateKeyFlags) -> anyhow::Result<Status> {
    let old = read_key(f.key_file.as_ref())?.ok_or_else(|| {
        anyhow::anyhow!(
            "expected the current pseudonym key (--key-file FILE or $SPECTRA_PSEUDONYM_KEY), found none"
        )
    })?;
    if f.out.exists() {
        anyhow::bail!(
            "{}: expected a new file for the rotated key, found an existing file (a key is never overwritten)",
            f.out.display()
        );
    }
    let mut reg = open(&f.reg)?;
    // Refuse a wrong key before writing anything.
    reg.check_pseudonym_key(&old)
        .with_context(|| format!("checking the key against {}", reg.path().display()))?;
    let new = old.rotated(&PseudonymKey::generate()?);
    // The new key is on disk before the registry depends on it.
    write_key_file(&f.out, &new)
        .with_context(|| format!("writing the rotated key file {}", f.out.display()))?;
    let summary = match reg.rotate_pseudonym_key(&old, &new) {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&f.out);
            return Err(e).with_context(|| {
                format!(
                    "rotating the pseudonym key of {} (nothing changed; {} removed)",
                    reg.path().display(),
                    f.out.display()
                )
            });
        }
    };
    if f.reg.json {
        print_json(&summary)?;
    } else {
        print_text(&format!(
            "{}: {} owner pseudonyms of {} devices rotated to key generation {} (fingerprint {} -> {}); \
             use {} from now on",
            reg.path().display(),
            summary.pseudonyms,
            summary.devices,
            summary.generations,
            summary.old_fingerprint,
            summary.new_fingerprint,
            f.out.display()
        ))?;
    }
    Ok(Status::Ok)
}
