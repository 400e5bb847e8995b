//! Terrain path profiles extracted from a DEM along the WGS 84 geodesic
//! between two points (see [`crate::geodesy`]), in the profile type the
//! propagation models take ([`PathProfile`]: distances km, heights m).

use thiserror::Error;

use crate::bounds::{self, Ends, OutOfBounds};
use crate::geodesy::{self, GeoPoint};
use crate::profile::{PathProfile, ProfileError};
use crate::terrain::TerrainError;
use crate::terrain::tileset::TileSet;

/// Errors of profile extraction.
#[derive(Debug, Error)]
pub enum PathError {
    /// A terrain lookup failed (missing tile under the error policy, bad file).
    #[error(transparent)]
    Terrain(#[from] TerrainError),
    /// The resulting profile is not valid.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// An argument outside its bounds, or a profile of too many points.
    #[error(transparent)]
    OutOfBounds(#[from] OutOfBounds),
}

/// A path profile with the position of every point.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GeoProfile {
    /// The profile (distances from the first site, km; terrain heights, m).
    pub profile: PathProfile,
    /// Latitude of every point, degrees.
    pub lats: Vec<f64>,
    /// Longitude of every point, degrees.
    pub lons: Vec<f64>,
    /// Geodesic distance between the sites, m.
    pub dist_m: f64,
    /// Initial azimuth at the first site, degrees clockwise from north.
    pub azimuth_deg: f64,
    /// Points where terrain was missing and sea level was used.
    pub missing_samples: usize,
}

/// Extracts the terrain profile from `a` to `b`: `n = ⌈d / step⌉` equal
/// intervals (so the spacing is at most `step_m` and the last point is `b`),
/// heights bilinear from the tile set under its missing-terrain policy.
///
/// Refuses, naming the field: a site outside ±90° / ±180° (`from`, `to`), a
/// step outside (0, 100 000] m (`step_m`), and a profile of more than
/// [`bounds::MAX_PROFILE_POINTS`] points (`step_m`), before allocating it.
pub fn extract(
    tiles: &TileSet,
    a: GeoPoint,
    b: GeoPoint,
    step_m: f64,
) -> Result<GeoProfile, PathError> {
    bounds::in_range(
        "step_m",
        step_m,
        0.0,
        bounds::MAX_STEP_M,
        Ends::OpenClosed,
        "m",
    )?;
    for (field, p) in [("from", a), ("to", b)] {
        if !p.is_valid() {
            return Err(OutOfBounds::new(
                field,
                "latitude within ±90° and longitude within ±180°",
                format!("{}, {}", p.lat_deg, p.lon_deg),
            )
            .into());
        }
    }
    let inv = geodesy::inverse(a, b);
    let intervals_f = (inv.dist_m / step_m).ceil().max(1.0);
    bounds::at_most(
        "step_m",
        "profile points (raise step_m)",
        intervals_f + 1.0,
        bounds::MAX_PROFILE_POINTS,
    )?;
    let n = ((inv.dist_m / step_m).ceil() as usize).max(1);
    let (pts, dist_m) = geodesy::points_between(a, b, n);
    let mut heights = Vec::with_capacity(pts.len());
    let mut missing = 0;
    for p in &pts {
        let s = tiles.sample(p.lat_deg, p.lon_deg)?;
        missing += usize::from(s.missing);
        heights.push(s.height_m);
    }
    let dist_km = dist_m / 1000.0;
    let distances: Vec<f64> = (0..=n)
        .map(|i| {
            if i == n {
                dist_km
            } else {
                dist_km * i as f64 / n as f64
            }
        })
        .collect();
    Ok(GeoProfile {
        profile: PathProfile::new(distances, heights)?,
        lats: pts.iter().map(|p| p.lat_deg).collect(),
        lons: pts.iter().map(|p| p.lon_deg).collect(),
        dist_m,
        azimuth_deg: inv.azi1_deg,
        missing_samples: missing,
    })
}

/// Terrain heights at `n` points `0, step_m, 2·step_m, …` along the geodesic
/// leaving `origin` at `azi_deg` (a radial), with the number of points where
/// terrain was missing.
pub fn radial_heights(
    tiles: &TileSet,
    origin: GeoPoint,
    azi_deg: f64,
    step_m: f64,
    n: usize,
) -> Result<(Vec<f64>, usize), PathError> {
    let pts = geodesy::points_along_azimuth(origin, azi_deg, step_m, n);
    let mut heights = Vec::with_capacity(n);
    let mut missing = 0;
    for p in pts {
        let s = tiles.sample(p.lat_deg, p.lon_deg)?;
        missing += usize::from(s.missing);
        heights.push(s.height_m);
    }
    Ok((heights, missing))
}
