//! Keyed pseudonyms of owner identifiers: HMAC-SHA256 (RFC 2104, FIPS 180-4)
//! over a domain-separated, normalised identifier, and the pseudonym key:
//! its text encoding, generation, fingerprint and rotation chain.
//!
//! # The key
//!
//! A key is at least [`MIN_KEY_BYTES`] (32) random bytes — never a
//! passphrase. It is written as text, one *generation* per line, each line
//! stating its encoding with a prefix:
//!
//! ```text
//! # spectra pseudonym key: keep secret, never store it with the registry
//! hex:5f0c…(64 hex digits)…
//! base64:Xw…(44 characters, RFC 4648 standard or URL-safe alphabet, padding optional)…
//! ```
//!
//! Text without a `hex:` or `base64:` prefix is refused (so a passphrase can
//! never be taken for a key), and so is a generation that decodes to fewer than
//! 32 bytes. `#` starts a comment; blank lines are ignored. The same text may
//! be given in the environment variable `SPECTRA_PSEUDONYM_KEY` (generations
//! separated by newlines or spaces). [`PseudonymKey::generate`] draws a fresh
//! key from the operating system's random number generator.
//!
//! # Pseudonyms and rotation
//!
//! A pseudonym is `p1:` + 64 lowercase hex digits. With generations
//! `k0, k1, …, kn`:
//!
//! ```text
//! P0 = "p1:" ‖ hex(HMAC-SHA256(k0, "spectra/imei-registry/owner/v1\0" ‖ normalised ID))
//! Pi = "p1:" ‖ hex(HMAC-SHA256(ki, "spectra/imei-registry/owner-rotate/v1\0" ‖ P(i-1)))
//! ```
//!
//! and the owner's pseudonym is `Pn`. The registry never holds owner IDs in
//! clear, so a key rotation cannot recompute `HMAC(new key, ID)`; instead it
//! applies the next step of the chain to every stored pseudonym, and the key
//! file after rotation holds every generation. Pseudonymising an ID with the
//! whole chain then gives exactly the rotated pseudonym, so later imports still
//! link an owner's devices. What rotation protects against: the stored
//! pseudonyms can no longer be linked with a leaked *earlier* key (or an old
//! copy of the key file) or with pseudonyms exported before the rotation.
//!
//! # Fingerprint
//!
//! The registry stores only a keyed fingerprint of the whole chain
//! ([`PseudonymKey::fingerprint`]): `F0 = HMAC-SHA256(k0, "spectra fingerprint
//! v1")`, `Fi = HMAC-SHA256(ki, "spectra fingerprint v1" ‖ F(i-1))`, shown as
//! `kf1:` + hex of the first 16 bytes of `Fn`. Without the key it reveals
//! nothing about it (unlike an unsalted hash, it cannot be tested against
//! guessed keys offline), yet a different key or chain — including the key
//! before a rotation — has a different fingerprint.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::ImeiError;

/// Minimum key length in bytes (256 bits), for every generation.
pub const MIN_KEY_BYTES: usize = 32;

/// Bytes of a key drawn by [`PseudonymKey::generate`].
pub const GENERATED_KEY_BYTES: usize = 32;

/// Prefix of every pseudonym (format version 1).
pub const PSEUDONYM_PREFIX: &str = "p1:";

/// Prefix of a key fingerprint (format version 1).
pub const FINGERPRINT_PREFIX: &str = "kf1:";

/// Domain-separation label hashed before every identifier.
const DOMAIN: &[u8] = b"spectra/imei-registry/owner/v1\0";

/// Domain-separation label of a rotation step.
const ROTATE_DOMAIN: &[u8] = b"spectra/imei-registry/owner-rotate/v1\0";

/// Label of the key fingerprint.
const FINGERPRINT_LABEL: &[u8] = b"spectra fingerprint v1";

/// Base64 (RFC 4648 §4) with or without padding.
const B64: base64::engine::GeneralPurpose =
    base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT;

/// Base64url (RFC 4648 §5) with or without padding.
const B64_URL: base64::engine::GeneralPurpose =
    base64::engine::general_purpose::URL_SAFE_PAD_INDIFFERENT;

