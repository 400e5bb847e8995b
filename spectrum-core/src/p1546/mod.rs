//! ITU-R P.1546-6 (08/2019), "Method for point-to-area predictions for
//! terrestrial services in the frequency range 30 MHz to 4 000 MHz": field
//! strength exceeded at 50 % (or q %) of locations for t % of time (1–50 %)
//! over land, cold-sea, warm-sea and mixed paths up to 1 000 km, from the
//! Recommendation's curves, and the equivalent basic transmission loss.
//!
//! | module | what |
//! |---|---|
//! | [`curves`] | Figures 1–24 as tabulated values (shipped data), eqs (8), (13) |
//! | `field` | Annex 5 §§4–7: h1 < 10 m, sea below 100 MHz, frequency and time interpolation |
//! | [`corrections`] | Annex 5 §§2, 8–15, 17: maximum field, mixed paths, clutter, clearance angle, troposcatter, slope, short paths, locations, loss |
//! | [`terrain`] | effective height, θ_eff1 and terrain clearance angle from a profile |
//!
//! [`p1546`] follows Annex 6's steps in order, as the ITU-R WP 3K reference
//! implementation (eeveetza/p1546, P1546FieldStrMixed v16) does, and
//! reproduces its validation results to 1e-3 dB (`spectra conformance
//! p1546`). Where h1 < 0 the correction of §4.3 case b is used (the terrain
//! need not be known), as in the reference. Not covered: Annex 7 (other
//! climatic regions), Annex 5 §4.3 case a.
//!
//! ```
//! use spectrum_core::p1546::{p1546, P1546Input, RxArea, Zone};
//! // 600 MHz, 50 % time, 20 km of land, 150 m effective height, a rural
//! // receiver 10 m above ground: Figure 9 at 20 km read directly.
//! let input = P1546Input::new(600.0, 50.0, vec![(Zone::Land, 20.0)], 150.0, 10.0, RxArea::Rural);
//! let r = p1546(&input).unwrap();
//! assert_eq!(r.field_dbuv_m, 60.2499);
//! assert!((r.loss_db - (139.3 - r.field_dbuv_m + 20.0 * 600f64.log10())).abs() < 1e-9);
//! ```

pub mod corrections;
pub mod curves;
mod field;
pub mod terrain;
#[cfg(test)]
mod tests;

use serde::Serialize;
use thiserror::Error;

use corrections as c;
use curves::{CurvePath, Curves};
use field::{KindInput, field_for_kind};

/// Frequency range, MHz (inclusive).
pub const FREQ_RANGE_MHZ: (f64, f64) = (30.0, 4000.0);
/// Time-percentage range, % (inclusive).
pub const TIME_RANGE_PCT: (f64, f64) = (1.0, 50.0);
/// Location-percentage range, % (inclusive).
pub const LOCATION_RANGE_PCT: (f64, f64) = (1.0, 99.0);
/// Longest path, km.
pub const MAX_DIST_KM: f64 = 1000.0;
/// Highest transmitting/base effective height h1, m.
pub const MAX_H1_M: f64 = 3000.0;

/// The kind of one stretch of the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    /// Land (and inland water treated as land).
    Land,
    /// Cold sea (e.g. the North Sea); the sea curves at 50 % of time.
    ColdSea,
    /// Warm sea (e.g. the Mediterranean); a path with both warm and cold
    /// sea counts all its sea as warm (Annex 6 step 11).
    WarmSea,
}

/// The receiver's surroundings (Annex 5 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RxArea {
    /// Open or rural land: R' = 10 m.
    Rural,
    /// Suburban.
    Suburban,
    /// Urban.
    Urban,
    /// Dense urban.
    DenseUrban,
    /// Adjacent to sea.
    Sea,
}

impl RxArea {
    /// The representative clutter height the Recommendation suggests, m
    /// (10 rural, suburban and sea; 15 urban; 20 dense urban).
    pub fn typical_clutter_m(self) -> f64 {
        match self {
            RxArea::Urban => 15.0,
            RxArea::DenseUrban => 20.0,
            _ => 10.0,
        }
    }

    /// Parses `rural`, `suburban`, `urban`, `dense-urban` (or `dense urban`)
    /// and `sea`, case-insensitively.
    pub fn from_name(name: &str) -> Option<RxArea> {
        match name
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '_'], "-")
            .as_str()
        {
            "rural" => Some(RxArea::Rural),
            "suburban" => Some(RxArea::Suburban),
            "urban" => Some(RxArea::Urban),
            "dense-urban" => Some(RxArea::DenseUrban),
            "sea" => Some(RxArea::Sea),
            _ => None,
        }
    }
}

