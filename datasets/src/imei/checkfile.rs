//! Synthetic check files: IMEIs to check, with the TAC mix, malformed
//! values, check-digit errors, unregistered and stolen devices.

use std::io::Write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// Parameters of a check file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckSpec {
    /// Data rows.
    pub rows: u64,
    /// Seed.
    pub seed: u64,
    /// Share of malformed values.
    pub malformed_share: f64,
    /// Share of 15-digit values with a wrong check digit.
    pub check_digit_error_share: f64,
    /// Share of well-formed but unregistered devices (known TAC).
    pub unregistered_share: f64,
    /// Share of unregistered devices whose TAC is not allocated.
    pub unknown_tac_share: f64,
    /// Share of stolen (black-listed) devices.
    pub stolen_share: f64,
}

impl CheckSpec {
    /// Defaults: 1 % malformed, 0.5 % check-digit errors, 5 % unregistered,
    /// 0.5 % unknown TAC, 1 % stolen.
    pub fn new(rows: u64, seed: u64) -> CheckSpec {
        CheckSpec {
            rows,
            seed,
            malformed_share: 0.01,
            check_digit_error_share: 0.005,
            unregistered_share: 0.05,
            unknown_tac_share: 0.005,
            stolen_share: 0.01,
        }
    }
}

/// Header of the check CSV.
pub const CHECK_HEADER: &str = "imei,operator\n";

const MALFORMED: [&str; 6] = [
    "",
    "N/A",
    "000000000000000",
    "\"3533,2811\"",
    "unknown",
    "111111111111111",
];

fn check_row(
    out: &mut Vec<u8>,
    spec: &CheckSpec,
    reg: &RegistrySpec,
    mix: &TacMix,
    rng: &mut ChaCha8Rng,
) {
    let u: f64 = rng.random();
    let r: u64 = rng.random();
    let mut t = spec.malformed_share;
    if u < t {
        match r % 10 {
            0..=5 => out.extend_from_slice(MALFORMED[(r % 6) as usize].as_bytes()),
            6 => push_digits(out, r % 10_000_000_000_000, 13),
            7 => {
                // MEID-like hexadecimal.
                let _ = write!(out, "A{:013X}", r % (1 << 52));
            }
            8 => push_digits(out, r % 100_000_000_000_000_000, 17),
            _ => {
                let _ = write!(out, "35{}-{}", r % 1000, r % 77);
            }
        }
    } else {
        let registered = |rng: &mut ChaCha8Rng, want_black: bool| loop {
            let i = rng.random_range(0..reg.devices.max(1));
            let (key, st, _) = registry_device(reg, mix, i);
            if !want_black || st == SynthStatus::Black || reg.black_share <= 0.0 {
                break key;
            }
        };
        t += spec.check_digit_error_share;
        if u < t {
            let key = registered(rng, false);
            push_digits(out, key, 14);
            out.push(b'0' + (check_digit(key) + 1 + (r % 9) as u8) % 10);
        } else {
            t += spec.unregistered_share;
            let key = if u < t {
                u64::from(mix.pick(r).tac) * 1_000_000 + 500_000 + (r >> 40) % 500_000
            } else if u < t + spec.unknown_tac_share {
                (r % 1_000_000) * 1_000_000 + (r >> 40) % 1_000_000
            } else if u < t + spec.unknown_tac_share + spec.stolen_share {
                registered(rng, true)
            } else {
                registered(rng, false)
            };
            push_digits(out, key, 14);
            match (r >> 8) % 20 {
                0 | 1 => {}
                2 => push_digits(out, (r >> 16) % 100, 2),
                _ => out.push(b'0' + check_digit(key)),
            }
        }
    }
    out.extend_from_slice([",OP1\n", ",OP2\n", ",OP3\n"][(r >> 60) as usize % 3].as_bytes());
}

/// Writes a check file (CSV with header) of `spec.rows` rows drawing
/// registered devices from `reg`; calls `progress(rows_done)`; returns the rows.
pub fn write_check_csv<W: Write>(
    spec: &CheckSpec,
    reg: &RegistrySpec,
    mix: &TacMix,
    out: &mut W,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, ImeiDataError> {
    out.write_all(CHECK_HEADER.as_bytes())?;
    write_chunks(spec.rows, out, progress, |c, first, n, buf| {
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        rng.set_stream(c);
        let _ = first;
        for _ in 0..n {
            check_row(buf, spec, reg, mix, &mut rng);
        }
    })
}
