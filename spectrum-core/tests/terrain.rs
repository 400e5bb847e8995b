//! Terrain readers and profile extraction against the reference DEMs in
//! `shared/data/terrain` (SRTM N00E010, ETOPO1 1°, a nodata GeoTIFF).

#![allow(clippy::unwrap_used)] // test/bench set-up: a failure here is a broken fixture

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use spectrum_core::geodesy::{self, GeoPoint};
use spectrum_core::path;
use spectrum_core::terrain::tileset::TileSet;
use spectrum_core::terrain::{MissingPolicy, Raster, TerrainError, geotiff, hgt};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/terrain");

fn data(name: &str) -> PathBuf {
    Path::new(DIR).join(name)
}

static HGT_BYTES: LazyLock<Vec<u8>> = LazyLock::new(|| std::fs::read(data("N00E010.hgt")).unwrap());
static HGT: LazyLock<Raster> = LazyLock::new(|| hgt::open(&data("N00E010.hgt")).unwrap());

/// The height of node (row, col) read directly from the file bytes.
fn raw(row: usize, col: usize) -> f64 {
    let i = 2 * (row * 1201 + col);
    f64::from(i16::from_be_bytes([HGT_BYTES[i], HGT_BYTES[i + 1]]))
}

fn node_point(row: usize, col: usize) -> (f64, f64) {
    (1.0 - row as f64 / 1200.0, 10.0 + col as f64 / 1200.0)
}

#[test]
fn hgt_is_3_arc_second_and_corners_match_the_file() {
    assert_eq!((HGT.width(), HGT.height()), (1201, 1201));
    // North-west, north-east, south-west, south-east corners.
    assert_eq!(HGT.height_m(1.0, 10.0), Some(raw(0, 0)));
    assert_eq!(HGT.height_m(1.0, 11.0), Some(raw(0, 1200)));
    assert_eq!(HGT.height_m(0.0, 10.0), Some(raw(1200, 0)));
    assert_eq!(HGT.height_m(0.0, 11.0), Some(raw(1200, 1200)));
    assert!(HGT.height_m(1.0001, 10.5).is_none());
}

#[test]
fn hgt_interior_points_match_the_file() {
    for (row, col) in [(600, 600), (1, 1), (123, 1057), (1199, 3), (777, 444)] {
        let (lat, lon) = node_point(row, col);
        assert_eq!(
            HGT.height_m(lat, lon),
            Some(raw(row, col)),
            "node ({row}, {col})"
        );
    }
    // Half-way between two nodes: their mean.
    let (lat, lon) = node_point(300, 300);
    let mid = HGT.height_m(lat, lon + 0.5 / 1200.0).unwrap();
    assert!((mid - 0.5 * (raw(300, 300) + raw(300, 301))).abs() < 1e-9);
    // Centre of four nodes: their mean.
    let c = HGT
        .height_m(lat - 0.5 / 1200.0, lon + 0.5 / 1200.0)
        .unwrap();
    let mean4 = 0.25 * (raw(300, 300) + raw(300, 301) + raw(301, 300) + raw(301, 301));
    assert!((c - mean4).abs() < 1e-9);
}

#[test]
fn bilinear_is_exact_at_every_sampled_grid_node() {
    for row in (0..1201).step_by(37) {
        for col in (0..1201).step_by(41) {
            let (lat, lon) = node_point(row, col);
            assert_eq!(
                HGT.height_m(lat, lon),
                Some(raw(row, col)),
                "node ({row}, {col})"
            );
        }
    }
}

#[test]
fn etopo1_geotiff_loads_with_its_georeference() {
    let r = geotiff::open(&data("ETOPO1_Ice_g_geotiff.resampled-1deg.tif")).unwrap();
    let (s, w, n, e) = r.bounds_deg();
    assert!(
        (s + 90.0).abs() < 1.0 && (n - 90.0).abs() < 1.0,
        "lat bounds {s} {n}"
    );
    assert!(
        (w + 180.0).abs() < 1.0 && (e - 180.0).abs() < 1.0,
        "lon bounds {w} {e}"
    );
    // Tibetan plateau high, central Pacific deep, at nodes exactly.
    let tibet = r.height_m(32.0, 88.0).unwrap();
    let pacific = r.height_m(0.0, -150.0).unwrap();
    assert!(tibet > 3000.0, "Tibet {tibet} m");
    assert!(pacific < -3000.0, "Pacific {pacific} m");
    let g = *r.georef();
    let node = r.node_m(10, 20).unwrap();
    assert_eq!(
        r.height_m(
            g.lat0_deg - 10.0 * g.dlat_deg,
            g.lon0_deg + 20.0 * g.dlon_deg
        ),
        Some(node)
    );
}

