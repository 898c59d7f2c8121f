//! The organisation's frameworks: `/frameworks`, newest change first, 50 a page.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use framewright_store::FrameworkFilter;
use minijinja::context;
use serde::Deserialize;

use crate::extract::PageQuery;
use crate::state::AppState;
use crate::web::home::FrameworkRow;
use crate::web::{Viewer, problem_page};

/// `/frameworks`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/frameworks", get(list))
}

/// Which page.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    page: Option<u32>,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Response {
    let page = PageQuery {
        page: query.page,
        per_page: Some(50),
    };
    let request = page.request();
    let found = state
        .store()
        .list_frameworks(
            viewer.principal().org_id,
            &FrameworkFilter::default(),
            request,
        )
        .await;
    let found = match found {
        Ok(found) => found,
        Err(e) => return problem_page(Some(&viewer), &e.into()),
    };
    let current = request.offset / request.limit + 1;
    let last = ((found.total + request.limit - 1) / request.limit).max(1);
    let rows: Vec<FrameworkRow> = found.items.iter().map(FrameworkRow::of).collect();
    viewer.page(
        "frameworks.html",
        context! {
            section => "frameworks",
            frameworks => rows,
            total => found.total,
            previous => (current > 1).then(|| format!("/frameworks?page={}", current - 1)),
            next => (current < last).then(|| format!("/frameworks?page={}", current + 1)),
        },
    )
}
