//! How far one coverage map is from another of the same grid, cell by cell
//! (the radial mode of a model against its exact mode): the distribution of
//! the absolute loss differences and the worst cell.

use super::CoverageMap;

/// Distribution of `|loss_a − loss_b|` over the cells both maps computed.
#[derive(Debug, Clone, PartialEq)]
pub struct MapDeviation {
    /// Cells compared (a value in both maps).
    pub cells: usize,
    /// Cells valued in one map only.
    pub unmatched: usize,
    /// Share of the compared cells within 0.1 dB.
    pub within_0_1_db: f64,
    /// Share of the compared cells that are equal (same `f32`).
    pub equal: f64,
    /// 99th and 99.9th percentiles of the difference, dB.
    pub p99_db: f64,
    /// 99.9th percentile, dB.
    pub p99_9_db: f64,
    /// Largest difference, dB, and its cell (row, column).
    pub worst_db: f64,
    /// The cell of the largest difference.
    pub worst_cell: (usize, usize),
}

/// Compares the loss of two maps of the same grid; `None` when the grids
/// differ.
///
/// ```
/// # use spectrum_core::coverage::{compare::deviation, CoverageMap};
/// # fn demo(a: &CoverageMap) {
/// let d = deviation(a, a).unwrap();
/// assert_eq!(d.worst_db, 0.0);
/// # }
/// ```
pub fn deviation(a: &CoverageMap, b: &CoverageMap) -> Option<MapDeviation> {
    if a.grid != b.grid || a.loss_db.len() != b.loss_db.len() {
        return None;
    }
    let mut diffs = Vec::with_capacity(a.loss_db.len());
    let (mut unmatched, mut equal) = (0, 0);
    let (mut worst_db, mut worst_idx) = (0.0f64, 0);
    for (i, (&x, &y)) in a.loss_db.iter().zip(&b.loss_db).enumerate() {
        match (x.is_nan(), y.is_nan()) {
            (true, true) => {}
            (false, false) => {
                let d = (f64::from(x) - f64::from(y)).abs();
                equal += usize::from(x == y);
                if d > worst_db {
                    (worst_db, worst_idx) = (d, i);
                }
                diffs.push(d);
            }
            _ => unmatched += 1,
        }
    }
    let cells = diffs.len();
    diffs.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        let k = ((q * cells as f64).ceil() as usize).clamp(1, cells.max(1)) - 1;
        diffs.get(k).copied().unwrap_or(0.0)
    };
    let share = |n: usize| {
        if cells == 0 {
            1.0
        } else {
            n as f64 / cells as f64
        }
    };
    let width = a.grid.width.max(1);
    Some(MapDeviation {
        cells,
        unmatched,
        within_0_1_db: share(diffs.partition_point(|&d| d <= 0.1)),
        equal: share(equal),
        p99_db: quantile(0.99),
        p99_9_db: quantile(0.999),
        worst_db,
        worst_cell: (worst_idx / width, worst_idx % width),
    })
}
