//! The job analysis itself: from SME ratings to critical tasks, critical competencies and the
//! competencies retained for assessment, following OPM's method (DEOH Appendix G, steps 3–5)
//! with the thresholds in [`AnalysisParameters`].
//!
//! - A task that at least half of the SMEs rate Not performed (0) on importance or frequency is
//!   dropped. Not performed counts toward that share; "don't know" (a blank) does not count at
//!   all.
//! - Means leave out the Not performed ratings. A remaining task is critical when both means
//!   reach 3.0.
//! - A competency is critical when its mean importance reaches 3.0 and at least half of the SMEs
//!   say it is needed at entry.
//! - A critical competency is retained when a majority of the SMEs link it to at least one
//!   critical task.
//!
//! Every mean comes with n, SD, the distribution and rwg; every scale with an ICC; every decision
//! with the rule (by its parameter name), the observed value, the threshold and a sentence that
//! says why — including the boundary cases (exactly half, exactly 3.0), ties, items no one rated,
//! a panel of one, and a survey with no ratings at all.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::agreement::{self, ItemAgreement, ScaleAgreement};
use crate::cutoff::{Cutoff, format_mean, format_percent};
use crate::parameters::{AnalysisParameters, ParameterError, rule};
use crate::scales::NOT_PERFORMED;
use crate::survey::{
    CompetencyRating, JobAnalysis, LinkageRating, RatingProblem, Ratings, TaskRating,
    validate_ratings,
};

/// Where an item ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// No SME rated it: no rule could be applied.
    Unrated,
    /// A task dropped as not performed.
    Dropped,
    /// Rated, but not critical.
    NotCritical,
    /// Critical (for a competency: retention waits for the linkage ratings).
    Critical,
    /// A critical competency linked to a critical task: kept for assessment.
    Retained,
    /// A critical competency not linked to a critical task by enough SMEs.
    NotRetained,
}

impl ItemStatus {
    /// The status in words.
    pub fn as_words(self) -> &'static str {
        match self {
            ItemStatus::Unrated => "not rated",
            ItemStatus::Dropped => "dropped",
            ItemStatus::NotCritical => "not critical",
            ItemStatus::Critical => "critical",
            ItemStatus::Retained => "critical and retained",
            ItemStatus::NotRetained => "critical, not retained",
        }
    }
}

/// Summary of one item's ratings on one scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleSummary {
    /// Ratings in the mean (Not performed and "don't know" left out).
    pub n: usize,
    /// Mean.
    pub mean: Option<f64>,
    /// Standard deviation (n − 1), from two ratings on.
    pub sd: Option<f64>,
    /// Lowest rating in the mean.
    pub min: Option<u8>,
    /// Highest rating in the mean.
    pub max: Option<u8>,
    /// How many SMEs gave each value (Not performed included, for the record).
    pub counts: BTreeMap<u8, usize>,
    /// Agreement among the SMEs on this item.
    pub agreement: ItemAgreement,
}

/// One decision and the rule that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The rule's parameter name (`task.critical_when_mean_importance`).
    pub rule: String,
    /// The observed value the rule compared (a mean or a share), if there was one.
    pub observed: Option<f64>,
    /// The threshold.
    pub threshold: Cutoff,
    /// Whether the rule's condition was met.
    pub met: bool,
    /// Whether the observed value is exactly on the threshold.
    pub on_boundary: bool,
    /// The decision in a sentence.
    pub explanation: String,
}

/// The analysis of one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// Task id.
    pub id: String,
    /// Task statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// SMEs who rated the task (at least one scale not blank).
    pub n: usize,
    /// SMEs who rated it Not performed on importance or frequency.
    pub not_performed: usize,
    /// not_performed / n.
    pub not_performed_share: Option<f64>,
    /// Dropped as not performed.
    pub dropped: bool,
    /// Mean importance without Not performed ratings.
    pub mean_importance: Option<f64>,
    /// Mean frequency without Not performed ratings.
    pub mean_frequency: Option<f64>,
    /// Critical task.
    pub critical: bool,
    /// Where it ended up.
    pub status: ItemStatus,
    /// Importance ratings.
    pub importance: ScaleSummary,
    /// Frequency ratings.
    pub frequency: ScaleSummary,
    /// The decisions, in the order they were taken.
    pub decisions: Vec<Decision>,
    /// Remarks on the ratings (inconsistent Not performed, no ratings).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Answers to a yes/no question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YesNoSummary {
    /// SMEs who answered.
    pub n: usize,
    /// SMEs who answered yes.
    pub yes: usize,
}

/// One critical task a competency is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskLink {
    /// The critical task.
    pub task: String,
    /// SMEs who linked the competency to it.
    pub linked: usize,
    /// SMEs who rated the link.
    pub rated: usize,
}

/// The analysis of one competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompetencyResult {
    /// Competency id.
    pub id: String,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// SMEs who rated the competency (any question answered).
    pub n: usize,
    /// Mean importance.
    pub mean_importance: Option<f64>,
    /// Share of the SMEs who answered that say it is needed at entry.
    pub needed_at_entry_share: Option<f64>,
    /// Mean distinguishing value.
    pub mean_distinguishing_value: Option<f64>,
    /// Critical competency.
    pub critical: bool,
    /// Share of the SMEs who rated its links that link it to at least one critical task;
    /// `None` before linkage is rated.
    pub linking_share: Option<f64>,
    /// Whether enough SMEs link it to a critical task; `None` before linkage is rated.
    pub linked_to_critical_task: Option<bool>,
    /// Critical and linked: kept for assessment; `None` before linkage is rated.
    pub retained: Option<bool>,
    /// Where it ended up.
    pub status: ItemStatus,
    /// Importance ratings.
    pub importance: ScaleSummary,
    /// Needed-at-entry answers.
    pub needed_at_entry: YesNoSummary,
    /// Distinguishing-value ratings.
    pub distinguishing_value: ScaleSummary,
    /// The critical tasks at least one SME linked it to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linked_critical_tasks: Vec<TaskLink>,
    /// The decisions, in the order they were taken.
    pub decisions: Vec<Decision>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One cell of the task × competency linkage matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkageCell {
    /// Task.
    pub task: String,
    /// Competency.
    pub competency: String,
    /// SMEs who linked them.
    pub linked: usize,
    /// SMEs who rated the pair.
    pub rated: usize,
    /// linked / rated.
    pub share: f64,
}

