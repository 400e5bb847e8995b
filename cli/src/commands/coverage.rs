//! `spectra coverage` and `spectra profile`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use spectrum_core::coverage::{
    self, AntennaPattern, Area, CoverageMap, FreeSpace, Itm, PathLossModel, Quantity, Study,
    Transmitter,
};
use spectrum_core::geodesy::GeoPoint;
use spectrum_core::terrain::tileset::TileSet;
use spectrum_core::terrain::{GeoRef, MissingPolicy, Raster};

use crate::flags::coverage::{
    CoverageFlags, CoverageModel, MissingFlag, ProfileFlags, QuantityFlag,
};
use crate::output::{Status, note, print_json, print_text};

/// Seed of the synthetic relief used when no DEM is given.
const RELIEF_SEED: u64 = 2024;

/// Parses `LAT,LON`.
fn parse_point(s: &str, what: &str) -> anyhow::Result<GeoPoint> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let [lat, lon] = parts.as_slice() else {
        bail!("{what}: expected LAT,LON in degrees, found {s:?}");
    };
    let p = GeoPoint::new(
        lat.parse()
            .with_context(|| format!("{what}: latitude {lat:?} is not a number"))?,
        lon.parse()
            .with_context(|| format!("{what}: longitude {lon:?} is not a number"))?,
    );
    if !p.is_valid() {
        bail!("{what}: expected latitude within ±90° and longitude within ±180°, found {s:?}");
    }
    Ok(p)
}

/// Parses a comma-separated list of `n` numbers.
fn parse_numbers(s: &str, n: usize, what: &str) -> anyhow::Result<Vec<f64>> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("{what}: expected {n} comma-separated numbers, found {s:?}"))?;
    if v.len() != n {
        bail!(
            "{what}: expected {n} comma-separated numbers, found {}",
            v.len()
        );
    }
    Ok(v)
}

fn policy(m: MissingFlag) -> MissingPolicy {
    match m {
        MissingFlag::Error => MissingPolicy::Error,
        MissingFlag::SeaLevel => MissingPolicy::SeaLevel,
    }
}

/// The synthetic Tian Shan relief around Bishkek as a terrain raster.
pub fn synthetic_relief() -> anyhow::Result<Raster> {
    let g = datasets::relief::tian_shan(RELIEF_SEED, &datasets::relief::ReliefParams::default());
    let georef = GeoRef {
        lat0_deg: g.north_deg,
        lon0_deg: g.west_deg,
        dlat_deg: g.step_deg,
        dlon_deg: g.step_deg,
        margin_cells: 0.0,
    };
    Ok(Raster::from_f32(georef, g.width, g.height, g.heights_m)?)
}

/// Opens the DEM directory, or the synthetic relief; returns the tile set and
/// a description for provenance.
fn open_terrain(dem: Option<&Path>, missing: MissingFlag) -> anyhow::Result<(TileSet, String)> {
    match dem {
        Some(dir) => {
            let set = TileSet::open_dir(dir, policy(missing))
                .with_context(|| format!("opening the DEM directory {}", dir.display()))?;
            Ok((set, dir.display().to_string()))
        }
        None => Ok((
            TileSet::from_rasters(vec![synthetic_relief()?], policy(missing)),
            format!("synthetic Tian Shan relief (datasets::relief, seed {RELIEF_SEED})"),
        )),
    }
}

/// The paths of the three outputs for a prefix.
fn output_paths(prefix: &Path) -> [PathBuf; 3] {
    let with = |ext: &str| {
        let mut s = prefix.as_os_str().to_owned();
        s.push(ext);
        PathBuf::from(s)
    };
    [with(".tif"), with(".png"), with(".parquet")]
}

