//! `framewright hiring`: from the job analysis to selection — the assessment blueprint, cut
//! scores, category rating with veterans' preference, the direct-hire passing grade and adverse
//! impact at each selection step.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use framewright_app::job_analysis::flow::read_selection_flow;
use framewright_hiring::applicants::{
    ApplicantScores, Category, CategoryScheme, PositionContext, category_rating, passing_grade,
    total_scores,
};
use framewright_hiring::blueprint::{
    AssessmentMethod, Blueprint, DraftOptions, Severity, check_blueprint, draft_blueprint,
};
use framewright_hiring::cutscore::{AngoffJudgement, AngoffSetting, set_angoff_cut};
use framewright_hiring::impact::{ImpactOptions, adverse_impact_by_step};
use framewright_hiring::report::DocumentationReport;
use framewright_interop::document::hiring as hiring_report;
use framewright_interop::hiring::csv as hiring_csv;
use framewright_model::Grade;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::job_analysis::{format_for, read_bytes, read_toml, report_file_errors, write_output};
use crate::exit;
use crate::framework_file;

/// Assessment and selection: blueprint, cut scores, category rating, direct-hire passing grade,
/// adverse impact.
///
/// These commands take over where `framewright job-analysis analyze` ends: its JSON report is the
/// input of `hiring blueprint`, and the competencies it retained are the only ones a blueprint
/// may assess.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: HiringCommand,
}

