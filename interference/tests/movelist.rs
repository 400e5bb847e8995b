//! Protection and move lists (WInnForum DPA method).

use interference::movelist::{
    MoveList, MoveListConfig, ProtectionPoint, assignments_batch, candidates, constraints_batch,
    move_list,
};
use spectrum_core::coverage::FreeSpace;
use spectrum_core::geodesy::{GeoPoint, inverse};
use stations::model::Assignment;
use stations::register::Register;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const F: u64 = 460_000_000;
const BAND: (u64, u64) = (459_993_750, 460_006_250);
const LAT: f64 = 42.8746;
const LON: f64 = 74.5698;

/// Co-channel 12.5 kHz transmitters `km` north of the point (40 dBm EIRP).
fn register(kms: &[f64]) -> Register {
    Register::new(
        kms.iter()
            .enumerate()
            .map(|(i, km)| {
                let mut a = Assignment::example(&format!("t{i}"), F, "12K5F3E");
                a.station.site.lat_deg += km / 111.2;
                a
            })
            .collect(),
    )
}

fn point() -> ProtectionPoint {
    ProtectionPoint::isotropic(LAT, LON, 10.0)
}

fn config(threshold_dbm: f64, sigma_db: f64) -> MoveListConfig<'static> {
    let mut cfg = MoveListConfig::new(BAND, threshold_dbm);
    cfg.reference_bandwidth_hz = BAND.1 - BAND.0;
    cfg.sigma_db = sigma_db;
    cfg
}

fn dbm_sum(levels: &[f64]) -> f64 {
    10.0 * levels
        .iter()
        .map(|l| 10f64.powf(l / 10.0))
        .sum::<f64>()
        .log10()
}

/// Contributions (σ = 0) of each transmitter alone, dBm, by id.
fn levels(reg: &Register) -> Result<Vec<(String, f64)>, Box<dyn std::error::Error>> {
    let ml = move_list(&FreeSpace, reg, &[point()], &config(0.0, 0.0))?;
    assert!(ml.moved.is_empty());
    Ok(ml
        .candidates
        .iter()
        .map(|c| (c.id.clone(), c.median_dbm))
        .collect())
}

#[test]
fn hand_made_free_space_moves_exactly_the_strongest() -> TestResult {
    let reg = register(&[20.0, 10.0, 40.0]);
    let lv = levels(&reg)?;
    // Free space: 40 dBm − FSL(460 MHz, d) (heights 30 m / 10 m barely matter).
    for (id, km) in [("t0", 20.0), ("t1", 10.0), ("t2", 40.0)] {
        let l = lv
            .iter()
            .find(|x| x.0 == id)
            .map(|x| x.1)
            .ok_or("missing")?;
        let fsl = spectrum_core::p525::free_space_loss_db(460.0, km);
        assert!(
            (l - (40.0 - fsl)).abs() < 0.1,
            "{id}: {l} vs {}",
            40.0 - fsl
        );
    }
    let all: Vec<f64> = lv.iter().map(|x| x.1).collect();
    let without_strongest = dbm_sum(&[all[0], all[2]]);
    let with_all = dbm_sum(&all);
    let threshold = (without_strongest + with_all) / 2.0;
    let ml = move_list(&FreeSpace, &reg, &[point()], &config(threshold, 0.0))?;
    assert_eq!(ml.moved, vec!["t1".to_owned()]);
    assert_eq!(ml.kept, vec!["t0".to_owned(), "t2".to_owned()]);
    let c = &ml.constraints[0];
    assert_eq!((c.candidates, c.moved), (3, 1));
    assert!((c.before_dbm - with_all).abs() < 1e-9);
    assert!((c.after_dbm - without_strongest).abs() < 1e-9);
    assert!(c.after_dbm <= threshold && ml.margin_db >= 0.0);
    assert!((ml.margin_db - (threshold - without_strongest)).abs() < 1e-9);
    // Adding back the moved one exceeds the threshold.
    assert!(dbm_sum(&[all[0], all[1], all[2]]) > threshold);
    // Tables.
    let b = assignments_batch(&ml)?;
    assert_eq!(b.num_rows(), 3);
    assert_eq!(constraints_batch(&ml)?.num_rows(), 1);
    let json = serde_json::to_string(&ml)?;
    assert!(json.contains("\"moved\":[\"t1\"]"));
    Ok(())
}

#[test]
fn nothing_exceeds_and_everything_must_move() -> TestResult {
    let reg = register(&[20.0, 10.0, 40.0]);
    let ml = move_list(&FreeSpace, &reg, &[point()], &config(0.0, 0.0))?;
    assert!(ml.moved.is_empty());
    assert_eq!(ml.kept.len(), 3);
    assert_eq!(ml.constraints[0].before_dbm, ml.constraints[0].after_dbm);
    // Below the weakest alone: all move.
    let ml = move_list(&FreeSpace, &reg, &[point()], &config(-150.0, 0.0))?;
    assert_eq!(ml.moved, vec!["t0", "t1", "t2"]);
    assert!(ml.kept.is_empty());
    assert_eq!(ml.constraints[0].after_dbm, f64::NEG_INFINITY);
    assert_eq!(ml.margin_db, f64::INFINITY);
    Ok(())
}

