//! Diffraction over terrain as ITU-R P.452-18 §4.2 and ITU-R P.1812-6 §4.3
//! use it (derived from ITU-R P.526-15 §4.5, "delta-Bullington").
//!
//! The method combines three parts, all shared by [`crate::p452`] and
//! [`crate::p1812`]:
//! * the Bullington construction over the actual terrain (P.452-18 eqs
//!   (13)–(22), P.1812-6 eqs (12)–(21)), [`bullington_loss_db`];
//! * the spherical-Earth diffraction loss with the first-term residue series
//!   for land and sea (P.452-18 eqs (23)–(36), P.1812-6 eqs (22)–(36)),
//!   [`spherical_earth_loss_db`];
//! * their delta-Bullington combination (P.452-18 eqs (38)–(40), P.1812-6
//!   eqs (37)–(39)), [`delta_bullington`], and the interpolation between the
//!   median and the β0 % effective Earth radius (P.452-18 eqs (41)–(42),
//!   P.1812-6 eqs (40)–(41)), [`diffraction_for_time`].
//!
//! Distances are in km, heights in m, frequencies in GHz and effective Earth
//! radii in km, as in the Recommendations. Losses that depend on the
//! polarization are returned for both, horizontal first ([`PolPair`]).

use serde::Serialize;

mod bullington;

pub(crate) use bullington::Reciprocals;
pub use bullington::{bullington_loss_db, bullington_smooth_loss_db};
use bullington::{bullington_pair, smallest_clearance};

/// Wavelength constant of the Recommendations: λ = 0.2998 / f (m, f in GHz).
const LIGHT_SPEED_M_GHZ: f64 = 0.2998;

/// Mean Earth radius used by the effective-radius formulas, km.
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// Signal polarization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarization {
    /// Horizontal polarization (reference-implementation code 1).
    Horizontal,
    /// Vertical polarization (reference-implementation code 2).
    Vertical,
}

impl Polarization {
    /// Code used by the ITU reference implementations (1 horizontal, 2 vertical).
    pub fn code(self) -> u8 {
        match self {
            Self::Horizontal => 1,
            Self::Vertical => 2,
        }
    }

    /// Polarization for a reference-implementation code (1 or 2).
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(Self::Horizontal),
            2 => Some(Self::Vertical),
            _ => None,
        }
    }
}

/// A quantity that depends on the polarization.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PolPair {
    /// Value for horizontal polarization.
    pub horizontal: f64,
    /// Value for vertical polarization.
    pub vertical: f64,
}

impl PolPair {
    /// The same value for both polarizations.
    pub fn both(value: f64) -> Self {
        Self {
            horizontal: value,
            vertical: value,
        }
    }

    /// The value for `pol`.
    pub fn get(self, pol: Polarization) -> f64 {
        match pol {
            Polarization::Horizontal => self.horizontal,
            Polarization::Vertical => self.vertical,
        }
    }

    /// Applies `f` to each polarization.
    pub fn map(self, f: impl Fn(f64) -> f64) -> Self {
        Self {
            horizontal: f(self.horizontal),
            vertical: f(self.vertical),
        }
    }

    /// Combines two pairs element-wise.
    pub fn zip(self, other: Self, f: impl Fn(f64, f64) -> f64) -> Self {
        Self {
            horizontal: f(self.horizontal, other.horizontal),
            vertical: f(self.vertical, other.vertical),
        }
    }
}

/// Median effective Earth radius a_e = 6371 · 157 / (157 − ΔN), km
/// (P.452-18 eqs (5), (6a); P.1812-6 eqs (6), (7a)).
pub fn median_effective_radius_km(dn: f64) -> f64 {
    let k50 = 157.0 / (157.0 - dn);
    EARTH_RADIUS_KM * k50
}

/// Effective Earth radius exceeded for β0 % of time, a_β = 3 · 6371 km
/// (P.452-18 eq (6b); P.1812-6 eq (7b)).
pub fn beta_effective_radius_km() -> f64 {
    EARTH_RADIUS_KM * 3.0
}

