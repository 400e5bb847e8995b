//! Flags of `spectra propagate <model> …`: one subcommand per model, and the
//! frequency parsers shared by every frequency flag.

use spectrum_core::units::{Frequency, FrequencyError, FrequencyUnit};

use super::{propagate_itu, propagate_ntia, propagate_p1546};

/// Parses a `--freq-mhz` value: a bare number in MHz (`600`, exactly the
/// `f64` it was before), or a frequency with its unit (`600MHz`, `2.4GHz`).
pub fn parse_freq_mhz(text: &str) -> Result<Frequency, FrequencyError> {
    Frequency::parse_with_unit(text, FrequencyUnit::MHz)
}

/// Parses a `--freq-ghz` value: a bare number in GHz (`2`), or a frequency
/// with its unit (`900MHz`).
pub fn parse_freq_ghz(text: &str) -> Result<Frequency, FrequencyError> {
    Frequency::parse_with_unit(text, FrequencyUnit::GHz)
}

/// Subcommands of `spectra propagate`.
#[derive(Debug, clap::Subcommand)]
pub enum PropagateCommand {
    /// ITU-R P.452-18 clear-air interference prediction.
    P452(propagate_itu::P452Flags),
    /// ITU-R P.1812-6 point-to-area prediction.
    P1812(propagate_itu::P1812Flags),
    /// NTIA ITM (Longley-Rice) point-to-point.
    Itm(propagate_ntia::ItmFlags),
    /// NTIA Extended Hata (TR 15-517).
    Ehata(propagate_ntia::EhataFlags),
    /// Okumura-Hata / COST-231 Hata.
    Hata(propagate_ntia::HataFlags),
    /// ITU-R P.2108 clutter loss.
    P2108(propagate_ntia::P2108Flags),
    /// ITU-R P.2109 building entry loss.
    P2109(propagate_itu::P2109Flags),
    /// ITU-R P.676 gaseous attenuation of a terrestrial or slant path.
    P676(propagate_itu::P676Flags),
    /// ITU-R P.528 aeronautical basic transmission loss.
    P528(propagate_itu::P528Flags),
    /// ITU-R P.1546-6 point-to-area field strength (30–4 000 MHz).
    P1546(propagate_p1546::P1546Flags),
    /// Free-space basic transmission loss (ITU-R P.525).
    FreeSpace(propagate_ntia::FreeSpaceFlags),
}
