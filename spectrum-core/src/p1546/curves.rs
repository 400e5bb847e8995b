//! ITU-R P.1546-6 (08/2019) Annex 1: the field-strength curves of Figures 1–24
//! as tabulated values, and their interpolation in distance (Annex 5 §5,
//! eq. (13)) and in transmitting height (Annex 5 §4.1, eq. (8)).
//!
//! The tables are data shipped with the crate (`data/p1546_curves.csv`,
//! written for Spectra from the Recommendation's published tabulations):
//! field strength exceeded at 50 % of locations, dB(µV/m) for 1 kW e.r.p., for
//! the 78 nominal distances of Table 1 and the 8 nominal effective heights,
//! for 100, 600 and 2 000 MHz, land / sea (50 %) / cold sea / warm sea, and
//! 1, 10 and 50 % of time. They are parsed once, on first use.
//!
//! ```
//! use spectrum_core::p1546::curves::{Curves, CurvePath};
//! let curves = Curves::get().unwrap();
//! let fig = curves.figure(100.0, CurvePath::Land, 50.0).unwrap();
//! // Figure 1, h1 = 10 m, 1 km.
//! assert_eq!(fig.field_dbuv_m(0, 1.0), 89.9759);
//! ```

use std::sync::OnceLock;

/// The 8 nominal effective heights of the curves, m.
pub const NOMINAL_HEIGHTS_M: [f64; 8] = [10.0, 20.0, 37.5, 75.0, 150.0, 300.0, 600.0, 1200.0];

/// The 78 nominal distances of Table 1, km.
pub const NOMINAL_DISTANCES_KM: [f64; 78] = [
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0,
    18.0, 19.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 85.0,
    90.0, 95.0, 100.0, 110.0, 120.0, 130.0, 140.0, 150.0, 160.0, 170.0, 180.0, 190.0, 200.0, 225.0,
    250.0, 275.0, 300.0, 325.0, 350.0, 375.0, 400.0, 425.0, 450.0, 475.0, 500.0, 525.0, 550.0,
    575.0, 600.0, 625.0, 650.0, 675.0, 700.0, 725.0, 750.0, 775.0, 800.0, 825.0, 850.0, 875.0,
    900.0, 925.0, 950.0, 975.0, 1000.0,
];

/// The nominal frequencies of the curves, MHz.
pub const NOMINAL_FREQS_MHZ: [f64; 3] = [100.0, 600.0, 2000.0];

/// The nominal time percentages of the curves, %.
pub const NOMINAL_TIMES_PCT: [f64; 3] = [1.0, 10.0, 50.0];

/// The path kinds the curves are drawn for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CurvePath {
    /// Land.
    Land,
    /// Cold sea (the sea curves at 50 % of time).
    ColdSea,
    /// Warm sea (the sea curves at 50 % of time).
    WarmSea,
}

const DATA: &str = include_str!("../../data/p1546_curves.csv");
const FIGURES: usize = 24;
const COLUMNS: usize = 5 + NOMINAL_HEIGHTS_M.len();

/// One figure: field strength at the nominal distances (rows) and heights
/// (columns), dB(µV/m).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Figure number, 1–24.
    pub number: u8,
    rows: Vec<[f64; 8]>,
}

impl Figure {
    /// Field strength for nominal height index `h_idx` (into
    /// [`NOMINAL_HEIGHTS_M`]) at `dist_km` (1–1000 km), interpolated in
    /// distance by eq. (13): linear in log d between the two nominal distances
    /// around it (a nominal distance is read directly). Distances beyond the
    /// table are extrapolated from its last two distances.
    pub fn field_dbuv_m(&self, h_idx: usize, dist_km: f64) -> f64 {
        let (i, j) = bracket(&NOMINAL_DISTANCES_KM, dist_km);
        let e_inf = self.rows[i][h_idx];
        if i == j {
            return e_inf;
        }
        let (d_inf, d_sup) = (NOMINAL_DISTANCES_KM[i], NOMINAL_DISTANCES_KM[j]);
        let e_sup = self.rows[j][h_idx];
        e_inf + (e_sup - e_inf) * (dist_km / d_inf).log10() / (d_sup / d_inf).log10()
    }

