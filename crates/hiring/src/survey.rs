//! A job analysis and its SME survey: the position (or group of positions) analysed, the task
//! inventory, the competency list, the SME panel, and the SMEs' ratings of tasks, competencies
//! and task × competency links.
//!
//! These are the values a store keeps and a server's survey form fills, and the values the rating
//! files are read into. [`validate_ratings`] checks ratings against the inventory and the scales
//! and returns every problem with the index of the rating and the field (named like the CSV
//! column), so an adapter can name the file, row and column.

use std::collections::{HashMap, HashSet};

use framewright_model::{Framework, Grade, Role};
use serde::{Deserialize, Serialize};

use crate::ai_work::AiWorkAnswers;
use crate::parameters::AnalysisParameters;
use crate::scales::OPM_SCALE_MAX;

/// Where a task statement comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaskSource {
    /// Written by the analyst or the SMEs.
    Analyst,
    /// An O*NET task statement.
    Onet {
        /// O*NET-SOC occupation code (`15-2051.00`).
        occupation: String,
        /// O*NET task id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_id: Option<String>,
    },
    /// Taken from a position description, classification standard or other document.
    Document {
        /// The document.
        title: String,
    },
}

/// A task of the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Identifier used in the rating files (`T01`).
    pub id: String,
    /// The task statement ("Designs experiments to compare model architectures …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// Where the statement comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<TaskSource>,
}

/// A competency on the list the SMEs rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobCompetency {
    /// Identifier used in the rating files (the framework's or catalogue's id).
    pub id: String,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Definition the SMEs read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Where it comes from (`opm-ai-2024`, the framework id, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A subject-matter expert, known in reports only by an anonymised id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sme {
    /// Anonymised identifier (`SME-1`); never a name.
    pub id: String,
    /// Why this person can judge the work (the Uniform Guidelines ask for the judges'
    /// qualifications): position, grade, years in the work, credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifications: Option<String>,
    /// Incumbent, supervisor, or other relation to the position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
}

/// The framework a job analysis draws its competencies from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRef {
    /// Framework id.
    pub id: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// A job analysis: what is analysed, the inventory, the panel and the analyst's answers on AI
/// work. Ratings are kept apart ([`Ratings`]) because they arrive over time, SME by SME.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobAnalysis {
    /// Identifier (a slug).
    pub id: String,
    /// The position or group of positions ("AI Research Scientist, GS-14").
    pub title: String,
    /// What the position does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Occupational series (`1550`), several separated by commas for a multidisciplinary
    /// position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// Agency or organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Which positions the analysis covers (5 CFR 300.103(a): one position, a group of positions,
    /// an occupation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positions_covered: Option<String>,
    /// The competency framework the competency list comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<FrameworkRef>,
    /// Who conducted the analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyst: Option<String>,
    /// Sources of job information used (position descriptions, classification standards, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub information_sources: Vec<String>,
    /// The task inventory.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// The competency list.
    #[serde(default)]
    pub competencies: Vec<JobCompetency>,
    /// The SME panel.
    #[serde(default)]
    pub smes: Vec<Sme>,
    /// The analyst's answers to OPM's criteria for AI work.
    #[serde(default)]
    pub ai_work: AiWorkAnswers,
}

