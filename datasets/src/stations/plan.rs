//! The catalogue behind the generated register: operators, emission
//! designators, channel plans (checked against the sample table at run time)
//! and the towns and airports stations stand around.

use allocation_table::Category;
use allocation_table::model::{Status, Table};
use allocation_table::service::RadioService;
use stations::compliance::admits;
use stations::emission::Emission;
use stations::model::{Operator, OperatorKind, UserKind};

use super::GenerateError;

/// Emission designators used, indexed by the `E_*` constants.
pub(super) const CODES: [&str; 20] = [
    "5M00G7W", "10M0G7W", "15M0G7W", "20M0G7W", "40M0G7W", "200KG7W", "14M0D7W", "28M0D7W",
    "56M0D7W", "180KF8E", "7M61X7W", "8M00C7W", "12K5F3E", "6K25F1E", "25K0D7W", "3M00P0N",
    "1M00P0N", "6K00A3E", "20K0A9W", "16K0F3E",
];
pub(super) const E_LTE5: usize = 0;
pub(super) const E_LTE10: usize = 1;
pub(super) const E_LTE15: usize = 2;
pub(super) const E_LTE20: usize = 3;
pub(super) const E_NR40: usize = 4;
pub(super) const E_GSM: usize = 5;
pub(super) const E_FX14: usize = 6;
pub(super) const E_FX28: usize = 7;
pub(super) const E_FX56: usize = 8;
pub(super) const E_FM: usize = 9;
pub(super) const E_DVB: usize = 10;
pub(super) const E_TV8: usize = 11;
pub(super) const E_PMR12: usize = 12;
pub(super) const E_PMR6: usize = 13;
pub(super) const E_TETRA: usize = 14;
pub(super) const E_RADAR3: usize = 15;
pub(super) const E_RADAR1: usize = 16;
pub(super) const E_AIR: usize = 17;
pub(super) const E_VOR: usize = 18;
pub(super) const E_MIL: usize = 19;

