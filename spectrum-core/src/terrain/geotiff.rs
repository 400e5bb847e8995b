//! GeoTIFF elevation rasters in geographic coordinates (OGC GeoTIFF 1.0,
//! OGC 19-008r4; GDAL's `GDAL_NODATA` tag 42113).
//!
//! Reads single-band rasters, tiled or striped, of int8/16/32, uint8/16/32,
//! float32 or float64 samples, georeferenced by `ModelPixelScaleTag` (33550)
//! and `ModelTiepointTag` (33922), with `GTModelTypeGeoKey` = geographic and
//! `GTRasterTypeGeoKey` = PixelIsArea (pixel centres half a pixel inside the
//! tie point) or PixelIsPoint. Nodata samples become voids (NaN).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

use super::{GeoRef, Raster, TerrainError};

/// GeoKey ids used here (GeoTIFF 1.0 §6.2).
const GT_MODEL_TYPE_GEO_KEY: u16 = 1024;
const GT_RASTER_TYPE_GEO_KEY: u16 = 1025;
/// `ModelTypeGeographic`.
const MODEL_TYPE_GEOGRAPHIC: u16 = 2;
/// `RasterPixelIsPoint`.
const RASTER_PIXEL_IS_POINT: u16 = 2;

/// Georeference and size of a GeoTIFF, read from its tags only.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoTiffInfo {
    /// Node georeference (pixel centres for PixelIsArea rasters).
    pub georef: GeoRef,
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// The `GDAL_NODATA` value, if any.
    pub nodata: Option<f64>,
}

fn tiff_err(path: &Path) -> impl Fn(tiff::TiffError) -> TerrainError + '_ {
    move |source| TerrainError::Tiff {
        path: path.to_path_buf(),
        source,
    }
}

fn format_err(path: &Path, message: String) -> TerrainError {
    TerrainError::Format {
        path: path.to_path_buf(),
        message,
    }
}

fn open_decoder(path: &Path) -> Result<Decoder<BufReader<File>>, TerrainError> {
    let file = File::open(path).map_err(|source| TerrainError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Decoder::new(BufReader::new(file))
        .map_err(tiff_err(path))?
        .with_limits(Limits::unlimited()))
}

