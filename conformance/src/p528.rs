//! Reader and runner for the ITU-R P.528-5 reference data
//! (`../shared/data/propagation/p528/`):
//!
//! - `ntia/P528Test_001.csv`, NTIA's test vectors (202 cases): return code,
//!   propagation mode and warnings exact; basic transmission loss, free-space
//!   loss, absorption (dB) and the elevation at terminal 1 (rad) to 1e-6.
//! - `data-tables/*.csv`, the curves published with the Recommendation
//!   (40 tables of 1001 distances × 18 height pairs, horizontal polarisation,
//!   printed to 0.1 dB): every value to 0.05 dB, half the printed step. File
//!   `<f MHz> MHz - Lb(<p as a fraction>)_P528.csv`.

use std::path::Path;

use crate::itm::{Table, bad, read};
use crate::{CaseResult, ConformanceError, Model, ModelReport, QuantityCheck};
use rayon::prelude::*;
use spectrum_core::p526::Polarization;
use spectrum_core::p528::{P528Path, P528Result, p528};

fn quantity(name: &str, expected: f64, computed: f64, tolerance: f64) -> QuantityCheck {
    QuantityCheck {
        name: name.into(),
        expected,
        computed,
        tolerance,
    }
}

/// NTIA's vectors, by column position (the header names `d__km` twice).
fn ntia(file: &Path, cases: &mut Vec<CaseResult>) -> Result<(), ConformanceError> {
    let t = Table::read(file)?;
    if t.header.len() != 14 {
        return Err(bad(
            file,
            1,
            format!(
                "expected 14 columns (d__km … theta_h1__rad), found {}",
                t.header.len()
            ),
        ));
    }
    for (line, fields) in &t.rows {
        let num = |k: usize| -> Result<f64, ConformanceError> {
            let f = fields.get(k).map_or("", String::as_str);
            f.parse().map_err(|_| {
                bad(
                    file,
                    *line,
                    format!(
                        "column {} ({}): expected a number, found `{f}`",
                        k + 1,
                        t.header[k]
                    ),
                )
            })
        };
        let pol = match num(4)? {
            0.0 => Polarization::Horizontal,
            1.0 => Polarization::Vertical,
            other => {
                return Err(bad(
                    file,
                    *line,
                    format!("column 5 (T_pol): expected 0 or 1, found {other}"),
                ));
            }
        };
        let (rtn, mode, warnings) = (num(6)? as i64, num(7)? as i64, num(8)? as i64);
        let got = p528(num(0)?, num(1)?, num(2)?, num(3)?, pol, num(5)?);
        let (code, checks) = match got {
            Ok(r) => (
                if r.warnings == 0 { 0 } else { 11 },
                vec![
                    quantity("A (dB)", num(10)?, r.loss_db, 1e-6),
                    quantity("A_fs (dB)", num(11)?, r.free_space_db, 1e-6),
                    quantity("A_a (dB)", num(12)?, r.absorption_db, 1e-6),
                    quantity("theta_h1 (rad)", num(13)?, r.elevation_h1_rad, 1e-6),
                ],
            ),
            Err(e) => (i64::from(e.code()), Vec::new()),
        };
        let (got_mode, got_warnings) = got.map_or((0, 0), |r: P528Result| {
            (i64::from(r.mode.code()), i64::from(r.warnings))
        });
        cases.push(CaseResult {
            case: format!("ntia/P528Test_001.csv line {line}"),
            checks,
            codes: vec![
                ("rtn".into(), rtn, code),
                ("propagation_mode".into(), mode, got_mode),
                ("warnings".into(), warnings, got_warnings),
            ],
        });
    }
    Ok(())
}

/// (f MHz, p %) from `1,200 MHz - Lb(0.01)_P528.csv`.
fn table_name(name: &str) -> Option<(f64, f64)> {
    let (freq, rest) = name.split_once(" MHz - Lb(")?;
    let (fraction, _) = rest.split_once(")_P528.csv")?;
    let freq: f64 = freq.replace(',', "").parse().ok()?;
    let fraction: f64 = fraction.parse().ok()?;
    Some((freq, fraction * 100.0))
}

