//! Emission masks and receiver selectivities (ITU-R SM.337-6, Annex 1).
//!
//! A [`Mask`] is a piecewise-linear attenuation mask in dB versus the
//! frequency offset in Hz from the centre (the transmitter's centre frequency
//! for an emission, the tuned frequency for a receiver). Levels are relative
//! power in dB: 0 dB in band, negative outside (−23, −45, …). Between points
//! the level is interpolated linearly **in dB**; outside the first and the last
//! point there is no power at all (the response is zero).
//!
//! Levels must be finite and at most 0 dB (a tolerance of
//! [`LEVEL_TOLERANCE_DB`] is accepted for rounding): a mask is relative to its
//! in-band level, and a receiver's power response has peak 1 in SM.337.
//!
//! A [`Shape`] is the spectrum used by [`crate::fdr`]: either a mask or an
//! analytic Gaussian power shape (parabolic in dB, so not representable
//! exactly by a mask).
//!
//! The [`MaskLibrary`] reads named masks from a TOML file:
//!
//! ```toml
//! [[mask]]
//! name = "lte-10mhz"
//! kind = "emission"            # or "receiver"
//! reference = "what the values approximate"
//! symmetric = true             # optional: points give offsets >= 0, mirrored
//! points_mhz = [[0.0, 0.0], [4.5, 0.0], [5.5, -45.0]]   # or points_khz / points_hz
//! ```
//!
//! The shipped library ([`MaskLibrary::builtin`]) is `data/masks.toml`.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::InterferenceError;
pub use crate::fdr::Shape;

/// Largest level (dB) accepted above 0 dB, for rounding in mask files.
pub const LEVEL_TOLERANCE_DB: f64 = 1e-9;

/// `ln(10) / 10`: `10^(l/10) = exp(DB_TO_NEPER * l)`.
pub(crate) const DB_TO_NEPER: f64 = std::f64::consts::LN_10 / 10.0;

/// Exact `∫ 10^(L(x)/10) dx` over an interval of `width` on which `L` goes
/// linearly from `l0` to `l1` (dB). Stable for any slope, including 0.
pub(crate) fn exp_db_integral(width: f64, l0: f64, l1: f64) -> f64 {
    let hi = l0.max(l1);
    let d = (l0 - l1).abs() * DB_TO_NEPER;
    let factor = if d == 0.0 { 1.0 } else { -(-d).exp_m1() / d };
    width * (DB_TO_NEPER * hi).exp() * factor
}

fn invalid(field: &str, expected: &str, found: String) -> InterferenceError {
    InterferenceError::Invalid {
        field: field.to_string(),
        expected: expected.to_string(),
        found,
    }
}

/// A piecewise-linear mask in dB versus frequency offset in Hz.
///
/// Invariant: either empty (no power anywhere) or at least two points with
/// finite, strictly increasing offsets and finite levels ≤ 0 dB.
///
/// ```
/// use interference::mask::Mask;
/// let m = Mask::from_points(vec![(-10.0, -20.0), (0.0, 0.0), (10.0, -20.0)]).unwrap();
/// assert_eq!(m.level_db(5.0), Some(-10.0));
/// assert_eq!(m.level_db(11.0), None);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Mask {
    points: Vec<(f64, f64)>,
}

impl Mask {
    /// Validates `(offset_hz, level_db)` points: at least two, all finite,
    /// offsets strictly increasing, levels ≤ 0 dB (+ [`LEVEL_TOLERANCE_DB`]).
    ///
    /// ```
    /// use interference::mask::Mask;
    /// assert!(Mask::from_points(vec![(-1.0, 0.0), (1.0, 0.0)]).is_ok());
    /// assert!(Mask::from_points(vec![(1.0, 0.0), (1.0, -3.0)]).is_err());
    /// assert!(Mask::from_points(vec![(0.0, 3.0), (1.0, 0.0)]).is_err());
    /// ```
    pub fn from_points(points: Vec<(f64, f64)>) -> Result<Mask, InterferenceError> {
        if points.len() < 2 {
            return Err(invalid(
                "points",
                "at least two (offset, level) points",
                format!("{} point(s)", points.len()),
            ));
        }
        let mut previous = f64::NEG_INFINITY;
        for (i, &(offset, level)) in points.iter().enumerate() {
            let field = format!("points[{i}]");
            if !offset.is_finite() || !level.is_finite() {
                let found = format!("({offset}, {level})");
                return Err(invalid(&field, "finite offset and level", found));
            }
            if offset <= previous {
                let found = format!("offset {offset} after {previous}");
                return Err(invalid(&field, "strictly increasing offsets", found));
            }
            if level > LEVEL_TOLERANCE_DB {
                let found = format!("{level} dB");
                return Err(invalid(&field, "a level <= 0 dB", found));
            }
            previous = offset;
        }
        Ok(Mask { points })
    }

