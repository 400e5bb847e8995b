//! Contesting an automated decision.
//!
//! The law makes every automated decision (a device blocked, grey-listed or
//! refused) contestable. A contest records the decision as the rules gave it
//! when the contest was filed: the verdict, its plain-language reason and the
//! rule version. It also records who filed it and on what grounds. It stays
//! `open` until an officer decides it:
//! - **upheld**: the device's status is corrected, with a chained history
//!   entry whose source names the contest, in the same transaction;
//! - **rejected**: the status is left unchanged.
//!
//! Either way the decision, its author and a note are kept, and every step
//! is in the audit log. A decided contest cannot be decided again; a new
//! contest can be filed instead.
//!
//! The `contests` table is the current state; the append-only, hash-chained
//! `contest_events` ([`crate::chain`]) record each filing and decision, and
//! verification checks that every contest equals its events.

use duckdb::{Connection, params};
use imei_core::check::{CheckContext, info};
use imei_core::identity::format_key;
use imei_core::verdict::{DeviceStatus, ReasonMask};
use serde::Serialize;

use crate::chain::{Canonical, Chain, load_tip, store_tip};
use crate::error::RegistryError;
use crate::store::{Registry, StatusChange, audit_on, now_us, stage_status};

/// Where a contest stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContestState {
    /// Filed, not yet decided.
    Open,
    /// Decided in favour of the person contesting: the status was corrected.
    Upheld,
    /// Decided against: the status stands.
    Rejected,
}

impl ContestState {
    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            ContestState::Open => "open",
            ContestState::Upheld => "upheld",
            ContestState::Rejected => "rejected",
        }
    }

    fn parse(s: &str) -> Option<ContestState> {
        match s {
            "open" => Some(ContestState::Open),
            "upheld" => Some(ContestState::Upheld),
            "rejected" => Some(ContestState::Rejected),
            _ => None,
        }
    }
}

/// An officer's decision on a contest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContestDecision {
    /// Correct the device's status to this status and these reasons.
    Uphold {
        /// The corrected status.
        status: DeviceStatus,
        /// The corrected reasons.
        reasons: ReasonMask,
    },
    /// Leave the status as it is.
    Reject,
}

/// One contest as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contest {
    /// Contest number.
    pub id: u64,
    /// The device's 14-digit registry key.
    pub key: String,
    /// When it was filed (UTC).
    pub filed_at: String,
    /// Who filed it (the acting user or service).
    pub filed_by: String,
    /// The grounds given.
    pub grounds: String,
    /// The verdict contested (allowed / grey / blocked).
    pub contested_verdict: String,
    /// The plain-language reason of that verdict.
    pub contested_reason: String,
    /// The rule version that produced it.
    pub rule_version: String,
    /// Where the contest stands.
    pub state: ContestState,
    /// When it was decided (UTC).
    pub decided_at: Option<String>,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// The decision note.
    pub decision: Option<String>,
}

// Times are read as microseconds and printed by [`timestamp_text`], so a
// contest read back equals the one returned when it was written.
const SELECT: &str = "SELECT id, imei_key, epoch_us(filed_at), filed_by, grounds, \
    contested_verdict, contested_reason, rule_version, state, epoch_us(decided_at), decided_by, \
    decision FROM contests";

fn row_to_contest(r: &duckdb::Row<'_>) -> duckdb::Result<Contest> {
    let key: u64 = r.get(1)?;
    let state: String = r.get(8)?;
    let state = ContestState::parse(&state).ok_or_else(|| {
        duckdb::Error::FromSqlConversionFailure(
            8,
            duckdb::types::Type::Text,
            format!("unknown contest state {state:?}; expected open, upheld or rejected").into(),
        )
    })?;
    Ok(Contest {
        id: r.get(0)?,
        key: format_key(key),
        filed_at: timestamp_text(r.get(2)?),
        filed_by: r.get(3)?,
        grounds: r.get(4)?,
        contested_verdict: r.get(5)?,
        contested_reason: r.get(6)?,
        rule_version: r.get(7)?,
        state,
        decided_at: r.get::<_, Option<i64>>(9)?.map(timestamp_text),
        decided_by: r.get(10)?,
        decision: r.get(11)?,
    })
}

