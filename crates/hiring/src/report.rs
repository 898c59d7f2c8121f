//! The job-analysis documentation report: what the Uniform Guidelines (29 CFR 1607.14C, 1607.15)
//! and 5 CFR 300.103 ask an agency to keep, in one value that renders to JSON, Markdown and HTML.
//! Method and legal basis, the SME panel (anonymised ids with qualifications), the scales, every
//! rating summary, every decision with the rule that made it, the task × competency linkage
//! matrix, agreement statistics, OPM's AI-work criteria with the analyst's answers, and — when
//! there is one — the assessment blueprint that completes the task → competency → assessment
//! chain.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ai_work::{AiWorkError, AiWorkSection, ai_work_section};
use crate::analysis::{
    Analysis, CompetencyResult, LinkageMatrix, PanelAgreement, Participation, TaskResult,
};
use crate::blueprint::Blueprint;
use crate::parameters::AnalysisParameters;
use crate::scales::{self, RatingScale};
use crate::survey::{FrameworkRef, JobAnalysis};
use framewright_catalog::AiWork;
use framewright_model::Grade;

/// The format tag of the report's JSON form.
pub const REPORT_FORMAT: &str = "framewright-job-analysis-report/1";

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// What was analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobSummary {
    /// Job analysis id.
    pub id: String,
    /// The position or group of positions.
    pub title: String,
    /// What the position does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Occupational series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// Organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Positions covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positions_covered: Option<String>,
    /// Framework the competencies come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<FrameworkRef>,
    /// Analyst.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyst: Option<String>,
    /// Sources of job information.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub information_sources: Vec<String>,
}

/// A legal or professional source the method rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The citation ("5 CFR 300.103(a)").
    pub cite: String,
    /// What it requires, paraphrased.
    pub requirement: String,
}

/// A rule in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleStatement {
    /// The parameter name.
    pub rule: String,
    /// The rule in a sentence, with the threshold used.
    pub statement: String,
}

/// One SME as the report shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmeEntry {
    /// Anonymised id.
    pub id: String,
    /// Qualifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifications: Option<String>,
    /// Relation to the position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// Tasks this SME rated.
    pub tasks_rated: usize,
    /// Competencies this SME rated.
    pub competencies_rated: usize,
    /// Links this SME rated.
    pub links_rated: usize,
}

/// Counts for the summary at the top.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSummary {
    /// Tasks in the inventory.
    pub tasks: usize,
    /// Dropped as not performed.
    pub tasks_dropped: usize,
    /// Critical tasks.
    pub tasks_critical: usize,
    /// Competencies on the list.
    pub competencies: usize,
    /// Critical competencies.
    pub competencies_critical: usize,
    /// Retained competencies; `None` before linkage is rated.
    pub competencies_retained: Option<usize>,
}

/// The documentation report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentationReport {
    /// Always [`REPORT_FORMAT`].
    pub format: String,
    /// "Job analysis: AI Research Scientist, GS-14".
    pub title: String,
    /// The date the report was prepared.
    #[serde(default, with = "iso_date::option")]
    pub prepared_on: Option<Date>,
    /// What was analysed.
    pub job: JobSummary,
    /// Counts.
    pub summary: ReportSummary,
    /// The legal and professional basis.
    pub legal_basis: Vec<Citation>,
    /// How the analysis was done, step by step.
    pub method: Vec<String>,
    /// The rules in force.
    pub rules: Vec<RuleStatement>,
    /// The thresholds used (parameter file form).
    pub parameters: AnalysisParameters,
    /// The rating scales.
    pub scales: Vec<RatingScale>,
    /// The SME panel.
    pub smes: Vec<SmeEntry>,
    /// Who took part.
    pub participation: Participation,
    /// Every task with its ratings and decisions.
    pub tasks: Vec<TaskResult>,
    /// Every competency with its ratings and decisions.
    pub competencies: Vec<CompetencyResult>,
    /// The task × competency linkage matrix.
    pub linkage: Option<LinkageMatrix>,
    /// Agreement over whole scales.
    pub agreement: PanelAgreement,
    /// OPM's AI-work criteria with the analyst's answers.
    pub ai_work: AiWorkSection,
    /// The assessment blueprint, when one is attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blueprint: Option<Blueprint>,
    /// What a reader must know.
    pub warnings: Vec<String>,
    /// What to keep, and for how long.
    pub records: Vec<String>,
}

