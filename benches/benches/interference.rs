//! Benchmarks of aggregate interference over a generated national register
//! (`datasets::stations`): every receiver a victim of every transmitter
//! within the cutoff, free space and P.452-18 over the synthetic Tian Shan
//! relief; and candidates from the R-tree against a brute-force scan for the
//! first 500 victims at 10 k and 100 k assignments.
//! Sizes: `SPECTRA_BENCH_REGISTER` (default 100 000).

#![allow(clippy::print_stderr)] // the bench reports its pair counts beside Criterion's times

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use interference::aggregate::{Config, Cutoffs, aggregate, aggregate_brute_force};
use interference::pathloss::Sampling;
use spectrum_core::coverage::{FreeSpace, P452};
use spectrum_core::terrain::MissingPolicy;
use spectrum_core::terrain::tileset::TileSet;
use stations::register::Register;

fn register(n: usize) -> Option<Register> {
    datasets::stations::generate(&datasets::stations::StationParams {
        seed: 2026,
        assignments: n,
        nonconforming_share: 0.0,
    })
    .ok()
}

fn config(terrain: Option<&TileSet>) -> Config<'_> {
    Config {
        cutoffs: Cutoffs::default(),
        guard_hz: 0,
        sampling: Sampling {
            terrain,
            step_m: 100.0,
        },
        same_operator: false,
        default_noise_figure_db: 5.0,
        masks: BTreeMap::new(),
        patterns: BTreeMap::new(),
    }
}

fn whole_register(c: &mut Criterion) {
    let n: usize = std::env::var("SPECTRA_BENCH_REGISTER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let Some(reg) = register(n) else { return };
    let mut group = c.benchmark_group(format!("interference/{n}"));
    group.sample_size(10);
    let cfg = config(None);
    let pairs = aggregate(&FreeSpace, &cfg, &reg, &reg, false).pairs;
    eprintln!("{n} assignments: {pairs} pairs (free space, default cutoffs)");
    group.bench_function("aggregate_free_space", |b| {
        b.iter(|| {
            aggregate(&FreeSpace, black_box(&cfg), &reg, &reg, false)
                .victims
                .len()
        })
    });
    let Ok(relief) = spectra_study::terrain::synthetic_relief() else {
        return;
    };
    let tiles = TileSet::from_rasters(vec![relief], MissingPolicy::SeaLevel);
    let mut cfg = config(Some(&tiles));
    cfg.cutoffs.override_km = Some(30.0);
    let p452 = P452::default();
    let pairs = aggregate(&p452, &cfg, &reg, &reg, false).pairs;
    eprintln!("{n} assignments: {pairs} pairs (P.452 on terrain, 30 km cutoff)");
    group.bench_function("aggregate_p452_terrain_30km", |b| {
        b.iter(|| {
            aggregate(&p452, black_box(&cfg), &reg, &reg, false)
                .victims
                .len()
        })
    });
    group.finish();
}

fn candidates(c: &mut Criterion) {
    let mut group = c.benchmark_group("interference/candidates_100_victims");
    group.sample_size(10);
    for n in [10_000, 100_000] {
        let Some(reg) = register(n) else { return };
        let victims = Register::new(
            reg.assignments
                .iter()
                .filter(|a| a.station.direction.receives())
                .take(100)
                .cloned()
                .collect(),
        );
        let cfg = config(None);
        group.bench_function(format!("r_tree_{n}"), |b| {
            b.iter(|| aggregate(&FreeSpace, black_box(&cfg), &reg, &victims, false).pairs)
        });
        group.bench_function(format!("brute_force_{n}"), |b| {
            b.iter(|| {
                aggregate_brute_force(&FreeSpace, black_box(&cfg), &reg, &victims, false).pairs
            })
        });
    }
    group.finish();
}

fn montecarlo(c: &mut Criterion) {
    use interference::montecarlo::{HANDBOOK_SCENARIO, Scenario, run};
    let Ok(mut scenario) = Scenario::parse(HANDBOOK_SCENARIO, "seamcat-handbook.toml") else {
        return;
    };
    scenario.simulation.events = 10_000;
    c.bench_function("interference/montecarlo_handbook_10000_events", |b| {
        b.iter(|| run(black_box(&scenario)).map(|o| o.n_events).unwrap_or(0))
    });
}

criterion_group!(benches, whole_register, candidates, montecarlo);
criterion_main!(benches);
