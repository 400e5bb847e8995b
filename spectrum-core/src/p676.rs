//! ITU-R P.676-13 (08/2022), "Attenuation by atmospheric gases and related
//! effects", Annex 1: the specific attenuation of dry air γ_o and water
//! vapour γ_w by summation of the spectral lines (§1, eqs (1)–(9), Tables 1
//! and 2 — the line data P.676-12 introduced and P.676-13 keeps), 1–1000 GHz,
//! and the attenuation of a terrestrial path of constant conditions
//! (§2.1, eq (10)); the slant paths of §2.2 through the ITU-R P.835-6
//! reference atmosphere are in [`slant`]. ITU-R P.452-18 §4.1 eq (9) takes its gaseous attenuation
//! from here.
//!
//! The pressure is the dry-air pressure p; e = ρT/216.7 (eq (4)); the total
//! barometric pressure is p + e.
//!
//! ```
//! use spectrum_core::p676::terrestrial_path_db;
//! // 60 GHz, 1 km, sea level, 7.5 g/m³, 15 °C: about 15 dB (oxygen).
//! let a = terrestrial_path_db(60.0, 1.0, 1013.25, 7.5, 288.15).unwrap();
//! assert!((14.0..16.5).contains(&a), "{a}");
//! assert!(terrestrial_path_db(1500.0, 1.0, 1013.25, 7.5, 288.15).is_err());
//! ```

use thiserror::Error;

pub mod slant;

/// Oxygen lines of Table 1: f0 (GHz), a1, a2, a3, a4, a5, a6.
const OXYGEN: [[f64; 7]; 44] = [
    [50.474214, 0.975, 9.651, 6.690, 0.0, 2.566, 6.850],
    [50.987745, 2.529, 8.653, 7.170, 0.0, 2.246, 6.800],
    [51.503360, 6.193, 7.709, 7.640, 0.0, 1.947, 6.729],
    [52.021429, 14.320, 6.819, 8.110, 0.0, 1.667, 6.640],
    [52.542418, 31.240, 5.983, 8.580, 0.0, 1.388, 6.526],
    [53.066934, 64.290, 5.201, 9.060, 0.0, 1.349, 6.206],
    [53.595775, 124.600, 4.474, 9.550, 0.0, 2.227, 5.085],
    [54.130025, 227.300, 3.800, 9.960, 0.0, 3.170, 3.750],
    [54.671180, 389.700, 3.182, 10.370, 0.0, 3.558, 2.654],
    [55.221384, 627.100, 2.618, 10.890, 0.0, 2.560, 2.952],
    [55.783815, 945.300, 2.109, 11.340, 0.0, -1.172, 6.135],
    [56.264774, 543.400, 0.014, 17.030, 0.0, 3.525, -0.978],
    [56.363399, 1331.800, 1.654, 11.890, 0.0, -2.378, 6.547],
    [56.968211, 1746.600, 1.255, 12.230, 0.0, -3.545, 6.451],
    [57.612486, 2120.100, 0.910, 12.620, 0.0, -5.416, 6.056],
    [58.323877, 2363.700, 0.621, 12.950, 0.0, -1.932, 0.436],
    [58.446588, 1442.100, 0.083, 14.910, 0.0, 6.768, -1.273],
    [59.164204, 2379.900, 0.387, 13.530, 0.0, -6.561, 2.309],
    [59.590983, 2090.700, 0.207, 14.080, 0.0, 6.957, -0.776],
    [60.306056, 2103.400, 0.207, 14.150, 0.0, -6.395, 0.699],
    [60.434778, 2438.000, 0.386, 13.390, 0.0, 6.342, -2.825],
    [61.150562, 2479.500, 0.621, 12.920, 0.0, 1.014, -0.584],
    [61.800158, 2275.900, 0.910, 12.630, 0.0, 5.014, -6.619],
    [62.411220, 1915.400, 1.255, 12.170, 0.0, 3.029, -6.759],
    [62.486253, 1503.000, 0.083, 15.130, 0.0, -4.499, 0.844],
    [62.997984, 1490.200, 1.654, 11.740, 0.0, 1.856, -6.675],
    [63.568526, 1078.000, 2.108, 11.340, 0.0, 0.658, -6.139],
    [64.127775, 728.700, 2.617, 10.880, 0.0, -3.036, -2.895],
    [64.678910, 461.300, 3.181, 10.380, 0.0, -3.968, -2.590],
    [65.224078, 274.000, 3.800, 9.960, 0.0, -3.528, -3.680],
    [65.764779, 153.000, 4.473, 9.550, 0.0, -2.548, -5.002],
    [66.302096, 80.400, 5.200, 9.060, 0.0, -1.660, -6.091],
    [66.836834, 39.800, 5.982, 8.580, 0.0, -1.680, -6.393],
    [67.369601, 18.560, 6.818, 8.110, 0.0, -1.956, -6.475],
    [67.900868, 8.172, 7.708, 7.640, 0.0, -2.216, -6.545],
    [68.431006, 3.397, 8.652, 7.170, 0.0, -2.492, -6.600],
    [68.960312, 1.334, 9.650, 6.690, 0.0, -2.773, -6.650],
    [118.750334, 940.300, 0.010, 16.640, 0.0, -0.439, 0.079],
    [368.498246, 67.400, 0.048, 16.400, 0.0, 0.000, 0.000],
    [424.763020, 637.700, 0.044, 16.400, 0.0, 0.000, 0.000],
    [487.249273, 237.400, 0.049, 16.000, 0.0, 0.000, 0.000],
    [715.392902, 98.100, 0.145, 16.000, 0.0, 0.000, 0.000],
    [773.839490, 572.300, 0.141, 16.200, 0.0, 0.000, 0.000],
    [834.145546, 183.100, 0.145, 14.700, 0.0, 0.000, 0.000],
];

