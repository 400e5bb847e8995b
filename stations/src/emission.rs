//! Emission designators of the ITU Radio Regulations, Appendix 1
//! "Classification of emissions and necessary bandwidths" (edition 2020).
//!
//! A designator is the necessary bandwidth in four characters (§ 1: three
//! numerals and a unit letter H, K, M or G standing in place of the decimal
//! point, for 0.001–999 Hz, 1.00–999 kHz, 1.00–999 MHz and 1.00–999 GHz),
//! followed by the class of emission (§ 2 to § 4): three mandatory symbols
//! ([`Modulation`] of the main carrier, [`SignalNature`] of the modulating
//! signal, type of [`Information`]) and up to two optional ones
//! ([`SignalDetails`], [`Multiplexing`]).
//!
//! Parsing rules ([`Emission::parse`]):
//! - surrounding ASCII whitespace is ignored and lower-case letters are
//!   accepted as if upper-case (`16k0f3e` reads as `16K0F3E`);
//! - the code is exactly four characters with exactly one unit letter; its
//!   first character is neither `0` nor `K`, `M` or `G` (`H` may lead:
//!   `H002` is 0.002 Hz); a digit in fifth position means too long a code;
//! - the class is absent (a bare code such as `12K5`), or has three, four or
//!   five symbols; a dash `-` may stand for an unused optional symbol
//!   (`16K0F3E-N`), the canonical form writes it only before a fifth symbol.
//!
//! Every refusal is an [`EmissionError`] naming the 1-based position, what
//! was expected there and what was found. The bandwidth is kept exactly as
//! integer millihertz; formatting rounds to three significant figures, a
//! half rounding up (180.5 kHz gives `181K`).
//!
//! ```
//! use stations::emission::{Emission, Modulation};
//! let e = Emission::parse("16K0F3E")?;
//! assert_eq!(e.bandwidth_millihz(), 16_000_000);
//! assert_eq!(e.class().map(|c| c.modulation), Some(Modulation::Frequency));
//! assert_eq!(e.to_string(), "16K0F3E");
//! assert_eq!(Emission::from_bandwidth_hz(180_500.0)?.bandwidth_code(), "181K");
//! # Ok::<(), stations::emission::EmissionError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use thiserror::Error;

/// Millihertz in one hertz, kilohertz, megahertz and gigahertz, with the
/// unit letter of each, largest first.
const UNITS: [(u64, char); 4] = [
    (1_000_000_000_000, 'G'),
    (1_000_000_000, 'M'),
    (1_000_000, 'K'),
    (1_000, 'H'),
];

/// Upper bound (exclusive) of a necessary bandwidth: 1000 GHz in millihertz.
const MAX_MILLIHZ: u64 = 1_000_000_000_000_000;

/// Which rule a designator broke (the class of an [`EmissionError::Symbol`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ErrorKind {
    /// Fewer than four characters: the bandwidth code is incomplete.
    CodeTooShort,
    /// The first character is `0` (`0K50`).
    LeadingZero,
    /// The first character is `K`, `M` or `G` (`K500`).
    LeadingUnit,
    /// A character of the code is neither a digit nor a unit letter.
    NotDigit,
    /// A second unit letter in the code (`1K2K`).
    SecondUnit,
    /// No unit letter in the first four characters (`1600`).
    NoUnit,
    /// `H000`: a bandwidth below 0.001 Hz.
    ZeroBandwidth,
    /// A digit right after the four-character code (`16K00F3E`).
    CodeTooLong,
    /// The 1st class symbol is not a modulation of the main carrier.
    BadModulation,
    /// The 2nd class symbol is not a nature of the modulating signal.
    BadSignal,
    /// The 3rd class symbol is not a type of information.
    BadInformation,
    /// The optional 4th class symbol is not a detail of signal.
    BadDetails,
    /// The optional 5th class symbol is not a nature of multiplexing.
    BadMultiplexing,
    /// The class stops before its three mandatory symbols.
    ClassTooShort,
    /// More than five class symbols.
    ClassTooLong,
}

