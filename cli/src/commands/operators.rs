//! `spectra registry add-operator` and `spectra registry
//! import-operator-data`: typed flags into one library call per file.

use anyhow::Context;
use imei_registry::operator_data::{Operator, Period};
use imei_registry::pseudonym::PseudonymKey;
use imei_registry::{ImeiError, RegistryError};

use super::registry_access::open_or_create;
use crate::flags::operators::{
    AddOperatorFlags, ClassifyFlags, ImportListFlags, ImportOperatorDataFlags, ListKind, ListsFlags,
};
use crate::output::{Status, note, print_text};

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

pub(super) fn import_operator_data(f: &ImportOperatorDataFlags) -> anyhow::Result<Status> {
    // Every file's period and the key are settled before anything is opened.
    let key = super::subject::network_key(&f.network)?;
    let vault = super::subject::vault_key(&f.vault)?;
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
        match reg.import_operator_data(&f.operator, path, period, &limits, &key, &vault) {
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

/// The conditions of the demo's classification run.
const DEMO_CONDITIONS: &str = r#"# Spectra demo: the registry's classification conditions.
[[condition]]
label = "duplicate"
reason = "The IMEI is used with many different SIM cards"
grace_days = 60
blocking = true
sticky = false
max_matching_share = 0.1
[[condition.dimension]]
module = "duplicate"
threshold = 5
period_days = 30

[[condition]]
label = "stolen"
reason = "The device was reported stolen"
grace_days = 0
blocking = true
max_matching_share = 0.1
[[condition.dimension]]
module = "stolen"

[[condition]]
label = "unknown_type"
reason = "The device's type (TAC) is not in the GSMA database"
grace_days = 30
blocking = true
max_matching_share = 0.1
[[condition.dimension]]
module = "gsma_not_found"

[[condition]]
label = "unregistered"
reason = "The device is not registered"
grace_days = 90
blocking = false
max_matching_share = 0.5
[[condition.dimension]]
module = "not_registered"
[[condition.dimension]]
module = "malformed"
invert = true
"#;

/// The demo's registry life cycle: a month of operator data for two
/// operators, imported with the safety checks under the network key, then
/// classified.
pub fn demo(out_dir: &std::path::Path) -> anyhow::Result<Vec<String>> {
    use datasets::imei::{NetworkSpec, TacMix, write_registry_csv};
    let dir = out_dir.join("imei").join("lifecycle");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let db = dir.join("registry.duckdb");
    let month = chrono::NaiveDate::from_ymd_opt(2026, 10, 1)
        .ok_or_else(|| anyhow::anyhow!("the demo month"))?;
    let spec = NetworkSpec::new(4_000, 2026, month);
    let mut stale = vec![
        db.clone(),
        db.with_extension("duckdb.wal"),
        db.with_extension("duckdb.vault"),
        dir.join("devices.csv"),
        dir.join("conditions.toml"),
        dir.join("network.key"),
    ];
    stale.extend(spec.operators.iter().map(|o| dir.join(spec.file_name(o))));
    stale.push(dir.join(datasets::imei::stolen_file_name(&spec)));
    for p in stale {
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    let mut lines = super::datasets::operator_data(&crate::flags::datasets::OperatorDataFlags {
        subscribers: spec.subscribers,
        month,
        out_dir: dir.clone(),
        seed: spec.seed,
        operators: spec.operators.len(),
        daily_presence: spec.daily_presence,
    })?;
    let mix = TacMix::builtin();
    let devices = dir.join("devices.csv");
    let mut w = tabular::AtomicFile::create(&devices)?;
    write_registry_csv(&spec.registry, &mix, &mut w, &|_| {})?;
    w.commit()?;
    let mut reg = imei_registry::Registry::create(&db, "spectra-demo")?;
    reg.import_tacs(&super::imei::tacs_of_mix(&mix))?;
    reg.import_devices(
        &devices,
        &imei_registry::import::ImportOptions {
            key: Some(PseudonymKey::generate()?),
            ..Default::default()
        },
    )?;
    // Another purpose, another key (a real registry keeps both in files
    // apart from it: `spectra registry new-key`).
    let network = PseudonymKey::generate()?;
    let vault = PseudonymKey::generate()?;
    // The service needs the network key to match SUPIs against the pairing
    // list (written mode 0600, as `spectra registry new-key` does).
    imei_registry::pseudonym::write_key_file(&dir.join("network.key"), &network)?;
    for op in &spec.operators {
        reg.add_operator(&Operator::new(&op.name, &[op.mcc_mnc.as_str()])?)?;
        let path = dir.join(spec.file_name(op));
        let period = Period::from_file_name(&path)
            .ok_or_else(|| anyhow::anyhow!("{}: no period in the name", path.display()))?;
        let done = reg.import_operator_data(
            &op.name,
            &path,
            period,
            &imei_registry::operator_data::Thresholds::default(),
            &network,
            &vault,
        )?;
        lines.push(format!(
            "imported {}: {} rows, {} triplets; {}",
            path.display(),
            done.report.rows,
            done.triplets,
            done.report
                .checks
                .iter()
                .map(|c| format!("{} {:.2} %", c.name, 100.0 * c.share))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let stolen = dir.join(datasets::imei::stolen_file_name(&spec));
    let n = reg.import_device_list(imei_registry::device_lists::DeviceList::Stolen, &stolen)?;
    lines.push(format!(
        "imported {n} stolen-device reports from {}",
        stolen.display()
    ));
    let conditions = dir.join("conditions.toml");
    std::fs::write(&conditions, DEMO_CONDITIONS)
        .with_context(|| format!("writing {}", conditions.display()))?;
    let date = spec.last_day();
    let run = reg.classify(DEMO_CONDITIONS, &conditions.display().to_string(), date)?;
    lines.push(format!(
        "classified {} IMEIs seen up to {date} under {} (rule version {}): {}",
        run.outcome.imeis,
        conditions.display(),
        &run.rule_version[..12],
        run.outcome
            .matched
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if let Some(d) = run
        .outcome
        .decisions
        .iter()
        .find(|d| d.condition == "duplicate")
    {
        lines.push(format!(
            "e.g. {} {}: {} — block date {} — \"{}\"",
            d.imei, d.condition, d.inputs, d.block_date, d.reason
        ));
    }
    // Three weeks on, the findings are in their grace: each operator is
    // told which of its subscribers to notify.
    let lists = dir.join("lists");
    std::fs::create_dir_all(&lists).with_context(|| format!("creating {}", lists.display()))?;
    let soon = date + chrono::Duration::days(20);
    let first = reg.write_lists(soon, &lists, None, &vault)?;
    lines.push(format!(
        "lists of {soon} (generation {}): {} blocked, {} subscribers to notify, {} exceptions",
        first.list_id, first.blocked, first.notifications, first.exceptions
    ));
    // One subscriber's pair goes on the pairing list (an exception).
    let op0 = &spec.operators[0];
    let (imei, imsi) = first_pair(&dir.join(spec.file_name(op0)), &op0.mcc_mnc)?;
    let pairings = dir.join("pairings.csv");
    tabular::write_atomic(&pairings, format!("imei,imsi\n{imei},{imsi}\n").as_bytes())?;
    reg.import_pairing_list(&pairings, &network, &vault)?;
    // The block list once the clones' 60 days of grace are over, with the
    // deltas against the first generation.
    let on = date + chrono::Duration::days(60);
    let done = reg.write_lists(on, &lists, Some(first.list_id), &vault)?;
    lines.push(format!(
        "lists of {on} (generation {}): {} IMEIs blocked, {} to notify, {} exceptions in {} ({} files with \
         SHA-256 in manifest.json); deltas: {}",
        done.list_id,
        done.blocked,
        done.notifications,
        done.exceptions,
        lists.display(),
        done.files.len() - 1,
        done.operator_deltas
            .iter()
            .filter(|(_, d)| !d.is_empty())
            .map(|(f, d)| format!(
                "{f} {}",
                d.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(" ")
            ))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    // The owner of a clone contests the finding; the regulator rejects it.
    if let Some(d) = run
        .outcome
        .decisions
        .iter()
        .find(|d| d.condition == "duplicate")
        && let Some(key) = imei_registry::identity::classify(&d.imei).key
    {
        let c = reg.file_contest(
            key,
            "I bought this phone new; the other SIM cards are not mine",
        )?;
        let c = reg.decide_contest(
            c.id,
            imei_registry::contest::ContestDecision::Reject,
            "the IMEI was seen with 15 SIM cards of different subscribers on the same days",
        )?;
        lines.push(format!(
            "contest {} of {}: contested \"{}\" (rules {}); {}",
            c.id,
            c.key,
            c.contested_reason,
            c.rule_version,
            c.state.name()
        ));
    }
    // The subscriber asks what is held about them, then to be erased.
    let export = reg.subscriber_access(&imsi, &network, &vault, "demo request SAR-1")?;
    let sar = dir.join("subject_access.json");
    tabular::write_atomic(&sar, serde_json::to_string_pretty(&export)?.as_bytes())?;
    lines.push(format!(
        "subject access for IMSI {imsi}: {} sightings, {} vault entries, {} pairings -> {}",
        export.sightings.len(),
        export.vault.len(),
        export.pairings.len(),
        sar.display()
    ));
    let gone = reg.erase_subscriber(&imsi, &network, "demo request ERA-1")?;
    lines.push(format!(
        "erasure: destruction act {}: {}",
        gone.act.act_id, gone.act.detail
    ));
    // The online check: the snapshot `spectra serve` answers from, and a
    // configuration for it (the demo token is printed; only its hash is
    // stored).
    let snapshot = dir.join("registry.snapshot");
    let p = reg.publish(&snapshot, date)?;
    let serve = dir.join("serve.toml");
    tabular::write_atomic(
        &serve,
        format!(
            "snapshot = \"registry.snapshot\"\nnetwork_key_file = \"network.key\"\n\n[http]\n\
             listen = \"127.0.0.1:8080\"\n\n[[client]]\nname = \"demo\"\ntoken_sha256 = \"{}\"\n\
             scopes = [\"eir\", \"operator-api\", \"metrics\"]\nrequests_per_second = 1000\n",
            spectra_eir::config::token_sha256_hex("demo-token")
        )
        .as_bytes(),
    )?;
    lines.push(format!(
        "EIR snapshot: {} devices, {} findings, {} pairs -> {}; serve it with `spectra serve --config {}` \
         (bearer token demo-token)",
        p.devices,
        p.findings,
        p.pairs,
        snapshot.display(),
        serve.display()
    ));
    lines.push(format!("{}: registry with the decisions", db.display()));
    Ok(lines)
}

/// The IMEI and IMSI of the first row of an operator data CSV with a valid
/// IMEI and an IMSI under `prefix`.
fn first_pair(path: &std::path::Path, prefix: &str) -> anyhow::Result<(String, String)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .skip(1)
        .map(|row| row.split(',').collect::<Vec<_>>())
        .find_map(|f| match (f.get(1), f.get(2)) {
            (Some(imei), Some(imsi))
                if imei_registry::identity::classify(imei).key.is_some()
                    && imsi.starts_with(prefix) =>
            {
                Some((imei.to_string(), imsi.to_string()))
            }
            _ => None,
        })
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{}: expected a row of a valid IMEI and own IMSI, found none",
                path.display()
            )
        })
}

pub(super) fn lists(f: &ListsFlags) -> anyhow::Result<Status> {
    let vault = super::subject::vault_key(&f.vault)?;
    let mut reg = open_or_create(&f.reg)?;
    let done = reg.write_lists(f.date, &f.out, f.base, &vault)?;
    if f.reg.json {
        crate::output::print_json(&done)?;
        return Ok(Status::Ok);
    }
    let mut text = format!(
        "list generation {} on {} from classification run {}: {} IMEIs blocked, {} notifications, {} \
         exceptions",
        done.list_id, f.date, done.run_id, done.blocked, done.notifications, done.exceptions
    );
    if let Some(d) = &done.delta {
        text.push_str(&format!(
            "; delta against {}: {}",
            f.base.unwrap_or(0),
            d.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (stem, d) in &done.operator_deltas {
        text.push_str(&format!(
            "; {stem}: {}",
            d.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for file in &done.files {
        text.push_str(&format!(
            "\n  {} ({} rows, sha256 {})",
            file.path.display(),
            file.rows,
            file.sha256
        ));
    }
    print_text(&text)?;
    Ok(Status::Ok)
}

pub(super) fn import_list(f: &ImportListFlags) -> anyhow::Result<Status> {
    use imei_registry::device_lists::DeviceList;
    let kind = match f.kind {
        ListKind::Stolen => DeviceList::Stolen,
        ListKind::Golden => DeviceList::Golden,
        ListKind::BarredTac => DeviceList::BarredTac,
    };
    let mut reg = open_or_create(&f.reg)?;
    let n = reg
        .import_device_list(kind, &f.file)
        .with_context(|| format!("importing {}", f.file.display()))?;
    print_text(&format!(
        "{}: {n} rows of the {} list from {}",
        reg.path().display(),
        kind.name(),
        f.file.display()
    ))?;
    Ok(Status::Ok)
}
