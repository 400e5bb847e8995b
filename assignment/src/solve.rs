//! Solving an instance with the Pumpkin solver (lazy clause generation):
//! feasibility of the hard constraints, or one of the three CELAR criteria
//! (fewest distinct values, lowest largest value, least weighted cost of
//! violated soft constraints and changed mobile links).
//!
//! The model is [`crate::model`]'s. Optimisation is linear SAT-UNSAT search
//! (each solution found is followed by a search for a strictly better one,
//! until that is proved impossible or the time runs out), with Pumpkin's
//! default brancher (VSIDS over predicates with solution-based phase
//! saving). For the fewest distinct values the clique bound of
//! [`crate::bound`] is posted as the objective's lower bound and reported, so
//! a solution that reaches it is proved optimal by a certificate anyone can
//! check. The least weighted cost starts from the solver's first
//! assignment, improves it for nine tenths of the time by the variable
//! neighbourhood search of [`crate::neighbourhood`] over the merged duplex
//! pairs of [`crate::units`] (or, when that view cannot be built, by the
//! neighbourhood search inside the solver of [`crate::lns`]), and spends the
//! rest on the exact descent whose refutation proves the best optimal.
//! Every assignment returned has passed the independent checker
//! ([`crate::check`]); a failure there is an error, never a result.
//!
//! Single-threaded and seeded: the same instance, options and seed give the
//! same answers whenever the time limit (or a time slice of the feasibility
//! portfolio, [`Search::Auto`]) is not what stopped the search. Searches
//! stopped by a slice are resumed on the same solver ([`crate::resume`]).

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use pumpkin_conflict_resolvers::resolvers::ResolutionResolver;
use pumpkin_solver::core::branching::Brancher;
use pumpkin_solver::core::branching::branchers::dynamic_brancher::DynamicBrancher;
use pumpkin_solver::core::branching::branchers::independent_variable_value_brancher::IndependentVariableValueBrancher;
use pumpkin_solver::core::branching::value_selection::InDomainMin;
use pumpkin_solver::core::branching::variable_selection::FirstFail;
use pumpkin_solver::core::optimisation::OptimisationDirection;
use pumpkin_solver::core::optimisation::linear_sat_unsat::LinearSatUnsat;
use pumpkin_solver::core::results::{
    CSPSolverExecutionFlag, OptimisationResult, ProblemSolution, SatisfactionResult,
    SolutionReference,
};
use pumpkin_solver::core::variables::DomainId;
use serde::Serialize;

use crate::bound;
use crate::check::{CheckReport, check};
use crate::instance::{AssignmentError, Criterion, Instance};
use crate::lns;
use crate::model::{self, Encoding};
use crate::objective;
use crate::resume::Pinned;
use crate::{neighbourhood, units};

/// The answer of the solver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The best assignment is proved optimal (no better one exists).
    Optimal,
    /// An assignment was found (for an optimisation: the best in time, with
    /// the lower bound that stands).
    Feasible,
    /// No assignment satisfies the hard constraints (proved).
    Infeasible,
    /// The time limit was reached before any assignment or proof.
    Unknown,
}

/// How to solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Wall-time limit.
    pub time_limit: Duration,
    /// Seed of the solver's random choices.
    pub seed: u64,
    /// Encoding of the distance constraints.
    pub encoding: Encoding,
    /// The search strategy.
    pub search: Search,
    /// Stop as soon as an assignment this good is found (its objective at
    /// most this), proved optimal or not.
    pub stop_at: Option<u64>,
}

/// The search strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Search {
    /// VSIDS for the optimisation criteria; for feasibility VSIDS (it
    /// proves infeasibility fastest) and first fail (it finds the hard
    /// satisfiable assignments) taking turns in time slices, each resumed
    /// where it stopped. Which of the two answers first may depend on the
    /// machine's speed: for an assignment reproducible on every machine,
    /// choose one of them.
    #[default]
    Auto,
    /// Pumpkin's default: VSIDS over predicates with solution-based phase
    /// saving.
    Vsids,
    /// Smallest domain first (ties: most constrained link first), lowest
    /// value first; the remaining auxiliary variables by the default.
    FirstFail,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            time_limit: Duration::from_secs(60),
            seed: 42,
            encoding: Encoding::default(),
            search: Search::default(),
            stop_at: None,
        }
    }
}

