//! The pairwise constraints of a plan (separations, interference, duplex,
//! off-raster neighbours), and its solution read back: one row per
//! assignment with its new frequency and the reason for its channel, as an
//! Arrow batch for the register's sink, and the register updated.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema};
use stations::model::AssignmentStatus;
use stations::register::Register;

use spectrum_core::geodesy::{GeoPoint, inverse};
use stations::model::Assignment;

use super::{ChannelRaster, FixedConflict, OffRasterExclusion, Origin, Plan, PlanError};
use crate::instance::{Constraint, Op};

/// What the plan did to an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    /// A licensed assignment, kept on its channel.
    KeptLicensed,
    /// A planned assignment given a channel on its current frequency.
    Assigned,
    /// A planned assignment given a channel on another frequency.
    Moved,
    /// A planned assignment the solution gives no channel.
    Unassigned,
}

impl RowStatus {
    /// `kept: licensed`, `assigned`, `moved` or `unassigned`.
    pub fn name(self) -> &'static str {
        match self {
            RowStatus::KeptLicensed => "kept: licensed",
            RowStatus::Assigned => "assigned",
            RowStatus::Moved => "moved",
            RowStatus::Unassigned => "unassigned",
        }
    }
}

/// One assignment of the plan after solving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    /// Assignment id.
    pub id: String,
    /// Frequency in the register, Hz.
    pub old_freq_hz: u64,
    /// Frequency after the plan, Hz (the old one when unassigned).
    pub new_freq_hz: u64,
    /// The channel (1-based), when it has one.
    pub channel: Option<u32>,
    /// True when the frequency changes.
    pub moved: bool,
    /// What the plan did.
    pub status: RowStatus,
    /// Why this channel: the constraints that bind it, in plain language.
    pub reason: String,
}

/// A site distance in words.
fn distance_text(km: f64) -> String {
    if km < 0.001 {
        "co-site with".to_owned()
    } else if km < 10.0 {
        format!("{km:.1} km from")
    } else {
        format!("{km:.0} km from")
    }
}

impl Plan {
    /// One row per variable of the plan (movable or fixed), in variable order,
    /// for `solution` (variable id → channel).
    pub fn update(&self, solution: &BTreeMap<u32, u32>) -> Vec<PlanRow> {
        let mut touching: Vec<Vec<usize>> = vec![Vec::new(); self.ids.len()];
        for (n, c) in self.instance.constraints.iter().enumerate() {
            for v in [c.x, c.y] {
                if let Some(list) = touching.get_mut(v as usize) {
                    list.push(n);
                }
            }
        }
        let mut excluded: Vec<Vec<usize>> = vec![Vec::new(); self.ids.len()];
        for (n, e) in self.off_raster.iter().enumerate() {
            if let Some(list) = excluded.get_mut(e.variable as usize) {
                list.push(n);
            }
        }
        let empty = Vec::new();
        (0..self.ids.len())
            .map(|v| {
                let var = u32::try_from(v).unwrap_or(u32::MAX);
                let info = &self.vars[v];
                let initial = self
                    .instance
                    .variables
                    .get(v)
                    .and_then(|x| x.initial)
                    .map(|(c, _)| c);
                let channel = if info.fixed {
                    initial
                } else {
                    solution.get(&var).copied()
                };
                let new_freq_hz = channel
                    .and_then(|c| self.raster.centre_hz(c))
                    .unwrap_or(info.old_freq_hz);
                let moved = new_freq_hz != info.old_freq_hz;
                let status = match (info.fixed, channel, moved) {
                    (true, _, _) => RowStatus::KeptLicensed,
                    (false, None, _) => RowStatus::Unassigned,
                    (false, Some(_), true) => RowStatus::Moved,
                    (false, Some(_), false) => RowStatus::Assigned,
                };
                let reason = match channel {
                    None => "the solution gives it no channel".to_owned(),
                    Some(c) => self.reason(
                        var,
                        c,
                        solution,
                        touching.get(v).unwrap_or(&empty),
                        excluded.get(v).unwrap_or(&empty),
                    ),
                };
                PlanRow {
                    id: self.ids[v].clone(),
                    old_freq_hz: info.old_freq_hz,
                    new_freq_hz,
                    channel,
                    moved,
                    status,
                    reason,
                }
            })
            .collect()
    }

