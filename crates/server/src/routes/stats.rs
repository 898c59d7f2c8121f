//! Statistics (`framewright stats`) over HTTP: `POST /api/v1/stats/{analysis}` for every
//! analysis of `framewright stats`, with the data as JSON instead of a CSV file. Each handler
//! deserialises the body, runs the operation of [`framewright_app::stats`] (the one the CLI
//! runs) off the async threads and answers its result, so the answer is the JSON object
//! `framewright stats <analysis> --format json` prints for the same data and options. Nothing
//! is stored. Data errors are 422 problems whose `errors[].pointer` names the JSON path of the
//! wrong value (`/rows/3/2`, `/columns/1`, `/options`).
//!
//! Matrix data is `{"columns": ["q1", …], "rows": [[4, 5, null], …]}`: one row per respondent,
//! target or judge, one column per item or rater, `null` for a missing value (0 is a real
//! answer). `columns` may be left out (the columns are then named 1, 2, …).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use framewright_app::AppError;
use framewright_app::stats::{
    self, AdverseImpactBody, AlphaBody, AngoffBody, ContrastingGroupsBody, DifBody, EfaBody,
    FleissBody, IccBody, IrtBody, KappaBody, KrippendorffBody, OmegaBody, RwgBody,
};
use serde::Serialize;
use serde_json::Value;
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

/// An operation's error as a problem; wrong data or options are `invalid-data`.
fn problem(e: AppError) -> Problem {
    let invalid = matches!(e, AppError::Invalid { .. });
    let mut p = Problem::from(e);
    if invalid {
        let data = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-data",
            "The statistic cannot be computed from these data",
            "",
        );
        p.kind = data.kind;
        p.title = data.title;
    }
    p
}

/// Runs the operation `f` on the heavy-work pool (factor analysis and IRT can take a while)
/// and answers its result as JSON.
async fn compute<T, F>(state: &AppState, caller: &Caller, f: F) -> ApiResult<Json<Value>>
where
    T: Serialize + Send + 'static,
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
{
    let result = state
        .heavy()
        .run(Some(caller.principal.org_id), "the statistic", f)
        .await?
        .map_err(problem)?;
    serde_json::to_value(&result).map(Json).map_err(|e| {
        tracing::error!(error = %e, "serialising a statistics result");
        Problem::internal()
    })
}

/// Cronbach's alpha with the Feldt interval, standardised alpha, corrected item–total
/// correlations and alpha if item deleted (as `framewright stats alpha --format json`).
#[utoipa::path(post, path = "/stats/alpha", tag = "stats",
    request_body(content = AlphaBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`alpha`, `ci95`, `n_used`, `items` […] as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used; `errors[].pointer` names the value", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn alpha(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<AlphaBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::alpha(&body)).await
}

/// McDonald's omega total from a one-factor model (as `framewright stats omega`).
#[utoipa::path(post, path = "/stats/omega", tag = "stats",
    request_body(content = OmegaBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The omega result as the CLI writes it", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn omega(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<OmegaBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::omega(&body)).await
}

/// All six Shrout & Fleiss intraclass correlations with F tests and intervals (as
/// `framewright stats icc`).
#[utoipa::path(post, path = "/stats/icc", tag = "stats", operation_id = "icc",
    request_body(content = IccBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`icc`: [{`type`, `value`, `f`, `df1`, `df2`, `p`, `ci95`}] as the CLI writes it", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn icc_route(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<IccBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::icc(&body)).await
}

/// Cohen's kappa for two raters, unweighted or weighted (as `framewright stats kappa`).
#[utoipa::path(post, path = "/stats/kappa", tag = "stats",
    request_body(content = KappaBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`kappa`, `ci95`, the agreement table … as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn kappa(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<KappaBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::kappa(&body)).await
}

/// Fleiss' kappa for several raters (as `framewright stats fleiss`).
#[utoipa::path(post, path = "/stats/fleiss", tag = "stats",
    request_body(content = FleissBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`kappa`, category proportions … as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn fleiss(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<FleissBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::fleiss(&body)).await
}

/// Krippendorff's alpha, missing ratings allowed (as `framewright stats krippendorff`).
#[utoipa::path(post, path = "/stats/krippendorff", tag = "stats",
    request_body(content = KrippendorffBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`alpha`, observed and expected disagreement … as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn krippendorff(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<KrippendorffBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::krippendorff(&body)).await
}

/// rwg per item and rwg(j) for the set (as `framewright stats rwg`).
#[utoipa::path(post, path = "/stats/rwg", tag = "stats",
    request_body(content = RwgBody, content_type = "application/json"),
    responses(
        (status = 200, description = "`rwg_j` and `items` as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn rwg(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<RwgBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::rwg(&body)).await
}

/// Exploratory factor analysis: KMO, Bartlett, parallel analysis, loadings, communalities,
/// factor correlations, Heywood warnings (as `framewright stats efa`).
#[utoipa::path(post, path = "/stats/efa", tag = "stats", operation_id = "efa",
    request_body(content = EfaBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The factor analysis as the CLI writes it", body = Object),
        (status = 422, description = "The data or options cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn efa_route(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<EfaBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::efa(&body)).await
}

/// Rasch or 2PL by marginal maximum likelihood (as `framewright stats irt`).
#[utoipa::path(post, path = "/stats/irt", tag = "stats",
    request_body(content = IrtBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Item parameters with standard errors, test information, (persons) as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn irt(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<IrtBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::irt(&body)).await
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
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<AdverseImpactBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::adverse_impact(&body)).await
}

/// Mantel–Haenszel DIF with the ETS A/B/C classes (as `framewright stats dif`).
#[utoipa::path(post, path = "/stats/dif", tag = "stats",
    request_body(content = DifBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Per item: MH odds ratio, delta, chi², ETS class, as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn dif(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<DifBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::dif(&body)).await
}

/// Modified Angoff cut score with SE and SEM bands (as `framewright stats angoff`).
#[utoipa::path(post, path = "/stats/angoff", tag = "stats",
    request_body(content = AngoffBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The cut score, judges and items as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn angoff(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<AngoffBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::angoff(&body)).await
}

/// Contrasting groups cut score (as `framewright stats contrasting-groups`).
#[utoipa::path(post, path = "/stats/contrasting-groups", tag = "stats", operation_id = "contrasting_groups",
    request_body(content = ContrastingGroupsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The cut with the fewest weighted misclassifications and the logistic 50 % point, as the CLI writes them", body = Object),
        (status = 422, description = "The data cannot be used", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn contrasting_groups_route(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ContrastingGroupsBody>,
) -> ApiResult<Json<Value>> {
    compute(&state, &caller, move || stats::contrasting_groups(&body)).await
}
