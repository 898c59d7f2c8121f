//! The assessment blueprint: for each competency the job analysis retained, how it is assessed
//! (structured interview, work sample, occupational questionnaire, written test, SME
//! qualifications assessment), how much each method weighs in the total score, and the
//! proficiency level required at the grade. This is the last link of the chain the Uniform
//! Guidelines ask an agency to document: task → competency → assessment.
//!
//! [`draft_blueprint`] proposes one from the analysis and, when given, a framework: weights in
//! proportion to the competencies' mean importance, the required level from the framework's role
//! profile at the grade, and the framework's structured-interview questions (the generator's
//! interview guide). [`check_blueprint`] checks a blueprint someone edited against the analysis.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use framewright_model::{Framework, FrameworkCompetency, Grade, InterviewQuestion, RoleProfile};
use serde::{Deserialize, Serialize};

use crate::analysis::CompetencyResult;
use crate::survey::FrameworkRef;

/// An assessment method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentMethod {
    /// The same job-related questions for every candidate, rated on anchored scales.
    StructuredInterview,
    /// The candidate performs a sample of the job's tasks.
    WorkSample,
    /// The candidate rates their own experience on the competencies (self-report; verify).
    OccupationalQuestionnaire,
    /// A written test of job knowledge or skill.
    WrittenTest,
    /// Subject Matter Expert Qualification Assessment: SMEs review résumés and interview
    /// candidates against the competencies.
    SmeQa,
}

impl AssessmentMethod {
    /// All methods.
    pub const ALL: [AssessmentMethod; 5] = [
        AssessmentMethod::StructuredInterview,
        AssessmentMethod::WorkSample,
        AssessmentMethod::OccupationalQuestionnaire,
        AssessmentMethod::WrittenTest,
        AssessmentMethod::SmeQa,
    ];

    /// The identifier used in files and score columns (`structured_interview`).
    pub fn id(self) -> &'static str {
        match self {
            AssessmentMethod::StructuredInterview => "structured_interview",
            AssessmentMethod::WorkSample => "work_sample",
            AssessmentMethod::OccupationalQuestionnaire => "occupational_questionnaire",
            AssessmentMethod::WrittenTest => "written_test",
            AssessmentMethod::SmeQa => "sme_qa",
        }
    }

    /// Name for people.
    pub fn name(self) -> &'static str {
        match self {
            AssessmentMethod::StructuredInterview => "Structured interview",
            AssessmentMethod::WorkSample => "Work sample",
            AssessmentMethod::OccupationalQuestionnaire => "Occupational questionnaire",
            AssessmentMethod::WrittenTest => "Written test",
            AssessmentMethod::SmeQa => "SME qualifications assessment (SME-QA)",
        }
    }
}

impl fmt::Display for AssessmentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Why a method name was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not an assessment method; use structured_interview, work_sample, occupational_questionnaire, written_test or sme_qa"
)]
pub struct UnknownMethod(pub String);

impl FromStr for AssessmentMethod {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        AssessmentMethod::ALL
            .into_iter()
            .find(|m| m.id() == key)
            .ok_or_else(|| UnknownMethod(s.trim().to_string()))
    }
}

/// One method used for one competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodWeight {
    /// The method.
    pub method: AssessmentMethod,
    /// Its weight in the total score, in percent of the whole assessment.
    pub weight: f64,
    /// For a structured interview: the questions and their anchored rating scales.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interview_questions: Vec<InterviewQuestion>,
}

/// One competency in the blueprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlueprintCompetency {
    /// The competency's id in the job analysis.
    pub competency: String,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Proficiency level required at the grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_level: Option<u8>,
    /// That level's name on the framework's scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_level_name: Option<String>,
    /// Where the required level comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_source: Option<String>,
    /// Its mean importance in the job analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_importance: Option<f64>,
    /// The critical tasks SMEs linked it to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linked_tasks: Vec<String>,
    /// How it is assessed.
    #[serde(default)]
    pub methods: Vec<MethodWeight>,
}

