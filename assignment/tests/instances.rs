//! Every instance of `../shared/data/assignment/` reads with the counts the
//! data's README gives; the checker evaluates assignments independently.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use assignment::check::check;
use assignment::instance::{AssignmentError, Criterion, Op};
use assignment::{celar, rlfap};

fn data(sub: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/assignment"
    ))
    .join(sub)
}

#[test]
fn celar_instances_read_with_the_documented_counts() {
    // instance, variables, `=` constraints, `>` constraints, criterion, a1, soft `>`
    let table = [
        ("scen01", 916, 458, 5090, Criterion::MinOrder, 0),
        ("scen02", 200, 100, 1135, Criterion::MinOrder, 0),
        ("scen05", 400, 200, 2398, Criterion::MinSpan, 0),
        ("scen06", 200, 100, 1222, Criterion::MinOrder, 1222),
        ("scen11", 680, 340, 3763, Criterion::MinOrder, 0),
    ];
    for (name, vars, eq, gt, criterion, soft) in table {
        let inst = celar::read_dir(&data("celar").join(name)).unwrap();
        assert_eq!(inst.variables.len(), vars, "{name}");
        assert_eq!(
            inst.constraints.iter().filter(|c| c.op == Op::Eq).count(),
            eq,
            "{name}"
        );
        assert_eq!(
            inst.constraints.iter().filter(|c| c.op == Op::Gt).count(),
            gt,
            "{name}"
        );
        assert_eq!(inst.criterion, Some(criterion), "{name}");
        assert_eq!(
            inst.constraints.iter().filter(|c| c.weight > 0).count(),
            soft,
            "{name}"
        );
        assert_eq!(inst.domains.len(), 8, "{name}: domains 0–7");
        // Every `=` constraint is a duplex pair (x, x + 1) at 238.
        assert!(
            inst.constraints
                .iter()
                .filter(|c| c.op == Op::Eq)
                .all(|c| c.k == 238 && c.kind == 'D' && c.y == c.x + 1)
        );
    }
    let scen06 = celar::read_dir(&data("celar/scen06")).unwrap();
    assert_eq!(scen06.a, [1000, 100, 10, 1]);
    assert_eq!(scen06.b, [0, 0, 0, 0]);
    let by_weight: Vec<usize> = (1..=4)
        .map(|w| scen06.constraints.iter().filter(|c| c.weight == w).count())
        .collect();
    assert_eq!(by_weight, vec![219, 329, 291, 383]);
}

#[test]
fn rlfap_instances_read_and_their_count_lines_agree() {
    let dir = data("rlfap");
    let names = rlfap::instance_names(&dir).unwrap();
    assert_eq!(names.len(), 12, "{names:?}");
    for name in &names {
        let inst = rlfap::read_instance(&dir, name).unwrap();
        assert!(
            !inst.variables.is_empty() && !inst.constraints.is_empty(),
            "{name}"
        );
        assert!(
            inst.constraints.iter().all(|c| c.weight == 0),
            "{name}: all hard"
        );
    }
    let two = rlfap::read_instance(&dir, "2-f24").unwrap();
    assert_eq!((two.variables.len(), two.constraints.len()), (200, 1235));
}

#[test]
fn the_checker_counts_domains_constraints_and_costs() {
    let inst = celar::read_dir(&data("celar/scen06")).unwrap();
    // Every variable on the first value of its domain: in every domain, and
    // every duplex pair (|f_x − f_y| = 238) violated.
    let values: BTreeMap<u32, u32> = inst
        .variables
        .iter()
        .map(|v| (v.id, inst.domains[&v.domain][0]))
        .collect();
    let r = check(&inst, &values).unwrap();
    assert!(r.outside_domain.is_empty());
    assert_eq!(r.violated_hard.len(), 100, "the 100 duplex pairs");
    assert!(!r.feasible());
    let soft_cost: u64 = r
        .violated_soft
        .iter()
        .zip(inst.a)
        .map(|(&n, a)| n as u64 * a)
        .sum();
    assert_eq!(r.cost, soft_cost);
    assert!(r.violated_soft.iter().sum::<usize>() > 0);
    // A value outside its domain is named; a missing variable is an error.
    let mut bad = values.clone();
    let first = inst.variables[0].id;
    bad.insert(first, 1);
    assert_eq!(check(&inst, &bad).unwrap().outside_domain, vec![first]);
    bad.remove(&first);
    assert!(matches!(
        check(&inst, &bad),
        Err(AssignmentError::Inconsistent(_))
    ));
}

#[test]
fn malformed_files_name_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("dom.txt", "0 2 16 30\n1 3 16 30\n");
    write("var.txt", "1 0\n2 0\n");
    write("ctr.txt", "1 2 D = 238\n");
    match celar::read_dir(dir.path()) {
        Err(AssignmentError::Field { line, field, .. }) => {
            assert_eq!((line, field.as_str()), (2, "values"))
        }
        other => panic!("{other:?}"),
    }
    write("dom.txt", "0 2 16 30\n");
    write("ctr.txt", "1 2 D ~ 238\n");
    match celar::read_dir(dir.path()) {
        Err(AssignmentError::Field { line, field, .. }) => {
            assert_eq!((line, field.as_str()), (1, "operator"))
        }
        other => panic!("{other:?}"),
    }
    write("ctr.txt", "1 3 D = 238\n");
    assert!(matches!(
        celar::read_dir(dir.path()),
        Err(AssignmentError::Inconsistent(_))
    ));
    write("ctr.txt", "1 2 D = 238 7\n");
    match celar::read_dir(dir.path()) {
        Err(AssignmentError::Field { field, .. }) => assert_eq!(field, "weight"),
        other => panic!("{other:?}"),
    }
}
