//! ITM v1.3 diffraction and troposcatter attenuation: knife-edge and
//! smooth-earth (Vogler 1964) diffraction blended with terrain clutter, and the
//! troposcatter loss with its H₀ frequency-gain function (NTIA
//! `DiffractionLoss`, `KnifeEdgeDiffraction`, `SmoothEarthDiffraction`,
//! `HeightFunction`, `FresnelIntegral`, `TroposcatterLoss`, `H0Function`).

use super::complex::Complex;
use super::frequency::{FrequencyTerms, THIRD};

/// Actual earth radius used by the smooth-earth diffraction, m.
const A_0_M: f64 = 6370e3;

/// Terrain roughness Δh(d) for distance `d_m` ([ERL 79-ITS 67, eq. 3]).
pub(crate) fn terrain_roughness(d_m: f64, delta_h_m: f64) -> f64 {
    delta_h_m * (1.0 - 0.8 * (-d_m / 50e3).exp())
}

/// RMS deviation of terrain within the first Fresnel zone ([ERL 79-ITS 67, eq. 3.6a]).
pub(crate) fn sigma_h(delta_h_m: f64) -> f64 {
    0.78 * delta_h_m * (-0.5 * delta_h_m.powf(0.25)).exp()
}

/// Fresnel-integral approximation of a knife edge, argument v².
fn fresnel_integral(v2: f64) -> f64 {
    if v2 < 5.76 {
        6.02 + 9.11 * v2.sqrt() - 1.27 * v2
    } else {
        12.953 + 10.0 * v2.log10()
    }
}

fn knife_edge(d_m: f64, f_mhz: f64, a_e_m: f64, theta_los: f64, d_hzn_m: [f64; 2]) -> f64 {
    let d_ml = d_hzn_m[0] + d_hzn_m[1];
    let theta_nlos = d_m / a_e_m - theta_los;
    let d_nlos = d_m - d_ml;
    let v1 = 0.0795775 * (f_mhz / 47.7) * theta_nlos.powi(2) * d_hzn_m[0] * d_nlos
        / (d_nlos + d_hzn_m[0]);
    let v2 = 0.0795775 * (f_mhz / 47.7) * theta_nlos.powi(2) * d_hzn_m[1] * d_nlos
        / (d_nlos + d_hzn_m[1]);
    fresnel_integral(v1) + fresnel_integral(v2)
}

/// Vogler's height-gain function F(x, K), dB.
fn height_function(x_km: f64, k: f64) -> f64 {
    if x_km < 200.0 {
        let w = -k.ln();
        if k < 1e-5 || x_km * w.powi(3) > 5495.0 {
            let mut r = -117.0;
            if x_km > 1.0 {
                r += 17.372 * x_km.ln();
            }
            r
        } else {
            2.5e-5 * x_km.powi(2) / k - 8.686 * w - 15.0
        }
    } else {
        let mut r = 0.05751 * x_km - 4.343 * x_km.ln();
        if x_km < 2000.0 {
            let w = 0.0134 * x_km * (-0.005 * x_km).exp();
            r = (1.0 - w) * r + w * (17.372 * x_km.ln() - 117.0);
        }
        r
    }
}

/// Vogler's smooth-earth coefficients (C₀, K, B₀) for the earth radius
/// `a` of one leg; `f_m_third` = f^−⅓ (f in MHz), `z_abs` = |Z_g|.
fn coefficients(a: f64, f_m_third: f64, z_abs: f64) -> (f64, f64, f64) {
    let c_0 = ((4.0 / 3.0) * A_0_M / a).powf(THIRD);
    let k = 0.017778 * c_0 * f_m_third / z_abs;
    (c_0, k, 1.607 - k)
}

/// What the smooth-earth diffraction of one path does not take from the
/// distance: the two horizon legs' coefficients and height-gain terms,
/// f^±⅓ and |Z_g|. The same arithmetic as NTIA's `SmoothEarthDiffraction`
/// does on every call, done once per path.
#[derive(Debug, Clone, Copy)]
struct SmoothEarth {
    /// F(x₁, K₁), F(x₂, K₂): the height-gain functions of the two legs.
    f1: f64,
    f2: f64,
    /// The legs' x₁, x₂ (km).
    x1: f64,
    x2: f64,
    /// f^⅓ and f^−⅓ (f in MHz), |Z_g|.
    f_third: f64,
    f_m_third: f64,
    z_abs: f64,
}

