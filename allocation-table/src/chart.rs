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
use crate::service::{RadioService, ServiceEntry};

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
/// Background of spectrum inside the table's range with no allocation.
const NO_ALLOCATION: RGBColor = RGBColor(230, 230, 230);

/// Legend key of an allocation: the RR service name and its colour, or the
/// text as written for unknown services (with a colour derived from it).
fn legend_key(text: &str) -> Option<(String, RGBColor)> {
    match crate::service::parse_service(text).entry {
        ServiceEntry::Service(s) => Some((s.name().to_owned(), service_colour(s))),
        ServiceEntry::NotAllocated => None,
        ServiceEntry::Unknown(t) => {
            let c = unknown_colour(&t);
            Some((t, c))
        }
    }
}

/// The one colour of each RR Article 1 service, the same in every chart of
/// every table: related services share a hue family (mobile services
/// orange, aeronautical mobile purple, radionavigation green, maritime
/// blue), and any two differ by at least 45 in RGB distance (tested).
pub fn service_colour(service: RadioService) -> RGBColor {
    let (r, g, b) = match service {
        RadioService::Radiocommunication => (90, 90, 90),
        RadioService::Fixed => (0, 128, 128),
        RadioService::FixedSatellite => (102, 194, 165),
        RadioService::InterSatellite => (153, 0, 76),
        RadioService::SpaceOperation => (110, 80, 160),
        RadioService::Mobile => (255, 160, 60),
        RadioService::MobileSatellite => (230, 200, 120),
        RadioService::LandMobile => (200, 110, 0),
        RadioService::LandMobileSatellite => (240, 225, 40),
        RadioService::MaritimeMobile => (0, 70, 160),
        RadioService::MaritimeMobileSatellite => (100, 150, 230),
        RadioService::PortOperations => (0, 30, 90),
        RadioService::ShipMovement => (40, 110, 200),
        RadioService::AeronauticalMobile => (170, 60, 200),
        RadioService::AeronauticalMobileR => (110, 20, 150),
        RadioService::AeronauticalMobileOr => (210, 130, 240),
        RadioService::AeronauticalMobileSatellite => (225, 180, 235),
        RadioService::AeronauticalMobileSatelliteR => (150, 100, 190),
        RadioService::AeronauticalMobileSatelliteOr => (160, 160, 255),
        RadioService::Broadcasting => (140, 86, 75),
        RadioService::BroadcastingSatellite => (205, 145, 110),
        RadioService::Radiodetermination => (170, 0, 0),
        RadioService::RadiodeterminationSatellite => (200, 70, 90),
        RadioService::Radionavigation => (0, 140, 0),
        RadioService::RadionavigationSatellite => (150, 215, 100),
        RadioService::MaritimeRadionavigation => (0, 80, 40),
        RadioService::MaritimeRadionavigationSatellite => (70, 170, 120),
        RadioService::AeronauticalRadionavigation => (70, 200, 40),
        RadioService::AeronauticalRadionavigationSatellite => (200, 240, 160),
        RadioService::Radiolocation => (220, 30, 130),
        RadioService::RadiolocationSatellite => (250, 150, 200),
        RadioService::MeteorologicalAids => (20, 190, 210),
        RadioService::EarthExplorationSatellite => (230, 100, 200),
        RadioService::MeteorologicalSatellite => (140, 225, 240),
        RadioService::StandardFrequencyAndTimeSignal => (110, 110, 0),
        RadioService::StandardFrequencyAndTimeSignalSatellite => (175, 175, 70),
        RadioService::SpaceResearch => (60, 60, 150),
        RadioService::Amateur => (230, 40, 40),
        RadioService::AmateurSatellite => (255, 125, 90),
        RadioService::RadioAstronomy => (25, 25, 45),
        RadioService::Safety => (255, 205, 0),
        RadioService::Special => (150, 150, 150),
    };
    RGBColor(r, g, b)
}

/// A colour for a service name that is not an RR service: derived from the
/// text (FNV-1a hash → hue), so it is the same in every table.
fn unknown_colour(text: &str) -> RGBColor {
    let hash = text
        .to_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let (r, g, b) = HSLColor((hash % 360) as f64 / 360.0, 0.55, 0.5).rgb();
    RGBColor(r, g, b)
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
    services: &BTreeMap<String, RGBColor>,
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
        // A dash, not brackets: names often end in brackets already.
        title.push_str(&format!(" — edition {}", table.metadata.edition));
    }
    let (span_lo, span_hi) = table.span_hz().unwrap_or((0, 0));
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
        // Grey only where the table has spectrum (its range); outside it the
        // row is left white and labelled.
        let (cover_lo, cover_hi) = (span_lo.max(row_lo), span_hi.min(row_hi));
        if cover_lo < cover_hi {
            root.draw(&Rectangle::new(
                [
                    (x_of(cover_lo), y0 + BAR_TOP),
                    (x_of(cover_hi), y0 + BAR_TOP + BAR_H),
                ],
                NO_ALLOCATION.filled(),
            ))
            .map_err(e)?;
        }
        let beyond = [
            (row_lo < span_lo).then(|| (row_lo, span_lo.min(row_hi), "below this table's range")),
            (span_hi < row_hi).then(|| (span_hi.max(row_lo), row_hi, "above this table's range")),
        ];
        for (a, b, what) in beyond.into_iter().flatten() {
            let (xa, xb) = (x_of(a), x_of(b));
            root.draw(&Rectangle::new(
                [(xa, y0 + BAR_TOP), (xb, y0 + BAR_TOP + BAR_H)],
                RGBColor(200, 200, 200).stroke_width(1),
            ))
            .map_err(e)?;
            if xb - xa > 200 {
                root.draw(&Text::new(
                    format!(
                        "{what} (the table ends at {})",
                        format_freq_hz(if a < span_lo { span_lo } else { span_hi })
                    ),
                    (xa + 10, y0 + BAR_TOP + BAR_H / 2 - 7),
                    (plotkit::FONT, 14)
                        .into_font()
                        .color(&RGBColor(110, 110, 110)),
                ))
                .map_err(e)?;
            }
        }
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
                let colour =
                    legend_key(&a.service_text).map_or(RGBColor(160, 160, 160), |(_, c)| c);
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
        .map(|(s, &c)| (s.clone(), c, true))
        .collect();
    items.push((
        "No allocation in the table (grey)".into(),
        NO_ALLOCATION,
        true,
    ));
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

fn layout(table: &Table) -> (BTreeMap<String, RGBColor>, u32) {
    let services: BTreeMap<String, RGBColor> = table
        .bands()
        .iter()
        .flat_map(|b| {
            b.allocations
                .iter()
                .filter_map(|a| legend_key(&a.service_text))
        })
        .collect();
    let legend_rows = (services.len() as i32 + 5 + LEGEND_COLS - 1) / LEGEND_COLS;
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
