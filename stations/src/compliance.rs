//! Compliance of every assignment with the national table of frequency
//! allocations (ITU RR Article 5 as the national table transposes it, RR
//! Nos. 5.23–5.33 for primary and secondary status) and with the national
//! categories of use.
//!
//! For an assignment on `f` with necessary bandwidth `B` the occupied band
//! `[f − B/2, f + B/2)` is walked band by band of the table. Each part is
//! *allocated* when an allocation of the band names the assignment's service
//! or a broader one (land mobile fits a MOBILE allocation) and no "except"
//! qualifier excludes it; the best status found (primary before secondary)
//! decides. One finding per problem, merged over adjacent parts:
//!
//! | kind | when |
//! |---|---|
//! | `not_allocated` | no allocation of the service (or no band at all) over a part |
//! | `secondary` | the service is only secondary over a part (it must not cause, and cannot claim protection from, harmful interference to primary services) |
//! | `straddles_band_edge` | the occupied band crosses a band edge of the table |
//! | `category_mismatch` | a government assignment in a civil band or a civil one in a government band (joint bands take both) |
//! | `outside_validity` | a licensed or planned assignment checked outside its validity dates |
//! | `out_of_limits` | the occupied band leaves the edition limits (8.3 kHz – 275 GHz since WRC-12) |
//! | `virtual_operator` | a virtual operator (no network of its own) holds a transmitting assignment |
//!
//! Footnotes of the bands and allocations involved are attached to every
//! finding of the assignment.
//!
//! Audience: the check always runs on the whole table, but for the open
//! audience (the default of the CLI) the findings of an assignment whose
//! occupied band touches a restricted band are withheld and only counted, so
//! an open report reveals nothing the publication filter withholds.

use std::collections::BTreeSet;

use allocation_table::edition::EditionLimits;
use allocation_table::freq::format_freq_hz;
use allocation_table::model::{Allocation, Band, Category, Sensitivity, Status, Table};
use allocation_table::publish::Audience;
use allocation_table::service::{RadioService, ServiceEntry};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Assignment, AssignmentStatus, OperatorKind};
use crate::register::Register;

/// What is wrong with an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The service is not allocated over part of the occupied band.
    NotAllocated,
    /// The service is allocated only on a secondary basis.
    Secondary,
    /// The occupied band crosses a band edge.
    StraddlesBandEdge,
    /// The band's category of use does not admit the assignment's.
    CategoryMismatch,
    /// Checked outside the validity dates.
    OutsideValidity,
    /// Outside the edition limits of the table.
    OutOfLimits,
    /// A virtual operator holds a transmitting assignment.
    VirtualOperator,
}

impl FindingKind {
    /// The snake-case name used in JSON and Parquet.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::NotAllocated => "not_allocated",
            FindingKind::Secondary => "secondary",
            FindingKind::StraddlesBandEdge => "straddles_band_edge",
            FindingKind::CategoryMismatch => "category_mismatch",
            FindingKind::OutsideValidity => "outside_validity",
            FindingKind::OutOfLimits => "out_of_limits",
            FindingKind::VirtualOperator => "virtual_operator",
        }
    }
}

/// One problem of one assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Assignment id.
    pub id: String,
    /// Input line of the assignment (0 when built in memory).
    pub line: usize,
    /// What is wrong.
    pub kind: FindingKind,
    /// Lower edge of the spectrum concerned, Hz.
    pub lower_hz: u64,
    /// Upper edge (exclusive), Hz.
    pub upper_hz: u64,
    /// The reason, in plain language.
    pub message: String,
    /// Footnotes of the bands and allocations the assignment falls in.
    pub footnotes: Vec<String>,
}

/// The result of a compliance check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplianceReport {
    /// Assignments checked.
    pub assignments: usize,
    /// Findings, by assignment in register order, then by frequency.
    pub findings: Vec<Finding>,
    /// Findings withheld from an open report (their assignments touch restricted bands).
    pub withheld: usize,
}

/// How one part of the occupied band is allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allocated {
    Uncovered,
    No,
    Secondary,
    Primary,
}

