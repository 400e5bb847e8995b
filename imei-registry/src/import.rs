//! Batch import of device lists (CSV with header, or Parquet) into the
//! registry, in one DuckDB transaction: rows are validated, owners
//! pseudonymised, each batch staged through DuckDB's Arrow appender and merged
//! with `INSERT … ON CONFLICT DO UPDATE`, and every status change chained into
//! the history. Any error (bad row, I/O, interruption) rolls everything back.
//!
//! Columns (by header name): `imei` (required), `status` (required:
//! white/grey/black), optional `reasons` (names separated by `;`), `source`,
//! `first_seen` (YYYY-MM-DD), `registered_at` (RFC 3339 or `YYYY-MM-DD
//! HH:MM:SS`), `import_declaration`, `owner_id` (pseudonymised with the
//! caller's key, never stored) or `owner_pseudonym`.
//!
//! Strict identifier input: in Parquet the `imei`, `owner_id` and
//! `owner_pseudonym` columns must be text — a numeric column (Int64, Float64,
//! …) has lost leading zeros and is refused before anything is written
//! ([`imei_core::ImeiError::ColumnType`]); CSV is always read as text and a
//! leading UTF-8 byte order mark is stripped. An `owner_pseudonym` must have
//! the pseudonym format (`p1:` + 64 lowercase hex digits,
//! [`imei_core::pseudonym::is_pseudonym`]): anything else — such as a
//! clear-text ID put in the wrong column — stops the import with its file and
//! line, and the store is left unchanged. The key's fingerprint is checked
//! against the registry's ([`Registry::check_pseudonym_key`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    Array, Date32Array, RecordBatch, StringArray, TimestampMicrosecondArray, UInt16Array,
    UInt32Array, UInt64Array,
};
use chrono::{NaiveDate, NaiveDateTime};

use crate::error::RegistryError;
use crate::store::{Registry, audit_on, now_us, packed};
use imei_core::identity::{classify, tac_of};
use imei_core::pseudonym::{PseudonymKey, describe_non_pseudonym, is_pseudonym};
use imei_core::reader::open_rows;
use imei_core::verdict::{DeviceStatus, ReasonMask};

/// Options of a device-list import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Rows per staged batch (memory bound).
    pub batch_rows: usize,
    /// Default source when the file has no `source` column.
    pub source: String,
    /// Key (chain) for pseudonymising `owner_id`; its fingerprint must match
    /// the registry's.
    pub key: Option<PseudonymKey>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            batch_rows: 100_000,
            source: "import".to_string(),
            key: None,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// Data rows read.
    pub rows: u64,
    /// Devices new to the registry.
    pub inserted: u64,
    /// Devices already present (updated).
    pub updated: u64,
    /// Rows repeating an earlier row of the same file exactly (skipped).
    /// `rows = inserted + updated + repeated`.
    pub repeated: u64,
    /// History entries written (new devices and status/reason changes).
    pub history_entries: u64,
}

#[derive(Hash)]
struct Device {
    key: u64,
    status: DeviceStatus,
    reasons: ReasonMask,
    source: String,
    first_seen: Option<i32>,
    registered_at: Option<i64>,
    import_declaration: Option<String>,
    owner: Option<String>,
}

const COLS: [&str; 9] = [
    "imei",
    "status",
    "reasons",
    "source",
    "first_seen",
    "registered_at",
    "import_declaration",
    "owner_id",
    "owner_pseudonym",
];

fn parse_row(
    file: &str,
    line: u64,
    f: &[Option<&str>],
    opts: &ImportOptions,
) -> Result<Device, RegistryError> {
    let get = |i: usize| {
        f.get(i)
            .copied()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let err = |field: &str, msg: String| RegistryError::input(file, line, field, msg);
    let imei = get(0).unwrap_or("");
    let p = classify(imei);
    let key = p.key.ok_or_else(|| {
        err(
            "imei",
            format!(
                "expected a well-formed IMEI, found {imei:?} ({})",
                p.class.description()
            ),
        )
    })?;
    let st = get(1).unwrap_or("");
    let status = DeviceStatus::parse(st).ok_or_else(|| {
        err(
            "status",
            format!("expected white, grey or black, found {st:?}"),
        )
    })?;
    let reasons = match get(2) {
        Some(r) => ReasonMask::parse(r)
            .map_err(|u| err("reasons", format!("unknown reason code {u:?}")))?,
        None => ReasonMask(0),
    };
    reasons.fits(status).map_err(|m| err("reasons", m))?;
    let first_seen = match get(4) {
        Some(d) => Some(
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| err("first_seen", format!("expected YYYY-MM-DD, found {d:?}")))?
                .signed_duration_since(NaiveDate::default())
                .num_days() as i32,
        ),
        None => None,
    };
    let registered_at = match get(5) {
        Some(t) => Some(parse_timestamp(t).ok_or_else(|| {
            err(
                "registered_at",
                format!("expected an ISO timestamp, found {t:?}"),
            )
        })?),
        None => None,
    };
    let owner = match (get(7), get(8)) {
        (Some(id), _) => Some(
            opts.key
                .as_ref()
                .ok_or_else(|| {
                    err(
                        "owner_id",
                        "an owner ID needs a pseudonym key (none was given)".into(),
                    )
                })?
                .pseudonymise(id),
        ),
        (None, Some(p)) if is_pseudonym(p) => Some(p.to_string()),
        (None, Some(p)) => {
            return Err(err(
                "owner_pseudonym",
                format!(
                    "expected a pseudonym `p1:` + 64 lowercase hex digits, found {}",
                    describe_non_pseudonym(p)
                ),
            ));
        }
        (None, None) => None,
    };
    Ok(Device {
        key,
        status,
        reasons,
        source: get(3).map_or_else(|| opts.source.clone(), str::to_string),
        first_seen,
        registered_at,
        import_declaration: get(6).map(str::to_string),
        owner,
    })
}

