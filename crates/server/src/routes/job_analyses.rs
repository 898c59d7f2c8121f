//! Job analyses (issue 7) over REST: the request and response types of the API and thin
//! handlers that convert a request to the operation's input, call
//! [`framewright_app::job_analysis`] (where role checks, organisation scope and the work
//! happen) and render the answer. The web pages call the same operations.
//!
//! The SME survey (`/survey/{token}`) needs no account: the link's token is the key.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use framewright_app::job_analysis::{
    self as ja, AnalysisView, CompetencySuggester, SurveyCompetencyAnswer, SurveyLink,
    SurveyTaskAnswer, rating_files,
};
use framewright_app::{Actor, AppError, AppResult};
use framewright_hiring::AnalysisParameters;
use framewright_hiring::ai_work::AiWorkAnswers;
use framewright_hiring::applicants::{ApplicantScores, CategoryScheme};
use framewright_hiring::blueprint::Blueprint;
use framewright_hiring::cutscore::AngoffJudgement;
use framewright_hiring::impact::{ImpactOptions, SelectionFlow};
use framewright_interop::document::hiring as hiring_report;
use framewright_store::job_analysis::{ApplicantRecord, CutScore, SmeRecord};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::dto::rfc3339;
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery};
use crate::problem::responses as problems;
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

// ---------------------------------------------------------------------------------------------
// From requests to the operations' inputs, and from their outputs to responses.

impl From<TaskBody> for ja::TaskInput {
    fn from(t: TaskBody) -> Self {
        ja::TaskInput {
            id: t.id,
            statement: t.statement,
        }
    }
}

impl From<CompetencyBody> for ja::CompetencyInput {
    fn from(c: CompetencyBody) -> Self {
        ja::CompetencyInput {
            id: c.id,
            name: c.name,
            definition: c.definition,
        }
    }
}

impl NewAnalysisBody {
    /// The operation's input; `analyst` is the name the report shows.
    fn into_input(self, analyst: String) -> ja::NewAnalysisInput {
        ja::NewAnalysisInput {
            title: self.title,
            grade: self.grade,
            series: self.series,
            description: self.description,
            positions_covered: self.positions_covered,
            framework_id: self.framework_id,
            tasks: self.tasks.into_iter().map(Into::into).collect(),
            competencies: self.competencies.into_iter().map(Into::into).collect(),
            parameters: self.parameters,
            analyst: Some(analyst),
        }
    }
}

impl From<InventoryBody> for ja::InventoryInput {
    fn from(b: InventoryBody) -> Self {
        ja::InventoryInput {
            tasks: b.tasks.map(|t| t.into_iter().map(Into::into).collect()),
            competencies: b
                .competencies
                .map(|c| c.into_iter().map(Into::into).collect()),
            competencies_from_framework: b.competencies_from_framework,
            competencies_from_tasks: b.competencies_from_tasks,
        }
    }
}

impl From<InviteSme> for ja::InviteInput {
    fn from(s: InviteSme) -> Self {
        ja::InviteInput {
            label: s.label,
            qualifications: s.qualifications,
        }
    }
}

impl From<ImportBody> for ja::RatingCsvInput {
    fn from(b: ImportBody) -> Self {
        ja::RatingCsvInput {
            tasks_csv: b.tasks_csv,
            competencies_csv: b.competencies_csv,
            linkage_csv: b.linkage_csv,
        }
    }
}

impl From<BlueprintBody> for ja::BlueprintInput {
    fn from(b: BlueprintBody) -> Self {
        ja::BlueprintInput {
            methods: b.methods,
            blueprint: b.blueprint,
        }
    }
}

impl CutScoreBody {
    /// The operation's input; `set_by` is the name the record shows.
    fn into_input(self, set_by: String) -> ja::CutScoreInput {
        ja::CutScoreInput {
            assessment: self.assessment,
            judgements: self.judgements,
            rationale: self.rationale,
            test_sd: self.test_sd,
            reliability: self.reliability,
            lower_by_sem: self.lower_by_sem,
            set_by,
        }
    }
}

