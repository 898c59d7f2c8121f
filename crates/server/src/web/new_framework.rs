//! "New framework from a role": `/frameworks/new` asks for the role (title, description,
//! tasks, grade or level, how many competencies), runs the generator (the same code path as
//! `POST /api/v1/frameworks/generate`) and shows the draft with every competency's rationale,
//! a box to keep or remove each, and a way to add one from the catalogue; "Save framework"
//! stores it through the same code path as `POST /api/v1/frameworks`.
//!
//! Between the steps the draft travels in a hidden form field as the framework's JSON. We do
//! not re-generate from the role on every step although the generator is deterministic: an
//! added competency is generated with the role and `include` once and then spliced in, so
//! adding one never silently displaces another, and what is saved is exactly what was shown
//! (even across a server upgrade between the two steps). The JSON is the person's own draft,
//! so nothing is trusted from it that they could not send to the API anyway: it is validated
//! on save like any framework the API receives.

use std::collections::BTreeSet;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use framewright_model::{Framework, Grade, Role};
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::problem::Problem;
use crate::routes::frameworks::create;
use crate::routes::produce::{GeneratedDraft, draft_for};
use crate::state::AppState;
use crate::web::catalogue::GRADES;
use crate::web::{Posted, Viewer, error_page, problem_page, see_other, with_notice};

/// `/frameworks/new` and `/frameworks/new/draft`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/frameworks/new", get(role_page).post(generate))
        .route("/frameworks/new/draft", post(draft_step))
}

/// The role form.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct RoleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    tasks: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    target_count: String,
}

/// What is wrong with the role form: a message per field (`title`, `grade`, …) and in all.
#[derive(Debug, Default, Serialize)]
struct FormErrors {
    summary: Vec<String>,
    fields: std::collections::BTreeMap<String, String>,
}

impl FormErrors {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        self.summary.push(message.clone());
        self.fields.entry(field.to_string()).or_insert(message);
    }
}

impl RoleForm {
    /// The generator's role, or what is wrong with the form.
    fn role(&self) -> Result<Role, FormErrors> {
        let mut errors = FormErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add(
                "title",
                "Give the role a title, for example “Data Scientist”.",
            );
        }
        let grade = match self.grade.trim() {
            "" => None,
            text => match text.parse::<Grade>() {
                Ok(g) => Some(g),
                Err(_) => {
                    errors.add("grade", "Choose a grade from the list.");
                    None
                }
            },
        };
        let level = match self.level.trim() {
            "" => None,
            text => match text.parse::<u8>() {
                Ok(n @ 1..=5) => Some(n),
                _ => {
                    errors.add("level", "Choose a level from 1 to 5.");
                    None
                }
            },
        };
        if grade.is_some() && level.is_some() {
            errors.add(
                "level",
                "Choose a grade or a level, not both: the level is for roles without a GS grade.",
            );
        }
        let target_count = match self.target_count.trim() {
            "" => None,
            text => match text.parse::<usize>() {
                Ok(n @ 6..=12) => Some(n),
                _ => {
                    errors.add(
                        "target_count",
                        "A framework holds 6 to 12 competencies; choose a number in that range.",
                    );
                    None
                }
            },
        };
        if !errors.summary.is_empty() {
            return Err(errors);
        }
        let tasks = self
            .tasks
            .lines()
            .map(|t| t.trim().trim_start_matches(['-', '*', '•']).trim())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let description = Some(self.description.trim())
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        Ok(Role {
            title: title.to_string(),
            description,
            tasks,
            grade,
            level,
            job_family: None,
            organisation: None,
            target_count,
            include: Vec::new(),
            exclude: Vec::new(),
        })
    }
}

/// The role form's field for a problem's JSON pointer.
fn field_of(pointer: &str) -> &str {
    match pointer.trim_start_matches('/') {
        "title" => "title",
        "level" => "level",
        "grade" => "grade",
        "target_count" => "target_count",
        "tasks" => "tasks",
        _ => "form",
    }
}

fn role_form_page(
    viewer: &Viewer,
    status: StatusCode,
    form: &RoleForm,
    errors: &FormErrors,
) -> Response {
    let grades: Vec<String> = GRADES.iter().map(|g| format!("GS-{g}")).collect();
    viewer.page_status(
        status,
        "new_framework.html",
        context! {
            section => "new",
            form => form,
            errors => errors,
            grades => grades,
            counts => (6..=12).collect::<Vec<u32>>(),
        },
    )
}

async fn role_page(viewer: Viewer) -> Response {
    role_form_page(
        &viewer,
        StatusCode::OK,
        &RoleForm::default(),
        &FormErrors::default(),
    )
}

