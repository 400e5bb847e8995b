//! `spectra registry checkpoint` and `verify --checkpoint`: exit 0 on an
//! untouched registry, exit 1 naming the first broken link after a deleted
//! tail or a direct change of the devices table.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::spectra;

fn registry(dir: &Path) -> String {
    let db = dir.join("reg.duckdb");
    let db_s = db.to_str().unwrap().to_string();
    assert!(
        spectra(&["registry", "init", "--registry", &db_s])
            .status
            .success()
    );
    for (imei, status, reasons) in [
        ("35332811000001", "black", "STOLEN"),
        ("35332811000002", "grey", ""),
        ("260531793113837", "white", ""),
    ] {
        let out = spectra(&[
            "registry",
            "set-status",
            imei,
            "--status",
            status,
            "--reasons",
            reasons,
            "--registry",
            &db_s,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    db_s
}

fn checkpoint(dir: &Path, db: &str) -> String {
    let cp = dir.join("cp.json");
    let cp_s = cp.to_str().unwrap().to_string();
    let out = spectra(&["registry", "checkpoint", "--registry", db, "--out", &cp_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cp).unwrap()).unwrap();
    assert_eq!(v["chains"]["status_history"]["seq"], 3);
    assert_eq!(
        v["chains"]["status_history"]["hash"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
    cp_s
}

#[test]
fn verify_with_a_checkpoint_passes_then_names_the_first_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = registry(dir.path());
    let cp = checkpoint(dir.path(), &db);
    let ok = spectra(&["registry", "verify", "--registry", &db, "--checkpoint", &cp]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("extends the checkpoint"));

    // Delete the last status change and make the chain look whole again.
    {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DELETE FROM status_history WHERE seq = 3; \
             UPDATE chain_tips SET seq = 2, hash = (SELECT hash FROM status_history WHERE seq = 2) \
             WHERE chain = 'status_history'; \
             DELETE FROM devices WHERE imei_key = 26053179311383;",
        )
        .unwrap();
    }
    let plain = spectra(&["registry", "verify", "--registry", &db]);
    assert_eq!(
        plain.status.code(),
        Some(0),
        "without the checkpoint the tail is not missed"
    );
    let bad = spectra(&["registry", "verify", "--registry", &db, "--checkpoint", &cp]);
    assert_eq!(bad.status.code(), Some(1));
    let text = String::from_utf8_lossy(&bad.stdout);
    assert!(
        text.contains("status_history tampered at entry 3"),
        "{text}"
    );
}

#[test]
fn a_direct_update_of_devices_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = registry(dir.path());
    {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute_batch("UPDATE devices SET status = 'white', reason_mask = 0")
            .unwrap();
    }
    let bad = spectra(&["registry", "verify", "--registry", &db, "--json"]);
    assert_eq!(bad.status.code(), Some(1));
    let text = String::from_utf8_lossy(&bad.stdout);
    assert!(
        text.contains("devices tampered at entry 35332811000001"),
        "{text}"
    );
    // A checkpoint is refused for a registry that does not verify.
    let cp = spectra(&["registry", "checkpoint", "--registry", &db]);
    assert_eq!(cp.status.code(), Some(1));
}

/// Regression: `registry stats` / `verify` on a DuckDB file of something else
/// installed the registry schema into it and reported "0 devices".
#[test]
fn a_file_that_is_not_a_registry_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.duckdb");
    {
        let conn = duckdb::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE readings (x INTEGER); INSERT INTO readings VALUES (1);")
            .unwrap();
    }
    for cmd in ["stats", "verify", "checkpoint"] {
        let out = spectra(&["registry", cmd, "--registry", other.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a Spectra registry"), "{cmd}: {err}");
    }
    let conn = duckdb::Connection::open(&other).unwrap();
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM duckdb_tables()", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1, "no schema was installed");
}
