//! Migrations: applied once, idempotent on reopening, and an edited migration stops the
//! program instead of being silently skipped.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_starting_at_once_on_postgres_both_start() {
    use std::str::FromStr;
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL part skipped");
        return;
    };
    let schema = format!("fw_test_{}", uuid::Uuid::now_v7().simple());
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await
        .unwrap();
    let options = sqlx::postgres::PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    let (a, b) = tokio::join!(
        framewright_store::postgres::PgStore::connect_with(options.clone()),
        framewright_store::postgres::PgStore::connect_with(options),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.count_users().await.unwrap(), 0);
    assert_eq!(b.count_users().await.unwrap(), 0);
    a.close().await;
    b.close().await;
    admin
        .execute(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .await
        .unwrap();
}