/// A stored microsecond timestamp as DuckDB prints a TIMESTAMP.
fn timestamp_text(us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .map_or_else(|| us.to_string(), |t| t.naive_utc().to_string())
}

impl Registry {
    /// Files a contest of the decision the rules give today for `key`, on the
    /// given grounds; returns the contest as recorded.
    pub fn file_contest(&mut self, key: u64, grounds: &str) -> Result<Contest, RegistryError> {
        let grounds = grounds.trim();
        if grounds.is_empty() {
            return Err(RegistryError::Invalid(
                "a contest needs its grounds: expected a non-empty text, found none".into(),
            ));
        }
        if key >= 100_000_000_000_000 {
            return Err(RegistryError::Invalid(format!(
                "expected a 14-digit registry key, found {key}"
            )));
        }
        // The decision as the online verdict gives it today, classification
        // findings included.
        let findings = self.findings(chrono::Utc::now().date_naive())?;
        let decision = info(
            &format_key(key),
            CheckContext {
                findings: Some(&findings),
                index: &self.index,
                tacs: Some(&self.tacs),
            },
        );
        let ctx = format!("filing a contest for {key:014}");
        let filed_at_us = now_us();
        let tx = self
            .conn
            .transaction()
            .map_err(RegistryError::db(ctx.clone()))?;
        let id: u64 = tx
            .query_row(
                "INSERT INTO contests VALUES (nextval('contest_seq'), ?, make_timestamp(?), ?, ?, ?, ?, ?, \
                 'open', NULL, NULL, NULL) RETURNING id",
                params![
                    key,
                    filed_at_us,
                    self.actor,
                    grounds,
                    decision.verdict.name(),
                    decision.reason,
                    decision.rule_version
                ],
                |r| r.get(0),
            )
            .map_err(RegistryError::db(ctx.clone()))?;
        let contest = Contest {
            id,
            key: format_key(key),
            filed_at: timestamp_text(filed_at_us),
            filed_by: self.actor.clone(),
            grounds: grounds.to_string(),
            contested_verdict: decision.verdict.name().to_string(),
            contested_reason: decision.reason,
            rule_version: decision.rule_version,
            state: ContestState::Open,
            decided_at: None,
            decided_by: None,
            decision: None,
        };
        for e in expected_events(&contest, key, filed_at_us, None) {
            append_event(&tx, &e)?;
        }
        let detail = format!(
            "contest {id} filed for device {key:014} against verdict {} (rules {})",
            contest.contested_verdict, contest.rule_version
        );
        audit_on(&tx, &self.actor, "contest_filed", &detail)?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(contest)
    }

    /// Contests, oldest first: of one device (`key`) or all, open ones only
    /// or all. The read is audited.
    pub fn contests(
        &self,
        key: Option<u64>,
        open_only: bool,
    ) -> Result<Vec<Contest>, RegistryError> {
        let ctx = "reading contests";
        let mut sql = format!("{SELECT} WHERE (? IS NULL OR imei_key = ?)");
        if open_only {
            sql.push_str(" AND state = 'open'");
        }
        sql.push_str(" ORDER BY id");
        let mut st = self.conn.prepare(&sql).map_err(RegistryError::db(ctx))?;
        let rows = st
            .query_map(params![key, key], row_to_contest)
            .map_err(RegistryError::db(ctx))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(RegistryError::db(ctx))?;
        let what = key.map_or_else(|| "all devices".to_string(), |k| format!("device {k:014}"));
        self.audit("read", &format!("contests of {what}"))?;
        Ok(rows)
    }