#[derive(Debug, Subcommand)]
enum HiringCommand {
    Blueprint(BlueprintArgs),
    CategoryRating(CategoryArgs),
    PassingGrade(PassingArgs),
    Angoff(AngoffArgs),
    AdverseImpact(ImpactArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BlueprintFormat {
    Toml,
    Json,
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ResultFormat {
    Md,
    Json,
}

/// Draft an assessment blueprint from the job analysis, or check one you edited.
///
/// The draft assesses each competency the job analysis retained (critical, and linked by a
/// majority of SMEs to a critical task) with the methods you choose. Weights start in proportion
/// to each competency's mean importance and add up to 100 %; edit them in the TOML file. With a
/// framework, the required proficiency level comes from the framework's role profile at the
/// grade, and a structured interview gets the framework's interview questions with their rating
/// anchors.
///
/// With --check, the blueprint is checked against the job analysis instead: every competency
/// assessed must be retained, every retained competency assessed, weights must add up to 100, and
/// levels must be set. Exit status 1 when the check finds errors.
#[derive(Debug, ClapArgs)]
pub struct BlueprintArgs {
    /// The job-analysis report in JSON (`framewright job-analysis analyze --format json`).
    #[arg(long, value_name = "REPORT.json")]
    analysis: PathBuf,
    /// A framework file for the required levels and the interview questions.
    #[arg(long, value_name = "FRAMEWORK.toml")]
    framework: Option<PathBuf>,
    /// The grade (GS-14); by default the job analysis's grade.
    #[arg(long)]
    grade: Option<String>,
    /// Assessment methods, comma-separated: structured_interview, work_sample,
    /// occupational_questionnaire, written_test, sme_qa.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "occupational_questionnaire,structured_interview"
    )]
    methods: Vec<String>,
    /// Check this blueprint (TOML or JSON) against the job analysis instead of drafting one.
    #[arg(long, value_name = "BLUEPRINT.toml")]
    check: Option<PathBuf>,
    /// Output format: toml (to edit), json or md. By default from the -o file's extension, else
    /// toml for a draft and md for a check.
    #[arg(long, value_enum)]
    format: Option<BlueprintFormat>,
    /// Write to this file instead of the screen.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Rate applicants into quality categories, with veterans' preference.
///
/// Each applicant's total is the weighted mean of their assessment scores. The applicant goes
/// into the highest category whose lowest score the total reaches (a total exactly on the lowest
/// score belongs to that category); below the lowest category, the applicant is not qualified.
///
/// Veterans' preference (5 U.S.C. 3319; 5 CFR 337.304): within each category, preference
/// eligibles (TP, XP, CP, CPS, SSP) are listed ahead of everyone else; no points are added.
/// Qualified preference eligibles with a compensable service-connected disability of 10 % or more
/// (CP, CPS) are placed in the highest category — unless the position is scientific or
/// professional at GS-9 or above (--scientific-professional with --grade). Applicants are not
/// ranked inside a category.
#[derive(Debug, ClapArgs)]
pub struct CategoryArgs {
    /// Applicant scores, CSV: applicant_id, an optional preference column (TP, XP, CP, CPS, SSP
    /// or empty), then one column of scores per assessment.
    #[arg(long, value_name = "SCORES.csv")]
    scores: PathBuf,
    /// The categories, highest first, each with its lowest score, for example
    /// "Best Qualified=95,Well Qualified=85,Qualified=70". Fix them before the announcement.
    #[arg(long, conflicts_with = "categories_file")]
    categories: Option<String>,
    /// The categories from a TOML file ([[categories]] with name, min_score and the definition
    /// from the job analysis).
    #[arg(long, value_name = "CATEGORIES.toml")]
    categories_file: Option<PathBuf>,
    #[command(flatten)]
    weights: WeightArgs,
    /// The position's grade (GS-14).
    #[arg(long)]
    grade: Option<String>,
    /// The position is scientific or professional (for example series 1550 or 1500): at GS-9
    /// and above, disabled veterans are not moved to the highest category.
    #[arg(long)]
    scientific_professional: bool,
    /// Output format: md or json.
    #[arg(long, value_enum)]
    format: Option<ResultFormat>,
    /// Write to this file instead of the screen.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Decide qualified or not qualified under direct-hire authority.
///
/// Under direct hire, rating, ranking and veterans' preference ordering are waived: each
/// applicant is qualified when the total reaches the passing score, and the list shows no scores
/// and no ranks.
#[derive(Debug, ClapArgs)]
pub struct PassingArgs {
    /// Applicant scores, CSV: applicant_id, then one column of scores per assessment (a
    /// preference column is allowed and ignored).
    #[arg(long, value_name = "SCORES.csv")]
    scores: PathBuf,
    /// The passing score (a total at or above it is qualified).
    #[arg(long)]
    passing_score: f64,
    #[command(flatten)]
    weights: WeightArgs,
    /// Output format: md or json.
    #[arg(long, value_enum)]
    format: Option<ResultFormat>,
    /// Write to this file instead of the screen.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// How assessment scores are combined into a total.
#[derive(Debug, ClapArgs)]
struct WeightArgs {
    /// Weights per assessment column, for example "occupational_questionnaire=40,structured_interview=60".
    /// Without weights, every assessment column counts equally.
    #[arg(long, conflicts_with = "blueprint")]
    weights: Option<String>,
    /// Take the weights per method from a blueprint (score columns named after the methods:
    /// structured_interview, work_sample, occupational_questionnaire, written_test, sme_qa).
    #[arg(long, value_name = "BLUEPRINT.toml")]
    blueprint: Option<PathBuf>,
}

/// Set a cut score by the modified Angoff method, and record who set it and when.
///
/// Each judge (an SME who knows the work) estimates, for every item of the assessment, the
/// probability that a minimally competent candidate — one who is just good enough to do the job —
/// answers it correctly (0 to 1). A judge's cut is the sum of their estimates; the panel's cut is
/// the mean of the judges' cuts, with its standard error. Give the assessment's score SD and
/// reliability to get the standard error of measurement (SEM), and --lower-by-sem to lower the
/// cut by that many SEMs so that no candidate fails by measurement error alone (Biddle 1993
/// recommends 1 to 3 for employment tests).
///
/// Judges who skipped an item are left out and named.
#[derive(Debug, ClapArgs)]
pub struct AngoffArgs {
    /// Judgements, CSV with the columns judge_id,item_id,judgement (one row per judge and item).
    #[arg(long, value_name = "JUDGEMENTS.csv")]
    judgements: PathBuf,
    /// Who sets the cut (name or role); kept in the record.
    #[arg(long)]
    set_by: String,
    /// The assessment the cut is for.
    #[arg(long, default_value = "Assessment")]
    assessment: String,
    /// Why this cut, in your words; kept in the record.
    #[arg(long)]
    rationale: Option<String>,
    /// Standard deviation of total scores on the assessment (for the SEM).
    #[arg(long, requires = "reliability")]
    test_sd: Option<f64>,
    /// Reliability of the assessment, 0 to 1 (Cronbach's alpha or KR-20; for the SEM).
    #[arg(long, requires = "test_sd")]
    reliability: Option<f64>,
    /// Lower the recommended cut by this many SEMs (needs --test-sd and --reliability).
    #[arg(long)]
    lower_by_sem: Option<f64>,
    /// Width of the bands in standard errors (1; 1.96 for 95 %).
    #[arg(long, default_value_t = 1.0)]
    band: f64,
    /// The judgements are expected item scores (items scored in points), not probabilities.
    #[arg(long)]
    expected_scores: bool,
    /// When the cut was set (RFC 3339, for example 2026-03-02T14:00:00Z); now by default.
    #[arg(long, value_name = "DATE-TIME")]
    set_at: Option<String>,
    /// Output format: md or json (the record to keep).
    #[arg(long, value_enum)]
    format: Option<ResultFormat>,
    /// Write to this file instead of the screen.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Check each step of a selection process for adverse impact (four-fifths rule, Fisher's exact
/// test, two-proportion z-test), and the process as a whole.
///
/// One row per applicant: applicant_id, a group column (for example sex or race_ethnicity; empty
/// when not reported), then one column per selection step in order, each pass or fail (yes/no,
/// 1/0), or empty when the applicant did not reach the step. Each step compares only the
/// applicants who reached it; the whole process compares those who entered the first step with
/// those who passed every step.
///
/// A group whose pass rate is below four-fifths of the highest group's rate is flagged (29 CFR
/// 1607.4D); a ratio of exactly 0.80 is not. With small groups the rule is unstable: read it with
/// the tests and the warnings. Exit status 1 when any step shows adverse impact.
///
/// For a single step from a file with a selected column, `framewright stats adverse-impact` does
/// the same comparison.
#[derive(Debug, ClapArgs)]
pub struct ImpactArgs {
    /// The applicant flow, CSV.
    #[arg(long, value_name = "FLOW.csv")]
    flow: PathBuf,
    /// The column with each applicant's group.
    #[arg(long, default_value = "group")]
    group: String,
    /// The step columns, in order (comma-separated); by default every other column.
    #[arg(long, value_delimiter = ',')]
    steps: Option<Vec<String>>,
    /// Impact ratio below which a group is flagged.
    #[arg(long, default_value_t = 0.8)]
    threshold: f64,
    /// Groups smaller than this get a small-sample warning.
    #[arg(long, default_value_t = 30)]
    small_group: u64,
    /// Significance level of the tests.
    #[arg(long, default_value_t = 0.05)]
    significance: f64,
    /// Output format: md or json.
    #[arg(long, value_enum)]
    format: Option<ResultFormat>,
    /// Write to this file instead of the screen.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        HiringCommand::Blueprint(a) => blueprint(a),
        HiringCommand::CategoryRating(a) => categories(a),
        HiringCommand::PassingGrade(a) => passing(a),
        HiringCommand::Angoff(a) => angoff(a),
        HiringCommand::AdverseImpact(a) => impact(a),
    }
}

fn parse_grade(text: Option<&str>) -> Result<Option<Grade>> {
    text.map(|g| {
        g.parse::<Grade>()
            .map_err(|e| anyhow::anyhow!("--grade: {e}"))
    })
    .transpose()
}

fn read_report(path: &std::path::Path) -> Result<DocumentationReport> {
    let bytes = read_bytes(path)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: not a job-analysis report in JSON ({e}); write one with `framewright job-analysis analyze --format json`",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

fn read_blueprint(path: &std::path::Path) -> Result<Blueprint> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        let bytes = read_bytes(path)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}:{}: not a blueprint: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })
    } else {
        read_toml(path, "blueprint")
    }
}

