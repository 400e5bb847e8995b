//! Raster maps: a grid of values on a latitude/longitude extent (EPSG:4326)
//! drawn to a PNG with a Viridis colour scale between the 2nd and 98th
//! percentiles (rounded to 5 units), longitude/latitude axes, an optional
//! site marker, a colour-bar legend whose ends read "≥"/"≤" when values beyond
//! the scale are clamped to its end colours, a legend entry for no-data cells
//! and a kilometre scale bar (a round length about a fifth of the map's width
//! at its centre latitude). Takes plain data (values, dimensions,
//! georeference, labels), so any crate can draw a map without knowing where
//! the values came from.
//!
//! ```no_run
//! use plotkit::map::{MapLabels, MapRaster, write_raster_map};
//! let values = vec![50.0_f32, 60.0, f32::NAN, 70.0];
//! let raster = MapRaster {
//!     values: &values,
//!     width: 2,
//!     height: 2,
//!     south_deg: 42.0,
//!     west_deg: 74.0,
//!     north_deg: 43.0,
//!     east_deg: 75.0,
//! };
//! let labels = MapLabels { title: "demo", legend: "E (dBµV/m)", footer: "model: itm" };
//! write_raster_map(std::path::Path::new("map.png"), &raster, Some((74.5, 42.5)), &labels).unwrap();
//! ```

use std::path::Path;

use plotters::prelude::*;

use crate::{FONT, PlotError, PngTarget, draw_error, ensure_fonts, scale_colour};

/// A grid of values over a latitude/longitude extent: row-major from the
/// north-west cell, NaN = no value (drawn light grey).
#[derive(Debug, Clone, Copy)]
pub struct MapRaster<'a> {
    /// One value per cell, `width × height`, row-major from the north-west.
    pub values: &'a [f32],
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// South edge, degrees.
    pub south_deg: f64,
    /// West edge, degrees.
    pub west_deg: f64,
    /// North edge, degrees.
    pub north_deg: f64,
    /// East edge, degrees.
    pub east_deg: f64,
}

/// The texts of a map.
#[derive(Debug, Clone, Copy)]
pub struct MapLabels<'a> {
    /// Caption above the map.
    pub title: &'a str,
    /// Quantity and unit above the colour bar, e.g. `E (dBµV/m)`.
    pub legend: &'a str,
    /// Line under the colour bar, e.g. the model.
    pub footer: &'a str,
}

/// Colour-scale range for a set of values: 2nd–98th percentiles (O(n)
/// selection), widened to multiples of 5; `None` when there is no value.
///
/// ```
/// let v: Vec<f32> = (0..=100).map(|i| i as f32).collect();
/// assert_eq!(plotkit::map::scale_range(&v), Some((0.0, 100.0)));
/// ```
pub fn scale_range(values: &[f32]) -> Option<(f64, f64)> {
    let mut v: Vec<f32> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    let n = v.len();
    let lo_i = (n - 1) * 2 / 100;
    let hi_i = (n - 1) * 98 / 100;
    let lo = f64::from(*v.select_nth_unstable_by(lo_i, f32::total_cmp).1);
    let hi = f64::from(*v.select_nth_unstable_by(hi_i, f32::total_cmp).1);
    let lo = (lo / 5.0).floor() * 5.0;
    let hi = ((hi / 5.0).ceil() * 5.0).max(lo + 5.0);
    Some((lo, hi))
}

/// Colour of a cell without a value (terrain void or outside the area).
pub const NO_DATA_COLOUR: RGBColor = RGBColor(235, 235, 235);

/// Legend text of the no-data colour.
pub const NO_DATA_LABEL: &str = "no data (terrain void or outside the area)";

