//! `framewright generate`: a role in, a draft competency framework out — chosen from the
//! catalogues with a reason for each competency, five levels of behavioural indicators,
//! targets for the role's grade, and an interview guide — as Markdown, JSON, TOML, HTML, CSV or
//! XLSX.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args as ClapArgs, ValueEnum};
use framewright_app::export::Format;
use framewright_app::generate::{Choices, Kit};
use framewright_generate::{Generated, Options, TargetMapping};
use framewright_interop::export::ExportFormat;
use framewright_model::file;
use framewright_model::lint::{self, LintLimits, Severity, Vocabulary};
use framewright_model::{Framework, Grade, ReferenceRole, Role, RoleCompetency};
use serde_json::Value;

use crate::cmd::catalog;

/// Draft a competency framework for a role: competencies with reasons, levels, targets, interviews
///
/// Give the role's title and, for better suggestions, a description and its main tasks (a text
/// file with one task per line). Framewright picks 6 to 12 competencies from the OPM AI
/// Competency Model (or the catalogues you name): 3 to 5 core (general) and 3 to 7 functional
/// (technical) ones, never two that overlap. For each it says why it was chosen (which of your
/// words matched, OPM's grade table and importance ranks, similar roles), describes five
/// proficiency levels with observable behaviours, sets the level the role requires and its
/// weight, and adds two structured interview questions with a rating scale.
///
/// Competencies are matched to the role by words and, when a sentence-embedding model is
/// installed (`framewright models install`), by meaning too: "responsible AI" then finds
/// Values-Driven Design although no word is shared. --no-semantic matches by words only.
///
/// The result is a draft for a job analysis with subject-matter experts, not a finished
/// framework. The same input always gives the same output. Nothing is sent over the network
/// unless you give --llm-url (or set FRAMEWRIGHT_LLM_URL).
///
/// Examples:
///
///   framewright generate --title "Machine Learning Engineer" --grade GS-13 --tasks tasks.txt
///
///   framewright generate --role role.toml --format xlsx -o framework.xlsx
///
///   framewright generate --title "Data Steward" --level 3 --catalog skills.csv --count 8
#[derive(Debug, ClapArgs)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The role's title, e.g. "Machine Learning Engineer".
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,

    /// What the role does, in a sentence or two.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,

    /// A text file with the role's main tasks, one per line (blank lines and lines starting
    /// with # are skipped; list bullets are removed).
    #[arg(long, value_name = "FILE")]
    tasks: Option<PathBuf>,

    /// One task of the role (repeat for more; added after the tasks file).
    #[arg(long = "task", value_name = "TEXT")]
    task: Vec<String>,

    /// The General Schedule grade, GS-1 to GS-15 (OPM's AI tables cover GS-11 to GS-15).
    #[arg(long, value_name = "GS-N", conflicts_with = "level")]
    grade: Option<Grade>,

    /// A generic level from 1 (entry) to 5 (expert), for roles without a GS grade.
    #[arg(long, value_name = "1-5", value_parser = clap::value_parser!(u8).range(1..=5))]
    level: Option<u8>,

    /// The job family, e.g. "Data Science".
    #[arg(long, value_name = "TEXT")]
    job_family: Option<String>,

    /// The organisation's context (mission, sector), recorded in the framework's description.
    #[arg(long, alias = "organization", value_name = "TEXT")]
    organisation: Option<String>,

    /// How many competencies to choose, 6 to 12 (default: 4 core and as many functional ones
    /// as the evidence supports, 3 to 6).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(6..=12))]
    count: Option<u8>,

    /// A competency that must be in the framework: its name or id (repeat for more).
    #[arg(long, value_name = "NAME")]
    include: Vec<String>,

    /// A competency that must not be in the framework: its name or id (repeat for more).
    #[arg(long, value_name = "NAME")]
    exclude: Vec<String>,

    /// A role file (TOML or JSON) with any of: title, description, tasks, grade, level,
    /// job_family, organisation, target_count, include, exclude. Options given on the command
    /// line replace the file's values (tasks, include and exclude are added).
    #[arg(long, value_name = "FILE")]
    role: Option<PathBuf>,

    /// Where to choose competencies from: `opm` (the OPM AI Competency Model, built in, the
    /// default) or a catalogue CSV file with columns id,name,alt_labels,definition (and
    /// optionally kind). Repeat to use several.
    #[arg(long = "catalog", alias = "catalogue", value_name = "NAME|FILE")]
    catalog: Vec<String>,

    /// Roles whose competencies you already know, as evidence ("roles like this one usually
    /// need X"): a JSON Lines file, one role per line:
    /// {"id": …, "title": …, "description": …, "competencies": ["id", …]}.
    #[arg(long, value_name = "FILE.jsonl")]
    reference_roles: Option<PathBuf>,

    /// Leave this reference role out (repeat for more): the id of a line of --reference-roles,
    /// of a reference role of a --catalog, or of a built-in O*NET occupation
    /// (`onet:15-1221.00`) — for example to check an occupation without its own ratings.
    #[arg(long, value_name = "ID")]
    exclude_reference: Vec<String>,

    /// Your own grade → level mapping (a copy of data/generator/targets.toml with your
    /// numbers); see docs/generator.md.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,

    #[command(flatten)]
    data: crate::cmd::import::DataDirArgs,

    /// Output format: md (a document to read and send), html (a printable page), json or toml
    /// (the framework file, for lint and later editing), csv, or xlsx (a workbook). Default:
    /// taken from the output file's extension, else md.
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<OutputFormat>,

    /// Write to this file instead of the screen.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Record the date and time of generation and set review dates (one year for the annual
    /// review, three for a thorough update). Without it the output is the same on every run.
    #[arg(long)]
    timestamp: bool,

    /// An OpenAI-compatible server (Ollama, llama.cpp server, vLLM, or a hosted service) that
    /// rewords the indicators for the role, e.g. http://127.0.0.1:11434. The result must still
    /// pass lint and keep every citation; otherwise the offline wording is kept, with a warning.
    #[arg(long, env = "FRAMEWRIGHT_LLM_URL", value_name = "URL")]
    llm_url: Option<String>,

    /// The model to ask on that server, e.g. llama3.1:8b.
    #[arg(long, env = "FRAMEWRIGHT_LLM_MODEL", value_name = "NAME")]
    llm_model: Option<String>,

    /// Seconds to wait for each answer of the language model.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    llm_timeout: u64,

    /// Match by words only, even when a sentence-embedding model is installed (by default
    /// competencies are also matched by meaning when one is: see `framewright models`).
    #[arg(long)]
    no_semantic: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Md,
    Json,
    Toml,
    Html,
    Csv,
    Xlsx,
}