impl ErrorKind {
    /// What was expected at `position` (1-based) when this rule was broken.
    fn expected(self, position: usize) -> &'static str {
        use ErrorKind as E;
        match self {
            E::CodeTooShort => "a four-character bandwidth code",
            E::LeadingZero | E::LeadingUnit | E::NotDigit if position == 1 => {
                "a digit 1-9 or H (the first character shall be neither 0 nor K, M or G)"
            }
            E::NotDigit | E::LeadingZero | E::LeadingUnit => {
                "a digit or a unit letter (H, K, M or G)"
            }
            E::SecondUnit => "a digit (the code has one unit letter)",
            E::NoUnit => "a unit letter (H, K, M or G) within the first four characters",
            E::ZeroBandwidth => "a bandwidth of at least 0.001 Hz (H001)",
            E::CodeTooLong => "a class of emission after a four-character bandwidth code",
            E::BadModulation => Modulation::EXPECTED,
            E::BadSignal => SignalNature::EXPECTED,
            E::ClassTooShort if position <= 6 => SignalNature::EXPECTED,
            E::BadInformation | E::ClassTooShort => Information::EXPECTED,
            E::BadDetails => SignalDetails::EXPECTED,
            E::BadMultiplexing => Multiplexing::EXPECTED,
            E::ClassTooLong => "the end of the designator (at most five class symbols)",
        }
    }
}

/// Why a designator or a bandwidth was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmissionError {
    /// Nothing but whitespace was given.
    #[error("empty emission designator")]
    Empty,
    /// Something was wrong at a position of the designator.
    #[error(
        "emission designator {designator:?}: at position {position}, expected {expected}, found {}",
        show_found(*.found)
    )]
    Symbol {
        /// The designator as given (trimmed).
        designator: String,
        /// 1-based character position in the trimmed designator.
        position: usize,
        /// Which rule was broken.
        kind: ErrorKind,
        /// What was expected there.
        expected: &'static str,
        /// The symbol found there, `None` at the end of the designator.
        found: Option<char>,
    },
    /// A bandwidth that no code can express (below 0.001 Hz, or 1000 GHz or
    /// more once rounded to three significant figures, or not a number).
    #[error("necessary bandwidth {hz} Hz is outside 0.001 Hz to 999 GHz (codes H001 to 999G)")]
    OutOfRange {
        /// The bandwidth as given, in hertz.
        hz: String,
    },
}

fn show_found(found: Option<char>) -> String {
    found.map_or_else(
        || "the end of the designator".to_owned(),
        |c| format!("{c:?}"),
    )
}

impl EmissionError {
    /// The rule broken, for [`EmissionError::Symbol`]; `None` otherwise.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            EmissionError::Symbol { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// The 1-based position, for [`EmissionError::Symbol`]; `None` otherwise.
    pub fn position(&self) -> Option<usize> {
        match self {
            EmissionError::Symbol { position, .. } => Some(*position),
            _ => None,
        }
    }
}

/// Defines one symbol enum of the class of emission.
macro_rules! symbol_enum {
    ($(#[$meta:meta])* $name:ident, $expected:literal, { $($var:ident = $sym:literal, $desc:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name {
            $(#[doc = concat!("`", $sym, "`: ", $desc, ".")] $var,)*
        }

        impl $name {
            /// Every value, in the order of Appendix 1.
            pub const ALL: &'static [$name] = &[$($name::$var),*];

            /// What the parser expects at this position (used in errors).
            pub const EXPECTED: &'static str = $expected;

            /// The symbol of Appendix 1.
            pub fn symbol(self) -> char {
                match self { $($name::$var => $sym,)* }
            }

            /// The meaning given by Appendix 1, in plain English.
            pub fn description(self) -> &'static str {
                match self { $($name::$var => $desc,)* }
            }

            /// The value for an (upper-case) symbol, `None` if not a symbol of
            /// this position.
            pub fn from_symbol(symbol: char) -> Option<Self> {
                match symbol { $($sym => Some($name::$var),)* _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.symbol())
            }
        }
    };
}

