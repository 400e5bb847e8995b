//! SRTM `.hgt` tiles (NASA Shuttle Radar Topography Mission, SRTM v3 / SRTMGL1
//! and SRTMGL3 file layout).
//!
//! A tile `N00E010.hgt` covers 0–1°N, 10–11°E: a square grid of big-endian
//! int16 heights in metres, rows from north to south, 1201 × 1201 nodes for 3
//! arc-seconds or 3601 × 3601 for 1 arc-second (detected from the file size),
//! with the edge rows and columns shared with the neighbouring tiles. Voids
//! are −32768.

use std::fs::File;
use std::path::Path;

use super::{GeoRef, Raster, TerrainError};

/// The void value of SRTM tiles.
pub const VOID: i16 = -32768;

/// Resolution of an SRTM tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HgtResolution {
    /// 1 arc-second, 3601 × 3601 nodes.
    OneArcSecond,
    /// 3 arc-seconds, 1201 × 1201 nodes.
    ThreeArcSecond,
}

impl HgtResolution {
    /// Nodes per side.
    pub fn side(self) -> usize {
        match self {
            Self::OneArcSecond => 3601,
            Self::ThreeArcSecond => 1201,
        }
    }

    /// The resolution for a file size in bytes, if it is one of the two.
    pub fn from_file_len(len: u64) -> Option<Self> {
        [Self::OneArcSecond, Self::ThreeArcSecond]
            .into_iter()
            .find(|r| (r.side() * r.side() * 2) as u64 == len)
    }
}

/// Parses a tile name such as `N00E010` or `s13w077.hgt` into the latitude and
/// longitude of its south-west corner, degrees.
///
/// ```
/// use spectrum_core::terrain::hgt::parse_tile_name;
/// assert_eq!(parse_tile_name("N00E010.hgt"), Some((0, 10)));
/// assert_eq!(parse_tile_name("s13w077"), Some((-13, -77)));
/// assert_eq!(parse_tile_name("X00E010"), None);
/// ```
pub fn parse_tile_name(name: &str) -> Option<(i32, i32)> {
    let stem = name.split('.').next()?;
    let b = stem.as_bytes();
    if b.len() != 7 {
        return None;
    }
    let lat_sign = match b[0].to_ascii_uppercase() {
        b'N' => 1,
        b'S' => -1,
        _ => return None,
    };
    let lon_sign = match b[3].to_ascii_uppercase() {
        b'E' => 1,
        b'W' => -1,
        _ => return None,
    };
    let lat: i32 = stem.get(1..3)?.parse().ok()?;
    let lon: i32 = stem.get(4..7)?.parse().ok()?;
    if lat > 90 || lon > 180 {
        return None;
    }
    Some((lat_sign * lat, lon_sign * lon))
}

/// The name of the tile whose south-west corner is at (`lat`, `lon`) degrees,
/// e.g. `N42E074`.
pub fn tile_name(lat: i32, lon: i32) -> String {
    format!(
        "{}{:02}{}{:03}",
        if lat < 0 { 'S' } else { 'N' },
        lat.unsigned_abs(),
        if lon < 0 { 'W' } else { 'E' },
        lon.unsigned_abs()
    )
}

/// Memory-maps a file read-only.
#[allow(unsafe_code)]
fn map_file(file: &File) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: the map is read-only and Spectra never writes DEM files; as with
    // any mapped file, another process truncating it while mapped is outside
    // what we support (the DEM directory is input data that is not modified).
    unsafe { memmap2::Mmap::map(file) }
}

/// Opens an SRTM tile, memory-mapped. The resolution is detected from the file
/// size and the position from the file name.
pub fn open(path: &Path) -> Result<Raster, TerrainError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let (lat, lon) = parse_tile_name(name).ok_or_else(|| TerrainError::Format {
        path: path.to_path_buf(),
        message: format!("expected a tile name like N42E074.hgt, found {name:?}"),
    })?;
    let io = |source| TerrainError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let res = HgtResolution::from_file_len(len).ok_or_else(|| TerrainError::Format {
        path: path.to_path_buf(),
        message: format!(
            "expected 2 884 802 bytes (3\") or 25 934 402 bytes (1\"), found {len} bytes"
        ),
    })?;
    let map = map_file(&file).map_err(io)?;
    let side = res.side();
    let step = 1.0 / (side - 1) as f64;
    let georef = GeoRef {
        lat0_deg: f64::from(lat) + 1.0,
        lon0_deg: f64::from(lon),
        dlat_deg: step,
        dlon_deg: step,
        margin_cells: 0.0,
    };
    let raster = Raster::from_hgt_map(georef, side, map)?;
    if !raster.has_terrain() {
        return Err(TerrainError::Format {
            path: path.to_path_buf(),
            message: "no valid height in the tile: every sample is a void (-32768) or outside [-12000, 9000] m".into(),
        });
    }
    Ok(raster)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (lat, lon) in [(0, 10), (42, 74), (-13, -77), (-1, 0)] {
            assert_eq!(parse_tile_name(&tile_name(lat, lon)), Some((lat, lon)));
        }
        assert_eq!(tile_name(42, 74), "N42E074");
    }

    #[test]
    fn resolution_from_size() {
        assert_eq!(
            HgtResolution::from_file_len(2_884_802),
            Some(HgtResolution::ThreeArcSecond)
        );
        assert_eq!(
            HgtResolution::from_file_len(25_934_402),
            Some(HgtResolution::OneArcSecond)
        );
        assert_eq!(HgtResolution::from_file_len(100), None);
    }
}
