//! Channel planning of the register: the assignments of one service in one
//! frequency range, put on a channel raster as a frequency assignment
//! [`Instance`] (the CELAR model), and the solver's channels read back as
//! new frequencies with a plain-language reason for each.
//!
//! - `planned` assignments are the movable variables; their domain is every
//!   channel whose occupied band lies within the raster's range;
//! - `licensed` assignments on a raster channel are fixed variables
//!   (mobility 0); off the raster they still constrain, by their occupied
//!   band, the channels of their neighbours; `suspended` ones are ignored;
//! - a [`Separation`] `KM:CHANNELS` keeps two assignments whose sites are
//!   within `KM` at least `CHANNELS` channels apart (the strictest rule that
//!   applies wins); an interference pair must not share a channel; a
//!   receiver and the transmitter its `link` names are `d` channels apart
//!   when a duplex spacing is given (and never subject to the separations).
//!
//! ```
//! use assignment::plan::{build, ChannelRaster, PlanRequest, Separation};
//! use stations::model::{Assignment, AssignmentStatus};
//! use stations::register::Register;
//! let mut a = Assignment::example("A1", 440_012_500, "12K5F3E");
//! a.status = AssignmentStatus::Planned;
//! let b = Assignment::example("B1", 440_012_500, "12K5F3E"); // licensed, co-site
//! let register = Register::new(vec![a, b]);
//! let mut request = PlanRequest::new(ChannelRaster::parse("440012500:12500:440062500")?);
//! request.separations.push(Separation::parse("1:2")?);
//! let plan = build(&register, &request)?;
//! assert_eq!(plan.ids, ["A1", "B1"]);
//! assert_eq!(plan.instance.constraints.len(), 1);
//! let solution = [(0, 3), (1, 1)].into_iter().collect();
//! let rows = plan.update(&solution);
//! assert_eq!(rows[0].new_freq_hz, 440_037_500);
//! assert_eq!(rows[0].reason, "channel 3: co-site with B1 (needs ≥ 2 channels apart)");
//! # Ok::<(), assignment::plan::PlanError>(())
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use stations::index::{IndexedSite, StationIndex};
use stations::model::{Assignment, AssignmentStatus};
use stations::register::Register;
use thiserror::Error;

use crate::instance::{Criterion, Instance, Variable};

mod pairs;
mod request;
mod write;
pub use pairs::interference_pairs;
pub use request::{ChannelRaster, PlanCriterion, PlanRequest, Separation};
use write::{Builder, Role, band_at, distance_km};
pub use write::{PlanRow, RowStatus, update_batch};

/// Why a plan could not be built or written.
#[derive(Debug, Error)]
pub enum PlanError {
    /// The raster text is malformed.
    #[error("channel raster: expected {expected}, found {found:?}")]
    Raster {
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A separation rule is malformed.
    #[error("separation rule: expected {expected}, found {found:?}")]
    Separation {
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// The criterion name is unknown.
    #[error("plan criterion: expected min_order, min_span or feasibility, found {found:?}")]
    Criterion {
        /// What was found.
        found: String,
    },
    /// The raster has no channel (count or step 0).
    #[error("the channel raster has no channel (count and step must be at least 1)")]
    EmptyRaster,
    /// A movable assignment has no possible channel.
    #[error("assignment {id}: no channel of the raster is possible: {reason}")]
    EmptyDomain {
        /// The assignment.
        id: String,
        /// Why (plain language).
        reason: String,
    },
    /// An interference pair names an id that is not in the register.
    #[error("interference pair ({first}, {second}): no assignment {unknown} in the register")]
    UnknownId {
        /// First id of the pair.
        first: String,
        /// Second id of the pair.
        second: String,
        /// The unknown one.
        unknown: String,
    },
    /// Two selected assignments share an id.
    #[error("assignment id {id} appears more than once among the selected assignments")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// An interference contributions table lacks a column or holds a value
    /// of the wrong kind.
    #[error(
        "interference contributions: row {row}: column `{column}`: expected {expected}, found {found}"
    )]
    Contributions {
        /// 1-based data row (0: the header).
        row: usize,
        /// The column.
        column: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// Arrow refused the batch of the update (a bug: the schema is ours).
    #[error("arrow: {0}")]
    Arrow(#[from] arrow::error::ArrowError),
}

/// Where a constraint of the plan comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin {
    /// A separation rule between sites `distance_km` apart.
    Separation {
        /// Site distance, km.
        distance_km: f64,
        /// Least channel difference.
        channels: u32,
    },
    /// An interference pair (no separation rule applies to it).
    Interference {
        /// Site distance, km.
        distance_km: f64,
    },
    /// Receiver and wanted transmitter, `channels` apart.
    Duplex {
        /// Channel difference.
        channels: u32,
    },
}

/// Channels taken from a movable assignment's domain by an off-raster
/// licensed neighbour.
#[derive(Debug, Clone, PartialEq)]
pub struct OffRasterExclusion {
    /// The variable (index into [`Plan::ids`]).
    pub variable: u32,
    /// The off-raster licensed assignment.
    pub id: String,
    /// Site distance, km.
    pub distance_km: f64,
    /// The rule, in plain language.
    pub rule: String,
    /// The channels removed, ascending.
    pub channels: Vec<u32>,
}

/// Two licensed assignments (on or off the raster) that already break a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedConflict {
    /// First assignment id.
    pub first: String,
    /// Second assignment id.
    pub second: String,
    /// Site distance, km.
    pub distance_km: f64,
    /// What is broken, in plain language.
    pub rule: String,
}

