//! Verification of a registry's tamper evidence, streaming with bounded
//! memory:
//!
//! 1. every chain ([`crate::chain`]) is recomputed from its first entry:
//!    sequence numbers 1, 2, … without gaps, each stored hash equal to the
//!    link of the entry's content and its predecessor, and the stored tip
//!    (`chain_tips`) equal to the recomputed one;
//! 2. against a [`Checkpoint`] taken earlier, every chain still extends it:
//!    at least as many entries, and the same hash at the checkpoint's
//!    sequence number (a deleted tail or a chain recomputed from scratch is
//!    caught here);
//! 3. the current state equals what the chains say: every device's status
//!    and reasons equal its last history entry, every history entry's old
//!    status equals the previous entry's new status, and every contest equals
//!    its filing and decision events (a direct `UPDATE devices` is caught).
//!
//! The first broken link is reported as [`RegistryError::Tampered`].

use std::collections::{BTreeMap, HashMap};

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Int64Type, UInt16Type, UInt64Type};
use chrono::Utc;
use serde::Serialize;

use crate::chain::{
    CHECKPOINT_FORMAT, Canonical, Chain, ChainTip, Checkpoint, CheckpointTip, hex32, load_tip,
};
use crate::error::RegistryError;
use crate::store::{Registry, SCHEMA_VERSION};
use imei_core::verdict::{DeviceStatus, ReasonMask};

/// DuckDB's memory limit while verifying.
const VERIFY_MEMORY: &str = "1GB";

/// What a successful verification covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Entries verified per chain.
    pub chains: BTreeMap<String, u64>,
    /// Devices checked against their last history entry.
    pub devices: u64,
    /// Contests checked against their events.
    pub contests: u64,
    /// Classification runs whose decisions match their audited digest.
    pub classification_runs: u64,
    /// Whether a checkpoint was given and is extended by every chain.
    pub checkpoint_extended: bool,
}

/// Checks the last history entry of device `last` against the devices
/// (sorted by key) not yet merged.
fn finish_device(
    last: Option<(u64, DeviceStatus, u16)>,
    devices: &mut std::iter::Peekable<impl Iterator<Item = (u64, DeviceStatus, ReasonMask)>>,
) -> Result<(), RegistryError> {
    let Some((key, status, mask)) = last else {
        return Ok(());
    };
    check_devices_before(devices, key)?;
    match devices.next_if(|d| d.0 == key) {
        Some((_, s, m)) if s == status && m.0 == mask => Ok(()),
        Some((_, s, m)) => Err(tampered(
            "devices",
            key,
            format!(
                "device {key:014} is {} (reasons {}) but its last history entry says {} (reasons {}): \
                 the devices table was changed outside the registry",
                s.name(),
                m.0,
                status.name(),
                mask
            ),
        )),
        None => Err(tampered(
            "devices",
            key,
            format!(
                "device {key:014} has history (last: {}) but no row: it was deleted outside the registry",
                status.name()
            ),
        )),
    }
}

/// Devices of the index with a key below `key` have no history at all.
fn check_devices_before(
    devices: &mut std::iter::Peekable<impl Iterator<Item = (u64, DeviceStatus, ReasonMask)>>,
    key: u64,
) -> Result<(), RegistryError> {
    if let Some((k, s, _)) = devices.next_if(|d| d.0 < key) {
        return Err(tampered(
            "devices",
            k,
            format!(
                "device {k:014} is {} but has no history entry: it was added outside the registry",
                s.name()
            ),
        ));
    }
    Ok(())
}

fn tampered(chain: &str, seq: u64, detail: impl Into<String>) -> RegistryError {
    RegistryError::Tampered {
        chain: chain.to_string(),
        seq,
        detail: detail.into(),
    }
}

/// The SQL that streams a chain's entries in sequence order, with the
/// columns its canonical encoding needs, the hash last.
fn chain_sql(chain: Chain) -> &'static str {
    match chain {
        Chain::History => {
            "SELECT seq, imei_key, old_status, new_status, reason_mask, epoch_us(changed_at), actor, source, hash \
             FROM status_history ORDER BY seq"
        }
        Chain::Audit => {
            "SELECT seq, epoch_us(logged_at), actor, action, detail, hash FROM audit_log ORDER BY seq"
        }
        Chain::Contests => {
            "SELECT seq, contest_id, kind, epoch_us(event_at), actor, detail, hash FROM contest_events ORDER BY seq"
        }
    }
}

/// Typed access to the columns of one streamed batch.
struct Columns {
    cols: Vec<arrow::array::ArrayRef>,
}

