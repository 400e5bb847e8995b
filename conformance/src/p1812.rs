//! Reader and runner for the ITU-R P.1812-6 reference validation of ITU-R
//! WP 3M (`eeveetza/p1812`: `validation_profiles/` and the logs written by
//! `validate_p1812.m`).
//!
//! Layout: `profiles/<name>.csv` in the SG3 data-bank ("Fryderyk") format —
//! a header block of `key:,value` lines (Tx/Rx coordinates, ΔN, N0), the
//! profile after `Number of Points:,N` (distance km, height m, coverage code,
//! ground-cover height m, radio-meteorological code 1 sea / 3 coast /
//! 4 inland; the column header line before `{Begin of Profile}` is used when
//! present), then the measurement rows. `results/<name>_<n>.csv` hold
//! `key,reference,,value` lines for dataset n: the inputs (`f (GHz)`,
//! `p (%)`, `htg (m)`, …) and every intermediate (`dlt (km)`, `Lbfs`, …,
//! `Lb (dB)`, `Ep (dBuV/m)`). Inputs missing from a results file are taken
//! from the profile file (header block and measurement row n). Quantities
//! are compared with an absolute tolerance of 1e-6.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::p452::{bad, check, csv_files, read_text};
use crate::{CaseResult, ConformanceError, Model, ModelReport};
use spectrum_core::p452::PathCentre;
use spectrum_core::p526::Polarization;
use spectrum_core::p1812::{self, P1812Input, P1812Result};
use spectrum_core::profile::{PathProfile, RadioClimaticZone};

/// Recommendation and edition implemented.
pub const RECOMMENDATION: &str = "ITU-R P.1812-6 (09/2021)";