impl JobAnalysis {
    /// An empty job analysis.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        JobAnalysis {
            id: id.into(),
            title: title.into(),
            description: None,
            series: None,
            grade: None,
            organisation: None,
            positions_covered: None,
            framework: None,
            analyst: None,
            information_sources: Vec::new(),
            tasks: Vec::new(),
            competencies: Vec::new(),
            smes: Vec::new(),
            ai_work: AiWorkAnswers::default(),
        }
    }

    /// A job analysis for a role: its title, description, grade and job family, and a task
    /// inventory from its task statements (ids `T01`, `T02`, …, source: the analyst).
    pub fn from_role(id: impl Into<String>, role: &Role) -> Self {
        let mut job = JobAnalysis::new(id, role.title.clone());
        job.description = role.description.clone();
        job.grade = role.grade;
        job.series = role.job_family.clone();
        job.organisation = role.organisation.clone();
        let width = role.tasks.len().to_string().len().max(2);
        job.tasks = role
            .tasks
            .iter()
            .enumerate()
            .map(|(i, statement)| Task {
                id: format!("T{:0width$}", i + 1),
                statement: Some(statement.clone()),
                source: Some(TaskSource::Analyst),
            })
            .collect();
        job
    }

    /// Adds the tasks, competencies and SMEs that the ratings mention and the inventory lacks, in
    /// order of first appearance (for ratings imported without an inventory). Returns how many
    /// of each were added.
    pub fn complete_from_ratings(&mut self, ratings: &Ratings) -> (usize, usize, usize) {
        let mut tasks: HashSet<String> = self.tasks.iter().map(|t| t.id.clone()).collect();
        let mut competencies: HashSet<String> =
            self.competencies.iter().map(|c| c.id.clone()).collect();
        let mut smes: HashSet<String> = self.smes.iter().map(|s| s.id.clone()).collect();
        let before = (self.tasks.len(), self.competencies.len(), self.smes.len());
        let mut add_task = |id: &str, list: &mut Vec<Task>| {
            if !id.is_empty() && !tasks.contains(id) && tasks.insert(id.to_string()) {
                list.push(Task {
                    id: id.to_string(),
                    statement: None,
                    source: None,
                });
            }
        };
        for r in &ratings.tasks {
            add_task(&r.task, &mut self.tasks);
        }
        for r in &ratings.linkage {
            add_task(&r.task, &mut self.tasks);
        }
        let mut add_competency = |id: &str, list: &mut Vec<JobCompetency>| {
            if !id.is_empty() && !competencies.contains(id) && competencies.insert(id.to_string()) {
                list.push(JobCompetency {
                    id: id.to_string(),
                    name: None,
                    definition: None,
                    source: None,
                });
            }
        };
        for r in &ratings.competencies {
            add_competency(&r.competency, &mut self.competencies);
        }
        for r in &ratings.linkage {
            add_competency(&r.competency, &mut self.competencies);
        }
        let sme_ids = ratings
            .tasks
            .iter()
            .map(|r| &r.sme)
            .chain(ratings.competencies.iter().map(|r| &r.sme))
            .chain(ratings.linkage.iter().map(|r| &r.sme));
        for id in sme_ids {
            if !id.is_empty() && !smes.contains(id) && smes.insert(id.clone()) {
                self.smes.push(Sme {
                    id: id.clone(),
                    qualifications: None,
                    relation: None,
                });
            }
        }
        (
            self.tasks.len() - before.0,
            self.competencies.len() - before.1,
            self.smes.len() - before.2,
        )
    }

    /// Fills the competency list from a framework (ids, names, definitions), keeping competencies
    /// already listed. Returns how many were added.
    pub fn add_framework_competencies(&mut self, framework: &Framework) -> usize {
        let mut added = 0;
        for c in &framework.competencies {
            if self.competencies.iter().any(|existing| existing.id == c.id) {
                continue;
            }
            self.competencies.push(JobCompetency {
                id: c.id.clone(),
                name: Some(c.name.clone()),
                definition: c.definition.clone(),
                source: Some(framework.id.clone()),
            });
            added += 1;
        }
        if self.framework.is_none() {
            self.framework = Some(FrameworkRef {
                id: framework.id.clone(),
                title: Some(framework.title.clone()),
                version: Some(framework.version.to_string()),
            });
        }
        added
    }

    /// The task with `id`.
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The competency with `id`.
    pub fn competency(&self, id: &str) -> Option<&JobCompetency> {
        self.competencies.iter().find(|c| c.id == id)
    }
}

/// One SME's ratings of one task. `None` is "don't know" or left blank: missing, which is not
/// the same as 0 = Not performed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskRating {
    /// The SME.
    pub sme: String,
    /// The task.
    pub task: String,
    /// Importance, 0 (Not performed) … 5.
    pub importance: Option<u8>,
    /// Frequency, 0 (Not performed) … 5.
    pub frequency: Option<u8>,
}

/// One SME's ratings of one competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetencyRating {
    /// The SME.
    pub sme: String,
    /// The competency.
    pub competency: String,
    /// Importance, 1 … 5.
    pub importance: Option<u8>,
    /// Needed at entry.
    pub needed_at_entry: Option<bool>,
    /// Distinguishing value, on the scale set in the parameters.
    #[serde(default)]
    pub distinguishing_value: Option<u8>,
}

/// One SME's judgement whether a competency is needed to perform a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkageRating {
    /// The SME.
    pub sme: String,
    /// The task.
    pub task: String,
    /// The competency.
    pub competency: String,
    /// Whether the competency is needed to perform the task.
    pub linked: bool,
}

