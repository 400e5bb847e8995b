//! Typed value parsers for clap: a flag's text becomes its domain type here,
//! so commands receive validated values and errors name the flag.

use imei_registry::{DeviceStatus, ReasonMask, classify};

/// An IMEI (14/15 digits) or IMEISV (16 digits) as a 14-digit registry key.
///
/// ```text
/// --imei 490154203237518  →  49015420323751
/// ```
pub fn imei_key(text: &str) -> Result<u64, String> {
    let p = classify(text);
    p.key.ok_or_else(|| {
        format!(
            "expected a well-formed IMEI (14 to 16 digits), found {text:?}: {}",
            p.class.description()
        )
    })
}

/// A device status: white, grey or black.
pub fn device_status(text: &str) -> Result<DeviceStatus, String> {
    DeviceStatus::parse(text)
        .ok_or_else(|| format!("expected white, grey or black, found {text:?}"))
}

/// Reason codes separated by `;` (empty: none).
pub fn reason_mask(text: &str) -> Result<ReasonMask, String> {
    ReasonMask::parse(text).map_err(|unknown| {
        let known: Vec<&str> = imei_registry::verdict::REASONS
            .iter()
            .map(|r| r.name)
            .collect();
        format!(
            "unknown reason code {unknown:?}; expected codes among {}",
            known.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_or_say_what_was_expected() {
        assert_eq!(imei_key("490154203237518"), Ok(49_015_420_323_751));
        assert!(
            imei_key("490154203237519")
                .unwrap_err()
                .contains("check digit")
        );
        assert_eq!(device_status("black"), Ok(DeviceStatus::Black));
        assert!(
            device_status("blue")
                .unwrap_err()
                .contains("white, grey or black")
        );
        assert_eq!(reason_mask("").map(|m| m.0), Ok(0));
        assert!(reason_mask("STOLEN;NOPE").unwrap_err().contains("NOPE"));
    }
}
