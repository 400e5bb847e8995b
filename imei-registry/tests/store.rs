//! DuckDB registry store: round trip, atomic imports, history chain, lists.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;

use imei_registry::import::ImportOptions;
use imei_registry::pseudonym::PseudonymKey;
use imei_registry::{DeviceStatus, ReasonMask, Registry, RegistryError};

fn write(path: &Path, text: &str) {
    std::fs::File::create(path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
}

const LIST: &str = "imei,status,reasons,source,first_seen,registered_at,import_declaration,owner_id\n\
260531793113837,white,REGISTERED_OWNER,registration,2025-01-02,2025-01-03 10:00:00,,KG 1234-5678\n\
35332811000001,black,STOLEN;COURT_ORDER,police,2025-02-01,,,\n\
353328110000021,grey,DUTY_UNPAID,customs,,,DT-2025-0000001,\n";

fn key() -> PseudonymKey {
    PseudonymKey::new(&[0x5a; 32]).unwrap()
}

#[test]
fn round_trip_through_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    let csv = dir.path().join("list.csv");
    write(&csv, LIST);
    {
        let mut reg = Registry::open_or_create(&db, "tester").unwrap();
        let opts = ImportOptions {
            key: Some(key()),
            ..ImportOptions::default()
        };
        let s = reg.import_devices(&csv, &opts).unwrap();
        assert_eq!(
            (s.rows, s.inserted, s.updated, s.history_entries),
            (3, 3, 0, 3)
        );
        assert_eq!(
            reg.index().get(26_053_179_311_383).map(|e| e.0),
            Some(DeviceStatus::White)
        );
    }
    // Reopen: the index is rebuilt from the file.
    let mut reg = Registry::open_or_create(&db, "tester").unwrap();
    assert_eq!(reg.index().len(), 3);
    assert_eq!(reg.index().counts(), [1, 1, 1]);
    let black = reg.index().get(35_332_811_000_001).unwrap();
    assert_eq!(
        black,
        (
            DeviceStatus::Black,
            ReasonMask::parse("STOLEN;COURT_ORDER").unwrap()
        )
    );
    let row = reg.device(26_053_179_311_383).unwrap().unwrap();
    assert_eq!(row.tac, "26053179");
    assert_eq!(row.first_seen.as_deref(), Some("2025-01-02"));
    assert!(
        row.registered_at
            .as_deref()
            .unwrap()
            .starts_with("2025-01-03 10:00:00")
    );
    let owner = row.owner_pseudonym.unwrap();
    assert_eq!(owner, key().pseudonymise("KG12345678"));
    assert!(!owner.contains("12345678"));
    let grey = reg.device(35_332_811_000_002).unwrap().unwrap();
    assert_eq!(grey.import_declaration.as_deref(), Some("DT-2025-0000001"));
    assert!(reg.device(1).unwrap().is_none());

    // A status change is chained into the history and the index follows it.
    reg.set_status(
        35_332_811_000_001,
        DeviceStatus::White,
        ReasonMask::parse("RECOVERED").unwrap(),
        "police",
    )
    .unwrap();
    assert_eq!(
        reg.index().get(35_332_811_000_001).map(|e| e.0),
        Some(DeviceStatus::White)
    );
    let h = reg.history(35_332_811_000_001).unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        (h[1].old_status, h[1].new_status),
        (Some(DeviceStatus::Black), DeviceStatus::White)
    );
    assert_eq!(reg.verify(None).unwrap().chains["status_history"], 4);
    assert!(reg.count("audit_log").unwrap() >= 5);

    // Re-import: unchanged rows add no history; a different key is refused.
    let s = reg
        .import_devices(
            &csv,
            &ImportOptions {
                key: Some(key()),
                ..ImportOptions::default()
            },
        )
        .unwrap();
    assert_eq!((s.inserted, s.updated, s.history_entries), (0, 3, 1));
    let other = PseudonymKey::new(&[0xa5; 32]).unwrap();
    let err = reg
        .import_devices(
            &csv,
            &ImportOptions {
                key: Some(other),
                ..ImportOptions::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, RegistryError::KeyMismatch { .. }), "{err}");

    // Lists.
    let out = dir.path().join("white.csv");
    let n = imei_registry::lists::export_list(&reg, DeviceStatus::White, &out).unwrap();
    // The re-import put 35332811000001 back on the black list.
    assert_eq!(n, 1);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("260531793113837") && text.contains("REGISTERED_OWNER"),
        "{text}"
    );
    assert!(!text.contains("p1:"), "lists carry no owner pseudonyms");
}

