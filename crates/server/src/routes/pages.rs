//! Server-rendered pages. For now: the first-start set-up page (reached through the one-time
//! link printed when the server starts with no account), a landing page, and a health check.
//! The web interface adds its pages here, on the same state and the same session cookie;
//! forms post their CSRF token in a `csrf_token` field checked with
//! [`SessionCaller::check_csrf`](crate::auth::SessionCaller::check_csrf).

use axum::extract::{Form, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use framewright_store::{NewAccount, StoreError};
use serde::Deserialize;

use crate::auth::{constant_time_eq, hash_password, password_problem, sha256_hex, too_many};
use crate::routes::Peer;
use crate::routes::accounts::start_session;
use crate::state::AppState;

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · Framewright</title>\n<style>\n\
         body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}}\n\
         label{{display:block;margin-top:1rem;font-weight:600}}\n\
         input{{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}}\n\
         button{{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}}\n\
         .error{{background:#fde8e8;border:1px solid #c53030;padding:.75rem;border-radius:4px}}\n\
         .hint{{color:#555;font-size:.9rem;font-weight:normal}}\n\
         </style>\n</head>\n<body>\n<main>\n{}\n</main>\n</body>\n</html>\n",
        escape(title),
        body
    )
}

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

fn setup_form(token: &str, form: Option<&SetupForm>, error: Option<&str>) -> String {
    let value = |f: fn(&SetupForm) -> &str| form.map(f).map(escape).unwrap_or_default();
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    page(
        "Set up Framewright",
        &format!(
            "<h1>Set up Framewright</h1>\n\
             <p>Create the first account. It will own the organisation you name here and can invite others.</p>\n\
             {error}\n\
             <form method=\"post\" action=\"/setup\">\n\
             <input type=\"hidden\" name=\"token\" value=\"{token}\">\n\
             <label for=\"organisation\">Organisation name</label>\n\
             <input id=\"organisation\" name=\"organisation\" required value=\"{org}\" autocomplete=\"organization\">\n\
             <label for=\"name\">Your name</label>\n\
             <input id=\"name\" name=\"name\" required value=\"{name}\" autocomplete=\"name\">\n\
             <label for=\"email\">Email <span class=\"hint\">(you sign in with it)</span></label>\n\
             <input id=\"email\" name=\"email\" type=\"email\" required value=\"{email}\" autocomplete=\"email\">\n\
             <label for=\"password\">Password <span class=\"hint\">(at least 10 characters)</span></label>\n\
             <input id=\"password\" name=\"password\" type=\"password\" required minlength=\"10\" autocomplete=\"new-password\">\n\
             <label for=\"password_again\">Password again</label>\n\
             <input id=\"password_again\" name=\"password_again\" type=\"password\" required minlength=\"10\" autocomplete=\"new-password\">\n\
             <button type=\"submit\">Create account</button>\n\
             </form>",
            token = escape(token),
            org = value(|f| &f.organisation),
            name = value(|f| &f.name),
            email = value(|f| &f.email),
        ),
    )
}

fn gone() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page(
            "Set-up link not valid",
            "<h1>This set-up link is not valid</h1>\n<p>The server is already set up, or the link is from an earlier start. \
             Sign in instead, or restart the server with no accounts to get a new link.</p>",
        )),
    )
        .into_response()
}

/// The first-start set-up page.
pub async fn setup_page(
    State(state): State<AppState>,
    Query(query): Query<SetupQuery>,
) -> Response {
    match query.token {
        Some(token) if token_ok(&state, &token) => {
            Html(setup_form(&token, None, None)).into_response()
        }
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
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(setup_form(&form.token, Some(&form), Some(error))),
        )
            .into_response()
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