    /// Field strength for an effective height `h1_m` ≥ 10 m at `dist_km`:
    /// eq. (8), linear in log h1 between the nominal heights around it,
    /// extrapolated from 600 and 1 200 m above 1 200 m (the caller limits the
    /// result to the maximum field strength).
    pub fn field_at_height_dbuv_m(&self, h1_m: f64, dist_km: f64) -> f64 {
        let (i, j) = bracket(&NOMINAL_HEIGHTS_M, h1_m);
        let e_inf = self.field_dbuv_m(i, dist_km);
        if i == j {
            return e_inf;
        }
        let (h_inf, h_sup) = (NOMINAL_HEIGHTS_M[i], NOMINAL_HEIGHTS_M[j]);
        let e_sup = self.field_dbuv_m(j, dist_km);
        e_inf + (e_sup - e_inf) * (h1_m / h_inf).log10() / (h_sup / h_inf).log10()
    }
}

/// The 24 figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Curves {
    figures: Vec<Figure>,
}

static CURVES: OnceLock<Result<Curves, String>> = OnceLock::new();

impl Curves {
    /// The shipped curves, parsed on first use; the error names the line of
    /// the data file at fault (it cannot happen with the file the crate
    /// ships, which a test parses).
    pub fn get() -> Result<&'static Curves, String> {
        CURVES
            .get_or_init(|| Curves::parse(DATA))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn parse(text: &str) -> Result<Curves, String> {
        let mut figures: Vec<Figure> = (1..=FIGURES as u8)
            .map(|number| Figure {
                number,
                rows: Vec::with_capacity(NOMINAL_DISTANCES_KM.len()),
            })
            .collect();
        let mut header_seen = false;
        for (k, line) in text.lines().enumerate() {
            let line_no = k + 1;
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !header_seen {
                header_seen = true;
                continue;
            }
            let f: Vec<&str> = line.split(',').collect();
            if f.len() != COLUMNS {
                return Err(format!(
                    "p1546_curves.csv:{line_no}: expected {COLUMNS} fields, found {}",
                    f.len()
                ));
            }
            let num = |i: usize| {
                f[i].trim().parse::<f64>().map_err(|_| {
                    format!(
                        "p1546_curves.csv:{line_no}: field {} expected a number, found {:?}",
                        i + 1,
                        f[i]
                    )
                })
            };
            let number = num(0)? as usize;
            let figure = figures
                .get_mut(number.wrapping_sub(1))
                .ok_or_else(|| format!("p1546_curves.csv:{line_no}: no figure {number}"))?;
            let row = figure.rows.len();
            let d = num(4)?;
            if NOMINAL_DISTANCES_KM.get(row) != Some(&d) {
                return Err(format!(
                    "p1546_curves.csv:{line_no}: expected distance {:?} km, found {d}",
                    NOMINAL_DISTANCES_KM.get(row)
                ));
            }
            let mut values = [0.0; 8];
            for (h, v) in values.iter_mut().enumerate() {
                *v = num(5 + h)?;
            }
            figure.rows.push(values);
        }
        if let Some(f) = figures
            .iter()
            .find(|f| f.rows.len() != NOMINAL_DISTANCES_KM.len())
        {
            return Err(format!(
                "p1546_curves.csv: figure {} has {} distances, expected {}",
                f.number,
                f.rows.len(),
                NOMINAL_DISTANCES_KM.len()
            ));
        }
        Ok(Curves { figures })
    }

    /// The figure for a nominal frequency (100, 600, 2000 MHz), a path kind
    /// and a nominal time percentage (1, 10, 50 %): Figures 1–8 at 100 MHz,
    /// 9–16 at 600 MHz, 17–24 at 2 000 MHz, each land 50/10/1 %, sea 50 %,
    /// cold sea 10/1 %, warm sea 10/1 %. `None` for a non-nominal value.
    pub fn figure(&self, freq_mhz: f64, path: CurvePath, time_pct: f64) -> Option<&Figure> {
        let fi = NOMINAL_FREQS_MHZ.iter().position(|&f| f == freq_mhz)?;
        let ti = NOMINAL_TIMES_PCT.iter().position(|&t| t == time_pct)?;
        let k = match (path, ti) {
            (CurvePath::Land, _) => 2 - ti,
            (_, 2) => 3,
            (CurvePath::ColdSea, _) => 5 - ti,
            (CurvePath::WarmSea, _) => 7 - ti,
        };
        self.figures.get(fi * 8 + k)
    }
}

