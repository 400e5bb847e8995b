//! ITU-R P.452-18 (10/2023): prediction procedure for the evaluation of
//! interference between stations on the surface of the Earth at frequencies
//! above about 0.1 GHz — the clear-air basic transmission loss (§4).
//!
//! The procedure follows the ITU-R WP 3M reference implementation
//! (`tl_p452.m`, v18): line of sight with gaseous attenuation over the 3-D
//! distance ([`los`]), delta-Bullington diffraction over the terrain plus
//! representative clutter ([`crate::p526`]), troposcatter
//! ([`troposcatter`]), ducting / layer reflection ([`ducting`]) and their
//! combination of §4.5 (eqs (57)–(64)), on the path analysis of Attachment 2
//! ([`path`]) and the zone sections of §3.2.1 ([`sections`]), both shared with
//! [`crate::p1812`]. Radio-meteorological data (ΔN, N0)
//! are inputs: the digital maps of the Recommendation are not shipped.
//!
//! ```
//! use spectrum_core::p452::{p452, P452Input, PathCentre};
//! use spectrum_core::p526::Polarization;
//! use spectrum_core::profile::PathProfile;
//! let profile = PathProfile::flat(50.0, 0.5, 100.0).unwrap();
//! let input = P452Input {
//!     freq_ghz: 2.0,
//!     time_pct: 1.0,
//!     htg_m: 30.0,
//!     hrg_m: 10.0,
//!     path_centre: PathCentre::Latitude { phi_deg: 45.0 },
//!     gt_dbi: 0.0,
//!     gr_dbi: 0.0,
//!     polarization: Polarization::Vertical,
//!     dct_km: 500.0,
//!     dcr_km: 500.0,
//!     pressure_hpa: 1013.25,
//!     temperature_c: 15.0,
//!     dn: 45.0,
//!     n0: 325.0,
//! };
//! let r = p452(&input, &profile).unwrap();
//! assert!(r.lb_db > r.lbfsg_db - 5.0 && r.lb_db < 250.0);
//! ```

pub mod ducting;
pub mod los;
pub mod path;
pub mod sections;
pub mod troposcatter;
pub(crate) mod workspace;

use serde::Serialize;
use thiserror::Error;

use crate::p526::{self, PolPair, Polarization, SmoothPathMethod};

use crate::profile::{PathProfile, ProfileError};
pub use path::{PathCentre, PathType};
use workspace::Workspace;

/// Distance from either terminal within which clutter is not added to the
/// profile (P.452-18 §4.5 step 4), km.
const CLUTTER_FREE_KM: f64 = 50.0 / 1000.0;

/// Inputs of one P.452-18 prediction (besides the terrain profile).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct P452Input {
    /// Frequency, GHz (0.1–50).
    pub freq_ghz: f64,
    /// Time percentage for which the loss is not exceeded, % (0.001–50).
    pub time_pct: f64,
    /// Transmitter antenna centre height above ground, m.
    pub htg_m: f64,
    /// Receiver antenna centre height above ground, m.
    pub hrg_m: f64,
    /// Where the path centre is (for β0).
    pub path_centre: PathCentre,
    /// Transmitter antenna gain towards the horizon along the path, dBi.
    pub gt_dbi: f64,
    /// Receiver antenna gain towards the horizon along the path, dBi.
    pub gr_dbi: f64,
    /// Polarization.
    pub polarization: Polarization,
    /// Distance over land from the transmitter to the coast, km (0 on a ship).
    pub dct_km: f64,
    /// Distance over land from the receiver to the coast, km (0 on a ship).
    pub dcr_km: f64,
    /// Dry-air pressure, hPa.
    pub pressure_hpa: f64,
    /// Air temperature, °C.
    pub temperature_c: f64,
    /// Average radio-refractive index lapse-rate through the lowest 1 km of
    /// the atmosphere at the path centre, ΔN, N-units/km (positive).
    pub dn: f64,
    /// Sea-level surface refractivity at the path centre, N0, N-units.
    pub n0: f64,
}

