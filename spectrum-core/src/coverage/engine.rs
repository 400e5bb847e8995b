//! The coverage engine: radial terrain profiles from the transmitter, then one
//! model evaluation per cell over a prefix of its nearest radial.
//!
//! Terrain is sampled once per radial (`n_radials` geodesics from the
//! transmitter, spaced so that neighbouring radials are at most one cell apart
//! at the edge of the area); every cell takes the radial nearest to its
//! azimuth and the prefix of that radial up to its distance, stretched so that
//! the path length equals the cell's geodesic distance. Radials and rows are
//! computed in parallel (rayon); each cell's value depends only on the inputs,
//! so the map is bit-identical whatever the thread count.
//!
//! A model with a radial mode ([`PathLossModel::radial`], ITM's default) gets
//! the cells grouped by radial and sorted by distance, radials in parallel;
//! the others get one call per cell, rows in parallel. The radial mode holds
//! the cells' paths (radial, prefix, distance, azimuth: 24 bytes a cell) and
//! their values per radial while it runs, about 70 bytes a cell at the peak
//! against about 24 for one call per cell.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::grid::Grid;
use super::model::{PathInput, PathLoss, PathLossModel};
use super::{CoverageError, CoverageMap, Scenario};
use crate::bounds::{self, OutOfBounds};
use crate::geodesy::{self, GeoPoint};
use crate::path;
use crate::terrain::tileset::TileSet;
use crate::units;

/// Radial layout of a study.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadialPlan {
    /// Number of radials (azimuth step 360° / n).
    pub n_radials: usize,
    /// Terrain sample spacing along a radial, m.
    pub step_m: f64,
    /// Samples per radial (first at the transmitter).
    pub n_points: usize,
}

impl RadialPlan {
    /// Radials for a grid: the sample step is the study's terrain step, the
    /// radials reach the farthest cell, and the arc between neighbouring
    /// radials at that distance is at most one cell. Refuses a plan of more
    /// than [`bounds::MAX_RADIAL_SAMPLES`] terrain samples.
    pub fn for_grid(grid: &Grid, study: &Scenario) -> Result<Self, OutOfBounds> {
        let site = study.tx.site;
        let (s, w, n, e) = grid.bounds_deg();
        let far_m = [(s, w), (s, e), (n, w), (n, e)]
            .into_iter()
            .map(|(la, lo)| geodesy::inverse(site, geodesy::GeoPoint::new(la, lo)).dist_m)
            .fold(0.0_f64, f64::max)
            .min(grid.max_dist_m + study.resolution_m());
        let step_m = study.terrain_step_m();
        // Sizes in f64 first, so that nothing overflows before the cap.
        let points_f = (far_m / step_m).ceil() + 2.0;
        let radials_f = (std::f64::consts::TAU * far_m / study.resolution_m())
            .ceil()
            .max(360.0);
        bounds::at_most(
            "terrain_step_m",
            "terrain samples along the radials (raise terrain_step_m or resolution_m, or reduce the area)",
            points_f * radials_f,
            bounds::MAX_RADIAL_SAMPLES,
        )?;
        let n_points = (far_m / step_m).ceil() as usize + 2;
        let n_radials =
            ((std::f64::consts::TAU * far_m / study.resolution_m()).ceil() as usize).max(360);
        Ok(Self {
            n_radials,
            step_m,
            n_points,
        })
    }
}

/// The grid and radial layout of a scenario, computed without reading
/// terrain or allocating the map: refuses a grid of more than
/// [`bounds::MAX_CELLS`] cells or radials of more than
/// [`bounds::MAX_RADIAL_SAMPLES`] terrain samples, naming the field.
pub fn plan(study: &Scenario) -> Result<(Grid, RadialPlan), OutOfBounds> {
    let grid = Grid::for_area(study.tx.site, &study.area)?;
    let plan = RadialPlan::for_grid(&grid, study)?;
    Ok((grid, plan))
}

