//! The NTIA Irregular Terrain Model (ITM / Longley-Rice 1.4, point-to-point
//! mode) as a coverage [`PathLossModel`].

use super::Scenario;
use super::model::{PathInput, PathLoss, PathLossModel, RadialLoss};
use crate::bounds::{self, Ends, OutOfBounds};
use crate::itm::{self, Climate, ItmParams, Polarization, RadialItm};

/// NTIA Irregular Terrain Model (Longley-Rice) 1.4, point-to-point mode with
/// time / location / situation variability, over the radial's terrain.
#[derive(Debug, Clone, Copy)]
pub struct Itm {
    /// Radio climate.
    pub climate: Climate,
    /// Surface refractivity N0, N-units.
    pub n0_nunits: f64,
    /// Polarization.
    pub polarization: Polarization,
    /// Relative permittivity of the ground.
    pub epsilon: f64,
    /// Ground conductivity, S/m.
    pub sigma_s_per_m: f64,
    /// Mode of variability (NTIA `mdvar`).
    pub mdvar: i32,
    /// Time percentage.
    pub time_pct: f64,
    /// Location percentage.
    pub location_pct: f64,
    /// Situation percentage.
    pub situation_pct: f64,
    /// Map mode. `false` (the default): the cells along each radial are
    /// evaluated together ([`itm::RadialItm`]: sums and horizons found
    /// incrementally, Δh without NTIA's running sums), equal to the exact
    /// mode up to rounding (measured on
    /// the benchmark map: README). `true`: every cell is an independent
    /// [`itm::p2p_tls`] call, bit-identical to `spectra propagate itm` over
    /// the cell's path.
    pub exact: bool,
}

impl Default for Itm {
    /// Continental temperate climate, N0 = 301, vertical polarization, average
    /// ground (ε = 15, σ = 0.005 S/m), broadcast variability, 50 % / 50 % / 50 %.
    fn default() -> Self {
        Self {
            climate: Climate::ContinentalTemperate,
            n0_nunits: 301.0,
            polarization: Polarization::Vertical,
            epsilon: 15.0,
            sigma_s_per_m: 0.005,
            mdvar: 3,
            time_pct: 50.0,
            location_pct: 50.0,
            situation_pct: 50.0,
            exact: false,
        }
    }
}

impl PathLossModel for Itm {
    fn name(&self) -> &str {
        "itm"
    }
    fn edition(&self) -> &str {
        "NTIA ITM v1.3 (Longley-Rice), point-to-point"
    }
    fn parameters(&self) -> Vec<(String, String)> {
        vec![
            ("itm.climate".into(), format!("{:?}", self.climate)),
            ("itm.n0_nunits".into(), self.n0_nunits.to_string()),
            (
                "itm.polarization".into(),
                format!("{:?}", self.polarization),
            ),
            ("itm.epsilon".into(), self.epsilon.to_string()),
            ("itm.sigma_s_per_m".into(), self.sigma_s_per_m.to_string()),
            ("itm.mdvar".into(), self.mdvar.to_string()),
            ("itm.time_pct".into(), self.time_pct.to_string()),
            ("itm.location_pct".into(), self.location_pct.to_string()),
            ("itm.situation_pct".into(), self.situation_pct.to_string()),
            (
                "itm.map_mode".into(),
                if self.exact { "exact" } else { "radial" }.into(),
            ),
        ]
    }
    /// ITM's own limits (NTIA `ValidateInputs`): 20–20 000 MHz, terminal
    /// heights 0.5–3000 m, percentages in (0, 100).
    fn validate(&self, scenario: &Scenario) -> Result<(), OutOfBounds> {
        let f = scenario.tx.freq.mhz();
        bounds::in_range("freq (itm)", f, 20.0, 20_000.0, Ends::Closed, "MHz")?;
        let h = scenario.tx.height_agl_m;
        bounds::in_range("height_agl_m (itm)", h, 0.5, 3000.0, Ends::Closed, "m")?;
        let h = scenario.rx_height_m;
        bounds::in_range("rx_height_m (itm)", h, 0.5, 3000.0, Ends::Closed, "m")?;
        bounds::percent("itm.time_pct", self.time_pct)?;
        bounds::percent("itm.location_pct", self.location_pct)?;
        bounds::percent("itm.situation_pct", self.situation_pct)?;
        Ok(())
    }
    fn loss_db(&self, path: &PathInput<'_>) -> Result<PathLoss, String> {
        let r = itm::p2p_tls(
            path.elevations_m,
            path.step_m,
            &self.params(path),
            self.time_pct,
            self.location_pct,
            self.situation_pct,
        )
        .map_err(|e| e.to_string())?;
        Ok(PathLoss {
            loss_db: r.loss_db,
            warned: r.warnings != 0,
        })
    }
    fn radial<'a>(&'a self, radial: &PathInput<'a>) -> Option<Box<dyn RadialLoss + 'a>> {
        if self.exact {
            return None;
        }
        let params = self.params(radial);
        let r = RadialItm::new(
            radial.elevations_m,
            radial.step_m,
            &params,
            self.time_pct,
            self.location_pct,
            self.situation_pct,
        )
        .map_err(|e| e.to_string());
        Some(Box::new(ItmRadial(r)))
    }
}

/// [`RadialItm`] as the engine's [`RadialLoss`]; a radial the model refused
/// as a whole fails each of its cells with the same message.
struct ItmRadial<'a>(Result<RadialItm<'a>, String>);

impl RadialLoss for ItmRadial<'_> {
    fn loss_db(&mut self, m: usize, step_m: f64) -> Result<PathLoss, String> {
        let radial = self.0.as_mut().map_err(|e| e.clone())?;
        let r = radial.p2p_tls(m, step_m).map_err(|e| e.to_string())?;
        Ok(PathLoss {
            loss_db: r.loss_db,
            warned: r.warnings != 0,
        })
    }
}

impl Itm {
    fn params(&self, path: &PathInput<'_>) -> ItmParams {
        ItmParams {
            h_tx_m: path.tx_height_m,
            h_rx_m: path.rx_height_m,
            climate: self.climate,
            n0_nunits: self.n0_nunits,
            freq_mhz: path.freq_mhz,
            polarization: self.polarization,
            epsilon: self.epsilon,
            sigma_s_per_m: self.sigma_s_per_m,
            mdvar: self.mdvar,
        }
    }
}