    /// Decides an open contest. Upholding corrects the status (history and
    /// index included) in the same transaction that closes the contest; a
    /// contest of a classification finding upheld also puts the device on
    /// the golden list.
    pub fn decide_contest(
        &mut self,
        id: u64,
        decision: ContestDecision,
        note: &str,
    ) -> Result<Contest, RegistryError> {
        let note = note.trim();
        if note.is_empty() {
            return Err(RegistryError::Invalid(
                "a contest decision needs a note: expected a non-empty text, found none".into(),
            ));
        }
        if let ContestDecision::Uphold { status, reasons } = decision {
            reasons
                .fits(status)
                .map_err(|m| RegistryError::Invalid(format!("upholding contest {id}: {m}")))?;
        }
        let ctx = format!("deciding contest {id}");
        let tx = self
            .conn
            .transaction()
            .map_err(RegistryError::db(ctx.clone()))?;
        // Read and check inside the transaction; the update below is also
        // conditional on the contest still being open.
        let current = match tx.query_row(
            &format!("{SELECT} WHERE id = ?"),
            params![id],
            row_to_contest,
        ) {
            Ok(c) => c,
            Err(duckdb::Error::QueryReturnedNoRows) => {
                return Err(RegistryError::Invalid(format!("no contest number {id}")));
            }
            Err(e) => return Err(RegistryError::db(ctx)(e)),
        };
        if current.state != ContestState::Open {
            return Err(RegistryError::Invalid(format!(
                "contest {id} was already decided ({}) at {}; file a new contest instead",
                current.state.name(),
                current.decided_at.as_deref().unwrap_or("?")
            )));
        }
        let key: u64 = current
            .key
            .parse()
            .map_err(|_| RegistryError::Invalid(format!("contest {id}: bad stored key")))?;
        let (state, corrected) = match decision {
            ContestDecision::Uphold { status, reasons } => {
                let source = format!("contest {id}");
                let change = StatusChange {
                    key,
                    status,
                    reasons,
                    source: &source,
                };
                stage_status(&tx, &self.index, &self.actor, change)?;
                // Upheld against a classification finding: the device goes
                // on the golden list, so no later run blocks it again.
                if current.rule_version.starts_with("conditions-sha256:") {
                    tx.execute("INSERT OR IGNORE INTO golden_list VALUES (?)", params![key])
                        .map_err(RegistryError::db(ctx.clone()))?;
                }
                (ContestState::Upheld, Some((status, reasons)))
            }
            ContestDecision::Reject => (ContestState::Rejected, None),
        };
        let decided_at_us = now_us();
        let changed = tx
            .execute(
                "UPDATE contests SET state = ?, decided_at = make_timestamp(?), decided_by = ?, decision = ? \
                 WHERE id = ? AND state = 'open'",
                params![state.name(), decided_at_us, self.actor, note, id],
            )
            .map_err(RegistryError::db(ctx.clone()))?;
        if changed != 1 {
            return Err(RegistryError::Invalid(format!(
                "contest {id} was decided by someone else meanwhile; nothing was changed"
            )));
        }
        append_event(
            &tx,
            &ContestEvent {
                contest_id: id,
                kind: state.name().to_string(),
                at_us: decided_at_us,
                actor: self.actor.clone(),
                detail: note.to_string(),
            },
        )?;
        audit_on(
            &tx,
            &self.actor,
            "contest_decided",
            &format!("contest {id} for device {key:014}: {}", state.name()),
        )?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        // Nothing after the commit can fail: the decided contest is built
        // from what was written.
        if let Some((status, reasons)) = corrected {
            self.index.upsert(key, status, reasons);
        }
        Ok(Contest {
            state,
            decided_at: Some(timestamp_text(decided_at_us)),
            decided_by: Some(self.actor.clone()),
            decision: Some(note.to_string()),
            ..current
        })
    }
}

/// One contest event as recorded in the `contest_events` chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContestEvent {
    /// The contest.
    pub contest_id: u64,
    /// `filed`, `upheld` or `rejected`.
    pub kind: String,
    /// When, microseconds since 1970 UTC.
    pub at_us: i64,
    /// Who.
    pub actor: String,
    /// For a filing, the filed fields (JSON); for a decision, its note.
    pub detail: String,
}