symbol_enum!(
    /// First symbol: type of modulation of the main carrier (Appendix 1, § 4.1).
    Modulation,
    "a modulation of the main carrier (N A H R J B C F G D P K L M Q V W X)",
    {
        Unmodulated = 'N', "emission of an unmodulated carrier";
        DoubleSideband = 'A', "amplitude modulation, double sideband";
        SingleSidebandFullCarrier = 'H', "amplitude modulation, single sideband, full carrier";
        SingleSidebandReducedCarrier = 'R', "amplitude modulation, single sideband, reduced or variable-level carrier";
        SingleSidebandSuppressedCarrier = 'J', "amplitude modulation, single sideband, suppressed carrier";
        IndependentSidebands = 'B', "amplitude modulation, independent sidebands";
        VestigialSideband = 'C', "amplitude modulation, vestigial sideband";
        Frequency = 'F', "frequency modulation";
        Phase = 'G', "phase modulation";
        AmplitudeAndAngle = 'D', "amplitude and angle modulation, simultaneously or in a pre-established sequence";
        UnmodulatedPulses = 'P', "sequence of unmodulated pulses";
        PulseAmplitude = 'K', "sequence of pulses modulated in amplitude";
        PulseWidth = 'L', "sequence of pulses modulated in width/duration";
        PulsePosition = 'M', "sequence of pulses modulated in position/phase";
        PulseAngleModulatedCarrier = 'Q', "sequence of pulses in which the carrier is angle-modulated during the pulse";
        PulseCombination = 'V', "sequence of pulses combining the foregoing or produced by other means";
        Combination = 'W', "combination of two or more of amplitude, angle and pulse modulation";
        Other = 'X', "cases not otherwise covered";
    }
);

symbol_enum!(
    /// Second symbol: nature of the signal(s) modulating the main carrier
    /// (Appendix 1, § 4.2).
    SignalNature,
    "a nature of the modulating signal (0 1 2 3 7 8 9 X)",
    {
        NoSignal = '0', "no modulating signal";
        SingleDigital = '1', "a single channel containing quantized or digital information without the use of a modulating sub-carrier";
        SingleDigitalSubcarrier = '2', "a single channel containing quantized or digital information with the use of a modulating sub-carrier";
        SingleAnalogue = '3', "a single channel containing analogue information";
        MultipleDigital = '7', "two or more channels containing quantized or digital information";
        MultipleAnalogue = '8', "two or more channels containing analogue information";
        Composite = '9', "composite system with one or more channels containing quantized or digital information, together with one or more channels containing analogue information";
        Other = 'X', "cases not otherwise covered";
    }
);

symbol_enum!(
    /// Third symbol: type of information to be transmitted (Appendix 1, § 4.3).
    Information,
    "a type of information (N A B C D E F W X)",
    {
        NoInformation = 'N', "no information transmitted";
        AuralTelegraphy = 'A', "telegraphy, for aural reception";
        AutomaticTelegraphy = 'B', "telegraphy, for automatic reception";
        Facsimile = 'C', "facsimile";
        Data = 'D', "data transmission, telemetry, telecommand";
        Telephony = 'E', "telephony (including sound broadcasting)";
        Television = 'F', "television (video)";
        Combination = 'W', "combination of the above";
        Other = 'X', "cases not otherwise covered";
    }
);

symbol_enum!(
    /// Optional fourth symbol: details of signal(s) (Appendix 1, § 4.4).
    SignalDetails,
    "details of signal (A B C D E F G H J K L M N W X) or -",
    {
        TwoConditionUnequal = 'A', "two-condition code with elements of differing numbers and/or durations";
        TwoConditionEqual = 'B', "two-condition code with elements of the same number and duration without error-correction";
        TwoConditionEqualCorrected = 'C', "two-condition code with elements of the same number and duration with error-correction";
        FourCondition = 'D', "four-condition code in which each condition represents a signal element (of one or more bits)";
        MultiCondition = 'E', "multi-condition code in which each condition represents a signal element (of one or more bits)";
        MultiConditionCharacter = 'F', "multi-condition code in which each condition or combination of conditions represents a character";
        BroadcastMonophonic = 'G', "sound of broadcasting quality (monophonic)";
        BroadcastStereophonic = 'H', "sound of broadcasting quality (stereophonic or quadraphonic)";
        Commercial = 'J', "sound of commercial quality (excluding categories K and L)";
        CommercialInverted = 'K', "sound of commercial quality with the use of frequency inversion or band-splitting";
        CommercialLevelControl = 'L', "sound of commercial quality with separate frequency-modulated signals to control the level of demodulated signal";
        Monochrome = 'M', "monochrome";
        Colour = 'N', "colour";
        Combination = 'W', "combination of the above";
        Other = 'X', "cases not otherwise covered";
    }
);