impl From<ApplicantsBody> for ja::ApplicantsInput {
    fn from(b: ApplicantsBody) -> Self {
        ja::ApplicantsInput {
            applicants: b.applicants,
            csv: b.csv,
        }
    }
}

impl From<CategoryBody> for ja::CategoryInput {
    fn from(b: CategoryBody) -> Self {
        ja::CategoryInput {
            weights: b.weights,
            scheme: b.scheme,
            scientific_professional: b.scientific_professional,
        }
    }
}

impl From<SurveyAnswers> for ja::SurveyAnswers {
    fn from(a: SurveyAnswers) -> Self {
        ja::SurveyAnswers {
            tasks: a.tasks,
            competencies: a.competencies,
            linkage: a.linkage,
        }
    }
}

impl From<ja::ImportSummary> for ImportResult {
    fn from(s: ja::ImportSummary) -> Self {
        ImportResult {
            smes: s.smes,
            task_ratings: s.task_ratings,
            competency_ratings: s.competency_ratings,
            links: s.links,
        }
    }
}

impl From<CutScore> for CutScoreInfo {
    fn from(c: CutScore) -> Self {
        CutScoreInfo {
            id: c.id,
            assessment: c.assessment,
            record: c.record,
            set_by: c.set_by,
            set_at: rfc3339(c.set_at),
        }
    }
}

impl From<ApplicantRecord> for ApplicantInfo {
    fn from(a: ApplicantRecord) -> Self {
        ApplicantInfo {
            id: a.id,
            scores: a.scores,
            category: a.category,
        }
    }
}

/// The operation's actor: the caller's user, organisation and role.
pub(crate) fn actor(caller: &Caller) -> Actor {
    Actor::from(&caller.principal)
}

fn to_value<T: Serialize>(value: &T) -> ApiResult<Value> {
    serde_json::to_value(value).map_err(|e| {
        tracing::error!(error = %e, "serialising a job-analysis value");
        Problem::internal()
    })
}

/// An operation's error as the API (and the pages) answer it: a closed survey and a rating
/// file with problems keep the problem types they have always had.
pub(crate) fn problem(error: AppError) -> Problem {
    match error {
        AppError::Conflict(detail) if detail == ja::SURVEY_CLOSED => Problem::new(
            StatusCode::CONFLICT,
            "survey-closed",
            "The survey is closed",
            detail,
        ),
        AppError::Invalid { detail, issues }
            if issues
                .iter()
                .any(|i| i.code.as_deref() == Some(rating_files::FILE_PROBLEM)) =>
        {
            let mut problem = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-rating-file",
                "Rating file not accepted",
                detail,
            );
            for issue in issues {
                problem = problem.with_field(issue.pointer, issue.detail);
            }
            problem
        }
        other => other.into(),
    }
}

fn info(view: AnalysisView) -> ApiResult<AnalysisInfo> {
    let responded = view.responded();
    let r = view.record;
    Ok(AnalysisInfo {
        id: r.id,
        framework_id: r.framework,
        status: r.status.as_str().to_string(),
        job: to_value(&r.job)?,
        parameters: to_value(&r.parameters)?,
        responded,
        smes: view.panel.into_iter().map(Into::into).collect(),
        has_blueprint: r.blueprint.is_some(),
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
        closed_at: r.closed_at.map(rfc3339),
    })
}

fn blueprint_info(view: &ja::BlueprintView) -> ApiResult<BlueprintInfo> {
    Ok(BlueprintInfo {
        blueprint: to_value(&view.blueprint)?,
        issues: to_value(&view.issues)?,
    })
}

fn survey_info(view: ja::SurveyView) -> ApiResult<SurveyInfo> {
    Ok(SurveyInfo {
        title: view.title,
        grade: view.grade,
        sme: view.sme,
        status: view.status.as_str().to_string(),
        tasks: view
            .tasks
            .into_iter()
            .map(|t| SurveyTask {
                id: t.id,
                statement: t.statement,
            })
            .collect(),
        competencies: to_value(&view.competencies)?,
        scales: to_value(&view.scales)?,
        response: to_value(&view.response)?,
    })
}

/// The server's generator, as the inventory's competency suggestions need it.
pub(crate) struct Generator<'a>(pub(crate) &'a AppState);

