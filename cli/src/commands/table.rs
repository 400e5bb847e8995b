//! `spectra table …`: queries, validation, conversion, history, export and
//! chart of a table of frequency allocations.

use std::path::{Path, PathBuf};

use allocation_table::convert::Conversion;
use allocation_table::diff::diff;
use allocation_table::export::{self, Audience};
use allocation_table::freq::format_freq_hz;
use allocation_table::load::{Loaded, load};
use allocation_table::query::ServiceQuery;
use allocation_table::validate::validate;
use allocation_table::view::{BandView, describe};
use allocation_table::{Band, Table, chart, native};
use anyhow::{Context, bail};
use serde_json::json;

use crate::flags::table::{ExportFormat, TableCommand, TableSource};
use crate::output::{self, Status};

/// A loaded table and the label of where it came from.
pub struct Source {
    /// The table and its row-level issues.
    pub loaded: Loaded,
    /// The file it came from, if not the embedded sample.
    pub path: Option<PathBuf>,
}

/// Loads the table named by `--table`, or the embedded sample.
pub fn load_source(src: &TableSource) -> anyhow::Result<Source> {
    match &src.table {
        Some(p) => Ok(Source {
            loaded: load(p).with_context(|| format!("loading table {}", p.display()))?,
            path: Some(p.clone()),
        }),
        None => Ok(Source {
            loaded: Loaded {
                table: datasets::ntfa::sample_table()
                    .context("loading the embedded sample table")?,
                issues: Vec::new(),
            },
            path: None,
        }),
    }
}

fn print_bands(bands: &[&Band], json_out: bool) -> anyhow::Result<()> {
    if json_out {
        let views: Vec<BandView> = bands.iter().map(|b| BandView::from(*b)).collect();
        return output::print_json(&json!({ "bands": views }));
    }
    if bands.is_empty() {
        return output::print_text("no band");
    }
    let lines: Vec<String> = bands.iter().map(|b| describe(b)).collect();
    output::print_text(&lines.join("\n"))
}

