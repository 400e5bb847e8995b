//! Feasibility of an instance's hard constraints with the Pumpkin solver
//! (lazy clause generation): find an assignment — checked by
//! [`crate::check`] before it is returned — or prove that none exists, within a
//! time limit.
//!
//! The model: one sparse integer variable per link over its domain (a fixed
//! pre-assigned link over its value alone); `|f_x − f_y| > k` as two linear
//! inequalities `f_x − f_y ≥ k + 1` and `f_y − f_x ≥ k + 1`, each implied by
//! one polarity of a fresh literal; `|f_x − f_y| = k` likewise with two
//! equalities. Soft constraints are left out (the optimisation criteria come
//! later). The search is Pumpkin's default brancher and resolution-based
//! conflict analysis, single-threaded: the same instance and time limit give
//! the same answer when the limit is not reached.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use pumpkin_conflict_resolvers::resolvers::ResolutionResolver;
use pumpkin_solver::Solver;
use pumpkin_solver::core::results::{ProblemSolution, SatisfactionResult};
use pumpkin_solver::core::termination::TimeBudget;
use pumpkin_solver::core::variables::{DomainId, TransformableVariable};
use serde::Serialize;

use crate::check::{CheckReport, check};
use crate::instance::{AssignmentError, Instance, Op};

/// The answer of the solver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// An assignment satisfying every hard constraint was found (and checked).
    Feasible,
    /// No assignment satisfies the hard constraints (proved).
    Infeasible,
    /// The time limit was reached first.
    Unknown,
}

/// The outcome of a feasibility run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The answer.
    pub status: Status,
    /// The assignment (variable id → value) when feasible.
    pub assignment: Option<BTreeMap<u32, u32>>,
    /// The independent check of that assignment.
    pub check: Option<CheckReport>,
    /// Wall time, s.
    pub seconds: f64,
}

