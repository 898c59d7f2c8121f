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
//! - [`document`]: documents for people — one view model per document (the framework, the
//!   job-analysis report and the hiring documents in [`document::hiring`]) rendered to HTML and
//!   Markdown through the templates in `templates/`, to DOCX, and to PDF (feature `pdf`); the one
//!   HTML escape.
//! - [`export`]: the framework's reading formats by name (Markdown, HTML, CSV, XLSX), for the
//!   front doors' format switch.
//! - [`people`]: people and ratings files (CSV, XLSX) for gap analysis, and the gap report's
//!   exports (HTML, CSV, XLSX heatmap).
//! - [`library`]: the on-disk library of catalogues and frameworks.

pub mod archive;
pub mod catalogue;
pub mod document;
pub mod export;
pub mod framework;
pub mod hiring;
pub mod library;
pub mod people;
pub mod table;

pub use framewright_model::location::Location;
