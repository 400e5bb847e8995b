//! # Protection and move lists
//!
//! Which transmitters of a register must leave a protected band so that the
//! aggregate interference at a protection area stays under a threshold: the
//! move-list method of the WInnForum SAS reference for Dynamic Protection
//! Areas (WINNF-TS-0112 requirement R2-SGN-24; the reference's
//! `move_list.py`), written by us in Rust from its description.
//!
//! ## Method
//!
//! - **Protection points** ([`ProtectionPoint`]) are given explicitly or by
//!   gridding a polygon ([`ProtectionPoint::grid`], the reference gridding
//!   [`crate::cbrs::grid_polygon`]); each has a receiver antenna (isotropic
//!   by default, or the DPA radar pattern [`crate::cbrs::radar_normalized_gain`]
//!   at a fixed azimuth).
//! - **Constraints**: the protected band `[lo, hi)` is cut into channels of
//!   the reference bandwidth ([`channels`]; a last, narrower channel gets the
//!   threshold scaled by its width). Each (point, channel) is a constraint
//!   with the threshold in dBm per reference bandwidth (e.g. −144 dBm /
//!   10 MHz for a radar).
//! - **Candidates** ([`candidates`]): the transmitters of the register
//!   (transmitting, with an EIRP, not suspended) within the neighbourhood
//!   distance of at least one point (the R-tree
//!   [`stations::index::StationIndex`], WGS 84 geodesic distance) whose
//!   occupied band meets the protected band.
//! - **Contribution** of candidate t at point p in channel k:
//!   `I = EIRP_t − A_t(towards p) + G_p(towards t) − L(t → p) − FDR(t, k)`
//!   (dBm), with `L` the basic transmission loss of the model
//!   ([`crate::pathloss::path_loss`]) and FDR (ITU-R SM.337,
//!   [`crate::fdr::fdr_db`]) of the transmitter's spectrum (its
//!   `emission_mask` from [`MoveListConfig::masks`], else rectangular over its necessary
//!   bandwidth) through a rectangular receiver over the channel: the
//!   contribution counts the overlap of the occupied band with the channel.
//! - **Propagation variability**: `L = L_model + N(0, σ)` with `draws`
//!   independent draws per (candidate, point); the draws of candidate t
//!   (register position i) at point p come from ChaCha8 keyed by `seed` and
//!   p, stream i, so the results do not depend on the thread count or the
//!   evaluation order. σ defaults to [`DEFAULT_SIGMA_DB`]; with σ = 0 (a
//!   model giving the wanted percentile itself) a single draw is used.
//! - **Aggregate**: for each constraint and draw, the sum in mW over the
//!   candidates kept; the `percentile` (95 by default) over the draws
//!   ([`percentile`], linear interpolation as NumPy's default) is compared
//!   with the threshold.
//! - **Move list** (the reference's method): per constraint, the candidates
//!   are sorted by the median over the draws of their interference at that
//!   constraint (ascending; ties by register position); a binary search finds
//!   the largest prefix of that order whose percentile aggregate is ≤ the
//!   threshold: that prefix may stay, the rest move. The move list is the
//!   union over the constraints; the aggregate after is that of the
//!   candidates outside the union (never above any constraint's threshold:
//!   sums are taken in register order, so a subset never sums higher).
//!
//! Everything is deterministic and parallel (rayon over points and paths):
//! the same inputs and seed give bit-identical results whatever the thread
//! count. Not done: the reference's scan of the radar azimuth (here the
//! radar points at a fixed azimuth), ITM reliability draws (use σ instead).
//!
//! ```
//! use interference::movelist::{MoveListConfig, ProtectionPoint, move_list};
//! use spectrum_core::coverage::FreeSpace;
//! use stations::model::Assignment;
//! use stations::register::Register;
//! // Three co-channel transmitters 10, 20 and 40 km north of a point.
//! let mut v = Vec::new();
//! for (i, km) in [10.0, 20.0, 40.0].into_iter().enumerate() {
//!     let mut a = Assignment::example(&format!("t{i}"), 460_000_000, "12K5F3E");
//!     a.station.site.lat_deg += km / 111.2;
//!     v.push(a);
//! }
//! let register = Register::new(v);
//! let point = ProtectionPoint::isotropic(42.8746, 74.5698, 10.0);
//! let mut cfg = MoveListConfig::new((459_993_750, 460_006_250), -68.0);
//! cfg.reference_bandwidth_hz = 12_500;
//! cfg.sigma_db = 0.0;
//! let ml = move_list(&FreeSpace, &register, &[point], &cfg)?;
//! assert_eq!(ml.moved, vec!["t0".to_owned()]); // the nearest must move
//! assert!(ml.constraints[0].after_dbm <= -68.0);
//! # Ok::<(), interference::InterferenceError>(())
//! ```