fn legal_basis() -> Vec<Citation> {
    let c = |cite: &str, requirement: &str| Citation {
        cite: cite.to_string(),
        requirement: requirement.to_string(),
    };
    vec![
        c(
            "5 CFR 300.103(a)",
            "Every employment practice rests on a job analysis that identifies the basic duties and responsibilities, the knowledge, skills, abilities and competencies needed to perform them, and the factors that matter in evaluating candidates. One job analysis may cover one position, a group of positions, or an occupation.",
        ),
        c(
            "5 CFR 300.103(b)",
            "There must be a rational relationship between performance in the position and the employment practice, shown in part by the practice having been professionally developed.",
        ),
        c(
            "5 CFR 300.103(c); 29 CFR part 1607",
            "Employment practices must not discriminate, and selection procedures must meet the Uniform Guidelines on Employee Selection Procedures (1978).",
        ),
        c(
            "29 CFR 1607.14C(2)",
            "A content-validity strategy needs a job analysis of the important work behaviours and their relative importance; the linkage of tasks to competencies documents it.",
        ),
        c(
            "29 CFR 1607.15",
            "Users of selection procedures keep documentation of the job analysis and of the validity evidence.",
        ),
        c(
            "OPM Delegated Examining Operations Handbook, Appendix G (OPM Job Analysis Template)",
            "Steps: collect job information; list tasks; SMEs rate tasks on importance and frequency; rate competencies on importance and need at entry; link critical competencies to critical tasks; choose assessments; set cut-offs or category definitions.",
        ),
        c(
            "OPM, Skills-Based Hiring Guidance and Competency Model for Artificial Intelligence Work (29 April 2024)",
            "Through job analysis (5 CFR 300.103), agencies must determine the applicability of the AI competencies to their positions; the addendum gives the criteria for when work counts as AI work.",
        ),
    ]
}

fn method(job: &JobAnalysis, analysis: &Analysis) -> Vec<String> {
    let p = &analysis.participation;
    let mut steps = vec![
        format!(
            "1. Job information was collected{}.",
            if job.information_sources.is_empty() {
                String::new()
            } else {
                format!(" from: {}", job.information_sources.join("; "))
            }
        ),
        format!(
            "2. A task inventory of {} task statement(s) and a list of {} competenc{} were prepared{}.",
            job.tasks.len(),
            job.competencies.len(),
            if job.competencies.len() == 1 {
                "y"
            } else {
                "ies"
            },
            job.framework
                .as_ref()
                .map(|f| format!(
                    " (competencies from the framework \"{}\")",
                    f.title.as_deref().unwrap_or(&f.id)
                ))
                .unwrap_or_default()
        ),
        format!(
            "3. A panel of {} subject-matter expert(s) took part; {} rated each task on importance and frequency (0 = Not performed, 1–5 with the OPM anchors). Tasks rated Not performed by enough SMEs were dropped; the means of the remaining tasks leave the Not performed ratings out; \"don't know\" and blank answers are missing and count nowhere.",
            p.panel, p.rated_tasks
        ),
        format!(
            "4. {} SME(s) rated each competency on importance (1–5), need at entry (yes/no) and distinguishing value ({}–{}).",
            p.rated_competencies,
            analysis.parameters.distinguishing_value_scale.range().0,
            analysis.parameters.distinguishing_value_scale.range().1
        ),
    ];
    steps.push(if p.rated_linkage > 0 {
        format!(
            "5. {} SME(s) judged, for each critical task, which competencies are needed to perform it; the linkage matrix below records every judgement.",
            p.rated_linkage
        )
    } else {
        "5. Linkage of competencies to critical tasks has not been rated yet.".to_string()
    });
    steps.push("6. For every mean, the report gives n, the standard deviation and rwg (agreement among SMEs against random answering on the 5-point scale; 0.70 and above is conventionally read as agreement), and for each scale the intraclass correlation ICC(A,1) and ICC(A,k) (absolute agreement, single SME and panel mean). The statistics come from Framewright's statistics engine, checked against reference implementations.".to_string());
    steps.push("7. Each decision below names the rule (by its parameter name) and the threshold that made it. The thresholds are the OPM defaults unless the parameters section says otherwise.".to_string());
    steps
}

fn summary(analysis: &Analysis) -> ReportSummary {
    let linkage_rated = analysis.competencies.iter().any(|c| c.retained.is_some());
    ReportSummary {
        tasks: analysis.tasks.len(),
        tasks_dropped: analysis.tasks.iter().filter(|t| t.dropped).count(),
        tasks_critical: analysis.tasks.iter().filter(|t| t.critical).count(),
        competencies: analysis.competencies.len(),
        competencies_critical: analysis.competencies.iter().filter(|c| c.critical).count(),
        competencies_retained: linkage_rated.then(|| analysis.retained_competencies().count()),
    }
}

