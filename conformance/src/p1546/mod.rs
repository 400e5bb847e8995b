//! Reader and runner for the ITU-R P.1546-6 validation data of the ITU-R
//! WP 3K reference implementation (`../shared/data/propagation/p1546/`):
//! 18 terrain profiles in the SG 3 measurement layout (`profiles/`, read by
//! [`sg3`]) with 40 cases, and the reference's log of each case
//! (`results/<profile>_<k>_log.csv`).
//!
//! Each case is turned into a [`P1546Input`] the way the reference harness
//! (`validateP1546.m`) does — e.r.p. from dBW, land and sea lengths from the
//! radio-meteorological codes (each point counts half the distance to each
//! neighbour; codes 1 and 3 are sea, cold below 50 % of time), receiver and
//! transmitter clutter from the coverage codes and ground-cover heights, a
//! profile starting at the receiver reversed (Annex 5 §1.1), h_eff, θ_eff1
//! and the clearance angle from the profile ([`spectrum_core::p1546::terrain`]),
//! h_b = h_eff below 15 km, 50 % of locations, w_a = 500 m. The arguments and
//! every intermediate the log prints are compared (to half a unit of their
//! sixth significant digit), and E and L_b to 1e-3 dB.

mod sg3;

use std::path::Path;

use crate::itm::{bad, read};
use crate::{CaseResult, ConformanceError, Model, ModelReport, QuantityCheck};
use sg3::{Sg3File, read_sg3};
use spectrum_core::p1546::terrain::ProfileTerminals;
use spectrum_core::p1546::{P1546Input, P1546Result, RxArea, Zone, p1546};
use spectrum_core::profile::{PathProfile, RadioClimaticZone};

/// Tolerance on E and L_b, dB.
pub const TOLERANCE_DB: f64 = 1e-3;

/// The harness's clutter mapping of a coverage code: (area, R m).
fn clutter(code: Option<i64>) -> (RxArea, f64) {
    match code {
        Some(1) => (RxArea::Sea, 10.0),
        Some(2) => (RxArea::Rural, 10.0),
        Some(3) => (RxArea::Suburban, 10.0),
        Some(4) => (RxArea::Urban, 15.0),
        Some(5) => (RxArea::DenseUrban, 20.0),
        _ => (RxArea::Suburban, 0.0),
    }
}

/// The log's name of an area.
fn area_name(a: RxArea) -> &'static str {
    match a {
        RxArea::Rural => "Rural",
        RxArea::Suburban => "Suburban",
        RxArea::Urban => "Urban",
        RxArea::DenseUrban => "Dense Urban",
        RxArea::Sea => "Sea",
    }
}

/// The input of case `k` (0-based) of a profile, as the reference harness builds it.
pub(crate) fn harness_input(s: &Sg3File, k: usize) -> Result<P1546Input, String> {
    let m = s
        .measurements
        .get(k)
        .ok_or_else(|| format!("no case {}", k + 1))?;
    let erp_kw = match m.erp_dbw {
        Some(dbw) => 10f64.powf(dbw / 10.0) / 1000.0,
        None => {
            let dbkw = -137.2217 + m.field_dbuv_m - 20.0 * m.freq_mhz.log10() + m.loss_db;
            10f64.powf(dbkw / 10.0)
        }
    };
    let p = &s.points;
    let n = p.len();
    let (mut rx_area, r2_code) = clutter(p[n - 1].coverage);
    let (mut tx_area, mut r1_code) = clutter(p[0].coverage);
    if tx_area == RxArea::Rural {
        r1_code = 0.0;
    }
    let mut r2 = p[n - 1].cover_height_m.unwrap_or(r2_code);
    let mut r1 = p[0].cover_height_m.unwrap_or(r1_code);
    let (mut ha, mut h2) = (m.h_tx_m, m.h_rx_m);
    let mut x: Vec<f64> = p.iter().map(|q| q.dist_km).collect();
    let mut h: Vec<f64> = p.iter().map(|q| q.ground_m).collect();
    // Radio-meteorological codes 1 (sea) and 3 (coastal) count as sea.
    let mut zones: Vec<RadioClimaticZone> = p
        .iter()
        .map(|q| match q.radio_met {
            Some(1 | 3) => RadioClimaticZone::Sea,
            _ => RadioClimaticZone::Inland,
        })
        .collect();
    if !s.first_point_tx {
        std::mem::swap(&mut ha, &mut h2);
        std::mem::swap(&mut r1, &mut r2);
        std::mem::swap(&mut rx_area, &mut tx_area);
        let end = x[n - 1];
        x = x.iter().rev().map(|d| end - d).collect();
        h.reverse();
        zones.reverse();
    }
    let mut profile = PathProfile::new(x, h).map_err(|e| e.to_string())?;
    profile.zones = Some(zones);
    // The harness's sea is cold (the 50 % sea curves are common to both).
    let terminals = ProfileTerminals {
        freq_mhz: m.freq_mhz,
        time_pct: m.time_pct,
        ha_m: ha,
        h2_m: h2,
        rx_area,
        sea: Zone::ColdSea,
    };
    let mut input = P1546Input::from_profile(&profile, &terminals).map_err(|e| e.to_string())?;
    input.erp_kw = erp_kw;
    input.area_width_m = Some(500.0);
    input.r2_m = r2;
    input.r1_m = Some(r1);
    Ok(input)
}

