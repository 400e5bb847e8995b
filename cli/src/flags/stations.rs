//! Flags of `spectra stations …` and the validated configuration each
//! subcommand turns into ([`StationsCommand::config`]).

use std::path::PathBuf;

use allocation_table::service::RadioService;
use anyhow::bail;
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand, ValueEnum};
use stations::register::ProtectionDefaults;

use super::table::{TableSource, parse_freq, parse_non_blank};

/// The register's input files (every subcommand reading a register).
#[derive(Debug, Clone, Args)]
pub struct RegisterSource {
    /// The register of assignments: CSV or Parquet (schema in stations/README.md).
    #[arg(long, value_name = "PATH")]
    pub stations: PathBuf,
    /// Operators (CSV or Parquet: name, kind, user, state_share_pct); with
    /// it, every assignment's operator must be listed.
    #[arg(long, value_name = "PATH")]
    pub operators: Option<PathBuf>,
    /// Protection criterion I/N of a service's receivers, `SERVICE=DB`
    /// (repeatable; default −10 dB for fixed links, −6 dB otherwise).
    #[arg(long, value_name = "SERVICE=DB", value_parser = parse_protection)]
    pub protection: Vec<(RadioService, f64)>,
}

impl RegisterSource {
    /// The protection defaults the flags give.
    pub fn protection_defaults(&self) -> ProtectionDefaults {
        ProtectionDefaults {
            by_service: self.protection.iter().copied().collect(),
        }
    }
}

/// Parses `SERVICE=DB`.
fn parse_protection(text: &str) -> Result<(RadioService, f64), String> {
    let (service, db) = text
        .split_once('=')
        .ok_or_else(|| format!("expected SERVICE=DB (e.g. fixed=-10), found {text:?}"))?;
    let service = RadioService::lookup(service)
        .ok_or_else(|| format!("expected a radio service of RR Article 1, found {service:?}"))?;
    let db = db
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (-60.0..=30.0).contains(v))
        .ok_or_else(|| format!("expected an I/N from -60 to 30 dB, found {db:?}"))?;
    Ok((service, db))
}

/// Parses a time: RFC 3339 (`2026-12-01T08:00:00Z`) or a date (midnight UTC).
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            format!("expected an RFC 3339 time (2026-12-01T08:00:00Z) or a date YYYY-MM-DD, found {text:?}")
        })
}

/// Parses a band `LOWER-UPPER` (each a frequency with its unit, e.g. `450MHz-470MHz`).
pub fn parse_band(text: &str) -> Result<(u64, u64), String> {
    let (lo, hi) = text
        .split_once("..")
        .or_else(|| text.rsplit_once('-'))
        .ok_or_else(|| format!("expected LOWER-UPPER (e.g. 450MHz-470MHz), found {text:?}"))?;
    let (lo, hi) = (parse_freq(lo)?, parse_freq(hi)?);
    if lo >= hi {
        return Err(format!("expected lower < upper, found {text:?}"));
    }
    Ok((lo, hi))
}

/// Action of an emergency order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionFlag {
    /// Suspend every assignment in the bands and territory.
    Suspend,
    /// Give priority to the users listed with --users.
    Priority,
}

