//! The EIR snapshot: one immutable file holding everything the online
//! equipment check needs — the registry's statuses and reasons (the lookup
//! index), the TAC database, the open blocking findings of the
//! classification with their block dates, and the pairing list (IMEI and
//! the IMSI's network-monitoring pseudonym) — written by `spectra registry
//! publish` after a change and read by `spectra serve`, so the service
//! answers from memory and never holds the DuckDB store's lock (issue 15).
//!
//! Layout (little-endian): the 16-byte magic `SPECTRA-EIR-SNP1`; the length
//! (u64) and bytes of a JSON document (metadata, TACs, findings, pairs);
//! the device count (u64) and, per device, its key (u64) and packed
//! status/reason word (u16); then the SHA-256 of everything before it. A
//! file that is truncated, altered or of another format is refused with
//! what was expected and what was found.
//!
//! ```
//! use chrono::NaiveDate;
//! use imei_core::snapshot::{Snapshot, SnapshotMeta};
//! use imei_core::index::RegistryIndex;
//! use imei_core::verdict::{DeviceStatus, ReasonMask, pack};
//! let index = RegistryIndex::from_pairs(vec![(35693803564380, pack(DeviceStatus::Black, ReasonMask(0)))]);
//! let snap = Snapshot::new(SnapshotMeta::default(), index, Default::default(), vec![], vec![]);
//! let mut bytes = Vec::new();
//! snap.encode(&mut bytes).unwrap();
//! let back = Snapshot::decode(&bytes, "s.snap").unwrap();
//! assert_eq!(back.index.len(), 1);
//! assert!(Snapshot::decode(&bytes[..bytes.len() - 1], "s.snap").is_err());
//! ```

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::ImeiError;
use crate::findings::OpenFinding;
use crate::index::RegistryIndex;
use crate::tac::{TacDb, TacRecord};

/// The magic bytes of format version 1.
pub const MAGIC: &[u8; 16] = b"SPECTRA-EIR-SNP1";

/// What a snapshot says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SnapshotMeta {
    /// When it was written (RFC 3339, UTC).
    pub created_at: String,
    /// The registry it was written from.
    pub source: String,
    /// The rule version of the last classification run
    /// (`conditions-sha256:…`, empty when none ran).
    pub rule_version: String,
    /// Fingerprint of the network-monitoring key the pairing list's IMSI
    /// pseudonyms were made with (empty when no key was recorded).
    pub network_key_fingerprint: String,
    /// The audit chain's tip when it was written (what it reflects).
    pub audit_tip: String,
}

/// The JSON part of the file.
#[derive(serde::Serialize, serde::Deserialize)]
struct Document {
    meta: SnapshotMeta,
    tacs: Vec<TacRecord>,
    findings: Vec<OpenFinding>,
    pairs: Vec<(u64, String)>,
}

/// A loaded snapshot (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Its metadata.
    pub meta: SnapshotMeta,
    /// Registry statuses and reasons by key.
    pub index: RegistryIndex,
    /// The TAC database.
    pub tacs: TacDb,
    /// Open blocking findings (golden IMEIs already left out).
    pub findings: Vec<OpenFinding>,
    pairs: HashSet<(u64, String)>,
}

fn truncated(file: &str, what: &str) -> ImeiError {
    ImeiError::Invalid(format!(
        "{file}: expected {what} in an EIR snapshot, found the end of the file (truncated?)"
    ))
}

impl Snapshot {
    /// A snapshot of these parts; `pairs` are (registry key, IMSI network
    /// pseudonym).
    pub fn new(
        meta: SnapshotMeta,
        index: RegistryIndex,
        tacs: TacDb,
        findings: Vec<OpenFinding>,
        pairs: Vec<(u64, String)>,
    ) -> Self {
        Self {
            meta,
            index,
            tacs,
            findings,
            pairs: pairs.into_iter().collect(),
        }
    }

