//! The Monte-Carlo scenario: its types (read by [`Scenario::parse`]).
//!
//! Scenario file (TOML; see `interference/data/seamcat-handbook.toml`):
//!
//! - `[victim]`: `frequency_mhz`, `bandwidth_khz`, `noise_floor_dbm` or
//!   `noise_figure_db`, `sensitivity_dbm`, `antenna_gain_dbi`,
//!   `antenna_height_m`, `criteria = { c_i_db, c_n_i_db, n_i_n_db, i_n_db }`
//!   (`c_n_i_db`, `i_n_db` required; the others follow from
//!   `C/I = C/(N+I) + (N+I)/N − I/N` when omitted);
//! - `[victim.wanted]`: `power_dbm` (distribution), `antenna_gain_dbi`,
//!   `antenna_height_m`, `position`;
//! - `[[interferer]]`: `name`, `power_dbm`, `frequency_mhz` (distributions),
//!   `antenna_gain_dbi`, `antenna_height_m`, `bandwidth_khz`,
//!   `reference_bandwidth_khz`, `mask = [[offset_mhz, dBc], …]`,
//!   `blocking = { mode = "protection_ratio" | "sensitivity" |
//!   "user_defined", response_db | response = [[offset_mhz, dB], …] }`,
//!   `activity`, `position`;
//! - positions: `{ mode = "fixed", x_km, y_km }`, `{ mode = "polar",
//!   distance_km, azimuth_deg }`, `{ mode = "uniform", radius_km,
//!   protection_km }`, `{ mode = "density", density_per_km2, n_active,
//!   protection_km }` (interferers only);
//! - `[propagation]`: `model = "free_space"`, `constant_db` (default P.525),
//!   `sigma_db`; `[simulation]`: `events`, `seed`.

use rand::Rng;
use serde::{Deserialize, Serialize};

/// A random variable drawn once per event (SEAMCAT's "distributions").
///
/// In the scenario file a bare number is a constant; otherwise an inline
/// table `{ type = "uniform", min = 1, max = 10 }`,
/// `{ type = "gaussian", mean = 0, sd = 3 }`,
/// `{ type = "discrete", values = [..], probabilities = [..] }`.
///
/// ```
/// use interference::montecarlo::Distribution;
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let d = Distribution::Uniform { min: 1.0, max: 10.0 };
/// let x = d.sample(&mut rng);
/// assert!((1.0..=10.0).contains(&x));
/// assert_eq!(Distribution::Constant(3.0).sample(&mut rng), 3.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// Always the same value.
    Constant(f64),
    /// Uniform in `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal with `mean` and standard deviation `sd`.
    Gaussian {
        /// Mean.
        mean: f64,
        /// Standard deviation (≥ 0).
        sd: f64,
    },
    /// One of `values` with the matching `probabilities` (summing to 1).
    Discrete {
        /// The values.
        values: Vec<f64>,
        /// Their probabilities.
        probabilities: Vec<f64>,
    },
}

/// A standard normal deviate (Box–Muller; always consumes two uniforms).
pub(crate) fn standard_normal<G: Rng + ?Sized>(rng: &mut G) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

impl Distribution {
    /// Draws one value. Every variant consumes the same random numbers
    /// whatever the outcome, so the stream of an event is reproducible.
    pub fn sample<G: Rng + ?Sized>(&self, rng: &mut G) -> f64 {
        match self {
            Distribution::Constant(v) => *v,
            Distribution::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Distribution::Gaussian { mean, sd } => mean + sd * standard_normal(rng),
            Distribution::Discrete {
                values,
                probabilities,
            } => {
                let u: f64 = rng.random::<f64>();
                let mut acc = 0.0;
                for (v, p) in values.iter().zip(probabilities) {
                    acc += p;
                    if u < acc {
                        return *v;
                    }
                }
                values.last().copied().unwrap_or(0.0)
            }
        }
    }

