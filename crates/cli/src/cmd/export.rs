//! `framewright export`: a framework file out in the formats other people and systems read —
//! a CASE 1.1 package, an editable spreadsheet (CSV or XLSX, imported back without loss), a
//! PDF or Word document, Markdown or HTML.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, ValueEnum};
use framewright_app::export;
use framewright_interop::export::ExportFormat;
use framewright_interop::framework::case::ExportOptions;
use framewright_model::Framework;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::framework_file::{read_framework, write_atomically};

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A CASE 1.1 package (JSON) for learning and HR systems that speak 1EdTech CASE.
    Case,
    /// The whole framework as one CSV file; `framewright import csv` reads it back unchanged.
    Csv,
    /// The whole framework as an Excel workbook (one sheet per part); edit it and import it
    /// back with `framewright import xlsx`.
    Xlsx,
    /// A Markdown document to read, review or paste into a wiki.
    Md,
    /// One self-contained web page that prints well.
    Html,
    /// A print-ready PDF document (cover, contents, competencies with levels and indicators,
    /// role profiles, interview guide, sources).
    Pdf,
    /// A Word document with the same content as the PDF.
    Docx,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Case => "case.json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Pdf | Format::Docx)
    }
}

const EXPORT_HELP: &str = "\
Text formats (case, csv, md, html) go to the screen unless you give -o; documents and workbooks \
(xlsx, pdf, docx) go to a file named after the framework unless you give -o. Every export \
carries the attributions of the framework's sources. A CSV or XLSX export can be edited and \
imported back with `framewright import` without losing anything.

Examples:
  framewright export framework.toml --format pdf
  framewright export framework.toml --format xlsx -o for-review.xlsx
  framewright export framework.toml --format case -o package.json --base-uri https://example.org/ims/case/v1p1";

/// Write a framework in another format: CASE for learning and HR systems, a spreadsheet to edit
/// and import back, a PDF or Word document to share.
#[derive(Debug, ClapArgs)]
#[command(after_help = EXPORT_HELP)]
pub struct Args {
    /// The framework file (.toml or .json).
    file: PathBuf,
    /// The format to write.
    #[arg(long, short = 'f', value_enum)]
    format: Format,
    /// The file to write. Default: the screen for text formats, <framework id>.<format> for
    /// the others.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
    /// CASE only: the web address of your CASE provider
    /// (https://example.org/ims/case/v1p1); every item's `uri` is built from it. Without it the
    /// package uses `urn:uuid:` addresses.
    #[arg(long, value_name = "URL")]
    base_uri: Option<String>,
    /// CASE only: do not print the report of what CASE cannot hold.
    #[arg(long)]
    quiet: bool,
    /// CSV and XLSX only: `workbook` (default) writes the whole framework so that it can be
    /// edited and imported back; `report` writes a reading layout for HR (one row per
    /// competency and level, with targets), which is not meant to be imported back.
    #[arg(long, value_enum, default_value_t = Layout::Workbook)]
    layout: Layout,
}

/// The layout of a CSV or XLSX export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Layout {
    /// The lossless framework workbook.
    Workbook,
    /// A reading layout (the generator's renderers).
    Report,
}

/// Runs `framewright export`.
pub fn run(args: Args) -> Result<ExitCode> {
    let framework = read_framework(&args.file)?;
    let report = args.layout == Layout::Report;
    let format = match args.format {
        Format::Case => export::Format::Case(ExportOptions {
            base_uri: args.base_uri.clone(),
            last_change: last_change(&framework, &args.file),
            language: None,
            scope: None,
        }),
        Format::Csv if report => export::Format::Reading(ExportFormat::Csv),
        Format::Xlsx if report => export::Format::Reading(ExportFormat::Xlsx),
        Format::Csv => export::Format::WorkbookCsv,
        Format::Xlsx => export::Format::WorkbookXlsx,
        Format::Pdf => export::Format::Pdf,
        Format::Docx => export::Format::Docx,
        Format::Md => export::Format::Reading(ExportFormat::Markdown),
        Format::Html => export::Format::Reading(ExportFormat::Html),
    };
    let written = export::write(&framework, &format)?;
    if let Some(loss) = written.case_report.filter(|r| !args.quiet && !r.is_empty()) {
        eprint!("{loss}");
    }
    let bytes = written.bytes;
    if args.layout == Layout::Report && !matches!(args.format, Format::Csv | Format::Xlsx) {
        eprintln!("note: --layout is only used by --format csv and xlsx");
    }
    if args.format != Format::Case && args.base_uri.is_some() {
        eprintln!("note: --base-uri is only used by --format case");
    }
    let output = match (&args.output, args.format.is_binary()) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => Some(PathBuf::from(format!(
            "{}.{}",
            framework.id,
            args.format.extension()
        ))),
        (None, false) => None,
    };
    match output {
        Some(path) => {
            if path.exists() && !args.force {
                bail!(
                    "{} exists already; choose another file with -o, or add --force to replace it",
                    path.display()
                );
            }
            write_atomically(&path, &bytes)?;
            if std::io::stdout().is_terminal() || args.output.is_none() {
                println!("Wrote {}.", path.display());
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(&bytes).and_then(|()| stdout.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e).context("writing to the screen");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The CASE `lastChangeDateTime`: when the framework was generated, else when it was last
/// reviewed, else when its file was last changed — so exporting the same file twice gives the
/// same package.
fn last_change(framework: &Framework, file: &Path) -> OffsetDateTime {
    if let Some(generated) = framework
        .provenance
        .as_ref()
        .and_then(|p| p.generated_at.as_deref())
        .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
    {
        return generated;
    }
    if let Some(date) = framework.review.last_reviewed {
        return date.midnight().assume_utc();
    }
    std::fs::metadata(file)
        .and_then(|m| m.modified())
        .map(OffsetDateTime::from)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}
