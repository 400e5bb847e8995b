//! Export of the register and of its reports as Arrow record batches,
//! written by the one sink of `tabular` (CSV or Parquet by extension,
//! temporary file renamed into place).
//!
//! The register is written with the import schema of [`crate::read`], so an
//! export reads back to the same register.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema};
use tabular::{BatchSink, Provenance, WriteOptions};

use crate::compliance::Finding;
use crate::emergency::StatusRow;
use crate::error::StationsError;
use crate::impact::Impact;
use crate::register::Register;

fn text(name: &str, values: Vec<Option<String>>) -> (Field, ArrayRef) {
    (
        Field::new(name, DataType::Utf8, true),
        Arc::new(StringArray::from(values)),
    )
}

fn float(name: &str, values: Vec<Option<f64>>) -> (Field, ArrayRef) {
    (
        Field::new(name, DataType::Float64, true),
        Arc::new(Float64Array::from(values)),
    )
}

fn uint(name: &str, values: Vec<u64>) -> (Field, ArrayRef) {
    (
        Field::new(name, DataType::UInt64, false),
        Arc::new(UInt64Array::from(values)),
    )
}

fn batch(columns: Vec<(Field, ArrayRef)>) -> Result<RecordBatch, StationsError> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns.into_iter().unzip();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}

/// The register as one record batch in the import schema.
pub fn register_batch(register: &Register) -> Result<RecordBatch, StationsError> {
    let a = &register.assignments;
    let s = |f: &dyn Fn(&crate::model::Assignment) -> Option<String>| a.iter().map(f).collect();
    let n = |f: &dyn Fn(&crate::model::Assignment) -> Option<f64>| a.iter().map(f).collect();
    batch(vec![
        text("id", s(&|x| Some(x.id.clone()))),
        text("operator", s(&|x| Some(x.operator.clone()))),
        text("service", s(&|x| Some(x.service.id().to_owned()))),
        float("lat_deg", n(&|x| Some(x.station.site.lat_deg))),
        float("lon_deg", n(&|x| Some(x.station.site.lon_deg))),
        float("ground_m", n(&|x| x.station.site.ground_m)),
        float("antenna_height_m", n(&|x| Some(x.station.antenna_height_m))),
        uint("freq_hz", a.iter().map(|x| x.freq_hz).collect()),
        text("emission", s(&|x| Some(x.emission.to_string()))),
        text(
            "direction",
            s(&|x| Some(x.station.direction.name().to_owned())),
        ),
        float("eirp_dbm", n(&|x| x.station.eirp_dbm)),
        float("gain_dbi", n(&|x| Some(x.station.gain_dbi))),
        text("antenna", s(&|x| x.station.pattern.clone())),
        float("azimuth_deg", n(&|x| Some(x.station.azimuth_deg))),
        float("tilt_deg", n(&|x| Some(x.station.tilt_deg))),
        text(
            "polarisation",
            s(&|x| x.station.polarisation.map(|p| p.code().to_owned())),
        ),
        float("noise_figure_db", n(&|x| x.station.noise_figure_db)),
        float("noise_dbm", n(&|x| x.station.noise_dbm)),
        text("mask", s(&|x| x.station.emission_mask.clone())),
        text("rx_mask", s(&|x| x.station.rx_mask.clone())),
        float("protection_i_n_db", n(&|x| Some(x.protection_i_n_db))),
        text("category", s(&|x| x.category.map(|c| c.name().to_owned()))),
        text("status", s(&|x| Some(x.status.name().to_owned()))),
        text("valid_from", s(&|x| x.valid_from.map(|d| d.to_string()))),
        text("valid_to", s(&|x| x.valid_to.map(|d| d.to_string()))),
        text("licence", s(&|x| x.licence.clone())),
        text("link", s(&|x| x.link.clone())),
    ])
}

/// The operators of the register as one record batch (the operators-file schema).
pub fn operators_batch(register: &Register) -> Result<RecordBatch, StationsError> {
    let o: Vec<&crate::model::Operator> = register.operators.values().collect();
    batch(vec![
        text("name", o.iter().map(|x| Some(x.name.clone())).collect()),
        text(
            "kind",
            o.iter().map(|x| Some(x.kind.name().to_owned())).collect(),
        ),
        text(
            "user",
            o.iter().map(|x| Some(x.user.name().to_owned())).collect(),
        ),
        float(
            "state_share_pct",
            o.iter().map(|x| x.state_share_pct).collect(),
        ),
    ])
}

/// Compliance findings as one record batch.
pub fn findings_batch(findings: &[Finding]) -> Result<RecordBatch, StationsError> {
    let s = |f: &dyn Fn(&Finding) -> String| findings.iter().map(|x| Some(f(x))).collect();
    batch(vec![
        text("id", s(&|x| x.id.clone())),
        uint("line", findings.iter().map(|x| x.line as u64).collect()),
        text("kind", s(&|x| x.kind.name().to_owned())),
        uint("lower_hz", findings.iter().map(|x| x.lower_hz).collect()),
        uint("upper_hz", findings.iter().map(|x| x.upper_hz).collect()),
        text("message", s(&|x| x.message.clone())),
        text("footnotes", s(&|x| x.footnotes.join(" "))),
    ])
}

/// Conversion impacts as one record batch.
pub fn impacts_batch(impacts: &[Impact]) -> Result<RecordBatch, StationsError> {
    let s = |f: &dyn Fn(&Impact) -> Option<String>| impacts.iter().map(f).collect();
    let partial: BooleanArray = impacts.iter().map(|x| Some(x.partial)).collect();
    let mut columns = vec![
        text("id", s(&|x| Some(x.id.clone()))),
        text("operator", s(&|x| Some(x.operator.clone()))),
        text("licence", s(&|x| x.licence.clone())),
        text("category", s(&|x| x.category.map(|c| c.name().to_owned()))),
        uint("lower_hz", impacts.iter().map(|x| x.lower_hz).collect()),
        uint("upper_hz", impacts.iter().map(|x| x.upper_hz).collect()),
    ];
    columns.push((
        Field::new("partial", DataType::Boolean, false),
        Arc::new(partial),
    ));
    columns.extend([
        text("before", s(&|x| Some(x.before.name().to_owned()))),
        text("after", s(&|x| Some(x.after.name().to_owned()))),
        text("change", s(&|x| Some(x.change.name().to_owned()))),
        text("message", s(&|x| Some(x.message.clone()))),
    ]);
    batch(columns)
}

/// Status rows as one record batch.
pub fn status_batch(rows: &[StatusRow]) -> Result<RecordBatch, StationsError> {
    let s = |f: &dyn Fn(&StatusRow) -> Option<String>| rows.iter().map(f).collect();
    batch(vec![
        text("id", s(&|x| Some(x.id.clone()))),
        text("operator", s(&|x| Some(x.operator.clone()))),
        text("state", s(&|x| Some(x.state.name().to_owned()))),
        text("order", s(&|x| x.order.clone())),
        text("until", s(&|x| x.until.map(|t| t.to_rfc3339()))),
    ])
}

/// Writes a batch to `path` (CSV or Parquet by extension) atomically, with
/// provenance in the Parquet metadata. Returns the rows written.
pub fn write_batch(
    path: &Path,
    batch: &RecordBatch,
    provenance: &Provenance,
) -> Result<usize, StationsError> {
    let mut sink = BatchSink::create(path, batch.schema(), provenance, &WriteOptions::default())?;
    sink.write(batch)?;
    Ok(sink.finish()?)
}
