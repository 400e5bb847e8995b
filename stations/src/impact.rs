//! Conversion impact: which assignments a conversion of spectrum between
//! categories of use touches (Kyrgyz and Kazakh digital codes: government →
//! civil, government → joint, joint → civil), and what changes for each.
//!
//! A conversion applies to the whole converted range, so every part of an
//! assignment inside it moves from the conversion's `from` category to its
//! `to` category; the assignment's own category (or its operator's user
//! kind) decides whether it fitted before and fits after.

use allocation_table::Category;
use allocation_table::convert::Conversion;
use allocation_table::freq::format_freq_hz;
use serde::Serialize;

use crate::register::Register;

/// What a conversion changes for one assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// It fitted its band's category and no longer does (e.g. a government
    /// assignment in spectrum converted to civil): it must move or be re-licensed.
    NowMismatched,
    /// It did not fit and now does (e.g. a civil assignment in spectrum
    /// converted from government to joint).
    NowFits,
    /// It fits before and after (e.g. a government assignment in spectrum
    /// converted to joint).
    StillFits,
    /// It did not fit before and still does not.
    StillMismatched,
    /// Its category is unknown (no category and no operators list): review by hand.
    Unknown,
}

impl Change {
    /// The snake-case name.
    pub fn name(self) -> &'static str {
        match self {
            Change::NowMismatched => "now_mismatched",
            Change::NowFits => "now_fits",
            Change::StillFits => "still_fits",
            Change::StillMismatched => "still_mismatched",
            Change::Unknown => "unknown",
        }
    }
}

/// One assignment touched by a conversion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    /// Assignment id.
    pub id: String,
    /// Operator.
    pub operator: String,
    /// Licence reference, when known.
    pub licence: Option<String>,
    /// The assignment's category of use, when known.
    pub category: Option<Category>,
    /// Lower edge of the part of the occupied band inside the converted range, Hz.
    pub lower_hz: u64,
    /// Upper edge (exclusive) of that part, Hz.
    pub upper_hz: u64,
    /// True when only part of the occupied band is converted (the assignment
    /// then straddles a category edge).
    pub partial: bool,
    /// Category of that spectrum before the conversion.
    pub before: Category,
    /// After the conversion.
    pub after: Category,
    /// What changes.
    pub change: Change,
    /// In plain language.
    pub message: String,
}

fn fits(assignment: Category, band: Category) -> bool {
    band == Category::Joint || band == assignment
}

/// The assignments of `register` whose occupied band meets the converted
/// range, in register order, with what the conversion changes for each.
///
/// ```
/// use allocation_table::Category;
/// use allocation_table::convert::Conversion;
/// use stations::impact::{conversion_impact, Change};
/// use stations::model::Assignment;
/// use stations::register::Register;
/// let mut gov = Assignment::example("g1", 450_000_000, "12K5F3E");
/// gov.category = Some(Category::Government);
/// let register = Register::new(vec![gov, Assignment::example("far", 900_000_000, "200KG7W")]);
/// let c = Conversion {
///     lower_hz: 449_000_000, upper_hz: 451_000_000,
///     from: Category::Government, to: Category::Civil,
///     reference: "Decree 1".into(), authority: "Ministry".into(),
///     effective_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
/// };
/// let impacts = conversion_impact(&c, &register);
/// assert_eq!(impacts.len(), 1);
/// assert_eq!(impacts[0].change, Change::NowMismatched);
/// ```
pub fn conversion_impact(conversion: &Conversion, register: &Register) -> Vec<Impact> {
    register
        .assignments
        .iter()
        .filter_map(|a| {
            let (lo, hi) = a.occupied_hz();
            let lower_hz = lo.max(conversion.lower_hz);
            let upper_hz = hi.min(conversion.upper_hz);
            if lower_hz >= upper_hz {
                return None;
            }
            let partial = lo < conversion.lower_hz || hi > conversion.upper_hz;
            let category = register.category_of(a);
            let (before, after) = (conversion.from, conversion.to);
            let change = match category {
                None => Change::Unknown,
                Some(c) => match (fits(c, before), fits(c, after)) {
                    (true, false) => Change::NowMismatched,
                    (false, true) => Change::NowFits,
                    (true, true) => Change::StillFits,
                    (false, false) => Change::StillMismatched,
                },
            };
            let who = category.map_or("an assignment of unknown category".to_owned(), |c| {
                format!("a {} assignment", c.name())
            });
            let range = format!(
                "{} – {}",
                format_freq_hz(lower_hz),
                format_freq_hz(upper_hz)
            );
            let what = match change {
                Change::NowMismatched => "it no longer fits: move it or re-licence it",
                Change::NowFits => "it now fits the band's category",
                Change::StillFits => "it still fits",
                Change::StillMismatched => "it did not fit before and still does not",
                Change::Unknown => "review it by hand (give its category or an operators list)",
            };
            let part = if partial {
                " (only part of its occupied band is converted: it will straddle a category edge)"
            } else {
                ""
            };
            Some(Impact {
                id: a.id.clone(),
                operator: a.operator.clone(),
                licence: a.licence.clone(),
                category,
                lower_hz,
                upper_hz,
                partial,
                before,
                after,
                change,
                message: format!(
                    "{who} in {range} goes from a {} band to a {} band: {what}{part}",
                    before.name(),
                    after.name()
                ),
            })
        })
        .collect()
}
