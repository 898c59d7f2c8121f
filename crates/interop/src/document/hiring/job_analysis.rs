//! The view model of the job-analysis documentation report ([`JobAnalysisView`]) and of its
//! results part ([`ResultsView`]: rules, tasks, competencies, linkage and agreement, with every
//! decision and its rule). The report's HTML and Markdown and the web interface's results page
//! all render these, with numbers already worded for people.

use framewright_hiring::agreement::{ItemAgreement, ScaleAgreement};
use framewright_hiring::analysis::{
    Analysis, CompetencyResult, Decision, LinkageMatrix, PanelAgreement, ScaleSummary, TaskResult,
};
use framewright_hiring::cutoff::{format_mean, format_percent};
use framewright_hiring::report::{Citation, DocumentationReport, SmeEntry};
use framewright_hiring::scales::RatingScale;
use serde::Serialize;

use super::blueprint::BlueprintView;

/// Everything the documentation report shows, in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct JobAnalysisView<'a> {
    /// "Job analysis: AI Research Scientist, GS-14".
    pub title: &'a str,
    /// The date it was prepared.
    pub prepared_on: Option<String>,
    /// The counts in a sentence.
    pub summary: String,
    /// What a reader must know.
    pub warnings: &'a [String],
    /// The position: label and value, only those given.
    pub position: Vec<(&'static str, String)>,
    /// What the position does.
    pub description: Option<&'a str>,
    /// The legal and professional basis.
    pub legal_basis: &'a [Citation],
    /// How the analysis was done, step by step.
    pub method: &'a [String],
    /// The SME panel.
    pub smes: &'a [SmeEntry],
    /// The rating scales.
    pub scales: &'a [RatingScale],
    /// Rules, tasks, competencies, linkage and agreement.
    pub results: ResultsView,
    /// OPM's AI-work criteria with the analyst's answers.
    pub ai_work: AiWorkView<'a>,
    /// The assessment blueprint, when one is attached.
    pub blueprint: Option<BlueprintView>,
    /// What to keep, and for how long.
    pub records: &'a [String],
}

/// The results of an analysis: what the web results page and the report's middle show.
#[derive(Debug, Clone, Serialize)]
pub struct ResultsView {
    /// The rules in force.
    pub rules: Vec<RuleView>,
    /// Every task.
    pub tasks: Vec<TaskRow>,
    /// Every competency.
    pub competencies: Vec<CompetencyRow>,
    /// The task × competency matrix, once linkage is rated.
    pub linkage: Option<LinkageView>,
    /// Agreement over whole scales, a sentence per scale.
    pub agreement: Vec<String>,
}

/// One rule with its threshold.
#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    /// Parameter name (`task.critical_when_mean_importance`).
    pub rule: String,
    /// The rule in a sentence.
    pub statement: String,
}

/// One decision on a task or competency.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    /// The rule's parameter name.
    pub rule: String,
    /// The decision in a sentence.
    pub explanation: String,
    /// The observed value is exactly on the threshold.
    pub on_boundary: bool,
}

/// One task of the results.
#[derive(Debug, Clone, Serialize)]
pub struct TaskRow {
    /// Id.
    pub id: String,
    /// Statement.
    pub statement: String,
    /// SMEs who rated it.
    pub n: usize,
    /// Share rated Not performed (`25 %`, `—`).
    pub not_performed: String,
    /// Importance mean ± SD with n.
    pub importance: String,
    /// Agreement on importance.
    pub importance_rwg: String,
    /// Frequency mean ± SD with n.
    pub frequency: String,
    /// Agreement on frequency.
    pub frequency_rwg: String,
    /// Where it ended up ("critical", "not critical", "dropped").
    pub status: String,
    /// Critical task.
    pub critical: bool,
    /// The decisions, in the order they were taken.
    pub decisions: Vec<DecisionView>,
    /// Remarks on the ratings.
    pub notes: Vec<String>,
}

/// One competency of the results.
#[derive(Debug, Clone, Serialize)]
pub struct CompetencyRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// SMEs who rated it.
    pub n: usize,
    /// Importance mean ± SD with n.
    pub importance: String,
    /// Agreement on importance.
    pub importance_rwg: String,
    /// Needed at entry: share and counts.
    pub needed_at_entry: String,
    /// Distinguishing value mean ± SD.
    pub distinguishing_value: String,
    /// Linked to a critical task ("yes (80 %)", "pending").
    pub linked: String,
    /// Where it ended up.
    pub status: String,
    /// The decisions, in the order they were taken.
    pub decisions: Vec<DecisionView>,
    /// Remarks on the ratings.
    pub notes: Vec<String>,
}

