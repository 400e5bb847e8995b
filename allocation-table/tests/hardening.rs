//! Regression tests of the hardening sweep (issue 10) for table loading and
//! exports: empty sources refused, Latin-1 bytes decoded and reported, a
//! byte-order mark accepted, Parquet exports loaded back, CSV formula guard,
//! output `-` for standard output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use allocation_table::export;
use allocation_table::load::load;
use allocation_table::model::{Allocation, Band, Metadata, Status, Table};
use allocation_table::native::to_native_string;
use allocation_table::publish::{Audience, view};
use allocation_table::validate::{FindingKind, validate};

const HEADER: &str = "region\tsub-table\tlower_frequency\tupper_frequency\tservice\tcategory\tfootnotes\tapplications\n";

fn tsv_dir(dir: &Path, body: &[u8]) {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(body);
    std::fs::write(dir.join("allocations.tsv"), bytes).unwrap();
}

fn table(service: &str) -> Table {
    let mut b = Band::new(430_000_000, 440_000_000);
    b.allocations
        .push(Allocation::new(service, Status::Primary));
    Table::new(
        Metadata {
            country: "KG".into(),
            name: "Test".into(),
            edition: "2024".into(),
            ..Metadata::default()
        },
        vec![b],
        Default::default(),
    )
}

#[test]
fn header_only_tsv_and_magic_only_ntfa_are_refused_not_empty_tables() {
    let dir = tempfile::tempdir().unwrap();
    tsv_dir(dir.path(), b"");
    let e = load(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("no band") && e.contains("allocations.tsv"),
        "{e}"
    );

    let ntfa = dir.path().join("empty.ntfa");
    std::fs::write(&ntfa, "spectra-ntfa\t1\n").unwrap();
    let e = load(&ntfa).unwrap_err().to_string();
    assert!(e.contains("no band") && e.contains("empty.ntfa"), "{e}");
}

#[test]
fn a_latin1_byte_loads_with_replacement_and_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    tsv_dir(
        dir.path(),
        b"kg\t\t430000000\t440000000\tAMATEUR\tp\t\t\nkg\t\t440000000\t450000000\tFIXED\tp\t\tT\xe9l\xe9phonie\n",
    );
    let loaded = load(dir.path()).unwrap();
    assert_eq!(loaded.table.bands().len(), 2);
    let findings = validate(&loaded.table, &loaded.issues);
    let enc: Vec<_> = findings
        .iter()
        .filter(|f| f.kind == FindingKind::Encoding)
        .collect();
    assert_eq!(enc.len(), 1, "{findings:?}");
    assert_eq!(enc[0].line, 3);
    assert!(enc[0].message.contains("UTF-8"), "{}", enc[0].message);
    assert!(
        loaded.table.bands()[1]
            .applications
            .iter()
            .any(|a| a.contains('\u{fffd}'))
    );
}

#[test]
fn a_byte_order_mark_is_accepted_in_ntfa_and_tsv() {
    let dir = tempfile::tempdir().unwrap();
    let ntfa = dir.path().join("bom.ntfa");
    let text = format!("\u{feff}{}", to_native_string(&table("Fixed")));
    std::fs::write(&ntfa, text).unwrap();
    assert_eq!(load(&ntfa).unwrap().table.bands().len(), 1);

    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(HEADER.as_bytes());
    bytes.extend_from_slice(b"kg\t\t430000000\t440000000\tAMATEUR\tp\t\t\n");
    std::fs::write(dir.path().join("allocations.tsv"), bytes).unwrap();
    assert_eq!(load(dir.path()).unwrap().table.bands().len(), 1);
}

#[test]
fn a_parquet_export_loads_back_as_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.parquet");
    let t = table("Fixed");
    export::write_parquet(&view(&t, Audience::Open), &path).unwrap();
    let back = load(&path).unwrap();
    assert_eq!(back.table.bands().len(), 1);
    assert_eq!(back.table.bands()[0].allocations[0].service_text, "Fixed");
}

