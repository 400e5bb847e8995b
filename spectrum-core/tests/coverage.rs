//! Coverage engine: flat terrain against the models cell by cell,
//! determinism across thread counts (the outputs are tested in `spectra-study`).

#![allow(clippy::unwrap_used)] // test/bench set-up: a failure here is a broken fixture

use std::sync::LazyLock;

use spectrum_core::coverage::{
    self, AntennaPattern, Area, CoverageMap, FreeSpace, Itm, Scenario, Transmitter, engine,
};
use spectrum_core::geodesy::{self, GeoPoint};
use spectrum_core::itm::{self, ItmParams};
use spectrum_core::p525::free_space_loss_db;
use spectrum_core::terrain::tileset::TileSet;
use spectrum_core::terrain::{GeoRef, MissingPolicy, Raster};
use spectrum_core::units::{self, Frequency};

const FLAT_M: f32 = 500.0;

/// A flat 500 m plateau around Bishkek.
static FLAT: LazyLock<TileSet> = LazyLock::new(|| {
    let g = GeoRef {
        lat0_deg: 43.5,
        lon0_deg: 74.0,
        dlat_deg: 0.01,
        dlon_deg: 0.01,
        margin_cells: 0.0,
    };
    let r = Raster::from_f32(g, 121, 121, vec![FLAT_M; 121 * 121]).unwrap();
    TileSet::from_rasters(vec![r], MissingPolicy::Error)
});

fn study(radius_km: f64, resolution_m: f64) -> Scenario {
    Scenario {
        tx: Transmitter {
            site: GeoPoint::new(42.87, 74.59),
            height_agl_m: 30.0,
            freq: Frequency::from_hz(900_000_000),
            eirp_dbm: 60.0,
            pattern: AntennaPattern::omni(),
            azimuth_deg: 0.0,
            downtilt_deg: 0.0,
        },
        rx_height_m: 1.5,
        rx_gain_dbi: 0.0,
        area: Area::Radius {
            radius_km,
            resolution_m,
        },
        terrain_step_m: None,
    }
}

fn run(s: &Scenario, model: &dyn coverage::PathLossModel) -> CoverageMap {
    engine::run(s, &FLAT, model, &|_, _| {}).unwrap()
}

/// The path a cell is evaluated on: distance (half a cell at least) and the
/// number of intervals of its radial prefix.
fn cell_path(s: &Scenario, map: &CoverageMap, row: usize, col: usize) -> Option<(f64, usize)> {
    let c = map.grid.centre(row, col);
    let d = geodesy::inverse(s.tx.site, c).dist_m;
    if d > map.grid.max_dist_m {
        return None;
    }
    let d = d.max(0.5 * s.resolution_m());
    Some((d, ((d / map.terrain_step_m).round() as usize).max(1)))
}