#[test]
fn off_band_and_far_transmitters_are_not_candidates() -> TestResult {
    let mut reg = register(&[10.0, 300.0]);
    let mut off = Assignment::example("off", F + 25_000, "12K5F3E");
    off.station.site.lat_deg += 0.01;
    let mut half = Assignment::example("half", F + 6_250, "12K5F3E");
    half.station.site.lat_deg += 10.0 / 111.2;
    reg.assignments.push(off);
    reg.assignments.push(half);
    let cfg = config(0.0, 0.0);
    assert_eq!(candidates(&reg, &[point()], &cfg), vec![0, 3]);
    let ml = move_list(&FreeSpace, &reg, &[point()], &cfg)?;
    // Half the spectrum of "half" falls in the band: 3 dB less than t0.
    let l = |id: &str| {
        ml.candidates
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.median_dbm)
    };
    let (t0, half) = (l("t0").ok_or("t0")?, l("half").ok_or("half")?);
    assert!(
        (t0 - half - 10.0 * 2f64.log10()).abs() < 1e-3, // FDR integrates the rectangle numerically
        "{t0} {half}"
    );
    Ok(())
}

#[test]
fn lower_threshold_never_shrinks_the_move_list() -> TestResult {
    let kms: Vec<f64> = (0..25).map(|i| 5.0 + 3.7 * i as f64).collect();
    let reg = register(&kms);
    let pts = [
        point(),
        ProtectionPoint::isotropic(LAT + 0.3, LON + 0.1, 10.0),
    ];
    let mut previous: Option<MoveList> = None;
    let mut partial = 0;
    for t in (0..12).map(|i| -60.0 - 4.0 * i as f64) {
        let mut cfg = config(t, 6.0);
        cfg.draws = 300;
        cfg.seed = 7;
        let ml = move_list(&FreeSpace, &reg, &pts, &cfg)?;
        assert!(ml.margin_db >= 0.0);
        if let Some(p) = &previous {
            assert!(p.moved.iter().all(|id| ml.moved.contains(id)), "at {t} dBm");
            assert!(ml.moved.len() >= p.moved.len());
        }
        if !ml.moved.is_empty() && !ml.kept.is_empty() {
            partial += 1;
        }
        previous = Some(ml);
    }
    assert!(partial >= 3, "only {partial} partial move lists");
    Ok(())
}

#[test]
fn same_seed_same_result_whatever_the_thread_count() -> TestResult {
    let kms: Vec<f64> = (0..40).map(|i| 3.0 + 2.9 * i as f64).collect();
    let reg = register(&kms);
    let pts: Vec<ProtectionPoint> = (0..4)
        .map(|i| ProtectionPoint::isotropic(LAT - 0.05 * i as f64, LON, 10.0))
        .collect();
    let mut cfg = config(-75.0, 8.0);
    cfg.draws = 500;
    cfg.seed = 42;
    let run = |k: usize| -> Result<MoveList, Box<dyn std::error::Error>> {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(k).build()?;
        Ok(pool.install(|| move_list(&FreeSpace, &reg, &pts, &cfg))?)
    };
    let one = run(1)?;
    let three = run(3)?;
    assert_eq!(one, three);
    assert!(!one.moved.is_empty());
    // Other seeds: plausible, close move lists.
    for seed in [1, 2, 3] {
        cfg.seed = seed;
        let other = move_list(&FreeSpace, &reg, &pts, &cfg)?;
        assert!(other.margin_db >= 0.0);
        let diff = (other.moved.len() as i64 - one.moved.len() as i64).abs();
        assert!(
            diff <= 3,
            "seed {seed}: {} vs {}",
            other.moved.len(),
            one.moved.len()
        );
        // The nearest transmitters move whatever the seed.
        assert!(other.moved.contains(&"t0".to_owned()));
    }
    Ok(())
}

#[test]
fn percentile_of_one_candidate_is_median_plus_1_645_sigma() -> TestResult {
    let reg = register(&[15.0]);
    let l0 = levels(&reg)?[0].1;
    let sigma = 8.0;
    let mut cfg = config(0.0, sigma);
    cfg.draws = 2000;
    cfg.seed = 3;
    let ml = move_list(&FreeSpace, &reg, &[point()], &cfg)?;
    let c = &ml.constraints[0];
    // Standard error of the 95th percentile of 2000 normal draws ≈ 0.047 σ.
    let expected = l0 + 1.6449 * sigma;
    assert!(
        (c.before_dbm - expected).abs() < 0.15 * sigma,
        "{} vs {expected}",
        c.before_dbm
    );
    assert!((ml.candidates[0].median_dbm - l0).abs() < 0.1 * sigma);
    // 50th percentile: the median.
    cfg.percentile = 50.0;
    let ml = move_list(&FreeSpace, &reg, &[point()], &cfg)?;
    assert!((ml.constraints[0].before_dbm - ml.candidates[0].median_dbm).abs() < 1e-9);
    Ok(())
}