#[test]
fn csv_exports_guard_formula_like_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    let t = table("=HYPERLINK(\"http://x\",\"y\")");
    export::write_csv(&view(&t, Audience::Open), &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(!text.contains(",=HYPERLINK"), "{text}");
    for cell in ["+1", "-1+2", "@SUM(A1)"] {
        assert_eq!(export::guard_formula(cell), format!("'{cell}"));
    }
    assert_eq!(export::guard_formula("-"), "-");
    assert_eq!(export::guard_formula("Fixed"), "Fixed");
}

#[test]
fn footnote_country_sorts_numerically_and_finds_other_spellings() {
    let mut notes = std::collections::BTreeMap::new();
    notes.insert("5.100".to_owned(), "in Kyrgyzstan, the band".to_owned());
    notes.insert("5.10".to_owned(), "in Kyrgystan, the band".to_owned());
    notes.insert("5.2".to_owned(), "in Kyrgyzstan and Belarus".to_owned());
    notes.insert("5.3".to_owned(), "in Belarus only".to_owned());
    let t = Table::new(Metadata::default(), table("Fixed").bands().to_vec(), notes);
    let ids: Vec<&str> = t
        .footnotes_naming("Kyrgyzstan")
        .iter()
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(ids, ["5.2", "5.10", "5.100"]);
    assert_eq!(t.footnotes_naming("kyrgystan").len(), 3);
}

#[test]
fn a_bare_number_with_no_band_hints_at_mhz() {
    use allocation_table::request::{BandQuery, Report, query_bands};
    let t = table("Fixed");
    let r = query_bands(&t, Audience::Open, &BandQuery::At(435));
    assert!(r.bands.is_empty());
    let text = r.text();
    assert!(
        text.starts_with("no band") && text.contains("435MHz"),
        "{text}"
    );
    let r = query_bands(&t, Audience::Open, &BandQuery::At(10));
    assert!(r.hint.is_none(), "no hint when MHz/kHz would not help");
}

#[test]
fn chart_service_colours_are_fixed_and_distinct_and_the_title_has_no_doubled_brackets() {
    use allocation_table::chart::{service_colour, to_svg};
    use allocation_table::service::RadioService;
    // Any two RR services differ visibly.
    let all = RadioService::ALL;
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            let (x, y) = (service_colour(*a), service_colour(*b));
            let d = ((f64::from(x.0) - f64::from(y.0)).powi(2)
                + (f64::from(x.1) - f64::from(y.1)).powi(2)
                + (f64::from(x.2) - f64::from(y.2)).powi(2))
            .sqrt();
            assert!(d >= 45.0, "{a:?} and {b:?} are too alike ({d:.0})");
        }
    }
    // Fixed has the same colour in a table of Fixed alone and in a table
    // where other services sort before it.
    let fixed = service_colour(RadioService::Fixed);
    let hex = format!("#{:02X}{:02X}{:02X}", fixed.0, fixed.1, fixed.2);
    let mut many = table("Fixed");
    let mut more = Band::new(440_000_000, 450_000_000);
    for s in ["Aeronautical Mobile", "Amateur", "Broadcasting", "Fixed"] {
        more.allocations.push(Allocation::new(s, Status::Primary));
    }
    let mut bands = many.bands().to_vec();
    bands.push(more);
    many.set_bands(bands);
    many.metadata.name = "Test (sample)".into();
    for t in [table("Fixed"), many] {
        let svg = to_svg(&view(&t, Audience::Open)).unwrap();
        assert!(svg.to_uppercase().contains(&hex), "Fixed is {hex}");
        assert!(!svg.contains(") ("), "doubled brackets in the title");
        // The table ends at 450 MHz: the rest of the UHF row is labelled.
        assert!(svg.contains("above this table"), "unexplained area");
    }
}
