//! `spectra assign …`: frequency assignment.

use std::fmt::Write as _;
use std::time::Duration;

use anyhow::Context;
use assignment::instance::Criterion;
use assignment::model::Encoding;
use assignment::rlfap;
use assignment::solve::{Options, Outcome, Progress, Search, Status as SolveStatus, solve};
use serde_json::json;

use crate::flags::assign::{
    AssignCommand, CelarFlags, CriterionFlag, EncodingFlag, RlfapFlags, SearchFlag, SolveFlags,
};
use crate::output::{self, Status};

/// Runs an assign subcommand; the exit code follows the solver's answer.
pub fn run(cmd: AssignCommand) -> anyhow::Result<Status> {
    match cmd {
        AssignCommand::Rlfap(f) => rlfap_run(&f),
        AssignCommand::Celar(f) => celar_run(&f),
        AssignCommand::Stations(f) => super::assign_plan::run(&f),
    }
}

/// The validated solver options of the shared flags.
pub(crate) fn options(f: &SolveFlags) -> anyhow::Result<Options> {
    let seconds = f.time_limit_s;
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0) {
        anyhow::bail!("--time-limit-s: expected 0 to 86400 s, found {seconds}");
    }
    Ok(Options {
        time_limit: Duration::from_secs_f64(seconds),
        seed: f.seed,
        search: match f.search {
            SearchFlag::Auto => Search::Auto,
            SearchFlag::Vsids => Search::Vsids,
            SearchFlag::FirstFail => Search::FirstFail,
        },
        encoding: match f.encoding {
            EncodingFlag::Linear => Encoding::Linear,
            EncodingFlag::Direct => Encoding::Direct,
        },
        stop_at: f.stop_at,
    })
}

/// The progress reporter: one stderr line per better assignment.
pub(crate) fn reporter(quiet: bool, name: &str) -> impl FnMut(&Progress) + '_ {
    move |p: &Progress| {
        if !quiet {
            output::note(&format!(
                "{name}: {:.2} s: objective {} (bound {})",
                p.seconds, p.objective, p.bound
            ));
        }
    }
}

