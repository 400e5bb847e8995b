//! Operator data in the registry: operators declared once without
//! overlapping prefixes; an import that passes merges its triplets by OR of
//! day masks; a refused file, a file imported twice, the owner key or
//! another key change nothing; no clear IMSI or MSISDN reaches the file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use imei_registry::operator_data::{Operator, Period, Thresholds};
use imei_registry::pseudonym::PseudonymKey;
use imei_registry::{ImeiError, Registry, RegistryError};

/// The identity vault's key in these tests.
fn vault() -> PseudonymKey {
    PseudonymKey::new(&[0x5au8; 32]).unwrap()
}

fn alfa() -> Operator {
    Operator::new("alfa", &["43701"]).unwrap()
}

fn october() -> Period {
    Period::parse("2026-10-01:2026-10-31").unwrap()
}

/// A day file: 40 rows, 20 devices; each row on `day`.
fn day_file(dir: &Path, name: &str, day: u32, spoil_imsi: usize) -> PathBuf {
    let mut text = String::from("date,imei,imsi,msisdn,rat\n");
    for i in 0..40u32 {
        let dev = i % 20;
        let imsi = if (i as usize) < spoil_imsi {
            String::new()
        } else {
            format!("4370100000{dev:05}")
        };
        text.push_str(&format!(
            "2026-10-{day:02},356938035643{dev:02},{imsi},99670000{dev:04},{}\n",
            if i < 20 { "4G" } else { "2G" }
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn state(reg: &Registry) -> (u64, u64, u64) {
    (
        reg.count("network_triplets").unwrap(),
        reg.count("operator_imports").unwrap(),
        reg.count("audit_log").unwrap(),
    )
}

#[test]
fn operators_are_declared_once_without_overlapping_prefixes() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&dir.path().join("r.duckdb"), "test").unwrap();
    reg.add_operator(&alfa()).unwrap();
    let e = reg.add_operator(&alfa()).unwrap_err().to_string();
    assert!(e.contains("declared already"), "{e}");
    let e = reg
        .add_operator(&Operator::new("beta", &["437010"]).unwrap())
        .unwrap_err()
        .to_string();
    assert!(e.contains("overlaps operator alfa"), "{e}");
    reg.add_operator(&Operator::new("beta", &["43705"]).unwrap())
        .unwrap();
    let names: Vec<String> = reg
        .operators()
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, ["alfa", "beta"]);
}

#[test]
fn imports_merge_days_and_refusals_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.duckdb");
    let mut reg = Registry::create(&db, "test").unwrap();
    reg.add_operator(&alfa()).unwrap();
    let key = PseudonymKey::new(&[9u8; 32]).unwrap();
    let limits = Thresholds::default();
    // Not declared.
    let d3 = day_file(dir.path(), "d3.csv", 3, 0);
    let e = reg
        .import_operator_data("gamma", &d3, october(), &limits, &key, &vault())
        .unwrap_err();
    assert!(e.to_string().contains("not declared"), "{e}");

    let first = reg
        .import_operator_data("alfa", &d3, october(), &limits, &key, &vault())
        .unwrap();
    assert_eq!(first.report.rows, 40);
    assert_eq!((first.triplets, first.new_triplets), (20, 20));
    let rows = reg.sightings("35693803564307").unwrap();
    assert_eq!(rows, vec![("alfa".to_string(), 202_610, 1 << 2, 1 | 4)]);

    // The same file again: refused by its hash, nothing changes.
    let before = state(&reg);
    let e = reg
        .import_operator_data("alfa", &d3, october(), &limits, &key, &vault())
        .unwrap_err();
    assert!(e.to_string().contains("imported before"), "{e}");
    assert_eq!(state(&reg), before);

    // A file with 25 % null IMSIs (limit 5 %): refused whole.
    let bad = day_file(dir.path(), "d4-bad.csv", 4, 10);
    match reg.import_operator_data("alfa", &bad, october(), &limits, &key, &vault()) {
        Err(RegistryError::Core(ImeiError::Refused(report))) => {
            let text = report.to_string();
            assert!(
                text.contains("null_imsi 10 (25.00 %, max 5.00 %) FAILED"),
                "{text}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(state(&reg), before);

    // The owner key, or another key, for network data: refused.
    let owner = PseudonymKey::new(&[1u8; 32]).unwrap();
    let owners = dir.path().join("owners.csv");
    std::fs::write(
        &owners,
        "imei,status,owner_id\n35693803564399,white,AN1234567\n",
    )
    .unwrap();
    reg.import_devices(
        &owners,
        &imei_registry::import::ImportOptions {
            key: Some(owner.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let d5 = day_file(dir.path(), "d5.csv", 5, 0);
    let e = reg
        .import_operator_data("alfa", &d5, october(), &limits, &owner, &vault())
        .unwrap_err();
    assert!(e.to_string().contains("owner-registration key"), "{e}");
    let other = PseudonymKey::new(&[2u8; 32]).unwrap();
    let e = reg
        .import_operator_data("alfa", &d5, october(), &limits, &other, &vault())
        .unwrap_err();
    assert!(matches!(e, RegistryError::KeyMismatch { .. }), "{e}");

    // A later day adds its bit to the same rows.
    let second = reg
        .import_operator_data("alfa", &d5, october(), &limits, &key, &vault())
        .unwrap();
    assert_eq!((second.triplets, second.new_triplets), (20, 0));
    let rows = reg.sightings("35693803564307").unwrap();
    assert_eq!(
        rows,
        vec![("alfa".to_string(), 202_610, 1 << 2 | 1 << 4, 1 | 4)]
    );
    drop(reg);

    // No clear IMSI or MSISDN anywhere in the file.
    let bytes = std::fs::read(&db).unwrap();
    for clear in ["437010000000007", "996700000007"] {
        assert!(
            !bytes.windows(clear.len()).any(|w| w == clear.as_bytes()),
            "{clear} stored in clear"
        );
    }
}