/// Result of a P.452-18 prediction with its intermediate values (names follow
/// the reference results: `Lb`, `Lbfsg`, `Ldp`, `theta_t`, …).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct P452Result {
    /// Basic transmission loss not exceeded for p % of time, L_b, dB (eq (64)).
    pub lb_db: f64,
    /// Free-space loss with gaseous attenuation, L_bfsg, dB (eq (8)).
    pub lbfsg_db: f64,
    /// LoS loss not exceeded for p % of time, L_b0p, dB (eq (11)).
    pub lb0p_db: f64,
    /// LoS loss not exceeded for β0 % of time, L_b0β, dB (eq (12)).
    pub lb0b_db: f64,
    /// Median spherical-Earth diffraction loss, L_dsph, dB.
    pub ldsph_db: f64,
    /// Median diffraction loss, L_d50, dB (eq (40)).
    pub ld50_db: f64,
    /// Diffraction loss for a_β, L_dβ, dB.
    pub ldb_db: f64,
    /// Diffraction loss not exceeded for p % of time, L_dp, dB (eq (42)).
    pub ldp_db: f64,
    /// Median Bullington loss of the actual profile, L_bulla, dB.
    pub lbulla_db: f64,
    /// Median Bullington loss of the smooth profile, L_bulls, dB.
    pub lbulls_db: f64,
    /// Median basic transmission loss for diffraction, L_bd50, dB (eq (43)).
    pub lbd50_db: f64,
    /// Diffraction basic transmission loss for p %, L_bd, dB (eq (44)).
    pub lbd_db: f64,
    /// Troposcatter loss, L_bs, dB (eq (45)).
    pub lbs_db: f64,
    /// Ducting / layer-reflection loss, L_ba, dB (eq (46)).
    pub lba_db: f64,
    /// Notional minimum LoS / sub-path diffraction loss, L_minb0p, dB (eq (60)).
    pub lminb0p_db: f64,
    /// Notional minimum LoS / anomalous loss, L_minbap, dB (eq (61)).
    pub lminbap_db: f64,
    /// Diffraction with LoS / ducting enhancements, L_bda, dB (eq (62)).
    pub lbda_db: f64,
    /// Modified basic transmission loss, L_bam, dB (eq (63)).
    pub lbam_db: f64,
    /// Interpolation factor for the path angular distance, F_j (eq (58)).
    pub fj: f64,
    /// Interpolation factor for the path length, F_k (eq (59)).
    pub fk: f64,
    /// Median effective Earth radius, a_e, km (eq (6a)).
    pub ae_km: f64,
    /// Path length, km.
    pub dtot_km: f64,
    /// 3-D distance between the antennas used for free-space loss, km.
    pub d3d_km: f64,
    /// Transmitter antenna height above sea level, m.
    pub hts_m: f64,
    /// Receiver antenna height above sea level, m.
    pub hrs_m: f64,
    /// Transmitter horizon elevation angle, mrad.
    pub theta_t_mrad: f64,
    /// Receiver horizon elevation angle, mrad.
    pub theta_r_mrad: f64,
    /// Path angular distance, mrad.
    pub theta_mrad: f64,
    /// Terrain roughness, m.
    pub hm_m: f64,
    /// Effective transmitter height for ducting, m.
    pub hte_m: f64,
    /// Effective receiver height for ducting, m.
    pub hre_m: f64,
    /// Smooth-surface height at the transmitter (ducting), m.
    pub hst_m: f64,
    /// Smooth-surface height at the receiver (ducting), m.
    pub hsr_m: f64,
    /// Smooth-surface height at the transmitter for diffraction, m.
    pub hstd_m: f64,
    /// Smooth-surface height at the receiver for diffraction, m.
    pub hsrd_m: f64,
    /// Distance from the transmitter to its horizon, km.
    pub dlt_km: f64,
    /// Distance from the receiver to its horizon, km.
    pub dlr_km: f64,
    /// Line-of-sight or trans-horizon.
    pub path_type: PathType,
    /// Longest continuous land section, km.
    pub dtm_km: f64,
    /// Longest continuous inland section, km.
    pub dlm_km: f64,
    /// Path-centre latitude, degrees.
    pub phi_path_deg: f64,
    /// β0, %.
    pub b0_pct: f64,
    /// Fraction of the path over sea, ω.
    pub omega: f64,
    /// ΔN used, N-units/km.
    pub dn: f64,
    /// N0 used, N-units.
    pub n0: f64,
    /// Basic transmission loss for both polarizations, dB.
    pub lb_both_db: PolPair,
}

