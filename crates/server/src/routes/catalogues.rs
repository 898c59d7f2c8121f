//! Catalogues (built-in and the organisation's own) and competency search.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use framewright_model::text::is_web_url;
use framewright_model::{Catalogue, Competency};
use framewright_store::CompetencyQuery;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::dto::{
    CatalogueDoc, CataloguePage, CatalogueSummary, CompetencyDoc, CompetencyHit, CompetencyPage,
};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery};
use crate::problem::responses as problems;
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// A catalogue's path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CataloguePath {
    /// The catalogue's id (`opm-ai-2024`).
    pub catalogue: String,
}

/// A competency's path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CompetencyPath {
    /// The catalogue's id.
    pub catalogue: String,
    /// The competency's id in the catalogue.
    pub competency: String,
}

/// A competency search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to look for: competencies whose name, alternative labels or definition contain
    /// all of them and, when the server has a sentence-embedding model, those close in meaning
    /// (best first).
    pub q: Option<String>,
    /// Only this catalogue.
    pub catalogue: Option<String>,
    /// Only this kind: general, technical, knowledge, skill, ability, unspecified.
    pub kind: Option<String>,
    /// Only competencies OPM confirmed (X) for selection at this grade (`GS-13`).
    pub grade: Option<String>,
    /// Only competencies ranked this high or higher on OPM's current importance (1 = most
    /// important).
    pub max_rank: Option<u32>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1 … 200.
    pub per_page: Option<u32>,
}

/// List the built-in catalogues and the organisation's own.
#[utoipa::path(
    get,
    path = "/catalogues",
    tag = "catalogues",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of catalogues", body = CataloguePage),
        problems::NotSignedIn,
    )
)]
pub async fn list_catalogues(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<CataloguePage>> {
    let found = state
        .store()
        .list_catalogues(caller.principal.org_id, page.request())
        .await?;
    Ok(Json(CataloguePage::of(found, &page, Into::into)))
}

pub(crate) fn check_catalogue(
    limits: &framewright_model::Limits,
    catalogue: &Catalogue,
) -> ApiResult<()> {
    let issues = limits.check_catalogue(catalogue);
    if !issues.is_empty() {
        return Err(Problem::limits("the catalogue", &issues));
    }
    let mut problem = Problem::invalid("the catalogue is not valid");
    let id_ok = !catalogue.id.is_empty()
        && catalogue.id.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
        });
    if !id_ok {
        problem = problem.with_field(
            "/id",
            "the catalogue id must be lowercase letters, digits, `-`, `.` or `_` (for example `acme-skills`)",
        );
    }
    if catalogue.name.trim().is_empty() {
        problem = problem.with_field("/name", "the catalogue needs a name");
    }
    if catalogue.licence.trim().is_empty() {
        problem = problem.with_field(
            "/licence",
            "say under which licence or terms the content may be used",
        );
    }
    if let Some(url) = &catalogue.url
        && !is_web_url(url)
    {
        problem = problem.with_field(
            "/url",
            "the address must be a web address starting with https:// or http://",
        );
    }
    let mut seen = std::collections::HashMap::new();
    for (i, c) in catalogue.competencies.iter().enumerate() {
        if c.id.trim().is_empty() {
            problem = problem.with_field(
                format!("/competencies/{i}/id"),
                "every competency needs an id",
            );
        } else if let Some(first) = seen.insert(c.id.as_str(), i) {
            problem = problem.with_field(
                format!("/competencies/{i}/id"),
                format!(
                    "competency id `{}` is used twice (first at /competencies/{first})",
                    c.id
                ),
            );
        }
        if let Some(uri) = &c.uri
            && !is_web_url(uri)
        {
            problem = problem.with_field(
                format!("/competencies/{i}/uri"),
                "the address must be a web address starting with https:// or http://",
            );
        }
        if c.name.trim().is_empty() {
            problem = problem.with_field(
                format!("/competencies/{i}/name"),
                "every competency needs a name",
            );
        }
    }
    if problem.errors.is_empty() {
        Ok(())
    } else {
        problem.detail = format!(
            "the catalogue is not valid: {} problem(s), first at {}: {}",
            problem.errors.len(),
            problem.errors[0].pointer,
            problem.errors[0].detail
        );
        Err(problem)
    }
}

