//! `framewright import`: bring outside content in — competency catalogues (ESCO, O*NET, NICE,
//! SFIA, an organisation's own CSV or XLSX list) into the catalogue library, and frameworks (a
//! CASE package, a framework spreadsheet) into framework files. Also hands out the spreadsheet
//! templates.
//!
//! Imports are all-or-nothing: the whole input is read and checked first, and the library file
//! is replaced in one step only when everything is in order.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use framewright_interop::catalogue::esco::{self, EscoOptions};
use framewright_interop::catalogue::nice::{self, NiceOptions};
use framewright_interop::catalogue::onet::{self, OnetOptions};
use framewright_interop::catalogue::sfia::{self, SfiaOptions};
use framewright_interop::catalogue::spreadsheet::{self, CatalogueOptions, Spreadsheet};
use framewright_interop::catalogue::{ImportError, Imported, Progress};
use framewright_interop::framework::case;
use framewright_interop::framework::workbook;
use framewright_interop::library::{self, Library};
use framewright_model::file::{FileFormat, write_framework};
use framewright_model::{Catalogue, Framework};
use indicatif::{ProgressBar, ProgressStyle};

use crate::framework_file::write_atomically;

/// Where the catalogue library lives (shared by every command that reads or writes it).
#[derive(Debug, Clone, ClapArgs)]
pub struct DataDirArgs {
    /// The folder where Framewright keeps its data (imported catalogues go in its
    /// `catalogues` subfolder). Default: ./framewright-data, or the FRAMEWRIGHT_DATA_DIR
    /// environment variable.
    #[arg(long, value_name = "DIR", env = library::DATA_DIR_ENV)]
    pub data_dir: Option<PathBuf>,
}

impl DataDirArgs {
    /// The catalogue library these options point at.
    pub fn library(&self) -> Library {
        match &self.data_dir {
            Some(dir) => Library::in_data_dir(dir),
            None => Library::in_data_dir(library::DEFAULT_DATA_DIR),
        }
    }
}

const IMPORT_HELP: &str = "\
Catalogues (ESCO, O*NET, NICE, SFIA, your own CSV or XLSX list) go into the catalogue library, \
where `--catalog NAME` finds them. Frameworks (a CASE package, a framework spreadsheet) become \
framework files. Nothing is changed unless the whole file is in order; problems are reported \
with the file, line (or sheet and row) and column.

Examples:
  framewright import esco ~/Downloads/ESCO-dataset-v1.2.0-en
  framewright import onet ~/Downloads/db_30_1_text --release 30.1
  framewright import csv our-skills.csv --into acme-skills --licence \"internal use\"
  framewright import xlsx edited-framework.xlsx -o framework.toml
  framewright import case package.json -o framework.toml
  framewright import template xlsx -o my-framework.xlsx";

/// Bring competency catalogues and frameworks in from other systems.
#[derive(Debug, ClapArgs)]
#[command(after_help = IMPORT_HELP)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A CASE 1.0 or 1.1 package (JSON) as a framework file; prints what could not be used.
    Case(CaseArgs),
    /// The ESCO classification from its CSV download (a folder, or just its skills file):
    /// skills become competencies, occupations become reference roles.
    Esco(EscoArgs),
    /// The O*NET database from its text download (a folder): skills, knowledge and abilities
    /// become competencies; occupations become reference roles weighted by importance.
    Onet(OnetArgs),
    /// The NIST NICE Framework Components file (JSON): competency areas, knowledge and skill
    /// statements become competencies; work roles become reference roles.
    Nice(NiceArgs),
    /// Your own list of competencies (id,name,alt_labels,definition) into the library, or a
    /// framework spreadsheet (exported by Framewright or made from the template) as a
    /// framework file.
    Csv(SpreadsheetArgs),
    /// Your own competency workbook into the library, or a framework workbook (exported by
    /// Framewright or made from the template) as a framework file.
    Xlsx(SpreadsheetArgs),
    /// SFIA from your own licensed copy (XLSX or CSV). SFIA is licensed content: Framewright
    /// ships none of it, and you must state the licence you use it under.
    Sfia(SfiaArgs),
    /// Write a spreadsheet template to fill in and import.
    Template(TemplateArgs),
}

#[derive(Debug, ClapArgs)]
struct CatalogueTarget {
    /// The library name to save the catalogue under (letters, digits, `-`; for example esco or
    /// acme-skills). Importing again under the same name replaces the catalogue.
    #[arg(long, value_name = "NAME")]
    into: Option<String>,
    #[command(flatten)]
    data: DataDirArgs,
    /// Do not draw a progress bar.
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    limits: crate::cmd::limits::LimitArgs,
}

