//! Flags of `spectra registry contest | contests | decide`.

use imei_registry::{DeviceStatus, ReasonMask};

use super::registry_file::RegistryFlags;
use super::values;

/// Flags of `spectra registry contest`.
#[derive(Debug, clap::Args)]
pub struct ContestFlags {
    /// The IMEI whose automated decision is contested.
    #[arg(value_parser = values::imei_key)]
    pub imei: u64,
    /// Registry, actor (who files), output format.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// The grounds of the contest, in plain language.
    #[arg(long)]
    pub grounds: String,
}

/// Flags of `spectra registry contests`.
#[derive(Debug, clap::Args)]
pub struct ContestsFlags {
    /// Registry, actor, output format.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Only the contests of this IMEI.
    #[arg(long, value_parser = values::imei_key)]
    pub imei: Option<u64>,
    /// Only contests not yet decided.
    #[arg(long)]
    pub open: bool,
}

/// Flags of `spectra registry decide`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("decision").required(true).args(["uphold", "reject"])))]
pub struct DecideFlags {
    /// Contest number.
    pub id: u64,
    /// Registry, actor (who decides), output format.
    #[command(flatten)]
    pub reg: RegistryFlags,
    /// Uphold the contest and correct the status to this one (white, grey or black).
    #[arg(long, value_name = "STATUS", value_parser = values::device_status)]
    pub uphold: Option<DeviceStatus>,
    /// Reason codes of the corrected status, separated by `;`.
    #[arg(long, default_value = "", requires = "uphold", value_parser = values::reason_mask)]
    pub reasons: ReasonMask,
    /// Reject the contest (the status stands).
    #[arg(long)]
    pub reject: bool,
    /// The decision, in plain language (kept with the contest).
    #[arg(long)]
    pub note: String,
}
