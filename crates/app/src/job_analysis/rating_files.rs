//! The SME rating files (task ratings, competency ratings, linkage), read once for every front
//! door: the CLI's `job-analysis analyze` and the server's import both read the three files,
//! put the SMEs (and, for the CLI, the inventory) they name into the job, and check the
//! ratings against it, with every problem located by file, line, row and column.
//!
//! Pure: the caller reads the bytes.

use framewright_hiring::AnalysisParameters;
use framewright_hiring::survey::{
    CompetencyRating, JobAnalysis, LinkageRating, Ratings, TaskRating, validate_ratings,
};
use framewright_interop::hiring::csv::{self as hiring_csv, CsvFileError, Parsed, RatingFiles};

use crate::{AppError, FieldIssue};

/// The stable code of a problem in an uploaded file, on every issue of the error it makes.
pub const FILE_PROBLEM: &str = "invalid-rating-file";

/// One rating file: its name as the user knows it and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct RatingFile<'a> {
    /// The file name (a path, or the request field that held it).
    pub name: &'a str,
    /// The contents.
    pub bytes: &'a [u8],
}

/// The three rating files of a job analysis.
#[derive(Debug, Clone, Copy)]
pub struct RatingFileSet<'a> {
    /// `sme_id,task_id,importance,frequency`.
    pub tasks: RatingFile<'a>,
    /// `sme_id,competency_id,importance,needed_at_entry[,distinguishing_value]`.
    pub competencies: RatingFile<'a>,
    /// `sme_id,task_id,competency_id,linked`, when given.
    pub linkage: Option<RatingFile<'a>>,
}

/// The rating files, read: the ratings with the file line of each.
#[derive(Debug, Clone)]
pub struct RatingTables {
    /// Task ratings.
    pub tasks: Parsed<TaskRating>,
    /// Competency ratings.
    pub competencies: Parsed<CompetencyRating>,
    /// Linkage, when given.
    pub linkage: Option<Parsed<LinkageRating>>,
}

/// What the job keeps of its own and what the ratings fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// The SMEs the ratings name join the panel; tasks and competencies stay the job's (an
    /// unknown one is a problem).
    PanelOnly,
    /// Every list the job leaves empty (tasks, competencies, SMEs) is taken from the ratings.
    EmptyLists,
}

/// Reads every file before judging any, so that all problems are reported at once.
pub fn read(
    files: RatingFileSet<'_>,
    parameters: &AnalysisParameters,
) -> Result<RatingTables, Vec<CsvFileError>> {
    let mut errors = Vec::new();
    let tasks = hiring_csv::read_task_ratings(files.tasks.name, files.tasks.bytes)
        .map_err(|e| errors.push(e))
        .ok();
    let competencies = hiring_csv::read_competency_ratings(
        files.competencies.name,
        files.competencies.bytes,
        parameters.distinguishing_value_scale.range(),
    )
    .map_err(|e| errors.push(e))
    .ok();
    let linkage = files.linkage.and_then(|l| {
        hiring_csv::read_linkage(l.name, l.bytes)
            .map_err(|e| errors.push(e))
            .ok()
    });
    match (tasks, competencies) {
        (Some(tasks), Some(competencies)) if errors.is_empty() => Ok(RatingTables {
            tasks,
            competencies,
            linkage,
        }),
        _ => Err(errors),
    }
}

impl RatingTables {
    /// The ratings of all files.
    pub fn ratings(&self) -> Ratings {
        Ratings {
            tasks: self.tasks.records.clone(),
            competencies: self.competencies.records.clone(),
            linkage: self
                .linkage
                .as_ref()
                .map(|l| l.records.clone())
                .unwrap_or_default(),
        }
    }

    /// Checks the ratings against `job`; each problem names its file, line and column.
    pub fn check(
        &self,
        job: &JobAnalysis,
        ratings: &Ratings,
        parameters: &AnalysisParameters,
    ) -> Result<(), Vec<CsvFileError>> {
        let problems = validate_ratings(job, ratings, parameters);
        if problems.is_empty() {
            return Ok(());
        }
        let files = RatingFiles {
            tasks: &self.tasks,
            competencies: &self.competencies,
            linkage: self.linkage.as_ref(),
        };
        Err(hiring_csv::locate_rating_problems(files, &problems))
    }
}

/// Puts what the ratings name into `job`, as `completion` says.
pub fn complete(job: &mut JobAnalysis, ratings: &Ratings, completion: Completion) {
    let tasks = job.tasks.clone();
    let competencies = job.competencies.clone();
    let smes = job.smes.clone();
    job.complete_from_ratings(ratings);
    match completion {
        Completion::PanelOnly => {
            job.tasks = tasks;
            job.competencies = competencies;
        }
        Completion::EmptyLists => {
            if !tasks.is_empty() {
                job.tasks = tasks;
            }
            if !competencies.is_empty() {
                job.competencies = competencies;
            }
            if !smes.is_empty() {
                job.smes = smes;
            }
        }
    }
}

/// File problems as an invalid input: each issue points at `<file>/row/<n>[/<column>]` and
/// carries the [`FILE_PROBLEM`] code.
pub fn file_errors(detail: &str, errors: &[CsvFileError]) -> AppError {
    let issues = errors
        .iter()
        .flat_map(|e| {
            e.problems.iter().map(|p| {
                let pointer = match &p.column {
                    Some(c) => format!("{}/row/{}/{c}", e.file, p.row),
                    None => format!("{}/row/{}", e.file, p.row),
                };
                FieldIssue {
                    pointer,
                    detail: p.to_string(),
                    code: Some(FILE_PROBLEM.to_string()),
                }
            })
        })
        .collect();
    super::invalid(detail, issues)
}

/// Whether `error` is about an uploaded file (its issues carry the [`FILE_PROBLEM`] code).
pub fn is_file_error(error: &AppError) -> bool {
    matches!(error, AppError::Invalid { issues, .. }
        if issues.iter().any(|i| i.code.as_deref() == Some(FILE_PROBLEM)))
}
