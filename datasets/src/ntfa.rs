//! The sample national table of frequency allocations shipped with Spectra:
//! a Kyrgyz-style NTFA for 30 MHz – 6.425 GHz, consistent with ITU Region 1
//! (RR 2020), with a category of use on every band, national footnotes
//! (`KG1`…`KG7`), one restricted band, per-allocation category overrides
//! (430–440 MHz) and four recorded conversions. Written for this project as
//! demonstration data; it is not an official act.

use std::path::Path;

use allocation_table::{Table, TableError};

/// The sample table in Spectra's native format.
pub const SAMPLE_NTFA: &str = include_str!("../data/kg-ntfa.ntfa");

/// Name used for the embedded sample in messages and provenance.
pub const SAMPLE_NAME: &str = "datasets/data/kg-ntfa.ntfa (embedded sample)";

/// Parses the embedded sample table.
///
/// ```
/// let t = datasets::ntfa::sample_table().unwrap();
/// assert_eq!(t.metadata.country, "KG");
/// assert!(t.bands().iter().all(|b| b.category.is_some()));
/// ```
pub fn sample_table() -> Result<Table, TableError> {
    allocation_table::native::from_native_str(SAMPLE_NTFA, Path::new(SAMPLE_NAME))
}

#[cfg(test)]
mod tests {
    use allocation_table::model::Category;
    use allocation_table::validate::validate;

    use super::*;

    #[test]
    fn sample_is_clean_and_covers_30_mhz_to_6_ghz() {
        let t = sample_table().unwrap();
        let findings = validate(&t, &[]);
        assert!(findings.is_empty(), "{findings:#?}");
        let (lo, hi) = t.span_hz().unwrap();
        assert!(lo <= 30_000_000 && hi >= 6_000_000_000, "{lo} {hi}");
        assert!(t.bands().iter().all(|b| b.category.is_some()));
        assert!(t.journal.decisions.len() >= 3);
    }

    #[test]
    fn recorded_conversions_undo_to_an_earlier_table() {
        let t = sample_table().unwrap();
        let before = t.as_of(chrono_date(2017, 1, 1));
        assert!(before.journal.decisions.is_empty());
        // 790-862 MHz was government before the 2017 decision.
        assert_eq!(
            before.band_at(800_000_000).and_then(|b| b.category),
            Some(Category::Government)
        );
        // 2300-2400 MHz was government before the 2021 decision, joint after.
        assert_eq!(
            before.band_at(2_350_000_000).and_then(|b| b.category),
            Some(Category::Government)
        );
        assert_eq!(
            t.band_at(2_350_000_000).and_then(|b| b.category),
            Some(Category::Joint)
        );
        // 3400-3600 MHz was joint before September 2024, civil after.
        assert_eq!(
            t.as_of(chrono_date(2024, 8, 31))
                .band_at(3_500_000_000)
                .and_then(|b| b.category),
            Some(Category::Joint)
        );
        assert_eq!(
            t.band_at(3_500_000_000).and_then(|b| b.category),
            Some(Category::Civil)
        );
    }

    fn chrono_date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }
}
