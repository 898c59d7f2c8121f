//! Psychometric statistics for Framewright: reliability (Cronbach's alpha, McDonald's omega),
//! rater agreement (ICC, Cohen's and Fleiss' kappa, Krippendorff's alpha, rwg), exploratory
//! factor analysis, item response theory (Rasch and 2PL), fairness (adverse impact, DIF) and cut
//! scores (Angoff, contrasting groups).
//!
//! The crate is pure: it takes values and returns values, with no files, clocks or hidden
//! randomness (simulations take a seed). Inputs are typed ([`Table`] with explicit missing
//! cells), results are `serde::Serialize` structs, and failures are [`StatsError`]s that name the
//! column and row involved. Every statistic is checked against a reference implementation on
//! committed fixtures (see `scripts/oracles/` and `docs/statistics.md`).

pub mod agreement;
pub mod cutscore;
pub mod data;
pub mod dist;
pub mod efa;
pub mod error;
pub mod fairness;
mod fastmath;
pub mod icc;
pub mod irt;
mod linalg;
pub mod reliability;
pub mod rng;

pub use data::{CasesUsed, Category, MissingPolicy, Table, code_categories};

/// True unless `x > bound`: also true for NaN, which is what the guards against zero
/// variances and degenerate matrices need.
pub(crate) fn not_above(x: f64, bound: f64) -> bool {
    x.partial_cmp(&bound) != Some(std::cmp::Ordering::Greater)
}
pub use error::{Result, StatsError};
