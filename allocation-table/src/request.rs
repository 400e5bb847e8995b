//! The requests behind `spectra table …` and their reports: one library
//! entry point per command, each returning a report that serialises to the
//! documented JSON and renders as plain text ([`Report`]). The CLI only
//! parses flags into these requests and prints the report.
//!
//! Every report that shows table content is built from the view of the
//! table for an audience ([`crate::publish::view`]; open by default): the
//! queries (`at`, `range`, `service`, `footnote`), `diff` (segments inside
//! withheld spectrum are left out too) and `history`. `validate` is a check
//! of the source file for its maintainers and always sees the whole table.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diff::{DiffSegment, diff};
use crate::error::TableError;
use crate::freq::format_freq_hz;
use crate::journal::Journal;
use crate::load::Loaded;
use crate::model::{Band, Category, Table};
use crate::publish::{Audience, view};
use crate::query::ServiceQuery;
use crate::sink::Format;
use crate::validate::{Finding, validate};
use crate::view::{BandView, describe};

/// A report: JSON through `serde`, plain text through [`Report::text`].
pub trait Report: Serialize {
    /// The report as plain text for a terminal.
    fn text(&self) -> String;
}

/// `validate`: `{"bands":N,"findings":[…]}`.
#[derive(Debug, Clone, Serialize)]
pub struct ValidateReport {
    /// Number of bands.
    pub bands: usize,
    /// Findings, sorted by lower edge then kind.
    pub findings: Vec<Finding>,
}

/// Validates a loaded table (the whole table, journal included).
pub fn validate_table(loaded: &Loaded) -> ValidateReport {
    ValidateReport {
        bands: loaded.table.len(),
        findings: validate(&loaded.table, &loaded.issues),
    }
}

impl Report for ValidateReport {
    fn text(&self) -> String {
        let mut lines: Vec<String> = self
            .findings
            .iter()
            .map(|f| format!("line {}: {}: {}", f.line, f.kind.name(), f.message))
            .collect();
        lines.push(format!(
            "{} bands, {} findings",
            self.bands,
            self.findings.len()
        ));
        lines.join("\n")
    }
}

/// A band query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BandQuery {
    /// Bands containing a frequency, Hz.
    At(u64),
    /// Bands meeting a closed range, Hz (either order).
    Range(u64, u64),
    /// Bands where a service is allocated.
    Service {
        /// Service name or id.
        name: String,
        /// Only primary allocations.
        primary_only: bool,
    },
}

/// `at`, `range`, `service`: `{"bands":[…]}`.
#[derive(Debug, Clone, Serialize)]
pub struct BandsReport {
    /// The bands found, as JSON views.
    pub bands: Vec<BandView>,
    /// When nothing was found but the number would be in the table read as
    /// kHz or MHz: what the user probably meant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip)]
    lines: Vec<String>,
}

impl BandsReport {
    fn new(bands: &[&Band]) -> Self {
        Self {
            bands: bands.iter().map(|b| BandView::from(*b)).collect(),
            hint: None,
            lines: bands.iter().map(|b| describe(b)).collect(),
        }
    }
}

/// For a frequency with no allocated band: a hint when the same number
/// read as MHz or kHz would be in an allocated band (`table at 435` is
/// 435 Hz).
fn unit_hint(t: &Table, hz: u64) -> Option<String> {
    let allocated = |f: u64| t.at(f).iter().any(|b| !b.allocations.is_empty());
    if allocated(hz) {
        return None;
    }
    [(1_000_000u64, "MHz"), (1_000, "kHz")]
        .iter()
        .find(|(scale, _)| hz.checked_mul(*scale).is_some_and(allocated))
        .map(|(_, unit)| {
            format!(
                "{hz} is read as {hz} Hz (a bare number is in hertz); for {hz} {unit} write `{hz}{unit}`"
            )
        })
}

impl Report for BandsReport {
    fn text(&self) -> String {
        let found = if self.lines.is_empty() {
            "no band".to_owned()
        } else {
            self.lines.join("\n")
        };
        match &self.hint {
            Some(h) => format!("{found}\nhint: {h}"),
            None => found,
        }
    }
}

