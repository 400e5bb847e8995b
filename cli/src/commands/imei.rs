//! `spectra imei …` and `spectra registry …`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use imei_registry::bulk::{BulkOptions, check_file};
use imei_registry::import::ImportOptions;
use imei_registry::pseudonym::PseudonymKey;
use imei_registry::tac::{TacDb, TacRecord};
use imei_registry::{
    CheckContext, CheckCounts, DeviceStatus, ReasonMask, Registry, RegistryIndex, classify,
};
use indicatif::{ProgressBar, ProgressStyle};

use crate::flags::imei::{
    CheckFlags, ExportListFlags, HistoryFlags, ImeiCommand, ImportFlags, ImportTacFlags, InfoFlags,
    RegistryCommand, RegistryFlags, SetStatusFlags,
};
use crate::output::{Status, note, print_json, print_text};

/// Environment variable holding the pseudonym key when no key file is given.
const KEY_ENV: &str = "SPECTRA_PSEUDONYM_KEY";

/// Runs an `imei` subcommand.
pub fn run_imei(cmd: ImeiCommand) -> anyhow::Result<Status> {
    match cmd {
        ImeiCommand::Check(f) => check(&f),
        ImeiCommand::Info(f) => info(&f),
    }
}

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
        RegistryCommand::Import(f) => import(&f),
        RegistryCommand::ImportTac(f) => import_tac(&f),
        RegistryCommand::SetStatus(f) => set_status(&f),
        RegistryCommand::ExportList(f) => export_list(&f),
        RegistryCommand::Verify(f) => {
            let reg = open(&f)?;
            match reg.verify_history() {
                Ok(n) => {
                    print_text(&format!(
                        "{}: history hash chain verified ({n} entries)",
                        reg.path().display()
                    ))?;
                    Ok(Status::Ok)
                }
                Err(e @ imei_registry::RegistryError::HistoryTampered { .. }) => {
                    print_text(&format!("{}: {e}", reg.path().display()))?;
                    Ok(Status::Findings)
                }
                Err(e) => Err(e.into()),
            }
        }
        RegistryCommand::Stats(f) => stats(&f),
        RegistryCommand::History(f) => history(&f),
        RegistryCommand::Contest(f) => super::contest::contest(&f),
        RegistryCommand::Contests(f) => super::contest::contests(&f),
        RegistryCommand::Decide(f) => super::contest::decide(&f),
    }
}

fn actor(a: Option<&String>) -> String {
    a.cloned()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "spectra".to_string())
}

/// Opens an existing registry. Reading commands never create one: a mistyped
/// path would otherwise check every IMEI against an empty registry.
pub(super) fn open(f: &RegistryFlags) -> anyhow::Result<Registry> {
    open_existing(&f.registry, f.actor.as_ref())
}

fn open_existing(path: &Path, actor_name: Option<&String>) -> anyhow::Result<Registry> {
    if !path.exists() {
        anyhow::bail!(
            "{}: expected an existing registry file, found none (create one with \
             `spectra registry init` or `spectra registry import`)",
            path.display()
        );
    }
    Registry::open(path, &actor(actor_name))
        .with_context(|| format!("opening the registry {}", path.display()))
}

/// Opens a registry, creating it if needed (`init` and the imports).
fn open_or_create(f: &RegistryFlags) -> anyhow::Result<Registry> {
    Registry::open(&f.registry, &actor(f.actor.as_ref()))
        .with_context(|| format!("opening the registry {}", f.registry.display()))
}

pub(super) fn parse_key(imei: &str) -> anyhow::Result<u64> {
    let p = classify(imei);
    p.key.ok_or_else(|| {
        anyhow::anyhow!(
            "{imei:?} is not a well-formed IMEI: {}",
            p.class.description()
        )
    })
}

