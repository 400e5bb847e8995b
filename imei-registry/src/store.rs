//! The registry store: one embedded DuckDB file (DuckDB 1.2 via the `duckdb`
//! crate, bundled) holding the devices, the reason catalogue, the TAC table,
//! an append-only status history chained with SHA-256 (FIPS 180-4) for tamper
//! evidence, and an audit log of who read or changed what and when.
//!
//! Owners are stored only as keyed pseudonyms ([`imei_core::pseudonym`]). Every
//! import runs in one transaction: a failed or interrupted import leaves the
//! store exactly as it was. Opening a registry builds the in-memory
//! [`RegistryIndex`], which every write keeps up to date.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{Int64Type, UInt64Type};
use chrono::Utc;
use duckdb::{Connection, params};

use crate::chain::{Canonical, Chain, GENESIS};
use crate::error::RegistryError;
use crate::history::HistoryEntry;
pub use crate::opening::lock_path;
use crate::opening::{check_schema, connect, refuse_read_only, take_lock};
use imei_core::index::RegistryIndex;
use imei_core::tac::{TacDb, TacRecord};
use imei_core::verdict::{DeviceStatus, REASONS, ReasonMask, pack, unpack};

/// Schema version written into `meta` and required on open. Version 2 chains
/// the audit log and contest events and keys every chain on its sequence.
pub const SCHEMA_VERSION: &str = "2";

const SCHEMA: &str = "
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE reasons (
    bit UTINYINT PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR NOT NULL, typical_status VARCHAR NOT NULL);
CREATE TABLE devices (
    imei_key UBIGINT PRIMARY KEY,
    tac UINTEGER NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('white', 'grey', 'black')),
    reason_mask USMALLINT NOT NULL,
    source VARCHAR NOT NULL,
    first_seen DATE,
    registered_at TIMESTAMP,
    import_declaration VARCHAR,
    owner_pseudonym VARCHAR);
CREATE TABLE status_history (
    seq UBIGINT PRIMARY KEY, imei_key UBIGINT NOT NULL, old_status VARCHAR, new_status VARCHAR NOT NULL,
    reason_mask USMALLINT NOT NULL, changed_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, source VARCHAR NOT NULL,
    hash BLOB NOT NULL);
CREATE TABLE audit_log (
    seq UBIGINT PRIMARY KEY, logged_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL,
    detail VARCHAR NOT NULL, hash BLOB NOT NULL);
CREATE TABLE tac (
    tac UINTEGER PRIMARY KEY, manufacturer VARCHAR NOT NULL, model VARCHAR NOT NULL, source VARCHAR NOT NULL,
    extra VARCHAR NOT NULL);
CREATE SEQUENCE contest_seq START 1;
CREATE TABLE contests (
    id UBIGINT PRIMARY KEY, imei_key UBIGINT NOT NULL, filed_at TIMESTAMP NOT NULL, filed_by VARCHAR NOT NULL,
    grounds VARCHAR NOT NULL, contested_verdict VARCHAR NOT NULL, contested_reason VARCHAR NOT NULL,
    rule_version VARCHAR NOT NULL, state VARCHAR NOT NULL CHECK (state IN ('open', 'upheld', 'rejected')),
    decided_at TIMESTAMP, decided_by VARCHAR, decision VARCHAR);
CREATE TABLE contest_events (
    seq UBIGINT PRIMARY KEY, contest_id UBIGINT NOT NULL, kind VARCHAR NOT NULL
    CHECK (kind IN ('filed', 'upheld', 'rejected')), event_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL,
    detail VARCHAR NOT NULL, hash BLOB NOT NULL);
CREATE TABLE chain_tips (chain VARCHAR PRIMARY KEY, seq UBIGINT NOT NULL, hash BLOB NOT NULL);
";

/// One device as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeviceRow {
    /// 14-digit registry key.
    pub key: u64,
    /// TAC, 8 digits (leading zeros kept).
    pub tac: String,
    /// Status.
    pub status: DeviceStatus,
    /// Reason names joined by `;`.
    pub reason_codes: String,
    /// Where the record came from.
    pub source: String,
    /// First seen on a network (ISO date).
    pub first_seen: Option<String>,
    /// When registered (ISO timestamp).
    pub registered_at: Option<String>,
    /// Import (customs) declaration reference.
    pub import_declaration: Option<String>,
    /// Owner as a keyed pseudonym.
    pub owner_pseudonym: Option<String>,
}