/// Runs the generator for the role and shows the draft.
async fn generate(State(state): State<AppState>, posted: Posted<RoleForm>) -> Response {
    let Posted { viewer, form } = posted;
    let role = match form.role() {
        Ok(role) => role,
        Err(errors) => {
            return role_form_page(&viewer, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors);
        }
    };
    match draft_for(&state, Some(viewer.principal().org_id), role).await {
        Ok(draft) => draft_page(
            &state,
            &viewer,
            StatusCode::OK,
            &draft,
            None,
            Feedback::default(),
        ),
        Err(problem) if problem.status == 422 => {
            let mut errors = FormErrors::default();
            if problem.errors.is_empty() {
                errors.add("form", problem.detail.clone());
            }
            for field in &problem.errors {
                errors.add(field_of(&field.pointer), field.detail.clone());
            }
            role_form_page(&viewer, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
        }
        Err(problem) => problem_page(Some(&viewer), &problem),
    }
}

/// A competency of the draft as the page shows it.
#[derive(Debug, Serialize)]
struct DraftItem {
    id: String,
    name: String,
    kind: &'static str,
    definition: Option<String>,
    rationale: Option<String>,
    /// The numbers behind the rationale and target, shown behind "Details".
    details: Vec<String>,
    target: Option<String>,
    kept: bool,
    levels: Vec<(u8, String)>,
}

/// What the last step did, shown above the draft.
#[derive(Debug, Default, Clone, Copy)]
struct Feedback<'a> {
    error: Option<&'a str>,
    done: Option<&'a str>,
}

/// The draft page. `kept` (default: all) are the competencies whose box is ticked; `error`
/// is shown above the form.
fn draft_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    draft: &GeneratedDraft,
    kept: Option<&BTreeSet<String>>,
    feedback: Feedback<'_>,
) -> Response {
    let framework = &draft.framework;
    let json = match serde_json::to_string(framework) {
        Ok(json) => json,
        Err(e) => {
            tracing::error!(error = %e, "draft does not serialise");
            return problem_page(Some(viewer), &Problem::internal());
        }
    };
    let level_name = |n: u8| {
        framework
            .scale
            .levels
            .iter()
            .find(|l| l.level == n)
            .map(|l| l.name.clone())
            .unwrap_or_default()
    };
    let items: Vec<DraftItem> = framework
        .competencies
        .iter()
        .map(|c| {
            let target = framework
                .role_profiles
                .iter()
                .flat_map(|p| &p.targets)
                .find(|t| t.competency == c.id)
                .map(|t| format!("{} ({})", t.level, level_name(t.level)));
            DraftItem {
                id: c.id.clone(),
                name: c.name.clone(),
                kind: c.kind.as_str(),
                definition: c.definition.clone(),
                rationale: c.rationale.clone(),
                details: framewright_interop::document::competency_details(framework, c),
                target,
                kept: kept.is_none_or(|k| k.contains(&c.id)),
                levels: c
                    .levels
                    .iter()
                    .filter_map(|l| l.description.clone().map(|d| (l.level, d)))
                    .collect(),
            }
        })
        .collect();
    // The catalogue's competencies not in the draft yet, for "add".
    let present: BTreeSet<&str> = framework
        .competencies
        .iter()
        .flat_map(|c| {
            [
                Some(c.id.as_str()),
                c.source.as_ref().map(|s| s.id.as_str()),
            ]
            .into_iter()
            .flatten()
        })
        .collect();
    let addable: Vec<_> = state
        .inner
        .generator
        .catalogues()
        .iter()
        .flat_map(|cat| cat.competencies.iter())
        .filter(|c| !present.contains(c.id.as_str()))
        .map(|c| context! { id => c.id, name => c.name, kind => c.kind.as_str() })
        .collect();
    let findings: Vec<_> = draft
        .lint
        .findings
        .iter()
        .map(|f| context! { severity => f.severity, message => f.message, field => f.field })
        .collect();
    let role_title = framework
        .provenance
        .as_ref()
        .and_then(|p| p.role.as_ref())
        .map_or(framework.title.as_str(), |r| r.title.as_str());
    viewer.page_status(
        status,
        "draft.html",
        context! {
            section => "new",
            title => framework.title,
            role_title => role_title,
            description => framework.description,
            draft_json => json,
            items => items,
            notices => draft.notices,
            findings => findings,
            addable => addable,
            can_save => viewer.can_edit(),
            error => feedback.error,
            done => feedback.done,
        },
    )
}

/// The draft step's form: the draft, the ticked boxes, and what to do.
#[derive(Debug, Default)]
struct DraftForm {
    draft: String,
    keep: BTreeSet<String>,
    op: String,
    add: String,
    notices: Vec<String>,
}

