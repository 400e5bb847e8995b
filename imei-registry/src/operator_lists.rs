//! What each operator receives besides the national block list: its
//! **notification list** (`imei,imsi,msisdn,block_date,reasons`: its
//! subscribers seen in the last [`NOTIFY_SEEN_DAYS`] days with an IMEI whose
//! blocking match is still in its grace period, minus golden and already
//! blocked IMEIs; its own subscribers only — inbound roamers and erased
//! subscribers have no vault entry) and its **exception list** (`imei,imsi`: the pairs of the
//! IMEI–IMSI pairing list whose IMSI is its own), with the clear values
//! opened from the identity vault for that operator only (each opening
//! audited). Every generation's entries are kept (as pseudonyms), so a later
//! generation can be published as deltas: notifications `new`, `resolved`
//! (the IMEI's grace match ended), `blacklisted` (its block date came),
//! `no_longer_seen` (the pair was not seen in the window), `changed` (block
//! date or reasons); exceptions `added`, `removed`.
//!
//! The pairing list is imported whole (`imei,imsi`), replacing the previous
//! one in one transaction; each IMSI must belong to a declared operator.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, StringArray};
use chrono::NaiveDate;
use duckdb::params;
use imei_core::dimensions::Window;
use imei_core::identity::classify;
use imei_core::pseudonym::PseudonymKey;
use imei_core::purpose::{Field, Purpose, network_pseudonym};
use imei_core::reader::open_rows;

use crate::blacklist::{ListFile, write_table};
use crate::error::RegistryError;
use crate::operators::purpose_meta;
use crate::staging::{batch, query_all, with_batch};
use crate::store::{Registry, audit_on};
use crate::vault_store::{Clear, seal_pairs};

/// Days before a list's date (inclusive) in which a subscriber must have
/// been seen with an IMEI to be notified.
pub const NOTIFY_SEEN_DAYS: u32 = 60;

/// The tables of the pairing list and the per-operator list entries.
pub(crate) const OPERATOR_LISTS_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS pairing_list (
    imei VARCHAR NOT NULL, imsi_p VARCHAR NOT NULL, operator VARCHAR NOT NULL, PRIMARY KEY (imei, imsi_p));
CREATE TABLE IF NOT EXISTS notification_entries (
    list_id UBIGINT NOT NULL, operator VARCHAR NOT NULL, imei VARCHAR NOT NULL, imsi_p VARCHAR NOT NULL,
    msisdn_p VARCHAR NOT NULL, block_date DATE NOT NULL, reasons VARCHAR NOT NULL,
    PRIMARY KEY (list_id, operator, imei, imsi_p, msisdn_p));
CREATE TABLE IF NOT EXISTS exception_entries (
    list_id UBIGINT NOT NULL, operator VARCHAR NOT NULL, imei VARCHAR NOT NULL, imsi_p VARCHAR NOT NULL,
    PRIMARY KEY (list_id, operator, imei, imsi_p));
";

/// (operator, imei, imsi pseudonym, msisdn pseudonym).
pub(crate) type NotifyKey = (String, String, String, String);
/// (block date, reasons).
pub(crate) type NotifyValue = (NaiveDate, String);
/// (operator, imei, imsi pseudonym).
pub(crate) type ExceptionKey = (String, String, String);

/// One generation's operator lists, before they are written.
#[derive(Debug, Default)]
pub(crate) struct OperatorLists {
    pub notifications: BTreeMap<NotifyKey, NotifyValue>,
    pub exceptions: BTreeSet<ExceptionKey>,
    /// IMEIs with a blocking match still in grace on the date.
    pub in_grace: BTreeSet<String>,
}

fn parse_day(d: &str) -> Result<NaiveDate, RegistryError> {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map_err(|e| RegistryError::Invalid(format!("stored date {d:?}: {e}")))
}

