//! Reader of the ITU-R SG 3 measurement-data CSV layout used by the P.1546
//! validation profiles (`../shared/data/propagation/p1546/profiles/`):
//! `key:,value` header lines, the terrain profile between `{Begin of
//! Profile}` and `{End of Profile}`, one measurement per line between
//! `{Begin of Measurements}` and `{End of Measurements}`.

use std::path::Path;

use crate::ConformanceError;
use crate::itm::{bad, read};

/// One profile point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Point {
    /// Distance from the first point, km.
    pub dist_km: f64,
    /// Ground height above sea level, m.
    pub ground_m: f64,
    /// Coverage code (1 water/sea, 2 rural, 3 suburban, 4 urban, 5 dense urban).
    pub coverage: Option<i64>,
    /// Ground-cover height, m.
    pub cover_height_m: Option<f64>,
    /// Radio-meteorological code (1 sea, 3 coastal, 4 inland).
    pub radio_met: Option<i64>,
}

/// One measurement line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measurement {
    /// 1-based line number in the file.
    pub line: usize,
    pub freq_mhz: f64,
    pub h_tx_m: f64,
    pub h_rx_m: f64,
    /// ERP max total, dBW (`None` when empty).
    pub erp_dbw: Option<f64>,
    pub time_pct: f64,
    /// Reference field strength, dB(µV/m).
    pub field_dbuv_m: f64,
    /// Reference basic transmission loss, dB.
    pub loss_db: f64,
}

/// A whole file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sg3File {
    /// True when the profile starts at the transmitter (`First Point TX or RX: T`).
    pub first_point_tx: bool,
    pub points: Vec<Point>,
    pub measurements: Vec<Measurement>,
}

fn opt_num(s: Option<&str>) -> Option<f64> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse().ok())
}

/// Reads one SG 3 file; errors name the file, line and field.
pub(crate) fn read_sg3(file: &Path) -> Result<Sg3File, ConformanceError> {
    let text = read(file)?;
    let mut first_point_tx = true;
    let mut points = Vec::new();
    let mut measurements = Vec::new();
    #[derive(PartialEq)]
    enum Block {
        Header,
        Profile,
        Measurements,
    }
    let mut block = Block::Header;
    for (k, raw) in text.lines().enumerate() {
        let line_no = k + 1;
        let line = raw.trim_start_matches('\u{feff}').trim();
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        match line {
            "{Begin of Profile}" => {
                block = Block::Profile;
                continue;
            }
            "{Begin of Measurements}" => {
                block = Block::Measurements;
                continue;
            }
            "{End of Profile}" | "{End of Measurements}" => {
                block = Block::Header;
                continue;
            }
            _ => {}
        }
        let num = |i: usize, what: &str| -> Result<f64, ConformanceError> {
            let s = fields.get(i).copied().unwrap_or("");
            s.parse::<f64>().map_err(|_| {
                bad(
                    file,
                    line_no,
                    format!("field {} ({what}): expected a number, found {s:?}", i + 1),
                )
            })
        };
        match block {
            Block::Header => {
                if fields.first() == Some(&"First Point TX or RX:") {
                    first_point_tx = !fields.get(1).is_some_and(|v| v.eq_ignore_ascii_case("R"));
                }
            }
            Block::Profile => {
                if line.is_empty() || fields[0].starts_with("Number of Points") {
                    continue;
                }
                points.push(Point {
                    dist_km: num(0, "distance km")?,
                    ground_m: num(1, "ground height m")?,
                    coverage: opt_num(fields.get(2).copied()).map(|v| v as i64),
                    cover_height_m: opt_num(fields.get(3).copied()),
                    radio_met: opt_num(fields.get(4).copied()).map(|v| v as i64),
                });
            }
            Block::Measurements => {
                // A count line (one field) may precede the data.
                if line.is_empty() || fields.len() < 18 {
                    continue;
                }
                measurements.push(Measurement {
                    line: line_no,
                    freq_mhz: num(0, "frequency MHz")?,
                    h_tx_m: num(1, "Tx antenna height m")?,
                    h_rx_m: num(3, "Rx antenna height m")?,
                    erp_dbw: opt_num(fields.get(12).copied()),
                    time_pct: num(14, "time percentage")?,
                    field_dbuv_m: num(16, "measured field strength dBuV/m")?,
                    loss_db: num(17, "basic transmission loss dB")?,
                });
            }
        }
    }
    if points.len() < 2 {
        return Err(bad(
            file,
            0,
            format!(
                "expected a profile of at least 2 points, found {}",
                points.len()
            ),
        ));
    }
    Ok(Sg3File {
        first_point_tx,
        points,
        measurements,
    })
}
