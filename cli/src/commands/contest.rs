//! `spectra registry contest | contests | decide`: contesting automated
//! decisions (`imei_registry::contest`).

use imei_registry::contest::{Contest, ContestDecision};

use super::registry_access::open;
use crate::flags::contest::{ContestFlags, ContestsFlags, DecideFlags};
use crate::output::{Status, print_json, print_text};

fn line(c: &Contest) -> String {
    let mut s = format!(
        "contest {} ({}) device {} filed {} by {}: contests {} under rules {} ({})\n  grounds: {}",
        c.id,
        c.state.name(),
        c.key,
        c.filed_at,
        c.filed_by,
        c.contested_verdict,
        c.rule_version,
        c.contested_reason,
        c.grounds
    );
    if let (Some(at), Some(by)) = (&c.decided_at, &c.decided_by) {
        s.push_str(&format!(
            "\n  decided {at} by {by}: {}",
            c.decision.as_deref().unwrap_or("")
        ));
    }
    s
}

/// `spectra registry contest`.
pub fn contest(f: &ContestFlags) -> anyhow::Result<Status> {
    let mut reg = open(&f.reg)?;
    let c = reg.file_contest(f.imei, &f.grounds)?;
    if f.reg.json {
        print_json(&c)?;
    } else {
        print_text(&line(&c))?;
    }
    Ok(Status::Ok)
}

/// `spectra registry contests`.
pub fn contests(f: &ContestsFlags) -> anyhow::Result<Status> {
    let reg = open(&f.reg)?;
    let list = reg.contests(f.imei, f.open)?;
    if f.reg.json {
        print_json(&list)?;
    } else {
        let mut s = format!("{} contests", list.len());
        for c in &list {
            s.push('\n');
            s.push_str(&line(c));
        }
        print_text(&s)?;
    }
    Ok(Status::Ok)
}

/// `spectra registry decide`.
pub fn decide(f: &DecideFlags) -> anyhow::Result<Status> {
    let decision = match f.uphold {
        Some(status) => ContestDecision::Uphold {
            status,
            reasons: f.reasons,
        },
        None => ContestDecision::Reject,
    };
    let mut reg = open(&f.reg)?;
    let c = reg.decide_contest(f.id, decision, &f.note)?;
    if f.reg.json {
        print_json(&c)?;
    } else {
        print_text(&line(&c))?;
    }
    Ok(Status::Ok)
}
