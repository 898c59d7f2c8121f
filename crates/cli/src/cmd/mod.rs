//! Command families. Each module has an `Args` type and a `run` function.

pub mod catalog;
pub mod export;
pub mod generate;
pub mod import;
pub mod lint;
pub mod stats;
pub mod suggest;
pub mod validate;