    /// The channel of variable `v` under `solution` (fixed ones keep theirs).
    fn channel_of(&self, v: u32, solution: &BTreeMap<u32, u32>) -> Option<u32> {
        let info = self.vars.get(v as usize)?;
        if info.fixed {
            self.instance
                .variables
                .get(v as usize)
                .and_then(|x| x.initial)
                .map(|(c, _)| c)
        } else {
            solution.get(&v).copied()
        }
    }

    /// The binding constraints of variable `v` on channel `c`, in words.
    fn reason(
        &self,
        v: u32,
        c: u32,
        solution: &BTreeMap<u32, u32>,
        constraints: &[usize],
        exclusions: &[usize],
    ) -> String {
        let mut spacing = Vec::new();
        let mut duplex = Vec::new();
        for &n in constraints {
            let (Some(k), Some(origin)) = (self.instance.constraints.get(n), self.origins.get(n))
            else {
                continue;
            };
            let other = if k.x == v { k.y } else { k.x };
            let Some(co) = self.channel_of(other, solution) else {
                continue;
            };
            let name = self.ids.get(other as usize).map_or("?", String::as_str);
            let tight = match k.op {
                Op::Gt => c.abs_diff(co) == k.k + 1,
                Op::Eq => true,
            };
            if !tight {
                continue;
            }
            match *origin {
                Origin::Separation {
                    distance_km,
                    channels,
                } => spacing.push(format!(
                    "{} {name} ({})",
                    distance_text(distance_km),
                    rule_text(channels)
                )),
                Origin::Interference { .. } => spacing.push(format!(
                    "interference with {name} (must not share a channel)"
                )),
                Origin::Duplex { .. } => duplex.push(format!(
                    "duplex with {name} ({:+} channels)",
                    i64::from(c) - i64::from(co)
                )),
            }
        }
        for &n in exclusions {
            if let Some(e) = self.off_raster.get(n)
                && e.channels.iter().any(|&x| x.abs_diff(c) == 1)
            {
                spacing.push(format!(
                    "next to the band of off-raster {} ({} km, {})",
                    e.id,
                    format_args!("{:.1}", e.distance_km),
                    e.rule
                ));
            }
        }
        let fixed = self.vars.get(v as usize).is_some_and(|x| x.fixed);
        let groups: Vec<String> = [spacing, duplex]
            .into_iter()
            .filter(|g| !g.is_empty())
            .map(|g| g.join(", "))
            .collect();
        let total = constraints.len() + exclusions.len();
        match (fixed, groups.is_empty()) {
            (true, true) => format!("channel {c}: licensed, kept on its frequency"),
            (true, false) => format!(
                "channel {c}: licensed, kept on its frequency; {}",
                groups.join("; ")
            ),
            (false, false) => format!("channel {c}: {}", groups.join("; ")),
            (false, true) if self.lowest_free(v, c, solution, constraints) => {
                format!("channel {c}: lowest channel free of its {total} constraints")
            }
            (false, true) => {
                format!("channel {c}: free of its {total} constraints, none of them tight")
            }
        }
    }

    /// True when no lower channel of `v`'s domain satisfies its constraints.
    fn lowest_free(
        &self,
        v: u32,
        c: u32,
        solution: &BTreeMap<u32, u32>,
        constraints: &[usize],
    ) -> bool {
        let Some(domain) = self.instance.domains.get(&v) else {
            return false;
        };
        !domain.iter().take_while(|&&x| x < c).any(|&x| {
            constraints.iter().all(|&n| {
                self.instance.constraints.get(n).is_none_or(|k| {
                    let other = if k.x == v { k.y } else { k.x };
                    self.channel_of(other, solution)
                        .is_none_or(|co| k.holds(x, co))
                })
            })
        })
    }

    /// The register with the new frequency of every planned assignment the
    /// solution gives a channel (everything else unchanged).
    pub fn apply(&self, register: &Register, solution: &BTreeMap<u32, u32>) -> Register {
        let new: HashMap<String, u64> = self
            .update(solution)
            .into_iter()
            .filter(|r| matches!(r.status, RowStatus::Moved | RowStatus::Assigned))
            .map(|r| (r.id, r.new_freq_hz))
            .collect();
        let mut out = register.clone();
        for a in &mut out.assignments {
            if a.status == AssignmentStatus::Planned
                && let Some(&f) = new.get(&a.id)
            {
                a.freq_hz = f;
            }
        }
        out
    }
}

