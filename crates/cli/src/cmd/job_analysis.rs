//! `framewright job-analysis`: analyse SME ratings of tasks and competencies the way OPM's
//! job-analysis method does (DEOH Appendix G), and write the documentation report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use framewright_app::job_analysis::rating_files::{self, Completion, RatingFile, RatingFileSet};
use framewright_hiring::AnalysisParameters;
use framewright_hiring::survey::JobAnalysis;
use framewright_interop::document::hiring as hiring_report;
use framewright_interop::hiring::csv::CsvFileError;

use crate::exit;
use crate::framework_file;

/// Run a job analysis from SME ratings and write the documentation report.
///
/// A job analysis is what 5 CFR 300.103 asks every hiring practice to rest on: subject-matter
/// experts (SMEs) rate the tasks of the position and the competencies it needs, and link the
/// competencies to the critical tasks. Framewright applies OPM's rules (Delegated Examining
/// Operations Handbook, Appendix G) to the ratings and documents every decision.
///
/// Start with `framewright job-analysis template` to get example files.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: JobAnalysisCommand,
}

#[derive(Debug, Subcommand)]
enum JobAnalysisCommand {
    Analyze(Box<AnalyzeArgs>),
    Template(TemplateArgs),
}

/// Analyse SME ratings with OPM's rules and write the documentation report.
///
/// The rules (all changeable with --parameters; the defaults are OPM's):
///
/// - a task that at least half of the SMEs rate 0 = Not performed (on importance or frequency)
///   is dropped;
/// - means leave out the Not performed ratings; a blank or "don't know" is not counted at all;
/// - a task is critical when its mean importance and its mean frequency are both at least 3.0;
/// - a competency is critical when its mean importance is at least 3.0 and at least 50 % of the
///   SMEs say it is needed at entry;
/// - a critical competency is retained for assessment when a majority of the SMEs link it to at
///   least one critical task.
///
/// Every mean comes with n, the standard deviation and rwg (agreement among the SMEs); each scale
/// with an intraclass correlation. Every decision names the rule and the threshold that made it.
///
/// If a rating file has a problem, every problem is listed with its file, line and column, and
/// nothing is analysed (exit status 2).
#[derive(Debug, ClapArgs)]
pub struct AnalyzeArgs {
    /// Task ratings, CSV with the columns sme_id,task_id,importance,frequency. Importance and
    /// frequency are 0 (Not performed) to 5; leave a cell empty for "don't know".
    #[arg(long, value_name = "TASK_RATINGS.csv")]
    tasks: PathBuf,
    /// Competency ratings, CSV with the columns
    /// sme_id,competency_id,importance,needed_at_entry[,distinguishing_value]. Importance is 1 to
    /// 5; needed_at_entry is yes/no (or 1/0); distinguishing_value is optional.
    #[arg(long, value_name = "COMPETENCY_RATINGS.csv")]
    competencies: PathBuf,
    /// Linkage judgements, CSV with the columns sme_id,task_id,competency_id,linked (yes/no).
    /// Without it, the report shows which competencies are critical; which are retained waits for
    /// the linkage.
    #[arg(long, value_name = "LINKS.csv")]
    linkage: Option<PathBuf>,
    /// The job analysis description (TOML): position, grade, series, task statements, competency
    /// names, the SMEs' qualifications and your answers to OPM's AI-work criteria. Without it,
    /// the report knows the tasks, competencies and SMEs only by their ids.
    #[arg(long, value_name = "JOB.toml")]
    job: Option<PathBuf>,
    /// Thresholds to use instead of OPM's defaults (TOML; see `job-analysis template parameters`).
    #[arg(long, value_name = "FILE.toml")]
    parameters: Option<PathBuf>,
    /// A framework file to take competency names and definitions from.
    #[arg(long, value_name = "FRAMEWORK.toml")]
    framework: Option<PathBuf>,
    /// The position's title, when there is no job file.
    #[arg(long)]
    title: Option<String>,
    /// Report format: md (Markdown), html (a printable page) or json (for other programs). By
    /// default taken from the -o file's extension, else md.
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Write the report to this file instead of the screen.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The date to print on the report (YYYY-MM-DD); today by default.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    Md,
    Html,
    Json,
}

