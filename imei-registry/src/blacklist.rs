//! The national block list a classification produces: every IMEI with a
//! blocking match whose block date has passed on the list's date, with the
//! earliest such date and the reasons (joined by `|`), minus the golden
//! list ([`crate::device_lists`]). Each generation is
//! kept in the registry (`list_generations`, `blacklist_entries`), so a
//! later one can be published as a delta against it (`blocked`,
//! `unblocked`, `changed`), refused when the conditions changed in between.
//! The files (CSV and Parquet with provenance) are written atomically, with
//! a manifest holding each file's SHA-256, written last.
//!
//! Each operator's notification and exception lists are written beside it
//! ([`crate::operator_lists`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use chrono::NaiveDate;
use duckdb::params;
use tabular::{BatchSink, Provenance, WriteOptions};

use imei_core::pseudonym::PseudonymKey;

use crate::error::RegistryError;
use crate::operator_lists::store_operator_lists;
use crate::store::{Registry, audit_on, now_us};

/// The tables of list generations (idempotent; installed by the store).
pub(crate) const LISTS_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS list_generations (
    list_id UBIGINT PRIMARY KEY, list_date DATE NOT NULL, run_id UBIGINT NOT NULL, rule_version VARCHAR NOT NULL,
    made_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS blacklist_entries (
    list_id UBIGINT NOT NULL, imei VARCHAR NOT NULL, block_date DATE NOT NULL, reasons VARCHAR NOT NULL,
    PRIMARY KEY (list_id, imei));
";

/// One written file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListFile {
    /// Path.
    pub path: PathBuf,
    /// Data rows.
    pub rows: usize,
    /// SHA-256, hex.
    pub sha256: String,
}

/// A list generation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Lists {
    /// Its number.
    pub list_id: u64,
    /// The classification run it reflects.
    pub run_id: u64,
    /// That run's rule version.
    pub rule_version: String,
    /// IMEIs on the block list.
    pub blocked: usize,
    /// Notification entries over all operators.
    pub notifications: usize,
    /// Exception entries over all operators.
    pub exceptions: usize,
    /// Delta counts against the base (`blocked`, `unblocked`, `changed`).
    pub delta: Option<BTreeMap<String, usize>>,
    /// With a base, each operator delta file's counts by change, by file stem
    /// (`notifications_<op>_delta`, `exceptions_<op>_delta`).
    pub operator_deltas: BTreeMap<String, BTreeMap<String, usize>>,
    /// The files, the manifest last.
    pub files: Vec<ListFile>,
}

type Entry = (NaiveDate, String);

/// Writes `rows` (text columns named `headers`) to `stem.csv` and
/// `stem.parquet` in `dir`, each atomically, with `provenance`.
pub(crate) fn write_table(
    dir: &Path,
    stem: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    provenance: &Provenance,
) -> Result<Vec<ListFile>, RegistryError> {
    let fields: Vec<Field> = headers
        .iter()
        .map(|h| Field::new(*h, DataType::Utf8, false))
        .collect();
    let cols: Vec<Arc<dyn arrow::array::Array>> = (0..headers.len())
        .map(|i| {
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.get(i).map_or("", String::as_str)),
            )) as Arc<dyn arrow::array::Array>
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), cols)
        .map_err(RegistryError::arrow("building a list"))?;
    let mut out = Vec::new();
    for ext in ["csv", "parquet"] {
        let path = dir.join(format!("{stem}.{ext}"));
        tabular::check_output(&path, &[]).map_err(imei_core::ImeiError::from)?;
        let mut sink =
            BatchSink::create(&path, schema.clone(), provenance, &WriteOptions::default())
                .map_err(imei_core::ImeiError::from)?;
        sink.write(&batch).map_err(imei_core::ImeiError::from)?;
        let n = sink.finish().map_err(imei_core::ImeiError::from)?;
        out.push(ListFile {
            sha256: crate::operators::sha256_file(&path)?,
            path,
            rows: n,
        });
    }
    Ok(out)
}

fn blacklist_row(imei: &str, (d, r): &Entry, change: Option<&str>) -> Vec<String> {
    let mut row = vec![imei.to_string(), d.to_string(), r.clone()];
    row.extend(change.map(str::to_string));
    row
}