/// The linkage matrix.
#[derive(Debug, Clone, Serialize)]
pub struct LinkageView {
    /// Column heads: competency ids.
    pub competencies: Vec<String>,
    /// A row per task.
    pub rows: Vec<LinkageRow>,
}

/// One task's row of the linkage matrix.
#[derive(Debug, Clone, Serialize)]
pub struct LinkageRow {
    /// Task id.
    pub task: String,
    /// Critical task (marked ★).
    pub critical: bool,
    /// "linked/rated" per competency, empty where the pair was not judged.
    pub cells: Vec<String>,
}

/// The AI-work section.
#[derive(Debug, Clone, Serialize)]
pub struct AiWorkView<'a> {
    /// OPM's definition of AI work.
    pub definition: &'a str,
    /// The criteria with the answers.
    pub criteria: Vec<CriterionView<'a>>,
    /// "60 %".
    pub share_of_time: Option<String>,
    /// Remarks.
    pub notes: &'a [String],
}

/// One AI-work criterion.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionView<'a> {
    /// Its number.
    pub number: u8,
    /// The criterion.
    pub criterion: &'a str,
    /// The answer in words.
    pub answer: &'static str,
    /// The evidence given.
    pub evidence: &'a str,
}

fn opt_share(v: Option<f64>) -> String {
    v.map(format_percent).unwrap_or_else(|| "—".to_string())
}

fn rwg(a: &ItemAgreement) -> String {
    match a.rwg {
        Some(v) => format!("{v:.2}"),
        None => "—".to_string(),
    }
}

fn mean_sd(s: &ScaleSummary) -> String {
    match (s.mean, s.sd) {
        (Some(m), Some(sd)) => format!("{} ± {sd:.2}", format_mean(m)),
        (Some(m), None) => format_mean(m),
        _ => "—".to_string(),
    }
}

fn yes_no(v: bool) -> &'static str {
    if v { "yes" } else { "no" }
}

fn icc_line(a: &ScaleAgreement) -> String {
    match a {
        ScaleAgreement::Computed(icc) => format!(
            "{}: ICC(A,1) = {:.2} [{:.2}, {:.2}], ICC(A,k) = {:.2} [{:.2}, {:.2}] ({} % intervals; {} items rated by all {} SMEs{})",
            icc.scale,
            icc.single_sme,
            icc.single_sme_ci[0],
            icc.single_sme_ci[1],
            icc.panel_mean,
            icc.panel_mean_ci[0],
            icc.panel_mean_ci[1],
            (icc.confidence * 100.0).round(),
            icc.items_used,
            icc.smes,
            if icc.items_left_out > 0 {
                format!(
                    "; {} left out because an SME skipped them or rated them Not performed",
                    icc.items_left_out
                )
            } else {
                String::new()
            }
        ),
        ScaleAgreement::NotComputed { scale, reason } => {
            format!("{scale}: not computed — {reason}")
        }
    }
}

fn decisions(ds: &[Decision]) -> Vec<DecisionView> {
    ds.iter()
        .map(|d| DecisionView {
            rule: d.rule.clone(),
            explanation: d.explanation.clone(),
            on_boundary: d.on_boundary,
        })
        .collect()
}

fn task_row(t: &TaskResult) -> TaskRow {
    TaskRow {
        id: t.id.clone(),
        statement: t.statement.clone().unwrap_or_default(),
        n: t.n,
        not_performed: opt_share(t.not_performed_share),
        importance: format!("{} (n = {})", mean_sd(&t.importance), t.importance.n),
        importance_rwg: rwg(&t.importance.agreement),
        frequency: format!("{} (n = {})", mean_sd(&t.frequency), t.frequency.n),
        frequency_rwg: rwg(&t.frequency.agreement),
        status: t.status.as_words().to_string(),
        critical: t.critical,
        decisions: decisions(&t.decisions),
        notes: t.notes.clone(),
    }
}

fn competency_row(c: &CompetencyResult) -> CompetencyRow {
    CompetencyRow {
        id: c.id.clone(),
        name: c.name.clone().unwrap_or_default(),
        n: c.n,
        importance: format!("{} (n = {})", mean_sd(&c.importance), c.importance.n),
        importance_rwg: rwg(&c.importance.agreement),
        needed_at_entry: format!(
            "{} ({} of {})",
            opt_share(c.needed_at_entry_share),
            c.needed_at_entry.yes,
            c.needed_at_entry.n
        ),
        distinguishing_value: mean_sd(&c.distinguishing_value),
        linked: match c.linked_to_critical_task {
            Some(v) => format!("{} ({})", yes_no(v), opt_share(c.linking_share)),
            None => "pending".to_string(),
        },
        status: c.status.as_words().to_string(),
        decisions: decisions(&c.decisions),
        notes: c.notes.clone(),
    }
}

