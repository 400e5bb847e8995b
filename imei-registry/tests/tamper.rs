//! Tamper evidence: every chain, the current state against the chains, and
//! checkpoints that catch deleted tails and chains recomputed from scratch;
//! schema and ownership checks on open.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use imei_registry::chain::Checkpoint;
use imei_registry::contest::ContestDecision;
use imei_registry::{DeviceStatus, ReasonMask, Registry, RegistryError};

const A: u64 = 35_332_811_000_001;
const B: u64 = 35_332_811_000_002;
const C: u64 = 26_053_179_311_383;

/// A registry with history, audit entries and a decided and an open contest.
fn populated(path: &Path, extra: bool) {
    let mut reg = Registry::create(path, "officer").unwrap();
    let stolen = ReasonMask::parse("STOLEN").unwrap();
    reg.set_status(A, DeviceStatus::Black, stolen, "police")
        .unwrap();
    reg.set_status(B, DeviceStatus::Grey, ReasonMask(0), "customs")
        .unwrap();
    reg.set_status(C, DeviceStatus::White, ReasonMask(0), "registration")
        .unwrap();
    let c = reg.file_contest(A, "recovered, report 118").unwrap();
    reg.decide_contest(c.id, ContestDecision::Reject, "no proof")
        .unwrap();
    reg.file_contest(B, "duty paid").unwrap();
    if extra {
        reg.set_status(B, DeviceStatus::White, ReasonMask(0), "customs")
            .unwrap();
        reg.set_status(C, DeviceStatus::Black, stolen, "police")
            .unwrap();
    }
}

fn setup() -> (tempfile::TempDir, PathBuf, Checkpoint) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.duckdb");
    populated(&db, false);
    let cp = Registry::open(&db, "auditor")
        .unwrap()
        .checkpoint()
        .unwrap();
    (dir, db, cp)
}

fn sql(db: &Path, statement: &str) {
    let conn = duckdb::Connection::open(db).unwrap();
    conn.execute_batch(statement).unwrap();
}

fn tampered(db: &Path, cp: Option<&Checkpoint>) -> (String, u64, String) {
    let reg = Registry::open(db, "auditor").unwrap();
    match reg.verify(cp) {
        Err(RegistryError::Tampered { chain, seq, detail }) => (chain, seq, detail),
        other => panic!("expected tampering to be found, got {other:?}"),
    }
}

#[test]
fn an_untouched_registry_verifies_and_extends_its_checkpoint() {
    let (_dir, db, cp) = setup();
    assert_eq!(cp.chains.len(), 3);
    assert_eq!(cp.chains["status_history"].seq, 3);
    assert_eq!(cp.chains["contest_events"].seq, 3);
    // Later writes extend the checkpoint.
    {
        let mut reg = Registry::open(&db, "officer").unwrap();
        reg.set_status(B, DeviceStatus::White, ReasonMask(0), "customs")
            .unwrap();
    }
    let reg = Registry::open(&db, "auditor").unwrap();
    let report = reg.verify(Some(&cp)).unwrap();
    assert!(report.checkpoint_extended);
    assert_eq!(report.chains["status_history"], 4);
    assert_eq!(report.devices, 3);
    assert_eq!(report.contests, 2);
    // The checkpoint round-trips through its JSON.
    let text = serde_json::to_string(&cp).unwrap();
    assert_eq!(Checkpoint::parse(&text).unwrap(), cp);
}

#[test]
fn a_deleted_tail_is_caught_by_the_checkpoint() {
    let (_dir, db, cp) = setup();
    // Delete the last history entry and make the stored tip agree, so the
    // chain itself is consistent again.
    sql(
        &db,
        "DELETE FROM status_history WHERE seq = 3; \
         UPDATE chain_tips SET seq = 2, hash = (SELECT hash FROM status_history WHERE seq = 2) \
         WHERE chain = 'status_history'; \
         DELETE FROM devices WHERE imei_key = 26053179311383;",
    );
    Registry::open(&db, "auditor")
        .unwrap()
        .verify(None)
        .unwrap();
    let (chain, _, detail) = tampered(&db, Some(&cp));
    assert_eq!(chain, "status_history");
    assert!(detail.contains("deleted"), "{detail}");
}

#[test]
fn a_deleted_tail_without_fixing_the_tip_is_caught_without_a_checkpoint() {
    let (_dir, db, _cp) = setup();
    sql(
        &db,
        "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
    );
    let (chain, _, detail) = tampered(&db, None);
    assert_eq!(chain, "audit_log");
    assert!(detail.contains("tip"), "{detail}");
}

#[test]
fn a_chain_recomputed_from_scratch_is_caught_by_the_checkpoint() {
    let (dir, db, cp) = setup();
    // Whoever can write the file replays history of their own making: a valid
    // chain from the first entry, longer than the checkpoint's.
    let forged = dir.path().join("forged.duckdb");
    populated(&forged, true);
    Registry::open(&forged, "x").unwrap().verify(None).unwrap();
    std::fs::copy(&forged, &db).unwrap();
    let (_, seq, detail) = tampered(&db, Some(&cp));
    assert!(detail.contains("no longer extends"), "{detail}");
    assert!(seq >= 1);
}