/// True when `allocation` admits `service`: same or broader service, not
/// excluded by an "except …" qualifier.
///
/// ```
/// use allocation_table::model::{Allocation, Status};
/// use allocation_table::service::RadioService;
/// use stations::compliance::admits;
/// let a = Allocation::new("MOBILE except aeronautical mobile", Status::Primary);
/// assert!(admits(&a, RadioService::LandMobile));
/// assert!(!admits(&a, RadioService::AeronauticalMobileR));
/// assert!(!admits(&a, RadioService::Fixed));
/// ```
pub fn admits(allocation: &Allocation, service: RadioService) -> bool {
    Prepared::new(allocation).admits(service)
}

struct Part<'t> {
    lower_hz: u64,
    upper_hz: u64,
    band: Option<&'t Band>,
    allocated: Allocated,
    allocation: Option<&'t Allocation>,
}

/// An allocation with its service parsed once: the service and the services
/// its "except" qualifiers exclude.
struct Prepared {
    service: Option<RadioService>,
    excluded: Vec<RadioService>,
}

impl Prepared {
    fn new(allocation: &Allocation) -> Prepared {
        let parsed = allocation.parsed();
        let service = match parsed.entry {
            ServiceEntry::Service(s) => Some(s),
            _ => None,
        };
        let excluded = parsed
            .qualifiers
            .iter()
            .filter_map(|q| {
                q.to_ascii_lowercase()
                    .strip_prefix("except ")
                    .and_then(RadioService::lookup)
            })
            .collect();
        Prepared { service, excluded }
    }

    fn admits(&self, service: RadioService) -> bool {
        self.service.is_some_and(|s| service.is_within(s))
            && !self.excluded.iter().any(|&x| service.is_within(x))
    }
}

/// The table prepared for checking many assignments: every allocation's
/// service parsed once, the edition limits.
pub struct Checker<'t> {
    table: &'t Table,
    prepared: Vec<Vec<Prepared>>,
    limits: EditionLimits,
}

impl<'t> Checker<'t> {
    /// Prepares `table`.
    pub fn new(table: &'t Table) -> Checker<'t> {
        Checker {
            table,
            prepared: table
                .bands()
                .iter()
                .map(|b| b.allocations.iter().map(Prepared::new).collect())
                .collect(),
            limits: EditionLimits::for_edition(&table.metadata.edition),
        }
    }
}

fn classify<'t>(
    band: &'t Band,
    prepared: &[Prepared],
    service: RadioService,
) -> (Allocated, Option<&'t Allocation>) {
    let mut best: (Allocated, Option<&Allocation>) = (Allocated::No, None);
    for (a, _) in band
        .allocations
        .iter()
        .zip(prepared)
        .filter(|(_, p)| p.admits(service))
    {
        match a.status {
            Status::Primary => return (Allocated::Primary, Some(a)),
            Status::Secondary if best.0 == Allocated::No => best = (Allocated::Secondary, Some(a)),
            Status::Secondary => {}
        }
    }
    best
}

fn parts<'t>(
    checker: &Checker<'t>,
    lower_hz: u64,
    upper_hz: u64,
    service: RadioService,
) -> Vec<Part<'t>> {
    let mut out = Vec::new();
    let mut cursor = lower_hz;
    let table: &'t Table = checker.table;
    for i in table.overlapping_indices(lower_hz, upper_hz) {
        let band = &table.bands()[i];
        if band.upper_hz <= cursor {
            continue;
        }
        if band.lower_hz > cursor {
            out.push(Part {
                lower_hz: cursor,
                upper_hz: band.lower_hz,
                band: None,
                allocated: Allocated::Uncovered,
                allocation: None,
            });
        }
        let (allocated, allocation) = classify(band, &checker.prepared[i], service);
        let lo = cursor.max(band.lower_hz);
        let hi = upper_hz.min(band.upper_hz);
        out.push(Part {
            lower_hz: lo,
            upper_hz: hi,
            band: Some(band),
            allocated,
            allocation,
        });
        cursor = hi;
        if cursor >= upper_hz {
            break;
        }
    }
    if cursor < upper_hz {
        out.push(Part {
            lower_hz: cursor,
            upper_hz,
            band: None,
            allocated: Allocated::Uncovered,
            allocation: None,
        });
    }
    out
}