/// Answers a band query on the view of `table` for `audience`.
pub fn query_bands(table: &Table, audience: Audience, query: &BandQuery) -> BandsReport {
    let p = view(table, audience);
    let t = p.table();
    match query {
        BandQuery::At(f) => {
            let mut report = BandsReport::new(&t.at(*f));
            report.hint = unit_hint(t, *f);
            report
        }
        BandQuery::Range(a, b) => BandsReport::new(&t.range(*a, *b)),
        BandQuery::Service { name, primary_only } => {
            let hits = t.bands_with_service(&ServiceQuery::parse(name), *primary_only);
            let bands: Vec<&Band> = hits.iter().map(|(b, _)| *b).collect();
            BandsReport::new(&bands)
        }
    }
}

/// A footnote query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FootnoteQuery {
    /// The text of a footnote and the bands citing it.
    Id(String),
    /// The footnotes naming a country (whole word).
    Country(String),
}

/// A footnote's text and the bands citing it: `{"id","text","bands"}`.
#[derive(Debug, Clone, Serialize)]
pub struct FootnoteReport {
    /// The footnote id.
    pub id: String,
    /// Its text, if the table defines it.
    pub text: Option<String>,
    /// Bands citing it.
    pub bands: Vec<BandView>,
    #[serde(skip)]
    lines: Vec<String>,
}

/// The footnotes naming a country: `{"country","footnotes":[{"id","text"}]}`.
#[derive(Debug, Clone, Serialize)]
pub struct CountryReport {
    /// The country asked for.
    pub country: String,
    /// `{"id","text"}` of each footnote naming it.
    pub footnotes: Vec<serde_json::Value>,
}

/// The answer to a footnote query.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum FootnoteAnswer {
    /// For [`FootnoteQuery::Id`].
    Footnote(FootnoteReport),
    /// For [`FootnoteQuery::Country`].
    Country(CountryReport),
}

impl Report for FootnoteAnswer {
    fn text(&self) -> String {
        match self {
            FootnoteAnswer::Footnote(r) => {
                let mut lines = vec![format!(
                    "{}: {}",
                    r.id,
                    r.text.as_deref().unwrap_or("(not defined in this table)")
                )];
                lines.extend(r.lines.iter().map(|l| format!("  cited in {l}")));
                lines.join("\n")
            }
            FootnoteAnswer::Country(r) => {
                let mut lines: Vec<String> = r
                    .footnotes
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {}",
                            f["id"].as_str().unwrap_or(""),
                            f["text"].as_str().unwrap_or("")
                        )
                    })
                    .collect();
                lines.push(format!(
                    "{} footnotes name {}",
                    r.footnotes.len(),
                    r.country
                ));
                lines.join("\n")
            }
        }
    }
}

/// Why a request could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The footnote is neither defined nor cited (in the audience's view).
    #[error("footnote {0:?} is neither defined nor cited in the table")]
    UnknownFootnote(String),
}

/// Answers a footnote query on the view of `table` for `audience`.
pub fn query_footnote(
    table: &Table,
    audience: Audience,
    query: &FootnoteQuery,
) -> Result<FootnoteAnswer, RequestError> {
    let p = view(table, audience);
    let t = p.table();
    match query {
        FootnoteQuery::Country(country) => Ok(FootnoteAnswer::Country(CountryReport {
            country: country.clone(),
            footnotes: t
                .footnotes_naming(country)
                .iter()
                .map(|(id, text)| serde_json::json!({"id": id, "text": text}))
                .collect(),
        })),
        FootnoteQuery::Id(id) => {
            let text = t.footnote_text(id).map(str::to_owned);
            let bands = t.bands_with_footnote(id);
            if text.is_none() && bands.is_empty() {
                return Err(RequestError::UnknownFootnote(id.clone()));
            }
            Ok(FootnoteAnswer::Footnote(FootnoteReport {
                id: id.clone(),
                text,
                bands: bands.iter().map(|b| BandView::from(*b)).collect(),
                lines: bands.iter().map(|b| describe(b)).collect(),
            }))
        }
    }
}

