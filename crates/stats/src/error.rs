//! Typed errors for every statistic: each names the column (item, rater) and row where it can,
//! so that an adapter can turn it into a message about a file, line and field.

use serde::Serialize;

/// Why a statistic could not be computed. Row numbers are 1-based data rows (the first row of
/// data after any header is row 1); columns are named by the names given with the data.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatsError {
    /// A row has a different number of values from the first row.
    #[error("row {row} has {found} values, expected {expected}")]
    RaggedRow {
        /// 1-based data row.
        row: usize,
        /// Values found on that row.
        found: usize,
        /// Values expected (the number of columns).
        expected: usize,
    },
    /// A value is NaN or infinite (missing values must be given as missing, not as NaN).
    #[error("row {row}, column \"{column}\": {value} is not a finite number")]
    NonFinite {
        /// 1-based data row.
        row: usize,
        /// Column name.
        column: String,
        /// The offending value.
        value: f64,
    },
    /// A value is outside what the statistic accepts (for example a response that is not 0 or 1).
    #[error("row {row}, column \"{column}\": {reason}")]
    InvalidValue {
        /// 1-based data row.
        row: usize,
        /// Column name.
        column: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An item or rater gives the same answer on every used row, so it carries no information
    /// (its variance is zero and correlations with it are undefined).
    #[error(
        "column \"{column}\" is constant (every used row has the value {value}); remove it or check the data"
    )]
    ConstantColumn {
        /// Column name.
        column: String,
        /// The single value it takes.
        value: f64,
    },
    /// Not enough of something: items, raters, rows, categories, groups.
    #[error("need at least {needed} {what}, found {found}")]
    TooFew {
        /// What is counted ("raters", "complete rows", ...).
        what: String,
        /// The minimum.
        needed: usize,
        /// What the data has.
        found: usize,
    },
    /// The statistic has no value for these data (for example kappa when chance agreement is 1).
    #[error("{statistic} is undefined: {reason}")]
    Undefined {
        /// The statistic.
        statistic: String,
        /// Why.
        reason: String,
    },
    /// An option is out of range.
    #[error("invalid {name}: {reason}")]
    InvalidArgument {
        /// Option name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A correlation or covariance matrix is singular or not positive definite: typically a
    /// duplicated item, an item that is the sum of others, or more items than rows.
    #[error(
        "the correlation matrix is not positive definite ({detail}); look for duplicated or linearly dependent items"
    )]
    NotPositiveDefinite {
        /// What was found (smallest eigenvalue, or the columns involved).
        detail: String,
    },
    /// A numerical routine failed (eigen decomposition did not converge, and similar).
    #[error("numerical failure: {0}")]
    Numerical(String),
}

impl StatsError {
    pub(crate) fn too_few(what: impl Into<String>, needed: usize, found: usize) -> Self {
        Self::TooFew {
            what: what.into(),
            needed,
            found,
        }
    }
    pub(crate) fn undefined(statistic: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Undefined {
            statistic: statistic.into(),
            reason: reason.into(),
        }
    }
    pub(crate) fn invalid(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidArgument {
            name: name.into(),
            reason: reason.into(),
        }
    }
}

/// Result alias for this crate.
pub type Result<T, E = StatsError> = std::result::Result<T, E>;
