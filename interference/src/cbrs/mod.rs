//! # WInnForum CBRS SAS reference calculations
//!
//! Our own Rust implementation, written from the description in
//! `shared/data/interference/README.md` §1–§2, of the aggregate-interference
//! and antenna/mask calculations of the Wireless Innovation Forum
//! Spectrum-Access-System reference models
//! (`Wireless-Innovation-Forum/Spectrum-Access-System`, commit `928c3150`,
//! `src/harness/reference_models/`):
//!
//! - [`channels`]: protected 5 MHz channels (§1.4), strict overlap, the ESC
//!   Cat A rule, neighbourhood distances with a WGS 84 geodesic check (§1.3);
//! - [`grid`]: the 2″ gridding of PPA and GWPZ polygons (§1.5);
//! - [`aggregate`]: per-grant interference with a pluggable
//!   propagation/antenna closure and the aggregate in mW per channel and
//!   protection point for FSS co-channel, FSS blocking, ESC, PPA and GWPZ
//!   (§1.2, §1.6–§1.7);
//! - [`masks`]: FSS blocking and ESC mask losses (§2.1–§2.2);
//! - [`antenna`]: standard CBSD antenna, DPA radar, FSS earth station and
//!   tabulated-pattern gains (§2.4–§2.7);
//! - [`records`]: the JSON records (§1.1).
//!
//! Frequencies are in Hz, powers in dBm, gains in dBi, angles and
//! coordinates in degrees.
//!
//! ```
//! use interference::cbrs::*;
//! // The fake unit-test model: PL = |Δlat| + |Δlon| + 50 dB, G = +10 dB.
//! let fake = |g: &Grant, c: &Constraint| Coupling {
//!     path_loss_db: 1.0 * ((c.lat_deg - g.lat_deg).abs() + (c.lon_deg - g.lon_deg).abs()) + 50.0,
//!     gain_db: 10.0,
//! };
//! let g = Grant { cbsd_id: "d".into(), category: Category::B, lat_deg: 34.41117,
//!     lon_deg: -100.56811, height_m: 75.0, antenna_gain_dbi: 0.0,
//!     antenna_azimuth_deg: None, antenna_beamwidth_deg: None,
//!     max_eirp_dbm_mhz: 37.0, low_hz: 3650e6, high_hz: 3660e6 };
//! let esc = spectrum_core::geodesy::GeoPoint::new(34.41029, -100.56683);
//! let r = aggregate_esc(esc, &[g], Model::UnitTest, &fake).unwrap();
//! assert!((r.points[0].mw[20] / 2.2323074278051225 - 1.0).abs() < 1e-12);
//! ```

pub mod aggregate;
pub mod antenna;
pub mod channels;
pub mod grid;
pub mod masks;
pub mod records;

pub use aggregate::{
    Bandwidth, Constraint, Coupling, EirpRule, EntityAggregate, Grant, Loss, Model, PointAggregate,
    aggregate_at_point, aggregate_esc, aggregate_fss_blocking, aggregate_fss_co_channel,
    aggregate_gwpz, aggregate_ppa, esc_channels, fss_blocking_channels, fss_co_channel_channels,
    interference_dbm,
};
pub use antenna::{
    FssAntenna, RADAR_BEAMWIDTH_DEG, pattern_gain, radar_normalized_gain, standard_antenna_gain,
    standard_antenna_gains,
};
pub use channels::{
    CBRS_HIGH_HZ, CBRS_LOW_HZ, CHANNEL_WIDTH_HZ, Category, ESC_CAT_A_LIMIT_HZ, Entity, MHZ,
    contributes, esc_ignores, overlaps, protected_channels,
};
pub use grid::{GRID_BUFFER_DEG, grid_polygon};
pub use masks::{esc_mask_loss, fss_mask_loss};
pub use records::{
    CbsdRecord, EscRecord, FssRecord, GwpzRecord, PalRecord, PpaRecord, parse_cbsd, parse_esc,
    parse_fss, parse_gwpz, parse_pal, parse_ppa, read_text,
};
