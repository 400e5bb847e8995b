//! Flags of `spectra propagate itm|ehata|hata|p2108|free-space`.

use std::path::PathBuf;

use spectrum_core::units::Frequency;

use super::propagate::{parse_freq_ghz, parse_freq_mhz};

/// Flags of `spectra propagate itm` (NTIA ITM).
#[derive(Debug, clap::Args)]
pub struct ItmFlags {
    /// Terrain in NTIA PFL format (`n, step_m, z0, …, zn`, commas or whitespace).
    #[arg(long, conflicts_with_all = ["profile", "distance_km"])]
    pub pfl: Option<PathBuf>,
    /// Terrain profile CSV (distance km, height m; uniform spacing).
    #[arg(long, conflicts_with = "distance_km")]
    pub profile: Option<PathBuf>,
    /// Path length in km: flat terrain (point-to-point) or area mode with --area.
    #[arg(long)]
    pub distance_km: Option<f64>,
    /// Area prediction mode (needs --distance-km; uses --delta-h-m and siting criteria).
    #[arg(long, requires = "distance_km")]
    pub area: bool,
    /// Terrain irregularity Δh in m (area mode).
    #[arg(long, default_value_t = 90.0)]
    pub delta_h_m: f64,
    /// Tx siting criteria in area mode: 0 random, 1 careful, 2 very careful.
    #[arg(long, default_value_t = 0)]
    pub tx_siting: i32,
    /// Rx siting criteria in area mode: 0 random, 1 careful, 2 very careful.
    #[arg(long, default_value_t = 0)]
    pub rx_siting: i32,
    /// Step in m of the flat profile built from --distance-km (at most the
    /// path length and 100 km; at most 1 000 000 points).
    #[arg(long, default_value_t = 100.0)]
    pub step_m: f64,
    /// Frequency: a number in MHz, or with its unit (`600MHz`); 20..=20000 MHz.
    #[arg(long = "freq-mhz", value_name = "FREQ", value_parser = parse_freq_mhz)]
    pub freq: Frequency,
    /// Transmitter height above ground, m.
    #[arg(long)]
    pub h_tx_m: f64,
    /// Receiver height above ground, m.
    #[arg(long)]
    pub h_rx_m: f64,
    /// Radio climate code 1..=7 (5 = continental temperate).
    #[arg(long, default_value_t = 5)]
    pub climate: i32,
    /// Surface refractivity N_0, N-units.
    #[arg(long, default_value_t = 301.0)]
    pub n0: f64,
    /// Polarization: 0 horizontal, 1 vertical.
    #[arg(long, default_value_t = 1)]
    pub pol: i32,
    /// Relative permittivity of the ground.
    #[arg(long, default_value_t = 15.0)]
    pub epsilon: f64,
    /// Ground conductivity, S/m.
    #[arg(long, default_value_t = 0.005)]
    pub sigma: f64,
    /// Mode of variability (0 single message, 1 accidental, 2 mobile, 3 broadcast; +10, +20).
    #[arg(long, default_value_t = 12)]
    pub mdvar: i32,
    /// Time percentage (TLS variability).
    #[arg(long, conflicts_with_all = ["confidence", "reliability"])]
    pub time: Option<f64>,
    /// Location percentage (TLS variability).
    #[arg(long)]
    pub location: Option<f64>,
    /// Situation percentage (TLS variability).
    #[arg(long)]
    pub situation: Option<f64>,
    /// Confidence percentage (CR variability).
    #[arg(long)]
    pub confidence: Option<f64>,
    /// Reliability percentage (CR variability).
    #[arg(long)]
    pub reliability: Option<f64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra propagate ehata` (NTIA TR 15-517 Extended Hata).
#[derive(Debug, clap::Args)]
pub struct EhataFlags {
    /// Terrain in NTIA PFL format, from the mobile to the base station.
    #[arg(long, conflicts_with = "distance_km")]
    pub pfl: Option<PathBuf>,
    /// Flat terrain of this length in km instead of a PFL.
    #[arg(long)]
    pub distance_km: Option<f64>,
    /// Step in m of the flat profile built from --distance-km (at most the
    /// path length and 100 km; at most 1 000 000 points).
    #[arg(long, default_value_t = 100.0)]
    pub step_m: f64,
    /// Reverse the PFL (when it runs from the base station to the mobile).
    #[arg(long)]
    pub reverse: bool,
    /// Frequency: a number in MHz, or with its unit (`600MHz`, `2.4GHz`).
    #[arg(long = "freq-mhz", value_name = "FREQ", value_parser = parse_freq_mhz)]
    pub freq: Frequency,
    /// Base-station (transmitter) antenna height above ground, m (`--h-b-m`
    /// is an old name).
    #[arg(long = "h-tx-m", alias = "h-b-m", value_name = "M")]
    pub h_b_m: f64,
    /// Mobile (receiver) antenna height above ground, m (`--h-m-m` is an old
    /// name).
    #[arg(long = "h-rx-m", alias = "h-m-m", value_name = "M")]
    pub h_m_m: f64,
    /// Environment code: 22 suburban, 23 urban, 24 dense urban, other rural.
    #[arg(long, default_value_t = 23)]
    pub env: i64,
    /// Use NTIA's clamps instead of the WInnForum extensions.
    #[arg(long)]
    pub no_winnforum: bool,
    /// Reproduce ITS's original test-bed code (implies --no-winnforum): the
    /// variant that produced the published reference values.
    #[arg(long)]
    pub its_testbed: bool,
    /// Location reliability percentage for NTIA's variability (default: median).
    #[arg(long)]
    pub reliability: Option<f64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra propagate hata` (Okumura-Hata / COST-231 Hata).
#[derive(Debug, clap::Args)]
pub struct HataFlags {
    /// Frequency: a number in MHz, or with its unit (`900MHz`); 150..=2000 MHz,
    /// COST-231 above 1500.
    #[arg(long = "freq-mhz", value_name = "FREQ", value_parser = parse_freq_mhz)]
    pub freq: Frequency,
    /// Base-station (transmitter) effective height, m (30..=200; `--h-b-m`
    /// is an old name).
    #[arg(long = "h-tx-m", alias = "h-b-m", value_name = "M")]
    pub h_b_m: f64,
    /// Mobile (receiver) antenna height, m (1..=10; `--h-m-m` is an old name).
    #[arg(long = "h-rx-m", alias = "h-m-m", value_name = "M")]
    pub h_m_m: f64,
    /// Distance, km (1..=20).
    #[arg(long)]
    pub distance_km: f64,
    /// Environment: urban, suburban or open.
    #[arg(long, default_value = "urban")]
    pub env: String,
    /// City size for the urban correction: medium (small/medium) or large.
    #[arg(long, default_value = "medium")]
    pub city: String,
    /// Compute outside the validity ranges.
    #[arg(long)]
    pub extrapolate: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra propagate p2108` (ITU-R P.2108-1 clutter loss).
#[derive(Debug, clap::Args)]
pub struct P2108Flags {
    /// Method: height-gain (§3.1), terrestrial (§3.2) or aeronautical (§3.3).
    #[arg(long)]
    pub method: String,
    /// Frequency: a number in GHz, or with its unit (`900MHz`, `2.4GHz`).
    #[arg(long = "freq-ghz", value_name = "FREQ", value_parser = parse_freq_ghz)]
    pub freq: Frequency,
    /// Terminal antenna height, m (height-gain).
    #[arg(long)]
    pub h_m: Option<f64>,
    /// Street width, m (height-gain).
    #[arg(long, default_value_t = 27.0)]
    pub street_width_m: f64,
    /// Clutter type code 1..=6 (height-gain).
    #[arg(long)]
    pub clutter_type: Option<i64>,
    /// Representative clutter height, m (height-gain; default from the clutter type).
    #[arg(long)]
    pub clutter_height_m: Option<f64>,
    /// Path length, km (terrestrial).
    #[arg(long)]
    pub distance_km: Option<f64>,
    /// Elevation angle, degrees (aeronautical).
    #[arg(long)]
    pub theta_deg: Option<f64>,
    /// Percentage of locations (terrestrial, aeronautical).
    #[arg(long)]
    pub percent: Option<f64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra propagate free-space` (ITU-R P.525-4).
#[derive(Debug, clap::Args)]
pub struct FreeSpaceFlags {
    /// Frequency: a number in MHz, or with its unit (`600MHz`, `2.4GHz`).
    #[arg(long = "freq-mhz", value_name = "FREQ", value_parser = parse_freq_mhz)]
    pub freq: Frequency,
    /// Distance, km.
    #[arg(long)]
    pub distance_km: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
