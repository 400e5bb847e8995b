//! SEAMCAT Monte-Carlo engine against the SEAMCAT Handbook's worked example
//! (README §4, `seamcat/handbook_ch3_ch4_worked_example.json`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use interference::InterferenceError;
use interference::montecarlo::{
    Blocking, BlockingMode, Criteria, Criterion, Event, Outcome, Scenario, n_i_n_db, run,
    simulation_radius_km, wilson_interval, write_events,
};
use rand::{Rng, SeedableRng};

/// The Handbook's victim link (VLR at the origin, VLT at x = y = 2 km).
const VICTIM: &str = r#"
[victim]
frequency_mhz = 1000
bandwidth_khz = 200
noise_floor_dbm = -110
sensitivity_dbm = -94
antenna_gain_dbi = 9
antenna_height_m = 30
criteria = { c_i_db = 19, c_n_i_db = 16, n_i_n_db = 3, i_n_db = 0 }

[victim.wanted]
power_dbm = 30
antenna_gain_dbi = 9
position = { mode = "fixed", x_km = 2, y_km = 2 }
"#;

/// The Handbook's ILT (33 dBm, 11 dBi, 200 kHz), at `position`, plus `extra`
/// keys.
fn ilt(position: &str, extra: &str) -> String {
    format!(
        "\n[[interferer]]\npower_dbm = 33\nantenna_gain_dbi = 11\nbandwidth_khz = 200\n{extra}\nposition = {position}\n"
    )
}

const AT_4_4: &str = r#"{ mode = "fixed", x_km = 4, y_km = 4 }"#;
const MASK_23: &str =
    "mask = [[-1.0, -23], [-0.1, -23], [-0.1, 0], [0.1, 0], [0.1, -23], [1.0, -23]]";

/// A scenario: the victim, `interferers`, free space with `constant`
/// ("" = P.525's exact constant), `events` events.
fn scenario(constant: &str, interferers: &str, events: usize) -> Scenario {
    let prop = if constant.is_empty() {
        String::new()
    } else {
        format!("[propagation]\nconstant_db = {constant}\n")
    };
    let text =
        format!("{VICTIM}{interferers}\n{prop}\n[simulation]\nevents = {events}\nseed = 7\n");
    match Scenario::parse(&text, "test.toml") {
        Ok(s) => s,
        Err(e) => panic!("{e}\n{text}"),
    }
}

