//! Large neighbourhood search inside the Pumpkin solver: keep the best
//! assignment, free a connected neighbourhood of links around a random link
//! (breadth first over the constraint graph), fix every other link to its
//! best value by assumptions, and ask for a strictly better objective. The
//! solver keeps what it learned from one step to the next, so each step is
//! also part of one exact search; the neighbourhood grows when steps are
//! proved fruitless and shrinks when they run out of time (Shaw, CP 1998;
//! as in solution-based phase saving, the brancher follows the best
//! assignment).
//!
//! The weighted cost is improved by [`crate::neighbourhood`] whenever the
//! unit view can be built; this search is the fallback (duplex pairs with
//! more than 4 096 value pairs). [`descend`], the exact descent that proves
//! optimality, serves both.
//!
//! Deterministic for a given seed when no step is cut by its time slice.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use pumpkin_solver::Solver;
use pumpkin_solver::core::branching::Brancher;
use pumpkin_solver::core::conflict_resolving::ConflictResolver;
use pumpkin_solver::core::predicate;
use pumpkin_solver::core::predicates::Predicate;
use pumpkin_solver::core::results::{
    ProblemSolution, SatisfactionResultUnderAssumptions, SolutionReference,
};
use pumpkin_solver::core::variables::DomainId;

use crate::instance::{Instance, Op};
use crate::neighbourhood::SplitMix;
use crate::resume::Pinned;

/// The best assignment and its objective value.
pub(crate) struct Incumbent {
    pub values: BTreeMap<u32, u32>,
    pub objective: i32,
}

/// Reads every link's value from a solution.
pub(crate) fn read_values(
    s: SolutionReference,
    vars: &BTreeMap<u32, DomainId>,
) -> BTreeMap<u32, u32> {
    vars.iter()
        .map(|(&id, &d)| (id, u32::try_from(s.get_integer_value(d)).unwrap_or(0)))
        .collect()
}

/// One search call under assumptions, reduced to what the callers need.
enum Step {
    Better(i32, BTreeMap<u32, u32>),
    /// No assignment under the assumptions (or none at all).
    Refuted,
    /// Out of time.
    Unknown,
    /// The solver stopped on an internal assertion (a Pumpkin defect; the
    /// one known, a time-out at the root, is kept away by
    /// [`crate::resume`]); the best so far stands and the solver is not
    /// called again.
    Broken,
}

/// A solver with its search parts, the links to read and the objective.
pub(crate) struct Engine<'a, B, R> {
    pub solver: &'a mut Solver,
    pub brancher: &'a mut Pinned<B>,
    pub resolver: &'a mut R,
    pub vars: &'a BTreeMap<u32, DomainId>,
    pub objective: DomainId,
}

impl<B: Brancher, R: ConflictResolver> Engine<'_, B, R> {
    /// One search call under `assumptions` within `budget`.
    fn step(&mut self, assumptions: &[Predicate], budget: Duration) -> Step {
        if budget < Duration::from_millis(10) {
            return Step::Unknown;
        }
        let mut termination = self.brancher.budget(budget);
        let (vars, objective) = (self.vars, self.objective);
        let call = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match self.solver.satisfy_under_assumptions(
                self.brancher,
                &mut termination,
                self.resolver,
                assumptions,
            ) {
                SatisfactionResultUnderAssumptions::Satisfiable(s) => {
                    let solution = s.solution();
                    Step::Better(
                        solution.get_integer_value(objective),
                        read_values(solution, vars),
                    )
                }
                SatisfactionResultUnderAssumptions::UnsatisfiableUnderAssumptions(_)
                | SatisfactionResultUnderAssumptions::Unsatisfiable(_) => Step::Refuted,
                SatisfactionResultUnderAssumptions::Unknown(_) => Step::Unknown,
            }
        }));
        call.unwrap_or(Step::Broken)
    }
}

