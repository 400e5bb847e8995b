//! A synthetic month of operator network data: the `date,imei,imsi,msisdn,rat`
//! rows each operator sends (one file per operator, named
//! `<operator>_YYYYMMDD_YYYYMMDD.csv` for the month), with the patterns a
//! registry must find — clones (one IMEI on many SIMs), SIM swappers (one
//! SIM in many devices), inbound roamers (foreign IMSIs), devices of an
//! unknown TAC, unregistered devices and a few malformed IMEIs.
//!
//! Subscriber `i` is a pure function of the seed and `i`, and rows are
//! written subscriber by subscriber, day by day: the same spec gives the
//! same bytes.

use std::io::Write;

use chrono::{Datelike, NaiveDate};

use super::*;

/// One operator of the generated data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkOperator {
    /// Name.
    pub name: String,
    /// Its MCC-MNC (the IMSIs' prefix).
    pub mcc_mnc: String,
}

/// The operators a spec can have, in order: name and MCC-MNC (Kyrgyz
/// networks' codes: 437-01, 437-05, 437-09, 437-03).
pub const OPERATORS: [(&str, &str); 4] = [
    ("alfa", "43701"),
    ("beta", "43705"),
    ("gamma", "43709"),
    ("delta", "43703"),
];

/// Parameters of a month of network data.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkSpec {
    /// Subscribers (SIMs).
    pub subscribers: u64,
    /// Seed.
    pub seed: u64,
    /// First day of the month.
    pub month: NaiveDate,
    /// The operators (subscriber `i` belongs to operator `i mod n`).
    pub operators: Vec<NetworkOperator>,
    /// Share of subscribers whose device is a clone (every `1 / share`-th
    /// subscriber): each clone IMEI is shared by
    /// [`NetworkSpec::clone_sims`] of them.
    pub clone_share: f64,
    /// SIMs per clone IMEI.
    pub clone_sims: u64,
    /// Share of subscribers who move their SIM to a new device every few days.
    pub swapper_share: f64,
    /// Share of rows of inbound roamers (foreign IMSI, MCC 250).
    pub roamer_share: f64,
    /// Share of devices of a TAC not in the TAC database.
    pub unknown_tac_share: f64,
    /// Share of rows with a malformed IMEI.
    pub malformed_share: f64,
    /// Chance that a subscriber is seen on a given day.
    pub daily_presence: f64,
    /// The registry whose devices most subscribers use (the rest are
    /// unregistered).
    pub registry: RegistrySpec,
    /// Share of subscribers on an unregistered device.
    pub unregistered_share: f64,
    /// Share of subscribers whose (registered, own) device was reported
    /// stolen on the month's 5th and is still in use; a quarter of the
    /// reports are closed as recovered on the 20th
    /// ([`write_stolen_reports`]).
    pub stolen_share: f64,
}

impl NetworkSpec {
    /// Two operators (`alfa` 43701, `beta` 43705), 0.5 % clones on 12
    /// SIMs each, 0.5 % swappers, 2 % roaming rows, 1 % unknown TACs, 0.5 %
    /// malformed rows, presence 60 % a day, 10 % unregistered devices, 0.2 %
    /// stolen devices still in use.
    pub fn new(subscribers: u64, seed: u64, month: NaiveDate) -> Self {
        Self {
            subscribers,
            seed,
            month: month.with_day(1).unwrap_or(month),
            operators: OPERATORS[..2]
                .iter()
                .map(|(name, mcc_mnc)| NetworkOperator {
                    name: (*name).into(),
                    mcc_mnc: (*mcc_mnc).into(),
                })
                .collect(),
            clone_share: 0.005,
            clone_sims: 12,
            swapper_share: 0.005,
            roamer_share: 0.02,
            unknown_tac_share: 0.01,
            malformed_share: 0.005,
            daily_presence: 0.6,
            registry: RegistrySpec::new(subscribers.max(1), seed),
            unregistered_share: 0.1,
            stolen_share: 0.002,
        }
    }

    /// The same spec with the first `n` of the four operators of
    /// [`OPERATORS`] (a national month has four).
    pub fn with_operators(mut self, n: usize) -> Result<Self, ImeiDataError> {
        if !(1..=OPERATORS.len()).contains(&n) {
            return Err(ImeiDataError::Invalid(format!(
                "operators: expected 1 to {}, found {n}",
                OPERATORS.len()
            )));
        }
        self.operators = OPERATORS[..n]
            .iter()
            .map(|(name, mcc_mnc)| NetworkOperator {
                name: (*name).into(),
                mcc_mnc: (*mcc_mnc).into(),
            })
            .collect();
        Ok(self)
    }

    /// The same spec with subscribers seen on a given day with chance
    /// `presence` (0 < presence ≤ 1; about 31 × presence rows per
    /// subscriber and month: 0.32 makes the national month of ten rows per
    /// subscriber).
    pub fn with_daily_presence(mut self, presence: f64) -> Result<Self, ImeiDataError> {
        if !(presence > 0.0 && presence <= 1.0) {
            return Err(ImeiDataError::Invalid(format!(
                "daily presence: expected a chance above 0 and at most 1, found {presence}"
            )));
        }
        self.daily_presence = presence;
        Ok(self)
    }

