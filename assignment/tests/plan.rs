//! Tests of the channel planner (`assignment::plan`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use allocation_table::service::RadioService;
use assignment::check::check;
use assignment::instance::{Constraint, Criterion, Op};
use assignment::plan::{
    ChannelRaster, PlanCriterion, PlanError, PlanRequest, RowStatus, Separation, build,
    update_batch,
};
use assignment::solve::{Options, solve};
use spectrum_core::geodesy::{GeoPoint, inverse};
use stations::emission::Emission;
use stations::model::{Assignment, AssignmentStatus};
use stations::register::Register;

const LAT_A: f64 = 42.8746;
const LON_A: f64 = 74.5698;
/// About 1 km north of site A.
const LAT_B: f64 = 42.8746 + 1.0 / 111.05;

fn at(id: &str, freq: u64, status: AssignmentStatus, lat: f64, lon: f64) -> Assignment {
    let mut a = Assignment::example(id, freq, "12K5F3E");
    a.status = status;
    a.station.site.lat_deg = lat;
    a.station.site.lon_deg = lon;
    a
}

fn km(a: &Assignment, b: &Assignment) -> f64 {
    let p = |x: &Assignment| GeoPoint::new(x.station.site.lat_deg, x.station.site.lon_deg);
    inverse(p(a), p(b)).dist_m / 1000.0
}

use AssignmentStatus::{Licensed, Planned, Suspended};

/// Two sites 1 km apart (A, B), one far site; P* planned, L1 and L3
/// licensed on the raster at B (they conflict), L2 licensed off the raster
/// at A, and assignments the plan must ignore.
fn small_register() -> Register {
    let mut other_service = at("X1", 440_012_500, Planned, LAT_A, LON_A);
    other_service.service = RadioService::Fixed;
    Register::new(vec![
        at("P1", 440_012_500, Planned, LAT_A, LON_A),
        at("P2", 440_012_500, Planned, LAT_A, LON_A),
        at("P3", 440_025_000, Planned, LAT_B, LON_A),
        at("P4", 440_050_000, Planned, LAT_A + 1.0, LON_A),
        at("L1", 440_037_500, Licensed, LAT_B, LON_A),
        at("L2", 440_081_250, Licensed, LAT_A, LON_A),
        at("L3", 440_050_000, Licensed, LAT_B, LON_A),
        at("S1", 440_012_500, Suspended, LAT_A, LON_A),
        at("OUT", 450_000_000, Planned, LAT_A, LON_A),
        other_service,
    ])
}

fn small_request() -> PlanRequest {
    let mut r = PlanRequest::new(ChannelRaster::parse("440012500:12500:440112500").unwrap());
    r.service = Some(RadioService::LandMobile);
    r.separations = vec![
        Separation::parse("0.5:2").unwrap(),
        Separation::parse("5:1").unwrap(),
    ];
    r.interference = vec![("P4".into(), "P1".into())];
    r
}

#[test]
fn raster_parses_and_names_errors() {
    let r = ChannelRaster::parse("440012500:12500:440112500").unwrap();
    assert_eq!((r.start_hz, r.step_hz, r.count), (440_012_500, 12_500, 9));
    assert_eq!(r.centre_hz(1), Some(440_012_500));
    assert_eq!(r.centre_hz(9), Some(440_112_500));
    assert_eq!(r.centre_hz(10), None);
    assert_eq!(r.channel_at(440_025_000), Some(2));
    assert_eq!(r.channel_at(440_031_250), None);
    assert_eq!(r.range_hz(), (440_006_250, 440_118_750));
    for (text, expected) in [
        ("440012500:12500", "START_HZ:STEP_HZ:END_HZ"),
        ("abc:12500:440112500", "START_HZ as a whole number"),
        ("440012500:0:440112500", "STEP_HZ of at least 1 Hz"),
        ("440112500:12500:440012500", "END_HZ at least START_HZ"),
        ("440012500:12500:440112000", "END_HZ on the raster"),
        ("4.4e8:12500:440112500", "START_HZ as a whole number"),
    ] {
        let e = ChannelRaster::parse(text).unwrap_err();
        assert!(matches!(e, PlanError::Raster { .. }), "{text}: {e}");
        assert!(e.to_string().contains(expected), "{text}: {e}");
    }
    assert!(ChannelRaster::parse(" 100:10:100 ").is_ok_and(|r| r.count == 1));
}

