//! A set of terrain tiles over a directory: SRTM `.hgt` tiles found by name,
//! GeoTIFF rasters (`.tif`, `.tiff`, `.geotiff`) found by their extent; tiles
//! are loaded lazily on first use (SRTM memory-mapped) and shared by all
//! threads. Where no tile covers a point, or the DEM has a void there, the
//! [`MissingPolicy`] decides: fail, or use sea level and count the sample.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use super::{MissingPolicy, Raster, SharedRaster, TerrainError, geotiff, hgt};

/// The kind of file a tile is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hgt,
    GeoTiff,
    Memory,
}

/// One tile: where it comes from, the area it covers, and the raster once
/// loaded.
#[derive(Debug)]
struct Tile {
    path: PathBuf,
    kind: Kind,
    raster: OnceLock<Result<SharedRaster, String>>,
}

impl Tile {
    fn get(&self) -> Result<&SharedRaster, TerrainError> {
        let loaded = self.raster.get_or_init(|| {
            let r = match self.kind {
                Kind::Hgt => hgt::open(&self.path),
                Kind::GeoTiff => geotiff::open(&self.path),
                Kind::Memory => Err(TerrainError::Invalid("in-memory tile without data".into())),
            };
            r.map(Arc::new).map_err(|e| e.to_string())
        });
        loaded.as_ref().map_err(|message| TerrainError::Format {
            path: self.path.clone(),
            message: message.clone(),
        })
    }
}

/// A height looked up under the missing-terrain policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Height above mean sea level, m (0 where terrain is missing).
    pub height_m: f64,
    /// True when no tile had a height here and sea level was used.
    pub missing: bool,
}

/// Terrain tiles over a directory (or in memory), queried by latitude and
/// longitude.
#[derive(Debug)]
pub struct TileSet {
    hgt: HashMap<(i32, i32), Tile>,
    /// GeoTIFF and in-memory rasters with their bounds (south, west, north, east).
    others: Vec<((f64, f64, f64, f64), Tile)>,
    policy: MissingPolicy,
    missing: AtomicU64,
}

