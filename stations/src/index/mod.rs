//! The spatial index of the station register: which assignments lie within
//! a geodesic radius of a point, or inside a polygon, and whose occupied band
//! overlaps a frequency range — in logarithmic time (an R-tree, `rstar`).
//!
//! # Geometry, and why the answers are exact
//!
//! Every site is stored as a 3-D Earth-centred point on a sphere of radius
//! [`EARTH_RADIUS_KM`] (the mean radius R₁ of WGS 84), so there is no
//! antimeridian seam and no pole singularity: two sites on either side of
//! 180° are as close in the tree as they are on the ground.
//!
//! The tree only supplies *candidates*; the answer is then decided by the
//! exact predicate, which is the same as in the linear reference
//! [`within_km_linear`]:
//!
//! - **radius**: a geodesic radius `r` on the sphere is the chord
//!   `2R·sin(r / 2R)`. Mapping an ellipsoidal geodesic pointwise to the sphere
//!   (same geodetic latitude and longitude) stretches it by at most
//!   `R / M_min = 6371.0088 / 6335.439 < 1.0057` (`M_min = a(1 − e²)`, the
//!   smallest radius of curvature of the ellipsoid). As `sin` is concave, the
//!   chord bound inflated by 1 % plus 1 m therefore contains every site whose
//!   WGS 84 distance is `≤ r`; each candidate is then kept only when its
//!   geodesic distance (Karney's algorithm, [`spectrum_core::geodesy::inverse`])
//!   is `≤ r`. The index and the linear scan thus return the same set;
//! - **polygon**: polygons are planar in (x = longitude, y = latitude), as in
//!   `geo`. The 3-D box enclosing the polygon's latitude/longitude bounding
//!   box on the sphere (padded by 1 mm) supplies the candidates, and
//!   [`geo::Intersects`] on the point decides (points on the boundary count).
//!
//! # Invalid inputs
//!
//! A site whose coordinates are not finite or out of range (|lat| > 90° or
//! |lon| > 180°, see [`GeoPoint::is_valid`]) is never returned by any query
//! (nor by the linear scan). A query with an invalid centre, or a negative or
//! NaN radius, returns an empty `Vec`; nothing here panics.
//!
//! ```
//! use stations::index::{IndexedSite, StationIndex};
//! let sites = [
//!     IndexedSite::new(42.8746, 74.5698, 449_000_000, 451_000_000), // Bishkek
//!     IndexedSite::new(40.5140, 72.8161, 449_000_000, 451_000_000), // Osh
//! ];
//! let index = StationIndex::from_points(sites);
//! assert_eq!(index.within_km(42.87, 74.60, 10.0, None), vec![0]);
//! assert_eq!(index.within_km(42.87, 74.60, 500.0, Some((450_000_000, 460_000_000))), vec![0, 1]);
//! ```

use geo::{BoundingRect, Intersects, MultiPolygon, Point};
use rstar::RTree;
use rstar::primitives::GeomWithData;
use spectrum_core::geodesy::{GeoPoint, inverse};

use crate::model::Assignment;

/// Radius of the sphere on which sites are indexed, km (mean radius R₁ of WGS 84).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Relative inflation of the chord bound (the ellipsoid departs from the sphere by < 0.6 %).
const CHORD_MARGIN_REL: f64 = 0.01;
/// Absolute inflation of the chord bound, km (1 m: rounding).
const CHORD_MARGIN_KM: f64 = 0.001;
/// Padding of the polygon's 3-D box, km (1 mm: rounding of sin/cos).
const BOX_PAD_KM: f64 = 1e-6;

/// A point of the index: a site and the occupied band `[lower_hz, upper_hz)`.
///
/// ```
/// let s = stations::index::IndexedSite::new(42.8746, 74.5698, 100, 200);
/// assert_eq!((s.lower_hz, s.upper_hz), (100, 200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexedSite {
    /// Latitude, degrees north (WGS 84).
    pub lat_deg: f64,
    /// Longitude, degrees east (WGS 84).
    pub lon_deg: f64,
    /// Lower edge of the occupied band, Hz (inclusive).
    pub lower_hz: u64,
    /// Upper edge of the occupied band, Hz (exclusive).
    pub upper_hz: u64,
}

