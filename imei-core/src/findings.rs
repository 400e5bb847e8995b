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

use crate::fasthash::FastMap;
use crate::verdict::Verdict;

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

    /// Number of IMEIs with a finding.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}
