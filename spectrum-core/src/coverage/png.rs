//! A PNG map of one coverage quantity (plotters, embedded font from
//! `plotkit`): cells coloured on a Viridis scale between the 2nd and 98th
//! percentiles (rounded to 5 dB), longitude/latitude axes, the transmitter
//! marked, and a colour-bar legend with the quantity and its unit.

use std::path::Path;

use plotters::prelude::*;

use super::{CoverageError, CoverageMap, Quantity};
use crate::geodesy::GeoPoint;

/// Colour-scale range for a set of values: 2nd–98th percentiles (O(n)
/// selection), widened to multiples of 5 dB; `None` when there is no value.
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

/// Draws the map of `q` to a PNG at `path` (atomically).
pub fn write(
    path: &Path,
    map: &CoverageMap,
    q: Quantity,
    site: GeoPoint,
    title: &str,
) -> Result<(), CoverageError> {
    let err = |message: String| CoverageError::Output {
        path: path.display().to_string(),
        message,
    };
    plotkit::ensure_fonts().map_err(|e| err(e.to_string()))?;
    let target = plotkit::PngTarget::new(path).map_err(|e| err(e.to_string()))?;
    let g = &map.grid;
    let values = map.values(q);
    let (lo, hi) = scale_range(values).unwrap_or((0.0, 1.0));
    let map_w: u32 = 760;
    let map_h: u32 = ((f64::from(map_w) * g.height as f64 / g.width.max(1) as f64).round() as u32)
        .clamp(200, 1200);
    let (w, h) = (map_w + 90 + 150, map_h + 110);
    {
        let root = BitMapBackend::new(target.draw_path(), (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let (left, right) = root.split_horizontally(w - 150);
        let (s, west, n, e) = g.bounds_deg();
        let mut chart = ChartBuilder::on(&left)
            .caption(title, (plotkit::FONT, 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(west..e, s..n)
            .map_err(|e| err(e.to_string()))?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("Longitude (°E)")
            .y_desc("Latitude (°N)")
            .label_style((plotkit::FONT, 12))
            .x_label_formatter(&|v| format!("{v:.2}"))
            .y_label_formatter(&|v| format!("{v:.2}"))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        let area = chart.plotting_area().strip_coord_spec();
        let (pw, ph) = area.dim_in_pixel();
        for y in 0..ph {
            let row = (y as usize * g.height) / ph.max(1) as usize;
            for x in 0..pw {
                let col = (x as usize * g.width) / pw.max(1) as usize;
                let v = values.get(row * g.width + col).copied().unwrap_or(f32::NAN);
                let colour = if v.is_finite() {
                    plotkit::scale_colour(f64::from(v), lo, hi)
                } else {
                    RGBColor(235, 235, 235)
                };
                area.draw_pixel((x as i32, y as i32), &colour)
                    .map_err(|e| err(e.to_string()))?;
            }
        }
        chart
            .draw_series(std::iter::once(TriangleMarker::new(
                (site.lon_deg, site.lat_deg),
                7,
                RED.filled(),
            )))
            .map_err(|e| err(e.to_string()))?;
        // Legend: colour bar with ticks every 5 or 10 dB.
        let bar_top = 60_i32;
        let bar_bottom = h as i32 - 60;
        let bar_h = (bar_bottom - bar_top).max(1);
        right
            .draw(&Text::new(
                short_label(q),
                (10, 25),
                (plotkit::FONT, 14).into_font(),
            ))
            .map_err(|e| err(e.to_string()))?;
        for yy in 0..bar_h {
            let v = hi - (hi - lo) * f64::from(yy) / f64::from(bar_h);
            let c = plotkit::scale_colour(v, lo, hi);
            right
                .draw(&Rectangle::new(
                    [(15, bar_top + yy), (45, bar_top + yy + 1)],
                    c.filled(),
                ))
                .map_err(|e| err(e.to_string()))?;
        }
        let tick = if hi - lo > 60.0 { 10.0 } else { 5.0 };
        let mut t = (lo / tick).ceil() * tick;
        while t <= hi + 1e-9 {
            let y = bar_bottom - ((t - lo) / (hi - lo) * f64::from(bar_h)).round() as i32;
            right
                .draw(&PathElement::new(vec![(45, y), (52, y)], BLACK))
                .map_err(|e| err(e.to_string()))?;
            right
                .draw(&Text::new(
                    format!("{t:.0}"),
                    (56, y - 6),
                    (plotkit::FONT, 12).into_font(),
                ))
                .map_err(|e| err(e.to_string()))?;
            t += tick;
        }
        right
            .draw(&Text::new(
                format!("{}: {}", "model", map.model_name),
                (10, h as i32 - 35),
                (plotkit::FONT, 12).into_font(),
            ))
            .map_err(|e| err(e.to_string()))?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    target.commit().map_err(|e| err(e.to_string()))
}

fn short_label(q: Quantity) -> &'static str {
    match q {
        Quantity::FieldStrength => "E (dBµV/m)",
        Quantity::Loss => "Loss (dB)",
        Quantity::RxPower => "Prx (dBm)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_uses_percentiles_and_5_db_steps() {
        let v: Vec<f32> = (0..=100).map(|i| i as f32).chain([f32::NAN, 1e6]).collect();
        let (lo, hi) = scale_range(&v).unwrap();
        assert_eq!(lo, 0.0);
        assert_eq!(hi, 100.0);
        assert_eq!(scale_range(&[f32::NAN]), None);
    }
}
