//! Streaming bulk check of a file (CSV with header, or Parquet) into a
//! verdict file (Parquet or CSV by extension). The input is read in blocks cut
//! at record boundaries (RFC 4180 quoting respected) by a reader thread,
//! checked in parallel with rayon as they come and written in input order by
//! a writer thread (the pipeline is `crate::pipeline`), so
//! memory stays bounded whatever the input size and the output is the same
//! whatever the thread count. The output is written to a temporary file and
//! renamed at the end; an unreadable input, a missing column or an IMEI
//! column that is not text (a Parquet Int64 or Float64 column has lost its
//! leading zeros: [`crate::ImeiError::ColumnType`]) is reported before
//! anything is created. CSV input is read as text, never type-inferred.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, BinaryBuilder, RecordBatch};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::check::{
    CheckContext, CheckCounts, RULE_VERSION, VERDICT_COLUMNS, VerdictBuilder, text_column,
    verdict_fields,
};
use crate::csvblock::{for_each_record, scan_block};
use crate::error::ImeiError;
use crate::pipeline::{Emit, stream};
use crate::reader::InputKind;

/// Options of a bulk check.
#[derive(Debug, Clone)]
pub struct BulkOptions {
    /// Name of the IMEI column.
    pub column: String,
    /// Bytes per CSV block (one parallel work item).
    pub chunk_bytes: usize,
    /// Rows per Parquet input batch.
    pub parquet_batch_rows: usize,
    /// Work items in flight at once, read but not yet written (the memory
    /// bound: about this many blocks).
    pub group: usize,
    /// Extra provenance entries for the output.
    pub provenance: Vec<(String, String)>,
    /// Most line ends a quoted CSV field may span; a field still open after
    /// them (a stray `"`) refuses only the row it opened in.
    pub max_field_lines: usize,
}

impl Default for BulkOptions {
    fn default() -> Self {
        BulkOptions {
            column: "imei".to_string(),
            chunk_bytes: 4 << 20,
            parquet_batch_rows: 256 * 1024,
            group: 2 * rayon::current_num_threads().max(1),
            provenance: Vec::new(),
            max_field_lines: 16,
        }
    }
}

/// Largest CSV block (one parallel work item): 1 GiB. It bounds the memory a
/// block takes and keeps every per-block dictionary key within 32 bits.
pub const MAX_CHUNK_BYTES: usize = 1 << 30;

/// Smallest CSV block.
pub const MIN_CHUNK_BYTES: usize = 4096;

/// Largest Parquet input batch, rows.
pub const MAX_BATCH_ROWS: usize = 1 << 24;

/// Largest bound on the line ends of one quoted CSV field.
pub const MAX_FIELD_LINES: usize = 100_000;

/// Most work items in flight together.
pub const MAX_GROUP: usize = 1024;

impl BulkOptions {
    /// Checks every size against its bounds, so a bad option is an error
    /// naming it instead of an allocation that aborts.
    pub fn validate(&self) -> Result<(), ImeiError> {
        let check = |name: &str, value: usize, min: usize, max: usize| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(ImeiError::Invalid(format!(
                    "bulk check option {name}: expected {min} to {max}, found {value}"
                )))
            }
        };
        check(
            "chunk_bytes",
            self.chunk_bytes,
            MIN_CHUNK_BYTES,
            MAX_CHUNK_BYTES,
        )?;
        check(
            "parquet_batch_rows",
            self.parquet_batch_rows,
            1,
            MAX_BATCH_ROWS,
        )?;
        check("group", self.group, 1, MAX_GROUP)?;
        check("max_field_lines", self.max_field_lines, 1, MAX_FIELD_LINES)
    }
}

/// Progress callback: `(done, total, rows)`, where done/total are bytes for
/// CSV input and rows for Parquet input.
pub type Progress<'a> = &'a (dyn Fn(u64, u64, u64) + Sync);

/// Columns whose values are (nearly) all distinct: stored as lengths and
/// bytes, with no dictionary and no min/max statistics.
fn distinct_columns(schema: &Schema, imei_column: &str) -> Vec<String> {
    let mut c = vec!["key".to_string()];
    if schema.field_with_name(imei_column).is_ok() {
        c.push(imei_column.to_string());
    }
    c
}

