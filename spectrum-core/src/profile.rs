//! Terrain path profile: the plain data every path model takes.
//!
//! A profile is a sequence of points from the transmitter (index 0) to the
//! receiver (last index): distance from the transmitter in km, terrain height
//! above mean sea level in m, and optionally a representative clutter height
//! in m and the radio-climatic zone of ITU-R P.452-18 §3.2.1 / P.1812-6 Table 2.
//! Models never read files: readers and terrain extraction build this type.

use thiserror::Error;

/// Radio-climatic zone of a profile point (ITU-R P.452-18 Table 3,
/// P.1812-6 Table 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum RadioClimaticZone {
    /// A1: coastal land and shore areas (land adjacent to sea up to 100 m altitude, 50 km from the coast).
    CoastalLand,
    /// A2: inland, all land other than coastal land.
    Inland,
    /// B: seas, oceans and other large bodies of water.
    Sea,
}

impl RadioClimaticZone {
    /// Numeric code used by the ITU reference implementations (1 = A1 coastal
    /// land, 2 = A2 inland, 3 = B sea).
    pub fn code(self) -> u8 {
        match self {
            Self::CoastalLand => 1,
            Self::Inland => 2,
            Self::Sea => 3,
        }
    }

    /// Zone for a reference-implementation code (1, 2 or 3).
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(Self::CoastalLand),
            2 => Some(Self::Inland),
            3 => Some(Self::Sea),
            _ => None,
        }
    }
}

/// A terrain profile between a transmitter (first point) and a receiver
/// (last point).
///
/// ```
/// use spectrum_core::profile::PathProfile;
/// let p = PathProfile::flat(10.0, 0.1, 100.0).unwrap();
/// assert_eq!(p.len(), 101);
/// assert!((p.length_km() - 10.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PathProfile {
    /// Distance of each point from the transmitter, km, non-decreasing, first = 0.
    pub distances_km: Vec<f64>,
    /// Terrain height above mean sea level at each point, m.
    pub heights_m: Vec<f64>,
    /// Representative clutter (ground-cover) height at each point, m, if known.
    pub clutter_heights_m: Option<Vec<f64>>,
    /// Radio-climatic zone of each point, if known.
    pub zones: Option<Vec<RadioClimaticZone>>,
}