/// The exit status of a solver's answer.
pub(crate) fn exit_status(status: SolveStatus) -> Status {
    match status {
        SolveStatus::Optimal | SolveStatus::Feasible => Status::Ok,
        SolveStatus::Infeasible => Status::Findings,
        SolveStatus::Unknown => Status::Undecided,
    }
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

fn summary(name: &str, out: &Outcome, seed: u64) -> serde_json::Value {
    json!({
        "instance": name,
        "criterion": out.criterion,
        "status": out.status,
        "optimal": out.status == SolveStatus::Optimal,
        "objective": out.objective,
        "bound": out.bound,
        "clique": out.clique.len(),
        "seconds": out.seconds,
        "seed": seed,
        "distinct_values": out.check.as_ref().map(|c| c.distinct_values),
        "largest_value": out.check.as_ref().map(|c| c.largest_value),
        "soft_cost": out.check.as_ref().map(|c| c.cost),
    })
}

fn text_line(name: &str, out: &Outcome) -> String {
    let mut line = format!("{name}: {} in {:.2} s", out.status.name(), out.seconds);
    if let (Some(objective), Some(bound)) = (out.objective, out.bound)
        && out.criterion != Criterion::Feasibility
    {
        let _ = write!(line, "; objective {objective}, bound {bound}");
    }
    if let Some(c) = &out.check {
        let _ = write!(
            line,
            "; {} distinct values, largest {}, soft cost {}",
            c.distinct_values, c.largest_value, c.cost
        );
    }
    line
}

fn celar_run(f: &CelarFlags) -> anyhow::Result<Status> {
    let options = options(&f.solve)?;
    if let Some(p) = &f.out {
        tabular::check_output(p, &[])?;
    }
    let inst = assignment::celar::read_dir(&f.dir)?;
    let started = std::time::Instant::now();
    let criterion = match f.criterion {
        CriterionFlag::Auto => assignment::solve::auto_criterion(&inst, options.time_limit / 5)?,
        CriterionFlag::Feasibility => Criterion::Feasibility,
        CriterionFlag::MinOrder => Criterion::MinOrder,
        CriterionFlag::MinSpan => Criterion::MinSpan,
        CriterionFlag::MinCost => Criterion::MinCost,
    };
    // The criterion check's time comes out of the limit.
    let options = Options {
        time_limit: options
            .time_limit
            .saturating_sub(started.elapsed())
            .max(Duration::from_millis(100)),
        ..options
    };
    let out = solve(
        &inst,
        criterion,
        &options,
        &mut reporter(f.solve.quiet, &inst.name),
    )?;
    if let (Some(p), Some(plan)) = (&f.out, &out.assignment) {
        write_plan(p, plan)?;
    }
    if f.json {
        output::print_json(&summary(&inst.name, &out, options.seed))?;
    } else {
        output::print_text(&text_line(&inst.name, &out))?;
    }
    Ok(exit_status(out.status))
}

/// Writes and verifies the DRUP refutation of an infeasible instance.
fn certify(
    inst: &assignment::Instance,
    name: &str,
    dir: &std::path::Path,
    time_limit: Duration,
) -> anyhow::Result<serde_json::Value> {
    use assignment::certify::{Refutation, check_drup, cnf, refute};
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let (cnf_path, proof_path) = (
        dir.join(format!("{name}.cnf")),
        dir.join(format!("{name}.drup")),
    );
    let answer = refute(inst, &cnf_path, &proof_path, time_limit)?;
    let report = if answer == Refutation::Refuted {
        let proof = std::fs::read_to_string(&proof_path)
            .with_context(|| format!("reading {}", proof_path.display()))?;
        Some(check_drup(&cnf(inst)?, &proof)?)
    } else {
        None
    };
    let verified = report.as_ref().is_some_and(|r| r.verified);
    if !verified {
        output::note(&format!(
            "{name}: infeasible, but no verified refutation ({answer:?})"
        ));
    }
    Ok(json!({
        "refutation": answer,
        "verified": verified,
        "lemmas": report.as_ref().map(|r| r.lemmas),
        "check_seconds": report.as_ref().map(|r| r.seconds),
        "cnf": cnf_path,
        "drup": proof_path,
    }))
}

fn rlfap_run(f: &RlfapFlags) -> anyhow::Result<Status> {
    let options = options(&f.solve)?;
    if let Some(p) = &f.out {
        tabular::check_output(p, &[])?;
    }
    let names = match &f.instance {
        Some(n) => vec![n.clone()],
        None => rlfap::instance_names(&f.dir)?,
    };
    let mut rows = Vec::new();
    let mut text = String::new();
    let mut last = SolveStatus::Unknown;
    for name in &names {
        let inst = rlfap::read_instance(&f.dir, name)
            .with_context(|| format!("reading instance {name} of {}", f.dir.display()))?;
        let out = solve(
            &inst,
            Criterion::Feasibility,
            &options,
            &mut reporter(f.solve.quiet, name),
        )?;
        if let (Some(p), Some(a)) = (&f.out, &out.assignment) {
            write_plan(p, a)?;
        }
        last = out.status;
        let mut row = summary(name, &out, options.seed);
        if let (Some(dir), SolveStatus::Infeasible) = (&f.proof_dir, out.status) {
            row["proof"] = certify(&inst, name, dir, options.time_limit)?;
        }
        row["variables"] = json!(inst.variables.len());
        row["constraints"] = json!(inst.constraints.len());
        rows.push(row);
        let _ = writeln!(
            text,
            "{} ({} variables, {} constraints)",
            text_line(name, &out),
            inst.variables.len(),
            inst.constraints.len()
        );
    }
    if f.json {
        output::print_json(&json!({ "instances": rows }))?;
    } else {
        output::print_text(text.trim_end())?;
    }
    // One instance: the exit code says its answer; a directory: 0.
    if names.len() != 1 {
        return Ok(Status::Ok);
    }
    if last == SolveStatus::Unknown {
        output::note("time limit reached: neither an assignment nor a proof of infeasibility");
    }
    Ok(exit_status(last))
}
