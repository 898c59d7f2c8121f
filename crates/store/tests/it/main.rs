//! The store's integration tests, in one binary: the store contract (run against SQLite
//! always and against PostgreSQL when `TEST_DATABASE_URL` is set), its job-analysis part, and
//! the migrations.

#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Runs each named scenario (a function in the calling module's `scenarios`) on every
/// available backend.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                for backend in framewright_store::testing::all().await.expect("test store") {
                    eprintln!("{} on {}", stringify!($name), backend.label);
                    scenarios::$name(&backend).await;
                    backend.cleanup().await;
                }
            }
        )*
    };
}

mod common;
mod contract;
mod job_analysis;
mod migrations;
