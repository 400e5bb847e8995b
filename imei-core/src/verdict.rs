//! Registry statuses, the reason-code catalogue and the verdict rules
//! (rule set [`RULE_VERSION`]), following the white / grey / black list model
//! of the Kazakh IMEI registration rules (2025) and the blocking conditions of
//! the DIRBS reference system (malformed IMEI, TAC not allocated, black list).
//!
//! Every automated decision carries the rule version, its inputs and a
//! plain-language reason so that it can be explained and contested.

use std::fmt;

/// Version of the verdict rules; written into every output's provenance.
pub const RULE_VERSION: &str = "spectra-imei-rules/1 (2026-11)";

/// Status of a device in the national registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum DeviceStatus {
    /// Registered and allowed.
    White = 1,
    /// Known but not (yet) fully registered: allowed under conditions.
    Grey = 2,
    /// Blocked (stolen, lost, counterfeit, court order…).
    Black = 3,
}

impl DeviceStatus {
    /// All statuses.
    pub const ALL: [DeviceStatus; 3] =
        [DeviceStatus::White, DeviceStatus::Grey, DeviceStatus::Black];

    /// Lower-case name (`white`, `grey`, `black`).
    pub fn name(self) -> &'static str {
        match self {
            DeviceStatus::White => "white",
            DeviceStatus::Grey => "grey",
            DeviceStatus::Black => "black",
        }
    }

    /// Parses `white`/`grey`/`gray`/`black` (case-insensitive, trimmed).
    pub fn parse(s: &str) -> Option<DeviceStatus> {
        match s.trim().to_ascii_lowercase().as_str() {
            "white" => Some(DeviceStatus::White),
            "grey" | "gray" => Some(DeviceStatus::Grey),
            "black" => Some(DeviceStatus::Black),
            _ => None,
        }
    }

    /// The 2-bit code used in the packed index (1, 2, 3).
    pub fn code(self) -> u16 {
        self as u16
    }

    /// Inverse of [`DeviceStatus::code`].
    pub fn from_code(code: u16) -> Option<DeviceStatus> {
        match code {
            1 => Some(DeviceStatus::White),
            2 => Some(DeviceStatus::Grey),
            3 => Some(DeviceStatus::Black),
            _ => None,
        }
    }
}

impl fmt::Display for DeviceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One entry of the reason catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ReasonInfo {
    /// Bit position in a [`ReasonMask`] (0–13).
    pub bit: u8,
    /// Stable machine name (`STOLEN`).
    pub name: &'static str,
    /// Plain-language description.
    pub description: &'static str,
    /// The status this reason usually leads to.
    pub typical_status: DeviceStatus,
}

/// The reason catalogue (stored in the registry's `reasons` table).
pub const REASONS: [ReasonInfo; 12] = [
    ReasonInfo {
        bit: 0,
        name: "STOLEN",
        description: "reported stolen",
        typical_status: DeviceStatus::Black,
    },
    ReasonInfo {
        bit: 1,
        name: "LOST",
        description: "reported lost",
        typical_status: DeviceStatus::Black,
    },
    ReasonInfo {
        bit: 2,
        name: "COUNTERFEIT",
        description: "counterfeit or cloned device",
        typical_status: DeviceStatus::Black,
    },
    ReasonInfo {
        bit: 3,
        name: "DUPLICATE",
        description: "the same IMEI seen with several subscribers",
        typical_status: DeviceStatus::Grey,
    },
    ReasonInfo {
        bit: 4,
        name: "NOT_CUSTOMS_CLEARED",
        description: "imported without customs clearance",
        typical_status: DeviceStatus::Grey,
    },
    ReasonInfo {
        bit: 5,
        name: "DUTY_UNPAID",
        description: "import duty or registration fee unpaid",
        typical_status: DeviceStatus::Grey,
    },
    ReasonInfo {
        bit: 6,
        name: "COURT_ORDER",
        description: "court or law-enforcement order",
        typical_status: DeviceStatus::Black,
    },
    ReasonInfo {
        bit: 7,
        name: "REGISTERED_OWNER",
        description: "registered by its owner",
        typical_status: DeviceStatus::White,
    },
    ReasonInfo {
        bit: 8,
        name: "IMPORT_DECLARED",
        description: "declared at import",
        typical_status: DeviceStatus::White,
    },
    ReasonInfo {
        bit: 9,
        name: "OPERATOR_REPORTED",
        description: "reported by a mobile operator",
        typical_status: DeviceStatus::Grey,
    },
    ReasonInfo {
        bit: 10,
        name: "GRACE_PERIOD",
        description: "within the grace period for registration",
        typical_status: DeviceStatus::Grey,
    },
    ReasonInfo {
        bit: 11,
        name: "RECOVERED",
        description: "recovered after being reported stolen or lost",
        typical_status: DeviceStatus::White,
    },
];

