//! # plotkit
//!
//! Shared chart setup for Spectra's plotters charts:
//!
//! - [`ensure_fonts`] registers an embedded DejaVu Sans (Bitstream Vera
//!   licence, `assets/LICENSE-DejaVu.txt`) for plotters' `ab_glyph` text
//!   backend, so charts render the same everywhere with no system fonts;
//! - [`categorical_colour`] and [`scale_colour`] give a stable categorical
//!   palette and a perceptual (viridis) colour scale;
//! - [`PngTarget`] and [`write_svg`] write images atomically through
//!   `tabular`'s one atomic write (unpredictable temporary name in the same
//!   directory, fsync, rename).
//!
//! ```
//! plotkit::ensure_fonts().unwrap();
//! let c = plotkit::scale_colour(0.5, 0.0, 1.0);
//! assert_ne!(c, plotkit::scale_colour(0.0, 0.0, 1.0));
//! ```

pub mod map;
pub mod points;

use std::path::{Path, PathBuf};

use std::sync::OnceLock;

use plotters::style::colors::colormaps::{ColorMap, ViridisRGB};
use plotters::style::{FontStyle, RGBColor};

/// Font family name to use in chart text styles.
pub const FONT: &str = "sans-serif";

static DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Why a chart could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The embedded font could not be registered.
    #[error("the embedded DejaVu Sans font could not be loaded")]
    Font,
    /// Writing the output file failed (temporary file, sync or rename).
    #[error(transparent)]
    Output(#[from] tabular::TabularError),
    /// Drawing failed.
    #[error("{path}: drawing failed: {message}")]
    Draw {
        /// The output file.
        path: PathBuf,
        /// What the backend reported.
        message: String,
    },
}

/// Registers the embedded font under the families `sans-serif`, `serif` and
/// `monospace` (normal and bold) for plotters' ab_glyph backend. Safe to call
/// many times and from many threads; the work is done once.
pub fn ensure_fonts() -> Result<(), PlotError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = DONE.get_or_init(|| {
        ["sans-serif", "serif", "monospace"].iter().all(|family| {
            [FontStyle::Normal, FontStyle::Bold]
                .into_iter()
                .all(|style| plotters::style::register_font(family, style, DEJAVU_SANS).is_ok())
        })
    });
    if *ok { Ok(()) } else { Err(PlotError::Font) }
}

/// Colour `index` of a 20-colour categorical palette (repeats after 20).
pub fn categorical_colour(index: usize) -> RGBColor {
    const PALETTE: [(u8, u8, u8); 20] = [
        (31, 119, 180),
        (255, 127, 14),
        (44, 160, 44),
        (214, 39, 40),
        (148, 103, 189),
        (140, 86, 75),
        (227, 119, 194),
        (127, 127, 127),
        (188, 189, 34),
        (23, 190, 207),
        (174, 199, 232),
        (255, 187, 120),
        (152, 223, 138),
        (255, 152, 150),
        (197, 176, 213),
        (196, 156, 148),
        (247, 182, 210),
        (199, 199, 199),
        (219, 219, 141),
        (158, 218, 229),
    ];
    let (r, g, b) = PALETTE[index % PALETTE.len()];
    RGBColor(r, g, b)
}

/// Viridis colour of `value` on the scale `[min, max]` (clamped).
pub fn scale_colour(value: f64, min: f64, max: f64) -> RGBColor {
    let span = max - min;
    let t = if span > 0.0 && value.is_finite() {
        ((value - min) / span).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ViridisRGB.get_color(t)
}

/// A PNG output drawn by plotters' `BitMapBackend` into a temporary file
/// beside the final path, synced and renamed into place by
/// [`PngTarget::commit`] — through `tabular`'s one atomic write
/// ([`tabular::AtomicPath`]: unpredictable temporary name, fsync, rename).
/// Dropped without commit, it leaves nothing behind.
#[derive(Debug)]
pub struct PngTarget {
    target: tabular::AtomicPath,
}

impl PngTarget {
    /// Prepares a PNG output at `path` (creating its directory if needed).
    pub fn new(path: &Path) -> Result<Self, PlotError> {
        Ok(Self {
            target: tabular::AtomicPath::create(path)?,
        })
    }

    /// The temporary path to give to `BitMapBackend::new`.
    pub fn draw_path(&self) -> &Path {
        self.target.temp_path()
    }

    /// Syncs the drawn file and renames it to its final path.
    pub fn commit(self) -> Result<(), PlotError> {
        Ok(self.target.commit()?)
    }
}

/// Writes an SVG document atomically (through [`tabular::write_atomic`]).
pub fn write_svg(path: &Path, svg: &str) -> Result<(), PlotError> {
    Ok(tabular::write_atomic(path, svg.as_bytes())?)
}

/// Maps a plotters drawing error to [`PlotError::Draw`].
pub fn draw_error<E: std::fmt::Display>(path: &Path, err: E) -> PlotError {
    PlotError::Draw {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn renders_text_to_png_with_embedded_font() {
        ensure_fonts().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.png");
        let target = PngTarget::new(&path).unwrap();
        {
            let root = BitMapBackend::new(target.draw_path(), (200, 60)).into_drawing_area();
            root.fill(&WHITE).unwrap();
            root.draw(&Text::new("435 MHz", (10, 20), (FONT, 20).into_font()))
                .unwrap();
            root.present().unwrap();
        }
        target.commit().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn abandoned_png_and_written_svg_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let path = dir.path().join("sub/t.png");
        let target = PngTarget::new(&path).unwrap();
        std::fs::write(target.draw_path(), b"partial").unwrap();
        assert_ne!(target.draw_path(), path.as_path());
        drop(target);
        assert!(!path.exists());
        assert_eq!(
            std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
            0
        );
        let svg = dir.path().join("t.svg");
        write_svg(&svg, "<svg/>").unwrap();
        assert_eq!(std::fs::read_to_string(&svg).unwrap(), "<svg/>");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn colour_scale_is_clamped_and_monotone_in_ends() {
        assert_eq!(scale_colour(-5.0, 0.0, 1.0), scale_colour(0.0, 0.0, 1.0));
        assert_eq!(scale_colour(5.0, 0.0, 1.0), scale_colour(1.0, 0.0, 1.0));
        assert_ne!(categorical_colour(0), categorical_colour(1));
        assert_eq!(categorical_colour(0), categorical_colour(20));
    }
}
