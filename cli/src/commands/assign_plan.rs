//! `spectra assign stations`: a channel plan for the register's planned
//! assignments, written back as a register update with the reasons.

use anyhow::Context;
use assignment::plan::{
    PlanCriterion, PlanRequest, RowStatus, build, interference_pairs, update_batch,
};
use assignment::solve::{Status as SolveStatus, solve};
use serde_json::json;
use stations::write;
use tabular::Provenance;

use super::assign::{exit_status, options, reporter};
use super::stations::load_register;
use crate::flags::assign_plan::{PlanCriterionFlag, PlanFlags};
use crate::output::{self, Status};

/// Runs `spectra assign stations`.
pub fn run(f: &PlanFlags) -> anyhow::Result<Status> {
    let options = options(&f.solve)?;
    let mut inputs = vec![f.register.stations.as_path()];
    if let Some(p) = &f.interference {
        inputs.push(p.as_path());
    }
    tabular::check_output(&f.out, &inputs)?;
    if let Some(p) = &f.register_out {
        tabular::check_output(p, &inputs)?;
    }
    let register = load_register(&f.register)?;
    let mut request = PlanRequest::new(f.channels);
    request.service = f.service;
    request.separations = f.separations.clone();
    request.duplex_channels = f.duplex_channels;
    request.criterion = match f.criterion {
        PlanCriterionFlag::MinOrder => PlanCriterion::MinOrder,
        PlanCriterionFlag::MinSpan => PlanCriterion::MinSpan,
        PlanCriterionFlag::Feasibility => PlanCriterion::Feasibility,
    };
    if let Some(path) = &f.interference {
        let batches =
            tabular::read_parquet(path).with_context(|| format!("reading {}", path.display()))?;
        request.interference = interference_pairs(&register, &batches)
            .with_context(|| format!("reading {}", path.display()))?;
    }
    let plan = build(&register, &request)?;
    // Pairs of licensed assignments that already break a rule: the first
    // few by name, then a count (the JSON summary counts them all).
    const SHOWN: usize = 5;
    for c in plan.conflicts_between_fixed.iter().take(SHOWN) {
        output::note(&format!(
            "licensed {} and {} already break {} at {:.2} km (planning cannot move them)",
            c.first, c.second, c.rule, c.distance_km
        ));
    }
    if plan.conflicts_between_fixed.len() > SHOWN {
        output::note(&format!(
            "… and {} more pairs of licensed assignments that already break a rule",
            plan.conflicts_between_fixed.len() - SHOWN
        ));
    }
    let out = solve(
        &plan.instance,
        plan.criterion(),
        &options,
        &mut reporter(f.solve.quiet, "plan"),
    )?;
    let prov = Provenance::new("spectra assign stations")
        .with("stations", f.register.stations.display().to_string())
        .with(
            "channels",
            format!(
                "{}:{}:{}",
                plan.raster.start_hz,
                plan.raster.step_hz,
                plan.raster.centre_hz(plan.raster.count).unwrap_or(0)
            ),
        )
        .with("seed", options.seed.to_string());
    let rows = out
        .assignment
        .as_ref()
        .map(|a| plan.update(a))
        .unwrap_or_default();
    if let Some(solution) = &out.assignment {
        let n = write::write_batch(&f.out, &update_batch(&rows)?, &prov)
            .with_context(|| format!("writing {}", f.out.display()))?;
        output::note(&format!("wrote {} ({n} rows)", f.out.display()));
        if let Some(p) = &f.register_out {
            let updated = plan.apply(&register, solution);
            let n = write::write_batch(p, &write::register_batch(&updated)?, &prov)
                .with_context(|| format!("writing {}", p.display()))?;
            output::note(&format!("wrote {} ({n} assignments)", p.display()));
        }
    }
    let count = |s: RowStatus| rows.iter().filter(|r| r.status == s).count();
    let fixed = plan.fixed();
    let movable = plan.ids.len() - fixed;
    let summary = json!({
        "assignments": plan.ids.len(),
        "movable": movable,
        "fixed": fixed,
        "constraints": plan.instance.constraints.len(),
        "interference_pairs": request.interference.len(),
        "off_raster_exclusions": plan.off_raster.len(),
        "conflicts_between_fixed": plan.conflicts_between_fixed.len(),
        "criterion": out.criterion,
        "status": out.status,
        "objective": out.objective,
        "bound": out.bound,
        "seconds": out.seconds,
        "assigned": count(RowStatus::Assigned),
        "moved": count(RowStatus::Moved),
        "kept_licensed": count(RowStatus::KeptLicensed),
    });
    if f.json {
        output::print_json(&summary)?;
    } else {
        let status = out.status.name();
        let mut text = format!(
            "{} assignments ({movable} to plan, {} fixed), {} constraints: {status} in {:.2} s",
            plan.ids.len(),
            fixed,
            plan.instance.constraints.len(),
            out.seconds
        );
        if let (Some(o), Some(b)) = (out.objective, out.bound) {
            text.push_str(&format!("; objective {o} (bound {b})"));
        }
        if out.solved() {
            text.push_str(&format!(
                "; {} kept, {} moved",
                count(RowStatus::Assigned) + count(RowStatus::KeptLicensed),
                count(RowStatus::Moved)
            ));
        }
        output::print_text(&text)?;
    }
    if out.status == SolveStatus::Infeasible {
        output::note("no plan satisfies every rule: relax a separation or widen the raster");
    }
    Ok(exit_status(out.status))
}

/// The demo's channel plan: the planned land-mobile assignments of the
/// demo register on the GSM 900 downlink raster (200 kHz), co-site
/// assignments one channel apart at least and no shared channel within
/// 2 km, licensed ones fixed; the update goes to
/// `out/internal/channel-plan.parquet`.
pub fn demo(out: &std::path::Path, register: &stations::Register) -> anyhow::Result<Vec<String>> {
    let mut request = PlanRequest::new(assignment::plan::ChannelRaster::parse(
        "925200000:200000:959800000",
    )?);
    request.service = Some(allocation_table::service::RadioService::LandMobile);
    request.separations = vec![
        assignment::plan::Separation::parse("0.1:1")?,
        assignment::plan::Separation::parse("2:1")?,
    ];
    let plan = build(register, &request)?;
    let options = assignment::solve::Options {
        time_limit: std::time::Duration::from_secs(30),
        ..assignment::solve::Options::default()
    };
    let out_path = out.join("internal").join("channel-plan.parquet");
    let solved = solve(&plan.instance, plan.criterion(), &options, &mut |_| {})?;
    let mut lines = vec![format!(
        "channel plan, GSM 900 downlink: {} assignments ({} fixed), {} constraints: {}{}",
        plan.ids.len(),
        plan.fixed(),
        plan.instance.constraints.len(),
        solved.status.name(),
        match (solved.objective, solved.bound) {
            (Some(o), Some(b)) => format!(", {o} channels in use (lower bound {b})"),
            _ => String::new(),
        }
    )];
    if let Some(solution) = &solved.assignment {
        let rows = plan.update(solution);
        let prov = Provenance::new("spectra demo").with("seed", "2026");
        write::write_batch(&out_path, &update_batch(&rows)?, &prov)
            .with_context(|| format!("writing {}", out_path.display()))?;
        lines.push(format!(
            "wrote {} ({} moved, each with its reason)",
            out_path.display(),
            rows.iter().filter(|r| r.status == RowStatus::Moved).count()
        ));
    }
    Ok(lines)
}