    /// A mask symmetric about 0 from its points at offsets ≥ 0 (increasing).
    /// A point at offset 0 is not duplicated.
    ///
    /// ```
    /// use interference::mask::Mask;
    /// let m = Mask::symmetric(vec![(0.0, 0.0), (5.0, 0.0), (10.0, -30.0)]).unwrap();
    /// assert_eq!(m.points().len(), 5);
    /// assert_eq!(m.level_db(-7.5), Some(-15.0));
    /// ```
    pub fn symmetric(half: Vec<(f64, f64)>) -> Result<Mask, InterferenceError> {
        if let Some(&(offset, _)) = half.iter().find(|p| p.0 < 0.0 || p.0.is_nan()) {
            return Err(invalid("points", "offsets >= 0", offset.to_string()));
        }
        let mut points: Vec<(f64, f64)> = half
            .iter()
            .rev()
            .filter(|p| p.0 > 0.0)
            .map(|&(o, l)| (-o, l))
            .collect();
        points.extend(half);
        Mask::from_points(points)
    }

    /// 0 dB over ±`bandwidth_hz`/2 and nothing outside: the default for an
    /// emission or a receiver without a mask (its necessary bandwidth). A
    /// bandwidth that is not finite and positive gives the empty mask.
    ///
    /// ```
    /// use interference::mask::Mask;
    /// let m = Mask::rectangular(16e3);
    /// assert_eq!(m.support(), Some((-8e3, 8e3)));
    /// assert_eq!(m.total_power(), 16e3);
    /// assert!(Mask::rectangular(0.0).is_empty());
    /// ```
    pub fn rectangular(bandwidth_hz: f64) -> Mask {
        if bandwidth_hz.is_finite() && bandwidth_hz > 0.0 {
            let half = bandwidth_hz / 2.0;
            Mask {
                points: vec![(-half, 0.0), (half, 0.0)],
            }
        } else {
            Mask::empty()
        }
    }

    /// The mask with no power anywhere.
    ///
    /// ```
    /// use interference::mask::Mask;
    /// assert_eq!(Mask::empty().total_power(), 0.0);
    /// ```
    pub fn empty() -> Mask {
        Mask { points: Vec::new() }
    }

    /// Whether the mask has no power anywhere.
    ///
    /// ```
    /// use interference::mask::Mask;
    /// assert!(!Mask::rectangular(1.0).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The `(offset_hz, level_db)` points.
    ///
    /// ```
    /// use interference::mask::Mask;
    /// assert_eq!(Mask::rectangular(2.0).points(), &[(-1.0, 0.0), (1.0, 0.0)]);
    /// ```
    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    /// First and last offset, `None` for the empty mask.
    ///
    /// ```
    /// use interference::mask::Mask;
    /// assert_eq!(Mask::rectangular(4.0).support(), Some((-2.0, 2.0)));
    /// ```
    pub fn support(&self) -> Option<(f64, f64)> {
        Some((self.points.first()?.0, self.points.last()?.0))
    }

