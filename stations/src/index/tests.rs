//! Tests of the station index against linear and brute-force scans.
use super::*;
use geo::{Contains, Polygon, polygon};

/// A tiny deterministic generator (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);
impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

fn random_sites(seed: u64, n: usize) -> Vec<IndexedSite> {
    let mut g = Lcg(seed);
    let mut sites = Vec::with_capacity(n);
    for i in 0..n {
        // A third worldwide, a third clustered at the antimeridian, a
        // third near the north pole.
        let (lat, lon) = match i % 3 {
            0 => (g.range(-90.0, 90.0), g.range(-180.0, 180.0)),
            1 => (g.range(-5.0, 5.0), 179.9 + g.range(-0.3, 0.3)),
            _ => (g.range(85.0, 90.0), g.range(-180.0, 180.0)),
        };
        let lon = if lon > 180.0 { lon - 360.0 } else { lon };
        let lo = (g.range(30e6, 6e9)) as u64;
        let hi = lo + (g.range(1e3, 50e6)) as u64;
        sites.push(IndexedSite::new(lat, lon, lo, hi));
    }
    sites
}

#[test]
fn radius_queries_equal_the_linear_scan() {
    let sites = random_sites(42, 3000);
    let index = StationIndex::from_points(sites.clone());
    let mut g = Lcg(7);
    let mut centres = vec![
        (0.0, 179.9),
        (0.0, -179.9),
        (1.0, 180.0),
        (89.9, 0.0),
        (90.0, 0.0),
        (-89.9, 45.0),
    ];
    // Centres on the sites themselves (radius 0 must find them).
    centres.extend(sites.iter().step_by(500).map(|s| (s.lat_deg, s.lon_deg)));
    for _ in 0..6 {
        centres.push((g.range(-90.0, 90.0), g.range(-180.0, 180.0)));
    }
    let bands = [None, Some((1_000_000_000, 2_000_000_000))];
    let mut found = 0;
    for &(lat, lon) in &centres {
        for r in [0.0, 0.5, 5.0, 50.0, 500.0, 5000.0, 20_000.0] {
            for band in bands {
                let got = index.within_km(lat, lon, r, band);
                assert_eq!(
                    got,
                    within_km_linear(&sites, lat, lon, r, band),
                    "{lat} {lon} {r}"
                );
                found += got.len();
            }
        }
    }
    assert!(found > 10_000, "the queries found too little: {found}");
    assert_eq!(
        index.within_km(0.0, 0.0, f64::INFINITY, None).len(),
        sites.len()
    );
}

#[test]
fn frequency_filter_edges() {
    let sites = [IndexedSite::new(42.0, 74.0, 100, 200)];
    let index = StationIndex::from_points(sites);
    let q = |band| index.within_km(42.0, 74.0, 1.0, Some(band));
    assert!(q((200, 300)).is_empty(), "touching above");
    assert!(q((0, 100)).is_empty(), "touching below");
    assert_eq!(q((199, 300)), vec![0]);
    assert_eq!(q((0, 101)), vec![0]);
    assert_eq!(q((150, 160)), vec![0]);
    assert_eq!(q((0, 1000)), vec![0]);
    assert!(q((150, 150)).is_empty(), "empty range");
    assert!(q((300, 0)).is_empty(), "inverted range");
}

#[test]
fn polygon_queries_equal_a_brute_force_scan() {
    let mut g = Lcg(99);
    let sites: Vec<IndexedSite> = (0..3000)
        .map(|_| {
            let lo = g.range(30e6, 6e9) as u64;
            IndexedSite::new(g.range(39.2, 43.3), g.range(69.2, 80.3), lo, lo + 1_000_000)
        })
        .chain([
            IndexedSite::new(40.0, 70.0, 0, 10),          // a vertex
            IndexedSite::new(40.0, 75.0, 0, 10),          // on an edge
            IndexedSite::new(f64::NAN, 74.0, 0, 10),      // invalid
            IndexedSite::new(41.0, f64::INFINITY, 0, 10), // invalid
            IndexedSite::new(85.0, 179.5, 0, 10),         // in the polar triangle
            IndexedSite::new(90.0, 180.0, 0, 10),         // its vertex at the pole
        ])
        .collect();
    let index = StationIndex::from_points(sites.clone());
    let triangle: Polygon<f64> =
        polygon![(x: 70.0, y: 40.0), (x: 80.0, y: 40.0), (x: 75.0, y: 43.0)];
    let ring: Polygon<f64> =
        polygon![(x: 178.0, y: 80.0), (x: 180.0, y: 80.0), (x: 180.0, y: 90.0)];
    let shapes = MultiPolygon::new(vec![triangle, ring]);
    for band in [None, Some((1_000_000_000, 3_000_000_000))] {
        let got = index.within_polygon(&shapes, band);
        let brute: Vec<usize> = sites
            .iter()
            .enumerate()
            .filter(|(_, s)| s.lat_deg.is_finite() && s.lon_deg.is_finite() && s.overlaps(band))
            .filter(|(_, s)| {
                let p = Point::new(s.lon_deg, s.lat_deg);
                shapes
                    .0
                    .iter()
                    .any(|t| t.contains(&p) || t.exterior().intersects(&p))
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(got, brute);
        assert!(got.len() > 100, "{}", got.len());
    }
    let all = index.within_polygon(&shapes, None);
    for i in [3000, 3001, 3004, 3005] {
        assert!(all.contains(&i), "{i}");
    }
    assert!(
        index
            .within_polygon(&MultiPolygon::new(vec![]), None)
            .is_empty()
    );
}

#[test]
fn invalid_sites_and_queries() {
    let sites = [
        IndexedSite::new(f64::NAN, 74.0, 0, 10),
        IndexedSite::new(42.0, f64::NAN, 0, 10),
        IndexedSite::new(95.0, 74.0, 0, 10),
        IndexedSite::new(42.0, 74.0, 0, 10),
    ];
    let index = StationIndex::from_points(sites);
    assert_eq!((index.len(), index.total()), (1, 4));
    assert_eq!(index.within_km(42.0, 74.0, f64::INFINITY, None), vec![3]);
    assert_eq!(
        within_km_linear(&sites, 42.0, 74.0, f64::INFINITY, None),
        vec![3]
    );
    assert_eq!(index.nearest(0.0, 0.0, 10), vec![3]);
    assert!(index.within_km(42.0, 74.0, -1.0, None).is_empty());
    assert!(index.within_km(42.0, 74.0, f64::NAN, None).is_empty());
    assert!(index.within_km(f64::NAN, 74.0, 1.0, None).is_empty());
    assert!(index.nearest(f64::NAN, 74.0, 1).is_empty());
    assert!(
        StationIndex::from_points([])
            .within_km(0.0, 0.0, 1.0, None)
            .is_empty()
    );
}

#[test]
fn nearest_matches_a_sorted_scan() {
    let sites = random_sites(5, 2000);
    let index = StationIndex::from_points(sites.clone());
    for (lat, lon) in [(0.0, 180.0), (88.0, 10.0), (42.87, 74.57), (-60.0, -30.0)] {
        let c = GeoPoint::new(lat, lon);
        let mut all: Vec<(f64, usize)> = sites
            .iter()
            .enumerate()
            .map(|(i, s)| (inverse(c, s.geo_point()).dist_m, i))
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let want: Vec<usize> = all.iter().take(25).map(|&(_, i)| i).collect();
        assert_eq!(index.nearest(lat, lon, 25), want);
    }
}