/// Why a profile cannot be used by a path model.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ProfileError {
    /// Fewer points than a path needs.
    #[error("a path profile needs at least {needed} points, found {found}")]
    TooShort {
        /// Points needed.
        needed: usize,
        /// Points found.
        found: usize,
    },
    /// Parallel arrays differ in length.
    #[error("profile column {column} has {found} values, expected {expected} (one per distance)")]
    LengthMismatch {
        /// The column whose length is wrong.
        column: &'static str,
        /// Values expected.
        expected: usize,
        /// Values found.
        found: usize,
    },
    /// Distances do not start at 0 or decrease, or a value is not finite.
    #[error("profile point {index}: {message}")]
    BadPoint {
        /// Index of the offending point.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A profile file could not be read or a field could not be parsed.
    #[error("{file}:{line}: {field}: {message}")]
    Parse {
        /// File label given to the reader (usually the path).
        file: String,
        /// 1-based line number (0 when the whole file is at fault).
        line: usize,
        /// Column or field at fault.
        field: String,
        /// What was expected and what was found.
        message: String,
    },
    /// An input out of its bounds (a flat profile of too many points).
    #[error(transparent)]
    OutOfBounds(#[from] crate::bounds::OutOfBounds),
}

impl PathProfile {
    /// Builds a profile from distances (km) and heights (m), checking that
    /// both have the same length (≥ 2), distances start at 0, never decrease
    /// and every value is finite.
    pub fn new(distances_km: Vec<f64>, heights_m: Vec<f64>) -> Result<Self, ProfileError> {
        let p = Self {
            distances_km,
            heights_m,
            clutter_heights_m: None,
            zones: None,
        };
        p.validate()?;
        Ok(p)
    }

    /// A flat profile at a constant height with `step_km` spacing (the last
    /// step is shortened so that the profile ends exactly at `length_km`).
    ///
    /// Refuses, before allocating, a profile of more than
    /// [`crate::bounds::MAX_PROFILE_POINTS`] points (field `step_km`).
    pub fn flat(length_km: f64, step_km: f64, height_m: f64) -> Result<Self, ProfileError> {
        if !(length_km > 0.0 && step_km > 0.0 && length_km.is_finite() && step_km.is_finite()) {
            return Err(ProfileError::BadPoint {
                index: 0,
                message: format!(
                    "expected a positive length and step, found length {length_km} km, step {step_km} km"
                ),
            });
        }
        crate::bounds::at_most(
            "step_km",
            "profile points (raise step_km)",
            (length_km / step_km).ceil().max(1.0) + 1.0,
            crate::bounds::MAX_PROFILE_POINTS,
        )?;
        let n = (length_km / step_km).ceil().max(1.0) as usize;
        let distances_km: Vec<f64> = (0..=n)
            .map(|i| (i as f64 * step_km).min(length_km))
            .collect();
        let heights_m = vec![height_m; distances_km.len()];
        Self::new(distances_km, heights_m)
    }

    /// Checks the invariants stated on [`PathProfile::new`], and that the
    /// optional columns have one value per point.
    pub fn validate(&self) -> Result<(), ProfileError> {
        let n = self.distances_km.len();
        if n < 2 {
            return Err(ProfileError::TooShort {
                needed: 2,
                found: n,
            });
        }
        if self.heights_m.len() != n {
            return Err(ProfileError::LengthMismatch {
                column: "heights_m",
                expected: n,
                found: self.heights_m.len(),
            });
        }
        if let Some(c) = &self.clutter_heights_m
            && c.len() != n
        {
            return Err(ProfileError::LengthMismatch {
                column: "clutter_heights_m",
                expected: n,
                found: c.len(),
            });
        }
        if let Some(z) = &self.zones
            && z.len() != n
        {
            return Err(ProfileError::LengthMismatch {
                column: "zones",
                expected: n,
                found: z.len(),
            });
        }
        if self.distances_km[0] != 0.0 {
            return Err(ProfileError::BadPoint {
                index: 0,
                message: format!("expected distance 0 km, found {}", self.distances_km[0]),
            });
        }
        // One branch-free pass over the points; the first bad one is only
        // looked for when there is one.
        let (d, h) = (&self.distances_km[..], &self.heights_m[..n]);
        let not_finite = d
            .iter()
            .zip(h)
            .fold(false, |bad, (d, h)| bad | !d.is_finite() | !h.is_finite());
        let decreasing = d.windows(2).fold(false, |bad, w| bad | (w[1] < w[0]));
        if !not_finite && !decreasing {
            return Ok(());
        }
        for i in 0..n {
            let (d, h) = (self.distances_km[i], self.heights_m[i]);
            if !d.is_finite() || !h.is_finite() {
                return Err(ProfileError::BadPoint {
                    index: i,
                    message: format!("expected finite values, found d = {d} km, h = {h} m"),
                });
            }
            if i > 0 && d < self.distances_km[i - 1] {
                return Err(ProfileError::BadPoint {
                    index: i,
                    message: format!(
                        "expected non-decreasing distances, found {d} km after {} km",
                        self.distances_km[i - 1]
                    ),
                });
            }
        }
        Ok(())
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.distances_km.len()
    }

    /// True when the profile has no point (never true for a validated profile).
    pub fn is_empty(&self) -> bool {
        self.distances_km.is_empty()
    }

    /// Path length, km (distance of the last point).
    pub fn length_km(&self) -> f64 {
        self.distances_km.last().copied().unwrap_or(0.0)
    }
}

/// Columns of a generic profile CSV file, located by header name.
#[derive(Debug, Clone, Copy)]
struct CsvColumns {
    dist: usize,
    height: usize,
    clutter: Option<usize>,
    zone: Option<usize>,
}

/// Header name reduced to lower-case letters and digits (`"d (km)"` → `"dkm"`).
fn normalize_header(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl CsvColumns {
    /// Finds the columns in a header row; `None` when the row is data.
    fn from_header(record: &csv::StringRecord) -> Option<Self> {
        let first = record.get(0)?.trim();
        if first.parse::<f64>().is_ok() {
            return None;
        }
        let names: Vec<String> = record.iter().map(normalize_header).collect();
        let find = |pred: &dyn Fn(&str) -> bool| names.iter().position(|n| pred(n));
        let dist = find(&|n| {
            matches!(
                n,
                "d" | "dkm" | "dist" | "distkm" | "distance" | "distancekm"
            ) || n.starts_with("distancefrom")
        });
        let height = find(&|n| {
            matches!(
                n,
                "h" | "hm"
                    | "height"
                    | "heightm"
                    | "elevation"
                    | "elevationm"
                    | "terrainm"
                    | "hamslm"
            ) || n.starts_with("gndhgt")
                || n.starts_with("terrainheight")
        });
        let clutter = find(&|n| {
            matches!(
                n,
                "r" | "rm" | "clutter" | "clutterm" | "clutterheight" | "clutterheightm"
            ) || n.starts_with("groundcoverheight")
        });
        let zone = find(&|n| n.starts_with("zone") || n.starts_with("radiometcode"));
        Some(Self {
            dist: dist.unwrap_or(usize::MAX),
            height: height.unwrap_or(usize::MAX),
            clutter,
            zone,
        })
    }

    /// Positional layout `d_km,h_m[,clutter_m[,zone]]` of a file without header.
    fn positional(width: usize) -> Self {
        Self {
            dist: 0,
            height: 1,
            clutter: (width > 2).then_some(2),
            zone: (width > 3).then_some(3),
        }
    }
}

/// Parses a zone field: `A1`/`A2`/`B`, `coastal`/`inland`/`sea`, or the
/// P.452 codes 1 (coastal land), 2 (inland), 3 (sea).
fn parse_zone(text: &str) -> Option<RadioClimaticZone> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "a1" | "coastal" | "coastal land" | "coastal_land" | "1" => {
            Some(RadioClimaticZone::CoastalLand)
        }
        "a2" | "inland" | "land" | "2" => Some(RadioClimaticZone::Inland),
        "b" | "sea" | "water" | "3" => Some(RadioClimaticZone::Sea),
        _ => None,
    }
}

