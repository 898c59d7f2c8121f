//! Job analyses (issue 7): the analysis with its task inventory and competency list, the SME
//! panel invited by private links, ratings (from the survey or imported from CSV), closing the
//! survey, the analysis with OPM's named parameters, the documentation report, the assessment
//! blueprint, Angoff cut scores, applicants with category rating, and adverse impact.
//!
//! The domain work is `framewright-hiring`'s; CSV reading and the report's HTML are
//! `framewright-interop`'s. Designers and owners change; reviewers and viewers read. The SME
//! survey (`/survey/{token}`) needs no account: the link's token is the key, and only its
//! SHA-256 hash is stored.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use framewright_hiring::ai_work::AiWorkAnswers;
use framewright_hiring::analysis::Analysis;
use framewright_hiring::applicants::{
    ApplicantScores, CategoryRating, CategoryScheme, PositionContext, category_rating, total_scores,
};
use framewright_hiring::blueprint::{
    AssessmentMethod, Blueprint, DraftOptions, check_blueprint, draft_blueprint,
};
use framewright_hiring::cutscore::{AngoffJudgement, AngoffSetting, set_angoff_cut};
use framewright_hiring::impact::{ImpactOptions, SelectionFlow, adverse_impact_by_step};
use framewright_hiring::report::{DocumentationReport, documentation_report};
use framewright_hiring::survey::{
    CompetencyRating, FrameworkRef, JobAnalysis, JobCompetency, LinkageRating, RatingList,
    RatingProblem, Ratings, Sme, SmeResponse, Task, TaskRating, TaskSource, validate_ratings,
};
use framewright_hiring::{AnalysisParameters, analyze, scales};
use framewright_interop::hiring_csv::{self, CsvFileError, RatingFiles};
use framewright_interop::hiring_report;
use framewright_store::job_analysis::{
    ApplicantRecord, JobAnalysisRecord, NewJobAnalysis, NewSme, SmeRecord, SurveyStatus,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Caller, random_hex, sha256_hex};
use crate::dto::rfc3339;
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// A job analysis's path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AnalysisPath {
    /// The job analysis's id.
    pub analysis_id: Uuid,
}

/// A survey link's path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SurveyPath {
    /// The private token from the SME's link.
    pub token: String,
}

/// A task of the inventory as sent.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    /// Id (`T01`); given in order when left out.
    #[serde(default)]
    pub id: Option<String>,
    /// What is done ("Designs experiments to evaluate model robustness").
    pub statement: String,
}

/// A competency of the list as sent.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetencyBody {
    /// Id (the framework's competency id).
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Definition.
    #[serde(default)]
    pub definition: Option<String>,
}

/// A new job analysis.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAnalysisBody {
    /// The position ("AI Research Scientist, GS-14").
    pub title: String,
    /// Grade (`GS-14`).
    #[serde(default)]
    pub grade: Option<String>,
    /// Occupational series (`1550`).
    #[serde(default)]
    pub series: Option<String>,
    /// What the position does.
    #[serde(default)]
    pub description: Option<String>,
    /// Which positions the analysis covers.
    #[serde(default)]
    pub positions_covered: Option<String>,
    /// The framework the competency list comes from.
    #[serde(default)]
    pub framework_id: Option<Uuid>,
    /// The task inventory.
    #[serde(default)]
    pub tasks: Vec<TaskBody>,
    /// The competency list; empty with a framework: the framework's competencies.
    #[serde(default)]
    pub competencies: Vec<CompetencyBody>,
    /// Thresholds; OPM's defaults when left out.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub parameters: Option<AnalysisParameters>,
}

/// A new inventory.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InventoryBody {
    /// The task inventory (replaces the current one when given).
    #[serde(default)]
    pub tasks: Option<Vec<TaskBody>>,
    /// The competency list (replaces the current one when given).
    #[serde(default)]
    pub competencies: Option<Vec<CompetencyBody>>,
    /// Take the competency list from the analysis's framework.
    #[serde(default)]
    pub competencies_from_framework: bool,
    /// Let the generator suggest the competency list for the analysis's title, description,
    /// grade and task inventory (the same selection as `POST /frameworks/generate`); SMEs then
    /// confirm or reject each one in the survey.
    #[serde(default)]
    pub competencies_from_tasks: bool,
}

/// SMEs to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    /// One entry per SME.
    pub smes: Vec<InviteSme>,
}

/// One SME to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteSme {
    /// Anonymised id for the report (`SME-1`); given in order when left out. Never a name.
    #[serde(default)]
    pub label: Option<String>,
    /// Qualifications, as the report shows them ("Senior research scientist, 12 years").
    #[serde(default)]
    pub qualifications: Option<String>,
}

/// An SME's private link, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitedSme {
    /// Panel member id.
    pub id: Uuid,
    /// Anonymised id.
    pub label: String,
    /// The private token (only its hash is kept: it cannot be shown again).
    pub token: String,
    /// The survey page: send it to the SME.
    pub link: String,
}

/// A panel member.
#[derive(Debug, Serialize, ToSchema)]
pub struct SmeInfo {
    /// Id.
    pub id: Uuid,
    /// Anonymised id.
    pub label: String,
    /// Qualifications.
    pub qualifications: Option<String>,
    /// Whether the SME answers through a private link (not imported).
    pub has_link: bool,
    /// Invited or imported (RFC 3339).
    pub created_at: String,
    /// Last answer saved (RFC 3339).
    pub responded_at: Option<String>,
}

impl From<SmeRecord> for SmeInfo {
    fn from(s: SmeRecord) -> Self {
        SmeInfo {
            id: s.id,
            label: s.label,
            qualifications: s.qualifications,
            has_link: s.has_link,
            created_at: rfc3339(s.created_at),
            responded_at: s.responded_at.map(rfc3339),
        }
    }
}

/// A job analysis.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnalysisInfo {
    /// Id.
    pub id: Uuid,
    /// The framework.
    pub framework_id: Option<Uuid>,
    /// `open` (SMEs answer) or `closed`.
    pub status: String,
    /// Position, inventory, competency list and AI-work answers.
    #[schema(value_type = Object)]
    pub job: Value,
    /// The thresholds in use.
    #[schema(value_type = Object)]
    pub parameters: Value,
    /// The panel.
    pub smes: Vec<SmeInfo>,
    /// SMEs who answered.
    pub responded: usize,
    /// Whether a blueprint is stored.
    pub has_blueprint: bool,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
    /// When the survey closed (RFC 3339).
    pub closed_at: Option<String>,
}

/// A job analysis as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnalysisSummary {
    /// Id.
    pub id: Uuid,
    /// Position.
    pub title: String,
    /// Grade.
    pub grade: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    /// Panel size.
    pub smes: i64,
    /// SMEs who answered.
    pub responded: i64,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// A page of job analyses.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnalysisPage {
    /// The items on this page.
    pub items: Vec<AnalysisSummary>,
    /// Items in the whole list.
    pub total: i64,
}

/// Rating files to import (CSV text, as the CLI reads them).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// `sme_id,task_id,importance,frequency`.
    pub tasks_csv: String,
    /// `sme_id,competency_id,importance,needed_at_entry[,distinguishing_value]`.
    pub competencies_csv: String,
    /// `sme_id,task_id,competency_id,linked`.
    #[serde(default)]
    pub linkage_csv: Option<String>,
}

