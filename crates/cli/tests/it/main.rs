//! The CLI's integration tests, as one test binary (one link of the CLI's dependencies instead
//! of one per file): each module tests one family of commands on the real `framewright` binary;
//! `common` holds the helpers they share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod catalog;
mod generate;
mod hiring;
mod interop;
mod job_analysis;
mod lint;
mod models;
mod people;
mod server;
mod snapshots;
mod stats;
mod stats_api;
mod suggest;
mod validate;
