//! A move list as Arrow record batches (in the style of [`crate::tables`]).

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array};

use super::MoveList;
use crate::error::InterferenceError;
use crate::tables::{batch, finite};

/// One row per candidate, in register order: `id, index, moved,
/// worst_point, worst_lo_hz, median_dbm` (the median contribution at the
/// constraint where it is highest; null when the candidate couples nowhere).
///
/// ```
/// use interference::movelist::{MoveListConfig, ProtectionPoint, assignments_batch, move_list};
/// let a = stations::model::Assignment::example("a", 460_000_000, "12K5F3E");
/// let register = stations::register::Register::new(vec![a]);
/// let p = ProtectionPoint::isotropic(42.9, 74.57, 10.0);
/// let mut cfg = MoveListConfig::new((460_000_000, 460_100_000), -200.0);
/// cfg.draws = 50;
/// let ml = move_list(&spectrum_core::coverage::FreeSpace, &register, &[p], &cfg)?;
/// let b = assignments_batch(&ml)?;
/// assert_eq!((b.num_rows(), b.num_columns()), (1, 6));
/// # Ok::<(), interference::InterferenceError>(())
/// ```
pub fn assignments_batch(ml: &MoveList) -> Result<RecordBatch, InterferenceError> {
    let c = &ml.candidates;
    batch(vec![
        (
            "id",
            Arc::new(StringArray::from_iter_values(
                c.iter().map(|x| x.id.as_str()),
            )),
        ),
        (
            "index",
            Arc::new(UInt64Array::from_iter_values(
                c.iter().map(|x| x.index as u64),
            )),
        ),
        (
            "moved",
            Arc::new(BooleanArray::from(
                c.iter().map(|x| x.moved).collect::<Vec<_>>(),
            )),
        ),
        (
            "worst_point",
            Arc::new(UInt64Array::from(
                c.iter()
                    .map(|x| x.worst_point.map(|p| p as u64))
                    .collect::<Vec<_>>(),
            )),
        ),
        (
            "worst_lo_hz",
            Arc::new(UInt64Array::from(
                c.iter().map(|x| x.worst_lo_hz).collect::<Vec<_>>(),
            )),
        ),
        (
            "median_dbm",
            Arc::new(Float64Array::from(
                c.iter().map(|x| finite(x.median_dbm)).collect::<Vec<_>>(),
            )),
        ),
    ])
}

/// One row per constraint (point × channel): `point, lo_hz, hi_hz,
/// threshold_dbm, candidates, moved, before_dbm, after_dbm, margin_db`
/// (aggregates and margin null when infinite).
pub fn constraints_batch(ml: &MoveList) -> Result<RecordBatch, InterferenceError> {
    let c = &ml.constraints;
    let u = |g: &dyn Fn(&super::ConstraintResult) -> u64| -> ArrayRef {
        Arc::new(UInt64Array::from_iter_values(c.iter().map(g)))
    };
    let f = |g: &dyn Fn(&super::ConstraintResult) -> f64| -> ArrayRef {
        Arc::new(Float64Array::from(
            c.iter().map(|x| finite(g(x))).collect::<Vec<_>>(),
        ))
    };
    batch(vec![
        ("point", u(&|x| x.point as u64)),
        ("lo_hz", u(&|x| x.lo_hz)),
        ("hi_hz", u(&|x| x.hi_hz)),
        ("threshold_dbm", f(&|x| x.threshold_dbm)),
        ("candidates", u(&|x| x.candidates as u64)),
        ("moved", u(&|x| x.moved as u64)),
        ("before_dbm", f(&|x| x.before_dbm)),
        ("after_dbm", f(&|x| x.after_dbm)),
        ("margin_db", f(&|x| x.margin_db)),
    ])
}