    /// The smallest value the distribution can take (−∞ for a Gaussian
    /// with sd > 0).
    pub fn min(&self) -> f64 {
        match self {
            Distribution::Constant(v) => *v,
            Distribution::Uniform { min, .. } => *min,
            Distribution::Gaussian { mean, sd } => {
                if *sd > 0.0 {
                    f64::NEG_INFINITY
                } else {
                    *mean
                }
            }
            Distribution::Discrete { values, .. } => {
                values.iter().copied().fold(f64::INFINITY, f64::min)
            }
        }
    }
}

/// Where a transmitter is, relative to the victim receiver (at the origin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Position {
    /// A fixed point, km east and north of the victim receiver.
    Fixed {
        /// East, km.
        x_km: f64,
        /// North, km.
        y_km: f64,
    },
    /// Distance and azimuth drawn from distributions.
    Polar {
        /// Distance, km.
        distance_km: Distribution,
        /// Azimuth, degrees (default uniform 0–360).
        azimuth_deg: Distribution,
    },
    /// Uniform over the disc of `radius_km`, or the annulus
    /// `protection_km ≤ r ≤ radius_km` (protection distance).
    Uniform {
        /// Outer radius, km.
        radius_km: f64,
        /// Inner (protection) radius, km.
        protection_km: f64,
    },
    /// Uniform over a polygon: its vertices, km east and north of the victim
    /// receiver (closed implicitly; at least 3, not degenerate).
    Polygon {
        /// Vertices `(x_km, y_km)`.
        vertices_km: Vec<(f64, f64)>,
    },
    /// Uniform density (Handbook 4.7/4.8): `n_active` transmitters uniform
    /// in the annulus `protection_km ≤ r ≤ R_simu`, with
    /// `R_simu = √(n_active/(π·density) + protection²)`.
    Density {
        /// Transmitters per km².
        density_per_km2: f64,
        /// Active transmitters simulated per event.
        n_active: usize,
        /// Protection distance, km.
        protection_km: f64,
    },
}

/// The simulation radius of the uniform-density mode,
/// `R_simu = √(n_active/(π·density) + R_prot²)` (SEAMCAT Handbook 4.7.1, 4.8).
///
/// ```
/// use interference::montecarlo::simulation_radius_km;
/// assert!((simulation_radius_km(10.0, 1, 0.0) - 0.178).abs() < 5e-4);
/// assert!((simulation_radius_km(10.0, 10, 0.5) - 0.75).abs() < 5e-3);
/// ```
pub fn simulation_radius_km(density_per_km2: f64, n_active: usize, protection_km: f64) -> f64 {
    (n_active as f64 / (std::f64::consts::PI * density_per_km2) + protection_km * protection_km)
        .sqrt()
}

impl Position {
    /// How many transmitters this position stands for in one event.
    pub fn count(&self) -> usize {
        match self {
            Position::Density { n_active, .. } => *n_active,
            _ => 1,
        }
    }

    /// Draws one (x, y) in km.
    pub fn sample<G: Rng + ?Sized>(&self, rng: &mut G) -> (f64, f64) {
        let annulus = |rng: &mut G, inner: f64, outer: f64| {
            let u: f64 = rng.random::<f64>();
            let t: f64 = rng.random::<f64>() * std::f64::consts::TAU;
            let r = (u * (outer * outer - inner * inner) + inner * inner).sqrt();
            (r * t.cos(), r * t.sin())
        };
        match self {
            Position::Fixed { x_km, y_km } => (*x_km, *y_km),
            Position::Polar {
                distance_km,
                azimuth_deg,
            } => {
                let d = distance_km.sample(rng);
                let a = azimuth_deg.sample(rng).to_radians();
                (d * a.sin(), d * a.cos())
            }
            Position::Uniform {
                radius_km,
                protection_km,
            } => annulus(rng, *protection_km, *radius_km),
            Position::Density {
                density_per_km2,
                n_active,
                protection_km,
            } => annulus(
                rng,
                *protection_km,
                simulation_radius_km(*density_per_km2, *n_active, *protection_km),
            ),
            Position::Polygon { vertices_km } => sample_polygon(rng, vertices_km),
        }
    }
}

