//! Frameworks: list, create, read, update, delete; revisions, diff, revert, publish,
//! releases, review dates and lint.
//!
//! A framework document is the framework file format itself (JSON), so what `GET` returns can
//! be edited and sent back with `PUT`. Every save makes an immutable revision; the revision
//! number is the ETag, and every write to an existing framework must name the revision it is
//! based on in `If-Match` (412 and nothing changed when it is stale).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use framewright_model::diff::diff;
use framewright_model::lint::{self, Severity};
use framewright_model::{Framework, ReviewDates, Status, validate};
use framewright_store::{FrameworkFilter, FrameworkRecord, NewRelease, Replacement, StoreResult};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
use crate::dto::{
    DiffReport, FrameworkDoc, FrameworkPage, FrameworkSummary, LintFinding, LintReport,
    PublishBody, ReleaseInfo, RevertBody, ReviewBody, RevisionPage, today,
};
use crate::extract::{ApiJson, ApiPath, ApiQuery, IfMatch, PageQuery, etag, parse_etag};
use crate::problem::responses as problems;
use crate::problem::{ApiResult, FieldError, Problem};
use crate::state::{AppState, CachedFramework};

/// Filters of the framework list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FrameworkListQuery {
    /// Only this status: draft, in_review, published or retired.
    pub status: Option<String>,
    /// Only frameworks with a review due today or overdue.
    pub review_due: Option<bool>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1 … 200.
    pub per_page: Option<u32>,
}

/// The revision message of a save.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SaveQuery {
    /// What changed, in your words (kept with the revision).
    pub message: Option<String>,
}

/// The two revisions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older revision.
    pub from: i64,
    /// The newer revision (default: the current one).
    pub to: Option<i64>,
}

/// Which revision to lint.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LintQuery {
    /// The revision (default: the current one).
    pub revision: Option<i64>,
}

/// A framework's path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FrameworkPath {
    /// The framework's identifier.
    pub id: Uuid,
}

/// A revision's path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RevisionPath {
    /// The framework's identifier.
    pub id: Uuid,
    /// The revision number.
    pub number: i64,
}

/// Answers a framework document with its ETag.
pub(crate) fn document(
    content: impl Into<axum::body::Body>,
    revision: i64,
    status: StatusCode,
) -> Response {
    let mut response = (status, content.into()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    set_etag(&mut response, revision);
    response
}

/// Names `revision` in the response's `ETag` header.
fn set_etag(response: &mut Response, revision: i64) {
    if let Ok(value) = HeaderValue::from_str(&etag(revision)) {
        response.headers_mut().insert(header::ETAG, value);
    }
}

/// Saves `framework` as a new revision on top of the client's `If-Match` revision and answers
/// the new document: the one ending of the API's update, revert and review.
async fn save_and_answer(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    if_match: IfMatch,
    framework: &Framework,
    message: &str,
) -> ApiResult<Response> {
    let record = save_revision(state, caller, id, if_match.0, framework, message).await?;
    Ok(document(
        record.content,
        record.summary.revision,
        StatusCode::OK,
    ))
}

fn not_found() -> Problem {
    Problem::not_found("no framework with this id in your organisation")
}

/// Checks a framework sent by a client: structurally valid, and not claiming `published`
/// (only `POST …/publish` publishes).
fn check_document(state: &AppState, framework: &Framework) -> ApiResult<()> {
    check_limits(state, framework)?;
    let mut errors = validation_errors(framework);
    // Only web addresses are stored as links (a CASE file's `urn:` is fine in a file, not here).
    for (i, source) in framework.sources.iter().enumerate() {
        if let Some(url) = &source.url
            && !framewright_model::text::is_web_url(url)
        {
            errors.push(FieldError {
                pointer: format!("/sources/{i}/url"),
                detail: "a source's address must be a web address starting with https:// or http://; remove it or give the web address".into(),
                code: Some("url-not-web".into()),
            });
        }
    }
    if framework.status == Status::Published {
        errors.push(FieldError {
            pointer: "/status".into(),
            detail: "a framework is published with POST /api/v1/frameworks/{id}/publish; save it as draft, in_review or retired".into(),
            code: Some("status-published".into()),
        });
    }
    if errors.is_empty() {
        return Ok(());
    }
    let mut problem = Problem::invalid(format!(
        "the framework is not valid: {} problem(s), first at {}: {}",
        errors.len(),
        errors[0].pointer,
        errors[0].detail
    ));
    problem.errors = errors;
    Err(problem)
}

/// Checks a framework against the size limits (competencies, lengths of texts) before it is
/// stored.
pub(crate) fn check_limits(state: &AppState, framework: &Framework) -> ApiResult<()> {
    let issues = state.settings().limits.check_framework(framework);
    if issues.is_empty() {
        Ok(())
    } else {
        Err(Problem::limits("the framework", &issues))
    }
}

async fn current(state: &AppState, caller: &Caller, id: Uuid) -> ApiResult<FrameworkRecord> {
    state
        .store()
        .framework(caller.principal.org_id, id)
        .await?
        .ok_or_else(not_found)
}

/// List the organisation's frameworks.
#[utoipa::path(
    get,
    path = "/frameworks",
    tag = "frameworks",
    params(FrameworkListQuery),
    responses(
        (status = 200, description = "One page of frameworks", body = FrameworkPage),
        problems::NotSignedIn,
    )
)]
pub async fn list_frameworks(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<FrameworkListQuery>,
) -> ApiResult<Json<FrameworkPage>> {
    let page = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let day = today();
    let filter = FrameworkFilter {
        status: query.status.clone(),
        review_due_by: query.review_due.unwrap_or(false).then(|| day.to_string()),
    };
    let found = state
        .store()
        .list_frameworks(caller.principal.org_id, &filter, page.request())
        .await?;
    Ok(Json(FrameworkPage::of(found, &page, |s| {
        FrameworkSummary::of(s, day)
    })))
}