/// A report of progress: a better assignment was found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    /// Its objective value.
    pub objective: u64,
    /// The lower bound that stands.
    pub bound: u64,
    /// Seconds since the start.
    pub seconds: f64,
}

/// The outcome of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The criterion solved for.
    pub criterion: Criterion,
    /// The answer.
    pub status: Status,
    /// The objective value of the best assignment (0 for feasibility).
    pub objective: Option<u64>,
    /// A lower bound on the objective (equal to it when optimal).
    pub bound: Option<u64>,
    /// For the fewest distinct values: the clique of links that must all
    /// differ, the certificate of the bound.
    pub clique: Vec<u32>,
    /// The best assignment (variable id → value).
    pub assignment: Option<BTreeMap<u32, u32>>,
    /// The independent check of that assignment.
    pub check: Option<CheckReport>,
    /// Wall time, s.
    pub seconds: f64,
}

impl Status {
    /// The status's name, as in the JSON (`optimal`, `feasible`, …).
    pub fn name(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
            Status::Unknown => "unknown",
        }
    }
}

impl Outcome {
    /// True when an assignment was found (feasible or optimal).
    pub fn solved(&self) -> bool {
        matches!(self.status, Status::Optimal | Status::Feasible)
    }
}

/// Finds an assignment satisfying every hard constraint of `inst`, or proves
/// there is none, within `time_limit`.
///
/// ```
/// use assignment::instance::{Constraint, Instance, Op, Variable};
/// use assignment::solve::feasibility;
/// let mut inst = Instance::default();
/// inst.domains.insert(0, vec![16, 30, 254, 268]);
/// for id in 1..=3 { inst.variables.push(Variable { id, domain: 0, initial: None }); }
/// inst.constraints.push(Constraint { x: 1, y: 2, kind: 'D', op: Op::Eq, k: 238, weight: 0 });
/// inst.constraints.push(Constraint { x: 2, y: 3, kind: 'C', op: Op::Gt, k: 200, weight: 0 });
/// let out = feasibility(&inst, std::time::Duration::from_secs(10)).unwrap();
/// assert!(out.solved());
/// assert!(out.check.unwrap().feasible());
/// ```
pub fn feasibility(inst: &Instance, time_limit: Duration) -> Result<Outcome, AssignmentError> {
    let options = Options {
        time_limit,
        ..Options::default()
    };
    solve(inst, Criterion::Feasibility, &options, &mut |_| {})
}

