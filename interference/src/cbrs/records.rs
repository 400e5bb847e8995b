//! The JSON records of the WInnForum test data (README §1.1; upstream
//! `common/data.py`), read through `serde_json` with only the fields used.
//! Errors name the file and the dotted path of the field.

use std::path::Path;

use geo::{LineString, Polygon};
use serde_json::Value;

use super::aggregate::Grant;
use super::channels::Category;
use crate::error::InterferenceError;

/// A CBSD record: registration and grants.
#[derive(Debug, Clone, PartialEq)]
pub struct CbsdRecord {
    /// Top-level `id`.
    pub id: String,
    /// `registration.cbsdCategory`.
    pub category: Category,
    /// `registration.installationParam.latitude`, degrees.
    pub lat_deg: f64,
    /// `registration.installationParam.longitude`, degrees.
    pub lon_deg: f64,
    /// `registration.installationParam.height`, m.
    pub height_m: f64,
    /// `registration.installationParam.antennaGain`, dBi.
    pub antenna_gain_dbi: f64,
    /// `registration.installationParam.antennaAzimuth`, degrees, if given.
    pub antenna_azimuth_deg: Option<f64>,
    /// `registration.installationParam.antennaBeamwidth`, degrees, if given.
    pub antenna_beamwidth_deg: Option<f64>,
    /// `grants[].operationParam`: (maxEirp dBm/MHz, low Hz, high Hz).
    pub grants: Vec<(f64, f64, f64)>,
}

impl CbsdRecord {
    /// One [`Grant`] per element of `grants[]`, carrying the registration.
    pub fn to_grants(&self) -> Vec<Grant> {
        self.grants
            .iter()
            .map(|&(max_eirp, lo, hi)| Grant {
                cbsd_id: self.id.clone(),
                category: self.category,
                lat_deg: self.lat_deg,
                lon_deg: self.lon_deg,
                height_m: self.height_m,
                antenna_gain_dbi: self.antenna_gain_dbi,
                antenna_azimuth_deg: self.antenna_azimuth_deg,
                antenna_beamwidth_deg: self.antenna_beamwidth_deg,
                max_eirp_dbm_mhz: max_eirp,
                low_hz: lo,
                high_hz: hi,
            })
            .collect()
    }
}

/// An FSS earth station (`record.deploymentParam[0]` and `ttc`).
#[derive(Debug, Clone, PartialEq)]
pub struct FssRecord {
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Height, m.
    pub height_m: f64,
    /// Nominal antenna gain, dBi.
    pub antenna_gain_dbi: f64,
    /// Pointing azimuth, degrees.
    pub antenna_azimuth_deg: f64,
    /// Downtilt, degrees (elevation = −downtilt).
    pub antenna_downtilt_deg: f64,
    /// Passband low edge, Hz.
    pub low_hz: f64,
    /// Passband high edge, Hz.
    pub high_hz: f64,
    /// Top-level `ttc` (telemetry, tracking and control), false when absent.
    pub ttc: bool,
}

/// An ESC sensor (`installationParam`).
#[derive(Debug, Clone, PartialEq)]
pub struct EscRecord {
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Height, m.
    pub height_m: f64,
    /// Antenna azimuth, degrees.
    pub antenna_azimuth_deg: f64,
}

/// A PPA: its zone, PAL ids and cluster list.
#[derive(Debug, Clone, PartialEq)]
pub struct PpaRecord {
    /// `ppaInfo.palId`.
    pub pal_ids: Vec<String>,
    /// `ppaInfo.cbsdReferenceId`: CBSDs of the PPA cluster (not counted).
    pub cluster: Vec<String>,
    /// `zone.features[0].geometry` (x = longitude, y = latitude).
    pub zone: Polygon<f64>,
}

/// A PAL (`channelAssignment.primaryAssignment`).
#[derive(Debug, Clone, PartialEq)]
pub struct PalRecord {
    /// `palId`.
    pub pal_id: String,
    /// Primary assignment low edge, Hz.
    pub low_hz: f64,
    /// Primary assignment high edge, Hz.
    pub high_hz: f64,
}

/// A GWPZ (operation range and zone).
#[derive(Debug, Clone, PartialEq)]
pub struct GwpzRecord {
    /// Operation range low edge, Hz.
    pub low_hz: f64,
    /// Operation range high edge, Hz.
    pub high_hz: f64,
    /// `landCategory` (e.g. RURAL), if given.
    pub land_category: Option<String>,
    /// `zone.features[0].geometry` (x = longitude, y = latitude).
    pub zone: Polygon<f64>,
}

/// A parsed JSON document with its file name, for errors.
struct Doc<'a> {
    file: &'a str,
    root: Value,
}

