//! The framework editor (`/frameworks/{id}/edit`): title and description, each competency's
//! name, definition and group, each level's description and indicators (one per line), the
//! role profiles' targets (required level, weight), and groups (rename, add, remove).
//!
//! # How a save works
//!
//! Every editable field is named by its JSON pointer into the framework document
//! (`/competencies/2/levels/0/indicators`), and only the pointers of [`field_kind`] are
//! accepted. The form carries the revision it was loaded from; a save applies the fields to
//! *that* revision's document and saves through the same store call as `PUT
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
use framewright_model::path::FieldPath;
use framewright_model::{Framework, Status, validate};
use framewright_store::StoreError;
use minijinja::context;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::dto::{LintFinding, LintReport};
use crate::problem::FieldError;
use crate::routes::frameworks::lint_report;
use crate::state::AppState;
use crate::web::frameworks::{load, status_label};
use crate::web::{Posted, Viewer, error_page, problem_page, see_other, with_notice};

/// `/frameworks/{id}/edit`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/frameworks/{id}/edit", get(edit_page).post(save))
}

/// What an editor field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Text that must be there.
    Text,
    /// Text that may be left empty (then the field is absent).
    OptionalText,
    /// A list of texts, one per line (empty lines dropped).
    Lines,
    /// A proficiency level number.
    Level,
    /// An importance weight 0 … 1, may be empty.
    Weight,
    /// The status: draft, in review or retired (publishing is a step of its own).
    Status,
}

impl FieldKind {
    /// The name the page's script knows it by (`data-kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::OptionalText => "opt",
            FieldKind::Lines => "lines",
            FieldKind::Level => "int",
            FieldKind::Weight => "num",
            FieldKind::Status => "text",
        }
    }
}

fn is_index(segment: &str) -> bool {
    !segment.is_empty() && segment.len() < 6 && segment.bytes().all(|b| b.is_ascii_digit())
}

/// Which fields the editor may set, by JSON pointer; anything else in a form is refused.
pub fn field_kind(pointer: &str) -> Option<FieldKind> {
    let rest = pointer.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    let kind = match segments.as_slice() {
        ["title"] => FieldKind::Text,
        ["status"] => FieldKind::Status,
        ["description"] => FieldKind::OptionalText,
        ["competencies", i, "name"] if is_index(i) => FieldKind::Text,
        ["competencies", i, "definition" | "group"] if is_index(i) => FieldKind::OptionalText,
        ["competencies", i, "levels", j, "description"] if is_index(i) && is_index(j) => {
            FieldKind::OptionalText
        }
        ["competencies", i, "levels", j, "indicators"] if is_index(i) && is_index(j) => {
            FieldKind::Lines
        }
        ["groups", i, "name"] if is_index(i) => FieldKind::Text,
        ["groups", i, "description"] if is_index(i) => FieldKind::OptionalText,
        ["role_profiles", i, "targets", j, "level"] if is_index(i) && is_index(j) => {
            FieldKind::Level
        }
        ["role_profiles", i, "targets", j, "weight"] if is_index(i) && is_index(j) => {
            FieldKind::Weight
        }
        _ => return None,
    };
    Some(kind)
}

/// The result of applying a posted form to a framework document.
#[derive(Debug)]
pub struct Applied {
    /// The edited framework, when the document still reads as one.
    pub framework: Option<Framework>,
    /// The edited document.
    pub document: Value,
    /// The document with the form's field values but no competency or group removed or added,
    /// so that its indices are those of the form's field names (for showing the form again).
    pub form_document: Value,
    /// What is wrong, by field.
    pub errors: Vec<FieldError>,
}

fn field_error(pointer: &str, detail: impl Into<String>, code: &str) -> FieldError {
    FieldError {
        pointer: pointer.to_string(),
        detail: detail.into(),
        code: Some(code.to_string()),
    }
}

fn split_pointer(pointer: &str) -> Option<(&str, &str)> {
    let at = pointer.rfind('/')?;
    Some((&pointer[..at], &pointer[at + 1..]))
}