fn go(s: &Scenario) -> Outcome {
    run(s).unwrap()
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

#[test]
fn drss_hand_and_seamcat_constant() {
    let hand = go(&scenario("32.5", "", 3));
    close(hand.events[0].drss_dbm, -53.5, 0.05, "dRSS, 32.5");
    let seamcat = go(&scenario("32.44", "", 3));
    close(seamcat.events[0].drss_dbm, -53.4709, 1e-4, "dRSS, 32.44");
    let p525 = go(&scenario("", "", 3));
    close(p525.events[0].drss_dbm, -53.4709, 0.01, "dRSS, P.525");
    // no interferer: nothing interfered, iRSS = -inf
    assert_eq!(seamcat.events[0].irss_dbm, f64::NEG_INFINITY);
    assert_eq!(seamcat.probability(Criterion::CI), 0.0);
}

#[test]
fn cochannel_irss_and_c_over_i() {
    let o = go(&scenario("32.44", &ilt(AT_4_4, ""), 50));
    let e = o.events[0];
    close(
        e.irss_unwanted_dbm,
        -54.4915,
        1e-3,
        "iRSS co-channel, 32.44",
    );
    close(
        e.irss_unwanted_dbm,
        -54.49,
        0.005,
        "iRSS vs SEAMCAT's -54.49",
    );
    close(e.irss_unwanted_dbm, -54.5, 0.05, "iRSS vs hand -54.5");
    close(e.c_i_db, 1.0, 0.05, "C/I");
    assert!(o.events.iter().all(|x| *x
        == Event {
            event: x.event,
            ..e
        }));
    let r = o.criterion(Criterion::CI).unwrap();
    assert_eq!(
        (r.valid_events, r.interfered_events, r.probability),
        (50, 50, 1.0)
    );
    assert!(r.ci_low > 0.9 && r.ci_high == 1.0);
    // the other criteria: I/N = 55.5 dB, also interfered
    assert_eq!(o.probability(Criterion::IN), 1.0);
    assert_eq!(o.probability(Criterion::CNI), 1.0);
    assert_eq!(o.probability(Criterion::NIN), 1.0);
    // with the hand-calculation constant the sum is -54.55 (the Handbook writes -54.5)
    let hand = go(&scenario("32.5", &ilt(AT_4_4, ""), 1));
    close(
        hand.events[0].irss_unwanted_dbm,
        -54.5515,
        1e-3,
        "iRSS co-channel, 32.5",
    );
}

#[test]
fn unwanted_at_300_khz_offset() {
    let i = ilt(
        AT_4_4,
        &format!("frequency_mhz = 1000.3\nreference_bandwidth_khz = 200\n{MASK_23}"),
    );
    let o = go(&scenario("32.44", &i, 20));
    let e = o.events[0];
    close(
        e.irss_unwanted_dbm,
        -77.5,
        0.05,
        "iRSS_unwanted at 1000.3 MHz",
    );
    close(e.c_i_db, 24.0, 0.05, "C/I at 1000.3 MHz");
    assert_eq!(o.probability(Criterion::CI), 0.0);
    let r = o.criterion(Criterion::CI).unwrap();
    assert_eq!(r.ci_low, 0.0);
    assert!(r.ci_high < 0.2);
}

#[test]
fn blocking_both_modes() {
    let c = Criteria {
        c_i_db: 19.0,
        c_n_i_db: 16.0,
        n_i_n_db: 3.0,
        i_n_db: 0.0,
    };
    let pr = Blocking {
        mode: BlockingMode::ProtectionRatio,
        response: vec![(0.0, 40.0)],
    };
    assert_eq!(pr.attenuation_db(0.0, &c, -94.0), 59.0);
    let sens = Blocking {
        mode: BlockingMode::Sensitivity,
        response: vec![(0.0, 40.0)],
    };
    assert_eq!(sens.attenuation_db(0.0, &c, -94.0), 150.0);

    for (mode, want) in [("protection_ratio", -113.5), ("sensitivity", -204.5)] {
        let i = ilt(
            AT_4_4,
            &format!("blocking = {{ mode = \"{mode}\", response_db = 40 }}"),
        );
        let o = go(&scenario("32.44", &i, 5));
        close(o.events[0].irss_blocking_dbm, want, 0.05, mode);
        // the blocking term is summed with the unwanted term in linear power
        let sum = 10.0
            * (10f64.powf(o.events[0].irss_unwanted_dbm / 10.0)
                + 10f64.powf(o.events[0].irss_blocking_dbm / 10.0))
            .log10();
        close(o.events[0].irss_dbm, sum, 1e-9, "iRSS total");
    }
    // with the hand-calculation constant: -54.55 - 59
    let i = ilt(
        AT_4_4,
        "blocking = { mode = \"protection_ratio\", response_db = 40 }",
    );
    let o = go(&scenario("32.5", &i, 1));
    close(
        o.events[0].irss_blocking_dbm,
        -113.5,
        0.06,
        "blocking, 32.5",
    );
}

#[test]
fn bandwidth_correction_three_reference_bandwidths() {
    for (bref, dbc) in [(100, -3), (200, 0), (400, 3)] {
        let mask = format!(
            "reference_bandwidth_khz = {bref}\nmask = [[-1.0, -100], [-0.1, -100], [-0.1, {dbc}], [0.1, {dbc}], [0.1, -100], [1.0, -100]]"
        );
        let o = go(&scenario("32.44", &ilt(AT_4_4, &mask), 1));
        close(
            o.events[0].irss_unwanted_dbm,
            -54.49,
            0.02,
            &format!("Bref {bref} kHz, {dbc} dBc"),
        );
    }
}

#[test]
fn random_distance_1_to_10_km() {
    for pos in [
        r#"{ mode = "polar", distance_km = { type = "uniform", min = 1, max = 10 } }"#,
        r#"{ mode = "uniform", radius_km = 10, protection_km = 1 }"#,
    ] {
        let o = go(&scenario("32.5", &ilt(pos, ""), 4000));
        let (lo, hi) = o.events.iter().fold((f64::MAX, f64::MIN), |(lo, hi), e| {
            (lo.min(e.irss_unwanted_dbm), hi.max(e.irss_unwanted_dbm))
        });
        assert!(
            lo >= -59.5 - 1e-9 && hi <= -39.5 + 1e-9,
            "{pos}: {lo} .. {hi}"
        );
        assert!(
            lo < -59.0 && hi > -41.0,
            "{pos}: range not covered {lo} .. {hi}"
        );
    }
}

#[test]
fn uniform_density_radii_and_irss() {
    close(
        simulation_radius_km(10.0, 1, 0.0),
        0.178,
        5e-4,
        "R_simu, 1 active",
    );
    let r10 = simulation_radius_km(10.0, 10, 0.0);
    close(r10, 0.564, 5e-4, "R_simu, 10 active");
    let r1 = simulation_radius_km(10.0, 1, 0.0);
    // one interferer at the edge of R_simu(1)
    let at = |r: f64| format!("{{ mode = \"polar\", distance_km = {r} }}");
    let o = go(&scenario("32.5", &ilt(&at(r1), ""), 1));
    close(
        o.events[0].irss_unwanted_dbm,
        -24.5,
        0.05,
        "1 active at R_simu",
    );
    // ten interferers at R_simu(10): -34.5 each, -24.5 together
    let one = go(&scenario("32.5", &ilt(&at(r10), ""), 1));
    close(
        one.events[0].irss_unwanted_dbm,
        -34.5,
        0.05,
        "one at R_simu(10)",
    );
    let ten: String = (0..10).map(|_| ilt(&at(r10), "")).collect();
    let o = go(&scenario("32.5", &ten, 1));
    close(
        o.events[0].irss_unwanted_dbm,
        -24.5,
        0.05,
        "ten at R_simu(10)",
    );
    // the density mode itself: everything inside R_simu, so never below the edge value
    for n in [1, 10] {
        let pos = format!("{{ mode = \"density\", density_per_km2 = 10, n_active = {n} }}");
        let o = go(&scenario("32.5", &ilt(&pos, ""), 2000));
        let lo = o
            .events
            .iter()
            .map(|e| e.irss_unwanted_dbm)
            .fold(f64::MAX, f64::min);
        assert!(lo >= -24.5 - 0.05, "n_active {n}: min iRSS {lo}");
    }
}

#[test]
fn protection_distance_radii_and_bounds() {
    close(
        simulation_radius_km(10.0, 1, 0.5),
        0.531,
        5e-4,
        "R_simu, 1 active",
    );
    close(
        simulation_radius_km(10.0, 10, 0.5),
        0.75,
        5e-3,
        "R_simu, 10 active",
    );
    let pos = r#"{ mode = "density", density_per_km2 = 10, n_active = 10, protection_km = 0.5 }"#;
    let o = go(&scenario("32.5", &ilt(pos, ""), 3000));
    for e in &o.events {
        assert!(
            e.irss_unwanted_dbm > -27.0 - 0.05 && e.irss_unwanted_dbm < -23.5 + 0.05,
            "event {}: {}",
            e.event,
            e.irss_unwanted_dbm
        );
    }
}

#[test]
fn n_plus_i_over_n_and_criteria_consistency() {
    for (i_n, want) in [
        (0.0, 3.0103),
        (-6.0, 0.9732),
        (-10.0, 0.4139),
        (-20.0, 0.0432),
    ] {
        close(
            n_i_n_db(i_n),
            want,
            1e-4,
            &format!("(N+I)/N at I/N = {i_n}"),
        );
    }
    // C/I = C/(N+I) + (N+I)/N - I/N: 16 + 3 - 0 = 19
    close(16.0 + n_i_n_db(0.0) - 0.0, 19.0, 0.05, "C/I consistency");
    // the engine's per-event (N+I)/N agrees with the formula
    let o = go(&scenario("32.44", &ilt(AT_4_4, ""), 1));
    let e = o.events[0];
    close(e.n_i_n_db, n_i_n_db(e.i_n_db), 1e-9, "(N+I)/N per event");
    close(e.i_n_db, e.irss_dbm + 110.0, 1e-9, "I/N per event");
}

#[test]
fn deterministic_whatever_the_thread_count() {
    let pos = r#"{ mode = "density", density_per_km2 = 10, n_active = 5, protection_km = 0.2 }"#;
    let i = ilt(pos, "activity = 0.7\nfrequency_mhz = { type = \"discrete\", values = [1000, 1000.2], probabilities = [0.5, 0.5] }\n")
        .replace("power_dbm = 33", "power_dbm = { type = \"gaussian\", mean = 33, sd = 2 }")
        + MASK_23;
    let text = format!(
        "{VICTIM}{i}\n[propagation]\nsigma_db = 6\n[simulation]\nevents = 5000\nseed = 11\n"
    );
    let s = Scenario::parse(&text, "det.toml").unwrap();
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };
    let a = pool(1).install(|| run(&s).unwrap());
    let b = pool(4).install(|| run(&s).unwrap());
    assert!(
        a.events == b.events,
        "events differ between 1 and 4 threads"
    );
    assert_eq!(a.criteria, b.criteria);
    let mut s2 = s.clone();
    s2.simulation.seed = 12;
    let c = run(&s2).unwrap();
    assert!(a.events != c.events);
    // the events are random: not all identical
    assert!(a.events.iter().any(|e| e.irss_dbm != a.events[0].irss_dbm));
}

