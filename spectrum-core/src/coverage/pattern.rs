//! Transmitter antenna patterns: omnidirectional, or horizontal and vertical
//! attenuation tables such as the MSI / Planet `.msi` text format (NAME, GAIN,
//! `HORIZONTAL 360` and `VERTICAL 360` blocks of `angle attenuation_dB`).
//!
//! Conventions: horizontal angles are degrees clockwise from the boresight;
//! vertical angles are degrees below the horizon (0 = horizon, 90 = straight
//! down, 270 = straight up), as in Planet/MSI files. The attenuation towards a
//! direction is the sum of the horizontal and vertical attenuations (the
//! common "summation" reconstruction of a 3-D pattern from its two cuts).

use std::path::Path;

use thiserror::Error;

/// Errors reading an antenna pattern.
#[derive(Debug, Error)]
pub enum PatternError {
    /// The file could not be read.
    #[error("{path}: cannot read antenna pattern: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not what the format expects.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: String,
        /// Line number (1-based).
        line: usize,
        /// What was expected and what was found.
        message: String,
    },
}

/// An antenna pattern: attenuation relative to the main lobe, dB, at every
/// whole degree of the horizontal and vertical cuts.
#[derive(Debug, Clone, PartialEq)]
pub struct AntennaPattern {
    /// Name (from the file's NAME line, or "omni").
    pub name: String,
    /// Gain of the main lobe, dBi, as stated by the file (informative: the
    /// study's EIRP is taken in the main-lobe direction).
    pub gain_dbi: f64,
    /// Horizontal attenuation at 0…359° from the boresight, dB (≥ 0).
    pub horizontal_db: Vec<f64>,
    /// Vertical attenuation at 0…359° below the horizon, dB (≥ 0).
    pub vertical_db: Vec<f64>,
}

impl Default for AntennaPattern {
    fn default() -> Self {
        Self::omni()
    }
}

/// Linear interpolation in a 360-entry table at an angle in degrees (wrapped).
fn interp(table: &[f64], angle_deg: f64) -> f64 {
    let n = table.len();
    if n == 0 {
        return 0.0;
    }
    let a = angle_deg.rem_euclid(360.0) * n as f64 / 360.0;
    let i = a.floor() as usize % n;
    let f = a - a.floor();
    let (x, y) = (
        table.get(i).copied().unwrap_or(0.0),
        table.get((i + 1) % n).copied().unwrap_or(0.0),
    );
    x + f * (y - x)
}

impl AntennaPattern {
    /// An omnidirectional pattern (0 dB everywhere, 0 dBi).
    pub fn omni() -> Self {
        Self {
            name: "omni".into(),
            gain_dbi: 0.0,
            horizontal_db: vec![0.0; 360],
            vertical_db: vec![0.0; 360],
        }
    }

    /// True when every attenuation is 0 dB.
    pub fn is_omni(&self) -> bool {
        self.horizontal_db
            .iter()
            .chain(&self.vertical_db)
            .all(|&a| a == 0.0)
    }

    /// Attenuation, dB, towards a direction `h_deg` clockwise from the
    /// boresight and `depression_deg` below the boresight.
    ///
    /// ```
    /// use spectrum_core::coverage::pattern::AntennaPattern;
    /// let text = "NAME test\nGAIN 10 dBi\nHORIZONTAL 4\n0 0\n90 10\n180 20\n270 10\nVERTICAL 2\n0 0\n180 3\n";
    /// let p = AntennaPattern::parse_msi(text, "test.msi").unwrap();
    /// assert_eq!(p.attenuation_db(90.0, 0.0), 10.0);
    /// assert_eq!(p.attenuation_db(45.0, 0.0), 5.0);
    /// ```
    pub fn attenuation_db(&self, h_deg: f64, depression_deg: f64) -> f64 {
        interp(&self.horizontal_db, h_deg) + interp(&self.vertical_db, depression_deg)
    }

