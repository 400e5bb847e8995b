//! The network sightings of every IMEI a classification run looks at,
//! gathered compactly and grouped by IMEI: one 24-byte row per stored
//! triplet-month (the IMEI's text packed in 64 bits, the IMSI pseudonym as a
//! 64-bit hash, the month and its day mask), sorted on all cores, then each
//! IMEI's rows folded into its [`Seen`] per window length — so a run's
//! memory is its rows, not a map per IMEI, at the national scale of DIRBS's
//! monthly network triplets (hundreds of millions of rows).
//!
//! An IMEI of at most 17 ASCII digits is packed as its length and value
//! (leading zeros kept); any other text is interned. Either way the text is
//! given back exactly as stored.
//!
//! ```
//! use chrono::NaiveDate;
//! use imei_core::dimensions::Window;
//! use imei_core::sightings::Sightings;
//! let date = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
//! let windows = [(30, Window::new(date, 30))];
//! let mut s = Sightings::default();
//! s.add("35693803564380", "n1:aa", 202_610, 1 << 30);
//! s.add("35693803564380", "n1:bb", 202_610, 1 << 29);
//! s.add("0012", "", 202_610, 1 << 30);
//! let mut seen = Vec::new();
//! s.for_each_imei(&windows, |imei, per| seen.push((imei.to_string(), per[&30].distinct_imsis())));
//! assert_eq!(seen, [("0012".to_string(), 0), ("35693803564380".to_string(), 2)]);
//! ```

use std::collections::{BTreeMap, HashMap};

use rayon::slice::ParallelSliceMut;

use crate::dimensions::{Seen, Window, imsi_hash};

/// Top bit of an interned IMEI's code.
const INTERNED: u64 = 1 << 63;
/// Longest all-digit IMEI text packed in a code.
const MAX_PACKED_DIGITS: usize = 17;

/// The sightings of a run (see the module docs).
#[derive(Debug, Default)]
pub struct Sightings {
    /// (IMEI code, IMSI hash or 0 for none, month, day mask).
    rows: Vec<(u64, u64, u32, u32)>,
    interned: Vec<String>,
    index: HashMap<String, u64>,
}

impl Sightings {
    /// Adds one stored row: `imei` as stored, `imsi` its pseudonym (empty
    /// for none), `month` (`YYYYMM`) and its day mask.
    pub fn add(&mut self, imei: &str, imsi: &str, month: u32, day_mask: u32) {
        let code = self.code(imei);
        let imsi = if imsi.is_empty() {
            0
        } else {
            imsi_hash(imsi).max(1)
        };
        self.rows.push((code, imsi, month, day_mask));
    }

    /// Rows added.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn code(&mut self, imei: &str) -> u64 {
        let b = imei.as_bytes();
        if !b.is_empty() && b.len() <= MAX_PACKED_DIGITS && b.iter().all(u8::is_ascii_digit) {
            let value = b.iter().fold(0u64, |v, d| v * 10 + u64::from(d - b'0'));
            return ((b.len() as u64) << 57) | value;
        }
        if let Some(&c) = self.index.get(imei) {
            return c;
        }
        let c = INTERNED | self.interned.len() as u64;
        self.interned.push(imei.to_string());
        self.index.insert(imei.to_string(), c);
        c
    }

    fn text(&self, code: u64, buf: &mut String) {
        buf.clear();
        if code & INTERNED != 0 {
            let i = usize::try_from(code & !INTERNED).unwrap_or(usize::MAX);
            if let Some(s) = self.interned.get(i) {
                buf.push_str(s);
            }
            return;
        }
        let len = (code >> 57) as usize;
        let digits = (code & ((1 << 57) - 1)).to_string();
        for _ in digits.len()..len {
            buf.push('0');
        }
        buf.push_str(&digits);
    }

    /// Calls `f` once per IMEI (packed IMEIs by length then value, then
    /// the interned ones in the order first seen) with its text and its
    /// sightings per window length of `windows`.
    pub fn for_each_imei(
        mut self,
        windows: &[(u32, Window)],
        mut f: impl FnMut(&str, &BTreeMap<u32, Seen>),
    ) {
        self.rows.par_sort_unstable();
        let mut text = String::new();
        // One Seen per window, cleared (not freed) between IMEIs.
        let mut per: BTreeMap<u32, Seen> =
            windows.iter().map(|(l, _)| (*l, Seen::default())).collect();
        for group in self.rows.chunk_by(|a, b| a.0 == b.0) {
            for (l, w) in windows {
                let Some(seen) = per.get_mut(l) else {
                    continue;
                };
                seen.clear();
                for &(_, imsi, month, mask) in group {
                    seen.add_hashed(w, (imsi != 0).then_some(imsi), month, mask);
                }
            }
            self.text(group[0].0, &mut text);
            f(&text, &per);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn texts_come_back_exactly() {
        let texts = [
            "35693803564380",
            "356938035643809",
            "3569380356438091",
            "00000000000001",
            "0",
            "12345678901234567",
            "123456789012345678",
            "35693803564380A",
            "",
            " 356",
        ];
        let date = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let windows = [(1, Window::new(date, 1))];
        let mut s = Sightings::default();
        for t in texts {
            s.add(t, "n1:x", 202_610, 1 << 30);
            s.add(t, "n1:y", 202_610, 1 << 30);
        }
        assert_eq!(s.len(), 2 * texts.len());
        let mut got = Vec::new();
        s.for_each_imei(&windows, |imei, per| {
            got.push(imei.to_string());
            assert_eq!(per[&1].distinct_imsis(), 2, "{imei}");
        });
        got.sort();
        let mut want: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn grouping_matches_seen_added_directly() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let windows = [(3, Window::new(date, 3)), (30, Window::new(date, 30))];
        let rows = [
            ("35693803564380", "a", 202_610, 1 << 30),
            ("35693803564380", "a", 202_611, 1 | 2),
            ("35693803564380", "b", 202_610, 1 << 9),
            ("35693803564380", "", 202_611, 4),
            ("49015420323751", "a", 202_611, 2),
        ];
        let mut s = Sightings::default();
        let mut direct: BTreeMap<&str, BTreeMap<u32, Seen>> = BTreeMap::new();
        for (imei, imsi, month, mask) in rows {
            s.add(imei, imsi, month, mask);
            for (l, w) in &windows {
                direct
                    .entry(imei)
                    .or_default()
                    .entry(*l)
                    .or_default()
                    .add(w, imsi, month, mask);
            }
        }
        let mut n = 0;
        s.for_each_imei(&windows, |imei, per| {
            n += 1;
            for (l, seen) in per {
                let d = &direct[imei][l];
                assert_eq!(
                    (seen.distinct_imsis(), seen.imsi_days(), seen.days_seen()),
                    (d.distinct_imsis(), d.imsi_days(), d.days_seen()),
                    "{imei} {l}"
                );
            }
        });
        assert_eq!(n, 2);
        // Seen with a on 31 Oct, 1 and 2 Nov (the row without an IMSI is
        // dated 3 Nov, after the run): three days and one IMSI in the 3-day
        // window; b (10 Oct) only in the 30 days.
        let mut s = Sightings::default();
        for (imei, imsi, month, mask) in rows {
            s.add(imei, imsi, month, mask);
        }
        s.for_each_imei(&windows, |imei, per| {
            if imei == "35693803564380" {
                assert_eq!((per[&3].distinct_imsis(), per[&3].days_seen()), (1, 3));
                assert_eq!(per[&30].distinct_imsis(), 2);
            }
        });
    }
}
