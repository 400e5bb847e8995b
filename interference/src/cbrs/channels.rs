//! Protected 5 MHz channels, the overlap rules and the neighbourhood
//! distances (README §1.3–§1.4; upstream `interference.py`,
//! `aggregate_interference.py`).

use spectrum_core::geodesy::{GeoPoint, inverse};

/// One megahertz in hertz.
pub const MHZ: f64 = 1e6;
/// Width of a protected channel, Hz.
pub const CHANNEL_WIDTH_HZ: f64 = 5.0 * MHZ;
/// Lower edge of the CBRS band, Hz.
pub const CBRS_LOW_HZ: f64 = 3550.0 * MHZ;
/// Upper edge of the CBRS band, Hz.
pub const CBRS_HIGH_HZ: f64 = 3700.0 * MHZ;
/// Frequency at and above which Cat A grants are ignored for ESC sensors, Hz.
pub const ESC_CAT_A_LIMIT_HZ: f64 = 3660.0 * MHZ;

/// CBSD category (FCC Part 96).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Category A (low power).
    A,
    /// Category B (high power).
    B,
}

/// Kind of protected entity, with its protection constraint type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// Grandfathered wireless protection zone (area, gridded).
    Gwpz,
    /// PAL protection area (area, gridded).
    Ppa,
    /// FSS earth station, co-channel (3600–3700 MHz part of its passband).
    FssCoChannel,
    /// FSS earth station, blocking by the out-of-band CBRS emissions.
    FssBlocking,
    /// Environmental sensing capability sensor.
    Esc,
}

impl Entity {
    /// Neighbourhood distance in km for a CBSD category (README §1.3).
    ///
    /// ```
    /// use interference::cbrs::{Category, Entity};
    /// assert_eq!(Entity::Esc.neighbourhood_km(Category::B), 80.0);
    /// assert_eq!(Entity::FssCoChannel.neighbourhood_km(Category::A), 150.0);
    /// ```
    pub fn neighbourhood_km(self, category: Category) -> f64 {
        match (self, category) {
            (Entity::Gwpz | Entity::Ppa | Entity::FssBlocking, _) => 40.0,
            (Entity::FssCoChannel, _) => 150.0,
            (Entity::Esc, Category::A) => 40.0,
            (Entity::Esc, Category::B) => 80.0,
        }
    }

    /// True when a CBSD at `cbsd` is inside the neighbourhood of the protection
    /// point `point`: WGS 84 geodesic distance **≤** the neighbourhood distance.
    ///
    /// ```
    /// use interference::cbrs::{Category, Entity};
    /// use spectrum_core::geodesy::GeoPoint;
    /// let p = GeoPoint::new(34.0, -100.0);
    /// assert!(Entity::Ppa.in_neighbourhood(Category::B, GeoPoint::new(34.3, -100.0), p));
    /// assert!(!Entity::Ppa.in_neighbourhood(Category::B, GeoPoint::new(34.4, -100.0), p));
    /// ```
    pub fn in_neighbourhood(self, category: Category, cbsd: GeoPoint, point: GeoPoint) -> bool {
        inverse(cbsd, point).dist_m <= self.neighbourhood_km(category) * 1000.0
    }
}

/// The protected 5 MHz channels covering `[lo_hz, hi_hz]`, clipped to
/// 3550–3700 MHz (README §1.4): `lo' = trunc(lo / 5 MHz)·5 MHz`, channel
/// starts from `max(lo', 3550 MHz)` in 5 MHz steps while `start < min(hi,
/// 3700 MHz)`.
///
/// ```
/// use interference::cbrs::protected_channels;
/// assert_eq!(
///     protected_channels(3692e6, 3722e6),
///     vec![(3690e6, 3695e6), (3695e6, 3700e6)]
/// );
/// ```
pub fn protected_channels(lo_hz: f64, hi_hz: f64) -> Vec<(f64, f64)> {
    let lo = (lo_hz / CHANNEL_WIDTH_HZ).trunc() * CHANNEL_WIDTH_HZ;
    let hi = hi_hz.min(CBRS_HIGH_HZ);
    let mut start = lo.max(CBRS_LOW_HZ);
    let mut out = Vec::new();
    while start < hi {
        out.push((start, start + CHANNEL_WIDTH_HZ));
        start += CHANNEL_WIDTH_HZ;
    }
    out
}

/// Strict overlap: `min(g_hi, c_hi) − max(g_lo, c_lo) > 0`.
///
/// ```
/// use interference::cbrs::overlaps;
/// assert!(overlaps((3650e6, 3660e6), (3655e6, 3660e6)));
/// assert!(!overlaps((3650e6, 3660e6), (3660e6, 3665e6))); // touching only
/// ```
pub fn overlaps(grant: (f64, f64), channel: (f64, f64)) -> bool {
    grant.1.min(channel.1) - grant.0.max(channel.0) > 0.0
}

/// The ESC rule for Cat A grants: a Cat A grant is ignored for an ESC sensor
/// when the grant starts at or above 3660 MHz or the channel does.
///
/// ```
/// use interference::cbrs::{Category, esc_ignores};
/// assert!(esc_ignores(Category::A, (3660e6, 3670e6), (3665e6, 3670e6)));
/// assert!(!esc_ignores(Category::B, (3660e6, 3670e6), (3665e6, 3670e6)));
/// ```
pub fn esc_ignores(category: Category, grant: (f64, f64), channel: (f64, f64)) -> bool {
    category == Category::A && (grant.0 >= ESC_CAT_A_LIMIT_HZ || channel.0 >= ESC_CAT_A_LIMIT_HZ)
}

/// True when a grant of `category` contributes to `channel` of `entity`:
/// strict overlap, and for ESC not excluded by [`esc_ignores`].
///
/// ```
/// use interference::cbrs::{Category, Entity, contributes};
/// let g = (3650e6, 3670e6);
/// assert!(contributes(Entity::Esc, Category::A, g, (3655e6, 3660e6)));
/// assert!(!contributes(Entity::Esc, Category::A, g, (3660e6, 3665e6)));
/// assert!(contributes(Entity::Ppa, Category::A, g, (3660e6, 3665e6)));
/// ```
pub fn contributes(
    entity: Entity,
    category: Category,
    grant: (f64, f64),
    channel: (f64, f64),
) -> bool {
    overlaps(grant, channel) && !(entity == Entity::Esc && esc_ignores(category, grant, channel))
}
