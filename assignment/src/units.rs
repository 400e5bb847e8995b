//! The weighted-cost problem as a weighted CSP over *units*: the links joined
//! by hard `=` constraints (the duplex pairs) become one unit whose values are
//! the tuples that satisfy every hard constraint inside it; the constraints
//! between two units become one cost function (a violated hard constraint
//! forbids, a violated soft one costs `a_weight`); the soft constraints inside
//! a unit and the change costs of mobile links (`b_mobility`) become unary
//! costs. Merging the duplex pairs halves the CELAR instances, as in Koster's
//! preprocessing (A. Koster, *Frequency assignment: models and algorithms*,
//! PhD thesis, Maastricht 1999, ch. 5).
//!
//! The cost of an assignment here equals the checker's weighted cost
//! ([`crate::check`]); the neighbourhood search ([`crate::neighbourhood`])
//! works on this view.

use std::collections::BTreeMap;

use crate::instance::{Instance, Op};

/// The cost of a forbidden pair of tuples (a violated hard constraint); sums
/// of many stay far from overflow.
pub(crate) const FORBIDDEN: u64 = 1 << 40;

/// Units with more tuples than this are not merged (the view is not built).
const MAX_TUPLES: usize = 4_096;

/// One constraint between two units: the positions of its links in each, the
/// relation, the distance and the cost of a violation.
#[derive(Debug, Clone, Copy)]
struct Link {
    at_self: usize,
    at_other: usize,
    op: Op,
    k: u32,
    cost: u64,
}

/// The cost function between a unit and a neighbouring unit.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    /// The neighbouring unit.
    pub other: usize,
    links: Vec<Link>,
}

/// The weighted CSP over units.
#[derive(Debug, Clone)]
pub(crate) struct Units {
    /// The link ids of each unit.
    pub members: Vec<Vec<u32>>,
    /// Each unit's tuples of values (aligned with `members`).
    pub tuples: Vec<Vec<Vec<u32>>>,
    /// Each unit's unary cost per tuple.
    pub unary: Vec<Vec<u64>>,
    /// Each unit's cost functions with its neighbours.
    pub edges: Vec<Vec<Edge>>,
}

impl Edge {
    /// The cost of tuple `mine` of this unit beside tuple `theirs` of the
    /// neighbour.
    pub fn cost(&self, mine: &[u32], theirs: &[u32]) -> u64 {
        let mut total = 0;
        for l in &self.links {
            let d = mine[l.at_self].abs_diff(theirs[l.at_other]);
            let holds = match l.op {
                Op::Gt => d > l.k,
                Op::Eq => d == l.k,
            };
            if !holds {
                total += l.cost;
            }
        }
        total
    }
}

/// A small union-find over indices.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

