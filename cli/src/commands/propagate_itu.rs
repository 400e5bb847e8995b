//! `spectra propagate p452|p1812|p2109|p676`: one path with ITU-R P.452-18 or
//! P.1812-6, the building entry loss of ITU-R P.2109-1, or the gaseous
//! attenuation of a terrestrial path by ITU-R P.676-13.

use std::fs::File;

use anyhow::{Context, anyhow, bail};
use serde::Serialize;
use spectrum_core::bounds;
use spectrum_core::p452::{self, P452Input, P452Result, PathCentre};
use spectrum_core::p526::{Polarization, SmoothPathMethod};
use spectrum_core::p528;
use spectrum_core::p676;
use spectrum_core::p1812::{self, P1812Input, P1812Result, tropo};
use spectrum_core::p2109;
use spectrum_core::profile::{PathProfile, ProfileError, RadioClimaticZone};

use super::propagate_ntia::{antenna_heights, finite_results, fixed, print_scalar};

use crate::flags::propagate_itu::{
    ItuPathFlags, P452Flags, P528Flags, P676Flags, P1812Flags, P2109Flags, PolFlag, ZoneFlag,
};
use crate::output::{Status, print_json, print_text};

/// A profile CSV given by `--profile` (d_km,h_m[,clutter_m[,zone]]), its
/// terrain heights checked against the bounds.
pub(super) fn read_profile(path: &std::path::Path) -> anyhow::Result<PathProfile> {
    let file =
        File::open(path).with_context(|| format!("cannot open profile {}", path.display()))?;
    let profile = PathProfile::read_csv(file, &path.display().to_string())
        .with_context(|| format!("cannot read profile {}", path.display()))?;
    bounds::terrain_heights("heights", &profile.heights_m)
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(profile)
}

/// The profile given by `--profile` or built from `--distance-km`.
fn load_profile(flags: &ItuPathFlags) -> anyhow::Result<PathProfile> {
    if let Some(path) = &flags.profile {
        return read_profile(path);
    }
    bounds::in_range(
        "ground_m",
        flags.ground_m,
        bounds::MIN_TERRAIN_HEIGHT_M,
        bounds::MAX_TERRAIN_HEIGHT_M,
        bounds::Ends::Closed,
        "m",
    )
    .map_err(|e| anyhow!("--ground-m: {e}"))?;
    let Some(dist) = flags.distance_km else {
        bail!("expected --profile FILE or --distance-km D, found neither");
    };
    let mut profile =
        PathProfile::flat(dist, flags.step_km, flags.ground_m).map_err(|e| match e {
            ProfileError::OutOfBounds(b) => anyhow!("--step-km: {b}"),
            e => anyhow::Error::new(e).context("cannot build a flat profile"),
        })?;
    let n = profile.len();
    if let Some(c) = flags.clutter_m {
        profile.clutter_heights_m = Some(vec![c; n]);
    }
    let zone = match flags.zone {
        ZoneFlag::A1 => RadioClimaticZone::CoastalLand,
        ZoneFlag::A2 => RadioClimaticZone::Inland,
        ZoneFlag::B => RadioClimaticZone::Sea,
    };
    profile.zones = Some(vec![zone; n]);
    Ok(profile)
}

fn path_centre(flags: &ItuPathFlags) -> anyhow::Result<PathCentre> {
    match (
        flags.phi_deg,
        flags.tx_lat,
        flags.tx_lon,
        flags.rx_lat,
        flags.rx_lon,
    ) {
        (Some(phi_deg), ..) => Ok(PathCentre::Latitude { phi_deg }),
        (None, Some(tx_lat_deg), Some(tx_lon_deg), Some(rx_lat_deg), Some(rx_lon_deg)) => {
            Ok(PathCentre::Endpoints {
                tx_lat_deg,
                tx_lon_deg,
                rx_lat_deg,
                rx_lon_deg,
            })
        }
        _ => bail!("expected --phi-deg or all of --tx-lat --tx-lon --rx-lat --rx-lon"),
    }
}

