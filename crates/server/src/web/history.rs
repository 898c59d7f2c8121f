//! A framework's history (`/frameworks/{id}/history`): its revisions with author and time, a
//! readable diff between any two (the model's [`diff`]), revert to a revision, publish the
//! current revision as a release, the releases, and recording a review.
//!
//! Revert, publish and review call the API's own handlers
//! ([`revert_framework`](crate::routes::frameworks::revert_framework),
//! [`publish_framework`](crate::routes::frameworks::publish_framework),
//! [`record_review`](crate::routes::frameworks::record_review)) with the revision the page
//! showed as `If-Match`, so the page and the API cannot differ in what they check or store.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use framewright_model::Framework;
use framewright_model::diff::{ChangeKind, FieldChange, FrameworkDiff, diff};
use framewright_store::{PageRequest, Release};
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::dto::{
    CommentKind, NewCommentBody, PublishBody, ReplacementBody, RevertBody, ReviewBody, today,
};
use crate::extract::{ApiJson, ApiPath, IfMatch};
use crate::problem::Problem;
use crate::routes::accounts::add_comment;
use crate::routes::frameworks::{
    FrameworkPath, delete_framework, publish_framework, record_review, revert_framework,
};
use crate::state::AppState;
use crate::web::frameworks::{load, review_lines, status_label, when};
use crate::web::{Posted, Viewer, problem_page, see_other, status_of, with_notice};

/// `/frameworks/{id}/history`, `…/revert`, `…/publish`, `…/review`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/frameworks/{id}/history", get(history_page))
        .route("/frameworks/{id}/revert", post(revert))
        .route("/frameworks/{id}/publish", post(publish))
        .route("/frameworks/{id}/review", post(review))
        .route("/frameworks/{id}/comments", post(comment))
        .route("/frameworks/{id}/delete", post(delete))
}

/// The page of revisions and the two to compare.
#[derive(Debug, Default, Deserialize)]
pub struct HistoryQuery {
    /// Page of the revision list, from 1.
    page: Option<u32>,
    /// The older revision of the comparison.
    from: Option<i64>,
    /// The newer revision of the comparison.
    to: Option<i64>,
}

const PER_PAGE: u32 = 30;

#[derive(Debug, Serialize)]
struct RevisionRow {
    number: i64,
    message: String,
    author: String,
    created: String,
    release: Option<String>,
}

#[derive(Debug, Serialize)]
struct CommentRow {
    kind: &'static str,
    body: String,
    revision: Option<i64>,
    author: String,
    created: String,
}

fn comment_kind(kind: &str) -> &'static str {
    match kind {
        "approval" => "Approved",
        "changes_requested" => "Changes requested",
        _ => "Comment",
    }
}

#[derive(Debug, Serialize)]
struct ReleaseRow {
    version: String,
    revision: i64,
    notes: Option<String>,
    published: String,
    by: String,
    replacements: Vec<(String, String, String)>,
}

#[derive(Debug, Serialize)]
struct Change {
    field: String,
    before: String,
    after: String,
}

#[derive(Debug, Serialize)]
struct LevelDiff {
    level: u8,
    name: String,
    change: &'static str,
    description: Option<Change>,
    added: Vec<String>,
    removed: Vec<String>,
}

#[derive(Debug, Serialize)]
struct CompetencyDiff {
    name: String,
    fields: Vec<Change>,
    levels: Vec<LevelDiff>,
}

#[derive(Debug, Serialize)]
struct TargetDiff {
    profile: String,
    competency: String,
    change: &'static str,
    before: String,
    after: String,
}

#[derive(Debug, Serialize)]
struct DiffView {
    from: i64,
    to: i64,
    empty: bool,
    fields: Vec<Change>,
    added: Vec<String>,
    removed: Vec<String>,
    changed: Vec<CompetencyDiff>,
    groups: Vec<String>,
    profiles: Vec<String>,
    targets: Vec<TargetDiff>,
    relations: Vec<String>,
}

