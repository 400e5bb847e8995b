//! Per-grant interference and aggregation per protected entity (README §1.2,
//! §1.4, §1.7, §2.3; upstream `aggregate_interference.py`, `interference.py`).

use spectrum_core::geodesy::GeoPoint;

use super::channels::{
    CBRS_HIGH_HZ, CBRS_LOW_HZ, Category, Entity, MHZ, contributes, protected_channels,
};
use super::grid::grid_polygon;
use super::masks::{esc_mask_loss, fss_mask_loss};
use super::records::{FssRecord, GwpzRecord, PalRecord, PpaRecord};
use crate::error::InterferenceError;

/// A grant with the registration of its CBSD.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// Top-level `id` of the CBSD record.
    pub cbsd_id: String,
    /// CBSD category.
    pub category: Category,
    /// CBSD latitude, degrees.
    pub lat_deg: f64,
    /// CBSD longitude, degrees.
    pub lon_deg: f64,
    /// Antenna height, m.
    pub height_m: f64,
    /// CBSD antenna gain, dBi.
    pub antenna_gain_dbi: f64,
    /// Antenna azimuth, degrees, if given.
    pub antenna_azimuth_deg: Option<f64>,
    /// Antenna beamwidth, degrees, if given.
    pub antenna_beamwidth_deg: Option<f64>,
    /// Maximum EIRP, dBm/MHz.
    pub max_eirp_dbm_mhz: f64,
    /// Grant low edge, Hz.
    pub low_hz: f64,
    /// Grant high edge, Hz.
    pub high_hz: f64,
}

/// A protection constraint: a point, a frequency range and the entity type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constraint {
    /// Protection point latitude, degrees.
    pub lat_deg: f64,
    /// Protection point longitude, degrees.
    pub lon_deg: f64,
    /// Constraint low edge, Hz.
    pub low_hz: f64,
    /// Constraint high edge, Hz.
    pub high_hz: f64,
    /// Entity type.
    pub entity: Entity,
}

/// What the propagation/antenna model returns for a grant and a constraint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coupling {
    /// Path loss, dB.
    pub path_loss_db: f64,
    /// Effective antenna gain (CBSD pattern + incumbent antenna), dB.
    pub gain_db: f64,
}

/// Bandwidth in which the grant's EIRP is counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bandwidth {
    /// A fixed reference bandwidth, Hz.
    Fixed(f64),
    /// The grant bandwidth `g_hi − g_lo`.
    Grant,
    /// The overlap `min(g_hi, c_hi) − max(g_lo, c_lo)`.
    Overlap,
    /// `min(g_hi, c_hi) − g_lo` (reference FSS blocking).
    BelowConstraintTop,
}

/// Loss subtracted after the path loss.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Loss {
    /// A fixed loss, dB (0 for none).
    Fixed(f64),
    /// [`fss_mask_loss`] of the grant against the constraint.
    FssMask,
    /// [`esc_mask_loss`] of the constraint.
    EscMask,
}

/// Which set of EIRP rules to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// The fake model of the upstream unit test (README §1.2): 5 MHz reference
    /// bandwidth (grant bandwidth for FSS blocking), 0.5 dB for FSS and ESC.
    UnitTest,
    /// The reference model's bandwidths and losses (README §1.2, §2.3):
    /// overlap bandwidth and 0.5 dB for FSS co-channel, overlap for GWPZ,
    /// `min(g_hi, c_hi) − g_lo` and the FSS mask for FSS blocking, the ESC mask
    /// in 5 MHz for ESC, 5 MHz for PPA.
    Reference,
}

/// Bandwidth and loss for one entity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EirpRule {
    /// Bandwidth of the EIRP.
    pub bandwidth: Bandwidth,
    /// Loss after the path loss.
    pub loss: Loss,
}