/// `diff`: `{"segments":[…]}`.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// Differing segments, in frequency order.
    pub segments: Vec<DiffSegment>,
}

impl Report for DiffReport {
    fn text(&self) -> String {
        let mut lines: Vec<String> = self
            .segments
            .iter()
            .map(|seg| {
                let ch: Vec<String> = seg.changes.iter().map(ToString::to_string).collect();
                format!(
                    "{} – {}: {}",
                    format_freq_hz(seg.lower_hz),
                    format_freq_hz(seg.upper_hz),
                    ch.join("; ")
                )
            })
            .collect();
        lines.push(format!("{} differing segments", self.segments.len()));
        lines.join("\n")
    }
}

/// Compares the audience's views of two tables; for an open audience the
/// segments inside spectrum withheld from either table are left out too
/// (they would otherwise show a withheld band's edges as a coverage change).
pub fn diff_tables(first: &Table, second: &Table, audience: Audience) -> DiffReport {
    let (a, b) = (view(first, audience), view(second, audience));
    let withheld: Vec<(u64, u64)> = a
        .withheld()
        .bands
        .iter()
        .chain(b.withheld().bands.iter())
        .map(|w| (w.lower_hz, w.upper_hz))
        .collect();
    let segments = diff(a.table(), b.table())
        .into_iter()
        .filter(|s| {
            !withheld
                .iter()
                .any(|&(lo, hi)| s.lower_hz < hi && lo < s.upper_hz)
        })
        .collect();
    DiffReport { segments }
}

/// `history` without a date: the journal, `{"decisions":[…]}`.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct JournalReport {
    /// The (viewed) journal.
    pub journal: Journal,
}

