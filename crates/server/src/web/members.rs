//! Account management in the browser: your API tokens (`/account/tokens`: create — the secret
//! is shown once — and revoke) and the organisation's members (`/account/members`: everyone
//! sees who is in the organisation with which role; owners add people, change roles and
//! remove members).
//!
//! The forms call the API's own handlers
//! ([`create_token`](crate::routes::accounts::create_token),
//! [`revoke_token`](crate::routes::accounts::revoke_token),
//! [`add_member`](crate::routes::accounts::add_member),
//! [`set_member_role`](crate::routes::accounts::set_member_role),
//! [`remove_member`](crate::routes::accounts::remove_member)), so the checks and the audit log
//! are the same as through the API.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use framewright_store::PageRequest;
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::dto::{MemberRole, NewMemberBody, NewTokenBody, RoleBody};
use crate::extract::{ApiJson, ApiPath};
use crate::problem::Problem;
use crate::routes::accounts::{
    MemberPath, TokenPath, add_member, create_token, remove_member, revoke_token, set_member_role,
};
use crate::state::AppState;
use crate::web::frameworks::when;
use crate::web::{Posted, Viewer, problem_page, see_other, status_of, with_notice};

/// `/account/tokens` and `/account/members` with their forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/tokens", get(tokens_page).post(create))
        .route("/account/tokens/{token_id}/revoke", post(revoke))
        .route("/account/members", get(members_page).post(add))
        .route("/account/members/{user_id}/role", post(change_role))
        .route("/account/members/{user_id}/remove", post(remove))
}

#[derive(Debug, Serialize)]
struct TokenRow {
    id: String,
    name: String,
    created: String,
    last_used: String,
    expires: String,
    revoked: Option<String>,
    expired: bool,
}

/// A secret just created, to show once.
#[derive(Debug, Serialize)]
struct NewSecret {
    name: String,
    secret: String,
}

async fn tokens(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    created: Option<NewSecret>,
    error: Option<String>,
) -> Response {
    let p = viewer.principal();
    let found = match state.store().list_tokens(p.org_id, p.user_id).await {
        Ok(found) => found,
        Err(e) => return problem_page(Some(viewer), &e.into()),
    };
    let now = crate::auth::now_millis();
    let rows: Vec<TokenRow> = found
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.to_string(),
            name: t.name,
            created: when(t.created_at),
            last_used: t.last_used_at.map_or_else(|| "never".into(), when),
            expires: t.expires_at.map_or_else(|| "never".into(), when),
            revoked: t.revoked_at.map(when),
            expired: t.expires_at.is_some_and(|e| e <= now),
        })
        .collect();
    viewer.page_status(
        status,
        "account_tokens.html",
        context! {
            section => "account",
            tokens => rows,
            created => created,
            error => error,
        },
    )
}

/// The token page again, with why the API refused what was posted.
async fn tokens_refused(state: &AppState, viewer: &Viewer, problem: &Problem) -> Response {
    let error = Some(problem_text(problem));
    tokens(state, viewer, status_of(problem), None, error).await
}

/// `GET /account/tokens`: your API tokens in this organisation.
pub async fn tokens_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    tokens(&state, &viewer, StatusCode::OK, None, None).await
}

/// The new-token form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    /// What it is for.
    name: String,
    /// Days until it expires; empty for never.
    #[serde(default)]
    expires_in_days: String,
}

fn problem_text(problem: &Problem) -> String {
    let mut text = problem.detail.clone();
    for field in &problem.errors {
        if !text.contains(&field.detail) {
            text.push_str(&format!(" ({})", field.detail));
        }
    }
    text
}

/// `POST /account/tokens`: creates a token and shows its secret this once.
pub async fn create(State(state): State<AppState>, posted: Posted<TokenForm>) -> Response {
    let Posted { viewer, form } = posted;
    let days = form.expires_in_days.trim();
    let expires_in_days = if days.is_empty() {
        None
    } else {
        match days.parse::<u32>() {
            Ok(d) if (1..=crate::routes::accounts::MAX_TOKEN_DAYS).contains(&d) => Some(d),
            _ => {
                return tokens(
                    &state,
                    &viewer,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                    Some(format!(
                        "“{days}” is not a number of days from 1 to 3650; leave the field empty for a token that lasts until you revoke it."
                    )),
                )
                .await;
            }
        }
    };
    let result = create_token(
        State(state.clone()),
        viewer.caller(),
        ApiJson(NewTokenBody {
            name: form.name.clone(),
            expires_in_days,
        }),
    )
    .await;
    let response = match result {
        Ok(response) => response,
        Err(problem) => {
            return tokens_refused(&state, &viewer, &problem).await;
        }
    };
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024).await;
    let secret = body
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("secret").and_then(|s| s.as_str()).map(str::to_string));
    match secret {
        Some(secret) => {
            tokens(
                &state,
                &viewer,
                StatusCode::OK,
                Some(NewSecret {
                    name: form.name.trim().to_string(),
                    secret,
                }),
                None,
            )
            .await
        }
        None => problem_page(Some(&viewer), &Problem::internal()),
    }
}

