//! `spectra conformance <model> <dir>`: runs every reference case of a model
//! found in a directory, prints per-case and maximum deviations, and exits 1
//! when any case is outside its tolerance; `spectra conformance report
//! <base-dir>` writes a declaration for every model found under a base
//! directory laid out like `../shared/data/propagation/`.

use std::io::Write as _;

use anyhow::{Context, bail};
use serde_json::json;
use spectra_conformance as conformance;
use spectra_conformance::declaration::declare;
use spectra_conformance::{Model, ModelReport};

use crate::flags::conformance::ConformanceFlags;
use crate::output::{self, Status};

/// Runs the conformance check of one model, or the declaration report.
pub fn run(flags: &ConformanceFlags) -> anyhow::Result<Status> {
    if flags.model.eq_ignore_ascii_case("report") {
        return report(flags);
    }
    let Some(model) = Model::from_name(&flags.model) else {
        bail!(
            "unknown model {:?}: expected one of p452, p1812, itm, ehata, p2108, p2109, p676, p528, p1546 or `report`",
            flags.model
        );
    };
    let report = conformance::run(model, &flags.dir)
        .with_context(|| format!("conformance of {} in {}", model.name(), flags.dir.display()))?;
    if flags.json {
        output::print_json(&json!({
            "model": model.name(),
            "recommendation": report.recommendation,
            "dataset": report.dataset,
            "cases": report.case_count(),
            "failed": report.failures(),
            "max_deviation": report.max_deviation(),
            "results": report.cases,
        }))?;
    } else {
        let mut lines: Vec<String> = report
            .cases
            .iter()
            .map(|c| {
                let worst = c
                    .checks
                    .iter()
                    .max_by(|a, b| a.deviation().total_cmp(&b.deviation()));
                let code_fail = c.codes.iter().find(|(_, e, got)| e != got);
                format!(
                    "{} {}: max deviation {:.3e}{}{}",
                    if c.passed() { "ok  " } else { "FAIL" },
                    c.case,
                    c.max_deviation(),
                    worst
                        .filter(|w| !w.passed())
                        .map(|w| format!(
                            " ({} = {} expected {} ± {})",
                            w.name, w.computed, w.expected, w.tolerance
                        ))
                        .unwrap_or_default(),
                    code_fail
                        .map(|(n, e, got)| format!(" ({n} = {got}, expected {e})"))
                        .unwrap_or_default()
                )
            })
            .collect();
        lines.push(summary(&report));
        output::print_text(&lines.join("\n"))?;
    }
    Ok(if report.failures() == 0 {
        Status::Ok
    } else {
        Status::Findings
    })
}

fn summary(r: &ModelReport) -> String {
    format!(
        "{}: {} cases, {} failed, max deviation {:.3e}",
        r.recommendation,
        r.case_count(),
        r.failures(),
        r.max_deviation()
    )
}

/// Writes the declaration: for each model found under the base directory,
/// the recommendation and edition, the data set, case count, failures and
/// maximum deviation.
fn report(flags: &ConformanceFlags) -> anyhow::Result<Status> {
    let declaration = declare(&flags.dir)?;
    let generated_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let rows: Vec<serde_json::Value> = declaration
        .models
        .iter()
        .map(|r| {
            json!({
                "model": r.model.name(),
                "recommendation": r.recommendation,
                "dataset": r.dataset,
                "cases": r.cases,
                "failed": r.failed,
                "max_deviation": r.max_deviation,
                "max_tolerance_ratio": r.max_tolerance_ratio,
            })
        })
        .collect();
    let text = if flags.json {
        serde_json::to_string_pretty(&json!({
            "declaration": "Conformance of Spectra's propagation models with published reference data",
            "tool_version": env!("CARGO_PKG_VERSION"),
            "generated_at": generated_at,
            "base_dir": flags.dir,
            "models": rows,
        }))?
    } else {
        declaration.to_markdown(env!("CARGO_PKG_VERSION"), &generated_at)
    };
    if let Some(out) = &flags.out {
        let mut f = tabular::AtomicFile::create(out)?;
        f.write_all(text.as_bytes())
            .with_context(|| format!("writing {}", out.display()))?;
        f.commit()?;
    }
    output::print_text(&text)?;
    Ok(if declaration.any_failed() {
        Status::Findings
    } else {
        Status::Ok
    })
}
