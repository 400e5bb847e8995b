//! # spectra-conformance
//!
//! Conformance of Spectra's propagation models ([`spectrum_core`]) against
//! published reference data, as its own crate (like georust's JTS conformance
//! runner): the numerics crate never reads reference files.
//!
//! Each model has a reader for its reference-data layout (under
//! `../shared/data/propagation/<model>/`) and a runner that recomputes every
//! case and compares the final value and each intermediate with the
//! reference:
//!
//! | module | reference data | tolerance |
//! |---|---|---|
//! | [`p452`] | ITU-R P.452-18 validation examples (ITU-R WP 3M) | 1e-6 dB |
//! | [`p1812`] | ITU-R P.1812-6 validation examples (ITU-R WP 3M) | 1e-6 |
//! | [`itm`] | NTIA ITM v1.3 `p2p.csv`, `area.csv`, `cmd_examples/` | ½ unit of the last printed digit |
//! | [`ehata`] | NTIA TR 15-517 Extended Hata test cases (WInnForum) | ½ unit of the last printed digit |
//! | [`p2108`] | ITU-R P.2108-1 test data (NTIA/p2108) | ½ unit of the last printed digit |
//! | [`p2109`] | ITU-R P.2109 SG 3 reference values; crc-covlib's grid | 0.01 dB; 1e-4 dB |
//! | [`p676`] | ITU-R P.676-13 SG 3 specific-attenuation sweep and slant paths; crc-covlib's grid | relative 1e-6; 1e-4 dB/km |
//! | [`p528`] | ITU-R P.528-5 NTIA test vectors; the Recommendation's curve tables | 1e-6; 0.05 dB |
//! | [`p1546`] | ITU-R P.1546-6 WP 3K validation profiles and logs | 1e-3 dB (intermediates: 6 significant digits) |
//!
//! This root module holds the report types they all return and the dispatch
//! by model name ([`run`]); [`declaration`] runs every model found under a
//! base directory and writes the conformance declaration.
//!
//! ```no_run
//! use std::path::Path;
//! use spectra_conformance::{Model, run};
//! let report = run(Model::P2108, Path::new("../shared/data/propagation/p2108")).unwrap();
//! assert_eq!(report.failures(), 0);
//! ```

use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

pub mod declaration;
pub mod ehata;
pub mod itm;
pub mod p1546;
pub mod p1812;
pub mod p2108;
pub mod p2109;
pub mod p452;
pub mod p528;
pub mod p676;

/// A model that `spectra conformance` can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// ITU-R P.452-18.
    P452,
    /// ITU-R P.1812-6.
    P1812,
    /// NTIA ITM (Longley-Rice) v1.3.
    Itm,
    /// NTIA Extended Hata (TR 15-517).
    Ehata,
    /// ITU-R P.2108-1.
    P2108,
    /// ITU-R P.2109-1.
    P2109,
    /// ITU-R P.676-13 Annex 1.
    P676,
    /// ITU-R P.528-5.
    P528,
    /// ITU-R P.1546-6.
    P1546,
}

impl Model {
    /// Every model, in report order.
    pub const ALL: [Model; 9] = [
        Model::P452,
        Model::P1812,
        Model::Itm,
        Model::Ehata,
        Model::P2108,
        Model::P2109,
        Model::P676,
        Model::P528,
        Model::P1546,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Model::P452 => "p452",
            Model::P1812 => "p1812",
            Model::Itm => "itm",
            Model::Ehata => "ehata",
            Model::P2108 => "p2108",
            Model::P2109 => "p2109",
            Model::P676 => "p676",
            Model::P528 => "p528",
            Model::P1546 => "p1546",
        }
    }

    /// Parses a command-line model name (case-insensitive).
    pub fn from_name(name: &str) -> Option<Model> {
        Model::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// One compared quantity of one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuantityCheck {
    /// Name of the quantity as the reference data names it (e.g. `Lb`, `Ldp`).
    pub name: String,
    /// Reference value.
    pub expected: f64,
    /// Value computed by Spectra.
    pub computed: f64,
    /// Largest accepted absolute deviation (boundary included).
    pub tolerance: f64,
}

