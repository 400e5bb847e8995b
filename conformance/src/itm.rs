//! Reader and runner for the NTIA ITM v1.3 reference data (`NTIA/itm`):
//! `p2p.csv` + `pfls.csv` (row i of p2p uses line i of pfls), `area.csv`, and
//! the command-line driver examples in `cmd_examples/` (inputs `i_*.txt`,
//! terrain, expected reports `o_*.txt`). Columns are found by header name;
//! each compared number's tolerance is half a unit in its last printed digit.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::{CaseResult, ConformanceError, Model, ModelReport, QuantityCheck};
use spectrum_core::itm::{
    self, Climate, ItmError, ItmParams, ItmResult, Polarization, SitingCriteria,
};

mod driver;

/// A number as printed in a reference file, with its tolerance (half a unit in
/// the last printed digit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Printed {
    pub value: f64,
    pub tolerance: f64,
}

/// Parses a printed decimal number and its tolerance; `None` if not a number.
pub(crate) fn parse_printed(text: &str) -> Option<Printed> {
    let t = text.trim();
    let value: f64 = t.parse().ok()?;
    let mantissa = t.split(['e', 'E']).next().unwrap_or(t);
    let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    let exponent: i32 = t
        .split_once(['e', 'E'])
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    Some(Printed {
        value,
        tolerance: 0.5 * 10f64.powi(exponent - decimals),
    })
}

/// A check of `computed` against a printed expected value.
pub(crate) fn check(name: &str, expected: Printed, computed: f64) -> QuantityCheck {
    QuantityCheck {
        name: name.to_string(),
        expected: expected.value,
        computed,
        tolerance: expected.tolerance,
    }
}

/// Reads a file to a string.
pub(crate) fn read(file: &Path) -> Result<String, ConformanceError> {
    fs::read_to_string(file).map_err(|source| ConformanceError::Io {
        file: file.to_path_buf(),
        source,
    })
}

