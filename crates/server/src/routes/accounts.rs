//! Accounts: signing in and out (browser sessions), API tokens, members and roles, the audit
//! log, and review comments.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use framewright_store::{NewApiToken, NewComment, NewMember, NewSession, Role};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{
    Caller, TOKEN_PREFIX, Via, hash_password, now_millis, password_problem, random_hex,
    session_cookie, sha256_hex, too_many, verify_password,
};
use crate::dto::{
    AuditPage, CommentInfo, CommentPage, CreatedToken, LoginBody, MemberInfo, MemberPage,
    NewCommentBody, NewMemberBody, NewTokenBody, OrganisationInfo, RoleBody, SessionInfo,
    TokenInfo,
};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery};
use crate::problem::responses as problems;
use crate::problem::{ApiResult, Problem};
use crate::routes::frameworks::FrameworkPath;
use crate::state::AppState;

/// The longest a token may be made to last, in days (ten years).
pub(crate) const MAX_TOKEN_DAYS: u32 = 3650;

/// A member's path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MemberPath {
    /// The user's id.
    pub user_id: Uuid,
}

/// A token's path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TokenPath {
    /// The token's id.
    pub token_id: Uuid,
}

async fn session_info(state: &AppState, caller: &Caller) -> ApiResult<SessionInfo> {
    let p = &caller.principal;
    let memberships = state.store().memberships(p.user_id).await?;
    let organisations: Vec<OrganisationInfo> = memberships
        .into_iter()
        .map(|m| OrganisationInfo {
            id: m.organisation.id,
            slug: m.organisation.slug,
            name: m.organisation.name,
            role: m.role.into(),
        })
        .collect();
    let current = organisations
        .iter()
        .find(|o| o.id == p.org_id)
        .map(|o| OrganisationInfo {
            id: o.id,
            slug: o.slug.clone(),
            name: o.name.clone(),
            role: o.role,
        })
        .ok_or_else(|| Problem::unauthorized("you are no longer a member of this organisation"))?;
    Ok(SessionInfo {
        user_id: p.user_id,
        email: p.email.clone(),
        name: p.name.clone(),
        organisation: current,
        organisations,
        via: match caller.via {
            Via::Token => "token".into(),
            Via::Session => "session".into(),
        },
        csrf_token: caller.session.as_ref().map(|(_, csrf)| csrf.clone()),
    })
}

/// Starts a browser session for `user` in `org`: the cookie to set and the CSRF token.
pub(crate) async fn start_session(
    state: &AppState,
    user: Uuid,
    org: Uuid,
) -> ApiResult<(String, String)> {
    let id = random_hex(32)?;
    let csrf = random_hex(32)?;
    let now = now_millis();
    // Sign-ins are rare: a good moment to drop sessions that have run out.
    if let Err(e) = state.store().purge_expired_sessions(now).await {
        tracing::warn!(error = %e, "could not purge expired sessions");
    }
    let lifetime = state.settings().session_lifetime;
    state
        .store()
        .create_session(NewSession {
            id_hash: sha256_hex(&id),
            user_id: user,
            org_id: org,
            csrf_token: csrf.clone(),
            created_at: now,
            expires_at: now + i64::try_from(lifetime.as_millis()).unwrap_or(i64::MAX / 2),
        })
        .await?;
    Ok((
        session_cookie(&id, lifetime, state.settings().secure_cookies),
        csrf,
    ))
}

