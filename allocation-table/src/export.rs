//! Open-data exports of a table: a flat Arrow record batch (one row per
//! allocation, bands without allocation as one row with no service) written
//! as CSV or Parquet through `tabular`, with provenance (source, edition,
//! audience, exported at, tool version) and the published table's metadata,
//! footnotes and journal in the Parquet key-value metadata; and a structured
//! JSON document.
//!
//! Every writer takes a [`Publication`] — the view of the table for its
//! audience built by [`crate::publish::view`] — so rows *and* metadata come
//! from the same filtered table, and `band_index` numbers the published
//! bands without gaps. A Parquet export reads back into exactly the
//! published table ([`read_parquet_export`]).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, RecordBatch, StringArray, StringBuilder, UInt32Array, UInt64Array,
};
use arrow::datatypes::{DataType, Field, Schema};

use crate::error::TableError;
use crate::journal::Journal;
use crate::model::{Allocation, Band, Category, Metadata, Sensitivity, Status, Table};
use crate::publish::Publication;
use crate::service::ServiceEntry;

fn schema() -> Arc<Schema> {
    let s = |n: &str, null: bool| Field::new(n, DataType::Utf8, null);
    Arc::new(Schema::new(vec![
        Field::new("band_index", DataType::UInt32, false),
        Field::new("lower_hz", DataType::UInt64, false),
        Field::new("upper_hz", DataType::UInt64, false),
        s("band_category", true),
        s("sensitivity", false),
        s("band_footnotes", false),
        s("applications", false),
        s("service", true),
        s("service_id", true),
        s("qualifiers", true),
        s("status", true),
        s("allocation_footnotes", true),
        s("allocation_category", true),
        s("category", true),
    ]))
}

fn entry_id(a: &Allocation) -> String {
    match a.parsed().entry {
        ServiceEntry::Service(s) => s.id().to_owned(),
        ServiceEntry::NotAllocated => "not_allocated".to_owned(),
        ServiceEntry::Unknown(_) => "unknown".to_owned(),
    }
}

/// The flat record batch of a publication's bands (`band_index` counts the
/// published bands from 0, without gaps).
pub fn to_record_batch(publication: &Publication) -> Result<RecordBatch, TableError> {
    let table = publication.table();
    let mut idx = Vec::new();
    let mut lo = Vec::new();
    let mut hi = Vec::new();
    let mut cols: Vec<StringBuilder> = (0..11).map(|_| StringBuilder::new()).collect();
    for (i, b) in table.bands().iter().enumerate() {
        let rows: Vec<Option<&Allocation>> = if b.allocations.is_empty() {
            vec![None]
        } else {
            b.allocations.iter().map(Some).collect()
        };
        for a in rows {
            idx.push(u32::try_from(i).unwrap_or(u32::MAX));
            lo.push(b.lower_hz);
            hi.push(b.upper_hz);
            cols[0].append_option(b.category.map(Category::name));
            cols[1].append_value(b.sensitivity.name());
            cols[2].append_value(b.footnotes.join(","));
            cols[3].append_value(b.applications.join("\u{1f}"));
            match a {
                Some(a) => {
                    cols[4].append_value(&a.service_text);
                    cols[5].append_value(entry_id(a));
                    cols[6].append_value(a.parsed().qualifiers.join("; "));
                    cols[7].append_value(a.status.name());
                    cols[8].append_value(a.footnotes.join(","));
                    cols[9].append_option(a.category.map(Category::name));
                    cols[10].append_option(b.allocation_category(a).map(Category::name));
                }
                None => {
                    for c in &mut cols[4..10] {
                        c.append_null();
                    }
                    cols[10].append_option(b.category.map(Category::name));
                }
            }
        }
    }
    let mut arrays: Vec<ArrayRef> = vec![
        Arc::new(UInt32Array::from(idx)),
        Arc::new(UInt64Array::from(lo)),
        Arc::new(UInt64Array::from(hi)),
    ];
    arrays.extend(cols.iter_mut().map(|c| Arc::new(c.finish()) as ArrayRef));
    RecordBatch::try_new(schema(), arrays).map_err(|e| {
        TableError::Export(tabular::TabularError::Arrow {
            path: "<memory>".into(),
            source: e,
        })
    })
}

