//! `spectra propagate itm|ehata|hata|p2108|free-space`.

use std::path::Path;

use anyhow::{Context, anyhow, bail};
use serde::Serialize;
use spectrum_core::bounds;
use spectrum_core::ehata::{self, EhataOptions, Environment};
use spectrum_core::hata::{self, CitySize, HataEnvironment, HataOptions};
use spectrum_core::itm::{self, Climate, ItmParams, ItmResult, Polarization, SitingCriteria};
use spectrum_core::p2108::{self, ClutterType};
use spectrum_core::profile::PathProfile;

use crate::flags::propagate_ntia::{EhataFlags, FreeSpaceFlags, HataFlags, ItmFlags, P2108Flags};
use crate::output::{Status, print_json, print_text};

/// Words of a Debug-printed enum variant (`LineOfSight` → `line of sight`,
/// `Cost231` → `COST-231`) for human-readable messages.
pub(crate) fn words(debug: impl std::fmt::Debug) -> String {
    let d = format!("{debug:?}");
    if d == "Cost231" {
        return "COST-231 Hata".to_owned();
    }
    if d == "SmallMedium" {
        return "small/medium".to_owned();
    }
    if d == "OkumuraHata" {
        return "Okumura-Hata".to_owned();
    }
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The warning flags of an ITM result in words (`none` when clear).
pub(crate) fn itm_warning_words(w: u32) -> Vec<&'static str> {
    use itm::warnings as W;
    [
        (W::TX_TERMINAL_HEIGHT, "Tx terminal height near its limits"),
        (W::RX_TERMINAL_HEIGHT, "Rx terminal height near its limits"),
        (W::FREQUENCY, "frequency near its limits"),
        (
            W::PATH_DISTANCE_TOO_BIG_1,
            "path distance near its upper limit",
        ),
        (
            W::PATH_DISTANCE_TOO_BIG_2,
            "path distance large (use the result with care)",
        ),
        (
            W::PATH_DISTANCE_TOO_SMALL_1,
            "path distance near its lower limit",
        ),
        (
            W::PATH_DISTANCE_TOO_SMALL_2,
            "path distance small (use the result with care)",
        ),
        (W::TX_HORIZON_ANGLE, "Tx horizon angle large"),
        (W::RX_HORIZON_ANGLE, "Rx horizon angle large"),
        (
            W::TX_HORIZON_DISTANCE_1,
            "Tx horizon distance under 1/10 of the smooth-earth one",
        ),
        (
            W::RX_HORIZON_DISTANCE_1,
            "Rx horizon distance under 1/10 of the smooth-earth one",
        ),
        (
            W::TX_HORIZON_DISTANCE_2,
            "Tx horizon distance over 3 times the smooth-earth one",
        ),
        (
            W::RX_HORIZON_DISTANCE_2,
            "Rx horizon distance over 3 times the smooth-earth one",
        ),
        (
            W::EXTREME_VARIABILITIES,
            "a variability far in the tail of its distribution",
        ),
        (
            W::SURFACE_REFRACTIVITY,
            "surface refractivity small (use the result with care)",
        ),
    ]
    .into_iter()
    .filter(|(bit, _)| w & bit != 0)
    .map(|(_, text)| text)
    .collect()
}

/// Refuses a non-finite result: no command prints NaN or inf as a value.
pub(crate) fn finite_results(model: &str, rows: &[(&str, f64)]) -> anyhow::Result<()> {
    if let Some((name, v)) = rows.iter().find(|(_, v)| !v.is_finite()) {
        bail!(
            "{model}: the inputs give a non-finite {name} ({v}); check that they are within the model's domain"
        );
    }
    Ok(())
}

/// Fixed-point text of `v` without a `-0.000…` (a negative zero or a value
/// that rounds to zero prints as `0.000…`).
pub(crate) fn fixed(v: f64, decimals: usize) -> String {
    let t = format!("{v:.decimals$}");
    if t.starts_with('-') && t[1..].chars().all(|c| c == '0' || c == '.') {
        t[1..].to_owned()
    } else {
        t
    }
}

/// Checks both antenna heights against the rule of `spectra coverage`:
/// (0, [`bounds::MAX_ANTENNA_HEIGHT_M`]] m (each model then checks its own,
/// narrower, domain).
pub(crate) fn antenna_heights(h_tx_m: f64, h_rx_m: f64) -> anyhow::Result<()> {
    bounds::antenna_height("h_tx_m", h_tx_m).map_err(|e| anyhow!("--h-tx-m: {e}"))?;
    bounds::antenna_height("h_rx_m", h_rx_m).map_err(|e| anyhow!("--h-rx-m: {e}"))?;
    Ok(())
}

