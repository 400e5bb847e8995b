//! Criterion benchmarks for Spectra (see `benches/`), and what the benchmarks
//! and the peer drivers share.

use spectrum_core::itm::{Climate, ItmParams, Polarization};

/// The ITM parameters of the `propagation_ntia` bench and of the drivers
/// `benches/itm_peer.sh` alternates (`itm_driver` and NTIA's
/// `benches/itm_ntia_driver.cpp`): h_tx 15 m, h_rx 3 m, continental
/// temperate, N₀ 301, 990 MHz, vertical, ε 15, σ 0.008 S/m, mdvar 12.
///
/// ```
/// assert_eq!(spectra_benches::ntia_bench_params().freq_mhz, 990.0);
/// ```
pub fn ntia_bench_params() -> ItmParams {
    ItmParams {
        h_tx_m: 15.0,
        h_rx_m: 3.0,
        climate: Climate::ContinentalTemperate,
        n0_nunits: 301.0,
        freq_mhz: 990.0,
        polarization: Polarization::Vertical,
        epsilon: 15.0,
        sigma_s_per_m: 0.008,
        mdvar: 12,
    }
}
