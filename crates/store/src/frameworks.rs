//! Frameworks with their revisions and releases: every save is a new revision (optionally
//! only when the framework is still at the revision the caller read), a release tags a
//! revision and records the competencies it replaced, and deleting removes it all (the audit
//! log keeps the record).
//!
//! Each `pub(crate)` function taking a `store` is the [`Store`](crate::Store) method of the same
//! name (documented there), for either backend.

use framewright_model::Framework;
use uuid::Uuid;

use crate::audit::{audit, commit_audited};
use crate::backend::{Backend, SqlStore};
use crate::convert::{conflict, now_millis, parse_opt_uuid, parse_uuid, to_json};
use crate::db::{Cols, Conn, assembled, page_of, query};
use crate::*;

/// The columns of a framework summary.
const SUMMARY_COLUMNS: &str = "id, slug, title, status, version, revision, latest_release, \
     next_review, next_major_update, created_at, updated_at, updated_by";

/// The columns a framework row mirrors from its current content.
struct FrameworkColumns {
    slug: String,
    title: String,
    status: String,
    version: String,
    next_review: Option<String>,
    next_major_update: Option<String>,
    content: String,
}

impl FrameworkColumns {
    fn of(framework: &Framework) -> StoreResult<FrameworkColumns> {
        Ok(FrameworkColumns {
            slug: framework.id.clone(),
            title: framework.title.clone(),
            status: framework.status.as_str().to_string(),
            version: framework.version.to_string(),
            next_review: framework.review.next_review.map(|d| d.to_string()),
            next_major_update: framework.review.next_major_update.map(|d| d.to_string()),
            content: to_json(framework)?,
        })
    }
}

/// A framework summary from a row with the summary columns.
fn summary_from(row: &impl Cols) -> StoreResult<FrameworkSummary> {
    Ok(FrameworkSummary {
        id: parse_uuid(&row.get::<String>("id")?)?,
        slug: row.get("slug")?,
        title: row.get("title")?,
        status: row.get("status")?,
        version: row.get("version")?,
        revision: row.get("revision")?,
        latest_release: row.get("latest_release")?,
        next_review: row.get("next_review")?,
        next_major_update: row.get("next_major_update")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        updated_by: parse_opt_uuid(row.get("updated_by")?)?,
    })
}

/// A revision summary from its row with the release that tags it.
fn revision_from(row: &impl Cols) -> StoreResult<RevisionSummary> {
    Ok(RevisionSummary {
        number: row.get("number")?,
        message: row.get("message")?,
        author: parse_opt_uuid(row.get("author_id")?)?,
        created_at: row.get("created_at")?,
        release: row.get("release")?,
    })
}

pub(crate) async fn current_revision(
    conn: &mut impl Conn,
    org: Uuid,
    id: Uuid,
) -> StoreResult<i64> {
    let row = query("SELECT revision FROM frameworks WHERE id = $1 AND org_id = $2")
        .bind(id)
        .bind(org)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.get("revision")?)
}

/// The current revision of a framework of `org`, with the framework's row locked
/// until the transaction ends (a no-op update takes PostgreSQL's row lock; SQLite
/// has a single writer anyway), so concurrent writers queue instead of failing.
async fn lock_revision(conn: &mut impl Conn, org: Uuid, id: Uuid) -> StoreResult<i64> {
    query("UPDATE frameworks SET revision = revision WHERE id = $1 AND org_id = $2")
        .bind(id)
        .bind(org)
        .execute(&mut *conn)
        .await?;
    current_revision(conn, org, id).await
}

