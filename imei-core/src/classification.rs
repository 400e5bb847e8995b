//! A classification run, as DIRBS runs it: every condition evaluated for
//! every IMEI seen, a safety check on the share each condition matches, and
//! the life of each match — a new match is recorded with its first-matched
//! date and its block date (first match + grace days); a match that still
//! holds keeps both; a match that no longer holds ends, unless its
//! condition is sticky. Pure: the store loads the evidence and the open
//! matches, and records what this returns.
//!
//! ```
//! use std::collections::BTreeMap;
//! use chrono::NaiveDate;
//! use imei_core::classification::{run, Event};
//! use imei_core::conditions::Conditions;
//! use imei_core::dimensions::Listed;
//! let c = Conditions::parse(r#"
//! [[condition]]
//! label = "unregistered"
//! reason = "The device is not registered"
//! grace_days = 30
//! max_matching_share = 1.0
//! [[condition.dimension]]
//! module = "not_registered"
//! "#, "c.toml").unwrap();
//! let date = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
//! let seen = BTreeMap::new();
//! let imeis = vec![("35693803564380".to_string(), Listed::default(), seen)];
//! let out = run(&c, date, &imeis, &BTreeMap::new()).unwrap();
//! assert_eq!(out.decisions[0].event, Event::Matched);
//! assert_eq!(out.decisions[0].block_date.to_string(), "2026-11-30");
//! ```

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::conditions::Conditions;
use crate::dimensions::{Evidence, Listed, Seen, matches};
use crate::error::ImeiError;

/// One IMEI as a run sees it: the IMEI, its lists, and its sightings per
/// window length (days).
pub type Observed = (String, Listed, BTreeMap<u32, Seen>);

/// An open match of one IMEI and one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenMatch {
    /// The run date on which it first matched.
    pub first_matched: NaiveDate,
    /// First match + the condition's grace days.
    pub block_date: NaiveDate,
}

/// What a run did to one (IMEI, condition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// It matches for the first time (or again after an end).
    Matched,
    /// It matched before and still does.
    Continued,
    /// It matched before, no longer does, and the match ends.
    Ended,
    /// It matched before and no longer does, but the condition is sticky.
    Kept,
}

impl Event {
    /// The name recorded.
    pub fn name(self) -> &'static str {
        match self {
            Event::Matched => "matched",
            Event::Continued => "continued",
            Event::Ended => "ended",
            Event::Kept => "kept",
        }
    }
}

/// One decision of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The IMEI as seen.
    pub imei: String,
    /// The condition's label.
    pub condition: String,
    /// What happened.
    pub event: Event,
    /// First-matched date.
    pub first_matched: NaiveDate,
    /// Block date.
    pub block_date: NaiveDate,
    /// Whether the condition blocks.
    pub blocking: bool,
    /// The dimension inputs in words (empty for an end).
    pub inputs: String,
    /// The condition's reason, for a person.
    pub reason: String,
}

/// A run's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// Every decision, by IMEI then condition.
    pub decisions: Vec<Decision>,
    /// IMEIs classified.
    pub imeis: u64,
    /// Per condition: how many IMEIs it matched.
    pub matched: BTreeMap<String, u64>,
}

/// Evaluates `conditions` on `date` for `imeis` (each with its lists and
/// its sightings per window length), given the open matches `open` (by IMEI
/// and condition label). Refused, with nothing decided, when a condition
/// would match more than its `max_matching_share` of the IMEIs.
pub fn run(
    conditions: &Conditions,
    date: NaiveDate,
    imeis: &[Observed],
    open: &BTreeMap<(String, String), OpenMatch>,
) -> Result<RunOutcome, ImeiError> {
    let mut r = Run::new(conditions, date);
    for (imei, listed, seen) in imeis {
        r.observe(imei, *listed, seen);
    }
    r.finish(open)
}

/// A run fed one IMEI at a time ([`Run::observe`]), so that the evidence of
/// all IMEIs is never held at once; [`run`] over a slice is the same.
#[derive(Debug)]
pub struct Run<'a> {
    conditions: &'a Conditions,
    date: NaiveDate,
    now: BTreeMap<(String, String), String>,
    matched: BTreeMap<String, u64>,
    total: u64,
}

