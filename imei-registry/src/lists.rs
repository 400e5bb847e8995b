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
use imei_core::identity::{format_imei15, format_key, tac_of};
use crate::store::Registry;
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
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let mut pq = None;
    let mut csv = None;
    match ext.as_deref() {
        Some("parquet" | "pq") => {
            pq = Some(tabular::ParquetStreamWriter::create(
                out,
                schema.clone(),
                &prov,
            )?)
        }
        Some("csv") => {
            csv = Some(
                arrow::csv::WriterBuilder::new()
                    .with_header(true)
                    .build(tabular::AtomicFile::create(out)?),
            )
        }
        _ => {
            return Err(RegistryError::Invalid(format!(
                "{}: expected an output ending in .parquet or .csv",
                out.display()
            )));
        }
    }
    let mut n = 0u64;
    let mut rows: Vec<(u64, String)> = Vec::with_capacity(BATCH.min(registry.index().len()));
    let mut flush = |rows: &mut Vec<(u64, String)>| -> Result<(), RegistryError> {
        let b = batch(rows, status, &schema)?;
        if let Some(w) = pq.as_mut() {
            w.write(&b)?;
        }
        if let Some(w) = csv.as_mut() {
            w.write(&b)
                .map_err(RegistryError::arrow(format!("writing {}", out.display())))?;
        }
        rows.clear();
        Ok(())
    };
    for (k, s, m) in registry.index().iter() {
        if s == status {
            rows.push((k, m.names()));
            n += 1;
            if rows.len() == BATCH {
                flush(&mut rows)?;
            }
        }
    }
    if !rows.is_empty() || n == 0 {
        flush(&mut rows)?;
    }
    if let Some(w) = pq {
        w.finish()?;
    }
    if let Some(w) = csv {
        w.into_inner().commit()?;
    }
    registry.audit(
        "export_list",
        &format!("{} list: {n} devices to {}", status.name(), out.display()),
    )?;
    Ok(n)
}
