//! Operator network data: the IMEI–IMSI–MSISDN triplets an operator sees
//! each day (`date,imei,imsi,msisdn,rat`, CSV or Parquet, one operator per
//! file), checked before anything is stored and aggregated to one row per
//! (IMEI, IMSI, MSISDN, month) with a 31-bit day-seen mask and the radio
//! access technologies seen, as DIRBS keeps its monthly network triplets.
//!
//! The safety checks follow DIRBS's operator data import (null IMEIs, IMSIs
//! and MSISDNs, malformed IMEIs, IMSIs outside the operator's MCC-MNC
//! prefixes, rows outside the file's period, and a row count far below the
//! operator's recent average): each is a share of the file's data rows
//! against a configurable threshold, and a file that exceeds any is refused
//! whole, with the figures. Rows that pass are kept even when their IMEI is
//! malformed (it is evidence), with its class ([`crate::identity`]).
//!
//! ```
//! use imei_core::operator_data::{Operator, Period, Thresholds, check_rows, Row};
//! let op = Operator::new("alfa", &["43701"]).unwrap();
//! let period = Period::parse("2026-10-01:2026-10-31").unwrap();
//! let rows = vec![Row {
//!     line: 2,
//!     date: Some("2026-10-03".into()),
//!     imei: Some("35693803564380".into()),
//!     imsi: Some("437010000000001".into()),
//!     msisdn: Some("996700000001".into()),
//!     rat: Some("4G".into()),
//! }];
//! let checked = check_rows("day.csv", &op, period, &Thresholds::default(), None, rows).unwrap();
//! assert_eq!(checked.triplets.len(), 1);
//! assert_eq!(checked.triplets[0].day_mask, 1 << 2);
//! ```

use std::collections::HashMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use rayon::slice::ParallelSliceMut;

use crate::error::ImeiError;
use crate::identity::{ImeiClass, classify};

/// An operator and the MCC-MNC prefixes of its IMSIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// Name: lower-case letters, digits, `_` or `-`.
    pub name: String,
    /// MCC-MNC prefixes (5 or 6 digits).
    pub mcc_mnc: Vec<String>,
}

impl Operator {
    /// Validates a name and its prefixes.
    ///
    /// ```
    /// use imei_core::operator_data::Operator;
    /// assert!(Operator::new("alfa", &["43701", "437010"]).is_ok());
    /// assert!(Operator::new("Alfa Telecom", &["43701"]).is_err());
    /// assert!(Operator::new("alfa", &["4370"]).is_err());
    /// ```
    pub fn new(name: &str, mcc_mnc: &[&str]) -> Result<Self, ImeiError> {
        let name_ok = !name.is_empty()
            && name.len() <= 32
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !name_ok {
            return Err(ImeiError::Invalid(format!(
                "operator name: expected 1–32 of a-z, 0-9, _ or -, found {name:?}"
            )));
        }
        if mcc_mnc.is_empty() {
            return Err(ImeiError::Invalid(format!(
                "operator {name}: expected at least one MCC-MNC, found none"
            )));
        }
        for p in mcc_mnc {
            if !(p.len() == 5 || p.len() == 6) || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ImeiError::Invalid(format!(
                    "operator {name}: MCC-MNC expected 5 or 6 digits, found {p:?}"
                )));
            }
        }
        Ok(Self {
            name: name.to_string(),
            mcc_mnc: mcc_mnc.iter().map(|p| p.to_string()).collect(),
        })
    }

    /// True when `imsi` starts with one of the operator's prefixes.
    pub fn owns(&self, imsi: &str) -> bool {
        self.mcc_mnc.iter().any(|p| imsi.starts_with(p.as_str()))
    }
}

/// The days a file covers (both ends included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    /// Parses `YYYY-MM-DD:YYYY-MM-DD` (first ≤ last).
    pub fn parse(text: &str) -> Result<Self, ImeiError> {
        let bad = || {
            ImeiError::Invalid(format!(
                "period: expected YYYY-MM-DD:YYYY-MM-DD (first ≤ last), found {text:?}"
            ))
        };
        let (a, b) = text.split_once(':').ok_or_else(bad)?;
        let from = parse_date(a).ok_or_else(bad)?;
        let to = parse_date(b).ok_or_else(bad)?;
        if from > to {
            return Err(bad());
        }
        Ok(Self { from, to })
    }

    /// The period a file name states, DIRBS-style: `_YYYYMMDD_YYYYMMDD`
    /// just before the extension (`alfa_20261001_20261031.csv`).
    ///
    /// ```
    /// use imei_core::operator_data::Period;
    /// let p = Period::from_file_name(std::path::Path::new("in/alfa_20261001_20261031.csv")).unwrap();
    /// assert_eq!(p, Period::parse("2026-10-01:2026-10-31").unwrap());
    /// assert!(Period::from_file_name(std::path::Path::new("alfa.csv")).is_none());
    /// ```
    pub fn from_file_name(path: &std::path::Path) -> Option<Self> {
        let stem = path.file_stem()?.to_str()?;
        let mut parts = stem.rsplit('_');
        let to = parse_date(parts.next()?)?;
        let from = parse_date(parts.next()?)?;
        (from <= to).then_some(Self { from, to })
    }

    /// True when `day` lies in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// A date as `YYYY-MM-DD` or `YYYYMMDD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y%m%d"))
        .ok()
}

