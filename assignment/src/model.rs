//! The constraint model of an instance in the Pumpkin solver (lazy clause
//! generation), shared by every criterion.
//!
//! - one sparse integer variable per link over its domain (a fixed
//!   pre-assigned link over its value alone);
//! - `|f_x − f_y| > k` in one of two encodings: [`Encoding::Direct`] forbids
//!   every pair of values closer than `k + 1` with a binary clause
//!   `[x ≠ v] ∨ [y ≠ w]` (arc consistency by unit propagation, but many
//!   clauses), [`Encoding::Linear`] (the default) posts `f_x − f_y ≥ k + 1`
//!   and `f_y − f_x ≥ k + 1`, each implied by a fresh literal, one of which
//!   must hold (bounds reasoning);
//! - `|f_x − f_y| = k` (the duplex pairs) by support clauses
//!   `[x ≠ v] ∨ [y = v − k] ∨ [y = v + k]`, both ways;
//! - a soft constraint (weight 1–4) gets a violation literal `z` that relaxes
//!   it (every clause above gains `z`) and is true only when it is violated
//!   (a soft distance is posted linearly, with `z → |f_x − f_y| ≤ k`), with
//!   cost `a_weight`; a mobile
//!   pre-assigned link (mobility 1–4) gets a change literal with cost
//!   `b_mobility`, implied by `[x ≠ initial]`. Without soft reasoning
//!   (`soft = false`) soft constraints are left out.

use std::collections::BTreeMap;

use pumpkin_solver::Solver;
use pumpkin_solver::core::options::SolverOptions;
use pumpkin_solver::core::predicate;
use pumpkin_solver::core::predicates::Predicate;
use pumpkin_solver::core::rand::SeedableRng;
use pumpkin_solver::core::rand::rngs::SmallRng;
use pumpkin_solver::core::variables::{DomainId, Literal, TransformableVariable};
use serde::Serialize;

use crate::instance::{AssignmentError, Instance, Op};

/// How a `|f_x − f_y| > k` constraint is posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// Binary clauses forbidding each pair of values closer than `k + 1`.
    Direct,
    /// Two reified linear inequalities (the default: the faster on every
    /// RLFAP instance but one).
    #[default]
    Linear,
}

/// What becomes of the soft constraints (weight 1–4) and mobile links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Soft {
    /// Left out (feasibility of the hard constraints).
    Drop,
    /// Posted as hard, mobile links free (the criteria of an instance
    /// whose every constraint can hold: fewest values, lowest largest).
    Harden,
    /// Relaxed with a cost literal each (the weighted cost).
    Relax,
}

/// A built model: the solver, the integer variable of each link, and the
/// cost literals (violations and changes) with their costs.
pub(crate) struct Model {
    pub solver: Solver,
    pub vars: BTreeMap<u32, DomainId>,
    pub costs: Vec<(Literal, i32)>,
}

/// The values a link may take: its fixed value, or its domain.
pub(crate) fn values_of(inst: &Instance, id: u32) -> Vec<u32> {
    let Some(v) = inst.variables.iter().find(|v| v.id == id) else {
        return Vec::new();
    };
    match v.initial {
        Some((value, 0)) => vec![value],
        _ => inst.domains.get(&v.domain).cloned().unwrap_or_default(),
    }
}

/// Every value some link may take.
pub(crate) fn all_values(inst: &Instance) -> std::collections::BTreeSet<u32> {
    inst.variables
        .iter()
        .flat_map(|v| values_of(inst, v.id))
        .collect()
}

pub(crate) fn to_i32(v: u64) -> Result<i32, AssignmentError> {
    i32::try_from(v).map_err(|_| {
        AssignmentError::Inconsistent(format!(
            "expected a value of at most {}, found {v}",
            i32::MAX
        ))
    })
}

