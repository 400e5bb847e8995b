//! IMEI registry benchmarks: identity parse/classify, index lookup and the
//! per-row bulk check (classify + TAC + registry lookup + verdict columns) on
//! an in-memory batch of synthetic check rows. The end-to-end file benchmark
//! against DuckDB SQL is `benches/imei_e2e.sh`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use datasets::imei::{CheckSpec, RegistrySpec, TacMix, registry_device, write_check_csv};
use imei_core::check::VerdictBuilder;
use imei_core::tac::{TacDb, TacRecord};
use imei_core::verdict::pack;
use imei_core::{CheckContext, DeviceStatus, ReasonMask, RegistryIndex, classify};

const ROWS: u64 = 1 << 20;
const DEVICES: u64 = 1_000_000;

struct Data {
    values: Vec<String>,
    index: RegistryIndex,
    tacs: TacDb,
    keys: Vec<u64>,
}

fn data() -> Data {
    let mix = TacMix::builtin();
    let reg = RegistrySpec::new(DEVICES, 7);
    let mut csv = Vec::new();
    let _ = write_check_csv(&CheckSpec::new(ROWS, 8), &reg, &mix, &mut csv, &|_| {});
    let text = String::from_utf8_lossy(&csv);
    let values: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| l.rsplit_once(',').map_or(l, |(v, _)| v).to_string())
        .collect();
    let pairs: Vec<(u64, u16)> = (0..DEVICES)
        .map(|i| {
            let (k, st, _) = registry_device(&reg, &mix, i);
            let s = match st {
                datasets::imei::SynthStatus::White => DeviceStatus::White,
                datasets::imei::SynthStatus::Grey => DeviceStatus::Grey,
                datasets::imei::SynthStatus::Black => DeviceStatus::Black,
            };
            (k, pack(s, ReasonMask(0)))
        })
        .collect();
    let keys: Vec<u64> = values.iter().filter_map(|v| classify(v).key).collect();
    let tacs = TacDb::from_records(mix.entries().iter().map(|e| TacRecord {
        tac: e.tac,
        manufacturer: e.manufacturer.clone(),
        model: e.model.clone(),
        source: "bench".into(),
        extra: Default::default(),
    }));
    Data {
        values,
        index: RegistryIndex::from_pairs(pairs),
        tacs,
        keys,
    }
}

fn benches(c: &mut Criterion) {
    let d = data();
    let mut g = c.benchmark_group("imei");
    g.throughput(Throughput::Elements(d.values.len() as u64));
    g.bench_function("classify_1M", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for v in &d.values {
                n += u64::from(classify(black_box(v)).is_well_formed());
            }
            n
        })
    });
    g.throughput(Throughput::Elements(d.keys.len() as u64));
    g.bench_function("index_lookup_hash_1M_in_1M", |b| {
        b.iter(|| {
            d.keys
                .iter()
                .filter(|&&k| d.index.get_packed(black_box(k)).is_some())
                .count()
        })
    });
    g.bench_function("index_lookup_binary_search_1M_in_1M", |b| {
        b.iter(|| {
            d.keys
                .iter()
                .filter(|&&k| d.index.get_sorted(black_box(k)).is_some())
                .count()
        })
    });
    g.throughput(Throughput::Elements(d.values.len() as u64));
    g.bench_function("verdict_batch_1M_single_thread", |b| {
        let ctx = CheckContext {
            findings: None,
            index: &d.index,
            tacs: Some(&d.tacs),
        };
        b.iter(|| {
            let mut vb = VerdictBuilder::new(ctx, d.values.len());
            for (i, v) in d.values.iter().enumerate() {
                vb.push(i as u64, Some(v.as_bytes()));
            }
            vb.finish().2.blocked
        })
    });
    g.finish();
}

criterion_group! {
    name = imei;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(imei);
