//! Job analyses and their SME panels: creating, listing, changing and deleting an analysis,
//! inviting panel members, and opening a survey by its private link's token hash. Also the
//! row checks the other job-analysis modules share (exists, open for answers).
//!
//! Each `pub(crate)` function taking a `store` is the
//! [`JobAnalysisStore`](crate::JobAnalysisStore) method of the same name (documented there),
//! for either backend.

use framewright_hiring::AnalysisParameters;
use framewright_hiring::survey::JobAnalysis;
use uuid::Uuid;

use super::*;
use crate::audit::commit_audited;
use crate::backend::{Backend, SqlStore};
use crate::convert::{
    conflict, found_one, from_json, now_millis, parse_opt_uuid, parse_uuid, to_json,
};
use crate::db::{Cols, Conn, assembled, page_of, query};
use crate::{PageRequest, Paged, StoreError, StoreResult};

/// The status column read back (anything but `closed` is open).
fn survey_status(stored: &str) -> SurveyStatus {
    if stored == "closed" {
        SurveyStatus::Closed
    } else {
        SurveyStatus::Open
    }
}

/// The columns of a job analysis record.
const COLS: &str = "id, framework_id, status, job, parameters, blueprint, \
     category_rating, created_at, created_by, updated_at, closed_at, closed_by";

/// The title and grade columns a job analysis row mirrors.
fn mirrored(job: &JobAnalysis) -> (String, Option<String>) {
    (job.title.clone(), job.grade.map(|g| g.to_string()))
}

/// A job analysis from a row with [`COLS`].
fn record_from(row: &impl Cols) -> StoreResult<JobAnalysisRecord> {
    let json = |name: &str| -> StoreResult<Option<serde_json::Value>> {
        row.get::<Option<String>>(name)?
            .as_deref()
            .map(from_json)
            .transpose()
    };
    Ok(JobAnalysisRecord {
        id: parse_uuid(&row.get::<String>("id")?)?,
        framework: parse_opt_uuid(row.get("framework_id")?)?,
        status: survey_status(&row.get::<String>("status")?),
        job: from_json(&row.get::<String>("job")?)?,
        parameters: from_json(&row.get::<String>("parameters")?)?,
        blueprint: json("blueprint")?,
        category_rating: json("category_rating")?,
        created_at: row.get("created_at")?,
        created_by: parse_opt_uuid(row.get("created_by")?)?,
        updated_at: row.get("updated_at")?,
        closed_at: row.get("closed_at")?,
        closed_by: parse_opt_uuid(row.get("closed_by")?)?,
    })
}

/// A panel member from its row (whether a link exists, never the link's hash).
fn sme_from(row: &impl Cols) -> StoreResult<SmeRecord> {
    Ok(SmeRecord {
        id: parse_uuid(&row.get::<String>("id")?)?,
        label: row.get("label")?,
        qualifications: row.get("qualifications")?,
        has_link: row.get::<Option<String>>("token_hash")?.is_some(),
        created_at: row.get("created_at")?,
        responded_at: row.get("responded_at")?,
    })
}

/// Locks the analysis row for the rest of the transaction (a no-op update) and
/// says whether it exists and is open: `NotFound`, `Conflict` when closed.
pub(crate) async fn lock_open(conn: &mut impl Conn, org: Uuid, id: Uuid) -> StoreResult<()> {
    let done = query(
        "UPDATE job_analyses SET updated_at = $3 \
         WHERE org_id = $1 AND id = $2 AND status = 'open'",
    )
    .bind(org)
    .bind(id)
    .bind(now_millis())
    .execute(&mut *conn)
    .await?;
    if done == 1 {
        return Ok(());
    }
    exists(conn, org, id).await?;
    Err(StoreError::Conflict("the survey is closed".into()))
}