impl TileSet {
    /// Scans a directory (not recursively) for `.hgt` tiles (named like
    /// `N42E074.hgt`) and GeoTIFFs; reads only the GeoTIFF headers now.
    pub fn open_dir(dir: &Path, policy: MissingPolicy) -> Result<Self, TerrainError> {
        let io = |source| TerrainError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io)?;
        entries.sort();
        let mut set = Self::empty(policy);
        let mut misnamed = Vec::new();
        for path in entries {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_ascii_lowercase();
            if name.ends_with(".hgt") {
                let Some(key) = hgt::parse_tile_name(&name) else {
                    misnamed.push(
                        path.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    );
                    continue;
                };
                {
                    set.hgt.insert(
                        key,
                        Tile {
                            path,
                            kind: Kind::Hgt,
                            raster: OnceLock::new(),
                        },
                    );
                }
            } else if name.ends_with(".tif")
                || name.ends_with(".tiff")
                || name.ends_with(".geotiff")
            {
                let info = geotiff::read_info_only(&path)?;
                let bounds = info.georef.bounds_deg(info.width, info.height);
                set.others.push((
                    bounds,
                    Tile {
                        path,
                        kind: Kind::GeoTiff,
                        raster: OnceLock::new(),
                    },
                ));
            }
        }
        if set.hgt.is_empty() && set.others.is_empty() {
            let hint = if misnamed.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} not an SRTM tile name such as N42E074.hgt)",
                    misnamed
                        .iter()
                        .map(|n| format!("{n} is"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Err(TerrainError::Format {
                path: dir.to_path_buf(),
                message: format!(
                    "expected .hgt or GeoTIFF elevation files in the DEM directory, found none{hint}"
                ),
            });
        }
        Ok(set)
    }

    /// A tile set over in-memory rasters (e.g. a synthetic relief), searched in
    /// order.
    pub fn from_rasters(rasters: Vec<Raster>, policy: MissingPolicy) -> Self {
        let mut set = Self::empty(policy);
        for (i, r) in rasters.into_iter().enumerate() {
            let bounds = r.bounds_deg();
            let cell = OnceLock::new();
            let _ = cell.set(Ok(Arc::new(r)));
            set.others.push((
                bounds,
                Tile {
                    path: PathBuf::from(format!("<memory {i}>")),
                    kind: Kind::Memory,
                    raster: cell,
                },
            ));
        }
        set
    }

    fn empty(policy: MissingPolicy) -> Self {
        Self {
            hgt: HashMap::new(),
            others: Vec::new(),
            policy,
            missing: AtomicU64::new(0),
        }
    }

    /// The missing-terrain policy.
    pub fn policy(&self) -> MissingPolicy {
        self.policy
    }

    /// Number of tiles known (loaded or not).
    pub fn tile_count(&self) -> usize {
        self.hgt.len() + self.others.len()
    }

    /// Total number of samples answered with sea level because terrain was
    /// missing, over the life of this tile set (all threads).
    pub fn missing_samples(&self) -> u64 {
        self.missing.load(Ordering::Relaxed)
    }

    /// The terrain height at a point, if a tile has one (no policy applied).
    pub fn lookup_m(&self, lat_deg: f64, lon_deg: f64) -> Result<Option<f64>, TerrainError> {
        if !self.hgt.is_empty() {
            let (la, lo) = (lat_deg.floor() as i32, lon_deg.floor() as i32);
            let mut keys = [(la, lo), (la - 1, lo), (la, lo - 1), (la - 1, lo - 1)];
            let on_lat_edge = lat_deg.fract() == 0.0;
            let on_lon_edge = lon_deg.fract() == 0.0;
            if !on_lat_edge {
                keys[1] = (la, lo);
                keys[3] = keys[2];
            }
            if !on_lon_edge {
                keys[2] = (la, lo);
                keys[3] = keys[1];
            }
            for key in keys {
                if let Some(tile) = self.hgt.get(&key)
                    && let Some(h) = tile.get()?.height_m(lat_deg, lon_deg)
                {
                    return Ok(Some(h));
                }
            }
        }
        for ((s, w, n, e), tile) in &self.others {
            if lat_deg >= *s
                && lat_deg <= *n
                && lon_deg >= *w
                && lon_deg <= *e
                && let Some(h) = tile.get()?.height_m(lat_deg, lon_deg)
            {
                return Ok(Some(h));
            }
        }
        Ok(None)
    }

    /// The terrain height at a point under the missing-terrain policy.
    pub fn sample(&self, lat_deg: f64, lon_deg: f64) -> Result<Sample, TerrainError> {
        match self.lookup_m(lat_deg, lon_deg)? {
            Some(h) => Ok(Sample {
                height_m: h,
                missing: false,
            }),
            None => match self.policy {
                MissingPolicy::Error => Err(match self.covering_tile(lat_deg, lon_deg) {
                    Some(path) => TerrainError::Void {
                        path,
                        lat_deg,
                        lon_deg,
                    },
                    None => TerrainError::Missing {
                        lat_deg,
                        lon_deg,
                        expected_tile: hgt::tile_name(
                            lat_deg.floor() as i32,
                            lon_deg.floor() as i32,
                        ),
                    },
                }),
                MissingPolicy::SeaLevel => {
                    self.missing.fetch_add(1, Ordering::Relaxed);
                    Ok(Sample {
                        height_m: 0.0,
                        missing: true,
                    })
                }
            },
        }
    }

    /// The file of a tile whose extent covers the point (whether or not it
    /// has a height there).
    fn covering_tile(&self, lat_deg: f64, lon_deg: f64) -> Option<PathBuf> {
        let key = (lat_deg.floor() as i32, lon_deg.floor() as i32);
        if let Some(t) = self.hgt.get(&key) {
            return Some(t.path.clone());
        }
        self.others
            .iter()
            .find(|((s, w, n, e), _)| {
                lat_deg >= *s && lat_deg <= *n && lon_deg >= *w && lon_deg <= *e
            })
            .map(|(_, t)| t.path.clone())
    }

    /// The terrain height at a point under the missing-terrain policy, m.
    pub fn height_m(&self, lat_deg: f64, lon_deg: f64) -> Result<f64, TerrainError> {
        self.sample(lat_deg, lon_deg).map(|s| s.height_m)
    }
}
