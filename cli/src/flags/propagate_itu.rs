//! Flags of `spectra propagate p452|p1812` (ITU-R P.452-18, P.1812-6).

use std::path::PathBuf;

use spectrum_core::units::Frequency;

use super::propagate::{parse_freq_ghz, parse_freq_mhz};

/// Polarization flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PolFlag {
    /// Horizontal.
    H,
    /// Vertical.
    V,
}

/// Radio-climatic zone of a flat profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ZoneFlag {
    /// A1: coastal land.
    A1,
    /// A2: inland.
    A2,
    /// B: sea.
    B,
}

/// Path, terminals and radio-meteorology shared by both models.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("frequency").required(true).args(["freq_ghz", "freq_mhz"])))]
pub struct ItuPathFlags {
    /// Terrain profile CSV: columns d_km,h_m[,clutter_m[,zone]] (header optional;
    /// zone A1/A2/B or 1/2/3 = coastal/inland/sea).
    #[arg(
        long,
        conflicts_with = "distance_km",
        required_unless_present = "distance_km"
    )]
    pub profile: Option<PathBuf>,
    /// Path length in km over flat terrain (instead of --profile).
    #[arg(long)]
    pub distance_km: Option<f64>,
    /// Point spacing of the flat profile, km.
    #[arg(long, default_value_t = 0.1, requires = "distance_km")]
    pub step_km: f64,
    /// Terrain height of the flat profile above sea level, m.
    #[arg(
        long,
        default_value_t = 0.0,
        requires = "distance_km",
        allow_negative_numbers = true
    )]
    pub ground_m: f64,
    /// Representative clutter height along the flat profile, m.
    #[arg(long, requires = "distance_km")]
    pub clutter_m: Option<f64>,
    /// Radio-climatic zone of the flat profile.
    #[arg(long, value_enum, default_value_t = ZoneFlag::A2, requires = "distance_km")]
    pub zone: ZoneFlag,
    /// Frequency: a number in GHz, or with its unit (`900MHz`, `2.4GHz`).
    #[arg(long = "freq-ghz", value_name = "FREQ", value_parser = parse_freq_ghz)]
    pub freq_ghz: Option<Frequency>,
    /// Frequency: a number in MHz, or with its unit — the flag every other
    /// model takes (`--freq-mhz 2000` is `--freq-ghz 2`).
    #[arg(long = "freq-mhz", value_name = "FREQ", value_parser = parse_freq_mhz)]
    pub freq_mhz: Option<Frequency>,
    /// Time percentage for which the loss is not exceeded, %.
    #[arg(long)]
    pub time_pct: f64,
    /// Transmitter antenna height above ground, m (`--htx-m` is an old name).
    #[arg(long = "h-tx-m", alias = "htx-m", value_name = "M")]
    pub htx_m: f64,
    /// Receiver antenna height above ground, m (`--hrx-m` is an old name).
    #[arg(long = "h-rx-m", alias = "hrx-m", value_name = "M")]
    pub hrx_m: f64,
    /// Polarization.
    #[arg(long, value_enum, default_value_t = PolFlag::V)]
    pub pol: PolFlag,
    /// Refractivity lapse rate ΔN at the path centre, N-units/km.
    #[arg(long, default_value_t = 45.0)]
    pub dn: f64,
    /// Sea-level surface refractivity N0 at the path centre, N-units.
    #[arg(long, default_value_t = 325.0)]
    pub n0: f64,
    /// Path-centre latitude, degrees: needed with --profile and --distance-km
    /// unless all of --tx-lat --tx-lon --rx-lat --rx-lon are given.
    #[arg(long, allow_hyphen_values = true, conflicts_with_all = ["tx_lat", "tx_lon", "rx_lat", "rx_lon"],
          required_unless_present_all = ["tx_lat", "tx_lon", "rx_lat", "rx_lon"])]
    pub phi_deg: Option<f64>,
    /// Transmitter latitude, degrees north.
    #[arg(long, allow_hyphen_values = true, requires_all = ["tx_lon", "rx_lat", "rx_lon"])]
    pub tx_lat: Option<f64>,
    /// Transmitter longitude, degrees east.
    #[arg(long, allow_hyphen_values = true)]
    pub tx_lon: Option<f64>,
    /// Receiver latitude, degrees north.
    #[arg(long, allow_hyphen_values = true)]
    pub rx_lat: Option<f64>,
    /// Receiver longitude, degrees east.
    #[arg(long, allow_hyphen_values = true)]
    pub rx_lon: Option<f64>,
    /// Distance over land from the transmitter to the coast, km (0 on a ship).
    #[arg(long, default_value_t = 500.0)]
    pub dct_km: f64,
    /// Distance over land from the receiver to the coast, km (0 on a ship).
    #[arg(long, default_value_t = 500.0)]
    pub dcr_km: f64,
    /// Print JSON (inputs and every intermediate) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra propagate p452` (ITU-R P.452-18 clear-air interference).
