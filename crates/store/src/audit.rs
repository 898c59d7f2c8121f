//! The audit log: the one function that writes an entry (every change in the store calls it
//! inside its own transaction) and the organisation's log, newest first.

use crate::convert::{now_millis, parse_opt_uuid, parse_uuid};
use uuid::Uuid;

use crate::backend::{Backend, SqlStore};
use crate::db::{Cols, Conn, page_of, query};
use crate::*;

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