/// The output sink (by extension, through `tabular`'s one sink): Parquet
/// with the line numbers delta-encoded, the distinct text columns as their
/// lengths and bytes (no dictionary), and without min/max statistics where
/// no query prunes on them: the long text columns, the IMEI, key and TAC
/// columns, whose values in input order span their whole range in every row
/// group, and the class, status and verdict columns, whose few values
/// (fixed catalogues) all occur in every row group; or CSV.
fn create_sink(
    path: &Path,
    schema: SchemaRef,
    prov: &tabular::Provenance,
    imei_column: &str,
) -> Result<tabular::BatchSink, ImeiError> {
    let mut no_statistics = distinct_columns(&schema, imei_column);
    no_statistics.extend(
        [
            "tac",
            "reason",
            "model",
            "reason_codes",
            "class",
            "status",
            "verdict",
        ]
        .map(String::from),
    );
    let opts = tabular::WriteOptions {
        no_statistics,
        delta: vec!["line".to_string()],
        delta_length: distinct_columns(&schema, imei_column),
    };
    Ok(tabular::BatchSink::create(path, schema, prov, &opts)?)
}

fn output_schema(input_fields: &[Field]) -> Result<SchemaRef, ImeiError> {
    let mut fields = vec![Field::new("line", DataType::UInt64, false)];
    for f in input_fields {
        if f.name() == "line" || VERDICT_COLUMNS.contains(&f.name().as_str()) {
            return Err(ImeiError::Invalid(format!(
                "input column `{}` has the name of an output column; rename it",
                f.name()
            )));
        }
        fields.push(f.clone());
    }
    fields.extend(verdict_fields());
    Ok(Arc::new(Schema::new(fields)))
}

fn find_column(names: &[String], want: &str, file: &str) -> Result<usize, ImeiError> {
    names
        .iter()
        .position(|n| n == want)
        .or_else(|| {
            names
                .iter()
                .position(|n| n.trim().eq_ignore_ascii_case(want.trim()))
        })
        .ok_or_else(|| ImeiError::MissingColumn {
            file: file.to_string(),
            column: want.to_string(),
            found: names.to_vec(),
        })
}

/// Checks `input` and writes the verdicts to `output`; returns the counts.
pub fn check_file(
    input: &Path,
    output: &Path,
    ctx: CheckContext<'_>,
    opts: &BulkOptions,
    progress: Progress<'_>,
) -> Result<CheckCounts, ImeiError> {
    opts.validate()?;
    let mut prov = tabular::Provenance::new("spectra imei check")
        .with("input", input.display().to_string())
        .with("rule_version", RULE_VERSION)
        .with("registry_devices", ctx.index.len().to_string())
        .with("tac_records", ctx.tacs.map_or(0, |t| t.len()).to_string());
    for (k, v) in &opts.provenance {
        prov = prov.with(k.clone(), v.clone());
    }
    match InputKind::of(input) {
        InputKind::Csv => check_csv(input, output, ctx, opts, &prov, progress),
        InputKind::Parquet => check_parquet(input, output, ctx, opts, &prov, progress),
    }
}

fn read_block(
    f: &mut File,
    buf: &mut Vec<u8>,
    want: usize,
    path: &Path,
) -> Result<bool, ImeiError> {
    let start = buf.len();
    buf.resize(start + want, 0);
    let mut filled = start;
    let mut eof = false;
    while filled < buf.len() {
        match f.read(&mut buf[filled..]) {
            Ok(0) => {
                eof = true;
                break;
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ImeiError::io(path, e)),
        }
    }
    buf.truncate(filled);
    Ok(eof)
}

