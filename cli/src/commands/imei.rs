//! `spectra imei …`: bulk checks and information on one IMEI, and the IMEI
//! part of the demo.

use std::path::Path;

use anyhow::Context;
use imei_registry::bulk::{BulkOptions, check_file};
use imei_registry::import::ImportOptions;
use imei_registry::pseudonym::PseudonymKey;
use imei_registry::tac::{TacDb, TacRecord};
use imei_registry::{
    CheckContext, CheckCounts, DeviceStatus, ReasonMask, Registry, RegistryIndex, classify,
};
use indicatif::{ProgressBar, ProgressStyle};

use super::registry_access::{load_tacs, open_existing};
use crate::flags::imei::{CheckFlags, ImeiCommand, InfoFlags};
use crate::output::{Status, note, print_json, print_text};

/// Runs an `imei` subcommand.
pub fn run_imei(cmd: ImeiCommand) -> anyhow::Result<Status> {
    match cmd {
        ImeiCommand::Check(f) => check(&f),
        ImeiCommand::Info(f) => info(&f),
    }
}

fn bar(total: u64, bytes: bool, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(total);
    let tpl = if bytes {
        "{spinner} [{elapsed_precise}] {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {msg}"
    } else {
        "{spinner} [{elapsed_precise}] {bar:40} {human_pos}/{human_len} rows ({per_sec}, eta {eta}) {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(tpl) {
        pb.set_style(style);
    }
    pb
}

/// Runs a bulk check and returns the counts (shared with the demo).
fn run_check(
    input: &Path,
    out: &Path,
    index: &RegistryIndex,
    tacs: &TacDb,
    findings: Option<&imei_registry::findings::Findings>,
    opts: &BulkOptions,
    quiet: bool,
) -> anyhow::Result<CheckCounts> {
    let is_csv =
        imei_registry::reader::InputKind::of(input) == imei_registry::reader::InputKind::Csv;
    let pb = bar(0, is_csv, quiet);
    let ctx = CheckContext {
        findings,
        index,
        tacs: if tacs.is_empty() { None } else { Some(tacs) },
    };
    let progress = |done: u64, total: u64, rows: u64| {
        pb.set_length(total);
        pb.set_position(done);
        pb.set_message(format!("{rows} rows"));
    };
    let counts = check_file(input, out, ctx, opts, &progress)
        .with_context(|| format!("checking {} into {}", input.display(), out.display()))?;
    pb.finish_and_clear();
    Ok(counts)
}

fn summary_text(counts: &CheckCounts) -> String {
    let mut text = format!(
        "{} rows: {} allowed, {} grey, {} blocked ({} malformed, {} registered)",
        counts.rows,
        counts.allowed,
        counts.grey,
        counts.blocked,
        counts.malformed,
        counts.registered
    );
    if counts.refused > 0 {
        text.push_str(&format!(
            "; {} more rows refused without a verdict ({} read)",
            counts.refused,
            counts.rows + counts.refused
        ));
    }
    text
}

/// Names the refused rows on stderr.
fn note_refused(input: &Path, counts: &CheckCounts) {
    for r in &counts.refused_rows {
        note(&format!(
            "{}, line {}: refused: {}",
            input.display(),
            r.line,
            r.reason
        ));
    }
    let unnamed = counts.refused - counts.refused_rows.len() as u64;
    if unnamed > 0 {
        note(&format!("… and {unnamed} more refused rows"));
    }
}

