//! The output grid of a coverage study: a regular latitude/longitude grid
//! (EPSG:4326, WGS 84) whose cells are about `resolution_m` square at the
//! transmitter, either a square around the transmitter (radius) or a
//! bounding box.

use crate::bounds::{self, Ends, OutOfBounds};
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

impl std::fmt::Display for Area {
    /// The area as written in provenance: `radius 25 km at 100 m` or
    /// `bounding box 42.5..43.1 N, 74.2..75 E at 100 m` (degrees).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Area::Radius {
                radius_km,
                resolution_m,
            } => write!(f, "radius {radius_km} km at {resolution_m} m"),
            Area::BoundingBox {
                south_deg,
                west_deg,
                north_deg,
                east_deg,
                resolution_m,
            } => write!(
                f,
                "bounding box lat {south_deg}..{north_deg} deg, lon {west_deg}..{east_deg} deg at {resolution_m} m"
            ),
        }
    }
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
pub use crate::bounds::MAX_CELLS;

impl Grid {
    /// The grid of an area around a site; refuses a non-positive cell size
    /// or radius, an empty bounding box, a site at a pole and a grid of more
    /// than [`MAX_CELLS`] cells (sized in `f64` before anything is allocated).
    pub fn for_area(site: GeoPoint, area: &Area) -> Result<Self, OutOfBounds> {
        let res = match area {
            Area::Radius { resolution_m, .. } | Area::BoundingBox { resolution_m, .. } => {
                *resolution_m
            }
        };
        bounds::in_range("resolution_m", res, 0.0, f64::INFINITY, Ends::Open, "m")?;
        // Metres per degree at the site, along the meridian and the parallel.
        let d = 0.01;
        let m_lat =
            geodesy::inverse(site, GeoPoint::new(site.lat_deg + d, site.lon_deg)).dist_m / d;
        let m_lon =
            geodesy::inverse(site, GeoPoint::new(site.lat_deg, site.lon_deg + d)).dist_m / d;
        if m_lon.is_nan() || m_lon <= 1.0 {
            return Err(OutOfBounds::new(
                "site",
                "a site away from the poles",
                format!("latitude {}", site.lat_deg),
            ));
        }
        let dlat = res / m_lat;
        let dlon = res / m_lon;
        let grid = match *area {
            Area::Radius { radius_km, .. } => {
                bounds::in_range("radius_km", radius_km, 0.0, f64::INFINITY, Ends::Open, "km")?;
                let half_f = (radius_km * 1000.0 / res).ceil();
                let side_f = 2.0 * half_f + 1.0;
                too_many_cells(side_f, side_f)?;
                let half = half_f as usize;
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
                    return Err(OutOfBounds::new(
                        "bbox",
                        "south < north and west < east",
                        format!("{south_deg}, {west_deg}, {north_deg}, {east_deg}"),
                    ));
                }
                let width_f = ((east_deg - west_deg) / dlon).ceil().max(1.0);
                let height_f = ((north_deg - south_deg) / dlat).ceil().max(1.0);
                too_many_cells(width_f, height_f)?;
                Self {
                    north_deg,
                    west_deg,
                    dlat_deg: dlat,
                    dlon_deg: dlon,
                    width: width_f as usize,
                    height: height_f as usize,
                    max_dist_m: f64::INFINITY,
                }
            }
        };
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

/// Refuses a grid of more than [`MAX_CELLS`] cells, sized in `f64`.
fn too_many_cells(width_f: f64, height_f: f64) -> Result<(), OutOfBounds> {
    let cells_f = width_f * height_f;
    if cells_f.is_finite() && cells_f <= MAX_CELLS as f64 {
        return Ok(());
    }
    Err(OutOfBounds::new(
        "cells",
        format!("at most {MAX_CELLS} cells (reduce radius_km or the bbox, or raise resolution_m)"),
        format!("{width_f:.0} × {height_f:.0} = {cells_f:.0} cells"),
    ))
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

    #[test]
    fn oversized_grids_are_refused_before_allocation() {
        let site = GeoPoint::new(42.87, 74.59);
        let e = Grid::for_area(
            site,
            &Area::Radius {
                radius_km: 1e12,
                resolution_m: 1.0,
            },
        )
        .unwrap_err();
        assert_eq!(e.field, "cells");
        assert!(e.expected.contains("at most 100000000 cells"), "{e}");
        let e = Grid::for_area(
            site,
            &Area::BoundingBox {
                south_deg: -60.0,
                west_deg: -170.0,
                north_deg: 60.0,
                east_deg: 170.0,
                resolution_m: 10.0,
            },
        )
        .unwrap_err();
        assert_eq!(e.field, "cells");
        let e = Grid::for_area(
            GeoPoint::new(90.0, 0.0),
            &Area::Radius {
                radius_km: 1.0,
                resolution_m: 100.0,
            },
        )
        .unwrap_err();
        assert_eq!(e.field, "site");
    }
}