#[derive(Debug, ClapArgs)]
struct CaseArgs {
    /// The CASE package file (JSON), as downloaded from a CASE provider (`/CFPackages/...`).
    path: PathBuf,
    /// The framework file to write (.toml or .json). Default: the framework's id + .toml in the
    /// current folder.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, ClapArgs)]
struct EscoArgs {
    /// The folder of the unpacked ESCO CSV download (or its skills_xx.csv file).
    path: PathBuf,
    /// The language of the files to read (en, fr, de, …) when the folder has several.
    #[arg(long, value_name = "CODE")]
    language: Option<String>,
    /// The ESCO release you downloaded (for example v1.2.0); recorded with the catalogue.
    #[arg(long, value_name = "VERSION")]
    release: Option<String>,
    #[command(flatten)]
    target: CatalogueTarget,
}

#[derive(Debug, ClapArgs)]
struct OnetArgs {
    /// The folder of the unpacked O*NET database text download (with "Occupation Data.txt").
    path: PathBuf,
    /// The O*NET release (for example 30.1); recorded with the catalogue and its attribution.
    #[arg(long, value_name = "VERSION")]
    release: Option<String>,
    #[command(flatten)]
    target: CatalogueTarget,
}

#[derive(Debug, ClapArgs)]
struct NiceArgs {
    /// The NICE Framework Components JSON file from NIST.
    path: PathBuf,
    #[command(flatten)]
    target: CatalogueTarget,
}

#[derive(Debug, ClapArgs)]
struct SfiaArgs {
    /// Your SFIA skills spreadsheet (.xlsx or .csv).
    path: PathBuf,
    /// The licence you use SFIA under, in your words (for example "SFIA Foundation corporate
    /// licence 2026, Acme Ltd"). Recorded with the catalogue and carried into exports.
    #[arg(long, value_name = "TEXT")]
    licence: String,
    /// The SFIA version (for example 9).
    #[arg(long, value_name = "VERSION")]
    release: Option<String>,
    #[command(flatten)]
    target: CatalogueTarget,
}

#[derive(Debug, ClapArgs)]
struct SpreadsheetArgs {
    /// The spreadsheet file.
    path: PathBuf,
    /// For a framework spreadsheet: the framework file to write (.toml or .json). Default: the
    /// framework's id + .toml in the current folder.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the framework output file if it exists.
    #[arg(long)]
    force: bool,
    /// For a catalogue: its name for people (default: the file name).
    #[arg(long, value_name = "TEXT")]
    name: Option<String>,
    /// For a catalogue: its licence or terms of use.
    #[arg(long, value_name = "TEXT")]
    licence: Option<String>,
    /// For a catalogue: the attribution text that exports must carry.
    #[arg(long, value_name = "TEXT")]
    attribution: Option<String>,
    #[command(flatten)]
    target: CatalogueTarget,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TemplateFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, ClapArgs)]
struct TemplateArgs {
    /// csv or xlsx.
    #[arg(value_enum)]
    format: TemplateFormat,
    /// A catalogue template (a list of competencies) instead of a framework template.
    #[arg(long)]
    catalogue: bool,
    /// Where to write it. Default: framework-template.csv/.xlsx (or catalogue-template…) in
    /// the current folder.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

/// Runs `framewright import`.
pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Case(a) => import_case(a),
        Command::Esco(a) => {
            let options = EscoOptions {
                id: name_or(&a.target, "esco")?,
                version: a.release.clone(),
                language: a.language.clone(),
            };
            let mut bar = Bar::new(a.target.quiet);
            let imported = esco::import(&a.path, &options, &mut bar)?;
            save(&a.target, imported, "ESCO", &a.path)
        }
        Command::Onet(a) => {
            let options = OnetOptions {
                id: name_or(&a.target, "onet")?,
                version: a.release.clone(),
            };
            let mut bar = Bar::new(a.target.quiet);
            let imported = onet::import(&a.path, &options, &mut bar)?;
            save(&a.target, imported, "O*NET", &a.path)
        }
        Command::Nice(a) => {
            let options = NiceOptions {
                id: name_or(&a.target, "nice")?,
            };
            let mut bar = Bar::new(a.target.quiet);
            let imported = nice::import(&a.path, &options, &mut bar)?;
            save(&a.target, imported, "NICE", &a.path)
        }
        Command::Sfia(a) => {
            let options = SfiaOptions {
                id: name_or(&a.target, "sfia")?,
                licence: a.licence.clone(),
                version: a.release.clone(),
                limits: a.target.limits.limits(),
            };
            let mut bar = Bar::new(a.target.quiet);
            let imported = sfia::import(&a.path, &options, &mut bar).map_err(with_limit_hint)?;
            save(&a.target, imported, "SFIA", &a.path)
        }
        Command::Csv(a) => import_spreadsheet(a, false),
        Command::Xlsx(a) => import_spreadsheet(a, true),
        Command::Template(a) => template(a),
    }
}