/// Runs a table subcommand.
pub fn run(cmd: TableCommand) -> anyhow::Result<Status> {
    match cmd {
        TableCommand::Validate { source, json } => {
            let s = load_source(&source)?;
            let findings = validate(&s.loaded.table, &s.loaded.issues);
            if json {
                output::print_json(
                    &json!({ "bands": s.loaded.table.len(), "findings": findings }),
                )?;
            } else {
                let mut lines: Vec<String> = findings
                    .iter()
                    .map(|f| format!("line {}: {}: {}", f.line, f.kind.name(), f.message))
                    .collect();
                lines.push(format!(
                    "{} bands, {} findings",
                    s.loaded.table.len(),
                    findings.len()
                ));
                output::print_text(&lines.join("\n"))?;
            }
            Ok(if findings.is_empty() {
                Status::Ok
            } else {
                Status::Findings
            })
        }
        TableCommand::At { freq, source, json } => {
            let s = load_source(&source)?;
            print_bands(&s.loaded.table.at(freq), json)?;
            Ok(Status::Ok)
        }
        TableCommand::Range {
            f1,
            f2,
            source,
            json,
        } => {
            let s = load_source(&source)?;
            print_bands(&s.loaded.table.range(f1, f2), json)?;
            Ok(Status::Ok)
        }
        TableCommand::Service {
            name,
            primary_only,
            source,
            json,
        } => {
            let s = load_source(&source)?;
            let q = ServiceQuery::parse(&name);
            let hits = s.loaded.table.bands_with_service(&q, primary_only);
            let bands: Vec<&Band> = hits.iter().map(|(b, _)| *b).collect();
            print_bands(&bands, json)?;
            Ok(Status::Ok)
        }
        TableCommand::Footnote {
            id,
            country,
            source,
            json,
        } => {
            let s = load_source(&source)?;
            let t = &s.loaded.table;
            if let Some(country) = country {
                let named = t.footnotes_naming(&country);
                if json {
                    let items: Vec<_> = named
                        .iter()
                        .map(|(id, text)| json!({"id": id, "text": text}))
                        .collect();
                    output::print_json(&json!({ "country": country, "footnotes": items }))?;
                } else {
                    let mut lines: Vec<String> = named
                        .iter()
                        .map(|(id, text)| format!("{id}: {text}"))
                        .collect();
                    lines.push(format!("{} footnotes name {country}", named.len()));
                    output::print_text(&lines.join("\n"))?;
                }
                return Ok(Status::Ok);
            }
            let id = id.unwrap_or_default();
            let text = t.footnote_text(&id);
            let bands = t.bands_with_footnote(&id);
            if text.is_none() && bands.is_empty() {
                bail!("footnote {id:?} is neither defined nor cited in the table");
            }
            if json {
                let views: Vec<BandView> = bands.iter().map(|b| BandView::from(*b)).collect();
                output::print_json(&json!({ "id": id, "text": text, "bands": views }))?;
            } else {
                let mut lines = vec![format!(
                    "{id}: {}",
                    text.unwrap_or("(not defined in this table)")
                )];
                lines.extend(bands.iter().map(|b| format!("  cited in {}", describe(b))));
                output::print_text(&lines.join("\n"))?;
            }
            Ok(Status::Ok)
        }
        TableCommand::Diff {
            against,
            source,
            json,
        } => {
            let s = load_source(&source)?;
            let other =
                load(&against).with_context(|| format!("loading table {}", against.display()))?;
            let d = diff(&s.loaded.table, &other.table);
            if json {
                output::print_json(&json!({ "segments": d }))?;
            } else {
                let mut lines: Vec<String> = d
                    .iter()
                    .map(|seg| {
                        let ch: Vec<String> = seg.changes.iter().map(ToString::to_string).collect();
                        format!(
                            "{} – {}: {}",
                            format_freq_hz(seg.lower_hz),
                            format_freq_hz(seg.upper_hz),
                            ch.join("; ")
                        )
                    })
                    .collect();
                lines.push(format!("{} differing segments", d.len()));
                output::print_text(&lines.join("\n"))?;
            }
            Ok(Status::Ok)
        }
        TableCommand::Convert {
            lower,
            upper,
            from,
            to,
            reference,
            authority,
            date,
            source,
            out,
            json,
        } => {
            let s = load_source(&source)?;
            let target = match (&out, &s.path) {
                (Some(o), _) => o.clone(),
                (None, Some(p)) if p.is_file() => p.clone(),
                _ => bail!(
                    "give --out PATH: the converted table must be written somewhere (the input is not a native table file)"
                ),
            };
            let mut table = s.loaded.table;
            let decision = table
                .convert(&Conversion {
                    lower_hz: lower,
                    upper_hz: upper,
                    from: from.into(),
                    to: to.into(),
                    reference,
                    authority,
                    effective_date: date,
                })
                .context("conversion refused")?
                .clone();
            native::write_native(&table, &target)
                .with_context(|| format!("writing {}", target.display()))?;
            if json {
                output::print_json(&json!({ "decision": decision, "written": target }))?;
            } else {
                output::print_text(&format!(
                    "converted {} – {} from {} to {} ({}, {}); table written to {}",
                    format_freq_hz(decision.lower_hz),
                    format_freq_hz(decision.upper_hz),
                    decision.from.name(),
                    decision.to.name(),
                    decision.reference,
                    decision.effective_date,
                    target.display()
                ))?;
            }
            Ok(Status::Ok)
        }
        TableCommand::History {
            as_of,
            out,
            source,
            json,
        } => {
            let s = load_source(&source)?;
            let table = &s.loaded.table;
            let Some(date) = as_of else {
                if json {
                    output::print_json(&table.journal)?;
                } else {
                    let lines: Vec<String> = table
                        .journal
                        .decisions
                        .iter()
                        .map(|d| {
                            format!(
                                "{}  {}  {} – {}  {} → {}  ({})",
                                d.effective_date,
                                d.reference,
                                format_freq_hz(d.lower_hz),
                                format_freq_hz(d.upper_hz),
                                d.from.name(),
                                d.to.name(),
                                d.authority
                            )
                        })
                        .collect();
                    output::print_text(
                        if lines.is_empty() {
                            "no decision recorded".to_owned()
                        } else {
                            lines.join("\n")
                        }
                        .as_str(),
                    )?;
                }
                return Ok(Status::Ok);
            };
            let past = table.as_of(date);
            if let Some(o) = &out {
                native::write_native(&past, o)
                    .with_context(|| format!("writing {}", o.display()))?;
            }
            let changed = changed_categories(table, &past);
            if json {
                output::print_json(
                    &json!({ "as_of": date, "bands": past.len(), "decisions_in_force": past.journal.decisions.len(), "changed_since": changed }),
                )?;
            } else {
                let mut lines = vec![format!(
                    "as of {date}: {} bands, {} decisions in force, {} later decisions undone",
                    past.len(),
                    past.journal.decisions.len(),
                    table.journal.decisions.len() - past.journal.decisions.len()
                )];
                lines.extend(changed.iter().map(|c| c.to_string()));
                output::print_text(&lines.join("\n"))?;
            }
            Ok(Status::Ok)
        }
        TableCommand::Export {
            out,
            format,
            internal,
            merged,
            source,
        } => {
            let s = load_source(&source)?;
            let table = if merged {
                s.loaded.table.merged()
            } else {
                s.loaded.table
            };
            let audience = if internal {
                Audience::Internal
            } else {
                Audience::Open
            };
            let format = match format {
                Some(f) => f,
                None => format_from_extension(&out)?,
            };
            match format {
                ExportFormat::Csv => export::write_csv(&table, &out, audience),
                ExportFormat::Json => export::write_json(&table, &out, audience),
                ExportFormat::Parquet => export::write_parquet(&table, &out, audience),
                ExportFormat::Native => native::write_native(&table, &out),
            }
            .with_context(|| format!("exporting to {}", out.display()))?;
            output::note(&format!("wrote {}", out.display()));
            Ok(Status::Ok)
        }
        TableCommand::Chart { out, source } => {
            let s = load_source(&source)?;
            write_chart(&s.loaded.table, &out)?;
            output::note(&format!("wrote {}", out.display()));
            Ok(Status::Ok)
        }
    }
}

