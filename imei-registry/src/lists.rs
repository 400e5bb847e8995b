//! Export of the white, grey and black lists for operators (Parquet or CSV by
//! extension), in key order, from the in-memory index; each export is logged
//! in the audit log. Lists carry device identity and status only — never the
//! owner pseudonym (purpose limitation: operators need to block, not to know
//! who owns a device).

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use crate::error::RegistryError;
use crate::store::Registry;
use imei_core::identity::{format_imei15, format_key, tac_of};
use imei_core::verdict::{DeviceStatus, RULE_VERSION};

const BATCH: usize = 1 << 20;

fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("imei14", DataType::Utf8, false),
        Field::new("imei", DataType::Utf8, false),
        Field::new("tac", DataType::Utf8, false),
        Field::new("status", DataType::Utf8, false),
        Field::new("reason_codes", DataType::Utf8, false),
    ]))
}

fn batch(
    rows: &[(u64, String)],
    status: DeviceStatus,
    schema: &SchemaRef,
) -> Result<RecordBatch, RegistryError> {
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|r| format_key(r.0)),
        )),
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|r| format_imei15(r.0)),
        )),
        // Identifiers are fixed-width text: TAC 01124500 keeps its zero.
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|r| format!("{:08}", tac_of(r.0))),
        )),
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|_| status.name()),
        )),
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|r| r.1.as_str()),
        )),
    ];
    RecordBatch::try_new(schema.clone(), cols)
        .map_err(RegistryError::arrow("building a list batch"))
}

/// Writes every device with `status` to `out`; returns the number of devices.
pub fn export_list(
    registry: &Registry,
    status: DeviceStatus,
    out: &Path,
) -> Result<u64, RegistryError> {
    let schema = schema();
    let prov = tabular::Provenance::new("spectra registry export-list")
        .with("registry", registry.path().display().to_string())
        .with("status", status.name())
        .with("rule_version", RULE_VERSION);
    let mut sink = tabular::BatchSink::create(
        out,
        schema.clone(),
        &prov,
        &tabular::WriteOptions::default(),
    )?;
    let mut n = 0u64;
    let mut rows: Vec<(u64, String)> = Vec::with_capacity(BATCH.min(registry.index().len()));
    for (k, s, m) in registry.index().iter() {
        if s == status {
            rows.push((k, m.names()));
            n += 1;
            if rows.len() == BATCH {
                sink.write(&batch(&rows, status, &schema)?)?;
                rows.clear();
            }
        }
    }
    if !rows.is_empty() || n == 0 {
        sink.write(&batch(&rows, status, &schema)?)?;
    }
    sink.finish()?;
    registry.audit(
        "export_list",
        &format!("{} list: {n} devices to {}", status.name(), out.display()),
    )?;
    Ok(n)
}