    /// Level in dB at `offset_hz` (linear interpolation in dB), `None`
    /// outside the support (no power there).
    ///
    /// ```
    /// use interference::mask::Mask;
    /// let m = Mask::from_points(vec![(0.0, 0.0), (10.0, -40.0)]).unwrap();
    /// assert_eq!(m.level_db(2.5), Some(-10.0));
    /// assert_eq!(m.level_db(-0.1), None);
    /// ```
    pub fn level_db(&self, offset_hz: f64) -> Option<f64> {
        let (lo, hi) = self.support()?;
        if !(offset_hz >= lo && offset_hz <= hi) {
            return None;
        }
        Some(self.level_clamped(offset_hz))
    }

    /// Level with the offset clamped into the support (non-empty mask).
    pub(crate) fn level_clamped(&self, offset_hz: f64) -> f64 {
        let i = self.points.partition_point(|p| p.0 <= offset_hz);
        match (self.points.get(i.wrapping_sub(1)), self.points.get(i)) {
            (Some(&(x0, l0)), Some(&(x1, l1))) => {
                let t = ((offset_hz - x0) / (x1 - x0)).clamp(0.0, 1.0);
                l0 + (l1 - l0) * t
            }
            (Some(&(_, l)), None) | (None, Some(&(_, l))) => l,
            (None, None) => f64::NEG_INFINITY,
        }
    }

    /// Relative power (linear, ≤ 1) at `offset_hz`; 0 outside the support.
    ///
    /// ```
    /// use interference::mask::Mask;
    /// let m = Mask::from_points(vec![(0.0, -10.0), (1.0, -10.0)]).unwrap();
    /// assert!((m.linear(0.5) - 0.1).abs() < 1e-15);
    /// assert_eq!(m.linear(2.0), 0.0);
    /// ```
    pub fn linear(&self, offset_hz: f64) -> f64 {
        self.level_db(offset_hz)
            .map_or(0.0, |l| (DB_TO_NEPER * l).exp())
    }

    /// Exact `∫ 10^(level(f)/10) df` over the support, in Hz (the total power
    /// relative to a 0 dB density).
    ///
    /// ```
    /// use interference::mask::Mask;
    /// let m = Mask::from_points(vec![(0.0, 0.0), (1.0, -10.0)]).unwrap();
    /// let exact = 0.9 / (10f64.ln());
    /// assert!((m.total_power() - exact).abs() < 1e-15);
    /// ```
    pub fn total_power(&self) -> f64 {
        self.points
            .windows(2)
            .map(|w| match w {
                [(x0, l0), (x1, l1)] => exp_db_integral(x1 - x0, *l0, *l1),
                _ => 0.0,
            })
            .sum()
    }

    /// The mask moved by `by_hz` (every offset plus `by_hz`).
    ///
    /// ```
    /// use interference::mask::Mask;
    /// let m = Mask::rectangular(2.0).shifted(5.0).unwrap();
    /// assert_eq!(m.support(), Some((4.0, 6.0)));
    /// ```
    pub fn shifted(&self, by_hz: f64) -> Result<Mask, InterferenceError> {
        if self.is_empty() {
            return Ok(Mask::empty());
        }
        Mask::from_points(self.points.iter().map(|&(o, l)| (o + by_hz, l)).collect())
    }

    /// The mask with every offset multiplied by `factor` (> 0), e.g. to reuse
    /// a mask drawn for one channel bandwidth at another.
    ///
    /// ```
    /// use interference::mask::Mask;
    /// let m = Mask::rectangular(2.0).scaled(3.0).unwrap();
    /// assert_eq!(m.support(), Some((-3.0, 3.0)));
    /// ```
    pub fn scaled(&self, factor: f64) -> Result<Mask, InterferenceError> {
        if !(factor.is_finite() && factor > 0.0) {
            return Err(invalid("factor", "finite and > 0", factor.to_string()));
        }
        if self.is_empty() {
            return Ok(Mask::empty());
        }
        Mask::from_points(self.points.iter().map(|&(o, l)| (o * factor, l)).collect())
    }
}

/// Whether a library mask is a transmitter's or a receiver's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskKind {
    /// A transmitter emission mask (power spectral density).
    Emission,
    /// A receiver selectivity (power response).
    Receiver,
}

