//! Per-row IMEI checking into Arrow verdict columns: classification
//! (3GPP TS 23.003), TAC lookup, registry lookup through the in-memory index
//! and the verdict rules ([`crate::verdict`], version [`RULE_VERSION`]).
//!
//! Text columns are dictionary-encoded with small per-batch dictionaries, so a
//! check never formats a string per row.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryArray, BinaryBuilder, BooleanBuilder, DictionaryArray, Int8Array, Int32Array,
    StringArray, UInt64Array,
};
use arrow::datatypes::{DataType, Field, Int8Type, Int32Type};

use crate::fasthash::FastMap;
use crate::identity::{ImeiClass, Parsed, classify_bytes, tac_of};
use crate::index::RegistryIndex;
use crate::tac::TacDb;
use crate::verdict::{DeviceStatus, ReasonMask, Verdict, decide, unpack};

pub use crate::verdict::RULE_VERSION;

/// Names of the columns a check adds (after `line` and the input columns).
pub const VERDICT_COLUMNS: [&str; 11] = [
    "key",
    "class",
    "valid",
    "check_digit_ok",
    "tac",
    "tac_known",
    "model",
    "status",
    "reason_codes",
    "verdict",
    "reason",
];

/// What a check looks things up in.
#[derive(Debug, Clone, Copy)]
pub struct CheckContext<'a> {
    /// The registry index.
    pub index: &'a RegistryIndex,
    /// The TAC database (`None`: TAC knowledge unavailable, `tac_known` null).
    pub tacs: Option<&'a TacDb>,
    /// Classification findings (`None`: the registry's verdict alone).
    pub findings: Option<&'a crate::findings::Findings>,
}

/// Counts of a check.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CheckCounts {
    /// Rows checked.
    pub rows: u64,
    /// Verdict allowed.
    pub allowed: u64,
    /// Verdict grey.
    pub grey: u64,
    /// Verdict blocked.
    pub blocked: u64,
    /// Rows that are not well-formed IMEIs.
    pub malformed: u64,
    /// Well-formed rows found in the registry.
    pub registered: u64,
    /// Rows per class, by class name (in [`ImeiClass::ALL`] order).
    #[serde(serialize_with = "by_class_named")]
    pub by_class: [u64; 10],
    /// Input rows refused without a verdict (a runaway quoted field, more
    /// fields than the header): rows read = `rows` + `refused`.
    pub refused: u64,
    /// The first refused rows (at most [`REFUSED_KEPT`]), in input order.
    pub refused_rows: Vec<RefusedRow>,
}

/// How many refused rows a summary names.
pub const REFUSED_KEPT: usize = 20;

/// An input row refused without a verdict.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RefusedRow {
    /// Physical line of the input where the row starts.
    pub line: u64,
    /// Why, in plain language.
    pub reason: String,
}

fn by_class_named<S: serde::Serializer>(counts: &[u64; 10], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(counts.len()))?;
    for (class, n) in ImeiClass::ALL.iter().zip(counts) {
        m.serialize_entry(class.name(), n)?;
    }
    m.end()
}

impl CheckCounts {
    /// Adds another set of counts.
    pub fn add(&mut self, o: &CheckCounts) {
        self.rows += o.rows;
        self.allowed += o.allowed;
        self.grey += o.grey;
        self.blocked += o.blocked;
        self.malformed += o.malformed;
        self.registered += o.registered;
        for (a, b) in self.by_class.iter_mut().zip(o.by_class) {
            *a += b;
        }
        self.refused += o.refused;
        let room = REFUSED_KEPT.saturating_sub(self.refused_rows.len());
        self.refused_rows
            .extend(o.refused_rows.iter().take(room).cloned());
    }

    /// Counts a refused row (naming it while fewer than [`REFUSED_KEPT`] are).
    pub fn refuse(&mut self, line: u64, reason: String) {
        self.refused += 1;
        if self.refused_rows.len() < REFUSED_KEPT {
            self.refused_rows.push(RefusedRow { line, reason });
        }
    }
}

/// The Arrow fields of the verdict columns.
pub fn verdict_fields() -> Vec<Field> {
    let dict = |k: DataType| DataType::Dictionary(Box::new(k), Box::new(DataType::Utf8));
    vec![
        Field::new("key", DataType::Utf8, true),
        Field::new("class", dict(DataType::Int8), false),
        Field::new("valid", DataType::Boolean, false),
        Field::new("check_digit_ok", DataType::Boolean, true),
        Field::new("tac", DataType::Utf8, true),
        Field::new("tac_known", DataType::Boolean, true),
        Field::new("model", dict(DataType::Int32), true),
        Field::new("status", dict(DataType::Int8), true),
        Field::new("reason_codes", dict(DataType::Int32), true),
        Field::new("verdict", dict(DataType::Int8), false),
        Field::new("reason", dict(DataType::Int32), false),
    ]
}

