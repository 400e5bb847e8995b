//! The terrain of a study: a directory of SRTM `.hgt` tiles and/or GeoTIFF
//! elevation rasters (read by `spectrum_core::terrain`), or the seeded
//! synthetic Tian Shan relief around Bishkek (`datasets::relief`).

use std::path::PathBuf;

use spectrum_core::terrain::tileset::TileSet;
use spectrum_core::terrain::{GeoRef, MissingPolicy, Raster};

use crate::StudyError;

/// Seed of the synthetic relief.
pub const RELIEF_SEED: u64 = 2024;

/// Where a study's terrain comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum TerrainSource {
    /// A directory of SRTM `.hgt` tiles and/or GeoTIFF DEMs.
    Dem {
        /// The directory.
        dir: PathBuf,
        /// What to do where the DEM has no tile or a void.
        missing: MissingPolicy,
    },
    /// The seeded synthetic Tian Shan relief around Bishkek.
    SyntheticRelief {
        /// What to do outside the relief.
        missing: MissingPolicy,
    },
}

/// The synthetic Tian Shan relief around Bishkek as a terrain raster.
pub fn synthetic_relief() -> Result<Raster, StudyError> {
    let g = datasets::relief::tian_shan(RELIEF_SEED, &datasets::relief::ReliefParams::default());
    let georef = GeoRef {
        lat0_deg: g.north_deg,
        lon0_deg: g.west_deg,
        dlat_deg: g.step_deg,
        dlon_deg: g.step_deg,
        margin_cells: 0.0,
    };
    Raster::from_f32(georef, g.width, g.height, g.heights_m).map_err(StudyError::Relief)
}

impl TerrainSource {
    /// The terrain a study names: a DEM directory, else the synthetic relief
    /// when asked for, else none (`None`: a smooth profile between the sites).
    ///
    /// ```
    /// use spectra_study::TerrainSource;
    /// use spectrum_core::terrain::MissingPolicy;
    /// assert_eq!(TerrainSource::choose(None, false, MissingPolicy::SeaLevel), None);
    /// assert!(matches!(
    ///     TerrainSource::choose(None, true, MissingPolicy::SeaLevel),
    ///     Some(TerrainSource::SyntheticRelief { .. })
    /// ));
    /// ```
    pub fn choose(
        dem: Option<&std::path::Path>,
        relief: bool,
        missing: MissingPolicy,
    ) -> Option<TerrainSource> {
        match (dem, relief) {
            (Some(dir), _) => Some(TerrainSource::Dem {
                dir: dir.to_path_buf(),
                missing,
            }),
            (None, true) => Some(TerrainSource::SyntheticRelief { missing }),
            (None, false) => None,
        }
    }

    /// Opens the terrain; returns the tile set and a description for the
    /// provenance.
    pub fn open(&self) -> Result<(TileSet, String), StudyError> {
        match self {
            Self::Dem { dir, missing } => {
                let set = TileSet::open_dir(dir, *missing).map_err(|source| StudyError::Dem {
                    dir: dir.clone(),
                    source,
                })?;
                Ok((set, dir.display().to_string()))
            }
            Self::SyntheticRelief { missing } => Ok((
                TileSet::from_rasters(vec![synthetic_relief()?], *missing),
                format!("synthetic Tian Shan relief (datasets::relief, seed {RELIEF_SEED})"),
            )),
        }
    }
}
