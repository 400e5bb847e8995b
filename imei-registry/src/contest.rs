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

use duckdb::params;
use serde::Serialize;

use crate::check::{CheckContext, info};
use crate::error::RegistryError;
use crate::identity::format_key;
use crate::store::{Registry, StatusChange, audit_on, now_us, stage_status};
use crate::verdict::{DeviceStatus, ReasonMask};

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

const SELECT: &str = "SELECT id, imei_key, CAST(filed_at AS VARCHAR), filed_by, grounds, \
    contested_verdict, contested_reason, rule_version, state, CAST(decided_at AS VARCHAR), decided_by, \
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
        filed_at: r.get(2)?,
        filed_by: r.get(3)?,
        grounds: r.get(4)?,
        contested_verdict: r.get(5)?,
        contested_reason: r.get(6)?,
        rule_version: r.get(7)?,
        state,
        decided_at: r.get(9)?,
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
        let decision = info(
            &format_key(key),
            CheckContext {
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
        let detail = format!(
            "contest {id} filed for device {key:014} against verdict {} (rules {})",
            decision.verdict.name(),
            decision.rule_version
        );
        audit_on(&tx, &self.actor, "contest_filed", &detail)?;
        tx.commit().map_err(RegistryError::db(ctx))?;
        Ok(Contest {
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
        })
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
    /// index included) in the same transaction that closes the contest.
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
        let (state, chain) = match decision {
            ContestDecision::Uphold { status, reasons } => {
                let source = format!("contest {id}");
                let change = StatusChange {
                    key,
                    status,
                    reasons,
                    source: &source,
                };
                let chain = stage_status(&tx, &self.index, &self.chain, &self.actor, change)?;
                (ContestState::Upheld, Some((chain, status, reasons)))
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
        audit_on(
            &tx,
            &self.actor,
            "contest_decided",
            &format!("contest {id} for device {key:014}: {}", state.name()),
        )?;
        tx.commit().map_err(RegistryError::db(ctx.clone()))?;
        if let Some((chain, status, reasons)) = chain {
            self.chain = chain;
            self.index.upsert(key, status, reasons);
        }
        self.conn
            .query_row(
                &format!("{SELECT} WHERE id = ?"),
                params![id],
                row_to_contest,
            )
            .map_err(RegistryError::db(ctx))
    }
}