/// Builds the verdict columns of one batch, row by row.
#[derive(Debug)]
pub struct VerdictBuilder<'a> {
    ctx: CheckContext<'a>,
    line: Vec<u64>,
    /// Registry keys as 14-digit text (leading zeros kept).
    key: BinaryBuilder,
    class: Vec<i8>,
    valid: BooleanBuilder,
    cd_ok: BooleanBuilder,
    /// TACs as 8-digit text (leading zeros kept).
    tac: BinaryBuilder,
    tac_known: BooleanBuilder,
    model: Vec<Option<i32>>,
    model_dict: Vec<String>,
    model_map: FastMap<u32, i32>,
    status: Vec<Option<i8>>,
    codes: Vec<Option<i32>>,
    codes_dict: Vec<String>,
    codes_map: FastMap<u16, i32>,
    verdict: Vec<i8>,
    reason: Vec<i32>,
    reason_dict: Vec<String>,
    reason_map: FastMap<u32, i32>,
    counts: CheckCounts,
    /// Rows classified but not yet looked up (see [`VerdictBuilder::push`]).
    pending: Vec<(u64, Parsed)>,
}

/// Rows whose registry lookups are issued together.
const LOOKUP_BATCH: usize = 16;

impl<'a> VerdictBuilder<'a> {
    /// A builder for about `capacity` rows.
    pub fn new(ctx: CheckContext<'a>, capacity: usize) -> VerdictBuilder<'a> {
        VerdictBuilder {
            ctx,
            line: Vec::with_capacity(capacity),
            key: BinaryBuilder::with_capacity(capacity, 14 * capacity),
            class: Vec::with_capacity(capacity),
            valid: BooleanBuilder::with_capacity(capacity),
            cd_ok: BooleanBuilder::with_capacity(capacity),
            tac: BinaryBuilder::with_capacity(capacity, 8 * capacity),
            tac_known: BooleanBuilder::with_capacity(capacity),
            model: Vec::with_capacity(capacity),
            model_dict: Vec::new(),
            model_map: FastMap::default(),
            status: Vec::with_capacity(capacity),
            codes: Vec::with_capacity(capacity),
            codes_dict: Vec::new(),
            codes_map: FastMap::default(),
            verdict: Vec::with_capacity(capacity),
            reason: Vec::with_capacity(capacity),
            reason_dict: Vec::new(),
            reason_map: FastMap::default(),
            counts: CheckCounts::default(),
            pending: Vec::with_capacity(LOOKUP_BATCH),
        }
    }

    /// Checks one value (raw bytes of the IMEI field; `None` = missing field).
    ///
    /// The value is classified at once; its registry lookup waits until
    /// [`LOOKUP_BATCH`] rows are pending, so the index probes (one cache miss
    /// each in a table of millions of keys) are issued back to back and
    /// overlap in the memory system instead of following one another.
    #[inline]
    pub fn push(&mut self, line: u64, value: Option<&[u8]>) {
        let p = classify_bytes(value.unwrap_or(b""));
        self.pending.push((line, p));
        if self.pending.len() >= LOOKUP_BATCH {
            self.flush();
        }
    }

    /// Looks up and records every pending row.
    fn flush(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        let mut keys = [0u64; LOOKUP_BATCH];
        for (k, (_, p)) in keys.iter_mut().zip(&pending) {
            *k = p.key.unwrap_or(0);
        }
        let packed = self.ctx.index.get_packed_batch(keys);
        for (&(line, p), packed) in pending.iter().zip(packed) {
            self.record(line, p, p.key.and(packed));
        }
        self.pending = pending;
        self.pending.clear();
    }

    /// Records one row given its registry word.
    #[inline]
    fn record(&mut self, line: u64, p: Parsed, packed: Option<u16>) {
        let entry = packed.and_then(unpack);
        let tac = p.key.map(tac_of);
        let tac_rec = match (tac, self.ctx.tacs) {
            (Some(t), Some(db)) => Some(db.get(t)),
            _ => None,
        };
        let tac_known = tac_rec.map(|r| r.is_some());
        let d = decide(p.class, tac_known, entry);
        let finding = match (p.key, self.ctx.findings) {
            (Some(k), Some(f)) => f.get_indexed(k).filter(|(_, f)| f.overrides(d.verdict)),
            _ => None,
        };

        self.line.push(line);
        match p.key {
            Some(k) => self.key.append_value(key_digits(k)),
            None => self.key.append_null(),
        }
        self.class.push(p.class as i8);
        self.valid.append_value(p.is_well_formed());
        self.cd_ok.append_option(p.check_digit_ok);
        match tac {
            Some(t) => self.tac.append_value(tac_digits(t)),
            None => self.tac.append_null(),
        }
        self.tac_known.append_option(tac_known);
        let model = match (tac, tac_rec.flatten()) {
            (Some(t), Some(rec)) => Some(match self.model_map.get(&t) {
                Some(&i) => i,
                None => {
                    let i = dict_key(self.model_dict.len());
                    self.model_dict.push(rec.label());
                    self.model_map.insert(t, i);
                    i
                }
            }),
            _ => None,
        };
        self.model.push(model);
        self.status.push(entry.map(|(s, _)| s as i8 - 1));
        let codes = entry.map(|(_, m)| match self.codes_map.get(&m.0) {
            Some(&i) => i,
            None => {
                let i = dict_key(self.codes_dict.len());
                self.codes_dict.push(m.names());
                self.codes_map.insert(m.0, i);
                i
            }
        });
        self.codes.push(codes);
        let verdict = finding.map_or(d.verdict, |(_, f)| f.verdict);
        self.verdict.push(verdict as i8);
        // Registry decision codes fit in 24 bits; findings take the top bit.
        let code = finding.map_or(d.code(), |(i, _)| 1 << 31 | i);
        let r = match self.reason_map.get(&code) {
            Some(&i) => i,
            None => {
                let i = dict_key(self.reason_dict.len());
                self.reason_dict
                    .push(finding.map_or_else(|| d.reason(), |(_, f)| f.reason.clone()));
                self.reason_map.insert(code, i);
                i
            }
        };
        self.reason.push(r);

        let c = &mut self.counts;
        c.rows += 1;
        match verdict {
            Verdict::Allowed => c.allowed += 1,
            Verdict::Grey => c.grey += 1,
            Verdict::Blocked => c.blocked += 1,
        }
        if !p.is_well_formed() {
            c.malformed += 1;
        }
        if entry.is_some() {
            c.registered += 1;
        }
        if let Some(x) = c.by_class.get_mut(p.class as usize) {
            *x += 1;
        }
    }

    /// Number of rows pushed.
    pub fn len(&self) -> usize {
        self.line.len() + self.pending.len()
    }

    /// Whether no row was pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Finishes: the `line` column, the verdict columns (in [`verdict_fields`]
    /// order) and the counts.
    pub fn finish(mut self) -> (ArrayRef, Vec<ArrayRef>, CheckCounts) {
        self.flush();
        let classes = StringArray::from_iter_values(ImeiClass::ALL.iter().map(|c| c.name()));
        let statuses = StringArray::from_iter_values(DeviceStatus::ALL.iter().map(|s| s.name()));
        let verdicts = StringArray::from_iter_values(
            [Verdict::Allowed, Verdict::Grey, Verdict::Blocked]
                .iter()
                .map(|v| v.name()),
        );
        let line: ArrayRef = Arc::new(UInt64Array::from(self.line));
        let cols: Vec<ArrayRef> = vec![
            Arc::new(text_column(self.key.finish())),
            dict8(Int8Array::from(self.class), classes.clone()),
            Arc::new(self.valid.finish()),
            Arc::new(self.cd_ok.finish()),
            Arc::new(text_column(self.tac.finish())),
            Arc::new(self.tac_known.finish()),
            Arc::new(DictionaryArray::<Int32Type>::new(
                Int32Array::from(self.model),
                Arc::new(StringArray::from_iter_values(self.model_dict)),
            )),
            dict8(Int8Array::from(self.status), statuses),
            Arc::new(DictionaryArray::<Int32Type>::new(
                Int32Array::from(self.codes),
                Arc::new(StringArray::from_iter_values(self.codes_dict)),
            )),
            dict8(Int8Array::from(self.verdict), verdicts),
            Arc::new(DictionaryArray::<Int32Type>::new(
                Int32Array::from(self.reason),
                Arc::new(StringArray::from_iter_values(self.reason_dict)),
            )),
        ];
        (line, cols, self.counts)
    }
}

/// The 14 ASCII digits of a registry key, with leading zeros (no allocation).
#[inline]
fn key_digits(key: u64) -> [u8; 14] {
    let mut out = [b'0'; 14];
    let mut v = key;
    for d in out.iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out
}

/// The 8 ASCII digits of a TAC, with leading zeros (no allocation).
#[inline]
fn tac_digits(tac: u32) -> [u8; 8] {
    let mut out = [b'0'; 8];
    let mut v = tac;
    for d in out.iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out
}

/// The key of the next dictionary value. A builder adds at most one value per
/// row and a block holds fewer than 2^31 rows (CSV blocks are capped at
/// [`crate::bulk::MAX_CHUNK_BYTES`], Parquet batches are smaller still), so
/// 32-bit keys cannot wrap; the 8-bit dictionaries are fixed catalogues
/// (classes, statuses, verdicts).
#[inline]
fn dict_key(len: usize) -> i32 {
    debug_assert!(len < i32::MAX as usize);
    i32::try_from(len).unwrap_or(i32::MAX)
}

/// A text column from bytes gathered without checking each value: the
/// whole buffer is checked as UTF-8 at once (fast for ASCII); if it is not
/// UTF-8, each invalid value becomes its lossy conversion (U+FFFD).
pub(crate) fn text_column(bytes: BinaryArray) -> StringArray {
    match StringArray::try_from_binary(bytes.clone()) {
        Ok(text) => text,
        Err(_) => bytes
            .iter()
            .map(|v| v.map(String::from_utf8_lossy))
            .collect(),
    }
}

fn dict8(keys: Int8Array, values: StringArray) -> ArrayRef {
    Arc::new(DictionaryArray::<Int8Type>::new(keys, Arc::new(values)))
}

/// Everything known about one IMEI (the `spectra imei info` record).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImeiInfo {
    /// The input, verbatim.
    pub input: String,
    /// Whether well-formed.
    pub valid: bool,
    /// Class name.
    pub class: String,
    /// Class description.
    pub class_description: String,
    /// 14-digit key (as a zero-padded string).
    pub key: Option<String>,
    /// The 15-digit IMEI with its check digit.
    pub imei15: Option<String>,
    /// Check digit verdict (15-digit input).
    pub check_digit_ok: Option<bool>,
    /// IMEISV software version.
    pub software_version: Option<u8>,
    /// TAC (8 digits).
    pub tac: Option<String>,
    /// Whether the TAC is in the TAC database (`null` without one).
    pub tac_known: Option<bool>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Registry status (`null`: not registered or no registry).
    pub status: Option<DeviceStatus>,
    /// Reason names.
    pub reason_codes: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// The plain-language reason.
    pub reason: String,
    /// The rule that decided.
    pub rule: crate::verdict::Rule,
    /// Version of the rules.
    pub rule_version: String,
}

