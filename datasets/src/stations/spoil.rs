//! The deliberate errors: a nonconforming assignment in one of six ways.

use allocation_table::Category;
use stations::model::{Assignment, AssignmentStatus, Direction};

use super::plan::{OP_PMR, OP_VIRTUAL, OPERATORS, Plan};
use super::units::{Ctx, add_days};

impl Ctx {
    /// Makes `a` nonconforming in way `kind` (0–5), with random `r`.
    pub fn spoil(&self, a: &mut Assignment, kind: u64, r: u64) {
        let p = &self.plans;
        let civil = |a: &mut Assignment, plan: &Plan, op: usize| {
            a.operator = OPERATORS[op].0.to_owned();
            a.freq_hz = plan.centre(r);
            a.emission = self.ems[plan.emission].clone();
            a.service = plan.service;
            a.category = (r & 1 == 0).then_some(Category::Civil);
            a.protection_i_n_db = self.protection.i_n_db(plan.service);
            a.station.direction = Direction::TxRx;
            a.station.eirp_dbm = Some(a.station.eirp_dbm.unwrap_or(45.0).min(62.0));
        };
        match kind {
            // Land mobile in the amateur band (not allocated).
            0 => civil(a, &p.bad_amateur, OP_PMR[(r % 4) as usize]),
            // Land mobile where mobile is secondary only (403–406 MHz).
            1 => civil(a, &p.bad_secondary, OP_PMR[(r % 4) as usize]),
            // An LTE carrier across the 942 MHz band edge.
            2 => civil(a, &p.bad_straddle, (r % 3) as usize),
            // A civil LTE carrier in the government 2570–2690 MHz band.
            3 => civil(a, &p.bad_category, (r % 3) as usize),
            // A licence that expired in 2021–2024.
            4 => {
                a.status = AssignmentStatus::Licensed;
                a.valid_from = Some(add_days(self.dates.issued_old, r % 1500));
                a.valid_to = Some(add_days(self.dates.expired0, r % 1400));
                if a.licence.is_none() {
                    a.licence = Some(format!("KG-2015-{:06}", r % 1_000_000));
                }
            }
            // A transmitter of the virtual operator (on a host's LTE 1800 block).
            _ => {
                let plan = p
                    .cell
                    .iter()
                    .find(|l| l.plan.name == "LTE 1800")
                    .map_or(p.bad_category, |l| l.plan);
                civil(a, &plan, OP_VIRTUAL);
                a.freq_hz = plan.centre(r % 3);
            }
        }
    }
}