/// Knife-edge loss J(ν) of P.452-18 eq (13) / P.1812-6 eq (12), zero for
/// ν ≤ −0.78.
pub fn knife_edge_loss_db(nu: f64) -> f64 {
    if nu > -0.78 {
        6.9 + 20.0 * (((nu - 0.1) * (nu - 0.1) + 1.0).sqrt() + nu - 0.1).log10()
    } else {
        0.0
    }
}

/// First-term spherical-Earth diffraction loss for one ground type
/// (relative permittivity `eps_r`, conductivity `sigma_s_m` S/m),
/// P.452-18 eqs (30)–(36).
fn first_term_one_ground(
    eps_r: f64,
    sigma_s_m: f64,
    d_km: f64,
    hte_m: f64,
    hre_m: f64,
    adft_km: f64,
    freq_ghz: f64,
) -> PolPair {
    let f = freq_ghz;
    let cond = 18.0 * sigma_s_m / f;
    let k_h =
        0.036 * (adft_km * f).powf(-1.0 / 3.0) * ((eps_r - 1.0).powi(2) + cond.powi(2)).powf(-0.25);
    let k_v = k_h * (eps_r.powi(2) + cond.powi(2)).sqrt();
    let one = |k: f64| {
        let k2 = k * k;
        let k4 = k2 * k2;
        let beta = (1.0 + 1.6 * k2 + 0.67 * k4) / (1.0 + 4.5 * k2 + 1.53 * k4);
        let x = 21.88 * beta * (f / (adft_km * adft_km)).powf(1.0 / 3.0) * d_km;
        let height_factor = 0.9575 * beta * (f * f / adft_km).powf(1.0 / 3.0);
        let yt = height_factor * hte_m;
        let yr = height_factor * hre_m;
        let fx = if x >= 1.6 {
            11.0 + 10.0 * x.log10() - 17.6 * x
        } else {
            -20.0 * x.log10() - 5.6488 * x.powf(1.425)
        };
        let g_floor = 2.0 + 20.0 * k.log10();
        let gy = |y: f64| {
            // Eq (36b): B = β·Y, as in the reference implementation.
            let b = beta * y;
            let g = if b > 2.0 {
                17.6 * (b - 1.1).sqrt() - 5.0 * (b - 1.1).log10() - 8.0
            } else {
                20.0 * (b + 0.1 * b.powi(3)).log10()
            };
            if g < g_floor { g_floor } else { g }
        };
        -fx - gy(yt) - gy(yr)
    };
    PolPair {
        horizontal: one(k_h),
        vertical: one(k_v),
    }
}

/// First-term spherical-Earth diffraction loss L_dft mixed over land
/// (ε_r = 22, σ = 0.003 S/m) and sea (ε_r = 80, σ = 5 S/m) by the sea
/// fraction `omega` (P.452-18 eq (29), P.1812-6 eq (28)).
pub fn first_term_loss_db(
    d_km: f64,
    hte_m: f64,
    hre_m: f64,
    adft_km: f64,
    freq_ghz: f64,
    omega: f64,
) -> PolPair {
    let land = first_term_one_ground(22.0, 0.003, d_km, hte_m, hre_m, adft_km, freq_ghz);
    let sea = first_term_one_ground(80.0, 5.0, d_km, hte_m, hre_m, adft_km, freq_ghz);
    sea.zip(land, |s, l| omega * s + (1.0 - omega) * l)
}

