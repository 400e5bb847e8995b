//! ITU-R P.528-5 (09/2021), "A propagation prediction method for aeronautical
//! mobile and radionavigation services using the VHF, UHF and SHF bands",
//! Annex 2: the basic transmission loss between two terminals at 1.5 m to
//! 20 km (up to 80 km with a warning) over a smooth earth, 100 MHz–30 GHz,
//! exceeded for 1–99 % of the time, in three regions:
//!
//! - line of sight (§§6–8): two-ray interference with a ground of ε_r = 15,
//!   σ = 0.005 S/m, then a straight line to the diffraction loss at the
//!   maximum line-of-sight distance d_ML;
//! - diffraction (§10): the smooth-earth line through two points beyond d_ML;
//! - troposcatter (§11), from where it falls below the diffraction line;
//!
//! plus gaseous absorption along the ray traced through the P.835 reference
//! atmosphere (P.676 Annex 1), free-space loss over the ray length, long-term
//! variability (§14) and Nakagami-Rice fading (§§12–13). It follows the
//! reference implementation (NTIA/p528, whose test vectors it reproduces),
//! including its Nakagami-Rice interpolation as corrected in 2022. Terminal 1
//! is the lower one; horizontal polarisation is the one of the Recommendation's
//! curves.
//!
//! ```
//! use spectrum_core::p526::Polarization;
//! use spectrum_core::p528::{p528, PropagationMode};
//! // 15 km between 10 m and 1 km at 500 MHz, 50 %: about 110.0 dB (NTIA's README).
//! let r = p528(15.0, 10.0, 1000.0, 500.0, Polarization::Horizontal, 50.0).unwrap();
//! assert!((r.loss_db - 110.0).abs() < 0.05);
//! assert_eq!(r.mode, PropagationMode::LineOfSight);
//! assert!(p528(15.0, 10.0, 1000.0, 50.0, Polarization::Horizontal, 50.0).is_err());
//! ```

mod diffraction;
mod gas;
mod geometry;
mod los;
mod troposcatter;
mod variability;

use crate::p526::Polarization;
use geometry::Terminal;
use thiserror::Error;
use troposcatter::{Troposcatter, crossover};

/// Earth radius, km.
const A_0_KM: f64 = 6371.0;
/// Effective earth radius, km.
const A_E_KM: f64 = 9257.0;
/// Surface refractivity of the troposcatter model, N-units.
const N_S: f64 = 341.0;
/// Ground relative permittivity.
const EPSILON_R: f64 = 15.0;
/// Ground conductivity, S/m.
const SIGMA: f64 = 0.005;

/// Frequencies of the method, MHz (inclusive).
pub const FREQ_RANGE_MHZ: (f64, f64) = (100.0, 30_000.0);
/// Terminal heights accepted, m (inclusive); above 20 000 m a warning is set.
pub const HEIGHT_RANGE_M: (f64, f64) = (1.5, 80_000.0);
/// Height above which the method is extrapolated (warning), m.
pub const HEIGHT_WARNING_M: f64 = 20_000.0;
/// Time percentages, % (inclusive).
pub const TIME_RANGE_PERCENT: (f64, f64) = (1.0, 99.0);

/// The region a result comes from (the reference's `propagation_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropagationMode {
    /// No path (both terminals at the same point).
    NotSet,
    /// Line of sight.
    LineOfSight,
    /// Diffraction.
    Diffraction,
    /// Troposcatter.
    Troposcatter,
}

impl PropagationMode {
    /// The reference's code: 0 not set, 1 line of sight, 2 diffraction, 3 troposcatter.
    pub fn code(self) -> u8 {
        match self {
            Self::NotSet => 0,
            Self::LineOfSight => 1,
            Self::Diffraction => 2,
            Self::Troposcatter => 3,
        }
    }

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::NotSet => "none",
            Self::LineOfSight => "line of sight",
            Self::Diffraction => "diffraction",
            Self::Troposcatter => "troposcatter",
        }
    }
}

/// Warning bits, as the reference numbers them.
pub mod warning {
    /// No crossover between diffraction and troposcatter within 100 km of d_ML.
    pub const NO_TROPO_CROSSOVER: u8 = 0x01;
    /// Terminal 1 above 20 km.
    pub const H1_ABOVE_20_KM: u8 = 0x02;
    /// Terminal 2 above 20 km.
    pub const H2_ABOVE_20_KM: u8 = 0x04;
}

/// The result of one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct P528Result {
    /// Region of the result.
    pub mode: PropagationMode,
    /// [`warning`] bits.
    pub warnings: u8,
    /// Path distance, km (in line of sight, the ray-optics distance reached,
    /// within 1 m of the one asked).
    pub dist_km: f64,
    /// Basic transmission loss, dB.
    pub loss_db: f64,
    /// Free-space loss over the ray, dB.
    pub free_space_db: f64,
    /// Gaseous absorption, dB.
    pub absorption_db: f64,
    /// Elevation of the ray at terminal 1, rad.
    pub elevation_h1_rad: f64,
}

