//! The generator's integration tests, one binary: the property test, the review-set regression
//! and the architecture check that keeps the domain crates free of I/O.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
mod judgement;
mod property;
mod review;
mod support;
