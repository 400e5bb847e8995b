//! Certified infeasibility: a proof that an instance has no assignment,
//! written by the solver and verified by a checker that shares nothing with
//! it.
//!
//! The hard constraints are written as a propositional formula (DIMACS CNF)
//! by the direct encoding: one Boolean `b(x, v)` per link and value; "each
//! link takes a value" `∨_v b(x, v)`; every pair of values closer than
//! allowed `¬b(x, v) ∨ ¬b(y, w)`; the duplex supports
//! `¬b(x, v) ∨ b(y, v − k) ∨ b(y, v + k)`. The formula drops "at most one
//! value per link", so it is a relaxation: when it is unsatisfiable, so is
//! the instance. Pumpkin solves that formula (clauses only, so each clause
//! it learns follows by unit propagation) and logs every learned clause
//! (DRUP, without deletions). [`check_drup`] then re-derives each lemma by
//! reverse unit propagation over the formula and the lemmas before it, and
//! accepts the proof only if it reaches the empty clause (Goldberg and
//! Novikov, DATE 2003; Heule, Hunt and Wetzler, 2013). Both files can also be
//! given to any DRAT checker (e.g. drat-trim).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use pumpkin_conflict_resolvers::resolvers::ResolutionResolver;
use pumpkin_solver::Solver;
use pumpkin_solver::core::options::SolverOptions;
use pumpkin_solver::core::proof::ProofLog;
use pumpkin_solver::core::results::SatisfactionResult;
use pumpkin_solver::core::termination::TimeBudget;
use pumpkin_solver::core::variables::Literal;
use serde::Serialize;

use crate::instance::{AssignmentError, Instance, Op};
use crate::model::values_of;

/// A formula in conjunctive normal form: variables `1..=vars`, clauses of
/// non-zero literals (negative = negated).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cnf {
    /// Number of variables.
    pub vars: u32,
    /// The clauses.
    pub clauses: Vec<Vec<i32>>,
}

impl Cnf {
    /// The DIMACS text of the formula.
    pub fn to_dimacs(&self) -> String {
        let mut text = format!("p cnf {} {}\n", self.vars, self.clauses.len());
        for c in &self.clauses {
            for l in c {
                let _ = write!(text, "{l} ");
            }
            text.push_str("0\n");
        }
        text
    }
}

/// The direct encoding of the hard constraints of `inst` (see the module
/// documentation).
///
/// ```
/// use assignment::instance::{Constraint, Instance, Op, Variable};
/// let mut inst = Instance::default();
/// inst.domains.insert(0, vec![1, 2]);
/// for id in 1..=2 { inst.variables.push(Variable { id, domain: 0, initial: None }); }
/// inst.constraints.push(Constraint { x: 1, y: 2, kind: 'C', op: Op::Gt, k: 5, weight: 0 });
/// let cnf = assignment::certify::cnf(&inst).unwrap();
/// assert_eq!(cnf.vars, 4);
/// // two "takes a value" clauses and four forbidden pairs
/// assert_eq!(cnf.clauses.len(), 6);
/// ```
pub fn cnf(inst: &Instance) -> Result<Cnf, AssignmentError> {
    inst.validate()?;
    let mut index: BTreeMap<(u32, u32), i32> = BTreeMap::new();
    let mut domains: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut cnf = Cnf::default();
    for v in &inst.variables {
        let values = values_of(inst, v.id);
        let mut alo = Vec::with_capacity(values.len());
        for &value in &values {
            cnf.vars += 1;
            let lit = i32::try_from(cnf.vars)
                .map_err(|_| AssignmentError::Inconsistent("too many values to encode".into()))?;
            index.insert((v.id, value), lit);
            alo.push(lit);
        }
        cnf.clauses.push(alo);
        domains.insert(v.id, values);
    }
    for c in inst.constraints.iter().filter(|c| c.weight == 0) {
        let (Some(dx), Some(dy)) = (domains.get(&c.x), domains.get(&c.y)) else {
            continue;
        };
        match c.op {
            Op::Gt => {
                for &v in dx {
                    for &w in dy.iter().filter(|&&w| v.abs_diff(w) <= c.k) {
                        cnf.clauses.push(vec![-index[&(c.x, v)], -index[&(c.y, w)]]);
                    }
                }
            }
            Op::Eq => {
                for (p, q, dp) in [(c.x, c.y, dx), (c.y, c.x, dy)] {
                    for &v in dp {
                        let mut clause = vec![-index[&(p, v)]];
                        for w in [v.checked_sub(c.k), v.checked_add(c.k)]
                            .into_iter()
                            .flatten()
                        {
                            if let Some(&l) = index.get(&(q, w))
                                && !clause.contains(&l)
                            {
                                clause.push(l);
                            }
                        }
                        cnf.clauses.push(clause);
                    }
                }
            }
        }
    }
    Ok(cnf)
}

/// What a refutation attempt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refutation {
    /// The formula is unsatisfiable; the proof was written.
    Refuted,
    /// The formula is satisfiable: no refutation exists.
    Satisfiable,
    /// The time limit came first.
    Unknown,
}

