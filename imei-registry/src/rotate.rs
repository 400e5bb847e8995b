//! The pseudonym key of a registry: checking a caller's key against the
//! fingerprint the registry keeps, and key rotation.
//!
//! The registry never stores the key, only its keyed fingerprint
//! ([`PseudonymKey::fingerprint`], HMAC-SHA256 per RFC 2104 / FIPS 180-4) and
//! the number of key generations, in the `meta` table under
//! [`META_FINGERPRINT`] and [`META_GENERATIONS`].
//!
//! **Rotation.** Owner IDs are never held in clear, so a new key cannot be
//! applied to them. A rotation instead extends the key into a chain
//! (`old generations ‖ new generation`, see [`imei_core::pseudonym`]) and, in
//! one DuckDB transaction, replaces every stored pseudonym `P` by
//! `p1:` + hex(HMAC-SHA256(new generation, rotate domain ‖ `P`)), records the
//! new fingerprint and writes an audit entry; any failure rolls all of it
//! back. Pseudonymising an owner ID with the whole chain gives the rotated
//! pseudonym, so later imports keep linking an owner's devices; the old key
//! alone no longer matches the fingerprint and is refused
//! ([`RegistryError::KeyMismatch`]). Statuses, reasons and the history are
//! untouched, so every verdict stays the same. A registry that has no
//! fingerprint yet (no import with a key so far) takes the given old key as
//! its key.

use std::sync::Arc;

use arrow::array::{Array, AsArray, RecordBatch, StringArray};
use duckdb::{Connection, params};

use crate::error::RegistryError;
use crate::store::{Registry, audit_on};
use imei_core::pseudonym::{FINGERPRINT_PREFIX, PseudonymKey};

/// `meta` key of the pseudonym key's fingerprint.
pub const META_FINGERPRINT: &str = "pseudonym_key_fingerprint";

/// `meta` key of the number of key generations (1 + rotations).
pub const META_GENERATIONS: &str = "pseudonym_key_generations";

/// Pseudonyms per page: the rotation holds at most this many in memory
/// (the distinct pseudonyms themselves stay in DuckDB).
const MAP_BATCH: usize = 50_000;

/// What a key rotation did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RotateSummary {
    /// Devices whose owner pseudonym was replaced.
    pub devices: u64,
    /// Distinct pseudonyms replaced.
    pub pseudonyms: u64,
    /// Fingerprint before the rotation.
    pub old_fingerprint: String,
    /// Fingerprint after the rotation.
    pub new_fingerprint: String,
    /// Key generations after the rotation.
    pub generations: usize,
}

/// Records a key's fingerprint and generation count in `meta` (inside the
/// caller's transaction), replacing any earlier values.
pub(crate) fn record_key(conn: &Connection, key: &PseudonymKey) -> Result<(), RegistryError> {
    conn.execute(
        "INSERT INTO meta VALUES (?, ?), (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![
            META_FINGERPRINT,
            key.fingerprint(),
            META_GENERATIONS,
            key.generations().to_string()
        ],
    )
    .map_err(RegistryError::db("recording the pseudonym key fingerprint"))?;
    Ok(())
}

impl Registry {
    /// Checks a key (chain) against the registry's stored fingerprint.
    /// Returns `true` when the registry has none yet (the caller records it
    /// with its first write), `false` when it matches; a different key —
    /// including the key as it was before a rotation — is refused with
    /// [`RegistryError::KeyMismatch`].
    pub fn check_pseudonym_key(&self, key: &PseudonymKey) -> Result<bool, RegistryError> {
        let given = key.fingerprint();
        match self.meta(META_FINGERPRINT)? {
            None => Ok(true),
            Some(stored) if stored == given => Ok(false),
            Some(stored) if !stored.starts_with(FINGERPRINT_PREFIX) => {
                Err(RegistryError::Invalid(format!(
                    "the registry's pseudonym key fingerprint {stored:?} is of the old, unkeyed \
                     format (expected `{FINGERPRINT_PREFIX}…`): its pseudonyms were made with a \
                     key of the old format, which is no longer accepted; rebuild the registry \
                     from the source lists with a new key (`spectra registry new-key`)"
                )))
            }
            Some(stored) => {
                let generations = self.meta(META_GENERATIONS)?;
                match generations {
                    Some(g) if g != key.generations().to_string() => {
                        Err(RegistryError::KeyMismatch {
                            stored: format!("{stored} ({g} generation(s))"),
                            given: format!("{given} ({} generation(s))", key.generations()),
                        })
                    }
                    _ => Err(RegistryError::KeyMismatch { stored, given }),
                }
            }
        }
    }

