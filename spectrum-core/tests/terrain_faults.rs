//! Issue 10 #3 / #14: a terrain file that is present but wrong says what is
//! wrong with it (not "no terrain tile covers …"), a raster too large is
//! refused before its pixels are read, and out-of-range heights are voids.

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken fixture

use std::path::Path;

use spectrum_core::terrain::tileset::TileSet;
use spectrum_core::terrain::{MissingPolicy, TerrainError, geotiff, hgt};

/// A minimal little-endian float32 GeoTIFF: `w × h` as claimed in the
/// header, `pixels` as stored, pixel scale `scale`, north-west corner (1°N, 10°E).
fn tiff_bytes(w: u32, h: u32, scale: [f64; 2], pixels: &[f32]) -> Vec<u8> {
    let entries: u16 = 12;
    let data0 = 8 + 2 + 12 * u32::from(entries) + 4;
    let (scale_off, tie_off, pix_off) = (data0, data0 + 24, data0 + 72);
    let mut b = Vec::new();
    b.extend_from_slice(b"II");
    b.extend_from_slice(&42u16.to_le_bytes());
    b.extend_from_slice(&8u32.to_le_bytes());
    b.extend_from_slice(&entries.to_le_bytes());
    let mut entry = |tag: u16, typ: u16, count: u32, value: u32| {
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&typ.to_le_bytes());
        b.extend_from_slice(&count.to_le_bytes());
        b.extend_from_slice(&value.to_le_bytes());
    };
    let (short, long, double) = (3, 4, 12);
    entry(256, long, 1, w);
    entry(257, long, 1, h);
    entry(258, short, 1, 32);
    entry(259, short, 1, 1);
    entry(262, short, 1, 1);
    entry(273, long, 1, pix_off);
    entry(277, short, 1, 1);
    entry(278, long, 1, h);
    entry(279, long, 1, 4 * pixels.len() as u32);
    entry(339, short, 1, 3);
    entry(33550, double, 3, scale_off);
    entry(33922, double, 6, tie_off);
    b.extend_from_slice(&0u32.to_le_bytes());
    for v in [scale[0], scale[1], 0.0, 0.0, 0.0, 0.0, 10.0, 1.0, 0.0] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for v in pixels {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn a_well_formed_small_geotiff_reads() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "ok.tif",
        &tiff_bytes(2, 2, [0.5, 0.5], &[1.0, 2.0, 3.0, 4.0]),
    );
    let r = geotiff::open(&p).unwrap();
    assert_eq!((r.width(), r.height()), (2, 2));
}

#[test]
fn a_geotiff_claiming_a_million_squared_pixels_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "big.tif",
        &tiff_bytes(1_000_000, 1_000_000, [1e-6, 1e-6], &[0.0; 4]),
    );
    let e = geotiff::open(&p).unwrap_err().to_string();
    assert!(e.contains("at most 100000000 pixels"), "{e}");
    let e = TileSet::open_dir(dir.path(), MissingPolicy::Error)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("big.tif") && e.contains("pixels"), "{e}");
}

#[test]
fn a_bad_pixel_scale_names_the_tag() {
    for s in [0.0, -0.5, f64::NAN] {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "s.tif",
            &tiff_bytes(2, 2, [s, 0.5], &[1.0, 2.0, 3.0, 4.0]),
        );
        let e = geotiff::open(&p).unwrap_err().to_string();
        assert!(
            e.contains("ModelPixelScaleTag") && e.contains("> 0"),
            "{s}: {e}"
        );
    }
}

#[test]
fn a_geotiff_of_nan_and_inf_says_it_has_no_valid_height() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "nan.tif",
        &tiff_bytes(2, 2, [0.5, 0.5], &[f32::NAN, f32::INFINITY, f32::NAN, 1e30]),
    );
    let set = TileSet::open_dir(dir.path(), MissingPolicy::Error).unwrap();
    let e = set.height_m(0.7, 10.3).unwrap_err().to_string();
    assert!(
        e.contains("nan.tif") && e.contains("no valid height"),
        "{e}"
    );
    assert!(!e.contains("no terrain tile covers"), "{e}");
}

const HGT3_LEN: usize = 1201 * 1201 * 2;

#[test]
fn an_all_void_hgt_says_what_is_wrong_with_the_tile() {
    let dir = tempfile::tempdir().unwrap();
    let void: Vec<u8> = [0x80u8, 0x00].repeat(HGT3_LEN / 2);
    let p = write(dir.path(), "N00E010.hgt", &void);
    let e = hgt::open(&p).unwrap_err().to_string();
    assert!(e.contains("no valid height"), "{e}");
    let set = TileSet::open_dir(dir.path(), MissingPolicy::Error).unwrap();
    let e = set.height_m(0.5, 10.5).unwrap_err().to_string();
    assert!(e.contains("N00E010.hgt") && e.contains("void"), "{e}");
}

#[test]
fn out_of_range_heights_are_voids_under_the_missing_policy() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0u8; HGT3_LEN];
    bytes[0..2].copy_from_slice(&32767i16.to_be_bytes());
    bytes[2..4].copy_from_slice(&(-24854i16).to_be_bytes());
    bytes[4..6].copy_from_slice(&8000i16.to_be_bytes());
    let p = write(dir.path(), "N00E010.hgt", &bytes);
    let r = hgt::open(&p).unwrap();
    assert_eq!(r.node_m(0, 0), None);
    assert_eq!(r.node_m(0, 1), None);
    assert_eq!(r.node_m(0, 2), Some(8000.0));
    // A point whose nodes are all voids follows the policy.
    let mut bytes = vec![0u8; HGT3_LEN];
    for n in [0usize, 1, 1201, 1202] {
        bytes[2 * n..2 * n + 2].copy_from_slice(&32767i16.to_be_bytes());
    }
    std::fs::write(&p, &bytes).unwrap();
    let point = (1.0 - 0.5 / 1200.0, 10.0 + 0.5 / 1200.0);
    let strict = TileSet::open_dir(dir.path(), MissingPolicy::Error).unwrap();
    assert!(matches!(
        strict.sample(point.0, point.1),
        Err(TerrainError::Void { .. })
    ));
    let lenient = TileSet::open_dir(dir.path(), MissingPolicy::SeaLevel).unwrap();
    let s = lenient.sample(point.0, point.1).unwrap();
    assert!(s.missing && s.height_m == 0.0);
}

#[test]
fn a_misnamed_hgt_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "foo.hgt", &vec![0u8; HGT3_LEN]);
    let e = TileSet::open_dir(dir.path(), MissingPolicy::Error)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("foo.hgt is not an SRTM tile name such as N42E074.hgt"),
        "{e}"
    );
}
