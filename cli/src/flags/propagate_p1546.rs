//! Flags of `spectra propagate p1546` (ITU-R P.1546-6 point-to-area field
//! strength) and the receiver-area values shared with `spectra coverage
//! --model p1546`.

use std::path::PathBuf;

use spectrum_core::p1546::{RxArea, Zone};
use spectrum_core::units::Frequency;

use super::propagate::parse_freq_mhz;

/// The receiver's surroundings (ITU-R P.1546-6 Annex 5 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RxAreaFlag {
    /// Open or rural land (R' = 10 m).
    Rural,
    /// Suburban (10 m clutter).
    Suburban,
    /// Urban (15 m clutter).
    Urban,
    /// Dense urban (20 m clutter).
    DenseUrban,
    /// Adjacent to sea.
    Sea,
}

impl From<RxAreaFlag> for RxArea {
    fn from(a: RxAreaFlag) -> Self {
        match a {
            RxAreaFlag::Rural => RxArea::Rural,
            RxAreaFlag::Suburban => RxArea::Suburban,
            RxAreaFlag::Urban => RxArea::Urban,
            RxAreaFlag::DenseUrban => RxArea::DenseUrban,
            RxAreaFlag::Sea => RxArea::Sea,
        }
    }
}

/// The kind of the path's sea.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeaFlag {
    /// Cold sea (e.g. the North Sea, the Baltic).
    Cold,
    /// Warm sea (e.g. the Mediterranean, the Caspian's south).
    Warm,
}

impl From<SeaFlag> for Zone {
    fn from(s: SeaFlag) -> Self {
        match s {
            SeaFlag::Cold => Zone::ColdSea,
            SeaFlag::Warm => Zone::WarmSea,
        }
    }
}

/// Flags of `spectra propagate p1546`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("path").required(true).args(["profile", "distance_km"])))]
pub struct P1546Flags {
    /// Frequency: a number in MHz, or with its unit (`600MHz`); 30–4 000 MHz.
    #[arg(long = "freq-mhz", value_name = "FREQ", value_parser = parse_freq_mhz)]
    pub freq: Frequency,
    /// Percentage of time the field strength is exceeded, % (1–50).
    #[arg(long, default_value_t = 50.0)]
    pub time_pct: f64,
    /// Percentage of locations the field strength is exceeded, % (1–99).
    #[arg(long, default_value_t = 50.0)]
    pub location_pct: f64,
    /// Terrain profile CSV from the transmitter to the receiver: columns
    /// d_km,h_m[,clutter_m[,zone]] (zone B = sea); the effective height,
    /// clearance angles and land/sea lengths are taken from it.
    #[arg(long, conflicts_with_all = ["heff_m", "sea_km", "tca_deg"])]
    pub profile: Option<PathBuf>,
    /// Path length, km, when no profile is given (up to 1 000).
    #[arg(long)]
    pub distance_km: Option<f64>,
    /// Effective height of the transmitting antenna, m (without a profile:
    /// its height above the mean terrain 3–15 km towards the receiver).
    #[arg(long, requires = "distance_km", allow_negative_numbers = true)]
    pub heff_m: Option<f64>,
    /// Kilometres of sea within --distance-km (a mixed path: the rest is land).
    #[arg(long, default_value_t = 0.0)]
    pub sea_km: f64,
    /// Kind of the path's sea.
    #[arg(long, value_enum, default_value_t = SeaFlag::Cold)]
    pub sea: SeaFlag,
    /// Transmitting antenna height above ground, m (needed with --profile and
    /// for paths shorter than 1 km).
    #[arg(long = "h-tx-m", value_name = "M")]
    pub h_tx_m: Option<f64>,
    /// Receiving antenna height above ground, m (≥ 1; ≥ 3 next to the sea).
    #[arg(long = "h-rx-m", value_name = "M")]
    pub h_rx_m: f64,
    /// The receiver's surroundings.
    #[arg(long, value_enum, default_value_t = RxAreaFlag::Rural)]
    pub rx_area: RxAreaFlag,
    /// Representative clutter height around the receiver, m (default: the area's).
    #[arg(long)]
    pub rx_clutter_m: Option<f64>,
    /// Clutter height around the transmitter, m (with --h-tx-m).
    #[arg(long, requires = "h_tx_m")]
    pub tx_clutter_m: Option<f64>,
    /// Receiver's terrain clearance angle, degrees (without a profile).
    #[arg(long, allow_negative_numbers = true)]
    pub tca_deg: Option<f64>,
    /// Effective radiated power, kW.
    #[arg(long, default_value_t = 1.0)]
    pub erp_kw: f64,
    /// Side of the square over which location variability applies, m (with --profile).
    #[arg(long, default_value_t = 500.0)]
    pub area_width_m: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