/// Provenance of a table export.
pub fn provenance(publication: &Publication) -> tabular::Provenance {
    let m = &publication.table().metadata;
    tabular::Provenance::new(if m.source.is_empty() {
        m.name.clone()
    } else {
        m.source.clone()
    })
    .with("edition", m.edition.clone())
    .with("country", m.country.clone())
    .with("table_name", m.name.clone())
    .with("dataset", "national table of frequency allocations")
    .with("audience", publication.audience().name())
}

/// Writes a publication as Parquet with provenance, metadata, footnotes and
/// journal (all of the published table) in the key-value metadata.
pub fn write_parquet(publication: &Publication, path: &Path) -> Result<(), TableError> {
    let batch = to_record_batch(publication)?;
    let table = publication.table();
    let json = |key: &str, v: serde_json::Result<String>| {
        v.map_err(|e| bad(path, key, format!("could not encode as JSON: {e}")))
    };
    let prov = provenance(publication)
        .with(
            "table_metadata",
            json("table_metadata", serde_json::to_string(&table.metadata))?,
        )
        .with(
            "footnotes",
            json("footnotes", serde_json::to_string(&table.footnotes))?,
        )
        .with(
            "journal",
            json("journal", serde_json::to_string(&table.journal))?,
        );
    tabular::write_parquet(path, &[batch], &prov)?;
    Ok(())
}

/// Guards a text cell against spreadsheet formula injection (OWASP "CSV
/// Injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is prefixed with `'`, so a spreadsheet shows it as text
/// instead of evaluating it. A cell of that one character alone (a `-`
/// for "no service") cannot be a formula and is unchanged, as are all
/// other cells.
///
/// ```
/// use allocation_table::export::guard_formula;
/// assert_eq!(guard_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(guard_formula("FIXED"), "FIXED");
/// assert_eq!(guard_formula("-"), "-");
/// ```
pub fn guard_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if cell.len() > 1 => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The CSV form of the export batch: every text column guarded by
/// [`guard_formula`] (numbers are written as they are).
fn csv_batch(publication: &Publication) -> Result<RecordBatch, TableError> {
    let batch = to_record_batch(publication)?;
    let columns: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|c| match c.as_any().downcast_ref::<StringArray>() {
            Some(text) => Arc::new(
                text.iter()
                    .map(|v| v.map(guard_formula))
                    .collect::<StringArray>(),
            ) as ArrayRef,
            None => Arc::clone(c),
        })
        .collect();
    RecordBatch::try_new(batch.schema(), columns).map_err(|source| {
        TableError::Export(tabular::TabularError::Arrow {
            path: std::path::PathBuf::from("(csv export)"),
            source,
        })
    })
}

/// Writes a publication as CSV (one row per allocation; text cells guarded
/// against formula injection, see [`guard_formula`]).
pub fn write_csv(publication: &Publication, path: &Path) -> Result<(), TableError> {
    tabular::write_csv(path, &[csv_batch(publication)?])?;
    Ok(())
}

/// Writes a publication as CSV to a writer (standard output).
pub fn write_csv_to(
    publication: &Publication,
    out: &mut dyn std::io::Write,
) -> Result<(), TableError> {
    let batch = csv_batch(publication)?;
    let mut w = arrow::csv::WriterBuilder::new()
        .with_header(true)
        .build(out);
    w.write(&batch).map_err(|source| {
        TableError::Export(tabular::TabularError::Arrow {
            path: std::path::PathBuf::from("-"),
            source,
        })
    })
}

/// Writes a publication as a structured JSON document with provenance.
pub fn write_json(publication: &Publication, path: &Path) -> Result<(), TableError> {
    let mut f = tabular::AtomicFile::create(path)?;
    write_json_to(publication, &mut f, path)?;
    f.commit()?;
    Ok(())
}

/// Writes the JSON document of [`write_json`] to a writer; `path` names it
/// in errors.
pub fn write_json_to(
    publication: &Publication,
    out: &mut dyn std::io::Write,
    path: &Path,
) -> Result<(), TableError> {
    // Serialized straight from the structs, so fields keep their declared
    // order (a band's `lower_hz` then `upper_hz`), not a map's sorted order.
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        provenance: serde_json::Value,
        table: &'a crate::model::Table,
    }
    let doc = Doc {
        provenance: provenance(publication).to_json(),
        table: publication.table(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| TableError::Io {
        path: path.to_path_buf(),
        source: e.into(),
    })?;
    out.write_all(b"\n").map_err(|e| TableError::Io {
        path: path.to_path_buf(),
        source: e,
    })
}