/// Thresholds of the safety checks: the largest share of a file's data rows
/// that may have each defect, and the smallest row count as a share of the
/// operator's recent average.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Rows without an IMEI.
    pub null_imei: f64,
    /// Rows without an IMSI.
    pub null_imsi: f64,
    /// Rows without an MSISDN.
    pub null_msisdn: f64,
    /// Rows whose IMEI is malformed.
    pub malformed_imei: f64,
    /// Rows whose IMSI is not the operator's (prefix) or not 6–15 digits.
    pub foreign_imsi: f64,
    /// Rows dated outside the period (or not dated at all).
    pub out_of_period: f64,
    /// The file's rows must be at least this share of the operator's
    /// average over its recent files.
    pub min_rows_vs_average: f64,
}

impl Default for Thresholds {
    /// DIRBS's defaults where it has them: 5 % nulls, 5 % malformed, 10 %
    /// foreign IMSIs; no row outside the period; at least half the average.
    fn default() -> Self {
        Self {
            null_imei: 0.05,
            null_imsi: 0.05,
            null_msisdn: 0.05,
            malformed_imei: 0.05,
            foreign_imsi: 0.10,
            out_of_period: 0.0,
            min_rows_vs_average: 0.5,
        }
    }
}

/// One input row (fields as read; empty text is a null).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    /// Line (CSV) or row (Parquet) number.
    pub line: u64,
    /// `date`.
    pub date: Option<String>,
    /// `imei`.
    pub imei: Option<String>,
    /// `imsi`.
    pub imsi: Option<String>,
    /// `msisdn`.
    pub msisdn: Option<String>,
    /// `rat` (2G, 3G, 4G, 5G; anything else is counted and ignored).
    pub rat: Option<String>,
}

/// Radio access technology bits of [`Triplet::rat_mask`].
pub const RAT_2G: u8 = 1;
/// 3G.
pub const RAT_3G: u8 = 2;
/// 4G.
pub const RAT_4G: u8 = 4;
/// 5G.
pub const RAT_5G: u8 = 8;

fn rat_bit(text: &str) -> Option<u8> {
    match text.trim().to_ascii_uppercase().as_str() {
        "2G" | "GSM" | "GERAN" => Some(RAT_2G),
        "3G" | "UMTS" | "UTRAN" | "WCDMA" => Some(RAT_3G),
        "4G" | "LTE" | "EUTRAN" | "E-UTRAN" => Some(RAT_4G),
        "5G" | "NR" => Some(RAT_5G),
        _ => None,
    }
}

/// One stored row: a triplet seen in one month, on the days of `day_mask`
/// (bit `d − 1` for day `d`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triplet {
    /// The IMEI as received (trimmed).
    pub imei: String,
    /// Its class; malformed ones are kept.
    pub imei_class: ImeiClass,
    /// IMSI (null allowed below the threshold).
    pub imsi: Option<String>,
    /// MSISDN (null allowed below the threshold).
    pub msisdn: Option<String>,
    /// The month, `YYYYMM`.
    pub month: u32,
    /// Days seen in that month.
    pub day_mask: u32,
    /// Technologies seen ([`RAT_2G`] …).
    pub rat_mask: u8,
}

/// What a file held, and each safety check's figure against its threshold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SafetyReport {
    /// The file.
    pub file: String,
    /// Data rows.
    pub rows: u64,
    /// Each check: name, count, share of rows, threshold, passed.
    pub checks: Vec<SafetyCheck>,
    /// Rows whose `rat` is not recognised (kept, technology unknown).
    pub unknown_rat: u64,
}

/// One safety check's figure.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyCheck {
    /// Name (`null_imei`, …, `row_count`).
    pub name: &'static str,
    /// Rows with the defect (for `row_count`: the file's rows).
    pub count: u64,
    /// Share of the rows (for `row_count`: rows / average).
    pub share: f64,
    /// The threshold (for `row_count`: the least share allowed).
    pub threshold: f64,
    /// Whether it passed.
    pub passed: bool,
}