    /// The month's last day.
    pub fn last_day(&self) -> NaiveDate {
        let next = if self.month.month() == 12 {
            NaiveDate::from_ymd_opt(self.month.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.month.year(), self.month.month() + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(self.month)
    }

    /// The file name of an operator's month: `<name>_YYYYMMDD_YYYYMMDD.csv`.
    pub fn file_name(&self, op: &NetworkOperator) -> String {
        format!(
            "{}_{}_{}.csv",
            op.name,
            self.month.format("%Y%m%d"),
            self.last_day().format("%Y%m%d")
        )
    }
}

/// A uniform number in [0, 1) from a hash.
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// A 15-digit IMEI (with its check digit) of a 14-digit body.
fn imei15(body: u64) -> String {
    format!("{body:014}{}", check_digit(body))
}

/// Every `stride`-th subscriber is on a clone (see [`NetworkSpec::clone_share`]).
fn clone_stride(spec: &NetworkSpec) -> u64 {
    if spec.clone_share > 0.0 {
        (1.0 / spec.clone_share).round().max(1.0) as u64
    } else {
        u64::MAX
    }
}

/// The own device of subscriber `i` (before swaps and malformed rows), and
/// whether it is a registered one.
fn device_of_kind(spec: &NetworkSpec, mix: &TacMix, i: u64, stride: u64) -> (String, bool) {
    let h = splitmix(spec.seed ^ splitmix(i ^ 0x6E65_7477));
    let roles = unit(h);
    if i.is_multiple_of(stride) {
        // Clone IMEI `c` serves `clone_sims` subscribers in turn.
        let c = (i / stride) / spec.clone_sims.max(1);
        let tac = u64::from(mix.entries().first().map_or(35_693_803, |e| e.tac));
        (imei15(tac * 1_000_000 + 900_000 + c), false)
    } else if roles < spec.unknown_tac_share {
        (
            imei15(99_999_990_000_000 + (splitmix(h) % 1_000_000)),
            false,
        )
    } else if roles < spec.unknown_tac_share + spec.unregistered_share {
        let tac = u64::from(mix.pick(splitmix(h)).tac);
        (
            imei15(tac * 1_000_000 + 500_000 + splitmix(h ^ 7) % 500_000),
            false,
        )
    } else {
        let d = registry_device(&spec.registry, mix, i % spec.registry.devices.max(1));
        (imei15(d.0), true)
    }
}

fn device_of(spec: &NetworkSpec, mix: &TacMix, i: u64, stride: u64) -> String {
    device_of_kind(spec, mix, i, stride).0
}

/// Writes the stolen-device reports of the month
/// (`imei,reported_at,case_reference,recovered_at`): the registered own
/// devices of a [`NetworkSpec::stolen_share`] of the subscribers, reported
/// on the 5th and still seen in the operator data; every fourth report
/// recovered on the 20th. Returns the report count.
pub fn write_stolen_reports<W: Write>(
    spec: &NetworkSpec,
    mix: &TacMix,
    out: &mut W,
) -> Result<u64, ImeiDataError> {
    writeln!(out, "imei,reported_at,case_reference,recovered_at")?;
    if spec.stolen_share <= 0.0 {
        return Ok(0);
    }
    let every = (1.0 / spec.stolen_share).round().max(1.0) as u64;
    let stride = clone_stride(spec);
    let (month, mut n) = (spec.month.format("%Y-%m"), 0u64);
    // Offset by half a period so the stolen are not the clones.
    for i in (every / 2..spec.subscribers).step_by(every as usize) {
        let (imei, registered) = device_of_kind(spec, mix, i, stride);
        let h = splitmix(spec.seed ^ splitmix(i ^ 0x6E65_7477));
        let swapper = unit(splitmix(h ^ 11)) < spec.swapper_share;
        if !registered || swapper {
            continue;
        }
        let recovered = if n % 4 == 3 {
            format!("{month}-20")
        } else {
            String::new()
        };
        writeln!(out, "{imei},{month}-05,SYN-{i:09},{recovered}")?;
        n += 1;
    }
    Ok(n)
}

/// The file name of the month's stolen reports: `stolen_YYYYMM.csv`.
pub fn stolen_file_name(spec: &NetworkSpec) -> String {
    format!("stolen_{}.csv", spec.month.format("%Y%m"))
}

/// Writes operator `op_index`'s month of rows; returns the row count.
pub fn write_operator_month<W: Write>(
    spec: &NetworkSpec,
    mix: &TacMix,
    op_index: usize,
    out: &mut W,
) -> Result<u64, ImeiDataError> {
    let n_ops = spec.operators.len().max(1) as u64;
    let op = spec
        .operators
        .get(op_index)
        .ok_or_else(|| ImeiDataError::Invalid(format!("no operator {op_index}")))?;
    let days = spec.last_day().day();
    let stride = clone_stride(spec);
    writeln!(out, "date,imei,imsi,msisdn,rat")?;
    let mut rows = 0u64;
    for i in (op_index as u64..spec.subscribers).step_by(n_ops as usize) {
        let h = splitmix(spec.seed ^ splitmix(i ^ 0x6E65_7477));
        let device = device_of(spec, mix, i, stride);
        let swapper = unit(splitmix(h ^ 11)) < spec.swapper_share;
        let imsi = format!("{}{:010}", op.mcc_mnc, i);
        let msisdn = format!("996{:09}", 700_000_000 + i);
        let rat = ["2G", "3G", "4G", "4G", "5G"][(splitmix(h ^ 13) % 5) as usize];
        for d in 1..=days {
            let hd = splitmix(h ^ u64::from(d).wrapping_mul(0x9E37_79B9));
            if unit(hd) >= spec.daily_presence {
                continue;
            }
            let date = format!("{}-{d:02}", spec.month.format("%Y-%m"));
            let imei = if swapper {
                let tac = u64::from(mix.pick(splitmix(h ^ u64::from(d / 3))).tac);
                imei15(tac * 1_000_000 + splitmix(hd) % 1_000_000)
            } else if unit(splitmix(hd ^ 17)) < spec.malformed_share {
                format!("{:011}", splitmix(hd) % 100_000_000_000)
            } else {
                device.clone()
            };
            let (imsi, msisdn) = if unit(splitmix(hd ^ 19)) < spec.roamer_share {
                (format!("25001{:010}", i), format!("7{:010}", i))
            } else {
                (imsi.clone(), msisdn.clone())
            };
            writeln!(out, "{date},{imei},{imsi},{msisdn},{rat}")?;
            rows += 1;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    fn month_of(spec: &NetworkSpec, op: usize) -> String {
        let mut out = Vec::new();
        write_operator_month(spec, &TacMix::builtin(), op, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_month_is_deterministic_and_has_the_patterns() {
        let spec = NetworkSpec::new(4_000, 7, NaiveDate::from_ymd_opt(2026, 10, 15).unwrap());
        assert_eq!(
            spec.file_name(&spec.operators[0]),
            "alfa_20261001_20261031.csv"
        );
        let text = month_of(&spec, 0);
        assert_eq!(text, month_of(&spec, 0));
        assert_ne!(
            text,
            month_of(
                &NetworkSpec {
                    seed: 8,
                    ..spec.clone()
                },
                0
            )
        );
        let mut imsis_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let (mut rows, mut roaming, mut malformed) = (0, 0, 0);
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 5, "{line}");
            assert!(f[0].starts_with("2026-10-"), "{line}");
            rows += 1;
            if !f[2].starts_with("43701") {
                roaming += 1;
            }
            if f[1].len() != 15 {
                malformed += 1;
            }
            imsis_of.entry(f[1]).or_default().insert(f[2]);
        }
        // 2 000 subscribers seen on about 60 % of 31 days.
        assert!((30_000..45_000).contains(&rows), "{rows}");
        let share = |n: usize| n as f64 / rows as f64;
        assert!(share(roaming) < 0.05 && roaming > 0, "{roaming}");
        assert!(share(malformed) < 0.02 && malformed > 0, "{malformed}");
        // Clones: some IMEI is used with many SIMs.
        let most = imsis_of.values().map(BTreeSet::len).max().unwrap();
        assert!(most >= 5, "{most}");
        // Stolen devices: reported, and still seen in the month's data.
        let mut out = Vec::new();
        let n = write_stolen_reports(&spec, &TacMix::builtin(), &mut out).unwrap();
        let stolen = String::from_utf8(out).unwrap();
        assert!(n >= 4, "{n}");
        let imeis: Vec<&str> = stolen.lines().skip(1).map(|l| &l[..15]).collect();
        let seen = month_of(&spec, 0) + &month_of(&spec, 1);
        assert!(imeis.iter().all(|i| seen.contains(i)), "{stolen}");
        assert!(
            stolen.lines().any(|l| l.ends_with(",2026-10-20")),
            "{stolen}"
        );
    }

    #[test]
    fn four_operators_and_a_national_presence() {
        let month = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let spec = NetworkSpec::new(4_000, 7, month)
            .with_operators(4)
            .unwrap()
            .with_daily_presence(0.32)
            .unwrap();
        let names: Vec<&str> = spec.operators.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["alfa", "beta", "gamma", "delta"]);
        let text = month_of(&spec, 3);
        assert!(text.lines().skip(1).all(|l| {
            let imsi = l.split(',').nth(2).unwrap();
            imsi.starts_with("43703") || imsi.starts_with("25001")
        }));
        // 1 000 subscribers of delta, about ten rows each.
        let rows = text.lines().count() - 1;
        assert!((8_500..11_500).contains(&rows), "{rows}");
        assert!(NetworkSpec::new(10, 7, month).with_operators(5).is_err());
        assert!(NetworkSpec::new(10, 7, month).with_operators(0).is_err());
        assert!(
            NetworkSpec::new(10, 7, month)
                .with_daily_presence(0.0)
                .is_err()
        );
        assert!(
            NetworkSpec::new(10, 7, month)
                .with_daily_presence(f64::NAN)
                .is_err()
        );
    }
}