/// Spherical-Earth diffraction loss L_dsph for effective antenna heights
/// `hte_m`, `hre_m` over a path of `d_km` with effective Earth radius
/// `ap_km` (P.452-18 §4.2.2 eqs (23)–(28), P.1812-6 §4.3.2).
pub fn spherical_earth_loss_db(
    d_km: f64,
    hte_m: f64,
    hre_m: f64,
    ap_km: f64,
    freq_ghz: f64,
    omega: f64,
) -> PolPair {
    let lambda = LIGHT_SPEED_M_GHZ / freq_ghz;
    let dlos = (2.0 * ap_km).sqrt() * ((0.001 * hte_m).sqrt() + (0.001 * hre_m).sqrt());
    if d_km >= dlos {
        return first_term_loss_db(d_km, hte_m, hre_m, ap_km, freq_ghz, omega);
    }
    let (dse1, dse2, hse) = smallest_clearance(d_km, hte_m, hre_m, ap_km);
    // Eq (26): clearance needed for zero diffraction loss.
    let hreq = 17.456 * (dse1 * dse2 * lambda / d_km).sqrt();
    if hse > hreq {
        return PolPair::both(0.0);
    }
    // Eq (27): modified radius giving marginal LoS at distance d.
    let aem = 500.0 * (d_km / (hte_m.sqrt() + hre_m.sqrt())).powi(2);
    let ldft = first_term_loss_db(d_km, hte_m, hre_m, aem, freq_ghz, omega);
    // Eq (28), a negative first-term loss counts as zero.
    ldft.map(|l| if l < 0.0 { 0.0 } else { (1.0 - hse / hreq) * l })
}

/// How the Bullington loss of the smooth path (L_bulls) is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum SmoothPathMethod {
    /// Bullington construction over a zero-height profile (the main method).
    #[default]
    Profile,
    /// P.1812-6 Attachment 4 to Annex 1: without the profile.
    Attachment4,
}

/// The parts of one delta-Bullington evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeltaBullington {
    /// Total diffraction loss L_d per polarization, dB (P.452-18 eq (40)).
    pub ld_db: PolPair,
    /// Bullington loss of the actual profile L_bulla, dB.
    pub lbulla_db: f64,
    /// Bullington loss of the smooth profile L_bulls, dB.
    pub lbulls_db: f64,
    /// Spherical-Earth diffraction loss L_dsph per polarization, dB.
    pub ldsph_db: PolPair,
}

/// Delta-Bullington diffraction loss (P.452-18 §4.2.3, P.1812-6 §4.3.3).
///
/// `heights_m` is the profile the Bullington construction runs over;
/// `hts_m`/`hrs_m` are the antenna heights above sea level; `hstd_m`/`hsrd_m`
/// the smooth-surface heights at the terminals for diffraction
/// (P.452-18 §5.1.6.3).
#[allow(clippy::too_many_arguments)]
pub fn delta_bullington(
    distances_km: &[f64],
    heights_m: &[f64],
    hts_m: f64,
    hrs_m: f64,
    hstd_m: f64,
    hsrd_m: f64,
    ap_km: f64,
    freq_ghz: f64,
    omega: f64,
    smooth: SmoothPathMethod,
) -> DeltaBullington {
    let recip = reciprocals(distances_km, heights_m, smooth);
    delta_bullington_with(
        distances_km,
        heights_m,
        &recip,
        (hts_m, hrs_m),
        (hstd_m, hsrd_m),
        ap_km,
        freq_ghz,
        omega,
        smooth,
    )
}

/// The reciprocals the Bullington walks of `smooth` need (none for
/// Attachment 4, which walks the actual profile alone).
fn reciprocals(distances_km: &[f64], heights_m: &[f64], smooth: SmoothPathMethod) -> Reciprocals {
    match smooth {
        SmoothPathMethod::Profile => {
            Reciprocals::new(distances_km, distances_km.len().min(heights_m.len()))
        }
        SmoothPathMethod::Attachment4 => Reciprocals::new(&[], 0),
    }
}