/// Everything one P.1546 prediction needs. [`P1546Input::new`] fills the
/// optional parts with "not known".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct P1546Input {
    /// Frequency, MHz (30–4 000).
    pub freq_mhz: f64,
    /// Percentage of time, % (1–50).
    pub time_pct: f64,
    /// Percentage of locations, % (1–99; 50 = median).
    pub location_pct: f64,
    /// The path's stretches from the transmitter, with their lengths, km
    /// (total up to 1 000 km).
    pub zones: Vec<(Zone, f64)>,
    /// Effective height of the transmitting antenna h_eff, m (§3: above the
    /// average terrain 3–15 km towards the receiver).
    pub heff_m: f64,
    /// Transmitting antenna height above ground h_a, m (needed for paths
    /// shorter than 15 km without terrain, the slope-path and transmitter
    /// clutter corrections and paths shorter than 1 km).
    pub ha_m: Option<f64>,
    /// Height above the terrain averaged between 0.2 d and d, h_b, m (§3.1.2:
    /// h1 for paths shorter than 15 km when terrain is known).
    pub hb_m: Option<f64>,
    /// Whether terrain information is available (selects §3.1.1 or §3.1.2
    /// and the location variability of §12).
    pub terrain_known: bool,
    /// Receiving antenna height above ground, m (≥ 1 on land, ≥ 3 at sea).
    pub h2_m: f64,
    /// The receiver's surroundings.
    pub rx_area: RxArea,
    /// Representative clutter height around the receiver R2, m.
    pub r2_m: f64,
    /// Clutter height around the transmitter R1, m (§10; `None`: no
    /// correction).
    pub r1_m: Option<f64>,
    /// Receiver's terrain clearance angle, degrees (§11; `None`: no
    /// correction).
    pub tca_deg: Option<f64>,
    /// Clearance angles θ_eff1 (transmitter, §4.3a) and θ_eff2 (receiver,
    /// §11), degrees, for the tropospheric-scatter limit of §13 (`None`: not
    /// applied).
    pub scatter_angles_deg: Option<(f64, f64)>,
    /// Ground heights above sea level at the transmitter and the receiver, m
    /// (§14 slope distance; `None`: taken as equal).
    pub ground_heights_m: Option<(f64, f64)>,
    /// Side of the square area over which location variability applies, m
    /// (§12; needed when the terrain is known and location_pct ≠ 50).
    pub area_width_m: Option<f64>,
    /// Effective radiated power, kW (the field strength is scaled to it; the
    /// loss does not depend on it).
    pub erp_kw: f64,
    /// Sea-level surface refractivity N0 for §13, N-units (325).
    pub n0: f64,
}

impl P1546Input {
    /// A prediction with nothing beyond the essentials known: median
    /// location, no terrain, the area's typical clutter height, 1 kW,
    /// N0 = 325.
    pub fn new(
        freq_mhz: f64,
        time_pct: f64,
        zones: Vec<(Zone, f64)>,
        heff_m: f64,
        h2_m: f64,
        rx_area: RxArea,
    ) -> Self {
        Self {
            freq_mhz,
            time_pct,
            location_pct: 50.0,
            zones,
            heff_m,
            ha_m: None,
            hb_m: None,
            terrain_known: false,
            h2_m,
            rx_area,
            r2_m: rx_area.typical_clutter_m(),
            r1_m: None,
            tca_deg: None,
            scatter_angles_deg: None,
            ground_heights_m: None,
            area_width_m: None,
            erp_kw: 1.0,
            n0: 325.0,
        }
    }

    /// Total path length, km.
    pub fn dist_km(&self) -> f64 {
        self.zones.iter().map(|z| z.1).sum()
    }
}

