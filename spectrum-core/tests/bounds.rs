//! Bounded inputs: every coverage and profile input out of its bounds fails
//! up front with an error naming the field, before any terrain is read or any
//! grid allocated.

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken fixture

use spectrum_core::bounds::OutOfBounds;
use spectrum_core::coverage::{
    AntennaPattern, Area, CoverageError, Ehata, FreeSpace, Hata, Itm, P1812, PathLossModel,
    Scenario, Transmitter, engine,
};
use spectrum_core::ehata::EhataOptions;
use spectrum_core::geodesy::GeoPoint;
use spectrum_core::path::{self, PathError};
use spectrum_core::terrain::tileset::TileSet;
use spectrum_core::terrain::{GeoRef, MissingPolicy, Raster};
use spectrum_core::units::Frequency;

fn tiles() -> TileSet {
    let g = GeoRef {
        lat0_deg: 43.5,
        lon0_deg: 74.0,
        dlat_deg: 0.01,
        dlon_deg: 0.01,
        margin_cells: 0.0,
    };
    let r = Raster::from_f32(g, 121, 121, vec![500.0; 121 * 121]).unwrap();
    TileSet::from_rasters(vec![r], MissingPolicy::SeaLevel)
}

fn scenario() -> Scenario {
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
            radius_km: 2.0,
            resolution_m: 200.0,
        },
        terrain_step_m: None,
    }
}

/// Runs the engine and returns the bound that failed.
fn refused(s: &Scenario, model: &dyn PathLossModel) -> OutOfBounds {
    match engine::run(s, &tiles(), model, &|_, _| {}) {
        Err(CoverageError::OutOfBounds(e)) => e,
        Err(e) => panic!("expected an out-of-bounds error, got {e}"),
        Ok(_) => panic!("expected an out-of-bounds error, got a map"),
    }
}

fn field_of(change: impl FnOnce(&mut Scenario)) -> &'static str {
    let mut s = scenario();
    change(&mut s);
    refused(&s, &FreeSpace).field
}

#[test]
fn the_reference_scenario_runs() {
    let map = engine::run(&scenario(), &tiles(), &FreeSpace, &|_, _| {}).unwrap();
    assert!(map.valid_cells() > 0);
}

#[test]
fn every_scenario_field_is_bounded() {
    assert_eq!(field_of(|s| s.tx.site = GeoPoint::new(91.0, 0.0)), "site");
    assert_eq!(
        field_of(|s| s.tx.site = GeoPoint::new(f64::NAN, 0.0)),
        "site"
    );
    assert_eq!(field_of(|s| s.tx.height_agl_m = 0.0), "height_agl_m");
    assert_eq!(field_of(|s| s.tx.height_agl_m = f64::NAN), "height_agl_m");
    assert_eq!(field_of(|s| s.tx.height_agl_m = 20_000.0), "height_agl_m");
    assert_eq!(field_of(|s| s.rx_height_m = -1.0), "rx_height_m");
    assert_eq!(field_of(|s| s.tx.freq = Frequency::from_hz(0)), "freq");
    assert_eq!(
        field_of(|s| s.tx.freq = Frequency::from_hz(u64::MAX)),
        "freq"
    );
    assert_eq!(field_of(|s| s.tx.eirp_dbm = f64::NAN), "eirp_dbm");
    assert_eq!(field_of(|s| s.rx_gain_dbi = f64::INFINITY), "rx_gain_dbi");
    assert_eq!(field_of(|s| s.tx.azimuth_deg = f64::NAN), "azimuth_deg");
    assert_eq!(field_of(|s| s.tx.downtilt_deg = 100.0), "downtilt_deg");
    assert_eq!(field_of(|s| s.terrain_step_m = Some(0.0)), "terrain_step_m");
    assert_eq!(
        field_of(|s| s.terrain_step_m = Some(f64::NAN)),
        "terrain_step_m"
    );
    let radius = |radius_km, resolution_m| {
        move |s: &mut Scenario| {
            s.area = Area::Radius {
                radius_km,
                resolution_m,
            }
        }
    };
    assert_eq!(field_of(radius(0.0, 100.0)), "radius_km");
    assert_eq!(field_of(radius(5000.0, 100.0)), "radius_km");
    assert_eq!(field_of(radius(f64::INFINITY, 100.0)), "radius_km");
    assert_eq!(field_of(radius(10.0, 0.5)), "resolution_m");
    assert_eq!(field_of(radius(10.0, f64::NAN)), "resolution_m");
    assert_eq!(
        field_of(|s| {
            s.area = Area::BoundingBox {
                south_deg: 43.0,
                west_deg: 74.0,
                north_deg: 42.0,
                east_deg: 75.0,
                resolution_m: 100.0,
            }
        }),
        "bbox"
    );
    assert_eq!(
        field_of(|s| {
            s.area = Area::BoundingBox {
                south_deg: 42.0,
                west_deg: 74.0,
                north_deg: 95.0,
                east_deg: 75.0,
                resolution_m: 100.0,
            }
        }),
        "bbox"
    );
}

