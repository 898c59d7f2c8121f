//! Import and export adapters, grouped by what they serve:
//!
//! - [`table`]: the one reader of CSV and XLSX tables (header row, cells keyed on column names,
//!   one rule for missing cells, errors located by [`Location`]) and the statistics table
//!   built on it.
//! - [`catalogue`]: catalogue importers — ESCO, O*NET, NICE, SFIA, the generic CSV form,
//!   spreadsheets and uploads — with progress and located errors.
//! - [`framework`]: framework file formats — CASE 1.1 packages, the re-import workbook (XLSX and
//!   CSV) and the flat CSV and XLSX exports.
//! - [`hiring`]: the files of a job analysis and of applicant rating (CSV in).
//! - [`document`], [`export`], [`hiring_report`]: documents for people (HTML, Markdown, DOCX,
//!   PDF).
//! - [`library`]: the on-disk library of catalogues and frameworks.
//!
//! The modules `import`, `case`, `workbook`, `hiring_csv` and `export::{csv, xlsx}` are the old
//! paths, kept as deprecated aliases so callers compile while they move to the new ones.

pub mod catalogue;
pub mod document;
pub mod export;
pub mod framework;
pub mod hiring;
/// The hiring documents at their former path: [`document::hiring`].
pub use document::hiring as hiring_report;
pub mod library;
pub mod table;

pub use framewright_model::location::Location;

/// Deprecated alias of [`catalogue`] (the catalogue importers' old path).
pub mod import {
    pub use crate::catalogue::*;
}

/// Deprecated alias of [`framework::case`].
pub mod case {
    pub use crate::framework::case::*;
}

/// Deprecated alias of [`framework::workbook`].
pub mod workbook {
    pub use crate::framework::workbook::*;
}

/// Deprecated alias of [`hiring::csv`].
pub mod hiring_csv {
    pub use crate::hiring::csv::*;
}