#[test]
fn wilson_interval_covers_bernoulli_p() {
    let p = 0.3;
    let n = 400;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let trials = 400;
    let mut covered = 0;
    for _ in 0..trials {
        let k = (0..n).filter(|_| rng.random::<f64>() < p).count();
        let (lo, hi) = wilson_interval(k, n);
        assert!(lo <= k as f64 / n as f64 && k as f64 / n as f64 <= hi);
        if lo <= p && p <= hi {
            covered += 1;
        }
    }
    let rate = covered as f64 / trials as f64;
    assert!((0.92..=0.98).contains(&rate), "coverage {rate}");
    let (lo, hi) = wilson_interval(0, 100);
    assert_eq!(lo, 0.0);
    close(hi, 0.037, 1e-3, "Wilson upper bound, 0/100");
    assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
}

#[test]
fn sensitivity_filters_events_and_activity() {
    // wanted signal below the sensitivity: no valid event, P_I = 0
    let text = format!("{VICTIM}{}\n[simulation]\nevents = 10\n", ilt(AT_4_4, ""))
        .replace("sensitivity_dbm = -94", "sensitivity_dbm = -40");
    let o = go(&Scenario::parse(&text, "t.toml").unwrap());
    let r = o.criterion(Criterion::CI).unwrap();
    assert_eq!((r.valid_events, r.probability), (0, 0.0));
    // an interferer never active
    let o = go(&scenario("32.44", &ilt(AT_4_4, "activity = 0"), 10));
    assert!(o.events.iter().all(|e| e.irss_dbm == f64::NEG_INFINITY));
    assert_eq!(o.probability(Criterion::CI), 0.0);
    // half active: C/I interference in about half the events
    let o = go(&scenario("32.44", &ilt(AT_4_4, "activity = 0.5"), 4000));
    let r = o.criterion(Criterion::CI).unwrap();
    assert!(r.ci_low < 0.5 && 0.5 < r.ci_high, "{r:?}");
}

