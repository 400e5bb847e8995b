//! Unit tests of the P.452-18 combination (the reference cases are in
//! `tests/p452_reference.rs`).

use super::*;
use crate::profile::RadioClimaticZone;

fn input(freq_ghz: f64, time_pct: f64) -> P452Input {
    P452Input {
        freq_ghz,
        time_pct,
        htg_m: 20.0,
        hrg_m: 10.0,
        path_centre: PathCentre::Endpoints {
            tx_lat_deg: 45.0,
            tx_lon_deg: 10.0,
            rx_lat_deg: 45.5,
            rx_lon_deg: 10.5,
        },
        gt_dbi: 10.0,
        gr_dbi: 5.0,
        polarization: Polarization::Horizontal,
        dct_km: 500.0,
        dcr_km: 500.0,
        pressure_hpa: 1013.0,
        temperature_c: 15.0,
        dn: 45.0,
        n0: 325.0,
    }
}

#[test]
fn short_flat_path_is_close_to_free_space() {
    let profile = PathProfile::flat(2.0, 0.05, 0.0).unwrap();
    let r = p452(&input(1.0, 50.0), &profile).unwrap();
    assert_eq!(r.path_type, PathType::LineOfSight);
    // 92.4 + 20 log10(1) + 20 log10(2) ≈ 98.42 dB plus a little gas.
    assert!((r.lbfsg_db - 98.42).abs() < 0.05, "{}", r.lbfsg_db);
    assert!(
        (r.lb_db - r.lbfsg_db).abs() < 3.0,
        "{} vs {}",
        r.lb_db,
        r.lbfsg_db
    );
}

#[test]
fn long_path_is_trans_horizon_and_loss_falls_with_time_percentage() {
    let profile = PathProfile::flat(150.0, 1.0, 50.0).unwrap();
    let r50 = p452(&input(2.0, 50.0), &profile).unwrap();
    let r1 = p452(&input(2.0, 1.0), &profile).unwrap();
    assert_eq!(r50.path_type, PathType::TransHorizon);
    assert!(r1.lb_db < r50.lb_db, "{} !< {}", r1.lb_db, r50.lb_db);
    assert!(r50.lb_db > r50.lbfsg_db);
}

#[test]
fn clutter_is_ignored_within_50_m_of_terminals_and_adds_loss_elsewhere() {
    let mut profile = PathProfile::flat(5.0, 0.01, 0.0).unwrap();
    let bare = p452(&input(1.0, 10.0), &profile).unwrap();
    profile.clutter_heights_m = Some(vec![25.0; profile.len()]);
    let cluttered = p452(&input(1.0, 10.0), &profile).unwrap();
    assert!(cluttered.lb_db > bare.lb_db + 5.0);
    // Path analysis runs on the bare terrain.
    assert_eq!(cluttered.hte_m, bare.hte_m);
}

#[test]
fn rejects_out_of_range_inputs_and_short_profiles() {
    let profile = PathProfile::flat(10.0, 1.0, 0.0).unwrap();
    assert!(matches!(
        p452(&input(0.05, 10.0), &profile),
        Err(P452Error::OutOfRange {
            name: "freq_ghz",
            ..
        })
    ));
    assert!(matches!(
        p452(&input(1.0, f64::NAN), &profile),
        Err(P452Error::OutOfRange {
            name: "time_pct",
            ..
        })
    ));
    let short = PathProfile::new(vec![0.0, 1.0, 2.0], vec![0.0; 3]).unwrap();
    assert!(matches!(
        p452(&input(1.0, 10.0), &short),
        Err(P452Error::Profile(ProfileError::TooShort { needed: 4, .. }))
    ));
}

#[test]
fn sea_path_sets_omega_and_polarizations_differ() {
    let mut profile = PathProfile::flat(80.0, 0.5, 0.0).unwrap();
    profile.zones = Some(vec![RadioClimaticZone::Sea; profile.len()]);
    let r = p452(&input(0.5, 10.0), &profile).unwrap();
    assert_eq!(r.omega, 1.0);
    assert_eq!(r.dlm_km, 0.0);
    assert!(r.lb_both_db.horizontal != r.lb_both_db.vertical);
}
