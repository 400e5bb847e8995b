//! The one hash-chain helper of the registry: every append-only record (the
//! status history, the audit log and the contest events) is a chain of
//! SHA-256 links (FIPS 180-4):
//!
//! `hash_n = SHA-256(label ‖ hash_{n-1} ‖ canonical(entry_n))`, `hash_0` = 32
//! zero bytes, where `label` names the chain (so an entry cannot be moved to
//! another chain) and `canonical` is a length-prefixed byte encoding of every
//! stored field ([`Canonical`]). Sequence numbers start at 1, are the primary
//! key of each table and have no gaps.
//!
//! A chain alone cannot reveal a deleted tail or a chain recomputed from
//! scratch by whoever can write the file. The external anchor is the
//! **checkpoint** ([`Checkpoint`]): the tips of every chain, printed by
//! `spectra registry checkpoint` to be published or signed outside the
//! registry. Verification against a checkpoint checks that every chain still
//! extends it: it is at least as long, and the entry at the checkpoint's
//! sequence number still has the checkpoint's hash.

use std::collections::BTreeMap;

use duckdb::{Connection, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::RegistryError;

/// The hash of the (empty) start of every chain.
pub const GENESIS: [u8; 32] = [0; 32];

/// The append-only records of the registry, each a hash chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Chain {
    /// Status changes of devices (`status_history`).
    History,
    /// Who read or changed what and when (`audit_log`).
    Audit,
    /// Contests filed and decided (`contest_events`).
    Contests,
}

impl Chain {
    /// Every chain, in verification order.
    pub const ALL: [Chain; 3] = [Chain::History, Chain::Audit, Chain::Contests];

    /// The table holding the chain.
    pub fn table(self) -> &'static str {
        match self {
            Chain::History => "status_history",
            Chain::Audit => "audit_log",
            Chain::Contests => "contest_events",
        }
    }

    /// The chain's name in checkpoints and messages (its table's name).
    pub fn name(self) -> &'static str {
        self.table()
    }

    /// Parses a chain name.
    pub fn parse(name: &str) -> Option<Chain> {
        Chain::ALL.into_iter().find(|c| c.name() == name)
    }

    fn label(self) -> &'static [u8] {
        match self {
            Chain::History => b"spectra/registry/status_history/v2\0",
            Chain::Audit => b"spectra/registry/audit_log/v2\0",
            Chain::Contests => b"spectra/registry/contest_events/v2\0",
        }
    }
}

/// A length-prefixed canonical encoding of an entry's fields.
///
/// ```
/// use imei_registry::chain::Canonical;
/// let mut a = Canonical::default();
/// a.u64(1).str("ab").str("c");
/// let mut b = Canonical::default();
/// b.u64(1).str("a").str("bc");
/// assert_ne!(a.bytes(), b.bytes());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Canonical(Vec<u8>);

impl Canonical {
    /// Clears the buffer for the next entry.
    pub fn clear(&mut self) -> &mut Self {
        self.0.clear();
        self
    }

