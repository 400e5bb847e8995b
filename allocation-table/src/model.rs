//! The national table of frequency allocations: bands as half-open integer
//! hertz intervals `[lower_hz, upper_hz)`, allocations (service, status,
//! qualifiers, footnotes), band-level footnotes, national category of use,
//! sensitivity, and table metadata.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::category::Category;
use crate::journal::Journal;
use crate::service::{ParsedService, ServiceEntry, parse_service};

/// Where an item was read from: a 1-based source line (0 when built in
/// memory). Provenance, not content: two items read from different lines
/// compare equal.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct SourceLine(pub usize);

impl PartialEq for SourceLine {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for SourceLine {}

/// Allocation status (RR Nos. 5.23–5.33): primary services have priority;
/// secondary services shall not cause harmful interference to primary ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Primary (printed in capitals in the RR).
    Primary,
    /// Secondary.
    Secondary,
}

impl Status {
    /// `p` or `s`.
    pub fn code(self) -> &'static str {
        match self {
            Status::Primary => "p",
            Status::Secondary => "s",
        }
    }

    /// `primary` or `secondary`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Primary => "primary",
            Status::Secondary => "secondary",
        }
    }
}

/// Whether a band may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    /// Published in open exports.
    #[default]
    Public,
    /// Never appears in open exports.
    Restricted,
}

impl Sensitivity {
    /// `public` or `restricted`.
    pub fn name(self) -> &'static str {
        match self {
            Sensitivity::Public => "public",
            Sensitivity::Restricted => "restricted",
        }
    }

    /// Parses `public` / `restricted`.
    pub fn parse(text: &str) -> Option<Sensitivity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "public" => Some(Sensitivity::Public),
            "restricted" => Some(Sensitivity::Restricted),
            _ => None,
        }
    }
}

/// One allocation of a band to a radio service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The service as written in the source, trimmed (qualifiers included).
    pub service_text: String,
    /// Primary or secondary.
    pub status: Status,
    /// Footnotes attached to this allocation.
    pub footnotes: Vec<String>,
    /// Category of use of this allocation when it differs from the band's.
    pub category: Option<Category>,
    /// Source line (1-based; 0 when built in memory).
    #[serde(skip)]
    pub line: SourceLine,
}

impl Allocation {
    /// A new allocation with no footnotes and no category override.
    pub fn new(service_text: impl Into<String>, status: Status) -> Self {
        Self {
            service_text: service_text.into().trim().to_owned(),
            status,
            footnotes: Vec::new(),
            category: None,
            line: SourceLine(0),
        }
    }

    /// The parsed service and qualifiers.
    pub fn parsed(&self) -> ParsedService {
        parse_service(&self.service_text)
    }

    /// True for the explicit "not allocated" marker.
    pub fn is_not_allocated(&self) -> bool {
        self.parsed().entry == ServiceEntry::NotAllocated
    }

    /// Same allocation content (service, status, footnotes, category),
    /// ignoring the source line.
    pub fn same_content(&self, other: &Allocation) -> bool {
        self == other
    }
}

/// A band `[lower_hz, upper_hz)` with its allocations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// Lower edge, Hz (inclusive).
    pub lower_hz: u64,
    /// Upper edge, Hz (exclusive).
    pub upper_hz: u64,
    /// National category of use (none for international tables).
    pub category: Option<Category>,
    /// Whether the band may be published.
    pub sensitivity: Sensitivity,
    /// Footnotes that apply to the whole band.
    pub footnotes: Vec<String>,
    /// Allocations in table order.
    pub allocations: Vec<Allocation>,
    /// Applications noted for the band (EFIS tables), free text.
    pub applications: Vec<String>,
    /// Source line of the band (1-based; 0 when built in memory).
    #[serde(skip)]
    pub line: SourceLine,
}

impl Band {
    /// An empty public band.
    pub fn new(lower_hz: u64, upper_hz: u64) -> Self {
        Self {
            lower_hz,
            upper_hz,
            category: None,
            sensitivity: Sensitivity::Public,
            footnotes: Vec::new(),
            allocations: Vec::new(),
            applications: Vec::new(),
            line: SourceLine(0),
        }
    }

    /// True when `freq_hz` lies in `[lower_hz, upper_hz)`.
    pub fn contains(&self, freq_hz: u64) -> bool {
        self.lower_hz <= freq_hz && freq_hz < self.upper_hz
    }