/// The rows as one record batch: `id, old_freq_hz, new_freq_hz, channel,
/// moved, status, reason` (for `stations::write::write_batch`, CSV or Parquet).
pub fn update_batch(rows: &[PlanRow]) -> Result<RecordBatch, PlanError> {
    let text = |f: &dyn Fn(&PlanRow) -> String| -> ArrayRef {
        Arc::new(StringArray::from(
            rows.iter().map(f).collect::<Vec<String>>(),
        ))
    };
    let columns: Vec<(Field, ArrayRef)> = vec![
        (
            Field::new("id", DataType::Utf8, false),
            text(&|r| r.id.clone()),
        ),
        (
            Field::new("old_freq_hz", DataType::UInt64, false),
            Arc::new(UInt64Array::from_iter_values(
                rows.iter().map(|r| r.old_freq_hz),
            )),
        ),
        (
            Field::new("new_freq_hz", DataType::UInt64, false),
            Arc::new(UInt64Array::from_iter_values(
                rows.iter().map(|r| r.new_freq_hz),
            )),
        ),
        (
            Field::new("channel", DataType::UInt32, true),
            Arc::new(UInt32Array::from(
                rows.iter().map(|r| r.channel).collect::<Vec<_>>(),
            )),
        ),
        (
            Field::new("moved", DataType::Boolean, false),
            Arc::new(BooleanArray::from(
                rows.iter().map(|r| r.moved).collect::<Vec<_>>(),
            )),
        ),
        (
            Field::new("status", DataType::Utf8, false),
            text(&|r| r.status.name().to_owned()),
        ),
        (
            Field::new("reason", DataType::Utf8, false),
            text(&|r| r.reason.clone()),
        ),
    ];
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns.into_iter().unzip();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}

/// How a selected assignment takes part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Role {
    Movable(u32),
    Fixed(u32, u32),
    OffRaster,
}

/// Offsets of an assignment's occupied band from its centre: (below, above).
fn half_widths(a: &Assignment) -> (u64, u64) {
    let (lo, hi) = a.occupied_hz();
    (a.freq_hz.saturating_sub(lo), hi.saturating_sub(a.freq_hz))
}

/// Signed gap between two bands (negative when they overlap), Hz.
fn gap_hz(a: (u64, u64), b: (u64, u64)) -> i128 {
    let (a0, a1, b0, b1) = (
        i128::from(a.0),
        i128::from(a.1),
        i128::from(b.0),
        i128::from(b.1),
    );
    (b0 - a1).max(a0 - b1)
}

/// Band of `a` when centred on `centre`.
pub(super) fn band_at(a: &Assignment, centre: u64) -> (u64, u64) {
    let (below, above) = half_widths(a);
    (centre.saturating_sub(below), centre.saturating_add(above))
}

pub(super) fn distance_km(a: &Assignment, b: &Assignment) -> f64 {
    let p = |x: &Assignment| GeoPoint::new(x.station.site.lat_deg, x.station.site.lon_deg);
    inverse(p(a), p(b)).dist_m / 1000.0
}

fn rule_text(channels: u32) -> String {
    if channels <= 1 {
        "must not share a channel".to_owned()
    } else {
        format!("needs ≥ {channels} channels apart")
    }
}

/// The constraints being built.
pub(super) struct Builder<'a> {
    pub(super) selected: &'a [&'a Assignment],
    pub(super) roles: &'a [Role],
    pub(super) raster: ChannelRaster,
    pub(super) domains: Vec<BTreeSet<u32>>,
    pub(super) constraints: Vec<Constraint>,
    pub(super) origins: Vec<Origin>,
    pub(super) off_raster: Vec<OffRasterExclusion>,
    pub(super) conflicts: Vec<FixedConflict>,
}