fn blueprint(args: BlueprintArgs) -> Result<ExitCode> {
    let report = read_report(&args.analysis)?;
    let framework = args
        .framework
        .as_deref()
        .map(framework_file::read_framework)
        .transpose()?;
    let scale_max = framework.as_ref().map(|f| f.scale.max_level()).or(Some(5));
    if let Some(path) = &args.check {
        let bp = read_blueprint(path)?;
        let issues = check_blueprint(&bp, &report.competencies, scale_max);
        let format = format_for(args.format, args.output.as_deref(), BlueprintFormat::Md);
        let text = match format {
            BlueprintFormat::Json => format!("{}\n", serde_json::to_string_pretty(&issues)?),
            BlueprintFormat::Md | BlueprintFormat::Toml => {
                let mut text = hiring_report::blueprint_markdown(&bp, &issues);
                if issues.is_empty() {
                    text.push_str("The blueprint agrees with the job analysis.\n");
                }
                text
            }
        };
        write_output(args.output.as_deref(), &text)?;
        let errors = issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        eprintln!(
            "{}: {errors} error(s), {} warning(s)",
            path.display(),
            issues.len() - errors
        );
        return Ok(if errors > 0 {
            ExitCode::from(exit::FINDINGS)
        } else {
            ExitCode::SUCCESS
        });
    }
    let methods: Vec<AssessmentMethod> = args
        .methods
        .iter()
        .map(|m| m.parse::<AssessmentMethod>())
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("--methods: {e}"))?;
    let grade = parse_grade(args.grade.as_deref())?.or(report.job.grade);
    let bp = draft_blueprint(
        &report.competencies,
        DraftOptions {
            position: &report.job.title,
            grade,
            methods: &methods,
            framework: framework.as_ref(),
        },
    )
    .with_context(|| format!("drafting a blueprint from {}", args.analysis.display()))?;
    let format = format_for(args.format, args.output.as_deref(), BlueprintFormat::Toml);
    let text = match format {
        BlueprintFormat::Toml => format!(
            "# Assessment blueprint drafted by Framewright from {}.\n# Edit methods, weights (percent of the total score; they must add up to 100) and levels,\n# then check it: framewright hiring blueprint --analysis REPORT.json --check THIS_FILE\n\n{}",
            args.analysis.display(),
            toml::to_string(&bp).context("writing the blueprint")?
        ),
        BlueprintFormat::Json => format!("{}\n", serde_json::to_string_pretty(&bp)?),
        BlueprintFormat::Md => hiring_report::blueprint_markdown(&bp, &[]),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// Parses "Name=95,Other=85".
fn parse_categories(text: &str) -> Result<CategoryScheme> {
    let mut categories = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, score)) = part.rsplit_once('=') else {
            bail!(
                "--categories: \"{part}\" should be NAME=LOWEST_SCORE, for example \"Well Qualified=85\""
            );
        };
        let min_score = score.trim().parse::<f64>().map_err(|_| {
            anyhow::anyhow!(
                "--categories: \"{}\" in \"{part}\" is not a number",
                score.trim()
            )
        })?;
        categories.push(Category {
            name: name.trim().to_string(),
            min_score,
            definition: None,
        });
    }
    Ok(CategoryScheme { categories })
}

