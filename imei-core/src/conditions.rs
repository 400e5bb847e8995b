//! Classification conditions, as DIRBS models them: a condition is an
//! intersection of dimensions (each optionally inverted) with a grace period,
//! whether it blocks, whether a match outlives its cause (`sticky`), a
//! plain-language reason and a safety limit on the share of IMEIs it may
//! match. The file is TOML 1.0; its SHA-256 is the rule version that every
//! decision carries.
//!
//! ```
//! use imei_core::conditions::{Conditions, Module};
//! let text = r#"
//! [[condition]]
//! label = "duplicate"
//! reason = "The IMEI is used with many different SIM cards"
//! grace_days = 60
//! blocking = true
//! sticky = false
//! max_matching_share = 0.1
//! [[condition.dimension]]
//! module = "duplicate"
//! threshold = 10
//! period_days = 120
//! "#;
//! let c = Conditions::parse(text, "conditions.toml").unwrap();
//! assert_eq!(c.conditions[0].dimensions[0].module, Module::Duplicate);
//! assert_eq!(c.sha256.len(), 64);
//! ```

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::error::ImeiError;

/// What a dimension tests of an IMEI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Module {
    /// The IMEI is malformed ([`crate::identity::ImeiClass`]).
    Malformed,
    /// Its TAC is not in the TAC database.
    GsmaNotFound,
    /// It is on the stolen-device list (and not recovered).
    Stolen,
    /// It is not in the registry of devices.
    NotRegistered,
    /// Seen with at least `threshold` distinct IMSIs in the `period_days`
    /// days up to and including the date.
    Duplicate,
    /// On average at least `threshold` distinct IMSIs per day seen, over the
    /// `period_days` days, when seen on at least `min_seen_days` of them.
    DuplicateDailyAvg,
    /// Its TAC is barred.
    BarredTac,
    /// Its TAC is a test TAC (001xxxxx, 3GPP TS 23.003 / GSMA TS.06).
    TestTac,
}

impl Module {
    /// Every module with its name in the file.
    pub const ALL: [(Module, &'static str); 8] = [
        (Module::Malformed, "malformed"),
        (Module::GsmaNotFound, "gsma_not_found"),
        (Module::Stolen, "stolen"),
        (Module::NotRegistered, "not_registered"),
        (Module::Duplicate, "duplicate"),
        (Module::DuplicateDailyAvg, "duplicate_daily_avg"),
        (Module::BarredTac, "barred_tac"),
        (Module::TestTac, "test_tac"),
    ];

    /// The name in the file.
    pub fn name(self) -> &'static str {
        Module::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("?", |(_, n)| n)
    }
}

/// One dimension of a condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    /// What it tests.
    pub module: Module,
    /// Negated.
    pub invert: bool,
    /// Distinct IMSIs (duplicate) or average per day (daily average).
    pub threshold: f64,
    /// The window, days up to and including the classification date.
    pub period_days: u32,
    /// Days seen below which the daily average does not apply.
    pub min_seen_days: u32,
}

/// One condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Label: a-z, 0-9, `_`; unique in the file.
    pub label: String,
    /// The sentence for a person (no `|`, which separates reasons in lists).
    pub reason: String,
    /// Days from the first match to the block date.
    pub grace_days: u32,
    /// Whether a match leads to blocking.
    pub blocking: bool,
    /// Whether a match stays when its cause ends.
    pub sticky: bool,
    /// A run in which this condition would match more than this share of
    /// the IMEIs seen is refused.
    pub max_matching_share: f64,
    /// The dimensions, all of which must hold.
    pub dimensions: Vec<Dimension>,
}

/// A conditions file.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditions {
    /// The conditions in file order.
    pub conditions: Vec<Condition>,
    /// SHA-256 of the file's bytes, hex: the rule version.
    pub sha256: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    condition: Vec<ConditionToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionToml {
    label: Spanned<String>,
    reason: Spanned<String>,
    grace_days: Spanned<i64>,
    #[serde(default)]
    blocking: bool,
    #[serde(default)]
    sticky: bool,
    max_matching_share: Option<Spanned<f64>>,
    #[serde(default)]
    dimension: Vec<DimensionToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DimensionToml {
    module: Spanned<String>,
    #[serde(default)]
    invert: bool,
    threshold: Option<Spanned<f64>>,
    period_days: Option<Spanned<i64>>,
    min_seen_days: Option<Spanned<i64>>,
}

/// The 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> u64 {
    let upto = text.get(..at.min(text.len())).unwrap_or(text);
    upto.bytes().filter(|&b| b == b'\n').count() as u64 + 1
}