/// Checks the terrain of an ITM / eHata path: the step within (0, 100 km]
/// and every height within the bounds of `spectrum_core::bounds`.
fn check_terrain(z: &[f64], step_m: f64, source: &str) -> anyhow::Result<()> {
    bounds::in_range(
        "step_m",
        step_m,
        0.0,
        bounds::MAX_STEP_M,
        bounds::Ends::OpenClosed,
        "m",
    )
    .map_err(|e| anyhow!("{source}: {e}"))?;
    bounds::terrain_heights("heights", z).map_err(|e| anyhow!("{source}: {e}"))?;
    Ok(())
}

/// The flat terrain of `--distance-km D --step-m S`: refuses a step longer
/// than the path, a step over 100 km and more than
/// [`bounds::MAX_PROFILE_POINTS`] points before allocating them.
fn flat_terrain(d_km: f64, step_m: f64) -> anyhow::Result<(Vec<f64>, f64)> {
    if !(d_km > 0.0 && d_km.is_finite()) {
        bail!("--distance-km: expected a finite length > 0 km, found {d_km}");
    }
    let d_m = d_km * 1000.0;
    bounds::in_range(
        "step_m",
        step_m,
        0.0,
        d_m.min(bounds::MAX_STEP_M),
        bounds::Ends::OpenClosed,
        "m (at most the path length and 100 km)",
    )
    .map_err(|e| anyhow!("--step-m: {e}"))?;
    bounds::at_most(
        "step_m",
        "profile points (raise --step-m)",
        (d_m / step_m).round().max(1.0) + 1.0,
        bounds::MAX_PROFILE_POINTS,
    )
    .map_err(|e| anyhow!("--step-m: {e}"))?;
    let n = ((d_m / step_m).round() as usize).max(1);
    Ok((vec![0.0; n + 1], d_m / n as f64))
}

/// Reads an NTIA PFL file ([`itm::parse_pfl`]).
fn read_pfl(path: &Path) -> anyhow::Result<Vec<f64>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading PFL file {}", path.display()))?;
    Ok(itm::parse_pfl(&text, &path.display().to_string())?)
}

#[derive(Serialize)]
struct ItmOutput<'a> {
    model: &'static str,
    mode: &'static str,
    variability: &'a str,
    warning_words: &'a [&'static str],
    params: ItmParams,
    result: ItmResult,
}

/// Runs `spectra propagate itm`.
pub fn run_itm(flags: &ItmFlags) -> anyhow::Result<Status> {
    antenna_heights(flags.h_tx_m, flags.h_rx_m)?;
    let params = ItmParams {
        h_tx_m: flags.h_tx_m,
        h_rx_m: flags.h_rx_m,
        climate: Climate::from_code(flags.climate)?,
        n0_nunits: flags.n0,
        freq_mhz: flags.freq.mhz(),
        polarization: Polarization::from_code(flags.pol)?,
        epsilon: flags.epsilon,
        sigma_s_per_m: flags.sigma,
        mdvar: flags.mdvar,
    };
    let cr = flags.confidence.is_some() || flags.reliability.is_some();
    let tls = (
        flags.time.unwrap_or(50.0),
        flags.location.unwrap_or(50.0),
        flags.situation.unwrap_or(50.0),
    );
    let crv = (
        flags.confidence.unwrap_or(50.0),
        flags.reliability.unwrap_or(50.0),
    );
    let (mode, result) = if flags.area {
        let dist_km = flags.distance_km.context("--area needs --distance-km")?;
        let site = |c: i32, which: &str| {
            SitingCriteria::from_code(c)
                .with_context(|| format!("--{which}-siting must be 0, 1 or 2, found {c}"))
        };
        let (tx, rx) = (site(flags.tx_siting, "tx")?, site(flags.rx_siting, "rx")?);
        let r = if cr {
            itm::area_cr(&params, tx, rx, dist_km, flags.delta_h_m, crv.0, crv.1)
        } else {
            itm::area_tls(
                &params,
                tx,
                rx,
                dist_km,
                flags.delta_h_m,
                tls.0,
                tls.1,
                tls.2,
            )
        };
        ("area", r)
    } else {
        let (elevations, step_m): (Vec<f64>, f64) = if let Some(p) = &flags.pfl {
            let v = read_pfl(p)?;
            let (z, step) = itm::from_pfl(&v)?;
            (z.to_vec(), step)
        } else if let Some(p) = &flags.profile {
            let file = std::fs::File::open(p)
                .with_context(|| format!("opening profile {}", p.display()))?;
            let prof = PathProfile::read_csv(file, &p.display().to_string())?;
            bounds::terrain_heights("heights", &prof.heights_m)
                .map_err(|e| anyhow!("{}: {e}", p.display()))?;
            let r = if cr {
                itm::p2p_cr_profile(&prof, &params, crv.0, crv.1)
            } else {
                itm::p2p_tls_profile(&prof, &params, tls.0, tls.1, tls.2)
            };
            return report_itm(flags, "point-to-point", cr, params, r?);
        } else if let Some(d) = flags.distance_km {
            flat_terrain(d, flags.step_m)?
        } else {
            bail!("give terrain with --pfl, --profile or --distance-km");
        };
        if let Some(p) = &flags.pfl {
            check_terrain(&elevations, step_m, &p.display().to_string())?;
        }
        let r = if cr {
            itm::p2p_cr(&elevations, step_m, &params, crv.0, crv.1)
        } else {
            itm::p2p_tls(&elevations, step_m, &params, tls.0, tls.1, tls.2)
        };
        ("point-to-point", r)
    };
    report_itm(flags, mode, cr, params, result?)
}