/// Lower-case text without blanks (`"Lb (dB)"` → `"lb(db)"`).
fn norm(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A profile file of the SG3 data-bank format.
#[derive(Debug, Clone)]
struct SgProfile {
    /// Header `key:` → value (keys normalized).
    header: HashMap<String, String>,
    profile: PathProfile,
    /// Coverage (clutter category) code of each point.
    coverage: Vec<f64>,
    /// Measurement rows: normalized column name → value text.
    measurements: Vec<HashMap<String, String>>,
}

fn split(line: &str) -> Vec<String> {
    line.replace(';', "")
        .split(',')
        .map(|s| s.trim().to_owned())
        .collect()
}

/// Profile column positions found from the column header line.
fn profile_columns(header: Option<&Vec<String>>) -> [Option<usize>; 5] {
    let mut cols = [Some(0), Some(1), Some(2), Some(3), Some(4)];
    if let Some(names) = header {
        let find = |pred: &dyn Fn(&str) -> bool| names.iter().position(|n| pred(&norm(n)));
        let found = [
            find(&|n| n.starts_with("distance")),
            find(&|n| {
                n.starts_with("gndhgt") || n.starts_with("height") || n.starts_with("terrain")
            }),
            find(&|n| n.starts_with("coveragecode") || n.starts_with("cluttercode")),
            find(&|n| n.starts_with("groundcoverheight") || n.starts_with("clutterheight")),
            find(&|n| n.starts_with("radiometcode") || n.starts_with("zone")),
        ];
        if found[0].is_some() && found[1].is_some() {
            cols = found;
        }
    }
    cols
}

fn read_sg_profile(file: &Path) -> Result<SgProfile, ConformanceError> {
    let text = read_text(file)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut header = HashMap::new();
    let mut column_header: Option<Vec<String>> = None;
    let mut last_text_row: Option<Vec<String>> = None;
    let (mut d, mut h, mut cov, mut r, mut z) = (vec![], vec![], vec![], vec![], vec![]);
    let mut measurements = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let fields = split(lines[i]);
        let key = fields.first().cloned().unwrap_or_default();
        if key.eq_ignore_ascii_case("Number of Points:") {
            let count: usize = fields
                .get(1)
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| bad(file, i + 1, "Number of Points: expected a count"))?;
            let cols = profile_columns(column_header.as_ref().or(last_text_row.as_ref()));
            for k in 0..count {
                let line_no = i + 2 + k;
                let row = split(lines.get(i + 1 + k).copied().unwrap_or(""));
                let num = |c: Option<usize>, name: &str| -> Result<Option<f64>, ConformanceError> {
                    match c.and_then(|c| row.get(c)).filter(|t| !t.is_empty()) {
                        None => Ok(None),
                        Some(t) => t.parse::<f64>().map(Some).map_err(|_| {
                            bad(
                                file,
                                line_no,
                                format!("{name}: expected a number, found {t:?}"),
                            )
                        }),
                    }
                };
                let dist = num(cols[0], "distance")?.ok_or_else(|| {
                    bad(
                        file,
                        line_no,
                        "expected a profile row (distance, height, …)",
                    )
                })?;
                d.push(dist);
                h.push(num(cols[1], "height")?.unwrap_or(f64::NAN));
                cov.push(num(cols[2], "coverage code")?.unwrap_or(0.0));
                r.push(num(cols[3], "ground cover height")?.unwrap_or(0.0));
                let code = num(cols[4], "radio met code")?.unwrap_or(4.0);
                let zone = match code as i64 {
                    1 => RadioClimaticZone::Sea,
                    3 => RadioClimaticZone::CoastalLand,
                    4 => RadioClimaticZone::Inland,
                    _ => {
                        return Err(bad(
                            file,
                            line_no,
                            format!("radio met code: expected 1, 3 or 4, found {code}"),
                        ));
                    }
                };
                z.push(zone);
            }
            i += count + 1;
            continue;
        }
        if norm(&key) == "frequency" {
            let names: Vec<String> = fields.iter().map(|f| norm(f)).collect();
            i += 1;
            while i < lines.len() {
                let row = split(lines[i]);
                let first = row.first().cloned().unwrap_or_default();
                if first.contains("{End of Measurements") {
                    break;
                }
                if first.parse::<f64>().is_ok()
                    && row.len() > 2
                    && row[1..].iter().any(|t| !t.is_empty())
                {
                    measurements.push(names.iter().cloned().zip(row).collect::<HashMap<_, _>>());
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if key.ends_with(':') {
            header.insert(norm(&key), fields.get(1).cloned().unwrap_or_default());
        } else if key.eq_ignore_ascii_case("{Begin of Profile}") {
            column_header = last_text_row.clone();
        } else if !key.is_empty()
            && !key.starts_with('#')
            && !key.starts_with('[')
            && !key.starts_with('{')
        {
            last_text_row = Some(fields.clone());
        }
        i += 1;
    }
    let mut profile = PathProfile::new(d, h).map_err(|e| bad(file, 0, format!("profile: {e}")))?;
    profile.clutter_heights_m = Some(r);
    profile.zones = Some(z);
    Ok(SgProfile {
        header,
        profile,
        coverage: cov,
        measurements,
    })
}

/// Key/value lines of a results file: (normalized key, normalized ref) →
/// (value, display name, line).
type Results = Vec<(String, String, f64, String, usize)>;

fn read_results(file: &Path) -> Result<Results, ConformanceError> {
    let text = read_text(file)?;
    let mut value_col = 3;
    let mut out = Vec::new();
    for (idx, line) in text.lines().enumerate() {
        let fields = split(line);
        let Some(key) = fields.first().filter(|k| !k.is_empty()) else {
            continue;
        };
        if key.starts_with('#') {
            if let Some(c) = fields.iter().position(|f| f.eq_ignore_ascii_case("Value")) {
                value_col = c;
            }
            continue;
        }
        let Some(value) = fields.get(value_col).and_then(|t| t.parse::<f64>().ok()) else {
            continue;
        };
        let reference = fields.get(1).cloned().unwrap_or_default();
        out.push((norm(key), norm(&reference), value, key.clone(), idx + 1));
    }
    Ok(out)
}

type Getter = fn(&P1812Result) -> f64;

/// Computed value for a normalized results key and reference.
fn getter(key: &str, reference: &str) -> Option<Getter> {
    let g: Getter = match key {
        "d(km)" => |r| r.dtot_km,
        "dlt(km)" => |r| r.dlt_km,
        "dlr(km)" => |r| r.dlr_km,
        "th_t(mrad)" => |r| r.theta_t_mrad,
        "th_r(mrad)" => |r| r.theta_r_mrad,
        "th(mrad)" => |r| r.theta_mrad,
        "hts(m)" => |r| r.hts_m,
        "hrs(m)" => |r| r.hrs_m,
        "htc(m)" => |r| r.htc_m,
        "hrc(m)" => |r| r.hrc_m,
        "w" => |r| r.omega,
        "dtm(km)" => |r| r.dtm_km,
        "dlm(km)" => |r| r.dlm_km,
        "phi(deg)" => |r| r.phi_path_deg,
        "b0(%)" => |r| r.b0_pct,
        "ae(km)" => |r| r.ae_km,
        "hst(m)" if reference == "eq(85)" => |r| r.hst_raw_m,
        "hsr(m)" if reference == "eq(86)" => |r| r.hsr_raw_m,
        "hst(m)" => |r| r.hst_m,
        "hsr(m)" => |r| r.hsr_m,
        "hstd(m)" => |r| r.hstd_m,
        "hsrd(m)" => |r| r.hsrd_m,
        "htc'(m)" => |r| r.htc_prime_m,
        "hrc'(m)" => |r| r.hrc_prime_m,
        "hte(m)" => |r| r.hte_m,
        "hre(m)" => |r| r.hre_m,
        "hm(m)" => |r| r.hm_m,
        "fi" => |r| r.fi,
        "fj" => |r| r.fj,
        "fk" => |r| r.fk,
        "lbfs" => |r| r.lbfs_db,
        "lb0p" => |r| r.lb0p_db,
        "lb0b" => |r| r.lb0b_db,
        "lbulla(db)" => |r| r.lbulla_db,
        "lbulls(db)" => |r| r.lbulls_db,
        "ldsph(db)" => |r| r.ldsph_db,
        "ld50(db)" => |r| r.ld50_db,
        "ldb(db)" => |r| r.ldb_db,
        "ldp(db)" => |r| r.ldp_db,
        "lbd50(db)" => |r| r.lbd50_db,
        "lbd(db)" => |r| r.lbd_db,
        "lminb0p(db)" => |r| r.lminb0p_db,
        "lba(db)" => |r| r.lba_db,
        "lminbap(db)" => |r| r.lminbap_db,
        "lbda(db)" => |r| r.lbda_db,
        "lbam(db)" => |r| r.lbam_db,
        "lbs(db)" => |r| r.lbs_db,
        "lbc(db)" => |r| r.lbc_db,
        "ep(dbuv/m)" => |r| r.ep_1kw_dbuv_m,
        "ep(dbuv/m)w.r.t.ptx" => |r| r.ep_dbuv_m,
        _ => return None,
    };
    Some(g)
}

/// Builds the model input from the results file, completed from the profile.
fn input_of(
    file: &Path,
    res: &Results,
    sg: &SgProfile,
    dataset: usize,
) -> Result<P1812Input, ConformanceError> {
    let from_res = |key: &str| res.iter().find(|e| e.0 == key).map(|e| e.2);
    let from_header = |key: &str| sg.header.get(key).and_then(|t| t.parse::<f64>().ok());
    let meas = dataset.checked_sub(1).and_then(|i| sg.measurements.get(i));
    let from_meas = |key: &str| {
        meas.and_then(|m| m.get(key))
            .and_then(|t| t.parse::<f64>().ok())
    };
    let need = |v: Option<f64>, name: &str| {
        v.ok_or_else(|| {
            bad(
                file,
                0,
                format!("expected input {name:?} in the results or the profile, found none"),
            )
        })
    };
    let freq_ghz = need(
        from_res("f(ghz)").or(from_meas("frequency").map(|f| f / 1e3)),
        "f (GHz)",
    )?;
    let pol_code = need(from_res("pol").or(from_meas("polarisationhvc:123")), "pol")?;
    let polarization = Polarization::from_code(pol_code as i64)
        .ok_or_else(|| bad(file, 0, format!("pol: expected 1 or 2, found {pol_code}")))?;
    let erp_kw = from_meas("erp_max_total").map(|dbw| 10f64.powf(dbw / 10.0) * 1e-3);
    let mut input = P1812Input::new(
        freq_ghz,
        need(from_res("p(%)").or(from_meas("timepercentage")), "p (%)")?,
        need(
            from_res("htg(m)").or(from_meas("txantennaheight")),
            "htg (m)",
        )?,
        need(
            from_res("hrg(m)").or(from_meas("rxantennaheight")),
            "hrg (m)",
        )?,
        PathCentre::Endpoints {
            tx_lat_deg: need(from_res("phi_t(deg)").or(from_header("txlat:")), "phi_t")?,
            tx_lon_deg: need(from_res("lam_t(deg)").or(from_header("txlon:")), "lam_t")?,
            rx_lat_deg: need(from_res("phi_r(deg)").or(from_header("rxlat:")), "phi_r")?,
            rx_lon_deg: need(from_res("lam_r(deg)").or(from_header("rxlon:")), "lam_r")?,
        },
        polarization,
    );
    input.location_pct = from_res("pl(%)").unwrap_or(50.0);
    input.location_sigma_db = from_res("sigmal(db)").unwrap_or(0.0);
    input.tx_power_kw = from_res("ptx(kw)").or(erp_kw).unwrap_or(1.0);
    input.dn = need(
        from_res("dn").or(from_header("averageannualvaluesdn(n-units/km):")),
        "DN",
    )?;
    input.n0 = need(
        from_res("n0").or(from_header(
            "averageannualsea-levelsurfacerefractivityno(n-units):",
        )),
        "N0",
    )?;
    input.dct_km = from_res("dct(km)").unwrap_or(500.0);
    input.dcr_km = from_res("dcr(km)").unwrap_or(500.0);
    Ok(input)
}

/// Compares every listed quantity with the computed result.
fn compare(case: String, res: &Results, sg: &SgProfile, r: &P1812Result) -> CaseResult {
    let mut checks = Vec::new();
    let mut codes = Vec::new();
    if let Some(e) = res.iter().find(|e| e.0 == "lb(db)") {
        checks.push(check(&e.3, e.2, r.lb_db));
    }
    let n = sg.profile.len();
    let clutter = sg.profile.clutter_heights_m.as_deref().unwrap_or(&[]);
    for (key, reference, value, name, _) in res {
        if key == "lb(db)" {
            continue;
        }
        let label = if key == "hst(m)" || key == "hsr(m)" {
            format!("{name} {reference}")
        } else {
            name.clone()
        };
        if let Some(get) = getter(key, reference) {
            checks.push(check(&label, *value, get(r)));
        }
        match key.as_str() {
            "r2(m)" => checks.push(check(
                &label,
                *value,
                clutter.get(1).copied().unwrap_or(f64::NAN),
            )),
            "rn-1(m)" => checks.push(check(
                &label,
                *value,
                clutter.get(n - 2).copied().unwrap_or(f64::NAN),
            )),
            "cttx" => codes.push((
                label,
                *value as i64,
                sg.coverage.get(1).map_or(-1, |&c| c as i64),
            )),
            "ctrx" => codes.push((
                label,
                *value as i64,
                sg.coverage.get(n - 2).map_or(-1, |&c| c as i64),
            )),
            _ => {}
        }
    }
    CaseResult {
        case,
        checks,
        codes,
    }
}

/// Splits `<profile>_<n>` into the profile name and the dataset number.
fn split_case_name(stem: &str) -> Option<(&str, usize)> {
    let (name, n) = stem.rsplit_once('_')?;
    Some((name, n.parse().ok()?))
}

/// Runs every P.1812-6 reference case found in `dir` (`results/<profile>_<n>.csv`
/// with `profiles/<profile>.csv`; files directly in `dir` are also accepted).
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    let mut result_files = csv_files(&dir.join("results"))?;
    result_files.extend(csv_files(dir)?);
    let profile_dirs = [dir.join("profiles"), dir.to_path_buf()];
    let mut profiles: HashMap<PathBuf, SgProfile> = HashMap::new();
    let mut cases = Vec::new();
    for file in &result_files {
        let Some(stem) = file.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        let Some((profile_name, dataset)) = split_case_name(&stem) else {
            continue;
        };
        let Some(profile_file) = profile_dirs
            .iter()
            .map(|d| d.join(format!("{profile_name}.csv")))
            .find(|p| p.is_file())
        else {
            continue;
        };
        let res = read_results(file)?;
        if !res.iter().any(|e| e.0 == "lb(db)") {
            continue;
        }
        if !profiles.contains_key(&profile_file) {
            let sg = read_sg_profile(&profile_file)?;
            profiles.insert(profile_file.clone(), sg);
        }
        let Some(sg) = profiles.get(&profile_file) else {
            continue;
        };
        let input = input_of(file, &res, sg, dataset)?;
        let result = p1812::p1812(&input, &sg.profile)
            .map_err(|e| bad(file, 0, format!("P.1812 prediction failed: {e}")))?;
        let case = format!(
            "{} ({profile_name} dataset {dataset}, f = {} GHz, p = {} %)",
            file.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            input.freq_ghz,
            input.time_pct
        );
        cases.push(compare(case, &res, sg, &result));
    }
    ModelReport::of_cases(
        Model::P1812,
        RECOMMENDATION,
        dir,
        format!(
            "{} (ITU-R WP 3M P.1812-6 validation profiles and logs)",
            dir.display()
        ),
        cases,
    )
}
