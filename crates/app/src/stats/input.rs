//! The inputs of the statistics operations, as the REST API receives them and the CLI builds
//! them from a CSV file: the data (`columns`, `rows` with `null` for a missing value) and the
//! options of each analysis. With the `openapi` feature they describe themselves for the
//! server's OpenAPI document (their names and doc comments are the schemas').

use framewright_stats::{Category, MissingPolicy};
use serde::Deserialize;

/// How missing answers are handled.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// Drop rows with any missing answer (default).
    #[default]
    Listwise,
    /// Use every pair of items that both have answers.
    Pairwise,
}

/// A categorical rating: a number or a word; `null` is missing.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Cell {
    /// A numeric rating or code.
    Number(f64),
    /// A word label.
    Label(String),
}

/// Cronbach's alpha request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AlphaBody {
    /// Item names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per respondent, one value per item; `null` = missing.
    pub rows: Vec<Vec<Option<f64>>>,
    /// listwise (default) or pairwise.
    #[serde(default)]
    pub missing: Missing,
    /// Confidence level of the Feldt interval (default 0.95).
    pub confidence: Option<f64>,
}

/// McDonald's omega request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OmegaBody {
    /// Item names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per respondent; `null` = missing.
    pub rows: Vec<Vec<Option<f64>>>,
    /// listwise (default) or pairwise.
    #[serde(default)]
    pub missing: Missing,
}

/// Intraclass correlation request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IccBody {
    /// Rater names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per target (candidate, task), one rating per rater; rows with a missing rating
    /// are left out.
    pub rows: Vec<Vec<Option<f64>>>,
    /// Confidence level of the intervals (default 0.95).
    pub confidence: Option<f64>,
}

/// Weights of Cohen's kappa.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Weights {
    /// Every disagreement counts the same (default).
    #[default]
    None,
    /// Near misses count less (linear in the distance).
    Linear,
    /// Near misses count much less (quadratic).
    Quadratic,
}

/// Categorical ratings: one row per case, one column per rater.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KappaBody {
    /// The two raters' names; default 1, 2.
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per case with exactly two ratings (numbers, or words for unweighted kappa);
    /// rows with a missing rating are left out.
    pub rows: Vec<Vec<Option<Cell>>>,
    /// none (default), linear or quadratic.
    #[serde(default)]
    pub weights: Weights,
}

/// Fleiss' kappa request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FleissBody {
    /// Rater names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per case, one category (number or word) per rater; rows with a missing rating
    /// are left out.
    pub rows: Vec<Vec<Option<Cell>>>,
}

/// Level of measurement for Krippendorff's alpha.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Unordered categories.
    Nominal,
    /// Ordered categories.
    Ordinal,
    /// Numbers with equal steps.
    Interval,
    /// Numbers with a true zero.
    Ratio,
}

/// Krippendorff's alpha request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KrippendorffBody {
    /// Rater names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per unit rated, one value per rater; `null` where a rater did not rate (allowed).
    pub rows: Vec<Vec<Option<Cell>>>,
    /// nominal, ordinal, interval or ratio.
    pub level: Level,
}

/// rwg request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RwgBody {
    /// Item names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per expert, one rating per item.
    pub rows: Vec<Vec<Option<f64>>>,
    /// Number of response options of the rating scale (5 for a 1–5 scale).
    pub options: u32,
}

/// Number of factors: a whole number, or "auto" for parallel analysis.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Factors {
    /// This many factors.
    Fixed(usize),
    /// "auto": parallel analysis decides.
    Auto(String),
}

/// Extraction method.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ExtractionArg {
    /// Minimum residuals (default).
    #[default]
    Minres,
    /// Principal axis.
    Pa,
    /// Maximum likelihood.
    Ml,
}

/// Rotation.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RotationArg {
    /// Orthogonal.
    Varimax,
    /// Oblique (default).
    #[default]
    Promax,
    /// Oblique.
    Oblimin,
    /// No rotation.
    None,
}

