//! Classification runs in the registry over imported operator data: the
//! decisions carry the run, the rule version, the inputs and the reason; a
//! second run continues or ends matches; a run dated before the last one, or
//! one that matches too many IMEIs, records nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{DUPLICATE, date, vault};
use imei_registry::Registry;
use imei_registry::operator_data::{Operator, Period, Thresholds};
use imei_registry::pseudonym::PseudonymKey;
use sha2::Digest;

/// The shared duplicate condition, then one non-blocking condition on
/// unregistered devices.
fn conditions() -> String {
    format!(
        "{DUPLICATE}
[[condition]]
label = \"unregistered\"
reason = \"The device is not registered\"
grace_days = 30
blocking = false
max_matching_share = 1.0
[[condition.dimension]]
module = \"not_registered\"
"
    )
}

fn day(dir: &Path, d: u32) -> std::path::PathBuf {
    let mut text = String::from("date,imei,imsi,msisdn,rat\n");
    for s in 0..3 {
        text.push_str(&format!(
            "2026-10-{d:02},35693803564380,43701000000010{s},99670000010{s},4G\n"
        ));
    }
    for i in 1..10 {
        text.push_str(&format!(
            "2026-10-{d:02},3569380356438{i},4370100000000{i:02},9967000000{i:02},4G\n"
        ));
    }
    let p = dir.join(format!("alfa_202610{d:02}_202610{d:02}.csv"));
    std::fs::write(&p, text).unwrap();
    p
}

/// A new registry with operator alfa and its data of 2 October.
fn registry_with_day_2() -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&dir.path().join("r.duckdb"), "test").unwrap();
    reg.add_operator(&Operator::new("alfa", &["43701"]).unwrap())
        .unwrap();
    let key = PseudonymKey::new(&[5u8; 32]).unwrap();
    let p = day(dir.path(), 2);
    reg.import_operator_data(
        "alfa",
        &p,
        Period::from_file_name(&p).unwrap(),
        &Thresholds::default(),
        &key,
        &vault(),
    )
    .unwrap();
    (dir, reg)
}

#[test]
fn runs_record_decisions_and_carry_matches_forward() {
    let (dir, mut reg) = registry_with_day_2();
    // IMEI …81 is registered.
    let devices = dir.path().join("devices.csv");
    std::fs::write(&devices, "imei,status\n35693803564381,white\n").unwrap();
    reg.import_devices(&devices, &Default::default()).unwrap();

    let first = reg.classify(&conditions(), "c.toml", date(10, 5)).unwrap();
    assert_eq!(first.run_id, 1);
    assert_eq!(first.outcome.imeis, 10);
    assert_eq!(first.outcome.matched["duplicate"], 1);
    assert_eq!(first.outcome.matched["unregistered"], 9);
    let open = reg.open_matches().unwrap();
    assert_eq!(open.len(), 10);
    let dup = open.iter().find(|m| m.condition == "duplicate").unwrap();
    assert_eq!(dup.imei, "35693803564380");
    assert_eq!(
        (dup.first_matched, dup.block_date),
        (date(10, 5), date(12, 4))
    );
    assert_eq!(dup.inputs, "3 distinct IMSIs in 10 days");
    assert!(dup.blocking);
    assert_eq!(reg.count("classification_decisions").unwrap(), 10);

    // Refused: a date before the last run; too many matches. Nothing recorded.
    let before = (
        reg.count("classification_runs").unwrap(),
        reg.count("classification_decisions").unwrap(),
    );
    let e = reg
        .classify(&conditions(), "c.toml", date(10, 4))
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("on or after the last run's 2026-10-05"),
        "{e}"
    );
    let strict = conditions().replace("max_matching_share = 1.0", "max_matching_share = 0.5");
    let e = reg.classify(&strict, "c.toml", date(10, 6)).unwrap_err();
    assert!(
        e.to_string()
            .contains("condition unregistered would match 9 of 10"),
        "{e}"
    );
    assert_eq!(
        before,
        (
            reg.count("classification_runs").unwrap(),
            reg.count("classification_decisions").unwrap()
        )
    );

    // 13 October: the sightings of the 2nd left the 10-day window: the
    // duplicate match ends; no IMEI was seen in the window, so the
    // unregistered matches end too (not sticky).
    let second = reg.classify(&conditions(), "c.toml", date(10, 13)).unwrap();
    assert_eq!(second.run_id, 2);
    assert_eq!(second.outcome.imeis, 0);
    assert!(
        second
            .outcome
            .decisions
            .iter()
            .all(|d| d.event == imei_registry::classification::Event::Ended)
    );
    assert!(reg.open_matches().unwrap().is_empty());
    assert_eq!(reg.count("classification_decisions").unwrap(), 20);
}

