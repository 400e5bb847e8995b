//! The one publication filter: what an audience may see of a table.
//!
//! [`view`] is the only way to build a [`Publication`], and every publisher
//! of the crate takes a `Publication`, never a bare [`Table`]: the CSV, JSON
//! and Parquet exports ([`crate::export`]; Parquet rows *and* key-value
//! metadata), the native export and the chart (PNG and SVG,
//! [`crate::chart`]), all written through the one sink [`crate::sink`]; and
//! the reports of the `spectra table` queries, diff and history
//! ([`crate::request`]).
//!
//! For the [`Audience::Open`] audience (the default) the view withholds:
//! - every restricted band (its rows, edges, allocations and their category
//!   overrides, applications);
//! - every decision of the journal whose spectrum touches a restricted band,
//!   even partly, or which cleared an override inside one (so its reference,
//!   authority, edges and split edges are gone too);
//! - every footnote cited only by restricted bands or their allocations.
//!
//! Rows are numbered within the view, so the numbering has no gap where a
//! band was withheld. What the view cannot hide: the spectrum of a withheld
//! band shows as a hole between published bands. [`Audience::Internal`]
//! publishes the table unchanged and must be asked for explicitly.
//!
//! ```
//! use allocation_table::model::{Band, Metadata, Sensitivity, Table};
//! use allocation_table::publish::{Audience, view};
//! let mut secret = Band::new(420_000_000, 430_000_000);
//! secret.sensitivity = Sensitivity::Restricted;
//! let t = Table::new(Metadata::default(), vec![Band::new(410_000_000, 420_000_000), secret], Default::default());
//! assert_eq!(view(&t, Audience::Open).table().len(), 1);
//! assert_eq!(view(&t, Audience::Internal).table().len(), 2);
//! ```

use crate::journal::Decision;
use crate::model::{Band, Sensitivity, Table};
use std::collections::BTreeSet;

/// Who a publication is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Audience {
    /// Open data (the default): restricted bands and everything that would
    /// reveal them are withheld.
    #[default]
    Open,
    /// Internal use: the whole table.
    Internal,
}

impl Audience {
    /// `open` or `internal`.
    pub fn name(self) -> &'static str {
        match self {
            Audience::Open => "open",
            Audience::Internal => "internal",
        }
    }
}

/// What a view withheld from its audience (empty for internal views).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Withheld {
    /// The restricted bands, as they are in the table.
    pub bands: Vec<Band>,
    /// Decisions touching restricted spectrum.
    pub decisions: Vec<Decision>,
    /// Ids of the footnotes cited only by restricted bands.
    pub footnotes: Vec<String>,
}

/// A table as one audience may see it. Built only by [`view`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    table: Table,
    audience: Audience,
    withheld: Withheld,
}

impl Publication {
    /// The table the audience sees.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The audience.
    pub fn audience(&self) -> Audience {
        self.audience
    }

    /// What was withheld (for audits and tests; never published).
    pub fn withheld(&self) -> &Withheld {
        &self.withheld
    }
}

fn cited(b: &Band) -> impl Iterator<Item = &String> {
    b.footnotes
        .iter()
        .chain(b.allocations.iter().flat_map(|a| a.footnotes.iter()))
}

