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
    /// The assignments to move or suspend so that protection points stay
    /// below a threshold at a percentile (the WInnForum move-list method;
    /// exit 1 when any must move).
    MoveList(MoveListFlags),
}

/// Flags of `spectra interference move-list`.
#[derive(Debug, clap::Args)]
pub struct MoveListFlags {
    /// The register (its transmitters are the candidates), and its operators.
    #[command(flatten)]
    pub stations: RegisterSource,
    /// A protection point `LAT,LON` (repeatable).
    #[arg(long = "point", value_name = "LAT,LON", allow_hyphen_values = true)]
    pub points: Vec<String>,
    /// A protection area: a GeoJSON polygon, gridded every --grid-arcsec.
    #[arg(long, value_name = "PATH")]
    pub area: Option<PathBuf>,
    /// Grid spacing of --area, arc-seconds.
    #[arg(long, default_value_t = 60.0)]
    pub grid_arcsec: f64,
    /// Height of the protected receiver above ground, m.
    #[arg(long, default_value_t = 10.0)]
    pub height_m: f64,
    /// Gain of the protected receiver, dBi.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub gain_dbi: f64,
    /// The protected band LOWER-UPPER (e.g. 2700MHz-2900MHz).
    #[arg(long, value_parser = super::stations::parse_band)]
    pub band: (u64, u64),
    /// Threshold, dBm per --reference-bandwidth.
    #[arg(long, allow_negative_numbers = true)]
    pub threshold_dbm: f64,
    /// The bandwidth of the threshold (and of the channels), e.g. 10MHz.
    #[arg(long, value_parser = super::table::parse_freq, default_value = "10MHz")]
    pub reference_bandwidth: u64,
    /// Percentile of the aggregate over the draws, %.
    #[arg(long, default_value_t = 95.0)]
    pub percentile: f64,
    /// Draws of the propagation variability.
    #[arg(long, default_value_t = 1000)]
    pub draws: usize,
    /// Log-normal spread of the path loss, dB.
    #[arg(long, default_value_t = 8.0)]
    pub sigma_db: f64,
    /// Seed of the draws.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Candidates within this distance of a point, km.
    #[arg(long, default_value_t = 150.0)]
    pub neighbourhood_km: f64,
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
    /// Per-candidate rows (.parquet or .csv): id, moved, worst point, median contribution.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra interference montecarlo`.
#[derive(Debug, clap::Args)]
pub struct MonteCarloFlags {
    /// The scenario (TOML; see interference/data/seamcat-handbook.toml).
    #[arg(required_unless_present = "handbook", conflicts_with = "handbook")]
    pub scenario: Option<PathBuf>,
    /// Run the SEAMCAT Handbook's worked example shipped with Spectra.
    #[arg(long)]
    pub handbook: bool,
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
    /// The cutoff of one victim service, `SERVICE=KM` (repeatable; default
    /// 100 km, fixed 150 km, broadcasting / radiolocation / aeronautical 300 km).
    #[arg(long = "cutoff", value_name = "SERVICE=KM", value_parser = parse_cutoff)]
    pub cutoffs: Vec<(allocation_table::service::RadioService, f64)>,
    /// Candidates' bands may lie this far from the victim's band, Hz (at
    /// least the extent of the masks the registers name).
    #[arg(long, default_value_t = 0)]
    pub guard_hz: u64,
    /// Mask library (TOML) for the registers' `mask` / `rx_mask` columns;
    /// default: the shipped interference/data/masks.toml.
    #[arg(long, value_name = "PATH")]
    pub masks: Option<PathBuf>,
    /// Also count interference between assignments of the same operator.
    #[arg(long)]
    pub include_same_operator: bool,
    /// Per-victim results (.parquet or .csv).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Per-pair contributions (.parquet or .csv).
    #[arg(long, value_name = "PATH")]
    pub contributions: Option<PathBuf>,
    /// A PNG map of I/N at the victims.
    #[arg(long, value_name = "PATH")]
    pub map: Option<PathBuf>,
    /// Worker threads (default: all cores; results are identical).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Print a JSON summary.
    #[arg(long)]
    pub json: bool,
}

/// Parses `SERVICE=KM`.
fn parse_cutoff(text: &str) -> Result<(allocation_table::service::RadioService, f64), String> {
    let (service, km) = text
        .split_once('=')
        .ok_or_else(|| format!("expected SERVICE=KM (e.g. fixed=150), found {text:?}"))?;
    let service = allocation_table::service::RadioService::lookup(service)
        .ok_or_else(|| format!("expected a radio service of RR Article 1, found {service:?}"))?;
    let km = km
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0 && *v <= 20_000.0)
        .ok_or_else(|| format!("expected a distance in (0, 20000] km, found {km:?}"))?;
    Ok((service, km))
}
