//! Seeded generator of a realistic national register of stations and
//! assignments (Kyrgyz Republic), consistent with the sample national table
//! ([`crate::ntfa::sample_table`]).
//!
//! The register holds the operators (three network operators, the national
//! operator, a virtual operator with no transmitters, a national and two
//! commercial broadcasters, private land mobile users, government users and
//! the air navigation service) and their assignments:
//!
//! - cellular sites on hexagonal grids around the towns (dense in Bishkek,
//!   wider outwards and elsewhere), three sectors each (0/120/240°, 17 dBi,
//!   tilt 2–6°, cross-polar, 20–45 m, EIRP 58–64 dBm) with LTE 700/800/900/
//!   1800/2100, GSM 900, TDD 2300/2600 and NR 3500 carriers in the bands the
//!   table allocates to the mobile service for civil or joint use;
//! - fixed links (go and return, transmitter and receiver ends) at 4 and
//!   6 GHz (civil) and 2 and 4.5 GHz (government);
//! - FM and DVB-T2 broadcasting, PMR base stations, government land mobile
//!   (VHF, TETRA, UHF), radars (air defence, weather, air traffic) and the
//!   airports' VHF air–ground radios and VOR/ILS.
//!
//! Ground heights come from the seeded Tian Shan relief
//! ([`crate::relief::tian_shan`], at 30″) for sites inside its box around
//! Bishkek; elsewhere they are unknown. A share of the assignments
//! (`nonconforming_share`) is deliberately wrong in one of six ways
//! (service not allocated, secondary only, across a band edge, civil in a
//! government band, expired licence, transmitter of the virtual operator);
//! every other assignment complies with the sample table on 2026-11-30.
//!
//! Generation is chunked ([`CHUNK`] assignments per chunk, each with its own
//! ChaCha8 stream) and parallel: the same parameters give the same register,
//! bit for bit, whatever the thread count.
//!
//! ```
//! use datasets::stations::{generate, StationParams};
//! let params = StationParams { assignments: 500, ..StationParams::default() };
//! let register = generate(&params)?;
//! assert_eq!(register.len(), 500);
//! assert_eq!(register, generate(&params)?);
//! # Ok::<(), datasets::stations::GenerateError>(())
//! ```

mod geo;
mod plan;
mod spoil;
mod units;

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use stations::register::{ProtectionDefaults, Register};

use crate::relief::{ReliefParams, tian_shan};
use units::{Ctx, Dates};

/// Assignments per generation chunk (fixed, so the register does not depend
/// on the thread count).
pub const CHUNK: usize = 4096;

/// Parameters of the generated register.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StationParams {
    /// Seed of every random choice (and of the relief).
    pub seed: u64,
    /// Number of assignments.
    pub assignments: usize,
    /// Share of assignments deliberately not complying with the sample
    /// table, in [0, 1].
    pub nonconforming_share: f64,
}

impl Default for StationParams {
    /// Seed 2026, 5 000 assignments, 2 % nonconforming.
    fn default() -> Self {
        Self {
            seed: 2026,
            assignments: 5_000,
            nonconforming_share: 0.02,
        }
    }
}

