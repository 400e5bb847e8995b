//! The append-only status history of devices, one hash chain
//! ([`crate::chain`]): changing, removing or reordering any stored entry
//! breaks every later hash, which [`crate::verify`] detects.

use std::sync::Arc;

use arrow::array::{
    Array, BinaryArray, RecordBatch, StringArray, TimestampMicrosecondArray, UInt16Array,
    UInt64Array,
};
use duckdb::Connection;

use crate::chain::{Canonical, Chain, ChainTip};
use crate::error::RegistryError;
use imei_core::verdict::{DeviceStatus, ReasonMask};

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

/// The canonical bytes of an entry, hashed into the chain.
pub(crate) fn canonical(e: &HistoryEntry, out: &mut Canonical) {
    out.clear()
        .u64(e.seq)
        .u64(e.key)
        .opt_str(e.old_status.map(DeviceStatus::name))
        .str(e.new_status.name())
        .u64(u64::from(e.reason_mask))
        .i64(e.at_us)
        .str(&e.actor)
        .str(&e.source);
}

/// Makes the next entry of the history chain and advances `tip`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn next_entry(
    tip: &mut ChainTip,
    key: u64,
    old_status: Option<DeviceStatus>,
    new_status: DeviceStatus,
    reasons: ReasonMask,
    at_us: i64,
    actor: &str,
    source: &str,
) -> HistoryEntry {
    let mut e = HistoryEntry {
        seq: tip.seq + 1,
        key,
        old_status,
        new_status,
        reason_mask: reasons.0,
        at_us,
        actor: actor.to_string(),
        source: source.to_string(),
        hash: [0; 32],
    };
    let mut buf = Canonical::default();
    canonical(&e, &mut buf);
    e.hash = tip.advance(Chain::History, &buf);
    e
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
        let bad = |d: String| RegistryError::Tampered {
            chain: Chain::History.name().to_string(),
            seq,
            detail: d,
        };
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