impl SmoothEarth {
    fn new(p: &Path) -> Self {
        let (f_mhz, d_hzn_m, h_e_m) = (p.f_mhz, p.d_hzn_m, p.h_e_m);
        let a_m = [
            0.5 * d_hzn_m[0].powi(2) / h_e_m[0],
            0.5 * d_hzn_m[1].powi(2) / h_e_m[1],
        ];
        let d_km = [d_hzn_m[0] / 1000.0, d_hzn_m[1] / 1000.0];
        let f_terms = FrequencyTerms::of(f_mhz);
        let (f_m_third, z_abs) = (f_terms.minus_third, p.z_g.abs());
        let (c01, k1, b01) = coefficients(a_m[0], f_m_third, z_abs);
        let (c02, k2, b02) = coefficients(a_m[1], f_m_third, z_abs);
        let f_third = f_terms.third;
        let x1 = b01 * c01.powi(2) * f_third * d_km[0];
        let x2 = b02 * c02.powi(2) * f_third * d_km[1];
        SmoothEarth {
            f1: height_function(x1, k1),
            f2: height_function(x2, k2),
            x1,
            x2,
            f_third,
            f_m_third,
            z_abs,
        }
    }

    /// The smooth-earth diffraction loss at distance `d_m` (NTIA
    /// `SmoothEarthDiffraction`).
    fn loss(&self, d_m: f64, p: &Path) -> f64 {
        let theta_nlos = d_m / p.a_e_m - p.theta_los;
        let d_ml = p.d_hzn_m[0] + p.d_hzn_m[1];
        let a_m0 = (d_m - d_ml) / (d_m / p.a_e_m - p.theta_los);
        let d_km0 = (a_m0 * theta_nlos) / 1000.0;
        let (c00, _, b00) = coefficients(a_m0, self.f_m_third, self.z_abs);
        let x0 = b00 * c00.powi(2) * self.f_third * d_km0 + self.x1 + self.x2;
        let g = 0.05751 * x0 - 10.0 * x0.log10();
        g - self.f1 - self.f2 - 20.0
    }
}

/// Path quantities the diffraction and troposcatter calculations share.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path {
    pub d_hzn_m: [f64; 2],
    pub h_e_m: [f64; 2],
    pub theta_hzn: [f64; 2],
    pub h_m: [f64; 2],
    pub z_g: Complex,
    pub a_e_m: f64,
    pub delta_h_m: f64,
    pub theta_los: f64,
    pub d_sml_m: f64,
    pub f_mhz: f64,
    pub n_s: f64,
    pub p2p: bool,
}

/// Diffraction attenuation along one path (NTIA `DiffractionLoss`), with
/// what does not depend on the distance computed once: the smooth-earth
/// legs ([`SmoothEarth`]), the clutter factor A_fo and the first term of the
/// blending weight. [`Diffraction::loss`] gives NTIA's value at a distance
/// to the bit (the same operations in the same order), where NTIA repeats
/// the per-path part at each of its two distances.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Diffraction<'p> {
    path: &'p Path,
    smooth_earth: SmoothEarth,
    a_fo: f64,
    term1: f64,
}

impl<'p> Diffraction<'p> {
    pub(crate) fn new(p: &'p Path) -> Self {
        let delta_h_dsml = terrain_roughness(p.d_sml_m, p.delta_h_m);
        let sigma_h_d = sigma_h(delta_h_dsml);
        let a_fo =
            (5.0 * (1.0 + 1e-5 * p.h_m[0] * p.h_m[1] * p.f_mhz * sigma_h_d).log10()).min(15.0);
        let mut q = p.h_m[0] * p.h_m[1];
        let qk = p.h_e_m[0] * p.h_e_m[1] - q;
        if p.p2p {
            q += 10.0;
        }
        Diffraction {
            path: p,
            smooth_earth: SmoothEarth::new(p),
            a_fo,
            term1: (1.0 + qk / q).sqrt(),
        }
    }

    /// Diffraction attenuation at distance `d_m`.
    pub(crate) fn loss(&self, d_m: f64) -> f64 {
        let p = self.path;
        let a_k = knife_edge(d_m, p.f_mhz, p.a_e_m, p.theta_los, p.d_hzn_m);
        let a_se = self.smooth_earth.loss(d_m, p);
        let delta_h_d = terrain_roughness(d_m, p.delta_h_m);
        let d_ml = p.d_hzn_m[0] + p.d_hzn_m[1];
        let q = (self.term1 + (-p.theta_los * p.a_e_m + d_ml) / d_m)
            * (delta_h_d * p.f_mhz / 47.7).min(6283.2);
        let w = 25.1 / (25.1 + q.sqrt());
        w * a_se + (1.0 - w) * a_k + self.a_fo
    }
}

