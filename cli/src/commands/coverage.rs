//! `spectra coverage` and `spectra profile`: flags → validated
//! [`spectra_study::Study`] → [`Study::run`] → [`outputs::write_all`].

use std::path::Path;

use anyhow::{Context, anyhow, bail};
use spectra_study::{ModelChoice, Study, StudyError, TerrainSource, outputs};
use spectrum_core::bounds::OutOfBounds;
use spectrum_core::coverage::{
    AntennaPattern, Area, CoverageError, Ehata, Hata, Itm, P1546, P1812, Quantity, Scenario,
    Transmitter,
};
use spectrum_core::geodesy::GeoPoint;
use spectrum_core::path::PathError;

use crate::flags::coverage::{
    CoverageFlags, CoverageModel, MissingFlag, ProfileFlags, QuantityFlag,
};
use crate::output::{Status, note, print_json, print_text};

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

/// The DEM directory, or the synthetic relief.
fn terrain(dem: Option<&Path>, missing: MissingFlag) -> TerrainSource {
    match dem {
        Some(dir) => TerrainSource::Dem {
            dir: dir.to_path_buf(),
            missing: missing.into(),
        },
        None => TerrainSource::SyntheticRelief {
            missing: missing.into(),
        },
    }
}

/// The flag that sets a library field (`height_agl_m` → `--height-m`).
fn flag_of(field: &str) -> &'static str {
    match field.split(' ').next().unwrap_or(field) {
        "site" => "--site",
        "height_agl_m" => "--height-m",
        "rx_height_m" => "--rx-height-m",
        "freq" => "--freq-mhz",
        "eirp_dbm" => "--eirp-dbm (or --power-dbm + --gain-dbi)",
        "rx_gain_dbi" => "--rx-gain-dbi",
        "azimuth_deg" => "--azimuth-deg",
        "downtilt_deg" => "--downtilt-deg",
        "radius_km" => "--radius-km",
        "resolution_m" => "--resolution-m",
        "bbox" => "--bbox",
        "terrain_step_m" => "--terrain-step-m",
        "threads" => "--threads",
        "cells" => "--radius-km / --bbox / --resolution-m",
        f if f.starts_with("itm.") => "--itm-percent",
        f if f.starts_with("p1812.") => "--p1812-percent",
        f if f.starts_with("p1546.") => "--p1546-percent",
        "step_m" => "--step-m",
        "from" => "first site",
        "to" => "second site",
        _ => "input",
    }
}

/// An out-of-bounds error prefixed with the flag that sets the field.
fn flag_error(e: &OutOfBounds) -> anyhow::Error {
    anyhow!("{}: {e}", flag_of(e.field))
}

/// A study error, naming the flag when an input is out of bounds.
fn study_error(e: StudyError) -> anyhow::Error {
    let named = match &e {
        StudyError::OutOfBounds(b) | StudyError::Coverage(CoverageError::OutOfBounds(b)) => {
            Some(flag_error(b))
        }
        _ => None,
    };
    named.unwrap_or_else(|| anyhow::Error::new(e))
}

/// Turns the flags into a validated study.
fn study_of(flags: &CoverageFlags) -> anyhow::Result<Study> {
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
    let model = match flags.model {
        CoverageModel::FreeSpace => ModelChoice::FreeSpace,
        CoverageModel::Hata => ModelChoice::Hata(Hata::default()),
        CoverageModel::Ehata => ModelChoice::Ehata(Ehata::default()),
        CoverageModel::P1812 => {
            let p = parse_numbers(&flags.p1812_percent, 2, "--p1812-percent")?;
            ModelChoice::P1812(P1812 {
                time_pct: p[0],
                location_pct: p[1],
                centre_lat_deg: site.lat_deg,
                ..P1812::default()
            })
        }
        CoverageModel::P1546 => {
            let p = parse_numbers(&flags.p1546_percent, 2, "--p1546-percent")?;
            ModelChoice::P1546(P1546 {
                time_pct: p[0],
                location_pct: p[1],
                rx_area: flags.p1546_area.into(),
                ..P1546::default()
            })
        }
        CoverageModel::Itm => {
            let p = parse_numbers(&flags.itm_percent, 3, "--itm-percent")?;
            ModelChoice::Itm(Itm {
                time_pct: p[0],
                location_pct: p[1],
                situation_pct: p[2],
                exact: flags.itm_exact,
                ..Itm::default()
            })
        }
    };
    let study = Study {
        scenario: Scenario {
            tx: Transmitter {
                site,
                height_agl_m: flags.height_m,
                freq: flags.freq,
                eirp_dbm,
                pattern,
                azimuth_deg: flags.azimuth_deg,
                downtilt_deg: flags.downtilt_deg,
            },
            rx_height_m: flags.rx_height_m,
            rx_gain_dbi: flags.rx_gain_dbi,
            area,
            terrain_step_m: flags.terrain_step_m,
        },
        model,
        terrain: terrain(flags.dem.as_deref(), flags.missing),
        threads: flags.threads,
    };
    study.validate().map_err(study_error)?;
    Ok(study)
}

/// Studies of at least this many cells are announced on stderr with their
/// size before they start.
const LONG_STUDY_CELLS: usize = 1_000_000;

/// Runs `spectra coverage`.
pub fn run_coverage(flags: &CoverageFlags) -> anyhow::Result<Status> {
    let study = study_of(flags)?;
    let quantity = match flags.quantity {
        QuantityFlag::Field => Quantity::FieldStrength,
        QuantityFlag::Loss => Quantity::Loss,
        QuantityFlag::Power => Quantity::RxPower,
    };
    let size = study.size().map_err(study_error)?;
    if size.cells >= LONG_STUDY_CELLS {
        note(&format!(
            "note: a large study: {} cells ({} × {}), one {} evaluation each, over {} radials of {} terrain samples in all",
            size.cells,
            size.width,
            size.height,
            study.model.as_model().name(),
            size.radials,
            size.terrain_samples
        ));
    }
    let started = std::time::Instant::now();
    let bar = if flags.quiet {
        None
    } else {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} coverage [{bar:40}] {percent} % {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(pb)
    };
    let progress = |_done: usize, total: usize| {
        if let Some(pb) = &bar {
            pb.set_length(total as u64);
            pb.inc(1);
        }
    };
    let result = study
        .run(&progress)
        .map_err(study_error)
        .context("computing the coverage map")?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    let paths = outputs::write_all(&result, &study, quantity, &flags.out)?;
    let secs = started.elapsed().as_secs_f64();
    let map = &result.map;
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
    let (tiles, _) = terrain(flags.dem.as_deref(), flags.missing)
        .open()
        .map_err(anyhow::Error::new)?;
    let p = spectrum_core::path::extract(&tiles, a, b, flags.step_m).map_err(|e| match e {
        PathError::OutOfBounds(b) => flag_error(&b),
        e => anyhow::Error::new(e),
    })?;
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

/// The coverage part of `spectra demo`: writes its outputs under `out_dir`
/// and returns one line per output for the demo's summary.
pub fn demo(out_dir: &Path) -> anyhow::Result<Vec<String>> {
    let study = Study::demo();
    let result = study.run(&|_, _| {}).map_err(study_error)?;
    let prefix = out_dir.join("coverage_bishkek");
    let [tif, png, parquet] =
        outputs::write_all(&result, &study, Quantity::FieldStrength, &prefix)?;
    let map = &result.map;
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