/// Exploratory factor analysis request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EfaBody {
    /// Item names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per respondent; `null` = missing.
    pub rows: Vec<Vec<Option<f64>>>,
    /// A whole number, or "auto" (default) for parallel analysis.
    pub factors: Option<Factors>,
    /// minres (default), pa or ml.
    #[serde(default)]
    pub method: ExtractionArg,
    /// varimax, promax (default), oblimin or none.
    #[serde(default)]
    pub rotation: RotationArg,
    /// listwise (default) or pairwise.
    #[serde(default)]
    pub missing: Missing,
    /// Seed of parallel analysis (default 20240429).
    pub seed: Option<u64>,
    /// Random data sets of parallel analysis (default 100, at most 1000).
    pub iterations: Option<usize>,
}

/// IRT model.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ModelArg {
    /// One difficulty per item.
    #[serde(rename = "rasch")]
    Rasch,
    /// Difficulty and discrimination per item (default).
    #[default]
    #[serde(rename = "2pl")]
    TwoPl,
}

/// IRT request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IrtBody {
    /// Item names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per test taker, 1 (right) or 0 (wrong) per item; `null` = not answered.
    pub rows: Vec<Vec<Option<f64>>>,
    /// rasch or 2pl (default).
    #[serde(default)]
    pub model: ModelArg,
    /// Also return each person's ability estimate (EAP).
    #[serde(default)]
    pub persons: bool,
    /// Gauss–Hermite quadrature points (default 21, 5 … 101).
    pub quadrature_points: Option<usize>,
}

/// One applicant.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// The applicant's group.
    pub group: String,
    /// Whether the applicant was selected.
    pub selected: bool,
}

/// Counts of one group.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupCount {
    /// The group.
    pub group: String,
    /// How many applied.
    pub applicants: u64,
    /// How many were selected.
    pub selected: u64,
}

/// Adverse impact request: one entry per applicant, or counts per group.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdverseImpactBody {
    /// One entry per applicant (give this or `groups`).
    pub applicants: Option<Vec<Applicant>>,
    /// Applicant and selected counts per group (give this or `applicants`).
    pub groups: Option<Vec<GroupCount>>,
    /// Impact ratio below which a group is flagged (default 0.8).
    pub threshold: Option<f64>,
}

/// DIF request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DifBody {
    /// Item names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per test taker, 1 or 0 per item.
    pub rows: Vec<Vec<Option<f64>>>,
    /// Each row's group, in the order of `rows`.
    pub groups: Vec<String>,
    /// The focal group's label.
    pub focal: String,
    /// The reference group's label (default: everyone not in the focal group).
    pub reference: Option<String>,
}

/// Modified Angoff request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AngoffBody {
    /// Item names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per judge, one probability (0 … 1) per item.
    pub rows: Vec<Vec<Option<f64>>>,
    /// Width of the bands in standard errors (default 1).
    pub z: Option<f64>,
    /// Standard deviation of total test scores (for the SEM).
    pub test_sd: Option<f64>,
    /// Reliability of the test (for the SEM).
    pub reliability: Option<f64>,
    /// Judgements are expected item scores rather than probabilities.
    #[serde(default)]
    pub expected_scores: bool,
}

/// One person of a contrasting-groups study.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The test score.
    pub score: f64,
    /// Whether experts judged the person competent.
    pub competent: bool,
}

/// Contrasting groups request.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContrastingGroupsBody {
    /// One entry per person.
    pub people: Vec<Person>,
    /// How much worse a false pass is than a false fail (default 1).
    pub false_pass_cost: Option<f64>,
}

impl From<Missing> for MissingPolicy {
    fn from(m: Missing) -> Self {
        match m {
            Missing::Listwise => MissingPolicy::Listwise,
            Missing::Pairwise => MissingPolicy::Pairwise,
        }
    }
}

impl From<&Cell> for Category {
    fn from(c: &Cell) -> Category {
        match c {
            Cell::Number(v) => Category::Number(*v),
            Cell::Label(s) => Category::Label(s.clone()),
        }
    }
}