/// Indices of the two nominal values around `v` in ascending `x` (the same
/// index twice when `v` is one of them; the first or last two when `v` is
/// outside, for extrapolation).
pub(crate) fn bracket(x: &[f64], v: f64) -> (usize, usize) {
    let n = x.len();
    if v > x[n - 1] {
        return (n - 2, n - 1);
    }
    if v < x[0] {
        return (0, 1);
    }
    match x.iter().position(|&xi| xi >= v) {
        Some(j) if x[j] == v => (j, j),
        Some(j) => (j - 1, j),
        None => (n - 1, n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curves() -> &'static Curves {
        Curves::get().unwrap_or_else(|e| panic!("{e}"))
    }

    /// Pins the shipped tables: values read from the Recommendation's
    /// tabulations (figure, height index, distance), and the sum of all
    /// 14 976 values.
    #[test]
    fn the_shipped_tables_hold_the_recommendations_values() {
        let c = curves();
        let pins = [
            (100.0, CurvePath::Land, 50.0, 0, 1.0, 89.9759),
            (100.0, CurvePath::Land, 50.0, 1, 2.0, 83.0908),
            (100.0, CurvePath::ColdSea, 50.0, 0, 1.0, 97.9306),
            (100.0, CurvePath::ColdSea, 10.0, 1, 1.0, 102.2995),
            (100.0, CurvePath::WarmSea, 1.0, 0, 1.0, 101.4829),
            (600.0, CurvePath::Land, 50.0, 0, 1.0, 92.6814),
            (600.0, CurvePath::Land, 10.0, 0, 2.0, 81.9555),
            (2000.0, CurvePath::Land, 1.0, 1, 2.0, 86.0633),
            (2000.0, CurvePath::WarmSea, 1.0, 0, 1.0, 107.266),
        ];
        for (f, p, t, h, d, want) in pins {
            let fig = c.figure(f, p, t).unwrap_or_else(|| panic!("{f} {p:?} {t}"));
            assert_eq!(
                fig.field_dbuv_m(h, d),
                want,
                "{f} MHz {p:?} {t} % h{h} {d} km"
            );
        }
        let sum: f64 = c.figures.iter().flat_map(|f| f.rows.iter().flatten()).sum();
        assert!((sum - 447_803.588_8).abs() < 1e-6, "sum {sum}");
        assert_eq!(
            c.figures.iter().map(|f| f.rows.len()).sum::<usize>(),
            24 * 78
        );
        // Sea at 50 % is one figure for cold and warm sea.
        assert_eq!(
            c.figure(600.0, CurvePath::ColdSea, 50.0).map(|f| f.number),
            c.figure(600.0, CurvePath::WarmSea, 50.0).map(|f| f.number)
        );
        assert_eq!(
            c.figure(600.0, CurvePath::WarmSea, 1.0).map(|f| f.number),
            Some(16)
        );
        assert!(c.figure(700.0, CurvePath::Land, 50.0).is_none());
    }

    #[test]
    fn distance_and_height_interpolate_in_log_scale() {
        let fig = curves().figure(100.0, CurvePath::Land, 50.0).unwrap();
        let (e1, e2) = (fig.field_dbuv_m(0, 1.0), fig.field_dbuv_m(0, 2.0));
        let mid = fig.field_dbuv_m(0, 2f64.sqrt());
        assert!((mid - (e1 + e2) / 2.0).abs() < 1e-12);
        let (a, b) = (fig.field_dbuv_m(0, 5.0), fig.field_dbuv_m(1, 5.0));
        let h = fig.field_at_height_dbuv_m(200f64.sqrt(), 5.0);
        assert!((h - (a + b) / 2.0).abs() < 1e-12);
        assert_eq!(fig.field_at_height_dbuv_m(20.0, 5.0), b);
    }

    #[test]
    fn brackets_follow_the_nominal_values() {
        let x = [1.0, 10.0, 50.0];
        assert_eq!(bracket(&x, 10.0), (1, 1));
        assert_eq!(bracket(&x, 20.0), (1, 2));
        assert_eq!(bracket(&x, 1.0), (0, 0));
        assert_eq!(bracket(&x, 0.5), (0, 1));
        assert_eq!(bracket(&x, 60.0), (1, 2));
    }

    #[test]
    fn a_damaged_table_is_refused_with_its_line() {
        let bad = DATA.replacen("1,100,land,50,2,", "1,100,land,50,3,", 1);
        let err = Curves::parse(&bad).unwrap_err();
        assert!(err.contains(":9:") && err.contains("distance"), "{err}");
    }
}