/// An input outside the method (the reference's return code in [`P528Error::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum P528Error {
    /// Negative distance.
    #[error("P.528-5: distance must be >= 0 km, found {found_km} km")]
    Distance {
        /// The distance given, km.
        found_km: f64,
    },
    /// A terminal height outside 1.5..=80 000 m.
    #[error("P.528-5: terminal {terminal} height must be within 1.5..=80000 m, found {found_m} m")]
    Height {
        /// 1 or 2.
        terminal: u8,
        /// The height given, m.
        found_m: f64,
    },
    /// Terminal 1 above terminal 2.
    #[error(
        "P.528-5: terminal 1 must be the lower one (h1 <= h2), found h1 {h1_m} m > h2 {h2_m} m"
    )]
    TerminalOrder {
        /// Height of terminal 1, m.
        h1_m: f64,
        /// Height of terminal 2, m.
        h2_m: f64,
    },
    /// Frequency outside 100..=30 000 MHz.
    #[error("P.528-5: frequency must be within 100..=30000 MHz, found {found_mhz} MHz")]
    Frequency {
        /// The frequency given, MHz.
        found_mhz: f64,
    },
    /// Time percentage outside 1..=99 %.
    #[error("P.528-5: time percentage must be within 1..=99 %, found {found} %")]
    TimePercent {
        /// The percentage given.
        found: f64,
    },
    /// The path is so long that its scatter volume leaves the reference
    /// atmosphere (above 100 km).
    #[error(
        "P.528-5: the path reaches {height_km} km, above the 100 km of the P.835 reference atmosphere; shorten it"
    )]
    AboveAtmosphere {
        /// The height reached, km.
        height_km: f64,
    },
}

impl P528Error {
    /// The reference implementation's return code for this error (its 12 for
    /// a path above the atmosphere has no counterpart there).
    pub fn code(&self) -> u8 {
        match self {
            Self::Distance { .. } => 1,
            Self::Height { terminal: 1, .. } => 2,
            Self::Height { .. } => 3,
            Self::TerminalOrder { .. } => 4,
            Self::Frequency { found_mhz }
                if found_mhz.is_nan() || *found_mhz < FREQ_RANGE_MHZ.0 =>
            {
                5
            }
            Self::Frequency { .. } => 6,
            Self::TimePercent { found } if found.is_nan() || *found < TIME_RANGE_PERCENT.0 => 7,
            Self::TimePercent { .. } => 8,
            Self::AboveAtmosphere { .. } => 12,
        }
    }
}

/// Distances along the path, km.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Path {
    /// Maximum line-of-sight distance.
    pub d_ml_km: f64,
    /// End of the two-ray region.
    pub d_0_km: f64,
    /// Where the diffraction line crosses 0 dB.
    pub d_d_km: f64,
}

fn validate(dist_km: f64, h1_m: f64, h2_m: f64, freq_mhz: f64, p: f64) -> Result<u8, P528Error> {
    if !(dist_km >= 0.0 && dist_km.is_finite()) {
        return Err(P528Error::Distance { found_km: dist_km });
    }
    for (terminal, h) in [(1, h1_m), (2, h2_m)] {
        if !(HEIGHT_RANGE_M.0..=HEIGHT_RANGE_M.1).contains(&h) {
            return Err(P528Error::Height {
                terminal,
                found_m: h,
            });
        }
    }
    let mut warnings = 0;
    if h1_m > HEIGHT_WARNING_M {
        warnings |= warning::H1_ABOVE_20_KM;
    }
    if h2_m > HEIGHT_WARNING_M {
        warnings |= warning::H2_ABOVE_20_KM;
    }
    if h1_m > h2_m {
        return Err(P528Error::TerminalOrder { h1_m, h2_m });
    }
    if !(FREQ_RANGE_MHZ.0..=FREQ_RANGE_MHZ.1).contains(&freq_mhz) {
        return Err(P528Error::Frequency {
            found_mhz: freq_mhz,
        });
    }
    if !(TIME_RANGE_PERCENT.0..=TIME_RANGE_PERCENT.1).contains(&p) {
        return Err(P528Error::TimePercent { found: p });
    }
    Ok(warnings)
}

