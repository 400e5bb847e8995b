//! Gridding of a protection area (README §1.5; upstream `geo/utils.py`,
//! `GridPolygon`).

use geo::{BoundingRect, Distance, Euclidean, Point, Polygon};

/// Buffer added around the polygon so that grid points on its boundary count,
/// degrees (about 1 mm).
pub const GRID_BUFFER_DEG: f64 = 1e-8;

/// Grid points `(lat, lon)` of `polygon` (x = longitude, y = latitude, degrees)
/// at a resolution of `res_arcsec` arc-seconds (2″ for PPA and GWPZ).
///
/// The grid is anchored on multiples of the resolution: `lon0 = floor(lon_min /
/// res)·res`, `lat0 = floor(lat_min / res)·res`, ends `ceil(max / res)·res +
/// res/2`; candidates are `base + index·res` (no running sum) and are kept when
/// within [`GRID_BUFFER_DEG`] of the polygon (inside or on the boundary).
/// Points are returned longitude-major (all latitudes of the first column,
/// then the next column).
///
/// ```
/// use geo::polygon;
/// use interference::cbrs::grid_polygon;
/// let tri = polygon![
///     (x: -100.5728, y: 34.40965),
///     (x: -100.57271, y: 34.40839),
///     (x: -100.57132, y: 34.40927),
/// ];
/// let pts = grid_polygon(&tri, 2.0);
/// assert_eq!(pts.len(), 3);
/// assert!(pts.contains(&(34.40888888888889, -100.57222222222222)));
/// ```
pub fn grid_polygon(polygon: &Polygon<f64>, res_arcsec: f64) -> Vec<(f64, f64)> {
    let Some(bbox) = polygon.bounding_rect() else {
        return Vec::new();
    };
    if res_arcsec.is_nan() || res_arcsec <= 0.0 {
        return Vec::new();
    }
    let res = res_arcsec / 3600.0;
    let lon0 = (bbox.min().x / res).floor() * res;
    let lat0 = (bbox.min().y / res).floor() * res;
    let lon1 = (bbox.max().x / res).ceil() * res + res / 2.0;
    let lat1 = (bbox.max().y / res).ceil() * res + res / 2.0;
    let n_lon = ((lon1 - lon0) / res).floor() as usize + 1;
    let n_lat = ((lat1 - lat0) / res).floor() as usize + 1;
    let mut out = Vec::new();
    for i in 0..n_lon {
        let lon = lon0 + i as f64 * res;
        for j in 0..n_lat {
            let lat = lat0 + j as f64 * res;
            if Euclidean.distance(&Point::new(lon, lat), polygon) <= GRID_BUFFER_DEG {
                out.push((lat, lon));
            }
        }
    }
    out
}
