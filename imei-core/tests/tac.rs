//! TAC import of the shared Osmocom TAC database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::LazyLock;

use imei_core::TacDb;

const OSMOCOM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/imei/tacdb-osmocom.csv"
);

static DB: LazyLock<TacDb> = LazyLock::new(|| TacDb::read_path(Path::new(OSMOCOM)).unwrap());

#[test]
fn imports_the_osmocom_file() {
    // 25 177 lines: licence + header + rows (a few TACs repeat).
    assert!(DB.len() > 24_000 && DB.len() <= 25_175, "{}", DB.len());
    let oppo = DB.get(35_675_904).unwrap();
    assert_eq!(
        (oppo.manufacturer.as_str(), oppo.model.as_str()),
        ("Oppo", "N1")
    );
    assert_eq!(
        oppo.extra.get("contributor").map(String::as_str),
        Some("Kévin Redon")
    );
    let nokia = DB.get(49_013_920).unwrap();
    assert_eq!(nokia.label(), "Nokia 1610");
    assert_eq!(
        nokia.extra.get("aka").map(String::as_str),
        Some("1610+,1611,1611+,NHE-5NX")
    );
    assert!(DB.get(1).is_none());
}