/// A pseudonymisation key: one or more generations, oldest first (held in
/// memory only; `Debug` prints the fingerprint, never the key).
#[derive(Clone)]
pub struct PseudonymKey {
    generations: Vec<Vec<u8>>,
}

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PseudonymKey({} generation(s), fingerprint {})",
            self.generations.len(),
            self.fingerprint()
        )
    }
}

/// Errors of key handling and of the pseudonym format.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PseudonymError {
    /// A key (generation) is too short.
    #[error(
        "{source_name}: pseudonym key generation {generation} too short: expected at least \
         {MIN_KEY_BYTES} random bytes, found {found}"
    )]
    KeyTooShort {
        /// Where the key came from.
        source_name: String,
        /// 1-based generation.
        generation: usize,
        /// Bytes found.
        found: usize,
    },
    /// A key line does not state its encoding.
    #[error(
        "{source_name}, line {line}: expected a key as `hex:<hex digits>` or `base64:<base64>` \
         ({MIN_KEY_BYTES}+ random bytes, e.g. from `spectra registry new-key`), found text \
         without either prefix; a passphrase is not a key"
    )]
    NoEncoding {
        /// Where the key came from.
        source_name: String,
        /// 1-based line.
        line: usize,
    },
    /// A key line does not decode.
    #[error("{source_name}, line {line}: expected {encoding} text after `{encoding}:`, {message}")]
    BadEncoding {
        /// Where the key came from.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// `hex` or `base64`.
        encoding: &'static str,
        /// What was wrong.
        message: String,
    },
    /// No key in the text.
    #[error("{source_name}: expected a pseudonym key, found no key line")]
    Empty {
        /// Where the key came from.
        source_name: String,
    },
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
    /// A value is not a pseudonym.
    #[error("expected a pseudonym `p1:` + 64 lowercase hex digits, found {found}")]
    NotAPseudonym {
        /// A description of what was found (never the value itself, which
        /// may be a clear-text identifier).
        found: String,
    },
}