impl<'a> Run<'a> {
    /// A run of `conditions` dated `date`, with no IMEI yet.
    pub fn new(conditions: &'a Conditions, date: NaiveDate) -> Self {
        Self {
            conditions,
            date,
            now: BTreeMap::new(),
            matched: conditions
                .conditions
                .iter()
                .map(|c| (c.label.clone(), 0))
                .collect(),
            total: 0,
        }
    }

    /// Evaluates every condition for one IMEI (each IMEI once).
    pub fn observe(&mut self, imei: &str, listed: Listed, seen: &BTreeMap<u32, Seen>) {
        self.total += 1;
        let e = Evidence { imei, listed, seen };
        for c in &self.conditions.conditions {
            if let Some(inputs) = matches(c, &e) {
                self.now.insert((imei.to_string(), c.label.clone()), inputs);
                *self.matched.entry(c.label.clone()).or_default() += 1;
            }
        }
    }

    /// The decisions against the open matches `open`, or the refusal of
    /// the matching-share check.
    pub fn finish(
        self,
        open: &BTreeMap<(String, String), OpenMatch>,
    ) -> Result<RunOutcome, ImeiError> {
        let Run {
            conditions,
            date,
            now,
            matched,
            total,
        } = self;
        decide(conditions, date, total, now, matched, open)
    }
}

fn decide(
    conditions: &Conditions,
    date: NaiveDate,
    total: u64,
    now: BTreeMap<(String, String), String>,
    matched: BTreeMap<String, u64>,
    open: &BTreeMap<(String, String), OpenMatch>,
) -> Result<RunOutcome, ImeiError> {
    for c in &conditions.conditions {
        let n = matched.get(&c.label).copied().unwrap_or(0);
        if total > 0 && n as f64 / total as f64 > c.max_matching_share {
            return Err(ImeiError::Invalid(format!(
                "classification refused, nothing recorded: condition {} would match {n} of {total} IMEIs \
                 ({:.2} %), more than its max_matching_share {:.2} %",
                c.label,
                100.0 * n as f64 / total as f64,
                100.0 * c.max_matching_share
            )));
        }
    }
    let mut decisions = Vec::new();
    let by_label: BTreeMap<&str, &crate::conditions::Condition> = conditions
        .conditions
        .iter()
        .map(|c| (c.label.as_str(), c))
        .collect();
    let mut keys: Vec<&(String, String)> = now.keys().chain(open.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let Some(c) = by_label.get(key.1.as_str()) else {
            // A condition no longer in the file: its open matches end.
            if let Some(o) = open.get(key) {
                decisions.push(Decision {
                    imei: key.0.clone(),
                    condition: key.1.clone(),
                    event: Event::Ended,
                    first_matched: o.first_matched,
                    block_date: o.block_date,
                    blocking: false,
                    inputs: String::new(),
                    reason: "the condition is no longer in force".into(),
                });
            }
            continue;
        };
        let (event, first, block, inputs) = match (open.get(key), now.get(key)) {
            (None, Some(inputs)) => (
                Event::Matched,
                date,
                date + Duration::days(i64::from(c.grace_days)),
                inputs.clone(),
            ),
            (Some(o), Some(inputs)) => (
                Event::Continued,
                o.first_matched,
                o.block_date,
                inputs.clone(),
            ),
            (Some(o), None) if c.sticky => {
                (Event::Kept, o.first_matched, o.block_date, String::new())
            }
            (Some(o), None) => (Event::Ended, o.first_matched, o.block_date, String::new()),
            (None, None) => continue,
        };
        decisions.push(Decision {
            imei: key.0.clone(),
            condition: key.1.clone(),
            event,
            first_matched: first,
            block_date: block,
            blocking: c.blocking,
            inputs,
            reason: c.reason.clone(),
        });
    }
    Ok(RunOutcome {
        decisions,
        imeis: total,
        matched,
    })
}
