//! ITU-R P.452-18 (10/2023) as a [`PathLossModel`]: the interference
//! prediction between stations on the surface of the Earth, basic
//! transmission loss not exceeded for `time_pct` % of time over the path's
//! terrain profile (inland zone A2, no clutter). Antenna gains are applied by
//! the caller, so the horizon gains of the recommendation are 0 dBi.

use super::Scenario;
use super::model::{PathInput, PathLoss, PathLossModel};
use crate::bounds::{self, Ends, OutOfBounds};
use crate::p452::{P452Input, PathCentre, p452};
use crate::p526::Polarization;

/// P.452-18 basic transmission loss not exceeded for `time_pct` % of time.
#[derive(Debug, Clone, Copy)]
pub struct P452 {
    /// Time percentage, % (0.001–50).
    pub time_pct: f64,
    /// Latitude used for the path centre, degrees.
    pub centre_lat_deg: f64,
    /// Polarization.
    pub polarization: Polarization,
    /// Average radio-refractive index lapse-rate ΔN, N-units/km.
    pub dn: f64,
    /// Sea-level surface refractivity N0, N-units.
    pub n0: f64,
    /// Dry-air pressure, hPa.
    pub pressure_hpa: f64,
    /// Air temperature, °C.
    pub temperature_c: f64,
    /// Distance over land of both terminals to the coast, km (inland: large).
    pub coast_km: f64,
}

impl Default for P452 {
    /// 1 % of time (the usual interference percentage), vertical
    /// polarization, ΔN = 45, N0 = 325, 1013.25 hPa, 15 °C, inland terminals
    /// (500 km from the coast), Bishkek's latitude.
    fn default() -> Self {
        Self {
            time_pct: 1.0,
            centre_lat_deg: 42.87,
            polarization: Polarization::Vertical,
            dn: 45.0,
            n0: 325.0,
            pressure_hpa: 1013.25,
            temperature_c: 15.0,
            coast_km: 500.0,
        }
    }
}

impl P452 {
    fn input(&self, path: &PathInput<'_>) -> P452Input {
        P452Input {
            freq_ghz: path.freq_mhz / 1000.0,
            time_pct: self.time_pct,
            htg_m: path.tx_height_m,
            hrg_m: path.rx_height_m,
            path_centre: PathCentre::Latitude {
                phi_deg: self.centre_lat_deg,
            },
            gt_dbi: 0.0,
            gr_dbi: 0.0,
            polarization: self.polarization,
            dct_km: self.coast_km,
            dcr_km: self.coast_km,
            pressure_hpa: self.pressure_hpa,
            temperature_c: self.temperature_c,
            dn: self.dn,
            n0: self.n0,
        }
    }
}

impl PathLossModel for P452 {
    fn name(&self) -> &str {
        "p452"
    }
    fn edition(&self) -> &str {
        "ITU-R P.452-18 (10/2023)"
    }
    fn parameters(&self) -> Vec<(String, String)> {
        vec![
            ("p452.time_pct".into(), self.time_pct.to_string()),
            (
                "p452.centre_lat_deg".into(),
                self.centre_lat_deg.to_string(),
            ),
            ("p452.dn".into(), self.dn.to_string()),
            ("p452.n0".into(), self.n0.to_string()),
        ]
    }
    /// P.452-18's limits: 0.1–50 GHz, time 0.001–50 %.
    fn validate(&self, scenario: &Scenario) -> Result<(), OutOfBounds> {
        let f = scenario.tx.freq.ghz();
        bounds::in_range("freq (p452)", f, 0.1, 50.0, Ends::Closed, "GHz")?;
        bounds::in_range(
            "p452.time_pct",
            self.time_pct,
            0.001,
            50.0,
            Ends::Closed,
            "%",
        )?;
        Ok(())
    }
    fn loss_db(&self, path: &PathInput<'_>) -> Result<PathLoss, String> {
        let profile = path.profile()?;
        p452(&self.input(path), &profile)
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

    #[test]
    fn short_flat_paths_approach_free_space_and_longer_paths_lose_more() {
        let model = P452::default();
        let flat = vec![500.0; 101];
        let path = |step_m: f64| PathInput {
            elevations_m: &flat,
            step_m,
            tx_height_m: 30.0,
            rx_height_m: 30.0,
            freq_mhz: 2000.0,
        };
        let near = model
            .loss_db(&path(10.0))
            .map(|l| l.loss_db)
            .unwrap_or(f64::NAN);
        let fs = crate::p525::free_space_loss_db(2000.0, 1.0);
        assert!((near - fs).abs() < 3.0, "{near} vs free space {fs}");
        let far = model
            .loss_db(&path(500.0))
            .map(|l| l.loss_db)
            .unwrap_or(f64::NAN);
        assert!(far > near + 30.0, "{far} vs {near}");
    }
}