impl Units {
    /// The view of `inst`, or None when a unit would have more than
    /// [`MAX_TUPLES`] tuples or none at all (then the instance is left to
    /// the constraint solver alone).
    pub fn build(inst: &Instance) -> Option<Self> {
        let index: BTreeMap<u32, usize> = inst
            .variables
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id, i))
            .collect();
        let n = inst.variables.len();
        let mut parent: Vec<usize> = (0..n).collect();
        for c in &inst.constraints {
            if c.op == Op::Eq && c.weight == 0 {
                let (a, b) = (index[&c.x], index[&c.y]);
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra] = rb;
            }
        }
        // Units in the order of their first link.
        let mut unit_of_root: BTreeMap<usize, usize> = BTreeMap::new();
        let mut place: Vec<(usize, usize)> = vec![(0, 0); n];
        let mut members: Vec<Vec<u32>> = Vec::new();
        for (i, v) in inst.variables.iter().enumerate() {
            let r = root(&mut parent, i);
            let u = *unit_of_root.entry(r).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            place[i] = (u, members[u].len());
            members[u].push(v.id);
        }
        let values: Vec<Vec<u32>> = inst
            .variables
            .iter()
            .map(|v| match v.initial {
                Some((value, 0)) => vec![value],
                _ => inst.domains.get(&v.domain).cloned().unwrap_or_default(),
            })
            .collect();
        // Constraints inside a unit (hard: tuple filter; soft: unary) and
        // between units (edges).
        let mut inside: Vec<Vec<(usize, usize, crate::instance::Constraint)>> =
            vec![Vec::new(); members.len()];
        let mut between: BTreeMap<(usize, usize), Vec<Link>> = BTreeMap::new();
        for c in &inst.constraints {
            let ((ux, px), (uy, py)) = (place[index[&c.x]], place[index[&c.y]]);
            let cost = match c.weight {
                0 => FORBIDDEN,
                w => inst.a[usize::from(w - 1)],
            };
            if ux == uy {
                inside[ux].push((px, py, *c));
            } else {
                let (a, b, pa, pb) = if ux < uy {
                    (ux, uy, px, py)
                } else {
                    (uy, ux, py, px)
                };
                between.entry((a, b)).or_default().push(Link {
                    at_self: pa,
                    at_other: pb,
                    op: c.op,
                    k: c.k,
                    cost,
                });
            }
        }
        let mut tuples = Vec::with_capacity(members.len());
        let mut unary = Vec::with_capacity(members.len());
        for (u, links) in members.iter().enumerate() {
            let idx: Vec<usize> = links.iter().map(|id| index[id]).collect();
            let all = enumerate(&idx, &values, &inside[u])?;
            let costs = all
                .iter()
                .map(|t| {
                    let soft: u64 = inside[u]
                        .iter()
                        .filter(|(px, py, c)| c.weight > 0 && !c.holds(t[*px], t[*py]))
                        .map(|(_, _, c)| inst.a[usize::from(c.weight - 1)])
                        .sum();
                    let moved: u64 = idx
                        .iter()
                        .zip(t)
                        .filter_map(|(&i, &value)| match inst.variables[i].initial {
                            Some((initial, m @ 1..=4)) if initial != value => {
                                Some(inst.b[usize::from(m - 1)])
                            }
                            _ => None,
                        })
                        .sum();
                    soft + moved
                })
                .collect();
            tuples.push(all);
            unary.push(costs);
        }
        let mut edges: Vec<Vec<Edge>> = vec![Vec::new(); members.len()];
        for ((a, b), links) in between {
            let flipped = links
                .iter()
                .map(|l| Link {
                    at_self: l.at_other,
                    at_other: l.at_self,
                    ..*l
                })
                .collect();
            edges[a].push(Edge { other: b, links });
            edges[b].push(Edge {
                other: a,
                links: flipped,
            });
        }
        Some(Self {
            members,
            tuples,
            unary,
            edges,
        })
    }

    /// The tuple index of each unit in `values` (link id → value), or None
    /// when some unit's values are not one of its tuples.
    pub fn locate(&self, values: &BTreeMap<u32, u32>) -> Option<Vec<usize>> {
        self.members
            .iter()
            .zip(&self.tuples)
            .map(|(links, tuples)| {
                let wanted: Vec<u32> = links
                    .iter()
                    .map(|id| values.get(id).copied())
                    .collect::<Option<_>>()?;
                tuples.iter().position(|t| *t == wanted)
            })
            .collect()
    }

    /// Link id → value of the tuples chosen in `at`.
    pub fn values(&self, at: &[usize]) -> BTreeMap<u32, u32> {
        let mut out = BTreeMap::new();
        for (u, &t) in at.iter().enumerate() {
            for (id, value) in self.members[u].iter().zip(&self.tuples[u][t]) {
                out.insert(*id, *value);
            }
        }
        out
    }

    /// The total cost of the tuples chosen in `at`.
    pub fn cost(&self, at: &[usize]) -> u64 {
        let mut total = 0;
        for (u, &t) in at.iter().enumerate() {
            total += self.unary[u][t];
            for e in self.edges[u].iter().filter(|e| e.other > u) {
                total += e.cost(&self.tuples[u][t], &self.tuples[e.other][at[e.other]]);
            }
        }
        total
    }
}