/// All ratings of a job analysis.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratings {
    /// Task ratings.
    #[serde(default)]
    pub tasks: Vec<TaskRating>,
    /// Competency ratings.
    #[serde(default)]
    pub competencies: Vec<CompetencyRating>,
    /// Task × competency links.
    #[serde(default)]
    pub linkage: Vec<LinkageRating>,
}

impl Ratings {
    /// Whether there are no ratings at all.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty() && self.competencies.is_empty() && self.linkage.is_empty()
    }

    /// One SME's answers, as the survey form shows them.
    pub fn response(&self, sme: &str) -> SmeResponse {
        SmeResponse {
            sme: sme.to_string(),
            tasks: self
                .tasks
                .iter()
                .filter(|r| r.sme == sme)
                .cloned()
                .collect(),
            competencies: self
                .competencies
                .iter()
                .filter(|r| r.sme == sme)
                .cloned()
                .collect(),
            linkage: self
                .linkage
                .iter()
                .filter(|r| r.sme == sme)
                .cloned()
                .collect(),
        }
    }

    /// Replaces everything one SME answered with `response` (an SME edits their answers until
    /// the survey closes; one response per SME). Ratings in the response that name another SME
    /// are refused.
    pub fn set_response(&mut self, response: SmeResponse) -> Result<(), ForeignRating> {
        let sme = response.sme.as_str();
        let foreign = response
            .tasks
            .iter()
            .map(|r| &r.sme)
            .chain(response.competencies.iter().map(|r| &r.sme))
            .chain(response.linkage.iter().map(|r| &r.sme))
            .find(|s| s.as_str() != sme);
        if let Some(other) = foreign {
            return Err(ForeignRating {
                response: sme.to_string(),
                found: other.clone(),
            });
        }
        self.tasks.retain(|r| r.sme != sme);
        self.competencies.retain(|r| r.sme != sme);
        self.linkage.retain(|r| r.sme != sme);
        self.tasks.extend(response.tasks);
        self.competencies.extend(response.competencies);
        self.linkage.extend(response.linkage);
        Ok(())
    }
}

/// Everything one SME answered.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmeResponse {
    /// The SME.
    pub sme: String,
    /// Task ratings.
    #[serde(default)]
    pub tasks: Vec<TaskRating>,
    /// Competency ratings.
    #[serde(default)]
    pub competencies: Vec<CompetencyRating>,
    /// Links.
    #[serde(default)]
    pub linkage: Vec<LinkageRating>,
}

/// A response that carries another SME's ratings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the response of SME \"{response}\" contains a rating by \"{found}\"")]
pub struct ForeignRating {
    /// The SME whose response it is.
    pub response: String,
    /// The other SME named in it.
    pub found: String,
}

/// Which list of ratings a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingList {
    /// Task ratings.
    Tasks,
    /// Competency ratings.
    Competencies,
    /// Linkage ratings.
    Linkage,
}

/// A rating that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingProblem {
    /// The list.
    pub list: RatingList,
    /// 0-based index of the rating in its list.
    pub index: usize,
    /// The field, named like the column of the rating file (`importance`, `task_id`, …).
    pub field: String,
    /// What is wrong, for an HR specialist.
    pub message: String,
    /// For a duplicate: the index of the first rating of the same pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<usize>,
}

fn problem(list: RatingList, index: usize, field: &str, message: String) -> RatingProblem {
    RatingProblem {
        list,
        index,
        field: field.to_string(),
        message,
        duplicate_of: None,
    }
}

/// Checks every rating: ids present and known to the inventory, values on their scales, no SME
/// rating the same item twice. An empty result means the ratings can be analysed.
pub fn validate_ratings(
    job: &JobAnalysis,
    ratings: &Ratings,
    parameters: &AnalysisParameters,
) -> Vec<RatingProblem> {
    let known = KnownIds {
        tasks: job.tasks.iter().map(|t| t.id.as_str()).collect(),
        competencies: job.competencies.iter().map(|c| c.id.as_str()).collect(),
        smes: job.smes.iter().map(|s| s.id.as_str()).collect(),
    };
    let mut problems = Vec::new();
    check_task_ratings(&known, &ratings.tasks, &mut problems);
    check_competency_ratings(&known, &ratings.competencies, parameters, &mut problems);
    check_linkage_ratings(&known, &ratings.linkage, &mut problems);
    problems
}

