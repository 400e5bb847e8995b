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

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::grid::Grid;
use super::model::{PathInput, PathLossModel};
use super::{CoverageError, CoverageMap, Scenario};
use crate::bounds::{self, OutOfBounds};
use crate::geodesy;
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

/// Per-row results before assembly.
struct RowOut {
    loss: Vec<f32>,
    field: Vec<f32>,
    power: Vec<f32>,
    warned: usize,
    failed: usize,
    first_error: Option<String>,
}

/// Runs a study: checks its inputs, then radial profiles, then every cell
/// in parallel by rows. Writes nothing: the map is returned.
/// `progress(done_rows, total_rows)` is called as rows finish (from worker
/// threads, in any order).
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
    let done = AtomicUsize::new(0);
    let rows: Vec<RowOut> = (0..grid.height)
        .into_par_iter()
        .map(|row| {
            let out = compute_row(study, &grid, &plan, &radials, model, row);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, grid.height);
            out
        })
        .collect();
    let n = grid.cells();
    let mut map = CoverageMap {
        grid,
        loss_db: Vec::with_capacity(n),
        field_strength_dbuv_per_m: Vec::with_capacity(n),
        rx_power_dbm: Vec::with_capacity(n),
        n_radials: plan.n_radials,
        terrain_step_m: plan.step_m,
        missing_terrain_samples: missing,
        warned_cells: 0,
        failed_cells: 0,
        first_model_error: None,
        model_name: model.name().to_owned(),
        model_edition: model.edition().to_owned(),
        model_parameters: model.parameters(),
    };
    for r in rows {
        map.loss_db.extend(r.loss);
        map.field_strength_dbuv_per_m.extend(r.field);
        map.rx_power_dbm.extend(r.power);
        map.warned_cells += r.warned;
        map.failed_cells += r.failed;
        if map.first_model_error.is_none() {
            map.first_model_error = r.first_error;
        }
    }
    Ok(map)
}

fn compute_row(
    study: &Scenario,
    grid: &Grid,
    plan: &RadialPlan,
    radials: &[Vec<f64>],
    model: &dyn PathLossModel,
    row: usize,
) -> RowOut {
    let w = grid.width;
    let mut out = RowOut {
        loss: vec![f32::NAN; w],
        field: vec![f32::NAN; w],
        power: vec![f32::NAN; w],
        warned: 0,
        failed: 0,
        first_error: None,
    };
    let tx = &study.tx;
    let freq_mhz = tx.freq.mhz();
    let half_cell_m = 0.5 * study.resolution_m();
    for col in 0..w {
        let c = grid.centre(row, col);
        let inv = geodesy::inverse(tx.site, c);
        if inv.dist_m > grid.max_dist_m {
            continue;
        }
        // The transmitter's own cell is evaluated half a cell from it.
        let dist_m = inv.dist_m.max(half_cell_m);
        let azi = inv.azi1_deg.rem_euclid(360.0);
        let k = ((azi * plan.n_radials as f64 / 360.0).round() as usize) % plan.n_radials;
        let m = ((dist_m / plan.step_m).round() as usize).clamp(1, plan.n_points - 1);
        let Some(prefix) = radials.get(k).and_then(|r| r.get(..=m)) else {
            continue;
        };
        let input = PathInput {
            elevations_m: prefix,
            step_m: dist_m / m as f64,
            tx_height_m: tx.height_agl_m,
            rx_height_m: study.rx_height_m,
            freq_mhz,
        };
        match model.loss_db(&input) {
            Ok(l) => {
                let depression_deg = -input.antenna_height_diff_m().atan2(dist_m).to_degrees();
                let att = tx
                    .pattern
                    .attenuation_db(azi - tx.azimuth_deg, depression_deg - tx.downtilt_deg);
                let eirp = tx.eirp_dbm - att;
                out.loss[col] = l.loss_db as f32;
                out.field[col] = units::field_strength_dbuv_per_m(eirp, l.loss_db, freq_mhz) as f32;
                out.power[col] =
                    (units::received_power_dbm(eirp, l.loss_db) + study.rx_gain_dbi) as f32;
                out.warned += usize::from(l.warned);
            }
            Err(e) => {
                out.failed += 1;
                if out.first_error.is_none() {
                    out.first_error = Some(format!("cell ({row}, {col}): {e}"));
                }
            }
        }
    }
    out
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