fn name_or(target: &CatalogueTarget, default: &str) -> Result<String> {
    let name = target.into.clone().unwrap_or_else(|| default.to_string());
    if library::is_builtin_name(&name) {
        bail!("`{name}` is the name of a built-in catalogue; choose another name with --into");
    }
    // Check the name before the (possibly long) import, not after.
    target.data.library().path_of(&name)?;
    Ok(name)
}

/// An import error, with the option that raises the limit when a limit refused the file.
fn with_limit_hint(error: ImportError) -> anyhow::Error {
    match &error {
        ImportError::Limit { exceeded, .. } => {
            let hint = crate::cmd::limits::raise_with(exceeded.limit);
            anyhow::anyhow!("{error}{hint}. Nothing was imported.")
        }
        _ => error.into(),
    }
}

/// Refuses a catalogue larger than the limits, naming the file it came from and the first
/// place (nothing is saved).
fn check_catalogue(target: &CatalogueTarget, catalogue: &Catalogue, file: &Path) -> Result<()> {
    let issues = target.limits.limits().check_catalogue(catalogue);
    match issues.first() {
        None => Ok(()),
        Some(first) => bail!(
            "{}: the catalogue is larger than this program accepts at {}: {}{}. Nothing was imported.",
            file.display(),
            first.pointer,
            first.exceeded.message,
            crate::cmd::limits::raise_with(first.exceeded.limit)
        ),
    }
}

fn save(
    target: &CatalogueTarget,
    imported: Imported,
    source: &str,
    file: &Path,
) -> Result<ExitCode> {
    check_catalogue(target, &imported.catalogue, file)?;
    let library = target.data.library();
    let name = imported.catalogue.id.clone();
    let before = library
        .path_of(&name)
        .ok()
        .and_then(|p| std::fs::read(p).ok());
    let path = library
        .save(&name, &imported.catalogue)
        .with_context(|| format!("saving the catalogue `{name}`"))?;
    let unchanged = before.is_some_and(|b| std::fs::read(&path).is_ok_and(|a| a == b));
    let catalogue = &imported.catalogue;
    let what = if unchanged {
        "is already in the library, unchanged,"
    } else {
        "was imported into the library"
    };
    println!(
        "{source} {what} as `{name}`: {} competencies, {} reference roles.",
        catalogue.competencies.len(),
        catalogue.reference_roles.len()
    );
    println!("Saved in {}.", path.display());
    println!("Use it with --catalog {name}.");
    if let Some(attribution) = &catalogue.attribution {
        println!("Attribution (carried into every export): {attribution}");
    }
    for warning in &imported.warnings {
        eprintln!("note: {warning}");
    }
    Ok(ExitCode::SUCCESS)
}

fn output_path(output: Option<PathBuf>, framework: &Framework) -> PathBuf {
    output.unwrap_or_else(|| PathBuf::from(format!("{}.toml", framework.id)))
}

fn write_framework_file(path: &Path, framework: &Framework, force: bool) -> Result<()> {
    if path.exists() && !force {
        bail!(
            "{} exists already; choose another file with -o, or add --force to replace it",
            path.display()
        );
    }
    let format = FileFormat::from_file_name(&path.to_string_lossy()).unwrap_or(FileFormat::Toml);
    let text = write_framework(framework, format).context("writing the framework")?;
    write_atomically(path, text.as_bytes())
}

fn import_case(a: CaseArgs) -> Result<ExitCode> {
    let name = a.path.display().to_string();
    let text = std::fs::read(&a.path).with_context(|| format!("could not read {name}"))?;
    let text = String::from_utf8(text).map_err(|_| {
        anyhow::anyhow!("{name}: the file is not UTF-8 text; CASE packages are UTF-8 JSON")
    })?;
    let scale = framewright_catalog::opm_five_level().context("reading the built-in scale")?;
    let imported = case::import_case(&text, &name, &scale)?;
    let path = output_path(a.output, &imported.framework);
    write_framework_file(&path, &imported.framework, a.force)?;
    let f = &imported.framework;
    println!(
        "Read the CASE {} package `{}`: {} groups, {} competencies, {} relations.",
        imported.report.case_version,
        f.title,
        f.groups.len(),
        f.competencies.len(),
        f.relations.len()
    );
    println!("Wrote {}.", path.display());
    if !imported.report.is_clean() {
        eprintln!("What Framewright left out or changed:");
        eprint!("{}", imported.report);
    }
    Ok(ExitCode::SUCCESS)
}

