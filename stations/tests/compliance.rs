//! Compliance of assignments with a hand-made national table: one case per
//! finding kind, and the clean case that must give none.

use allocation_table::model::{Allocation, Band, Category, Metadata, Status, Table};
use allocation_table::publish::Audience;
use allocation_table::service::RadioService;
use chrono::NaiveDate;
use stations::compliance::{FindingKind, check, check_assignment};
use stations::model::{Assignment, AssignmentStatus, Direction, Operator, OperatorKind, UserKind};
use stations::register::Register;

fn band(lo: u64, hi: u64, category: Category, allocations: &[(&str, Status)]) -> Band {
    let mut b = Band::new(lo, hi);
    b.category = Some(category);
    for (s, st) in allocations {
        b.allocations.push(Allocation::new(*s, *st));
    }
    b
}

const MHZ: u64 = 1_000_000;

/// 400–430 government radiolocation; 430–440 joint mobile primary with
/// amateur secondary; 440–450 civil MOBILE except aeronautical, footnote
/// KG1; 450–470 civil land mobile; a gap 470–480; 480–490 civil fixed.
fn table() -> Table {
    let mut b3 = band(
        440 * MHZ,
        450 * MHZ,
        Category::Civil,
        &[("MOBILE except aeronautical mobile", Status::Primary)],
    );
    b3.footnotes.push("KG1".into());
    let meta = Metadata {
        edition: "2024".into(),
        ..Metadata::default()
    };
    Table::new(
        meta,
        vec![
            band(
                400 * MHZ,
                430 * MHZ,
                Category::Government,
                &[
                    ("RADIOLOCATION", Status::Primary),
                    ("Land Mobile", Status::Primary),
                ],
            ),
            band(
                430 * MHZ,
                440 * MHZ,
                Category::Joint,
                &[("MOBILE", Status::Primary), ("Amateur", Status::Secondary)],
            ),
            b3,
            band(
                450 * MHZ,
                470 * MHZ,
                Category::Civil,
                &[("LAND MOBILE", Status::Primary)],
            ),
            band(
                480 * MHZ,
                490 * MHZ,
                Category::Civil,
                &[("FIXED", Status::Primary)],
            ),
        ],
        Default::default(),
    )
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
}

fn kinds(a: &Assignment) -> Vec<FindingKind> {
    let reg = Register::new(vec![a.clone()]);
    check_assignment(&table(), &reg, a, day())
        .into_iter()
        .map(|f| f.kind)
        .collect()
}

#[test]
fn allocated_primary_in_its_category_is_clean() {
    let a = Assignment::example("ok", 460 * MHZ, "12K5F3E");
    assert_eq!(kinds(&a), vec![]);
    // Land mobile fits a MOBILE allocation, and a joint band takes civil users.
    let a = Assignment::example("joint", 435 * MHZ, "25K0F3E");
    assert_eq!(kinds(&a), vec![]);
}

#[test]
fn secondary_only_is_a_finding() {
    let mut a = Assignment::example("ham", 435 * MHZ, "2K70J3E");
    a.service = RadioService::Amateur;
    let reg = Register::new(vec![a.clone()]);
    let f = check_assignment(&table(), &reg, &a, day());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FindingKind::Secondary);
    assert!(f[0].message.contains("secondary"), "{}", f[0].message);
}

#[test]
fn not_allocated_names_the_band_services() {
    let mut a = Assignment::example("fx", 460 * MHZ, "25K0F3E");
    a.service = RadioService::Fixed;
    let reg = Register::new(vec![a.clone()]);
    let f = check_assignment(&table(), &reg, &a, day());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FindingKind::NotAllocated);
    assert_eq!((f[0].lower_hz, f[0].upper_hz), a.occupied_hz());
    assert!(
        f[0].message.contains("LAND MOBILE (primary)"),
        "{}",
        f[0].message
    );
    // An "except" qualifier excludes the service it names.
    let mut b = Assignment::example("air", 445 * MHZ, "25K0F3E");
    b.service = RadioService::AeronauticalMobileR;
    assert_eq!(kinds(&b), vec![FindingKind::NotAllocated]);
    // In the gap no band covers the spectrum at all.
    let c = Assignment::example("gap", 475 * MHZ, "25K0F3E");
    let reg = Register::new(vec![c.clone()]);
    let f = check_assignment(&table(), &reg, &c, day());
    assert_eq!(f[0].kind, FindingKind::NotAllocated);
    assert!(f[0].message.contains("no band"), "{}", f[0].message);
}

#[test]
fn straddling_a_band_edge_reports_the_edge_and_the_uncovered_part() {
    // 5 MHz around 450 MHz: 447.5–450 is MOBILE (civil), 450–452.5 LAND MOBILE (civil).
    let a = Assignment::example("edge", 450 * MHZ, "5M00G7W");
    let reg = Register::new(vec![a.clone()]);
    let f = check_assignment(&table(), &reg, &a, day());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].kind, FindingKind::StraddlesBandEdge);
    assert!(f[0].message.contains("450 MHz"), "{}", f[0].message);
    // Across the gap at 470 MHz: the uncovered half is not allocated.
    let b = Assignment::example("edge2", 470 * MHZ, "5M00G7W");
    let reg = Register::new(vec![b.clone()]);
    let f = check_assignment(&table(), &reg, &b, day());
    let na: Vec<_> = f
        .iter()
        .filter(|x| x.kind == FindingKind::NotAllocated)
        .collect();
    assert_eq!(na.len(), 1);
    assert_eq!((na[0].lower_hz, na[0].upper_hz), (470 * MHZ, 472_500_000));
}

