//! Queries over a table: at a frequency, over a range, by service, footnote
//! texts, footnotes that name a country, and merging identical neighbours.

use crate::model::{Band, Status, Table};
use crate::service::{RadioService, ServiceEntry, service_key};

/// How to match a service in [`Table::bands_with_service`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceQuery {
    /// An RR service, including its sub-services (mobile matches land mobile).
    Service(RadioService),
    /// A service name as written (case and spacing folded), for unknown names.
    Name(String),
}

impl ServiceQuery {
    /// An RR service if the text names one, else a name match.
    pub fn parse(text: &str) -> ServiceQuery {
        RadioService::lookup(text)
            .map(ServiceQuery::Service)
            .unwrap_or_else(|| ServiceQuery::Name(service_key(text)))
    }
}

impl Table {
    /// Bands containing `freq_hz` (one in a well-formed table).
    ///
    /// ```
    /// use allocation_table::model::{Band, Metadata, Table};
    /// let t = Table::new(Metadata::default(), vec![Band::new(432_000_000, 438_000_000)], Default::default());
    /// assert_eq!(t.at(435_000_000).len(), 1);
    /// assert!(t.at(438_000_000).is_empty()); // upper edge excluded
    /// ```
    pub fn at(&self, freq_hz: u64) -> Vec<&Band> {
        self.band_indices_at(freq_hz)
            .into_iter()
            .map(|i| &self.bands()[i])
            .collect()
    }

    /// Bands that meet the closed range `[f1_hz, f2_hz]` (order of the
    /// arguments does not matter), including a band that contains the whole
    /// range.
    pub fn range(&self, f1_hz: u64, f2_hz: u64) -> Vec<&Band> {
        let (lo, hi) = (f1_hz.min(f2_hz), f1_hz.max(f2_hz));
        if lo == hi {
            return self.at(lo);
        }
        let end = self.bands().partition_point(|b| b.lower_hz < hi);
        self.bands()[..end]
            .iter()
            .filter(|b| b.upper_hz > lo && b.lower_hz < b.upper_hz)
            .collect()
    }

    /// Bands where a service is allocated (optionally only as primary),
    /// with the matching allocation's status.
    pub fn bands_with_service(
        &self,
        query: &ServiceQuery,
        primary_only: bool,
    ) -> Vec<(&Band, Status)> {
        self.bands()
            .iter()
            .filter_map(|b| {
                let hit = b.allocations.iter().find(|a| {
                    let matched = match (query, a.parsed().entry) {
                        (ServiceQuery::Service(want), ServiceEntry::Service(s)) => {
                            s.is_within(*want)
                        }
                        (ServiceQuery::Name(n), ServiceEntry::Unknown(name)) => {
                            service_key(&name) == *n
                        }
                        (ServiceQuery::Name(n), _) => {
                            service_key(&a.service_text).starts_with(n.as_str())
                        }
                        _ => false,
                    };
                    matched && (!primary_only || a.status == Status::Primary)
                })?;
                Some((b, hit.status))
            })
            .collect()
    }

    /// Text of a footnote.
    pub fn footnote_text(&self, id: &str) -> Option<&str> {
        self.footnotes.get(id.trim()).map(String::as_str)
    }

    /// Bands that reference a footnote (at band or allocation level).
    pub fn bands_with_footnote(&self, id: &str) -> Vec<&Band> {
        let id = id.trim();
        self.bands()
            .iter()
            .filter(|b| {
                b.footnotes.iter().any(|n| n == id)
                    || b.allocations
                        .iter()
                        .any(|a| a.footnotes.iter().any(|n| n == id))
            })
            .collect()
    }

    /// Footnotes whose text names a country (whole word, case-insensitive),
    /// e.g. `Kyrgyzstan`, under any of its spellings in
    /// [`COUNTRY_ALIASES`] (`Kyrgystan` too), in numeric footnote order
    /// ([`footnote_order`]: 5.2 < 5.10 < 5.100).
    pub fn footnotes_naming(&self, country: &str) -> Vec<(&str, &str)> {
        let needle = country.trim().to_lowercase();
        if needle.is_empty() {
            return Vec::new();
        }
        let spellings: Vec<String> = COUNTRY_ALIASES
            .iter()
            .find(|group| group.iter().any(|s| s.to_lowercase() == needle))
            .map(|group| group.iter().map(|s| s.to_lowercase()).collect())
            .unwrap_or_else(|| vec![needle]);
        let mut out: Vec<(&str, &str)> = self
            .footnotes
            .iter()
            .filter(|(_, text)| {
                let text = text.to_lowercase();
                spellings.iter().any(|s| names_word(&text, s))
            })
            .map(|(id, text)| (id.as_str(), text.as_str()))
            .collect();
        out.sort_by(|a, b| footnote_order(a.0, b.0));
        out
    }

