//! Flags of `spectra table …` (clap, with typed value parsers: frequencies
//! in Hz, categories, dates, the audience) and the validated configuration
//! each subcommand turns into ([`TableCommand::config`]): flags → typed
//! config → one library request.

use std::path::PathBuf;

use allocation_table::Category;
use allocation_table::convert::Conversion;
use allocation_table::publish::Audience;
use allocation_table::request::{BandQuery, FootnoteQuery};
use allocation_table::sink::{Format, PublishRequest, is_stdout};
use anyhow::bail;
use clap::{Args, Subcommand, ValueEnum};

/// Where the table comes from (every `table` subcommand).
#[derive(Debug, Clone, Args)]
pub struct TableSource {
    /// Table: a native `.ntfa` file or a directory in the EarthFrequencies TSV
    /// layout. Default: the sample national table embedded from `datasets/`.
    #[arg(long, value_name = "PATH")]
    pub table: Option<PathBuf>,
}

/// Who an output or an answer is for (every publishing subcommand).
#[derive(Debug, Clone, Copy, Args)]
pub struct AudienceFlag {
    /// Internal use: include restricted bands, the decisions touching them
    /// and the footnotes only they cite. Default: open data, which leaves
    /// them out.
    #[arg(long)]
    pub internal: bool,
}

impl AudienceFlag {
    /// The audience the flag selects (open unless `--internal`).
    pub fn audience(self) -> Audience {
        if self.internal {
            Audience::Internal
        } else {
            Audience::Open
        }
    }
}

/// A frequency: `435MHz`, `435 MHz`, `2.4GHz`, `8.3kHz` or `4.35e8` (Hz).
pub fn parse_freq(text: &str) -> Result<u64, String> {
    allocation_table::freq::parse_freq_hz(text).map_err(|e| e.to_string())
}

/// A category of use: `government`, `civil` or `joint`.
pub fn parse_category(text: &str) -> Result<Category, String> {
    Category::parse(text)
        .ok_or_else(|| format!("expected government, civil or joint, found {text:?}"))
}

/// A non-blank text (reference or authority of a decision).
pub fn parse_non_blank(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        Err("expected a non-blank text, found nothing".to_owned())
    } else {
        Ok(text.to_owned())
    }
}

