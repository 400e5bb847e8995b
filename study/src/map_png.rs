//! A PNG map of one coverage quantity: the map's cells, georeference and
//! labels handed to `plotkit::map` (Viridis scale between the 2nd and 98th
//! percentiles rounded to 5 dB, longitude/latitude axes, the transmitter
//! marked, a colour-bar legend with the quantity and its unit).

use std::path::Path;

use plotkit::map::{MapLabels, MapRaster, write_raster_map};
use spectrum_core::coverage::{CoverageMap, Quantity};
use spectrum_core::geodesy::GeoPoint;

use crate::StudyError;

/// The short legend label of a quantity, with its unit.
///
/// ```
/// use spectrum_core::coverage::Quantity;
/// assert_eq!(spectra_study::map_png::short_label(Quantity::Loss), "Loss (dB)");
/// ```
pub fn short_label(q: Quantity) -> &'static str {
    match q {
        Quantity::FieldStrength => "E (dBµV/m)",
        Quantity::Loss => "Loss (dB)",
        Quantity::RxPower => "Prx (dBm)",
    }
}

/// Draws the map of `q` to a PNG at `path` (atomically), the transmitter at
/// `site`.
pub fn write(
    path: &Path,
    map: &CoverageMap,
    q: Quantity,
    site: GeoPoint,
    title: &str,
) -> Result<(), StudyError> {
    let g = &map.grid;
    let (south_deg, west_deg, north_deg, east_deg) = g.bounds_deg();
    let raster = MapRaster {
        values: map.values(q),
        width: g.width,
        height: g.height,
        south_deg,
        west_deg,
        north_deg,
        east_deg,
    };
    let footer = format!("model: {}", map.model_name);
    let labels = MapLabels {
        title,
        legend: short_label(q),
        footer: &footer,
    };
    write_raster_map(path, &raster, Some((site.lon_deg, site.lat_deg)), &labels).map_err(|e| {
        StudyError::Output {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    })
}
