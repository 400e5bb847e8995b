//! A whole interference study in one file (TOML): the register(s), the
//! model, the terrain, the criteria and where the outputs go, so that a study
//! can be run again and give the same results. Relative paths are relative to
//! the study file. The run records the SHA-256 of every input file in a
//! manifest beside the outputs.
//!
//! ```toml
//! [register]
//! stations = "stations.parquet"   # interferers (its transmitters)
//! operators = "operators.csv"     # optional
//! victims = "victims.csv"         # optional: default, the same register
//! masks = "masks.toml"            # optional: default, the shipped library
//!
//! [model]
//! name = "p452"                   # free_space | p452 | p1812 | itm | hata
//! time_pct = 1.0
//!
//! [terrain]                       # optional: default, a smooth profile between the sites
//! relief = true                   # the synthetic Tian Shan relief, or dem = "tiles/"
//! step_m = 100.0
//!
//! [criteria]
//! cutoff_km = 30.0                # optional: one cutoff for every service
//! cutoffs = { fixed = 150.0 }     # optional: by victim service (default 100 km; see aggregate::Cutoffs)
//! guard_hz = 0
//! include_same_operator = false
//! protection = { fixed = -10.0 }  # optional I/N by service, dB
//!
//! [output]
//! dir = "study-out"               # victims.parquet, contributions.parquet, manifest.json
//! contributions = true
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::InterferenceError;

/// The path-loss model of a study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelName {
    /// Free space, ITU-R P.525-4.
    FreeSpace,
    /// ITU-R P.452-18.
    P452,
    /// ITU-R P.1812-6.
    P1812,
    /// NTIA ITM.
    Itm,
    /// Okumura-Hata / COST-231.
    Hata,
}

/// `[register]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterSection {
    /// The interferers' register.
    pub stations: PathBuf,
    /// Its operators.
    pub operators: Option<PathBuf>,
    /// The victims' register.
    pub victims: Option<PathBuf>,
    /// A mask library.
    pub masks: Option<PathBuf>,
}

/// `[model]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSection {
    /// The model.
    pub name: ModelName,
    /// Time percentage (P.452, P.1812, ITM), %.
    #[serde(default = "one_pct")]
    pub time_pct: f64,
}

fn one_pct() -> f64 {
    1.0
}

fn hundred_m() -> f64 {
    100.0
}

/// `[terrain]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerrainSection {
    /// A DEM directory.
    pub dem: Option<PathBuf>,
    /// The synthetic Tian Shan relief.
    #[serde(default)]
    pub relief: bool,
    /// Profile spacing, m.
    #[serde(default = "hundred_m")]
    pub step_m: f64,
}

/// `[criteria]`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaSection {
    /// One cutoff for every service, km.
    pub cutoff_km: Option<f64>,
    /// Cutoffs by victim service id, km.
    #[serde(default)]
    pub cutoffs: BTreeMap<String, f64>,
    /// Guard around the victim's band, Hz.
    #[serde(default)]
    pub guard_hz: u64,
    /// Count intra-operator pairs too.
    #[serde(default)]
    pub include_same_operator: bool,
    /// I/N criteria by service id, dB.
    #[serde(default)]
    pub protection: BTreeMap<String, f64>,
}

/// `[output]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    /// Output directory (must exist).
    pub dir: PathBuf,
    /// Also write the per-pair contributions.
    #[serde(default)]
    pub contributions: bool,
}