/// A pair of terminals prepared for ITU-R P.528-5: what does not depend on
/// the distance or the time percentage (horizons, diffraction line, end of
/// the two-ray region, the K of line of sight, the troposcatter crossover and
/// the layers between the terminals) is computed once, so that curves over
/// distance and percentage cost one evaluation per point.
///
/// ```
/// use spectrum_core::p526::Polarization;
/// use spectrum_core::p528::P528Path;
/// let path = P528Path::new(15.0, 10_000.0, 1200.0, Polarization::Horizontal).unwrap();
/// let near = path.loss(100.0, 50.0).unwrap().loss_db;
/// let far = path.loss(800.0, 50.0).unwrap().loss_db;
/// assert!(far > near + 30.0);
/// ```
#[derive(Debug, Clone)]
pub struct P528Path {
    freq_mhz: f64,
    pol: Polarization,
    same_height: bool,
    warnings: u8,
    t: [Terminal; 2],
    path: Path,
    a_dml_db: f64,
    los: los::LosSetup,
    layers: gas::Layers,
    k_los_db: f64,
    cross: troposcatter::Crossover,
}

impl P528Path {
    /// Terminals at `h1_m` ≤ `h2_m` above a smooth earth (1.5 m to 80 km), at
    /// `freq_mhz` (100 MHz to 30 GHz), polarisation `pol`.
    pub fn new(h1_m: f64, h2_m: f64, freq_mhz: f64, pol: Polarization) -> Result<Self, P528Error> {
        let warnings = validate(0.0, h1_m, h2_m, freq_mhz, 50.0)?;
        let t = [
            Terminal::new(freq_mhz, h1_m / 1000.0)?,
            Terminal::new(freq_mhz, h2_m / 1000.0)?,
        ];
        let d_ml_km = t[0].d_r_km + t[1].d_r_km;
        // Step 3: the diffraction line through two points beyond the horizon.
        let scale_km = (A_E_KM * A_E_KM / freq_mhz).powf(1.0 / 3.0);
        let (d_3, d_4) = (d_ml_km + 0.5 * scale_km, d_ml_km + 1.5 * scale_km);
        let diffraction =
            |d: f64| diffraction::smooth_earth_db(t[0].d_r_km, t[1].d_r_km, freq_mhz, d, pol);
        let (a_3, a_4) = (diffraction(d_3), diffraction(d_4));
        let m_d = (a_4 - a_3) / (d_4 - d_3);
        let a_d0_db = a_4 - m_d * d_4;
        let a_dml_db = m_d * d_ml_km + a_d0_db;
        let mut path = Path {
            d_ml_km,
            d_0_km: 0.0,
            d_d_km: -(a_d0_db / m_d),
        };
        let los = los::LosSetup::new(&t, &mut path, freq_mhz, -a_dml_db, pol);
        let layers = gas::Layers::new(freq_mhz / 1000.0, t[0].h_r_km, t[1].h_r_km)?;
        // Step 5: K of the line-of-sight region 1 km before the horizon (it
        // does not depend on the time percentage).
        let k_los_db = los::line_of_sight(
            &t,
            &path,
            &los,
            &layers,
            freq_mhz,
            -a_dml_db,
            d_ml_km - 1.0,
            pol,
        )?
        .k_los_db;
        // Step 6: where troposcatter takes over.
        let cross = crossover(&t, freq_mhz, d_ml_km, a_dml_db, m_d, a_d0_db);
        Ok(Self {
            freq_mhz,
            pol,
            same_height: h1_m == h2_m,
            warnings: warnings
                | if cross.found {
                    0
                } else {
                    warning::NO_TROPO_CROSSOVER
                },
            t,
            path,
            a_dml_db,
            los,
            layers,
            k_los_db,
            cross,
        })
    }

    /// The maximum line-of-sight distance d_ML, km.
    pub fn max_line_of_sight_km(&self) -> f64 {
        self.path.d_ml_km
    }

    /// Basic transmission loss L_b(p) at great-circle distance `dist_km`, not
    /// exceeded for `time_percent` % of the time (1–99 %).
    pub fn loss(&self, dist_km: f64, time_percent: f64) -> Result<P528Result, P528Error> {
        let mut out = self.losses(dist_km, &[time_percent])?;
        out.pop().ok_or(P528Error::TimePercent {
            found: time_percent,
        })
    }

