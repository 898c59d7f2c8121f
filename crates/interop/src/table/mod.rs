//! Tables read from files — the file side of the one table reader.
//!
//! The reader itself ([`framewright_model::table`]: header, rows reached by column name, the
//! one rule for missing cells, errors located by [`framewright_model::Location`]) is pure and
//! lives in the model, so the catalog crate's CSV form (which must not touch files) reads
//! through it too. Here it meets the file system and progress:
//!
//! - `text`: CSV and tab-separated files streamed with progress, for the catalogue importers
//!   (ESCO, O*NET, SFIA, generic CSV).
//! - [`stats`]: the statistics table (assessment results, rating sheets), whose missing cells
//!   follow the reader's rule for measurements.
//!
//! XLSX sheets (the catalogue workbook) are turned into rows of text with calamine and read
//! through the same [`framewright_model::table::Row`]; the hiring CSV files
//! ([`crate::hiring::csv`]) use the reader in memory.

pub mod stats;
pub(crate) mod text;

pub use stats::*;