impl Report for JournalReport {
    fn text(&self) -> String {
        if self.journal.decisions.is_empty() {
            return "no decision recorded".to_owned();
        }
        self.journal
            .decisions
            .iter()
            .map(|d| {
                format!(
                    "{}  {}  {} – {}  {} → {}  ({})",
                    d.effective_date,
                    d.reference,
                    format_freq_hz(d.lower_hz),
                    format_freq_hz(d.upper_hz),
                    d.from.name(),
                    d.to.name(),
                    d.authority
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The journal as the audience may see it.
pub fn journal(table: &Table, audience: Audience) -> JournalReport {
    JournalReport {
        journal: view(table, audience).table().journal.clone(),
    }
}

/// A band whose category differs between now and a past date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryChange {
    /// Lower edge of the band now, Hz.
    pub lower_hz: u64,
    /// Upper edge of the band now, Hz.
    pub upper_hz: u64,
    /// Category then.
    pub then: Option<Category>,
    /// Category now.
    pub now: Option<Category>,
}

/// `history --as-of`: `{"as_of","bands","decisions_in_force","changed_since"}`.
#[derive(Debug, Clone, Serialize)]
pub struct AsOfReport {
    /// The date.
    pub as_of: chrono::NaiveDate,
    /// Bands of the table as of the date (audience's view).
    pub bands: usize,
    /// Decisions in force on the date (audience's view).
    pub decisions_in_force: usize,
    /// Bands whose category changed since.
    pub changed_since: Vec<CategoryChange>,
    #[serde(skip)]
    undone: usize,
    /// The file the past table was written to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<PathBuf>,
}

impl Report for AsOfReport {
    fn text(&self) -> String {
        let mut lines = vec![format!(
            "as of {}: {} bands, {} decisions in force, {} later decisions undone",
            self.as_of, self.bands, self.decisions_in_force, self.undone
        )];
        lines.extend(self.changed_since.iter().map(|c| {
            format!(
                "{} – {}: {} then, {} now",
                format_freq_hz(c.lower_hz),
                format_freq_hz(c.upper_hz),
                c.then.map_or("none", Category::name),
                c.now.map_or("none", Category::name)
            )
        }));
        lines.join("\n")
    }
}

/// The table as of `date` for `audience`: the audience's view with every
/// later decision *of that view* undone. An open audience therefore never
/// sees the effect of a withheld decision appear or disappear over time
/// (which would betray its date and spectrum): spectrum that a withheld
/// decision also converted keeps, in the open past, the category it has now.
/// Written to `out` if given, in the format of its extension (through
/// [`crate::sink::write`]).
pub fn as_of(
    table: &Table,
    audience: Audience,
    date: chrono::NaiveDate,
    out: Option<&Path>,
) -> Result<AsOfReport, TableError> {
    let now = view(table, audience);
    let past = view(&now.table().as_of(date), audience);
    let changed_since = now
        .table()
        .bands()
        .iter()
        .filter_map(|b| {
            let then = past.table().band_at(b.lower_hz)?.category;
            (then != b.category).then_some(CategoryChange {
                lower_hz: b.lower_hz,
                upper_hz: b.upper_hz,
                then,
                now: b.category,
            })
        })
        .collect();
    if let Some(path) = out {
        crate::sink::write(&past, Format::from_path(path)?, path)?;
    }
    let in_force = past.table().journal.decisions.len();
    Ok(AsOfReport {
        as_of: date,
        bands: past.table().len(),
        decisions_in_force: in_force,
        changed_since,
        undone: now.table().journal.decisions.len().saturating_sub(in_force),
        written: out.map(Path::to_path_buf),
    })
}

impl Report for crate::workfile::Converted {
    fn text(&self) -> String {
        let d = &self.decision;
        format!(
            "converted {} – {} from {} to {} ({}, {}); table written to {}",
            format_freq_hz(d.lower_hz),
            format_freq_hz(d.upper_hz),
            d.from.name(),
            d.to.name(),
            d.reference,
            d.effective_date,
            self.written.display()
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use super::*;
    use crate::convert::Conversion;
    use crate::model::{Allocation, Metadata, Sensitivity, Status};

    #[test]
    fn the_open_past_does_not_betray_a_withheld_decision() {
        let mut public = Band::new(100, 200);
        let mut secret = Band::new(200, 300);
        secret.sensitivity = Sensitivity::Restricted;
        for b in [&mut public, &mut secret] {
            b.category = Some(Category::Government);
            b.allocations
                .push(Allocation::new("Fixed", Status::Primary));
        }
        let mut t = Table::new(Metadata::default(), vec![public, secret], BTreeMap::new());
        t.convert(&Conversion {
            lower_hz: 150,
            upper_hz: 250,
            from: Category::Government,
            to: Category::Civil,
            reference: "SECRET-1".into(),
            authority: "Directorate".into(),
            effective_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        })
        .unwrap();
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let open = as_of(&t, Audience::Open, date, None).unwrap();
        assert!(open.changed_since.is_empty(), "{:?}", open.changed_since);
        assert_eq!(open.decisions_in_force, 0);
        let internal = as_of(&t, Audience::Internal, date, None).unwrap();
        assert_eq!(
            internal.changed_since.len(),
            2,
            "{:?}",
            internal.changed_since
        );
        assert!(journal(&t, Audience::Open).journal.decisions.is_empty());
        assert_eq!(journal(&t, Audience::Internal).journal.decisions.len(), 1);
    }

    #[test]
    fn diff_leaves_out_segments_inside_withheld_spectrum() {
        let mut a = Band::new(100, 200);
        a.category = Some(Category::Civil);
        let mut secret = Band::new(200, 300);
        secret.sensitivity = Sensitivity::Restricted;
        secret.category = Some(Category::Government);
        let first = Table::new(
            Metadata::default(),
            vec![a.clone(), secret],
            BTreeMap::new(),
        );
        let mut b = Band::new(100, 300);
        b.category = Some(Category::Civil);
        let second = Table::new(Metadata::default(), vec![b], BTreeMap::new());
        let open = diff_tables(&first, &second, Audience::Open);
        assert!(open.segments.is_empty(), "{:?}", open.segments);
        let internal = diff_tables(&first, &second, Audience::Internal);
        assert_eq!(
            internal
                .segments
                .iter()
                .map(|s| (s.lower_hz, s.upper_hz))
                .collect::<Vec<_>>(),
            vec![(200, 300)]
        );
    }
}
