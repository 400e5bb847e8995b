//! `spectra table …`: turns the validated configuration of a subcommand
//! ([`TableConfig`]) into one library request of
//! `allocation_table::{request, sink, workfile}` and prints its report with
//! one output function ([`emit`]). No table logic lives here.

use allocation_table::load::{Loaded, load};
use allocation_table::request::{self, Report};
use allocation_table::sink;
use allocation_table::workfile::{self, ConvertRequest, Input};
use anyhow::Context;

use crate::flags::table::{TableCommand, TableConfig, TableSource};
use crate::output::{self, Status};

/// Loads the table named by `--table`, or the embedded sample.
pub fn load_source(src: &TableSource) -> anyhow::Result<Loaded> {
    match &src.table {
        Some(p) => load(p).with_context(|| format!("loading table {}", p.display())),
        None => Ok(Loaded {
            table: datasets::ntfa::sample_table().context("loading the embedded sample table")?,
            issues: Vec::new(),
        }),
    }
}

/// Prints a report as JSON or as text.
fn emit<R: Report>(report: &R, json_out: bool) -> anyhow::Result<()> {
    if json_out {
        output::print_json(report)
    } else {
        output::print_text(&report.text())
    }
}

/// Runs a table subcommand.
pub fn run(cmd: TableCommand) -> anyhow::Result<Status> {
    match cmd.config()? {
        TableConfig::Validate { source, json } => {
            let report = request::validate_table(&load_source(&source)?);
            emit(&report, json)?;
            Ok(if report.findings.is_empty() {
                Status::Ok
            } else {
                Status::Findings
            })
        }
        TableConfig::Bands {
            source,
            audience,
            query,
            json,
        } => {
            let table = load_source(&source)?.table;
            emit(&request::query_bands(&table, audience, &query), json)?;
            Ok(Status::Ok)
        }
        TableConfig::Footnote {
            source,
            audience,
            query,
            json,
        } => {
            let table = load_source(&source)?.table;
            emit(&request::query_footnote(&table, audience, &query)?, json)?;
            Ok(Status::Ok)
        }
        TableConfig::Diff {
            source,
            against,
            audience,
            json,
        } => {
            let table = load_source(&source)?.table;
            let other =
                load(&against).with_context(|| format!("loading table {}", against.display()))?;
            emit(&request::diff_tables(&table, &other.table, audience), json)?;
            Ok(Status::Ok)
        }
        TableConfig::Convert {
            source,
            out,
            conversion,
            stations,
            json,
        } => {
            // Read the register first: a bad register leaves the table untouched.
            let register = match &stations {
                Some((path, operators, _)) => Some(
                    stations::read::read_register(path, operators.as_deref(), &Default::default())
                        .with_context(|| format!("reading the register {}", path.display()))?,
                ),
                None => None,
            };
            let input = match source.table {
                Some(p) => Input::Path(p),
                None => Input::Table(Box::new(load_source(&source)?.table)),
            };
            let done = workfile::convert(ConvertRequest {
                input,
                out,
                conversion: conversion.clone(),
            })?;
            let Some(register) = register else {
                emit(&done, json)?;
                return Ok(Status::Ok);
            };
            let impacts = stations::impact::conversion_impact(&conversion, &register);
            if let Some(path) = stations.as_ref().and_then(|s| s.2.as_ref()) {
                stations::write::write_batch(
                    path,
                    &stations::write::impacts_batch(&impacts)?,
                    &tabular::Provenance::new("spectra table convert --stations")
                        .with("reference", conversion.reference.clone()),
                )
                .with_context(|| format!("writing {}", path.display()))?;
            }
            if json {
                output::print_json(&serde_json::json!({"conversion": done, "impact": impacts}))?;
            } else {
                let mut text = done.text();
                text.push_str(&format!(
                    "\n{} assignments touched by the conversion",
                    impacts.len()
                ));
                for i in &impacts {
                    text.push_str(&format!(
                        "\n{} ({}) [{}] {}",
                        i.id,
                        i.operator,
                        i.change.name(),
                        i.message
                    ));
                }
                output::print_text(&text)?;
            }
            Ok(Status::Ok)
        }
        TableConfig::History {
            source,
            audience,
            as_of,
            json,
        } => {
            let table = load_source(&source)?.table;
            match as_of {
                None => emit(&request::journal(&table, audience), json)?,
                Some((date, out)) => emit(
                    &request::as_of(&table, audience, date, out.as_deref())?,
                    json,
                )?,
            }
            Ok(Status::Ok)
        }
        TableConfig::Publish { source, request } => {
            let table = load_source(&source)?.table;
            sink::publish(&table, &request)
                .with_context(|| format!("writing {}", request.out.display()))?;
            let target = if sink::is_stdout(&request.out) {
                "standard output".to_owned()
            } else {
                request.out.display().to_string()
            };
            output::note(&format!("wrote {target} ({})", request.audience.name()));
            Ok(Status::Ok)
        }
    }
}
