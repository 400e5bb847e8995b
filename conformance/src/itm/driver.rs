//! NTIA ITM command-line driver examples (`ITMDrvr`, v1.4 report layout):
//! every `o_*.txt` report names its input file (`-i`), terrain file (`-t`,
//! point-to-point only) and mode; the runner recomputes every printed result
//! (single loss or the loss table, warning flags, return / error code, and the
//! intermediate values) and compares them.

use std::collections::HashMap;
use std::path::Path;

use super::{
    CaseResult, ConformanceError, Printed, QuantityCheck, Var, bad, check, params_from,
    parse_int_or_hex, parse_printed, read, read_key_values, run_area, run_p2p,
};
use spectrum_core::itm::{self, ItmError, ItmResult};

/// Runs every `o_*.txt` report in `dir`; returns how many were found.
pub(super) fn run_dir(dir: &Path, cases: &mut Vec<CaseResult>) -> Result<usize, ConformanceError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ConformanceError::Io {
        file: dir.to_path_buf(),
        source,
    })?;
    let mut reports: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("o_") && n.ends_with(".txt"))
        })
        .collect();
    reports.sort();
    for r in &reports {
        cases.push(run_report(dir, r)?);
    }
    Ok(reports.len())
}

/// A parsed report: argument words, (section, key, value-text) lines and table rows.
struct Report {
    args: Vec<String>,
    entries: Vec<(String, String, String)>,
    table: Vec<Vec<String>>,
}

fn split_key_value(line: &str) -> Option<(String, String)> {
    // keys are left-aligned in a 25-column field; values follow
    let key_end = line.find("  ")?;
    let key = line[..key_end].trim().to_string();
    let rest = line[key_end..].trim();
    let value = rest.split_whitespace().next()?.to_string();
    Some((key, value))
}

fn parse_report(text: &str) -> Report {
    let mut args = Vec::new();
    let mut entries = Vec::new();
    let mut table = Vec::new();
    let mut section = String::new();
    let mut in_table = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            in_table = false;
            continue;
        }
        if let Some(rest) = line.strip_prefix("Input Arguments") {
            args = rest.split_whitespace().map(String::from).collect();
            continue;
        }
        if matches!(trimmed, "Inputs" | "Results" | "Intermediate Values") {
            section = trimmed.to_string();
            continue;
        }
        if trimmed.starts_with("Basic Transmission Loss Results") {
            in_table = true;
            continue;
        }
        if in_table {
            table.push(trimmed.split_whitespace().map(String::from).collect());
            continue;
        }
        if let Some((k, v)) = split_key_value(line) {
            entries.push((section.clone(), k, v));
        } else if let Some((k, v)) = trimmed.rsplit_once(' ') {
            entries.push((section.clone(), k.trim().to_string(), v.to_string()));
        }
    }
    Report {
        args,
        entries,
        table,
    }
}

fn arg_after(args: &[String], flag: &str) -> Option<String> {
    let i = args.iter().position(|a| a.eq_ignore_ascii_case(flag))?;
    args.get(i + 1).cloned()
}

/// Values of a driver input key as numbers.
fn values(
    inputs: &HashMap<String, Vec<String>>,
    key: &str,
    file: &Path,
) -> Result<Vec<f64>, ConformanceError> {
    let raw = inputs
        .get(&key.to_ascii_lowercase())
        .ok_or_else(|| bad(file, 0, format!("expected the input `{key}`")))?;
    raw.iter()
        .map(|s| {
            s.parse::<f64>()
                .map_err(|_| bad(file, 0, format!("`{key}`: expected a number, found `{s}`")))
        })
        .collect()
}

fn first(
    inputs: &HashMap<String, Vec<String>>,
    key: &str,
    file: &Path,
) -> Result<f64, ConformanceError> {
    values(inputs, key, file)?
        .first()
        .copied()
        .ok_or_else(|| bad(file, 0, format!("`{key}`: expected a value")))
}

/// The driver's distance list: a single distance, or `D0, D1, DS1, D2, DS2`.
fn distances(raw: &[f64], file: &Path) -> Result<Vec<f64>, ConformanceError> {
    match raw {
        [d] => Ok(vec![*d]),
        [d0, d1, ds1, d2, ds2] => {
            if *ds1 <= 0.0 || *ds2 <= 0.0 {
                return Err(bad(file, 0, "d__km steps must be > 0"));
            }
            let mut out = Vec::new();
            let mut i1 = 0.0;
            let mut d;
            loop {
                d = d0 + i1 * ds1;
                out.push(d);
                i1 += 1.0;
                if d >= *d1 {
                    break;
                }
            }
            loop {
                d += ds2;
                out.push(d);
                if d >= *d2 {
                    break;
                }
            }
            Ok(out)
        }
        _ => Err(bad(
            file,
            0,
            format!("d__km: expected 1 or 5 values, found {}", raw.len()),
        )),
    }
}

