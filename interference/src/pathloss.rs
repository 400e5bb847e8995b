//! Path loss between two stations of the register with any model Spectra
//! has (free space ITU-R P.525-4, P.452-18, P.1812-6, NTIA ITM, Hata), over
//! the terrain profile from the DEM when one is given, else over a smooth
//! profile between the sites' ground heights.

use spectrum_core::coverage::{PathInput, PathLossModel};
use spectrum_core::geodesy::{self, GeoPoint};
use spectrum_core::path;
use spectrum_core::terrain::tileset::TileSet;
use stations::model::Station;

pub use spectrum_core::coverage::PathLossModel as Model;

/// One evaluated path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathResult {
    /// Geodesic distance, km.
    pub distance_km: f64,
    /// Basic transmission loss, dB.
    pub loss_db: f64,
    /// Azimuth from the transmitter towards the receiver, degrees.
    pub azimuth_tx_deg: f64,
    /// Azimuth from the receiver towards the transmitter, degrees.
    pub azimuth_rx_deg: f64,
    /// Elevation of the receiver antenna seen from the transmitter antenna
    /// (straight line, flat Earth), degrees; negative below the horizon.
    pub elevation_tx_deg: f64,
}

/// How paths are sampled.
#[derive(Debug, Clone, Copy)]
pub struct Sampling<'a> {
    /// The terrain, if any.
    pub terrain: Option<&'a TileSet>,
    /// Profile spacing, m.
    pub step_m: f64,
}

/// The loss from `tx` to `rx` at `freq_mhz` with `model`.
///
/// With terrain, the profile is extracted from the DEM (and the sites'
/// ground heights are the terrain's); without, it is a straight line between
/// the sites' ground heights (0 m when unknown), sampled every `step_m` but
/// in at most 32 intervals. The error says why the model
/// or the terrain refused the path.
///
/// ```
/// use interference::pathloss::{path_loss, Sampling};
/// use spectrum_core::coverage::FreeSpace;
/// let a = stations::model::Assignment::example("a", 460_000_000, "12K5F3E").station;
/// let mut b = a.clone();
/// b.site.lat_deg += 0.1; // about 11.1 km north
/// let r = path_loss(&FreeSpace, &a, &b, 460.0, Sampling { terrain: None, step_m: 100.0 }).unwrap();
/// assert!((r.distance_km - 11.1).abs() < 0.1);
/// assert!((r.loss_db - spectrum_core::p525::free_space_loss_db(460.0, r.distance_km)).abs() < 1e-3);
/// ```
pub fn path_loss(
    model: &dyn PathLossModel,
    tx: &Station,
    rx: &Station,
    freq_mhz: f64,
    sampling: Sampling<'_>,
) -> Result<PathResult, String> {
    let a = GeoPoint::new(tx.site.lat_deg, tx.site.lon_deg);
    let b = GeoPoint::new(rx.site.lat_deg, rx.site.lon_deg);
    let inv = geodesy::inverse(a, b);
    let step_m = sampling.step_m.max(1.0);
    let elevations: Vec<f64>;
    let spacing_m;
    match sampling.terrain {
        Some(tiles) => {
            let p = path::extract(tiles, a, b, step_m).map_err(|e| e.to_string())?;
            spacing_m = p.dist_m / (p.profile.len().saturating_sub(1).max(1)) as f64;
            elevations = p.profile.heights_m.clone();
        }
        None => {
            // A straight line between the ground heights needs no fine
            // sampling: at most 32 intervals.
            let n = ((inv.dist_m / step_m).ceil() as usize).clamp(1, 32);
            let (h0, h1) = (
                tx.site.ground_m.unwrap_or(0.0),
                rx.site.ground_m.unwrap_or(0.0),
            );
            elevations = (0..=n)
                .map(|i| h0 + (h1 - h0) * i as f64 / n as f64)
                .collect();
            spacing_m = inv.dist_m / n as f64;
        }
    }
    let input = PathInput {
        elevations_m: &elevations,
        step_m: spacing_m,
        tx_height_m: tx.antenna_height_m,
        rx_height_m: rx.antenna_height_m,
        freq_mhz,
    };
    let loss = model.loss_db(&input)?;
    let dh = input.antenna_height_diff_m();
    Ok(PathResult {
        distance_km: inv.dist_m / 1000.0,
        loss_db: loss.loss_db,
        azimuth_tx_deg: inv.azi1_deg.rem_euclid(360.0),
        azimuth_rx_deg: (inv.azi2_deg + 180.0).rem_euclid(360.0),
        elevation_tx_deg: dh.atan2(inv.dist_m.max(1e-9)).to_degrees(),
    })
}