/// Terrain heights along every radial (row `k` = azimuth `360·k/n`).
pub fn radial_profiles(
    tiles: &TileSet,
    study: &Scenario,
    plan: &RadialPlan,
) -> Result<(Vec<Vec<f64>>, usize), CoverageError> {
    let rows: Vec<(Vec<f64>, usize)> = (0..plan.n_radials)
        .into_par_iter()
        .map(|k| {
            let azi = 360.0 * k as f64 / plan.n_radials as f64;
            path::radial_heights(tiles, study.tx.site, azi, plan.step_m, plan.n_points)
        })
        .collect::<Result<_, _>>()?;
    let missing = rows.iter().map(|r| r.1).sum();
    Ok((rows.into_iter().map(|r| r.0).collect(), missing))
}

/// Where a cell's path lies: its radial, the prefix length and the cell's
/// own distance and azimuth.
#[derive(Debug, Clone, Copy)]
struct CellPath {
    /// Index of the cell in the map (row-major).
    idx: u32,
    /// Index of the last radial height of the path.
    m: u32,
    dist_m: f64,
    azi_deg: f64,
}

/// Values of a cell: loss, field strength, received power.
type CellValues = [f32; 3];

/// The geodesics from the transmitter to the centres of row `row`'s cells,
/// west to east.
///
/// On a grid centred on the transmitter (a radius area: an odd number of
/// columns, the transmitter at the centre of the middle one, `half`), the
/// cell in column `half ± j` lies `j·dlon` east or west of the transmitter's
/// meridian, and the geodesic to the eastern one is the western one's
/// mirrored in the meridian: the same distance and negated azimuths, to the
/// bit, as GeographicLib solves for |Δλ| and applies the sign at the end.
/// Only the columns up to the middle are solved there, each from its
/// longitude difference `(col − half)·dlon` (one rounding, where the
/// difference of the two longitudes would round each of them first).
fn row_geodesics(site: GeoPoint, grid: &Grid, row: usize) -> Vec<geodesy::Inverse> {
    let half = grid.width / 2;
    let centred = grid.width % 2 == 1
        && (grid.west_deg + (half as f64 + 0.5) * grid.dlon_deg - site.lon_deg).abs()
            <= 1e-9 * grid.dlon_deg;
    if !centred {
        return (0..grid.width)
            .map(|col| geodesy::inverse(site, grid.centre(row, col)))
            .collect();
    }
    let lat_deg = grid.centre(row, 0).lat_deg;
    let from = GeoPoint::new(site.lat_deg, 0.0);
    let west: Vec<geodesy::Inverse> = (0..=half)
        .map(|col| {
            let dlon_deg = (col as f64 - half as f64) * grid.dlon_deg;
            geodesy::inverse(from, GeoPoint::new(lat_deg, dlon_deg))
        })
        .collect();
    let east = west[..half].iter().rev().map(|g| geodesy::Inverse {
        dist_m: g.dist_m,
        azi1_deg: -g.azi1_deg,
        azi2_deg: -g.azi2_deg,
    });
    west.iter().copied().chain(east).collect()
}

/// Finds the radial `k` and the path of the cell at (`row`, `col`), whose
/// geodesic from the transmitter is `inv`; `None` outside the area.
fn locate(
    study: &Scenario,
    grid: &Grid,
    plan: &RadialPlan,
    (row, col): (usize, usize),
    inv: &geodesy::Inverse,
) -> Option<(usize, CellPath)> {
    if inv.dist_m > grid.max_dist_m {
        return None;
    }
    // The transmitter's own cell is evaluated half a cell from it.
    let dist_m = inv.dist_m.max(0.5 * study.resolution_m());
    let azi_deg = inv.azi1_deg.rem_euclid(360.0);
    let k = ((azi_deg * plan.n_radials as f64 / 360.0).round() as usize) % plan.n_radials;
    let m = ((dist_m / plan.step_m).round() as usize).clamp(1, plan.n_points - 1);
    let idx = u32::try_from(row * grid.width + col).ok()?;
    Some((
        k,
        CellPath {
            idx,
            m: u32::try_from(m).ok()?,
            dist_m,
            azi_deg,
        },
    ))
}

