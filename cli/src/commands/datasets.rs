//! `spectra datasets …`.

use anyhow::Context;
use datasets::imei::{CheckSpec, RegistrySpec, TacMix, write_check_csv, write_registry_csv};
use indicatif::{ProgressBar, ProgressStyle};

use crate::flags::datasets::{
    DatasetsCommand, ImeiDataFlags, OperatorDataFlags, StationsDataFlags,
};
use crate::output::{Status, print_text};

/// Runs a `datasets` subcommand.
pub fn run(cmd: DatasetsCommand) -> anyhow::Result<Status> {
    match cmd {
        DatasetsCommand::Imei(f) => imei(&f),
        DatasetsCommand::Stations(f) => stations(&f),
        DatasetsCommand::OperatorData(f) => {
            for line in operator_data(&f)? {
                print_text(&line)?;
            }
            Ok(Status::Ok)
        }
    }
}

/// Writes a month of operator data; one line per file.
pub(super) fn operator_data(f: &OperatorDataFlags) -> anyhow::Result<Vec<String>> {
    let spec = datasets::imei::NetworkSpec::new(f.subscribers, f.seed, f.month)
        .with_operators(f.operators)
        .and_then(|s| s.with_daily_presence(f.daily_presence))
        .map_err(|e| anyhow::anyhow!("--operators / --daily-presence: {e}"))?;
    let mix = TacMix::builtin();
    let mut lines = Vec::new();
    for (i, op) in spec.operators.iter().enumerate() {
        let path = f.out_dir.join(spec.file_name(op));
        tabular::check_output(&path, &[])?;
        let mut w = tabular::AtomicFile::create(&path)?;
        let rows = datasets::imei::write_operator_month(&spec, &mix, i, &mut w)?;
        w.commit()?;
        lines.push(format!(
            "{}: {rows} rows of operator {} (MCC-MNC {})",
            path.display(),
            op.name,
            op.mcc_mnc
        ));
    }
    let path = f.out_dir.join(datasets::imei::stolen_file_name(&spec));
    tabular::check_output(&path, &[])?;
    let mut w = tabular::AtomicFile::create(&path)?;
    let n = datasets::imei::write_stolen_reports(&spec, &mix, &mut w)?;
    w.commit()?;
    lines.push(format!(
        "{}: {n} stolen-device reports of devices still in use (`spectra registry import-list --kind stolen`)",
        path.display()
    ));
    Ok(lines)
}

fn stations(f: &StationsDataFlags) -> anyhow::Result<Status> {
    if !(0.0..=1.0).contains(&f.nonconforming_share) {
        anyhow::bail!(
            "--nonconforming-share: expected a share from 0 to 1, found {}",
            f.nonconforming_share
        );
    }
    for p in std::iter::once(&f.out).chain(f.operators_out.as_ref()) {
        tabular::SinkFormat::of(p)?;
        tabular::check_output(p, &[])?;
    }
    let register = datasets::stations::generate(&datasets::stations::StationParams {
        seed: f.seed,
        assignments: f.assignments,
        nonconforming_share: f.nonconforming_share,
    })?;
    let provenance = tabular::Provenance::new("spectra datasets stations")
        .with("seed", f.seed.to_string())
        .with("nonconforming_share", f.nonconforming_share.to_string());
    let rows = stations::write::write_batch(
        &f.out,
        &stations::write::register_batch(&register)?,
        &provenance,
    )
    .with_context(|| format!("writing {}", f.out.display()))?;
    let mut text = format!("wrote {} ({rows} assignments)", f.out.display());
    if let Some(p) = &f.operators_out {
        let n = stations::write::write_batch(
            p,
            &stations::write::operators_batch(&register)?,
            &provenance,
        )
        .with_context(|| format!("writing {}", p.display()))?;
        text.push_str(&format!("\nwrote {} ({n} operators)", p.display()));
    }
    print_text(&text)?;
    Ok(Status::Ok)
}

fn bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(total);
    if let Ok(s) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:40} {human_pos}/{human_len} rows ({per_sec})",
    ) {
        pb.set_style(s);
    }
    pb
}

fn imei(f: &ImeiDataFlags) -> anyhow::Result<Status> {
    let mix = match &f.tac_source {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            TacMix::from_osmocom(&text).with_context(|| format!("TAC mix from {}", p.display()))?
        }
        None => TacMix::builtin(),
    };
    for (name, v) in [
        ("--malformed-share", f.malformed_share),
        ("--stolen-share", f.stolen_share),
        ("--unregistered-share", f.unregistered_share),
    ] {
        anyhow::ensure!(
            (0.0..=1.0).contains(&v),
            "{name}: expected a share between 0 and 1, found {v}"
        );
    }
    anyhow::ensure!(
        f.registry_devices > 0,
        "--registry-devices: expected at least 1"
    );
    let reg = RegistrySpec::new(f.registry_devices, f.seed);
    let mut spec = CheckSpec::new(f.rows, f.seed.wrapping_add(1));
    spec.malformed_share = f.malformed_share;
    spec.stolen_share = f.stolen_share;
    spec.unregistered_share = f.unregistered_share;
    // About 20 bytes per check row and 110 per registry row (measured on
    // the generator's output): refuse at once when the disk cannot hold it.
    tabular::check_free_space(&f.out, f.rows.saturating_mul(20))?;
    if let Some(path) = &f.registry_out {
        tabular::check_free_space(path, f.registry_devices.saturating_mul(110))?;
    }
    let t0 = std::time::Instant::now();
    if let Some(path) = &f.registry_out {
        let pb = bar(reg.devices, f.quiet);
        let mut w = tabular::AtomicFile::create(path)?;
        let n = write_registry_csv(&reg, &mix, &mut w, &|d| pb.set_position(d))?;
        w.commit()?;
        pb.finish_and_clear();
        print_text(&format!("{}: {n} registry devices", path.display()))?;
    }
    if let Some(path) = &f.tac_out {
        let mut w = tabular::AtomicFile::create(path)?;
        let text = datasets::imei::tac_mix_csv(&mix);
        std::io::Write::write_all(&mut w, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        w.commit()?;
        print_text(&format!("{}: {} TACs", path.display(), mix.entries().len()))?;
    }
    let t1 = std::time::Instant::now();
    let pb = bar(f.rows, f.quiet);
    let mut w = tabular::AtomicFile::create(&f.out)?;
    let n = write_check_csv(&spec, &reg, &mix, &mut w, &|d| pb.set_position(d))?;
    w.commit()?;
    pb.finish_and_clear();
    let secs = t1.elapsed().as_secs_f64();
    print_text(&format!(
        "{}: {n} rows in {secs:.2} s ({:.1} M rows/s; {:.2} s in total)",
        f.out.display(),
        n as f64 / secs.max(1e-9) / 1e6,
        t0.elapsed().as_secs_f64()
    ))?;
    Ok(Status::Ok)
}