#[test]
fn failed_import_leaves_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    let good = dir.path().join("good.csv");
    write(&good, LIST);
    let mut reg = Registry::open_or_create(&db, "tester").unwrap();
    reg.import_devices(
        &good,
        &ImportOptions {
            key: Some(key()),
            ..ImportOptions::default()
        },
    )
    .unwrap();
    let before = (
        reg.count("devices").unwrap(),
        reg.count("status_history").unwrap(),
        reg.index().len(),
        reg.verify(None).unwrap().chains["status_history"],
    );
    // 250 good rows, then a bad status on line 252: with 100-row batches two
    // batches are already merged when the error is found.
    let mut text = String::from("imei,status,reasons\n");
    for i in 0..250u64 {
        text.push_str(&format!(
            "{},black,STOLEN\n",
            imei_registry::identity::format_imei15(86_130_105_000_000 + i)
        ));
    }
    text.push_str("86130105009999,purple,\n");
    let bad = dir.path().join("bad.csv");
    write(&bad, &text);
    let opts = ImportOptions {
        batch_rows: 100,
        ..ImportOptions::default()
    };
    let err = reg.import_devices(&bad, &opts).unwrap_err().to_string();
    assert!(
        err.contains("bad.csv")
            && err.contains("line 252")
            && err.contains("status")
            && err.contains("purple"),
        "{err}"
    );
    let after = (
        reg.count("devices").unwrap(),
        reg.count("status_history").unwrap(),
        reg.index().len(),
        reg.verify(None).unwrap().chains["status_history"],
    );
    assert_eq!(before, after);
    assert!(reg.index().get(86_130_105_000_000).is_none());
    // The store still works after the rollback, and survives a reopen.
    reg.set_status(
        86_130_105_000_000,
        DeviceStatus::Grey,
        ReasonMask(0),
        "operator",
    )
    .unwrap();
    drop(reg);
    let reg = Registry::open_or_create(&db, "tester").unwrap();
    assert_eq!(reg.count("devices").unwrap(), before.0 + 1);
    assert_eq!(
        reg.verify(None).unwrap().chains["status_history"],
        before.3 + 1
    );
}

#[test]
fn missing_column_and_owner_without_key_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::open_or_create(&dir.path().join("r.duckdb"), "t").unwrap();
    let f = dir.path().join("nostatus.csv");
    write(&f, "imei\n260531793113837\n");
    let e = reg
        .import_devices(&f, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("status"), "{e}");
    let g = dir.path().join("owner.csv");
    write(&g, "imei,status,owner_id\n260531793113837,white,KG1\n");
    let e = reg
        .import_devices(&g, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("owner_id") && e.contains("line 2"), "{e}");
    assert_eq!(reg.count("devices").unwrap(), 0);
}

#[test]
fn tampering_with_the_history_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    let csv = dir.path().join("list.csv");
    write(&csv, LIST);
    {
        let mut reg = Registry::open_or_create(&db, "tester").unwrap();
        reg.import_devices(
            &csv,
            &ImportOptions {
                key: Some(key()),
                ..ImportOptions::default()
            },
        )
        .unwrap();
        assert_eq!(reg.verify(None).unwrap().chains["status_history"], 3);
    }
    {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute_batch("UPDATE status_history SET new_status = 'white' WHERE seq = 2")
            .unwrap();
    }
    let reg = Registry::open_or_create(&db, "tester").unwrap();
    match reg.verify(None) {
        Err(RegistryError::Tampered { seq, .. }) => assert_eq!(seq, 2),
        other => panic!("expected tampering at seq 2, got {other:?}"),
    }
}

/// Regression: an import larger than one DuckDB row group (122 880 rows)
/// once left `devices` empty while its history was committed (the Arrow
/// Appender path); every device must be stored and found after reopening.
#[test]
fn import_larger_than_a_row_group_keeps_every_device() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    let csv = dir.path().join("big.csv");
    let n: u64 = 130_000;
    let mut text = String::from(
        "imei,status,reasons,source,first_seen,registered_at,import_declaration,owner_id\n",
    );
    for i in 0..n {
        // 14-digit keys: TAC 35332811, serial i.
        text.push_str(&format!(
            "{},white,,registration,2025-01-02,,,\n",
            35_332_811_000_000u64 + i
        ));
    }
    write(&csv, &text);
    {
        let mut reg = Registry::open_or_create(&db, "tester").unwrap();
        let s = reg.import_devices(&csv, &ImportOptions::default()).unwrap();
        assert_eq!((s.rows, s.inserted), (n, n));
        assert_eq!(reg.count("devices").unwrap(), n);
    }
    let reg = Registry::open_or_create(&db, "tester").unwrap();
    assert_eq!(reg.count("devices").unwrap(), n);
    assert_eq!(reg.count("status_history").unwrap(), n);
    assert_eq!(
        reg.index().get(35_332_811_000_000 + n - 1).map(|e| e.0),
        Some(DeviceStatus::White)
    );
}