/// An assessment blueprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blueprint {
    /// The position ("AI Research Scientist, GS-14").
    pub position: String,
    /// Grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// The framework the levels and interview questions come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<FrameworkRef>,
    /// The competencies and their methods.
    #[serde(default)]
    pub competencies: Vec<BlueprintCompetency>,
    /// Remarks for the analyst.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Blueprint {
    /// Total weight per method (percent), for combining applicants' method scores.
    pub fn method_weights(&self) -> BTreeMap<AssessmentMethod, f64> {
        let mut totals = BTreeMap::new();
        for c in &self.competencies {
            for m in &c.methods {
                *totals.entry(m.method).or_insert(0.0) += m.weight;
            }
        }
        totals
    }

    /// Sum of all weights (100 in a finished blueprint).
    pub fn total_weight(&self) -> f64 {
        self.competencies
            .iter()
            .flat_map(|c| c.methods.iter())
            .map(|m| m.weight)
            .sum()
    }
}

/// What to draft.
#[derive(Debug, Clone, Copy)]
pub struct DraftOptions<'a> {
    /// The position.
    pub position: &'a str,
    /// Grade, for the required level.
    pub grade: Option<Grade>,
    /// The methods, applied to every competency (edit the draft to differ per competency).
    pub methods: &'a [AssessmentMethod],
    /// The framework for levels and interview questions.
    pub framework: Option<&'a Framework>,
}

/// Why no blueprint could be drafted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlueprintError {
    /// No method given.
    #[error("choose at least one assessment method")]
    NoMethod,
    /// A method listed twice.
    #[error("assessment method {0} is listed twice")]
    DuplicateMethod(AssessmentMethod),
    /// Nothing to assess.
    #[error("the job analysis has no critical competency to assess: {0}")]
    NothingToAssess(String),
}

/// The framework competency that a job-analysis competency stands for: same id, or the
/// framework competency's catalogue source id, or the same name.
fn framework_competency<'a>(
    framework: &'a Framework,
    id: &str,
    name: Option<&str>,
) -> Option<&'a FrameworkCompetency> {
    framework
        .competencies
        .iter()
        .find(|c| c.id == id)
        .or_else(|| {
            framework
                .competencies
                .iter()
                .find(|c| c.source.as_ref().is_some_and(|s| s.id == id))
        })
        .or_else(|| {
            let name = name?;
            framework
                .competencies
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
        })
}

/// Splits 100 % over `shares` in tenths of a percent (largest remainder), so the draft's weights
/// are short decimals that add up to 100.
fn apportion(shares: &[f64]) -> Vec<f64> {
    const UNITS: i64 = 1000;
    let total: f64 = shares.iter().sum();
    if shares.is_empty() || total <= 0.0 {
        return vec![0.0; shares.len()];
    }
    let exact: Vec<f64> = shares.iter().map(|s| s / total * UNITS as f64).collect();
    let mut units: Vec<i64> = exact.iter().map(|e| e.floor() as i64).collect();
    let mut left = UNITS - units.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| {
        let ra = exact[*a] - exact[*a].floor();
        let rb = exact[*b] - exact[*b].floor();
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    for i in order.into_iter().cycle() {
        if left <= 0 {
            break;
        }
        units[i] += 1;
        left -= 1;
    }
    units.into_iter().map(|u| u as f64 / 10.0).collect()
}

/// Drafts a blueprint for the competencies the analysis retained (or, while linkage is not yet
/// rated, the critical ones, with a note).
pub fn draft_blueprint(
    competencies: &[CompetencyResult],
    options: DraftOptions<'_>,
) -> Result<Blueprint, BlueprintError> {
    if options.methods.is_empty() {
        return Err(BlueprintError::NoMethod);
    }
    for (i, m) in options.methods.iter().enumerate() {
        if options.methods[..i].contains(m) {
            return Err(BlueprintError::DuplicateMethod(*m));
        }
    }
    let mut notes = Vec::new();
    let chosen = chosen_competencies(competencies, &mut notes)?;
    let importance: Vec<f64> = chosen
        .iter()
        .map(|c| c.mean_importance.unwrap_or(1.0))
        .collect();
    let method_count = options.methods.len();
    let cell_shares: Vec<f64> = importance
        .iter()
        .flat_map(|i| std::iter::repeat_n(*i / method_count as f64, method_count))
        .collect();
    let weights = apportion(&cell_shares);

    let framework = options.framework;
    let profile = framework.and_then(|f| {
        let grade = options.grade?;
        f.role_profiles.iter().find(|p| p.grade == Some(grade))
    });
    if let (Some(f), Some(g), None) = (framework, options.grade, profile) {
        notes.push(format!(
            "The framework \"{}\" has no role profile at {g}; set each required level by hand.",
            f.title
        ));
    }
    if framework.is_none() {
        notes.push("No framework given: set each required proficiency level, and write the interview questions, by hand.".to_string());
    }

    let rows = chosen
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let row_weights = &weights[i * method_count..(i + 1) * method_count];
            blueprint_row(c, framework, profile, options.methods, row_weights)
        })
        .collect();
    Ok(Blueprint {
        position: options.position.to_string(),
        grade: options.grade,
        framework: framework.map(|f| FrameworkRef {
            id: f.id.clone(),
            title: Some(f.title.clone()),
            version: Some(f.version.to_string()),
        }),
        competencies: rows,
        notes,
    })
}