/// [`delta_bullington`] with the profile's reciprocals given.
#[allow(clippy::too_many_arguments)]
fn delta_bullington_with(
    distances_km: &[f64],
    heights_m: &[f64],
    recip: &Reciprocals,
    (hts_m, hrs_m): (f64, f64),
    (hstd_m, hsrd_m): (f64, f64),
    ap_km: f64,
    freq_ghz: f64,
    omega: f64,
    smooth: SmoothPathMethod,
) -> DeltaBullington {
    // Eq (38): antenna heights above the smooth surface.
    let hts1 = hts_m - hstd_m;
    let hrs1 = hrs_m - hsrd_m;
    let dtot = match (distances_km.first(), distances_km.last()) {
        (Some(a), Some(b)) => b - a,
        _ => 0.0,
    };
    let (lbulla, lbulls) = match smooth {
        // The actual and the smooth profile walked together.
        SmoothPathMethod::Profile => bullington_pair(
            distances_km,
            heights_m,
            recip,
            (hts_m, hrs_m),
            (hts1, hrs1),
            ap_km,
            freq_ghz,
        ),
        SmoothPathMethod::Attachment4 => (
            bullington_loss_db(distances_km, heights_m, hts_m, hrs_m, ap_km, freq_ghz),
            bullington_smooth_loss_db(dtot, hts1, hrs1, ap_km, freq_ghz),
        ),
    };
    // Eq (39): effective heights for the spherical-Earth loss.
    let ldsph = spherical_earth_loss_db(dtot, hts1, hrs1, ap_km, freq_ghz, omega);
    // Eq (40).
    let ld = ldsph.map(|l| lbulla + (l - lbulls).max(0.0));
    DeltaBullington {
        ld_db: ld,
        lbulla_db: lbulla,
        lbulls_db: lbulls,
        ldsph_db: ldsph,
    }
}

/// Approximation of the inverse complementary cumulative normal
/// distribution I(x) (P.1812-6 eqs (96)–(97), P.452-18 eq (172)), valid for
/// 0.000001 ≤ x ≤ 0.999999 (arguments are clamped to that range).
///
/// P.452-18's reference implementation returns −I(x) for x ≤ 0.5; it only
/// uses ratios I(p)/I(β0), which are identical.
pub fn inv_cum_norm(x: f64) -> f64 {
    let x = x.clamp(0.000001, 0.999999);
    let t = |y: f64| (-2.0 * y.ln()).sqrt();
    let c = |z: f64| {
        let tz = t(z);
        ((0.010328 * tz + 0.802853) * tz + 2.515516698)
            / (((0.001308 * tz + 0.189269) * tz + 1.432788) * tz + 1.0)
    };
    if x <= 0.5 {
        t(x) - c(x)
    } else {
        -(t(1.0 - x) - c(1.0 - x))
    }
}

/// Diffraction loss for a time percentage: the median (a_e) and β0 %
/// (a_β) delta-Bullington losses and their interpolation L_dp.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimeDiffraction {
    /// Diffraction loss not exceeded for p % of time, L_dp, dB (P.452-18 eq (42)).
    pub ldp_db: PolPair,
    /// Median delta-Bullington loss (a = a_e).
    pub median: DeltaBullington,
    /// Delta-Bullington loss for a = a_β (not exceeded for β0 % of time).
    pub beta: DeltaBullington,
    /// Interpolation factor F_i of P.452-18 eq (41a) as used for L_dp.
    pub fi: f64,
}

/// Diffraction loss not exceeded for `time_pct` % of time (P.452-18 §4.2.4,
/// P.1812-6 §4.3.4): evaluates [`delta_bullington`] for the median radius
/// a_e (from `dn`) and for a_β, and interpolates with
/// F_i = I(p/100) / I(β0/100) for β0 < p < 50 (F_i = 1 for p ≤ β0,
/// L_dp = L_d50 for p = 50).
#[allow(clippy::too_many_arguments)]
pub fn diffraction_for_time(
    distances_km: &[f64],
    heights_m: &[f64],
    hts_m: f64,
    hrs_m: f64,
    hstd_m: f64,
    hsrd_m: f64,
    freq_ghz: f64,
    omega: f64,
    time_pct: f64,
    beta0_pct: f64,
    dn: f64,
    smooth: SmoothPathMethod,
) -> TimeDiffraction {
    // The divisions of the Bullington walks, once for both radii.
    let recip = reciprocals(distances_km, heights_m, smooth);
    diffraction_for_time_with(
        distances_km,
        heights_m,
        &recip,
        (hts_m, hrs_m),
        (hstd_m, hsrd_m),
        freq_ghz,
        omega,
        (time_pct, beta0_pct),
        dn,
        smooth,
    )
}

