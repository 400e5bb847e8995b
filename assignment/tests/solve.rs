//! The solver on the shared instances.
//!
//! RLFAP decision instances: every answer agrees with the data's labels
//! (satisfiable: 2-f24, 3-f10, 7-w1-f4, 8-f10, 11, 14-f27; unsatisfiable:
//! 2-f25, 3-f11, 6-w2, 7-w1-f5, 8-f11, 14-f28) and every assignment passes
//! the independent checker. CELAR: scen05's minimum span 792 is proved;
//! scen01, scen02 and scen11 reach their known fewest values (16, 14, 22)
//! with the clique bound as a checkable certificate; scen06's weighted cost
//! is the checker's cost and never below the proved optimum 3389.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Duration;

use assignment::instance::{Criterion, Instance};
use assignment::model::Encoding;
use assignment::solve::{Options, Outcome, Search, Status, solve};
use assignment::{bound, celar, rlfap};

fn data(sub: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/assignment"
    ))
    .join(sub)
}

fn options(seconds: u64) -> Options {
    Options {
        time_limit: Duration::from_secs(seconds),
        ..Options::default()
    }
}

fn checked(inst: &Instance, out: &Outcome) {
    if out.solved() {
        let c = out.check.as_ref().unwrap();
        assert!(c.feasible(), "{}: {c:?}", inst.name);
        assert_eq!(out.assignment.as_ref().unwrap().len(), inst.variables.len());
    }
}

fn rlfap_status(name: &str, seconds: u64) -> Status {
    let inst = rlfap::read_instance(&data("rlfap"), name).unwrap();
    let out = solve(
        &inst,
        Criterion::Feasibility,
        &options(seconds),
        &mut |_| {},
    )
    .unwrap();
    checked(&inst, &out);
    if out.solved() {
        assert!(out.check.as_ref().unwrap().satisfies_all(), "{name}");
    }
    out.status
}

#[test]
fn satisfiable_rlfap_instances_get_a_checked_assignment() {
    for name in ["2-f24", "3-f10", "7-w1-f4", "11", "8-f10", "14-f27"] {
        assert_eq!(rlfap_status(name, 60), Status::Feasible, "{name}");
    }
}

#[test]
fn unsatisfiable_rlfap_instances_are_proved_infeasible() {
    for name in ["2-f25", "3-f11", "6-w2", "7-w1-f5", "8-f11", "14-f28"] {
        assert_eq!(rlfap_status(name, 60), Status::Infeasible, "{name}");
    }
}