    /// Same content as `other` apart from the edges and source lines.
    pub fn same_content(&self, other: &Band) -> bool {
        self.category == other.category
            && self.sensitivity == other.sensitivity
            && self.footnotes == other.footnotes
            && self.applications == other.applications
            && self.allocations == other.allocations
    }

    /// The category of an allocation: its own override, else the band's.
    pub fn allocation_category(&self, allocation: &Allocation) -> Option<Category> {
        allocation.category.or(self.category)
    }
}

/// Table metadata.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Metadata {
    /// Country or region code (ISO 3166 alpha-2, or e.g. `ITU-R1`).
    pub country: String,
    /// Name of the table.
    pub name: String,
    /// ITU Region (1, 2 or 3).
    pub itu_region: Option<u8>,
    /// Edition (e.g. `2012`, `2024-1`).
    pub edition: String,
    /// Date from which the table is in force (ISO 8601).
    pub effective_date: Option<chrono::NaiveDate>,
    /// Where the table comes from (URL, act, file).
    pub source: String,
}

/// A table of frequency allocations with its footnotes and decision journal.
///
/// Bands are kept sorted by `(lower_hz, upper_hz)`; lookups use a binary
/// search over the lower edges plus a running maximum of upper edges, so
/// they stay correct (all matches found) even on messy tables with
/// overlapping bands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "TableData")]
pub struct Table {
    /// Metadata.
    pub metadata: Metadata,
    /// Footnote texts by reference (e.g. `5.342`, `KG3`).
    pub footnotes: BTreeMap<String, String>,
    /// Bands sorted by lower then upper edge.
    bands: Vec<Band>,
    /// Conversion decisions, in the order taken.
    pub journal: Journal,
    /// `max(upper_hz)` over `bands[..=i]`.
    #[serde(skip)]
    max_upper_prefix: Vec<u64>,
}

/// The serialised form of a [`Table`] (the lookup index is rebuilt on load).
#[derive(Deserialize)]
struct TableData {
    metadata: Metadata,
    footnotes: BTreeMap<String, String>,
    bands: Vec<Band>,
    journal: Journal,
}

impl From<TableData> for Table {
    fn from(d: TableData) -> Table {
        let mut t = Table::new(d.metadata, d.bands, d.footnotes);
        t.journal = d.journal;
        t
    }
}

impl Table {
    /// A table from bands in any order.
    pub fn new(
        metadata: Metadata,
        mut bands: Vec<Band>,
        footnotes: BTreeMap<String, String>,
    ) -> Self {
        bands.sort_by_key(|b| (b.lower_hz, b.upper_hz));
        let mut t = Self {
            metadata,
            footnotes,
            bands,
            journal: Journal::default(),
            max_upper_prefix: Vec::new(),
        };
        t.reindex();
        t
    }

    fn reindex(&mut self) {
        let mut m = 0u64;
        self.max_upper_prefix = self
            .bands
            .iter()
            .map(|b| {
                m = m.max(b.upper_hz);
                m
            })
            .collect();
    }

    /// The bands, sorted by lower then upper edge.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// Replaces the bands (re-sorted and re-indexed).
    pub fn set_bands(&mut self, mut bands: Vec<Band>) {
        bands.sort_by_key(|b| (b.lower_hz, b.upper_hz));
        self.bands = bands;
        self.reindex();
    }

    /// Indices of the bands containing `freq_hz` (usually one).
    pub fn band_indices_at(&self, freq_hz: u64) -> Vec<usize> {
        let end = self.bands.partition_point(|b| b.lower_hz <= freq_hz);
        let mut out = Vec::new();
        let mut i = end;
        while i > 0 && self.max_upper_prefix[i - 1] > freq_hz {
            i -= 1;
            if self.bands[i].upper_hz > freq_hz {
                out.push(i);
            }
        }
        out.reverse();
        out
    }