/// Create a framework (revision 1).
#[utoipa::path(
    post,
    path = "/frameworks",
    tag = "frameworks",
    params(SaveQuery),
    request_body(content = FrameworkDoc, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; `Location` names it, `ETag` is `\"1\"`", body = FrameworkDoc,
            headers(("Location" = String, description = "URL of the new framework"), ("ETag" = String, description = "Revision"))),
        problems::UnreadableJson,
        problems::RoleMayNotCreate,
        problems::FrameworkIdTaken,
        problems::BodyTooLarge,
        problems::InvalidFrameworkFields,
    )
)]
pub async fn create_framework(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SaveQuery>,
    ApiJson(framework): ApiJson<Framework>,
) -> ApiResult<Response> {
    let message = query.message.unwrap_or_else(|| "Created".into());
    let record = create(&state, &caller, &framework, &message).await?;
    let mut response = document(record.content, record.summary.revision, StatusCode::CREATED);
    if let Ok(location) =
        HeaderValue::from_str(&format!("/api/v1/frameworks/{}", record.summary.id))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Saves `framework` as a new revision on top of revision `base` (optimistic concurrency) and
/// drops the framework from the read cache whatever the outcome. Every save goes through here
/// (the API's update, revert and review, the web editor), so none can leave a stale cached copy.
pub(crate) async fn save_revision(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    base: i64,
    framework: &Framework,
    message: &str,
) -> StoreResult<FrameworkRecord> {
    let saved = state
        .store()
        .save_revision(
            caller.principal.org_id,
            caller.principal.user_id,
            id,
            Some(base),
            framework,
            message,
        )
        .await;
    state.forget_framework(id);
    saved
}

/// Creates a framework as revision 1: the caller may edit, the document is valid and not
/// `published`. The one code path of `POST /api/v1/frameworks` and the web pages.
pub(crate) async fn create(
    state: &AppState,
    caller: &Caller,
    framework: &Framework,
    message: &str,
) -> ApiResult<FrameworkRecord> {
    caller.require_editor()?;
    check_document(state, framework)?;
    Ok(state
        .store()
        .create_framework(
            caller.principal.org_id,
            caller.principal.user_id,
            framework,
            message,
        )
        .await?)
}

/// Read a framework's current revision. Sends `304` when `If-None-Match` names it.
#[utoipa::path(
    get,
    path = "/frameworks/{id}",
    tag = "frameworks",
    params(FrameworkPath),
    responses(
        (status = 200, description = "The framework document", body = FrameworkDoc,
            headers(("ETag" = String, description = "The current revision, `\"<n>\"`"))),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        problems::NoSuchFramework,
    )
)]
pub async fn get_framework(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let key = path.id.to_string();
    let cache = &state.inner.frameworks;
    let cached = match cache.get(&key).filter(|c| c.org == caller.principal.org_id) {
        Some(hit) => hit,
        None => {
            let generation = cache.generation();
            let record = current(&state, &caller, path.id).await?;
            let fresh = CachedFramework {
                org: caller.principal.org_id,
                revision: record.summary.revision,
                content: record.content.into(),
            };
            cache.insert_if_unchanged(generation, key, fresh.clone());
            fresh
        }
    };
    let revision = cached.revision;
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| parse_etag(t) == Some(revision)))
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        set_etag(&mut response, revision);
        return Ok(response);
    }
    Ok(document(cached.content, revision, StatusCode::OK))
}

