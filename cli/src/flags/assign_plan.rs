//! Flags of `spectra assign stations`: a channel plan for the register.

use std::path::PathBuf;

use allocation_table::service::RadioService;
use assignment::plan::{ChannelRaster, Separation};

use super::assign::SolveFlags;
use super::stations::RegisterSource;

/// What the plan minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanCriterionFlag {
    /// Fewest distinct channels.
    MinOrder,
    /// Lowest highest channel.
    MinSpan,
    /// Any plan that satisfies every rule.
    Feasibility,
}

/// Flags of `spectra assign stations`.
#[derive(Debug, clap::Args)]
pub struct PlanFlags {
    /// The register.
    #[command(flatten)]
    pub register: RegisterSource,
    /// The channel raster: `START_HZ:STEP_HZ:END_HZ` (centres, end inclusive;
    /// e.g. 440006250:12500:449993750).
    #[arg(long, value_name = "START:STEP:END", value_parser = parse_raster)]
    pub channels: ChannelRaster,
    /// Plan only the assignments of this service (RR Article 1 name).
    #[arg(long, value_parser = parse_service)]
    pub service: Option<RadioService>,
    /// Separation rule `KM:CHANNELS`: assignments whose sites are within KM
    /// stay at least CHANNELS channels apart (repeatable; co-site pairs fall
    /// under every rule; the strictest applies).
    #[arg(long = "separation", value_name = "KM:CHANNELS", value_parser = parse_separation)]
    pub separations: Vec<Separation>,
    /// Duplex spacing in channels between a receiver and the transmitter its
    /// `link` names.
    #[arg(long, value_name = "CHANNELS")]
    pub duplex_channels: Option<u32>,
    /// Per-pair interference contributions (Parquet, from `spectra
    /// interference aggregate --contributions`): pairs whose co-channel
    /// interference would exceed the victim's I/N criterion may not share a
    /// channel.
    #[arg(long, value_name = "PATH")]
    pub interference: Option<PathBuf>,
    /// What the plan minimises.
    #[arg(long, value_enum, default_value_t = PlanCriterionFlag::MinOrder)]
    pub criterion: PlanCriterionFlag,
    /// How to solve.
    #[command(flatten)]
    pub solve: SolveFlags,
    /// The register update: one row per planned or fixed assignment (id,
    /// old and new frequency, channel, moved, status, reason); CSV or Parquet.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// The whole register with the new frequencies (CSV or Parquet).
    #[arg(long, value_name = "PATH")]
    pub register_out: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_raster(text: &str) -> Result<ChannelRaster, String> {
    ChannelRaster::parse(text).map_err(|e| e.to_string())
}

fn parse_separation(text: &str) -> Result<Separation, String> {
    Separation::parse(text).map_err(|e| e.to_string())
}

fn parse_service(text: &str) -> Result<RadioService, String> {
    RadioService::lookup(text)
        .ok_or_else(|| format!("expected a radio service of RR Article 1, found {text:?}"))
}
