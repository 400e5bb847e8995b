//! `spectra interference …`: interference and compatibility studies.

use std::collections::BTreeMap;

use anyhow::Context;
use interference::aggregate::{self, Config, Cutoffs};
use interference::pathloss::Sampling;
use interference::{montecarlo, tables};
use serde_json::json;
use spectra_study::{ModelChoice, TerrainSource};
use spectrum_core::coverage::{AntennaPattern, Hata, Itm, P452, P1812};
use spectrum_core::terrain::MissingPolicy;
use stations::read::pattern_path;
use tabular::Provenance;

use crate::commands::stations::load_register;
use crate::flags::coverage::MissingFlag;
use crate::flags::interference::{
    AggregateFlags, InterferenceCommand, InterferenceModel, MonteCarloFlags,
};
use crate::output::{self, Status};

/// Runs an interference subcommand.
pub fn run(cmd: InterferenceCommand) -> anyhow::Result<Status> {
    match cmd {
        InterferenceCommand::Aggregate(f) => run_aggregate(&f),
        InterferenceCommand::Montecarlo(f) => run_montecarlo(&f),
    }
}

fn run_montecarlo(f: &MonteCarloFlags) -> anyhow::Result<Status> {
    if let Some(p) = &f.out {
        tabular::SinkFormat::of(p)?;
        tabular::check_output(p, &[&f.scenario])?;
    }
    let mut scenario = montecarlo::Scenario::load(&f.scenario)?;
    if let Some(n) = f.events {
        if n == 0 || n > 100_000_000 {
            anyhow::bail!("--events: expected 1 to 100000000 events, found {n}");
        }
        scenario.simulation.events = n;
    }
    if let Some(s) = f.seed {
        scenario.simulation.seed = s;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(f.threads.unwrap_or(0))
        .build()?;
    let outcome = pool.install(|| montecarlo::run(&scenario))?;
    if let Some(p) = &f.out {
        montecarlo::write_events(&outcome, p)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    if f.json {
        output::print_json(&json!({
            "events": outcome.n_events,
            "seed": outcome.seed,
            "noise_floor_dbm": outcome.noise_floor_dbm,
            "sensitivity_dbm": outcome.sensitivity_dbm,
            "criteria": outcome.criteria,
            "mean_drss_dbm": outcome.mean_drss_dbm,
            "mean_irss_dbm": outcome.mean_irss_dbm,
        }))?;
    } else {
        let mut text = format!(
            "{} events (seed {}): mean dRSS {:.2} dBm, mean iRSS {:.2} dBm",
            outcome.n_events, outcome.seed, outcome.mean_drss_dbm, outcome.mean_irss_dbm
        );
        for c in &outcome.criteria {
            let name = serde_json::to_value(c.criterion)?;
            text.push_str(&format!(
                "\n{} > {} dB: P_I = {:.4} (95 % CI {:.4} – {:.4}) over {} events",
                name.as_str().unwrap_or("?"),
                c.threshold_db,
                c.probability,
                c.ci_low,
                c.ci_high,
                c.valid_events
            ));
        }
        output::print_text(&text)?;
    }
    Ok(Status::Ok)
}

fn model_choice(f: &AggregateFlags) -> anyhow::Result<ModelChoice> {
    if !(f.time_pct.is_finite() && f.time_pct > 0.0 && f.time_pct <= 50.0) {
        anyhow::bail!(
            "--time-pct: expected a percentage in (0, 50], found {}",
            f.time_pct
        );
    }
    Ok(match f.model {
        InterferenceModel::FreeSpace => ModelChoice::FreeSpace,
        InterferenceModel::P452 => ModelChoice::P452(P452 {
            time_pct: f.time_pct,
            ..P452::default()
        }),
        InterferenceModel::P1812 => ModelChoice::P1812(P1812 {
            time_pct: f.time_pct.max(1.0),
            ..P1812::default()
        }),
        InterferenceModel::Itm => ModelChoice::Itm(Itm {
            time_pct: f.time_pct,
            ..Itm::default()
        }),
        InterferenceModel::Hata => ModelChoice::Hata(Hata::default()),
    })
}

fn run_aggregate(f: &AggregateFlags) -> anyhow::Result<Status> {
    let model = model_choice(f)?;
    if let Some(c) = f.cutoff_km
        && !(c.is_finite() && c > 0.0 && c <= 20_000.0)
    {
        anyhow::bail!("--cutoff-km: expected a distance in (0, 20000] km, found {c}");
    }
    if !(f.terrain_step_m.is_finite() && f.terrain_step_m >= 1.0 && f.terrain_step_m <= 10_000.0) {
        anyhow::bail!(
            "--terrain-step-m: expected 1 to 10000 m, found {}",
            f.terrain_step_m
        );
    }
    for p in [&f.out, &f.contributions].into_iter().flatten() {
        tabular::SinkFormat::of(p)?;
        tabular::check_output(p, &[&f.stations.stations])?;
    }
    let interferers = load_register(&f.stations)?;
    let victims = match &f.victims {
        Some(p) => stations::read::read_register(
            p,
            f.stations.operators.as_deref(),
            &f.stations.protection_defaults(),
        )
        .with_context(|| format!("reading the victims {}", p.display()))?,
        None => interferers.clone(),
    };
    let missing = match f.missing {
        MissingFlag::Error => MissingPolicy::Error,
        MissingFlag::SeaLevel => MissingPolicy::SeaLevel,
    };
    let terrain = match (&f.dem, f.relief) {
        (Some(dir), _) => Some(TerrainSource::Dem {
            dir: dir.clone(),
            missing,
        }),
        (None, true) => Some(TerrainSource::SyntheticRelief { missing }),
        (None, false) => None,
    };
    let tiles = match &terrain {
        Some(t) => Some(t.open()?.0),
        None => None,
    };
    let mut patterns = BTreeMap::new();
    for (register, path) in [
        (&interferers, &f.stations.stations),
        (&victims, f.victims.as_ref().unwrap_or(&f.stations.stations)),
    ] {
        for a in &register.assignments {
            if let Some(p) = &a.station.pattern
                && !patterns.contains_key(p)
            {
                let pattern = AntennaPattern::read_msi(&pattern_path(path, p))?;
                patterns.insert(p.clone(), pattern);
            }
        }
    }
    let cfg = Config {
        cutoffs: Cutoffs {
            override_km: f.cutoff_km,
            ..Cutoffs::default()
        },
        guard_hz: f.guard_hz,
        sampling: Sampling {
            terrain: tiles.as_ref(),
            step_m: f.terrain_step_m,
        },
        same_operator: f.include_same_operator,
        default_noise_figure_db: 5.0,
        masks: BTreeMap::new(),
        patterns,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(f.threads.unwrap_or(0))
        .build()?;
    let keep = f.contributions.is_some();
    let report =
        pool.install(|| aggregate::aggregate(model.as_model(), &cfg, &interferers, &victims, keep));
    let provenance = Provenance::new("spectra interference aggregate")
        .with("model", model.as_model().edition())
        .with("stations", f.stations.stations.display().to_string());
    if let Some(p) = &f.out {
        stations::write::write_batch(p, &tables::victims_batch(&report)?, &provenance)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    if let Some(p) = &f.contributions {
        stations::write::write_batch(p, &tables::contributions_batch(&report)?, &provenance)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    let unprotected: Vec<&aggregate::VictimResult> = report
        .victims
        .iter()
        .filter(|v| v.margin_db < 0.0)
        .collect();
    let worst = report
        .victims
        .iter()
        .filter(|v| v.margin_db.is_finite())
        .min_by(|a, b| a.margin_db.total_cmp(&b.margin_db));
    if f.json {
        output::print_json(&json!({
            "model": model.as_model().edition(),
            "victims": report.victims.len(),
            "pairs": report.pairs,
            "co_sited_skipped": report.co_sited,
            "unprotected": unprotected.len(),
            "worst": worst,
            "errors": report.errors,
        }))?;
    } else {
        let mut text = format!(
            "{} victims, {} pairs evaluated ({}), {} co-sited pairs skipped: {} victims above their protection criterion",
            report.victims.len(),
            report.pairs,
            model.as_model().edition(),
            report.co_sited,
            unprotected.len()
        );
        if let Some(w) = worst {
            text.push_str(&format!(
                "\nworst: {} I/N {:.1} dB (criterion {:.1} dB, margin {:.1} dB) from {} interferers, strongest {}",
                w.victim_id,
                w.i_over_n_db,
                w.protection_i_n_db,
                w.margin_db,
                w.n_interferers,
                w.worst_interferer_id.as_deref().unwrap_or("-")
            ));
        }
        for (v, t, e) in &report.errors {
            text.push_str(&format!("\nmodel refused {t} → {v}: {e}"));
        }
        output::print_text(&text)?;
    }
    Ok(if unprotected.is_empty() {
        Status::Ok
    } else {
        Status::Findings
    })
}

/// The interference part of `spectra demo`: a newcomer's LTE base station
/// 2 km from Bishkek's centre, co-channel with another operator's carrier,
/// checked as an interferer against every receiver of the register (P.452-18
/// over the synthetic relief, default cutoffs); the victims go to
/// `out/internal/newcomer-victims.parquet`.
pub fn demo(out: &std::path::Path, register: &stations::Register) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();
    let Some(template) = register.assignments.iter().find(|a| {
        a.emission.to_string() == "10M0G7W"
            && (a.station.site.lat_deg - 42.87).abs() < 0.05
            && (a.station.site.lon_deg - 74.59).abs() < 0.05
    }) else {
        lines.push("no 10 MHz LTE carrier near Bishkek in the register: skipped".into());
        return Ok(lines);
    };
    let mut newcomer = template.clone();
    newcomer.id = "NEW-0001".into();
    newcomer.operator = "Newcomer (demo)".into();
    newcomer.status = stations::model::AssignmentStatus::Planned;
    newcomer.station.site.lat_deg = 42.8746 + 0.018;
    newcomer.station.site.lon_deg = 74.5698;
    newcomer.station.eirp_dbm = Some(61.0);
    let interferers = stations::Register::new(vec![newcomer.clone()]);
    let (tiles, _) = TerrainSource::SyntheticRelief {
        missing: MissingPolicy::SeaLevel,
    }
    .open()?;
    let cfg = Config {
        cutoffs: Cutoffs::default(),
        guard_hz: 0,
        sampling: Sampling {
            terrain: Some(&tiles),
            step_m: 100.0,
        },
        same_operator: false,
        default_noise_figure_db: 5.0,
        masks: BTreeMap::new(),
        patterns: BTreeMap::new(),
    };
    let model = P452::default();
    let report = aggregate::aggregate(&model, &cfg, &interferers, register, false);
    let reached: Vec<&aggregate::VictimResult> = report
        .victims
        .iter()
        .filter(|v| v.n_interferers > 0)
        .collect();
    let unprotected = reached.iter().filter(|v| v.margin_db < 0.0).count();
    let path = out.join("internal").join("newcomer-victims.parquet");
    stations::write::write_batch(
        &path,
        &tables::victims_batch(&report)?,
        &Provenance::new("spectra demo").with("model", "ITU-R P.452-18 (10/2023), 1 % of time"),
    )?;
    lines.push(format!(
        "a newcomer's {} carrier at {} Hz (EIRP 61 dBm, 2 km north of the centre) reaches {} of {} receivers within the cutoff; {} of them above their protection criterion (P.452-18 at 1 % of time over the synthetic relief; antennas without a pattern file count as omni, so this is an upper bound) → {}",
        newcomer.emission,
        newcomer.freq_hz,
        reached.len(),
        report.victims.len(),
        unprotected,
        path.display()
    ));
    if let Some(w) = reached
        .iter()
        .min_by(|a, b| a.margin_db.total_cmp(&b.margin_db))
    {
        lines.push(format!(
            "  worst: {} I/N {:.1} dB against a criterion of {:.1} dB",
            w.victim_id, w.i_over_n_db, w.protection_i_n_db
        ));
    }
    Ok(lines)
}