/// The competencies to assess: those the analysis retained, or, while linkage is not rated,
/// the critical ones (with a note). None is an error.
fn chosen_competencies<'c>(
    competencies: &'c [CompetencyResult],
    notes: &mut Vec<String>,
) -> Result<Vec<&'c CompetencyResult>, BlueprintError> {
    let linkage_pending = competencies.iter().all(|c| c.retained.is_none());
    let chosen: Vec<&CompetencyResult> = if linkage_pending {
        let critical: Vec<&CompetencyResult> = competencies.iter().filter(|c| c.critical).collect();
        if !critical.is_empty() {
            notes.push("Linkage has not been rated, so this draft uses the critical competencies; rate the task × competency linkage and draft again before using it.".to_string());
        }
        critical
    } else {
        competencies
            .iter()
            .filter(|c| c.retained == Some(true))
            .collect()
    };
    if chosen.is_empty() {
        return Err(BlueprintError::NothingToAssess(if linkage_pending {
            "no competency is critical".to_string()
        } else {
            "no competency was retained (critical and linked to a critical task)".to_string()
        }));
    }
    Ok(chosen)
}

/// One competency's row: its required level from the role profile, and its methods with their
/// weights (interview questions from the framework).
fn blueprint_row(
    c: &CompetencyResult,
    framework: Option<&Framework>,
    profile: Option<&RoleProfile>,
    methods: &[AssessmentMethod],
    weights: &[f64],
) -> BlueprintCompetency {
    let fc = framework.and_then(|f| framework_competency(f, &c.id, c.name.as_deref()));
    let target = profile.and_then(|p| {
        p.targets
            .iter()
            .find(|t| fc.is_some_and(|fc| fc.id == t.competency) || t.competency == c.id)
    });
    let level_name = target.and_then(|t| {
        framework
            .and_then(|f| f.scale.level(t.level))
            .map(|l| l.name.clone())
    });
    let methods = methods
        .iter()
        .enumerate()
        .map(|(j, m)| MethodWeight {
            method: *m,
            weight: weights[j],
            interview_questions: if *m == AssessmentMethod::StructuredInterview {
                fc.map(|fc| fc.interview.clone()).unwrap_or_default()
            } else {
                Vec::new()
            },
        })
        .collect();
    BlueprintCompetency {
        competency: c.id.clone(),
        name: c.name.clone().or_else(|| fc.map(|fc| fc.name.clone())),
        required_level: target.map(|t| t.level),
        required_level_name: level_name,
        level_source: target.and(profile).map(|p| {
            format!(
                "role profile \"{}\"{} of framework \"{}\"",
                p.title,
                p.grade.map(|g| format!(" at {g}")).unwrap_or_default(),
                framework.map(|f| f.title.as_str()).unwrap_or("")
            )
        }),
        mean_importance: c.mean_importance,
        linked_tasks: c
            .linked_critical_tasks
            .iter()
            .map(|l| l.task.clone())
            .collect(),
        methods,
    }
}

