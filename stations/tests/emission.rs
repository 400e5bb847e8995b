//! Emission designators (ITU RR Appendix 1, edition 2020): the test vectors of
//! `/work/shared/data/interference/README.md` § 5, every error class, and
//! property tests of the bandwidth code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use stations::emission::{
    Emission, EmissionClass, EmissionError, ErrorKind, Information, Modulation, Multiplexing,
    SignalDetails, SignalNature,
};

/// Appendix 1 examples: bandwidth in millihertz, code.
const TABLE: &[(u64, &str)] = &[
    (2, "H002"),
    (100, "H100"),
    (25_300, "25H3"),
    (400_000, "400H"),
    (2_400_000, "2K40"),
    (6_000_000, "6K00"),
    (12_500_000, "12K5"),
    (180_400_000, "180K"),
    (180_500_000, "181K"),
    (180_700_000, "181K"),
    (1_250_000_000, "1M25"),
    (2_000_000_000, "2M00"),
    (10_000_000_000, "10M0"),
    (202_000_000_000, "202M"),
    (5_650_000_000_000, "5G65"),
];

/// The same examples in hertz, as a user would give them.
const TABLE_HZ: &[(f64, &str)] = &[
    (0.002, "H002"),
    (0.1, "H100"),
    (25.3, "25H3"),
    (400.0, "400H"),
    (2.4e3, "2K40"),
    (6e3, "6K00"),
    (12.5e3, "12K5"),
    (180.4e3, "180K"),
    (180.5e3, "181K"),
    (180.7e3, "181K"),
    (1.25e6, "1M25"),
    (2e6, "2M00"),
    (10e6, "10M0"),
    (202e6, "202M"),
    (5.65e9, "5G65"),
];

#[test]
fn appendix_table_value_to_code() {
    for &(millihz, code) in TABLE {
        let e = Emission::from_bandwidth_millihz(millihz).unwrap();
        assert_eq!(e.bandwidth_code(), code, "{millihz} mHz");
        assert_eq!(e.to_string(), code);
        assert!(e.class().is_none());
    }
    for &(hz, code) in TABLE_HZ {
        assert_eq!(
            Emission::from_bandwidth_hz(hz).unwrap().bandwidth_code(),
            code,
            "{hz} Hz"
        );
    }
}

#[test]
fn appendix_table_code_to_value() {
    for &(millihz, code) in TABLE {
        let e = Emission::parse(code).unwrap();
        let expected = match code {
            "180K" => 180_000_000,
            "181K" => 181_000_000,
            _ => millihz,
        };
        assert_eq!(e.bandwidth_millihz(), expected, "{code}");
        assert_eq!(e.bandwidth_hz(), expected as f64 / 1000.0);
        assert_eq!(e.to_string(), code, "round trip of {code}");
        assert_eq!(e.class(), None);
    }
    assert_eq!(Emission::parse("180K").unwrap().bandwidth_hz(), 180_000.0);
    assert_eq!(Emission::parse("181K").unwrap().bandwidth_hz(), 181_000.0);
}

#[test]
fn range_limits() {
    assert_eq!(
        Emission::from_bandwidth_millihz(1)
            .unwrap()
            .bandwidth_code(),
        "H001"
    );
    assert_eq!(
        Emission::from_bandwidth_millihz(999)
            .unwrap()
            .bandwidth_code(),
        "H999"
    );
    assert_eq!(
        Emission::from_bandwidth_millihz(1_000)
            .unwrap()
            .bandwidth_code(),
        "1H00"
    );
    assert_eq!(
        Emission::from_bandwidth_millihz(999_499)
            .unwrap()
            .bandwidth_code(),
        "999H"
    );
    assert_eq!(
        Emission::from_bandwidth_millihz(999_500)
            .unwrap()
            .bandwidth_code(),
        "1K00"
    );
    assert_eq!(
        Emission::from_bandwidth_hz(999e9).unwrap().bandwidth_code(),
        "999G"
    );
    assert_eq!(
        Emission::from_bandwidth_hz(0.001).unwrap().bandwidth_code(),
        "H001"
    );
    for hz in [
        0.0,
        0.000_9,
        -1.0,
        1e12,
        999.5e9,
        2e12,
        f64::NAN,
        f64::INFINITY,
    ] {
        let err = Emission::from_bandwidth_hz(hz).unwrap_err();
        assert!(matches!(err, EmissionError::OutOfRange { .. }), "{hz}");
    }
    for millihz in [0, 999_500_000_000_000, 1_000_000_000_000_000, u64::MAX] {
        let err = Emission::from_bandwidth_millihz(millihz).unwrap_err();
        assert!(matches!(err, EmissionError::OutOfRange { .. }), "{millihz}");
    }
    assert!(
        Emission::from_bandwidth_millihz(0)
            .unwrap_err()
            .to_string()
            .contains("0.000 Hz")
    );
}

