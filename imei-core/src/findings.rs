//! Classification findings as the online verdict sees them: for each IMEI
//! (registry key) with an open blocking match, `blocked` once its block
//! date has come and `grey` during its grace, with the reasons, the run and
//! the rule version (the conditions file's hash). A check combines them with
//! the registry's verdict: the more severe wins, and a finding that wins
//! gives its reason and rule version. Golden IMEIs are left out when the
//! findings are built.
//!
//! ```
//! use imei_core::findings::Findings;
//! use imei_core::verdict::Verdict;
//! let mut f = Findings::default();
//! f.insert(35693803564380, Verdict::Grey, "grey: cloned; blocked from 2026-12-04".into(), "c1".into());
//! assert_eq!(f.get(35693803564380).unwrap().verdict, Verdict::Grey);
//! assert!(f.get(35693803564381).is_none());
//! ```

use chrono::NaiveDate;

use crate::fasthash::FastMap;
use crate::verdict::Verdict;

/// An open blocking match of one IMEI as stored (all its blocking
/// conditions folded: the earliest block date, the reasons joined by `; `,
/// the latest run), from which [`OpenFinding::on`] makes the finding of a
/// date — the one way both the registry and the EIR snapshot word it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpenFinding {
    /// Registry key (14-digit body).
    pub key: u64,
    /// The earliest block date of its blocking matches.
    pub block_date: NaiveDate,
    /// The reasons, joined by `; `.
    pub reasons: String,
    /// The run that last decided it.
    pub run_id: u64,
}

impl OpenFinding {
    /// Its verdict and reason on `date`: blocked from the block date, grey
    /// before.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use imei_core::findings::OpenFinding;
    /// use imei_core::verdict::Verdict;
    /// let f = OpenFinding { key: 35693803564380, block_date: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
    ///                       reasons: "cloned".into(), run_id: 3 };
    /// assert_eq!(f.on(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()).0, Verdict::Grey);
    /// assert_eq!(f.on(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()).0, Verdict::Blocked);
    /// ```
    pub fn on(&self, date: NaiveDate) -> (Verdict, String) {
        let (reasons, run_id, block_date) = (&self.reasons, self.run_id, self.block_date);
        if block_date <= date {
            (
                Verdict::Blocked,
                format!(
                    "blocked: {reasons} (network evidence, classification run {run_id}; blocked since \
                     {block_date}; the decision can be contested)"
                ),
            )
        } else {
            (
                Verdict::Grey,
                format!(
                    "grey: {reasons} (network evidence, classification run {run_id}); to be blocked on \
                     {block_date} unless resolved"
                ),
            )
        }
    }
}

/// One IMEI's finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `Grey` (in grace) or `Blocked`.
    pub verdict: Verdict,
    /// The plain-language reason, with the run and the block date.
    pub reason: String,
    /// The rule version (`conditions:` and the file's SHA-256).
    pub rule_version: String,
}

impl Finding {
    /// Whether the finding decides over the registry's `verdict`: when more
    /// severe, and when both are grey (the finding says why, and until when).
    pub fn overrides(&self, verdict: Verdict) -> bool {
        self.verdict > verdict || (self.verdict == verdict && verdict == Verdict::Grey)
    }
}

/// Findings by registry key.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    by_key: FastMap<u64, u32>,
    list: Vec<Finding>,
}

impl Findings {
    /// Records the finding of `key`.
    pub fn insert(&mut self, key: u64, verdict: Verdict, reason: String, rule_version: String) {
        let i = self.list.len() as u32;
        self.list.push(Finding {
            verdict,
            reason,
            rule_version,
        });
        self.by_key.insert(key, i);
    }

    /// The finding of `key`, with its number (stable for these findings).
    pub fn get_indexed(&self, key: u64) -> Option<(u32, &Finding)> {
        let i = *self.by_key.get(&key)?;
        self.list.get(i as usize).map(|f| (i, f))
    }

    /// The finding of `key`.
    pub fn get(&self, key: u64) -> Option<&Finding> {
        self.get_indexed(key).map(|(_, f)| f)
    }

    /// The findings of `open` on `date`, under `rule_version` (the
    /// conditions' `conditions-sha256:…`).
    pub fn on(open: &[OpenFinding], date: NaiveDate, rule_version: &str) -> Findings {
        let mut out = Findings::default();
        for f in open {
            let (verdict, reason) = f.on(date);
            out.insert(f.key, verdict, reason, rule_version.to_string());
        }
        out
    }

    /// Number of IMEIs with a finding.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}
