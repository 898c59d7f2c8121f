//! Command families. Each module has an `Args` type and a `run` function.

pub mod admin;
pub mod serve;
