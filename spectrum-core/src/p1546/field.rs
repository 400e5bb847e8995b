//! ITU-R P.1546-6 (08/2019) Annex 5 §§4–7: the field strength of one path
//! kind (land, cold sea, warm sea) for the whole distance, from the curves:
//! transmitting heights below 10 m (§4.2, eqs (9)–(11); §4.3 case b, eq. (12)
//! for h1 < 0), sea paths below 100 MHz (§6, eq. (15)), interpolation and
//! extrapolation in frequency (§6, eq. (14)) and in time percentage (§7,
//! eq. (16)). Steps 6–10 of Annex 6.
//!
//! One difference from the WP 3K reference implementation: for a sea path
//! with h1 < 10 m beyond D20, eq. (11c)'s E' interpolates in log(h1/10) /
//! log(20/10) as the Recommendation writes it; the reference divides by the
//! natural logarithm of 2 there (none of its validation cases reaches that
//! branch).

use super::corrections::max_field_dbuv_m;
use super::curves::{CurvePath, Curves, Figure, NOMINAL_FREQS_MHZ, NOMINAL_TIMES_PCT, bracket};
use crate::p526::{inv_cum_norm, knife_edge_loss_db};

/// What one path kind's field strength needs.
pub(crate) struct KindInput {
    pub path: CurvePath,
    pub h1_m: f64,
    /// Distance, km (≥ 1: shorter paths use 1 km and §15 afterwards).
    pub dist_km: f64,
    pub freq_mhz: f64,
    pub time_pct: f64,
    /// The maximum field strength of the path (eq. (1) or (42), with the
    /// slope-path correction where the antenna heights are known).
    pub emax_dbuv_m: f64,
}

/// Field strength exceeded at 50 % of locations for the path kind, 1 kW.
pub(crate) fn field_for_kind(c: &Curves, k: &KindInput) -> Result<f64, String> {
    let (i, j) = bracket(&NOMINAL_TIMES_PCT, k.time_pct);
    let at = |t_nom: f64| -> Result<f64, String> {
        let sea = k.path != CurvePath::Land;
        let d600 = d06_km(600.0, k.h1_m, 10.0);
        if sea && k.freq_mhz < 100.0 && k.dist_km < d600 {
            // §6 eq. (15): sea paths below 100 MHz inside the 0.6 Fresnel
            // clearance distance at 600 MHz.
            let df = d06_km(k.freq_mhz, k.h1_m, 10.0);
            if k.dist_km <= df {
                return Ok(max_field_dbuv_m(k.time_pct, 0.0, k.dist_km));
            }
            let e_df = max_field_dbuv_m(k.time_pct, 0.0, df);
            let e_d600 = for_frequency(c, k, t_nom, d600)?;
            return Ok(e_df + (e_d600 - e_df) * (k.dist_km / df).log10() / (d600 / df).log10());
        }
        for_frequency(c, k, t_nom, k.dist_km)
    };
    let (t_inf, t_sup) = (NOMINAL_TIMES_PCT[i], NOMINAL_TIMES_PCT[j]);
    let e_inf = at(t_inf)?;
    if i == j {
        return Ok(e_inf);
    }
    let e_sup = at(t_sup)?;
    // §7 eq. (16), with the Q_i approximation of Annex 5 §16.
    let (q_inf, q_sup, q_t) = (
        inv_cum_norm(t_inf / 100.0),
        inv_cum_norm(t_sup / 100.0),
        inv_cum_norm(k.time_pct / 100.0),
    );
    Ok(e_sup * (q_inf - q_t) / (q_inf - q_sup) + e_inf * (q_t - q_sup) / (q_inf - q_sup))
}

/// Steps 7–9: the field at `dist_km` for a nominal time, interpolated or
/// extrapolated in frequency between the nominal frequencies (eq. (14)).
fn for_frequency(c: &Curves, k: &KindInput, t_nom: f64, dist_km: f64) -> Result<f64, String> {
    let (i, j) = bracket(&NOMINAL_FREQS_MHZ, k.freq_mhz);
    let at = |f_nom: f64| -> Result<f64, String> {
        let fig = c
            .figure(f_nom, k.path, t_nom)
            .ok_or_else(|| format!("no P.1546 curve for {f_nom} MHz, {t_nom} %"))?;
        if k.h1_m >= 10.0 {
            Ok(fig
                .field_at_height_dbuv_m(k.h1_m, dist_km)
                .min(k.emax_dbuv_m))
        } else {
            low_height(fig, k, f_nom, dist_km)
        }
    };
    let (f_inf, f_sup) = (NOMINAL_FREQS_MHZ[i], NOMINAL_FREQS_MHZ[j]);
    let e_inf = at(f_inf)?;
    if i == j {
        return Ok(e_inf);
    }
    let e_sup = at(f_sup)?;
    let e = e_inf + (e_sup - e_inf) * (k.freq_mhz / f_inf).log10() / (f_sup / f_inf).log10();
    Ok(if k.freq_mhz > 2000.0 {
        e.min(k.emax_dbuv_m)
    } else {
        e
    })
}

