//! `framewright hiring`: the blueprint drafted from the AI Research Scientist job analysis and a
//! framework, its check, category rating with veterans' preference, and the direct-hire passing
//! grade — on the fixtures in tests/fixtures/hiring.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{self, framewright, write};

fn fixture(name: &str) -> String {
    common::fixture_str("hiring", name)
}

/// The job-analysis report in JSON, in `dir`.
fn analysis(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("analysis.json");
    common::analyze_fixture_to(path.to_str().unwrap())
        .assert()
        .success();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_drafted_blueprint_assesses_the_retained_competencies_and_passes_its_check() {
    let dir = tempfile::tempdir().unwrap();
    let report = analysis(&dir);
    let draft = dir.path().join("blueprint.toml");
    framewright()
        .args([
            "hiring",
            "blueprint",
            "--analysis",
            &report,
            "--framework",
            &fixture("framework.toml"),
            "--methods",
            "structured-interview,occupational_questionnaire",
            "-o",
            draft.to_str().unwrap(),
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&draft).unwrap();
    let bp: toml::Value = toml::from_str(&text).unwrap();
    let comps = bp["competencies"].as_array().unwrap();
    let ids: Vec<&str> = comps
        .iter()
        .map(|c| c["competency"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![
            "artificial-intelligence-and-machine-learning",
            "mathematical-reasoning",
            "data-analysis",
            "problem-solving",
            "written-communication",
            "creativity-and-innovation"
        ],
        "attention-to-detail is critical but not linked, so it is not assessed"
    );
    let total: f64 = comps
        .iter()
        .flat_map(|c| c["methods"].as_array().unwrap())
        .map(|m| m["weight"].as_float().unwrap())
        .sum();
    assert!((total - 100.0).abs() < 1e-9, "{total}");
    assert_eq!(comps[0]["required_level"].as_integer(), Some(4));
    assert_eq!(comps[0]["required_level_name"].as_str(), Some("Advanced"));
    let interview = &comps[2]["methods"][0];
    assert_eq!(interview["method"].as_str(), Some("structured_interview"));
    assert!(
        !interview["interview_questions"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    framewright()
        .args([
            "hiring",
            "blueprint",
            "--analysis",
            &report,
            "--check",
            draft.to_str().unwrap(),
            "--framework",
            &fixture("framework.toml"),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "The blueprint agrees with the job analysis.",
        ));

    // An edited blueprint that assesses a competency the job analysis did not retain, and whose
    // weights no longer add up to 100, fails its check with exit status 1.
    let edited = text.replacen(
        "competency = \"creativity-and-innovation\"",
        "competency = \"attention-to-detail\"",
        1,
    );
    let edited = write(&dir, "edited.toml", &edited);
    framewright()
        .args([
            "hiring",
            "blueprint",
            "--analysis",
            &report,
            "--check",
            &edited,
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("did not link it to a critical task").and(
                predicate::str::contains("retained by the job analysis but not assessed"),
            ),
        );
}

#[test]
fn the_blueprint_refuses_unknown_methods_and_non_reports() {
    let dir = tempfile::tempdir().unwrap();
    let report = analysis(&dir);
    framewright()
        .args([
            "hiring",
            "blueprint",
            "--analysis",
            &report,
            "--methods",
            "assessment_centre",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "\"assessment_centre\" is not an assessment method",
        ));
    let not_json = write(&dir, "x.json", "{\"format\": 1}");
    framewright()
        .args(["hiring", "blueprint", "--analysis", &not_json])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a job-analysis report"));
}

fn category_json(extra: &[&str]) -> Value {
    let mut args = vec!["hiring", "category-rating", "--scores"];
    let scores = fixture("applicants.csv");
    let categories = fixture("categories.toml");
    args.push(&scores);
    args.extend(["--categories-file", &categories, "--format", "json"]);
    args.extend(extra);
    let out = framewright().args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn names(list: &Value) -> Vec<String> {
    list["applicants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn category_rating_orders_preference_eligibles_first_and_floats_disabled_veterans() {
    // Equal weights: A05 (CP) scores 91 → Well Qualified, floated to Best Qualified; A03 (CPS)
    // 78 → Qualified, floated; A12 (CP) 67 → not qualified, and preference does not change that.
    let v = category_json(&["--grade", "GS-14"]);
    assert_eq!(v["disabled_veterans_to_highest_category"], true);
    let best = &v["categories"][0];
    assert_eq!(best["name"], "Best Qualified");
    assert_eq!(names(best), vec!["A03", "A05", "A07", "A01", "A10"]);
    assert_eq!(
        best["applicants"][0]["placement"],
        "highest_category_by_preference"
    );
    assert_eq!(best["applicants"][0]["earned_category"], "Qualified");
    assert_eq!(names(&v["categories"][1]), vec!["A02", "A09", "A04"]);
    assert_eq!(names(&v["categories"][2]), vec!["A06"]);
    let not_qualified: Vec<&str> = v["not_qualified"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(not_qualified, vec!["A08", "A12"]);
    assert_eq!(v["incomplete"][0]["id"], "A11");
    // A04 scores exactly 85: the lowest score of Well Qualified belongs to it
    assert_eq!(v["categories"][1]["applicants"][2]["score"], 85.0);

    // A scientific or professional position at GS-9 and above: no float.
    let v = category_json(&["--grade", "GS-14", "--scientific-professional"]);
    assert_eq!(v["disabled_veterans_to_highest_category"], false);
    assert_eq!(names(&v["categories"][0]), vec!["A07", "A01", "A10"]);
    assert_eq!(names(&v["categories"][1]), vec!["A02", "A05", "A09", "A04"]);
    assert_eq!(names(&v["categories"][2]), vec!["A03", "A06"]);
}

#[test]
fn category_rating_needs_defined_categories_and_readable_scores() {
    framewright()
        .args([
            "hiring",
            "category-rating",
            "--scores",
            &fixture("applicants.csv"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("5 CFR 337.303"));
    framewright()
        .args([
            "hiring",
            "category-rating",
            "--scores",
            &fixture("applicants.csv"),
            "--categories",
            "Qualified=70",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least two quality categories"));
    let dir = tempfile::tempdir().unwrap();
    let scores = write(
        &dir,
        "s.csv",
        "applicant_id,preference,interview\nA1,,90\nA2,10-point,80\nA3,,eighty\n",
    );
    framewright()
        .args([
            "hiring",
            "category-rating",
            "--scores",
            &scores,
            "--categories",
            "Best=90,Qualified=70",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!(
                "{scores}: line 3 (data row 2), column \"preference\""
            ))
            .and(predicate::str::contains(format!(
                "{scores}: line 4 (data row 3), column \"interview\": \"eighty\" is not a number"
            ))),
        );
    framewright()
        .args([
            "hiring",
            "category-rating",
            "--scores",
            &fixture("applicants.csv"),
            "--categories",
            "Best=90,Qualified=70",
            "--weights",
            "interview=1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no score column \"interview\""));
}

#[test]
fn weights_change_the_totals() {
    let v = category_json(&[
        "--weights",
        "occupational_questionnaire=40,structured_interview=60",
        "--grade",
        "GS-14",
    ]);
    // A07: 0.4·100 + 0.6·95 = 97
    let best = &v["categories"][0]["applicants"];
    let a07 = best
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "A07")
        .unwrap();
    assert_eq!(a07["score"], 97.0);
}

#[test]
fn the_direct_hire_passing_grade_lists_no_scores_and_no_ranks() {
    let out = framewright()
        .args([
            "hiring",
            "passing-grade",
            "--scores",
            &fixture("applicants.csv"),
            "--passing-score",
            "70",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let applicants = v["applicants"].as_array().unwrap();
    assert_eq!(applicants.len(), 12);
    for a in applicants {
        assert_eq!(a.as_object().unwrap().len(), 2, "only id and result: {a}");
    }
    let ids: Vec<&str> = applicants
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "applicant-id order, not score order");
    assert_eq!(v["qualified"], 9);
    assert_eq!(v["not_qualified"], 2);
    assert_eq!(v["incomplete"], 1);
    // A06 totals exactly 71 → qualified; A12 67 → not
    let result = |id: &str| applicants.iter().find(|a| a["id"] == id).unwrap()["result"].clone();
    assert_eq!(result("A06"), "qualified");
    assert_eq!(result("A12"), "not_qualified");

    framewright()
        .args([
            "hiring",
            "passing-grade",
            "--scores",
            &fixture("applicants.csv"),
            "--passing-score",
            "71",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("| A06 | qualified |"));
}

#[test]
fn help_is_written_for_hr() {
    framewright()
        .args(["hiring", "category-rating", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("preference eligibles")
                .and(predicate::str::contains("GS-9"))
                .and(predicate::str::contains("Qualified=95")),
        );
    framewright()
        .args(["hiring", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("blueprint").and(predicate::str::contains("passing-grade")),
        );
}

#[test]
fn an_angoff_cut_records_who_when_and_the_sem_band() {
    let out = framewright()
        .args([
            "hiring",
            "angoff",
            "--judgements",
            &fixture("angoff.csv"),
            "--set-by",
            "HR Specialist (Staffing)",
            "--assessment",
            "Written job-knowledge test",
            "--test-sd",
            "1.4",
            "--reliability",
            "0.82",
            "--lower-by-sem",
            "1",
            "--set-at",
            "2026-03-02T14:00:00Z",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // judges' sums 6.2, 6.3, 6.4 → panel cut 6.3, SE = 0.1 / √3
    assert!((v["panel_cut"].as_f64().unwrap() - 6.3).abs() < 1e-9);
    assert!((v["standard_error"].as_f64().unwrap() - 0.1 / 3f64.sqrt()).abs() < 1e-9);
    // SEM = 1.4 · √0.18
    let sem = 1.4 * 0.18f64.sqrt();
    assert!((v["sem"].as_f64().unwrap() - sem).abs() < 1e-9);
    assert!((v["recommended_cut"].as_f64().unwrap() - (6.3 - sem)).abs() < 1e-9);
    assert_eq!(v["setting"]["set_by"], "HR Specialist (Staffing)");
    assert_eq!(v["set_at"], "2026-03-02T14:00:00Z");
    assert_eq!(v["judges"].as_array().unwrap().len(), 3);
    assert_eq!(v["items"].as_array().unwrap().len(), 10);
}

#[test]
fn angoff_refuses_bad_judgements_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        &dir,
        "a.csv",
        "judge_id,item_id,judgement\nSME-1,Q1,0.6\nSME-1,Q2,seventy\nSME-2,Q1,0.5\n",
    );
    framewright()
        .args(["hiring", "angoff", "--judgements", &bad, "--set-by", "HR"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{bad}: line 3 (data row 2), column \"judgement\": \"seventy\" is not a number"
        )));
    let over = write(
        &dir,
        "b.csv",
        "judge_id,item_id,judgement\nSME-1,Q1,0.6\nSME-2,Q1,1.5\n",
    );
    framewright()
        .args(["hiring", "angoff", "--judgements", &over, "--set-by", "HR"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("judge \"SME-2\", item \"Q1\""));
    framewright()
        .args([
            "hiring",
            "angoff",
            "--judgements",
            &fixture("angoff.csv"),
            "--set-by",
            "HR",
            "--lower-by-sem",
            "1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "give the assessment's score SD and its reliability",
        ));
}

#[test]
fn adverse_impact_is_checked_at_every_step_with_0_80_exactly_not_flagged() {
    let out = framewright()
        .args([
            "hiring",
            "adverse-impact",
            "--flow",
            &fixture("flow.csv"),
            "--group",
            "sex",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = v["steps"].as_array().unwrap();
    let names: Vec<&str> = steps.iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        vec![
            "minimum_qualifications",
            "assessment",
            "interview",
            "selected"
        ]
    );
    // assessment: F 24 of 50 (0.48) against M 48 of 80 (0.60): impact ratio exactly 0.80
    let assessment = &steps[1];
    assert_eq!(assessment["considered"], 131);
    assert_eq!(assessment["group_not_reported"], 1);
    let f = assessment["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "F")
        .unwrap();
    assert_eq!(f["impact_ratio"], 0.8);
    assert_eq!(f["below_four_fifths"], false);
    assert!((f["fisher_p"].as_f64().unwrap() - 0.2068).abs() < 1e-4);
    assert_eq!(f["flips_with_one_person"], true);
    assert_eq!(v["overall"]["considered"], 147);
    assert_eq!(v["overall"]["adverse_impact"], false);

    // A stricter threshold flags the assessment step and the bottom line: exit status 1.
    framewright()
        .args([
            "hiring",
            "adverse-impact",
            "--flow",
            &fixture("flow.csv"),
            "--group",
            "sex",
            "--threshold",
            "0.85",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("## assessment — ADVERSE IMPACT"));
}

#[test]
fn a_flow_with_a_result_after_a_fail_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let flow = write(
        &dir,
        "flow.csv",
        "applicant_id,group,qualified,interview\nA1,F,pass,pass\nA2,M,fail,pass\n",
    );
    framewright()
        .args(["hiring", "adverse-impact", "--flow", &flow])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{flow}: line 3 (data row 2), column \"interview\": the applicant did not pass the step \"qualified\""
        )));
    framewright()
        .args([
            "hiring",
            "adverse-impact",
            "--flow",
            &flow,
            "--group",
            "sex",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no column \"sex\""));
}