/// The input of the model for `cell` on `radial` (its prefix stretched to
/// the cell's distance).
fn path_input<'a>(
    study: &Scenario,
    radial: &'a [f64],
    m: usize,
    dist_m: f64,
) -> Option<PathInput<'a>> {
    Some(PathInput {
        elevations_m: radial.get(..=m)?,
        step_m: dist_m / m as f64,
        tx_height_m: study.tx.height_agl_m,
        rx_height_m: study.rx_height_m,
        freq_mhz: study.tx.freq.mhz(),
    })
}

/// A cell's field strength and received power from its loss (the antenna
/// pattern at the cell's azimuth and depression).
fn cell_values(
    study: &Scenario,
    input: &PathInput<'_>,
    cell: &CellPath,
    loss_db: f64,
) -> CellValues {
    let tx = &study.tx;
    let depression_deg = -input
        .antenna_height_diff_m()
        .atan2(cell.dist_m)
        .to_degrees();
    let att = tx.pattern.attenuation_db(
        cell.azi_deg - tx.azimuth_deg,
        depression_deg - tx.downtilt_deg,
    );
    let eirp = tx.eirp_dbm - att;
    let freq_mhz = input.freq_mhz;
    [
        loss_db as f32,
        units::field_strength_dbuv_per_m(eirp, loss_db, freq_mhz) as f32,
        (units::received_power_dbm(eirp, loss_db) + study.rx_gain_dbi) as f32,
    ]
}

/// Counts and the first error (smallest cell index) of a part of the map.
#[derive(Debug, Default)]
struct Tally {
    warned: usize,
    failed: usize,
    first_error: Option<(u32, String)>,
}

