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
    /// cst.txt) for its criterion (or --criterion): fewest distinct values,
    /// lowest largest value or least weighted cost, with the best bound and
    /// whether the answer is proved optimal. Progress on stderr. Exit 0
    /// solved, 1 infeasible, 2 bad input, 3 time limit without an assignment.
    Celar(CelarFlags),
    /// Plan channels for the planned assignments of a register: the
    /// separations by distance, interference pairs and duplex spacing become
    /// a constraint problem; licensed assignments do not move. Writes the
    /// register update (CSV or Parquet) with a reason per assignment. Exit 0
    /// planned, 1 no plan exists, 2 bad input, 3 time limit.
    Stations(crate::flags::assign_plan::PlanFlags),
}

/// The criterion to solve for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CriterionFlag {
    /// The instance's own criterion (cst.txt).
    Auto,
    /// Only satisfy the hard constraints.
    Feasibility,
    /// Fewest distinct values.
    MinOrder,
    /// Lowest largest value.
    MinSpan,
    /// Least weighted cost of violated soft constraints and moved links.
    MinCost,
}

/// The search strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchFlag {
    /// VSIDS for optimisation; for feasibility VSIDS and first fail taking
    /// turns in time slices (which answers first may depend on the machine).
    Auto,
    /// VSIDS with solution-based phase saving.
    Vsids,
    /// Smallest domain first, lowest value first.
    FirstFail,
}

/// The encoding of the distance constraints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EncodingFlag {
    /// Reified linear inequalities.
    Linear,
    /// Binary clauses over forbidden value pairs.
    Direct,
}

/// How to solve (shared by every assign subcommand).
#[derive(Debug, clap::Args)]
pub struct SolveFlags {
    /// Time limit, s (per instance).
    #[arg(long, default_value_t = 60.0)]
    pub time_limit_s: f64,
    /// Seed of the solver's random choices (same seed, same answers when the
    /// time limit does not cut the search).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Search strategy.
    #[arg(long, value_enum, default_value_t = SearchFlag::Auto)]
    pub search: SearchFlag,
    /// Encoding of the distance constraints.
    #[arg(long, value_enum, default_value_t = EncodingFlag::Linear)]
    pub encoding: EncodingFlag,
    /// Stop as soon as an assignment with an objective at most this is
    /// found (a known optimum or a good-enough target).
    #[arg(long, value_name = "OBJECTIVE")]
    pub stop_at: Option<u64>,
    /// Do not report progress on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// Flags of `spectra assign celar`.
#[derive(Debug, clap::Args)]
pub struct CelarFlags {
    /// The instance directory.
    pub dir: PathBuf,
    /// The criterion (auto: the instance's own).
    #[arg(long, value_enum, default_value_t = CriterionFlag::Auto)]
    pub criterion: CriterionFlag,
    /// How to solve.
    #[command(flatten)]
    pub solve: SolveFlags,
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
    /// How to solve.
    #[command(flatten)]
    pub solve: SolveFlags,
    /// Write the assignment (variable,value) here (CSV; one instance only).
    #[arg(long, value_name = "PATH", requires = "instance")]
    pub out: Option<PathBuf>,
    /// For each instance proved infeasible, write its formula (NAME.cnf) and
    /// a DRUP refutation (NAME.drup) into this directory and verify the
    /// proof with the independent checker.
    #[arg(long, value_name = "DIR")]
    pub proof_dir: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
