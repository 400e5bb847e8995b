//! Reader and runner for the ITU-R P.676-13 Annex 1 reference data
//! (`../shared/data/propagation/p676/`): the 1–350 GHz sweep of the SG 3
//! validation workbook's `P.676-13_SpAtt` sheet (`itu-valex/P.676-13_SpAtt.csv`:
//! γ_o, γ_w and γ at p = 1013.25 hPa, ρ = 7.5 g/m³, T = 288.15 K; relative
//! tolerance 1e-6, the data set's) and crc-covlib's grid of specific
//! attenuations (`crc-covlib/validation.csv`: 8 000 points over frequency,
//! pressure, density and temperature; 1e-4 dB/km, crc-covlib's own test).
//! The slant-path sheets of §2.2.1 (`P.676-13_A_Gas_A1_2.2.1a.csv`, sea level to
//! space; `…2.2.1b.csv`, between two heights) are compared layer by layer —
//! thickness, height, P.835-6 pressure, temperature, density and vapour
//! pressure, refractive index, the two angles, path length, γ_o and γ_w — and
//! then in total attenuation and ray bending, each to relative 1e-6.

use std::path::Path;

use crate::itm::{Table, bad, read};
use crate::{CaseResult, ConformanceError, Model, ModelReport, QuantityCheck};
use spectrum_core::p676::slant::{Layer, slant_path, slant_path_layers};
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

/// One slant-path sheet: `inputs` is how many input columns follow column C
/// (2.2.1a: altitude, elevation; 2.2.1b: lower, upper, elevation), `layer` the
/// column of the layer index, `results` that of the ray bending (attenuation
/// next to it).
struct SlantSheet {
    name: &'static str,
    inputs: usize,
    layer: usize,
    results: usize,
}

const SLANT_SHEETS: [SlantSheet; 2] = [
    SlantSheet {
        name: "P.676-13_A_Gas_A1_2.2.1a.csv",
        inputs: 2,
        layer: 6,
        results: 26,
    },
    SlantSheet {
        name: "P.676-13_A_Gas_A1_2.2.1b.csv",
        inputs: 3,
        layer: 10,
        results: 30,
    },
];