impl Columns {
    /// The columns of a chain's batch ([`chain_sql`]).
    fn of_chain(batch: &RecordBatch, chain: Chain) -> Result<Columns, RegistryError> {
        let want: &[DataType] = match chain {
            Chain::History => &[
                DataType::UInt64,
                DataType::UInt64,
                DataType::Utf8,
                DataType::Utf8,
                DataType::UInt16,
                DataType::Int64,
                DataType::Utf8,
                DataType::Utf8,
                DataType::Binary,
            ],
            Chain::Audit => &[
                DataType::UInt64,
                DataType::Int64,
                DataType::Utf8,
                DataType::Utf8,
                DataType::Utf8,
                DataType::Binary,
            ],
            Chain::Contests => &[
                DataType::UInt64,
                DataType::UInt64,
                DataType::Utf8,
                DataType::Int64,
                DataType::Utf8,
                DataType::Utf8,
                DataType::Binary,
            ],
        };
        Columns::cast(batch, want, &format!("verifying {}", chain.name()))
    }

    /// The first `want.len()` columns of `batch`, cast to `want`.
    fn cast(batch: &RecordBatch, want: &[DataType], ctx: &str) -> Result<Columns, RegistryError> {
        let mut cols = Vec::with_capacity(want.len());
        for (i, t) in want.iter().enumerate() {
            let c = batch
                .columns()
                .get(i)
                .ok_or_else(|| RegistryError::Invalid(format!("{ctx}: missing column {i}")))?;
            cols.push(cast(c, t).map_err(RegistryError::arrow(ctx))?);
        }
        Ok(Columns { cols })
    }

    fn u64(&self, c: usize, r: usize) -> Option<u64> {
        let a = self.cols.get(c)?.as_primitive_opt::<UInt64Type>()?;
        a.is_valid(r).then(|| a.value(r))
    }

    fn u16(&self, c: usize, r: usize) -> Option<u16> {
        let a = self.cols.get(c)?.as_primitive_opt::<UInt16Type>()?;
        a.is_valid(r).then(|| a.value(r))
    }

    fn i64(&self, c: usize, r: usize) -> Option<i64> {
        let a = self.cols.get(c)?.as_primitive_opt::<Int64Type>()?;
        a.is_valid(r).then(|| a.value(r))
    }

    fn str(&self, c: usize, r: usize) -> Option<&str> {
        let a = self.cols.get(c)?.as_string_opt::<i32>()?;
        a.is_valid(r).then(|| a.value(r))
    }

    fn bin(&self, c: usize, r: usize) -> Option<&[u8]> {
        let a = self.cols.get(c)?.as_binary_opt::<i32>()?;
        a.is_valid(r).then(|| a.value(r))
    }
}

/// Encodes row `r` of a chain batch; returns its sequence number and stored hash.
fn encode_row<'a>(
    chain: Chain,
    c: &'a Columns,
    r: usize,
    out: &mut Canonical,
) -> Option<(u64, &'a [u8])> {
    let seq = c.u64(0, r)?;
    out.clear().u64(seq);
    let hash = match chain {
        Chain::History => {
            out.u64(c.u64(1, r)?)
                .opt_str(c.str(2, r))
                .str(c.str(3, r)?)
                .u64(u64::from(c.u16(4, r)?))
                .i64(c.i64(5, r)?)
                .str(c.str(6, r)?)
                .str(c.str(7, r)?);
            c.bin(8, r)?
        }
        Chain::Audit => {
            out.i64(c.i64(1, r)?)
                .str(c.str(2, r)?)
                .str(c.str(3, r)?)
                .str(c.str(4, r)?);
            c.bin(5, r)?
        }
        Chain::Contests => {
            out.u64(c.u64(1, r)?)
                .str(c.str(2, r)?)
                .i64(c.i64(3, r)?)
                .str(c.str(4, r)?)
                .str(c.str(5, r)?);
            c.bin(6, r)?
        }
    };
    Some((seq, hash))
}