/// What an import stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// SMEs whose answers were imported.
    pub smes: usize,
    /// Task ratings.
    pub task_ratings: usize,
    /// Competency ratings.
    pub competency_ratings: usize,
    /// Links.
    pub links: usize,
}

/// Report format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `json` (default) or `html`.
    pub format: Option<String>,
}

/// A blueprint: drafted from the methods, or given whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlueprintBody {
    /// Draft with these methods for every retained competency (`structured-interview`,
    /// `work-sample`, `occupational-questionnaire`, `written-test`, `sme-qa`).
    #[serde(default)]
    pub methods: Vec<String>,
    /// Or the whole blueprint, edited.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub blueprint: Option<Blueprint>,
}

/// A blueprint with its check against the analysis.
#[derive(Debug, Serialize, ToSchema)]
pub struct BlueprintInfo {
    /// The blueprint.
    #[schema(value_type = Object)]
    pub blueprint: Value,
    /// Problems found (severity, competency, message).
    #[schema(value_type = Vec<Object>)]
    pub issues: Value,
}

/// An Angoff panel's judgements.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CutScoreBody {
    /// The assessment (`work-sample`).
    pub assessment: String,
    /// Each judge's probability (0–1) that a minimally qualified applicant gets each item right.
    #[schema(value_type = Vec<Object>)]
    pub judgements: Vec<AngoffJudgement>,
    /// Why this cut.
    #[serde(default)]
    pub rationale: Option<String>,
    /// Standard deviation of test scores, for the SEM band.
    #[serde(default)]
    pub test_sd: Option<f64>,
    /// Reliability of the test, for the SEM band.
    #[serde(default)]
    pub reliability: Option<f64>,
    /// Lower the cut by this many SEMs.
    #[serde(default)]
    pub lower_by_sem: Option<f64>,
}

/// A cut score as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct CutScoreInfo {
    /// Id.
    pub id: Uuid,
    /// The assessment.
    pub assessment: String,
    /// The Angoff record: panel cut, SEM band, recommended cut, judges, items.
    #[schema(value_type = Object)]
    pub record: Value,
    /// Who set it (user id).
    pub set_by: Uuid,
    /// When (RFC 3339).
    pub set_at: String,
}

/// Applicants' scores.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantsBody {
    /// Applicants (id, preference, scores per assessment).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub applicants: Vec<ApplicantScores>,
    /// Or a CSV: `applicant_id[,preference],<assessment>,…`.
    #[serde(default)]
    pub csv: Option<String>,
}

/// An applicant as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantInfo {
    /// Applicant id.
    pub id: String,
    /// Scores and preference.
    #[schema(value_type = Object)]
    pub scores: Value,
    /// The category of the last rating.
    pub category: Option<String>,
}

/// Category rating settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryBody {
    /// Weight per assessment.
    pub weights: BTreeMap<String, f64>,
    /// The categories, highest first (`name`, `min_score`, `definition`).
    #[schema(value_type = Object)]
    pub scheme: CategoryScheme,
    /// A scientific or professional position (AI research scientists are).
    #[serde(default)]
    pub scientific_professional: bool,
}

/// Applicant flow for adverse impact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactBody {
    /// Grouping, steps and applicants' outcomes.
    #[schema(value_type = Object)]
    pub flow: SelectionFlow,
    /// Threshold (0.8), small-group size, significance.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub options: Option<ImpactOptions>,
}

/// A task as the survey shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyTask {
    /// Id.
    pub id: String,
    /// Statement.
    pub statement: Option<String>,
}

/// The survey an SME's link opens.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyInfo {
    /// The position.
    pub title: String,
    /// Grade.
    pub grade: Option<String>,
    /// The SME's anonymised id.
    pub sme: String,
    /// `open` (answers can be saved and edited) or `closed`.
    pub status: String,
    /// Tasks to rate.
    pub tasks: Vec<SurveyTask>,
    /// Competencies to rate.
    #[schema(value_type = Vec<Object>)]
    pub competencies: Value,
    /// The scales with their anchors.
    #[schema(value_type = Object)]
    pub scales: Value,
    /// The SME's answers so far.
    #[schema(value_type = Object)]
    pub response: Value,
}

/// An SME's answers.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswers {
    /// `{task, importance (0–5), frequency (0–5)}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub tasks: Vec<SurveyTaskAnswer>,
    /// `{competency, importance (1–5), needed_at_entry, distinguishing_value}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub competencies: Vec<SurveyCompetencyAnswer>,
    /// `{task, competency, linked}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub linkage: Vec<SurveyLink>,
}

/// One task answer.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyTaskAnswer {
    /// Task id.
    pub task: String,
    /// 0 (not performed) to 5.
    #[serde(default)]
    pub importance: Option<u8>,
    /// 0 (not performed) to 5.
    #[serde(default)]
    pub frequency: Option<u8>,
}

/// One competency answer.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyCompetencyAnswer {
    /// Competency id.
    pub competency: String,
    /// 1 to 5.
    #[serde(default)]
    pub importance: Option<u8>,
    /// Needed at entry.
    #[serde(default)]
    pub needed_at_entry: Option<bool>,
    /// Distinguishing value.
    #[serde(default)]
    pub distinguishing_value: Option<u8>,
}

/// One link.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyLink {
    /// Task id.
    pub task: String,
    /// Competency id.
    pub competency: String,
    /// Whether the competency is needed for the task.
    pub linked: bool,
}

