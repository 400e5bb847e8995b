//! The decision journal: every conversion of a band between categories of
//! use, kept for the whole life of the table, and the rules a journal must
//! obey (legal direction, effective dates in order, a reference and an
//! authority, spectrum that the table covers).
//!
//! The journal depends only on [`crate::category`]; the table model holds a
//! journal, never the other way round.

use serde::{Deserialize, Serialize};

use crate::category::{Category, is_conversion};

/// A category override of one allocation that a conversion cleared, kept so
/// that the table as of an earlier date restores it exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClearedOverride {
    /// Lower edge of the (converted) band piece holding the allocation, Hz.
    pub band_lower_hz: u64,
    /// Position of the allocation in that band (0-based).
    pub allocation: usize,
    /// The override the allocation had before the decision.
    pub category: Category,
}

/// A formal decision converting spectrum from one category of use to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Reference of the legal act (e.g. `GKS-2024-017`).
    pub reference: String,
    /// Authority that took the decision.
    pub authority: String,
    /// Date from which the decision applies.
    pub effective_date: chrono::NaiveDate,
    /// Lower edge of the converted spectrum, Hz.
    pub lower_hz: u64,
    /// Upper edge of the converted spectrum, Hz (exclusive).
    pub upper_hz: u64,
    /// Category before the decision.
    pub from: Category,
    /// Category after the decision.
    pub to: Category,
    /// Band edges the decision created by splitting bands (so that the
    /// table as of an earlier date can join them again).
    pub split_edges_hz: Vec<u64>,
    /// Allocation category overrides the decision cleared (restored by
    /// `Table::as_of` an earlier date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cleared_overrides: Vec<ClearedOverride>,
}

impl Decision {
    /// True when the decision's spectrum meets `[lower_hz, upper_hz)`.
    pub fn touches(&self, lower_hz: u64, upper_hz: u64) -> bool {
        self.lower_hz < upper_hz && lower_hz < self.upper_hz
    }
}

/// The journal of decisions in the order they were taken.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Journal {
    /// Decisions, oldest first.
    pub decisions: Vec<Decision>,
}

/// A rule of the journal that a decision breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalIssue {
    /// Position of the decision in the journal (0-based).
    pub index: usize,
    /// Lower edge of the decision's spectrum, Hz.
    pub lower_hz: u64,
    /// Upper edge of the decision's spectrum, Hz.
    pub upper_hz: u64,
    /// The field at fault (`from`, `date`, `reference`, `authority`,
    /// `lower`, `split_edges`).
    pub field: &'static str,
    /// What was expected and what was found.
    pub message: String,
}

impl Journal {
    /// Decisions that touch `[lower_hz, upper_hz)`.
    pub fn touching(&self, lower_hz: u64, upper_hz: u64) -> impl Iterator<Item = &Decision> {
        self.decisions
            .iter()
            .filter(move |d| d.touches(lower_hz, upper_hz))
    }

    /// Every rule the journal breaks, in journal order. `uncovered(lo, hi)`
    /// returns the first part of `[lo, hi)` that no band of the table
    /// covers, if any (a decision over spectrum without a band is an error).
    pub fn issues(&self, uncovered: impl Fn(u64, u64) -> Option<(u64, u64)>) -> Vec<JournalIssue> {
        use crate::freq::format_freq_hz as f;
        let mut out = Vec::new();
        let mut previous: Option<chrono::NaiveDate> = None;
        for (index, d) in self.decisions.iter().enumerate() {
            let mut issue = |field: &'static str, message: String| {
                out.push(JournalIssue {
                    index,
                    lower_hz: d.lower_hz,
                    upper_hz: d.upper_hz,
                    field,
                    message,
                });
            };
            if !is_conversion(d.from, d.to) {
                issue(
                    "from",
                    format!(
                        "decision {}: not a conversion: {} → {} (only government → civil, government → joint and joint → civil)",
                        d.reference,
                        d.from.name(),
                        d.to.name()
                    ),
                );
            }
            if let Some(p) = previous
                && d.effective_date < p
            {
                issue(
                    "date",
                    format!(
                        "decision {}: effective dates must not go back in time: expected {p} or later, found {}",
                        d.reference, d.effective_date
                    ),
                );
            }
            previous = Some(previous.map_or(d.effective_date, |p| p.max(d.effective_date)));
            if d.reference.trim().is_empty() {
                issue(
                    "reference",
                    "expected the reference of the legal act, found nothing".into(),
                );
            }
            if d.authority.trim().is_empty() {
                issue(
                    "authority",
                    "expected the authority that took the decision, found nothing".into(),
                );
            }
            if d.lower_hz >= d.upper_hz {
                issue(
                    "lower",
                    format!(
                        "decision {}: expected lower edge < upper edge, found {} – {}",
                        d.reference,
                        f(d.lower_hz),
                        f(d.upper_hz)
                    ),
                );
            } else if let Some((lo, hi)) = uncovered(d.lower_hz, d.upper_hz) {
                issue(
                    "lower",
                    format!(
                        "decision {} applies to {} – {}, which no band of the table covers",
                        d.reference,
                        f(lo),
                        f(hi)
                    ),
                );
            }
            if let Some(&e) = d
                .split_edges_hz
                .iter()
                .find(|&&e| e != d.lower_hz && e != d.upper_hz)
            {
                issue(
                    "split_edges",
                    format!(
                        "decision {}: a split edge must be one of its edges {} or {}, found {}",
                        d.reference,
                        f(d.lower_hz),
                        f(d.upper_hz),
                        f(e)
                    ),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn d(reference: &str, date: &str, from: Category, to: Category, lo: u64, hi: u64) -> Decision {
        Decision {
            reference: reference.into(),
            authority: "Agency".into(),
            effective_date: date.parse().unwrap(),
            lower_hz: lo,
            upper_hz: hi,
            from,
            to,
            split_edges_hz: Vec::new(),
            cleared_overrides: Vec::new(),
        }
    }

    #[test]
    fn each_rule_is_reported_with_its_field() {
        use Category::*;
        let mut bad = d("B", "2020-01-01", Government, Joint, 10, 20);
        bad.split_edges_hz = vec![15];
        let j = Journal {
            decisions: vec![
                d("A", "2021-01-01", Government, Civil, 0, 10),
                d("C", "2021-06-01", Civil, Government, 0, 10),
                bad,
                d(" ", "2022-01-01", Joint, Civil, 50, 200),
            ],
        };
        let uncovered = |lo: u64, hi: u64| (hi > 100).then_some((lo.max(100), hi));
        let issues = j.issues(uncovered);
        let fields: Vec<(usize, &str)> = issues.iter().map(|i| (i.index, i.field)).collect();
        assert_eq!(
            fields,
            vec![
                (1, "from"),
                (2, "date"),
                (2, "split_edges"),
                (3, "reference"),
                (3, "lower")
            ]
        );
        assert!(
            issues[0].message.contains("not a conversion"),
            "{}",
            issues[0].message
        );
        assert!(
            issues[1].message.contains("2021-06-01"),
            "{}",
            issues[1].message
        );
        assert!(
            issues[4].message.contains("100 Hz – 200 Hz"),
            "{}",
            issues[4].message
        );
        let clean = Journal {
            decisions: vec![d("A", "2021-01-01", Government, Civil, 0, 10)],
        };
        assert!(clean.issues(|_, _| None).is_empty());
    }
}
