//! Keyed pseudonyms of owner identifiers: HMAC-SHA256 (RFC 2104, FIPS 180-4)
//! over a domain-separated, normalised identifier.
//!
//! The key comes from the caller (a key file or an environment variable kept
//! by the registry operator) and is never stored in the registry file; only the
//! pseudonym and a key *fingerprint* (to detect a key change) are stored. The
//! same owner ID under the same key always gives the same pseudonym, so devices
//! of one owner can be linked without the registry holding the ID in clear.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Minimum key length in bytes (128 bits).
pub const MIN_KEY_BYTES: usize = 16;

/// Domain-separation label hashed before every identifier.
const DOMAIN: &[u8] = b"spectra/imei-registry/owner/v1\0";

/// A pseudonymisation key (held in memory only; `Debug` does not print it).
#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PseudonymKey(fingerprint {})", self.fingerprint())
    }
}

/// Errors of key handling.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PseudonymError {
    /// The key is too short.
    #[error("pseudonym key too short: expected at least {MIN_KEY_BYTES} bytes, found {0}")]
    KeyTooShort(usize),
}

impl PseudonymKey {
    /// Wraps key bytes (at least [`MIN_KEY_BYTES`]).
    pub fn new(bytes: &[u8]) -> Result<PseudonymKey, PseudonymError> {
        if bytes.len() < MIN_KEY_BYTES {
            return Err(PseudonymError::KeyTooShort(bytes.len()));
        }
        Ok(PseudonymKey(bytes.to_vec()))
    }

    /// A short public fingerprint of the key (first 8 bytes of SHA-256, hex),
    /// stored in the registry to detect that a different key is being used.
    pub fn fingerprint(&self) -> String {
        let d = Sha256::digest(&self.0);
        hex(&d[..8])
    }

    /// The pseudonym of an owner identifier: `p1:` + hex(HMAC-SHA256(key,
    /// domain ‖ normalised id)). The ID is normalised by trimming and removing
    /// inner spaces and dashes, upper-cased.
    pub fn pseudonymise(&self, owner_id: &str) -> String {
        let norm: String = owner_id
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase)
            .collect();
        // HMAC accepts keys of any length; new_from_slice cannot fail for HMAC.
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(DOMAIN);
        mac.update(norm.as_bytes());
        let out = mac.finalize().into_bytes();
        format!("p1:{}", hex(&out))
    }
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

    #[test]
    fn stable_keyed_and_normalised() {
        let k = PseudonymKey::new(b"0123456789abcdef0123").unwrap();
        let k2 = PseudonymKey::new(b"another key of 16+ bytes").unwrap();
        let a = k.pseudonymise("kg 1234-5678");
        assert_eq!(a, k.pseudonymise("KG12345678"));
        assert_ne!(a, k2.pseudonymise("KG12345678"));
        assert!(a.starts_with("p1:") && a.len() == 67);
        assert!(!a.contains("12345678"));
        assert_eq!(
            PseudonymKey::new(b"short").unwrap_err(),
            PseudonymError::KeyTooShort(5)
        );
        assert!(!format!("{k:?}").contains("0123456789"));
    }
}