impl EirpRule {
    /// The rule of `model` for `entity`.
    ///
    /// ```
    /// use interference::cbrs::{Bandwidth, EirpRule, Entity, Loss, Model};
    /// let r = EirpRule::of(Model::UnitTest, Entity::FssBlocking);
    /// assert_eq!(r, EirpRule { bandwidth: Bandwidth::Grant, loss: Loss::Fixed(0.5) });
    /// ```
    pub fn of(model: Model, entity: Entity) -> Self {
        let five = Bandwidth::Fixed(5.0 * MHZ);
        let (bandwidth, loss) = match (model, entity) {
            (Model::UnitTest, Entity::Ppa | Entity::Gwpz) => (five, Loss::Fixed(0.0)),
            (Model::UnitTest, Entity::FssCoChannel | Entity::Esc) => (five, Loss::Fixed(0.5)),
            (Model::UnitTest, Entity::FssBlocking) => (Bandwidth::Grant, Loss::Fixed(0.5)),
            (Model::Reference, Entity::Ppa) => (five, Loss::Fixed(0.0)),
            (Model::Reference, Entity::Gwpz) => (Bandwidth::Overlap, Loss::Fixed(0.0)),
            (Model::Reference, Entity::FssCoChannel) => (Bandwidth::Overlap, Loss::Fixed(0.5)),
            (Model::Reference, Entity::FssBlocking) => {
                (Bandwidth::BelowConstraintTop, Loss::FssMask)
            }
            (Model::Reference, Entity::Esc) => (five, Loss::EscMask),
        };
        Self { bandwidth, loss }
    }
}

/// Interference in dBm of one grant at one constraint, evaluated in the order
/// of README §1.7: `E = ((maxEirp − antennaGain) + G) + 10·log10(B/1 MHz)`,
/// `I = (E − PL) − loss`.
///
/// ```
/// use interference::cbrs::*;
/// let g = Grant { cbsd_id: "d".into(), category: Category::B, lat_deg: 0.0, lon_deg: 0.0,
///     height_m: 10.0, antenna_gain_dbi: 0.0, antenna_azimuth_deg: None,
///     antenna_beamwidth_deg: None, max_eirp_dbm_mhz: 37.0, low_hz: 3650e6, high_hz: 3660e6 };
/// let c = Constraint { lat_deg: 0.0, lon_deg: 0.0, low_hz: 3650e6, high_hz: 3655e6,
///     entity: Entity::Ppa };
/// let cp = Coupling { path_loss_db: 50.0, gain_db: 10.0 };
/// let i = interference_dbm(&g, &c, &EirpRule::of(Model::UnitTest, Entity::Ppa), cp).unwrap();
/// assert!((i - (47.0 + 10.0 * 5f64.log10() - 50.0)).abs() < 1e-12);
/// ```
pub fn interference_dbm(
    grant: &Grant,
    constraint: &Constraint,
    rule: &EirpRule,
    coupling: Coupling,
) -> Result<f64, InterferenceError> {
    let (g, c) = (
        (grant.low_hz, grant.high_hz),
        (constraint.low_hz, constraint.high_hz),
    );
    let bw = match rule.bandwidth {
        Bandwidth::Fixed(b) => b,
        Bandwidth::Grant => g.1 - g.0,
        Bandwidth::Overlap => g.1.min(c.1) - g.0.max(c.0),
        Bandwidth::BelowConstraintTop => g.1.min(c.1) - g.0,
    };
    let loss = match rule.loss {
        Loss::Fixed(l) => l,
        Loss::FssMask => fss_mask_loss(g, c)?,
        Loss::EscMask => esc_mask_loss(c)?,
    };
    let eirp = ((grant.max_eirp_dbm_mhz - grant.antenna_gain_dbi) + coupling.gain_db)
        + 10.0 * (bw / MHZ).log10();
    let i = eirp - coupling.path_loss_db;
    Ok(if loss == 0.0 { i } else { i - loss })
}

/// Aggregate interference at one protection point of one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct PointAggregate {
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Aggregate in mW, one value per channel of [`EntityAggregate::channels`].
    pub mw: Vec<f64>,
}

