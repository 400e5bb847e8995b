//! The register's data model: operators, sites, stations and assignments,
//! and the receivers' protection criterion.
//!
//! An [`Assignment`] is one row of the register: a frequency, an emission and
//! a service given to an operator at one [`Station`] (a site with an antenna).
//! Frequencies are integer hertz, as in the national table; powers in dBm,
//! gains in dBi, heights in metres, angles in degrees.

use allocation_table::Category;
use allocation_table::service::RadioService;
use chrono::NaiveDate;
use serde::Serialize;

use crate::emission::Emission;

/// What kind of operator holds assignments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorKind {
    /// An operator with a network of its own.
    Network,
    /// A virtual operator: no network of its own (it should hold no transmitting assignments).
    Virtual,
    /// A national operator: the state holds at least 80 % of it.
    National,
}

impl OperatorKind {
    /// `network`, `virtual` or `national`.
    pub fn name(self) -> &'static str {
        match self {
            OperatorKind::Network => "network",
            OperatorKind::Virtual => "virtual",
            OperatorKind::National => "national",
        }
    }

    /// Parses the name (case-insensitive).
    pub fn parse(text: &str) -> Option<OperatorKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "network" => Some(OperatorKind::Network),
            "virtual" => Some(OperatorKind::Virtual),
            "national" => Some(OperatorKind::National),
            _ => None,
        }
    }
}

/// The least state share of a national operator, per cent.
pub const NATIONAL_STATE_SHARE_MIN_PCT: f64 = 80.0;

/// Government or civil user (the category its assignments belong to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserKind {
    /// A government user (its assignments are government use).
    Government,
    /// A civil user.
    Civil,
}

impl UserKind {
    /// `government` or `civil`.
    pub fn name(self) -> &'static str {
        match self {
            UserKind::Government => "government",
            UserKind::Civil => "civil",
        }
    }

    /// Parses the name (case-insensitive).
    pub fn parse(text: &str) -> Option<UserKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "government" => Some(UserKind::Government),
            "civil" => Some(UserKind::Civil),
            _ => None,
        }
    }

    /// The category of use of this user's assignments.
    pub fn category(self) -> Category {
        match self {
            UserKind::Government => Category::Government,
            UserKind::Civil => Category::Civil,
        }
    }
}

/// An operator (licence holder).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operator {
    /// Name, as the register's `operator` column spells it.
    pub name: String,
    /// Network, virtual or national operator.
    pub kind: OperatorKind,
    /// Government or civil user.
    pub user: UserKind,
    /// State share, per cent (required of national operators: at least 80).
    pub state_share_pct: Option<f64>,
}

/// A site: where a station stands (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Site {
    /// Latitude, degrees north.
    pub lat_deg: f64,
    /// Longitude, degrees east.
    pub lon_deg: f64,
    /// Ground height above mean sea level, m, when known.
    pub ground_m: Option<f64>,
}

/// Whether a station transmits, receives or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Transmitter only.
    Tx,
    /// Receiver only.
    Rx,
    /// Transmitter and receiver.
    TxRx,
}

impl Direction {
    /// `tx`, `rx` or `txrx`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Tx => "tx",
            Direction::Rx => "rx",
            Direction::TxRx => "txrx",
        }
    }

    /// Parses `tx`, `rx`, `txrx` (or `tx/rx`, `trx`).
    pub fn parse(text: &str) -> Option<Direction> {
        match text.trim().to_ascii_lowercase().as_str() {
            "tx" => Some(Direction::Tx),
            "rx" => Some(Direction::Rx),
            "txrx" | "tx/rx" | "trx" => Some(Direction::TxRx),
            _ => None,
        }
    }

    /// True when the station transmits.
    pub fn transmits(self) -> bool {
        matches!(self, Direction::Tx | Direction::TxRx)
    }

    /// True when the station receives.
    pub fn receives(self) -> bool {
        matches!(self, Direction::Rx | Direction::TxRx)
    }
}

/// Antenna polarisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarisation {
    /// Horizontal.
    Horizontal,
    /// Vertical.
    Vertical,
    /// Dual (cross-polar, ±45°).
    Dual,
    /// Right-hand circular.
    RightCircular,
    /// Left-hand circular.
    LeftCircular,
}

