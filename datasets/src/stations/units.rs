//! The units of the register (a cellular site, a fixed link, a broadcasting
//! site, a PMR or government base station, a radar, an airport's radios),
//! each written as a run of assignments, and the deliberate errors.

use allocation_table::Category;
use allocation_table::service::RadioService;
use chrono::{Days, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use stations::emission::Emission;
use stations::model::{Assignment, AssignmentStatus, Direction, Polarisation, Site, Station};
use stations::register::ProtectionDefaults;

use super::geo::{cos_deg, hex_spiral, sin_deg};
use super::plan::{
    AIRPORTS, E_GSM, OP_BROADCAST, OP_GOV, OP_KAN, OP_KT, OP_KTRK, OP_PMR, OPERATORS, Plan, Plans,
    TOWNS,
};
use crate::relief::ReliefGrid;

/// Country box (°): south, north, west, east, with a small margin inside the
/// 39.2–43.3°N, 69.2–80.3°E box of the brief.
pub(super) const BOX: (f64, f64, f64, f64) = (39.25, 43.25, 69.25, 80.25);

/// Everything the units share.
pub(super) struct Ctx {
    pub ems: Vec<Emission>,
    pub plans: Plans,
    pub relief: ReliefGrid,
    pub protection: ProtectionDefaults,
    pub chunks: u64,
    /// Multiplier of the hexagon spacing (smaller for large registers).
    pub spacing: f64,
    /// Town of each of the 1000 slots of the cellular network, and the
    /// town's slots before it.
    pub slots: Vec<(usize, u64)>,
    /// Slots per town.
    pub town_slots: Vec<u64>,
    pub dates: Dates,
}

/// Date ranges of licences.
pub(super) struct Dates {
    pub from0: NaiveDate,
    pub to0: NaiveDate,
    pub expired0: NaiveDate,
    pub issued_old: NaiveDate,
}

/// Licence status and dates of one unit.
#[derive(Debug, Clone)]
pub(super) struct Licence {
    status: AssignmentStatus,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    reference: Option<String>,
}

pub(super) fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// `lo + step·k` for a random `k` in `0..=n`.
fn grid(rng: &mut ChaCha8Rng, lo: f64, step: f64, n: u32) -> f64 {
    lo + step * f64::from(rng.random_range(0..=n))
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

impl Ctx {
    /// Builds the 1000-slot town table.
    pub fn town_slots() -> (Vec<(usize, u64)>, Vec<u64>) {
        let total: u64 = TOWNS.iter().map(|t| u64::from(t.3)).sum();
        let mut slots = Vec::with_capacity(1000);
        let mut per_town = vec![0_u64; TOWNS.len()];
        let mut cum = 0_u64;
        let mut town = 0;
        for s in 0..1000_u64 {
            while town + 1 < TOWNS.len() && s * total >= (cum + u64::from(TOWNS[town].3)) * 1000 {
                cum += u64::from(TOWNS[town].3);
                town += 1;
            }
            slots.push((town, per_town[town]));
            per_town[town] += 1;
        }
        (slots, per_town)
    }

    /// A site, clamped to the country box, with its ground height when the relief covers it.
    pub fn site(&self, lat: f64, lon: f64) -> Site {
        let lat = round6(lat.clamp(BOX.0, BOX.1));
        let lon = round6(lon.clamp(BOX.2, BOX.3));
        let g = &self.relief;
        let south = g.north_deg - g.step_deg * (g.height.saturating_sub(1)) as f64;
        let east = g.west_deg + g.step_deg * (g.width.saturating_sub(1)) as f64;
        let ground_m = if (south..=g.north_deg).contains(&lat) && (g.west_deg..=east).contains(&lon)
        {
            let row = ((g.north_deg - lat) / g.step_deg).round() as usize;
            let col = ((lon - g.west_deg) / g.step_deg).round() as usize;
            g.node_m(row, col).map(f64::from)
        } else {
            None
        };
        Site {
            lat_deg: lat,
            lon_deg: lon,
            ground_m,
        }
    }

    /// A point `(east, north)` km from (lat, lon).
    fn offset(lat: f64, lon: f64, east_km: f64, north_km: f64) -> (f64, f64) {
        (
            lat + north_km / 111.2,
            lon + east_km / (111.32 * cos_deg(lat)),
        )
    }

    /// A random point within `radius_km` of a random town (weighted).
    fn near_town(&self, rng: &mut ChaCha8Rng, radius_km: f64) -> (f64, f64) {
        let (town, _) = self.slots[rng.random_range(0..self.slots.len())];
        let t = TOWNS[town];
        let (x, y) = loop {
            let (x, y) = (
                2.0 * rng.random::<f64>() - 1.0,
                2.0 * rng.random::<f64>() - 1.0,
            );
            if x * x + y * y <= 1.0 {
                break (x, y);
            }
        };
        Self::offset(t.1, t.2, x * radius_km, y * radius_km)
    }

    /// Status, dates and reference of a new licence.
    pub fn licence(&self, rng: &mut ChaCha8Rng) -> Licence {
        let u: f64 = rng.random();
        if u < 0.04 {
            return Licence {
                status: AssignmentStatus::Planned,
                from: None,
                to: None,
                reference: None,
            };
        }
        let from = add_days(self.dates.from0, rng.random_range(0..2922));
        let to = add_days(self.dates.to0, rng.random_range(0..3287));
        let status = if u < 0.99 {
            AssignmentStatus::Licensed
        } else {
            AssignmentStatus::Suspended
        };
        let reference = format!(
            "KG-{}-{:06}",
            chrono::Datelike::year(&from),
            rng.random_range(0..1_000_000_u32)
        );
        Licence {
            status,
            from: Some(from),
            to: Some(to),
            reference: Some(reference),
        }
    }

    /// Category column: given (half the time) or left to the operator's user kind.
    fn category(rng: &mut ChaCha8Rng, op: usize) -> Option<Category> {
        rng.random_bool(0.5).then(|| OPERATORS[op].2.category())
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        out: &mut Vec<Assignment>,
        start: usize,
        op: usize,
        station: Station,
        freq_hz: u64,
        emission: usize,
        service: RadioService,
        category: Option<Category>,
        lic: &Licence,
    ) {
        let index = start + out.len();
        out.push(Assignment {
            id: format!("A{:07}", index + 1),
            operator: OPERATORS[op].0.to_owned(),
            station,
            freq_hz,
            emission: self.ems[emission].clone(),
            service,
            category,
            status: lic.status,
            valid_from: lic.from,
            valid_to: lic.to,
            licence: lic.reference.clone(),
            protection_i_n_db: self.protection.i_n_db(service),
            link: None,
            line: index + 2,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn plan_push(
        &self,
        out: &mut Vec<Assignment>,
        start: usize,
        op: usize,
        station: Station,
        plan: &Plan,
        k: u64,
        category: Option<Category>,
        lic: &Licence,
    ) {
        self.push(
            out,
            start,
            op,
            station,
            plan.centre(k),
            plan.emission,
            plan.service,
            category,
            lic,
        );
    }

    /// A base station: omni antenna, `gain`, `eirp`.
    fn base(
        site: Site,
        h: f64,
        gain: f64,
        eirp: f64,
        pol: Polarisation,
        direction: Direction,
    ) -> Station {
        Station {
            site,
            direction,
            antenna_height_m: h,
            gain_dbi: gain,
            pattern: None,
            azimuth_deg: 0.0,
            tilt_deg: 0.0,
            polarisation: Some(pol),
            eirp_dbm: direction.transmits().then_some(eirp),
            noise_figure_db: direction.receives().then_some(5.0),
            noise_dbm: None,
            emission_mask: None,
            rx_mask: None,
        }
    }

    /// Cellular site number `g`: three sectors with the layers of its operator.
    pub fn cell_site(&self, rng: &mut ChaCha8Rng, g: u64, start: usize, out: &mut Vec<Assignment>) {
        let (town, before) = self.slots[(g % 1000) as usize];
        let m = (g / 1000) * self.town_slots[town] + before;
        let (op, q) = ((m % 4) as usize, m / 4);
        let t = TOWNS[town];
        let (hx, hy) = hex_spiral(q);
        const OFFSETS: [(f64, f64); 4] = [(0.0, 0.0), (0.5, 0.29), (0.0, 0.58), (0.25, 0.43)];
        let (jx, jy) = (rng.random::<f64>() - 0.5, rng.random::<f64>() - 0.5);
        let d = t.4 * self.spacing;
        let (x, y) = (
            (hx + OFFSETS[op].0 + 0.3 * jx) * d,
            (hy + OFFSETS[op].1 + 0.3 * jy) * d,
        );
        let warp = 1.0 + (x * x + y * y).sqrt() / t.5;
        let (lat, lon) = Self::offset(t.1, t.2, x * warp, y * warp);
        let site = self.site(lat, lon);
        let height = grid(rng, 20.0, 1.0, 25);
        let lic = self.licence(rng);
        let urban = town < 3;
        let mut carriers: Vec<(Plan, u64)> = Vec::new();
        for layer in &self.plans.cell {
            if layer.national != (op == OP_KT)
                || (layer.urban && !urban)
                || !rng.random_bool(layer.share)
            {
                continue;
            }
            if layer.gsm {
                let share = layer.plan.count / 3;
                let first = rng.random_range(0..share);
                carriers.push((layer.plan, op as u64 * share + first));
                if rng.random_bool(0.5) {
                    carriers.push((layer.plan, op as u64 * share + (first + share / 2) % share));
                }
            } else if layer.national {
                for k in 0..layer.plan.count {
                    if k == 0 || rng.random_bool(0.5) {
                        carriers.push((layer.plan, k));
                    }
                }
            } else {
                carriers.push((layer.plan, op as u64));
            }
        }
        for sector in 0..3 {
            let station = Station {
                site,
                direction: Direction::TxRx,
                antenna_height_m: height,
                gain_dbi: if op == OP_KT { 15.5 } else { 17.0 },
                pattern: None,
                azimuth_deg: 120.0 * f64::from(sector),
                tilt_deg: grid(rng, 2.0, 0.5, 8),
                polarisation: Some(Polarisation::Dual),
                eirp_dbm: Some(grid(rng, 58.0, 0.1, 60)),
                noise_figure_db: Some(5.0),
                noise_dbm: None,
                emission_mask: None,
                rx_mask: None,
            };
            for (plan, k) in &carriers {
                let mut s = station.clone();
                if plan.emission == E_GSM {
                    s.eirp_dbm = s.eirp_dbm.map(|e| e - 3.0);
                }
                let category = Self::category(rng, op);
                self.plan_push(out, start, op, s, plan, *k, category, &lic);
            }
        }
    }

    /// A fixed link: go and return, each a transmitter at one end and a receiver at the other.
    pub fn fixed_link(&self, rng: &mut ChaCha8Rng, start: usize, out: &mut Vec<Assignment>) {
        let gov = rng.random_bool(0.3);
        let (op, pair) = if gov {
            (pick(rng, &OP_GOV), pick(rng, &self.plans.fixed_gov))
        } else {
            (rng.random_range(0..4), pick(rng, &self.plans.fixed_civil))
        };
        let (lat_a, lon_a) = self.near_town(rng, 25.0);
        let bearing = f64::from(rng.random_range(0..3600_u32)) / 10.0;
        let hop_km = grid(rng, 6.0, 0.5, 70);
        let (lat_b, lon_b) = Self::offset(
            lat_a,
            lon_a,
            hop_km * sin_deg(bearing),
            hop_km * cos_deg(bearing),
        );
        let (a, b) = (self.site(lat_a, lon_a), self.site(lat_b, lon_b));
        let gain = grid(rng, 30.0, 0.5, 24);
        let pol = if rng.random_bool(0.5) {
            Polarisation::Horizontal
        } else {
            Polarisation::Vertical
        };
        let (ha, hb) = (grid(rng, 20.0, 1.0, 40), grid(rng, 20.0, 1.0, 40));
        let eirp = gain + grid(rng, 24.0, 0.5, 12);
        let back = (bearing + 180.0) % 360.0;
        let end = |site, h, az, direction| Station {
            site,
            direction,
            antenna_height_m: h,
            gain_dbi: gain,
            pattern: None,
            azimuth_deg: az,
            tilt_deg: 0.0,
            polarisation: Some(pol),
            eirp_dbm: direction.transmits().then_some(eirp),
            noise_figure_db: direction.receives().then_some(4.5),
            noise_dbm: None,
            emission_mask: None,
            rx_mask: None,
        };
        let lic = self.licence(rng);
        let k = rng.random_range(0..pair.0.count);
        let cat = Self::category(rng, op);
        self.plan_push(
            out,
            start,
            op,
            end(a, ha, bearing, Direction::Tx),
            &pair.0,
            k,
            cat,
            &lic,
        );
        self.plan_push(
            out,
            start,
            op,
            end(b, hb, back, Direction::Rx),
            &pair.0,
            k,
            cat,
            &lic,
        );
        link_last_to_previous(out);
        self.plan_push(
            out,
            start,
            op,
            end(b, hb, back, Direction::Tx),
            &pair.1,
            k,
            cat,
            &lic,
        );
        self.plan_push(
            out,
            start,
            op,
            end(a, ha, bearing, Direction::Rx),
            &pair.1,
            k,
            cat,
            &lic,
        );
        link_last_to_previous(out);
    }

    /// A broadcasting site: FM programmes and, for the national broadcaster, DVB-T2 multiplexes.
    pub fn broadcast(&self, rng: &mut ChaCha8Rng, start: usize, out: &mut Vec<Assignment>) {
        let op = pick(
            rng,
            &[
                OP_BROADCAST[0],
                OP_BROADCAST[0],
                OP_BROADCAST[1],
                OP_BROADCAST[2],
            ],
        );
        let (lat, lon) = self.near_town(rng, 15.0);
        let site = self.site(lat, lon);
        let lic = self.licence(rng);
        let p = &self.plans;
        let fm0 = rng.random_range(0..p.fm.count);
        for i in 0..rng.random_range(1..=3_u64) {
            let st = Self::base(
                site,
                grid(rng, 40.0, 5.0, 16),
                6.0,
                grid(rng, 50.0, 0.5, 44),
                Polarisation::Vertical,
                Direction::Tx,
            );
            let cat = Self::category(rng, op);
            self.plan_push(out, start, op, st, &p.fm, fm0 + 37 * i, cat, &lic);
        }
        if op == OP_KTRK {
            let (plan, n) = if rng.random_bool(0.3) {
                (&p.band3, 1)
            } else {
                (&p.dvb, 2)
            };
            let k0 = rng.random_range(0..plan.count);
            for i in 0..n {
                let st = Self::base(
                    site,
                    grid(rng, 60.0, 5.0, 18),
                    12.0,
                    grid(rng, 60.0, 0.5, 30),
                    Polarisation::Horizontal,
                    Direction::Tx,
                );
                let cat = Self::category(rng, op);
                self.plan_push(out, start, op, st, plan, k0 + 5 * i, cat, &lic);
            }
        }
    }

    /// A base station of a private or government land mobile network.
    pub fn land_mobile(
        &self,
        rng: &mut ChaCha8Rng,
        start: usize,
        out: &mut Vec<Assignment>,
        gov: bool,
    ) {
        let (op, plan) = if gov {
            (pick(rng, &OP_GOV), pick(rng, &self.plans.gov_lmr))
        } else {
            (pick(rng, &OP_PMR), pick(rng, &self.plans.pmr))
        };
        let (lat, lon) = self.near_town(rng, 12.0);
        let site = self.site(lat, lon);
        let st = Self::base(
            site,
            grid(rng, 10.0, 1.0, 30),
            grid(rng, 2.0, 0.5, 8),
            grid(rng, 40.0, 0.5, 20),
            Polarisation::Vertical,
            Direction::TxRx,
        );
        let lic = self.licence(rng);
        let k0 = rng.random_range(0..plan.count);
        let cat = Self::category(rng, op);
        for i in 0..rng.random_range(1..=if gov { 4_u64 } else { 3 }) {
            self.plan_push(out, start, op, st.clone(), &plan, k0 + 8 * i, cat, &lic);
        }
    }

    /// A radar (air defence, weather or air traffic).
    pub fn radar(&self, rng: &mut ChaCha8Rng, start: usize, out: &mut Vec<Assignment>) {
        let (plan, op) = pick(rng, &self.plans.radar);
        let (lat, lon) = if op == OP_KAN {
            let a = pick(rng, &AIRPORTS);
            Self::offset(a.1, a.2, grid(rng, -3.0, 0.1, 60), grid(rng, -3.0, 0.1, 60))
        } else {
            self.near_town(rng, 40.0)
        };
        let site = self.site(lat, lon);
        let mut st = Self::base(
            site,
            grid(rng, 10.0, 1.0, 20),
            grid(rng, 33.0, 0.5, 24),
            grid(rng, 85.0, 0.5, 30),
            Polarisation::Horizontal,
            Direction::TxRx,
        );
        st.tilt_deg = grid(rng, 0.0, 0.5, 2);
        st.noise_figure_db = Some(3.0);
        let lic = self.licence(rng);
        let k = rng.random_range(0..plan.count);
        let cat = Self::category(rng, op);
        self.plan_push(out, start, op, st, &plan, k, cat, &lic);
    }

    /// An airport's VHF air–ground radios and, often, its VOR/ILS.
    pub fn airport(&self, rng: &mut ChaCha8Rng, start: usize, out: &mut Vec<Assignment>) {
        let a = pick(rng, &AIRPORTS);
        let (lat, lon) = Self::offset(a.1, a.2, grid(rng, -2.0, 0.1, 40), grid(rng, -2.0, 0.1, 40));
        let site = self.site(lat, lon);
        let lic = self.licence(rng);
        let p = &self.plans;
        let k0 = rng.random_range(0..p.air_ground.count);
        for i in 0..rng.random_range(1..=3_u64) {
            let st = Self::base(
                site,
                grid(rng, 10.0, 1.0, 15),
                2.0,
                grid(rng, 44.0, 0.5, 12),
                Polarisation::Vertical,
                Direction::TxRx,
            );
            let cat = Self::category(rng, OP_KAN);
            self.plan_push(
                out,
                start,
                OP_KAN,
                st,
                &p.air_ground,
                k0 + 23 * i,
                cat,
                &lic,
            );
        }
        if rng.random_bool(0.5) {
            let st = Self::base(
                site,
                5.0,
                4.0,
                grid(rng, 47.0, 0.5, 10),
                Polarisation::Horizontal,
                Direction::Tx,
            );
            let k = rng.random_range(0..p.vor.count);
            let cat = Self::category(rng, OP_KAN);
            self.plan_push(out, start, OP_KAN, st, &p.vor, k, cat, &lic);
        }
    }
}

/// The last assignment pushed is the receiver of the one before it: record
/// its wanted transmitter.
fn link_last_to_previous(out: &mut [Assignment]) {
    if let [.., tx, rx] = out {
        rx.link = Some(tx.id.clone());
    }
}
