//! ITU-R P.528-5 Annex 2 §§6, 8 and 13: the line-of-sight region — two-ray
//! interference with the divergence and ray-length factors up to d_0, a
//! straight line from d_0 to the diffraction loss at the maximum
//! line-of-sight distance d_ML beyond it, and the variability of the region
//! (long-term, and Nakagami-Rice with the K of §13).

use super::diffraction::reflection;
use super::gas::{Layers, slant_path_in};
use super::geometry::{RayOptics, Terminal, at_delta_r, psi_at_distance};
use super::variability::{combine, k_for_99_percent, long_term, nakagami_rice};
use super::{P528Error, Path};
use crate::itm::free_space_loss_db;
use crate::p526::Polarization;
use std::f64::consts::{FRAC_PI_2, PI};

/// What the line-of-sight model gives at one distance, before the time
/// percentage ([`LineOfSight::loss_db`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineOfSight {
    /// Ray-optics distance actually reached (within 1 m of the request), km.
    pub dist_km: f64,
    /// The distance asked, km.
    asked_km: f64,
    /// Two-ray loss term A_LOS, dB.
    a_los_db: f64,
    /// Elevation weight of the long-term variability.
    f_theta_h: f64,
    /// Median long-term variability, dB.
    y_e_50_db: f64,
    /// Free-space loss over the direct ray, dB.
    pub free_space_db: f64,
    /// Gaseous absorption along the direct ray, dB.
    pub absorption_db: f64,
    /// Elevation of the direct ray at terminal 1, rad.
    pub theta_h1_rad: f64,
    /// The Nakagami-Rice K of the region (§13), dB.
    pub k_los_db: f64,
}

/// Two-ray loss term A_LOS (dB, ≤ 0 is a gain over free space) and the
/// effective reflection coefficient R_Tg at reflection angle `psi_rad` (§8).
#[allow(clippy::too_many_arguments)]
fn path_loss(
    psi_rad: f64,
    g: &RayOptics,
    path: &Path,
    freq_mhz: f64,
    psi_limit_rad: f64,
    a_dml_db: f64,
    a_d0_db: f64,
    pol: Polarization,
) -> (f64, f64) {
    let (r_g, phi_g) = reflection(psi_rad, freq_mhz, pol);
    let d_v = if psi_rad.tan() >= 0.1 {
        1.0
    } else {
        let r_1 = g.d_km[0] / psi_rad.cos();
        let r_2 = g.d_km[1] / psi_rad.cos();
        let r_r = r_1 * r_2 / g.r_12_km;
        let s = psi_rad.sin();
        let term_1 = 2.0 * r_r * (1.0 + s * s) / (g.a_a_km * s);
        let term_2 = (2.0 * r_r / g.a_a_km).powi(2);
        (1.0 + term_1 + term_2).powf(-0.5)
    };
    let f_r = (g.r_0_km / g.r_12_km).min(1.0);
    let r_tg = r_g * d_v * f_r;
    let a_los_db = if g.dist_km > path.d_0_km {
        (g.dist_km - path.d_0_km) * (a_dml_db - a_d0_db) / (path.d_ml_km - path.d_0_km) + a_d0_db
    } else if psi_rad > psi_limit_rad {
        0.0
    } else {
        let lambda_km = 0.2997925 / freq_mhz;
        let phi_tg = 2.0 * PI * g.delta_r_km / lambda_km + phi_g;
        let (re, im) = (1.0 + r_tg * phi_tg.cos(), -r_tg * phi_tg.sin());
        let w_rl = re.hypot(im).min(1.0);
        10.0 * (w_rl * w_rl).log10()
    };
    (a_los_db, r_tg)
}

/// Where the two-ray model ends (d_0), tuned so that ray optics reaches it.
fn tune_d0(t: &[Terminal; 2], path: &Path, d_y6_km: f64) -> f64 {
    let d_r1 = t[0].d_r_km;
    let start = if d_r1 >= path.d_d_km || path.d_d_km >= path.d_ml_km {
        if d_r1 > d_y6_km || d_y6_km > path.d_ml_km {
            d_r1
        } else {
            d_y6_km
        }
    } else if path.d_d_km < d_y6_km && d_y6_km < path.d_ml_km {
        d_y6_km
    } else {
        path.d_d_km
    };
    let mut d = start;
    loop {
        let reached = RayOptics::at(t, psi_at_distance(t, d)).dist_km;
        if reached >= start || d + 0.001 >= path.d_ml_km {
            return reached;
        }
        d += 0.001;
    }
}

/// What the line-of-sight model fixes once per pair of terminals: ψ where
/// the path difference is λ/2, the end of the two-ray region d_0 (stored in
/// the [`Path`]) and the loss there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LosSetup {
    psi_limit_rad: f64,
    a_d0_db: f64,
}