impl IndexedSite {
    /// A site at (`lat_deg`, `lon_deg`) occupying `[lower_hz, upper_hz)`.
    ///
    /// ```
    /// let s = stations::index::IndexedSite::new(0.0, 0.0, 1, 2);
    /// assert_eq!(s.lat_deg, 0.0);
    /// ```
    pub fn new(lat_deg: f64, lon_deg: f64, lower_hz: u64, upper_hz: u64) -> Self {
        Self {
            lat_deg,
            lon_deg,
            lower_hz,
            upper_hz,
        }
    }

    /// The site and occupied band of an assignment.
    ///
    /// ```
    /// use stations::index::IndexedSite;
    /// let a = stations::model::Assignment::example("a1", 450_000_000, "12K5F3E");
    /// let s = IndexedSite::from_assignment(&a);
    /// assert_eq!((s.lower_hz, s.upper_hz), (449_993_750, 450_006_250));
    /// ```
    pub fn from_assignment(a: &Assignment) -> Self {
        let (lower_hz, upper_hz) = a.occupied_hz();
        Self::new(
            a.station.site.lat_deg,
            a.station.site.lon_deg,
            lower_hz,
            upper_hz,
        )
    }

    /// True when the occupied band overlaps `band = [lo, hi)` (strictly:
    /// bands that only touch do not overlap); `None` matches every band.
    ///
    /// ```
    /// let s = stations::index::IndexedSite::new(0.0, 0.0, 100, 200);
    /// assert!(s.overlaps(Some((199, 300))));
    /// assert!(!s.overlaps(Some((200, 300))));
    /// assert!(s.overlaps(None));
    /// ```
    pub fn overlaps(&self, band: Option<(u64, u64)>) -> bool {
        band.is_none_or(|(lo, hi)| lo.max(self.lower_hz) < hi.min(self.upper_hz))
    }

    fn geo_point(&self) -> GeoPoint {
        GeoPoint::new(self.lat_deg, self.lon_deg)
    }
}

/// Earth-centred coordinates on the sphere of radius [`EARTH_RADIUS_KM`], km.
fn to_xyz(lat_deg: f64, lon_deg: f64) -> [f64; 3] {
    let (sin_lat, cos_lat) = lat_deg.to_radians().sin_cos();
    let (sin_lon, cos_lon) = lon_deg.to_radians().sin_cos();
    [
        EARTH_RADIUS_KM * cos_lat * cos_lon,
        EARTH_RADIUS_KM * cos_lat * sin_lon,
        EARTH_RADIUS_KM * sin_lat,
    ]
}

/// The geodesic test shared by the index and the linear scan.
fn within(centre: GeoPoint, site: &IndexedSite, radius_m: f64) -> bool {
    site.geo_point().is_valid() && inverse(centre, site.geo_point()).dist_m <= radius_m
}

/// True when the query can be answered (valid centre, radius ≥ 0).
fn valid_query(centre: GeoPoint, radius_km: f64) -> bool {
    centre.is_valid() && radius_km >= 0.0
}

/// The linear-scan reference of [`StationIndex::within_km`]: the geodesic
/// distance to every site. Positions in `sites`, ascending.
///
/// ```
/// use stations::index::{within_km_linear, IndexedSite};
/// let sites = [IndexedSite::new(42.8746, 74.5698, 0, 1), IndexedSite::new(f64::NAN, 0.0, 0, 1)];
/// assert_eq!(within_km_linear(&sites, 42.87, 74.57, 1.0, None), vec![0]);
/// assert!(within_km_linear(&sites, 42.87, 74.57, -1.0, None).is_empty());
/// ```
pub fn within_km_linear(
    sites: &[IndexedSite],
    lat_deg: f64,
    lon_deg: f64,
    radius_km: f64,
    band: Option<(u64, u64)>,
) -> Vec<usize> {
    let centre = GeoPoint::new(lat_deg, lon_deg);
    if !valid_query(centre, radius_km) {
        return Vec::new();
    }
    let radius_m = radius_km * 1000.0;
    sites
        .iter()
        .enumerate()
        .filter(|(_, s)| s.overlaps(band) && within(centre, s, radius_m))
        .map(|(i, _)| i)
        .collect()
}

