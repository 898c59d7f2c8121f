//! A framework's page, read-only: `/frameworks/{id}` (the current revision: competencies with
//! definitions, rationales, levels and indicators; the role profiles' targets; export links).
//! A minimal page in a file of its own, so that the framework editor can replace it.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use minijinja::context;
use uuid::Uuid;

use crate::state::AppState;
use crate::web::{Viewer, not_found, problem_page};

/// `/frameworks/{id}`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/frameworks/{id}", get(framework_page))
}

const MISSING: &str = "There is no framework at this address in your organisation. It may have been deleted, or the link is from another organisation.";

async fn framework_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found(Some(&viewer), MISSING);
    };
    let record = match state.store().framework(viewer.principal().org_id, id).await {
        Ok(Some(record)) => record,
        Ok(None) => return not_found(Some(&viewer), MISSING),
        Err(e) => return problem_page(Some(&viewer), &e.into()),
    };
    let framework = match record.framework() {
        Ok(framework) => framework,
        Err(e) => return problem_page(Some(&viewer), &e.into()),
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
    let name_of = |id: &str| {
        framework
            .competency(id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    };
    let competencies: Vec<_> = framework
        .competencies
        .iter()
        .map(|c| {
            let levels: Vec<_> = c
                .levels
                .iter()
                .map(|l| {
                    context! {
                        level => l.level,
                        name => level_name(l.level),
                        description => l.description,
                        indicators => l.indicators,
                    }
                })
                .collect();
            context! {
                id => c.id,
                name => c.name,
                kind => c.kind.as_str(),
                group => c.group.as_ref().and_then(|g| framework.groups.iter().find(|x| &x.id == g)).map(|g| g.name.clone()),
                definition => c.definition,
                rationale => c.rationale,
                levels => levels,
            }
        })
        .collect();
    let profiles: Vec<_> = framework
        .role_profiles
        .iter()
        .map(|p| {
            let targets: Vec<_> = p
                .targets
                .iter()
                .map(|t| {
                    context! {
                        competency => name_of(&t.competency),
                        level => t.level,
                        level_name => level_name(t.level),
                    }
                })
                .collect();
            context! {
                title => p.title,
                grade => p.grade.map(|g| g.to_string()),
                level => p.level,
                targets => targets,
            }
        })
        .collect();
    let s = &record.summary;
    viewer.page(
        "framework.html",
        context! {
            section => "frameworks",
            id => s.id.to_string(),
            title => framework.title,
            description => framework.description,
            status => s.status.replace('_', " "),
            version => s.version,
            revision => s.revision,
            next_review => s.next_review,
            competencies => competencies,
            profiles => profiles,
            exports => [("xlsx", "Excel workbook"), ("csv", "CSV"), ("md", "Markdown"), ("html", "Web page"), ("json", "Framework file (JSON)"), ("toml", "Framework file (TOML)")],
        },
    )
}