impl CompetencySuggester for Generator<'_> {
    async fn suggest(
        &self,
        role: framewright_model::role::Role,
    ) -> AppResult<framewright_model::Framework> {
        crate::routes::produce::draft_for(self.0, None, role)
            .await
            .map(|draft| draft.framework)
            .map_err(|p| {
                if p.status == StatusCode::UNPROCESSABLE_ENTITY.as_u16() {
                    AppError::Invalid {
                        detail: p.detail,
                        issues: p
                            .errors
                            .into_iter()
                            .map(|e| framewright_app::FieldIssue::new(e.pointer, e.detail))
                            .collect(),
                    }
                } else {
                    AppError::Store(framewright_store::StoreError::Corrupt(p.detail))
                }
            })
    }
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
        problems::NotSignedIn,
    )
)]
pub async fn list_analyses(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<AnalysisPage>> {
    let found = ja::list(state.store(), &actor(&caller), page.request())
        .await
        .map_err(problem)?;
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

/// Create a job analysis for a position (survey open, OPM's default parameters unless given).
#[utoipa::path(
    post,
    path = "/job-analyses",
    tag = "job-analysis",
    request_body = NewAnalysisBody,
    responses(
        (status = 201, description = "Created; `Location` names it", body = AnalysisInfo),
        problems::RoleMayNotCreate,
        problems::InvalidFields,
    )
)]
pub async fn create_analysis(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewAnalysisBody>,
) -> ApiResult<Response> {
    let input = body.into_input(caller.principal.name.clone());
    let view = ja::create(state.store(), &actor(&caller), input)
        .await
        .map_err(problem)?;
    let id = view.record.id;
    created(info(view)?, format!("/api/v1/job-analyses/{id}"))
}

/// Read a job analysis: position, inventory, parameters, panel and progress.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "The job analysis", body = AnalysisInfo),
        problems::NoSuchJobAnalysis,
    )
)]
pub async fn get_analysis(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<AnalysisInfo>> {
    let view = ja::get(state.store(), &actor(&caller), path.analysis_id)
        .await
        .map_err(problem)?;
    Ok(Json(info(view)?))
}

/// Delete a job analysis with its panel, ratings, cut scores and applicants.
#[utoipa::path(
    delete,
    path = "/job-analyses/{analysis_id}",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 204, description = "Deleted"),
        problems::RoleMayNotDelete,
        problems::NoSuchJobAnalysis,
    )
)]
pub async fn delete_analysis(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<StatusCode> {
    ja::delete(state.store(), &actor(&caller), path.analysis_id)
        .await
        .map_err(problem)?;
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
        problems::RoleMayNotChangeIt,
        problems::NoSuchJobAnalysis,
        problems::SurveyClosed,
        problems::InvalidFields,
    )
)]
pub async fn set_inventory(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<InventoryBody>,
) -> ApiResult<Json<AnalysisInfo>> {
    let generator = Generator(&state);
    let view = ja::set_inventory(
        state.store(),
        &actor(&caller),
        path.analysis_id,
        body.into(),
        &generator,
    )
    .await
    .map_err(problem)?;
    Ok(Json(info(view)?))
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
        problems::RoleMayNotChangeIt,
        problems::NoSuchJobAnalysis,
        problems::InvalidParameters,
    )
)]
pub async fn set_parameters(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(parameters): ApiJson<AnalysisParameters>,
) -> ApiResult<Json<AnalysisInfo>> {
    let view = ja::set_parameters(state.store(), &actor(&caller), path.analysis_id, parameters)
        .await
        .map_err(problem)?;
    Ok(Json(info(view)?))
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
        problems::RoleMayNotChangeIt,
        problems::NoSuchJobAnalysis,
        problems::InvalidAnswers,
    )
)]
pub async fn set_ai_work(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(answers): ApiJson<AiWorkAnswers>,
) -> ApiResult<Json<AnalysisInfo>> {
    let view = ja::set_ai_work(state.store(), &actor(&caller), path.analysis_id, answers)
        .await
        .map_err(problem)?;
    Ok(Json(info(view)?))
}

// ---------------------------------------------------------------------------------------------
// Panel, ratings, closing.