/// Labels of the colour bar's top and bottom for the scale `lo..hi`: values
/// above `hi` (below `lo`) are drawn in the end colour, so the end label reads
/// `≥ hi` (`≤ lo`) when some value lies beyond it.
///
/// ```
/// let (top, bottom) = plotkit::map::bar_end_labels(&[10.0, 120.0], 10.0, 100.0);
/// assert_eq!((top.as_str(), bottom.as_str()), ("≥ 100", "10"));
/// ```
pub fn bar_end_labels(values: &[f32], lo: f64, hi: f64) -> (String, String) {
    let finite = || {
        values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .map(f64::from)
    };
    let above = finite().any(|v| v > hi);
    let below = finite().any(|v| v < lo);
    let top = if above {
        format!("≥ {hi:.0}")
    } else {
        format!("{hi:.0}")
    };
    let bottom = if below {
        format!("≤ {lo:.0}")
    } else {
        format!("{lo:.0}")
    };
    (top, bottom)
}

/// Mean Earth radius used for the scale bar, metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// East–west width of `raster` in kilometres, measured at its centre latitude.
pub fn map_width_km(raster: &MapRaster<'_>) -> f64 {
    let lat = (0.5 * (raster.south_deg + raster.north_deg)).to_radians();
    let dlon = (raster.east_deg - raster.west_deg).abs().to_radians();
    EARTH_RADIUS_M * lat.cos().abs() * dlon / 1000.0
}

/// A round scale-bar length (1, 2 or 5 × 10ⁿ km) nearest to a fifth of a
/// map `width_km` wide; `None` when the width is not positive and finite.
///
/// ```
/// assert_eq!(plotkit::map::scale_bar_km(49.0), Some(10.0));
/// ```
pub fn scale_bar_km(width_km: f64) -> Option<f64> {
    if !(width_km.is_finite() && width_km > 0.0) {
        return None;
    }
    let target = width_km / 5.0;
    let decade = 10f64.powf(target.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * decade)
        .min_by(|a, b| {
            let da = (a / target).ln().abs();
            let db = (b / target).ln().abs();
            da.total_cmp(&db)
        })
}