/// Solves the CNF of `inst` with Pumpkin, logging a DRUP proof to
/// `proof_path`; the formula itself is written to `cnf_path`. Each file is
/// written under a `.partial` name and renamed once complete; both are
/// removed unless the formula is refuted.
pub fn refute(
    inst: &Instance,
    cnf_path: &Path,
    proof_path: &Path,
    time_limit: Duration,
) -> Result<Refutation, AssignmentError> {
    let formula = cnf(inst)?;
    let io = |path: &Path, source: std::io::Error| AssignmentError::Io {
        path: path.display().to_string(),
        source,
    };
    // Both files are written beside their names and renamed when complete.
    let partial = |p: &Path| {
        let mut name = p.as_os_str().to_owned();
        name.push(".partial");
        std::path::PathBuf::from(name)
    };
    let (cnf_tmp, proof_tmp) = (partial(cnf_path), partial(proof_path));
    std::fs::write(&cnf_tmp, formula.to_dimacs()).map_err(|e| io(&cnf_tmp, e))?;
    let proof_log = ProofLog::dimacs(&proof_tmp).map_err(|e| io(&proof_tmp, e))?;
    let mut solver = Solver::with_options(SolverOptions {
        proof_log,
        ..SolverOptions::default()
    });
    let lits: Vec<Literal> = (1..=formula.vars)
        .map(|i| solver.new_named_literal(i.to_string()))
        .collect();
    let tag = solver.new_constraint_tag();
    for clause in &formula.clauses {
        let predicates = clause.iter().map(|&l| {
            let lit = lits[(l.unsigned_abs() - 1) as usize];
            if l > 0 {
                lit.get_true_predicate()
            } else {
                (!lit).get_true_predicate()
            }
        });
        solver.add_clause(predicates, tag);
    }
    let mut brancher = solver.default_brancher();
    let mut termination = TimeBudget::starting_now(time_limit);
    let mut resolver = ResolutionResolver::default();
    let answer = match solver.satisfy(&mut brancher, &mut termination, &mut resolver) {
        SatisfactionResult::Satisfiable(_) => Refutation::Satisfiable,
        SatisfactionResult::Unsatisfiable(..) => Refutation::Refuted,
        SatisfactionResult::Unknown(..) => Refutation::Unknown,
    };
    // Dropping the solver flushes the proof; only a refutation is kept.
    drop(solver);
    if answer == Refutation::Refuted {
        std::fs::rename(&cnf_tmp, cnf_path).map_err(|e| io(cnf_path, e))?;
        std::fs::rename(&proof_tmp, proof_path).map_err(|e| io(proof_path, e))?;
    } else {
        let _ = std::fs::remove_file(&cnf_tmp);
        let _ = std::fs::remove_file(&proof_tmp);
    }
    Ok(answer)
}

/// The verdict of the independent proof checker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrupReport {
    /// True when every lemma follows by unit propagation and the empty
    /// clause is derived.
    pub verified: bool,
    /// Lemmas checked.
    pub lemmas: usize,
    /// The first lemma that does not follow (1-based line of the proof).
    pub failed_line: Option<usize>,
    /// Seconds spent.
    pub seconds: f64,
}