#[test]
fn both_encodings_and_every_search_agree_on_small_instances() {
    for (name, want) in [("2-f24", Status::Feasible), ("2-f25", Status::Infeasible)] {
        let inst = rlfap::read_instance(&data("rlfap"), name).unwrap();
        for encoding in [Encoding::Linear, Encoding::Direct] {
            for search in [Search::Vsids, Search::FirstFail, Search::Auto] {
                let o = Options {
                    encoding,
                    search,
                    ..options(60)
                };
                let out = solve(&inst, Criterion::Feasibility, &o, &mut |_| {}).unwrap();
                checked(&inst, &out);
                assert_eq!(out.status, want, "{name} {encoding:?} {search:?}");
            }
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_assignment() {
    let inst = rlfap::read_instance(&data("rlfap"), "3-f10").unwrap();
    let a = solve(&inst, Criterion::Feasibility, &options(60), &mut |_| {}).unwrap();
    let b = solve(&inst, Criterion::Feasibility, &options(60), &mut |_| {}).unwrap();
    assert_eq!(a.status, Status::Feasible);
    assert_eq!(a.assignment, b.assignment);
}

#[test]
fn celar_scen05_reaches_its_known_minimum_span_and_proves_it() {
    let inst = celar::read_dir(&data("celar/scen05")).unwrap();
    let mut reports = Vec::new();
    let out = solve(&inst, Criterion::MinSpan, &options(120), &mut |p| {
        reports.push(p.objective)
    })
    .unwrap();
    checked(&inst, &out);
    assert_eq!(
        out.status,
        Status::Optimal,
        "proved: nothing fits below 792"
    );
    assert_eq!((out.objective, out.bound), (Some(792), Some(792)));
    assert_eq!(out.check.unwrap().largest_value, 792);
    assert!(reports.windows(2).all(|w| w[1] < w[0]), "{reports:?}");
    assert_eq!(reports.last(), Some(&792));
}

#[test]
fn celar_fewest_values_reach_the_known_optima_with_a_clique_certificate() {
    // (instance, known optimum, clique bound found)
    for (name, optimum, clique) in [("scen02", 14, 13), ("scen01", 16, 12), ("scen11", 22, 20)] {
        let inst = celar::read_dir(&data("celar").join(name)).unwrap();
        assert_eq!(inst.criterion, Some(Criterion::MinOrder));
        let o = Options {
            stop_at: Some(optimum),
            ..options(150)
        };
        let out = solve(&inst, Criterion::MinOrder, &o, &mut |_| {}).unwrap();
        checked(&inst, &out);
        assert_eq!(out.objective, Some(optimum), "{name}");
        assert_eq!(out.check.as_ref().unwrap().distinct_values as u64, optimum);
        assert_eq!(out.bound, Some(clique), "{name}");
        assert_eq!(out.clique.len() as u64, clique);
        assert!(
            bound::is_clique(&inst, &out.clique),
            "{name}: the certificate holds"
        );
        assert_eq!(out.status, Status::Feasible, "{name}: reached, not proved");
    }
}

#[test]
fn celar_scen06_cost_is_the_checkers_and_never_below_the_optimum() {
    let inst = celar::read_dir(&data("celar/scen06")).unwrap();
    // Not every constraint can hold (proved): the weighted cost applies.
    let criterion = assignment::solve::auto_criterion(&inst, Duration::from_secs(30)).unwrap();
    assert_eq!(criterion, Criterion::MinCost);
    let mut reports = Vec::new();
    let out = solve(&inst, Criterion::MinCost, &options(10), &mut |p| {
        reports.push(p.objective)
    })
    .unwrap();
    checked(&inst, &out);
    assert_eq!(out.status, Status::Feasible);
    let cost = out.check.as_ref().unwrap().cost;
    assert_eq!(out.objective, Some(cost));
    assert!(cost >= 3389, "{cost}");
    assert!(reports.windows(2).all(|w| w[1] < w[0]), "{reports:?}");
    assert_eq!(reports.last(), Some(&cost));
}

#[test]
fn a_clique_that_is_not_one_is_refused_by_the_check() {
    let inst = celar::read_dir(&data("celar/scen02")).unwrap();
    let c = bound::clique(&inst, 1_000_000);
    assert!(bound::is_clique(&inst, &c));
    let mut wrong = c.clone();
    // Some variable not adjacent to the first one.
    let g = bound::differ_graph(&inst);
    let outsider = inst
        .variables
        .iter()
        .map(|v| v.id)
        .find(|id| *id != c[0] && !g[&c[0]].contains(id))
        .unwrap();
    wrong.push(outsider);
    assert!(!bound::is_clique(&inst, &wrong));
}

#[test]
fn infeasible_rlfap_instances_get_a_verified_drup_proof() {
    use assignment::certify::{Refutation, check_drup, cnf, refute};
    let dir = tempfile::tempdir().unwrap();
    for name in ["2-f25", "3-f11", "6-w2", "7-w1-f5", "8-f11", "14-f28"] {
        let inst = rlfap::read_instance(&data("rlfap"), name).unwrap();
        let (c, p) = (dir.path().join("f.cnf"), dir.path().join("f.drup"));
        let answer = refute(&inst, &c, &p, Duration::from_secs(120)).unwrap();
        assert_eq!(answer, Refutation::Refuted, "{name}");
        let formula = cnf(&inst).unwrap();
        let proof = std::fs::read_to_string(&p).unwrap();
        let report = check_drup(&formula, &proof).unwrap();
        assert!(report.verified, "{name}: {report:?}");
        eprintln!(
            "{name}: {} lemmas verified in {:.2} s",
            report.lemmas, report.seconds
        );
        // A proof cut before its end does not verify.
        let cut: String = proof
            .lines()
            .take(report.lemmas / 2)
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(!check_drup(&formula, &cut).unwrap().verified, "{name}");
    }
}

#[test]
fn a_satisfiable_instance_has_no_refutation() {
    use assignment::certify::{Refutation, refute};
    let dir = tempfile::tempdir().unwrap();
    let inst = rlfap::read_instance(&data("rlfap"), "2-f24").unwrap();
    let (c, p) = (dir.path().join("f.cnf"), dir.path().join("f.drup"));
    assert_eq!(
        refute(&inst, &c, &p, Duration::from_secs(60)).unwrap(),
        Refutation::Satisfiable
    );
}
