//! The configuration of a coverage study and its one entry point,
//! [`Study::run`]: check every input, open the terrain, run the
//! `spectrum_core` coverage engine with the chosen model on the requested
//! number of threads, and return the map with its provenance. Nothing is
//! written here (see [`crate::outputs`]).

use spectrum_core::coverage::{
    CoverageMap, Ehata, FreeSpace, Hata, Itm, P452, P1546, P1812, PathLossModel, Scenario, engine,
};

use crate::StudyError;
pub use crate::terrain::TerrainSource;

/// The path-loss model of a study, with its parameters.
#[derive(Debug, Clone, Copy)]
pub enum ModelChoice {
    /// NTIA ITM v1.3 (Longley-Rice), point-to-point.
    Itm(Itm),
    /// Free space, ITU-R P.525-4.
    FreeSpace,
    /// Okumura-Hata / COST-231 Hata.
    Hata(Hata),
    /// Extended Hata, NTIA TR 15-517.
    Ehata(Ehata),
    /// ITU-R P.1812-6 point-to-area.
    P1812(P1812),
    /// ITU-R P.1546-6 point-to-area.
    P1546(P1546),
    /// ITU-R P.452-18, the interference prediction between stations.
    P452(P452),
}

impl ModelChoice {
    /// The model as the coverage engine takes it.
    pub fn as_model(&self) -> &dyn PathLossModel {
        match self {
            Self::Itm(m) => m,
            Self::FreeSpace => &FreeSpace,
            Self::Hata(m) => m,
            Self::Ehata(m) => m,
            Self::P1812(m) => m,
            Self::P1546(m) => m,
            Self::P452(m) => m,
        }
    }
}

/// A coverage study: what to compute (scenario and model), over which
/// terrain, on how many threads.
#[derive(Debug, Clone)]
pub struct Study {
    /// Transmitter, receiver, area and terrain sampling.
    pub scenario: Scenario,
    /// The path-loss model.
    pub model: ModelChoice,
    /// The terrain.
    pub terrain: TerrainSource,
    /// Worker threads (`None` = all cores); the map is bit-identical
    /// whatever the count.
    pub threads: Option<usize>,
}

/// The size of a study, known before any work: cells of the grid (one model
/// evaluation each) and terrain samples along the radials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StudySize {
    /// Cells of the grid (one path-loss evaluation each).
    pub cells: usize,
    /// Grid width, cells.
    pub width: usize,
    /// Grid height, cells.
    pub height: usize,
    /// Radials (one terrain path each).
    pub radials: usize,
    /// Terrain samples over all radials.
    pub terrain_samples: usize,
}

/// The result of a study: the map, the terrain description and the
/// provenance written with every output.
#[derive(Debug, Clone)]
pub struct StudyResult {
    /// The map (one value per cell and quantity).
    pub map: CoverageMap,
    /// The terrain used, as written in the provenance.
    pub dem: String,
    /// Model, edition, parameters and inputs as ordered key/value pairs.
    pub provenance: Vec<(String, String)>,
}

impl Study {
    /// The demo study of `spectra demo`: a 600 MHz UHF broadcast transmitter
    /// (60 m, 70 dBm EIRP, omni) on the foothills south of Bishkek, receivers
    /// at 10 m, ITM over the synthetic Tian Shan relief, 25 km at 100 m.
    ///
    /// ```
    /// let study = spectra_study::Study::demo();
    /// assert!(study.validate().is_ok());
    /// ```
    pub fn demo() -> Study {
        Study {
            scenario: Study::demo_scenario(25.0, 100.0),
            model: ModelChoice::Itm(Itm::default()),
            terrain: TerrainSource::SyntheticRelief {
                missing: spectrum_core::terrain::MissingPolicy::SeaLevel,
            },
            threads: None,
        }
    }

    /// The demo's transmitter and receivers over a disc of `radius_km` at
    /// `resolution_m` (tests and benchmarks vary the size).
    pub fn demo_scenario(radius_km: f64, resolution_m: f64) -> Scenario {
        use spectrum_core::coverage::{AntennaPattern, Area, Transmitter};
        Scenario {
            tx: Transmitter {
                site: spectrum_core::geodesy::GeoPoint::new(42.80, 74.60),
                height_agl_m: 60.0,
                freq: spectrum_core::units::Frequency::from_hz(600_000_000),
                eirp_dbm: 70.0,
                pattern: AntennaPattern::omni(),
                azimuth_deg: 0.0,
                downtilt_deg: 0.0,
            },
            rx_height_m: 10.0,
            rx_gain_dbi: 0.0,
            area: Area::Radius {
                radius_km,
                resolution_m,
            },
            terrain_step_m: None,
        }
    }

    /// Checks the scenario's bounds, the model's domain and the sizes of the
    /// grid and of the radial terrain sampling, naming the field at fault,
    /// without reading terrain; [`Study::run`] does it first.
    pub fn validate(&self) -> Result<(), StudyError> {
        self.size().map(|_| ())
    }

    /// Validates (as [`Study::validate`]) and returns the study's size: what
    /// a caller states before starting a long study.
    ///
    /// ```
    /// let size = spectra_study::Study::demo().size().unwrap();
    /// assert!(size.cells > 0 && size.terrain_samples >= size.radials);
    /// ```
    pub fn size(&self) -> Result<StudySize, StudyError> {
        self.scenario.validate()?;
        self.model.as_model().validate(&self.scenario)?;
        if let Some(n) = self.threads {
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            spectrum_core::bounds::threads("threads", n, cores)?;
        }
        let (grid, plan) = engine::plan(&self.scenario)?;
        Ok(StudySize {
            cells: grid.cells(),
            width: grid.width,
            height: grid.height,
            radials: plan.n_radials,
            terrain_samples: plan.n_radials * plan.n_points,
        })
    }

    /// Runs the study: validate, open the terrain, run the coverage engine.
    /// `progress(done, total)` is called as parts of the map finish (rows,
    /// or radials when the model evaluates a radial's cells together), from
    /// worker threads in any order.
    pub fn run(&self, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<StudyResult, StudyError> {
        self.validate()?;
        let (tiles, dem) = self.terrain.open()?;
        let model = self.model.as_model();
        let map = engine::with_threads(self.threads, || {
            engine::run(&self.scenario, &tiles, model, progress)
        })??;
        let provenance = map.provenance(&self.scenario, &dem);
        Ok(StudyResult {
            map,
            dem,
            provenance,
        })
    }
}