/// The zones of a path of `dist_km` whose last `sea_km` are `sea` (a land
/// stretch, then the sea; only their lengths matter to the method): one zone
/// when either is empty. The error says `sea_km` must lie within the path.
///
/// ```
/// use spectrum_core::p1546::{mixed_zones, Zone};
/// assert_eq!(mixed_zones(50.0, 20.0, Zone::WarmSea).unwrap(),
///            vec![(Zone::Land, 30.0), (Zone::WarmSea, 20.0)]);
/// assert_eq!(mixed_zones(50.0, 0.0, Zone::ColdSea).unwrap(), vec![(Zone::Land, 50.0)]);
/// assert!(mixed_zones(50.0, 60.0, Zone::ColdSea).is_err());
/// ```
pub fn mixed_zones(dist_km: f64, sea_km: f64, sea: Zone) -> Result<Vec<(Zone, f64)>, P1546Error> {
    if !(sea_km >= 0.0 && sea_km <= dist_km) {
        return Err(invalid(format!(
            "sea length: expected 0..={dist_km} km (within the path), found {sea_km} km"
        )));
    }
    let zones: Vec<(Zone, f64)> = [(Zone::Land, dist_km - sea_km), (sea, sea_km)]
        .into_iter()
        .filter(|z| z.1 > 0.0)
        .collect();
    Ok(if zones.is_empty() {
        vec![(Zone::Land, dist_km)]
    } else {
        zones
    })
}

/// The intermediate values of one prediction, named after Annex 6's steps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct P1546Steps {
    /// Transmitting/base antenna height h1 used with the curves, m (§3).
    pub h1_m: f64,
    /// Maximum field strength, dB(µV/m) (§2, with the slope correction when
    /// h_a is known).
    pub emax_dbuv_m: f64,
    /// Land stretches' total length, km.
    pub land_km: f64,
    /// Sea stretches' total length, km.
    pub sea_km: f64,
    /// Field strength of the (mixed) path from the curves, dB(µV/m) (step 11).
    pub curves_dbuv_m: f64,
    /// ν of the terrain clearance angle correction (step 12).
    pub tca_nu: Option<f64>,
    /// Terrain clearance angle correction, dB (step 12).
    pub tca_correction_db: Option<f64>,
    /// Scatter angle θ_s, degrees (step 13).
    pub scatter_angle_deg: Option<f64>,
    /// Tropospheric-scatter field strength E_ts, dB(µV/m) (step 13).
    pub troposcatter_dbuv_m: Option<f64>,
    /// Modified representative clutter height R', m (step 14).
    pub r2_prime_m: f64,
    /// Receiving antenna height correction, dB (step 14).
    pub rx_height_correction_db: f64,
    /// Transmitter clutter correction, dB (step 15).
    pub tx_clutter_correction_db: Option<f64>,
    /// Slope-path correction, dB (step 16).
    pub slope_correction_db: Option<f64>,
    /// Field strength of a path shorter than 1 km, dB(µV/m) (step 17).
    pub short_path_dbuv_m: Option<f64>,
    /// Field strength at location_pct % of locations, dB(µV/m) (step 18).
    pub location_dbuv_m: Option<f64>,
}

/// One prediction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct P1546Result {
    /// Field strength for the input's e.r.p., dB(µV/m).
    pub field_dbuv_m: f64,
    /// Field strength for 1 kW e.r.p., dB(µV/m).
    pub field_1kw_dbuv_m: f64,
    /// Equivalent basic transmission loss, dB (§17).
    pub loss_db: f64,
    /// Intermediate values.
    pub steps: P1546Steps,
}

/// An input outside the method's domain (nothing is computed).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum P1546Error {
    /// A quantity outside its range.
    #[error("P.1546: {name} must be within {min}..={max} {unit}, found {found} {unit}")]
    OutOfRange {
        /// The quantity.
        name: &'static str,
        /// Lowest accepted.
        min: f64,
        /// Highest accepted.
        max: f64,
        /// Unit.
        unit: &'static str,
        /// The value given.
        found: f64,
    },
    /// An input the method cannot use, with what was expected.
    #[error("P.1546: {0}")]
    Invalid(String),
}

fn in_range(
    name: &'static str,
    v: f64,
    (min, max): (f64, f64),
    unit: &'static str,
) -> Result<(), P1546Error> {
    if v.is_finite() && v >= min && v <= max {
        Ok(())
    } else {
        Err(P1546Error::OutOfRange {
            name,
            min,
            max,
            unit,
            found: v,
        })
    }
}

fn invalid(msg: impl Into<String>) -> P1546Error {
    P1546Error::Invalid(msg.into())
}