/// Eq. (12): the correction C_h1 = 6.03 − J(ν) for an effective height
/// `h1_m` ≤ 0 at nominal frequency `f_nom` (case b: θ_eff2 = arctan(−h1/9000),
/// ν = K_ν θ_eff2 with K_ν 1.35, 3.31, 6.0 at 100, 600, 2 000 MHz).
fn c_h1_db(f_nom: f64, h1_m: f64) -> f64 {
    let k_nu = if f_nom == 100.0 {
        1.35
    } else if f_nom == 600.0 {
        3.31
    } else {
        6.0
    };
    let theta_deg = (-h1_m / 9000.0).atan().to_degrees();
    6.03 - knife_edge_loss_db(k_nu * theta_deg)
}

/// §4.2–4.3: transmitting heights below 10 m at a nominal frequency.
fn low_height(fig: &Figure, k: &KindInput, f_nom: f64, dist_km: f64) -> Result<f64, String> {
    let h1 = k.h1_m;
    let e10 = fig.field_dbuv_m(0, dist_km);
    let e20 = fig.field_dbuv_m(1, dist_km);
    // Eqs (9a), (9b): the field for h1 = 0.
    let e_zero = e10 + 0.5 * ((e10 - e20) + c_h1_db(f_nom, -10.0));
    let land = |h1: f64| {
        if h1 >= 0.0 {
            e_zero + 0.1 * h1 * (e10 - e_zero) // eq. (9)
        } else {
            e_zero + c_h1_db(f_nom, h1) // eq. (12), §4.3 case b
        }
    };
    if k.path == CurvePath::Land {
        return Ok(land(h1));
    }
    if h1 < 1.0 {
        return Err(format!(
            "P.1546 sea path: transmitting height h1 must be at least 1 m below 10 m, found {h1} m"
        ));
    }
    // §4.2 sea paths: eqs (10a), (10b), (11a)–(11c).
    let d_h1 = d06_km(f_nom, h1, 10.0);
    let d_20 = d06_km(f_nom, 20.0, 10.0);
    if dist_km <= d_h1 {
        return Ok(k.emax_dbuv_m);
    }
    let height_log = |e10: f64, e20: f64| e10 + (e20 - e10) * (h1 / 10.0).log10() / 2f64.log10();
    if dist_km < d_20 {
        let e_d20 = height_log(fig.field_dbuv_m(0, d_20), fig.field_dbuv_m(1, d_20));
        let e_dh1 = max_field_dbuv_m(k.time_pct, 0.0, d_h1);
        return Ok(e_dh1 + (e_d20 - e_dh1) * (dist_km / d_h1).log10() / (d_20 / d_h1).log10());
    }
    let fs = (dist_km - d_20) / dist_km;
    Ok(height_log(e10, e20) * (1.0 - fs) + land(h1) * fs)
}

/// Annex 5 §18, eq. (41): the path length, km, that just achieves 0.6 of the
/// first Fresnel zone clearance over smooth Earth for antenna heights `h1_m`
/// (negative taken as 0) and `h2_m`; at least 0.001 km.
pub(crate) fn d06_km(freq_mhz: f64, h1_m: f64, h2_m: f64) -> f64 {
    let h1 = h1_m.max(0.0);
    let df = 0.0000389 * freq_mhz * h1 * h2_m; // eq. (41a)
    let dh = 4.1 * (h1.sqrt() + h2_m.sqrt()); // eq. (41b)
    let d = if df + dh > 0.0 {
        df * dh / (df + dh)
    } else {
        0.0
    };
    d.max(0.001)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d06_combines_the_fresnel_and_horizon_distances() {
        // 600 MHz, 20 m and 10 m: Df = 4.668 km, Dh = 31.3 km.
        let df = 0.0000389 * 600.0 * 20.0 * 10.0;
        let dh = 4.1 * (20f64.sqrt() + 10f64.sqrt());
        assert!((d06_km(600.0, 20.0, 10.0) - df * dh / (df + dh)).abs() < 1e-12);
        assert_eq!(d06_km(600.0, -5.0, 10.0), 0.001);
    }

    #[test]
    fn c_h1_is_zero_height_correction() {
        // ν ≤ −0.78 never happens for h1 < 0; the correction shrinks as the
        // transmitter sinks below the terrain.
        assert!(c_h1_db(600.0, -10.0) > c_h1_db(600.0, -100.0));
        assert!(c_h1_db(2000.0, -100.0) < c_h1_db(100.0, -100.0));
    }
}
