//! Behaviour of the whole P.1546 prediction (the reference's cases are in
//! `spectra-conformance`).

use super::*;

fn land(d_km: f64, heff: f64) -> P1546Input {
    P1546Input::new(
        600.0,
        50.0,
        vec![(Zone::Land, d_km)],
        heff,
        10.0,
        RxArea::Rural,
    )
}

#[test]
fn nominal_values_read_the_curves() {
    let curves = Curves::get().unwrap_or_else(|e| panic!("{e}"));
    let fig = curves
        .figure(600.0, CurvePath::Land, 50.0)
        .unwrap_or_else(|| panic!());
    let r = p1546(&land(20.0, 150.0)).unwrap_or_else(|e| panic!("{e}"));
    // Rural receiver at 10 m: no height correction.
    assert_eq!(r.steps.rx_height_correction_db, 0.0);
    assert_eq!(r.field_1kw_dbuv_m, fig.field_dbuv_m(4, 20.0));
    assert_eq!(r.steps.h1_m, 150.0);
}

#[test]
fn field_falls_with_distance_and_rises_with_height() {
    let e = |d: f64, h: f64| {
        p1546(&land(d, h))
            .map(|r| r.field_1kw_dbuv_m)
            .unwrap_or(f64::NAN)
    };
    assert!(e(10.0, 75.0) > e(30.0, 75.0));
    assert!(e(30.0, 300.0) > e(30.0, 75.0));
    // Interpolated heights and distances lie between their neighbours.
    assert!(e(30.0, 100.0) > e(30.0, 75.0) && e(30.0, 100.0) < e(30.0, 150.0));
    assert!(e(27.0, 75.0) < e(25.0, 75.0) && e(27.0, 75.0) > e(30.0, 75.0));
}

#[test]
fn time_and_frequency_interpolate_between_curves() {
    let at = |f: f64, t: f64| {
        let mut i = land(50.0, 150.0);
        (i.freq_mhz, i.time_pct) = (f, t);
        p1546(&i).map(|r| r.field_1kw_dbuv_m).unwrap_or(f64::NAN)
    };
    assert!(at(600.0, 1.0) > at(600.0, 10.0) && at(600.0, 10.0) > at(600.0, 50.0));
    let mid = at(600.0, 20.0);
    assert!(mid < at(600.0, 10.0) && mid > at(600.0, 50.0));
    assert!(at(300.0, 50.0) < at(100.0, 50.0) && at(300.0, 50.0) > at(600.0, 50.0));
    // Above 2 GHz the curves are extrapolated and stay finite.
    assert!(at(3500.0, 50.0).is_finite() && at(3500.0, 50.0) < at(2000.0, 50.0));
}

#[test]
fn sea_beats_land_and_mixed_lies_between() {
    let with = |zones: Vec<(Zone, f64)>| {
        let mut i = land(1.0, 150.0);
        i.zones = zones;
        i.time_pct = 10.0;
        p1546(&i).map(|r| r.field_1kw_dbuv_m).unwrap_or(f64::NAN)
    };
    let l = with(vec![(Zone::Land, 60.0)]);
    let s = with(vec![(Zone::ColdSea, 60.0)]);
    let m = with(vec![(Zone::Land, 30.0), (Zone::ColdSea, 30.0)]);
    let w = with(vec![(Zone::WarmSea, 60.0)]);
    assert!(s > l && m > l && m < s, "{l} {m} {s}");
    assert!(w >= s);
}

#[test]
fn corrections_are_reported_when_their_inputs_are_known() {
    let mut i = land(0.5, 40.0);
    i.ha_m = Some(30.0);
    i.r1_m = Some(20.0);
    i.tca_deg = Some(2.0);
    i.scatter_angles_deg = Some((0.5, 2.0));
    i.location_pct = 90.0;
    let r = p1546(&i).unwrap_or_else(|e| panic!("{e}"));
    let s = r.steps;
    assert!(s.short_path_dbuv_m.is_some() && s.slope_correction_db.is_some());
    assert!(s.tca_correction_db.is_some() && s.troposcatter_dbuv_m.is_some());
    assert!(s.tx_clutter_correction_db.is_some());
    let loc = s.location_dbuv_m.unwrap_or(f64::NAN);
    assert!(loc < s.short_path_dbuv_m.unwrap_or(f64::NAN));
    assert!(r.field_1kw_dbuv_m <= s.emax_dbuv_m);
}

#[test]
fn erp_scales_the_field_but_not_the_loss() {
    let mut i = land(40.0, 75.0);
    let a = p1546(&i).unwrap_or_else(|e| panic!("{e}"));
    i.erp_kw = 10.0;
    let b = p1546(&i).unwrap_or_else(|e| panic!("{e}"));
    assert!((b.field_dbuv_m - a.field_dbuv_m - 10.0).abs() < 1e-12);
    assert_eq!(a.loss_db, b.loss_db);
}

#[test]
fn out_of_domain_inputs_are_named_errors() {
    let err = |f: &dyn Fn(&mut P1546Input)| {
        let mut i = land(20.0, 150.0);
        f(&mut i);
        p1546(&i).err().map(|e| e.to_string()).unwrap_or_default()
    };
    assert!(
        err(&|i| i.freq_mhz = 5000.0)
            .contains("frequency must be within 30..=4000 MHz, found 5000")
    );
    assert!(err(&|i| i.time_pct = 60.0).contains("time percentage"));
    assert!(err(&|i| i.location_pct = 0.0).contains("location percentage"));
    assert!(err(&|i| i.zones = vec![(Zone::Land, 1200.0)]).contains("path length"));
    assert!(err(&|i| i.zones = vec![]).contains("at least one zone"));
    assert!(err(&|i| i.h2_m = 0.5).contains("h2"));
    assert!(err(&|i| i.heff_m = 4000.0).contains("h1"));
    assert!(err(&|i| i.heff_m = f64::NAN).contains("effective height"));
    assert!(
        err(&|i| i.zones = vec![(Zone::Land, 0.5)])
            .contains("needs the transmitting antenna height")
    );
    assert!(
        err(&|i| {
            i.terrain_known = true;
            i.location_pct = 10.0;
        })
        .contains("area width")
    );
    let mut sea = land(20.0, 150.0);
    sea.rx_area = RxArea::Sea;
    sea.h2_m = 2.0;
    assert!(p1546(&sea).is_err());
}

#[test]
fn h1_follows_section_3() {
    let mut i = land(10.0, 100.0);
    i.ha_m = Some(40.0);
    // 3 < d < 15 without terrain: eq. (5).
    assert!((i.h1_m() - (40.0 + 60.0 * 7.0 / 12.0)).abs() < 1e-12);
    i.zones = vec![(Zone::Land, 2.0)];
    assert_eq!(i.h1_m(), 40.0);
    i.terrain_known = true;
    i.hb_m = Some(55.0);
    assert_eq!(i.h1_m(), 55.0);
    i.zones = vec![(Zone::ColdSea, 20.0)];
    i.heff_m = 1.0;
    assert_eq!(i.h1_m(), 3.0);
}

#[test]
fn low_and_negative_heights_are_continuous_at_10_m() {
    let e = |h: f64| {
        p1546(&land(30.0, h))
            .map(|r| r.field_1kw_dbuv_m)
            .unwrap_or(f64::NAN)
    };
    assert!((e(9.999_999) - e(10.0)).abs() < 1e-3);
    assert!(e(5.0) < e(10.0) && e(0.0) < e(5.0) && e(-20.0) < e(0.0));
}