mod compute;
mod table;

use std::collections::BTreeMap;

use geo::Polygon;
use serde::Serialize;
use spectrum_core::coverage::AntennaPattern;

use crate::cbrs::{grid_polygon, radar_normalized_gain};
use crate::error::InterferenceError;
use crate::mask::Mask;
use crate::pathloss::Sampling;

pub use compute::{candidates, move_list, percentile};
pub use table::{assignments_batch, constraints_batch};

/// Default standard deviation of the log-normal propagation variability,
/// dB: of the order of ITM's location variability over moderately irregular
/// terrain (Δh ≈ 90 m) at a few GHz (ITU-R P.1546 takes 5.5 dB for
/// wide-band urban and suburban areas, more over rough terrain).
pub const DEFAULT_SIGMA_DB: f64 = 8.0;

/// Default number of draws per (candidate, point).
pub const DEFAULT_DRAWS: usize = 1000;

/// Default percentile of the aggregate compared with the threshold
/// (the reference's DPA protection percentile).
pub const DEFAULT_PERCENTILE: f64 = 95.0;

/// Default reference bandwidth of the threshold, Hz (10 MHz, a DPA channel).
pub const DEFAULT_REFERENCE_BANDWIDTH_HZ: u64 = 10_000_000;

/// Default neighbourhood distance, km (the reference's 150 km for
/// category B CBSDs around a DPA).
pub const DEFAULT_NEIGHBOURHOOD_KM: f64 = 150.0;

/// A radar-like receiving pattern: the reference's DPA normalised gain
/// (0 dB inside the beam, −25 dB outside) around a fixed azimuth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RadarPattern {
    /// Pointing azimuth, degrees clockwise from north.
    pub azimuth_deg: f64,
    /// Beamwidth, degrees (360: omnidirectional).
    pub beamwidth_deg: f64,
}

/// A point to protect: a receiver at a location.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProtectionPoint {
    /// Latitude, degrees north (WGS 84).
    pub lat_deg: f64,
    /// Longitude, degrees east.
    pub lon_deg: f64,
    /// Receiver antenna height above ground, m.
    pub height_m: f64,
    /// Receiver antenna gain at boresight, dBi (0: isotropic).
    pub gain_dbi: f64,
    /// Receiving pattern; `None` is omnidirectional.
    pub pattern: Option<RadarPattern>,
}

impl ProtectionPoint {
    /// An isotropic (0 dBi) receiver at `height_m` above the ground.
    pub fn isotropic(lat_deg: f64, lon_deg: f64, height_m: f64) -> ProtectionPoint {
        ProtectionPoint {
            lat_deg,
            lon_deg,
            height_m,
            gain_dbi: 0.0,
            pattern: None,
        }
    }

    /// Receiver gain towards `azimuth_deg`, dBi.
    ///
    /// ```
    /// use interference::movelist::{ProtectionPoint, RadarPattern};
    /// let mut p = ProtectionPoint::isotropic(0.0, 0.0, 50.0);
    /// p.pattern = Some(RadarPattern { azimuth_deg: 90.0, beamwidth_deg: 3.0 });
    /// assert_eq!(p.gain_towards_dbi(90.5), 0.0);
    /// assert_eq!(p.gain_towards_dbi(180.0), -25.0);
    /// ```
    pub fn gain_towards_dbi(&self, azimuth_deg: f64) -> f64 {
        self.gain_dbi
            + self.pattern.map_or(0.0, |r| {
                radar_normalized_gain(azimuth_deg, r.azimuth_deg, r.beamwidth_deg)
            })
    }

