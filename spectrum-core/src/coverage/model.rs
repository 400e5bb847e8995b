//! Path-loss models as coverage sees them: a small trait over one radial
//! prefix (terrain heights at uniform spacing from the transmitter), so that
//! every model (free space ITU-R P.525-4, NTIA ITM v1.3 point-to-point, …)
//! plugs into the same engine.

use super::Scenario;
use crate::bounds::OutOfBounds;
use crate::p525;
use crate::profile::PathProfile;

/// One path as a coverage model sees it.
#[derive(Debug, Clone, Copy)]
pub struct PathInput<'a> {
    /// Terrain heights above mean sea level at uniform spacing from the
    /// transmitter (index 0) to the receiver (last), m; at least 2 values.
    pub elevations_m: &'a [f64],
    /// Spacing of the heights, m.
    pub step_m: f64,
    /// Transmitter antenna height above ground, m.
    pub tx_height_m: f64,
    /// Receiver antenna height above ground, m.
    pub rx_height_m: f64,
    /// Frequency, MHz.
    pub freq_mhz: f64,
}

impl PathInput<'_> {
    /// Ground distance of the path, m.
    pub fn dist_m(&self) -> f64 {
        self.step_m * self.elevations_m.len().saturating_sub(1) as f64
    }

    /// The path as a terrain profile for the profile-based recommendations
    /// (P.452, P.1812): distances from the transmitter, km, and the heights;
    /// paths of fewer than the 4 points they need (cells next to the
    /// transmitter) are resampled linearly to 4.
    pub fn profile(&self) -> Result<PathProfile, String> {
        const MIN_POINTS: usize = 4;
        let z = self.elevations_m;
        let len_km = self.dist_m() / 1000.0;
        let (distances_km, heights_m): (Vec<f64>, Vec<f64>) = if z.len() >= MIN_POINTS {
            let step_km = self.step_m / 1000.0;
            (
                (0..z.len()).map(|i| i as f64 * step_km).collect(),
                z.to_vec(),
            )
        } else {
            let last = z.len().saturating_sub(1).max(1) as f64;
            (0..MIN_POINTS)
                .map(|k| {
                    let t = k as f64 / (MIN_POINTS - 1) as f64;
                    let x = t * last;
                    let (i, frac) = (x.floor() as usize, x.fract());
                    let a = z.get(i).copied().unwrap_or(0.0);
                    let b = z.get(i + 1).copied().unwrap_or(a);
                    (t * len_km, a + (b - a) * frac)
                })
                .unzip()
        };
        PathProfile::new(distances_km, heights_m).map_err(|e| e.to_string())
    }

    /// Height difference between the antennas (Rx − Tx, above sea level), m.
    pub fn antenna_height_diff_m(&self) -> f64 {
        let first = self.elevations_m.first().copied().unwrap_or(0.0);
        let last = self.elevations_m.last().copied().unwrap_or(0.0);
        (last + self.rx_height_m) - (first + self.tx_height_m)
    }
}

/// A model's answer for one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathLoss {
    /// Basic transmission loss, dB.
    pub loss_db: f64,
    /// True when the model flagged its inputs (e.g. ITM warnings).
    pub warned: bool,
}

/// A path-loss model usable by the coverage engine.
pub trait PathLossModel: Sync + Send {
    /// Short name (e.g. `itm`).
    fn name(&self) -> &str;
    /// Standard and edition implemented (for provenance).
    fn edition(&self) -> &str;
    /// Parameters beyond the path (for provenance), as key/value pairs.
    fn parameters(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Checks, before any cell is computed, the inputs that are the same
    /// for every path (frequency domain, terminal heights, percentages) so
    /// that a study the model would refuse cell by cell fails up front with
    /// the field named. The default accepts everything.
    fn validate(&self, _scenario: &Scenario) -> Result<(), OutOfBounds> {
        Ok(())
    }
    /// Basic transmission loss of one path; the error says why the model
    /// refused the path.
    fn loss_db(&self, path: &PathInput<'_>) -> Result<PathLoss, String>;
    /// The model's evaluator for many cells along one radial (`radial`: the
    /// whole radial, at its nominal spacing), when the model has one and
    /// uses it: the engine then groups the cells by radial and asks for
    /// them in order of distance. `None` (the default): one
    /// [`loss_db`](Self::loss_db) call per cell.
    fn radial<'a>(&'a self, _radial: &PathInput<'a>) -> Option<Box<dyn RadialLoss + 'a>> {
        None
    }
}

/// Losses of the cells along one radial (see [`PathLossModel::radial`]).
pub trait RadialLoss {
    /// Loss of the path over the radial's heights `0..=m`, taken at spacing
    /// `step_m` (the cell's stretched spacing); called with non-decreasing
    /// `m`. Must equal [`PathLossModel::loss_db`] of that path up to the
    /// rounding the model documents.
    fn loss_db(&mut self, m: usize, step_m: f64) -> Result<PathLoss, String>;
}

/// Free-space loss, ITU-R P.525-4 eq. (8), over the slant distance between
/// the two antennas (terrain ignored otherwise).
#[derive(Debug, Clone, Copy, Default)]
pub struct FreeSpace;

impl FreeSpace {
    /// The slant distance between the antennas of a path, km.
    pub fn slant_dist_km(path: &PathInput<'_>) -> f64 {
        path.dist_m().hypot(path.antenna_height_diff_m()) / 1000.0
    }
}

impl PathLossModel for FreeSpace {
    fn name(&self) -> &str {
        "free-space"
    }
    fn edition(&self) -> &str {
        "ITU-R P.525-4 (08/2019)"
    }
    fn loss_db(&self, path: &PathInput<'_>) -> Result<PathLoss, String> {
        let d_km = Self::slant_dist_km(path);
        if d_km <= 0.0 {
            return Err("free space: zero distance".into());
        }
        Ok(PathLoss {
            loss_db: p525::free_space_loss_db(path.freq_mhz, d_km),
            warned: false,
        })
    }
}
