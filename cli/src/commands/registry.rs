//! `spectra registry …`: the registry store's commands. Each turns its typed
//! flags into one library call and one output.

use anyhow::Context;
use imei_registry::import::ImportOptions;
use imei_registry::{DeviceStatus, ReasonMask};

use super::registry_access::{load_tacs, open, open_or_create, read_key};
use crate::flags::registry::{
    CheckpointFlags, ExportListFlags, HistoryFlags, ImportFlags, ImportTacFlags, PublishFlags,
    RegistryCommand, SetStatusFlags, VerifyFlags,
};
use crate::flags::registry_file::RegistryFlags;
use crate::output::{Status, print_json, print_text};

/// Runs a `registry` subcommand.
pub fn run_registry(cmd: RegistryCommand) -> anyhow::Result<Status> {
    match cmd {
        RegistryCommand::Init(f) => {
            let reg = open_or_create(&f)?;
            print_text(&format!(
                "{}: registry ready ({} devices)",
                reg.path().display(),
                reg.index().len()
            ))?;
            Ok(Status::Ok)
        }
        RegistryCommand::Checkpoint(f) => checkpoint(&f),
        RegistryCommand::Publish(f) => publish(&f),
        RegistryCommand::Import(f) => import(&f),
        RegistryCommand::ImportTac(f) => import_tac(&f),
        RegistryCommand::SetStatus(f) => set_status(&f),
        RegistryCommand::ExportList(f) => export_list(&f),
        RegistryCommand::Verify(f) => verify(&f),
        RegistryCommand::Stats(f) => stats(&f),
        RegistryCommand::History(f) => history(&f),
        RegistryCommand::Contest(f) => super::contest::contest(&f),
        RegistryCommand::Contests(f) => super::contest::contests(&f),
        RegistryCommand::Decide(f) => super::contest::decide(&f),
        RegistryCommand::NewKey(f) => super::pseudonym_key::new_key(&f),
        RegistryCommand::RotateKey(f) => super::pseudonym_key::rotate_key(&f),
        RegistryCommand::AddOperator(f) => super::operators::add_operator(&f),
        RegistryCommand::ImportOperatorData(f) => super::operators::import_operator_data(&f),
        RegistryCommand::Classify(f) => super::operators::classify(&f),
        RegistryCommand::Lists(f) => super::operators::lists(&f),
        RegistryCommand::ImportList(f) => super::operators::import_list(&f),
        RegistryCommand::ImportPairings(f) => super::subject::import_pairings(&f),
        RegistryCommand::SubjectAccess(f) => super::subject::subject_access(&f),
        RegistryCommand::Erase(f) => super::subject::erase(&f),
        RegistryCommand::Retention(f) => super::subject::retention(&f),
    }
}

fn verify(f: &VerifyFlags) -> anyhow::Result<Status> {
    let checkpoint = match &f.checkpoint {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("reading the checkpoint {}", p.display()))?;
            Some(
                imei_registry::chain::Checkpoint::parse(&text)
                    .with_context(|| format!("reading the checkpoint {}", p.display()))?,
            )
        }
        None => None,
    };
    let reg = open(&f.reg)?;
    match reg.verify(checkpoint.as_ref()) {
        Ok(report) => {
            if f.reg.json {
                print_json(&report)?;
            } else {
                let chains: Vec<String> = report
                    .chains
                    .iter()
                    .map(|(name, n)| format!("{name} {n}"))
                    .collect();
                let anchor = if report.checkpoint_extended {
                    "; every chain extends the checkpoint"
                } else {
                    ""
                };
                print_text(&format!(
                    "{}: verified: hash chains ({}), {} devices and {} contests match their chains, {} \
                     classification runs their audited decisions{anchor}",
                    reg.path().display(),
                    chains.join(", "),
                    report.devices,
                    report.contests,
                    report.classification_runs
                ))?;
            }
            Ok(Status::Ok)
        }
        Err(e @ imei_registry::RegistryError::Tampered { .. }) => {
            print_text(&format!("{}: {e}", reg.path().display()))?;
            Ok(Status::Findings)
        }
        Err(e) => Err(e.into()),
    }
}

fn publish(f: &PublishFlags) -> anyhow::Result<Status> {
    tabular::check_output(&f.out, &[f.reg.registry.as_path()])?;
    let mut reg = open(&f.reg)?;
    let date = f.date.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let p = reg.publish(&f.out, date)?;
    if f.reg.json {
        print_json(&p)?;
    } else {
        print_text(&format!(
            "{}: EIR snapshot of {} devices, {} TACs, {} findings, {} pairs ({} bytes; rule version {})",
            f.out.display(),
            p.devices,
            p.tacs,
            p.findings,
            p.pairs,
            p.bytes,
            if p.meta.rule_version.is_empty() {
                "none"
            } else {
                p.meta.rule_version.as_str()
            }
        ))?;
    }
    Ok(Status::Ok)
}