impl OutputFormat {
    fn from_path(path: &Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        Some(match ext.as_str() {
            "md" | "markdown" => OutputFormat::Md,
            "json" => OutputFormat::Json,
            "toml" => OutputFormat::Toml,
            "html" | "htm" => OutputFormat::Html,
            "csv" => OutputFormat::Csv,
            "xlsx" => OutputFormat::Xlsx,
            _ => return None,
        })
    }
}

/// Runs the command: the role from the options, a draft from the generator kit of
/// [`framewright_app::generate`] (the one the server uses), optionally reworded by a language
/// model, written in the chosen format.
pub fn run(args: Args) -> Result<ExitCode> {
    let role = build_role(&args)?;
    let format = output_format(&args)?;
    let catalogues = load_catalogues(&args.catalog)?;
    let reference_roles = match &args.reference_roles {
        Some(path) => read_reference_roles(path)?,
        None => Vec::new(),
    };
    let mapping = match &args.mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("could not read the mapping file {}", path.display()))?;
            Some(TargetMapping::from_toml(
                &text,
                &path.display().to_string(),
            )?)
        }
        None => None,
    };
    let mut kit = Kit::builtin()?;
    let data_dir = crate::cmd::onet::data_dir(&args.data);
    kit.use_installed_onet_ratings(&data_dir)
        .with_context(|| format!("reading the O*NET ratings in {}", data_dir.display()))?;
    let choices = Choices {
        catalogues: Some(&catalogues),
        reference_roles: &reference_roles,
        exclude_reference: &args.exclude_reference,
        mapping: mapping.as_ref(),
        ranker: None,
        options: options(args.timestamp)?,
    };
    let generated = draft(&kit, &role, choices, &args)?;
    for notice in &generated.notices {
        eprintln!("warning: {notice}");
    }
    let (framework, findings) = reword(&args, generated, kit.vocabulary())?;
    write_output(&args, format, &framework)?;
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let target = args
        .output
        .as_ref()
        .map_or("the screen".to_string(), |p| p.display().to_string());
    eprintln!(
        "{}: {} competencies ({} core, {} functional) written to {target}; lint: {} errors, {} warnings",
        framework.title,
        framework.competencies.len(),
        framework.core_count(),
        framework.functional_count(),
        count(Severity::Error),
        count(Severity::Warning),
    );
    Ok(ExitCode::SUCCESS)
}