/// Save a new revision of a framework.
#[utoipa::path(
    put,
    path = "/frameworks/{id}",
    tag = "frameworks",
    params(FrameworkPath, SaveQuery,
        ("If-Match" = String, Header, description = "ETag of the revision the change is based on")),
    request_body(content = FrameworkDoc, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved as a new revision", body = FrameworkDoc,
            headers(("ETag" = String, description = "The new revision"))),
        problems::NoSuchFramework,
        problems::FrameworkChangedNotSaved,
        problems::InvalidFramework,
        problems::IfMatchMissing,
    )
)]
pub async fn update_framework(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    if_match: IfMatch,
    ApiQuery(query): ApiQuery<SaveQuery>,
    ApiJson(framework): ApiJson<Framework>,
) -> ApiResult<Response> {
    caller.require_editor()?;
    check_document(&state, &framework)?;
    let message = query.message.unwrap_or_else(|| "Edited".into());
    save_and_answer(&state, &caller, path.id, if_match, &framework, &message).await
}

/// Delete a framework with its revisions, releases and comments (the audit log keeps the
/// record).
#[utoipa::path(
    delete,
    path = "/frameworks/{id}",
    tag = "frameworks",
    params(FrameworkPath,
        ("If-Match" = String, Header, description = "ETag of the current revision")),
    responses(
        (status = 204, description = "Deleted"),
        problems::NoSuchFramework,
        problems::FrameworkChangedNotDeleted,
        problems::IfMatchMissing,
    )
)]
pub async fn delete_framework(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    if_match: IfMatch,
) -> ApiResult<StatusCode> {
    caller.require_editor()?;
    let deleted = state
        .store()
        .delete_framework(
            caller.principal.org_id,
            caller.principal.user_id,
            path.id,
            Some(if_match.0),
        )
        .await;
    state.forget_framework(path.id);
    deleted?;
    Ok(StatusCode::NO_CONTENT)
}

/// A framework's summary: status, revision, latest release and review dates with what is due.
#[utoipa::path(
    get,
    path = "/frameworks/{id}/summary",
    tag = "frameworks",
    params(FrameworkPath),
    responses(
        (status = 200, description = "Summary", body = FrameworkSummary),
        problems::NoSuchFramework,
    )
)]
pub async fn framework_summary(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
) -> ApiResult<Json<FrameworkSummary>> {
    let record = current(&state, &caller, path.id).await?;
    Ok(Json(FrameworkSummary::of(record.summary, today())))
}