impl SafetyReport {
    /// True when every check passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

impl fmt::Display for SafetyReport {
    /// `file: 1000 rows; null_imei 12 (1.2 %, max 5 %) ok; …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} rows", self.file, self.rows)?;
        for c in &self.checks {
            if c.name == "row_count" {
                write!(
                    f,
                    "; row_count {:.0} % of the recent average (min {:.0} %) {}",
                    100.0 * c.share,
                    100.0 * c.threshold,
                    if c.passed { "ok" } else { "FAILED" }
                )?;
            } else {
                write!(
                    f,
                    "; {} {} ({:.2} %, max {:.2} %) {}",
                    c.name,
                    c.count,
                    100.0 * c.share,
                    100.0 * c.threshold,
                    if c.passed { "ok" } else { "FAILED" }
                )?;
            }
        }
        Ok(())
    }
}

/// A file that passed: its report and its aggregated triplets.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The report (every check passed).
    pub report: SafetyReport,
    /// One triplet per (IMEI, IMSI, MSISDN, month), sorted.
    pub triplets: Vec<Triplet>,
}

fn text(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// One triplet-month being aggregated: the IMEI's class, the days and
/// technologies seen, and the rows that made it.
#[derive(Debug, Clone, Copy)]
struct Cell {
    class: ImeiClass,
    day_mask: u32,
    rat_mask: u8,
    rows: u64,
}

/// The rows of one file folded as they are read, never held: the counts of
/// the safety checks and one [`Cell`] per (IMEI, IMSI, MSISDN, month),
/// keyed by an unambiguous byte encoding (month, the three lengths — 0 for
/// a null IMSI or MSISDN, length + 1 otherwise — then the bytes), so that a
/// file's memory is its distinct triplets, not its rows.
#[derive(Debug)]
struct Fold<'a> {
    operator: &'a Operator,
    period: Period,
    rows: u64,
    null_imei: u64,
    null_imsi: u64,
    null_msisdn: u64,
    foreign: u64,
    outside: u64,
    unknown_rat: u64,
    cells: HashMap<Box<[u8]>, Cell>,
    key: Vec<u8>,
}

fn tag(field: Option<&str>) -> u32 {
    field.map_or(0, |s| s.len() as u32 + 1)
}

impl<'a> Fold<'a> {
    fn new(operator: &'a Operator, period: Period) -> Self {
        Self {
            operator,
            period,
            rows: 0,
            null_imei: 0,
            null_imsi: 0,
            null_msisdn: 0,
            foreign: 0,
            outside: 0,
            unknown_rat: 0,
            cells: HashMap::new(),
            key: Vec::with_capacity(64),
        }
    }

    fn push(&mut self, row: &Row) {
        self.rows += 1;
        let day = text(&row.date).and_then(parse_date);
        let day = match day {
            Some(d) if self.period.contains(d) => d,
            _ => {
                self.outside += 1;
                return;
            }
        };
        let imsi = text(&row.imsi);
        match imsi {
            None => self.null_imsi += 1,
            Some(s) => {
                let digits = (6..=15).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
                if !digits || !self.operator.owns(s) {
                    self.foreign += 1;
                }
            }
        }
        let msisdn = text(&row.msisdn);
        if msisdn.is_none() {
            self.null_msisdn += 1;
        }
        let rat = match text(&row.rat) {
            None => 0,
            Some(r) => rat_bit(r).unwrap_or_else(|| {
                self.unknown_rat += 1;
                0
            }),
        };
        let Some(imei) = text(&row.imei) else {
            self.null_imei += 1;
            return;
        };
        let month = u32::try_from(day.year()).unwrap_or(0) * 100 + day.month();
        let k = &mut self.key;
        k.clear();
        for n in [month, imei.len() as u32, tag(imsi), tag(msisdn)] {
            k.extend_from_slice(&n.to_le_bytes());
        }
        for part in [Some(imei), imsi, msisdn].into_iter().flatten() {
            k.extend_from_slice(part.as_bytes());
        }
        let bit = 1u32 << (day.day() - 1);
        match self.cells.get_mut(k.as_slice()) {
            Some(c) => {
                c.day_mask |= bit;
                c.rat_mask |= rat;
                c.rows += 1;
            }
            None => {
                let cell = Cell {
                    class: classify(imei).class,
                    day_mask: bit,
                    rat_mask: rat,
                    rows: 1,
                };
                self.cells.insert(k.as_slice().into(), cell);
            }
        }
    }