/// `NotFound` unless analysis `id` of `org` exists.
pub(crate) async fn exists(conn: &mut impl Conn, org: Uuid, id: Uuid) -> StoreResult<()> {
    query("SELECT id FROM job_analyses WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

/// Marks the analysis changed now (`NotFound` when it does not exist).
pub(crate) async fn touch(conn: &mut impl Conn, org: Uuid, id: Uuid) -> StoreResult<()> {
    let done = query("UPDATE job_analyses SET updated_at = $3 WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(now_millis())
        .execute(&mut *conn)
        .await?;
    found_one(done)
}

/// Ends a change to analysis `id`: writes its audit entry (target `job-analysis:{id}`) in
/// the change's transaction and commits both.
pub(crate) async fn commit_change<DB: Backend>(
    tx: sqlx::Transaction<'static, DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    action: &str,
    detail: serde_json::Value,
) -> StoreResult<()> {
    let target = format!("job-analysis:{id}");
    commit_audited(tx, org, Some(actor), action, target, detail).await
}

/// The analysis as stored after a committed change (`NotFound` if it vanished meanwhile).
pub(crate) async fn reloaded<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
) -> StoreResult<JobAnalysisRecord> {
    job_analysis(store, org, id)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Adds a panel member (`Conflict` when the label is taken).
pub(crate) async fn insert_sme(
    conn: &mut impl Conn,
    org: Uuid,
    id: Uuid,
    sme: &NewSme,
) -> StoreResult<SmeRecord> {
    let record = SmeRecord {
        id: Uuid::now_v7(),
        label: sme.label.clone(),
        qualifications: sme.qualifications.clone(),
        has_link: sme.token_hash.is_some(),
        created_at: now_millis(),
        responded_at: None,
    };
    query(
        "INSERT INTO ja_smes (id, org_id, analysis_id, label, qualifications, \
         token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(record.id)
    .bind(org)
    .bind(id)
    .bind(&record.label)
    .bind(&record.qualifications)
    .bind(&sme.token_hash)
    .bind(record.created_at)
    .execute(&mut *conn)
    .await
    .map_err(|e| conflict(e, format!("the panel already has an SME \"{}\"", sme.label)))?;
    Ok(record)
}

pub(crate) async fn create_job_analysis<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    new: &NewJobAnalysis,
) -> StoreResult<JobAnalysisRecord> {
    let mut tx = store.write.begin().await?;
    if let Some(framework) = new.framework {
        query("SELECT id FROM frameworks WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(framework)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
    }
    let now = now_millis();
    let id = Uuid::now_v7();
    let (title, grade) = mirrored(&new.job);
    query(
        "INSERT INTO job_analyses (id, org_id, framework_id, title, grade, status, \
         job, parameters, created_at, created_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $8)",
    )
    .bind(id)
    .bind(org)
    .bind(new.framework)
    .bind(title)
    .bind(grade)
    .bind(to_json(&new.job)?)
    .bind(to_json(&new.parameters)?)
    .bind(now)
    .bind(actor)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "title": new.job.title });
    commit_change(tx, org, actor, id, "job_analysis.create", detail).await?;
    reloaded(store, org, id).await
}

pub(crate) async fn list_job_analyses<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    page: PageRequest,
) -> StoreResult<Paged<JobAnalysisSummary>> {
    page_of(
        &mut *store.read.acquire().await?,
        query("SELECT COUNT(*) AS n FROM job_analyses WHERE org_id = $1"),
        query(
            "SELECT a.id, a.title, a.grade, a.framework_id, a.status, a.created_at, \
             a.updated_at, \
             (SELECT COUNT(*) FROM ja_smes s WHERE s.org_id = a.org_id \
              AND s.analysis_id = a.id) AS smes, \
             (SELECT COUNT(*) FROM ja_smes s WHERE s.org_id = a.org_id \
              AND s.analysis_id = a.id AND s.responded_at IS NOT NULL) AS responded \
             FROM job_analyses a WHERE a.org_id = $1 \
             ORDER BY a.created_at DESC, a.id DESC LIMIT $2 OFFSET $3",
        ),
        &[org.into()],
        page,
        |r| {
            Ok(JobAnalysisSummary {
                id: parse_uuid(&r.get::<String>("id")?)?,
                title: r.get("title")?,
                grade: r.get("grade")?,
                framework: parse_opt_uuid(r.get("framework_id")?)?,
                status: survey_status(&r.get::<String>("status")?),
                smes: r.get("smes")?,
                responded: r.get("responded")?,
                created_at: r.get("created_at")?,
                updated_at: r.get("updated_at")?,
            })
        },
    )
    .await
}

pub(crate) async fn job_analysis<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
) -> StoreResult<Option<JobAnalysisRecord>> {
    assembled(format!(
        "SELECT {COLS} FROM job_analyses WHERE org_id = $1 AND id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_maybe(&store.write, |row| record_from(&row))
    .await
}

pub(crate) async fn delete_job_analysis<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    exists(&mut *tx, org, id).await?;
    for table in [
        "ja_task_ratings",
        "ja_competency_ratings",
        "ja_linkage",
        "ja_smes",
        "ja_cut_scores",
        "ja_applicants",
    ] {
        assembled(format!(
            "DELETE FROM {table} WHERE org_id = $1 AND analysis_id = $2"
        ))
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    query("DELETE FROM job_analyses WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let detail = serde_json::json!({});
    commit_change(tx, org, actor, id, "job_analysis.delete", detail).await
}

pub(crate) async fn update_job_analysis<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    job: &JobAnalysis,
    parameters: &AnalysisParameters,
) -> StoreResult<JobAnalysisRecord> {
    let mut tx = store.write.begin().await?;
    let (title, grade) = mirrored(job);
    let done = query(
        "UPDATE job_analyses SET title = $3, grade = $4, job = $5, parameters = $6, \
         updated_at = $7 WHERE org_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(title)
    .bind(grade)
    .bind(to_json(job)?)
    .bind(to_json(parameters)?)
    .bind(now_millis())
    .execute(&mut *tx)
    .await?;
    found_one(done)?;
    let detail = serde_json::json!({
        "tasks": job.tasks.len(),
        "competencies": job.competencies.len(),
    });
    commit_change(tx, org, actor, id, "job_analysis.update", detail).await?;
    reloaded(store, org, id).await
}

pub(crate) async fn add_smes<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    smes: &[NewSme],
) -> StoreResult<Vec<SmeRecord>> {
    let mut tx = store.write.begin().await?;
    lock_open(&mut *tx, org, id).await?;
    let mut out = Vec::with_capacity(smes.len());
    for sme in smes {
        out.push(insert_sme(&mut *tx, org, id, sme).await?);
    }
    let detail = serde_json::json!({
        "smes": smes.iter().map(|s| s.label.as_str()).collect::<Vec<_>>()
    });
    commit_change(tx, org, actor, id, "job_analysis.invite", detail).await?;
    Ok(out)
}

pub(crate) async fn list_smes<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
) -> StoreResult<Vec<SmeRecord>> {
    query(
        "SELECT id, label, qualifications, token_hash, created_at, responded_at \
         FROM ja_smes WHERE org_id = $1 AND analysis_id = $2 ORDER BY created_at, id",
    )
    .bind(org)
    .bind(id)
    .fetch_each(&store.write, sme_from)
    .await
}

pub(crate) async fn survey_by_token<DB: Backend>(
    store: &SqlStore<DB>,
    token_hash: &str,
) -> StoreResult<Option<SurveyAccess>> {
    let Some(row) = query(
        "SELECT id, org_id, analysis_id, label, qualifications, token_hash, \
         created_at, responded_at FROM ja_smes WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&store.write)
    .await?
    else {
        return Ok(None);
    };
    let org = parse_uuid(&row.get::<String>("org_id")?)?;
    let analysis = parse_uuid(&row.get::<String>("analysis_id")?)?;
    let sme = sme_from(&row)?;
    Ok(job_analysis(store, org, analysis)
        .await?
        .map(|analysis| SurveyAccess { org, analysis, sme }))
}
