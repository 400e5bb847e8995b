//! Times one coverage map (the `coverage` bench's map: ≈ 1.5 M ITM cells over
//! the synthetic Tian Shan relief) outside Criterion, for profiling and A/B
//! runs of two builds.
//!
//! Usage: `coverage_driver MODE THREADS ROUNDS [OUT [KM:M]]` with `MODE` one of
//! `radial` (the default mode of maps), `exact`, or `both` (radial then
//! exact, and the radial map's deviation from the exact one). Prints one line
//! per round: the mode, the seconds and the paths per second per thread.
//! With `OUT`, writes the last map's losses there (little-endian `f32`, row
//! by row; `both` writes the radial map), to compare two builds' maps.
//! `KM:M` changes the map's radius and resolution (default `34.5:50`; the
//! demo's is `25:100`).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::time::Instant;

use spectra_study::TerrainSource;
use spectrum_core::coverage::{Itm, engine};
use spectrum_core::terrain::MissingPolicy;
use spectrum_core::terrain::tileset::TileSet;

/// The studies' synthetic Tian Shan relief (as the `coverage` bench's).
fn relief() -> Result<TileSet, String> {
    let source = TerrainSource::SyntheticRelief {
        missing: MissingPolicy::SeaLevel,
    };
    source
        .open()
        .map(|(tiles, _)| tiles)
        .map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let usage = || {
        eprintln!("usage: coverage_driver radial|exact|both THREADS ROUNDS [OUT [KM:M]]");
        ExitCode::from(2)
    };
    let (mode, threads, rounds, out, area) = match args.as_slice() {
        [_, m, t, r] => (m, t, r, None, None),
        [_, m, t, r, o] => (m, t, r, Some(o), None),
        [_, m, t, r, o, a] => (m, t, r, Some(o), Some(a)),
        _ => return usage(),
    };
    let (radius_km, resolution_m) = match area.map(|a| a.split_once(':')) {
        None => (34.5, 50.0),
        Some(Some((km, m))) => match (km.parse::<f64>(), m.parse::<f64>()) {
            (Ok(km), Ok(m)) => (km, m),
            _ => return usage(),
        },
        Some(None) => return usage(),
    };
    let (Ok(threads), Ok(rounds)) = (threads.parse::<usize>(), rounds.parse::<usize>()) else {
        return usage();
    };
    let modes: &[bool] = match mode.as_str() {
        "radial" => &[false],
        "exact" => &[true],
        "both" => &[false, true],
        _ => return usage(),
    };
    let tiles = match relief() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("relief: {e}");
            return ExitCode::from(1);
        }
    };
    let study = spectra_study::Study::demo_scenario(radius_km, resolution_m);
    let mut last = Vec::new();
    for _ in 0..rounds {
        let mut maps = Vec::new();
        for &exact in modes {
            let model = Itm {
                exact,
                ..Itm::default()
            };
            let t = Instant::now();
            let map = engine::with_threads(Some(threads), || {
                engine::run(&study, &tiles, &model, &|_, _| {})
            });
            let map = match map {
                Ok(Ok(m)) => m,
                Ok(Err(e)) => {
                    eprintln!("coverage: {e}");
                    return ExitCode::from(1);
                }
                Err(e) => {
                    eprintln!("threads: {e}");
                    return ExitCode::from(1);
                }
            };
            let s = t.elapsed().as_secs_f64();
            let cells = map.valid_cells() as f64;
            let name = if exact { "exact" } else { "radial" };
            println!(
                "{name} {s:.3} s {:.0} paths/s/thread",
                cells / s / threads as f64
            );
            maps.push(map);
        }
        if let [fast, slow] = maps.as_slice() {
            match spectrum_core::coverage::compare::deviation(slow, fast) {
                Some(d) => println!(
                    "radial vs exact: {} cells, {:.4} % within 0.1 dB, {:.4} % equal, p99.9 {:.4} dB, worst {:.3} dB at {:?}",
                    d.cells,
                    100.0 * d.within_0_1_db,
                    100.0 * d.equal,
                    d.p99_9_db,
                    d.worst_db,
                    d.worst_cell
                ),
                None => eprintln!("deviation: the maps have different grids"),
            }
        }
        if let Some(first) = maps.into_iter().next() {
            last = first.loss_db;
        }
    }
    if let Some(out) = out {
        let bytes: Vec<u8> = last.iter().flat_map(|v| v.to_le_bytes()).collect();
        if let Err(e) = std::fs::write(out, bytes) {
            eprintln!("{out}: {e}");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
