//! Reader and runner for the ITU-R P.2108 reference data of NTIA/p2108: the
//! height-gain terminal correction, terrestrial statistical and aeronautical
//! statistical model CSVs, found by their header columns (any `*.csv` in the
//! directory). Rows with a non-zero `rtn` expect that error code (either NTIA
//! numbering: 3100-series test data or the 32/48/64 POSIX range).

use std::path::Path;

use crate::itm::{Table, check};
use crate::{CaseResult, ConformanceError, Model, ModelReport};
use spectrum_core::p2108::{self, ClutterType, P2108Error};

/// The three methods, recognised by their output column.
#[derive(Clone, Copy)]
enum Method {
    HeightGain,
    Terrestrial,
    Aeronautical,
}

fn method_of(t: &Table) -> Option<(Method, &'static str)> {
    if t.col("A_h__db").is_some() {
        Some((Method::HeightGain, "A_h__db"))
    } else if t.col("L_ctt__db").is_some() {
        Some((Method::Terrestrial, "L_ctt__db"))
    } else if t.col("L_ces__db").is_some() {
        Some((Method::Aeronautical, "L_ces__db"))
    } else {
        None
    }
}

fn compute(
    t: &Table,
    line: usize,
    f: &[String],
    m: Method,
) -> Result<Result<f64, P2108Error>, ConformanceError> {
    Ok(match m {
        Method::HeightGain => {
            let code = t.num(line, f, "clutter_type")?;
            match ClutterType::from_code(code as i64) {
                Ok(c) => p2108::height_gain_terminal_correction_db(
                    t.num(line, f, "f__ghz")?,
                    t.num(line, f, "h__meter")?,
                    t.num(line, f, "w_s__meter")?,
                    t.num(line, f, "R__meter")?,
                    c,
                ),
                Err(e) => {
                    // ranges are validated before the clutter type
                    p2108::height_gain_terminal_correction_db(
                        t.num(line, f, "f__ghz")?,
                        t.num(line, f, "h__meter")?,
                        t.num(line, f, "w_s__meter")?,
                        t.num(line, f, "R__meter")?,
                        ClutterType::WaterSea,
                    )
                    .and(Err(e))
                }
            }
        }
        Method::Terrestrial => p2108::terrestrial_statistical_db(
            t.num(line, f, "f__ghz")?,
            t.num(line, f, "d__km")?,
            t.num(line, f, "p")?,
        ),
        Method::Aeronautical => {
            let theta = if t.col("theta__deg").is_some() {
                "theta__deg"
            } else {
                "theta_deg"
            };
            p2108::aeronautical_statistical_db(
                t.num(line, f, "f__ghz")?,
                t.num(line, f, theta)?,
                t.num(line, f, "p")?,
            )
        }
    })
}

/// Runs every P.2108 reference case found in `dir`.
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ConformanceError::Io {
        file: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in &files {
        let t = Table::read(file)?;
        let Some((method, out)) = method_of(&t) else {
            continue;
        };
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        for (k, (line, f)) in t.rows.iter().enumerate() {
            let expected_rtn = if t.col("rtn").is_some() {
                t.int(*line, f, "rtn")? as i64
            } else {
                0
            };
            let result = compute(&t, *line, f, method)?;
            let mut checks = Vec::new();
            let computed_rtn = match &result {
                Ok(_) => 0,
                Err(e) if expected_rtn >= 1000 => e.legacy_code(),
                Err(e) => e.code(),
            };
            if expected_rtn == 0
                && let Ok(v) = result
            {
                checks.push(check(out, t.printed(*line, f, out)?, v));
            }
            cases.push(CaseResult {
                case: format!("{name} row {}", k + 1),
                checks,
                codes: vec![("rtn".to_string(), expected_rtn, computed_rtn)],
            });
        }
    }
    ModelReport::of_cases(
        Model::P2108,
        "ITU-R P.2108-1 (09/2021), NTIA/p2108",
        dir,
        format!("{}", dir.display()),
        cases,
    )
}
