//! The move-list calculation (see the module doc of [`super`]).

use crate::aggregate::attenuation_db;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use spectrum_core::coverage::PathLossModel;
use stations::index::StationIndex;
use stations::model::{Assignment, AssignmentStatus, Direction, Site, Station};
use stations::register::Register;

use super::{
    CandidateRow, Channel, ConstraintResult, MoveList, MoveListConfig, ProtectionPoint, channels,
};
use crate::error::InterferenceError;
use crate::fdr::fdr_db;
use crate::mask::{Mask, Shape};
use crate::pathloss::path_loss;

fn is_interferer(a: &Assignment) -> bool {
    a.station.direction.transmits()
        && a.station.eirp_dbm.is_some()
        && a.status != AssignmentStatus::Suspended
}

/// Register positions (ascending) of the candidates: transmitters (with an
/// EIRP, not suspended) within `cfg.neighbourhood_km` of at least one point
/// (R-tree, WGS 84 geodesic distance, inclusive) whose occupied band meets
/// `cfg.band`.
///
/// ```
/// use interference::movelist::{MoveListConfig, ProtectionPoint, candidates};
/// let a = stations::model::Assignment::example("a", 460_000_000, "12K5F3E");
/// let register = stations::register::Register::new(vec![a]);
/// let p = ProtectionPoint::isotropic(42.9, 74.57, 10.0);
/// let cfg = MoveListConfig::new((460_000_000, 460_100_000), -100.0);
/// assert_eq!(candidates(&register, &[p], &cfg), vec![0]);
/// let cfg = MoveListConfig::new((461_000_000, 461_100_000), -100.0);
/// assert!(candidates(&register, &[p], &cfg).is_empty());
/// ```
pub fn candidates(
    register: &Register,
    points: &[ProtectionPoint],
    cfg: &MoveListConfig<'_>,
) -> Vec<usize> {
    let index = StationIndex::build(&register.assignments);
    let lists: Vec<Vec<usize>> = points
        .par_iter()
        .map(|p| index.within_km(p.lat_deg, p.lon_deg, cfg.neighbourhood_km, Some(cfg.band)))
        .collect();
    let mut all: Vec<usize> = lists
        .into_iter()
        .flatten()
        .filter(|&i| register.assignments.get(i).is_some_and(is_interferer))
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// The `q`-th percentile (0–100) of `values` with linear interpolation
/// between the order statistics (NumPy's default), computed as
/// `(1 − f)·x_i + f·x_{i+1}` so that it never decreases when any value
/// grows. Sorts `values`; NaN when empty.
///
/// ```
/// use interference::movelist::percentile;
/// assert_eq!(percentile(&mut [3.0, 1.0, 2.0, 4.0], 50.0), 2.5);
/// assert_eq!(percentile(&mut [3.0, 1.0, 2.0], 100.0), 3.0);
/// assert_eq!(percentile(&mut [5.0], 95.0), 5.0);
/// ```
pub fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_unstable_by(f64::total_cmp);
    let pos = (q / 100.0).clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let i = pos.floor() as usize;
    let f = pos - i as f64;
    let a = values[i];
    match values.get(i + 1) {
        Some(&b) if f > 0.0 => (1.0 - f) * a + f * b,
        _ => a,
    }
}