impl QuantityCheck {
    /// Absolute deviation |computed − expected| (0 when both are the same
    /// infinity or both NaN).
    pub fn deviation(&self) -> f64 {
        if self.expected == self.computed || (self.expected.is_nan() && self.computed.is_nan()) {
            0.0
        } else {
            (self.computed - self.expected).abs()
        }
    }

    /// True when the quantity is in decibels (a loss, an attenuation, a
    /// field strength: names with `dB`, `Loss`, `Free Space`, or P.452 /
    /// P.1812 names such as `Lb`, `Lbfsg`); false for distances, heights,
    /// angles, percentages and factors.
    pub fn is_decibel(&self) -> bool {
        let lower = self.name.to_ascii_lowercase();
        let mut chars = self.name.chars();
        let p_loss = chars.next() == Some('L')
            && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && !self.name.contains('(');
        lower.contains("db") || lower.contains("loss") || lower == "free space" || p_loss
    }

    /// True when the deviation is within the tolerance (boundary included).
    /// A NaN deviation fails.
    pub fn passed(&self) -> bool {
        self.deviation() <= self.tolerance
    }

    /// Deviation in units of the tolerance (≤ 1 passes), comparable across
    /// quantities printed to different precisions; 0 for an exact match.
    pub fn tolerance_ratio(&self) -> f64 {
        let d = self.deviation();
        if d == 0.0 {
            0.0
        } else if self.tolerance > 0.0 {
            d / self.tolerance
        } else {
            f64::INFINITY
        }
    }
}

/// The comparison of one reference case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseResult {
    /// Case identifier (file name and row or case number).
    pub case: String,
    /// Every compared quantity, final value first.
    pub checks: Vec<QuantityCheck>,
    /// Error codes or warnings compared as integers, if the data has them:
    /// (name, expected, computed).
    pub codes: Vec<(String, i64, i64)>,
}

impl CaseResult {
    /// Largest deviation over the checked quantities.
    pub fn max_deviation(&self) -> f64 {
        self.checks
            .iter()
            .map(QuantityCheck::deviation)
            .fold(0.0, f64::max)
    }

    /// Largest deviation in units of the tolerance (≤ 1 passes).
    pub fn max_tolerance_ratio(&self) -> f64 {
        self.checks
            .iter()
            .map(QuantityCheck::tolerance_ratio)
            .fold(0.0, f64::max)
    }

    /// One line naming the case and every quantity or code outside
    /// tolerance: `case: name: expected … got … (tol …); …`.
    pub fn failure_line(&self) -> String {
        let bad: Vec<String> = self
            .checks
            .iter()
            .filter(|q| !q.passed())
            .map(|q| {
                format!(
                    "{}: expected {} got {} (tol {})",
                    q.name, q.expected, q.computed, q.tolerance
                )
            })
            .chain(
                self.codes
                    .iter()
                    .filter(|(_, e, g)| e != g)
                    .map(|(n, e, g)| format!("{n}: expected {e} got {g}")),
            )
            .collect();
        format!("{}: {}", self.case, bad.join("; "))
    }

    /// True when every quantity is within tolerance and every code matches.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(QuantityCheck::passed) && self.codes.iter().all(|(_, e, c)| e == c)
    }
}

/// The outcome of running one model over one directory of reference data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelReport {
    /// The model.
    pub model: Model,
    /// Recommendation or report and its edition, e.g. `ITU-R P.452-18 (10/2023)`.
    pub recommendation: String,
    /// Where the reference data came from (directory and data set name).
    pub dataset: String,
    /// Every case, in the order found.
    pub cases: Vec<CaseResult>,
}

