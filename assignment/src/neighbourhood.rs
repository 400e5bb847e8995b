//! Variable neighbourhood search for the weighted cost over the unit view
//! ([`crate::units`]): free a connected neighbourhood of `k` units, keep every
//! other unit at its best tuple, and solve the neighbourhood exactly by
//! depth-first branch and bound with a forward-checking lower bound (the cost
//! so far plus, for each open unit, its cheapest tuple given the units
//! already chosen and the fixed ones). A neighbourhood proved fruitless grows
//! `k`; one that runs out of nodes shrinks it; an improvement sets it back to
//! the smallest size (Mladenović and Hansen's VNS, 1997; neighbourhoods as in
//! Fontaine, Loudni and Boizumault's decomposition-guided VNS for weighted
//! CSPs, 2013, started at a violated constraint drawn by its cost).
//!
//! Deterministic for a given seed: steps are bounded by node counts, and the
//! clock only ends the search.

use std::collections::{BTreeSet, VecDeque};
use std::time::Instant;

use crate::units::{FORBIDDEN, Units};

/// Nodes one neighbourhood may visit before it is given up.
const NODE_LIMIT: u64 = 20_000;

/// The smallest and the largest neighbourhood, in units.
const K_MIN: usize = 4;
const K_MAX: usize = 60;

/// Fruitless neighbourhoods in a row that end a descent.
const STALL: u64 = 60;

/// Nodes the recombination of two assignments may visit.
const RECOMBINE_NODE_LIMIT: u64 = 10 * NODE_LIMIT;

/// A SplitMix64 generator: small, seeded, the same on every platform.
pub(crate) struct SplitMix(pub u64);

