//! `spectra interference aggregate` and `spectra study`: one typed job,
//! built from the flags or from a study file, checked, then run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use interference::aggregate::{self, Config, Cutoffs, Report};
use interference::mask::{Mask, MaskLibrary};
use interference::pathloss::Sampling;
use interference::study::{ModelName, StudyFile, sha256_file};
use interference::tables;
use serde_json::json;
use spectra_study::{ModelChoice, TerrainSource};
use spectrum_core::coverage::{AntennaPattern, Hata, Itm, P452, P1812};
use spectrum_core::terrain::MissingPolicy;
use stations::read::{pattern_path, read_register};
use stations::register::ProtectionDefaults;
use tabular::Provenance;

use crate::flags::interference::{AggregateFlags, InterferenceModel};
use crate::output::{self, Status};

/// A validated aggregate-interference job.
pub struct Job {
    /// The interferers' register, its operators, the protection defaults.
    pub stations: PathBuf,
    /// Operators of both registers.
    pub operators: Option<PathBuf>,
    /// Per-service protection criteria.
    pub protection: ProtectionDefaults,
    /// The victims' register (default: the same).
    pub victims: Option<PathBuf>,
    /// The model.
    pub model: ModelChoice,
    /// The terrain.
    pub terrain: Option<TerrainSource>,
    /// Profile spacing, m.
    pub step_m: f64,
    /// One cutoff for all services, km.
    pub cutoff_km: Option<f64>,
    /// Cutoffs by victim service, km.
    pub cutoffs: BTreeMap<allocation_table::service::RadioService, f64>,
    /// Show a progress bar.
    pub progress: bool,
    /// Guard around the victim's band, Hz.
    pub guard_hz: u64,
    /// Count intra-operator pairs.
    pub same_operator: bool,
    /// Mask library.
    pub masks: Option<PathBuf>,
    /// Per-victim output.
    pub out: Option<PathBuf>,
    /// Per-pair output.
    pub contributions: Option<PathBuf>,
    /// PNG map of I/N at the victims.
    pub map: Option<PathBuf>,
    /// Worker threads.
    pub threads: Option<usize>,
}

/// The model the flags name, at `time_pct`.
pub fn model_choice(name: InterferenceModel, time_pct: f64) -> anyhow::Result<ModelChoice> {
    if !(time_pct.is_finite() && time_pct > 0.0 && time_pct <= 50.0) {
        anyhow::bail!("--time-pct: expected a percentage in (0, 50], found {time_pct}");
    }
    Ok(match name {
        InterferenceModel::FreeSpace => ModelChoice::FreeSpace,
        InterferenceModel::P452 => ModelChoice::P452(P452 {
            time_pct,
            ..P452::default()
        }),
        InterferenceModel::P1812 => ModelChoice::P1812(P1812 {
            time_pct: time_pct.max(1.0),
            ..P1812::default()
        }),
        InterferenceModel::Itm => ModelChoice::Itm(Itm {
            time_pct,
            ..Itm::default()
        }),
        InterferenceModel::Hata => ModelChoice::Hata(Hata::default()),
    })
}

impl Job {
    /// The job the flags describe, checked.
    pub fn from_flags(f: &AggregateFlags) -> anyhow::Result<Job> {
        if let Some(c) = f.cutoff_km
            && !(c.is_finite() && c > 0.0 && c <= 20_000.0)
        {
            anyhow::bail!("--cutoff-km: expected a distance in (0, 20000] km, found {c}");
        }
        if !(f.terrain_step_m.is_finite() && (1.0..=10_000.0).contains(&f.terrain_step_m)) {
            anyhow::bail!(
                "--terrain-step-m: expected 1 to 10000 m, found {}",
                f.terrain_step_m
            );
        }
        Ok(Job {
            stations: f.stations.stations.clone(),
            operators: f.stations.operators.clone(),
            protection: f.stations.protection_defaults(),
            victims: f.victims.clone(),
            model: model_choice(f.model, f.time_pct)?,
            terrain: TerrainSource::choose(f.dem.as_deref(), f.relief, f.missing.into()),
            step_m: f.terrain_step_m,
            cutoff_km: f.cutoff_km,
            cutoffs: f.cutoffs.iter().copied().collect(),
            progress: !f.quiet,
            guard_hz: f.guard_hz,
            same_operator: f.include_same_operator,
            masks: f.masks.clone(),
            out: f.out.clone(),
            contributions: f.contributions.clone(),
            map: f.map.clone(),
            threads: f.threads,
        })
    }

