//! Coverage of a transmitter over terrain: per-cell basic transmission loss,
//! field strength (dBµV/m, ITU-R P.525-4 §2 / P.1812-6 eq. (69) relation) and
//! received power (dBm) on a latitude/longitude grid, with the path-loss model
//! chosen per study ([`model::PathLossModel`]: free space ITU-R P.525-4, NTIA
//! ITM v1.3, Okumura-Hata / COST-231, Extended Hata, ITU-R P.1812-6,
//! ITU-R P.1546-6, and for interference ITU-R P.452-18).
//!
//! - [`grid`]: the output grid (radius or bounding box, cell size in m).
//! - [`pattern`]: antenna patterns (omni, MSI / Planet `.msi`).
//! - [`engine`]: radial terrain profiles reused for every cell along them,
//!   parallel and deterministic; returns a [`CoverageMap`] and writes
//!   nothing (the GeoTIFF, PNG and Parquet writers live in `spectra-study`).
//!   A model may evaluate the cells of a radial together
//!   ([`PathLossModel::radial`]; ITM does by default, [`Itm::exact`] turns
//!   it off).
//! - [`compare`]: the deviation of one map from another, cell by cell.
//!
//! Every input is checked up front ([`Scenario::validate`],
//! [`PathLossModel::validate`], the caps of [`crate::bounds`]).

pub mod compare;
pub mod engine;
pub mod grid;
pub mod model;
pub mod model_hata;
pub mod model_itm;
pub mod model_p1546;
pub mod model_p1812;
pub mod model_p452;
pub mod pattern;

use thiserror::Error;

use crate::bounds::{self, Ends, OutOfBounds};
use crate::geodesy::GeoPoint;
use crate::path::PathError;
use crate::terrain::TerrainError;
use crate::units::Frequency;
pub use grid::{Area, Grid};
pub use model::{FreeSpace, PathInput, PathLoss, PathLossModel};
pub use model_hata::{Ehata, Hata};
pub use model_itm::Itm;
pub use model_p452::P452;
pub use model_p1546::P1546;
pub use model_p1812::P1812;
pub use pattern::AntennaPattern;

