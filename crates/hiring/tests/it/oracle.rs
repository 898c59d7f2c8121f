//! The job analysis against its oracle: `scripts/oracles/job_analysis.py` (an independent
//! implementation of the rules with numpy, and pingouin for the ICC) wrote the expected results
//! for the AI Research Scientist fixtures and for TV-JA, the boundary vector of the research notes,
//! into `tests/fixtures/job_analysis_oracle.json`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewright_hiring::agreement::ScaleAgreement;
use framewright_hiring::survey::{CompetencyRating, LinkageRating, TaskRating};
use framewright_hiring::{Analysis, AnalysisParameters, JobAnalysis, Ratings, analyze};
use serde_json::Value;

const ORACLE: &str = include_str!("../fixtures/job_analysis_oracle.json");

fn datasets() -> Vec<(String, Analysis, Value)> {
    let oracle: Value = serde_json::from_str(ORACLE).unwrap();
    oracle["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let ratings = Ratings {
                tasks: serde_json::from_value::<Vec<TaskRating>>(d["tasks"].clone()).unwrap(),
                competencies: serde_json::from_value::<Vec<CompetencyRating>>(
                    d["competencies"].clone(),
                )
                .unwrap(),
                linkage: serde_json::from_value::<Vec<LinkageRating>>(d["linkage"].clone())
                    .unwrap(),
            };
            let mut job = JobAnalysis::new("oracle", d["name"].as_str().unwrap());
            job.complete_from_ratings(&ratings);
            let analysis = analyze(&job, &ratings, &AnalysisParameters::default()).unwrap();
            (
                d["name"].as_str().unwrap().to_string(),
                analysis,
                d["expected"].clone(),
            )
        })
        .collect()
}

fn close(actual: Option<f64>, expected: &Value, tolerance: f64, what: &str) {
    match (actual, expected.as_f64()) {
        (None, None) => {}
        (Some(a), Some(e)) => assert!((a - e).abs() <= tolerance, "{what}: {a} vs {e}"),
        (a, _) => panic!("{what}: {a:?} vs {expected}"),
    }
}

#[test]
fn tasks_match_the_oracle() {
    for (name, analysis, expected) in datasets() {
        let tasks = expected["tasks"].as_object().unwrap();
        assert_eq!(analysis.tasks.len(), tasks.len(), "{name}");
        for t in &analysis.tasks {
            let e = &tasks[&t.id];
            let what = format!("{name} {}", t.id);
            assert_eq!(t.n as u64, e["n"].as_u64().unwrap(), "{what} n");
            assert_eq!(
                t.not_performed as u64,
                e["not_performed"].as_u64().unwrap(),
                "{what}"
            );
            close(
                t.not_performed_share,
                &e["not_performed_share"],
                1e-15,
                &what,
            );
            assert_eq!(t.dropped, e["dropped"].as_bool().unwrap(), "{what} dropped");
            assert_eq!(
                t.critical,
                e["critical"].as_bool().unwrap(),
                "{what} critical"
            );
            for (summary, key) in [(&t.importance, "importance"), (&t.frequency, "frequency")] {
                let s = &e[key];
                assert_eq!(summary.n as u64, s["n"].as_u64().unwrap(), "{what} {key} n");
                close(
                    summary.mean,
                    &s["mean"],
                    1e-12,
                    &format!("{what} {key} mean"),
                );
                close(summary.sd, &s["sd"], 1e-12, &format!("{what} {key} sd"));
            }
        }
    }
}

