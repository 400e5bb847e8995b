//! Strict identifier input (issue 9, item 2): numeric IMEI columns are
//! refused before any output exists, leading zeros survive CSV, a UTF-8 BOM is
//! stripped, TACs come out as 8-digit text, and keys are never passphrases.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, AsArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::DataType;
use imei_core::bulk::{BulkOptions, check_file};
use imei_core::pseudonym::{PseudonymError, PseudonymKey};
use imei_core::reader::open_rows;
use imei_core::tac::{TacDb, TacRecord};
use imei_core::{CheckContext, DeviceStatus, ImeiError, ReasonMask, RegistryIndex, verdict};

/// A valid IMEI whose TAC starts with a zero (TAC 01234567).
const LEADING_ZERO: &str = "012345678901237";

fn write_parquet(path: &Path, cols: Vec<(&str, ArrayRef)>) {
    let batch = RecordBatch::try_from_iter(cols).unwrap();
    let f = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

fn ctx_parts() -> (RegistryIndex, TacDb) {
    let index = RegistryIndex::from_pairs(vec![(
        1_234_567_890_123,
        verdict::pack(DeviceStatus::Black, ReasonMask::parse("STOLEN").unwrap()),
    )]);
    let tacs = TacDb::from_records([TacRecord {
        tac: 1_234_567,
        manufacturer: "Acme".into(),
        model: "Zero".into(),
        source: "test".into(),
        extra: Default::default(),
    }]);
    (index, tacs)
}

fn check(input: &Path, output: &Path) -> Result<imei_core::CheckCounts, ImeiError> {
    let (index, tacs) = ctx_parts();
    let ctx = CheckContext {
        findings: None,
        index: &index,
        tacs: Some(&tacs),
    };
    check_file(input, output, ctx, &BulkOptions::default(), &|_, _, _| {})
}

fn assert_column_type(err: &ImeiError, file: &Path, found: &str) {
    match err {
        ImeiError::ColumnType {
            file: f,
            column,
            found: t,
        } => {
            assert_eq!(f, &file.display().to_string());
            assert_eq!(column, "imei");
            assert_eq!(t, found);
        }
        other => panic!("expected ColumnType, got {other}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("imei") && text.contains(found) && text.contains("must be text"),
        "{text}"
    );
}

#[test]
fn bulk_check_refuses_int64_and_float64_imei_columns_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, ArrayRef, &str); 2] = [
        (
            "int.parquet",
            Arc::new(Int64Array::from(vec![
                12_345_678_901_237_i64,
                260_531_793_113_837,
            ])),
            "Int64",
        ),
        (
            "float.parquet",
            Arc::new(Float64Array::from(vec![
                12_345_678_901_237.0,
                260_531_793_113_837.0,
            ])),
            "Float64",
        ),
    ];
    for (name, col, ty) in cases {
        let input = dir.path().join(name);
        write_parquet(
            &input,
            vec![
                ("imei", col),
                ("operator", Arc::new(StringArray::from(vec!["A", "B"]))),
            ],
        );
        for out_name in ["out.parquet", "out.csv"] {
            let out = dir.path().join(format!("{name}.{out_name}"));
            let err = check(&input, &out).unwrap_err();
            assert_column_type(&err, &input, ty);
            assert!(!out.exists(), "{} must not be created", out.display());
        }
    }
    // Nothing else was left in the directory (no temporary output either).
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn bulk_check_accepts_text_and_dictionary_imei_columns() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dict.parquet");
    let dict: arrow::array::DictionaryArray<arrow::datatypes::Int32Type> =
        vec![LEADING_ZERO, LEADING_ZERO].into_iter().collect();
    write_parquet(&input, vec![("imei", Arc::new(dict))]);
    let out = dir.path().join("out.parquet");
    let counts = check(&input, &out).unwrap();
    assert_eq!((counts.rows, counts.blocked, counts.registered), (2, 2, 2));
}