/// Half a unit of the sixth significant digit of a `%g`-printed value.
fn sig6(v: f64) -> f64 {
    if v == 0.0 {
        1e-12
    } else {
        0.5 * 10f64.powi(v.abs().log10().floor() as i32 - 5)
    }
}

/// The log's numbers by label (the value is the fourth field; empty ones are absent).
fn read_log(file: &Path) -> Result<Vec<(String, String)>, ConformanceError> {
    let text = read(file)?;
    Ok(text
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let v = f.get(3)?.trim();
            (!l.starts_with('#') && !v.is_empty()).then(|| (f[0].trim().to_string(), v.to_string()))
        })
        .collect())
}

fn checks_against_log(
    log: &[(String, String)],
    input: &P1546Input,
    r: &P1546Result,
    file: &Path,
) -> Result<Vec<QuantityCheck>, ConformanceError> {
    let s = &r.steps;
    let d = input.dist_km();
    let quantities: [(&str, Option<f64>); 28] = [
        ("Tx Power (kW)", Some(input.erp_kw)),
        ("Frequency f (MHz)", Some(input.freq_mhz)),
        ("Horizontal path length d (km)", Some(d)),
        ("Land path (km)", Some(s.land_km)),
        ("Sea path (km)", Some(s.sea_km)),
        ("Percentage time t (%)", Some(input.time_pct)),
        ("Percentage location q (%)", Some(input.location_pct)),
        ("Tx antenna height h1 (m)", Some(s.h1_m)),
        ("Tx antenna height a. g. ha (m)", input.ha_m),
        ("Tx antenna height hb (m)", input.hb_m),
        ("Rx antenna height a. g. h2 (m)", Some(input.h2_m)),
        ("Tx clutter height R1 (m)", input.r1_m),
        ("Rx clutter height R2 (m)", Some(input.r2_m)),
        (
            "Tx effective TCA  theta_eff1 (deg)",
            input.scatter_angles_deg.map(|a| a.0),
        ),
        ("Terrain clearance angle tca (deg)", input.tca_deg),
        ("Maximum field strength Emax (dBuV/m)", Some(s.emax_dbuv_m)),
        ("Field strength (dBuV/m)", Some(s.curves_dbuv_m)),
        ("TCA nu", s.tca_nu),
        ("TCA correction (dB)", s.tca_correction_db),
        ("Path scattering theta_s (deg)", s.scatter_angle_deg),
        (
            "Trop. Scatt. field strength Ets (dBuV/m)",
            s.troposcatter_dbuv_m,
        ),
        ("Rx repr. clutter height R2' (m)", Some(s.r2_prime_m)),
        (
            "Rx antenna height correction (dB)",
            Some(s.rx_height_correction_db),
        ),
        ("Tx clutter correction (dB)", s.tx_clutter_correction_db),
        ("Rx slope-path correction (dB)", s.slope_correction_db),
        ("Field strength for d < 1 km (dB)", s.short_path_dbuv_m),
        (
            "Resulting field strength for Ptx = 1kW (dBuV/m)",
            Some(r.field_1kw_dbuv_m),
        ),
        ("Resulting basic transmission loss (dB)", Some(r.loss_db)),
    ];
    let mut checks = Vec::new();
    for (label, computed) in quantities {
        let printed = log
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.as_str());
        match (printed, computed) {
            (None, None) => {}
            (Some(v), Some(c)) => {
                let expected: f64 = v.parse().map_err(|_| {
                    bad(file, 0, format!("{label}: expected a number, found {v:?}"))
                })?;
                let eight_decimals = v.split_once('.').is_some_and(|(_, f)| f.len() == 8);
                checks.push(QuantityCheck {
                    name: format!("log: {label}"),
                    expected,
                    computed: c,
                    tolerance: if eight_decimals {
                        TOLERANCE_DB
                    } else {
                        sig6(expected)
                    },
                });
            }
            (p, c) => {
                // One side has the quantity, the other not: a failing check.
                checks.push(QuantityCheck {
                    name: format!(
                        "log: {label} (present in log: {}, computed: {})",
                        p.is_some(),
                        c.is_some()
                    ),
                    expected: 0.0,
                    computed: f64::NAN,
                    tolerance: 0.0,
                });
            }
        }
    }
    let area = log
        .iter()
        .find(|(l, _)| l == "Rx clutter type")
        .map(|(_, v)| v.as_str());
    if area != Some(area_name(input.rx_area)) {
        checks.push(QuantityCheck {
            name: format!(
                "log: Rx clutter type {area:?} vs {:?}",
                area_name(input.rx_area)
            ),
            expected: 0.0,
            computed: f64::NAN,
            tolerance: 0.0,
        });
    }
    Ok(checks)
}

