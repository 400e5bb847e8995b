//! The cells of a coverage map as an Arrow record batch (lat, lon, loss,
//! field strength, received power), written to Parquet through `tabular` with
//! the study's provenance in the key-value metadata.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float32Array, Float64Array, UInt32Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;

use spectrum_core::coverage::CoverageMap;

use crate::StudyError;

/// The schema of the cell table.
pub fn schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("row", DataType::UInt32, false),
        Field::new("col", DataType::UInt32, false),
        Field::new("lat_deg", DataType::Float64, false),
        Field::new("lon_deg", DataType::Float64, false),
        Field::new("loss_db", DataType::Float32, false),
        Field::new("field_strength_dbuv_per_m", DataType::Float32, false),
        Field::new("rx_power_dbm", DataType::Float32, false),
    ]))
}

/// The cells that have a value, row-major, as one record batch.
pub fn to_record_batch(map: &CoverageMap) -> Result<RecordBatch, arrow::error::ArrowError> {
    let g = &map.grid;
    let n = map.valid_cells();
    let (mut rows, mut cols) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut lats, mut lons) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut loss, mut field, mut power) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (i, &l) in map.loss_db.iter().enumerate() {
        if !l.is_finite() {
            continue;
        }
        let (r, c) = (i / g.width.max(1), i % g.width.max(1));
        let p = g.centre(r, c);
        rows.push(r as u32);
        cols.push(c as u32);
        lats.push(p.lat_deg);
        lons.push(p.lon_deg);
        loss.push(l);
        field.push(
            map.field_strength_dbuv_per_m
                .get(i)
                .copied()
                .unwrap_or(f32::NAN),
        );
        power.push(map.rx_power_dbm.get(i).copied().unwrap_or(f32::NAN));
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(UInt32Array::from(rows)),
        Arc::new(UInt32Array::from(cols)),
        Arc::new(Float64Array::from(lats)),
        Arc::new(Float64Array::from(lons)),
        Arc::new(Float32Array::from(loss)),
        Arc::new(Float32Array::from(field)),
        Arc::new(Float32Array::from(power)),
    ];
    RecordBatch::try_new(schema(), columns)
}

/// Writes the cell table to Parquet with provenance metadata.
pub fn write_parquet(
    path: &Path,
    map: &CoverageMap,
    provenance: &[(String, String)],
) -> Result<(), StudyError> {
    let err = |message: String| StudyError::Output {
        path: path.to_path_buf(),
        message,
    };
    let batch = to_record_batch(map).map_err(|e| err(e.to_string()))?;
    let mut prov = tabular::Provenance::new("spectra coverage");
    for (k, v) in provenance {
        prov = prov.with(k.clone(), v.clone());
    }
    tabular::write_parquet(path, &[batch], &prov).map_err(|e| err(e.to_string()))
}