/// Aggregate interference of one entity: channels and points.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityAggregate {
    /// The entity.
    pub entity: Entity,
    /// Protected channels `(low, high)`, Hz.
    pub channels: Vec<(f64, f64)>,
    /// One entry per protection point.
    pub points: Vec<PointAggregate>,
}

/// Aggregate `Σ 10^(I/10)` mW per channel at one point over the grants that
/// are in the neighbourhood (geodesic, ≤) and contribute to the channel
/// (strict overlap, ESC Cat A rule); 0 for a channel without contributors.
/// `coupling` is the propagation/antenna model.
pub fn aggregate_at_point<F>(
    entity: Entity,
    point: GeoPoint,
    channels: &[(f64, f64)],
    grants: &[Grant],
    model: Model,
    coupling: &F,
) -> Result<Vec<f64>, InterferenceError>
where
    F: Fn(&Grant, &Constraint) -> Coupling,
{
    let rule = EirpRule::of(model, entity);
    let near: Vec<&Grant> = grants
        .iter()
        .filter(|g| entity.in_neighbourhood(g.category, GeoPoint::new(g.lat_deg, g.lon_deg), point))
        .collect();
    let mut out = Vec::with_capacity(channels.len());
    for &(lo, hi) in channels {
        let c = Constraint {
            lat_deg: point.lat_deg,
            lon_deg: point.lon_deg,
            low_hz: lo,
            high_hz: hi,
            entity,
        };
        let mut sum = 0.0;
        for g in near
            .iter()
            .filter(|g| contributes(entity, g.category, (g.low_hz, g.high_hz), (lo, hi)))
        {
            let i = interference_dbm(g, &c, &rule, coupling(g, &c))?;
            sum += 10f64.powf(i / 10.0);
        }
        out.push(sum);
    }
    Ok(out)
}

fn invalid(field: &str, expected: &str, found: String) -> InterferenceError {
    InterferenceError::Invalid {
        field: field.to_string(),
        expected: expected.to_string(),
        found,
    }
}

/// FSS co-channel channels: `protected_channels(fss_lo, 3700 MHz)`; an error
/// when the FSS passband ends below 3700 MHz.
pub fn fss_co_channel_channels(fss: &FssRecord) -> Result<Vec<(f64, f64)>, InterferenceError> {
    if fss.high_hz < CBRS_HIGH_HZ {
        return Err(invalid(
            "fss.highFrequency",
            "an FSS passband reaching 3700 MHz",
            format!("{} Hz", fss.high_hz),
        ));
    }
    Ok(protected_channels(fss.low_hz, CBRS_HIGH_HZ))
}

/// FSS blocking channel: the single range `[3550 MHz, fss_lo]`; an error when
/// `fss_lo ≥ 3700 MHz`, `fss_hi ≤ 4200 MHz` and the FSS is not TT&C.
pub fn fss_blocking_channels(fss: &FssRecord) -> Result<Vec<(f64, f64)>, InterferenceError> {
    if fss.low_hz >= CBRS_HIGH_HZ && fss.high_hz <= 4200.0 * MHZ && !fss.ttc {
        return Err(invalid(
            "fss",
            "a TT&C FSS or a passband below 3700 MHz or above 4200 MHz",
            format!("[{}, {}] Hz, ttc false", fss.low_hz, fss.high_hz),
        ));
    }
    Ok(vec![(CBRS_LOW_HZ, fss.low_hz)])
}

/// ESC channels: `protected_channels(3550, 3680 MHz)`.
pub fn esc_channels() -> Vec<(f64, f64)> {
    protected_channels(CBRS_LOW_HZ, 3680.0 * MHZ)
}

fn single(
    entity: Entity,
    point: GeoPoint,
    channels: Vec<(f64, f64)>,
    grants: &[Grant],
    model: Model,
    coupling: &impl Fn(&Grant, &Constraint) -> Coupling,
) -> Result<EntityAggregate, InterferenceError> {
    let mw = aggregate_at_point(entity, point, &channels, grants, model, coupling)?;
    Ok(EntityAggregate {
        entity,
        channels,
        points: vec![PointAggregate {
            lat_deg: point.lat_deg,
            lon_deg: point.lon_deg,
            mw,
        }],
    })
}

