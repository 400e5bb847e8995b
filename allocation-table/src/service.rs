//! Radio services of ITU Radio Regulations Article 1 (Section III, RR Nos.
//! 1.20–1.60, edition 2020), and the parser that splits a service as written
//! in a table ("Mobile except aeronautical mobile (R)", "FIXED-SATELLITE
//! (EARTH-TO-SPACE)") into the service and its qualifiers.

use serde::{Deserialize, Serialize};

macro_rules! services {
    ($( $variant:ident => $id:literal, $name:literal; )*) => {
        /// A radio service defined in ITU RR Article 1.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum RadioService {
            $(
                #[doc = $name]
                $variant,
            )*
        }

        impl RadioService {
            /// Every service, in RR Article 1 order.
            pub const ALL: &'static [RadioService] = &[$(RadioService::$variant),*];

            /// Stable machine identifier (snake case), e.g. `fixed_satellite`.
            pub fn id(self) -> &'static str {
                match self { $(RadioService::$variant => $id,)* }
            }

            /// English name as in the Radio Regulations, e.g. `Fixed-Satellite`.
            pub fn name(self) -> &'static str {
                match self { $(RadioService::$variant => $name,)* }
            }
        }
    };
}

services! {
    Radiocommunication => "radiocommunication", "Radiocommunication";
    Fixed => "fixed", "Fixed";
    FixedSatellite => "fixed_satellite", "Fixed-Satellite";
    InterSatellite => "inter_satellite", "Inter-Satellite";
    SpaceOperation => "space_operation", "Space Operation";
    Mobile => "mobile", "Mobile";
    MobileSatellite => "mobile_satellite", "Mobile-Satellite";
    LandMobile => "land_mobile", "Land Mobile";
    LandMobileSatellite => "land_mobile_satellite", "Land Mobile-Satellite";
    MaritimeMobile => "maritime_mobile", "Maritime Mobile";
    MaritimeMobileSatellite => "maritime_mobile_satellite", "Maritime Mobile-Satellite";
    PortOperations => "port_operations", "Port Operations";
    ShipMovement => "ship_movement", "Ship Movement";
    AeronauticalMobile => "aeronautical_mobile", "Aeronautical Mobile";
    AeronauticalMobileR => "aeronautical_mobile_r", "Aeronautical Mobile (R)";
    AeronauticalMobileOr => "aeronautical_mobile_or", "Aeronautical Mobile (OR)";
    AeronauticalMobileSatellite => "aeronautical_mobile_satellite", "Aeronautical Mobile-Satellite";
    AeronauticalMobileSatelliteR => "aeronautical_mobile_satellite_r", "Aeronautical Mobile-Satellite (R)";
    AeronauticalMobileSatelliteOr => "aeronautical_mobile_satellite_or", "Aeronautical Mobile-Satellite (OR)";
    Broadcasting => "broadcasting", "Broadcasting";
    BroadcastingSatellite => "broadcasting_satellite", "Broadcasting-Satellite";
    Radiodetermination => "radiodetermination", "Radiodetermination";
    RadiodeterminationSatellite => "radiodetermination_satellite", "Radiodetermination-Satellite";
    Radionavigation => "radionavigation", "Radionavigation";
    RadionavigationSatellite => "radionavigation_satellite", "Radionavigation-Satellite";
    MaritimeRadionavigation => "maritime_radionavigation", "Maritime Radionavigation";
    MaritimeRadionavigationSatellite => "maritime_radionavigation_satellite", "Maritime Radionavigation-Satellite";
    AeronauticalRadionavigation => "aeronautical_radionavigation", "Aeronautical Radionavigation";
    AeronauticalRadionavigationSatellite => "aeronautical_radionavigation_satellite", "Aeronautical Radionavigation-Satellite";
    Radiolocation => "radiolocation", "Radiolocation";
    RadiolocationSatellite => "radiolocation_satellite", "Radiolocation-Satellite";
    MeteorologicalAids => "meteorological_aids", "Meteorological Aids";
    EarthExplorationSatellite => "earth_exploration_satellite", "Earth Exploration-Satellite";
    MeteorologicalSatellite => "meteorological_satellite", "Meteorological-Satellite";
    StandardFrequencyAndTimeSignal => "standard_frequency_and_time_signal", "Standard Frequency and Time Signal";
    StandardFrequencyAndTimeSignalSatellite => "standard_frequency_and_time_signal_satellite", "Standard Frequency and Time Signal-Satellite";
    SpaceResearch => "space_research", "Space Research";
    Amateur => "amateur", "Amateur";
    AmateurSatellite => "amateur_satellite", "Amateur-Satellite";
    RadioAstronomy => "radio_astronomy", "Radio Astronomy";
    Safety => "safety", "Safety";
    Special => "special", "Special";
}