#[test]
fn competencies_match_the_oracle() {
    for (name, analysis, expected) in datasets() {
        let comps = expected["competencies"].as_object().unwrap();
        assert_eq!(analysis.competencies.len(), comps.len(), "{name}");
        for c in &analysis.competencies {
            let e = &comps[&c.id];
            let what = format!("{name} {}", c.id);
            assert_eq!(c.n as u64, e["n"].as_u64().unwrap(), "{what} n");
            close(c.importance.mean, &e["importance"]["mean"], 1e-12, &what);
            close(c.importance.sd, &e["importance"]["sd"], 1e-12, &what);
            close(
                c.needed_at_entry_share,
                &e["needed_at_entry_share"],
                1e-15,
                &what,
            );
            assert_eq!(
                c.critical,
                e["critical"].as_bool().unwrap(),
                "{what} critical"
            );
            close(c.linking_share, &e["linking_share"], 1e-15, &what);
            assert_eq!(
                c.linked_to_critical_task,
                e["linked_to_critical_task"].as_bool(),
                "{what} linked"
            );
            assert_eq!(c.retained, e["retained"].as_bool(), "{what} retained");
        }
    }
}

#[test]
fn the_boundary_vector_exercises_every_rule_at_its_threshold() {
    let (_, analysis, _) = datasets().pop().unwrap();
    let task = |id: &str| analysis.tasks.iter().find(|t| t.id == id).unwrap();
    let comp = |id: &str| analysis.competencies.iter().find(|c| c.id == id).unwrap();
    assert_eq!(task("B1").not_performed_share, Some(0.5));
    assert!(task("B1").dropped && task("B1").decisions[0].on_boundary);
    assert_eq!(task("B2").mean_importance, Some(3.0));
    assert_eq!(task("B2").mean_frequency, Some(3.0));
    assert!(task("B2").critical);
    assert_eq!(comp("K1").needed_at_entry_share, Some(0.5));
    assert!(comp("K1").critical);
    assert_eq!(comp("K1").linking_share, Some(0.5));
    assert_eq!(comp("K1").retained, Some(false));
}

#[test]
fn agreement_matches_the_oracle() {
    for (name, analysis, expected) in datasets() {
        let tasks = expected["tasks"].as_object().unwrap();
        for t in &analysis.tasks {
            for (summary, key) in [(&t.importance, "importance"), (&t.frequency, "frequency")] {
                close(
                    summary.agreement.rwg,
                    &tasks[&t.id][key]["rwg"],
                    1e-12,
                    &format!("{name} {} {key} rwg", t.id),
                );
            }
        }
        let comps = expected["competencies"].as_object().unwrap();
        for c in &analysis.competencies {
            close(
                c.importance.agreement.rwg,
                &comps[&c.id]["importance"]["rwg"],
                1e-12,
                &format!("{name} {} rwg", c.id),
            );
        }
        for (actual, key) in [
            (&analysis.agreement.task_importance, "task_importance"),
            (&analysis.agreement.task_frequency, "task_frequency"),
            (
                &analysis.agreement.competency_importance,
                "competency_importance",
            ),
        ] {
            let e = &expected["icc"][key];
            let what = format!("{name} {key}");
            match actual {
                ScaleAgreement::Computed(icc) => {
                    assert_eq!(
                        icc.items_used as u64,
                        e["items_used"].as_u64().unwrap(),
                        "{what}"
                    );
                    assert_eq!(
                        icc.items_left_out as u64,
                        e["items_left_out"].as_u64().unwrap(),
                        "{what}"
                    );
                    close(Some(icc.single_sme), &e["single"], 1e-9, &what);
                    close(Some(icc.panel_mean), &e["panel"], 1e-9, &what);
                    // pingouin rounds the interval bounds to two decimals
                    for (bound, ci) in [
                        (icc.single_sme_ci, "single_ci"),
                        (icc.panel_mean_ci, "panel_ci"),
                    ] {
                        close(
                            Some(bound[0]),
                            &e[ci][0],
                            0.005 + 1e-9,
                            &format!("{what} {ci} lower"),
                        );
                        close(
                            Some(bound[1]),
                            &e[ci][1],
                            0.005 + 1e-9,
                            &format!("{what} {ci} upper"),
                        );
                    }
                }
                ScaleAgreement::NotComputed { reason, .. } => {
                    assert!(
                        e.is_null(),
                        "{what}: not computed ({reason}) but the oracle has {e}"
                    )
                }
            }
        }
    }
}