/// Writes revision `current + 1` with `framework` and moves the framework to it;
/// the conditional update makes concurrent writers fail instead of interleaving.
#[allow(clippy::too_many_arguments)]
async fn write_revision(
    conn: &mut impl Conn,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    current: i64,
    framework: &Framework,
    message: &str,
    latest_release: Option<&str>,
) -> StoreResult<i64> {
    let cols = FrameworkColumns::of(framework)?;
    let next = current + 1;
    let now = now_millis();
    let updated = query(
        "UPDATE frameworks SET slug = $1, title = $2, status = $3, version = $4, \
         revision = $5, next_review = $6, next_major_update = $7, updated_at = $8, \
         updated_by = $9, latest_release = COALESCE($10, latest_release) \
         WHERE id = $11 AND org_id = $12 AND revision = $13",
    )
    .bind(&cols.slug)
    .bind(&cols.title)
    .bind(&cols.status)
    .bind(&cols.version)
    .bind(next)
    .bind(&cols.next_review)
    .bind(&cols.next_major_update)
    .bind(now)
    .bind(actor)
    .bind(latest_release)
    .bind(id)
    .bind(org)
    .bind(current)
    .execute(&mut *conn)
    .await
    .map_err(|e| conflict(e, format!("a framework with id `{}` exists", cols.slug)))?;
    if updated != 1 {
        let now_at = current_revision(conn, org, id).await?;
        return Err(StoreError::PreconditionFailed { current: now_at });
    }
    query(
        "INSERT INTO framework_revisions (framework_id, org_id, number, content, \
         message, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(org)
    .bind(next)
    .bind(&cols.content)
    .bind(message)
    .bind(actor)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(next)
}

/// Audits a change to framework `id` and reads the changed framework back, both inside the
/// change's transaction so the answer is what gets committed.
async fn audited_record(
    conn: &mut impl Conn,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    action: &str,
    detail: serde_json::Value,
) -> StoreResult<FrameworkRecord> {
    let target = format!("framework:{id}");
    audit(&mut *conn, org, Some(actor), action, target, detail).await?;
    framework_in(conn, org, id)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The current revision of framework `id` of `org`, with its summary.
async fn framework_in(
    conn: &mut impl Conn,
    org: Uuid,
    id: Uuid,
) -> StoreResult<Option<FrameworkRecord>> {
    query(concat!(
        "SELECT f.",
        "id, f.slug, f.title, f.status, f.version, f.revision, f.latest_release, \
         f.next_review, f.next_major_update, f.created_at, f.updated_at, f.updated_by, \
         r.content FROM frameworks f JOIN framework_revisions r \
         ON r.framework_id = f.id AND r.number = f.revision \
         WHERE f.id = $1 AND f.org_id = $2"
    ))
    .bind(id)
    .bind(org)
    .fetch_maybe(&mut *conn, |row| {
        Ok(FrameworkRecord {
            summary: summary_from(&row)?,
            content: row.get("content")?,
        })
    })
    .await
}

/// The competencies release `version` replaced, in a stable order.
async fn replacements_of(
    conn: &mut impl Conn,
    org: Uuid,
    id: Uuid,
    version: &str,
) -> StoreResult<Vec<Replacement>> {
    query(
        "SELECT from_id, from_name, to_id FROM replacements \
         WHERE framework_id = $1 AND org_id = $2 AND version = $3 \
         ORDER BY from_id, to_id",
    )
    .bind(id)
    .bind(org)
    .bind(version)
    .fetch_each(&mut *conn, |r| {
        Ok(Replacement {
            from: r.get("from_id")?,
            from_name: r.get("from_name")?,
            to: r.get("to_id")?,
        })
    })
    .await
}

pub(crate) async fn create_framework<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    framework: &Framework,
    message: &str,
) -> StoreResult<FrameworkRecord> {
    let cols = FrameworkColumns::of(framework)?;
    let id = Uuid::now_v7();
    let now = now_millis();
    let mut tx = store.write.begin().await?;
    query(
        "INSERT INTO frameworks (id, org_id, slug, title, status, version, revision, \
         next_review, next_major_update, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10, $9, $10)",
    )
    .bind(id)
    .bind(org)
    .bind(&cols.slug)
    .bind(&cols.title)
    .bind(&cols.status)
    .bind(&cols.version)
    .bind(&cols.next_review)
    .bind(&cols.next_major_update)
    .bind(now)
    .bind(actor)
    .execute(&mut *tx)
    .await
    .map_err(|e| conflict(e, format!("a framework with id `{}` exists", cols.slug)))?;
    query(
        "INSERT INTO framework_revisions (framework_id, org_id, number, content, \
         message, author_id, created_at) VALUES ($1, $2, 1, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(org)
    .bind(&cols.content)
    .bind(message)
    .bind(actor)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "slug": cols.slug, "revision": 1, "message": message });
    let record = audited_record(&mut *tx, org, actor, id, "framework.create", detail).await?;
    tx.commit().await?;
    Ok(record)
}

