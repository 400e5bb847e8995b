//! `spectra registry add-operator` and `spectra registry
//! import-operator-data`: typed flags into one library call per file.

use anyhow::Context;
use imei_registry::operator_data::{Operator, Period};
use imei_registry::pseudonym::PseudonymKey;
use imei_registry::{ImeiError, RegistryError};

use super::registry_access::{open_or_create, warn_if_shared};
use crate::flags::operators::{AddOperatorFlags, ClassifyFlags, ImportOperatorDataFlags};
use crate::output::{Status, note, print_text};

/// Environment variable holding the network-monitoring key text.
const NETWORK_KEY_ENV: &str = "SPECTRA_NETWORK_KEY";

pub(super) fn add_operator(f: &AddOperatorFlags) -> anyhow::Result<Status> {
    let prefixes: Vec<&str> = f.mcc_mnc.iter().map(String::as_str).collect();
    let op = Operator::new(&f.name, &prefixes)?;
    let mut reg = open_or_create(&f.reg)?;
    reg.add_operator(&op)?;
    print_text(&format!(
        "{}: operator {} with MCC-MNC {}",
        reg.path().display(),
        op.name,
        op.mcc_mnc.join(", ")
    ))?;
    Ok(Status::Ok)
}

fn network_key(f: &ImportOperatorDataFlags) -> anyhow::Result<PseudonymKey> {
    match &f.network_key_file {
        Some(p) => {
            warn_if_shared(p);
            imei_registry::pseudonym::read_key_file(p)
                .with_context(|| format!("reading the network key file {}", p.display()))
        }
        None => match std::env::var(NETWORK_KEY_ENV) {
            Ok(v) => Ok(PseudonymKey::parse(&v, &format!("${NETWORK_KEY_ENV}"))?),
            Err(_) => anyhow::bail!(
                "expected the network-monitoring key (--network-key-file FILE or ${NETWORK_KEY_ENV}), found none"
            ),
        },
    }
}

pub(super) fn import_operator_data(f: &ImportOperatorDataFlags) -> anyhow::Result<Status> {
    // Every file's period and the key are settled before anything is opened.
    let key = network_key(f)?;
    let periods: Vec<Period> = f
        .files
        .iter()
        .map(|p| {
            f.period.or_else(|| Period::from_file_name(p)).ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: expected --period or a file name ending in _YYYYMMDD_YYYYMMDD, found neither",
                    p.display()
                )
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let mut reg = open_or_create(&f.reg)?;
    let limits = f.thresholds();
    let mut status = Status::Ok;
    for (path, period) in f.files.iter().zip(periods) {
        match reg.import_operator_data(&f.operator, path, period, &limits, &key) {
            Ok(done) => print_text(&format!(
                "{}\n  stored: {} triplets ({} new) for {} to {}",
                done.report, done.triplets, done.new_triplets, period.from, period.to
            ))?,
            Err(RegistryError::Core(ImeiError::Refused(report))) => {
                note(&format!("refused, nothing stored: {report}"));
                status = Status::Findings;
            }
            Err(e) => {
                return Err(e).with_context(|| format!("importing {}", path.display()));
            }
        }
    }
    Ok(status)
}

pub(super) fn classify(f: &ClassifyFlags) -> anyhow::Result<Status> {
    let text = std::fs::read_to_string(&f.conditions)
        .with_context(|| format!("reading {}", f.conditions.display()))?;
    let mut reg = open_or_create(&f.reg)?;
    let done = reg.classify(&text, &f.conditions.display().to_string(), f.date)?;
    let mut events: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for d in &done.outcome.decisions {
        *events.entry(d.event.name()).or_default() += 1;
    }
    print_text(&format!(
        "{}: run {} on {}, rule version {}: {} IMEIs; matched {}; decisions {}",
        reg.path().display(),
        done.run_id,
        f.date,
        done.rule_version,
        done.outcome.imeis,
        done.outcome
            .matched
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        events
            .iter()
            .map(|(e, n)| format!("{e} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    Ok(Status::Ok)
}