impl ModelReport {
    /// The report of a run, or [`ConformanceError::NothingToRun`] when no
    /// case was found in `dir`: the one ending of every runner.
    pub(crate) fn of_cases(
        model: Model,
        recommendation: impl Into<String>,
        dir: &Path,
        dataset: String,
        cases: Vec<CaseResult>,
    ) -> Result<ModelReport, ConformanceError> {
        if cases.is_empty() {
            return Err(ConformanceError::NothingToRun {
                model: model.name(),
                dir: dir.to_path_buf(),
            });
        }
        Ok(ModelReport {
            model,
            recommendation: recommendation.into(),
            dataset,
            cases,
        })
    }

    /// Number of cases run.
    pub fn case_count(&self) -> usize {
        self.cases.len()
    }

    /// Number of cases outside tolerance.
    pub fn failures(&self) -> usize {
        self.cases.iter().filter(|c| !c.passed()).count()
    }

    /// One [`CaseResult::failure_line`] per case outside tolerance.
    pub fn failure_lines(&self) -> Vec<String> {
        self.cases
            .iter()
            .filter(|c| !c.passed())
            .map(CaseResult::failure_line)
            .collect()
    }

    /// Largest deviation over every case and quantity.
    pub fn max_deviation(&self) -> f64 {
        self.cases
            .iter()
            .map(CaseResult::max_deviation)
            .fold(0.0, f64::max)
    }

    /// Largest deviation over the quantities in decibels
    /// ([`QuantityCheck::is_decibel`]), dB; 0 when there is none.
    pub fn max_deviation_db(&self) -> f64 {
        self.cases
            .iter()
            .flat_map(|c| &c.checks)
            .filter(|q| q.is_decibel())
            .map(QuantityCheck::deviation)
            .fold(0.0, f64::max)
    }

    /// Largest deviation in units of each quantity's tolerance (≤ 1 when
    /// every case passes): the margin the declaration reports.
    pub fn max_tolerance_ratio(&self) -> f64 {
        self.cases
            .iter()
            .map(CaseResult::max_tolerance_ratio)
            .fold(0.0, f64::max)
    }
}

/// Why a conformance run could not be carried out.
#[derive(Debug, Error)]
pub enum ConformanceError {
    /// The directory holds none of the model's reference files.
    #[error(
        "{dir}: found no {model} reference cases (expected the layout of ../shared/data/propagation/{model}/)"
    )]
    NothingToRun {
        /// Model name.
        model: &'static str,
        /// Directory searched.
        dir: PathBuf,
    },
    /// A reference file could not be read or parsed.
    #[error("{file}:{line}: {message}")]
    BadFile {
        /// The file.
        file: PathBuf,
        /// 1-based line number (0 when the whole file is at fault).
        line: usize,
        /// What was expected and what was found.
        message: String,
    },
    /// I/O error on a file.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The model is not implemented yet.
    #[error("conformance for {0} is not available yet")]
    NotImplemented(&'static str),
    /// A declaration's base directory holds no model folder with cases.
    #[error(
        "{dir}: found no model folder (p452, p1812, itm, ehata, p2108, p2109, p676, p528, p1546) with reference cases"
    )]
    NoModelFolder {
        /// The base directory searched.
        dir: PathBuf,
    },
    /// One model of a declaration could not be run.
    #[error("conformance of {model}")]
    InModel {
        /// Model name.
        model: &'static str,
        /// Why.
        #[source]
        source: Box<ConformanceError>,
    },
}

/// Runs every reference case of `model` found in `dir`.
pub fn run(model: Model, dir: &Path) -> Result<ModelReport, ConformanceError> {
    match model {
        Model::P452 => p452::run(dir),
        Model::P1812 => p1812::run(dir),
        Model::Itm => itm::run(dir),
        Model::Ehata => ehata::run(dir),
        Model::P2108 => p2108::run(dir),
        Model::P2109 => p2109::run(dir),
        Model::P676 => p676::run(dir),
        Model::P528 => p528::run(dir),
        Model::P1546 => p1546::run(dir),
    }
}