#[test]
fn separation_and_criterion_parse() {
    let s = Separation::parse("2.5:3").unwrap();
    assert_eq!((s.within_km, s.channels), (2.5, 3));
    for bad in ["2.5", "x:1", "-1:1", "1:0", "1:-2", "inf:1"] {
        let e = Separation::parse(bad).unwrap_err();
        assert!(matches!(e, PlanError::Separation { .. }), "{bad}: {e}");
    }
    assert_eq!(
        PlanCriterion::parse("min-span").unwrap(),
        PlanCriterion::MinSpan
    );
    assert_eq!(PlanCriterion::default().criterion(), Criterion::MinOrder);
    assert!(PlanCriterion::parse("min_cost").is_err());
}

#[test]
fn small_register_variables_domains_constraints() {
    let plan = build(&small_register(), &small_request()).unwrap();
    assert_eq!(plan.ids, ["P1", "P2", "P3", "P4", "L1", "L3"]);
    let inst = &plan.instance;
    inst.validate().unwrap();
    assert_eq!(inst.criterion, Some(Criterion::MinOrder));
    let fixed: Vec<_> = inst.variables.iter().map(|v| v.initial).collect();
    assert_eq!(fixed, [None, None, None, None, Some((3, 0)), Some((4, 0))]);
    // L2 occupies [440.075, 440.0875) MHz: co-site (≥ 2 channels) removes
    // 5–8 from P1 and P2; at 1 km (≥ 1 channel) it removes 6–7 from P3.
    assert_eq!(inst.domains[&0], [1, 2, 3, 4, 9]);
    assert_eq!(inst.domains[&1], [1, 2, 3, 4, 9]);
    assert_eq!(inst.domains[&2], [1, 2, 3, 4, 5, 8, 9]);
    assert_eq!(inst.domains[&3], (1..=9).collect::<Vec<_>>());
    assert_eq!(inst.domains[&4], [3]);
    assert_eq!(inst.domains[&5], [4]);
    let c = |x, y, k| Constraint {
        x,
        y,
        kind: 'C',
        op: Op::Gt,
        k,
        weight: 0,
    };
    let mut got = inst.constraints.clone();
    got.sort_by_key(|c| (c.x, c.y));
    assert_eq!(
        got,
        [
            c(0, 1, 1), // co-site
            c(0, 2, 0), // 1 km
            c(0, 3, 0), // interference pair, 111 km
            c(0, 4, 0),
            c(0, 5, 0),
            c(1, 2, 0),
            c(1, 4, 0),
            c(1, 5, 0),
            c(2, 4, 1), // co-site at B
            c(2, 5, 1),
        ]
    );
    assert_eq!(plan.off_raster.len(), 3);
    assert_eq!(plan.conflicts_between_fixed.len(), 1);
    let conflict = &plan.conflicts_between_fixed[0];
    assert_eq!(
        (conflict.first.as_str(), conflict.second.as_str()),
        ("L1", "L3")
    );
    assert!(
        conflict.rule.contains("channels 3 and 4"),
        "{}",
        conflict.rule
    );
}