symbol_enum!(
    /// Optional fifth symbol: nature of multiplexing (Appendix 1, § 4.5).
    Multiplexing,
    "a nature of multiplexing (N C F T W X) or -",
    {
        NoMultiplexing = 'N', "none";
        CodeDivision = 'C', "code-division multiplex (including bandwidth expansion techniques)";
        FrequencyDivision = 'F', "frequency-division multiplex";
        TimeDivision = 'T', "time-division multiplex";
        FrequencyAndTimeDivision = 'W', "combination of frequency-division multiplex and time-division multiplex";
        Other = 'X', "other types of multiplexing";
    }
);

/// The class of emission: three mandatory symbols and two optional ones.
///
/// ```
/// use stations::emission::{EmissionClass, Information, Modulation, SignalNature};
/// let c = EmissionClass::new(Modulation::Frequency, SignalNature::SingleAnalogue, Information::Telephony);
/// assert_eq!(c.to_string(), "F3E");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct EmissionClass {
    /// 1st symbol: modulation of the main carrier.
    pub modulation: Modulation,
    /// 2nd symbol: nature of the modulating signal.
    pub signal: SignalNature,
    /// 3rd symbol: type of information.
    pub information: Information,
    /// Optional 4th symbol: details of signal.
    pub details: Option<SignalDetails>,
    /// Optional 5th symbol: nature of multiplexing (written after a dash
    /// when `details` is absent).
    pub multiplexing: Option<Multiplexing>,
}

impl EmissionClass {
    /// A class of the three mandatory symbols only.
    pub fn new(modulation: Modulation, signal: SignalNature, information: Information) -> Self {
        EmissionClass {
            modulation,
            signal,
            information,
            details: None,
            multiplexing: None,
        }
    }

    /// The meanings of the symbols present, joined by `"; "`.
    ///
    /// ```
    /// # use stations::emission::Emission;
    /// let e = Emission::parse("16K0F3E")?;
    /// let meaning = e.class().map(|c| c.description()).unwrap_or_default();
    /// assert!(meaning.starts_with("frequency modulation; a single channel containing analogue"));
    /// # Ok::<(), stations::emission::EmissionError>(())
    /// ```
    pub fn description(&self) -> String {
        let mut parts = vec![
            self.modulation.description(),
            self.signal.description(),
            self.information.description(),
        ];
        parts.extend(self.details.map(SignalDetails::description));
        parts.extend(self.multiplexing.map(|m| m.description()));
        parts.join("; ")
    }
}

impl fmt::Display for EmissionClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.modulation, self.signal, self.information)?;
        match (self.details, self.multiplexing) {
            (Some(d), Some(m)) => write!(f, "{d}{m}"),
            (Some(d), None) => write!(f, "{d}"),
            (None, Some(m)) => write!(f, "-{m}"),
            (None, None) => Ok(()),
        }
    }
}

/// A parsed emission designator: the necessary bandwidth (exact, in
/// millihertz, always a value some four-character code expresses) and the
/// class of emission, absent for a bare bandwidth code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Emission {
    bandwidth_millihz: u64,
    class: Option<EmissionClass>,
}

impl Emission {
    /// Parses a designator such as `16K0F3E` or a bare bandwidth code `12K5`.
    ///
    /// Surrounding whitespace is ignored and lower case is read as upper case;
    /// see the [module documentation](self) for the rules.
    ///
    /// ```
    /// use stations::emission::{Emission, ErrorKind};
    /// assert_eq!(Emission::parse("2k70j3e")?.to_string(), "2K70J3E");
    /// assert_eq!(Emission::parse("0K50").unwrap_err().kind(), Some(ErrorKind::LeadingZero));
    /// # Ok::<(), stations::emission::EmissionError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Emission, EmissionError> {
        use ErrorKind as E;
        let designator = text.trim();
        if designator.is_empty() {
            return Err(EmissionError::Empty);
        }
        let chars: Vec<char> = designator.chars().map(|c| c.to_ascii_uppercase()).collect();
        let err = |position: usize, kind: ErrorKind| EmissionError::Symbol {
            designator: designator.to_owned(),
            position,
            kind,
            expected: kind.expected(position),
            found: chars.get(position - 1).copied(),
        };

