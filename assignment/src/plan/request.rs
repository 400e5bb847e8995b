//! What a channel plan is asked for: the raster, the separation rules, the
//! criterion and the request that gathers them, each parsed from the text a
//! user types (`START_HZ:STEP_HZ:END_HZ`, `KM:CHANNELS`).

use allocation_table::service::RadioService;

use super::PlanError;
use crate::instance::Criterion;

/// An equally spaced channel raster: channel `i` (1-based) is centred on
/// `start_hz + (i − 1)·step_hz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelRaster {
    /// Centre of channel 1, Hz.
    pub start_hz: u64,
    /// Channel spacing, Hz.
    pub step_hz: u64,
    /// Number of channels.
    pub count: u32,
}

/// The most channels a raster may have (every planned assignment's domain
/// is walked channel by channel).
pub const MAX_CHANNELS: u32 = 100_000;

impl ChannelRaster {
    /// Parses `START_HZ:STEP_HZ:END_HZ` (whole hertz, the end inclusive and
    /// on the raster).
    ///
    /// ```
    /// use assignment::plan::ChannelRaster;
    /// let r = ChannelRaster::parse("440012500:12500:449987500").unwrap();
    /// assert_eq!((r.count, r.centre_hz(2)), (799, Some(440_025_000)));
    /// assert!(ChannelRaster::parse("440:0:450").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<ChannelRaster, PlanError> {
        let err = |expected: &str, found: &str| PlanError::Raster {
            expected: expected.to_owned(),
            found: found.to_owned(),
        };
        let parts: Vec<&str> = text.trim().split(':').map(str::trim).collect();
        let [start, step, end] = parts.as_slice() else {
            return Err(err(
                "START_HZ:STEP_HZ:END_HZ (three whole numbers of hertz)",
                text,
            ));
        };
        let num = |name: &str, s: &str| {
            s.parse::<u64>()
                .map_err(|_| err(&format!("{name} as a whole number of hertz"), s))
        };
        let (start_hz, step_hz, end_hz) = (
            num("START_HZ", start)?,
            num("STEP_HZ", step)?,
            num("END_HZ", end)?,
        );
        if step_hz == 0 {
            return Err(err("STEP_HZ of at least 1 Hz", step));
        }
        if end_hz < start_hz {
            return Err(err(&format!("END_HZ at least START_HZ ({start_hz})"), end));
        }
        if !(end_hz - start_hz).is_multiple_of(step_hz) {
            return Err(err(
                &format!("END_HZ on the raster (START_HZ + a whole number of {step_hz} Hz steps)"),
                end,
            ));
        }
        let count = u32::try_from((end_hz - start_hz) / step_hz + 1)
            .ok()
            .filter(|&n| n <= MAX_CHANNELS)
            .ok_or_else(|| err(&format!("at most {MAX_CHANNELS} channels"), text))?;
        Ok(ChannelRaster {
            start_hz,
            step_hz,
            count,
        })
    }

    /// Centre of channel `channel` (1-based), when it exists.
    pub fn centre_hz(&self, channel: u32) -> Option<u64> {
        (1..=self.count).contains(&channel).then(|| {
            self.start_hz
                .saturating_add(u64::from(channel - 1).saturating_mul(self.step_hz))
        })
    }

    /// The channel centred exactly on `freq_hz`, if any.
    pub fn channel_at(&self, freq_hz: u64) -> Option<u32> {
        if self.step_hz == 0
            || freq_hz < self.start_hz
            || !(freq_hz - self.start_hz).is_multiple_of(self.step_hz)
        {
            return None;
        }
        let i = u32::try_from((freq_hz - self.start_hz) / self.step_hz).ok()?;
        (i < self.count).then_some(i + 1)
    }

    /// The range the raster covers, `[start − step/2, end + step/2)` in Hz.
    pub fn range_hz(&self) -> (u64, u64) {
        let last = self.centre_hz(self.count).unwrap_or(self.start_hz);
        (
            self.start_hz.saturating_sub(self.step_hz / 2),
            last.saturating_add(self.step_hz - self.step_hz / 2),
        )
    }
}

/// A separation rule: two assignments whose sites are within `within_km`
/// must be at least `channels` channels apart (`|cᵢ − cⱼ| ≥ channels`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Separation {
    /// Site distance up to which the rule applies, km (inclusive).
    pub within_km: f64,
    /// Least channel difference (1 forbids sharing a channel).
    pub channels: u32,
}

impl Separation {
    /// Parses `KM:CHANNELS`.
    ///
    /// ```
    /// let s = assignment::plan::Separation::parse("2.5:2").unwrap();
    /// assert_eq!((s.within_km, s.channels), (2.5, 2));
    /// ```
    pub fn parse(text: &str) -> Result<Separation, PlanError> {
        let err = |expected: &str, found: &str| PlanError::Separation {
            expected: expected.to_owned(),
            found: found.to_owned(),
        };
        let Some((km, ch)) = text.trim().split_once(':') else {
            return Err(err("KM:CHANNELS (e.g. 5:1)", text));
        };
        let within_km = km
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|k| k.is_finite() && *k >= 0.0)
            .ok_or_else(|| err("a distance KM, a finite number ≥ 0", km))?;
        let channels = ch
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|c| *c >= 1)
            .ok_or_else(|| err("CHANNELS, a whole number ≥ 1", ch))?;
        Ok(Separation {
            within_km,
            channels,
        })
    }
}

/// What the solver is to optimise for the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlanCriterion {
    /// Fewest distinct channels.
    #[default]
    MinOrder,
    /// Lowest highest channel.
    MinSpan,
    /// Any channels that satisfy every constraint.
    Feasibility,
}

impl PlanCriterion {
    /// Parses `min_order`, `min_span` or `feasibility` (case-insensitive, `-` for `_`).
    pub fn parse(text: &str) -> Result<PlanCriterion, PlanError> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "min_order" => Ok(PlanCriterion::MinOrder),
            "min_span" => Ok(PlanCriterion::MinSpan),
            "feasibility" => Ok(PlanCriterion::Feasibility),
            _ => Err(PlanError::Criterion {
                found: text.to_owned(),
            }),
        }
    }

    /// The criterion to give [`crate::solve::solve`].
    pub fn criterion(self) -> Criterion {
        match self {
            PlanCriterion::MinOrder => Criterion::MinOrder,
            PlanCriterion::MinSpan => Criterion::MinSpan,
            PlanCriterion::Feasibility => Criterion::Feasibility,
        }
    }
}

/// What to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRequest {
    /// The channels.
    pub raster: ChannelRaster,
    /// Only assignments of this service (None: every service).
    pub service: Option<RadioService>,
    /// Separation rules by site distance.
    pub separations: Vec<Separation>,
    /// Duplex spacing in channels between a receiver and the transmitter its
    /// `link` names (None: no duplex constraint).
    pub duplex_channels: Option<u32>,
    /// Pairs of assignment ids that must not share a channel (e.g. from an
    /// interference study).
    pub interference: Vec<(String, String)>,
    /// The criterion (fewest channels by default).
    pub criterion: PlanCriterion,
}

impl PlanRequest {
    /// A request on `raster` for every service, with no rule yet.
    pub fn new(raster: ChannelRaster) -> PlanRequest {
        PlanRequest {
            raster,
            service: None,
            separations: Vec::new(),
            duplex_channels: None,
            interference: Vec::new(),
            criterion: PlanCriterion::default(),
        }
    }
}