/// Per-variable facts kept for the update.
#[derive(Debug, Clone, PartialEq)]
struct VarInfo {
    old_freq_hz: u64,
    fixed: bool,
}

/// A built plan: the instance to solve and what is needed to read its
/// solution back.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The instance: variable `i` is assignment `ids[i]`, values are channel numbers.
    pub instance: Instance,
    /// Assignment ids of the variables, by variable id.
    pub ids: Vec<String>,
    /// The raster.
    pub raster: ChannelRaster,
    /// The criterion to solve for.
    pub criterion: Criterion,
    /// Where each constraint of the instance comes from (same order).
    pub origins: Vec<Origin>,
    /// Channels removed from domains by off-raster licensed neighbours.
    pub off_raster: Vec<OffRasterExclusion>,
    /// Pairs of licensed assignments that already break a rule (planning cannot fix them).
    pub conflicts_between_fixed: Vec<FixedConflict>,
    vars: Vec<VarInfo>,
}

impl Plan {
    /// The criterion as [`crate::solve::solve`] takes it.
    pub fn criterion(&self) -> Criterion {
        self.criterion
    }

    /// The licensed assignments fixed on their channel.
    pub fn fixed(&self) -> usize {
        self.instance
            .variables
            .iter()
            .filter(|v| matches!(v.initial, Some((_, 0))))
            .count()
    }
}