#[test]
fn a_direct_update_of_devices_is_caught() {
    let (_dir, db, _cp) = setup();
    sql(
        &db,
        "UPDATE devices SET status = 'white', reason_mask = 0 WHERE imei_key = 35332811000001",
    );
    let (chain, seq, detail) = tampered(&db, None);
    assert_eq!(chain, "devices");
    assert_eq!(seq, A);
    assert!(detail.contains("black"), "{detail}");
}

#[test]
fn an_edited_entry_of_each_chain_is_caught_at_that_entry() {
    for (statement, chain, seq) in [
        (
            "UPDATE status_history SET actor = 'someone' WHERE seq = 2",
            "status_history",
            2,
        ),
        (
            "UPDATE audit_log SET detail = 'nothing' WHERE seq = 1",
            "audit_log",
            1,
        ),
        (
            "UPDATE contest_events SET detail = 'yes' WHERE seq = 2",
            "contest_events",
            2,
        ),
    ] {
        let (_dir, db, _cp) = setup();
        sql(&db, statement);
        let found = tampered(&db, None);
        assert_eq!((found.0.as_str(), found.1), (chain, seq), "{statement}");
    }
}

#[test]
fn a_contest_changed_outside_the_registry_is_caught() {
    let (_dir, db, _cp) = setup();
    sql(&db, "UPDATE contests SET state = 'upheld' WHERE id = 1");
    let (chain, seq, _) = tampered(&db, None);
    assert_eq!((chain.as_str(), seq), ("contests", 1));
    let (_dir, db, _cp) = setup();
    sql(
        &db,
        "UPDATE contests SET grounds = 'other grounds' WHERE id = 2",
    );
    assert_eq!(tampered(&db, None).0, "contests");
}

#[test]
fn a_second_holder_gets_a_clear_in_use_error() {
    let (_dir, db, _cp) = setup();
    let _first = Registry::open(&db, "one").unwrap();
    match Registry::open(&db, "two") {
        Err(RegistryError::InUse { pid, .. }) => {
            assert_eq!(pid, std::process::id().to_string());
        }
        other => panic!("expected InUse, got {other:?}"),
    }
}

#[test]
fn files_that_are_not_a_registry_are_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.duckdb");
    sql(
        &other,
        "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);",
    );
    match Registry::open(&other, "x") {
        Err(RegistryError::NotARegistry { detail, .. }) => assert!(detail.contains("meta")),
        other => panic!("expected NotARegistry, got {other:?}"),
    }
    let conn = duckdb::Connection::open(&other).unwrap();
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM duckdb_tables()", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1, "no schema was installed into a foreign file");
    drop(conn);

    let (_dir, db, _cp) = setup();
    sql(
        &db,
        "UPDATE meta SET value = '1' WHERE key = 'schema_version'",
    );
    match Registry::open(&db, "x") {
        Err(RegistryError::NotARegistry { detail, .. }) => {
            assert!(
                detail.contains("expected schema version 2, found 1"),
                "{detail}"
            )
        }
        other => panic!("expected NotARegistry, got {other:?}"),
    }
    let (_dir, db, _cp) = setup();
    sql(&db, "UPDATE reasons SET name = 'PINCHED' WHERE bit = 0");
    assert!(matches!(
        Registry::open(&db, "x"),
        Err(RegistryError::NotARegistry { .. })
    ));
    assert!(matches!(
        Registry::open(&dir.path().join("missing.duckdb"), "x"),
        Err(RegistryError::NotARegistry { .. })
    ));
    assert!(
        Registry::create(&db, "x").is_err(),
        "create refuses an existing file"
    );
}

#[test]
fn devices_added_or_deleted_outside_the_registry_are_caught() {
    let (_dir, db, _cp) = setup();
    sql(
        &db,
        "INSERT INTO devices (imei_key, tac, status, reason_mask, source) \
         VALUES (11111111111111, 11111111, 'white', 0, 'forged')",
    );
    let (chain, seq, detail) = tampered(&db, None);
    assert_eq!((chain.as_str(), seq), ("devices", 11_111_111_111_111));
    assert!(detail.contains("no history"), "{detail}");

    let (_dir, db, _cp) = setup();
    sql(&db, "DELETE FROM devices WHERE imei_key = 35332811000002");
    let (chain, seq, detail) = tampered(&db, None);
    assert_eq!((chain.as_str(), seq), ("devices", B));
    assert!(detail.contains("deleted"), "{detail}");
}

/// Regression: on a read-only registry every read failed with a bare
/// "Permission denied" (reads write audit entries); now the reason is given.
#[test]
fn a_read_only_registry_is_refused_with_the_reason() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, db, _cp) = setup();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    match Registry::open(&db, "reader") {
        Err(e @ RegistryError::ReadOnly { .. }) => {
            assert!(e.to_string().contains("audit log"), "{e}");
        }
        other => panic!("expected ReadOnly, got {other:?}"),
    }
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    Registry::open(&db, "reader").unwrap();
}