/// Sign in with email and password: starts a browser session (an HttpOnly cookie) and
/// answers the CSRF token that unsafe requests of the session must carry. Rate-limited per
/// client address.
#[utoipa::path(
    post,
    path = "/session",
    tag = "accounts",
    request_body(content = LoginBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SessionInfo,
            headers(("Set-Cookie" = String, description = "fw_session (HttpOnly, SameSite=Lax)"))),
        problems::WrongCredentials,
        problems::TooManyAttempts,
    )
)]
pub async fn login(
    State(state): State<AppState>,
    connect: crate::routes::Peer,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let (cookie, caller) = sign_in(
        &state,
        connect,
        &body.email,
        body.password,
        body.organisation.as_deref(),
    )
    .await?;
    let info = session_info(&state, &caller).await?;
    let mut response = Json(info).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// Signs in by password, rate-limited per client address and per account: the session cookie to set and the
/// new session's caller (with its CSRF token). The one code path of the API's
/// `POST /api/v1/session` and the web interface's sign-in form.
pub(crate) async fn sign_in(
    state: &AppState,
    peer: crate::routes::Peer,
    email: &str,
    password: String,
    organisation: Option<&str>,
) -> ApiResult<(String, Caller)> {
    state.inner.login_limiter.check(peer.0).map_err(too_many)?;
    state
        .inner
        .account_limiter
        .check(email.trim().to_lowercase())
        .map_err(|wait| {
            let mut problem = too_many(wait);
            problem.detail =
                format!("too many sign-in attempts for this account; try again in {wait} s");
            problem
        })?;
    let credentials = state.store().find_credentials(email).await?;
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    let ok = verify_password(password, stored).await;
    let Some(credentials) = credentials.filter(|_| ok) else {
        return Err(Problem::unauthorized("wrong email or password"));
    };
    let memberships = state.store().memberships(credentials.user.id).await?;
    let membership = match organisation {
        Some(slug) => memberships.iter().find(|m| m.organisation.slug == slug),
        None => memberships.first(),
    }
    .ok_or_else(|| {
        Problem::forbidden("you are not a member of that organisation")
            .with_field("/organisation", "not one of your organisations")
    })?;
    let (cookie, csrf) =
        start_session(state, credentials.user.id, membership.organisation.id).await?;
    let caller = Caller {
        principal: framewright_store::Principal {
            user_id: credentials.user.id,
            email: credentials.user.email.clone(),
            name: credentials.user.name.clone(),
            org_id: membership.organisation.id,
            role: membership.role,
        },
        via: Via::Session,
        session: Some((String::new(), csrf)),
    };
    Ok((cookie, caller))
}

/// Who is signed in, in which organisation, and (for browser sessions) the CSRF token.
#[utoipa::path(
    get,
    path = "/session",
    tag = "accounts",
    responses(
        (status = 200, description = "The caller", body = SessionInfo),
        problems::NotSignedIn,
    )
)]
pub async fn current_session(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SessionInfo>> {
    Ok(Json(session_info(&state, &caller).await?))
}

/// Sign out: ends the browser session and clears its cookie.
#[utoipa::path(
    delete,
    path = "/session",
    tag = "accounts",
    responses(
        (status = 204, description = "Signed out"),
        problems::NotSignedIn,
        problems::CsrfMissing,
    )
)]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    if let Some((id_hash, _)) = &caller.session {
        end_session(&state, id_hash).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(value) = HeaderValue::from_str(&clear_session_cookie(&state)) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// Ends the session with this id hash (store and cache): the API's and the web's sign-out.
pub(crate) async fn end_session(state: &AppState, id_hash: &str) -> ApiResult<()> {
    state.store().delete_session(id_hash).await?;
    state.inner.callers.remove(&format!("s:{id_hash}"));
    Ok(())
}

/// A `Set-Cookie` value that clears the session cookie.
pub(crate) fn clear_session_cookie(state: &AppState) -> String {
    session_cookie("", Duration::ZERO, state.settings().secure_cookies)
}

/// The caller's own API tokens in this organisation.
#[utoipa::path(
    get,
    path = "/tokens",
    tag = "accounts",
    responses(
        (status = 200, description = "Tokens (never their secrets)", body = [TokenInfo]),
        problems::NotSignedIn,
    )
)]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    let tokens = state
        .store()
        .list_tokens(caller.principal.org_id, caller.principal.user_id)
        .await?;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

