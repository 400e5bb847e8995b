//! The append-only status history and its SHA-256 hash chain (FIPS 180-4):
//! entry *n* stores `hash_n = SHA-256(hash_{n-1} ‖ canonical(entry_n))`, with
//! `hash_0` = 32 zero bytes. Changing, removing or reordering any stored entry
//! breaks every later hash, which [`verify`] detects.

use std::sync::Arc;

use arrow::array::{
    Array, BinaryArray, RecordBatch, StringArray, TimestampMicrosecondArray, UInt16Array,
    UInt64Array,
};
use duckdb::Connection;
use sha2::{Digest, Sha256};

use crate::error::RegistryError;
use crate::verdict::{DeviceStatus, ReasonMask};

/// One status change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    /// Sequence number (1, 2, …).
    pub seq: u64,
    /// Registry key.
    pub key: u64,
    /// Status before (None: not registered).
    pub old_status: Option<DeviceStatus>,
    /// Status after.
    pub new_status: DeviceStatus,
    /// Reasons after.
    pub reason_mask: u16,
    /// When, in microseconds since 1970-01-01 UTC.
    pub at_us: i64,
    /// Who.
    pub actor: String,
    /// Source of the change (import file, operator, court…).
    pub source: String,
    /// Chain hash of this entry.
    #[serde(skip)]
    pub hash: [u8; 32],
}

/// The tip of the chain.
#[derive(Debug, Clone, Default)]
pub struct ChainState {
    /// Sequence number of the next entry.
    pub next_seq: u64,
    /// Hash of the last entry (zeros when empty).
    pub last_hash: [u8; 32],
}

fn canonical(e: &HistoryEntry, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(&e.seq.to_le_bytes());
    out.extend_from_slice(&e.key.to_le_bytes());
    out.push(e.old_status.map_or(0, |s| s as u8));
    out.push(e.new_status as u8);
    out.extend_from_slice(&e.reason_mask.to_le_bytes());
    out.extend_from_slice(&e.at_us.to_le_bytes());
    out.extend_from_slice(e.actor.as_bytes());
    out.push(0);
    out.extend_from_slice(e.source.as_bytes());
    out.push(0);
}

fn chain_hash(prev: &[u8; 32], e: &HistoryEntry, buf: &mut Vec<u8>) -> [u8; 32] {
    canonical(e, buf);
    let mut h = Sha256::new();
    h.update(prev);
    h.update(buf.as_slice());
    let out = h.finalize();
    let mut a = [0u8; 32];
    a.copy_from_slice(&out);
    a
}

impl ChainState {
    /// Reads the tip from the store.
    pub fn load(conn: &Connection) -> Result<ChainState, RegistryError> {
        let ctx = "reading the history chain tip";
        let mut st = conn
            .prepare("SELECT seq, hash FROM status_history ORDER BY seq DESC LIMIT 1")
            .map_err(RegistryError::db(ctx))?;
        let mut rows = st.query([]).map_err(RegistryError::db(ctx))?;
        match rows.next().map_err(RegistryError::db(ctx))? {
            None => Ok(ChainState {
                next_seq: 1,
                last_hash: [0; 32],
            }),
            Some(r) => {
                let seq: u64 = r.get(0).map_err(RegistryError::db(ctx))?;
                let hash: Vec<u8> = r.get(1).map_err(RegistryError::db(ctx))?;
                let last_hash = hash
                    .try_into()
                    .map_err(|_| RegistryError::HistoryTampered {
                        seq,
                        detail: "hash is not 32 bytes".into(),
                    })?;
                Ok(ChainState {
                    next_seq: seq + 1,
                    last_hash,
                })
            }
        }
    }

    /// Makes the next entry and advances the tip.
    #[allow(clippy::too_many_arguments)]
    pub fn next(
        &mut self,
        key: u64,
        old_status: Option<DeviceStatus>,
        new_status: DeviceStatus,
        reasons: ReasonMask,
        at_us: i64,
        actor: &str,
        source: &str,
    ) -> HistoryEntry {
        let mut e = HistoryEntry {
            seq: self.next_seq,
            key,
            old_status,
            new_status,
            reason_mask: reasons.0,
            at_us,
            actor: actor.to_string(),
            source: source.to_string(),
            hash: [0; 32],
        };
        let mut buf = Vec::with_capacity(96);
        e.hash = chain_hash(&self.last_hash, &e, &mut buf);
        self.last_hash = e.hash;
        self.next_seq += 1;
        e
    }
}