impl<'a> Doc<'a> {
    fn parse(text: &str, file: &'a str) -> Result<Self, InterferenceError> {
        let root = serde_json::from_str(text).map_err(|e| InterferenceError::Input {
            file: file.to_string(),
            line: e.line(),
            field: "(document)".to_string(),
            expected: "JSON".to_string(),
            found: e.to_string(),
        })?;
        Ok(Self { file, root })
    }

    fn err(&self, path: &str, expected: &str, found: Option<&Value>) -> InterferenceError {
        InterferenceError::Input {
            file: self.file.to_string(),
            line: 0,
            field: path.to_string(),
            expected: expected.to_string(),
            found: found.map_or_else(|| "nothing".to_string(), Value::to_string),
        }
    }

    /// The value at a dotted path (`a.b[0].c`), if any.
    fn get(&self, path: &str) -> Option<&Value> {
        let mut v = &self.root;
        for part in path.split('.') {
            let (name, idx) = match part.split_once('[') {
                Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (part, None),
            };
            if !name.is_empty() {
                v = v.get(name)?;
            }
            if let Some(i) = idx {
                v = v.get(i)?;
            }
        }
        Some(v)
    }

    fn f64(&self, path: &str) -> Result<f64, InterferenceError> {
        let v = self.get(path);
        v.and_then(Value::as_f64)
            .ok_or_else(|| self.err(path, "a number", v))
    }

    fn opt_f64(&self, path: &str) -> Result<Option<f64>, InterferenceError> {
        match self.get(path) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.err(path, "a number", Some(v))),
        }
    }

    fn str(&self, path: &str) -> Result<String, InterferenceError> {
        let v = self.get(path);
        v.and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| self.err(path, "a string", v))
    }

    fn strings(&self, path: &str) -> Result<Vec<String>, InterferenceError> {
        let v = self.get(path);
        let arr = v
            .and_then(Value::as_array)
            .ok_or_else(|| self.err(path, "an array of strings", v))?;
        arr.iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| self.err(path, "an array of strings", v))
            })
            .collect()
    }

    fn polygon(&self, path: &str) -> Result<Polygon<f64>, InterferenceError> {
        let kind = self.str(&format!("{path}.type"))?;
        if !kind.eq_ignore_ascii_case("polygon") {
            return Err(self.err(
                &format!("{path}.type"),
                "\"Polygon\"",
                self.get(&format!("{path}.type")),
            ));
        }
        let cpath = format!("{path}.coordinates");
        let c = self.get(&cpath);
        let rings = c
            .and_then(Value::as_array)
            .ok_or_else(|| self.err(&cpath, "an array of rings", c))?;
        let mut out = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            let rpath = format!("{cpath}[{r}]");
            let pts = ring
                .as_array()
                .ok_or_else(|| self.err(&rpath, "an array of positions", Some(ring)))?;
            let mut coords = Vec::with_capacity(pts.len());
            for (k, p) in pts.iter().enumerate() {
                let xy = p
                    .as_array()
                    .and_then(|a| Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?)));
                let (x, y) = xy.ok_or_else(|| {
                    self.err(&format!("{rpath}[{k}]"), "[longitude, latitude]", Some(p))
                })?;
                coords.push((x, y));
            }
            out.push(LineString::from(coords));
        }
        let mut it = out.into_iter();
        let exterior = it
            .next()
            .ok_or_else(|| self.err(&cpath, "at least one ring", c))?;
        Ok(Polygon::new(exterior, it.collect()))
    }
}

