//! Validation tests against the shared reference tables
//! (`../shared/data/allocations/`, EarthFrequencies, CC BY-SA 4.0).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use allocation_table::freq::parse_freq_hz;
use allocation_table::load::{Loaded, load};
use allocation_table::model::{Category, Status};
use allocation_table::validate::{count_by_kind, validate};

fn data(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/allocations"
    ))
    .join(name)
}

static ITU1: LazyLock<Loaded> = LazyLock::new(|| load(&data("itu1")).unwrap());

fn hz(s: &str) -> u64 {
    parse_freq_hz(s).unwrap()
}

fn services(t: &Loaded, f: &str) -> (u64, u64, Vec<(String, Status)>, Vec<String>) {
    let bands = t.table.at(hz(f));
    assert_eq!(bands.len(), 1, "{f}: expected exactly one band");
    let b = bands[0];
    (
        b.lower_hz,
        b.upper_hz,
        b.allocations
            .iter()
            .map(|a| (a.service_text.clone(), a.status))
            .collect(),
        b.footnotes.clone(),
    )
}

#[test]
fn itu1_435_mhz() {
    let (lo, hi, s, _) = services(&ITU1, "435 MHz");
    assert_eq!((lo, hi), (hz("432 MHz"), hz("438 MHz")));
    assert_eq!(
        s,
        vec![
            ("Amateur".to_owned(), Status::Primary),
            ("Radiolocation".to_owned(), Status::Primary),
            (
                "Earth Exploration-Satellite (active)".to_owned(),
                Status::Secondary
            ),
        ]
    );
    let eess = &ITU1.table.at(hz("435 MHz"))[0].allocations[2];
    assert_eq!(eess.parsed().qualifiers, vec!["(active)"]);
    assert_eq!(eess.footnotes, vec!["5.279A"]);
}

#[test]
fn itu1_1450_mhz() {
    let (lo, hi, s, notes) = services(&ITU1, "1450 MHz");
    assert_eq!((lo, hi), (hz("1429 MHz"), hz("1452 MHz")));
    assert_eq!(
        s,
        vec![
            ("Fixed".to_owned(), Status::Primary),
            (
                "Mobile except aeronautical mobile".to_owned(),
                Status::Primary
            ),
        ]
    );
    assert!(notes.contains(&"5.342".to_owned()), "{notes:?}");
    assert!(
        ITU1.table
            .footnote_text("5.342")
            .is_some_and(|t| !t.is_empty())
    );
}

#[test]
fn itu1_120_mhz_and_top_of_table() {
    let (lo, hi, s, _) = services(&ITU1, "120 MHz");
    assert_eq!((lo, hi), (hz("117.975 MHz"), hz("137 MHz")));
    assert_eq!(
        s,
        vec![("Aeronautical Mobile (R)".to_owned(), Status::Primary)]
    );
    let (lo, hi, _, _) = services(&ITU1, &format!("{}", hz("275 GHz") - 1));
    assert_eq!((lo, hi), (hz("265 GHz"), hz("275 GHz")));
    // Above 275 GHz itu1 has one footnote-only band (5.565), no allocation.
    assert!(
        ITU1.table
            .at(hz("275 GHz"))
            .iter()
            .all(|b| b.allocations.is_empty())
    );
}

#[test]
fn kyrgyzstan_is_named_in_dozens_of_itu_footnotes() {
    let named = ITU1.table.footnotes_naming("Kyrgyzstan");
    assert!(named.len() >= 24, "found {}", named.len());
    // Any documented spelling counts: the source also has "Kyrgystan".
    assert!(
        named
            .iter()
            .all(|(_, text)| text.contains("Kyrgyzstan") || text.contains("Kyrgystan"))
    );
    assert!(named.iter().any(|(_, text)| text.contains("Kyrgystan")));
    let ids: Vec<&str> = named.iter().map(|(id, _)| *id).collect();
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| allocation_table::query::footnote_order(a, b));
    assert_eq!(ids, sorted, "numeric footnote order");
}