/// A framework's revisions, newest first.
#[utoipa::path(
    get,
    path = "/frameworks/{id}/revisions",
    tag = "revisions",
    params(FrameworkPath, PageQuery),
    responses(
        (status = 200, description = "One page of revisions", body = RevisionPage),
        problems::NoSuchFramework,
    )
)]
pub async fn list_revisions(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<RevisionPage>> {
    let found = state
        .store()
        .list_revisions(caller.principal.org_id, path.id, page.request())
        .await
        .map_err(|e| match e {
            framewright_store::StoreError::NotFound => not_found(),
            other => other.into(),
        })?;
    Ok(Json(RevisionPage::of(found, &page, Into::into)))
}

/// One revision's content (revisions never change).
#[utoipa::path(
    get,
    path = "/frameworks/{id}/revisions/{number}",
    tag = "revisions",
    params(RevisionPath),
    responses(
        (status = 200, description = "The framework as it was at that revision", body = FrameworkDoc,
            headers(("ETag" = String, description = "The revision"))),
        problems::NoSuchRevision,
    )
)]
pub async fn get_revision(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<RevisionPath>,
) -> ApiResult<Response> {
    let revision = state
        .store()
        .revision(caller.principal.org_id, path.id, path.number)
        .await?
        .ok_or_else(|| {
            Problem::not_found("no such revision of a framework in your organisation")
        })?;
    Ok(document(
        revision.content,
        revision.summary.number,
        StatusCode::OK,
    ))
}

async fn revision_framework(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    number: i64,
    parameter: &str,
) -> ApiResult<Framework> {
    let revision = state
        .store()
        .revision(caller.principal.org_id, id, number)
        .await?
        .ok_or_else(|| {
            Problem::not_found(format!(
                "revision {number} of this framework does not exist"
            ))
            .with_field(parameter, "no such revision")
        })?;
    Ok(revision.framework()?)
}

/// Compare two revisions: competencies added and removed, fields, levels, indicators and
/// targets changed.
#[utoipa::path(
    get,
    path = "/frameworks/{id}/diff",
    tag = "revisions",
    params(FrameworkPath, DiffQuery),
    responses(
        (status = 200, description = "What differs from `from` to `to`", body = DiffReport),
        problems::NoSuchRevision,
    )
)]
pub async fn diff_revisions(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> ApiResult<Json<DiffReport>> {
    let record = current(&state, &caller, path.id).await?;
    let to = query.to.unwrap_or(record.summary.revision);
    let before = revision_framework(&state, &caller, path.id, query.from, "from").await?;
    let after = if to == record.summary.revision {
        record.framework()?
    } else {
        revision_framework(&state, &caller, path.id, to, "to").await?
    };
    Ok(Json(DiffReport {
        from: query.from,
        to,
        diff: diff(&before, &after),
    }))
}

/// Go back to an earlier revision: its content becomes a new revision (history is kept).
#[utoipa::path(
    post,
    path = "/frameworks/{id}/revert",
    tag = "revisions",
    params(FrameworkPath,
        ("If-Match" = String, Header, description = "ETag of the current revision")),
    request_body(content = RevertBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The new revision", body = FrameworkDoc,
            headers(("ETag" = String, description = "The new revision"))),
        problems::NoSuchRevision,
        problems::FrameworkChanged,
        problems::IfMatchMissing,
    )
)]
pub async fn revert_framework(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<RevertBody>,
) -> ApiResult<Response> {
    caller.require_editor()?;
    let mut old = revision_framework(&state, &caller, path.id, body.revision, "/revision").await?;
    // A revert is a new, unpublished revision even when the old one was a release.
    if old.status == Status::Published {
        old.status = Status::Draft;
    }
    let message = body
        .message
        .unwrap_or_else(|| format!("Revert to revision {}", body.revision));
    save_and_answer(&state, &caller, path.id, if_match, &old, &message).await
}

