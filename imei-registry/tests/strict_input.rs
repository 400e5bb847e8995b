//! Strict identifier input on registry imports (issue 9, item 2): numeric
//! identifier columns and non-pseudonyms in `owner_pseudonym` are refused with
//! file, line and column, and the store is left exactly as it was; a UTF-8 BOM
//! is stripped; leading zeros survive.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use imei_registry::import::ImportOptions;
use imei_registry::pseudonym::{PseudonymKey, is_pseudonym};
use imei_registry::{DeviceStatus, ImeiError, Registry, RegistryError, classify};

const LEADING_ZERO: &str = "012345678901237";

fn key() -> PseudonymKey {
    PseudonymKey::new(&[0x42; 32]).unwrap()
}

fn opts() -> ImportOptions {
    ImportOptions {
        key: Some(key()),
        ..ImportOptions::default()
    }
}

fn write_parquet(path: &Path, cols: Vec<(&str, ArrayRef)>) {
    let batch = RecordBatch::try_from_iter(cols).unwrap();
    let f = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

/// Row counts of every table an import writes, and the stored fingerprint.
fn snapshot(reg: &Registry) -> (u64, u64, u64, Option<String>) {
    (
        reg.count("devices").unwrap(),
        reg.count("status_history").unwrap(),
        reg.count("audit_log").unwrap(),
        reg.meta("pseudonym_key_fingerprint").unwrap(),
    )
}

/// A registry holding one device, imported with the key.
fn seeded(dir: &Path) -> Registry {
    let csv = dir.join("seed.csv");
    std::fs::write(&csv, "imei,status,owner_id\n260531793113837,white,KG 1\n").unwrap();
    let mut reg = Registry::open_or_create(&dir.join("reg.duckdb"), "tester").unwrap();
    reg.import_devices(&csv, &opts()).unwrap();
    reg
}

#[test]
fn numeric_imei_columns_in_parquet_are_refused_and_the_store_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = seeded(dir.path());
    let before = snapshot(&reg);
    let cases: [(&str, &str, ArrayRef, &str); 3] = [
        (
            "int.parquet",
            "imei",
            Arc::new(Int64Array::from(vec![12_345_678_901_237_i64])),
            "Int64",
        ),
        (
            "float.parquet",
            "imei",
            Arc::new(Float64Array::from(vec![12_345_678_901_237.0])),
            "Float64",
        ),
        (
            "owner.parquet",
            "owner_id",
            Arc::new(Int64Array::from(vec![123_456_i64])),
            "Int64",
        ),
    ];
    for (name, column, values, ty) in cases {
        let p = dir.path().join(name);
        let imei: ArrayRef = if column == "imei" {
            values.clone()
        } else {
            Arc::new(StringArray::from(vec![LEADING_ZERO]))
        };
        let mut cols = vec![
            ("imei", imei),
            (
                "status",
                Arc::new(StringArray::from(vec!["black"])) as ArrayRef,
            ),
        ];
        if column != "imei" {
            cols.push((column, values));
        }
        write_parquet(&p, cols);
        let err = reg.import_devices(&p, &opts()).unwrap_err();
        match &err {
            RegistryError::Core(ImeiError::ColumnType {
                file,
                column: c,
                found,
            }) => {
                assert_eq!(file, &p.display().to_string());
                assert_eq!((c.as_str(), found.as_str()), (column, ty));
            }
            other => panic!("{name}: expected ColumnType, got {other}"),
        }
        assert!(err.to_string().contains(ty), "{err}");
        assert_eq!(snapshot(&reg), before, "{name} changed the store");
    }
    // The same IMEI as text imports, with its leading zero intact.
    let p = dir.path().join("text.parquet");
    write_parquet(
        &p,
        vec![
            ("imei", Arc::new(StringArray::from(vec![LEADING_ZERO]))),
            ("status", Arc::new(StringArray::from(vec!["black"]))),
        ],
    );
    reg.import_devices(&p, &opts()).unwrap();
    let k = classify(LEADING_ZERO).key.unwrap();
    assert_eq!(k, 1_234_567_890_123);
    let row = reg.device(k).unwrap().unwrap();
    assert_eq!(
        (row.tac.as_str(), row.status),
        ("01234567", DeviceStatus::Black)
    );
}