fn range_text(lower_hz: u64, upper_hz: u64) -> String {
    format!(
        "{} – {}",
        format_freq_hz(lower_hz),
        format_freq_hz(upper_hz)
    )
}

fn band_services(band: &Band) -> String {
    let names: Vec<String> = band
        .allocations
        .iter()
        .map(|a| format!("{} ({})", a.service_text, a.status.name()))
        .collect();
    if names.is_empty() {
        "no service".into()
    } else {
        names.join(", ")
    }
}

/// Pushes a finding, merging it into the previous one when it has the same
/// kind and continues it.
fn push_merged(out: &mut Vec<Finding>, f: Finding) {
    if let Some(last) = out.last_mut()
        && last.kind == f.kind
        && last.id == f.id
        && last.upper_hz == f.lower_hz
        && matches!(f.kind, FindingKind::NotAllocated | FindingKind::Secondary)
    {
        last.upper_hz = f.upper_hz;
        last.message = f.message;
        return;
    }
    out.push(f);
}

/// Checks one assignment against the table on `date`.
pub fn check_assignment(
    table: &Table,
    register: &Register,
    a: &Assignment,
    date: NaiveDate,
) -> Vec<Finding> {
    Checker::new(table).check(register, a, date)
}

impl Checker<'_> {
    /// Checks one assignment on `date` (see [`check_assignment`]).
    pub fn check(&self, register: &Register, a: &Assignment, date: NaiveDate) -> Vec<Finding> {
        check_prepared(self, register, a, date)
    }
}

