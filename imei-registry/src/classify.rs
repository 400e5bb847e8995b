//! Classification runs in the registry: the evidence for every IMEI seen in
//! the operators' network data (sightings per window from
//! `network_triplets`, registration from the devices, TAC from the TAC
//! table), the run itself ([`imei_core::classification`]), and its record —
//! the run (date, rule version = the conditions file's SHA-256, the file
//! itself), every decision appended to `classification_decisions` with its
//! inputs and reason, and the open matches in `classification_matches` —
//! in one transaction. A run dated before the last one is refused, and so
//! is one in which a condition matches more than its share of the IMEIs
//! (nothing is recorded).
//!
//! Stolen reports standing on the date and barred TACs come from
//! [`crate::device_lists`]. [`Registry::findings`] gives the online verdict
//! the open blocking matches. Each run's decisions are hashed and the digest
//! written into the hash-chained audit log, so `spectra registry verify`
//! detects any later change to them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use arrow::array::{Array, BooleanArray, StringArray, UInt32Array};
use chrono::NaiveDate;
use duckdb::params;
use imei_core::classification::{OpenMatch, Run, RunOutcome};
use imei_core::conditions::{Conditions, Module};
use imei_core::dimensions::{Listed, Window};
use imei_core::findings::{Findings, OpenFinding};
use imei_core::identity::{classify, tac_of};
use imei_core::sightings::Sightings;

use crate::error::RegistryError;
use crate::staging::{batch, with_batch};
use crate::store::{Registry, audit_on, now_us};

/// The tables of classification runs (idempotent; installed by the store).
pub(crate) const CLASSIFY_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS classification_runs (
    run_id UBIGINT PRIMARY KEY, run_date DATE NOT NULL, rule_version VARCHAR NOT NULL, conditions VARCHAR NOT NULL,
    imeis UBIGINT NOT NULL, summary VARCHAR NOT NULL, ran_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS classification_matches (
    imei VARCHAR NOT NULL, condition VARCHAR NOT NULL, first_matched DATE NOT NULL, block_date DATE NOT NULL,
    blocking BOOLEAN NOT NULL, inputs VARCHAR NOT NULL, reason VARCHAR NOT NULL, run_id UBIGINT NOT NULL,
    PRIMARY KEY (imei, condition));
CREATE TABLE IF NOT EXISTS classification_decisions (
    run_id UBIGINT NOT NULL, imei VARCHAR NOT NULL, condition VARCHAR NOT NULL, event VARCHAR NOT NULL,
    first_matched DATE NOT NULL, block_date DATE NOT NULL, blocking BOOLEAN NOT NULL, inputs VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, rule_version VARCHAR NOT NULL);
";

/// Window of the IMEIs a run classifies when no condition names one, days.
const DEFAULT_LOOKBACK_DAYS: u32 = 30;

/// A recorded run.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassifyRun {
    /// Its number.
    pub run_id: u64,
    /// The rule version (SHA-256 of the conditions file).
    pub rule_version: String,
    /// What it decided.
    pub outcome: RunOutcome,
}

/// An open match as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMatch {
    /// The IMEI.
    pub imei: String,
    /// The condition.
    pub condition: String,
    /// First-matched date.
    pub first_matched: NaiveDate,
    /// Block date.
    pub block_date: NaiveDate,
    /// Whether the condition blocks.
    pub blocking: bool,
    /// Inputs in words.
    pub inputs: String,
    /// Reason for a person.
    pub reason: String,
    /// The run that last decided it.
    pub run_id: u64,
}

/// A row of `classification_matches` as read (dates as text).
type MatchRow = (String, String, String, String, bool, String, String, u64);

fn date_of(text: &str) -> Result<NaiveDate, RegistryError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| RegistryError::Invalid(format!("a stored date {text:?}: {e}")))
}

impl Registry {
    /// The open matches (by IMEI and condition).
    pub fn open_matches(&self) -> Result<Vec<StoredMatch>, RegistryError> {
        let ctx = "reading the open matches";
        let mut st = self
            .conn
            .prepare(
                "SELECT imei, condition, first_matched::VARCHAR, block_date::VARCHAR, blocking, inputs, reason, \
                 run_id FROM classification_matches ORDER BY imei, condition",
            )
            .map_err(RegistryError::db(ctx))?;
        let rows: Vec<MatchRow> = st
            .query_map([], |r| {
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
            })
            .map_err(RegistryError::db(ctx))?
            .collect::<Result<_, _>>()
            .map_err(RegistryError::db(ctx))?;
        rows.into_iter()
            .map(
                |(imei, condition, f, b, blocking, inputs, reason, run_id)| {
                    Ok(StoredMatch {
                        imei,
                        condition,
                        first_matched: date_of(&f)?,
                        block_date: date_of(&b)?,
                        blocking,
                        inputs,
                        reason,
                        run_id,
                    })
                },
            )
            .collect()
    }