    /// Rotates the pseudonym key from `old` to `new` (which must extend `old`
    /// by at least one generation: [`PseudonymKey::rotated`]): every stored
    /// owner pseudonym is carried forward under the new generation(s), in one
    /// transaction with the new fingerprint and an audit entry. Nothing
    /// changes on any error; a stored owner pseudonym that is not of the
    /// pseudonym format stops the rotation.
    pub fn rotate_pseudonym_key(
        &mut self,
        old: &PseudonymKey,
        new: &PseudonymKey,
    ) -> Result<RotateSummary, RegistryError> {
        if !new.extends(old) {
            return Err(RegistryError::Invalid(
                "the new pseudonym key must be the old key chain followed by at least one new \
                 generation"
                    .into(),
            ));
        }
        self.check_pseudonym_key(old)?;
        let ctx = "rotating the pseudonym key";
        let (expected, bad): (i64, i64) = self
            .conn
            .query_row(
                "SELECT count(owner_pseudonym), \
                 count(owner_pseudonym) FILTER (WHERE NOT regexp_full_match(owner_pseudonym, 'p1:[0-9a-f]{64}')) \
                 FROM devices",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(RegistryError::db(ctx))?;
        if bad > 0 {
            return Err(RegistryError::Invalid(format!(
                "{ctx}: expected every stored owner pseudonym to be `p1:` + 64 lowercase hex \
                 digits, found {bad} other value(s); nothing was changed"
            )));
        }
        let actor = self.actor().to_string();
        let tx = self.conn.transaction().map_err(RegistryError::db(ctx))?;
        // Registering the Arrow scan again on the same connection is refused
        // by DuckDB and harmless (see the import).
        let _ = tx.register_table_function::<duckdb::vtab::arrow::ArrowVTab>("spectra_arrow");
        // The distinct pseudonyms, numbered, stay in DuckDB; Rust holds one
        // page of them at a time, so memory is bounded whatever the registry.
        tx.execute_batch(
            "CREATE TABLE _rotate_old AS SELECT row_number() OVER () AS n, old \
             FROM (SELECT DISTINCT owner_pseudonym AS old FROM devices WHERE owner_pseudonym IS NOT NULL); \
             CREATE TABLE _rotate_map (old VARCHAR PRIMARY KEY, new VARCHAR NOT NULL);",
        )
        .map_err(RegistryError::db(ctx))?;
        let distinct: i64 = tx
            .query_row("SELECT count(*) FROM _rotate_old", [], |r| r.get(0))
            .map_err(RegistryError::db(ctx))?;
        let mut first = 1i64;
        while first <= distinct {
            let last = first + MAP_BATCH as i64 - 1;
            let olds = page(&tx, first, last)?;
            let mut news = Vec::with_capacity(olds.len());
            for p in &olds {
                news.push(
                    new.forward(p, old.generations())
                        .map_err(|e| RegistryError::Invalid(format!("{ctx}: {e}")))?,
                );
            }
            let batch = RecordBatch::try_from_iter(vec![
                (
                    "old",
                    Arc::new(StringArray::from_iter_values(olds.iter())) as Arc<dyn Array>,
                ),
                ("new", Arc::new(StringArray::from_iter_values(news.iter()))),
            ])
            .map_err(RegistryError::arrow("building the pseudonym map"))?;
            let s = arrow::array::StructArray::from(batch);
            let reg = duckdb::vtab::ArrowBatchRegistration::from_array_data(s.to_data())
                .map_err(RegistryError::arrow("registering the pseudonym map"))?;
            tx.execute(
                "INSERT INTO _rotate_map SELECT * FROM spectra_arrow(?)",
                [&reg],
            )
            .map_err(RegistryError::db(ctx))?;
            first = last + 1;
        }
        let updated = tx
            .execute(
                "UPDATE devices SET owner_pseudonym = m.new FROM _rotate_map m \
                 WHERE devices.owner_pseudonym = m.old",
                [],
            )
            .map_err(RegistryError::db(ctx))?;
        if updated as i64 != expected {
            // Dropping `tx` rolls everything back.
            return Err(RegistryError::Invalid(format!(
                "{ctx}: expected to replace {expected} owner pseudonyms, replaced {updated}; \
                 nothing was changed"
            )));
        }
        tx.execute_batch("DROP TABLE _rotate_old")
            .map_err(RegistryError::db(ctx))?;
        tx.execute_batch("DROP TABLE _rotate_map")
            .map_err(RegistryError::db(ctx))?;
        let old_fingerprint = old.fingerprint();
        let new_fingerprint = new.fingerprint();
        record_key(&tx, new)?;
        audit_on(
            &tx,
            &actor,
            "rotate_pseudonym_key",
            &format!(
                "{updated} devices, {distinct} distinct pseudonyms carried to key generation {}; \
                 fingerprint {old_fingerprint} -> {new_fingerprint}",
                new.generations()
            ),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(RotateSummary {
            devices: updated as u64,
            pseudonyms: distinct.max(0) as u64,
            old_fingerprint,
            new_fingerprint,
            generations: new.generations(),
        })
    }
}

/// The pseudonyms numbered `first..=last` in `_rotate_old`.
fn page(conn: &Connection, first: i64, last: i64) -> Result<Vec<String>, RegistryError> {
    let ctx = "reading the owner pseudonyms";
    let mut st = conn
        .prepare("SELECT old FROM _rotate_old WHERE n BETWEEN ? AND ? ORDER BY n")
        .map_err(RegistryError::db(ctx))?;
    let batches: Vec<RecordBatch> = st
        .query_arrow(params![first, last])
        .map_err(RegistryError::db(ctx))?
        .collect();
    let mut out = Vec::new();
    for b in &batches {
        let col = arrow::compute::cast(b.column(0), &arrow::datatypes::DataType::Utf8)
            .map_err(RegistryError::arrow(ctx))?;
        let Some(s) = col.as_string_opt::<i32>() else {
            return Err(RegistryError::Invalid(format!(
                "{ctx}: expected a text column, found {}",
                col.data_type()
            )));
        };
        out.extend(s.iter().flatten().map(str::to_string));
    }
    Ok(out)
}
