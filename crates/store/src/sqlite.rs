//! The SQLite store: one file `framewright.db` in the data directory, WAL journal, foreign
//! keys on; created and migrated on first start.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::StoreResult;
use crate::backend::{Backend, SqlStore};

/// The database file's name inside the data directory.
pub const FILE_NAME: &str = "framewright.db";

/// The store on SQLite.
pub type SqliteStore = SqlStore<sqlx::Sqlite>;

impl Backend for sqlx::Sqlite {
    const LABEL: &'static str = "sqlite";
    const MIGRATIONS: &'static [crate::migrate::Migration] = crate::migrate::SQLITE;
    // One writer connection: the first-owner check and migrations cannot interleave.
    const SETUP_LOCK: Option<&'static str> = None;
    const MIGRATE_LOCK: Option<(&'static str, &'static str)> = None;
}

crate::db::conn_impl!(
    sqlx::Sqlite,
    sqlx::SqliteConnection,
    sqlx::sqlite::SqliteRow
);

impl SqlStore<sqlx::Sqlite> {
    /// Opens (creating the directory, the file and the schema when missing) the database in
    /// `dir`.
    pub async fn open_dir(dir: &Path) -> StoreResult<SqliteStore> {
        std::fs::create_dir_all(dir).map_err(|e| {
            crate::StoreError::Database(sqlx::Error::Configuration(
                format!("cannot create the data directory {}: {e}", dir.display()).into(),
            ))
        })?;
        SqliteStore::open_file(&dir.join(FILE_NAME)).await
    }

    /// Opens (creating when missing) the database file `path`.
    pub async fn open_file(path: &Path) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // One writer: writes queue in the pool instead of failing with SQLITE_BUSY.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let readers = std::thread::available_parallelism().map_or(4, |n| n.get().max(2) * 2);
        let read = SqlitePoolOptions::new()
            .max_connections(u32::try_from(readers).unwrap_or(4))
            .min_connections(1)
            .connect_lazy_with(options.read_only(true));
        let store = SqliteStore { read, write };
        crate::migrate::migrate(&store).await?;
        Ok(store)
    }

    /// A fresh database in memory (for tests): one shared connection for reads and writes.
    pub async fn in_memory() -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        let store = SqliteStore {
            read: pool.clone(),
            write: pool,
        };
        crate::migrate::migrate(&store).await?;
        Ok(store)
    }
}