fn bad(path: &Path, field: &str, message: String) -> TableError {
    TableError::Parse {
        path: path.to_path_buf(),
        line: 0,
        field: field.to_owned(),
        message,
    }
}

fn strings<'a>(
    batch: &'a RecordBatch,
    name: &str,
    path: &Path,
) -> Result<&'a StringArray, TableError> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .ok_or_else(|| bad(path, name, format!("expected a UTF-8 column `{name}`")))
}

fn split_list(text: &str, sep: &str) -> Vec<String> {
    text.split(sep)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads a Parquet export back into a table.
pub fn read_parquet_export(path: &Path) -> Result<Table, TableError> {
    let kv = tabular::read_parquet_metadata(path)?;
    let from_kv = |key: &str| kv.get(key).map(String::as_str).unwrap_or("");
    let metadata: Metadata = serde_json::from_str(from_kv("table_metadata")).map_err(|e| {
        bad(
            path,
            "table_metadata",
            format!("expected the table metadata as JSON: {e}"),
        )
    })?;
    let footnotes: BTreeMap<String, String> =
        serde_json::from_str(from_kv("footnotes")).map_err(|e| {
            bad(
                path,
                "footnotes",
                format!("expected footnotes as JSON: {e}"),
            )
        })?;
    let journal: Journal = serde_json::from_str(from_kv("journal")).map_err(|e| {
        bad(
            path,
            "journal",
            format!("expected the journal as JSON: {e}"),
        )
    })?;
    let mut bands: BTreeMap<u32, Band> = BTreeMap::new();
    for batch in tabular::read_parquet(path)? {
        let u64s = |n: &str| {
            batch
                .column_by_name(n)
                .and_then(|c| c.as_any().downcast_ref::<UInt64Array>())
                .ok_or_else(|| bad(path, n, format!("expected a UInt64 column `{n}`")))
        };
        let index = batch
            .column_by_name("band_index")
            .and_then(|c| c.as_any().downcast_ref::<UInt32Array>())
            .ok_or_else(|| bad(path, "band_index", "expected a UInt32 column".into()))?;
        let (lo, hi) = (u64s("lower_hz")?, u64s("upper_hz")?);
        let bcat = strings(&batch, "band_category", path)?;
        let sens = strings(&batch, "sensitivity", path)?;
        let bnotes = strings(&batch, "band_footnotes", path)?;
        let apps = strings(&batch, "applications", path)?;
        let service = strings(&batch, "service", path)?;
        let status = strings(&batch, "status", path)?;
        let anotes = strings(&batch, "allocation_footnotes", path)?;
        let acat = strings(&batch, "allocation_category", path)?;
        for r in 0..batch.num_rows() {
            let band = bands.entry(index.value(r)).or_insert_with(|| {
                let mut b = Band::new(lo.value(r), hi.value(r));
                b.category = (!bcat.is_null(r))
                    .then(|| Category::parse(bcat.value(r)))
                    .flatten();
                b.sensitivity = Sensitivity::parse(sens.value(r)).unwrap_or_default();
                b.footnotes = split_list(bnotes.value(r), ",");
                b.applications = split_list(apps.value(r), "\u{1f}");
                b
            });
            if service.is_null(r) {
                continue;
            }
            let st = match status.value(r) {
                "primary" => Status::Primary,
                "secondary" => Status::Secondary,
                other => {
                    return Err(bad(
                        path,
                        "status",
                        format!("row {r}: expected primary or secondary, found {other:?}"),
                    ));
                }
            };
            let mut a = Allocation::new(service.value(r), st);
            a.footnotes = split_list(anotes.value(r), ",");
            a.category = (!acat.is_null(r))
                .then(|| Category::parse(acat.value(r)))
                .flatten();
            band.allocations.push(a);
        }
    }
    let mut t = Table::new(metadata, bands.into_values().collect(), footnotes);
    t.journal = journal;
    Ok(t)
}