#[test]
fn small_register_solved_respects_every_rule() {
    let register = small_register();
    let request = small_request();
    let plan = build(&register, &request).unwrap();
    let out = solve(
        &plan.instance,
        plan.criterion(),
        &Options::default(),
        &mut |_| {},
    )
    .unwrap();
    let solution = out.assignment.expect("a plan");
    assert!(check(&plan.instance, &solution).unwrap().feasible());
    let rows = plan.update(&solution);
    assert_eq!(rows.len(), 6);
    let by_id: BTreeMap<&str, _> = rows.iter().map(|r| (r.id.as_str(), r)).collect();
    for id in ["L1", "L3"] {
        assert_eq!(by_id[id].status, RowStatus::KeptLicensed);
        assert!(!by_id[id].moved);
        assert_eq!(by_id[id].new_freq_hz, by_id[id].old_freq_hz);
    }
    let get = |id: &str| register.get(id).unwrap();
    // Every separation between two rows (except the fixed pair L1–L3).
    for a in &rows {
        for b in &rows {
            if a.id >= b.id || (a.status == RowStatus::KeptLicensed && b.status == a.status) {
                continue;
            }
            let d = km(get(&a.id), get(&b.id));
            let need = request
                .separations
                .iter()
                .filter(|s| d <= s.within_km)
                .map(|s| s.channels)
                .max()
                .unwrap_or(0);
            let (ca, cb) = (a.channel.unwrap(), b.channel.unwrap());
            assert!(
                ca.abs_diff(cb) >= need,
                "{} {} {d} km: {ca} {cb}",
                a.id,
                b.id
            );
            assert_eq!(
                a.new_freq_hz.abs_diff(b.new_freq_hz),
                u64::from(ca.abs_diff(cb)) * 12_500
            );
        }
    }
    assert_ne!(
        by_id["P1"].channel, by_id["P4"].channel,
        "interference pair"
    );
    // The off-raster L2 by its band: gap ≥ (need − 1) channels.
    let l2 = get("L2");
    for r in rows.iter().filter(|r| r.status != RowStatus::KeptLicensed) {
        let d = km(get(&r.id), l2);
        let need = if d <= 0.5 {
            2
        } else if d <= 5.0 {
            1
        } else {
            0
        };
        let mut moved = get(&r.id).clone();
        moved.freq_hz = r.new_freq_hz;
        let (lo, hi) = moved.occupied_hz();
        let (l, h) = l2.occupied_hz();
        let gap = (i128::from(l) - i128::from(hi)).max(i128::from(lo) - i128::from(h));
        if need > 0 {
            assert!(gap >= (need - 1) * 12_500, "{} vs L2: gap {gap}", r.id);
        }
        assert!(
            r.reason
                .starts_with(&format!("channel {}:", r.channel.unwrap())),
            "{}",
            r.reason
        );
        assert!(matches!(r.status, RowStatus::Assigned | RowStatus::Moved));
        assert_eq!(r.moved, r.new_freq_hz != r.old_freq_hz);
    }
    // P3 (channel 1, 8 or 9) is bound by a neighbour channel or by L2's band.
    let p3 = &by_id["P3"].reason;
    assert!(
        p3.contains(" from P") || p3.contains("off-raster L2"),
        "{p3}"
    );
    let batch = update_batch(&rows).unwrap();
    assert_eq!(batch.num_rows(), 6);
    let names: Vec<_> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "old_freq_hz",
            "new_freq_hz",
            "channel",
            "moved",
            "status",
            "reason"
        ]
    );
    let updated = plan.apply(&register, &solution);
    assert_eq!(updated.len(), register.len());
    for r in &rows {
        assert_eq!(updated.get(&r.id).unwrap().freq_hz, r.new_freq_hz);
    }
    assert_eq!(updated.get("OUT").unwrap().freq_hz, 450_000_000);
}

#[test]
fn duplex_and_reasons() {
    let mut tx = at("TX", 440_012_500, Planned, LAT_A, LON_A);
    tx.station.direction = stations::model::Direction::Tx;
    let mut rx = at("RX", 440_012_500, Planned, LAT_B, LON_A);
    rx.link = Some("TX".into());
    let register = Register::new(vec![tx, rx, at("L1", 440_012_500, Licensed, LAT_A, LON_A)]);
    let mut request = PlanRequest::new(ChannelRaster::parse("440012500:12500:440200000").unwrap());
    request.separations = vec![Separation::parse("5:2").unwrap()];
    request.duplex_channels = Some(4);
    request.criterion = PlanCriterion::MinSpan;
    let plan = build(&register, &request).unwrap();
    assert_eq!(plan.criterion(), Criterion::MinSpan);
    let duplex: Vec<_> = plan
        .instance
        .constraints
        .iter()
        .filter(|c| c.kind == 'D')
        .collect();
    assert_eq!(duplex.len(), 1);
    assert_eq!((duplex[0].op, duplex[0].k), (Op::Eq, 4));
    // TX and RX are linked: no separation between them.
    assert_eq!(plan.instance.constraints.len(), 3);
    let solution: BTreeMap<u32, u32> = [(0, 3), (1, 7)].into_iter().collect();
    assert!(
        check(
            &plan.instance,
            &[(0, 3), (1, 7), (2, 1)].into_iter().collect()
        )
        .unwrap()
        .feasible()
    );
    let rows = plan.update(&solution);
    assert_eq!(
        rows[0].reason,
        "channel 3: co-site with L1 (needs ≥ 2 channels apart); duplex with RX (-4 channels)"
    );
    assert_eq!(rows[1].reason, "channel 7: duplex with TX (+4 channels)");
    assert_eq!(
        rows[2].reason,
        "channel 1: licensed, kept on its frequency; co-site with TX (needs ≥ 2 channels apart)"
    );
    assert_eq!((rows[0].status, rows[0].moved), (RowStatus::Moved, true));
    let lone = plan.update(&[(0, 3)].into_iter().collect());
    assert_eq!(lone[1].status, RowStatus::Unassigned);
    assert_eq!(lone[1].channel, None);
}

