//! ITU-R P.1812-6 (09/2021) point-to-area prediction as a coverage
//! [`PathLossModel`]: each radial prefix becomes a [`PathProfile`] (inland
//! zone A2, no clutter unless the study adds it) and the path-centre latitude
//! is the transmitter's (within a coverage radius of a few tens of km the
//! difference in β0 is negligible).

use super::Scenario;
use super::model::{PathInput, PathLoss, PathLossModel};
use crate::bounds::{self, Ends, OutOfBounds};
use crate::p452::PathCentre;
use crate::p526::Polarization;
use crate::p1812::{P1812Input, p1812};

/// P.1812-6 basic transmission loss not exceeded for `time_pct` % of time
/// and `location_pct` % of locations.
#[derive(Debug, Clone, Copy)]
pub struct P1812 {
    /// Time percentage, % (1–50).
    pub time_pct: f64,
    /// Location percentage, % (1–99).
    pub location_pct: f64,
    /// Latitude used for the path centre, degrees (the transmitter's).
    pub centre_lat_deg: f64,
    /// Polarization.
    pub polarization: Polarization,
    /// Average radio-refractive index lapse-rate ΔN, N-units/km.
    pub dn: f64,
    /// Sea-level surface refractivity N0, N-units.
    pub n0: f64,
}

impl Default for P1812 {
    /// 50 % time and locations, vertical polarization, ΔN = 45, N0 = 325
    /// (the reference implementation's defaults), Bishkek's latitude.
    fn default() -> Self {
        Self {
            time_pct: 50.0,
            location_pct: 50.0,
            centre_lat_deg: 42.87,
            polarization: Polarization::Vertical,
            dn: 45.0,
            n0: 325.0,
        }
    }
}

impl PathLossModel for P1812 {
    fn name(&self) -> &str {
        "p1812"
    }
    fn edition(&self) -> &str {
        "ITU-R P.1812-6 (09/2021)"
    }
    fn parameters(&self) -> Vec<(String, String)> {
        vec![
            ("p1812.time_pct".into(), self.time_pct.to_string()),
            ("p1812.location_pct".into(), self.location_pct.to_string()),
            (
                "p1812.centre_lat_deg".into(),
                self.centre_lat_deg.to_string(),
            ),
            ("p1812.dn".into(), self.dn.to_string()),
            ("p1812.n0".into(), self.n0.to_string()),
        ]
    }
    /// P.1812-6's own limits (`P1812Input::validate`): 0.03–6 GHz, time
    /// 1–50 %, locations 1–99 %, terminal heights 1–3000 m.
    fn validate(&self, scenario: &Scenario) -> Result<(), OutOfBounds> {
        let f = scenario.tx.freq.ghz();
        bounds::in_range("freq (p1812)", f, 0.03, 6.0, Ends::Closed, "GHz")?;
        let h = scenario.tx.height_agl_m;
        bounds::in_range("height_agl_m (p1812)", h, 1.0, 3000.0, Ends::Closed, "m")?;
        let h = scenario.rx_height_m;
        bounds::in_range("rx_height_m (p1812)", h, 1.0, 3000.0, Ends::Closed, "m")?;
        bounds::in_range(
            "p1812.time_pct",
            self.time_pct,
            1.0,
            50.0,
            Ends::Closed,
            "%",
        )?;
        let l = self.location_pct;
        bounds::in_range("p1812.location_pct", l, 1.0, 99.0, Ends::Closed, "%")?;
        Ok(())
    }
    fn loss_db(&self, path: &PathInput<'_>) -> Result<PathLoss, String> {
        let profile = path.profile()?;
        let mut input = P1812Input::new(
            path.freq_mhz / 1000.0,
            self.time_pct,
            path.tx_height_m,
            path.rx_height_m,
            PathCentre::Latitude {
                phi_deg: self.centre_lat_deg,
            },
            self.polarization,
        );
        input.location_pct = self.location_pct;
        input.dn = self.dn;
        input.n0 = self.n0;
        p1812(&input, &profile)
            .map(|r| PathLoss {
                loss_db: r.lb_db,
                warned: false,
            })
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::PathProfile;

    #[test]
    fn matches_the_model_called_directly() {
        let elevations = vec![800.0; 201];
        let path = PathInput {
            elevations_m: &elevations,
            step_m: 50.0,
            tx_height_m: 30.0,
            rx_height_m: 1.5,
            freq_mhz: 600.0,
        };
        let m = P1812::default();
        let got = m.loss_db(&path).unwrap().loss_db;
        let profile = PathProfile::new(
            (0..201).map(|i| i as f64 * 0.05).collect(),
            elevations.clone(),
        )
        .unwrap();
        let input = P1812Input::new(
            0.6,
            50.0,
            30.0,
            1.5,
            PathCentre::Latitude { phi_deg: 42.87 },
            Polarization::Vertical,
        );
        let want = p1812(&input, &profile).unwrap().lb_db;
        assert_eq!(got.to_bits(), want.to_bits());
        // 10 km over flat ground at 600 MHz: more than free space.
        assert!(got > crate::p525::free_space_loss_db(600.0, 10.0));
    }

    #[test]
    fn short_paths_are_resampled_not_refused() {
        let elevations = [800.0, 810.0];
        let path = PathInput {
            elevations_m: &elevations,
            step_m: 100.0,
            tx_height_m: 30.0,
            rx_height_m: 1.5,
            freq_mhz: 600.0,
        };
        let p = path.profile().unwrap();
        assert_eq!(p.len(), 4);
        assert_eq!(p.length_km(), 0.1);
        assert_eq!(p.heights_m[3], 810.0);
        assert!(P1812::default().loss_db(&path).unwrap().loss_db.is_finite());
    }
}
