//! Terrain: digital elevation models (DEMs) in geographic coordinates.
//!
//! - [`hgt`]: SRTM `.hgt` tiles (NASA SRTM v3, 1 and 3 arc-second, big-endian
//!   int16, voids = −32768), memory-mapped.
//! - [`geotiff`]: GeoTIFF 1.0 (OGC 19-008r4) elevation rasters in geographic
//!   coordinates (EPSG:4326 / WGS 84), tiled or striped, int16/int32/uint16/
//!   float32/float64, with a `GDAL_NODATA` value.
//! - [`tileset`]: a directory of such tiles, found by name / extent, loaded
//!   lazily and shared by all threads, with a configurable policy for missing
//!   tiles.
//!
//! Every raster is a grid of *nodes* (sample points) `lat = lat0 − row·dlat`,
//! `lon = lon0 + col·dlon`; heights between nodes are bilinear in latitude and
//! longitude and exact at the nodes. Heights are metres above mean sea level.

pub mod geotiff;
pub mod hgt;
pub mod tileset;

use std::path::PathBuf;
use std::sync::Arc;

use thiserror::Error;

use crate::bounds;

/// Errors of the terrain readers and the tile set.
#[derive(Debug, Error)]
pub enum TerrainError {
    /// A file could not be opened or read.
    #[error("{path}: cannot read terrain file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A file's content is not what the reader expects.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What was expected and what was found.
        message: String,
    },
    /// A TIFF decoding error.
    #[error("{path}: TIFF error: {source}")]
    Tiff {
        /// The file.
        path: PathBuf,
        /// The decoder's error.
        source: tiff::TiffError,
    },
    /// No tile covers a point and the policy is [`MissingPolicy::Error`].
    #[error(
        "no terrain tile covers lat {lat_deg:.6}°, lon {lon_deg:.6}° (expected a tile such as {expected_tile} in the DEM directory)"
    )]
    Missing {
        /// Latitude of the point, degrees.
        lat_deg: f64,
        /// Longitude of the point, degrees.
        lon_deg: f64,
        /// The SRTM tile name that would cover the point.
        expected_tile: String,
    },
    /// A tile covers the point but has no terrain height there (voids, NaN,
    /// or heights outside the valid range), and the policy is
    /// [`MissingPolicy::Error`].
    #[error(
        "{path}: no valid height at lat {lat_deg:.6}°, lon {lon_deg:.6}° (the tile has voids there: no data, NaN, or heights outside [-12000, 9000] m)"
    )]
    Void {
        /// The tile that covers the point.
        path: PathBuf,
        /// Latitude of the point, degrees.
        lat_deg: f64,
        /// Longitude of the point, degrees.
        lon_deg: f64,
    },
    /// Invalid arguments (grid size, georeference).
    #[error("invalid terrain grid: {0}")]
    Invalid(String),
}

/// What a terrain query does where no tile covers the point or the DEM has a
/// void there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum MissingPolicy {
    /// Fail with [`TerrainError::Missing`].
    Error,
    /// Use 0 m (mean sea level) and count the sample, so that the result can
    /// report how many samples had no terrain (the default).
    #[default]
    SeaLevel,
}

/// Georeference of a node grid: position of node (0, 0) and the node spacing.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GeoRef {
    /// Latitude of the first row of nodes (the northernmost), degrees.
    pub lat0_deg: f64,
    /// Longitude of the first column of nodes (the westernmost), degrees.
    pub lon0_deg: f64,
    /// Spacing between rows, degrees (positive; rows go south).
    pub dlat_deg: f64,
    /// Spacing between columns, degrees (positive; columns go east).
    pub dlon_deg: f64,
    /// Half a cell of margin around the nodes that still counts as covered
    /// (rasters whose pixels are areas cover half a pixel beyond their
    /// outermost centres), in cells.
    pub margin_cells: f64,
}

impl GeoRef {
    /// Bounding box covered by a grid of `width × height` nodes with this
    /// georeference: (south, west, north, east), degrees.
    pub fn bounds_deg(&self, width: usize, height: usize) -> (f64, f64, f64, f64) {
        let m = self.margin_cells;
        let north = self.lat0_deg + m * self.dlat_deg;
        let south = self.lat0_deg - (height as f64 - 1.0 + m) * self.dlat_deg;
        let west = self.lon0_deg - m * self.dlon_deg;
        let east = self.lon0_deg + (width as f64 - 1.0 + m) * self.dlon_deg;
        (south, west, north, east)
    }
}