impl SurveyAnswers {
    /// The answers as one SME's response.
    pub fn into_response(self, sme: &str) -> SmeResponse {
        SmeResponse {
            sme: sme.to_string(),
            tasks: self
                .tasks
                .into_iter()
                .map(|t| TaskRating {
                    sme: sme.to_string(),
                    task: t.task,
                    importance: t.importance,
                    frequency: t.frequency,
                })
                .collect(),
            competencies: self
                .competencies
                .into_iter()
                .map(|c| CompetencyRating {
                    sme: sme.to_string(),
                    competency: c.competency,
                    importance: c.importance,
                    needed_at_entry: c.needed_at_entry,
                    distinguishing_value: c.distinguishing_value,
                })
                .collect(),
            linkage: self
                .linkage
                .into_iter()
                .map(|l| LinkageRating {
                    sme: sme.to_string(),
                    task: l.task,
                    competency: l.competency,
                    linked: l.linked,
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by the pages).

fn to_value<T: Serialize>(value: &T) -> ApiResult<Value> {
    serde_json::to_value(value).map_err(|e| {
        tracing::error!(error = %e, "serialising a job-analysis value");
        Problem::internal()
    })
}

/// The analysis, or 404.
pub(crate) async fn load(state: &AppState, org: Uuid, id: Uuid) -> ApiResult<JobAnalysisRecord> {
    state
        .store()
        .job_analysis(org, id)
        .await?
        .ok_or_else(|| Problem::not_found("there is no such job analysis in your organisation"))
}

/// The job with its panel as the domain sees it.
pub(crate) async fn job_with_panel(
    state: &AppState,
    org: Uuid,
    record: &JobAnalysisRecord,
) -> ApiResult<(JobAnalysis, Vec<SmeRecord>)> {
    let panel = state.store().list_smes(org, record.id).await?;
    let mut job = record.job.clone();
    job.smes = panel
        .iter()
        .map(|s| Sme {
            id: s.label.clone(),
            qualifications: s.qualifications.clone(),
            relation: None,
        })
        .collect();
    Ok((job, panel))
}

pub(crate) async fn info(
    state: &AppState,
    org: Uuid,
    r: JobAnalysisRecord,
) -> ApiResult<AnalysisInfo> {
    let panel = state.store().list_smes(org, r.id).await?;
    Ok(AnalysisInfo {
        id: r.id,
        framework_id: r.framework,
        status: r.status.as_str().to_string(),
        job: to_value(&r.job)?,
        parameters: to_value(&r.parameters)?,
        responded: panel.iter().filter(|s| s.responded_at.is_some()).count(),
        smes: panel.into_iter().map(Into::into).collect(),
        has_blueprint: r.blueprint.is_some(),
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
        closed_at: r.closed_at.map(rfc3339),
    })
}

fn tasks_from(body: Vec<TaskBody>) -> ApiResult<Vec<Task>> {
    let width = body.len().to_string().len().max(2);
    let mut seen = std::collections::HashSet::new();
    let mut problem = Problem::invalid("the task inventory is not valid");
    let mut out = Vec::with_capacity(body.len());
    for (i, t) in body.into_iter().enumerate() {
        let id =
            t.id.map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("T{:0width$}", i + 1));
        if t.statement.trim().is_empty() {
            problem = problem.with_field(
                format!("/tasks/{i}/statement"),
                "write what is done in this task",
            );
        }
        if !seen.insert(id.clone()) {
            problem = problem.with_field(
                format!("/tasks/{i}/id"),
                format!("task id \"{id}\" is used twice"),
            );
        }
        out.push(Task {
            id,
            statement: Some(t.statement.trim().to_string()),
            source: Some(TaskSource::Analyst),
        });
    }
    if problem.errors.is_empty() {
        Ok(out)
    } else {
        Err(first_in_detail(problem))
    }
}

fn competencies_from(body: Vec<CompetencyBody>) -> ApiResult<Vec<JobCompetency>> {
    let mut seen = std::collections::HashSet::new();
    let mut problem = Problem::invalid("the competency list is not valid");
    let out = body
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let id = c.id.trim().to_string();
            if id.is_empty() {
                problem = problem.clone().with_field(
                    format!("/competencies/{i}/id"),
                    "every competency needs an id",
                );
            } else if !seen.insert(id.clone()) {
                problem = problem.clone().with_field(
                    format!("/competencies/{i}/id"),
                    format!("competency id \"{id}\" is used twice"),
                );
            }
            JobCompetency {
                id,
                name: c.name,
                definition: c.definition,
                source: None,
            }
        })
        .collect();
    if problem.errors.is_empty() {
        Ok(out)
    } else {
        Err(first_in_detail(problem))
    }
}

fn first_in_detail(mut problem: Problem) -> Problem {
    if let Some(first) = problem.errors.first() {
        problem.detail = format!(
            "{}: {} problem(s), first at {}: {}",
            problem.detail,
            problem.errors.len(),
            first.pointer,
            first.detail
        );
    }
    problem
}

async fn load_framework(
    state: &AppState,
    org: Uuid,
    id: Uuid,
) -> ApiResult<Option<framewright_model::Framework>> {
    match state.store().framework(org, id).await? {
        Some(record) => serde_json::from_str(&record.content)
            .map(Some)
            .map_err(|e| {
                tracing::error!(error = %e, "stored framework");
                Problem::internal()
            }),
        None => Ok(None),
    }
}

/// Replaces the competency list with the generator's selection for the analysis's role and
/// tasks. The draft framework itself is not stored, so the analysis names no framework.
async fn suggested_competencies(state: &AppState, job: &mut JobAnalysis) -> ApiResult<()> {
    let tasks: Vec<String> = job
        .tasks
        .iter()
        .filter_map(|t| t.statement.clone())
        .filter(|s| !s.trim().is_empty())
        .collect();
    if tasks.is_empty() {
        return Err(Problem::invalid(
            "the task inventory has no task statements to suggest competencies from",
        )
        .with_field(
            "/competencies_from_tasks",
            "add task statements first (or in the same request)",
        ));
    }
    let role = framewright_model::role::Role {
        title: job.title.clone(),
        description: job.description.clone(),
        tasks,
        grade: job.grade,
        organisation: job.organisation.clone(),
        ..Default::default()
    };
    let draft = crate::routes::produce::draft_for(state, role).await?;
    let framework = draft.framework;
    job.competencies = framework
        .competencies
        .iter()
        .map(|c| JobCompetency {
            id: c.id.clone(),
            name: Some(c.name.clone()),
            definition: c.definition.clone(),
            source: Some(
                c.source
                    .as_ref()
                    .map_or_else(|| "generator".to_string(), |s| s.catalogue.clone()),
            ),
        })
        .collect();
    Ok(())
}

async fn framework_competencies(
    state: &AppState,
    org: Uuid,
    framework: Uuid,
    job: &mut JobAnalysis,
) -> ApiResult<()> {
    let content = load_framework(state, org, framework)
        .await?
        .ok_or_else(|| {
            Problem::invalid("the framework does not exist in your organisation")
                .with_field("/framework_id", "no such framework")
        })?;
    job.competencies.clear();
    job.add_framework_competencies(&content);
    job.framework = Some(FrameworkRef {
        id: content.id.clone(),
        title: Some(content.title.clone()),
        version: Some(content.version.to_string()),
    });
    Ok(())
}

fn rating_pointer(p: &RatingProblem) -> String {
    let list = match p.list {
        RatingList::Tasks => "tasks",
        RatingList::Competencies => "competencies",
        RatingList::Linkage => "linkage",
    };
    let field = match p.field.as_str() {
        "task_id" => "task",
        "competency_id" => "competency",
        "sme_id" => "sme",
        other => other,
    };
    format!("/{list}/{}/{field}", p.index)
}

/// 422 naming each wrong answer.
pub(crate) fn rating_problems(problems: &[RatingProblem]) -> Problem {
    let mut problem = Problem::invalid("some answers cannot be used; nothing was saved");
    for p in problems.iter().take(50) {
        problem = problem.with_field(rating_pointer(p), p.message.clone());
    }
    first_in_detail(problem)
}

fn csv_problem(errors: &[CsvFileError]) -> Problem {
    let mut problem = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid-rating-file",
        "Rating file not accepted",
        "the rating files have problems; nothing was stored",
    );
    for e in errors {
        for p in &e.problems {
            let pointer = match &p.column {
                Some(c) => format!("{}/row/{}/{c}", e.file, p.row),
                None => format!("{}/row/{}", e.file, p.row),
            };
            problem = problem.with_field(pointer, p.to_string());
        }
    }
    first_in_detail(problem)
}