impl P1546Input {
    /// Checks the domain: every error names the quantity, its range and the
    /// value found.
    pub fn validate(&self) -> Result<(), P1546Error> {
        in_range("frequency", self.freq_mhz, FREQ_RANGE_MHZ, "MHz")?;
        in_range("time percentage", self.time_pct, TIME_RANGE_PCT, "%")?;
        in_range(
            "location percentage",
            self.location_pct,
            LOCATION_RANGE_PCT,
            "%",
        )?;
        if self.zones.is_empty() {
            return Err(invalid(
                "the path needs at least one zone (land, cold sea, warm sea)",
            ));
        }
        for (zone, len) in &self.zones {
            if !len.is_finite() || *len < 0.0 {
                return Err(invalid(format!(
                    "zone {zone:?}: expected a length ≥ 0 km, found {len} km"
                )));
            }
        }
        let d = self.dist_km();
        if !(d > 0.0 && d <= MAX_DIST_KM) {
            return Err(P1546Error::OutOfRange {
                name: "path length",
                min: 0.0,
                max: MAX_DIST_KM,
                unit: "km",
                found: d,
            });
        }
        if !self.heff_m.is_finite() {
            return Err(invalid(format!(
                "effective height: expected a number, found {}",
                self.heff_m
            )));
        }
        let h2_min = if self.rx_area == RxArea::Sea {
            3.0
        } else {
            1.0
        };
        in_range(
            "receiving antenna height h2",
            self.h2_m,
            (h2_min, MAX_H1_M),
            "m",
        )?;
        in_range("receiver clutter height R2", self.r2_m, (0.0, 1000.0), "m")?;
        if let Some(ha) = self.ha_m {
            in_range("transmitting antenna height ha", ha, (0.0, MAX_H1_M), "m")?;
        }
        if let Some(hb) = self.hb_m
            && !hb.is_finite()
        {
            return Err(invalid(format!("hb: expected a number, found {hb}")));
        }
        if let Some(r1) = self.r1_m {
            in_range("transmitter clutter height R1", r1, (0.0, 1000.0), "m")?;
        }
        for (name, v) in [
            ("terrain clearance angle", self.tca_deg),
            ("θ_eff1", self.scatter_angles_deg.map(|a| a.0)),
            ("θ_eff2", self.scatter_angles_deg.map(|a| a.1)),
        ] {
            if let Some(v) = v {
                in_range(name, v, (-90.0, 90.0), "deg")?;
            }
        }
        if let Some((t, r)) = self.ground_heights_m
            && !(t.is_finite() && r.is_finite())
        {
            return Err(invalid("ground heights: expected numbers"));
        }
        if self.terrain_known && self.location_pct != 50.0 {
            match self.area_width_m {
                Some(w) if w.is_finite() && w > 0.0 => {}
                other => {
                    return Err(invalid(format!(
                        "location variability with terrain known needs the area width wa > 0 m, found {other:?}"
                    )));
                }
            }
        }
        if !(self.erp_kw.is_finite() && self.erp_kw > 0.0) {
            return Err(invalid(format!(
                "e.r.p.: expected > 0 kW, found {} kW",
                self.erp_kw
            )));
        }
        in_range("N0", self.n0, (200.0, 500.0), "N-units")?;
        if d < 1.0 && self.ha_m.is_none() {
            return Err(invalid(format!(
                "a path of {d} km (< 1 km, §15) needs the transmitting antenna height ha"
            )));
        }
        Ok(())
    }

    /// §3: the transmitting/base antenna height h1, m, for the curves.
    pub fn h1_m(&self) -> f64 {
        let d = self.dist_km();
        let all_sea = self.zones.iter().all(|z| z.0 != Zone::Land || z.1 == 0.0);
        if all_sea {
            return self.heff_m.max(3.0); // §3.3
        }
        if d >= 15.0 {
            return self.heff_m; // §3.2, eq. (7)
        }
        if self.terrain_known {
            return self.hb_m.unwrap_or(self.heff_m); // §3.1.2, eq. (6)
        }
        match self.ha_m {
            Some(ha) if d <= 3.0 => ha,                             // eq. (4)
            Some(ha) => ha + (self.heff_m - ha) * (d - 3.0) / 12.0, // eq. (5)
            None => self.heff_m,
        }
    }
}