/// `POST /account/tokens/{token_id}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    Path(token_id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let viewer = posted.viewer;
    let not_found = || Problem::not_found("you have no live token with this id");
    let result = match Uuid::parse_str(&token_id) {
        Ok(token_id) => {
            revoke_token(
                State(state.clone()),
                viewer.caller(),
                ApiPath(TokenPath { token_id }),
            )
            .await
        }
        Err(_) => Err(not_found()),
    };
    match result {
        Ok(_) => with_notice(see_other("/account/tokens"), "The token is revoked."),
        Err(problem) => tokens_refused(&state, &viewer, &problem).await,
    }
}

#[derive(Debug, Serialize)]
struct MemberRow {
    id: String,
    name: String,
    email: String,
    role: String,
    since: String,
    is_you: bool,
}

async fn members(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let p = viewer.principal();
    let found = match state
        .store()
        .list_members(p.org_id, PageRequest::first(1000))
        .await
    {
        Ok(found) => found,
        Err(e) => return problem_page(Some(viewer), &e.into()),
    };
    let rows: Vec<MemberRow> = found
        .items
        .into_iter()
        .map(|m| MemberRow {
            id: m.user.id.to_string(),
            is_you: m.user.id == p.user_id,
            name: m.user.name,
            email: m.user.email,
            role: m.role.to_string(),
            since: when(m.since),
        })
        .collect();
    viewer.page_status(
        status,
        "account_members.html",
        context! {
            section => "account",
            members => rows,
            total => found.total,
            is_owner => p.role.can_manage(),
            roles => [
                ("owner", "Owner: everything, including members"),
                ("designer", "Designer: creates and edits frameworks"),
                ("reviewer", "Reviewer: comments and approves"),
                ("viewer", "Viewer: reads"),
            ],
            error => error,
        },
    )
}

/// The member page again, with why the API refused what was posted.
async fn members_refused(state: &AppState, viewer: &Viewer, problem: &Problem) -> Response {
    members(
        state,
        viewer,
        status_of(problem),
        Some(problem_text(problem)),
    )
    .await
}

/// `GET /account/members`: who is in the organisation, with which role.
pub async fn members_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    members(&state, &viewer, StatusCode::OK, None).await
}

/// The add-member form.
#[derive(Debug, Deserialize)]
pub struct MemberForm {
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    role: MemberRole,
}

/// `POST /account/members`: adds an existing account, or creates one with a first password.
pub async fn add(State(state): State<AppState>, posted: Posted<MemberForm>) -> Response {
    let Posted { viewer, form } = posted;
    let filled = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let result = add_member(
        State(state.clone()),
        viewer.caller(),
        ApiJson(NewMemberBody {
            email: form.email.clone(),
            name: filled(&form.name),
            password: (!form.password.is_empty()).then(|| form.password.clone()),
            role: form.role,
        }),
    )
    .await;
    match result {
        Ok(_) => with_notice(
            see_other("/account/members"),
            &format!("{} is now a member.", form.email.trim()),
        ),
        Err(problem) => members_refused(&state, &viewer, &problem).await,
    }
}

/// The role form.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    role: MemberRole,
}

fn member_path(user_id: &str) -> Result<ApiPath<MemberPath>, Problem> {
    Uuid::parse_str(user_id)
        .map(|user_id| ApiPath(MemberPath { user_id }))
        .map_err(|_| Problem::not_found("no such member of your organisation"))
}

/// `POST /account/members/{user_id}/role`.
pub async fn change_role(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    posted: Posted<RoleForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let result = match member_path(&user_id) {
        Ok(path) => set_member_role(
            State(state.clone()),
            viewer.caller(),
            path,
            ApiJson(RoleBody { role: form.role }),
        )
        .await
        .map(|_| ()),
        Err(problem) => Err(problem),
    };
    match result {
        Ok(()) => with_notice(see_other("/account/members"), "The role is changed."),
        Err(problem) => members_refused(&state, &viewer, &problem).await,
    }
}

/// `POST /account/members/{user_id}/remove`.
pub async fn remove(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let viewer = posted.viewer;
    let result = match member_path(&user_id) {
        Ok(path) => remove_member(State(state.clone()), viewer.caller(), path)
            .await
            .map(|_| ()),
        Err(problem) => Err(problem),
    };
    match result {
        Ok(()) => with_notice(
            see_other("/account/members"),
            "The member is removed from the organisation.",
        ),
        Err(problem) => members_refused(&state, &viewer, &problem).await,
    }
}