fn change_word(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

/// A field value for people: text as written, lists of texts one per line, nothing as “(none)”,
/// anything else as short JSON.
fn show(value: &Value) -> String {
    let text = match value {
        Value::Null => "(none)".to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(map) if map.values().all(|v| !v.is_object() && !v.is_array()) => map
            .iter()
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), show(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    if text.chars().count() > 600 {
        let cut: String = text.chars().take(600).collect();
        format!("{cut} …")
    } else {
        text
    }
}

fn change(c: &FieldChange) -> Change {
    let text = |v: &Value| match (c.field.as_str(), v.as_str()) {
        ("status", Some(status)) => status_label(status).to_string(),
        _ => show(v),
    };
    Change {
        field: c.field.replace('_', " "),
        before: text(&c.before),
        after: text(&c.after),
    }
}

fn level_text(level: Option<u8>, weight: Option<f64>) -> String {
    match (level, weight) {
        (None, _) => "—".into(),
        (Some(l), Some(w)) => format!("level {l}, weight {w}"),
        (Some(l), None) => format!("level {l}"),
    }
}

/// One sentence per entry of each list, in list order, told how the list changed it.
fn sentences<T, const N: usize>(
    lists: [(&Vec<T>, &str); N],
    sentence: impl Fn(&T, &str) -> String,
) -> Vec<String> {
    lists
        .iter()
        .flat_map(|(items, what)| items.iter().map(|item| sentence(item, what)))
        .collect()
}

/// The competencies in both revisions that differ: fields and levels, each level named as the
/// newer revision names it (else the older).
fn changed_competencies(
    d: &FrameworkDiff,
    before: &Framework,
    after: &Framework,
) -> Vec<CompetencyDiff> {
    let level_name = |l: u8| {
        after
            .scale
            .level(l)
            .or_else(|| before.scale.level(l))
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    d.competencies_changed
        .iter()
        .map(|c| CompetencyDiff {
            name: c.name.clone(),
            fields: c.fields.iter().map(change).collect(),
            levels: c
                .levels
                .iter()
                .map(|l| LevelDiff {
                    level: l.level,
                    name: level_name(l.level),
                    change: change_word(l.change),
                    description: l.description.as_ref().map(change),
                    added: l.indicators_added.clone(),
                    removed: l.indicators_removed.clone(),
                })
                .collect(),
        })
        .collect()
}

fn diff_view(from: i64, to: i64, before: &Framework, after: &Framework) -> DiffView {
    let d: FrameworkDiff = diff(before, after);
    let name_of = |id: &str| {
        after
            .competency(id)
            .or_else(|| before.competency(id))
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    };
    let profile_of = |id: &str| {
        after
            .role_profiles
            .iter()
            .chain(&before.role_profiles)
            .find(|p| p.id == id)
            .map_or_else(|| id.to_string(), |p| p.title.clone())
    };
    let group_of = |id: &str| {
        after
            .groups
            .iter()
            .chain(&before.groups)
            .find(|g| g.id == id)
            .map_or_else(|| id.to_string(), |g| g.name.clone())
    };
    let groups = sentences(
        [
            (&d.groups_added, "added"),
            (&d.groups_removed, "removed"),
            (&d.groups_changed, "renamed or redescribed"),
        ],
        |g, what| format!("Group “{}” {what}", group_of(g)),
    );
    let profiles = sentences(
        [
            (&d.role_profiles_added, "added"),
            (&d.role_profiles_removed, "removed"),
            (&d.role_profiles_changed, "changed"),
        ],
        |p, what| format!("Role profile “{}” {what}", profile_of(p)),
    );
    let relations = sentences(
        [
            (&d.relations_added, "Added"),
            (&d.relations_removed, "Removed"),
        ],
        |r, what| {
            format!(
                "{what}: {} {} {}",
                name_of(&r.from),
                r.kind.as_str().replace('_', " "),
                name_of(&r.to)
            )
        },
    );
    DiffView {
        from,
        to,
        empty: d.is_empty(),
        fields: d.fields.iter().map(change).collect(),
        added: d
            .competencies_added
            .iter()
            .map(|c| c.name.clone())
            .collect(),
        removed: d
            .competencies_removed
            .iter()
            .map(|c| c.name.clone())
            .collect(),
        changed: changed_competencies(&d, before, after),
        groups,
        profiles,
        targets: d
            .targets
            .iter()
            .map(|t| TargetDiff {
                profile: profile_of(&t.profile),
                competency: name_of(&t.competency),
                change: change_word(t.change),
                before: level_text(t.level_before, t.weight_before),
                after: level_text(t.level_after, t.weight_after),
            })
            .collect(),
        relations,
    }
}

/// The members' names by user id (for authors), from the store.
async fn names(state: &AppState, org: Uuid) -> HashMap<Uuid, String> {
    state
        .store()
        .list_members(org, PageRequest::first(1000))
        .await
        .map(|page| {
            page.items
                .into_iter()
                .map(|m| (m.user.id, m.user.name))
                .collect()
        })
        .unwrap_or_default()
}

fn author(names: &HashMap<Uuid, String>, id: Option<Uuid>) -> String {
    match id {
        None => "Framewright".into(),
        Some(id) => names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "a former member".into()),
    }
}

/// The next version to suggest: the latest release with the minor number raised, or 1.0.0.
fn suggested_version(latest: Option<&str>) -> String {
    latest
        .and_then(|v| semver::Version::parse(v).ok())
        .map_or_else(
            || "1.0.0".to_string(),
            |v| semver::Version::new(v.major, v.minor + 1, 0).to_string(),
        )
}

/// An error to show at the top of the history page.
struct PageError {
    status: StatusCode,
    message: String,
    version: Option<String>,
    notes: Option<String>,
    comment: Option<String>,
}

impl PageError {
    /// An error with nothing the viewer typed to give back.
    fn plain(status: StatusCode, message: String) -> Self {
        PageError {
            status,
            message,
            version: None,
            notes: None,
            comment: None,
        }
    }

    /// The API refused the change: its status, in words for the page.
    fn refused(problem: &Problem, what: &str) -> Self {
        Self::plain(status_of(problem), refusal(problem, what))
    }
}

/// The history page again, with the error above it (and what the viewer typed kept).
async fn again(state: &AppState, viewer: &Viewer, raw: &str, error: PageError) -> Response {
    history(state, viewer, raw, HistoryQuery::default(), Some(error)).await
}

/// The revisions on page `page` (with their authors) and how many pages there are.
async fn revision_rows(
    state: &AppState,
    org: Uuid,
    id: Uuid,
    page: u32,
    names: &HashMap<Uuid, String>,
) -> Result<(Vec<RevisionRow>, i64), Problem> {
    let request = PageRequest {
        offset: i64::from(page - 1) * i64::from(PER_PAGE),
        limit: i64::from(PER_PAGE),
    };
    let revisions = state.store().list_revisions(org, id, request).await?;
    let pages = ((revisions.total + i64::from(PER_PAGE) - 1) / i64::from(PER_PAGE)).max(1);
    let rows = revisions
        .items
        .into_iter()
        .map(|r| RevisionRow {
            number: r.number,
            message: r.message,
            author: author(names, r.author),
            created: when(r.created_at),
            release: r.release,
        })
        .collect();
    Ok((rows, pages))
}

/// The framework's review comments, oldest first as the store gives them.
async fn comment_rows(state: &AppState, org: Uuid, id: Uuid) -> Result<Vec<CommentRow>, Problem> {
    let comments = state
        .store()
        .list_comments(org, id, PageRequest::first(500))
        .await?;
    Ok(comments
        .items
        .into_iter()
        .map(|c| CommentRow {
            kind: comment_kind(&c.kind),
            body: c.body,
            revision: c.revision,
            author: c.author_name,
            created: when(c.created_at),
        })
        .collect())
}

/// The releases as rows, each replacement named by the competency now in its place.
fn release_rows(
    releases: &[Release],
    names: &HashMap<Uuid, String>,
    framework: &Framework,
) -> Vec<ReleaseRow> {
    releases
        .iter()
        .map(|r| ReleaseRow {
            version: r.version.clone(),
            revision: r.revision,
            notes: r.notes.clone(),
            published: when(r.published_at),
            by: author(names, r.published_by),
            replacements: r
                .replacements
                .iter()
                .map(|x| {
                    let to = framework
                        .competency(&x.to)
                        .map_or_else(|| x.to.clone(), |c| c.name.clone());
                    (x.from_name.clone(), x.from.clone(), to)
                })
                .collect(),
        })
        .collect()
}

/// The two revisions compared, and their diff or why there is none.
struct Comparison {
    from: i64,
    to: i64,
    compared: Option<DiffView>,
    error: Option<String>,
}

/// The comparison: the asked revisions, else the current one against the one before.
async fn comparison(
    state: &AppState,
    org: Uuid,
    id: Uuid,
    query: &HistoryQuery,
    current: i64,
) -> Comparison {
    let to = query.to.unwrap_or(current).clamp(1, current);
    let from = query.from.unwrap_or(to - 1).clamp(1, current);
    let mut out = Comparison {
        from,
        to,
        compared: None,
        error: None,
    };
    if current > 1 || query.from.is_some() {
        match (
            revision(state, org, id, from).await,
            revision(state, org, id, to).await,
        ) {
            (Ok(before), Ok(after)) => out.compared = Some(diff_view(from, to, &before, &after)),
            (Err(e), _) | (_, Err(e)) => out.error = Some(e.detail),
        }
    }
    out
}

/// Competencies of the latest release that the current revision no longer has: the publish
/// form asks which competency replaces each (recorded as `replaced_by`).
async fn removed_since_release(
    state: &AppState,
    org: Uuid,
    id: Uuid,
    latest: Option<&Release>,
    framework: &Framework,
) -> Vec<(String, String)> {
    let Some(latest) = latest else {
        return Vec::new();
    };
    match revision(state, org, id, latest.revision).await {
        Ok(previous) => previous
            .competencies
            .iter()
            .filter(|c| framework.competency(&c.id).is_none())
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
        Err(_) => Vec::new(),
    }
}

async fn history(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    query: HistoryQuery,
    error: Option<PageError>,
) -> Response {
    let (id, record, framework) = match load(state, viewer, id).await {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let org = viewer.principal().org_id;
    let current = record.summary.revision;
    let page = query.page.unwrap_or(1).max(1);
    let names = names(state, org).await;
    let read = async {
        let (rows, pages) = revision_rows(state, org, id, page, &names).await?;
        let releases = state.store().list_releases(org, id).await?;
        let comments = comment_rows(state, org, id).await?;
        Ok::<_, Problem>((rows, pages, releases, comments))
    };
    let (rows, pages, releases, comment_rows) = match read.await {
        Ok(lists) => lists,
        Err(problem) => return problem_page(Some(viewer), &problem),
    };
    let Comparison {
        from,
        to,
        compared,
        error: compare_error,
    } = comparison(state, org, id, &query, current).await;
    let published_here = releases.iter().any(|r| r.revision == current);
    let latest = releases.first().filter(|_| !published_here);
    let removed_since_release = removed_since_release(state, org, id, latest, &framework).await;
    let replacement_options: Vec<(String, String)> = framework
        .competencies
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let (status, error_message, version, notes, comment_body) = match error {
        Some(e) => (e.status, Some(e.message), e.version, e.notes, e.comment),
        None => (StatusCode::OK, None, None, None, None),
    };
    viewer.page_status(
        status,
        "framework_history.html",
        context! {
            section => "frameworks",
            id => id.to_string(),
            title => &framework.title,
            status_label => status_label(&record.summary.status),
            current => current,
            revisions => rows,
            page => page,
            pages => pages,
            releases => release_rows(&releases, &names, &framework),
            from => from,
            to => to,
            compared => compared,
            compare_error => compare_error,
            published_here => published_here,
            version => version.unwrap_or_else(|| suggested_version(releases.first().map(|r| r.version.as_str()))),
            notes => notes.unwrap_or_default(),
            error => error_message,
            review => review_lines(&framework.review, today()),
            can_edit => viewer.can_edit(),
            can_review => viewer.principal().role.can_review(),
            removed_since_release => removed_since_release,
            replacement_options => replacement_options,
            comments => comment_rows,
            comment_body => comment_body.unwrap_or_default(),
        },
    )
}

async fn revision(state: &AppState, org: Uuid, id: Uuid, n: i64) -> Result<Framework, Problem> {
    let found = state
        .store()
        .revision(org, id, n)
        .await?
        .ok_or_else(|| Problem::not_found(format!("revision {n} does not exist")))?;
    Ok(found.framework()?)
}

/// `GET /frameworks/{id}/history`.
pub async fn history_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<HistoryQuery>,
) -> Response {
    history(&state, &viewer, &id, query, None).await
}

/// The revert form.
#[derive(Debug, Deserialize)]
pub struct RevertForm {
    /// The revision to go back to.
    revision: i64,
    /// The revision the page showed as current.
    base: i64,
}

/// The publish form (read from the posted pairs, which also carry `replace:<id>` fields).
#[derive(Debug)]
pub struct PublishForm {
    /// Semantic version.
    version: String,
    /// Release notes.
    notes: String,
    /// The revision the page showed as current.
    base: i64,
}

/// The review form.
#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    /// `thorough` for the thorough update, else the annual review.
    #[serde(default)]
    kind: String,
    /// The revision the page showed as current.
    base: i64,
}

fn parse_id(id: &str) -> Option<Uuid> {
    Uuid::parse_str(id).ok()
}

/// Words for a refused change made from the history page.
fn refusal(problem: &Problem, what: &str) -> String {
    match problem.status {
        412 => format!(
            "Someone else saved a newer revision{} since this page was loaded, so nothing was {what}. \
             Check the newest revision below, then try again.",
            problem
                .current_revision
                .map(|n| format!(" (revision {n})"))
                .unwrap_or_default()
        ),
        _ => {
            let mut text = format!("Nothing was {what}: {}", problem.detail);
            for field in &problem.errors {
                if !problem.detail.contains(&field.detail) {
                    text.push_str(&format!(" ({})", field.detail));
                }
            }
            text
        }
    }
}

/// `POST /frameworks/{id}/revert`: the chosen revision's content becomes a new revision.
pub async fn revert(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    posted: Posted<RevertForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let Some(id) = parse_id(&raw) else {
        return history(&state, &viewer, &raw, HistoryQuery::default(), None).await;
    };
    let result = revert_framework(
        State(state.clone()),
        viewer.caller(),
        ApiPath(FrameworkPath { id }),
        IfMatch(form.base),
        ApiJson(RevertBody {
            revision: form.revision,
            message: None,
        }),
    )
    .await;
    match result {
        Ok(_) => with_notice(
            see_other(&format!("/frameworks/{id}/history")),
            &format!(
                "Reverted: the content of revision {} is now the newest revision.",
                form.revision
            ),
        ),
        Err(problem) => {
            again(
                &state,
                &viewer,
                &raw,
                PageError::refused(&problem, "reverted"),
            )
            .await
        }
    }
}

/// `POST /frameworks/{id}/publish`: tags the current revision as a release.
pub async fn publish(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let Posted {
        viewer,
        form: pairs,
    } = posted;
    let Some(id) = parse_id(&raw) else {
        return history(&state, &viewer, &raw, HistoryQuery::default(), None).await;
    };
    let field = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let form = PublishForm {
        version: field("version"),
        notes: field("notes"),
        // A missing or unreadable base matches no revision: refused as stale.
        base: field("base").trim().parse().unwrap_or(-1),
    };
    // `replace:<old id>` = the competency of this release that takes its place.
    let replacements: Vec<ReplacementBody> = pairs
        .iter()
        .filter_map(|(k, v)| {
            let from = k.strip_prefix("replace:")?;
            let to = v.trim();
            (!to.is_empty()).then(|| ReplacementBody {
                from: from.to_string(),
                to: to.to_string(),
            })
        })
        .collect();
    let notes = form.notes.trim();
    let result = publish_framework(
        State(state.clone()),
        viewer.caller(),
        ApiPath(FrameworkPath { id }),
        IfMatch(form.base),
        ApiJson(PublishBody {
            version: form.version.clone(),
            notes: (!notes.is_empty()).then(|| notes.to_string()),
            replacements,
        }),
    )
    .await;
    match result {
        Ok(_) => with_notice(
            see_other(&format!("/frameworks/{id}/history")),
            &format!("Published version {}.", form.version.trim()),
        ),
        Err(problem) => {
            let error = PageError {
                version: Some(form.version.clone()),
                notes: Some(form.notes.clone()),
                ..PageError::refused(&problem, "published")
            };
            again(&state, &viewer, &raw, error).await
        }
    }
}

/// `POST /frameworks/{id}/review`: records the annual review (or the thorough update) as done
/// today.
pub async fn review(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    posted: Posted<ReviewForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let Some(id) = parse_id(&raw) else {
        return history(&state, &viewer, &raw, HistoryQuery::default(), None).await;
    };
    let thorough = form.kind == "thorough";
    let result = record_review(
        State(state.clone()),
        viewer.caller(),
        ApiPath(FrameworkPath { id }),
        IfMatch(form.base),
        ApiJson(ReviewBody { thorough }),
    )
    .await;
    match result {
        Ok(_) => with_notice(
            see_other(&format!("/frameworks/{id}")),
            if thorough {
                "The thorough update is recorded as done today."
            } else {
                "The annual review is recorded as done today."
            },
        ),
        Err(problem) => {
            again(
                &state,
                &viewer,
                &raw,
                PageError::refused(&problem, "recorded"),
            )
            .await
        }
    }
}

/// The review form.
#[derive(Debug, Deserialize)]
pub struct CommentForm {
    /// comment, approval or changes_requested.
    kind: CommentKind,
    /// The text.
    body: String,
    /// The revision it is about (the current one when the page was loaded).
    revision: i64,
}

/// `POST /frameworks/{id}/comments`: a reviewer's comment, approval or request for changes on
/// the current revision.
pub async fn comment(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    posted: Posted<CommentForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let Some(id) = parse_id(&raw) else {
        return history(&state, &viewer, &raw, HistoryQuery::default(), None).await;
    };
    let result = add_comment(
        State(state.clone()),
        viewer.caller(),
        ApiPath(FrameworkPath { id }),
        ApiJson(NewCommentBody {
            kind: form.kind,
            body: form.body.trim().to_string(),
            revision: Some(form.revision),
        }),
    )
    .await;
    match result {
        Ok(_) => with_notice(
            see_other(&format!("/frameworks/{id}/history#review-heading")),
            match form.kind {
                CommentKind::Approval => "Your approval is recorded.",
                CommentKind::ChangesRequested => "Your request for changes is recorded.",
                CommentKind::Comment => "Your comment is added.",
            },
        ),
        Err(problem) => {
            let error = PageError {
                comment: Some(form.body),
                ..PageError::refused(&problem, "recorded")
            };
            again(&state, &viewer, &raw, error).await
        }
    }
}

/// The delete form.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    /// The revision the page showed as current.
    base: i64,
    /// The "I am sure" box.
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /frameworks/{id}/delete`: deletes the framework with its revisions, releases and
/// comments (the audit log keeps the record), when the box confirming it is ticked and nobody
/// saved since the page was loaded.
pub async fn delete(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    posted: Posted<DeleteForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let Some(id) = parse_id(&raw) else {
        return history(&state, &viewer, &raw, HistoryQuery::default(), None).await;
    };
    if form.confirm.as_deref() != Some("yes") {
        // Still answer 404 for a framework that is not the viewer's.
        let error = PageError::plain(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nothing was deleted: tick the box to confirm that the framework and its whole history should go.".into(),
        );
        return again(&state, &viewer, &raw, error).await;
    }
    let title = match load(&state, &viewer, &raw).await {
        Ok((_, _, framework)) => framework.title,
        Err(page) => return *page,
    };
    match delete_framework(
        State(state.clone()),
        viewer.caller(),
        ApiPath(FrameworkPath { id }),
        IfMatch(form.base),
    )
    .await
    {
        Ok(_) => with_notice(
            see_other("/frameworks"),
            &format!("Deleted “{title}” with its revisions, releases and comments."),
        ),
        Err(problem) => {
            again(
                &state,
                &viewer,
                &raw,
                PageError::refused(&problem, "deleted"),
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_text() {
        assert_eq!(show(&Value::Null), "(none)");
        assert_eq!(show(&serde_json::json!("plain")), "plain");
        assert_eq!(show(&serde_json::json!(["a", "b"])), "a; b");
        assert_eq!(
            show(&serde_json::json!({"next_review": "2027-01-01"})),
            "next review: 2027-01-01"
        );
    }

    #[test]
    fn versions_are_suggested() {
        assert_eq!(suggested_version(None), "1.0.0");
        assert_eq!(suggested_version(Some("1.2.3")), "1.3.0");
        assert_eq!(suggested_version(Some("junk")), "1.0.0");
    }
}