/// The prediction of Annex 6, steps 1–20.
pub fn p1546(input: &P1546Input) -> Result<P1546Result, P1546Error> {
    input.validate()?;
    let curves = Curves::get().map_err(P1546Error::Invalid)?;
    let (f, t) = (input.freq_mhz, input.time_pct);
    let d = input.dist_km();
    let d1 = d.max(1.0); // steps 1–16 use 1 km on shorter paths
    let land_km: f64 = input
        .zones
        .iter()
        .filter(|z| z.0 == Zone::Land)
        .map(|z| z.1)
        .sum();
    let sea_km: f64 = input
        .zones
        .iter()
        .filter(|z| z.0 != Zone::Land)
        .map(|z| z.1)
        .sum();
    let warm = input
        .zones
        .iter()
        .any(|z| z.0 == Zone::WarmSea && z.1 > 0.0);
    let sea_path = if warm {
        CurvePath::WarmSea
    } else {
        CurvePath::ColdSea
    };
    let h1 = input.h1_m();
    if h1 > MAX_H1_M {
        return Err(invalid(format!(
            "transmitting height h1 must be at most {MAX_H1_M} m (§3; the method is not valid above), found {h1} m"
        )));
    }
    let ground = input.ground_heights_m.unwrap_or((0.0, 0.0));
    // Step 19's maximum, with step 16's slope correction (§2, §14).
    let mut emax = c::max_field_dbuv_m(t, land_km, sea_km);
    if let Some(ha) = input.ha_m {
        emax += c::slope_correction_db(ha, input.h2_m, d, ground);
    }
    // Steps 5–10 per path kind, step 11 mixes them.
    let kind = |path: CurvePath, h1_m: f64| {
        field_for_kind(
            curves,
            &KindInput {
                path,
                h1_m,
                dist_km: d1,
                freq_mhz: f,
                time_pct: t,
                emax_dbuv_m: emax,
            },
        )
        .map_err(P1546Error::Invalid)
    };
    let e_land = if land_km > 0.0 {
        kind(CurvePath::Land, h1)?
    } else {
        0.0
    };
    let e_sea = if sea_km > 0.0 {
        kind(sea_path, h1.max(3.0))?
    } else {
        0.0
    };
    let curves_e = c::mixed_path_dbuv_m(e_land, e_sea, sea_km / d);
    let mut e = curves_e;
    let mut steps = P1546Steps {
        h1_m: h1,
        emax_dbuv_m: emax,
        land_km,
        sea_km,
        curves_dbuv_m: curves_e,
        tca_nu: None,
        tca_correction_db: None,
        scatter_angle_deg: None,
        troposcatter_dbuv_m: None,
        r2_prime_m: 0.0,
        rx_height_correction_db: 0.0,
        tx_clutter_correction_db: None,
        slope_correction_db: None,
        short_path_dbuv_m: None,
        location_dbuv_m: None,
    };
    // Step 12: terrain clearance angle.
    if let Some(tca) = input.tca_deg {
        let (corr, nu) = c::clearance_angle_correction_db(f, tca);
        e += corr;
        (steps.tca_nu, steps.tca_correction_db) = (Some(nu), Some(corr));
    }
    // Step 13: tropospheric scatter.
    if let Some((eff1, eff2)) = input.scatter_angles_deg {
        let (ets, theta_s) = c::troposcatter_dbuv_m(d1, f, t, eff1, eff2, input.n0);
        e = e.max(ets);
        (steps.troposcatter_dbuv_m, steps.scatter_angle_deg) = (Some(ets), Some(theta_s));
    }
    // Step 14: receiving antenna height and clutter.
    let (corr, rp) = c::rx_height_correction_db(h1, d1, input.r2_m, input.h2_m, f, input.rx_area);
    e += corr;
    (steps.rx_height_correction_db, steps.r2_prime_m) = (corr, rp);
    if let Some(ha) = input.ha_m {
        // Step 15: transmitter clutter.
        if let Some(r1) = input.r1_m {
            let corr = c::tx_clutter_correction_db(ha, r1, f);
            e += corr;
            steps.tx_clutter_correction_db = Some(corr);
        }
        // Step 16: slope path.
        let corr = c::slope_correction_db(ha, input.h2_m, d1, ground);
        e += corr;
        steps.slope_correction_db = Some(corr);
        // Step 17: paths shorter than 1 km.
        if d < 1.0 {
            e = c::short_path_dbuv_m(ha, input.h2_m, d, ground, e);
            steps.short_path_dbuv_m = Some(e);
        }
    }
    // Step 18: locations.
    if input.location_pct != 50.0 && input.rx_area != RxArea::Sea {
        let wa = if input.terrain_known {
            input.area_width_m
        } else {
            None
        };
        let sigma = c::location_sigma_db(f, input.rx_area, wa);
        e = c::location_dbuv_m(e, input.location_pct, sigma);
        steps.location_dbuv_m = Some(e);
    }
    // Step 19: the maximum.
    let e_1kw = e.min(emax);
    Ok(P1546Result {
        field_dbuv_m: e_1kw + 10.0 * input.erp_kw.log10(),
        field_1kw_dbuv_m: e_1kw,
        loss_db: c::basic_loss_db(f, e_1kw),
        steps,
    })
}
