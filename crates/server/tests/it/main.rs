//! The server's integration tests, as one test binary: every module starts a real server on
//! 127.0.0.1 over a real database (SQLite always; PostgreSQL too when `TEST_DATABASE_URL` is
//! set). One binary instead of one per file because each links axum, sqlx and utoipa, and
//! linking them eleven times dominated a CI run on two cores.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod common;
mod concurrency;
mod interop_api;
mod isolation;
mod job_analysis;
mod job_analysis_pages;
mod limits;
mod openapi;
mod responses;
mod semantic;
mod stats_api;
mod web_account;
mod web_frameworks;
mod web_isolation;
mod web_pages;
