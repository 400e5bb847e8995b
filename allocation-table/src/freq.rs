//! Frequencies as exact integer hertz: parsing of human input (`435MHz`,
//! `435 MHz`, `2.4GHz`, `8.3kHz`, `4.35e8`) and exact human formatting.
//!
//! Parsing is decimal and exact (no binary floating point): `117.975 MHz`
//! is 117 975 000 Hz, and a value that is not a whole number of hertz is
//! refused rather than rounded.

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
    let s = text.trim();
    let split = s
        .char_indices()
        .find(|&(i, c)| {
            c.is_ascii_alphabetic()
                && !((c == 'e' || c == 'E')
                    && s[i + 1..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_ascii_digit() || n == '-' || n == '+'))
        })
        .map_or(s.len(), |(i, _)| i);
    let (number, unit) = (s[..split].trim(), s[split..].trim());
    let unit_exp: i32 = match unit.to_ascii_lowercase().as_str() {
        "" | "hz" => 0,
        "khz" => 3,
        "mhz" => 6,
        "ghz" => 9,
        "thz" => 12,
        _ => {
            return Err(err(
                text,
                "unknown unit (expected Hz, kHz, MHz, GHz or THz)",
            ));
        }
    };
    if number.is_empty() {
        return Err(err(text, "no number"));
    }
    let (mantissa, exp) = match number.find(['e', 'E']) {
        Some(i) => {
            let e: i32 = number[i + 1..]
                .parse()
                .map_err(|_| err(text, "bad exponent"))?;
            (&number[..i], e)
        }
        None => (number, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((a, b)) => (a, b),
        None => (mantissa, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(err(text, "no digits"));
    }
    if !int_part
        .bytes()
        .chain(frac_part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return Err(err(text, "not a non-negative decimal number"));
    }
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    let scale = exp + unit_exp - frac_part.len() as i32;
    let mut value: u128 = 0;
    for b in digits.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u128::from(b - b'0')))
            .ok_or_else(|| err(text, "too large"))?;
    }
    if scale >= 0 {
        for _ in 0..scale {
            value = value
                .checked_mul(10)
                .ok_or_else(|| err(text, "too large"))?;
        }
    } else {
        for _ in 0..(-scale) {
            if !value.is_multiple_of(10) {
                return Err(err(text, "not a whole number of hertz"));
            }
            value /= 10;
        }
    }
    u64::try_from(value).map_err(|_| err(text, "too large"))
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
