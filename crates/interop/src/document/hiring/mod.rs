//! The hiring documents for people: the job-analysis documentation report as JSON (the serde
//! form, for storage and other programs), Markdown (for review in a repository or a wiki) and a
//! self-contained, printable HTML page (no scripts, no external files; print it or save it as
//! PDF from a browser); the results part of it as an HTML fragment for the web interface; and
//! the blueprint, category rating, passing grade, cut score and adverse impact as Markdown.
//!
//! Each document has one view model (in [`job_analysis`], [`blueprint`], [`selection`]) and
//! one template per output under `templates/hiring/`.

pub mod blueprint;
pub mod job_analysis;
pub mod selection;

use framewright_hiring::analysis::Analysis;
use framewright_hiring::applicants::{CategoryRating, PassingGrade};
use framewright_hiring::blueprint::{Blueprint, BlueprintIssue};
use framewright_hiring::cutscore::CutScoreRecord;
use framewright_hiring::impact::ImpactReport;
use framewright_hiring::report::DocumentationReport;

use super::templates::render;
use blueprint::BlueprintView;
use job_analysis::{JobAnalysisView, ResultsView};
use selection::{CategoryRatingView, CutScoreView, ImpactView, PassingGradeView};

/// The report as pretty JSON.
pub fn report_json(report: &DocumentationReport) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(report)?;
    text.push('\n');
    Ok(text)
}

/// The report as Markdown.
pub fn report_markdown(r: &DocumentationReport) -> String {
    render("hiring/job_analysis.md", JobAnalysisView::from_report(r))
}

/// The report as a self-contained printable HTML page.
pub fn report_html(r: &DocumentationReport) -> String {
    render("hiring/job_analysis.html", JobAnalysisView::from_report(r))
}

/// The results of an analysis (rules, tasks, competencies, linkage, agreement) as an HTML
/// fragment: the part of the report's page the web interface's results page shows.
pub fn results_html(analysis: &Analysis) -> String {
    render(
        "hiring/results.html",
        minijinja::context! { results => ResultsView::from_analysis(analysis) },
    )
}

/// A blueprint (and the issues found checking it) as Markdown.
pub fn blueprint_markdown(bp: &Blueprint, issues: &[BlueprintIssue]) -> String {
    render(
        "hiring/blueprint.md",
        minijinja::context! { blueprint => BlueprintView::new(bp, issues), nested => false },
    )
}

/// A blueprint as an HTML fragment: the table the documentation report's page shows.
pub fn blueprint_html(bp: &Blueprint) -> String {
    render(
        "hiring/blueprint.html",
        minijinja::context! { blueprint => BlueprintView::new(bp, &[]) },
    )
}

/// Category rating as Markdown.
pub fn category_rating_markdown(r: &CategoryRating) -> String {
    render("hiring/category_rating.md", CategoryRatingView::new(r))
}

/// The direct-hire passing grade as Markdown (no scores, no ranks).
pub fn passing_grade_markdown(r: &PassingGrade) -> String {
    render("hiring/passing_grade.md", PassingGradeView::new(r))
}

/// A cut-score record as Markdown.
pub fn cut_score_markdown(r: &CutScoreRecord) -> String {
    render("hiring/cut_score.md", CutScoreView::new(r))
}

/// Adverse impact at each step as Markdown.
pub fn impact_markdown(r: &ImpactReport) -> String {
    render("hiring/impact.md", ImpactView::new(r))
}

