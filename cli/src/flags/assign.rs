//! Flags of `spectra assign …`.

use std::path::PathBuf;

/// Subcommands of `spectra assign`.
#[derive(Debug, clap::Subcommand)]
pub enum AssignCommand {
    /// Solve an RLFAP decision instance (or all of a directory): an
    /// assignment satisfying every constraint, checked independently, or a
    /// proof that none exists. Exit 0 feasible, 1 infeasible, 2 bad input,
    /// 3 time limit reached.
    Rlfap(RlfapFlags),
    /// Solve an original CELAR instance directory (var.txt, dom.txt, ctr.txt,
    /// cst.txt): the minimum span proved where that is the criterion, else a
    /// checked assignment of the hard constraints with its objectives. Exit 0
    /// solved, 1 infeasible, 2 bad input, 3 time limit.
    Celar(CelarFlags),
}

/// Flags of `spectra assign celar`.
#[derive(Debug, clap::Args)]
pub struct CelarFlags {
    /// The instance directory.
    pub dir: PathBuf,
    /// Time limit, s.
    #[arg(long, default_value_t = 60.0)]
    pub time_limit_s: f64,
    /// Write the assignment (variable,value) here (CSV).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `spectra assign rlfap`.
#[derive(Debug, clap::Args)]
pub struct RlfapFlags {
    /// The RLFAP directory (holding var/, dom/ and ctr/).
    pub dir: PathBuf,
    /// The instance name (e.g. 2-f24); default: every instance of the directory.
    #[arg(long)]
    pub instance: Option<String>,
    /// Time limit per instance, s.
    #[arg(long, default_value_t = 60.0)]
    pub time_limit_s: f64,
    /// Write the assignment (variable,value) here (CSV; one instance only).
    #[arg(long, value_name = "PATH", requires = "instance")]
    pub out: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
