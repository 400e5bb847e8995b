//! `spectra propagate p1546`: one ITU-R P.1546-6 prediction, over a terrain
//! profile or from the path length and effective height.

use anyhow::{Context, bail};
use serde::Serialize;
use spectrum_core::p1546::terrain::ProfileTerminals;
use spectrum_core::p1546::{P1546Input, P1546Result, RxArea, Zone, mixed_zones, p1546};

use super::propagate_ntia::{finite_results, fixed};
use crate::flags::propagate_p1546::P1546Flags;
use crate::output::{Status, print_json, print_text};

const MODEL: &str = "ITU-R P.1546-6 point-to-area field strength";

/// The validated prediction the flags describe.
fn input_of(flags: &P1546Flags) -> anyhow::Result<P1546Input> {
    let mut input = if let Some(path) = &flags.profile {
        let Some(ha) = flags.h_tx_m else {
            bail!("--profile needs --h-tx-m (the transmitting antenna height above ground)");
        };
        let profile = super::propagate_itu::read_profile(path)?;
        let terminals = ProfileTerminals {
            freq_mhz: flags.freq.mhz(),
            time_pct: flags.time_pct,
            ha_m: ha,
            h2_m: flags.h_rx_m,
            rx_area: flags.rx_area.into(),
            sea: flags.sea.into(),
        };
        let mut input = P1546Input::from_profile(&profile, &terminals)
            .with_context(|| format!("profile {}", path.display()))?;
        input.area_width_m = Some(flags.area_width_m);
        input
    } else {
        let (Some(d), Some(heff)) = (flags.distance_km, flags.heff_m) else {
            bail!("expected --profile FILE, or --distance-km D with --heff-m H");
        };
        let zones = mixed_zones(d, flags.sea_km, flags.sea.into())
            .map_err(|e| anyhow::anyhow!("--sea-km: {e}"))?;
        let mut input = P1546Input::new(
            flags.freq.mhz(),
            flags.time_pct,
            zones,
            heff,
            flags.h_rx_m,
            flags.rx_area.into(),
        );
        input.ha_m = flags.h_tx_m;
        input.tca_deg = flags.tca_deg;
        input
    };
    input.location_pct = flags.location_pct;
    input.erp_kw = flags.erp_kw;
    input.r1_m = flags.tx_clutter_m;
    if let Some(r) = flags.rx_clutter_m {
        input.r2_m = r;
    }
    input.validate()?;
    Ok(input)
}

/// `spectra propagate p1546 --json`.
#[derive(Serialize)]
struct P1546Output<'a> {
    model: &'static str,
    input: &'a P1546Input,
    #[serde(flatten)]
    result: &'a P1546Result,
}

fn text(input: &P1546Input, r: &P1546Result) -> String {
    let s = &r.steps;
    let mut t = format!(
        "{MODEL} ({} % time, {} % locations)\nField strength  {} dBµV/m for {} kW e.r.p.\nBasic loss      {} dB\nh1              {} m\nEmax            {} dBµV/m\nCurves          {} dBµV/m ({} km land, {} km sea)\nRx height corr  {} dB (R' {} m)",
        input.time_pct,
        input.location_pct,
        fixed(r.field_dbuv_m, 2),
        input.erp_kw,
        fixed(r.loss_db, 2),
        fixed(s.h1_m, 1),
        fixed(s.emax_dbuv_m, 2),
        fixed(s.curves_dbuv_m, 2),
        fixed(s.land_km, 3),
        fixed(s.sea_km, 3),
        fixed(s.rx_height_correction_db, 2),
        fixed(s.r2_prime_m, 1),
    );
    let optional = [
        ("Clearance corr", s.tca_correction_db, "dB"),
        ("Troposcatter   ", s.troposcatter_dbuv_m, "dBµV/m"),
        ("Tx clutter corr", s.tx_clutter_correction_db, "dB"),
        ("Slope corr     ", s.slope_correction_db, "dB"),
        ("Short path     ", s.short_path_dbuv_m, "dBµV/m"),
        ("Locations      ", s.location_dbuv_m, "dBµV/m"),
    ];
    for (name, v, unit) in optional {
        if let Some(v) = v {
            t.push_str(&format!("\n{name} {} {unit}", fixed(v, 2)));
        }
    }
    t
}

/// Runs `spectra propagate p1546`.
pub fn run_p1546(flags: &P1546Flags) -> anyhow::Result<Status> {
    let input = input_of(flags)?;
    let r = p1546(&input)?;
    finite_results(
        MODEL,
        &[("field strength", r.field_dbuv_m), ("loss", r.loss_db)],
    )?;
    if flags.json {
        print_json(&P1546Output {
            model: MODEL,
            input: &input,
            result: &r,
        })?;
    } else {
        print_text(&text(&input, &r))?;
    }
    Ok(Status::Ok)
}

/// The demo's P.1546 lines: a UHF broadcast transmitter (600 MHz, 1 kW
/// e.r.p., effective height 150 m) heard by rural receivers 10 m above
/// ground, for 50 % and 1 % of time.
pub fn demo() -> anyhow::Result<Vec<String>> {
    let mut lines = vec![
        "ITU-R P.1546-6, 600 MHz, 1 kW e.r.p., h_eff 150 m, rural receivers at 10 m:".to_owned(),
    ];
    for d in [10.0, 30.0, 100.0, 300.0] {
        let at = |t: f64| {
            let input =
                P1546Input::new(600.0, t, vec![(Zone::Land, d)], 150.0, 10.0, RxArea::Rural);
            p1546(&input)
        };
        let (median, one) = (at(50.0)?, at(1.0)?);
        lines.push(format!(
            "  {d:>5} km: {} dBµV/m (50 % of time), {} dBµV/m (1 %), basic loss {} dB",
            fixed(median.field_dbuv_m, 1),
            fixed(one.field_dbuv_m, 1),
            fixed(median.loss_db, 1)
        ));
    }
    Ok(lines)
}