#[test]
fn generated_register_candidates_match_brute_force() -> TestResult {
    let reg = datasets::stations::generate(&datasets::stations::StationParams {
        seed: 1,
        assignments: 3000,
        nonconforming_share: 0.0,
    })?;
    // The transmitter (among the first 300) with the most co-band neighbours.
    let setup = |a: &Assignment| {
        let (lo, hi) = a.occupied_hz();
        let band = (lo.saturating_sub(5_000_000), hi + 5_000_000);
        let (lat, lon) = (a.station.site.lat_deg, a.station.site.lon_deg);
        let pts = [
            ProtectionPoint::isotropic(lat + 0.05, lon, 20.0),
            ProtectionPoint::isotropic(lat - 0.2, lon + 0.3, 20.0),
        ];
        let mut cfg = MoveListConfig::new(band, -120.0);
        cfg.neighbourhood_km = 40.0;
        cfg.draws = 200;
        (pts, cfg)
    };
    let tx = reg
        .assignments
        .iter()
        .filter(|a| a.station.direction.transmits() && a.station.eirp_dbm.is_some())
        .take(300)
        .max_by_key(|a| {
            let (pts, cfg) = setup(a);
            candidates(&reg, &pts, &cfg).len()
        })
        .ok_or("no transmitter")?;
    let (pts, cfg) = setup(tx);
    let band = cfg.band;
    let got = candidates(&reg, &pts, &cfg);
    let brute: Vec<usize> = reg
        .assignments
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            let (l, h) = a.occupied_hz();
            a.station.direction.transmits()
                && a.station.eirp_dbm.is_some()
                && a.status != stations::model::AssignmentStatus::Suspended
                && l.max(band.0) < h.min(band.1)
                && pts.iter().any(|p| {
                    inverse(
                        GeoPoint::new(p.lat_deg, p.lon_deg),
                        GeoPoint::new(a.station.site.lat_deg, a.station.site.lon_deg),
                    )
                    .dist_m
                        <= cfg.neighbourhood_km * 1000.0
                })
        })
        .map(|(i, _)| i)
        .collect();
    assert!(got.len() > 3, "only {} candidates", got.len());
    assert_eq!(got, brute);
    let ml = move_list(&FreeSpace, &reg, &pts, &cfg)?;
    assert_eq!(ml.candidates.len(), got.len());
    assert!(ml.margin_db >= 0.0);
    assert_eq!(ml.moved.len() + ml.kept.len(), got.len());
    Ok(())
}

#[test]
fn invalid_parameters_are_refused() {
    let reg = register(&[10.0]);
    let mut cfg = config(-100.0, 8.0);
    cfg.percentile = 0.0;
    assert!(move_list(&FreeSpace, &reg, &[point()], &cfg).is_err());
    let mut cfg = config(-100.0, -1.0);
    cfg.draws = 10;
    assert!(move_list(&FreeSpace, &reg, &[point()], &cfg).is_err());
    let cfg = MoveListConfig::new((5, 5), -100.0);
    assert!(move_list(&FreeSpace, &reg, &[point()], &cfg).is_err());
}

/// ~1000 candidates × 10 points × 1000 draws (run with `--ignored`).
#[test]
#[ignore]
#[allow(clippy::print_stderr)]
fn timing_1000_candidates_10_points_1000_draws() -> TestResult {
    let kms: Vec<f64> = (0..1000).map(|i| 2.0 + 0.09 * i as f64).collect();
    let mut reg = register(&kms);
    for (i, a) in reg.assignments.iter_mut().enumerate() {
        a.station.site.lon_deg += 0.4 * ((i as f64 * 0.618).fract() - 0.5);
    }
    let pts: Vec<ProtectionPoint> = (0..10)
        .map(|i| ProtectionPoint::isotropic(LAT - 0.02 * i as f64, LON, 10.0))
        .collect();
    let mut cfg = config(-50.0, 8.0);
    cfg.draws = 1000;
    let t = std::time::Instant::now();
    let ml = move_list(&FreeSpace, &reg, &pts, &cfg)?;
    eprintln!(
        "{} candidates × {} points × {} draws: {:.2} s, {} moved",
        ml.candidates.len(),
        pts.len(),
        ml.draws,
        t.elapsed().as_secs_f64(),
        ml.moved.len()
    );
    assert_eq!(ml.candidates.len(), 1000);
    Ok(())
}
