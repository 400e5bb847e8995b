//! Classification runs: first match and block date, a match that continues
//! keeps its dates, one that stops ends unless sticky, the matching-share
//! safety check refuses a run, and a condition taken out of the file ends
//! its matches.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use chrono::NaiveDate;
use imei_core::classification::{Event, OpenMatch, RunOutcome, run};
use imei_core::conditions::Conditions;
use imei_core::dimensions::{Listed, Seen, Window};

const CONDITIONS: &str = r#"
[[condition]]
label = "duplicate"
reason = "The IMEI is used with many different SIM cards"
grace_days = 60
blocking = true
sticky = false
max_matching_share = 0.5
[[condition.dimension]]
module = "duplicate"
threshold = 3
period_days = 30

[[condition]]
label = "stolen"
reason = "The device is reported stolen"
grace_days = 0
blocking = true
sticky = true
max_matching_share = 0.5
[[condition.dimension]]
module = "stolen"
"#;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// Four IMEIs, all seen on 1 October; the first with `imsis` IMSIs (and,
/// with `again`, with as many on 15 November); the second stolen when
/// `stolen`.
fn evidence_on(
    date: NaiveDate,
    imsis: usize,
    stolen: bool,
    again: bool,
) -> Vec<(String, Listed, BTreeMap<u32, Seen>)> {
    let w = Window::new(date, 30);
    (0..4)
        .map(|i| {
            let mut seen = Seen::default();
            let n = if i == 0 { imsis } else { 1 };
            for s in 0..n {
                seen.add(&w, &format!("imsi{s}"), 202_610, 1);
                if again {
                    seen.add(&w, &format!("imsi{s}"), 202_611, 1 << 14);
                }
            }
            let listed = Listed {
                stolen: stolen && i == 1,
                ..Listed::default()
            };
            (
                format!("3569380356438{i}"),
                listed,
                BTreeMap::from([(30, seen)]),
            )
        })
        .collect()
}

fn evidence(
    date: NaiveDate,
    imsis: usize,
    stolen: bool,
) -> Vec<(String, Listed, BTreeMap<u32, Seen>)> {
    evidence_on(date, imsis, stolen, false)
}

fn open_of(out: &RunOutcome) -> BTreeMap<(String, String), OpenMatch> {
    out.decisions
        .iter()
        .filter(|d| d.event != Event::Ended)
        .map(|d| {
            (
                (d.imei.clone(), d.condition.clone()),
                OpenMatch {
                    first_matched: d.first_matched,
                    block_date: d.block_date,
                },
            )
        })
        .collect()
}

#[test]
fn matches_continue_end_or_stay_across_runs() {
    let c = Conditions::parse(CONDITIONS, "c.toml").unwrap();
    let first = run(
        &c,
        day(10, 5),
        &evidence(day(10, 5), 4, true),
        &BTreeMap::new(),
    )
    .unwrap();
    assert_eq!(first.imeis, 4);
    assert_eq!(first.matched["duplicate"], 1);
    assert_eq!(first.decisions.len(), 2);
    let dup = &first.decisions[0];
    assert_eq!(
        (dup.imei.as_str(), dup.condition.as_str(), dup.event),
        ("35693803564380", "duplicate", Event::Matched)
    );
    assert_eq!(
        (dup.first_matched, dup.block_date),
        (day(10, 5), day(12, 4))
    );
    assert_eq!(dup.inputs, "4 distinct IMSIs in 30 days");
    assert_eq!(dup.reason, "The IMEI is used with many different SIM cards");
    let stolen = &first.decisions[1];
    assert_eq!(
        (stolen.event, stolen.block_date),
        (Event::Matched, day(10, 5))
    );

    // Ten days later: still four IMSIs in the window, still stolen.
    let second = run(
        &c,
        day(10, 15),
        &evidence(day(10, 15), 4, true),
        &open_of(&first),
    )
    .unwrap();
    let events: Vec<Event> = second.decisions.iter().map(|d| d.event).collect();
    assert_eq!(events, [Event::Continued, Event::Continued]);
    assert_eq!(second.decisions[0].first_matched, day(10, 5));
    assert_eq!(second.decisions[0].block_date, day(12, 4));

    // 1 November: the sightings of 1 October are still in the 30 days;
    // 2 November: they are not, the duplicate match ends; the stolen report
    // is withdrawn but the condition is sticky.
    let third = run(
        &c,
        day(11, 2),
        &evidence(day(11, 2), 4, false),
        &open_of(&second),
    )
    .unwrap();
    let events: Vec<(String, Event)> = third
        .decisions
        .iter()
        .map(|d| (d.condition.clone(), d.event))
        .collect();
    assert_eq!(
        events,
        [
            ("duplicate".to_string(), Event::Ended),
            ("stolen".to_string(), Event::Kept)
        ]
    );
    assert_eq!(third.decisions[1].block_date, day(10, 5));

    // Matching again after the end starts a new grace period.
    let fourth = run(
        &c,
        day(11, 20),
        &evidence_on(day(11, 20), 4, false, true),
        &open_of(&third),
    )
    .unwrap();
    let dup = fourth
        .decisions
        .iter()
        .find(|d| d.condition == "duplicate")
        .unwrap();
    assert_eq!(dup.event, Event::Matched);
    assert_eq!(
        (dup.first_matched, dup.block_date),
        (day(11, 20), NaiveDate::from_ymd_opt(2027, 1, 19).unwrap())
    );
}

#[test]
fn a_condition_matching_too_many_imeis_refuses_the_run() {
    let c = Conditions::parse(
        &CONDITIONS.replace("threshold = 3", "threshold = 1"),
        "c.toml",
    )
    .unwrap();
    let e = run(
        &c,
        day(10, 5),
        &evidence(day(10, 5), 4, false),
        &BTreeMap::new(),
    )
    .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("condition duplicate would match 4 of 4 IMEIs (100.00 %)"),
        "{text}"
    );
    assert!(text.contains("nothing recorded"), "{text}");
}

#[test]
fn a_condition_taken_out_of_the_file_ends_its_matches() {
    let c = Conditions::parse(CONDITIONS, "c.toml").unwrap();
    let first = run(
        &c,
        day(10, 5),
        &evidence(day(10, 5), 4, true),
        &BTreeMap::new(),
    )
    .unwrap();
    let only_dup = CONDITIONS
        .split("\n[[condition]]\nlabel = \"stolen\"")
        .next()
        .unwrap();
    let c2 = Conditions::parse(only_dup, "c.toml").unwrap();
    let second = run(
        &c2,
        day(10, 6),
        &evidence(day(10, 6), 4, true),
        &open_of(&first),
    )
    .unwrap();
    let stolen = second
        .decisions
        .iter()
        .find(|d| d.condition == "stolen")
        .unwrap();
    assert_eq!(stolen.event, Event::Ended);
    assert_eq!(stolen.reason, "the condition is no longer in force");
}