/// Publish the current revision as a release with a semantic version. Competencies the
/// release replaces are recorded as `replaced_by` relations. The first release starts the
/// review cycle (annual review in a year, thorough update in three).
#[utoipa::path(
    post,
    path = "/frameworks/{id}/publish",
    tag = "releases",
    params(FrameworkPath,
        ("If-Match" = String, Header, description = "ETag of the current revision")),
    request_body(content = PublishBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Published", body = ReleaseInfo,
            headers(("ETag" = String, description = "The revision the release tags"))),
        problems::NoSuchFramework,
        problems::VersionExists,
        problems::FrameworkChangedNotPublished,
        problems::BadVersion,
        problems::IfMatchMissing,
    )
)]
pub async fn publish_framework(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<PublishBody>,
) -> ApiResult<Response> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    let record = current(&state, &caller, path.id).await?;
    let version = semver::Version::parse(body.version.trim()).map_err(|e| {
        Problem::invalid(format!("`{}` is not a semantic version: {e}", body.version)).with_field(
            "/version",
            "write it as MAJOR.MINOR.PATCH, for example 1.0.0",
        )
    })?;
    let releases = state.store().list_releases(org, path.id).await?;
    if let Some(highest) = releases
        .iter()
        .filter_map(|r| semver::Version::parse(&r.version).ok())
        .max()
        && version <= highest
    {
        return Err(Problem::invalid(format!(
            "version {version} is not higher than the latest release {highest}"
        ))
        .with_field("/version", format!("use a version higher than {highest}")));
    }
    let mut framework = record.framework()?;
    // Replacements: `from` was in the previous release and is gone; `to` is in this one.
    let previous = match releases.first() {
        Some(r) => Some(revision_framework(&state, &caller, path.id, r.revision, "version").await?),
        None => None,
    };
    let mut replacements = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in body.replacements.iter().enumerate() {
        let old = previous.as_ref().and_then(|p| p.competency(&r.from));
        match old {
            None => errors.push((
                format!("/replacements/{i}/from"),
                format!("`{}` is not a competency of the previous release", r.from),
            )),
            Some(_) if framework.competency(&r.from).is_some() => errors.push((
                format!("/replacements/{i}/from"),
                format!(
                    "`{}` is still in the framework; only removed competencies are replaced",
                    r.from
                ),
            )),
            Some(old) => {
                if framework.competency(&r.to).is_none() {
                    errors.push((
                        format!("/replacements/{i}/to"),
                        format!("`{}` is not a competency of this framework", r.to),
                    ));
                } else {
                    replacements.push(Replacement {
                        from: r.from.clone(),
                        from_name: old.name.clone(),
                        to: r.to.clone(),
                    });
                }
            }
        }
    }
    if !errors.is_empty() {
        let mut problem = Problem::invalid(format!("{}: {}", errors[0].0, errors[0].1));
        for (pointer, detail) in errors {
            problem = problem.with_field(pointer, detail);
        }
        return Err(problem);
    }
    framework.version = version.clone();
    framework.status = Status::Published;
    if framework.review.next_review.is_none() && framework.review.next_major_update.is_none() {
        framework.review = ReviewDates::starting(today(), state.settings().major_update_years);
    }
    check_valid(&framework)?;
    let published = state
        .store()
        .publish(
            org,
            caller.principal.user_id,
            path.id,
            Some(if_match.0),
            &framework,
            &NewRelease {
                version: version.to_string(),
                notes: body.notes,
                replacements,
            },
        )
        .await;
    state.forget_framework(path.id);
    let (record, release) = published?;
    let mut response = (StatusCode::CREATED, Json(ReleaseInfo::from(release))).into_response();
    set_etag(&mut response, record.summary.revision);
    Ok(response)
}

fn check_valid(framework: &Framework) -> ApiResult<()> {
    let errors = validation_errors(framework);
    if errors.is_empty() {
        return Ok(());
    }
    let mut problem = Problem::invalid("the framework is not valid and cannot be published");
    problem.errors = errors;
    Err(problem)
}

/// The framework's validation problems as the fields of a problem+json answer.
fn validation_errors(framework: &Framework) -> Vec<FieldError> {
    validate::problems(framework)
        .into_iter()
        .map(|e| FieldError {
            pointer: e.path.json_pointer(),
            detail: e.message,
            code: Some(e.code.to_string()),
        })
        .collect()
}

/// A framework's releases, newest first, with the competencies each replaces.
#[utoipa::path(
    get,
    path = "/frameworks/{id}/releases",
    tag = "releases",
    params(FrameworkPath),
    responses(
        (status = 200, description = "Releases", body = [ReleaseInfo]),
        problems::NoSuchFramework,
    )
)]
pub async fn list_releases(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
) -> ApiResult<Json<Vec<ReleaseInfo>>> {
    let releases = state
        .store()
        .list_releases(caller.principal.org_id, path.id)
        .await?;
    Ok(Json(releases.into_iter().map(Into::into).collect()))
}