/// One named mask of a [`MaskLibrary`].
#[derive(Debug, Clone, PartialEq)]
pub struct MaskEntry {
    /// Unique name.
    pub name: String,
    /// Emission or receiver.
    pub kind: MaskKind,
    /// What the values approximate (free text, may be empty).
    pub reference: String,
    /// The mask, offsets in Hz.
    pub mask: Mask,
}

/// Named masks read from TOML (format in the module docs).
///
/// ```
/// use interference::mask::MaskLibrary;
/// let text = r#"
/// [[mask]]
/// name = "narrow"
/// kind = "receiver"
/// points_khz = [[-5.0, 0.0], [5.0, 0.0]]
/// "#;
/// let lib = MaskLibrary::parse(text, "inline.toml").unwrap();
/// assert_eq!(lib.names(), vec!["narrow"]);
/// assert_eq!(lib.get("narrow").unwrap().support(), Some((-5e3, 5e3)));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MaskLibrary {
    entries: Vec<MaskEntry>,
}

type RawPoints = Spanned<Vec<Spanned<(f64, f64)>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLibrary {
    #[serde(default)]
    mask: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    symmetric: Option<bool>,
    #[serde(default)]
    points_hz: Option<RawPoints>,
    #[serde(default)]
    points_khz: Option<RawPoints>,
    #[serde(default)]
    points_mhz: Option<RawPoints>,
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()
        .get(..end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        + 1
}

impl MaskLibrary {
    /// Parses a library; `file_name` is used in errors, which give the line
    /// and the field (`mask[i].points_mhz[j]`, …): TOML syntax, unknown or
    /// missing fields, unknown `kind`, duplicate names, none or several of
    /// `points_hz` / `points_khz` / `points_mhz`, invalid points.
    ///
    /// ```
    /// use interference::mask::MaskLibrary;
    /// let bad = "[[mask]]\nname = \"a\"\nkind = \"emission\"\npoints_hz = [[1.0, 0.0], [0.0, 0.0]]\n";
    /// let err = MaskLibrary::parse(bad, "bad.toml").unwrap_err().to_string();
    /// assert!(err.starts_with("bad.toml:4:"), "{err}");
    /// ```
    pub fn parse(text: &str, file_name: &str) -> Result<MaskLibrary, InterferenceError> {
        let input =
            |line: usize, field: String, expected: &str, found: String| InterferenceError::Input {
                file: file_name.to_string(),
                line,
                field,
                expected: expected.to_string(),
                found,
            };
        let raw: RawLibrary = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| line_of(text, s.start));
            let message = e.message().to_string();
            // "missing field `name`", "unknown field `colour`, expected …"
            let field = message
                .split_once("field `")
                .and_then(|(_, rest)| rest.split('`').next())
                .map_or_else(|| "mask".to_string(), str::to_string);
            input(
                line,
                field,
                "a mask library (see the mask module docs)",
                message,
            )
        })?;
        let mut library = MaskLibrary::default();
        for (i, entry) in raw.mask.into_iter().enumerate() {
            let name_line = line_of(text, entry.name.span().start);
            let name = entry.name.into_inner();
            if name.trim().is_empty() {
                return Err(input(name_line, format!("mask[{i}].name"), "a name", name));
            }
            if library.get(&name).is_some() {
                let field = format!("mask[{i}].name");
                return Err(input(name_line, field, "a unique name", name));
            }
            let kind_line = line_of(text, entry.kind.span().start);
            let kind = match entry.kind.get_ref().as_str() {
                "emission" => MaskKind::Emission,
                "receiver" => MaskKind::Receiver,
                other => {
                    let field = format!("mask[{i}].kind");
                    let expected = "\"emission\" or \"receiver\"";
                    return Err(input(kind_line, field, expected, other.to_string()));
                }
            };
            let given: Vec<(&str, f64, RawPoints)> = [
                ("points_hz", 1.0, entry.points_hz),
                ("points_khz", 1e3, entry.points_khz),
                ("points_mhz", 1e6, entry.points_mhz),
            ]
            .into_iter()
            .filter_map(|(f, scale, p)| p.map(|p| (f, scale, p)))
            .collect();
            let expected_one = "exactly one of points_hz, points_khz, points_mhz";
            let (unit_field, scale, raw_points) = match <[_; 1]>::try_from(given) {
                Ok([one]) => one,
                Err(given) => {
                    let names: Vec<&str> = given.iter().map(|g| g.0).collect();
                    let field = format!("mask[{i}].points");
                    let found = format!("[{}] in mask {name:?}", names.join(", "));
                    return Err(input(name_line, field, expected_one, found));
                }
            };
            let points_line = line_of(text, raw_points.span().start);
            let points: Vec<(f64, f64)> = raw_points
                .get_ref()
                .iter()
                .map(|p| (p.get_ref().0 * scale, p.get_ref().1))
                .collect();
            let symmetric = entry.symmetric.unwrap_or(false);
            let built = if symmetric {
                Mask::symmetric(points)
            } else {
                Mask::from_points(points)
            };
            let mask = built.map_err(|e| {
                let (sub, expected, found) = match e {
                    InterferenceError::Invalid {
                        field,
                        expected,
                        found,
                    } => (field, expected, found),
                    other => ("points".to_string(), String::new(), other.to_string()),
                };
                // `points[j]` → the line of point j; otherwise the list's line.
                let j = sub
                    .strip_prefix("points[")
                    .and_then(|s| s.strip_suffix(']'))
                    .and_then(|s| s.parse::<usize>().ok());
                let (line, field) = match j {
                    Some(j) if !symmetric => {
                        let line = raw_points
                            .get_ref()
                            .get(j)
                            .map_or(points_line, |p| line_of(text, p.span().start));
                        (line, format!("mask[{i}].{unit_field}[{j}]"))
                    }
                    _ => (points_line, format!("mask[{i}].{unit_field}")),
                };
                input(line, field, &expected, found)
            })?;
            library.entries.push(MaskEntry {
                name,
                kind,
                reference: entry.reference.unwrap_or_default(),
                mask,
            });
        }
        Ok(library)
    }

    /// Reads and parses a library file.
    ///
    /// ```no_run
    /// use interference::mask::MaskLibrary;
    /// let lib = MaskLibrary::load("masks.toml".as_ref()).unwrap();
    /// ```
    pub fn load(path: &Path) -> Result<MaskLibrary, InterferenceError> {
        let text = std::fs::read_to_string(path).map_err(|source| InterferenceError::Io {
            path: path.display().to_string(),
            source,
        })?;
        MaskLibrary::parse(&text, &path.display().to_string())
    }

    /// The shipped library (`data/masks.toml`).
    ///
    /// ```
    /// use interference::mask::MaskLibrary;
    /// let lib = MaskLibrary::builtin().unwrap();
    /// assert!(lib.get("lte-10mhz").is_some());
    /// ```
    pub fn builtin() -> Result<MaskLibrary, InterferenceError> {
        MaskLibrary::parse(include_str!("../data/masks.toml"), "data/masks.toml")
    }

    /// The mask called `name`.
    ///
    /// ```
    /// use interference::mask::MaskLibrary;
    /// assert!(MaskLibrary::default().get("x").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<&Mask> {
        self.entry(name).map(|e| &e.mask)
    }

    /// The entry (kind, reference, mask) called `name`.
    ///
    /// ```
    /// use interference::mask::{MaskKind, MaskLibrary};
    /// let lib = MaskLibrary::builtin().unwrap();
    /// assert_eq!(lib.entry("lte-10mhz-rx").unwrap().kind, MaskKind::Receiver);
    /// ```
    pub fn entry(&self, name: &str) -> Option<&MaskEntry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Names in file order.
    ///
    /// ```
    /// use interference::mask::MaskLibrary;
    /// assert!(MaskLibrary::builtin().unwrap().names().contains(&"nr-100mhz"));
    /// ```
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.name.as_str()).collect()
    }

    /// All entries in file order.
    ///
    /// ```
    /// use interference::mask::MaskLibrary;
    /// assert!(!MaskLibrary::builtin().unwrap().entries().is_empty());
    /// ```
    pub fn entries(&self) -> &[MaskEntry] {
        &self.entries
    }
}