pub(crate) async fn list_frameworks<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    filter: &FrameworkFilter,
    page: PageRequest,
) -> StoreResult<Paged<FrameworkSummary>> {
    const WHERE: &str = " FROM frameworks WHERE org_id = $1 \
        AND ($2 IS NULL OR status = $2) \
        AND ($3 IS NULL OR next_review <= $3 OR next_major_update <= $3)";
    page_of(
        &mut *store.read.acquire().await?,
        assembled(format!("SELECT COUNT(*) AS n{WHERE}")),
        assembled(format!(
            "SELECT {SUMMARY_COLUMNS}{WHERE} ORDER BY updated_at DESC, id LIMIT $4 OFFSET $5"
        )),
        &[
            org.into(),
            filter.status.clone().into(),
            filter.review_due_by.clone().into(),
        ],
        page,
        summary_from,
    )
    .await
}

pub(crate) async fn framework<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
) -> StoreResult<Option<FrameworkRecord>> {
    let mut conn = store.read.acquire().await?;
    framework_in(&mut *conn, org, id).await
}

pub(crate) async fn save_revision<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    expected: Option<i64>,
    framework: &Framework,
    message: &str,
) -> StoreResult<FrameworkRecord> {
    let mut tx = store.write.begin().await?;
    let current = lock_revision(&mut *tx, org, id).await?;
    if expected.is_some_and(|e| e != current) {
        return Err(StoreError::PreconditionFailed { current });
    }
    let next = write_revision(&mut *tx, org, actor, id, current, framework, message, None).await?;
    let detail = serde_json::json!({ "revision": next, "message": message });
    let record = audited_record(&mut *tx, org, actor, id, "framework.update", detail).await?;
    tx.commit().await?;
    Ok(record)
}

pub(crate) async fn delete_framework<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    expected: Option<i64>,
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    let current = lock_revision(&mut *tx, org, id).await?;
    if expected.is_some_and(|e| e != current) {
        return Err(StoreError::PreconditionFailed { current });
    }
    for sql in [
        "DELETE FROM comments WHERE framework_id = $1 AND org_id = $2",
        "DELETE FROM replacements WHERE framework_id = $1 AND org_id = $2",
        "DELETE FROM releases WHERE framework_id = $1 AND org_id = $2",
        "DELETE FROM framework_revisions WHERE framework_id = $1 AND org_id = $2",
        "DELETE FROM frameworks WHERE id = $1 AND org_id = $2",
    ] {
        query(sql).bind(id).bind(org).execute(&mut *tx).await?;
    }
    let target = format!("framework:{id}");
    let detail = serde_json::json!({ "revision": current });
    commit_audited(tx, org, Some(actor), "framework.delete", target, detail).await
}