/// Whether `s` is a pseudonym: `p1:` followed by exactly 64 lowercase hex
/// digits.
///
/// ```
/// use imei_core::pseudonym::is_pseudonym;
/// assert!(is_pseudonym(&format!("p1:{}", "ab".repeat(32))));
/// assert!(!is_pseudonym("KG12345678"));
/// ```
pub fn is_pseudonym(s: &str) -> bool {
    s.strip_prefix(PSEUDONYM_PREFIX)
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// Describes a value that is not a pseudonym without repeating it (it may be
/// a clear-text owner ID): its length and whether it has the prefix.
pub fn describe_non_pseudonym(s: &str) -> String {
    match s.strip_prefix(PSEUDONYM_PREFIX) {
        Some(rest) => format!(
            "`p1:` followed by {} characters that are not 64 lowercase hex digits",
            rest.chars().count()
        ),
        None => format!(
            "a value of {} characters without the `p1:` prefix (a clear-text ID? use the \
             `owner_id` column, which is pseudonymised on import)",
            s.chars().count()
        ),
    }
}

fn mac(key: &[u8]) -> Result<Hmac<Sha256>, PseudonymError> {
    // HMAC accepts keys of any length: this cannot fail.
    <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .map_err(|e| PseudonymError::Random(format!("HMAC key setup: {e}")))
}

fn decode_line(text: &str, source_name: &str, line: usize) -> Result<Vec<u8>, PseudonymError> {
    let bad = |encoding, message: String| PseudonymError::BadEncoding {
        source_name: source_name.to_string(),
        line,
        encoding,
        message,
    };
    if let Some(h) = text.strip_prefix("hex:") {
        unhex(h).map_err(|m| bad("hex", m))
    } else if let Some(b) = text.strip_prefix("base64:") {
        B64.decode(b)
            .or_else(|_| B64_URL.decode(b))
            .map_err(|e| bad("base64", format!("found text that does not decode ({e})")))
    } else {
        Err(PseudonymError::NoEncoding {
            source_name: source_name.to_string(),
            line,
        })
    }
}

impl PseudonymKey {
    /// Wraps the bytes of a one-generation key (at least [`MIN_KEY_BYTES`]).
    pub fn new(bytes: &[u8]) -> Result<PseudonymKey, PseudonymError> {
        if bytes.len() < MIN_KEY_BYTES {
            return Err(PseudonymError::KeyTooShort {
                source_name: "key".to_string(),
                generation: 1,
                found: bytes.len(),
            });
        }
        Ok(PseudonymKey {
            generations: vec![bytes.to_vec()],
        })
    }

    /// Parses key text (see the module docs: one `hex:` or `base64:` line
    /// per generation, oldest first); `source_name` names it in errors.
    ///
    /// ```
    /// use imei_core::pseudonym::PseudonymKey;
    /// let k = PseudonymKey::parse(&format!("hex:{}", "00".repeat(32)), "example").unwrap();
    /// assert_eq!(k.generations(), 1);
    /// assert!(PseudonymKey::parse("correct horse battery staple", "example").is_err());
    /// assert!(PseudonymKey::parse("hex:00ff", "example").is_err()); // 2 bytes
    /// ```
    pub fn parse(text: &str, source_name: &str) -> Result<PseudonymKey, PseudonymError> {
        let mut generations = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let content = raw.split('#').next().unwrap_or("");
            for token in content.split_whitespace() {
                let bytes = decode_line(token, source_name, i + 1)?;
                if bytes.len() < MIN_KEY_BYTES {
                    return Err(PseudonymError::KeyTooShort {
                        source_name: source_name.to_string(),
                        generation: generations.len() + 1,
                        found: bytes.len(),
                    });
                }
                generations.push(bytes);
            }
        }
        if generations.is_empty() {
            return Err(PseudonymError::Empty {
                source_name: source_name.to_string(),
            });
        }
        Ok(PseudonymKey { generations })
    }

    /// A fresh one-generation key of [`GENERATED_KEY_BYTES`] bytes from the
    /// operating system's random number generator.
    pub fn generate() -> Result<PseudonymKey, PseudonymError> {
        use rand::TryRngCore;
        let mut bytes = vec![0u8; GENERATED_KEY_BYTES];
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| PseudonymError::Random(e.to_string()))?;
        Ok(PseudonymKey {
            generations: vec![bytes],
        })
    }

    /// The key as key-file text: a comment, then one `hex:` line per
    /// generation, oldest first. This is the secret itself.
    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# spectra pseudonym key (keep secret; never store it with the registry).\n\
             # One generation per line, oldest first; a rotation appends one.\n",
        );
        for g in &self.generations {
            s.push_str("hex:");
            s.push_str(&hex(g));
            s.push('\n');
        }
        s
    }

    /// Number of generations (1 for a key never rotated).
    pub fn generations(&self) -> usize {
        self.generations.len()
    }

    /// This chain followed by every generation of `next` (a key rotation:
    /// `next` is normally a fresh key from [`PseudonymKey::generate`]).
    pub fn rotated(&self, next: &PseudonymKey) -> PseudonymKey {
        let mut generations = self.generations.clone();
        generations.extend(next.generations.iter().cloned());
        PseudonymKey { generations }
    }

    /// Whether this chain starts with every generation of `earlier` and adds
    /// at least one (what a rotation from `earlier` gives).
    pub fn extends(&self, earlier: &PseudonymKey) -> bool {
        self.generations.len() > earlier.generations.len()
            && self
                .generations
                .iter()
                .zip(&earlier.generations)
                .all(|(a, b)| a == b)
    }

    /// The keyed fingerprint of the whole chain (`kf1:` + 32 hex digits),
    /// stored in the registry to detect that a different key is being used.
    pub fn fingerprint(&self) -> String {
        let mut f: Vec<u8> = Vec::new();
        for (i, g) in self.generations.iter().enumerate() {
            let Ok(mut m) = mac(g) else {
                return String::new();
            };
            m.update(FINGERPRINT_LABEL);
            if i > 0 {
                m.update(&f);
            }
            f = m.finalize().into_bytes().to_vec();
        }
        format!("{FINGERPRINT_PREFIX}{}", hex(f.get(..16).unwrap_or(&f)))
    }

    /// The newest generation's key bytes (for the pseudonyms of other
    /// purposes, [`crate::purpose`]).
    pub(crate) fn newest(&self) -> &[u8] {
        self.generations.last().map_or(&[], Vec::as_slice)
    }

    /// The pseudonym of an owner identifier under the whole chain (see the
    /// module docs). The ID is normalised by trimming and removing inner
    /// whitespace and dashes, upper-cased.
    pub fn pseudonymise(&self, owner_id: &str) -> String {
        let norm: String = owner_id
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase)
            .collect();
        let mut p = String::new();
        for (i, g) in self.generations.iter().enumerate() {
            let Ok(mut m) = mac(g) else {
                return String::new();
            };
            if i == 0 {
                m.update(DOMAIN);
                m.update(norm.as_bytes());
            } else {
                m.update(ROTATE_DOMAIN);
                m.update(p.as_bytes());
            }
            p = format!("{PSEUDONYM_PREFIX}{}", hex(&m.finalize().into_bytes()));
        }
        p
    }

    /// Carries a pseudonym made under the first `from_generations`
    /// generations of this chain forward to the whole chain (what a key
    /// rotation does to every stored pseudonym).
    pub fn forward(
        &self,
        pseudonym: &str,
        from_generations: usize,
    ) -> Result<String, PseudonymError> {
        if !is_pseudonym(pseudonym) {
            return Err(PseudonymError::NotAPseudonym {
                found: describe_non_pseudonym(pseudonym),
            });
        }
        let mut p = pseudonym.to_string();
        for g in self.generations.iter().skip(from_generations.max(1)) {
            let mut m = mac(g)?;
            m.update(ROTATE_DOMAIN);
            m.update(p.as_bytes());
            p = format!("{PSEUDONYM_PREFIX}{}", hex(&m.finalize().into_bytes()));
        }
        Ok(p)
    }
}