/// Writes the chart as PNG or SVG by the extension of `out`.
pub fn write_chart(table: &Table, out: &Path) -> anyhow::Result<()> {
    match out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => chart::write_png(table, out),
        Some("svg") => chart::write_svg(table, out),
        _ => bail!("{}: expected a .png or .svg file name", out.display()),
    }
    .with_context(|| format!("drawing {}", out.display()))
}

fn format_from_extension(out: &Path) -> anyhow::Result<ExportFormat> {
    Ok(
        match out
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => ExportFormat::Csv,
            Some("json") => ExportFormat::Json,
            Some("parquet") => ExportFormat::Parquet,
            Some("ntfa") => ExportFormat::Native,
            _ => bail!(
                "{}: cannot tell the format from the extension; give --format csv|json|parquet|native",
                out.display()
            ),
        },
    )
}

/// Bands whose category differs between the current table and an earlier one.
fn changed_categories(now: &Table, past: &Table) -> Vec<serde_json::Value> {
    now.bands()
        .iter()
        .filter_map(|b| {
            let then = past.band_at(b.lower_hz)?.category;
            (then != b.category).then(|| {
                json!({
                    "lower_hz": b.lower_hz, "upper_hz": b.upper_hz,
                    "then": then.map(|c| c.name()), "now": b.category.map(|c| c.name()),
                })
            })
        })
        .collect()
}
