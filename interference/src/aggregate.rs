//! Aggregate interference at the receivers of a register from the
//! transmitters of another (or the same) register.
//!
//! For a victim receiver v and an interferer t:
//! `I_t = EIRP_t − A_t(towards v) + G_v − A_v(towards t) − L(t → v) − FDR(t, v)`
//! (dBm), where EIRP is at the transmitter's boresight, A the pattern
//! attenuations (0 for an antenna without a pattern file), G_v the victim's
//! boresight gain, L the basic transmission loss of the chosen model over the
//! path and FDR the frequency-dependent rejection (ITU-R SM.337) of the
//! transmitter's spectrum (a mask, else rectangular over its necessary
//! bandwidth) through the victim's selectivity (rectangular over its
//! necessary bandwidth). The aggregate `I = 10·log10 Σ 10^(I_t/10)` is summed
//! in linear power in the order of the interferers in their register, so the
//! result is bit-identical whatever the thread count. With the victim's noise
//! N (given, or −174 dBm/Hz + 10·log10 B + NF): I/N, and the margin against
//! its protection criterion (positive = protected).
//!
//! Candidates come from the R-trees ([`stations::index::StationIndex`], one
//! per operator, so that the victim's own operator is not visited when
//! intra-system pairs are left out) within the cutoff distance of the
//! victim's service and whose occupied band meets the victim's band widened
//! by a guard; never from a scan of the register
//! ([`aggregate_brute_force`] is the reference the tests compare with).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use spectrum_core::coverage::{AntennaPattern, PathLossModel};
use stations::index::{IndexedSite, StationIndex};
use stations::model::{Assignment, AssignmentStatus};
use stations::register::Register;

use crate::fdr::fdr_db;
use crate::mask::{Mask, Shape};
use crate::pathloss::{Sampling, path_loss};

/// How many of the strongest contributors each victim's result lists.
pub const TOP_CONTRIBUTORS: usize = 5;

/// Cutoff distances: beyond them an interferer is not considered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cutoffs {
    /// For every service without its own, km.
    pub default_km: f64,
    /// By victim service, km.
    pub by_service: BTreeMap<allocation_table::service::RadioService, f64>,
    /// One distance for every service (`--cutoff-km`), km.
    pub override_km: Option<f64>,
}

impl Default for Cutoffs {
    /// 100 km; 150 km for fixed links, 300 km for broadcasting, radiolocation
    /// and aeronautical services (high antennas, long reach).
    fn default() -> Self {
        use allocation_table::service::RadioService as S;
        let by_service = [
            (S::Fixed, 150.0),
            (S::Broadcasting, 300.0),
            (S::Radiolocation, 300.0),
            (S::AeronauticalRadionavigation, 300.0),
            (S::AeronauticalMobileR, 300.0),
        ]
        .into_iter()
        .collect();
        Cutoffs {
            default_km: 100.0,
            by_service,
            override_km: None,
        }
    }
}

impl Cutoffs {
    /// The cutoff for a victim of `service`, km.
    pub fn km(&self, service: allocation_table::service::RadioService) -> f64 {
        self.override_km
            .or_else(|| self.by_service.get(&service).copied())
            .unwrap_or(self.default_km)
    }
}

/// Parameters of an aggregate study.
#[derive(Debug, Clone)]
pub struct Config<'a> {
    /// Cutoff distances.
    pub cutoffs: Cutoffs,
    /// Interferers whose occupied band lies within this distance of the
    /// victim's band are candidates (0: only overlapping bands, which is all
    /// a rectangular spectrum can reach), Hz.
    pub guard_hz: u64,
    /// Terrain and profile spacing.
    pub sampling: Sampling<'a>,
    /// Consider pairs of the same operator (intra-system) too.
    pub same_operator: bool,
    /// Noise figure assumed for a receiver that states neither noise power
    /// nor noise figure, dB.
    pub default_noise_figure_db: f64,
    /// Masks by name, for the stations' `emission_mask` and `rx_mask`
    /// (a station without one is rectangular over its necessary bandwidth).
    pub masks: BTreeMap<String, Mask>,
    /// Antenna patterns by the register's `antenna` value.
    pub patterns: BTreeMap<String, AntennaPattern>,
}

/// One interferer's contribution at one victim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// Victim id.
    pub victim_id: String,
    /// Interferer id.
    pub interferer_id: String,
    /// Geodesic distance, km.
    pub distance_km: f64,
    /// Basic transmission loss, dB.
    pub path_loss_db: f64,
    /// Frequency-dependent rejection, dB.
    pub fdr_db: f64,
    /// Interfering power at the victim's receiver input, dBm.
    pub i_dbm: f64,
}