/// Reads a key file (see the module docs for the format).
pub fn read_key_file(path: &Path) -> Result<PseudonymKey, ImeiError> {
    let text = std::fs::read_to_string(path).map_err(|e| ImeiError::io(path, e))?;
    PseudonymKey::parse(&text, &path.display().to_string())
        .map_err(|e| ImeiError::Invalid(e.to_string()))
}

/// Writes a key file readable by its owner only (mode 0600 on Unix). The
/// file must not exist yet (a key is never overwritten); it is synced to disk
/// before this returns.
pub fn write_key_file(path: &Path, key: &PseudonymKey) -> Result<(), ImeiError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| ImeiError::io(path, e))?;
    let written = f
        .write_all(key.to_text().as_bytes())
        .and_then(|()| f.sync_all());
    if let Err(e) = written {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(ImeiError::io(path, e));
    }
    Ok(())
}

/// Bytes of lower- or upper-case hex text (the inverse of [`hex`]); the error
/// says what was found.
///
/// ```
/// use imei_core::pseudonym::{hex, unhex};
/// assert_eq!(unhex(&hex(&[0, 171, 255])).unwrap(), [0, 171, 255]);
/// assert!(unhex("abc").is_err());
/// assert!(unhex("zz").is_err());
/// ```
pub fn unhex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err(format!("found an odd number of digits ({})", text.len()));
    }
    let digit = |c: u8| char::from(c).to_digit(16);
    text.as_bytes()
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| match (digit(pair[0]), digit(pair[1])) {
            (Some(a), Some(b)) => Ok((a * 16 + b) as u8),
            _ => Err(format!(
                "found a non-hex character near position {}",
                2 * i + 1
            )),
        })
        .collect()
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(H[usize::from(b >> 4)]));
        s.push(char::from(H[usize::from(b & 15)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(byte: u8) -> PseudonymKey {
        PseudonymKey::new(&[byte; 32]).unwrap()
    }

    #[test]
    fn stable_keyed_and_normalised() {
        let (k1, k2) = (k(1), k(2));
        let a = k1.pseudonymise("kg 1234-5678");
        assert_eq!(a, k1.pseudonymise("KG12345678"));
        assert_ne!(a, k2.pseudonymise("KG12345678"));
        assert!(is_pseudonym(&a), "{a}");
        assert!(!a.contains("12345678"));
        assert!(!format!("{k1:?}").contains("0101"));
    }

    #[test]
    fn short_keys_and_passphrases_are_refused() {
        assert!(matches!(
            PseudonymKey::new(b"short"),
            Err(PseudonymError::KeyTooShort { found: 5, .. })
        ));
        // 31 bytes in hex and in base64.
        let e = PseudonymKey::parse(&format!("hex:{}", "ab".repeat(31)), "f").unwrap_err();
        assert!(
            matches!(e, PseudonymError::KeyTooShort { found: 31, .. }),
            "{e}"
        );
        let b = base64::engine::general_purpose::STANDARD.encode([7u8; 31]);
        let e = PseudonymKey::parse(&format!("base64:{b}"), "f").unwrap_err();
        assert!(e.to_string().contains("found 31"), "{e}");
        // A long passphrase is still not a key.
        let e = PseudonymKey::parse("a secret of sixteen bytes or more, really long", "env")
            .unwrap_err();
        assert!(
            matches!(e, PseudonymError::NoEncoding { line: 1, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("passphrase"));
        let e = PseudonymKey::parse(&format!("hex:{}zz", "ab".repeat(32)), "f").unwrap_err();
        assert!(
            matches!(
                e,
                PseudonymError::BadEncoding {
                    encoding: "hex",
                    ..
                }
            ),
            "{e}"
        );
        assert!(matches!(
            PseudonymKey::parse("# only a comment\n\n", "f"),
            Err(PseudonymError::Empty { .. })
        ));
    }

    #[test]
    fn hex_and_base64_give_the_same_key() {
        let bytes: Vec<u8> = (0u8..32).collect();
        let h = PseudonymKey::parse(&format!("hex:{}", hex(&bytes)), "h").unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let b = PseudonymKey::parse(&format!("  base64:{b64}  # comment"), "b").unwrap();
        let b_nopad =
            PseudonymKey::parse(&format!("base64:{}", b64.trim_end_matches('=')), "b").unwrap();
        assert_eq!(h.fingerprint(), b.fingerprint());
        assert_eq!(h.fingerprint(), b_nopad.fingerprint());
        assert_eq!(h.pseudonymise("X1"), b.pseudonymise("X1"));
    }

    #[test]
    fn text_round_trips_and_generate_is_random() {
        let a = PseudonymKey::generate().unwrap();
        let b = PseudonymKey::generate().unwrap();
        assert_ne!(a.fingerprint(), b.fingerprint());
        let chain = a.rotated(&b);
        let back = PseudonymKey::parse(&chain.to_text(), "t").unwrap();
        assert_eq!(back.generations(), 2);
        assert!(back.extends(&a) && !a.extends(&a) && !back.extends(&b));
        assert_eq!(back.fingerprint(), chain.fingerprint());
    }

    #[test]
    fn fingerprint_is_keyed_and_binds_the_chain() {
        let (k1, k2) = (k(1), k(2));
        let f = k1.fingerprint();
        assert!(
            f.starts_with(FINGERPRINT_PREFIX) && f.len() == 4 + 32,
            "{f}"
        );
        // Not an unsalted hash of the key.
        use sha2::Digest;
        assert!(!f.contains(&hex(&sha2::Sha256::digest([1u8; 32])[..8])));
        let chain = k1.rotated(&k2);
        assert_ne!(chain.fingerprint(), f);
        assert_ne!(chain.fingerprint(), k2.fingerprint());
        assert_ne!(chain.fingerprint(), k(3).rotated(&k2).fingerprint());
    }

    #[test]
    fn rotation_chain_matches_forwarded_pseudonyms() {
        let (k1, k2, k3) = (k(1), k(2), k(3));
        let old = k1.pseudonymise("KG-1");
        let chain = k1.rotated(&k2);
        let new = chain.forward(&old, 1).unwrap();
        assert_ne!(new, old);
        assert!(is_pseudonym(&new));
        assert_eq!(chain.pseudonymise("kg 1"), new);
        let chain3 = chain.rotated(&k3);
        assert_eq!(chain3.forward(&new, 2).unwrap(), chain3.pseudonymise("KG1"));
        assert_eq!(chain3.forward(&old, 1).unwrap(), chain3.pseudonymise("KG1"));
        let e = chain.forward("KG12345678", 1).unwrap_err();
        assert!(!e.to_string().contains("KG12345678"), "{e}");
    }

    #[test]
    fn pseudonym_format() {
        let h = "0123456789abcdef".repeat(4);
        assert!(is_pseudonym(&format!("p1:{h}")));
        assert!(!is_pseudonym(&format!("p1:{}", h.to_uppercase())));
        assert!(!is_pseudonym(&format!("p1:{h}0")));
        assert!(!is_pseudonym(&format!("p2:{h}")));
        assert!(!is_pseudonym("AN1234567"));
    }
}
