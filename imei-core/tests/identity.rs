//! IMEI identity vectors (3GPP TS 23.003) and Luhn property tests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use imei_core::identity::{ImeiClass, check_digit, classify, format_imei15, tac_of};
use proptest::prelude::*;

#[test]
fn ts_23_003_example_vector() {
    let p = classify("260531793113837");
    assert_eq!(p.class, ImeiClass::Imei15);
    assert_eq!(p.key, Some(26_053_179_311_383));
    assert_eq!(p.check_digit_ok, Some(true));
    assert_eq!(tac_of(26_053_179_311_383), 26_053_179);
}

#[test]
fn each_class() {
    let cases = [
        ("26053179311383", ImeiClass::Imei14),
        (" 260531793113837\t", ImeiClass::Imei15),
        ("2605317931138301", ImeiClass::ImeiSv),
        ("", ImeiClass::Empty),
        ("   ", ImeiClass::Empty),
        ("2605317931138", ImeiClass::WrongLength),
        ("26053179311383712", ImeiClass::WrongLength),
        ("A0000012345678", ImeiClass::Hexadecimal),
        ("2605317931138X", ImeiClass::NonDigit),
        ("26053179 311383", ImeiClass::NonDigit),
        ("-26053179311383", ImeiClass::NonDigit),
        ("000000000000000", ImeiClass::AllZeros),
        ("00000000000000", ImeiClass::AllZeros),
        ("111111111111111", ImeiClass::RepeatedDigit),
        ("9999999999999999", ImeiClass::RepeatedDigit),
        ("260531793113838", ImeiClass::CheckDigitMismatch),
    ];
    for (input, class) in cases {
        let p = classify(input);
        assert_eq!(p.class, class, "input {input:?}");
        assert_eq!(p.is_well_formed(), p.key.is_some(), "input {input:?}");
    }
    let sv = classify("2605317931138301");
    assert_eq!((sv.software_version, sv.check_digit_ok), (Some(1), None));
    assert_eq!(classify("260531793113838").check_digit_ok, Some(false));
}

proptest! {
    #[test]
    fn luhn_appended_digit_always_verifies(body in 1u64..99_999_999_999_999) {
        let s = format_imei15(body);
        prop_assert_eq!(s.len(), 15);
        let p = classify(&s);
        // Repeated-digit bodies are rejected before the check digit.
        prop_assume!(p.class != ImeiClass::RepeatedDigit);
        prop_assert_eq!(p.class, ImeiClass::Imei15);
        prop_assert_eq!(p.key, Some(body));
    }

    #[test]
    fn luhn_detects_every_single_digit_error(body in 10_000_000_000_000u64..99_999_999_999_999, pos in 0usize..15, delta in 1u8..10) {
        let mut s = format_imei15(body).into_bytes();
        s[pos] = b'0' + (s[pos] - b'0' + delta) % 10;
        let t = String::from_utf8(s).unwrap();
        let p = classify(&t);
        prop_assert!(p.class == ImeiClass::CheckDigitMismatch || p.class == ImeiClass::RepeatedDigit || p.class == ImeiClass::AllZeros, "{} -> {:?}", t, p.class);
    }

    #[test]
    fn luhn_detects_adjacent_transpositions(body in 10_000_000_000_000u64..99_999_999_999_999, pos in 0usize..14) {
        let mut s = format_imei15(body).into_bytes();
        let (a, b) = (s[pos], s[pos + 1]);
        // Luhn misses only the 0↔9 transposition.
        prop_assume!(a != b && !((a == b'0' && b == b'9') || (a == b'9' && b == b'0')));
        s.swap(pos, pos + 1);
        let p = classify(std::str::from_utf8(&s).unwrap());
        prop_assert_ne!(p.class, ImeiClass::Imei15);
    }

    #[test]
    fn check_digit_is_a_digit_and_sum_is_zero_mod_10(body in 0u64..=99_999_999_999_999) {
        let c = check_digit(body);
        prop_assert!(c < 10);
        // Luhn sum over all 15 digits (check digit undoubled) ≡ 0 (mod 10).
        let digits: Vec<u32> = format!("{body:014}{c}").bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = digits.iter().rev().enumerate().map(|(i, &d)| if i % 2 == 1 { let x = d * 2; x / 10 + x % 10 } else { d }).sum();
        prop_assert_eq!(sum % 10, 0);
    }

    #[test]
    fn arbitrary_text_never_panics_and_keeps_invariants(s in "\\PC{0,20}") {
        let p = classify(&s);
        prop_assert_eq!(p.is_well_formed(), p.key.is_some());
        if let Some(k) = p.key { prop_assert!(k <= 99_999_999_999_999); }
    }
}