/// The task × competency linkage matrix (only pairs someone rated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkageMatrix {
    /// Tasks with at least one link rated, inventory order.
    pub tasks: Vec<String>,
    /// Competencies with at least one link rated, inventory order.
    pub competencies: Vec<String>,
    /// The rated pairs, task by task.
    pub cells: Vec<LinkageCell>,
}

impl LinkageMatrix {
    /// The cell of a pair, if rated.
    pub fn cell(&self, task: &str, competency: &str) -> Option<&LinkageCell> {
        self.cells
            .iter()
            .find(|c| c.task == task && c.competency == competency)
    }
}

/// Agreement over whole scales.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelAgreement {
    /// Task importance, over the tasks kept.
    pub task_importance: ScaleAgreement,
    /// Task frequency, over the tasks kept.
    pub task_frequency: ScaleAgreement,
    /// Competency importance.
    pub competency_importance: ScaleAgreement,
}

/// Who took part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participation {
    /// SMEs on the panel.
    pub panel: usize,
    /// SMEs who rated at least one task.
    pub rated_tasks: usize,
    /// SMEs who rated at least one competency.
    pub rated_competencies: usize,
    /// SMEs who rated at least one link.
    pub rated_linkage: usize,
}

/// The result of a job analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The thresholds used.
    pub parameters: AnalysisParameters,
    /// Who took part.
    pub participation: Participation,
    /// Every task, inventory order.
    pub tasks: Vec<TaskResult>,
    /// Every competency, inventory order.
    pub competencies: Vec<CompetencyResult>,
    /// The linkage matrix, once linkage is rated.
    pub linkage: Option<LinkageMatrix>,
    /// Agreement over whole scales.
    pub agreement: PanelAgreement,
    /// What a reader must know about the survey as a whole (no ratings, one SME, no critical
    /// task, linkage not rated yet, SMEs who did not answer).
    pub warnings: Vec<String>,
}

impl Analysis {
    /// Ids of the critical tasks.
    pub fn critical_tasks(&self) -> impl Iterator<Item = &TaskResult> {
        self.tasks.iter().filter(|t| t.critical)
    }

    /// The competencies retained for assessment.
    pub fn retained_competencies(&self) -> impl Iterator<Item = &CompetencyResult> {
        self.competencies
            .iter()
            .filter(|c| c.retained == Some(true))
    }
}

/// Why an analysis could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// The parameters are out of range.
    #[error(transparent)]
    Parameters(#[from] ParameterError),
    /// Some ratings are unusable; nothing was analysed.
    #[error("{} rating(s) cannot be used; the first: {}", .0.len(), .0.first().map(|p| p.message.as_str()).unwrap_or(""))]
    Ratings(Vec<RatingProblem>),
}

