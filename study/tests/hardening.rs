//! Issue 10 #4 / #5: a study out of its domain is refused up front, before
//! any work, with the field named (the same rules as `spectra propagate`).

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken fixture

use spectra_study::{ModelChoice, Study, StudyError};
use spectrum_core::coverage::{Area, Ehata, Hata};
use spectrum_core::units::Frequency;

fn field_of(study: &Study) -> String {
    match study.validate().unwrap_err() {
        StudyError::OutOfBounds(b) => b.field.to_owned(),
        e => panic!("expected an out-of-bounds error, found {e}"),
    }
}

#[test]
fn thread_counts_are_capped_at_a_multiple_of_the_cores() {
    let mut s = Study::demo();
    s.threads = Some(100_000);
    assert_eq!(field_of(&s), "threads");
    s.threads = Some(0);
    assert_eq!(field_of(&s), "threads");
    s.threads = Some(1);
    assert!(s.validate().is_ok());
}

#[test]
fn a_bounding_box_far_from_the_site_is_refused() {
    let mut s = Study::demo();
    s.scenario.area = Area::BoundingBox {
        south_deg: 10.0,
        west_deg: 10.0,
        north_deg: 10.1,
        east_deg: 10.1,
        resolution_m: 100.0,
    };
    assert_eq!(field_of(&s), "bbox");
    s.scenario.area = Area::BoundingBox {
        south_deg: 42.7,
        west_deg: 74.5,
        north_deg: 42.9,
        east_deg: 74.7,
        resolution_m: 100.0,
    };
    assert!(s.validate().is_ok());
}

#[test]
fn non_physical_eirp_and_out_of_domain_frequencies_are_refused() {
    let mut s = Study::demo();
    s.scenario.tx.eirp_dbm = 1e300;
    assert_eq!(field_of(&s), "eirp_dbm");
    for model in [
        ModelChoice::Hata(Hata::default()),
        ModelChoice::Ehata(Ehata::default()),
    ] {
        let mut s = Study::demo();
        s.model = model;
        s.scenario.tx.freq = Frequency::from_hz(20_000_000_000);
        assert!(field_of(&s).starts_with("freq"), "{:?}", s.model);
    }
}

#[test]
fn the_size_is_known_before_any_work() {
    let size = Study::demo().size().unwrap();
    assert_eq!(size.cells, size.width * size.height);
    assert!(size.radials > 0 && size.terrain_samples >= size.radials);
}

/// Issue 10 #17: the map title names the receiver height.
#[test]
fn the_map_title_names_both_antenna_heights() {
    let mut s = Study::demo();
    s.scenario.rx_height_m = 1.5;
    let t = spectra_study::outputs::map_title(&s, "itm");
    assert!(t.contains("Tx 60 m") && t.contains("Rx 1.5 m"), "{t}");
}

/// Regressions: the provenance named ITM "1.4" where `propagate itm` says
/// v1.3, and wrote the area as a Debug string (`Radius { radius_km: … }`).
#[test]
fn provenance_names_itm_v1_3_and_the_area_in_words() {
    let mut study = spectra_study::Study::demo();
    study.scenario = spectra_study::Study::demo_scenario(3.0, 200.0);
    let result = study.run(&|_, _| {}).unwrap();
    let get = |k: &str| {
        result
            .provenance
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("area"), "radius 3 km at 200 m");
    assert!(
        get("model_edition").starts_with("NTIA ITM v1.3"),
        "{}",
        get("model_edition")
    );
    assert!(result.provenance.iter().all(|(_, v)| !v.contains(" { ")));
}
