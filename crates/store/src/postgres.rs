//! The PostgreSQL store, for teams: `framewright serve --database-url postgres://…`.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::StoreResult;

/// The store on PostgreSQL.
#[derive(Debug, Clone)]
pub struct PgStore {
    pub(crate) read: PgPool,
    pub(crate) write: PgPool,
}

impl PgStore {
    /// Connects to `url` and applies missing migrations.
    pub async fn connect(url: &str) -> StoreResult<PgStore> {
        PgStore::connect_with(PgConnectOptions::from_str(url)?).await
    }

    /// Connects with `options` (for example with a `search_path` of a test schema) and applies
    /// missing migrations.
    pub async fn connect_with(options: PgConnectOptions) -> StoreResult<PgStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await?;
        let store = PgStore {
            read: pool.clone(),
            write: pool,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Closes the connections.
    pub async fn close(&self) {
        self.write.close().await;
    }
}

crate::sql::sql_store!(
    PgStore,
    sqlx::Postgres,
    "postgres",
    crate::migrate::POSTGRES,
    Some("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"),
    Some((
        "SELECT pg_advisory_lock(7263540117)",
        "SELECT pg_advisory_unlock(7263540117)"
    ))
);