impl SplitMix {
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        usize::try_from(z % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// The branch and bound over one neighbourhood.
struct Bnb<'a> {
    units: &'a Units,
    /// The free units.
    free: Vec<usize>,
    /// Free-free edges per free unit: (local index of the other, edge).
    adj: Vec<Vec<(usize, &'a crate::units::Edge)>>,
    /// Per free unit and tuple: its unary cost, its cost with the fixed
    /// units and with the free units chosen so far.
    acc: Vec<Vec<u64>>,
    /// Directional arc consistency: for each free-free edge counted at its
    /// lower local index `i` (towards `j`), the cheapest cost of each tuple
    /// of `i` with any tuple of `j`, while both are open; `dac[i]` sums them.
    toward: Vec<Vec<(usize, Vec<u64>)>>,
    dac: Vec<Vec<u64>>,
    chosen: Vec<Option<usize>>,
    best: Option<Vec<usize>>,
    upper: u64,
    nodes: u64,
    limit: u64,
}

impl Bnb<'_> {
    /// The least cost of open unit `i` (its tuples' costs so far plus their
    /// directional counts).
    fn least(&self, i: usize) -> u64 {
        self.acc[i]
            .iter()
            .zip(&self.dac[i])
            .map(|(a, d)| a + d)
            .min()
            .unwrap_or(FORBIDDEN)
    }

    /// Sum over the open units of their least cost.
    fn rest(&self) -> u64 {
        (0..self.free.len())
            .filter(|&i| self.chosen[i].is_none())
            .map(|i| self.least(i))
            .sum()
    }

    /// Adds (or takes back) the cost of free unit `i` at tuple `t` to its
    /// open neighbours.
    fn spread(&mut self, i: usize, t: usize, add: bool) {
        let u = self.free[i];
        let mine = &self.units.tuples[u][t];
        for &(j, e) in &self.adj[i] {
            if self.chosen[j].is_some() {
                continue;
            }
            let v = self.free[j];
            for (tj, theirs) in self.units.tuples[v].iter().enumerate() {
                let c = e.cost(mine, theirs);
                if add {
                    self.acc[j][tj] += c;
                } else {
                    self.acc[j][tj] -= c;
                }
            }
            // The edge now counts in full at `j`: no longer directionally.
            if j < i
                && let Some((_, m)) = self.toward[j].iter().find(|(to, _)| *to == i)
            {
                for (d, x) in self.dac[j].iter_mut().zip(m) {
                    if add {
                        *d -= x;
                    } else {
                        *d += x;
                    }
                }
            }
        }
    }

    /// Depth first from a partial choice costing `so_far`; false when out of
    /// nodes.
    fn dfs(&mut self, so_far: u64) -> bool {
        self.nodes += 1;
        if self.nodes > self.limit {
            return false;
        }
        // The open unit with the fewest tuples that can still beat the
        // upper bound.
        let rest = self.rest();
        if so_far + rest >= self.upper {
            return true;
        }
        let mut pick: Option<(usize, usize)> = None;
        for i in 0..self.free.len() {
            if self.chosen[i].is_some() {
                continue;
            }
            let others = so_far + rest - self.least(i);
            let live = self.acc[i]
                .iter()
                .zip(&self.dac[i])
                .filter(|&(a, d)| others + a + d < self.upper)
                .count();
            if pick.is_none_or(|(_, n)| live < n) {
                pick = Some((i, live));
            }
        }
        let Some((i, _)) = pick else {
            // Every unit chosen: a strictly better neighbourhood.
            self.upper = so_far;
            self.best = Some(self.chosen.iter().map(|c| c.unwrap_or(0)).collect());
            return true;
        };
        let others = so_far + rest - self.least(i);
        let mut order: Vec<usize> = (0..self.acc[i].len()).collect();
        order.sort_by_key(|&t| self.acc[i][t] + self.dac[i][t]);
        for t in order {
            let c = self.acc[i][t];
            if others + c + self.dac[i][t] >= self.upper {
                break;
            }
            self.chosen[i] = Some(t);
            self.spread(i, t, true);
            let complete = self.dfs(so_far + c);
            self.spread(i, t, false);
            self.chosen[i] = None;
            if !complete {
                return false;
            }
        }
        true
    }
}

/// Solves the neighbourhood `free` exactly given the tuples `at` of the
/// others: a strictly cheaper choice for the free units (their tuples, in
/// the order of `free`) and the cost it saves, and whether the search was
/// complete (else it ran out of nodes).
fn solve_free(
    units: &Units,
    at: &[usize],
    free: &[usize],
    limit: u64,
) -> (Option<(Vec<usize>, u64)>, bool) {
    let mut local = vec![usize::MAX; units.members.len()];
    for (i, &u) in free.iter().enumerate() {
        local[u] = i;
    }
    let mut adj = vec![Vec::new(); free.len()];
    let mut acc = Vec::with_capacity(free.len());
    for (i, &u) in free.iter().enumerate() {
        let mut costs = units.unary[u].clone();
        for e in &units.edges[u] {
            if local[e.other] != usize::MAX {
                adj[i].push((local[e.other], e));
                continue;
            }
            let theirs = &units.tuples[e.other][at[e.other]];
            for (t, mine) in units.tuples[u].iter().enumerate() {
                costs[t] += e.cost(mine, theirs);
            }
        }
        acc.push(costs);
    }
    // The present cost of the neighbourhood: what must be beaten.
    let mut present = 0;
    for (i, &u) in free.iter().enumerate() {
        present += acc[i][at[u]];
        for &(j, e) in &adj[i] {
            if j > i {
                present += e.cost(&units.tuples[u][at[u]], &units.tuples[free[j]][at[free[j]]]);
            }
        }
    }
    let mut toward = vec![Vec::new(); free.len()];
    let mut dac = Vec::with_capacity(free.len());
    for (i, &u) in free.iter().enumerate() {
        let mut sum = vec![0; units.tuples[u].len()];
        for &(j, e) in adj[i].iter().filter(|(j, _)| *j > i) {
            let m: Vec<u64> = units.tuples[u]
                .iter()
                .map(|mine| {
                    units.tuples[free[j]]
                        .iter()
                        .map(|theirs| e.cost(mine, theirs))
                        .min()
                        .unwrap_or(0)
                })
                .collect();
            for (s, x) in sum.iter_mut().zip(&m) {
                *s += x;
            }
            toward[i].push((j, m));
        }
        dac.push(sum);
    }
    let mut bnb = Bnb {
        units,
        free: free.to_vec(),
        adj,
        acc,
        toward,
        dac,
        chosen: vec![None; free.len()],
        best: None,
        upper: present,
        nodes: 0,
        limit,
    };
    let complete = bnb.dfs(0);
    let upper = bnb.upper;
    (
        bnb.best.map(|b| (b, present.saturating_sub(upper))),
        complete,
    )
}

/// A connected neighbourhood of up to `k` units grown breadth first (in a
/// shuffled order) from `start`.
fn grow(units: &Units, start: &[usize], k: usize, rng: &mut SplitMix) -> Vec<usize> {
    let mut free = BTreeSet::new();
    let mut queue: VecDeque<usize> = start.iter().copied().collect();
    while let Some(u) = queue.pop_front() {
        if free.len() >= k {
            break;
        }
        if !free.insert(u) {
            continue;
        }
        let mut next: Vec<usize> = units.edges[u].iter().map(|e| e.other).collect();
        for i in (1..next.len()).rev() {
            next.swap(i, rng.below(i + 1));
        }
        queue.extend(next.into_iter().filter(|n| !free.contains(n)));
    }
    free.into_iter().collect()
}

/// The units of a violated cost function drawn with a chance proportional
/// to its cost, or a random unit (one time in four, or when none is
/// violated).
fn start(units: &Units, at: &[usize], rng: &mut SplitMix) -> Vec<usize> {
    let n = units.members.len();
    if rng.below(4) == 0 {
        return vec![rng.below(n)];
    }
    let mut violated: Vec<(usize, usize, u64)> = Vec::new();
    for u in 0..n {
        for e in units.edges[u].iter().filter(|e| e.other > u) {
            let c = e.cost(&units.tuples[u][at[u]], &units.tuples[e.other][at[e.other]]);
            if c > 0 {
                violated.push((u, e.other, c));
            }
        }
    }
    let total: u64 = violated.iter().map(|v| v.2).sum();
    if total == 0 {
        return vec![rng.below(n)];
    }
    let mut draw = rng.below(usize::try_from(total).unwrap_or(usize::MAX)) as u64;
    for &(u, v, c) in &violated {
        if draw < c {
            return vec![u, v];
        }
        draw -= c;
    }
    vec![rng.below(n)]
}

/// One descent from `at`: neighbourhood steps until [`STALL`] of them in a
/// row bring nothing, the deadline passes or the cost is at most `floor`.
/// Returns the cost.
fn descend(
    units: &Units,
    at: &mut [usize],
    mut cost: u64,
    rng: &mut SplitMix,
    deadline: Instant,
    floor: u64,
) -> u64 {
    let n = units.members.len();
    let mut k = K_MIN.min(n);
    let mut idle = 0;
    while idle < STALL && cost > floor && Instant::now() < deadline {
        let first = start(units, at, rng);
        let free = grow(units, &first, k, rng);
        let (better, complete) = solve_free(units, at, &free, NODE_LIMIT);
        if let Some((tuples, saved)) = better {
            for (&u, t) in free.iter().zip(tuples) {
                at[u] = t;
            }
            cost -= saved;
            idle = 0;
            k = K_MIN.min(n);
        } else {
            idle += 1;
            k = if complete {
                (k + 1).min(K_MAX).min(n)
            } else {
                k.saturating_sub(1).max(K_MIN.min(n))
            };
        }
    }
    cost
}

/// The better of two assignments with the units where they differ solved
/// exactly around it (when there are at most [`K_MAX`] of them).
fn recombine(units: &Units, one: (u64, &[usize]), two: (u64, &[usize])) -> (u64, Vec<usize>) {
    let ((mut low, base), other) = if one.0 <= two.0 {
        (one, two.1)
    } else {
        (two, one.1)
    };
    let mut base = base.to_vec();
    let differ: Vec<usize> = (0..base.len()).filter(|&u| base[u] != other[u]).collect();
    if !differ.is_empty()
        && differ.len() <= K_MAX
        && let (Some((tuples, saved)), _) = solve_free(units, &base, &differ, RECOMBINE_NODE_LIMIT)
    {
        for (&u, t) in differ.iter().zip(tuples) {
            base[u] = t;
        }
        low -= saved;
    }
    (low, base)
}

/// Improves the tuples `at` (cost `cost`) until `deadline` or until the cost
/// is at most `floor`; `on_better` hears each new cost. Returns the cost.
///
/// Descents restart from `at` as given, each with its own random stream;
/// each result is recombined with the best so far, which is kept. (Keeping
/// the best eight for recombination instead found nothing better on scen06
/// over four seeds, and cost time.)
pub(crate) fn improve(
    units: &Units,
    at: &mut [usize],
    cost: u64,
    deadline: Instant,
    seed: u64,
    floor: u64,
    on_better: &mut dyn FnMut(u64),
) -> u64 {
    let origin = at.to_vec();
    let mut best = cost;
    let mut round = 0u64;
    while !units.members.is_empty() && best > floor && Instant::now() < deadline {
        let mut rng = SplitMix(seed.wrapping_add(round.wrapping_mul(0x2545_F491_4F6C_DD1D)));
        round += 1;
        let mut trial = origin.clone();
        let reached = descend(units, &mut trial, cost, &mut rng, deadline, floor);
        let (low, child) = recombine(units, (reached, &trial), (best, at));
        if low < best {
            best = low;
            at.copy_from_slice(&child);
            on_better(best);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::time::Duration;

    use super::*;
    use crate::check::check;
    use crate::units::tests::{every_assignment, small};

    /// The least cost of any feasible assignment, by brute force, and one
    /// feasible assignment of the highest cost.
    fn brute_force() -> (u64, Vec<usize>) {
        let inst = small();
        let units = Units::build(&inst).unwrap();
        let mut low = u64::MAX;
        let mut worst = (0, Vec::new());
        for values in every_assignment(&inst) {
            let report = check(&inst, &values).unwrap();
            if !report.feasible() {
                continue;
            }
            low = low.min(report.cost);
            if report.cost > worst.0 {
                worst = (report.cost, units.locate(&values).unwrap());
            }
        }
        assert!(
            worst.0 > low,
            "the small instance must leave room to improve"
        );
        (low, worst.1)
    }

    #[test]
    fn a_neighbourhood_of_every_unit_is_solved_to_the_optimum() {
        let (low, worst) = brute_force();
        let units = Units::build(&small()).unwrap();
        let all: Vec<usize> = (0..units.members.len()).collect();
        let from = units.cost(&worst);
        let (better, complete) = solve_free(&units, &worst, &all, NODE_LIMIT);
        assert!(complete);
        let (tuples, saved) = better.unwrap();
        assert_eq!(from - saved, low);
        assert_eq!(units.cost(&tuples), low);
        // From the optimum nothing strictly better exists, and that is proved.
        let (better, complete) = solve_free(&units, &tuples, &all, NODE_LIMIT);
        assert!(better.is_none() && complete);
        // Out of nodes: not complete.
        let (_, complete) = solve_free(&units, &worst, &all, 1);
        assert!(!complete);
    }

    #[test]
    fn improve_reaches_the_optimum_and_reports_each_better_cost() {
        let (low, worst) = brute_force();
        let units = Units::build(&small()).unwrap();
        let mut at = worst.clone();
        let mut heard = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(5);
        let reached = improve(
            &units,
            &mut at,
            units.cost(&worst),
            deadline,
            7,
            low,
            &mut |c| heard.push(c),
        );
        assert_eq!(reached, low);
        assert_eq!(units.cost(&at), low);
        assert_eq!(heard.last(), Some(&low));
        assert!(heard.windows(2).all(|w| w[1] < w[0]), "{heard:?}");
        // The same seed gives the same answers.
        let mut again = worst.clone();
        let mut heard_again = Vec::new();
        improve(
            &units,
            &mut again,
            units.cost(&worst),
            deadline + Duration::from_secs(5),
            7,
            low,
            &mut |c| heard_again.push(c),
        );
        assert_eq!((again, heard_again), (at, heard));
    }
}
