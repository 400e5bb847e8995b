//! ITM v1.3 reference attenuation (NTIA `LongleyRice`, `LineOfSightLoss`,
//! `InitializePointToPoint`): the line-of-sight two-ray/diffraction blend, the
//! diffraction line and the troposcatter line, chosen by distance.

use super::complex::Complex;
use super::diffraction::{Diffraction, Path, sigma_h, terrain_roughness, troposcatter_loss};
use super::frequency::FrequencyTerms;
use super::{ItmError, Polarization, PropagationMode, warnings};

/// Ground impedance, effective earth curvature and surface refractivity
/// (NTIA `InitializePointToPoint`).
pub(crate) struct Init {
    pub z_g: Complex,
    pub gamma_e: f64,
    pub n_s: f64,
}

/// Initializes the path constants from the average path height `h_sys_m`.
pub(crate) fn initialize(
    f_mhz: f64,
    h_sys_m: f64,
    n_0: f64,
    pol: Polarization,
    epsilon: f64,
    sigma: f64,
) -> Init {
    const GAMMA_A: f64 = 157e-9;
    let n_s = if h_sys_m == 0.0 {
        n_0
    } else {
        n_0 * (-h_sys_m / 9460.0).exp()
    };
    let gamma_e = GAMMA_A * (1.0 - 0.04665 * (n_s / 179.3).exp());
    let ep_r = Complex::new(epsilon, 18000.0 * sigma / f_mhz);
    let mut z_g = Complex::new(ep_r.re - 1.0, ep_r.im).sqrt();
    if pol == Polarization::Vertical {
        z_g = z_g.div(ep_r);
    }
    Init { z_g, gamma_e, n_s }
}

fn line_of_sight_loss(d_m: f64, p: &Path, m_d: f64, a_d0: f64) -> f64 {
    let delta_h_d = terrain_roughness(d_m, p.delta_h_m);
    let sigma_h_d = sigma_h(delta_h_d);
    let wn = p.f_mhz / 47.7;
    let h_sum = p.h_e_m[0] + p.h_e_m[1];
    let sin_psi = h_sum / (d_m.powi(2) + h_sum.powi(2)).sqrt();
    let s = Complex::new(sin_psi, 0.0);
    let mut r_e = s
        .sub(p.z_g)
        .div(s.add(p.z_g))
        .scale((-(wn * sigma_h_d * sin_psi).min(10.0)).exp());
    let q = r_e.re.powi(2) + r_e.im.powi(2);
    if q < 0.25 || q < sin_psi {
        r_e = r_e.scale((sin_psi / q).sqrt());
    }
    let mut delta_phi = wn * 2.0 * p.h_e_m[0] * p.h_e_m[1] / d_m;
    let half_pi = std::f64::consts::PI / 2.0;
    if delta_phi > half_pi {
        delta_phi = std::f64::consts::PI - half_pi.powi(2) / delta_phi;
    }
    let rr = Complex::new(delta_phi.cos(), -delta_phi.sin()).add(r_e);
    let a_t = -10.0 * (rr.re.powi(2) + rr.im.powi(2)).log10();
    let a_d = m_d * d_m + a_d0;
    let w = 1.0 / (1.0 + p.f_mhz * p.delta_h_m / p.d_sml_m.max(10e3));
    w * a_t + (1.0 - w) * a_d
}

/// Output of [`longley_rice`].
pub(crate) struct Reference {
    pub a_ref_db: f64,
    pub mode: PropagationMode,
}

/// Inputs of [`longley_rice`].
pub(crate) struct LrInput {
    pub theta_hzn: [f64; 2],
    pub f_mhz: f64,
    pub z_g: Complex,
    pub d_hzn_m: [f64; 2],
    pub h_e_m: [f64; 2],
    pub gamma_e: f64,
    pub n_s: f64,
    pub delta_h_m: f64,
    pub h_m: [f64; 2],
    pub d_m: f64,
    pub p2p: bool,
}