/// Parses "a=40,b=60".
fn parse_weights(text: &str) -> Result<BTreeMap<String, f64>> {
    let mut weights = BTreeMap::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, w)) = part.rsplit_once('=') else {
            bail!(
                "--weights: \"{part}\" should be ASSESSMENT=WEIGHT, for example \"structured_interview=60\""
            );
        };
        let weight = w
            .trim()
            .parse::<f64>()
            .map_err(|_| anyhow::anyhow!("--weights: \"{}\" is not a number", w.trim()))?;
        if weights.insert(name.trim().to_string(), weight).is_some() {
            bail!("--weights: \"{}\" is given twice", name.trim());
        }
    }
    Ok(weights)
}

/// The applicants and the weights to combine their scores with.
type Scored = (Vec<ApplicantScores>, BTreeMap<String, f64>);

/// Reads the scores file and the weights; `Err(status)` when the file had problems (already
/// printed).
fn scores_and_weights(
    scores: &std::path::Path,
    weights: &WeightArgs,
) -> Result<std::result::Result<Scored, ExitCode>> {
    let bytes = read_bytes(scores)?;
    let parsed = match hiring_csv::read_applicant_scores(&scores.display().to_string(), &bytes) {
        Ok(p) => p,
        Err(e) => return Ok(Err(report_file_errors(&[e]))),
    };
    let columns: Vec<String> = parsed
        .records
        .first()
        .map(|a| a.scores.keys().cloned().collect())
        .unwrap_or_default();
    let weights = match (&weights.weights, &weights.blueprint) {
        (Some(text), _) => parse_weights(text)?,
        (None, Some(path)) => read_blueprint(path)?
            .method_weights()
            .into_iter()
            .map(|(m, w)| (m.id().to_string(), w))
            .collect(),
        (None, None) => columns.iter().map(|c| (c.clone(), 1.0)).collect(),
    };
    for name in weights.keys() {
        if !columns.is_empty() && !columns.contains(name) {
            bail!(
                "{}: there is no score column \"{name}\" for the weight given (the score columns are: {})",
                scores.display(),
                columns.join(", ")
            );
        }
    }
    Ok(Ok((parsed.records, weights)))
}

