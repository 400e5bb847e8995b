//! Coverage benchmarks: terrain profile extraction per km, and a full
//! ~1.5 M-cell ITM map on 2 threads over the synthetic Tian Shan relief
//! (compare with SPLAT!'s published 1.56 M Longley-Rice paths in 15.8 s on one
//! core, ≈ 99 k paths/s/core), and the same map with ITU-R P.1546-6.

#![allow(clippy::unwrap_used)] // test/bench set-up: a failure here is a broken fixture

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use spectrum_core::coverage::{Itm, P1546, Scenario, engine};
use spectrum_core::geodesy::GeoPoint;
use spectrum_core::path;
use spectrum_core::terrain::MissingPolicy;
use spectrum_core::terrain::tileset::TileSet;

fn relief() -> TileSet {
    let source = spectra_study::TerrainSource::SyntheticRelief {
        missing: MissingPolicy::SeaLevel,
    };
    source.open().unwrap().0
}

fn study(radius_km: f64, resolution_m: f64) -> Scenario {
    spectra_study::Study::demo_scenario(radius_km, resolution_m)
}

fn bench(c: &mut Criterion) {
    let tiles = relief();
    let a = GeoPoint::new(42.95, 74.30);
    let b = GeoPoint::new(42.45, 74.95);
    let km = spectrum_core::geodesy::inverse(a, b).dist_m / 1000.0;
    let mut g = c.benchmark_group("coverage");
    g.throughput(Throughput::Elements(km.round() as u64));
    g.bench_function("profile_extraction_per_km_30m_step", |bch| {
        bch.iter(|| path::extract(&tiles, black_box(a), black_box(b), 30.0).unwrap())
    });
    g.finish();

    // Full map: ≈ 1.5 M cells (radius 34.5 km at 50 m: π·690² cells), 2 threads.
    let s = study(34.5, 50.0);
    let model = Itm::default();
    let mut g = c.benchmark_group("coverage_map");
    g.sample_size(10);
    let cells = engine::run(&s, &tiles, &model, &|_, _| {})
        .unwrap()
        .valid_cells();
    g.throughput(Throughput::Elements(cells as u64));
    g.bench_function("itm_exact_1.5M_cells_2_threads", |bch| {
        let exact = Itm {
            exact: true,
            ..Itm::default()
        };
        bch.iter(|| {
            engine::with_threads(Some(2), || {
                engine::run(&s, &tiles, &exact, &|_, _| {}).unwrap()
            })
            .unwrap()
        })
    });
    g.bench_function("itm_1.5M_cells_2_threads", |bch| {
        bch.iter(|| {
            engine::with_threads(Some(2), || {
                engine::run(&s, &tiles, &model, &|_, _| {}).unwrap()
            })
            .unwrap()
        })
    });
    let p1546 = P1546::default();
    g.bench_function("p1546_1.5M_cells_2_threads", |bch| {
        bch.iter(|| {
            engine::with_threads(Some(2), || {
                engine::run(&s, &tiles, &p1546, &|_, _| {}).unwrap()
            })
            .unwrap()
        })
    });
    g.finish();
    // Radial mode (the default) against the exact mode, timed one after the
    // other in the same run, and the deviation of the map, cell by cell.
    let exact = Itm {
        exact: true,
        ..Itm::default()
    };
    let timed = |m: &Itm| {
        let t = Instant::now();
        let map = engine::with_threads(Some(2), || engine::run(&s, &tiles, m, &|_, _| {}).unwrap())
            .unwrap();
        (map, t.elapsed().as_secs_f64())
    };
    let (fast, fast_s) = timed(&model);
    let (slow, slow_s) = timed(&exact);
    let d = spectrum_core::coverage::compare::deviation(&slow, &fast).unwrap();
    let cells = fast.valid_cells() as f64;
    let splat = 1.56e6 / 15.8;
    let (fast_k, slow_k) = (cells / fast_s / 2.0, cells / slow_s / 2.0);
    let report = format!(
        "coverage: {cells} ITM cells on 2 threads: radial mode {fast_s:.2} s = {fast_k:.0} paths/s/core, \
         exact mode {slow_s:.2} s = {slow_k:.0} paths/s/core (radial ÷ exact ×{:.2}; SPLAT! {splat:.0} paths/s/core: \
         radial ×{:.2}, exact ×{:.2})\n\
         radial vs exact: {} cells, {:.4} % within 0.1 dB, {:.2} % equal, p99 {:.4} dB, p99.9 {:.4} dB, \
         worst {:.3} dB at cell {:?}",
        fast_k / slow_k,
        fast_k / splat,
        slow_k / splat,
        d.cells,
        100.0 * d.within_0_1_db,
        100.0 * d.equal,
        d.p99_db,
        d.p99_9_db,
        d.worst_db,
        d.worst_cell,
    );
    black_box(report.len());
    #[allow(clippy::print_stderr)]
    {
        eprintln!("{report}");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
