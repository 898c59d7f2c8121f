//! Catalogues: the built-in ones (refreshed when their content changes) and each
//! organisation's own, stored whole and as one searchable row per competency; the competency
//! search builds its WHERE clause from placeholders only.
//!
//! Each `pub(crate)` function taking a `store` is the [`Store`](crate::Store) method of the same
//! name (documented there), for either backend.

use framewright_model::{Catalogue, Competency};
use uuid::Uuid;

use crate::audit::{audit, commit_audited};
use crate::backend::{Backend, SqlStore};
use crate::convert::{conflict, found_one, from_json, now_millis, to_json};
use crate::db::{Arg, Cols, Conn, assembled, page_of, query};
use crate::migrate::checksum;
use crate::*;

/// The searchable columns of one catalogue competency.
struct CompetencyColumns {
    id: String,
    position: i64,
    name: String,
    kind: String,
    search_text: String,
    grades: String,
    rank_current: Option<i64>,
    content: String,
}

/// The searchable columns of each competency of the catalogue.
fn competency_columns(catalogue: &Catalogue) -> StoreResult<Vec<CompetencyColumns>> {
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
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// WHERE clause and parameters (from `$2` on; `$1` is the organisation) of a competency
/// search. Only placeholders are written into the SQL, never the caller's text.
fn competency_search(query: &CompetencyQuery) -> (String, Vec<Arg>) {
    let mut sql = String::from(" WHERE (scope = $1 OR scope = 'builtin')");
    let mut params = Vec::new();
    let mut next = |sql: &mut String, clause: &str, value: Arg| {
        params.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", params.len() + 1)));
    };
    if let Some(catalogue) = &query.catalogue {
        next(
            &mut sql,
            " AND catalogue_id = ?",
            Arg::Text(catalogue.clone()),
        );
    }
    if let Some(kind) = &query.kind {
        next(&mut sql, " AND kind = ?", Arg::Text(kind.clone()));
    }
    if let Some(grade) = &query.grade {
        next(
            &mut sql,
            " AND grades LIKE ?",
            Arg::Text(format!("% {}:X %", like_escape(grade))),
        );
    }
    if let Some(rank) = query.max_rank {
        next(&mut sql, " AND rank_current <= ?", Arg::Int(rank));
    }
    if let Some(text) = &query.text {
        for word in text.split_whitespace().take(8) {
            next(
                &mut sql,
                " AND search_text LIKE ? ESCAPE '\\'",
                Arg::Text(format!("%{}%", like_escape(&word.to_lowercase()))),
            );
        }
    }
    (sql, params)
}

/// A competency from its stored JSON.
fn builtin_competency(content: &str) -> StoreResult<Competency> {
    from_json(content)
}

/// One searchable row per competency of the catalogue.
async fn insert_competencies(
    conn: &mut impl Conn,
    scope: &str,
    catalogue: &Catalogue,
) -> StoreResult<()> {
    for c in competency_columns(catalogue)? {
        query(
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

/// Stores a catalogue whole and its competencies, in scope `scope`.
async fn insert_catalogue(
    conn: &mut impl Conn,
    scope: &str,
    actor: Option<Uuid>,
    catalogue: &Catalogue,
    content: &str,
) -> StoreResult<()> {
    query(
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
    .bind(actor)
    .execute(&mut *conn)
    .await
    .map_err(|e| conflict(e, format!("catalogue `{}` exists", catalogue.id)))?;
    insert_competencies(conn, scope, catalogue).await
}

pub(crate) async fn upsert_builtin_catalogue<DB: Backend>(
    store: &SqlStore<DB>,
    catalogue: &Catalogue,
) -> StoreResult<bool> {
    let content = to_json(catalogue)?;
    let sum = checksum(&content);
    let stored = query("SELECT checksum FROM catalogues WHERE scope = 'builtin' AND id = $1")
        .bind(&catalogue.id)
        .fetch_optional(&store.read)
        .await?;
    if let Some(row) = stored
        && row.get::<String>("checksum")? == sum
    {
        return Ok(false);
    }
    let mut tx = store.write.begin().await?;
    query("DELETE FROM catalogue_competencies WHERE scope = 'builtin' AND catalogue_id = $1")
        .bind(&catalogue.id)
        .execute(&mut *tx)
        .await?;
    query("DELETE FROM catalogues WHERE scope = 'builtin' AND id = $1")
        .bind(&catalogue.id)
        .execute(&mut *tx)
        .await?;
    insert_catalogue(&mut *tx, "builtin", None, catalogue, &content).await?;
    tx.commit().await?;
    Ok(true)
}

pub(crate) async fn import_catalogue<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    catalogue: &Catalogue,
) -> StoreResult<CatalogueSummary> {
    let content = to_json(catalogue)?;
    let mut tx = store.write.begin().await?;
    let builtin = query("SELECT id FROM catalogues WHERE scope = 'builtin' AND id = $1")
        .bind(&catalogue.id)
        .fetch_optional(&mut *tx)
        .await?;
    if builtin.is_some() {
        return Err(StoreError::Conflict(format!(
            "`{}` is the id of a built-in catalogue; choose another id",
            catalogue.id
        )));
    }
    insert_catalogue(&mut *tx, &org.to_string(), Some(actor), catalogue, &content).await?;
    let target = format!("catalogue:{}", catalogue.id);
    let detail = serde_json::json!({ "competencies": catalogue.competencies.len() });
    audit(
        &mut *tx,
        org,
        Some(actor),
        "catalogue.import",
        target,
        detail,
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

pub(crate) async fn list_catalogues<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    page: PageRequest,
) -> StoreResult<Paged<CatalogueSummary>> {
    page_of(
        &mut *store.read.acquire().await?,
        query("SELECT COUNT(*) AS n FROM catalogues WHERE scope = $1 OR scope = 'builtin'"),
        query(
            "SELECT scope, id, name, licence, version, publisher, competency_count \
             FROM catalogues WHERE scope = $1 OR scope = 'builtin' \
             ORDER BY CASE WHEN scope = 'builtin' THEN 0 ELSE 1 END, id \
             LIMIT $2 OFFSET $3",
        ),
        &[org.into()],
        page,
        |r| {
            Ok(CatalogueSummary {
                id: r.get("id")?,
                name: r.get("name")?,
                licence: r.get("licence")?,
                version: r.get("version")?,
                publisher: r.get("publisher")?,
                builtin: r.get::<String>("scope")? == "builtin",
                competency_count: r.get("competency_count")?,
            })
        },
    )
    .await
}

pub(crate) async fn catalogue<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    id: &str,
) -> StoreResult<Option<Catalogue>> {
    query(
        "SELECT content FROM catalogues WHERE (scope = $1 OR scope = 'builtin') \
         AND id = $2 ORDER BY CASE WHEN scope = 'builtin' THEN 1 ELSE 0 END LIMIT 1",
    )
    .bind(org)
    .bind(id)
    .fetch_maybe(&store.read, |r| from_json(&r.get::<String>("content")?))
    .await
}

pub(crate) async fn delete_catalogue<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    id: &str,
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    query("DELETE FROM catalogue_competencies WHERE scope = $1 AND catalogue_id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = query("DELETE FROM catalogues WHERE scope = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    found_one(done)?;
    let target = format!("catalogue:{id}");
    let detail = serde_json::json!({});
    commit_audited(tx, org, Some(actor), "catalogue.delete", target, detail).await
}

pub(crate) async fn search_competencies<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    query: &CompetencyQuery,
    page: PageRequest,
) -> StoreResult<Paged<CompetencyHit>> {
    let (clause, params) = competency_search(query);
    let mut args = vec![Arg::from(org)];
    args.extend(params);
    let n = args.len();
    page_of(
        &mut *store.read.acquire().await?,
        assembled(format!(
            "SELECT COUNT(*) AS n FROM catalogue_competencies{clause}"
        )),
        assembled(format!(
            "SELECT catalogue_id, content FROM catalogue_competencies{clause} \
             ORDER BY CASE WHEN scope = 'builtin' THEN 0 ELSE 1 END, catalogue_id, \
             position LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        )),
        &args,
        page,
        |r| {
            Ok(CompetencyHit {
                catalogue: r.get("catalogue_id")?,
                competency: builtin_competency(&r.get::<String>("content")?)?,
            })
        },
    )
    .await
}

pub(crate) async fn competency<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    catalogue: &str,
    id: &str,
) -> StoreResult<Option<Competency>> {
    query(
        "SELECT content FROM catalogue_competencies WHERE \
         (scope = $1 OR scope = 'builtin') AND catalogue_id = $2 AND competency_id = $3 \
         ORDER BY CASE WHEN scope = 'builtin' THEN 1 ELSE 0 END LIMIT 1",
    )
    .bind(org)
    .bind(catalogue)
    .bind(id)
    .fetch_maybe(&store.read, |r| {
        builtin_competency(&r.get::<String>("content")?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_clause_holds_placeholders_only_numbered_after_the_organisation() {
        let query = CompetencyQuery {
            text: Some("Data  50%_off".into()),
            catalogue: Some("opm".into()),
            kind: None,
            grade: Some("GS-13".into()),
            max_rank: Some(5),
        };
        let (sql, args) = competency_search(&query);
        assert_eq!(
            sql,
            " WHERE (scope = $1 OR scope = 'builtin') AND catalogue_id = $2 \
             AND grades LIKE $3 AND rank_current <= $4 \
             AND search_text LIKE $5 ESCAPE '\\' AND search_text LIKE $6 ESCAPE '\\'"
        );
        assert_eq!(
            args,
            vec![
                Arg::Text("opm".into()),
                Arg::Text("% GS-13:X %".into()),
                Arg::Int(5),
                Arg::Text("%data%".into()),
                Arg::Text("%50\\%\\_off%".into()),
            ]
        );
    }

    #[test]
    fn an_empty_search_limits_to_the_organisation_and_the_builtins() {
        let (sql, args) = competency_search(&CompetencyQuery::default());
        assert_eq!(sql, " WHERE (scope = $1 OR scope = 'builtin')");
        assert!(args.is_empty());
    }
}