/// Create an API token for scripts. The secret is in the answer, once.
#[utoipa::path(
    post,
    path = "/tokens",
    tag = "accounts",
    request_body(content = NewTokenBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; copy the secret now", body = CreatedToken),
        problems::InvalidRequest,
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewTokenBody>,
) -> ApiResult<Response> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(
            Problem::invalid("give the token a name of 1–200 characters")
                .with_field("/name", "1–200 characters"),
        );
    }
    if let Some(days) = body.expires_in_days
        && !(1..=MAX_TOKEN_DAYS).contains(&days)
    {
        return Err(Problem::invalid(format!(
            "a token expires in 1 to {MAX_TOKEN_DAYS} days (ten years); {days} is out of range. Leave `expires_in_days` out for a token that lasts until it is revoked"
        ))
        .with_field("/expires_in_days", format!("1 to {MAX_TOKEN_DAYS}")));
    }
    let secret = format!("{TOKEN_PREFIX}{}", random_hex(32)?);
    let now = now_millis();
    let token = state
        .store()
        .create_token(NewApiToken {
            id: Uuid::now_v7(),
            org_id: caller.principal.org_id,
            user_id: caller.principal.user_id,
            name: name.to_string(),
            token_hash: sha256_hex(&secret),
            created_at: now,
            expires_at: body
                .expires_in_days
                .map(|d| now + i64::from(d) * 24 * 60 * 60 * 1000),
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token: token.into(),
            secret,
        }),
    )
        .into_response())
}

/// Revoke one of the caller's tokens.
#[utoipa::path(
    delete,
    path = "/tokens/{token_id}",
    tag = "accounts",
    params(TokenPath),
    responses(
        (status = 204, description = "Revoked"),
        problems::NoSuchToken,
    )
)]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<TokenPath>,
) -> ApiResult<StatusCode> {
    state
        .store()
        .revoke_token(
            caller.principal.org_id,
            caller.principal.user_id,
            path.token_id,
            now_millis(),
        )
        .await?;
    state.forget_callers();
    Ok(StatusCode::NO_CONTENT)
}

/// The organisation's members.
#[utoipa::path(
    get,
    path = "/members",
    tag = "accounts",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of members", body = MemberPage),
        problems::NotSignedIn,
    )
)]
pub async fn list_members(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<MemberPage>> {
    let found = state
        .store()
        .list_members(caller.principal.org_id, page.request())
        .await?;
    Ok(Json(MemberPage::of(found, &page, Into::into)))
}

/// Add a member (owners only): an existing account by email, or a new account with a first
/// password.
#[utoipa::path(
    post,
    path = "/members",
    tag = "accounts",
    request_body(content = NewMemberBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Added", body = MemberInfo),
        problems::OnlyOwnersManageMembers,
        problems::NoSuchAccount,
        problems::AlreadyAMember,
        problems::InvalidRequest,
    )
)]
pub async fn add_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewMemberBody>,
) -> ApiResult<Response> {
    caller.require_owner()?;
    let email = body.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 320 {
        return Err(Problem::invalid("that is not an email address")
            .with_field("/email", "an email address, such as ann@example.org"));
    }
    let password_hash = match body.password {
        Some(password) => {
            if let Some(why) = password_problem(&password) {
                return Err(Problem::invalid(why).with_field("/password", why));
            }
            Some(hash_password(password).await?)
        }
        None => None,
    };
    let name = body
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_string());
    let member = state
        .store()
        .add_member(
            caller.principal.org_id,
            caller.principal.user_id,
            NewMember {
                email,
                name,
                password_hash,
                role: body.role.into(),
            },
        )
        .await
        .map_err(|e| match e {
            framewright_store::StoreError::NotFound => Problem::not_found(
                "there is no account with this email; give a first password to create one",
            )
            .with_field("/password", "needed to create a new account"),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(MemberInfo::from(member))).into_response())
}

