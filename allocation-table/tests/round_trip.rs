//! Exact round trips: native text ↔ table ↔ Parquet export, and the open
//! export rule (restricted bands never published).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use allocation_table::convert::Conversion;
use allocation_table::export;
use allocation_table::load::load;
use allocation_table::model::{Allocation, Band, Category, Metadata, Sensitivity, Status, Table};
use allocation_table::native::{from_native_str, to_native_string};
use allocation_table::publish::{Audience, view};
use proptest::prelude::*;

fn data(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/allocations"
    ))
    .join(name)
}

fn small_table() -> Table {
    let mut a = Band::new(430_000_000, 440_000_000);
    a.category = Some(Category::Joint);
    a.footnotes = vec!["5.138".into(), "KG1".into()];
    let mut am = Allocation::new("Amateur", Status::Primary);
    am.category = Some(Category::Civil);
    a.allocations.push(am);
    let mut rl = Allocation::new("Radiolocation", Status::Primary);
    rl.footnotes.push("5.279A".into());
    a.allocations.push(rl);
    a.applications
        .push("Amateur radio, \"repeaters\"\tand beacons".into());
    let mut r = Band::new(420_000_000, 430_000_000);
    r.category = Some(Category::Government);
    r.sensitivity = Sensitivity::Restricted;
    r.allocations
        .push(Allocation::new("Fixed", Status::Primary));
    let mut notes = BTreeMap::new();
    notes.insert(
        "KG1".into(),
        "Line one\nline two\twith tab \\ and backslash".into(),
    );
    let mut t = Table::new(
        Metadata {
            country: "KG".into(),
            name: "Test".into(),
            itu_region: Some(1),
            edition: "2024".into(),
            effective_date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1),
            source: "unit test".into(),
        },
        vec![a, r],
        notes,
    );
    t.convert(&Conversion {
        lower_hz: 420_000_000,
        upper_hz: 425_000_000,
        from: Category::Government,
        to: Category::Joint,
        reference: "DEC-1".into(),
        authority: "Agency".into(),
        effective_date: chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default(),
    })
    .unwrap();
    t
}

#[test]
fn native_text_round_trips_exactly() {
    let t = small_table();
    let text = to_native_string(&t);
    let back = from_native_str(&text, Path::new("mem")).unwrap();
    assert_eq!(back, t);
    assert_eq!(to_native_string(&back), text, "canonical text is stable");
}

#[test]
fn itu1_round_trips_through_native_and_parquet() {
    let t = load(&data("itu1")).unwrap().table;
    let back = from_native_str(&to_native_string(&t), Path::new("mem")).unwrap();
    assert_eq!(back, t);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("itu1.parquet");
    export::write_parquet(&view(&t, Audience::Internal), &p).unwrap();
    assert_eq!(export::read_parquet_export(&p).unwrap(), t);
}

#[test]
fn parquet_export_round_trips_and_carries_provenance() {
    let t = small_table();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.parquet");
    export::write_parquet(&view(&t, Audience::Internal), &p).unwrap();
    assert_eq!(export::read_parquet_export(&p).unwrap(), t);
    let kv = tabular::read_parquet_metadata(&p).unwrap();
    for key in ["source", "edition", "exported_at", "tool_version"] {
        assert!(kv.contains_key(key), "missing {key}");
    }
    assert_eq!(kv["edition"], "2024");
}

#[test]
fn open_exports_never_contain_restricted_bands() {
    let t = small_table();
    let dir = tempfile::tempdir().unwrap();
    let open = view(&t, Audience::Open);
    let batch = export::to_record_batch(&open).unwrap();
    let lower = batch.column_by_name("lower_hz").unwrap();
    let lower = lower
        .as_any()
        .downcast_ref::<arrow::array::UInt64Array>()
        .unwrap();
    assert!(
        lower.values().iter().all(|&l| l >= 425_000_000),
        "{lower:?}"
    );
    let csv = dir.path().join("t.csv");
    export::write_csv(&open, &csv).unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(!text.contains("restricted"));
    assert_eq!(text.lines().count(), 1 + 2);
    let json = dir.path().join("t.json");
    export::write_json(&open, &json).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["table"]["bands"].as_array().unwrap().len(), 1);
    assert_eq!(v["provenance"]["tool"], "spectra");
}

#[test]
fn chart_is_written_as_png_and_svg() {
    let t = load(&data("itu1")).unwrap().table;
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("c.png");
    let t = view(&t, Audience::Internal);
    allocation_table::chart::write_png(&t, &png).unwrap();
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let svg = allocation_table::chart::to_svg(&t).unwrap();
    assert!(svg.contains("<svg") && svg.contains("Radio Astronomy") && svg.contains("EHF"));
}

fn arb_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[A-Za-z0-9 ()\\-\t\n\\\\,.]{1,20}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_tables_round_trip(
        edges in proptest::collection::btree_set(1u64..5_000_000_000, 2..10),
        services in proptest::collection::vec((arb_text(), any::<bool>()), 1..5),
        note in arb_text(),
    ) {
        let edges: Vec<u64> = edges.into_iter().collect();
        let bands: Vec<Band> = edges.windows(2).map(|w| {
            let mut b = Band::new(w[0], w[1]);
            b.category = Some(Category::Joint);
            for (s, p) in &services {
                if !s.trim().is_empty() {
                    b.allocations.push(Allocation::new(s.as_str(), if *p { Status::Primary } else { Status::Secondary }));
                }
            }
            b
        }).collect();
        let mut notes = BTreeMap::new();
        notes.insert("N1".to_owned(), note);
        let t = Table::new(Metadata::default(), bands, notes);
        let back = from_native_str(&to_native_string(&t), Path::new("mem")).unwrap();
        prop_assert_eq!(back, t);
    }
}
