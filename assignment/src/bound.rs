//! Lower bounds that prove optimality without the solver.
//!
//! **Fewest distinct values.** Two links joined by a hard constraint
//! `|f_x − f_y| > k` (any `k ≥ 0`) or `|f_x − f_y| = k` (`k > 0`) must take
//! different values, so the links of a clique of that "must differ" graph
//! use as many distinct values as the clique has links: its size is a lower
//! bound on the criterion, and an assignment reaching it is optimal. The
//! clique is returned so that anyone can verify the bound (every pair of its
//! links is constrained) without trusting the search that found it.
//!
//! The search is a branch and bound over the vertices in degeneracy order
//! with a greedy colouring bound (Tomita and Seki's MCQ, 2003), stopped after
//! a node budget; the largest clique found so far stands (still a valid
//! bound, possibly not the largest).

use std::collections::{BTreeMap, BTreeSet};

use crate::instance::{Instance, Op};

/// The "must differ" graph: adjacency sets over variable ids.
pub fn differ_graph(inst: &Instance) -> BTreeMap<u32, BTreeSet<u32>> {
    let mut g: BTreeMap<u32, BTreeSet<u32>> = inst
        .variables
        .iter()
        .map(|v| (v.id, BTreeSet::new()))
        .collect();
    for c in inst.constraints.iter().filter(|c| c.weight == 0) {
        let differ = match c.op {
            Op::Gt => true,
            Op::Eq => c.k > 0,
        };
        if differ && c.x != c.y {
            g.entry(c.x).or_default().insert(c.y);
            g.entry(c.y).or_default().insert(c.x);
        }
    }
    g
}

/// A large clique of the "must differ" graph (variable ids, ascending):
/// a lower bound on the number of distinct values. `node_budget` bounds the
/// branch and bound.
///
/// ```
/// use assignment::instance::{Constraint, Instance, Op, Variable};
/// let mut inst = Instance::default();
/// inst.domains.insert(0, vec![1, 2, 3, 4]);
/// for id in 1..=4 { inst.variables.push(Variable { id, domain: 0, initial: None }); }
/// for (x, y) in [(1, 2), (2, 3), (1, 3), (3, 4)] {
///     inst.constraints.push(Constraint { x, y, kind: 'C', op: Op::Gt, k: 0, weight: 0 });
/// }
/// assert_eq!(assignment::bound::clique(&inst, 100_000), vec![1, 2, 3]);
/// ```
pub fn clique(inst: &Instance, node_budget: u64) -> Vec<u32> {
    let g = differ_graph(inst);
    let ids: Vec<u32> = g.keys().copied().collect();
    let index: BTreeMap<u32, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let adj: Vec<Vec<bool>> = ids
        .iter()
        .map(|id| {
            let mut row = vec![false; ids.len()];
            for n in &g[id] {
                row[index[n]] = true;
            }
            row
        })
        .collect();
    // Vertices by decreasing degree (ties by id): a good first order.
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(g[&ids[i]].len()), i));
    let mut search = Search {
        adj: &adj,
        best: Vec::new(),
        nodes: 0,
        budget: node_budget,
    };
    search.expand(&mut Vec::new(), order);
    let mut out: Vec<u32> = search.best.iter().map(|&i| ids[i]).collect();
    out.sort_unstable();
    out
}

struct Search<'a> {
    adj: &'a [Vec<bool>],
    best: Vec<usize>,
    nodes: u64,
    budget: u64,
}

impl Search<'_> {
    /// Greedy colouring of `cands` (in order); returns the vertices sorted by
    /// colour and each one's colour number (an upper bound on the clique size
    /// among it and the vertices before it).
    fn colour(&self, cands: &[usize]) -> (Vec<usize>, Vec<usize>) {
        let mut classes: Vec<Vec<usize>> = Vec::new();
        for &v in cands {
            match classes
                .iter_mut()
                .find(|class| class.iter().all(|&u| !self.adj[v][u]))
            {
                Some(class) => class.push(v),
                None => classes.push(vec![v]),
            }
        }
        let mut verts = Vec::with_capacity(cands.len());
        let mut colours = Vec::with_capacity(cands.len());
        for (c, class) in classes.iter().enumerate() {
            for &v in class {
                verts.push(v);
                colours.push(c + 1);
            }
        }
        (verts, colours)
    }

    fn expand(&mut self, current: &mut Vec<usize>, cands: Vec<usize>) {
        let (verts, colours) = self.colour(&cands);
        for i in (0..verts.len()).rev() {
            if self.nodes >= self.budget || current.len() + colours[i] <= self.best.len() {
                return;
            }
            self.nodes += 1;
            let v = verts[i];
            current.push(v);
            let next: Vec<usize> = verts[..i]
                .iter()
                .copied()
                .filter(|&u| self.adj[v][u])
                .collect();
            if next.is_empty() {
                if current.len() > self.best.len() {
                    self.best = current.clone();
                }
            } else {
                self.expand(current, next);
            }
            current.pop();
        }
    }
}

/// True when every pair of `clique` is joined in the "must differ" graph of
/// `inst`: the independent check of a clique bound.
pub fn is_clique(inst: &Instance, clique: &[u32]) -> bool {
    let g = differ_graph(inst);
    clique.iter().enumerate().all(|(i, a)| {
        clique[i + 1..]
            .iter()
            .all(|b| g.get(a).is_some_and(|n| n.contains(b)))
    })
}
