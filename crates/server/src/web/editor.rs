//! The framework editor (`/frameworks/{id}/edit`): title and description, each competency's
//! name, definition and group, each level's description and indicators (one per line), the
//! role profiles' targets (required level, weight), and groups (rename, add, remove).
//!
//! # How a save works
//!
//! Every editable field is named by its JSON pointer into the framework document
//! (`/competencies/2/levels/0/indicators`), and only the pointers of
//! [`framewright_model::edit::field_kind`] are accepted. The form carries the revision it was
//! loaded from; a save reads the form as [`Edits`] and applies them with the model's
//! [`edit::apply`] (the engine an API `PATCH` can share) to *that* revision's document and saves through the same store call as `PUT
//! /api/v1/frameworks/{id}` (`save_revision` with the revision as the expected one), so when
//! someone else saved in between, nothing is written and the page says so.
//!
//! # Live lint
//!
//! The page shows the lint findings beside the fields they concern, rendered on the server.
//! `/static/frameworks.js` applies the same pointer fields to the document embedded in the
//! form (`data-doc`) as the person types and asks `POST /api/v1/lint` (session cookie plus the
//! `X-CSRF-Token` header) for fresh findings.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use framewright_model::Framework;
use framewright_model::edit::{self, EditError, Edits};
use framewright_model::path::FieldPath;
use framewright_store::StoreError;
use minijinja::context;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::dto::{LintFinding, LintReport};
use crate::problem::{ApiResult, FieldError};
use crate::routes::frameworks::lint_report;
use crate::state::AppState;
use crate::web::frameworks::{load, status_label};
use crate::web::{Posted, Viewer, error_page, problem_page, see_other, with_notice};

/// `/frameworks/{id}/edit`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/frameworks/{id}/edit", get(edit_page).post(save))
}

/// Where a finding shows: the editor field whose pointer is the longest prefix of the
/// finding's pointer (at a segment boundary), or none (the panel only).
pub fn field_for(pointer: &str, fields: &[String]) -> Option<String> {
    fields
        .iter()
        .filter(|f| {
            pointer == f.as_str()
                || (pointer.starts_with(f.as_str())
                    && pointer.as_bytes().get(f.len()) == Some(&b'/'))
        })
        .max_by_key(|f| f.len())
        .cloned()
}

/// The HTML id of the field with `pointer` (the page's script derives it the same way).
pub fn field_id(pointer: &str) -> String {
    format!("f{}", pointer.replace('/', "-"))
}

/// Every editor field of `framework`, by pointer, with its label for people.
fn editor_fields(framework: &Framework) -> Vec<(String, String)> {
    let mut out = vec![
        ("/title".to_string(), "Title".to_string()),
        ("/description".to_string(), "Description".to_string()),
        ("/status".to_string(), "Status".to_string()),
    ];
    for (i, c) in framework.competencies.iter().enumerate() {
        let at = FieldPath::root().item("competencies", i).json_pointer();
        out.push((format!("{at}/name"), format!("{}: name", c.name)));
        out.push((
            format!("{at}/definition"),
            format!("{}: definition", c.name),
        ));
        out.push((format!("{at}/group"), format!("{}: group", c.name)));
        for (j, l) in c.levels.iter().enumerate() {
            out.push((
                format!("{at}/levels/{j}/description"),
                format!("{}: level {} description", c.name, l.level),
            ));
            out.push((
                format!("{at}/levels/{j}/indicators"),
                format!("{}: level {} indicators", c.name, l.level),
            ));
        }
    }
    for (i, g) in framework.groups.iter().enumerate() {
        out.push((
            format!("/groups/{i}/name"),
            format!("Group {}: name", g.name),
        ));
        out.push((
            format!("/groups/{i}/description"),
            format!("Group {}: description", g.name),
        ));
    }
    for (i, p) in framework.role_profiles.iter().enumerate() {
        for (j, t) in p.targets.iter().enumerate() {
            let name = framework
                .competency(&t.competency)
                .map_or(t.competency.as_str(), |c| c.name.as_str());
            out.push((
                format!("/role_profiles/{i}/targets/{j}/level"),
                format!("{}: required level of {name}", p.title),
            ));
            out.push((
                format!("/role_profiles/{i}/targets/{j}/weight"),
                format!("{}: weight of {name}", p.title),
            ));
        }
    }
    out
}

