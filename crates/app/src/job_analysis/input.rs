//! The inputs of creating a job analysis and of changing its inventory: tasks and competencies
//! as a person writes them, turned into the domain's with every wrong field named.

use std::collections::HashSet;

use framewright_hiring::AnalysisParameters;
use framewright_hiring::survey::{JobCompetency, Task, TaskSource};
use uuid::Uuid;

use super::invalid;
use crate::{AppResult, FieldIssue};

/// A task of the inventory as given.
#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    /// Id (`T01`); given in order when left out.
    pub id: Option<String>,
    /// What is done.
    pub statement: String,
}

/// A competency of the list as given.
#[derive(Debug, Clone, Default)]
pub struct CompetencyInput {
    /// Id (the framework's competency id).
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Definition.
    pub definition: Option<String>,
}

/// A new job analysis.
#[derive(Debug, Clone, Default)]
pub struct NewAnalysisInput {
    /// The position ("AI Research Scientist, GS-14").
    pub title: String,
    /// Grade (`GS-14`).
    pub grade: Option<String>,
    /// Occupational series (`1550`).
    pub series: Option<String>,
    /// What the position does.
    pub description: Option<String>,
    /// Which positions the analysis covers.
    pub positions_covered: Option<String>,
    /// The framework the competency list comes from.
    pub framework_id: Option<Uuid>,
    /// The task inventory.
    pub tasks: Vec<TaskInput>,
    /// The competency list; empty with a framework: the framework's competencies.
    pub competencies: Vec<CompetencyInput>,
    /// Thresholds; OPM's defaults when left out.
    pub parameters: Option<AnalysisParameters>,
    /// The analyst's name, as the report shows it.
    pub analyst: Option<String>,
}

/// The task inventory, ids given in order where left out (`/tasks/{i}/…` names a wrong one).
pub(super) fn tasks_from(input: Vec<TaskInput>) -> AppResult<Vec<Task>> {
    let width = input.len().to_string().len().max(2);
    let mut seen = HashSet::new();
    let mut issues = Vec::new();
    let mut out = Vec::with_capacity(input.len());
    for (i, t) in input.into_iter().enumerate() {
        let id =
            t.id.map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("T{:0width$}", i + 1));
        if t.statement.trim().is_empty() {
            issues.push(FieldIssue::new(
                format!("/tasks/{i}/statement"),
                "write what is done in this task",
            ));
        }
        if !seen.insert(id.clone()) {
            issues.push(FieldIssue::new(
                format!("/tasks/{i}/id"),
                format!("task id \"{id}\" is used twice"),
            ));
        }
        out.push(Task {
            id,
            statement: Some(t.statement.trim().to_string()),
            source: Some(TaskSource::Analyst),
        });
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(invalid("the task inventory is not valid", issues))
    }
}

/// The competency list (`/competencies/{i}/id` names a wrong one).
pub(super) fn competencies_from(input: Vec<CompetencyInput>) -> AppResult<Vec<JobCompetency>> {
    let mut seen = HashSet::new();
    let mut issues = Vec::new();
    let mut out = Vec::with_capacity(input.len());
    for (i, c) in input.into_iter().enumerate() {
        let id = c.id.trim().to_string();
        if id.is_empty() {
            issues.push(FieldIssue::new(
                format!("/competencies/{i}/id"),
                "every competency needs an id",
            ));
        } else if !seen.insert(id.clone()) {
            issues.push(FieldIssue::new(
                format!("/competencies/{i}/id"),
                format!("competency id \"{id}\" is used twice"),
            ));
        }
        out.push(JobCompetency {
            id,
            name: c.name,
            definition: c.definition,
            source: None,
        });
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(invalid("the competency list is not valid", issues))
    }
}

/// A text that says something, trimmed of nothing (empty and blank mean "not given").
pub(super) fn given(text: Option<String>) -> Option<String> {
    text.filter(|s| !s.trim().is_empty())
}
