//! Seeded synthetic relief: a digital elevation model with mountain ranges
//! and valleys like the northern Tian Shan around Bishkek (the Chui valley at
//! 600–900 m sloping north, the Kyrgyz Ala-Too range rising south of the city
//! to crests of 4000–4800 m, cut by north–south gorges, with high valleys
//! beyond). Heights are plain data (a node grid with its georeference, like an
//! SRTM tile: 3 arc-second spacing by default) so that any terrain reader can
//! wrap them; the same seed gives the same heights on every machine and thread
//! count.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// A node grid of heights: node (row, col) at `north − row·step`,
/// `west + col·step` degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct ReliefGrid {
    /// Latitude of the first (northernmost) row, degrees.
    pub north_deg: f64,
    /// Longitude of the first (westernmost) column, degrees.
    pub west_deg: f64,
    /// Node spacing in latitude and longitude, degrees.
    pub step_deg: f64,
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Heights above mean sea level, m, row-major from the north-west node.
    pub heights_m: Vec<f32>,
}

impl ReliefGrid {
    /// Height at a node, m.
    pub fn node_m(&self, row: usize, col: usize) -> Option<f32> {
        if col >= self.width {
            return None;
        }
        self.heights_m.get(row * self.width + col).copied()
    }
}

/// Parameters of the synthetic relief.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReliefParams {
    /// North edge, degrees.
    pub north_deg: f64,
    /// West edge, degrees.
    pub west_deg: f64,
    /// South edge, degrees.
    pub south_deg: f64,
    /// East edge, degrees.
    pub east_deg: f64,
    /// Node spacing, arc-seconds.
    pub step_arcsec: f64,
}

impl Default for ReliefParams {
    /// 42.3–43.3°N, 74.0–75.2°E (Bishkek at 42.87°N 74.59°E near the centre)
    /// at 3 arc-seconds: 1201 × 1441 nodes.
    fn default() -> Self {
        Self {
            north_deg: 43.3,
            west_deg: 74.0,
            south_deg: 42.3,
            east_deg: 75.2,
            step_arcsec: 3.0,
        }
    }
}

