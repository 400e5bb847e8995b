//! # plotkit
//!
//! Shared chart setup for Spectra's plotters charts:
//!
//! - [`ensure_fonts`] registers an embedded DejaVu Sans (Bitstream Vera
//!   licence, `assets/LICENSE-DejaVu.txt`) for plotters' `ab_glyph` text
//!   backend, so charts render the same everywhere with no system fonts;
//! - [`categorical_colour`] and [`scale_colour`] give a stable categorical
//!   palette and a perceptual (viridis) colour scale;
//! - [`PngTarget`] and [`write_svg`] write images atomically (temporary file,
//!   then rename).
//!
//! ```
//! plotkit::ensure_fonts().unwrap();
//! let c = plotkit::scale_colour(0.5, 0.0, 1.0);
//! assert_ne!(c, plotkit::scale_colour(0.0, 0.0, 1.0));
//! ```

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
    /// File-system error on an output path.
    #[error("{path}: {source}")]
    Io {
        /// The output file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
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
/// beside the final path, renamed into place by [`PngTarget::commit`].
#[derive(Debug)]
pub struct PngTarget {
    final_path: PathBuf,
    temp_path: PathBuf,
}

impl PngTarget {
    /// Prepares a PNG output at `path` (creating its directory if needed).
    pub fn new(path: &Path) -> Result<Self, PlotError> {
        let dir = parent_dir(path);
        std::fs::create_dir_all(&dir).map_err(|source| PlotError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "chart".to_owned());
        let temp_path = dir.join(format!(".{name}.{}.tmp.png", std::process::id()));
        Ok(Self {
            final_path: path.to_path_buf(),
            temp_path,
        })
    }

    /// The temporary path to give to `BitMapBackend::new`.
    pub fn draw_path(&self) -> &Path {
        &self.temp_path
    }

    /// Renames the drawn file to its final path.
    pub fn commit(self) -> Result<(), PlotError> {
        std::fs::rename(&self.temp_path, &self.final_path).map_err(|source| PlotError::Io {
            path: self.final_path.clone(),
            source,
        })
    }
}

impl Drop for PngTarget {
    fn drop(&mut self) {
        // After a successful commit the temporary file no longer exists.
        let _ = std::fs::remove_file(&self.temp_path);
    }
}

/// Writes an SVG document atomically.
pub fn write_svg(path: &Path, svg: &str) -> Result<(), PlotError> {
    let io = |source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = parent_dir(path);
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".svg.").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(io)?;
    std::io::Write::write_all(&mut tmp, svg.as_bytes()).map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Maps a plotters drawing error to [`PlotError::Draw`].
pub fn draw_error<E: std::fmt::Display>(path: &Path, err: E) -> PlotError {
    PlotError::Draw {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
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
    fn colour_scale_is_clamped_and_monotone_in_ends() {
        assert_eq!(scale_colour(-5.0, 0.0, 1.0), scale_colour(0.0, 0.0, 1.0));
        assert_eq!(scale_colour(5.0, 0.0, 1.0), scale_colour(1.0, 0.0, 1.0));
        assert_ne!(categorical_colour(0), categorical_colour(1));
        assert_eq!(categorical_colour(0), categorical_colour(20));
    }
}
