//! The personal-data duties of the registry life cycle: the identity vault
//! (clear values sealed, opened only for an operator's own lists), the
//! notification and exception lists and their deltas, subject access per
//! purpose, erasure by crypto-shredding, retention, and the audit of reads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{DUPLICATE, date, network, vault};
use imei_registry::Registry;
use imei_registry::operator_data::{Operator, Period, Thresholds};
use imei_registry::pseudonym::PseudonymKey;
use imei_registry::purpose::{Field, network_pseudonym};
use imei_registry::vault::{SlotFile, open};

/// 2 October: IMEI …80 on three alfa SIMs and one roamer, …81 on one SIM.
fn day_2(dir: &Path) -> PathBuf {
    let mut text = String::from("date,imei,imsi,msisdn,rat\n");
    for s in 0..3 {
        text.push_str(&format!(
            "2026-10-02,35693803564380,43701000000010{s},99670000010{s},4G\n"
        ));
    }
    text.push_str("2026-10-02,35693803564380,250010000000900,70000000900,4G\n");
    for i in 1..20 {
        text.push_str(&format!(
            "2026-10-02,356938035643{:02},4370100000000{i:02},9967000000{i:02},4G\n",
            80 + i
        ));
    }
    let p = dir.join("alfa_20261002_20261002.csv");
    std::fs::write(&p, text).unwrap();
    p
}

fn setup() -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&dir.path().join("r.duckdb"), "test").unwrap();
    reg.add_operator(&Operator::new("alfa", &["43701"]).unwrap())
        .unwrap();
    reg.add_operator(&Operator::new("beta", &["43705"]).unwrap())
        .unwrap();
    let p = day_2(dir.path());
    let limits = Thresholds {
        foreign_imsi: 0.1,
        ..Thresholds::default()
    };
    reg.import_operator_data(
        "alfa",
        &p,
        Period::from_file_name(&p).unwrap(),
        &limits,
        &network(),
        &vault(),
    )
    .unwrap();
    reg.classify(DUPLICATE, "conditions.toml", date(10, 5))
        .unwrap();
    (dir, reg)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn notifications_exceptions_and_their_deltas() {
    let (dir, mut reg) = setup();
    let out = dir.path().join("lists");
    std::fs::create_dir_all(&out).unwrap();
    // In grace on 5 October: alfa notifies its three subscribers, not the roamer.
    let first = reg.write_lists(date(10, 5), &out, None, &vault()).unwrap();
    assert_eq!((first.blocked, first.notifications), (0, 3));
    let notes = read(&out.join("notifications_alfa.csv"));
    assert_eq!(
        notes.lines().collect::<Vec<_>>(),
        [
            "imei,imsi,msisdn,block_date,reasons",
            "35693803564380,437010000000100,996700000100,2026-12-04,The IMEI is used with many different SIM cards",
            "35693803564380,437010000000101,996700000101,2026-12-04,The IMEI is used with many different SIM cards",
            "35693803564380,437010000000102,996700000102,2026-12-04,The IMEI is used with many different SIM cards",
        ]
    );
    assert!(!notes.contains("250010000000900"));
    assert_eq!(read(&out.join("notifications_beta.csv")).lines().count(), 1);
    assert_eq!(read(&out.join("exceptions_alfa.csv")), "imei,imsi\n");

    // A pairing list: a bad row refuses the file and keeps the list as it was.
    let pairs = dir.path().join("pairs.csv");
    std::fs::write(
        &pairs,
        "imei,imsi\n35693803564381,437010000000001\n35693803564382,999990000000001\n",
    )
    .unwrap();
    let e = reg
        .import_pairing_list(&pairs, &network(), &vault())
        .unwrap_err();
    assert!(
        e.to_string().contains("line 3") && e.to_string().contains("imsi"),
        "{e}"
    );
    assert_eq!(reg.count("pairing_list").unwrap(), 0);
    std::fs::write(&pairs, "imei,imsi\n35693803564381,437010000000001\n").unwrap();
    assert_eq!(
        reg.import_pairing_list(&pairs, &network(), &vault())
            .unwrap(),
        1
    );

    // On the block date: the notified pairs are now blacklisted, one exception added.
    let second = reg
        .write_lists(date(12, 4), &out, Some(first.list_id), &vault())
        .unwrap();
    assert_eq!(
        (second.blocked, second.notifications, second.exceptions),
        (1, 0, 1)
    );
    assert_eq!(
        second.operator_deltas["notifications_alfa_delta"],
        [("blacklisted".to_string(), 3)].into_iter().collect()
    );
    assert_eq!(
        read(&out.join("exceptions_alfa_delta.csv")),
        "imei,imsi,change\n35693803564381,437010000000001,added\n"
    );
    assert_eq!(
        read(&out.join("exceptions_alfa.csv")),
        "imei,imsi\n35693803564381,437010000000001\n"
    );
    let manifest = read(&out.join("manifest.json"));
    assert!(
        manifest.contains("notifications_beta_delta.parquet"),
        "{manifest}"
    );

    // An empty pairing list: the exception is removed in the next delta.
    std::fs::write(&pairs, "imei,imsi\n").unwrap();
    reg.import_pairing_list(&pairs, &network(), &vault())
        .unwrap();
    let third = reg
        .write_lists(date(12, 5), &out, Some(second.list_id), &vault())
        .unwrap();
    assert_eq!(
        third.operator_deltas["exceptions_alfa_delta"],
        [("removed".to_string(), 1)].into_iter().collect()
    );

    // Every opening of clear values was audited with its purpose and why.
    let reads = reg.personal_data_reads().unwrap();
    assert!(
        reads
            .iter()
            .any(|r| r.actor == "test" && r.detail.contains("why: notification list of alfa")),
        "{reads:?}"
    );
}