/// The polygon of `vertices_km` as a `geo` polygon.
pub(crate) fn polygon_of(vertices_km: &[(f64, f64)]) -> geo::Polygon<f64> {
    geo::Polygon::new(geo::LineString::from(vertices_km.to_vec()), Vec::new())
}

/// Rejection sampling inside the polygon's bounding box (the parser refuses
/// polygons filling less than 1/1000 of their box, so the expected number of
/// draws stays below 1000); after 1 000 000 rejections, the first vertex.
fn sample_polygon<G: Rng + ?Sized>(rng: &mut G, vertices_km: &[(f64, f64)]) -> (f64, f64) {
    use geo::Contains;
    let poly = polygon_of(vertices_km);
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in vertices_km {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    for _ in 0..1_000_000 {
        let x = x0 + rng.random::<f64>() * (x1 - x0);
        let y = y0 + rng.random::<f64>() * (y1 - y0);
        if poly.contains(&geo::Point::new(x, y)) {
            return (x, y);
        }
    }
    vertices_km.first().copied().unwrap_or((0.0, 0.0))
}

/// The four interference criteria of the victim receiver, dB.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Criteria {
    /// C/I, dB.
    pub c_i_db: f64,
    /// C/(N+I), dB.
    pub c_n_i_db: f64,
    /// (N+I)/N, dB.
    pub n_i_n_db: f64,
    /// I/N, dB.
    pub i_n_db: f64,
}

/// `(N+I)/N = 10·log10(1 + 10^((I/N)/10))`, dB.
///
/// ```
/// use interference::montecarlo::n_i_n_db;
/// assert!((n_i_n_db(0.0) - 3.0103).abs() < 1e-4);
/// assert!((n_i_n_db(-6.0) - 0.9732).abs() < 1e-4);
/// ```
pub fn n_i_n_db(i_n_db: f64) -> f64 {
    10.0 * (1.0 + 10f64.powf(i_n_db / 10.0)).log10()
}

/// The victim receiver (VLR), at the origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Victim {
    /// Tuned frequency, MHz.
    pub frequency_mhz: f64,
    /// Receiver bandwidth, kHz.
    pub bandwidth_khz: f64,
    /// Noise floor N, dBm (given, or −174 + NF + 10·log10(B Hz)).
    pub noise_floor_dbm: f64,
    /// Sensitivity, dBm: only events with dRSS above it count.
    pub sensitivity_dbm: f64,
    /// Antenna gain, dBi (omni).
    pub antenna_gain_dbi: f64,
    /// Antenna height, m.
    pub antenna_height_m: f64,
    /// The criteria.
    pub criteria: Criteria,
}

/// The wanted transmitter (VLT).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wanted {
    /// Power, dBm.
    pub power_dbm: Distribution,
    /// Antenna gain, dBi (omni).
    pub antenna_gain_dbi: f64,
    /// Antenna height, m.
    pub antenna_height_m: f64,
    /// Position relative to the victim receiver.
    pub position: Position,
}

/// How the blocking attenuation follows from the blocking response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockingMode {
    /// `a = response + C/(N+I) + (N+I)/N − I/N` (response = protection ratio).
    ProtectionRatio,
    /// `a = response − sensitivity + C/(N+I) − I/N`.
    Sensitivity,
    /// `a = response` (the attenuation itself).
    UserDefined,
}

/// The victim receiver's blocking response to one interferer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blocking {
    /// The mode.
    pub mode: BlockingMode,
    /// Response, dB, versus |frequency offset| in MHz (piecewise-linear,
    /// flat beyond the end points; one point = constant).
    pub response: Vec<(f64, f64)>,
}

