//! Import and export adapters: CASE 1.1, ESCO, O*NET, NICE, CSV, XLSX, Markdown, HTML, PDF, DOCX.

pub mod export;
pub mod table;
