//! Searches that stop on a time budget and can be resumed (Pumpkin 0.5).
//!
//! Pumpkin 0.5 resets its state after a time-out only when the search had
//! left the root: a search stopped at decision level 0 (its first poll, or
//! right after a learned unit clause sent it back there) stays "timed out",
//! and the next call on the same solver fails an internal assertion. The
//! portfolio and the neighbourhood searches resume one solver many times,
//! so the time-out is moved off the root:
//!
//! - [`Pinned`] wraps a brancher and makes one decision of its own first, on
//!   a fresh 0/1 variable that no constraint mentions (the *pin*). The pin
//!   is never a reason for anything, so it never enters a learned clause or
//!   changes a propagation: the search is the wrapped brancher's, one level
//!   deeper. Whether the pin is set says whether the solver is at its root;
//!   the wrapper keeps that in a flag it shares.
//! - [`Guarded`] (a time [`Budget`] made by [`Pinned::budget`]) stops when
//!   its time is up, but never while that flag says "at the root": the
//!   solver then stops one step later, on a level Pumpkin can reset.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use pumpkin_solver::Solver;
use pumpkin_solver::core::branching::{Brancher, BrancherEvent, SelectionContext};
use pumpkin_solver::core::predicate;
use pumpkin_solver::core::predicates::Predicate;
use pumpkin_solver::core::results::SolutionReference;
use pumpkin_solver::core::statistics::StatisticLogger;
use pumpkin_solver::core::termination::{TerminationCondition, TimeBudget};
use pumpkin_solver::core::variables::DomainId;

/// A brancher whose first decision sets the pin, then the wrapped brancher's.
#[derive(Debug)]
pub(crate) struct Pinned<B> {
    inner: B,
    /// The pin's variable and its decision; none when the solver was
    /// already inconsistent at its root (it makes no variable then, and
    /// answers "infeasible" without searching).
    pin: Option<(DomainId, Predicate)>,
    at_root: Rc<Cell<bool>>,
}

impl<B: Brancher> Pinned<B> {
    /// Wraps `inner`, making the pin variable in `solver` (after `inner` was
    /// made, so the wrapped brancher never sees it).
    pub(crate) fn new(solver: &mut Solver, inner: B) -> Self {
        let pin = (!solver.is_inconsistent()).then(|| {
            let var = solver.new_bounded_integer(0, 1);
            (var, predicate![var >= 1])
        });
        Self {
            inner,
            at_root: Rc::new(Cell::new(pin.is_some())),
            pin,
        }
    }

    /// A time budget of `time` from now that never stops this brancher's
    /// search at its root.
    pub(crate) fn budget(&self, time: Duration) -> Budget {
        self.guard(TimeBudget::starting_now(time))
    }

    /// `condition`, kept from stopping this brancher's search at its root.
    pub(crate) fn guard<T: TerminationCondition>(&self, condition: T) -> Guarded<T> {
        Guarded {
            inner: condition,
            at_root: Rc::clone(&self.at_root),
        }
    }
}

impl<B: Brancher> Brancher for Pinned<B> {
    fn log_statistics(&self, statistic_logger: StatisticLogger) {
        self.inner.log_statistics(statistic_logger);
    }

    fn next_decision(&mut self, context: &mut SelectionContext) -> Option<Predicate> {
        if let Some((_, pin)) = self.pin
            && !context.is_predicate_assigned(pin)
        {
            self.at_root.set(false);
            return Some(pin);
        }
        self.inner.next_decision(context)
    }

    fn on_conflict(&mut self) {
        self.inner.on_conflict();
    }

    fn on_backtrack(&mut self) {
        self.inner.on_backtrack();
    }

    fn on_solution(&mut self, solution: SolutionReference) {
        self.inner.on_solution(solution);
    }

    fn on_unassign_integer(&mut self, variable: DomainId, value: i32) {
        if self.pin.is_none_or(|(var, _)| var != variable) {
            self.inner.on_unassign_integer(variable, value);
        }
    }

    fn on_appearance_in_conflict_predicate(&mut self, predicate: Predicate) {
        self.inner.on_appearance_in_conflict_predicate(predicate);
    }

    fn on_restart(&mut self) {
        self.inner.on_restart();
    }

    fn synchronise(&mut self, context: &mut SelectionContext) {
        // Called after every backtrack: the pin is unset exactly at the root.
        if let Some((_, pin)) = self.pin {
            self.at_root.set(!context.is_predicate_assigned(pin));
        }
        self.inner.synchronise(context);
    }

