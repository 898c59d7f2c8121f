//! The one implementation of [`Store`](crate::Store), written once and expanded for each
//! backend by `sql_store!`. The SQL is portable between SQLite and PostgreSQL: `$n`
//! placeholders, TEXT ids, BIGINT millisecond times, `lower(…) LIKE` for case-insensitive
//! matching, `ON CONFLICT` for upserts. Each backend struct has a `read` pool and a `write`
//! pool (for SQLite the write pool has one connection, so writers queue instead of failing
//! with "database is locked"; for PostgreSQL both are the same pool).

use framewright_model::{Catalogue, Competency, Framework};
use uuid::Uuid;

use crate::{StoreError, StoreResult};

/// Now, in milliseconds since the epoch.
pub(crate) fn now_millis() -> i64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

pub(crate) fn parse_uuid(text: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("bad id `{text}`: {e}")))
}

pub(crate) fn parse_opt_uuid(text: Option<String>) -> StoreResult<Option<Uuid>> {
    text.as_deref().map(parse_uuid).transpose()
}

pub(crate) fn parse_role(text: &str) -> StoreResult<crate::Role> {
    text.parse()
        .map_err(|e: crate::RoleError| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Unique-constraint violations become `Conflict` with `what`; other errors pass through.
pub(crate) fn conflict(error: sqlx::Error, what: impl Into<String>) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what.into()),
        _ => StoreError::Database(error),
    }
}

/// The columns a framework row mirrors from its current content.
pub(crate) struct FrameworkColumns {
    pub slug: String,
    pub title: String,
    pub status: String,
    pub version: String,
    pub next_review: Option<String>,
    pub next_major_update: Option<String>,
    pub content: String,
}

impl FrameworkColumns {
    pub fn of(framework: &Framework) -> StoreResult<FrameworkColumns> {
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

/// The searchable columns of one catalogue competency.
pub(crate) struct CompetencyColumns {
    pub id: String,
    pub position: i64,
    pub name: String,
    pub kind: String,
    pub search_text: String,
    pub grades: String,
    pub rank_current: Option<i64>,
    pub content: String,
}

pub(crate) fn competency_columns(catalogue: &Catalogue) -> StoreResult<Vec<CompetencyColumns>> {
    catalogue
        .competencies
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut search = vec![c.id.clone(), c.name.clone()];
            search.extend(c.alt_labels.iter().cloned());
            search.extend(c.definition.iter().cloned());
            let grades: Vec<String> = c
                .grades
                .iter()
                .map(|(g, m)| format!("{g}:{}", m.as_str()))
                .collect();
            Ok(CompetencyColumns {
                id: c.id.clone(),
                position: i as i64,
                name: c.name.clone(),
                kind: c.kind.as_str().to_string(),
                search_text: search.join(" ").to_lowercase(),
                grades: format!(" {} ", grades.join(" ")),
                rank_current: c.importance_rank.and_then(|r| r.current).map(i64::from),
                content: to_json(c)?,
            })
        })
        .collect()
}

/// `text` made safe inside a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A parameter of a search query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Text(String),
    Int(i64),
}

/// WHERE clause and parameters (from `$2` on; `$1` is the organisation) of a competency
/// search. Only placeholders are written into the SQL, never the caller's text.
pub(crate) fn competency_search(query: &crate::CompetencyQuery) -> (String, Vec<Param>) {
    let mut sql = String::from(" WHERE (scope = $1 OR scope = 'builtin')");
    let mut params = Vec::new();
    let mut next = |sql: &mut String, clause: &str, value: Param| {
        params.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", params.len() + 1)));
    };
    if let Some(catalogue) = &query.catalogue {
        next(
            &mut sql,
            " AND catalogue_id = ?",
            Param::Text(catalogue.clone()),
        );
    }
    if let Some(kind) = &query.kind {
        next(&mut sql, " AND kind = ?", Param::Text(kind.clone()));
    }
    if let Some(grade) = &query.grade {
        next(
            &mut sql,
            " AND grades LIKE ?",
            Param::Text(format!("% {}:X %", like_escape(grade))),
        );
    }
    if let Some(rank) = query.max_rank {
        next(&mut sql, " AND rank_current <= ?", Param::Int(rank));
    }
    if let Some(text) = &query.text {
        for word in text.split_whitespace().take(8) {
            next(
                &mut sql,
                " AND search_text LIKE ? ESCAPE '\\'",
                Param::Text(format!("%{}%", like_escape(&word.to_lowercase()))),
            );
        }
    }
    (sql, params)
}

pub(crate) fn builtin_competency(content: &str) -> StoreResult<Competency> {
    from_json(content)
}