fn check(f: &CheckFlags) -> anyhow::Result<Status> {
    let t0 = std::time::Instant::now();
    // The verdicts never replace the input, the registry or a special file.
    let mut inputs = vec![f.input.as_path(), f.registry.as_path()];
    inputs.extend(f.tac_db.as_deref());
    tabular::check_output(&f.out, &inputs)?;
    // Verdicts take about 10× the bytes of a CSV input as CSV, about as many
    // as Parquet (measured on synthetic check files).
    let input_bytes = std::fs::metadata(&f.input).map_or(0, |m| m.len());
    let factor = match tabular::SinkFormat::of(&f.out) {
        Ok(tabular::SinkFormat::Csv) => 12,
        _ => 2,
    };
    tabular::check_free_space(&f.out, input_bytes.saturating_mul(factor))?;
    let reg = open_existing(&f.registry, f.actor.as_ref())?;
    let tacs = match &f.tac_db {
        Some(p) => load_tacs(p)?,
        None => reg.tacs().clone(),
    };
    let opts = BulkOptions {
        column: f.column.clone(),
        chunk_bytes: usize::try_from(f.chunk_mib << 20).unwrap_or(usize::MAX),
        max_field_lines: f.max_field_lines,
        provenance: vec![("registry".to_string(), f.registry.display().to_string())],
        ..BulkOptions::default()
    };
    let on = f.date.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let findings = reg.findings(on)?;
    let t_open = t0.elapsed().as_secs_f64();
    let counts = run_check(
        &f.input,
        &f.out,
        reg.index(),
        &tacs,
        Some(&findings),
        &opts,
        f.quiet,
    )?;
    let secs = t0.elapsed().as_secs_f64();
    reg.audit(
        "bulk_check",
        &format!(
            "{} -> {}: {}",
            f.input.display(),
            f.out.display(),
            summary_text(&counts)
        ),
    )?;
    let rate = counts.rows as f64 / (secs - t_open).max(1e-9);
    if f.json {
        print_json(&serde_json::json!({
            "input": f.input, "output": f.out, "counts": counts, "seconds": secs,
            "open_seconds": t_open, "rows_per_second": rate,
            "rule_version": imei_registry::verdict::RULE_VERSION,
        }))?;
    } else {
        print_text(&format!(
            "{}: {} in {secs:.2} s ({:.1} M rows/s after {t_open:.2} s opening the registry)",
            f.out.display(),
            summary_text(&counts),
            rate / 1e6
        ))?;
    }
    note_refused(&f.input, &counts);
    // Refused rows make the verdicts incomplete: exit 1, never 0.
    Ok(
        if counts.refused > 0 || (f.fail_on_blocked && counts.blocked > 0) {
            Status::Findings
        } else {
            Status::Ok
        },
    )
}

fn info(f: &InfoFlags) -> anyhow::Result<Status> {
    let reg = match &f.registry {
        Some(p) => Some(open_existing(p, f.actor.as_ref())?),
        None => None,
    };
    let tacs = match (&f.tac_db, &reg) {
        (Some(p), _) => Some(load_tacs(p)?),
        (None, Some(r)) if !r.tacs().is_empty() => Some(r.tacs().clone()),
        _ => None,
    };
    let empty = RegistryIndex::default();
    let index = reg.as_ref().map_or(&empty, |r| r.index());
    let on = f.date.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let findings = match &reg {
        Some(r) => Some(r.findings(on)?),
        None => None,
    };
    let info = imei_registry::info(
        &f.imei,
        CheckContext {
            findings: findings.as_ref(),
            index,
            tacs: tacs.as_ref(),
        },
    );
    let device = match (&reg, classify(&f.imei).key) {
        (Some(r), Some(k)) => r.device(k)?,
        _ => None,
    };
    if f.json {
        let mut v = serde_json::to_value(&info)?;
        if let (Some(obj), Some(d)) = (v.as_object_mut(), &device) {
            obj.insert("registry".to_string(), serde_json::to_value(d)?);
        }
        print_json(&v)?;
    } else {
        let mut s = format!(
            "input: {:?}\nclass: {} ({})\nkey: {}\ncheck digit ok: {}\nTAC: {} ({})\nstatus: {}\nverdict: {}\nreason: {}\nrules: {}",
            info.input,
            info.class,
            info.class_description,
            info.key.as_deref().unwrap_or("-"),
            info.check_digit_ok
                .map_or("-".to_string(), |b| b.to_string()),
            info.tac.as_deref().unwrap_or("-"),
            match (&info.manufacturer, &info.model, info.tac_known) {
                (Some(m), Some(n), _) => format!("{m} {n}"),
                (_, _, Some(false)) => "unknown TAC".to_string(),
                _ => "no TAC database".to_string(),
            },
            info.status
                .map_or("not registered".to_string(), |s| s.to_string()),
            info.verdict,
            info.reason,
            info.rule_version
        );
        if let Some(d) = device {
            s.push_str(&format!(
                "\nregistry: source {}, first seen {}, registered {}, import declaration {}, owner {}",
                d.source,
                d.first_seen.as_deref().unwrap_or("-"),
                d.registered_at.as_deref().unwrap_or("-"),
                d.import_declaration.as_deref().unwrap_or("-"),
                d.owner_pseudonym.as_deref().unwrap_or("-")
            ));
        }
        print_text(&s)?;
    }
    Ok(Status::Ok)
}

