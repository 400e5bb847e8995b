//! Antenna gains of the reference model (README §2.4–§2.7; upstream
//! `antenna/antenna.py`).

/// Wraps an angle difference into [−180, 180] (one step of ±360).
fn wrap_180(bore: f64) -> f64 {
    if bore > 180.0 {
        bore - 360.0
    } else if bore < -180.0 {
        bore + 360.0
    } else {
        bore
    }
}

/// Standard CBSD antenna gain (3GPP form, `GetStandardAntennaGains`), dBi:
/// `G = max(−12·(bore/BW)², −20) + G0` with `bore = hor − azimuth` wrapped to
/// [−180, 180]. Isotropic (`G0`) when the beamwidth is absent, 0 or 360, or
/// the azimuth is absent.
///
/// ```
/// use interference::cbrs::standard_antenna_gain;
/// assert_eq!(standard_antenna_gain(60.0, Some(0.0), Some(120.0), 10.0), 7.0);
/// assert_eq!(standard_antenna_gain(60.0, None, Some(120.0), 10.0), 10.0);
/// ```
pub fn standard_antenna_gain(
    hor_deg: f64,
    azimuth_deg: Option<f64>,
    beamwidth_deg: Option<f64>,
    gain_dbi: f64,
) -> f64 {
    match (azimuth_deg, beamwidth_deg) {
        (Some(az), Some(bw)) if bw != 0.0 && bw != 360.0 => {
            let bore = wrap_180(hor_deg - az);
            // −12·x² with x² first, as upstream (`-12 * x**2`): bit-exact.
            let x = bore / bw;
            (-12.0 * (x * x)).max(-20.0) + gain_dbi
        }
        _ => gain_dbi,
    }
}

/// [`standard_antenna_gain`] for several horizontal directions.
///
/// ```
/// use interference::cbrs::standard_antenna_gains;
/// let g = standard_antenna_gains(&[25.0, 310.0], Some(50.0), Some(100.0), 10.0);
/// assert_eq!(g, vec![9.25, -2.0]);
/// ```
pub fn standard_antenna_gains(
    hor_deg: &[f64],
    azimuth_deg: Option<f64>,
    beamwidth_deg: Option<f64>,
    gain_dbi: f64,
) -> Vec<f64> {
    hor_deg
        .iter()
        .map(|&h| standard_antenna_gain(h, azimuth_deg, beamwidth_deg, gain_dbi))
        .collect()
}

/// Default DPA radar beamwidth, degrees.
pub const RADAR_BEAMWIDTH_DEG: f64 = 3.0;

/// DPA radar normalised antenna gain (`GetRadarNormalizedAntennaGains`), dB:
/// 0 when `|bore| < BW/2` (strict), −25 otherwise; 0 everywhere for BW = 360.
///
/// ```
/// use interference::cbrs::{RADAR_BEAMWIDTH_DEG, radar_normalized_gain};
/// assert_eq!(radar_normalized_gain(358.51, 0.0, RADAR_BEAMWIDTH_DEG), 0.0);
/// assert_eq!(radar_normalized_gain(1.51, 0.0, RADAR_BEAMWIDTH_DEG), -25.0);
/// ```
pub fn radar_normalized_gain(hor_deg: f64, azimuth_deg: f64, beamwidth_deg: f64) -> f64 {
    if beamwidth_deg == 360.0 {
        return 0.0;
    }
    let bore = wrap_180(hor_deg - azimuth_deg);
    if bore.abs() < beamwidth_deg / 2.0 {
        0.0
    } else {
        -25.0
    }
}

/// Pointing and weights of an FSS earth-station antenna (`GetFssAntennaGains`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FssAntenna {
    /// Pointing azimuth, degrees.
    pub azimuth_deg: f64,
    /// Pointing elevation, degrees (the record's downtilt, negated).
    pub elevation_deg: f64,
    /// Nominal (main-beam) gain G0, dBi.
    pub gain_dbi: f64,
    /// Weight of the tangential-plane gain (default 0).
    pub w1: f64,
    /// Weight of the perpendicular-plane gain (default 1).
    pub w2: f64,
}

impl FssAntenna {
    /// An antenna with the default weights w1 = 0, w2 = 1.
    pub fn new(azimuth_deg: f64, elevation_deg: f64, gain_dbi: f64) -> Self {
        Self {
            azimuth_deg,
            elevation_deg,
            gain_dbi,
            w1: 0.0,
            w2: 1.0,
        }
    }

    /// Off-axis angle in degrees of a ray at horizontal direction `hor_deg` and
    /// vertical direction `ver_deg`:
    /// `acos(cos v·cos e·cos(az − h) + sin v·sin e)`.
    pub fn off_axis_deg(&self, hor_deg: f64, ver_deg: f64) -> f64 {
        let (v, e) = (ver_deg.to_radians(), self.elevation_deg.to_radians());
        let dh = (self.azimuth_deg - hor_deg).to_radians();
        let c = v.cos() * e.cos() * dh.cos() + v.sin() * e.sin();
        c.clamp(-1.0, 1.0).acos().to_degrees()
    }

    /// Gain in dBi towards a ray: `w1·G_tangential + w2·G_perpendicular`.
    ///
    /// ```
    /// use interference::cbrs::FssAntenna;
    /// let a = FssAntenna::new(20.0, 0.0, 30.0);
    /// assert!((a.gain(23.1, 0.0) - 19.7159577).abs() < 1e-7);
    /// assert_eq!(a.gain(69.0, 0.0), -10.0);
    /// ```
    pub fn gain(&self, hor_deg: f64, ver_deg: f64) -> f64 {
        let theta = self.off_axis_deg(hor_deg, ver_deg);
        let g0 = self.gain_dbi;
        let perpendicular = if theta <= 3.0 {
            g0
        } else if theta <= 48.0 {
            32.0 - 25.0 * theta.log10()
        } else {
            -10.0
        };
        let tangential = if theta <= 1.5 {
            g0
        } else if theta <= 7.0 {
            29.0 - 25.0 * theta.log10()
        } else if theta <= 9.2 {
            8.0
        } else if theta <= 48.0 {
            32.0 - 25.0 * theta.log10()
        } else {
            -10.0
        };
        self.w1 * tangential + self.w2 * perpendicular
    }
}

/// Gain from a tabulated 1°-step horizontal pattern (`GetAntennaPatternGains`),
/// dBi: `bore = hor − azimuth` wrapped once into [0, 360), linear
/// interpolation between `pattern[trunc(bore)]` and the next entry (modulo
/// 360), plus `gain_dbi`.
///
/// ```
/// use interference::cbrs::pattern_gain;
/// let p: [f64; 360] = std::array::from_fn(|k| k as f64);
/// assert!((pattern_gain(10.5, 20.0, &p, 10.0) - 360.5).abs() < 1e-9);
/// ```
pub fn pattern_gain(hor_deg: f64, azimuth_deg: f64, pattern: &[f64; 360], gain_dbi: f64) -> f64 {
    let mut bore = hor_deg - azimuth_deg;
    if bore < 0.0 {
        bore += 360.0;
    } else if bore >= 360.0 {
        bore -= 360.0;
    }
    let i0 = bore.trunc();
    let alpha = bore - i0;
    let i0 = (i0 as usize) % 360;
    let i1 = (i0 + 1) % 360;
    (1.0 - alpha) * pattern[i0] + alpha * pattern[i1] + gain_dbi
}
