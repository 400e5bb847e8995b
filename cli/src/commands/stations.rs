//! `spectra stations …`: the register of stations and assignments.

use std::fmt::Write as _;

use anyhow::Context;
use serde_json::json;
use stations::emergency::{Action, Order, Orders};
use stations::index::StationIndex;
use stations::read::read_register;
use stations::{Emission, Register, write};
use tabular::Provenance;

use crate::commands::table::load_source;
use crate::flags::stations::{ActionFlag, NearQuery, RegisterSource, StationsCommand};
use crate::output::{self, Status};

/// Reads the register named by the flags.
pub fn load_register(src: &RegisterSource) -> anyhow::Result<Register> {
    Ok(read_register(
        &src.stations,
        src.operators.as_deref(),
        &src.protection_defaults(),
    )?)
}

fn provenance(what: &str, src: &RegisterSource) -> Provenance {
    Provenance::new(format!("spectra stations {what}"))
        .with("stations", src.stations.display().to_string())
}

fn emission_json(e: &Emission) -> serde_json::Value {
    let class = e.class();
    json!({
        "designator": e.to_string(),
        "bandwidth_hz": e.bandwidth_hz(),
        "modulation": class.map(|c| c.modulation.description()),
        "signal": class.map(|c| c.signal.description()),
        "information": class.map(|c| c.information.description()),
    })
}

