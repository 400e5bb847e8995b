//! A georeferenced float32 GeoTIFF of one coverage quantity (OGC GeoTIFF 1.0,
//! OGC 19-008r4): `ModelPixelScaleTag`, `ModelTiepointTag` and a
//! `GeoKeyDirectoryTag` for EPSG:4326 with PixelIsArea, GDAL's `GDAL_NODATA`
//! (42113) and the provenance in `GDAL_METADATA` (42112) items, so that QGIS
//! and GDAL open it with the right extent, nodata and metadata.

use std::io::{Cursor, Write};
use std::path::Path;

use tiff::encoder::{TiffEncoder, colortype::Gray32Float};
use tiff::tags::Tag;

use spectrum_core::coverage::Grid;

use crate::StudyError;

/// The nodata value written for cells without a value.
pub const NODATA: f32 = -9999.0;

/// The GDAL_METADATA tag.
const GDAL_METADATA: u16 = 42112;

/// Escapes text for an XML attribute or element.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Encodes a GeoTIFF in memory (see [`write`]).
pub fn encode(
    grid: &Grid,
    values: &[f32],
    metadata: &[(String, String)],
) -> Result<Vec<u8>, tiff::TiffError> {
    let data: Vec<f32> = values
        .iter()
        .map(|&v| if v.is_finite() { v } else { NODATA })
        .collect();
    let mut buf = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut buf)?;
        let mut img = enc.new_image::<Gray32Float>(grid.width as u32, grid.height as u32)?;
        let dir = img.encoder();
        dir.write_tag(
            Tag::ModelPixelScaleTag,
            &[grid.dlon_deg, grid.dlat_deg, 0.0][..],
        )?;
        dir.write_tag(
            Tag::ModelTiepointTag,
            &[0.0, 0.0, 0.0, grid.west_deg, grid.north_deg, 0.0][..],
        )?;
        // GeoKey directory: version 1.1.0, 4 keys:
        // GTModelType = Geographic, GTRasterType = PixelIsArea,
        // GeographicType = EPSG:4326, GeogAngularUnits = degree (9102).
        let keys: [u16; 20] = [
            1, 1, 0, 4, //
            1024, 0, 1, 2, //
            1025, 0, 1, 1, //
            2048, 0, 1, 4326, //
            2054, 0, 1, 9102,
        ];
        dir.write_tag(Tag::GeoKeyDirectoryTag, &keys[..])?;
        dir.write_tag(Tag::GdalNodata, format!("{NODATA}").as_str())?;
        let mut xml = String::from("<GDALMetadata>");
        for (k, v) in metadata {
            xml.push_str(&format!(
                "<Item name=\"{}\">{}</Item>",
                xml_escape(k),
                xml_escape(v)
            ));
        }
        xml.push_str("</GDALMetadata>");
        dir.write_tag(Tag::Unknown(GDAL_METADATA), xml.as_str())?;
        img.write_data(&data)?;
    }
    Ok(buf.into_inner())
}

/// Writes a float32 GeoTIFF of `values` (row-major, one per grid cell, NaN =
/// nodata) atomically (temporary file renamed into place).
pub fn write(
    path: &Path,
    grid: &Grid,
    values: &[f32],
    metadata: &[(String, String)],
) -> Result<(), StudyError> {
    let err = |message: String| StudyError::Output {
        path: path.to_path_buf(),
        message,
    };
    if values.len() != grid.cells() {
        return Err(err(format!(
            "expected {} values, found {}",
            grid.cells(),
            values.len()
        )));
    }
    let bytes = encode(grid, values, metadata).map_err(|e| err(format!("TIFF encoding: {e}")))?;
    let mut f = tabular::AtomicFile::create(path).map_err(|e| err(e.to_string()))?;
    f.write_all(&bytes).map_err(|e| err(e.to_string()))?;
    f.commit().map_err(|e| err(e.to_string()))
}
