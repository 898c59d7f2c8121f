//! The survey's answers: each SME's responses (replaced whole on every save), imported
//! ratings, reading all ratings back in panel order, and closing the survey.
//!
//! Each `pub(crate)` function taking a `store` is the
//! [`JobAnalysisStore`](crate::JobAnalysisStore) method of the same name (documented there),
//! for either backend.

use framewright_hiring::survey::{
    CompetencyRating, LinkageRating, Ratings, SmeResponse, TaskRating,
};
use uuid::Uuid;

use super::analyses::{self, commit_change, insert_sme, lock_open};
use super::*;
use crate::backend::{Backend, SqlStore};
use crate::convert::{conflict, now_millis};
use crate::db::{Cols, Conn, Exec, assembled, query};
use crate::{StoreError, StoreResult};

/// A stored rating as the survey's small number.
fn small(value: Option<i64>) -> StoreResult<Option<u8>> {
    value
        .map(|v| {
            u8::try_from(v)
                .map_err(|_| crate::StoreError::Corrupt(format!("rating {v} is out of range")))
        })
        .transpose()
}

/// Replaces the answers of `response.sme`.
async fn replace_response(
    conn: &mut impl Conn,
    org: Uuid,
    id: Uuid,
    response: &SmeResponse,
) -> StoreResult<()> {
    for table in ["ja_task_ratings", "ja_competency_ratings", "ja_linkage"] {
        assembled(format!(
            "DELETE FROM {table} WHERE org_id = $1 AND analysis_id = $2 AND sme = $3"
        ))
        .bind(org)
        .bind(id)
        .bind(&response.sme)
        .execute(&mut *conn)
        .await?;
    }
    for (i, r) in response.tasks.iter().enumerate() {
        query(
            "INSERT INTO ja_task_ratings (analysis_id, org_id, sme, task_id, position, \
             importance, frequency) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(org)
        .bind(&response.sme)
        .bind(&r.task)
        .bind(i as i64)
        .bind(r.importance.map(i64::from))
        .bind(r.frequency.map(i64::from))
        .execute(&mut *conn)
        .await
        .map_err(|e| conflict(e, format!("task \"{}\" is rated twice", r.task)))?;
    }
    for (i, r) in response.competencies.iter().enumerate() {
        query(
            "INSERT INTO ja_competency_ratings (analysis_id, org_id, sme, competency_id, \
             position, importance, needed_at_entry, distinguishing_value) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(org)
        .bind(&response.sme)
        .bind(&r.competency)
        .bind(i as i64)
        .bind(r.importance.map(i64::from))
        .bind(r.needed_at_entry.map(i64::from))
        .bind(r.distinguishing_value.map(i64::from))
        .execute(&mut *conn)
        .await
        .map_err(|e| conflict(e, format!("competency \"{}\" is rated twice", r.competency)))?;
    }
    for (i, r) in response.linkage.iter().enumerate() {
        query(
            "INSERT INTO ja_linkage (analysis_id, org_id, sme, task_id, competency_id, \
             position, linked) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(org)
        .bind(&response.sme)
        .bind(&r.task)
        .bind(&r.competency)
        .bind(i as i64)
        .bind(i64::from(r.linked))
        .execute(&mut *conn)
        .await
        .map_err(|e| {
            conflict(
                e,
                format!(
                    "the link of competency \"{}\" to task \"{}\" is given twice",
                    r.competency, r.task
                ),
            )
        })?;
    }
    Ok(())
}

/// Records that the panel member `sme` answered at `now`; how many members that was (0 when
/// the panel has no such member).
async fn mark_responded(
    conn: &mut impl Conn,
    org: Uuid,
    id: Uuid,
    sme: &str,
    now: i64,
) -> StoreResult<u64> {
    Ok(query(
        "UPDATE ja_smes SET responded_at = $4 \
         WHERE org_id = $1 AND analysis_id = $2 AND label = $3",
    )
    .bind(org)
    .bind(id)
    .bind(sme)
    .bind(now)
    .execute(conn)
    .await?)
}

pub(crate) async fn save_response<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
    response: &SmeResponse,
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    lock_open(&mut *tx, org, id).await?;
    if mark_responded(&mut *tx, org, id, &response.sme, now_millis()).await? != 1 {
        return Err(StoreError::NotFound);
    }
    replace_response(&mut *tx, org, id, response).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn import_ratings<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    ratings: &Ratings,
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    lock_open(&mut *tx, org, id).await?;
    let mut smes: Vec<&str> = Vec::new();
    for sme in ratings
        .tasks
        .iter()
        .map(|r| r.sme.as_str())
        .chain(ratings.competencies.iter().map(|r| r.sme.as_str()))
        .chain(ratings.linkage.iter().map(|r| r.sme.as_str()))
    {
        if !smes.contains(&sme) {
            smes.push(sme);
        }
    }
    let now = now_millis();
    for sme in &smes {
        if mark_responded(&mut *tx, org, id, sme, now).await? == 0 {
            insert_sme(
                &mut *tx,
                org,
                id,
                &NewSme {
                    label: (*sme).to_string(),
                    qualifications: None,
                    token_hash: None,
                },
            )
            .await?;
            mark_responded(&mut *tx, org, id, sme, now).await?;
        }
        replace_response(&mut *tx, org, id, &ratings.response(sme)).await?;
    }
    let detail = serde_json::json!({
        "smes": smes.len(),
        "task_ratings": ratings.tasks.len(),
        "competency_ratings": ratings.competencies.len(),
        "links": ratings.linkage.len(),
    });
    commit_change(tx, org, actor, id, "job_analysis.import_ratings", detail).await
}

/// The rows of one rating table (`r`) with `r.sme` and `columns`: in panel order, then in
/// the order each SME gave them. `table` and `columns` are constants of this module.
async fn rated<E: Exec, T>(
    on: E,
    table: &str,
    columns: &str,
    org: Uuid,
    id: Uuid,
    from_row: impl Fn(&E::Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    assembled(format!(
        "SELECT r.sme, {columns} FROM {table} r \
         JOIN ja_smes s ON s.analysis_id = r.analysis_id AND s.label = r.sme \
         WHERE r.org_id = $1 AND r.analysis_id = $2 \
         ORDER BY s.created_at, s.id, r.position"
    ))
    .bind(org)
    .bind(id)
    .fetch_each(on, from_row)
    .await
}

pub(crate) async fn ratings<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
) -> StoreResult<Ratings> {
    let tasks = rated(
        &store.write,
        "ja_task_ratings",
        "r.task_id, r.importance, r.frequency",
        org,
        id,
        |r| {
            Ok(TaskRating {
                sme: r.get("sme")?,
                task: r.get("task_id")?,
                importance: small(r.get("importance")?)?,
                frequency: small(r.get("frequency")?)?,
            })
        },
    )
    .await?;
    let competencies = rated(
        &store.write,
        "ja_competency_ratings",
        "r.competency_id, r.importance, r.needed_at_entry, r.distinguishing_value",
        org,
        id,
        |r| {
            Ok(CompetencyRating {
                sme: r.get("sme")?,
                competency: r.get("competency_id")?,
                importance: small(r.get("importance")?)?,
                needed_at_entry: r.get::<Option<i64>>("needed_at_entry")?.map(|v| v != 0),
                distinguishing_value: small(r.get("distinguishing_value")?)?,
            })
        },
    )
    .await?;
    let linkage = rated(
        &store.write,
        "ja_linkage",
        "r.task_id, r.competency_id, r.linked",
        org,
        id,
        |r| {
            Ok(LinkageRating {
                sme: r.get("sme")?,
                task: r.get("task_id")?,
                competency: r.get("competency_id")?,
                linked: r.get::<i64>("linked")? != 0,
            })
        },
    )
    .await?;
    Ok(Ratings {
        tasks,
        competencies,
        linkage,
    })
}

pub(crate) async fn close_survey<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
) -> StoreResult<JobAnalysisRecord> {
    let mut tx = store.write.begin().await?;
    lock_open(&mut *tx, org, id).await?;
    let now = now_millis();
    query(
        "UPDATE job_analyses SET status = 'closed', closed_at = $3, closed_by = $4, \
         updated_at = $3 WHERE org_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(now)
    .bind(actor)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({});
    commit_change(tx, org, actor, id, "job_analysis.close_survey", detail).await?;
    analyses::reloaded(store, org, id).await
}