/// Runs the analysis on the stored ratings and parameters.
pub(crate) async fn run_analysis(
    state: &AppState,
    org: Uuid,
    record: &JobAnalysisRecord,
) -> ApiResult<(JobAnalysis, Ratings, Analysis)> {
    let (job, _) = job_with_panel(state, org, record).await?;
    let ratings = state.store().ratings(org, record.id).await?;
    let analysis = analyze(&job, &ratings, &record.parameters).map_err(|e| match e {
        framewright_hiring::AnalysisError::Ratings(problems) => rating_problems(&problems),
        framewright_hiring::AnalysisError::Parameters(p) => {
            Problem::invalid(format!("the parameters are not valid: {p}"))
        }
    })?;
    Ok((job, ratings, analysis))
}

/// The documentation report of an analysis.
pub(crate) async fn build_report(
    state: &AppState,
    org: Uuid,
    record: &JobAnalysisRecord,
) -> ApiResult<DocumentationReport> {
    let (job, ratings, analysis) = run_analysis(state, org, record).await?;
    let criteria = framewright_catalog::opm_ai_2024()
        .map_err(|e| {
            tracing::error!(error = %e, "built-in OPM data");
            Problem::internal()
        })?
        .ai_work;
    let blueprint: Option<Blueprint> = record
        .blueprint
        .as_ref()
        .and_then(|b| serde_json::from_value(b.clone()).ok());
    documentation_report(
        &job,
        &ratings,
        &analysis,
        &criteria,
        blueprint,
        Some(crate::dto::today()),
    )
    .map_err(|e| {
        Problem::invalid(format!("the AI-work answers cannot be reported: {e}"))
            .with_field("/ai_work", e.to_string())
    })
}

fn require_open(record: &JobAnalysisRecord) -> ApiResult<()> {
    if record.status == SurveyStatus::Closed {
        return Err(survey_closed());
    }
    Ok(())
}

fn survey_closed() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "survey-closed",
        "The survey is closed",
        "the survey of this job analysis is closed; answers can no longer be given or changed",
    )
}

fn created(body: impl Serialize, location: String) -> ApiResult<Response> {
    let mut response = (StatusCode::CREATED, Json(to_value(&body)?)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Analyses.

/// List the organisation's job analyses, newest first.
#[utoipa::path(
    get,
    path = "/job-analyses",
    tag = "job-analysis",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of job analyses", body = AnalysisPage),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_analyses(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<AnalysisPage>> {
    let found = state
        .store()
        .list_job_analyses(caller.principal.org_id, page.request())
        .await?;
    Ok(Json(AnalysisPage {
        total: found.total,
        items: found
            .items
            .into_iter()
            .map(|s| AnalysisSummary {
                id: s.id,
                title: s.title,
                grade: s.grade,
                status: s.status.as_str().to_string(),
                smes: s.smes,
                responded: s.responded,
                created_at: rfc3339(s.created_at),
                updated_at: rfc3339(s.updated_at),
            })
            .collect(),
    }))
}

/// Builds a new analysis from a request (shared with the pages).
pub(crate) async fn create(
    state: &AppState,
    caller: &Caller,
    body: NewAnalysisBody,
) -> ApiResult<JobAnalysisRecord> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    if body.title.trim().is_empty() {
        return Err(
            Problem::invalid("the job analysis needs a title: the position analysed").with_field(
                "/title",
                "write the position, for example \"AI Research Scientist, GS-14\"",
            ),
        );
    }
    let mut job = JobAnalysis::new(Uuid::now_v7().to_string(), body.title.trim());
    if let Some(grade) = body
        .grade
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        job.grade = Some(grade.parse().map_err(|e| {
            Problem::invalid(format!("grade: {e}")).with_field("/grade", format!("{e}"))
        })?);
    }
    job.series = body.series.filter(|s| !s.trim().is_empty());
    job.description = body.description.filter(|s| !s.trim().is_empty());
    job.positions_covered = body.positions_covered.filter(|s| !s.trim().is_empty());
    job.analyst = Some(caller.principal.name.clone());
    job.tasks = tasks_from(body.tasks)?;
    job.competencies = competencies_from(body.competencies)?;
    if let Some(framework) = body.framework_id {
        let keep = std::mem::take(&mut job.competencies);
        framework_competencies(state, org, framework, &mut job).await?;
        if !keep.is_empty() {
            job.competencies = keep;
        }
    }
    let parameters = body.parameters.unwrap_or_default();
    parameters.validate().map_err(|e| {
        Problem::invalid(format!("the parameters are not valid: {e}"))
            .with_field("/parameters", e.problems.join("; "))
    })?;
    Ok(state
        .store()
        .create_job_analysis(
            org,
            caller.principal.user_id,
            &NewJobAnalysis {
                framework: body.framework_id,
                job,
                parameters,
            },
        )
        .await?)
}

