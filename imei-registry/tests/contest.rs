//! Contesting automated decisions: filing, upholding (status corrected with
//! history), rejecting, and refusing a second decision.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use imei_registry::contest::{ContestDecision, ContestState};
use imei_registry::{DeviceStatus, ReasonMask, Registry};

const STOLEN: u64 = 35_332_811_000_001;
const GREY: u64 = 35_332_811_000_002;

fn registry(dir: &std::path::Path) -> Registry {
    let mut reg = Registry::open_or_create(&dir.join("r.duckdb"), "officer").unwrap();
    reg.set_status(
        STOLEN,
        DeviceStatus::Black,
        ReasonMask::parse("STOLEN").unwrap(),
        "police",
    )
    .unwrap();
    reg.set_status(
        GREY,
        DeviceStatus::Grey,
        ReasonMask::parse("DUTY_UNPAID").unwrap(),
        "customs",
    )
    .unwrap();
    reg
}

#[test]
fn an_upheld_contest_corrects_the_status_with_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = registry(dir.path());
    assert!(
        reg.file_contest(STOLEN, "   ").is_err(),
        "grounds are required"
    );
    let filed = reg
        .file_contest(STOLEN, "The phone was recovered; police report 2026/118")
        .unwrap();
    let id = filed.id;
    let open = reg.contests(None, true).unwrap();
    assert_eq!(open, [filed], "the returned contest is the stored one");
    let c = &open[0];
    assert_eq!((c.id, c.state), (id, ContestState::Open));
    assert_eq!(c.key, "35332811000001");
    assert_eq!(c.contested_verdict, "blocked");
    assert!(
        c.contested_reason.contains("stolen"),
        "{}",
        c.contested_reason
    );
    assert!(!c.rule_version.is_empty());
    assert_eq!(c.filed_by, "officer");

    let decided = reg
        .decide_contest(
            id,
            ContestDecision::Uphold {
                status: DeviceStatus::White,
                reasons: ReasonMask::parse("RECOVERED").unwrap(),
            },
            "Recovery confirmed by the police",
        )
        .unwrap();
    assert_eq!(decided.state, ContestState::Upheld);
    assert_eq!(decided.decided_by.as_deref(), Some("officer"));
    assert!(decided.decided_at.is_some());
    assert_eq!(
        reg.index().get(STOLEN).map(|e| e.0),
        Some(DeviceStatus::White)
    );
    let h = reg.history(STOLEN).unwrap();
    assert_eq!(
        h.last().map(|e| e.source.as_str()),
        Some(format!("contest {id}").as_str())
    );
    assert_eq!(reg.verify(None).unwrap().chains["status_history"], 3);
    assert!(reg.contests(None, true).unwrap().is_empty());

    // A decided contest cannot be decided again.
    let again = reg.decide_contest(id, ContestDecision::Reject, "second thoughts");
    assert!(again.unwrap_err().to_string().contains("already decided"));
    assert!(
        reg.decide_contest(999, ContestDecision::Reject, "no such")
            .is_err()
    );
}

#[test]
fn a_rejected_contest_leaves_the_status_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut reg = registry(dir.path());
        let id = reg
            .file_contest(GREY, "Duty was paid at the border")
            .unwrap()
            .id;
        assert!(
            reg.decide_contest(id, ContestDecision::Reject, "   ")
                .is_err(),
            "a decision needs a note"
        );
        let c = reg
            .decide_contest(id, ContestDecision::Reject, "No payment on record")
            .unwrap();
        assert_eq!(c.state, ContestState::Rejected);
        assert_eq!(c.decision.as_deref(), Some("No payment on record"));
        id
    };
    let mut reg = Registry::open_or_create(&dir.path().join("r.duckdb"), "clerk").unwrap();
    assert_eq!(reg.index().get(GREY).map(|e| e.0), Some(DeviceStatus::Grey));
    let all = reg.contests(Some(GREY), false).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].id, all[0].state), (id, ContestState::Rejected));
    // A new contest gets a new number.
    let next = reg.file_contest(GREY, "New receipt found").unwrap();
    assert!(next.id > id);
    assert_eq!(reg.contests(Some(STOLEN), false).unwrap().len(), 0);
}
