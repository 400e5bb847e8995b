//! Flags of `spectra propagate <model> …`: one subcommand per model.

use super::{propagate_itu, propagate_ntia};

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
    /// Free-space basic transmission loss (ITU-R P.525).
    FreeSpace(propagate_ntia::FreeSpaceFlags),
}
