//! Fresh, empty stores for tests, on every backend available: SQLite always (a file in a
//! temporary directory, so the WAL and the separate read and write pools are exercised), and
//! PostgreSQL when `TEST_DATABASE_URL` is set — each store in a schema of its own, dropped by
//! [`TestStore::cleanup`], so test runs never collide.

use std::str::FromStr;
use std::sync::Arc;

use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::{SharedStore, StoreError, StoreResult};

/// A store made for one test.
#[derive(Debug)]
pub struct TestStore {
    /// `sqlite` or `postgres`.
    pub label: &'static str,
    /// The store.
    pub store: SharedStore,
    /// What to remove afterwards.
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    /// Held for its `Drop`, which removes the directory.
    Directory(#[allow(dead_code)] tempfile::TempDir),
    Schema {
        url: String,
        schema: String,
    },
}

impl TestStore {
    /// Removes the test's data (drops the PostgreSQL schema; the SQLite directory goes when
    /// the value is dropped).
    pub async fn cleanup(self) {
        if let Cleanup::Schema { url, schema } = &self.cleanup
            && let Ok(pool) = PgPoolOptions::new().max_connections(1).connect(url).await
        {
            let _ = pool
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE"
                )))
                .await;
            pool.close().await;
        }
    }
}

/// A fresh SQLite store in a temporary directory.
pub async fn sqlite() -> StoreResult<TestStore> {
    let dir = tempfile::Builder::new()
        .prefix("framewright-test-")
        .tempdir()
        .map_err(|e| StoreError::Database(sqlx::Error::Configuration(e.to_string().into())))?;
    let store = crate::sqlite::SqliteStore::open_dir(dir.path()).await?;
    Ok(TestStore {
        label: "sqlite",
        store: Arc::new(store),
        cleanup: Cleanup::Directory(dir),
    })
}

/// A fresh PostgreSQL store in a new schema of the database at `TEST_DATABASE_URL`, or `None`
/// when the variable is not set.
pub async fn postgres() -> StoreResult<Option<TestStore>> {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        return Ok(None);
    };
    if url.trim().is_empty() {
        return Ok(None);
    }
    let schema = format!("fw_test_{}", uuid::Uuid::now_v7().simple());
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await?;
    admin.close().await;
    let options = PgConnectOptions::from_str(&url)?.options([("search_path", schema.as_str())]);
    let store = crate::postgres::PgStore::connect_with(options).await?;
    Ok(Some(TestStore {
        label: "postgres",
        store: Arc::new(store),
        cleanup: Cleanup::Schema { url, schema },
    }))
}

/// SQLite, and PostgreSQL when `TEST_DATABASE_URL` is set.
pub async fn all() -> StoreResult<Vec<TestStore>> {
    let mut out = vec![sqlite().await?];
    out.extend(postgres().await?);
    Ok(out)
}
