//! Statistics (`framewright-stats`) over HTTP: `POST /api/v1/stats/{analysis}` for every
//! analysis of `framewright stats`, with the data as JSON instead of a CSV file. Each answer is
//! the JSON object `framewright stats <analysis> --format json` prints for the same data and
//! options. Nothing is stored. Data errors are 422 problems whose `errors[].pointer` names the
//! JSON path of the wrong value (`/rows/3/2`, `/columns/1`, `/options`).
//!
//! Matrix data is `{"columns": ["q1", …], "rows": [[4, 5, null], …]}`: one row per respondent,
//! target or judge, one column per item or rater, `null` for a missing value (0 is a real
//! answer). `columns` may be left out (the columns are then named 1, 2, …).

use axum::Json;
use framewright_stats::agreement::{
    self, KappaWeights, KrippendorffLevel, cohen_kappa, fleiss_kappa, krippendorff_alpha,
};
use framewright_stats::cutscore::{AngoffOptions, contrasting_groups, modified_angoff};
use framewright_stats::efa::{
    self, EfaOptions, Extraction, FactorCount, ParallelOptions, Rotation,
};
use framewright_stats::fairness::{
    AdverseImpactOptions, GroupCounts, adverse_impact, count_groups, dif_mantel_haenszel,
};
use framewright_stats::irt::{IrtModel, IrtOptions, Quadrature, fit_irt};
use framewright_stats::reliability::{AlphaOptions, cronbach_alpha, mcdonald_omega};
use framewright_stats::{Category, MissingPolicy, StatsError, Table, code_categories, icc};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::extract::ApiJson;
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// The statistics routes (under `/api/v1`).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(alpha))
        .routes(routes!(omega))
        .routes(routes!(icc_route))
        .routes(routes!(kappa))
        .routes(routes!(fleiss))
        .routes(routes!(krippendorff))
        .routes(routes!(rwg))
        .routes(routes!(efa_route))
        .routes(routes!(irt))
        .routes(routes!(adverse_impact_route))
        .routes(routes!(dif))
        .routes(routes!(angoff))
        .routes(routes!(contrasting_groups_route))
}

// ---------------------------------------------------------------------------------------------
// inputs

/// How missing answers are handled.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// Drop rows with any missing answer (default).
    #[default]
    Listwise,
    /// Use every pair of items that both have answers.
    Pairwise,
}

impl From<Missing> for MissingPolicy {
    fn from(m: Missing) -> Self {
        match m {
            Missing::Listwise => MissingPolicy::Listwise,
            Missing::Pairwise => MissingPolicy::Pairwise,
        }
    }
}

/// A categorical rating: a number or a word; `null` is missing.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Cell {
    /// A numeric rating or code.
    Number(f64),
    /// A word label.
    Label(String),
}

impl From<&Cell> for Category {
    fn from(c: &Cell) -> Category {
        match c {
            Cell::Number(v) => Category::Number(*v),
            Cell::Label(s) => Category::Label(s.clone()),
        }
    }
}

/// Numeric data: one row per respondent (or target, or judge), one column per item (or rater).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixBody {
    /// Column names (items, raters); default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// The rows; `null` is a missing value, 0 is an answer.
    pub rows: Vec<Vec<Option<f64>>>,
}

fn column_names(columns: &Option<Vec<String>>, width: usize) -> Vec<String> {
    columns
        .clone()
        .unwrap_or_else(|| Table::numbered_columns(width))
}

fn width<T>(rows: &[Vec<T>]) -> usize {
    rows.first().map_or(0, Vec::len)
}