/// A curve table read: its name, time percentage, the (h1, h2) pairs, and
/// per distance row (line, d km, the printed losses).
struct CurveTable {
    name: String,
    p: f64,
    pairs: Vec<(f64, f64)>,
    rows: Vec<(usize, f64, Vec<f64>)>,
}

fn read_curve_table(file: &Path, p: f64) -> Result<CurveTable, ConformanceError> {
    let text = read(file)?;
    let rows: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split(',').map(str::trim).collect())
        .collect();
    let heights = |line: usize, label: &str| -> Result<Vec<f64>, ConformanceError> {
        let row = rows
            .get(line - 1)
            .ok_or_else(|| bad(file, line, format!("expected the {label} line")))?;
        if row.get(1) != Some(&label) {
            return Err(bad(
                file,
                line,
                format!("expected `{label}` in column 2, found {:?}", row.get(1)),
            ));
        }
        row[2..]
            .iter()
            .map(|f| {
                f.parse().map_err(|_| {
                    bad(
                        file,
                        line,
                        format!("{label}: expected a number, found `{f}`"),
                    )
                })
            })
            .collect()
    };
    let (h2, h1) = (heights(2, "h2(m)")?, heights(3, "h1(m)")?);
    if h1.len() != h2.len() || h1.is_empty() {
        return Err(bad(
            file,
            3,
            format!(
                "expected as many h1 as h2, found {} and {}",
                h1.len(),
                h2.len()
            ),
        ));
    }
    let mut table = CurveTable {
        name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        p,
        pairs: h1.into_iter().zip(h2).collect(),
        rows: Vec::new(),
    };
    for (i, row) in rows.iter().enumerate().skip(4) {
        let line = i + 1;
        if row.iter().all(|f| f.is_empty()) {
            continue;
        }
        let values: Vec<f64> = row
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != 1)
            .map(|(k, f)| {
                f.parse().map_err(|_| {
                    bad(
                        file,
                        line,
                        format!("column {}: expected a number, found `{f}`", k + 1),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        if values.len() != table.pairs.len() + 1 {
            return Err(bad(
                file,
                line,
                format!(
                    "expected {} fields, found {}",
                    table.pairs.len() + 2,
                    row.len()
                ),
            ));
        }
        table.rows.push((line, values[0], values[1..].to_vec()));
    }
    Ok(table)
}

/// The tables of one frequency (one per time percentage), checked pair by
/// pair with one prepared path, every `step`-th distance row.
fn check_frequency(
    dir: &Path,
    freq_mhz: f64,
    tables: &[CurveTable],
    step: usize,
) -> Result<Vec<CaseResult>, ConformanceError> {
    let Some(first) = tables.first() else {
        return Ok(Vec::new());
    };
    for table in tables {
        if table.pairs != first.pairs
            || table
                .rows
                .iter()
                .map(|r| r.1)
                .ne(first.rows.iter().map(|r| r.1))
        {
            return Err(bad(
                &dir.join(&table.name),
                0,
                format!("expected the heights and distances of {}", first.name),
            ));
        }
    }
    let percents: Vec<f64> = tables.iter().map(|t| t.p).collect();
    let distances: Vec<f64> = first.rows.iter().step_by(step).map(|r| r.1).collect();
    // computed[pair][row][table]
    let computed: Vec<Vec<Vec<f64>>> = first
        .pairs
        .par_iter()
        .map(|&(h1, h2)| {
            let path = P528Path::new(h1, h2, freq_mhz, Polarization::Horizontal).map_err(|e| {
                bad(
                    &dir.join(&first.name),
                    3,
                    format!("h1 {h1} m, h2 {h2} m: {e}"),
                )
            })?;
            distances
                .iter()
                .map(|&d| {
                    path.losses(d, &percents)
                        .map(|r| r.iter().map(|x| x.loss_db).collect())
                        .map_err(|e| {
                            bad(
                                &dir.join(&first.name),
                                0,
                                format!("{d} km, h1 {h1} m, h2 {h2} m: {e}"),
                            )
                        })
                })
                .collect()
        })
        .collect::<Result<_, _>>()?;
    let mut cases = Vec::new();
    for (ti, table) in tables.iter().enumerate() {
        for (r, (line, d, expected)) in table.rows.iter().step_by(step).enumerate() {
            let checks = first
                .pairs
                .iter()
                .zip(expected)
                .zip(&computed)
                .map(|((&(h1, h2), &e), by_row)| {
                    quantity(
                        &format!("Lb h1 {h1} m h2 {h2} m (dB)"),
                        e,
                        by_row[r][ti],
                        0.05,
                    )
                })
                .collect();
            cases.push(CaseResult {
                case: format!("data-tables/{} line {line} ({d} km)", table.name),
                checks,
                codes: Vec::new(),
            });
        }
    }
    Ok(cases)
}

/// Runs the P.528 reference cases found in `dir` (either source may be absent).
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    run_sampled(dir, 1)
}

/// [`run`] checking only every `step`-th distance of the curve tables (all
/// 720 720 table values take minutes; NTIA's vectors are always all run).
pub fn run_sampled(dir: &Path, step: usize) -> Result<ModelReport, ConformanceError> {
    let step = step.max(1);
    let mut cases = Vec::new();
    let vectors = dir.join("ntia").join("P528Test_001.csv");
    if vectors.exists() {
        ntia(&vectors, &mut cases)?;
    }
    let tables_dir = dir.join("data-tables");
    if tables_dir.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(&tables_dir)
            .map_err(|source| ConformanceError::Io {
                file: tables_dir.clone(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        files.sort();
        let mut by_freq: Vec<(f64, Vec<CurveTable>)> = Vec::new();
        for file in files {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (freq, p) = table_name(&name).ok_or_else(|| {
                bad(
                    &file,
                    0,
                    "expected a name `<f> MHz - Lb(<p fraction>)_P528.csv`",
                )
            })?;
            let table = read_curve_table(&file, p)?;
            match by_freq.iter_mut().find(|(f, _)| *f == freq) {
                Some((_, tables)) => tables.push(table),
                None => by_freq.push((freq, vec![table])),
            }
        }
        by_freq.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (freq, tables) in &by_freq {
            cases.extend(check_frequency(&tables_dir, *freq, tables, step)?);
        }
    }
    ModelReport::of_cases(
        Model::P528,
        "ITU-R P.528-5 (09/2021) Annex 2",
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
        "/../../shared/data/propagation/p528"
    );

    #[test]
    fn every_reference_case_is_within_its_tolerance() {
        // Every 20th distance here; `spectra conformance p528` runs them all.
        let report = run_sampled(Path::new(DATA), 20).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.case_count(), 202 + 40 * 51);
        assert_eq!(report.failures(), 0, "{:?}", report.failure_lines());
    }

    #[test]
    fn names_wrong_values_and_bad_files() {
        assert_eq!(
            table_name("1,200 MHz - Lb(0.05)_P528.csv"),
            Some((1200.0, 5.0))
        );
        assert_eq!(table_name("1200MHz.csv"), None);
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert!(run(dir.path()).is_err());
        std::fs::create_dir(dir.path().join("ntia")).unwrap_or_else(|e| panic!("{e}"));
        let head = "d__km,h_1__meter,h_2__meter,f__mhz,T_pol,p,rtn,propagation_mode,warnings,d__km,A__db,A_fs__db,A_a__db,theta_h1__rad\n";
        let file = dir.path().join("ntia/P528Test_001.csv");
        std::fs::write(&file, format!("{head}15,10,1000,500,0,50,0,1,0,15,111.0,109.969800159625,0.045303136903,0.063594603581\n"))
            .unwrap_or_else(|e| panic!("{e}"));
        let report = run(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.failures(), 1);
        std::fs::write(
            &file,
            format!("{head}15,10,1000,500,2,50,0,1,0,15,1,1,1,1\n"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let err = run(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("P528Test_001.csv:2:") && err.contains("T_pol"),
            "{err}"
        );
    }
}