/// Explains one input value.
pub fn info(input: &str, ctx: CheckContext<'_>) -> ImeiInfo {
    let p = crate::identity::classify(input);
    let entry = p.key.and_then(|k| ctx.index.get(k));
    let tac = p.key.map(tac_of);
    let rec = match (tac, ctx.tacs) {
        (Some(t), Some(db)) => Some(db.get(t)),
        _ => None,
    };
    let d = decide(p.class, rec.map(|r| r.is_some()), entry);
    let finding = match (p.key, ctx.findings) {
        (Some(k), Some(f)) => f.get(k).filter(|f| f.overrides(d.verdict)),
        _ => None,
    };
    let rec = rec.flatten();
    ImeiInfo {
        input: input.to_string(),
        valid: p.is_well_formed(),
        class: p.class.name().to_string(),
        class_description: p.class.description().to_string(),
        key: p.key.map(crate::identity::format_key),
        imei15: p.key.map(crate::identity::format_imei15),
        check_digit_ok: p.check_digit_ok,
        software_version: p.software_version,
        tac: tac.map(|t| format!("{t:08}")),
        tac_known: d.tac_known,
        manufacturer: rec.map(|r| r.manufacturer.clone()),
        model: rec.map(|r| r.model.clone()),
        status: entry.map(|e| e.0),
        reason_codes: entry.map(|e| ReasonMask::names(e.1)),
        verdict: finding.map_or(d.verdict, |f| f.verdict),
        reason: finding.map_or_else(|| d.reason(), |f| f.reason.clone()),
        rule: finding.map_or(d.rule, |_| crate::verdict::Rule::Finding),
        rule_version: finding.map_or_else(|| RULE_VERSION.to_string(), |f| f.rule_version.clone()),
    }
}