/// A fingerprint of every field of a parsed row (SipHash with fixed keys:
/// the same row always gives the same value).
fn row_fingerprint(d: &Device) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    d.hash(&mut h);
    h.finish()
}

/// The error for a device listed twice with different content.
fn conflict(
    file: &str,
    line: u64,
    first_line: u64,
    key: u64,
    first: u16,
    d: &Device,
) -> RegistryError {
    let first_text = imei_core::verdict::unpack(first).map_or_else(String::new, |(s, m)| {
        format!("{} [{}]", s.name(), m.names())
    });
    let what = if first == packed(d.status, d.reasons) {
        "the same status with other details".to_string()
    } else {
        format!("{} [{}]", d.status.name(), d.reasons.names())
    };
    RegistryError::input(
        file,
        line,
        "imei",
        format!(
            "device {key:014} is listed again: line {first_line} gives {first_text}, this line {what}; \
             a file lists each device once (an exact repeat is skipped), so nothing was imported"
        ),
    )
}

fn parse_timestamp(t: &str) -> Option<i64> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(d.timestamp_micros());
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some(d.and_utc().timestamp_micros());
        }
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_micros())
}

fn staging_batch(devs: &[Device]) -> Result<RecordBatch, RegistryError> {
    let cols: Vec<(&str, Arc<dyn Array>)> = vec![
        (
            "imei_key",
            Arc::new(UInt64Array::from_iter_values(devs.iter().map(|d| d.key))),
        ),
        (
            "tac",
            Arc::new(UInt32Array::from_iter_values(
                devs.iter().map(|d| tac_of(d.key)),
            )),
        ),
        (
            "status",
            Arc::new(StringArray::from_iter_values(
                devs.iter().map(|d| d.status.name()),
            )),
        ),
        (
            "reason_mask",
            Arc::new(UInt16Array::from_iter_values(
                devs.iter().map(|d| d.reasons.0),
            )),
        ),
        (
            "source",
            Arc::new(StringArray::from_iter_values(
                devs.iter().map(|d| d.source.as_str()),
            )),
        ),
        (
            "first_seen",
            Arc::new(devs.iter().map(|d| d.first_seen).collect::<Date32Array>()),
        ),
        (
            "registered_at",
            Arc::new(
                devs.iter()
                    .map(|d| d.registered_at)
                    .collect::<TimestampMicrosecondArray>(),
            ),
        ),
        (
            "import_declaration",
            Arc::new(
                devs.iter()
                    .map(|d| d.import_declaration.as_deref())
                    .collect::<StringArray>(),
            ),
        ),
        (
            "owner_pseudonym",
            Arc::new(
                devs.iter()
                    .map(|d| d.owner.as_deref())
                    .collect::<StringArray>(),
            ),
        ),
    ];
    RecordBatch::try_from_iter(cols).map_err(RegistryError::arrow("building the staging batch"))
}

const MERGE: &str = "INSERT INTO devices SELECT * FROM _import_staging ON CONFLICT (imei_key) DO UPDATE SET \
    tac = excluded.tac, status = excluded.status, reason_mask = excluded.reason_mask, source = excluded.source, \
    first_seen = coalesce(devices.first_seen, excluded.first_seen), \
    registered_at = coalesce(excluded.registered_at, devices.registered_at), \
    import_declaration = coalesce(excluded.import_declaration, devices.import_declaration), \
    owner_pseudonym = coalesce(excluded.owner_pseudonym, devices.owner_pseudonym)";

