//! Reader and runner for the ITU-R P.452-18 reference validation examples of
//! ITU-R WP 3M (`eeveetza/p452`, `matlab/validation_examples`).
//!
//! Layout: `results/*.csv` hold one case per row, with a header naming the
//! inputs (`profile`, `f (GHz)`, `p (%)`, `htg (m)`, …, `DN`, `N0`) and the
//! reference intermediates and losses (`ae`, `dtot`, …, `Lb`, `Lbfsg`, …);
//! the `profile` column names a file in `profiles/` with columns
//! `d (km)`, `h(m)`, ground cover height (m) and zone. Columns are found by
//! the name before any parenthesis, so column order does not matter. Every
//! quantity is compared with an absolute tolerance of 1e-6, the tolerance of
//! the reference validation script.
//!
//! ΔN is listed with six decimals only, while `ae` = 6371·157/(157 − ΔN) is
//! listed from the unrounded ΔN; when `ae` is present the runner recovers ΔN
//! from it (accurate to ~1e-8) and checks that it rounds to the listed ΔN.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::{CaseResult, ConformanceError, Model, ModelReport, QuantityCheck};
use spectrum_core::p452::{self, P452Input, P452Result, PathCentre};
use spectrum_core::p526::{EARTH_RADIUS_KM, Polarization};
use spectrum_core::profile::PathProfile;

/// Absolute tolerance of the reference validation script (dB and all
/// intermediates).
pub const TOLERANCE: f64 = 1e-6;

/// Recommendation and edition implemented.
pub const RECOMMENDATION: &str = "ITU-R P.452-18 (10/2023)";

/// The `.csv` files of a directory, sorted by name (empty when the directory
/// does not exist).
pub(crate) fn csv_files(dir: &Path) -> Result<Vec<PathBuf>, ConformanceError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = fs::read_dir(dir).map_err(|source| ConformanceError::Io {
        file: dir.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| ConformanceError::Io {
            file: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads a file to a string.
pub(crate) fn read_text(file: &Path) -> Result<String, ConformanceError> {
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

/// A check with the reference tolerance.
pub(crate) fn check(name: &str, expected: f64, computed: f64) -> QuantityCheck {
    QuantityCheck {
        name: name.to_owned(),
        expected,
        computed,
        tolerance: TOLERANCE,
    }
}

/// Column key: the header text before any parenthesis, trimmed.
fn column_key(header: &str) -> String {
    header.split('(').next().unwrap_or(header).trim().to_owned()
}

/// One row of a results file with its columns by key.
struct Row<'a> {
    file: &'a Path,
    line: usize,
    columns: &'a HashMap<String, usize>,
    fields: Vec<String>,
}

impl Row<'_> {
    fn text(&self, key: &str) -> Option<&str> {
        self.columns
            .get(key)
            .and_then(|&i| self.fields.get(i))
            .map(|s| s.trim())
    }

    fn number(&self, key: &str) -> Result<f64, ConformanceError> {
        let text = self.text(key).ok_or_else(|| {
            bad(
                self.file,
                self.line,
                format!("expected column {key:?}, found none"),
            )
        })?;
        text.parse::<f64>().map_err(|_| {
            bad(
                self.file,
                self.line,
                format!("column {key:?}: expected a number, found {text:?}"),
            )
        })
    }

    fn optional(&self, key: &str) -> Option<f64> {
        self.text(key).and_then(|t| t.parse::<f64>().ok())
    }
}

/// Reference quantities compared after `Lb`, in report order: (column key,
/// accessor of the computed value).
type Getter = fn(&P452Result) -> f64;
const COMPARED: [(&str, Getter); 26] = [
    ("Lbfsg", |r| r.lbfsg_db),
    ("Lb0p", |r| r.lb0p_db),
    ("Lb0b", |r| r.lb0b_db),
    ("Ldsph", |r| r.ldsph_db),
    ("Ld50", |r| r.ld50_db),
    ("Ldp", |r| r.ldp_db),
    ("Lbs", |r| r.lbs_db),
    ("Lba", |r| r.lba_db),
    ("ae", |r| r.ae_km),
    ("dtot", |r| r.dtot_km),
    ("hts", |r| r.hts_m),
    ("hrs", |r| r.hrs_m),
    ("theta_t", |r| r.theta_t_mrad),
    ("theta_r", |r| r.theta_r_mrad),
    ("theta", |r| r.theta_mrad),
    ("hm", |r| r.hm_m),
    ("hte", |r| r.hte_m),
    ("hre", |r| r.hre_m),
    ("hstd", |r| r.hstd_m),
    ("hsrd", |r| r.hsrd_m),
    ("dlt", |r| r.dlt_km),
    ("dlr", |r| r.dlr_km),
    ("dtm", |r| r.dtm_km),
    ("dlm", |r| r.dlm_km),
    ("b0", |r| r.b0_pct),
    ("omega", |r| r.omega),
];

/// Reads the profile a results row names, caching by file.
fn load_profile<'c>(
    cache: &'c mut HashMap<PathBuf, PathProfile>,
    file: &Path,
) -> Result<&'c PathProfile, ConformanceError> {
    if !cache.contains_key(file) {
        let text = read_text(file)?;
        let label = file.display().to_string();
        let profile = PathProfile::read_csv(text.as_bytes(), &label)
            .map_err(|e| bad(file, 0, e.to_string()))?;
        cache.insert(file.to_path_buf(), profile);
    }
    cache
        .get(file)
        .ok_or_else(|| bad(file, 0, "profile cache lost the file"))
}

