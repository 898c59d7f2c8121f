//! The audit log: the one function that writes an entry (every change in the store calls it
//! inside its own transaction) and the organisation's log, newest first.
//!
//! Each `pub(crate)` function taking a `store` is the [`Store`](crate::Store) method of the same
//! name (documented there), for either backend.

use uuid::Uuid;

use crate::backend::{Backend, SqlStore};
use crate::convert::{now_millis, parse_opt_uuid, parse_uuid};
use crate::db::{Cols, Conn, page_of, query};
use crate::*;

/// Writes one audit-log entry: every change in the store calls this, inside the
/// transaction that makes the change, so the log and the data never disagree.
pub(crate) async fn audit(
    conn: &mut impl Conn,
    org: Uuid,
    actor: Option<Uuid>,
    action: &str,
    target: String,
    detail: serde_json::Value,
) -> StoreResult<()> {
    query(
        "INSERT INTO audit_log (id, org_id, actor_id, action, target, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(org)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(detail.to_string())
    .bind(now_millis())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends a change: writes its audit entry in the change's transaction and commits both.
pub(crate) async fn commit_audited<DB: Backend>(
    mut tx: sqlx::Transaction<'static, DB>,
    org: Uuid,
    actor: Option<Uuid>,
    action: &str,
    target: String,
    detail: serde_json::Value,
) -> StoreResult<()> {
    audit(&mut *tx, org, actor, action, target, detail).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn list_audit<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    page: PageRequest,
) -> StoreResult<Paged<AuditEntry>> {
    page_of(
        &mut *store.read.acquire().await?,
        query("SELECT COUNT(*) AS n FROM audit_log WHERE org_id = $1"),
        query(
            "SELECT id, actor_id, action, target, detail, created_at FROM audit_log \
             WHERE org_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
        ),
        &[org.into()],
        page,
        |r| {
            Ok(AuditEntry {
                id: parse_uuid(&r.get::<String>("id")?)?,
                actor: parse_opt_uuid(r.get("actor_id")?)?,
                action: r.get("action")?,
                target: r.get("target")?,
                detail: r.get("detail")?,
                created_at: r.get("created_at")?,
            })
        },
    )
    .await
}