/// The output format: --format, else the output file's extension, else Markdown.
fn output_format(args: &Args) -> Result<OutputFormat> {
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(OutputFormat::from_path))
        .unwrap_or(OutputFormat::Md);
    if format == OutputFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        bail!("an XLSX workbook cannot be shown on the screen; add -o framework.xlsx");
    }
    Ok(format)
}

/// The catalogues named with --catalog (default: the built-in OPM catalogue), each once.
fn load_catalogues(names: &[String]) -> Result<Vec<framewright_model::Catalogue>> {
    let names = if names.is_empty() {
        vec!["opm".to_string()]
    } else {
        names.to_vec()
    };
    let mut catalogues = Vec::with_capacity(names.len());
    for name in &names {
        let loaded = catalog::load(name)?;
        if catalogues
            .iter()
            .any(|c: &framewright_model::Catalogue| c.id == loaded.catalogue.id)
        {
            bail!("the catalogue `{}` is given twice", loaded.catalogue.id);
        }
        catalogues.push(loaded.catalogue);
    }
    Ok(catalogues)
}

/// The time stamps of the draft: none (the same role gives the same file), or now.
fn options(timestamp: bool) -> Result<Options> {
    if !timestamp {
        return Ok(Options::default());
    }
    let now = time::OffsetDateTime::now_utc();
    Ok(Options {
        generated_at: Some(
            now.format(&time::format_description::well_known::Rfc3339)
                .context("formatting the time")?,
        ),
        review_from: Some(now.date()),
    })
}

/// Runs the generator, matching by meaning too when a model is installed (and not turned off).
fn draft(kit: &Kit, role: &Role, choices: Choices<'_>, args: &Args) -> Result<Generated> {
    #[cfg(feature = "semantic")]
    if let Some(semantic) = crate::cmd::models::load(args.no_semantic)? {
        let ranker = semantic.ranker(kit.search(), kit.selection().embeddings.weight);
        let choices = Choices {
            ranker: Some(&ranker),
            ..choices
        };
        return Ok(kit.generate(role, &choices)?);
    }
    #[cfg(not(feature = "semantic"))]
    let _ = args.no_semantic;
    Ok(kit.generate(role, &choices)?)
}

/// The draft reworded by the language model at --llm-url, when one is given (the offline
/// wording is kept when it fails); answers the framework and its lint findings.
fn reword(
    args: &Args,
    generated: Generated,
    vocabulary: &Vocabulary,
) -> Result<(Framework, Vec<lint::Finding>)> {
    let (framework, findings) = (generated.framework, generated.findings);
    let Some(url) = args.llm_url.as_deref().filter(|u| !u.trim().is_empty()) else {
        return Ok((framework, findings));
    };
    let Some(model) = args.llm_model.as_deref().filter(|m| !m.trim().is_empty()) else {
        bail!("--llm-url needs --llm-model (or FRAMEWRIGHT_LLM_MODEL): the model to ask");
    };
    let config = framewright_llm::LlmConfig {
        url: url.to_string(),
        model: model.to_string(),
        api_key: std::env::var("FRAMEWRIGHT_LLM_API_KEY")
            .ok()
            .filter(|k| !k.is_empty()),
        timeout: Duration::from_secs(args.llm_timeout.max(1)),
    };
    eprintln!(
        "asking {} ({}) to reword the indicators …",
        config.endpoint(),
        config.model
    );
    match framewright_llm::refine(&framework, &config, vocabulary) {
        Ok(refined) => {
            eprintln!(
                "the language model reworded {} indicators; the reworded levels are marked draft",
                refined.changed_indicators
            );
            let findings = lint::lint(&refined.framework, vocabulary, &LintLimits::default());
            Ok((refined.framework, findings))
        }
        Err(error) => {
            eprintln!("warning: {error}");
            eprintln!("warning: keeping the offline wording");
            Ok((framework, findings))
        }
    }
}

