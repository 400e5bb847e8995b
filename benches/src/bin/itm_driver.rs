//! Times Spectra's ITM point-to-point (`p2p_tls`) on one profile of a
//! `pfls.csv`, for `benches/itm_peer.sh`: the counterpart of
//! `benches/itm_ntia_driver.cpp`, with the same arguments, parameters, timing
//! loop and output, so the script can alternate the two round by round.
//!
//! Usage: `itm_driver PFLS.csv INDEX(1-based) CALLS ROUNDS` — `CALLS` untimed
//! calls first, then `ROUNDS` rounds of `CALLS` calls; prints one JSON object:
//! points, the median microseconds per call over the rounds, the loss (17
//! significant digits) and the warning flags.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use spectrum_core::itm::{from_pfl, p2p_tls};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let usage = || {
        eprintln!("usage: itm_driver PFLS.csv INDEX CALLS ROUNDS");
        ExitCode::from(2)
    };
    let [_, path, index, calls, rounds] = args.as_slice() else {
        return usage();
    };
    let (Ok(index), Ok(calls), Ok(rounds)) = (
        index.parse::<usize>(),
        calls.parse::<usize>(),
        rounds.parse::<usize>(),
    ) else {
        return usage();
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let pfl: Option<Vec<f64>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .nth(index.wrapping_sub(1))
        .map(|l| l.split(',').filter_map(|t| t.trim().parse().ok()).collect());
    let Some(Ok((z, step_m))) = pfl.as_deref().map(from_pfl) else {
        eprintln!("no profile {index} in {path}");
        return ExitCode::from(2);
    };
    if calls == 0 || rounds == 0 {
        return usage();
    }
    let params = spectra_benches::ntia_bench_params();
    let call = || p2p_tls(black_box(z), step_m, &params, 50.0, 50.0, 50.0);
    let mut sum = 0.0;
    for _ in 0..calls {
        sum += call().map_or(f64::NAN, |r| r.loss_db);
    }
    let mut us = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t0 = Instant::now();
        for _ in 0..calls {
            sum += call().map_or(f64::NAN, |r| r.loss_db);
        }
        us.push(t0.elapsed().as_secs_f64() * 1e6 / calls as f64);
    }
    us.sort_by(f64::total_cmp);
    match call() {
        Ok(r) => {
            println!(
                "{{\"points\": {}, \"us_per_path\": {:.4}, \"loss_db\": \"{:?}\", \"warnings\": {}, \"sink\": {:.3}}}",
                z.len(),
                us[us.len() / 2],
                r.loss_db,
                r.warnings,
                black_box(sum)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("profile {index}: {e}");
            ExitCode::FAILURE
        }
    }
}