/// Invite SMEs: each gets a private survey link, returned once (only its hash is kept).
#[utoipa::path(
    post,
    path = "/job-analyses/{analysis_id}/smes",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = InviteBody,
    responses(
        (status = 201, description = "The new panel members with their links (shown once)", body = Vec<InvitedSme>),
        problems::RoleMayNotInvite,
        problems::NoSuchJobAnalysis,
        problems::SurveyClosed,
        problems::InvalidFields,
    )
)]
pub async fn invite_smes(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<InviteBody>,
) -> ApiResult<Response> {
    let smes = body.smes.into_iter().map(Into::into).collect();
    let invited = ja::invite(state.store(), &actor(&caller), path.analysis_id, smes)
        .await
        .map_err(problem)?;
    let invited: Vec<InvitedSme> = invited
        .into_iter()
        .map(|i| InvitedSme {
            id: i.id,
            label: i.label,
            token: i.token,
            link: i.link,
        })
        .collect();
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
        problems::NoSuchJobAnalysis,
    )
)]
pub async fn list_smes(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Vec<SmeInfo>>> {
    let panel = ja::smes(state.store(), &actor(&caller), path.analysis_id)
        .await
        .map_err(problem)?;
    Ok(Json(panel.into_iter().map(Into::into).collect()))
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
        problems::RoleMayNotImport,
        problems::NoSuchJobAnalysis,
        problems::SurveyClosed,
        problems::RatingFileProblems,
    )
)]
pub async fn import_ratings(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<ImportBody>,
) -> ApiResult<Json<ImportResult>> {
    let summary = ja::import_ratings(
        state.store(),
        &actor(&caller),
        path.analysis_id,
        body.into(),
    )
    .await
    .map_err(problem)?;
    Ok(Json(summary.into()))
}