/// Writes the framework in `format` to the output file (atomically) or the screen.
fn write_output(args: &Args, format: OutputFormat, framework: &Framework) -> Result<()> {
    let format = match format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Toml => Format::Toml,
        OutputFormat::Md => Format::Reading(ExportFormat::Markdown),
        OutputFormat::Html => Format::Reading(ExportFormat::Html),
        OutputFormat::Csv => Format::Reading(ExportFormat::Csv),
        OutputFormat::Xlsx => Format::Reading(ExportFormat::Xlsx),
    };
    let bytes = framewright_app::export::write(framework, &format)?.bytes;
    match &args.output {
        Some(path) => write_atomically(path, &bytes)?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes).context("writing to the screen")?;
            stdout.flush().ok();
        }
    }
    Ok(())
}

/// The role from the role file (if any) with the command-line options applied.
fn build_role(args: &Args) -> Result<Role> {
    let mut role = match &args.role {
        Some(path) => read_role_file(path)?,
        None => Role::default(),
    };
    if let Some(title) = &args.title {
        role.title = title.clone();
    }
    if role.title.trim().is_empty() {
        bail!(match &args.role {
            Some(path) => format!(
                "the role needs a title: give --title or set `title` in {}",
                path.display()
            ),
            None => "the role needs a title: give --title \"…\" (or a role file with --role)"
                .to_string(),
        });
    }
    if let Some(d) = &args.description {
        role.description = Some(d.clone());
    }
    if let Some(path) = &args.tasks {
        role.tasks.extend(read_tasks(path)?);
    }
    role.tasks.extend(args.task.iter().cloned());
    if args.grade.is_some() || args.level.is_some() {
        role.grade = args.grade;
        role.level = args.level;
    }
    if let Some(f) = &args.job_family {
        role.job_family = Some(f.clone());
    }
    if let Some(o) = &args.organisation {
        role.organisation = Some(o.clone());
    }
    if let Some(n) = args.count {
        role.target_count = Some(usize::from(n));
    }
    role.include.extend(args.include.iter().cloned());
    role.exclude.extend(args.exclude.iter().cloned());
    Ok(role)
}

fn read_role_file(path: &Path) -> Result<Role> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the role file {}", path.display()))?;
    let name = path.display();
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    if json {
        let mut de = serde_json::Deserializer::from_str(&text);
        let role: Role = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            anyhow!(
                "{name}, line {}, field `{}`: {}",
                inner.line(),
                e.path(),
                strip_position(&inner.to_string())
            )
        })?;
        Ok(role)
    } else {
        toml::from_str::<Role>(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| file::line_column(&text, s.start).0)
                .map_or(String::new(), |l| format!(", line {l}"));
            anyhow!("{name}{line}: {}", e.message().trim())
        })
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Task statements from a text file: one per line; blank lines and `#` comments skipped; list
/// bullets ("- ", "* ", "• ", "1. ", "1) ") removed.
fn read_tasks(path: &Path) -> Result<Vec<String>> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("could not read the tasks file {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = bytecount_lines(e.as_bytes(), e.utf8_error().valid_up_to());
        anyhow!(
            "{}, line {line}: the tasks file is not UTF-8 text; save it as UTF-8",
            path.display()
        )
    })?;
    let tasks: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(strip_bullet)
        .filter(|l| !l.is_empty())
        .collect();
    if tasks.is_empty() {
        bail!(
            "{}: the tasks file has no task statements; write one task per line",
            path.display()
        );
    }
    Ok(tasks)
}

