//! `spectra demo`: the main job on embedded defaults. Loads the sample
//! national table, validates it, answers a few queries, runs a conversion
//! (and shows a refused one), writes the chart and open-data exports, then
//! runs the stations, coverage and IMEI parts; every output goes under `--out`.

use allocation_table::Category;
use allocation_table::convert::Conversion;
use allocation_table::freq::format_freq_hz;
use allocation_table::publish::{Audience, view};
use allocation_table::query::ServiceQuery;
use allocation_table::sink::{self, Format};
use allocation_table::validate::validate;
use allocation_table::view::describe;
use anyhow::Context;

use crate::flags::DemoFlags;
use crate::output::{self, Status};

/// Runs the demo.
pub fn run(flags: &DemoFlags) -> anyhow::Result<Status> {
    let out = &flags.out;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut lines = vec![
        "Spectra demo".to_owned(),
        "== National table of frequency allocations (sample, Kyrgyz-style)".to_owned(),
    ];

    let mut table = datasets::ntfa::sample_table().context("loading the embedded sample table")?;
    let findings = validate(&table, &[]);
    lines.push(format!(
        "validated {}: {} bands, {} findings, {} decisions in the journal",
        table.metadata.name,
        table.len(),
        findings.len(),
        table.journal.decisions.len()
    ));
    for f in ["435 MHz", "900 MHz", "3.5 GHz"] {
        let hz = allocation_table::freq::parse_freq_hz(f)?;
        for b in table.at(hz) {
            lines.push(format!("at {f}: {}", describe(b)));
        }
    }
    let ra = table.bands_with_service(&ServiceQuery::parse("radio astronomy"), true);
    lines.push(format!("radio astronomy is primary in {} bands", ra.len()));

    let conversion = Conversion {
        lower_hz: 1_435_000_000,
        upper_hz: 1_452_000_000,
        from: Category::Government,
        to: Category::Joint,
        reference: "DEMO-2025-001".into(),
        authority: "State Communications Agency (demo)".into(),
        effective_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
    };
    let decision = table
        .convert(&conversion)
        .context("demo conversion")?
        .clone();
    lines.push(format!(
        "converted {} – {} {} → {} ({}); the band was split at {}",
        format_freq_hz(decision.lower_hz),
        format_freq_hz(decision.upper_hz),
        decision.from.name(),
        decision.to.name(),
        decision.reference,
        decision
            .split_edges_hz
            .iter()
            .map(|&e| format_freq_hz(e))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let refused = table.convert(&Conversion {
        lower_hz: 790_000_000,
        upper_hz: 862_000_000,
        from: Category::Civil,
        to: Category::Government,
        reference: "DEMO-2025-002".into(),
        authority: "demo".into(),
        effective_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 2).unwrap_or_default(),
    });
    if let Err(e) = refused {
        lines.push(format!("refused as expected: {e}"));
    }

    // Everything under out/ is an open publication, the converted native
    // table included: restricted bands are withheld (spectra table export
    // --internal writes the whole table).
    let files = [
        (
            "ntfa-converted.ntfa",
            "native table with the new decision, open view",
        ),
        ("ntfa.parquet", "open-data export with provenance"),
        ("ntfa.csv", "open-data export"),
        ("ntfa.json", "open-data export with provenance"),
        ("chart.png", "spectrum chart"),
        ("chart.svg", "spectrum chart"),
    ];
    let open = view(&table, Audience::Open);
    for (f, _) in files {
        let path = out.join(f);
        sink::write(&open, Format::from_path(&path)?, &path)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    for (f, what) in files {
        lines.push(format!("wrote {} ({what})", out.join(f).display()));
    }

    lines.push("== Register of stations and assignments".to_owned());
    let (stations_lines, register) =
        super::stations::demo(out, &table, &conversion).context("stations demo")?;
    lines.extend(stations_lines);
    lines.push("== Interference".to_owned());
    lines.extend(super::interference::demo(out, &register).context("interference demo")?);
    lines.push("== Frequency assignment".to_owned());
    lines.extend(super::assign_plan::demo(out, &register).context("channel plan demo")?);
    lines.push("== Coverage".to_owned());
    lines.extend(super::coverage::demo(out).context("coverage demo")?);
    lines.extend(super::propagate_p1546::demo().context("P.1546 demo")?);
    lines.push("== IMEI registry".to_owned());
    lines.extend(super::imei::demo(out).context("IMEI demo")?);
    lines.push("== IMEI registry life cycle (operator data, classification)".to_owned());
    lines.extend(super::operators::demo(out).context("registry life cycle demo")?);
    output::print_text(&lines.join("\n"))?;
    Ok(Status::Ok)
}