/// Subcommands of `spectra table`.
#[derive(Debug, Subcommand)]
pub enum TableCommand {
    /// Validate the table: gaps, overlaps, bad edges, limits, unknown
    /// services, undefined footnotes, duplicates, bands without allocation,
    /// and the decision journal. Always the whole table (a maintainer's
    /// check). Exit 1 when there are findings.
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
        #[command(flatten)]
        audience: AudienceFlag,
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
        #[command(flatten)]
        audience: AudienceFlag,
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
        #[command(flatten)]
        audience: AudienceFlag,
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
        #[command(flatten)]
        audience: AudienceFlag,
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
        #[command(flatten)]
        audience: AudienceFlag,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Convert spectrum between categories of use (government → civil,
    /// government → joint, joint → civil) and record the decision. The table
    /// file is locked while converting; the whole table (restricted bands
    /// included) is written in the native format.
    Convert {
        /// Lower edge of the spectrum to convert.
        #[arg(long, value_parser = parse_freq)]
        lower: u64,
        /// Upper edge (exclusive).
        #[arg(long, value_parser = parse_freq)]
        upper: u64,
        /// Current category: government, civil or joint.
        #[arg(long, value_parser = parse_category)]
        from: Category,
        /// New category: government, civil or joint.
        #[arg(long, value_parser = parse_category)]
        to: Category,
        /// Reference of the decision (legal act); not blank.
        #[arg(long, value_parser = parse_non_blank)]
        reference: String,
        /// Authority taking the decision; not blank.
        #[arg(long, value_parser = parse_non_blank)]
        authority: String,
        /// Effective date, YYYY-MM-DD.
        #[arg(long)]
        date: chrono::NaiveDate,
        #[command(flatten)]
        source: TableSource,
        /// Where to write the converted table (a `.ntfa` file). Default: the
        /// `--table` file itself (required when converting the embedded
        /// sample or a TSV directory).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// The register of assignments (CSV or Parquet): list the assignments
        /// the converted spectrum touches and what changes for each.
        #[arg(long, value_name = "PATH")]
        stations: Option<PathBuf>,
        /// Operators of the register (gives the category of assignments
        /// without one).
        #[arg(long, value_name = "PATH", requires = "stations")]
        operators: Option<PathBuf>,
        /// Also write the impact list here (.parquet or .csv).
        #[arg(long, value_name = "PATH", requires = "stations")]
        impact_out: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The decision journal, or the table as of a date.
    History {
        /// Show the table as it stood on this date (YYYY-MM-DD).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// With --as-of: write that table here (format from the extension:
        /// .ntfa, .csv, .json, .parquet, .png, .svg).
        #[arg(long, value_name = "PATH", requires = "as_of")]
        out: Option<PathBuf>,
        #[command(flatten)]
        source: TableSource,
        #[command(flatten)]
        audience: AudienceFlag,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export the table as open data (CSV, JSON, Parquet with provenance) or
    /// in the native format.
    Export {
        /// Output file, or `-` for standard output (CSV, JSON or native,
        /// with --format). The directory must exist; a symbolic link, FIFO,
        /// device or the --table file itself is refused.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Format; default from the file extension.
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        #[command(flatten)]
        audience: AudienceFlag,
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
        audience: AudienceFlag,
        #[command(flatten)]
        source: TableSource,
    },
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
    /// Spectra's native text format.
    Native,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Json => Format::Json,
            ExportFormat::Parquet => Format::Parquet,
            ExportFormat::Native => Format::Native,
        }
    }
}

/// The validated configuration of a `table` subcommand.
#[derive(Debug, Clone)]
pub enum TableConfig {
    /// `validate`.
    Validate {
        /// The table.
        source: TableSource,
        /// Print JSON.
        json: bool,
    },
    /// `at`, `range`, `service`.
    Bands {
        /// The table.
        source: TableSource,
        /// Who the answer is for.
        audience: Audience,
        /// The query.
        query: BandQuery,
        /// Print JSON.
        json: bool,
    },
    /// `footnote`.
    Footnote {
        /// The table.
        source: TableSource,
        /// Who the answer is for.
        audience: Audience,
        /// The query.
        query: FootnoteQuery,
        /// Print JSON.
        json: bool,
    },
    /// `diff`.
    Diff {
        /// The first table.
        source: TableSource,
        /// The second table.
        against: PathBuf,
        /// Who the answer is for.
        audience: Audience,
        /// Print JSON.
        json: bool,
    },
    /// `convert`.
    Convert {
        /// The table.
        source: TableSource,
        /// The output (`.ntfa`), if not the table file itself.
        out: Option<PathBuf>,
        /// The conversion.
        conversion: Conversion,
        /// The register whose assignments the conversion may touch, its
        /// operators, and where to write the impact list.
        stations: Option<(PathBuf, Option<PathBuf>, Option<PathBuf>)>,
        /// Print JSON.
        json: bool,
    },
    /// `history`.
    History {
        /// The table.
        source: TableSource,
        /// Who the answer is for.
        audience: Audience,
        /// The date, and where to write the table as of it.
        as_of: Option<(chrono::NaiveDate, Option<PathBuf>)>,
        /// Print JSON.
        json: bool,
    },
    /// `export` and `chart`.
    Publish {
        /// The table.
        source: TableSource,
        /// What to write.
        request: PublishRequest,
    },
}

/// Refuses an output path that is a special file, lies in a missing
/// directory, or is the `--table` input itself.
fn check_output(out: &std::path::Path, source: &TableSource) -> anyhow::Result<()> {
    let inputs: Vec<&std::path::Path> = source.table.iter().map(PathBuf::as_path).collect();
    tabular::check_output(out, &inputs)?;
    Ok(())
}

impl TableCommand {
    /// Validates the flags into a configuration (bad combinations and output
    /// paths are refused here, before any table is read).
    pub fn config(self) -> anyhow::Result<TableConfig> {
        Ok(match self {
            TableCommand::Validate { source, json } => TableConfig::Validate { source, json },
            TableCommand::At {
                freq,
                source,
                audience,
                json,
            } => TableConfig::Bands {
                source,
                audience: audience.audience(),
                query: BandQuery::At(freq),
                json,
            },
            TableCommand::Range {
                f1,
                f2,
                source,
                audience,
                json,
            } => TableConfig::Bands {
                source,
                audience: audience.audience(),
                query: BandQuery::Range(f1, f2),
                json,
            },
            TableCommand::Service {
                name,
                primary_only,
                source,
                audience,
                json,
            } => TableConfig::Bands {
                source,
                audience: audience.audience(),
                query: BandQuery::Service { name, primary_only },
                json,
            },
            TableCommand::Footnote {
                id,
                country,
                source,
                audience,
                json,
            } => TableConfig::Footnote {
                source,
                audience: audience.audience(),
                query: match (country, id) {
                    (Some(c), _) => FootnoteQuery::Country(c),
                    (None, Some(id)) => FootnoteQuery::Id(id),
                    (None, None) => bail!("give a footnote id or --country NAME"),
                },
                json,
            },
            TableCommand::Diff {
                against,
                source,
                audience,
                json,
            } => TableConfig::Diff {
                source,
                against,
                audience: audience.audience(),
                json,
            },
            TableCommand::Convert {
                lower,
                upper,
                from,
                to,
                reference,
                authority,
                date,
                source,
                out,
                stations,
                operators,
                impact_out,
                json,
            } => {
                if let Some(p) = &impact_out {
                    tabular::check_output(p, &[])?;
                }
                let target = out.as_ref().or(source.table.as_ref());
                if let Some(t) = target {
                    if is_stdout(t) {
                        bail!(
                            "-: convert writes a table file, not standard output; give a .ntfa file name"
                        );
                    }
                    if t.is_file() || out.is_some() {
                        // Converting in place is the default: only special
                        // files and missing directories are refused here.
                        tabular::check_output(t, &[])?;
                    }
                }
                if let Some(t) = target
                    && (t.is_file() || out.is_some())
                    && Format::from_path(t).ok() != Some(Format::Native)
                {
                    bail!(
                        "{}: convert writes the whole table with its journal, so the output must be a native .ntfa file (to publish CSV, JSON or Parquet, use `spectra table export`)",
                        t.display()
                    );
                }
                TableConfig::Convert {
                    source,
                    out,
                    conversion: Conversion {
                        lower_hz: lower,
                        upper_hz: upper,
                        from,
                        to,
                        reference,
                        authority,
                        effective_date: date,
                    },
                    stations: stations.map(|s| (s, operators, impact_out)),
                    json,
                }
            }
            TableCommand::History {
                as_of,
                out,
                source,
                audience,
                json,
            } => {
                if let Some(o) = &out {
                    if is_stdout(o) {
                        bail!("-: history --out writes a file; without --out the table is printed");
                    }
                    Format::from_path(o)?;
                    check_output(o, &source)?;
                }
                TableConfig::History {
                    source,
                    audience: audience.audience(),
                    as_of: as_of.map(|d| (d, out)),
                    json,
                }
            }
            TableCommand::Export {
                out,
                format,
                audience,
                merged,
                source,
            } => {
                let by_extension = Format::from_path(&out);
                let format = match (format, by_extension) {
                    (None, _) if is_stdout(&out) => bail!(
                        "--out -: give --format csv, json or ntfa to write to standard output"
                    ),
                    (Some(f), _) if is_stdout(&out) => Format::from(f),
                    (Some(f), Ok(e)) if Format::from(f) != e => bail!(
                        "{}: --format {f:?} contradicts the file extension; give a matching extension",
                        out.display()
                    ),
                    (Some(f), _) => Format::from(f),
                    (None, e) => e?,
                };
                if format.is_chart() {
                    bail!(
                        "{}: export writes data (.csv, .json, .parquet, .ntfa); draw charts with `spectra table chart`",
                        out.display()
                    );
                }
                if is_stdout(&out) {
                    if format == Format::Parquet {
                        bail!(
                            "--out -: Parquet is binary and is not written to standard output; give a .parquet file name"
                        );
                    }
                } else {
                    check_output(&out, &source)?;
                }
                TableConfig::Publish {
                    source,
                    request: PublishRequest {
                        out,
                        format: Some(format),
                        audience: audience.audience(),
                        merged,
                    },
                }
            }
            TableCommand::Chart {
                out,
                audience,
                source,
            } => {
                if is_stdout(&out) {
                    bail!(
                        "--out -: charts are binary and are not written to standard output; give a .png or .svg file name"
                    );
                }
                let format = Format::from_path(&out)?;
                if !format.is_chart() {
                    bail!("{}: expected a .png or .svg file name", out.display());
                }
                check_output(&out, &source)?;
                TableConfig::Publish {
                    source,
                    request: PublishRequest {
                        out,
                        format: Some(format),
                        audience: audience.audience(),
                        merged: false,
                    },
                }
            }
        })
    }
}