/// Water-vapour lines of Table 2: f0 (GHz), b1, b2, b3, b4, b5, b6.
const WATER_VAPOUR: [[f64; 7]; 35] = [
    [22.235080, 0.1079, 2.144, 26.38, 0.76, 5.087, 1.00],
    [67.803960, 0.0011, 8.732, 28.58, 0.69, 4.930, 0.82],
    [119.995940, 0.0007, 8.353, 29.48, 0.70, 4.780, 0.79],
    [183.310087, 2.273, 0.668, 29.06, 0.77, 5.022, 0.85],
    [321.225630, 0.0470, 6.179, 24.04, 0.67, 4.398, 0.54],
    [325.152888, 1.514, 1.541, 28.23, 0.64, 4.893, 0.74],
    [336.227764, 0.0010, 9.825, 26.93, 0.69, 4.740, 0.61],
    [380.197353, 11.67, 1.048, 28.11, 0.54, 5.063, 0.89],
    [390.134508, 0.0045, 7.347, 21.52, 0.63, 4.810, 0.55],
    [437.346667, 0.0632, 5.048, 18.45, 0.60, 4.230, 0.48],
    [439.150807, 0.9098, 3.595, 20.07, 0.63, 4.483, 0.52],
    [443.018343, 0.1920, 5.048, 15.55, 0.60, 5.083, 0.50],
    [448.001085, 10.41, 1.405, 25.64, 0.66, 5.028, 0.67],
    [470.888999, 0.3254, 3.597, 21.34, 0.66, 4.506, 0.65],
    [474.689092, 1.260, 2.379, 23.20, 0.65, 4.804, 0.64],
    [488.490108, 0.2529, 2.852, 25.86, 0.69, 5.201, 0.72],
    [503.568532, 0.0372, 6.731, 16.12, 0.61, 3.980, 0.43],
    [504.482692, 0.0124, 6.731, 16.12, 0.61, 4.010, 0.45],
    [547.676440, 0.9785, 0.158, 26.00, 0.70, 4.500, 1.00],
    [552.020960, 0.1840, 0.158, 26.00, 0.70, 4.500, 1.00],
    [556.935985, 497.0, 0.159, 30.86, 0.69, 4.552, 1.00],
    [620.700807, 5.015, 2.391, 24.38, 0.71, 4.856, 0.68],
    [645.766085, 0.0067, 8.633, 18.00, 0.60, 4.000, 0.50],
    [658.005280, 0.2732, 7.816, 32.10, 0.69, 4.140, 1.00],
    [752.033113, 243.4, 0.396, 30.86, 0.68, 4.352, 0.84],
    [841.051732, 0.0134, 8.177, 15.90, 0.33, 5.760, 0.45],
    [859.965698, 0.1325, 8.055, 30.60, 0.68, 4.090, 0.84],
    [899.303175, 0.0547, 7.914, 29.85, 0.68, 4.530, 0.90],
    [902.611085, 0.0386, 8.429, 28.65, 0.70, 5.100, 0.95],
    [906.205957, 0.1836, 5.110, 24.08, 0.70, 4.700, 0.53],
    [916.171582, 8.400, 1.441, 26.73, 0.70, 5.150, 0.78],
    [923.112692, 0.0079, 10.293, 29.00, 0.70, 5.000, 0.80],
    [970.315022, 9.009, 1.919, 25.50, 0.64, 4.940, 0.67],
    [987.926764, 134.6, 0.257, 29.85, 0.68, 4.550, 0.90],
    [1780.000000, 17506.0, 0.952, 196.3, 2.00, 24.15, 5.00],
];

