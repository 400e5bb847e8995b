//! The spatial index of stations against the linear scan: radius queries
//! around Bishkek over seeded pseudo-random sites in Kyrgyzstan, and the
//! build time of the index, at several register sizes.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use stations::index::{IndexedSite, StationIndex, within_km_linear};

/// Register sizes (the small ones locate the crossover).
const SIZES: [usize; 6] = [10, 100, 1_000, 10_000, 100_000, 1_000_000];
/// Bishkek.
const CENTRE: (f64, f64) = (42.8746, 74.5698);
/// Query radii, km.
const RADII_KM: [f64; 2] = [10.0, 50.0];

/// `n` pseudo-random sites over Kyrgyzstan (39.2–43.3° N, 69.2–80.3° E) with
/// bands in 30 MHz – 6 GHz (a 64-bit LCG: deterministic, no dependency).
fn sites(n: usize) -> Vec<IndexedSite> {
    let mut state: u64 = 0x5EC7_0A11_u64 ^ n as u64;
    let mut unit = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let lat = 39.2 + 4.1 * unit();
            let lon = 69.2 + 11.1 * unit();
            let lo = (30e6 + (6e9 - 30e6) * unit()) as u64;
            let width = (12_500.0 + 40e6 * unit()) as u64;
            IndexedSite::new(lat, lon, lo, (lo + width).min(6_000_000_000))
        })
        .collect()
}

/// Short runs for the large registers.
fn tune(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, n: usize) {
    if n >= 100_000 {
        group.sample_size(10);
        group.sampling_mode(SamplingMode::Flat);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(2));
    } else {
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(2));
    }
}

fn radius(c: &mut Criterion) {
    for n in SIZES {
        let points = sites(n);
        let index = StationIndex::from_points(points.iter().copied());
        let mut group = c.benchmark_group(format!("radius/{n}"));
        tune(&mut group, n);
        for r in RADII_KM {
            let label = format!("{r}km");
            group.bench_with_input(BenchmarkId::new("index", &label), &r, |b, &r| {
                b.iter(|| index.within_km(black_box(CENTRE.0), black_box(CENTRE.1), r, None))
            });
            group.bench_with_input(BenchmarkId::new("linear", &label), &r, |b, &r| {
                b.iter(|| {
                    within_km_linear(&points, black_box(CENTRE.0), black_box(CENTRE.1), r, None)
                })
            });
        }
        group.finish();
    }
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    for n in SIZES {
        let points = sites(n);
        tune(&mut group, n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &points, |b, points| {
            b.iter(|| StationIndex::from_points(points.iter().copied()))
        });
    }
    group.finish();
}

criterion_group!(benches, radius, build);
criterion_main!(benches);
