//! # spectra-study
//!
//! A coverage study as one library call, shared by the CLI, a future service
//! and the Python package: [`Study`] is the validated configuration
//! (scenario, model, terrain, threads) and [`Study::run`] opens the terrain,
//! picks the model, runs the `spectrum_core` coverage engine and returns the
//! map; [`outputs::write_all`] writes it.
//!
//! | module | what it holds |
//! |---|---|
//! | [`config`] | [`Study`], [`ModelChoice`], [`TerrainSource`], [`Study::run`] |
//! | [`terrain`] | opening a DEM directory or the seeded synthetic relief |
//! | [`geotiff`] | float32 GeoTIFF (OGC GeoTIFF 1.0) with GeoKeys, nodata and provenance |
//! | [`map_png`] | PNG map with colour scale and legend (drawn by `plotkit::map`) |
//! | [`cells`] | the cells as an Arrow record batch, Parquet through `tabular` |
//! | [`outputs`] | the three outputs of a study under one prefix |
//!
//! ```no_run
//! use spectra_study::{ModelChoice, Study, TerrainSource, outputs};
//! use spectrum_core::coverage::{AntennaPattern, Area, Itm, Quantity, Scenario, Transmitter};
//! use spectrum_core::geodesy::GeoPoint;
//! use spectrum_core::terrain::MissingPolicy;
//! use spectrum_core::units::Frequency;
//! let study = Study {
//!     scenario: Scenario {
//!         tx: Transmitter {
//!             site: GeoPoint::new(42.80, 74.60),
//!             height_agl_m: 60.0,
//!             freq: "600MHz".parse::<Frequency>().unwrap(),
//!             eirp_dbm: 70.0,
//!             pattern: AntennaPattern::omni(),
//!             azimuth_deg: 0.0,
//!             downtilt_deg: 0.0,
//!         },
//!         rx_height_m: 10.0,
//!         rx_gain_dbi: 0.0,
//!         area: Area::Radius { radius_km: 25.0, resolution_m: 100.0 },
//!         terrain_step_m: None,
//!     },
//!     model: ModelChoice::Itm(Itm::default()),
//!     terrain: TerrainSource::SyntheticRelief { missing: MissingPolicy::SeaLevel },
//!     threads: None,
//! };
//! let result = study.run(&|_, _| {}).unwrap();
//! outputs::write_all(&result, &study, Quantity::FieldStrength, "out/bishkek".as_ref()).unwrap();
//! ```

pub mod cells;
pub mod config;
pub mod geotiff;
pub mod map_png;
pub mod outputs;
pub mod terrain;

use std::path::PathBuf;

use thiserror::Error;

pub use config::{ModelChoice, Study, StudyResult, StudySize, TerrainSource};

/// Errors of a study and its outputs.
#[derive(Debug, Error)]
pub enum StudyError {
    /// An input outside its bounds (the field is named).
    #[error("invalid coverage study: {0}")]
    OutOfBounds(#[from] spectrum_core::bounds::OutOfBounds),
    /// The coverage engine failed.
    #[error(transparent)]
    Coverage(#[from] spectrum_core::coverage::CoverageError),
    /// The DEM directory could not be opened.
    #[error("opening the DEM directory {dir}")]
    Dem {
        /// The directory.
        dir: PathBuf,
        /// Why.
        #[source]
        source: spectrum_core::terrain::TerrainError,
    },
    /// The synthetic relief could not be built.
    #[error("building the synthetic relief")]
    Relief(#[source] spectrum_core::terrain::TerrainError),
    /// Writing an output failed.
    #[error("{path}: {message}")]
    Output {
        /// The output file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}
