//! Conversion of spectrum between national categories of use — the legal
//! act of the Kyrgyz and Kazakh digital codes.
//!
//! Only three directions are conversions: government → civil,
//! government → joint and joint → civil. A conversion applies to a whole band
//! or to part of one (or to a run of contiguous bands); bands are split
//! exactly at the converted edges, so the covered spectrum never changes.
//! Every decision is recorded in the table's journal; [`Table::as_of`]
//! reconstructs the table at an earlier date by undoing later decisions.

use thiserror::Error;

pub use crate::category::is_conversion;
use crate::freq::format_freq_hz;
use crate::journal::{ClearedOverride, Decision};
use crate::model::{Band, Category, Table};

/// A conversion request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// Lower edge of the spectrum to convert, Hz.
    pub lower_hz: u64,
    /// Upper edge (exclusive), Hz.
    pub upper_hz: u64,
    /// Category the spectrum must have now.
    pub from: Category,
    /// Category it moves to.
    pub to: Category,
    /// Reference of the legal act.
    pub reference: String,
    /// Authority taking the decision.
    pub authority: String,
    /// Effective date.
    pub effective_date: chrono::NaiveDate,
}

/// Why a conversion was refused. The table is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConversionError {
    /// The direction is not one of the three the law allows.
    #[error(
        "not a conversion: {from} → {to} is not allowed (the law allows only government → civil, government → joint and joint → civil)",
        from = .from.name(), to = .to.name()
    )]
    NotAConversion {
        /// Requested source category.
        from: Category,
        /// Requested target category.
        to: Category,
    },
    /// The range is empty or inverted.
    #[error("expected lower edge < upper edge, found {lower} – {upper}", lower = format_freq_hz(*.lower_hz), upper = format_freq_hz(*.upper_hz))]
    EmptyRange {
        /// Lower edge, Hz.
        lower_hz: u64,
        /// Upper edge, Hz.
        upper_hz: u64,
    },
    /// Part of the range is not covered by any band.
    #[error("{lower} – {upper} is not covered by any band of the table", lower = format_freq_hz(*.lower_hz), upper = format_freq_hz(*.upper_hz))]
    NotCovered {
        /// Lower edge of the uncovered part, Hz.
        lower_hz: u64,
        /// Upper edge of the uncovered part, Hz.
        upper_hz: u64,
    },
    /// A band in the range does not have the category being converted from.
    #[error(
        "band {lower} – {upper} is {found}, expected {expected}: a {expected} → {to} conversion cannot apply to it",
        lower = format_freq_hz(*.lower_hz), upper = format_freq_hz(*.upper_hz),
        found = .found.map_or("without category", Category::name), expected = .expected.name(), to = .to.name()
    )]
    WrongCategory {
        /// Lower edge of the band, Hz.
        lower_hz: u64,
        /// Upper edge of the band, Hz.
        upper_hz: u64,
        /// Category the band has.
        found: Option<Category>,
        /// Category the conversion converts from.
        expected: Category,
        /// Category the conversion converts to.
        to: Category,
    },
    /// Allocations in the range carry a category override that differs.
    #[error(
        "band {lower} – {upper} has an allocation of {service} in category {found}, expected {expected}",
        lower = format_freq_hz(*.lower_hz), upper = format_freq_hz(*.upper_hz), found = .found.name(), expected = .expected.name()
    )]
    AllocationCategory {
        /// Lower edge of the band, Hz.
        lower_hz: u64,
        /// Upper edge of the band, Hz.
        upper_hz: u64,
        /// The allocation's service.
        service: String,
        /// Its category.
        found: Category,
        /// Category the conversion converts from.
        expected: Category,
    },
    /// The reference or the authority is empty or blank.
    #[error("expected a non-blank {field} of the decision, found {found:?}")]
    Blank {
        /// `reference` or `authority`.
        field: &'static str,
        /// What was given.
        found: String,
    },
    /// The effective date is earlier than the last decision's: the journal
    /// keeps decisions in the order of their effective dates.
    #[error("expected an effective date on or after {last} (the last decision's), found {found}")]
    OutOfOrder {
        /// Effective date of the last decision in the journal.
        last: chrono::NaiveDate,
        /// The requested date.
        found: chrono::NaiveDate,
    },
    /// Bands in the range overlap, so the conversion would be ambiguous.
    #[error("bands overlap around {at}: fix the table before converting", at = format_freq_hz(*.at_hz))]
    Overlap {
        /// Where the overlap is, Hz.
        at_hz: u64,
    },
}

