//! Validation of a table: one finding per problem, each with its kind, the
//! band edges and the source line.
//!
//! Kinds: `gap` (one per hole between bands), `overlap` (one per overlapping
//! pair), `zero_width`, `inverted`, `out_of_limits` (edges outside the
//! edition limits of [`crate::edition`]), `unknown_service`,
//! `undefined_footnote`, `duplicate_row`, `no_allocation`, `encoding` (a
//! source line that was not valid UTF-8, decoded with U+FFFD), `journal` (a
//! decision breaking a rule of [`crate::journal::Journal::issues`]: illegal
//! direction, dates out of order, blank reference or authority, spectrum
//! without a band, a split edge that is not one of its edges). Validation never
//! rejects a table: messy real data loads and is reported.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::edition::EditionLimits;
use crate::freq::format_freq_hz;
use crate::model::Table;
use crate::service::ServiceEntry;

/// Kind of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Spectrum between two bands that no band covers.
    Gap,
    /// Two bands that overlap.
    Overlap,
    /// A band whose edges are equal.
    ZeroWidth,
    /// A band whose lower edge is above its upper edge.
    Inverted,
    /// An allocated band outside the edition limits.
    OutOfLimits,
    /// A service that is not an RR Article 1 service.
    UnknownService,
    /// A footnote referenced but not defined.
    UndefinedFootnote,
    /// A row repeated in the source.
    DuplicateRow,
    /// A band with no allocation at all (not even "not allocated").
    NoAllocation,
    /// A decision of the journal that breaks a rule of the journal.
    Journal,
    /// A source line that was not valid UTF-8 (decoded with U+FFFD).
    Encoding,
}

impl FindingKind {
    /// The snake-case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::Gap => "gap",
            FindingKind::Overlap => "overlap",
            FindingKind::ZeroWidth => "zero_width",
            FindingKind::Inverted => "inverted",
            FindingKind::OutOfLimits => "out_of_limits",
            FindingKind::UnknownService => "unknown_service",
            FindingKind::UndefinedFootnote => "undefined_footnote",
            FindingKind::DuplicateRow => "duplicate_row",
            FindingKind::NoAllocation => "no_allocation",
            FindingKind::Journal => "journal",
            FindingKind::Encoding => "encoding",
        }
    }
}

/// One problem found in a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// Lower edge of the band (or hole) concerned, Hz.
    pub lower_hz: u64,
    /// Upper edge of the band (or hole) concerned, Hz.
    pub upper_hz: u64,
    /// Source line (1-based; 0 when the table was built in memory).
    pub line: usize,
    /// Plain-language description.
    pub message: String,
}

/// A problem seen while reading rows that the model does not keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawIssue {
    /// A row repeating an earlier one of the same band.
    DuplicateRow {
        /// Lower edge, Hz.
        lower_hz: u64,
        /// Upper edge, Hz.
        upper_hz: u64,
        /// Line of the repeated row.
        line: usize,
        /// Service of the row.
        service: String,
        /// Line of the first occurrence.
        first_line: usize,
    },
    /// A source line that was not valid UTF-8; it was decoded with U+FFFD
    /// replacing the bad bytes.
    InvalidUtf8 {
        /// The file.
        file: String,
        /// The line (1-based).
        line: usize,
    },
}

fn band_label(lo: u64, hi: u64) -> String {
    format!("{} – {}", format_freq_hz(lo), format_freq_hz(hi))
}

