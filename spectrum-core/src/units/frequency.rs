//! [`Frequency`]: one frequency type from the national table to the
//! propagation models, exact integer hertz inside.
//!
//! The convention (see the [`units`](crate::units) module): between crates a
//! frequency is a `Frequency` (or a `u64` named `…_hz`); inside model
//! equations it is the `f64` the recommendation writes (`freq_mhz`,
//! `freq_ghz`), taken from [`Frequency::mhz`] / [`Frequency::ghz`].
//!
//! Parsing is decimal and exact (no binary floating point): `117.975 MHz` is
//! 117 975 000 Hz, and text that is not a whole number of hertz is refused
//! rather than rounded. Because the hertz value is exact, `mhz()` of a
//! frequency parsed from a decimal MHz text is the same `f64` as parsing that
//! text as an `f64` (one correctly rounded division of two exact values).
//!
//! ```
//! use spectrum_core::units::Frequency;
//! let f: Frequency = "2.4 GHz".parse().unwrap();
//! assert_eq!(f.hz(), 2_400_000_000);
//! assert_eq!(f.ghz(), 2.4);
//! assert_eq!("600MHz".parse::<Frequency>().unwrap().mhz(), 600.0);
//! assert_eq!("8.3kHz".parse::<Frequency>().unwrap().hz(), 8_300);
//! assert_eq!("4.35e8".parse::<Frequency>().unwrap().mhz(), 435.0);
//! ```

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// A frequency, exact integer hertz.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Frequency {
    hz: u64,
}

/// The unit a bare number is read in (and the units a text may name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrequencyUnit {
    /// Hertz.
    Hz,
    /// Kilohertz.
    KHz,
    /// Megahertz.
    MHz,
    /// Gigahertz.
    GHz,
    /// Terahertz.
    THz,
}

impl FrequencyUnit {
    /// Power of ten of the unit in hertz.
    fn exponent(self) -> i32 {
        match self {
            Self::Hz => 0,
            Self::KHz => 3,
            Self::MHz => 6,
            Self::GHz => 9,
            Self::THz => 12,
        }
    }

    /// The unit's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Hz => "Hz",
            Self::KHz => "kHz",
            Self::MHz => "MHz",
            Self::GHz => "GHz",
            Self::THz => "THz",
        }
    }
}

/// Why a frequency could not be built or read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "expected a frequency such as `600MHz`, `2.4 GHz`, `8.3kHz` or `4.35e8` (bare numbers in {default_unit}), found {input:?}: {reason}"
)]
pub struct FrequencyError {
    /// The input as given.
    pub input: String,
    /// The unit of a bare number.
    pub default_unit: &'static str,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Frequency {
    /// The highest frequency accepted: 3000 GHz, the upper limit of radio
    /// waves (ITU Radio Regulations No. 1.5).
    pub const MAX: Frequency = Frequency {
        hz: 3_000_000_000_000,
    };

    /// A frequency of `hz` hertz.
    ///
    /// ```
    /// use spectrum_core::units::Frequency;
    /// assert_eq!(Frequency::from_hz(435_000_000).mhz(), 435.0);
    /// ```
    pub const fn from_hz(hz: u64) -> Self {
        Self { hz }
    }

    /// A frequency from a value in MHz, rounded to the nearest hertz; refuses
    /// a value that is not finite, not positive, or above [`Frequency::MAX`].
    ///
    /// ```
    /// use spectrum_core::units::Frequency;
    /// assert_eq!(Frequency::from_mhz_f64(600.0).unwrap().hz(), 600_000_000);
    /// assert_eq!(Frequency::from_mhz_f64(117.975).unwrap().hz(), 117_975_000);
    /// assert!(Frequency::from_mhz_f64(f64::NAN).is_err());
    /// assert!(Frequency::from_mhz_f64(-1.0).is_err());
    /// ```
    pub fn from_mhz_f64(freq_mhz: f64) -> Result<Self, FrequencyError> {
        let err = |reason| FrequencyError {
            input: freq_mhz.to_string(),
            default_unit: "MHz",
            reason,
        };
        if !freq_mhz.is_finite() {
            return Err(err("not a finite number"));
        }
        let hz = (freq_mhz * 1e6).round();
        if hz < 1.0 {
            return Err(err("not a positive frequency"));
        }
        if hz > Self::MAX.hz as f64 {
            return Err(err("above 3000 GHz, the upper limit of radio waves"));
        }
        Ok(Self { hz: hz as u64 })
    }

