//! Bounds of the inputs of coverage studies and path profiles, checked up
//! front so that a typo fails with an error naming the field, the expected
//! range and the value found, instead of a map of empty cells or an
//! allocation that aborts the process.
//!
//! The sizes that drive memory (grid cells, terrain samples along the
//! radials, profile points) are capped by the constants below.
//!
//! ```
//! use spectrum_core::bounds::{self, OutOfBounds};
//! assert!(bounds::in_range("height_m", 30.0, 0.0, 10_000.0, bounds::Ends::OpenClosed, "m").is_ok());
//! let e: OutOfBounds = bounds::in_range("height_m", -3.0, 0.0, 10_000.0, bounds::Ends::OpenClosed, "m")
//!     .unwrap_err();
//! assert_eq!(e.to_string(), "height_m: expected a value in (0, 10000] m, found -3");
//! ```

use thiserror::Error;

/// Largest grid accepted, cells (about 1.2 GB of results).
pub const MAX_CELLS: usize = 100_000_000;

/// Largest number of terrain samples over all radials of a study (8 bytes
/// each: 800 MB).
pub const MAX_RADIAL_SAMPLES: usize = 100_000_000;

/// Largest number of points of an extracted path profile.
pub const MAX_PROFILE_POINTS: usize = 1_000_000;

/// Highest antenna height above ground accepted, m.
pub const MAX_ANTENNA_HEIGHT_M: f64 = 10_000.0;

/// Largest study radius, km (ITM's upper path length).
pub const MAX_RADIUS_KM: f64 = 2000.0;

/// Finest cell size and terrain step, m.
pub const MIN_STEP_M: f64 = 1.0;

/// Coarsest cell size and terrain step, m.
pub const MAX_STEP_M: f64 = 100_000.0;

/// An input outside its bounds: the field, what was expected, what was found.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: expected {expected}, found {found}")]
pub struct OutOfBounds {
    /// The field (config field or flag name).
    pub field: &'static str,
    /// What was expected.
    pub expected: String,
    /// What was found.
    pub found: String,
}

impl OutOfBounds {
    /// An error for `field`.
    pub fn new(field: &'static str, expected: impl Into<String>, found: impl ToString) -> Self {
        Self {
            field,
            expected: expected.into(),
            found: found.to_string(),
        }
    }
}

/// Which ends of a range are included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ends {
    /// `[lo, hi]`.
    Closed,
    /// `(lo, hi]`.
    OpenClosed,
    /// `(lo, hi)`.
    Open,
}

/// Checks that `value` is finite and within `lo … hi` (ends as given).
pub fn in_range(
    field: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    ends: Ends,
    unit: &str,
) -> Result<f64, OutOfBounds> {
    let ok = value.is_finite()
        && match ends {
            Ends::Closed => (lo..=hi).contains(&value),
            Ends::OpenClosed => value > lo && value <= hi,
            Ends::Open => value > lo && value < hi,
        };
    if ok {
        return Ok(value);
    }
    let (open, close) = match ends {
        Ends::Closed => ('[', ']'),
        Ends::OpenClosed => ('(', ']'),
        Ends::Open => ('(', ')'),
    };
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    Err(OutOfBounds::new(
        field,
        format!("a value in {open}{lo}, {hi}{close}{unit}"),
        value,
    ))
}

/// Checks that `value` is finite.
pub fn finite(field: &'static str, value: f64, unit: &str) -> Result<f64, OutOfBounds> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(OutOfBounds::new(
            field,
            format!(
                "a finite number{}",
                if unit.is_empty() {
                    String::new()
                } else {
                    format!(" of {unit}")
                }
            ),
            value,
        ))
    }
}

/// Checks a percentage in the open interval (0, 100).
pub fn percent(field: &'static str, value: f64) -> Result<f64, OutOfBounds> {
    in_range(field, value, 0.0, 100.0, Ends::Open, "%")
}

/// Checks a size computed in `f64` (so that it cannot overflow) against a
/// cap, before anything of that size is allocated.
pub fn at_most(
    field: &'static str,
    what: &str,
    found: f64,
    max: usize,
) -> Result<usize, OutOfBounds> {
    if (0.0..=max as f64).contains(&found) {
        Ok(found as usize)
    } else {
        Err(OutOfBounds::new(
            field,
            format!("at most {max} {what}"),
            format!("{found:.0}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_name_field_expected_and_found() {
        assert_eq!(in_range("x", 1.0, 0.0, 1.0, Ends::Closed, ""), Ok(1.0));
        assert!(in_range("x", 1.0, 0.0, 1.0, Ends::Open, "").is_err());
        assert!(in_range("x", 0.0, 0.0, 1.0, Ends::OpenClosed, "").is_err());
        assert!(in_range("x", f64::NAN, 0.0, 1.0, Ends::Closed, "").is_err());
        let e = percent("itm.time_pct", 100.0).unwrap_err();
        assert_eq!(e.field, "itm.time_pct");
        assert_eq!(
            e.to_string(),
            "itm.time_pct: expected a value in (0, 100) %, found 100"
        );
        assert!(finite("eirp_dbm", f64::INFINITY, "dBm").is_err());
        let e = at_most("cells", "cells", 1e12, MAX_CELLS).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cells: expected at most 100000000 cells, found 1000000000000"
        );
        assert!(at_most("cells", "cells", f64::NAN, MAX_CELLS).is_err());
        assert_eq!(at_most("cells", "cells", 10.0, MAX_CELLS), Ok(10));
    }
}
