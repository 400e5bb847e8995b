//! Golden file: the GeoTIFF of `spectra demo`'s coverage study (ITM, 25 km at
//! 100 m over the synthetic Tian Shan relief) is byte-for-byte the one written
//! before the writers left `spectrum-core` (issue 9, items 5 and 6): same
//! values, same georeference, same provenance.

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken fixture

use spectra_study::{Study, geotiff};
use spectrum_core::coverage::Quantity;

/// Length and FNV-1a 64 hash of the GeoTIFF bytes. They were first those
/// written by the code before the split (spectrum-core
/// `coverage::geotiff_out::encode`, commit a6d364b: 1 005 715 bytes,
/// 0x3125c5ec5765a7a7). Issue 10 then changed two provenance entries on
/// purpose: the model edition reads "NTIA ITM v1.3" (as `spectra propagate
/// itm` says; it was "1.4") and the area is written in words, not as a Rust
/// Debug string. The pixels were checked bit-identical across that change
/// (tifffile, 501 × 501 float32 values compared as integers).
///
/// Issue 18 then changed pixels on purpose (2026-12-02): the geodesic to each
/// cell is solved from its longitude difference from the transmitter,
/// `(col − half)·dlon`, and the grid's eastern half is the western half
/// mirrored (`coverage::engine`). Distances moved by less than 1e-8 m, but
/// ITM's loss jumps where it truncates ranges derived from the path length,
/// so 1 841 of the 196 320 cells changed (0.94 %): 1 368 by 0.01 dB or more,
/// 129 by 0.1 dB or more, at most 0.53 dB (the loss of both builds compared
/// cell by cell as `f32` with `benches`' `coverage_driver … 25:100`).
const GOLDEN_LEN: usize = 1_005_690;
const GOLDEN_FNV1A: u64 = 0x27f4_c76c_2939_837b;

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The demo as `spectra demo` runs it (ITM's radial mode, provenance
/// `itm.map_mode = radial`): its own golden file (changed with the one above,
/// the same cells), and within rounding of the exact mode.
const RADIAL_GOLDEN_LEN: usize = 1_005_729;
const RADIAL_GOLDEN_FNV1A: u64 = 0x46c2_038c_8c2f_482f;

#[test]
fn the_radial_demo_geotiff_is_unchanged_and_within_rounding_of_the_exact_one() {
    let study = Study::demo();
    let result = study.run(&|_, _| {}).unwrap();
    assert!(
        result
            .provenance
            .contains(&("itm.map_mode".into(), "radial".into()))
    );
    let bytes = geotiff::encode(
        &result.map.grid,
        result.map.values(Quantity::FieldStrength),
        &result.provenance,
    )
    .unwrap();
    assert_eq!(
        (bytes.len(), fnv1a(&bytes)),
        (RADIAL_GOLDEN_LEN, RADIAL_GOLDEN_FNV1A),
        "{} {:#018x}",
        bytes.len(),
        fnv1a(&bytes)
    );
    let mut exact = Study::demo();
    if let spectra_study::ModelChoice::Itm(m) = &mut exact.model {
        m.exact = true;
    }
    let exact = exact.run(&|_, _| {}).unwrap();
    let d = spectrum_core::coverage::compare::deviation(&exact.map, &result.map).unwrap();
    assert!(d.worst_db < 1e-3, "{d:?}");
    assert!(d.equal > 0.999, "{d:?}");
}

/// The exact mode with the provenance entry issue 18 added taken out: the
/// bytes written before the radial mode existed (pixels bit-identical).
#[test]
fn the_demo_geotiff_is_unchanged() {
    let mut study = Study::demo();
    if let spectra_study::ModelChoice::Itm(m) = &mut study.model {
        m.exact = true;
    }
    let mut result = study.run(&|_, _| {}).unwrap();
    result.provenance.retain(|(k, _)| k != "itm.map_mode");
    let bytes = geotiff::encode(
        &result.map.grid,
        result.map.values(Quantity::FieldStrength),
        &result.provenance,
    )
    .unwrap();
    assert_eq!(bytes.len(), GOLDEN_LEN);
    assert_eq!(fnv1a(&bytes), GOLDEN_FNV1A, "{:#018x}", fnv1a(&bytes));
}