fn polarization(flag: PolFlag) -> Polarization {
    match flag {
        PolFlag::H => Polarization::Horizontal,
        PolFlag::V => Polarization::Vertical,
    }
}

/// JSON document of one prediction.
#[derive(Serialize)]
struct Report<'a, I, R> {
    model: &'static str,
    profile_points: usize,
    inputs: &'a I,
    result: &'a R,
}

/// The (name, value) pairs of text rows, for the finite-result guard.
fn named<'a>(rows: &[(&'a str, f64, &str)]) -> Vec<(&'a str, f64)> {
    rows.iter().map(|(n, v, _)| (*n, *v)).collect()
}

/// Text lines `name  value unit` (no `-0.000000`).
fn lines(rows: &[(&str, f64, &str)]) -> String {
    rows.iter()
        .map(|(name, value, unit)| format!("{name:<10} {:>14} {unit}\n", fixed(*value, 6)))
        .collect()
}

fn p452_rows(r: &P452Result) -> Vec<(&'static str, f64, &'static str)> {
    vec![
        ("Lb", r.lb_db, "dB"),
        ("Lbfsg", r.lbfsg_db, "dB"),
        ("Lb0p", r.lb0p_db, "dB"),
        ("Lb0b", r.lb0b_db, "dB"),
        ("Ldsph", r.ldsph_db, "dB"),
        ("Ld50", r.ld50_db, "dB"),
        ("Ldp", r.ldp_db, "dB"),
        ("Lbd", r.lbd_db, "dB"),
        ("Lbs", r.lbs_db, "dB"),
        ("Lba", r.lba_db, "dB"),
        ("Lbam", r.lbam_db, "dB"),
        ("ae", r.ae_km, "km"),
        ("b0", r.b0_pct, "%"),
        ("omega", r.omega, ""),
        ("theta_t", r.theta_t_mrad, "mrad"),
        ("theta_r", r.theta_r_mrad, "mrad"),
        ("theta", r.theta_mrad, "mrad"),
        ("dlt", r.dlt_km, "km"),
        ("dlr", r.dlr_km, "km"),
        ("hte", r.hte_m, "m"),
        ("hre", r.hre_m, "m"),
        ("hstd", r.hstd_m, "m"),
        ("hsrd", r.hsrd_m, "m"),
        ("hm", r.hm_m, "m"),
        ("dtm", r.dtm_km, "km"),
        ("dlm", r.dlm_km, "km"),
    ]
}

fn p452_text(r: &P452Result) -> String {
    format!(
        "ITU-R P.452-18 basic transmission loss\npath: {:.3} km, {}\n",
        r.dtot_km,
        r.path_type.label()
    ) + &lines(&p452_rows(r))
}

fn p1812_rows(r: &P1812Result) -> Vec<(&'static str, f64, &'static str)> {
    vec![
        ("Lb", r.lb_db, "dB"),
        ("Ep", r.ep_dbuv_m, "dBuV/m"),
        ("Lbc", r.lbc_db, "dB"),
        ("Lloc", r.lloc_db, "dB"),
        ("Lbfs", r.lbfs_db, "dB"),
        ("Lb0p", r.lb0p_db, "dB"),
        ("Ldsph", r.ldsph_db, "dB"),
        ("Ld50", r.ld50_db, "dB"),
        ("Ldp", r.ldp_db, "dB"),
        ("Lbd", r.lbd_db, "dB"),
        ("Lbs", r.lbs_db, "dB"),
        ("Lba", r.lba_db, "dB"),
        ("Lbam", r.lbam_db, "dB"),
        ("ae", r.ae_km, "km"),
        ("b0", r.b0_pct, "%"),
        ("omega", r.omega, ""),
        ("theta", r.theta_mrad, "mrad"),
        ("dlt", r.dlt_km, "km"),
        ("dlr", r.dlr_km, "km"),
        ("hte", r.hte_m, "m"),
        ("hre", r.hre_m, "m"),
        ("hm", r.hm_m, "m"),
    ]
}

