//! `spectra interference …`: interference and compatibility studies.

use std::collections::BTreeMap;

use anyhow::Context;
use interference::aggregate::{self, Config, Cutoffs};
use interference::pathloss::Sampling;
use interference::{montecarlo, tables};
use serde_json::json;
use spectra_study::TerrainSource;
use spectrum_core::coverage::P452;
use spectrum_core::terrain::MissingPolicy;
use tabular::Provenance;

use crate::commands::aggregate_job::{Job, model_choice, report_out};
use crate::flags::interference::{InterferenceCommand, MonteCarloFlags, MoveListFlags};
use crate::output::{self, Status};

/// Runs an interference subcommand.
pub fn run(cmd: InterferenceCommand) -> anyhow::Result<Status> {
    match cmd {
        InterferenceCommand::Aggregate(f) => {
            let job = Job::from_flags(&f)?;
            let report = job.run()?;
            report_out(&job, &report, f.json)
        }
        InterferenceCommand::Montecarlo(f) => run_montecarlo(&f),
        InterferenceCommand::MoveList(f) => run_move_list(&f),
    }
}

fn run_montecarlo(f: &MonteCarloFlags) -> anyhow::Result<Status> {
    let inputs: Vec<&std::path::Path> = f.scenario.iter().map(|p| p.as_path()).collect();
    if let Some(p) = &f.out {
        tabular::SinkFormat::of(p)?;
        tabular::check_output(p, &inputs)?;
    }
    let mut scenario = match &f.scenario {
        Some(p) => montecarlo::Scenario::load(p)?,
        None => {
            montecarlo::Scenario::parse(montecarlo::HANDBOOK_SCENARIO, "seamcat-handbook.toml")?
        }
    };
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

fn run_move_list(f: &MoveListFlags) -> anyhow::Result<Status> {
    use interference::movelist::{self, MoveListConfig, ProtectionPoint};
    let model = model_choice(f.model, f.time_pct)?;
    if let Some(p) = &f.out {
        tabular::SinkFormat::of(p)?;
        tabular::check_output(p, &[&f.stations.stations])?;
    }
    if !(f.height_m.is_finite() && (0.0..=3000.0).contains(&f.height_m)) {
        anyhow::bail!("--height-m: expected 0 to 3000 m, found {}", f.height_m);
    }
    let receiver = ProtectionPoint {
        gain_dbi: f.gain_dbi,
        ..ProtectionPoint::isotropic(0.0, 0.0, f.height_m)
    };
    let mut points = Vec::new();
    for text in &f.points {
        let (lat, lon) = text
            .split_once(',')
            .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)))
            .filter(|(a, b)| (-90.0..=90.0).contains(a) && (-180.0..=180.0).contains(b))
            .ok_or_else(|| {
                anyhow::anyhow!("--point: expected LAT,LON in degrees, found {text:?}")
            })?;
        points.push(ProtectionPoint {
            lat_deg: lat,
            lon_deg: lon,
            ..receiver
        });
    }
    if let Some(area) = &f.area {
        if !(f.grid_arcsec.is_finite() && (1.0..=3600.0).contains(&f.grid_arcsec)) {
            anyhow::bail!("--grid-arcsec: expected 1 to 3600, found {}", f.grid_arcsec);
        }
        let value: serde_json::Value = serde_json::from_slice(
            &std::fs::read(area).with_context(|| format!("reading {}", area.display()))?,
        )
        .with_context(|| format!("{}: expected GeoJSON", area.display()))?;
        let polygons = stations::emergency::parse_territory(&value)
            .with_context(|| format!("{}", area.display()))?;
        for polygon in &polygons.0 {
            points.extend(ProtectionPoint::grid(polygon, f.grid_arcsec, &receiver));
        }
    }
    if points.is_empty() {
        anyhow::bail!("expected at least one --point or an --area with grid points inside");
    }
    let register = crate::commands::stations::load_register(&f.stations)?;
    let terrain = TerrainSource::choose(f.dem.as_deref(), f.relief, MissingPolicy::SeaLevel);
    let tiles = match &terrain {
        Some(t) => Some(t.open()?.0),
        None => None,
    };
    let mut cfg = MoveListConfig::new(f.band, f.threshold_dbm);
    cfg.reference_bandwidth_hz = f.reference_bandwidth;
    cfg.percentile = f.percentile;
    cfg.draws = f.draws;
    cfg.sigma_db = f.sigma_db;
    cfg.seed = f.seed;
    cfg.neighbourhood_km = f.neighbourhood_km;
    cfg.sampling = Sampling {
        terrain: tiles.as_ref(),
        step_m: 100.0,
    };
    cfg.validate()?;
    let list = movelist::move_list(model.as_model(), &register, &points, &cfg)?;
    if let Some(p) = &f.out {
        stations::write::write_batch(
            p,
            &movelist::assignments_batch(&list)?,
            &Provenance::new("spectra interference move-list")
                .with("model", model.as_model().edition()),
        )
        .with_context(|| format!("writing {}", p.display()))?;
    }
    if f.json {
        output::print_json(&json!({
            "points": points.len(),
            "candidates": list.candidates.len(),
            "moved": list.moved,
            "margin_db": list.margin_db,
            "percentile": list.percentile,
            "draws": list.draws,
        }))?;
    } else {
        output::print_text(&format!(
            "{} protection points, {} candidates: {} to move or suspend (margin after {:.2} dB at the {} th percentile of {} draws){}",
            points.len(),
            list.candidates.len(),
            list.moved.len(),
            list.margin_db,
            list.percentile,
            list.draws,
            match list.moved.len() {
                0 => String::new(),
                1..=20 => format!(": {}", list.moved.join(", ")),
                n => format!(
                    ": {}, … and {} more (--out lists them all)",
                    list.moved[..20].join(", "),
                    n - 20
                ),
            }
        ))?;
    }
    Ok(if list.moved.is_empty() {
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
    let map = out.join("internal").join("newcomer-i-over-n.png");
    let reached_register = stations::Register::new(
        register
            .assignments
            .iter()
            .filter(|a| reached.iter().any(|v| v.victim_id == a.id))
            .cloned()
            .collect(),
    );
    let reached_report = aggregate::Report {
        victims: reached.iter().map(|v| (*v).clone()).collect(),
        ..report.clone()
    };
    crate::commands::aggregate_job::write_victims_map(
        &map,
        &reached_report,
        &reached_register,
        Some((newcomer.station.site.lon_deg, newcomer.station.site.lat_deg)),
        "P.452-18, 1 %",
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
    lines.push(format!(
        "  map of I/N at the receivers reached: {}",
        map.display()
    ));
    Ok(lines)
}
