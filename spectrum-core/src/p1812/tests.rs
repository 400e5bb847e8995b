//! Unit tests of the P.1812-6 combination (the reference cases are in
//! `tests/p1812_reference.rs`).

use super::*;

fn input(time_pct: f64) -> P1812Input {
    P1812Input::new(
        0.6,
        time_pct,
        50.0,
        10.0,
        PathCentre::Endpoints {
            tx_lat_deg: 50.0,
            tx_lon_deg: 8.0,
            rx_lat_deg: 50.3,
            rx_lon_deg: 8.2,
        },
        Polarization::Horizontal,
    )
}

#[test]
fn field_strength_and_loss_are_consistent() {
    let profile = PathProfile::flat(40.0, 0.2, 100.0).unwrap();
    let mut inp = input(50.0);
    inp.tx_power_kw = 10.0;
    let r = p1812(&inp, &profile).unwrap();
    assert!((r.ep_1kw_dbuv_m - (199.36 + 20.0 * 0.6f64.log10() - r.lb_db)).abs() < 1e-12);
    assert!((r.ep_dbuv_m - r.ep_1kw_dbuv_m - 10.0).abs() < 1e-12);
    assert!(r.lb_db >= r.lb0p_db);
}

#[test]
fn location_variability_raises_loss_for_high_location_percentages() {
    let profile = PathProfile::flat(30.0, 0.5, 100.0).unwrap();
    let mut inp = input(50.0);
    let base = p1812(&inp, &profile).unwrap();
    inp.location_pct = 90.0;
    inp.location_sigma_db = 5.5;
    let r = p1812(&inp, &profile).unwrap();
    // L_loc = −I(0.9)·σ ≈ +1.28·5.5 dB.
    assert!((r.lloc_db - 1.2816 * 5.5).abs() < 0.01, "{}", r.lloc_db);
    assert!(r.lb_db > base.lb_db + 6.0);
}

#[test]
fn sea_terminals_reset_coast_distances_and_location_variability() {
    let mut profile = PathProfile::flat(30.0, 0.5, 0.0).unwrap();
    profile.zones = Some(vec![RadioClimaticZone::Sea; profile.len()]);
    let mut inp = input(10.0);
    inp.location_pct = 90.0;
    inp.location_sigma_db = 5.5;
    let r = p1812(&inp, &profile).unwrap();
    assert_eq!((r.dct_km, r.dcr_km, r.lloc_db), (0.0, 0.0, 0.0));
    assert_eq!(r.omega, 1.0);
}

#[test]
fn rejects_out_of_range_inputs() {
    let profile = PathProfile::flat(10.0, 0.5, 0.0).unwrap();
    assert!(matches!(
        p1812(&input(0.5), &profile),
        Err(P1812Error::OutOfRange {
            name: "time_pct",
            ..
        })
    ));
    let mut inp = input(10.0);
    inp.freq_ghz = 7.0;
    assert!(matches!(
        p1812(&inp, &profile),
        Err(P1812Error::OutOfRange {
            name: "freq_ghz",
            ..
        })
    ));
}

#[test]
fn attachment_4_smooth_bullington_is_close_to_profile_method() {
    let profile = PathProfile::flat(60.0, 0.25, 50.0).unwrap();
    let a = p1812(&input(10.0), &profile).unwrap();
    let mut inp = input(10.0);
    inp.smooth_path = SmoothPathMethod::Attachment4;
    let b = p1812(&inp, &profile).unwrap();
    assert!(
        (a.lb_db - b.lb_db).abs() < 1.0,
        "{} vs {}",
        a.lb_db,
        b.lb_db
    );
}
