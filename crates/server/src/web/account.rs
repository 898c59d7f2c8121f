//! Signing in (`/login`) and out (`/logout`) in the browser. Sign-in goes through the same
//! code path and rate limit as the API's `POST /api/v1/session`
//! ([`sign_in`](crate::routes::accounts::sign_in)).

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;

use crate::routes::Peer;
use crate::routes::accounts::{clear_session_cookie, end_session, sign_in};
use crate::state::AppState;
use crate::web::{
    Posted, Viewer, clear_notice, notice, problem_page, render_status, safe_next, see_other,
};

/// `/login` and `/logout`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/account", get(account_page))
}

/// Where to go after signing in.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

fn login_form(status: StatusCode, next: &str, email: &str, error: Option<&str>) -> Response {
    login_form_with(status, next, email, error, None)
}

fn login_form_with(
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<&str>,
    notice: Option<&str>,
) -> Response {
    render_status(
        status,
        "login.html",
        context! { next => next, email => email, error => error, notice => notice },
    )
}

/// The sign-in page; a visitor already signed in goes straight on.
async fn login_page(
    viewer: Result<Viewer, Response>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    if viewer.is_ok() {
        return see_other(&next);
    }
    match notice(&headers) {
        Some(text) => clear_notice(login_form_with(
            StatusCode::OK,
            &next,
            "",
            None,
            Some(&text),
        )),
        None => login_form(StatusCode::OK, &next, "", None),
    }
}

/// Checks the password (rate-limited per address), starts the session, goes on to `next`.
async fn login_submit(
    State(state): State<AppState>,
    peer: Peer,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let email = form.email.trim();
    match sign_in(&state, peer, email, form.password, None).await {
        Ok((cookie, _)) => {
            let mut response = see_other(&next);
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(problem) if problem.status == 401 => login_form(
            StatusCode::UNAUTHORIZED,
            &next,
            email,
            Some("The email or the password is wrong."),
        ),
        Err(problem) if problem.status == 429 => {
            let mut response = login_form(
                StatusCode::TOO_MANY_REQUESTS,
                &next,
                email,
                Some(&format!(
                    "Too many sign-in attempts from this computer. Wait {} seconds and try again.",
                    problem.retry_after.unwrap_or(60)
                )),
            );
            if let Some(wait) = problem.retry_after
                && let Ok(value) = HeaderValue::from_str(&wait.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(problem) => problem_page(None, &problem),
    }
}

/// Ends the session and goes to the sign-in page.
async fn logout(State(state): State<AppState>, posted: Posted<Vec<(String, String)>>) -> Response {
    if let Err(problem) = end_session(&state, &posted.viewer.session.id_hash).await {
        return problem_page(Some(&posted.viewer), &problem);
    }
    let mut response = crate::web::with_notice(see_other("/login"), "You are signed out.");
    if let Ok(value) = HeaderValue::from_str(&clear_session_cookie(&state)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response.into_response()
}

/// Who is signed in, in which organisation, with which role; their other organisations.
async fn account_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let p = viewer.principal();
    let memberships = match state.store().memberships(p.user_id).await {
        Ok(found) => found,
        Err(e) => return problem_page(Some(&viewer), &e.into()),
    };
    let organisations: Vec<_> = memberships
        .iter()
        .map(|m| {
            context! {
                name => m.organisation.name,
                slug => m.organisation.slug,
                role => m.role.to_string(),
                current => m.organisation.id == p.org_id,
            }
        })
        .collect();
    viewer.page(
        "account.html",
        context! { section => "account", email => p.email, organisations => organisations },
    )
}
