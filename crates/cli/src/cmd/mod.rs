//! Command families. Each module has an `Args` type and a `run` function.

pub mod admin;
pub mod catalog;
pub mod export;
pub mod generate;
pub mod hiring;
pub mod import;
pub mod job_analysis;
pub mod limits;
pub mod lint;
pub mod models;
pub mod onet;
pub mod people;
pub mod serve;
pub mod stats;
pub mod suggest;
pub mod validate;