#[test]
fn a_csv_with_a_byte_order_mark_imports() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bom.csv");
    std::fs::write(
        &csv,
        format!(
            "\u{feff}imei,status,owner_id\r\n{LEADING_ZERO},grey,KG 2\r\n353328110000021,black,\r\n"
        ),
    )
    .unwrap();
    let mut reg = Registry::open_or_create(&dir.path().join("reg.duckdb"), "tester").unwrap();
    let s = reg.import_devices(&csv, &opts()).unwrap();
    assert_eq!((s.rows, s.inserted), (2, 2));
    let row = reg.device(1_234_567_890_123).unwrap().unwrap();
    assert_eq!(row.status, DeviceStatus::Grey);
    assert_eq!(row.tac, "01234567");
    assert_eq!(row.owner_pseudonym, Some(key().pseudonymise("KG 2")));
}

#[test]
fn a_clear_text_owner_id_in_owner_pseudonym_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = seeded(dir.path());
    let before = snapshot(&reg);
    let good = key().pseudonymise("KG 3");
    assert!(is_pseudonym(&good));
    let csv = dir.path().join("owners.csv");
    std::fs::write(
        &csv,
        format!(
            "imei,status,owner_pseudonym\n353328110000021,grey,{good}\n{LEADING_ZERO},black,AN 1234567\n"
        ),
    )
    .unwrap();
    let err = reg.import_devices(&csv, &opts()).unwrap_err();
    match &err {
        RegistryError::Core(ImeiError::Input {
            file, line, field, ..
        }) => {
            assert_eq!(file, &csv.display().to_string());
            assert_eq!((*line, field.as_str()), (3, "owner_pseudonym"));
        }
        other => panic!("expected an input error, got {other}"),
    }
    let text = err.to_string();
    assert!(text.contains("p1:") && text.contains("line 3"), "{text}");
    // The error never repeats the clear-text ID.
    assert!(!text.contains("1234567"), "{text}");
    assert_eq!(snapshot(&reg), before);
    assert!(reg.device(1_234_567_890_123).unwrap().is_none());
    // (That read is in the audit log.)
    let before = snapshot(&reg);

    // Upper-case hex, a wrong length or another prefix are not pseudonyms either.
    for bad in [
        good.to_uppercase().replace("P1:", "p1:"),
        format!("{good}0"),
        good.replace("p1:", "p2:"),
    ] {
        std::fs::write(
            &csv,
            format!("imei,status,owner_pseudonym\n353328110000021,grey,{bad}\n"),
        )
        .unwrap();
        let err = reg.import_devices(&csv, &opts()).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        assert_eq!(snapshot(&reg), before);
    }

    // A real pseudonym imports verbatim.
    std::fs::write(
        &csv,
        format!("imei,status,owner_pseudonym\n353328110000021,grey,{good}\n"),
    )
    .unwrap();
    reg.import_devices(&csv, &ImportOptions::default()).unwrap();
    let row = reg.device(35_332_811_000_002).unwrap().unwrap();
    assert_eq!(row.owner_pseudonym.as_deref(), Some(good.as_str()));
}

#[test]
fn the_fingerprint_is_keyed_and_a_different_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = seeded(dir.path());
    let fp = reg.meta("pseudonym_key_fingerprint").unwrap().unwrap();
    assert_eq!(fp, key().fingerprint());
    assert!(fp.starts_with("kf1:"), "{fp}");
    let before = snapshot(&reg);
    let csv = dir.path().join("more.csv");
    std::fs::write(&csv, "imei,status,owner_id\n353328110000021,grey,KG 9\n").unwrap();
    let err = reg
        .import_devices(
            &csv,
            &ImportOptions {
                key: Some(PseudonymKey::new(&[0x43; 32]).unwrap()),
                ..ImportOptions::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, RegistryError::KeyMismatch { .. }), "{err}");
    assert_eq!(snapshot(&reg), before);
}