    /// Whether (key, IMSI pseudonym) is on the pairing list.
    pub fn paired(&self, key: u64, imsi_pseudonym: &str) -> bool {
        self.pairs.contains(&(key, imsi_pseudonym.to_string()))
    }

    /// Pairs on the pairing list.
    pub fn pair_count(&self) -> usize {
        self.pairs.len()
    }

    /// Writes the file's bytes to `out`.
    pub fn encode(&self, out: &mut impl Write) -> Result<(), ImeiError> {
        let mut pairs: Vec<(u64, String)> = self.pairs.iter().cloned().collect();
        pairs.sort();
        let doc = Document {
            meta: self.meta.clone(),
            tacs: self.tacs.records().to_vec(),
            findings: self.findings.clone(),
            pairs,
        };
        let json = serde_json::to_vec(&doc)
            .map_err(|e| ImeiError::Invalid(format!("encoding the snapshot: {e}")))?;
        let mut body = Vec::with_capacity(json.len() + 16 + 10 * self.index.len() + 64);
        body.extend_from_slice(MAGIC);
        body.extend_from_slice(&(json.len() as u64).to_le_bytes());
        body.extend_from_slice(&json);
        body.extend_from_slice(&(self.index.len() as u64).to_le_bytes());
        for (key, packed) in self.index.packed_pairs() {
            body.extend_from_slice(&key.to_le_bytes());
            body.extend_from_slice(&packed.to_le_bytes());
        }
        let digest = Sha256::digest(&body);
        out.write_all(&body)
            .and_then(|()| out.write_all(&digest))
            .map_err(|e| ImeiError::Invalid(format!("writing the snapshot: {e}")))
    }