    /// Reads a frequency from text; a bare number is in `default_unit`.
    /// Units (case-insensitive, optionally after a space): `Hz`, `kHz`, `MHz`,
    /// `GHz`, `THz`; a decimal exponent (`e8`) is accepted. Refuses zero,
    /// values above [`Frequency::MAX`] and values that are not a whole
    /// number of hertz.
    ///
    /// ```
    /// use spectrum_core::units::{Frequency, FrequencyUnit};
    /// let f = Frequency::parse_with_unit("600", FrequencyUnit::MHz).unwrap();
    /// assert_eq!(f.mhz(), 600.0);
    /// let g = Frequency::parse_with_unit("2.4", FrequencyUnit::GHz).unwrap();
    /// assert_eq!(g.ghz(), 2.4);
    /// assert_eq!(Frequency::parse_with_unit("900 MHz", FrequencyUnit::GHz).unwrap().ghz(), 0.9);
    /// assert!(Frequency::parse_with_unit("1.5 Hz", FrequencyUnit::MHz).is_err());
    /// ```
    pub fn parse_with_unit(
        text: &str,
        default_unit: FrequencyUnit,
    ) -> Result<Self, FrequencyError> {
        let err = |reason| FrequencyError {
            input: text.to_owned(),
            default_unit: default_unit.symbol(),
            reason,
        };
        let above = "above 3000 GHz, the upper limit of radio waves";
        let hz = parse_hz(text, default_unit)
            .map_err(|reason| err(if reason == TOO_LARGE { above } else { reason }))?;
        if hz == 0 {
            return Err(err("not a positive frequency"));
        }
        if hz > Self::MAX.hz {
            return Err(err(above));
        }
        Ok(Self { hz })
    }

    /// The frequency in hertz (exact).
    pub const fn hz(self) -> u64 {
        self.hz
    }

    /// The frequency in kHz.
    pub fn khz(self) -> f64 {
        self.hz as f64 / 1e3
    }

    /// The frequency in MHz (the value the model equations take as `freq_mhz`).
    pub fn mhz(self) -> f64 {
        self.hz as f64 / 1e6
    }

    /// The frequency in GHz (the value the model equations take as `freq_ghz`).
    pub fn ghz(self) -> f64 {
        self.hz as f64 / 1e9
    }
}

impl FromStr for Frequency {
    type Err = FrequencyError;

    /// Reads `600MHz`, `2.4 GHz`, `8.3kHz`, or a bare number of hertz (`4.35e8`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_with_unit(s, FrequencyUnit::Hz)
    }
}

impl fmt::Display for Frequency {
    /// Exact, with the largest unit that keeps it readable: `117.975 MHz`,
    /// `275 GHz`, `8.3 kHz`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (div, unit) = match self.hz {
            h if h >= 1_000_000_000 => (1_000_000_000u64, "GHz"),
            h if h >= 1_000_000 => (1_000_000, "MHz"),
            h if h >= 1_000 => (1_000, "kHz"),
            _ => (1, "Hz"),
        };
        let (int, frac) = (self.hz / div, self.hz % div);
        if frac == 0 {
            write!(f, "{int} {unit}")
        } else {
            let width = div.ilog10() as usize;
            let digits = format!("{frac:0width$}");
            write!(f, "{int}.{} {unit}", digits.trim_end_matches('0'))
        }
    }
}

/// The reason [`parse_hz`] gives for a value beyond `u64` hertz.
const TOO_LARGE: &str = "too large";

