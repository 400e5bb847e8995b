//! ITU-R P.1812-6 (09/2021): a path-specific propagation prediction method
//! for point-to-area terrestrial services in the frequency range 30 MHz to
//! 6 000 MHz — basic transmission loss not exceeded for p % of time and
//! pL % of locations, and the field strength (§4, outdoor terminals).
//!
//! The procedure follows the ITU-R WP 3M reference implementation
//! (`tl_p1812.m`, v6.1): line of sight ([`crate::p452::los`] without
//! gaseous attenuation), delta-Bullington diffraction over terrain plus
//! representative clutter ([`crate::p526`]), troposcatter ([`tropo`]),
//! ducting / layer reflection ([`crate::p452::ducting`] without gaseous
//! attenuation), their combination (eqs (57)–(63)) and the location
//! variability (eqs (64)–(69)). ΔN and N0 are inputs (the maps of the
//! Recommendation are not shipped).
//!
//! ```
//! use spectrum_core::p1812::{p1812, P1812Input};
//! use spectrum_core::p452::PathCentre;
//! use spectrum_core::p526::Polarization;
//! use spectrum_core::profile::PathProfile;
//! let profile = PathProfile::flat(20.0, 0.1, 200.0).unwrap();
//! let input = P1812Input::new(0.6, 50.0, 50.0, 1.5, PathCentre::Latitude { phi_deg: 45.0 }, Polarization::Vertical);
//! let r = p1812(&input, &profile).unwrap();
//! assert!((r.ep_dbuv_m - (199.36 + 20.0 * 0.6f64.log10() - r.lb_db)).abs() < 1e-9);
//! ```

pub mod tropo;

use serde::Serialize;
use thiserror::Error;

use crate::p452::path::{self, PathCentre, PathType, Rules};
use crate::p452::workspace::{Workspace, with_workspace};
use crate::p452::{P452Error, ducting, los};
use crate::p526::{self, PolPair, Polarization, SmoothPathMethod};
use crate::profile::{PathProfile, ProfileError, RadioClimaticZone};

/// Inputs of one P.1812-6 prediction (besides the terrain profile).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct P1812Input {
    /// Frequency, GHz (0.03–6).
    pub freq_ghz: f64,
    /// Time percentage for which the loss is not exceeded, % (1–50).
    pub time_pct: f64,
    /// Location percentage, % (1–99).
    pub location_pct: f64,
    /// Standard deviation of the location variability σ_L, dB (see
    /// [`tropo::location_std_dev_db`]); 0 for a point prediction.
    pub location_sigma_db: f64,
    /// Transmitter antenna centre height above ground, m (1–3000).
    pub htg_m: f64,
    /// Receiver antenna centre height above ground, m (1–3000).
    pub hrg_m: f64,
    /// Where the path centre is (for β0).
    pub path_centre: PathCentre,
    /// Polarization.
    pub polarization: Polarization,
    /// Transmitter power, kW (for the field strength; 1 kW e.r.p. reference).
    pub tx_power_kw: f64,
    /// Average radio-refractive index lapse-rate ΔN, N-units/km.
    pub dn: f64,
    /// Sea-level surface refractivity N0, N-units.
    pub n0: f64,
    /// Distance over land from the transmitter to the coast, km (set to 0
    /// when the first profile point is sea).
    pub dct_km: f64,
    /// Distance over land from the receiver to the coast, km (set to 0 when
    /// the last profile point is sea).
    pub dcr_km: f64,
    /// How the smooth-path Bullington loss is obtained.
    pub smooth_path: SmoothPathMethod,
}

impl P1812Input {
    /// Inputs with the reference implementation's defaults: pL = 50 %,
    /// σ_L = 0 dB, 1 kW, ΔN = 45, N0 = 325, d_ct = d_cr = 500 km.
    pub fn new(
        freq_ghz: f64,
        time_pct: f64,
        htg_m: f64,
        hrg_m: f64,
        path_centre: PathCentre,
        polarization: Polarization,
    ) -> Self {
        Self {
            freq_ghz,
            time_pct,
            location_pct: 50.0,
            location_sigma_db: 0.0,
            htg_m,
            hrg_m,
            path_centre,
            polarization,
            tx_power_kw: 1.0,
            dn: 45.0,
            n0: 325.0,
            dct_km: 500.0,
            dcr_km: 500.0,
            smooth_path: SmoothPathMethod::Profile,
        }
    }

