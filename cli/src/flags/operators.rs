//! Flags of `spectra registry add-operator` and `spectra registry
//! import-operator-data`.

use std::path::PathBuf;

use imei_registry::operator_data::{Period, Thresholds};

use crate::flags::registry_file::RegistryFlags;
use crate::flags::subject::{NetworkKeyFlags, VaultKeyFlags};

/// Flags of `spectra registry add-operator`.
#[derive(Debug, clap::Args)]
pub struct AddOperatorFlags {
    /// Operator name (a-z, 0-9, `_`, `-`).
    pub name: String,
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// The operator's MCC-MNC prefixes (5 or 6 digits), comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub mcc_mnc: Vec<String>,
}

/// A share in [0, 1].
fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("expected a share from 0 to 1, found {text:?}")),
    }
}

/// `YYYY-MM-DD:YYYY-MM-DD`.
fn period(text: &str) -> Result<Period, String> {
    Period::parse(text).map_err(|e| e.to_string())
}

/// Flags of `spectra registry import-operator-data`.
#[derive(Debug, clap::Args)]
pub struct ImportOperatorDataFlags {
    /// Operator data files (CSV or Parquet: date, imei, imsi, msisdn[, rat]), one operator's, imported in
    /// order, each checked and stored on its own.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// The operator (declared with `spectra registry add-operator`).
    #[arg(long)]
    pub operator: String,
    /// The days the files cover, `YYYY-MM-DD:YYYY-MM-DD`; default: from each file name's
    /// `_YYYYMMDD_YYYYMMDD` before its extension (as `alfa_20261001_20261031.csv`).
    #[arg(long, value_parser = period)]
    pub period: Option<Period>,
    /// Network key.
    #[command(flatten)]
    pub network: NetworkKeyFlags,
    /// Vault key.
    #[command(flatten)]
    pub vault: VaultKeyFlags,
    /// Largest share of rows without an IMEI.
    #[arg(long, default_value_t = Thresholds::default().null_imei, value_parser = share)]
    pub max_null_imei: f64,
    /// Largest share of rows without an IMSI.
    #[arg(long, default_value_t = Thresholds::default().null_imsi, value_parser = share)]
    pub max_null_imsi: f64,
    /// Largest share of rows without an MSISDN.
    #[arg(long, default_value_t = Thresholds::default().null_msisdn, value_parser = share)]
    pub max_null_msisdn: f64,
    /// Largest share of rows with a malformed IMEI (kept, with their class, when the file passes).
    #[arg(long, default_value_t = Thresholds::default().malformed_imei, value_parser = share)]
    pub max_malformed_imei: f64,
    /// Largest share of rows whose IMSI is not the operator's.
    #[arg(long, default_value_t = Thresholds::default().foreign_imsi, value_parser = share)]
    pub max_foreign_imsi: f64,
    /// Largest share of rows dated outside the period (or undated).
    #[arg(long, default_value_t = Thresholds::default().out_of_period, value_parser = share)]
    pub max_out_of_period: f64,
    /// Least row count as a share of the operator's average over its last 30 files.
    #[arg(long, default_value_t = Thresholds::default().min_rows_vs_average, value_parser = share)]
    pub min_rows_vs_average: f64,
}

impl ImportOperatorDataFlags {
    /// The thresholds the flags set.
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            null_imei: self.max_null_imei,
            null_imsi: self.max_null_imsi,
            null_msisdn: self.max_null_msisdn,
            malformed_imei: self.max_malformed_imei,
            foreign_imsi: self.max_foreign_imsi,
            out_of_period: self.max_out_of_period,
            min_rows_vs_average: self.min_rows_vs_average,
        }
    }
}

/// `YYYY-MM-DD`.
pub(crate) fn date(text: &str) -> Result<chrono::NaiveDate, String> {
    imei_registry::operator_data::parse_date(text)
        .ok_or_else(|| format!("expected a date YYYY-MM-DD, found {text:?}"))
}

/// Flags of `spectra registry classify`.
#[derive(Debug, clap::Args)]
pub struct ClassifyFlags {
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Conditions file (TOML: [[condition]] with label, reason, grace_days, blocking, sticky,
    /// max_matching_share and [[condition.dimension]] module, threshold, period_days, invert).
    #[arg(long)]
    pub conditions: PathBuf,
    /// The classification date (windows end on it, inclusive), YYYY-MM-DD.
    #[arg(long, value_parser = date)]
    pub date: chrono::NaiveDate,
}

/// Flags of `spectra registry lists`.
#[derive(Debug, clap::Args)]
pub struct ListsFlags {
    /// Registry, actor, output format.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// The lists' date: IMEIs whose block date is on or before it are blocked, YYYY-MM-DD.
    #[arg(long, value_parser = date)]
    pub date: chrono::NaiveDate,
    /// Existing directory for blacklist.csv / .parquet, the delta and manifest.json.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the deltas against this earlier list generation: blacklist_delta (blocked |
    /// unblocked | changed), notifications_<op>_delta (new | resolved | blacklisted | no_longer_seen |
    /// changed), exceptions_<op>_delta (added | removed).
    #[arg(long)]
    pub base: Option<u64>,
    /// Vault key (opens each operator's clear IMSIs and MSISDNs for its own lists).
    #[command(flatten)]
    pub vault: VaultKeyFlags,
}

/// Which device list a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListKind {
    /// Stolen device reports: imei, reported_at, case_reference[, recovered_at].
    Stolen,
    /// IMEIs never to be blocked: imei.
    Golden,
    /// Barred TACs: tac.
    BarredTac,
}

/// Flags of `spectra registry import-list`.
#[derive(Debug, clap::Args)]
pub struct ImportListFlags {
    /// The list file (CSV or Parquet; identifier columns text).
    pub file: PathBuf,
    /// Registry and actor.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Which list it is.
    #[arg(long, value_enum)]
    pub kind: ListKind,
}
