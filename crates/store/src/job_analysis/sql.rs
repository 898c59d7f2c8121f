//! The one implementation of [`JobAnalysisStore`](super::JobAnalysisStore), expanded for each
//! backend by `ja_store!`. Portable SQL as in `crate::sql`: `$n` placeholders, TEXT ids, BIGINT
//! milliseconds, integers 0/1 for yes/no.

use framewright_hiring::survey::JobAnalysis;

use crate::StoreResult;

/// The title and grade columns a job analysis row mirrors.
pub(crate) fn mirrored(job: &JobAnalysis) -> (String, Option<String>) {
    (job.title.clone(), job.grade.map(|g| g.to_string()))
}

pub(crate) fn small(value: Option<i64>) -> StoreResult<Option<u8>> {
    value
        .map(|v| {
            u8::try_from(v)
                .map_err(|_| crate::StoreError::Corrupt(format!("rating {v} is out of range")))
        })
        .transpose()
}

/// Expands `JobAnalysisStore` for `$store` inside a module named `$module`.
macro_rules! ja_store {
    ($store:path, $module:ident) => {
        mod $module {
            use async_trait::async_trait;
            use framewright_hiring::AnalysisParameters;
            use framewright_hiring::survey::{
                CompetencyRating, JobAnalysis, LinkageRating, Ratings, SmeResponse, TaskRating,
            };
            use sqlx::Row;
            use uuid::Uuid;

            use crate::job_analysis::sql::{mirrored, small};
            use crate::job_analysis::*;
            use crate::sql::{from_json, now_millis, parse_opt_uuid, parse_uuid, to_json};
            use crate::{PageRequest, Paged, StoreError, StoreResult};

            type Store = $store;
            type Db = <Store as crate::job_analysis::sql::Backend>::Db;
            type DbRow = <Db as sqlx::Database>::Row;
            type Conn = <Db as sqlx::Database>::Connection;

            const COLS: &str = "id, framework_id, status, job, parameters, blueprint, \
                 category_rating, created_at, created_by, updated_at, closed_at, closed_by";

            fn record_from(row: &DbRow) -> StoreResult<JobAnalysisRecord> {
                let status: String = row.try_get("status")?;
                let json = |name: &str| -> StoreResult<Option<serde_json::Value>> {
                    row.try_get::<Option<String>, _>(name)?
                        .as_deref()
                        .map(from_json)
                        .transpose()
                };
                Ok(JobAnalysisRecord {
                    id: parse_uuid(&row.try_get::<String, _>("id")?)?,
                    framework: parse_opt_uuid(row.try_get("framework_id")?)?,
                    status: if status == "closed" {
                        SurveyStatus::Closed
                    } else {
                        SurveyStatus::Open
                    },
                    job: from_json(&row.try_get::<String, _>("job")?)?,
                    parameters: from_json(&row.try_get::<String, _>("parameters")?)?,
                    blueprint: json("blueprint")?,
                    category_rating: json("category_rating")?,
                    created_at: row.try_get("created_at")?,
                    created_by: parse_opt_uuid(row.try_get("created_by")?)?,
                    updated_at: row.try_get("updated_at")?,
                    closed_at: row.try_get("closed_at")?,
                    closed_by: parse_opt_uuid(row.try_get("closed_by")?)?,
                })
            }

            fn sme_from(row: &DbRow) -> StoreResult<SmeRecord> {
                Ok(SmeRecord {
                    id: parse_uuid(&row.try_get::<String, _>("id")?)?,
                    label: row.try_get("label")?,
                    qualifications: row.try_get("qualifications")?,
                    has_link: row.try_get::<Option<String>, _>("token_hash")?.is_some(),
                    created_at: row.try_get("created_at")?,
                    responded_at: row.try_get("responded_at")?,
                })
            }

            async fn audit(
                conn: &mut Conn,
                org: Uuid,
                actor: Option<Uuid>,
                action: &str,
                id: Uuid,
                detail: serde_json::Value,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO audit_log (id, org_id, actor_id, action, target, detail, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(org.to_string())
                .bind(actor.map(|a| a.to_string()))
                .bind(action)
                .bind(format!("job-analysis:{id}"))
                .bind(detail.to_string())
                .bind(now_millis())
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// Locks the analysis row for the rest of the transaction (a no-op update) and
            /// says whether it exists and is open: `NotFound`, `Conflict` when closed.
            async fn lock_open(conn: &mut Conn, org: Uuid, id: Uuid) -> StoreResult<()> {
                let done = sqlx::query(
                    "UPDATE job_analyses SET updated_at = $3 \
                     WHERE org_id = $1 AND id = $2 AND status = 'open'",
                )
                .bind(org.to_string())
                .bind(id.to_string())
                .bind(now_millis())
                .execute(&mut *conn)
                .await?;
                if done.rows_affected() == 1 {
                    return Ok(());
                }
                exists(conn, org, id).await?;
                Err(StoreError::Conflict("the survey is closed".into()))
            }

            async fn exists(conn: &mut Conn, org: Uuid, id: Uuid) -> StoreResult<()> {
                sqlx::query("SELECT id FROM job_analyses WHERE org_id = $1 AND id = $2")
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .fetch_optional(&mut *conn)
                    .await?
                    .map(|_| ())
                    .ok_or(StoreError::NotFound)
            }

            async fn touch(conn: &mut Conn, org: Uuid, id: Uuid) -> StoreResult<()> {
                let done = sqlx::query(
                    "UPDATE job_analyses SET updated_at = $3 WHERE org_id = $1 AND id = $2",
                )
                .bind(org.to_string())
                .bind(id.to_string())
                .bind(now_millis())
                .execute(&mut *conn)
                .await?;
                if done.rows_affected() == 1 {
                    Ok(())
                } else {
                    Err(StoreError::NotFound)
                }
            }

            async fn insert_sme(
                conn: &mut Conn,
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
                sqlx::query(
                    "INSERT INTO ja_smes (id, org_id, analysis_id, label, qualifications, \
                     token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(record.id.to_string())
                .bind(org.to_string())
                .bind(id.to_string())
                .bind(&record.label)
                .bind(&record.qualifications)
                .bind(&sme.token_hash)
                .bind(record.created_at)
                .execute(&mut *conn)
                .await
                .map_err(|e| {
                    crate::sql::conflict(e, format!("the panel already has an SME \"{}\"", sme.label))
                })?;
                Ok(record)
            }

            /// Replaces the answers of `response.sme`.
            async fn replace_response(
                conn: &mut Conn,
                org: Uuid,
                id: Uuid,
                response: &SmeResponse,
            ) -> StoreResult<()> {
                for table in ["ja_task_ratings", "ja_competency_ratings", "ja_linkage"] {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DELETE FROM {table} WHERE org_id = $1 AND analysis_id = $2 AND sme = $3"
                    )))
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .bind(&response.sme)
                    .execute(&mut *conn)
                    .await?;
                }
                for (i, r) in response.tasks.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO ja_task_ratings (analysis_id, org_id, sme, task_id, position, \
                         importance, frequency) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(&response.sme)
                    .bind(&r.task)
                    .bind(i as i64)
                    .bind(r.importance.map(i64::from))
                    .bind(r.frequency.map(i64::from))
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| {
                        crate::sql::conflict(e, format!("task \"{}\" is rated twice", r.task))
                    })?;
                }
                for (i, r) in response.competencies.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO ja_competency_ratings (analysis_id, org_id, sme, competency_id, \
                         position, importance, needed_at_entry, distinguishing_value) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(&response.sme)
                    .bind(&r.competency)
                    .bind(i as i64)
                    .bind(r.importance.map(i64::from))
                    .bind(r.needed_at_entry.map(i64::from))
                    .bind(r.distinguishing_value.map(i64::from))
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| {
                        crate::sql::conflict(
                            e,
                            format!("competency \"{}\" is rated twice", r.competency),
                        )
                    })?;
                }
                for (i, r) in response.linkage.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO ja_linkage (analysis_id, org_id, sme, task_id, competency_id, \
                         position, linked) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(&response.sme)
                    .bind(&r.task)
                    .bind(&r.competency)
                    .bind(i as i64)
                    .bind(i64::from(r.linked))
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| {
                        crate::sql::conflict(
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

            #[async_trait]
            impl JobAnalysisStore for Store {
                async fn create_job_analysis(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    new: &NewJobAnalysis,
                ) -> StoreResult<JobAnalysisRecord> {
                    let mut tx = self.write.begin().await?;
                    if let Some(framework) = new.framework {
                        sqlx::query("SELECT id FROM frameworks WHERE org_id = $1 AND id = $2")
                            .bind(org.to_string())
                            .bind(framework.to_string())
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or(StoreError::NotFound)?;
                    }
                    let now = now_millis();
                    let id = Uuid::now_v7();
                    let (title, grade) = mirrored(&new.job);
                    sqlx::query(
                        "INSERT INTO job_analyses (id, org_id, framework_id, title, grade, status, \
                         job, parameters, created_at, created_by, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $8)",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(new.framework.map(|f| f.to_string()))
                    .bind(title)
                    .bind(grade)
                    .bind(to_json(&new.job)?)
                    .bind(to_json(&new.parameters)?)
                    .bind(now)
                    .bind(actor.to_string())
                    .execute(&mut *tx)
                    .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.create",
                        id,
                        serde_json::json!({ "title": new.job.title }),
                    )
                    .await?;
                    tx.commit().await?;
                    self.job_analysis(org, id).await?.ok_or(StoreError::NotFound)
                }

                async fn list_job_analyses(
                    &self,
                    org: Uuid,
                    page: PageRequest,
                ) -> StoreResult<Paged<JobAnalysisSummary>> {
                    let total: i64 =
                        sqlx::query("SELECT COUNT(*) AS n FROM job_analyses WHERE org_id = $1")
                            .bind(org.to_string())
                            .fetch_one(&self.read)
                            .await?
                            .try_get("n")?;
                    let rows = sqlx::query(
                        "SELECT a.id, a.title, a.grade, a.framework_id, a.status, a.created_at, \
                         a.updated_at, \
                         (SELECT COUNT(*) FROM ja_smes s WHERE s.org_id = a.org_id \
                          AND s.analysis_id = a.id) AS smes, \
                         (SELECT COUNT(*) FROM ja_smes s WHERE s.org_id = a.org_id \
                          AND s.analysis_id = a.id AND s.responded_at IS NOT NULL) AS responded \
                         FROM job_analyses a WHERE a.org_id = $1 \
                         ORDER BY a.created_at DESC, a.id DESC LIMIT $2 OFFSET $3",
                    )
                    .bind(org.to_string())
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(&self.read)
                    .await?;
                    let items = rows
                        .iter()
                        .map(|r| {
                            Ok(JobAnalysisSummary {
                                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                                title: r.try_get("title")?,
                                grade: r.try_get("grade")?,
                                framework: parse_opt_uuid(r.try_get("framework_id")?)?,
                                status: if r.try_get::<String, _>("status")? == "closed" {
                                    SurveyStatus::Closed
                                } else {
                                    SurveyStatus::Open
                                },
                                smes: r.try_get("smes")?,
                                responded: r.try_get("responded")?,
                                created_at: r.try_get("created_at")?,
                                updated_at: r.try_get("updated_at")?,
                            })
                        })
                        .collect::<StoreResult<_>>()?;
                    Ok(Paged { items, total })
                }

                async fn job_analysis(
                    &self,
                    org: Uuid,
                    id: Uuid,
                ) -> StoreResult<Option<JobAnalysisRecord>> {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT {COLS} FROM job_analyses WHERE org_id = $1 AND id = $2"
                    )))
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .fetch_optional(&self.write)
                    .await?
                    .as_ref()
                    .map(record_from)
                    .transpose()
                }

                async fn delete_job_analysis(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                ) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    exists(&mut tx, org, id).await?;
                    for table in [
                        "ja_task_ratings",
                        "ja_competency_ratings",
                        "ja_linkage",
                        "ja_smes",
                        "ja_cut_scores",
                        "ja_applicants",
                    ] {
                        sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DELETE FROM {table} WHERE org_id = $1 AND analysis_id = $2"
                        )))
                        .bind(org.to_string())
                        .bind(id.to_string())
                        .execute(&mut *tx)
                        .await?;
                    }
                    sqlx::query("DELETE FROM job_analyses WHERE org_id = $1 AND id = $2")
                        .bind(org.to_string())
                        .bind(id.to_string())
                        .execute(&mut *tx)
                        .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.delete",
                        id,
                        serde_json::json!({}),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn update_job_analysis(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    job: &JobAnalysis,
                    parameters: &AnalysisParameters,
                ) -> StoreResult<JobAnalysisRecord> {
                    let mut tx = self.write.begin().await?;
                    let (title, grade) = mirrored(job);
                    let done = sqlx::query(
                        "UPDATE job_analyses SET title = $3, grade = $4, job = $5, parameters = $6, \
                         updated_at = $7 WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .bind(title)
                    .bind(grade)
                    .bind(to_json(job)?)
                    .bind(to_json(parameters)?)
                    .bind(now_millis())
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        return Err(StoreError::NotFound);
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.update",
                        id,
                        serde_json::json!({
                            "tasks": job.tasks.len(),
                            "competencies": job.competencies.len(),
                        }),
                    )
                    .await?;
                    tx.commit().await?;
                    self.job_analysis(org, id).await?.ok_or(StoreError::NotFound)
                }

                async fn add_smes(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    smes: &[NewSme],
                ) -> StoreResult<Vec<SmeRecord>> {
                    let mut tx = self.write.begin().await?;
                    lock_open(&mut tx, org, id).await?;
                    let mut out = Vec::with_capacity(smes.len());
                    for sme in smes {
                        out.push(insert_sme(&mut tx, org, id, sme).await?);
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.invite",
                        id,
                        serde_json::json!({
                            "smes": smes.iter().map(|s| s.label.as_str()).collect::<Vec<_>>()
                        }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn list_smes(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<SmeRecord>> {
                    sqlx::query(
                        "SELECT id, label, qualifications, token_hash, created_at, responded_at \
                         FROM ja_smes WHERE org_id = $1 AND analysis_id = $2 ORDER BY created_at, id",
                    )
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .fetch_all(&self.write)
                    .await?
                    .iter()
                    .map(sme_from)
                    .collect()
                }

                async fn survey_by_token(
                    &self,
                    token_hash: &str,
                ) -> StoreResult<Option<SurveyAccess>> {
                    let Some(row) = sqlx::query(
                        "SELECT id, org_id, analysis_id, label, qualifications, token_hash, \
                         created_at, responded_at FROM ja_smes WHERE token_hash = $1",
                    )
                    .bind(token_hash)
                    .fetch_optional(&self.write)
                    .await?
                    else {
                        return Ok(None);
                    };
                    let org = parse_uuid(&row.try_get::<String, _>("org_id")?)?;
                    let analysis = parse_uuid(&row.try_get::<String, _>("analysis_id")?)?;
                    let sme = sme_from(&row)?;
                    Ok(self
                        .job_analysis(org, analysis)
                        .await?
                        .map(|analysis| SurveyAccess { org, analysis, sme }))
                }

                async fn save_response(
                    &self,
                    org: Uuid,
                    id: Uuid,
                    response: &SmeResponse,
                ) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    lock_open(&mut tx, org, id).await?;
                    let done = sqlx::query(
                        "UPDATE ja_smes SET responded_at = $4 \
                         WHERE org_id = $1 AND analysis_id = $2 AND label = $3",
                    )
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .bind(&response.sme)
                    .bind(now_millis())
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        return Err(StoreError::NotFound);
                    }
                    replace_response(&mut tx, org, id, response).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn import_ratings(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    ratings: &Ratings,
                ) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    lock_open(&mut tx, org, id).await?;
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
                        let known = sqlx::query(
                            "UPDATE ja_smes SET responded_at = $4 \
                             WHERE org_id = $1 AND analysis_id = $2 AND label = $3",
                        )
                        .bind(org.to_string())
                        .bind(id.to_string())
                        .bind(*sme)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                        if known.rows_affected() == 0 {
                            insert_sme(
                                &mut tx,
                                org,
                                id,
                                &NewSme {
                                    label: (*sme).to_string(),
                                    qualifications: None,
                                    token_hash: None,
                                },
                            )
                            .await?;
                            sqlx::query(
                                "UPDATE ja_smes SET responded_at = $4 \
                                 WHERE org_id = $1 AND analysis_id = $2 AND label = $3",
                            )
                            .bind(org.to_string())
                            .bind(id.to_string())
                            .bind(*sme)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                        }
                        replace_response(&mut tx, org, id, &ratings.response(sme)).await?;
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.import_ratings",
                        id,
                        serde_json::json!({
                            "smes": smes.len(),
                            "task_ratings": ratings.tasks.len(),
                            "competency_ratings": ratings.competencies.len(),
                            "links": ratings.linkage.len(),
                        }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn ratings(&self, org: Uuid, id: Uuid) -> StoreResult<Ratings> {
                    let o = org.to_string();
                    let a = id.to_string();
                    // Ordered by panel order, then the order each SME gave.
                    let tasks = sqlx::query(
                        "SELECT r.sme, r.task_id, r.importance, r.frequency FROM ja_task_ratings r \
                         JOIN ja_smes s ON s.analysis_id = r.analysis_id AND s.label = r.sme \
                         WHERE r.org_id = $1 AND r.analysis_id = $2 \
                         ORDER BY s.created_at, s.id, r.position",
                    )
                    .bind(&o)
                    .bind(&a)
                    .fetch_all(&self.write)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(TaskRating {
                            sme: r.try_get("sme")?,
                            task: r.try_get("task_id")?,
                            importance: small(r.try_get("importance")?)?,
                            frequency: small(r.try_get("frequency")?)?,
                        })
                    })
                    .collect::<StoreResult<_>>()?;
                    let competencies = sqlx::query(
                        "SELECT r.sme, r.competency_id, r.importance, r.needed_at_entry, \
                         r.distinguishing_value FROM ja_competency_ratings r \
                         JOIN ja_smes s ON s.analysis_id = r.analysis_id AND s.label = r.sme \
                         WHERE r.org_id = $1 AND r.analysis_id = $2 \
                         ORDER BY s.created_at, s.id, r.position",
                    )
                    .bind(&o)
                    .bind(&a)
                    .fetch_all(&self.write)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(CompetencyRating {
                            sme: r.try_get("sme")?,
                            competency: r.try_get("competency_id")?,
                            importance: small(r.try_get("importance")?)?,
                            needed_at_entry: r
                                .try_get::<Option<i64>, _>("needed_at_entry")?
                                .map(|v| v != 0),
                            distinguishing_value: small(r.try_get("distinguishing_value")?)?,
                        })
                    })
                    .collect::<StoreResult<_>>()?;
                    let linkage = sqlx::query(
                        "SELECT r.sme, r.task_id, r.competency_id, r.linked FROM ja_linkage r \
                         JOIN ja_smes s ON s.analysis_id = r.analysis_id AND s.label = r.sme \
                         WHERE r.org_id = $1 AND r.analysis_id = $2 \
                         ORDER BY s.created_at, s.id, r.position",
                    )
                    .bind(&o)
                    .bind(&a)
                    .fetch_all(&self.write)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(LinkageRating {
                            sme: r.try_get("sme")?,
                            task: r.try_get("task_id")?,
                            competency: r.try_get("competency_id")?,
                            linked: r.try_get::<i64, _>("linked")? != 0,
                        })
                    })
                    .collect::<StoreResult<_>>()?;
                    Ok(Ratings {
                        tasks,
                        competencies,
                        linkage,
                    })
                }

                async fn close_survey(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                ) -> StoreResult<JobAnalysisRecord> {
                    let mut tx = self.write.begin().await?;
                    lock_open(&mut tx, org, id).await?;
                    let now = now_millis();
                    sqlx::query(
                        "UPDATE job_analyses SET status = 'closed', closed_at = $3, closed_by = $4, \
                         updated_at = $3 WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .bind(now)
                    .bind(actor.to_string())
                    .execute(&mut *tx)
                    .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.close_survey",
                        id,
                        serde_json::json!({}),
                    )
                    .await?;
                    tx.commit().await?;
                    self.job_analysis(org, id).await?.ok_or(StoreError::NotFound)
                }

                async fn set_blueprint(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    blueprint: &serde_json::Value,
                ) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    touch(&mut tx, org, id).await?;
                    sqlx::query(
                        "UPDATE job_analyses SET blueprint = $3 WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .bind(blueprint.to_string())
                    .execute(&mut *tx)
                    .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.blueprint",
                        id,
                        serde_json::json!({}),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn add_cut_score(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    assessment: &str,
                    record: &serde_json::Value,
                ) -> StoreResult<CutScore> {
                    let mut tx = self.write.begin().await?;
                    touch(&mut tx, org, id).await?;
                    let cut = CutScore {
                        id: Uuid::now_v7(),
                        assessment: assessment.to_string(),
                        record: record.clone(),
                        set_by: actor,
                        set_at: now_millis(),
                    };
                    sqlx::query(
                        "INSERT INTO ja_cut_scores (id, org_id, analysis_id, assessment, record, \
                         set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(cut.id.to_string())
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .bind(assessment)
                    .bind(record.to_string())
                    .bind(actor.to_string())
                    .bind(cut.set_at)
                    .execute(&mut *tx)
                    .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.cut_score",
                        id,
                        serde_json::json!({ "assessment": assessment }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(cut)
                }

                async fn list_cut_scores(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<CutScore>> {
                    sqlx::query(
                        "SELECT id, assessment, record, set_by, set_at FROM ja_cut_scores \
                         WHERE org_id = $1 AND analysis_id = $2 ORDER BY set_at DESC, id DESC",
                    )
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .fetch_all(&self.write)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(CutScore {
                            id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                            assessment: r.try_get("assessment")?,
                            record: from_json(&r.try_get::<String, _>("record")?)?,
                            set_by: parse_uuid(&r.try_get::<String, _>("set_by")?)?,
                            set_at: r.try_get("set_at")?,
                        })
                    })
                    .collect()
                }

                async fn set_applicants(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    applicants: &[ApplicantRecord],
                ) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    touch(&mut tx, org, id).await?;
                    sqlx::query("DELETE FROM ja_applicants WHERE org_id = $1 AND analysis_id = $2")
                        .bind(org.to_string())
                        .bind(id.to_string())
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "UPDATE job_analyses SET category_rating = NULL WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await?;
                    for (i, a) in applicants.iter().enumerate() {
                        sqlx::query(
                            "INSERT INTO ja_applicants (analysis_id, org_id, applicant_id, position, \
                             scores, category) VALUES ($1, $2, $3, $4, $5, NULL)",
                        )
                        .bind(id.to_string())
                        .bind(org.to_string())
                        .bind(&a.id)
                        .bind(i as i64)
                        .bind(a.scores.to_string())
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| {
                            crate::sql::conflict(e, format!("applicant \"{}\" appears twice", a.id))
                        })?;
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.applicants",
                        id,
                        serde_json::json!({ "applicants": applicants.len() }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn applicants(
                    &self,
                    org: Uuid,
                    id: Uuid,
                ) -> StoreResult<Vec<ApplicantRecord>> {
                    sqlx::query(
                        "SELECT applicant_id, scores, category FROM ja_applicants \
                         WHERE org_id = $1 AND analysis_id = $2 ORDER BY position",
                    )
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .fetch_all(&self.write)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(ApplicantRecord {
                            id: r.try_get("applicant_id")?,
                            scores: from_json(&r.try_get::<String, _>("scores")?)?,
                            category: r.try_get("category")?,
                        })
                    })
                    .collect()
                }

                async fn set_categories(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    placements: &[(String, Option<String>)],
                    rating: &serde_json::Value,
                ) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    touch(&mut tx, org, id).await?;
                    sqlx::query(
                        "UPDATE job_analyses SET category_rating = $3 WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org.to_string())
                    .bind(id.to_string())
                    .bind(rating.to_string())
                    .execute(&mut *tx)
                    .await?;
                    for (applicant, category) in placements {
                        sqlx::query(
                            "UPDATE ja_applicants SET category = $4 \
                             WHERE org_id = $1 AND analysis_id = $2 AND applicant_id = $3",
                        )
                        .bind(org.to_string())
                        .bind(id.to_string())
                        .bind(applicant)
                        .bind(category)
                        .execute(&mut *tx)
                        .await?;
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "job_analysis.category_rating",
                        id,
                        serde_json::json!({ "applicants": placements.len() }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use ja_store;

/// Which sqlx database a store uses.
pub(crate) trait Backend {
    type Db: sqlx::Database;
}

impl Backend for crate::sqlite::SqliteStore {
    type Db = sqlx::Sqlite;
}

impl Backend for crate::postgres::PgStore {
    type Db = sqlx::Postgres;
}
