//! The publication filter end to end: for every publisher (CSV, JSON,
//! Parquet rows and key-value metadata, native export, chart PNG and SVG,
//! diff, queries, history) no byte of the open output reveals a restricted
//! band, the decisions touching it, their references and authorities, the
//! footnotes only it cites, edges only it has, or a gap in row numbering —
//! checked by the one leak audit (`allocation_table::leaks`), which is shown
//! to catch the same material in the internal outputs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use allocation_table::convert::Conversion;
use allocation_table::leaks::{Probe, Probes, parquet_as_text};
use allocation_table::model::{Category, Sensitivity, Table};
use allocation_table::native::from_native_str;
use allocation_table::publish::{Audience, view};
use allocation_table::request::{self, BandQuery, FootnoteQuery};
use allocation_table::sink::{Format, PublishRequest, publish, write};

const SAMPLE: &str = include_str!("../../datasets/data/kg-ntfa.ntfa");
const SECRET_REF: &str = "GKS-2025-SECRET-7";
const SECRET_AUTHORITY: &str = "Special Communications Directorate";
const SECRET_NOTE: &str = "KG99";

/// The sample table with more restricted material: a footnote only the
/// restricted band cites, an allocation override on it, and a conversion
/// that splits it at 425 MHz (an edge only restricted bands have).
fn table() -> Table {
    let text = SAMPLE
        .replace(
            "band\t420 MHz\t430 MHz\tgovernment\trestricted\tKG5\nalloc\tp\tFixed\t\t-\nalloc\tp\tMobile except aeronautical mobile\t\t-\nalloc\ts\tRadiolocation\t\t-",
            "band\t420 MHz\t430 MHz\tgovernment\trestricted\tKG5,KG99\nalloc\tp\tFixed\t\t-\nalloc\tp\tMobile except aeronautical mobile\tKG99\t-\nalloc\ts\tRadiolocation\t\tgovernment\napp\tTroposcatter links of the border guard",
        )
        .replace(
            "footnote\tKG7\t",
            "footnote\tKG99\tIn the Kyrgyz Republic the band 420-425 MHz is reserved for classified systems.\nfootnote\tKG7\t",
        );
    assert_ne!(
        text, SAMPLE,
        "the sample's restricted band changed: update this test"
    );
    let mut t = from_native_str(&text, Path::new("sample")).unwrap();
    t.convert(&Conversion {
        lower_hz: 420_000_000,
        upper_hz: 425_000_000,
        from: Category::Government,
        to: Category::Joint,
        reference: SECRET_REF.into(),
        authority: SECRET_AUTHORITY.into(),
        effective_date: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
    })
    .unwrap();
    t
}

fn probes(t: &Table) -> Probes {
    let p = Probes::for_table(t);
    let items: Vec<&Probe> = p.items().iter().map(|(p, _)| p).collect();
    for expected in [
        Probe::Pair(420_000_000, 425_000_000),
        Probe::Pair(425_000_000, 430_000_000),
        Probe::Number(425_000_000),
        Probe::Text(SECRET_REF.into()),
        Probe::Text(SECRET_AUTHORITY.into()),
        Probe::Text(SECRET_NOTE.into()),
        Probe::Text("Troposcatter links of the border guard".into()),
    ] {
        assert!(
            items.contains(&&expected),
            "missing probe {expected:?} in {items:?}"
        );
    }
    // Shared with published bands or decisions: not secrets.
    assert!(!items.contains(&&Probe::Number(420_000_000)));
    assert!(!items.contains(&&Probe::Text("KG5".into())));
    p
}

fn read(path: &Path, format: Format) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    if format == Format::Parquet {
        // Raw bytes (footer, statistics) and the decoded rows and metadata.
        bytes.extend(parquet_as_text(path).unwrap().into_bytes());
    }
    bytes
}

/// `band_index` of a CSV text or Parquet text: the numbers are 0..n.
fn assert_contiguous_band_index(text: &str) {
    let mut lines = text.lines().skip_while(|l| !l.starts_with("band_index,"));
    assert!(lines.next().is_some(), "no CSV header");
    let idx: BTreeSet<u32> = lines
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    let n = u32::try_from(idx.len()).unwrap();
    assert_eq!(idx, (0..n).collect(), "band_index has gaps");
}