fn check_prepared(
    checker: &Checker<'_>,
    register: &Register,
    a: &Assignment,
    date: NaiveDate,
) -> Vec<Finding> {
    let limits = checker.limits;
    let (lower_hz, upper_hz) = a.occupied_hz();
    let service = a.service.name();
    let mut out = Vec::new();
    let finding = |kind, lo, hi, message: String| Finding {
        id: a.id.clone(),
        line: a.line,
        kind,
        lower_hz: lo,
        upper_hz: hi,
        message,
        footnotes: Vec::new(),
    };
    if lower_hz < limits.lowest_allocated_hz || upper_hz > limits.highest_allocated_hz {
        out.push(finding(
            FindingKind::OutOfLimits,
            lower_hz,
            upper_hz,
            format!(
                "the occupied band {} leaves the limits of the table's edition ({}: {})",
                range_text(lower_hz, upper_hz),
                limits.name,
                range_text(limits.lowest_allocated_hz, limits.highest_allocated_hz)
            ),
        ));
    }
    let category = register.category_of(a);
    let parts = parts(checker, lower_hz, upper_hz, a.service);
    let mut footnotes: BTreeSet<&str> = BTreeSet::new();
    for p in &parts {
        let range = || range_text(p.lower_hz, p.upper_hz);
        let problem = match (p.allocated, p.band) {
            (Allocated::Primary, Some(_)) => None,
            (Allocated::Uncovered, _) | (_, None) => Some((
                FindingKind::NotAllocated,
                format!(
                    "{service} is not allocated in {}: no band of the table covers it",
                    range()
                ),
            )),
            (Allocated::No, Some(band)) => Some((
                FindingKind::NotAllocated,
                format!(
                    "{service} is not allocated in {} (band {} allocates {})",
                    range(),
                    range_text(band.lower_hz, band.upper_hz),
                    band_services(band)
                ),
            )),
            (Allocated::Secondary, Some(band)) => Some((
                FindingKind::Secondary,
                format!(
                    "{service} is only secondary in {} (band {}): it must not cause harmful interference to, nor claim protection from, the primary services ({})",
                    range(),
                    range_text(band.lower_hz, band.upper_hz),
                    band_services(band)
                ),
            )),
        };
        if let Some((kind, message)) = problem {
            push_merged(&mut out, finding(kind, p.lower_hz, p.upper_hz, message));
        }
        if let Some(band) = p.band {
            footnotes.extend(band.footnotes.iter().map(String::as_str));
            if let Some(alloc) = p.allocation {
                footnotes.extend(alloc.footnotes.iter().map(String::as_str));
            }
            let band_category = p
                .allocation
                .map_or(band.category, |alloc| band.allocation_category(alloc));
            if let (Some(mine), Some(theirs)) = (category, band_category)
                && theirs != Category::Joint
                && theirs != mine
            {
                out.push(finding(
                    FindingKind::CategoryMismatch,
                    p.lower_hz,
                    p.upper_hz,
                    format!(
                        "a {} assignment in {}, which is a {} band (only {} users, or a joint band, may use it)",
                        mine.name(),
                        range(),
                        theirs.name(),
                        theirs.name()
                    ),
                ));
            }
        }
    }
    let bands: Vec<&Band> = parts.iter().filter_map(|p| p.band).collect();
    if bands.len() > 1 {
        let edges: Vec<String> = bands[1..]
            .iter()
            .map(|b| format_freq_hz(b.lower_hz))
            .collect();
        out.push(finding(
            FindingKind::StraddlesBandEdge,
            lower_hz,
            upper_hz,
            format!(
                "the occupied band {} crosses the band edge{} at {}",
                range_text(lower_hz, upper_hz),
                if edges.len() > 1 { "s" } else { "" },
                edges.join(", ")
            ),
        ));
    }
    if matches!(
        a.status,
        AssignmentStatus::Licensed | AssignmentStatus::Planned
    ) && !a.valid_on(date)
    {
        let dates = format!(
            "{} to {}",
            a.valid_from.map_or("(open)".into(), |d| d.to_string()),
            a.valid_to.map_or("(open)".into(), |d| d.to_string())
        );
        out.push(finding(
            FindingKind::OutsideValidity,
            lower_hz,
            upper_hz,
            format!(
                "the {} assignment is valid from {dates}, not on {date}",
                a.status.name()
            ),
        ));
    }
    if a.station.direction.transmits()
        && register
            .operators
            .get(&a.operator)
            .is_some_and(|o| o.kind == OperatorKind::Virtual)
    {
        out.push(finding(
            FindingKind::VirtualOperator,
            lower_hz,
            upper_hz,
            format!(
                "{} is a virtual operator (no network of its own) but holds a transmitting assignment",
                a.operator
            ),
        ));
    }
    if out.is_empty() {
        return out;
    }
    let footnotes: Vec<String> = footnotes.into_iter().map(str::to_owned).collect();
    for f in &mut out {
        f.footnotes.clone_from(&footnotes);
    }
    out
}

/// True when the assignment's occupied band touches a restricted band.
pub fn touches_restricted(table: &Table, a: &Assignment) -> bool {
    let (lo, hi) = a.occupied_hz();
    table
        .overlapping(lo, hi)
        .iter()
        .any(|b| b.sensitivity == Sensitivity::Restricted)
}

/// Checks every assignment of the register against the table on `date`
/// (in parallel; the findings come in register order whatever the thread
/// count). For [`Audience::Open`], findings of assignments touching a
/// restricted band are withheld and counted in
/// [`ComplianceReport::withheld`].
pub fn check(
    table: &Table,
    register: &Register,
    date: NaiveDate,
    audience: Audience,
) -> ComplianceReport {
    let checker = Checker::new(table);
    let findings: Vec<(Vec<Finding>, bool)> = register
        .assignments
        .par_iter()
        .map(|a| {
            let f = checker.check(register, a, date);
            let hide = audience == Audience::Open && !f.is_empty() && touches_restricted(table, a);
            (f, hide)
        })
        .collect();
    let mut report = ComplianceReport {
        assignments: register.len(),
        findings: Vec::new(),
        withheld: 0,
    };
    for (f, hide) in findings {
        if hide {
            report.withheld += f.len();
        } else {
            report.findings.extend(f);
        }
    }
    report
}