/// Hash of a lattice point, in [0, 1).
fn lattice(seed: u64, i: i64, j: i64, octave: u32) -> f64 {
    let mut z = seed
        ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (j as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ u64::from(octave).wrapping_mul(0x1656_67B1_9E37_79F9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Smooth value noise in [−1, 1] at (x, y) lattice units.
fn value_noise(seed: u64, x: f64, y: f64, octave: u32) -> f64 {
    let (xi, yi) = (x.floor(), y.floor());
    let (fx, fy) = (x - xi, y - yi);
    let s = |t: f64| t * t * (3.0 - 2.0 * t);
    let (sx, sy) = (s(fx), s(fy));
    let (i, j) = (xi as i64, yi as i64);
    let a = lattice(seed, i, j, octave);
    let b = lattice(seed, i + 1, j, octave);
    let c = lattice(seed, i, j + 1, octave);
    let d = lattice(seed, i + 1, j + 1, octave);
    let v = a + sx * (b - a) + sy * (c - a) + sx * sy * (a - b - c + d);
    2.0 * v - 1.0
}

/// Fractal (fBm) noise in about [−1, 1]: `octaves` octaves from a base
/// wavelength in km, with ridged folding for sharp crests.
fn ridged_fbm(seed: u64, x_km: f64, y_km: f64, base_km: f64, octaves: u32) -> f64 {
    let mut sum = 0.0;
    let mut amp = 1.0;
    let mut norm = 0.0;
    let mut wl = base_km;
    for o in 0..octaves {
        let n = value_noise(seed, x_km / wl, y_km / wl, o);
        sum += amp * (1.0 - 2.0 * n.abs());
        norm += amp;
        amp *= 0.5;
        wl *= 0.5;
    }
    sum / norm
}

fn smoothstep(e0: f64, e1: f64, x: f64) -> f64 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// Generates the relief for `params` with `seed`.
///
/// ```
/// use datasets::relief::{tian_shan, ReliefParams};
/// let p = ReliefParams { north_deg: 42.9, west_deg: 74.5, south_deg: 42.5, east_deg: 74.7, step_arcsec: 30.0 };
/// let a = tian_shan(7, &p);
/// assert_eq!(a, tian_shan(7, &p));
/// assert_eq!((a.height, a.width), (49, 25));
/// ```
pub fn tian_shan(seed: u64, params: &ReliefParams) -> ReliefGrid {
    let step = params.step_arcsec / 3600.0;
    let height = (((params.north_deg - params.south_deg) / step).round() as usize + 1).max(2);
    let width = (((params.east_deg - params.west_deg) / step).round() as usize + 1).max(2);
    // North–south gorges across the range: seeded longitudes and depths.
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let gorges: Vec<(f64, f64, f64)> = (0..14)
        .map(|_| {
            let lon = params.west_deg + rng.random::<f64>() * (params.east_deg - params.west_deg);
            let width_km = 1.5 + 3.0 * rng.random::<f64>();
            let depth = 0.2 + 0.3 * rng.random::<f64>();
            (lon, width_km, depth)
        })
        .collect();
    let front_phase = rng.random::<f64>() * std::f64::consts::TAU;
    let km_per_deg_lat = 111.0;
    let km_per_deg_lon = 111.0 * params.north_deg.to_radians().cos();
    let heights_m: Vec<f32> = (0..height)
        .into_par_iter()
        .flat_map_iter(|row| {
            let lat = params.north_deg - row as f64 * step;
            let gorges = &gorges;
            (0..width).map(move |col| {
                let lon = params.west_deg + col as f64 * step;
                let x_km = (lon - params.west_deg) * km_per_deg_lon;
                let y_km = (lat - params.south_deg) * km_per_deg_lat;
                // Range front and crest lines, gently wavy, trending WSW–ENE.
                let wave = 0.025 * (x_km / 23.0 + front_phase).sin() + 0.02 * (lon - 74.6);
                let front = 42.79 + wave;
                let crest = 42.58 + wave;
                // Chui valley: 850 m at the front falling to 600 m 40 km north.
                let valley = 850.0 - 250.0 * ((lat - front) / 0.36).clamp(0.0, 1.0);
                // Envelope: foothills → crest 4300 m → high valleys ~2800 m.
                let rise = smoothstep(front, crest, lat);
                let fall = smoothstep(crest - 0.05, 42.35 + wave, lat);
                let envelope = 3900.0 * rise - 1300.0 * fall * rise;
                let mut gorge = 0.0_f64;
                for &(g_lon, w_km, depth) in gorges {
                    let dx = (lon - g_lon) * km_per_deg_lon;
                    gorge = gorge.max(depth * (-(dx * dx) / (2.0 * w_km * w_km)).exp());
                }
                let rough = ridged_fbm(seed, x_km, y_km, 12.0, 6);
                let mountains = envelope * (1.0 - gorge) * (0.78 + 0.3 * rough);
                let plain = 12.0 * value_noise(seed ^ 0x5A5A, x_km / 3.0, y_km / 3.0, 0);
                (valley + plain + mountains).round() as f32
            })
        })
        .collect();
    ReliefGrid {
        north_deg: params.north_deg,
        west_deg: params.west_deg,
        step_deg: step,
        width,
        height,
        heights_m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coarse() -> ReliefGrid {
        let p = ReliefParams {
            step_arcsec: 30.0,
            ..ReliefParams::default()
        };
        tian_shan(42, &p)
    }

    #[test]
    fn valley_north_mountains_south() {
        let g = coarse();
        let at = |lat: f64, lon: f64| {
            let row = ((g.north_deg - lat) / g.step_deg).round() as usize;
            let col = ((lon - g.west_deg) / g.step_deg).round() as usize;
            f64::from(g.node_m(row, col).unwrap())
        };
        let bishkek = at(42.87, 74.59);
        assert!((550.0..1000.0).contains(&bishkek), "Bishkek at {bishkek} m");
        let max_south = g.heights_m[g.width * (g.height * 2 / 3)..]
            .iter()
            .fold(0.0_f32, |a, &b| a.max(b));
        assert!(max_south > 3500.0, "highest crest {max_south} m");
        assert!(
            g.heights_m
                .iter()
                .all(|h| h.is_finite() && *h > 300.0 && *h < 5500.0)
        );
    }

    #[test]
    fn seeded_and_deterministic() {
        assert_eq!(coarse(), coarse());
        let p = ReliefParams {
            step_arcsec: 30.0,
            ..ReliefParams::default()
        };
        assert_ne!(tian_shan(1, &p).heights_m, tian_shan(2, &p).heights_m);
    }
}
