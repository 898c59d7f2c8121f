//! The analysis itself: create, list, read, delete; its inventory (tasks and competencies,
//! given, from the framework, or suggested by the generator), its parameters and the
//! analyst's AI-work answers.

use std::future::Future;

use framewright_hiring::AnalysisParameters;
use framewright_hiring::ai_work::AiWorkAnswers;
use framewright_hiring::survey::{FrameworkRef, JobAnalysis, JobCompetency};
use framewright_model::Framework;
use framewright_model::role::Role;
use framewright_store::job_analysis::{
    JobAnalysisRecord, JobAnalysisSummary, NewJobAnalysis, SmeRecord,
};
use framewright_store::{PageRequest, Paged, Store};
use uuid::Uuid;

use super::input::{
    CompetencyInput, NewAnalysisInput, TaskInput, competencies_from, given, tasks_from,
};
use super::{ai_work_criteria, load, load_framework, require_editor, require_open};
use crate::{Actor, AppError, AppResult, FieldIssue};

/// A job analysis with its SME panel.
#[derive(Debug, Clone)]
pub struct AnalysisView {
    /// The analysis as stored.
    pub record: JobAnalysisRecord,
    /// The panel, in the order invited or imported.
    pub panel: Vec<SmeRecord>,
}

impl AnalysisView {
    /// SMEs who answered.
    pub fn responded(&self) -> usize {
        self.panel
            .iter()
            .filter(|s| s.responded_at.is_some())
            .count()
    }
}

pub(crate) async fn view(
    store: &dyn Store,
    actor: &Actor,
    record: JobAnalysisRecord,
) -> AppResult<AnalysisView> {
    let panel = store.list_smes(actor.org_id, record.id).await?;
    Ok(AnalysisView { record, panel })
}

/// One page of the organisation's job analyses, newest first.
pub async fn list(
    store: &dyn Store,
    actor: &Actor,
    page: PageRequest,
) -> AppResult<Paged<JobAnalysisSummary>> {
    Ok(store.list_job_analyses(actor.org_id, page).await?)
}

/// A job analysis with its panel.
pub async fn get(store: &dyn Store, actor: &Actor, id: Uuid) -> AppResult<AnalysisView> {
    let record = load(store, actor, id).await?;
    view(store, actor, record).await
}

/// Deletes a job analysis with its panel, ratings, cut scores and applicants.
pub async fn delete(store: &dyn Store, actor: &Actor, id: Uuid) -> AppResult<()> {
    require_editor(actor)?;
    Ok(store
        .delete_job_analysis(actor.org_id, actor.user_id, id)
        .await?)
}

/// Creates a job analysis for a position: survey open, OPM's default parameters unless given.
pub async fn create(
    store: &dyn Store,
    actor: &Actor,
    input: NewAnalysisInput,
) -> AppResult<AnalysisView> {
    require_editor(actor)?;
    if input.title.trim().is_empty() {
        let issue = FieldIssue::new(
            "/title",
            "write the position, for example \"AI Research Scientist, GS-14\"",
        );
        return Err(AppError::Invalid {
            detail: "the job analysis needs a title: the position analysed".to_string(),
            issues: vec![issue],
        });
    }
    let mut job = JobAnalysis::new(Uuid::now_v7().to_string(), input.title.trim());
    if let Some(grade) = input
        .grade
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        job.grade = Some(grade.parse().map_err(|e| {
            let text = format!("{e}");
            AppError::Invalid {
                detail: format!("grade: {text}"),
                issues: vec![FieldIssue::new("/grade", text)],
            }
        })?);
    }
    job.series = given(input.series);
    job.description = given(input.description);
    job.positions_covered = given(input.positions_covered);
    job.analyst = input.analyst;
    job.tasks = tasks_from(input.tasks)?;
    job.competencies = competencies_from(input.competencies)?;
    if let Some(framework) = input.framework_id {
        let keep = std::mem::take(&mut job.competencies);
        framework_competencies(store, actor, framework, &mut job).await?;
        if !keep.is_empty() {
            job.competencies = keep;
        }
    }
    let parameters = input.parameters.unwrap_or_default();
    parameters.validate().map_err(|e| AppError::Invalid {
        detail: format!("the parameters are not valid: {e}"),
        issues: vec![FieldIssue::new("/parameters", e.problems.join("; "))],
    })?;
    let new = NewJobAnalysis {
        framework: input.framework_id,
        job,
        parameters,
    };
    let record = store
        .create_job_analysis(actor.org_id, actor.user_id, &new)
        .await?;
    view(store, actor, record).await
}