/// Well-formed designators with their bandwidth and symbols.
#[test]
fn well_formed_designators() {
    use Information as I;
    use Modulation as M;
    use SignalNature as S;
    let cases: &[(&str, u64, M, S, I)] = &[
        (
            "16K0F3E",
            16_000_000,
            M::Frequency,
            S::SingleAnalogue,
            I::Telephony,
        ),
        (
            "11K2F3E",
            11_200_000,
            M::Frequency,
            S::SingleAnalogue,
            I::Telephony,
        ),
        (
            "2K70J3E",
            2_700_000,
            M::SingleSidebandSuppressedCarrier,
            S::SingleAnalogue,
            I::Telephony,
        ),
        (
            "100HA1A",
            100_000,
            M::DoubleSideband,
            S::SingleDigital,
            I::AuralTelegraphy,
        ),
        (
            "6K00A3E",
            6_000_000,
            M::DoubleSideband,
            S::SingleAnalogue,
            I::Telephony,
        ),
        (
            "8K10F1E",
            8_100_000,
            M::Frequency,
            S::SingleDigital,
            I::Telephony,
        ),
        (
            "5M00G7W",
            5_000_000_000,
            M::Phase,
            S::MultipleDigital,
            I::Combination,
        ),
    ];
    for &(text, millihz, modulation, signal, information) in cases {
        let e = Emission::parse(text).unwrap();
        assert_eq!(e.bandwidth_millihz(), millihz, "{text}");
        let class = e.class().unwrap();
        assert_eq!(
            *class,
            EmissionClass::new(modulation, signal, information),
            "{text}"
        );
        assert_eq!(e.to_string(), text);
        assert_eq!(text.parse::<Emission>().unwrap(), e);
    }
    let e = Emission::parse("16K0F3E").unwrap();
    assert_eq!(e.bandwidth_hz(), 16_000.0);
    let class = e.class().unwrap();
    assert_eq!(class.modulation.description(), "frequency modulation");
    assert_eq!(
        class.signal.description(),
        "a single channel containing analogue information"
    );
    assert_eq!(
        class.information.description(),
        "telephony (including sound broadcasting)"
    );
    assert_eq!(
        class.description(),
        "frequency modulation; a single channel containing analogue information; \
         telephony (including sound broadcasting)"
    );
    let class = *Emission::parse("2K70J3E").unwrap().class().unwrap();
    assert_eq!(
        class.modulation.description(),
        "amplitude modulation, single sideband, suppressed carrier"
    );
    let class = *Emission::parse("5M00G7W").unwrap().class().unwrap();
    assert_eq!(class.modulation.description(), "phase modulation");
    assert_eq!(
        class.signal.description(),
        "two or more channels containing quantized or digital information"
    );
    assert_eq!(class.information.description(), "combination of the above");
    let class = *Emission::parse("100HA1A").unwrap().class().unwrap();
    assert_eq!(
        class.information.description(),
        "telegraphy, for aural reception"
    );
}

#[test]
fn optional_symbols_case_and_whitespace() {
    let e = Emission::parse("25K0G7WDT").unwrap();
    let class = e.class().unwrap();
    assert_eq!(class.details, Some(SignalDetails::FourCondition));
    assert_eq!(class.multiplexing, Some(Multiplexing::TimeDivision));
    assert_eq!(e.to_string(), "25K0G7WDT");
    let e = Emission::parse("180KF8EHF").unwrap();
    assert_eq!(
        e.class().unwrap().details,
        Some(SignalDetails::BroadcastStereophonic)
    );
    assert_eq!(e.to_string(), "180KF8EHF");
    assert_eq!(Emission::parse("16K0F3EJ").unwrap().to_string(), "16K0F3EJ");
    // A dash stands for an unused optional symbol; trailing dashes are dropped.
    let e = Emission::parse("16K0F3E-N").unwrap();
    assert_eq!(e.class().unwrap().details, None);
    assert_eq!(
        e.class().unwrap().multiplexing,
        Some(Multiplexing::NoMultiplexing)
    );
    assert_eq!(e.to_string(), "16K0F3E-N");
    assert_eq!(Emission::parse("16K0F3E--").unwrap().to_string(), "16K0F3E");
    // Lower case and surrounding whitespace.
    assert_eq!(
        Emission::parse(" 16k0f3e\t").unwrap().to_string(),
        "16K0F3E"
    );
    assert_eq!(Emission::parse("h002").unwrap().bandwidth_millihz(), 2);
    // A unit letter in fifth position is a modulation (K: pulses in amplitude).
    let e = Emission::parse("12K5K1A").unwrap();
    assert_eq!(e.class().unwrap().modulation, Modulation::PulseAmplitude);
    // Building a designator.
    let class = EmissionClass {
        details: None,
        multiplexing: Some(Multiplexing::FrequencyDivision),
        ..EmissionClass::new(
            Modulation::Frequency,
            SignalNature::MultipleAnalogue,
            Information::Telephony,
        )
    };
    let e = Emission::from_bandwidth_hz(3e6).unwrap().with_class(class);
    assert_eq!(e.to_string(), "3M00F8E-F");
    assert_eq!(Emission::parse(&e.to_string()).unwrap(), e);
}