#[test]
fn no_open_publication_reveals_restricted_material() {
    let t = table();
    let p = probes(&t);
    let dir = tempfile::tempdir().unwrap();
    for (name, format) in Format::EXTENSIONS {
        let open_path = dir.path().join(format!("open.{name}"));
        let internal_path = dir.path().join(format!("internal.{name}"));
        for (path, audience) in [
            (&open_path, Audience::Open),
            (&internal_path, Audience::Internal),
        ] {
            publish(
                &t,
                &PublishRequest {
                    out: path.clone(),
                    format: None,
                    audience,
                    merged: false,
                },
            )
            .unwrap();
        }
        let open = read(&open_path, format);
        let leaks = p.find(&open);
        assert!(leaks.is_empty(), "{name}: {leaks:#?}");
        if !format.is_chart() {
            // The audit sees the same material where it is allowed.
            let internal = read(&internal_path, format);
            let found = p.find(&internal);
            assert!(
                found.len() >= 5,
                "{name}: the audit missed the internal material: {found:#?}"
            );
        }
        if format == Format::Csv {
            assert_contiguous_band_index(&String::from_utf8_lossy(&open));
        }
        if format == Format::Parquet {
            assert_contiguous_band_index(&parquet_as_text(&open_path).unwrap());
        }
    }
}

#[test]
fn open_charts_are_the_charts_of_the_table_without_restricted_bands() {
    let t = table();
    let mut stripped = t.clone();
    let public = t
        .bands()
        .iter()
        .filter(|b| b.sensitivity == Sensitivity::Public)
        .cloned()
        .collect();
    stripped.set_bands(public);
    let dir = tempfile::tempdir().unwrap();
    for (ext, format) in [("png", Format::Png), ("svg", Format::Svg)] {
        let paths: Vec<_> = ["open", "stripped", "internal"]
            .iter()
            .map(|n| dir.path().join(format!("{n}.{ext}")))
            .collect();
        write(&view(&t, Audience::Open), format, &paths[0]).unwrap();
        write(&view(&stripped, Audience::Internal), format, &paths[1]).unwrap();
        write(&view(&t, Audience::Internal), format, &paths[2]).unwrap();
        let bytes: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
        assert_eq!(
            bytes[0], bytes[1],
            "{format:?}: open chart differs from the stripped table's"
        );
        assert_ne!(
            bytes[0], bytes[2],
            "{format:?}: the restricted band is not drawn at all"
        );
    }
}

#[test]
fn open_parquet_reads_back_into_the_open_view_metadata_included() {
    let t = table();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.parquet");
    write(&view(&t, Audience::Open), Format::Parquet, &path).unwrap();
    let back = allocation_table::export::read_parquet_export(&path).unwrap();
    assert_eq!(&back, view(&t, Audience::Open).table());
    assert_eq!(
        back.journal.decisions.len(),
        4,
        "the secret decision is withheld"
    );
    assert!(!back.footnotes.contains_key(SECRET_NOTE));
    let kv = tabular::read_parquet_metadata(&path).unwrap();
    assert_eq!(kv["audience"], "open");
}

