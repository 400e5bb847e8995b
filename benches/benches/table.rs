//! Benchmarks of the national table: lookup at a frequency (hot path of
//! assignment checks) and load + validate of the ITU Region 1 table.

use std::hint::black_box;
use std::path::PathBuf;

use allocation_table::load::load;
use allocation_table::validate::validate;
use criterion::{Criterion, criterion_group, criterion_main};

fn itu1() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/allocations/itu1"
    ))
}

fn lookup(c: &mut Criterion) {
    let Ok(loaded) = load(&itu1()) else { return };
    let table = loaded.table;
    // 1024 frequencies spread log-uniformly over 9 kHz - 275 GHz.
    let freqs: Vec<u64> = (0..1024u32)
        .map(|i| (9e3 * (275e9f64 / 9e3).powf(f64::from(i) / 1024.0)) as u64)
        .collect();
    let mut i = 0usize;
    c.bench_function("table/lookup_at_frequency_itu1", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            black_box(table.band_at(black_box(freqs[i])))
        })
    });
    let sample = datasets::ntfa::sample_table().ok();
    if let Some(t) = sample {
        c.bench_function("table/lookup_at_frequency_sample", |b| {
            b.iter(|| {
                i = (i + 1) & 1023;
                black_box(t.band_at(black_box(freqs[i])))
            })
        });
    }
}

fn load_validate(c: &mut Criterion) {
    let path = itu1();
    c.bench_function("table/load_and_validate_itu1", |b| {
        b.iter(|| {
            let l = load(&path).ok()?;
            Some(validate(&l.table, &l.issues).len())
        })
    });
}

criterion_group!(benches, lookup, load_validate);
criterion_main!(benches);
