//! # Monte-Carlo compatibility (SEAMCAT's method)
//!
//! The statistical method of CEPT ECC Report 252 and the SEAMCAT Handbook
//! (CEPT ECO, chapters 3 and 4): a victim link (wanted transmitter VLT →
//! victim receiver VLR) and one or more interfering transmitters (ILT) are
//! drawn at random, event by event; each event gives
//!
//! - **dRSS**, the wanted signal at the VLR:
//!   `P_vlt + G_vlt + G_vlr − L(f_vr, d)`;
//! - **iRSS_unwanted** per interferer: `P_it + G_it + G_vlr − L(f_it, d) +
//!   mask(Δf)`, the emission mask (dBc per reference bandwidth) integrated in
//!   linear power over the victim bandwidth at the frequency offset — the
//!   Handbook's bandwidth correction (3.3.8); a co-channel interferer without
//!   a mask puts the in-band share `overlap / B_it` of its power in the
//!   victim band;
//! - **iRSS_blocking** per interferer: `P_it + G_it + G_vlr − L − a(Δf)` with
//!   the blocking attenuation `a` from the blocking response in one of the
//!   modes ([`BlockingMode`]);
//! - the summed **iRSS** over all active interferers, in linear power, and
//!   `C/I`, `C/(N+I)`, `(N+I)/N`, `I/N`.
//!
//! The probability of interference is `P_I = 1 − P_NI`, `P_NI` being the
//! share of the events with dRSS above the sensitivity that meet the criterion
//! (C/I: `dRSS − iRSS > C/I`; C/(N+I): `10·log10(c/(n+i)) > C/(N+I)`;
//! (N+I)/N: `10·log10((n+i)/n) < (N+I)/N`; I/N: `iRSS − N < I/N`), with a
//! 95 % Wilson score interval.
//!
//! Propagation is free space (ITU-R P.525 via
//! [`spectrum_core::p525::free_space_loss_db`]); its constant can be set (the
//! Handbook's hand calculations round it to 32.5 dB) and a log-normal
//! variability added.
//!
//! Events run in parallel with rayon; event `k` draws from its own ChaCha8
//! stream (`seed`, stream `k`), so the results do not depend on the number of
//! threads. The scenario format is described in [`scenario`] and by the
//! example `interference/data/seamcat-handbook.toml`.

mod parse;
/// The SEAMCAT Handbook's worked example as a scenario file
/// (`interference/data/seamcat-handbook.toml`).
pub const HANDBOOK_SCENARIO: &str = include_str!("../data/seamcat-handbook.toml");

pub mod scenario;
mod toml_in;

use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::InterferenceError;
pub use scenario::{
    Blocking, BlockingMode, Criteria, Distribution, Interferer, Position, Propagation, Scenario,
    Simulation, Victim, Wanted, n_i_n_db, simulation_radius_km,
};

/// Distances below 1 m are taken as 1 m (free space has no near field).
const MIN_DISTANCE_KM: f64 = 0.001;

/// One event of the simulation (all powers in dBm; −∞ = no signal).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Event index (0-based).
    pub event: u64,
    /// Wanted signal at the victim receiver, dBm.
    pub drss_dbm: f64,
    /// Summed unwanted-emission interference, dBm.
    pub irss_unwanted_dbm: f64,
    /// Summed blocking interference, dBm.
    pub irss_blocking_dbm: f64,
    /// Total interference (unwanted + blocking), dBm.
    pub irss_dbm: f64,
    /// C/I, dB.
    pub c_i_db: f64,
    /// C/(N+I), dB.
    pub c_n_i_db: f64,
    /// (N+I)/N, dB.
    pub n_i_n_db: f64,
    /// I/N, dB.
    pub i_n_db: f64,
}

/// The four interference criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Criterion {
    /// Carrier to interference.
    #[serde(rename = "C/I")]
    CI,
    /// Carrier to noise plus interference.
    #[serde(rename = "C/(N+I)")]
    CNI,
    /// Noise plus interference to noise (desensitisation).
    #[serde(rename = "(N+I)/N")]
    NIN,
    /// Interference to noise.
    #[serde(rename = "I/N")]
    IN,
}