    /// The points of `polygon` (x = longitude, y = latitude, degrees) gridded
    /// at `res_arcsec` ([`crate::cbrs::grid_polygon`]), each a copy of
    /// `receiver` at the grid location.
    ///
    /// ```
    /// use geo::polygon;
    /// use interference::movelist::ProtectionPoint;
    /// let square = polygon![(x: 74.0, y: 42.0), (x: 74.01, y: 42.0), (x: 74.01, y: 42.01), (x: 74.0, y: 42.01)];
    /// let pts = ProtectionPoint::grid(&square, 18.0, &ProtectionPoint::isotropic(0.0, 0.0, 10.0));
    /// assert!(!pts.is_empty() && pts.iter().all(|p| p.height_m == 10.0));
    /// ```
    pub fn grid(
        polygon: &Polygon<f64>,
        res_arcsec: f64,
        receiver: &ProtectionPoint,
    ) -> Vec<ProtectionPoint> {
        grid_polygon(polygon, res_arcsec)
            .into_iter()
            .map(|(lat_deg, lon_deg)| ProtectionPoint {
                lat_deg,
                lon_deg,
                ..*receiver
            })
            .collect()
    }
}

/// Parameters of a move-list calculation.
#[derive(Debug, Clone)]
pub struct MoveListConfig<'a> {
    /// The protected band `[lo, hi)`, Hz.
    pub band: (u64, u64),
    /// The bandwidth the threshold refers to, and the width of the channels
    /// the band is cut into, Hz.
    pub reference_bandwidth_hz: u64,
    /// The threshold, dBm per reference bandwidth.
    pub threshold_dbm: f64,
    /// Percentile of the aggregate over the draws compared with the threshold, in (0, 100].
    pub percentile: f64,
    /// Draws of the propagation variability per (candidate, point) (1 when σ = 0).
    pub draws: usize,
    /// Standard deviation of the log-normal variability of the path loss, dB.
    pub sigma_db: f64,
    /// Seed of the draws.
    pub seed: u64,
    /// Transmitters within this distance of a point are candidates, km.
    pub neighbourhood_km: f64,
    /// Terrain and profile spacing.
    pub sampling: Sampling<'a>,
    /// Masks by name, for the stations' `emission_mask` (a station without
    /// one is rectangular over its necessary bandwidth).
    pub masks: BTreeMap<String, Mask>,
    /// Transmitter antenna patterns by the register's `antenna` value.
    pub patterns: BTreeMap<String, AntennaPattern>,
}

impl<'a> MoveListConfig<'a> {
    /// The defaults for `band` and `threshold_dbm` (per
    /// [`DEFAULT_REFERENCE_BANDWIDTH_HZ`]): 95th percentile of
    /// [`DEFAULT_DRAWS`] draws with σ = [`DEFAULT_SIGMA_DB`], seed 0,
    /// [`DEFAULT_NEIGHBOURHOOD_KM`], no terrain (100 m profile spacing), no
    /// masks, no patterns.
    pub fn new(band: (u64, u64), threshold_dbm: f64) -> MoveListConfig<'a> {
        MoveListConfig {
            band,
            reference_bandwidth_hz: DEFAULT_REFERENCE_BANDWIDTH_HZ,
            threshold_dbm,
            percentile: DEFAULT_PERCENTILE,
            draws: DEFAULT_DRAWS,
            sigma_db: DEFAULT_SIGMA_DB,
            seed: 0,
            neighbourhood_km: DEFAULT_NEIGHBOURHOOD_KM,
            sampling: Sampling {
                terrain: None,
                step_m: 100.0,
            },
            masks: BTreeMap::new(),
            patterns: BTreeMap::new(),
        }
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), InterferenceError> {
        let invalid = |field: &str, expected: &str, found: String| {
            Err(InterferenceError::Invalid {
                field: field.to_owned(),
                expected: expected.to_owned(),
                found,
            })
        };
        if self.band.0 >= self.band.1 {
            return invalid("band", "lo < hi", format!("{:?}", self.band));
        }
        if self.reference_bandwidth_hz == 0 {
            return invalid("reference_bandwidth_hz", "> 0", "0".to_owned());
        }
        if !self.threshold_dbm.is_finite() {
            return invalid("threshold_dbm", "finite", self.threshold_dbm.to_string());
        }
        if !(self.percentile > 0.0 && self.percentile <= 100.0) {
            return invalid("percentile", "in (0, 100]", self.percentile.to_string());
        }
        if self.draws == 0 {
            return invalid("draws", "≥ 1", "0".to_owned());
        }
        if !(self.sigma_db.is_finite() && self.sigma_db >= 0.0) {
            return invalid("sigma_db", "finite and ≥ 0", self.sigma_db.to_string());
        }
        if self.neighbourhood_km.is_nan() || self.neighbourhood_km < 0.0 {
            return invalid("neighbourhood_km", "≥ 0", self.neighbourhood_km.to_string());
        }
        Ok(())
    }

    /// Draws actually made per (candidate, point): `draws`, or 1 when σ = 0.
    pub fn effective_draws(&self) -> usize {
        if self.sigma_db == 0.0 { 1 } else { self.draws }
    }
}