    /// Reads an MSI / Planet `.msi` file.
    pub fn read_msi(path: &Path) -> Result<Self, PatternError> {
        let text = std::fs::read_to_string(path).map_err(|source| PatternError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse_msi(&text, &path.display().to_string())
    }

    /// Parses the text of an MSI file. Tables given at fewer than 360 angles
    /// are interpolated linearly to whole degrees; missing tables are 0 dB.
    /// `GAIN` in dBd is converted to dBi (+2.15 dB).
    pub fn parse_msi(text: &str, path: &str) -> Result<Self, PatternError> {
        let err = |line: usize, message: String| PatternError::Format {
            path: path.to_owned(),
            line,
            message,
        };
        let mut name = String::from("unnamed");
        let mut gain_dbi = 0.0;
        let mut tables: [Vec<(f64, f64)>; 2] = [Vec::new(), Vec::new()];
        let mut current: Option<(usize, usize)> = None; // (table, remaining)
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let mut words = line.split_whitespace();
            let first = words.next().unwrap_or_default();
            if let Some((t, remaining)) = current
                && remaining > 0
            {
                let angle: f64 = first.parse().map_err(|_| {
                    err(
                        line_no,
                        format!("expected an angle in degrees, found {first:?}"),
                    )
                })?;
                let att_s = words.next().unwrap_or_default();
                let att: f64 = att_s.parse().map_err(|_| {
                    err(
                        line_no,
                        format!("expected an attenuation in dB, found {att_s:?}"),
                    )
                })?;
                if !(angle.is_finite() && att.is_finite()) {
                    return Err(err(
                        line_no,
                        format!("expected finite numbers, found {line:?}"),
                    ));
                }
                if let Some(tab) = tables.get_mut(t) {
                    tab.push((angle, att));
                }
                current = Some((t, remaining - 1));
                continue;
            }
            match first.to_ascii_uppercase().as_str() {
                "NAME" => name = words.collect::<Vec<_>>().join(" "),
                "GAIN" => {
                    let v = words.next().unwrap_or_default();
                    let g: f64 = v.parse().map_err(|_| {
                        err(line_no, format!("GAIN: expected a number, found {v:?}"))
                    })?;
                    let unit = words.next().unwrap_or("dBi").to_ascii_lowercase();
                    gain_dbi = if unit == "dbd" { g + 2.15 } else { g };
                }
                "HORIZONTAL" | "VERTICAL" => {
                    let t = usize::from(first.eq_ignore_ascii_case("VERTICAL"));
                    let v = words.next().unwrap_or_default();
                    let n: usize = v.parse().map_err(|_| {
                        err(
                            line_no,
                            format!("expected the number of angles, found {v:?}"),
                        )
                    })?;
                    if n == 0 || n > 3600 {
                        return Err(err(line_no, format!("expected 1..=3600 angles, found {n}")));
                    }
                    current = Some((t, n));
                }
                _ => {} // other header lines (MAKE, FREQUENCY, TILT, COMMENT, …)
            }
        }
        if let Some((t, remaining)) = current
            && remaining > 0
        {
            let which = if t == 0 { "HORIZONTAL" } else { "VERTICAL" };
            return Err(err(
                text.lines().count(),
                format!("{which} table ends {remaining} lines early"),
            ));
        }
        let [h, v] = tables;
        Ok(Self {
            name,
            gain_dbi,
            horizontal_db: resample(h),
            vertical_db: resample(v),
        })
    }
}

/// Resamples (angle, attenuation) pairs to 360 whole degrees by linear
/// interpolation around the circle; an empty table is 0 dB.
fn resample(mut pts: Vec<(f64, f64)>) -> Vec<f64> {
    if pts.is_empty() {
        return vec![0.0; 360];
    }
    for p in &mut pts {
        p.0 = p.0.rem_euclid(360.0);
    }
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    pts.dedup_by(|a, b| a.0 == b.0);
    let n = pts.len();
    (0..360)
        .map(|deg| {
            let a = f64::from(deg);
            // Last point at or before a (wrapping), and the next one.
            let j = pts.partition_point(|p| p.0 <= a);
            let (p0, p1) = if j == 0 {
                let last = pts[n - 1];
                ((last.0 - 360.0, last.1), pts[0])
            } else if j == n {
                (pts[n - 1], (pts[0].0 + 360.0, pts[0].1))
            } else {
                (pts[j - 1], pts[j])
            };
            if p1.0 == p0.0 {
                p0.1
            } else {
                p0.1 + (a - p0.0) / (p1.0 - p0.0) * (p1.1 - p0.1)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_full_msi_and_converts_dbd() {
        let mut text =
            String::from("NAME Panel 65\nMAKE X\nFREQUENCY 900\nGAIN 15 dBd\nHORIZONTAL 360\n");
        for a in 0..360 {
            text.push_str(&format!("{a} {:.1}\n", f64::from(a.min(360 - a)) / 10.0));
        }
        text.push_str("VERTICAL 360\n");
        for a in 0..360 {
            text.push_str(&format!("{a} 0.0\n"));
        }
        let p = AntennaPattern::parse_msi(&text, "p.msi").unwrap();
        assert_eq!(p.name, "Panel 65");
        assert!((p.gain_dbi - 17.15).abs() < 1e-12);
        assert_eq!(p.horizontal_db[180], 18.0);
        assert_eq!(p.attenuation_db(-10.0, 0.0), 1.0);
        assert!(!p.is_omni());
    }

    #[test]
    fn short_table_is_an_error_with_line() {
        let e = AntennaPattern::parse_msi("HORIZONTAL 3\n0 0\n", "x.msi").unwrap_err();
        assert!(e.to_string().contains("ends 2 lines early"), "{e}");
        let e = AntennaPattern::parse_msi("HORIZONTAL 2\n0 zero\n", "x.msi").unwrap_err();
        assert!(e.to_string().starts_with("x.msi:2:"), "{e}");
    }
}
