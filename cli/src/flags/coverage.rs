//! Flags of `spectra coverage` and `spectra profile`.

use std::path::PathBuf;

use spectrum_core::units::Frequency;

use super::propagate::parse_freq_mhz;
use super::propagate_p1546::RxAreaFlag;

/// Path-loss model of a coverage study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageModel {
    /// NTIA Irregular Terrain Model 1.4 (Longley-Rice), point-to-point.
    Itm,
    /// Free space, ITU-R P.525-4 (terrain ignored).
    FreeSpace,
    /// Okumura-Hata / COST-231 Hata, suburban (path length only).
    Hata,
    /// Extended Hata (NTIA TR 15-517), suburban, over the terrain profile.
    Ehata,
    /// ITU-R P.1812-6 point-to-area (percentages from `--p1812-percent`).
    P1812,
    /// ITU-R P.1546-6 point-to-area (percentages from `--p1546-percent`,
    /// receivers' surroundings from `--p1546-area`).
    P1546,
}

/// Quantity shown by the GeoTIFF and the PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuantityFlag {
    /// Field strength, dBµV/m.
    Field,
    /// Basic transmission loss, dB.
    Loss,
    /// Received power, dBm.
    Power,
}

/// What to do where the DEM has no tile or a void.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MissingFlag {
    /// Fail with an error naming the missing tile.
    Error,
    /// Use sea level (0 m) and count the samples in the report.
    SeaLevel,
}

impl From<MissingFlag> for spectrum_core::terrain::MissingPolicy {
    fn from(m: MissingFlag) -> Self {
        match m {
            MissingFlag::Error => Self::Error,
            MissingFlag::SeaLevel => Self::SeaLevel,
        }
    }
}

/// Flags of `spectra coverage`.
#[derive(Debug, clap::Args)]
pub struct CoverageFlags {
    /// Transmitter position, `LAT,LON` in degrees.
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
    pub site: String,
    /// Transmitter antenna height above ground, m.
    #[arg(long)]
    pub height_m: f64,
    /// Frequency: a number in MHz, or with its unit (`600MHz`, `2.4GHz`, `8.3kHz`).
    #[arg(long = "freq-mhz", value_name = "FREQ", value_parser = parse_freq_mhz)]
    pub freq: Frequency,
    /// EIRP in the main-lobe direction, dBm (or give --power-dbm and --gain-dbi).
    #[arg(long, allow_hyphen_values = true, conflicts_with = "power_dbm")]
    pub eirp_dbm: Option<f64>,
    /// Transmitter power, dBm (with --gain-dbi instead of --eirp-dbm).
    #[arg(long, allow_hyphen_values = true, requires = "gain_dbi")]
    pub power_dbm: Option<f64>,
    /// Antenna gain, dBi (with --power-dbm).
    #[arg(long, allow_hyphen_values = true)]
    pub gain_dbi: Option<f64>,
    /// Antenna pattern, MSI / Planet `.msi` file (default: omnidirectional).
    #[arg(long)]
    pub pattern: Option<PathBuf>,
    /// Bearing of the antenna's main lobe, degrees clockwise from north.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub azimuth_deg: f64,
    /// Mechanical downtilt, degrees (positive = down).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub downtilt_deg: f64,
    /// Receiver antenna height above ground, m.
    #[arg(long, default_value_t = 1.5)]
    pub rx_height_m: f64,
    /// Receiver antenna gain, dBi (received power only).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub rx_gain_dbi: f64,
    /// Propagation model.
    #[arg(long, value_enum, default_value_t = CoverageModel::Itm)]
    pub model: CoverageModel,
    /// ITM time / location / situation percentages, `T,L,S`.
    #[arg(long, default_value = "50,50,50")]
    pub itm_percent: String,
    /// ITM: evaluate every cell as an independent point-to-point path
    /// (bit-identical to `spectra propagate itm` over the cell's path)
    /// instead of the radial mode, which finds the sums and horizons of all
    /// the cells along a radial incrementally (equal to rounding, faster).
    #[arg(long)]
    pub itm_exact: bool,
    /// P.1812 time / location percentages, `T,L`.
    #[arg(long, default_value = "50,50")]
    pub p1812_percent: String,
    /// P.1546 time / location percentages, `T,L`.
    #[arg(long, default_value = "50,50")]
    pub p1546_percent: String,
    /// P.1546 receivers' surroundings.
    #[arg(long, value_enum, default_value_t = RxAreaFlag::Rural)]
    pub p1546_area: RxAreaFlag,
    /// Radius of the study area, km.
    #[arg(long, conflicts_with = "bbox")]
    pub radius_km: Option<f64>,
    /// Study area as a bounding box `SOUTH,WEST,NORTH,EAST` (degrees).
    #[arg(long, allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Cell size, m.
    #[arg(long, default_value_t = 100.0)]
    pub resolution_m: f64,
    /// Terrain sample spacing along radials, m (default: the cell size, ≥ 30 m).
    #[arg(long)]
    pub terrain_step_m: Option<f64>,
    /// Directory of SRTM `.hgt` tiles and/or GeoTIFF elevation rasters
    /// (default: the synthetic Tian Shan relief around Bishkek).
    #[arg(long)]
    pub dem: Option<PathBuf>,
    /// Missing-terrain policy.
    #[arg(long, value_enum, default_value_t = MissingFlag::SeaLevel)]
    pub missing: MissingFlag,
    /// Quantity of the GeoTIFF and PNG maps.
    #[arg(long, value_enum, default_value_t = QuantityFlag::Field)]
    pub quantity: QuantityFlag,
    /// Output prefix: writes `<prefix>.tif`, `<prefix>.png`, `<prefix>.parquet`.
    #[arg(long)]
    pub out: PathBuf,
    /// Threads (default: all cores; at most 4 per core). The map is identical
    /// whatever the count.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra profile`.
#[derive(Debug, clap::Args)]
pub struct ProfileFlags {
    /// First site (distance 0), `LAT,LON` in degrees.
    #[arg(value_name = "LAT,LON", allow_hyphen_values = true)]
    pub from: String,
    /// Second site, `LAT,LON` in degrees.
    #[arg(value_name = "LAT,LON", allow_hyphen_values = true)]
    pub to: String,
    /// Directory of SRTM `.hgt` tiles and/or GeoTIFF elevation rasters
    /// (default: the synthetic Tian Shan relief around Bishkek).
    #[arg(long)]
    pub dem: Option<PathBuf>,
    /// Maximum spacing between profile points, m.
    #[arg(long, default_value_t = 90.0)]
    pub step_m: f64,
    /// Missing-terrain policy.
    #[arg(long, value_enum, default_value_t = MissingFlag::Error)]
    pub missing: MissingFlag,
    /// Print `{"distances_km":[…],"heights_m":[…],"lats":[…],"lons":[…]}`.
    #[arg(long)]
    pub json: bool,
}