pub(crate) async fn list_revisions<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
    page: PageRequest,
) -> StoreResult<Paged<RevisionSummary>> {
    let revisions = page_of(
        &mut *store.read.acquire().await?,
        query(
            "SELECT COUNT(*) AS n FROM framework_revisions WHERE framework_id = $1 AND org_id = $2",
        ),
        query(
            "SELECT r.number, r.message, r.author_id, r.created_at, \
             (SELECT MIN(l.version) FROM releases l WHERE l.framework_id = r.framework_id \
              AND l.revision = r.number) AS release \
             FROM framework_revisions r WHERE r.framework_id = $1 AND r.org_id = $2 \
             ORDER BY r.number DESC LIMIT $3 OFFSET $4",
        ),
        &[id.into(), org.into()],
        page,
        revision_from,
    )
    .await?;
    // Every framework has revision 1: none means no such framework (in this organisation).
    if revisions.total == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(revisions)
}

pub(crate) async fn revision<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
    number: i64,
) -> StoreResult<Option<Revision>> {
    query(
        "SELECT r.number, r.message, r.author_id, r.created_at, r.content, \
         (SELECT MIN(l.version) FROM releases l WHERE l.framework_id = r.framework_id \
          AND l.revision = r.number) AS release \
         FROM framework_revisions r WHERE r.framework_id = $1 AND r.org_id = $2 \
         AND r.number = $3",
    )
    .bind(id)
    .bind(org)
    .bind(number)
    .fetch_maybe(&store.read, |row| {
        Ok(Revision {
            summary: revision_from(&row)?,
            content: row.get("content")?,
        })
    })
    .await
}

pub(crate) async fn publish<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    expected: Option<i64>,
    framework: &Framework,
    release: &NewRelease,
) -> StoreResult<(FrameworkRecord, Release)> {
    let mut tx = store.write.begin().await?;
    let current = lock_revision(&mut *tx, org, id).await?;
    if expected.is_some_and(|e| e != current) {
        return Err(StoreError::PreconditionFailed { current });
    }
    let message = format!("Release {}", release.version);
    let next = write_revision(
        &mut *tx,
        org,
        actor,
        id,
        current,
        framework,
        &message,
        Some(&release.version),
    )
    .await?;
    let now = now_millis();
    query(
        "INSERT INTO releases (framework_id, org_id, version, revision, notes, \
         published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(org)
    .bind(&release.version)
    .bind(next)
    .bind(&release.notes)
    .bind(now)
    .bind(actor)
    .execute(&mut *tx)
    .await
    .map_err(|e| conflict(e, format!("release {} exists", release.version)))?;
    for r in &release.replacements {
        query(
            "INSERT INTO replacements (framework_id, org_id, version, from_id, \
             from_name, to_id) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(org)
        .bind(&release.version)
        .bind(&r.from)
        .bind(&r.from_name)
        .bind(&r.to)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            conflict(
                e,
                format!("replacement {} → {} is listed twice", r.from, r.to),
            )
        })?;
    }
    let detail = serde_json::json!({
        "version": release.version,
        "revision": next,
        "replacements": release.replacements.len(),
    });
    let record = audited_record(&mut *tx, org, actor, id, "framework.publish", detail).await?;
    let replacements = replacements_of(&mut *tx, org, id, &release.version).await?;
    tx.commit().await?;
    Ok((
        record,
        Release {
            version: release.version.clone(),
            revision: next,
            notes: release.notes.clone(),
            published_at: now,
            published_by: Some(actor),
            replacements,
        },
    ))
}

pub(crate) async fn list_releases<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
) -> StoreResult<Vec<Release>> {
    let mut conn = store.read.acquire().await?;
    current_revision(&mut *conn, org, id).await?;
    let rows = query(
        "SELECT version, revision, notes, published_at, published_by FROM releases \
         WHERE framework_id = $1 AND org_id = $2 ORDER BY published_at DESC, revision DESC",
    )
    .bind(id)
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let version: String = r.get("version")?;
        let replacements = replacements_of(&mut *conn, org, id, &version).await?;
        out.push(Release {
            version,
            revision: r.get("revision")?,
            notes: r.get("notes")?,
            published_at: r.get("published_at")?,
            published_by: parse_opt_uuid(r.get("published_by")?)?,
            replacements,
        });
    }
    Ok(out)
}