/// The probability of interference under one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// The criterion.
    pub criterion: Criterion,
    /// Its threshold, dB.
    pub threshold_db: f64,
    /// Events with dRSS above the sensitivity.
    pub valid_events: usize,
    /// Of those, the events failing the criterion.
    pub interfered_events: usize,
    /// `P_I = 1 − P_NI` (0 when no event is valid).
    pub probability: f64,
    /// 95 % Wilson score interval of `P_I`, lower bound.
    pub ci_low: f64,
    /// 95 % Wilson score interval of `P_I`, upper bound.
    pub ci_high: f64,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Number of events.
    pub n_events: usize,
    /// Seed used.
    pub seed: u64,
    /// Noise floor of the victim, dBm.
    pub noise_floor_dbm: f64,
    /// Sensitivity of the victim, dBm.
    pub sensitivity_dbm: f64,
    /// One result per criterion: C/I, C/(N+I), (N+I)/N, I/N.
    pub criteria: Vec<CriterionResult>,
    /// Mean dRSS, dBm (mean of the dBm values).
    pub mean_drss_dbm: f64,
    /// Mean iRSS_unwanted, dBm, over events where it is finite (NaN if none).
    pub mean_irss_unwanted_dbm: f64,
    /// Mean iRSS_blocking, dBm, over events where it is finite (NaN if none).
    pub mean_irss_blocking_dbm: f64,
    /// Mean total iRSS, dBm, over events where it is finite (NaN if none).
    pub mean_irss_dbm: f64,
    /// The events.
    pub events: Vec<Event>,
}

impl Outcome {
    /// The result for one criterion.
    pub fn criterion(&self, c: Criterion) -> Option<&CriterionResult> {
        self.criteria.iter().find(|r| r.criterion == c)
    }

    /// `P_I` for one criterion (0 if absent).
    pub fn probability(&self, c: Criterion) -> f64 {
        self.criterion(c).map_or(0.0, |r| r.probability)
    }
}