impl Registry {
    /// Replaces the IMEI–IMSI pairing list with the file at `path`
    /// (`imei,imsi`, CSV or Parquet): IMSIs pseudonymised under `key` (the
    /// network-monitoring key), their clear values sealed under `vault`. A
    /// bad row refuses the file with its line; returns the pairs.
    pub fn import_pairing_list(
        &mut self,
        path: &Path,
        key: &PseudonymKey,
        vault: &PseudonymKey,
    ) -> Result<u64, RegistryError> {
        let file = path.display().to_string();
        let operators = self.operators()?;
        let record_key = self.check_purpose_key(Purpose::NetworkMonitoring, key)?;
        self.check_vault_key(vault)?;
        let mut src = open_rows(path, &["imei", "imsi"], &[0, 1], &[0, 1], 65_536)?;
        let mut rows: BTreeMap<(String, String), String> = BTreeMap::new();
        let mut pairs = BTreeMap::<String, BTreeSet<Clear>>::new();
        while let Some(batch) = src.next_batch()? {
            for (line, f) in batch {
                let get = |i: usize| {
                    f.get(i)
                        .and_then(|v| v.as_deref())
                        .map(str::trim)
                        .unwrap_or("")
                };
                let imei = get(0);
                if classify(imei).key.is_none() {
                    return Err(RegistryError::input(
                        &file,
                        line,
                        "imei",
                        format!("expected an IMEI, found {imei:?}"),
                    ));
                }
                let imsi = get(1);
                let op = operators
                    .iter()
                    .find(|o| imsi.len() >= 14 && o.owns(imsi))
                    .ok_or_else(|| {
                        RegistryError::input(
                            &file,
                            line,
                            "imsi",
                            format!(
                                "expected an IMSI of a declared operator (14–15 digits), found {imsi:?}"
                            ),
                        )
                    })?;
                let imsi_p = network_pseudonym(key, Field::Imsi, imsi);
                rows.insert((imei.to_string(), imsi_p.clone()), op.name.clone());
                pairs.entry(op.name.clone()).or_default().insert(Clear {
                    imsi_p,
                    msisdn_p: String::new(),
                    imsi: imsi.to_string(),
                    msisdn: String::new(),
                });
            }
        }
        let ctx = format!("importing the pairing list {file}");
        let vault_path = self.vault_path();
        let tx = self
            .conn
            .transaction()
            .map_err(RegistryError::db(ctx.clone()))?;
        tx.execute("DELETE FROM pairing_list", [])
            .map_err(RegistryError::db(ctx.clone()))?;
        if record_key {
            tx.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![purpose_meta(Purpose::NetworkMonitoring), key.fingerprint()],
            )
            .map_err(RegistryError::db(ctx.clone()))?;
        }
        for (op, p) in &pairs {
            seal_pairs(&tx, &vault_path, vault, op, p)?;
        }
        let text =
            |v: Vec<&String>| -> Arc<dyn Array> { Arc::new(StringArray::from_iter_values(v)) };
        with_batch(
            &tx,
            "INSERT INTO pairing_list SELECT imei, imsi_p, operator FROM spectra_arrow(?)",
            batch(vec![
                ("imei", text(rows.keys().map(|k| &k.0).collect())),
                ("imsi_p", text(rows.keys().map(|k| &k.1).collect())),
                ("operator", text(rows.values().collect())),
            ])?,
            &ctx,
        )?;
        audit_on(
            &tx,
            &self.actor,
            "import_pairing_list",
            &format!("{file}: {} pairs (the list replaced)", rows.len()),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(rows.len() as u64)
    }

    /// The notification and exception entries of `date`, given the block
    /// list `blocked` of the same generation and the golden IMEIs.
    pub(crate) fn operator_lists(
        &self,
        date: NaiveDate,
        blocked: &BTreeSet<String>,
        golden: &BTreeSet<u64>,
    ) -> Result<OperatorLists, RegistryError> {
        let ctx = "computing the operator lists";
        let window = Window::new(date, NOTIFY_SEEN_DAYS);
        let first_month = window.months().min().unwrap_or(0);
        type Raw = (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<u32>,
            Option<u32>,
        );
        let raw: Vec<Raw> = query_all(
            &self.conn,
            "WITH g AS (SELECT imei, min(block_date) AS bd, \
             string_agg(DISTINCT reason, '|' ORDER BY reason) AS reasons FROM classification_matches \
             WHERE blocking AND block_date > ?::DATE GROUP BY imei), \
             t AS (SELECT t.imei, t.operator, t.imsi_p, t.msisdn_p, t.month, t.day_mask \
             FROM network_triplets t JOIN g USING (imei) WHERE t.month >= ?), \
             tv AS (SELECT t.* FROM t JOIN identity_vault v ON v.imsi_p = t.imsi_p \
             AND v.msisdn_p = t.msisdn_p AND v.operator = t.operator) \
             SELECT g.imei, g.bd::VARCHAR, g.reasons, tv.operator, tv.imsi_p, tv.msisdn_p, tv.month, tv.day_mask \
             FROM g LEFT JOIN tv ON tv.imei = g.imei",
            params![date.to_string(), first_month],
            ctx,
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            },
        )?;
        let mut out = OperatorLists::default();
        for (imei, bd, reasons, op, imsi_p, msisdn_p, month, mask) in raw {
            out.in_grace.insert(imei.clone());
            let skip =
                blocked.contains(&imei) || classify(&imei).key.is_some_and(|k| golden.contains(&k));
            let (Some(op), Some(imsi_p), Some(msisdn_p), Some(month), Some(mask)) =
                (op, imsi_p, msisdn_p, month, mask)
            else {
                continue;
            };
            if skip || window.clip(month, mask) == 0 {
                continue;
            }
            out.notifications
                .insert((op, imei, imsi_p, msisdn_p), (parse_day(&bd)?, reasons));
        }
        out.exceptions = query_all(
            &self.conn,
            "SELECT operator, imei, imsi_p FROM pairing_list",
            [],
            ctx,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?
        .into_iter()
        .collect();
        Ok(out)
    }

