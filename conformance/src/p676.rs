//! Reader and runner for the ITU-R P.676-13 Annex 1 reference data
//! (`../shared/data/propagation/p676/`): the 1–350 GHz sweep of the SG 3
//! validation workbook's `P.676-13_SpAtt` sheet (`itu-valex/P.676-13_SpAtt.csv`:
//! γ_o, γ_w and γ at p = 1013.25 hPa, ρ = 7.5 g/m³, T = 288.15 K; relative
//! tolerance 1e-6, the data set's) and crc-covlib's grid of specific
//! attenuations (`crc-covlib/validation.csv`: 8 000 points over frequency,
//! pressure, density and temperature; 1e-4 dB/km, crc-covlib's own test).
//! The slant-path and Annex 2 sheets are not run yet.

use std::path::Path;

use crate::itm::{Table, bad, read};
use crate::{CaseResult, ConformanceError, Model, ModelReport, QuantityCheck};
use spectrum_core::p676::specific_attenuation;

/// The conditions of the SpAtt sheet: dry-air pressure hPa, ρ g/m³, T K.
const SPATT_CONDITIONS: (f64, f64, f64) = (1013.25, 7.5, 288.15);

fn quantity(name: &str, expected: f64, computed: f64, tolerance: f64) -> QuantityCheck {
    QuantityCheck {
        name: name.into(),
        expected,
        computed,
        tolerance,
    }
}

/// The SpAtt sweep: the rows after the header `F,go,gw,g` (columns C–F).
fn spatt(file: &Path, cases: &mut Vec<CaseResult>) -> Result<(), ConformanceError> {
    let text = read(file)?;
    let mut in_sweep = false;
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.get(2..6) == Some(&["F", "go", "gw", "g"][..]) {
            in_sweep = true;
            continue;
        }
        if !in_sweep || fields.get(2).is_none_or(|f| f.is_empty()) {
            continue;
        }
        let num = |k: usize| -> Result<f64, ConformanceError> {
            let f = fields.get(k).copied().unwrap_or("");
            f.parse().map_err(|_| {
                bad(
                    file,
                    i + 1,
                    format!("column {}: expected a number, found `{f}`", k + 1),
                )
            })
        };
        let (p, rho, t) = SPATT_CONDITIONS;
        let (go, gw) = specific_attenuation(num(2)?, p, rho, t)
            .map_err(|e| bad(file, i + 1, e.to_string()))?;
        let rel = |x: f64| 1e-6 * x.abs();
        let (eo, ew, eg) = (num(3)?, num(4)?, num(5)?);
        cases.push(CaseResult {
            case: format!(
                "itu-valex/P.676-13_SpAtt.csv line {} ({} GHz)",
                i + 1,
                num(2)?
            ),
            checks: vec![
                quantity("gamma (dB/km)", eg, go + gw, rel(eg)),
                quantity("gamma_o (dB/km)", eo, go, rel(eo)),
                quantity("gamma_w (dB/km)", ew, gw, rel(ew)),
            ],
            codes: Vec::new(),
        });
    }
    Ok(())
}

/// crc-covlib's grid: f GHz, P hPa, ρ g/m³, T K, γ_o, γ_w.
fn grid(file: &Path, cases: &mut Vec<CaseResult>) -> Result<(), ConformanceError> {
    let t = Table::read(file)?;
    let [f, p, rho, temp, go_col, gw_col] = [
        "f (GHz)",
        "P (hPa)",
        "rho (g/m3)",
        "T (k)",
        "gamma0 (dB/km)",
        "gammaw (dB/km)",
    ];
    for (line, fields) in &t.rows {
        let (go, gw) = specific_attenuation(
            t.num(*line, fields, f)?,
            t.num(*line, fields, p)?,
            t.num(*line, fields, rho)?,
            t.num(*line, fields, temp)?,
        )
        .map_err(|e| bad(file, *line, e.to_string()))?;
        cases.push(CaseResult {
            case: format!("crc-covlib/validation.csv line {line}"),
            checks: vec![
                quantity("gamma_o (dB/km)", t.num(*line, fields, go_col)?, go, 1e-4),
                quantity("gamma_w (dB/km)", t.num(*line, fields, gw_col)?, gw, 1e-4),
            ],
            codes: Vec::new(),
        });
    }
    Ok(())
}

/// Runs the P.676 reference cases found in `dir` (either file may be absent).
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    let mut cases = Vec::new();
    let sweep = dir.join("itu-valex").join("P.676-13_SpAtt.csv");
    if sweep.exists() {
        spatt(&sweep, &mut cases)?;
    }
    let crc = dir.join("crc-covlib").join("validation.csv");
    if crc.exists() {
        grid(&crc, &mut cases)?;
    }
    ModelReport::of_cases(
        Model::P676,
        "ITU-R P.676-13 (08/2022) Annex 1 specific attenuation",
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
        "/../../shared/data/propagation/p676"
    );

    #[test]
    fn every_reference_case_is_within_its_tolerance() {
        let report = run(Path::new(DATA)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.case_count(), 350 + 8_000);
        assert_eq!(report.failures(), 0, "{:?}", report.failure_lines());
    }

    #[test]
    fn a_wrong_value_fails_and_an_empty_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert!(run(dir.path()).is_err());
        std::fs::create_dir(dir.path().join("crc-covlib")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join("crc-covlib/validation.csv"),
            "f (GHz),P (hPa),rho (g/m3),T (k),gamma0 (dB/km),gammaw (dB/km)\n60,1013.25,7.5,288.15,1.0,0.1\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let report = run(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.failures(), 1);
    }
}