/// The fields of a filing, as recorded in its event.
#[derive(Serialize)]
struct FiledDetail<'a> {
    imei_key: u64,
    grounds: &'a str,
    contested_verdict: &'a str,
    contested_reason: &'a str,
    rule_version: &'a str,
}

/// The events a contest in this state must have.
pub(crate) fn expected_events(
    c: &Contest,
    key: u64,
    filed_us: i64,
    decided_us: Option<i64>,
) -> Vec<ContestEvent> {
    let filed = FiledDetail {
        imei_key: key,
        grounds: &c.grounds,
        contested_verdict: &c.contested_verdict,
        contested_reason: &c.contested_reason,
        rule_version: &c.rule_version,
    };
    let mut out = vec![ContestEvent {
        contest_id: c.id,
        kind: "filed".to_string(),
        at_us: filed_us,
        actor: c.filed_by.clone(),
        detail: serde_json::to_string(&filed).unwrap_or_default(),
    }];
    if c.state != ContestState::Open {
        out.push(ContestEvent {
            contest_id: c.id,
            kind: c.state.name().to_string(),
            at_us: decided_us.unwrap_or_default(),
            actor: c.decided_by.clone().unwrap_or_default(),
            detail: c.decision.clone().unwrap_or_default(),
        });
    }
    out
}

/// Appends one event to the contest chain (inside the caller's transaction).
fn append_event(conn: &Connection, e: &ContestEvent) -> Result<(), RegistryError> {
    let mut tip = load_tip(conn, Chain::Contests)?;
    let mut buf = Canonical::default();
    buf.u64(tip.seq + 1)
        .u64(e.contest_id)
        .str(&e.kind)
        .i64(e.at_us)
        .str(&e.actor)
        .str(&e.detail);
    let hash = tip.advance(Chain::Contests, &buf);
    conn.execute(
        "INSERT INTO contest_events VALUES (?, ?, ?, make_timestamp(?), ?, ?, ?)",
        params![
            tip.seq,
            e.contest_id,
            e.kind,
            e.at_us,
            e.actor,
            e.detail,
            hash.to_vec()
        ],
    )
    .map_err(RegistryError::db("recording a contest event"))?;
    store_tip(conn, Chain::Contests, &tip)
}

/// Every contest event, in sequence order.
pub(crate) fn read_events(conn: &Connection) -> Result<Vec<ContestEvent>, RegistryError> {
    let ctx = "reading contest events";
    let mut st = conn
        .prepare(
            "SELECT contest_id, kind, epoch_us(event_at), actor, detail FROM contest_events ORDER BY seq",
        )
        .map_err(RegistryError::db(ctx))?;
    st.query_map([], |r| {
        Ok(ContestEvent {
            contest_id: r.get(0)?,
            kind: r.get(1)?,
            at_us: r.get(2)?,
            actor: r.get(3)?,
            detail: r.get(4)?,
        })
    })
    .map_err(RegistryError::db(ctx))?
    .collect::<Result<Vec<_>, _>>()
    .map_err(RegistryError::db(ctx))
}

/// A contest with its key and its filing and decision times in microseconds.
pub(crate) type ContestRow = (Contest, u64, i64, Option<i64>);

/// Every contest with its key and its filing and decision times in
/// microseconds.
pub(crate) fn read_rows(conn: &Connection) -> duckdb::Result<Vec<ContestRow>> {
    let cols = SELECT.trim_end_matches(" FROM contests");
    let mut st = conn.prepare(&format!(
        "{cols}, imei_key, epoch_us(filed_at), epoch_us(decided_at) FROM contests ORDER BY id"
    ))?;
    st.query_map([], |r| {
        Ok((row_to_contest(r)?, r.get(12)?, r.get(13)?, r.get(14)?))
    })?
    .collect()
}