fn report_itm(
    flags: &ItmFlags,
    mode: &'static str,
    cr: bool,
    params: ItmParams,
    result: ItmResult,
) -> anyhow::Result<Status> {
    let variability = if cr {
        format!(
            "confidence {} %, reliability {} %",
            flags.confidence.unwrap_or(50.0),
            flags.reliability.unwrap_or(50.0)
        )
    } else {
        format!(
            "time {} %, location {} %, situation {} %",
            flags.time.unwrap_or(50.0),
            flags.location.unwrap_or(50.0),
            flags.situation.unwrap_or(50.0)
        )
    };
    finite_results(
        "ITM",
        &[
            ("basic transmission loss", result.loss_db),
            ("free-space loss", result.intermediate.a_fs_db),
            ("reference attenuation", result.intermediate.a_ref_db),
        ],
    )?;
    let warning_words = itm_warning_words(result.warnings);
    if flags.json {
        print_json(&ItmOutput {
            model: "NTIA ITM v1.3",
            warning_words: &warning_words,
            mode,
            variability: &variability,
            params,
            result,
        })?;
    } else {
        let iv = &result.intermediate;
        print_text(&format!(
            "NTIA ITM v1.3, {mode} mode, {variability}\n\
             Basic transmission loss  {:.1} dB\n\
             Free-space loss          {:.1} dB\n\
             Reference attenuation    {:.1} dB\n\
             Mode of propagation      {}\n\
             Warning flags            0x{:04X}: {}\n\
             d                        {:.3} km\n\
             theta_hzn (tx, rx)       {:.3}, {:.3} mrad\n\
             d_hzn (tx, rx)           {:.0}, {:.0} m\n\
             h_e (tx, rx)             {:.1}, {:.1} m\n\
             N_s                      {:.1} N-units\n\
             delta_h                  {:.1} m",
            result.loss_db,
            iv.a_fs_db,
            iv.a_ref_db,
            words(result.mode),
            result.warnings,
            if warning_words.is_empty() {
                "none".to_owned()
            } else {
                warning_words.join("; ")
            },
            iv.d_km,
            iv.theta_hzn_rad[0] * 1000.0,
            iv.theta_hzn_rad[1] * 1000.0,
            iv.d_hzn_m[0],
            iv.d_hzn_m[1],
            iv.h_e_m[0],
            iv.h_e_m[1],
            iv.n_s_nunits,
            iv.delta_h_m
        ))?;
    }
    Ok(Status::Ok)
}

/// Runs `spectra propagate ehata`.
pub fn run_ehata(flags: &EhataFlags) -> anyhow::Result<Status> {
    antenna_heights(flags.h_b_m, flags.h_m_m)?;
    let (mut z, step) = if let Some(p) = &flags.pfl {
        let v = read_pfl(p)?;
        let (z, step) = itm::from_pfl(&v)?;
        (z.to_vec(), step)
    } else if let Some(d) = flags.distance_km {
        flat_terrain(d, flags.step_m)?
    } else {
        bail!("give terrain with --pfl or --distance-km");
    };
    if let Some(p) = &flags.pfl {
        check_terrain(&z, step, &p.display().to_string())?;
    }
    if flags.reverse {
        z.reverse();
    }
    let options = EhataOptions {
        winnforum_extensions: !(flags.no_winnforum || flags.its_testbed),
        reliability: flags.reliability.map(|r| r / 100.0),
        its_testbed: flags.its_testbed,
    };
    let env = Environment::from_code(flags.env);
    let r = ehata::extended_hata(
        &z,
        step,
        flags.freq.mhz(),
        flags.h_b_m,
        flags.h_m_m,
        env,
        &options,
    )?;
    finite_results(
        "Extended Hata",
        &[
            ("basic transmission loss", r.loss_db),
            ("median basic loss", r.median_loss_db),
            ("terrain corrections", r.corrections_db),
        ],
    )?;
    if flags.json {
        print_json(&r)?;
    } else {
        print_text(&format!(
            "Extended Hata (NTIA TR 15-517), {}\n\
             Basic transmission loss  {:.2} dB\n\
             Median basic loss        {:.2} dB\n\
             Terrain corrections      {:.2} dB\n\
             d                        {:.3} km (break point {:.1} km)\n\
             h_b_eff, h_m_eff         {:.1}, {:.1} m\n\
             delta_h                  {:.1} m\n\
             single horizon           {}",
            words(env),
            r.loss_db,
            r.median_loss_db,
            r.corrections_db,
            r.d_km,
            r.d_bp_km,
            r.h_b_eff_m,
            r.h_m_eff_m,
            r.delta_h_m,
            r.single_horizon
        ))?;
    }
    Ok(Status::Ok)
}

