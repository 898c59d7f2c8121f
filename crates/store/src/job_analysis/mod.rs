//! Job analyses (issue 7): the analysis with its inventory and parameters, the SME panel with
//! private survey links (only a SHA-256 hash of each link's token is kept), the ratings, the
//! blueprint, cut scores (who set them and when) and applicants with their categories.
//!
//! Kept behind its own trait, [`JobAnalysisStore`], a supertrait of [`crate::Store`],
//! implemented once for both backends (in `crate::backend`) by the functions of
//! `analyses` (the analysis and its panel), `responses` (the survey's answers) and `hiring`
//! (blueprint, cut scores, applicants). Every query names the organisation; every multi-step
//! write is one transaction.

pub(crate) mod analyses;
pub(crate) mod hiring;
pub(crate) mod responses;

use async_trait::async_trait;
use framewright_hiring::AnalysisParameters;
use framewright_hiring::survey::{JobAnalysis, Ratings, SmeResponse};
use uuid::Uuid;

use crate::{PageRequest, Paged, StoreResult};

/// Whether SMEs can still answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// SMEs answer and edit their answers.
    Open,
    /// Closed: answers are final.
    Closed,
}

impl SurveyStatus {
    /// `open` or `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
        }
    }
}

/// A new job analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJobAnalysis {
    /// The framework the competency list comes from, when any (must be the organisation's).
    pub framework: Option<Uuid>,
    /// The analysis: title, grade, inventory, AI-work answers.
    pub job: JobAnalysis,
    /// The thresholds.
    pub parameters: AnalysisParameters,
}

/// A stored job analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct JobAnalysisRecord {
    /// Id.
    pub id: Uuid,
    /// The framework, when any.
    pub framework: Option<Uuid>,
    /// Whether the survey is open.
    pub status: SurveyStatus,
    /// The analysis.
    pub job: JobAnalysis,
    /// The thresholds.
    pub parameters: AnalysisParameters,
    /// The assessment blueprint (a `framewright_hiring::blueprint::Blueprint` as JSON).
    pub blueprint: Option<serde_json::Value>,
    /// The last category rating (a `CategoryRating` as JSON).
    pub category_rating: Option<serde_json::Value>,
    /// Created (ms).
    pub created_at: i64,
    /// By whom.
    pub created_by: Option<Uuid>,
    /// Last changed (ms).
    pub updated_at: i64,
    /// When the survey closed (ms).
    pub closed_at: Option<i64>,
    /// Who closed it.
    pub closed_by: Option<Uuid>,
}

/// A job analysis as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobAnalysisSummary {
    /// Id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Grade (`GS-14`).
    pub grade: Option<String>,
    /// The framework.
    pub framework: Option<Uuid>,
    /// Survey status.
    pub status: SurveyStatus,
    /// Panel size.
    pub smes: i64,
    /// SMEs who answered.
    pub responded: i64,
    /// Created (ms).
    pub created_at: i64,
    /// Last changed (ms).
    pub updated_at: i64,
}

/// A new panel member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSme {
    /// Anonymised id shown in the report (`SME-1`).
    pub label: String,
    /// Qualifications, as the report shows them.
    pub qualifications: Option<String>,
    /// SHA-256 (hex) of the private link's token; `None` for SMEs whose ratings were imported.
    pub token_hash: Option<String>,
}

/// A panel member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmeRecord {
    /// Id.
    pub id: Uuid,
    /// Anonymised id.
    pub label: String,
    /// Qualifications.
    pub qualifications: Option<String>,
    /// Whether the SME has a private link.
    pub has_link: bool,
    /// Invited or imported (ms).
    pub created_at: i64,
    /// Last answer saved (ms).
    pub responded_at: Option<i64>,
}

/// What a private survey link opens.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyAccess {
    /// The organisation of the analysis.
    pub org: Uuid,
    /// The analysis.
    pub analysis: JobAnalysisRecord,
    /// The SME the link belongs to.
    pub sme: SmeRecord,
}