    /// The job a study file describes (outputs in its output directory).
    pub fn from_study(s: &StudyFile) -> anyhow::Result<Job> {
        let name = match s.model.name {
            ModelName::FreeSpace => InterferenceModel::FreeSpace,
            ModelName::P452 => InterferenceModel::P452,
            ModelName::P1812 => InterferenceModel::P1812,
            ModelName::Itm => InterferenceModel::Itm,
            ModelName::Hata => InterferenceModel::Hata,
        };
        let missing = MissingPolicy::SeaLevel;
        let protection = ProtectionDefaults {
            by_service: s
                .criteria
                .protection
                .iter()
                .filter_map(|(k, v)| {
                    allocation_table::service::RadioService::lookup(k).map(|svc| (svc, *v))
                })
                .collect(),
        };
        Ok(Job {
            stations: s.register.stations.clone(),
            operators: s.register.operators.clone(),
            protection,
            victims: s.register.victims.clone(),
            model: model_choice(name, s.model.time_pct)?,
            terrain: s
                .terrain
                .as_ref()
                .and_then(|t| TerrainSource::choose(t.dem.as_deref(), t.relief, missing)),
            step_m: s.terrain.as_ref().map_or(100.0, |t| t.step_m),
            cutoff_km: s.criteria.cutoff_km,
            cutoffs: s
                .criteria
                .cutoffs
                .iter()
                .filter_map(|(k, v)| {
                    allocation_table::service::RadioService::lookup(k).map(|svc| (svc, *v))
                })
                .collect(),
            progress: false,
            guard_hz: s.criteria.guard_hz,
            same_operator: s.criteria.include_same_operator,
            masks: s.register.masks.clone(),
            out: Some(s.output.dir.join("victims.parquet")),
            contributions: s
                .output
                .contributions
                .then(|| s.output.dir.join("contributions.parquet")),
            map: Some(s.output.dir.join("i-over-n.png")),
            threads: None,
        })
    }

