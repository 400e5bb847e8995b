//! Frequencies as exact integer hertz: parsing of human input (`435MHz`,
//! `435 MHz`, `2.4GHz`, `8.3kHz`, `4.35e8`) and exact human formatting.
//!
//! Parsing is decimal and exact (no binary floating point): `117.975 MHz`
//! is 117 975 000 Hz, and a value that is not a whole number of hertz is
//! refused rather than rounded. It is the workspace's one frequency parser,
//! [`spectrum_core::units::parse_hz`]; a band edge may be 0 Hz.

use thiserror::Error;

/// Why a frequency text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "expected a frequency such as `435MHz`, `2.4 GHz`, `8.3kHz` or `4.35e8` (Hz), found {input:?}: {reason}"
)]
pub struct FreqParseError {
    /// The text as given.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

fn err(input: &str, reason: &'static str) -> FreqParseError {
    FreqParseError {
        input: input.to_owned(),
        reason,
    }
}

/// Parses a frequency into whole hertz.
///
/// Units (case-insensitive): `Hz`, `kHz`, `MHz`, `GHz`, `THz`; no unit means
/// hertz. A decimal exponent (`e8`) is accepted.
///
/// ```
/// use allocation_table::freq::parse_freq_hz;
/// assert_eq!(parse_freq_hz("435MHz").unwrap(), 435_000_000);
/// assert_eq!(parse_freq_hz("435 MHz").unwrap(), 435_000_000);
/// assert_eq!(parse_freq_hz("2.4GHz").unwrap(), 2_400_000_000);
/// assert_eq!(parse_freq_hz("8.3kHz").unwrap(), 8_300);
/// assert_eq!(parse_freq_hz("4.35e8").unwrap(), 435_000_000);
/// assert!(parse_freq_hz("1.5 Hz").is_err());
/// ```
pub fn parse_freq_hz(text: &str) -> Result<u64, FreqParseError> {
    spectrum_core::units::parse_hz(text, spectrum_core::units::FrequencyUnit::Hz)
        .map_err(|reason| err(text, reason))
}

/// Formats hertz exactly with the largest unit that keeps it readable:
/// `117.975 MHz`, `275 GHz`, `8.3 kHz`, `0 Hz`.
///
/// ```
/// use allocation_table::freq::{format_freq_hz, parse_freq_hz};
/// assert_eq!(format_freq_hz(117_975_000), "117.975 MHz");
/// assert_eq!(format_freq_hz(8_300), "8.3 kHz");
/// assert_eq!(parse_freq_hz(&format_freq_hz(1_234_567_891)).unwrap(), 1_234_567_891);
/// ```
pub fn format_freq_hz(hz: u64) -> String {
    let (div, unit) = match hz {
        h if h >= 1_000_000_000 => (1_000_000_000u64, "GHz"),
        h if h >= 1_000_000 => (1_000_000, "MHz"),
        h if h >= 1_000 => (1_000, "kHz"),
        _ => (1, "Hz"),
    };
    let int = hz / div;
    let frac = hz % div;
    if frac == 0 {
        format!("{int} {unit}")
    } else {
        let width = div.ilog10() as usize;
        let f = format!("{frac:0width$}");
        format!("{int}.{} {unit}", f.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_documented_forms() {
        for (s, hz) in [
            ("435MHz", 435_000_000),
            ("435 MHz", 435_000_000),
            ("2.4GHz", 2_400_000_000),
            ("8.3kHz", 8_300),
            ("4.35e8", 435_000_000),
            ("4.35E+8 Hz", 435_000_000),
            ("275 ghz", 275_000_000_000),
            ("  9000  ", 9_000),
            ("0.5 kHz", 500),
            (".5kHz", 500),
            ("3 THz", 3_000_000_000_000),
        ] {
            assert_eq!(parse_freq_hz(s), Ok(hz), "{s}");
        }
    }

    #[test]
    fn refuses_bad_input_with_a_reason() {
        for s in [
            "",
            "MHz",
            "12 furlongs",
            "-5 MHz",
            "1.0001 Hz",
            "1e-1",
            "abc",
            "1..2 MHz",
        ] {
            let e = parse_freq_hz(s).unwrap_err();
            assert!(e.to_string().contains("expected a frequency"), "{s}: {e}");
        }
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(hz in 0u64..4_000_000_000_000) {
            prop_assert_eq!(parse_freq_hz(&format_freq_hz(hz)), Ok(hz));
        }
    }
}
