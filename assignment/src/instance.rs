//! A frequency assignment instance: variables, domains, constraints and the
//! criterion, as the CELAR / RLFAP files define them.

use std::collections::BTreeMap;

use serde::Serialize;
use thiserror::Error;

/// Why an instance could not be read.
#[derive(Debug, Error)]
pub enum AssignmentError {
    /// A field of a line is missing or malformed.
    #[error("{file}:{line}: field `{field}`: expected {expected}, found {found:?}")]
    Field {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// The field.
        field: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// Reading a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The instance is inconsistent (a variable names an unknown domain, a
    /// constraint an unknown variable, an assignment misses a variable).
    #[error("{0}")]
    Inconsistent(String),
}

/// The relation of a constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    /// `|f_x − f_y| > k`.
    Gt,
    /// `|f_x − f_y| = k` (the duplex pairs).
    Eq,
}

/// A binary distance constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Constraint {
    /// First variable id.
    pub x: u32,
    /// Second variable id.
    pub y: u32,
    /// The original engineering category (D, C, F, P, L); no effect on the meaning.
    pub kind: char,
    /// The relation.
    pub op: Op,
    /// The distance.
    pub k: u32,
    /// 0 = hard; 1–4 = soft, violation costs a1…a4.
    pub weight: u8,
}

impl Constraint {
    /// True when the values satisfy the constraint.
    ///
    /// ```
    /// use assignment::instance::{Constraint, Op};
    /// let c = Constraint { x: 1, y: 2, kind: 'C', op: Op::Gt, k: 59, weight: 0 };
    /// assert!(c.holds(16, 100));
    /// assert!(!c.holds(100, 44));
    /// ```
    pub fn holds(&self, fx: u32, fy: u32) -> bool {
        let d = fx.abs_diff(fy);
        match self.op {
            Op::Gt => d > self.k,
            Op::Eq => d == self.k,
        }
    }
}

/// A variable (a link to assign a frequency to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Variable {
    /// Identifier (ids need not be consecutive).
    pub id: u32,
    /// Its domain.
    pub domain: u32,
    /// A pre-assigned value and its mobility (0 = fixed; 1–4 = may change at cost b1…b4).
    pub initial: Option<(u32, u8)>,
}

/// What is to be optimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Satisfy every constraint (decision instances).
    Feasibility,
    /// Fewest distinct values.
    MinOrder,
    /// Lowest largest value.
    MinSpan,
    /// Least weighted cost of violated soft constraints and changed mobile variables.
    MinCost,
}

/// The instance.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Instance {
    /// Name (the directory or file stem).
    pub name: String,
    /// Domains by id.
    pub domains: BTreeMap<u32, Vec<u32>>,
    /// Variables in file order.
    pub variables: Vec<Variable>,
    /// Constraints in file order.
    pub constraints: Vec<Constraint>,
    /// The criterion when every constraint can hold (None: feasibility only).
    pub criterion: Option<Criterion>,
    /// Costs a1…a4 of violating a soft constraint of weight 1…4.
    pub a: [u64; 4],
    /// Costs b1…b4 of changing a variable of mobility 1…4.
    pub b: [u64; 4],
}

impl Instance {
    /// Checks that every variable's domain and every constraint's variables exist.
    pub fn validate(&self) -> Result<(), AssignmentError> {
        let ids: std::collections::HashSet<u32> = self.variables.iter().map(|v| v.id).collect();
        if ids.len() != self.variables.len() {
            return Err(AssignmentError::Inconsistent(format!(
                "{}: a variable id appears twice",
                self.name
            )));
        }
        for v in &self.variables {
            let Some(domain) = self.domains.get(&v.domain) else {
                return Err(AssignmentError::Inconsistent(format!(
                    "{}: variable {} names domain {}, which is not defined",
                    self.name, v.id, v.domain
                )));
            };
            if domain.is_empty() {
                return Err(AssignmentError::Inconsistent(format!(
                    "{}: variable {}: expected a domain with at least one value, found domain {} empty",
                    self.name, v.id, v.domain
                )));
            }
            if let Some((value, mobility)) = v.initial {
                if mobility > 4 {
                    return Err(AssignmentError::Inconsistent(format!(
                        "{}: variable {}: expected a mobility from 0 to 4, found {mobility}",
                        self.name, v.id
                    )));
                }
                if !domain.contains(&value) {
                    return Err(AssignmentError::Inconsistent(format!(
                        "{}: variable {}: expected an initial value in domain {}, found {value}",
                        self.name, v.id, v.domain
                    )));
                }
            }
        }
        for c in &self.constraints {
            if c.weight > 4 {
                return Err(AssignmentError::Inconsistent(format!(
                    "{}: constraint {} {}: expected a weight from 0 to 4, found {}",
                    self.name, c.x, c.y, c.weight
                )));
            }
            for id in [c.x, c.y] {
                if !ids.contains(&id) {
                    return Err(AssignmentError::Inconsistent(format!(
                        "{}: a constraint names variable {id}, which is not defined",
                        self.name
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Splits a line on whitespace into (1-based column, field).
pub(crate) fn fields(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// Parses field `i` of a line as an unsigned integer.
pub(crate) fn uint<T: std::str::FromStr>(
    file: &str,
    line: usize,
    fields: &[&str],
    i: usize,
    name: &str,
) -> Result<T, AssignmentError> {
    let found = fields.get(i).copied().unwrap_or("");
    found.parse::<T>().map_err(|_| AssignmentError::Field {
        file: file.to_owned(),
        line,
        field: name.to_owned(),
        expected: "a non-negative integer".into(),
        found: found.to_owned(),
    })
}

/// Reads a file to text.
pub(crate) fn read(path: &std::path::Path) -> Result<String, AssignmentError> {
    std::fs::read_to_string(path).map_err(|source| AssignmentError::Io {
        path: path.display().to_string(),
        source,
    })
}
