//! Geodesy on the WGS 84 ellipsoid (NIMA TR8350.2, a = 6 378 137 m,
//! f = 1/298.257 223 563): geodesic distance and azimuths (Karney 2013,
//! "Algorithms for geodesics", through `geographiclib-rs`) and points along a
//! geodesic.

use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};

/// A point on the WGS 84 ellipsoid, degrees.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GeoPoint {
    /// Latitude, degrees north (−90…90).
    pub lat_deg: f64,
    /// Longitude, degrees east (−180…180).
    pub lon_deg: f64,
}

impl GeoPoint {
    /// A point from latitude and longitude in degrees.
    pub fn new(lat_deg: f64, lon_deg: f64) -> Self {
        Self { lat_deg, lon_deg }
    }

    /// True when the latitude is within ±90° and the longitude within ±180°
    /// (both finite).
    pub fn is_valid(&self) -> bool {
        self.lat_deg.is_finite()
            && self.lon_deg.is_finite()
            && self.lat_deg.abs() <= 90.0
            && self.lon_deg.abs() <= 180.0
    }
}

/// Result of the inverse geodesic problem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inverse {
    /// Geodesic distance, m.
    pub dist_m: f64,
    /// Azimuth at the first point, degrees clockwise from north (−180…180).
    pub azi1_deg: f64,
    /// Forward azimuth at the second point, degrees.
    pub azi2_deg: f64,
}

fn wgs84() -> &'static Geodesic {
    static G: std::sync::OnceLock<Geodesic> = std::sync::OnceLock::new();
    G.get_or_init(Geodesic::wgs84)
}

/// Geodesic distance and azimuths between two points on WGS 84.
///
/// ```
/// use spectrum_core::geodesy::{inverse, GeoPoint};
/// // One degree of longitude on the equator: a·π/180.
/// let r = inverse(GeoPoint::new(0.0, 10.0), GeoPoint::new(0.0, 11.0));
/// assert!((r.dist_m - 111_319.490_793).abs() < 1e-3);
/// assert!((r.azi1_deg - 90.0).abs() < 1e-9);
/// ```
pub fn inverse(a: GeoPoint, b: GeoPoint) -> Inverse {
    let (dist_m, azi1_deg, azi2_deg, _a12): (f64, f64, f64, f64) =
        wgs84().inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
    Inverse {
        dist_m,
        azi1_deg,
        azi2_deg,
    }
}

/// The point at `dist_m` from `a` along the geodesic that leaves `a` at
/// azimuth `azi_deg` (direct problem).
pub fn direct(a: GeoPoint, azi_deg: f64, dist_m: f64) -> GeoPoint {
    let (lat, lon): (f64, f64) = wgs84().direct(a.lat_deg, a.lon_deg, azi_deg, dist_m);
    GeoPoint::new(lat, lon)
}

/// Spacing of the exact geodesic points between which [`points_along_azimuth`]
/// interpolates linearly in latitude and longitude, m. Over 1 km a geodesic
/// departs from the straight line in (lat, lon) by a few centimetres.
pub const KNOT_SPACING_M: f64 = 1000.0;

/// `n` points at distances `0, step_m, 2·step_m, …` from `a` along the
/// geodesic leaving `a` at azimuth `azi_deg`. Exact geodesic points are
/// computed every [`KNOT_SPACING_M`] and the points between them are
/// interpolated linearly (error of a few cm), which makes long radials cheap.
pub fn points_along_azimuth(a: GeoPoint, azi_deg: f64, step_m: f64, n: usize) -> Vec<GeoPoint> {
    if n == 0 {
        return Vec::new();
    }
    let total_m = step_m * (n - 1) as f64;
    let knots_n = (total_m / KNOT_SPACING_M).ceil().max(1.0) as usize;
    let knot_m = total_m / knots_n as f64;
    let knots: Vec<GeoPoint> = (0..=knots_n)
        .map(|k| {
            if k == 0 {
                a
            } else {
                direct(a, azi_deg, knot_m * k as f64)
            }
        })
        .collect();
    (0..n)
        .map(|i| {
            let s = step_m * i as f64;
            if knot_m <= 0.0 {
                return a;
            }
            let t = s / knot_m;
            let k = (t.floor() as usize).min(knots_n.saturating_sub(1));
            let f = t - k as f64;
            match (knots.get(k), knots.get(k + 1)) {
                (Some(p), Some(q)) if f != 0.0 => GeoPoint::new(
                    p.lat_deg + f * (q.lat_deg - p.lat_deg),
                    p.lon_deg + f * lon_delta(p.lon_deg, q.lon_deg),
                ),
                (Some(p), _) => *p,
                _ => a,
            }
        })
        .map(|p| GeoPoint::new(p.lat_deg, wrap_lon(p.lon_deg)))
        .collect()
}

/// `n_intervals + 1` equally spaced points from `a` to `b` along the geodesic
/// (first = `a`, last = `b`), with the geodesic distance in m.
pub fn points_between(a: GeoPoint, b: GeoPoint, n_intervals: usize) -> (Vec<GeoPoint>, f64) {
    let inv = inverse(a, b);
    let n = n_intervals.max(1);
    let step_m = inv.dist_m / n as f64;
    let mut pts = points_along_azimuth(a, inv.azi1_deg, step_m, n + 1);
    if let Some(last) = pts.last_mut() {
        *last = b;
    }
    (pts, inv.dist_m)
}

/// Longitude difference `q − p` taken the short way round, degrees.
fn lon_delta(p: f64, q: f64) -> f64 {
    let d = q - p;
    if d > 180.0 {
        d - 360.0
    } else if d < -180.0 {
        d + 360.0
    } else {
        d
    }
}

/// Wraps a longitude into −180…180 degrees.
fn wrap_lon(lon: f64) -> f64 {
    if lon > 180.0 {
        lon - 360.0
    } else if lon < -180.0 {
        lon + 360.0
    } else {
        lon
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_inverts_inverse() {
        let a = GeoPoint::new(42.87, 74.59);
        let b = GeoPoint::new(42.5, 75.3);
        let inv = inverse(a, b);
        let c = direct(a, inv.azi1_deg, inv.dist_m);
        assert!((c.lat_deg - b.lat_deg).abs() < 1e-9 && (c.lon_deg - b.lon_deg).abs() < 1e-9);
    }

    #[test]
    fn interpolated_points_stay_on_the_geodesic() {
        let a = GeoPoint::new(42.87, 74.59);
        let pts = points_along_azimuth(a, 37.0, 90.0, 600);
        for (i, p) in pts.iter().enumerate() {
            let exact = direct(a, 37.0, 90.0 * i as f64);
            let err = inverse(*p, exact).dist_m;
            assert!(err < 0.1, "point {i}: {err} m off");
        }
    }

    #[test]
    fn points_between_end_at_both_sites() {
        let a = GeoPoint::new(0.2, 10.2);
        let b = GeoPoint::new(0.7, 10.9);
        let (pts, d) = points_between(a, b, 10);
        assert_eq!(pts.len(), 11);
        assert_eq!(pts[0], a);
        assert_eq!(pts[10], b);
        assert!(d > 90_000.0);
    }
}