/// Validates a table against the limits of its edition; `raw` are the
/// issues its importer saw. Findings are sorted by lower edge, then kind.
pub fn validate(table: &Table, raw: &[RawIssue]) -> Vec<Finding> {
    let limits = EditionLimits::for_edition(&table.metadata.edition);
    let mut out = Vec::new();
    let bands = table.bands();

    // Gaps and overlaps: sweep in lower-edge order with the running maximum
    // upper edge; every earlier band reaching past a lower edge overlaps it.
    let mut reach: Option<u64> = None;
    for (j, b) in bands.iter().enumerate() {
        if b.lower_hz >= b.upper_hz {
            continue;
        }
        if let Some(r) = reach
            && b.lower_hz > r
        {
            out.push(Finding {
                kind: FindingKind::Gap,
                lower_hz: r,
                upper_hz: b.lower_hz,
                line: b.line.0,
                message: format!("no band covers {}", band_label(r, b.lower_hz)),
            });
        }
        for a in bands[..j]
            .iter()
            .filter(|a| a.lower_hz < a.upper_hz && a.upper_hz > b.lower_hz)
        {
            out.push(Finding {
                kind: FindingKind::Overlap,
                lower_hz: b.lower_hz,
                upper_hz: a.upper_hz.min(b.upper_hz),
                line: b.line.0,
                message: format!(
                    "band {} (line {}) overlaps band {} (line {})",
                    band_label(b.lower_hz, b.upper_hz),
                    b.line.0,
                    band_label(a.lower_hz, a.upper_hz),
                    a.line.0
                ),
            });
        }
        reach = Some(reach.map_or(b.upper_hz, |r| r.max(b.upper_hz)));
    }

    for b in bands {
        let label = band_label(b.lower_hz, b.upper_hz);
        let mut push = |kind, line, message: String| {
            out.push(Finding {
                kind,
                lower_hz: b.lower_hz,
                upper_hz: b.upper_hz,
                line,
                message,
            })
        };
        if b.lower_hz == b.upper_hz {
            push(
                FindingKind::ZeroWidth,
                b.line.0,
                format!("band {label} has zero width"),
            );
        } else if b.lower_hz > b.upper_hz {
            push(
                FindingKind::Inverted,
                b.line.0,
                format!("band {label} has its lower edge above its upper edge"),
            );
        }
        let allocated = b.allocations.iter().any(|a| !a.is_not_allocated());
        if allocated
            && (b.lower_hz < limits.lowest_allocated_hz || b.upper_hz > limits.highest_allocated_hz)
        {
            push(
                FindingKind::OutOfLimits,
                b.line.0,
                format!(
                    "band {label} is allocated outside {} – {} ({})",
                    format_freq_hz(limits.lowest_allocated_hz),
                    format_freq_hz(limits.highest_allocated_hz),
                    limits.name
                ),
            );
        } else if b.upper_hz > limits.radio_waves_upper_hz {
            push(
                FindingKind::OutOfLimits,
                b.line.0,
                format!(
                    "band {label} extends above the radio-wave limit of {}",
                    format_freq_hz(limits.radio_waves_upper_hz)
                ),
            );
        }
        if b.allocations.is_empty() {
            push(
                FindingKind::NoAllocation,
                b.line.0,
                format!("band {label} has no allocation"),
            );
        }
        let mut seen_notes = BTreeSet::new();
        for a in &b.allocations {
            if let ServiceEntry::Unknown(name) = a.parsed().entry {
                push(
                    FindingKind::UnknownService,
                    a.line.0,
                    format!(
                        "band {label}: {name:?} is not a radio service of RR Article 1 (kept as written)"
                    ),
                );
            }
        }
        let refs = b.footnotes.iter().map(|n| (n, b.line.0)).chain(
            b.allocations
                .iter()
                .flat_map(|a| a.footnotes.iter().map(move |n| (n, a.line.0))),
        );
        for (n, line) in refs {
            if !table.footnotes.contains_key(n) && seen_notes.insert(n.clone()) {
                push(
                    FindingKind::UndefinedFootnote,
                    line,
                    format!("band {label}: footnote {n} is referenced but not defined"),
                );
            }
        }
    }

    for r in raw {
        let (lower_hz, upper_hz, line, service, first_line) = match r {
            RawIssue::DuplicateRow {
                lower_hz,
                upper_hz,
                line,
                service,
                first_line,
            } => (lower_hz, upper_hz, line, service, first_line),
            RawIssue::InvalidUtf8 { file, line } => {
                out.push(Finding {
                    kind: FindingKind::Encoding,
                    lower_hz: 0,
                    upper_hz: 0,
                    line: *line,
                    message: format!(
                        "{file}:{line}: not valid UTF-8 (e.g. Latin-1); the bad bytes were read as U+FFFD"
                    ),
                });
                continue;
            }
        };
        out.push(Finding {
            kind: FindingKind::DuplicateRow,
            lower_hz: *lower_hz,
            upper_hz: *upper_hz,
            line: *line,
            message: format!(
                "band {}: row {service:?} repeats line {first_line}",
                band_label(*lower_hz, *upper_hz)
            ),
        });
    }
    for issue in table.journal_issues() {
        out.push(Finding {
            kind: FindingKind::Journal,
            lower_hz: issue.lower_hz,
            upper_hz: issue.upper_hz,
            line: 0,
            message: format!(
                "journal decision {} (field {}): {}",
                issue.index + 1,
                issue.field,
                issue.message
            ),
        });
    }
    out.sort_by_key(|f| (f.lower_hz, f.upper_hz, f.kind, f.line));
    out
}

/// Counts findings by kind name.
pub fn count_by_kind(findings: &[Finding]) -> std::collections::BTreeMap<&'static str, usize> {
    let mut m = std::collections::BTreeMap::new();
    for f in findings {
        *m.entry(f.kind.name()).or_insert(0) += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use super::*;
    use crate::journal::Decision;
    use crate::model::{Allocation, Band, Category, Metadata, Status};

    #[test]
    fn journal_problems_are_findings_of_kind_journal() {
        let mut b = Band::new(100_000_000, 200_000_000);
        b.category = Some(Category::Civil);
        b.allocations
            .push(Allocation::new("Fixed", Status::Primary));
        let mut t = Table::new(Metadata::default(), vec![b], BTreeMap::new());
        assert!(
            validate(&t, &[])
                .iter()
                .all(|f| f.kind != FindingKind::Journal)
        );
        t.journal.decisions.push(Decision {
            reference: "X-1".into(),
            authority: "Agency".into(),
            effective_date: chrono::NaiveDate::default(),
            lower_hz: 150_000_000,
            upper_hz: 250_000_000,
            from: Category::Civil,
            to: Category::Government,
            split_edges_hz: Vec::new(),
            cleared_overrides: Vec::new(),
        });
        let journal: Vec<_> = validate(&t, &[])
            .into_iter()
            .filter(|f| f.kind == FindingKind::Journal)
            .collect();
        assert_eq!(journal.len(), 2, "{journal:?}");
        assert!(
            journal
                .iter()
                .any(|f| f.message.contains("not a conversion"))
        );
        assert!(
            journal
                .iter()
                .any(|f| f.message.contains("no band of the table covers"))
        );
        assert_eq!(journal[0].kind.name(), "journal");
    }
}