    /// Bands meeting the half-open range `[lower_hz, upper_hz)`, in table
    /// order, found by binary search (logarithmic in well-formed tables,
    /// still complete when bands overlap).
    ///
    /// ```
    /// use allocation_table::model::{Band, Metadata, Table};
    /// let t = Table::new(Metadata::default(),
    ///     vec![Band::new(100, 200), Band::new(200, 300), Band::new(300, 400)], Default::default());
    /// let hit: Vec<u64> = t.overlapping(150, 300).iter().map(|b| b.lower_hz).collect();
    /// assert_eq!(hit, vec![100, 200]); // 300 is excluded: the range is half-open
    /// ```
    pub fn overlapping(&self, lower_hz: u64, upper_hz: u64) -> Vec<&Band> {
        self.overlapping_indices(lower_hz, upper_hz)
            .into_iter()
            .map(|i| &self.bands[i])
            .collect()
    }

    /// Indices in [`Table::bands`] of the bands meeting `[lower_hz, upper_hz)`, ascending.
    pub fn overlapping_indices(&self, lower_hz: u64, upper_hz: u64) -> Vec<usize> {
        let end = self.bands.partition_point(|b| b.lower_hz < upper_hz);
        let mut out = Vec::new();
        let mut i = end;
        while i > 0 && self.max_upper_prefix[i - 1] > lower_hz {
            i -= 1;
            if self.bands[i].upper_hz > lower_hz {
                out.push(i);
            }
        }
        out.reverse();
        out
    }

    /// The first band containing `freq_hz`, without allocating: the hot path
    /// of lookups in well-formed tables.
    pub fn band_at(&self, freq_hz: u64) -> Option<&Band> {
        let end = self.bands.partition_point(|b| b.lower_hz <= freq_hz);
        let mut i = end;
        let mut found = None;
        while i > 0 && self.max_upper_prefix[i - 1] > freq_hz {
            i -= 1;
            if self.bands[i].upper_hz > freq_hz {
                found = Some(&self.bands[i]);
            }
        }
        found
    }

    /// Number of bands.
    pub fn len(&self) -> usize {
        self.bands.len()
    }

    /// True when the table has no band.
    pub fn is_empty(&self) -> bool {
        self.bands.is_empty()
    }

    /// The first part of `[lower_hz, upper_hz)` that no band covers, if any.
    pub fn uncovered(&self, lower_hz: u64, upper_hz: u64) -> Option<(u64, u64)> {
        let mut cursor = lower_hz;
        for b in self
            .bands
            .iter()
            .filter(|b| b.lower_hz < upper_hz && lower_hz < b.upper_hz)
        {
            if b.lower_hz > cursor {
                return Some((cursor, b.lower_hz));
            }
            cursor = cursor.max(b.upper_hz);
            if cursor >= upper_hz {
                return None;
            }
        }
        (cursor < upper_hz).then_some((cursor, upper_hz))
    }

    /// Every rule of the journal that this table's decisions break
    /// (see [`Journal::issues`]).
    pub fn journal_issues(&self) -> Vec<crate::journal::JournalIssue> {
        self.journal.issues(|lo, hi| self.uncovered(lo, hi))
    }

    /// Lowest lower edge and highest upper edge, if any band.
    pub fn span_hz(&self) -> Option<(u64, u64)> {
        Some((self.bands.first()?.lower_hz, *self.max_upper_prefix.last()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(lo: u64, hi: u64) -> Band {
        Band::new(lo, hi)
    }

    #[test]
    fn lookup_is_half_open_and_finds_overlaps() {
        let t = Table::new(
            Metadata::default(),
            vec![band(10, 20), band(20, 30), band(0, 100), band(25, 27)],
            BTreeMap::new(),
        );
        assert_eq!(t.band_indices_at(20).len(), 2); // [0,100) and [20,30)
        assert_eq!(t.band_indices_at(26).len(), 3);
        assert_eq!(t.band_indices_at(100).len(), 0);
        assert_eq!(t.band_at(15).map(|b| b.lower_hz), Some(0));
        assert_eq!(t.span_hz(), Some((0, 100)));
    }

    #[test]
    fn uncovered_finds_the_first_hole() {
        let t = Table::new(
            Metadata::default(),
            vec![band(10, 20), band(20, 30), band(40, 50)],
            BTreeMap::new(),
        );
        assert_eq!(t.uncovered(12, 30), None);
        assert_eq!(t.uncovered(12, 45), Some((30, 40)));
        assert_eq!(t.uncovered(5, 15), Some((5, 10)));
        assert_eq!(t.uncovered(45, 60), Some((50, 60)));
    }
}
