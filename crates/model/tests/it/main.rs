//! The model's integration tests, one binary: framework files round-trip and the JSON Schema.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod file_roundtrip;
