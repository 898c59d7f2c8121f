//! Accounts: users, organisations, memberships (with the rule that an organisation keeps an
//! owner) and browser sessions. Every change is audited in the same transaction.
//!
//! Each `pub(crate)` function taking a `store` is the [`Store`](crate::Store) method of the same
//! name (documented there), for either backend.

use uuid::Uuid;

use crate::audit::{audit, commit_audited};
use crate::backend::{Backend, SqlStore};
use crate::convert::{conflict, now_millis, parse_role, parse_uuid};
use crate::db::{Cols, Conn, page_of, query};
use crate::*;

/// A user from a row whose user columns carry `prefix`.
fn user_from(row: &impl Cols, prefix: &str) -> StoreResult<User> {
    let col = |name: &str| format!("{prefix}{name}");
    Ok(User {
        id: parse_uuid(&row.get::<String>(col("id").as_str())?)?,
        email: row.get(col("email").as_str())?,
        name: row.get(col("name").as_str())?,
        created_at: row.get(col("created_at").as_str())?,
    })
}

/// An organisation from a row with `org_id`, `org_slug`, `org_name`, `org_created_at`.
fn org_from(row: &impl Cols) -> StoreResult<Organisation> {
    Ok(Organisation {
        id: parse_uuid(&row.get::<String>("org_id")?)?,
        slug: row.get("org_slug")?,
        name: row.get("org_name")?,
        created_at: row.get("org_created_at")?,
    })
}

/// Who a session or token acts for, from the joined user and membership columns.
pub(crate) fn principal_from(row: &impl Cols) -> StoreResult<Principal> {
    Ok(Principal {
        user_id: parse_uuid(&row.get::<String>("user_id")?)?,
        email: row.get("email")?,
        name: row.get("name")?,
        org_id: parse_uuid(&row.get::<String>("org_id")?)?,
        role: parse_role(&row.get::<String>("role")?)?,
    })
}

/// A member from a row with `u_`-prefixed user columns, `role` and `since`.
fn member_from(row: &impl Cols) -> StoreResult<Member> {
    Ok(Member {
        user: user_from(row, "u_")?,
        role: parse_role(&row.get::<String>("role")?)?,
        since: row.get("since")?,
    })
}
/// The member `user` of `org` (`NotFound` when not a member).
pub(crate) async fn member_in(conn: &mut impl Conn, org: Uuid, user: Uuid) -> StoreResult<Member> {
    let row = query(
        "SELECT u.id AS u_id, u.email AS u_email, u.name AS u_name, \
         u.created_at AS u_created_at, m.role, m.created_at AS since \
         FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.org_id = $1 AND m.user_id = $2",
    )
    .bind(org)
    .bind(user)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    member_from(&row)
}

/// How many owners `org` has.
async fn owner_count(conn: &mut impl Conn, org: Uuid) -> StoreResult<i64> {
    Ok(
        query("SELECT COUNT(*) AS n FROM memberships WHERE org_id = $1 AND role = 'owner'")
            .bind(org)
            .fetch_one(&mut *conn)
            .await?
            .get("n")?,
    )
}

