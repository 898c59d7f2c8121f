//! Import and export adapters: CASE 1.1, ESCO, O*NET, NICE, CSV, XLSX, Markdown, HTML, PDF, DOCX.

pub mod case;
pub mod document;
pub mod export;
pub mod hiring_csv;
pub mod hiring_report;
pub mod import;
pub mod library;
pub mod table;
pub mod workbook;

/// Where in a file a problem is (file, sheet, line, column).
pub use import::Location;
