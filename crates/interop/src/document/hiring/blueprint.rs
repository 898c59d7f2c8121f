//! The view model of an assessment blueprint ([`BlueprintView`]): which competency is assessed
//! by which method with which weight, the interview questions, and the issues found checking
//! it. Shown alone (Markdown) and inside the documentation report (HTML and Markdown).

use framewright_hiring::blueprint::{Blueprint, BlueprintIssue, Severity};
use serde::Serialize;

/// Everything a blueprint document shows.
#[derive(Debug, Clone, Serialize)]
pub struct BlueprintView {
    /// The position.
    pub position: String,
    /// Its grade.
    pub grade: Option<String>,
    /// The framework it draws on (title or id).
    pub framework: Option<String>,
    /// A row per competency and method.
    pub rows: Vec<BlueprintRow>,
    /// Weight per method ("Structured interview 60.0 %, Work sample 40.0 %").
    pub per_method: String,
    /// The total weight ("100.0 %").
    pub total: String,
    /// The structured interview questions.
    pub questions: Vec<BlueprintQuestion>,
    /// Remarks.
    pub notes: Vec<String>,
    /// What the check found ("error (data-analysis): …").
    pub issues: Vec<String>,
}

/// One competency assessed by one method.
#[derive(Debug, Clone, Serialize)]
pub struct BlueprintRow {
    /// Id, with the name ("data-analysis — Data Analysis").
    pub competency: String,
    /// "4 (Advanced)", "not set".
    pub required_level: String,
    /// The critical tasks it is linked to.
    pub critical_tasks: String,
    /// The method's name.
    pub method: String,
    /// "40.0 %".
    pub weight: String,
    /// Number of interview questions.
    pub interview_questions: usize,
}

/// One interview question of the blueprint.
#[derive(Debug, Clone, Serialize)]
pub struct BlueprintQuestion {
    /// The competency's id.
    pub competency: String,
    /// The question.
    pub question: String,
    /// Follow-up.
    pub follow_up: Option<String>,
    /// Rating anchors, lowest first.
    pub anchors: Vec<(u8, String)>,
}

impl BlueprintView {
    /// The view of `bp`, with the issues found checking it.
    pub fn new(bp: &Blueprint, issues: &[BlueprintIssue]) -> BlueprintView {
        let rows = bp
            .competencies
            .iter()
            .flat_map(|c| {
                let competency = match &c.name {
                    Some(n) => format!("{} — {n}", c.competency),
                    None => c.competency.clone(),
                };
                let required_level = match (c.required_level, &c.required_level_name) {
                    (Some(l), Some(n)) => format!("{l} ({n})"),
                    (Some(l), None) => l.to_string(),
                    (None, _) => "not set".to_string(),
                };
                let critical_tasks = c.linked_tasks.join(", ");
                c.methods.iter().map(move |m| BlueprintRow {
                    competency: competency.clone(),
                    required_level: required_level.clone(),
                    critical_tasks: critical_tasks.clone(),
                    method: m.method.name().to_string(),
                    weight: format!("{:.1} %", m.weight),
                    interview_questions: m.interview_questions.len(),
                })
            })
            .collect();
        let questions = bp
            .competencies
            .iter()
            .flat_map(|c| {
                c.methods.iter().flat_map(move |m| {
                    m.interview_questions
                        .iter()
                        .map(move |q| BlueprintQuestion {
                            competency: c.competency.clone(),
                            question: q.question.clone(),
                            follow_up: q.follow_up.clone(),
                            anchors: q.anchors.iter().map(|(k, v)| (*k, v.clone())).collect(),
                        })
                })
            })
            .collect();
        BlueprintView {
            position: bp.position.clone(),
            grade: bp.grade.map(|g| g.to_string()),
            framework: bp
                .framework
                .as_ref()
                .map(|f| f.title.clone().unwrap_or_else(|| f.id.clone())),
            rows,
            per_method: bp
                .method_weights()
                .iter()
                .map(|(m, w)| format!("{} {w:.1} %", m.name()))
                .collect::<Vec<_>>()
                .join(", "),
            total: format!("{:.1} %", bp.total_weight()),
            questions,
            notes: bp.notes.clone(),
            issues: issues.iter().map(issue_line).collect(),
        }
    }
}

fn issue_line(i: &BlueprintIssue) -> String {
    let severity = match i.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    match &i.competency {
        Some(c) => format!("{severity} ({c}): {}", i.message),
        None => format!("{severity}: {}", i.message),
    }
}
