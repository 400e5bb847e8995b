//! The objective of each CELAR criterion, posted on a built model:
//! the number of distinct values (a "used" literal per value, implied by
//! every `[x = v]`), the largest value (an upper bound on every link), or
//! the weighted cost (the sum of the model's cost literals).

use pumpkin_solver::core::predicate;
use pumpkin_solver::core::variables::{DomainId, TransformableVariable};

use crate::instance::{AssignmentError, Criterion, Instance};
use crate::model::{self, Model, to_i32};

/// Posts the objective of `criterion` on `m` (none for feasibility) with
/// `bound` as its lower bound; returns it and the bound that stands.
pub(crate) fn post(
    m: &mut Model,
    inst: &Instance,
    criterion: Criterion,
    bound: u64,
) -> Result<(Option<DomainId>, u64), AssignmentError> {
    let tag = m.solver.new_constraint_tag();
    let mut bound = bound;
    let objective = match criterion {
        Criterion::Feasibility => None,
        Criterion::MinOrder => {
            let values = model::all_values(inst);
            let mut used = Vec::with_capacity(values.len());
            for &value in &values {
                let u = m.solver.new_literal();
                let value = to_i32(u64::from(value))?;
                for &x in m.vars.values() {
                    m.solver
                        .add_clause([predicate![x != value], u.get_true_predicate()], tag);
                }
                used.push(u);
            }
            let n = m
                .solver
                .new_bounded_integer(to_i32(bound)?, to_i32(values.len() as u64)?);
            m.solver
                .add_constraint(pumpkin_solver::boolean_equals(
                    vec![1; used.len()],
                    used,
                    n,
                    tag,
                ))
                .post();
            Some(n)
        }
        Criterion::MinSpan => {
            let lowest = inst
                .variables
                .iter()
                .filter_map(|v| model::values_of(inst, v.id).into_iter().min())
                .max()
                .unwrap_or(0);
            let highest = inst
                .variables
                .iter()
                .filter_map(|v| model::values_of(inst, v.id).into_iter().max())
                .max()
                .unwrap_or(0);
            bound = u64::from(lowest);
            let top = m
                .solver
                .new_bounded_integer(to_i32(bound)?, to_i32(u64::from(highest.max(lowest)))?);
            for &x in m.vars.values() {
                m.solver
                    .add_constraint(pumpkin_solver::less_than_or_equals(
                        vec![x.scaled(1), top.scaled(-1)],
                        0,
                        tag,
                    ))
                    .post();
            }
            Some(top)
        }
        Criterion::MinCost => {
            let total: u64 = m.costs.iter().map(|c| c.1.unsigned_abs() as u64).sum();
            let cost = m.solver.new_bounded_integer(0, to_i32(total)?);
            let (lits, weights): (Vec<_>, Vec<_>) = m.costs.iter().copied().unzip();
            m.solver
                .add_constraint(pumpkin_solver::boolean_equals(weights, lits, cost, tag))
                .post();
            Some(cost)
        }
    };
    Ok((objective, bound))
}
