//! The hiring steps that rest on a job analysis: the assessment blueprint, cut scores (who
//! set them and when), applicants and the categories a rating places them in.
//!
//! Each `pub(crate)` function taking a `store` is the
//! [`JobAnalysisStore`](crate::JobAnalysisStore) method of the same name (documented there),
//! for either backend.

use uuid::Uuid;

use super::analyses::{commit_change, touch};
use super::*;
use crate::StoreResult;
use crate::backend::{Backend, SqlStore};
use crate::convert::{conflict, from_json, now_millis, parse_uuid};
use crate::db::{Cols, query};

pub(crate) async fn set_blueprint<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    blueprint: &serde_json::Value,
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    touch(&mut *tx, org, id).await?;
    query("UPDATE job_analyses SET blueprint = $3 WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(blueprint.to_string())
        .execute(&mut *tx)
        .await?;
    let detail = serde_json::json!({});
    commit_change(tx, org, actor, id, "job_analysis.blueprint", detail).await
}

pub(crate) async fn add_cut_score<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    assessment: &str,
    record: &serde_json::Value,
) -> StoreResult<CutScore> {
    let mut tx = store.write.begin().await?;
    touch(&mut *tx, org, id).await?;
    let cut = CutScore {
        id: Uuid::now_v7(),
        assessment: assessment.to_string(),
        record: record.clone(),
        set_by: actor,
        set_at: now_millis(),
    };
    query(
        "INSERT INTO ja_cut_scores (id, org_id, analysis_id, assessment, record, \
         set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(cut.id)
    .bind(org)
    .bind(id)
    .bind(assessment)
    .bind(record.to_string())
    .bind(actor)
    .bind(cut.set_at)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "assessment": assessment });
    commit_change(tx, org, actor, id, "job_analysis.cut_score", detail).await?;
    Ok(cut)
}

pub(crate) async fn list_cut_scores<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
) -> StoreResult<Vec<CutScore>> {
    query(
        "SELECT id, assessment, record, set_by, set_at FROM ja_cut_scores \
         WHERE org_id = $1 AND analysis_id = $2 ORDER BY set_at DESC, id DESC",
    )
    .bind(org)
    .bind(id)
    .fetch_each(&store.write, |r| {
        Ok(CutScore {
            id: parse_uuid(&r.get::<String>("id")?)?,
            assessment: r.get("assessment")?,
            record: from_json(&r.get::<String>("record")?)?,
            set_by: parse_uuid(&r.get::<String>("set_by")?)?,
            set_at: r.get("set_at")?,
        })
    })
    .await
}

pub(crate) async fn set_applicants<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    applicants: &[ApplicantRecord],
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    touch(&mut *tx, org, id).await?;
    query("DELETE FROM ja_applicants WHERE org_id = $1 AND analysis_id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    query("UPDATE job_analyses SET category_rating = NULL WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for (i, a) in applicants.iter().enumerate() {
        query(
            "INSERT INTO ja_applicants (analysis_id, org_id, applicant_id, position, \
             scores, category) VALUES ($1, $2, $3, $4, $5, NULL)",
        )
        .bind(id)
        .bind(org)
        .bind(&a.id)
        .bind(i as i64)
        .bind(a.scores.to_string())
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict(e, format!("applicant \"{}\" appears twice", a.id)))?;
    }
    let detail = serde_json::json!({ "applicants": applicants.len() });
    commit_change(tx, org, actor, id, "job_analysis.applicants", detail).await
}

pub(crate) async fn applicants<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: Uuid,
) -> StoreResult<Vec<ApplicantRecord>> {
    query(
        "SELECT applicant_id, scores, category FROM ja_applicants \
         WHERE org_id = $1 AND analysis_id = $2 ORDER BY position",
    )
    .bind(org)
    .bind(id)
    .fetch_each(&store.write, |r| {
        Ok(ApplicantRecord {
            id: r.get("applicant_id")?,
            scores: from_json(&r.get::<String>("scores")?)?,
            category: r.get("category")?,
        })
    })
    .await
}

pub(crate) async fn set_categories<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: Uuid,
    placements: &[(String, Option<String>)],
    rating: &serde_json::Value,
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    touch(&mut *tx, org, id).await?;
    query("UPDATE job_analyses SET category_rating = $3 WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(rating.to_string())
        .execute(&mut *tx)
        .await?;
    for (applicant, category) in placements {
        query(
            "UPDATE ja_applicants SET category = $4 \
             WHERE org_id = $1 AND analysis_id = $2 AND applicant_id = $3",
        )
        .bind(org)
        .bind(id)
        .bind(applicant)
        .bind(category)
        .execute(&mut *tx)
        .await?;
    }
    let detail = serde_json::json!({ "applicants": placements.len() });
    commit_change(tx, org, actor, id, "job_analysis.category_rating", detail).await
}