#[test]
fn flat_terrain_free_space_matches_p525_cell_by_cell() {
    let s = study(5.0, 100.0);
    let map = run(&s, &FreeSpace);
    assert_eq!(map.missing_terrain_samples, 0);
    let dh = s.rx_height_m - s.tx.height_agl_m;
    let mut checked = 0;
    for row in 0..map.grid.height {
        for col in 0..map.grid.width {
            let i = row * map.grid.width + col;
            match cell_path(&s, &map, row, col) {
                None => assert!(map.loss_db[i].is_nan()),
                Some((d, _)) => {
                    let want = free_space_loss_db(s.tx.freq.mhz(), d.hypot(dh) / 1000.0);
                    assert!(
                        (f64::from(map.loss_db[i]) - want).abs() < 1e-3,
                        "cell ({row}, {col})"
                    );
                    let e = units::field_strength_dbuv_per_m(s.tx.eirp_dbm, want, s.tx.freq.mhz());
                    assert!((f64::from(map.field_strength_dbuv_per_m[i]) - e).abs() < 1e-3);
                    assert!((f64::from(map.rx_power_dbm[i]) - (s.tx.eirp_dbm - want)).abs() < 1e-3);
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, map.valid_cells());
    assert!(checked > 7000, "{checked} cells");
}

#[test]
fn flat_terrain_itm_matches_itm_on_a_flat_profile_cell_by_cell() {
    let s = study(6.0, 200.0);
    let model = Itm {
        exact: true,
        ..Itm::default()
    };
    let map = run(&s, &model);
    let mut checked = 0;
    for row in 0..map.grid.height {
        for col in 0..map.grid.width {
            let Some((d, m)) = cell_path(&s, &map, row, col) else {
                continue;
            };
            let params = ItmParams {
                h_tx_m: s.tx.height_agl_m,
                h_rx_m: s.rx_height_m,
                climate: model.climate,
                n0_nunits: model.n0_nunits,
                freq_mhz: s.tx.freq.mhz(),
                polarization: model.polarization,
                epsilon: model.epsilon,
                sigma_s_per_m: model.sigma_s_per_m,
                mdvar: model.mdvar,
            };
            let flat = vec![f64::from(FLAT_M); m + 1];
            let want = itm::p2p_tls(&flat, d / m as f64, &params, 50.0, 50.0, 50.0);
            let got = map.loss_db[row * map.grid.width + col];
            match want {
                Ok(r) => assert_eq!(got, r.loss_db as f32, "cell ({row}, {col})"),
                Err(_) => assert!(got.is_nan()),
            }
            checked += 1;
        }
    }
    assert!(checked > 2000, "{checked} cells");
    // ITM over smooth earth loses more than free space beyond a few km.
    let fs = run(&s, &FreeSpace);
    let edge = map.grid.width / 2; // row of the transmitter, last column inside the radius
    let i = edge * map.grid.width + map.grid.width - 2;
    assert!(map.loss_db[i] > fs.loss_db[i]);
}

/// Rough relief around the transmitter: ridges of several wavelengths and
/// noise from a fixed LCG, 0.002° cells.
static ROUGH: LazyLock<TileSet> = LazyLock::new(|| {
    let g = GeoRef {
        lat0_deg: 43.2,
        lon0_deg: 74.2,
        dlat_deg: 0.002,
        dlon_deg: 0.002,
        margin_cells: 0.0,
    };
    let n = 401;
    let mut state = 7u64;
    let heights = (0..n * n)
        .map(|i| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = (state >> 40) as f32 / (1u64 << 24) as f32;
            let (r, c) = ((i / n) as f32, (i % n) as f32);
            1200.0
                + 400.0 * (r / 37.0).sin() * (c / 53.0).cos()
                + 150.0 * ((r + 2.0 * c) / 11.0).sin()
                + 40.0 * noise
        })
        .collect();
    let r = Raster::from_f32(g, n, n, heights).unwrap();
    TileSet::from_rasters(vec![r], MissingPolicy::Error)
});

#[test]
fn itm_radial_mode_stays_within_a_tenth_of_a_db_of_the_exact_mode() {
    let mut s = study(15.0, 150.0);
    s.terrain_step_m = Some(50.0);
    let exact = Itm {
        exact: true,
        ..Itm::default()
    };
    let radial = Itm::default();
    let a = engine::run(&s, &ROUGH, &exact, &|_, _| {}).unwrap();
    let b = engine::run(&s, &ROUGH, &radial, &|_, _| {}).unwrap();
    assert!(
        b.model_parameters
            .contains(&("itm.map_mode".into(), "radial".into()))
    );
    assert!(
        a.model_parameters
            .contains(&("itm.map_mode".into(), "exact".into()))
    );
    let d = coverage::compare::deviation(&a, &b).unwrap();
    assert!(d.cells > 30_000, "{d:?}");
    assert_eq!(d.unmatched, 0);
    assert!(d.within_0_1_db >= 0.999, "{d:?}");
    assert!(d.worst_db < 3.0, "{d:?}");
    assert_eq!(
        (a.warned_cells, a.failed_cells),
        (b.warned_cells, b.failed_cells)
    );
    // a map against itself
    assert_eq!(coverage::compare::deviation(&a, &a).unwrap().equal, 1.0);
}

#[test]
fn rough_radial_map_is_bit_identical_whatever_the_thread_count() {
    let s = study(8.0, 200.0);
    let go = |n| {
        engine::with_threads(Some(n), || {
            engine::run(&s, &ROUGH, &Itm::default(), &|_, _| {}).unwrap()
        })
        .unwrap()
    };
    let (one, three) = (go(1), go(3));
    let bits = |m: &CoverageMap| m.loss_db.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one), bits(&three));
    assert!(one.valid_cells() > 4000);
}