fn input_error(text: &str) -> (usize, String, String) {
    match Scenario::parse(text, "bad.toml") {
        Err(InterferenceError::Input {
            file, line, field, ..
        }) => {
            assert_eq!(file, "bad.toml");
            let msg = Scenario::parse(text, "bad.toml").unwrap_err().to_string();
            (line, field, msg)
        }
        other => panic!("expected an input error, got {other:?}"),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn bad_scenario_files_name_line_and_field() {
    let good = format!("{VICTIM}{}\n[simulation]\nevents = 10\n", ilt(AT_4_4, ""));
    assert!(Scenario::parse(&good, "good.toml").is_ok());

    // missing field: reported at the table's header
    let t = good
        .replace("noise_floor_dbm = -110\n", "")
        .replace("sensitivity_dbm = -94\n", "");
    let (line, field, msg) = input_error(&t);
    assert_eq!(field, "victim.noise_floor_dbm", "{msg}");
    assert_eq!(line, line_of(&t, "[victim]"), "{msg}");
    let t = good.replace("sensitivity_dbm = -94\n", "");
    let (line, field, msg) = input_error(&t);
    assert_eq!(
        (line, field.as_str()),
        (line_of(&t, "[victim]"), "victim.sensitivity_dbm"),
        "{msg}"
    );
    assert!(
        msg.contains("bad.toml:2: field `victim.sensitivity_dbm`"),
        "{msg}"
    );

    // wrong type
    let t = good.replace(
        "bandwidth_khz = 200\nnoise",
        "bandwidth_khz = \"wide\"\nnoise",
    );
    let (line, field, msg) = input_error(&t);
    assert_eq!(
        (line, field.as_str()),
        (line_of(&t, "\"wide\""), "victim.bandwidth_khz"),
        "{msg}"
    );
    assert!(msg.contains("a number") && msg.contains("wide"), "{msg}");

    // negative bandwidth, in the interferer
    let t = good.replace(
        "bandwidth_khz = 200\n\nposition",
        "bandwidth_khz = -200\nposition",
    );
    let (line, field, msg) = input_error(&t);
    assert_eq!(
        (line, field.as_str()),
        (line_of(&t, "-200"), "interferer[0].bandwidth_khz"),
        "{msg}"
    );
    assert!(msg.contains("positive"), "{msg}");

    // nested: a bad distribution inside an inline table
    let t = good.replace(
        AT_4_4,
        r#"{ mode = "polar", distance_km = { type = "uniform", min = 10, max = 1 } }"#,
    );
    let (line, field, msg) = input_error(&t);
    assert_eq!(field, "interferer[0].position.distance_km", "{msg}");
    assert_eq!(line, line_of(&t, "min = 10"));

    // unknown key (a typo)
    let t = good.replace("antenna_gain_dbi = 11", "antena_gain_dbi = 11");
    let (line, field, _) = input_error(&t);
    assert_eq!(
        (line, field.as_str()),
        (
            line_of(&t, "antena_gain_dbi"),
            "interferer[0].antena_gain_dbi"
        )
    );

    // not TOML at all
    let t = good.replace("events = 10", "events = = 10");
    let (line, _, _) = input_error(&t);
    assert_eq!(line, line_of(&t, "events = = 10"));

    // activity out of range, blocking without mode
    let t = good.replace(
        "bandwidth_khz = 200\n\nposition",
        "bandwidth_khz = 200\nactivity = 1.5\nposition",
    );
    assert_eq!(input_error(&t).1, "interferer[0].activity");
    let t = good.replace(
        "bandwidth_khz = 200\n\nposition",
        "bandwidth_khz = 200\nblocking = { response_db = 40 }\nposition",
    );
    assert_eq!(input_error(&t).1, "interferer[0].blocking.mode");
}

#[test]
#[allow(clippy::print_stderr)]
fn handbook_file_parses_runs_and_writes_parquet() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/seamcat-handbook.toml");
    let s = Scenario::load(&path).unwrap();
    assert_eq!(s.simulation.events, 10_000);
    let t0 = std::time::Instant::now();
    let o = run(&s).unwrap();
    let elapsed = t0.elapsed();
    eprintln!("10 000 events: {elapsed:?}");
    close(o.mean_drss_dbm, -53.4709, 1e-4, "mean dRSS");
    close(
        o.mean_irss_unwanted_dbm,
        -54.49,
        0.005,
        "mean iRSS_unwanted",
    );
    close(o.mean_irss_blocking_dbm, -113.5, 0.05, "mean iRSS_blocking");
    assert_eq!(o.probability(Criterion::CI), 1.0);
    let json = serde_json::to_string(&o).unwrap();
    assert!(json.contains("\"C/I\""));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.parquet");
    assert_eq!(write_events(&o, &out).unwrap(), 10_000);
    assert!(std::fs::metadata(&out).unwrap().len() > 0);
}

#[test]
fn positions_uniform_over_a_polygon() {
    // A triangle 1–10 km east of the victim: every interferer lies inside it,
    // so its distance (and its iRSS) stays within the triangle's bounds.
    let pos = r#"{ mode = "polygon", vertices_km = [[1, 0], [10, 0], [1, 9]] }"#;
    let o = go(&scenario("32.5", &ilt(pos, ""), 3000));
    // 53 − (92.5 + 20·log10 d) for d between 1 km and √(10² + 0²) = 10 km.
    let (lo, hi) = o.events.iter().fold((f64::MAX, f64::MIN), |(lo, hi), e| {
        (lo.min(e.irss_unwanted_dbm), hi.max(e.irss_unwanted_dbm))
    });
    assert!(lo >= -59.5 - 1e-9 && hi <= -39.5 + 1e-9, "{lo} .. {hi}");
    assert!(hi - lo > 10.0, "the triangle is covered: {lo} .. {hi}");
    // Uniform over the area: 3/4 of the triangle's area lies at x < 5.5 km.
    let triangle = interference::montecarlo::Position::Polygon {
        vertices_km: vec![(1.0, 0.0), (10.0, 0.0), (1.0, 9.0)],
    };
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(3);
    let points: Vec<(f64, f64)> = (0..4000).map(|_| triangle.sample(&mut rng)).collect();
    assert!(
        points
            .iter()
            .all(|&(x, y)| x >= 1.0 && y >= 0.0 && x + y <= 10.0 + 1e-9)
    );
    let west = points.iter().filter(|p| p.0 < 5.5).count() as f64 / 4000.0;
    assert!((west - 0.75).abs() < 0.03, "{west}");
    // A degenerate polygon is refused with its line and field.
    let bad = format!(
        "{VICTIM}{}\n[simulation]\nevents = 10\n",
        ilt(
            r#"{ mode = "polygon", vertices_km = [[0, 0], [1, 1], [2, 2]] }"#,
            ""
        )
    );
    let (line, field, _) = input_error(&bad);
    assert_eq!(field, "interferer[0].position.vertices_km");
    assert_eq!(line, line_of(&bad, "polygon"));
}
