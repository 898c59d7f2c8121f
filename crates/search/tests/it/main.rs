//! The suggestion engine's integration tests, one binary: ranking behaviour on a small catalogue.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod rank;