impl RadioService {
    /// Looks a service up by its RR name or its id (case-insensitive; spaces,
    /// hyphens and underscores are interchangeable).
    ///
    /// ```
    /// use allocation_table::service::RadioService;
    /// assert_eq!(RadioService::lookup("fixed-satellite"), Some(RadioService::FixedSatellite));
    /// assert_eq!(RadioService::lookup("AERONAUTICAL MOBILE (R)"), Some(RadioService::AeronauticalMobileR));
    /// assert_eq!(RadioService::lookup("earth_exploration_satellite"), Some(RadioService::EarthExplorationSatellite));
    /// assert_eq!(RadioService::lookup("telepathy"), None);
    /// ```
    pub fn lookup(text: &str) -> Option<RadioService> {
        // Fast path: the id or the name exactly as we write them.
        if let Some(s) = RadioService::ALL
            .iter()
            .copied()
            .find(|s| s.id() == text || s.name() == text)
        {
            return Some(s);
        }
        static KEYS: std::sync::LazyLock<Vec<(String, String, RadioService)>> =
            std::sync::LazyLock::new(|| {
                RadioService::ALL
                    .iter()
                    .map(|&s| (normalise(s.name()), normalise(s.id()), s))
                    .collect()
            });
        let key = normalise(text);
        KEYS.iter()
            .find(|(name, id, _)| *name == key || *id == key)
            .map(|&(_, _, s)| s)
    }

    /// True for the space services (the "-satellite" forms and the services
    /// that exist only in space: inter-satellite, space operation, space
    /// research).
    pub fn is_space(self) -> bool {
        self.id().ends_with("_satellite")
            || self.id().contains("_satellite_")
            || matches!(
                self,
                RadioService::InterSatellite
                    | RadioService::SpaceOperation
                    | RadioService::SpaceResearch
            )
    }

    /// The broader service this one belongs to, if any (land / maritime /
    /// aeronautical mobile are mobile; (R)/(OR) are aeronautical mobile;
    /// maritime/aeronautical radionavigation are radionavigation, which with
    /// radiolocation is radiodetermination).
    pub fn parent(self) -> Option<RadioService> {
        use RadioService::*;
        Some(match self {
            LandMobile | MaritimeMobile | AeronauticalMobile => Mobile,
            AeronauticalMobileR | AeronauticalMobileOr => AeronauticalMobile,
            PortOperations | ShipMovement => MaritimeMobile,
            LandMobileSatellite | MaritimeMobileSatellite | AeronauticalMobileSatellite => {
                MobileSatellite
            }
            AeronauticalMobileSatelliteR | AeronauticalMobileSatelliteOr => {
                AeronauticalMobileSatellite
            }
            MaritimeRadionavigation | AeronauticalRadionavigation => Radionavigation,
            MaritimeRadionavigationSatellite | AeronauticalRadionavigationSatellite => {
                RadionavigationSatellite
            }
            Radionavigation | Radiolocation => Radiodetermination,
            RadionavigationSatellite | RadiolocationSatellite => RadiodeterminationSatellite,
            _ => return None,
        })
    }

    /// True when `self` is `other` or one of its sub-services (e.g. land
    /// mobile is a mobile service).
    pub fn is_within(self, other: RadioService) -> bool {
        let mut s = Some(self);
        while let Some(x) = s {
            if x == other {
                return true;
            }
            s = x.parent();
        }
        false
    }
}

fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        let c = c.to_ascii_lowercase();
        let c = if c == '-' || c == '_' || c == '\u{2013}' {
            ' '
        } else {
            c
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_owned()
}

/// What a table says in its service column, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceEntry {
    /// A radio service of RR Article 1.
    Service(RadioService),
    /// The table states explicitly that the band is not allocated.
    NotAllocated,
    /// A name that is not an RR Article 1 service; kept verbatim and reported.
    Unknown(String),
}

/// The parse of a service as written: the service and the qualifiers kept
/// apart from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedService {
    /// The service (or not-allocated marker, or unknown name).
    pub entry: ServiceEntry,
    /// Qualifiers in source order and source spelling, e.g.
    /// `except aeronautical mobile (R)`, `(Earth-to-space)`, `(passive)`.
    pub qualifiers: Vec<String>,
}

