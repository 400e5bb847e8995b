use super::*;

/// NTIA's README examples and a reference build of NTIA/p528 (full precision:
/// d km, h1 m, h2 m, f MHz, vertical?, p %, mode, A dB, A_fs dB, A_a dB, θ_h1 rad).
#[allow(clippy::type_complexity)]
const REFERENCE: [(f64, f64, f64, f64, bool, f64, u8, f64, f64, f64, f64); 6] = [
    (
        15.0,
        10.0,
        1000.0,
        500.0,
        false,
        50.0,
        1,
        110.014901660565,
        109.969800159625,
        0.045303136903,
        0.063594603581,
    ),
    (
        100.0,
        100.0,
        15000.0,
        3600.0,
        false,
        90.0,
        1,
        151.611594943961,
        143.656470251522,
        0.279764472252,
        0.125089623791,
    ),
    (
        1500.0,
        15.0,
        10000.0,
        5700.0,
        false,
        10.0,
        3,
        293.440528481384,
        171.066457711536,
        6.816562219938,
        -0.001805753464,
    ),
    (
        30.0,
        8.0,
        20000.0,
        22000.0,
        true,
        50.0,
        1,
        151.141608694968,
        150.158930805507,
        0.982695068389,
        0.533615073193,
    ),
    (
        1000.0,
        1.5,
        1.5,
        100.0,
        true,
        95.0,
        3,
        291.006912875425,
        132.397473287284,
        0.207976521002,
        -0.000577855292,
    ),
    (
        300.0,
        10.0,
        1000.0,
        500.0,
        false,
        25.0,
        3,
        178.034830517037,
        135.945336785523,
        0.898239775947,
        -0.001475251935,
    ),
];

#[test]
fn reproduces_the_reference_build() {
    for (d, h1, h2, f, v, p, mode, a, a_fs, a_a, th) in REFERENCE {
        let pol = if v {
            Polarization::Vertical
        } else {
            Polarization::Horizontal
        };
        let r = p528(d, h1, h2, f, pol, p).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.mode.code(), mode, "{d} km {f} MHz");
        for (name, got, want) in [
            ("A", r.loss_db, a),
            ("A_fs", r.free_space_db, a_fs),
            ("A_a", r.absorption_db, a_a),
            ("theta_h1", r.elevation_h1_rad, th),
        ] {
            assert!(
                (got - want).abs() < 1e-9,
                "{d} km {f} MHz {p} %: {name} {got} vs {want}"
            );
        }
    }
}

/// Percentages between the Nakagami-Rice columns use the interpolation as
/// NTIA corrected it in 2022 (the 2022-01 release gives 191.5286 dB here).
#[test]
fn percentages_between_table_columns_interpolate_both_neighbours() {
    let r = p528(300.0, 10.0, 1000.0, 500.0, Polarization::Horizontal, 73.0)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!((r.loss_db - 191.200590055365).abs() < 1e-9, "{}", r.loss_db);
    let r = p528(300.0, 10.0, 1000.0, 500.0, Polarization::Horizontal, 3.3)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!((r.loss_db - 164.773813168082).abs() < 1e-9, "{}", r.loss_db);
}

#[test]
fn edges_are_errors_with_the_reference_codes() {
    let h = Polarization::Horizontal;
    let code = |d, h1, h2, f, p| p528(d, h1, h2, f, h, p).err().map(|e| e.code());
    assert_eq!(code(-1.0, 10.0, 100.0, 500.0, 50.0), Some(1));
    assert_eq!(code(10.0, 1.0, 100.0, 500.0, 50.0), Some(2));
    assert_eq!(code(10.0, 10.0, 80_001.0, 500.0, 50.0), Some(3));
    assert_eq!(code(10.0, 100.0, 10.0, 500.0, 50.0), Some(4));
    assert_eq!(code(10.0, 10.0, 100.0, 99.0, 50.0), Some(5));
    assert_eq!(code(10.0, 10.0, 100.0, 30_001.0, 50.0), Some(6));
    assert_eq!(code(10.0, 10.0, 100.0, 500.0, 0.5), Some(7));
    assert_eq!(code(10.0, 10.0, 100.0, 500.0, 99.5), Some(8));
    assert_eq!(code(f64::NAN, 10.0, 100.0, 500.0, 50.0), Some(1));
    assert_eq!(code(10.0, 10.0, 100.0, f64::NAN, 50.0), Some(5));
    // So long a path that the common volume leaves the atmosphere: an error, not garbage.
    assert_eq!(code(3500.0, 1.5, 1.5, 1000.0, 50.0), Some(12));
    let msg = p528(10.0, 10.0, 100.0, 50.0, h, 50.0)
        .err()
        .map(|e| e.to_string());
    assert!(msg.is_some_and(|m| m.contains("100..=30000 MHz") && m.contains("found 50")));
    // Same point: no loss, no mode.
    let r = p528(0.0, 10.0, 10.0, 500.0, h, 50.0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((r.mode, r.loss_db), (PropagationMode::NotSet, 0.0));
    // Above 20 km: computed, with the warning bit.
    let r = p528(100.0, 10.0, 30_000.0, 500.0, h, 50.0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.warnings, warning::H2_ABOVE_20_KM);
    assert!(r.loss_db.is_finite());
}

/// A prepared path gives the same bits as the one-shot function, for one
/// percentage or several at once.
#[test]
fn a_prepared_path_gives_the_same_bits() {
    let h = Polarization::Horizontal;
    let path = P528Path::new(15.0, 10_000.0, 1200.0, h).unwrap_or_else(|e| panic!("{e}"));
    for d in [0.0, 50.0, 400.0, 430.0, 700.0] {
        let all = path
            .losses(d, &[1.0, 50.0, 95.0])
            .unwrap_or_else(|e| panic!("{e}"));
        for (r, p) in all.iter().zip([1.0, 50.0, 95.0]) {
            let one = p528(d, 15.0, 10_000.0, 1200.0, h, p).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(r.loss_db.to_bits(), one.loss_db.to_bits(), "{d} km {p} %");
            assert_eq!(r.mode, one.mode);
        }
        assert!(
            all[0].loss_db < all[1].loss_db && all[1].loss_db < all[2].loss_db,
            "{d} km"
        );
    }
    assert!(path.losses(10.0, &[50.0, 100.0]).is_err());
}