#[derive(Serialize)]
struct ScalarOutput {
    model: String,
    loss_db: f64,
}

pub(crate) fn print_scalar(json: bool, model: String, loss_db: f64) -> anyhow::Result<Status> {
    finite_results(&model, &[("loss", loss_db)])?;
    if json {
        print_json(&ScalarOutput { model, loss_db })?;
    } else {
        print_text(&format!("{model}\nLoss  {} dB", fixed(loss_db, 2)))?;
    }
    Ok(Status::Ok)
}

/// Runs `spectra propagate hata`.
pub fn run_hata(flags: &HataFlags) -> anyhow::Result<Status> {
    antenna_heights(flags.h_b_m, flags.h_m_m)?;
    let Some(env) = HataEnvironment::parse(&flags.env) else {
        bail!(
            "--env must be urban, suburban or open, found `{}`",
            flags.env
        );
    };
    let Some(city) = CitySize::parse(&flags.city) else {
        bail!("--city must be medium or large, found `{}`", flags.city);
    };
    let options = HataOptions {
        allow_extrapolation: flags.extrapolate,
    };
    let loss = hata::hata_loss_db(
        flags.freq.mhz(),
        flags.h_b_m,
        flags.h_m_m,
        flags.distance_km,
        env,
        city,
        &options,
    )?;
    let model = format!(
        "{} ({}, {} city)",
        words(hata::variant_for(flags.freq.mhz())),
        words(env),
        words(city)
    );
    print_scalar(flags.json, model, loss)
}

/// Runs `spectra propagate p2108`.
pub fn run_p2108(flags: &P2108Flags) -> anyhow::Result<Status> {
    let (model, loss) = match flags.method.to_ascii_lowercase().as_str() {
        "height-gain" | "3.1" => {
            let clutter = ClutterType::from_code(
                flags
                    .clutter_type
                    .context("height-gain needs --clutter-type 1..=6")?,
            )?;
            let h = flags.h_m.context("height-gain needs --h-m")?;
            let r = flags
                .clutter_height_m
                .unwrap_or_else(|| clutter.default_height_m());
            let l = p2108::height_gain_terminal_correction_db(
                flags.freq.ghz(),
                h,
                flags.street_width_m,
                r,
                clutter,
            )?;
            ("ITU-R P.2108-1 §3.1 height-gain terminal correction", l)
        }
        "terrestrial" | "3.2" => {
            let d = flags
                .distance_km
                .context("terrestrial needs --distance-km")?;
            let p = flags.percent.context("terrestrial needs --percent")?;
            (
                "ITU-R P.2108-1 §3.2 terrestrial statistical",
                p2108::terrestrial_statistical_db(flags.freq.ghz(), d, p)?,
            )
        }
        "aeronautical" | "3.3" => {
            let t = flags.theta_deg.context("aeronautical needs --theta-deg")?;
            let p = flags.percent.context("aeronautical needs --percent")?;
            (
                "ITU-R P.2108-1 §3.3 aeronautical statistical",
                p2108::aeronautical_statistical_db(flags.freq.ghz(), t, p)?,
            )
        }
        other => {
            bail!("--method must be height-gain, terrestrial or aeronautical, found `{other}`")
        }
    };
    print_scalar(flags.json, model.to_string(), loss)
}

/// Runs `spectra propagate free-space`.
pub fn run_free_space(flags: &FreeSpaceFlags) -> anyhow::Result<Status> {
    if !(flags.freq.mhz() > 0.0 && flags.distance_km > 0.0) {
        bail!(
            "--freq-mhz and --distance-km must be > 0, found {} and {}",
            flags.freq.mhz(),
            flags.distance_km
        );
    }
    let loss = spectrum_core::p525::free_space_loss_db(flags.freq.mhz(), flags.distance_km);
    print_scalar(flags.json, "ITU-R P.525-4 free space".to_string(), loss)
}