/// The R-tree of sites (3-D points on the sphere) with their occupied bands.
/// Items are identified by their position in the input.
///
/// ```
/// use stations::index::StationIndex;
/// let a = stations::model::Assignment::example("a1", 450_000_000, "12K5F3E");
/// let index = StationIndex::build(&[a]);
/// assert_eq!(index.len(), 1);
/// assert_eq!(index.within_km(42.8746, 74.5698, 0.0, Some((450_000_000, 450_000_001))), vec![0]);
/// ```
#[derive(Debug, Clone)]
pub struct StationIndex {
    sites: Vec<IndexedSite>,
    tree: RTree<GeomWithData<[f64; 3], usize>>,
    /// The same sites split by frequency: one R-tree per bucket of lower
    /// edges (1/16 octave wide), with the bucket's widest occupied band, so
    /// a radius query in a band visits only the buckets that can overlap it.
    buckets: Vec<Bucket>,
}

/// Sites whose lower band edge falls in `[lo_hz, hi_hz)`.
#[derive(Debug, Clone)]
struct Bucket {
    lo_hz: u64,
    hi_hz: u64,
    max_width_hz: u64,
    tree: RTree<GeomWithData<[f64; 3], usize>>,
}

/// Buckets per octave of lower band edge.
const BUCKETS_PER_OCTAVE: f64 = 16.0;

/// The bucket key of a lower band edge, and the bucket's edges.
fn bucket_of(lower_hz: u64) -> (i64, u64, u64) {
    let f = (lower_hz.max(1)) as f64;
    let k = (f.log2() * BUCKETS_PER_OCTAVE).floor() as i64;
    let edge = |k: i64| (2f64.powf(k as f64 / BUCKETS_PER_OCTAVE)).floor() as u64;
    // Edges recomputed from k can miss the value by one ulp: widen them so the
    // bucket surely contains `lower_hz` (the query test stays conservative).
    (k, edge(k).min(lower_hz), edge(k + 1).max(lower_hz + 1))
}

impl StationIndex {
    /// The index of a register's assignments (position = index in `assignments`).
    ///
    /// ```
    /// let index = stations::index::StationIndex::build(&[]);
    /// assert!(index.is_empty());
    /// ```
    pub fn build(assignments: &[Assignment]) -> StationIndex {
        Self::from_points(assignments.iter().map(IndexedSite::from_assignment))
    }

    /// The index of plain sites (position = rank in the iteration). Sites
    /// with invalid coordinates are kept in the numbering but never returned.
    ///
    /// ```
    /// use stations::index::{IndexedSite, StationIndex};
    /// let index = StationIndex::from_points([IndexedSite::new(f64::NAN, 0.0, 0, 1)]);
    /// assert_eq!(index.total(), 1);
    /// assert_eq!(index.len(), 0);
    /// ```
    pub fn from_points(sites: impl IntoIterator<Item = IndexedSite>) -> StationIndex {
        let sites: Vec<IndexedSite> = sites.into_iter().collect();
        let items = sites
            .iter()
            .enumerate()
            .filter(|(_, s)| s.geo_point().is_valid())
            .map(|(i, s)| GeomWithData::new(to_xyz(s.lat_deg, s.lon_deg), i))
            .collect();
        let mut grouped: std::collections::BTreeMap<i64, (u64, u64, u64, Vec<_>)> =
            std::collections::BTreeMap::new();
        for (i, s) in sites.iter().enumerate() {
            if !s.geo_point().is_valid() {
                continue;
            }
            let (k, lo, hi) = bucket_of(s.lower_hz);
            let e = grouped.entry(k).or_insert((lo, hi, 0, Vec::new()));
            e.0 = e.0.min(lo);
            e.1 = e.1.max(hi);
            e.2 = e.2.max(s.upper_hz.saturating_sub(s.lower_hz));
            e.3.push(GeomWithData::new(to_xyz(s.lat_deg, s.lon_deg), i));
        }
        let buckets = grouped
            .into_values()
            .map(|(lo_hz, hi_hz, max_width_hz, items)| Bucket {
                lo_hz,
                hi_hz,
                max_width_hz,
                tree: RTree::bulk_load(items),
            })
            .collect();
        StationIndex {
            sites,
            tree: RTree::bulk_load(items),
            buckets,
        }
    }