impl Conditions {
    /// Parses and validates a conditions file (`file` names it in errors):
    /// an unknown key or module, a `|` in a reason, a negative or missing
    /// period or threshold, a duplicate label, or a share outside (0, 1] is
    /// refused with its line.
    pub fn parse(text: &str, file: &str) -> Result<Conditions, ImeiError> {
        let err = |at: usize, field: &str, message: String| {
            ImeiError::input(file, line_of(text, at), field, message)
        };
        let raw: FileToml = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            err(at, "toml", e.message().to_string())
        })?;
        let mut out = Vec::new();
        for c in raw.condition {
            let label = c.label.get_ref();
            let label_ok = !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !label_ok {
                return Err(err(
                    c.label.span().start,
                    "label",
                    format!("expected a-z, 0-9 or _, found {label:?}"),
                ));
            }
            if out.iter().any(|o: &Condition| o.label == *label) {
                return Err(err(
                    c.label.span().start,
                    "label",
                    format!("expected a unique label, found {label:?} twice"),
                ));
            }
            let reason = c.reason.get_ref();
            if reason.contains('|') || reason.trim().is_empty() {
                return Err(err(
                    c.reason.span().start,
                    "reason",
                    format!("expected a non-empty sentence without `|`, found {reason:?}"),
                ));
            }
            let grace_days = u32::try_from(*c.grace_days.get_ref()).map_err(|_| {
                err(
                    c.grace_days.span().start,
                    "grace_days",
                    format!("expected 0 or more days, found {}", c.grace_days.get_ref()),
                )
            })?;
            let max_matching_share = match &c.max_matching_share {
                None => 0.1,
                Some(s) => {
                    let v = *s.get_ref();
                    if !(v > 0.0 && v <= 1.0) {
                        return Err(err(
                            s.span().start,
                            "max_matching_share",
                            format!("expected a share in (0, 1], found {v}"),
                        ));
                    }
                    v
                }
            };
            if c.dimension.is_empty() {
                return Err(err(
                    c.label.span().start,
                    "dimension",
                    format!("condition {label}: expected at least one [[condition.dimension]]"),
                ));
            }
            let mut dimensions = Vec::new();
            for d in c.dimension {
                dimensions.push(dimension(d, &err)?);
            }
            out.push(Condition {
                label: label.clone(),
                reason: reason.trim().to_string(),
                grace_days,
                blocking: c.blocking,
                sticky: c.sticky,
                max_matching_share,
                dimensions,
            });
        }
        let sha256 = crate::pseudonym::hex(&Sha256::digest(text.as_bytes()));
        Ok(Conditions {
            conditions: out,
            sha256,
        })
    }
}

fn dimension(
    d: DimensionToml,
    err: &dyn Fn(usize, &str, String) -> ImeiError,
) -> Result<Dimension, ImeiError> {
    let name = d.module.get_ref();
    let module = Module::ALL
        .iter()
        .find(|(_, n)| n == name)
        .map(|(m, _)| *m)
        .ok_or_else(|| {
            let known: Vec<&str> = Module::ALL.iter().map(|(_, n)| *n).collect();
            err(
                d.module.span().start,
                "module",
                format!("expected one of {known:?}, found {name:?}"),
            )
        })?;
    let days = |v: &Option<Spanned<i64>>, field: &str, least: i64| match v {
        None => Ok(None),
        Some(s) if *s.get_ref() >= least => Ok(u32::try_from(*s.get_ref()).ok()),
        Some(s) => Err(err(
            s.span().start,
            field,
            format!("expected {least} or more days, found {}", s.get_ref()),
        )),
    };
    let period = days(&d.period_days, "period_days", 1)?;
    let min_seen = days(&d.min_seen_days, "min_seen_days", 1)?;
    let threshold = match &d.threshold {
        None => None,
        Some(s) if *s.get_ref() > 0.0 && s.get_ref().is_finite() => Some(*s.get_ref()),
        Some(s) => {
            return Err(err(
                s.span().start,
                "threshold",
                format!("expected a positive number, found {}", s.get_ref()),
            ));
        }
    };
    let counts = matches!(module, Module::Duplicate | Module::DuplicateDailyAvg);
    let (threshold, period_days) = match (counts, threshold, period) {
        (true, Some(t), Some(p)) => (t, p),
        (true, _, _) => {
            return Err(err(
                d.module.span().start,
                "module",
                format!("module {name}: expected both `threshold` and `period_days`"),
            ));
        }
        (false, None, None) => (0.0, 0),
        (false, _, _) => {
            return Err(err(
                d.module.span().start,
                "module",
                format!("module {name}: expected no `threshold` or `period_days`"),
            ));
        }
    };
    Ok(Dimension {
        module,
        invert: d.invert,
        threshold,
        period_days,
        min_seen_days: min_seen.unwrap_or(1),
    })
}
