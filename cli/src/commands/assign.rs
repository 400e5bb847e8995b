//! `spectra assign …`: frequency assignment.

use std::fmt::Write as _;
use std::time::Duration;

use anyhow::Context;
use assignment::rlfap;
use assignment::solve::{Status as SolveStatus, feasibility};
use serde_json::json;

use crate::flags::assign::{AssignCommand, RlfapFlags};
use crate::output::{self, Status};

/// Runs an assign subcommand; the exit code follows the solver's answer.
pub fn run(cmd: AssignCommand) -> anyhow::Result<Status> {
    match cmd {
        AssignCommand::Rlfap(f) => rlfap_run(&f),
    }
}

fn rlfap_run(f: &RlfapFlags) -> anyhow::Result<Status> {
    if !(f.time_limit_s.is_finite() && f.time_limit_s > 0.0 && f.time_limit_s <= 86_400.0) {
        anyhow::bail!(
            "--time-limit-s: expected 0 to 86400 s, found {}",
            f.time_limit_s
        );
    }
    if let Some(p) = &f.out {
        tabular::check_output(p, &[])?;
    }
    let names = match &f.instance {
        Some(n) => vec![n.clone()],
        None => rlfap::instance_names(&f.dir)?,
    };
    let limit = Duration::from_secs_f64(f.time_limit_s);
    let mut rows = Vec::new();
    let mut last = SolveStatus::Unknown;
    for name in &names {
        let inst = rlfap::read_instance(&f.dir, name)
            .with_context(|| format!("reading instance {name} of {}", f.dir.display()))?;
        let out = feasibility(&inst, limit)?;
        if let (Some(p), Some(a)) = (&f.out, &out.assignment) {
            let mut text = String::from("variable,value\n");
            for (v, x) in a {
                let _ = writeln!(text, "{v},{x}");
            }
            tabular::write_atomic(p, text.as_bytes())
                .with_context(|| format!("writing {}", p.display()))?;
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