    fn is_restart_pointless(&mut self) -> bool {
        self.inner.is_restart_pointless()
    }

    fn subscribe_to_events(&self) -> Vec<BrancherEvent> {
        let mut events = self.inner.subscribe_to_events();
        for event in [BrancherEvent::Synchronise, BrancherEvent::UnassignInteger] {
            if !events.contains(&event) {
                events.push(event);
            }
        }
        events
    }
}

/// A termination condition that lets the search leave the root before it
/// stops.
pub(crate) struct Guarded<T> {
    inner: T,
    at_root: Rc<Cell<bool>>,
}

/// A time budget guarded by [`Pinned::budget`].
pub(crate) type Budget = Guarded<TimeBudget>;

impl<T: TerminationCondition> TerminationCondition for Guarded<T> {
    fn should_stop(&mut self) -> bool {
        !self.at_root.get() && self.inner.should_stop()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use pumpkin_conflict_resolvers::resolvers::ResolutionResolver;
    use pumpkin_solver::core::results::{ProblemSolution, SatisfactionResult};

    /// Lets the first poll of a call through (where every search starts,
    /// at the root), then stops at every poll at the root and every 50th.
    struct Hostile {
        at_root: Rc<Cell<bool>>,
        polls: u32,
    }

    impl TerminationCondition for Hostile {
        fn should_stop(&mut self) -> bool {
            self.polls += 1;
            self.polls > 1 && (self.at_root.get() || self.polls.is_multiple_of(50))
        }
    }

    /// `n` pigeons in `holes` holes, each alone: with `n > holes`, many
    /// conflicts, restarts, and learned unit clauses that send the search
    /// back to its root.
    fn pigeons(solver: &mut Solver, n: usize, holes: i32) -> Vec<DomainId> {
        let vars: Vec<DomainId> = (0..n)
            .map(|_| solver.new_bounded_integer(1, holes))
            .collect();
        let tag = solver.new_constraint_tag();
        solver
            .add_constraint(pumpkin_solver::all_different(vars.clone(), tag))
            .post();
        vars
    }

    /// Resumes one search, stopped by [`Hostile`] (guarded or not), until
    /// it answers. Returns the holes of a solution (or `None`) and the
    /// number of calls.
    fn sliced(n: usize, holes: i32, guarded: bool) -> (Option<Vec<i32>>, u32) {
        let mut solver = Solver::default();
        let vars = pigeons(&mut solver, n, holes);
        let default = solver.default_brancher();
        let mut brancher = Pinned::new(&mut solver, default);
        let mut resolver = ResolutionResolver::default();
        for calls in 1..100_000 {
            let hostile = Hostile {
                at_root: Rc::clone(&brancher.at_root),
                polls: 0,
            };
            let result = if guarded {
                let mut budget = brancher.guard(hostile);
                solver.satisfy(&mut brancher, &mut budget, &mut resolver)
            } else {
                let mut budget = hostile;
                solver.satisfy(&mut brancher, &mut budget, &mut resolver)
            };
            match result {
                SatisfactionResult::Satisfiable(s) => {
                    let sol = s.solution();
                    let values = vars.iter().map(|&v| sol.get_integer_value(v)).collect();
                    return (Some(values), calls);
                }
                SatisfactionResult::Unsatisfiable(..) => return (None, calls),
                SatisfactionResult::Unknown(..) => {}
            }
        }
        panic!("no answer in 100 000 calls");
    }

    #[test]
    fn a_refutation_cut_into_slices_is_resumed_to_its_end() {
        let (answer, calls) = sliced(8, 7, true);
        assert_eq!(answer, None);
        assert!(calls > 10, "the slices did cut the search: {calls} calls");
    }

    #[test]
    fn a_solution_found_in_slices_satisfies_every_constraint() {
        let (answer, _) = sliced(7, 7, true);
        let mut holes = answer.expect("seven pigeons fit in seven holes");
        holes.sort_unstable();
        assert_eq!(holes, (1..=7).collect::<Vec<_>>());
    }

    /// The defect this module keeps away: a search stopped at its root
    /// after a learned unit clause cannot be resumed. When this fails,
    /// Pumpkin resumes by itself and the guard can go.
    #[test]
    fn unguarded_a_stop_at_the_root_breaks_the_next_call() {
        let run = std::panic::catch_unwind(|| sliced(8, 7, false));
        let message = run.expect_err("Pumpkin resumed after a time-out at the root");
        let text = message
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| message.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        assert!(text.contains("is_ready()"), "another failure: {text}");
    }
}