        // The bandwidth code: positions 1 to 4, one unit letter.
        let mut unit: Option<(usize, u64)> = None;
        let mut digits: u64 = 0;
        for (i, position) in (1..=4).enumerate() {
            let c = *chars.get(i).ok_or_else(|| err(position, E::CodeTooShort))?;
            match c {
                '0' if position == 1 => return Err(err(1, E::LeadingZero)),
                'K' | 'M' | 'G' if position == 1 => return Err(err(1, E::LeadingUnit)),
                '0'..='9' => digits = digits * 10 + u64::from(c) - u64::from('0'),
                _ => match UNITS.iter().find(|(_, letter)| *letter == c) {
                    Some(_) if unit.is_some() => return Err(err(position, E::SecondUnit)),
                    Some(&(scale, _)) => unit = Some((i, scale)),
                    None => return Err(err(position, E::NotDigit)),
                },
            }
        }
        let (before_unit, scale) = unit.ok_or_else(|| err(4, E::NoUnit))?;
        if digits == 0 {
            return Err(err(4, E::ZeroBandwidth));
        }
        // `digits` has 3 - before_unit decimals; scale >= 1000 makes this exact.
        let bandwidth_millihz = digits * scale / 10u64.pow(3 - before_unit as u32);
        let mut emission = Emission {
            bandwidth_millihz,
            class: None,
        };

        // The class: positions 5 to 9, the last two optional.
        match chars.get(4) {
            None => return Ok(emission),
            Some(c) if c.is_ascii_digit() => return Err(err(5, E::CodeTooLong)),
            Some(_) => {}
        }
        let symbol = |i: usize| {
            chars
                .get(i)
                .copied()
                .ok_or_else(|| err(i + 1, E::ClassTooShort))
        };
        // A wrong symbol is reported before a missing one.
        let modulation = Modulation::from_symbol(symbol(4)?);
        let modulation = modulation.ok_or_else(|| err(5, E::BadModulation))?;
        let signal = SignalNature::from_symbol(symbol(5)?);
        let signal = signal.ok_or_else(|| err(6, E::BadSignal))?;
        let information = Information::from_symbol(symbol(6)?);
        let information = information.ok_or_else(|| err(7, E::BadInformation))?;
        let mut class = EmissionClass::new(modulation, signal, information);
        if let Some(&c) = chars.get(7).filter(|c| **c != '-') {
            class.details =
                Some(SignalDetails::from_symbol(c).ok_or_else(|| err(8, E::BadDetails))?);
        }
        if let Some(&c) = chars.get(8).filter(|c| **c != '-') {
            class.multiplexing =
                Some(Multiplexing::from_symbol(c).ok_or_else(|| err(9, E::BadMultiplexing))?);
        }
        if chars.len() > 9 {
            return Err(err(10, E::ClassTooLong));
        }
        emission.class = Some(class);
        Ok(emission)
    }

    /// An emission of this necessary bandwidth (millihertz) and no class,
    /// rounded to what a code expresses: three significant figures from 1 Hz
    /// up, a half rounding up (exact integer arithmetic), 1 mHz below 1 Hz.
    ///
    /// ```
    /// # use stations::emission::Emission;
    /// assert_eq!(Emission::from_bandwidth_millihz(180_500_000)?.bandwidth_millihz(), 181_000_000);
    /// assert_eq!(Emission::from_bandwidth_millihz(2)?.bandwidth_code(), "H002");
    /// # Ok::<(), stations::emission::EmissionError>(())
    /// ```
    ///
    /// # Errors
    /// [`EmissionError::OutOfRange`] for 0, or when the rounded value is
    /// 1000 GHz or more.
    pub fn from_bandwidth_millihz(millihz: u64) -> Result<Emission, EmissionError> {
        let rounded = round_three_figures(millihz);
        if millihz == 0 || rounded >= MAX_MILLIHZ {
            return Err(EmissionError::OutOfRange {
                hz: format!("{}.{:03}", millihz / 1000, millihz % 1000),
            });
        }
        Ok(Emission {
            bandwidth_millihz: rounded,
            class: None,
        })
    }

    /// An emission of this necessary bandwidth (hertz) and no class. The value
    /// is first rounded to the nearest millihertz (half up), then as
    /// [`Emission::from_bandwidth_millihz`].
    ///
    /// ```
    /// # use stations::emission::Emission;
    /// assert_eq!(Emission::from_bandwidth_hz(5.65e9)?.bandwidth_code(), "5G65");
    /// assert!(Emission::from_bandwidth_hz(1e12).is_err());
    /// # Ok::<(), stations::emission::EmissionError>(())
    /// ```
    ///
    /// # Errors
    /// [`EmissionError::OutOfRange`] below 0.001 Hz, from 1000 GHz (or when
    /// rounding reaches it), and for NaN.
    pub fn from_bandwidth_hz(hz: f64) -> Result<Emission, EmissionError> {
        if !(0.001..1e12).contains(&hz) {
            return Err(EmissionError::OutOfRange {
                hz: format!("{hz}"),
            });
        }
        Emission::from_bandwidth_millihz((hz * 1000.0).round() as u64).map_err(|_| {
            EmissionError::OutOfRange {
                hz: format!("{hz}"),
            }
        })
    }

    /// The same emission with this class of emission.
    pub fn with_class(self, class: EmissionClass) -> Emission {
        Emission {
            class: Some(class),
            ..self
        }
    }

    /// Necessary bandwidth in millihertz (exact: codes go down to 1 mHz).
    pub fn bandwidth_millihz(&self) -> u64 {
        self.bandwidth_millihz
    }

    /// Necessary bandwidth in hertz.
    pub fn bandwidth_hz(&self) -> f64 {
        self.bandwidth_millihz as f64 / 1000.0
    }

    /// The four-character bandwidth code, such as `16K0` or `H002`.
    pub fn bandwidth_code(&self) -> String {
        bandwidth_code(self.bandwidth_millihz)
    }

    /// The class of emission; `None` for a bare bandwidth code.
    pub fn class(&self) -> Option<&EmissionClass> {
        self.class.as_ref()
    }
}