#[test]
fn csv_keeps_leading_zeros_and_tacs_are_8_digit_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    // With a BOM before the header, as Excel writes it.
    std::fs::write(
        &input,
        format!("\u{feff}imei,operator\n{LEADING_ZERO},A\n001234560000113,B\n"),
    )
    .unwrap();
    for out_name in ["out.parquet", "out.csv"] {
        let out = dir.path().join(out_name);
        let counts = check(&input, &out).unwrap();
        assert_eq!((counts.rows, counts.registered, counts.blocked), (2, 1, 2));
        if out_name.ends_with(".csv") {
            let text = std::fs::read_to_string(&out).unwrap();
            assert!(text.contains(&format!(",{LEADING_ZERO},")), "{text}");
            assert!(
                text.contains(",01234567,") && text.contains(",00123456,"),
                "{text}"
            );
            continue;
        }
        let batches = tabular::read_parquet(&out).unwrap();
        let b = arrow::compute::concat_batches(&batches[0].schema(), &batches).unwrap();
        let imei = b.column_by_name("imei").unwrap().as_string::<i32>();
        assert_eq!(imei.value(0), LEADING_ZERO);
        let tac = b.column_by_name("tac").unwrap();
        assert_eq!(tac.data_type(), &DataType::Utf8);
        let tac = tac.as_string::<i32>();
        assert_eq!((tac.value(0), tac.value(1)), ("01234567", "00123456"));
        let model =
            arrow::compute::cast(b.column_by_name("model").unwrap(), &DataType::Utf8).unwrap();
        assert_eq!(model.as_string::<i32>().value(0), "Acme Zero");
    }
}

#[test]
fn reader_refuses_numeric_identifier_columns_and_strips_the_bom() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("list.parquet");
    write_parquet(
        &pq,
        vec![
            (
                "imei",
                Arc::new(Int64Array::from(vec![12_345_678_901_237_i64])),
            ),
            ("status", Arc::new(StringArray::from(vec!["white"]))),
        ],
    );
    let err = open_rows(&pq, &["imei", "status"], &[0, 1], &[0], 10).unwrap_err();
    assert_column_type(&err, &pq, "Int64");
    // Not named as an identifier: read (cast to text).
    assert!(open_rows(&pq, &["imei", "status"], &[0, 1], &[], 10).is_ok());

    let csv = dir.path().join("list.csv");
    std::fs::write(&csv, format!("\u{feff}imei,status\n{LEADING_ZERO},white\n")).unwrap();
    let mut rows = open_rows(&csv, &["imei", "status"], &[0, 1], &[0], 10).unwrap();
    let batch = rows.next_batch().unwrap().unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].0, 2);
    assert_eq!(batch[0].1[0].as_deref(), Some(LEADING_ZERO));
}

#[test]
fn tac_database_with_a_bom_reads() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gsma.txt");
    std::fs::write(
        &p,
        "\u{feff}TAC|Marketing Name|Manufacturer|Model Name\n01234567|Z|Acme|Zero\n",
    )
    .unwrap();
    let db = TacDb::read_path(&p).unwrap();
    assert_eq!(
        db.get(1_234_567).map(|r| r.label()).as_deref(),
        Some("Acme Zero")
    );
}

#[test]
fn short_keys_and_passphrases_are_refused() {
    let e =
        PseudonymKey::parse("a secret of 16 bytes or more", "$SPECTRA_PSEUDONYM_KEY").unwrap_err();
    assert!(matches!(e, PseudonymError::NoEncoding { .. }), "{e}");
    assert!(e.to_string().contains("$SPECTRA_PSEUDONYM_KEY"), "{e}");
    let e = PseudonymKey::parse(&format!("hex:{}", "0f".repeat(16)), "k.txt").unwrap_err();
    assert!(
        matches!(e, PseudonymError::KeyTooShort { found: 16, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("at least 32"), "{e}");
    assert!(PseudonymKey::new(&[1; 31]).is_err());
    assert!(PseudonymKey::parse(&format!("hex:{}", "0f".repeat(32)), "k.txt").is_ok());
}

#[test]
fn key_files_are_private_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("owner.key");
    let k = PseudonymKey::generate().unwrap();
    imei_core::pseudonym::write_key_file(&p, &k).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let back = imei_core::pseudonym::read_key_file(&p).unwrap();
    assert_eq!(back.fingerprint(), k.fingerprint());
    let other = PseudonymKey::generate().unwrap();
    assert!(imei_core::pseudonym::write_key_file(&p, &other).is_err());
    assert_eq!(
        imei_core::pseudonym::read_key_file(&p)
            .unwrap()
            .fingerprint(),
        k.fingerprint()
    );
}