/// Runs a study and writes the GeoTIFF, PNG and Parquet outputs; returns the
/// map and the written paths.
fn run_and_write(
    study: &Study,
    tiles: &TileSet,
    model: &dyn PathLossModel,
    dem: &str,
    quantity: Quantity,
    prefix: &Path,
    show_progress: bool,
) -> anyhow::Result<(CoverageMap, [PathBuf; 3])> {
    let bar = if show_progress {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} coverage [{bar:40}] {pos}/{len} rows {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let progress = |_done: usize, total: usize| {
        if let Some(pb) = &bar {
            pb.set_length(total as u64);
            pb.inc(1);
        }
    };
    let map = coverage::engine::run(study, tiles, model, &progress)
        .context("computing the coverage map")?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    if let Some(dir) = prefix.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let provenance = map.provenance(study, dem);
    let paths = output_paths(prefix);
    let [tif, png, parquet] = &paths;
    coverage::geotiff_out::write(tif, &map.grid, map.values(quantity), &provenance)?;
    let title = format!(
        "{} — {} MHz, {} dBm EIRP, {} m",
        map.model_name, study.tx.freq_mhz, study.tx.eirp_dbm, study.tx.height_agl_m
    );
    coverage::png::write(png, &map, quantity, study.tx.site, &title)?;
    coverage::table::write_parquet(parquet, &map, &provenance)?;
    Ok((map, paths))
}

/// Runs `spectra coverage`.
pub fn run_coverage(flags: &CoverageFlags) -> anyhow::Result<Status> {
    let site = parse_point(&flags.site, "--site")?;
    let eirp_dbm = match (flags.eirp_dbm, flags.power_dbm, flags.gain_dbi) {
        (Some(e), None, _) => e,
        (None, Some(p), Some(g)) => Transmitter::eirp_dbm_from(p, g, 0.0),
        _ => bail!("expected --eirp-dbm, or --power-dbm with --gain-dbi"),
    };
    let pattern = match &flags.pattern {
        Some(p) => AntennaPattern::read_msi(p)?,
        None => AntennaPattern::omni(),
    };
    let area = match (&flags.radius_km, &flags.bbox) {
        (Some(r), None) => Area::Radius {
            radius_km: *r,
            resolution_m: flags.resolution_m,
        },
        (None, Some(b)) => {
            let v = parse_numbers(b, 4, "--bbox")?;
            Area::BoundingBox {
                south_deg: v[0],
                west_deg: v[1],
                north_deg: v[2],
                east_deg: v[3],
                resolution_m: flags.resolution_m,
            }
        }
        _ => bail!("expected --radius-km or --bbox SOUTH,WEST,NORTH,EAST"),
    };
    let study = Study {
        tx: Transmitter {
            site,
            height_agl_m: flags.height_m,
            freq_mhz: flags.freq_mhz,
            eirp_dbm,
            pattern,
            azimuth_deg: flags.azimuth_deg,
            downtilt_deg: flags.downtilt_deg,
        },
        rx_height_m: flags.rx_height_m,
        rx_gain_dbi: flags.rx_gain_dbi,
        area,
        terrain_step_m: flags.terrain_step_m,
    };
    study.validate()?;
    let model: Box<dyn PathLossModel> = match flags.model {
        CoverageModel::FreeSpace => Box::new(FreeSpace),
        CoverageModel::Hata => Box::new(coverage::Hata::default()),
        CoverageModel::Ehata => Box::new(coverage::Ehata::default()),
        CoverageModel::P1812 => {
            let p = parse_numbers(&flags.p1812_percent, 2, "--p1812-percent")?;
            Box::new(coverage::P1812 {
                time_pct: p[0],
                location_pct: p[1],
                centre_lat_deg: site.lat_deg,
                ..coverage::P1812::default()
            })
        }
        CoverageModel::Itm => {
            let p = parse_numbers(&flags.itm_percent, 3, "--itm-percent")?;
            Box::new(Itm {
                time_pct: p[0],
                location_pct: p[1],
                situation_pct: p[2],
                ..Itm::default()
            })
        }
    };
    let quantity = match flags.quantity {
        QuantityFlag::Field => Quantity::FieldStrength,
        QuantityFlag::Loss => Quantity::Loss,
        QuantityFlag::Power => Quantity::RxPower,
    };
    let (tiles, dem) = open_terrain(flags.dem.as_deref(), flags.missing)?;
    let started = std::time::Instant::now();
    let run = || {
        run_and_write(
            &study,
            &tiles,
            model.as_ref(),
            &dem,
            quantity,
            &flags.out,
            !flags.quiet,
        )
    };
    let (map, paths) = coverage::engine::with_threads(flags.threads, run)??;
    let secs = started.elapsed().as_secs_f64();
    if map.missing_terrain_samples > 0 {
        note(&format!(
            "warning: {} terrain samples had no DEM coverage and used sea level",
            map.missing_terrain_samples
        ));
    }
    if let Some(e) = &map.first_model_error {
        note(&format!(
            "warning: the model refused {} cells; first: {e}",
            map.failed_cells
        ));
    }
    let summary = serde_json::json!({
        "model": map.model_name,
        "model_edition": map.model_edition,
        "cells": map.grid.cells(),
        "computed_cells": map.valid_cells(),
        "width": map.grid.width,
        "height": map.grid.height,
        "radials": map.n_radials,
        "missing_terrain_samples": map.missing_terrain_samples,
        "model_warned_cells": map.warned_cells,
        "model_failed_cells": map.failed_cells,
        "seconds": secs,
        "outputs": paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    });
    if flags.json {
        print_json(&summary)?;
    } else {
        let mut text = format!(
            "{} cells ({} × {}) computed with {} in {secs:.2} s\n",
            map.valid_cells(),
            map.grid.width,
            map.grid.height,
            map.model_edition
        );
        for p in &paths {
            text.push_str(&format!("wrote {}\n", p.display()));
        }
        print_text(&text)?;
    }
    Ok(Status::Ok)
}

/// Runs `spectra profile`.
pub fn run_profile(flags: &ProfileFlags) -> anyhow::Result<Status> {
    let a = parse_point(&flags.from, "first site")?;
    let b = parse_point(&flags.to, "second site")?;
    let (tiles, _) = open_terrain(flags.dem.as_deref(), flags.missing)?;
    let p = spectrum_core::path::extract(&tiles, a, b, flags.step_m)?;
    if p.missing_samples > 0 {
        note(&format!(
            "warning: {} points had no DEM coverage and used sea level",
            p.missing_samples
        ));
    }
    if flags.json {
        print_json(&serde_json::json!({
            "distances_km": p.profile.distances_km,
            "heights_m": p.profile.heights_m,
            "lats": p.lats,
            "lons": p.lons,
        }))?;
    } else {
        let mut text = format!(
            "# {:.3} km, azimuth {:.2}°, {} points\n# distance_km\theight_m\tlat_deg\tlon_deg\n",
            p.dist_m / 1000.0,
            p.azimuth_deg.rem_euclid(360.0),
            p.profile.len()
        );
        for i in 0..p.profile.len() {
            text.push_str(&format!(
                "{:.4}\t{:.1}\t{:.6}\t{:.6}\n",
                p.profile.distances_km[i], p.profile.heights_m[i], p.lats[i], p.lons[i]
            ));
        }
        print_text(&text)?;
    }
    Ok(Status::Ok)
}

/// The demo study: a UHF broadcast transmitter on the foothills south of
/// Bishkek, ITM over the synthetic Tian Shan relief, 25 km at 100 m.
pub fn demo_study() -> Study {
    Study {
        tx: Transmitter {
            site: GeoPoint::new(42.80, 74.60),
            height_agl_m: 60.0,
            freq_mhz: 600.0,
            eirp_dbm: 70.0,
            pattern: AntennaPattern::omni(),
            azimuth_deg: 0.0,
            downtilt_deg: 0.0,
        },
        rx_height_m: 10.0,
        rx_gain_dbi: 0.0,
        area: Area::Radius {
            radius_km: 25.0,
            resolution_m: 100.0,
        },
        terrain_step_m: None,
    }
}

/// The coverage part of `spectra demo`: writes its outputs under `out_dir`
/// and returns one line per output for the demo's summary.
pub fn demo(out_dir: &Path) -> anyhow::Result<Vec<String>> {
    let study = demo_study();
    let (tiles, dem) = open_terrain(None, MissingFlag::SeaLevel)?;
    let prefix = out_dir.join("coverage_bishkek");
    let (map, paths) = run_and_write(
        &study,
        &tiles,
        &Itm::default(),
        &dem,
        Quantity::FieldStrength,
        &prefix,
        false,
    )?;
    let [tif, png, parquet] = paths;
    Ok(vec![
        format!(
            "{}: field strength GeoTIFF (EPSG:4326, {} × {} cells, ITM on the synthetic Tian Shan relief)",
            tif.display(),
            map.grid.width,
            map.grid.height
        ),
        format!(
            "{}: coverage map with colour scale and legend",
            png.display()
        ),
        format!(
            "{}: {} cells (lat, lon, loss, field strength, received power)",
            parquet.display(),
            map.valid_cells()
        ),
    ])
}
