//! Pseudonym key rotation (`imei_registry::rotate`): every verdict is kept,
//! every stored pseudonym changes, the rotated key chain pseudonymises owner
//! IDs to the rotated pseudonyms, the fingerprint changes and the old key
//! alone is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use imei_registry::bulk::{BulkOptions, check_file};
use imei_registry::import::ImportOptions;
use imei_registry::pseudonym::{PseudonymKey, is_pseudonym};
use imei_registry::{CheckContext, Registry, RegistryError};

/// Devices: owner KG 1 has three, KG 2 two, one device has no owner.
const DEVICES: &str = "imei,status,reasons,owner_id\n\
260531793113837,white,,KG 1\n\
353328110000013,black,STOLEN,KG-1\n\
353328110000021,grey,DUTY_UNPAID,kg1\n\
012345678901237,white,,KG 2\n\
001234560000113,black,LOST,KG 2\n\
861301051234565,grey,,\n";

/// Check file: the registered devices and two that are not.
const CHECK: &str = "imei,operator\n\
260531793113837,A\n353328110000013,B\n353328110000021,C\n012345678901237,D\n\
001234560000113,E\n861301051234565,F\n011300001234567,G\nABC,H\n";

const KEYS: [u64; 6] = [
    26_053_179_311_383,
    35_332_811_000_001,
    35_332_811_000_002,
    1_234_567_890_123,
    123_456_000_011,
    86_130_105_123_456,
];

fn import(reg: &mut Registry, path: &Path, key: &PseudonymKey) -> Result<(), RegistryError> {
    reg.import_devices(
        path,
        &ImportOptions {
            key: Some(key.clone()),
            ..ImportOptions::default()
        },
    )
    .map(|_| ())
}

fn pseudonyms(reg: &Registry) -> BTreeMap<u64, Option<String>> {
    KEYS.iter()
        .map(|&k| (k, reg.device(k).unwrap().unwrap().owner_pseudonym))
        .collect()
}

fn verdicts(reg: &Registry, input: &Path, out: &Path) -> Vec<u8> {
    let ctx = CheckContext {
        findings: None,
        index: reg.index(),
        tacs: None,
    };
    check_file(input, out, ctx, &BulkOptions::default(), &|_, _, _| {}).unwrap();
    std::fs::read(out).unwrap()
}

#[test]
fn rotation_keeps_verdicts_and_changes_every_pseudonym() {
    let dir = tempfile::tempdir().unwrap();
    let (devices, check) = (dir.path().join("devices.csv"), dir.path().join("check.csv"));
    std::fs::write(&devices, DEVICES).unwrap();
    std::fs::write(&check, CHECK).unwrap();
    let db = dir.path().join("reg.duckdb");
    let old = PseudonymKey::generate().unwrap();
    let mut reg = Registry::open_or_create(&db, "tester").unwrap();
    import(&mut reg, &devices, &old).unwrap();

    let before = pseudonyms(&reg);
    let kg1 = old.pseudonymise("KG 1");
    assert_eq!(before[&KEYS[0]].as_deref(), Some(kg1.as_str()));
    assert_eq!(before[&KEYS[5]], None);
    let v_before = verdicts(&reg, &check, &dir.path().join("before.csv"));
    let audit_before = reg.count("audit_log").unwrap();
    let history_before = reg.count("status_history").unwrap();

    let new = old.rotated(&PseudonymKey::generate().unwrap());
    let s = reg.rotate_pseudonym_key(&old, &new).unwrap();
    // The rotation is audited in its own transaction.
    assert_eq!(reg.count("audit_log").unwrap(), audit_before + 1);
    assert_eq!((s.devices, s.pseudonyms, s.generations), (5, 2, 2));
    assert_eq!(s.old_fingerprint, old.fingerprint());
    assert_eq!(s.new_fingerprint, new.fingerprint());
    assert_ne!(s.old_fingerprint, s.new_fingerprint);

    // Reopen: everything below is read back from the file.
    drop(reg);
    let mut reg = Registry::open(&db, "tester").unwrap();
    assert_eq!(
        reg.meta("pseudonym_key_fingerprint").unwrap(),
        Some(new.fingerprint())
    );
    let after = pseudonyms(&reg);
    for k in KEYS {
        match (&before[&k], &after[&k]) {
            (Some(b), Some(a)) => {
                assert_ne!(a, b, "device {k}: pseudonym unchanged");
                assert!(is_pseudonym(a), "{a}");
            }
            (None, None) => {}
            other => panic!("device {k}: {other:?}"),
        }
    }
    // Owners stay linked, and the chain pseudonymises IDs to the rotated values.
    let new_kg1 = new.pseudonymise("kg 1");
    for k in &KEYS[..3] {
        assert_eq!(after[k].as_deref(), Some(new_kg1.as_str()));
    }
    assert_eq!(after[&KEYS[3]], Some(new.pseudonymise("KG 2")));
    assert_eq!(after[&KEYS[4]], after[&KEYS[3]]);

    // Every verdict is the same (the verdict file holds no pseudonyms).
    let v_after = verdicts(&reg, &check, &dir.path().join("after.csv"));
    assert_eq!(v_after, v_before);
    assert_eq!(reg.count("status_history").unwrap(), history_before);
    reg.verify(None).unwrap();

    // A later import of the same owner under the rotated key links to the
    // rotated pseudonym.
    let more = dir.path().join("more.csv");
    std::fs::write(&more, "imei,status,owner_id\n011300001234567,white,KG1\n").unwrap();
    let unchanged = (
        reg.count("devices").unwrap(),
        reg.count("status_history").unwrap(),
    );
    // The old key alone is refused, and nothing changes.
    let err = import(&mut reg, &more, &old).unwrap_err();
    assert!(matches!(err, RegistryError::KeyMismatch { .. }), "{err}");
    assert_eq!(
        (
            reg.count("devices").unwrap(),
            reg.count("status_history").unwrap()
        ),
        unchanged
    );
    let err = reg
        .rotate_pseudonym_key(&old, &old.rotated(&PseudonymKey::generate().unwrap()))
        .unwrap_err();
    assert!(matches!(err, RegistryError::KeyMismatch { .. }), "{err}");
    import(&mut reg, &more, &new).unwrap();
    let row = reg.device(1_130_000_123_456).unwrap().unwrap();
    assert_eq!(row.owner_pseudonym.as_deref(), Some(new_kg1.as_str()));

    // A second rotation carries the chain on.
    let third = new.rotated(&PseudonymKey::generate().unwrap());
    let s = reg.rotate_pseudonym_key(&new, &third).unwrap();
    assert_eq!((s.devices, s.pseudonyms, s.generations), (6, 2, 3));
    let row = reg.device(1_130_000_123_456).unwrap().unwrap();
    assert_eq!(row.owner_pseudonym, Some(third.pseudonymise("KG 1")));
}