/// Errors of a coverage study.
#[derive(Debug, Error)]
pub enum CoverageError {
    /// Invalid study parameters.
    #[error("invalid coverage study: {0}")]
    Invalid(String),
    /// An input outside its bounds, or a grid / terrain sampling too large.
    #[error("invalid coverage study: {0}")]
    OutOfBounds(#[from] OutOfBounds),
    /// Terrain could not be read (or is missing under the error policy).
    #[error(transparent)]
    Terrain(#[from] TerrainError),
    /// Profile extraction failed.
    #[error(transparent)]
    Path(#[from] PathError),
}

/// The transmitter of a study.
#[derive(Debug, Clone, PartialEq)]
pub struct Transmitter {
    /// Position.
    pub site: GeoPoint,
    /// Antenna height above ground, m.
    pub height_agl_m: f64,
    /// Frequency (exact hertz; the models take [`Frequency::mhz`]).
    pub freq: Frequency,
    /// EIRP in the direction of the main lobe, dBm (power + gain − losses;
    /// see [`Transmitter::eirp_dbm_from`]).
    pub eirp_dbm: f64,
    /// Antenna pattern (attenuation relative to the main lobe).
    pub pattern: AntennaPattern,
    /// Bearing of the main lobe, degrees clockwise from north.
    pub azimuth_deg: f64,
    /// Mechanical downtilt of the main lobe, degrees (positive = down).
    pub downtilt_deg: f64,
}

impl Transmitter {
    /// EIRP (dBm) from a transmitter power (dBm), an antenna gain (dBi) and
    /// feeder losses (dB).
    pub fn eirp_dbm_from(power_dbm: f64, gain_dbi: f64, feeder_loss_db: f64) -> f64 {
        power_dbm + gain_dbi - feeder_loss_db
    }
}

/// A coverage scenario: transmitter, receiver, area and terrain sampling —
/// everything the engine needs besides the terrain and the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The transmitter.
    pub tx: Transmitter,
    /// Receiver antenna height above ground, m.
    pub rx_height_m: f64,
    /// Receiver antenna gain, dBi (added to the received power only).
    pub rx_gain_dbi: f64,
    /// The area and cell size.
    pub area: Area,
    /// Terrain sample spacing along the radials, m (`None` = the cell size,
    /// at least 30 m).
    pub terrain_step_m: Option<f64>,
}

impl Scenario {
    /// Cell size, m.
    pub fn resolution_m(&self) -> f64 {
        match self.area {
            Area::Radius { resolution_m, .. } | Area::BoundingBox { resolution_m, .. } => {
                resolution_m
            }
        }
    }

    /// Terrain sample spacing along the radials, m.
    pub fn terrain_step_m(&self) -> f64 {
        self.terrain_step_m
            .unwrap_or_else(|| self.resolution_m().max(30.0))
    }

    /// Checks every parameter against its bounds ([`crate::bounds`]); the
    /// error names the field, the expected range and the value found.
    ///
    /// | field | accepted |
    /// |---|---|
    /// | `site` | latitude within ±90°, longitude within ±180° |
    /// | `height_agl_m`, `rx_height_m` | (0, 10 000] m |
    /// | `freq` | (0 Hz, 3000 GHz] (each model checks its own domain) |
    /// | `eirp_dbm` | [−100, 150] dBm |
    /// | `rx_gain_dbi`, `azimuth_deg` | finite |
    /// | `downtilt_deg` | [−90, 90]° |
    /// | `radius_km` | (0, 2000] km |
    /// | `bbox` | edges within ±90° / ±180°, south < north, west < east, every corner within 2000 km of the site |
    /// | `resolution_m`, `terrain_step_m` | [1, 100 000] m |
    ///
    /// ```
    /// use spectrum_core::coverage::{AntennaPattern, Area, Scenario, Transmitter};
    /// use spectrum_core::geodesy::GeoPoint;
    /// use spectrum_core::units::Frequency;
    /// let mut s = Scenario {
    ///     tx: Transmitter {
    ///         site: GeoPoint::new(42.8, 74.6),
    ///         height_agl_m: 60.0,
    ///         freq: Frequency::from_hz(600_000_000),
    ///         eirp_dbm: 70.0,
    ///         pattern: AntennaPattern::omni(),
    ///         azimuth_deg: 0.0,
    ///         downtilt_deg: 0.0,
    ///     },
    ///     rx_height_m: 1.5,
    ///     rx_gain_dbi: 0.0,
    ///     area: Area::Radius { radius_km: 25.0, resolution_m: 100.0 },
    ///     terrain_step_m: None,
    /// };
    /// assert!(s.validate().is_ok());
    /// s.tx.height_agl_m = f64::NAN;
    /// assert!(s.validate().unwrap_err().to_string().contains("height_agl_m"));
    /// ```
    pub fn validate(&self) -> Result<(), OutOfBounds> {
        let tx = &self.tx;
        if !tx.site.is_valid() {
            return Err(OutOfBounds::new(
                "site",
                "latitude within ±90° and longitude within ±180°",
                format!("{}, {}", tx.site.lat_deg, tx.site.lon_deg),
            ));
        }
        let h_max = bounds::MAX_ANTENNA_HEIGHT_M;
        bounds::in_range(
            "height_agl_m",
            tx.height_agl_m,
            0.0,
            h_max,
            Ends::OpenClosed,
            "m",
        )?;
        bounds::in_range(
            "rx_height_m",
            self.rx_height_m,
            0.0,
            h_max,
            Ends::OpenClosed,
            "m",
        )?;
        if tx.freq.hz() == 0 || tx.freq > Frequency::MAX {
            return Err(OutOfBounds::new(
                "freq",
                "a frequency in (0 Hz, 3000 GHz]",
                tx.freq,
            ));
        }
        bounds::in_range(
            "eirp_dbm",
            tx.eirp_dbm,
            bounds::MIN_EIRP_DBM,
            bounds::MAX_EIRP_DBM,
            Ends::Closed,
            "dBm",
        )?;
        bounds::finite("rx_gain_dbi", self.rx_gain_dbi, "dBi")?;
        bounds::finite("azimuth_deg", tx.azimuth_deg, "degrees")?;
        bounds::in_range(
            "downtilt_deg",
            tx.downtilt_deg,
            -90.0,
            90.0,
            Ends::Closed,
            "°",
        )?;
        let (lo, hi) = (bounds::MIN_STEP_M, bounds::MAX_STEP_M);
        bounds::in_range(
            "resolution_m",
            self.resolution_m(),
            lo,
            hi,
            Ends::Closed,
            "m",
        )?;
        match self.area {
            Area::Radius { radius_km, .. } => {
                let max = bounds::MAX_RADIUS_KM;
                bounds::in_range("radius_km", radius_km, 0.0, max, Ends::OpenClosed, "km")?;
            }
            Area::BoundingBox {
                south_deg,
                west_deg,
                north_deg,
                east_deg,
                ..
            } => {
                let inside = [south_deg, north_deg].iter().all(|v| v.abs() <= 90.0)
                    && [west_deg, east_deg].iter().all(|v| v.abs() <= 180.0);
                if !(inside && south_deg < north_deg && west_deg < east_deg) {
                    return Err(OutOfBounds::new(
                        "bbox",
                        "south < north within ±90° and west < east within ±180°",
                        format!("{south_deg}, {west_deg}, {north_deg}, {east_deg}"),
                    ));
                }
                let max_m = bounds::MAX_RADIUS_KM * 1000.0;
                let far = [
                    (south_deg, west_deg),
                    (south_deg, east_deg),
                    (north_deg, west_deg),
                    (north_deg, east_deg),
                ]
                .into_iter()
                .map(|(lat, lon)| crate::geodesy::inverse(tx.site, GeoPoint::new(lat, lon)).dist_m)
                .fold(0.0_f64, f64::max);
                if far > max_m {
                    return Err(OutOfBounds::new(
                        "bbox",
                        format!(
                            "every corner within {} km of the site (the study radius limit)",
                            bounds::MAX_RADIUS_KM
                        ),
                        format!("a corner {:.0} km away", far / 1000.0),
                    ));
                }
            }
        }
        if let Some(step) = self.terrain_step_m {
            bounds::in_range("terrain_step_m", step, lo, hi, Ends::Closed, "m")?;
        }
        Ok(())
    }
}

/// Which quantity a raster output shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Quantity {
    /// Field strength, dBµV/m.
    FieldStrength,
    /// Basic transmission loss, dB.
    Loss,
    /// Received power, dBm.
    RxPower,
}

impl Quantity {
    /// Label with unit.
    pub fn label(self) -> &'static str {
        match self {
            Self::FieldStrength => "Field strength (dBµV/m)",
            Self::Loss => "Basic transmission loss (dB)",
            Self::RxPower => "Received power (dBm)",
        }
    }
}

