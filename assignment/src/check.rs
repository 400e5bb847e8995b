//! An independent checker of an assignment: every value in its variable's
//! domain, every constraint evaluated, and the three CELAR objectives —
//! number of distinct values, largest value, weighted violation cost
//! `Σ a_i·nc_i + Σ b_i·nv_i`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::instance::{AssignmentError, Instance};

/// The verdict on one assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Variables whose value is outside their domain.
    pub outside_domain: Vec<u32>,
    /// Violated hard constraints (indices into the instance's constraints).
    pub violated_hard: Vec<usize>,
    /// Violated soft constraints by weight index 1–4.
    pub violated_soft: [usize; 4],
    /// Changed variables by mobility 1–4 (mobility 0 changed is an error: `changed_fixed`).
    pub changed_mobile: [usize; 4],
    /// Pre-assigned fixed variables (mobility 0) whose value changed.
    pub changed_fixed: Vec<u32>,
    /// Number of distinct values used.
    pub distinct_values: usize,
    /// Largest value used.
    pub largest_value: u32,
    /// Weighted cost `Σ a_i·nc_i + Σ b_i·nv_i`.
    pub cost: u64,
}

impl CheckReport {
    /// True when every value is in its domain, every hard constraint holds
    /// and no fixed variable moved.
    pub fn feasible(&self) -> bool {
        self.outside_domain.is_empty()
            && self.violated_hard.is_empty()
            && self.changed_fixed.is_empty()
    }

    /// True when, in addition, no soft constraint is violated.
    pub fn satisfies_all(&self) -> bool {
        self.feasible() && self.violated_soft.iter().all(|&n| n == 0)
    }
}

/// Checks `values` (variable id → value) against `inst`; every variable must
/// have a value.
pub fn check(inst: &Instance, values: &BTreeMap<u32, u32>) -> Result<CheckReport, AssignmentError> {
    let mut report = CheckReport {
        outside_domain: Vec::new(),
        violated_hard: Vec::new(),
        violated_soft: [0; 4],
        changed_mobile: [0; 4],
        changed_fixed: Vec::new(),
        distinct_values: 0,
        largest_value: 0,
        cost: 0,
    };
    let mut used = BTreeSet::new();
    for v in &inst.variables {
        let &value = values.get(&v.id).ok_or_else(|| {
            AssignmentError::Inconsistent(format!(
                "the assignment gives no value to variable {}",
                v.id
            ))
        })?;
        if !inst
            .domains
            .get(&v.domain)
            .is_some_and(|d| d.contains(&value))
        {
            report.outside_domain.push(v.id);
        }
        if let Some((initial, mobility)) = v.initial
            && initial != value
        {
            match mobility {
                0 => report.changed_fixed.push(v.id),
                m => report.changed_mobile[usize::from(m.clamp(1, 4)) - 1] += 1,
            }
        }
        used.insert(value);
    }
    for (i, c) in inst.constraints.iter().enumerate() {
        let (Some(&fx), Some(&fy)) = (values.get(&c.x), values.get(&c.y)) else {
            return Err(AssignmentError::Inconsistent(format!(
                "constraint {i} names a variable without a value"
            )));
        };
        if !c.holds(fx, fy) {
            match c.weight {
                0 => report.violated_hard.push(i),
                w => report.violated_soft[usize::from(w.clamp(1, 4)) - 1] += 1,
            }
        }
    }
    report.distinct_values = used.len();
    report.largest_value = used.last().copied().unwrap_or(0);
    report.cost = (0..4)
        .map(|i| {
            inst.a[i] * report.violated_soft[i] as u64 + inst.b[i] * report.changed_mobile[i] as u64
        })
        .sum();
    Ok(report)
}