/// Line shape factor F_i of eq (5).
fn line_shape(f: f64, fi: f64, df: f64, delta: f64) -> f64 {
    f / fi
        * ((df - delta * (fi - f)) / ((fi - f) * (fi - f) + df * df)
            + (df - delta * (fi + f)) / ((fi + f) * (fi + f) + df * df))
}

/// Specific attenuations (γ_o, γ_w) in dB/km of dry air and water vapour at
/// `freq_ghz`, for dry-air pressure `pressure_hpa`, water-vapour density
/// `rho_g_m3` (g/m³) and temperature `temp_k` (K). Unchecked (for callers
/// that validated their inputs, as P.452 does); [`specific_attenuation`]
/// checks the domain first.
pub fn specific_attenuation_db_km(
    freq_ghz: f64,
    pressure_hpa: f64,
    rho_g_m3: f64,
    temp_k: f64,
) -> (f64, f64) {
    // Eq (4): water-vapour partial pressure.
    let e = rho_g_m3 * temp_k / 216.7;
    specific_attenuation_with_vapour_pressure(freq_ghz, pressure_hpa, e, temp_k)
}

/// Entries of the per-thread memo of [`specific_attenuation_with_vapour_pressure`].
const MEMO_ENTRIES: usize = 4;

/// The inputs' bits and the result.
type MemoEntry = ([u64; 4], (f64, f64));

thread_local! {
    /// The last results per thread, replaced in turn.
    static MEMO: std::cell::RefCell<([Option<MemoEntry>; MEMO_ENTRIES], usize)> =
        const { std::cell::RefCell::new(([None; MEMO_ENTRIES], 0)) };
}

/// [`specific_attenuation_db_km`] given the water-vapour partial pressure
/// `vapour_hpa` instead of the density (unchecked).
///
/// The result depends on these four numbers only, and path models ask for
/// the same few again and again (P.452 twice per path, the same atmosphere
/// on every path of a study): the last four results of each thread are
/// kept and returned for inputs with the same bits (the same result bits as
/// computing them again).
pub(crate) fn specific_attenuation_with_vapour_pressure(
    freq_ghz: f64,
    pressure_hpa: f64,
    vapour_hpa: f64,
    temp_k: f64,
) -> (f64, f64) {
    let key = [
        freq_ghz.to_bits(),
        pressure_hpa.to_bits(),
        vapour_hpa.to_bits(),
        temp_k.to_bits(),
    ];
    let hit = MEMO.with(|m| {
        m.borrow()
            .0
            .iter()
            .flatten()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    });
    if let Some(v) = hit {
        return v;
    }
    let v = line_by_line(freq_ghz, pressure_hpa, vapour_hpa, temp_k);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        let next = m.1;
        m.0[next] = Some((key, v));
        m.1 = (next + 1) % MEMO_ENTRIES;
    });
    v
}