fn categories(args: CategoryArgs) -> Result<ExitCode> {
    let scheme = match (&args.categories, &args.categories_file) {
        (Some(text), _) => parse_categories(text)?,
        (None, Some(path)) => read_toml(path, "category file")?,
        (None, None) => bail!(
            "give the categories with --categories \"Best Qualified=95,Well Qualified=85,Qualified=70\" or --categories-file; they must be defined from the job analysis before the announcement (5 CFR 337.303)"
        ),
    };
    scheme.validate()?;
    let (applicants, weights) = match scores_and_weights(&args.scores, &args.weights)? {
        Ok(v) => v,
        Err(code) => return Ok(code),
    };
    let totals = total_scores(&applicants, &weights)
        .with_context(|| format!("combining the scores of {}", args.scores.display()))?;
    let position = PositionContext {
        grade: parse_grade(args.grade.as_deref())?,
        scientific_professional: args.scientific_professional,
    };
    let result = category_rating(&totals, &scheme, position)?;
    let text = match format_for(args.format, args.output.as_deref(), ResultFormat::Md) {
        ResultFormat::Json => format!("{}\n", serde_json::to_string_pretty(&result)?),
        ResultFormat::Md => hiring_report::category_rating_markdown(&result),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn passing(args: PassingArgs) -> Result<ExitCode> {
    let (applicants, weights) = match scores_and_weights(&args.scores, &args.weights)? {
        Ok(v) => v,
        Err(code) => return Ok(code),
    };
    let totals = total_scores(&applicants, &weights)
        .with_context(|| format!("combining the scores of {}", args.scores.display()))?;
    let result = passing_grade(&totals, args.passing_score)
        .map_err(|e| anyhow::anyhow!("--passing-score: {e}"))?;
    let text = match format_for(args.format, args.output.as_deref(), ResultFormat::Md) {
        ResultFormat::Json => format!("{}\n", serde_json::to_string_pretty(&result)?),
        ResultFormat::Md => hiring_report::passing_grade_markdown(&result),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn angoff(args: AngoffArgs) -> Result<ExitCode> {
    let bytes = read_bytes(&args.judgements)?;
    let parsed =
        match hiring_csv::read_angoff_judgements(&args.judgements.display().to_string(), &bytes) {
            Ok(p) => p,
            Err(e) => return Ok(report_file_errors(&[e])),
        };
    let judgements: Vec<AngoffJudgement> = parsed
        .records
        .iter()
        .map(|r| AngoffJudgement {
            judge: r.judge.clone(),
            item: r.item.clone(),
            judgement: r.judgement,
        })
        .collect();
    let set_at = match &args.set_at {
        Some(text) => OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|_| {
            anyhow::anyhow!(
                "--set-at: \"{text}\" is not a date and time; write it as 2026-03-02T14:00:00Z"
            )
        })?,
        None => OffsetDateTime::now_utc(),
    };
    let setting = AngoffSetting {
        assessment: args.assessment.clone(),
        set_by: args.set_by.clone(),
        rationale: args.rationale.clone(),
        band_z: args.band,
        test_sd: args.test_sd,
        reliability: args.reliability,
        lower_by_sem: args.lower_by_sem,
        expected_scores: args.expected_scores,
    };
    let record = set_angoff_cut(&judgements, &setting, set_at)
        .with_context(|| format!("{}: no cut score was set", args.judgements.display()))?;
    let text = match format_for(args.format, args.output.as_deref(), ResultFormat::Md) {
        ResultFormat::Json => format!("{}\n", serde_json::to_string_pretty(&record)?),
        ResultFormat::Md => hiring_report::cut_score_markdown(&record),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn impact(args: ImpactArgs) -> Result<ExitCode> {
    let bytes = read_bytes(&args.flow)?;
    let flow = match read_selection_flow(
        &args.flow.display().to_string(),
        &bytes,
        &args.group,
        args.steps.as_deref(),
    ) {
        Ok(f) => f,
        Err(e) => return Ok(report_file_errors(&[e])),
    };
    let options = ImpactOptions {
        threshold: args.threshold,
        small_group: args.small_group,
        significance: args.significance,
    };
    let report = adverse_impact_by_step(&flow, &options)
        .with_context(|| format!("{}: adverse impact", args.flow.display()))?;
    let text = match format_for(args.format, args.output.as_deref(), ResultFormat::Md) {
        ResultFormat::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
        ResultFormat::Md => hiring_report::impact_markdown(&report),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(if report.any_adverse_impact() {
        ExitCode::from(exit::FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}