/// Solves `inst` for `criterion` within the options' time limit; `progress`
/// hears of every better assignment.
///
/// ```
/// use assignment::instance::{Constraint, Criterion, Instance, Op, Variable};
/// use assignment::solve::{Options, Status, solve};
/// let mut inst = Instance::default();
/// inst.domains.insert(0, vec![16, 30, 44, 254, 268]);
/// for id in 1..=3 { inst.variables.push(Variable { id, domain: 0, initial: None }); }
/// inst.constraints.push(Constraint { x: 1, y: 2, kind: 'C', op: Op::Gt, k: 20, weight: 0 });
/// inst.constraints.push(Constraint { x: 2, y: 3, kind: 'C', op: Op::Gt, k: 20, weight: 0 });
/// let span = solve(&inst, Criterion::MinSpan, &Options::default(), &mut |_| {}).unwrap();
/// assert_eq!((span.status, span.objective), (Status::Optimal, Some(44)));
/// let order = solve(&inst, Criterion::MinOrder, &Options::default(), &mut |_| {}).unwrap();
/// assert_eq!((order.status, order.objective, order.bound), (Status::Optimal, Some(2), Some(2)));
/// ```
pub fn solve(
    inst: &Instance,
    criterion: Criterion,
    options: &Options,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Outcome, AssignmentError> {
    let started = Instant::now();
    if options.search == Search::Auto && criterion == Criterion::Feasibility {
        return portfolio(inst, options, started);
    }
    // The weighted cost relaxes the soft constraints; the other criteria
    // apply when every constraint holds, so they are posted as hard.
    let soft = match criterion {
        Criterion::MinCost => model::Soft::Relax,
        Criterion::Feasibility => model::Soft::Drop,
        Criterion::MinOrder | Criterion::MinSpan => model::Soft::Harden,
    };
    let clique = if criterion == Criterion::MinOrder {
        bound::clique(inst, 2_000_000)
    } else {
        Vec::new()
    };
    let mut m = model::build(inst, soft, options.encoding, options.seed)?;
    // Infeasible at the root already (no objective variable may be made then).
    if m.solver.propagate_to_fixpoint() == CSPSolverExecutionFlag::Infeasible {
        return finish(
            inst,
            criterion,
            Status::Infeasible,
            None,
            0,
            clique,
            started,
        );
    }
    // More links that must all differ than values to give them.
    if clique.len() > model::all_values(inst).len() {
        return finish(
            inst,
            criterion,
            Status::Infeasible,
            None,
            0,
            clique,
            started,
        );
    }
    let (objective, bound) = objective::post(&mut m, inst, criterion, clique.len() as u64)?;
    let mut brancher = brancher(inst, &mut m, options.search);
    let mut termination = brancher.budget(options.time_limit);
    let mut resolver = ResolutionResolver::default();
    let (status, assignment) = match objective {
        None => match m
            .solver
            .satisfy(&mut brancher, &mut termination, &mut resolver)
        {
            SatisfactionResult::Satisfiable(s) => (
                Status::Feasible,
                Some(lns::read_values(s.solution(), &m.vars)),
            ),
            SatisfactionResult::Unsatisfiable(..) => (Status::Infeasible, None),
            SatisfactionResult::Unknown(..) => (Status::Unknown, None),
        },
        Some(obj) => {
            let vars = m.vars.clone();
            let deadline = started + options.time_limit;
            // The weighted cost: large neighbourhood search first, then the
            // exact descent on the same solver.
            let mut incumbent: Option<lns::Incumbent> = None;
            if criterion == Criterion::MinCost {
                let lns_end = started + options.time_limit.mul_f64(0.9);
                match m
                    .solver
                    .satisfy(&mut brancher, &mut termination, &mut resolver)
                {
                    SatisfactionResult::Satisfiable(s) => {
                        let solution = s.solution();
                        incumbent = Some(lns::Incumbent {
                            objective: solution.get_integer_value(obj),
                            values: lns::read_values(solution, &m.vars),
                        });
                    }
                    SatisfactionResult::Unsatisfiable(..) => {
                        return finish(
                            inst,
                            criterion,
                            Status::Infeasible,
                            None,
                            bound,
                            clique,
                            started,
                        );
                    }
                    SatisfactionResult::Unknown(..) => {}
                }
                if let Some(inc) = incumbent.as_mut() {
                    let mut report = |value: i32| {
                        progress(&Progress {
                            objective: u64::try_from(value).unwrap_or(0),
                            bound,
                            seconds: started.elapsed().as_secs_f64(),
                        });
                    };
                    report(inc.objective);
                    let floor = options.stop_at.and_then(|t| i32::try_from(t).ok());
                    let mut engine = lns::Engine {
                        solver: &mut m.solver,
                        brancher: &mut brancher,
                        resolver: &mut resolver,
                        vars: &m.vars,
                        objective: obj,
                    };
                    let view = units::Units::build(inst);
                    let at = view.as_ref().and_then(|u| u.locate(&inc.values));
                    let usable = match (view, at) {
                        (Some(view), Some(mut at)) => {
                            let start = view.cost(&at);
                            let mut heard = |c: u64| report(i32::try_from(c).unwrap_or(i32::MAX));
                            let reached = neighbourhood::improve(
                                &view,
                                &mut at,
                                start,
                                lns_end,
                                options.seed,
                                floor.and_then(|f| u64::try_from(f).ok()).unwrap_or(0),
                                &mut heard,
                            );
                            inc.values = view.values(&at);
                            inc.objective = i32::try_from(reached).unwrap_or(i32::MAX);
                            true
                        }
                        _ => lns::improve(
                            &mut engine,
                            inst,
                            inc,
                            lns_end,
                            options.seed,
                            floor.unwrap_or(0),
                            &mut report,
                        ),
                    };
                    // Then the exact search on the same solver (what it
                    // learned is kept): a better assignment, or the proof.
                    let proved =
                        usable && lns::descend(&mut engine, inc, deadline, floor, &mut report);
                    let status = if proved {
                        Status::Optimal
                    } else {
                        Status::Feasible
                    };
                    let values = std::mem::take(&mut inc.values);
                    return finish(
                        inst,
                        criterion,
                        status,
                        Some(values),
                        bound,
                        clique,
                        started,
                    );
                }
                return finish(
                    inst,
                    criterion,
                    Status::Unknown,
                    None,
                    bound,
                    clique,
                    started,
                );
            }
            let mut termination =
                brancher.budget(deadline.saturating_duration_since(Instant::now()));
            let mut best: Option<BTreeMap<u32, u32>> = None;
            let callback = |_: &pumpkin_solver::Solver,
                            s: SolutionReference,
                            _: &_,
                            _: &_|
             -> ControlFlow<()> {
                let value = u64::try_from(s.get_integer_value(obj)).unwrap_or(0);
                best = Some(lns::read_values(s, &vars));
                progress(&Progress {
                    objective: value,
                    bound,
                    seconds: started.elapsed().as_secs_f64(),
                });
                if options.stop_at.is_some_and(|target| value <= target) {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            };
            let procedure = LinearSatUnsat::new(OptimisationDirection::Minimise, obj, callback);
            // An internal assertion of the solver (a Pumpkin defect) ends
            // the search with the best so far instead of the process.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                m.solver
                    .optimise(&mut brancher, &mut termination, &mut resolver, procedure)
            }))
            .unwrap_or(OptimisationResult::Unknown);
            match result {
                OptimisationResult::Optimal(s) => (
                    Status::Optimal,
                    Some(lns::read_values(s.as_reference(), &m.vars)),
                ),
                OptimisationResult::Satisfiable(s) | OptimisationResult::Stopped(s, ()) => (
                    Status::Feasible,
                    Some(lns::read_values(s.as_reference(), &m.vars)),
                ),
                OptimisationResult::Unsatisfiable => (Status::Infeasible, None),
                OptimisationResult::Unknown => (Status::Unknown, best),
            }
        }
    };
    finish(inst, criterion, status, assignment, bound, clique, started)
}

