//! Writing a framework in one of the formats people and other systems read, once for every
//! front door (`framewright export`, `framewright generate`, `GET
//! /api/v1/frameworks/{id}/export/{format}`): the framework file (JSON, TOML), a CASE 1.1
//! package, the lossless framework workbook (XLSX, CSV), the reading layouts (Markdown, HTML,
//! CSV, XLSX) and the documents (Word, PDF). Front doors name the formats their own way and
//! decide where the bytes go.

use framewright_interop::document::{self, DocumentError};
use framewright_interop::export::{self as reading, ExportFormat};
use framewright_interop::framework::case::{self, LossReport};
use framewright_interop::framework::workbook;
use framewright_model::Framework;
use framewright_model::file::{FileFormat, write_framework};

/// The media type of Word documents.
pub const DOCX_MEDIA: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// The media type of Excel workbooks.
pub const XLSX_MEDIA: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A format a framework can be written in.
#[derive(Debug, Clone)]
pub enum Format {
    /// The framework file as JSON.
    Json,
    /// The framework file as TOML.
    Toml,
    /// A CASE 1.1 package, with its base URI and `lastChangeDateTime` (so exporting the same
    /// revision twice gives the same package).
    Case(case::ExportOptions),
    /// The framework workbook as XLSX (imported back without loss).
    WorkbookXlsx,
    /// The framework workbook as CSV (imported back without loss).
    WorkbookCsv,
    /// A reading layout: Markdown, HTML, CSV or XLSX.
    Reading(ExportFormat),
    /// A Word document.
    Docx,
    /// A PDF document (when built with the `pdf` feature).
    Pdf,
}

impl Format {
    /// The media type of the written bytes.
    pub fn media_type(&self) -> &'static str {
        match self {
            Format::Json | Format::Case(_) => "application/json",
            Format::Toml => "application/toml",
            Format::WorkbookXlsx | Format::Reading(ExportFormat::Xlsx) => XLSX_MEDIA,
            Format::WorkbookCsv | Format::Reading(ExportFormat::Csv) => "text/csv; charset=utf-8",
            Format::Reading(ExportFormat::Markdown) => "text/markdown; charset=utf-8",
            Format::Reading(ExportFormat::Html) => "text/html; charset=utf-8",
            Format::Docx => DOCX_MEDIA,
            Format::Pdf => "application/pdf",
        }
    }

    /// Whether the bytes are not text (and so do not belong on a terminal).
    pub fn is_binary(&self) -> bool {
        matches!(
            self,
            Format::WorkbookXlsx | Format::Reading(ExportFormat::Xlsx) | Format::Docx | Format::Pdf
        )
    }
}

/// A written framework.
#[derive(Debug)]
pub struct Written {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// For a CASE package: what CASE cannot carry (empty when nothing was lost).
    pub case_report: Option<LossReport>,
}

/// Why a framework could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The framework breaks a rule of CASE.
    #[error("this framework cannot be written as a CASE package: {0}")]
    Case(#[source] case::ExportError),
    /// PDF was asked for, but this build has no PDF.
    #[error(transparent)]
    PdfNotBuilt(DocumentError),
    /// A writer failed (a defect, or the system).
    #[error("{what}")]
    Failed {
        /// What was being written.
        what: &'static str,
        /// Why it failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

fn failed<E: std::error::Error + Send + Sync + 'static>(
    what: &'static str,
) -> impl FnOnce(E) -> ExportError {
    move |e| ExportError::Failed {
        what,
        source: Box::new(e),
    }
}

/// Writes `framework` in `format`.
pub fn write(framework: &Framework, format: &Format) -> Result<Written, ExportError> {
    let bytes = match format {
        Format::Json | Format::Toml => {
            let file = if matches!(format, Format::Json) {
                FileFormat::Json
            } else {
                FileFormat::Toml
            };
            write_framework(framework, file)
                .map_err(failed("writing the framework file"))?
                .into_bytes()
        }
        Format::Case(options) => {
            let export = case::export_case(framework, options).map_err(ExportError::Case)?;
            return Ok(Written {
                bytes: export.to_json().into_bytes(),
                case_report: Some(export.report),
            });
        }
        Format::WorkbookXlsx => {
            workbook::xlsx::write(framework).map_err(failed("writing the workbook"))?
        }
        Format::WorkbookCsv => workbook::csv::write(framework).into_bytes(),
        Format::Reading(chosen) => {
            reading::render(framework, *chosen).map_err(failed(match chosen {
                ExportFormat::Xlsx => "writing the workbook",
                ExportFormat::Csv => "writing the CSV",
                _ => "writing the document",
            }))?
        }
        Format::Docx => document::docx(framework).map_err(failed("writing the Word document"))?,
        Format::Pdf => match document::pdf(framework) {
            Err(e @ DocumentError::PdfNotBuilt) => return Err(ExportError::PdfNotBuilt(e)),
            other => other.map_err(failed("writing the PDF"))?,
        },
    };
    Ok(Written {
        bytes,
        case_report: None,
    })
}