/// Reads a file to a string, with the path in the error.
pub fn read_text(path: &Path) -> Result<String, InterferenceError> {
    std::fs::read_to_string(path).map_err(|source| InterferenceError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Parses a CBSD record (`file` names the source in errors).
///
/// ```
/// use interference::cbrs::{Category, parse_cbsd};
/// let text = r#"{"id": "d1", "registration": {"cbsdCategory": "B", "installationParam":
///   {"latitude": 34.4, "longitude": -100.5, "height": 75, "antennaGain": 0}},
///   "grants": [{"operationParam": {"maxEirp": 37,
///   "operationFrequencyRange": {"lowFrequency": 3650e6, "highFrequency": 3660e6}}}]}"#;
/// let c = parse_cbsd(text, "cbsd.json").unwrap();
/// assert_eq!(c.category, Category::B);
/// assert_eq!(c.grants, vec![(37.0, 3650e6, 3660e6)]);
/// let err = parse_cbsd(r#"{"id": "d1"}"#, "cbsd.json").unwrap_err().to_string();
/// assert!(err.contains("cbsd.json") && err.contains("registration.cbsdCategory"));
/// ```
pub fn parse_cbsd(text: &str, file: &str) -> Result<CbsdRecord, InterferenceError> {
    let d = Doc::parse(text, file)?;
    let category = match d.str("registration.cbsdCategory")?.as_str() {
        "A" => Category::A,
        "B" => Category::B,
        _ => {
            return Err(d.err(
                "registration.cbsdCategory",
                "\"A\" or \"B\"",
                d.get("registration.cbsdCategory"),
            ));
        }
    };
    let ip = "registration.installationParam";
    let n = d
        .get("grants")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut grants = Vec::with_capacity(n);
    for k in 0..n {
        let op = format!("grants[{k}].operationParam");
        grants.push((
            d.f64(&format!("{op}.maxEirp"))?,
            d.f64(&format!("{op}.operationFrequencyRange.lowFrequency"))?,
            d.f64(&format!("{op}.operationFrequencyRange.highFrequency"))?,
        ));
    }
    Ok(CbsdRecord {
        id: d.str("id")?,
        category,
        lat_deg: d.f64(&format!("{ip}.latitude"))?,
        lon_deg: d.f64(&format!("{ip}.longitude"))?,
        height_m: d.f64(&format!("{ip}.height"))?,
        antenna_gain_dbi: d.f64(&format!("{ip}.antennaGain"))?,
        antenna_azimuth_deg: d.opt_f64(&format!("{ip}.antennaAzimuth"))?,
        antenna_beamwidth_deg: d.opt_f64(&format!("{ip}.antennaBeamwidth"))?,
        grants,
    })
}

/// Parses an FSS record (`{"record": {...}, "ttc": bool}`).
pub fn parse_fss(text: &str, file: &str) -> Result<FssRecord, InterferenceError> {
    let d = Doc::parse(text, file)?;
    let ip = "record.deploymentParam[0].installationParam";
    let fr = "record.deploymentParam[0].operationParam.operationFrequencyRange";
    let ttc = match d.get("ttc") {
        None | Some(Value::Null) => false,
        Some(v) => v
            .as_bool()
            .ok_or_else(|| d.err("ttc", "a boolean", Some(v)))?,
    };
    Ok(FssRecord {
        lat_deg: d.f64(&format!("{ip}.latitude"))?,
        lon_deg: d.f64(&format!("{ip}.longitude"))?,
        height_m: d.f64(&format!("{ip}.height"))?,
        antenna_gain_dbi: d.f64(&format!("{ip}.antennaGain"))?,
        antenna_azimuth_deg: d.f64(&format!("{ip}.antennaAzimuth"))?,
        antenna_downtilt_deg: d.f64(&format!("{ip}.antennaDowntilt"))?,
        low_hz: d.f64(&format!("{fr}.lowFrequency"))?,
        high_hz: d.f64(&format!("{fr}.highFrequency"))?,
        ttc,
    })
}

/// Parses an ESC sensor record.
pub fn parse_esc(text: &str, file: &str) -> Result<EscRecord, InterferenceError> {
    let d = Doc::parse(text, file)?;
    Ok(EscRecord {
        lat_deg: d.f64("installationParam.latitude")?,
        lon_deg: d.f64("installationParam.longitude")?,
        height_m: d.f64("installationParam.height")?,
        antenna_azimuth_deg: d.f64("installationParam.antennaAzimuth")?,
    })
}

/// Parses a PPA record.
pub fn parse_ppa(text: &str, file: &str) -> Result<PpaRecord, InterferenceError> {
    let d = Doc::parse(text, file)?;
    let cluster = match d.get("ppaInfo.cbsdReferenceId") {
        None | Some(Value::Null) => Vec::new(),
        Some(_) => d.strings("ppaInfo.cbsdReferenceId")?,
    };
    Ok(PpaRecord {
        pal_ids: d.strings("ppaInfo.palId")?,
        cluster,
        zone: d.polygon("zone.features[0].geometry")?,
    })
}

/// Parses a PAL record.
pub fn parse_pal(text: &str, file: &str) -> Result<PalRecord, InterferenceError> {
    let d = Doc::parse(text, file)?;
    Ok(PalRecord {
        pal_id: d.str("palId")?,
        low_hz: d.f64("channelAssignment.primaryAssignment.lowFrequency")?,
        high_hz: d.f64("channelAssignment.primaryAssignment.highFrequency")?,
    })
}

/// Parses a GWPZ record.
pub fn parse_gwpz(text: &str, file: &str) -> Result<GwpzRecord, InterferenceError> {
    let d = Doc::parse(text, file)?;
    let fr = "record.deploymentParam[0].operationParam.operationFrequencyRange";
    Ok(GwpzRecord {
        low_hz: d.f64(&format!("{fr}.lowFrequency"))?,
        high_hz: d.f64(&format!("{fr}.highFrequency"))?,
        land_category: d
            .get("landCategory")
            .and_then(Value::as_str)
            .map(str::to_string),
        zone: d.polygon("zone.features[0].geometry")?,
    })
}