/// The constraint graph (every constraint, hard or soft) as neighbour lists.
fn graph(inst: &Instance) -> BTreeMap<u32, Vec<u32>> {
    let mut g: BTreeMap<u32, BTreeSet<u32>> = inst
        .variables
        .iter()
        .map(|v| (v.id, BTreeSet::new()))
        .collect();
    for c in &inst.constraints {
        g.entry(c.x).or_default().insert(c.y);
        g.entry(c.y).or_default().insert(c.x);
    }
    g.into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

/// Improves `best` by neighbourhood steps until `deadline` or until its
/// objective is at most `floor`; `on_better` hears each new objective value.
/// False when the solver can no longer be used.
pub(crate) fn improve<B: Brancher, R: ConflictResolver>(
    engine: &mut Engine<'_, B, R>,
    inst: &Instance,
    best: &mut Incumbent,
    deadline: Instant,
    seed: u64,
    floor: i32,
    on_better: &mut dyn FnMut(i32),
) -> bool {
    let g = graph(inst);
    // The duplex partners of each link: freed together, as one cannot move
    // without the other.
    let mut partner: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for c in inst
        .constraints
        .iter()
        .filter(|c| c.op == Op::Eq && c.weight == 0)
    {
        partner.entry(c.x).or_default().push(c.y);
        partner.entry(c.y).or_default().push(c.x);
    }
    let ids: Vec<u32> = engine.vars.keys().copied().collect();
    if ids.is_empty() {
        return true;
    }
    let mut rng = SplitMix(seed);
    let mut size = (ids.len() / 8).clamp(8.min(ids.len()), 40);
    let slice = Duration::from_millis(125);
    while Instant::now() < deadline && best.objective > floor {
        // A connected neighbourhood around a random link (with the duplex
        // partners of its links). Start at both links of a violated soft constraint, drawn with a
        // chance proportional to its cost, when there is one.
        let violated: Vec<(u32, u32, u64)> = inst
            .constraints
            .iter()
            .filter(|c| c.weight > 0)
            .filter(|c| match (best.values.get(&c.x), best.values.get(&c.y)) {
                (Some(&fx), Some(&fy)) => !c.holds(fx, fy),
                _ => false,
            })
            .map(|c| (c.x, c.y, inst.a[usize::from(c.weight - 1)].max(1)))
            .collect();
        let total: u64 = violated.iter().map(|v| v.2).sum();
        let start: Vec<u32> = if violated.is_empty() || rng.below(4) == 0 {
            vec![ids[rng.below(ids.len())]]
        } else {
            let mut draw = rng.below(usize::try_from(total).unwrap_or(usize::MAX)) as u64;
            let mut chosen = violated[0];
            for v in &violated {
                if draw < v.2 {
                    chosen = *v;
                    break;
                }
                draw -= v.2;
            }
            vec![chosen.0, chosen.1]
        };
        let mut free: BTreeSet<u32> = BTreeSet::new();
        let mut queue: VecDeque<u32> = start.into_iter().collect();
        while let Some(v) = queue.pop_front() {
            if free.len() >= size {
                break;
            }
            if !free.insert(v) {
                continue;
            }
            free.extend(partner.get(&v).into_iter().flatten());
            let mut next: Vec<u32> = g.get(&v).cloned().unwrap_or_default();
            // Shuffle the neighbours so that neighbourhoods vary.
            for i in (1..next.len()).rev() {
                next.swap(i, rng.below(i + 1));
            }
            queue.extend(next.into_iter().filter(|n| !free.contains(n)));
        }
        let fixed: Vec<Predicate> = engine
            .vars
            .iter()
            .filter(|(id, _)| !free.contains(id))
            .filter_map(|(id, &d)| {
                let value = i32::try_from(*best.values.get(id)?).ok()?;
                Some(predicate![d == value])
            })
            .collect();
        // The best the neighbourhood allows: tighten until proved or out of time.
        loop {
            let mut assumptions = fixed.clone();
            let objective = engine.objective;
            assumptions.push(predicate![objective <= best.objective - 1]);
            let left = deadline.saturating_duration_since(Instant::now());
            match engine.step(&assumptions, left.min(slice)) {
                Step::Better(value, values) => {
                    best.objective = value;
                    best.values = values;
                    on_better(best.objective);
                }
                Step::Refuted => {
                    size = (size + size / 16 + 1).min(ids.len());
                    break;
                }
                Step::Broken => return false,
                Step::Unknown => {
                    if Instant::now() >= deadline {
                        return true;
                    }
                    size = (size - size / 8).max(4.min(ids.len()));
                    break;
                }
            }
        }
    }
    true
}

/// Linear SAT-UNSAT descent under an assumption: asks for an objective below
/// the best until that is refuted (true: the best is optimal), the deadline
/// passes, or the best reaches `floor` (false: not proved).
pub(crate) fn descend<B: Brancher, R: ConflictResolver>(
    engine: &mut Engine<'_, B, R>,
    best: &mut Incumbent,
    deadline: Instant,
    floor: Option<i32>,
    on_better: &mut dyn FnMut(i32),
) -> bool {
    loop {
        if floor.is_some_and(|f| best.objective <= f) {
            return false;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        let objective = engine.objective;
        let assumptions = [predicate![objective <= best.objective - 1]];
        match engine.step(&assumptions, left) {
            Step::Better(value, values) => {
                best.objective = value;
                best.values = values;
                on_better(best.objective);
            }
            Step::Refuted => return true,
            Step::Unknown | Step::Broken => return false,
        }
    }
}