/// Why a P.452-18 prediction cannot be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum P452Error {
    /// An input is outside the range of validity or not finite.
    #[error("{name} = {found}: expected {expected}")]
    OutOfRange {
        /// Input name.
        name: &'static str,
        /// Expected range.
        expected: &'static str,
        /// Value found.
        found: f64,
    },
    /// The terrain profile is unusable.
    #[error("terrain profile: {0}")]
    Profile(#[from] ProfileError),
}

/// Checks `lo ≤ value ≤ hi` (and that it is a number).
pub(crate) fn check_range(
    name: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    expected: &'static str,
) -> Result<(), P452Error> {
    if value >= lo && value <= hi {
        Ok(())
    } else {
        Err(P452Error::OutOfRange {
            name,
            expected,
            found: value,
        })
    }
}

impl P452Input {
    /// Checks the ranges of validity used by the reference implementation.
    pub fn validate(&self) -> Result<(), P452Error> {
        let inf = f64::INFINITY;
        check_range("freq_ghz", self.freq_ghz, 0.1, 50.0, "0.1 to 50 GHz")?;
        check_range("time_pct", self.time_pct, 0.001, 50.0, "0.001 to 50 %")?;
        check_range("htg_m", self.htg_m, 0.0, inf, "a height ≥ 0 m")?;
        check_range("hrg_m", self.hrg_m, 0.0, inf, "a height ≥ 0 m")?;
        check_range("dct_km", self.dct_km, 0.0, inf, "a distance ≥ 0 km")?;
        check_range("dcr_km", self.dcr_km, 0.0, inf, "a distance ≥ 0 km")?;
        check_range("dn", self.dn, 0.0, 156.0, "ΔN between 0 and 156 N-units/km")?;
        check_range("n0", self.n0, 0.0, 1000.0, "N0 between 0 and 1000 N-units")?;
        check_range(
            "gt_dbi",
            self.gt_dbi,
            -100.0,
            100.0,
            "a gain within ±100 dBi",
        )?;
        check_range(
            "gr_dbi",
            self.gr_dbi,
            -100.0,
            100.0,
            "a gain within ±100 dBi",
        )?;
        check_range(
            "pressure_hpa",
            self.pressure_hpa,
            0.0,
            2000.0,
            "0 to 2000 hPa",
        )?;
        check_range(
            "temperature_c",
            self.temperature_c,
            -100.0,
            100.0,
            "-100 to 100 °C",
        )?;
        self.path_centre.validate()
    }
}

/// Validates the profile (at least 4 points, a length above 0 km); shared
/// with [`crate::p1812`].
pub(crate) fn check_profile(profile: &PathProfile) -> Result<(), P452Error> {
    profile.validate()?;
    let n = profile.len();
    if n < 4 {
        return Err(ProfileError::TooShort {
            needed: 4,
            found: n,
        }
        .into());
    }
    let dend = profile.distances_km[n - 1];
    if dend <= 0.0 {
        return Err(ProfileError::BadPoint {
            index: n - 1,
            message: format!("expected a path longer than 0 km, found {dend} km"),
        }
        .into());
    }
    Ok(())
}

/// g = h + clutter, without clutter within 50 m of either terminal
/// (P.452-18 §4.5 step 4), in `buf`; the terrain itself without clutter.
fn clutter_modified<'a>(profile: &'a PathProfile, buf: &'a mut Vec<f64>) -> &'a [f64] {
    let (d, h) = (&profile.distances_km[..], &profile.heights_m[..]);
    let Some(r) = &profile.clutter_heights_m else {
        return h;
    };
    let dend = d.last().copied().unwrap_or(0.0);
    buf.clear();
    buf.extend(d.iter().zip(h).zip(r).map(|((&di, &hi), &ri)| {
        if di < CLUTTER_FREE_KM || di > dend - CLUTTER_FREE_KM {
            hi
        } else {
            hi + ri
        }
    }));
    buf
}

