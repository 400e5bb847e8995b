//! Operators and their network data in the registry: the declared operators
//! (name, MCC-MNC prefixes), every imported operator data file (its SHA-256,
//! period and safety report), and the network triplets — one row per (IMEI,
//! IMSI pseudonym, MSISDN pseudonym, operator, month) with the day-seen and
//! technology masks, merged by OR when a later file adds days (the monthly
//! triplets of DIRBS). The tables are created with the registry, or when a
//! registry made before them is opened.
//!
//! IMSIs and MSISDNs are stored only as network-monitoring pseudonyms
//! ([`imei_core::purpose`]) under a key the registry never stores: it keeps
//! the key's fingerprint for that purpose, refuses another key for it, and
//! refuses the owner-registration key (one key per purpose). A file that
//! fails a safety check, or was imported before (same SHA-256), changes
//! nothing; an import is one transaction.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, RecordBatch, StringArray, UInt8Array, UInt32Array};
use duckdb::params;
use imei_core::operator_data::{Operator, Period, SafetyReport, Thresholds, check_file};
use imei_core::pseudonym::PseudonymKey;
use imei_core::purpose::{Field, NetworkPseudonyms, Purpose};
use sha2::{Digest, Sha256};

use crate::error::RegistryError;
use crate::staging::with_batch;
use crate::store::{Registry, audit_on, now_us};
use crate::vault_store::{Clear, seal_pairs};