/// Runs a stations subcommand.
pub fn run(cmd: StationsCommand) -> anyhow::Result<Status> {
    cmd.validate()?;
    match cmd {
        StationsCommand::Emission { designator, json } => {
            let e = Emission::parse(&designator)?;
            if json {
                output::print_json(&emission_json(&e))?;
            } else {
                let v = emission_json(&e);
                let mut text = format!("{e}: necessary bandwidth {} Hz", e.bandwidth_hz());
                for key in ["modulation", "signal", "information"] {
                    if let Some(d) = v[key].as_str() {
                        let _ = write!(text, "\n  {key}: {d}");
                    }
                }
                output::print_text(&text)?;
            }
            Ok(Status::Ok)
        }
        StationsCommand::Compliance {
            table,
            register,
            at,
            audience,
            out,
            json,
        } => {
            let t = load_source(&table)?.table;
            let audience = audience.audience();
            let reg = load_register(&register)?;
            let date = at.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let report = stations::compliance::check(&t, &reg, date, audience);
            if let Some(path) = &out {
                let rows = write::write_batch(
                    path,
                    &write::findings_batch(&report.findings)?,
                    &provenance("compliance", &register)
                        .with("date", date.to_string())
                        .with("audience", audience.name()),
                )
                .with_context(|| format!("writing {}", path.display()))?;
                output::note(&format!("wrote {} ({rows} findings)", path.display()));
            }
            if json {
                output::print_json(&report)?;
            } else {
                let mut text = format!(
                    "{} assignments checked on {date}: {} findings",
                    report.assignments,
                    report.findings.len()
                );
                if report.withheld > 0 {
                    let _ = write!(
                        text,
                        " ({} more withheld: they touch restricted bands; --internal shows them)",
                        report.withheld
                    );
                }
                for f in &report.findings {
                    let _ = write!(text, "\n{} [{}] {}", f.id, f.kind.name(), f.message);
                }
                output::print_text(&text)?;
            }
            Ok(if report.findings.is_empty() && report.withheld == 0 {
                Status::Ok
            } else {
                Status::Findings
            })
        }
        StationsCommand::Export { register, out } => {
            let reg = load_register(&register)?;
            let rows = write::write_batch(
                &out,
                &write::register_batch(&reg)?,
                &provenance("export", &register),
            )
            .with_context(|| format!("writing {}", out.display()))?;
            output::note(&format!("wrote {} ({rows} assignments)", out.display()));
            Ok(Status::Ok)
        }
        StationsCommand::Near {
            register,
            lat,
            lon,
            radius_km,
            band,
            json,
        } => {
            let q = NearQuery {
                lat_deg: lat,
                lon_deg: lon,
                radius_km,
                band,
            };
            let reg = load_register(&register)?;
            let index = StationIndex::build(&reg.assignments);
            let hits = index.within_km(q.lat_deg, q.lon_deg, q.radius_km, q.band);
            let rows: Vec<serde_json::Value> = hits
                .iter()
                .filter_map(|&i| reg.assignments.get(i))
                .map(|a| {
                    json!({"id": a.id, "operator": a.operator, "service": a.service.id(),
                           "freq_hz": a.freq_hz, "emission": a.emission.to_string(),
                           "lat_deg": a.station.site.lat_deg, "lon_deg": a.station.site.lon_deg})
                })
                .collect();
            if json {
                output::print_json(&json!({"count": rows.len(), "assignments": rows}))?;
            } else {
                let mut text = format!("{} assignments within {radius_km} km", rows.len());
                for r in &rows {
                    let _ = write!(
                        text,
                        "\n{} {} {} Hz {} ({})",
                        r["id"].as_str().unwrap_or(""),
                        r["service"].as_str().unwrap_or(""),
                        r["freq_hz"],
                        r["emission"].as_str().unwrap_or(""),
                        r["operator"].as_str().unwrap_or("")
                    );
                }
                output::print_text(&text)?;
            }
            Ok(Status::Ok)
        }
        StationsCommand::Order {
            orders,
            id,
            emergency,
            authority,
            action,
            users,
            bands,
            territory,
            start,
            end,
        } => {
            let geojson = std::fs::read(&territory)
                .with_context(|| format!("reading {}", territory.display()))?;
            let territory_value: serde_json::Value = serde_json::from_slice(&geojson)
                .with_context(|| format!("{}: expected GeoJSON", territory.display()))?;
            let order = Order {
                id,
                emergency,
                authority,
                action: match action {
                    ActionFlag::Suspend => Action::Suspend,
                    ActionFlag::Priority => Action::Priority { users },
                },
                bands,
                territory: territory_value,
                start,
                end,
            };
            let entry = Orders::append(&orders, order, chrono::Utc::now())
                .with_context(|| format!("recording the order in {}", orders.display()))?;
            output::note(&format!(
                "recorded order {} as entry {} of {} (in force {} to {})",
                entry.order.id,
                entry.seq,
                orders.display(),
                entry.order.start.to_rfc3339(),
                entry.order.end.to_rfc3339()
            ));
            Ok(Status::Ok)
        }
        StationsCommand::Status {
            register,
            orders,
            at,
            out,
            json,
        } => {
            let reg = load_register(&register)?;
            let journal = match &orders {
                Some(p) => Orders::load(p)?,
                None => Orders::default(),
            };
            let at = at.unwrap_or_else(chrono::Utc::now);
            let rows = stations::emergency::status_at(&reg, &journal, at);
            if let Some(path) = &out {
                let n = write::write_batch(
                    path,
                    &write::status_batch(&rows)?,
                    &provenance("status", &register).with("at", at.to_rfc3339()),
                )
                .with_context(|| format!("writing {}", path.display()))?;
                output::note(&format!("wrote {} ({n} assignments)", path.display()));
            }
            if json {
                output::print_json(&json!({"at": at.to_rfc3339(), "assignments": rows}))?;
            } else {
                let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
                for r in &rows {
                    *counts.entry(r.state.name()).or_default() += 1;
                }
                let mut text = format!("{} assignments at {}:", rows.len(), at.to_rfc3339());
                for (state, n) in &counts {
                    let _ = write!(text, " {state} {n};");
                }
                for r in rows.iter().filter(|r| r.order.is_some()) {
                    let _ = write!(
                        text,
                        "\n{} ({}) {} by order {} until {}",
                        r.id,
                        r.operator,
                        r.state.name(),
                        r.order.as_deref().unwrap_or(""),
                        r.until.map(|t| t.to_rfc3339()).unwrap_or_default()
                    );
                }
                output::print_text(&text)?;
            }
            Ok(Status::Ok)
        }
    }
}

