//! The spectrum chart of a table ("frequency allocation chart"), as PNG and
//! SVG: one row per ITU band (a decade, 0.3·10^N – 3·10^N Hz) on a log axis;
//! each band drawn with one stripe per allocation in the service's colour,
//! primary services solid and secondary services pale with a dashed outline;
//! band edges as thin lines; the national category of use as a strip under
//! each band; and a legend.
//!
//! The chart draws a [`Publication`] (see [`crate::publish`]): an open chart
//! never draws a restricted band, its allocations or its category strip,
//! and its legend lists only the services of the published bands.

use std::collections::BTreeMap;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::HSLColor;

use crate::edition::{itu_band_edges_hz, itu_band_name};
use crate::error::TableError;
use crate::freq::format_freq_hz;
use crate::model::{Category, Status, Table};
use crate::publish::Publication;
use crate::service::ServiceEntry;

const WIDTH: u32 = 2000;
const LEFT: i32 = 150;
const RIGHT: i32 = 30;
const TITLE_H: i32 = 60;
const ROW_H: i32 = 110;
const BAR_TOP: i32 = 22;
const BAR_H: i32 = 66;
const CAT_H: i32 = 10;
const LEGEND_ROW_H: i32 = 26;
const LEGEND_COLS: i32 = 4;

/// Legend key of an allocation: the RR service name, or the text as written
/// for unknown services.
fn legend_key(text: &str) -> Option<String> {
    match crate::service::parse_service(text).entry {
        ServiceEntry::Service(s) => Some(s.name().to_owned()),
        ServiceEntry::NotAllocated => None,
        ServiceEntry::Unknown(t) => Some(t),
    }
}

fn colour_for(index: usize) -> RGBColor {
    if index < 20 {
        plotkit::categorical_colour(index)
    } else {
        let h = (index as f64 * 0.618_033_988_75).fract();
        let (r, g, b) = HSLColor(h, 0.6, 0.45).rgb();
        RGBColor(r, g, b)
    }
}