    /// Number of indexed (valid) sites.
    ///
    /// ```
    /// assert_eq!(stations::index::StationIndex::from_points([]).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when no valid site is indexed.
    ///
    /// ```
    /// assert!(stations::index::StationIndex::from_points([]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Number of input items, valid or not.
    ///
    /// ```
    /// assert_eq!(stations::index::StationIndex::from_points([]).total(), 0);
    /// ```
    pub fn total(&self) -> usize {
        self.sites.len()
    }

    /// The input items, in input order.
    ///
    /// ```
    /// assert!(stations::index::StationIndex::from_points([]).sites().is_empty());
    /// ```
    pub fn sites(&self) -> &[IndexedSite] {
        &self.sites
    }

    fn site(&self, i: usize) -> Option<&IndexedSite> {
        self.sites.get(i)
    }

    /// Positions of the sites within `radius_km` (WGS 84 geodesic distance,
    /// inclusive) of (`lat_deg`, `lon_deg`) whose band overlaps `band`,
    /// ascending. Same result as [`within_km_linear`]. Empty when the centre
    /// is invalid or the radius negative or NaN; an infinite radius matches
    /// every valid site.
    ///
    /// ```
    /// use stations::index::{IndexedSite, StationIndex};
    /// let index = StationIndex::from_points([
    ///     IndexedSite::new(0.0, 179.95, 0, 10),
    ///     IndexedSite::new(0.0, -179.95, 10, 20),
    /// ]);
    /// assert_eq!(index.within_km(0.0, 180.0, 6.0, None), vec![0, 1]);
    /// assert_eq!(index.within_km(0.0, 180.0, 6.0, Some((10, 11))), vec![1]);
    /// assert!(index.within_km(0.0, 180.0, f64::NAN, None).is_empty());
    /// ```
    pub fn within_km(
        &self,
        lat_deg: f64,
        lon_deg: f64,
        radius_km: f64,
        band: Option<(u64, u64)>,
    ) -> Vec<usize> {
        let centre = GeoPoint::new(lat_deg, lon_deg);
        if !valid_query(centre, radius_km) {
            return Vec::new();
        }
        let angle = (radius_km / EARTH_RADIUS_KM).min(std::f64::consts::PI);
        let chord = 2.0 * EARTH_RADIUS_KM * (angle / 2.0).sin();
        let bound = chord * (1.0 + CHORD_MARGIN_REL) + CHORD_MARGIN_KM;
        let radius_m = radius_km * 1000.0;
        let xyz = to_xyz(lat_deg, lon_deg);
        // The WGS-84 geodesic differs from the arc on the mean sphere by less
        // than 0.6 %: a site whose spherical arc is within 99 % of the radius
        // is surely inside, and only the thin shell beyond needs the geodesic.
        let sure_km = radius_km * 0.99;
        let keep = |item: &GeomWithData<[f64; 3], usize>| {
            let i = item.data;
            self.site(i).is_some_and(|s| {
                if !s.overlaps(band) {
                    return false;
                }
                let g = item.geom();
                let chord_km =
                    ((g[0] - xyz[0]).powi(2) + (g[1] - xyz[1]).powi(2) + (g[2] - xyz[2]).powi(2))
                        .sqrt();
                let arc_km =
                    2.0 * EARTH_RADIUS_KM * (chord_km / (2.0 * EARTH_RADIUS_KM)).min(1.0).asin();
                arc_km <= sure_km || within(centre, s, radius_m)
            })
        };
        let mut out: Vec<usize> = match band {
            None => self
                .tree
                .locate_within_distance(xyz, bound * bound)
                .filter(|item| keep(item))
                .map(|item| item.data)
                .collect(),
            // A site of a bucket has lo ∈ [bucket.lo, bucket.hi) and a width
            // ≤ bucket.max_width: it can overlap [q_lo, q_hi) only if
            // bucket.lo < q_hi and bucket.hi + max_width > q_lo.
            Some((q_lo, q_hi)) => self
                .buckets
                .iter()
                .filter(|b| b.lo_hz < q_hi && b.hi_hz.saturating_add(b.max_width_hz) > q_lo)
                .flat_map(|b| b.tree.locate_within_distance(xyz, bound * bound))
                .filter(|item| keep(item))
                .map(|item| item.data)
                .collect(),
        };
        out.sort_unstable();
        out
    }

