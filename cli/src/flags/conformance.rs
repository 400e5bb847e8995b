//! Flags of `spectra conformance` and `spectra propagate`.

use std::path::PathBuf;

/// `spectra conformance <model> <dir>` or `spectra conformance report <base-dir>`.
#[derive(Debug, clap::Args)]
pub struct ConformanceFlags {
    /// Model to check (p452, p1812, itm, ehata, p2108, p2109, p676, p528, p1546), or `report` to write a declaration for all models.
    pub model: String,
    /// Directory laid out like `../shared/data/propagation/<model>/` (for `report`: the directory holding one folder per model).
    pub dir: PathBuf,
    /// Print machine-readable JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// With `report`: write the declaration to this file as well as printing it.
    #[arg(long)]
    pub out: Option<PathBuf>,
}