/// A finding placed on the page.
#[derive(Debug, Serialize)]
struct PlacedFinding {
    code: String,
    severity: String,
    message: String,
    suggestion: Option<String>,
    /// The field's HTML id, when it is one of the editor's fields.
    target: Option<String>,
    /// What the finding is about, for people.
    label: String,
}

fn placed(
    findings: Vec<LintFinding>,
    fields: &[(String, String)],
) -> (Vec<PlacedFinding>, BTreeMap<String, Vec<usize>>) {
    let pointers: Vec<String> = fields.iter().map(|(p, _)| p.clone()).collect();
    let mut at: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut out = Vec::new();
    for (n, f) in findings.into_iter().enumerate() {
        let field = field_for(&f.pointer, &pointers);
        let label = field
            .as_ref()
            .and_then(|p| fields.iter().find(|(q, _)| q == p))
            .map_or_else(
                || {
                    if f.pointer.is_empty() {
                        "The whole framework".to_string()
                    } else {
                        f.field.clone()
                    }
                },
                |(_, l)| l.clone(),
            );
        if let Some(p) = &field {
            at.entry(field_id(p)).or_default().push(n);
        }
        out.push(PlacedFinding {
            code: f.code,
            severity: f.severity,
            message: f.message,
            suggestion: f.suggestion,
            target: field.as_deref().map(field_id),
            label,
        });
    }
    (out, at)
}

/// Lint report plus form errors as one list of findings (errors first).
fn with_form_errors(report: LintReport, errors: &[FieldError]) -> Vec<LintFinding> {
    let mut out: Vec<LintFinding> = errors
        .iter()
        .map(|e| LintFinding {
            code: e.code.clone().unwrap_or_else(|| "invalid".into()),
            severity: "error".into(),
            pointer: e.pointer.clone(),
            field: e.pointer.clone(),
            message: e.detail.clone(),
            suggestion: None,
        })
        .collect();
    out.extend(report.findings);
    out
}

#[derive(Debug, Serialize)]
struct LevelField {
    index: usize,
    level: u8,
    name: String,
    description: String,
    indicators: String,
    rows: usize,
}

#[derive(Debug, Serialize)]
struct CompetencyField {
    index: usize,
    id: String,
    name: String,
    kind: &'static str,
    definition: String,
    group: String,
    levels: Vec<LevelField>,
}

#[derive(Debug, Serialize)]
struct TargetField {
    index: usize,
    competency: String,
    level: u8,
    weight: String,
}

#[derive(Debug, Serialize)]
struct ProfileField {
    index: usize,
    title: String,
    targets: Vec<TargetField>,
}

/// Everything the editor template shows.
struct EditorView<'a> {
    id: Uuid,
    revision: i64,
    current_revision: i64,
    status: &'a str,
    framework: &'a Framework,
    document: &'a Value,
    findings: Vec<LintFinding>,
    error: Option<String>,
    message: &'a str,
    /// Removals and the new group the form asked for, kept when it is shown again.
    kept: Kept,
}

/// The structural requests of a form shown again: which competencies and groups were ticked
/// for removal, and the new group's name.
#[derive(Debug, Default, Serialize)]
struct Kept {
    removed_competencies: Vec<String>,
    removed_groups: Vec<String>,
    new_group: String,
}

impl Kept {
    fn of(edits: &Edits) -> Kept {
        Kept {
            removed_competencies: edits.remove_competencies.clone(),
            removed_groups: edits.remove_groups.clone(),
            new_group: edits.new_group.clone().unwrap_or_default(),
        }
    }
}

/// An edit's wrong field as the page's field error.
fn field_error(error: EditError) -> FieldError {
    FieldError {
        pointer: error.pointer,
        detail: error.detail,
        code: Some(error.code.to_string()),
    }
}