    /// Runs the job: reads the registers, masks, patterns and terrain,
    /// aggregates, writes the outputs.
    pub fn run(&self) -> anyhow::Result<Report> {
        for p in [&self.out, &self.contributions].into_iter().flatten() {
            tabular::SinkFormat::of(p)?;
            tabular::check_output(p, &[&self.stations])?;
        }
        if let Some(p) = &self.map {
            if !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("png")) {
                anyhow::bail!("{}: expected a map ending in .png", p.display());
            }
            tabular::check_output(p, &[&self.stations])?;
        }
        let interferers =
            read_register(&self.stations, self.operators.as_deref(), &self.protection)
                .with_context(|| format!("reading the register {}", self.stations.display()))?;
        let victims = match &self.victims {
            Some(p) => read_register(p, self.operators.as_deref(), &self.protection)
                .with_context(|| format!("reading the victims {}", p.display()))?,
            None => interferers.clone(),
        };
        let tiles = match &self.terrain {
            Some(t) => Some(t.open()?.0),
            None => None,
        };
        let victims_path = self.victims.as_ref().unwrap_or(&self.stations);
        let registers = [(&interferers, &self.stations), (&victims, victims_path)];
        let mut patterns = BTreeMap::new();
        for (register, path) in registers {
            for a in &register.assignments {
                if let Some(p) = &a.station.pattern
                    && !patterns.contains_key(p)
                {
                    patterns.insert(p.clone(), AntennaPattern::read_msi(&pattern_path(path, p))?);
                }
            }
        }
        let library = match &self.masks {
            Some(p) => MaskLibrary::load(p)?,
            None => MaskLibrary::builtin()?,
        };
        let (masks, extent_hz) = used_masks(&library, &registers)?;
        let mut cutoffs = Cutoffs {
            override_km: self.cutoff_km,
            ..Cutoffs::default()
        };
        cutoffs
            .by_service
            .extend(self.cutoffs.iter().map(|(s, km)| (*s, *km)));
        let cfg = Config {
            cutoffs,
            guard_hz: self.guard_hz.max(extent_hz),
            sampling: Sampling {
                terrain: tiles.as_ref(),
                step_m: self.step_m,
            },
            same_operator: self.same_operator,
            default_noise_figure_db: 5.0,
            masks,
            patterns,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads.unwrap_or(0))
            .build()?;
        let keep = self.contributions.is_some();
        let model = self.model.as_model();
        let bar = self.progress.then(|| {
            let pb = indicatif::ProgressBar::new(0);
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} interference [{bar:40}] {pos}/{len} victims {elapsed}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            pb
        });
        let progress = |done: usize, total: usize| {
            if let Some(pb) = &bar {
                if done == 1 {
                    pb.set_length(total as u64);
                }
                pb.inc(1);
            }
        };
        let report = pool.install(|| {
            aggregate::aggregate_with_progress(model, &cfg, &interferers, &victims, keep, &progress)
        });
        if let Some(pb) = bar {
            pb.finish_and_clear();
        }
        let provenance = Provenance::new("spectra interference aggregate")
            .with("model", model.edition())
            .with("stations", self.stations.display().to_string());
        if let Some(p) = &self.out {
            stations::write::write_batch(p, &tables::victims_batch(&report)?, &provenance)
                .with_context(|| format!("writing {}", p.display()))?;
        }
        if let Some(p) = &self.contributions {
            stations::write::write_batch(p, &tables::contributions_batch(&report)?, &provenance)
                .with_context(|| format!("writing {}", p.display()))?;
        }
        if let Some(p) = &self.map {
            write_victims_map(p, &report, &victims, None, model.name())?;
        }
        Ok(report)
    }
}

/// Draws the PNG map of I/N at the victims of `report` (positions from
/// `victims`; grey: no interferer reaches it), with a marker (longitude,
/// latitude) if given and a short footer (the model).
pub fn write_victims_map(
    path: &Path,
    report: &Report,
    victims: &stations::Register,
    marker: Option<(f64, f64)>,
    footer: &str,
) -> anyhow::Result<()> {
    let at: BTreeMap<&str, (f64, f64)> = victims
        .assignments
        .iter()
        .map(|a| {
            (
                a.id.as_str(),
                (a.station.site.lon_deg, a.station.site.lat_deg),
            )
        })
        .collect();
    let points: Vec<plotkit::points::MapPoint> = report
        .victims
        .iter()
        .filter_map(|v| {
            let &(lon_deg, lat_deg) = at.get(v.victim_id.as_str())?;
            Some(plotkit::points::MapPoint {
                lon_deg,
                lat_deg,
                value: v.i_over_n_db.is_finite().then_some(v.i_over_n_db),
            })
        })
        .collect();
    plotkit::points::write_point_map(
        path,
        &points,
        marker,
        &plotkit::map::MapLabels {
            title: "Aggregate I/N at the victim receivers",
            legend: "I/N (dB)",
            footer,
        },
    )
    .with_context(|| format!("writing {}", path.display()))
}

