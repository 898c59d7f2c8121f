//! The first-start set-up page (reached through the one-time link printed when the server
//! starts with no account) and the health check. The web interface's other pages are in
//! [`crate::web`]; the set-up page uses its layout (`templates/setup.html`).

use axum::extract::{Form, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use framewright_store::{NewAccount, StoreError};
use serde::Deserialize;

use crate::auth::{constant_time_eq, hash_password, password_problem, sha256_hex, too_many};
use crate::routes::Peer;
use crate::routes::accounts::start_session;
use crate::state::AppState;

/// Escapes text for HTML (Framewright's one HTML escape).
pub use framewright_interop::document::escape_html as escape;

/// The one-time token of the set-up link.
#[derive(Debug, Deserialize)]
pub struct SetupQuery {
    /// The token printed at start-up.
    pub token: Option<String>,
}

/// The set-up form.
#[derive(Debug, Deserialize)]
pub struct SetupForm {
    token: String,
    organisation: String,
    name: String,
    email: String,
    password: String,
    password_again: String,
}

fn token_ok(state: &AppState, token: &str) -> bool {
    let Ok(guard) = state.inner.setup_token_hash.lock() else {
        return false;
    };
    guard
        .as_deref()
        .is_some_and(|hash| constant_time_eq(hash, &sha256_hex(token)))
}

fn setup_form(
    status: StatusCode,
    token: &str,
    form: Option<&SetupForm>,
    error: Option<&str>,
) -> Response {
    let value = |f: fn(&SetupForm) -> &str| form.map(f).unwrap_or_default();
    crate::web::render_status(
        status,
        "setup.html",
        minijinja::context! {
            token => token,
            organisation => value(|f| &f.organisation),
            name => value(|f| &f.name),
            email => value(|f| &f.email),
            error => error,
        },
    )
}

fn gone() -> Response {
    crate::web::error_page(
        None,
        StatusCode::NOT_FOUND,
        "This set-up link is not valid",
        "The server is already set up, or the link is from an earlier start. Sign in instead \
         (/login), or restart the server with no accounts to get a new link.",
    )
}

/// The first-start set-up page.
pub async fn setup_page(
    State(state): State<AppState>,
    Query(query): Query<SetupQuery>,
) -> Response {
    match query.token {
        Some(token) if token_ok(&state, &token) => setup_form(StatusCode::OK, &token, None, None),
        _ => gone(),
    }
}

/// Creates the owner account and organisation, signs the owner in and goes to the start page.
pub async fn setup_submit(
    State(state): State<AppState>,
    peer: Peer,
    Form(form): Form<SetupForm>,
) -> Response {
    if let Err(wait) = state.inner.login_limiter.check(peer.0) {
        return too_many(wait).into_response();
    }
    if !token_ok(&state, &form.token) {
        return gone();
    }
    let again = |error: &str| {
        setup_form(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.token,
            Some(&form),
            Some(error),
        )
    };
    let organisation = form.organisation.trim();
    let slug = framewright_model::slug::slugify(organisation);
    if slug.is_empty() {
        return again("Give the organisation a name with at least one letter or digit.");
    }
    if form.name.trim().is_empty() {
        return again("Give your name.");
    }
    if !form.email.contains('@') {
        return again("That email address does not look right.");
    }
    if let Some(why) = password_problem(&form.password) {
        return again(&format!("Choose another password: {why}."));
    }
    if form.password != form.password_again {
        return again("The two passwords differ.");
    }
    let hash = match hash_password(form.password.clone()).await {
        Ok(hash) => hash,
        Err(problem) => return problem.into_response(),
    };
    let created = state
        .store()
        .setup_first_owner(NewAccount {
            org_slug: slug,
            org_name: organisation.to_string(),
            email: form.email.trim().to_string(),
            name: form.name.trim().to_string(),
            password_hash: hash,
        })
        .await;
    let (org, user) = match created {
        Ok(done) => done,
        Err(StoreError::AlreadySetUp) => return gone(),
        Err(other) => return crate::problem::Problem::from(other).into_response(),
    };
    if let Ok(mut guard) = state.inner.setup_token_hash.lock() {
        *guard = None;
    }
    tracing::info!(email = %user.email, organisation = %org.slug, "owner account created");
    match start_session(&state, user.id, org.id).await {
        Ok((cookie, _)) => {
            let mut response = Redirect::to("/").into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(problem) => problem.into_response(),
    }
}

/// Liveness and database check for load balancers.
pub async fn health(State(state): State<AppState>) -> Response {
    match state.store().count_users().await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}