/// Predicts the basic transmission loss not exceeded for `time_pct` % of
/// time over `profile` (ITU-R P.452-18 §4.5).
///
/// The profile's clutter heights (if any) are added to the terrain for the
/// diffraction calculation, except within 50 m of either terminal; its zones
/// default to inland (A2) when absent.
pub fn p452(input: &P452Input, profile: &PathProfile) -> Result<P452Result, P452Error> {
    input.validate()?;
    check_profile(profile)?;
    Ok(workspace::with_workspace(|ws| predict(input, profile, ws)))
}

/// [`p452`] of validated inputs, with this thread's buffers.
fn predict(input: &P452Input, profile: &PathProfile, ws: &mut Workspace) -> P452Result {
    let (d, h) = (&profile.distances_km[..], &profile.heights_m[..]);
    let g = clutter_modified(profile, &mut ws.heights_m);
    let n = d.len();
    let f = input.freq_ghz;
    let p = input.time_pct;
    let sections = sections::zone_sections(d, profile.zones.as_deref());
    let (dtm, dlm) = (sections.dtm_km, sections.dlm_km);
    let phi_path = input.path_centre.latitude_deg(0.5 * (d[n - 1] - d[0]));
    let b0 = path::beta0_with(path::Rules::P452, phi_path, dtm, dlm);
    let ae = p526::median_effective_radius_km(input.dn);
    let omega = sections.sea_km / (d[n - 1] - d[0]);
    // The divisions of every walk over the points, once per prediction.
    ws.recip.fill(d, n);
    let recip = &ws.recip;
    let pa = path::analyse_profile(
        path::Rules::P452,
        d,
        h,
        recip,
        input.htg_m,
        input.hrg_m,
        ae,
        f,
    );
    let dtot = d[n - 1] - d[0];
    let hts = h[0] + input.htg_m;
    let hrs = h[n - 1] + input.hrg_m;

    // Eqs (14)-(15) on the bare terrain, and the interpolation factors (58)-(59).
    let ce = 1.0 / ae;
    let [stim] = crate::walk::max_over(n - 2, |j| {
        let i = j + 1;
        [(h[i] + 500.0 * ce * d[i] * (dtot - d[i]) - hts) / d[i]]
    });
    let str_ = (hrs - hts) / dtot;
    let (theta_sw, ksi) = (0.3, 0.8);
    let fj = 1.0 - 0.5 * (1.0 + (3.0 * ksi * (stim - str_) / theta_sw).tanh());
    let (dsw, kappa) = (20.0, 0.5);
    let fk = 1.0 - 0.5 * (1.0 + (3.0 * kappa * (dtot - dsw) / dsw).tanh());

    // Line of sight over the 3-D distance, eqs (8)-(12).
    let d3d = (dtot * dtot + ((hts - hrs) / 1000.0).powi(2)).sqrt();
    let rho = 7.5 + 2.5 * omega;
    let (go, gw) = crate::p676::specific_attenuation_db_km(
        f,
        input.pressure_hpa,
        rho,
        input.temperature_c + 273.15,
    );
    let gamma_gas = go + gw;
    let los = los::los_losses(d3d, f, gamma_gas * d3d, p, b0, pa.dlt_km, pa.dlr_km);

    // Diffraction, §4.2.
    let diff = p526::diffraction_for_time_with(
        d,
        g,
        recip,
        (hts, hrs),
        (pa.hstd_m, pa.hsrd_m),
        f,
        omega,
        (p, b0),
        input.dn,
        SmoothPathMethod::Profile,
    );
    let ldp = diff.ldp_db;
    let ld50 = diff.median.ld_db;
    let lbd50 = ld50.map(|l| los.lbfsg_db + l);
    let lbd = ldp.map(|l| los.lb0p_db + l);
    let lminb0p = if p >= b0 {
        let fi = p526::inv_cum_norm(p / 100.0) / p526::inv_cum_norm(b0 / 100.0);
        lbd50.zip(ldp, |l50, l| {
            l50 + (los.lb0b_db + (1.0 - omega) * l - l50) * fi
        })
    } else {
        ldp.map(|l| los.lb0p_db + (1.0 - omega) * l)
    };

    // Ducting / layer reflection, §4.4.
    let lba = ducting::anomalous_loss_db(&ducting::AnomalousInput {
        dtot_km: dtot,
        dlt_km: pa.dlt_km,
        dlr_km: pa.dlr_km,
        dct_km: input.dct_km,
        dcr_km: input.dcr_km,
        dlm_km: dlm,
        hts_m: hts,
        hrs_m: hrs,
        hte_m: pa.hte_m,
        hre_m: pa.hre_m,
        hm_m: pa.hm_m,
        theta_t_mrad: pa.theta_t_mrad,
        theta_r_mrad: pa.theta_r_mrad,
        freq_ghz: f,
        time_pct: p,
        omega,
        ae_km: ae,
        beta0_pct: b0,
        ag_db: gamma_gas * dtot,
    });
    let eta = 2.5;
    let lminbap = eta * ((lba / eta).exp() + (los.lb0p_db / eta).exp()).ln();
    // Eq (62): applied only when L_minbap ≤ L_bd for both polarizations, as
    // the reference implementation's vector test does.
    let lbda = if lminbap <= lbd.horizontal && lminbap <= lbd.vertical {
        lbd.map(|l| lminbap + (l - lminbap) * fk)
    } else {
        lbd
    };
    let lbam = lbda.zip(lminb0p, |a, m| a + (m - a) * fj);

    // Troposcatter, §4.3.
    let (go3, gw3) = crate::p676::specific_attenuation_db_km(
        f,
        input.pressure_hpa,
        troposcatter::TROPO_RHO_G_M3,
        input.temperature_c + 273.15,
    );
    let lbs = troposcatter::troposcatter_loss_db(
        dtot,
        pa.theta_mrad,
        f,
        p,
        input.n0,
        input.gt_dbi,
        input.gr_dbi,
        (go3 + gw3) * dtot,
    );
    // Eq (64).
    let lb = lbam.map(|l| -5.0 * (10f64.powf(-0.2 * lbs) + 10f64.powf(-0.2 * l)).log10());
    let pol = input.polarization;
    P452Result {
        lb_db: lb.get(pol),
        lbfsg_db: los.lbfsg_db,
        lb0p_db: los.lb0p_db,
        lb0b_db: los.lb0b_db,
        ldsph_db: diff.median.ldsph_db.get(pol),
        ld50_db: ld50.get(pol),
        ldb_db: diff.beta.ld_db.get(pol),
        ldp_db: ldp.get(pol),
        lbulla_db: diff.median.lbulla_db,
        lbulls_db: diff.median.lbulls_db,
        lbd50_db: lbd50.get(pol),
        lbd_db: lbd.get(pol),
        lbs_db: lbs,
        lba_db: lba,
        lminb0p_db: lminb0p.get(pol),
        lminbap_db: lminbap,
        lbda_db: lbda.get(pol),
        lbam_db: lbam.get(pol),
        fj,
        fk,
        ae_km: ae,
        dtot_km: dtot,
        d3d_km: d3d,
        hts_m: hts,
        hrs_m: hrs,
        theta_t_mrad: pa.theta_t_mrad,
        theta_r_mrad: pa.theta_r_mrad,
        theta_mrad: pa.theta_mrad,
        hm_m: pa.hm_m,
        hte_m: pa.hte_m,
        hre_m: pa.hre_m,
        hst_m: pa.hst_m,
        hsr_m: pa.hsr_m,
        hstd_m: pa.hstd_m,
        hsrd_m: pa.hsrd_m,
        dlt_km: pa.dlt_km,
        dlr_km: pa.dlr_km,
        path_type: pa.path_type,
        dtm_km: dtm,
        dlm_km: dlm,
        phi_path_deg: phi_path,
        b0_pct: b0,
        omega,
        dn: input.dn,
        n0: input.n0,
        lb_both_db: lb,
    }
}

#[cfg(test)]
mod tests;