/// Assembles the documentation report. `ratings` gives the per-SME counts; `criteria` is OPM's
/// AI-work text (`framewright_catalog::opm_ai_2024()?.ai_work`); `prepared_on` is passed in.
pub fn documentation_report(
    job: &JobAnalysis,
    ratings: &crate::survey::Ratings,
    analysis: &Analysis,
    criteria: &AiWork,
    blueprint: Option<Blueprint>,
    prepared_on: Option<Date>,
) -> Result<DocumentationReport, AiWorkError> {
    let ai_work = ai_work_section(criteria, &job.ai_work)?;
    // One pass over the ratings: (tasks, competencies, links) per SME.
    let mut counts: HashMap<&str, (usize, usize, usize)> = HashMap::new();
    for r in &ratings.tasks {
        if r.importance.is_some() || r.frequency.is_some() {
            counts.entry(r.sme.as_str()).or_default().0 += 1;
        }
    }
    for r in &ratings.competencies {
        counts.entry(r.sme.as_str()).or_default().1 += 1;
    }
    for r in &ratings.linkage {
        counts.entry(r.sme.as_str()).or_default().2 += 1;
    }
    let smes = job
        .smes
        .iter()
        .map(|s| {
            let (tasks_rated, competencies_rated, links_rated) =
                counts.get(s.id.as_str()).copied().unwrap_or_default();
            SmeEntry {
                id: s.id.clone(),
                qualifications: s.qualifications.clone(),
                relation: s.relation.clone(),
                tasks_rated,
                competencies_rated,
                links_rated,
            }
        })
        .collect();
    let mut warnings = analysis.warnings.clone();
    if job.smes.iter().any(|s| s.qualifications.is_none()) {
        warnings.push("Some SMEs have no qualifications recorded; the Uniform Guidelines expect the judges' qualifications to be documented.".to_string());
    }
    Ok(DocumentationReport {
        format: REPORT_FORMAT.to_string(),
        title: format!("Job analysis: {}", job.title),
        prepared_on,
        job: JobSummary {
            id: job.id.clone(),
            title: job.title.clone(),
            description: job.description.clone(),
            series: job.series.clone(),
            grade: job.grade,
            organisation: job.organisation.clone(),
            positions_covered: job.positions_covered.clone(),
            framework: job.framework.clone(),
            analyst: job.analyst.clone(),
            information_sources: job.information_sources.clone(),
        },
        summary: summary(analysis),
        legal_basis: legal_basis(),
        method: method(job, analysis),
        rules: analysis
            .parameters
            .rule_statements()
            .into_iter()
            .map(|(rule, statement)| RuleStatement {
                rule: rule.to_string(),
                statement,
            })
            .collect(),
        parameters: analysis.parameters.clone(),
        scales: vec![
            scales::task_importance(),
            scales::task_frequency(),
            scales::competency_importance(),
            scales::needed_at_entry(),
            analysis.parameters.distinguishing_value_scale.clone(),
        ],
        smes,
        participation: analysis.participation.clone(),
        tasks: analysis.tasks.clone(),
        competencies: analysis.competencies.clone(),
        linkage: analysis.linkage.clone(),
        agreement: analysis.agreement.clone(),
        ai_work,
        blueprint,
        warnings,
        records: vec![
            "Keep this report with the rating files, the SMEs' qualifications, the assessment blueprint, the cut-score records and the category definitions, so that each selection decision can be reconstructed (5 CFR 337.303(e); 29 CFR 1607.15).".to_string(),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai_work::{AiWorkAnswer, AiWorkConclusion, Answer};
    use crate::survey::{CompetencyRating, Ratings, TaskRating};

    #[test]
    fn the_report_carries_every_section_and_round_trips() {
        let ratings = Ratings {
            tasks: vec![
                TaskRating {
                    sme: "SME-1".into(),
                    task: "T1".into(),
                    importance: Some(4),
                    frequency: Some(4),
                },
                TaskRating {
                    sme: "SME-2".into(),
                    task: "T1".into(),
                    importance: Some(5),
                    frequency: Some(3),
                },
            ],
            competencies: vec![CompetencyRating {
                sme: "SME-1".into(),
                competency: "C1".into(),
                importance: Some(4),
                needed_at_entry: Some(true),
                distinguishing_value: Some(4),
            }],
            linkage: Vec::new(),
        };
        let mut job = JobAnalysis::new("ja", "AI Research Scientist, GS-14");
        job.complete_from_ratings(&ratings);
        job.smes[0].qualifications = Some("GS-15 supervisory research scientist".into());
        job.ai_work.answers.push(AiWorkAnswer {
            criterion: 1,
            answer: Answer::Yes,
            evidence: None,
        });
        let analysis = crate::analyze(&job, &ratings, &AnalysisParameters::default()).unwrap();
        let criteria = framewright_catalog::opm_ai_2024().unwrap().ai_work;
        let date = Date::from_calendar_date(2026, time::Month::March, 2).unwrap();
        let report =
            documentation_report(&job, &ratings, &analysis, &criteria, None, Some(date)).unwrap();
        assert_eq!(report.summary.tasks_critical, 1);
        assert_eq!(report.summary.competencies_retained, None);
        assert_eq!(report.smes[0].tasks_rated, 1);
        assert_eq!(report.ai_work.conclusion, AiWorkConclusion::Incomplete);
        assert!(report.warnings.iter().any(|w| w.contains("qualifications")));
        assert_eq!(report.rules.len(), 6);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["prepared_on"], "2026-03-02");
        assert_eq!(json["format"], REPORT_FORMAT);
        for key in [
            "tasks",
            "competencies",
            "parameters",
            "linkage",
            "ai_work",
            "smes",
            "scales",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        let back: DocumentationReport = serde_json::from_value(json).unwrap();
        assert_eq!(back, report);
    }
}