/// The ids of the inventory and its SMEs, which ratings must name.
struct KnownIds<'a> {
    tasks: HashSet<&'a str>,
    competencies: HashSet<&'a str>,
    smes: HashSet<&'a str>,
}

/// Reports an empty id, or one that is not among `known`.
fn check_id(
    problems: &mut Vec<RatingProblem>,
    list: RatingList,
    index: usize,
    field: &str,
    what: &str,
    value: &str,
    known: &HashSet<&str>,
) {
    if value.trim().is_empty() {
        problems.push(problem(
            list,
            index,
            field,
            format!("the {what} id is empty"),
        ));
    } else if !known.contains(value) {
        problems.push(problem(
            list,
            index,
            field,
            format!("\"{value}\" is not a {what} of this job analysis"),
        ));
    }
}

/// Task ratings: known SME and task, importance and frequency 0–5, each pair rated once.
fn check_task_ratings(
    known: &KnownIds<'_>,
    ratings: &[TaskRating],
    problems: &mut Vec<RatingProblem>,
) {
    let mut seen_tasks: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, r) in ratings.iter().enumerate() {
        let list = RatingList::Tasks;
        check_id(problems, list, i, "sme_id", "SME", &r.sme, &known.smes);
        check_id(problems, list, i, "task_id", "task", &r.task, &known.tasks);
        for (field, value) in [("importance", r.importance), ("frequency", r.frequency)] {
            if let Some(v) = value.filter(|v| *v > OPM_SCALE_MAX) {
                problems.push(problem(
                    list,
                    i,
                    field,
                    format!("{v} is not on the scale: use 0 (Not performed) to 5, or leave it empty for \"don't know\""),
                ));
            }
        }
        if let Some(first) = seen_tasks.insert((&r.sme, &r.task), i) {
            seen_tasks.insert((&r.sme, &r.task), first);
            problems.push(RatingProblem {
                duplicate_of: Some(first),
                ..problem(
                    list,
                    i,
                    "task_id",
                    format!("SME \"{}\" rated task \"{}\" twice", r.sme, r.task),
                )
            });
        }
    }
}

/// Competency ratings: known SME and competency, importance 1–5, distinguishing value on its
/// scale, each pair rated once.
fn check_competency_ratings(
    known: &KnownIds<'_>,
    ratings: &[CompetencyRating],
    parameters: &AnalysisParameters,
    problems: &mut Vec<RatingProblem>,
) {
    let (dv_low, dv_high) = parameters.distinguishing_value_scale.range();
    let mut seen_competencies: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, r) in ratings.iter().enumerate() {
        let list = RatingList::Competencies;
        check_id(problems, list, i, "sme_id", "SME", &r.sme, &known.smes);
        check_id(
            problems,
            list,
            i,
            "competency_id",
            "competency",
            &r.competency,
            &known.competencies,
        );
        if let Some(v) = r.importance.filter(|v| *v < 1 || *v > OPM_SCALE_MAX) {
            problems.push(problem(
                list,
                i,
                "importance",
                format!("{v} is not on the scale: competency importance is 1 (Not important) to 5 (Extremely important), or empty for \"don't know\""),
            ));
        }
        if let Some(v) = r
            .distinguishing_value
            .filter(|v| *v < dv_low || *v > dv_high)
        {
            problems.push(problem(
                list,
                i,
                "distinguishing_value",
                format!("{v} is not on the distinguishing-value scale ({dv_low} to {dv_high}), or leave it empty"),
            ));
        }
        if let Some(first) = seen_competencies.insert((&r.sme, &r.competency), i) {
            seen_competencies.insert((&r.sme, &r.competency), first);
            problems.push(RatingProblem {
                duplicate_of: Some(first),
                ..problem(
                    list,
                    i,
                    "competency_id",
                    format!(
                        "SME \"{}\" rated competency \"{}\" twice",
                        r.sme, r.competency
                    ),
                )
            });
        }
    }
}

