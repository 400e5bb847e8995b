//! The register as a whole: its operators and assignments, with the
//! per-service protection defaults it was read with.

use std::collections::BTreeMap;

use allocation_table::Category;
use allocation_table::service::RadioService;
use serde::Serialize;

use crate::model::{Assignment, Operator, default_protection_i_n_db};

/// Protection criteria (I/N, dB) of receivers that do not state their own:
/// −10 dB for fixed links, −6 dB for other services, unless configured per
/// service.
///
/// ```
/// use allocation_table::service::RadioService;
/// use stations::register::ProtectionDefaults;
/// let mut p = ProtectionDefaults::default();
/// assert_eq!(p.i_n_db(RadioService::Fixed), -10.0);
/// p.by_service.insert(RadioService::Broadcasting, -20.0);
/// assert_eq!(p.i_n_db(RadioService::Broadcasting), -20.0);
/// assert_eq!(p.i_n_db(RadioService::LandMobile), -6.0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProtectionDefaults {
    /// Overrides by service, I/N in dB.
    pub by_service: BTreeMap<RadioService, f64>,
}

impl ProtectionDefaults {
    /// The criterion for a service: its override, else the built-in default.
    pub fn i_n_db(&self, service: RadioService) -> f64 {
        self.by_service
            .get(&service)
            .copied()
            .unwrap_or_else(|| default_protection_i_n_db(service))
    }
}

/// The register of stations and assignments.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Register {
    /// Operators by name (empty when no operators list was given).
    pub operators: BTreeMap<String, Operator>,
    /// Assignments in input order.
    pub assignments: Vec<Assignment>,
}

impl Register {
    /// A register of assignments without an operators list.
    pub fn new(assignments: Vec<Assignment>) -> Register {
        Register {
            operators: BTreeMap::new(),
            assignments,
        }
    }

    /// Number of assignments.
    pub fn len(&self) -> usize {
        self.assignments.len()
    }

    /// True when there are no assignments.
    pub fn is_empty(&self) -> bool {
        self.assignments.is_empty()
    }

    /// The category of use of an assignment: its own, else its operator's
    /// user kind, else unknown.
    pub fn category_of(&self, a: &Assignment) -> Option<Category> {
        a.category
            .or_else(|| self.operators.get(&a.operator).map(|o| o.user.category()))
    }

    /// The assignment with this id.
    pub fn get(&self, id: &str) -> Option<&Assignment> {
        self.assignments.iter().find(|a| a.id == id)
    }
}