/// Audit entries are numbered by a DuckDB sequence: 1, 2, 3, … with no
/// repeat, continuing across reopening the file.
#[test]
fn audit_sequence_numbers_continue_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.duckdb");
    {
        let reg = Registry::open_or_create(&path, "alice").unwrap();
        reg.audit("test", "first").unwrap();
        reg.audit("test", "second").unwrap();
    }
    {
        let reg = Registry::open_or_create(&path, "bob").unwrap();
        reg.audit("test", "third").unwrap();
    }
    let conn = duckdb::Connection::open(&path).unwrap();
    let mut st = conn
        .prepare("SELECT seq, detail FROM audit_log ORDER BY seq")
        .unwrap();
    let rows: Vec<(u64, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let seqs: Vec<u64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(seqs, (1..=rows.len() as u64).collect::<Vec<_>>());
    let details: Vec<&str> = rows
        .iter()
        .map(|r| r.1.as_str())
        .filter(|d| ["first", "second", "third"].contains(d))
        .collect();
    assert_eq!(details, ["first", "second", "third"]);
}

/// Regression: the same IMEI listed as `black,STOLEN` and then `white` in one
/// file was imported with the last row winning and no warning, and the
/// summary's counts did not add up to the rows read.
#[test]
fn a_device_listed_twice_is_refused_or_skipped_and_every_row_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    let mut reg = Registry::open_or_create(&db, "tester").unwrap();
    let conflicting = dir.path().join("conflicting.csv");
    write(
        &conflicting,
        "imei,status,reasons\n35332811000001,black,STOLEN\n35332811000002,grey,\n35332811000001,white,\n",
    );
    let e = reg
        .import_devices(&conflicting, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 4") && e.contains("line 2 gives black [STOLEN]"),
        "{e}"
    );
    assert_eq!(reg.count("devices").unwrap(), 0, "nothing was imported");

    let repeated = dir.path().join("repeated.csv");
    write(
        &repeated,
        "imei,status,reasons\n35332811000001,black,STOLEN\n35332811000002,grey,\n353328110000013,black,STOLEN\n",
    );
    let s = reg
        .import_devices(&repeated, &ImportOptions::default())
        .unwrap();
    assert_eq!((s.rows, s.inserted, s.updated, s.repeated), (3, 2, 0, 1));
    assert_eq!(s.rows, s.inserted + s.updated + s.repeated);
    assert_eq!(s.history_entries, 2);
    reg.verify(None).unwrap();
}

/// Regressions: `set-status --status white --reasons STOLEN` was accepted, and
/// setting the status a device already has added a history entry.
#[test]
fn reasons_must_fit_the_status_and_a_repeat_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::open_or_create(&dir.path().join("r.duckdb"), "t").unwrap();
    let stolen = ReasonMask::parse("STOLEN").unwrap();
    let e = reg
        .set_status(35_332_811_000_001, DeviceStatus::White, stolen, "x")
        .unwrap_err()
        .to_string();
    assert!(e.contains("STOLEN (a black reason)"), "{e}");
    assert!(
        reg.set_status(35_332_811_000_001, DeviceStatus::Grey, stolen, "x")
            .is_err()
    );
    let registered = ReasonMask::parse("STOLEN;REGISTERED_OWNER").unwrap();
    assert!(
        reg.set_status(35_332_811_000_001, DeviceStatus::Black, registered, "x")
            .unwrap()
    );
    let before = (
        reg.count("status_history").unwrap(),
        reg.count("audit_log").unwrap(),
    );
    assert!(
        !reg.set_status(35_332_811_000_001, DeviceStatus::Black, registered, "x")
            .unwrap()
    );
    assert_eq!(
        (
            reg.count("status_history").unwrap(),
            reg.count("audit_log").unwrap()
        ),
        before
    );
    let list = dir.path().join("bad.csv");
    write(&list, "imei,status,reasons\n35332811000002,white,LOST\n");
    let e = reg
        .import_devices(&list, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 2") && e.contains("reasons") && e.contains("LOST"),
        "{e}"
    );
}