/// The tables of operator data (idempotent; installed by the store).
pub(crate) const OPERATOR_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS operators (
    name VARCHAR PRIMARY KEY, mcc_mnc VARCHAR NOT NULL, added_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS operator_imports (
    sha256 VARCHAR PRIMARY KEY, operator VARCHAR NOT NULL, file VARCHAR NOT NULL, period_from DATE NOT NULL,
    period_to DATE NOT NULL, rows UBIGINT NOT NULL, triplets UBIGINT NOT NULL, report VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS network_triplets (
    imei VARCHAR NOT NULL, imei_class UTINYINT NOT NULL, imsi_p VARCHAR NOT NULL, msisdn_p VARCHAR NOT NULL,
    operator VARCHAR NOT NULL, month UINTEGER NOT NULL, day_mask UINTEGER NOT NULL, rat_mask UTINYINT NOT NULL);
";

/// `meta` key of a purpose's key fingerprint.
pub(crate) fn purpose_meta(p: Purpose) -> String {
    format!("purpose_key.{}", p.name())
}

/// How many recent imports of an operator make its average row count.
const RECENT_IMPORTS: i64 = 30;

/// The outcome of one operator data file's import.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatorImport {
    /// The safety report (every check passed).
    pub report: SafetyReport,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Triplet rows in the file (after aggregation by month).
    pub triplets: u64,
    /// Of those, rows new to the registry (the others added days).
    pub new_triplets: u64,
}

/// SHA-256 of a file, hex, read in 64 KiB blocks.
pub(crate) fn sha256_file(path: &Path) -> Result<String, RegistryError> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| RegistryError::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(|e| RegistryError::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(imei_core::pseudonym::hex(&h.finalize()))
}

impl Registry {
    /// Declares an operator. Refuses a name already declared and a prefix
    /// another operator has.
    pub fn add_operator(&mut self, op: &Operator) -> Result<(), RegistryError> {
        let ctx = "adding an operator";
        let existing = self.operators()?;
        if existing.iter().any(|o| o.name == op.name) {
            return Err(RegistryError::Invalid(format!(
                "operator {}: expected a new name, found it declared already",
                op.name
            )));
        }
        for o in &existing {
            if let Some(p) = op.mcc_mnc.iter().find(|p| {
                o.mcc_mnc
                    .iter()
                    .any(|q| p.starts_with(q.as_str()) || q.starts_with(p.as_str()))
            }) {
                return Err(RegistryError::Invalid(format!(
                    "operator {}: MCC-MNC {p} overlaps operator {}'s {:?}",
                    op.name, o.name, o.mcc_mnc
                )));
            }
        }
        let tx = self.conn.transaction().map_err(RegistryError::db(ctx))?;
        tx.execute(
            "INSERT INTO operators VALUES (?, ?, make_timestamp(?))",
            params![op.name, op.mcc_mnc.join(","), now_us()],
        )
        .map_err(RegistryError::db(ctx))?;
        audit_on(
            &tx,
            &self.actor,
            "add_operator",
            &format!("{} {}", op.name, op.mcc_mnc.join(",")),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))
    }

    /// The declared operators, by name.
    pub fn operators(&self) -> Result<Vec<Operator>, RegistryError> {
        let ctx = "reading the operators";
        let mut st = self
            .conn
            .prepare("SELECT name, mcc_mnc FROM operators ORDER BY name")
            .map_err(RegistryError::db(ctx))?;
        let rows: Vec<(String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(RegistryError::db(ctx))?
            .collect::<Result<_, _>>()
            .map_err(RegistryError::db(ctx))?;
        rows.into_iter()
            .map(|(name, prefixes)| {
                let p: Vec<&str> = prefixes.split(',').collect();
                Operator::new(&name, &p).map_err(RegistryError::from)
            })
            .collect()
    }

    /// Checks `key` for `purpose`: the fingerprint recorded for it, when
    /// there is one, must match, and it must not be another purpose's key
    /// (the owner key's fingerprint is the registry's pseudonym key
    /// fingerprint). Returns whether the fingerprint is yet to be recorded.
    pub(crate) fn check_purpose_key(
        &self,
        purpose: Purpose,
        key: &PseudonymKey,
    ) -> Result<bool, RegistryError> {
        let given = key.fingerprint();
        if purpose != Purpose::OwnerRegistration
            && self.meta(crate::rotate::META_FINGERPRINT)?.as_deref() == Some(given.as_str())
        {
            return Err(RegistryError::Invalid(format!(
                "the {} key is the owner-registration key (fingerprint {given}); each purpose needs its \
                 own key (make one with `spectra registry new-key`)",
                purpose.name()
            )));
        }
        match self.meta(&purpose_meta(purpose))? {
            None => Ok(true),
            Some(stored) if stored == given => Ok(false),
            Some(stored) => Err(RegistryError::KeyMismatch { stored, given }),
        }
    }

    /// Imports one operator data file of `operator` for `period`: checks it
    /// against `limits` (and the operator's average over its recent
    /// imports), pseudonymises IMSIs and MSISDNs under `key` (the
    /// network-monitoring key) and merges its triplets, and seals the clear
    /// IMSI and MSISDN of each pair of its own subscribers (not inbound
    /// roamers) in the identity vault under
    /// `vault` (the vault key, [`crate::vault_store`]), in one transaction.
    /// A file that fails a check is refused whole
    /// ([`imei_core::ImeiError::Refused`], with the figures); a file
    /// imported before is refused by its SHA-256.
    pub fn import_operator_data(
        &mut self,
        operator: &str,
        path: &Path,
        period: Period,
        limits: &Thresholds,
        key: &PseudonymKey,
        vault: &PseudonymKey,
    ) -> Result<OperatorImport, RegistryError> {
        let ctx = format!("importing operator data {}", path.display());
        let op = self
            .operators()?
            .into_iter()
            .find(|o| o.name == operator)
            .ok_or_else(|| {
                RegistryError::Invalid(format!(
                    "operator {operator}: not declared (declare it with `spectra registry add-operator`)"
                ))
            })?;
        let record_key = self.check_purpose_key(Purpose::NetworkMonitoring, key)?;
        if key.fingerprint() == vault.fingerprint() {
            return Err(RegistryError::Invalid(
                "the vault key is the network-monitoring key; the vault needs its own key".into(),
            ));
        }
        self.check_vault_key(vault)?;
        let sha256 = sha256_file(path)?;
        let seen: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM operator_imports WHERE sha256 = ?",
                params![sha256],
                |r| r.get(0),
            )
            .map_err(RegistryError::db(ctx.clone()))?;
        if seen > 0 {
            return Err(RegistryError::Invalid(format!(
                "{}: imported before (SHA-256 {sha256}); nothing changed",
                path.display()
            )));
        }
        let average: Option<f64> = self
            .conn
            .query_row(
                "SELECT avg(rows) FROM (SELECT rows FROM operator_imports WHERE operator = ? \
                 ORDER BY imported_at DESC LIMIT ?)",
                params![operator, RECENT_IMPORTS],
                |r| r.get(0),
            )
            .map_err(RegistryError::db(ctx.clone()))?;
        let checked = check_file(path, &op, period, limits, average)?;
        let pseudonyms = Pseudonymised::of(&checked.triplets, key);
        let pairs: std::collections::BTreeSet<Clear> = checked
            .triplets
            .iter()
            .zip(pseudonyms.imsi.iter().zip(&pseudonyms.msisdn))
            .filter_map(|(t, (imsi_p, msisdn_p))| {
                // Only the operator's own subscribers are ever notified: an
                // inbound roamer's clear values are not kept.
                let imsi = t.imsi.as_deref().filter(|i| op.owns(i))?;
                Some(Clear {
                    imsi_p: imsi_p.clone(),
                    msisdn_p: msisdn_p.clone(),
                    imsi: imsi.to_string(),
                    msisdn: t.msisdn.clone().unwrap_or_default(),
                })
            })
            .collect();
        let batch = triplet_batch(&checked.triplets, &pseudonyms, operator)?;
        drop(pseudonyms);
        let months: Vec<u32> = {
            let mut m: Vec<u32> = checked.triplets.iter().map(|t| t.month).collect();
            m.sort_unstable();
            m.dedup();
            m
        };
        let triplets = checked.triplets.len() as u64;
        let report = checked.report;
        // Only the batch and the pairs stay in memory while DuckDB works.
        drop(checked.triplets);
        let vault_path = self.vault_path();
        let tx = self
            .conn
            .transaction()
            .map_err(RegistryError::db(ctx.clone()))?;
        let sealed = seal_pairs(&tx, &vault_path, vault, operator, &pairs)?;
        drop(pairs);
        if batch.num_rows() == 0 {
            tx.execute_batch(
                "CREATE TEMP TABLE _triplet_staging AS SELECT * FROM network_triplets LIMIT 0",
            )
            .map_err(RegistryError::db(ctx.clone()))?;
        } else {
            with_batch(
                &tx,
                "CREATE TEMP TABLE _triplet_staging AS SELECT * FROM spectra_arrow(?)",
                batch,
                "staging the triplets",
            )?;
        }
        // Merged by hash joins on the operator's rows of the file's months
        // (no index: an index on five text columns would cost more memory
        // than the table at national scale): days and technologies of a
        // triplet already stored are OR-ed in, the others appended.
        let same = "t.imei = s.imei AND t.imsi_p = s.imsi_p AND t.msisdn_p = s.msisdn_p \
                    AND t.operator = s.operator AND t.month = s.month";
        let scope = format!(
            "t.operator = ? AND t.month IN ({})",
            months
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        );
        tx.execute(
            &format!(
                "UPDATE network_triplets t SET day_mask = t.day_mask | s.day_mask, \
                 rat_mask = t.rat_mask | s.rat_mask FROM _triplet_staging s WHERE {scope} AND {same} \
                 AND (t.day_mask | s.day_mask <> t.day_mask OR t.rat_mask | s.rat_mask <> t.rat_mask)"
            ),
            params![operator],
        )
        .map_err(RegistryError::db(ctx.clone()))?;
        let new_triplets = tx
            .execute(
                &format!(
                    "INSERT INTO network_triplets SELECT s.* FROM _triplet_staging s \
                     WHERE NOT EXISTS (SELECT 1 FROM network_triplets t WHERE {scope} AND {same})"
                ),
                params![operator],
            )
            .map_err(RegistryError::db(ctx.clone()))? as u64;
        tx.execute_batch("DROP TABLE _triplet_staging")
            .map_err(RegistryError::db(ctx.clone()))?;
        tx.execute(
            "INSERT INTO operator_imports VALUES (?, ?, ?, ?::DATE, ?::DATE, ?, ?, ?, make_timestamp(?), ?)",
            params![
                sha256,
                operator,
                path.display().to_string(),
                period.from.to_string(),
                period.to.to_string(),
                report.rows,
                triplets,
                report.to_string(),
                now_us(),
                self.actor
            ],
        )
        .map_err(RegistryError::db(ctx.clone()))?;
        if record_key {
            tx.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![purpose_meta(Purpose::NetworkMonitoring), key.fingerprint()],
            )
            .map_err(RegistryError::db(ctx.clone()))?;
        }
        audit_on(
            &tx,
            &self.actor,
            "import_operator_data",
            &format!(
                "{operator} {} sha256 {sha256}: {} rows, {triplets} triplets, {new_triplets} new, \
                 {sealed} subscriber pairs sealed in the vault",
                path.display(),
                report.rows
            ),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(OperatorImport {
            report,
            sha256,
            triplets,
            new_triplets,
        })
    }
}

