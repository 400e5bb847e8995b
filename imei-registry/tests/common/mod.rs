//! Shared fixtures of the registry's life-cycle tests.

#![allow(dead_code, clippy::unwrap_used)]

use chrono::NaiveDate;
use imei_registry::pseudonym::PseudonymKey;

/// One blocking condition: an IMEI on at least 3 IMSIs in 10 days, 60 days of grace.
pub const DUPLICATE: &str = r#"
[[condition]]
label = "duplicate"
reason = "The IMEI is used with many different SIM cards"
grace_days = 60
blocking = true
max_matching_share = 0.5
[[condition.dimension]]
module = "duplicate"
threshold = 3
period_days = 10
"#;

/// The network-monitoring key of these tests.
pub fn network() -> PseudonymKey {
    PseudonymKey::new(&[5u8; 32]).unwrap()
}

/// The identity vault's key of these tests.
pub fn vault() -> PseudonymKey {
    PseudonymKey::new(&[0x5au8; 32]).unwrap()
}

/// A day of 2026.
pub fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}
