//! The statistics' integration tests, one binary: oracle fixtures and properties.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod oracles;
mod properties;
