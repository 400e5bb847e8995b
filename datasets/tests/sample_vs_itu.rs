//! The sample national table is consistent with ITU Region 1: every RR
//! service it allocates is allocated by the Region 1 table over the same
//! spectrum (checked on `../shared/data/allocations/itu1`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use allocation_table::load::load;
use allocation_table::service::ServiceEntry;

#[test]
fn every_national_allocation_exists_in_itu_region_1() {
    let itu = load(&PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/allocations/itu1"
    )))
    .unwrap()
    .table;
    let kg = datasets::ntfa::sample_table().unwrap();
    // Allocations made after the RR 2012 edition of the shared itu1 data.
    let later_than_rr_2012 = [(
        694_000_000u64,
        790_000_000u64,
        "Mobile except aeronautical mobile",
        "WRC-15, RR 5.312A",
    )];
    let mut checked = 0;
    for b in kg.bands() {
        for a in &b.allocations {
            if later_than_rr_2012.iter().any(|(lo, hi, svc, _)| {
                b.lower_hz >= *lo && b.upper_hz <= *hi && a.service_text == *svc
            }) {
                continue;
            }
            let ServiceEntry::Service(s) = a.parsed().entry else {
                panic!("{}: unknown service {}", b.lower_hz, a.service_text)
            };
            // Sample the band at its edges and middle.
            for f in [b.lower_hz, b.lower_hz / 2 + b.upper_hz / 2, b.upper_hz - 1] {
                let itu_band = itu
                    .band_at(f)
                    .unwrap_or_else(|| panic!("ITU R1 has no band at {f}"));
                let found = itu_band
                    .allocations
                    .iter()
                    .any(|x| matches!(x.parsed().entry, ServiceEntry::Service(y) if y == s));
                assert!(
                    found,
                    "{} at {f} Hz is not allocated in ITU Region 1 ({:?})",
                    a.service_text, itu_band.allocations
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 600, "{checked}");
}