/// A statistics error as a problem naming the JSON path of the wrong value.
fn problem(e: StatsError, columns: &[String]) -> Problem {
    let column_index = |name: &str| columns.iter().position(|c| c == name);
    let pointer = match &e {
        StatsError::RaggedRow { row, .. } => Some(format!("/rows/{}", row - 1)),
        StatsError::NonFinite { row, column, .. }
        | StatsError::InvalidValue { row, column, .. } => Some(match column_index(column) {
            Some(c) => format!("/rows/{}/{c}", row - 1),
            None => format!("/rows/{}", row - 1),
        }),
        StatsError::ConstantColumn { column, .. } => {
            column_index(column).map(|c| format!("/columns/{c}"))
        }
        StatsError::TooFew { .. } => Some("/rows".to_string()),
        StatsError::InvalidArgument { name, .. } => Some(format!("/{name}")),
        _ => None,
    };
    let text = e.to_string();
    let mut p = Problem::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "invalid-data",
        "The statistic cannot be computed from these data",
        match &pointer {
            Some(at) => format!("{at}: {text}"),
            None => text.clone(),
        },
    );
    if let Some(at) = pointer {
        p = p.with_field(at, text);
    }
    p
}

/// Builds the table of a matrix body.
fn matrix(body: &MatrixBody) -> ApiResult<Table> {
    let columns = column_names(&body.columns, width(&body.rows));
    Table::from_rows(columns.clone(), &body.rows).map_err(|e| problem(e, &columns))
}

/// Runs `f` off the async threads (factor analysis and IRT can take a while).
async fn compute<F>(f: F) -> ApiResult<Json<Value>>
where
    F: FnOnce() -> ApiResult<Value> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| Problem::internal())?
        .map(Json)
}

fn to_json<T: serde::Serialize>(value: &T) -> ApiResult<Value> {
    serde_json::to_value(value).map_err(|e| {
        tracing::error!(error = %e, "serialising a statistics result");
        Problem::internal()
    })
}

// ---------------------------------------------------------------------------------------------
// reliability

/// Cronbach's alpha request.
#[derive(Debug, Deserialize, ToSchema)]
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

/// Cronbach's alpha with the Feldt interval, standardised alpha, corrected item–total
/// correlations and alpha if item deleted (as `framewright stats alpha --format json`).
#[utoipa::path(post, path = "/stats/alpha", tag = "stats",
    request_body(content = AlphaBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`alpha`, `ci95`, `n_used`, `items` […] as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used; `errors[].pointer` names the value", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alpha(_caller: Caller, ApiJson(body): ApiJson<AlphaBody>) -> ApiResult<Json<Value>> {
    compute(move || {
        let columns = column_names(&body.columns, width(&body.rows));
        let t = Table::from_rows(columns.clone(), &body.rows).map_err(|e| problem(e, &columns))?;
        let options = AlphaOptions {
            missing: body.missing.into(),
            confidence: body.confidence.unwrap_or(0.95),
        };
        let r = cronbach_alpha(&t, &options).map_err(|e| problem(e, &columns))?;
        to_json(&r)
    })
    .await
}

/// McDonald's omega request.
#[derive(Debug, Deserialize, ToSchema)]
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