/// Replaces the competency list with the framework's.
async fn framework_competencies(
    store: &dyn Store,
    actor: &Actor,
    framework: Uuid,
    job: &mut JobAnalysis,
) -> AppResult<()> {
    let content = load_framework(store, actor.org_id, framework)
        .await?
        .ok_or_else(|| AppError::Invalid {
            detail: "the framework does not exist in your organisation".to_string(),
            issues: vec![FieldIssue::new("/framework_id", "no such framework")],
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

/// The generator, as the inventory needs it: a draft framework for a role. The server runs
/// its built-in generator kit; tests give a fixed framework.
pub trait CompetencySuggester {
    /// The draft framework for `role` (its competencies become the suggested list).
    fn suggest(&self, role: Role) -> impl Future<Output = AppResult<Framework>> + Send;
}

/// How the competency list of an inventory change is given.
#[derive(Debug, Clone, Default)]
pub struct InventoryInput {
    /// The task inventory (replaces the current one when given).
    pub tasks: Option<Vec<TaskInput>>,
    /// The competency list (replaces the current one when given).
    pub competencies: Option<Vec<CompetencyInput>>,
    /// Take the competency list from the analysis's framework.
    pub competencies_from_framework: bool,
    /// Let the generator suggest the competency list for the analysis's title, description,
    /// grade and task inventory; SMEs then confirm or reject each one in the survey.
    pub competencies_from_tasks: bool,
}

/// Replaces the task inventory and/or the competency list (or takes the competencies from the
/// framework, or from the generator). Only while the survey is open, and never dropping a
/// task or competency an SME has already rated.
pub async fn set_inventory<S: CompetencySuggester + Sync>(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    input: InventoryInput,
    suggester: &S,
) -> AppResult<AnalysisView> {
    require_editor(actor)?;
    let record = load(store, actor, id).await?;
    require_open(&record)?;
    let mut job = record.job.clone();
    if let Some(tasks) = input.tasks {
        job.tasks = tasks_from(tasks)?;
    }
    let ways = [
        input.competencies.is_some(),
        input.competencies_from_framework,
        input.competencies_from_tasks,
    ];
    if ways.iter().filter(|&&given| given).count() > 1 {
        return Err(AppError::Invalid {
            detail: "give the competency list one way: a list, from the framework, or suggested from the tasks".to_string(),
            issues: vec![FieldIssue::new(
                "/competencies_from_tasks",
                "only one of competencies, competencies_from_framework and competencies_from_tasks",
            )],
        });
    }
    if let Some(competencies) = input.competencies {
        job.competencies = competencies_from(competencies)?;
    } else if input.competencies_from_tasks {
        let framework = suggester.suggest(suggestion_role(&job)?).await?;
        job.competencies = suggested_competencies(&framework);
    } else if input.competencies_from_framework {
        let Some(framework) = record.framework else {
            return Err(AppError::Invalid {
                detail: "this job analysis names no framework".to_string(),
                issues: vec![FieldIssue::new(
                    "/competencies_from_framework",
                    "the analysis has no framework",
                )],
            });
        };
        framework_competencies(store, actor, framework, &mut job).await?;
    }
    keeps_rated(store, actor, id, &job).await?;
    let saved = store
        .update_job_analysis(
            actor.org_id,
            actor.user_id,
            record.id,
            &job,
            &record.parameters,
        )
        .await?;
    view(store, actor, saved).await
}

/// Ratings already given must keep their task and competency.
async fn keeps_rated(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    job: &JobAnalysis,
) -> AppResult<()> {
    let ratings = store.ratings(actor.org_id, id).await?;
    let mut orphaned: Vec<String> = Vec::new();
    let tasks = ratings.tasks.iter().map(|r| &r.task);
    for task in tasks.chain(ratings.linkage.iter().map(|r| &r.task)) {
        let name = format!("task \"{task}\"");
        if job.task(task).is_none() && !orphaned.contains(&name) {
            orphaned.push(name);
        }
    }
    let competencies = ratings.competencies.iter().map(|r| &r.competency);
    for competency in competencies.chain(ratings.linkage.iter().map(|r| &r.competency)) {
        let name = format!("competency \"{competency}\"");
        if job.competency(competency).is_none() && !orphaned.contains(&name) {
            orphaned.push(name);
        }
    }
    if orphaned.is_empty() {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "SMEs have already rated {}; keep them in the inventory (or delete the job analysis and start again)",
            orphaned.join(", ")
        )))
    }
}