/// Eqs (1)–(9): the line-by-line sums.
fn line_by_line(freq_ghz: f64, pressure_hpa: f64, vapour_hpa: f64, temp_k: f64) -> (f64, f64) {
    let f = freq_ghz;
    let p = pressure_hpa;
    let e = vapour_hpa;
    let theta = 300.0 / temp_k;
    // Powers of θ shared by every line (Table 1's a4 is 0 throughout).
    let theta_3 = theta.powi(3);
    let theta_08 = theta.powf(0.8);
    let mut sum_o = 0.0;
    for [fi, a1, a2, a3, a4, a5, a6] in OXYGEN {
        let si = a1 * 1e-7 * p * theta_3 * (a2 * (1.0 - theta)).exp();
        let theta_width = if a4 == 0.0 {
            theta_08
        } else {
            theta.powf(0.8 - a4)
        };
        let df = a3 * 1e-4 * (p * theta_width + 1.1 * e * theta);
        let df = (df * df + 2.25e-6).sqrt();
        let delta = (a5 + a6 * theta) * 1e-4 * (p + e) * theta_08;
        sum_o += si * line_shape(f, fi, df, delta);
    }
    // Eqs (8)-(9): dry-air continuum.
    let d = 5.6e-4 * (p + e) * theta.powf(0.8);
    let ndf = f
        * p
        * theta.powi(2)
        * (6.14e-5 / (d * (1.0 + (f / d).powi(2)))
            + 1.4e-12 * p * theta.powf(1.5) / (1.0 + 1.9e-5 * f.powf(1.5)));
    let gamma_o = 0.182 * f * (sum_o + ndf);
    let theta_35 = theta.powf(3.5);
    let mut sum_w = 0.0;
    for [fi, b1, b2, b3, b4, b5, b6] in WATER_VAPOUR {
        let si = b1 * 1e-1 * e * theta_35 * (b2 * (1.0 - theta)).exp();
        let df = b3 * 1e-4 * (p * theta.powf(b4) + b5 * e * theta.powf(b6));
        let df = 0.535 * df + (0.217 * df * df + 2.1316e-12 * fi * fi / theta).sqrt();
        sum_w += si * line_shape(f, fi, df, 0.0);
    }
    let gamma_w = 0.182 * f * sum_w;
    (gamma_o, gamma_w)
}

/// Frequency range of Annex 1, GHz (inclusive).
pub const FREQ_RANGE_GHZ: (f64, f64) = (1.0, 1000.0);

/// An input outside the domain of Annex 1 (nothing is computed).
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum P676Error {
    /// Frequency outside 1–1000 GHz.
    #[error("P.676-13 Annex 1: frequency must be within 1..=1000 GHz, found {found_ghz} GHz")]
    Frequency {
        /// The frequency given, GHz.
        found_ghz: f64,
    },
    /// Dry-air pressure not positive (or not finite).
    #[error("P.676-13 Annex 1: dry-air pressure must be > 0 hPa, found {found_hpa} hPa")]
    Pressure {
        /// The pressure given, hPa.
        found_hpa: f64,
    },
    /// Water-vapour density negative (or not finite).
    #[error("P.676-13 Annex 1: water-vapour density must be >= 0 g/m³, found {found} g/m³")]
    WaterVapour {
        /// The density given, g/m³.
        found: f64,
    },
    /// Temperature not positive (or not finite).
    #[error("P.676-13 Annex 1: temperature must be > 0 K, found {found_k} K")]
    Temperature {
        /// The temperature given, K.
        found_k: f64,
    },
    /// Path length negative (or not finite).
    #[error("P.676-13 §2.1: path length must be >= 0 km, found {found_km} km")]
    Distance {
        /// The length given, km.
        found_km: f64,
    },
}

/// [`specific_attenuation_db_km`] after checking the domain: frequency in
/// 1–1000 GHz, pressure and temperature positive, density not negative.
pub fn specific_attenuation(
    freq_ghz: f64,
    pressure_hpa: f64,
    rho_g_m3: f64,
    temp_k: f64,
) -> Result<(f64, f64), P676Error> {
    if !(FREQ_RANGE_GHZ.0..=FREQ_RANGE_GHZ.1).contains(&freq_ghz) {
        return Err(P676Error::Frequency {
            found_ghz: freq_ghz,
        });
    }
    if !(pressure_hpa > 0.0 && pressure_hpa.is_finite()) {
        return Err(P676Error::Pressure {
            found_hpa: pressure_hpa,
        });
    }
    if !(rho_g_m3 >= 0.0 && rho_g_m3.is_finite()) {
        return Err(P676Error::WaterVapour { found: rho_g_m3 });
    }
    if !(temp_k > 0.0 && temp_k.is_finite()) {
        return Err(P676Error::Temperature { found_k: temp_k });
    }
    Ok(specific_attenuation_db_km(
        freq_ghz,
        pressure_hpa,
        rho_g_m3,
        temp_k,
    ))
}