impl Registry {
    /// Recomputes one chain from its first entry; returns its tip and, when
    /// `at_seq` is given, the recomputed hash of that entry.
    fn verify_chain(
        &self,
        chain: Chain,
        at_seq: Option<u64>,
    ) -> Result<(ChainTip, Option<[u8; 32]>), RegistryError> {
        let name = chain.name();
        let ctx = format!("verifying {name}");
        let mut st = self
            .conn
            .prepare(chain_sql(chain))
            .map_err(RegistryError::db(ctx.clone()))?;
        let stream = st
            .stream_arrow([])
            .map_err(RegistryError::db(ctx.clone()))?;
        let mut tip = ChainTip::default();
        let mut at_hash = None;
        let mut buf = Canonical::default();
        for batch in stream {
            let batch = batch.map_err(RegistryError::db(ctx.clone()))?;
            let cols = Columns::of_chain(&batch, chain)?;
            for r in 0..batch.num_rows() {
                let expected_seq = tip.seq + 1;
                let (seq, stored) = encode_row(chain, &cols, r, &mut buf).ok_or_else(|| {
                    tampered(name, expected_seq, "an entry has a missing (NULL) field")
                })?;
                if seq != expected_seq {
                    return Err(tampered(
                        name,
                        expected_seq,
                        format!(
                            "expected entry {expected_seq} next, found entry {seq}: entries were removed"
                        ),
                    ));
                }
                let h = tip.advance(chain, &buf);
                if stored != h.as_slice() {
                    return Err(tampered(
                        name,
                        seq,
                        "the stored hash does not match the entry's content and its predecessor: \
                         the entry (or one before it) was altered",
                    ));
                }
                if at_seq == Some(seq) {
                    at_hash = Some(h);
                }
            }
        }
        let stored_tip = load_tip(&self.conn, chain)?;
        if stored_tip != tip {
            return Err(tampered(
                name,
                tip.seq + 1,
                format!(
                    "the chain has {} entries but the stored tip records {} (hash {}): the last entries \
                     were deleted or the tip was altered",
                    tip.seq,
                    stored_tip.seq,
                    hex32(&stored_tip.hash)
                ),
            ));
        }
        Ok((tip, at_hash))
    }

    /// Verifies every chain, the current state against the chains and, when
    /// given, that every chain extends `checkpoint`. Memory stays bounded:
    /// entries are streamed.
    pub fn verify(&self, checkpoint: Option<&Checkpoint>) -> Result<VerifyReport, RegistryError> {
        // Bound DuckDB's memory for the sorts (it spills to disk beyond).
        self.conn
            .execute_batch(&format!("SET memory_limit = '{VERIFY_MEMORY}'"))
            .map_err(RegistryError::db("limiting memory for verification"))?;
        let result = self.verify_all(checkpoint);
        let _ = self.conn.execute_batch("RESET memory_limit");
        result
    }

    fn verify_all(&self, checkpoint: Option<&Checkpoint>) -> Result<VerifyReport, RegistryError> {
        let mut report = VerifyReport {
            chains: BTreeMap::new(),
            devices: 0,
            contests: 0,
            classification_runs: 0,
            checkpoint_extended: false,
        };
        for chain in Chain::ALL {
            let anchor = match checkpoint {
                Some(cp) => cp.tip(chain)?,
                None => None,
            };
            let (tip, at_hash) = self.verify_chain(chain, anchor.map(|a| a.seq))?;
            if let Some(a) = anchor {
                if a.seq > tip.seq {
                    return Err(tampered(
                        chain.name(),
                        tip.seq + 1,
                        format!(
                            "the checkpoint records {} entries but the chain has only {}: entries after {} \
                             were deleted",
                            a.seq, tip.seq, tip.seq
                        ),
                    ));
                }
                let same = if a.seq == 0 {
                    a.hash == crate::chain::GENESIS
                } else {
                    at_hash == Some(a.hash)
                };
                if !same {
                    return Err(tampered(
                        chain.name(),
                        a.seq,
                        "the chain no longer extends the checkpoint: its entry at the checkpoint has \
                         another hash (the chain was altered and recomputed)",
                    ));
                }
            }
            report.chains.insert(chain.name().to_string(), tip.seq);
        }
        if let Some(cp) = checkpoint {
            for name in cp.chains.keys() {
                if Chain::parse(name).is_none() {
                    return Err(RegistryError::Invalid(format!(
                        "checkpoint: unknown chain {name:?}; expected status_history, audit_log or contest_events"
                    )));
                }
            }
            report.checkpoint_extended = true;
        }
        report.devices = self.verify_devices()?;
        report.contests = self.verify_contests()?;
        report.classification_runs = self.verify_decisions()?;
        Ok(report)
    }

