//! Migrations: applied once, idempotent on reopening, and an edited migration stops the
//! program instead of being silently skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewright_store::sqlite::SqliteStore;
use framewright_store::{Store, StoreError};
use sqlx::Executor;

#[tokio::test]
async fn reopening_keeps_data_and_an_edited_migration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
    assert_eq!(store.backend(), "sqlite");
    assert_eq!(store.count_users().await.unwrap(), 0);
    drop(store);
    // Reopening applies nothing twice.
    let again = SqliteStore::open_dir(dir.path()).await.unwrap();
    assert_eq!(again.count_users().await.unwrap(), 0);
    drop(again);

    // Someone edits migration 1 after it was applied: its recorded checksum no longer matches.
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("framewright.db").display()
    ))
    .await
    .unwrap();
    pool.execute("UPDATE framewright_migrations SET checksum = 'edited' WHERE version = 1")
        .await
        .unwrap();
    pool.close().await;
    match SqliteStore::open_dir(dir.path()).await {
        Err(StoreError::MigrationChanged { version, .. }) => assert_eq!(version, 1),
        other => panic!("expected MigrationChanged, got {other:?}"),
    }
}
