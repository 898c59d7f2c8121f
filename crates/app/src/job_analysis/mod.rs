//! Job analyses (issue 7) as operations every front door shares: the analysis with its task
//! inventory and competency list, the SME panel invited by private links, ratings (from the
//! survey or imported from CSV), closing the survey, the analysis with OPM's named parameters,
//! the documentation report, the assessment blueprint, Angoff cut scores, applicants with
//! category rating, and adverse impact.
//!
//! Designers and owners change; reviewers and viewers read. Every operation checks the role
//! and scopes every read and write to the actor's organisation here, once. The SME survey
//! needs no account: the link's token is the key, and only its SHA-256 hash is stored.
//!
//! The domain work is `framewright-hiring`'s; CSV reading is `framewright-interop`'s, put
//! together once in [`rating_files`] and [`flow`] for the CLI and the server alike.

mod analyses;
pub mod flow;
mod hiring;
mod input;
mod panel;
pub mod rating_files;
mod results;
mod survey;

pub(crate) use analyses::view;
pub use analyses::{
    AnalysisView, CompetencySuggester, InventoryInput, create, delete, get, list, set_ai_work,
    set_inventory, set_parameters, suggested_competencies, suggestion_role,
};
pub use hiring::{
    ApplicantsInput, CategoryInput, CutScoreInput, adverse_impact, applicants, cut_scores, rate,
    set_applicants, set_cut_score,
};
pub use input::{CompetencyInput, NewAnalysisInput, TaskInput};
pub use panel::{
    ImportSummary, InviteInput, InvitedSme, RatingCsvInput, close_survey, import_ratings, invite,
    ratings, smes,
};
pub use results::{BlueprintInput, BlueprintView, analysis, blueprint, report, set_blueprint};
pub use survey::{
    SurveyAnswers, SurveyCompetencyAnswer, SurveyLink, SurveyScales, SurveyTaskAnswer, SurveyView,
    save_survey, survey, survey_access,
};

use framewright_hiring::survey::{JobAnalysis, RatingList, RatingProblem, Sme};
use framewright_store::job_analysis::{JobAnalysisRecord, SmeRecord, SurveyStatus};
use framewright_store::{Store, StoreError};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, AppError, AppResult, FieldIssue};

/// The detail of the conflict when a closed survey is asked to change; front doors that name
/// this case (the API's `survey-closed` problem) compare against it.
pub const SURVEY_CLOSED: &str =
    "the survey of this job analysis is closed; answers can no longer be given or changed";

/// Refuses unless the actor may change job analyses (designer or owner).
fn require_editor(actor: &Actor) -> AppResult<()> {
    if actor.role.can_edit() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "your role here is {}; to create or change frameworks and catalogues you need to be designer or owner",
            actor.role
        )))
    }
}

/// The analysis in the actor's organisation, or not found.
async fn load(store: &dyn Store, actor: &Actor, id: Uuid) -> AppResult<JobAnalysisRecord> {
    store.job_analysis(actor.org_id, id).await?.ok_or_else(|| {
        AppError::NotFound("there is no such job analysis in your organisation".to_string())
    })
}

fn require_open(record: &JobAnalysisRecord) -> AppResult<()> {
    if record.status == SurveyStatus::Closed {
        return Err(survey_closed());
    }
    Ok(())
}

fn survey_closed() -> AppError {
    AppError::Conflict(SURVEY_CLOSED.to_string())
}

/// A store conflict about the survey being closed (it closed between the check and the
/// write) is the same closed-survey conflict.
fn closed_or(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(what) if what.contains("closed") => survey_closed(),
        other => other.into(),
    }
}

/// A value serialised for the store; failing is a fault of ours, not the user's.
fn to_value<T: Serialize>(value: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| fault(format!("serialising a job-analysis value: {e}")))
}

/// A fault on our side (damaged stored data, a value that does not serialise).
fn fault(what: String) -> AppError {
    AppError::Store(StoreError::Corrupt(what))
}

/// The job with its panel as the domain sees it.
async fn job_with_panel(
    store: &dyn Store,
    org: Uuid,
    record: &JobAnalysisRecord,
) -> AppResult<(JobAnalysis, Vec<SmeRecord>)> {
    let panel = store.list_smes(org, record.id).await?;
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

/// Invalid input whose detail names the first of `issues` and how many there are.
fn invalid(detail: &str, issues: Vec<FieldIssue>) -> AppError {
    let detail = match issues.first() {
        Some(first) => format!(
            "{detail}: {} problem(s), first at {}: {}",
            issues.len(),
            first.pointer,
            first.detail
        ),
        None => detail.to_string(),
    };
    AppError::Invalid { detail, issues }
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

/// Invalid answers, each named by its pointer (at most 50).
fn rating_problems(problems: &[RatingProblem]) -> AppError {
    let issues = problems
        .iter()
        .take(50)
        .map(|p| FieldIssue::new(rating_pointer(p), p.message.clone()))
        .collect();
    invalid("some answers cannot be used; nothing was saved", issues)
}

/// The AI-work criteria of OPM's 2024 model (built in).
fn ai_work_criteria() -> AppResult<framewright_catalog::AiWork> {
    framewright_catalog::opm_ai_2024()
        .map(|m| m.ai_work)
        .map_err(|e| fault(format!("built-in OPM data: {e}")))
}

/// The framework `id` of the organisation, read from its stored content.
async fn load_framework(
    store: &dyn Store,
    org: Uuid,
    id: Uuid,
) -> AppResult<Option<framewright_model::Framework>> {
    match store.framework(org, id).await? {
        Some(record) => serde_json::from_str(&record.content)
            .map(Some)
            .map_err(|e| fault(format!("stored framework: {e}"))),
        None => Ok(None),
    }
}
