//! The dimensions of a classification run evaluated for one IMEI: the
//! network evidence (distinct IMSIs, IMSI-days and days seen in a window of
//! days up to and including the run's date, from the monthly day-seen masks
//! of [`crate::operator_data`]) and the list evidence (registry, stolen
//! reports, TAC database, barred TACs), each match with the inputs that
//! decided it in words ("11 distinct IMSIs in 120 days").
//!
//! ```
//! use chrono::NaiveDate;
//! use imei_core::dimensions::{Window, Seen};
//! let date = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
//! let w = Window::new(date, 30);
//! // Seen on 1 and 31 October: only the 31st is in the 30 days to the 31st.
//! let mut seen = Seen::default();
//! seen.add(&w, "437010000000001", 202_610, 1 | 1 << 30);
//! assert_eq!((seen.distinct_imsis(), seen.days_seen()), (1, 1));
//! ```

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use crate::conditions::{Condition, Dimension, Module};
use crate::identity::{ImeiClass, classify};

/// The days of a window as a day mask per month (`YYYYMM` → bits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Its length, days.
    pub days: u32,
    masks: BTreeMap<u32, u32>,
}

impl Window {
    /// The `days` days up to and including `date`.
    pub fn new(date: NaiveDate, days: u32) -> Self {
        let mut masks: BTreeMap<u32, u32> = BTreeMap::new();
        for back in 0..days {
            let d = date - Duration::days(i64::from(back));
            let month = u32::try_from(d.year()).unwrap_or(0) * 100 + d.month();
            *masks.entry(month).or_default() |= 1 << (d.day() - 1);
        }
        Self { days, masks }
    }

    /// The months the window touches (`YYYYMM`), in order.
    pub fn months(&self) -> impl Iterator<Item = u32> + '_ {
        self.masks.keys().copied()
    }

    /// The days of `month`'s `day_mask` inside the window.
    pub fn clip(&self, month: u32, day_mask: u32) -> u32 {
        self.masks.get(&month).map_or(0, |w| w & day_mask)
    }
}

/// What one IMEI's sightings in a window add up to.
///
/// Small vectors rather than maps (most IMEIs have one or two IMSIs); an
/// IMSI is kept as a 64-bit SipHash of its text (its pseudonym), which
/// makes a collision between two IMSIs of one IMEI vanishingly unlikely.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// Per IMSI (hash) and month, the days seen in the window.
    imsi_days: Vec<(u64, u32, u32)>,
    /// Per month, the days seen with any IMSI (or none).
    days: Vec<(u32, u32)>,
}

pub(crate) fn imsi_hash(imsi: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    // Fixed keys: the same text hashes the same in every run.
    let mut h = std::hash::DefaultHasher::new();
    imsi.hash(&mut h);
    h.finish()
}

impl Seen {
    /// Adds a sighting (`imsi` empty when null) of `month` on the days of
    /// `day_mask`, clipped to the window.
    pub fn add(&mut self, window: &Window, imsi: &str, month: u32, day_mask: u32) {
        let imsi = (!imsi.is_empty()).then(|| imsi_hash(imsi));
        self.add_hashed(window, imsi, month, day_mask);
    }

    /// [`Seen::add`] with the IMSI already hashed (`None` when null), as
    /// [`crate::sightings`] keeps it.
    pub(crate) fn add_hashed(
        &mut self,
        window: &Window,
        imsi: Option<u64>,
        month: u32,
        day_mask: u32,
    ) {
        let inside = window.clip(month, day_mask);
        if inside == 0 {
            return;
        }
        match self.days.iter_mut().find(|(m, _)| *m == month) {
            Some((_, d)) => *d |= inside,
            None => self.days.push((month, inside)),
        }
        if let Some(h) = imsi {
            match self
                .imsi_days
                .iter_mut()
                .find(|(i, m, _)| *i == h && *m == month)
            {
                Some((_, _, d)) => *d |= inside,
                None => self.imsi_days.push((h, month, inside)),
            }
        }
    }

    /// Forgets every sighting, keeping the memory (for the next IMEI).
    pub fn clear(&mut self) {
        self.imsi_days.clear();
        self.days.clear();
    }

    /// Distinct IMSIs seen.
    pub fn distinct_imsis(&self) -> u32 {
        let mut ids: Vec<u64> = self.imsi_days.iter().map(|(i, _, _)| *i).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len() as u32
    }

    /// The sum over the days seen of the distinct IMSIs that day.
    pub fn imsi_days(&self) -> u32 {
        self.imsi_days.iter().map(|(_, _, m)| m.count_ones()).sum()
    }

