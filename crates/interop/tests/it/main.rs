//! The interop crate's integration tests, one binary (one link of the crate and its
//! dependencies instead of one per file): each former test file is a module.

mod case;
mod catalogues;
mod common;
mod documents;
mod esco;
mod hardening;
mod robustness;
mod workbook;