/// Print an example file to start from: the job analysis description, the parameters with OPM's
/// defaults, or a rating file with its header.
///
/// For example: `framewright job-analysis template job > job.toml`, then edit it.
#[derive(Debug, ClapArgs)]
pub struct TemplateArgs {
    /// Which file: job (the job analysis description), parameters (OPM's default thresholds),
    /// tasks, competencies or linkage (rating files with their header and example rows).
    #[arg(value_enum)]
    which: Template,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Template {
    Job,
    Parameters,
    Tasks,
    Competencies,
    Linkage,
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        JobAnalysisCommand::Analyze(a) => analyze_command(*a),
        JobAnalysisCommand::Template(t) => template(t),
    }
}

/// Reads a whole file, naming it in the error.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

/// Reads a TOML file into `T`, with the file, line and column of a problem.
pub(crate) fn read_toml<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let bytes = read_bytes(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: the file is not UTF-8 text", path.display()))?;
    toml::from_str(&text).map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(":{line}:{column}")
            })
            .unwrap_or_default();
        anyhow::anyhow!(
            "{}{place}: not a valid {what}: {}",
            path.display(),
            e.message()
        )
    })
}

/// Prints every problem of the files and returns the bad-input status.
pub(crate) fn report_file_errors(errors: &[CsvFileError]) -> ExitCode {
    let mut count = 0;
    for e in errors {
        eprintln!("{e}");
        count += e.problems.len() + e.more;
    }
    eprintln!(
        "{count} problem(s); nothing was analysed. Correct the file(s) and run the command again."
    );
    ExitCode::from(exit::BAD_INPUT)
}

/// Writes `text` to `output` (atomically) or to standard output.
pub(crate) fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => framework_file::write_atomically(path, text.as_bytes()),
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("could not write the output"),
            }
        }
    }
}

/// The format asked for, or the one the output file's extension names, or `fallback`.
pub(crate) fn format_for<F: ValueEnum + Copy>(
    asked: Option<F>,
    output: Option<&Path>,
    fallback: F,
) -> F {
    asked
        .or_else(|| {
            let ext = output?.extension()?.to_str()?.to_ascii_lowercase();
            let ext = if ext == "markdown" {
                "md".to_string()
            } else {
                ext
            };
            F::from_str(&ext, true).ok()
        })
        .unwrap_or(fallback)
}