#[test]
fn subject_access_is_per_purpose_and_audited() {
    let (dir, mut reg) = setup();
    // An owner whose ID has the same digits as the subscriber's IMSI.
    let owner_key = PseudonymKey::new(&[1u8; 32]).unwrap();
    let owners = dir.path().join("owners.csv");
    std::fs::write(
        &owners,
        "imei,status,owner_id\n35693803564399,white,437010000000100\n",
    )
    .unwrap();
    reg.import_devices(
        &owners,
        &imei_registry::import::ImportOptions {
            key: Some(owner_key.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let sub = reg
        .subscriber_access("437010000000100", &network(), &vault(), "SAR-7")
        .unwrap();
    assert_eq!(sub.purpose, "network_monitoring");
    assert_eq!(sub.sightings.len(), 1);
    assert_eq!(sub.sightings[0].imei, "35693803564380");
    assert_eq!(sub.sightings[0].days, vec![2]);
    assert_eq!(
        sub.vault,
        vec![(
            "alfa".to_string(),
            "437010000000100".to_string(),
            "996700000100".to_string()
        )]
    );
    assert_eq!(sub.findings.len(), 1);
    assert_eq!(sub.findings[0].inputs, "4 distinct IMSIs in 10 days");
    // Another key than the purpose's is refused, not answered with nothing.
    let other = PseudonymKey::new(&[9u8; 32]).unwrap();
    assert!(matches!(
        reg.subscriber_access("437010000000100", &other, &vault(), "SAR-7"),
        Err(imei_registry::RegistryError::KeyMismatch { .. })
    ));
    assert!(
        reg.owner_access("437010000000100", &other, "SAR-7")
            .is_err()
    );
    let own = reg
        .owner_access("437010000000100", &owner_key, "SAR-7")
        .unwrap();
    assert_eq!(own.purpose, "owner_registration");
    assert_eq!(own.devices.len(), 1);
    // The two purposes' pseudonyms of the same digits differ, and no
    // network-data table holds an owner pseudonym (nothing to join on).
    assert_ne!(
        own.owner_pseudonym[3..],
        sub.imsi_pseudonym[3..],
        "one pseudonym for two purposes"
    );
    assert!(
        !sub.sightings
            .iter()
            .any(|s| s.msisdn_pseudonym.starts_with("p1:"))
    );
    let reads = reg.personal_data_reads().unwrap();
    assert!(
        reads
            .iter()
            .any(|r| r.detail.contains("purpose network_monitoring")
                && r.detail.contains("subject access export")
                && r.detail.contains("why: SAR-7"))
    );
    assert!(reads.iter().any(
        |r| r.detail.contains("purpose owner_registration") && r.detail.contains("why: SAR-7")
    ));
    drop(reg);
    // Checked on the file itself: no table has both kinds of identifiers.
    let conn = duckdb::Connection::open(dir.path().join("r.duckdb")).unwrap();
    let mixed: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT table_name FROM information_schema.columns GROUP BY table_name \
             HAVING bool_or(column_name = 'owner_pseudonym') AND bool_or(column_name IN ('imsi_p', 'msisdn_p')))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(mixed, 0);
}

#[test]
fn erasure_makes_the_clear_values_unrecoverable() {
    let (dir, reg) = setup();
    let imsi = "437010000000101";
    let imsi_p = network_pseudonym(&network(), Field::Imsi, imsi);
    let db = dir.path().join("r.duckdb");
    let vault_path = reg.vault_path();
    drop(reg);
    // What an attacker with a copy of the registry and the vault key holds.
    let conn = duckdb::Connection::open(&db).unwrap();
    let (msisdn_p, nonce, sealed): (String, Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT msisdn_p, nonce, sealed FROM identity_vault WHERE imsi_p = ?",
            [&imsi_p],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    drop(conn);
    let aad = format!("{imsi_p}\0{msisdn_p}\0alfa");
    let opens = |slots: &mut SlotFile| {
        (0..slots.len()).any(|n| {
            let slot = slots.read(n).unwrap();
            open(&vault(), &imsi_p, &slot, aad.as_bytes(), &nonce, &sealed).is_ok()
        })
    };
    assert!(opens(&mut SlotFile::open_or_create(&vault_path).unwrap()));

    let mut reg = Registry::open(&db, "dpo").unwrap();
    let wrong = PseudonymKey::new(&[9u8; 32]).unwrap();
    assert!(reg.erase_subscriber(imsi, &wrong, "ERA-3").is_err());
    assert!(reg.destruction_acts().unwrap().is_empty());
    let done = reg.erase_subscriber(imsi, &network(), "ERA-3").unwrap();
    assert_eq!(done.slots_zeroed, 1);
    assert_eq!(done.act.kind, "erasure");
    assert!(done.act.detail.contains("why: ERA-3"));
    assert_eq!(reg.destruction_acts().unwrap(), vec![done.act.clone()]);
    // Gone: with the vault key and every slot, the old ciphertext opens nothing.
    assert!(!opens(&mut SlotFile::open_or_create(&vault_path).unwrap()));
    let sub = reg
        .subscriber_access(imsi, &network(), &vault(), "after")
        .unwrap();
    assert!(sub.vault.is_empty());
    assert_eq!(sub.sightings.len(), 1, "pseudonymised evidence stays");
    // The erased subscriber is no longer notified; the others still are.
    let out = dir.path().join("lists");
    std::fs::create_dir_all(&out).unwrap();
    reg.write_lists(date(10, 5), &out, None, &vault()).unwrap();
    let notes = read(&out.join("notifications_alfa.csv"));
    assert!(
        !notes.contains(imsi) && notes.contains("437010000000100"),
        "{notes}"
    );
}

#[test]
fn retention_drops_old_months_and_shreds_unbacked_entries() {
    let (dir, mut reg) = setup();
    let pairs = dir.path().join("pairs.csv");
    std::fs::write(&pairs, "imei,imsi\n35693803564381,437010000000001\n").unwrap();
    reg.import_pairing_list(&pairs, &network(), &vault())
        .unwrap();
    let e = reg.apply_retention(0, date(12, 1)).unwrap_err();
    assert!(e.to_string().contains("at least 1 month"), "{e}");
    // Three months ending in December keep October.
    let kept = reg.apply_retention(3, date(12, 1)).unwrap();
    assert_eq!((kept.rows, kept.slots_zeroed), (0, 0));
    assert_eq!(reg.count("network_triplets").unwrap(), 23);
    // Two months ending in December drop it; the paired IMSI keeps its entry.
    let dropped = reg.apply_retention(2, date(12, 1)).unwrap();
    assert_eq!(dropped.act.kind, "retention");
    assert_eq!(reg.count("network_triplets").unwrap(), 0);
    assert_eq!(dropped.slots_zeroed, 21);
    assert_eq!(reg.count("identity_vault").unwrap(), 1);
    assert_eq!(reg.destruction_acts().unwrap().len(), 2);
}

/// One day of alfa's data: `(imei, imsi suffix)` pairs.
fn alfa_day(dir: &Path, d: u32, pairs: &[(&str, u32)]) -> PathBuf {
    let mut text = String::from("date,imei,imsi,msisdn,rat\n");
    for (imei, s) in pairs {
        text.push_str(&format!(
            "2026-10-{d:02},{imei},43701000000{s:04},99670000{s:04},4G\n"
        ));
    }
    let p = dir.join(format!("alfa_202610{d:02}_202610{d:02}.csv"));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn notification_deltas_say_new_changed_resolved_and_no_longer_seen() {
    // DUP: 3 IMSIs in 100 days; SAME_DAY: 2 IMSIs on the run's day.
    const BOTH: &str = r#"
[[condition]]
label = "dup"
reason = "Many SIM cards"
grace_days = 100
blocking = true
max_matching_share = 1.0
[[condition.dimension]]
module = "duplicate"
threshold = 3
period_days = 100

[[condition]]
label = "same_day"
reason = "Two SIM cards in one day"
grace_days = 100
blocking = true
max_matching_share = 1.0
[[condition.dimension]]
module = "duplicate"
threshold = 2
period_days = 1
"#;
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&dir.path().join("r.duckdb"), "test").unwrap();
    reg.add_operator(&Operator::new("alfa", &["43701"]).unwrap())
        .unwrap();
    let import = |reg: &mut Registry, p: PathBuf| {
        reg.import_operator_data(
            "alfa",
            &p,
            Period::from_file_name(&p).unwrap(),
            &Thresholds::default(),
            &network(),
            &vault(),
        )
        .unwrap();
    };
    let (a, b, c) = ("35693803564380", "35693803564381", "35693803564383");
    import(&mut reg, alfa_day(dir.path(), 1, &[(a, 0)]));
    import(&mut reg, alfa_day(dir.path(), 2, &[(a, 1)]));
    import(
        &mut reg,
        alfa_day(dir.path(), 3, &[(a, 2), (c, 10), (c, 11)]),
    );
    reg.classify(BOTH, "c.toml", date(10, 3)).unwrap();
    let out = dir.path().join("lists");
    std::fs::create_dir_all(&out).unwrap();
    let first = reg.write_lists(date(10, 3), &out, None, &vault()).unwrap();
    assert_eq!(first.notifications, 5);
    // 20 October: …80 on two SIMs (one new), …81 on three; …83 not seen.
    import(
        &mut reg,
        alfa_day(dir.path(), 20, &[(a, 0), (a, 3), (b, 20), (b, 21), (b, 22)]),
    );
    reg.classify(BOTH, "c.toml", date(10, 20)).unwrap();
    // 15 December: only 20 October's sightings are within the 60 days.
    let second = reg
        .write_lists(date(12, 15), &out, Some(first.list_id), &vault())
        .unwrap();
    let counts = &second.operator_deltas["notifications_alfa_delta"];
    let want: std::collections::BTreeMap<String, usize> = [
        ("changed", 1),
        ("new", 4),
        ("no_longer_seen", 2),
        ("resolved", 2),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(counts, &want);
    let delta = read(&out.join("notifications_alfa_delta.csv"));
    assert!(
        delta.contains("35693803564380,437010000000000,996700000000,2027-01-11,Many SIM cards|Two SIM cards in one day,changed"),
        "{delta}"
    );
    assert!(
        delta.contains("35693803564383,437010000000010,996700000010,2027-01-11,Two SIM cards in one day,resolved"),
        "{delta}"
    );
    assert!(
        delta.contains(
            "35693803564380,437010000000001,996700000001,2027-01-11,Many SIM cards,no_longer_seen"
        ),
        "{delta}"
    );
}