impl LosSetup {
    /// §6 up to the loss at d_0, with `a_dml_db` the negated diffraction loss at d_ML.
    pub fn new(
        t: &[Terminal; 2],
        path: &mut Path,
        freq_mhz: f64,
        a_dml_db: f64,
        pol: Polarization,
    ) -> Self {
        let lambda_km = 0.2997925 / freq_mhz;
        let terminate = lambda_km / 1e6;
        let psi_limit_rad = at_delta_r(t, lambda_km / 2.0, terminate).0;
        let d_y6_km = at_delta_r(t, lambda_km / 6.0, terminate).1.dist_km;
        path.d_0_km = tune_d0(t, path, d_y6_km);
        let psi_d0 = psi_at_distance(t, path.d_0_km);
        let g_d0 = RayOptics::at(t, psi_d0);
        let (a_d0_db, _) = path_loss(
            psi_d0,
            &g_d0,
            path,
            freq_mhz,
            psi_limit_rad,
            a_dml_db,
            0.0,
            pol,
        );
        Self {
            psi_limit_rad,
            a_d0_db,
        }
    }
}

/// The line-of-sight model at `dist_km` (§6), with `a_dml_db` the negated
/// diffraction loss at d_ML and `layers` those from terminal 1 to terminal 2.
#[allow(clippy::too_many_arguments)]
pub(crate) fn line_of_sight(
    t: &[Terminal; 2],
    path: &Path,
    setup: &LosSetup,
    layers: &Layers,
    freq_mhz: f64,
    a_dml_db: f64,
    dist_km: f64,
    pol: Polarization,
) -> Result<LineOfSight, P528Error> {
    let lambda_km = 0.2997925 / freq_mhz;
    let psi = psi_at_distance(t, dist_km);
    let g = RayOptics::at(t, psi);
    let (a_los_db, r_tg) = path_loss(
        psi,
        &g,
        path,
        freq_mhz,
        setup.psi_limit_rad,
        a_dml_db,
        setup.a_d0_db,
        pol,
    );
    let slant = slant_path_in(
        Some(layers),
        freq_mhz / 1000.0,
        t[0].h_r_km,
        t[1].h_r_km,
        FRAC_PI_2 - g.theta_h1_rad,
    )?;
    let free_space_db = free_space_loss_db(g.r_0_km * 1000.0, freq_mhz);
    // §13: variability.
    let th = g.theta_h1_rad;
    let f_theta_h = if th <= 0.0 {
        1.0
    } else if th >= 1.0 {
        0.0
    } else {
        (0.5 - (1.0 / PI) * (20.0 * (32.0 * th).log10()).atan()).max(0.0)
    };
    let lt = |pp: f64| {
        long_term(
            t[0].d_r_km,
            t[1].d_r_km,
            dist_km,
            freq_mhz,
            pp,
            f_theta_h,
            a_los_db,
        )
    };
    let (y_e_50, a_y) = lt(50.0);
    let f_ay = if a_y <= 0.0 {
        1.0
    } else if a_y >= 9.0 {
        0.1
    } else {
        (1.1 + 0.9 * (a_y / 9.0 * PI).cos()) / 2.0
    };
    let dr = g.delta_r_km;
    let f_dr = if dr >= lambda_km / 2.0 {
        1.0
    } else if dr <= lambda_km / 6.0 {
        0.1
    } else {
        0.5 * (1.1 - 0.9 * ((3.0 * PI) / lambda_km * (dr - lambda_km / 6.0)).cos())
    };
    let r_s = r_tg * f_dr * f_ay;
    let y_pi_99 = 10.0 * (freq_mhz * slant.length_km.powi(3)).log10() - 84.26;
    let w_a = 10f64.powf(k_for_99_percent(y_pi_99) / 10.0);
    let w = r_s * r_s + 0.01 * 0.01 + w_a;
    let k_los_db = if w <= 0.0 {
        -40.0
    } else {
        (10.0 * w.log10()).max(-40.0)
    };
    Ok(LineOfSight {
        dist_km: g.dist_km,
        asked_km: dist_km,
        free_space_db,
        absorption_db: slant.a_gas_db,
        theta_h1_rad: th,
        k_los_db,
        a_los_db,
        f_theta_h,
        y_e_50_db: y_e_50,
    })
}

impl LineOfSight {
    /// Basic transmission loss (dB) not exceeded for `p` % of the time.
    pub fn loss_db(&self, t: &[Terminal; 2], freq_mhz: f64, p: f64) -> f64 {
        let (y_e, _) = long_term(
            t[0].d_r_km,
            t[1].d_r_km,
            self.asked_km,
            freq_mhz,
            p,
            self.f_theta_h,
            self.a_los_db,
        );
        let y_total = -combine(self.y_e_50_db, y_e, 0.0, nakagami_rice(self.k_los_db, p), p);
        self.free_space_db + self.absorption_db - self.a_los_db + y_total
    }
}