/// Finds or creates the organisation with this slug.
async fn ensure_org(conn: &mut impl Conn, slug: &str, name: &str) -> StoreResult<Organisation> {
    let found = query(
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
    query("INSERT INTO organisations (id, slug, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(org.id)
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
    conn: &mut impl Conn,
    email: &str,
    name: &str,
    password_hash: Option<&str>,
) -> StoreResult<User> {
    let email = email.trim().to_lowercase();
    let found = query("SELECT id, email, name, created_at FROM users WHERE email = $1")
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
    query(
        "INSERT INTO users (id, email, name, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user.id)
    .bind(&user.email)
    .bind(&user.name)
    .bind(hash)
    .bind(user.created_at)
    .execute(&mut *conn)
    .await
    .map_err(|e| conflict(e, format!("an account for {} exists", user.email)))?;
    Ok(user)
}

/// Makes `user` a member of `org` (`Conflict` when already one).
async fn insert_membership(
    conn: &mut impl Conn,
    org: Uuid,
    user: Uuid,
    role: Role,
) -> StoreResult<()> {
    query(
        "INSERT INTO memberships (org_id, user_id, role, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(org)
    .bind(user)
    .bind(role.as_str())
    .bind(now_millis())
    .execute(&mut *conn)
    .await
    .map_err(|e| conflict(e, "already a member of this organisation"))?;
    Ok(())
}

pub(crate) async fn count_users<DB: Backend>(store: &SqlStore<DB>) -> StoreResult<i64> {
    Ok(query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(&store.read)
        .await?
        .get("n")?)
}

pub(crate) async fn setup_first_owner<DB: Backend>(
    store: &SqlStore<DB>,
    setup: NewAccount,
) -> StoreResult<(Organisation, User)> {
    let mut tx = store.write.begin().await?;
    if let Some(lock) = DB::SETUP_LOCK {
        tx.execute_raw(lock).await?;
    }
    let n: i64 = query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(&mut *tx)
        .await?
        .get("n")?;
    if n > 0 {
        return Err(StoreError::AlreadySetUp);
    }
    let org = ensure_org(&mut *tx, &setup.org_slug, &setup.org_name).await?;
    let user = ensure_user(
        &mut *tx,
        &setup.email,
        &setup.name,
        Some(&setup.password_hash),
    )
    .await?;
    insert_membership(&mut *tx, org.id, user.id, Role::Owner).await?;
    audit(
        &mut *tx,
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

pub(crate) async fn admin_create_user<DB: Backend>(
    store: &SqlStore<DB>,
    account: NewAccount,
    role: Role,
) -> StoreResult<(Organisation, User)> {
    let mut tx = store.write.begin().await?;
    let org = ensure_org(&mut *tx, &account.org_slug, &account.org_name).await?;
    let user = ensure_user(
        &mut *tx,
        &account.email,
        &account.name,
        Some(&account.password_hash),
    )
    .await?;
    insert_membership(&mut *tx, org.id, user.id, role).await?;
    let target = format!("user:{}", user.id);
    let detail = serde_json::json!({ "email": user.email, "role": role.as_str(), "via": "admin" });
    audit(&mut *tx, org.id, None, "member.add", target, detail).await?;
    tx.commit().await?;
    Ok((org, user))
}

pub(crate) async fn find_credentials<DB: Backend>(
    store: &SqlStore<DB>,
    email: &str,
) -> StoreResult<Option<Credentials>> {
    let row =
        query("SELECT id, email, name, created_at, password_hash FROM users WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&store.read)
            .await?;
    row.map(|row| {
        Ok(Credentials {
            user: user_from(&row, "")?,
            password_hash: row.get("password_hash")?,
        })
    })
    .transpose()
}

pub(crate) async fn memberships<DB: Backend>(
    store: &SqlStore<DB>,
    user: Uuid,
) -> StoreResult<Vec<Membership>> {
    query(
        "SELECT o.id AS org_id, o.slug AS org_slug, o.name AS org_name, \
         o.created_at AS org_created_at, m.role FROM memberships m \
         JOIN organisations o ON o.id = m.org_id WHERE m.user_id = $1 \
         ORDER BY m.created_at, o.slug",
    )
    .bind(user)
    .fetch_each(&store.read, |row| {
        Ok(Membership {
            organisation: org_from(row)?,
            role: parse_role(&row.get::<String>("role")?)?,
        })
    })
    .await
}

pub(crate) async fn organisation<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
) -> StoreResult<Option<Organisation>> {
    let row = query(
        "SELECT id AS org_id, slug AS org_slug, name AS org_name, \
         created_at AS org_created_at FROM organisations WHERE id = $1",
    )
    .bind(org)
    .fetch_optional(&store.read)
    .await?;
    row.as_ref().map(org_from).transpose()
}

pub(crate) async fn list_members<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    page: PageRequest,
) -> StoreResult<Paged<Member>> {
    page_of(
        &mut *store.read.acquire().await?,
        query("SELECT COUNT(*) AS n FROM memberships WHERE org_id = $1"),
        query(
            "SELECT u.id AS u_id, u.email AS u_email, u.name AS u_name, \
             u.created_at AS u_created_at, m.role, m.created_at AS since \
             FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.org_id = $1 ORDER BY u.email LIMIT $2 OFFSET $3",
        ),
        &[org.into()],
        page,
        member_from,
    )
    .await
}

pub(crate) async fn add_member<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    member: NewMember,
) -> StoreResult<Member> {
    let mut tx = store.write.begin().await?;
    let user = ensure_user(
        &mut *tx,
        &member.email,
        &member.name,
        member.password_hash.as_deref(),
    )
    .await?;
    insert_membership(&mut *tx, org, user.id, member.role).await?;
    let target = format!("user:{}", user.id);
    let detail = serde_json::json!({ "email": user.email, "role": member.role.as_str() });
    audit(&mut *tx, org, Some(actor), "member.add", target, detail).await?;
    let added = member_in(&mut *tx, org, user.id).await?;
    tx.commit().await?;
    Ok(added)
}

pub(crate) async fn set_member_role<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    user: Uuid,
    role: Role,
) -> StoreResult<Member> {
    let mut tx = store.write.begin().await?;
    let before = member_in(&mut *tx, org, user).await?;
    if before.role == Role::Owner && role != Role::Owner && owner_count(&mut *tx, org).await? <= 1 {
        return Err(StoreError::Conflict(
            "the organisation must keep at least one owner".into(),
        ));
    }
    query("UPDATE memberships SET role = $1 WHERE org_id = $2 AND user_id = $3")
        .bind(role.as_str())
        .bind(org)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let target = format!("user:{user}");
    let detail = serde_json::json!({ "from": before.role.as_str(), "to": role.as_str() });
    audit(&mut *tx, org, Some(actor), "member.role", target, detail).await?;
    let after = member_in(&mut *tx, org, user).await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn remove_member<DB: Backend>(
    store: &SqlStore<DB>,
    org: Uuid,
    actor: Uuid,
    user: Uuid,
) -> StoreResult<()> {
    let mut tx = store.write.begin().await?;
    let before = member_in(&mut *tx, org, user).await?;
    if before.role == Role::Owner && owner_count(&mut *tx, org).await? <= 1 {
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
        query(sql).bind(org).bind(user).execute(&mut *tx).await?;
    }
    let target = format!("user:{user}");
    let detail = serde_json::json!({ "email": before.user.email });
    commit_audited(tx, org, Some(actor), "member.remove", target, detail).await
}

pub(crate) async fn create_session<DB: Backend>(
    store: &SqlStore<DB>,
    session: NewSession,
) -> StoreResult<()> {
    query(
        "INSERT INTO sessions (id_hash, org_id, user_id, csrf_token, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&session.id_hash)
    .bind(session.org_id)
    .bind(session.user_id)
    .bind(&session.csrf_token)
    .bind(session.created_at)
    .bind(session.expires_at)
    .execute(&store.write)
    .await?;
    Ok(())
}

pub(crate) async fn session<DB: Backend>(
    store: &SqlStore<DB>,
    id_hash: &str,
    now: i64,
) -> StoreResult<Option<SessionPrincipal>> {
    query(
        "SELECT s.user_id, s.org_id, s.csrf_token, s.expires_at, m.role, u.email, \
         u.name FROM sessions s \
         JOIN memberships m ON m.org_id = s.org_id AND m.user_id = s.user_id \
         JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_maybe(&store.read, |row| {
        Ok(SessionPrincipal {
            principal: principal_from(&row)?,
            csrf_token: row.get("csrf_token")?,
            expires_at: row.get("expires_at")?,
        })
    })
    .await
}

pub(crate) async fn delete_session<DB: Backend>(
    store: &SqlStore<DB>,
    id_hash: &str,
) -> StoreResult<()> {
    query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&store.write)
        .await?;
    Ok(())
}

pub(crate) async fn purge_expired_sessions<DB: Backend>(
    store: &SqlStore<DB>,
    now: i64,
) -> StoreResult<u64> {
    let done = query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&store.write)
        .await?;
    Ok(done)
}