fn parse_status(s: &str) -> anyhow::Result<DeviceStatus> {
    DeviceStatus::parse(s)
        .ok_or_else(|| anyhow::anyhow!("expected a status white, grey or black, found {s:?}"))
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

fn load_tacs(path: &Path) -> anyhow::Result<TacDb> {
    TacDb::read_path(path).with_context(|| format!("reading the TAC database {}", path.display()))
}

/// Runs a bulk check and returns the counts (shared with the demo).
fn run_check(
    input: &Path,
    out: &Path,
    index: &RegistryIndex,
    tacs: &TacDb,
    opts: &BulkOptions,
    quiet: bool,
) -> anyhow::Result<CheckCounts> {
    let is_csv =
        imei_registry::reader::InputKind::of(input) == imei_registry::reader::InputKind::Csv;
    let pb = bar(0, is_csv, quiet);
    let ctx = CheckContext {
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
    format!(
        "{} rows: {} allowed, {} grey, {} blocked ({} malformed, {} registered)",
        counts.rows,
        counts.allowed,
        counts.grey,
        counts.blocked,
        counts.malformed,
        counts.registered
    )
}

fn check(f: &CheckFlags) -> anyhow::Result<Status> {
    let t0 = std::time::Instant::now();
    let reg = open_existing(&f.registry, f.actor.as_ref())?;
    let tacs = match &f.tac_db {
        Some(p) => load_tacs(p)?,
        None => reg.tacs().clone(),
    };
    let opts = BulkOptions {
        column: f.column.clone(),
        chunk_bytes: f.chunk_mib.max(1) << 20,
        provenance: vec![("registry".to_string(), f.registry.display().to_string())],
        ..BulkOptions::default()
    };
    let t_open = t0.elapsed().as_secs_f64();
    let counts = run_check(&f.input, &f.out, reg.index(), &tacs, &opts, f.quiet)?;
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
    Ok(if f.fail_on_blocked && counts.blocked > 0 {
        Status::Findings
    } else {
        Status::Ok
    })
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
    let info = imei_registry::info(
        &f.imei,
        CheckContext {
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

fn read_key(file: Option<&PathBuf>) -> anyhow::Result<Option<PseudonymKey>> {
    let bytes = match file {
        Some(p) => {
            let b = std::fs::read(p)
                .with_context(|| format!("reading the key file {}", p.display()))?;
            b.trim_ascii().to_vec()
        }
        None => match std::env::var(KEY_ENV) {
            Ok(v) => v.into_bytes(),
            Err(_) => return Ok(None),
        },
    };
    Ok(Some(PseudonymKey::new(&bytes)?))
}

fn import(f: &ImportFlags) -> anyhow::Result<Status> {
    let mut reg = open_or_create(&f.reg)?;
    let opts = ImportOptions {
        batch_rows: f.batch_rows,
        source: f.source.clone(),
        key: read_key(f.key_file.as_ref())?,
    };
    let t0 = std::time::Instant::now();
    let s = reg
        .import_devices(&f.file, &opts)
        .with_context(|| format!("importing {}", f.file.display()))?;
    if f.reg.json {
        print_json(&s)?;
    } else {
        print_text(&format!(
            "{}: imported {} rows ({} new, {} updated, {} history entries) in {:.2} s",
            reg.path().display(),
            s.rows,
            s.inserted,
            s.updated,
            s.history_entries,
            t0.elapsed().as_secs_f64()
        ))?;
    }
    Ok(Status::Ok)
}

fn import_tac(f: &ImportTacFlags) -> anyhow::Result<Status> {
    let db = load_tacs(&f.file)?;
    let mut reg = open_or_create(&f.reg)?;
    let n = reg.import_tacs(&db)?;
    print_text(&format!(
        "{}: {} TACs read, {n} stored",
        reg.path().display(),
        db.len()
    ))?;
    Ok(Status::Ok)
}

fn set_status(f: &SetStatusFlags) -> anyhow::Result<Status> {
    let key = parse_key(&f.imei)?;
    let status = parse_status(&f.status)?;
    let reasons =
        ReasonMask::parse(&f.reasons).map_err(|u| anyhow::anyhow!("unknown reason code {u:?}"))?;
    let mut reg = open(&f.reg)?;
    reg.set_status(key, status, reasons, &f.source)?;
    print_text(&format!("{key:014}: {status} [{}]", reasons.names()))?;
    Ok(Status::Ok)
}

fn export_list(f: &ExportListFlags) -> anyhow::Result<Status> {
    let status = parse_status(&f.status)?;
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
    let key = parse_key(&f.imei)?;
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

/// The TAC database of a synthetic TAC mix.
fn tacs_of_mix(mix: &datasets::imei::TacMix) -> TacDb {
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
    let mut reg = Registry::open(&db, "spectra-demo")?;
    reg.import_tacs(&tacs_of_mix(&mix))?;
    // Demo key only: a real registry keeps its key outside the registry file.
    let key = PseudonymKey::new(b"spectra demo pseudonym key - not for production")?;
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
    let counts = run_check(&input, &out, reg.index(), reg.tacs(), &opts, true)?;
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
        reg.verify_history()?
    ));
    Ok(lines)
}
