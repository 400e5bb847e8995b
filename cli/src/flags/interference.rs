//! Flags of `spectra interference …`.

use std::path::PathBuf;

use super::coverage::MissingFlag;
use super::stations::RegisterSource;

/// The path-loss model of an interference study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InterferenceModel {
    /// Free space, ITU-R P.525-4 (over the slant distance).
    FreeSpace,
    /// ITU-R P.452-18 over the terrain profile, at --time-pct.
    P452,
    /// ITU-R P.1812-6 over the terrain profile, at --time-pct and 50 % of locations.
    P1812,
    /// NTIA ITM v1.3 point-to-point over the terrain profile.
    Itm,
    /// Okumura-Hata / COST-231 Hata.
    Hata,
}

/// Subcommands of `spectra interference`.
#[derive(Debug, clap::Subcommand)]
pub enum InterferenceCommand {
    /// Aggregate interference at every receiver of --victims from the
    /// transmitters of --stations (exit 1 when a victim's margin is negative).
    Aggregate(AggregateFlags),
    /// Monte-Carlo compatibility of a scenario file (SEAMCAT's method): the
    /// probability of interference under C/I, C/(N+I), (N+I)/N and I/N.
    Montecarlo(MonteCarloFlags),
}

/// Flags of `spectra interference montecarlo`.
#[derive(Debug, clap::Args)]
pub struct MonteCarloFlags {
    /// The scenario (TOML; see interference/data/seamcat-handbook.toml).
    pub scenario: PathBuf,
    /// Events (overrides the scenario's).
    #[arg(long)]
    pub events: Option<usize>,
    /// Seed (overrides the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Per-event vectors (.parquet or .csv).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores; results are identical).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print JSON (the probabilities and means, not the events).
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra interference aggregate`.
#[derive(Debug, clap::Args)]
pub struct AggregateFlags {
    /// The interferers' register (its transmitters), and its operators.
    #[command(flatten)]
    pub stations: RegisterSource,
    /// The victims' register (its receivers); default: the same register.
    #[arg(long, value_name = "PATH")]
    pub victims: Option<PathBuf>,
    /// Path-loss model.
    #[arg(long, value_enum, default_value_t = InterferenceModel::FreeSpace)]
    pub model: InterferenceModel,
    /// Time percentage of P.452 / P.1812 / ITM, %.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub time_pct: f64,
    /// Terrain: a directory of SRTM .hgt / GeoTIFF tiles.
    #[arg(long, value_name = "DIR", conflicts_with = "relief")]
    pub dem: Option<PathBuf>,
    /// Terrain: the synthetic Tian Shan relief around Bishkek.
    #[arg(long)]
    pub relief: bool,
    /// Where the DEM has no data.
    #[arg(long, value_enum, default_value_t = MissingFlag::SeaLevel)]
    pub missing: MissingFlag,
    /// Profile spacing, m.
    #[arg(long, default_value_t = 100.0)]
    pub terrain_step_m: f64,
    /// One cutoff distance for every service, km (default: per service).
    #[arg(long, allow_negative_numbers = true)]
    pub cutoff_km: Option<f64>,
    /// Candidates' bands may lie this far from the victim's band, Hz.
    #[arg(long, default_value_t = 0)]
    pub guard_hz: u64,
    /// Also count interference between assignments of the same operator.
    #[arg(long)]
    pub include_same_operator: bool,
    /// Per-victim results (.parquet or .csv).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Per-pair contributions (.parquet or .csv).
    #[arg(long, value_name = "PATH")]
    pub contributions: Option<PathBuf>,
    /// Worker threads (default: all cores; results are identical).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print a JSON summary.
    #[arg(long)]
    pub json: bool,
}