/// Attenuation of a terrestrial path of `dist_km` under constant conditions,
/// A = (γ_o + γ_w) r₀ dB (§2.1, eq (10)).
pub fn terrestrial_path_db(
    freq_ghz: f64,
    dist_km: f64,
    pressure_hpa: f64,
    rho_g_m3: f64,
    temp_k: f64,
) -> Result<f64, P676Error> {
    if !(dist_km >= 0.0 && dist_km.is_finite()) {
        return Err(P676Error::Distance { found_km: dist_km });
    }
    let (go, gw) = specific_attenuation(freq_ghz, pressure_hpa, rho_g_m3, temp_k)?;
    Ok((go + gw) * dist_km)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_memo_returns_the_bits_it_would_compute() {
        let direct = line_by_line(22.235, 1013.25, 10.0, 288.15);
        for _ in 0..3 {
            let (o, w) = specific_attenuation_with_vapour_pressure(22.235, 1013.25, 10.0, 288.15);
            assert_eq!(
                (o.to_bits(), w.to_bits()),
                (direct.0.to_bits(), direct.1.to_bits())
            );
        }
        // More inputs than entries, then the first again: recomputed, same bits.
        for f in [1.0, 2.0, 3.0, 4.0, 5.0] {
            specific_attenuation_with_vapour_pressure(f, 1013.25, 10.0, 288.15);
        }
        let again = specific_attenuation_with_vapour_pressure(22.235, 1013.25, 10.0, 288.15);
        assert_eq!(again.0.to_bits(), direct.0.to_bits());
        let other = specific_attenuation_with_vapour_pressure(60.0, 1013.25, 10.0, 288.15);
        assert_ne!(other.0, direct.0);
    }
    use super::*;

    #[test]
    fn edges_are_errors_not_nan() {
        assert!(specific_attenuation(1.0, 1013.25, 7.5, 288.15).is_ok());
        assert!(specific_attenuation(1000.0, 1013.25, 0.0, 288.15).is_ok());
        assert!(matches!(
            specific_attenuation(0.5, 1013.25, 7.5, 288.15),
            Err(P676Error::Frequency { .. })
        ));
        assert!(matches!(
            specific_attenuation(f64::NAN, 1013.25, 7.5, 288.15),
            Err(P676Error::Frequency { .. })
        ));
        assert!(matches!(
            specific_attenuation(10.0, 0.0, 7.5, 288.15),
            Err(P676Error::Pressure { .. })
        ));
        assert!(matches!(
            specific_attenuation(10.0, 1013.25, -1.0, 288.15),
            Err(P676Error::WaterVapour { .. })
        ));
        assert!(matches!(
            specific_attenuation(10.0, 1013.25, 7.5, 0.0),
            Err(P676Error::Temperature { .. })
        ));
        assert!(matches!(
            terrestrial_path_db(10.0, -1.0, 1013.25, 7.5, 288.15),
            Err(P676Error::Distance { .. })
        ));
        let msg = specific_attenuation(1500.0, 1013.25, 7.5, 288.15)
            .err()
            .map(|e| e.to_string());
        assert!(msg.is_some_and(|m| m.contains("1..=1000 GHz") && m.contains("1500")));
    }

    #[test]
    fn a_path_attenuates_in_proportion_to_its_length() {
        let one = terrestrial_path_db(23.0, 1.0, 1013.25, 7.5, 288.15).unwrap_or(f64::NAN);
        let ten = terrestrial_path_db(23.0, 10.0, 1013.25, 7.5, 288.15).unwrap_or(f64::NAN);
        assert!((ten - 10.0 * one).abs() < 1e-12 && one > 0.0);
    }

    #[test]
    fn attenuation_peaks_at_oxygen_and_water_lines() {
        let at = |f| {
            let (o, w) = specific_attenuation_db_km(f, 1013.25, 7.5, 288.15);
            o + w
        };
        // Around 0.0055 dB/km at 1 GHz, ~0.2 dB/km at 22 GHz, ~15 dB/km at 60 GHz.
        assert!((0.003..0.01).contains(&at(1.0)), "{}", at(1.0));
        assert!((0.1..0.3).contains(&at(22.235)), "{}", at(22.235));
        assert!(at(60.0) > 10.0, "{}", at(60.0));
    }
}