impl Table {
    /// Applies a conversion: checks the law and the table, splits bands at
    /// the edges, changes the category and records the decision. On error
    /// the table is unchanged.
    pub fn convert(&mut self, c: &Conversion) -> Result<&Decision, ConversionError> {
        if !is_conversion(c.from, c.to) {
            return Err(ConversionError::NotAConversion {
                from: c.from,
                to: c.to,
            });
        }
        for (field, found) in [("reference", &c.reference), ("authority", &c.authority)] {
            if found.trim().is_empty() {
                return Err(ConversionError::Blank {
                    field,
                    found: found.clone(),
                });
            }
        }
        if let Some(last) = self
            .journal
            .decisions
            .iter()
            .map(|d| d.effective_date)
            .max()
            && c.effective_date < last
        {
            return Err(ConversionError::OutOfOrder {
                last,
                found: c.effective_date,
            });
        }
        if c.lower_hz >= c.upper_hz {
            return Err(ConversionError::EmptyRange {
                lower_hz: c.lower_hz,
                upper_hz: c.upper_hz,
            });
        }
        // Check coverage and categories over [lower, upper).
        let mut cursor = c.lower_hz;
        let mut prev_upper: Option<u64> = None;
        for b in self
            .bands()
            .iter()
            .filter(|b| b.lower_hz < c.upper_hz && c.lower_hz < b.upper_hz)
        {
            if b.lower_hz > cursor {
                return Err(ConversionError::NotCovered {
                    lower_hz: cursor,
                    upper_hz: b.lower_hz,
                });
            }
            if prev_upper.is_some_and(|p| b.lower_hz < p) {
                return Err(ConversionError::Overlap { at_hz: b.lower_hz });
            }
            prev_upper = Some(b.upper_hz);
            if b.category != Some(c.from) {
                return Err(ConversionError::WrongCategory {
                    lower_hz: b.lower_hz,
                    upper_hz: b.upper_hz,
                    found: b.category,
                    expected: c.from,
                    to: c.to,
                });
            }
            if let Some(a) = b
                .allocations
                .iter()
                .find(|a| a.category.is_some_and(|x| x != c.from))
            {
                return Err(ConversionError::AllocationCategory {
                    lower_hz: b.lower_hz,
                    upper_hz: b.upper_hz,
                    service: a.service_text.clone(),
                    found: a.category.unwrap_or(c.from),
                    expected: c.from,
                });
            }
            cursor = b.upper_hz.min(c.upper_hz);
        }
        if cursor < c.upper_hz {
            return Err(ConversionError::NotCovered {
                lower_hz: cursor,
                upper_hz: c.upper_hz,
            });
        }
        // Apply: split at the edges, convert the inside.
        let mut split_edges_hz = Vec::new();
        let mut cleared_overrides = Vec::new();
        let mut bands: Vec<Band> = Vec::with_capacity(self.len() + 2);
        for b in self.bands() {
            if b.upper_hz <= c.lower_hz || b.lower_hz >= c.upper_hz {
                bands.push(b.clone());
                continue;
            }
            let mut pieces = vec![b.clone()];
            for edge in [c.lower_hz, c.upper_hz] {
                if let Some(pos) = pieces
                    .iter()
                    .position(|p| p.lower_hz < edge && edge < p.upper_hz)
                {
                    let mut right = pieces[pos].clone();
                    pieces[pos].upper_hz = edge;
                    right.lower_hz = edge;
                    pieces.insert(pos + 1, right);
                    split_edges_hz.push(edge);
                }
            }
            for mut p in pieces {
                if p.lower_hz >= c.lower_hz && p.upper_hz <= c.upper_hz {
                    p.category = Some(c.to);
                    for (k, a) in p.allocations.iter_mut().enumerate() {
                        if let Some(category) = a.category.take() {
                            cleared_overrides.push(ClearedOverride {
                                band_lower_hz: p.lower_hz,
                                allocation: k,
                                category,
                            });
                        }
                    }
                }
                bands.push(p);
            }
        }
        self.set_bands(bands);
        self.journal.decisions.push(Decision {
            reference: c.reference.clone(),
            authority: c.authority.clone(),
            effective_date: c.effective_date,
            lower_hz: c.lower_hz,
            upper_hz: c.upper_hz,
            from: c.from,
            to: c.to,
            split_edges_hz,
            cleared_overrides,
        });
        let last = self.journal.decisions.len() - 1;
        Ok(&self.journal.decisions[last])
    }