/// The Wilson score interval of a binomial proportion `k / n` at 95 %
/// (z = 1.959964); `(0, 1)` when `n = 0`.
///
/// ```
/// use interference::montecarlo::wilson_interval;
/// let (lo, hi) = wilson_interval(50, 100);
/// assert!(lo < 0.5 && 0.5 < hi && (hi - lo - 0.192).abs() < 0.01);
/// let (lo, hi) = wilson_interval(100, 100);
/// assert!(hi == 1.0 && lo > 0.96);
/// ```
pub fn wilson_interval(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    const Z: f64 = 1.959_963_984_540_054;
    let nf = n as f64;
    let p = k as f64 / nf;
    let z2 = Z * Z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = Z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    let lo = if k == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if k >= n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

fn dbm_to_mw(dbm: f64) -> f64 {
    10f64.powf(dbm / 10.0)
}

fn mw_to_dbm(mw: f64) -> f64 {
    10.0 * mw.log10()
}

fn distance_km(xy: (f64, f64), dh_m: f64) -> f64 {
    let dz = dh_m / 1000.0;
    (xy.0 * xy.0 + xy.1 * xy.1 + dz * dz)
        .sqrt()
        .max(MIN_DISTANCE_KM)
}

/// The random stream of one event: ChaCha8 seeded with `seed`, stream
/// `event`.
fn event_rng(seed: u64, event: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(event);
    rng
}

/// Simulates event `k` of a scenario.
pub fn simulate_event(s: &Scenario, k: u64) -> Event {
    let mut rng = event_rng(s.simulation.seed, k);
    let v = &s.victim;
    let prop = &s.propagation;
    let path_loss = |rng: &mut ChaCha8Rng, f: f64, d: f64| {
        let fade = if prop.sigma_db > 0.0 {
            prop.sigma_db * scenario::standard_normal(rng)
        } else {
            0.0
        };
        prop.loss_db(f, d) + fade
    };

    let w = &s.wanted;
    let p_w = w.power_dbm.sample(&mut rng);
    let xy = w.position.sample(&mut rng);
    let d = distance_km(xy, w.antenna_height_m - v.antenna_height_m);
    let drss =
        p_w + w.antenna_gain_dbi + v.antenna_gain_dbi - path_loss(&mut rng, v.frequency_mhz, d);

    let (mut unwanted_mw, mut blocking_mw) = (0.0, 0.0);
    for it in &s.interferers {
        for _ in 0..it.position.count() {
            let active = rng.random::<f64>() < it.activity;
            let p = it.power_dbm.sample(&mut rng);
            let f = it.frequency_mhz.sample(&mut rng);
            let xy = it.position.sample(&mut rng);
            let d = distance_km(xy, it.antenna_height_m - v.antenna_height_m);
            let loss = path_loss(&mut rng, f, d);
            if !active {
                continue;
            }
            let at_rx = p + it.antenna_gain_dbi + v.antenna_gain_dbi - loss;
            let offset = v.frequency_mhz - f;
            unwanted_mw += dbm_to_mw(at_rx + it.mask_gain_db(offset, v.bandwidth_khz));
            if let Some(b) = &it.blocking {
                blocking_mw +=
                    dbm_to_mw(at_rx - b.attenuation_db(offset, &v.criteria, v.sensitivity_dbm));
            }
        }
    }
    let i_mw = unwanted_mw + blocking_mw;
    let n_mw = dbm_to_mw(v.noise_floor_dbm);
    let irss = mw_to_dbm(i_mw);
    Event {
        event: k,
        drss_dbm: drss,
        irss_unwanted_dbm: mw_to_dbm(unwanted_mw),
        irss_blocking_dbm: mw_to_dbm(blocking_mw),
        irss_dbm: irss,
        c_i_db: drss - irss,
        c_n_i_db: drss - mw_to_dbm(n_mw + i_mw),
        n_i_n_db: mw_to_dbm((n_mw + i_mw) / n_mw),
        i_n_db: irss - v.noise_floor_dbm,
    }
}

/// Whether an event is interfered under a criterion (not meeting it).
fn interfered(e: &Event, c: Criterion, k: &Criteria) -> bool {
    match c {
        Criterion::CI => e.c_i_db <= k.c_i_db,
        Criterion::CNI => e.c_n_i_db <= k.c_n_i_db,
        Criterion::NIN => e.n_i_n_db >= k.n_i_n_db,
        Criterion::IN => e.i_n_db >= k.i_n_db,
    }
}

fn finite_mean(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for v in values.filter(|v| v.is_finite()) {
        sum += v;
        n += 1;
    }
    if n == 0 { f64::NAN } else { sum / n as f64 }
}

/// Runs the `simulation.events` events of a scenario in parallel (rayon's
/// current pool) and evaluates the four criteria.
///
/// ```
/// use interference::montecarlo::{run, Criterion, Scenario};
/// let text = r#"
/// [victim]
/// frequency_mhz = 1000
/// bandwidth_khz = 200
/// noise_floor_dbm = -110
/// sensitivity_dbm = -94
/// antenna_gain_dbi = 9
/// criteria = { c_i_db = 19, c_n_i_db = 16, n_i_n_db = 3, i_n_db = 0 }
/// [victim.wanted]
/// power_dbm = 30
/// antenna_gain_dbi = 9
/// position = { mode = "fixed", x_km = 2, y_km = 2 }
/// [[interferer]]
/// power_dbm = 33
/// antenna_gain_dbi = 11
/// bandwidth_khz = 200
/// position = { mode = "fixed", x_km = 4, y_km = 4 }
/// [propagation]
/// constant_db = 32.44
/// [simulation]
/// events = 100
/// "#;
/// let out = run(&Scenario::parse(text, "inline.toml")?)?;
/// assert!((out.events[0].drss_dbm + 53.4709).abs() < 1e-4);
/// assert_eq!(out.probability(Criterion::CI), 1.0);
/// # Ok::<(), interference::InterferenceError>(())
/// ```
pub fn run(scenario: &Scenario) -> Result<Outcome, InterferenceError> {
    let n = scenario.simulation.events;
    if n == 0 {
        return Err(InterferenceError::Invalid {
            field: "simulation.events".into(),
            expected: "a positive number of events".into(),
            found: "0".into(),
        });
    }
    let events: Vec<Event> = (0..n as u64)
        .into_par_iter()
        .map(|k| simulate_event(scenario, k))
        .collect();
    let v = &scenario.victim;
    let valid: Vec<&Event> = events
        .iter()
        .filter(|e| e.drss_dbm > v.sensitivity_dbm)
        .collect();
    let k = &v.criteria;
    let criteria = [
        (Criterion::CI, k.c_i_db),
        (Criterion::CNI, k.c_n_i_db),
        (Criterion::NIN, k.n_i_n_db),
        (Criterion::IN, k.i_n_db),
    ]
    .into_iter()
    .map(|(c, threshold_db)| {
        let bad = valid.iter().filter(|e| interfered(e, c, k)).count();
        let (ci_low, ci_high) = wilson_interval(bad, valid.len());
        CriterionResult {
            criterion: c,
            threshold_db,
            valid_events: valid.len(),
            interfered_events: bad,
            probability: if valid.is_empty() {
                0.0
            } else {
                bad as f64 / valid.len() as f64
            },
            ci_low,
            ci_high,
        }
    })
    .collect();
    Ok(Outcome {
        n_events: n,
        seed: scenario.simulation.seed,
        noise_floor_dbm: v.noise_floor_dbm,
        sensitivity_dbm: v.sensitivity_dbm,
        criteria,
        mean_drss_dbm: finite_mean(events.iter().map(|e| e.drss_dbm)),
        mean_irss_unwanted_dbm: finite_mean(events.iter().map(|e| e.irss_unwanted_dbm)),
        mean_irss_blocking_dbm: finite_mean(events.iter().map(|e| e.irss_blocking_dbm)),
        mean_irss_dbm: finite_mean(events.iter().map(|e| e.irss_dbm)),
        events,
    })
}

/// The schema of the per-event vectors.
pub fn events_schema() -> SchemaRef {
    let f = |name: &str| Field::new(name, DataType::Float64, false);
    Arc::new(Schema::new(vec![
        Field::new("event", DataType::UInt64, false),
        f("drss_dbm"),
        f("irss_unwanted_dbm"),
        f("irss_blocking_dbm"),
        f("irss_dbm"),
        f("c_i_db"),
        f("c_n_i_db"),
        f("n_i_n_db"),
        f("i_n_db"),
    ]))
}

/// The per-event vectors as one Arrow batch (−∞ dBm where there is no
/// interference).
pub fn events_batch(outcome: &Outcome) -> Result<RecordBatch, InterferenceError> {
    let ev = &outcome.events;
    let col = |g: fn(&Event) -> f64| -> ArrayRef {
        Arc::new(Float64Array::from_iter_values(ev.iter().map(g)))
    };
    let columns: Vec<ArrayRef> = vec![
        Arc::new(UInt64Array::from_iter_values(ev.iter().map(|e| e.event))),
        col(|e| e.drss_dbm),
        col(|e| e.irss_unwanted_dbm),
        col(|e| e.irss_blocking_dbm),
        col(|e| e.irss_dbm),
        col(|e| e.c_i_db),
        col(|e| e.c_n_i_db),
        col(|e| e.n_i_n_db),
        col(|e| e.i_n_db),
    ];
    Ok(RecordBatch::try_new(events_schema(), columns)?)
}

/// Writes the per-event vectors to Parquet (or CSV, by extension) through
/// `tabular`; returns the number of rows.
pub fn write_events(outcome: &Outcome, path: &Path) -> Result<usize, InterferenceError> {
    let provenance = tabular::Provenance::new("spectra-interference montecarlo (SEAMCAT method)")
        .with("seed", outcome.seed.to_string())
        .with("events", outcome.n_events.to_string());
    let mut sink = tabular::BatchSink::create(
        path,
        events_schema(),
        &provenance,
        &tabular::WriteOptions::default(),
    )?;
    sink.write(&events_batch(outcome)?)?;
    Ok(sink.finish()?)
}