fn f_function(td: f64) -> f64 {
    const A: [f64; 3] = [133.4, 104.6, 71.8];
    const B: [f64; 3] = [0.332e-3, 0.212e-3, 0.157e-3];
    const C: [f64; 3] = [-10.0, -2.5, 5.0];
    let i = if td <= 10e3 {
        0
    } else if td <= 70e3 {
        1
    } else {
        2
    };
    A[i] + B[i] * td + C[i] * td.log10()
}

fn h0_curve(j: usize, r: f64) -> f64 {
    const A: [f64; 5] = [25.0, 80.0, 177.0, 395.0, 705.0];
    const B: [f64; 5] = [24.0, 45.0, 68.0, 80.0, 105.0];
    let j = j.min(4);
    10.0 * (1.0 + A[j] * (1.0 / r).powi(4) + B[j] * (1.0 / r).powi(2)).log10()
}

fn h0_function(r: f64, eta_s: f64) -> f64 {
    let eta_s = eta_s.clamp(1.0, 5.0);
    let i = eta_s as usize;
    let q = eta_s - i as f64;
    let mut result = h0_curve(i - 1, r);
    if q != 0.0 {
        result = (1.0 - q) * result + q * h0_curve(i, r);
    }
    result
}

/// Troposcatter attenuation at distance `d_m` (NTIA `TroposcatterLoss`);
/// `h0` carries the frequency-gain H₀ between the two calls (start at −1).
/// Returns 1001 when the scatter function is undefined.
pub(crate) fn troposcatter_loss(d_m: f64, p: &Path, h0: &mut f64) -> f64 {
    let wn = p.f_mhz / 47.7;
    let h_0 = if *h0 > 15.0 {
        *h0
    } else {
        let mut ad = p.d_hzn_m[0] - p.d_hzn_m[1];
        let mut rr = p.h_e_m[1] / p.h_e_m[0];
        if ad < 0.0 {
            ad = -ad;
            rr = 1.0 / rr;
        }
        let theta = p.theta_hzn[0] + p.theta_hzn[1] + d_m / p.a_e_m;
        let r_1 = 2.0 * wn * theta * p.h_e_m[0];
        let r_2 = 2.0 * wn * theta * p.h_e_m[1];
        if r_1 < 0.2 && r_2 < 0.2 {
            return 1001.0;
        }
        let mut s = (d_m - ad) / (d_m + ad);
        // C's MIN(MAX(0.1, rr / s), 10.0)
        let q_low = if 0.1 > rr / s { 0.1 } else { rr / s };
        let q = if q_low < 10.0 { q_low } else { 10.0 };
        s = s.max(0.1);
        let h_0_m = (d_m - ad) * (d_m + ad) * theta * 0.25 / d_m;
        const Z_0_M: f64 = 1.7556e3;
        const Z_1_M: f64 = 8.0e3;
        let eta_s = (h_0_m / Z_0_M)
            * (1.0
                + (0.031 - p.n_s * 2.32e-3 + p.n_s.powi(2) * 5.67e-6)
                    * (-(h_0_m / Z_1_M).min(1.7).powi(6)).exp());
        let h_00 = (h0_function(r_1, eta_s) + h0_function(r_2, eta_s)) / 2.0;
        let delta_h_0 = h_00.min(6.0 * (0.6 - eta_s.max(1.0).log10()) * s.log10() * q.log10());
        let mut h = (h_00 + delta_h_0).max(0.0);
        if eta_s < 1.0 {
            let sq2 = std::f64::consts::SQRT_2;
            h = eta_s * h
                + (1.0 - eta_s)
                    * 10.0
                    * (((1.0 + sq2 / r_1) * (1.0 + sq2 / r_2)).powi(2) * (r_1 + r_2)
                        / (r_1 + r_2 + 2.0 * sq2))
                        .log10();
        }
        if h > 15.0 && *h0 >= 0.0 {
            h = *h0;
        }
        h
    };
    *h0 = h_0;
    let th = d_m / p.a_e_m - p.theta_los;
    const D_0_M: f64 = 40e3;
    const H_M: f64 = 47.7;
    f_function(th * d_m) + 10.0 * (wn * H_M * th.powi(4)).log10()
        - 0.1 * (p.n_s - 301.0) * (-th * d_m / D_0_M).exp()
        + h_0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresnel_integral_is_continuous_enough_at_2_4() {
        let below = fresnel_integral(5.7599);
        let above = fresnel_integral(5.76);
        assert!((below - above).abs() < 0.1, "{below} vs {above}");
    }

    #[test]
    fn h0_interpolates_between_curves() {
        let a = h0_function(2.0, 1.0);
        let b = h0_function(2.0, 2.0);
        let m = h0_function(2.0, 1.5);
        assert!((m - 0.5 * (a + b)).abs() < 1e-12);
    }
}