/// Change a member's role (owners only; the last owner stays owner).
#[utoipa::path(
    put,
    path = "/members/{user_id}",
    tag = "accounts",
    params(MemberPath),
    request_body(content = RoleBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Changed", body = MemberInfo),
        problems::OnlyOwnersManageMembers,
        problems::NotAMember,
        problems::WouldLeaveNoOwner,
    )
)]
pub async fn set_member_role(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<MemberPath>,
    ApiJson(body): ApiJson<RoleBody>,
) -> ApiResult<Json<MemberInfo>> {
    caller.require_owner()?;
    let member = state
        .store()
        .set_member_role(
            caller.principal.org_id,
            caller.principal.user_id,
            path.user_id,
            Role::from(body.role),
        )
        .await?;
    state.forget_callers();
    Ok(Json(member.into()))
}

/// Remove a member (owners only): their sessions and tokens here end.
#[utoipa::path(
    delete,
    path = "/members/{user_id}",
    tag = "accounts",
    params(MemberPath),
    responses(
        (status = 204, description = "Removed"),
        problems::OnlyOwnersManageMembers,
        problems::NotAMember,
        problems::WouldLeaveNoOwner,
    )
)]
pub async fn remove_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<MemberPath>,
) -> ApiResult<StatusCode> {
    caller.require_owner()?;
    state
        .store()
        .remove_member(
            caller.principal.org_id,
            caller.principal.user_id,
            path.user_id,
        )
        .await?;
    state.forget_callers();
    Ok(StatusCode::NO_CONTENT)
}

/// The audit log: who changed what and when (owners only).
#[utoipa::path(
    get,
    path = "/audit",
    tag = "accounts",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of the log, newest first", body = AuditPage),
        problems::OnlyOwnersReadLog,
    )
)]
pub async fn list_audit(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<AuditPage>> {
    caller.require_owner()?;
    let found = state
        .store()
        .list_audit(caller.principal.org_id, page.request())
        .await?;
    Ok(Json(AuditPage::of(found, &page, Into::into)))
}

/// A framework's review comments, approvals and change requests, oldest first.
#[utoipa::path(
    get,
    path = "/frameworks/{id}/comments",
    tag = "review",
    params(FrameworkPath, PageQuery),
    responses(
        (status = 200, description = "One page of comments", body = CommentPage),
        problems::NoSuchFramework,
    )
)]
pub async fn list_comments(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<CommentPage>> {
    let found = state
        .store()
        .list_comments(caller.principal.org_id, path.id, page.request())
        .await?;
    Ok(Json(CommentPage::of(found, &page, Into::into)))
}

/// Comment on, approve or ask for changes to a framework (reviewers, designers, owners).
#[utoipa::path(
    post,
    path = "/frameworks/{id}/comments",
    tag = "review",
    params(FrameworkPath),
    request_body(content = NewCommentBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Added", body = CommentInfo),
        problems::ViewersCannotComment,
        problems::NoSuchFramework,
        problems::InvalidComment,
    )
)]
pub async fn add_comment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<FrameworkPath>,
    ApiJson(body): ApiJson<NewCommentBody>,
) -> ApiResult<Response> {
    caller.require_reviewer()?;
    if body.body.trim().is_empty() || body.body.chars().count() > 20_000 {
        return Err(Problem::invalid("write a comment of 1–20,000 characters")
            .with_field("/body", "1–20,000 characters"));
    }
    let comment = state
        .store()
        .add_comment(
            caller.principal.org_id,
            caller.principal.user_id,
            path.id,
            &NewComment {
                kind: body.kind.as_str().to_string(),
                body: body.body,
                revision: body.revision,
            },
        )
        .await
        .map_err(|e| match e {
            framewright_store::StoreError::Conflict(what) => {
                Problem::invalid(what.clone()).with_field("/revision", what)
            }
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(CommentInfo::from(comment))).into_response())
}