/// The masks the registers name (each must be in the library: the first
/// unknown one is reported with its file, line and column), and the guard
/// they need: the sum of the widest emission and receiver mask extents, Hz.
fn used_masks(
    library: &MaskLibrary,
    registers: &[(&stations::Register, &PathBuf)],
) -> anyhow::Result<(BTreeMap<String, Mask>, u64)> {
    let mut masks = BTreeMap::new();
    let (mut tx_extent, mut rx_extent) = (0.0f64, 0.0f64);
    for (register, path) in registers {
        for a in &register.assignments {
            for (name, field, extent) in [
                (&a.station.emission_mask, "mask", &mut tx_extent),
                (&a.station.rx_mask, "rx_mask", &mut rx_extent),
            ] {
                let Some(name) = name else { continue };
                let Some(mask) = library.get(name) else {
                    anyhow::bail!(
                        "{}:{}: field `{field}`: expected a mask of the library ({}), found {name:?}",
                        path.display(),
                        a.line,
                        library.names().join(", ")
                    );
                };
                if let Some((lo, hi)) = mask.support() {
                    *extent = extent.max(lo.abs()).max(hi.abs());
                }
                masks.insert(name.clone(), mask.clone());
            }
        }
    }
    Ok((masks, (tx_extent + rx_extent).ceil() as u64))
}

/// The summary of a report (JSON).
pub fn summary(job: &Job, report: &Report) -> serde_json::Value {
    let unprotected = report.victims.iter().filter(|v| v.margin_db < 0.0).count();
    let worst = report
        .victims
        .iter()
        .filter(|v| v.margin_db.is_finite())
        .min_by(|a, b| a.margin_db.total_cmp(&b.margin_db));
    json!({
        "model": job.model.as_model().edition(),
        "victims": report.victims.len(),
        "pairs": report.pairs,
        "co_sited_skipped": report.co_sited,
        "unprotected": unprotected,
        "worst": worst,
        "errors": report.errors,
    })
}

/// Prints the summary (JSON or text) and maps it to the exit status.
pub fn report_out(job: &Job, report: &Report, as_json: bool) -> anyhow::Result<Status> {
    let s = summary(job, report);
    let unprotected = s["unprotected"].as_u64().unwrap_or(0);
    if as_json {
        output::print_json(&s)?;
    } else {
        let mut text = format!(
            "{} victims, {} pairs evaluated ({}), {} co-sited pairs skipped: {unprotected} victims above their protection criterion",
            report.victims.len(),
            report.pairs,
            job.model.as_model().edition(),
            report.co_sited,
        );
        if let Some(w) = report
            .victims
            .iter()
            .filter(|v| v.margin_db.is_finite())
            .min_by(|a, b| a.margin_db.total_cmp(&b.margin_db))
        {
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
    Ok(if unprotected == 0 {
        Status::Ok
    } else {
        Status::Findings
    })
}

/// `spectra study FILE`: runs the study file's job and writes, beside its
/// outputs, `manifest.json` with the SHA-256 of every input and the summary.
pub fn run_study(path: &Path, as_json: bool) -> anyhow::Result<Status> {
    let study = StudyFile::load(path)?;
    if !study.output.dir.is_dir() {
        anyhow::bail!(
            "{}: output.dir {} is not a directory (outputs never create their directory)",
            path.display(),
            study.output.dir.display()
        );
    }
    let job = Job::from_study(&study)?;
    let report = job.run()?;
    let mut hashes = serde_json::Map::new();
    for input in study.inputs(path) {
        hashes.insert(input.display().to_string(), json!(sha256_file(&input)?));
    }
    let manifest = json!({
        "tool": format!("spectra {}", env!("CARGO_PKG_VERSION")),
        "study": path.display().to_string(),
        "inputs_sha256": hashes,
        "summary": summary(&job, &report),
    });
    let manifest_path = study.output.dir.join("manifest.json");
    tabular::write_atomic(
        &manifest_path,
        serde_json::to_string_pretty(&manifest)?.as_bytes(),
    )?;
    output::note(&format!("wrote {}", manifest_path.display()));
    report_out(&job, &report, as_json)
}