impl PathProfile {
    /// Reads a generic profile CSV: columns `d_km,h_m[,clutter_m[,zone]]`
    /// (distance from the transmitter in km, terrain height in m, optional
    /// representative clutter height in m, optional radio-climatic zone as
    /// `A1`/`A2`/`B`, `coastal`/`inland`/`sea` or the ITU-R P.452 codes
    /// 1/2/3).
    ///
    /// A header row is optional; when present, columns are found by name
    /// (`d_km`, `d (km)`, `distance_km`; `h_m`, `h(m)`, `height_m`;
    /// `clutter_m`, `ground cover height (m)`; any name starting with `zone`),
    /// so extra columns are ignored. Without a header, the columns are taken
    /// in the order above. Empty lines and lines starting with `#` are
    /// skipped. `file_label` names the source in error messages.
    ///
    /// ```
    /// use spectrum_core::profile::PathProfile;
    /// let text = "d_km,h_m,clutter_m,zone\n0,10,0,A2\n0.5,12,5,A2\n1,11,0,B\n";
    /// let p = PathProfile::read_csv(text.as_bytes(), "example.csv").unwrap();
    /// assert_eq!(p.len(), 3);
    /// assert_eq!(p.clutter_heights_m.as_deref(), Some(&[0.0, 5.0, 0.0][..]));
    /// ```
    pub fn read_csv<R: std::io::Read>(reader: R, file_label: &str) -> Result<Self, ProfileError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(reader);
        let err = |line: usize, field: &str, message: String| ProfileError::Parse {
            file: file_label.to_owned(),
            line,
            field: field.to_owned(),
            message,
        };
        let mut columns: Option<CsvColumns> = None;
        let (mut d, mut h, mut r, mut z) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (index, record) in rdr.records().enumerate() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(index + 1, |p| p.line() as usize);
                err(
                    line,
                    "record",
                    format!("expected a CSV record, found an error: {e}"),
                )
            })?;
            let line = record.position().map_or(index + 1, |p| p.line() as usize);
            if record.iter().all(str::is_empty) {
                continue;
            }
            let cols = match columns {
                Some(c) => c,
                None => {
                    let found = CsvColumns::from_header(&record);
                    let c = found.unwrap_or_else(|| CsvColumns::positional(record.len()));
                    if c.dist == usize::MAX || c.height == usize::MAX {
                        return Err(err(
                            line,
                            "header",
                            format!(
                                "expected columns d_km and h_m (distance km, height m), found {:?}",
                                record.iter().collect::<Vec<_>>()
                            ),
                        ));
                    }
                    columns = Some(c);
                    if found.is_some() {
                        continue;
                    }
                    c
                }
            };
            let number = |col: usize, name: &str| -> Result<f64, ProfileError> {
                let text = record.get(col).unwrap_or("");
                text.parse::<f64>()
                    .map_err(|_| err(line, name, format!("expected a number, found {text:?}")))
            };
            d.push(number(cols.dist, "d_km")?);
            h.push(number(cols.height, "h_m")?);
            if let Some(c) = cols.clutter {
                let text = record.get(c).unwrap_or("");
                r.push(if text.is_empty() {
                    0.0
                } else {
                    number(c, "clutter_m")?
                });
            }
            if let Some(c) = cols.zone {
                let text = record.get(c).unwrap_or("");
                let zone = parse_zone(text).ok_or_else(|| {
                    err(
                        line,
                        "zone",
                        format!("expected A1, A2, B (or 1, 2, 3), found {text:?}"),
                    )
                })?;
                z.push(zone);
            }
        }
        let cols =
            columns.ok_or_else(|| err(0, "file", "expected profile rows, found none".into()))?;
        let profile = Self {
            distances_km: d,
            heights_m: h,
            clutter_heights_m: cols.clutter.map(|_| r),
            zones: cols.zone.map(|_| z),
        };
        profile
            .validate()
            .map_err(|e| err(0, "profile", e.to_string()))?;
        Ok(profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_profile_of_too_many_points_is_refused_before_allocation() {
        // Issue 10 #3: 1e7 km at 1e-6 km used to abort on allocation.
        let e = PathProfile::flat(1e7, 1e-6, 0.0).unwrap_err();
        assert!(
            e.to_string().contains("step_km") && e.to_string().contains("at most 1000000"),
            "{e}"
        );
        assert!(PathProfile::flat(100.0, 0.001, 0.0).is_ok());
    }

    #[test]
    fn flat_profile_ends_exactly_at_length() {
        let p = PathProfile::flat(1.05, 0.1, 5.0).unwrap();
        assert_eq!(p.len(), 12);
        assert_eq!(p.length_km(), 1.05);
        assert!(p.heights_m.iter().all(|&h| h == 5.0));
    }

    #[test]
    fn rejects_decreasing_distances_and_length_mismatch() {
        assert!(matches!(
            PathProfile::new(vec![0.0, 2.0, 1.0], vec![0.0; 3]),
            Err(ProfileError::BadPoint { index: 2, .. })
        ));
        assert!(matches!(
            PathProfile::new(vec![0.0, 1.0], vec![0.0; 3]),
            Err(ProfileError::LengthMismatch { .. })
        ));
        assert!(matches!(
            PathProfile::new(vec![0.0], vec![0.0]),
            Err(ProfileError::TooShort { .. })
        ));
    }

    #[test]
    fn zone_codes_round_trip() {
        for c in 1..=3 {
            assert_eq!(RadioClimaticZone::from_code(c).map(|z| z.code()), Some(c));
        }
        assert_eq!(RadioClimaticZone::from_code(4), None);
    }

    #[test]
    fn read_csv_by_header_and_positional() {
        let text = "d (km),h(m),Ground cover height (m),zone: A1=Coastal Land/A2=Inland/B=Sea,zone\n\
                    0,40,0,A1,1\n1,24,10,A2,2\n2,0,0,B,3\n";
        let p = PathProfile::read_csv(text.as_bytes(), "t.csv").unwrap();
        assert_eq!(p.heights_m, vec![40.0, 24.0, 0.0]);
        assert_eq!(p.clutter_heights_m, Some(vec![0.0, 10.0, 0.0]));
        assert_eq!(
            p.zones,
            Some(vec![
                RadioClimaticZone::CoastalLand,
                RadioClimaticZone::Inland,
                RadioClimaticZone::Sea
            ])
        );
        let q = PathProfile::read_csv("0,5\n0.5,6\n".as_bytes(), "q.csv").unwrap();
        assert_eq!(q.distances_km, vec![0.0, 0.5]);
        assert_eq!(q.clutter_heights_m, None);
    }

    #[test]
    fn read_csv_reports_line_and_field() {
        let text = "d_km,h_m\n0,1\n1,x\n";
        match PathProfile::read_csv(text.as_bytes(), "bad.csv") {
            Err(ProfileError::Parse {
                file, line, field, ..
            }) => {
                assert_eq!((file.as_str(), line, field.as_str()), ("bad.csv", 3, "h_m"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(PathProfile::read_csv("d_km,h_m\n".as_bytes(), "e.csv").is_err());
        assert!(PathProfile::read_csv("x,y\n0,1\n".as_bytes(), "h.csv").is_err());
    }
}