impl Polarisation {
    /// The code written in the register: `h`, `v`, `x`, `rhcp`, `lhcp`.
    pub fn code(self) -> &'static str {
        match self {
            Polarisation::Horizontal => "h",
            Polarisation::Vertical => "v",
            Polarisation::Dual => "x",
            Polarisation::RightCircular => "rhcp",
            Polarisation::LeftCircular => "lhcp",
        }
    }

    /// Parses a code (or the full English name), case-insensitive.
    pub fn parse(text: &str) -> Option<Polarisation> {
        match text.trim().to_ascii_lowercase().as_str() {
            "h" | "horizontal" => Some(Polarisation::Horizontal),
            "v" | "vertical" => Some(Polarisation::Vertical),
            "x" | "dual" | "slant" => Some(Polarisation::Dual),
            "rhcp" | "right" => Some(Polarisation::RightCircular),
            "lhcp" | "left" => Some(Polarisation::LeftCircular),
            _ => None,
        }
    }
}

/// A station: a site with an antenna that transmits and/or receives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Station {
    /// Where it stands.
    pub site: Site,
    /// Transmit, receive or both.
    pub direction: Direction,
    /// Antenna height above ground, m.
    pub antenna_height_m: f64,
    /// Antenna gain at boresight, dBi (0 for isotropic).
    pub gain_dbi: f64,
    /// Pattern file (MSI / Planet, as the coverage engine reads); `None` is isotropic.
    pub pattern: Option<String>,
    /// Boresight azimuth, degrees clockwise from north.
    pub azimuth_deg: f64,
    /// Mechanical tilt, degrees below the horizon.
    pub tilt_deg: f64,
    /// Polarisation, when known.
    pub polarisation: Option<Polarisation>,
    /// EIRP at boresight, dBm (transmitters): given, or transmitter power −
    /// feeder loss + gain.
    pub eirp_dbm: Option<f64>,
    /// Receiver noise figure, dB (receivers).
    pub noise_figure_db: Option<f64>,
    /// Receiver noise power in the necessary bandwidth, dBm, when given
    /// instead of (or as well as) the noise figure.
    pub noise_dbm: Option<f64>,
    /// Emission mask (a name in the interference mask library); `None` is a
    /// rectangular spectrum of the necessary bandwidth.
    pub emission_mask: Option<String>,
    /// Receiver selectivity (a name in the mask library); `None` is an ideal
    /// rectangular filter of the necessary bandwidth.
    pub rx_mask: Option<String>,
}

/// Status of an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentStatus {
    /// Planned, not yet licensed.
    Planned,
    /// Licensed.
    Licensed,
    /// Suspended by a decision of the regulator.
    Suspended,
}

impl AssignmentStatus {
    /// `planned`, `licensed` or `suspended`.
    pub fn name(self) -> &'static str {
        match self {
            AssignmentStatus::Planned => "planned",
            AssignmentStatus::Licensed => "licensed",
            AssignmentStatus::Suspended => "suspended",
        }
    }

    /// Parses the name (case-insensitive).
    pub fn parse(text: &str) -> Option<AssignmentStatus> {
        match text.trim().to_ascii_lowercase().as_str() {
            "planned" => Some(AssignmentStatus::Planned),
            "licensed" => Some(AssignmentStatus::Licensed),
            "suspended" => Some(AssignmentStatus::Suspended),
            _ => None,
        }
    }
}

/// Default protection criterion I/N of a service's receivers, dB: −10 dB
/// for fixed links, −6 dB for every other service.
///
/// ```
/// use allocation_table::service::RadioService;
/// assert_eq!(stations::model::default_protection_i_n_db(RadioService::Fixed), -10.0);
/// assert_eq!(stations::model::default_protection_i_n_db(RadioService::LandMobile), -6.0);
/// ```
pub fn default_protection_i_n_db(service: RadioService) -> f64 {
    if service == RadioService::Fixed {
        -10.0
    } else {
        -6.0
    }
}