/// Builds the plan of `request` over `register`: the variables (planned
/// assignments movable over every channel their band fits; licensed ones on
/// the raster fixed), the separation constraints between every pair of sites
/// within the largest `within_km` (found with the spatial index), the
/// interference pairs, the duplex pairs, and the channels off-raster
/// licensed neighbours exclude. A receiver and the transmitter its `link`
/// names are never subject to the separations (duplex spacing only).
///
/// # Errors
/// [`PlanError::EmptyRaster`]; [`PlanError::EmptyDomain`] naming a planned
/// assignment no channel can take; [`PlanError::UnknownId`] for an
/// interference pair naming an id not in the register (ids in the register
/// but outside the plan are ignored); [`PlanError::DuplicateId`].
pub fn build(register: &Register, request: &PlanRequest) -> Result<Plan, PlanError> {
    let raster = request.raster;
    if raster.count == 0 || raster.step_hz == 0 {
        return Err(PlanError::EmptyRaster);
    }
    let range = raster.range_hz();
    let selected: Vec<&Assignment> = register
        .assignments
        .iter()
        .filter(|a| request.service.is_none_or(|s| a.service == s))
        .filter(|a| a.status != AssignmentStatus::Suspended)
        .filter(|a| {
            let (lo, hi) = a.occupied_hz();
            lo < range.1 && range.0 < hi
        })
        .collect();
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(selected.len());
    for (i, a) in selected.iter().enumerate() {
        if by_id.insert(a.id.as_str(), i).is_some() {
            return Err(PlanError::DuplicateId { id: a.id.clone() });
        }
    }
    // Roles, ids and domains.
    let mut roles = Vec::with_capacity(selected.len());
    let mut ids = Vec::new();
    let mut vars = Vec::new();
    let mut domains: Vec<BTreeSet<u32>> = Vec::new();
    for a in &selected {
        let var = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        let role = match (a.status, raster.channel_at(a.freq_hz)) {
            (AssignmentStatus::Planned, _) => {
                let domain: BTreeSet<u32> = (1..=raster.count)
                    .filter(|&c| {
                        let band = band_at(a, raster.centre_hz(c).unwrap_or(0));
                        range.0 <= band.0 && band.1 <= range.1
                    })
                    .collect();
                if domain.is_empty() {
                    let (lo, hi) = a.occupied_hz();
                    return Err(PlanError::EmptyDomain {
                        id: a.id.clone(),
                        reason: format!(
                            "its occupied band is {} Hz wide, wider than the raster range [{}, {}) Hz ({} Hz)",
                            hi - lo,
                            range.0,
                            range.1,
                            range.1 - range.0
                        ),
                    });
                }
                domains.push(domain);
                Role::Movable(var)
            }
            (_, Some(channel)) => {
                domains.push(BTreeSet::from([channel]));
                Role::Fixed(var, channel)
            }
            (_, None) => Role::OffRaster,
        };
        if role != Role::OffRaster {
            ids.push(a.id.clone());
            vars.push(VarInfo {
                old_freq_hz: a.freq_hz,
                fixed: matches!(role, Role::Fixed(..)),
            });
        }
        roles.push(role);
    }
    let linked = |i: usize, j: usize| {
        let (a, b) = (selected[i], selected[j]);
        a.link.as_deref() == Some(b.id.as_str()) || b.link.as_deref() == Some(a.id.as_str())
    };
    // Pairs under a separation rule or an interference pair: channels needed, distance, interference.
    let mut pairs: BTreeMap<(usize, usize), (u32, f64)> = BTreeMap::new();
    let max_km = request
        .separations
        .iter()
        .map(|s| s.within_km)
        .fold(f64::NAN, f64::max);
    if max_km.is_finite() {
        let index =
            StationIndex::from_points(selected.iter().map(|a| IndexedSite::from_assignment(a)));
        for (i, a) in selected.iter().enumerate() {
            let (lat, lon) = (a.station.site.lat_deg, a.station.site.lon_deg);
            for j in index.within_km(lat, lon, max_km, None) {
                if j <= i || linked(i, j) {
                    continue;
                }
                let d = distance_km(a, selected[j]);
                let need = request
                    .separations
                    .iter()
                    .filter(|s| d <= s.within_km)
                    .map(|s| s.channels)
                    .max()
                    .unwrap_or(0);
                if need > 0 {
                    pairs.insert((i, j), (need, d));
                }
            }
        }
    }
    let mut interference_only = BTreeSet::new();
    for (first, second) in &request.interference {
        for id in [first, second] {
            if register.get(id).is_none() {
                return Err(PlanError::UnknownId {
                    first: first.clone(),
                    second: second.clone(),
                    unknown: id.clone(),
                });
            }
        }
        let (Some(&i), Some(&j)) = (by_id.get(first.as_str()), by_id.get(second.as_str())) else {
            continue; // not in the plan (other service or range, or suspended)
        };
        if i == j {
            continue;
        }
        let key = (i.min(j), i.max(j));
        if let std::collections::btree_map::Entry::Vacant(e) = pairs.entry(key) {
            e.insert((1, distance_km(selected[i], selected[j])));
            interference_only.insert(key);
        }
    }
    let mut b = Builder {
        selected: &selected,
        roles: &roles,
        raster,
        domains,
        constraints: Vec::new(),
        origins: Vec::new(),
        off_raster: Vec::new(),
        conflicts: Vec::new(),
    };
    for (&(i, j), &(need, d)) in &pairs {
        let origin = if interference_only.contains(&(i, j)) {
            Origin::Interference { distance_km: d }
        } else {
            Origin::Separation {
                distance_km: d,
                channels: need,
            }
        };
        b.separation(i, j, need, d, origin);
    }
    if let Some(dx) = request.duplex_channels {
        let mut done = BTreeSet::new();
        for (i, a) in selected.iter().enumerate() {
            let Some(&j) = a.link.as_deref().and_then(|t| by_id.get(t)) else {
                continue;
            };
            if i != j && done.insert((i.min(j), i.max(j))) {
                b.duplex(i, j, dx);
            }
        }
    }
    let Builder {
        domains,
        constraints,
        origins,
        off_raster,
        conflicts,
        ..
    } = b;
    let mut inst = Instance {
        name: "plan".to_owned(),
        criterion: match request.criterion {
            PlanCriterion::Feasibility => None,
            c => Some(c.criterion()),
        },
        constraints,
        ..Instance::default()
    };
    for (v, domain) in domains.into_iter().enumerate() {
        let id = u32::try_from(v).unwrap_or(u32::MAX);
        let fixed = vars.get(v).is_some_and(|x| x.fixed);
        if domain.is_empty() {
            let why: Vec<String> = off_raster
                .iter()
                .filter(|e| e.variable == id)
                .map(|e| {
                    format!(
                        "off-raster licensed {} at {:.1} km ({})",
                        e.id, e.distance_km, e.rule
                    )
                })
                .collect();
            return Err(PlanError::EmptyDomain {
                id: ids.get(v).cloned().unwrap_or_default(),
                reason: format!(
                    "every channel of the raster is excluded by {}",
                    why.join(", ")
                ),
            });
        }
        let initial = if fixed {
            domain.first().map(|&c| (c, 0))
        } else {
            None
        };
        inst.domains.insert(id, domain.into_iter().collect());
        inst.variables.push(Variable {
            id,
            domain: id,
            initial,
        });
    }
    Ok(Plan {
        instance: inst,
        ids,
        raster,
        criterion: request.criterion.criterion(),
        origins,
        off_raster,
        conflicts_between_fixed: conflicts,
        vars,
    })
}