impl Tally {
    fn add(&mut self, grid: &Grid, cell: &CellPath, r: &Result<PathLoss, String>) {
        match r {
            Ok(l) => self.warned += usize::from(l.warned),
            Err(e) => {
                self.failed += 1;
                if self.first_error.as_ref().is_none_or(|f| cell.idx < f.0) {
                    let (row, col) = (
                        cell.idx as usize / grid.width,
                        cell.idx as usize % grid.width,
                    );
                    self.first_error = Some((cell.idx, format!("cell ({row}, {col}): {e}")));
                }
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        self.warned += other.warned;
        self.failed += other.failed;
        if let Some(o) = other.first_error
            && self.first_error.as_ref().is_none_or(|f| o.0 < f.0)
        {
            self.first_error = Some(o);
        }
    }
}

/// Runs a study: checks its inputs, then radial profiles, then every cell
/// in parallel. Writes nothing: the map is returned.
/// `progress(done, total)` is called as rows (or, in a model's radial mode,
/// radials) finish, from worker threads, in any order.
pub fn run(
    study: &Scenario,
    tiles: &TileSet,
    model: &dyn PathLossModel,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<CoverageMap, CoverageError> {
    study.validate()?;
    model.validate(study)?;
    let (grid, plan) = plan(study)?;
    let (radials, missing) = radial_profiles(tiles, study, &plan)?;
    let n = grid.cells();
    let mut values = vec![[f32::NAN; 3]; n];
    let cells = Cells {
        study,
        grid: &grid,
        plan: &plan,
        radials: &radials,
        model,
    };
    let probe = radials.first().and_then(|r| cells.whole_radial(r));
    let tally = if probe.is_some_and(|p| model.radial(&p).is_some()) {
        cells.by_radials(&mut values, progress)
    } else {
        cells.by_rows(&mut values, progress)
    };
    let mut map = CoverageMap {
        grid,
        loss_db: Vec::with_capacity(n),
        field_strength_dbuv_per_m: Vec::with_capacity(n),
        rx_power_dbm: Vec::with_capacity(n),
        n_radials: plan.n_radials,
        terrain_step_m: plan.step_m,
        missing_terrain_samples: missing,
        warned_cells: tally.warned,
        failed_cells: tally.failed,
        first_model_error: tally.first_error.map(|e| e.1),
        model_name: model.name().to_owned(),
        model_edition: model.edition().to_owned(),
        model_parameters: model.parameters(),
    };
    for [loss, field, power] in values {
        map.loss_db.push(loss);
        map.field_strength_dbuv_per_m.push(field);
        map.rx_power_dbm.push(power);
    }
    Ok(map)
}

/// What the cells of one run share: the study, its grid and radials, the
/// model.
struct Cells<'a> {
    study: &'a Scenario,
    grid: &'a Grid,
    plan: &'a RadialPlan,
    radials: &'a [Vec<f64>],
    model: &'a dyn PathLossModel,
}

impl Cells<'_> {
    /// The model input of a whole radial at its nominal spacing.
    fn whole_radial<'r>(&self, radial: &'r [f64]) -> Option<PathInput<'r>> {
        let last = radial.len().saturating_sub(1);
        path_input(self.study, radial, last, self.plan.step_m * last as f64)
    }

    /// Records the model's answer `r` for `cell` (whose path is `input`):
    /// its values into `v`, its warning or refusal into `tally`.
    fn record(
        &self,
        input: &PathInput<'_>,
        cell: &CellPath,
        r: Result<PathLoss, String>,
        v: &mut CellValues,
        tally: &mut Tally,
    ) {
        if let Ok(l) = &r {
            *v = cell_values(self.study, input, cell, l.loss_db);
        }
        tally.add(self.grid, cell, &r);
    }

    /// One model call per cell, rows in parallel.
    fn by_rows(
        &self,
        values: &mut [CellValues],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Tally {
        let done = AtomicUsize::new(0);
        let tallies: Vec<Tally> = values
            .par_chunks_mut(self.grid.width.max(1))
            .enumerate()
            .map(|(row, out)| {
                let mut tally = Tally::default();
                let geodesics = row_geodesics(self.study.tx.site, self.grid, row);
                for ((col, v), inv) in out.iter_mut().enumerate().zip(&geodesics) {
                    let Some((k, cell)) = locate(self.study, self.grid, self.plan, (row, col), inv)
                    else {
                        continue;
                    };
                    let Some(input) = self
                        .radials
                        .get(k)
                        .and_then(|r| path_input(self.study, r, cell.m as usize, cell.dist_m))
                    else {
                        continue;
                    };
                    self.record(&input, &cell, self.model.loss_db(&input), v, &mut tally);
                }
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, self.grid.height);
                tally
            })
            .collect();
        tallies.into_iter().fold(Tally::default(), |mut a, t| {
            a.merge(t);
            a
        })
    }

    /// The model's radial mode: cells grouped by radial, each radial's cells
    /// in order of distance through one [`super::model::RadialLoss`], radials
    /// in parallel. Each cell's value depends only on its radial, so the map
    /// does not depend on the thread count.
    fn by_radials(
        &self,
        values: &mut [CellValues],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Tally {
        // Cells located by rows, then bucketed by radial (counting sort).
        let located: Vec<Vec<(u32, CellPath)>> = (0..self.grid.height)
            .into_par_iter()
            .map(|row| {
                row_geodesics(self.study.tx.site, self.grid, row)
                    .iter()
                    .enumerate()
                    .filter_map(|(col, inv)| {
                        locate(self.study, self.grid, self.plan, (row, col), inv)
                    })
                    .map(|(k, c)| (k as u32, c))
                    .collect()
            })
            .collect();
        let mut start = vec![0usize; self.plan.n_radials + 1];
        for (k, _) in located.iter().flatten() {
            start[*k as usize + 1] += 1;
        }
        for k in 0..self.plan.n_radials {
            start[k + 1] += start[k];
        }
        let mut next = start.clone();
        let placeholder = CellPath {
            idx: 0,
            m: 0,
            dist_m: 0.0,
            azi_deg: 0.0,
        };
        let mut cells = vec![placeholder; start[self.plan.n_radials]];
        for (k, c) in located.into_iter().flatten() {
            cells[next[k as usize]] = c;
            next[k as usize] += 1;
        }
        let mut buckets: Vec<&mut [CellPath]> = Vec::with_capacity(self.plan.n_radials);
        let mut rest = &mut cells[..];
        for k in 0..self.plan.n_radials {
            let (head, tail) = rest.split_at_mut(start[k + 1] - start[k]);
            buckets.push(head);
            rest = tail;
        }
        let done = AtomicUsize::new(0);
        let results: Vec<(Vec<CellValues>, Tally)> = buckets
            .into_par_iter()
            .enumerate()
            .map(|(k, bucket)| {
                bucket.sort_unstable_by_key(|c| (c.m, c.idx));
                let mut tally = Tally::default();
                let mut out = vec![[f32::NAN; 3]; bucket.len()];
                let radial = self.radials.get(k).map_or(&[][..], Vec::as_slice);
                let mut eval = self
                    .whole_radial(radial)
                    .and_then(|w| self.model.radial(&w));
                for (cell, v) in bucket.iter().zip(out.iter_mut()) {
                    let m = cell.m as usize;
                    let Some(input) = path_input(self.study, radial, m, cell.dist_m) else {
                        continue;
                    };
                    let r = match eval.as_mut() {
                        Some(e) => e.loss_db(m, input.step_m),
                        None => self.model.loss_db(&input),
                    };
                    self.record(&input, cell, r, v, &mut tally);
                }
                progress(
                    done.fetch_add(1, Ordering::Relaxed) + 1,
                    self.plan.n_radials,
                );
                (out, tally)
            })
            .collect();
        let mut tally = Tally::default();
        let mut pos = 0;
        for (out, t) in results {
            let n = out.len();
            for (cell, v) in cells[pos..pos + n].iter().zip(out) {
                values[cell.idx as usize] = v;
            }
            pos += n;
            tally.merge(t);
        }
        tally
    }
}