    /// Feeds `run` the evidence of every IMEI seen in the network data in
    /// the run's windows: its lists and its sightings per window length.
    /// The rows are read as Arrow batches into compact [`Sightings`] and
    /// grouped by IMEI, so no map per IMEI is ever built.
    fn observe_all(
        &self,
        conditions: &Conditions,
        date: NaiveDate,
        run: &mut Run<'_>,
    ) -> Result<(), RegistryError> {
        let ctx = "reading the network data";
        let mut lengths: BTreeSet<u32> = conditions
            .conditions
            .iter()
            .flat_map(|c| &c.dimensions)
            .filter(|d| matches!(d.module, Module::Duplicate | Module::DuplicateDailyAvg))
            .map(|d| d.period_days)
            .collect();
        let lookback = lengths
            .iter()
            .copied()
            .max()
            .unwrap_or(DEFAULT_LOOKBACK_DAYS);
        lengths.insert(lookback);
        let windows: Vec<(u32, Window)> =
            lengths.iter().map(|&l| (l, Window::new(date, l))).collect();
        // The longest window (the last: lengths are in order).
        let Some((_, whole)) = windows.last() else {
            return Ok(());
        };
        // Only rows with a day inside the longest window are read.
        let inside: Vec<String> = whole
            .months()
            .map(|m| {
                format!(
                    "(month = {m} AND day_mask & {} <> 0)",
                    whole.clip(m, u32::MAX)
                )
            })
            .collect();
        let sql = format!(
            "SELECT imei, imsi_p, month, day_mask FROM network_triplets WHERE {}",
            inside.join(" OR ")
        );
        let mut st = self.conn.prepare(&sql).map_err(RegistryError::db(ctx))?;
        let mut sightings = Sightings::default();
        for batch in st.query_arrow([]).map_err(RegistryError::db(ctx))? {
            let text = |i: usize| batch.column(i).as_any().downcast_ref::<StringArray>();
            let int = |i: usize| batch.column(i).as_any().downcast_ref::<UInt32Array>();
            let (Some(imeis), Some(imsis), Some(months), Some(masks)) =
                (text(0), text(1), int(2), int(3))
            else {
                return Err(RegistryError::Invalid(
                    "network_triplets: expected text IMEIs and IMSIs and integer months and masks"
                        .into(),
                ));
            };
            for r in 0..batch.num_rows() {
                sightings.add(
                    imeis.value(r),
                    imsis.value(r),
                    months.value(r),
                    masks.value(r),
                );
            }
        }
        let sets = self.listed_sets(date)?;
        sightings.for_each_imei(&windows, |imei, per| {
            if per.get(&lookback).is_none_or(|s| s.days_seen() == 0) {
                return;
            }
            let key = classify(imei).key;
            let listed = Listed {
                registered: key.is_some_and(|k| self.index.get(k).is_some()),
                tac_known: key.is_some_and(|k| self.tacs.get(tac_of(k)).is_some()),
                stolen: key.is_some_and(|k| sets.stolen.contains(&k)),
                tac_barred: key.is_some_and(|k| sets.barred.contains(&tac_of(k))),
            };
            run.observe(imei, listed, per);
        });
        Ok(())
    }