impl Builder<'_> {
    fn conflict(&mut self, i: usize, j: usize, d: f64, rule: String) {
        self.conflicts.push(FixedConflict {
            first: self.selected[i].id.clone(),
            second: self.selected[j].id.clone(),
            distance_km: d,
            rule,
        });
    }

    /// Removes from variable `v` the channels `bad` rejects,
    /// on account of off-raster assignment `j`.
    fn exclude(&mut self, v: u32, j: usize, d: f64, rule: String, bad: impl Fn(u32) -> bool) {
        let Some(domain) = self.domains.get_mut(v as usize) else {
            return;
        };
        let removed: Vec<u32> = domain.iter().copied().filter(|&c| bad(c)).collect();
        for c in &removed {
            domain.remove(c);
        }
        if !removed.is_empty() {
            self.off_raster.push(OffRasterExclusion {
                variable: v,
                id: self.selected[j].id.clone(),
                distance_km: d,
                rule,
                channels: removed,
            });
        }
    }

    pub(super) fn separation(&mut self, i: usize, j: usize, need: u32, d: f64, origin: Origin) {
        let (a, b) = (self.selected[i], self.selected[j]);
        let min_gap = i128::from(need.saturating_sub(1)) * i128::from(self.raster.step_hz);
        let rule = rule_text(need);
        match (self.roles[i], self.roles[j]) {
            (Role::Fixed(_, ci), Role::Fixed(_, cj)) => {
                if ci.abs_diff(cj) < need {
                    self.conflict(i, j, d, format!("{rule}, but on channels {ci} and {cj}"));
                }
            }
            (Role::Movable(x) | Role::Fixed(x, _), Role::Movable(y) | Role::Fixed(y, _)) => {
                self.constraints.push(Constraint {
                    x,
                    y,
                    kind: 'C',
                    op: Op::Gt,
                    k: need - 1,
                    weight: 0,
                });
                self.origins.push(origin);
            }
            (Role::OffRaster, Role::OffRaster) => {
                if gap_hz(a.occupied_hz(), b.occupied_hz()) < min_gap {
                    self.conflict(i, j, d, format!("{rule}, but their bands are closer"));
                }
            }
            (own, Role::OffRaster) | (Role::OffRaster, own) => {
                let (on, off) = if own == self.roles[i] { (i, j) } else { (j, i) };
                let (s_on, s_off) = (self.selected[on], self.selected[off].occupied_hz());
                let raster = self.raster;
                let bad = move |c: u32| {
                    gap_hz(band_at(s_on, raster.centre_hz(c).unwrap_or(0)), s_off) < min_gap
                };
                match own {
                    Role::Fixed(_, c) if bad(c) => self.conflict(
                        i,
                        j,
                        d,
                        format!("{rule}, but the off-raster band is closer"),
                    ),
                    Role::Movable(v) => self.exclude(v, off, d, rule, bad),
                    _ => {}
                }
            }
        }
    }

    pub(super) fn duplex(&mut self, i: usize, j: usize, dx: u32) {
        let d = distance_km(self.selected[i], self.selected[j]);
        let step = u64::from(dx).saturating_mul(self.raster.step_hz);
        let rule = format!("duplex, {dx} channels apart");
        match (self.roles[i], self.roles[j]) {
            (Role::Fixed(_, ci), Role::Fixed(_, cj)) => {
                if ci.abs_diff(cj) != dx {
                    self.conflict(i, j, d, format!("{rule}, but on channels {ci} and {cj}"));
                }
            }
            (Role::Movable(x) | Role::Fixed(x, _), Role::Movable(y) | Role::Fixed(y, _)) => {
                self.constraints.push(Constraint {
                    x,
                    y,
                    kind: 'D',
                    op: Op::Eq,
                    k: dx,
                    weight: 0,
                });
                self.origins.push(Origin::Duplex { channels: dx });
            }
            (Role::OffRaster, Role::OffRaster) => {
                if self.selected[i].freq_hz.abs_diff(self.selected[j].freq_hz) != step {
                    self.conflict(i, j, d, format!("{rule}, but {} Hz apart", step));
                }
            }
            (own, Role::OffRaster) | (Role::OffRaster, own) => {
                let off = if own == self.roles[i] { j } else { i };
                let f_off = self.selected[off].freq_hz;
                let raster = self.raster;
                let bad = move |c: u32| raster.centre_hz(c).unwrap_or(0).abs_diff(f_off) != step;
                match own {
                    Role::Fixed(_, c) if bad(c) => {
                        self.conflict(i, j, d, format!("{rule}, but off the raster"))
                    }
                    Role::Movable(v) => self.exclude(v, off, d, rule, bad),
                    _ => {}
                }
            }
        }
    }
}