#[test]
fn block_lists_follow_block_dates_and_deltas_follow_generations() {
    let (dir, mut reg) = registry_with_day_2();
    let out = dir.path().join("lists");
    std::fs::create_dir(&out).unwrap();
    let e = reg
        .write_lists(date(10, 5), &out, None, &vault())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("expected a classification run first"),
        "{e}"
    );
    // Duplicate (blocking, grace 60 days → 4 December); unregistered does not block.
    reg.classify(&conditions(), "c.toml", date(10, 5)).unwrap();
    let early = reg.write_lists(date(12, 3), &out, None, &vault()).unwrap();
    assert_eq!((early.list_id, early.blocked), (1, 0));
    let blocked = reg
        .write_lists(date(12, 4), &out, Some(1), &vault())
        .unwrap();
    assert_eq!((blocked.list_id, blocked.blocked), (2, 1));
    assert_eq!(blocked.delta.as_ref().unwrap()["blocked"], 1);
    let csv = std::fs::read_to_string(out.join("blacklist.csv")).unwrap();
    assert_eq!(
        csv,
        "imei,block_date,reasons\n35693803564380,2026-12-04,The IMEI is used with many different SIM cards\n"
    );
    let delta = std::fs::read_to_string(out.join("blacklist_delta.csv")).unwrap();
    assert!(delta.ends_with(",blocked\n"), "{delta}");
    // The manifest names every file with its hash: the block list, alfa's
    // notification and exception lists, and the deltas, each CSV + Parquet.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), 12);
    for f in files {
        let name = f["file"].as_str().unwrap();
        let bytes = std::fs::read(out.join(name)).unwrap();
        let hash: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(f["sha256"].as_str().unwrap(), hash, "{name}");
    }
    // Another rule version: a delta against generation 2 is refused.
    reg.classify(
        &conditions().replace("grace_days = 60", "grace_days = 61"),
        "c.toml",
        date(10, 6),
    )
    .unwrap();
    let e = reg
        .write_lists(date(12, 6), &out, Some(2), &vault())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("the conditions changed since generation 2"),
        "{e}"
    );
    // Full lists still work; the match keeps its first block date.
    let full = reg.write_lists(date(12, 6), &out, None, &vault()).unwrap();
    assert_eq!(full.blocked, 1);
}

#[test]
fn stolen_reports_barred_tacs_and_the_golden_list_take_part() {
    let (dir, mut reg) = registry_with_day_2();
    use imei_registry::device_lists::DeviceList;
    let w = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    // …82 stolen on 1 October; …83 stolen and recovered on 4 October.
    let stolen = w(
        "stolen.csv",
        "imei,reported_at,case_reference,recovered_at\n35693803564382,2026-10-01,C-1,\n35693803564383,2026-10-01,C-2,2026-10-04\n",
    );
    assert_eq!(
        reg.import_device_list(DeviceList::Stolen, &stolen).unwrap(),
        2
    );
    let bad = w(
        "bad.csv",
        "imei,reported_at,case_reference\n35693803564382,yesterday,C-9\n",
    );
    let e = reg
        .import_device_list(DeviceList::Stolen, &bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2, field `reported_at`"), "{e}");
    let sets = reg.listed_sets(date(10, 5)).unwrap();
    assert_eq!(sets.stolen.len(), 1);
    assert_eq!(reg.listed_sets(date(10, 3)).unwrap().stolen.len(), 2);
    // Barred: the TAC of every IMEI here; golden: …82.
    reg.import_device_list(DeviceList::BarredTac, &w("tacs.csv", "tac\n35693803\n"))
        .unwrap();
    reg.import_device_list(
        DeviceList::Golden,
        &w("golden.csv", "imei\n35693803564382\n"),
    )
    .unwrap();
    let conditions = r#"
[[condition]]
label = "stolen"
reason = "The device is reported stolen"
grace_days = 0
blocking = true
max_matching_share = 1.0
[[condition.dimension]]
module = "stolen"

[[condition]]
label = "barred"
reason = "The device type is barred"
grace_days = 0
blocking = false
max_matching_share = 1.0
[[condition.dimension]]
module = "barred_tac"
"#;
    let run = reg.classify(conditions, "c.toml", date(10, 5)).unwrap();
    assert_eq!(run.outcome.matched["stolen"], 1);
    assert_eq!(run.outcome.matched["barred"], 10);
    // Stolen and blocking, but golden: not on the block list.
    let out = dir.path().join("lists");
    std::fs::create_dir(&out).unwrap();
    assert_eq!(
        reg.write_lists(date(10, 5), &out, None, &vault())
            .unwrap()
            .blocked,
        0
    );
}

#[test]
fn altered_decisions_are_detected_by_verify() {
    let (dir, mut reg) = registry_with_day_2();
    reg.classify(&conditions(), "c.toml", date(10, 5)).unwrap();
    let report = reg.verify(None).unwrap();
    assert_eq!(report.classification_runs, 1);
    let db = dir.path().join("r.duckdb");
    drop(reg);
    // Someone with write access softens a decision's reason.
    let conn = duckdb::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE classification_decisions SET reason = 'fine' WHERE imei = '35693803564380'",
        [],
    )
    .unwrap();
    drop(conn);
    let reg = Registry::open(&db, "auditor").unwrap();
    match reg.verify(None) {
        Err(imei_registry::RegistryError::Tampered { chain, seq, detail }) => {
            assert_eq!((chain.as_str(), seq), ("classification_decisions", 1));
            assert!(detail.contains("were altered"), "{detail}");
        }
        other => panic!("expected tampering to be detected, got {other:?}"),
    }
}