fn pale(c: RGBColor) -> RGBColor {
    let mix = |x: u8| ((u16::from(x) + 3 * 255) / 4) as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

fn category_colour(c: Option<Category>) -> RGBColor {
    match c {
        Some(Category::Government) => RGBColor(178, 34, 34),
        Some(Category::Civil) => RGBColor(30, 110, 200),
        Some(Category::Joint) => RGBColor(128, 60, 160),
        None => RGBColor(200, 200, 200),
    }
}

/// Rows (ITU band numbers) the chart shows for a table.
fn rows(table: &Table) -> Vec<u8> {
    let Some((lo, hi)) = table.span_hz() else {
        return Vec::new();
    };
    (4u8..=12)
        .filter(|&n| {
            itu_band_edges_hz(n).is_some_and(|(a, b)| {
                a < hi
                    && lo < b
                    && table
                        .bands()
                        .iter()
                        .any(|x| x.lower_hz < b && a < x.upper_hz && !x.allocations.is_empty())
            })
        })
        .collect()
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    table: &Table,
    services: &BTreeMap<String, usize>,
) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let name = if table.metadata.name.is_empty() {
        "Spectra"
    } else {
        table.metadata.name.as_str()
    };
    let mut title = if name
        .to_lowercase()
        .contains("table of frequency allocations")
    {
        name.to_owned()
    } else {
        format!("{name} — table of frequency allocations")
    };
    if !table.metadata.edition.is_empty() {
        title.push_str(&format!(" (edition {})", table.metadata.edition));
    }
    root.draw(&Text::new(
        title,
        (LEFT, 18),
        (plotkit::FONT, 26).into_font(),
    ))
    .map_err(e)?;
    let plot_w = WIDTH as i32 - LEFT - RIGHT;
    for (r, band_no) in rows(table).into_iter().enumerate() {
        let Some((row_lo, row_hi)) = itu_band_edges_hz(band_no) else {
            continue;
        };
        let y0 = TITLE_H + r as i32 * ROW_H;
        let (l0, l1) = ((row_lo as f64).log10(), (row_hi as f64).log10());
        let x_of = |f: u64| {
            LEFT + (((f.clamp(row_lo, row_hi) as f64).log10() - l0) / (l1 - l0) * f64::from(plot_w))
                .round() as i32
        };
        let label = format!("{} ({})", itu_band_name(band_no).unwrap_or("?"), band_no);
        root.draw(&Text::new(
            label,
            (8, y0 + BAR_TOP + 8),
            (plotkit::FONT, 20).into_font(),
        ))
        .map_err(e)?;
        let range = format!("{} – {}", format_freq_hz(row_lo), format_freq_hz(row_hi));
        root.draw(&Text::new(
            range,
            (8, y0 + BAR_TOP + 34),
            (plotkit::FONT, 14).into_font().color(&RGBColor(90, 90, 90)),
        ))
        .map_err(e)?;
        // Ticks at 1-2-5 steps.
        let mut decade = row_lo / 3;
        while decade <= row_hi {
            for m in [1u64, 2, 5] {
                let f = decade * m;
                if f > row_lo && f < row_hi {
                    let x = x_of(f);
                    root.draw(&PathElement::new(
                        vec![(x, y0 + BAR_TOP - 4), (x, y0 + BAR_TOP)],
                        BLACK,
                    ))
                    .map_err(e)?;
                    root.draw(&Text::new(
                        format_freq_hz(f),
                        (x + 2, y0 + 4),
                        (plotkit::FONT, 12).into_font(),
                    ))
                    .map_err(e)?;
                }
            }
            decade *= 10;
        }
        root.draw(&Rectangle::new(
            [(LEFT, y0 + BAR_TOP), (LEFT + plot_w, y0 + BAR_TOP + BAR_H)],
            RGBColor(240, 240, 240).filled(),
        ))
        .map_err(e)?;
        for b in table
            .bands()
            .iter()
            .filter(|b| b.lower_hz < row_hi && row_lo < b.upper_hz && b.lower_hz < b.upper_hz)
        {
            let (xa, xb) = (x_of(b.lower_hz), x_of(b.upper_hz).max(x_of(b.lower_hz) + 1));
            let allocated: Vec<_> = b
                .allocations
                .iter()
                .filter(|a| !a.is_not_allocated())
                .collect();
            let n = allocated.len().max(1) as i32;
            for (k, a) in allocated.iter().enumerate() {
                let ya = y0 + BAR_TOP + (k as i32) * BAR_H / n;
                let yb = y0 + BAR_TOP + (k as i32 + 1) * BAR_H / n;
                let colour = legend_key(&a.service_text)
                    .and_then(|s| services.get(&s).copied())
                    .map_or(RGBColor(160, 160, 160), colour_for);
                match a.status {
                    Status::Primary => {
                        root.draw(&Rectangle::new([(xa, ya), (xb, yb)], colour.filled()))
                            .map_err(e)?;
                    }
                    Status::Secondary => {
                        root.draw(&Rectangle::new([(xa, ya), (xb, yb)], pale(colour).filled()))
                            .map_err(e)?;
                        root.draw(&Rectangle::new(
                            [(xa, ya), (xb, yb)],
                            colour.stroke_width(1),
                        ))
                        .map_err(e)?;
                    }
                }
            }
            let cy = y0 + BAR_TOP + BAR_H + 2;
            root.draw(&Rectangle::new(
                [(xa, cy), (xb, cy + CAT_H)],
                category_colour(b.category).filled(),
            ))
            .map_err(e)?;
            for x in [xa, xb] {
                root.draw(&PathElement::new(
                    vec![(x, y0 + BAR_TOP), (x, y0 + BAR_TOP + BAR_H)],
                    RGBColor(40, 40, 40).stroke_width(1),
                ))
                .map_err(e)?;
            }
        }
    }
    // Legend.
    let rows_n = rows(table).len() as i32;
    let ly = TITLE_H + rows_n * ROW_H + 20;
    let col_w = (WIDTH as i32 - LEFT - RIGHT) / LEGEND_COLS;
    let mut items: Vec<(String, RGBColor, bool)> = services
        .iter()
        .map(|(s, &i)| (s.clone(), colour_for(i), true))
        .collect();
    items.push((
        "Secondary allocation (pale, outlined)".into(),
        RGBColor(120, 120, 120),
        false,
    ));
    let has_categories = table.bands().iter().any(|b| b.category.is_some());
    let categories = [
        Some(Category::Government),
        Some(Category::Civil),
        Some(Category::Joint),
    ];
    for c in categories.into_iter().filter(|_| has_categories) {
        items.push((
            format!("Category strip: {}", c.map_or("none", Category::name)),
            category_colour(c),
            true,
        ));
    }
    for (i, (name, colour, solid)) in items.iter().enumerate() {
        let (cx, cy) = (
            LEFT + (i as i32 % LEGEND_COLS) * col_w,
            ly + (i as i32 / LEGEND_COLS) * LEGEND_ROW_H,
        );
        let style = if *solid {
            colour.filled()
        } else {
            pale(*colour).filled()
        };
        root.draw(&Rectangle::new([(cx, cy), (cx + 30, cy + 16)], style))
            .map_err(e)?;
        root.draw(&Text::new(
            name.clone(),
            (cx + 38, cy),
            (plotkit::FONT, 15).into_font(),
        ))
        .map_err(e)?;
    }
    root.present().map_err(e)?;
    Ok(())
}

fn layout(table: &Table) -> (BTreeMap<String, usize>, u32) {
    let mut names: Vec<String> = table
        .bands()
        .iter()
        .flat_map(|b| {
            b.allocations
                .iter()
                .filter_map(|a| legend_key(&a.service_text))
        })
        .collect();
    names.sort();
    names.dedup();
    let services: BTreeMap<String, usize> =
        names.into_iter().enumerate().map(|(i, s)| (s, i)).collect();
    let legend_rows = (services.len() as i32 + 4 + LEGEND_COLS - 1) / LEGEND_COLS;
    let height = TITLE_H + rows(table).len() as i32 * ROW_H + 40 + legend_rows * LEGEND_ROW_H;
    (services, height.max(200) as u32)
}

/// Draws the chart of a publication as a PNG file (atomically).
pub fn write_png(publication: &Publication, path: &Path) -> Result<(), TableError> {
    let table = publication.table();
    plotkit::ensure_fonts()?;
    let (services, height) = layout(table);
    let target = plotkit::PngTarget::new(path)?;
    {
        let root = BitMapBackend::new(target.draw_path(), (WIDTH, height)).into_drawing_area();
        draw(&root, table, &services).map_err(|m| plotkit::draw_error(path, m))?;
    }
    target.commit()?;
    Ok(())
}

/// Draws the chart of a publication as an SVG document.
pub fn to_svg(publication: &Publication) -> Result<String, TableError> {
    let table = publication.table();
    plotkit::ensure_fonts()?;
    let (services, height) = layout(table);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        draw(&root, table, &services).map_err(|m| plotkit::draw_error(Path::new("<svg>"), m))?;
    }
    Ok(svg)
}

/// Draws the chart of a publication as an SVG file (atomically).
pub fn write_svg(publication: &Publication, path: &Path) -> Result<(), TableError> {
    let svg = to_svg(publication)?;
    plotkit::write_svg(path, &svg)?;
    Ok(())
}