/// Finds an assignment satisfying every hard constraint of `inst`, or proves
/// there is none, within `time_limit`.
///
/// ```
/// use assignment::instance::{Constraint, Instance, Op, Variable};
/// use assignment::solve::{Status, feasibility};
/// let mut inst = Instance::default();
/// inst.domains.insert(0, vec![16, 30, 254, 268]);
/// for id in 1..=3 { inst.variables.push(Variable { id, domain: 0, initial: None }); }
/// inst.constraints.push(Constraint { x: 1, y: 2, kind: 'D', op: Op::Eq, k: 238, weight: 0 });
/// inst.constraints.push(Constraint { x: 2, y: 3, kind: 'C', op: Op::Gt, k: 200, weight: 0 });
/// let out = feasibility(&inst, std::time::Duration::from_secs(10)).unwrap();
/// assert_eq!(out.status, Status::Feasible);
/// assert!(out.check.unwrap().feasible());
/// ```
pub fn feasibility(inst: &Instance, time_limit: Duration) -> Result<Outcome, AssignmentError> {
    inst.validate()?;
    let started = Instant::now();
    let mut solver = Solver::default();
    let mut vars: BTreeMap<u32, DomainId> = BTreeMap::new();
    for v in &inst.variables {
        let values: Vec<i32> = match v.initial {
            Some((value, 0)) => vec![to_i32(value)?],
            _ => inst
                .domains
                .get(&v.domain)
                .map(|d| d.iter().map(|&x| to_i32(x)).collect::<Result<Vec<_>, _>>())
                .transpose()?
                .unwrap_or_default(),
        };
        vars.insert(v.id, solver.new_sparse_integer(values));
    }
    for c in inst.constraints.iter().filter(|c| c.weight == 0) {
        let (Some(&x), Some(&y)) = (vars.get(&c.x), vars.get(&c.y)) else {
            continue;
        };
        let k = to_i32(c.k)?;
        let tag = solver.new_constraint_tag();
        let choice = solver.new_literal();
        match c.op {
            Op::Gt => {
                solver
                    .add_constraint(pumpkin_solver::less_than_or_equals(
                        vec![y.scaled(1), x.scaled(-1)],
                        -(k + 1),
                        tag,
                    ))
                    .implied_by(choice);
                solver
                    .add_constraint(pumpkin_solver::less_than_or_equals(
                        vec![x.scaled(1), y.scaled(-1)],
                        -(k + 1),
                        tag,
                    ))
                    .implied_by(!choice);
            }
            Op::Eq => {
                solver
                    .add_constraint(pumpkin_solver::equals(
                        vec![x.scaled(1), y.scaled(-1)],
                        k,
                        tag,
                    ))
                    .implied_by(choice);
                solver
                    .add_constraint(pumpkin_solver::equals(
                        vec![x.scaled(1), y.scaled(-1)],
                        -k,
                        tag,
                    ))
                    .implied_by(!choice);
            }
        }
    }
    let mut brancher = solver.default_brancher();
    let mut termination = TimeBudget::starting_now(time_limit);
    let mut resolver = ResolutionResolver::default();
    let (status, assignment) = match solver.satisfy(&mut brancher, &mut termination, &mut resolver)
    {
        SatisfactionResult::Satisfiable(s) => {
            let solution = s.solution();
            let values: BTreeMap<u32, u32> = vars
                .iter()
                .map(|(&id, &d)| {
                    (
                        id,
                        u32::try_from(solution.get_integer_value(d)).unwrap_or(0),
                    )
                })
                .collect();
            (Status::Feasible, Some(values))
        }
        SatisfactionResult::Unsatisfiable(..) => (Status::Infeasible, None),
        SatisfactionResult::Unknown(..) => (Status::Unknown, None),
    };
    let check = assignment.as_ref().map(|a| check(inst, a)).transpose()?;
    if check.as_ref().is_some_and(|c| !c.feasible()) {
        return Err(AssignmentError::Inconsistent(format!(
            "{}: the solver's assignment fails the independent check (a bug in the model)",
            inst.name
        )));
    }
    Ok(Outcome {
        status,
        assignment,
        check,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn to_i32(v: u32) -> Result<i32, AssignmentError> {
    i32::try_from(v).map_err(|_| AssignmentError::Inconsistent(format!("value {v} is too large")))
}

/// The outcome of a minimum-span run: the lowest largest value found, and
/// whether it is proved optimal (no assignment fits under the next lower
/// value of the domains).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanOutcome {
    /// Feasible (with the best assignment), infeasible, or unknown (no
    /// assignment found in time).
    pub status: Status,
    /// The best assignment found.
    pub assignment: Option<BTreeMap<u32, u32>>,
    /// Its largest value.
    pub largest_value: Option<u32>,
    /// True when no assignment has a smaller largest value (proved).
    pub optimal: bool,
    /// Wall time, s.
    pub seconds: f64,
}

/// Minimises the largest assigned value (the CELAR "min span" criterion) by
/// descent: find an assignment, then ask for one whose values all lie below
/// its largest value, until that is proved impossible (optimal) or the time
/// runs out (the best found stands, not proved).
///
/// ```
/// use assignment::instance::{Constraint, Instance, Op, Variable};
/// use assignment::solve::min_span;
/// let mut inst = Instance::default();
/// inst.domains.insert(0, vec![16, 30, 44, 254, 268]);
/// for id in 1..=2 { inst.variables.push(Variable { id, domain: 0, initial: None }); }
/// inst.constraints.push(Constraint { x: 1, y: 2, kind: 'C', op: Op::Gt, k: 20, weight: 0 });
/// let out = min_span(&inst, std::time::Duration::from_secs(10)).unwrap();
/// assert_eq!(out.largest_value, Some(44));
/// assert!(out.optimal);
/// ```
pub fn min_span(inst: &Instance, time_limit: Duration) -> Result<SpanOutcome, AssignmentError> {
    let started = Instant::now();
    let mut best: Option<(BTreeMap<u32, u32>, u32)> = None;
    let mut current = inst.clone();
    loop {
        let left = time_limit.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        let out = feasibility(&current, left)?;
        match out.status {
            Status::Feasible => {
                let Some(assignment) = out.assignment else {
                    break;
                };
                let largest = assignment.values().copied().max().unwrap_or(0);
                best = Some((assignment, largest));
                for d in current.domains.values_mut() {
                    d.retain(|&v| v < largest);
                }
            }
            Status::Infeasible => {
                return Ok(SpanOutcome {
                    status: if best.is_some() {
                        Status::Feasible
                    } else {
                        Status::Infeasible
                    },
                    largest_value: best.as_ref().map(|b| b.1),
                    optimal: best.is_some(),
                    assignment: best.map(|b| b.0),
                    seconds: started.elapsed().as_secs_f64(),
                });
            }
            Status::Unknown => break,
        }
    }
    Ok(SpanOutcome {
        status: if best.is_some() {
            Status::Feasible
        } else {
            Status::Unknown
        },
        largest_value: best.as_ref().map(|b| b.1),
        optimal: false,
        assignment: best.map(|b| b.0),
        seconds: started.elapsed().as_secs_f64(),
    })
}
