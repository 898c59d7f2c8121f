//! The SME survey: no account, the private link's token is the key (only its SHA-256 hash is
//! stored). An SME reads the survey and saves (and, until it closes, changes) their answers.

use framewright_hiring::scales::{self, RatingScale};
use framewright_hiring::survey::{
    CompetencyRating, JobCompetency, LinkageRating, Ratings, SmeResponse, Task, TaskRating,
    validate_ratings,
};
use framewright_store::Store;
use framewright_store::job_analysis::{SurveyAccess, SurveyStatus};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{closed_or, fault, job_with_panel, rating_problems, survey_closed};
use crate::{AppError, AppResult};

/// A new private token: 32 random bytes as hex.
pub(super) fn new_token() -> AppResult<String> {
    let mut buffer = [0u8; 32];
    getrandom::fill(&mut buffer).map_err(|e| fault(format!("no randomness: {e}")))?;
    Ok(hex(&buffer))
}

/// The hash a token is stored and looked up by.
pub(super) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a survey token opens, or not found.
pub async fn survey_access(store: &dyn Store, token: &str) -> AppResult<SurveyAccess> {
    let unknown = || {
        AppError::NotFound(
            "this survey link is not known: check that the whole link was copied, or ask the analyst for a new one"
                .to_string(),
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(unknown());
    }
    store
        .survey_by_token(&token_hash(token))
        .await?
        .ok_or_else(unknown)
}

/// The scales an SME answers on, with their anchors.
#[derive(Debug, Clone, Serialize)]
pub struct SurveyScales {
    /// Task importance (0–5).
    pub task_importance: RatingScale,
    /// Task frequency (0–5).
    pub task_frequency: RatingScale,
    /// Competency importance (1–5).
    pub competency_importance: RatingScale,
    /// The analysis's distinguishing-value scale.
    pub distinguishing_value: RatingScale,
}

/// The survey as the SME sees it.
#[derive(Debug, Clone)]
pub struct SurveyView {
    /// The position.
    pub title: String,
    /// Grade.
    pub grade: Option<String>,
    /// The SME's anonymised id.
    pub sme: String,
    /// Open (answers can be saved and edited) or closed.
    pub status: SurveyStatus,
    /// Tasks to rate.
    pub tasks: Vec<Task>,
    /// Competencies to rate.
    pub competencies: Vec<JobCompetency>,
    /// The scales with their anchors.
    pub scales: SurveyScales,
    /// The SME's answers so far.
    pub response: SmeResponse,
}

/// The survey `access` opens, with the SME's answers so far.
pub async fn survey(store: &dyn Store, access: &SurveyAccess) -> AppResult<SurveyView> {
    let ratings = store.ratings(access.org, access.analysis.id).await?;
    let job = &access.analysis.job;
    Ok(SurveyView {
        title: job.title.clone(),
        grade: job.grade.map(|g| g.to_string()),
        sme: access.sme.label.clone(),
        status: access.analysis.status,
        tasks: job.tasks.clone(),
        competencies: job.competencies.clone(),
        scales: SurveyScales {
            task_importance: scales::task_importance(),
            task_frequency: scales::task_frequency(),
            competency_importance: scales::competency_importance(),
            distinguishing_value: access
                .analysis
                .parameters
                .distinguishing_value_scale
                .clone(),
        },
        response: ratings.response(&access.sme.label),
    })
}

/// An SME's answers.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswers {
    /// `{task, importance (0–5), frequency (0–5)}`.
    #[serde(default)]
    pub tasks: Vec<SurveyTaskAnswer>,
    /// `{competency, importance (1–5), needed_at_entry, distinguishing_value}`.
    #[serde(default)]
    pub competencies: Vec<SurveyCompetencyAnswer>,
    /// `{task, competency, linked}`.
    #[serde(default)]
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
        let tasks = self.tasks.into_iter().map(|t| TaskRating {
            sme: sme.to_string(),
            task: t.task,
            importance: t.importance,
            frequency: t.frequency,
        });
        let competencies = self.competencies.into_iter().map(|c| CompetencyRating {
            sme: sme.to_string(),
            competency: c.competency,
            importance: c.importance,
            needed_at_entry: c.needed_at_entry,
            distinguishing_value: c.distinguishing_value,
        });
        let linkage = self.linkage.into_iter().map(|l| LinkageRating {
            sme: sme.to_string(),
            task: l.task,
            competency: l.competency,
            linked: l.linked,
        });
        SmeResponse {
            sme: sme.to_string(),
            tasks: tasks.collect(),
            competencies: competencies.collect(),
            linkage: linkage.collect(),
        }
    }
}

/// Saves an SME's answers (replacing their previous ones) while the survey is open; each
/// wrong answer is named by its pointer (`/tasks/0/importance`).
pub async fn save_survey(store: &dyn Store, token: &str, answers: SurveyAnswers) -> AppResult<()> {
    let access = survey_access(store, token).await?;
    if access.analysis.status == SurveyStatus::Closed {
        return Err(survey_closed());
    }
    let response = answers.into_response(&access.sme.label);
    let (job, _) = job_with_panel(store, access.org, &access.analysis).await?;
    let ratings = Ratings {
        tasks: response.tasks.clone(),
        competencies: response.competencies.clone(),
        linkage: response.linkage.clone(),
    };
    let problems = validate_ratings(&job, &ratings, &access.analysis.parameters);
    if !problems.is_empty() {
        return Err(rating_problems(&problems));
    }
    store
        .save_response(access.org, access.analysis.id, &response)
        .await
        .map_err(closed_or)
}