    /// Verifies everything, then returns the tips of every chain.
    pub fn checkpoint(&self) -> Result<Checkpoint, RegistryError> {
        let report = self.verify(None)?;
        let mut chains = BTreeMap::new();
        for chain in Chain::ALL {
            let tip = load_tip(&self.conn, chain)?;
            debug_assert_eq!(report.chains.get(chain.name()), Some(&tip.seq));
            chains.insert(
                chain.name().to_string(),
                CheckpointTip {
                    seq: tip.seq,
                    hash: hex32(&tip.hash),
                },
            );
        }
        Ok(Checkpoint {
            format: CHECKPOINT_FORMAT.to_string(),
            schema_version: SCHEMA_VERSION.to_string(),
            taken_at: Utc::now().to_rfc3339(),
            chains,
        })
    }

    /// Every device's status and reasons equal its last history entry, and
    /// each history entry continues the one before it for its device. The
    /// history is streamed in (device, sequence) order and merged with the
    /// lookup index, which holds the `devices` table sorted by key.
    fn verify_devices(&self) -> Result<u64, RegistryError> {
        let ctx = "verifying devices against the history";
        let history = Chain::History.name();
        let mut st = self
            .conn
            .prepare(
                "SELECT imei_key, seq, old_status, new_status, CAST(reason_mask AS UBIGINT) \
                 FROM status_history ORDER BY imei_key, seq",
            )
            .map_err(RegistryError::db(ctx))?;
        let stream = st.stream_arrow([]).map_err(RegistryError::db(ctx))?;
        let mut devices = self.index.iter().peekable();
        let mut checked = 0u64;
        // The device being read: key, last new status and reasons.
        let mut current: Option<(u64, DeviceStatus, u16)> = None;
        for batch in stream {
            let batch = batch.map_err(RegistryError::db(ctx))?;
            let want = [
                DataType::UInt64,
                DataType::UInt64,
                DataType::Utf8,
                DataType::Utf8,
                DataType::UInt64,
            ];
            let c = Columns::cast(&batch, &want, ctx)?;
            for r in 0..batch.num_rows() {
                let (Some(key), Some(seq), Some(new), Some(mask)) =
                    (c.u64(0, r), c.u64(1, r), c.str(3, r), c.u64(4, r))
                else {
                    return Err(tampered(history, 0, "an entry has a missing (NULL) field"));
                };
                let old = c.str(2, r);
                let bad_status = || tampered(history, seq, format!("unknown status {new:?}"));
                let status = DeviceStatus::parse(new).ok_or_else(bad_status)?;
                let mask = u16::try_from(mask).map_err(|_| {
                    tampered(history, seq, format!("reason mask {mask} out of range"))
                })?;
                let prev = match current {
                    Some((k, s, _)) if k == key => Some(s),
                    _ => {
                        finish_device(current.take(), &mut devices)?;
                        checked += 1;
                        None
                    }
                };
                if old != prev.map(DeviceStatus::name) {
                    return Err(tampered(
                        history,
                        seq,
                        format!(
                            "the entry's old status for device {key:014} is {}, but its previous entry left it {}",
                            old.unwrap_or("unregistered"),
                            prev.map_or("unregistered", DeviceStatus::name)
                        ),
                    ));
                }
                current = Some((key, status, mask));
            }
        }
        finish_device(current.take(), &mut devices)?;
        check_devices_before(&mut devices, u64::MAX)?;
        debug_assert!(checked <= self.index.len() as u64);
        Ok(self.index.len() as u64)
    }

    /// Every contest equals its events: one filing with the same fields, and
    /// a decision event exactly when it is decided, with the same fields.
    fn verify_contests(&self) -> Result<u64, RegistryError> {
        let ctx = "verifying contests against their events";
        let mut events: HashMap<u64, Vec<crate::contest::ContestEvent>> = HashMap::new();
        for e in crate::contest::read_events(&self.conn)? {
            events.entry(e.contest_id).or_default().push(e);
        }
        let rows = crate::contest::read_rows(&self.conn).map_err(RegistryError::db(ctx))?;
        let n = rows.len() as u64;
        for (c, key, filed_us, decided_us) in rows {
            let evs = events.remove(&c.id).unwrap_or_default();
            let expected = crate::contest::expected_events(&c, key, filed_us, decided_us);
            if evs != expected {
                return Err(tampered(
                    "contests",
                    c.id,
                    format!(
                        "contest {} differs from its recorded events (state {}, {} events): the contests \
                         table was changed outside the registry",
                        c.id,
                        c.state.name(),
                        evs.len()
                    ),
                ));
            }
        }
        if let Some((id, _)) = events.iter().min_by_key(|(id, _)| **id) {
            return Err(tampered(
                "contests",
                *id,
                format!("contest {id} has events but no row: it was deleted"),
            ));
        }
        Ok(n)
    }
}