/// A study file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyFile {
    /// The registers.
    pub register: RegisterSection,
    /// The model.
    pub model: ModelSection,
    /// The terrain.
    pub terrain: Option<TerrainSection>,
    /// The criteria.
    #[serde(default)]
    pub criteria: CriteriaSection,
    /// The outputs.
    pub output: OutputSection,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl StudyFile {
    /// Parses a study; errors name the file, the line and the field.
    pub fn parse(text: &str, file: &str) -> Result<StudyFile, InterferenceError> {
        let mut study: StudyFile = toml::from_str(text).map_err(|e| InterferenceError::Input {
            file: file.to_owned(),
            line: e.span().map_or(0, |s| line_of(text, s.start)),
            field: "study".into(),
            expected: "a study file (see interference/src/study.rs)".into(),
            found: e.message().to_owned(),
        })?;
        let invalid = |field: &str, expected: &str, found: String| InterferenceError::Input {
            file: file.to_owned(),
            line: 0,
            field: field.to_owned(),
            expected: expected.to_owned(),
            found,
        };
        let t = study.model.time_pct;
        if !(t.is_finite() && t > 0.0 && t <= 50.0) {
            return Err(invalid(
                "model.time_pct",
                "a percentage in (0, 50]",
                t.to_string(),
            ));
        }
        if let Some(c) = study.criteria.cutoff_km
            && !(c.is_finite() && c > 0.0 && c <= 20_000.0)
        {
            return Err(invalid(
                "criteria.cutoff_km",
                "a distance in (0, 20000] km",
                c.to_string(),
            ));
        }
        if let Some(tr) = &study.terrain {
            if tr.dem.is_some() && tr.relief {
                return Err(invalid("terrain", "either dem or relief", "both".into()));
            }
            if !(tr.step_m.is_finite() && (1.0..=10_000.0).contains(&tr.step_m)) {
                return Err(invalid(
                    "terrain.step_m",
                    "1 to 10000 m",
                    tr.step_m.to_string(),
                ));
            }
        }
        for (service, km) in &study.criteria.cutoffs {
            if allocation_table::service::RadioService::lookup(service).is_none()
                || !(km.is_finite() && *km > 0.0 && *km <= 20_000.0)
            {
                return Err(invalid(
                    &format!("criteria.cutoffs.{service}"),
                    "a radio service of RR Article 1 = a distance in (0, 20000] km",
                    format!("{service} = {km}"),
                ));
            }
        }
        for (service, db) in &study.criteria.protection {
            if allocation_table::service::RadioService::lookup(service).is_none() {
                return Err(invalid(
                    &format!("criteria.protection.{service}"),
                    "a radio service of RR Article 1",
                    service.clone(),
                ));
            }
            if !(db.is_finite() && (-60.0..=30.0).contains(db)) {
                return Err(invalid(
                    &format!("criteria.protection.{service}"),
                    "an I/N from -60 to 30 dB",
                    db.to_string(),
                ));
            }
        }
        // Relative paths are relative to the study file.
        let base = Path::new(file).parent().unwrap_or(Path::new(""));
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        resolve(&mut study.register.stations);
        for p in [
            &mut study.register.operators,
            &mut study.register.victims,
            &mut study.register.masks,
        ]
        .into_iter()
        .flatten()
        {
            resolve(p);
        }
        if let Some(dem) = study.terrain.as_mut().and_then(|t| t.dem.as_mut()) {
            resolve(dem);
        }
        resolve(&mut study.output.dir);
        Ok(study)
    }

    /// Reads and parses a study file.
    pub fn load(path: &Path) -> Result<StudyFile, InterferenceError> {
        let text = std::fs::read_to_string(path).map_err(|source| InterferenceError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Every input file of the study (the study file first), existing ones only
    /// for a DEM directory's tiles.
    pub fn inputs(&self, study_path: &Path) -> Vec<PathBuf> {
        let mut out = vec![study_path.to_path_buf(), self.register.stations.clone()];
        out.extend(
            [
                &self.register.operators,
                &self.register.victims,
                &self.register.masks,
            ]
            .into_iter()
            .flatten()
            .cloned(),
        );
        if let Some(dir) = self.terrain.as_ref().and_then(|t| t.dem.as_ref())
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            let mut tiles: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            tiles.sort();
            out.extend(tiles);
        }
        out
    }
}

/// SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> Result<String, InterferenceError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|source| InterferenceError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|source| InterferenceError::Io {
                path: path.display().to_string(),
                source,
            })?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