/// [`diffraction_for_time`] with the reciprocals of the profile's distances
/// given (a prediction that already has them for its path analysis).
#[allow(clippy::too_many_arguments)]
pub(crate) fn diffraction_for_time_with(
    distances_km: &[f64],
    heights_m: &[f64],
    recip: &Reciprocals,
    (hts_m, hrs_m): (f64, f64),
    (hstd_m, hsrd_m): (f64, f64),
    freq_ghz: f64,
    omega: f64,
    (time_pct, beta0_pct): (f64, f64),
    dn: f64,
    smooth: SmoothPathMethod,
) -> TimeDiffraction {
    let db = |ap: f64| {
        delta_bullington_with(
            distances_km,
            heights_m,
            recip,
            (hts_m, hrs_m),
            (hstd_m, hsrd_m),
            ap,
            freq_ghz,
            omega,
            smooth,
        )
    };
    let median = db(median_effective_radius_km(dn));
    let beta = db(beta_effective_radius_km());
    if time_pct == 50.0 {
        return TimeDiffraction {
            ldp_db: median.ld_db,
            median,
            beta,
            fi: 0.0,
        };
    }
    let fi = if time_pct > beta0_pct {
        inv_cum_norm(time_pct / 100.0) / inv_cum_norm(beta0_pct / 100.0)
    } else {
        1.0
    };
    let ldp = median
        .ld_db
        .zip(beta.ld_db, |l50, lb| l50 + fi * (lb - l50));
    TimeDiffraction {
        ldp_db: ldp,
        median,
        beta,
        fi,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knife_edge_is_6_db_at_grazing_and_zero_below_threshold() {
        // J(0) ≈ 6.02 dB with this approximation.
        assert!((knife_edge_loss_db(0.0) - 6.0).abs() < 0.1);
        assert_eq!(knife_edge_loss_db(-0.8), 0.0);
        assert!(knife_edge_loss_db(2.0) > knife_edge_loss_db(1.0));
    }

    #[test]
    fn inverse_normal_is_symmetric_and_close_to_exact() {
        assert!((inv_cum_norm(0.1) - 1.281_551_6).abs() < 5e-4);
        assert!((inv_cum_norm(0.9) + inv_cum_norm(0.1)).abs() < 1e-15);
        assert!(inv_cum_norm(0.5).abs() < 1e-3);
    }

    #[test]
    fn high_clearance_gives_no_spherical_earth_loss() {
        let l = spherical_earth_loss_db(10.0, 300.0, 300.0, 8500.0, 1.0, 0.0);
        assert_eq!(l, PolPair::both(0.0));
        let far = spherical_earth_loss_db(200.0, 10.0, 10.0, 8500.0, 1.0, 0.0);
        assert!(far.horizontal > 20.0 && far.vertical > 20.0);
    }

    #[test]
    fn bullington_on_flat_los_path_is_small() {
        let d: Vec<f64> = (0..=10).map(f64::from).collect();
        let h = vec![0.0; d.len()];
        let l = bullington_loss_db(&d, &h, 100.0, 100.0, 8500.0, 1.0);
        assert!((0.0..1.0).contains(&l), "{l}");
        let mut hill = h.clone();
        hill[5] = 150.0;
        assert!(bullington_loss_db(&d, &hill, 100.0, 100.0, 8500.0, 1.0) > 10.0);
    }
}