/// The TAC database of a synthetic TAC mix.
pub(super) fn tacs_of_mix(mix: &datasets::imei::TacMix) -> TacDb {
    TacDb::from_records(mix.entries().iter().map(|e| TacRecord {
        tac: e.tac,
        manufacturer: e.manufacturer.clone(),
        model: e.model.clone(),
        source: "spectra-synthetic".to_string(),
        extra: Default::default(),
    }))
}

/// The IMEI part of `spectra demo`: builds a small registry, bulk-checks a
/// file, writes verdicts under `out_dir` and returns one summary line per output.
pub fn demo(out_dir: &Path) -> anyhow::Result<Vec<String>> {
    use datasets::imei::{CheckSpec, RegistrySpec, TacMix, write_check_csv, write_registry_csv};
    let dir = out_dir.join("imei");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut lines = Vec::new();
    let mix = TacMix::builtin();
    let reg_spec = RegistrySpec::new(20_000, 2026);
    let devices_csv = dir.join("registry-devices.csv");
    let mut w = tabular::AtomicFile::create(&devices_csv)?;
    let n = write_registry_csv(&reg_spec, &mix, &mut w, &|_| {})?;
    w.commit()?;
    lines.push(format!(
        "{}: {n} synthetic registry devices",
        devices_csv.display()
    ));

    // A fresh registry each run, so the demo is reproducible.
    let db = dir.join("registry.duckdb");
    for p in [db.clone(), db.with_extension("duckdb.wal")] {
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    let mut reg = Registry::open_or_create(&db, "spectra-demo")?;
    reg.import_tacs(&tacs_of_mix(&mix))?;
    // A fresh random key, made as `spectra registry new-key` makes one (a real
    // registry keeps its key file apart from the registry file).
    let key_file = dir.join("pseudonym.key");
    if key_file.exists() {
        std::fs::remove_file(&key_file)
            .with_context(|| format!("removing {}", key_file.display()))?;
    }
    imei_registry::pseudonym::write_key_file(&key_file, &PseudonymKey::generate()?)?;
    let key = imei_registry::pseudonym::read_key_file(&key_file)?;
    let s = reg.import_devices(
        &devices_csv,
        &ImportOptions {
            key: Some(key),
            ..ImportOptions::default()
        },
    )?;
    lines.push(format!(
        "{}: registry with {} devices, {} TACs, {} history entries",
        db.display(),
        reg.index().len(),
        reg.tacs().len(),
        s.history_entries
    ));

    let input = dir.join("check-input.csv");
    let mut w = tabular::AtomicFile::create(&input)?;
    let rows = write_check_csv(
        &CheckSpec::new(200_000, 2026),
        &reg_spec,
        &mix,
        &mut w,
        &|_| {},
    )?;
    w.commit()?;
    lines.push(format!("{}: {rows} IMEIs to check", input.display()));

    let out = dir.join("verdicts.parquet");
    let opts = BulkOptions {
        provenance: vec![("registry".into(), db.display().to_string())],
        ..BulkOptions::default()
    };
    let counts = run_check(&input, &out, reg.index(), reg.tacs(), None, &opts, true)?;
    reg.audit(
        "bulk_check",
        &format!("{} -> {}", input.display(), out.display()),
    )?;
    lines.push(format!("{}: {}", out.display(), summary_text(&counts)));

    let black = dir.join("black-list.csv");
    let nb = imei_registry::lists::export_list(&reg, DeviceStatus::Black, &black)?;
    lines.push(format!(
        "{}: {nb} devices on the black list",
        black.display()
    ));
    // Contest one blocked device's decision and uphold it: the status is
    // corrected with a history entry naming the contest.
    let first_black = reg
        .index()
        .iter()
        .find(|e| e.1 == DeviceStatus::Black)
        .map(|e| e.0);
    if let Some(key) = first_black {
        let id = reg
            .file_contest(key, "Device recovered by its owner (demo)")?
            .id;
        let c = reg.decide_contest(
            id,
            imei_registry::contest::ContestDecision::Uphold {
                status: DeviceStatus::White,
                reasons: ReasonMask::parse("RECOVERED")
                    .map_err(|u| anyhow::anyhow!("unknown reason code {u:?}"))?,
            },
            "Recovery confirmed (demo)",
        )?;
        lines.push(format!(
            "contest {id}: device {} contested its {} verdict; {}",
            c.key,
            c.contested_verdict,
            c.state.name()
        ));
    }
    note(&format!(
        "imei demo: registry {} verified ({} history entries)",
        db.display(),
        reg.verify(None)?
            .chains
            .get("status_history")
            .copied()
            .unwrap_or_default()
    ));
    Ok(lines)
}