/// Where a raster's heights live.
#[derive(Debug)]
enum Storage {
    /// Heights in memory, f32, NaN = void.
    Owned(Vec<f32>),
    /// A memory-mapped SRTM tile: big-endian int16, −32768 = void.
    HgtMap(memmap2::Mmap),
}

/// A node grid of terrain heights with its georeference.
///
/// ```
/// use spectrum_core::terrain::{GeoRef, Raster};
/// let g = GeoRef { lat0_deg: 1.0, lon0_deg: 0.0, dlat_deg: 1.0, dlon_deg: 1.0, margin_cells: 0.0 };
/// let r = Raster::from_f32(g, 2, 2, vec![0.0, 10.0, 20.0, 30.0]).unwrap();
/// assert_eq!(r.height_m(0.5, 0.5), Some(15.0));
/// assert_eq!(r.height_m(1.0, 1.0), Some(10.0));
/// ```
#[derive(Debug)]
pub struct Raster {
    georef: GeoRef,
    width: usize,
    height: usize,
    storage: Storage,
}

/// A raster shared between threads.
pub type SharedRaster = Arc<Raster>;

impl Raster {
    /// A raster from in-memory heights (row-major from the north-west node,
    /// `width × height` values, NaN = void).
    pub fn from_f32(
        georef: GeoRef,
        width: usize,
        height: usize,
        heights_m: Vec<f32>,
    ) -> Result<Self, TerrainError> {
        check_grid(&georef, width, height, heights_m.len())?;
        Ok(Self {
            georef,
            width,
            height,
            storage: Storage::Owned(heights_m),
        })
    }

    pub(crate) fn from_hgt_map(
        georef: GeoRef,
        side: usize,
        map: memmap2::Mmap,
    ) -> Result<Self, TerrainError> {
        check_grid(&georef, side, side, map.len() / 2)?;
        Ok(Self {
            georef,
            width: side,
            height: side,
            storage: Storage::HgtMap(map),
        })
    }

    /// The georeference.
    pub fn georef(&self) -> &GeoRef {
        &self.georef
    }

    /// Number of node columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of node rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Height at a node (row, column), m; `None` for a void or outside the
    /// grid. Heights outside [`bounds::MIN_DEM_HEIGHT_M`] …
    /// [`bounds::MAX_DEM_HEIGHT_M`] (e.g. −24 854 or 32 767) are voids.
    pub fn node_m(&self, row: usize, col: usize) -> Option<f64> {
        if row >= self.height || col >= self.width {
            return None;
        }
        let i = row * self.width + col;
        match &self.storage {
            Storage::Owned(v) => v
                .get(i)
                .copied()
                .map(f64::from)
                .filter(|h| is_terrain_height(*h)),
            Storage::HgtMap(m) => {
                let b = m.get(2 * i..2 * i + 2)?;
                let h = f64::from(i16::from_be_bytes([b[0], b[1]]));
                is_terrain_height(h).then_some(h)
            }
        }
    }

    /// Bounding box of the covered area: (south, west, north, east), degrees.
    pub fn bounds_deg(&self) -> (f64, f64, f64, f64) {
        self.georef.bounds_deg(self.width, self.height)
    }

    /// True when the point lies in the covered area (edges included).
    pub fn contains(&self, lat_deg: f64, lon_deg: f64) -> bool {
        let (s, w, n, e) = self.bounds_deg();
        lat_deg >= s && lat_deg <= n && lon_deg >= w && lon_deg <= e
    }

    /// Bilinear height at a point, m; exact at the nodes. Points in the
    /// half-cell margin of area rasters take the edge value. Where some of
    /// the four surrounding nodes are voids, the valid ones are used with
    /// renormalised weights; `None` when all four are voids or the point is
    /// outside the raster.
    pub fn height_m(&self, lat_deg: f64, lon_deg: f64) -> Option<f64> {
        if !self.contains(lat_deg, lon_deg) {
            return None;
        }
        let g = &self.georef;
        let row = snap((g.lat0_deg - lat_deg) / g.dlat_deg).clamp(0.0, (self.height - 1) as f64);
        let col = snap((lon_deg - g.lon0_deg) / g.dlon_deg).clamp(0.0, (self.width - 1) as f64);
        let r0 = (row.floor() as usize).min(self.height.saturating_sub(2));
        let c0 = (col.floor() as usize).min(self.width.saturating_sub(2));
        let fy = row - r0 as f64;
        let fx = col - c0 as f64;
        // All four nodes valid (the common case): the form
        // a + fx·(b − a) + fy·(c − a) + fx·fy·(a − b − c + d), exact at the
        // nodes and on constant terrain.
        if let (Some(a), Some(b), Some(c), Some(d)) = (
            self.node_m(r0, c0),
            self.node_m(r0, c0 + 1),
            self.node_m(r0 + 1, c0),
            self.node_m(r0 + 1, c0 + 1),
        ) {
            return Some(a + fx * (b - a) + fy * (c - a) + fx * fy * (a - b - c + d));
        }
        let corners = [
            (r0, c0, (1.0 - fy) * (1.0 - fx)),
            (r0, c0 + 1, (1.0 - fy) * fx),
            (r0 + 1, c0, fy * (1.0 - fx)),
            (r0 + 1, c0 + 1, fy * fx),
        ];
        let mut sum = 0.0;
        let mut wsum = 0.0;
        for (r, c, w) in corners {
            if w == 0.0 {
                continue;
            }
            if let Some(h) = self.node_m(r, c) {
                sum += w * h;
                wsum += w;
            }
        }
        if wsum > 0.0 { Some(sum / wsum) } else { None }
    }
}