/// A bad-file error.
pub(crate) fn bad(file: &Path, line: usize, message: impl Into<String>) -> ConformanceError {
    ConformanceError::BadFile {
        file: file.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// A CSV table read by header name.
pub(crate) struct Table {
    pub file: PathBuf,
    pub header: Vec<String>,
    /// (1-based line number, fields).
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Reads a comma-separated file (RFC 4180 quoting) with a header line.
    pub(crate) fn read(file: &Path) -> Result<Table, ConformanceError> {
        let text = read(file)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut header: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                bad(file, line, format!("expected CSV: {e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let fields: Vec<String> = record
                .iter()
                .map(|f| f.trim_start_matches('\u{feff}').to_string())
                .collect();
            if fields.iter().all(String::is_empty) {
                continue;
            }
            if header.is_none() {
                header = Some(fields);
            } else {
                rows.push((line, fields));
            }
        }
        let header =
            header.ok_or_else(|| bad(file, 0, "expected a header line, found an empty file"))?;
        Ok(Table {
            file: file.to_path_buf(),
            header,
            rows,
        })
    }

    /// Column index of `name` (case-insensitive).
    pub(crate) fn col(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// Field of row `fields` in column `name` as printed number.
    pub(crate) fn printed(
        &self,
        line: usize,
        fields: &[String],
        name: &str,
    ) -> Result<Printed, ConformanceError> {
        let c = self
            .col(name)
            .ok_or_else(|| bad(&self.file, 1, format!("expected a column `{name}`")))?;
        let f = fields.get(c).map(String::as_str).unwrap_or("");
        parse_printed(f).ok_or_else(|| {
            bad(
                &self.file,
                line,
                format!("column `{name}`: expected a number, found `{f}`"),
            )
        })
    }

    /// Field as f64.
    pub(crate) fn num(
        &self,
        line: usize,
        fields: &[String],
        name: &str,
    ) -> Result<f64, ConformanceError> {
        Ok(self.printed(line, fields, name)?.value)
    }

    /// Field as integer.
    pub(crate) fn int(
        &self,
        line: usize,
        fields: &[String],
        name: &str,
    ) -> Result<i32, ConformanceError> {
        let v = self.num(line, fields, name)?;
        if v.fract() != 0.0 {
            return Err(bad(
                &self.file,
                line,
                format!("column `{name}`: expected an integer, found {v}"),
            ));
        }
        Ok(v as i32)
    }
}

/// ITM parameters, or the error NTIA would return for their codes.
pub(crate) type Params = Result<ItmParams, ItmError>;

/// Builds ITM parameters from a key lookup (CSV or driver input names). An
/// invalid climate or polarization code becomes the error NTIA reports (after
/// the checks NTIA makes before it).
pub(crate) fn params_from(
    get: &dyn Fn(&str) -> Result<f64, ConformanceError>,
) -> Result<Params, ConformanceError> {
    let code = |k: &str| -> Result<i32, ConformanceError> { Ok(get(k)? as i32) };
    let mut p = ItmParams {
        h_tx_m: get("h_tx__meter")?,
        h_rx_m: get("h_rx__meter")?,
        climate: Climate::ContinentalTemperate,
        n0_nunits: get("N_0")?,
        freq_mhz: get("f__mhz")?,
        polarization: Polarization::Vertical,
        epsilon: get("epsilon")?,
        sigma_s_per_m: get("sigma")?,
        mdvar: code("mdvar")?,
    };
    let earlier =
        |p: &ItmParams, e: ItmError, before: &[i32]| match itm::validate(p, 50.0, 50.0, 50.0) {
            Err(v) if before.contains(&v.code()) => v,
            _ => e,
        };
    let climate = Climate::from_code(code("climate")?);
    let pol = Polarization::from_code(code("pol")?);
    Ok(match (climate, pol) {
        (Ok(c), Ok(po)) => {
            p.climate = c;
            p.polarization = po;
            Ok(p)
        }
        (Err(e), _) => Err(earlier(&p, e, &[1000, 1001])),
        (Ok(c), Err(e)) => {
            p.climate = c;
            Err(earlier(&p, e, &[1000, 1001, 1008, 1009]))
        }
    })
}

/// Variability given either as TLS or CR.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Var {
    Tls(f64, f64, f64),
    Cr(f64, f64),
}

fn var_from_row(t: &Table, line: usize, f: &[String]) -> Result<Var, ConformanceError> {
    if t.col("time").is_some() {
        Ok(Var::Tls(
            t.num(line, f, "time")?,
            t.num(line, f, "location")?,
            t.num(line, f, "situation")?,
        ))
    } else {
        Ok(Var::Cr(
            t.num(line, f, "confidence")?,
            t.num(line, f, "reliability")?,
        ))
    }
}

/// Runs point-to-point ITM.
pub(crate) fn run_p2p(z: &[f64], step: f64, p: &Params, v: Var) -> Result<ItmResult, ItmError> {
    let p = p.clone()?;
    match v {
        Var::Tls(t, l, s) => itm::p2p_tls(z, step, &p, t, l, s),
        Var::Cr(c, r) => itm::p2p_cr(z, step, &p, c, r),
    }
}

/// Runs area ITM; `sites` are NTIA siting codes (invalid ones give NTIA's error
/// after its other checks).
pub(crate) fn run_area(
    p: &Params,
    sites: [f64; 2],
    d_km: f64,
    dh: f64,
    v: Var,
) -> Result<ItmResult, ItmError> {
    let p = p.clone()?;
    let run = |tx: SitingCriteria, rx: SitingCriteria| match v {
        Var::Tls(t, l, s) => itm::area_tls(&p, tx, rx, d_km, dh, t, l, s),
        Var::Cr(c, r) => itm::area_cr(&p, tx, rx, d_km, dh, c, r),
    };
    let code = |c: f64| {
        if c.fract() == 0.0 {
            SitingCriteria::from_code(c as i32)
        } else {
            None
        }
    };
    match (code(sites[0]), code(sites[1])) {
        (Some(tx), Some(rx)) => run(tx, rx),
        (tx, _) => {
            run(SitingCriteria::Random, SitingCriteria::Random)?;
            Err(if tx.is_none() {
                ItmError::TxSitingCriteria {
                    found: sites[0] as i32,
                }
            } else {
                ItmError::RxSitingCriteria {
                    found: sites[1] as i32,
                }
            })
        }
    }
}

/// Compares a result (or error) with a CSV row's expected loss and optional
/// warning / return-code columns.
fn compare_row(
    t: &Table,
    line: usize,
    f: &[String],
    case: String,
    result: Result<ItmResult, ItmError>,
) -> Result<CaseResult, ConformanceError> {
    let mut checks = Vec::new();
    let mut codes = Vec::new();
    let computed_rtn = match &result {
        Ok(r) => i64::from(r.warnings != 0),
        Err(e) => i64::from(e.code()),
    };
    for name in ["rtn", "return_code", "error_code"] {
        if t.col(name).is_some() {
            codes.push((
                name.to_string(),
                i64::from(t.int(line, f, name)?),
                computed_rtn,
            ));
        }
    }
    let expected_error = codes.iter().any(|(_, e, _)| *e >= 1000);
    if let Some(c) = t.col("warnings") {
        let w = f.get(c).map(String::as_str).unwrap_or("");
        let exp = parse_int_or_hex(w).ok_or_else(|| {
            bad(
                &t.file,
                line,
                format!("warnings: expected an integer, found `{w}`"),
            )
        })?;
        codes.push((
            "warnings".into(),
            exp,
            result.as_ref().map_or(-1, |r| i64::from(r.warnings)),
        ));
    }
    match result {
        Ok(r) => {
            if !expected_error {
                checks.push(check("A__db", t.printed(line, f, "A__db")?, r.loss_db));
            }
        }
        Err(e) => {
            if !expected_error {
                codes.push(("error".into(), 0, i64::from(e.code())));
            }
        }
    }
    Ok(CaseResult {
        case,
        checks,
        codes,
    })
}

/// Parses `0x1A` or `26`.
pub(crate) fn parse_int_or_hex(s: &str) -> Option<i64> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => i64::from_str_radix(h, 16).ok(),
        None => s
            .parse::<f64>()
            .ok()
            .filter(|v| v.fract() == 0.0)
            .map(|v| v as i64),
    }
}

/// Reads NTIA PFL lines (`n, step, z0, …, zn` per line).
fn read_pfls(file: &Path) -> Result<Vec<Vec<f64>>, ConformanceError> {
    let text = read(file)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut v = Vec::new();
        for tok in line
            .split([',', ' ', '\t'])
            .filter(|s| !s.trim().is_empty())
        {
            v.push(
                tok.trim()
                    .parse::<f64>()
                    .map_err(|_| bad(file, i + 1, format!("expected a number, found `{tok}`")))?,
            );
        }
        itm::from_pfl(&v).map_err(|e| bad(file, i + 1, e.to_string()))?;
        out.push(v);
    }
    Ok(out)
}