fn bytecount_lines(bytes: &[u8], upto: usize) -> usize {
    bytes[..upto.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn strip_bullet(line: &str) -> String {
    let line = line.trim_start_matches(['-', '*', '•']).trim_start();
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    if digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ")) {
        rest[1..].trim().to_string()
    } else {
        line.trim().to_string()
    }
}

/// Reference roles from JSON Lines: `{"id", "title", "description"?, "competencies": [ids]}`,
/// a competency also as `{"id": …, "weight": …}`.
fn read_reference_roles(path: &Path) -> Result<Vec<ReferenceRole>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the reference roles file {}", path.display()))?;
    let name = path.display();
    let mut roles = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let at = |field: &str, message: String| match field {
            "" => anyhow!("{name}, line {n}: {message}"),
            f => anyhow!("{name}, line {n}, field `{f}`: {message}"),
        };
        let value: Value = serde_json::from_str(line).map_err(|e| {
            at(
                "",
                format!("not a JSON object ({})", strip_position(&e.to_string())),
            )
        })?;
        let object = value
            .as_object()
            .ok_or_else(|| at("", "each line must be a JSON object".to_string()))?;
        let text_field = |key: &str, required: bool| -> Result<Option<String>> {
            match object.get(key) {
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
                Some(Value::String(_)) | None if !required => Ok(None),
                Some(Value::Null) if !required => Ok(None),
                Some(Value::String(_)) | None | Some(Value::Null) => {
                    Err(at(key, "is required and must not be empty".to_string()))
                }
                Some(_) => Err(at(key, "must be text".to_string())),
            }
        };
        let id = text_field("id", true)?.unwrap_or_default();
        let title = text_field("title", true)?.unwrap_or_default();
        let description = text_field("description", false)?;
        let list = object
            .get("competencies")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                at(
                    "competencies",
                    "must be a list of competency ids".to_string(),
                )
            })?;
        let mut competencies = Vec::with_capacity(list.len());
        for (j, item) in list.iter().enumerate() {
            let field = format!("competencies[{j}]");
            let (cid, weight) = match item {
                Value::String(s) => (s.clone(), 1.0),
                Value::Object(o) => {
                    let cid = o
                        .get("id")
                        .and_then(Value::as_str)
                        .ok_or_else(|| at(&field, "needs an `id`".to_string()))?;
                    let weight = match o.get("weight") {
                        None | Some(Value::Null) => 1.0,
                        Some(w) => w
                            .as_f64()
                            .filter(|w| w.is_finite() && *w > 0.0)
                            .ok_or_else(|| {
                                at(&field, "`weight` must be a number above 0".to_string())
                            })?,
                    };
                    (cid.to_string(), weight)
                }
                _ => {
                    return Err(at(
                        &field,
                        "must be an id or {\"id\": …, \"weight\": …}".to_string(),
                    ));
                }
            };
            competencies.push(RoleCompetency {
                id: cid,
                weight,
                essential: true,
            });
        }
        roles.push(ReferenceRole {
            id,
            title,
            alt_titles: Vec::new(),
            description,
            tasks: Vec::new(),
            competencies,
        });
    }
    Ok(roles)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so that a failure
/// never leaves a half-written file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let file_name = path
        .file_name()
        .ok_or_else(|| anyhow!("{} is not a file name", path.display()))?;
    let temporary = dir.join(format!(".{}.part", file_name.to_string_lossy()));
    std::fs::write(&temporary, bytes)
        .with_context(|| format!("could not write {}", path.display()))?;
    std::fs::rename(&temporary, path).with_context(|| {
        let _ = std::fs::remove_file(&temporary);
        format!("could not write {}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_are_removed_from_tasks() {
        assert_eq!(strip_bullet("- Train models"), "Train models");
        assert_eq!(strip_bullet("12. Train models"), "Train models");
        assert_eq!(strip_bullet("3) Train"), "Train");
        assert_eq!(strip_bullet("• Train"), "Train");
        assert_eq!(strip_bullet("2024 budget review"), "2024 budget review");
    }
}
