//! The equipment status of one PEI (3GPP TS 29.511 V18, `EquipmentStatus`)
//! from a loaded snapshot: the same verdict as `spectra imei check` —
//! [`imei_core::check::info`] over the registry index, the TAC database and
//! the classification findings of the day — mapped to `WHITELISTED`,
//! `GREYLISTED` or `BLACKLISTED`; an IMEI–SUPI pair on the pairing list is
//! allowed even when blacklisted; equipment the registry does not know is
//! answered as configured ([`UnknownEquipment`]).
//!
//! A PEI is `imei-` and 15 digits or `imeisv-` and 16 digits (TS 29.571,
//! `Pei`); a SUPI is `imsi-` and 5 to 15 digits (`Supi`).

use chrono::NaiveDate;
use imei_core::check::{CheckContext, ImeiInfo, info};
use imei_core::findings::Findings;
use imei_core::identity::classify;
use imei_core::purpose::{Field, NetworkPseudonyms};
use imei_core::snapshot::Snapshot;
use imei_core::verdict::Verdict;

use crate::config::UnknownEquipment;

/// The status in an N5g-eir answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EquipmentStatus {
    /// Allowed.
    Whitelisted,
    /// Allowed under conditions.
    Greylisted,
    /// Not allowed.
    Blacklisted,
}

impl EquipmentStatus {
    /// The TS 29.511 name.
    pub fn name(self) -> &'static str {
        match self {
            EquipmentStatus::Whitelisted => "WHITELISTED",
            EquipmentStatus::Greylisted => "GREYLISTED",
            EquipmentStatus::Blacklisted => "BLACKLISTED",
        }
    }

    /// The status of a verdict.
    pub fn of(v: Verdict) -> Self {
        match v {
            Verdict::Allowed => EquipmentStatus::Whitelisted,
            Verdict::Grey => EquipmentStatus::Greylisted,
            Verdict::Blocked => EquipmentStatus::Blacklisted,
        }
    }
}

/// Why a PEI or SUPI was refused (each a 400 `MANDATORY_IE_INCORRECT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadIdentity {
    /// The parameter.
    pub param: &'static str,
    /// What was expected and what was found.
    pub reason: String,
}

/// The digits of a PEI (`imei-` + 15 digits or `imeisv-` + 16).
///
/// ```
/// use spectra_eir::equipment::pei_digits;
/// assert_eq!(pei_digits("imei-356938035643809").unwrap(), "356938035643809");
/// assert!(pei_digits("imei-35693803564380").is_err());
/// assert!(pei_digits("mac-00-11-22-33-44-55").is_err());
/// ```
pub fn pei_digits(pei: &str) -> Result<&str, BadIdentity> {
    let (digits, want) = if let Some(d) = pei.strip_prefix("imei-") {
        (d, 15)
    } else if let Some(d) = pei.strip_prefix("imeisv-") {
        (d, 16)
    } else {
        return Err(BadIdentity {
            param: "pei",
            reason: format!(
                "expected imei-<15 digits> or imeisv-<16 digits>, found {:?}",
                shorten(pei)
            ),
        });
    };
    if digits.len() != want || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadIdentity {
            param: "pei",
            reason: format!(
                "expected {want} digits after the prefix, found {:?}",
                shorten(pei)
            ),
        });
    }
    Ok(digits)
}

/// The digits of a SUPI (`imsi-` + 5 to 15 digits).
pub fn supi_digits(supi: &str) -> Result<&str, BadIdentity> {
    match supi.strip_prefix("imsi-") {
        Some(d) if (5..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) => Ok(d),
        _ => Err(BadIdentity {
            param: "supi",
            reason: format!("expected imsi-<5 to 15 digits>, found {:?}", shorten(supi)),
        }),
    }
}

/// At most 40 characters of untrusted input, for a message.
fn shorten(s: &str) -> String {
    s.chars().take(40).collect()
}

/// A snapshot with the findings of one day (what requests read).
#[derive(Debug)]
pub struct Loaded {
    /// The snapshot (shared by the days it serves).
    pub snapshot: std::sync::Arc<Snapshot>,
    /// Its findings on `date`.
    pub findings: Findings,
    /// The day the findings are for.
    pub date: NaiveDate,
}

impl Loaded {
    /// `snapshot` with its findings on `date`.
    pub fn new(snapshot: std::sync::Arc<Snapshot>, date: NaiveDate) -> Self {
        let findings = Findings::on(&snapshot.findings, date, &snapshot.meta.rule_version);
        Self {
            snapshot,
            findings,
            date,
        }
    }

    /// Everything known about one IMEI (the `spectra imei info` record).
    pub fn info(&self, imei: &str) -> ImeiInfo {
        let tacs = (!self.snapshot.tacs.is_empty()).then_some(&self.snapshot.tacs);
        info(
            imei,
            CheckContext {
                index: &self.snapshot.index,
                tacs,
                findings: Some(&self.findings),
            },
        )
    }

    /// Whether the registry knows `imei`: registered, or with a finding.
    pub fn knows(&self, imei: &str) -> bool {
        classify(imei)
            .key
            .is_some_and(|k| self.snapshot.index.get(k).is_some() || self.findings.get(k).is_some())
    }
}

/// The outcome of one equipment check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A status.
    Status(EquipmentStatus),
    /// Unknown equipment, answered 404 / 5422 (as configured).
    Unknown,
}

impl Outcome {
    /// The name counted in the metrics and written in the access log.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Status(s) => s.name(),
            Outcome::Unknown => "UNKNOWN",
        }
    }
}

/// The status of `imei` (digits of a PEI) for `supi_pseudonym` (the SUPI's
/// network pseudonym, when given and a key is configured).
pub fn check(
    loaded: &Loaded,
    imei: &str,
    supi_pseudonym: Option<&str>,
    unknown: UnknownEquipment,
) -> Outcome {
    let status = EquipmentStatus::of(loaded.info(imei).verdict);
    if let (Some(p), Some(k)) = (supi_pseudonym, classify(imei).key)
        && loaded.snapshot.paired(k, p)
    {
        return Outcome::Status(EquipmentStatus::Whitelisted);
    }
    if loaded.knows(imei) {
        return Outcome::Status(status);
    }
    match unknown {
        UnknownEquipment::Verdict => Outcome::Status(status),
        UnknownEquipment::Whitelisted => Outcome::Status(EquipmentStatus::Whitelisted),
        UnknownEquipment::Greylisted => Outcome::Status(EquipmentStatus::Greylisted),
        UnknownEquipment::Blacklisted => Outcome::Status(EquipmentStatus::Blacklisted),
        UnknownEquipment::NotFound => Outcome::Unknown,
    }
}

/// The network pseudonym of a SUPI's IMSI digits.
pub fn supi_pseudonym(p: &NetworkPseudonyms, imsi: &str) -> String {
    p.of(Field::Imsi, imsi)
}
