//! The refinement client's integration tests, one binary: the protocol against a local server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod protocol;