/// Create a job analysis for a position (survey open, OPM's default parameters unless given).
#[utoipa::path(
    post,
    path = "/job-analyses",
    tag = "job-analysis",
    request_body = NewAnalysisBody,
    responses(
        (status = 201, description = "Created; `Location` names it", body = AnalysisInfo),
        (status = 403, description = "Role may not create", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid; `errors` names the fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_analysis(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewAnalysisBody>,
) -> ApiResult<Response> {
    let record = create(&state, &caller, body).await?;
    let id = record.id;
    let body = info(&state, caller.principal.org_id, record).await?;
    created(body, format!("/api/v1/job-analyses/{id}"))
}

/// Read a job analysis: position, inventory, parameters, panel and progress.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "The job analysis", body = AnalysisInfo),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_analysis(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<AnalysisInfo>> {
    let org = caller.principal.org_id;
    let record = load(&state, org, path.analysis_id).await?;
    Ok(Json(info(&state, org, record).await?))
}

/// Delete a job analysis with its panel, ratings, cut scores and applicants.
#[utoipa::path(
    delete,
    path = "/job-analyses/{analysis_id}",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Role may not delete", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_analysis(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<StatusCode> {
    caller.require_editor()?;
    state
        .store()
        .delete_job_analysis(
            caller.principal.org_id,
            caller.principal.user_id,
            path.analysis_id,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replace the task inventory and/or the competency list (or take the competencies from the
/// framework). Only while the survey is open.
#[utoipa::path(
    put,
    path = "/job-analyses/{analysis_id}/inventory",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = InventoryBody,
    responses(
        (status = 200, description = "The job analysis", body = AnalysisInfo),
        (status = 403, description = "Role may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The survey is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid; `errors` names the fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_inventory(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<InventoryBody>,
) -> ApiResult<Json<AnalysisInfo>> {
    let org = caller.principal.org_id;
    let saved = inventory(&state, &caller, path.analysis_id, body).await?;
    Ok(Json(info(&state, org, saved).await?))
}

/// Sets the inventory (shared with the pages).
pub(crate) async fn set_inventory_for(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    body: InventoryBody,
) -> ApiResult<()> {
    inventory(state, caller, id, body).await.map(|_| ())
}

async fn inventory(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    body: InventoryBody,
) -> ApiResult<JobAnalysisRecord> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    let record = load(state, org, id).await?;
    require_open(&record)?;
    let mut job = record.job.clone();
    if let Some(tasks) = body.tasks {
        job.tasks = tasks_from(tasks)?;
    }
    if [
        body.competencies.is_some(),
        body.competencies_from_framework,
        body.competencies_from_tasks,
    ]
    .iter()
    .filter(|&&given| given)
    .count()
        > 1
    {
        return Err(Problem::invalid(
            "give the competency list one way: a list, from the framework, or suggested from the tasks",
        )
        .with_field(
            "/competencies_from_tasks",
            "only one of competencies, competencies_from_framework and competencies_from_tasks",
        ));
    }
    if let Some(competencies) = body.competencies {
        job.competencies = competencies_from(competencies)?;
    } else if body.competencies_from_tasks {
        suggested_competencies(state, &mut job).await?;
    } else if body.competencies_from_framework {
        let Some(framework) = record.framework else {
            return Err(
                Problem::invalid("this job analysis names no framework").with_field(
                    "/competencies_from_framework",
                    "the analysis has no framework",
                ),
            );
        };
        framework_competencies(state, org, framework, &mut job).await?;
    }
    // Ratings already given must keep their task and competency.
    let ratings = state.store().ratings(org, id).await?;
    let mut orphaned: Vec<String> = Vec::new();
    for task in ratings
        .tasks
        .iter()
        .map(|r| &r.task)
        .chain(ratings.linkage.iter().map(|r| &r.task))
    {
        if job.task(task).is_none() && !orphaned.contains(&format!("task \"{task}\"")) {
            orphaned.push(format!("task \"{task}\""));
        }
    }
    for competency in ratings
        .competencies
        .iter()
        .map(|r| &r.competency)
        .chain(ratings.linkage.iter().map(|r| &r.competency))
    {
        let name = format!("competency \"{competency}\"");
        if job.competency(competency).is_none() && !orphaned.contains(&name) {
            orphaned.push(name);
        }
    }
    if !orphaned.is_empty() {
        return Err(Problem::conflict(format!(
            "SMEs have already rated {}; keep them in the inventory (or delete the job analysis and start again)",
            orphaned.join(", ")
        )));
    }
    Ok(state
        .store()
        .update_job_analysis(
            org,
            caller.principal.user_id,
            record.id,
            &job,
            &record.parameters,
        )
        .await?)
}

/// Change the analysis parameters (thresholds); the next analysis uses them.
#[utoipa::path(
    put,
    path = "/job-analyses/{analysis_id}/parameters",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body(content = Object, description = "AnalysisParameters: task, competency, linkage, agreement, distinguishing_value_scale"),
    responses(
        (status = 200, description = "The job analysis", body = AnalysisInfo),
        (status = 403, description = "Role may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid parameters", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_parameters(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(parameters): ApiJson<AnalysisParameters>,
) -> ApiResult<Json<AnalysisInfo>> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    let record = load(&state, org, path.analysis_id).await?;
    parameters.validate().map_err(|e| {
        let mut p = Problem::invalid(format!("the parameters are not valid: {e}"));
        for text in &e.problems {
            p = p.with_field("", text.clone());
        }
        p
    })?;
    let saved = state
        .store()
        .update_job_analysis(
            org,
            caller.principal.user_id,
            record.id,
            &record.job,
            &parameters,
        )
        .await?;
    Ok(Json(info(&state, org, saved).await?))
}

/// Record the analyst's answers to OPM's AI-work criteria.
#[utoipa::path(
    put,
    path = "/job-analyses/{analysis_id}/ai-work",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body(content = Object, description = "AiWorkAnswers: answers [{criterion 1–4, answer yes|no|partly|unanswered, evidence}], share_of_time_percent"),
    responses(
        (status = 200, description = "The job analysis", body = AnalysisInfo),
        (status = 403, description = "Role may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid answers", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_ai_work(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(answers): ApiJson<AiWorkAnswers>,
) -> ApiResult<Json<AnalysisInfo>> {
    let saved = ai_work(&state, &caller, path.analysis_id, answers).await?;
    Ok(Json(info(&state, caller.principal.org_id, saved).await?))
}

/// Records the AI-work answers (shared with the pages).
pub(crate) async fn ai_work(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    answers: AiWorkAnswers,
) -> ApiResult<JobAnalysisRecord> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    let record = load(state, org, id).await?;
    let criteria = framewright_catalog::opm_ai_2024()
        .map_err(|_| Problem::internal())?
        .ai_work;
    framewright_hiring::ai_work::ai_work_section(&criteria, &answers).map_err(|e| {
        Problem::invalid(format!("the AI-work answers are not valid: {e}"))
            .with_field("/answers", e.to_string())
    })?;
    let mut job = record.job.clone();
    job.ai_work = answers;
    Ok(state
        .store()
        .update_job_analysis(
            org,
            caller.principal.user_id,
            record.id,
            &job,
            &record.parameters,
        )
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Panel, ratings, closing.

/// Invites SMEs (shared with the pages): their links, shown once.
pub(crate) async fn invite(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    smes: Vec<InviteSme>,
) -> ApiResult<Vec<InvitedSme>> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    let record = load(state, org, id).await?;
    require_open(&record)?;
    if smes.is_empty() || smes.len() > 200 {
        return Err(Problem::invalid("invite between 1 and 200 SMEs at a time")
            .with_field("/smes", "list one entry per SME"));
    }
    let panel = state.store().list_smes(org, id).await?;
    let mut next = panel.len() + 1;
    let mut taken: std::collections::HashSet<String> = panel.into_iter().map(|s| s.label).collect();
    let mut new = Vec::with_capacity(smes.len());
    let mut tokens = Vec::with_capacity(smes.len());
    for (i, sme) in smes.into_iter().enumerate() {
        let label = match sme
            .label
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
        {
            Some(l) => l,
            None => loop {
                let candidate = format!("SME-{next}");
                next += 1;
                if !taken.contains(&candidate) {
                    break candidate;
                }
            },
        };
        if !taken.insert(label.clone()) {
            return Err(Problem::invalid("an SME id is used twice").with_field(
                format!("/smes/{i}/label"),
                format!("the panel already has an SME \"{label}\""),
            ));
        }
        let token = random_hex(32)?;
        new.push(NewSme {
            label,
            qualifications: sme.qualifications.filter(|q| !q.trim().is_empty()),
            token_hash: Some(sha256_hex(&token)),
        });
        tokens.push(token);
    }
    let stored = state
        .store()
        .add_smes(org, caller.principal.user_id, id, &new)
        .await
        .map_err(|e| match e {
            framewright_store::StoreError::Conflict(what) if what.contains("closed") => {
                survey_closed()
            }
            other => other.into(),
        })?;
    Ok(stored
        .into_iter()
        .zip(tokens)
        .map(|(s, token)| InvitedSme {
            id: s.id,
            label: s.label,
            link: format!("/survey/{token}"),
            token,
        })
        .collect())
}

/// Invite SMEs: each gets a private survey link, returned once (only its hash is kept).
#[utoipa::path(
    post,
    path = "/job-analyses/{analysis_id}/smes",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = InviteBody,
    responses(
        (status = 201, description = "The new panel members with their links (shown once)", body = Vec<InvitedSme>),
        (status = 403, description = "Role may not invite", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The survey is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid; `errors` names the fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn invite_smes(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<InviteBody>,
) -> ApiResult<Response> {
    let invited = invite(&state, &caller, path.analysis_id, body.smes).await?;
    created(
        invited,
        format!("/api/v1/job-analyses/{}/smes", path.analysis_id),
    )
}

/// The SME panel and who has answered (links are not shown again).
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/smes",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "The panel", body = Vec<SmeInfo>),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_smes(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Vec<SmeInfo>>> {
    let org = caller.principal.org_id;
    load(&state, org, path.analysis_id).await?;
    let panel = state.store().list_smes(org, path.analysis_id).await?;
    Ok(Json(panel.into_iter().map(Into::into).collect()))
}

/// Imports rating CSVs (shared with the pages). All or nothing.
pub(crate) async fn import(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    body: ImportBody,
) -> ApiResult<ImportResult> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    let record = load(state, org, id).await?;
    require_open(&record)?;
    let mut errors = Vec::new();
    let tasks = hiring_csv::read_task_ratings("tasks_csv", body.tasks_csv.as_bytes())
        .map_err(|e| errors.push(e))
        .ok();
    let competencies = hiring_csv::read_competency_ratings(
        "competencies_csv",
        body.competencies_csv.as_bytes(),
        record.parameters.distinguishing_value_scale.range(),
    )
    .map_err(|e| errors.push(e))
    .ok();
    let linkage = body
        .linkage_csv
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| {
            hiring_csv::read_linkage("linkage_csv", t.as_bytes())
                .map_err(|e| errors.push(e))
                .ok()
        });
    let (Some(tasks), Some(competencies)) = (tasks, competencies) else {
        return Err(csv_problem(&errors));
    };
    if !errors.is_empty() {
        return Err(csv_problem(&errors));
    }
    let imported = Ratings {
        tasks: tasks.records.clone(),
        competencies: competencies.records.clone(),
        linkage: linkage
            .as_ref()
            .map(|l| l.records.clone())
            .unwrap_or_default(),
    };
    // Check against the inventory, with the imported SMEs on the panel.
    let (mut job, _) = job_with_panel(state, org, &record).await?;
    let mut with_smes = JobAnalysis::new("x", "x");
    with_smes.smes = job.smes.clone();
    with_smes.complete_from_ratings(&imported);
    job.smes = with_smes.smes;
    let problems = validate_ratings(&job, &imported, &record.parameters);
    if !problems.is_empty() {
        let located = hiring_csv::locate_rating_problems(
            RatingFiles {
                tasks: &tasks,
                competencies: &competencies,
                linkage: linkage.as_ref(),
            },
            &problems,
        );
        return Err(csv_problem(&located));
    }
    state
        .store()
        .import_ratings(org, caller.principal.user_id, id, &imported)
        .await?;
    let mut smes: Vec<&str> = imported.tasks.iter().map(|r| r.sme.as_str()).collect();
    smes.extend(imported.competencies.iter().map(|r| r.sme.as_str()));
    smes.extend(imported.linkage.iter().map(|r| r.sme.as_str()));
    smes.sort_unstable();
    smes.dedup();
    Ok(ImportResult {
        smes: smes.len(),
        task_ratings: imported.tasks.len(),
        competency_ratings: imported.competencies.len(),
        links: imported.linkage.len(),
    })
}

/// Import ratings from CSV (the CLI's files). Every row and column is checked first; with any
/// problem nothing is stored (422 naming file, row and column).
#[utoipa::path(
    post,
    path = "/job-analyses/{analysis_id}/ratings",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = ImportBody,
    responses(
        (status = 200, description = "What was imported", body = ImportResult),
        (status = 403, description = "Role may not import", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The survey is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A file has problems; `errors[].pointer` is `<file>/row/<n>/<column>`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn import_ratings(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<ImportBody>,
) -> ApiResult<Json<ImportResult>> {
    Ok(Json(import(&state, &caller, path.analysis_id, body).await?))
}

/// Every stored rating.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/ratings",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "Task ratings, competency ratings and links, by SME", body = Object),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_ratings(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Value>> {
    let org = caller.principal.org_id;
    load(&state, org, path.analysis_id).await?;
    let ratings = state.store().ratings(org, path.analysis_id).await?;
    Ok(Json(to_value(&ratings)?))
}

/// Close the survey: answers become final and links stop accepting them.
#[utoipa::path(
    post,
    path = "/job-analyses/{analysis_id}/close",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "The job analysis, closed", body = AnalysisInfo),
        (status = 403, description = "Role may not close", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already closed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn close_survey(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<AnalysisInfo>> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    let closed = state
        .store()
        .close_survey(org, caller.principal.user_id, path.analysis_id)
        .await
        .map_err(|e| match e {
            framewright_store::StoreError::Conflict(_) => survey_closed(),
            other => other.into(),
        })?;
    Ok(Json(info(&state, org, closed).await?))
}

// ---------------------------------------------------------------------------------------------
// Analysis, report.

/// Analyse the ratings with the stored parameters: critical tasks, critical and retained
/// competencies, each decision with the rule that made it, n, SD and agreement.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/analysis",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "The analysis (tasks, competencies, linkage, agreement, parameters, warnings)", body = Object),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Stored ratings do not fit the inventory", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_analysis_result(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Value>> {
    let org = caller.principal.org_id;
    let record = load(&state, org, path.analysis_id).await?;
    let (_, _, analysis) = run_analysis(&state, org, &record).await?;
    Ok(Json(to_value(&analysis)?))
}

/// The documentation report (method, SMEs, scales, rating summaries, decisions with their
/// rules, linkage matrix, AI-work criteria), as JSON or HTML.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/report",
    tag = "job-analysis",
    params(AnalysisPath, ReportQuery),
    responses(
        (status = 200, description = "The report: JSON, or HTML with `format=html`", body = Object),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown format, or ratings that do not fit", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> ApiResult<Response> {
    let org = caller.principal.org_id;
    let format = query.format.as_deref().unwrap_or("json");
    if format != "json" && format != "html" {
        return Err(Problem::invalid("the report is available as json or html")
            .with_field("format", "use json or html"));
    }
    let record = load(&state, org, path.analysis_id).await?;
    let report = build_report(&state, org, &record).await?;
    Ok(if format == "html" {
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            hiring_report::report_html(&report),
        )
            .into_response()
    } else {
        let text = hiring_report::report_json(&report).map_err(|_| Problem::internal())?;
        ([(header::CONTENT_TYPE, "application/json")], text).into_response()
    })
}

// ---------------------------------------------------------------------------------------------
// Blueprint, cut scores, applicants, impact.

fn blueprint_info(
    blueprint: &Blueprint,
    analysis: &Analysis,
    scale_max: Option<u8>,
) -> ApiResult<BlueprintInfo> {
    let issues = check_blueprint(blueprint, &analysis.competencies, scale_max);
    Ok(BlueprintInfo {
        blueprint: to_value(blueprint)?,
        issues: to_value(&issues)?,
    })
}

async fn framework_of(
    state: &AppState,
    org: Uuid,
    record: &JobAnalysisRecord,
) -> ApiResult<Option<framewright_model::Framework>> {
    Ok(match record.framework {
        Some(id) => load_framework(state, org, id).await?,
        None => None,
    })
}

/// Draft (from methods) or store (whole) the assessment blueprint.
#[utoipa::path(
    put,
    path = "/job-analyses/{analysis_id}/blueprint",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = BlueprintBody,
    responses(
        (status = 200, description = "The blueprint with its check", body = BlueprintInfo),
        (status = 403, description = "Role may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid; `errors` names the fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_blueprint(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<BlueprintBody>,
) -> ApiResult<Json<BlueprintInfo>> {
    caller.require_editor()?;
    Ok(Json(
        save_blueprint(&state, &caller, path.analysis_id, body).await?,
    ))
}

/// Drafts or stores a blueprint (shared with the pages).
pub(crate) async fn save_blueprint(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    body: BlueprintBody,
) -> ApiResult<BlueprintInfo> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    let record = load(state, org, id).await?;
    let (job, _, analysis) = run_analysis(state, org, &record).await?;
    let framework = framework_of(state, org, &record).await?;
    let blueprint = match body.blueprint {
        Some(b) => b,
        None => {
            let mut methods = Vec::new();
            for (i, m) in body.methods.iter().enumerate() {
                methods.push(m.parse::<AssessmentMethod>().map_err(|e| {
                    Problem::invalid(format!("unknown assessment method: {e}"))
                        .with_field(format!("/methods/{i}"), e.to_string())
                })?);
            }
            draft_blueprint(
                &analysis.competencies,
                DraftOptions {
                    position: &job.title,
                    grade: job.grade,
                    methods: &methods,
                    framework: framework.as_ref(),
                },
            )
            .map_err(|e| Problem::invalid(e.to_string()).with_field("/methods", e.to_string()))?
        }
    };
    state
        .store()
        .set_blueprint(org, caller.principal.user_id, id, &to_value(&blueprint)?)
        .await?;
    let scale_max = framework.as_ref().map(|f| f.scale.levels.len() as u8);
    blueprint_info(&blueprint, &analysis, scale_max)
}

/// The stored assessment blueprint with its check against the analysis.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/blueprint",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "The blueprint with its check", body = BlueprintInfo),
        (status = 404, description = "No such job analysis, or no blueprint yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_blueprint(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<BlueprintInfo>> {
    let org = caller.principal.org_id;
    let record = load(&state, org, path.analysis_id).await?;
    let Some(stored) = &record.blueprint else {
        return Err(Problem::not_found("this job analysis has no blueprint yet"));
    };
    let blueprint: Blueprint = serde_json::from_value(stored.clone()).map_err(|e| {
        tracing::error!(error = %e, "stored blueprint");
        Problem::internal()
    })?;
    let (_, _, analysis) = run_analysis(&state, org, &record).await?;
    let framework = framework_of(&state, org, &record).await?;
    let scale_max = framework.as_ref().map(|f| f.scale.levels.len() as u8);
    Ok(Json(blueprint_info(&blueprint, &analysis, scale_max)?))
}

/// Sets a cut score (shared with the pages).
pub(crate) async fn cut_score(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    body: CutScoreBody,
) -> ApiResult<CutScoreInfo> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    load(state, org, id).await?;
    if body.assessment.trim().is_empty() {
        return Err(Problem::invalid("name the assessment the cut score is for")
            .with_field("/assessment", "name the assessment"));
    }
    let mut setting = AngoffSetting::new(body.assessment.trim(), caller.principal.name.clone());
    setting.rationale = body.rationale;
    setting.test_sd = body.test_sd;
    setting.reliability = body.reliability;
    setting.lower_by_sem = body.lower_by_sem;
    let record = set_angoff_cut(&body.judgements, &setting, time::OffsetDateTime::now_utc())
        .map_err(|e| Problem::invalid(e.to_string()).with_field("/judgements", e.to_string()))?;
    let stored = state
        .store()
        .add_cut_score(
            org,
            caller.principal.user_id,
            id,
            body.assessment.trim(),
            &to_value(&record)?,
        )
        .await?;
    Ok(CutScoreInfo {
        id: stored.id,
        assessment: stored.assessment,
        record: stored.record,
        set_by: stored.set_by,
        set_at: rfc3339(stored.set_at),
    })
}

/// Set a cut score by the modified Angoff method, with its SEM band; recorded with who set it
/// and when.
#[utoipa::path(
    post,
    path = "/job-analyses/{analysis_id}/cut-scores",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = CutScoreBody,
    responses(
        (status = 201, description = "The cut score", body = CutScoreInfo),
        (status = 403, description = "Role may not set it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid judgements", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_cut_score(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<CutScoreBody>,
) -> ApiResult<Response> {
    let cut = cut_score(&state, &caller, path.analysis_id, body).await?;
    created(
        cut,
        format!("/api/v1/job-analyses/{}/cut-scores", path.analysis_id),
    )
}

/// The cut scores set, newest first.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/cut-scores",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "Cut scores", body = Vec<CutScoreInfo>),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_cut_scores(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Vec<CutScoreInfo>>> {
    let org = caller.principal.org_id;
    load(&state, org, path.analysis_id).await?;
    let cuts = state.store().list_cut_scores(org, path.analysis_id).await?;
    Ok(Json(
        cuts.into_iter()
            .map(|c| CutScoreInfo {
                id: c.id,
                assessment: c.assessment,
                record: c.record,
                set_by: c.set_by,
                set_at: rfc3339(c.set_at),
            })
            .collect(),
    ))
}

fn applicant_infos(list: Vec<ApplicantRecord>) -> Vec<ApplicantInfo> {
    list.into_iter()
        .map(|a| ApplicantInfo {
            id: a.id,
            scores: a.scores,
            category: a.category,
        })
        .collect()
}

/// Stores applicants (shared with the pages).
pub(crate) async fn put_applicants(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    body: ApplicantsBody,
) -> ApiResult<Vec<ApplicantInfo>> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    load(state, org, id).await?;
    let applicants = match body.csv.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(csv) => {
            hiring_csv::read_applicant_scores("csv", csv.as_bytes())
                .map_err(|e| csv_problem(std::slice::from_ref(&e)))?
                .records
        }
        None => body.applicants,
    };
    let mut seen = std::collections::HashSet::new();
    let mut records = Vec::with_capacity(applicants.len());
    for (i, a) in applicants.iter().enumerate() {
        if a.id.trim().is_empty() || !seen.insert(a.id.clone()) {
            return Err(Problem::invalid("every applicant needs an id of their own")
                .with_field(format!("/applicants/{i}/id"), "empty or used twice"));
        }
        records.push(ApplicantRecord {
            id: a.id.clone(),
            scores: to_value(a)?,
            category: None,
        });
    }
    state
        .store()
        .set_applicants(org, caller.principal.user_id, id, &records)
        .await?;
    Ok(applicant_infos(state.store().applicants(org, id).await?))
}

/// Enter or import applicants' assessment scores (replaces the list).
#[utoipa::path(
    put,
    path = "/job-analyses/{analysis_id}/applicants",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = ApplicantsBody,
    responses(
        (status = 200, description = "The applicants", body = Vec<ApplicantInfo>),
        (status = 403, description = "Role may not change them", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid; `errors` names the fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_applicants(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<ApplicantsBody>,
) -> ApiResult<Json<Vec<ApplicantInfo>>> {
    Ok(Json(
        put_applicants(&state, &caller, path.analysis_id, body).await?,
    ))
}

/// The applicants with their categories.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/applicants",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "The applicants", body = Vec<ApplicantInfo>),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_applicants(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Vec<ApplicantInfo>>> {
    let org = caller.principal.org_id;
    load(&state, org, path.analysis_id).await?;
    Ok(Json(applicant_infos(
        state.store().applicants(org, path.analysis_id).await?,
    )))
}

/// Rates the stored applicants into categories (shared with the pages).
pub(crate) async fn rate(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    body: CategoryBody,
) -> ApiResult<CategoryRating> {
    caller.require_editor()?;
    let org = caller.principal.org_id;
    let record = load(state, org, id).await?;
    let stored = state.store().applicants(org, id).await?;
    let applicants: Vec<ApplicantScores> = stored
        .iter()
        .map(|a| serde_json::from_value(a.scores.clone()))
        .collect::<Result<_, _>>()
        .map_err(|_| Problem::internal())?;
    if applicants.is_empty() {
        return Err(Problem::invalid("enter the applicants' scores first")
            .with_field("/applicants", "no applicants"));
    }
    let totals = total_scores(&applicants, &body.weights)
        .map_err(|e| Problem::invalid(e.to_string()).with_field("/weights", e.to_string()))?;
    let position = PositionContext {
        grade: record.job.grade,
        scientific_professional: body.scientific_professional,
    };
    let result = category_rating(&totals, &body.scheme, position)
        .map_err(|e| Problem::invalid(e.to_string()).with_field("/scheme", e.to_string()))?;
    let mut placements: Vec<(String, Option<String>)> = Vec::new();
    for c in &result.categories {
        for a in &c.applicants {
            placements.push((a.id.clone(), Some(c.name.clone())));
        }
    }
    for a in result.not_qualified.iter().chain(&result.incomplete) {
        placements.push((a.id.clone(), None));
    }
    state
        .store()
        .set_categories(
            org,
            caller.principal.user_id,
            id,
            &placements,
            &to_value(&result)?,
        )
        .await?;
    Ok(result)
}

/// Rate the applicants into quality categories with veterans' preference (weighted totals,
/// two or more categories, CP/CPS to the top category except scientific/professional GS-9+).
#[utoipa::path(
    post,
    path = "/job-analyses/{analysis_id}/category-rating",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = CategoryBody,
    responses(
        (status = 200, description = "The category rating with the rules applied", body = Object),
        (status = 403, description = "Role may not rate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid scheme or weights", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rate_categories(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> ApiResult<Json<Value>> {
    let result = rate(&state, &caller, path.analysis_id, body).await?;
    Ok(Json(to_value(&result)?))
}

/// Check adverse impact at each selection step: four-fifths rule and Fisher's exact test, with
/// small-sample warnings. Nothing is stored.
#[utoipa::path(
    post,
    path = "/job-analyses/{analysis_id}/adverse-impact",
    operation_id = "job_analysis_adverse_impact",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = ImpactBody,
    responses(
        (status = 200, description = "Impact by step and overall", body = Object),
        (status = 404, description = "No such job analysis in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid flow", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn adverse_impact(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<ImpactBody>,
) -> ApiResult<Json<Value>> {
    load(&state, caller.principal.org_id, path.analysis_id).await?;
    let report = adverse_impact_by_step(&body.flow, &body.options.unwrap_or_default())
        .map_err(|e| Problem::invalid(e.to_string()).with_field("/flow", e.to_string()))?;
    Ok(Json(to_value(&report)?))
}

// ---------------------------------------------------------------------------------------------
// The SME survey: no account, the link's token is the key.

/// What a survey token opens, or 404.
pub(crate) async fn survey_access(
    state: &AppState,
    token: &str,
) -> ApiResult<framewright_store::job_analysis::SurveyAccess> {
    let unknown = || {
        Problem::not_found(
            "this survey link is not known: check that the whole link was copied, or ask the analyst for a new one",
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(unknown());
    }
    state
        .store()
        .survey_by_token(&sha256_hex(token))
        .await?
        .ok_or_else(unknown)
}

/// The survey as the SME sees it.
pub(crate) async fn survey_info(
    state: &AppState,
    access: &framewright_store::job_analysis::SurveyAccess,
) -> ApiResult<SurveyInfo> {
    let ratings = state
        .store()
        .ratings(access.org, access.analysis.id)
        .await?;
    let response = ratings.response(&access.sme.label);
    let job = &access.analysis.job;
    Ok(SurveyInfo {
        title: job.title.clone(),
        grade: job.grade.map(|g| g.to_string()),
        sme: access.sme.label.clone(),
        status: access.analysis.status.as_str().to_string(),
        tasks: job
            .tasks
            .iter()
            .map(|t| SurveyTask {
                id: t.id.clone(),
                statement: t.statement.clone(),
            })
            .collect(),
        competencies: to_value(&job.competencies)?,
        scales: serde_json::json!({
            "task_importance": to_value(&scales::task_importance())?,
            "task_frequency": to_value(&scales::task_frequency())?,
            "competency_importance": to_value(&scales::competency_importance())?,
            "distinguishing_value": to_value(&access.analysis.parameters.distinguishing_value_scale)?,
        }),
        response: to_value(&response)?,
    })
}

/// Saves an SME's answers (shared with the survey page).
pub(crate) async fn save_survey(
    state: &AppState,
    token: &str,
    answers: SurveyAnswers,
) -> ApiResult<()> {
    let access = survey_access(state, token).await?;
    if access.analysis.status == SurveyStatus::Closed {
        return Err(survey_closed());
    }
    let response = answers.into_response(&access.sme.label);
    let (job, _) = job_with_panel(state, access.org, &access.analysis).await?;
    let ratings = Ratings {
        tasks: response.tasks.clone(),
        competencies: response.competencies.clone(),
        linkage: response.linkage.clone(),
    };
    let problems = validate_ratings(&job, &ratings, &access.analysis.parameters);
    if !problems.is_empty() {
        return Err(rating_problems(&problems));
    }
    state
        .store()
        .save_response(access.org, access.analysis.id, &response)
        .await
        .map_err(|e| match e {
            framewright_store::StoreError::Conflict(what) if what.contains("closed") => {
                survey_closed()
            }
            other => other.into(),
        })
}

/// Open a survey by its private link (no account): the position, tasks, competencies, scales
/// with their anchors, and the SME's answers so far.
#[utoipa::path(
    get,
    path = "/survey/{token}",
    tag = "job-analysis",
    params(SurveyPath),
    security(()),
    responses(
        (status = 200, description = "The survey", body = SurveyInfo),
        (status = 404, description = "Unknown link", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_survey(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<SurveyPath>,
) -> ApiResult<Json<SurveyInfo>> {
    let access = survey_access(&state, &path.token).await?;
    Ok(Json(survey_info(&state, &access).await?))
}

/// Save (and, until the survey closes, change) an SME's answers. Replaces the SME's previous
/// answers; one response per link.
#[utoipa::path(
    put,
    path = "/survey/{token}",
    tag = "job-analysis",
    params(SurveyPath),
    security(()),
    request_body = SurveyAnswers,
    responses(
        (status = 204, description = "Saved"),
        (status = 404, description = "Unknown link", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The survey is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An answer is off the scale or names an unknown task or competency; `errors` names it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put_survey(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<SurveyPath>,
    ApiJson(answers): ApiJson<SurveyAnswers>,
) -> ApiResult<StatusCode> {
    save_survey(&state, &path.token, answers).await?;
    Ok(StatusCode::NO_CONTENT)
}