    /// [`P528Path::loss`] at one distance for several time percentages, the
    /// geometry and absorption computed once.
    pub fn losses(
        &self,
        dist_km: f64,
        time_percents: &[f64],
    ) -> Result<Vec<P528Result>, P528Error> {
        if !(dist_km >= 0.0 && dist_km.is_finite()) {
            return Err(P528Error::Distance { found_km: dist_km });
        }
        if let Some(&p) = time_percents
            .iter()
            .find(|p| !(TIME_RANGE_PERCENT.0..=TIME_RANGE_PERCENT.1).contains(*p))
        {
            return Err(P528Error::TimePercent { found: p });
        }
        let (t, freq_mhz) = (&self.t, self.freq_mhz);
        let local = self.warnings & !warning::NO_TROPO_CROSSOVER;
        if self.same_height && dist_km == 0.0 {
            let none = P528Result {
                mode: PropagationMode::NotSet,
                warnings: local,
                dist_km: 0.0,
                loss_db: 0.0,
                free_space_db: 0.0,
                absorption_db: 0.0,
                elevation_h1_rad: 0.0,
            };
            return Ok(vec![none; time_percents.len()]);
        }
        if self.path.d_ml_km - dist_km > 0.001 {
            let los = los::line_of_sight(
                t,
                &self.path,
                &self.los,
                &self.layers,
                freq_mhz,
                -self.a_dml_db,
                dist_km,
                self.pol,
            )?;
            return Ok(time_percents
                .iter()
                .map(|&p| P528Result {
                    mode: PropagationMode::LineOfSight,
                    warnings: local,
                    dist_km: los.dist_km,
                    loss_db: los.loss_db(t, freq_mhz, p),
                    free_space_db: los.free_space_db,
                    absorption_db: los.absorption_db,
                    elevation_h1_rad: los.theta_h1_rad,
                })
                .collect());
        }
        let cross = &self.cross;
        // Step 7: the loss beyond the horizon.
        let a_d = cross.m_d * dist_km + cross.a_d0_db;
        let tropo = Troposcatter::at(t, dist_km, freq_mhz);
        let (a_t, mode) = if dist_km < cross.d_crx_km {
            (a_d, PropagationMode::Diffraction)
        } else if !cross.bent {
            if tropo.a_s_db <= a_d {
                (tropo.a_s_db, PropagationMode::Troposcatter)
            } else {
                (a_d, PropagationMode::Diffraction)
            }
        } else {
            (tropo.a_s_db, PropagationMode::Troposcatter)
        };
        const ANGLE: f64 = 0.02617993878;
        let k_los = self.k_los_db;
        let k_t = if tropo.theta_s_rad >= ANGLE {
            20.0
        } else if tropo.theta_s_rad <= 0.0 {
            k_los
        } else {
            tropo.theta_s_rad * (20.0 - k_los) / ANGLE + k_los
        };
        let long_term =
            |p| variability::long_term(t[0].d_r_km, t[1].d_r_km, dist_km, freq_mhz, p, 1.0, -a_t).0;
        let y_e_50 = long_term(50.0);
        // Absorption: both horizon rays and twice the ray up to the common volume.
        let v = gas::slant_path(
            freq_mhz / 1000.0,
            0.0,
            tropo.h_v_km,
            std::f64::consts::FRAC_PI_2,
        )?;
        let absorption_db = t[0].a_a_db + t[1].a_a_db + 2.0 * v.a_gas_db;
        let r_fs_km = t[0].a_km + t[1].a_km + 2.0 * v.length_km;
        let free_space_db = crate::itm::free_space_loss_db(r_fs_km * 1000.0, freq_mhz);
        Ok(time_percents
            .iter()
            .map(|&p| {
                let y_total = variability::combine(
                    y_e_50,
                    long_term(p),
                    0.0,
                    variability::nakagami_rice(k_t, p),
                    p,
                );
                P528Result {
                    mode,
                    warnings: self.warnings,
                    dist_km,
                    loss_db: free_space_db + absorption_db + a_t - y_total,
                    free_space_db,
                    absorption_db,
                    elevation_h1_rad: -t[0].theta_rad,
                }
            })
            .collect())
    }
}

/// Basic transmission loss L_b(p) of a path of `dist_km` (great-circle)
/// between terminals at `h1_m` ≤ `h2_m` above a smooth earth, at `freq_mhz`,
/// not exceeded for `time_percent` % of the time: [`P528Path::new`] then
/// [`P528Path::loss`] (prepare a [`P528Path`] for many distances).
pub fn p528(
    dist_km: f64,
    h1_m: f64,
    h2_m: f64,
    freq_mhz: f64,
    pol: Polarization,
    time_percent: f64,
) -> Result<P528Result, P528Error> {
    let warnings = validate(dist_km, h1_m, h2_m, freq_mhz, time_percent)?;
    if h1_m == h2_m && dist_km == 0.0 {
        // Nothing to trace: answered without preparing the terminals.
        return Ok(P528Result {
            mode: PropagationMode::NotSet,
            warnings,
            dist_km: 0.0,
            loss_db: 0.0,
            free_space_db: 0.0,
            absorption_db: 0.0,
            elevation_h1_rad: 0.0,
        });
    }
    P528Path::new(h1_m, h2_m, freq_mhz, pol)?.loss(dist_km, time_percent)
}

#[cfg(test)]
mod tests;
