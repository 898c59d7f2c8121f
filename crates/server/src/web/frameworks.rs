//! Framework pages: the list (`/frameworks`), one framework (`/frameworks/{id}`) with its
//! competencies, levels, targets, groups, rationale and review dates, and the printable
//! interview guide (`/frameworks/{id}/interview-guide`). The editor is in
//! [`editor`](super::editor), history, diff, revert and publishing in
//! [`history`](super::history).
//!
//! Every page reads through the store with the viewer's organisation, so another
//! organisation's framework is a 404 page, exactly as in the API.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use framewright_model::{Framework, FrameworkCompetency, ReviewDates};
use framewright_store::{FrameworkFilter, FrameworkRecord, PageRequest};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::dto::{FrameworkSummary, today};
use crate::state::AppState;
use crate::web::{Viewer, not_found, problem_page};

/// The framework pages of this module and the editor's script.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/frameworks", get(list_page))
        .route("/frameworks/{id}", get(framework_page))
        .route("/frameworks/{id}/interview-guide", get(interview_guide))
        .route("/static/frameworks.js", get(script))
}

/// The formats the export route (`GET /api/v1/frameworks/{id}/export/{format}`) offers, with
/// what people call them. The links work with the session cookie (a GET needs no CSRF token).
pub const EXPORTS: &[(&str, &str)] = &[
    ("xlsx", "Excel workbook (XLSX)"),
    ("csv", "Spreadsheet (CSV)"),
    ("html", "Web page (HTML)"),
    ("md", "Markdown"),
    ("json", "Framework file (JSON)"),
    ("toml", "Framework file (TOML)"),
    ("docx", "Word document (DOCX)"),
    #[cfg(feature = "pdf")]
    ("pdf", "PDF document"),
    ("case", "CASE 1.1 package (JSON)"),
    ("workbook-xlsx", "Editable workbook for re-import (XLSX)"),
];

/// The editor's live lint and the history page's small helpers.
async fn script() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        include_str!("../../static/frameworks.js"),
    )
        .into_response()
}

/// A framework of the viewer's organisation, or the page to answer instead (404 for a
/// malformed id, an unknown one and another organisation's alike).
pub(crate) async fn load(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
) -> Result<(Uuid, FrameworkRecord, Framework), Box<Response>> {
    let missing = || {
        Box::new(not_found(
            Some(viewer),
            "There is no framework at this address in your organisation. It may have been deleted, or the link may be wrong.",
        ))
    };
    let id = Uuid::parse_str(id).map_err(|_| missing())?;
    let record = state
        .store()
        .framework(viewer.principal().org_id, id)
        .await
        .map_err(|e| Box::new(problem_page(Some(viewer), &e.into())))?
        .ok_or_else(missing)?;
    let framework = record
        .framework()
        .map_err(|e| Box::new(problem_page(Some(viewer), &e.into())))?;
    Ok((id, record, framework))
}

/// People's words for a status.
pub(crate) fn status_label(status: &str) -> &'static str {
    match status {
        "draft" => "Draft",
        "in_review" => "In review",
        "published" => "Published",
        "retired" => "Retired",
        _ => "Unknown",
    }
}

/// Time (milliseconds since the epoch) as `2026-11-22 08:10 UTC`.
pub(crate) fn when(millis: i64) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
    else {
        return String::new();
    };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// One line about a review date.
#[derive(Debug, Serialize)]
pub(crate) struct ReviewLine {
    /// What it says.
    text: String,
    /// Whether it is due today or overdue.
    due: bool,
}

/// The review dates as sentences, with what is due on `today`.
pub(crate) fn review_lines(review: &ReviewDates, today: time::Date) -> Vec<ReviewLine> {
    let mut lines = Vec::new();
    let mut line = |what: &str, date: Option<time::Date>| {
        if let Some(date) = date {
            let text = if date < today {
                format!("The {what} is overdue: it was due on {date}.")
            } else if date == today {
                format!("The {what} is due today ({date}).")
            } else {
                format!("The {what} is due on {date}.")
            };
            lines.push(ReviewLine {
                text,
                due: date <= today,
            });
        }
    };
    line("annual review", review.next_review);
    line("thorough update", review.next_major_update);
    if let Some(last) = review.last_reviewed {
        lines.push(ReviewLine {
            text: format!("Last reviewed on {last}."),
            due: false,
        });
    }
    lines
}

/// Filters and page of the list.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Page, from 1.
    page: Option<u32>,
    /// Only this status.
    status: Option<String>,
    /// Only frameworks with a review due (`1`).
    due: Option<String>,
}

#[derive(Debug, Serialize)]
struct ListItem {
    #[serde(flatten)]
    summary: FrameworkSummary,
    status_label: &'static str,
    updated: String,
}