/// The result at one victim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VictimResult {
    /// Victim id.
    pub victim_id: String,
    /// Aggregate interference, dBm (−∞ when nothing reaches it).
    pub i_dbm: f64,
    /// Noise power in the victim's bandwidth, dBm.
    pub n_dbm: f64,
    /// I/N, dB.
    pub i_over_n_db: f64,
    /// The victim's protection criterion I/N, dB.
    pub protection_i_n_db: f64,
    /// Criterion − I/N, dB: negative when the victim is not protected.
    pub margin_db: f64,
    /// Interferers that contribute.
    pub n_interferers: usize,
    /// The strongest contributor.
    pub worst_interferer_id: Option<String>,
    /// Its contribution, dBm.
    pub worst_i_dbm: Option<f64>,
    /// The strongest contributors (at most [`TOP_CONTRIBUTORS`]), strongest
    /// first: interferer id and contribution, dBm.
    pub top: Vec<(String, f64)>,
    /// Paths the model refused (their reasons are in the errors list of the report).
    pub failed_paths: usize,
    /// The wanted transmitter (the victim's `link`), when known.
    pub wanted_id: Option<String>,
    /// Wanted signal at the receiver input, dBm (same model and FDR as the
    /// interference), when the wanted transmitter is in the interferers'
    /// register.
    pub c_dbm: Option<f64>,
    /// C/I, dB (when both are known and something interferes).
    pub c_over_i_db: Option<f64>,
    /// C/(N+I), dB.
    pub c_over_n_plus_i_db: Option<f64>,
}

/// The result of an aggregate study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// One row per victim receiver, in register order.
    pub victims: Vec<VictimResult>,
    /// Every contribution, victim by victim, interferers in register order.
    pub contributions: Vec<Contribution>,
    /// Pairs evaluated (model calls).
    pub pairs: usize,
    /// Pairs skipped because the two stations stand on the same site.
    pub co_sited: usize,
    /// The first refusals of the model: (victim id, interferer id, reason).
    pub errors: Vec<(String, String, String)>,
}

fn is_interferer(a: &Assignment) -> bool {
    a.station.direction.transmits()
        && a.station.eirp_dbm.is_some()
        && a.status != AssignmentStatus::Suspended
}

fn is_victim(a: &Assignment) -> bool {
    a.station.direction.receives() && a.status != AssignmentStatus::Suspended
}

/// Attenuation of `a`'s antenna pattern towards an azimuth and elevation
/// (0 without a pattern file), dB.
pub(crate) fn attenuation_db(
    patterns: &BTreeMap<String, AntennaPattern>,
    a: &Assignment,
    towards_deg: f64,
    elevation_deg: f64,
) -> f64 {
    a.station
        .pattern
        .as_deref()
        .and_then(|p| patterns.get(p))
        .map_or(0.0, |p| {
            let h = (towards_deg - a.station.azimuth_deg).rem_euclid(360.0);
            let depression = (-elevation_deg - a.station.tilt_deg).rem_euclid(360.0);
            p.attenuation_db(h, depression)
        })
}

/// Evaluates one pair; `None` when the spectra do not couple or the sites coincide.
fn pair(
    model: &dyn PathLossModel,
    cfg: &Config<'_>,
    t: &Assignment,
    v: &Assignment,
) -> Result<Option<Contribution>, String> {
    let (vlo, vhi) = v.occupied_hz();
    let b_rx = v.emission.bandwidth_hz();
    let shape = |name: &Option<String>, bandwidth_hz: f64| {
        Shape::Mask(
            name.as_ref()
                .and_then(|n| cfg.masks.get(n))
                .cloned()
                .unwrap_or_else(|| Mask::rectangular(bandwidth_hz)),
        )
    };
    let tx_shape = shape(&t.station.emission_mask, t.emission.bandwidth_hz());
    let rx_shape = shape(&v.station.rx_mask, b_rx);
    let df = t.freq_hz as f64 - v.freq_hz as f64;
    let fdr = fdr_db(&tx_shape, &rx_shape, df);
    if !fdr.is_finite() || vlo >= vhi {
        return Ok(None);
    }
    let r = path_loss(
        model,
        &t.station,
        &v.station,
        t.freq_hz as f64 / 1e6,
        cfg.sampling,
    )?;
    let eirp = t.station.eirp_dbm.unwrap_or(f64::NEG_INFINITY);
    let a_t = attenuation_db(&cfg.patterns, t, r.azimuth_tx_deg, r.elevation_tx_deg);
    let a_v = attenuation_db(&cfg.patterns, v, r.azimuth_rx_deg, -r.elevation_tx_deg);
    let i_dbm = eirp - a_t + v.station.gain_dbi - a_v - r.loss_db - fdr;
    Ok(Some(Contribution {
        victim_id: v.id.clone(),
        interferer_id: t.id.clone(),
        distance_km: r.distance_km,
        path_loss_db: r.loss_db,
        fdr_db: fdr,
        i_dbm,
    }))
}