/// Errors of the register generator.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The sample national table did not load.
    #[error("the sample national table does not load: {0}")]
    Table(#[from] allocation_table::TableError),
    /// A built-in emission designator did not parse.
    #[error("emission designator {code}: {message}")]
    Emission {
        /// The designator.
        code: &'static str,
        /// Why it did not parse.
        message: String,
    },
    /// A built-in channel plan does not fit the sample table.
    #[error("channel plan {name}: {reason}")]
    Plan {
        /// The plan.
        name: &'static str,
        /// What does not fit.
        reason: String,
    },
    /// Bad parameters.
    #[error("invalid parameters: {0}")]
    Invalid(String),
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Which assignments are nonconforming: exactly `bad` of `n`, one at a
/// random place in each of `bad` equal strata.
struct Spoiler {
    seed: u64,
    n: u64,
    bad: u64,
}

impl Spoiler {
    /// The way assignment `i` is spoilt (0–5) and a random word, if it is.
    fn at(&self, i: u64) -> Option<(u64, u64)> {
        if self.bad == 0 {
            return None;
        }
        let (n, k) = (u128::from(self.n), u128::from(self.bad));
        let j = u128::from(i) * k / n;
        let lo = (j * n).div_ceil(k);
        let hi = ((j + 1) * n).div_ceil(k);
        let h = splitmix(self.seed ^ 0x5EED_BAD0_0000_0000 ^ splitmix(j as u64));
        let chosen = lo + u128::from(h) % (hi - lo).max(1);
        (chosen == u128::from(i)).then(|| (j as u64 % 6, splitmix(h)))
    }
}

/// Generates the register.
///
/// # Errors
/// [`GenerateError::Invalid`] for a share outside [0, 1];
/// [`GenerateError::Table`], [`GenerateError::Emission`] or
/// [`GenerateError::Plan`] if the built-in data does not load or fit.
pub fn generate(params: &StationParams) -> Result<Register, GenerateError> {
    let share = params.nonconforming_share;
    if !(0.0..=1.0).contains(&share) {
        return Err(GenerateError::Invalid(format!(
            "nonconforming_share must be in [0, 1], got {share}"
        )));
    }
    let table = crate::ntfa::sample_table()?;
    let ems = plan::emissions()?;
    let plans = plan::plans(&ems);
    plan::check_plans(&table, &plans, &ems)?;
    let relief = tian_shan(
        params.seed,
        &ReliefParams {
            step_arcsec: 30.0,
            ..ReliefParams::default()
        },
    );
    let n = params.assignments;
    let chunks = n.div_ceil(CHUNK);
    let est_sites = (n as f64 * 0.72 / 13.0).max(1.0);
    let (slots, town_slots) = Ctx::town_slots();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let ctx = Ctx {
        ems,
        plans,
        relief,
        protection: ProtectionDefaults::default(),
        chunks: chunks as u64,
        spacing: (300.0 / est_sites).sqrt().clamp(0.3, 1.0),
        slots,
        town_slots,
        dates: Dates {
            from0: date(2018, 1, 1),
            to0: date(2027, 1, 1),
            expired0: date(2021, 1, 1),
            issued_old: date(2012, 1, 1),
        },
    };
    let spoiler = Spoiler {
        seed: params.seed,
        n: n as u64,
        bad: ((n as f64 * share).round() as u64).min(n as u64),
    };
    let parts: Vec<Vec<stations::Assignment>> = (0..chunks)
        .into_par_iter()
        .map(|c| chunk(&ctx, &spoiler, params.seed, c, n))
        .collect();
    let mut assignments = Vec::with_capacity(n);
    for part in parts {
        assignments.extend(part);
    }
    let operators = plan::operators()
        .into_iter()
        .map(|o| (o.name.clone(), o))
        .collect();
    Ok(Register {
        operators,
        assignments,
    })
}

/// Chunk `c`: assignments `c·CHUNK ..` (at most [`CHUNK`]).
fn chunk(ctx: &Ctx, spoiler: &Spoiler, seed: u64, c: usize, n: usize) -> Vec<stations::Assignment> {
    let start = c * CHUNK;
    let len = CHUNK.min(n - start);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(c as u64);
    let mut out = Vec::with_capacity(len + 64);
    let mut site = 0_u64;
    while out.len() < len {
        let u: f64 = rand::Rng::random(&mut rng);
        if u < 0.34 {
            ctx.cell_site(&mut rng, site * ctx.chunks + c as u64, start, &mut out);
            site += 1;
        } else if u < 0.495 {
            ctx.fixed_link(&mut rng, start, &mut out);
        } else if u < 0.71 {
            ctx.land_mobile(&mut rng, start, &mut out, false);
        } else if u < 0.835 {
            ctx.land_mobile(&mut rng, start, &mut out, true);
        } else if u < 0.91 {
            ctx.broadcast(&mut rng, start, &mut out);
        } else if u < 0.93 {
            ctx.radar(&mut rng, start, &mut out);
        } else {
            ctx.airport(&mut rng, start, &mut out);
        }
    }
    out.truncate(len);
    for (k, a) in out.iter_mut().enumerate() {
        if let Some((kind, r)) = spoiler.at((start + k) as u64) {
            ctx.spoil(a, kind, r);
        }
    }
    out
}

#[cfg(test)]
mod tests;