/// Today's date, or the one given.
pub(crate) fn date_or_today(date: Option<&str>) -> Result<time::Date> {
    match date {
        Some(text) => time::Date::parse(
            text.trim(),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|_| anyhow::anyhow!("--date: \"{text}\" is not a date; write it as YYYY-MM-DD")),
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

fn analyze_command(args: AnalyzeArgs) -> Result<ExitCode> {
    let parameters: AnalysisParameters = match &args.parameters {
        Some(path) => {
            let p: AnalysisParameters = read_toml(path, "parameters file")?;
            p.validate()
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            p
        }
        None => AnalysisParameters::default(),
    };
    let mut job: JobAnalysis = match &args.job {
        Some(path) => read_toml(path, "job analysis file")?,
        None => JobAnalysis::new(
            "job-analysis",
            args.title
                .clone()
                .unwrap_or_else(|| "Untitled position".to_string()),
        ),
    };
    if let (Some(title), Some(_)) = (&args.title, &args.job) {
        job.title = title.clone();
    }
    let date = date_or_today(args.date.as_deref())?;

    // Read every file before judging any: all problems are reported at once.
    let name = |p: &Path| p.display().to_string();
    let task_bytes = read_bytes(&args.tasks)?;
    let competency_bytes = read_bytes(&args.competencies)?;
    let linkage_bytes = args.linkage.as_deref().map(read_bytes).transpose()?;
    let (task_name, competency_name) = (name(&args.tasks), name(&args.competencies));
    let linkage_name = args.linkage.as_deref().map(name);
    let files = RatingFileSet {
        tasks: RatingFile {
            name: &task_name,
            bytes: &task_bytes,
        },
        competencies: RatingFile {
            name: &competency_name,
            bytes: &competency_bytes,
        },
        linkage: linkage_name
            .as_deref()
            .zip(linkage_bytes.as_deref())
            .map(|(name, bytes)| RatingFile { name, bytes }),
    };
    let tables = match rating_files::read(files, &parameters) {
        Ok(t) => t,
        Err(errors) => return Ok(report_file_errors(&errors)),
    };
    let ratings = tables.ratings();

    // The inventory: what the job file lists; what it leaves empty comes from the ratings.
    rating_files::complete(&mut job, &ratings, Completion::EmptyLists);
    if let Some(path) = &args.framework {
        name_from_framework(&mut job, &framework_file::read_framework(path)?);
    }
    if let Err(located) = tables.check(&job, &ratings, &parameters) {
        return Ok(report_file_errors(&located));
    }
    let report = framewright_app::job_analysis::document(&job, &ratings, &parameters, None, date)
        .map_err(|e| match &args.job {
        Some(path) => anyhow::anyhow!("{}: {e}", path.display()),
        None => anyhow::anyhow!("{e}"),
    })?;
    let format = format_for(args.format, args.output.as_deref(), ReportFormat::Md);
    let text = match format {
        ReportFormat::Json => hiring_report::report_json(&report)?,
        ReportFormat::Md => hiring_report::report_markdown(&report),
        ReportFormat::Html => hiring_report::report_html(&report),
    };
    write_output(args.output.as_deref(), &text)?;
    if let Some(path) = &args.output {
        eprintln!(
            "{}: {} critical task(s), {} critical competenc{}, {} — report written.",
            path.display(),
            report.summary.tasks_critical,
            report.summary.competencies_critical,
            if report.summary.competencies_critical == 1 {
                "y"
            } else {
                "ies"
            },
            match report.summary.competencies_retained {
                Some(n) => format!("{n} retained"),
                None => "retention pending the linkage ratings".to_string(),
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Names and defines the job's competencies from `framework` where the job leaves them out.
fn name_from_framework(job: &mut JobAnalysis, framework: &framewright_model::Framework) {
    for c in &mut job.competencies {
        if let Some(fc) = framework.competency(&c.id).or_else(|| {
            framework
                .competencies
                .iter()
                .find(|f| f.source.as_ref().is_some_and(|s| s.id == c.id))
        }) {
            c.name.get_or_insert_with(|| fc.name.clone());
            if c.definition.is_none() {
                c.definition = fc.definition.clone();
            }
        }
    }
    if job.framework.is_none() {
        job.framework = Some(framewright_hiring::survey::FrameworkRef {
            id: framework.id.clone(),
            title: Some(framework.title.clone()),
            version: Some(framework.version.to_string()),
        });
    }
}

/// `{ at_least = 0.5 }`
fn cutoff_toml(c: framewright_hiring::Cutoff) -> String {
    let value = c.value();
    let number = if value.fract() == 0.0 {
        format!("{value:.1}")
    } else {
        value.to_string()
    };
    match c {
        framewright_hiring::Cutoff::AtLeast(_) => format!("{{ at_least = {number} }}"),
        framewright_hiring::Cutoff::MoreThan(_) => format!("{{ more_than = {number} }}"),
    }
}

/// The parameters as a commented TOML file.
fn parameters_template(p: &AnalysisParameters) -> Result<String> {
    use framewright_hiring::parameters::rule;
    let statements = p.rule_statements();
    let say = |id: &str| {
        statements
            .iter()
            .find(|(r, _)| *r == id)
            .map(|(_, s)| format!("# {s}\n"))
            .unwrap_or_default()
    };
    let mut text = String::from(
        "# Thresholds of the job analysis, with OPM's defaults (Delegated Examining Operations\n# Handbook, Appendix G). Change a value and pass the file with --parameters; leave out what\n# you do not change. A threshold is { at_least = X } or { more_than = X }; shares are\n# fractions of the SMEs who answered (0.5 = 50 %), means are on the 1-5 scales.\n\n[task]\n",
    );
    text.push_str(&say(rule::TASK_DROP));
    text.push_str(&format!(
        "drop_when_not_performed_share = {}\n",
        cutoff_toml(p.task.drop_when_not_performed_share)
    ));
    text.push_str(&say(rule::TASK_IMPORTANCE));
    text.push_str(&format!(
        "critical_when_mean_importance = {}\n",
        cutoff_toml(p.task.critical_when_mean_importance)
    ));
    text.push_str(&say(rule::TASK_FREQUENCY));
    text.push_str(&format!(
        "critical_when_mean_frequency = {}\n\n[competency]\n",
        cutoff_toml(p.task.critical_when_mean_frequency)
    ));
    text.push_str(&say(rule::COMPETENCY_IMPORTANCE));
    text.push_str(&format!(
        "critical_when_mean_importance = {}\n",
        cutoff_toml(p.competency.critical_when_mean_importance)
    ));
    text.push_str(&say(rule::COMPETENCY_ENTRY));
    text.push_str(&format!(
        "critical_when_needed_at_entry_share = {}\n",
        cutoff_toml(p.competency.critical_when_needed_at_entry_share)
    ));
    match p.competency.critical_when_mean_distinguishing_value {
        Some(c) => text.push_str(&format!(
            "critical_when_mean_distinguishing_value = {}\n",
            cutoff_toml(c)
        )),
        None => text.push_str("# Optional: also require a mean distinguishing value (OPM sets no threshold).\n# critical_when_mean_distinguishing_value = { at_least = 3.0 }\n"),
    }
    text.push_str("\n[linkage]\n");
    text.push_str(&say(rule::LINKAGE));
    text.push_str(&format!(
        "retain_when_linking_share = {}\n\n[agreement]\n# Confidence level of the ICC intervals.\nicc_confidence = {}\n\n",
        cutoff_toml(p.linkage.retain_when_linking_share),
        p.agreement.icc_confidence
    ));
    #[derive(serde::Serialize)]
    struct Scale<'a> {
        distinguishing_value_scale: &'a framewright_hiring::scales::RatingScale,
    }
    text.push_str("# The distinguishing-value scale SMEs answer. OPM publishes no anchors for it; these are\n# Framewright's. Replace them with your agency's (values numbered without gaps).\n");
    text.push_str(
        &toml::to_string(&Scale {
            distinguishing_value_scale: &p.distinguishing_value_scale,
        })
        .context("writing the distinguishing-value scale")?,
    );
    Ok(text)
}

const JOB_TEMPLATE: &str = include_str!("../../templates/job-analysis.toml");

fn template(args: TemplateArgs) -> Result<ExitCode> {
    let text = match args.which {
        Template::Job => JOB_TEMPLATE.to_string(),
        Template::Parameters => parameters_template(&AnalysisParameters::default())?,
        Template::Tasks => "sme_id,task_id,importance,frequency\nSME-1,T01,5,4\nSME-1,T02,0,0\nSME-2,T01,4,4\nSME-2,T02,3,\n".to_string(),
        Template::Competencies => "sme_id,competency_id,importance,needed_at_entry,distinguishing_value\nSME-1,data-analysis,5,yes,4\nSME-2,data-analysis,4,yes,\n".to_string(),
        Template::Linkage => "sme_id,task_id,competency_id,linked\nSME-1,T01,data-analysis,yes\nSME-2,T01,data-analysis,no\n".to_string(),
    };
    if text.is_empty() {
        bail!("empty template");
    }
    write_output(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