/// The per-layer values a sheet prints after the layer index, in order
/// (`None`: a column the sheet fills that has no counterpart checked here).
fn layer_values(l: &Layer) -> [(&'static str, Option<f64>); 18] {
    let a = &l.atmosphere;
    [
        ("thickness (km)", Some(l.thickness_km)),
        ("radius", None),
        ("mid radius", None),
        ("bottom height (km)", Some(l.bottom_km)),
        ("mid height", None),
        ("pressure (hPa)", Some(a.pressure_hpa)),
        ("temperature (K)", Some(a.temp_k)),
        ("water-vapour density (g/m3)", Some(a.rho_g_m3)),
        ("dry pressure (hPa)", Some(a.dry_pressure_hpa())),
        ("vapour pressure (hPa)", Some(a.vapour_hpa)),
        ("refractive index", Some(l.refractive_index)),
        ("angle at bottom (rad)", Some(l.angle_bottom_rad)),
        ("angle at top (rad)", Some(l.angle_top_rad)),
        ("path length (km)", Some(l.length_km)),
        ("blank", None),
        ("gamma_o (dB/km)", Some(l.gamma_o_db_km)),
        ("gamma_w (dB/km)", Some(l.gamma_w_db_km)),
        ("gamma (dB/km)", Some(l.gamma_o_db_km + l.gamma_w_db_km)),
    ]
}

/// A §2.2.1 sheet: its first data row holds the inputs and the results, and
/// one row per layer follows from there.
fn slant(
    file: &Path,
    sheet: &SlantSheet,
    cases: &mut Vec<CaseResult>,
) -> Result<(), ConformanceError> {
    let text = read(file)?;
    let rows: Vec<(usize, Vec<&str>)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split(',').map(str::trim).collect()))
        .collect();
    let num = |line: usize, fields: &[&str], k: usize| -> Result<f64, ConformanceError> {
        let f = fields.get(k).copied().unwrap_or("");
        f.parse().map_err(|_| {
            bad(
                file,
                line,
                format!("column {}: expected a number, found `{f}`", k + 1),
            )
        })
    };
    let Some(start) = rows
        .iter()
        .position(|(_, f)| f.get(2).is_some_and(|c| c.parse::<f64>().is_ok()))
    else {
        return Err(bad(
            file,
            rows.len(),
            "found no input row (a number in column C)",
        ));
    };
    let (line, first) = &rows[start];
    let inputs: Vec<f64> = (2..3 + sheet.inputs)
        .map(|k| num(*line, first, k))
        .collect::<Result<_, _>>()?;
    let (freq, lower, elevation) = (inputs[0], inputs[1], inputs[sheet.inputs]);
    let upper = (sheet.inputs == 3).then(|| inputs[2]);
    let layers = slant_path_layers(freq, lower, upper, elevation)
        .map_err(|e| bad(file, *line, e.to_string()))?;
    let total =
        slant_path(freq, lower, upper, elevation).map_err(|e| bad(file, *line, e.to_string()))?;
    let rel = |x: f64| 1e-6 * x.abs();
    let data: Vec<&(usize, Vec<&str>)> = rows[start..]
        .iter()
        .filter(|(_, f)| f.get(sheet.layer).is_some_and(|c| !c.is_empty()))
        .collect();
    if data.len() != layers.len() {
        return Err(bad(
            file,
            *line,
            format!(
                "expected {} layers, found {} rows of layers",
                layers.len(),
                data.len()
            ),
        ));
    }
    for ((line, fields), layer) in data.into_iter().zip(&layers) {
        let index = num(*line, fields, sheet.layer)?;
        let mut checks = vec![quantity("layer index", index, layer.index as f64, 0.0)];
        for (k, (name, value)) in layer_values(layer).into_iter().enumerate() {
            if let Some(value) = value {
                let expected = num(*line, fields, sheet.layer + 1 + k)?;
                checks.push(quantity(name, expected, value, rel(expected)));
            }
        }
        cases.push(CaseResult {
            case: format!("itu-valex/{} line {line} (layer {index})", sheet.name),
            checks,
            codes: Vec::new(),
        });
    }
    let (bending, attenuation) = (
        num(*line, first, sheet.results)?,
        num(*line, first, sheet.results + 1)?,
    );
    cases.push(CaseResult {
        case: format!(
            "itu-valex/{} line {line} ({freq} GHz, {elevation} deg: totals)",
            sheet.name
        ),
        checks: vec![
            quantity(
                "attenuation (dB)",
                attenuation,
                total.attenuation_db,
                rel(attenuation),
            ),
            quantity(
                "ray bending (rad)",
                bending,
                total.bending_rad,
                rel(bending),
            ),
        ],
        codes: Vec::new(),
    });
    Ok(())
}

/// Runs the P.676 reference cases found in `dir` (either file may be absent).
pub fn run(dir: &Path) -> Result<ModelReport, ConformanceError> {
    let mut cases = Vec::new();
    let sweep = dir.join("itu-valex").join("P.676-13_SpAtt.csv");
    if sweep.exists() {
        spatt(&sweep, &mut cases)?;
    }
    for sheet in &SLANT_SHEETS {
        let file = dir.join("itu-valex").join(sheet.name);
        if file.exists() {
            slant(&file, sheet, &mut cases)?;
        }
    }
    let crc = dir.join("crc-covlib").join("validation.csv");
    if crc.exists() {
        grid(&crc, &mut cases)?;
    }
    ModelReport::of_cases(
        Model::P676,
        "ITU-R P.676-13 (08/2022) Annex 1 specific attenuation and slant paths",
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
        assert_eq!(report.case_count(), 350 + 923 + 183 + 8_000);
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