#[test]
fn query_diff_and_history_reports_are_filtered_by_audience() {
    let t = table();
    let p = probes(&t);
    let other = from_native_str(SAMPLE, Path::new("sample")).unwrap();
    let reports: Vec<(Audience, String)> = [Audience::Open, Audience::Internal]
        .into_iter()
        .map(|a| {
            let mut out = String::new();
            for q in [
                BandQuery::At(422_000_000),
                BandQuery::Range(400_000_000, 440_000_000),
                BandQuery::Service {
                    name: "radiolocation".into(),
                    primary_only: false,
                },
            ] {
                let r = request::query_bands(&t, a, &q);
                out += &serde_json::to_string(&r).unwrap();
                out += &allocation_table::request::Report::text(&r);
            }
            let d = request::diff_tables(&t, &other, a);
            out += &serde_json::to_string(&d).unwrap();
            out += &allocation_table::request::Report::text(&d);
            let j = request::journal(&t, a);
            out += &serde_json::to_string(&j).unwrap();
            out += &allocation_table::request::Report::text(&j);
            let h = request::as_of(
                &t,
                a,
                chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                None,
            )
            .unwrap();
            out += &serde_json::to_string(&h).unwrap();
            out += &allocation_table::request::Report::text(&h);
            (a, out)
        })
        .collect();
    let leaks = p.find(reports[0].1.as_bytes());
    assert!(leaks.is_empty(), "{leaks:#?}");
    assert!(
        p.find(reports[1].1.as_bytes()).len() >= 4,
        "internal reports show the material"
    );
    let e = request::query_footnote(&t, Audience::Open, &FootnoteQuery::Id(SECRET_NOTE.into()));
    assert!(
        e.is_err(),
        "a withheld footnote is unknown to the open audience"
    );
    assert!(
        request::query_footnote(
            &t,
            Audience::Internal,
            &FootnoteQuery::Id(SECRET_NOTE.into())
        )
        .is_ok()
    );
}

fn arb_table() -> impl proptest::strategy::Strategy<Value = Table> {
    use proptest::prelude::*;
    (
        proptest::collection::btree_set(1u64..1_000, 2..10),
        proptest::collection::vec(any::<bool>(), 10),
        proptest::collection::vec((0u64..1_000, 1u64..300), 0..5),
    )
        .prop_map(|(edges, restricted, convs)| {
            let edges: Vec<u64> = edges.into_iter().map(|e| e * 1_000_000).collect();
            let bands = edges
                .windows(2)
                .zip(&restricted)
                .enumerate()
                .map(|(i, (w, &r))| {
                    let mut b = allocation_table::Band::new(w[0], w[1]);
                    b.category = Some(Category::Government);
                    if r {
                        b.sensitivity = Sensitivity::Restricted;
                    }
                    b.footnotes = vec![format!("N{i}"), "SHARED".into()];
                    b.allocations.push(allocation_table::Allocation::new(
                        "Fixed",
                        allocation_table::Status::Primary,
                    ));
                    b
                })
                .collect();
            let notes = (0..10)
                .map(|i| (format!("N{i}"), format!("note number {i}")))
                .chain([("SHARED".to_owned(), "shared".to_owned())])
                .collect();
            let mut t = Table::new(Default::default(), bands, notes);
            for (k, (lo, len)) in convs.into_iter().enumerate() {
                let _ = t.convert(&Conversion {
                    lower_hz: lo * 1_000_000,
                    upper_hz: (lo + len) * 1_000_000,
                    from: Category::Government,
                    to: Category::Civil,
                    reference: format!("REF-{k}"),
                    authority: format!("Authority {k}"),
                    effective_date: chrono::NaiveDate::from_ymd_opt(2020, 1, 1 + k as u32).unwrap(),
                });
            }
            t
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
    #[test]
    fn open_views_of_random_tables_leak_nothing(t in arb_table()) {
        let open = view(&t, Audience::Open);
        let o = open.table();
        proptest::prop_assert!(o.bands().iter().all(|b| b.sensitivity == Sensitivity::Public));
        for d in &o.journal.decisions {
            for b in t.bands().iter().filter(|b| b.sensitivity == Sensitivity::Restricted) {
                proptest::prop_assert!(!d.touches(b.lower_hz, b.upper_hz), "{} kept", d.reference);
            }
        }
        let probes = Probes::for_table(&t);
        let text = allocation_table::native::to_native_string(o)
            + &serde_json::to_string(o).unwrap()
            + &serde_json::to_string(&request::diff_tables(&t, &t, Audience::Open)).unwrap()
            + &serde_json::to_string(&request::journal(&t, Audience::Open)).unwrap();
        let leaks = probes.find(text.as_bytes());
        proptest::prop_assert!(leaks.is_empty(), "{:#?}", leaks);
        let internal = allocation_table::native::to_native_string(&t);
        proptest::prop_assert_eq!(probes.find(internal.as_bytes()).is_empty(), probes.items().is_empty());
    }
}