/// The registry: a DuckDB connection, the lookup index and the TAC table.
///
/// One process at a time holds a registry (an advisory lock on
/// `<file>.lock` beside it, with the holder's process id); a second one gets
/// [`RegistryError::InUse`].
#[derive(Debug)]
pub struct Registry {
    pub(crate) conn: Connection,
    path: PathBuf,
    pub(crate) index: RegistryIndex,
    pub(crate) tacs: TacDb,
    pub(crate) actor: String,
    _lock: std::fs::File,
}

/// Creates the tables of the registry's life cycle (operators and their
/// data, classification runs, list generations) where they are missing: a
/// registry made before them gains them when opened (`IF NOT EXISTS`).
fn install_life_cycle_tables(conn: &Connection) -> Result<(), RegistryError> {
    for schema in [
        crate::operators::OPERATOR_SCHEMA,
        crate::classify::CLASSIFY_SCHEMA,
        crate::blacklist::LISTS_SCHEMA,
        crate::device_lists::DEVICE_LISTS_SCHEMA,
        crate::vault_store::VAULT_SCHEMA,
        crate::operator_lists::OPERATOR_LISTS_SCHEMA,
    ] {
        conn.execute_batch(schema)
            .map_err(RegistryError::db("creating the life-cycle tables"))?;
    }
    Ok(())
}

/// Current time truncated to microseconds (DuckDB TIMESTAMP precision).
pub(crate) fn now_us() -> i64 {
    Utc::now().timestamp_micros()
}

impl Registry {
    /// Creates a new registry file at `path` (which must not exist): schema,
    /// reason catalogue, schema version and empty chains in one transaction,
    /// so an interrupted creation leaves no half-made registry behind.
    pub fn create(path: &Path, actor: &str) -> Result<Registry, RegistryError> {
        if path.exists() {
            return Err(RegistryError::Invalid(format!(
                "{}: expected a new registry file, found an existing file; open it instead",
                path.display()
            )));
        }
        let lock = take_lock(path)?;
        let ctx = format!("creating {}", path.display());
        let mut conn = connect(path)?;
        let tx = conn.transaction().map_err(RegistryError::db(ctx.clone()))?;
        tx.execute_batch(SCHEMA)
            .map_err(RegistryError::db(ctx.clone()))?;
        install_life_cycle_tables(&tx)?;
        for r in &REASONS {
            tx.execute(
                "INSERT INTO reasons VALUES (?, ?, ?, ?)",
                params![r.bit, r.name, r.description, r.typical_status.name()],
            )
            .map_err(RegistryError::db(ctx.clone()))?;
        }
        for c in Chain::ALL {
            tx.execute(
                "INSERT INTO chain_tips VALUES (?, 0, ?)",
                params![c.name(), GENESIS.to_vec()],
            )
            .map_err(RegistryError::db(ctx.clone()))?;
        }
        tx.execute(
            "INSERT INTO meta VALUES ('schema_version', ?), ('created_at', ?)",
            params![SCHEMA_VERSION, Utc::now().to_rfc3339()],
        )
        .map_err(RegistryError::db(ctx.clone()))?;
        audit_on(&tx, actor, "create", "registry created")?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(Registry {
            conn,
            path: path.to_path_buf(),
            index: RegistryIndex::default(),
            tacs: TacDb::default(),
            actor: actor.to_string(),
            _lock: lock,
        })
    }

    /// Opens an existing registry file; `actor` names who is acting, for the
    /// audit log. Refuses a file that is not a Spectra registry of this
    /// schema version or whose reason catalogue differs from this build's
    /// (never installs a schema into it); a registry of this version made
    /// before the life-cycle tables gains them. Builds the lookup index.
    pub fn open(path: &Path, actor: &str) -> Result<Registry, RegistryError> {
        if !path.is_file() {
            return Err(RegistryError::NotARegistry {
                path: path.display().to_string(),
                detail: "no such file (create one with `spectra registry init`)".into(),
            });
        }
        refuse_read_only(path)?;
        let lock = take_lock(path)?;
        let conn = connect(path)?;
        check_schema(&conn, path)?;
        install_life_cycle_tables(&conn)?;
        let index = load_index(&conn)?;
        let tacs = load_tacs(&conn)?;
        Ok(Registry {
            conn,
            path: path.to_path_buf(),
            index,
            tacs,
            actor: actor.to_string(),
            _lock: lock,
        })
    }