#[test]
fn us_activity_maps_to_categories() {
    let us = load(&data("us")).unwrap();
    let cats: BTreeMap<Option<Category>, usize> =
        us.table.bands().iter().fold(BTreeMap::new(), |mut m, b| {
            *m.entry(b.category).or_insert(0) += 1;
            m
        });
    assert!(
        cats.get(&Some(Category::Joint)).copied().unwrap_or(0) > 100,
        "{cats:?}"
    );
    assert!(
        cats.get(&Some(Category::Government)).copied().unwrap_or(0) > 0,
        "{cats:?}"
    );
    assert!(
        cats.get(&Some(Category::Civil)).copied().unwrap_or(0) > 0,
        "{cats:?}"
    );
    assert_eq!(cats.get(&None), None);
    // The older per-side files: UPPER CASE = primary, federal only = government.
    let gov = load(&data("us/government")).unwrap();
    assert!(
        gov.table
            .bands()
            .iter()
            .all(|b| b.category == Some(Category::Government))
    );
    let primaries = gov
        .table
        .bands()
        .iter()
        .flat_map(|b| &b.allocations)
        .filter(|a| a.status == Status::Primary)
        .count();
    let secondaries = gov
        .table
        .bands()
        .iter()
        .flat_map(|b| &b.allocations)
        .filter(|a| a.status == Status::Secondary)
        .count();
    assert!(
        primaries > 400 && secondaries > 300,
        "{primaries} / {secondaries}"
    );
}

/// Findings of every shared table, pinned: (table, kind, count).
const PINNED: &[(&str, &[(&str, usize)])] = &[
    ("itu1", &[("no_allocation", 2), ("undefined_footnote", 113)]),
    (
        "itu2",
        &[
            ("gap", 2),
            ("no_allocation", 2),
            ("undefined_footnote", 161),
        ],
    ),
    (
        "itu3",
        &[
            ("gap", 2),
            ("no_allocation", 2),
            ("undefined_footnote", 171),
        ],
    ),
    ("by", &[("duplicate_row", 2), ("overlap", 7)]),
    ("mn", &[("no_allocation", 3), ("overlap", 2)]),
    (
        "de",
        &[
            ("gap", 2),
            ("no_allocation", 487),
            ("overlap", 3271),
            ("zero_width", 1),
        ],
    ),
    (
        "fi",
        &[
            ("duplicate_row", 5),
            ("no_allocation", 622),
            ("overlap", 913),
        ],
    ),
    ("eu", &[("undefined_footnote", 28)]),
    (
        "us",
        &[
            ("gap", 3),
            ("no_allocation", 36),
            ("overlap", 108),
            ("undefined_footnote", 992),
            ("unknown_service", 5),
        ],
    ),
];

#[test]
fn known_defects_are_reported() {
    // itu1 lacks the 8.3-11.3 kHz meteorological aids rows: 0-9 kHz has no allocation.
    let f = validate(&ITU1.table, &ITU1.issues);
    assert!(
        f.iter()
            .any(|x| x.kind.name() == "no_allocation" && x.lower_hz == 0 && x.upper_hz == 9_000)
    );
    // In itu1 3400-3600 MHz the footnote 5.340A (a typo for 5.430A) is undefined.
    assert!(f.iter().any(|x| x.kind.name() == "undefined_footnote"
        && x.lower_hz == hz("3400 MHz")
        && x.message.contains("5.340A")));
    // Findings carry the source line.
    assert!(f.iter().all(|x| x.line > 1));
    let us = load(&data("us")).unwrap();
    let unknown: Vec<String> = validate(&us.table, &us.issues)
        .into_iter()
        .filter(|x| x.kind.name() == "unknown_service")
        .map(|x| x.message)
        .collect();
    assert_eq!(unknown.len(), 5, "{unknown:#?}");
    // eu repeats some rows? They are whole-band repeats merged, reported as findings when exact.
    let de = load(&data("de")).unwrap();
    assert!(
        validate(&de.table, &de.issues)
            .iter()
            .any(|x| x.kind.name() == "zero_width" && x.lower_hz == 2275)
    );
}

#[test]
fn every_shared_table_loads_and_its_findings_are_pinned() {
    let mut report = String::new();
    for name in ["itu1", "itu2", "itu3", "by", "mn", "de", "fi", "eu", "us"] {
        let t = load(&data(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(t.table.len() > 400, "{name}: {} bands", t.table.len());
        let f = validate(&t.table, &t.issues);
        let counts = count_by_kind(&f);
        report.push_str(&format!(
            "(\"{name}\", &{:?}),\n",
            counts.iter().collect::<Vec<_>>()
        ));
        if let Some((_, pinned)) = PINNED.iter().find(|(n, _)| *n == name) {
            let want: BTreeMap<&str, usize> = pinned.iter().copied().collect();
            assert_eq!(counts, want, "{name}");
        }
    }
    assert!(PINNED.len() == 9, "pin these:\n{report}");
}