/// A set of reason codes (bit i = catalogue entry with `bit == i`); 14 bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ReasonMask(pub u16);

impl ReasonMask {
    /// Largest representable mask (14 bits).
    pub const MAX: u16 = 0x3FFF;

    /// Parses names separated by `;`, `,` or `|` (case-insensitive); returns the
    /// first unknown name as the error.
    pub fn parse(s: &str) -> Result<ReasonMask, String> {
        let mut m = 0u16;
        for part in s.split([';', ',', '|']) {
            let p = part.trim();
            if p.is_empty() {
                continue;
            }
            match REASONS.iter().find(|r| r.name.eq_ignore_ascii_case(p)) {
                Some(r) => m |= 1 << r.bit,
                None => return Err(p.to_string()),
            }
        }
        Ok(ReasonMask(m))
    }

    /// The catalogue entries in the mask, in bit order.
    pub fn reasons(self) -> impl Iterator<Item = &'static ReasonInfo> {
        REASONS.iter().filter(move |r| self.0 & (1 << r.bit) != 0)
    }

    /// Names joined by `;` (empty string for no reason).
    pub fn names(self) -> String {
        self.reasons().map(|r| r.name).collect::<Vec<_>>().join(";")
    }

    /// Checks that no reason is more severe than `status` (white < grey <
    /// black by [`DeviceStatus::code`]): a white device cannot be `STOLEN`,
    /// a grey one cannot be `COURT_ORDER`; a black device may also carry a
    /// milder reason (`STOLEN;REGISTERED_OWNER`). The error names the
    /// reasons that do not fit.
    ///
    /// ```
    /// use imei_core::verdict::{DeviceStatus, ReasonMask};
    /// let stolen = ReasonMask::parse("STOLEN").unwrap();
    /// assert!(stolen.fits(DeviceStatus::Black).is_ok());
    /// assert!(stolen.fits(DeviceStatus::White).unwrap_err().contains("STOLEN"));
    /// ```
    pub fn fits(self, status: DeviceStatus) -> Result<(), String> {
        let worse: Vec<String> = self
            .reasons()
            .filter(|r| r.typical_status.code() > status.code())
            .map(|r| format!("{} (a {} reason)", r.name, r.typical_status.name()))
            .collect();
        if worse.is_empty() {
            return Ok(());
        }
        Err(format!(
            "expected reasons that fit a {} status, found {}",
            status.name(),
            worse.join(", ")
        ))
    }

    /// Descriptions joined by `, `.
    pub fn descriptions(self) -> String {
        self.reasons()
            .map(|r| r.description)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Packs a status and reasons into the 16-bit index word (status in bits 0–1).
#[inline]
pub fn pack(status: DeviceStatus, reasons: ReasonMask) -> u16 {
    status.code() | ((reasons.0 & ReasonMask::MAX) << 2)
}

/// Unpacks a 16-bit index word.
#[inline]
pub fn unpack(word: u16) -> Option<(DeviceStatus, ReasonMask)> {
    DeviceStatus::from_code(word & 3).map(|s| (s, ReasonMask(word >> 2)))
}

/// The decision for one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Verdict {
    /// The device may operate.
    Allowed = 0,
    /// The device may operate under conditions (registration pending).
    Grey = 1,
    /// The device must not operate on the networks.
    Blocked = 2,
}

impl Verdict {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Grey => "grey",
            Verdict::Blocked => "blocked",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which rule decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// R1: not a well-formed IMEI → blocked.
    Malformed,
    /// R2: on the black list → blocked.
    BlackListed,
    /// R3: on the white list → allowed.
    WhiteListed,
    /// R4: on the grey list → grey.
    GreyListed,
    /// R5: not registered and the TAC is not allocated → blocked.
    UnknownTac,
    /// R6: not registered, TAC allocated (or no TAC database) → grey.
    Unregistered,
    /// A classification finding on network evidence ([`crate::findings`])
    /// more severe than the registry's verdict: blocked once its block date
    /// has come, grey during its grace.
    Finding,
}

