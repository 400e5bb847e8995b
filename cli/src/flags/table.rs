//! Flags of `spectra table …`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// Where the table comes from (every `table` subcommand).
#[derive(Debug, Clone, Args)]
pub struct TableSource {
    /// Table: a native `.ntfa` file or a directory in the EarthFrequencies TSV
    /// layout. Default: the sample national table embedded from `datasets/`.
    #[arg(long, value_name = "PATH")]
    pub table: Option<PathBuf>,
}

/// A frequency: `435MHz`, `435 MHz`, `2.4GHz`, `8.3kHz` or `4.35e8` (Hz).
pub fn parse_freq(text: &str) -> Result<u64, String> {
    allocation_table::freq::parse_freq_hz(text).map_err(|e| e.to_string())
}

/// Subcommands of `spectra table`.
#[derive(Debug, Subcommand)]
pub enum TableCommand {
    /// Validate the table: gaps, overlaps, bad edges, limits, unknown
    /// services, undefined footnotes, duplicates, bands without allocation.
    /// Exit 1 when there are findings.
    Validate {
        #[command(flatten)]
        source: TableSource,
        /// Print JSON: {"bands":N,"findings":[…]}.
        #[arg(long)]
        json: bool,
    },
    /// Bands at a frequency.
    At {
        /// The frequency.
        #[arg(value_parser = parse_freq)]
        freq: u64,
        #[command(flatten)]
        source: TableSource,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Bands meeting a range [F1, F2] (including a band containing it).
    Range {
        /// One end of the range.
        #[arg(value_parser = parse_freq)]
        f1: u64,
        /// The other end.
        #[arg(value_parser = parse_freq)]
        f2: u64,
        #[command(flatten)]
        source: TableSource,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Bands where a service is allocated (its sub-services included).
    Service {
        /// Service name or id, e.g. `mobile`, `Fixed-Satellite`, `radio_astronomy`.
        name: String,
        /// Only primary allocations.
        #[arg(long)]
        primary_only: bool,
        #[command(flatten)]
        source: TableSource,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Text of a footnote and the bands that cite it, or (`--country`) the
    /// footnotes that name a country.
    Footnote {
        /// Footnote reference, e.g. `5.342`.
        #[arg(required_unless_present = "country")]
        id: Option<String>,
        /// List the footnotes naming this country instead, e.g. `Kyrgyzstan`.
        #[arg(long, conflicts_with = "id")]
        country: Option<String>,
        #[command(flatten)]
        source: TableSource,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Band-aligned differences from one table to another.
    Diff {
        /// The table to compare with (e.g. the ITU Region 1 table directory).
        #[arg(long, value_name = "PATH")]
        against: PathBuf,
        #[command(flatten)]
        source: TableSource,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Convert spectrum between categories of use (government → civil,
    /// government → joint, joint → civil) and record the decision.
    Convert {
        /// Lower edge of the spectrum to convert.
        #[arg(long, value_parser = parse_freq)]
        lower: u64,
        /// Upper edge (exclusive).
        #[arg(long, value_parser = parse_freq)]
        upper: u64,
        /// Current category.
        #[arg(long, value_enum)]
        from: CategoryArg,
        /// New category.
        #[arg(long, value_enum)]
        to: CategoryArg,
        /// Reference of the decision (legal act).
        #[arg(long)]
        reference: String,
        /// Authority taking the decision.
        #[arg(long)]
        authority: String,
        /// Effective date, YYYY-MM-DD.
        #[arg(long)]
        date: chrono::NaiveDate,
        #[command(flatten)]
        source: TableSource,
        /// Where to write the converted table (native format). Default: the
        /// `--table` file itself (required when converting the embedded sample).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The decision journal, or the table as of a date.
    History {
        /// Show the table as it stood on this date (YYYY-MM-DD).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// With --as-of: write that table (native format) here.
        #[arg(long, value_name = "PATH", requires = "as_of")]
        out: Option<PathBuf>,
        #[command(flatten)]
        source: TableSource,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export the table as open data (CSV, JSON, Parquet with provenance) or
    /// in the native format.
    Export {
        /// Output file.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Format; default from the file extension.
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// Include restricted bands (internal use; not open data).
        #[arg(long)]
        internal: bool,
        /// Merge identical neighbouring bands first.
        #[arg(long)]
        merged: bool,
        #[command(flatten)]
        source: TableSource,
    },
    /// Draw the spectrum chart (PNG or SVG, from the extension).
    Chart {
        /// Output file: `.png` or `.svg`.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        #[command(flatten)]
        source: TableSource,
    },
}

/// A category of use on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CategoryArg {
    /// Government use.
    Government,
    /// Civil use.
    Civil,
    /// Joint government and civil use.
    Joint,
}

impl From<CategoryArg> for allocation_table::Category {
    fn from(c: CategoryArg) -> Self {
        match c {
            CategoryArg::Government => allocation_table::Category::Government,
            CategoryArg::Civil => allocation_table::Category::Civil,
            CategoryArg::Joint => allocation_table::Category::Joint,
        }
    }
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One row per allocation, with a header.
    Csv,
    /// Structured document with provenance.
    Json,
    /// One row per allocation; provenance, metadata, footnotes and journal in
    /// the key-value metadata.
    Parquet,
    /// Spectra's native text format (always complete, internal).
    Native,
}