/// Appends entries through DuckDB's Arrow appender.
pub fn append(conn: &Connection, entries: &[HistoryEntry]) -> Result<(), RegistryError> {
    if entries.is_empty() {
        return Ok(());
    }
    let seq = UInt64Array::from_iter_values(entries.iter().map(|e| e.seq));
    let key = UInt64Array::from_iter_values(entries.iter().map(|e| e.key));
    let old: StringArray = entries
        .iter()
        .map(|e| e.old_status.map(DeviceStatus::name))
        .collect();
    let new = StringArray::from_iter_values(entries.iter().map(|e| e.new_status.name()));
    let mask = UInt16Array::from_iter_values(entries.iter().map(|e| e.reason_mask));
    let at = TimestampMicrosecondArray::from_iter_values(entries.iter().map(|e| e.at_us));
    let actor = StringArray::from_iter_values(entries.iter().map(|e| e.actor.as_str()));
    let source = StringArray::from_iter_values(entries.iter().map(|e| e.source.as_str()));
    let hash = BinaryArray::from_iter_values(entries.iter().map(|e| e.hash));
    let batch = RecordBatch::try_from_iter(vec![
        ("seq", Arc::new(seq) as Arc<dyn Array>),
        ("imei_key", Arc::new(key)),
        ("old_status", Arc::new(old)),
        ("new_status", Arc::new(new)),
        ("reason_mask", Arc::new(mask)),
        ("changed_at", Arc::new(at)),
        ("actor", Arc::new(actor)),
        ("source", Arc::new(source)),
        ("hash", Arc::new(hash)),
    ])
    .map_err(RegistryError::arrow("building the history batch"))?;
    let ctx = "appending to the status history";
    let mut app = conn
        .appender("status_history")
        .map_err(RegistryError::db(ctx))?;
    app.append_record_batch(batch)
        .map_err(RegistryError::db(ctx))?;
    app.flush().map_err(RegistryError::db(ctx))?;
    Ok(())
}

/// Reads entries (of one key, or all), in sequence order.
pub fn read(conn: &Connection, key: Option<u64>) -> Result<Vec<HistoryEntry>, RegistryError> {
    let ctx = "reading the status history";
    let cols = "SELECT seq, imei_key, old_status, new_status, reason_mask, epoch_us(changed_at), actor, source, hash \
                FROM status_history";
    let sql = match key {
        Some(k) => format!("{cols} WHERE imei_key = {k} ORDER BY seq"),
        None => format!("{cols} ORDER BY seq"),
    };
    let mut st = conn.prepare(&sql).map_err(RegistryError::db(ctx))?;
    let rows = st
        .query_map([], |r| {
            let old: Option<String> = r.get(2)?;
            let new: String = r.get(3)?;
            let hash: Vec<u8> = r.get(8)?;
            Ok((
                r.get::<_, u64>(0)?,
                r.get::<_, u64>(1)?,
                old,
                new,
                r.get::<_, u16>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                hash,
            ))
        })
        .map_err(RegistryError::db(ctx))?;
    let mut out = Vec::new();
    for r in rows {
        let (seq, key, old, new, reason_mask, at_us, actor, source, hash) =
            r.map_err(RegistryError::db(ctx))?;
        let bad = |d: String| RegistryError::HistoryTampered { seq, detail: d };
        let new_status =
            DeviceStatus::parse(&new).ok_or_else(|| bad(format!("new status {new:?}")))?;
        let old_status = match old {
            Some(o) => {
                Some(DeviceStatus::parse(&o).ok_or_else(|| bad(format!("old status {o:?}")))?)
            }
            None => None,
        };
        let hash: [u8; 32] = hash
            .try_into()
            .map_err(|_| bad("hash is not 32 bytes".into()))?;
        out.push(HistoryEntry {
            seq,
            key,
            old_status,
            new_status,
            reason_mask,
            at_us,
            actor,
            source,
            hash,
        });
    }
    Ok(out)
}

/// Recomputes the chain over the whole history; returns the entry count or
/// the first entry whose hash or sequence does not match.
pub fn verify(conn: &Connection) -> Result<u64, RegistryError> {
    let entries = read(conn, None)?;
    let mut prev = [0u8; 32];
    let mut buf = Vec::with_capacity(96);
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        if e.seq != expected_seq {
            return Err(RegistryError::HistoryTampered {
                seq: e.seq,
                detail: format!("expected sequence number {expected_seq}, found {}", e.seq),
            });
        }
        let h = chain_hash(&prev, e, &mut buf);
        if h != e.hash {
            return Err(RegistryError::HistoryTampered {
                seq: e.seq,
                detail: "stored hash does not match the entry and its predecessor".into(),
            });
        }
        prev = h;
    }
    Ok(entries.len() as u64)
}