#[test]
fn symbols_are_consistent() {
    fn check<T: Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        symbol: fn(T) -> char,
        from: fn(char) -> Option<T>,
        description: fn(T) -> &'static str,
        expected: &str,
    ) {
        let symbols: String = all.iter().map(|&v| symbol(v)).collect();
        assert_eq!(symbols, expected);
        for &v in all {
            assert_eq!(from(symbol(v)), Some(v));
            assert!(!description(v).is_empty());
        }
        assert_eq!(from('Z'), None);
    }
    check(
        Modulation::ALL,
        Modulation::symbol,
        Modulation::from_symbol,
        Modulation::description,
        "NAHRJBCFGDPKLMQVWX",
    );
    check(
        SignalNature::ALL,
        SignalNature::symbol,
        SignalNature::from_symbol,
        SignalNature::description,
        "0123789X",
    );
    check(
        Information::ALL,
        Information::symbol,
        Information::from_symbol,
        Information::description,
        "NABCDEFWX",
    );
    check(
        SignalDetails::ALL,
        SignalDetails::symbol,
        SignalDetails::from_symbol,
        SignalDetails::description,
        "ABCDEFGHJKLMNWX",
    );
    check(
        Multiplexing::ALL,
        Multiplexing::symbol,
        Multiplexing::from_symbol,
        Multiplexing::description,
        "NCFTWX",
    );
}

/// Every error class: input, 1-based position, kind, symbol found.
#[test]
fn rejected_designators() {
    use ErrorKind as K;
    let cases: &[(&str, usize, ErrorKind, Option<char>)] = &[
        ("12K", 4, K::CodeTooShort, None),
        ("1", 2, K::CodeTooShort, None),
        ("0K50", 1, K::LeadingZero, Some('0')),
        ("0K50F3E", 1, K::LeadingZero, Some('0')),
        ("K500", 1, K::LeadingUnit, Some('K')),
        ("M500", 1, K::LeadingUnit, Some('M')),
        ("G500F3E", 1, K::LeadingUnit, Some('G')),
        ("X500", 1, K::NotDigit, Some('X')),
        ("1.5K", 2, K::NotDigit, Some('.')),
        ("12 K5", 3, K::NotDigit, Some(' ')),
        ("1K2K", 4, K::SecondUnit, Some('K')),
        ("H1K0", 3, K::SecondUnit, Some('K')),
        ("1600", 4, K::NoUnit, Some('0')),
        ("16000F3E", 4, K::NoUnit, Some('0')),
        ("H000", 4, K::ZeroBandwidth, Some('0')),
        ("16K00F3E", 5, K::CodeTooLong, Some('0')),
        ("2K400J3E", 5, K::CodeTooLong, Some('0')),
        ("16K0Z3E", 5, K::BadModulation, Some('Z')),
        ("16K0E3E", 5, K::BadModulation, Some('E')),
        ("16K0F4E", 6, K::BadSignal, Some('4')),
        ("16K0FAE", 6, K::BadSignal, Some('A')),
        ("16K0F3Z", 7, K::BadInformation, Some('Z')),
        ("16K0F3E3", 8, K::BadDetails, Some('3')),
        ("16K0F3EI", 8, K::BadDetails, Some('I')),
        ("16K0F3EJA", 9, K::BadMultiplexing, Some('A')),
        ("16K0F", 6, K::ClassTooShort, None),
        ("16K0Z", 5, K::BadModulation, Some('Z')),
        ("16K0F5", 6, K::BadSignal, Some('5')),
        ("16K0F3", 7, K::ClassTooShort, None),
        ("16K0F3EJNX", 10, K::ClassTooLong, Some('X')),
    ];
    for &(text, position, kind, found) in cases {
        let err = Emission::parse(text).unwrap_err();
        assert_eq!(err.kind(), Some(kind), "{text}: {err}");
        assert_eq!(err.position(), Some(position), "{text}: {err}");
        let EmissionError::Symbol {
            designator,
            found: f,
            expected,
            ..
        } = &err
        else {
            panic!("{text}: {err:?}");
        };
        assert_eq!(designator, text);
        assert_eq!(*f, found, "{text}");
        assert!(!expected.is_empty());
        let message = err.to_string();
        assert!(
            message.contains(&format!("position {position}")),
            "{message}"
        );
        assert!(message.contains("expected"), "{message}");
    }
    assert_eq!(Emission::parse("").unwrap_err(), EmissionError::Empty);
    assert_eq!(Emission::parse("  ").unwrap_err(), EmissionError::Empty);
    let message = Emission::parse("0K50").unwrap_err().to_string();
    assert!(message.contains("found '0'"), "{message}");
    let message = Emission::parse("16K0F").unwrap_err().to_string();
    assert!(message.contains("end of the designator"), "{message}");
    assert!(
        message.contains("nature of the modulating signal"),
        "{message}"
    );
}

