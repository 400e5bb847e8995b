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

/// Lowest terrain height accepted in a path profile, m (below the shore of
/// the Dead Sea, −430 m).
pub const MIN_TERRAIN_HEIGHT_M: f64 = -500.0;

/// Highest terrain height accepted in a path profile, m (above Everest,
/// 8849 m).
pub const MAX_TERRAIN_HEIGHT_M: f64 = 9000.0;

/// Checks every terrain height of a profile against
/// [`MIN_TERRAIN_HEIGHT_M`] … [`MAX_TERRAIN_HEIGHT_M`]; the error names the
/// first point out of range (0-based).
pub fn terrain_heights(field: &'static str, heights_m: &[f64]) -> Result<(), OutOfBounds> {
    match heights_m
        .iter()
        .position(|h| !(MIN_TERRAIN_HEIGHT_M..=MAX_TERRAIN_HEIGHT_M).contains(h))
    {
        None => Ok(()),
        Some(i) => Err(OutOfBounds::new(
            field,
            format!("terrain heights in [{MIN_TERRAIN_HEIGHT_M}, {MAX_TERRAIN_HEIGHT_M}] m"),
            {
                let h = heights_m[i];
                if h.abs() >= 1e6 {
                    format!("{h:e} m at point {i}")
                } else {
                    format!("{h} m at point {i}")
                }
            },
        )),
    }
}

/// Lowest DEM height taken as terrain, m (below the Challenger Deep,
/// −10 994 m, so that bathymetric DEMs read); lower values are voids.
pub const MIN_DEM_HEIGHT_M: f64 = -12_000.0;

/// Highest DEM height taken as terrain, m (above Everest, 8849 m); higher
/// values (e.g. 32 767) are voids.
pub const MAX_DEM_HEIGHT_M: f64 = 9_000.0;

/// Largest GeoTIFF elevation raster read into memory, pixels (12 bytes each
/// while decoding: 1.2 GB).
pub const MAX_DEM_PIXELS: usize = 100_000_000;

/// Worker threads accepted per available core (`--threads` above this
/// multiple of the cores only adds scheduling overhead and memory).
pub const MAX_THREADS_PER_CORE: usize = 4;

/// Checks a worker-thread count: 1 … [`MAX_THREADS_PER_CORE`] × `cores`.
pub fn threads(field: &'static str, n: usize, cores: usize) -> Result<usize, OutOfBounds> {
    let max = MAX_THREADS_PER_CORE * cores.max(1);
    if (1..=max).contains(&n) {
        Ok(n)
    } else {
        Err(OutOfBounds::new(
            field,
            format!("1 … {max} threads ({MAX_THREADS_PER_CORE} per core, {cores} cores)"),
            n,
        ))
    }
}

/// Lowest e.i.r.p. accepted, dBm (0.1 fW).
pub const MIN_EIRP_DBM: f64 = -100.0;

/// Highest e.i.r.p. accepted, dBm (1 GW is 90 dBm).
pub const MAX_EIRP_DBM: f64 = 150.0;

/// Highest antenna height above ground accepted, m.
pub const MAX_ANTENNA_HEIGHT_M: f64 = 10_000.0;

/// An antenna height above ground of a path model's terminal: in
/// (0, [`MAX_ANTENNA_HEIGHT_M`]] m.
///
/// ```
/// use spectrum_core::bounds::antenna_height;
/// assert!(antenna_height("h_tx_m", 30.0).is_ok());
/// assert!(antenna_height("h_tx_m", 0.0).is_err());
/// ```
pub fn antenna_height(field: &'static str, height_m: f64) -> Result<f64, OutOfBounds> {
    in_range(
        field,
        height_m,
        0.0,
        MAX_ANTENNA_HEIGHT_M,
        Ends::OpenClosed,
        "m",
    )
}

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
        assert!(terrain_heights("h", &[0.0, 8849.0, -430.0]).is_ok());
        let e = terrain_heights("h", &[0.0, 1e300]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "h: expected terrain heights in [-500, 9000] m, found 1e300 m at point 1"
        );
        assert!(terrain_heights("h", &[f64::NAN]).is_err());
        assert_eq!(threads("threads", 8, 2), Ok(8));
        let e = threads("threads", 100_000, 2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "threads: expected 1 … 8 threads (4 per core, 2 cores), found 100000"
        );
        assert!(threads("threads", 0, 2).is_err());
    }
}
