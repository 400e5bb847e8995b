//! ITU-R P.528-5 Annex 2 §10: smooth-earth diffraction over the 4/3 earth
//! (Vogler's residue series reduced to its distance and height-gain
//! functions, with the FAA-ES-83-3 height-gain blend), and §9: the ground
//! reflection coefficient (ε_r = 15, σ = 0.005 S/m).

use super::{EPSILON_R, SIGMA};
use crate::p526::Polarization;
use std::f64::consts::FRAC_PI_2;

/// Distance function G(x) (Vogler 1964 eq 13).
fn distance_function(x: f64) -> f64 {
    0.05751 * x - 10.0 * x.log10()
}

/// Height-gain function F(x, K).
fn height_function(x: f64, k: f64) -> f64 {
    let y = 40.0 * x.log10() - 117.0;
    let g = distance_function(x);
    if x <= 200.0 {
        let x_t = 450.0 / -(k.log10().powi(3));
        if x >= x_t {
            if y.abs() < 117.0 { y } else { -117.0 }
        } else {
            20.0 * k.log10() - 15.0 + 0.000025 * x * x / k
        }
    } else if x > 2000.0 {
        g
    } else {
        let w = 0.0134 * x * (-0.005 * x).exp();
        w * y + (1.0 - w) * g
    }
}

/// Diffraction loss (dB) at `dist_km` for terminals whose horizons are
/// `d_1_km` and `d_2_km` away.
pub(crate) fn smooth_earth_db(
    d_1_km: f64,
    d_2_km: f64,
    freq_mhz: f64,
    dist_km: f64,
    pol: Polarization,
) -> f64 {
    let s = 18000.0 * SIGMA / freq_mhz;
    let er1 = (EPSILON_R - 1.0).powi(2) + s * s;
    let k = match pol {
        Polarization::Horizontal => 0.01778 * freq_mhz.powf(-1.0 / 3.0) * er1.powf(-0.25),
        Polarization::Vertical => {
            0.01778
                * freq_mhz.powf(-1.0 / 3.0)
                * ((EPSILON_R * EPSILON_R + s * s) / er1.powf(0.5)).powf(0.5)
        }
    };
    let b = (1.607 - k) * freq_mhz.powf(1.0 / 3.0);
    distance_function(b * dist_km)
        - height_function(b * d_1_km, k)
        - height_function(b * d_2_km, k)
        - 20.0
}

/// Ground reflection coefficient: (|R_g|, phase φ_g rad) at grazing angle
/// `psi_rad` (eqs 9-1 to 9-11).
pub(crate) fn reflection(psi_rad: f64, freq_mhz: f64, pol: Polarization) -> (f64, f64) {
    let (sin_psi, cos_psi) = if psi_rad <= 0.0 {
        (0.0, 1.0)
    } else if psi_rad >= FRAC_PI_2 {
        (1.0, 0.0)
    } else {
        (psi_rad.sin(), psi_rad.cos())
    };
    let x = 18000.0 * SIGMA / freq_mhz;
    let y = EPSILON_R - cos_psi * cos_psi;
    let t = (y * y + x * x).sqrt() + y;
    let p = (t * 0.5).sqrt();
    let q = x / (2.0 * p);
    let pq = p * p + q * q;
    let (b, a) = match pol {
        Polarization::Horizontal => (1.0 / pq, 2.0 * p / pq),
        Polarization::Vertical => (
            (EPSILON_R * EPSILON_R + x * x) / pq,
            2.0 * (p * EPSILON_R + q * x) / pq,
        ),
    };
    let s2 = sin_psi * sin_psi;
    let r_g = ((1.0 + b * s2 - a * sin_psi) / (1.0 + b * s2 + a * sin_psi)).sqrt();
    let (alpha, beta) = match pol {
        Polarization::Horizontal => ((-q).atan2(sin_psi - p), q.atan2(sin_psi + p)),
        Polarization::Vertical => (
            (EPSILON_R * sin_psi - q).atan2(EPSILON_R * sin_psi - p),
            (x * sin_psi + q).atan2(EPSILON_R * sin_psi + p),
        ),
    };
    (r_g, alpha - beta)
}