/// A valid code: first character 1-9 (or H with three digits), one unit letter.
fn valid_code() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..1000).prop_map(|n| format!("H{n:03}")),
        (0usize..3, 100u32..1000, 0usize..4).prop_map(|(dot, n, unit)| {
            let digits = n.to_string();
            let letter = ['H', 'K', 'M', 'G'][unit];
            format!("{}{letter}{}", &digits[..dot + 1], &digits[dot + 1..])
        }),
    ]
}

fn valid_class() -> impl Strategy<Value = String> {
    (
        prop::sample::select(Modulation::ALL),
        prop::sample::select(SignalNature::ALL),
        prop::sample::select(Information::ALL),
        prop::option::of(prop::sample::select(SignalDetails::ALL)),
        prop::option::of(prop::sample::select(Multiplexing::ALL)),
    )
        .prop_map(|(m, s, i, d, x)| {
            let mut out = format!("{m}{s}{i}");
            match (d, x) {
                (Some(d), Some(x)) => out.push_str(&format!("{d}{x}")),
                (Some(d), None) => out.push(d.symbol()),
                (None, Some(x)) => out.push_str(&format!("-{x}")),
                (None, None) => {}
            }
            out
        })
}

/// One unit of the third significant figure (1 mHz below 1 Hz), in millihertz.
fn unit_of(millihz: u64) -> u64 {
    if millihz < 1000 {
        1
    } else {
        10u64.pow(millihz.ilog10() - 2)
    }
}

proptest! {
    #[test]
    fn any_valid_code_round_trips(code in valid_code()) {
        let e = Emission::parse(&code).unwrap();
        prop_assert_eq!(e.bandwidth_code(), code.clone());
        prop_assert_eq!(e.to_string(), code.clone());
        let again = Emission::from_bandwidth_millihz(e.bandwidth_millihz()).unwrap();
        prop_assert_eq!(again.bandwidth_code(), code.clone());
        prop_assert_eq!(Emission::parse(&code.to_lowercase()).unwrap(), e);
    }

    #[test]
    fn any_valid_designator_round_trips(code in valid_code(), class in valid_class()) {
        let text = format!("{code}{class}");
        let e = Emission::parse(&text).unwrap();
        prop_assert!(e.class().is_some());
        prop_assert_eq!(e.to_string(), text);
    }

    #[test]
    fn millihertz_rounds_within_half_a_unit(millihz in 1u64..999_500_000_000_000) {
        let e = Emission::from_bandwidth_millihz(millihz).unwrap();
        let value = e.bandwidth_millihz();
        let unit = unit_of(millihz);
        // |value - x| <= unit / 2, a half going up.
        prop_assert!(2 * value.abs_diff(millihz) <= unit, "{} -> {}", millihz, value);
        prop_assert!(value >= millihz || 2 * (millihz - value) < unit);
        let code = e.bandwidth_code();
        prop_assert_eq!(code.len(), 4);
        prop_assert_eq!(Emission::parse(&code).unwrap().bandwidth_millihz(), value);
    }

    #[test]
    fn hertz_rounds_within_half_a_unit(hz in 0.001f64..999.4e9) {
        let e = Emission::from_bandwidth_hz(hz).unwrap();
        let value = e.bandwidth_hz();
        let unit = unit_of((hz * 1000.0).round() as u64) as f64 / 1000.0;
        // Half a unit, plus the rounding to the millihertz first.
        prop_assert!((value - hz).abs() <= unit / 2.0 + 0.0005 + hz * 1e-15, "{} -> {}", hz, value);
        let code = e.bandwidth_code();
        prop_assert_eq!(Emission::parse(&code).unwrap(), e);
    }
}
