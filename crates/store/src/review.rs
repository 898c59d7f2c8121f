//! Review: comments, approvals and change requests on a framework, optionally pinned to a
//! revision.
//!
//! Each `pub(crate)` function taking a `store` is the [`Store`](crate::Store) method of the same
//! name (documented there), for either backend.

use uuid::Uuid;

use crate::accounts::member_in;
use crate::audit::audit;
use crate::backend::{Backend, SqlStore};
use crate::convert::{now_millis, parse_uuid};
use crate::db::{Cols, page_of, query};
use crate::frameworks::current_revision;
use crate::*;

/// A comment from its row joined with the author's name.
fn comment_from(row: &impl Cols) -> StoreResult<Comment> {
    Ok(Comment {
        id: parse_uuid(&row.get::<String>("id")?)?,
        kind: row.get("kind")?,
        body: row.get("body")?,
        revision: row.get("revision")?,
        author: parse_uuid(&row.get::<String>("author_id")?)?,
        author_name: row.get("author_name")?,
        created_at: row.get("created_at")?,
    })
}

pub(crate) async fn add_comment<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    framework: Uuid,
    comment: &NewComment,
) -> StoreResult<Comment> {
    let mut tx = store.write.begin().await?;
    let current = current_revision(&mut *tx, org, framework).await?;
    if let Some(r) = comment.revision
        && (r < 1 || r > current)
    {
        return Err(StoreError::Conflict(format!(
            "revision {r} does not exist (the framework is at revision {current})"
        )));
    }
    let id = Uuid::now_v7();
    let now = now_millis();
    query(
        "INSERT INTO comments (id, org_id, framework_id, revision, author_id, kind, \
         body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(org)
    .bind(framework)
    .bind(comment.revision)
    .bind(actor)
    .bind(&comment.kind)
    .bind(&comment.body)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "kind": comment.kind, "revision": comment.revision });
    let target = format!("framework:{framework}");
    audit(
        &mut *tx,
        org,
        Some(actor),
        "framework.comment",
        target,
        detail,
    )
    .await?;
    let author = member_in(&mut *tx, org, actor).await?;
    tx.commit().await?;
    Ok(Comment {
        id,
        kind: comment.kind.clone(),
        body: comment.body.clone(),
        revision: comment.revision,
        author: actor,
        author_name: author.user.name,
        created_at: now,
    })
}

pub(crate) async fn list_comments<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    framework: Uuid,
    page: PageRequest,
) -> StoreResult<Paged<Comment>> {
    let mut conn = store.read.acquire().await?;
    current_revision(&mut *conn, org, framework).await?;
    page_of(
        &mut *conn,
        query("SELECT COUNT(*) AS n FROM comments WHERE framework_id = $1 AND org_id = $2"),
        query(
            "SELECT c.id, c.kind, c.body, c.revision, c.author_id, c.created_at, \
             COALESCE(u.name, '') AS author_name FROM comments c \
             LEFT JOIN users u ON u.id = c.author_id \
             WHERE c.framework_id = $1 AND c.org_id = $2 \
             ORDER BY c.created_at, c.id LIMIT $3 OFFSET $4",
        ),
        &[framework.into(), org.into()],
        page,
        comment_from,
    )
    .await
}