impl Registry {
    /// The months, operators and day / technology masks an IMEI was seen
    /// with (no subscriber pseudonyms), by operator and month.
    pub fn sightings(&self, imei: &str) -> Result<Vec<(String, u32, u32, u8)>, RegistryError> {
        let ctx = "reading sightings";
        let mut st = self
            .conn
            .prepare(
                "SELECT operator, month, bit_or(day_mask), bit_or(rat_mask) FROM network_triplets \
                 WHERE imei = ? GROUP BY operator, month ORDER BY operator, month",
            )
            .map_err(RegistryError::db(ctx))?;
        st.query_map(params![imei], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .map_err(RegistryError::db(ctx))?
        .collect::<Result<_, _>>()
        .map_err(RegistryError::db(ctx))
    }
}

/// The network-monitoring pseudonyms of a file's triplets, in their order
/// (empty text for a null), computed on every core.
struct Pseudonymised {
    imsi: Vec<String>,
    msisdn: Vec<String>,
}

impl Pseudonymised {
    fn of(triplets: &[imei_core::operator_data::Triplet], key: &PseudonymKey) -> Self {
        use rayon::prelude::*;
        let prepared = NetworkPseudonyms::new(key);
        let field = |f: Field, pick: fn(&imei_core::operator_data::Triplet) -> &Option<String>| {
            triplets
                .par_iter()
                .map_init(
                    || prepared.clone(),
                    |p, t| pick(t).as_deref().map_or_else(String::new, |v| p.of(f, v)),
                )
                .collect::<Vec<String>>()
        };
        Self {
            imsi: field(Field::Imsi, |t| &t.imsi),
            msisdn: field(Field::Msisdn, |t| &t.msisdn),
        }
    }
}

/// The triplets as the staging batch (the columns of `network_triplets`).
fn triplet_batch(
    triplets: &[imei_core::operator_data::Triplet],
    pseudonyms: &Pseudonymised,
    operator: &str,
) -> Result<RecordBatch, RegistryError> {
    let cols: Vec<(&str, Arc<dyn Array>)> = vec![
        (
            "imei",
            Arc::new(StringArray::from_iter_values(
                triplets.iter().map(|t| t.imei.as_str()),
            )),
        ),
        (
            "imei_class",
            Arc::new(UInt8Array::from_iter_values(
                triplets.iter().map(|t| t.imei_class as u8),
            )),
        ),
        (
            "imsi_p",
            Arc::new(StringArray::from_iter_values(pseudonyms.imsi.iter())),
        ),
        (
            "msisdn_p",
            Arc::new(StringArray::from_iter_values(pseudonyms.msisdn.iter())),
        ),
        (
            "operator",
            Arc::new(StringArray::from_iter_values(
                triplets.iter().map(|_| operator),
            )),
        ),
        (
            "month",
            Arc::new(UInt32Array::from_iter_values(
                triplets.iter().map(|t| t.month),
            )),
        ),
        (
            "day_mask",
            Arc::new(UInt32Array::from_iter_values(
                triplets.iter().map(|t| t.day_mask),
            )),
        ),
        (
            "rat_mask",
            Arc::new(UInt8Array::from_iter_values(
                triplets.iter().map(|t| t.rat_mask),
            )),
        ),
    ];
    RecordBatch::try_from_iter(cols).map_err(RegistryError::arrow("building the triplet batch"))
}