/// Import a catalogue of the organisation's own (all or nothing).
#[utoipa::path(
    post,
    path = "/catalogues",
    tag = "catalogues",
    request_body(content = CatalogueDoc, content_type = "application/json"),
    responses(
        (status = 201, description = "Imported", body = CatalogueSummary,
            headers(("Location" = String, description = "URL of the catalogue"))),
        problems::RoleMayNotImport,
        problems::CatalogueIdTaken,
        problems::BodyTooLarge,
        problems::InvalidCatalogue,
    )
)]
pub async fn import_catalogue(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(catalogue): ApiJson<Catalogue>,
) -> ApiResult<Response> {
    caller.require_editor()?;
    check_catalogue(&state.inner.settings.limits, &catalogue)?;
    let summary = state
        .store()
        .import_catalogue(
            caller.principal.org_id,
            caller.principal.user_id,
            &catalogue,
        )
        .await?;
    let mut response = (StatusCode::CREATED, Json(CatalogueSummary::from(summary))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/catalogues/{}", catalogue.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Read a whole catalogue.
#[utoipa::path(
    get,
    path = "/catalogues/{catalogue}",
    tag = "catalogues",
    params(CataloguePath),
    responses(
        (status = 200, description = "The catalogue", body = CatalogueDoc),
        problems::NoSuchCatalogue,
    )
)]
pub async fn get_catalogue(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<CataloguePath>,
) -> ApiResult<Json<Catalogue>> {
    state
        .store()
        .catalogue(caller.principal.org_id, &path.catalogue)
        .await?
        .map(Json)
        .ok_or_else(|| Problem::not_found("no catalogue with this id for your organisation"))
}

/// Delete one of the organisation's own catalogues (built-in ones stay).
#[utoipa::path(
    delete,
    path = "/catalogues/{catalogue}",
    tag = "catalogues",
    params(CataloguePath),
    responses(
        (status = 204, description = "Deleted"),
        problems::RoleMayNotDelete,
        problems::NoSuchOwnCatalogue,
    )
)]
pub async fn delete_catalogue(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<CataloguePath>,
) -> ApiResult<StatusCode> {
    caller.require_editor()?;
    state
        .store()
        .delete_catalogue(
            caller.principal.org_id,
            caller.principal.user_id,
            &path.catalogue,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Read one competency of a catalogue.
#[utoipa::path(
    get,
    path = "/catalogues/{catalogue}/competencies/{competency}",
    tag = "catalogues",
    params(CompetencyPath),
    responses(
        (status = 200, description = "The competency", body = CompetencyDoc),
        problems::NoSuchCompetency,
    )
)]
pub async fn get_competency(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<CompetencyPath>,
) -> ApiResult<Json<Competency>> {
    state
        .store()
        .competency(caller.principal.org_id, &path.catalogue, &path.competency)
        .await?
        .map(Json)
        .ok_or_else(|| Problem::not_found("no such competency in a catalogue of your organisation"))
}