    /// Checks the ranges of validity used by the reference implementation.
    pub fn validate(&self) -> Result<(), P1812Error> {
        let inf = f64::INFINITY;
        let c = crate::p452::check_range;
        c("freq_ghz", self.freq_ghz, 0.03, 6.0, "0.03 to 6 GHz")?;
        c("time_pct", self.time_pct, 1.0, 50.0, "1 to 50 %")?;
        c("location_pct", self.location_pct, 1.0, 99.0, "1 to 99 %")?;
        c(
            "location_sigma_db",
            self.location_sigma_db,
            0.0,
            100.0,
            "0 to 100 dB",
        )?;
        c("htg_m", self.htg_m, 1.0, 3000.0, "1 to 3000 m")?;
        c("hrg_m", self.hrg_m, 1.0, 3000.0, "1 to 3000 m")?;
        c(
            "tx_power_kw",
            self.tx_power_kw,
            f64::MIN_POSITIVE,
            inf,
            "a power > 0 kW",
        )?;
        c("dn", self.dn, 0.0, 156.0, "ΔN between 0 and 156 N-units/km")?;
        c("n0", self.n0, 0.0, 1000.0, "N0 between 0 and 1000 N-units")?;
        c("dct_km", self.dct_km, 0.0, inf, "a distance ≥ 0 km")?;
        c("dcr_km", self.dcr_km, 0.0, inf, "a distance ≥ 0 km")?;
        self.path_centre.validate()?;
        let phi = match self.path_centre {
            PathCentre::Latitude { phi_deg } => phi_deg,
            PathCentre::Endpoints {
                tx_lat_deg,
                rx_lat_deg,
                ..
            } => {
                c(
                    "tx_lat_deg",
                    tx_lat_deg,
                    -80.0,
                    80.0,
                    "a latitude within ±80°",
                )?;
                rx_lat_deg
            }
        };
        c("latitude_deg", phi, -80.0, 80.0, "a latitude within ±80°")?;
        Ok(())
    }
}

