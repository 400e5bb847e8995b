//! Benchmarks of the station register: import of a generated national
//! register (CSV and Parquet) and its compliance check against the sample
//! national table. Size: `SPECTRA_BENCH_ASSIGNMENTS` (default 1 000 000).
//! The R-tree against a linear scan is `cargo bench -p spectra-stations
//! --bench index`.

use std::hint::black_box;

use allocation_table::publish::Audience;
use criterion::{Criterion, criterion_group, criterion_main};
use stations::read::read_register;
use stations::register::ProtectionDefaults;
use stations::write::{register_batch, write_batch};

fn register(c: &mut Criterion) {
    let n: usize = std::env::var("SPECTRA_BENCH_ASSIGNMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let Ok(reg) = datasets::stations::generate(&datasets::stations::StationParams {
        seed: 2026,
        assignments: n,
        nonconforming_share: 0.02,
    }) else {
        return;
    };
    let Ok(table) = datasets::ntfa::sample_table() else {
        return;
    };
    let Ok(dir) = tempfile::tempdir() else { return };
    let Ok(batch) = register_batch(&reg) else {
        return;
    };
    let mut group = c.benchmark_group(format!("stations/{n}"));
    group.sample_size(10);
    for ext in ["csv", "parquet"] {
        let path = dir.path().join(format!("register.{ext}"));
        if write_batch(&path, &batch, &tabular::Provenance::new("bench")).is_err() {
            return;
        }
        group.bench_function(format!("import_{ext}"), |b| {
            b.iter(|| {
                read_register(black_box(&path), None, &ProtectionDefaults::default())
                    .map(|r| r.len())
                    .unwrap_or(0)
            })
        });
    }
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    group.bench_function("compliance", |b| {
        b.iter(|| {
            stations::compliance::check(&table, black_box(&reg), date, Audience::Internal)
                .findings
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, register);
criterion_main!(benches);