fn render(viewer: &Viewer, status: StatusCode, view: EditorView<'_>) -> Response {
    let f = view.framework;
    let fields = editor_fields(f);
    let (findings, findings_at) = placed(view.findings, &fields);
    let errors = findings.iter().filter(|f| f.severity == "error").count();
    let warnings = findings.iter().filter(|f| f.severity == "warning").count();
    let competencies: Vec<CompetencyField> = f
        .competencies
        .iter()
        .enumerate()
        .map(|(i, c)| CompetencyField {
            index: i,
            id: c.id.clone(),
            name: c.name.clone(),
            kind: if c.kind.is_core() {
                "core"
            } else {
                "functional"
            },
            definition: c.definition.clone().unwrap_or_default(),
            group: c.group.clone().unwrap_or_default(),
            levels: c
                .levels
                .iter()
                .enumerate()
                .map(|(j, l)| LevelField {
                    index: j,
                    level: l.level,
                    name: f
                        .scale
                        .level(l.level)
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    description: l.description.clone().unwrap_or_default(),
                    indicators: l.indicators.join("\n"),
                    rows: (l.indicators.len() + 1).clamp(3, 12),
                })
                .collect(),
        })
        .collect();
    let profiles: Vec<ProfileField> = f
        .role_profiles
        .iter()
        .enumerate()
        .map(|(i, p)| ProfileField {
            index: i,
            title: p.title.clone(),
            targets: p
                .targets
                .iter()
                .enumerate()
                .map(|(j, t)| TargetField {
                    index: j,
                    competency: f
                        .competency(&t.competency)
                        .map_or_else(|| t.competency.clone(), |c| c.name.clone()),
                    level: t.level,
                    weight: t.weight.map(|w| w.to_string()).unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let document = serde_json::to_string(view.document).unwrap_or_default();
    viewer.page_status(
        status,
        "framework_edit.html",
        context! {
            section => "frameworks",
            id => view.id.to_string(),
            revision => view.revision,
            current_revision => view.current_revision,
            stale => view.current_revision != view.revision,
            status_label => status_label(view.status),
            title => &f.title,
            status => f.status.as_str(),
            statuses => [("draft", "Draft"), ("in_review", "In review: ready for reviewers"), ("retired", "Retired: no longer in use")],
            description => f.description.clone().unwrap_or_default(),
            competencies => competencies,
            groups => &f.groups,
            profiles => profiles,
            levels => &f.scale.levels,
            document => document,
            findings => findings,
            findings_at => findings_at,
            errors => errors,
            warnings => warnings,
            error => view.error,
            message => view.message,
            kept => view.kept,
        },
    )
}

/// `GET /frameworks/{id}/edit`: the editor on the current revision, with its lint findings.
pub async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    if !viewer.can_edit() {
        return cannot_edit(&viewer);
    }
    let (id, record, framework) = match load(&state, &viewer, &id).await {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let report = match lint_report(&state, Some(viewer.principal().org_id), &framework).await {
        Ok(report) => report,
        Err(e) => return problem_page(Some(&viewer), &e),
    };
    let document = serde_json::to_value(&framework).unwrap_or(Value::Null);
    render(
        &viewer,
        StatusCode::OK,
        EditorView {
            id,
            revision: record.summary.revision,
            current_revision: record.summary.revision,
            status: &record.summary.status,
            framework: &framework,
            document: &document,
            findings: report.findings,
            error: None,
            message: "",
            kept: Kept::default(),
        },
    )
}

fn cannot_edit(viewer: &Viewer) -> Response {
    error_page(
        Some(viewer),
        StatusCode::FORBIDDEN,
        "Not allowed",
        &format!(
            "Your role here is {}; to change frameworks you need to be a designer or an owner. Ask an owner of your organisation.",
            viewer.principal().role
        ),
    )
}

/// `POST /frameworks/{id}/edit`: saves the form as a new revision, based on the revision the
/// form was loaded from.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let Posted { viewer, form } = posted;
    if !viewer.can_edit() {
        return cannot_edit(&viewer);
    }
    let (id, current, _) = match load(&state, &viewer, &id).await {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let value = |key: &str| {
        form.iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    };
    let Ok(revision) = value("revision").trim().parse::<i64>() else {
        return error_page(
            Some(&viewer),
            StatusCode::BAD_REQUEST,
            "The form could not be read",
            "The form does not say which revision it was loaded from, so nothing was saved. Open the editor again.",
        );
    };
    let message = match value("message").trim() {
        "" => "Edited in the browser".to_string(),
        m => m.chars().take(500).collect(),
    };
    let base = match state
        .store()
        .revision(viewer.principal().org_id, id, revision)
        .await
    {
        Ok(Some(r)) => match r.framework() {
            Ok(f) => f,
            Err(e) => return problem_page(Some(&viewer), &e.into()),
        },
        Ok(None) => {
            return error_page(
                Some(&viewer),
                StatusCode::CONFLICT,
                "The form is out of date",
                "The revision this form was loaded from does not exist. Nothing was saved; open the editor again.",
            );
        }
        Err(e) => return problem_page(Some(&viewer), &e.into()),
    };
    let edits = Edits::from_pairs(&form);
    let applied = edit::apply(&base, &edits);
    let mut errors: Vec<FieldError> = applied.errors.iter().cloned().map(field_error).collect();
    if let Some(framework) = &applied.framework {
        errors.extend(
            state
                .settings()
                .limits
                .check_framework(framework)
                .into_iter()
                .map(|issue| FieldError {
                    pointer: issue.pointer,
                    detail: issue.exceeded.message,
                    code: Some(issue.exceeded.limit.to_string()),
                }),
        );
    }
    // The form is shown again on the structure it was loaded with (its field names are
    // pointers into it), with the person's values and ticks.
    let shown = serde_json::from_value::<Framework>(applied.form_document.clone())
        .unwrap_or_else(|_| base.clone());
    let org = viewer.principal().org_id;
    let redisplay = |status: StatusCode,
                     error: String,
                     current_revision: i64,
                     errors: &[FieldError],
                     report: ApiResult<LintReport>| {
        let report = match report {
            Ok(report) => report,
            Err(e) => return problem_page(Some(&viewer), &e),
        };
        render(
            &viewer,
            status,
            EditorView {
                id,
                revision,
                current_revision,
                status: &current.summary.status,
                framework: &shown,
                document: &applied.form_document,
                findings: with_form_errors(report, errors),
                error: Some(error),
                message: &message,
                kept: Kept::of(&edits),
            },
        )
    };
    if let Some(first) = errors.first() {
        return redisplay(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "Nothing was saved: {} problem(s) to fix first. The first: {}",
                errors.len(),
                first.detail
            ),
            current.summary.revision,
            &errors,
            lint_report(&state, Some(org), &shown).await,
        );
    }
    let Some(framework) = applied.framework.as_ref() else {
        return problem_page(Some(&viewer), &crate::problem::Problem::internal());
    };
    let saved = crate::routes::frameworks::save_revision(
        &state,
        &viewer.caller(),
        id,
        revision,
        framework,
        &message,
    )
    .await;
    match saved {
        Ok(record) => with_notice(
            see_other(&format!("/frameworks/{id}")),
            &format!("Saved as revision {}.", record.summary.revision),
        ),
        Err(StoreError::PreconditionFailed { current: newest }) => redisplay(
            StatusCode::CONFLICT,
            format!(
                "Someone else saved a newer revision (revision {newest}) while you were editing revision {revision}. \
                 Nothing was saved and nothing was overwritten. Your changes are still in the form below: \
                 copy what you need, then open the newest revision and make them again."
            ),
            newest,
            &[],
            lint_report(&state, Some(org), &shown).await,
        ),
        Err(e) => problem_page(Some(&viewer), &e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_go_to_the_nearest_field() {
        let fields = vec![
            "/competencies/1/levels/0/indicators".to_string(),
            "/competencies/1/levels/0/description".to_string(),
            "/competencies/1/name".to_string(),
        ];
        assert_eq!(
            field_for("/competencies/1/levels/0/indicators/2", &fields).as_deref(),
            Some("/competencies/1/levels/0/indicators")
        );
        assert_eq!(
            field_for("/competencies/1/name", &fields).as_deref(),
            Some("/competencies/1/name")
        );
        assert_eq!(field_for("/competencies/1/names", &fields), None);
        assert_eq!(field_for("/competencies", &fields), None);
        assert_eq!(field_id("/competencies/1/name"), "f-competencies-1-name");
    }
}