/// Rounds millihertz to the values codes express: unchanged below 1 Hz,
/// three significant figures with a half rounding up from 1 Hz.
fn round_three_figures(millihz: u64) -> u64 {
    if millihz < 1000 {
        return millihz;
    }
    let unit = 10u64.pow(millihz.ilog10() - 2);
    let (quotient, remainder) = (millihz / unit, millihz % unit);
    // Saturating: near u64::MAX the result is out of range anyway.
    let quotient = if remainder >= unit - remainder {
        quotient + 1
    } else {
        quotient
    };
    quotient.saturating_mul(unit)
}

/// The code of a value already rounded by [`round_three_figures`], in range.
fn bandwidth_code(millihz: u64) -> String {
    let Some(&(scale, letter)) = UNITS.iter().find(|(s, _)| millihz >= *s) else {
        return format!("H{millihz:03}");
    };
    let whole = millihz / scale;
    let decimals = 3 - (whole.ilog10() as usize + 1);
    if decimals == 0 {
        return format!("{whole}{letter}");
    }
    let fraction = (millihz % scale) / (scale / 10u64.pow(decimals as u32));
    format!("{whole}{letter}{fraction:0decimals$}")
}

impl fmt::Display for Emission {
    /// The canonical designator: code and class, upper case (`16K0F3E`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.bandwidth_code())?;
        match &self.class {
            Some(class) => write!(f, "{class}"),
            None => Ok(()),
        }
    }
}

impl FromStr for Emission {
    type Err = EmissionError;

    /// As [`Emission::parse`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Emission::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_of_three_figures() {
        assert_eq!(round_three_figures(180_400_000), 180_000_000);
        assert_eq!(round_three_figures(180_500_000), 181_000_000);
        assert_eq!(round_three_figures(999_500), 1_000_000);
        assert_eq!(round_three_figures(999), 999);
        assert_eq!(round_three_figures(1_005), 1_010);
        assert_eq!(
            round_three_figures(u64::MAX),
            u64::MAX - u64::MAX % 10u64.pow(17)
        );
        assert_eq!(bandwidth_code(1_000_000), "1K00");
        assert_eq!(bandwidth_code(999_000_000_000_000), "999G");
    }
}