fn run_p2p_csv(dir: &Path, cases: &mut Vec<CaseResult>) -> Result<(), ConformanceError> {
    let file = dir.join("p2p.csv");
    let t = Table::read(&file)?;
    let pfls = read_pfls(&dir.join("pfls.csv"))?;
    for (k, (line, f)) in t.rows.iter().enumerate() {
        let pfl = pfls.get(k).ok_or_else(|| {
            bad(
                &file,
                *line,
                format!(
                    "row {} needs line {} of pfls.csv, which has {} lines",
                    k + 1,
                    k + 1,
                    pfls.len()
                ),
            )
        })?;
        let (z, step) = itm::from_pfl(pfl).map_err(|e| bad(&file, *line, e.to_string()))?;
        let params = params_from(&|n| t.num(*line, f, n))?;
        let v = var_from_row(&t, *line, f)?;
        let result = run_p2p(z, step, &params, v);
        cases.push(compare_row(
            &t,
            *line,
            f,
            format!("p2p.csv row {}", k + 1),
            result,
        )?);
    }
    Ok(())
}

fn run_area_csv(dir: &Path, cases: &mut Vec<CaseResult>) -> Result<(), ConformanceError> {
    let file = dir.join("area.csv");
    let t = Table::read(&file)?;
    for (k, (line, f)) in t.rows.iter().enumerate() {
        let params = params_from(&|n| t.num(*line, f, n))?;
        let sites = [
            t.num(*line, f, "tx_siting_criteria")?,
            t.num(*line, f, "rx_siting_criteria")?,
        ];
        let v = var_from_row(&t, *line, f)?;
        let result = run_area(
            &params,
            sites,
            t.num(*line, f, "d__km")?,
            t.num(*line, f, "delta_h__meter")?,
            v,
        );
        cases.push(compare_row(
            &t,
            *line,
            f,
            format!("area.csv row {}", k + 1),
            result,
        )?);
    }
    Ok(())
}

/// Runs every ITM reference case found in `dir` (any subset of `p2p.csv` +
/// `pfls.csv`, `area.csv`, `cmd_examples/`; or `dir` itself holding driver examples).
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    let mut cases = Vec::new();
    let mut sets = Vec::new();
    if dir.join("p2p.csv").is_file() && dir.join("pfls.csv").is_file() {
        run_p2p_csv(dir, &mut cases)?;
        sets.push("p2p.csv");
    }
    if dir.join("area.csv").is_file() {
        run_area_csv(dir, &mut cases)?;
        sets.push("area.csv");
    }
    let cmd = dir.join("cmd_examples");
    if cmd.is_dir() && driver::run_dir(&cmd, &mut cases)? > 0 {
        sets.push("cmd_examples");
    } else if driver::run_dir(dir, &mut cases)? > 0 {
        sets.push("driver examples");
    }
    ModelReport::of_cases(
        Model::Itm,
        "NTIA ITM v1.3 (Longley-Rice, FORTRAN 1.2.2 semantics)",
        dir,
        format!("{} ({})", dir.display(), sets.join(", ")),
        cases,
    )
}

/// Key → value list of a driver input file (`key,value[,value…]` lines).
pub(crate) fn read_key_values(
    file: &Path,
) -> Result<HashMap<String, Vec<String>>, ConformanceError> {
    let text = read(file)?;
    let mut map = HashMap::new();
    for line in text.lines() {
        let mut parts = line.split(',').map(str::trim);
        if let Some(key) = parts.next().filter(|k| !k.is_empty()) {
            map.insert(
                key.to_ascii_lowercase(),
                parts.filter(|p| !p.is_empty()).map(String::from).collect(),
            );
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_tolerance_is_half_the_last_digit() {
        assert_eq!(parse_printed("114.5").map(|p| p.tolerance), Some(0.05));
        assert_eq!(parse_printed("14868").map(|p| p.tolerance), Some(0.5));
        assert!((parse_printed("-1.949").unwrap().tolerance - 0.0005).abs() < 1e-15);
        assert_eq!(parse_int_or_hex("0x0010"), Some(16));
    }
}