    /// Opens the registry at `path`, creating it first when no file exists.
    pub fn open_or_create(path: &Path, actor: &str) -> Result<Registry, RegistryError> {
        if path.exists() {
            Registry::open(path, actor)
        } else {
            Registry::create(path, actor)
        }
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Who is acting (for the audit log).
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The in-memory lookup index.
    pub fn index(&self) -> &RegistryIndex {
        &self.index
    }

    /// The TAC table.
    pub fn tacs(&self) -> &TacDb {
        &self.tacs
    }

    /// A value from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, RegistryError> {
        let mut st = self
            .conn
            .prepare("SELECT value FROM meta WHERE key = ?")
            .map_err(RegistryError::db("meta"))?;
        let mut rows = st.query(params![key]).map_err(RegistryError::db("meta"))?;
        match rows.next().map_err(RegistryError::db("meta"))? {
            Some(r) => Ok(Some(r.get(0).map_err(RegistryError::db("meta"))?)),
            None => Ok(None),
        }
    }

    /// Appends an audit-log entry.
    pub fn audit(&self, action: &str, detail: &str) -> Result<(), RegistryError> {
        // The entry and the chain tip change together or not at all.
        let ctx = "writing the audit log";
        self.conn
            .execute_batch("BEGIN TRANSACTION")
            .map_err(RegistryError::db(ctx))?;
        match audit_on(&self.conn, &self.actor, action, detail) {
            Ok(()) => self
                .conn
                .execute_batch("COMMIT")
                .map_err(RegistryError::db(ctx)),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Reads one device's full row (and logs the read in the audit log).
    pub fn device(&self, key: u64) -> Result<Option<DeviceRow>, RegistryError> {
        let ctx = "reading a device";
        let mut st = self
            .conn
            .prepare(
                "SELECT tac, status, reason_mask, source, CAST(first_seen AS VARCHAR), \
                 CAST(registered_at AS VARCHAR), import_declaration, owner_pseudonym FROM devices WHERE imei_key = ?",
            )
            .map_err(RegistryError::db(ctx))?;
        let mut rows = st.query(params![key]).map_err(RegistryError::db(ctx))?;
        let Some(r) = rows.next().map_err(RegistryError::db(ctx))? else {
            self.audit("read", &format!("device {key:014} (not registered)"))?;
            return Ok(None);
        };
        let status_text: String = r.get(1).map_err(RegistryError::db(ctx))?;
        let status = DeviceStatus::parse(&status_text).ok_or_else(|| {
            RegistryError::Invalid(format!(
                "stored status {status_text:?} is not white/grey/black"
            ))
        })?;
        let mask: u16 = r.get(2).map_err(RegistryError::db(ctx))?;
        let row = DeviceRow {
            key,
            tac: format!("{:08}", r.get::<_, u32>(0).map_err(RegistryError::db(ctx))?),
            status,
            reason_codes: ReasonMask(mask).names(),
            source: r.get(3).map_err(RegistryError::db(ctx))?,
            first_seen: r.get(4).map_err(RegistryError::db(ctx))?,
            registered_at: r.get(5).map_err(RegistryError::db(ctx))?,
            import_declaration: r.get(6).map_err(RegistryError::db(ctx))?,
            owner_pseudonym: r.get(7).map_err(RegistryError::db(ctx))?,
        };
        self.audit("read", &format!("device {key:014}"))?;
        Ok(Some(row))
    }

    /// Sets the status of one device (inserting it if unknown), with a history
    /// entry and an audit entry, in one transaction; updates the index.
    /// Returns `false`, writing nothing, when the device already has this
    /// status and these reasons. Reasons more severe than the status are
    /// refused ([`ReasonMask::fits`]).
    pub fn set_status(
        &mut self,
        key: u64,
        status: DeviceStatus,
        reasons: ReasonMask,
        source: &str,
    ) -> Result<bool, RegistryError> {
        reasons
            .fits(status)
            .map_err(|m| RegistryError::Invalid(format!("device {key:014}: {m}")))?;
        if self.index.get(key) == Some((status, reasons)) {
            // Nothing changes: no history entry, no audit entry.
            return Ok(false);
        }
        let ctx = format!("setting the status of {key:014}");
        let tx = self
            .conn
            .transaction()
            .map_err(RegistryError::db(ctx.clone()))?;
        stage_status(
            &tx,
            &self.index,
            &self.actor,
            StatusChange {
                key,
                status,
                reasons,
                source,
            },
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        self.index.upsert(key, status, reasons);
        Ok(true)
    }

    /// Merges TAC records into the TAC table (in one transaction); returns
    /// the number of TACs now stored.
    pub fn import_tacs(&mut self, db: &TacDb) -> Result<usize, RegistryError> {
        let merged = TacDb::from_records(
            self.tacs
                .records()
                .iter()
                .cloned()
                .chain(db.records().iter().cloned()),
        );
        let batch = tac_batch(merged.records())?;
        let ctx = "importing TACs";
        let tx = self.conn.transaction().map_err(RegistryError::db(ctx))?;
        tx.execute("DELETE FROM tac", [])
            .map_err(RegistryError::db(ctx))?;
        {
            let mut app = tx.appender("tac").map_err(RegistryError::db(ctx))?;
            app.append_record_batch(batch)
                .map_err(RegistryError::db(ctx))?;
            app.flush().map_err(RegistryError::db(ctx))?;
        }
        audit_on(
            &tx,
            &self.actor,
            "import_tacs",
            &format!("{} TACs merged, {} stored", db.len(), merged.len()),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        let n = merged.len();
        self.tacs = merged;
        Ok(n)
    }

    /// The status history of one device, oldest first.
    pub fn history(&self, key: u64) -> Result<Vec<HistoryEntry>, RegistryError> {
        crate::history::read(&self.conn, Some(key))
    }

    /// Total rows of a table (for statistics and tests).
    pub fn count(&self, table: &str) -> Result<u64, RegistryError> {
        let allowed = [
            "devices",
            "status_history",
            "audit_log",
            "contests",
            "contest_events",
            "tac",
            "reasons",
            "meta",
            "operators",
            "operator_imports",
            "network_triplets",
            "classification_runs",
            "classification_matches",
            "classification_decisions",
            "list_generations",
            "blacklist_entries",
            "stolen_reports",
            "golden_list",
            "barred_tacs",
            "vault_slots",
            "identity_vault",
            "destruction_acts",
            "pairing_list",
            "notification_entries",
            "exception_entries",
        ];
        if !allowed.contains(&table) {
            return Err(RegistryError::Invalid(format!(
                "unknown table {table:?}; expected one of {allowed:?}"
            )));
        }
        let n: i64 = self
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(RegistryError::db(format!("counting {table}")))?;
        Ok(n.max(0) as u64)
    }
}

/// Appends an audit entry (chained) on a connection or transaction. Call it
/// inside the transaction of the change it records, so both commit or
/// neither does.
pub(crate) fn audit_on(
    conn: &Connection,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), RegistryError> {
    let mut tip = crate::chain::load_tip(conn, Chain::Audit)?;
    let at_us = now_us();
    let mut buf = Canonical::default();
    audit_canonical(tip.seq + 1, at_us, actor, action, detail, &mut buf);
    let hash = tip.advance(Chain::Audit, &buf);
    conn.execute(
        "INSERT INTO audit_log VALUES (?, make_timestamp(?), ?, ?, ?, ?)",
        params![tip.seq, at_us, actor, action, detail, hash.to_vec()],
    )
    .map_err(RegistryError::db("writing the audit log"))?;
    crate::chain::store_tip(conn, Chain::Audit, &tip)
}

/// The canonical bytes of an audit entry, hashed into its chain.
pub(crate) fn audit_canonical(
    seq: u64,
    at_us: i64,
    actor: &str,
    action: &str,
    detail: &str,
    out: &mut Canonical,
) {
    out.clear()
        .u64(seq)
        .i64(at_us)
        .str(actor)
        .str(action)
        .str(detail);
}

/// One status change to record.
pub(crate) struct StatusChange<'a> {
    pub key: u64,
    pub status: DeviceStatus,
    pub reasons: ReasonMask,
    pub source: &'a str,
}

/// Writes a status change (device row, chained history entry, audit entry)
/// inside the caller's transaction; the caller updates the index once the
/// transaction has committed.
pub(crate) fn stage_status(
    tx: &Connection,
    index: &RegistryIndex,
    actor: &str,
    c: StatusChange<'_>,
) -> Result<(), RegistryError> {
    let ctx = format!("setting the status of {:014}", c.key);
    let old = index.get(c.key);
    let mut tip = crate::chain::load_tip(tx, Chain::History)?;
    let entry = crate::history::next_entry(
        &mut tip,
        c.key,
        old.map(|o| o.0),
        c.status,
        c.reasons,
        now_us(),
        actor,
        c.source,
    );
    tx.execute(
        "INSERT INTO devices (imei_key, tac, status, reason_mask, source) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (imei_key) DO UPDATE SET status = excluded.status, reason_mask = excluded.reason_mask, \
         source = excluded.source",
        params![c.key, imei_core::identity::tac_of(c.key), c.status.name(), c.reasons.0, c.source],
    )
    .map_err(RegistryError::db(ctx))?;
    crate::history::append(tx, std::slice::from_ref(&entry))?;
    crate::chain::store_tip(tx, Chain::History, &tip)?;
    let detail = format!(
        "device {:014}: {} -> {} [{}]",
        c.key,
        old.map_or("unregistered", |o| o.0.name()),
        c.status.name(),
        c.reasons.names()
    );
    audit_on(tx, actor, "set_status", &detail)
}

pub(crate) fn load_index(conn: &Connection) -> Result<RegistryIndex, RegistryError> {
    let ctx = "loading the lookup index";
    let mut st = conn
        .prepare(
            "SELECT imei_key, CAST((CASE status WHEN 'white' THEN 1 WHEN 'grey' THEN 2 ELSE 3 END) \
             + 4 * reason_mask AS BIGINT) FROM devices",
        )
        .map_err(RegistryError::db(ctx))?;
    let batches: Vec<RecordBatch> = st
        .query_arrow([])
        .map_err(RegistryError::db(ctx))?
        .collect();
    let mut pairs = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    for b in &batches {
        let (Some(keys), Some(words)) = (
            b.column(0).as_primitive_opt::<UInt64Type>(),
            b.column(1).as_primitive_opt::<Int64Type>(),
        ) else {
            return Err(RegistryError::Invalid(format!(
                "{ctx}: unexpected column types {:?}",
                b.schema()
            )));
        };
        for (k, w) in keys.values().iter().zip(words.values()) {
            let p = *w as u16;
            if unpack(p).is_some() {
                pairs.push((*k, p));
            }
        }
    }
    Ok(RegistryIndex::from_pairs(pairs))
}

fn load_tacs(conn: &Connection) -> Result<TacDb, RegistryError> {
    let ctx = "loading the TAC table";
    let mut st = conn
        .prepare("SELECT tac, manufacturer, model, source, extra FROM tac")
        .map_err(RegistryError::db(ctx))?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .map_err(RegistryError::db(ctx))?;
    let mut out = Vec::new();
    for r in rows {
        let (tac, manufacturer, model, source, extra) = r.map_err(RegistryError::db(ctx))?;
        let extra = serde_json::from_str(&extra).unwrap_or_default();
        out.push(TacRecord {
            tac,
            manufacturer,
            model,
            source,
            extra,
        });
    }
    Ok(TacDb::from_records(out))
}

fn tac_batch(records: &[TacRecord]) -> Result<RecordBatch, RegistryError> {
    use arrow::array::{StringArray, UInt32Array};
    let tac = UInt32Array::from_iter_values(records.iter().map(|r| r.tac));
    let man = StringArray::from_iter_values(records.iter().map(|r| r.manufacturer.as_str()));
    let model = StringArray::from_iter_values(records.iter().map(|r| r.model.as_str()));
    let src = StringArray::from_iter_values(records.iter().map(|r| r.source.as_str()));
    let extra = StringArray::from_iter_values(
        records
            .iter()
            .map(|r| serde_json::to_string(&r.extra).unwrap_or_else(|_| "{}".to_string())),
    );
    RecordBatch::try_from_iter(vec![
        ("tac", Arc::new(tac) as Arc<dyn Array>),
        ("manufacturer", Arc::new(man)),
        ("model", Arc::new(model)),
        ("source", Arc::new(src)),
        ("extra", Arc::new(extra)),
    ])
    .map_err(RegistryError::arrow("building the TAC batch"))
}

/// The packed index word of a status and reasons (re-exported for imports).
pub(crate) fn packed(status: DeviceStatus, reasons: ReasonMask) -> u16 {
    pack(status, reasons)
}