fn checkpoint(f: &CheckpointFlags) -> anyhow::Result<Status> {
    if let Some(out) = &f.out {
        tabular::check_output(out, &[f.reg.registry.as_path()])?;
    }
    let reg = open(&f.reg)?;
    let cp = match reg.checkpoint() {
        Ok(cp) => cp,
        Err(e @ imei_registry::RegistryError::Tampered { .. }) => {
            print_text(&format!("{}: {e}", reg.path().display()))?;
            return Ok(Status::Findings);
        }
        Err(e) => return Err(e.into()),
    };
    let text = serde_json::to_string_pretty(&cp)?;
    match &f.out {
        Some(p) => {
            let write = || -> anyhow::Result<()> {
                use std::io::Write;
                let mut file = tabular::AtomicFile::create(p)?;
                file.write_all(format!("{text}\n").as_bytes())?;
                file.commit()?;
                Ok(())
            };
            write().with_context(|| format!("writing {}", p.display()))?;
            print_text(&format!(
                "{}: checkpoint written to {}",
                reg.path().display(),
                p.display()
            ))?;
        }
        None => print_text(&text)?,
    }
    Ok(Status::Ok)
}

fn import(f: &ImportFlags) -> anyhow::Result<Status> {
    // A bad key is refused before the registry is opened (or created).
    let key = read_key(f.key_file.as_ref())?;
    let mut reg = open_or_create(&f.reg)?;
    let opts = ImportOptions {
        batch_rows: f.batch_rows,
        source: f.source.clone(),
        key,
    };
    let t0 = std::time::Instant::now();
    let s = reg
        .import_devices(&f.file, &opts)
        .with_context(|| format!("importing {}", f.file.display()))?;
    if f.reg.json {
        print_json(&s)?;
    } else {
        print_text(&format!(
            "{}: imported {} rows ({} new, {} updated, {} exact repeats skipped; {} history entries) in {:.2} s",
            reg.path().display(),
            s.rows,
            s.inserted,
            s.updated,
            s.repeated,
            s.history_entries,
            t0.elapsed().as_secs_f64()
        ))?;
    }
    Ok(Status::Ok)
}

fn import_tac(f: &ImportTacFlags) -> anyhow::Result<Status> {
    let db = load_tacs(&f.file)?;
    let mut reg = open_or_create(&f.reg)?;
    let before = reg.tacs().len();
    let n = reg.import_tacs(&db)?;
    print_text(&format!(
        "{}: {} TACs read from {}: {} new, {n} in the registry's TAC table",
        reg.path().display(),
        db.len(),
        f.file.display(),
        n.saturating_sub(before)
    ))?;
    Ok(Status::Ok)
}

fn set_status(f: &SetStatusFlags) -> anyhow::Result<Status> {
    let (key, status, reasons) = (f.imei, f.status, f.reasons);
    let mut reg = open(&f.reg)?;
    let changed = reg.set_status(key, status, reasons, &f.source)?;
    let note = if changed {
        ""
    } else {
        " (unchanged: nothing recorded)"
    };
    print_text(&format!("{key:014}: {status} [{}]{note}", reasons.names()))?;
    Ok(Status::Ok)
}

fn export_list(f: &ExportListFlags) -> anyhow::Result<Status> {
    let status = f.status;
    tabular::check_output(&f.out, &[f.reg.registry.as_path()])?;
    let reg = open(&f.reg)?;
    let n = imei_registry::lists::export_list(&reg, status, &f.out)?;
    print_text(&format!(
        "{}: {n} devices on the {status} list",
        f.out.display()
    ))?;
    Ok(Status::Ok)
}

fn stats(f: &RegistryFlags) -> anyhow::Result<Status> {
    let reg = open(f)?;
    let [white, grey, black] = reg.index().counts();
    let v = serde_json::json!({
        "registry": reg.path(), "devices": reg.count("devices")?, "white": white, "grey": grey, "black": black,
        "history_entries": reg.count("status_history")?, "audit_entries": reg.count("audit_log")?,
        "tacs": reg.count("tac")?, "index_bytes": reg.index().heap_bytes(),
        "pseudonym_key_fingerprint": reg.meta("pseudonym_key_fingerprint")?,
    });
    if f.json {
        print_json(&v)?;
    } else {
        print_text(&format!(
            "{}: {} devices ({white} white, {grey} grey, {black} black), {} history entries, {} audit entries, {} TACs",
            reg.path().display(),
            reg.index().len(),
            v["history_entries"],
            v["audit_entries"],
            v["tacs"]
        ))?;
    }
    Ok(Status::Ok)
}

fn history(f: &HistoryFlags) -> anyhow::Result<Status> {
    let key = f.imei;
    let reg = open(&f.reg)?;
    let h = reg.history(key)?;
    reg.audit("read_history", &format!("device {key:014}"))?;
    if f.reg.json {
        print_json(&h)?;
    } else {
        let mut s = format!("{key:014}: {} entries", h.len());
        for e in &h {
            s.push_str(&format!(
                "\n#{} {} {} -> {} [{}] by {} ({})",
                e.seq,
                chrono::DateTime::from_timestamp_micros(e.at_us)
                    .map_or(e.at_us.to_string(), |t| t.to_rfc3339()),
                e.old_status.map_or("unregistered", DeviceStatus::name),
                e.new_status,
                ReasonMask(e.reason_mask).names(),
                e.actor,
                e.source
            ));
        }
        print_text(&s)?;
    }
    Ok(Status::Ok)
}