struct VictimOutcome {
    result: VictimResult,
    contributions: Vec<Contribution>,
    pairs: usize,
    co_sited: usize,
    errors: Vec<(String, String, String)>,
}

fn evaluate_victim(
    model: &dyn PathLossModel,
    cfg: &Config<'_>,
    interferers: &Register,
    candidates: &[usize],
    v: &Assignment,
    wanted: Option<&Assignment>,
) -> VictimOutcome {
    let mut out = VictimOutcome {
        result: VictimResult {
            victim_id: v.id.clone(),
            i_dbm: f64::NEG_INFINITY,
            n_dbm: 0.0,
            i_over_n_db: f64::NEG_INFINITY,
            protection_i_n_db: v.protection_i_n_db,
            margin_db: f64::INFINITY,
            n_interferers: 0,
            worst_interferer_id: None,
            worst_i_dbm: None,
            top: Vec::new(),
            failed_paths: 0,
            wanted_id: v.link.clone(),
            c_dbm: None,
            c_over_i_db: None,
            c_over_n_plus_i_db: None,
        },
        contributions: Vec::new(),
        pairs: 0,
        co_sited: 0,
        errors: Vec::new(),
    };
    for &i in candidates {
        let Some(t) = interferers.assignments.get(i) else {
            continue;
        };
        if !is_interferer(t)
            || t.id == v.id
            || v.link.as_deref() == Some(t.id.as_str())
            || (!cfg.same_operator && t.operator == v.operator)
        {
            continue;
        }
        if t.station.site.lat_deg == v.station.site.lat_deg
            && t.station.site.lon_deg == v.station.site.lon_deg
        {
            out.co_sited += 1;
            continue;
        }
        out.pairs += 1;
        match pair(model, cfg, t, v) {
            Ok(Some(c)) => out.contributions.push(c),
            Ok(None) => {}
            Err(e) => {
                out.result.failed_paths += 1;
                if out.errors.len() < 3 {
                    out.errors.push((v.id.clone(), t.id.clone(), e));
                }
            }
        }
    }
    let n_dbm = v.noise_dbm().unwrap_or_else(|| {
        -174.0 + 10.0 * v.emission.bandwidth_hz().log10() + cfg.default_noise_figure_db
    });
    let mut sum_mw = 0.0;
    let mut worst: Option<&Contribution> = None;
    for c in &out.contributions {
        sum_mw += 10f64.powf(c.i_dbm / 10.0);
        if worst.is_none_or(|w| c.i_dbm > w.i_dbm) {
            worst = Some(c);
        }
    }
    let r = &mut out.result;
    r.n_dbm = n_dbm;
    r.n_interferers = out.contributions.len();
    r.worst_interferer_id = worst.map(|w| w.interferer_id.clone());
    r.worst_i_dbm = worst.map(|w| w.i_dbm);
    let mut ranked: Vec<&Contribution> = out.contributions.iter().collect();
    ranked.sort_by(|a, b| b.i_dbm.total_cmp(&a.i_dbm));
    r.top = ranked
        .iter()
        .take(TOP_CONTRIBUTORS)
        .map(|c| (c.interferer_id.clone(), c.i_dbm))
        .collect();
    if sum_mw > 0.0 {
        r.i_dbm = 10.0 * sum_mw.log10();
        r.i_over_n_db = r.i_dbm - n_dbm;
        r.margin_db = v.protection_i_n_db - r.i_over_n_db;
    }
    // The wanted signal, with the same model, antennas and FDR.
    if let Some(w) = wanted.filter(|w| is_interferer(w)) {
        match pair(model, cfg, w, v) {
            Ok(Some(c)) => {
                let n_plus_i_mw = 10f64.powf(n_dbm / 10.0) + sum_mw;
                r.c_dbm = Some(c.i_dbm);
                r.c_over_i_db = (sum_mw > 0.0).then_some(c.i_dbm - r.i_dbm);
                r.c_over_n_plus_i_db = Some(c.i_dbm - 10.0 * n_plus_i_mw.log10());
            }
            Ok(None) => {}
            Err(e) => {
                r.failed_paths += 1;
                if out.errors.len() < 3 {
                    out.errors.push((v.id.clone(), w.id.clone(), e));
                }
            }
        }
    }
    out
}

fn assemble(outcomes: Vec<VictimOutcome>, keep_contributions: bool) -> Report {
    let mut report = Report {
        victims: Vec::with_capacity(outcomes.len()),
        contributions: Vec::new(),
        pairs: 0,
        co_sited: 0,
        errors: Vec::new(),
    };
    for o in outcomes {
        report.pairs += o.pairs;
        report.co_sited += o.co_sited;
        if report.errors.len() < 10 {
            report.errors.extend(o.errors);
        }
        if keep_contributions {
            report.contributions.extend(o.contributions);
        }
        report.victims.push(o.result);
    }
    report
}