fn import_spreadsheet(a: SpreadsheetArgs, xlsx: bool) -> Result<ExitCode> {
    let mut options = CatalogueOptions::for_file(&a.path);
    if let Some(into) = &a.target.into {
        options.id = into.clone();
    }
    if let Some(name) = &a.name {
        options.name = name.clone();
    }
    if let Some(licence) = &a.licence {
        options.licence = licence.clone();
    }
    options.attribution = a.attribution.clone();
    options.limits = a.target.limits.limits();
    let mut bar = Bar::new(a.target.quiet);
    let read = if xlsx {
        spreadsheet::read_xlsx(&a.path, &options, &mut bar).map_err(with_limit_hint)?
    } else {
        spreadsheet::read_csv(&a.path, &options, &mut bar).map_err(with_limit_hint)?
    };
    match read {
        Spreadsheet::Framework(framework, report) => {
            if a.target.into.is_some() {
                bail!(
                    "{} is a framework spreadsheet, not a list of competencies; write it to a framework file with -o instead of --into",
                    a.path.display()
                );
            }
            let issues = a.target.limits.limits().check_framework(&framework);
            if let Some(first) = issues.first() {
                bail!(
                    "{}: the framework is larger than this program accepts at {}: {}{}. Nothing was written.",
                    a.path.display(),
                    first.pointer,
                    first.exceeded.message,
                    crate::cmd::limits::raise_with(first.exceeded.limit)
                );
            }
            let path = output_path(a.output, &framework);
            write_framework_file(&path, &framework, a.force)?;
            println!(
                "Read the framework `{}` ({} competencies, {} role profiles) and wrote {}.",
                framework.title,
                framework.competencies.len(),
                framework.role_profiles.len(),
                path.display()
            );
            for ignored in &report.ignored {
                eprintln!("note: {ignored}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Spreadsheet::Catalogue(catalogue) => {
            if a.output.is_some() {
                bail!(
                    "{} is a list of competencies (a catalogue), not a framework spreadsheet; it goes into the library (--into NAME), not to -o",
                    a.path.display()
                );
            }
            if library::is_builtin_name(&catalogue.id) {
                bail!(
                    "`{}` is the name of a built-in catalogue; choose another name with --into",
                    catalogue.id
                );
            }
            let mut warnings = Vec::new();
            if a.licence.is_none() {
                warnings.push("no --licence given: the catalogue's licence is recorded as not stated; import again with --licence to record it".to_string());
            }
            save(
                &a.target,
                Imported {
                    catalogue: *catalogue,
                    warnings,
                },
                "The catalogue",
                &a.path,
            )
        }
    }
}

fn template(a: TemplateArgs) -> Result<ExitCode> {
    let kind = if a.catalogue {
        "catalogue"
    } else {
        "framework"
    };
    let (bytes, extension) = match (a.format, a.catalogue) {
        (TemplateFormat::Csv, false) => (
            workbook::csv::write(&spreadsheet::example_framework()).into_bytes(),
            "csv",
        ),
        (TemplateFormat::Xlsx, false) => (
            workbook::xlsx::write(&spreadsheet::example_framework())
                .context("writing the template")?,
            "xlsx",
        ),
        (TemplateFormat::Csv, true) => (spreadsheet::catalogue_template_csv().into_bytes(), "csv"),
        (TemplateFormat::Xlsx, true) => (
            spreadsheet::catalogue_template_xlsx().context("writing the template")?,
            "xlsx",
        ),
    };
    let path = a
        .output
        .unwrap_or_else(|| PathBuf::from(format!("{kind}-template.{extension}")));
    if path.exists() && !a.force {
        bail!(
            "{} exists already; choose another file with -o, or add --force to replace it",
            path.display()
        );
    }
    write_atomically(&path, &bytes)?;
    println!(
        "Wrote the {kind} template {}. Replace the example rows with your own, then: framewright import {extension} {}{}",
        path.display(),
        path.display(),
        if a.catalogue {
            " --into NAME --licence \"…\""
        } else {
            " -o framework.toml"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// The progress bar on the terminal (nothing when the output is not a terminal or --quiet).
pub(crate) struct Bar {
    bar: Option<ProgressBar>,
    enabled: bool,
}

impl Bar {
    pub(crate) fn new(quiet: bool) -> Bar {
        Bar {
            bar: None,
            enabled: !quiet && std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for Bar {
    fn stage(&mut self, name: &str, total: Option<u64>) {
        if !self.enabled {
            return;
        }
        if let Some(old) = self.bar.take() {
            old.finish_and_clear();
        }
        let bar = match total {
            Some(total) => ProgressBar::new(total),
            None => ProgressBar::new_spinner(),
        };
        let style = ProgressStyle::with_template("{msg:>20} [{bar:30}] {percent:>3}%  {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(format!("reading {name}"));
        self.bar = Some(bar);
    }

    fn advance(&mut self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
