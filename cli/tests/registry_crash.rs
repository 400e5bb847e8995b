//! Crash safety of the registry: an import killed with SIGKILL at 20
//! pseudo-random moments leaves, each time, a registry that opens, holds
//! either all or none of the import, and verifies; a second writer gets a
//! clear "in use" error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::spectra;
use imei_registry::identity::format_imei15;

const BASE_ROWS: u64 = 1_000;
const IMPORT_ROWS: u64 = 300_000;

fn device_list(path: &Path, first_key: u64, rows: u64, status: &str) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "imei,status,source").unwrap();
    for i in 0..rows {
        writeln!(f, "{},{status},crash-test", format_imei15(first_key + i)).unwrap();
    }
    f.flush().unwrap();
}

fn devices(db: &Path) -> u64 {
    let out = spectra(&[
        "registry",
        "stats",
        "--json",
        "--registry",
        db.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "the registry must open after a kill: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["devices"].as_u64().unwrap()
}

fn import(db: &Path, list: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_spectra"));
    c.args(["registry", "import", list.to_str().unwrap()])
        .args(["--registry", db.to_str().unwrap(), "--actor", "crash-test"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// A deterministic sequence in [0, 1) (xorshift64*), so a failure replays.
struct Moments(u64);

impl Moments {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn an_import_killed_at_any_moment_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.duckdb");
    let base_list = dir.path().join("base.csv");
    let list = dir.path().join("import.csv");
    device_list(&base_list, 35_332_811_000_000, BASE_ROWS, "white");
    device_list(&list, 86_000_000_000_000, IMPORT_ROWS, "grey");
    let base_s = base.to_str().unwrap();
    assert!(
        spectra(&["registry", "init", "--registry", base_s])
            .status
            .success()
    );
    assert!(import(&base, &base_list).status().unwrap().success());

    // How long a whole import takes, to spread the kills over it.
    let timing = dir.path().join("timing.duckdb");
    std::fs::copy(&base, &timing).unwrap();
    let t0 = Instant::now();
    assert!(import(&timing, &list).status().unwrap().success());
    let full = t0.elapsed();
    assert_eq!(devices(&timing), BASE_ROWS + IMPORT_ROWS);

    let mut moments = Moments(0x5EED_2026_1130);
    let (mut none, mut all) = (0, 0);
    for round in 0..20 {
        let db = dir.path().join(format!("r{round}.duckdb"));
        std::fs::copy(&base, &db).unwrap();
        // Up to 1.2 × the import's time: some kills land after it finished.
        let wait = full.mul_f64(1.2 * moments.next());
        let mut child = import(&db, &list).spawn().unwrap();
        std::thread::sleep(wait);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let n = devices(&db);
        assert!(
            n == BASE_ROWS || n == BASE_ROWS + IMPORT_ROWS,
            "round {round} (killed after {wait:?}): {n} devices, expected all or none of the import"
        );
        if n == BASE_ROWS {
            none += 1;
        } else {
            all += 1;
        }
        let v = spectra(&["registry", "verify", "--registry", db.to_str().unwrap()]);
        assert!(
            v.status.success(),
            "round {round}: {}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
        std::fs::remove_file(&db).unwrap();
        let _ = std::fs::remove_file(dir.path().join(format!("r{round}.duckdb.wal")));
    }
    assert!(
        none > 0,
        "no kill landed during an import ({all} completed)"
    );
}

#[test]
fn a_second_writer_is_told_which_process_holds_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("busy.duckdb");
    let list = dir.path().join("import.csv");
    device_list(&list, 86_000_000_000_000, IMPORT_ROWS, "grey");
    assert!(
        spectra(&["registry", "init", "--registry", db.to_str().unwrap()])
            .status
            .success()
    );
    let mut child = import(&db, &list).spawn().unwrap();
    let pid = child.id();
    // Wait until the importer holds the registry: it writes its pid into the
    // lock file once it has the lock.
    let lock = dir.path().join("busy.duckdb.lock");
    let mut held = false;
    for _ in 0..500 {
        if std::fs::read_to_string(&lock).is_ok_and(|t| t.trim() == pid.to_string()) {
            held = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(held, "the importer never took the registry's lock");
    let out = spectra(&["registry", "stats", "--registry", db.to_str().unwrap()]);
    let msg = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{msg}");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        msg.contains(&format!("in use by process {pid}")),
        "expected the holder's pid {pid} in: {msg}"
    );
}