/// Builds the model input of a results row.
fn input_of(row: &Row<'_>) -> Result<P452Input, ConformanceError> {
    let pol_code = row.number("pol")?;
    let polarization = Polarization::from_code(pol_code as i64)
        .filter(|_| pol_code.fract() == 0.0)
        .ok_or_else(|| {
            bad(
                row.file,
                row.line,
                format!("pol: expected 1 or 2, found {pol_code}"),
            )
        })?;
    let listed_dn = row.number("DN")?;
    // Recover the unrounded ΔN from a_e when it is listed.
    let dn = match row.optional("ae") {
        Some(ae) if ae > 0.0 => 157.0 - EARTH_RADIUS_KM * 157.0 / ae,
        _ => listed_dn,
    };
    Ok(P452Input {
        freq_ghz: row.number("f")?,
        time_pct: row.number("p")?,
        htg_m: row.number("htg")?,
        hrg_m: row.number("hrg")?,
        path_centre: PathCentre::Endpoints {
            tx_lat_deg: row.number("phit_n")?,
            tx_lon_deg: row.number("phit_e")?,
            rx_lat_deg: row.number("phir_n")?,
            rx_lon_deg: row.number("phir_e")?,
        },
        gt_dbi: row.number("Gt")?,
        gr_dbi: row.number("Gr")?,
        polarization,
        dct_km: row.number("dct")?,
        dcr_km: row.number("dcr")?,
        pressure_hpa: row.number("press")?,
        temperature_c: row.number("temp")?,
        dn,
        n0: row.number("N0")?,
    })
}

/// Compares one row's reference values with the computed result.
fn compare(
    row: &Row<'_>,
    case: String,
    input: &P452Input,
    r: &P452Result,
) -> Result<CaseResult, ConformanceError> {
    let mut checks = vec![check("Lb", row.number("Lb")?, r.lb_db)];
    for (key, get) in COMPARED {
        if let Some(expected) = row.optional(key) {
            checks.push(check(key, expected, get(r)));
        }
    }
    if let Some(expected) = row.optional("DN") {
        checks.push(check("DN", expected, input.dn));
    }
    if let Some(expected) = row.optional("N0") {
        checks.push(check("N0", expected, input.n0));
    }
    let mut codes = Vec::new();
    if let Some(label) = row.text("path").filter(|t| !t.is_empty()) {
        let expected = if label.eq_ignore_ascii_case("Line of Sight") {
            1
        } else {
            2
        };
        codes.push(("path".to_owned(), expected, r.path_type.code()));
    }
    Ok(CaseResult {
        case,
        checks,
        codes,
    })
}

/// Profile file names for a results file, in order of preference: the name
/// the reference validation script derives (`test_result_X.csv` →
/// `test_profile_X.csv`), then the row's `profile` column. (One published
/// results file, `test_result_b2iseac_land_eqdist_no_clutter.csv`, names
/// another profile in its column; the script never reads that column.)
fn profile_candidates(results_file_name: &str, column: Option<&str>) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(rest) = results_file_name.strip_prefix("test_result") {
        names.push(format!("test_profile{rest}"));
    }
    if let Some(c) = column.filter(|c| !c.is_empty()) {
        names.push(c.to_owned());
    }
    names
}

/// Runs every case of one results file whose profile is present.
fn run_results_file(
    file: &Path,
    profile_dirs: &[PathBuf],
    cache: &mut HashMap<PathBuf, PathProfile>,
    cases: &mut Vec<CaseResult>,
) -> Result<(), ConformanceError> {
    let text = read_text(file)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(rec) => rec.map_err(|e| {
            bad(
                file,
                1,
                format!("expected a CSV header, found an error: {e}"),
            )
        })?,
        None => return Ok(()),
    };
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (column_key(h), i))
        .collect();
    if !(columns.contains_key("Lb") && columns.contains_key("f") && columns.contains_key("profile"))
    {
        // Not a P.452 results file.
        return Ok(());
    }
    let file_name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    for (index, rec) in records.enumerate() {
        let rec = rec.map_err(|e| {
            bad(
                file,
                index + 2,
                format!("expected a CSV record, found an error: {e}"),
            )
        })?;
        let line = rec.position().map_or(index + 2, |p| p.line() as usize);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let row = Row {
            file,
            line,
            columns: &columns,
            fields: rec.iter().map(str::to_owned).collect(),
        };
        let Some((profile_name, profile_file)) =
            profile_candidates(&file_name, row.text("profile"))
                .into_iter()
                .find_map(|name| {
                    profile_dirs
                        .iter()
                        .map(|d| d.join(&name))
                        .find(|p| p.is_file())
                        .map(|p| (name, p))
                })
        else {
            // The profile is not part of this data set: nothing to run.
            continue;
        };
        let profile = load_profile(cache, &profile_file)?;
        let input = input_of(&row)?;
        let result = p452::p452(&input, profile)
            .map_err(|e| bad(file, line, format!("P.452 prediction failed: {e}")))?;
        let case = format!(
            "{file_name}:{line} ({profile_name}, f = {} GHz, p = {} %)",
            input.freq_ghz, input.time_pct
        );
        cases.push(compare(&row, case, &input, &result)?);
    }
    Ok(())
}

/// Runs every P.452-18 reference case found in `dir` (`results/*.csv` with
/// their `profiles/*.csv`; files directly in `dir` are also accepted).
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    let mut result_files = csv_files(&dir.join("results"))?;
    result_files.extend(csv_files(dir)?);
    let profile_dirs = [dir.join("profiles"), dir.to_path_buf()];
    let mut cache = HashMap::new();
    let mut cases = Vec::new();
    for file in &result_files {
        run_results_file(file, &profile_dirs, &mut cache, &mut cases)?;
    }
    ModelReport::of_cases(
        Model::P452,
        RECOMMENDATION,
        dir,
        format!(
            "{} (ITU-R WP 3M P.452-18 validation examples)",
            dir.display()
        ),
        cases,
    )
}