fn read_info(path: &Path, dec: &mut Decoder<BufReader<File>>) -> Result<GeoTiffInfo, TerrainError> {
    let (w, h) = dec.dimensions().map_err(tiff_err(path))?;
    let scale = dec
        .find_tag(Tag::ModelPixelScaleTag)
        .map_err(tiff_err(path))?
        .ok_or_else(|| {
            format_err(
                path,
                "expected a ModelPixelScaleTag (33550), found none".into(),
            )
        })?
        .into_f64_vec()
        .map_err(tiff_err(path))?;
    let tie = dec
        .find_tag(Tag::ModelTiepointTag)
        .map_err(tiff_err(path))?
        .ok_or_else(|| {
            format_err(
                path,
                "expected a ModelTiepointTag (33922), found none".into(),
            )
        })?
        .into_f64_vec()
        .map_err(tiff_err(path))?;
    if scale.len() < 2 || tie.len() < 6 {
        return Err(format_err(
            path,
            format!(
                "expected ≥ 2 pixel scales and ≥ 6 tie-point values, found {} and {}",
                scale.len(),
                tie.len()
            ),
        ));
    }
    let keys = match dec
        .find_tag(Tag::GeoKeyDirectoryTag)
        .map_err(tiff_err(path))?
    {
        Some(v) => v.into_u16_vec().map_err(tiff_err(path))?,
        None => Vec::new(),
    };
    let key = |id: u16| {
        keys.get(4..)?
            .chunks_exact(4)
            .find(|k| k[0] == id && k[1] == 0)
            .map(|k| k[3])
    };
    if let Some(mt) = key(GT_MODEL_TYPE_GEO_KEY)
        && mt != MODEL_TYPE_GEOGRAPHIC
    {
        return Err(format_err(
            path,
            format!(
                "expected geographic coordinates (GTModelTypeGeoKey = 2), found model type {mt}"
            ),
        ));
    }
    let is_point = key(GT_RASTER_TYPE_GEO_KEY) == Some(RASTER_PIXEL_IS_POINT);
    let nodata = match dec.find_tag(Tag::GdalNodata).map_err(tiff_err(path))? {
        Some(v) => {
            let s = v.into_string().map_err(tiff_err(path))?;
            let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
            Some(s.parse::<f64>().map_err(|_| {
                format_err(path, format!("GDAL_NODATA: expected a number, found {s:?}"))
            })?)
        }
        None => None,
    };
    let (sx, sy) = (scale[0], scale[1]);
    let (i, j, x, y) = (tie[0], tie[1], tie[3], tie[4]);
    if !(sx.is_finite() && sy.is_finite() && sx > 0.0 && sy > 0.0) {
        return Err(format_err(
            path,
            format!(
                "ModelPixelScaleTag: expected a finite pixel scale > 0 degrees, found {sx} × {sy}"
            ),
        ));
    }
    if ![i, j, x, y].iter().all(|v| v.is_finite()) {
        return Err(format_err(
            path,
            format!("ModelTiepointTag: expected finite values, found {i}, {j}, {x}, {y}"),
        ));
    }
    crate::bounds::at_most(
        "pixels",
        "pixels (split the raster into tiles)",
        f64::from(w) * f64::from(h),
        crate::bounds::MAX_DEM_PIXELS,
    )
    .map_err(|e| format_err(path, format!("{e} ({w} × {h})")))?;
    let half = if is_point { 0.0 } else { 0.5 };
    let georef = GeoRef {
        lat0_deg: y - (half - j) * sy,
        lon0_deg: x + (half - i) * sx,
        dlat_deg: sy,
        dlon_deg: sx,
        margin_cells: half,
    };
    Ok(GeoTiffInfo {
        georef,
        width: w as usize,
        height: h as usize,
        nodata,
    })
}

/// Reads the georeference of a GeoTIFF without its pixels.
pub fn read_info_only(path: &Path) -> Result<GeoTiffInfo, TerrainError> {
    let mut dec = open_decoder(path)?;
    read_info(path, &mut dec)
}

/// Reads a single-band GeoTIFF elevation raster into memory.
pub fn open(path: &Path) -> Result<Raster, TerrainError> {
    let mut dec = open_decoder(path)?;
    let info = read_info(path, &mut dec)?;
    match dec.colortype().map_err(tiff_err(path))? {
        tiff::ColorType::Gray(_) => {}
        other => {
            return Err(format_err(
                path,
                format!("expected one band (grey), found {other:?}"),
            ));
        }
    }
    let data: Vec<f64> = match dec.read_image().map_err(tiff_err(path))? {
        DecodingResult::I8(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U8(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::F32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::F64(v) => v,
        _ => {
            return Err(format_err(
                path,
                "expected int8/16/32, uint8/16/32, float32 or float64 samples, found another type"
                    .into(),
            ));
        }
    };
    let heights: Vec<f32> = data
        .into_iter()
        .map(|v| {
            if Some(v) == info.nodata || !v.is_finite() {
                f32::NAN
            } else {
                v as f32
            }
        })
        .collect();
    let raster = Raster::from_f32(info.georef, info.width, info.height, heights)?;
    if !raster.has_terrain() {
        return Err(format_err(
            path,
            "no valid height in the raster: every pixel is no data, NaN, inf or outside [-12000, 9000] m".into(),
        ));
    }
    Ok(raster)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_an_io_error() {
        let e = open(Path::new("/nonexistent/dem.tif")).unwrap_err();
        assert!(matches!(e, TerrainError::Io { .. }), "{e}");
    }
}