    fn finish(
        self,
        file: &str,
        limits: &Thresholds,
        average_rows: Option<f64>,
    ) -> Result<Checked, ImeiError> {
        let n = self.rows;
        let malformed: u64 = self
            .cells
            .values()
            .filter(|c| !c.class.is_well_formed())
            .map(|c| c.rows)
            .sum();
        let share = |c: u64| if n == 0 { 0.0 } else { c as f64 / n as f64 };
        let mut checks: Vec<SafetyCheck> = [
            ("null_imei", self.null_imei, limits.null_imei),
            ("null_imsi", self.null_imsi, limits.null_imsi),
            ("null_msisdn", self.null_msisdn, limits.null_msisdn),
            ("malformed_imei", malformed, limits.malformed_imei),
            ("foreign_imsi", self.foreign, limits.foreign_imsi),
            ("out_of_period", self.outside, limits.out_of_period),
        ]
        .into_iter()
        .map(|(name, count, threshold)| SafetyCheck {
            name,
            count,
            share: share(count),
            threshold,
            passed: share(count) <= threshold,
        })
        .collect();
        if let Some(avg) = average_rows.filter(|a| *a > 0.0) {
            let ratio = n as f64 / avg;
            checks.push(SafetyCheck {
                name: "row_count",
                count: n,
                share: ratio,
                threshold: limits.min_rows_vs_average,
                passed: ratio >= limits.min_rows_vs_average,
            });
        }
        let report = SafetyReport {
            file: file.to_string(),
            rows: n,
            checks,
            unknown_rat: self.unknown_rat,
        };
        if n == 0 {
            return Err(ImeiError::Invalid(format!("{file}: no data rows")));
        }
        if !report.passed() {
            return Err(ImeiError::Refused(Box::new(report)));
        }
        let mut triplets: Vec<Triplet> = self
            .cells
            .into_iter()
            .map(|(key, c)| decode(&key, c))
            .collect();
        triplets.par_sort_unstable_by(|a, b| {
            (&a.imei, &a.imsi, &a.msisdn, a.month).cmp(&(&b.imei, &b.imsi, &b.msisdn, b.month))
        });
        Ok(Checked { report, triplets })
    }
}

/// The triplet of a [`Fold`] key and its cell.
fn decode(key: &[u8], c: Cell) -> Triplet {
    let word = |i: usize| {
        key.get(4 * i..4 * i + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_le_bytes) as usize
    };
    let (month, imei_len, imsi_tag, msisdn_tag) = (word(0), word(1), word(2), word(3));
    let mut at = 16;
    let mut take = |len: usize| {
        let s = String::from_utf8_lossy(key.get(at..at + len).unwrap_or_default()).into_owned();
        at += len;
        s
    };
    let imei = take(imei_len);
    let imsi = (imsi_tag > 0).then(|| take(imsi_tag - 1));
    let msisdn = (msisdn_tag > 0).then(|| take(msisdn_tag - 1));
    Triplet {
        imei,
        imei_class: c.class,
        imsi,
        msisdn,
        month: month as u32,
        day_mask: c.day_mask,
        rat_mask: c.rat_mask,
    }
}

/// Checks one file's rows of `operator` for `period` against `limits`
/// (`average_rows`: the operator's recent average, when it has history) and
/// aggregates them; a file failing any check is refused whole with
/// [`ImeiError::Refused`] carrying the report.
pub fn check_rows(
    file: &str,
    operator: &Operator,
    period: Period,
    limits: &Thresholds,
    average_rows: Option<f64>,
    rows: impl IntoIterator<Item = Row>,
) -> Result<Checked, ImeiError> {
    let mut fold = Fold::new(operator, period);
    for row in rows {
        fold.push(&row);
    }
    fold.finish(file, limits, average_rows)
}

/// The columns of an operator data file, in [`Row`] order.
pub const COLUMNS: [&str; 5] = ["date", "imei", "imsi", "msisdn", "rat"];

/// Reads and checks one operator data file (CSV or Parquet by extension;
/// `date`, `imei`, `imsi`, `msisdn` required, `rat` optional; identifier
/// columns must be text in Parquet).
pub fn check_file(
    path: &std::path::Path,
    operator: &Operator,
    period: Period,
    limits: &Thresholds,
    average_rows: Option<f64>,
) -> Result<Checked, ImeiError> {
    let mut source = crate::reader::open_rows(path, &COLUMNS, &[0, 1, 2, 3], &[1, 2, 3], 65_536)?;
    // Rows are folded batch by batch: memory follows the distinct
    // triplets, not the file's rows.
    let mut fold = Fold::new(operator, period);
    while let Some(batch) = source.next_batch()? {
        for (line, mut fields) in batch {
            fields.resize(COLUMNS.len(), None);
            let mut it = fields.into_iter();
            fold.push(&Row {
                line,
                date: it.next().flatten(),
                imei: it.next().flatten(),
                imsi: it.next().flatten(),
                msisdn: it.next().flatten(),
                rat: it.next().flatten(),
            });
        }
    }
    fold.finish(&path.display().to_string(), limits, average_rows)
}