/// True for a DEM value that is a terrain height: finite and within
/// [`bounds::MIN_DEM_HEIGHT_M`] … [`bounds::MAX_DEM_HEIGHT_M`] (the SRTM void
/// −32768 is outside).
pub fn is_terrain_height(h: f64) -> bool {
    (bounds::MIN_DEM_HEIGHT_M..=bounds::MAX_DEM_HEIGHT_M).contains(&h)
}

impl Raster {
    /// True when at least one node holds a terrain height.
    pub fn has_terrain(&self) -> bool {
        match &self.storage {
            Storage::Owned(v) => v.iter().any(|h| is_terrain_height(f64::from(*h))),
            Storage::HgtMap(m) => m
                .chunks_exact(2)
                .any(|b| is_terrain_height(f64::from(i16::from_be_bytes([b[0], b[1]])))),
        }
    }
}

/// Rounds a fractional grid coordinate to the nearest integer when it is
/// within 1e-9 cells of it, so that points computed from node coordinates hit
/// the node exactly.
fn snap(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() < 1e-9 { r } else { x }
}

fn check_grid(g: &GeoRef, width: usize, height: usize, len: usize) -> Result<(), TerrainError> {
    if width < 2 || height < 2 {
        return Err(TerrainError::Invalid(format!(
            "expected at least 2 × 2 nodes, found {width} × {height}"
        )));
    }
    if width.checked_mul(height) != Some(len) {
        return Err(TerrainError::Invalid(format!(
            "expected {width} × {height} = {} heights, found {len}",
            width.saturating_mul(height)
        )));
    }
    let ok = |v: f64| v.is_finite();
    if !(ok(g.lat0_deg)
        && ok(g.lon0_deg)
        && g.dlat_deg > 0.0
        && g.dlon_deg > 0.0
        && ok(g.dlat_deg)
        && ok(g.dlon_deg))
    {
        return Err(TerrainError::Invalid(format!(
            "expected a finite origin and a finite spacing > 0, found origin {}°, {}° and spacing {}° × {}°",
            g.lat0_deg, g.lon0_deg, g.dlat_deg, g.dlon_deg
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Raster {
        let g = GeoRef {
            lat0_deg: 2.0,
            lon0_deg: 10.0,
            dlat_deg: 1.0,
            dlon_deg: 1.0,
            margin_cells: 0.0,
        };
        Raster::from_f32(
            g,
            3,
            3,
            vec![0.0, 1.0, 2.0, 3.0, f32::NAN, 5.0, 6.0, 7.0, 8.0],
        )
        .unwrap()
    }

    #[test]
    fn exact_at_nodes_and_bilinear_between() {
        let r = grid();
        assert_eq!(r.height_m(2.0, 10.0), Some(0.0));
        assert_eq!(r.height_m(0.0, 12.0), Some(8.0));
        assert_eq!(r.height_m(2.0, 10.5), Some(0.5));
        // Void node: the three valid neighbours with renormalised weights.
        assert_eq!(r.height_m(1.0, 11.0), None);
        let h = r.height_m(1.5, 10.5).unwrap();
        assert!((h - (0.0 + 1.0 + 3.0) / 3.0).abs() < 1e-12);
        assert_eq!(r.height_m(2.5, 10.0), None);
    }

    #[test]
    fn rejects_bad_sizes() {
        let g = GeoRef {
            lat0_deg: 0.0,
            lon0_deg: 0.0,
            dlat_deg: 1.0,
            dlon_deg: 1.0,
            margin_cells: 0.0,
        };
        assert!(Raster::from_f32(g, 2, 2, vec![0.0; 3]).is_err());
        assert!(Raster::from_f32(g, 1, 3, vec![0.0; 3]).is_err());
    }
}
