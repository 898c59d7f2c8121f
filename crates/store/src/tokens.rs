//! API tokens: created and revoked by their owner (only a hash is kept), looked up by hash
//! with the member they act for.
//!
//! Each `pub(crate)` function taking a `store` is the [`Store`](crate::Store) method of the same
//! name (documented there), for either backend.

use uuid::Uuid;

use crate::accounts::principal_from;
use crate::audit::{audit, commit_audited};
use crate::backend::{Backend, SqlStore};
use crate::convert::{found_one, parse_uuid};
use crate::db::{Cols, query};
use crate::*;

/// An API token (never its hash) from its row.
fn token_from(row: &impl Cols) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: parse_uuid(&row.get::<String>("id")?)?,
        name: row.get("name")?,
        created_at: row.get("created_at")?,
        last_used_at: row.get("last_used_at")?,
        expires_at: row.get("expires_at")?,
        revoked_at: row.get("revoked_at")?,
    })
}

pub(crate) async fn create_token<DB: Backend>(
    store: &SqlStore<DB>,
    token: NewApiToken,
) -> StoreResult<ApiToken> {
    let mut tx = store.write.begin().await?;
    query(
        "INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token.id)
    .bind(token.org_id)
    .bind(token.user_id)
    .bind(&token.name)
    .bind(&token.token_hash)
    .bind(token.created_at)
    .bind(token.expires_at)
    .execute(&mut *tx)
    .await?;
    let target = format!("token:{}", token.id);
    let detail = serde_json::json!({ "name": token.name });
    audit(
        &mut *tx,
        token.org_id,
        Some(token.user_id),
        "token.create",
        target,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(ApiToken {
        id: token.id,
        name: token.name,
        created_at: token.created_at,
        last_used_at: None,
        expires_at: token.expires_at,
        revoked_at: None,
    })
}

pub(crate) async fn list_tokens<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    user: Uuid,
) -> StoreResult<Vec<ApiToken>> {
    query(
        "SELECT id, name, created_at, last_used_at, expires_at, revoked_at \
         FROM api_tokens WHERE org_id = $1 AND user_id = $2 ORDER BY created_at DESC, id",
    )
    .bind(org)
    .bind(user)
    .fetch_each(&store.read, token_from)
    .await
}

pub(crate) async fn revoke_token<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    user: Uuid,
    token: Uuid,
    now: i64,
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    let done = query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND org_id = $3 \
         AND user_id = $4 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(token)
    .bind(org)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    found_one(done)?;
    let target = format!("token:{token}");
    let detail = serde_json::json!({});
    commit_audited(tx, org, Some(user), "token.revoke", target, detail).await
}

pub(crate) async fn token<DB: Backend>(
    store: &SqlStore<DB>,
    token_hash: &str,
    now: i64,
) -> StoreResult<Option<TokenPrincipal>> {
    query(
        "SELECT t.id, t.user_id, t.org_id, t.last_used_at, t.expires_at, m.role, u.email, u.name \
         FROM api_tokens t \
         JOIN memberships m ON m.org_id = t.org_id AND m.user_id = t.user_id \
         JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL \
         AND (t.expires_at IS NULL OR t.expires_at > $2)",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_maybe(&store.read, |row| {
        Ok(TokenPrincipal {
            token_id: parse_uuid(&row.get::<String>("id")?)?,
            principal: principal_from(&row)?,
            last_used_at: row.get("last_used_at")?,
            expires_at: row.get("expires_at")?,
        })
    })
    .await
}

pub(crate) async fn touch_token<DB: Backend>(
    store: &SqlStore<DB>,
    token: Uuid,
    now: i64,
) -> StoreResult<()> {
    query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(token)
        .execute(&store.write)
        .await?;
    Ok(())
}
