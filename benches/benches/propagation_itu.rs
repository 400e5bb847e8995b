//! Time per path of ITU-R P.452-18 and P.1812-6 on the ITU-R WP 3M reference
//! profiles (`../shared/data/propagation/p452/profiles`: terrain, clutter and
//! zones), for a trans-horizon time percentage (p < 50 %, so both the median
//! and the β0 diffraction are evaluated).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use spectrum_core::p452::{P452Input, PathCentre, p452};
use spectrum_core::p526::Polarization;
use spectrum_core::p1812::{P1812Input, p1812};
use spectrum_core::profile::PathProfile;

const PROFILES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/propagation/p452/profiles"
);

/// (label, file) of the benchmarked reference profiles.
const CASES: [(&str, &str); 3] = [
    ("mixed_109km", "test_profile_mixed_109km.csv"),
    (
        "rburg_rural_with_clutter",
        "test_profile_rburg_rural_with_clutter.csv",
    ),
    ("b2iseac_eqdist", "test_profile_b2iseac_eqdist.csv"),
];

fn load(file: &str) -> PathProfile {
    let path = Path::new(PROFILES).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    PathProfile::read_csv(text.as_bytes(), file).unwrap_or_else(|e| panic!("{e}"))
}

fn centre() -> PathCentre {
    PathCentre::Endpoints {
        tx_lat_deg: 51.8,
        tx_lon_deg: 0.0,
        rx_lat_deg: 50.8197,
        rx_lon_deg: 0.0,
    }
}

fn bench_p452(c: &mut Criterion) {
    let input = P452Input {
        freq_ghz: 2.0,
        time_pct: 1.0,
        htg_m: 20.0,
        hrg_m: 10.0,
        path_centre: centre(),
        gt_dbi: 10.0,
        gr_dbi: 5.0,
        polarization: Polarization::Vertical,
        dct_km: 500.0,
        dcr_km: 500.0,
        pressure_hpa: 1013.25,
        temperature_c: 15.0,
        dn: 45.0,
        n0: 325.0,
    };
    let mut group = c.benchmark_group("p452");
    for (label, file) in CASES {
        let profile = load(file);
        let name = format!("{label} ({} points)", profile.len());
        group.bench_function(name, |b| {
            b.iter(|| p452(black_box(&input), black_box(&profile)))
        });
    }
    group.finish();
}

fn bench_p1812(c: &mut Criterion) {
    let input = P1812Input::new(0.6, 10.0, 50.0, 10.0, centre(), Polarization::Vertical);
    let mut group = c.benchmark_group("p1812");
    for (label, file) in CASES {
        let profile = load(file);
        let name = format!("{label} ({} points)", profile.len());
        group.bench_function(name, |b| {
            b.iter(|| p1812(black_box(&input), black_box(&profile)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_p452, bench_p1812);
criterion_main!(benches);