/// Expands the whole `Store` implementation for one backend.
///
/// - `$store`: the struct (with `read` and `write` pools);
/// - `$db`: the sqlx database type;
/// - `$backend`: its name;
/// - `$migrations`: its migration list;
/// - `$setup_lock`: a statement that makes the first-owner check exclusive, or `None`;
/// - `$migrate_lock`: statements that take and release a lock around migrations, so that
///   two servers starting at once do not both apply them, or `None`.
macro_rules! sql_store {
    ($store:ident, $db:ty, $backend:literal, $migrations:expr, $setup_lock:expr, $migrate_lock:expr) => {
        mod sql_impl {
            use async_trait::async_trait;
            use framewright_model::{Catalogue, Competency, Framework};
            use sqlx::{Executor, Row};
            use uuid::Uuid;

            use super::$store;
            use crate::migrate::{Migration, checksum};
            use crate::sql::{
                FrameworkColumns, Param, builtin_competency, competency_columns, competency_search,
                conflict, from_json, now_millis, parse_opt_uuid, parse_role, parse_uuid,
                to_json,
            };
            use crate::*;

            type Db = $db;
            type DbRow = <Db as sqlx::Database>::Row;
            type Conn = <Db as sqlx::Database>::Connection;

            macro_rules! fw_cols {
                () => {
                    "id, slug, title, status, version, revision, latest_release, next_review, \
                     next_major_update, created_at, updated_at, updated_by"
                };
            }

            fn user_from(row: &DbRow, prefix: &str) -> StoreResult<User> {
                let col = |name: &str| format!("{prefix}{name}");
                Ok(User {
                    id: parse_uuid(&row.try_get::<String, _>(col("id").as_str())?)?,
                    email: row.try_get(col("email").as_str())?,
                    name: row.try_get(col("name").as_str())?,
                    created_at: row.try_get(col("created_at").as_str())?,
                })
            }

            fn org_from(row: &DbRow) -> StoreResult<Organisation> {
                Ok(Organisation {
                    id: parse_uuid(&row.try_get::<String, _>("org_id")?)?,
                    slug: row.try_get("org_slug")?,
                    name: row.try_get("org_name")?,
                    created_at: row.try_get("org_created_at")?,
                })
            }

            fn summary_from(row: &DbRow) -> StoreResult<FrameworkSummary> {
                Ok(FrameworkSummary {
                    id: parse_uuid(&row.try_get::<String, _>("id")?)?,
                    slug: row.try_get("slug")?,
                    title: row.try_get("title")?,
                    status: row.try_get("status")?,
                    version: row.try_get("version")?,
                    revision: row.try_get("revision")?,
                    latest_release: row.try_get("latest_release")?,
                    next_review: row.try_get("next_review")?,
                    next_major_update: row.try_get("next_major_update")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    updated_by: parse_opt_uuid(row.try_get("updated_by")?)?,
                })
            }

            fn principal_from(row: &DbRow) -> StoreResult<Principal> {
                Ok(Principal {
                    user_id: parse_uuid(&row.try_get::<String, _>("user_id")?)?,
                    email: row.try_get("email")?,
                    name: row.try_get("name")?,
                    org_id: parse_uuid(&row.try_get::<String, _>("org_id")?)?,
                    role: parse_role(&row.try_get::<String, _>("role")?)?,
                })
            }

            fn token_from(row: &DbRow) -> StoreResult<ApiToken> {
                Ok(ApiToken {
                    id: parse_uuid(&row.try_get::<String, _>("id")?)?,
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                    last_used_at: row.try_get("last_used_at")?,
                    expires_at: row.try_get("expires_at")?,
                    revoked_at: row.try_get("revoked_at")?,
                })
            }

            fn comment_from(row: &DbRow) -> StoreResult<Comment> {
                Ok(Comment {
                    id: parse_uuid(&row.try_get::<String, _>("id")?)?,
                    kind: row.try_get("kind")?,
                    body: row.try_get("body")?,
                    revision: row.try_get("revision")?,
                    author: parse_uuid(&row.try_get::<String, _>("author_id")?)?,
                    author_name: row.try_get("author_name")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            fn revision_from(row: &DbRow) -> StoreResult<RevisionSummary> {
                Ok(RevisionSummary {
                    number: row.try_get("number")?,
                    message: row.try_get("message")?,
                    author: parse_opt_uuid(row.try_get("author_id")?)?,
                    created_at: row.try_get("created_at")?,
                    release: row.try_get("release")?,
                })
            }

            fn member_from(row: &DbRow) -> StoreResult<Member> {
                Ok(Member {
                    user: user_from(row, "u_")?,
                    role: parse_role(&row.try_get::<String, _>("role")?)?,
                    since: row.try_get("since")?,
                })
            }

            async fn audit(
                conn: &mut Conn,
                org: Uuid,
                actor: Option<Uuid>,
                action: &str,
                target: String,
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
                .bind(target)
                .bind(detail.to_string())
                .bind(now_millis())
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            async fn member_in(conn: &mut Conn, org: Uuid, user: Uuid) -> StoreResult<Member> {
                let row = sqlx::query(
                    "SELECT u.id AS u_id, u.email AS u_email, u.name AS u_name, \
                     u.created_at AS u_created_at, m.role, m.created_at AS since \
                     FROM memberships m JOIN users u ON u.id = m.user_id \
                     WHERE m.org_id = $1 AND m.user_id = $2",
                )
                .bind(org.to_string())
                .bind(user.to_string())
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(StoreError::NotFound)?;
                member_from(&row)
            }

            async fn owner_count(conn: &mut Conn, org: Uuid) -> StoreResult<i64> {
                Ok(sqlx::query(
                    "SELECT COUNT(*) AS n FROM memberships WHERE org_id = $1 AND role = 'owner'",
                )
                .bind(org.to_string())
                .fetch_one(&mut *conn)
                .await?
                .try_get("n")?)
            }

            /// Finds or creates the organisation with this slug.
            async fn ensure_org(
                conn: &mut Conn,
                slug: &str,
                name: &str,
            ) -> StoreResult<Organisation> {
                let found = sqlx::query(
                    "SELECT id AS org_id, slug AS org_slug, name AS org_name, \
                     created_at AS org_created_at FROM organisations WHERE slug = $1",
                )
                .bind(slug)
                .fetch_optional(&mut *conn)
                .await?;
                if let Some(row) = found {
                    return org_from(&row);
                }
                let org = Organisation {
                    id: Uuid::now_v7(),
                    slug: slug.to_string(),
                    name: name.to_string(),
                    created_at: now_millis(),
                };
                sqlx::query(
                    "INSERT INTO organisations (id, slug, name, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(org.id.to_string())
                .bind(&org.slug)
                .bind(&org.name)
                .bind(org.created_at)
                .execute(&mut *conn)
                .await
                .map_err(|e| conflict(e, format!("organisation `{slug}` exists")))?;
                Ok(org)
            }

            /// Finds the user with this email, or creates one when a password hash is given.
            async fn ensure_user(
                conn: &mut Conn,
                email: &str,
                name: &str,
                password_hash: Option<&str>,
            ) -> StoreResult<User> {
                let email = email.trim().to_lowercase();
                let found = sqlx::query(
                    "SELECT id, email, name, created_at FROM users WHERE email = $1",
                )
                .bind(&email)
                .fetch_optional(&mut *conn)
                .await?;
                if let Some(row) = found {
                    return user_from(&row, "");
                }
                let Some(hash) = password_hash else {
                    return Err(StoreError::NotFound);
                };
                let user = User {
                    id: Uuid::now_v7(),
                    email,
                    name: name.to_string(),
                    created_at: now_millis(),
                };
                sqlx::query(
                    "INSERT INTO users (id, email, name, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(user.id.to_string())
                .bind(&user.email)
                .bind(&user.name)
                .bind(hash)
                .bind(user.created_at)
                .execute(&mut *conn)
                .await
                .map_err(|e| conflict(e, format!("an account for {} exists", user.email)))?;
                Ok(user)
            }

            async fn insert_membership(
                conn: &mut Conn,
                org: Uuid,
                user: Uuid,
                role: Role,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO memberships (org_id, user_id, role, created_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(org.to_string())
                .bind(user.to_string())
                .bind(role.as_str())
                .bind(now_millis())
                .execute(&mut *conn)
                .await
                .map_err(|e| conflict(e, "already a member of this organisation"))?;
                Ok(())
            }

            async fn insert_competencies(
                conn: &mut Conn,
                scope: &str,
                catalogue: &Catalogue,
            ) -> StoreResult<()> {
                for c in competency_columns(catalogue)? {
                    sqlx::query(
                        "INSERT INTO catalogue_competencies (scope, catalogue_id, competency_id, \
                         position, name, kind, search_text, grades, rank_current, content) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(scope)
                    .bind(&catalogue.id)
                    .bind(&c.id)
                    .bind(c.position)
                    .bind(&c.name)
                    .bind(&c.kind)
                    .bind(&c.search_text)
                    .bind(&c.grades)
                    .bind(c.rank_current)
                    .bind(&c.content)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| {
                        conflict(
                            e,
                            format!("competency id `{}` appears twice in the catalogue", c.id),
                        )
                    })?;
                }
                Ok(())
            }

            async fn insert_catalogue(
                conn: &mut Conn,
                scope: &str,
                actor: Option<Uuid>,
                catalogue: &Catalogue,
                content: &str,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO catalogues (scope, id, name, licence, version, publisher, \
                     competency_count, content, checksum, created_at, created_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(scope)
                .bind(&catalogue.id)
                .bind(&catalogue.name)
                .bind(&catalogue.licence)
                .bind(&catalogue.version)
                .bind(&catalogue.publisher)
                .bind(catalogue.competencies.len() as i64)
                .bind(content)
                .bind(checksum(content))
                .bind(now_millis())
                .bind(actor.map(|a| a.to_string()))
                .execute(&mut *conn)
                .await
                .map_err(|e| conflict(e, format!("catalogue `{}` exists", catalogue.id)))?;
                insert_competencies(conn, scope, catalogue).await
            }

            /// The current revision of a framework of `org`.
            async fn current_revision(conn: &mut Conn, org: Uuid, id: Uuid) -> StoreResult<i64> {
                let row = sqlx::query("SELECT revision FROM frameworks WHERE id = $1 AND org_id = $2")
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                Ok(row.try_get("revision")?)
            }

            /// The current revision of a framework of `org`, with the framework's row locked
            /// until the transaction ends (a no-op update takes PostgreSQL's row lock; SQLite
            /// has a single writer anyway), so concurrent writers queue instead of failing.
            async fn lock_revision(conn: &mut Conn, org: Uuid, id: Uuid) -> StoreResult<i64> {
                sqlx::query("UPDATE frameworks SET revision = revision WHERE id = $1 AND org_id = $2")
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .execute(&mut *conn)
                    .await?;
                current_revision(conn, org, id).await
            }

            /// Writes revision `current + 1` with `framework` and moves the framework to it;
            /// the conditional update makes concurrent writers fail instead of interleaving.
            #[allow(clippy::too_many_arguments)]
            async fn write_revision(
                conn: &mut Conn,
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
                let updated = sqlx::query(
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
                .bind(actor.to_string())
                .bind(latest_release)
                .bind(id.to_string())
                .bind(org.to_string())
                .bind(current)
                .execute(&mut *conn)
                .await
                .map_err(|e| conflict(e, format!("a framework with id `{}` exists", cols.slug)))?;
                if updated.rows_affected() != 1 {
                    let now_at = current_revision(conn, org, id).await?;
                    return Err(StoreError::PreconditionFailed { current: now_at });
                }
                sqlx::query(
                    "INSERT INTO framework_revisions (framework_id, org_id, number, content, \
                     message, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id.to_string())
                .bind(org.to_string())
                .bind(next)
                .bind(&cols.content)
                .bind(message)
                .bind(actor.to_string())
                .bind(now)
                .execute(&mut *conn)
                .await?;
                Ok(next)
            }

            async fn framework_in(
                conn: &mut Conn,
                org: Uuid,
                id: Uuid,
            ) -> StoreResult<Option<FrameworkRecord>> {
                let row = sqlx::query(concat!(
                    "SELECT f.",
                    "id, f.slug, f.title, f.status, f.version, f.revision, f.latest_release, \
                     f.next_review, f.next_major_update, f.created_at, f.updated_at, f.updated_by, \
                     r.content FROM frameworks f JOIN framework_revisions r \
                     ON r.framework_id = f.id AND r.number = f.revision \
                     WHERE f.id = $1 AND f.org_id = $2"
                ))
                .bind(id.to_string())
                .bind(org.to_string())
                .fetch_optional(&mut *conn)
                .await?;
                row.map(|row| {
                    Ok(FrameworkRecord {
                        summary: summary_from(&row)?,
                        content: row.try_get("content")?,
                    })
                })
                .transpose()
            }

            async fn replacements_of(
                conn: &mut Conn,
                org: Uuid,
                id: Uuid,
                version: &str,
            ) -> StoreResult<Vec<Replacement>> {
                let rows = sqlx::query(
                    "SELECT from_id, from_name, to_id FROM replacements \
                     WHERE framework_id = $1 AND org_id = $2 AND version = $3 \
                     ORDER BY from_id, to_id",
                )
                .bind(id.to_string())
                .bind(org.to_string())
                .bind(version)
                .fetch_all(&mut *conn)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(Replacement {
                            from: r.try_get("from_id")?,
                            from_name: r.try_get("from_name")?,
                            to: r.try_get("to_id")?,
                        })
                    })
                    .collect()
            }

            impl $store {
                /// Applies the migrations this database lacks.
                pub(crate) async fn migrate(&self) -> StoreResult<()> {
                    let migrations: &[Migration] = $migrations;
                    let lock: Option<(&'static str, &'static str)> = $migrate_lock;
                    let mut conn = self.write.acquire().await?;
                    if let Some((take, _)) = lock {
                        conn.execute(take).await?;
                    }
                    let result = Self::apply_migrations(&mut conn, migrations).await;
                    if let Some((_, release)) = lock {
                        conn.execute(release).await?;
                    }
                    result
                }

                async fn apply_migrations(
                    conn: &mut Conn,
                    migrations: &[Migration],
                ) -> StoreResult<()> {
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS framewright_migrations (\
                         version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
                         checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                    )
                    .await?;
                    for migration in migrations {
                        let applied = sqlx::query(
                            "SELECT checksum FROM framewright_migrations WHERE version = $1",
                        )
                        .bind(migration.version)
                        .fetch_optional(&mut *conn)
                        .await?;
                        let sum = checksum(migration.sql);
                        if let Some(row) = applied {
                            if row.try_get::<String, _>("checksum")? != sum {
                                return Err(StoreError::MigrationChanged {
                                    version: migration.version,
                                    description: migration.description.to_string(),
                                });
                            }
                            continue;
                        }
                        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                        tx.execute(sqlx::raw_sql(migration.sql)).await?;
                        sqlx::query(
                            "INSERT INTO framewright_migrations (version, description, checksum, \
                             applied_at) VALUES ($1, $2, $3, $4)",
                        )
                        .bind(migration.version)
                        .bind(migration.description)
                        .bind(sum)
                        .bind(now_millis())
                        .execute(&mut *tx)
                        .await?;
                        tx.commit().await?;
                    }
                    Ok(())
                }
            }

            #[async_trait]
            impl Store for $store {
                fn backend(&self) -> &'static str {
                    $backend
                }

                async fn count_users(&self) -> StoreResult<i64> {
                    Ok(sqlx::query("SELECT COUNT(*) AS n FROM users")
                        .fetch_one(&self.read)
                        .await?
                        .try_get("n")?)
                }

                async fn setup_first_owner(
                    &self,
                    setup: NewAccount,
                ) -> StoreResult<(Organisation, User)> {
                    let mut tx = self.write.begin().await?;
                    let lock: Option<&'static str> = $setup_lock;
                    if let Some(lock) = lock {
                        tx.execute(lock).await?;
                    }
                    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users")
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get("n")?;
                    if n > 0 {
                        return Err(StoreError::AlreadySetUp);
                    }
                    let org = ensure_org(&mut tx, &setup.org_slug, &setup.org_name).await?;
                    let user =
                        ensure_user(&mut tx, &setup.email, &setup.name, Some(&setup.password_hash))
                            .await?;
                    insert_membership(&mut tx, org.id, user.id, Role::Owner).await?;
                    audit(
                        &mut tx,
                        org.id,
                        Some(user.id),
                        "setup.owner",
                        format!("user:{}", user.id),
                        serde_json::json!({ "email": user.email }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok((org, user))
                }

                async fn admin_create_user(
                    &self,
                    account: NewAccount,
                    role: Role,
                ) -> StoreResult<(Organisation, User)> {
                    let mut tx = self.write.begin().await?;
                    let org = ensure_org(&mut tx, &account.org_slug, &account.org_name).await?;
                    let user = ensure_user(
                        &mut tx,
                        &account.email,
                        &account.name,
                        Some(&account.password_hash),
                    )
                    .await?;
                    insert_membership(&mut tx, org.id, user.id, role).await?;
                    audit(
                        &mut tx,
                        org.id,
                        None,
                        "member.add",
                        format!("user:{}", user.id),
                        serde_json::json!({ "email": user.email, "role": role.as_str(), "via": "admin" }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok((org, user))
                }

                async fn find_credentials(&self, email: &str) -> StoreResult<Option<Credentials>> {
                    let row = sqlx::query(
                        "SELECT id, email, name, created_at, password_hash FROM users WHERE email = $1",
                    )
                    .bind(email.trim().to_lowercase())
                    .fetch_optional(&self.read)
                    .await?;
                    row.map(|row| {
                        Ok(Credentials {
                            user: user_from(&row, "")?,
                            password_hash: row.try_get("password_hash")?,
                        })
                    })
                    .transpose()
                }

                async fn memberships(&self, user: Uuid) -> StoreResult<Vec<Membership>> {
                    let rows = sqlx::query(
                        "SELECT o.id AS org_id, o.slug AS org_slug, o.name AS org_name, \
                         o.created_at AS org_created_at, m.role FROM memberships m \
                         JOIN organisations o ON o.id = m.org_id WHERE m.user_id = $1 \
                         ORDER BY m.created_at, o.slug",
                    )
                    .bind(user.to_string())
                    .fetch_all(&self.read)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(Membership {
                                organisation: org_from(row)?,
                                role: parse_role(&row.try_get::<String, _>("role")?)?,
                            })
                        })
                        .collect()
                }

                async fn organisation(&self, org: Uuid) -> StoreResult<Option<Organisation>> {
                    let row = sqlx::query(
                        "SELECT id AS org_id, slug AS org_slug, name AS org_name, \
                         created_at AS org_created_at FROM organisations WHERE id = $1",
                    )
                    .bind(org.to_string())
                    .fetch_optional(&self.read)
                    .await?;
                    row.as_ref().map(org_from).transpose()
                }

                async fn list_members(
                    &self,
                    org: Uuid,
                    page: PageRequest,
                ) -> StoreResult<Paged<Member>> {
                    let total: i64 =
                        sqlx::query("SELECT COUNT(*) AS n FROM memberships WHERE org_id = $1")
                            .bind(org.to_string())
                            .fetch_one(&self.read)
                            .await?
                            .try_get("n")?;
                    let rows = sqlx::query(
                        "SELECT u.id AS u_id, u.email AS u_email, u.name AS u_name, \
                         u.created_at AS u_created_at, m.role, m.created_at AS since \
                         FROM memberships m JOIN users u ON u.id = m.user_id \
                         WHERE m.org_id = $1 ORDER BY u.email LIMIT $2 OFFSET $3",
                    )
                    .bind(org.to_string())
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(&self.read)
                    .await?;
                    let items = rows.iter().map(member_from).collect::<StoreResult<_>>()?;
                    Ok(Paged { items, total })
                }

                async fn add_member(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    member: NewMember,
                ) -> StoreResult<Member> {
                    let mut tx = self.write.begin().await?;
                    let user = ensure_user(
                        &mut tx,
                        &member.email,
                        &member.name,
                        member.password_hash.as_deref(),
                    )
                    .await?;
                    insert_membership(&mut tx, org, user.id, member.role).await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "member.add",
                        format!("user:{}", user.id),
                        serde_json::json!({ "email": user.email, "role": member.role.as_str() }),
                    )
                    .await?;
                    let added = member_in(&mut tx, org, user.id).await?;
                    tx.commit().await?;
                    Ok(added)
                }

                async fn set_member_role(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    user: Uuid,
                    role: Role,
                ) -> StoreResult<Member> {
                    let mut tx = self.write.begin().await?;
                    let before = member_in(&mut tx, org, user).await?;
                    if before.role == Role::Owner
                        && role != Role::Owner
                        && owner_count(&mut tx, org).await? <= 1
                    {
                        return Err(StoreError::Conflict(
                            "the organisation must keep at least one owner".into(),
                        ));
                    }
                    sqlx::query("UPDATE memberships SET role = $1 WHERE org_id = $2 AND user_id = $3")
                        .bind(role.as_str())
                        .bind(org.to_string())
                        .bind(user.to_string())
                        .execute(&mut *tx)
                        .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "member.role",
                        format!("user:{user}"),
                        serde_json::json!({ "from": before.role.as_str(), "to": role.as_str() }),
                    )
                    .await?;
                    let after = member_in(&mut tx, org, user).await?;
                    tx.commit().await?;
                    Ok(after)
                }

                async fn remove_member(&self, org: Uuid, actor: Uuid, user: Uuid) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    let before = member_in(&mut tx, org, user).await?;
                    if before.role == Role::Owner && owner_count(&mut tx, org).await? <= 1 {
                        return Err(StoreError::Conflict(
                            "the organisation must keep at least one owner".into(),
                        ));
                    }
                    // Sessions and tokens go with the membership (foreign keys cascade; the
                    // explicit deletes keep PostgreSQL and SQLite identical either way).
                    for sql in [
                        "DELETE FROM sessions WHERE org_id = $1 AND user_id = $2",
                        "DELETE FROM api_tokens WHERE org_id = $1 AND user_id = $2",
                        "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2",
                    ] {
                        sqlx::query(sql)
                            .bind(org.to_string())
                            .bind(user.to_string())
                            .execute(&mut *tx)
                            .await?;
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "member.remove",
                        format!("user:{user}"),
                        serde_json::json!({ "email": before.user.email }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn create_session(&self, session: NewSession) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO sessions (id_hash, org_id, user_id, csrf_token, created_at, \
                         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(&session.id_hash)
                    .bind(session.org_id.to_string())
                    .bind(session.user_id.to_string())
                    .bind(&session.csrf_token)
                    .bind(session.created_at)
                    .bind(session.expires_at)
                    .execute(&self.write)
                    .await?;
                    Ok(())
                }

                async fn session(
                    &self,
                    id_hash: &str,
                    now: i64,
                ) -> StoreResult<Option<SessionPrincipal>> {
                    let row = sqlx::query(
                        "SELECT s.user_id, s.org_id, s.csrf_token, s.expires_at, m.role, u.email, \
                         u.name FROM sessions s \
                         JOIN memberships m ON m.org_id = s.org_id AND m.user_id = s.user_id \
                         JOIN users u ON u.id = s.user_id \
                         WHERE s.id_hash = $1 AND s.expires_at > $2",
                    )
                    .bind(id_hash)
                    .bind(now)
                    .fetch_optional(&self.read)
                    .await?;
                    row.map(|row| {
                        Ok(SessionPrincipal {
                            principal: principal_from(&row)?,
                            csrf_token: row.try_get("csrf_token")?,
                            expires_at: row.try_get("expires_at")?,
                        })
                    })
                    .transpose()
                }

                async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
                    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                        .bind(id_hash)
                        .execute(&self.write)
                        .await?;
                    Ok(())
                }

                async fn purge_expired_sessions(&self, now: i64) -> StoreResult<u64> {
                    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                        .bind(now)
                        .execute(&self.write)
                        .await?;
                    Ok(done.rows_affected())
                }

                async fn create_token(&self, token: NewApiToken) -> StoreResult<ApiToken> {
                    let mut tx = self.write.begin().await?;
                    sqlx::query(
                        "INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, created_at, \
                         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(token.id.to_string())
                    .bind(token.org_id.to_string())
                    .bind(token.user_id.to_string())
                    .bind(&token.name)
                    .bind(&token.token_hash)
                    .bind(token.created_at)
                    .bind(token.expires_at)
                    .execute(&mut *tx)
                    .await?;
                    audit(
                        &mut tx,
                        token.org_id,
                        Some(token.user_id),
                        "token.create",
                        format!("token:{}", token.id),
                        serde_json::json!({ "name": token.name }),
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

                async fn list_tokens(&self, org: Uuid, user: Uuid) -> StoreResult<Vec<ApiToken>> {
                    let rows = sqlx::query(
                        "SELECT id, name, created_at, last_used_at, expires_at, revoked_at \
                         FROM api_tokens WHERE org_id = $1 AND user_id = $2 ORDER BY created_at DESC, id",
                    )
                    .bind(org.to_string())
                    .bind(user.to_string())
                    .fetch_all(&self.read)
                    .await?;
                    rows.iter().map(token_from).collect()
                }

                async fn revoke_token(
                    &self,
                    org: Uuid,
                    user: Uuid,
                    token: Uuid,
                    now: i64,
                ) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    let done = sqlx::query(
                        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND org_id = $3 \
                         AND user_id = $4 AND revoked_at IS NULL",
                    )
                    .bind(now)
                    .bind(token.to_string())
                    .bind(org.to_string())
                    .bind(user.to_string())
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        return Err(StoreError::NotFound);
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(user),
                        "token.revoke",
                        format!("token:{token}"),
                        serde_json::json!({}),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn token(
                    &self,
                    token_hash: &str,
                    now: i64,
                ) -> StoreResult<Option<TokenPrincipal>> {
                    let row = sqlx::query(
                        "SELECT t.id, t.user_id, t.org_id, t.last_used_at, t.expires_at, m.role, u.email, u.name \
                         FROM api_tokens t \
                         JOIN memberships m ON m.org_id = t.org_id AND m.user_id = t.user_id \
                         JOIN users u ON u.id = t.user_id \
                         WHERE t.token_hash = $1 AND t.revoked_at IS NULL \
                         AND (t.expires_at IS NULL OR t.expires_at > $2)",
                    )
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(&self.read)
                    .await?;
                    row.map(|row| {
                        Ok(TokenPrincipal {
                            token_id: parse_uuid(&row.try_get::<String, _>("id")?)?,
                            principal: principal_from(&row)?,
                            last_used_at: row.try_get("last_used_at")?,
                            expires_at: row.try_get("expires_at")?,
                        })
                    })
                    .transpose()
                }

                async fn touch_token(&self, token: Uuid, now: i64) -> StoreResult<()> {
                    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                        .bind(now)
                        .bind(token.to_string())
                        .execute(&self.write)
                        .await?;
                    Ok(())
                }

                async fn upsert_builtin_catalogue(&self, catalogue: &Catalogue) -> StoreResult<bool> {
                    let content = to_json(catalogue)?;
                    let sum = checksum(&content);
                    let stored = sqlx::query(
                        "SELECT checksum FROM catalogues WHERE scope = 'builtin' AND id = $1",
                    )
                    .bind(&catalogue.id)
                    .fetch_optional(&self.read)
                    .await?;
                    if let Some(row) = stored
                        && row.try_get::<String, _>("checksum")? == sum
                    {
                        return Ok(false);
                    }
                    let mut tx = self.write.begin().await?;
                    sqlx::query("DELETE FROM catalogue_competencies WHERE scope = 'builtin' AND catalogue_id = $1")
                        .bind(&catalogue.id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM catalogues WHERE scope = 'builtin' AND id = $1")
                        .bind(&catalogue.id)
                        .execute(&mut *tx)
                        .await?;
                    insert_catalogue(&mut tx, "builtin", None, catalogue, &content).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn import_catalogue(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    catalogue: &Catalogue,
                ) -> StoreResult<CatalogueSummary> {
                    let content = to_json(catalogue)?;
                    let mut tx = self.write.begin().await?;
                    let builtin = sqlx::query(
                        "SELECT id FROM catalogues WHERE scope = 'builtin' AND id = $1",
                    )
                    .bind(&catalogue.id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if builtin.is_some() {
                        return Err(StoreError::Conflict(format!(
                            "`{}` is the id of a built-in catalogue; choose another id",
                            catalogue.id
                        )));
                    }
                    insert_catalogue(&mut tx, &org.to_string(), Some(actor), catalogue, &content)
                        .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "catalogue.import",
                        format!("catalogue:{}", catalogue.id),
                        serde_json::json!({ "competencies": catalogue.competencies.len() }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(CatalogueSummary {
                        id: catalogue.id.clone(),
                        name: catalogue.name.clone(),
                        licence: catalogue.licence.clone(),
                        version: catalogue.version.clone(),
                        publisher: catalogue.publisher.clone(),
                        builtin: false,
                        competency_count: catalogue.competencies.len() as i64,
                    })
                }

                async fn list_catalogues(
                    &self,
                    org: Uuid,
                    page: PageRequest,
                ) -> StoreResult<Paged<CatalogueSummary>> {
                    let total: i64 = sqlx::query(
                        "SELECT COUNT(*) AS n FROM catalogues WHERE scope = $1 OR scope = 'builtin'",
                    )
                    .bind(org.to_string())
                    .fetch_one(&self.read)
                    .await?
                    .try_get("n")?;
                    let rows = sqlx::query(
                        "SELECT scope, id, name, licence, version, publisher, competency_count \
                         FROM catalogues WHERE scope = $1 OR scope = 'builtin' \
                         ORDER BY CASE WHEN scope = 'builtin' THEN 0 ELSE 1 END, id \
                         LIMIT $2 OFFSET $3",
                    )
                    .bind(org.to_string())
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(&self.read)
                    .await?;
                    let items = rows
                        .iter()
                        .map(|r| {
                            Ok(CatalogueSummary {
                                id: r.try_get("id")?,
                                name: r.try_get("name")?,
                                licence: r.try_get("licence")?,
                                version: r.try_get("version")?,
                                publisher: r.try_get("publisher")?,
                                builtin: r.try_get::<String, _>("scope")? == "builtin",
                                competency_count: r.try_get("competency_count")?,
                            })
                        })
                        .collect::<StoreResult<_>>()?;
                    Ok(Paged { items, total })
                }

                async fn catalogue(&self, org: Uuid, id: &str) -> StoreResult<Option<Catalogue>> {
                    let row = sqlx::query(
                        "SELECT content FROM catalogues WHERE (scope = $1 OR scope = 'builtin') \
                         AND id = $2 ORDER BY CASE WHEN scope = 'builtin' THEN 1 ELSE 0 END LIMIT 1",
                    )
                    .bind(org.to_string())
                    .bind(id)
                    .fetch_optional(&self.read)
                    .await?;
                    row.map(|r| from_json(&r.try_get::<String, _>("content")?))
                        .transpose()
                }

                async fn delete_catalogue(&self, org: Uuid, actor: Uuid, id: &str) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    sqlx::query("DELETE FROM catalogue_competencies WHERE scope = $1 AND catalogue_id = $2")
                        .bind(org.to_string())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    let done = sqlx::query("DELETE FROM catalogues WHERE scope = $1 AND id = $2")
                        .bind(org.to_string())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() != 1 {
                        return Err(StoreError::NotFound);
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "catalogue.delete",
                        format!("catalogue:{id}"),
                        serde_json::json!({}),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn search_competencies(
                    &self,
                    org: Uuid,
                    query: &CompetencyQuery,
                    page: PageRequest,
                ) -> StoreResult<Paged<CompetencyHit>> {
                    let (clause, params) = competency_search(query);
                    let count_sql = format!("SELECT COUNT(*) AS n FROM catalogue_competencies{clause}");
                    let mut count = sqlx::query(sqlx::AssertSqlSafe(count_sql)).bind(org.to_string());
                    for p in &params {
                        count = match p {
                            Param::Text(t) => count.bind(t.clone()),
                            Param::Int(n) => count.bind(*n),
                        };
                    }
                    let total: i64 = count.fetch_one(&self.read).await?.try_get("n")?;
                    let n = params.len();
                    let list_sql = format!(
                        "SELECT catalogue_id, content FROM catalogue_competencies{clause} \
                         ORDER BY CASE WHEN scope = 'builtin' THEN 0 ELSE 1 END, catalogue_id, \
                         position LIMIT ${} OFFSET ${}",
                        n + 2,
                        n + 3
                    );
                    let mut list = sqlx::query(sqlx::AssertSqlSafe(list_sql)).bind(org.to_string());
                    for p in &params {
                        list = match p {
                            Param::Text(t) => list.bind(t.clone()),
                            Param::Int(n) => list.bind(*n),
                        };
                    }
                    let rows = list
                        .bind(page.limit)
                        .bind(page.offset)
                        .fetch_all(&self.read)
                        .await?;
                    let items = rows
                        .iter()
                        .map(|r| {
                            Ok(CompetencyHit {
                                catalogue: r.try_get("catalogue_id")?,
                                competency: builtin_competency(&r.try_get::<String, _>("content")?)?,
                            })
                        })
                        .collect::<StoreResult<_>>()?;
                    Ok(Paged { items, total })
                }

                async fn competency(
                    &self,
                    org: Uuid,
                    catalogue: &str,
                    id: &str,
                ) -> StoreResult<Option<Competency>> {
                    let row = sqlx::query(
                        "SELECT content FROM catalogue_competencies WHERE \
                         (scope = $1 OR scope = 'builtin') AND catalogue_id = $2 AND competency_id = $3 \
                         ORDER BY CASE WHEN scope = 'builtin' THEN 1 ELSE 0 END LIMIT 1",
                    )
                    .bind(org.to_string())
                    .bind(catalogue)
                    .bind(id)
                    .fetch_optional(&self.read)
                    .await?;
                    row.map(|r| builtin_competency(&r.try_get::<String, _>("content")?))
                        .transpose()
                }

                async fn create_framework(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    framework: &Framework,
                    message: &str,
                ) -> StoreResult<FrameworkRecord> {
                    let cols = FrameworkColumns::of(framework)?;
                    let id = Uuid::now_v7();
                    let now = now_millis();
                    let mut tx = self.write.begin().await?;
                    sqlx::query(
                        "INSERT INTO frameworks (id, org_id, slug, title, status, version, revision, \
                         next_review, next_major_update, created_at, created_by, updated_at, updated_by) \
                         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10, $9, $10)",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(&cols.slug)
                    .bind(&cols.title)
                    .bind(&cols.status)
                    .bind(&cols.version)
                    .bind(&cols.next_review)
                    .bind(&cols.next_major_update)
                    .bind(now)
                    .bind(actor.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| conflict(e, format!("a framework with id `{}` exists", cols.slug)))?;
                    sqlx::query(
                        "INSERT INTO framework_revisions (framework_id, org_id, number, content, \
                         message, author_id, created_at) VALUES ($1, $2, 1, $3, $4, $5, $6)",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(&cols.content)
                    .bind(message)
                    .bind(actor.to_string())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "framework.create",
                        format!("framework:{id}"),
                        serde_json::json!({ "slug": cols.slug, "revision": 1, "message": message }),
                    )
                    .await?;
                    let record = framework_in(&mut tx, org, id).await?.ok_or(StoreError::NotFound)?;
                    tx.commit().await?;
                    Ok(record)
                }

                async fn list_frameworks(
                    &self,
                    org: Uuid,
                    filter: &FrameworkFilter,
                    page: PageRequest,
                ) -> StoreResult<Paged<FrameworkSummary>> {
                    const WHERE: &str = " FROM frameworks WHERE org_id = $1 \
                        AND ($2 IS NULL OR status = $2) \
                        AND ($3 IS NULL OR next_review <= $3 OR next_major_update <= $3)";
                    let total: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT COUNT(*) AS n{WHERE}"
                    )))
                    .bind(org.to_string())
                    .bind(filter.status.clone())
                    .bind(filter.review_due_by.clone())
                    .fetch_one(&self.read)
                    .await?
                    .try_get("n")?;
                    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT {}{WHERE} ORDER BY updated_at DESC, id LIMIT $4 OFFSET $5",
                        fw_cols!()
                    )))
                    .bind(org.to_string())
                    .bind(filter.status.clone())
                    .bind(filter.review_due_by.clone())
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(&self.read)
                    .await?;
                    let items = rows.iter().map(summary_from).collect::<StoreResult<_>>()?;
                    Ok(Paged { items, total })
                }

                async fn framework(&self, org: Uuid, id: Uuid) -> StoreResult<Option<FrameworkRecord>> {
                    let mut conn = self.read.acquire().await?;
                    framework_in(&mut conn, org, id).await
                }

                async fn save_revision(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    expected: Option<i64>,
                    framework: &Framework,
                    message: &str,
                ) -> StoreResult<FrameworkRecord> {
                    let mut tx = self.write.begin().await?;
                    let current = lock_revision(&mut tx, org, id).await?;
                    if expected.is_some_and(|e| e != current) {
                        return Err(StoreError::PreconditionFailed { current });
                    }
                    let next =
                        write_revision(&mut tx, org, actor, id, current, framework, message, None)
                            .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "framework.update",
                        format!("framework:{id}"),
                        serde_json::json!({ "revision": next, "message": message }),
                    )
                    .await?;
                    let record = framework_in(&mut tx, org, id).await?.ok_or(StoreError::NotFound)?;
                    tx.commit().await?;
                    Ok(record)
                }

                async fn delete_framework(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    expected: Option<i64>,
                ) -> StoreResult<()> {
                    let mut tx = self.write.begin().await?;
                    let current = lock_revision(&mut tx, org, id).await?;
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
                        sqlx::query(sql)
                            .bind(id.to_string())
                            .bind(org.to_string())
                            .execute(&mut *tx)
                            .await?;
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "framework.delete",
                        format!("framework:{id}"),
                        serde_json::json!({ "revision": current }),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn list_revisions(
                    &self,
                    org: Uuid,
                    id: Uuid,
                    page: PageRequest,
                ) -> StoreResult<Paged<RevisionSummary>> {
                    let mut conn = self.read.acquire().await?;
                    let total: i64 = sqlx::query(
                        "SELECT COUNT(*) AS n FROM framework_revisions WHERE framework_id = $1 AND org_id = $2",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get("n")?;
                    if total == 0 {
                        return Err(StoreError::NotFound);
                    }
                    let rows = sqlx::query(
                        "SELECT r.number, r.message, r.author_id, r.created_at, \
                         (SELECT MIN(l.version) FROM releases l WHERE l.framework_id = r.framework_id \
                          AND l.revision = r.number) AS release \
                         FROM framework_revisions r WHERE r.framework_id = $1 AND r.org_id = $2 \
                         ORDER BY r.number DESC LIMIT $3 OFFSET $4",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(&mut *conn)
                    .await?;
                    let items = rows.iter().map(revision_from).collect::<StoreResult<_>>()?;
                    Ok(Paged { items, total })
                }

                async fn revision(
                    &self,
                    org: Uuid,
                    id: Uuid,
                    number: i64,
                ) -> StoreResult<Option<Revision>> {
                    let row = sqlx::query(
                        "SELECT r.number, r.message, r.author_id, r.created_at, r.content, \
                         (SELECT MIN(l.version) FROM releases l WHERE l.framework_id = r.framework_id \
                          AND l.revision = r.number) AS release \
                         FROM framework_revisions r WHERE r.framework_id = $1 AND r.org_id = $2 \
                         AND r.number = $3",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(number)
                    .fetch_optional(&self.read)
                    .await?;
                    row.map(|row| {
                        Ok(Revision {
                            summary: revision_from(&row)?,
                            content: row.try_get("content")?,
                        })
                    })
                    .transpose()
                }

                async fn publish(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    id: Uuid,
                    expected: Option<i64>,
                    framework: &Framework,
                    release: &NewRelease,
                ) -> StoreResult<(FrameworkRecord, Release)> {
                    let mut tx = self.write.begin().await?;
                    let current = lock_revision(&mut tx, org, id).await?;
                    if expected.is_some_and(|e| e != current) {
                        return Err(StoreError::PreconditionFailed { current });
                    }
                    let message = format!("Release {}", release.version);
                    let next = write_revision(
                        &mut tx,
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
                    sqlx::query(
                        "INSERT INTO releases (framework_id, org_id, version, revision, notes, \
                         published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(&release.version)
                    .bind(next)
                    .bind(&release.notes)
                    .bind(now)
                    .bind(actor.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| conflict(e, format!("release {} exists", release.version)))?;
                    for r in &release.replacements {
                        sqlx::query(
                            "INSERT INTO replacements (framework_id, org_id, version, from_id, \
                             from_name, to_id) VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(id.to_string())
                        .bind(org.to_string())
                        .bind(&release.version)
                        .bind(&r.from)
                        .bind(&r.from_name)
                        .bind(&r.to)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| conflict(e, format!("replacement {} → {} is listed twice", r.from, r.to)))?;
                    }
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "framework.publish",
                        format!("framework:{id}"),
                        serde_json::json!({
                            "version": release.version,
                            "revision": next,
                            "replacements": release.replacements.len(),
                        }),
                    )
                    .await?;
                    let record = framework_in(&mut tx, org, id).await?.ok_or(StoreError::NotFound)?;
                    let replacements = replacements_of(&mut tx, org, id, &release.version).await?;
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

                async fn list_releases(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<Release>> {
                    let mut conn = self.read.acquire().await?;
                    current_revision(&mut conn, org, id).await?;
                    let rows = sqlx::query(
                        "SELECT version, revision, notes, published_at, published_by FROM releases \
                         WHERE framework_id = $1 AND org_id = $2 ORDER BY published_at DESC, revision DESC",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .fetch_all(&mut *conn)
                    .await?;
                    let mut out = Vec::with_capacity(rows.len());
                    for r in &rows {
                        let version: String = r.try_get("version")?;
                        let replacements = replacements_of(&mut conn, org, id, &version).await?;
                        out.push(Release {
                            version,
                            revision: r.try_get("revision")?,
                            notes: r.try_get("notes")?,
                            published_at: r.try_get("published_at")?,
                            published_by: parse_opt_uuid(r.try_get("published_by")?)?,
                            replacements,
                        });
                    }
                    Ok(out)
                }

                async fn add_comment(
                    &self,
                    org: Uuid,
                    actor: Uuid,
                    framework: Uuid,
                    comment: &NewComment,
                ) -> StoreResult<Comment> {
                    let mut tx = self.write.begin().await?;
                    let current = current_revision(&mut tx, org, framework).await?;
                    if let Some(r) = comment.revision
                        && (r < 1 || r > current)
                    {
                        return Err(StoreError::Conflict(format!(
                            "revision {r} does not exist (the framework is at revision {current})"
                        )));
                    }
                    let id = Uuid::now_v7();
                    let now = now_millis();
                    sqlx::query(
                        "INSERT INTO comments (id, org_id, framework_id, revision, author_id, kind, \
                         body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id.to_string())
                    .bind(org.to_string())
                    .bind(framework.to_string())
                    .bind(comment.revision)
                    .bind(actor.to_string())
                    .bind(&comment.kind)
                    .bind(&comment.body)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    audit(
                        &mut tx,
                        org,
                        Some(actor),
                        "framework.comment",
                        format!("framework:{framework}"),
                        serde_json::json!({ "kind": comment.kind, "revision": comment.revision }),
                    )
                    .await?;
                    let author = member_in(&mut tx, org, actor).await?;
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

                async fn list_comments(
                    &self,
                    org: Uuid,
                    framework: Uuid,
                    page: PageRequest,
                ) -> StoreResult<Paged<Comment>> {
                    let mut conn = self.read.acquire().await?;
                    current_revision(&mut conn, org, framework).await?;
                    let total: i64 = sqlx::query(
                        "SELECT COUNT(*) AS n FROM comments WHERE framework_id = $1 AND org_id = $2",
                    )
                    .bind(framework.to_string())
                    .bind(org.to_string())
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get("n")?;
                    let rows = sqlx::query(
                        "SELECT c.id, c.kind, c.body, c.revision, c.author_id, c.created_at, \
                         COALESCE(u.name, '') AS author_name FROM comments c \
                         LEFT JOIN users u ON u.id = c.author_id \
                         WHERE c.framework_id = $1 AND c.org_id = $2 \
                         ORDER BY c.created_at, c.id LIMIT $3 OFFSET $4",
                    )
                    .bind(framework.to_string())
                    .bind(org.to_string())
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(&mut *conn)
                    .await?;
                    let items = rows.iter().map(comment_from).collect::<StoreResult<_>>()?;
                    Ok(Paged { items, total })
                }

                async fn list_audit(
                    &self,
                    org: Uuid,
                    page: PageRequest,
                ) -> StoreResult<Paged<AuditEntry>> {
                    let total: i64 =
                        sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE org_id = $1")
                            .bind(org.to_string())
                            .fetch_one(&self.read)
                            .await?
                            .try_get("n")?;
                    let rows = sqlx::query(
                        "SELECT id, actor_id, action, target, detail, created_at FROM audit_log \
                         WHERE org_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
                    )
                    .bind(org.to_string())
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(&self.read)
                    .await?;
                    let items = rows
                        .iter()
                        .map(|r| {
                            Ok(AuditEntry {
                                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                                actor: parse_opt_uuid(r.try_get("actor_id")?)?,
                                action: r.try_get("action")?,
                                target: r.try_get("target")?,
                                detail: r.try_get("detail")?,
                                created_at: r.try_get("created_at")?,
                            })
                        })
                        .collect::<StoreResult<_>>()?;
                    Ok(Paged { items, total })
                }
            }
        }
    };
}

pub(crate) use sql_store;