#[test]
fn grid_and_terrain_sampling_are_capped() {
    // 2000 km at 1 m: 4e12 cells.
    let mut s = scenario();
    s.area = Area::Radius {
        radius_km: 2000.0,
        resolution_m: 1.0,
    };
    let e = refused(&s, &FreeSpace);
    assert_eq!(e.field, "cells");
    assert!(e.to_string().contains("at most 100000000 cells"), "{e}");
    // 100 km at 100 m is 4 M cells, but a 1 m terrain step would sample
    // 6 284 radials × 100 002 points.
    s.area = Area::Radius {
        radius_km: 100.0,
        resolution_m: 100.0,
    };
    s.terrain_step_m = Some(1.0);
    let e = refused(&s, &FreeSpace);
    assert_eq!(e.field, "terrain_step_m");
    assert!(e.expected.contains("terrain samples"), "{e}");
}

#[test]
fn model_domains_are_checked_up_front() {
    let mut s = scenario();
    s.tx.freq = Frequency::from_hz(10_000_000);
    assert_eq!(refused(&s, &Itm::default()).field, "freq (itm)");
    s.tx.freq = Frequency::from_hz(10_000_000_000);
    assert_eq!(refused(&s, &P1812::default()).field, "freq (p1812)");
    let s = scenario();
    for (pct, field) in [
        ([0.0, 50.0, 50.0], "itm.time_pct"),
        ([50.0, 100.0, 50.0], "itm.location_pct"),
        ([50.0, 50.0, f64::NAN], "itm.situation_pct"),
    ] {
        let itm = Itm {
            time_pct: pct[0],
            location_pct: pct[1],
            situation_pct: pct[2],
            ..Itm::default()
        };
        assert_eq!(refused(&s, &itm).field, field);
    }
    let p = P1812 {
        location_pct: 99.5,
        ..P1812::default()
    };
    assert_eq!(refused(&s, &p).field, "p1812.location_pct");
    let p = P1812 {
        time_pct: 60.0,
        ..P1812::default()
    };
    assert_eq!(refused(&s, &p).field, "p1812.time_pct");
    let e = Ehata {
        options: EhataOptions {
            reliability: Some(1.0),
            ..EhataOptions::default()
        },
        ..Ehata::default()
    };
    assert_eq!(refused(&s, &e).field, "ehata.reliability");
    let h = Hata {
        allow_extrapolation: false,
        ..Hata::default()
    };
    // 30 m base station but a 1.5 m mobile at 900 MHz: inside Hata's ranges.
    assert!(engine::run(&s, &tiles(), &h, &|_, _| {}).is_ok());
    let mut low = scenario();
    low.tx.freq = Frequency::from_hz(100_000_000);
    assert_eq!(refused(&low, &h).field, "freq (hata)");
}

fn profile_field(a: GeoPoint, b: GeoPoint, step_m: f64) -> &'static str {
    match path::extract(&tiles(), a, b, step_m) {
        Err(PathError::OutOfBounds(e)) => e.field,
        other => panic!("expected an out-of-bounds error, got {other:?}"),
    }
}

#[test]
fn profile_inputs_and_points_are_bounded() {
    let a = GeoPoint::new(42.87, 74.59);
    let b = GeoPoint::new(42.80, 74.70);
    assert!(path::extract(&tiles(), a, b, 90.0).is_ok());
    assert_eq!(profile_field(a, b, 0.0), "step_m");
    assert_eq!(profile_field(a, b, f64::NAN), "step_m");
    assert_eq!(profile_field(GeoPoint::new(-95.0, 0.0), b, 90.0), "from");
    assert_eq!(profile_field(a, GeoPoint::new(0.0, 190.0), 90.0), "to");
    // About 12 km at 1 mm: 12 M points.
    assert_eq!(profile_field(a, b, 0.001), "step_m");
}
