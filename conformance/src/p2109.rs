//! Reader and runner for the ITU-R P.2109 reference data
//! (`../shared/data/propagation/p2109/`): the ITU-R SG 3 reference values that
//! eeveetza/p2109 validates against (`itu-reference/*.csv`, header
//! `f_GHz,p_percent,building_class,theta_deg,L_ref_dB`, tolerance 0.01 dB as
//! the reference's `errtol`) and crc-covlib's grid computed with that code
//! (`crc-covlib/validation.csv`, 25 000 rows, tolerance 1e-4 dB as
//! crc-covlib's own test). Files are found by their header, in any folder
//! below the directory given.

use std::path::{Path, PathBuf};

use crate::itm::Table;
use crate::{CaseResult, ConformanceError, Model, ModelReport, QuantityCheck};
use spectrum_core::p2109::{BuildingClass, building_entry_loss_db};

/// A layout: the columns of f (GHz), p (%), class, θ (deg), L (dB), and the tolerance.
struct Layout {
    columns: [&'static str; 5],
    tolerance_db: f64,
}

const LAYOUTS: [Layout; 2] = [
    Layout {
        columns: [
            "f_GHz",
            "p_percent",
            "building_class",
            "theta_deg",
            "L_ref_dB",
        ],
        tolerance_db: 0.01,
    },
    Layout {
        columns: [
            "freqency (GHz)",
            "probability (%)",
            "building type",
            "elevation angle (deg)",
            "building entry loss (dB)",
        ],
        tolerance_db: 1e-4,
    },
];

fn csv_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ConformanceError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ConformanceError::Io {
        file: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            csv_files(&p, out)?;
        } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            out.push(p);
        }
    }
    Ok(())
}

/// Runs every P.2109 reference case found under `dir`.
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    let mut files = Vec::new();
    csv_files(dir, &mut files)?;
    let mut cases = Vec::new();
    for file in &files {
        let t = Table::read(file)?;
        let Some(layout) = LAYOUTS
            .iter()
            .find(|l| l.columns.iter().all(|c| t.col(c).is_some()))
        else {
            continue;
        };
        let [f, p, k, theta, loss] = layout.columns;
        let name = file.strip_prefix(dir).unwrap_or(file).display().to_string();
        for (line, fields) in &t.rows {
            let class = BuildingClass::from_code(t.int(*line, fields, k)? as i64)
                .map_err(|e| crate::itm::bad(file, *line, e.to_string()))?;
            let computed = building_entry_loss_db(
                t.num(*line, fields, f)?,
                t.num(*line, fields, p)?,
                class,
                t.num(*line, fields, theta)?,
            )
            .map_err(|e| crate::itm::bad(file, *line, e.to_string()))?;
            cases.push(CaseResult {
                case: format!("{name} line {line}"),
                checks: vec![QuantityCheck {
                    name: "L_BEL (dB)".into(),
                    expected: t.num(*line, fields, loss)?,
                    computed,
                    tolerance: layout.tolerance_db,
                }],
                codes: Vec::new(),
            });
        }
    }
    ModelReport::of_cases(
        Model::P2109,
        "ITU-R P.2109-1 (02/2019), building entry loss",
        dir,
        format!("{}", dir.display()),
        cases,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/propagation/p2109"
    );

    #[test]
    fn every_reference_case_is_within_its_tolerance() {
        let report = run(Path::new(DATA)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.case_count(), 426 + 25_000);
        assert_eq!(report.failures(), 0, "{:?}", report.failure_lines());
        assert!(report.max_tolerance_ratio() <= 1.0);
    }

    #[test]
    fn a_wrong_value_fails() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join("x.csv"),
            "f_GHz,p_percent,building_class,theta_deg,L_ref_dB\n28,50,1,0,99.0\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let report = run(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.failures(), 1);
        assert!(report.failure_lines()[0].contains("x.csv line 2"));
    }
}
