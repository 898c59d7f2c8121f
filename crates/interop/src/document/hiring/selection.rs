//! The view models of the selection documents: category rating, the direct-hire passing
//! grade, a cut-score record and adverse impact by selection step. Each is rendered to
//! Markdown through its template under `templates/hiring/`.

use framewright_hiring::applicants::{
    CategoryRating, PassFail, PassingGrade, Placement, UnplacedApplicant, format_score,
};
use framewright_hiring::cutoff::format_percent;
use framewright_hiring::cutscore::CutScoreRecord;
use framewright_hiring::impact::{ImpactReport, StepImpact};
use serde::Serialize;

/// Category rating: the lists, then those not placed.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryRatingView {
    /// The rules applied.
    pub rules: Vec<String>,
    /// The categories, highest first.
    pub categories: Vec<CategoryView>,
    /// "Not qualified" and "Incomplete", when not empty.
    pub unplaced: Vec<UnplacedView>,
}

/// One category with its applicants.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    /// Name.
    pub name: String,
    /// The lowest score that places an applicant here.
    pub min_score: String,
    /// What it means.
    pub definition: Option<String>,
    /// Applicants: id, preference code, score, placement.
    pub applicants: Vec<[String; 4]>,
}

/// Applicants not placed in a category.
#[derive(Debug, Clone, Serialize)]
pub struct UnplacedView {
    /// "Not qualified", "Incomplete".
    pub title: &'static str,
    /// "A07 (TP): …".
    pub lines: Vec<String>,
}

impl CategoryRatingView {
    /// The view of a category rating.
    pub fn new(r: &CategoryRating) -> CategoryRatingView {
        let unplaced = |title: &'static str, list: &[UnplacedApplicant]| {
            (!list.is_empty()).then(|| UnplacedView {
                title,
                lines: list
                    .iter()
                    .map(|a| format!("{} ({}): {}", a.id, a.preference.code(), a.explanation))
                    .collect(),
            })
        };
        CategoryRatingView {
            rules: r.rules.clone(),
            categories: r
                .categories
                .iter()
                .map(|list| CategoryView {
                    name: list.name.clone(),
                    min_score: format_score(list.min_score),
                    definition: list.definition.clone(),
                    applicants: list
                        .applicants
                        .iter()
                        .map(|a| {
                            [
                                a.id.clone(),
                                a.preference.code().to_string(),
                                format_score(a.score),
                                match a.placement {
                                    Placement::Earned => "earned".to_string(),
                                    Placement::HighestCategoryByPreference => format!(
                                        "placed here by preference (earned {})",
                                        a.earned_category
                                    ),
                                },
                            ]
                        })
                        .collect(),
                })
                .collect(),
            unplaced: [
                unplaced("Not qualified", &r.not_qualified),
                unplaced("Incomplete", &r.incomplete),
            ]
            .into_iter()
            .flatten()
            .collect(),
        }
    }
}

