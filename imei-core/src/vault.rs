//! The identity vault's cryptography and its slot file: the clear IMSI and
//! MSISDN an operator must receive back in its own notification list are
//! sealed with ChaCha20-Poly1305 (RFC 8439 AEAD, the RustCrypto crate) under
//! a per-subject data key, `HMAC-SHA256(vault key, domain ‖ salt ‖
//! subject)`. The vault key is a [`PseudonymKey`] kept outside the registry
//! (its own purpose, its own fingerprint); each subject's random 32-byte salt
//! is one fixed-size record of the **slot file**, a plain file beside the
//! registry. Erasing a subject overwrites its record with zeros in place
//! (crypto-shredding): the sealed values, wherever copies of them remain,
//! can no longer be opened, even with the vault key.
//!
//! Slot file layout: the 16-byte header `SPECTRA-VAULT-1\n`, then one
//! 64-byte record per slot: SHA-256 of the subject's pseudonym (so a record
//! is checked against the row that names it), then the salt. An erased
//! record is all zeros.
//!
//! ```
//! use imei_core::pseudonym::PseudonymKey;
//! use imei_core::vault::{Slot, open, seal};
//! let key = PseudonymKey::new(&[9u8; 32]).unwrap();
//! let slot = Slot::new("n1:abc").unwrap();
//! let (nonce, sealed) = seal(&key, "n1:abc", &slot, b"row", b"437010000000001").unwrap();
//! assert_eq!(open(&key, "n1:abc", &slot, b"row", &nonce, &sealed).unwrap(), b"437010000000001");
//! // Another row's associated data, or an erased slot, opens nothing.
//! assert!(open(&key, "n1:abc", &slot, b"other", &nonce, &sealed).is_err());
//! assert!(open(&key, "n1:abc", &Slot::erased(), b"row", &nonce, &sealed).is_err());
//! ```

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, KeyInit};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::ImeiError;
use crate::pseudonym::PseudonymKey;

/// The slot file's header.
pub const VAULT_MAGIC: &[u8; 16] = b"SPECTRA-VAULT-1\n";

/// Bytes of one slot record.
pub const SLOT_LEN: usize = 64;

/// Bytes of a nonce.
pub const NONCE_LEN: usize = 12;

/// HMAC domain of the per-subject data keys.
const DEK_DOMAIN: &[u8] = b"spectra/identity-vault/dek/v1\0";

/// One subject's record: the tag of its pseudonym and its salt.
#[derive(Clone, PartialEq, Eq)]
pub struct Slot {
    tag: [u8; 32],
    salt: [u8; 32],
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_erased() {
            "Slot(erased)"
        } else {
            "Slot(..)"
        })
    }
}

fn tag_of(subject: &str) -> [u8; 32] {
    Sha256::digest(subject.as_bytes()).into()
}

fn random_bytes<const N: usize>() -> Result<[u8; N], ImeiError> {
    use rand::TryRngCore;
    let mut b = [0u8; N];
    rand::rngs::OsRng
        .try_fill_bytes(&mut b)
        .map_err(|e| ImeiError::Invalid(format!("the system's random number generator: {e}")))?;
    Ok(b)
}

impl Slot {
    /// A fresh record for `subject` (a pseudonym) with a random salt.
    pub fn new(subject: &str) -> Result<Slot, ImeiError> {
        Ok(Slot {
            tag: tag_of(subject),
            salt: random_bytes()?,
        })
    }

    /// The record of an erased subject.
    pub fn erased() -> Slot {
        Slot {
            tag: [0; 32],
            salt: [0; 32],
        }
    }

    /// Whether the record was erased.
    pub fn is_erased(&self) -> bool {
        self.tag == [0; 32] && self.salt == [0; 32]
    }

    /// Whether the record belongs to `subject`.
    pub fn belongs_to(&self, subject: &str) -> bool {
        !self.is_erased() && self.tag == tag_of(subject)
    }

    fn to_bytes(&self) -> [u8; SLOT_LEN] {
        let mut b = [0u8; SLOT_LEN];
        b[..32].copy_from_slice(&self.tag);
        b[32..].copy_from_slice(&self.salt);
        b
    }

    fn from_bytes(b: &[u8; SLOT_LEN]) -> Slot {
        let mut tag = [0u8; 32];
        let mut salt = [0u8; 32];
        tag.copy_from_slice(&b[..32]);
        salt.copy_from_slice(&b[32..]);
        Slot { tag, salt }
    }
}

fn cipher(key: &PseudonymKey, subject: &str, slot: &Slot) -> Result<ChaCha20Poly1305, ImeiError> {
    if !slot.belongs_to(subject) {
        return Err(ImeiError::Invalid(format!(
            "the vault slot of {subject} is erased or belongs to another subject; its clear values are gone"
        )));
    }
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key.newest())
        .map_err(|e| ImeiError::Invalid(format!("vault key: {e}")))?;
    m.update(DEK_DOMAIN);
    m.update(&slot.salt);
    m.update(subject.as_bytes());
    let dek = m.finalize().into_bytes();
    ChaCha20Poly1305::new_from_slice(&dek)
        .map_err(|e| ImeiError::Invalid(format!("vault data key: {e}")))
}