    /// The table as it stood on `date`: every decision effective after
    /// `date` is undone (newest first), its category and the allocation
    /// overrides it cleared restored, and the bands it split joined again;
    /// the journal keeps only the decisions in force.
    pub fn as_of(&self, date: chrono::NaiveDate) -> Table {
        let mut t = self.clone();
        let mut kept = Vec::new();
        let mut undone = Vec::new();
        for d in &self.journal.decisions {
            if d.effective_date <= date {
                kept.push(d.clone());
            } else {
                undone.push(d.clone());
            }
        }
        for d in undone.iter().rev() {
            let mut bands: Vec<Band> = t.bands().to_vec();
            for b in &mut bands {
                if b.lower_hz >= d.lower_hz && b.upper_hz <= d.upper_hz && b.category == Some(d.to)
                {
                    b.category = Some(d.from);
                    for o in d
                        .cleared_overrides
                        .iter()
                        .filter(|o| o.band_lower_hz == b.lower_hz)
                    {
                        if let Some(a) = b.allocations.get_mut(o.allocation) {
                            a.category = Some(o.category);
                        }
                    }
                }
            }
            // Join the pieces this decision created.
            let mut joined: Vec<Band> = Vec::with_capacity(bands.len());
            for b in bands {
                if let Some(prev) = joined.last_mut()
                    && prev.upper_hz == b.lower_hz
                    && d.split_edges_hz.contains(&b.lower_hz)
                    && prev.same_content(&b)
                {
                    prev.upper_hz = b.upper_hz;
                    continue;
                }
                joined.push(b);
            }
            t.set_bands(joined);
        }
        t.journal.decisions = kept;
        t
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::model::{Allocation, Metadata, Status};

    fn date(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn table(edges: &[u64], cats: &[Category]) -> Table {
        let bands = edges
            .windows(2)
            .zip(cats.iter().cycle())
            .map(|(w, &c)| {
                let mut b = Band::new(w[0], w[1]);
                b.category = Some(c);
                b.allocations
                    .push(Allocation::new("Fixed", Status::Primary));
                b
            })
            .collect();
        Table::new(Metadata::default(), bands, BTreeMap::new())
    }

    fn conv(lo: u64, hi: u64, from: Category, to: Category, d: &str) -> Conversion {
        Conversion {
            lower_hz: lo,
            upper_hz: hi,
            from,
            to,
            reference: "DEC-1".into(),
            authority: "State Committee".into(),
            effective_date: date(d),
        }
    }

    #[test]
    fn part_of_a_band_is_split_exactly_and_undone_by_as_of() {
        use Category::*;
        let mut t = table(&[100, 200, 300], &[Government]);
        let before = t.clone();
        t.convert(&conv(120, 150, Government, Civil, "2024-05-01"))
            .unwrap();
        let edges: Vec<_> = t
            .bands()
            .iter()
            .map(|b| (b.lower_hz, b.upper_hz, b.category))
            .collect();
        assert_eq!(
            edges,
            vec![
                (100, 120, Some(Government)),
                (120, 150, Some(Civil)),
                (150, 200, Some(Government)),
                (200, 300, Some(Government)),
            ]
        );
        assert_eq!(t.journal.decisions[0].split_edges_hz, vec![120, 150]);
        let past = t.as_of(date("2024-04-30"));
        assert_eq!(past.bands(), before.bands());
        assert!(past.journal.decisions.is_empty());
        assert_eq!(t.as_of(date("2024-05-01")), t);
    }

    #[test]
    fn refused_directions_and_wrong_categories_leave_the_table_unchanged() {
        use Category::*;
        let mut t = table(&[100, 200, 300], &[Government, Civil]);
        let before = t.clone();
        let e = t
            .convert(&conv(100, 200, Civil, Government, "2024-01-01"))
            .unwrap_err();
        assert!(e.to_string().starts_with("not a conversion"), "{e}");
        let e = t
            .convert(&conv(150, 250, Government, Joint, "2024-01-01"))
            .unwrap_err();
        assert!(
            matches!(e, ConversionError::WrongCategory { lower_hz: 200, .. }),
            "{e}"
        );
        let e = t
            .convert(&conv(250, 350, Civil, Civil, "2024-01-01"))
            .unwrap_err();
        assert!(matches!(e, ConversionError::NotAConversion { .. }));
        let e = t
            .convert(&conv(50, 150, Government, Civil, "2024-01-01"))
            .unwrap_err();
        assert!(matches!(
            e,
            ConversionError::NotCovered {
                lower_hz: 50,
                upper_hz: 100
            }
        ));
        assert_eq!(t, before);
    }

    #[test]
    fn as_of_restores_cleared_allocation_overrides_exactly() {
        use Category::*;
        let mut t = table(&[100, 200, 300], &[Government]);
        let mut bands = t.bands().to_vec();
        let mut a = Allocation::new("Radiolocation", Status::Secondary);
        a.category = Some(Government);
        bands[0].allocations.push(a);
        t.set_bands(bands);
        let before = t.clone();
        t.convert(&conv(120, 200, Government, Civil, "2024-05-01"))
            .unwrap();
        let d = &t.journal.decisions[0];
        assert_eq!(
            d.cleared_overrides,
            vec![ClearedOverride {
                band_lower_hz: 120,
                allocation: 1,
                category: Government
            }]
        );
        assert_eq!(t.bands()[1].allocations[1].category, None);
        assert_eq!(t.bands()[0].allocations[1].category, Some(Government));
        let past = t.as_of(date("2024-04-30"));
        assert_eq!(
            past.bands(),
            before.bands(),
            "overrides restored and pieces joined"
        );
    }

    #[test]
    fn blank_reference_or_authority_and_back_dated_decisions_are_refused() {
        use Category::*;
        let mut t = table(&[100, 200, 300], &[Government]);
        let mut c = conv(100, 200, Government, Civil, "2024-05-01");
        c.reference = "  ".into();
        assert!(matches!(
            t.convert(&c),
            Err(ConversionError::Blank {
                field: "reference",
                ..
            })
        ));
        let mut c = conv(100, 200, Government, Civil, "2024-05-01");
        c.authority = String::new();
        assert!(matches!(
            t.convert(&c),
            Err(ConversionError::Blank {
                field: "authority",
                ..
            })
        ));
        t.convert(&conv(100, 150, Government, Civil, "2024-05-01"))
            .unwrap();
        let e = t
            .convert(&conv(150, 200, Government, Civil, "2024-04-01"))
            .unwrap_err();
        assert!(matches!(e, ConversionError::OutOfOrder { .. }), "{e}");
        assert_eq!(t.journal.decisions.len(), 1);
        assert!(t.journal_issues().is_empty());
    }

    fn arb_category() -> impl Strategy<Value = Category> {
        prop_oneof![
            Just(Category::Government),
            Just(Category::Civil),
            Just(Category::Joint)
        ]
    }

    proptest! {
        #[test]
        fn conversions_preserve_spectrum_and_obey_the_law(
            cuts in proptest::collection::btree_set(1u64..1000, 1..12),
            cats in proptest::collection::vec(arb_category(), 1..6),
            ops in proptest::collection::vec((0u64..1001, 0u64..1001, arb_category(), arb_category()), 1..8),
        ) {
            let mut edges: Vec<u64> = vec![0];
            edges.extend(cuts);
            edges.push(1000);
            let mut t = table(&edges, &cats);
            for (i, (a, b, from, to)) in ops.into_iter().enumerate() {
                let before = t.clone();
                let day = date("2024-01-01") + chrono::Duration::days(i as i64);
                let r = t.convert(&conv(a.min(b), a.max(b), from, to, &day.to_string())).map(|_| ());
                if !is_conversion(from, to) {
                    prop_assert!(matches!(r, Err(ConversionError::NotAConversion { .. })), "refused direction accepted");
                }
                if r.is_err() {
                    prop_assert_eq!(&t, &before);
                }
                // Union of bands preserved, no overlap or gap created.
                let bands = t.bands();
                prop_assert_eq!(bands.first().map(|b| b.lower_hz), Some(0));
                prop_assert_eq!(bands.last().map(|b| b.upper_hz), Some(1000));
                for w in bands.windows(2) {
                    prop_assert_eq!(w[0].upper_hz, w[1].lower_hz);
                    prop_assert!(w[0].lower_hz < w[0].upper_hz);
                }
                // Undoing the last decision gives back the previous table's categories.
                if r.is_ok() {
                    let past = t.as_of(day - chrono::Duration::days(1));
                    for f in (0..1000).step_by(7) {
                        prop_assert_eq!(
                            past.band_at(f).and_then(|b| b.category),
                            before.as_of(day - chrono::Duration::days(1)).band_at(f).and_then(|b| b.category)
                        );
                    }
                }
            }
        }
    }
}
