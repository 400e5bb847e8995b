//! IMEI identity as defined in 3GPP TS 23.003 V18 (2024-06), clause 6.2:
//! IMEI = TAC (8 digits) + SNR (6 digits) + check digit (Luhn, annex B),
//! IMEISV = TAC + SNR + SVN (2 digits).
//!
//! The registry key is the 14-digit body (TAC + SNR) as an integer, as the
//! check digit is not transmitted in signalling (the DIRBS convention).
//! Parsing strips surrounding whitespace only; anything else that is not a
//! well-formed IMEI is classified with a reason and never silently fixed.

use std::fmt;

/// Number of decimal digits in the TAC (type allocation code).
pub const TAC_DIGITS: u32 = 8;
/// Number of decimal digits in the SNR (serial number).
pub const SNR_DIGITS: u32 = 6;
/// Largest possible registry key (14 nines).
pub const MAX_KEY: u64 = 99_999_999_999_999;
const SNR_MOD: u64 = 1_000_000;

/// How an input value was classified. The first three are well-formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum ImeiClass {
    /// 14 digits: TAC + SNR without check digit.
    Imei14 = 0,
    /// 15 digits with a correct Luhn check digit.
    Imei15 = 1,
    /// 16 digits: IMEISV (TAC + SNR + 2-digit software version).
    ImeiSv = 2,
    /// Empty after trimming whitespace (or a missing field).
    Empty = 3,
    /// Only decimal digits, but not 14, 15 or 16 of them.
    WrongLength = 4,
    /// Hexadecimal characters (A-F), e.g. a MEID or an ESN, not an IMEI.
    Hexadecimal = 5,
    /// Other non-digit characters.
    NonDigit = 6,
    /// The 14-digit body is all zeros.
    AllZeros = 7,
    /// The 14-digit body is one digit repeated (e.g. 11111111111111).
    RepeatedDigit = 8,
    /// 15 digits whose last digit is not the Luhn check digit of the body.
    CheckDigitMismatch = 9,
}

impl ImeiClass {
    /// Every class, in code order.
    pub const ALL: [ImeiClass; 10] = [
        ImeiClass::Imei14,
        ImeiClass::Imei15,
        ImeiClass::ImeiSv,
        ImeiClass::Empty,
        ImeiClass::WrongLength,
        ImeiClass::Hexadecimal,
        ImeiClass::NonDigit,
        ImeiClass::AllZeros,
        ImeiClass::RepeatedDigit,
        ImeiClass::CheckDigitMismatch,
    ];

    /// Whether the value is a well-formed IMEI (14, 15 or 16 digits, checks passed).
    pub fn is_well_formed(self) -> bool {
        matches!(
            self,
            ImeiClass::Imei14 | ImeiClass::Imei15 | ImeiClass::ImeiSv
        )
    }

    /// Stable machine name used in outputs (`imei14`, `check_digit_mismatch`, …).
    pub fn name(self) -> &'static str {
        match self {
            ImeiClass::Imei14 => "imei14",
            ImeiClass::Imei15 => "imei15",
            ImeiClass::ImeiSv => "imeisv16",
            ImeiClass::Empty => "empty",
            ImeiClass::WrongLength => "wrong_length",
            ImeiClass::Hexadecimal => "hexadecimal",
            ImeiClass::NonDigit => "non_digit",
            ImeiClass::AllZeros => "all_zeros",
            ImeiClass::RepeatedDigit => "repeated_digit",
            ImeiClass::CheckDigitMismatch => "check_digit_mismatch",
        }
    }

    /// Plain-language explanation of the class.
    pub fn description(self) -> &'static str {
        match self {
            ImeiClass::Imei14 => "14-digit IMEI (TAC + serial, no check digit)",
            ImeiClass::Imei15 => "15-digit IMEI with a correct check digit",
            ImeiClass::ImeiSv => "16-digit IMEISV (TAC + serial + software version)",
            ImeiClass::Empty => "the value is empty",
            ImeiClass::WrongLength => "wrong length: an IMEI has 14, 15 or 16 digits",
            ImeiClass::Hexadecimal => {
                "hexadecimal characters: this looks like a MEID/ESN, not an IMEI"
            }
            ImeiClass::NonDigit => "characters other than decimal digits",
            ImeiClass::AllZeros => "all zeros: not an allocated IMEI",
            ImeiClass::RepeatedDigit => "a single repeated digit: not an allocated IMEI",
            ImeiClass::CheckDigitMismatch => {
                "the check digit does not match (Luhn, 3GPP TS 23.003 annex B)"
            }
        }
    }
}

impl fmt::Display for ImeiClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The result of classifying one input value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    /// The class of the value.
    pub class: ImeiClass,
    /// The 14-digit body as an integer (TAC × 10⁶ + SNR); `None` when malformed.
    pub key: Option<u64>,
    /// `Some(true|false)` for 15-digit input, `None` when no check digit was given.
    pub check_digit_ok: Option<bool>,
    /// The IMEISV software version number (16-digit input only).
    pub software_version: Option<u8>,
}