const PER_PAGE: u32 = 25;

/// `/frameworks`: the organisation's frameworks, newest change first, with review-due badges.
pub async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Response {
    let page = query.page.unwrap_or(1).max(1);
    let day = today();
    let status = query
        .status
        .clone()
        .filter(|s| ["draft", "in_review", "published", "retired"].contains(&s.as_str()));
    let due = query.due.as_deref().is_some_and(|d| !d.is_empty());
    let filter = FrameworkFilter {
        status: status.clone(),
        review_due_by: due.then(|| day.to_string()),
    };
    let request = PageRequest {
        offset: i64::from(page - 1) * i64::from(PER_PAGE),
        limit: i64::from(PER_PAGE),
    };
    let found = match state
        .store()
        .list_frameworks(viewer.principal().org_id, &filter, request)
        .await
    {
        Ok(found) => found,
        Err(e) => return problem_page(Some(&viewer), &e.into()),
    };
    let pages = ((found.total + i64::from(PER_PAGE) - 1) / i64::from(PER_PAGE)).max(1);
    let items: Vec<ListItem> = found
        .items
        .into_iter()
        .map(|s| {
            let updated = when(s.updated_at);
            let summary = FrameworkSummary::of(s, day);
            ListItem {
                status_label: status_label(&summary.status),
                summary,
                updated,
            }
        })
        .collect();
    let mut base_query = String::new();
    if let Some(s) = &status {
        base_query.push_str(&format!("&status={s}"));
    }
    if due {
        base_query.push_str("&due=1");
    }
    viewer.page(
        "framework_list.html",
        context! {
            section => "frameworks",
            items => items,
            total => found.total,
            page => page,
            pages => pages,
            status => status,
            due => due,
            base_query => base_query,
            statuses => [("draft", "Draft"), ("in_review", "In review"), ("published", "Published"), ("retired", "Retired")],
        },
    )
}

#[derive(Debug, Serialize)]
struct LevelView {
    level: u8,
    name: String,
    description: Option<String>,
    indicators: Vec<String>,
    draft: bool,
}

#[derive(Debug, Serialize)]
struct QuestionView {
    question: String,
    follow_up: Option<String>,
    anchors: Vec<(u8, String)>,
}

#[derive(Debug, Serialize)]
struct CompetencyView {
    index: usize,
    id: String,
    name: String,
    kind: &'static str,
    core: bool,
    definition: Option<String>,
    rationale: Option<String>,
    /// The numbers behind the rationale and targets, shown behind "Details".
    details: Vec<String>,
    notes: Vec<String>,
    source: Option<String>,
    levels: Vec<LevelView>,
    interview: Vec<QuestionView>,
    /// Required levels in the role profiles: (profile title, level, level name).
    required: Vec<(String, u8, String)>,
}

#[derive(Debug, Serialize)]
struct GroupView {
    id: String,
    name: String,
    description: Option<String>,
    parent: Option<String>,
    competencies: Vec<CompetencyView>,
}

#[derive(Debug, Serialize)]
struct TargetView {
    competency: String,
    competency_id: String,
    level: u8,
    level_name: String,
    weight: Option<f64>,
    note: Option<String>,
}

#[derive(Debug, Serialize)]
struct ProfileView {
    title: String,
    details: Vec<String>,
    description: Option<String>,
    targets: Vec<TargetView>,
}

fn level_name(framework: &Framework, level: u8) -> String {
    framework
        .scale
        .level(level)
        .map(|l| l.name.clone())
        .unwrap_or_default()
}

fn competency_view(framework: &Framework, index: usize, c: &FrameworkCompetency) -> CompetencyView {
    let kind = if c.kind.is_core() {
        "Core"
    } else {
        match c.kind.as_str() {
            "technical" => "Functional (technical)",
            "knowledge" => "Functional (knowledge)",
            "skill" => "Functional (skill)",
            "ability" => "Functional (ability)",
            _ => "Functional",
        }
    };
    let mut levels: Vec<LevelView> = c
        .levels
        .iter()
        .map(|l| LevelView {
            level: l.level,
            name: level_name(framework, l.level),
            description: l.description.clone(),
            indicators: l.indicators.clone(),
            draft: l.draft,
        })
        .collect();
    levels.sort_by_key(|l| l.level);
    let required = framework
        .role_profiles
        .iter()
        .flat_map(|p| {
            p.targets
                .iter()
                .filter(|t| t.competency == c.id)
                .map(|t| (p.title.clone(), t.level, level_name(framework, t.level)))
        })
        .collect();
    CompetencyView {
        index,
        id: c.id.clone(),
        name: c.name.clone(),
        kind,
        core: c.kind.is_core(),
        definition: c.definition.clone(),
        rationale: c.rationale.clone(),
        details: framewright_interop::document::competency_details(framework, c),
        notes: c.notes.clone(),
        source: c
            .source
            .as_ref()
            .map(|s| format!("{} · {}", s.catalogue, s.id)),
        levels,
        interview: c
            .interview
            .iter()
            .map(|q| QuestionView {
                question: q.question.clone(),
                follow_up: q.follow_up.clone(),
                anchors: q.anchors.iter().map(|(k, v)| (*k, v.clone())).collect(),
            })
            .collect(),
        required,
    }
}