/// McDonald's omega total from a one-factor model (as `framewright stats omega`).
#[utoipa::path(post, path = "/stats/omega", tag = "stats",
    request_body(content = OmegaBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The omega result as the CLI writes it", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn omega(_caller: Caller, ApiJson(body): ApiJson<OmegaBody>) -> ApiResult<Json<Value>> {
    compute(move || {
        let columns = column_names(&body.columns, width(&body.rows));
        let t = Table::from_rows(columns.clone(), &body.rows).map_err(|e| problem(e, &columns))?;
        let r = mcdonald_omega(&t, body.missing.into()).map_err(|e| problem(e, &columns))?;
        to_json(&r)
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// agreement

/// Intraclass correlation request.
#[derive(Debug, Deserialize, ToSchema)]
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

/// All six Shrout & Fleiss intraclass correlations with F tests and intervals (as
/// `framewright stats icc`).
#[utoipa::path(post, path = "/stats/icc", tag = "stats", operation_id = "icc",
    request_body(content = IccBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`icc`: [{`type`, `value`, `f`, `df1`, `df2`, `p`, `ci95`}] as the CLI writes it", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn icc_route(_caller: Caller, ApiJson(body): ApiJson<IccBody>) -> ApiResult<Json<Value>> {
    compute(move || {
        let columns = column_names(&body.columns, width(&body.rows));
        let t = Table::from_rows(columns.clone(), &body.rows).map_err(|e| problem(e, &columns))?;
        let r = icc::icc(&t, body.confidence.unwrap_or(0.95)).map_err(|e| problem(e, &columns))?;
        to_json(&r)
    })
    .await
}

/// Weights of Cohen's kappa.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
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
#[derive(Debug, Deserialize, ToSchema)]
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

fn categories(
    columns: &Option<Vec<String>>,
    rows: &[Vec<Option<Cell>>],
    allow_text: bool,
) -> ApiResult<(Table, Option<Vec<String>>, Vec<String>)> {
    let names = column_names(columns, width(rows));
    let cells: Vec<Vec<Option<Category>>> = rows
        .iter()
        .map(|row| row.iter().map(|c| c.as_ref().map(Category::from)).collect())
        .collect();
    let (t, labels) =
        code_categories(names.clone(), &cells, allow_text).map_err(|e| problem(e, &names))?;
    Ok((t, labels, names))
}

fn category_names(codes: &[f64], labels: Option<&[String]>) -> Vec<String> {
    codes
        .iter()
        .map(|c| match labels {
            Some(l) => l.get(*c as usize).cloned().unwrap_or_default(),
            None => format!("{c}"),
        })
        .collect()
}

/// Cohen's kappa for two raters, unweighted or weighted (as `framewright stats kappa`).
#[utoipa::path(post, path = "/stats/kappa", tag = "stats",
    request_body(content = KappaBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`kappa`, `ci95`, the agreement table … as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn kappa(_caller: Caller, ApiJson(body): ApiJson<KappaBody>) -> ApiResult<Json<Value>> {
    compute(move || {
        let weights = match body.weights {
            Weights::None => KappaWeights::Unweighted,
            Weights::Linear => KappaWeights::Linear,
            Weights::Quadratic => KappaWeights::Quadratic,
        };
        let (t, labels, names) = categories(
            &body.columns,
            &body.rows,
            weights == KappaWeights::Unweighted,
        )?;
        if t.n_cols() != 2 {
            return Err(Problem::invalid(format!(
                "Cohen's kappa compares exactly two raters; the rows have {} ratings (use fleiss or krippendorff for more)",
                t.n_cols()
            ))
            .with_field("/rows/0", "each row needs exactly two ratings"));
        }
        let r1: Vec<Option<f64>> = (0..t.n_rows()).map(|r| t.get(r, 0)).collect();
        let r2: Vec<Option<f64>> = (0..t.n_rows()).map(|r| t.get(r, 1)).collect();
        let r = cohen_kappa(&r1, &r2, weights, 0.95).map_err(|e| problem(e, &names))?;
        let mut v = to_json(&r)?;
        v["categories"] = json!(category_names(&r.categories, labels.as_deref()));
        Ok(v)
    })
    .await
}

/// Fleiss' kappa request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FleissBody {
    /// Rater names; default 1, 2, ….
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// One row per case, one category (number or word) per rater; rows with a missing rating
    /// are left out.
    pub rows: Vec<Vec<Option<Cell>>>,
}

/// Fleiss' kappa for several raters (as `framewright stats fleiss`).
#[utoipa::path(post, path = "/stats/fleiss", tag = "stats",
    request_body(content = FleissBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`kappa`, category proportions … as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn fleiss(_caller: Caller, ApiJson(body): ApiJson<FleissBody>) -> ApiResult<Json<Value>> {
    compute(move || {
        let (t, labels, names) = categories(&body.columns, &body.rows, true)?;
        let r = fleiss_kappa(&t).map_err(|e| problem(e, &names))?;
        let mut v = to_json(&r)?;
        v["categories"] = json!(category_names(&r.categories, labels.as_deref()));
        Ok(v)
    })
    .await
}

/// Level of measurement for Krippendorff's alpha.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
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
#[derive(Debug, Deserialize, ToSchema)]
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

/// Krippendorff's alpha, missing ratings allowed (as `framewright stats krippendorff`).
#[utoipa::path(post, path = "/stats/krippendorff", tag = "stats",
    request_body(content = KrippendorffBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`alpha`, observed and expected disagreement … as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn krippendorff(
    _caller: Caller,
    ApiJson(body): ApiJson<KrippendorffBody>,
) -> ApiResult<Json<Value>> {
    compute(move || {
        let level = match body.level {
            Level::Nominal => KrippendorffLevel::Nominal,
            Level::Ordinal => KrippendorffLevel::Ordinal,
            Level::Interval => KrippendorffLevel::Interval,
            Level::Ratio => KrippendorffLevel::Ratio,
        };
        let (t, _, names) = categories(
            &body.columns,
            &body.rows,
            level == KrippendorffLevel::Nominal,
        )?;
        let r = krippendorff_alpha(&t, level).map_err(|e| problem(e, &names))?;
        to_json(&r)
    })
    .await
}

/// rwg request.
#[derive(Debug, Deserialize, ToSchema)]
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

/// rwg per item and rwg(j) for the set (as `framewright stats rwg`).
#[utoipa::path(post, path = "/stats/rwg", tag = "stats",
    request_body(content = RwgBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`rwg_j` and `items` as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn rwg(_caller: Caller, ApiJson(body): ApiJson<RwgBody>) -> ApiResult<Json<Value>> {
    compute(move || {
        let t = matrix(&MatrixBody {
            columns: body.columns,
            rows: body.rows,
        })?;
        let columns = t.columns().to_vec();
        let r = agreement::rwg_table(&t, body.options).map_err(|e| problem(e, &columns))?;
        to_json(&r)
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// factor analysis and IRT

/// Number of factors: a whole number, or "auto" for parallel analysis.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Factors {
    /// This many factors.
    Fixed(usize),
    /// "auto": parallel analysis decides.
    Auto(String),
}

/// Extraction method.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
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
#[derive(Debug, Deserialize, ToSchema)]
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

/// Exploratory factor analysis: KMO, Bartlett, parallel analysis, loadings, communalities,
/// factor correlations, Heywood warnings (as `framewright stats efa`).
#[utoipa::path(post, path = "/stats/efa", tag = "stats", operation_id = "efa",
    request_body(content = EfaBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The factor analysis as the CLI writes it", body = Object),
        (status = 422, description = "The data or options cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn efa_route(_caller: Caller, ApiJson(body): ApiJson<EfaBody>) -> ApiResult<Json<Value>> {
    let factors = match &body.factors {
        None => FactorCount::ParallelAnalysis,
        Some(Factors::Auto(text)) if text.eq_ignore_ascii_case("auto") => {
            FactorCount::ParallelAnalysis
        }
        Some(Factors::Fixed(n)) => FactorCount::Fixed(*n),
        Some(Factors::Auto(text)) if text.trim().parse::<usize>().is_ok() => {
            FactorCount::Fixed(text.trim().parse().unwrap_or_default())
        }
        Some(Factors::Auto(text)) => {
            return Err(Problem::invalid(format!(
                "/factors: a whole number or \"auto\", not \"{text}\""
            ))
            .with_field("/factors", "a whole number or \"auto\""));
        }
    };
    let iterations = body.iterations.unwrap_or(100);
    if iterations > 1000 {
        return Err(
            Problem::invalid("/iterations: at most 1000 random data sets")
                .with_field("/iterations", "at most 1000"),
        );
    }
    compute(move || {
        let columns = column_names(&body.columns, width(&body.rows));
        let t = Table::from_rows(columns.clone(), &body.rows).map_err(|e| problem(e, &columns))?;
        let opts = EfaOptions {
            factors,
            extraction: match body.method {
                ExtractionArg::Minres => Extraction::Minres,
                ExtractionArg::Pa => Extraction::PrincipalAxis,
                ExtractionArg::Ml => Extraction::MaximumLikelihood,
            },
            rotation: match body.rotation {
                RotationArg::Varimax => Rotation::Varimax,
                RotationArg::Promax => Rotation::Promax,
                RotationArg::Oblimin => Rotation::Oblimin,
                RotationArg::None => Rotation::None,
            },
            missing: body.missing.into(),
            parallel: ParallelOptions {
                iterations,
                seed: body.seed.unwrap_or(20_240_429),
                ..Default::default()
            },
            ..Default::default()
        };
        let r = efa::factor_analysis(&t, &opts).map_err(|e| problem(e, &columns))?;
        to_json(&r)
    })
    .await
}

/// IRT model.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
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
#[derive(Debug, Deserialize, ToSchema)]
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

/// Rasch or 2PL by marginal maximum likelihood (as `framewright stats irt`).
#[utoipa::path(post, path = "/stats/irt", tag = "stats",
    request_body(content = IrtBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Item parameters with standard errors, test information, (persons) as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn irt(_caller: Caller, ApiJson(body): ApiJson<IrtBody>) -> ApiResult<Json<Value>> {
    let points = body.quadrature_points.unwrap_or(21);
    if !(5..=101).contains(&points) {
        return Err(Problem::invalid("/quadrature_points: between 5 and 101")
            .with_field("/quadrature_points", "between 5 and 101"));
    }
    compute(move || {
        let columns = column_names(&body.columns, width(&body.rows));
        let t = Table::from_rows(columns.clone(), &body.rows).map_err(|e| problem(e, &columns))?;
        let opts = IrtOptions {
            model: match body.model {
                ModelArg::Rasch => IrtModel::Rasch,
                ModelArg::TwoPl => IrtModel::TwoPl,
            },
            quadrature: Quadrature::GaussHermite(points),
            ..Default::default()
        };
        let r = fit_irt(&t, &opts).map_err(|e| problem(e, &columns))?;
        let mut v = to_json(&r)?;
        if let (false, Some(o)) = (body.persons, v.as_object_mut()) {
            o.remove("persons");
        }
        Ok(v)
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// fairness and cut scores

/// One applicant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// The applicant's group.
    pub group: String,
    /// Whether the applicant was selected.
    pub selected: bool,
}

/// Counts of one group.
#[derive(Debug, Deserialize, ToSchema)]
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
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdverseImpactBody {
    /// One entry per applicant (give this or `groups`).
    pub applicants: Option<Vec<Applicant>>,
    /// Applicant and selected counts per group (give this or `applicants`).
    pub groups: Option<Vec<GroupCount>>,
    /// Impact ratio below which a group is flagged (default 0.8).
    pub threshold: Option<f64>,
}

/// Adverse impact: selection rates, impact ratios, the four-fifths rule, Fisher's exact test
/// and the two-proportion z-test (as `framewright stats adverse-impact`).
#[utoipa::path(post, path = "/stats/adverse-impact", tag = "stats", operation_id = "adverse_impact",
    request_body(content = AdverseImpactBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`groups` [{`group`, `applicants`, `selected`, `rate`, `impact_ratio`, …}], `four_fifths_violation`, warnings, as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn adverse_impact_route(
    _caller: Caller,
    ApiJson(body): ApiJson<AdverseImpactBody>,
) -> ApiResult<Json<Value>> {
    let groups: Vec<GroupCounts> =
        match (&body.applicants, &body.groups) {
            (Some(applicants), None) => {
                count_groups(applicants.iter().map(|a| (a.group.as_str(), a.selected)))
            }
            (None, Some(groups)) => {
                for (i, g) in groups.iter().enumerate() {
                    if g.selected > g.applicants {
                        return Err(Problem::invalid(format!(
                            "/groups/{i}/selected: {} selected of {} applicants",
                            g.selected, g.applicants
                        ))
                        .with_field(
                            format!("/groups/{i}/selected"),
                            "more selected than applied",
                        ));
                    }
                }
                groups
                    .iter()
                    .map(|g| GroupCounts {
                        group: g.group.clone(),
                        applicants: g.applicants,
                        selected: g.selected,
                    })
                    .collect()
            }
            _ => {
                return Err(Problem::invalid(
                "give either `applicants` (one entry per applicant) or `groups` (counts per group)",
            )
            .with_field("/applicants", "give applicants or groups, not both or neither"));
            }
        };
    let threshold = body.threshold.unwrap_or(0.8);
    compute(move || {
        let opts = AdverseImpactOptions {
            threshold,
            ..Default::default()
        };
        let r = adverse_impact(&groups, &opts).map_err(|e| {
            let mut p = problem(e, &[]);
            for f in &mut p.errors {
                if f.pointer == "/rows" {
                    f.pointer = "/groups".into();
                }
            }
            p
        })?;
        to_json(&r)
    })
    .await
}

/// DIF request.
#[derive(Debug, Deserialize, ToSchema)]
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

/// Mantel–Haenszel DIF with the ETS A/B/C classes (as `framewright stats dif`).
#[utoipa::path(post, path = "/stats/dif", tag = "stats",
    request_body(content = DifBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Per item: MH odds ratio, delta, chi², ETS class, as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn dif(_caller: Caller, ApiJson(body): ApiJson<DifBody>) -> ApiResult<Json<Value>> {
    if body.groups.len() != body.rows.len() {
        return Err(Problem::invalid(format!(
            "/groups: {} groups for {} rows; give one group per row",
            body.groups.len(),
            body.rows.len()
        ))
        .with_field("/groups", "one group per row"));
    }
    if !body.groups.contains(&body.focal) {
        return Err(
            Problem::invalid(format!("/focal: no row is in the group \"{}\"", body.focal))
                .with_field("/focal", "not one of the groups"),
        );
    }
    compute(move || {
        let keep: Vec<usize> = (0..body.rows.len())
            .filter(|&i| match &body.reference {
                Some(r) => body.groups[i] == body.focal || &body.groups[i] == r,
                None => true,
            })
            .collect();
        let columns = column_names(&body.columns, width(&body.rows));
        let all =
            Table::from_rows(columns.clone(), &body.rows).map_err(|e| problem(e, &columns))?;
        let t = all.select_rows(&keep);
        let is_focal: Vec<bool> = keep.iter().map(|&i| body.groups[i] == body.focal).collect();
        let r = dif_mantel_haenszel(&t, &is_focal, 0.05).map_err(|e| problem(e, &columns))?;
        to_json(&r)
    })
    .await
}

/// Modified Angoff request.
#[derive(Debug, Deserialize, ToSchema)]
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

/// Modified Angoff cut score with SE and SEM bands (as `framewright stats angoff`).
#[utoipa::path(post, path = "/stats/angoff", tag = "stats",
    request_body(content = AngoffBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The cut score, judges and items as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn angoff(_caller: Caller, ApiJson(body): ApiJson<AngoffBody>) -> ApiResult<Json<Value>> {
    compute(move || {
        let columns = column_names(&body.columns, width(&body.rows));
        let t = Table::from_rows(columns.clone(), &body.rows).map_err(|e| problem(e, &columns))?;
        let opts = AngoffOptions {
            z: body.z.unwrap_or(1.0),
            test_sd: body.test_sd,
            reliability: body.reliability,
            expected_scores: body.expected_scores,
        };
        let r = modified_angoff(&t, &opts).map_err(|e| problem(e, &columns))?;
        to_json(&r)
    })
    .await
}

/// One person of a contrasting-groups study.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The test score.
    pub score: f64,
    /// Whether experts judged the person competent.
    pub competent: bool,
}

/// Contrasting groups request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContrastingGroupsBody {
    /// One entry per person.
    pub people: Vec<Person>,
    /// How much worse a false pass is than a false fail (default 1).
    pub false_pass_cost: Option<f64>,
}

/// Contrasting groups cut score (as `framewright stats contrasting-groups`).
#[utoipa::path(post, path = "/stats/contrasting-groups", tag = "stats", operation_id = "contrasting_groups",
    request_body(content = ContrastingGroupsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The cut with the fewest weighted misclassifications and the logistic 50 % point, as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn contrasting_groups_route(
    _caller: Caller,
    ApiJson(body): ApiJson<ContrastingGroupsBody>,
) -> ApiResult<Json<Value>> {
    compute(move || {
        let scores: Vec<f64> = body.people.iter().map(|p| p.score).collect();
        let competent: Vec<bool> = body.people.iter().map(|p| p.competent).collect();
        let r = contrasting_groups(&scores, &competent, body.false_pass_cost.unwrap_or(1.0))
            .map_err(|e| {
                let mut p = problem(e, &[]);
                for f in &mut p.errors {
                    if let Some(rest) = f.pointer.strip_prefix("/rows") {
                        f.pointer = format!("/people{rest}");
                    }
                }
                p
            })?;
        to_json(&r)
    })
    .await
}
