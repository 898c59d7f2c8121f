//! Schema migrations, one list per backend, compiled into the binary, and the runner that
//! applies the ones a database lacks, each in its own transaction. It refuses to start when a
//! migration applied earlier has been edited since (its checksum differs).

use crate::backend::{Backend, SqlStore};
use crate::convert::now_millis;
use crate::db::{Cols, Conn, query};
use crate::{StoreError, StoreResult};

/// One schema change.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    /// Order and identity (1, 2, …).
    pub version: i64,
    /// What it does.
    pub description: &'static str,
    /// The SQL, possibly several statements.
    pub sql: &'static str,
}

/// Migrations for SQLite.
pub(crate) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        description: "initial schema",
        sql: include_str!("../migrations/sqlite/0001_initial.sql"),
    },
    Migration {
        version: 2,
        description: "job analysis",
        sql: include_str!("../migrations/sqlite/0002_job_analysis.sql"),
    },
];

/// Migrations for PostgreSQL.
pub(crate) const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        description: "initial schema",
        sql: include_str!("../migrations/postgres/0001_initial.sql"),
    },
    Migration {
        version: 2,
        description: "job analysis",
        sql: include_str!("../migrations/postgres/0002_job_analysis.sql"),
    },
];

/// FNV-1a (64-bit) of the text, hex: enough to notice an edited migration.
pub(crate) fn checksum(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Applies the migrations the database lacks, under the backend's migration lock (when it
/// has one), so that two servers starting at once do not both apply them.
pub(crate) async fn migrate<DB: Backend>(store: &SqlStore<DB>) -> StoreResult<()> {
    let mut conn = store.write.acquire().await?;
    if let Some((take, _)) = DB::MIGRATE_LOCK {
        conn.execute_raw(take).await?;
    }
    let result = apply_migrations::<DB>(&mut conn, DB::MIGRATIONS).await;
    if let Some((_, release)) = DB::MIGRATE_LOCK {
        conn.execute_raw(release).await?;
    }
    result
}

async fn apply_migrations<DB: Backend>(
    conn: &mut DB::Connection,
    migrations: &[Migration],
) -> StoreResult<()> {
    conn.execute_raw(
        "CREATE TABLE IF NOT EXISTS framewright_migrations (\
         version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
         checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .await?;
    for migration in migrations {
        let applied = query("SELECT checksum FROM framewright_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(&mut *conn)
            .await?;
        let sum = checksum(migration.sql);
        if let Some(row) = applied {
            if row.get::<String>("checksum")? != sum {
                return Err(StoreError::MigrationChanged {
                    version: migration.version,
                    description: migration.description.to_string(),
                });
            }
            continue;
        }
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        tx.execute_raw(migration.sql).await?;
        query(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations_in_order() {
        assert_eq!(SQLITE.len(), POSTGRES.len());
        for (i, (a, b)) in SQLITE.iter().zip(POSTGRES).enumerate() {
            assert_eq!(a.version, i as i64 + 1);
            assert_eq!(a.version, b.version);
            assert_eq!(a.description, b.description);
        }
    }

    #[test]
    fn checksums_differ_when_text_differs() {
        assert_ne!(checksum("a"), checksum("b"));
        assert_eq!(checksum("abc"), checksum("abc"));
        assert_eq!(checksum(""), "cbf29ce484222325");
    }
}