/// Runs the analysis. Ratings are checked first; if any is unusable, nothing is analysed.
pub fn analyze(
    job: &JobAnalysis,
    ratings: &Ratings,
    parameters: &AnalysisParameters,
) -> Result<Analysis, AnalysisError> {
    parameters.validate()?;
    let problems = validate_ratings(job, ratings, parameters);
    if !problems.is_empty() {
        return Err(AnalysisError::Ratings(problems));
    }
    let sme_ids: Vec<&str> = job.smes.iter().map(|s| s.id.as_str()).collect();
    // Ratings grouped by item once, so that large surveys stay linear.
    let by_task = group_by(&ratings.tasks, |r| r.task.as_str());
    let by_competency = group_by(&ratings.competencies, |r| r.competency.as_str());
    let links_by_competency = group_by(&ratings.linkage, |r| r.competency.as_str());

    let tasks: Vec<TaskResult> = job
        .tasks
        .iter()
        .map(|task| {
            let mine = by_task.get(task.id.as_str()).map_or(&[][..], Vec::as_slice);
            analyse_task(&task.id, task.statement.clone(), mine, parameters)
        })
        .collect();
    let critical_tasks: HashSet<&str> = tasks
        .iter()
        .filter(|t| t.critical)
        .map(|t| t.id.as_str())
        .collect();

    let linkage_rated = !ratings.linkage.is_empty();
    let competencies: Vec<CompetencyResult> = job
        .competencies
        .iter()
        .map(|c| {
            let mine = by_competency
                .get(c.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let links = links_by_competency
                .get(c.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let mut result = analyse_competency(&c.id, c.name.clone(), mine, parameters);
            apply_linkage(
                &mut result,
                links,
                linkage_rated,
                &critical_tasks,
                job,
                parameters,
            );
            result
        })
        .collect();

    let linkage = linkage_rated.then(|| linkage_matrix(job, &ratings.linkage));
    let agreement = panel_agreement(job, ratings, &tasks, &sme_ids, parameters);
    let participation = participation(job, ratings);
    let warnings = survey_warnings(job, ratings, &participation, &tasks, &competencies);
    Ok(Analysis {
        parameters: parameters.clone(),
        participation,
        tasks,
        competencies,
        linkage,
        agreement,
        warnings,
    })
}

/// Groups records by a key, keeping file order within each group.
fn group_by<'a, T>(
    records: &'a [T],
    key: impl Fn(&'a T) -> &'a str,
) -> HashMap<&'a str, Vec<&'a T>> {
    let mut groups: HashMap<&str, Vec<&T>> = HashMap::new();
    for r in records {
        groups.entry(key(r)).or_default().push(r);
    }
    groups
}

fn mean_sd(values: &[u8]) -> (Option<f64>, Option<f64>) {
    if values.is_empty() {
        return (None, None);
    }
    let n = values.len() as f64;
    let sum: u32 = values.iter().map(|v| u32::from(*v)).sum();
    let mean = f64::from(sum) / n;
    let sd = (values.len() >= 2).then(|| {
        let ss: f64 = values.iter().map(|v| (f64::from(*v) - mean).powi(2)).sum();
        (ss / (n - 1.0)).sqrt()
    });
    (Some(mean), sd)
}

fn summarise(all: &[u8], used: &[u8], options: u32) -> ScaleSummary {
    let (mean, sd) = mean_sd(used);
    let mut counts = BTreeMap::new();
    for v in all {
        *counts.entry(*v).or_insert(0) += 1;
    }
    ScaleSummary {
        n: used.len(),
        mean,
        sd,
        min: used.iter().copied().min(),
        max: used.iter().copied().max(),
        counts,
        agreement: if used.is_empty() {
            ItemAgreement {
                rwg: None,
                truncated: false,
                note: Some("no ratings to compare".to_string()),
            }
        } else {
            agreement::item_rwg(used, options)
        },
    }
}

fn share_words(count: usize, of: usize) -> String {
    let share = count as f64 / of as f64;
    let tie = if count * 2 == of {
        " — a tie, as many SMEs on each side"
    } else {
        ""
    };
    format!("{count} of {of} ({}){tie}", format_percent(share))
}

fn boundary_clause(cutoff: Cutoff, observed: f64) -> String {
    if cutoff.is_on_boundary(observed) {
        format!("; {}", cutoff.boundary_explanation())
    } else {
        String::new()
    }
}

/// A decision on a share of SMEs.
fn share_decision(
    rule_id: &str,
    cutoff: Cutoff,
    count: usize,
    of: usize,
    what: &str,
    outcome_if_met: &str,
    outcome_if_not: &str,
) -> Decision {
    if of == 0 {
        return Decision {
            rule: rule_id.to_string(),
            observed: None,
            threshold: cutoff,
            met: false,
            on_boundary: false,
            explanation: format!(
                "No SME answered, so the rule could not be met: {outcome_if_not}."
            ),
        };
    }
    let share = count as f64 / of as f64;
    let met = cutoff.is_met(share);
    Decision {
        rule: rule_id.to_string(),
        observed: Some(share),
        threshold: cutoff,
        met,
        on_boundary: cutoff.is_on_boundary(share),
        explanation: format!(
            "{} SMEs {what}; the rule asks for {}{}: {}.",
            share_words(count, of),
            cutoff.describe_share(),
            boundary_clause(cutoff, share),
            if met { outcome_if_met } else { outcome_if_not }
        ),
    }
}

/// A decision on a mean rating.
fn mean_decision(rule_id: &str, cutoff: Cutoff, summary: &ScaleSummary, what: &str) -> Decision {
    match summary.mean {
        None => Decision {
            rule: rule_id.to_string(),
            observed: None,
            threshold: cutoff,
            met: false,
            on_boundary: false,
            explanation: format!(
                "No SME gave a {what} rating that enters the mean, so the rule ({}) is not met.",
                cutoff.describe_mean()
            ),
        },
        Some(mean) => {
            let met = cutoff.is_met(mean);
            Decision {
                rule: rule_id.to_string(),
                observed: Some(mean),
                threshold: cutoff,
                met,
                on_boundary: cutoff.is_on_boundary(mean),
                explanation: format!(
                    "Mean {what} {} (n = {}); the rule asks for {}{}: {}.",
                    format_mean(mean),
                    summary.n,
                    cutoff.describe_mean(),
                    boundary_clause(cutoff, mean),
                    if met { "met" } else { "not met" }
                ),
            }
        }
    }
}

fn analyse_task(
    id: &str,
    statement: Option<String>,
    ratings: &[&TaskRating],
    p: &AnalysisParameters,
) -> TaskResult {
    let rated: Vec<&&TaskRating> = ratings
        .iter()
        .filter(|r| r.importance.is_some() || r.frequency.is_some())
        .collect();
    let n = rated.len();
    let is_np = |v: Option<u8>| v == Some(NOT_PERFORMED);
    let not_performed = rated
        .iter()
        .filter(|r| is_np(r.importance) || is_np(r.frequency))
        .count();
    let mut notes = one_scale_not_performed_notes(&rated);
    let values = |pick: fn(&TaskRating) -> Option<u8>| -> (Vec<u8>, Vec<u8>) {
        let all: Vec<u8> = rated.iter().filter_map(|r| pick(r)).collect();
        let used: Vec<u8> = all
            .iter()
            .copied()
            .filter(|v| *v != NOT_PERFORMED)
            .collect();
        (all, used)
    };
    let (imp_all, imp_used) = values(|r| r.importance);
    let (freq_all, freq_used) = values(|r| r.frequency);
    let importance = summarise(&imp_all, &imp_used, 5);
    let frequency = summarise(&freq_all, &freq_used, 5);

    let mut decisions = Vec::new();
    let (dropped, critical, status) = if n == 0 {
        notes.push("No SME rated this task (every answer blank or \"don't know\"), so no rule could be applied; it is not critical.".to_string());
        (false, false, ItemStatus::Unrated)
    } else {
        let drop = share_decision(
            rule::TASK_DROP,
            p.task.drop_when_not_performed_share,
            not_performed,
            n,
            "rated it Not performed on importance or frequency",
            "the task is dropped",
            "the task stays in the analysis",
        );
        let dropped = drop.met;
        decisions.push(drop);
        if dropped {
            (true, false, ItemStatus::Dropped)
        } else {
            let imp = mean_decision(
                rule::TASK_IMPORTANCE,
                p.task.critical_when_mean_importance,
                &importance,
                "importance",
            );
            let freq = mean_decision(
                rule::TASK_FREQUENCY,
                p.task.critical_when_mean_frequency,
                &frequency,
                "frequency",
            );
            let critical = imp.met && freq.met;
            decisions.push(imp);
            decisions.push(freq);
            (
                false,
                critical,
                if critical {
                    ItemStatus::Critical
                } else {
                    ItemStatus::NotCritical
                },
            )
        }
    };
    TaskResult {
        id: id.to_string(),
        statement,
        n,
        not_performed,
        not_performed_share: (n > 0).then(|| not_performed as f64 / n as f64),
        dropped,
        mean_importance: importance.mean,
        mean_frequency: frequency.mean,
        critical,
        status,
        importance,
        frequency,
        decisions,
        notes,
    }
}

/// Notes on SMEs who rated a task Not performed on one scale but not on the other.
fn one_scale_not_performed_notes(rated: &[&&TaskRating]) -> Vec<String> {
    let mut notes = Vec::new();
    for r in rated {
        match (r.importance, r.frequency) {
            (Some(0), Some(f)) if f > 0 => notes.push(format!(
                "SME {} rated it Not performed on importance but {f} on frequency; it counts as Not performed for dropping, and the frequency rating still enters the frequency mean.",
                r.sme
            )),
            (Some(i), Some(0)) if i > 0 => notes.push(format!(
                "SME {} rated it Not performed on frequency but {i} on importance; it counts as Not performed for dropping, and the importance rating still enters the importance mean.",
                r.sme
            )),
            _ => {}
        }
    }
    notes
}

fn analyse_competency(
    id: &str,
    name: Option<String>,
    ratings: &[&CompetencyRating],
    p: &AnalysisParameters,
) -> CompetencyResult {
    let rated: Vec<&&CompetencyRating> = ratings
        .iter()
        .filter(|r| {
            r.importance.is_some()
                || r.needed_at_entry.is_some()
                || r.distinguishing_value.is_some()
        })
        .collect();
    let n = rated.len();
    let imp: Vec<u8> = rated.iter().filter_map(|r| r.importance).collect();
    let importance = summarise(&imp, &imp, 5);
    let entry_answers: Vec<bool> = rated.iter().filter_map(|r| r.needed_at_entry).collect();
    let needed_at_entry = YesNoSummary {
        n: entry_answers.len(),
        yes: entry_answers.iter().filter(|v| **v).count(),
    };
    let dv: Vec<u8> = rated
        .iter()
        .filter_map(|r| r.distinguishing_value)
        .collect();
    let (dv_low, dv_high) = p.distinguishing_value_scale.range();
    let distinguishing_value = summarise(&dv, &dv, u32::from(dv_high - dv_low) + 1);

    let mut decisions = Vec::new();
    let mut notes = Vec::new();
    let (critical, status) = if n == 0 {
        notes.push(
            "No SME rated this competency, so no rule could be applied; it is not critical."
                .to_string(),
        );
        (false, ItemStatus::Unrated)
    } else {
        let imp_decision = mean_decision(
            rule::COMPETENCY_IMPORTANCE,
            p.competency.critical_when_mean_importance,
            &importance,
            "importance",
        );
        let entry_decision = share_decision(
            rule::COMPETENCY_ENTRY,
            p.competency.critical_when_needed_at_entry_share,
            needed_at_entry.yes,
            needed_at_entry.n,
            "say it is needed at entry",
            "met",
            "not met",
        );
        let mut critical = imp_decision.met && entry_decision.met;
        decisions.push(imp_decision);
        decisions.push(entry_decision);
        if let Some(cutoff) = p.competency.critical_when_mean_distinguishing_value {
            let dv_decision = mean_decision(
                rule::COMPETENCY_DV,
                cutoff,
                &distinguishing_value,
                "distinguishing value",
            );
            critical &= dv_decision.met;
            decisions.push(dv_decision);
        }
        (
            critical,
            if critical {
                ItemStatus::Critical
            } else {
                ItemStatus::NotCritical
            },
        )
    };
    CompetencyResult {
        id: id.to_string(),
        name,
        n,
        mean_importance: importance.mean,
        needed_at_entry_share: (needed_at_entry.n > 0)
            .then(|| needed_at_entry.yes as f64 / needed_at_entry.n as f64),
        mean_distinguishing_value: distinguishing_value.mean,
        critical,
        linking_share: None,
        linked_to_critical_task: None,
        retained: None,
        status,
        importance,
        needed_at_entry,
        distinguishing_value,
        linked_critical_tasks: Vec::new(),
        decisions,
        notes,
    }
}

fn apply_linkage(
    result: &mut CompetencyResult,
    links: &[&LinkageRating],
    linkage_rated: bool,
    critical_tasks: &HashSet<&str>,
    job: &JobAnalysis,
    p: &AnalysisParameters,
) {
    if !linkage_rated {
        if result.critical {
            result.notes.push("Retention waits for the linkage ratings: SMEs have not yet linked competencies to the critical tasks.".to_string());
        }
        return;
    }
    let on_critical: Vec<&&LinkageRating> = links
        .iter()
        .filter(|l| critical_tasks.contains(l.task.as_str()))
        .collect();
    let panel: BTreeSet<&str> = on_critical.iter().map(|l| l.sme.as_str()).collect();
    let linking: BTreeSet<&str> = on_critical
        .iter()
        .filter(|l| l.linked)
        .map(|l| l.sme.as_str())
        .collect();
    let decision = if critical_tasks.is_empty() {
        Decision {
            rule: rule::LINKAGE.to_string(),
            observed: None,
            threshold: p.linkage.retain_when_linking_share,
            met: false,
            on_boundary: false,
            explanation:
                "The analysis found no critical task, so no competency can be linked to one."
                    .to_string(),
        }
    } else {
        share_decision(
            rule::LINKAGE,
            p.linkage.retain_when_linking_share,
            linking.len(),
            panel.len(),
            "who rated its links link it to at least one critical task",
            "linked to a critical task",
            "not linked to a critical task",
        )
    };
    result.linking_share = decision.observed;
    let linked = decision.met;
    result.linked_to_critical_task = Some(linked);
    result.retained = Some(result.critical && linked);
    // The critical tasks someone linked it to, inventory order, for the task → competency chain.
    let mut per_task: HashMap<&str, (usize, usize)> = HashMap::new();
    for l in &on_critical {
        let counts = per_task.entry(l.task.as_str()).or_default();
        counts.0 += usize::from(l.linked);
        counts.1 += 1;
    }
    result.linked_critical_tasks = job
        .tasks
        .iter()
        .filter_map(|t| {
            let (yes, rated) = per_task.get(t.id.as_str()).copied()?;
            (yes > 0).then(|| TaskLink {
                task: t.id.clone(),
                linked: yes,
                rated,
            })
        })
        .collect();
    if result.critical {
        result.status = if linked {
            ItemStatus::Retained
        } else {
            ItemStatus::NotRetained
        };
        result.decisions.push(decision);
    } else if result.status != ItemStatus::Unrated && !links.is_empty() {
        // Linkage of a competency that is not critical is recorded but decides nothing.
        let mut d = decision;
        d.explanation = format!(
            "{} The competency is not critical, so it is not retained whatever its links.",
            d.explanation
        );
        result.decisions.push(d);
    }
}

fn linkage_matrix(job: &JobAnalysis, links: &[LinkageRating]) -> LinkageMatrix {
    let mut pairs: HashMap<(&str, &str), (usize, usize)> = HashMap::new();
    for l in links {
        let counts = pairs
            .entry((l.task.as_str(), l.competency.as_str()))
            .or_default();
        counts.0 += usize::from(l.linked);
        counts.1 += 1;
    }
    let linked_tasks: HashSet<&str> = links.iter().map(|l| l.task.as_str()).collect();
    let linked_competencies: HashSet<&str> = links.iter().map(|l| l.competency.as_str()).collect();
    let tasks: Vec<String> = job
        .tasks
        .iter()
        .filter(|t| linked_tasks.contains(t.id.as_str()))
        .map(|t| t.id.clone())
        .collect();
    let competencies: Vec<String> = job
        .competencies
        .iter()
        .filter(|c| linked_competencies.contains(c.id.as_str()))
        .map(|c| c.id.clone())
        .collect();
    let mut cells = Vec::new();
    for t in &tasks {
        for c in &competencies {
            let Some((linked, rated)) = pairs.get(&(t.as_str(), c.as_str())).copied() else {
                continue;
            };
            cells.push(LinkageCell {
                task: t.clone(),
                competency: c.clone(),
                linked,
                rated,
                share: linked as f64 / rated as f64,
            });
        }
    }
    LinkageMatrix {
        tasks,
        competencies,
        cells,
    }
}

fn panel_agreement(
    job: &JobAnalysis,
    ratings: &Ratings,
    tasks: &[TaskResult],
    smes: &[&str],
    p: &AnalysisParameters,
) -> PanelAgreement {
    let confidence = p.agreement.icc_confidence;
    let kept: Vec<&str> = tasks
        .iter()
        .filter(|t| t.n > 0 && !t.dropped)
        .map(|t| t.id.as_str())
        .collect();
    let task_index: HashMap<(&str, &str), &TaskRating> = ratings
        .tasks
        .iter()
        .map(|r| ((r.task.as_str(), r.sme.as_str()), r))
        .collect();
    let competency_index: HashMap<(&str, &str), &CompetencyRating> = ratings
        .competencies
        .iter()
        .map(|r| ((r.competency.as_str(), r.sme.as_str()), r))
        .collect();
    let task_grid = |pick: fn(&TaskRating) -> Option<u8>| -> Vec<Vec<Option<u8>>> {
        kept.iter()
            .map(|task| {
                smes.iter()
                    .map(|sme| {
                        task_index
                            .get(&(*task, *sme))
                            .and_then(|r| pick(r))
                            .filter(|v| *v != NOT_PERFORMED)
                    })
                    .collect()
            })
            .collect()
    };
    let competencies_rated: HashSet<&str> = ratings
        .competencies
        .iter()
        .map(|r| r.competency.as_str())
        .collect();
    let rated_competencies: Vec<&str> = job
        .competencies
        .iter()
        .filter(|c| competencies_rated.contains(c.id.as_str()))
        .map(|c| c.id.as_str())
        .collect();
    let competency_grid: Vec<Vec<Option<u8>>> = rated_competencies
        .iter()
        .map(|c| {
            smes.iter()
                .map(|sme| competency_index.get(&(*c, *sme)).and_then(|r| r.importance))
                .collect()
        })
        .collect();
    PanelAgreement {
        task_importance: agreement::scale_icc(
            "task importance",
            &task_grid(|r| r.importance),
            smes.len(),
            confidence,
        ),
        task_frequency: agreement::scale_icc(
            "task frequency",
            &task_grid(|r| r.frequency),
            smes.len(),
            confidence,
        ),
        competency_importance: agreement::scale_icc(
            "competency importance",
            &competency_grid,
            smes.len(),
            confidence,
        ),
    }
}

fn participation(job: &JobAnalysis, ratings: &Ratings) -> Participation {
    let count = |ids: Vec<&str>| ids.into_iter().collect::<BTreeSet<&str>>().len();
    Participation {
        panel: job.smes.len(),
        rated_tasks: count(
            ratings
                .tasks
                .iter()
                .filter(|r| r.importance.is_some() || r.frequency.is_some())
                .map(|r| r.sme.as_str())
                .collect(),
        ),
        rated_competencies: count(
            ratings
                .competencies
                .iter()
                .filter(|r| {
                    r.importance.is_some()
                        || r.needed_at_entry.is_some()
                        || r.distinguishing_value.is_some()
                })
                .map(|r| r.sme.as_str())
                .collect(),
        ),
        rated_linkage: count(ratings.linkage.iter().map(|r| r.sme.as_str()).collect()),
    }
}

fn survey_warnings(
    job: &JobAnalysis,
    ratings: &Ratings,
    participation: &Participation,
    tasks: &[TaskResult],
    competencies: &[CompetencyResult],
) -> Vec<String> {
    let mut warnings = Vec::new();
    if ratings.is_empty() {
        warnings.push("The survey has no ratings yet: no task or competency could be judged, and nothing is critical. Collect the SMEs' ratings and run the analysis again.".to_string());
        return warnings;
    }
    for (count, what) in [
        (participation.rated_tasks, "tasks"),
        (participation.rated_competencies, "competencies"),
    ] {
        match count {
            0 => warnings.push(format!(
                "No SME has rated the {what} yet, so none of them could be judged."
            )),
            1 => warnings.push(format!(
                "Only one SME rated the {what}: each mean is one person's judgement, and SD and agreement (rwg, ICC) cannot be computed. A job analysis should rest on a panel of SMEs (DEOH Appendix G); add SMEs before relying on these results."
            )),
            _ => {}
        }
    }
    let answered: HashSet<&str> = ratings
        .tasks
        .iter()
        .map(|r| r.sme.as_str())
        .chain(ratings.competencies.iter().map(|r| r.sme.as_str()))
        .chain(ratings.linkage.iter().map(|r| r.sme.as_str()))
        .collect();
    let silent: Vec<&str> = job
        .smes
        .iter()
        .filter(|s| !answered.contains(s.id.as_str()))
        .map(|s| s.id.as_str())
        .collect();
    if !silent.is_empty() {
        warnings.push(format!(
            "{} on the panel gave no ratings: {}.",
            if silent.len() == 1 {
                "One SME"
            } else {
                "Some SMEs"
            },
            silent.join(", ")
        ));
    }
    let unrated_tasks = tasks
        .iter()
        .filter(|t| t.status == ItemStatus::Unrated)
        .count();
    if unrated_tasks > 0 && participation.rated_tasks > 0 {
        warnings.push(format!(
            "{unrated_tasks} task(s) have no ratings and could not be judged."
        ));
    }
    if participation.rated_tasks > 0 && !tasks.iter().any(|t| t.critical) {
        warnings.push("No task is critical, so no competency can be linked to a critical task and none can be retained for assessment. Check the task statements and the ratings with the SMEs.".to_string());
    }
    if ratings.linkage.is_empty() && competencies.iter().any(|c| c.critical) {
        warnings.push("Linkage has not been rated yet: the critical competencies are known, but which are retained for assessment waits for the SMEs to link competencies to the critical tasks (5 CFR 300.103 and 29 CFR 1607.14C(2) ask for this link).".to_string());
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(sme: &str, task: &str, importance: Option<u8>, frequency: Option<u8>) -> TaskRating {
        TaskRating {
            sme: sme.into(),
            task: task.into(),
            importance,
            frequency,
        }
    }

    fn c(sme: &str, competency: &str, importance: u8, entry: bool) -> CompetencyRating {
        CompetencyRating {
            sme: sme.into(),
            competency: competency.into(),
            importance: Some(importance),
            needed_at_entry: Some(entry),
            distinguishing_value: None,
        }
    }

    fn l(sme: &str, task: &str, competency: &str, linked: bool) -> LinkageRating {
        LinkageRating {
            sme: sme.into(),
            task: task.into(),
            competency: competency.into(),
            linked,
        }
    }

    fn run(ratings: &Ratings) -> Analysis {
        run_with(ratings, &AnalysisParameters::default())
    }

    fn run_with(ratings: &Ratings, p: &AnalysisParameters) -> Analysis {
        let mut job = JobAnalysis::new("ja", "Boundary cases");
        job.complete_from_ratings(ratings);
        analyze(&job, ratings, p).unwrap()
    }

    fn task<'a>(a: &'a Analysis, id: &str) -> &'a TaskResult {
        a.tasks.iter().find(|t| t.id == id).unwrap()
    }

    fn competency<'a>(a: &'a Analysis, id: &str) -> &'a CompetencyResult {
        a.competencies.iter().find(|c| c.id == id).unwrap()
    }

    #[test]
    fn exactly_half_not_performed_drops_the_task() {
        // 4 SMEs: 2 say Not performed (one on importance, one on frequency), 2 rate it highly.
        let r = Ratings {
            tasks: vec![
                t("S1", "T1", Some(0), Some(0)),
                t("S2", "T1", Some(4), Some(0)),
                t("S3", "T1", Some(5), Some(5)),
                t("S4", "T1", Some(5), Some(5)),
            ],
            ..Ratings::default()
        };
        let a = run(&r);
        let t1 = task(&a, "T1");
        assert_eq!(t1.n, 4);
        assert_eq!(t1.not_performed, 2);
        assert_eq!(t1.not_performed_share, Some(0.5));
        assert!(t1.dropped);
        assert!(!t1.critical);
        assert_eq!(t1.status, ItemStatus::Dropped);
        let d = &t1.decisions[0];
        assert_eq!(d.rule, rule::TASK_DROP);
        assert!(d.met && d.on_boundary);
        assert!(d.explanation.contains("2 of 4 (50 %)"), "{}", d.explanation);
        assert!(d.explanation.contains("a tie"));
        assert!(d.explanation.contains("\"at least\" includes it"));
        assert_eq!(
            t1.decisions.len(),
            1,
            "a dropped task is not judged further"
        );
        assert!(t1.notes[0].contains("S2"), "inconsistent 0 is explained");
    }

    #[test]
    fn one_fewer_than_half_not_performed_keeps_the_task() {
        let r = Ratings {
            tasks: vec![
                t("S1", "T1", Some(0), Some(0)),
                t("S2", "T1", Some(3), Some(3)),
                t("S3", "T1", Some(3), Some(3)),
            ],
            ..Ratings::default()
        };
        let a = run(&r);
        let t1 = task(&a, "T1");
        assert!(!t1.dropped);
        assert!(!t1.decisions[0].met);
        // means exclude the 0s: (3 + 3) / 2
        assert_eq!(t1.mean_importance, Some(3.0));
        assert_eq!(t1.importance.n, 2);
        assert_eq!(t1.importance.counts.get(&0), Some(&1));
        assert!(t1.critical);
    }

    #[test]
    fn a_mean_of_exactly_three_is_critical_and_just_below_is_not() {
        let r = Ratings {
            tasks: vec![
                // T1: importance (2 + 3 + 4) / 3 = 3.0 exactly, frequency (3 + 3 + 3) / 3
                t("S1", "T1", Some(2), Some(3)),
                t("S2", "T1", Some(3), Some(3)),
                t("S3", "T1", Some(4), Some(3)),
                // T2: importance 3.0, frequency (3 + 3 + 2) / 3 = 2.67
                t("S1", "T2", Some(3), Some(3)),
                t("S2", "T2", Some(3), Some(3)),
                t("S3", "T2", Some(3), Some(2)),
            ],
            ..Ratings::default()
        };
        let a = run(&r);
        let t1 = task(&a, "T1");
        assert_eq!(t1.mean_importance, Some(3.0));
        assert!(t1.critical);
        assert!(t1.decisions[1].on_boundary && t1.decisions[1].met);
        assert!(
            t1.decisions[1]
                .explanation
                .contains("Mean importance 3.0 (n = 3)")
        );
        assert_eq!(t1.importance.sd, Some(1.0));
        let t2 = task(&a, "T2");
        assert!(!t2.critical);
        assert_eq!(t2.status, ItemStatus::NotCritical);
        assert!(!t2.decisions[2].met);
        assert!(t2.decisions[2].explanation.contains("2.67"));
    }

    #[test]
    fn exactly_half_needed_at_entry_makes_a_competency_critical() {
        let r = Ratings {
            competencies: vec![
                c("S1", "C1", 3, true),
                c("S2", "C1", 3, false),
                c("S3", "C1", 3, true),
                c("S4", "C1", 3, false),
                // C2: 1 of 4 needed at entry
                c("S1", "C2", 5, true),
                c("S2", "C2", 5, false),
                c("S3", "C2", 5, false),
                c("S4", "C2", 5, false),
            ],
            ..Ratings::default()
        };
        let a = run(&r);
        let c1 = competency(&a, "C1");
        assert_eq!(c1.needed_at_entry_share, Some(0.5));
        assert_eq!(c1.mean_importance, Some(3.0));
        assert!(c1.critical);
        assert!(c1.decisions.iter().all(|d| d.met && d.on_boundary));
        assert_eq!(c1.status, ItemStatus::Critical);
        assert_eq!(c1.retained, None, "no linkage rated yet");
        assert!(
            a.warnings
                .iter()
                .any(|w| w.contains("Linkage has not been rated"))
        );
        let c2 = competency(&a, "C2");
        assert!(!c2.critical);
        assert_eq!(c2.needed_at_entry_share, Some(0.25));
    }

    #[test]
    fn a_tie_in_linkage_is_not_a_majority_unless_the_rule_says_at_least() {
        let mut r = Ratings {
            tasks: ["S1", "S2", "S3", "S4"]
                .iter()
                .map(|s| t(s, "T1", Some(4), Some(4)))
                .collect(),
            competencies: ["S1", "S2", "S3", "S4"]
                .iter()
                .flat_map(|s| [c(s, "C1", 4, true), c(s, "C2", 4, true)])
                .collect(),
            linkage: vec![
                l("S1", "T1", "C1", true),
                l("S2", "T1", "C1", true),
                l("S3", "T1", "C1", false),
                l("S4", "T1", "C1", false),
                l("S1", "T1", "C2", true),
                l("S2", "T1", "C2", true),
                l("S3", "T1", "C2", true),
                l("S4", "T1", "C2", false),
            ],
        };
        let a = run(&r);
        let c1 = competency(&a, "C1");
        assert_eq!(c1.linking_share, Some(0.5));
        assert_eq!(c1.linked_to_critical_task, Some(false));
        assert_eq!(c1.retained, Some(false));
        assert_eq!(c1.status, ItemStatus::NotRetained);
        let last = c1.decisions.last().unwrap();
        assert!(last.explanation.contains("a tie") && last.explanation.contains("excludes it"));
        assert_eq!(competency(&a, "C2").retained, Some(true));
        assert_eq!(
            competency(&a, "C2").linked_critical_tasks,
            vec![TaskLink {
                task: "T1".into(),
                linked: 3,
                rated: 4
            }]
        );

        let mut p = AnalysisParameters::default();
        p.linkage.retain_when_linking_share = Cutoff::AtLeast(0.5);
        let a = run_with(&r, &p);
        assert_eq!(competency(&a, "C1").retained, Some(true));

        // Links to a task that is not critical do not count.
        r.tasks = ["S1", "S2", "S3", "S4"]
            .iter()
            .map(|s| t(s, "T1", Some(2), Some(2)))
            .collect();
        let a = run(&r);
        assert_eq!(competency(&a, "C2").retained, Some(false));
        assert!(a.warnings.iter().any(|w| w.contains("No task is critical")));
    }

    #[test]
    fn linkage_retains_with_any_critical_task_per_sme() {
        // Each SME links C1 to a different critical task: 3 of 3 link it to at least one.
        let r = Ratings {
            tasks: ["S1", "S2", "S3"]
                .iter()
                .flat_map(|s| [t(s, "T1", Some(4), Some(4)), t(s, "T2", Some(4), Some(4))])
                .collect(),
            competencies: ["S1", "S2", "S3"]
                .iter()
                .map(|s| c(s, "C1", 4, true))
                .collect(),
            linkage: vec![
                l("S1", "T1", "C1", true),
                l("S1", "T2", "C1", false),
                l("S2", "T1", "C1", false),
                l("S2", "T2", "C1", true),
                l("S3", "T1", "C1", true),
                l("S3", "T2", "C1", false),
            ],
        };
        let a = run(&r);
        let c1 = competency(&a, "C1");
        assert_eq!(c1.linking_share, Some(1.0));
        assert_eq!(c1.retained, Some(true));
        assert_eq!(c1.linked_critical_tasks.len(), 2);
        let m = a.linkage.as_ref().unwrap();
        assert_eq!(m.cell("T1", "C1").unwrap().linked, 2);
        assert_eq!(m.cell("T2", "C1").unwrap().rated, 3);
    }

    #[test]
    fn an_empty_survey_is_analysed_and_explained() {
        let mut job = JobAnalysis::new("ja", "Empty");
        job.tasks.push(crate::survey::Task {
            id: "T1".into(),
            statement: Some("Trains models".into()),
            source: None,
        });
        let a = analyze(&job, &Ratings::default(), &AnalysisParameters::default()).unwrap();
        let t1 = task(&a, "T1");
        assert_eq!(t1.status, ItemStatus::Unrated);
        assert_eq!(t1.n, 0);
        assert_eq!(t1.not_performed_share, None);
        assert!(!t1.critical && !t1.dropped);
        assert!(t1.notes[0].contains("No SME rated this task"));
        assert_eq!(a.warnings.len(), 1);
        assert!(a.warnings[0].contains("no ratings yet"));
    }

    #[test]
    fn a_single_sme_gets_means_without_sd_or_agreement_and_a_warning() {
        let r = Ratings {
            tasks: vec![t("S1", "T1", Some(4), Some(3))],
            competencies: vec![c("S1", "C1", 4, true)],
            ..Ratings::default()
        };
        let a = run(&r);
        let t1 = task(&a, "T1");
        assert!(t1.critical);
        assert_eq!(t1.importance.sd, None);
        assert_eq!(t1.importance.agreement.rwg, None);
        assert!(
            t1.importance
                .agreement
                .note
                .as_deref()
                .unwrap()
                .contains("at least two SMEs")
        );
        assert!(
            a.warnings
                .iter()
                .any(|w| w.contains("Only one SME rated the tasks"))
        );
        assert!(matches!(
            a.agreement.task_importance,
            ScaleAgreement::NotComputed { .. }
        ));
    }

    #[test]
    fn blanks_are_missing_not_not_performed() {
        let r = Ratings {
            tasks: vec![
                t("S1", "T1", None, None),
                t("S2", "T1", Some(4), None),
                t("S3", "T1", Some(0), Some(0)),
                t("S4", "T1", Some(4), Some(4)),
            ],
            ..Ratings::default()
        };
        let a = run(&r);
        let t1 = task(&a, "T1");
        // S1 said "don't know" to both: not counted; 1 of 3 Not performed.
        assert_eq!(t1.n, 3);
        assert_eq!(t1.not_performed, 1);
        assert!(!t1.dropped);
        assert_eq!(t1.frequency.n, 1);
        assert_eq!(t1.mean_frequency, Some(4.0));
    }

    #[test]
    fn optional_distinguishing_value_rule_joins_the_criticality_decision() {
        let mut r = Ratings {
            competencies: vec![c("S1", "C1", 4, true), c("S2", "C1", 4, true)],
            ..Ratings::default()
        };
        r.competencies[0].distinguishing_value = Some(2);
        r.competencies[1].distinguishing_value = Some(3);
        let mut p = AnalysisParameters::default();
        assert!(competency(&run_with(&r, &p), "C1").critical);
        p.competency.critical_when_mean_distinguishing_value = Some(Cutoff::AtLeast(3.0));
        let a = run_with(&r, &p);
        let c1 = competency(&a, "C1");
        assert_eq!(c1.mean_distinguishing_value, Some(2.5));
        assert!(!c1.critical);
        assert_eq!(c1.decisions.len(), 3);
    }

    #[test]
    fn invalid_ratings_stop_the_analysis() {
        let r = Ratings {
            tasks: vec![t("S1", "T1", Some(7), Some(3))],
            ..Ratings::default()
        };
        let mut job = JobAnalysis::new("ja", "Bad");
        job.complete_from_ratings(&r);
        match analyze(&job, &r, &AnalysisParameters::default()) {
            Err(AnalysisError::Ratings(p)) => assert_eq!(p[0].field, "importance"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn results_round_trip_through_json_for_storage() {
        let r = Ratings {
            tasks: vec![
                t("S1", "T1", Some(4), Some(3)),
                t("S2", "T1", Some(3), Some(3)),
            ],
            competencies: vec![c("S1", "C1", 4, true), c("S2", "C1", 3, false)],
            linkage: vec![l("S1", "T1", "C1", true), l("S2", "T1", "C1", true)],
        };
        let a = run(&r);
        let json = serde_json::to_string(&a).unwrap();
        let back: Analysis = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}