/// Every stored rating.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/ratings",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "Task ratings, competency ratings and links, by SME", body = Object),
        problems::NoSuchJobAnalysis,
    )
)]
pub async fn get_ratings(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Value>> {
    let ratings = ja::ratings(state.store(), &actor(&caller), path.analysis_id)
        .await
        .map_err(problem)?;
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
        problems::RoleMayNotClose,
        problems::NoSuchJobAnalysis,
        problems::AlreadyClosed,
    )
)]
pub async fn close_survey(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<AnalysisInfo>> {
    let view = ja::close_survey(state.store(), &actor(&caller), path.analysis_id)
        .await
        .map_err(problem)?;
    Ok(Json(info(view)?))
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
        problems::NoSuchJobAnalysis,
        problems::RatingsDoNotFit,
    )
)]
pub async fn get_analysis_result(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Value>> {
    let (_, analysis) = ja::analysis(state.store(), &actor(&caller), path.analysis_id)
        .await
        .map_err(problem)?;
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
        problems::NoSuchJobAnalysis,
        problems::UnknownFormatOrRatings,
    )
)]
pub async fn get_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> ApiResult<Response> {
    let format = query.format.as_deref().unwrap_or("json");
    if format != "json" && format != "html" {
        return Err(Problem::invalid("the report is available as json or html")
            .with_field("format", "use json or html"));
    }
    let today = crate::dto::today();
    let report = ja::report(state.store(), &actor(&caller), path.analysis_id, today)
        .await
        .map_err(problem)?;
    Ok(if format == "html" {
        (
            crate::web::document_headers(),
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

/// Draft (from methods) or store (whole) the assessment blueprint.
#[utoipa::path(
    put,
    path = "/job-analyses/{analysis_id}/blueprint",
    tag = "job-analysis",
    params(AnalysisPath),
    request_body = BlueprintBody,
    responses(
        (status = 200, description = "The blueprint with its check", body = BlueprintInfo),
        problems::RoleMayNotChangeIt,
        problems::NoSuchJobAnalysis,
        problems::InvalidFields,
    )
)]
pub async fn set_blueprint(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<BlueprintBody>,
) -> ApiResult<Json<BlueprintInfo>> {
    let view = ja::set_blueprint(
        state.store(),
        &actor(&caller),
        path.analysis_id,
        body.into(),
    )
    .await
    .map_err(problem)?;
    Ok(Json(blueprint_info(&view)?))
}

/// The stored assessment blueprint with its check against the analysis.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/blueprint",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "The blueprint with its check", body = BlueprintInfo),
        problems::NoSuchJobAnalysisOrBlueprint,
    )
)]
pub async fn get_blueprint(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<BlueprintInfo>> {
    let view = ja::blueprint(state.store(), &actor(&caller), path.analysis_id)
        .await
        .map_err(problem)?;
    Ok(Json(blueprint_info(&view)?))
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
        problems::RoleMayNotSetIt,
        problems::NoSuchJobAnalysis,
        problems::InvalidJudgements,
    )
)]
pub async fn add_cut_score(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<CutScoreBody>,
) -> ApiResult<Response> {
    let input = body.into_input(caller.principal.name.clone());
    let cut = ja::set_cut_score(state.store(), &actor(&caller), path.analysis_id, input)
        .await
        .map_err(problem)?;
    created(
        CutScoreInfo::from(cut),
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
        problems::NoSuchJobAnalysis,
    )
)]
pub async fn list_cut_scores(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Vec<CutScoreInfo>>> {
    let cuts = ja::cut_scores(state.store(), &actor(&caller), path.analysis_id)
        .await
        .map_err(problem)?;
    Ok(Json(cuts.into_iter().map(Into::into).collect()))
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
        problems::RoleMayNotChangeThem,
        problems::NoSuchJobAnalysis,
        problems::InvalidFields,
    )
)]
pub async fn set_applicants(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<ApplicantsBody>,
) -> ApiResult<Json<Vec<ApplicantInfo>>> {
    let list = ja::set_applicants(
        state.store(),
        &actor(&caller),
        path.analysis_id,
        body.into(),
    )
    .await
    .map_err(problem)?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// The applicants with their categories.
#[utoipa::path(
    get,
    path = "/job-analyses/{analysis_id}/applicants",
    tag = "job-analysis",
    params(AnalysisPath),
    responses(
        (status = 200, description = "The applicants", body = Vec<ApplicantInfo>),
        problems::NoSuchJobAnalysis,
    )
)]
pub async fn list_applicants(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
) -> ApiResult<Json<Vec<ApplicantInfo>>> {
    let list = ja::applicants(state.store(), &actor(&caller), path.analysis_id)
        .await
        .map_err(problem)?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
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
        problems::RoleMayNotRate,
        problems::NoSuchJobAnalysis,
        problems::InvalidSchemeOrWeights,
    )
)]
pub async fn rate_categories(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> ApiResult<Json<Value>> {
    let result = ja::rate(
        state.store(),
        &actor(&caller),
        path.analysis_id,
        body.into(),
    )
    .await
    .map_err(problem)?;
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
        problems::NoSuchJobAnalysis,
        problems::InvalidFlow,
    )
)]
pub async fn adverse_impact(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<AnalysisPath>,
    ApiJson(body): ApiJson<ImpactBody>,
) -> ApiResult<Json<Value>> {
    let options = body.options.unwrap_or_default();
    let report = ja::adverse_impact(
        state.store(),
        &actor(&caller),
        path.analysis_id,
        &body.flow,
        &options,
    )
    .await
    .map_err(problem)?;
    Ok(Json(to_value(&report)?))
}

// ---------------------------------------------------------------------------------------------
// The SME survey: no account, the link's token is the key.

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
        problems::UnknownSurveyLink,
    )
)]
pub async fn get_survey(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<SurveyPath>,
) -> ApiResult<Json<SurveyInfo>> {
    let access = ja::survey_access(state.store(), &path.token)
        .await
        .map_err(problem)?;
    let view = ja::survey(state.store(), &access).await.map_err(problem)?;
    Ok(Json(survey_info(view)?))
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
        problems::UnknownSurveyLink,
        problems::SurveyClosed,
        problems::AnswerOffTheScale,
    )
)]
pub async fn put_survey(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<SurveyPath>,
    ApiJson(answers): ApiJson<SurveyAnswers>,
) -> ApiResult<StatusCode> {
    ja::save_survey(state.store(), &path.token, answers.into())
        .await
        .map_err(problem)?;
    Ok(StatusCode::NO_CONTENT)
}