    /// Classifies every IMEI seen up to `date` under `conditions` (the
    /// file's text and its name for errors) and records the run.
    pub fn classify(
        &mut self,
        conditions_text: &str,
        conditions_file: &str,
        date: NaiveDate,
    ) -> Result<ClassifyRun, RegistryError> {
        let ctx = "recording a classification run";
        let conditions = Conditions::parse(conditions_text, conditions_file)?;
        let last: Option<String> = self
            .conn
            .query_row(
                "SELECT max(run_date)::VARCHAR FROM classification_runs",
                [],
                |r| r.get(0),
            )
            .map_err(RegistryError::db(ctx))?;
        if let Some(last) = last {
            let last = date_of(&last)?;
            if date < last {
                return Err(RegistryError::Invalid(format!(
                    "classification date {date}: expected on or after the last run's {last}"
                )));
            }
        }
        let open: BTreeMap<(String, String), OpenMatch> = self
            .open_matches()?
            .into_iter()
            .map(|m| {
                (
                    (m.imei, m.condition),
                    OpenMatch {
                        first_matched: m.first_matched,
                        block_date: m.block_date,
                    },
                )
            })
            .collect();
        let mut pending = Run::new(&conditions, date);
        self.observe_all(&conditions, date, &mut pending)?;
        let outcome = pending.finish(&open)?;
        let run_id: u64 = self
            .conn
            .query_row(
                "SELECT coalesce(max(run_id), 0) + 1 FROM classification_runs",
                [],
                |r| r.get(0),
            )
            .map_err(RegistryError::db(ctx))?;
        let summary = outcome
            .matched
            .iter()
            .map(|(c, n)| format!("{c}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let tx = self.conn.transaction().map_err(RegistryError::db(ctx))?;
        tx.execute(
            "INSERT INTO classification_runs VALUES (?, ?::DATE, ?, ?, ?, ?, make_timestamp(?), ?)",
            params![
                run_id,
                date.to_string(),
                conditions.sha256,
                conditions_text,
                outcome.imeis,
                summary,
                now_us(),
                self.actor
            ],
        )
        .map_err(RegistryError::db(ctx))?;
        // Every decision in one batch: appended, then the open matches
        // upserted or ended from it.
        let ds = &outcome.decisions;
        let text = |f: &dyn Fn(&imei_core::classification::Decision) -> String| -> Arc<dyn Array> {
            Arc::new(StringArray::from_iter_values(ds.iter().map(f)))
        };
        let decisions = batch(vec![
            ("imei", text(&|d| d.imei.clone())),
            ("condition", text(&|d| d.condition.clone())),
            ("event", text(&|d| d.event.name().to_string())),
            ("first_matched", text(&|d| d.first_matched.to_string())),
            ("block_date", text(&|d| d.block_date.to_string())),
            (
                "blocking",
                Arc::new(BooleanArray::from_iter(ds.iter().map(|d| Some(d.blocking)))),
            ),
            ("inputs", text(&|d| d.inputs.clone())),
            ("reason", text(&|d| d.reason.clone())),
        ])?;
        if with_batch(
            &tx,
            "CREATE TEMP TABLE _decisions AS SELECT * FROM spectra_arrow(?)",
            decisions,
            ctx,
        )? > 0
        {
            tx.execute(
                "INSERT INTO classification_decisions SELECT ?, imei, condition, event, first_matched::DATE, \
                 block_date::DATE, blocking, inputs, reason, ? FROM _decisions",
                params![run_id, conditions.sha256],
            )
            .map_err(RegistryError::db(ctx))?;
            tx.execute(
                "INSERT INTO classification_matches SELECT imei, condition, first_matched::DATE, \
                 block_date::DATE, blocking, inputs, reason, ? FROM _decisions \
                 WHERE event IN ('matched', 'continued') \
                 ON CONFLICT (imei, condition) DO UPDATE SET inputs = excluded.inputs, \
                 run_id = excluded.run_id, blocking = excluded.blocking, reason = excluded.reason",
                params![run_id],
            )
            .map_err(RegistryError::db(ctx))?;
            tx.execute_batch(
                "DELETE FROM classification_matches m USING _decisions d \
                 WHERE d.event = 'ended' AND m.imei = d.imei AND m.condition = d.condition; \
                 DROP TABLE _decisions;",
            )
            .map_err(RegistryError::db(ctx))?;
        }
        let (n, digest) = decisions_digest(&tx, run_id)?;
        audit_on(
            &tx,
            &self.actor,
            "classification_decisions",
            &digest_note(run_id, n, &digest),
        )?;
        audit_on(
            &tx,
            &self.actor,
            "classify",
            &format!(
                "run {run_id} on {date}, rule version {}: {} IMEIs; {summary}",
                conditions.sha256, outcome.imeis
            ),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(ClassifyRun {
            run_id,
            rule_version: conditions.sha256,
            outcome,
        })
    }
}

impl Registry {
    /// The open blocking matches folded per IMEI ([`OpenFinding`]: the
    /// earliest block date, the reasons, the latest run) and the rule
    /// version of the last run — what the findings of any date are made of
    /// ([`imei_core::findings`]); golden IMEIs (on `date`) and malformed
    /// ones (blocked anyway) left out.
    pub fn open_findings(
        &self,
        date: NaiveDate,
    ) -> Result<(Vec<OpenFinding>, String), RegistryError> {
        let ctx = "reading the classification findings";
        let mut st = self
            .conn
            .prepare(
                "SELECT m.imei, min(m.block_date)::VARCHAR, string_agg(DISTINCT m.reason, '; ' ORDER BY m.reason), \
                 max(m.run_id), (SELECT rule_version FROM classification_runs ORDER BY run_id DESC LIMIT 1) \
                 FROM classification_matches m WHERE m.blocking GROUP BY m.imei",
            )
            .map_err(RegistryError::db(ctx))?;
        type Row = (String, String, String, u64, String);
        let rows: Vec<Row> = st
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .map_err(RegistryError::db(ctx))?
            .collect::<Result<_, _>>()
            .map_err(RegistryError::db(ctx))?;
        let golden = self.listed_sets(date)?.golden;
        let mut open = Vec::with_capacity(rows.len());
        let mut rule_version = String::new();
        for (imei, block, reasons, run_id, version) in rows {
            let Some(key) = classify(&imei).key.filter(|k| !golden.contains(k)) else {
                continue;
            };
            let block_date = NaiveDate::parse_from_str(&block, "%Y-%m-%d")
                .map_err(|e| RegistryError::Invalid(format!("stored date {block:?}: {e}")))?;
            rule_version = format!("conditions-sha256:{version}");
            open.push(OpenFinding {
                key,
                block_date,
                reasons,
                run_id,
            });
        }
        Ok((open, rule_version))
    }

    /// The classification findings for the online verdict on `date`: every
    /// IMEI with an open blocking match, grey before its block date and
    /// blocked from it ([`OpenFinding::on`]), with the reasons, the run and
    /// the rule version; golden IMEIs have none.
    pub fn findings(&self, date: NaiveDate) -> Result<Findings, RegistryError> {
        let (open, rule_version) = self.open_findings(date)?;
        Ok(Findings::on(&open, date, &rule_version))
    }
}

/// The number of decisions of run `run_id` and the SHA-256 of their
/// canonical encoding ([`crate::chain::Canonical`], every stored field, in
/// (IMEI, condition) order), as read back from `classification_decisions`.
/// A run's digest is written into the hash-chained audit log when the run is
/// recorded, so altering, adding or removing a decision afterwards is
/// detected by [`Registry::verify`].
pub(crate) fn decisions_digest(
    conn: &duckdb::Connection,
    run_id: u64,
) -> Result<(u64, String), RegistryError> {
    use sha2::{Digest, Sha256};
    let ctx = "hashing a run's decisions";
    let mut st = conn
        .prepare(
            "SELECT imei, condition, event, first_matched::VARCHAR, block_date::VARCHAR, blocking, inputs, \
             reason, rule_version FROM classification_decisions WHERE run_id = ? ORDER BY imei, condition",
        )
        .map_err(RegistryError::db(ctx))?;
    let mut rows = st.query(params![run_id]).map_err(RegistryError::db(ctx))?;
    let mut h = Sha256::new();
    h.update(b"spectra/registry/classification_decisions/v1\0");
    h.update(run_id.to_be_bytes());
    let mut buf = crate::chain::Canonical::default();
    let mut n = 0u64;
    while let Some(r) = rows.next().map_err(RegistryError::db(ctx))? {
        buf.clear();
        for i in [0usize, 1, 2, 3, 4] {
            buf.str(&r.get::<_, String>(i).map_err(RegistryError::db(ctx))?);
        }
        buf.u64(u64::from(
            r.get::<_, bool>(5).map_err(RegistryError::db(ctx))?,
        ));
        for i in [6usize, 7, 8] {
            buf.str(&r.get::<_, String>(i).map_err(RegistryError::db(ctx))?);
        }
        h.update(buf.bytes());
        n += 1;
    }
    Ok((n, imei_core::pseudonym::hex(&h.finalize())))
}

/// The audit-log text that records run `run_id`'s decisions digest.
pub(crate) fn digest_note(run_id: u64, n: u64, digest: &str) -> String {
    format!("run {run_id}: {n} decisions, sha256 {digest}")
}

impl Registry {
    /// Checks every classification run's decisions against the digest its
    /// audit entry recorded (the audit chain itself is verified by
    /// [`Registry::verify`]); returns the runs checked.
    pub(crate) fn verify_decisions(&self) -> Result<u64, RegistryError> {
        let ctx = "verifying the classification decisions";
        let runs: Vec<u64> = {
            let mut st = self
                .conn
                .prepare("SELECT run_id FROM classification_runs ORDER BY run_id")
                .map_err(RegistryError::db(ctx))?;
            st.query_map([], |r| r.get(0))
                .map_err(RegistryError::db(ctx))?
                .collect::<Result<_, _>>()
                .map_err(RegistryError::db(ctx))?
        };
        for &run_id in &runs {
            let (n, digest) = decisions_digest(&self.conn, run_id)?;
            let note = digest_note(run_id, n, &digest);
            let recorded: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) FROM audit_log WHERE action = 'classification_decisions' AND detail = ?",
                    params![note],
                    |r| r.get(0),
                )
                .map_err(RegistryError::db(ctx))?;
            if recorded != 1 {
                return Err(RegistryError::Tampered {
                    chain: "classification_decisions".into(),
                    seq: run_id,
                    detail: format!(
                        "the decisions of run {run_id} ({n} now, SHA-256 {digest}) are not those its audit \
                         entry recorded: decisions were altered, added or removed"
                    ),
                });
            }
        }
        Ok(runs.len() as u64)
    }
}
