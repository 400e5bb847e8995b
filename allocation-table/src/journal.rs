//! The decision journal: every conversion of a band between categories of
//! use, kept for the whole life of the table, and the table "as of" a date.

use serde::{Deserialize, Serialize};

use crate::model::Category;

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
}

/// The journal of decisions in the order they were taken.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Journal {
    /// Decisions, oldest first.
    pub decisions: Vec<Decision>,
}

impl Journal {
    /// Decisions that touch `[lower_hz, upper_hz)`.
    pub fn touching(&self, lower_hz: u64, upper_hz: u64) -> impl Iterator<Item = &Decision> {
        self.decisions
            .iter()
            .filter(move |d| d.lower_hz < upper_hz && lower_hz < d.upper_hz)
    }
}
