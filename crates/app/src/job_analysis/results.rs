//! What the ratings show: the analysis with OPM's named parameters, the documentation report,
//! and the assessment blueprint checked against the analysis.

use framewright_hiring::analysis::Analysis;
use framewright_hiring::blueprint::{
    AssessmentMethod, Blueprint, BlueprintIssue, DraftOptions, check_blueprint, draft_blueprint,
};
use framewright_hiring::report::{DocumentationReport, documentation_report};
use framewright_hiring::survey::{JobAnalysis, Ratings};
use framewright_hiring::{AnalysisError, analyze};
use framewright_store::Store;
use framewright_store::job_analysis::JobAnalysisRecord;
use uuid::Uuid;

use super::{
    ai_work_criteria, fault, job_with_panel, load, load_framework, rating_problems, require_editor,
    to_value,
};
use crate::{Actor, AppError, AppResult, FieldIssue};

/// Runs the analysis on the stored ratings and parameters.
async fn run(
    store: &dyn Store,
    actor: &Actor,
    record: &JobAnalysisRecord,
) -> AppResult<(JobAnalysis, Ratings, Analysis)> {
    let (job, _) = job_with_panel(store, actor.org_id, record).await?;
    let ratings = store.ratings(actor.org_id, record.id).await?;
    let analysis = analyze(&job, &ratings, &record.parameters).map_err(|e| match e {
        AnalysisError::Ratings(problems) => rating_problems(&problems),
        AnalysisError::Parameters(p) => AppError::Invalid {
            detail: format!("the parameters are not valid: {p}"),
            issues: Vec::new(),
        },
    })?;
    Ok((job, ratings, analysis))
}

/// The analysis of the stored ratings: critical tasks, critical and retained competencies,
/// each decision with the rule that made it, n, SD and agreement.
pub async fn analysis(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
) -> AppResult<(JobAnalysisRecord, Analysis)> {
    let record = load(store, actor, id).await?;
    let (_, _, analysis) = run(store, actor, &record).await?;
    Ok((record, analysis))
}

/// The documentation report (method, SMEs, scales, rating summaries, decisions with their
/// rules, linkage matrix, AI-work criteria), dated `prepared_on`.
pub async fn report(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    prepared_on: time::Date,
) -> AppResult<DocumentationReport> {
    let record = load(store, actor, id).await?;
    let (job, ratings, analysis) = run(store, actor, &record).await?;
    let criteria = ai_work_criteria()?;
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
        Some(prepared_on),
    )
    .map_err(|e| AppError::Invalid {
        detail: format!("the AI-work answers cannot be reported: {e}"),
        issues: vec![FieldIssue::new("/ai_work", e.to_string())],
    })
}

/// A blueprint with its check against the analysis.
#[derive(Debug, Clone)]
pub struct BlueprintView {
    /// The blueprint.
    pub blueprint: Blueprint,
    /// Problems found (severity, competency, message).
    pub issues: Vec<BlueprintIssue>,
}

/// A blueprint: drafted from methods, or given whole.
#[derive(Debug, Clone, Default)]
pub struct BlueprintInput {
    /// Draft with these methods (`structured-interview`, `work-sample`, …) for every retained
    /// competency.
    pub methods: Vec<String>,
    /// Or the whole blueprint, edited.
    pub blueprint: Option<Blueprint>,
}

/// The check of `blueprint` against the analysis, on the scale of the analysis's framework.
async fn checked(
    store: &dyn Store,
    actor: &Actor,
    record: &JobAnalysisRecord,
    blueprint: Blueprint,
    analysis: &Analysis,
) -> AppResult<BlueprintView> {
    let framework = match record.framework {
        Some(id) => load_framework(store, actor.org_id, id).await?,
        None => None,
    };
    let scale_max = framework.as_ref().map(|f| f.scale.levels.len() as u8);
    let issues = check_blueprint(&blueprint, &analysis.competencies, scale_max);
    Ok(BlueprintView { blueprint, issues })
}

/// Drafts (from methods) or stores (whole) the assessment blueprint.
pub async fn set_blueprint(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    input: BlueprintInput,
) -> AppResult<BlueprintView> {
    require_editor(actor)?;
    let record = load(store, actor, id).await?;
    let (job, _, analysis) = run(store, actor, &record).await?;
    let blueprint = match input.blueprint {
        Some(b) => b,
        None => draft(store, actor, &record, &job, &analysis, &input.methods).await?,
    };
    store
        .set_blueprint(actor.org_id, actor.user_id, id, &to_value(&blueprint)?)
        .await?;
    checked(store, actor, &record, blueprint, &analysis).await
}

async fn draft(
    store: &dyn Store,
    actor: &Actor,
    record: &JobAnalysisRecord,
    job: &JobAnalysis,
    analysis: &Analysis,
    methods: &[String],
) -> AppResult<Blueprint> {
    let mut parsed = Vec::new();
    for (i, m) in methods.iter().enumerate() {
        parsed.push(
            m.parse::<AssessmentMethod>()
                .map_err(|e| AppError::Invalid {
                    detail: format!("unknown assessment method: {e}"),
                    issues: vec![FieldIssue::new(format!("/methods/{i}"), e.to_string())],
                })?,
        );
    }
    let framework = match record.framework {
        Some(id) => load_framework(store, actor.org_id, id).await?,
        None => None,
    };
    let options = DraftOptions {
        position: &job.title,
        grade: job.grade,
        methods: &parsed,
        framework: framework.as_ref(),
    };
    draft_blueprint(&analysis.competencies, options).map_err(|e| AppError::Invalid {
        detail: e.to_string(),
        issues: vec![FieldIssue::new("/methods", e.to_string())],
    })
}

/// The stored assessment blueprint with its check against the analysis.
pub async fn blueprint(store: &dyn Store, actor: &Actor, id: Uuid) -> AppResult<BlueprintView> {
    let record = load(store, actor, id).await?;
    let Some(stored) = &record.blueprint else {
        return Err(AppError::NotFound(
            "this job analysis has no blueprint yet".to_string(),
        ));
    };
    let blueprint: Blueprint = serde_json::from_value(stored.clone())
        .map_err(|e| fault(format!("stored blueprint: {e}")))?;
    let (_, _, analysis) = run(store, actor, &record).await?;
    checked(store, actor, &record, blueprint, &analysis).await
}