#[derive(Debug, clap::Args)]
pub struct P452Flags {
    /// Path and terminals.
    #[command(flatten)]
    pub path: ItuPathFlags,
    /// Transmitter antenna gain towards the horizon along the path, dBi.
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub gt_dbi: f64,
    /// Receiver antenna gain towards the horizon along the path, dBi.
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub gr_dbi: f64,
    /// Dry-air pressure, hPa.
    #[arg(long, default_value_t = 1013.25)]
    pub pressure_hpa: f64,
    /// Air temperature, °C.
    #[arg(long, default_value_t = 15.0, allow_hyphen_values = true)]
    pub temp_c: f64,
}

/// Flags of `spectra propagate p1812` (ITU-R P.1812-6 point-to-area).
#[derive(Debug, clap::Args)]
pub struct P1812Flags {
    /// Path and terminals.
    #[command(flatten)]
    pub path: ItuPathFlags,
    /// Location percentage, % (1..=99).
    #[arg(long, default_value_t = 50.0)]
    pub location_pct: f64,
    /// Location-variability standard deviation σ_L, dB; by default P.1812-6
    /// eq. (65)-(66) for a 100 m square at the receiver.
    #[arg(long)]
    pub sigma_l_db: Option<f64>,
    /// Transmitter power (e.r.p.), kW, for the field strength.
    #[arg(long, default_value_t = 1.0)]
    pub tx_power_kw: f64,
    /// Smooth-path Bullington loss without the profile (P.1812-6 Attachment 4).
    #[arg(long)]
    pub attachment4: bool,
}

impl ItuPathFlags {
    /// The frequency given by `--freq-ghz` or `--freq-mhz` (clap requires
    /// exactly one).
    pub fn freq(&self) -> Frequency {
        self.freq_ghz
            .or(self.freq_mhz)
            .unwrap_or(Frequency::from_hz(1))
    }
}

/// Flags of `spectra propagate p2109` (ITU-R P.2109-1 building entry loss).
#[derive(Debug, clap::Args)]
pub struct P2109Flags {
    /// Frequency: a number in GHz, or with its unit (`900MHz`, `28GHz`); 0.08–100 GHz.
    #[arg(long = "freq-ghz", value_name = "FREQ", value_parser = parse_freq_ghz)]
    pub freq: Frequency,
    /// Probability that the loss is not exceeded, % (0–100, exclusive).
    #[arg(long)]
    pub percent: f64,
    /// Building class: 1 traditional, 2 thermally efficient.
    #[arg(long, default_value_t = 1)]
    pub class: i64,
    /// Elevation angle of the path at the façade, degrees (−90..=90).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub theta_deg: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra propagate p676` (ITU-R P.676-13 Annex 1: gaseous
/// attenuation of a terrestrial path of constant conditions, §2.1, or of a
/// slant path through the P.835-6 mean annual global atmosphere, §2.2).
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("path").required(true).args(["distance_km", "elevation_deg"])))]
pub struct P676Flags {
    /// Frequency: a number in GHz, or with its unit (`22.235GHz`); 1–1000 GHz.
    #[arg(long = "freq-ghz", value_name = "FREQ", value_parser = parse_freq_ghz)]
    pub freq: Frequency,
    /// Terrestrial path: its length, km.
    #[arg(long)]
    pub distance_km: Option<f64>,
    /// Slant path: apparent elevation at the station, degrees (−90..=90;
    /// below 0 only from above sea level).
    #[arg(long, allow_hyphen_values = true)]
    pub elevation_deg: Option<f64>,
    /// Slant path: station height above sea level, km (0..100).
    #[arg(long, default_value_t = 0.0, requires = "elevation_deg")]
    pub station_km: f64,
    /// Slant path: height of the upper end, km (up to 100); space if absent.
    #[arg(long, requires = "elevation_deg")]
    pub upper_km: Option<f64>,
    /// Terrestrial path: dry-air pressure, hPa.
    #[arg(long, default_value_t = 1013.25, conflicts_with = "elevation_deg")]
    pub pressure_hpa: f64,
    /// Terrestrial path: water-vapour density, g/m³.
    #[arg(long, default_value_t = 7.5, conflicts_with = "elevation_deg")]
    pub rho_g_m3: f64,
    /// Terrestrial path: air temperature, °C.
    #[arg(
        long,
        default_value_t = 15.0,
        allow_hyphen_values = true,
        conflicts_with = "elevation_deg"
    )]
    pub temp_c: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra propagate p528` (ITU-R P.528-5: air-to-ground and
/// air-to-air basic transmission loss over a smooth earth).
#[derive(Debug, clap::Args)]
pub struct P528Flags {
    /// Frequency: a number in MHz, or with its unit (`1.2GHz`); 100–30 000 MHz.
    #[arg(long = "freq-mhz", value_name = "FREQ", value_parser = parse_freq_mhz)]
    pub freq: Frequency,
    /// Great-circle distance, km.
    #[arg(long)]
    pub distance_km: f64,
    /// Height of the lower terminal above ground, m (1.5–80 000; above 20 000 extrapolated).
    #[arg(long)]
    pub h1_m: f64,
    /// Height of the higher terminal above ground, m.
    #[arg(long)]
    pub h2_m: f64,
    /// Time percentage: the loss is not exceeded this % of the time (1–99).
    #[arg(long, default_value_t = 50.0)]
    pub time_percent: f64,
    /// Polarisation.
    #[arg(long, value_enum, default_value_t = PolFlag::H)]
    pub pol: PolFlag,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
