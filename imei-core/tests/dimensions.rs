//! Each dimension pinned on small hand-made evidence, windows across a
//! month boundary, and conditions as intersections with inverted dimensions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use chrono::NaiveDate;
use imei_core::conditions::{Condition, Dimension, Module};
use imei_core::dimensions::{Evidence, Listed, Seen, Window, holds, is_test_tac, matches};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn dim(module: Module, threshold: f64, period_days: u32) -> Dimension {
    Dimension {
        module,
        invert: false,
        threshold,
        period_days,
        min_seen_days: 1,
    }
}

#[test]
fn a_window_spans_the_month_boundary() {
    // 10 days to 5 November: 27–31 October and 1–5 November.
    let w = Window::new(day(2026, 11, 5), 10);
    assert_eq!(w.clip(202_610, u32::MAX), 0b11111 << 26);
    assert_eq!(w.clip(202_611, u32::MAX), 0b11111);
    assert_eq!(w.clip(202_609, u32::MAX), 0);
    // 1 January back into December of the year before.
    let w = Window::new(day(2027, 1, 1), 2);
    assert_eq!(w.clip(202_612, u32::MAX), 1 << 30);
    assert_eq!(w.clip(202_701, u32::MAX), 1);
}

#[test]
fn duplicate_counts_distinct_imsis_in_the_window_only() {
    let w = Window::new(day(2026, 11, 5), 10);
    let mut seen = Seen::default();
    seen.add(&w, "A", 202_611, 1 << 1); // 2 Nov
    seen.add(&w, "A", 202_610, 1 << 29); // 30 Oct, same IMSI (another operator)
    seen.add(&w, "B", 202_610, 1 << 27); // 28 Oct
    seen.add(&w, "C", 202_610, 1 << 2); // 3 Oct: outside
    seen.add(&w, "", 202_611, 1 << 3); // 4 Nov, no IMSI: a day seen, no IMSI
    assert_eq!(seen.distinct_imsis(), 2);
    assert_eq!(seen.days_seen(), 4);
    assert_eq!(seen.imsi_days(), 3);
    let per_window = BTreeMap::from([(10, seen)]);
    let e = Evidence {
        imei: "35693803564380",
        listed: Listed::default(),
        seen: &per_window,
    };
    let (yes, input) = holds(&dim(Module::Duplicate, 2.0, 10), &e);
    assert!(yes);
    assert_eq!(input, "2 distinct IMSIs in 10 days");
    assert!(!holds(&dim(Module::Duplicate, 3.0, 10), &e).0);
    // A window length the run did not gather: nothing seen.
    assert!(!holds(&dim(Module::Duplicate, 1.0, 30), &e).0);
}

#[test]
fn the_daily_average_needs_enough_days_seen() {
    let w = Window::new(day(2026, 10, 31), 31);
    let mut seen = Seen::default();
    // Days 1 and 2 with A, day 2 with B and C: 4 IMSI-days over 2 days.
    seen.add(&w, "A", 202_610, 0b11);
    seen.add(&w, "B", 202_610, 0b10);
    seen.add(&w, "C", 202_610, 0b10);
    let per_window = BTreeMap::from([(31, seen)]);
    let e = Evidence {
        imei: "35693803564380",
        listed: Listed::default(),
        seen: &per_window,
    };
    let mut d = dim(Module::DuplicateDailyAvg, 2.0, 31);
    let (yes, input) = holds(&d, &e);
    assert!(yes, "{input}");
    assert_eq!(
        input,
        "2.00 distinct IMSIs per day over 2 days seen in 31 days"
    );
    d.threshold = 2.01;
    assert!(!holds(&d, &e).0);
    d.threshold = 2.0;
    d.min_seen_days = 3;
    assert!(!holds(&d, &e).0);
}

#[test]
fn list_and_identity_dimensions() {
    let none = BTreeMap::new();
    let mk = |imei, listed| Evidence {
        imei,
        listed,
        seen: &none,
    };
    let good = "35693803564380";
    let listed = Listed {
        registered: true,
        stolen: true,
        tac_known: true,
        tac_barred: true,
    };
    let yes = |m, e: &Evidence<'_>| holds(&dim(m, 0.0, 0), e).0;
    let e = mk(good, listed);
    assert!(!yes(Module::Malformed, &e));
    assert!(!yes(Module::GsmaNotFound, &e));
    assert!(yes(Module::Stolen, &e));
    assert!(!yes(Module::NotRegistered, &e));
    assert!(yes(Module::BarredTac, &e));
    assert!(!yes(Module::TestTac, &e));
    let e = mk(good, Listed::default());
    assert!(yes(Module::GsmaNotFound, &e));
    assert!(yes(Module::NotRegistered, &e));
    assert!(!yes(Module::Stolen, &e));
    // A malformed IMEI is malformed, not an unknown TAC.
    let e = mk("35693803AB", Listed::default());
    assert!(yes(Module::Malformed, &e));
    assert!(!yes(Module::GsmaNotFound, &e));
    assert_eq!(
        holds(&dim(Module::Malformed, 0.0, 0), &e).1,
        "IMEI class hexadecimal"
    );
    assert!(yes(
        Module::TestTac,
        &mk("00100100123456", Listed::default())
    ));
    assert!(
        is_test_tac("001012345678901") && !is_test_tac("0010") && !is_test_tac("35001000000000")
    );
}

#[test]
fn a_condition_is_the_intersection_with_inversions_and_says_why() {
    let none = BTreeMap::new();
    let c = Condition {
        label: "unregistered_known".into(),
        reason: "The device is not registered".into(),
        grace_days: 30,
        blocking: true,
        sticky: false,
        max_matching_share: 0.1,
        dimensions: vec![
            dim(Module::NotRegistered, 0.0, 0),
            Dimension {
                invert: true,
                ..dim(Module::GsmaNotFound, 0.0, 0)
            },
        ],
    };
    let known_unregistered = Evidence {
        imei: "35693803564380",
        listed: Listed {
            tac_known: true,
            ..Listed::default()
        },
        seen: &none,
    };
    assert_eq!(
        matches(&c, &known_unregistered).as_deref(),
        Some("registered: no; not gsma_not_found: TAC in the TAC database")
    );
    let unknown = Evidence {
        listed: Listed::default(),
        ..known_unregistered.clone()
    };
    assert_eq!(matches(&c, &unknown), None);
    let registered = Evidence {
        listed: Listed {
            registered: true,
            tac_known: true,
            ..Listed::default()
        },
        ..known_unregistered
    };
    assert_eq!(matches(&c, &registered), None);
}
