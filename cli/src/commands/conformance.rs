//! `spectra conformance`: reference-data checks of the propagation models.

use anyhow::{Context, bail};
use spectrum_core::conformance::{self, Model};

use crate::flags::conformance::ConformanceFlags;
use crate::output::{self, Status};

/// Runs the conformance check of one model over one directory.
pub fn run(flags: &ConformanceFlags) -> anyhow::Result<Status> {
    let Some(model) = Model::from_name(&flags.model) else {
        bail!(
            "unknown model {:?}: expected one of p452, p1812, itm, ehata, p2108 or `report`",
            flags.model
        );
    };
    let report = conformance::run(model, &flags.dir)
        .with_context(|| format!("conformance of {} in {}", model.name(), flags.dir.display()))?;
    if flags.json {
        output::print_json(&report)?;
    } else {
        output::print_text(&format!(
            "{}: {} cases, {} failed, max deviation {:.3e}",
            report.recommendation,
            report.case_count(),
            report.failures(),
            report.max_deviation()
        ))?;
    }
    Ok(if report.failures() == 0 {
        Status::Ok
    } else {
        Status::Findings
    })
}
