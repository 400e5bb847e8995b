//! Time per path of ITU-R P.452-18 and P.1812-6 on the ITU-R WP 3M reference
//! profiles (`../shared/data/propagation/p452/profiles`: terrain, clutter and
//! zones), for a trans-horizon time percentage (p < 50 %, so both the median
//! and the β0 diffraction are evaluated); the P.676-13 slant path to space;
//! ITU-R P.528-5 per path and per distance on prepared terminals; ITU-R
//! P.1546-6 per path from its inputs and over a terrain profile.

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

/// ITU-R P.676-13 §2.2.1: sea level to space through the 922 layers (the SG 3
/// example, 28 GHz, 30°).
fn bench_p676_slant(c: &mut Criterion) {
    c.bench_function("p676/slant_path_to_space", |b| {
        b.iter(|| spectrum_core::p676::slant::slant_path(black_box(28.0), 0.0, None, 30.0))
    });
}

/// ITU-R P.528-5: one path from scratch (NTIA's first vector: 600 km, 10 m to
/// 20 km, 3 GHz), and per distance on a prepared pair of terminals, in line
/// of sight (100 km) and beyond the horizon (600 km).
fn bench_p528(c: &mut Criterion) {
    use spectrum_core::p526::Polarization::{Horizontal, Vertical};
    use spectrum_core::p528::{P528Path, p528};
    c.bench_function("p528/one_path", |b| {
        b.iter(|| p528(black_box(600.0), 10.0, 20_000.0, 3000.0, Vertical, 50.0))
    });
    let Ok(path) = P528Path::new(15.0, 10_000.0, 1200.0, Horizontal) else {
        return;
    };
    c.bench_function("p528/prepared_line_of_sight_100km", |b| {
        b.iter(|| path.loss(black_box(100.0), 50.0))
    });
    c.bench_function("p528/prepared_beyond_horizon_600km", |b| {
        b.iter(|| path.loss(black_box(600.0), 50.0))
    });
}

/// ITU-R P.1546-6: a mixed land/warm-sea path needing every interpolation
/// (time 20 %, 900 MHz, h1 = 45 m, 137 km), a short path below 1 km, and a
/// prediction over the 109 km reference profile (h_eff, clearance angles and
/// zones taken from its 1 000 points).
fn bench_p1546(c: &mut Criterion) {
    use spectrum_core::p1546::terrain::ProfileTerminals;
    use spectrum_core::p1546::{P1546Input, RxArea, Zone, p1546};
    let mut mixed = P1546Input::new(
        900.0,
        20.0,
        vec![(Zone::Land, 80.0), (Zone::WarmSea, 57.0)],
        45.0,
        10.0,
        RxArea::Suburban,
    );
    mixed.ha_m = Some(40.0);
    mixed.tca_deg = Some(1.5);
    c.bench_function("p1546/mixed_path_all_interpolations", |b| {
        b.iter(|| p1546(black_box(&mixed)))
    });
    let mut short = P1546Input::new(
        600.0,
        50.0,
        vec![(Zone::Land, 0.4)],
        30.0,
        1.5,
        RxArea::Urban,
    );
    short.ha_m = Some(30.0);
    c.bench_function("p1546/short_path_0.4km", |b| {
        b.iter(|| p1546(black_box(&short)))
    });
    let profile = load("test_profile_mixed_109km.csv");
    let t = ProfileTerminals {
        freq_mhz: 600.0,
        time_pct: 10.0,
        ha_m: 30.0,
        h2_m: 10.0,
        rx_area: RxArea::Rural,
        sea: Zone::ColdSea,
    };
    c.bench_function("p1546/profile_mixed_109km", |b| {
        b.iter(|| P1546Input::from_profile(black_box(&profile), &t).and_then(|i| p1546(&i)))
    });
}

criterion_group!(
    benches,
    bench_p452,
    bench_p1812,
    bench_p676_slant,
    bench_p528,
    bench_p1546
);
criterion_main!(benches);