/// The stations part of `spectra demo`: a generated national register, its
/// compliance with the (converted) sample table, the impact of the demo's
/// conversion, an emergency order switching on and off, and a radius query.
/// Outputs go under `out/internal/` (the register names government stations:
/// internal working documents, not publications). Returns the register for
/// the interference part.
pub fn demo(
    out: &std::path::Path,
    table: &allocation_table::Table,
    conversion: &allocation_table::convert::Conversion,
) -> anyhow::Result<(Vec<String>, Register)> {
    use allocation_table::publish::Audience;
    let dir = out.join("internal");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut lines = Vec::new();
    let register = datasets::stations::generate(&datasets::stations::StationParams {
        seed: 2026,
        assignments: 20_000,
        nonconforming_share: 0.02,
    })?;
    let prov = Provenance::new("spectra demo").with("seed", "2026");
    let reg_path = dir.join("stations.parquet");
    write::write_batch(&reg_path, &write::register_batch(&register)?, &prov)?;
    let ops_path = dir.join("operators.csv");
    write::write_batch(&ops_path, &write::operators_batch(&register)?, &prov)?;
    lines.push(format!(
        "generated {} assignments of {} operators: {} and {}",
        register.len(),
        register.operators.len(),
        reg_path.display(),
        ops_path.display()
    ));
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    let report = stations::compliance::check(table, &register, date, Audience::Internal);
    let mut by_kind: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in &report.findings {
        *by_kind.entry(f.kind.name()).or_default() += 1;
    }
    let findings_path = dir.join("compliance.parquet");
    write::write_batch(
        &findings_path,
        &write::findings_batch(&report.findings)?,
        &prov,
    )?;
    lines.push(format!(
        "compliance on {date}: {} findings ({}) → {}",
        report.findings.len(),
        by_kind
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        findings_path.display()
    ));
    if let Some(f) = report.findings.first() {
        lines.push(format!("  e.g. {} [{}] {}", f.id, f.kind.name(), f.message));
    }
    let impacts = stations::impact::conversion_impact(conversion, &register);
    lines.push(format!(
        "the conversion {} touches {} assignments",
        conversion.reference,
        impacts.len()
    ));
    // A proposed conversion, not applied: what would it change?
    let proposal = allocation_table::convert::Conversion {
        lower_hz: 2_570_000_000,
        upper_hz: 2_690_000_000,
        from: allocation_table::Category::Government,
        to: allocation_table::Category::Civil,
        reference: "proposal (demo)".into(),
        ..conversion.clone()
    };
    let impacts = stations::impact::conversion_impact(&proposal, &register);
    let mut by_change: std::collections::BTreeMap<&str, usize> = Default::default();
    for i in &impacts {
        *by_change.entry(i.change.name()).or_default() += 1;
    }
    let impact_path = dir.join("impact-2570-2690.csv");
    write::write_batch(&impact_path, &write::impacts_batch(&impacts)?, &prov)?;
    lines.push(format!(
        "a proposed conversion of 2570 – 2690 MHz government → civil would touch {} assignments ({}) → {}",
        impacts.len(),
        by_change
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        impact_path.display()
    ));
    // An emergency order: suspend 450–470 MHz around Bishkek for two days,
    // with priority for the Ministry of Emergency Situations there and in
    // its TETRA band.
    let orders_path = dir.join("orders.json");
    match std::fs::remove_file(&orders_path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("removing {}", orders_path.display()));
        }
        _ => {}
    }
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z")?.to_utc();
    let end = chrono::DateTime::parse_from_rfc3339("2026-12-03T08:00:00Z")?.to_utc();
    let territory = json!({"type": "Polygon", "coordinates":
        [[[74.35, 42.75], [74.85, 42.75], [74.85, 43.0], [74.35, 43.0], [74.35, 42.75]]]});
    let base = Order {
        id: "EO-2026-001".into(),
        emergency: "Mudflow, Chui region (demo)".into(),
        authority: "Ministry of Emergency Situations (demo)".into(),
        action: Action::Suspend,
        bands: vec![(450_000_000, 470_000_000)],
        territory,
        start,
        end,
    };
    Orders::append(&orders_path, base.clone(), start)?;
    let users: Vec<String> = register
        .operators
        .keys()
        .filter(|k| k.contains("Emergency"))
        .cloned()
        .collect();
    if !users.is_empty() {
        Orders::append(
            &orders_path,
            Order {
                id: "EO-2026-002".into(),
                action: Action::Priority { users },
                bands: vec![(380_000_000, 399_900_000), (450_000_000, 470_000_000)],
                ..base
            },
            start,
        )?;
    }
    let journal = Orders::load(&orders_path)?;
    for at in [
        start - chrono::Duration::hours(1),
        start + chrono::Duration::hours(24),
        end,
    ] {
        let rows = stations::emergency::status_at(&register, &journal, at);
        let suspended = rows
            .iter()
            .filter(|r| r.state == stations::emergency::State::SuspendedByOrder)
            .count();
        let prioritised = rows
            .iter()
            .filter(|r| r.state == stations::emergency::State::Prioritised)
            .count();
        lines.push(format!(
            "at {}: {suspended} suspended and {prioritised} prioritised by emergency orders",
            at.to_rfc3339()
        ));
    }
    let index = StationIndex::build(&register.assignments);
    let near = index.within_km(42.8746, 74.5698, 10.0, Some((450_000_000, 470_000_000)));
    lines.push(format!(
        "{} assignments in 450–470 MHz within 10 km of Bishkek (R-tree over {} sites); orders in {}",
        near.len(),
        index.len(),
        orders_path.display()
    ));
    Ok((lines, register))
}