impl DraftForm {
    fn read(pairs: Vec<(String, String)>) -> DraftForm {
        let mut form = DraftForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "draft" => form.draft = value,
                "keep" => {
                    form.keep.insert(value);
                }
                "op" => form.op = value,
                "add" => form.add = value,
                "notice" => form.notices.push(value),
                _ => {}
            }
        }
        form
    }
}

/// Removes the competencies not in `keep`, with their targets, relations and any group left
/// empty.
pub fn keep_only(framework: &mut Framework, keep: &BTreeSet<String>) {
    framework.competencies.retain(|c| keep.contains(&c.id));
    for profile in &mut framework.role_profiles {
        profile.targets.retain(|t| keep.contains(&t.competency));
    }
    framework
        .relations
        .retain(|r| keep.contains(&r.from) && (r.external || keep.contains(&r.to)));
    let used: BTreeSet<String> = framework
        .competencies
        .iter()
        .filter_map(|c| c.group.clone())
        .collect();
    let parents: BTreeSet<String> = framework
        .groups
        .iter()
        .filter_map(|g| g.parent.clone())
        .collect();
    framework
        .groups
        .retain(|g| used.contains(&g.id) || parents.contains(&g.id));
}

/// Adds catalogue competency `key` to the draft, generated for the draft's role with `key`
/// included (so it gets the same levels, indicators, target and rationale as if the
/// generator had chosen it). Answers a message when it cannot.
async fn add_competency(
    state: &AppState,
    org: uuid::Uuid,
    draft: &mut Framework,
    key: &str,
) -> Result<String, String> {
    let Some(mut role) = draft.provenance.as_ref().and_then(|p| p.role.clone()) else {
        return Err("This draft does not say which role it was made for, so nothing can be added to it. Start again from the role.".into());
    };
    if draft
        .competencies
        .iter()
        .any(|c| c.id == key || c.source.as_ref().is_some_and(|s| s.id == key))
    {
        return Err("That competency is already in the draft.".into());
    }
    role.include = vec![key.to_string()];
    role.exclude.clear();
    let generated = draft_for(state, Some(org), role)
        .await
        .map_err(|p| p.detail)?
        .framework;
    let Some(added) = generated
        .competencies
        .iter()
        .find(|c| c.id == key || c.source.as_ref().is_some_and(|s| s.id == key))
        .cloned()
    else {
        return Err("The generator could not add that competency.".into());
    };
    if draft.competencies.iter().any(|c| c.id == added.id) {
        return Err("That competency is already in the draft.".into());
    }
    if let Some(group) = &added.group
        && !draft.groups.iter().any(|g| &g.id == group)
        && let Some(found) = generated.groups.iter().find(|g| &g.id == group)
    {
        draft.groups.push(found.clone());
    }
    let target = generated
        .role_profiles
        .iter()
        .flat_map(|p| &p.targets)
        .find(|t| t.competency == added.id)
        .cloned();
    if let (Some(target), Some(profile)) = (target, draft.role_profiles.first_mut()) {
        profile.targets.push(target);
    }
    let name = added.name.clone();
    draft.competencies.push(added);
    Ok(format!("Added “{name}” to the draft."))
}

/// Adds a competency to the draft, or saves it.
async fn draft_step(
    State(state): State<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let Posted { viewer, form } = posted;
    let form = DraftForm::read(form);
    let mut framework: Framework = match serde_json::from_str(&form.draft) {
        Ok(framework) => framework,
        Err(_) => {
            return error_page(
                Some(&viewer),
                StatusCode::BAD_REQUEST,
                "The draft could not be read",
                "The page did not send the draft back complete. Start again from the role.",
            );
        }
    };
    match form.op.as_str() {
        "add" => {
            let mut keep = form.keep.clone();
            let (status, message) = if form.add.trim().is_empty() {
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Err("Choose the competency to add from the list.".to_string()),
                )
            } else {
                match add_competency(
                    &state,
                    viewer.principal().org_id,
                    &mut framework,
                    form.add.trim(),
                )
                .await
                {
                    Ok(done) => {
                        if let Some(c) = framework.competencies.last() {
                            keep.insert(c.id.clone());
                        }
                        (StatusCode::OK, Ok(done))
                    }
                    Err(why) => (StatusCode::UNPROCESSABLE_ENTITY, Err(why)),
                }
            };
            let org = Some(viewer.principal().org_id);
            let lint = match crate::routes::frameworks::lint_report(&state, org, &framework).await {
                Ok(lint) => lint,
                Err(e) => return problem_page(Some(&viewer), &e),
            };
            let draft = GeneratedDraft {
                framework,
                notices: form.notices.clone(),
                lint,
            };
            let feedback = match &message {
                Ok(done) => Feedback {
                    error: None,
                    done: Some(done),
                },
                Err(why) => Feedback {
                    error: Some(why),
                    done: None,
                },
            };
            draft_page(&state, &viewer, status, &draft, Some(&keep), feedback)
        }
        "save" => save(&state, &viewer, framework, &form).await,
        _ => error_page(
            Some(&viewer),
            StatusCode::BAD_REQUEST,
            "The form could not be read",
            "Use the “Add to draft” or “Save framework” button.",
        ),
    }
}

