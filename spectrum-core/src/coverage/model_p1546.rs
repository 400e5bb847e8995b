//! ITU-R P.1546-6 (08/2019) point-to-area prediction as a coverage
//! [`PathLossModel`]: each radial prefix becomes a terrain profile from which
//! [`P1546Input::from_profile`] takes h_eff, h_b, the clearance angles and the
//! ground heights (all land: the radials carry no land/sea zones); the loss
//! is the basic transmission loss equivalent to the field strength (§17).

use super::Scenario;
use super::model::{PathInput, PathLoss, PathLossModel};
use crate::bounds::{self, Ends, OutOfBounds};
use crate::p1546::terrain::ProfileTerminals;
use crate::p1546::{
    FREQ_RANGE_MHZ, LOCATION_RANGE_PCT, P1546Input, RxArea, TIME_RANGE_PCT, Zone, p1546,
};

/// P.1546-6 basic transmission loss for `time_pct` % of time and
/// `location_pct` % of locations, receivers in `rx_area`.
#[derive(Debug, Clone, Copy)]
pub struct P1546 {
    /// Time percentage, % (1–50).
    pub time_pct: f64,
    /// Location percentage, % (1–99).
    pub location_pct: f64,
    /// The receivers' surroundings (step 14).
    pub rx_area: RxArea,
    /// Representative clutter height around the receivers, m (`None`: the
    /// area's typical value).
    pub rx_clutter_m: Option<f64>,
    /// Side of the square over which location variability applies, m (§12).
    pub area_width_m: f64,
}

impl Default for P1546 {
    /// 50 % of time and locations, rural receivers, w_a = 500 m (the
    /// reference implementation's harness).
    fn default() -> Self {
        Self {
            time_pct: 50.0,
            location_pct: 50.0,
            rx_area: RxArea::Rural,
            rx_clutter_m: None,
            area_width_m: 500.0,
        }
    }
}

impl P1546 {
    /// The prediction's input for one path.
    pub fn input(&self, path: &PathInput<'_>) -> Result<P1546Input, String> {
        let profile = path.profile()?;
        let terminals = ProfileTerminals {
            freq_mhz: path.freq_mhz,
            time_pct: self.time_pct,
            ha_m: path.tx_height_m,
            h2_m: path.rx_height_m,
            rx_area: self.rx_area,
            sea: Zone::ColdSea,
        };
        let mut input =
            P1546Input::from_profile(&profile, &terminals).map_err(|e| e.to_string())?;
        input.location_pct = self.location_pct;
        input.area_width_m = Some(self.area_width_m);
        if let Some(r) = self.rx_clutter_m {
            input.r2_m = r;
        }
        Ok(input)
    }
}

impl PathLossModel for P1546 {
    fn name(&self) -> &str {
        "p1546"
    }
    fn edition(&self) -> &str {
        "ITU-R P.1546-6 (08/2019)"
    }
    fn parameters(&self) -> Vec<(String, String)> {
        let mut p = vec![
            ("p1546.time_pct".into(), self.time_pct.to_string()),
            ("p1546.location_pct".into(), self.location_pct.to_string()),
            ("p1546.rx_area".into(), format!("{:?}", self.rx_area)),
            ("p1546.area_width_m".into(), self.area_width_m.to_string()),
        ];
        if let Some(r) = self.rx_clutter_m {
            p.push(("p1546.rx_clutter_m".into(), r.to_string()));
        }
        p
    }
    /// P.1546-6's limits: 30–4 000 MHz, time 1–50 %, locations 1–99 %,
    /// transmitting antenna up to 3 000 m, receiving antenna at least 1 m
    /// (3 m next to the sea).
    fn validate(&self, scenario: &Scenario) -> Result<(), OutOfBounds> {
        let f = scenario.tx.freq.mhz();
        let (lo, hi) = FREQ_RANGE_MHZ;
        bounds::in_range("freq (p1546)", f, lo, hi, Ends::Closed, "MHz")?;
        let h = scenario.tx.height_agl_m;
        bounds::in_range("height_agl_m (p1546)", h, 0.0, 3000.0, Ends::Closed, "m")?;
        let h2_min = if self.rx_area == RxArea::Sea {
            3.0
        } else {
            1.0
        };
        let h = scenario.rx_height_m;
        bounds::in_range("rx_height_m (p1546)", h, h2_min, 3000.0, Ends::Closed, "m")?;
        let (lo, hi) = TIME_RANGE_PCT;
        bounds::in_range("p1546.time_pct", self.time_pct, lo, hi, Ends::Closed, "%")?;
        let (lo, hi) = LOCATION_RANGE_PCT;
        bounds::in_range(
            "p1546.location_pct",
            self.location_pct,
            lo,
            hi,
            Ends::Closed,
            "%",
        )?;
        if let Some(r) = self.rx_clutter_m {
            bounds::in_range("p1546.rx_clutter_m", r, 0.0, 1000.0, Ends::Closed, "m")?;
        }
        let w = self.area_width_m;
        bounds::in_range("p1546.area_width_m", w, 1.0, 100_000.0, Ends::Closed, "m")?;
        Ok(())
    }
    fn loss_db(&self, path: &PathInput<'_>) -> Result<PathLoss, String> {
        let input = self.input(path)?;
        p1546(&input)
            .map(|r| PathLoss {
                loss_db: r.loss_db,
                warned: false,
            })
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_model_called_directly() {
        let elevations: Vec<f64> = (0..401).map(|i| 800.0 + (i % 37) as f64).collect();
        let path = PathInput {
            elevations_m: &elevations,
            step_m: 50.0,
            tx_height_m: 30.0,
            rx_height_m: 1.5,
            freq_mhz: 600.0,
        };
        let m = P1546::default();
        let got = m.loss_db(&path).unwrap_or_else(|e| panic!("{e}")).loss_db;
        let input = m.input(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!((input.dist_km() - 20.0).abs() < 1e-9);
        assert!(input.terrain_known && input.tca_deg.is_some());
        let want = p1546(&input).unwrap_or_else(|e| panic!("{e}")).loss_db;
        assert_eq!(got.to_bits(), want.to_bits());
        assert!(got > crate::p525::free_space_loss_db(600.0, 20.0));
    }

    #[test]
    fn cells_next_to_the_transmitter_are_short_paths() {
        let elevations = [800.0, 801.0];
        let path = PathInput {
            elevations_m: &elevations,
            step_m: 100.0,
            tx_height_m: 30.0,
            rx_height_m: 1.5,
            freq_mhz: 600.0,
        };
        let m = P1546::default();
        let loss = m.loss_db(&path).unwrap_or_else(|e| panic!("{e}")).loss_db;
        // §15: between free space over the slope distance and the 1 km field.
        let slope_km = (0.1f64.powi(2) + (0.0285f64).powi(2)).sqrt();
        assert!(
            loss > crate::p525::free_space_loss_db(600.0, slope_km),
            "{loss}"
        );
        let far = [800.0; 11];
        let one_km = PathInput {
            elevations_m: &far,
            ..path
        };
        let loss_1km = m.loss_db(&one_km).unwrap_or_else(|e| panic!("{e}")).loss_db;
        assert!(loss < loss_1km, "{loss} {loss_1km}");
    }
}