/// How serious a blueprint issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The blueprint cannot be used as it is.
    Error,
    /// Worth a look.
    Warning,
}

/// A problem found in a blueprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlueprintIssue {
    /// How serious.
    pub severity: Severity,
    /// The competency concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competency: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Checks a blueprint against the job analysis: every competency assessed is retained (the job
/// analysis supports assessing it), every retained competency is assessed, weights are
/// non-negative and add up to 100, required levels are set and on the scale (`scale_max`).
pub fn check_blueprint(
    blueprint: &Blueprint,
    competencies: &[CompetencyResult],
    scale_max: Option<u8>,
) -> Vec<BlueprintIssue> {
    let mut issues = Issues(Vec::new());
    let linkage_pending = competencies.iter().all(|c| c.retained.is_none());
    for (i, row) in blueprint.competencies.iter().enumerate() {
        let id = row.competency.as_str();
        if blueprint.competencies[..i]
            .iter()
            .any(|r| r.competency == id)
        {
            issues.push(Severity::Error, Some(id), "listed twice".to_string());
        }
        check_support(&mut issues, id, competencies);
        check_methods(&mut issues, row);
        match (row.required_level, scale_max) {
            (None, _) => issues.push(
                Severity::Warning,
                Some(id),
                "no required proficiency level at the grade".to_string(),
            ),
            (Some(0), _) => issues.push(
                Severity::Error,
                Some(id),
                "required level 0 is not a proficiency level".to_string(),
            ),
            (Some(level), Some(max)) if level > max => issues.push(
                Severity::Error,
                Some(id),
                format!("required level {level} is above the scale's highest level ({max})"),
            ),
            _ => {}
        }
    }
    for c in competencies {
        let expected = if linkage_pending {
            c.critical
        } else {
            c.retained == Some(true)
        };
        if expected && !blueprint.competencies.iter().any(|r| r.competency == c.id) {
            issues.push(
                Severity::Error,
                Some(&c.id),
                if linkage_pending {
                    "critical in the job analysis but not assessed".to_string()
                } else {
                    "retained by the job analysis but not assessed".to_string()
                },
            );
        }
    }
    if linkage_pending {
        issues.push(
            Severity::Warning,
            None,
            "the job analysis has no linkage ratings yet: retention of the competencies is not established".to_string(),
        );
    }
    let total = blueprint.total_weight();
    if (total - 100.0).abs() > 0.01 {
        issues.push(
            Severity::Error,
            None,
            format!("the weights add up to {total:.2}, not 100"),
        );
    }
    issues.0
}

/// The issues found so far, in the order found.
struct Issues(Vec<BlueprintIssue>);

impl Issues {
    fn push(&mut self, severity: Severity, competency: Option<&str>, message: String) {
        self.0.push(BlueprintIssue {
            severity,
            competency: competency.map(str::to_string),
            message,
        });
    }
}

/// Whether the job analysis supports assessing competency `id`: it is one of its competencies,
/// critical, and (once linkage is rated) retained.
fn check_support(issues: &mut Issues, id: &str, competencies: &[CompetencyResult]) {
    match competencies.iter().find(|c| c.id == id) {
        None => issues.push(
            Severity::Error,
            Some(id),
            "not a competency of the job analysis, so nothing supports assessing it".to_string(),
        ),
        Some(c) if !c.critical => issues.push(
            Severity::Error,
            Some(id),
            "the job analysis did not find it critical, so assessing it is not supported by the job analysis (5 CFR 300.103)".to_string(),
        ),
        Some(c) if c.retained == Some(false) => issues.push(
            Severity::Error,
            Some(id),
            "critical, but the SMEs did not link it to a critical task, so it was not retained".to_string(),
        ),
        Some(_) => {}
    }
}