fn gridded(
    entity: Entity,
    zone: &geo::Polygon<f64>,
    channels: Vec<(f64, f64)>,
    grants: &[Grant],
    model: Model,
    coupling: &impl Fn(&Grant, &Constraint) -> Coupling,
) -> Result<EntityAggregate, InterferenceError> {
    let points = grid_polygon(zone, 2.0)
        .into_iter()
        .map(|(lat, lon)| {
            let mw = aggregate_at_point(
                entity,
                GeoPoint::new(lat, lon),
                &channels,
                grants,
                model,
                coupling,
            )?;
            Ok(PointAggregate {
                lat_deg: lat,
                lon_deg: lon,
                mw,
            })
        })
        .collect::<Result<Vec<_>, InterferenceError>>()?;
    Ok(EntityAggregate {
        entity,
        channels,
        points,
    })
}

/// Aggregate interference at an FSS earth station, co-channel.
pub fn aggregate_fss_co_channel(
    fss: &FssRecord,
    grants: &[Grant],
    model: Model,
    coupling: &impl Fn(&Grant, &Constraint) -> Coupling,
) -> Result<EntityAggregate, InterferenceError> {
    let ch = fss_co_channel_channels(fss)?;
    single(
        Entity::FssCoChannel,
        GeoPoint::new(fss.lat_deg, fss.lon_deg),
        ch,
        grants,
        model,
        coupling,
    )
}

/// Aggregate interference at an FSS earth station, blocking.
pub fn aggregate_fss_blocking(
    fss: &FssRecord,
    grants: &[Grant],
    model: Model,
    coupling: &impl Fn(&Grant, &Constraint) -> Coupling,
) -> Result<EntityAggregate, InterferenceError> {
    let ch = fss_blocking_channels(fss)?;
    single(
        Entity::FssBlocking,
        GeoPoint::new(fss.lat_deg, fss.lon_deg),
        ch,
        grants,
        model,
        coupling,
    )
}

/// Aggregate interference at an ESC sensor.
pub fn aggregate_esc(
    esc_point: GeoPoint,
    grants: &[Grant],
    model: Model,
    coupling: &impl Fn(&Grant, &Constraint) -> Coupling,
) -> Result<EntityAggregate, InterferenceError> {
    single(
        Entity::Esc,
        esc_point,
        esc_channels(),
        grants,
        model,
        coupling,
    )
}

/// Aggregate interference over a PPA's 2″ grid, on the channels of the PAL
/// `palId[0]`, without the CBSDs of the PPA cluster list. Errors when `pal`
/// is not the PPA's first PAL.
pub fn aggregate_ppa(
    ppa: &PpaRecord,
    pal: &PalRecord,
    grants: &[Grant],
    model: Model,
    coupling: &impl Fn(&Grant, &Constraint) -> Coupling,
) -> Result<EntityAggregate, InterferenceError> {
    if ppa.pal_ids.first() != Some(&pal.pal_id) {
        return Err(invalid(
            "ppaInfo.palId[0]",
            &format!("{:?}", pal.pal_id),
            format!("{:?}", ppa.pal_ids),
        ));
    }
    let kept: Vec<Grant> = grants
        .iter()
        .filter(|g| !ppa.cluster.contains(&g.cbsd_id))
        .cloned()
        .collect();
    let ch = protected_channels(pal.low_hz, pal.high_hz);
    gridded(Entity::Ppa, &ppa.zone, ch, &kept, model, coupling)
}

/// Aggregate interference over a GWPZ's 2″ grid.
pub fn aggregate_gwpz(
    gwpz: &GwpzRecord,
    grants: &[Grant],
    model: Model,
    coupling: &impl Fn(&Grant, &Constraint) -> Coupling,
) -> Result<EntityAggregate, InterferenceError> {
    let ch = protected_channels(gwpz.low_hz, gwpz.high_hz);
    gridded(Entity::Gwpz, &gwpz.zone, ch, grants, model, coupling)
}