/// Parses every designator of [`CODES`].
pub(super) fn emissions() -> Result<Vec<Emission>, GenerateError> {
    CODES
        .iter()
        .map(|&code| {
            Emission::parse(code).map_err(|e| GenerateError::Emission {
                code,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Operators, indexed by the `OP_*` constants: (name, kind, user, state share %).
pub(super) const OPERATORS: [(&str, OperatorKind, UserKind, Option<f64>); 18] = [
    ("Sky Mobile", OperatorKind::Network, UserKind::Civil, None),
    ("Alfa Telecom", OperatorKind::Network, UserKind::Civil, None),
    ("Nur Telecom", OperatorKind::Network, UserKind::Civil, None),
    (
        "Kyrgyztelecom",
        OperatorKind::National,
        UserKind::Civil,
        Some(100.0),
    ),
    ("Virtual One", OperatorKind::Virtual, UserKind::Civil, None),
    ("KTRK", OperatorKind::National, UserKind::Civil, Some(100.0)),
    (
        "Ala-Too Media",
        OperatorKind::Network,
        UserKind::Civil,
        None,
    ),
    ("Sanjyra FM", OperatorKind::Network, UserKind::Civil, None),
    (
        "Kyrgyz Temir Jolu",
        OperatorKind::Network,
        UserKind::Civil,
        Some(100.0),
    ),
    (
        "Bishkek City Taxi",
        OperatorKind::Network,
        UserKind::Civil,
        None,
    ),
    (
        "Ala-Too Security",
        OperatorKind::Network,
        UserKind::Civil,
        None,
    ),
    (
        "Chui Power Distribution",
        OperatorKind::Network,
        UserKind::Civil,
        Some(80.5),
    ),
    (
        "Ministry of Defence",
        OperatorKind::Network,
        UserKind::Government,
        None,
    ),
    (
        "Ministry of Emergency Situations",
        OperatorKind::Network,
        UserKind::Government,
        None,
    ),
    (
        "State Committee for National Security",
        OperatorKind::Network,
        UserKind::Government,
        None,
    ),
    (
        "State Border Service",
        OperatorKind::Network,
        UserKind::Government,
        None,
    ),
    (
        "Kyrgyzhydromet",
        OperatorKind::Network,
        UserKind::Government,
        None,
    ),
    // Air navigation: a state enterprise, government user (the aeronautical
    // radionavigation bands of the sample table are government bands, KG4).
    (
        "Kyrgyzaeronavigatsiya",
        OperatorKind::Network,
        UserKind::Government,
        Some(100.0),
    ),
];
pub(super) const OP_KT: usize = 3;
pub(super) const OP_VIRTUAL: usize = 4;
pub(super) const OP_KTRK: usize = 5;
pub(super) const OP_BROADCAST: [usize; 3] = [5, 6, 7];
pub(super) const OP_PMR: [usize; 4] = [8, 9, 10, 11];
pub(super) const OP_MOD: usize = 12;
pub(super) const OP_GOV: [usize; 4] = [12, 13, 14, 15];
pub(super) const OP_HYDROMET: usize = 16;
pub(super) const OP_KAN: usize = 17;

/// The operators as the register lists them.
pub(super) fn operators() -> Vec<Operator> {
    OPERATORS
        .iter()
        .map(|&(name, kind, user, state_share_pct)| Operator {
            name: name.to_owned(),
            kind,
            user,
            state_share_pct,
        })
        .collect()
}

/// A channel plan: `count` centres `first_hz + k·step_hz` of one emission for
/// one service and one category of user.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    /// Name in error messages.
    pub name: &'static str,
    /// Service of the assignments.
    pub service: RadioService,
    /// Index into [`CODES`].
    pub emission: usize,
    /// First centre, Hz.
    pub first_hz: u64,
    /// Raster, Hz.
    pub step_hz: u64,
    /// Number of channels.
    pub count: u64,
    /// Category of the users the plan is meant for.
    pub user: Category,
}

impl Plan {
    /// Centre of channel `k` (taken modulo the channel count).
    pub fn centre(&self, k: u64) -> u64 {
        self.first_hz + (k % self.count.max(1)) * self.step_hz
    }
}

/// Half the necessary bandwidth, whole hertz rounded up.
fn half_hz(e: &Emission) -> u64 {
    e.bandwidth_millihz().div_ceil(2000)
}

const MHZ: u64 = 1_000_000;
const KHZ: u64 = 1_000;

#[allow(clippy::too_many_arguments)]
fn fit(
    ems: &[Emission],
    name: &'static str,
    service: RadioService,
    emission: usize,
    user: Category,
    lo_hz: u64,
    hi_hz: u64,
    offset_hz: u64,
    step_hz: u64,
) -> Plan {
    let half = ems.get(emission).map_or(0, half_hz);
    let first_hz = lo_hz + offset_hz.max(half);
    let count = if first_hz + half <= hi_hz {
        (hi_hz - half - first_hz) / step_hz + 1
    } else {
        0
    };
    Plan {
        name,
        service,
        emission,
        first_hz,
        step_hz,
        count,
        user,
    }
}

fn fixed(
    name: &'static str,
    service: RadioService,
    emission: usize,
    user: Category,
    first_hz: u64,
    step_hz: u64,
    count: u64,
) -> Plan {
    Plan {
        name,
        service,
        emission,
        first_hz,
        step_hz,
        count,
        user,
    }
}

/// A cellular layer: one block per holder (`plan.centre(holder)`), or GSM
/// carriers from the holder's share of the plan.
#[derive(Debug, Clone, Copy)]
pub(super) struct Layer {
    /// The block plan.
    pub plan: Plan,
    /// Held by the national operator (else by the three network operators).
    pub national: bool,
    /// Probability that a site carries the layer.
    pub share: f64,
    /// GSM carriers (200 kHz) rather than one block.
    pub gsm: bool,
    /// Only in the larger towns.
    pub urban: bool,
}

/// Every plan of the generator.
#[derive(Debug, Clone)]
pub(super) struct Plans {
    pub cell: Vec<Layer>,
    /// Fixed links: (go, return) pairs, civil then government.
    pub fixed_civil: Vec<(Plan, Plan)>,
    pub fixed_gov: Vec<(Plan, Plan)>,
    pub fm: Plan,
    pub dvb: Plan,
    pub band3: Plan,
    pub pmr: Vec<Plan>,
    pub gov_lmr: Vec<Plan>,
    /// Radars: (plan, holder).
    pub radar: Vec<(Plan, usize)>,
    pub air_ground: Plan,
    pub vor: Plan,
    /// Deliberately wrong plans: amateur band, secondary band, across the
    /// 942 MHz edge, in the government 2570–2690 MHz band.
    pub bad_amateur: Plan,
    pub bad_secondary: Plan,
    pub bad_straddle: Plan,
    pub bad_category: Plan,
}

/// Builds the plans (every band edge below comes from the sample table).
#[rustfmt::skip]
pub(super) fn plans(ems: &[Emission]) -> Plans {
    use Category::{Civil, Government};
    use RadioService as S;
    let lm = S::LandMobile;
    let layer = |plan, national, share, gsm, urban| Layer { plan, national, share, gsm, urban };
    Plans {
        cell: vec![
            layer(fixed("LTE 800", lm, E_LTE10, Civil, 796 * MHZ, 10 * MHZ, 3), false, 0.8, false, false),
            layer(fixed("LTE 700", lm, E_LTE10, Civil, 763 * MHZ, 10 * MHZ, 3), false, 0.3, false, false),
            layer(fixed("GSM 900", lm, E_GSM, Civil, 942_200 * KHZ, 200 * KHZ, 87), false, 0.7, true, false),
            layer(fixed("LTE 900", lm, E_LTE5, Civil, 927_500 * KHZ, 5 * MHZ, 3), false, 0.3, false, false),
            layer(fixed("LTE 1800", lm, E_LTE20, Civil, 1815 * MHZ, 20 * MHZ, 3), false, 1.0, false, false),
            layer(fixed("LTE 2100", lm, E_LTE15, Civil, 2_117_500 * KHZ, 20 * MHZ, 3), false, 0.5, false, false),
            layer(fixed("TDD 2600", lm, E_LTE20, Civil, 2510 * MHZ, 20 * MHZ, 3), false, 0.4, false, true),
            layer(fixed("NR 3500", lm, E_NR40, Civil, 3420 * MHZ, 40 * MHZ, 3), false, 0.4, false, true),
            layer(fixed("LTE 450", lm, E_LTE5, Civil, 465 * MHZ, 5 * MHZ, 1), true, 1.0, false, false),
            layer(fixed("LTE 1800 national", lm, E_LTE10, Civil, 1870 * MHZ, 10 * MHZ, 1), true, 0.6, false, false),
            layer(fixed("TDD 2300", lm, E_LTE20, Civil, 2310 * MHZ, 20 * MHZ, 2), true, 0.7, false, false),
            layer(fixed("NR 3500 national", lm, E_NR40, Civil, 3560 * MHZ, 40 * MHZ, 1), true, 0.3, false, true),
        ],
        fixed_civil: vec![
            (fixed("6 GHz go", S::Fixed, E_FX28, Civil, 5_945_200 * KHZ, 29_650 * KHZ, 8),
             fixed("6 GHz return", S::Fixed, E_FX28, Civil, 6_197_240 * KHZ, 29_650 * KHZ, 8)),
            (fixed("4 GHz go", S::Fixed, E_FX56, Civil, 3640 * MHZ, 56 * MHZ, 5),
             fixed("4 GHz return", S::Fixed, E_FX56, Civil, 3920 * MHZ, 56 * MHZ, 5)),
            (fixed("4 GHz go (28 MHz)", S::Fixed, E_FX28, Civil, 3640 * MHZ, 56 * MHZ, 5),
             fixed("4 GHz return (28 MHz)", S::Fixed, E_FX28, Civil, 3920 * MHZ, 56 * MHZ, 5)),
        ],
        fixed_gov: vec![
            (fixed("4.5 GHz go", S::Fixed, E_FX28, Government, 4520 * MHZ, 28 * MHZ, 5),
             fixed("4.5 GHz return", S::Fixed, E_FX28, Government, 4660 * MHZ, 28 * MHZ, 5)),
            (fixed("2 GHz go", S::Fixed, E_FX14, Government, 2032 * MHZ, 14 * MHZ, 3),
             fixed("2 GHz return", S::Fixed, E_FX14, Government, 2074 * MHZ, 14 * MHZ, 3)),
        ],
        fm: fit(ems, "FM", S::Broadcasting, E_FM, Civil, 87_500 * KHZ, 108 * MHZ, 100 * KHZ, 100 * KHZ),
        dvb: fit(ems, "DVB-T2 UHF", S::Broadcasting, E_DVB, Civil, 470 * MHZ, 694 * MHZ, 4 * MHZ, 8 * MHZ),
        band3: fit(ems, "DVB-T2 band III", S::Broadcasting, E_TV8, Civil, 174 * MHZ, 230 * MHZ, 4 * MHZ, 8 * MHZ),
        pmr: vec![
            fit(ems, "PMR 146", lm, E_PMR12, Civil, 146 * MHZ, 149_900 * KHZ, 12_500, 12_500),
            fit(ems, "PMR 150", lm, E_PMR12, Civil, 150_050 * KHZ, 153 * MHZ, 12_500, 12_500),
            fit(ems, "PMR 154", lm, E_PMR12, Civil, 154 * MHZ, 174 * MHZ, 12_500, 12_500),
            fit(ems, "dPMR 154", lm, E_PMR6, Civil, 154 * MHZ, 174 * MHZ, 6_250, 6_250),
            fit(ems, "PMR 410", lm, E_PMR12, Civil, 410 * MHZ, 420 * MHZ, 12_500, 12_500),
            fit(ems, "dPMR 440", lm, E_PMR6, Civil, 440 * MHZ, 450 * MHZ, 6_250, 6_250),
            fit(ems, "PMR 440", lm, E_PMR12, Civil, 440 * MHZ, 450 * MHZ, 12_500, 12_500),
        ],
        gov_lmr: vec![
            fit(ems, "Government VHF 30", lm, E_MIL, Government, 30 * MHZ, 37_500 * KHZ, 25 * KHZ, 25 * KHZ),
            fit(ems, "Government 315", lm, E_PMR12, Government, 315 * MHZ, 322 * MHZ, 12_500, 12_500),
            fit(ems, "Government TETRA", S::Mobile, E_TETRA, Government, 380 * MHZ, 399_900 * KHZ, 25 * KHZ, 25 * KHZ),
            fit(ems, "Government 420", lm, E_PMR12, Government, 420 * MHZ, 430 * MHZ, 12_500, 12_500),
            fit(ems, "Government 154", lm, E_PMR12, Government, 154 * MHZ, 174 * MHZ, 12_500, 12_500),
        ],
        radar: vec![
            (fit(ems, "Radar S band", S::Radiolocation, E_RADAR3, Government, 2900 * MHZ, 3100 * MHZ, 10 * MHZ, 10 * MHZ), OP_MOD),
            (fit(ems, "Radar L band", S::Radiolocation, E_RADAR3, Government, 1215 * MHZ, 1300 * MHZ, 5 * MHZ, 5 * MHZ), OP_MOD),
            (fit(ems, "Radar UHF", S::Radiolocation, E_RADAR1, Government, 432 * MHZ, 438 * MHZ, MHZ, MHZ), OP_MOD),
            (fit(ems, "Weather radar", S::Radiolocation, E_RADAR1, Government, 5600 * MHZ, 5650 * MHZ, 5 * MHZ, 5 * MHZ), OP_HYDROMET),
            (fit(ems, "Airport surveillance radar", S::AeronauticalRadionavigation, E_RADAR3, Government, 2700 * MHZ, 2900 * MHZ, 10 * MHZ, 10 * MHZ), OP_KAN),
            (fit(ems, "En-route radar", S::AeronauticalRadionavigation, E_RADAR3, Government, 1300 * MHZ, 1350 * MHZ, 5 * MHZ, 5 * MHZ), OP_KAN),
        ],
        air_ground: fit(ems, "VHF air-ground", S::AeronauticalMobileR, E_AIR, Government, 117_975 * KHZ, 137 * MHZ, 25 * KHZ, 25 * KHZ),
        vor: fit(ems, "VOR/ILS", S::AeronauticalRadionavigation, E_VOR, Government, 108 * MHZ, 117_975 * KHZ, 50 * KHZ, 50 * KHZ),
        bad_amateur: fit(ems, "PMR in the amateur band", lm, E_PMR12, Civil, 144 * MHZ, 146 * MHZ, 12_500, 12_500),
        bad_secondary: fit(ems, "PMR in 403-406 MHz", lm, E_PMR12, Civil, 403 * MHZ, 406 * MHZ, 12_500, 12_500),
        bad_straddle: fixed("LTE across 942 MHz", lm, E_LTE5, Civil, 940 * MHZ, 500 * KHZ, 5),
        bad_category: fixed("LTE in 2570-2690 MHz", lm, E_LTE20, Civil, 2600 * MHZ, 20 * MHZ, 4),
    }
}

/// Checks that every channel of a conforming plan lies in one band of the
/// table where its service is allocated primary and its users' category is
/// admitted.
pub(super) fn check_plans(
    table: &Table,
    plans: &Plans,
    ems: &[Emission],
) -> Result<(), GenerateError> {
    let mut all: Vec<Plan> = plans.cell.iter().map(|l| l.plan).collect();
    for (go, back) in plans.fixed_civil.iter().chain(&plans.fixed_gov) {
        all.extend([*go, *back]);
    }
    all.extend([
        plans.fm,
        plans.dvb,
        plans.band3,
        plans.air_ground,
        plans.vor,
    ]);
    all.extend(plans.pmr.iter().copied());
    all.extend(plans.gov_lmr.iter().copied());
    all.extend(plans.radar.iter().map(|r| r.0));
    for p in &all {
        let fail = |reason: String| GenerateError::Plan {
            name: p.name,
            reason,
        };
        let half = ems.get(p.emission).map_or(0, half_hz);
        if p.count == 0 {
            return Err(fail("no channel fits".into()));
        }
        let lo = p.first_hz - half;
        let hi = p.centre(p.count - 1) + half;
        let bands = table.overlapping(lo, hi);
        let [band] = bands.as_slice() else {
            return Err(fail(format!(
                "{lo}-{hi} Hz is not inside one band of the table"
            )));
        };
        if band.lower_hz > lo || band.upper_hz < hi {
            return Err(fail(format!("{lo}-{hi} Hz leaves the band")));
        }
        let Some(alloc) = band
            .allocations
            .iter()
            .find(|a| a.status == Status::Primary && admits(a, p.service))
        else {
            return Err(fail(format!(
                "{} is not allocated primary",
                p.service.name()
            )));
        };
        match band.allocation_category(alloc) {
            Some(c) if c == Category::Joint || c == p.user => {}
            other => {
                return Err(fail(format!(
                    "band category {other:?} does not admit {:?}",
                    p.user
                )));
            }
        }
    }
    Ok(())
}

/// A town: (name, lat °N, lon °E, weight in the cellular network, hexagon
/// spacing at the centre in km, distance in km at which the spacing doubles).
#[rustfmt::skip]
pub(super) const TOWNS: [(&str, f64, f64, u32, f64, f64); 30] = [
    ("Bishkek", 42.8746, 74.5698, 300, 1.5, 10.0),
    ("Osh", 40.5283, 72.7985, 110, 1.8, 8.0),
    ("Jalal-Abad", 40.9333, 73.0017, 45, 2.2, 8.0),
    ("Karakol", 42.4907, 78.3936, 35, 2.2, 8.0),
    ("Tokmok", 42.8420, 75.3015, 30, 2.2, 8.0),
    ("Kara-Balta", 42.8147, 73.8489, 25, 2.5, 8.0),
    ("Kant", 42.8911, 74.8508, 20, 2.5, 8.0),
    ("Sokuluk", 42.8600, 74.3000, 15, 2.5, 8.0),
    ("Uzgen", 40.7699, 73.3007, 25, 2.5, 8.0),
    ("Naryn", 41.4287, 75.9911, 20, 2.5, 8.0),
    ("Talas", 42.5228, 72.2427, 20, 2.5, 8.0),
    ("Balykchy", 42.4603, 76.1872, 15, 3.0, 8.0),
    ("Cholpon-Ata", 42.6493, 77.0826, 20, 2.5, 8.0),
    ("Batken", 40.0625, 70.8194, 15, 3.0, 8.0),
    ("Kyzyl-Kiya", 40.2567, 72.1279, 15, 3.0, 8.0),
    ("Kara-Suu", 40.7048, 72.8698, 20, 2.5, 8.0),
    ("Toktogul", 41.8726, 72.9409, 12, 3.0, 8.0),
    ("Kerben", 41.4930, 71.7545, 12, 3.0, 8.0),
    ("Kochkor", 42.2147, 75.7550, 10, 3.5, 8.0),
    ("At-Bashy", 41.1702, 75.8066, 8, 4.0, 8.0),
    ("Isfana", 39.8389, 69.5277, 8, 3.0, 8.0),
    ("Bazar-Korgon", 41.0375, 72.7458, 10, 3.0, 8.0),
    ("Nookat", 40.2650, 72.6183, 10, 3.0, 8.0),
    ("Aravan", 40.5156, 72.5025, 8, 3.0, 8.0),
    ("Kemin", 42.7850, 75.6917, 8, 3.5, 8.0),
    ("Tyup", 42.7275, 78.3639, 6, 3.5, 8.0),
    ("Chaek", 41.9300, 74.5100, 6, 4.0, 8.0),
    ("Kazarman", 41.4000, 74.0300, 5, 4.0, 8.0),
    ("Sary-Tash", 39.7300, 73.2500, 4, 4.0, 8.0),
    ("Suusamyr", 42.1800, 73.9600, 4, 4.0, 8.0),
];

/// Airports: (name, lat °N, lon °E).
#[rustfmt::skip]
pub(super) const AIRPORTS: [(&str, f64, f64); 10] = [
    ("Manas", 43.0613, 74.4776),
    ("Osh", 40.6090, 72.7933),
    ("Issyk-Kul", 42.5881, 76.7130),
    ("Karakol", 42.5086, 78.4083),
    ("Naryn", 41.4420, 76.1310),
    ("Jalal-Abad", 40.9444, 72.9778),
    ("Batken", 40.0427, 70.8383),
    ("Talas", 42.5070, 72.2720),
    ("Kazarman", 41.4102, 74.0441),
    ("Isfana", 39.8346, 69.5896),
];