/// Subcommands of `spectra stations`.
#[derive(Debug, Subcommand)]
pub enum StationsCommand {
    /// Parse an emission designator (RR Appendix 1), e.g. 16K0F3E.
    Emission {
        /// The designator.
        designator: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check every assignment against the national table (exit 1 on findings).
    Compliance {
        #[command(flatten)]
        table: TableSource,
        #[command(flatten)]
        register: RegisterSource,
        /// Date the validity is checked on (default: today, UTC).
        #[arg(long)]
        at: Option<NaiveDate>,
        #[command(flatten)]
        audience: super::table::AudienceFlag,
        /// Also write the findings here (.parquet or .csv).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Read a register (checking every row) and write it as CSV or Parquet.
    Export {
        #[command(flatten)]
        register: RegisterSource,
        /// Output (.parquet or .csv).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Assignments within a radius of a point, optionally in a frequency range.
    Near {
        #[command(flatten)]
        register: RegisterSource,
        /// Latitude, degrees.
        #[arg(long, allow_negative_numbers = true)]
        lat: f64,
        /// Longitude, degrees.
        #[arg(long, allow_negative_numbers = true)]
        lon: f64,
        /// Radius, km.
        #[arg(long)]
        radius_km: f64,
        /// Only assignments whose occupied band meets this range (LOWER-UPPER).
        #[arg(long, value_parser = parse_band)]
        band: Option<(u64, u64)>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record an emergency order in the orders journal.
    Order {
        /// The orders journal (JSON; created if missing).
        #[arg(long, value_name = "PATH")]
        orders: PathBuf,
        /// Reference of the order (unique).
        #[arg(long, value_parser = parse_non_blank)]
        id: String,
        /// The declared emergency it is made under.
        #[arg(long, value_parser = parse_non_blank)]
        emergency: String,
        /// Authority making it.
        #[arg(long, value_parser = parse_non_blank)]
        authority: String,
        /// Suspend, or give priority to --users.
        #[arg(long, value_enum)]
        action: ActionFlag,
        /// Users (operator names) given priority, comma-separated.
        #[arg(long, value_delimiter = ',')]
        users: Vec<String>,
        /// Band LOWER-UPPER (repeatable).
        #[arg(long = "band", value_parser = parse_band, required = true)]
        bands: Vec<(u64, u64)>,
        /// Territory: a GeoJSON file (Polygon, MultiPolygon, Feature or FeatureCollection).
        #[arg(long, value_name = "PATH")]
        territory: PathBuf,
        /// Start (RFC 3339 or YYYY-MM-DD).
        #[arg(long, value_parser = parse_time)]
        start: DateTime<Utc>,
        /// End (mandatory; RFC 3339 or YYYY-MM-DD).
        #[arg(long, value_parser = parse_time)]
        end: DateTime<Utc>,
    },
    /// State of every assignment at a time, with the emergency orders in force.
    Status {
        #[command(flatten)]
        register: RegisterSource,
        /// The orders journal.
        #[arg(long, value_name = "PATH")]
        orders: Option<PathBuf>,
        /// The time (RFC 3339 or YYYY-MM-DD; default now).
        #[arg(long, value_parser = parse_time)]
        at: Option<DateTime<Utc>>,
        /// Also write the states here (.parquet or .csv).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Validated configuration of `spectra stations near`.
#[derive(Debug, Clone)]
pub struct NearQuery {
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Radius, km.
    pub radius_km: f64,
    /// Frequency range.
    pub band: Option<(u64, u64)>,
}

impl StationsCommand {
    /// Checks what clap cannot: coordinates and radius in range, users of a priority order.
    pub fn validate(&self) -> anyhow::Result<()> {
        match self {
            StationsCommand::Near {
                lat,
                lon,
                radius_km,
                ..
            } => {
                if !(lat.is_finite() && (-90.0..=90.0).contains(lat)) {
                    bail!("--lat: expected degrees from -90 to 90, found {lat}");
                }
                if !(lon.is_finite() && (-180.0..=180.0).contains(lon)) {
                    bail!("--lon: expected degrees from -180 to 180, found {lon}");
                }
                if !(radius_km.is_finite() && (0.0..=20_040.0).contains(radius_km)) {
                    bail!("--radius-km: expected 0 to 20040 km, found {radius_km}");
                }
            }
            StationsCommand::Order {
                action: ActionFlag::Priority,
                users,
                ..
            } if users.iter().all(|u| u.trim().is_empty()) => {
                bail!("--users: a priority order must list the users it gives priority to")
            }
            StationsCommand::Order {
                action: ActionFlag::Suspend,
                users,
                ..
            } if !users.is_empty() => {
                bail!("--users: only a priority order lists users (this order suspends)")
            }
            _ => {}
        }
        Ok(())
    }
}