/// Search competencies across catalogues: every word of `q` must appear; filter by
/// catalogue, kind and grade.
#[utoipa::path(
    get,
    path = "/competencies",
    tag = "catalogues",
    params(SearchQuery),
    responses(
        (status = 200, description = "One page of competencies", body = CompetencyPage),
        problems::BadQuery,
    )
)]
pub async fn search_competencies(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> ApiResult<Json<CompetencyPage>> {
    let page = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let search = competency_query(query)?;
    #[cfg(feature = "semantic")]
    if let (Some(semantic), Some(text)) = (state.inner.semantic.clone(), search.text.clone()) {
        let found = by_meaning(
            &state,
            caller.principal.org_id,
            semantic,
            &search,
            &text,
            &page,
        )
        .await?;
        return Ok(Json(CompetencyPage::of(found, &page, |h| CompetencyHit {
            catalogue: h.catalogue,
            competency: h.competency,
        })));
    }
    let found = state
        .store()
        .search_competencies(caller.principal.org_id, &search, page.request())
        .await?;
    Ok(Json(CompetencyPage::of(found, &page, |h| CompetencyHit {
        catalogue: h.catalogue,
        competency: h.competency,
    })))
}

/// The most competencies a search by meaning considers.
#[cfg(feature = "semantic")]
const MEANING_CANDIDATES: i64 = 5000;

/// A search by words and meaning: the competencies that pass the filters, those with all the
/// words first-class and the others when close enough in meaning, ordered by the fused score
/// (one page of it). The catalogues' vectors are cached by the model.
#[cfg(feature = "semantic")]
async fn by_meaning(
    state: &AppState,
    org: uuid::Uuid,
    semantic: std::sync::Arc<framewright_semantic::Semantic>,
    search: &CompetencyQuery,
    text: &str,
    page: &PageQuery,
) -> ApiResult<framewright_store::Paged<framewright_store::CompetencyHit>> {
    use std::collections::{BTreeMap, BTreeSet};
    let all = framewright_store::PageRequest {
        offset: 0,
        limit: MEANING_CANDIDATES,
    };
    let store = state.store();
    let words: BTreeSet<(String, String)> = store
        .search_competencies(org, search, all)
        .await?
        .items
        .into_iter()
        .map(|h| (h.catalogue, h.competency.id))
        .collect();
    let unfiltered = CompetencyQuery {
        text: None,
        ..search.clone()
    };
    let candidates = store
        .search_competencies(org, &unfiltered, all)
        .await?
        .items;
    let ids: BTreeSet<&str> = candidates.iter().map(|h| h.catalogue.as_str()).collect();
    let mut catalogues = Vec::new();
    for id in ids {
        if let Some(c) = store.catalogue(org, id).await? {
            catalogues.push(c);
        }
    }
    let query = text.to_string();
    let weights = state.inner.generator.selection().embeddings.clone();
    let similar = state
        .heavy()
        .run(Some(org), "the search by meaning", move || {
            let mut out = BTreeMap::new();
            for c in &catalogues {
                for (id, s) in semantic.similarities(c, &query)? {
                    out.insert((c.id.clone(), id), s);
                }
            }
            Ok::<_, framewright_generate::embeddings::EmbeddingError>(out)
        })
        .await?
        .map_err(|e| {
            tracing::error!("matching by meaning failed: {e}");
            Problem::internal()
        })?;
    let mut scored: Vec<(f64, framewright_store::CompetencyHit)> = candidates
        .into_iter()
        .filter_map(|h| {
            let key = (h.catalogue.clone(), h.competency.id.clone());
            let meaning = similar.get(&key).copied().unwrap_or(0.0);
            let by_words = if words.contains(&key) { 1.0 } else { 0.0 };
            (by_words > 0.0 || meaning >= weights.search_min_similarity)
                .then_some((by_words + weights.weight * meaning, h))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.catalogue.cmp(&b.1.catalogue))
            .then_with(|| a.1.competency.id.cmp(&b.1.competency.id))
    });
    let request = page.request();
    let total = scored.len() as i64;
    let items = scored
        .into_iter()
        .skip(usize::try_from(request.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(request.limit).unwrap_or(0))
        .map(|(_, h)| h)
        .collect();
    Ok(framewright_store::Paged { items, total })
}

/// The store's competency search for the API's query parameters (the grade checked and
/// written the usual way, empty parameters ignored). Shared by the API and the web pages.
pub(crate) fn competency_query(query: SearchQuery) -> ApiResult<CompetencyQuery> {
    let grade = match query
        .grade
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        Some(text) => Some(
            text.parse::<framewright_model::Grade>()
                .map_err(|e| {
                    Problem::bad_request(e.to_string()).with_field("grade", e.to_string())
                })?
                .to_string(),
        ),
        None => None,
    };
    Ok(CompetencyQuery {
        text: query.q.filter(|q| !q.trim().is_empty()),
        catalogue: query.catalogue.filter(|c| !c.is_empty()),
        kind: query.kind.filter(|k| !k.is_empty()),
        grade,
        max_rank: query.max_rank.map(i64::from),
    })
}