fn linkage(m: &LinkageMatrix, tasks: &[TaskResult]) -> LinkageView {
    LinkageView {
        competencies: m.competencies.clone(),
        rows: m
            .tasks
            .iter()
            .map(|t| LinkageRow {
                task: t.clone(),
                critical: tasks.iter().any(|x| &x.id == t && x.critical),
                cells: m
                    .competencies
                    .iter()
                    .map(|c| {
                        m.cell(t, c)
                            .map(|cell| format!("{}/{}", cell.linked, cell.rated))
                            .unwrap_or_default()
                    })
                    .collect(),
            })
            .collect(),
    }
}

impl ResultsView {
    /// The results of an analysis as the web page shows them.
    pub fn from_analysis(a: &Analysis) -> ResultsView {
        let rules = a
            .parameters
            .rule_statements()
            .into_iter()
            .map(|(rule, statement)| RuleView {
                rule: rule.to_string(),
                statement,
            })
            .collect();
        Self::new(
            rules,
            &a.tasks,
            &a.competencies,
            a.linkage.as_ref(),
            &a.agreement,
        )
    }

    fn new(
        rules: Vec<RuleView>,
        tasks: &[TaskResult],
        competencies: &[CompetencyResult],
        matrix: Option<&LinkageMatrix>,
        agreement: &PanelAgreement,
    ) -> ResultsView {
        ResultsView {
            rules,
            tasks: tasks.iter().map(task_row).collect(),
            competencies: competencies.iter().map(competency_row).collect(),
            linkage: matrix.map(|m| linkage(m, tasks)),
            agreement: [
                &agreement.task_importance,
                &agreement.task_frequency,
                &agreement.competency_importance,
            ]
            .into_iter()
            .map(icc_line)
            .collect(),
        }
    }
}

fn summary(r: &DocumentationReport) -> String {
    let s = &r.summary;
    format!(
        "{} tasks: {} dropped as not performed, {} critical. {} competencies: {} critical, {}.",
        s.tasks,
        s.tasks_dropped,
        s.tasks_critical,
        s.competencies,
        s.competencies_critical,
        match s.competencies_retained {
            Some(n) => format!("{n} retained for assessment"),
            None => "retention pending the linkage ratings".to_string(),
        }
    )
}

fn position(r: &DocumentationReport) -> Vec<(&'static str, String)> {
    let j = &r.job;
    let framework = j.framework.as_ref().map(|f| {
        let title = f.title.as_deref().unwrap_or(&f.id);
        match &f.version {
            Some(v) => format!("{title} (version {v})"),
            None => title.to_string(),
        }
    });
    let sources = (!j.information_sources.is_empty()).then(|| j.information_sources.join("; "));
    [
        ("Position", Some(j.title.clone())),
        ("Series", j.series.clone()),
        ("Grade", j.grade.map(|g| g.to_string())),
        ("Organisation", j.organisation.clone()),
        ("Positions covered", j.positions_covered.clone()),
        ("Framework", framework),
        ("Analyst", j.analyst.clone()),
        ("Sources of job information", sources),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| (label, v)))
    .collect()
}

impl<'a> JobAnalysisView<'a> {
    /// The view of a documentation report.
    pub fn from_report(r: &'a DocumentationReport) -> JobAnalysisView<'a> {
        let rules = r
            .rules
            .iter()
            .map(|rule| RuleView {
                rule: rule.rule.clone(),
                statement: rule.statement.clone(),
            })
            .collect();
        JobAnalysisView {
            title: &r.title,
            prepared_on: r.prepared_on.map(|d| d.to_string()),
            summary: summary(r),
            warnings: &r.warnings,
            position: position(r),
            description: r.job.description.as_deref(),
            legal_basis: &r.legal_basis,
            method: &r.method,
            smes: &r.smes,
            scales: &r.scales,
            results: ResultsView::new(
                rules,
                &r.tasks,
                &r.competencies,
                r.linkage.as_ref(),
                &r.agreement,
            ),
            ai_work: AiWorkView {
                definition: &r.ai_work.definition,
                criteria: r
                    .ai_work
                    .criteria
                    .iter()
                    .map(|c| CriterionView {
                        number: c.number,
                        criterion: &c.criterion,
                        answer: c.answer.as_words(),
                        evidence: c.evidence.as_deref().unwrap_or(""),
                    })
                    .collect(),
                share_of_time: r.ai_work.share_of_time_percent.map(|s| format!("{s} %")),
                notes: &r.ai_work.notes,
            },
            blueprint: r.blueprint.as_ref().map(|bp| BlueprintView::new(bp, &[])),
            records: &r.records,
        }
    }
}