impl Blocking {
    /// The blocking attenuation in dB at a frequency offset.
    ///
    /// ```
    /// use interference::montecarlo::{Blocking, BlockingMode, Criteria};
    /// let c = Criteria { c_i_db: 19.0, c_n_i_db: 16.0, n_i_n_db: 3.0, i_n_db: 0.0 };
    /// let b = Blocking { mode: BlockingMode::ProtectionRatio, response: vec![(0.0, 40.0)] };
    /// assert_eq!(b.attenuation_db(0.0, &c, -94.0), 59.0);
    /// let b = Blocking { mode: BlockingMode::Sensitivity, response: vec![(0.0, 40.0)] };
    /// assert_eq!(b.attenuation_db(0.0, &c, -94.0), 150.0);
    /// ```
    pub fn attenuation_db(
        &self,
        offset_mhz: f64,
        criteria: &Criteria,
        sensitivity_dbm: f64,
    ) -> f64 {
        let r = interpolate(&self.response, offset_mhz.abs());
        match self.mode {
            BlockingMode::ProtectionRatio => {
                r + criteria.c_n_i_db + criteria.n_i_n_db - criteria.i_n_db
            }
            BlockingMode::Sensitivity => r - sensitivity_dbm + criteria.c_n_i_db - criteria.i_n_db,
            BlockingMode::UserDefined => r,
        }
    }
}

/// Piecewise-linear interpolation, flat beyond the ends.
fn interpolate(points: &[(f64, f64)], x: f64) -> f64 {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return 0.0;
    };
    if x <= first.0 {
        return first.1;
    }
    if x >= last.0 {
        return last.1;
    }
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x >= x0 && x <= x1 {
            return if x1 > x0 {
                y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            } else {
                y1
            };
        }
    }
    last.1
}

/// `∫ 10^(m(x)/10) dx` over `[a, b]` where m is linear from `ma` to `mb`.
fn segment_power(a: f64, b: f64, ma: f64, mb: f64) -> f64 {
    let len = b - a;
    if len <= 0.0 {
        return 0.0;
    }
    let (pa, pb) = (10f64.powf(ma / 10.0), 10f64.powf(mb / 10.0));
    let k = (mb - ma) * std::f64::consts::LN_10 / 10.0;
    if k.abs() < 1e-9 {
        len * 0.5 * (pa + pb)
    } else {
        len * (pb - pa) / k
    }
}

/// One interfering transmitter (ILT), or a population of them (density).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interferer {
    /// A label.
    pub name: String,
    /// Power, dBm (in the emission bandwidth).
    pub power_dbm: Distribution,
    /// Antenna gain, dBi (omni).
    pub antenna_gain_dbi: f64,
    /// Antenna height, m.
    pub antenna_height_m: f64,
    /// Centre frequency, MHz.
    pub frequency_mhz: Distribution,
    /// Emission bandwidth, kHz.
    pub bandwidth_khz: f64,
    /// Reference bandwidth of the mask, kHz.
    pub reference_bandwidth_khz: f64,
    /// Emission mask: (offset MHz, dBc per reference bandwidth),
    /// piecewise-linear, offsets non-decreasing (a repeated offset makes a
    /// step), flat beyond the end points. `None`: flat in-band emission
    /// over ±bandwidth/2, nothing outside.
    pub mask: Option<Vec<(f64, f64)>>,
    /// Blocking response of the victim to this interferer (none: no
    /// blocking term).
    pub blocking: Option<Blocking>,
    /// Position relative to the victim receiver.
    pub position: Position,
    /// Probability that a transmitter is active in an event.
    pub activity: f64,
}

