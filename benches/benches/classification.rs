//! Registry classification benchmarks (issue 14): the sightings of one
//! window gathered, sorted and grouped by IMEI from monthly day masks
//! ([`Sightings`], what `spectra registry classify` does with the rows it
//! reads) and the evaluation of the conditions over every IMEI
//! ([`classification::run`]), on synthetic IMEIs — most on one SIM, every
//! 200th a clone on 12. The end-to-end run
//! against the same classification in DuckDB SQL is
//! `benches/lifecycle_e2e.sh`.

use std::collections::BTreeMap;
use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imei_core::classification::{self, Observed};
use imei_core::conditions::Conditions;
use imei_core::dimensions::{Listed, Window};
use imei_core::sightings::Sightings;

const IMEIS: u64 = 1 << 20;

/// The conditions of `benches/lifecycle_e2e.sh`.
const CONDITIONS: &str = include_str!("../lifecycle_conditions.toml");

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Every IMEI's (IMSI pseudonym, day mask) sightings of October.
fn sightings() -> Vec<(String, Vec<(String, u32)>)> {
    (0..IMEIS)
        .map(|i| {
            let sims = if i % 200 == 0 { 12 } else { 1 };
            let subs = (0..sims)
                .map(|s| {
                    let h = splitmix(i * 16 + s);
                    (format!("n1:{h:064x}"), (h as u32) & 0x7FFF_FFFF)
                })
                .collect();
            (format!("356938{i:08}"), subs)
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let date = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default();
    let window = Window::new(date, 30);
    let data = sightings();
    let rows: u64 = data.iter().map(|(_, s)| s.len() as u64).sum();
    let windows = [(30, window)];
    let gathered = || {
        let mut s = Sightings::default();
        for (imei, subs) in &data {
            for (imsi, mask) in subs {
                s.add(imei, imsi, 202_610, *mask);
            }
        }
        s
    };
    let build = || -> Vec<Observed> {
        let mut out = Vec::with_capacity(data.len());
        gathered().for_each_imei(&windows, |imei, per| {
            let i = out.len();
            let listed = Listed {
                registered: i % 10 != 0,
                tac_known: i % 100 != 0,
                ..Listed::default()
            };
            out.push((imei.to_string(), listed, per.clone()));
        });
        out
    };
    let mut g = c.benchmark_group("classification");
    g.throughput(Throughput::Elements(rows));
    g.bench_function("sightings grouped by IMEI from day masks, 1 M IMEIs", |b| {
        b.iter(|| {
            let mut imsis = 0u64;
            gathered().for_each_imei(&windows, |_, per| {
                imsis += u64::from(per.get(&30).map_or(0, |s| s.distinct_imsis()));
            });
            black_box(imsis)
        })
    });
    let Ok(conditions) = Conditions::parse(CONDITIONS, "bench.toml") else {
        return;
    };
    let observed = build();
    let open = BTreeMap::new();
    g.throughput(Throughput::Elements(IMEIS));
    g.bench_function("conditions over 1 M IMEIs", |b| {
        b.iter(|| {
            classification::run(&conditions, date, black_box(&observed), &open)
                .map(|o| o.decisions.len())
                .unwrap_or(0)
        })
    });
    g.finish();
}

criterion_group! {
    name = classification_benches;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(classification_benches);