/// A cut score as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CutScore {
    /// Id.
    pub id: Uuid,
    /// The assessment.
    pub assessment: String,
    /// The record (`framewright_hiring::cutscore::CutScoreRecord` as JSON).
    pub record: serde_json::Value,
    /// The user who set it.
    pub set_by: Uuid,
    /// When (ms).
    pub set_at: i64,
}

/// An applicant as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicantRecord {
    /// Applicant id (not a name).
    pub id: String,
    /// Scores and preference (`framewright_hiring::applicants::ApplicantScores` as JSON).
    pub scores: serde_json::Value,
    /// The category the last rating placed them in.
    pub category: Option<String>,
}

/// Job analyses, their surveys and the hiring steps that rest on them.
#[async_trait]
pub trait JobAnalysisStore: Send + Sync {
    /// Stores a new analysis with an open survey.
    async fn create_job_analysis(
        &self,
        org: Uuid,
        actor: Uuid,
        new: &NewJobAnalysis,
    ) -> StoreResult<JobAnalysisRecord>;
    /// The organisation's analyses, newest first.
    async fn list_job_analyses(
        &self,
        org: Uuid,
        page: PageRequest,
    ) -> StoreResult<Paged<JobAnalysisSummary>>;
    /// One analysis.
    async fn job_analysis(&self, org: Uuid, id: Uuid) -> StoreResult<Option<JobAnalysisRecord>>;
    /// Deletes an analysis with its panel, ratings, cut scores and applicants.
    async fn delete_job_analysis(&self, org: Uuid, actor: Uuid, id: Uuid) -> StoreResult<()>;
    /// Replaces the analysis (inventory, AI-work answers, …) and its parameters.
    async fn update_job_analysis(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        job: &JobAnalysis,
        parameters: &AnalysisParameters,
    ) -> StoreResult<JobAnalysisRecord>;
    /// Adds panel members. Refused (`Conflict`) when a label is taken or the survey is closed.
    async fn add_smes(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        smes: &[NewSme],
    ) -> StoreResult<Vec<SmeRecord>>;
    /// The panel, in order of invitation.
    async fn list_smes(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<SmeRecord>>;
    /// What the link with this token hash opens (any organisation: the token is the key).
    async fn survey_by_token(&self, token_hash: &str) -> StoreResult<Option<SurveyAccess>>;
    /// Replaces one SME's answers. `Conflict` when the survey is closed.
    async fn save_response(&self, org: Uuid, id: Uuid, response: &SmeResponse) -> StoreResult<()>;
    /// Imports ratings: the panel members they name are added when missing and every SME
    /// named gets exactly the imported answers. `Conflict` when the survey is closed.
    async fn import_ratings(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        ratings: &Ratings,
    ) -> StoreResult<()>;
    /// Every rating of the analysis.
    async fn ratings(&self, org: Uuid, id: Uuid) -> StoreResult<Ratings>;
    /// Closes the survey (`Conflict` when already closed).
    async fn close_survey(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
    ) -> StoreResult<JobAnalysisRecord>;
    /// Stores the blueprint.
    async fn set_blueprint(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        blueprint: &serde_json::Value,
    ) -> StoreResult<()>;
    /// Records a cut score, set by `actor` now.
    async fn add_cut_score(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        assessment: &str,
        record: &serde_json::Value,
    ) -> StoreResult<CutScore>;
    /// The analysis's cut scores, newest first.
    async fn list_cut_scores(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<CutScore>>;
    /// Replaces the applicants (their categories are cleared).
    async fn set_applicants(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        applicants: &[ApplicantRecord],
    ) -> StoreResult<()>;
    /// The applicants, in the order given.
    async fn applicants(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<ApplicantRecord>>;
    /// Stores a category rating: the whole result and each applicant's category.
    async fn set_categories(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        placements: &[(String, Option<String>)],
        rating: &serde_json::Value,
    ) -> StoreResult<()>;
}
