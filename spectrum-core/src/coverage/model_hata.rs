//! Okumura-Hata / COST-231 Hata (ITU-R P.529-3; COST 231 final report §4.4)
//! and the Extended Hata model (NTIA TR 15-517) as coverage
//! [`PathLossModel`]s. Hata uses only the path length; eHata uses the radial's
//! terrain profile.

use super::Scenario;
use super::model::{PathInput, PathLoss, PathLossModel};
use crate::bounds::{self, Ends, OutOfBounds};
use crate::ehata::{self, EhataOptions, Environment};
use crate::hata::{self, CitySize, HataEnvironment, HataOptions};

/// Okumura-Hata (150–1500 MHz) / COST-231 Hata (1500–2000 MHz) median loss.
#[derive(Debug, Clone, Copy)]
pub struct Hata {
    /// Environment of the mobile.
    pub environment: HataEnvironment,
    /// City size (urban mobile-antenna correction).
    pub city: CitySize,
    /// Compute outside the validity ranges (1–20 km, 30–200 m, …).
    pub allow_extrapolation: bool,
}

impl Default for Hata {
    /// Suburban, small/medium city, extrapolation allowed (coverage maps
    /// include cells under 1 km).
    fn default() -> Self {
        Self {
            environment: HataEnvironment::Suburban,
            city: CitySize::SmallMedium,
            allow_extrapolation: true,
        }
    }
}

impl PathLossModel for Hata {
    fn name(&self) -> &str {
        "hata"
    }
    fn edition(&self) -> &str {
        "Okumura-Hata (ITU-R P.529-3) / COST-231 Hata"
    }
    fn parameters(&self) -> Vec<(String, String)> {
        vec![
            ("hata.environment".into(), format!("{:?}", self.environment)),
            ("hata.city".into(), format!("{:?}", self.city)),
            (
                "hata.allow_extrapolation".into(),
                self.allow_extrapolation.to_string(),
            ),
        ]
    }
    /// Without extrapolation, Hata's validity ranges that do not depend on
    /// the path: 150–2000 MHz, base 30–200 m, mobile 1–10 m.
    ///
    /// The frequency range holds with extrapolation too (as in `spectra
    /// propagate hata`): extrapolation stretches distances and heights only.
    fn validate(&self, scenario: &Scenario) -> Result<(), OutOfBounds> {
        let f = scenario.tx.freq.mhz();
        bounds::in_range("freq (hata)", f, 150.0, 2000.0, Ends::Closed, "MHz")?;
        if self.allow_extrapolation {
            return Ok(());
        }
        let h = scenario.tx.height_agl_m;
        bounds::in_range("height_agl_m (hata)", h, 30.0, 200.0, Ends::Closed, "m")?;
        let h = scenario.rx_height_m;
        bounds::in_range("rx_height_m (hata)", h, 1.0, 10.0, Ends::Closed, "m")?;
        Ok(())
    }
    fn loss_db(&self, path: &PathInput<'_>) -> Result<PathLoss, String> {
        let options = HataOptions {
            allow_extrapolation: self.allow_extrapolation,
        };
        hata::hata_loss_db(
            path.freq_mhz,
            path.tx_height_m,
            path.rx_height_m,
            path.dist_m() / 1000.0,
            self.environment,
            self.city,
            &options,
        )
        .map(|loss_db| PathLoss {
            loss_db,
            warned: false,
        })
        .map_err(|e| e.to_string())
    }
}

/// Extended Hata (NTIA TR 15-517) over the radial's terrain.
#[derive(Debug, Clone, Copy)]
pub struct Ehata {
    /// Environment of the mobile.
    pub environment: Environment,
    /// eHata options (WInnForum extensions by default).
    pub options: EhataOptions,
}

impl Default for Ehata {
    /// Suburban, WInnForum options, median.
    fn default() -> Self {
        Self {
            environment: Environment::Suburban,
            options: EhataOptions::default(),
        }
    }
}

impl PathLossModel for Ehata {
    fn name(&self) -> &str {
        "ehata"
    }
    fn edition(&self) -> &str {
        "Extended Hata, NTIA TR 15-517 (2015)"
    }
    fn parameters(&self) -> Vec<(String, String)> {
        vec![
            (
                "ehata.environment".into(),
                format!("{:?}", self.environment),
            ),
            ("ehata.options".into(), format!("{:?}", self.options)),
        ]
    }
    /// The frequency within [`ehata::FREQ_RANGE_MHZ`] (the rule of `spectra
    /// propagate ehata`), NTIA's location reliability, when given, in (0, 1).
    fn validate(&self, scenario: &Scenario) -> Result<(), OutOfBounds> {
        let (lo, hi) = ehata::FREQ_RANGE_MHZ;
        let f = scenario.tx.freq.mhz();
        bounds::in_range("freq (ehata)", f, lo, hi, Ends::Closed, "MHz")?;
        if let Some(r) = self.options.reliability {
            bounds::in_range("ehata.reliability", r, 0.0, 1.0, Ends::Open, "")?;
        }
        Ok(())
    }
    fn loss_db(&self, path: &PathInput<'_>) -> Result<PathLoss, String> {
        ehata::extended_hata(
            path.elevations_m,
            path.step_m,
            path.freq_mhz,
            path.tx_height_m,
            path.rx_height_m,
            self.environment,
            &self.options,
        )
        .map(|r| PathLoss {
            loss_db: r.loss_db,
            warned: false,
        })
        .map_err(|e| e.to_string())
    }
}