impl Parsed {
    /// Whether the value is well-formed.
    pub fn is_well_formed(&self) -> bool {
        self.class.is_well_formed()
    }

    /// The TAC of a well-formed value.
    pub fn tac(&self) -> Option<u32> {
        self.key.map(tac_of)
    }

    fn malformed(class: ImeiClass) -> Parsed {
        Parsed {
            class,
            key: None,
            check_digit_ok: None,
            software_version: None,
        }
    }
}

/// The TAC (first 8 digits) of a registry key.
#[inline]
pub fn tac_of(key: u64) -> u32 {
    (key / SNR_MOD) as u32
}

/// The SNR (serial number, 6 digits) of a registry key.
#[inline]
pub fn snr_of(key: u64) -> u32 {
    (key % SNR_MOD) as u32
}

/// The Luhn check digit of a 14-digit body (3GPP TS 23.003 annex B): from the
/// right, every second digit starting with the last body digit is doubled.
///
/// ```
/// assert_eq!(imei_core::identity::check_digit(26053179311383), 7);
/// ```
#[inline]
pub fn check_digit(key: u64) -> u8 {
    let mut k = key;
    let mut sum = 0u32;
    let mut double = true;
    for _ in 0..(TAC_DIGITS + SNR_DIGITS) {
        let d = (k % 10) as u32;
        k /= 10;
        sum += if double {
            let dd = d * 2;
            dd / 10 + dd % 10
        } else {
            d
        };
        double = !double;
    }
    ((10 - sum % 10) % 10) as u8
}

/// Formats a key as the 15-digit IMEI (body + check digit).
pub fn format_imei15(key: u64) -> String {
    format!("{key:014}{}", check_digit(key))
}

/// Formats a key as the 14-digit body.
pub fn format_key(key: u64) -> String {
    format!("{key:014}")
}

/// Classifies an input string (surrounding whitespace is ignored).
///
/// ```
/// use imei_core::identity::{classify, ImeiClass};
/// let p = classify(" 260531793113837 ");
/// assert_eq!(p.class, ImeiClass::Imei15);
/// assert_eq!(p.key, Some(26053179311383));
/// assert_eq!(classify("26053179311384").class, ImeiClass::Imei14);
/// assert_eq!(classify("260531793113838").class, ImeiClass::CheckDigitMismatch);
/// ```
#[inline]
pub fn classify(input: &str) -> Parsed {
    classify_bytes(input.as_bytes())
}

/// Classifies raw bytes (surrounding ASCII whitespace is ignored).
#[inline]
pub fn classify_bytes(input: &[u8]) -> Parsed {
    let v = input.trim_ascii();
    if v.is_empty() {
        return Parsed::malformed(ImeiClass::Empty);
    }
    let mut value: u64 = 0;
    let mut all_digits = true;
    let mut all_hex = true;
    for &b in v {
        if b.is_ascii_digit() {
            // Wrapping is fine: the value is only used when the length is ≤ 16.
            value = value.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
        } else {
            all_digits = false;
            if !b.is_ascii_hexdigit() {
                all_hex = false;
            }
        }
    }
    if !all_digits {
        return Parsed::malformed(if all_hex {
            ImeiClass::Hexadecimal
        } else {
            ImeiClass::NonDigit
        });
    }
    let (key, check, svn) = match v.len() {
        14 => (value, None, None),
        15 => (value / 10, Some((value % 10) as u8), None),
        16 => (value / 100, None, Some((value % 100) as u8)),
        _ => return Parsed::malformed(ImeiClass::WrongLength),
    };
    if key == 0 {
        return Parsed::malformed(ImeiClass::AllZeros);
    }
    if is_repeated_digit(key) {
        return Parsed::malformed(ImeiClass::RepeatedDigit);
    }
    match check {
        Some(c) if c != check_digit(key) => Parsed {
            class: ImeiClass::CheckDigitMismatch,
            key: None,
            check_digit_ok: Some(false),
            software_version: None,
        },
        Some(_) => Parsed {
            class: ImeiClass::Imei15,
            key: Some(key),
            check_digit_ok: Some(true),
            software_version: None,
        },
        None if svn.is_some() => Parsed {
            class: ImeiClass::ImeiSv,
            key: Some(key),
            check_digit_ok: None,
            software_version: svn,
        },
        None => Parsed {
            class: ImeiClass::Imei14,
            key: Some(key),
            check_digit_ok: None,
            software_version: None,
        },
    }
}

/// Whether the 14-digit body is a single digit repeated 14 times.
#[inline]
fn is_repeated_digit(key: u64) -> bool {
    // 11111111111111 × d for d in 1..=9.
    const ONES: u64 = 11_111_111_111_111;
    key.is_multiple_of(ONES) && key / ONES <= 9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ts_23_003_example() {
        assert_eq!(check_digit(26_053_179_311_383), 7);
        assert_eq!(format_imei15(26_053_179_311_383), "260531793113837");
    }

    #[test]
    fn repeated_digits() {
        assert!(is_repeated_digit(11_111_111_111_111));
        assert!(is_repeated_digit(99_999_999_999_999));
        assert!(!is_repeated_digit(11_111_111_111_112));
    }
}