/// Reference attenuation (NTIA `LongleyRice`); adds warning flags to `warn`.
pub(crate) fn longley_rice(inp: &LrInput, warn: &mut u32) -> Result<Reference, ItmError> {
    let a_e = 1.0 / inp.gamma_e;
    let d_hzn_s = [
        (2.0 * inp.h_e_m[0] * a_e).sqrt(),
        (2.0 * inp.h_e_m[1] * a_e).sqrt(),
    ];
    let d_sml = d_hzn_s[0] + d_hzn_s[1];
    let d_ml = inp.d_hzn_m[0] + inp.d_hzn_m[1];
    let theta_los = -(inp.theta_hzn[0] + inp.theta_hzn[1]).max(-d_ml / a_e);
    if inp.theta_hzn[0].abs() > 200e-3 {
        *warn |= warnings::TX_HORIZON_ANGLE;
    }
    if inp.theta_hzn[1].abs() > 200e-3 {
        *warn |= warnings::RX_HORIZON_ANGLE;
    }
    if inp.d_hzn_m[0] < 0.1 * d_hzn_s[0] {
        *warn |= warnings::TX_HORIZON_DISTANCE_1;
    }
    if inp.d_hzn_m[1] < 0.1 * d_hzn_s[1] {
        *warn |= warnings::RX_HORIZON_DISTANCE_1;
    }
    if inp.d_hzn_m[0] > 3.0 * d_hzn_s[0] {
        *warn |= warnings::TX_HORIZON_DISTANCE_2;
    }
    if inp.d_hzn_m[1] > 3.0 * d_hzn_s[1] {
        *warn |= warnings::RX_HORIZON_DISTANCE_2;
    }
    if inp.n_s < 150.0 {
        return Err(ItmError::SurfaceRefractivitySmall { found: inp.n_s });
    }
    if inp.n_s > 400.0 {
        return Err(ItmError::SurfaceRefractivityLarge { found: inp.n_s });
    }
    if inp.n_s < 250.0 {
        *warn |= warnings::SURFACE_REFRACTIVITY;
    }
    if !(4_000_000.0..=13_333_333.0).contains(&a_e) {
        return Err(ItmError::EffectiveEarth { found_m: a_e });
    }
    if inp.z_g.re <= inp.z_g.im.abs() {
        return Err(ItmError::GroundImpedance);
    }
    let path = Path {
        d_hzn_m: inp.d_hzn_m,
        h_e_m: inp.h_e_m,
        theta_hzn: inp.theta_hzn,
        h_m: inp.h_m,
        z_g: inp.z_g,
        a_e_m: a_e,
        delta_h_m: inp.delta_h_m,
        theta_los,
        d_sml_m: d_sml,
        f_mhz: inp.f_mhz,
        n_s: inp.n_s,
        p2p: inp.p2p,
    };
    let scale = (a_e.powi(2) / inp.f_mhz).powf(1.0 / 3.0);
    let d_3 = d_sml.max(d_ml + 5.0 * scale);
    let d_4 = d_3 + 10.0 * scale;
    let diffraction = Diffraction::new(&path);
    let a_3 = diffraction.loss(d_3);
    let a_4 = diffraction.loss(d_4);
    let m_d = (a_4 - a_3) / (d_4 - d_3);
    let a_d0 = a_3 - m_d * d_3;
    let d = inp.d_m;
    let d_min = (inp.h_e_m[0] - inp.h_e_m[1]).abs() / 200e-3;
    if d < d_min {
        *warn |= warnings::PATH_DISTANCE_TOO_SMALL_1;
    }
    if d < 1e3 {
        *warn |= warnings::PATH_DISTANCE_TOO_SMALL_2;
    }
    if d > 1000e3 {
        *warn |= warnings::PATH_DISTANCE_TOO_BIG_1;
    }
    if d > 2000e3 {
        *warn |= warnings::PATH_DISTANCE_TOO_BIG_2;
    }
    let (a_ref, mode) = if d < d_sml {
        let a_sml = d_sml * m_d + a_d0;
        let mut d_0 = 0.04 * inp.f_mhz * inp.h_e_m[0] * inp.h_e_m[1];
        let d_1 = if a_d0 >= 0.0 {
            d_0 = d_0.min(0.5 * d_ml);
            d_0 + 0.25 * (d_ml - d_0)
        } else {
            (-a_d0 / m_d).max(0.25 * d_ml)
        };
        let a_1 = line_of_sight_loss(d_1, &path, m_d, a_d0);
        let mut flag = false;
        let mut k1 = 0.0;
        let mut k2 = 0.0;
        if d_0 < d_1 {
            let a_0 = line_of_sight_loss(d_0, &path, m_d, a_d0);
            let q = (d_sml / d_0).ln();
            k2 = (((d_sml - d_0) * (a_1 - a_0) - (d_1 - d_0) * (a_sml - a_0))
                / ((d_sml - d_0) * (d_1 / d_0).ln() - (d_1 - d_0) * q))
                .max(0.0);
            flag = a_d0 > 0.0 || k2 > 0.0;
            if flag {
                k1 = (a_sml - a_0 - k2 * q) / (d_sml - d_0);
                if k1 < 0.0 {
                    k1 = 0.0;
                    k2 = dim(a_sml, a_0) / q;
                    if k2 == 0.0 {
                        k1 = m_d;
                    }
                }
            }
        }
        if !flag {
            k1 = dim(a_sml, a_1) / (d_sml - d_1);
            k2 = 0.0;
            if k1 == 0.0 {
                k1 = m_d;
            }
        }
        let a_o = a_sml - k1 * d_sml - k2 * d_sml.ln();
        (a_o + k1 * d + k2 * d.ln(), PropagationMode::LineOfSight)
    } else {
        let d_5 = d_ml + 200e3;
        let d_6 = d_ml + 400e3;
        let mut h0 = -1.0;
        let a_6 = troposcatter_loss(d_6, &path, &mut h0);
        let a_5 = troposcatter_loss(d_5, &path, &mut h0);
        let (m_s, a_s0, d_x) = if a_5 < 1000.0 {
            let m_s = (a_6 - a_5) / 200e3;
            let d_x = d_sml
                .max(d_ml + 1.088 * scale * FrequencyTerms::of(inp.f_mhz).ln)
                .max((a_5 - a_d0 - m_s * d_5) / (m_d - m_s));
            (m_s, (m_d - m_s) * d_x + a_d0, d_x)
        } else {
            (m_d, a_d0, 10e6)
        };
        if d > d_x {
            (m_s * d + a_s0, PropagationMode::Troposcatter)
        } else {
            (m_d * d + a_d0, PropagationMode::Diffraction)
        }
    };
    Ok(Reference {
        a_ref_db: a_ref.max(0.0),
        mode,
    })
}

/// FORTRAN `DIM`: positive difference.
fn dim(x: f64, y: f64) -> f64 {
    if x > y { x - y } else { 0.0 }
}