/// Record a review done today: the annual review (next one in a year) or the thorough update
/// (also sets the next thorough update). Saved as a new revision.
#[utoipa::path(
    post,
    path = "/frameworks/{id}/review",
    tag = "releases",
    params(FrameworkPath,
        ("If-Match" = String, Header, description = "ETag of the current revision")),
    request_body(content = ReviewBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The new revision with the new review dates", body = FrameworkDoc,
            headers(("ETag" = String, description = "The new revision"))),
        problems::NoSuchFramework,
        problems::FrameworkChanged,
        problems::IfMatchMissing,
    )
)]
pub async fn record_review(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<ReviewBody>,
) -> ApiResult<Response> {
    caller.require_editor()?;
    let record = current(&state, &caller, path.id).await?;
    let mut framework = record.framework()?;
    let day = today();
    let years = state.settings().major_update_years;
    let fresh = ReviewDates::starting(day, years);
    framework.review.last_reviewed = Some(day);
    framework.review.next_review = fresh.next_review;
    if body.thorough || framework.review.next_major_update.is_none() {
        framework.review.next_major_update = fresh.next_major_update;
    }
    let message = if body.thorough {
        "Thorough update done"
    } else {
        "Annual review done"
    };
    save_and_answer(&state, &caller, path.id, if_match, &framework, message).await
}

/// Lints `framework` on the heavy-work pool (for `org`, when known): every lint the server
/// does goes through here.
pub(crate) async fn lint_report(
    state: &AppState,
    org: Option<Uuid>,
    framework: &Framework,
) -> ApiResult<LintReport> {
    lint_owned(state, org, framework.clone()).await
}

/// [`lint_report`] on a framework the caller no longer needs.
pub(crate) async fn lint_owned(
    state: &AppState,
    org: Option<Uuid>,
    framework: Framework,
) -> ApiResult<LintReport> {
    let shared = state.clone();
    state
        .heavy()
        .run(org, "the check", move || lint_now(&shared, &framework))
        .await
}

fn lint_now(state: &AppState, framework: &Framework) -> LintReport {
    let findings = lint::lint(framework, &state.inner.vocabulary, &state.inner.lint_limits);
    LintReport {
        errors: findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count(),
        warnings: findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count(),
        findings: findings
            .into_iter()
            .map(|f| LintFinding {
                code: f.code.to_string(),
                severity: f.severity.as_str().to_string(),
                pointer: f.path.json_pointer(),
                field: f.path.to_string(),
                message: f.message,
                suggestion: f.suggestion,
            })
            .collect(),
    }
}

/// Lint a stored framework (current revision, or `?revision=`).
#[utoipa::path(
    get,
    path = "/frameworks/{id}/lint",
    tag = "lint",
    params(FrameworkPath, LintQuery),
    responses(
        (status = 200, description = "Findings", body = LintReport),
        problems::NoSuchRevision,
    )
)]
pub async fn lint_framework(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    ApiQuery(query): ApiQuery<LintQuery>,
) -> ApiResult<Json<LintReport>> {
    let framework = match query.revision {
        Some(n) => revision_framework(&state, &caller, path.id, n, "revision").await?,
        None => current(&state, &caller, path.id).await?.framework()?,
    };
    let org = caller.principal.org_id;
    Ok(Json(lint_owned(&state, Some(org), framework).await?))
}

/// Lint a framework document sent in the body (nothing is stored): the editor's live check.
#[utoipa::path(
    post,
    path = "/lint",
    tag = "lint",
    request_body(content = FrameworkDoc, content_type = "application/json"),
    responses(
        (status = 200, description = "Findings (validation problems are errors)", body = LintReport),
        problems::UnreadableJson,
        problems::NotAFramework,
    )
)]
pub async fn lint_document(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(framework): ApiJson<Framework>,
) -> ApiResult<Json<LintReport>> {
    let org = caller.principal.org_id;
    Ok(Json(lint_owned(&state, Some(org), framework).await?))
}