/// The competencies by group, in the framework's group order; competencies without a (known)
/// group come last.
fn grouped(framework: &Framework) -> Vec<GroupView> {
    let mut by_group: BTreeMap<Option<&str>, Vec<CompetencyView>> = BTreeMap::new();
    for (i, c) in framework.competencies.iter().enumerate() {
        let group = c
            .group
            .as_deref()
            .filter(|g| framework.groups.iter().any(|x| x.id == *g));
        by_group
            .entry(group)
            .or_default()
            .push(competency_view(framework, i, c));
    }
    let mut out: Vec<GroupView> = framework
        .groups
        .iter()
        .map(|g| GroupView {
            id: g.id.clone(),
            name: g.name.clone(),
            description: g.description.clone(),
            parent: g.parent.as_ref().map(|p| {
                framework
                    .groups
                    .iter()
                    .find(|x| x.id == *p)
                    .map_or_else(|| p.clone(), |x| x.name.clone())
            }),
            competencies: by_group.remove(&Some(g.id.as_str())).unwrap_or_default(),
        })
        .collect();
    if let Some(rest) = by_group.remove(&None) {
        out.push(GroupView {
            id: String::new(),
            name: if framework.groups.is_empty() {
                "Competencies".into()
            } else {
                "Other competencies".into()
            },
            description: None,
            parent: None,
            competencies: rest,
        });
    }
    out
}

fn profiles(framework: &Framework) -> Vec<ProfileView> {
    framework
        .role_profiles
        .iter()
        .map(|p| {
            let mut details = Vec::new();
            if let Some(f) = &p.job_family {
                details.push(format!("Job family: {f}"));
            }
            if let Some(g) = &p.grade {
                details.push(format!("Grade: {g}"));
            }
            if let Some(l) = p.level {
                details.push(format!("Level: {l}"));
            }
            ProfileView {
                title: p.title.clone(),
                details,
                description: p.description.clone(),
                targets: p
                    .targets
                    .iter()
                    .map(|t| TargetView {
                        competency: framework
                            .competency(&t.competency)
                            .map_or_else(|| t.competency.clone(), |c| c.name.clone()),
                        competency_id: t.competency.clone(),
                        level: t.level,
                        level_name: level_name(framework, t.level),
                        weight: t.weight,
                        note: t.note.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `/frameworks/{id}`: the framework as it stands.
pub async fn framework_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let (id, record, framework) = match load(&state, &viewer, &id).await {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let org = Some(viewer.principal().org_id);
    let lint = match crate::routes::frameworks::lint_report(&state, org, &framework).await {
        Ok(lint) => lint,
        Err(e) => return problem_page(Some(&viewer), &e),
    };
    let summary = FrameworkSummary::of(record.summary.clone(), today());
    viewer.page(
        "framework_view.html",
        context! {
            section => "frameworks",
            id => id.to_string(),
            summary => summary,
            status_label => status_label(&record.summary.status),
            updated => when(record.summary.updated_at),
            framework => &framework,
            groups => grouped(&framework),
            made => framewright_interop::document::DocumentData::from_framework(&framework).provenance,
            profiles => profiles(&framework),
            scale => &framework.scale,
            review => review_lines(&framework.review, today()),
            lint => lint,
            exports => EXPORTS,
            sources => &framework.sources,
        },
    )
}

/// `/frameworks/{id}/interview-guide`: the structured interview questions with their rating
/// anchors and room for notes, laid out for printing.
pub async fn interview_guide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let (id, record, framework) = match load(&state, &viewer, &id).await {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let competencies: Vec<CompetencyView> = framework
        .competencies
        .iter()
        .enumerate()
        .map(|(i, c)| competency_view(&framework, i, c))
        .collect();
    let with_questions = competencies
        .iter()
        .filter(|c| !c.interview.is_empty())
        .count();
    viewer.page(
        "framework_guide.html",
        context! {
            section => "frameworks",
            id => id.to_string(),
            framework => &framework,
            revision => record.summary.revision,
            competencies => competencies,
            with_questions => with_questions,
            interview_note => framewright_interop::document::interview_note(&framework),
            profiles => profiles(&framework),
            printed => today().to_string(),
        },
    )
}