    /// Days seen.
    pub fn days_seen(&self) -> u32 {
        self.days.iter().map(|(_, m)| m.count_ones()).sum()
    }
}

/// What the registry's lists say of one IMEI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Listed {
    /// In the registry of devices.
    pub registered: bool,
    /// Reported stolen and not recovered.
    pub stolen: bool,
    /// Its TAC is in the TAC database.
    pub tac_known: bool,
    /// Its TAC is barred.
    pub tac_barred: bool,
}

/// The evidence on one IMEI for a run: its text, its lists, and its
/// sightings in each window length the conditions use.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence<'a> {
    /// The IMEI as seen.
    pub imei: &'a str,
    /// The lists.
    pub listed: Listed,
    /// Sightings per window length (days).
    pub seen: &'a BTreeMap<u32, Seen>,
}

/// True for a test TAC: `001` followed by five digits (GSMA TS.06).
pub fn is_test_tac(imei: &str) -> bool {
    imei.len() >= 8 && imei.starts_with("001") && imei[..8].bytes().all(|b| b.is_ascii_digit())
}

/// Whether `d` holds of the evidence (before inversion), and its input in
/// words.
pub fn holds(d: &Dimension, e: &Evidence<'_>) -> (bool, String) {
    let class = classify(e.imei).class;
    (test(d, e, class), describe(d, e, class))
}

/// The sightings `d` looks at.
fn window_of<'e>(d: &Dimension, e: &Evidence<'e>) -> &'e Seen {
    static EMPTY: Seen = Seen {
        imsi_days: Vec::new(),
        days: Vec::new(),
    };
    e.seen.get(&d.period_days).unwrap_or(&EMPTY)
}

/// Daily average of distinct IMSIs over the days seen, and those days.
fn daily_avg(seen: &Seen) -> (f64, u32) {
    let days = seen.days_seen();
    let avg = if days == 0 {
        0.0
    } else {
        f64::from(seen.imsi_days()) / f64::from(days)
    };
    (avg, days)
}

/// Whether `d` holds (before inversion), without words (`class`: the
/// IMEI's class).
fn test(d: &Dimension, e: &Evidence<'_>, class: ImeiClass) -> bool {
    match d.module {
        Module::Malformed => !class.is_well_formed(),
        Module::GsmaNotFound => class.is_well_formed() && !e.listed.tac_known,
        Module::Stolen => e.listed.stolen,
        Module::NotRegistered => !e.listed.registered,
        Module::BarredTac => e.listed.tac_barred,
        Module::TestTac => is_test_tac(e.imei) && class != ImeiClass::Empty,
        Module::Duplicate => f64::from(window_of(d, e).distinct_imsis()) >= d.threshold,
        Module::DuplicateDailyAvg => {
            let (avg, days) = daily_avg(window_of(d, e));
            days >= d.min_seen_days && avg >= d.threshold
        }
    }
}

/// `d`'s input in words ("11 distinct IMSIs in 120 days").
fn describe(d: &Dimension, e: &Evidence<'_>, class: ImeiClass) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    match d.module {
        Module::Malformed => format!("IMEI class {}", class.name()),
        Module::GsmaNotFound => if e.listed.tac_known {
            "TAC in the TAC database"
        } else {
            "TAC not in the TAC database"
        }
        .to_string(),
        Module::Stolen => format!("stolen report: {}", yes_no(e.listed.stolen)),
        Module::NotRegistered => format!("registered: {}", yes_no(e.listed.registered)),
        Module::BarredTac => format!("TAC barred: {}", yes_no(e.listed.tac_barred)),
        Module::TestTac => format!("test TAC: {}", yes_no(is_test_tac(e.imei))),
        Module::Duplicate => format!(
            "{} distinct IMSIs in {} days",
            window_of(d, e).distinct_imsis(),
            d.period_days
        ),
        Module::DuplicateDailyAvg => {
            let (avg, days) = daily_avg(window_of(d, e));
            format!(
                "{avg:.2} distinct IMSIs per day over {days} days seen in {} days",
                d.period_days
            )
        }
    }
}

/// Whether every dimension of `c` holds (each inverted where asked); when
/// it does, the inputs of all of them joined by `; ` (words are made only
/// for a match).
pub fn matches(c: &Condition, e: &Evidence<'_>) -> Option<String> {
    let class = classify(e.imei).class;
    if c.dimensions.iter().any(|d| test(d, e, class) == d.invert) {
        return None;
    }
    let inputs: Vec<String> = c
        .dimensions
        .iter()
        .map(|d| {
            let input = describe(d, e, class);
            if d.invert {
                format!("not {}: {input}", d.module.name())
            } else {
                input
            }
        })
        .collect();
    Some(inputs.join("; "))
}
