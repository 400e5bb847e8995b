//! NTIA model benchmarks: time per path of ITM point-to-point over the NTIA
//! reference profiles (`pfls.csv`), Extended Hata over a WInnForum reference
//! profile, the three ITU-R P.2108 methods, the ITU-R P.2109 building
//! entry loss and the ITU-R P.676 line-by-line specific attenuation.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use spectrum_core::ehata::{EhataOptions, Environment, extended_hata};
use spectrum_core::itm::{from_pfl, p2p_tls};
use spectrum_core::p2108::{self, ClutterType};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/propagation");

fn pfl_lines(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').filter_map(|t| t.trim().parse().ok()).collect())
        .collect()
}

fn itm(c: &mut Criterion) {
    let text = std::fs::read_to_string(format!("{DATA}/itm/pfls.csv")).unwrap_or_default();
    let pfls = pfl_lines(&text);
    let params = spectra_benches::ntia_bench_params();
    for (i, pfl) in pfls.iter().enumerate() {
        let Ok((z, step)) = from_pfl(pfl) else {
            continue;
        };
        c.bench_function(&format!("itm_p2p_tls/pfl{}_{}pts", i + 1, z.len()), |b| {
            b.iter(|| black_box(p2p_tls(black_box(z), step, &params, 50.0, 50.0, 50.0)))
        });
    }
}

fn ehata(c: &mut Criterion) {
    let name = "53.(From_39.2467_-105.8253_to_39.91_-105.4917)_terrain_profile.csv";
    let text = std::fs::read_to_string(format!("{DATA}/ehata/pfls/{name}")).unwrap_or_default();
    let Some(pfl) = pfl_lines(&text).into_iter().next() else {
        return;
    };
    let Ok((z, step)) = from_pfl(&pfl) else {
        return;
    };
    let options = EhataOptions::default();
    c.bench_function(&format!("ehata/{}pts", z.len()), |b| {
        b.iter(|| {
            black_box(extended_hata(
                black_box(z),
                step,
                1846.0,
                30.0,
                1.5,
                Environment::Urban,
                &options,
            ))
        })
    });
}

fn p2108_methods(c: &mut Criterion) {
    c.bench_function("p2108/height_gain", |b| {
        b.iter(|| {
            black_box(p2108::height_gain_terminal_correction_db(
                black_box(1.5),
                2.0,
                27.0,
                15.0,
                ClutterType::Urban,
            ))
        })
    });
    c.bench_function("p2108/terrestrial", |b| {
        b.iter(|| {
            black_box(p2108::terrestrial_statistical_db(
                black_box(26.6),
                15.8,
                45.0,
            ))
        })
    });
    c.bench_function("p2108/aeronautical", |b| {
        b.iter(|| {
            black_box(p2108::aeronautical_statistical_db(
                black_box(30.0),
                2.0,
                5.0,
            ))
        })
    });
}

fn p2109_loss(c: &mut Criterion) {
    use spectrum_core::p2109::{BuildingClass, building_entry_loss_db};
    c.bench_function("p2109/building_entry_loss", |b| {
        b.iter(|| {
            black_box(building_entry_loss_db(
                black_box(28.0),
                black_box(90.0),
                BuildingClass::ThermallyEfficient,
                black_box(30.0),
            ))
        })
    });
}

fn p676_specific(c: &mut Criterion) {
    c.bench_function("p676/specific_attenuation", |b| {
        b.iter(|| {
            black_box(spectrum_core::p676::specific_attenuation_db_km(
                black_box(60.0),
                black_box(1013.25),
                black_box(7.5),
                black_box(288.15),
            ))
        })
    });
}

criterion_group!(
    benches,
    itm,
    ehata,
    p2108_methods,
    p2109_loss,
    p676_specific
);
criterion_main!(benches);