/// Adverse impact at each step as an HTML fragment (the same view as the Markdown).
pub fn impact_html(r: &ImpactReport) -> String {
    render("hiring/impact.html", ImpactView::new(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{escape_html, markdown_entities};

    #[test]
    fn html_escapes_everything_a_user_typed() {
        assert_eq!(
            escape_html("<script>&\"'"),
            "&lt;script&gt;&amp;&quot;&#39;"
        );
        assert_eq!(markdown_entities("a|b\nc"), "a\\|b c");
    }

    fn small_report() -> DocumentationReport {
        small_analysis().0
    }

    fn small_analysis() -> (DocumentationReport, Analysis) {
        use framewright_hiring::survey::{JobAnalysis, Ratings, TaskRating};
        let ratings = Ratings {
            tasks: vec![
                TaskRating {
                    sme: "SME-1".into(),
                    task: "T1".into(),
                    importance: Some(4),
                    frequency: Some(3),
                },
                TaskRating {
                    sme: "SME-2".into(),
                    task: "T1".into(),
                    importance: Some(3),
                    frequency: Some(3),
                },
            ],
            ..Ratings::default()
        };
        let mut job = JobAnalysis::new("x", "Analyst <script>alert(1)</script> | GS-13");
        job.complete_from_ratings(&ratings);
        job.tasks[0].statement = Some("Builds <b>models</b> & pipelines".into());
        job.smes[0].qualifications = Some("\"Senior\" data scientist".into());
        let analysis = framewright_hiring::analyze(
            &job,
            &ratings,
            &framewright_hiring::AnalysisParameters::default(),
        )
        .unwrap();
        let criteria = framewright_catalog::opm_ai_2024().unwrap().ai_work;
        let report = framewright_hiring::report::documentation_report(
            &job, &ratings, &analysis, &criteria, None, None,
        )
        .unwrap();
        (report, analysis)
    }

    #[test]
    fn the_html_report_is_escaped_and_the_markdown_table_safe() {
        let r = small_report();
        let html = report_html(&r);
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("Analyst &lt;script&gt;alert(1)&lt;/script&gt; | GS-13"));
        assert!(html.contains("Builds &lt;b&gt;models&lt;/b&gt; &amp; pipelines"));
        assert!(html.contains("&quot;Senior&quot; data scientist"));
        let md = report_markdown(&r);
        assert!(md.contains("| **T1** Builds &lt;b&gt;models&lt;/b&gt; &amp; pipelines |"));
        assert!(md.starts_with("# Job analysis: Analyst &lt;script&gt;"));
        assert!(md.contains("1 tasks: 0 dropped as not performed, 1 critical"));
        let json = report_json(&r).unwrap();
        let back: DocumentationReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn html_markdown_and_the_web_results_come_from_one_view_model() {
        let (r, analysis) = small_analysis();
        let view = JobAnalysisView::from_report(&r);
        let html = report_html(&r);
        let md = report_markdown(&r);
        for t in &view.results.tasks {
            assert!(html.contains(&escape_html(&t.statement)));
            assert!(md.contains(&markdown_entities(&t.statement)));
            for d in &t.decisions {
                assert!(html.contains(&escape_html(&d.explanation)), "{}", d.rule);
                assert!(
                    md.contains(&markdown_entities(&d.explanation)),
                    "{}",
                    d.rule
                );
            }
        }
        for line in view.results.agreement.iter().chain(&view.warnings.to_vec()) {
            assert!(html.contains(&escape_html(line)), "{line}");
            assert!(md.contains(&markdown_entities(line)), "{line}");
        }
        // The web interface's results page shows the very fragment the report's page holds.
        let fragment = results_html(&analysis);
        assert!(fragment.contains("data-task=\"T1\" data-status=\"critical\""));
        assert!(fragment.contains("id=\"agreement\""));
        assert!(html.contains(&fragment), "{fragment}");
    }

    #[test]
    fn a_blueprint_stands_alone_or_inside_the_report() {
        use framewright_hiring::blueprint::{
            AssessmentMethod, BlueprintCompetency, MethodWeight, Severity,
        };
        use framewright_model::InterviewQuestion;
        let bp = Blueprint {
            position: "Analyst <b>".into(),
            grade: None,
            framework: None,
            competencies: vec![BlueprintCompetency {
                competency: "data-analysis".into(),
                name: Some("Data Analysis".into()),
                required_level: Some(4),
                required_level_name: Some("Advanced".into()),
                level_source: None,
                mean_importance: None,
                linked_tasks: vec!["T1".into()],
                methods: vec![MethodWeight {
                    method: AssessmentMethod::StructuredInterview,
                    weight: 100.0,
                    interview_questions: vec![InterviewQuestion {
                        question: "Tell me about a <time>.".into(),
                        follow_up: None,
                        anchors: [(1, "None.".to_string())].into(),
                    }],
                }],
            }],
            notes: vec![],
        };
        let issue = BlueprintIssue {
            severity: Severity::Warning,
            competency: Some("data-analysis".into()),
            message: "check the weight".into(),
        };
        let alone = blueprint_markdown(&bp, &[issue]);
        assert!(
            alone.starts_with("# Assessment blueprint: Analyst &lt;b&gt;\n"),
            "{alone}"
        );
        assert!(alone.contains("| data-analysis — Data Analysis | 4 (Advanced) | T1 |"));
        assert!(alone.contains("- **data-analysis** — Tell me about a &lt;time&gt;."));
        assert!(alone.contains("- warning (data-analysis): check the weight"));
        let mut r = small_report();
        r.blueprint = Some(bp);
        let md = report_markdown(&r);
        assert!(
            md.contains("\n## Assessment blueprint: Analyst &lt;b&gt;\n"),
            "{md}"
        );
        let html = report_html(&r);
        assert!(html.contains(&blueprint_html(r.blueprint.as_ref().unwrap())));
        assert!(html.contains("<h2>Assessment blueprint</h2>"));
        assert!(html.contains("<td>data-analysis — Data Analysis</td><td>4 (Advanced)</td>"));
    }
}
