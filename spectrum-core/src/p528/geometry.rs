//! ITU-R P.528-5 Annex 2 §4 (terminal geometry: ray-traced horizon, effective
//! height) and §7 (ray optics of the two-ray line-of-sight model over an
//! earth of radius a_a chosen by the reflection angle ψ), with the searches
//! on ψ the reference implementation uses: bisection from ψ = π/2 with a
//! first step of −π/4, halved each time, returning the last ψ evaluated.

use super::gas::slant_path;
use super::{A_0_KM, A_E_KM, P528Error};
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};

/// One terminal after §4.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Terminal {
    /// Height above ground, km.
    pub h_r_km: f64,
    /// Effective height over the a_e earth, km (eq 4-2).
    pub h_e_km: f64,
    /// h_r − h_e, km (eq 4-3).
    pub delta_h_km: f64,
    /// Ray-traced horizon distance, km.
    pub d_r_km: f64,
    /// Length of the ray to the horizon, km.
    pub a_km: f64,
    /// Elevation of the horizon ray at the terminal, rad.
    pub theta_rad: f64,
    /// Gaseous absorption of the horizon ray, dB.
    pub a_a_db: f64,
}

impl Terminal {
    /// §4: traces the grazing ray from the ground up to a terminal at `h_r_km`.
    pub fn new(freq_mhz: f64, h_r_km: f64) -> Result<Self, P528Error> {
        let ray = slant_path(freq_mhz / 1000.0, 0.0, h_r_km, FRAC_PI_2)?;
        let theta_rad = FRAC_PI_2 - ray.angle_rad;
        let d_r_km = A_0_KM * (theta_rad + ray.bending_rad);
        let phi_rad = d_r_km / A_E_KM;
        let h_e_km = A_E_KM / phi_rad.cos() - A_E_KM;
        Ok(Self {
            h_r_km,
            h_e_km,
            delta_h_km: h_r_km - h_e_km,
            d_r_km,
            a_km: ray.length_km,
            theta_rad,
            a_a_db: ray.a_gas_db,
        })
    }
}

/// The two-ray geometry at one reflection angle (§7).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RayOptics {
    /// Distances from each terminal to the reflection point, km (eq 7-8).
    pub d_km: [f64; 2],
    /// Great-circle distance, km (eq 7-11).
    pub dist_km: f64,
    /// Direct ray length, km (eq 7-13).
    pub r_0_km: f64,
    /// Reflected ray length, km (eq 7-14).
    pub r_12_km: f64,
    /// Path-length difference, km (eq 7-15).
    pub delta_r_km: f64,
    /// Elevation of the direct ray at terminal 1, rad (eq 7-16).
    pub theta_h1_rad: f64,
    /// Radius of the earth of this ψ, km (eq 7-3).
    pub a_a_km: f64,
}

impl RayOptics {
    /// §7 at reflection angle `psi_rad`.
    pub fn at(t: &[Terminal; 2], psi_rad: f64) -> Self {
        let z = A_0_KM / A_E_KM - 1.0;
        let k_a = 1.0 / (1.0 + z * psi_rad.cos());
        let a_a_km = A_0_KM * k_a;
        let mut zs = [0.0; 2];
        let mut theta = [0.0; 2];
        let mut d_km = [0.0; 2];
        let mut hp = [0.0; 2];
        for i in 0..2 {
            let h = t[i].h_r_km - t[i].delta_h_km * (a_a_km - A_0_KM) / (A_E_KM - A_0_KM);
            zs[i] = a_a_km + h;
            theta[i] = (a_a_km * psi_rad.cos() / zs[i]).acos() - psi_rad;
            d_km[i] = zs[i] * theta[i].sin();
            hp[i] = if psi_rad > 1.56 {
                h
            } else {
                d_km[i] * psi_rad.tan()
            };
        }
        let delta_z = (zs[0] - zs[1]).abs();
        let dist_km = (a_a_km * (theta[0] + theta[1])).max(0.0);
        let alpha = ((hp[1] - hp[0]) / (d_km[0] + d_km[1])).atan();
        let r_0_km = delta_z.max((d_km[0] + d_km[1]) / alpha.cos());
        let r_12_km = (d_km[0] + d_km[1]) / psi_rad.cos();
        Self {
            d_km,
            dist_km,
            r_0_km,
            r_12_km,
            delta_r_km: 4.0 * hp[0] * hp[1] / (r_0_km + r_12_km),
            theta_h1_rad: alpha - theta[0],
            a_a_km,
        }
    }
}

/// Bisection on ψ from π/2; `go_up(geometry)` says whether ψ must grow,
/// `done(geometry, step)` when to stop. Returns the last ψ evaluated and its
/// geometry.
fn bisect(
    t: &[Terminal; 2],
    go_up: impl Fn(&RayOptics) -> bool,
    done: impl Fn(&RayOptics, f64) -> bool,
) -> (f64, RayOptics) {
    let mut psi = FRAC_PI_2;
    let mut step = -FRAC_PI_4;
    loop {
        psi += step;
        let g = RayOptics::at(t, psi);
        step = if go_up(&g) {
            step.abs() / 2.0
        } else {
            -step.abs() / 2.0
        };
        // Beyond 200 halvings the step is below any double's resolution.
        if done(&g, step) || step == 0.0 {
            return (psi, g);
        }
    }
}

/// ψ whose great-circle distance is within 1 m of `dist_km`.
pub(crate) fn psi_at_distance(t: &[Terminal; 2], dist_km: f64) -> f64 {
    if dist_km == 0.0 {
        return FRAC_PI_2;
    }
    bisect(
        t,
        |g| g.dist_km > dist_km,
        |g, step| (dist_km - g.dist_km).abs() <= 1e-3 || step.abs() <= 1e-12,
    )
    .0
}

/// ψ (and its geometry) where the path-length difference is `delta_r_km`,
/// to within `tolerance_km`.
pub(crate) fn at_delta_r(
    t: &[Terminal; 2],
    delta_r_km: f64,
    tolerance_km: f64,
) -> (f64, RayOptics) {
    bisect(
        t,
        |g| g.delta_r_km <= delta_r_km,
        |g, _| (g.delta_r_km - delta_r_km).abs() <= tolerance_km,
    )
}
