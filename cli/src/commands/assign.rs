//! `spectra assign …`: frequency assignment.

use std::fmt::Write as _;
use std::time::Duration;

use anyhow::Context;
use assignment::check::check;
use assignment::instance::Criterion;
use assignment::rlfap;
use assignment::solve::{Status as SolveStatus, feasibility, min_span};
use serde_json::json;

use crate::flags::assign::{AssignCommand, CelarFlags, RlfapFlags};
use crate::output::{self, Status};

/// Runs an assign subcommand; the exit code follows the solver's answer.
pub fn run(cmd: AssignCommand) -> anyhow::Result<Status> {
    match cmd {
        AssignCommand::Rlfap(f) => rlfap_run(&f),
        AssignCommand::Celar(f) => celar_run(&f),
    }
}

fn time_limit(seconds: f64) -> anyhow::Result<Duration> {
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0) {
        anyhow::bail!("--time-limit-s: expected 0 to 86400 s, found {seconds}");
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn write_plan(
    path: &std::path::Path,
    plan: &std::collections::BTreeMap<u32, u32>,
) -> anyhow::Result<()> {
    let mut text = String::from("variable,value\n");
    for (v, x) in plan {
        let _ = writeln!(text, "{v},{x}");
    }
    tabular::write_atomic(path, text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

fn celar_run(f: &CelarFlags) -> anyhow::Result<Status> {
    let limit = time_limit(f.time_limit_s)?;
    if let Some(p) = &f.out {
        tabular::check_output(p, &[])?;
    }
    let inst = assignment::celar::read_dir(&f.dir)?;
    let (status, plan, optimal, seconds) = if inst.criterion == Some(Criterion::MinSpan) {
        let out = min_span(&inst, limit)?;
        (out.status, out.assignment, out.optimal, out.seconds)
    } else {
        let out = feasibility(&inst, limit)?;
        (out.status, out.assignment, false, out.seconds)
    };
    let check = plan.as_ref().map(|p| check(&inst, p)).transpose()?;
    if let (Some(p), Some(plan)) = (&f.out, &plan) {
        write_plan(p, plan)?;
    }
    let summary = json!({
        "instance": inst.name,
        "criterion": inst.criterion,
        "status": status,
        "optimal": optimal,
        "seconds": seconds,
        "distinct_values": check.as_ref().map(|c| c.distinct_values),
        "largest_value": check.as_ref().map(|c| c.largest_value),
        "soft_cost": check.as_ref().map(|c| c.cost),
    });
    if f.json {
        output::print_json(&summary)?;
    } else {
        output::print_text(&format!(
            "{}: {} in {:.2} s{}",
            inst.name,
            summary["status"].as_str().unwrap_or(""),
            seconds,
            match &check {
                Some(c) => format!(
                    "; {} distinct values, largest {}{}, soft cost {}",
                    c.distinct_values,
                    c.largest_value,
                    if optimal { " (proved minimum)" } else { "" },
                    c.cost
                ),
                None => String::new(),
            }
        ))?;
    }
    Ok(match status {
        SolveStatus::Feasible => Status::Ok,
        SolveStatus::Infeasible => Status::Findings,
        SolveStatus::Unknown => Status::Undecided,
    })
}

fn rlfap_run(f: &RlfapFlags) -> anyhow::Result<Status> {
    let limit = time_limit(f.time_limit_s)?;
    if let Some(p) = &f.out {
        tabular::check_output(p, &[])?;
    }
    let names = match &f.instance {
        Some(n) => vec![n.clone()],
        None => rlfap::instance_names(&f.dir)?,
    };
    let mut rows = Vec::new();
    let mut last = SolveStatus::Unknown;
    for name in &names {
        let inst = rlfap::read_instance(&f.dir, name)
            .with_context(|| format!("reading instance {name} of {}", f.dir.display()))?;
        let out = feasibility(&inst, limit)?;
        if let (Some(p), Some(a)) = (&f.out, &out.assignment) {
            write_plan(p, a)?;
        }
        last = out.status.clone();
        rows.push(json!({
            "instance": name,
            "variables": inst.variables.len(),
            "constraints": inst.constraints.len(),
            "status": out.status,
            "seconds": out.seconds,
            "distinct_values": out.check.as_ref().map(|c| c.distinct_values),
            "largest_value": out.check.as_ref().map(|c| c.largest_value),
        }));
    }
    if f.json {
        output::print_json(&json!({ "instances": rows }))?;
    } else {
        let mut text = String::new();
        for r in &rows {
            let _ = writeln!(
                text,
                "{}: {} ({} variables, {} constraints) in {:.2} s",
                r["instance"].as_str().unwrap_or(""),
                r["status"].as_str().unwrap_or(""),
                r["variables"],
                r["constraints"],
                r["seconds"].as_f64().unwrap_or(0.0)
            );
        }
        output::print_text(text.trim_end())?;
    }
    // One instance: the exit code says its answer; a directory: 0.
    if names.len() != 1 {
        return Ok(Status::Ok);
    }
    match last {
        SolveStatus::Feasible => Ok(Status::Ok),
        SolveStatus::Infeasible => Ok(Status::Findings),
        SolveStatus::Unknown => {
            output::note("time limit reached: neither an assignment nor a proof of infeasibility");
            Ok(Status::Undecided)
        }
    }
}