    /// A copy with adjacent bands of identical content merged into one.
    pub fn merged(&self) -> Table {
        let mut out: Vec<Band> = Vec::with_capacity(self.len());
        for b in self.bands() {
            if let Some(prev) = out.last_mut()
                && prev.upper_hz == b.lower_hz
                && prev.same_content(b)
            {
                prev.upper_hz = b.upper_hz;
                continue;
            }
            out.push(b.clone());
        }
        let mut t = self.clone();
        t.set_bands(out);
        t
    }
}

/// Spellings of one country that the footnote texts of the Radio
/// Regulations (or their transcriptions) use interchangeably; a
/// `footnote --country` query for any one of them finds all.
pub const COUNTRY_ALIASES: &[&[&str]] = &[
    &["Kyrgyzstan", "Kyrgystan", "Kyrgyz Republic", "Kirghizia"],
    &["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"],
    &["Viet Nam", "Vietnam"],
    &["Türkiye", "Turkey"],
    &["Czech Republic", "Czechia"],
    &["Moldova", "Republic of Moldova"],
    &["Belarus", "Byelorussia"],
];

/// Orders footnote ids by their numbers, not as text: runs of digits
/// compare as numbers (5.2 < 5.10 < 5.100 < 5.279 < 5.279A).
///
/// ```
/// use allocation_table::query::footnote_order;
/// let mut ids = vec!["5.100", "5.10", "5.2", "5.279A", "5.279"];
/// ids.sort_by(|a, b| footnote_order(a, b));
/// assert_eq!(ids, ["5.2", "5.10", "5.100", "5.279", "5.279A"]);
/// ```
pub fn footnote_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(u8, u128, &str)> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            let digit = c.is_ascii_digit();
            let end = rest
                .find(|ch: char| ch.is_ascii_digit() != digit)
                .unwrap_or(rest.len());
            let (head, tail) = rest.split_at(end);
            out.push(if digit {
                (0, head.parse().unwrap_or(u128::MAX), head)
            } else {
                (1, 0, head)
            });
            rest = tail;
        }
        out
    }
    chunks(a).cmp(&chunks(b)).then_with(|| a.cmp(b))
}

fn names_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{Allocation, Metadata};

    fn t() -> Table {
        let mut a = Band::new(100, 200);
        a.allocations
            .push(Allocation::new("Land Mobile", Status::Primary));
        let mut b = Band::new(200, 300);
        b.allocations
            .push(Allocation::new("Land Mobile", Status::Primary));
        let mut c = Band::new(300, 400);
        c.allocations
            .push(Allocation::new("Fixed", Status::Secondary));
        c.footnotes.push("KG1".into());
        let mut notes = BTreeMap::new();
        notes.insert(
            "KG1".into(),
            "In Kyrgyzstan and Kazakhstan, the band is used…".into(),
        );
        notes.insert("X2".into(), "Kyrgyzstani-made rules".into());
        Table::new(Metadata::default(), vec![a, b, c], notes)
    }

    #[test]
    fn range_includes_containing_band_and_edges() {
        let t = t();
        assert_eq!(t.range(150, 160).len(), 1);
        assert_eq!(t.range(150, 250).len(), 2);
        assert_eq!(t.range(300, 300).len(), 1);
        assert_eq!(t.range(400, 500).len(), 0);
    }

    #[test]
    fn service_queries_follow_the_service_hierarchy() {
        let t = t();
        let mobile = ServiceQuery::parse("mobile");
        assert_eq!(t.bands_with_service(&mobile, true).len(), 2);
        let fixed = ServiceQuery::parse("Fixed");
        assert_eq!(t.bands_with_service(&fixed, false).len(), 1);
        assert_eq!(t.bands_with_service(&fixed, true).len(), 0);
    }

    #[test]
    fn footnotes_and_merge() {
        let t = t();
        assert_eq!(t.footnotes_naming("kyrgyzstan").len(), 1); // whole word only
        assert_eq!(t.bands_with_footnote("KG1").len(), 1);
        let m = t.merged();
        assert_eq!(m.len(), 2);
        assert_eq!((m.bands()[0].lower_hz, m.bands()[0].upper_hz), (100, 300));
    }
}