    /// Reads a snapshot from its bytes (`file`: its name, for errors).
    pub fn decode(bytes: &[u8], file: &str) -> Result<Snapshot, ImeiError> {
        if bytes.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
            let found: String = bytes
                .iter()
                .take(16)
                .map(|&b| if b.is_ascii_graphic() { b as char } else { '.' })
                .collect();
            return Err(ImeiError::Invalid(format!(
                "{file}: expected an EIR snapshot starting with {:?}, found {found:?} (write one with \
                 `spectra registry publish`)",
                String::from_utf8_lossy(MAGIC)
            )));
        }
        let Some(split) = bytes.len().checked_sub(32).filter(|&n| n >= MAGIC.len()) else {
            return Err(truncated(file, "a SHA-256 trailer"));
        };
        let (body, digest) = bytes.split_at(split);
        if Sha256::digest(body).as_slice() != digest {
            return Err(ImeiError::Invalid(format!(
                "{file}: the EIR snapshot's SHA-256 does not match its content (altered or truncated); \
                 publish it again"
            )));
        }
        let mut at = MAGIC.len();
        let mut u64_at = |what: &str| -> Result<u64, ImeiError> {
            let v = body
                .get(at..at + 8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_le_bytes)
                .ok_or_else(|| truncated(file, what))?;
            at += 8;
            Ok(v)
        };
        let json_len = usize::try_from(u64_at("the document length")?)
            .map_err(|_| truncated(file, "a document length"))?;
        let json_start = MAGIC.len() + 8;
        let json = body
            .get(json_start..json_start.saturating_add(json_len))
            .ok_or_else(|| truncated(file, "the JSON document"))?;
        let doc: Document = serde_json::from_slice(json).map_err(|e| {
            ImeiError::Invalid(format!("{file}: the snapshot's document is not valid: {e}"))
        })?;
        let mut at = json_start + json_len;
        let count = body
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| truncated(file, "the device count"))?;
        at += 8;
        let rest = body.get(at..).unwrap_or_default();
        if (rest.len() as u64) != count.saturating_mul(10) {
            return Err(ImeiError::Invalid(format!(
                "{file}: expected {count} devices of 10 bytes, found {} bytes",
                rest.len()
            )));
        }
        let mut pairs = Vec::with_capacity(rest.len() / 10);
        for rec in rest.chunks_exact(10) {
            let (k, p) = rec.split_at(8);
            let key = <[u8; 8]>::try_from(k).map(u64::from_le_bytes);
            let packed = <[u8; 2]>::try_from(p).map(u16::from_le_bytes);
            if let (Ok(key), Ok(packed)) = (key, packed) {
                if crate::verdict::unpack(packed).is_none() {
                    return Err(ImeiError::Invalid(format!(
                        "{file}: device {key}: expected a status code, found word {packed:#06x}"
                    )));
                }
                pairs.push((key, packed));
            }
        }
        Ok(Snapshot {
            meta: doc.meta,
            index: RegistryIndex::from_pairs(pairs),
            tacs: TacDb::from_records(doc.tacs),
            findings: doc.findings,
            pairs: doc.pairs.into_iter().collect(),
        })
    }

    /// Reads a snapshot file.
    pub fn read_path(path: &Path) -> Result<Snapshot, ImeiError> {
        let bytes = std::fs::read(path).map_err(|e| ImeiError::io(path, e))?;
        Self::decode(&bytes, &path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::NaiveDate;

    use super::*;
    use crate::verdict::{DeviceStatus, ReasonMask, pack};

    fn sample() -> Snapshot {
        let index = RegistryIndex::from_pairs(vec![
            (35693803564380, pack(DeviceStatus::Black, ReasonMask(1))),
            (49015420323751, pack(DeviceStatus::White, ReasonMask(0))),
        ]);
        let tacs = TacDb::from_records([TacRecord {
            tac: 35693803,
            manufacturer: "Acme".into(),
            model: "One".into(),
            source: "gsma".into(),
            extra: Default::default(),
        }]);
        let findings = vec![OpenFinding {
            key: 49015420323751,
            block_date: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            reasons: "The IMEI is used with many different SIM cards".into(),
            run_id: 2,
        }];
        let meta = SnapshotMeta {
            created_at: "2026-12-01T00:00:00Z".into(),
            source: "r.duckdb".into(),
            rule_version: "conditions-sha256:ab".into(),
            network_key_fingerprint: "f".into(),
            audit_tip: "t".into(),
        };
        Snapshot::new(
            meta,
            index,
            tacs,
            findings,
            vec![(49015420323751, "n1:aa".into())],
        )
    }

    #[test]
    fn round_trips_every_part() {
        let s = sample();
        let mut bytes = Vec::new();
        s.encode(&mut bytes).unwrap();
        let back = Snapshot::decode(&bytes, "s").unwrap();
        assert_eq!(back.meta, s.meta);
        assert_eq!(
            back.index.iter().collect::<Vec<_>>(),
            s.index.iter().collect::<Vec<_>>()
        );
        assert_eq!(back.tacs.get(35693803).unwrap().model, "One");
        assert_eq!(back.findings, s.findings);
        assert!(back.paired(49015420323751, "n1:aa"));
        assert!(!back.paired(49015420323751, "n1:ab"));
        // The same content gives the same bytes.
        let mut again = Vec::new();
        back.encode(&mut again).unwrap();
        assert_eq!(again, bytes);
    }

    #[test]
    fn damage_is_refused_with_what_was_found() {
        let mut bytes = Vec::new();
        sample().encode(&mut bytes).unwrap();
        let e = Snapshot::decode(b"date,imei\n2026", "x.csv").unwrap_err();
        assert!(e.to_string().contains("expected an EIR snapshot"), "{e}");
        for cut in [17, 40, bytes.len() - 33, bytes.len() - 1] {
            assert!(Snapshot::decode(&bytes[..cut], "s").is_err(), "cut {cut}");
        }
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 1;
        let e = Snapshot::decode(&flipped, "s").unwrap_err();
        assert!(e.to_string().contains("SHA-256"), "{e}");
    }
}
