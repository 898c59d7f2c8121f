//! The application layer's tests, one binary with a module per area; operations run on real
//! stores (SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod job_analysis;
