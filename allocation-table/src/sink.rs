//! The one sink of table publications: a [`Publication`] written in the
//! format named by the file extension (CSV, JSON, Parquet, native `.ntfa`,
//! PNG or SVG chart), atomically, and [`publish`], the filter-then-write
//! entry point of `spectra table export` and `spectra table chart`.

use std::path::{Path, PathBuf};

use crate::error::TableError;
use crate::model::Table;
use crate::publish::{Audience, Publication, view};

/// A publication format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One row per allocation, with a header.
    Csv,
    /// Structured document with provenance.
    Json,
    /// One row per allocation; provenance, metadata, footnotes and journal
    /// in the key-value metadata.
    Parquet,
    /// Spectra's native text format (`.ntfa`).
    Native,
    /// The spectrum chart as PNG.
    Png,
    /// The spectrum chart as SVG.
    Svg,
}

impl Format {
    /// Every format with its file extension.
    pub const EXTENSIONS: [(&'static str, Format); 6] = [
        ("csv", Format::Csv),
        ("json", Format::Json),
        ("parquet", Format::Parquet),
        ("ntfa", Format::Native),
        ("png", Format::Png),
        ("svg", Format::Svg),
    ];

    /// The format named by the extension of `path` (case-insensitive).
    pub fn from_path(path: &Path) -> Result<Format, TableError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        Self::EXTENSIONS
            .iter()
            .find(|(e, _)| *e == ext)
            .map(|&(_, f)| f)
            .ok_or_else(|| TableError::UnknownExtension {
                path: path.to_path_buf(),
                expected: Self::EXTENSIONS
                    .iter()
                    .map(|(e, _)| format!(".{e}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// True for the chart formats.
    pub fn is_chart(self) -> bool {
        matches!(self, Format::Png | Format::Svg)
    }
}

/// A request to publish a table to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishRequest {
    /// Output file.
    pub out: PathBuf,
    /// Format; `None` takes it from the extension of `out`.
    pub format: Option<Format>,
    /// Who the output is for.
    pub audience: Audience,
    /// Merge identical neighbouring bands first.
    pub merged: bool,
}

/// Writes `publication` to `path` in `format` (atomically) — the one sink
/// of table publications.
pub fn write(publication: &Publication, format: Format, path: &Path) -> Result<(), TableError> {
    match format {
        Format::Csv => crate::export::write_csv(publication, path),
        Format::Json => crate::export::write_json(publication, path),
        Format::Parquet => crate::export::write_parquet(publication, path),
        Format::Native => crate::native::write_native(publication.table(), path),
        Format::Png => crate::chart::write_png(publication, path),
        Format::Svg => crate::chart::write_svg(publication, path),
    }
}

/// True when `path` is `-`: standard output, not a file.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes `publication` to standard output: text formats only (CSV, JSON,
/// native); Parquet and charts are refused.
pub fn write_stdout(publication: &Publication, format: Format) -> Result<(), TableError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let dash = Path::new("-");
    let io = |source| TableError::Io {
        path: dash.to_path_buf(),
        source,
    };
    match format {
        Format::Csv => crate::export::write_csv_to(publication, &mut out)?,
        Format::Json => crate::export::write_json_to(publication, &mut out, dash)?,
        Format::Native => {
            use std::io::Write;
            out.write_all(crate::native::to_native_string(publication.table()).as_bytes())
                .map_err(io)?;
        }
        Format::Parquet | Format::Png | Format::Svg => {
            return Err(TableError::Export(tabular::TabularError::Invalid(format!(
                "-: {format:?} is binary and is not written to standard output; give a file name"
            ))));
        }
    }
    std::io::Write::flush(&mut out).map_err(io)
}

/// Filters `table` for the request's audience and writes it: the library
/// entry point of `spectra table export` and `spectra table chart`.
/// Returns the format written. An `out` of `-` writes a text format to
/// standard output (see [`write_stdout`]).
pub fn publish(table: &Table, request: &PublishRequest) -> Result<Format, TableError> {
    let format = match request.format {
        Some(f) => f,
        None => Format::from_path(&request.out)?,
    };
    let merged;
    let source = if request.merged {
        merged = table.merged();
        &merged
    } else {
        table
    };
    let publication = view(source, request.audience);
    if is_stdout(&request.out) {
        write_stdout(&publication, format)?;
    } else {
        write(&publication, format, &request.out)?;
    }
    Ok(format)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn format_comes_from_the_extension_or_a_clear_error() {
        assert_eq!(
            Format::from_path(Path::new("a/B.PARQUET")).unwrap(),
            Format::Parquet
        );
        assert_eq!(
            Format::from_path(Path::new("x.ntfa")).unwrap(),
            Format::Native
        );
        assert!(Format::from_path(Path::new("x.svg")).unwrap().is_chart());
        let e = Format::from_path(Path::new("x.txt"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("x.txt") && e.contains(".csv") && e.contains(".png"),
            "{e}"
        );
    }
}