/// Linkage ratings: known SME, task and competency, each triple rated once.
fn check_linkage_ratings(
    known: &KnownIds<'_>,
    ratings: &[LinkageRating],
    problems: &mut Vec<RatingProblem>,
) {
    let mut seen_links: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for (i, r) in ratings.iter().enumerate() {
        let list = RatingList::Linkage;
        check_id(problems, list, i, "sme_id", "SME", &r.sme, &known.smes);
        check_id(problems, list, i, "task_id", "task", &r.task, &known.tasks);
        check_id(
            problems,
            list,
            i,
            "competency_id",
            "competency",
            &r.competency,
            &known.competencies,
        );
        if let Some(first) = seen_links.insert((&r.sme, &r.task, &r.competency), i) {
            seen_links.insert((&r.sme, &r.task, &r.competency), first);
            problems.push(RatingProblem {
                duplicate_of: Some(first),
                ..problem(
                    list,
                    i,
                    "competency_id",
                    format!(
                        "SME \"{}\" linked competency \"{}\" to task \"{}\" twice",
                        r.sme, r.competency, r.task
                    ),
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> JobAnalysis {
        let mut job = JobAnalysis::new("ja", "Test");
        let ratings = Ratings {
            tasks: vec![TaskRating {
                sme: "S1".into(),
                task: "T1".into(),
                importance: Some(3),
                frequency: Some(3),
            }],
            competencies: vec![CompetencyRating {
                sme: "S1".into(),
                competency: "C1".into(),
                importance: Some(4),
                needed_at_entry: Some(true),
                distinguishing_value: None,
            }],
            linkage: Vec::new(),
        };
        job.complete_from_ratings(&ratings);
        job
    }

    #[test]
    fn the_inventory_is_completed_from_ratings_in_order_of_appearance() {
        let j = job();
        assert_eq!(j.tasks.len(), 1);
        assert_eq!(j.competencies[0].id, "C1");
        assert_eq!(j.smes[0].id, "S1");
    }

    #[test]
    fn a_role_gives_the_inventory_and_a_response_replaces_an_smes_answers() {
        let role = Role {
            title: "AI Research Scientist".into(),
            tasks: vec!["Designs experiments.".into(), "Writes papers.".into()],
            grade: Grade::new(14),
            ..Role::default()
        };
        let j = JobAnalysis::from_role("ja", &role);
        assert_eq!(j.tasks[1].id, "T02");
        assert_eq!(
            j.tasks[0].statement.as_deref(),
            Some("Designs experiments.")
        );
        assert_eq!(j.grade, Grade::new(14));

        let rating = |sme: &str, importance: u8| TaskRating {
            sme: sme.into(),
            task: "T01".into(),
            importance: Some(importance),
            frequency: Some(3),
        };
        let mut ratings = Ratings {
            tasks: vec![rating("S1", 2), rating("S2", 4)],
            ..Ratings::default()
        };
        let mut edited = ratings.response("S1");
        edited.tasks[0].importance = Some(5);
        ratings.set_response(edited).unwrap();
        assert_eq!(ratings.tasks.len(), 2);
        assert_eq!(ratings.response("S1").tasks[0].importance, Some(5));
        assert_eq!(ratings.response("S2").tasks[0].importance, Some(4));
        let mut forged = ratings.response("S1");
        forged.tasks.push(rating("S2", 1));
        assert!(ratings.set_response(forged).is_err());
    }

    #[test]
    fn every_problem_names_its_rating_and_field() {
        let j = job();
        let ratings = Ratings {
            tasks: vec![
                TaskRating {
                    sme: "S1".into(),
                    task: "T1".into(),
                    importance: Some(6),
                    frequency: None,
                },
                TaskRating {
                    sme: "S1".into(),
                    task: "T1".into(),
                    importance: Some(3),
                    frequency: Some(3),
                },
                TaskRating {
                    sme: "S9".into(),
                    task: "T1".into(),
                    importance: Some(3),
                    frequency: Some(3),
                },
            ],
            competencies: vec![CompetencyRating {
                sme: "S1".into(),
                competency: "C1".into(),
                importance: Some(0),
                needed_at_entry: None,
                distinguishing_value: Some(9),
            }],
            linkage: vec![LinkageRating {
                sme: "S1".into(),
                task: "T7".into(),
                competency: "C1".into(),
                linked: true,
            }],
        };
        let problems = validate_ratings(&j, &ratings, &AnalysisParameters::default());
        let summary: Vec<(RatingList, usize, &str)> = problems
            .iter()
            .map(|p| (p.list, p.index, p.field.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (RatingList::Tasks, 0, "importance"),
                (RatingList::Tasks, 1, "task_id"),
                (RatingList::Tasks, 2, "sme_id"),
                (RatingList::Competencies, 0, "importance"),
                (RatingList::Competencies, 0, "distinguishing_value"),
                (RatingList::Linkage, 0, "task_id"),
            ]
        );
        assert_eq!(problems[1].duplicate_of, Some(0));
    }
}