/// A decision: verdict, the rule that made it and its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decision {
    /// The verdict.
    pub verdict: Verdict,
    /// The deciding rule.
    pub rule: Rule,
    /// Input: the IMEI class.
    pub class: crate::identity::ImeiClass,
    /// Input: registry status and reasons (when registered).
    pub entry: Option<(DeviceStatus, ReasonMask)>,
    /// Input: whether the TAC is known (`None` without a TAC database).
    pub tac_known: Option<bool>,
}

/// Applies the rules, in order R1 … R6.
#[inline]
pub fn decide(
    class: crate::identity::ImeiClass,
    tac_known: Option<bool>,
    entry: Option<(DeviceStatus, ReasonMask)>,
) -> Decision {
    let (verdict, rule) = if !class.is_well_formed() {
        (Verdict::Blocked, Rule::Malformed)
    } else {
        match entry {
            Some((DeviceStatus::Black, _)) => (Verdict::Blocked, Rule::BlackListed),
            Some((DeviceStatus::White, _)) => (Verdict::Allowed, Rule::WhiteListed),
            Some((DeviceStatus::Grey, _)) => (Verdict::Grey, Rule::GreyListed),
            None if tac_known == Some(false) => (Verdict::Blocked, Rule::UnknownTac),
            None => (Verdict::Grey, Rule::Unregistered),
        }
    };
    Decision {
        verdict,
        rule,
        class,
        entry,
        tac_known,
    }
}

impl Decision {
    /// The plain-language reason.
    pub fn reason(&self) -> String {
        let why = |m: ReasonMask| {
            if m.0 == 0 {
                String::new()
            } else {
                format!(" ({})", m.descriptions())
            }
        };
        match (self.rule, self.entry) {
            (Rule::Malformed, _) => format!("blocked: not a well-formed IMEI: {}", self.class.description()),
            (Rule::BlackListed, Some((_, m))) => format!("blocked: on the national black list{}", why(m)),
            (Rule::WhiteListed, Some((_, m))) => format!("allowed: registered on the national white list{}", why(m)),
            (Rule::GreyListed, Some((_, m))) => {
                format!("grey: on the national grey list{}; registration must be completed", why(m))
            }
            (Rule::UnknownTac, _) => {
                "blocked: not registered and its TAC is not allocated to any known device model".to_string()
            }
            (Rule::Unregistered, _) => {
                "grey: not registered in the national registry; the device may operate during the grace period"
                    .to_string()
            }
            (Rule::Finding, _) => format!("{}: a classification finding", self.verdict),
            (_, None) => format!("{}: registry entry missing", self.verdict),
        }
    }

    /// A compact code identifying the decision's inputs (for caching reasons).
    pub fn code(&self) -> u32 {
        let (s, m) = self
            .entry
            .map_or((0u32, 0u32), |(s, m)| (u32::from(s.code()), u32::from(m.0)));
        let t = match self.tac_known {
            None => 0u32,
            Some(false) => 1,
            Some(true) => 2,
        };
        (self.class as u32) | (t << 4) | (s << 6) | (m << 8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::ImeiClass;

    #[test]
    fn rules_in_order() {
        let black = Some((DeviceStatus::Black, ReasonMask(1)));
        assert_eq!(
            decide(ImeiClass::NonDigit, Some(true), black).verdict,
            Verdict::Blocked
        );
        assert_eq!(
            decide(ImeiClass::Imei15, Some(true), black).rule,
            Rule::BlackListed
        );
        assert!(
            decide(ImeiClass::Imei15, Some(true), black)
                .reason()
                .contains("stolen")
        );
        assert_eq!(
            decide(ImeiClass::Imei14, Some(false), None).rule,
            Rule::UnknownTac
        );
        assert_eq!(decide(ImeiClass::Imei14, None, None).verdict, Verdict::Grey);
        let white = Some((DeviceStatus::White, ReasonMask(0)));
        assert_eq!(
            decide(ImeiClass::ImeiSv, Some(false), white).verdict,
            Verdict::Allowed
        );
    }

    #[test]
    fn pack_roundtrip_and_parse() {
        let m = ReasonMask::parse("stolen; COURT_ORDER").unwrap();
        assert_eq!(m.names(), "STOLEN;COURT_ORDER");
        assert_eq!(
            unpack(pack(DeviceStatus::Black, m)),
            Some((DeviceStatus::Black, m))
        );
        assert_eq!(ReasonMask::parse("NOPE"), Err("NOPE".to_string()));
        assert_eq!(DeviceStatus::parse(" Gray "), Some(DeviceStatus::Grey));
    }
}
