//! # assignment
//!
//! Frequency assignment as a constraint problem (the radio link frequency
//! assignment problem of the CELAR instances, Cabon et al., *Constraints*
//! 4(1), 1999):
//!
//! - [`instance`]: variables (links) with their domains, pre-assigned values
//!   and mobility, binary distance constraints `|f_x − f_y| > k` or `= k`,
//!   hard or soft with a weight index, and the criterion;
//! - [`celar`]: the original CELAR files (`var.txt`, `dom.txt`, `ctr.txt`,
//!   `cst.txt`); [`rlfap`]: the simplified decision instances (`var/`,
//!   `dom/`, `ctr/` with a count line); both name the file, line and field
//!   of anything malformed;
//! - [`check`]: an independent checker of any assignment: domains, every
//!   constraint, and the three CELAR objectives (distinct values, largest
//!   value, weighted violation cost);
//! - [`model`]: the constraint model in the Pumpkin solver (direct or
//!   linear encoding of the distances, relaxable soft constraints);
//! - [`bound`]: the clique lower bound on the number of distinct values,
//!   with its certificate;
//! - [`certify`]: infeasibility with a DRUP proof (the hard constraints as
//!   CNF, refuted by Pumpkin) verified by an independent checker;
//! - [`plan`]: channel plans for the register's planned assignments (a
//!   raster, separations by distance, interference pairs, duplex spacing;
//!   licensed assignments fixed) and the register update with reasons;
//! - `units` (internal): the weighted cost as a weighted CSP over units, the
//!   duplex pairs merged; `neighbourhood` (internal): the variable
//!   neighbourhood search over it (exact branch and bound per neighbourhood,
//!   restarts, recombination), which reaches scen06's optimum 3389; `lns`
//!   (internal): the neighbourhood search inside Pumpkin (fallback) and the
//!   exact descent; `resume` (internal): time budgets that never stop a
//!   search at its root, so that Pumpkin 0.5 can resume it;
//! - [`solve`]: feasibility, or one of the CELAR criteria (fewest values,
//!   lowest largest value, least weighted cost), with a time limit, a seed,
//!   progress reports and an explicit status (optimal, feasible, infeasible,
//!   unknown); every assignment returned is checked.
//!
//! ```
//! use assignment::instance::{Constraint, Instance, Op, Variable};
//! let mut inst = Instance::default();
//! inst.domains.insert(1, vec![16, 30, 254]);
//! inst.variables.push(Variable { id: 1, domain: 1, initial: None });
//! inst.variables.push(Variable { id: 2, domain: 1, initial: None });
//! inst.constraints.push(Constraint { x: 1, y: 2, kind: 'D', op: Op::Eq, k: 238, weight: 0 });
//! let report = assignment::check::check(&inst, &[(1, 16), (2, 254)].into_iter().collect()).unwrap();
//! assert!(report.feasible());
//! assert_eq!(report.distinct_values, 2);
//! ```

pub mod bound;
pub mod celar;
pub mod certify;
pub mod check;
pub mod instance;
mod lns;
pub mod model;
mod neighbourhood;
mod objective;
pub mod plan;
mod resume;
pub mod rlfap;
pub mod solve;
mod units;

pub use instance::{AssignmentError, Instance};