/// The direct-hire passing grade: no scores, no ranks.
#[derive(Debug, Clone, Serialize)]
pub struct PassingGradeView {
    /// The rules applied.
    pub rules: Vec<String>,
    /// Counts.
    pub qualified: usize,
    /// Counts.
    pub not_qualified: usize,
    /// Counts.
    pub incomplete: usize,
    /// Applicant id and result in words.
    pub applicants: Vec<(String, &'static str)>,
}

impl PassingGradeView {
    /// The view of a passing-grade result.
    pub fn new(r: &PassingGrade) -> PassingGradeView {
        PassingGradeView {
            rules: r.rules.clone(),
            qualified: r.qualified,
            not_qualified: r.not_qualified,
            incomplete: r.incomplete,
            applicants: r
                .applicants
                .iter()
                .map(|a| {
                    let result = match a.result {
                        PassFail::Qualified => "qualified",
                        PassFail::NotQualified => "not qualified",
                        PassFail::Incomplete => "incomplete (a score is missing)",
                    };
                    (a.id.clone(), result)
                })
                .collect(),
        }
    }
}

/// A cut-score record.
#[derive(Debug, Clone, Serialize)]
pub struct CutScoreView {
    /// The assessment.
    pub assessment: String,
    /// The method.
    pub method: String,
    /// Who set it.
    pub set_by: String,
    /// When (RFC 3339).
    pub set_at: String,
    /// Label and value, in order.
    pub facts: Vec<(&'static str, String)>,
    /// Judge and cut.
    pub judges: Vec<(String, String)>,
    /// Item, mean, SD, lowest, highest.
    pub items: Vec<[String; 5]>,
    /// Remarks.
    pub notes: Vec<String>,
}

impl CutScoreView {
    /// The view of a cut-score record.
    pub fn new(r: &CutScoreRecord) -> CutScoreView {
        let mut facts = vec![
            (
                "Panel cut",
                format!(
                    "{:.2} points ({:.1} % of the maximum); median of the judges' cuts {:.2}",
                    r.panel_cut, r.panel_cut_percent, r.median_cut
                ),
            ),
            (
                "Standard error of the cut",
                format!(
                    "{:.3} (judges' SD {:.3}); band {:.2} to {:.2}",
                    r.standard_error,
                    r.judges_sd,
                    r.standard_error_band[0],
                    r.standard_error_band[1]
                ),
            ),
        ];
        if let (Some(sem), Some(band)) = (r.sem, r.sem_band) {
            facts.push((
                "Standard error of measurement",
                format!("{sem:.3}; band {:.2} to {:.2}", band[0], band[1]),
            ));
        }
        facts.push(("Recommended cut", format!("{:.2}", r.recommended_cut)));
        if let Some(why) = &r.setting.rationale {
            facts.push(("Rationale", why.clone()));
        }
        CutScoreView {
            assessment: r.setting.assessment.clone(),
            method: r.method.clone(),
            set_by: r.setting.set_by.clone(),
            set_at: r
                .set_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            facts,
            judges: r
                .judges
                .iter()
                .map(|j| (j.judge.clone(), format!("{:.2}", j.cut)))
                .collect(),
            items: r
                .items
                .iter()
                .map(|i| {
                    [
                        i.item.clone(),
                        format!("{:.2}", i.mean),
                        format!("{:.2}", i.sd),
                        format!("{:.2}", i.min),
                        format!("{:.2}", i.max),
                    ]
                })
                .collect(),
            notes: r.notes.clone(),
        }
    }
}

/// Adverse impact at each selection step.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactView {
    /// How applicants were grouped.
    pub grouping: String,
    /// Remarks.
    pub notes: Vec<String>,
    /// Each step, then the selection as a whole.
    pub steps: Vec<StepView>,
}

/// One selection step.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    /// The step.
    pub step: String,
    /// "ADVERSE IMPACT (below four-fifths)" or "no adverse impact …".
    pub verdict: &'static str,
    /// "12 applicant(s) considered, 1 without a reported group. Highest pass rate: men."
    pub summary: String,
    /// Group, considered, passed, rate, impact ratio, below 4/5, Fisher p, z.
    pub groups: Vec<[String; 8]>,
    /// Warnings.
    pub warnings: Vec<String>,
}

fn step_view(s: &StepImpact) -> StepView {
    let dash = || "—".to_string();
    let mut summary = format!("{} applicant(s) considered", s.considered);
    if s.group_not_reported > 0 {
        summary.push_str(&format!(
            ", {} without a reported group",
            s.group_not_reported
        ));
    }
    summary.push('.');
    if let Some(g) = &s.reference_group {
        summary.push_str(&format!(" Highest pass rate: {g}."));
    }
    StepView {
        step: s.step.clone(),
        verdict: if s.adverse_impact {
            "ADVERSE IMPACT (below four-fifths)"
        } else {
            "no adverse impact by the four-fifths rule"
        },
        summary,
        groups: s
            .groups
            .iter()
            .map(|g| {
                [
                    g.group.clone(),
                    g.considered.to_string(),
                    g.passed.to_string(),
                    format_percent(g.rate),
                    g.impact_ratio.map_or_else(dash, |r| format!("{r:.3}")),
                    if g.below_four_fifths { "yes" } else { "no" }.to_string(),
                    g.fisher_p.map_or_else(dash, |p| format!("{p:.4}")),
                    g.z.map_or_else(dash, |z| format!("{z:.3}")),
                ]
            })
            .collect(),
        warnings: s.warnings.clone(),
    }
}

impl ImpactView {
    /// The view of an impact report.
    pub fn new(r: &ImpactReport) -> ImpactView {
        ImpactView {
            grouping: r.grouping.clone(),
            notes: r.notes.clone(),
            steps: r
                .steps
                .iter()
                .chain(std::iter::once(&r.overall))
                .map(step_view)
                .collect(),
        }
    }
}