fn read_terrain(file: &Path) -> Result<Vec<f64>, ConformanceError> {
    let text = read(file)?;
    let mut v = Vec::new();
    for tok in text
        .split([',', '\n', '\r', ' ', '\t'])
        .filter(|s| !s.is_empty())
    {
        v.push(
            tok.parse::<f64>()
                .map_err(|_| bad(file, 0, format!("expected a number, found `{tok}`")))?,
        );
    }
    Ok(v)
}

fn run_report(dir: &Path, out_file: &Path) -> Result<CaseResult, ConformanceError> {
    let report = parse_report(&read(out_file)?);
    let name = out_file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("?")
        .to_string();
    let in_name = arg_after(&report.args, "-i").unwrap_or_else(|| name.replacen("o_", "i_", 1));
    let in_file = dir.join(&in_name);
    let inputs = read_key_values(&in_file)?;
    let mode_entry = report
        .entries
        .iter()
        .find(|(s, k, _)| s == "Inputs" && k == "Mode")
        .map(|e| e.2.clone());
    let mode = mode_entry
        .or_else(|| arg_after(&report.args, "-mode"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let p2p = mode.starts_with("point") || mode == "p2p";
    let params = params_from(&|k| first(&inputs, k, &in_file))?;
    let tls = inputs.contains_key("time");
    // the grid of calls: (row value, column values) as the driver loops
    let (rows, cols): (Vec<f64>, Vec<f64>) = if p2p {
        if tls {
            (
                vec![first(&inputs, "time", &in_file)?],
                vec![first(&inputs, "situation", &in_file)?],
            )
        } else {
            (
                values(&inputs, "reliability", &in_file)?,
                values(&inputs, "confidence", &in_file)?,
            )
        }
    } else {
        let dk = distances(&values(&inputs, "d__km", &in_file)?, &in_file)?;
        let cols = if tls {
            values(&inputs, "situation", &in_file)?
        } else {
            values(&inputs, "confidence", &in_file)?
        };
        (dk, cols)
    };
    let terrain = if p2p {
        let t = report
            .entries
            .iter()
            .find(|(_, k, _)| k == "Terrain File")
            .map(|e| e.2.clone())
            .or_else(|| arg_after(&report.args, "-t"))
            .ok_or_else(|| bad(out_file, 0, "point-to-point report without a terrain file"))?;
        read_terrain(&dir.join(t))?
    } else {
        Vec::new()
    };
    let mut results: Vec<Result<ItmResult, ItmError>> = Vec::new();
    for &r in &rows {
        for &c in &cols {
            let res = if p2p {
                let (z, step) =
                    itm::from_pfl(&terrain).map_err(|e| bad(out_file, 0, e.to_string()))?;
                let v = if tls {
                    Var::Tls(r, first(&inputs, "location", &in_file)?, c)
                } else {
                    Var::Cr(c, r)
                };
                run_p2p(z, step, &params, v)
            } else {
                let sites = [
                    first(&inputs, "tx_site_criteria", &in_file)?,
                    first(&inputs, "rx_site_criteria", &in_file)?,
                ];
                let dh = first(&inputs, "delta_h__meter", &in_file)?;
                let v = if tls {
                    Var::Tls(
                        first(&inputs, "time", &in_file)?,
                        first(&inputs, "location", &in_file)?,
                        c,
                    )
                } else {
                    Var::Cr(c, first(&inputs, "reliability", &in_file)?)
                };
                run_area(&params, sites, r, dh, v)
            };
            results.push(res);
        }
    }
    compare(out_file, &name, &report, p2p, &rows, &cols, &results)
}

fn compare(
    out_file: &Path,
    name: &str,
    report: &Report,
    p2p: bool,
    rows: &[f64],
    cols: &[f64],
    results: &[Result<ItmResult, ItmError>],
) -> Result<CaseResult, ConformanceError> {
    let mut checks: Vec<QuantityCheck> = Vec::new();
    let mut codes = Vec::new();
    let warnings = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .fold(0u32, |w, r| w | r.warnings);
    let last = results
        .last()
        .ok_or_else(|| bad(out_file, 0, "no calls to make"))?;
    let rtn = match last {
        Ok(r) => i64::from(r.warnings != 0),
        Err(e) => i64::from(e.code()),
    };
    for (section, key, value) in &report.entries {
        // "ITM Error" follows the inputs when the call failed (no Results section)
        if section == "Inputs" && key != "ITM Error" {
            continue;
        }
        let num = |v: &str| {
            parse_printed(v).ok_or_else(|| {
                bad(
                    out_file,
                    0,
                    format!("`{key}`: expected a number, found `{v}`"),
                )
            })
        };
        match key.as_str() {
            "ITM Warning Flags" => {
                let w = parse_int_or_hex(value)
                    .ok_or_else(|| bad(out_file, 0, format!("bad warning flags `{value}`")))?;
                codes.push(("warnings".to_string(), w, i64::from(warnings)));
            }
            "ITM Return Code" | "ITM Error" => {
                codes.push(("return code".to_string(), num(value)?.value as i64, rtn))
            }
            _ => {}
        }
        let Ok(r) = last else { continue };
        let iv = &r.intermediate;
        let computed = match key.as_str() {
            "Basic Transmission Loss" => r.loss_db,
            "Free Space" => iv.a_fs_db,
            "d__km" => iv.d_km,
            "theta_hzn_tx" => iv.theta_hzn_rad[0] * 1000.0,
            "theta_hzn_rx" => iv.theta_hzn_rad[1] * 1000.0,
            "d_hzn_tx__meter" => iv.d_hzn_m[0],
            "d_hzn_rx__meter" => iv.d_hzn_m[1],
            "h_e_tx__meter" => iv.h_e_m[0],
            "h_e_rx__meter" => iv.h_e_m[1],
            "N_s" => iv.n_s_nunits,
            "delta_h__meter" => iv.delta_h_m,
            "A_ref__db" => iv.a_ref_db,
            "Mode of Propagation" => {
                codes.push((
                    "mode".to_string(),
                    num(value)?.value as i64,
                    i64::from(iv.mode.code()),
                ));
                continue;
            }
            _ => continue,
        };
        checks.push(check(key, num(value)?, computed));
    }
    if !report.table.is_empty() {
        // data rows: label (+ free space in area mode) + one value per column
        let width = cols.len() + if p2p { 1 } else { 2 };
        let data: Vec<&Vec<String>> = report
            .table
            .iter()
            .filter(|r| r.len() == width && r.iter().all(|t| parse_printed(t).is_some()))
            .collect();
        if data.len() != rows.len() {
            return Err(bad(
                out_file,
                0,
                format!(
                    "loss table: expected {} rows, found {}",
                    rows.len(),
                    data.len()
                ),
            ));
        }
        for (i, row) in data.iter().enumerate() {
            let label = parse_printed(&row[0]).unwrap_or(Printed {
                value: f64::NAN,
                tolerance: 0.0,
            });
            let what = if p2p { "reliability" } else { "d__km" };
            checks.push(check(&format!("{what}[{i}]"), label, rows[i]));
            let mut offset = 1;
            if !p2p {
                let first = results.get(i * cols.len()).and_then(|r| r.as_ref().ok());
                if let (Some(fs), Some(r)) = (parse_printed(&row[1]), first) {
                    checks.push(check(
                        &format!("Free Space[{}]", rows[i]),
                        fs,
                        r.intermediate.a_fs_db,
                    ));
                }
                offset = 2;
            }
            for (j, c) in cols.iter().enumerate() {
                let Some(expected) = row.get(offset + j).and_then(|t| parse_printed(t)) else {
                    continue;
                };
                let computed = results
                    .get(i * cols.len() + j)
                    .and_then(|r| r.as_ref().ok())
                    .map_or(f64::NAN, |r| r.loss_db);
                checks.push(check(
                    &format!("A__db[{}, {c}]", rows[i]),
                    expected,
                    computed,
                ));
            }
        }
    }
    if checks.is_empty() && codes.is_empty() {
        return Err(bad(out_file, 0, "found no results to compare"));
    }
    // final value first
    checks.sort_by_key(|c| !(c.name == "Basic Transmission Loss" || c.name.starts_with("A__db")));
    Ok(CaseResult {
        case: format!("cmd_examples/{name}"),
        checks,
        codes,
    })
}