/// Seals `clear` for `subject` under its slot, bound to `aad` (the row it is
/// stored in); returns the random nonce and the ciphertext with its tag.
pub fn seal(
    key: &PseudonymKey,
    subject: &str,
    slot: &Slot,
    aad: &[u8],
    clear: &[u8],
) -> Result<([u8; NONCE_LEN], Vec<u8>), ImeiError> {
    let nonce: [u8; NONCE_LEN] = random_bytes()?;
    let sealed = cipher(key, subject, slot)?
        .encrypt(&nonce.into(), Payload { msg: clear, aad })
        .map_err(|_| ImeiError::Invalid(format!("sealing a vault entry of {subject}")))?;
    Ok((nonce, sealed))
}

/// Opens what [`seal`] made; fails when the slot was erased, the key is not
/// the vault key, or the row or ciphertext changed.
pub fn open(
    key: &PseudonymKey,
    subject: &str,
    slot: &Slot,
    aad: &[u8],
    nonce: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, ImeiError> {
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| {
        ImeiError::Invalid(format!(
            "a vault nonce of {NONCE_LEN} bytes, found {}",
            nonce.len()
        ))
    })?;
    cipher(key, subject, slot)?
        .decrypt(&nonce.into(), Payload { msg: sealed, aad })
        .map_err(|_| {
            ImeiError::Invalid(format!(
                "a vault entry of {subject} that opens under this vault key, found one that does not \
                 (wrong key, or the entry was altered)"
            ))
        })
}

/// The slot file: fixed-size records addressed by slot number.
#[derive(Debug)]
pub struct SlotFile {
    path: PathBuf,
    file: File,
    slots: u64,
}

impl SlotFile {
    /// Opens the slot file at `path`, creating it (with its header) if
    /// missing; refuses a file that is not one.
    pub fn open_or_create(path: &Path) -> Result<SlotFile, ImeiError> {
        let io = |e| ImeiError::io(path, e);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        if len == 0 {
            file.write_all(VAULT_MAGIC).map_err(io)?;
            file.sync_all().map_err(io)?;
        } else {
            let mut head = [0u8; 16];
            file.read_exact(&mut head).map_err(|_| {
                ImeiError::Invalid(format!("{}: not a Spectra vault slot file", path.display()))
            })?;
            if &head != VAULT_MAGIC {
                return Err(ImeiError::Invalid(format!(
                    "{}: expected the header {:?}, found {:?}",
                    path.display(),
                    String::from_utf8_lossy(VAULT_MAGIC),
                    String::from_utf8_lossy(&head)
                )));
            }
        }
        let body = len.max(16) - 16;
        Ok(SlotFile {
            path: path.to_path_buf(),
            file,
            // A torn last record (a crash while appending) is ignored and
            // overwritten by the next append.
            slots: body / SLOT_LEN as u64,
        })
    }

    /// Number of slots.
    pub fn len(&self) -> u64 {
        self.slots
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.slots == 0
    }

    fn offset(slot: u64) -> u64 {
        16 + slot * SLOT_LEN as u64
    }

    /// Reads slot `slot`.
    pub fn read(&mut self, slot: u64) -> Result<Slot, ImeiError> {
        if slot >= self.slots {
            return Err(ImeiError::Invalid(format!(
                "{}: expected a slot below {}, found {slot}",
                self.path.display(),
                self.slots
            )));
        }
        let io = |e| ImeiError::io(&self.path, e);
        let mut b = [0u8; SLOT_LEN];
        self.file
            .seek(SeekFrom::Start(Self::offset(slot)))
            .map_err(io)?;
        self.file.read_exact(&mut b).map_err(io)?;
        Ok(Slot::from_bytes(&b))
    }

    /// Appends `slots` and syncs them to disk; returns the first one's number.
    pub fn append(&mut self, slots: &[Slot]) -> Result<u64, ImeiError> {
        let first = self.slots;
        let mut buf = Vec::with_capacity(slots.len() * SLOT_LEN);
        for s in slots {
            buf.extend_from_slice(&s.to_bytes());
        }
        let io = |e| ImeiError::io(&self.path, e);
        self.file
            .seek(SeekFrom::Start(Self::offset(first)))
            .map_err(io)?;
        self.file.write_all(&buf).map_err(io)?;
        self.file.sync_all().map_err(io)?;
        self.slots += slots.len() as u64;
        Ok(first)
    }

    /// Overwrites each of `slots` with zeros in place, then syncs: whatever
    /// was sealed under them can no longer be opened.
    pub fn erase(&mut self, slots: &[u64]) -> Result<(), ImeiError> {
        if let Some(bad) = slots.iter().find(|&&s| s >= self.slots) {
            return Err(ImeiError::Invalid(format!(
                "{}: expected a slot below {}, found {bad}",
                self.path.display(),
                self.slots
            )));
        }
        let io = |e| ImeiError::io(&self.path, e);
        for &slot in slots {
            self.file
                .seek(SeekFrom::Start(Self::offset(slot)))
                .map_err(io)?;
            self.file.write_all(&[0u8; SLOT_LEN]).map_err(io)?;
        }
        self.file.sync_all().map_err(io)
    }
}