fn check_csv(
    input: &Path,
    output: &Path,
    ctx: CheckContext<'_>,
    opts: &BulkOptions,
    prov: &tabular::Provenance,
    progress: Progress<'_>,
) -> Result<CheckCounts, ImeiError> {
    let file = input.display().to_string();
    let mut f = File::open(input).map_err(|e| ImeiError::io(input, e))?;
    let total = f.metadata().map_err(|e| ImeiError::io(input, e))?.len();
    let chunk = opts.chunk_bytes.max(MIN_CHUNK_BYTES);
    let mut buf = Vec::with_capacity(chunk + 1024);
    let mut eof = read_block(&mut f, &mut buf, chunk, input)?;
    // Header.
    let mut hr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&buf[..]);
    let mut rec = csv::ByteRecord::new();
    let has = hr
        .read_byte_record(&mut rec)
        .map_err(|e| ImeiError::input(&file, 1, "header", e.to_string()))?;
    if !has {
        return Err(ImeiError::input(
            &file,
            1,
            "header",
            "expected a header line, found an empty file",
        ));
    }
    let mut header_end = (hr.position().byte() as usize).min(buf.len());
    // csv-core ends a record at the `\r` of `\r\n`; the `\n` belongs to the header.
    if header_end > 0
        && buf.get(header_end - 1) == Some(&b'\r')
        && buf.get(header_end) == Some(&b'\n')
    {
        header_end += 1;
    }
    let mut names = Vec::with_capacity(rec.len());
    for (i, n) in rec.iter().enumerate() {
        let n = std::str::from_utf8(n).map_err(|_| {
            ImeiError::input(&file, 1, "header", format!("column {} is not UTF-8", i + 1))
        })?;
        names.push(if i == 0 {
            n.trim_start_matches('\u{feff}').to_string()
        } else {
            n.to_string()
        });
    }
    let col = find_column(&names, &opts.column, &file)?;
    let in_fields: Vec<Field> = names
        .iter()
        .map(|n| Field::new(n, DataType::Utf8, true))
        .collect();
    let schema = output_schema(&in_fields)?;
    let header_lines = buf
        .get(..header_end)
        .map_or(0, |h| h.iter().filter(|&&c| c == b'\n').count()) as u64;
    let mut carry = buf.split_off(header_end);
    let mut next_line = 1 + header_lines.max(1);
    let ncols = names.len();

    let sink = create_sink(output, schema.clone(), prov, &names[col])?;
    let max_field_lines = opts.max_field_lines;
    // The reader cuts blocks at record boundaries and numbers their lines.
    let produce = move |emit: Emit<'_, (u64, Vec<u8>)>| -> Result<(), ImeiError> {
        let mut done = header_end as u64;
        while !(eof && carry.is_empty()) {
            let mut block = std::mem::take(&mut carry);
            let mut split;
            loop {
                if !eof && block.len() < chunk {
                    let want = chunk - block.len();
                    eof = read_block(&mut f, &mut block, want, input)?;
                }
                split = if eof {
                    block.len()
                } else {
                    scan_block(&block, max_field_lines, false).end
                };
                if split > 0 || eof {
                    break;
                }
                // One record longer than a block: read more.
                eof = read_block(&mut f, &mut block, chunk, input)?;
            }
            carry = block.split_off(split);
            let lines = memchr::memchr_iter(b'\n', &block).count() as u64;
            done += block.len() as u64;
            if !emit(done, (next_line, block)) {
                break; // the writer stopped
            }
            next_line += lines;
        }
        Ok(())
    };
    let check =
        |(first, bytes): (u64, Vec<u8>)| csv_chunk(&bytes, first, col, ncols, ctx, &schema, opts);
    stream(sink, opts.group, total, progress, produce, check)
}

fn csv_chunk(
    bytes: &[u8],
    first_line: u64,
    col: usize,
    ncols: usize,
    ctx: CheckContext<'_>,
    schema: &SchemaRef,
    opts: &BulkOptions,
) -> Result<(RecordBatch, CheckCounts), ImeiError> {
    let est = bytes.len() / 20 + 16;
    let mut vb = VerdictBuilder::new(ctx, est);
    // The input columns as bytes, checked as UTF-8 once per column.
    let mut pass: Vec<BinaryBuilder> = (0..ncols)
        .map(|_| BinaryBuilder::with_capacity(est, bytes.len() / ncols.max(1) + 16))
        .collect();
    let mut refused_rows: Vec<(u64, String)> = Vec::new();
    let mut ragged: Vec<(u64, String)> = Vec::new();
    let mut record = |line: u64, fields: &[&[u8]]| {
        if fields.len() > ncols {
            ragged.push((
                line,
                format!(
                    "the row has {} fields, the header {ncols}: nothing of it was checked",
                    fields.len()
                ),
            ));
            return;
        }
        for (c, b) in pass.iter_mut().enumerate() {
            match fields.get(c) {
                Some(v) => b.append_value(v),
                None => b.append_null(),
            }
        }
        vb.push(line, fields.get(col).copied());
    };
    // Records between the refused ones, each parsed from its own start line.
    let scan = scan_block(bytes, opts.max_field_lines, true);
    let newlines = |r: std::ops::Range<usize>| {
        bytes
            .get(r)
            .map_or(0, |t| t.iter().filter(|&&c| c == b'\n').count()) as u64
    };
    let mut pos = 0;
    let mut line = first_line;
    for r in &scan.refused {
        for_each_record(bytes.get(pos..r.start).unwrap_or(&[]), line, &mut record);
        line += newlines(pos..r.start);
        refused_rows.push((
            line,
            format!(
                "a quoted field opened in this row is not closed within {} lines (a stray `\"`?): \
                 the row was not checked, the rows after it were",
                opts.max_field_lines
            ),
        ));
        line += newlines(r.clone());
        pos = r.end;
    }
    for_each_record(bytes.get(pos..).unwrap_or(&[]), line, &mut record);
    refused_rows.append(&mut ragged);
    refused_rows.sort_by_key(|r| r.0);
    let mut refused = CheckCounts::default();
    for (line, reason) in refused_rows {
        refused.refuse(line, reason);
    }
    let (line, verdict_cols, mut counts) = vb.finish();
    counts.add(&refused);
    let mut cols: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    cols.push(line);
    cols.extend(
        pass.iter_mut()
            .map(|b| Arc::new(text_column(b.finish())) as ArrayRef),
    );
    cols.extend(verdict_cols);
    let batch = RecordBatch::try_new(schema.clone(), cols)
        .map_err(ImeiError::arrow("assembling verdicts"))?;
    Ok((batch, counts))
}