fn p1812_text(r: &P1812Result) -> String {
    format!(
        "ITU-R P.1812-6 basic transmission loss and field strength\npath: {:.3} km, {}\n",
        r.dtot_km,
        r.path_type.label()
    ) + &lines(&p1812_rows(r))
}

/// Runs `spectra propagate p452`.
pub fn run_p452(flags: &P452Flags) -> anyhow::Result<Status> {
    let path = &flags.path;
    antenna_heights(path.htx_m, path.hrx_m)?;
    let profile = load_profile(path)?;
    let input = P452Input {
        freq_ghz: path.freq().ghz(),
        time_pct: path.time_pct,
        htg_m: path.htx_m,
        hrg_m: path.hrx_m,
        path_centre: path_centre(path)?,
        gt_dbi: flags.gt_dbi,
        gr_dbi: flags.gr_dbi,
        polarization: polarization(path.pol),
        dct_km: path.dct_km,
        dcr_km: path.dcr_km,
        pressure_hpa: flags.pressure_hpa,
        temperature_c: flags.temp_c,
        dn: path.dn,
        n0: path.n0,
    };
    let result = p452::p452(&input, &profile).context("P.452-18 prediction")?;
    finite_results("P.452-18", &named(&p452_rows(&result)))?;
    if path.json {
        print_json(&Report {
            model: "ITU-R P.452-18",
            profile_points: profile.len(),
            inputs: &input,
            result: &result,
        })?;
    } else {
        print_text(&p452_text(&result))?;
    }
    Ok(Status::Ok)
}

/// Runs `spectra propagate p1812`.
pub fn run_p1812(flags: &P1812Flags) -> anyhow::Result<Status> {
    let path = &flags.path;
    antenna_heights(path.htx_m, path.hrx_m)?;
    let profile = load_profile(path)?;
    let mut input = P1812Input::new(
        path.freq().ghz(),
        path.time_pct,
        path.htx_m,
        path.hrx_m,
        path_centre(path)?,
        polarization(path.pol),
    );
    input.location_pct = flags.location_pct;
    input.location_sigma_db = match flags.sigma_l_db {
        Some(s) => s,
        None => tropo::default_location_std_dev_db(path.freq().ghz(), path.hrx_m, &profile),
    };
    input.tx_power_kw = flags.tx_power_kw;
    input.dn = path.dn;
    input.n0 = path.n0;
    input.dct_km = path.dct_km;
    input.dcr_km = path.dcr_km;
    if flags.attachment4 {
        input.smooth_path = SmoothPathMethod::Attachment4;
    }
    let result = p1812::p1812(&input, &profile).context("P.1812-6 prediction")?;
    finite_results("P.1812-6", &named(&p1812_rows(&result)))?;
    if path.json {
        print_json(&Report {
            model: "ITU-R P.1812-6",
            profile_points: profile.len(),
            inputs: &input,
            result: &result,
        })?;
    } else {
        print_text(&p1812_text(&result))?;
    }
    Ok(Status::Ok)
}

/// Runs `spectra propagate p2109`.
pub fn run_p2109(flags: &P2109Flags) -> anyhow::Result<Status> {
    let class =
        p2109::BuildingClass::from_code(flags.class).map_err(|e| anyhow!("--class: {e}"))?;
    let loss_db =
        p2109::building_entry_loss_db(flags.freq.ghz(), flags.percent, class, flags.theta_deg)?;
    let model = format!(
        "ITU-R P.2109-1 building entry loss ({} building)",
        match class {
            p2109::BuildingClass::Traditional => "traditional",
            p2109::BuildingClass::ThermallyEfficient => "thermally efficient",
        }
    );
    print_scalar(flags.json, model, loss_db)
}

/// `spectra propagate p676 --elevation-deg … --json`: the slant path.
#[derive(Serialize)]
struct SlantOutput {
    model: String,
    loss_db: f64,
    bending_rad: f64,
    length_km: f64,
    layers: usize,
}