/// Runs every case of the profiles under `dir/profiles`, with their logs
/// from `dir/results` where present.
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    let profiles = dir.join("profiles");
    let mut files: Vec<_> = match std::fs::read_dir(&profiles) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let mut cases = Vec::new();
    for file in &files {
        let s = read_sg3(file)?;
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        for (k, m) in s.measurements.iter().enumerate() {
            let input = harness_input(&s, k).map_err(|e| bad(file, m.line, e))?;
            let r = p1546(&input).map_err(|e| bad(file, m.line, e.to_string()))?;
            let mut checks = vec![
                QuantityCheck {
                    name: "E (dBuV/m)".into(),
                    expected: m.field_dbuv_m,
                    computed: r.field_dbuv_m,
                    tolerance: TOLERANCE_DB,
                },
                QuantityCheck {
                    name: "Lb (dB)".into(),
                    expected: m.loss_db,
                    computed: r.loss_db,
                    tolerance: TOLERANCE_DB,
                },
            ];
            let log_file = dir
                .join("results")
                .join(format!("{stem}_{}_log.csv", k + 1));
            if log_file.is_file() {
                checks.extend(checks_against_log(
                    &read_log(&log_file)?,
                    &input,
                    &r,
                    &log_file,
                )?);
            }
            cases.push(CaseResult {
                case: format!("{stem} case {} (line {})", k + 1, m.line),
                checks,
                codes: Vec::new(),
            });
        }
    }
    ModelReport::of_cases(
        Model::P1546,
        "ITU-R P.1546-6 (08/2019), point-to-area field strength",
        dir,
        format!("{} (ITU-R WP 3K reference validation)", dir.display()),
        cases,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/propagation/p1546"
    );

    #[test]
    fn every_reference_case_is_within_its_tolerance() {
        let report = run(Path::new(DATA)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.case_count(), 40);
        assert_eq!(report.failures(), 0, "{:#?}", report.failure_lines());
        assert!(report.max_tolerance_ratio() <= 1.0);
        // Every case was checked against its log as well.
        assert!(report.cases.iter().all(|c| c.checks.len() > 20));
        // E and Lb agree with the reference to its 8 printed decimals.
        let worst = report
            .cases
            .iter()
            .flat_map(|c| c.checks.iter().filter(|q| !q.name.starts_with("log")))
            .map(QuantityCheck::deviation)
            .fold(0.0, f64::max);
        assert!(worst < 1e-8, "{worst}");
    }

    #[test]
    fn a_wrong_reference_value_fails() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(dir.path().join("profiles")).unwrap_or_else(|e| panic!("{e}"));
        let src = Path::new(DATA).join("profiles/flat_10km.csv");
        let text = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{e}"));
        let changed = text.replace("63.03099718", "63.04099718");
        assert_ne!(text, changed);
        std::fs::write(dir.path().join("profiles/flat_10km.csv"), changed)
            .unwrap_or_else(|e| panic!("{e}"));
        let report = run(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((report.case_count(), report.failures()), (1, 1));
        assert!(report.failure_lines()[0].contains("flat_10km case 1"));
    }

    #[test]
    fn a_damaged_profile_names_its_line_and_field() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(dir.path().join("profiles")).unwrap_or_else(|e| panic!("{e}"));
        let src = Path::new(DATA).join("profiles/flat_1km.csv");
        let text = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{e}"));
        let changed = text.replacen(
            "{Begin of Measurements}\n900",
            "{Begin of Measurements}\nx900",
            1,
        );
        assert_ne!(text, changed);
        std::fs::write(dir.path().join("profiles/flat_1km.csv"), changed)
            .unwrap_or_else(|e| panic!("{e}"));
        let err = run(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("flat_1km.csv:") && err.contains("field 1 (frequency MHz)"),
            "{err}"
        );
        assert!(matches!(
            run(Path::new("/nonexistent")),
            Err(ConformanceError::NothingToRun { .. })
        ));
    }
}