/// One channel of the protected band and its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Channel {
    /// Lower edge, Hz.
    pub lo_hz: u64,
    /// Upper edge (exclusive), Hz.
    pub hi_hz: u64,
    /// Threshold in the channel, dBm (the configured one, scaled by the
    /// channel's width over the reference bandwidth when narrower).
    pub threshold_dbm: f64,
}

/// The channels of the protected band: consecutive slices of the reference
/// bandwidth from its lower edge, the last one possibly narrower (its
/// threshold scaled by `10·log10(width / reference)`).
///
/// ```
/// use interference::movelist::{MoveListConfig, channels};
/// let cfg = MoveListConfig::new((3_550_000_000, 3_575_000_000), -144.0);
/// let ch = channels(&cfg);
/// assert_eq!(ch.len(), 3);
/// assert_eq!((ch[2].lo_hz, ch[2].hi_hz), (3_570_000_000, 3_575_000_000));
/// assert!((ch[2].threshold_dbm - (-144.0 - 10.0 * 2f64.log10())).abs() < 1e-12);
/// ```
pub fn channels(cfg: &MoveListConfig<'_>) -> Vec<Channel> {
    let (lo, hi) = cfg.band;
    let step = cfg.reference_bandwidth_hz.max(1);
    let mut out = Vec::new();
    let mut f = lo;
    while f < hi {
        let end = f.saturating_add(step).min(hi);
        let scale = (end - f) as f64 / step as f64;
        out.push(Channel {
            lo_hz: f,
            hi_hz: end,
            threshold_dbm: cfg.threshold_dbm + 10.0 * scale.log10(),
        });
        f = end;
    }
    out
}

/// The result at one constraint (protection point × channel).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstraintResult {
    /// Position of the point in the input.
    pub point: usize,
    /// The channel's lower edge, Hz.
    pub lo_hz: u64,
    /// The channel's upper edge, Hz.
    pub hi_hz: u64,
    /// The threshold in the channel, dBm.
    pub threshold_dbm: f64,
    /// Candidates that couple into the channel at the point.
    pub candidates: usize,
    /// Candidates this constraint alone moves.
    pub moved: usize,
    /// The aggregate of every candidate at the percentile, dBm (−∞ when none couples).
    pub before_dbm: f64,
    /// The aggregate of the candidates kept (outside the whole move list), dBm.
    pub after_dbm: f64,
    /// Threshold − aggregate after, dB (≥ 0).
    pub margin_db: f64,
}

/// One candidate transmitter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateRow {
    /// Assignment id.
    pub id: String,
    /// Position in the register.
    pub index: usize,
    /// In the move list.
    pub moved: bool,
    /// The point where its median contribution is highest (`None` when it
    /// couples nowhere).
    pub worst_point: Option<usize>,
    /// The lower edge of the channel there, Hz.
    pub worst_lo_hz: Option<u64>,
    /// Its median contribution there, dBm (−∞ when it couples nowhere).
    pub median_dbm: f64,
}

/// The result of a move-list calculation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoveList {
    /// Ids of the assignments that must move, in register order.
    pub moved: Vec<String>,
    /// Ids of the candidates that may stay, in register order.
    pub kept: Vec<String>,
    /// Every candidate, in register order.
    pub candidates: Vec<CandidateRow>,
    /// Every constraint, point by point, channels ascending.
    pub constraints: Vec<ConstraintResult>,
    /// The least margin over the constraints, dB (+∞ without constraints).
    pub margin_db: f64,
    /// Draws made per (candidate, point).
    pub draws: usize,
    /// The percentile.
    pub percentile: f64,
    /// σ of the variability, dB.
    pub sigma_db: f64,
    /// The seed.
    pub seed: u64,
}