/// The view of `table` for `audience` — the one publication filter.
pub fn view(table: &Table, audience: Audience) -> Publication {
    if audience == Audience::Internal {
        return Publication {
            table: table.clone(),
            audience,
            withheld: Withheld::default(),
        };
    }
    let (restricted, public): (Vec<Band>, Vec<Band>) = table
        .bands()
        .iter()
        .cloned()
        .partition(|b| b.sensitivity == Sensitivity::Restricted);
    let inside_restricted = |f: u64| restricted.iter().any(|b| b.lower_hz <= f && f < b.upper_hz);
    let (withheld_decisions, kept): (Vec<Decision>, Vec<Decision>) =
        table.journal.decisions.iter().cloned().partition(|d| {
            restricted.iter().any(|b| d.touches(b.lower_hz, b.upper_hz))
                || d.cleared_overrides
                    .iter()
                    .any(|o| inside_restricted(o.band_lower_hz))
        });
    let public_notes: BTreeSet<&String> = public.iter().flat_map(cited).collect();
    let withheld_notes: BTreeSet<String> = restricted
        .iter()
        .flat_map(cited)
        .filter(|n| !public_notes.contains(n))
        .cloned()
        .collect();
    let mut footnotes = table.footnotes.clone();
    footnotes.retain(|id, _| !withheld_notes.contains(id));
    let mut open = Table::new(table.metadata.clone(), public, footnotes);
    open.journal.decisions = kept;
    Publication {
        table: open,
        audience,
        withheld: Withheld {
            bands: restricted,
            decisions: withheld_decisions,
            footnotes: withheld_notes.into_iter().collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use super::*;
    use crate::journal::ClearedOverride;
    use crate::model::{Allocation, Category, Metadata, Status};

    fn decision(reference: &str, lo: u64, hi: u64) -> Decision {
        Decision {
            reference: reference.into(),
            authority: format!("{reference} authority"),
            effective_date: chrono::NaiveDate::default(),
            lower_hz: lo,
            upper_hz: hi,
            from: Category::Government,
            to: Category::Civil,
            split_edges_hz: Vec::new(),
            cleared_overrides: Vec::new(),
        }
    }

    fn table() -> Table {
        let mut a = Band::new(100, 200);
        a.footnotes = vec!["SHARED".into()];
        a.allocations
            .push(Allocation::new("Fixed", Status::Primary));
        let mut r = Band::new(200, 250);
        r.sensitivity = Sensitivity::Restricted;
        r.footnotes = vec!["SHARED".into(), "SECRET".into()];
        let mut alloc = Allocation::new("Radiolocation", Status::Primary);
        alloc.footnotes = vec!["ALLOC-SECRET".into()];
        alloc.category = Some(Category::Government);
        r.allocations.push(alloc);
        let b = Band::new(250, 300);
        let notes: BTreeMap<String, String> = ["SHARED", "SECRET", "ALLOC-SECRET", "UNCITED"]
            .iter()
            .map(|n| ((*n).to_owned(), format!("text of {n}")))
            .collect();
        let mut t = Table::new(Metadata::default(), vec![r, a, b], notes);
        let mut override_inside = decision("D-OVERRIDE", 100, 200);
        override_inside.cleared_overrides = vec![ClearedOverride {
            band_lower_hz: 210,
            allocation: 0,
            category: Category::Government,
        }];
        t.journal.decisions = vec![
            decision("D-PUBLIC", 100, 200),
            decision("D-INSIDE", 210, 220),
            decision("D-ACROSS", 150, 260),
            decision("D-EDGE", 250, 300),
            override_inside,
        ];
        t
    }

    #[test]
    fn open_view_withholds_restricted_bands_their_decisions_and_footnotes() {
        let t = table();
        let p = view(&t, Audience::Open);
        let edges: Vec<_> = p
            .table()
            .bands()
            .iter()
            .map(|b| (b.lower_hz, b.upper_hz))
            .collect();
        assert_eq!(edges, vec![(100, 200), (250, 300)]);
        let refs: Vec<_> = p
            .table()
            .journal
            .decisions
            .iter()
            .map(|d| d.reference.as_str())
            .collect();
        assert_eq!(
            refs,
            vec!["D-PUBLIC", "D-EDGE"],
            "half-open: 250 does not touch [200, 250)"
        );
        let notes: Vec<_> = p.table().footnotes.keys().map(String::as_str).collect();
        assert_eq!(notes, vec!["SHARED", "UNCITED"]);
        assert_eq!(p.withheld().footnotes, vec!["ALLOC-SECRET", "SECRET"]);
        assert_eq!(p.withheld().decisions.len(), 3);
        assert_eq!(p.withheld().bands.len(), 1);
        assert_eq!(p.audience(), Audience::Open);
    }

    #[test]
    fn internal_view_is_the_whole_table_and_open_is_the_default() {
        let t = table();
        let p = view(&t, Audience::Internal);
        assert_eq!(p.table(), &t);
        assert_eq!(p.withheld(), &Withheld::default());
        assert_eq!(Audience::default(), Audience::Open);
    }
}
