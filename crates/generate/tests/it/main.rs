//! The generator's integration tests, one binary: the property test, the review-set regression,
//! the real embedding model (feature `embeddings`) and the architecture check that keeps the
//! domain crates free of I/O.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
#[cfg(feature = "embeddings")]
mod embeddings;
mod judgement;
mod property;
mod review;
mod support;