/// Aggregate interference at every receiver of `victims` from the
/// transmitters of `interferers`, candidates from the R-tree (see the module
/// doc). `keep_contributions` keeps the per-pair rows.
pub fn aggregate(
    model: &dyn PathLossModel,
    cfg: &Config<'_>,
    interferers: &Register,
    victims: &Register,
    keep_contributions: bool,
) -> Report {
    aggregate_with_progress(
        model,
        cfg,
        interferers,
        victims,
        keep_contributions,
        &|_, _| {},
    )
}

/// [`aggregate`], calling `progress(done, total)` as victims finish (from
/// the worker threads; the order of the calls is not the victims' order).
pub fn aggregate_with_progress(
    model: &dyn PathLossModel,
    cfg: &Config<'_>,
    interferers: &Register,
    victims: &Register,
    keep_contributions: bool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Report {
    let total = victims.assignments.iter().filter(|v| is_victim(v)).count();
    let by_id = ids(interferers);
    let done = std::sync::atomic::AtomicUsize::new(0);
    // One index per operator, so that the victim's own operator (whose
    // co-channel reuse dominates a cellular network) is not even visited
    // when intra-system pairs are left out.
    let mut positions: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, a) in interferers.assignments.iter().enumerate() {
        if is_interferer(a) {
            positions.entry(a.operator.as_str()).or_default().push(i);
        }
    }
    let indexes: Vec<(&str, Vec<usize>, StationIndex)> = positions
        .into_iter()
        .map(|(op, pos)| {
            let index = StationIndex::from_points(
                pos.iter()
                    .map(|&i| IndexedSite::from_assignment(&interferers.assignments[i])),
            );
            (op, pos, index)
        })
        .collect();
    let outcomes: Vec<VictimOutcome> = victims
        .assignments
        .par_iter()
        .filter(|v| is_victim(v))
        .map(|v| {
            let (lo, hi) = v.occupied_hz();
            let band = (
                lo.saturating_sub(cfg.guard_hz),
                hi.saturating_add(cfg.guard_hz),
            );
            let mut candidates = Vec::new();
            for (op, pos, index) in &indexes {
                if !cfg.same_operator && *op == v.operator {
                    continue;
                }
                candidates.extend(
                    index
                        .within_km(
                            v.station.site.lat_deg,
                            v.station.site.lon_deg,
                            cfg.cutoffs.km(v.service),
                            Some(band),
                        )
                        .into_iter()
                        .map(|local| pos[local]),
                );
            }
            candidates.sort_unstable();
            let wanted = wanted_of(&by_id, interferers, v);
            let outcome = evaluate_victim(model, cfg, interferers, &candidates, v, wanted);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(n, total);
            outcome
        })
        .collect();
    assemble(outcomes, keep_contributions)
}

/// The same study by brute force: every transmitter of `interferers` is
/// tested against every victim (distance by a linear scan): the reference
/// of the tests.
pub fn aggregate_brute_force(
    model: &dyn PathLossModel,
    cfg: &Config<'_>,
    interferers: &Register,
    victims: &Register,
    keep_contributions: bool,
) -> Report {
    let sites: Vec<IndexedSite> = interferers
        .assignments
        .iter()
        .map(IndexedSite::from_assignment)
        .collect();
    let by_id = ids(interferers);
    let outcomes: Vec<VictimOutcome> = victims
        .assignments
        .iter()
        .filter(|v| is_victim(v))
        .map(|v| {
            let (lo, hi) = v.occupied_hz();
            let band = (
                lo.saturating_sub(cfg.guard_hz),
                hi.saturating_add(cfg.guard_hz),
            );
            let candidates = stations::index::within_km_linear(
                &sites,
                v.station.site.lat_deg,
                v.station.site.lon_deg,
                cfg.cutoffs.km(v.service),
                Some(band),
            );
            let wanted = wanted_of(&by_id, interferers, v);
            evaluate_victim(model, cfg, interferers, &candidates, v, wanted)
        })
        .collect();
    assemble(outcomes, keep_contributions)
}

/// Positions of the assignments by id.
fn ids(register: &Register) -> std::collections::HashMap<&str, usize> {
    register
        .assignments
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect()
}

/// The victim's wanted transmitter in the interferers' register, if any.
fn wanted_of<'r>(
    by_id: &std::collections::HashMap<&str, usize>,
    interferers: &'r Register,
    v: &Assignment,
) -> Option<&'r Assignment> {
    v.link
        .as_deref()
        .and_then(|id| by_id.get(id))
        .and_then(|&i| interferers.assignments.get(i))
}
