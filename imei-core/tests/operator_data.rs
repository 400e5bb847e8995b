//! Operator data: every safety check refuses a file past its threshold (and
//! only then), and the rows of a passing file aggregate to one triplet per
//! month with its day-seen mask.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use imei_core::ImeiClass;
use imei_core::error::ImeiError;
use imei_core::operator_data::{
    Operator, Period, RAT_4G, RAT_5G, Row, Thresholds, check_file, check_rows,
};

fn op() -> Operator {
    Operator::new("alfa", &["43701", "43709"]).unwrap()
}

fn october() -> Period {
    Period::parse("2026-10-01:2026-10-31").unwrap()
}

fn row(line: u64, date: &str, imei: &str, imsi: &str, msisdn: &str) -> Row {
    let f = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Row {
        line,
        date: f(date),
        imei: f(imei),
        imsi: f(imsi),
        msisdn: f(msisdn),
        rat: Some("4G".into()),
    }
}

/// 100 clean rows: 20 devices, each on five days.
fn clean() -> Vec<Row> {
    (0..100u64)
        .map(|i| {
            let dev = i % 20;
            row(
                i + 2,
                &format!("2026-10-{:02}", 1 + i / 20),
                &format!("356938035643{dev:02}"),
                &format!("4370100000000{dev:02}"),
                &format!("99670000{dev:04}"),
            )
        })
        .collect()
}

fn refused(rows: Vec<Row>, average: Option<f64>) -> Vec<&'static str> {
    match check_rows(
        "f.csv",
        &op(),
        october(),
        &Thresholds::default(),
        average,
        rows,
    ) {
        Err(ImeiError::Refused(report)) => {
            assert!(!report.passed());
            let text = report.to_string();
            assert!(text.starts_with("f.csv: "), "{text}");
            assert!(text.contains("FAILED"), "{text}");
            report
                .checks
                .iter()
                .filter(|c| !c.passed)
                .map(|c| c.name)
                .collect()
        }
        Ok(c) => panic!("expected a refusal, got {}", c.report),
        Err(e) => panic!("expected a refusal, got {e}"),
    }
}

#[test]
fn clean_rows_aggregate_by_month_with_day_masks() {
    let checked = check_rows(
        "f.csv",
        &op(),
        october(),
        &Thresholds::default(),
        Some(100.0),
        clean(),
    )
    .unwrap();
    assert!(checked.report.passed());
    assert_eq!(checked.report.rows, 100);
    assert_eq!(checked.triplets.len(), 20);
    for t in &checked.triplets {
        // Days 1–5 of October 2026.
        assert_eq!(t.day_mask, 0b1_1111, "{t:?}");
        assert_eq!(t.month, 202_610);
        assert_eq!(t.rat_mask, RAT_4G);
        assert_eq!(t.imei_class, ImeiClass::Imei14);
    }
}

#[test]
fn the_same_triplet_on_two_technologies_and_day_31_sets_both_bits() {
    let mut rows = clean();
    rows.push(Row {
        rat: Some("NR".into()),
        ..row(
            200,
            "2026-10-31",
            "35693803564300",
            "437010000000000",
            "996700000000",
        )
    });
    let checked = check_rows(
        "f.csv",
        &op(),
        october(),
        &Thresholds::default(),
        None,
        rows,
    )
    .unwrap();
    let t = checked
        .triplets
        .iter()
        .find(|t| t.imei == "35693803564300")
        .unwrap();
    assert_eq!(t.day_mask, 0b1_1111 | 1 << 30);
    assert_eq!(t.rat_mask, RAT_4G | RAT_5G);
}

#[test]
fn malformed_imeis_below_the_threshold_are_kept_with_their_class() {
    let mut rows = clean();
    rows[0].imei = Some("12AB".into());
    let checked = check_rows(
        "f.csv",
        &op(),
        october(),
        &Thresholds::default(),
        None,
        rows,
    )
    .unwrap();
    let bad = checked.triplets.iter().find(|t| t.imei == "12AB").unwrap();
    assert!(!bad.imei_class.is_well_formed());
    let m = checked
        .report
        .checks
        .iter()
        .find(|c| c.name == "malformed_imei")
        .unwrap();
    assert_eq!(m.count, 1);
    assert!(m.passed);
}

#[test]
fn each_safety_check_refuses_past_its_threshold_only() {
    // Six of 100 rows (6 % > 5 %) with each defect; five pass.
    type Spoil = fn(&mut Row);
    let cases: [(&str, Spoil, usize); 6] = [
        ("null_imei", |r| r.imei = None, 6),
        ("null_imsi", |r| r.imsi = None, 6),
        ("null_msisdn", |r| r.msisdn = Some("  ".into()), 6),
        ("malformed_imei", |r| r.imei = Some("35693803564".into()), 6),
        (
            "foreign_imsi",
            |r| r.imsi = Some("250010000000001".into()),
            11,
        ),
        ("out_of_period", |r| r.date = Some("2026-11-01".into()), 1),
    ];
    for (name, spoil, over) in cases {
        let mut rows = clean();
        for r in rows.iter_mut().take(over) {
            spoil(r);
        }
        assert_eq!(refused(rows, None), vec![name], "{name}");
        let mut rows = clean();
        for r in rows.iter_mut().take(over - 1) {
            spoil(r);
        }
        let ok = check_rows(
            "f.csv",
            &op(),
            october(),
            &Thresholds::default(),
            None,
            rows,
        );
        assert!(ok.is_ok(), "{name} at {} rows: {:?}", over - 1, ok.err());
    }
}

#[test]
fn undated_rows_count_as_outside_the_period() {
    let mut rows = clean();
    rows[3].date = Some("yesterday".into());
    assert_eq!(refused(rows, None), vec!["out_of_period"]);
}

#[test]
fn a_file_far_below_the_recent_average_is_refused() {
    assert_eq!(refused(clean(), Some(201.0)), vec!["row_count"]);
    let ok = check_rows(
        "f.csv",
        &op(),
        october(),
        &Thresholds::default(),
        Some(200.0),
        clean(),
    );
    assert!(ok.is_ok());
}

#[test]
fn an_empty_file_and_bad_settings_are_refused() {
    let e = check_rows(
        "f.csv",
        &op(),
        october(),
        &Thresholds::default(),
        None,
        Vec::new(),
    );
    assert!(e.unwrap_err().to_string().contains("no data rows"));
    assert!(Period::parse("2026-10-31:2026-10-01").is_err());
    assert!(Period::parse("2026-10").is_err());
    assert!(Operator::new("alfa", &[]).is_err());
    assert!(Operator::new("alfa", &["43701x"]).is_err());
}

#[test]
fn a_csv_file_is_read_with_yyyymmdd_dates_and_a_missing_column_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alfa_20261001_20261031.csv");
    let mut text = String::from("\u{feff}date,imei,imsi,msisdn,rat\n");
    for r in clean() {
        text.push_str(&format!(
            "{},{},{},{},4G\n",
            r.date.unwrap().replace('-', ""),
            r.imei.unwrap(),
            r.imsi.unwrap(),
            r.msisdn.unwrap()
        ));
    }
    std::fs::write(&path, text).unwrap();
    let checked = check_file(&path, &op(), october(), &Thresholds::default(), None).unwrap();
    assert_eq!(checked.triplets.len(), 20);
    std::fs::write(
        &path,
        "date,imei,msisdn\n20261001,35693803564300,996700000000\n",
    )
    .unwrap();
    let e = check_file(&path, &op(), october(), &Thresholds::default(), None).unwrap_err();
    assert!(e.to_string().contains("no column `imsi`"), "{e}");
}