#[test]
fn lowest_free_reason() {
    let register = Register::new(vec![at("P1", 440_050_000, Planned, LAT_A, LON_A)]);
    let request = PlanRequest::new(ChannelRaster::parse("440012500:12500:440050000").unwrap());
    let plan = build(&register, &request).unwrap();
    let rows = plan.update(&[(0, 1)].into_iter().collect());
    assert_eq!(
        rows[0].reason,
        "channel 1: lowest channel free of its 0 constraints"
    );
    assert_eq!(rows[0].status, RowStatus::Moved);
    assert_eq!(rows[0].new_freq_hz, 440_012_500);
}

#[test]
fn errors_name_the_assignment() {
    let mut wide = at("W1", 440_025_000, Planned, LAT_A, LON_A);
    wide.emission = Emission::parse("50K0F3E").unwrap();
    let register = Register::new(vec![wide]);
    let request = PlanRequest::new(ChannelRaster::parse("440012500:12500:440025000").unwrap());
    let e = build(&register, &request).unwrap_err();
    assert!(
        matches!(&e, PlanError::EmptyDomain { id, .. } if id == "W1"),
        "{e}"
    );
    assert!(
        e.to_string().contains("W1") && e.to_string().contains("wider than"),
        "{e}"
    );

    // Every channel excluded by an off-raster co-site neighbour.
    let register = Register::new(vec![
        at("P1", 440_012_500, Planned, LAT_A, LON_A),
        at("L9", 440_018_750, Licensed, LAT_A, LON_A),
    ]);
    let mut request = PlanRequest::new(ChannelRaster::parse("440012500:12500:440025000").unwrap());
    request.separations = vec![Separation::parse("1:1").unwrap()];
    let e = build(&register, &request).unwrap_err();
    assert!(
        e.to_string().contains("P1") && e.to_string().contains("L9"),
        "{e}"
    );

    let mut request = small_request();
    request.interference.push(("P1".into(), "NOPE".into()));
    let e = build(&small_register(), &request).unwrap_err();
    assert!(
        matches!(&e, PlanError::UnknownId { unknown, .. } if unknown == "NOPE"),
        "{e}"
    );

    let mut request = small_request();
    request.raster.count = 0;
    assert!(matches!(
        build(&small_register(), &request),
        Err(PlanError::EmptyRaster)
    ));
}

#[test]
fn generated_register_pmr_440() {
    let params = datasets::stations::StationParams {
        assignments: 20_000,
        ..datasets::stations::StationParams::default()
    };
    let register = datasets::stations::generate(&params).unwrap();
    let mut request = PlanRequest::new(ChannelRaster::parse("440012500:12500:449987500").unwrap());
    request.service = Some(RadioService::LandMobile);
    request.separations = vec![
        Separation::parse("0.2:2").unwrap(),
        Separation::parse("10:1").unwrap(),
    ];
    let plan = build(&register, &request).unwrap();
    let movable = plan
        .instance
        .variables
        .iter()
        .filter(|v| v.initial.is_none())
        .count();
    let fixed = plan.instance.variables.len() - movable;
    assert!(movable > 0 && fixed > 0, "movable {movable}, fixed {fixed}");
    eprintln!(
        "PMR 440: {movable} movable, {fixed} fixed, {} off-raster exclusions, {} fixed conflicts",
        plan.off_raster.len(),
        plan.conflicts_between_fixed.len()
    );
    let options = Options {
        time_limit: std::time::Duration::from_secs(30),
        ..Options::default()
    };
    let out = solve(&plan.instance, plan.criterion(), &options, &mut |_| {}).unwrap();
    let solution = out.assignment.expect("a plan for the generated register");
    assert!(check(&plan.instance, &solution).unwrap().feasible());
    let rows = plan.update(&solution);
    assert_eq!(rows.len(), plan.ids.len());
    for r in &rows {
        let a = register.get(&r.id).unwrap();
        match a.status {
            Licensed => {
                assert_eq!(r.status, RowStatus::KeptLicensed);
                assert!(!r.moved && r.new_freq_hz == a.freq_hz);
            }
            _ => {
                assert!(r.channel.is_some(), "{}", r.id);
                assert!((440_006_250..449_993_750).contains(&r.new_freq_hz));
            }
        }
    }
    let updated = plan.apply(&register, &solution);
    assert_eq!(updated.len(), register.len());
}
