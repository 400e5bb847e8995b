//! The three outputs of a study under one prefix: `<prefix>.tif` (float32
//! GeoTIFF of the chosen quantity), `<prefix>.png` (map with colour scale and
//! legend) and `<prefix>.parquet` (every computed cell, all quantities), each
//! written atomically with the study's provenance.

use std::path::{Path, PathBuf};

use spectrum_core::coverage::Quantity;

use crate::{Study, StudyError, StudyResult, cells, geotiff, map_png};

/// The paths of the three outputs for a prefix: `.tif`, `.png`, `.parquet`.
///
/// ```
/// let [tif, png, parquet] = spectra_study::outputs::paths("out/a".as_ref());
/// assert_eq!(tif.to_str(), Some("out/a.tif"));
/// assert_eq!(png.to_str(), Some("out/a.png"));
/// assert_eq!(parquet.to_str(), Some("out/a.parquet"));
/// ```
pub fn paths(prefix: &Path) -> [PathBuf; 3] {
    let with = |ext: &str| {
        let mut s = prefix.as_os_str().to_owned();
        s.push(ext);
        PathBuf::from(s)
    };
    [with(".tif"), with(".png"), with(".parquet")]
}

/// Writes the GeoTIFF and PNG of `quantity` and the Parquet table of cells
/// under `prefix` (creating its directory); returns the three paths.
pub fn write_all(
    result: &StudyResult,
    study: &Study,
    quantity: Quantity,
    prefix: &Path,
) -> Result<[PathBuf; 3], StudyError> {
    if let Some(dir) = prefix.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| StudyError::Output {
            path: dir.to_path_buf(),
            message: format!("creating the directory: {e}"),
        })?;
    }
    let map = &result.map;
    let paths = paths(prefix);
    let [tif, png, parquet] = &paths;
    geotiff::write(tif, &map.grid, map.values(quantity), &result.provenance)?;
    let tx = &study.scenario.tx;
    map_png::write(
        png,
        map,
        quantity,
        tx.site,
        &map_title(study, &map.model_name),
    )?;
    cells::write_parquet(parquet, map, &result.provenance)?;
    Ok(paths)
}

/// The caption of the PNG map: model, frequency, EIRP and both antenna
/// heights (two maps that differ only by the receiver height differ in
/// their titles).
///
/// ```
/// let s = spectra_study::Study::demo();
/// assert_eq!(
///     spectra_study::outputs::map_title(&s, "itm"),
///     "itm — 600 MHz, 70 dBm EIRP, Tx 60 m, Rx 10 m"
/// );
/// ```
pub fn map_title(study: &Study, model_name: &str) -> String {
    let sc = &study.scenario;
    format!(
        "{model_name} — {} MHz, {} dBm EIRP, Tx {} m, Rx {} m",
        sc.tx.freq.mhz(),
        sc.tx.eirp_dbm,
        sc.tx.height_agl_m,
        sc.rx_height_m
    )
}
