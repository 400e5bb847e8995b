//! Aggregate interference: the R-tree candidates equal brute force, the
//! result does not depend on the thread count, EIRP shifts move I/N exactly,
//! and a hand-made pair gives the closed form.

use std::collections::BTreeMap;

use interference::aggregate::{Config, Cutoffs, Report, aggregate, aggregate_brute_force};
use interference::pathloss::Sampling;
use spectrum_core::coverage::FreeSpace;
use stations::model::{Assignment, Direction};
use stations::register::Register;

fn config() -> Config<'static> {
    Config {
        cutoffs: Cutoffs::default(),
        guard_hz: 0,
        sampling: Sampling {
            terrain: None,
            step_m: 1000.0,
        },
        same_operator: false,
        default_noise_figure_db: 5.0,
        masks: BTreeMap::new(),
        patterns: BTreeMap::new(),
    }
}

fn generated(n: usize) -> Register {
    datasets::stations::generate(&datasets::stations::StationParams {
        seed: 7,
        assignments: n,
        nonconforming_share: 0.0,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn bits(r: &Report) -> Vec<(String, u64, usize, Option<String>)> {
    r.victims
        .iter()
        .map(|v| {
            (
                v.victim_id.clone(),
                v.i_dbm.to_bits(),
                v.n_interferers,
                v.worst_interferer_id.clone(),
            )
        })
        .collect()
}

#[test]
fn the_r_tree_candidates_equal_brute_force() {
    let reg = generated(3000);
    let mut cfg = config();
    cfg.cutoffs.override_km = Some(30.0);
    cfg.same_operator = true;
    let fast = aggregate(&FreeSpace, &cfg, &reg, &reg, true);
    let slow = aggregate_brute_force(&FreeSpace, &cfg, &reg, &reg, true);
    assert_eq!(bits(&fast), bits(&slow));
    assert_eq!(fast.contributions, slow.contributions);
    assert_eq!(fast.pairs, slow.pairs);
    assert!(fast.pairs > 1000, "a real test: {} pairs", fast.pairs);
    assert!(fast.victims.iter().any(|v| v.n_interferers > 0));
    // Without intra-operator pairs the victim's own operator is skipped in the
    // per-operator indexes: still the brute-force answer.
    cfg.same_operator = false;
    let fast = aggregate(&FreeSpace, &cfg, &reg, &reg, true);
    let slow = aggregate_brute_force(&FreeSpace, &cfg, &reg, &reg, true);
    assert_eq!(bits(&fast), bits(&slow));
    assert_eq!(fast.contributions, slow.contributions);
    assert!(fast.pairs > 0);
}

#[test]
fn results_are_bit_identical_whatever_the_thread_count() {
    let reg = generated(2000);
    let cfg = config();
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map(|p| p.install(|| aggregate(&FreeSpace, &cfg, &reg, &reg, true)))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let one = run(1);
    let three = run(3);
    assert_eq!(bits(&one), bits(&three));
    assert_eq!(one.contributions, three.contributions);
}

#[test]
fn i_over_n_moves_exactly_with_every_eirp() {
    let reg = generated(1500);
    let cfg = config();
    let base = aggregate(&FreeSpace, &cfg, &reg, &reg, false);
    for shift in [-7.5, 3.0] {
        let mut moved = reg.clone();
        for a in &mut moved.assignments {
            a.station.eirp_dbm = a.station.eirp_dbm.map(|e| e + shift);
        }
        let r = aggregate(&FreeSpace, &cfg, &moved, &reg, false);
        for (a, b) in base.victims.iter().zip(&r.victims) {
            if a.i_over_n_db.is_finite() {
                assert!(
                    (b.i_over_n_db - a.i_over_n_db - shift).abs() < 1e-9,
                    "{a:?} {b:?}"
                );
                assert!((a.margin_db - b.margin_db - shift).abs() < 1e-9);
            } else {
                assert!(!b.i_over_n_db.is_finite());
            }
        }
    }
}

#[test]
fn a_hand_made_pair_gives_the_closed_form() {
    let mut tx = Assignment::example("tx", 460_000_000, "16K0F3E");
    tx.operator = "A".into();
    tx.station.direction = Direction::Tx;
    tx.station.eirp_dbm = Some(40.0);
    let mut rx = Assignment::example("rx", 460_005_000, "12K5F3E");
    rx.operator = "B".into();
    rx.station.direction = Direction::Rx;
    rx.station.gain_dbi = 2.0;
    rx.station.noise_figure_db = Some(7.0);
    rx.station.site.lat_deg += 0.2;
    let reg = Register::new(vec![tx, rx]);
    let r = aggregate(&FreeSpace, &config(), &reg, &reg, true);
    assert_eq!(r.victims.len(), 1, "only the receiver is a victim");
    let c = &r.contributions[0];
    // Rectangular spectra: 16 kHz at +5 kHz against 12.5 kHz: the overlap is
    // [−6.25, 3] kHz = 9.25 kHz of the victim's band, FDR = 10·log10(16/9.25).
    assert!(
        (c.fdr_db - 10.0 * (16.0f64 / 9.25).log10()).abs() < 1e-9,
        "{}",
        c.fdr_db
    );
    let fsl = spectrum_core::p525::free_space_loss_db(460.0, c.distance_km);
    assert!(
        (c.path_loss_db - fsl).abs() < 0.01,
        "{} vs {fsl}",
        c.path_loss_db
    );
    assert!((c.i_dbm - (40.0 + 2.0 - c.path_loss_db - c.fdr_db)).abs() < 1e-9);
    let v = &r.victims[0];
    assert!((v.n_dbm - (-174.0 + 10.0 * 12_500f64.log10() + 7.0)).abs() < 1e-9);
    assert!((v.i_over_n_db - (c.i_dbm - v.n_dbm)).abs() < 1e-9);
    assert!((v.margin_db - (-6.0 - v.i_over_n_db)).abs() < 1e-9);
    assert_eq!(v.worst_interferer_id.as_deref(), Some("tx"));
    assert_eq!(v.top, vec![("tx".to_owned(), c.i_dbm)]);
    // The same operator is intra-system: not counted unless asked.
    let mut same = reg.clone();
    same.assignments[1].operator = "A".into();
    assert_eq!(
        aggregate(&FreeSpace, &config(), &same, &same, false).victims[0].n_interferers,
        0
    );
    let mut cfg = config();
    cfg.same_operator = true;
    assert_eq!(
        aggregate(&FreeSpace, &cfg, &same, &same, false).victims[0].n_interferers,
        1
    );
    // Far off tune: no coupling, nothing counted.
    let mut off = reg.clone();
    off.assignments[0].freq_hz = 460_100_000;
    assert_eq!(
        aggregate(&FreeSpace, &config(), &off, &off, false).victims[0].n_interferers,
        0
    );
}

#[test]
fn a_known_wanted_link_gives_c_over_i_and_is_not_counted_as_interference() {
    let mut wanted = Assignment::example("W", 7_500_000_000, "28M0D7W");
    wanted.operator = "B".into();
    wanted.service = allocation_table::service::RadioService::Fixed;
    wanted.station.direction = Direction::Tx;
    wanted.station.eirp_dbm = Some(55.0);
    wanted.station.site.lat_deg += 0.1;
    let mut rx = Assignment::example("R", 7_500_000_000, "28M0D7W");
    rx.operator = "B".into();
    rx.service = allocation_table::service::RadioService::Fixed;
    rx.station.direction = Direction::Rx;
    rx.station.noise_figure_db = Some(4.0);
    rx.link = Some("W".into());
    let mut intruder = Assignment::example("T", 7_500_000_000, "28M0D7W");
    intruder.operator = "A".into();
    intruder.station.direction = Direction::Tx;
    intruder.station.eirp_dbm = Some(40.0);
    intruder.station.site.lon_deg += 0.3;
    let reg = Register::new(vec![wanted, rx, intruder]);
    let mut cfg = config();
    cfg.same_operator = true; // the wanted link must still not count as interference
    let r = aggregate(&FreeSpace, &cfg, &reg, &reg, true);
    assert_eq!(r.victims.len(), 1);
    let v = &r.victims[0];
    assert_eq!(v.n_interferers, 1, "only T interferes: {v:?}");
    assert_eq!(v.wanted_id.as_deref(), Some("W"));
    let c = v.c_dbm.unwrap_or(f64::NAN);
    let i = r.contributions[0].i_dbm;
    assert!((v.c_over_i_db.unwrap_or(f64::NAN) - (c - i)).abs() < 1e-9);
    let n_plus_i = 10.0 * (10f64.powf(v.n_dbm / 10.0) + 10f64.powf(i / 10.0)).log10();
    assert!((v.c_over_n_plus_i_db.unwrap_or(f64::NAN) - (c - n_plus_i)).abs() < 1e-9);
    // The wanted signal: 55 dBm + 0 dBi − free-space loss over about 11.1 km.
    let fsl = spectrum_core::p525::free_space_loss_db(7500.0, 11.1);
    assert!((c - (55.0 - fsl)).abs() < 0.1, "{c} vs {}", 55.0 - fsl);
    // Brute force agrees.
    let slow = aggregate_brute_force(&FreeSpace, &cfg, &reg, &reg, true);
    assert_eq!(slow.victims, r.victims);
}

#[test]
fn the_aggregate_does_not_depend_on_the_order_of_the_register() {
    let reg = generated(2000);
    let cfg = config();
    let base = aggregate(&FreeSpace, &cfg, &reg, &reg, false);
    // The interferers in reverse order: the sums run in another order, so the
    // results agree to rounding, not to the bit.
    let mut reversed = reg.clone();
    reversed.assignments.reverse();
    let r = aggregate(&FreeSpace, &cfg, &reversed, &reg, false);
    assert_eq!(base.victims.len(), r.victims.len());
    let mut compared = 0;
    for (a, b) in base.victims.iter().zip(&r.victims) {
        assert_eq!(a.victim_id, b.victim_id);
        assert_eq!(a.n_interferers, b.n_interferers);
        if a.i_dbm.is_finite() {
            assert!((a.i_dbm - b.i_dbm).abs() < 1e-9, "{a:?} {b:?}");
            compared += 1;
        } else {
            assert!(!b.i_dbm.is_finite());
        }
    }
    assert!(compared > 0);
}