/// Applies the form's fields to `base` (the revision the form was loaded from): first every
/// pointer field, then group removals (`remove_group`), then a new group (`new_group_name`).
/// A published framework's edit is a draft again (publishing is a separate step).
pub fn apply(base: &Framework, pairs: &[(String, String)]) -> Applied {
    let mut errors = Vec::new();
    let mut document = serde_json::to_value(base).unwrap_or(Value::Null);
    for (name, value) in pairs {
        if !name.starts_with('/') {
            continue;
        }
        let Some(kind) = field_kind(name) else {
            errors.push(field_error(
                name,
                "the editor cannot change this field",
                "not-editable",
            ));
            continue;
        };
        let new_value = match kind {
            FieldKind::Text => Some(Value::String(value.trim().to_string())),
            FieldKind::OptionalText => {
                let text = value.trim();
                (!text.is_empty()).then(|| Value::String(text.to_string()))
            }
            FieldKind::Lines => Some(Value::Array(
                value
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_string()))
                    .collect(),
            )),
            FieldKind::Status => match value.trim() {
                s @ ("draft" | "in_review" | "retired") => Some(Value::from(s)),
                other => {
                    errors.push(field_error(
                        name,
                        format!(
                            "“{other}” is not a status the editor sets: draft, in review or retired (publish from the history page)"
                        ),
                        "status",
                    ));
                    continue;
                }
            },
            FieldKind::Level => match value.trim().parse::<u8>() {
                Ok(level) => Some(Value::from(level)),
                Err(_) => {
                    errors.push(field_error(
                        name,
                        format!("“{}” is not a level number", value.trim()),
                        "level-number",
                    ));
                    continue;
                }
            },
            FieldKind::Weight => {
                let text = value.trim().replace(',', ".");
                if text.is_empty() {
                    None
                } else {
                    match text.parse::<f64>() {
                        Ok(w) if w.is_finite() && (0.0..=1.0).contains(&w) => Some(Value::from(w)),
                        _ => {
                            errors.push(field_error(
                                name,
                                format!(
                                    "a weight is a number from 0 to 1, such as 0.5; “{}” is not",
                                    value.trim()
                                ),
                                "weight-range",
                            ));
                            continue;
                        }
                    }
                }
            }
        };
        let Some((parent, key)) = split_pointer(name) else {
            continue;
        };
        match document.pointer_mut(parent).and_then(Value::as_object_mut) {
            Some(object) => match new_value {
                Some(v) => {
                    object.insert(key.to_string(), v);
                }
                None => {
                    object.remove(key);
                }
            },
            None => errors.push(field_error(
                name,
                "this field is not in the revision the form was loaded from; reload the editor",
                "stale-field",
            )),
        }
    }
    reviewed_levels(base, &mut document);
    let form_document = document.clone();
    let dropped: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "remove_competency")
        .map(|(_, v)| v.as_str())
        .collect();
    if !dropped.is_empty() {
        remove_competencies(&mut document, &dropped);
    }
    let removed: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "remove_group")
        .map(|(_, v)| v.as_str())
        .collect();
    if !removed.is_empty() {
        remove_groups(&mut document, &removed);
    }
    if let Some((_, name)) = pairs
        .iter()
        .find(|(k, v)| k == "new_group_name" && !v.trim().is_empty())
    {
        add_group(&mut document, name.trim(), &mut errors);
    }
    let framework = match serde_json::from_value::<Framework>(document.clone()) {
        Ok(mut framework) => {
            if framework.status == Status::Published {
                framework.status = Status::Draft;
            }
            for problem in validate::problems(&framework) {
                errors.push(FieldError {
                    pointer: problem.path.json_pointer(),
                    detail: problem.message,
                    code: Some(problem.code.to_string()),
                });
            }
            Some(framework)
        }
        Err(e) => {
            errors.push(field_error(
                "",
                format!("the edited framework cannot be read: {e}"),
                "unreadable",
            ));
            None
        }
    };
    Applied {
        framework,
        document,
        form_document,
        errors,
    }
}

/// A level whose text a person changed is no longer a template draft: its `draft` mark goes.
fn reviewed_levels(base: &Framework, document: &mut Value) {
    let Some(competencies) = document
        .get_mut("competencies")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for (c, edited) in base.competencies.iter().zip(competencies.iter_mut()) {
        let Some(levels) = edited.get_mut("levels").and_then(Value::as_array_mut) else {
            continue;
        };
        for (before, after) in c.levels.iter().zip(levels.iter_mut()) {
            if !before.draft {
                continue;
            }
            let Some(object) = after.as_object_mut() else {
                continue;
            };
            let text = |v: Option<&Value>| v.cloned().unwrap_or(Value::Null);
            let description = before
                .description
                .as_ref()
                .map_or(Value::Null, |d| Value::String(d.clone()));
            let indicators = serde_json::to_value(&before.indicators).unwrap_or(Value::Null);
            if text(object.get("description")) != description
                || text(object.get("indicators")) != indicators
            {
                object.remove("draft");
            }
        }
    }
}