/// Text of a scale-bar length: `10 km`, `0.5 km`.
fn km_label(km: f64) -> String {
    if km >= 1.0 {
        format!("{km:.0} km")
    } else {
        let s = format!("{km:.6}");
        format!("{} km", s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// Draws `raster` to a PNG at `path` (atomically), with a red triangle at
/// `marker` (longitude, latitude) if given.
pub fn write_raster_map(
    path: &Path,
    raster: &MapRaster<'_>,
    marker: Option<(f64, f64)>,
    labels: &MapLabels<'_>,
) -> Result<(), PlotError> {
    let err = |e: &dyn std::fmt::Display| draw_error(path, e);
    ensure_fonts()?;
    let target = PngTarget::new(path)?;
    let (gw, gh) = (raster.width, raster.height);
    let values = raster.values;
    let (lo, hi) = scale_range(values).unwrap_or((0.0, 1.0));
    let map_w: u32 = 760;
    let map_h: u32 =
        ((f64::from(map_w) * gh as f64 / gw.max(1) as f64).round() as u32).clamp(200, 1200);
    let (w, h) = (map_w + 90 + 150, map_h + 110);
    {
        let root = BitMapBackend::new(target.draw_path(), (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (left, right) = root.split_horizontally(w - 150);
        let (s, west, n, e) = (
            raster.south_deg,
            raster.west_deg,
            raster.north_deg,
            raster.east_deg,
        );
        let mut chart = ChartBuilder::on(&left)
            .caption(labels.title, (FONT, 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(west..e, s..n)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("Longitude (°E)")
            .y_desc("Latitude (°N)")
            .label_style((FONT, 12))
            .x_label_formatter(&|v| format!("{v:.2}"))
            .y_label_formatter(&|v| format!("{v:.2}"))
            .draw()
            .map_err(|e| err(&e))?;
        let area = chart.plotting_area().strip_coord_spec();
        let (pw, ph) = area.dim_in_pixel();
        for y in 0..ph {
            let row = (y as usize * gh) / ph.max(1) as usize;
            for x in 0..pw {
                let col = (x as usize * gw) / pw.max(1) as usize;
                let v = values.get(row * gw + col).copied().unwrap_or(f32::NAN);
                let colour = if v.is_finite() {
                    scale_colour(f64::from(v), lo, hi)
                } else {
                    NO_DATA_COLOUR
                };
                area.draw_pixel((x as i32, y as i32), &colour)
                    .map_err(|e| err(&e))?;
            }
        }
        if let Some((lon, lat)) = marker {
            chart
                .draw_series(std::iter::once(TriangleMarker::new(
                    (lon, lat),
                    7,
                    RED.filled(),
                )))
                .map_err(|e| err(&e))?;
        }
        draw_scale_bar(&area, map_width_km(raster)).map_err(|e| err(&e))?;
        let bar_bottom = h as i32 - 130;
        draw_colour_bar(&right, values, lo, hi, labels.legend, 60, bar_bottom)
            .map_err(|e| err(&e))?;
        // Legend entry for cells without a value.
        let nd_y = bar_bottom + 22;
        right
            .draw(&Rectangle::new(
                [(15, nd_y), (45, nd_y + 14)],
                NO_DATA_COLOUR.filled(),
            ))
            .map_err(|e| err(&e))?;
        right
            .draw(&Rectangle::new(
                [(15, nd_y), (45, nd_y + 14)],
                BLACK.stroke_width(1),
            ))
            .map_err(|e| err(&e))?;
        // Two lines, split before "or", to fit the legend column.
        let (first, second) = NO_DATA_LABEL
            .split_once(" or ")
            .map_or((NO_DATA_LABEL, String::new()), |(a, b)| {
                (a, format!("or {b}"))
            });
        for (i, line) in [first, second.as_str()].iter().enumerate() {
            right
                .draw(&Text::new(
                    *line,
                    (10, nd_y + 20 + 15 * i as i32),
                    (FONT, 12).into_font(),
                ))
                .map_err(|e| err(&e))?;
        }
        right
            .draw(&Text::new(
                labels.footer,
                (10, h as i32 - 35),
                (FONT, 12).into_font(),
            ))
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    target.commit()
}

/// Draws a kilometre scale bar in the lower-left corner of the map `area`
/// (pixel coordinates), for a map `width_km` wide at its centre latitude.
pub(crate) fn draw_scale_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    width_km: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let Some(km) = scale_bar_km(width_km) else {
        return Ok(());
    };
    let (pw, ph) = area.dim_in_pixel();
    let px = (km / width_km * f64::from(pw)).round() as i32;
    let (x0, y0) = (12_i32, ph as i32 - 18);
    area.draw(&Rectangle::new(
        [(x0 - 6, y0 - 22), (x0 + px + 8, y0 + 10)],
        WHITE.mix(0.8).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + px, y0 + 4)],
        BLACK.filled(),
    ))?;
    for xe in [x0, x0 + px] {
        area.draw(&PathElement::new(vec![(xe, y0 - 5), (xe, y0 + 4)], BLACK))?;
    }
    area.draw(&Text::new(
        km_label(km),
        (x0, y0 - 19),
        (FONT, 12).into_font(),
    ))
}

/// Draws the legend's colour bar on `right` between `bar_top` and
/// `bar_bottom` (pixels): the quantity above it, ticks every 5 or 10 units,
/// and end labels that say "≥"/"≤" when values beyond the scale are clamped.
pub(crate) fn draw_colour_bar<DB: DrawingBackend>(
    right: &DrawingArea<DB, plotters::coord::Shift>,
    values: &[f32],
    lo: f64,
    hi: f64,
    legend: &str,
    bar_top: i32,
    bar_bottom: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let bar_h = (bar_bottom - bar_top).max(1);
    right.draw(&Text::new(legend, (10, 25), (FONT, 14).into_font()))?;
    for yy in 0..bar_h {
        let v = hi - (hi - lo) * f64::from(yy) / f64::from(bar_h);
        let c = scale_colour(v, lo, hi);
        right.draw(&Rectangle::new(
            [(15, bar_top + yy), (45, bar_top + yy + 1)],
            c.filled(),
        ))?;
    }
    let (top_label, bottom_label) = bar_end_labels(values, lo, hi);
    for (label, y) in [(&top_label, bar_top), (&bottom_label, bar_bottom)] {
        right.draw(&PathElement::new(vec![(45, y), (52, y)], BLACK))?;
        right.draw(&Text::new(
            label.as_str(),
            (56, y - 6),
            (FONT, 12).into_font(),
        ))?;
    }
    let tick = if hi - lo > 60.0 { 10.0 } else { 5.0 };
    let mut t = (lo / tick).ceil() * tick;
    while t <= hi + 1e-9 {
        let y = bar_bottom - ((t - lo) / (hi - lo) * f64::from(bar_h)).round() as i32;
        right.draw(&PathElement::new(vec![(45, y), (52, y)], BLACK))?;
        if (y - bar_top).abs() >= 14 && (y - bar_bottom).abs() >= 14 {
            right.draw(&Text::new(
                format!("{t:.0}"),
                (56, y - 6),
                (FONT, 12).into_font(),
            ))?;
        }
        t += tick;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_uses_percentiles_and_5_unit_steps() {
        let v: Vec<f32> = (0..=100).map(|i| i as f32).chain([f32::NAN, 1e6]).collect();
        assert_eq!(scale_range(&v), Some((0.0, 100.0)));
        assert_eq!(scale_range(&[f32::NAN]), None);
        assert_eq!(scale_range(&[3.0]), Some((0.0, 5.0)));
    }

    #[test]
    fn colour_bar_ends_say_when_values_are_clamped() {
        let v = [10.0_f32, 50.0, 130.0, f32::NAN];
        let (top, bottom) = bar_end_labels(&v, 10.0, 100.0);
        assert!(top.starts_with('≥'), "{top}");
        assert_eq!(top, "≥ 100");
        assert_eq!(bottom, "10");
        let (top, bottom) = bar_end_labels(&[-5.0, 50.0], 0.0, 100.0);
        assert_eq!((top.as_str(), bottom.as_str()), ("100", "≤ 0"));
        assert!(NO_DATA_LABEL.starts_with("no data"));
    }

    #[test]
    fn scale_bar_is_round_and_about_a_fifth_of_the_width() {
        for (s, w, n, e) in [
            (42.57, 74.29, 43.03, 74.91),
            (0.0, 10.0, 0.1, 10.1),
            (60.0, 20.0, 61.0, 30.0),
            (-35.0, 150.0, -33.0, 151.5),
            (45.0, 5.0, 45.01, 5.02),
        ] {
            let values = [0.0_f32];
            let r = MapRaster {
                values: &values,
                width: 1,
                height: 1,
                south_deg: s,
                west_deg: w,
                north_deg: n,
                east_deg: e,
            };
            let width = map_width_km(&r);
            let km = scale_bar_km(width).unwrap_or_else(|| panic!("no bar for {width}"));
            let mantissa = km / 10f64.powf(km.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
                "{km} km is not round"
            );
            let frac = km / width;
            assert!((0.12..=0.32).contains(&frac), "{km} km of {width} km");
        }
        let bishkek = MapRaster {
            values: &[0.0],
            width: 1,
            height: 1,
            south_deg: 42.57,
            west_deg: 74.29,
            north_deg: 43.03,
            east_deg: 74.91,
        };
        assert!((map_width_km(&bishkek) - 50.5).abs() < 1.0);
        assert_eq!(scale_bar_km(map_width_km(&bishkek)), Some(10.0));
        assert_eq!(scale_bar_km(0.0), None);
        assert_eq!(km_label(10.0), "10 km");
        assert_eq!(km_label(0.5), "0.5 km");
    }

    #[test]
    fn a_map_is_written_as_png() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("map.png");
        let values: Vec<f32> = (0..12)
            .map(|i| if i == 5 { f32::NAN } else { i as f32 })
            .collect();
        let raster = MapRaster {
            values: &values,
            width: 4,
            height: 3,
            south_deg: 42.0,
            west_deg: 74.0,
            north_deg: 42.3,
            east_deg: 74.4,
        };
        let labels = MapLabels {
            title: "test",
            legend: "E (dBµV/m)",
            footer: "model: test",
        };
        write_raster_map(&path, &raster, Some((74.2, 42.15)), &labels)
            .unwrap_or_else(|e| panic!("{e}"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }
}