/// Result of a P.1812-6 prediction with its intermediate values (names
/// follow the reference results: `Lb`, `Ep`, `Lbfs`, `Ldp`, `th_t`, …).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct P1812Result {
    /// Basic transmission loss not exceeded for p % time and pL % locations,
    /// L_b, dB (eq (69)).
    pub lb_db: f64,
    /// Field strength exceeded for p % time and pL % locations for the given
    /// transmitter power, dBµV/m (eq (70) + 10 log10 P_tx).
    pub ep_dbuv_m: f64,
    /// Field strength for 1 kW e.r.p., dBµV/m (eq (70)).
    pub ep_1kw_dbuv_m: f64,
    /// Loss before location variability, L_bc, dB (eq (63)).
    pub lbc_db: f64,
    /// Location variability correction, L_loc, dB (eq (67)).
    pub lloc_db: f64,
    /// Free-space loss, L_bfs, dB (eq (8)).
    pub lbfs_db: f64,
    /// LoS loss not exceeded for p % of time, L_b0p, dB (eq (10)).
    pub lb0p_db: f64,
    /// LoS loss not exceeded for β0 % of time, L_b0β, dB (eq (11)).
    pub lb0b_db: f64,
    /// Median Bullington loss of the actual profile, L_bulla, dB (eq (21)).
    pub lbulla_db: f64,
    /// Median Bullington loss of the smooth profile, L_bulls, dB (eq (21)).
    pub lbulls_db: f64,
    /// Median spherical-Earth diffraction loss, L_dsph, dB (eq (27)).
    pub ldsph_db: f64,
    /// Median diffraction loss, L_d50, dB (eq (39)).
    pub ld50_db: f64,
    /// Diffraction loss for a_β, L_dβ, dB (eq (39)).
    pub ldb_db: f64,
    /// Diffraction loss not exceeded for p % of time, L_dp, dB (eq (41)).
    pub ldp_db: f64,
    /// Median diffraction basic transmission loss, L_bd50, dB (eq (42)).
    pub lbd50_db: f64,
    /// Diffraction basic transmission loss for p %, L_bd, dB (eq (43)).
    pub lbd_db: f64,
    /// Notional minimum LoS / sub-path diffraction loss, L_minb0p, dB (eq (59)).
    pub lminb0p_db: f64,
    /// Ducting / layer-reflection loss, L_ba, dB (eq (46)).
    pub lba_db: f64,
    /// Notional minimum LoS / anomalous loss, L_minbap, dB (eq (60)).
    pub lminbap_db: f64,
    /// Diffraction with LoS / ducting enhancements, L_bda, dB (eq (61)).
    pub lbda_db: f64,
    /// Modified basic transmission loss, L_bam, dB (eq (62)).
    pub lbam_db: f64,
    /// Troposcatter loss, L_bs, dB (eq (44)).
    pub lbs_db: f64,
    /// Interpolation factor F_i of eq (40) used in eq (59).
    pub fi: f64,
    /// Interpolation factor for the path angular distance, F_j (eq (57)).
    pub fj: f64,
    /// Interpolation factor for the path length, F_k (eq (58)).
    pub fk: f64,
    /// Path length, km.
    pub dtot_km: f64,
    /// Distance from the transmitter to its horizon, km (eq (78)).
    pub dlt_km: f64,
    /// Distance from the receiver to its horizon, km (eq (81a)).
    pub dlr_km: f64,
    /// Transmitter horizon elevation angle, mrad.
    pub theta_t_mrad: f64,
    /// Receiver horizon elevation angle, mrad.
    pub theta_r_mrad: f64,
    /// Path angular distance, mrad (eq (82)).
    pub theta_mrad: f64,
    /// Transmitter antenna height above sea level, m.
    pub hts_m: f64,
    /// Receiver antenna height above sea level, m.
    pub hrs_m: f64,
    /// Transmitter height used for diffraction (Table 5), m.
    pub htc_m: f64,
    /// Receiver height used for diffraction (Table 5), m.
    pub hrc_m: f64,
    /// Fraction of the path over sea, ω.
    pub omega: f64,
    /// Longest continuous land section, km.
    pub dtm_km: f64,
    /// Longest continuous inland section, km.
    pub dlm_km: f64,
    /// Path-centre latitude, degrees (eq (4)).
    pub phi_path_deg: f64,
    /// β0, % (eq (5)).
    pub b0_pct: f64,
    /// Median effective Earth radius, km (eq (7a)).
    pub ae_km: f64,
    /// Smooth-surface height at the transmitter before limiting, m (eq (85)).
    pub hst_raw_m: f64,
    /// Smooth-surface height at the receiver before limiting, m (eq (86)).
    pub hsr_raw_m: f64,
    /// Smooth-surface height at the transmitter (ducting), m (eq (90a)).
    pub hst_m: f64,
    /// Smooth-surface height at the receiver (ducting), m (eq (90b)).
    pub hsr_m: f64,
    /// Smooth-surface height at the transmitter for diffraction, m (eq (89)).
    pub hstd_m: f64,
    /// Smooth-surface height at the receiver for diffraction, m (eq (89)).
    pub hsrd_m: f64,
    /// Transmitter height above the smooth surface, h_tc', m (eq (37a)).
    pub htc_prime_m: f64,
    /// Receiver height above the smooth surface, h_rc', m (eq (37b)).
    pub hrc_prime_m: f64,
    /// Effective transmitter height for ducting, m (eq (92a)).
    pub hte_m: f64,
    /// Effective receiver height for ducting, m (eq (92b)).
    pub hre_m: f64,
    /// Terrain roughness, m (eq (93)).
    pub hm_m: f64,
    /// Line-of-sight or trans-horizon.
    pub path_type: PathType,
    /// d_ct used (0 when the transmitter is at sea), km.
    pub dct_km: f64,
    /// d_cr used (0 when the receiver is at sea), km.
    pub dcr_km: f64,
    /// L_bc for both polarizations, dB.
    pub lbc_both_db: PolPair,
}