/// A row's methods: at least one, each once, weights of 0 or more, interviews with questions.
fn check_methods(issues: &mut Issues, row: &BlueprintCompetency) {
    let id = row.competency.as_str();
    if row.methods.is_empty() {
        issues.push(
            Severity::Error,
            Some(id),
            "no assessment method".to_string(),
        );
    }
    for (j, m) in row.methods.iter().enumerate() {
        if row.methods[..j].iter().any(|n| n.method == m.method) {
            issues.push(
                Severity::Error,
                Some(id),
                format!("method {} is listed twice", m.method),
            );
        }
        if !m.weight.is_finite() || m.weight < 0.0 {
            issues.push(
                Severity::Error,
                Some(id),
                format!("the weight of {} must be a number of 0 or more", m.method),
            );
        } else if m.weight == 0.0 {
            issues.push(
                Severity::Warning,
                Some(id),
                format!("{} has weight 0, so it does not count", m.method),
            );
        }
        if m.method == AssessmentMethod::StructuredInterview && m.interview_questions.is_empty() {
            issues.push(
                Severity::Warning,
                Some(id),
                "structured interview without questions: add the questions and their rating anchors".to_string(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::ItemAgreement;
    use crate::analysis::{ItemStatus, ScaleSummary, YesNoSummary};

    fn summary(mean: Option<f64>) -> ScaleSummary {
        ScaleSummary {
            n: 3,
            mean,
            sd: None,
            min: None,
            max: None,
            counts: BTreeMap::new(),
            agreement: ItemAgreement {
                rwg: None,
                truncated: false,
                note: None,
            },
        }
    }

    fn comp(id: &str, importance: f64, critical: bool, retained: Option<bool>) -> CompetencyResult {
        CompetencyResult {
            id: id.into(),
            name: Some(id.to_uppercase()),
            n: 3,
            mean_importance: Some(importance),
            needed_at_entry_share: Some(1.0),
            mean_distinguishing_value: None,
            critical,
            linking_share: None,
            linked_to_critical_task: retained,
            retained: retained.map(|r| r && critical),
            status: ItemStatus::Critical,
            importance: summary(Some(importance)),
            needed_at_entry: YesNoSummary { n: 3, yes: 3 },
            distinguishing_value: summary(None),
            linked_critical_tasks: Vec::new(),
            decisions: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn methods_parse_in_the_usual_spellings() {
        assert_eq!(
            "structured-interview".parse::<AssessmentMethod>().unwrap(),
            AssessmentMethod::StructuredInterview
        );
        assert_eq!(
            "SME-QA".parse::<AssessmentMethod>().unwrap(),
            AssessmentMethod::SmeQa
        );
        assert!("assessment centre".parse::<AssessmentMethod>().is_err());
    }

    #[test]
    fn apportioned_weights_add_to_exactly_100() {
        let w = apportion(&[1.0, 1.0, 1.0]);
        assert_eq!(w, vec![33.4, 33.3, 33.3]);
        let w = apportion(&[4.67, 3.0, 4.0, 3.33]);
        assert!((w.iter().sum::<f64>() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn the_draft_takes_retained_competencies_weighted_by_importance() {
        let comps = vec![
            comp("a", 4.0, true, Some(true)),
            comp("b", 2.0, true, Some(true)),
            comp("c", 5.0, true, Some(false)),
            comp("d", 2.0, false, Some(true)),
        ];
        let methods = [
            AssessmentMethod::StructuredInterview,
            AssessmentMethod::WorkSample,
        ];
        let bp = draft_blueprint(
            &comps,
            DraftOptions {
                position: "AI Research Scientist",
                grade: Grade::new(14),
                methods: &methods,
                framework: None,
            },
        )
        .unwrap();
        let ids: Vec<&str> = bp
            .competencies
            .iter()
            .map(|c| c.competency.as_str())
            .collect();
        assert_eq!(ids, vec!["a", "b"]);
        assert_eq!(bp.competencies[0].methods[0].weight, 33.3);
        assert_eq!(bp.competencies[1].methods[1].weight, 16.7);
        assert!((bp.total_weight() - 100.0).abs() < 1e-9);
        let by_method = bp.method_weights();
        assert!((by_method[&AssessmentMethod::WorkSample] - 50.0).abs() < 0.11);
        let issues = check_blueprint(&bp, &comps, Some(5));
        assert!(
            issues.iter().all(|i| i.severity == Severity::Warning),
            "{issues:?}"
        );
    }

    #[test]
    fn the_check_refuses_what_the_job_analysis_does_not_support() {
        let comps = vec![
            comp("a", 4.0, true, Some(true)),
            comp("c", 5.0, true, Some(false)),
            comp("d", 2.0, false, Some(false)),
        ];
        let row = |id: &str, weight: f64| BlueprintCompetency {
            competency: id.into(),
            name: None,
            required_level: Some(6),
            required_level_name: None,
            level_source: None,
            mean_importance: None,
            linked_tasks: Vec::new(),
            methods: vec![MethodWeight {
                method: AssessmentMethod::WrittenTest,
                weight,
                interview_questions: Vec::new(),
            }],
        };
        let bp = Blueprint {
            position: "x".into(),
            grade: None,
            framework: None,
            competencies: vec![row("c", 40.0), row("d", 40.0), row("zz", 10.0)],
            notes: Vec::new(),
        };
        let errors: Vec<String> = check_blueprint(&bp, &comps, Some(5))
            .into_iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| format!("{}: {}", i.competency.unwrap_or_default(), i.message))
            .collect();
        assert!(errors.iter().any(|e| e.starts_with("c: critical, but")));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("d: the job analysis did not find it critical"))
        );
        assert!(errors.iter().any(|e| e.starts_with("zz: not a competency")));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("a: retained by the job analysis but not assessed"))
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("above the scale's highest level"))
        );
        assert!(errors.iter().any(|e| e.contains("add up to 90.00")));
    }

    #[test]
    fn a_framework_gives_the_level_at_the_grade_and_the_interview_guide() {
        use framewright_model::{CompetencyKind, RoleProfile, Target};
        let mut f = Framework::new(
            "ai-research",
            "AI research",
            framewright_catalog::opm_five_level().unwrap(),
        );
        let mut fc = FrameworkCompetency::new("ml", "Machine Learning", CompetencyKind::Technical);
        fc.source = Some(framewright_model::framework::CompetencySource {
            catalogue: "opm-ai-2024".into(),
            id: "a".into(),
            uri: None,
        });
        fc.interview.push(InterviewQuestion {
            question: "Tell me about a model you trained.".into(),
            follow_up: None,
            anchors: BTreeMap::new(),
        });
        f.competencies.push(fc);
        f.role_profiles.push(RoleProfile {
            id: "gs14".into(),
            title: "AI Research Scientist".into(),
            job_family: None,
            grade: Grade::new(14),
            level: None,
            description: None,
            targets: vec![Target {
                details: None,
                competency: "ml".into(),
                level: 4,
                weight: None,
                note: None,
            }],
        });
        let comps = vec![comp("a", 4.0, true, Some(true))];
        let methods = [AssessmentMethod::StructuredInterview];
        let bp = draft_blueprint(
            &comps,
            DraftOptions {
                position: "AI Research Scientist, GS-14",
                grade: Grade::new(14),
                methods: &methods,
                framework: Some(&f),
            },
        )
        .unwrap();
        let row = &bp.competencies[0];
        assert_eq!(row.required_level, Some(4));
        assert!(row.required_level_name.is_some());
        assert!(row.level_source.as_deref().unwrap().contains("at GS-14"));
        assert_eq!(row.methods[0].weight, 100.0);
        assert_eq!(row.methods[0].interview_questions.len(), 1);
        assert!(bp.notes.is_empty(), "{:?}", bp.notes);
        assert!(check_blueprint(&bp, &comps, Some(5)).is_empty());

        let bp13 = draft_blueprint(
            &comps,
            DraftOptions {
                position: "x",
                grade: Grade::new(13),
                methods: &methods,
                framework: Some(&f),
            },
        )
        .unwrap();
        assert_eq!(bp13.competencies[0].required_level, None);
        assert!(bp13.notes[0].contains("no role profile at GS-13"));
    }

    #[test]
    fn nothing_to_assess_is_an_error() {
        let comps = vec![comp("d", 2.0, false, Some(false))];
        let err = draft_blueprint(
            &comps,
            DraftOptions {
                position: "x",
                grade: None,
                methods: &[AssessmentMethod::WrittenTest],
                framework: None,
            },
        )
        .unwrap_err();
        assert!(matches!(err, BlueprintError::NothingToAssess(_)));
    }
}
