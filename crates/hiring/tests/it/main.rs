//! The hiring crate's integration tests, one binary: the job analysis against its oracle.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod oracle;