fn to_dbm(mw: f64) -> f64 {
    10.0 * mw.log10()
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The stream of the draws of the candidate at register position `index`
/// at point `point`: ChaCha8 keyed by (`seed`, `point`), stream `index`.
fn draw_rng(seed: u64, point: usize, index: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(splitmix64(seed ^ splitmix64(point as u64)));
    rng.set_stream(index as u64);
    rng
}

/// A standard normal deviate (Box–Muller; always two uniforms).
fn standard_normal<G: Rng + ?Sized>(rng: &mut G) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// σ·z for every candidate and draw at `point`, candidate-major.
fn variability(cfg: &MoveListConfig<'_>, point: usize, cands: &[usize], draws: usize) -> Vec<f64> {
    if cfg.sigma_db == 0.0 {
        return vec![0.0; cands.len() * draws];
    }
    let (seed, sigma) = (cfg.seed, cfg.sigma_db);
    cands
        .par_iter()
        .flat_map_iter(|&i| {
            let mut rng = draw_rng(seed, point, i);
            (0..draws).map(move |_| sigma * standard_normal(&mut rng))
        })
        .collect()
}

/// The level (dBm, before the variability) of `t` at `point` in
/// every channel; −∞ where it does not couple.
fn levels(
    model: &dyn PathLossModel,
    cfg: &MoveListConfig<'_>,
    chans: &[Channel],
    t: &Assignment,
    point: &ProtectionPoint,
) -> Result<Vec<f64>, String> {
    let tx_shape = Shape::Mask(
        t.station
            .emission_mask
            .as_ref()
            .and_then(|name| cfg.masks.get(name))
            .cloned()
            .unwrap_or_else(|| Mask::rectangular(t.emission.bandwidth_hz())),
    );
    let fdrs: Vec<f64> = chans
        .iter()
        .map(|ch| {
            let rx_shape = Shape::rectangular((ch.hi_hz - ch.lo_hz) as f64);
            let centre = (ch.lo_hz as f64 + ch.hi_hz as f64) / 2.0;
            fdr_db(&tx_shape, &rx_shape, t.freq_hz as f64 - centre)
        })
        .collect();
    if !fdrs.iter().any(|f| f.is_finite()) {
        return Ok(vec![f64::NEG_INFINITY; chans.len()]);
    }
    let rx = Station {
        site: Site {
            lat_deg: point.lat_deg,
            lon_deg: point.lon_deg,
            ground_m: None,
        },
        direction: Direction::Rx,
        antenna_height_m: point.height_m,
        gain_dbi: point.gain_dbi,
        pattern: None,
        azimuth_deg: 0.0,
        tilt_deg: 0.0,
        polarisation: None,
        eirp_dbm: None,
        noise_figure_db: None,
        noise_dbm: None,
        // Any other field (unused by the path loss) as the transmitter's.
        ..t.station.clone()
    };
    let r = path_loss(model, &t.station, &rx, t.freq_hz as f64 / 1e6, cfg.sampling)?;
    let eirp = t.station.eirp_dbm.unwrap_or(f64::NEG_INFINITY);
    let a_t = attenuation_db(&cfg.patterns, t, r.azimuth_tx_deg, r.elevation_tx_deg);
    let g = point.gain_towards_dbi(r.azimuth_rx_deg);
    Ok(fdrs
        .iter()
        .map(|f| {
            if f.is_finite() {
                eirp - a_t + g - r.loss_db - f
            } else {
                f64::NEG_INFINITY
            }
        })
        .collect())
}

/// The linear contributions (mW) of the coupled candidates at one
/// constraint: their positions and a candidate-major matrix of draws.
struct Rows {
    coupled: Vec<usize>,
    mw: Vec<f64>,
    draws: usize,
}

impl Rows {
    fn build(level: impl Fn(usize) -> f64, n: usize, z: &[f64], draws: usize) -> Rows {
        let mut coupled = Vec::new();
        let mut mw = Vec::new();
        for c in 0..n {
            let l = level(c);
            if l == f64::NEG_INFINITY || l.is_nan() {
                continue;
            }
            coupled.push(c);
            let zs = z.get(c * draws..(c + 1) * draws).unwrap_or(&[]);
            mw.extend(zs.iter().map(|s| 10f64.powf((l - s) / 10.0)));
        }
        Rows { coupled, mw, draws }
    }

    fn row(&self, i: usize) -> &[f64] {
        self.mw
            .get(i * self.draws..(i + 1) * self.draws)
            .unwrap_or(&[])
    }

    /// The percentile over the draws of the sum (in row order) of the rows `keep` selects, mW.
    fn aggregate(&self, keep: impl Fn(usize) -> bool, q: f64) -> f64 {
        let mut sums = vec![0.0; self.draws];
        for i in (0..self.coupled.len()).filter(|&i| keep(i)) {
            for (s, v) in sums.iter_mut().zip(self.row(i)) {
                *s += v;
            }
        }
        percentile(&mut sums, q)
    }
}

/// The first pass at one constraint.
struct Pass {
    coupled: Vec<usize>,
    medians_dbm: Vec<f64>,
    moved: Vec<usize>,
    before_mw: f64,
}

/// The reference's method at one constraint: sort by the median, binary
/// search the largest prefix that keeps the aggregate ≤ the threshold.
fn constraint_pass(rows: &Rows, threshold_dbm: f64, q: f64) -> Pass {
    let m = rows.coupled.len();
    let medians: Vec<f64> = (0..m)
        .map(|i| percentile(&mut rows.row(i).to_vec(), 50.0))
        .collect();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| {
        medians
            .get(a)
            .zip(medians.get(b))
            .map_or(std::cmp::Ordering::Equal, |(x, y)| x.total_cmp(y))
            .then(a.cmp(&b))
    });
    let mut rank = vec![0usize; m];
    for (r, &i) in order.iter().enumerate() {
        if let Some(x) = rank.get_mut(i) {
            *x = r;
        }
    }
    let agg = |n: usize| rows.aggregate(|i| rank.get(i).is_some_and(|&r| r < n), q);
    let thr_mw = 10f64.powf(threshold_dbm / 10.0);
    let before_mw = agg(m);
    let keep = if before_mw <= thr_mw {
        m
    } else {
        // agg(lo) ≤ thr < agg(hi); agg(0) = 0.
        let (mut lo, mut hi) = (0, m);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if agg(mid) <= thr_mw {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let moved = order
        .iter()
        .skip(keep)
        .filter_map(|&i| rows.coupled.get(i).copied())
        .collect();
    Pass {
        medians_dbm: medians.into_iter().map(to_dbm).collect(),
        coupled: rows.coupled.clone(),
        moved,
        before_mw,
    }
}

/// The move list of the candidates of `register` for `points` (see the
/// module doc). Fails when the parameters are invalid or the model refuses
/// a path (the error names the assignment and the point).
pub fn move_list(
    model: &dyn PathLossModel,
    register: &Register,
    points: &[ProtectionPoint],
    cfg: &MoveListConfig<'_>,
) -> Result<MoveList, InterferenceError> {
    cfg.validate()?;
    let chans = channels(cfg);
    let cands = candidates(register, points, cfg);
    let txs: Vec<&Assignment> = cands
        .iter()
        .filter_map(|&i| register.assignments.get(i))
        .collect();
    let (n, np, nk) = (txs.len(), points.len(), chans.len());
    let draws = cfg.effective_draws();

    // Levels before variability, (point, candidate, channel)-major.
    let evaluated: Vec<Result<Vec<f64>, String>> = (0..np * n)
        .into_par_iter()
        .map(|j| match (points.get(j / n), txs.get(j % n)) {
            (Some(p), Some(t)) => levels(model, cfg, &chans, t, p),
            _ => Ok(vec![f64::NEG_INFINITY; nk]),
        })
        .collect();
    let mut flat = Vec::with_capacity(np * n * nk);
    for (j, r) in evaluated.into_iter().enumerate() {
        match r {
            Ok(v) => flat.extend(v),
            Err(e) => {
                let id = txs.get(j % n).map_or("?", |t| t.id.as_str());
                return Err(InterferenceError::Model(format!(
                    "{id} → protection point {}: {e}",
                    j / n
                )));
            }
        }
    }
    let level = |p: usize, c: usize, k: usize| {
        flat.get((p * n + c) * nk + k)
            .copied()
            .unwrap_or(f64::NEG_INFINITY)
    };

    // First pass: each constraint's own move list.
    let passes: Vec<Vec<Pass>> = (0..np)
        .into_par_iter()
        .map(|p| {
            let z = variability(cfg, p, &cands, draws);
            chans
                .par_iter()
                .enumerate()
                .map(|(k, ch)| {
                    let rows = Rows::build(|c| level(p, c, k), n, &z, draws);
                    constraint_pass(&rows, ch.threshold_dbm, cfg.percentile)
                })
                .collect()
        })
        .collect();
    let mut moved = vec![false; n];
    for pass in passes.iter().flatten() {
        for &c in &pass.moved {
            if let Some(x) = moved.get_mut(c) {
                *x = true;
            }
        }
    }

    // Second pass: the aggregate of the candidates kept.
    let after: Vec<Vec<f64>> = (0..np)
        .into_par_iter()
        .map(|p| {
            let z = variability(cfg, p, &cands, draws);
            (0..nk)
                .into_par_iter()
                .map(|k| {
                    let rows = Rows::build(|c| level(p, c, k), n, &z, draws);
                    let kept = |i: usize| {
                        rows.coupled
                            .get(i)
                            .is_some_and(|&c| !moved.get(c).copied().unwrap_or(true))
                    };
                    rows.aggregate(kept, cfg.percentile)
                })
                .collect()
        })
        .collect();

    let mut constraints = Vec::with_capacity(np * nk);
    let mut worst: Vec<Option<(usize, u64, f64)>> = vec![None; n];
    for (p, (pp, aa)) in passes.iter().zip(&after).enumerate() {
        for ((pass, &after_mw), ch) in pp.iter().zip(aa).zip(&chans) {
            let after_dbm = to_dbm(after_mw);
            constraints.push(ConstraintResult {
                point: p,
                lo_hz: ch.lo_hz,
                hi_hz: ch.hi_hz,
                threshold_dbm: ch.threshold_dbm,
                candidates: pass.coupled.len(),
                moved: pass.moved.len(),
                before_dbm: to_dbm(pass.before_mw),
                after_dbm,
                margin_db: ch.threshold_dbm - after_dbm,
            });
            for (&c, &med) in pass.coupled.iter().zip(&pass.medians_dbm) {
                if let Some(w) = worst.get_mut(c)
                    && w.is_none_or(|(_, _, m)| med > m)
                {
                    *w = Some((p, ch.lo_hz, med));
                }
            }
        }
    }
    let rows: Vec<CandidateRow> = txs
        .iter()
        .zip(&cands)
        .zip(moved.iter().zip(&worst))
        .map(|((t, &index), (&mv, w))| CandidateRow {
            id: t.id.clone(),
            index,
            moved: mv,
            worst_point: w.map(|x| x.0),
            worst_lo_hz: w.map(|x| x.1),
            median_dbm: w.map_or(f64::NEG_INFINITY, |x| x.2),
        })
        .collect();
    let margin_db = constraints
        .iter()
        .map(|c| c.margin_db)
        .fold(f64::INFINITY, f64::min);
    Ok(MoveList {
        moved: rows
            .iter()
            .filter(|r| r.moved)
            .map(|r| r.id.clone())
            .collect(),
        kept: rows
            .iter()
            .filter(|r| !r.moved)
            .map(|r| r.id.clone())
            .collect(),
        candidates: rows,
        constraints,
        margin_db,
        draws,
        percentile: cfg.percentile,
        sigma_db: cfg.sigma_db,
        seed: cfg.seed,
    })
}