    /// The operator-list entries kept for generation `list_id`.
    pub(crate) fn operator_lists_of(&self, list_id: u64) -> Result<OperatorLists, RegistryError> {
        let ctx = "reading a generation's operator lists";
        type Row = (String, String, String, String, String, String);
        let rows: Vec<Row> = query_all(
            &self.conn,
            "SELECT operator, imei, imsi_p, msisdn_p, block_date::VARCHAR, reasons \
             FROM notification_entries WHERE list_id = ?",
            params![list_id],
            ctx,
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        let mut out = OperatorLists::default();
        for (op, imei, ip, mp, bd, reasons) in rows {
            out.notifications
                .insert((op, imei, ip, mp), (parse_day(&bd)?, reasons));
        }
        out.exceptions = query_all(
            &self.conn,
            "SELECT operator, imei, imsi_p FROM exception_entries WHERE list_id = ?",
            params![list_id],
            ctx,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?
        .into_iter()
        .collect();
        Ok(out)
    }

    /// Writes every declared operator's notification and exception lists
    /// (and with `base`, their deltas) to `dir`, opening the clear values
    /// under `vault`; returns the files and each delta's counts by file stem.
    #[allow(clippy::type_complexity)]
    pub(crate) fn write_operator_lists(
        &self,
        dir: &Path,
        now: &OperatorLists,
        base: Option<&OperatorLists>,
        blocked: &BTreeSet<String>,
        vault: &PseudonymKey,
        provenance: &tabular::Provenance,
    ) -> Result<(Vec<ListFile>, BTreeMap<String, BTreeMap<String, usize>>), RegistryError> {
        let mut files = Vec::new();
        let mut deltas = BTreeMap::new();
        for op in self.operators()? {
            let name = op.name.as_str();
            let mine = |m: &BTreeMap<NotifyKey, NotifyValue>| -> Vec<(NotifyKey, NotifyValue)> {
                m.iter()
                    .filter(|(k, _)| k.0 == name)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            let notes = mine(&now.notifications);
            let mut changes: Vec<(NotifyKey, NotifyValue, &str)> = Vec::new();
            let mut ex_changes: Vec<(ExceptionKey, &str)> = Vec::new();
            if let Some(b) = base {
                for (k, v) in &notes {
                    match b.notifications.get(k) {
                        None => changes.push((k.clone(), v.clone(), "new")),
                        Some(o) if o != v => changes.push((k.clone(), v.clone(), "changed")),
                        Some(_) => {}
                    }
                }
                for (k, v) in mine(&b.notifications) {
                    if !now.notifications.contains_key(&k) {
                        let why = if blocked.contains(&k.1) {
                            "blacklisted"
                        } else if !now.in_grace.contains(&k.1) {
                            "resolved"
                        } else {
                            "no_longer_seen"
                        };
                        changes.push((k, v, why));
                    }
                }
                for k in now.exceptions.iter().filter(|k| k.0 == name) {
                    if !b.exceptions.contains(k) {
                        ex_changes.push((k.clone(), "added"));
                    }
                }
                for k in b.exceptions.iter().filter(|k| k.0 == name) {
                    if !now.exceptions.contains(k) {
                        ex_changes.push((k.clone(), "removed"));
                    }
                }
            }
            let wanted: BTreeSet<(String, String)> = notes
                .iter()
                .map(|(k, _)| k)
                .chain(changes.iter().map(|c| &c.0))
                .map(|k| (k.2.clone(), k.3.clone()))
                .collect();
            let clear = self.open_pairs(
                vault,
                name,
                &wanted,
                &format!("notification list of {name}"),
            )?;
            let ex_wanted: BTreeSet<(String, String)> = now
                .exceptions
                .iter()
                .filter(|k| k.0 == name)
                .chain(ex_changes.iter().map(|c| &c.0))
                .map(|k| (k.2.clone(), String::new()))
                .collect();
            let ex_clear = self.open_pairs(
                vault,
                name,
                &ex_wanted,
                &format!("exception list of {name}"),
            )?;
            let note_row = |k: &NotifyKey, v: &NotifyValue| -> Vec<String> {
                let (imsi, msisdn) = clear
                    .get(&(k.2.clone(), k.3.clone()))
                    .cloned()
                    .unwrap_or_default();
                vec![k.1.clone(), imsi, msisdn, v.0.to_string(), v.1.clone()]
            };
            let ex_row = |k: &ExceptionKey| -> Vec<String> {
                let imsi = ex_clear
                    .get(&(k.2.clone(), String::new()))
                    .map(|c| c.0.clone())
                    .unwrap_or_default();
                vec![k.1.clone(), imsi]
            };
            let n_head = ["imei", "imsi", "msisdn", "block_date", "reasons"];
            // An erased subscriber (no clear values left) is not notified.
            // Rows in the order of their clear values (IMEI, IMSI, MSISDN).
            let mut rows: Vec<Vec<String>> = notes
                .iter()
                .filter(|(k, _)| clear.contains_key(&(k.2.clone(), k.3.clone())))
                .map(|(k, v)| note_row(k, v))
                .collect();
            rows.sort();
            files.extend(write_table(
                dir,
                &format!("notifications_{name}"),
                &n_head,
                &rows,
                provenance,
            )?);
            let mut rows: Vec<Vec<String>> = now
                .exceptions
                .iter()
                .filter(|k| k.0 == name)
                .map(ex_row)
                .collect();
            rows.sort();
            files.extend(write_table(
                dir,
                &format!("exceptions_{name}"),
                &["imei", "imsi"],
                &rows,
                provenance,
            )?);
            if base.is_some() {
                let mut counts = BTreeMap::new();
                let mut rows: Vec<Vec<String>> = changes
                    .iter()
                    .map(|(k, v, c)| {
                        *counts.entry(c.to_string()).or_default() += 1;
                        let mut r = note_row(k, v);
                        r.push(c.to_string());
                        r
                    })
                    .collect();
                rows.sort();
                let stem = format!("notifications_{name}_delta");
                let head = ["imei", "imsi", "msisdn", "block_date", "reasons", "change"];
                files.extend(write_table(dir, &stem, &head, &rows, provenance)?);
                deltas.insert(stem, counts);
                let mut counts = BTreeMap::new();
                let mut rows: Vec<Vec<String>> = ex_changes
                    .iter()
                    .map(|(k, c)| {
                        *counts.entry(c.to_string()).or_default() += 1;
                        let mut r = ex_row(k);
                        r.push(c.to_string());
                        r
                    })
                    .collect();
                rows.sort();
                let stem = format!("exceptions_{name}_delta");
                files.extend(write_table(
                    dir,
                    &stem,
                    &["imei", "imsi", "change"],
                    &rows,
                    provenance,
                )?);
                deltas.insert(stem, counts);
            }
        }
        Ok((files, deltas))
    }
}

/// Keeps generation `list_id`'s operator-list entries (in the caller's
/// transaction).
pub(crate) fn store_operator_lists(
    tx: &duckdb::Connection,
    list_id: u64,
    lists: &OperatorLists,
) -> Result<(), RegistryError> {
    let ctx = "keeping the operator lists";
    let text = |v: Vec<String>| -> Arc<dyn Array> { Arc::new(StringArray::from(v)) };
    let n = &lists.notifications;
    with_batch(
        tx,
        &format!(
            "INSERT INTO notification_entries SELECT {list_id}, operator, imei, imsi_p, msisdn_p, \
             block_date::DATE, reasons FROM spectra_arrow(?)"
        ),
        batch(vec![
            ("operator", text(n.keys().map(|k| k.0.clone()).collect())),
            ("imei", text(n.keys().map(|k| k.1.clone()).collect())),
            ("imsi_p", text(n.keys().map(|k| k.2.clone()).collect())),
            ("msisdn_p", text(n.keys().map(|k| k.3.clone()).collect())),
            (
                "block_date",
                text(n.values().map(|v| v.0.to_string()).collect()),
            ),
            ("reasons", text(n.values().map(|v| v.1.clone()).collect())),
        ])?,
        ctx,
    )?;
    let e = &lists.exceptions;
    with_batch(
        tx,
        &format!(
            "INSERT INTO exception_entries SELECT {list_id}, operator, imei, imsi_p FROM spectra_arrow(?)"
        ),
        batch(vec![
            ("operator", text(e.iter().map(|k| k.0.clone()).collect())),
            ("imei", text(e.iter().map(|k| k.1.clone()).collect())),
            ("imsi_p", text(e.iter().map(|k| k.2.clone()).collect())),
        ])?,
        ctx,
    )?;
    Ok(())
}