/// Splits a service as written into the RR service and its qualifiers.
///
/// ```
/// use allocation_table::service::{parse_service, RadioService, ServiceEntry};
/// let p = parse_service("Mobile except aeronautical mobile (R)");
/// assert_eq!(p.entry, ServiceEntry::Service(RadioService::Mobile));
/// assert_eq!(p.qualifiers, vec!["except aeronautical mobile (R)"]);
///
/// let p = parse_service("AERONAUTICAL MOBILE (R) ");
/// assert_eq!(p.entry, ServiceEntry::Service(RadioService::AeronauticalMobileR));
/// assert!(p.qualifiers.is_empty());
///
/// let p = parse_service("Earth Exploration-Satellite (active)");
/// assert_eq!(p.entry, ServiceEntry::Service(RadioService::EarthExplorationSatellite));
/// assert_eq!(p.qualifiers, vec!["(active)"]);
/// ```
pub fn parse_service(text: &str) -> ParsedService {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    // The "except …" clause runs to the end of the text.
    let (head, except) = match lower.find(" except ") {
        Some(i) => (&text[..i], Some(text[i + 1..].trim())),
        None => (text, None),
    };
    // Parenthesised groups of the head are qualifiers, except (R)/(OR) of
    // the aeronautical mobile services, which are part of the service.
    let mut base = String::new();
    let mut groups: Vec<&str> = Vec::new();
    let mut rest = head;
    while let Some(open) = rest.find('(') {
        base.push_str(&rest[..open]);
        match rest[open..].find(')') {
            Some(close) => {
                groups.push(&rest[open..open + close + 1]);
                rest = &rest[open + close + 1..];
            }
            None => {
                base.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    base.push_str(rest);
    let base_norm = normalise(&base);
    let mut qualifiers: Vec<String> = Vec::new();
    let mut route: Option<&str> = None;
    for g in groups {
        let inner = g[1..g.len() - 1].trim();
        if route.is_none()
            && (inner.eq_ignore_ascii_case("r") || inner.eq_ignore_ascii_case("or"))
            && base_norm.starts_with("aeronautical mobile")
        {
            route = Some(inner);
        } else {
            qualifiers.push(g.to_owned());
        }
    }
    if let Some(e) = except {
        qualifiers.push(e.to_owned());
    }
    let entry = if base_norm == "not allocated" || base_norm == "unallocated" {
        ServiceEntry::NotAllocated
    } else {
        let key = match route {
            Some(r) => format!("{base_norm} ({r})"),
            None => base_norm,
        };
        RadioService::lookup(&key)
            .map(ServiceEntry::Service)
            .unwrap_or_else(|| ServiceEntry::Unknown(text.to_owned()))
    };
    ParsedService { entry, qualifiers }
}

/// Normalised comparison key of a service as written (case and spacing
/// folded), used to align allocations of two tables.
pub fn service_key(text: &str) -> String {
    normalise(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_round_trips_through_its_name_and_id() {
        for &s in RadioService::ALL {
            assert_eq!(RadioService::lookup(s.name()), Some(s));
            assert_eq!(RadioService::lookup(s.id()), Some(s));
            assert_eq!(
                parse_service(s.name()).entry,
                ServiceEntry::Service(s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn qualifiers_are_kept_apart() {
        let p =
            parse_service("Mobile-Satellite (Earth-to-space) except aeronautical mobile-satellite");
        assert_eq!(
            p.entry,
            ServiceEntry::Service(RadioService::MobileSatellite)
        );
        assert_eq!(
            p.qualifiers,
            vec!["(Earth-to-space)", "except aeronautical mobile-satellite"]
        );
        let p = parse_service("RADIONAVIGATION-SATELLITE (SPACE-TO-EARTH) (SPACE-TO-SPACE)");
        assert_eq!(
            p.entry,
            ServiceEntry::Service(RadioService::RadionavigationSatellite)
        );
        assert_eq!(p.qualifiers.len(), 2);
        let p = parse_service("Standard Frequency And Time Signal (20 kHz)");
        assert_eq!(
            p.entry,
            ServiceEntry::Service(RadioService::StandardFrequencyAndTimeSignal)
        );
        assert_eq!(p.qualifiers, vec!["(20 kHz)"]);
        let p = parse_service("AERONAUTICAL MOBILE-SATELLITE (R)");
        assert_eq!(
            p.entry,
            ServiceEntry::Service(RadioService::AeronauticalMobileSatelliteR)
        );
    }

    #[test]
    fn unknown_names_are_kept_verbatim_and_not_allocated_is_recognised() {
        assert_eq!(
            parse_service(" Telepathy (Earth-to-space) ").entry,
            ServiceEntry::Unknown("Telepathy (Earth-to-space)".into())
        );
        assert_eq!(
            parse_service("NOT ALLOCATED ").entry,
            ServiceEntry::NotAllocated
        );
    }

    #[test]
    fn service_hierarchy() {
        assert!(RadioService::AeronauticalMobileR.is_within(RadioService::Mobile));
        assert!(RadioService::MaritimeRadionavigation.is_within(RadioService::Radiodetermination));
        assert!(!RadioService::Fixed.is_within(RadioService::Mobile));
        assert!(RadioService::EarthExplorationSatellite.is_space());
        assert!(!RadioService::RadioAstronomy.is_space());
    }
}
