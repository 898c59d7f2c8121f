//! Framework file formats: what a framework is saved, exchanged and re-imported as.
//!
//! - [`case`]: CASE 1.1 packages (1EdTech Competencies and Academic Standards Exchange), in and
//!   out.
//! - [`workbook`]: the re-import workbook (XLSX, and its CSV form) a designer edits by hand.
//! - [`csv`], [`xlsx`]: the flat CSV table and the XLSX workbook exports.

pub mod case;
pub mod csv;
pub mod workbook;
pub mod xlsx;