impl Registry {
    /// Imports a device list (CSV or Parquet, by extension) in one transaction.
    pub fn import_devices(
        &mut self,
        path: &Path,
        opts: &ImportOptions,
    ) -> Result<ImportSummary, RegistryError> {
        let file = path.display().to_string();
        // Identifier columns (imei, owner_id, owner_pseudonym) must be text.
        let mut rows = open_rows(path, &COLS, &[0, 1], &[0, 7, 8], opts.batch_rows.max(1))?;
        let record_key = match &opts.key {
            Some(k) => self.check_pseudonym_key(k)?.then_some(k),
            None => None,
        };
        let ctx = format!("importing {file}");
        // Every device of the file so far: its status word, a fingerprint of
        // the whole row and the row's line. A device may be listed once; an
        // exact repeat is skipped, a conflicting one refused with both lines.
        let mut pending: HashMap<u64, (u16, u64, u64)> = HashMap::new();
        let mut summary = ImportSummary::default();
        let at = now_us();
        let actor = self.actor().to_string();
        let tx = self
            .conn
            .transaction()
            .map_err(RegistryError::db(ctx.clone()))?;
        // The Arrow scan used for staging; registering it again on the same
        // connection (a second import) is refused by DuckDB and harmless.
        let _ = tx.register_table_function::<duckdb::vtab::arrow::ArrowVTab>("spectra_arrow");
        let mut tip = crate::chain::load_tip(&tx, crate::chain::Chain::History)?;
        tx.execute_batch("CREATE TABLE _import_staging AS SELECT * FROM devices LIMIT 0")
            .map_err(RegistryError::db(ctx.clone()))?;
        if let Some(k) = record_key {
            crate::rotate::record_key(&tx, k)?;
        }
        while let Some(batch) = rows.next_batch()? {
            let mut devs: Vec<Device> = Vec::with_capacity(batch.len());
            for (line, fields) in &batch {
                let f: Vec<Option<&str>> = fields.iter().map(|x| x.as_deref()).collect();
                let d = parse_row(&file, *line, &f, opts)?;
                summary.rows += 1;
                let p = packed(d.status, d.reasons);
                let print = row_fingerprint(&d);
                if let Some(&(first_p, first_print, first_line)) = pending.get(&d.key) {
                    if (first_p, first_print) == (p, print) {
                        summary.repeated += 1;
                        continue;
                    }
                    return Err(conflict(&file, *line, first_line, d.key, first_p, &d));
                }
                pending.insert(d.key, (p, print, *line));
                devs.push(d);
            }
            let mut hist = Vec::new();
            for d in &devs {
                let p = packed(d.status, d.reasons);
                let old = self.index.get_packed(d.key);
                match old {
                    None => summary.inserted += 1,
                    Some(_) => summary.updated += 1,
                }
                if old != Some(p) {
                    let old_status = old.and_then(imei_core::verdict::unpack).map(|o| o.0);
                    hist.push(crate::history::next_entry(
                        &mut tip, d.key, old_status, d.status, d.reasons, at, &actor, &d.source,
                    ));
                }
            }
            {
                // Staged through an Arrow scan, not the Appender: with the
                // bundled DuckDB 2.0.0, staging more than one row group
                // (122 880 rows) in a transaction through the Appender left
                // `devices` empty after the merge (history survived).
                let batch = arrow::array::StructArray::from(staging_batch(&devs)?);
                let reg = duckdb::vtab::ArrowBatchRegistration::from_array_data(
                    arrow::array::Array::to_data(&batch),
                )
                .map_err(RegistryError::arrow("registering the staging batch"))?;
                tx.execute(
                    "INSERT INTO _import_staging SELECT * FROM spectra_arrow(?)",
                    [&reg],
                )
                .map_err(RegistryError::db(ctx.clone()))?;
            }
            tx.execute_batch(MERGE)
                .map_err(RegistryError::db(ctx.clone()))?;
            tx.execute_batch("DELETE FROM _import_staging")
                .map_err(RegistryError::db(ctx.clone()))?;
            crate::history::append(&tx, &hist)?;
            summary.history_entries += hist.len() as u64;
        }
        tx.execute_batch("DROP TABLE _import_staging")
            .map_err(RegistryError::db(ctx.clone()))?;
        crate::chain::store_tip(&tx, crate::chain::Chain::History, &tip)?;
        let detail = format!(
            "{file}: {} rows, {} new, {} updated, {} history entries",
            summary.rows, summary.inserted, summary.updated, summary.history_entries
        );
        audit_on(&tx, &actor, "import_devices", &detail)?;
        // Everything that can fail happens before the commit: a large import
        // reloads the index through the transaction (which sees its writes).
        let reloaded = if pending.len() > 1024 {
            Some(crate::store::load_index(&tx)?)
        } else {
            None
        };
        tx.commit().map_err(RegistryError::db(ctx))?;
        match reloaded {
            Some(index) => self.index = index,
            None => {
                for (k, (p, _, _)) in pending {
                    if let Some((s, m)) = imei_core::verdict::unpack(p) {
                        self.index.upsert(k, s, m);
                    }
                }
            }
        }
        Ok(summary)
    }
}