/// Removes competencies by id, with the targets and relations that name them.
fn remove_competencies(document: &mut Value, removed: &[&str]) {
    let named = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .is_some_and(|id| removed.contains(&id))
    };
    if let Some(list) = document
        .get_mut("competencies")
        .and_then(Value::as_array_mut)
    {
        list.retain(|c| !named(c, "id"));
    }
    if let Some(profiles) = document
        .get_mut("role_profiles")
        .and_then(Value::as_array_mut)
    {
        for p in profiles.iter_mut() {
            if let Some(targets) = p.get_mut("targets").and_then(Value::as_array_mut) {
                targets.retain(|t| !named(t, "competency"));
            }
        }
    }
    if let Some(relations) = document.get_mut("relations").and_then(Value::as_array_mut) {
        relations.retain(|r| !named(r, "from") && !named(r, "to"));
    }
}

fn remove_groups(document: &mut Value, removed: &[&str]) {
    if let Some(groups) = document.get_mut("groups").and_then(Value::as_array_mut) {
        groups.retain(|g| {
            g.get("id")
                .and_then(Value::as_str)
                .is_none_or(|id| !removed.contains(&id))
        });
        for g in groups.iter_mut() {
            if let Some(object) = g.as_object_mut()
                && object
                    .get("parent")
                    .and_then(Value::as_str)
                    .is_some_and(|p| removed.contains(&p))
            {
                object.remove("parent");
            }
        }
    }
    if let Some(competencies) = document
        .get_mut("competencies")
        .and_then(Value::as_array_mut)
    {
        for c in competencies.iter_mut() {
            if let Some(object) = c.as_object_mut()
                && object
                    .get("group")
                    .and_then(Value::as_str)
                    .is_some_and(|g| removed.contains(&g))
            {
                object.remove("group");
            }
        }
    }
}

