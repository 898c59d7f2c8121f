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

use crate::auth::{constant_time_eq, cookie, random_hex};
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
    /// The form's own token (see [`LOGIN_COOKIE`]).
    #[serde(default)]
    login_token: String,
}

/// Cookie holding the sign-in form's own token (double submit: a page of another site can
/// post to `/login` but can neither read nor set this cookie, so it cannot sign a visitor in
/// to an account of its choosing).
const LOGIN_COOKIE: &str = "fw_login";

/// What the sign-in form shows besides its fields.
#[derive(Debug, Default, Clone, Copy)]
struct LoginView<'a> {
    next: &'a str,
    email: &'a str,
    error: Option<&'a str>,
    notice: Option<&'a str>,
}

/// The sign-in form with a fresh form token (in a hidden field and in its cookie).
fn login_form(state: &AppState, status: StatusCode, view: LoginView<'_>) -> Response {
    let token = match random_hex(32) {
        Ok(token) => token,
        Err(problem) => return problem_page(None, &problem),
    };
    let mut response = render_status(
        status,
        "login.html",
        context! {
            next => view.next,
            email => view.email,
            error => view.error,
            notice => view.notice,
            login_token => token,
        },
    );
    let cookie = format!(
        "{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{}",
        if state.settings().secure_cookies {
            "; Secure"
        } else {
            ""
        }
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The sign-in page; a visitor already signed in goes straight on.
async fn login_page(
    State(state): State<AppState>,
    viewer: Result<Viewer, Response>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    if viewer.is_ok() {
        return see_other(&next);
    }
    let shown = notice(&headers);
    let response = login_form(
        &state,
        StatusCode::OK,
        LoginView {
            next: &next,
            notice: shown.as_deref(),
            ..LoginView::default()
        },
    );
    if shown.is_some() {
        clear_notice(response)
    } else {
        response
    }
}

/// Checks the password (rate-limited per address), starts the session, goes on to `next`.
async fn login_submit(
    State(state): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let email = form.email.trim();
    let view = LoginView {
        next: &next,
        email,
        ..LoginView::default()
    };
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(&expected, &form.login_token) {
        return login_form(
            &state,
            StatusCode::FORBIDDEN,
            LoginView {
                error: Some("The sign-in form had expired. Enter your password again."),
                ..view
            },
        );
    }
    match sign_in(&state, peer, email, form.password, None).await {
        Ok((session, _)) => {
            let mut response = see_other(&next);
            if let Ok(value) = HeaderValue::from_str(&session) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            if let Ok(value) = HeaderValue::from_str(&format!(
                "{LOGIN_COOKIE}=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0"
            )) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(problem) if problem.status == 401 => login_form(
            &state,
            StatusCode::UNAUTHORIZED,
            LoginView {
                error: Some("The email or the password is wrong."),
                ..view
            },
        ),
        Err(problem) if problem.status == 429 => {
            let message = format!(
                "Too many sign-in attempts from this computer. Wait {} seconds and try again.",
                problem.retry_after.unwrap_or(60)
            );
            let mut response = login_form(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                LoginView {
                    error: Some(&message),
                    ..view
                },
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