impl Interferer {
    /// The fraction (dB, ≤ 0 for a normalised mask) of the interferer's
    /// power falling in a victim band of `victim_bandwidth_khz` centred
    /// `offset_mhz` (victim − interferer) away: the emission mask integrated
    /// in linear power over the victim band, divided by the reference
    /// bandwidth (Handbook 3.3.8 bandwidth correction).
    ///
    /// ```
    /// # use interference::montecarlo::{Interferer, Distribution, Position};
    /// let mut i = Interferer {
    ///     name: "ILT".into(), power_dbm: Distribution::Constant(33.0),
    ///     antenna_gain_dbi: 11.0, antenna_height_m: 30.0,
    ///     frequency_mhz: Distribution::Constant(1000.0), bandwidth_khz: 200.0,
    ///     reference_bandwidth_khz: 200.0, mask: None, blocking: None,
    ///     position: Position::Fixed { x_km: 4.0, y_km: 4.0 }, activity: 1.0,
    /// };
    /// assert!(i.mask_gain_db(0.0, 200.0).abs() < 1e-9);
    /// i.mask = Some(vec![(-1.0, -23.0), (-0.1, -23.0), (-0.1, 0.0), (0.1, 0.0), (0.1, -23.0), (1.0, -23.0)]);
    /// assert!((i.mask_gain_db(0.3, 200.0) + 23.0).abs() < 1e-9);
    /// ```
    pub fn mask_gain_db(&self, offset_mhz: f64, victim_bandwidth_khz: f64) -> f64 {
        let half = victim_bandwidth_khz / 2000.0;
        let (lo, hi) = (offset_mhz - half, offset_mhz + half);
        let linear = match &self.mask {
            None => {
                let b = self.bandwidth_khz / 1000.0;
                let overlap = (hi.min(b / 2.0) - lo.max(-b / 2.0)).max(0.0);
                overlap / b
            }
            Some(points) => {
                let (Some(first), Some(last)) = (points.first(), points.last()) else {
                    return f64::NEG_INFINITY;
                };
                let mut sum = 0.0;
                // flat extensions beyond the ends
                sum += segment_power(lo, hi.min(first.0), first.1, first.1);
                sum += segment_power(lo.max(last.0), hi, last.1, last.1);
                for w in points.windows(2) {
                    let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                    let (a, b) = (lo.max(x0), hi.min(x1));
                    if b > a && x1 > x0 {
                        let at = |x: f64| y0 + (y1 - y0) * (x - x0) / (x1 - x0);
                        sum += segment_power(a, b, at(a), at(b));
                    }
                }
                sum / (self.reference_bandwidth_khz / 1000.0)
            }
        };
        10.0 * linear.log10()
    }
}

/// Propagation: free space (ITU-R P.525) plus optional log-normal
/// variability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Propagation {
    /// The free-space constant in dB; `None` = P.525's exact 32.4478. The
    /// Handbook's text uses 32.44 (SEAMCAT) and its hand calculations 32.5.
    pub constant_db: Option<f64>,
    /// Standard deviation of a log-normal variability added to every path
    /// loss, dB (0 = none).
    pub sigma_db: f64,
}

impl Propagation {
    /// Median free-space loss, dB: `spectrum_core::p525::free_space_loss_db`,
    /// shifted to `constant_db` when one is given.
    ///
    /// ```
    /// use interference::montecarlo::Propagation;
    /// let p = Propagation { constant_db: Some(32.5), sigma_db: 0.0 };
    /// assert!((p.loss_db(1000.0, 1.0) - 92.5).abs() < 1e-9);
    /// ```
    pub fn loss_db(&self, frequency_mhz: f64, distance_km: f64) -> f64 {
        let exact = spectrum_core::p525::free_space_loss_db(frequency_mhz, distance_km);
        match self.constant_db {
            None => exact,
            Some(c) => exact + (c - spectrum_core::p525::free_space_loss_db(1.0, 1.0)),
        }
    }
}

/// The simulation control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Simulation {
    /// Number of events.
    pub events: usize,
    /// Seed of the event streams.
    pub seed: u64,
}

/// A complete Monte-Carlo scenario: one victim link, interferers, the
/// propagation and the simulation control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// The victim receiver.
    pub victim: Victim,
    /// Its wanted transmitter.
    pub wanted: Wanted,
    /// The interferers.
    pub interferers: Vec<Interferer>,
    /// Propagation.
    pub propagation: Propagation,
    /// Simulation control.
    pub simulation: Simulation,
}
