//! The synthetic national registry: device rows with statuses, reasons,
//! dates, import declarations and synthetic owner IDs.

use std::io::Write;

use super::*;

/// Parameters of a synthetic national registry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegistrySpec {
    /// Number of devices.
    pub devices: u64,
    /// Seed.
    pub seed: u64,
    /// Share of grey devices.
    pub grey_share: f64,
    /// Share of black (stolen, lost, counterfeit, court order) devices.
    pub black_share: f64,
}

impl RegistrySpec {
    /// Defaults: 8 % grey, 2 % black.
    pub fn new(devices: u64, seed: u64) -> RegistrySpec {
        RegistrySpec {
            devices,
            seed,
            grey_share: 0.08,
            black_share: 0.02,
        }
    }
}

/// Registry status of a synthetic device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SynthStatus {
    /// White list.
    White,
    /// Grey list.
    Grey,
    /// Black list.
    Black,
}

/// Device `i` of the registry: its 14-digit key and status (a pure function
/// of the spec, the mix and `i`; registered serials are below 500 000).
pub fn registry_device(spec: &RegistrySpec, mix: &TacMix, i: u64) -> (u64, SynthStatus, u64) {
    let h = splitmix(spec.seed ^ splitmix(i));
    let tac = mix.pick(h).tac;
    let h2 = splitmix(h);
    let key = u64::from(tac) * 1_000_000 + (h2 % 500_000);
    let u = (h2 >> 20) as f64 / (1u64 << 44) as f64;
    let status = if u < spec.black_share {
        SynthStatus::Black
    } else if u < spec.black_share + spec.grey_share {
        SynthStatus::Grey
    } else {
        SynthStatus::White
    };
    (key, status, splitmix(h2))
}

/// Header of the registry CSV.
pub const REGISTRY_HEADER: &str =
    "imei,status,reasons,source,first_seen,registered_at,import_declaration,owner_id\n";

fn registry_row(out: &mut Vec<u8>, spec: &RegistrySpec, mix: &TacMix, i: u64) {
    let (key, status, h) = registry_device(spec, mix, i);
    push_digits(out, key, 14);
    out.push(b'0' + check_digit(key));
    let day = (h % 700) as i64;
    let (st, reasons, source) = match status {
        SynthStatus::White => (
            "white",
            if h % 3 == 0 {
                "IMPORT_DECLARED"
            } else {
                "REGISTERED_OWNER"
            },
            "registration",
        ),
        SynthStatus::Grey => (
            "grey",
            [
                "NOT_CUSTOMS_CLEARED",
                "DUTY_UNPAID",
                "GRACE_PERIOD",
                "DUPLICATE",
            ][(h >> 8) as usize % 4],
            "operator",
        ),
        SynthStatus::Black => (
            "black",
            [
                "STOLEN",
                "STOLEN",
                "LOST",
                "COUNTERFEIT",
                "STOLEN;COURT_ORDER",
            ][(h >> 8) as usize % 5],
            "police",
        ),
    };
    let date = chrono_like(day);
    let _ = write!(
        out,
        ",{st},{reasons},{source},{date},{date} 10:{:02}:00,",
        (h >> 16) % 60
    );
    if reasons == "IMPORT_DECLARED" {
        let _ = write!(out, "DT-2025-{:07}", (h >> 24) % 10_000_000);
    }
    out.push(b',');
    if status == SynthStatus::White && reasons == "REGISTERED_OWNER" {
        let _ = write!(out, "KG{:014}", (h >> 10) % 100_000_000_000_000);
    }
    out.push(b'\n');
}

/// `2024-01-01` plus `day` days, as `YYYY-MM-DD` (days < 730).
pub(crate) fn chrono_like(day: i64) -> String {
    const MONTHS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut year, mut d) = (2024i64, day);
    loop {
        let len = if year % 4 == 0 { 366 } else { 365 };
        if d < len {
            break;
        }
        d -= len;
        year += 1;
    }
    let mut month = 0usize;
    while month < 12 {
        let ml = MONTHS[month] + i64::from(month == 1 && year % 4 == 0);
        if d < ml {
            break;
        }
        d -= ml;
        month += 1;
    }
    format!("{year}-{:02}-{:02}", month + 1, d + 1)
}

/// Writes the registry device list (CSV with header); returns the rows.
pub fn write_registry_csv<W: Write>(
    spec: &RegistrySpec,
    mix: &TacMix,
    out: &mut W,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, ImeiDataError> {
    out.write_all(REGISTRY_HEADER.as_bytes())?;
    let repeats = repeated_draws(spec, mix);
    write_chunks(spec.devices, out, progress, |_, first, n, buf| {
        for i in first..first + n {
            if !repeats.contains(&i) {
                registry_row(buf, spec, mix, i);
            }
        }
    })?;
    Ok(spec.devices - repeats.len() as u64)
}

/// The draws `i` whose device key an earlier draw already has: a registry
/// list names each device once, so the writer leaves them out (with 500 000
/// serials per TAC and the built-in TAC mix, about 9 in 1 000 draws at 1 M
/// devices).
pub fn repeated_draws(spec: &RegistrySpec, mix: &TacMix) -> std::collections::HashSet<u64> {
    let mut keys: Vec<(u64, u64)> = (0..spec.devices)
        .into_par_iter()
        .map(|i| (registry_device(spec, mix, i).0, i))
        .collect();
    keys.par_sort_unstable();
    keys.windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| w[1].1)
        .collect()
}