/// Runs `f` on a rayon pool of `threads` threads (`None` = the global pool,
/// all cores). Results do not depend on the thread count.
pub fn with_threads<R: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> R + Send,
) -> Result<R, CoverageError> {
    match threads {
        None => Ok(f()),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map(|pool| pool.install(f))
            .map_err(|e| CoverageError::Invalid(format!("cannot start {n} threads: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::coverage::Area;

    /// The mirrored eastern half of a centred grid's row is, bit for bit,
    /// what solving each cell from its longitude difference gives, and
    /// within a micrometre and a nanodegree of the geodesic between the
    /// two points' own coordinates; other grids solve every cell.
    #[test]
    fn mirrored_geodesics_are_the_solved_ones() {
        let sites = [(42.8, 74.6), (-33.9, 18.4), (0.0, 0.0), (64.1, -179.99)];
        for (lat, lon) in sites {
            let site = GeoPoint::new(lat, lon);
            let area = Area::Radius {
                radius_km: 2.0,
                resolution_m: 50.0,
            };
            let grid = Grid::for_area(site, &area).unwrap();
            let half = grid.width / 2;
            for row in [0, grid.height / 3, half, grid.height - 1] {
                let got = row_geodesics(site, &grid, row);
                assert_eq!(got.len(), grid.width);
                for (col, g) in got.iter().enumerate() {
                    let c = grid.centre(row, col);
                    let dlon_deg = (col as f64 - half as f64) * grid.dlon_deg;
                    let want = geodesy::inverse(
                        GeoPoint::new(lat, 0.0),
                        GeoPoint::new(c.lat_deg, dlon_deg),
                    );
                    assert_eq!(
                        g.dist_m.to_bits(),
                        want.dist_m.to_bits(),
                        "{site:?} {row} {col}"
                    );
                    assert_eq!(
                        g.azi1_deg.to_bits(),
                        want.azi1_deg.to_bits(),
                        "{site:?} {row} {col}"
                    );
                    let plain = geodesy::inverse(site, c);
                    assert!(
                        (g.dist_m - plain.dist_m).abs() < 1e-6,
                        "{site:?} {row} {col}"
                    );
                    let turn = (g.azi1_deg - plain.azi1_deg).rem_euclid(360.0);
                    assert!(turn.min(360.0 - turn) < 1e-9, "{site:?} {row} {col}");
                }
            }
            let bbox = Area::BoundingBox {
                south_deg: lat - 0.01,
                west_deg: lon - 0.013,
                north_deg: lat + 0.012,
                east_deg: lon + 0.01,
                resolution_m: 100.0,
            };
            let grid = Grid::for_area(site, &bbox).unwrap();
            let got = row_geodesics(site, &grid, 3);
            for (col, g) in got.iter().enumerate() {
                let want = geodesy::inverse(site, grid.centre(3, col));
                assert_eq!(g.dist_m.to_bits(), want.dist_m.to_bits());
            }
        }
    }
}