/// Builds the model of `inst`, its soft constraints as `soft` says. Every
/// variable and literal is created before any constraint is posted: Pumpkin
/// refuses new variables once a constraint has made the model inconsistent
/// at its root (an infeasible instance), which `satisfy` then reports.
pub(crate) fn build(
    inst: &Instance,
    soft: Soft,
    encoding: Encoding,
    seed: u64,
) -> Result<Model, AssignmentError> {
    inst.validate()?;
    let options = SolverOptions {
        random_generator: SmallRng::seed_from_u64(seed),
        ..SolverOptions::default()
    };
    let mut solver = Solver::with_options(options);
    let mut vars = BTreeMap::new();
    let mut domain_of: BTreeMap<u32, Vec<i32>> = BTreeMap::new();
    let mut costs = Vec::new();
    for v in &inst.variables {
        let values = values_of(inst, v.id)
            .into_iter()
            .map(|x| to_i32(u64::from(x)))
            .collect::<Result<Vec<_>, _>>()?;
        let d = solver.new_sparse_integer(values.clone());
        vars.insert(v.id, d);
        domain_of.insert(v.id, values);
        if let (Soft::Relax, Some((initial, m @ 1..=4))) = (soft, v.initial) {
            let cost = to_i32(inst.b[usize::from(m - 1)])?;
            if cost > 0 {
                let tag = solver.new_constraint_tag();
                let changed = solver.new_literal();
                let initial = to_i32(u64::from(initial))?;
                solver.add_clause(
                    [predicate![d == initial], changed.get_true_predicate()],
                    tag,
                );
                costs.push((changed, cost));
            }
        }
    }
    // The literals of every constraint first (see above).
    struct Lits {
        relax: Option<Literal>,
        sides: Option<(Literal, Literal)>,
    }
    let mut posted = Vec::new();
    for c in &inst.constraints {
        if c.weight > 0 && soft == Soft::Drop {
            continue;
        }
        let relax = if c.weight > 0 && soft == Soft::Relax {
            let cost = to_i32(inst.a[usize::from(c.weight - 1)])?;
            let z = solver.new_literal();
            costs.push((z, cost));
            Some(z)
        } else {
            None
        };
        let linear = relax.is_some() || encoding == Encoding::Linear;
        let sides =
            (c.op == Op::Gt && linear).then(|| (solver.new_literal(), solver.new_literal()));
        posted.push((c, Lits { relax, sides }));
    }
    for (c, lits) in posted {
        let (Some(&x), Some(&y)) = (vars.get(&c.x), vars.get(&c.y)) else {
            continue;
        };
        let (dx, dy) = (&domain_of[&c.x], &domain_of[&c.y]);
        let k = to_i32(u64::from(c.k))?;
        let k1 = k.checked_add(1).ok_or_else(|| {
            AssignmentError::Inconsistent(format!(
                "constraint {} {}: expected a distance below {}, found {k}",
                c.x,
                c.y,
                i32::MAX
            ))
        })?;
        let tag = solver.new_constraint_tag();
        let relax = lits.relax;
        let with = |mut clause: Vec<Predicate>| {
            if let Some(z) = relax {
                clause.push(z.get_true_predicate());
            }
            clause
        };
        // A soft distance is always linear (its side literals were made
        // above) and fully reified, so that the violation literal is true
        // exactly when the constraint is violated.
        if let (Some(z), Op::Gt) = (relax, c.op) {
            for (p, q) in [(x, y), (y, x)] {
                solver
                    .add_constraint(pumpkin_solver::less_than_or_equals(
                        vec![p.scaled(1), q.scaled(-1)],
                        k,
                        tag,
                    ))
                    .implied_by(z);
            }
        }
        match (c.op, lits.sides) {
            (Op::Gt, None) => {
                for &v in dx {
                    for &w in dy.iter().filter(|&&w| v.abs_diff(w) <= c.k) {
                        solver.add_clause(with(vec![predicate![x != v], predicate![y != w]]), tag);
                    }
                }
            }
            (Op::Gt, Some((a, b))) => {
                solver
                    .add_constraint(pumpkin_solver::less_than_or_equals(
                        vec![y.scaled(1), x.scaled(-1)],
                        -k1,
                        tag,
                    ))
                    .implied_by(a);
                solver
                    .add_constraint(pumpkin_solver::less_than_or_equals(
                        vec![x.scaled(1), y.scaled(-1)],
                        -k1,
                        tag,
                    ))
                    .implied_by(b);
                solver.add_clause(
                    with(vec![a.get_true_predicate(), b.get_true_predicate()]),
                    tag,
                );
            }
            (Op::Eq, _) => {
                for (p, q, dp, dq) in [(x, y, dx, dy), (y, x, dy, dx)] {
                    for &v in dp {
                        let mut clause = vec![predicate![p != v]];
                        for w in [v.checked_sub(k), v.checked_add(k)].into_iter().flatten() {
                            if dq.contains(&w) {
                                clause.push(predicate![q == w]);
                            }
                        }
                        solver.add_clause(with(clause), tag);
                    }
                }
            }
        }
    }
    Ok(Model {
        solver,
        vars,
        costs,
    })
}