/// One assignment of the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// Identifier, unique in the register.
    pub id: String,
    /// Operator (licence holder) name.
    pub operator: String,
    /// The station.
    pub station: Station,
    /// Centre frequency, Hz.
    pub freq_hz: u64,
    /// Emission designator (necessary bandwidth and class).
    pub emission: Emission,
    /// Radio service (RR Article 1).
    pub service: RadioService,
    /// Category of use of the assignment (government or civil; joint is a
    /// band category): given, or the operator's user kind.
    pub category: Option<Category>,
    /// Planned, licensed or suspended.
    pub status: AssignmentStatus,
    /// First day of validity.
    pub valid_from: Option<NaiveDate>,
    /// Last day of validity (inclusive).
    pub valid_to: Option<NaiveDate>,
    /// Licence reference.
    pub licence: Option<String>,
    /// Protection criterion of the receiver, I/N in dB.
    pub protection_i_n_db: f64,
    /// For a receiver: the id of its wanted transmitter (the other end of its
    /// link), so that interference studies give C/I and C/(N+I).
    pub link: Option<String>,
    /// 1-based line (CSV) or row (Parquet, counting the header as line 1) it was read from; 0 when built in memory.
    #[serde(skip)]
    pub line: usize,
}

impl Assignment {
    /// The occupied band `[f − B/2, f + B/2)` in whole hertz (rounded
    /// outwards when the half bandwidth is not a whole number of hertz).
    ///
    /// ```
    /// use stations::emission::Emission;
    /// # let a = stations::model::Assignment::example("a1", 450_000_000, "12K5F3E");
    /// assert_eq!(a.occupied_hz(), (449_993_750, 450_006_250));
    /// ```
    pub fn occupied_hz(&self) -> (u64, u64) {
        let half_millihz = self.emission.bandwidth_millihz() / 2;
        let odd = self.emission.bandwidth_millihz() % 2;
        let centre_millihz = u128::from(self.freq_hz) * 1000;
        let lo = centre_millihz.saturating_sub(u128::from(half_millihz));
        let hi = centre_millihz + u128::from(half_millihz + odd);
        let lo_hz = lo / 1000;
        let hi_hz = hi.div_ceil(1000);
        (
            u64::try_from(lo_hz).unwrap_or(u64::MAX),
            u64::try_from(hi_hz).unwrap_or(u64::MAX),
        )
    }

    /// Receiver noise power in the necessary bandwidth, dBm: as given, else
    /// kTB + NF = −174 dBm/Hz + 10·log10(B / 1 Hz) + NF (T₀ = 290 K), else
    /// unknown.
    ///
    /// ```
    /// let mut a = stations::model::Assignment::example("rx", 460_000_000, "12K5F3E");
    /// a.station.noise_figure_db = Some(5.0);
    /// assert!((a.noise_dbm().unwrap() - (-174.0 + 10.0 * 12_500f64.log10() + 5.0)).abs() < 1e-12);
    /// ```
    pub fn noise_dbm(&self) -> Option<f64> {
        self.station.noise_dbm.or_else(|| {
            self.station
                .noise_figure_db
                .map(|nf| -174.0 + 10.0 * self.emission.bandwidth_hz().log10() + nf)
        })
    }

    /// True when the assignment is valid on `date` (inside its validity dates, when it has them).
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|d| d <= date) && self.valid_to.is_none_or(|d| date <= d)
    }

    /// A small isotropic land-mobile transmitter at Bishkek, for examples and tests.
    ///
    /// # Panics
    /// When `emission` is not a valid designator (examples only).
    #[allow(clippy::expect_used)]
    pub fn example(id: &str, freq_hz: u64, emission: &str) -> Assignment {
        Assignment {
            id: id.to_owned(),
            operator: "Example Telecom".to_owned(),
            station: Station {
                site: Site {
                    lat_deg: 42.8746,
                    lon_deg: 74.5698,
                    ground_m: None,
                },
                direction: Direction::TxRx,
                antenna_height_m: 30.0,
                gain_dbi: 0.0,
                pattern: None,
                azimuth_deg: 0.0,
                tilt_deg: 0.0,
                polarisation: None,
                eirp_dbm: Some(40.0),
                noise_figure_db: None,
                noise_dbm: None,
                emission_mask: None,
                rx_mask: None,
            },
            freq_hz,
            emission: Emission::parse(emission).expect("an example designator"),
            service: RadioService::LandMobile,
            category: Some(allocation_table::Category::Civil),
            status: AssignmentStatus::Licensed,
            valid_from: None,
            valid_to: None,
            licence: None,
            protection_i_n_db: -6.0,
            link: None,
            line: 0,
        }
    }
}
