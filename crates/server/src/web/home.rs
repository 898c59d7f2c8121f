//! The start page: for a signed-in person, the dashboard (recent frameworks and where to go
//! next); otherwise the sign-in page, or a note when the server is not set up yet.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use framewright_store::{FrameworkFilter, PageRequest};
use minijinja::context;
use serde::Serialize;

use crate::state::AppState;
use crate::web::{Viewer, problem_page, render};

/// `/`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// A framework as the dashboard lists it.
#[derive(Debug, Serialize)]
pub struct FrameworkRow {
    /// Identifier (for the link).
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: String,
    /// Version.
    pub version: String,
    /// Revision.
    pub revision: i64,
    /// Last changed, `YYYY-MM-DD HH:MM` UTC.
    pub updated: String,
}

impl FrameworkRow {
    /// The row for a listed framework.
    pub fn of(s: &framewright_store::FrameworkSummary) -> FrameworkRow {
        FrameworkRow {
            id: s.id.to_string(),
            title: s.title.clone(),
            status: s.status.replace('_', " "),
            version: s.version.clone(),
            revision: s.revision,
            updated: when(s.updated_at),
        }
    }
}

/// Milliseconds since the epoch as `YYYY-MM-DD HH:MM` UTC.
pub fn when(millis: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

async fn home(State(state): State<AppState>, viewer: Result<Viewer, Response>) -> Response {
    let viewer = match viewer {
        Ok(viewer) => viewer,
        Err(to_login) => {
            return match state.store().count_users().await {
                Ok(0) => render(
                    "error.html",
                    context! {
                        status => 200,
                        heading => "Framewright is not set up yet",
                        message => "Open the set-up link that `framewright serve` printed when it started, and create the first account.",
                    },
                ),
                _ => to_login,
            };
        }
    };
    let found = state
        .store()
        .list_frameworks(
            viewer.principal().org_id,
            &FrameworkFilter::default(),
            PageRequest::first(10),
        )
        .await;
    let found = match found {
        Ok(found) => found,
        Err(e) => return problem_page(Some(&viewer), &e.into()),
    };
    let rows: Vec<FrameworkRow> = found.items.iter().map(FrameworkRow::of).collect();
    viewer.page(
        "home.html",
        context! {
            section => "home",
            frameworks => rows,
            total => found.total,
        },
    )
}