/// Checks a DRUP proof (one lemma per line, literals ending with `0`;
/// deletion lines `d …` are ignored, which only keeps more clauses) against
/// `formula` by forward reverse-unit-propagation. Independent of the solver:
/// its own watched-literal propagation, nothing shared.
///
/// ```
/// use assignment::certify::{Cnf, check_drup};
/// // (a ∨ b)(a ∨ ¬b)(¬a ∨ b)(¬a ∨ ¬b): lemma a, then the empty clause.
/// let f = Cnf { vars: 2, clauses: vec![vec![1, 2], vec![1, -2], vec![-1, 2], vec![-1, -2]] };
/// assert!(check_drup(&f, "1 0\n0\n").unwrap().verified);
/// assert!(!check_drup(&f, "0\n").unwrap().verified);
/// ```
pub fn check_drup(formula: &Cnf, proof: &str) -> Result<DrupReport, AssignmentError> {
    let started = Instant::now();
    let mut db = Propagator::new(formula.vars as usize);
    for (n, c) in formula.clauses.iter().enumerate() {
        if let Some(&l) = c
            .iter()
            .find(|l| **l == 0 || l.unsigned_abs() > formula.vars)
        {
            return Err(AssignmentError::Field {
                file: "formula".into(),
                line: n + 1,
                field: "literal".into(),
                expected: format!("a non-zero literal of a variable 1…{}", formula.vars),
                found: l.to_string(),
            });
        }
        db.add(c);
    }
    let mut lemmas = 0;
    for (n, line) in proof.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('c') || line.starts_with('d') {
            continue;
        }
        let mut lemma = Vec::new();
        for field in line.split_whitespace() {
            let l: i32 = field.parse().map_err(|_| AssignmentError::Field {
                file: "proof".into(),
                line: n + 1,
                field: "literal".into(),
                expected: "a non-zero integer or the closing 0".into(),
                found: field.to_owned(),
            })?;
            if l == 0 {
                break;
            }
            if l.unsigned_abs() > formula.vars {
                return Err(AssignmentError::Field {
                    file: "proof".into(),
                    line: n + 1,
                    field: "literal".into(),
                    expected: format!("a variable of the formula (1…{})", formula.vars),
                    found: l.to_string(),
                });
            }
            lemma.push(l);
        }
        lemmas += 1;
        if db.inconsistent {
            break;
        }
        if !db.implies(&lemma) {
            return Ok(DrupReport {
                verified: false,
                lemmas,
                failed_line: Some(n + 1),
                seconds: started.elapsed().as_secs_f64(),
            });
        }
        db.add(&lemma);
    }
    Ok(DrupReport {
        verified: db.inconsistent,
        lemmas,
        failed_line: None,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// A clause database with two watched literals per clause.
struct Propagator {
    clauses: Vec<Vec<i32>>,
    /// Clause indices watching each literal (index by [`code`]).
    watches: Vec<Vec<usize>>,
    /// Per variable: 0 unassigned, 1 true, -1 false.
    value: Vec<i8>,
    trail: Vec<i32>,
    head: usize,
    /// The empty clause follows at the root.
    inconsistent: bool,
}

fn code(l: i32) -> usize {
    2 * (l.unsigned_abs() as usize - 1) + usize::from(l < 0)
}

impl Propagator {
    fn new(vars: usize) -> Self {
        Self {
            clauses: Vec::new(),
            watches: vec![Vec::new(); 2 * vars],
            value: vec![0; vars + 1],
            trail: Vec::new(),
            head: 0,
            inconsistent: false,
        }
    }

    fn lit_value(&self, l: i32) -> i8 {
        let v = self.value[l.unsigned_abs() as usize];
        if l > 0 { v } else { -v }
    }

    fn assign(&mut self, l: i32) {
        self.value[l.unsigned_abs() as usize] = if l > 0 { 1 } else { -1 };
        self.trail.push(l);
    }

    /// Adds a clause at the root and propagates.
    fn add(&mut self, clause: &[i32]) {
        if self.inconsistent {
            return;
        }
        let mut c: Vec<i32> = clause.to_vec();
        c.sort_unstable();
        c.dedup();
        // Non-false literals first, so that the watches are valid.
        c.sort_by_key(|&l| std::cmp::Reverse(self.lit_value(l)));
        let open = c.iter().filter(|&&l| self.lit_value(l) >= 0).count();
        if c.iter().any(|&l| self.lit_value(l) == 1) {
            // Satisfied at the root: keep it (it may matter after no
            // backtracking, but root assignments never change).
        } else if open == 0 {
            self.inconsistent = true;
            return;
        } else if open == 1 {
            self.assign(c[0]);
            if self.propagate() {
                self.inconsistent = true;
                return;
            }
        }
        if c.len() >= 2 {
            let i = self.clauses.len();
            self.watches[code(c[0])].push(i);
            self.watches[code(c[1])].push(i);
            self.clauses.push(c);
        }
    }

    /// Unit propagation from the trail head; true on a conflict.
    fn propagate(&mut self) -> bool {
        while self.head < self.trail.len() {
            let falsified = -self.trail[self.head];
            self.head += 1;
            let watching = std::mem::take(&mut self.watches[code(falsified)]);
            let mut keep = Vec::with_capacity(watching.len());
            let mut conflict = false;
            for (n, &ci) in watching.iter().enumerate() {
                if conflict {
                    keep.extend_from_slice(&watching[n..]);
                    break;
                }
                let c = &mut self.clauses[ci];
                if c[0] == falsified {
                    c.swap(0, 1);
                }
                let other = c[0];
                let other_value = {
                    let v = self.value[other.unsigned_abs() as usize];
                    if other > 0 { v } else { -v }
                };
                if other_value == 1 {
                    keep.push(ci);
                    continue;
                }
                // A new literal to watch?
                let mut moved = false;
                for j in 2..c.len() {
                    let l = c[j];
                    let v = self.value[l.unsigned_abs() as usize];
                    let v = if l > 0 { v } else { -v };
                    if v != -1 {
                        c.swap(1, j);
                        self.watches[code(c[1])].push(ci);
                        moved = true;
                        break;
                    }
                }
                if moved {
                    continue;
                }
                keep.push(ci);
                if other_value == -1 {
                    conflict = true;
                } else {
                    self.assign(other);
                }
            }
            self.watches[code(falsified)].extend(keep);
            if conflict {
                return true;
            }
        }
        false
    }

    /// True when assigning the negation of `lemma` propagates to a conflict
    /// (the lemma is a reverse-unit-propagation consequence).
    fn implies(&mut self, lemma: &[i32]) -> bool {
        let mark = self.trail.len();
        let mut conflict = false;
        for &l in lemma {
            match self.lit_value(l) {
                1 => {
                    conflict = true;
                    break;
                }
                -1 => {}
                _ => self.assign(-l),
            }
        }
        if !conflict {
            conflict = self.propagate();
        }
        for l in self.trail.drain(mark..) {
            self.value[l.unsigned_abs() as usize] = 0;
        }
        // The root was fully propagated before the check.
        self.head = mark;
        conflict
    }
}
