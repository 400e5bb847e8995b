//! Results of interference studies as Arrow record batches (written by the
//! one sink of `tabular`, CSV or Parquet by extension).

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow::datatypes::{Field, Schema};

use crate::aggregate::Report;
use crate::error::InterferenceError;

/// A record batch of named columns (every field nullable).
pub(crate) fn batch(columns: Vec<(&str, ArrayRef)>) -> Result<RecordBatch, InterferenceError> {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    let arrays = columns.into_iter().map(|(_, a)| a).collect();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}

/// Finite values as they are; −∞ / +∞ (nothing reaches the victim) as null.
pub(crate) fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// One row per victim: `victim_id, i_dbm, n_dbm, i_over_n_db,
/// protection_i_n_db, margin_db, n_interferers, worst_interferer_id,
/// worst_i_dbm, top_interferers (`id:dBm` of the strongest, space-separated),
/// wanted_id, c_dbm, c_over_i_db, c_over_n_plus_i_db,
/// failed_paths` (I, I/N and the margin are null when no interferer reaches
/// the victim; C and its ratios when the victim has no known wanted link).
pub fn victims_batch(report: &Report) -> Result<RecordBatch, InterferenceError> {
    let v = &report.victims;
    let f = |g: &dyn Fn(&crate::aggregate::VictimResult) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from(v.iter().map(g).collect::<Vec<_>>()))
    };
    batch(vec![
        (
            "victim_id",
            Arc::new(StringArray::from_iter_values(
                v.iter().map(|x| x.victim_id.as_str()),
            )),
        ),
        ("i_dbm", f(&|x| finite(x.i_dbm))),
        ("n_dbm", f(&|x| Some(x.n_dbm))),
        ("i_over_n_db", f(&|x| finite(x.i_over_n_db))),
        ("protection_i_n_db", f(&|x| Some(x.protection_i_n_db))),
        ("margin_db", f(&|x| finite(x.margin_db))),
        (
            "n_interferers",
            Arc::new(UInt64Array::from_iter_values(
                v.iter().map(|x| x.n_interferers as u64),
            )),
        ),
        (
            "worst_interferer_id",
            Arc::new(StringArray::from(
                v.iter()
                    .map(|x| x.worst_interferer_id.as_deref())
                    .collect::<Vec<_>>(),
            )),
        ),
        ("worst_i_dbm", f(&|x| x.worst_i_dbm)),
        (
            "top_interferers",
            Arc::new(StringArray::from_iter_values(v.iter().map(|x| {
                x.top
                    .iter()
                    .map(|(id, dbm)| format!("{id}:{dbm:.2}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            }))),
        ),
        (
            "wanted_id",
            Arc::new(StringArray::from(
                v.iter().map(|x| x.wanted_id.as_deref()).collect::<Vec<_>>(),
            )),
        ),
        ("c_dbm", f(&|x| x.c_dbm)),
        ("c_over_i_db", f(&|x| x.c_over_i_db)),
        ("c_over_n_plus_i_db", f(&|x| x.c_over_n_plus_i_db)),
        (
            "failed_paths",
            Arc::new(UInt64Array::from_iter_values(
                v.iter().map(|x| x.failed_paths as u64),
            )),
        ),
    ])
}

/// One row per contributing pair: `victim_id, interferer_id, distance_km,
/// path_loss_db, fdr_db, i_dbm`.
pub fn contributions_batch(report: &Report) -> Result<RecordBatch, InterferenceError> {
    let c = &report.contributions;
    let f = |g: &dyn Fn(&crate::aggregate::Contribution) -> f64| -> ArrayRef {
        Arc::new(Float64Array::from_iter_values(c.iter().map(g)))
    };
    batch(vec![
        (
            "victim_id",
            Arc::new(StringArray::from_iter_values(
                c.iter().map(|x| x.victim_id.as_str()),
            )),
        ),
        (
            "interferer_id",
            Arc::new(StringArray::from_iter_values(
                c.iter().map(|x| x.interferer_id.as_str()),
            )),
        ),
        ("distance_km", f(&|x| x.distance_km)),
        ("path_loss_db", f(&|x| x.path_loss_db)),
        ("fdr_db", f(&|x| x.fdr_db)),
        ("i_dbm", f(&|x| x.i_dbm)),
    ])
}
