//! The pairs an interference study says must not share a channel: from the
//! per-pair contributions of `spectra interference aggregate
//! --contributions` (columns `victim_id`, `interferer_id`, `i_dbm`,
//! `fdr_db`), the pairs whose co-channel interference alone — the received
//! power with the frequency-dependent rejection added back,
//! `I_co = i_dbm + fdr_db` — would exceed the victim's protection criterion:
//! `I_co − N > (I/N)_victim`, with the victim's noise power `N` from the
//! register.

use arrow::array::{Array, Float64Array, RecordBatch, StringArray};
use stations::register::Register;

use super::PlanError;

fn column<'a, T: 'static>(
    batch: &'a RecordBatch,
    name: &str,
    kind: &str,
    row: usize,
) -> Result<&'a T, PlanError> {
    let missing = |found: String| PlanError::Contributions {
        row,
        column: name.to_owned(),
        expected: kind.to_owned(),
        found,
    };
    let array = batch
        .column_by_name(name)
        .ok_or_else(|| missing("no such column".into()))?;
    array
        .as_any()
        .downcast_ref::<T>()
        .ok_or_else(|| missing(format!("a column of type {}", array.data_type())))
}

/// The (victim, interferer) pairs of `batches` that must not share a
/// channel; victims without a noise power in the register (no noise figure
/// or noise power) and ids not in the register are skipped.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Float64Array, RecordBatch, StringArray};
/// use stations::model::Assignment;
/// use stations::register::Register;
/// let mut victim = Assignment::example("V", 440_012_500, "12K5F3E");
/// victim.station.noise_dbm = Some(-120.0); // criterion I/N −6 dB: I_co above −126 dBm
/// let register = Register::new(vec![victim, Assignment::example("I", 440_025_000, "12K5F3E")]);
/// let batch = RecordBatch::try_from_iter([
///     ("victim_id", Arc::new(StringArray::from(vec!["V", "V"])) as _),
///     ("interferer_id", Arc::new(StringArray::from(vec!["I", "I"])) as _),
///     ("i_dbm", Arc::new(Float64Array::from(vec![-150.0, -130.0])) as _),
///     ("fdr_db", Arc::new(Float64Array::from(vec![20.0, 10.0])) as _),
/// ]).unwrap();
/// // Co-channel −130 dBm: I/N −10 dB, protected; −120 dBm: I/N 0 dB, not.
/// let pairs = assignment::plan::interference_pairs(&register, &[batch]).unwrap();
/// assert_eq!(pairs, [("V".to_owned(), "I".to_owned())]);
/// ```
pub fn interference_pairs(
    register: &Register,
    batches: &[RecordBatch],
) -> Result<Vec<(String, String)>, PlanError> {
    let by_id: std::collections::HashMap<&str, &stations::model::Assignment> = register
        .assignments
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut row = 0;
    for batch in batches {
        let victims: &StringArray = column(batch, "victim_id", "text", 0)?;
        let interferers: &StringArray = column(batch, "interferer_id", "text", 0)?;
        let i_dbm: &Float64Array = column(batch, "i_dbm", "a number (dBm)", 0)?;
        let fdr_db: &Float64Array = column(batch, "fdr_db", "a number (dB)", 0)?;
        for i in 0..batch.num_rows() {
            row += 1;
            if victims.is_null(i) || interferers.is_null(i) || i_dbm.is_null(i) {
                return Err(PlanError::Contributions {
                    row,
                    column: "victim_id, interferer_id, i_dbm".into(),
                    expected: "a value".into(),
                    found: "an empty field".into(),
                });
            }
            let (v, x) = (victims.value(i), interferers.value(i));
            let fdr = if fdr_db.is_null(i) {
                0.0
            } else {
                fdr_db.value(i)
            };
            let co_channel_dbm = i_dbm.value(i) + fdr;
            if !co_channel_dbm.is_finite() {
                return Err(PlanError::Contributions {
                    row,
                    column: "i_dbm".into(),
                    expected: "a finite power".into(),
                    found: co_channel_dbm.to_string(),
                });
            }
            let Some(victim) = by_id.get(v) else { continue };
            if !by_id.contains_key(x) {
                continue;
            }
            let Some(noise_dbm) = victim.noise_dbm() else {
                continue;
            };
            if co_channel_dbm - noise_dbm > victim.protection_i_n_db {
                pairs.push((v.to_owned(), x.to_owned()));
            }
        }
    }
    pairs.sort();
    pairs.dedup();
    Ok(pairs)
}