/// Every tuple of values for the links `idx` that satisfies the hard
/// constraints among them; None when there are none or too many.
fn enumerate(
    idx: &[usize],
    values: &[Vec<u32>],
    inside: &[(usize, usize, crate::instance::Constraint)],
) -> Option<Vec<Vec<u32>>> {
    let mut out: Vec<Vec<u32>> = vec![Vec::new()];
    for (pos, &i) in idx.iter().enumerate() {
        let mut next = Vec::new();
        for t in &out {
            for &v in &values[i] {
                let ok = inside.iter().all(|(px, py, c)| {
                    if c.weight > 0 {
                        return true;
                    }
                    match (*px == pos, *py == pos) {
                        (true, true) => c.holds(v, v),
                        (true, false) if *py < pos => c.holds(v, t[*py]),
                        (false, true) if *px < pos => c.holds(t[*px], v),
                        _ => true,
                    }
                });
                if ok {
                    let mut grown = t.clone();
                    grown.push(v);
                    next.push(grown);
                    if next.len() > MAX_TUPLES {
                        return None;
                    }
                }
            }
        }
        out = next;
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::check::check;
    use crate::instance::{Constraint, Variable};

    fn ctr(x: u32, y: u32, op: Op, k: u32, weight: u8) -> Constraint {
        Constraint {
            x,
            y,
            kind: 'C',
            op,
            k,
            weight,
        }
    }

    /// Five links: a duplex pair (1, 2) with a soft constraint inside it, a
    /// mobile link 3, a fixed link 4, a free link 5; hard and soft
    /// constraints of every weight between them.
    pub(crate) fn small() -> Instance {
        let free = |id| Variable {
            id,
            domain: 1,
            initial: None,
        };
        Instance {
            name: "small".into(),
            domains: BTreeMap::from([(1, vec![10, 20, 30, 248, 258, 268])]),
            variables: vec![
                free(1),
                free(2),
                Variable {
                    id: 3,
                    domain: 1,
                    initial: Some((20, 2)),
                },
                Variable {
                    id: 4,
                    domain: 1,
                    initial: Some((30, 0)),
                },
                free(5),
            ],
            constraints: vec![
                ctr(1, 2, Op::Eq, 238, 0),
                ctr(1, 2, Op::Gt, 238, 4),
                ctr(1, 3, Op::Gt, 10, 1),
                ctr(2, 4, Op::Gt, 230, 2),
                ctr(3, 4, Op::Gt, 5, 0),
                ctr(3, 5, Op::Gt, 15, 3),
                ctr(5, 1, Op::Gt, 0, 4),
                ctr(5, 4, Op::Gt, 220, 2),
            ],
            criterion: None,
            a: [1000, 100, 10, 1],
            b: [500, 50, 5, 0],
        }
    }

    /// Every assignment of the five links' values, as id → value maps.
    pub(crate) fn every_assignment(inst: &Instance) -> Vec<BTreeMap<u32, u32>> {
        let values = &inst.domains[&1];
        let mut out = vec![BTreeMap::new()];
        for v in &inst.variables {
            out = out
                .into_iter()
                .flat_map(|m| {
                    values.iter().map(move |&x| {
                        let mut m = m.clone();
                        m.insert(v.id, x);
                        m
                    })
                })
                .collect();
        }
        out
    }

    #[test]
    fn units_merge_the_duplex_pair_and_cost_as_the_checker() {
        let inst = small();
        let units = Units::build(&inst).unwrap();
        assert_eq!(units.members, vec![vec![1, 2], vec![3], vec![4], vec![5]]);
        // The pair's tuples keep |f1 − f2| = 238; the fixed link has one.
        assert!(units.tuples[0].iter().all(|t| t[0].abs_diff(t[1]) == 238));
        assert_eq!(units.tuples[0].len(), 6);
        assert_eq!(units.tuples[2], vec![vec![30]]);
        // The soft constraint inside the pair is always violated: a4 = 1.
        assert!(units.unary[0].iter().all(|&c| c == 1));
        let (mut feasible, mut forbidden) = (0, 0);
        for values in every_assignment(&inst) {
            let report = check(&inst, &values).unwrap();
            let at = units.locate(&values);
            let inside_ok = values[&1].abs_diff(values[&2]) == 238 && values[&4] == 30;
            assert_eq!(at.is_some(), inside_ok, "{values:?}");
            let Some(at) = at else { continue };
            assert_eq!(units.values(&at), values);
            if report.feasible() {
                feasible += 1;
                assert_eq!(units.cost(&at), report.cost, "{values:?}");
            } else {
                forbidden += 1;
                assert!(units.cost(&at) >= FORBIDDEN, "{values:?}");
            }
        }
        assert!(feasible > 10 && forbidden > 10, "{feasible} {forbidden}");
    }

    #[test]
    fn units_too_many_tuples_or_none_are_not_built() {
        let mut inst = small();
        // No value of link 1 has a partner 238 away: no tuple.
        inst.domains.insert(2, vec![10, 20]);
        inst.variables[0].domain = 2;
        inst.variables[1].domain = 2;
        assert!(Units::build(&inst).is_none());
        // A duplex pair over 3 000 channels with a spacing of 10: about
        // 6 000 tuples, over the cap; over 1 000 channels it is built.
        for (channels, built) in [(3_000, false), (1_000, true)] {
            let mut inst = small();
            inst.domains.insert(3, (1..=channels).collect());
            for v in &mut inst.variables {
                v.domain = 3;
                v.initial = None;
            }
            inst.constraints = vec![ctr(1, 2, Op::Eq, 10, 0)];
            assert_eq!(Units::build(&inst).is_some(), built, "{channels}");
        }
    }
}