impl Registry {
    fn blacklist_of(&self, list_id: u64) -> Result<BTreeMap<String, Entry>, RegistryError> {
        let ctx = "reading a list generation";
        let mut st = self
            .conn
            .prepare("SELECT imei, block_date::VARCHAR, reasons FROM blacklist_entries WHERE list_id = ?")
            .map_err(RegistryError::db(ctx))?;
        let rows: Vec<(String, String, String)> = st
            .query_map(params![list_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(RegistryError::db(ctx))?
            .collect::<Result<_, _>>()
            .map_err(RegistryError::db(ctx))?;
        rows.into_iter()
            .map(|(imei, d, reasons)| {
                let d = NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|e| RegistryError::Invalid(format!("stored date {d:?}: {e}")))?;
                Ok((imei, (d, reasons)))
            })
            .collect()
    }

    /// Writes the block list of `date` (from the last classification run)
    /// and every operator's notification and exception lists (clear values
    /// opened under `vault`, the vault key) to `out_dir` (which must exist),
    /// keeps the generation, and with `base` also writes the deltas against
    /// that generation.
    pub fn write_lists(
        &mut self,
        date: NaiveDate,
        out_dir: &Path,
        base: Option<u64>,
        vault: &PseudonymKey,
    ) -> Result<Lists, RegistryError> {
        let ctx = "writing the lists";
        let last: Option<(u64, String)> = match self.conn.query_row(
            "SELECT run_id, rule_version FROM classification_runs ORDER BY run_id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ) {
            Ok(v) => Some(v),
            Err(duckdb::Error::QueryReturnedNoRows) => None,
            Err(e) => return Err(RegistryError::db(ctx)(e)),
        };
        let (run_id, rule_version) = last.ok_or_else(|| {
            RegistryError::Invalid(
                "lists: expected a classification run first (`spectra registry classify`), found none"
                    .into(),
            )
        })?;
        let base_entries = match base {
            None => None,
            Some(b) => {
                let version: String = self
                    .conn
                    .query_row(
                        "SELECT rule_version FROM list_generations WHERE list_id = ?",
                        params![b],
                        |r| r.get(0),
                    )
                    .map_err(|_| {
                        RegistryError::Invalid(format!(
                            "lists: no list generation {b} to compare with"
                        ))
                    })?;
                if version != rule_version {
                    return Err(RegistryError::Invalid(format!(
                        "lists: the conditions changed since generation {b} (rule version {version}, now \
                         {rule_version}); a delta would mix two rule versions — publish full lists"
                    )));
                }
                Some(self.blacklist_of(b)?)
            }
        };
        let mut st = self
            .conn
            .prepare(
                "SELECT imei, min(block_date)::VARCHAR, string_agg(DISTINCT reason, '|' ORDER BY reason) \
                 FROM classification_matches WHERE blocking AND block_date <= ?::DATE GROUP BY imei ORDER BY imei",
            )
            .map_err(RegistryError::db(ctx))?;
        let raw: Vec<(String, String, String)> = st
            .query_map(params![date.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map_err(RegistryError::db(ctx))?
            .collect::<Result<_, _>>()
            .map_err(RegistryError::db(ctx))?;
        let golden = self.listed_sets(date)?.golden;
        let mut now: BTreeMap<String, Entry> = BTreeMap::new();
        for (imei, d, reasons) in raw {
            if imei_core::identity::classify(&imei)
                .key
                .is_some_and(|k| golden.contains(&k))
            {
                continue;
            }
            let d = NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map_err(|e| RegistryError::Invalid(format!("stored date {d:?}: {e}")))?;
            now.insert(imei, (d, reasons));
        }
        let list_id: u64 = self
            .conn
            .query_row(
                "SELECT coalesce(max(list_id), 0) + 1 FROM list_generations",
                [],
                |r| r.get(0),
            )
            .map_err(RegistryError::db(ctx))?;
        let provenance = Provenance::new("spectra registry lists")
            .with("list_id", list_id.to_string())
            .with("list_date", date.to_string())
            .with("classification_run", run_id.to_string())
            .with("rule_version", rule_version.clone());
        let rows: Vec<Vec<String>> = now.iter().map(|(i, e)| blacklist_row(i, e, None)).collect();
        let mut files = write_table(
            out_dir,
            "blacklist",
            &["imei", "block_date", "reasons"],
            &rows,
            &provenance,
        )?;
        let delta = match &base_entries {
            None => None,
            Some(old) => {
                let mut changes: Vec<Vec<String>> = Vec::new();
                for (imei, e) in &now {
                    match old.get(imei) {
                        None => changes.push(blacklist_row(imei, e, Some("blocked"))),
                        Some(o) if o != e => changes.push(blacklist_row(imei, e, Some("changed"))),
                        Some(_) => {}
                    }
                }
                for (imei, e) in old {
                    if !now.contains_key(imei) {
                        changes.push(blacklist_row(imei, e, Some("unblocked")));
                    }
                }
                changes.sort();
                let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                for c in &changes {
                    *counts.entry(c[3].clone()).or_default() += 1;
                }
                files.extend(write_table(
                    out_dir,
                    "blacklist_delta",
                    &["imei", "block_date", "reasons", "change"],
                    &changes,
                    &provenance,
                )?);
                Some(counts)
            }
        };
        let blocked: BTreeSet<String> = now.keys().cloned().collect();
        let op_lists = self.operator_lists(date, &blocked, &golden)?;
        let op_base = match base {
            Some(b) => Some(self.operator_lists_of(b)?),
            None => None,
        };
        let (op_files, operator_deltas) = self.write_operator_lists(
            out_dir,
            &op_lists,
            op_base.as_ref(),
            &blocked,
            vault,
            &provenance,
        )?;
        files.extend(op_files);
        let tx = self.conn.transaction().map_err(RegistryError::db(ctx))?;
        tx.execute(
            "INSERT INTO list_generations VALUES (?, ?::DATE, ?, ?, make_timestamp(?), ?)",
            params![
                list_id,
                date.to_string(),
                run_id,
                rule_version,
                now_us(),
                self.actor
            ],
        )
        .map_err(RegistryError::db(ctx))?;
        crate::staging::with_batch(
            &tx,
            &format!(
                "INSERT INTO blacklist_entries SELECT {list_id}, imei, block_date::DATE, reasons \
                 FROM spectra_arrow(?)"
            ),
            crate::staging::batch(vec![
                ("imei", Arc::new(StringArray::from_iter_values(now.keys()))),
                (
                    "block_date",
                    Arc::new(StringArray::from_iter_values(
                        now.values().map(|(d, _)| d.to_string()),
                    )),
                ),
                (
                    "reasons",
                    Arc::new(StringArray::from_iter_values(now.values().map(|(_, r)| r))),
                ),
            ])?,
            ctx,
        )?;
        store_operator_lists(&tx, list_id, &op_lists)?;
        audit_on(
            &tx,
            &self.actor,
            "lists",
            &format!(
                "generation {list_id} on {date} from run {run_id}: {} blocked, {} notifications, {} exceptions{}",
                now.len(),
                op_lists.notifications.len(),
                op_lists.exceptions.len(),
                base.map_or(String::new(), |b| format!(", delta against {b}"))
            ),
        )?;
        // The manifest last: its presence says every file is complete.
        let manifest = serde_json::json!({
            "list_id": list_id,
            "list_date": date.to_string(),
            "classification_run": run_id,
            "rule_version": rule_version,
            "base": base,
            "files": files.iter().map(|f| serde_json::json!({
                "file": f.path.file_name().map(|n| n.to_string_lossy().to_string()),
                "rows": f.rows,
                "sha256": f.sha256,
            })).collect::<Vec<_>>(),
        });
        let manifest_path = out_dir.join("manifest.json");
        let text = serde_json::to_string_pretty(&manifest)
            .map_err(|e| RegistryError::Invalid(format!("manifest: {e}")))?;
        tabular::write_atomic(&manifest_path, text.as_bytes())
            .map_err(imei_core::ImeiError::from)?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        files.push(ListFile {
            sha256: crate::operators::sha256_file(&manifest_path)?,
            path: manifest_path,
            rows: files.len(),
        });
        Ok(Lists {
            list_id,
            run_id,
            rule_version,
            blocked: now.len(),
            notifications: op_lists.notifications.len(),
            exceptions: op_lists.exceptions.len(),
            delta,
            operator_deltas,
            files,
        })
    }
}
