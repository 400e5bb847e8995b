//! The output grid of a coverage study: a regular latitude/longitude grid
//! (EPSG:4326, WGS 84) whose cells are about `resolution_m` square at the
//! transmitter, either a square around the transmitter (radius) or a
//! bounding box.

use super::CoverageError;
use crate::geodesy::{self, GeoPoint};

/// The area a study covers.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Area {
    /// Cells within `radius_km` of the transmitter.
    Radius {
        /// Radius, km.
        radius_km: f64,
        /// Cell size, m.
        resolution_m: f64,
    },
    /// Every cell of a bounding box.
    BoundingBox {
        /// South edge, degrees.
        south_deg: f64,
        /// West edge, degrees.
        west_deg: f64,
        /// North edge, degrees.
        north_deg: f64,
        /// East edge, degrees.
        east_deg: f64,
        /// Cell size, m.
        resolution_m: f64,
    },
}

/// Geometry of the output grid: cell (row, col) has its centre at
/// `north − (row + ½)·dlat`, `west + (col + ½)·dlon`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Grid {
    /// North edge, degrees.
    pub north_deg: f64,
    /// West edge, degrees.
    pub west_deg: f64,
    /// Cell height, degrees of latitude.
    pub dlat_deg: f64,
    /// Cell width, degrees of longitude.
    pub dlon_deg: f64,
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Cells farther than this from the transmitter are left empty, m
    /// (infinite for a bounding box).
    pub max_dist_m: f64,
}

/// Largest grid accepted (cells), to keep a typo from allocating gigabytes.
pub const MAX_CELLS: usize = 100_000_000;

impl Grid {
    /// The grid of an area around a site.
    pub fn for_area(site: GeoPoint, area: &Area) -> Result<Self, CoverageError> {
        let res = match area {
            Area::Radius { resolution_m, .. } | Area::BoundingBox { resolution_m, .. } => {
                *resolution_m
            }
        };
        if !(res > 0.0 && res.is_finite()) {
            return Err(CoverageError::Invalid(format!(
                "expected a positive resolution in m, found {res}"
            )));
        }
        // Metres per degree at the site, along the meridian and the parallel.
        let d = 0.01;
        let m_lat =
            geodesy::inverse(site, GeoPoint::new(site.lat_deg + d, site.lon_deg)).dist_m / d;
        let m_lon =
            geodesy::inverse(site, GeoPoint::new(site.lat_deg, site.lon_deg + d)).dist_m / d;
        if m_lon.is_nan() || m_lon <= 1.0 {
            return Err(CoverageError::Invalid(format!(
                "expected a site away from the poles, found latitude {}",
                site.lat_deg
            )));
        }
        let dlat = res / m_lat;
        let dlon = res / m_lon;
        let grid = match *area {
            Area::Radius { radius_km, .. } => {
                if !(radius_km > 0.0 && radius_km.is_finite()) {
                    return Err(CoverageError::Invalid(format!(
                        "expected a positive radius in km, found {radius_km}"
                    )));
                }
                let half = (radius_km * 1000.0 / res).ceil() as usize;
                let n = 2 * half + 1;
                Self {
                    north_deg: site.lat_deg + (half as f64 + 0.5) * dlat,
                    west_deg: site.lon_deg - (half as f64 + 0.5) * dlon,
                    dlat_deg: dlat,
                    dlon_deg: dlon,
                    width: n,
                    height: n,
                    max_dist_m: radius_km * 1000.0,
                }
            }
            Area::BoundingBox {
                south_deg,
                west_deg,
                north_deg,
                east_deg,
                ..
            } => {
                if !(north_deg > south_deg && east_deg > west_deg) {
                    return Err(CoverageError::Invalid(format!(
                        "expected south < north and west < east, found {south_deg}, {west_deg}, {north_deg}, {east_deg}"
                    )));
                }
                Self {
                    north_deg,
                    west_deg,
                    dlat_deg: dlat,
                    dlon_deg: dlon,
                    width: ((east_deg - west_deg) / dlon).ceil().max(1.0) as usize,
                    height: ((north_deg - south_deg) / dlat).ceil().max(1.0) as usize,
                    max_dist_m: f64::INFINITY,
                }
            }
        };
        if grid.cells() > MAX_CELLS {
            return Err(CoverageError::Invalid(format!(
                "expected at most {MAX_CELLS} cells, found {} × {} = {}",
                grid.width,
                grid.height,
                grid.cells()
            )));
        }
        Ok(grid)
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.width.saturating_mul(self.height)
    }

    /// Centre of a cell.
    pub fn centre(&self, row: usize, col: usize) -> GeoPoint {
        GeoPoint::new(
            self.north_deg - (row as f64 + 0.5) * self.dlat_deg,
            self.west_deg + (col as f64 + 0.5) * self.dlon_deg,
        )
    }

    /// Bounds: (south, west, north, east), degrees.
    pub fn bounds_deg(&self) -> (f64, f64, f64, f64) {
        (
            self.north_deg - self.height as f64 * self.dlat_deg,
            self.west_deg,
            self.north_deg,
            self.west_deg + self.width as f64 * self.dlon_deg,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radius_grid_is_centred_on_the_site() {
        let site = GeoPoint::new(42.87, 74.59);
        let g = Grid::for_area(
            site,
            &Area::Radius {
                radius_km: 10.0,
                resolution_m: 100.0,
            },
        )
        .unwrap();
        assert_eq!((g.width, g.height), (201, 201));
        let c = g.centre(100, 100);
        assert!(
            (c.lat_deg - site.lat_deg).abs() < 1e-12 && (c.lon_deg - site.lon_deg).abs() < 1e-12
        );
        let east = g.centre(100, 101);
        let d = geodesy::inverse(site, east).dist_m;
        assert!((d - 100.0).abs() < 0.1, "{d}");
    }
}