#[test]
fn category_mismatch_both_ways_and_from_the_operator() {
    let mut civil = Assignment::example("civ", 420 * MHZ, "12K5F3E");
    civil.category = Some(Category::Civil);
    assert_eq!(kinds(&civil), vec![FindingKind::CategoryMismatch]);
    let mut gov = Assignment::example("gov", 460 * MHZ, "12K5F3E");
    gov.category = Some(Category::Government);
    assert_eq!(kinds(&gov), vec![FindingKind::CategoryMismatch]);
    gov.freq_hz = 420 * MHZ;
    assert_eq!(kinds(&gov), vec![]);
    // No category of its own: the operator's user kind decides.
    let mut a = Assignment::example("op", 420 * MHZ, "12K5F3E");
    a.category = None;
    let mut reg = Register::new(vec![a.clone()]);
    assert!(check_assignment(&table(), &reg, &a, day()).is_empty());
    reg.operators.insert(
        a.operator.clone(),
        Operator {
            name: a.operator.clone(),
            kind: OperatorKind::Network,
            user: UserKind::Civil,
            state_share_pct: None,
        },
    );
    let f = check_assignment(&table(), &reg, &a, day());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FindingKind::CategoryMismatch);
}

#[test]
fn validity_dates() {
    let mut a = Assignment::example("old", 460 * MHZ, "12K5F3E");
    a.valid_from = NaiveDate::from_ymd_opt(2015, 1, 1);
    a.valid_to = NaiveDate::from_ymd_opt(2025, 12, 31);
    assert_eq!(kinds(&a), vec![FindingKind::OutsideValidity]);
    a.valid_to = NaiveDate::from_ymd_opt(2026, 11, 30); // last day inclusive
    assert_eq!(kinds(&a), vec![]);
    a.valid_from = NaiveDate::from_ymd_opt(2026, 12, 1);
    a.valid_to = None;
    assert_eq!(kinds(&a), vec![FindingKind::OutsideValidity]);
    a.status = AssignmentStatus::Suspended;
    assert_eq!(kinds(&a), vec![]);
}

#[test]
fn out_of_the_edition_limits() {
    let mut a = Assignment::example("low", 5_000, "400HA1A");
    a.service = RadioService::Fixed;
    let k = kinds(&a);
    assert!(k.contains(&FindingKind::OutOfLimits), "{k:?}");
    assert!(k.contains(&FindingKind::NotAllocated), "{k:?}");
    let b = Assignment::example("high", 276_000_000_000, "1M00G7W");
    assert!(kinds(&b).contains(&FindingKind::OutOfLimits));
}

#[test]
fn virtual_operators_hold_no_transmitters() {
    let a = Assignment::example("v", 460 * MHZ, "12K5F3E");
    let mut reg = Register::new(vec![a.clone()]);
    reg.operators.insert(
        a.operator.clone(),
        Operator {
            name: a.operator.clone(),
            kind: OperatorKind::Virtual,
            user: UserKind::Civil,
            state_share_pct: None,
        },
    );
    let f = check_assignment(&table(), &reg, &a, day());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FindingKind::VirtualOperator);
    let mut rx = a.clone();
    rx.station.direction = Direction::Rx;
    assert!(check_assignment(&table(), &reg, &rx, day()).is_empty());
}

#[test]
fn footnotes_ride_on_findings_and_the_report_keeps_register_order() {
    let mut a = Assignment::example("f1", 445 * MHZ, "12K5F3E");
    a.category = Some(Category::Government);
    let b = Assignment::example("clean", 460 * MHZ, "12K5F3E");
    let mut c = Assignment::example("f2", 475 * MHZ, "12K5F3E");
    c.service = RadioService::Fixed;
    let reg = Register::new(vec![a, b, c]);
    let report = check(&table(), &reg, day(), Audience::Internal);
    assert_eq!(report.assignments, 3);
    let ids: Vec<&str> = report.findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, vec!["f1", "f2"]);
    assert_eq!(report.findings[0].footnotes, vec!["KG1".to_owned()]);
}

#[test]
fn open_reports_withhold_findings_in_restricted_bands() {
    let mut t = table();
    let mut bands = t.bands().to_vec();
    bands[0].sensitivity = allocation_table::Sensitivity::Restricted; // 400–430 MHz
    t.set_bands(bands);
    let mut civil = Assignment::example("civ", 420 * MHZ, "12K5F3E");
    civil.category = Some(Category::Civil);
    let mut fixed = Assignment::example("fx", 460 * MHZ, "12K5F3E");
    fixed.service = RadioService::Fixed;
    let reg = Register::new(vec![civil, fixed]);
    let open = check(&t, &reg, day(), Audience::Open);
    assert_eq!(open.withheld, 1);
    assert_eq!(open.findings.len(), 1);
    assert_eq!(open.findings[0].id, "fx");
    let internal = check(&t, &reg, day(), Audience::Internal);
    assert_eq!((internal.withheld, internal.findings.len()), (0, 2));
}