/// Reads a frequency as exact whole hertz — the one decimal parser of the
/// workspace (the allocation table's band edges use it too). A bare number
/// is in `default_unit`; units (case-insensitive, optionally after a space):
/// `Hz`, `kHz`, `MHz`, `GHz`, `THz`; a decimal exponent (`e8`) is accepted.
/// No binary floating point is involved: `117.975 MHz` is 117 975 000 Hz, and
/// a value that is not a whole number of hertz is refused, not rounded. Zero
/// is accepted (a table may start at 0 Hz); the error is the reason.
///
/// ```
/// use spectrum_core::units::{parse_hz, FrequencyUnit};
/// assert_eq!(parse_hz("117.975 MHz", FrequencyUnit::Hz), Ok(117_975_000));
/// assert_eq!(parse_hz("4.35e8", FrequencyUnit::Hz), Ok(435_000_000));
/// assert_eq!(parse_hz("0", FrequencyUnit::MHz), Ok(0));
/// assert!(parse_hz("1.5 Hz", FrequencyUnit::Hz).is_err());
/// assert!(parse_hz("0e999999999", FrequencyUnit::Hz) == Ok(0));
/// ```
pub fn parse_hz(text: &str, default_unit: FrequencyUnit) -> Result<u64, &'static str> {
    let s = text.trim();
    // The unit starts at the first letter that is not an exponent marker
    // followed by a digit or sign.
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
    let unit_exp = match unit.to_ascii_lowercase().as_str() {
        "" => default_unit.exponent(),
        "hz" => 0,
        "khz" => 3,
        "mhz" => 6,
        "ghz" => 9,
        "thz" => 12,
        _ => return Err("unknown unit (expected Hz, kHz, MHz, GHz or THz)"),
    };
    if number.is_empty() {
        return Err("no number");
    }
    let (mantissa, exp) = match number.find(['e', 'E']) {
        Some(i) => {
            let e: i32 = number[i + 1..].parse().map_err(|_| "bad exponent")?;
            (&number[..i], e)
        }
        None => (number, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err("no digits");
    }
    if !int_part
        .bytes()
        .chain(frac_part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return Err("not a non-negative decimal number");
    }
    let digits: String = int_part.chars().chain(frac_part.chars()).collect();
    let digits = digits.trim_start_matches('0');
    let scale = i64::from(exp) + i64::from(unit_exp) - frac_part.len() as i64;
    let too_large = TOO_LARGE;
    let mut value: u128 = 0;
    for b in digits.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u128::from(b - b'0')))
            .ok_or(too_large)?;
    }
    // Zero stays zero whatever the exponent (and is not scaled in a loop).
    if value != 0 {
        if scale >= 0 {
            for _ in 0..scale {
                value = value.checked_mul(10).ok_or(too_large)?;
                if value > u128::from(u64::MAX) {
                    return Err(too_large);
                }
            }
        } else {
            for _ in 0..(-scale) {
                if !value.is_multiple_of(10) {
                    return Err("not a whole number of hertz");
                }
                value /= 10;
            }
        }
    }
    u64::try_from(value).map_err(|_| too_large)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_forms() {
        for (s, hz) in [
            ("600MHz", 600_000_000),
            ("600 MHz", 600_000_000),
            ("2.4 GHz", 2_400_000_000),
            ("2.4GHz", 2_400_000_000),
            ("8.3kHz", 8_300),
            ("4.35e8", 435_000_000),
            ("4.35E+8 Hz", 435_000_000),
            ("275 ghz", 275_000_000_000),
            (".5kHz", 500),
            ("3 THz", 3_000_000_000_000),
        ] {
            assert_eq!(s.parse::<Frequency>().map(Frequency::hz), Ok(hz), "{s}");
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
            "0",
            "0 MHz",
            "3001 GHz",
            "1e30",
            "NaN",
            "inf",
        ] {
            let e = s.parse::<Frequency>().unwrap_err();
            assert!(e.to_string().contains("expected a frequency"), "{s}: {e}");
        }
        assert!(Frequency::from_mhz_f64(0.0).is_err());
        assert!(Frequency::from_mhz_f64(f64::INFINITY).is_err());
        assert!(Frequency::from_mhz_f64(3.1e6).is_err());
    }

    /// The values of the CLI tests, the README and COVERAGE.md: a bare number
    /// in the flag's unit gives exactly the `f64` the old `f64` flag gave.
    #[test]
    fn flag_values_are_bit_identical_to_f64_parsing() {
        for s in [
            "600", "900", "100", "2000", "1500", "150", "20", "20000", "3500", "435", "117.975",
            "88.5", "0.5", "1e3", "30", "6000", "40", "10000", "1000", "2400", "5", "47", "100.5",
            "1.5",
        ] {
            let want: f64 = s.parse().unwrap();
            let f = Frequency::parse_with_unit(s, FrequencyUnit::MHz).unwrap();
            assert_eq!(f.mhz().to_bits(), want.to_bits(), "{s} MHz");
        }
        for s in [
            "2", "0.1", "2.4", "0.03", "6", "1.5", "67", "0.5", "3", "30", "50", "0.9", "2.45",
            "0.2", "20", "10", "1", "5.8", "28", "0.3", "0.6",
        ] {
            let want: f64 = s.parse().unwrap();
            let f = Frequency::parse_with_unit(s, FrequencyUnit::GHz).unwrap();
            assert_eq!(f.ghz().to_bits(), want.to_bits(), "{s} GHz");
        }
        assert_eq!(Frequency::from_mhz_f64(600.0).unwrap().mhz(), 600.0);
    }

    #[test]
    fn display_round_trips() {
        for hz in [8_300, 117_975_000, 275_000_000_000, 1_234_567_891, 1] {
            let f = Frequency::from_hz(hz);
            assert_eq!(f.to_string().parse::<Frequency>(), Ok(f));
        }
        assert_eq!(Frequency::from_hz(117_975_000).to_string(), "117.975 MHz");
    }
}
