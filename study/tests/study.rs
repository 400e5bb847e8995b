//! A study end to end: `Study::run` on the synthetic relief, the three
//! outputs with provenance, a GeoTIFF read back through `spectrum_core`'s
//! terrain reader, and inputs refused up front with the field named.

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken fixture

use spectra_study::{ModelChoice, Study, StudyError, TerrainSource, geotiff, outputs};
use spectrum_core::coverage::{Grid, Itm, Quantity, engine};
use spectrum_core::terrain::MissingPolicy;
use spectrum_core::terrain::tileset::TileSet;
use spectrum_core::units::Frequency;

fn study(model: ModelChoice) -> Study {
    Study {
        scenario: Study::demo_scenario(3.0, 200.0),
        model,
        terrain: TerrainSource::SyntheticRelief {
            missing: MissingPolicy::SeaLevel,
        },
        threads: Some(2),
    }
}

#[test]
fn run_equals_the_engine_on_the_same_terrain_bit_for_bit() {
    let s = study(ModelChoice::Itm(Itm::default()));
    let result = s.run(&|_, _| {}).unwrap();
    let tiles = TileSet::from_rasters(
        vec![spectra_study::terrain::synthetic_relief().unwrap()],
        MissingPolicy::SeaLevel,
    );
    let direct = engine::run(&s.scenario, &tiles, &Itm::default(), &|_, _| {}).unwrap();
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&result.map.loss_db), bits(&direct.loss_db));
    assert_eq!(
        bits(&result.map.field_strength_dbuv_per_m),
        bits(&direct.field_strength_dbuv_per_m)
    );
    assert_eq!(bits(&result.map.rx_power_dbm), bits(&direct.rx_power_dbm));
    assert_eq!(result.map.grid, direct.grid);
    assert!(result.map.valid_cells() > 100);
    assert!(result.dem.contains("synthetic Tian Shan relief"));
    assert!(
        result
            .provenance
            .contains(&("freq_mhz".to_owned(), "600".to_owned()))
    );
}

#[test]
fn outputs_are_written_with_provenance() {
    let s = study(ModelChoice::FreeSpace);
    let result = s.run(&|_, _| {}).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("sub").join("map");
    let [tif, png, parquet] =
        outputs::write_all(&result, &s, Quantity::FieldStrength, &prefix).unwrap();
    let batches = tabular::read_parquet(&parquet).unwrap();
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, result.map.valid_cells());
    let meta = tabular::read_parquet_metadata(&parquet).unwrap();
    assert!(
        meta.values().any(|v| v.contains("ITU-R P.525-4")),
        "{meta:?}"
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(std::fs::metadata(&tif).unwrap().len() > (result.map.grid.cells() * 4) as u64);
}

#[test]
fn geotiff_written_and_read_back_keeps_georeference_and_values() {
    use spectrum_core::terrain::geotiff as reader;
    let grid = Grid {
        north_deg: 43.0,
        west_deg: 74.0,
        dlat_deg: 0.001,
        dlon_deg: 0.0015,
        width: 7,
        height: 5,
        max_dist_m: f64::INFINITY,
    };
    let values: Vec<f32> = (0..35)
        .map(|i| {
            if i == 12 {
                f32::NAN
            } else {
                i as f32 * 1.5 - 3.0
            }
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("map.tif");
    let meta = vec![("model".to_owned(), "free-space".to_owned())];
    geotiff::write(&path, &grid, &values, &meta).unwrap();
    let r = reader::open(&path).unwrap();
    assert_eq!((r.width(), r.height()), (7, 5));
    let (s, w, n, e) = r.bounds_deg();
    let (gs, gw, gn, ge) = grid.bounds_deg();
    for (x, y) in [(s, gs), (w, gw), (n, gn), (e, ge)] {
        assert!((x - y).abs() < 1e-12, "{x} vs {y}");
    }
    for (i, v) in values.iter().enumerate() {
        let got = r.node_m(i / 7, i % 7);
        if v.is_finite() {
            assert_eq!(got, Some(f64::from(*v)));
        } else {
            assert_eq!(got, None);
        }
    }
    let info = reader::read_info_only(&path).unwrap();
    assert_eq!(info.nodata, Some(f64::from(geotiff::NODATA)));
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("<Item name=\"model\">free-space</Item>"));
    // A value count that does not match the grid is refused.
    assert!(matches!(
        geotiff::write(&path, &grid, &values[..3], &meta),
        Err(StudyError::Output { .. })
    ));
}

#[test]
fn bad_inputs_are_refused_before_the_terrain_is_opened() {
    let mut s = study(ModelChoice::Itm(Itm::default()));
    // A DEM directory that does not exist: validation comes first.
    s.terrain = TerrainSource::Dem {
        dir: "/nonexistent/dem".into(),
        missing: MissingPolicy::Error,
    };
    s.scenario.tx.freq = Frequency::from_hz(25_000_000_000);
    match s.run(&|_, _| {}) {
        Err(StudyError::OutOfBounds(e)) => assert_eq!(e.field, "freq (itm)"),
        other => panic!("unexpected {other:?}"),
    }
    s.scenario.tx.freq = Frequency::from_hz(600_000_000);
    match s.run(&|_, _| {}) {
        Err(e @ StudyError::Dem { .. }) => {
            assert!(e.to_string().contains("/nonexistent/dem"), "{e}")
        }
        other => panic!("unexpected {other:?}"),
    }
}