#[test]
fn a_rotation_that_does_not_extend_the_key_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let devices = dir.path().join("devices.csv");
    std::fs::write(&devices, DEVICES).unwrap();
    let key = PseudonymKey::generate().unwrap();
    let mut reg = Registry::open_or_create(&dir.path().join("reg.duckdb"), "tester").unwrap();
    import(&mut reg, &devices, &key).unwrap();
    let before = pseudonyms(&reg);
    let audit = reg.count("audit_log").unwrap();
    let unrelated = PseudonymKey::generate().unwrap();
    assert!(matches!(
        reg.rotate_pseudonym_key(&key, &unrelated),
        Err(RegistryError::Invalid(_))
    ));
    assert!(matches!(
        reg.rotate_pseudonym_key(&unrelated, &unrelated.rotated(&key)),
        Err(RegistryError::KeyMismatch { .. })
    ));
    assert_eq!(reg.count("audit_log").unwrap(), audit);
    assert_eq!(pseudonyms(&reg), before);
    assert_eq!(
        reg.meta("pseudonym_key_fingerprint").unwrap(),
        Some(key.fingerprint())
    );
}

#[test]
fn a_large_registry_rotates_page_by_page() {
    use std::io::Write;
    // More distinct owners than one page of the rotation (50 000).
    const N: u64 = 120_003;
    let dir = tempfile::tempdir().unwrap();
    let devices = dir.path().join("devices.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&devices).unwrap());
    writeln!(f, "imei,status,owner_id").unwrap();
    for i in 0..N {
        let imei = imei_registry::identity::format_imei15(35_000_000_000_000 + i);
        // Owners of two devices each, except the last one.
        writeln!(f, "{imei},white,OWNER {}", i / 2).unwrap();
    }
    f.flush().unwrap();
    drop(f);
    let key = PseudonymKey::generate().unwrap();
    let mut reg = Registry::open_or_create(&dir.path().join("reg.duckdb"), "tester").unwrap();
    import(&mut reg, &devices, &key).unwrap();
    let new = key.rotated(&PseudonymKey::generate().unwrap());
    let s = reg.rotate_pseudonym_key(&key, &new).unwrap();
    assert_eq!((s.devices, s.pseudonyms), (N, N.div_ceil(2)));
    for i in [0, 1, 50_000, 99_999, 100_000, N - 1] {
        let row = reg.device(35_000_000_000_000 + i).unwrap().unwrap();
        assert_eq!(
            row.owner_pseudonym,
            Some(new.pseudonymise(&format!("OWNER {}", i / 2))),
            "device {i}"
        );
    }
}

#[test]
fn a_stored_value_that_is_not_a_pseudonym_stops_the_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let devices = dir.path().join("devices.csv");
    std::fs::write(&devices, DEVICES).unwrap();
    let db = dir.path().join("reg.duckdb");
    let key = PseudonymKey::generate().unwrap();
    {
        let mut reg = Registry::open_or_create(&db, "tester").unwrap();
        import(&mut reg, &devices, &key).unwrap();
    }
    // A clear-text ID written into the store behind the registry's back
    // (as an older version, which stored owner_pseudonym verbatim, allowed).
    {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute(
            "UPDATE devices SET owner_pseudonym = 'AN 1234567' WHERE imei_key = ?",
            [KEYS[0]],
        )
        .unwrap();
    }
    let mut reg = Registry::open(&db, "tester").unwrap();
    let before = pseudonyms(&reg);
    let audit = reg.count("audit_log").unwrap();
    let err = reg
        .rotate_pseudonym_key(&key, &key.rotated(&PseudonymKey::generate().unwrap()))
        .unwrap_err();
    assert!(
        matches!(err, RegistryError::Invalid(_)) && err.to_string().contains("found 1 other"),
        "{err}"
    );
    assert_eq!(reg.count("audit_log").unwrap(), audit);
    assert_eq!(pseudonyms(&reg), before);
    assert_eq!(
        reg.meta("pseudonym_key_fingerprint").unwrap(),
        Some(key.fingerprint())
    );
}