fn add_group(document: &mut Value, name: &str, errors: &mut Vec<FieldError>) {
    let base = framewright_model::slug::slugify(name);
    if base.is_empty() {
        errors.push(field_error(
            "new_group_name",
            "a group name needs at least one letter or digit",
            "group-name",
        ));
        return;
    }
    let Some(object) = document.as_object_mut() else {
        return;
    };
    let groups = object
        .entry("groups")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(groups) = groups.as_array_mut() else {
        return;
    };
    let taken = |id: &str| {
        groups
            .iter()
            .any(|g| g.get("id").and_then(Value::as_str) == Some(id))
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    groups.push(serde_json::json!({ "id": id, "name": name }));
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
    fn of(pairs: &[(String, String)]) -> Kept {
        let all = |key: &str| {
            pairs
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .collect()
        };
        Kept {
            removed_competencies: all("remove_competency"),
            removed_groups: all("remove_group"),
            new_group: pairs
                .iter()
                .find(|(k, _)| k == "new_group_name")
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        }
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
    let report = lint_report(&state, &framework);
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
    let applied = apply(&base, &form);
    // The form is shown again on the structure it was loaded with (its field names are
    // pointers into it), with the person's values and ticks.
    let shown = serde_json::from_value::<Framework>(applied.form_document.clone())
        .unwrap_or_else(|_| base.clone());
    let redisplay =
        |status: StatusCode, error: String, current_revision: i64, errors: &[FieldError]| {
            let report = lint_report(&state, &shown);
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
                    kept: Kept::of(&form),
                },
            )
        };
    if !applied.errors.is_empty() {
        let first = &applied.errors[0];
        return redisplay(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "Nothing was saved: {} problem(s) to fix first. The first: {}",
                applied.errors.len(),
                first.detail
            ),
            current.summary.revision,
            &applied.errors,
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
        ),
        Err(e) => problem_page(Some(&viewer), &e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_editor_fields_are_accepted() {
        assert_eq!(field_kind("/title"), Some(FieldKind::Text));
        assert_eq!(
            field_kind("/competencies/3/levels/0/indicators"),
            Some(FieldKind::Lines)
        );
        assert_eq!(
            field_kind("/role_profiles/0/targets/12/weight"),
            Some(FieldKind::Weight)
        );
        assert_eq!(field_kind("/status"), Some(FieldKind::Status));
        assert_eq!(field_kind("/version"), None);
        assert_eq!(field_kind("/competencies/x/name"), None);
        assert_eq!(field_kind("/competencies/1/id"), None);
        assert_eq!(field_kind("title"), None);
    }

    fn sample() -> Framework {
        serde_json::from_value(serde_json::json!({
            "format": "framewright/1",
            "id": "sample",
            "title": "Sample",
            "version": "1.0.0",
            "status": "published",
            "scale": { "id": "s", "name": "S", "levels": [
                { "level": 1, "name": "One", "description": "Does simple things with guidance." },
                { "level": 2, "name": "Two", "description": "Does routine things alone." }
            ] },
            "groups": [
                { "id": "core", "name": "Core" },
                { "id": "sub", "name": "Sub", "parent": "core" }
            ],
            "competencies": [
                { "id": "a", "name": "A", "kind": "general", "group": "core", "definition": "Does A.",
                  "levels": [
                    { "level": 1, "indicators": ["Lists the steps"], "draft": true },
                    { "level": 2, "indicators": ["Plans the steps"], "draft": true }
                  ] }
            ],
            "role_profiles": [ { "id": "r", "title": "R", "targets": [ { "competency": "a", "level": 1, "weight": 0.5 } ] } ]
        }))
        .unwrap()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_form_applies_to_the_document() {
        let applied = apply(
            &sample(),
            &pairs(&[
                ("csrf_token", "ignored"),
                ("/description", "  "),
                ("/competencies/0/definition", ""),
                (
                    "/competencies/0/levels/0/indicators",
                    " Lists the steps \r\n\r\nNames each step\n",
                ),
                ("/role_profiles/0/targets/0/level", "2"),
                ("/role_profiles/0/targets/0/weight", "0,25"),
                ("remove_group", "core"),
                ("remove_competency", "nobody"),
                ("new_group_name", "Core"),
            ]),
        );
        assert!(applied.errors.is_empty(), "{:?}", applied.errors);
        let f = applied.framework.unwrap();
        assert_eq!(f.status, Status::Draft, "an edit of a release is a draft");
        let a = &f.competencies[0];
        assert_eq!(a.definition, None);
        assert_eq!(
            a.levels[0].indicators,
            ["Lists the steps", "Names each step"]
        );
        assert!(!a.levels[0].draft, "edited by a person");
        assert!(a.levels[1].draft, "untouched");
        assert_eq!(a.group, None, "its group was removed");
        assert_eq!(f.groups.len(), 2);
        assert_eq!(f.groups[0].parent, None);
        assert_eq!(f.groups[1].id, "core", "the new group takes the free id");
        assert_eq!(f.role_profiles[0].targets[0].level, 2);
        assert_eq!(f.role_profiles[0].targets[0].weight, Some(0.25));
    }

    #[test]
    fn a_removed_competency_takes_its_targets_along() {
        let applied = apply(
            &sample(),
            &pairs(&[
                ("/competencies/0/definition", "Does A well."),
                ("remove_competency", "a"),
            ]),
        );
        let f = applied.framework.unwrap();
        assert!(f.competencies.is_empty());
        assert!(f.role_profiles[0].targets.is_empty());
    }

    #[test]
    fn wrong_fields_are_named() {
        let applied = apply(
            &sample(),
            &pairs(&[
                ("/status", "published"),
                ("/role_profiles/0/targets/0/weight", "2"),
                ("/role_profiles/0/targets/0/level", "x"),
                ("/competencies/5/name", "Ghost"),
                ("/title", ""),
            ]),
        );
        let pointers: Vec<&str> = applied.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert!(pointers.contains(&"/status"));
        assert!(pointers.contains(&"/role_profiles/0/targets/0/weight"));
        assert!(pointers.contains(&"/role_profiles/0/targets/0/level"));
        assert!(pointers.contains(&"/competencies/5/name"));
        assert!(pointers.contains(&"/title"), "{pointers:?}");
    }

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
