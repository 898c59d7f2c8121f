//! The PostgreSQL store, for teams: `framewright serve --database-url postgres://…`.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::StoreResult;
use crate::backend::{Backend, SqlStore};

/// The store on PostgreSQL.
pub type PgStore = SqlStore<sqlx::Postgres>;

impl Backend for sqlx::Postgres {
    const LABEL: &'static str = "postgres";
    const MIGRATIONS: &'static [crate::migrate::Migration] = crate::migrate::POSTGRES;
    const SETUP_LOCK: Option<&'static str> = Some("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE");
    const MIGRATE_LOCK: Option<(&'static str, &'static str)> = Some((
        "SELECT pg_advisory_lock(7263540117)",
        "SELECT pg_advisory_unlock(7263540117)",
    ));
}

crate::db::conn_impl!(sqlx::Postgres, sqlx::PgConnection, sqlx::postgres::PgRow);

impl SqlStore<sqlx::Postgres> {
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
        crate::migrate::migrate(&store).await?;
        Ok(store)
    }

    /// Closes the connections.
    pub async fn close(&self) {
        self.write.close().await;
    }
}