/// The result of a study: one value per grid cell (row-major from the
/// north-west cell, NaN = not computed: outside the radius or refused by the
/// model).
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageMap {
    /// The grid.
    pub grid: Grid,
    /// Basic transmission loss, dB.
    pub loss_db: Vec<f32>,
    /// Field strength, dBµV/m.
    pub field_strength_dbuv_per_m: Vec<f32>,
    /// Received power, dBm (isotropic receiver + receiver gain).
    pub rx_power_dbm: Vec<f32>,
    /// Radials used.
    pub n_radials: usize,
    /// Terrain sample spacing along the radials, m.
    pub terrain_step_m: f64,
    /// Terrain samples with no DEM coverage (sea level used).
    pub missing_terrain_samples: usize,
    /// Cells where the model raised warnings.
    pub warned_cells: usize,
    /// Cells the model refused (left empty).
    pub failed_cells: usize,
    /// The first refusal, for the report.
    pub first_model_error: Option<String>,
    /// Model name.
    pub model_name: String,
    /// Model standard and edition.
    pub model_edition: String,
    /// Model parameters.
    pub model_parameters: Vec<(String, String)>,
}

impl CoverageMap {
    /// The values of one quantity.
    pub fn values(&self, q: Quantity) -> &[f32] {
        match q {
            Quantity::FieldStrength => &self.field_strength_dbuv_per_m,
            Quantity::Loss => &self.loss_db,
            Quantity::RxPower => &self.rx_power_dbm,
        }
    }

    /// Number of cells with a value.
    pub fn valid_cells(&self) -> usize {
        self.loss_db.iter().filter(|v| v.is_finite()).count()
    }

    /// Provenance of the map: model, edition, parameters and the study's
    /// inputs, as ordered key/value pairs (written to the GeoTIFF's
    /// GDAL_METADATA and the Parquet key-value metadata).
    pub fn provenance(&self, study: &Scenario, dem: &str) -> Vec<(String, String)> {
        let tx = &study.tx;
        let mut p = vec![
            (
                "software".to_owned(),
                format!("spectra {}", env!("CARGO_PKG_VERSION")),
            ),
            ("model".to_owned(), self.model_name.clone()),
            ("model_edition".to_owned(), self.model_edition.clone()),
            ("tx_lat_deg".to_owned(), tx.site.lat_deg.to_string()),
            ("tx_lon_deg".to_owned(), tx.site.lon_deg.to_string()),
            ("tx_height_agl_m".to_owned(), tx.height_agl_m.to_string()),
            ("freq_mhz".to_owned(), tx.freq.mhz().to_string()),
            ("eirp_dbm".to_owned(), tx.eirp_dbm.to_string()),
            ("antenna_pattern".to_owned(), tx.pattern.name.clone()),
            ("antenna_azimuth_deg".to_owned(), tx.azimuth_deg.to_string()),
            (
                "antenna_downtilt_deg".to_owned(),
                tx.downtilt_deg.to_string(),
            ),
            ("rx_height_agl_m".to_owned(), study.rx_height_m.to_string()),
            ("rx_gain_dbi".to_owned(), study.rx_gain_dbi.to_string()),
            ("area".to_owned(), study.area.to_string()),
            ("resolution_m".to_owned(), study.resolution_m().to_string()),
            ("terrain_step_m".to_owned(), self.terrain_step_m.to_string()),
            ("radials".to_owned(), self.n_radials.to_string()),
            ("dem".to_owned(), dem.to_owned()),
            (
                "missing_terrain_samples".to_owned(),
                self.missing_terrain_samples.to_string(),
            ),
            (
                "model_warned_cells".to_owned(),
                self.warned_cells.to_string(),
            ),
            (
                "model_failed_cells".to_owned(),
                self.failed_cells.to_string(),
            ),
            ("crs".to_owned(), "EPSG:4326".to_owned()),
        ];
        p.extend(self.model_parameters.iter().cloned());
        p
    }
}