#[test]
fn nodata_geotiff_values_are_voids() {
    let r = geotiff::open(&data("nodata.geotiff")).unwrap();
    assert_eq!((r.width(), r.height()), (3, 3));
    let info = geotiff::read_info_only(&data("nodata.geotiff")).unwrap();
    assert_eq!(info.nodata, Some(9999.0));
    let nodes: Vec<Option<f64>> = (0..9).map(|i| r.node_m(i / 3, i % 3)).collect();
    assert_eq!(
        nodes,
        vec![
            Some(2.0),
            Some(1.0),
            Some(0.0),
            Some(3.0),
            None,
            None,
            Some(4.0),
            None,
            None
        ]
    );
    // The all-void corner has no height; a node next to valid ones uses them.
    let g = *r.georef();
    assert_eq!(r.height_m(g.lat0_deg - 2.0, g.lon0_deg + 2.0), None);
}

#[test]
fn tile_set_finds_tiles_and_applies_the_missing_policy() {
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(data("N00E010.hgt"), tmp.path().join("N00E010.hgt")).unwrap();
    let strict = TileSet::open_dir(tmp.path(), MissingPolicy::Error).unwrap();
    assert_eq!(strict.tile_count(), 1);
    let (lat, lon) = node_point(500, 700);
    assert_eq!(strict.height_m(lat, lon).unwrap(), raw(500, 700));
    match strict.height_m(42.87, 74.59) {
        Err(TerrainError::Missing { expected_tile, .. }) => assert_eq!(expected_tile, "N42E074"),
        other => panic!("expected a missing-tile error, found {other:?}"),
    }
    let lenient = TileSet::open_dir(tmp.path(), MissingPolicy::SeaLevel).unwrap();
    let s = lenient.sample(42.87, 74.59).unwrap();
    assert!(s.missing);
    assert_eq!(s.height_m, 0.0);
    assert_eq!(lenient.height_m(lat, lon).unwrap(), raw(500, 700));
    assert_eq!(lenient.missing_samples(), 1);
}

#[test]
fn whole_reference_directory_opens_and_prefers_srtm() {
    let set = TileSet::open_dir(Path::new(DIR), MissingPolicy::Error).unwrap();
    assert_eq!(set.tile_count(), 3);
    let (lat, lon) = node_point(10, 20);
    assert_eq!(set.height_m(lat, lon).unwrap(), raw(10, 20));
    // Elsewhere the global ETOPO1 raster answers.
    assert!(set.height_m(32.0, 88.0).unwrap() > 3000.0);
}

#[test]
fn profile_length_equals_the_geodesic_distance() {
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(data("N00E010.hgt"), tmp.path().join("N00E010.hgt")).unwrap();
    let set = TileSet::open_dir(tmp.path(), MissingPolicy::Error).unwrap();
    let a = GeoPoint::new(0.1, 10.1);
    let b = GeoPoint::new(0.85, 10.9);
    let p = path::extract(&set, a, b, 90.0).unwrap();
    let d = geodesy::inverse(a, b).dist_m;
    assert!((p.profile.length_km() * 1000.0 - d).abs() < 1e-6);
    assert!(
        p.profile
            .distances_km
            .windows(2)
            .all(|w| w[1] - w[0] <= 0.090 + 1e-12)
    );
    assert_eq!((p.lats[0], p.lons[0]), (a.lat_deg, a.lon_deg));
    assert_eq!(
        (*p.lats.last().unwrap(), *p.lons.last().unwrap()),
        (b.lat_deg, b.lon_deg)
    );
    // The first height is the terrain at the first site.
    assert_eq!(p.profile.heights_m[0], HGT.height_m(0.1, 10.1).unwrap());
}
