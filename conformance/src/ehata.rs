//! Reader and runner for the Extended Hata reference data (NTIA TR 15-517 test
//! cases as kept by the WInnForum SAS reference models): `test-inputs.csv`
//! (frequency `f` MHz, base / mobile heights `hb` / `hm`, environment code
//! `env`, profile file `pfl file name`, expected `Path Loss(dB)`, optionally
//! `Dist(km)`, great-circle, not compared) and `pfls/*.csv` (ITM PFL lines, mobile
//! first: the WInnForum test reverses each profile and its Python binding reverses
//! it back, so eHata sees the file's order). Only the first PFL line is used, cut
//! to its declared length.

use std::path::Path;

use crate::itm::{Table, bad, check, read};
use crate::{CaseResult, ConformanceError, Model, ModelReport};
use spectrum_core::ehata::{EhataOptions, Environment, extended_hata};

/// Reads the first PFL line of `file` and returns (elevations mobile→base, step m).
fn read_profile(file: &Path) -> Result<(Vec<f64>, f64), ConformanceError> {
    let text = read(file)?;
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| bad(file, 1, "expected a PFL line, found an empty file"))?;
    let mut v = Vec::new();
    for tok in line.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        v.push(
            tok.parse::<f64>()
                .map_err(|_| bad(file, 1, format!("expected a number, found `{tok}`")))?,
        );
    }
    let (z, step) = spectrum_core::itm::from_pfl(&v).map_err(|e| bad(file, 1, e.to_string()))?;
    Ok((z.to_vec(), step))
}

/// Runs every eHata reference case found in `dir`.
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    let file = dir.join("test-inputs.csv");
    if !file.is_file() {
        return Err(ConformanceError::NothingToRun {
            model: Model::Ehata.name(),
            dir: dir.to_path_buf(),
        });
    }
    let t = Table::read(&file)?;
    let pfl_col = t
        .col("pfl file name")
        .ok_or_else(|| bad(&file, 1, "expected a column `pfl file name`"))?;
    let id_col = t.col("ID");
    let options = EhataOptions {
        winnforum_extensions: false,
        reliability: None,
        its_testbed: true,
    };
    let mut cases = Vec::new();
    for (k, (line, f)) in t.rows.iter().enumerate() {
        let pfl_name = f.get(pfl_col).cloned().unwrap_or_default();
        let (z, step) = read_profile(&dir.join("pfls").join(&pfl_name))?;
        let env = Environment::from_code(t.int(*line, f, "env")? as i64);
        let id = id_col
            .and_then(|c| f.get(c))
            .cloned()
            .unwrap_or_else(|| format!("row {}", k + 1));
        let result = extended_hata(
            &z,
            step,
            t.num(*line, f, "f")?,
            t.num(*line, f, "hb")?,
            t.num(*line, f, "hm")?,
            env,
            &options,
        )
        .map_err(|e| bad(&file, *line, e.to_string()))?;
        let checks = vec![check(
            "Path Loss(dB)",
            t.printed(*line, f, "Path Loss(dB)")?,
            result.loss_db,
        )];
        cases.push(CaseResult {
            case: format!("test-inputs.csv {id}"),
            checks,
            codes: Vec::new(),
        });
    }
    ModelReport::of_cases(
        Model::Ehata,
        "NTIA TR 15-517 Extended Hata (WInnForum SAS reference version)",
        dir,
        format!("{}", dir.display()),
        cases,
    )
}
