//! The national categories of use (government, civil, joint) and the law of
//! conversions between them (Kyrgyz and Kazakh digital codes): only
//! government → civil, government → joint and joint → civil are conversions.
//!
//! This module sits at the bottom of the crate: the model, the journal and
//! the conversions all use it, and it uses none of them.

use serde::{Deserialize, Serialize};

/// National category of use of a band (Kyrgyz and Kazakh law).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Government use only.
    Government,
    /// Civil use only.
    Civil,
    /// Joint government and civil use.
    Joint,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 3] = [Category::Government, Category::Civil, Category::Joint];

    /// Lower-case name: `government`, `civil`, `joint`.
    pub fn name(self) -> &'static str {
        match self {
            Category::Government => "government",
            Category::Civil => "civil",
            Category::Joint => "joint",
        }
    }

    /// Parses a category name (case-insensitive; `gov`, `g`, `c`, `j` too).
    pub fn parse(text: &str) -> Option<Category> {
        match text.trim().to_ascii_lowercase().as_str() {
            "government" | "gov" | "g" => Some(Category::Government),
            "civil" | "civ" | "c" => Some(Category::Civil),
            "joint" | "j" => Some(Category::Joint),
            _ => None,
        }
    }
}

/// True for the three directions the law calls a conversion.
///
/// ```
/// use allocation_table::category::is_conversion;
/// use allocation_table::Category::*;
/// assert!(is_conversion(Government, Civil));
/// assert!(is_conversion(Government, Joint));
/// assert!(is_conversion(Joint, Civil));
/// assert!(!is_conversion(Civil, Government));
/// assert!(!is_conversion(Civil, Civil));
/// ```
pub fn is_conversion(from: Category, to: Category) -> bool {
    use Category::*;
    matches!(
        (from, to),
        (Government, Civil) | (Government, Joint) | (Joint, Civil)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_names_parse_back() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.name()), Some(c));
        }
        assert_eq!(Category::parse("military"), None);
    }

    #[test]
    fn exactly_three_directions_are_conversions() {
        let n = Category::ALL
            .iter()
            .flat_map(|&a| Category::ALL.iter().map(move |&b| (a, b)))
            .filter(|&(a, b)| is_conversion(a, b))
            .count();
        assert_eq!(n, 3);
    }
}