/// Why a P.1812-6 prediction cannot be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum P1812Error {
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

impl From<P452Error> for P1812Error {
    fn from(e: P452Error) -> Self {
        match e {
            P452Error::OutOfRange {
                name,
                expected,
                found,
            } => Self::OutOfRange {
                name,
                expected,
                found,
            },
            P452Error::Profile(p) => Self::Profile(p),
        }
    }
}

/// Predicts the basic transmission loss and field strength over `profile`
/// (ITU-R P.1812-6 §4). The profile's clutter heights (if any) are the
/// representative clutter heights R (added to the terrain except at the two
/// terminals); zones default to inland when absent.
pub fn p1812(input: &P1812Input, profile: &PathProfile) -> Result<P1812Result, P1812Error> {
    input.validate()?;
    crate::p452::check_profile(profile)?;
    Ok(with_workspace(|ws| predict(input, profile, ws)))
}

/// [`p1812`] of validated inputs, with this thread's buffers.
fn predict(input: &P1812Input, profile: &PathProfile, ws: &mut Workspace) -> P1812Result {
    let n = profile.len();
    let d = &profile.distances_km[..];
    let h = &profile.heights_m[..];
    let zones = profile.zones.as_deref();
    let is_sea = |z: &RadioClimaticZone| *z == RadioClimaticZone::Sea;
    let dct = if zones.and_then(<[_]>::first).is_some_and(is_sea) {
        0.0
    } else {
        input.dct_km
    };
    let dcr = if zones.and_then(<[_]>::last).is_some_and(is_sea) {
        0.0
    } else {
        input.dcr_km
    };
    let f = input.freq_ghz;
    let p = input.time_pct;

    let phi_path = input.path_centre.latitude_deg(0.5 * (d[n - 1] - d[0]));
    let sections = crate::p452::sections::zone_sections(d, zones);
    let (dtm, dlm) = (sections.dtm_km, sections.dlm_km);
    let b0 = path::beta0_with(Rules::P1812, phi_path, dtm, dlm);
    let ae = p526::median_effective_radius_km(input.dn);
    let omega = sections.sea_km / (d[n - 1] - d[0]);
    // The divisions of every walk over the points, once per prediction.
    ws.recip.fill(d, n);
    let recip = &ws.recip;
    let pa = path::analyse_profile(Rules::P1812, d, h, recip, input.htg_m, input.hrg_m, ae, f);
    let dtot = d[n - 1] - d[0];
    let hts = h[0] + input.htg_m;
    let hrs = h[n - 1] + input.hrg_m;
    // §3.2: representative clutter on the intermediate points only.
    let g = &mut ws.heights_m;
    g.clear();
    match &profile.clutter_heights_m {
        Some(r) => g.extend(h.iter().zip(r).map(|(hi, ri)| hi + ri)),
        None => g.extend_from_slice(h),
    }
    g[0] = h[0];
    g[n - 1] = h[n - 1];
    let g = &ws.heights_m[..];
    let (htc, hrc) = (hts, hrs);

    // Eqs (57)-(58).
    let fj = 1.0 - 0.5 * (1.0 + (3.0 * 0.8 * (pa.theta_mrad - 0.3) / 0.3).tanh());
    let fk = 1.0 - 0.5 * (1.0 + (3.0 * 0.5 * (dtot - 20.0) / 20.0).tanh());
    // Eqs (8)-(11), free space over the slant distance.
    let dfs = (dtot * dtot + ((hts - hrs) / 1000.0).powi(2)).sqrt();
    let lo = los::los_losses(dfs, f, 0.0, p, b0, pa.dlt_km, pa.dlr_km);
    let diff = p526::diffraction_for_time_with(
        d,
        g,
        recip,
        (htc, hrc),
        (pa.hstd_m, pa.hsrd_m),
        f,
        omega,
        (p, b0),
        input.dn,
        input.smooth_path,
    );
    let ld50 = diff.median.ld_db;
    let ldp = diff.ldp_db;
    let lbd50 = ld50.map(|l| lo.lbfsg_db + l);
    let lbd = ldp.map(|l| lo.lb0p_db + l);
    let (fi, lminb0p) = if p >= b0 {
        let fi = p526::inv_cum_norm(p / 100.0) / p526::inv_cum_norm(b0 / 100.0);
        (
            fi,
            lbd50.zip(ldp, |l50, l| {
                l50 + (lo.lb0b_db + (1.0 - omega) * l - l50) * fi
            }),
        )
    } else {
        (1.0, ldp.map(|l| lo.lb0p_db + (1.0 - omega) * l))
    };
    let lba = ducting::anomalous_loss_db(&ducting::AnomalousInput {
        dtot_km: dtot,
        dlt_km: pa.dlt_km,
        dlr_km: pa.dlr_km,
        dct_km: dct,
        dcr_km: dcr,
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
        ag_db: 0.0,
    });
    let eta = 2.5;
    let lminbap = eta * ((lba / eta).exp() + (lo.lb0p_db / eta).exp()).ln();
    let lbda = lbd.map(|l| {
        if lminbap <= l {
            lminbap + (l - lminbap) * fk
        } else {
            l
        }
    });
    let lbam = lbda.zip(lminb0p, |a, m| a + (m - a) * fj);
    let lbs = tropo::troposcatter_loss_db(dtot, pa.theta_mrad, f, p, input.n0);
    let lbc = lbam.map(|l| -5.0 * (10f64.powf(-0.2 * lbs) + 10f64.powf(-0.2 * l)).log10());
    let pol = input.polarization;
    // Eqs (64)-(69): location variability, none for a receiver at sea.
    let lloc = if zones.and_then(<[_]>::last).is_some_and(is_sea) {
        0.0
    } else {
        -p526::inv_cum_norm(input.location_pct / 100.0) * input.location_sigma_db
    };
    let lb = lo.lb0p_db.max(lbc.get(pol) + lloc);
    let ep = 199.36 + 20.0 * f.log10() - lb;
    P1812Result {
        lb_db: lb,
        ep_dbuv_m: ep + 10.0 * input.tx_power_kw.log10(),
        ep_1kw_dbuv_m: ep,
        lbc_db: lbc.get(pol),
        lloc_db: lloc,
        lbfs_db: lo.lbfsg_db,
        lb0p_db: lo.lb0p_db,
        lb0b_db: lo.lb0b_db,
        lbulla_db: diff.median.lbulla_db,
        lbulls_db: diff.median.lbulls_db,
        ldsph_db: diff.median.ldsph_db.get(pol),
        ld50_db: ld50.get(pol),
        ldb_db: diff.beta.ld_db.get(pol),
        ldp_db: ldp.get(pol),
        lbd50_db: lbd50.get(pol),
        lbd_db: lbd.get(pol),
        lminb0p_db: lminb0p.get(pol),
        lba_db: lba,
        lminbap_db: lminbap,
        lbda_db: lbda.get(pol),
        lbam_db: lbam.get(pol),
        lbs_db: lbs,
        fi,
        fj,
        fk,
        dtot_km: dtot,
        dlt_km: pa.dlt_km,
        dlr_km: pa.dlr_km,
        theta_t_mrad: pa.theta_t_mrad,
        theta_r_mrad: pa.theta_r_mrad,
        theta_mrad: pa.theta_mrad,
        hts_m: hts,
        hrs_m: hrs,
        htc_m: htc,
        hrc_m: hrc,
        omega,
        dtm_km: dtm,
        dlm_km: dlm,
        phi_path_deg: phi_path,
        b0_pct: b0,
        ae_km: ae,
        hst_raw_m: pa.hst_raw_m,
        hsr_raw_m: pa.hsr_raw_m,
        hst_m: pa.hst_m,
        hsr_m: pa.hsr_m,
        hstd_m: pa.hstd_m,
        hsrd_m: pa.hsrd_m,
        htc_prime_m: htc - pa.hstd_m,
        hrc_prime_m: hrc - pa.hsrd_m,
        hte_m: pa.hte_m,
        hre_m: pa.hre_m,
        hm_m: pa.hm_m,
        path_type: pa.path_type,
        dct_km: dct,
        dcr_km: dcr,
        lbc_both_db: lbc,
    }
}

#[cfg(test)]
mod tests;
