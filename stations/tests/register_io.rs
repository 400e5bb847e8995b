//! Import and export of the register: the documented schema, every kind of
//! bad row named by file, line and field, and the CSV ↔ Parquet round trip.

use std::path::{Path, PathBuf};

use stations::StationsError;
use stations::read::{read_operators, read_register};
use stations::register::ProtectionDefaults;
use stations::write::{register_batch, write_batch};
use tabular::Provenance;

const HEADER: &str = "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,eirp_dbm,status,valid_from,valid_to,category";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p
}

fn read(text: &str) -> Result<stations::Register, StationsError> {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = write(dir.path(), "r.csv", text);
    read_register(&p, None, &ProtectionDefaults::default())
}

fn field_error(text: &str) -> (usize, String, String) {
    match read(text) {
        Err(StationsError::Field {
            line,
            field,
            expected,
            ..
        }) => (line, field, expected),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn a_good_register_reads_with_defaults() {
    let reg = read(&format!(
        "{HEADER}\nA1,Sky,land_mobile,42.87,74.59,30,460000000,12K5F3E,40,,,,\n\nA2,MoD,Fixed,42.1,74.1,20,7500000000,28M0D7W,55,planned,2024-01-01,2030-12-31,government\n"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reg.len(), 2);
    let a = &reg.assignments[0];
    assert_eq!(a.line, 2);
    assert_eq!(a.protection_i_n_db, -6.0);
    assert_eq!(a.status.name(), "licensed");
    let b = &reg.assignments[1];
    assert_eq!(b.line, 4, "the empty line 3 is skipped but counted");
    assert_eq!(b.protection_i_n_db, -10.0, "fixed links default to -10 dB");
    assert_eq!(b.category, Some(allocation_table::Category::Government));
}

#[test]
fn bad_rows_name_line_and_field() {
    let ok = "A1,Sky,land_mobile,42.87,74.59,30,460000000,12K5F3E,40,,,,";
    let cases: &[(&str, &str)] = &[
        (
            "A2,Sky,telepathy,42.87,74.59,30,460000000,12K5F3E,40,,,,",
            "service",
        ),
        (
            "A2,Sky,land_mobile,91,74.59,30,460000000,12K5F3E,40,,,,",
            "lat_deg",
        ),
        (
            "A2,Sky,land_mobile,42.8,NaN,30,460000000,12K5F3E,40,,,,",
            "lon_deg",
        ),
        (
            "A2,Sky,land_mobile,42.8,74.5,-3,460000000,12K5F3E,40,,,,",
            "antenna_height_m",
        ),
        (
            "A2,Sky,land_mobile,42.8,74.5,30,4.6e8,12K5F3E,40,,,,",
            "freq_hz",
        ),
        (
            "A2,Sky,land_mobile,42.8,74.5,30,460000000,0K50F3E,40,,,,",
            "emission",
        ),
        (
            "A2,Sky,land_mobile,42.8,74.5,30,460000000,12K5F3E,,,,,",
            "eirp_dbm",
        ),
        (
            "A2,Sky,land_mobile,42.8,74.5,30,460000000,12K5F3E,40,revoked,,,",
            "status",
        ),
        (
            "A2,Sky,land_mobile,42.8,74.5,30,460000000,12K5F3E,40,,2026-13-01,,",
            "valid_from",
        ),
        (
            "A2,Sky,land_mobile,42.8,74.5,30,460000000,12K5F3E,40,,2026-01-02,2026-01-01,",
            "valid_to",
        ),
        (
            "A2,Sky,land_mobile,42.8,74.5,30,460000000,12K5F3E,40,,,,joint",
            "category",
        ),
        (
            "A1,Sky,land_mobile,42.8,74.5,30,460000000,12K5F3E,40,,,,",
            "id",
        ),
        (
            ",Sky,land_mobile,42.8,74.5,30,460000000,12K5F3E,40,,,,",
            "id",
        ),
    ];
    for (row, field) in cases {
        let (line, f, expected) = field_error(&format!("{HEADER}\n{ok}\n{row}\n"));
        assert_eq!((line, f.as_str()), (3, *field), "{row}: {expected}");
    }
    // The message names the file, the line and the field.
    let err = read(&format!("{HEADER}\n{ok}\nA2,Sky,x,1,1,1,1,1K00,1,,,,\n"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("r.csv:3: field `service`"), "{err}");
}

#[test]
fn a_missing_column_or_a_ragged_row_is_refused() {
    match read("id,operator\nA1,Sky\n") {
        Err(StationsError::MissingColumn { column, .. }) => assert_eq!(column, "service"),
        other => panic!("{other:?}"),
    }
    let err = read(&format!("{HEADER}\nA1,Sky\n"))
        .err()
        .map(|e| e.to_string());
    assert!(err.unwrap_or_default().contains("line 2"));
}

#[test]
fn operators_are_checked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ops = write(
        dir.path(),
        "ops.csv",
        "name,kind,user,state_share_pct\nSky,network,civil,\nKT,national,civil,100\n",
    );
    let map = read_operators(&ops).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(map.len(), 2);
    let bad = write(
        dir.path(),
        "bad.csv",
        "name,kind,user,state_share_pct\nKT,national,civil,51\n",
    );
    match read_operators(&bad) {
        Err(StationsError::Field { line, field, .. }) => {
            assert_eq!((line, field.as_str()), (2, "state_share_pct"))
        }
        other => panic!("{other:?}"),
    }
    let reg = write(
        dir.path(),
        "r.csv",
        &format!("{HEADER}\nA1,Nobody,land_mobile,42.87,74.59,30,460000000,12K5F3E,40,,,,\n"),
    );
    match read_register(&reg, Some(&ops), &ProtectionDefaults::default()) {
        Err(StationsError::Field { field, .. }) => assert_eq!(field, "operator"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn csv_and_parquet_round_trip_to_the_same_register() {
    let reg = read(&format!(
        "{HEADER}\nA1,Sky,land_mobile,42.87,74.59,30,460000000,12K5F3E,40.5,,,,\nA2,MoD,radiolocation,41.123456789,75.5,12,2800000000,3M00P0N,80,planned,2020-01-01,2030-01-01,government\n"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let batch = register_batch(&reg).unwrap_or_else(|e| panic!("{e}"));
    for name in ["out.parquet", "out.csv"] {
        let p = dir.path().join(name);
        write_batch(&p, &batch, &Provenance::new("test")).unwrap_or_else(|e| panic!("{e}"));
        let back = read_register(&p, None, &ProtectionDefaults::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.len(), reg.len());
        for (x, y) in back.assignments.iter().zip(&reg.assignments) {
            let mut y = y.clone();
            y.line = x.line;
            assert_eq!(x, &y, "{name}");
        }
    }
}

#[test]
fn the_first_bad_row_is_reported_whatever_the_chunking() {
    let mut text = String::from(HEADER);
    text.push('\n');
    for i in 0..40_000 {
        let emission = if i == 29_998 || i == 34_998 {
            "K500"
        } else {
            "12K5F3E"
        };
        text.push_str(&format!(
            "A{i},Sky,land_mobile,42.87,74.59,30,460000000,{emission},40,,,,\n"
        ));
    }
    match read(&text) {
        Err(StationsError::Field { line, field, .. }) => {
            assert_eq!((line, field.as_str()), (30_000, "emission"))
        }
        other => panic!("{:?}", other.map(|r| r.len())),
    }
    let good = text.replace("K500", "12K5F3E");
    let reg = read(&good).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reg.len(), 40_000);
    assert!(
        reg.assignments
            .iter()
            .enumerate()
            .all(|(i, a)| a.line == i + 2)
    );
}

#[test]
fn antenna_patterns_must_be_readable_msi_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        dir.path(),
        "panel.msi",
        "NAME panel\nGAIN 17 dBi\nHORIZONTAL 2\n0 0\n180 25\nVERTICAL 2\n0 0\n90 20\n",
    );
    write(dir.path(), "broken.msi", "HORIZONTAL 2\n0 zero\n");
    let head =
        "id,operator,service,lat_deg,lon_deg,antenna_height_m,freq_hz,emission,eirp_dbm,antenna";
    let row = |id: &str, antenna: &str| {
        format!("{id},Sky,land_mobile,42.87,74.59,30,460000000,12K5F3E,40,{antenna}")
    };
    let good = write(
        dir.path(),
        "good.csv",
        &format!("{head}\n{}\n{}\n", row("A1", "panel.msi"), row("A2", "")),
    );
    let reg = read_register(&good, None, &ProtectionDefaults::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        reg.assignments[0].station.pattern.as_deref(),
        Some("panel.msi")
    );
    for (name, antenna) in [("missing.csv", "nowhere.msi"), ("broken.csv", "broken.msi")] {
        let p = write(
            dir.path(),
            name,
            &format!(
                "{head}\n{}\n{}\n",
                row("A1", "panel.msi"),
                row("A2", antenna)
            ),
        );
        match read_register(&p, None, &ProtectionDefaults::default()) {
            Err(StationsError::Field { line, field, .. }) => {
                assert_eq!((line, field.as_str()), (3, "antenna"), "{name}")
            }
            other => panic!("{name}: {:?}", other.map(|r| r.len())),
        }
    }
}
