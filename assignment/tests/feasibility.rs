//! Feasibility of the RLFAP decision instances with Pumpkin: every answer
//! agrees with the data's labels (satisfiable: 2-f24, 3-f10, 7-w1-f4, 8-f10,
//! 11, 14-f27; unsatisfiable: 2-f25, 3-f11, 6-w2, 7-w1-f5, 8-f11, 14-f28), and
//! every assignment found passes the independent checker. The instances
//! solved within seconds are required; the two hardest (8-f10, 14-f27) only
//! must not contradict their label.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Duration;

use assignment::rlfap;
use assignment::solve::{Status, feasibility};

fn dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/assignment/rlfap"
    ))
}

fn run(name: &str, seconds: u64) -> Status {
    let inst = rlfap::read_instance(&dir(), name).unwrap();
    let out = feasibility(&inst, Duration::from_secs(seconds)).unwrap();
    if out.status == Status::Feasible {
        let c = out.check.as_ref().unwrap();
        assert!(c.feasible() && c.satisfies_all(), "{name}: {c:?}");
        assert_eq!(out.assignment.as_ref().unwrap().len(), inst.variables.len());
    }
    out.status
}

#[test]
fn satisfiable_instances_get_a_checked_assignment() {
    for name in ["2-f24", "7-w1-f4", "11"] {
        assert_eq!(run(name, 120), Status::Feasible, "{name}");
    }
}

#[test]
fn unsatisfiable_instances_are_proved_infeasible() {
    for name in ["2-f25", "3-f11", "6-w2", "7-w1-f5", "8-f11", "14-f28"] {
        assert_eq!(run(name, 120), Status::Infeasible, "{name}");
    }
}

#[test]
fn the_hard_satisfiable_instances_never_contradict_their_label() {
    for name in ["3-f10", "8-f10", "14-f27"] {
        assert_ne!(run(name, 5), Status::Infeasible, "{name}");
    }
}

#[test]
fn celar_scen05_reaches_its_known_minimum_span_and_proves_it() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/assignment/celar/scen05"
    ));
    let inst = assignment::celar::read_dir(&dir).unwrap();
    let out = assignment::solve::min_span(&inst, Duration::from_secs(120)).unwrap();
    assert_eq!(out.largest_value, Some(792), "the known optimum");
    assert!(out.optimal, "proved: nothing fits below 792");
    let check = assignment::check::check(&inst, out.assignment.as_ref().unwrap()).unwrap();
    assert!(check.feasible());
    assert_eq!(check.largest_value, 792);
}

#[test]
fn the_feasible_celar_instances_get_checked_assignments() {
    for name in ["scen02", "scen11"] {
        let dir = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/assignment/celar"
        ))
        .join(name);
        let inst = assignment::celar::read_dir(&dir).unwrap();
        let out = feasibility(&inst, Duration::from_secs(120)).unwrap();
        assert_eq!(out.status, Status::Feasible, "{name}");
        assert!(out.check.unwrap().satisfies_all(), "{name}");
    }
}