#[test]
fn map_is_bit_identical_whatever_the_thread_count() {
    let s = study(4.0, 100.0);
    let one = engine::with_threads(Some(1), || run(&s, &Itm::default())).unwrap();
    let two = engine::with_threads(Some(2), || run(&s, &Itm::default())).unwrap();
    let bits = |m: &CoverageMap| m.loss_db.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one), bits(&two));
}

#[test]
fn directional_pattern_reduces_field_behind_the_antenna() {
    let mut s = study(3.0, 100.0);
    let omni = run(&s, &FreeSpace);
    let text = "NAME panel\nGAIN 15 dBi\nHORIZONTAL 4\n0 0\n90 10\n180 25\n270 10\n";
    s.tx.pattern = AntennaPattern::parse_msi(text, "panel.msi").unwrap();
    s.tx.azimuth_deg = 0.0; // main lobe north
    let dir = run(&s, &FreeSpace);
    let mid = dir.grid.width / 2;
    let north = 5 * dir.grid.width + mid; // 5 rows from the top: north of the site
    let south = (dir.grid.height - 6) * dir.grid.width + mid;
    assert!(
        (dir.field_strength_dbuv_per_m[north] - omni.field_strength_dbuv_per_m[north]).abs() < 0.01
    );
    assert!(
        (omni.field_strength_dbuv_per_m[south] - dir.field_strength_dbuv_per_m[south] - 25.0).abs()
            < 0.01
    );
    // The loss itself does not depend on the antenna.
    assert_eq!(dir.loss_db[south], omni.loss_db[south]);
}

#[test]
fn flat_terrain_hata_matches_hata_cell_by_cell() {
    use spectrum_core::hata::{self, CitySize, HataEnvironment, HataOptions};
    let s = study(5.0, 250.0);
    let map = run(&s, &coverage::Hata::default());
    let mut checked = 0;
    for row in 0..map.grid.height {
        for col in 0..map.grid.width {
            let Some((d, _)) = cell_path(&s, &map, row, col) else {
                continue;
            };
            let want = hata::hata_loss_db(
                s.tx.freq.mhz(),
                s.tx.height_agl_m,
                s.rx_height_m,
                d / 1000.0,
                HataEnvironment::Suburban,
                CitySize::SmallMedium,
                &HataOptions {
                    allow_extrapolation: true,
                },
            )
            .unwrap();
            let got = map.loss_db[row * map.grid.width + col];
            assert!(
                (f64::from(got) - want).abs() < 1e-3,
                "cell ({row}, {col}): {got} vs {want}"
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked} cells");
}

#[test]
fn flat_terrain_p1812_matches_p1812_on_a_flat_profile_cell_by_cell() {
    use spectrum_core::p452::PathCentre;
    use spectrum_core::p1812::{P1812Input, p1812};
    use spectrum_core::profile::PathProfile;
    let s = study(3.0, 300.0);
    let model = coverage::P1812 {
        centre_lat_deg: s.tx.site.lat_deg,
        ..coverage::P1812::default()
    };
    let map = run(&s, &model);
    let mut checked = 0;
    for row in 0..map.grid.height {
        for col in 0..map.grid.width {
            let Some((d, m)) = cell_path(&s, &map, row, col) else {
                continue;
            };
            let got = map.loss_db[row * map.grid.width + col];
            if m + 1 < 4 {
                // Next to the transmitter the model resamples to 4 points
                // (unit-tested in coverage::model_p1812): finite, not refused.
                assert!(got.is_finite(), "cell ({row}, {col})");
                continue;
            }
            let step_km = d / m as f64 / 1000.0;
            let profile = PathProfile::new(
                (0..=m).map(|i| i as f64 * step_km).collect(),
                vec![f64::from(FLAT_M); m + 1],
            )
            .unwrap();
            let input = P1812Input::new(
                s.tx.freq.mhz() / 1000.0,
                50.0,
                s.tx.height_agl_m,
                s.rx_height_m,
                PathCentre::Latitude {
                    phi_deg: s.tx.site.lat_deg,
                },
                model.polarization,
            );
            match p1812(&input, &profile) {
                Ok(r) => assert_eq!(got, r.lb_db as f32, "cell ({row}, {col})"),
                Err(_) => assert!(got.is_nan()),
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked} cells");
}