    /// Appends an unsigned integer (8 bytes, little-endian).
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Appends a signed integer (8 bytes, little-endian).
    pub fn i64(&mut self, v: i64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Appends a text (4-byte little-endian length, then UTF-8 bytes).
    pub fn str(&mut self, s: &str) -> &mut Self {
        let n = u32::try_from(s.len()).unwrap_or(u32::MAX);
        self.0.extend_from_slice(&n.to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    /// Appends an optional text (a presence byte, then the text).
    pub fn opt_str(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => {
                self.0.push(1);
                self.str(s)
            }
            None => {
                self.0.push(0);
                self
            }
        }
    }

    /// The encoded bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// One link: `SHA-256(label ‖ prev ‖ record)`.
pub fn link(chain: Chain, prev: &[u8; 32], record: &Canonical) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(chain.label());
    h.update(prev);
    h.update(record.bytes());
    h.finalize().into()
}

/// The tip of a chain: the last sequence number (0 when empty) and its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainTip {
    /// Sequence number of the last entry (0: empty chain).
    pub seq: u64,
    /// Hash of the last entry ([`GENESIS`] when empty).
    pub hash: [u8; 32],
}

impl Default for ChainTip {
    fn default() -> Self {
        ChainTip {
            seq: 0,
            hash: GENESIS,
        }
    }
}

impl ChainTip {
    /// Advances the tip over the next entry (whose sequence number is
    /// `self.seq + 1`) and returns that entry's hash.
    pub fn advance(&mut self, chain: Chain, record: &Canonical) -> [u8; 32] {
        self.seq += 1;
        self.hash = link(chain, &self.hash, record);
        self.hash
    }
}

/// Reads the stored tip of a chain (kept in `chain_tips`, updated in the same
/// transaction as every append).
pub fn load_tip(conn: &Connection, chain: Chain) -> Result<ChainTip, RegistryError> {
    let ctx = format!("reading the tip of {}", chain.name());
    let (seq, hash): (u64, Vec<u8>) = conn
        .query_row(
            "SELECT seq, hash FROM chain_tips WHERE chain = ?",
            params![chain.name()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(RegistryError::db(ctx))?;
    let hash = hash.try_into().map_err(|_| RegistryError::Tampered {
        chain: chain.name().to_string(),
        seq,
        detail: "the stored tip hash is not 32 bytes".into(),
    })?;
    Ok(ChainTip { seq, hash })
}

/// Stores the tip of a chain (inside the caller's transaction).
pub fn store_tip(conn: &Connection, chain: Chain, tip: &ChainTip) -> Result<(), RegistryError> {
    conn.execute(
        "UPDATE chain_tips SET seq = ?, hash = ? WHERE chain = ?",
        params![tip.seq, tip.hash.to_vec(), chain.name()],
    )
    .map_err(RegistryError::db(format!(
        "storing the tip of {}",
        chain.name()
    )))?;
    Ok(())
}

/// Lower-case hex of a hash.
pub fn hex32(h: &[u8; 32]) -> String {
    imei_core::pseudonym::hex(h)
}

/// Parses 64 hex digits into a hash.
pub fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    imei_core::pseudonym::unhex(s).ok()?.try_into().ok()
}

/// One chain's tip as written in a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointTip {
    /// Number of entries (the last sequence number).
    pub seq: u64,
    /// Hash of the last entry, 64 lower-case hex digits.
    pub hash: String,
}

/// The tips of every chain at one moment: publish or sign it outside the
/// registry, and verify later that the registry still extends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Format marker, `spectra-registry-checkpoint/1`.
    pub format: String,
    /// The registry's schema version.
    pub schema_version: String,
    /// When the checkpoint was taken (RFC 3339, UTC).
    pub taken_at: String,
    /// Tip of each chain by name (`status_history`, `audit_log`,
    /// `contest_events`).
    pub chains: BTreeMap<String, CheckpointTip>,
}

/// The format marker of checkpoints.
pub const CHECKPOINT_FORMAT: &str = "spectra-registry-checkpoint/1";

impl Checkpoint {
    /// The tip recorded for a chain, parsed.
    pub fn tip(&self, chain: Chain) -> Result<Option<ChainTip>, RegistryError> {
        let Some(t) = self.chains.get(chain.name()) else {
            return Ok(None);
        };
        let hash = parse_hex32(&t.hash).ok_or_else(|| {
            RegistryError::Invalid(format!(
                "checkpoint: the hash of {} must be 64 hex digits, found {:?}",
                chain.name(),
                t.hash
            ))
        })?;
        Ok(Some(ChainTip { seq: t.seq, hash }))
    }

    /// Parses a checkpoint document (JSON).
    pub fn parse(text: &str) -> Result<Checkpoint, RegistryError> {
        let cp: Checkpoint = serde_json::from_str(text).map_err(|e| {
            RegistryError::Invalid(format!(
                "checkpoint: expected the JSON printed by `spectra registry checkpoint`, found: {e}"
            ))
        })?;
        if cp.format != CHECKPOINT_FORMAT {
            return Err(RegistryError::Invalid(format!(
                "checkpoint: expected format {CHECKPOINT_FORMAT:?}, found {:?}",
                cp.format
            )));
        }
        Ok(cp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_separate_chains_and_links_depend_on_prev() {
        let mut c = Canonical::default();
        c.u64(1).str("x");
        assert_ne!(
            link(Chain::History, &GENESIS, &c),
            link(Chain::Audit, &GENESIS, &c)
        );
        let mut tip = ChainTip::default();
        let h1 = tip.advance(Chain::Audit, &c);
        let h2 = tip.advance(Chain::Audit, &c);
        assert_ne!(h1, h2);
        assert_eq!(tip.seq, 2);
    }

    #[test]
    fn hex_round_trip() {
        let h = link(Chain::Contests, &GENESIS, &Canonical::default());
        assert_eq!(parse_hex32(&hex32(&h)), Some(h));
        assert_eq!(parse_hex32("zz"), None);
        assert_eq!(parse_hex32(&"g".repeat(64)), None);
    }
}