/// The role the generator suggests competencies for: the analysis's title, description, grade
/// and task statements (at least one statement is needed).
pub fn suggestion_role(job: &JobAnalysis) -> AppResult<Role> {
    let tasks: Vec<String> = job
        .tasks
        .iter()
        .filter_map(|t| t.statement.clone())
        .filter(|s| !s.trim().is_empty())
        .collect();
    if tasks.is_empty() {
        return Err(AppError::Invalid {
            detail: "the task inventory has no task statements to suggest competencies from"
                .to_string(),
            issues: vec![FieldIssue::new(
                "/competencies_from_tasks",
                "add task statements first (or in the same request)",
            )],
        });
    }
    Ok(Role {
        title: job.title.clone(),
        description: job.description.clone(),
        tasks,
        grade: job.grade,
        organisation: job.organisation.clone(),
        ..Default::default()
    })
}

/// The competency list a generated draft suggests, each naming the catalogue it came from.
/// The draft itself is not stored, so the analysis names no framework.
pub fn suggested_competencies(framework: &Framework) -> Vec<JobCompetency> {
    framework
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
        .collect()
}

/// Changes the analysis parameters (thresholds); the next analysis uses them.
pub async fn set_parameters(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    parameters: AnalysisParameters,
) -> AppResult<AnalysisView> {
    require_editor(actor)?;
    let record = load(store, actor, id).await?;
    parameters.validate().map_err(|e| AppError::Invalid {
        detail: format!("the parameters are not valid: {e}"),
        issues: e
            .problems
            .iter()
            .map(|text| FieldIssue::new("", text.clone()))
            .collect(),
    })?;
    let saved = store
        .update_job_analysis(
            actor.org_id,
            actor.user_id,
            record.id,
            &record.job,
            &parameters,
        )
        .await?;
    view(store, actor, saved).await
}

/// Records the analyst's answers to OPM's AI-work criteria.
pub async fn set_ai_work(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    answers: AiWorkAnswers,
) -> AppResult<AnalysisView> {
    require_editor(actor)?;
    let record = load(store, actor, id).await?;
    let criteria = ai_work_criteria()?;
    framewright_hiring::ai_work::ai_work_section(&criteria, &answers).map_err(|e| {
        AppError::Invalid {
            detail: format!("the AI-work answers are not valid: {e}"),
            issues: vec![FieldIssue::new("/answers", e.to_string())],
        }
    })?;
    let mut job = record.job.clone();
    job.ai_work = answers;
    let saved = store
        .update_job_analysis(
            actor.org_id,
            actor.user_id,
            record.id,
            &job,
            &record.parameters,
        )
        .await?;
    view(store, actor, saved).await
}