/// Saves the kept competencies as a new framework (revision 1) and opens it. When the
/// framework's id (made from the role title) is taken, the next free `-2`, `-3`, … is used.
async fn save(
    state: &AppState,
    viewer: &Viewer,
    mut framework: Framework,
    form: &DraftForm,
) -> Response {
    if form.keep.is_empty() {
        let org = Some(viewer.principal().org_id);
        let lint = match crate::routes::frameworks::lint_report(state, org, &framework).await {
            Ok(lint) => lint,
            Err(e) => return problem_page(Some(viewer), &e),
        };
        let draft = GeneratedDraft {
            framework,
            notices: form.notices.clone(),
            lint,
        };
        return draft_page(
            state,
            viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            &draft,
            Some(&form.keep),
            Feedback {
                error: Some("Keep at least one competency: every box is cleared."),
                done: None,
            },
        );
    }
    keep_only(&mut framework, &form.keep);
    let caller = viewer.caller();
    let role = framework
        .provenance
        .as_ref()
        .and_then(|p| p.role.as_ref())
        .map_or_else(|| framework.title.clone(), |r| r.title.clone());
    let message = format!("Generated for the role “{role}” and saved from the web interface");
    let base = framework.id.clone();
    let mut attempt = 1;
    let record = loop {
        match create(state, &caller, &framework, &message).await {
            Ok(record) => break record,
            Err(problem) if problem.status == 409 && attempt < 20 => {
                attempt += 1;
                framework.id = format!("{base}-{attempt}");
            }
            Err(problem) => return problem_page(Some(viewer), &problem),
        }
    };
    tracing::info!(framework = %record.summary.id, "framework created from the web interface");
    with_notice(
        see_other(&format!("/frameworks/{}", record.summary.id)),
        &format!(
            "Saved “{}” as a draft with {} competencies.",
            record.summary.title,
            framework.competencies.len()
        ),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn sample() -> Framework {
        let level = |n: u8| serde_json::json!({ "level": n, "name": format!("L{n}"), "description": "Does the work at this level with the usual guidance." });
        serde_json::from_value(serde_json::json!({
            "format": "framewright/1",
            "id": "sample",
            "title": "Sample",
            "version": "0.1.0",
            "status": "draft",
            "scale": { "id": "s", "name": "Scale", "levels": [level(1), level(2), level(3), level(4), level(5)] },
            "groups": [
                { "id": "core", "name": "Core" },
                { "id": "functional", "name": "Functional" }
            ],
            "competencies": [
                { "id": "a", "name": "A", "kind": "general", "group": "core" },
                { "id": "b", "name": "B", "kind": "technical", "group": "functional" }
            ],
            "role_profiles": [
                { "id": "r", "title": "R", "targets": [
                    { "competency": "a", "level": 3 }, { "competency": "b", "level": 4 }
                ] }
            ],
            "relations": [ { "from": "a", "to": "b", "type": "related" } ]
        }))
        .unwrap()
    }

    #[test]
    fn removing_a_competency_removes_its_targets_relations_and_empty_group() {
        let mut framework = sample();
        keep_only(&mut framework, &BTreeSet::from(["a".to_string()]));
        assert_eq!(framework.competencies.len(), 1);
        assert_eq!(framework.role_profiles[0].targets.len(), 1);
        assert_eq!(framework.role_profiles[0].targets[0].competency, "a");
        assert!(framework.relations.is_empty());
        let groups: Vec<&str> = framework.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(groups, ["core"]);
        assert!(framewright_model::validate::problems(&framework).is_empty());
    }

    #[test]
    fn the_role_form_names_the_wrong_fields() {
        let form = RoleForm {
            title: "  ".into(),
            grade: "GS-13".into(),
            level: "3".into(),
            target_count: "20".into(),
            ..RoleForm::default()
        };
        let errors = form.role().unwrap_err();
        for field in ["title", "level", "target_count"] {
            assert!(errors.fields.contains_key(field), "{field}");
        }
        let role = RoleForm {
            title: "Data Scientist".into(),
            tasks: "- Builds models\n\n  * Cleans data  \n".into(),
            grade: "GS-14".into(),
            ..RoleForm::default()
        }
        .role()
        .unwrap();
        assert_eq!(role.tasks, ["Builds models", "Cleans data"]);
        assert_eq!(role.grade.map(|g| g.number()), Some(14));
        assert_eq!(role.target_count, None);
    }
}