/// Runs `spectra propagate p676`.
pub fn run_p676(flags: &P676Flags) -> anyhow::Result<Status> {
    let Some(elevation_deg) = flags.elevation_deg else {
        let distance_km = flags.distance_km.ok_or_else(|| {
            anyhow!("give --distance-km (terrestrial) or --elevation-deg (slant)")
        })?;
        let a_db = p676::terrestrial_path_db(
            flags.freq.ghz(),
            distance_km,
            flags.pressure_hpa,
            flags.rho_g_m3,
            flags.temp_c + 273.15,
        )?;
        return print_scalar(
            flags.json,
            "ITU-R P.676-13 gaseous attenuation (Annex 1, terrestrial path)".to_string(),
            a_db,
        );
    };
    let path = p676::slant::slant_path(
        flags.freq.ghz(),
        flags.station_km,
        flags.upper_km,
        elevation_deg,
    )?;
    let model = "ITU-R P.676-13 gaseous attenuation (Annex 1 §2.2, slant path, P.835-6 mean annual global atmosphere)"
        .to_string();
    finite_results(
        &model,
        &[("loss", path.attenuation_db), ("bending", path.bending_rad)],
    )?;
    if flags.json {
        print_json(&SlantOutput {
            model,
            loss_db: path.attenuation_db,
            bending_rad: path.bending_rad,
            length_km: path.length_km,
            layers: path.layers,
        })?;
    } else {
        print_text(&format!(
            "{model}\nLoss     {} dB\nBending  {} mrad\nLength   {} km ({} layers)",
            fixed(path.attenuation_db, 2),
            fixed(path.bending_rad * 1e3, 3),
            fixed(path.length_km, 2),
            path.layers
        ))?;
    }
    Ok(Status::Ok)
}

/// `spectra propagate p528 --json`.
#[derive(Serialize)]
struct P528Output {
    model: &'static str,
    mode: &'static str,
    loss_db: f64,
    free_space_db: f64,
    absorption_db: f64,
    dist_km: f64,
    elevation_h1_deg: f64,
    warnings: Vec<&'static str>,
}

/// Runs `spectra propagate p528`.
pub fn run_p528(flags: &P528Flags) -> anyhow::Result<Status> {
    let pol = match flags.pol {
        PolFlag::H => Polarization::Horizontal,
        PolFlag::V => Polarization::Vertical,
    };
    let r = p528::p528(
        flags.distance_km,
        flags.h1_m,
        flags.h2_m,
        flags.freq.mhz(),
        pol,
        flags.time_percent,
    )?;
    let model = "ITU-R P.528-5 aeronautical basic transmission loss";
    finite_results(model, &[("loss", r.loss_db)])?;
    let warnings: Vec<&'static str> = [
        (
            p528::warning::NO_TROPO_CROSSOVER,
            "no troposcatter crossover within 100 km of the horizon",
        ),
        (
            p528::warning::H1_ABOVE_20_KM,
            "terminal 1 above 20 km (extrapolated)",
        ),
        (
            p528::warning::H2_ABOVE_20_KM,
            "terminal 2 above 20 km (extrapolated)",
        ),
    ]
    .into_iter()
    .filter(|(bit, _)| r.warnings & bit != 0)
    .map(|(_, text)| text)
    .collect();
    let out = P528Output {
        model,
        mode: r.mode.name(),
        loss_db: r.loss_db,
        free_space_db: r.free_space_db,
        absorption_db: r.absorption_db,
        dist_km: r.dist_km,
        elevation_h1_deg: r.elevation_h1_rad.to_degrees(),
        warnings,
    };
    if flags.json {
        print_json(&out)?;
    } else {
        let mut text = format!(
            "{model} ({}, {} % of time)\nLoss        {} dB\nFree space  {} dB\nAbsorption  {} dB\nElevation   {} deg at terminal 1",
            out.mode,
            flags.time_percent,
            fixed(out.loss_db, 2),
            fixed(out.free_space_db, 2),
            fixed(out.absorption_db, 3),
            fixed(out.elevation_h1_deg, 3)
        );
        for w in &out.warnings {
            text.push_str(&format!("\nWarning: {w}"));
        }
        print_text(&text)?;
    }
    Ok(Status::Ok)
}
