//! Point maps: values at scattered latitude/longitude points (stations,
//! victims of an interference study) drawn as coloured dots on a PNG, with
//! the same Viridis scale, colour bar and kilometre scale bar as the raster
//! maps of [`crate::map`]; points without a value are drawn light grey.
//!
//! ```no_run
//! use plotkit::map::MapLabels;
//! use plotkit::points::{MapPoint, write_point_map};
//! let points = [MapPoint { lon_deg: 74.5, lat_deg: 42.8, value: Some(-3.0) },
//!               MapPoint { lon_deg: 74.7, lat_deg: 42.9, value: None }];
//! let labels = MapLabels { title: "I/N at the victims", legend: "I/N (dB)", footer: "free space" };
//! write_point_map(std::path::Path::new("points.png"), &points, None, &labels).unwrap();
//! ```

use std::path::Path;

use plotters::prelude::*;

use crate::map::{
    MapLabels, MapRaster, draw_colour_bar, draw_scale_bar, map_width_km, scale_range,
};
use crate::{FONT, PlotError, PngTarget, draw_error, ensure_fonts, scale_colour};

/// One point of a point map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapPoint {
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// The value, if any.
    pub value: Option<f64>,
}

/// Grey of the points without a value.
const NO_VALUE: RGBColor = RGBColor(200, 200, 200);

/// The extent of the points, widened by 5 % (and at least 0.01°) on each side.
fn extent(points: &[MapPoint]) -> Option<(f64, f64, f64, f64)> {
    let finite = points
        .iter()
        .filter(|p| p.lon_deg.is_finite() && p.lat_deg.is_finite());
    let (mut s, mut w, mut n, mut e) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut any = false;
    for p in finite {
        any = true;
        s = s.min(p.lat_deg);
        n = n.max(p.lat_deg);
        w = w.min(p.lon_deg);
        e = e.max(p.lon_deg);
    }
    any.then(|| {
        let (dy, dx) = (((n - s) * 0.05).max(0.01), ((e - w) * 0.05).max(0.01));
        (s - dy, w - dx, n + dy, e + dx)
    })
}

/// Draws `points` to a PNG at `path` (atomically), largest values on top,
/// with a red triangle at `marker` (longitude, latitude) if given.
pub fn write_point_map(
    path: &Path,
    points: &[MapPoint],
    marker: Option<(f64, f64)>,
    labels: &MapLabels<'_>,
) -> Result<(), PlotError> {
    let err = |e: &dyn std::fmt::Display| draw_error(path, e);
    ensure_fonts()?;
    let (s, west, n, e) = extent(points).unwrap_or((42.0, 74.0, 43.0, 75.0));
    let values: Vec<f32> = points
        .iter()
        .filter_map(|p| p.value)
        .map(|v| v as f32)
        .collect();
    let (lo, hi) = scale_range(&values).unwrap_or((0.0, 1.0));
    let target = PngTarget::new(path)?;
    let mid_lat = ((s + n) / 2.0).to_radians().cos().max(0.05);
    let map_w: u32 = 760;
    let map_h =
        ((f64::from(map_w) * (n - s) / ((e - west) * mid_lat)).round() as u32).clamp(200, 1200);
    let (w, h) = (map_w + 90 + 150, map_h + 110);
    {
        let root = BitMapBackend::new(target.draw_path(), (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| err(&x))?;
        let (left, right) = root.split_horizontally(w - 150);
        let mut chart = ChartBuilder::on(&left)
            .caption(labels.title, (FONT, 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(west..e, s..n)
            .map_err(|x| err(&x))?;
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .x_desc("Longitude (°E)")
            .y_desc("Latitude (°N)")
            .label_style((FONT, 12))
            .x_label_formatter(&|v| format!("{v:.2}"))
            .y_label_formatter(&|v| format!("{v:.2}"))
            .draw()
            .map_err(|x| err(&x))?;
        // The scale bar first, so that no point hides under it.
        let frame = MapRaster {
            values: &[],
            width: 1,
            height: 1,
            south_deg: s,
            west_deg: west,
            north_deg: n,
            east_deg: e,
        };
        let area = chart.plotting_area().strip_coord_spec();
        draw_scale_bar(&area, map_width_km(&frame)).map_err(|x| err(&x))?;
        let mut order: Vec<&MapPoint> = points.iter().collect();
        order.sort_by(|a, b| {
            a.value
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&b.value.unwrap_or(f64::NEG_INFINITY))
        });
        chart
            .draw_series(order.iter().map(|p| {
                let colour = p.value.map_or(NO_VALUE, |v| scale_colour(v, lo, hi));
                Circle::new((p.lon_deg, p.lat_deg), 3, colour.filled())
            }))
            .map_err(|x| err(&x))?;
        if let Some((lon, lat)) = marker {
            chart
                .draw_series(std::iter::once(TriangleMarker::new(
                    (lon, lat),
                    8,
                    RED.filled(),
                )))
                .map_err(|x| err(&x))?;
        }
        draw_colour_bar(&right, &values, lo, hi, labels.legend, 60, h as i32 - 90)
            .map_err(|x| err(&x))?;
        right
            .draw(&Text::new(
                labels.footer,
                (10, h as i32 - 35),
                (FONT, 12).into_font(),
            ))
            .map_err(|x| err(&x))?;
        root.present().map_err(|x| err(&x))?;
    }
    target.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_map_is_written_as_png_and_the_extent_covers_the_points() {
        let points = [
            MapPoint {
                lon_deg: 74.5,
                lat_deg: 42.8,
                value: Some(-3.0),
            },
            MapPoint {
                lon_deg: 74.7,
                lat_deg: 42.9,
                value: None,
            },
            MapPoint {
                lon_deg: f64::NAN,
                lat_deg: 0.0,
                value: Some(1.0),
            },
        ];
        let (s, w, n, e) = extent(&points).unwrap_or_default();
        assert!(s < 42.8 && n > 42.9 && w < 74.5 && e > 74.7);
        assert_eq!(extent(&[]), None);
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("points.png");
        let labels = MapLabels {
            title: "test",
            legend: "I/N (dB)",
            footer: "model: test",
        };
        write_point_map(&path, &points, Some((74.6, 42.85)), &labels)
            .unwrap_or_else(|e| panic!("{e}"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }
}