/// Checks the assignment independently and assembles the outcome.
fn finish(
    inst: &Instance,
    criterion: Criterion,
    status: Status,
    assignment: Option<BTreeMap<u32, u32>>,
    bound: u64,
    clique: Vec<u32>,
    started: Instant,
) -> Result<Outcome, AssignmentError> {
    let check = assignment.as_ref().map(|a| check(inst, a)).transpose()?;
    if check.as_ref().is_some_and(|c| !c.feasible()) {
        return Err(AssignmentError::Inconsistent(format!(
            "{}: the solver's assignment fails the independent check (a bug in the model)",
            inst.name
        )));
    }
    let value = check.as_ref().map(|c| match criterion {
        Criterion::Feasibility => 0,
        Criterion::MinOrder => c.distinct_values as u64,
        Criterion::MinSpan => u64::from(c.largest_value),
        Criterion::MinCost => c.cost,
    });
    let status = match (status, value) {
        (Status::Feasible, Some(v)) if criterion == Criterion::Feasibility || v <= bound => {
            if criterion == Criterion::Feasibility {
                Status::Feasible
            } else {
                Status::Optimal
            }
        }
        (Status::Unknown, Some(_)) => Status::Feasible,
        (s, _) => s,
    };
    Ok(Outcome {
        criterion,
        status,
        objective: value,
        bound: match (status, value) {
            (Status::Optimal, v) => v,
            (Status::Infeasible | Status::Unknown, _) if criterion == Criterion::Feasibility => {
                None
            }
            _ => Some(bound),
        },
        clique,
        assignment,
        check,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The criterion a CELAR instance asks for: its stated one (`cst.txt`) when
/// every constraint, soft ones included, can hold; otherwise (proved, or not
/// shown within `time_limit`) the least weighted cost. An instance without
/// soft constraints or mobile links has its stated criterion at once.
///
/// ```
/// use assignment::instance::{Constraint, Criterion, Instance, Op, Variable};
/// let mut inst = Instance::default();
/// inst.criterion = Some(Criterion::MinOrder);
/// inst.a = [1000, 100, 10, 1];
/// inst.domains.insert(0, vec![1, 2]);
/// for id in 1..=2 { inst.variables.push(Variable { id, domain: 0, initial: None }); }
/// inst.constraints.push(Constraint { x: 1, y: 2, kind: 'C', op: Op::Gt, k: 5, weight: 2 });
/// let d = std::time::Duration::from_secs(10);
/// assert_eq!(assignment::solve::auto_criterion(&inst, d).unwrap(), Criterion::MinCost);
/// ```
pub fn auto_criterion(inst: &Instance, time_limit: Duration) -> Result<Criterion, AssignmentError> {
    let stated = inst.criterion.unwrap_or(Criterion::Feasibility);
    let soft = inst.constraints.iter().any(|c| c.weight > 0)
        || inst
            .variables
            .iter()
            .any(|v| matches!(v.initial, Some((_, 1..))));
    if !soft {
        return Ok(stated);
    }
    let mut all_hard = inst.clone();
    for c in &mut all_hard.constraints {
        c.weight = 0;
    }
    for v in &mut all_hard.variables {
        if let Some((value, _)) = v.initial {
            v.initial = Some((value, 0));
        }
    }
    Ok(match feasibility(&all_hard, time_limit)?.status {
        Status::Feasible | Status::Optimal => stated,
        Status::Infeasible | Status::Unknown => Criterion::MinCost,
    })
}

/// Feasibility by two solvers taking turns: VSIDS (which proves
/// infeasibility fastest) and first fail (which finds the hard satisfiable
/// assignments), each resumed where it stopped — learned clauses and
/// activities kept — for slices growing by half each round, until one
/// answers or the time is up.
fn portfolio(
    inst: &Instance,
    options: &Options,
    started: Instant,
) -> Result<Outcome, AssignmentError> {
    let mut solvers = Vec::new();
    for search in [Search::Vsids, Search::FirstFail] {
        let mut m = model::build(inst, model::Soft::Drop, options.encoding, options.seed)?;
        let b = brancher(inst, &mut m, search);
        solvers.push((m, b, ResolutionResolver::default()));
    }
    let deadline = started + options.time_limit;
    let mut slice = Duration::from_millis(500);
    let mut answer = (Status::Unknown, None);
    let mut broken = [false; 2];
    'rounds: while broken.iter().any(|b| !b) {
        for (n, (m, b, r)) in solvers.iter_mut().enumerate() {
            if broken[n] {
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left < Duration::from_millis(10) {
                break 'rounds;
            }
            let mut termination = b.budget(left.min(slice));
            let vars = &m.vars;
            let step = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                match m.solver.satisfy(b, &mut termination, r) {
                    SatisfactionResult::Satisfiable(s) => {
                        Some((Status::Feasible, Some(lns::read_values(s.solution(), vars))))
                    }
                    SatisfactionResult::Unsatisfiable(..) => Some((Status::Infeasible, None)),
                    SatisfactionResult::Unknown(..) => None,
                }
            }));
            match step {
                Ok(Some(found)) => {
                    answer = found;
                    break 'rounds;
                }
                Ok(None) => {}
                // An internal assertion of the solver: the other goes on alone.
                Err(_) => broken[n] = true,
            }
        }
        slice = slice.mul_f64(1.5);
    }
    finish(
        inst,
        Criterion::Feasibility,
        answer.0,
        answer.1,
        0,
        Vec::new(),
        started,
    )
}

/// The brancher of a search strategy, pinned so that its searches can be
/// resumed ([`crate::resume`]).
fn brancher(inst: &Instance, m: &mut model::Model, search: Search) -> Pinned<DynamicBrancher> {
    let default: Box<dyn Brancher> = Box::new(m.solver.default_brancher());
    let inner = match search {
        Search::Vsids | Search::Auto => DynamicBrancher::new(vec![default]),
        Search::FirstFail => {
            let mut degree: BTreeMap<u32, usize> = BTreeMap::new();
            for c in &inst.constraints {
                *degree.entry(c.x).or_default() += 1;
                *degree.entry(c.y).or_default() += 1;
            }
            let mut ids: Vec<u32> = m.vars.keys().copied().collect();
            ids.sort_by_key(|id| (std::cmp::Reverse(degree.get(id).copied().unwrap_or(0)), *id));
            let order: Vec<DomainId> = ids.iter().map(|id| m.vars[id]).collect();
            DynamicBrancher::new(vec![
                Box::new(IndependentVariableValueBrancher::new(
                    FirstFail::new(&order),
                    InDomainMin,
                )),
                default,
            ])
        }
    };
    Pinned::new(&mut m.solver, inner)
}
