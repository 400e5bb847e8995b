//! The online verdict from the classification decisions: grey during a
//! finding's grace, blocked from its block date, with the finding's reason
//! and rule version, in `info` and in the bulk check alike; the golden list
//! wins; a contest of a finding records it and, upheld, puts the device on
//! the golden list.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::{DUPLICATE, date, network, vault};
use imei_registry::bulk::{BulkOptions, check_file};
use imei_registry::contest::ContestDecision;
use imei_registry::operator_data::{Operator, Period, Thresholds};
use imei_registry::tac::{TacDb, TacRecord};
use imei_registry::verdict::Rule;
use imei_registry::{CheckContext, DeviceStatus, ReasonMask, Registry, Verdict, info};

/// IMEI …80 on three SIMs on 2 October (a clone), …81 to …85 on one each,
/// classified on 5 October: …80 in grace until 4 December.
fn setup() -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(&dir.path().join("r.duckdb"), "test").unwrap();
    reg.add_operator(&Operator::new("alfa", &["43701"]).unwrap())
        .unwrap();
    let mut text = String::from("date,imei,imsi,msisdn,rat\n");
    for s in 0..3 {
        text.push_str(&format!(
            "2026-10-02,35693803564380,43701000000010{s},99670000010{s},4G\n"
        ));
    }
    for i in 1..6 {
        text.push_str(&format!(
            "2026-10-02,3569380356438{i},4370100000000{i:02},9967000000{i:02},4G\n"
        ));
    }
    let p = dir.path().join("alfa_20261002_20261002.csv");
    std::fs::write(&p, text).unwrap();
    reg.import_operator_data(
        "alfa",
        &p,
        Period::from_file_name(&p).unwrap(),
        &Thresholds::default(),
        &network(),
        &vault(),
    )
    .unwrap();
    // The TAC is allocated: the registry alone says "unregistered" (grey).
    reg.import_tacs(&TacDb::from_records([TacRecord {
        tac: 35693803,
        manufacturer: "Acme".into(),
        model: "One".into(),
        source: "gsma".into(),
        extra: Default::default(),
    }]))
    .unwrap();
    reg.classify(DUPLICATE, "c.toml", date(10, 5)).unwrap();
    (dir, reg)
}

fn verdict_on(reg: &Registry, imei: &str, on: NaiveDate) -> imei_registry::ImeiInfo {
    let findings = reg.findings(on).unwrap();
    info(
        imei,
        CheckContext {
            findings: Some(&findings),
            index: reg.index(),
            tacs: Some(reg.tacs()),
        },
    )
}

#[test]
fn findings_make_the_verdict_grey_then_blocked() {
    let (dir, mut reg) = setup();
    let grey = verdict_on(&reg, "35693803564380", date(10, 5));
    assert_eq!(grey.verdict, Verdict::Grey);
    assert_eq!(grey.rule, Rule::Finding);
    assert!(
        grey.reason.contains("many different SIM cards"),
        "{}",
        grey.reason
    );
    assert!(
        grey.reason.contains("to be blocked on 2026-12-04"),
        "{}",
        grey.reason
    );
    assert!(grey.rule_version.starts_with("conditions-sha256:"));
    let blocked = verdict_on(&reg, "35693803564380", date(12, 4));
    assert_eq!(blocked.verdict, Verdict::Blocked);
    assert!(
        blocked.reason.contains("blocked since 2026-12-04"),
        "{}",
        blocked.reason
    );
    // Without the finding, the registry's verdict (unregistered: grey).
    let plain = verdict_on(&reg, "35693803564381", date(12, 4));
    assert_eq!(
        (plain.verdict, plain.rule),
        (Verdict::Grey, Rule::Unregistered)
    );

    // A registered (white) clone is still blocked by the finding.
    let devices = dir.path().join("devices.csv");
    std::fs::write(&devices, "imei,status\n35693803564380,white\n").unwrap();
    reg.import_devices(&devices, &Default::default()).unwrap();
    assert_eq!(
        verdict_on(&reg, "35693803564380", date(12, 4)).verdict,
        Verdict::Blocked
    );

    // The bulk check gives the same verdicts.
    let input = dir.path().join("check.csv");
    std::fs::write(&input, "imei\n35693803564380\n35693803564381\n").unwrap();
    let out = dir.path().join("verdicts.csv");
    let findings = reg.findings(date(12, 4)).unwrap();
    let counts = check_file(
        &input,
        &out,
        CheckContext {
            findings: Some(&findings),
            index: reg.index(),
            tacs: Some(reg.tacs()),
        },
        &BulkOptions::default(),
        &|_, _, _| {},
    )
    .unwrap();
    assert_eq!((counts.blocked, counts.grey), (1, 1));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("blocked since 2026-12-04"), "{text}");

    // The golden list wins over findings.
    let golden = dir.path().join("golden.csv");
    std::fs::write(&golden, "imei\n35693803564380\n").unwrap();
    reg.import_device_list(imei_registry::device_lists::DeviceList::Golden, &golden)
        .unwrap();
    let v = verdict_on(&reg, "35693803564380", date(12, 4));
    assert_eq!((v.verdict, v.rule), (Verdict::Allowed, Rule::WhiteListed));
}

#[test]
fn a_contest_of_a_finding_upheld_puts_the_device_on_the_golden_list() {
    let (_dir, mut reg) = setup();
    let key = 35693803564380;
    let c = reg
        .file_contest(key, "My phone was bought new in a shop; receipt attached")
        .unwrap();
    // Filed against the finding as the online verdict gives it today.
    assert!(c.rule_version.starts_with("conditions-sha256:"), "{c:?}");
    assert!(
        c.contested_reason.contains("many different SIM cards"),
        "{c:?}"
    );
    assert!(["grey", "blocked"].contains(&c.contested_verdict.as_str()));
    reg.decide_contest(
        c.id,
        ContestDecision::Uphold {
            status: DeviceStatus::White,
            reasons: ReasonMask(0),
        },
        "receipt checked",
    )
    .unwrap();
    assert!(reg.findings(date(12, 4)).unwrap().get(key).is_none());
    assert_eq!(
        verdict_on(&reg, "35693803564380", date(12, 4)).verdict,
        Verdict::Allowed
    );
}