    /// Positions of the sites inside or on the boundary of `polygon`
    /// (x = longitude, y = latitude, degrees, planar as in `geo`) whose band
    /// overlaps `band`, ascending.
    ///
    /// ```
    /// use geo::{MultiPolygon, polygon};
    /// use stations::index::{IndexedSite, StationIndex};
    /// let index = StationIndex::from_points([
    ///     IndexedSite::new(42.0, 74.0, 0, 10),
    ///     IndexedSite::new(45.0, 74.0, 0, 10),
    ///     IndexedSite::new(41.0, 74.0, 0, 10), // on the boundary
    /// ]);
    /// let square = polygon![(x: 73.0, y: 41.0), (x: 75.0, y: 41.0), (x: 75.0, y: 43.0), (x: 73.0, y: 43.0)];
    /// assert_eq!(index.within_polygon(&MultiPolygon::new(vec![square]), None), vec![0, 2]);
    /// ```
    pub fn within_polygon(
        &self,
        polygon: &MultiPolygon<f64>,
        band: Option<(u64, u64)>,
    ) -> Vec<usize> {
        let Some(rect) = polygon.bounding_rect() else {
            return Vec::new();
        };
        let (min, max) = (rect.min(), rect.max());
        let Some(envelope) = sphere_box(min.y, max.y, min.x, max.x) else {
            return Vec::new();
        };
        let mut out: Vec<usize> = self
            .tree
            .locate_in_envelope(&envelope)
            .map(|item| item.data)
            .filter(|&i| {
                self.site(i).is_some_and(|s| {
                    s.overlaps(band) && polygon.intersects(&Point::new(s.lon_deg, s.lat_deg))
                })
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Positions of the `n` valid sites nearest to (`lat_deg`, `lon_deg`) by
    /// WGS 84 geodesic distance, nearest first (ties by position). Empty when
    /// the point is invalid.
    ///
    /// ```
    /// use stations::index::{IndexedSite, StationIndex};
    /// let index = StationIndex::from_points([
    ///     IndexedSite::new(40.5140, 72.8161, 0, 1),
    ///     IndexedSite::new(42.8746, 74.5698, 0, 1),
    ///     IndexedSite::new(42.4907, 78.3936, 0, 1),
    /// ]);
    /// assert_eq!(index.nearest(42.9, 74.6, 2), vec![1, 0]);
    /// ```
    pub fn nearest(&self, lat_deg: f64, lon_deg: f64, n: usize) -> Vec<usize> {
        let centre = GeoPoint::new(lat_deg, lon_deg);
        if !centre.is_valid() || n == 0 {
            return Vec::new();
        }
        // Best (distance m, position), sorted; a candidate at chord c is at
        // least `lower_m(c)` away on the ellipsoid, so the walk in chord
        // order stops once that exceeds the n-th best distance.
        let lower_m = |chord_km: f64| {
            let ratio = (chord_km / (2.0 * EARTH_RADIUS_KM)).min(1.0);
            (2.0 * EARTH_RADIUS_KM * ratio.asin() / (1.0 + CHORD_MARGIN_REL) - CHORD_MARGIN_KM)
                * 1000.0
        };
        let mut best: Vec<(f64, usize)> = Vec::with_capacity(n + 1);
        for (item, d2) in self
            .tree
            .nearest_neighbor_iter_with_distance_2(&to_xyz(lat_deg, lon_deg))
        {
            if best.len() == n && best.last().is_some_and(|&(d, _)| lower_m(d2.sqrt()) > d) {
                break;
            }
            let Some(site) = self.site(item.data) else {
                continue;
            };
            let cand = (inverse(centre, site.geo_point()).dist_m, item.data);
            let at =
                best.partition_point(|b| b.0.total_cmp(&cand.0).then(b.1.cmp(&cand.1)).is_lt());
            if at < n {
                best.insert(at, cand);
                best.truncate(n);
            }
        }
        best.into_iter().map(|(_, i)| i).collect()
    }
}

/// Whether the angle `t` (degrees, modulo 360) lies in `[a, b]`.
fn angle_in(a: f64, b: f64, t: f64) -> bool {
    let k = ((a - t) / 360.0).ceil();
    t + 360.0 * k <= b
}

/// Range of `f` over the angles `[a, b]` (degrees), `f` being cos or sin with
/// its maximum at `peak` and minimum at `peak + 180`.
fn trig_range(a: f64, b: f64, f: fn(f64) -> f64, peak: f64) -> (f64, f64) {
    if b - a >= 360.0 {
        return (-1.0, 1.0);
    }
    let (fa, fb) = (f(a.to_radians()), f(b.to_radians()));
    let hi = if angle_in(a, b, peak) {
        1.0
    } else {
        fa.max(fb)
    };
    let lo = if angle_in(a, b, peak + 180.0) {
        -1.0
    } else {
        fa.min(fb)
    };
    (lo, hi)
}

/// Product of the intervals `[c0, c1]` (c0 ≥ 0) and `[k0, k1]`.
fn times(c: (f64, f64), k: (f64, f64)) -> (f64, f64) {
    let lo = if k.0 >= 0.0 { c.0 * k.0 } else { c.1 * k.0 };
    let hi = if k.1 >= 0.0 { c.1 * k.1 } else { c.0 * k.1 };
    (lo, hi)
}

/// The 3-D box enclosing the latitude/longitude box on the sphere, padded;
/// `None` when the bounds are not finite.
fn sphere_box(lat0: f64, lat1: f64, lon0: f64, lon1: f64) -> Option<rstar::AABB<[f64; 3]>> {
    if ![lat0, lat1, lon0, lon1].iter().all(|v| v.is_finite()) || lat0 > lat1 || lon0 > lon1 {
        return None;
    }
    let (lat0, lat1) = (lat0.clamp(-90.0, 90.0), lat1.clamp(-90.0, 90.0));
    let cos_lat = trig_range(lat0, lat1, f64::cos, 0.0);
    let cos_lat = (cos_lat.0.max(0.0), cos_lat.1);
    let x = times(cos_lat, trig_range(lon0, lon1, f64::cos, 0.0));
    let y = times(cos_lat, trig_range(lon0, lon1, f64::sin, 90.0));
    let z = (lat0.to_radians().sin(), lat1.to_radians().sin());
    let r = EARTH_RADIUS_KM;
    let lower = [x.0, y.0, z.0].map(|v| r * v - BOX_PAD_KM);
    let upper = [x.1, y.1, z.1].map(|v| r * v + BOX_PAD_KM);
    Some(rstar::AABB::from_corners(lower, upper))
}

#[cfg(test)]
mod tests;