fn check_parquet(
    input: &Path,
    output: &Path,
    ctx: CheckContext<'_>,
    opts: &BulkOptions,
    prov: &tabular::Provenance,
    progress: Progress<'_>,
) -> Result<CheckCounts, ImeiError> {
    let file = input.display().to_string();
    let f = File::open(input).map_err(|e| ImeiError::io(input, e))?;
    let pq = |source| ImeiError::Parquet {
        file: file.clone(),
        source,
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(f).map_err(pq)?;
    let total = builder.metadata().file_metadata().num_rows().max(0) as u64;
    let in_schema = builder.schema().clone();
    let names: Vec<String> = in_schema
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let col = find_column(&names, &opts.column, &file)?;
    // An IMEI typed as a number has lost its leading zeros: refuse the file
    // before any output exists.
    if let Some(f) = in_schema.fields().get(col) {
        crate::reader::require_text(&file, f.name(), f.data_type())?;
    }
    let in_fields: Vec<Field> = in_schema
        .fields()
        .iter()
        .map(|f| f.as_ref().clone().with_nullable(true))
        .collect();
    let schema = output_schema(&in_fields)?;
    let mut reader = builder
        .with_batch_size(opts.parquet_batch_rows.max(1))
        .build()
        .map_err(pq)?;
    let sink = create_sink(output, schema.clone(), prov, &names[col])?;
    let produce = move |emit: Emit<'_, (u64, RecordBatch)>| -> Result<(), ImeiError> {
        let mut next_line = 1u64;
        for b in reader.by_ref() {
            let b = b.map_err(ImeiError::arrow(format!("reading {file}")))?;
            let n = b.num_rows() as u64;
            if !emit(next_line - 1 + n, (next_line, b)) {
                break; // the writer stopped
            }
            next_line += n;
        }
        Ok(())
    };
    let check = |(first, b): (u64, RecordBatch)| parquet_batch(&b, first, col, ctx, &schema);
    stream(sink, opts.group, total, progress, produce, check)
}

fn parquet_batch(
    b: &RecordBatch,
    first_line: u64,
    col: usize,
    ctx: CheckContext<'_>,
    schema: &SchemaRef,
) -> Result<(RecordBatch, CheckCounts), ImeiError> {
    let text =
        cast(b.column(col), &DataType::Utf8).map_err(ImeiError::arrow("IMEI column as text"))?;
    let s = text
        .as_string_opt::<i32>()
        .ok_or_else(|| ImeiError::Invalid("IMEI column could not be read as text".into()))?;
    let mut vb = VerdictBuilder::new(ctx, b.num_rows());
    for i in 0..b.num_rows() {
        let v = if s.is_null(i) {
            None
        } else {
            Some(s.value(i).as_bytes())
        };
        vb.push(first_line + i as u64, v);
    }
    let (line, verdict_cols, counts) = vb.finish();
    let mut cols: Vec<ArrayRef> = vec![line];
    cols.extend(b.columns().iter().cloned());
    cols.extend(verdict_cols);
    let batch = RecordBatch::try_new(schema.clone(), cols)
        .map_err(ImeiError::arrow("assembling verdicts"))?;
    Ok((batch, counts))
}
