//! `framewright job-analysis`: the AI Research Scientist, GS-14 job analysis with three SMEs, the
//! boundaries of every rule, and rating files that are refused with their file, line and column.

use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{self, framewright, write};

fn fixture(name: &str) -> String {
    common::fixture_str("hiring", name)
}

fn analyze_json(extra: &[&str]) -> Value {
    let mut args = vec![
        "job-analysis".to_string(),
        "analyze".into(),
        "--tasks".into(),
        fixture("tasks.csv"),
        "--competencies".into(),
        fixture("competencies.csv"),
        "--format".into(),
        "json".into(),
        "--date".into(),
        "2026-03-02".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = framewright().args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("{id} missing"))
}

#[test]
fn the_ai_research_scientist_analysis_has_the_documented_json() {
    let job = fixture("job.toml");
    let links = fixture("linkage.csv");
    let v = analyze_json(&["--job", &job, "--linkage", &links]);
    assert_eq!(v["title"], "Job analysis: AI Research Scientist, GS-14");
    assert_eq!(v["prepared_on"], "2026-03-02");
    for t in v["tasks"].as_array().unwrap() {
        for key in [
            "id",
            "n",
            "not_performed_share",
            "dropped",
            "mean_importance",
            "mean_frequency",
            "critical",
            "decisions",
        ] {
            assert!(t.get(key).is_some(), "task {key} missing");
        }
    }
    for c in v["competencies"].as_array().unwrap() {
        for key in [
            "id",
            "n",
            "mean_importance",
            "needed_at_entry_share",
            "critical",
            "linked_to_critical_task",
            "retained",
        ] {
            assert!(c.get(key).is_some(), "competency {key} missing");
        }
    }
    let p = &v["parameters"];
    assert_eq!(p["task"]["drop_when_not_performed_share"]["at_least"], 0.5);
    assert_eq!(p["task"]["critical_when_mean_importance"]["at_least"], 3.0);
    assert_eq!(p["task"]["critical_when_mean_frequency"]["at_least"], 3.0);
    assert_eq!(
        p["competency"]["critical_when_needed_at_entry_share"]["at_least"],
        0.5
    );
    assert_eq!(p["linkage"]["retain_when_linking_share"]["more_than"], 0.5);

    let tasks = &v["tasks"];
    // T09: two of three SMEs say Not performed
    let t09 = by_id(tasks, "T09");
    assert_eq!(t09["n"], 3);
    assert!((t09["not_performed_share"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(t09["dropped"], true);
    assert_eq!(t09["critical"], false);
    // T07: both means exactly 3.0 → critical
    let t07 = by_id(tasks, "T07");
    assert_eq!(t07["mean_importance"], 3.0);
    assert_eq!(t07["mean_frequency"], 3.0);
    assert_eq!(t07["critical"], true);
    assert_eq!(t07["decisions"][1]["on_boundary"], true);
    // T06: one SME left frequency blank ("don't know"): n = 2 in the frequency mean
    let t06 = by_id(tasks, "T06");
    assert_eq!(t06["frequency"]["n"], 2);
    assert_eq!(t06["critical"], true);
    // T08: frequency 2.33 → not critical
    assert_eq!(by_id(tasks, "T08")["critical"], false);
    assert_eq!(v["summary"]["tasks_critical"], 7);

    let comps = &v["competencies"];
    let creativity = by_id(comps, "creativity-and-innovation");
    assert_eq!(creativity["critical"], true);
    assert_eq!(creativity["retained"], true);
    let detail = by_id(comps, "attention-to-detail");
    assert_eq!(detail["critical"], true);
    assert_eq!(detail["linked_to_critical_task"], false);
    assert_eq!(detail["retained"], false);
    let oral = by_id(comps, "oral-communication");
    assert_eq!(oral["critical"], false);
    assert_eq!(v["summary"]["competencies_retained"], 6);

    assert_eq!(v["ai_work"]["conclusion"], "ai_work");
    assert_eq!(v["ai_work"]["criteria"].as_array().unwrap().len(), 4);
    assert_eq!(
        v["smes"][0]["qualifications"],
        "GS-15 supervisory research scientist; 12 years of machine-learning research; PhD in computer science"
    );
    assert_eq!(v["linkage"]["tasks"].as_array().unwrap().len(), 7);
}

#[test]
fn markdown_and_html_reports_carry_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    common::analyze_fixture_to(html.to_str().unwrap())
        .assert()
        .success()
        .stderr(predicate::str::contains("6 retained"));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    for section in [
        "Legal and professional basis",
        "Method",
        "Subject-matter experts",
        "Rating scales",
        "Task decisions",
        "Competency decisions",
        "Task × competency linkage",
        "Agreement among SMEs",
        "AI work (OPM criteria, 29 April 2024)",
        "task.drop_when_not_performed_share",
        "@media print",
    ] {
        assert!(page.contains(section), "{section} missing from the HTML");
    }
    // self-contained: no scripts, no external stylesheets or images
    assert!(!page.contains("<script") && !page.contains("<link") && !page.contains("src="));

    let out = common::analyze(
        &fixture("tasks.csv"),
        &fixture("competencies.csv"),
        &["--job", &fixture("job.toml"), "--format", "md"],
    )
    .output()
    .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Job analysis: AI Research Scientist, GS-14"));
    assert!(md.contains("retention pending the linkage ratings"));
    assert!(md.contains("| **T09** Negotiates contracts"));
    assert!(md.contains("Linkage has not been rated yet."));
}

#[test]
fn without_linkage_retention_is_pending_not_false() {
    let v = analyze_json(&[]);
    let ai = by_id(
        &v["competencies"],
        "artificial-intelligence-and-machine-learning",
    );
    assert_eq!(ai["critical"], true);
    assert_eq!(ai["retained"], Value::Null);
    assert_eq!(ai["linked_to_critical_task"], Value::Null);
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("Linkage has not been rated"))
    );
    // without a job file the title is the default and SMEs have no qualifications recorded
    assert_eq!(v["job"]["title"], "Untitled position");
}

#[test]
fn every_rule_at_its_boundary_with_four_smes() {
    let dir = tempfile::tempdir().unwrap();
    // B1: 2 of 4 Not performed (exactly half) → dropped.
    // B2: 1 of 4 Not performed; importance (3+3+3)/3 = 3.0 and frequency (2+4+3)/3 = 3.0 → critical.
    // B3: importance (3+3+2+4)/4 = 3.0, frequency (3+3+3+2)/4 = 2.75 → not critical.
    let tasks = write(
        &dir,
        "tasks.csv",
        "sme_id,task_id,importance,frequency
S1,B1,0,0
S2,B1,5,0
S3,B1,5,5
S4,B1,5,5
S1,B2,0,0
S2,B2,3,2
S3,B2,3,4
S4,B2,3,3
S1,B3,3,3
S2,B3,3,3
S3,B3,2,3
S4,B3,4,2
",
    );
    // K1: 2 of 4 needed at entry (exactly half), mean importance 3.0 → critical.
    // K2: 1 of 4 needed at entry → not critical.
    let competencies = write(
        &dir,
        "competencies.csv",
        "sme_id,competency_id,importance,needed_at_entry
S1,K1,3,yes
S2,K1,3,no
S3,K1,2,1
S4,K1,4,0
S1,K2,5,yes
S2,K2,5,no
S3,K2,5,no
S4,K2,5,no
",
    );
    // K1 linked to the critical task B2 by 2 of 4: a tie, not a majority.
    let linkage = write(
        &dir,
        "linkage.csv",
        "sme_id,task_id,competency_id,linked
S1,B2,K1,yes
S2,B2,K1,yes
S3,B2,K1,no
S4,B2,K1,no
",
    );
    let run = |params: Option<&str>| -> Value {
        let mut args = vec![
            "job-analysis",
            "analyze",
            "--tasks",
            &tasks,
            "--competencies",
            &competencies,
            "--linkage",
            &linkage,
            "--format",
            "json",
        ];
        if let Some(p) = params {
            args.extend(["--parameters", p]);
        }
        let out = framewright().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = run(None);
    let b1 = by_id(&v["tasks"], "B1");
    assert_eq!(b1["not_performed_share"], 0.5);
    assert_eq!(b1["dropped"], true);
    let b2 = by_id(&v["tasks"], "B2");
    assert_eq!(b2["not_performed_share"], 0.25);
    assert_eq!(b2["dropped"], false);
    assert_eq!(b2["mean_importance"], 3.0);
    assert_eq!(b2["mean_frequency"], 3.0);
    assert_eq!(b2["critical"], true);
    let b3 = by_id(&v["tasks"], "B3");
    assert_eq!(b3["mean_importance"], 3.0);
    assert_eq!(b3["mean_frequency"], 2.75);
    assert_eq!(b3["critical"], false);
    let k1 = by_id(&v["competencies"], "K1");
    assert_eq!(k1["needed_at_entry_share"], 0.5);
    assert_eq!(k1["mean_importance"], 3.0);
    assert_eq!(k1["critical"], true);
    assert_eq!(k1["linked_to_critical_task"], false);
    assert_eq!(k1["retained"], false);
    let tie = k1["decisions"].as_array().unwrap().last().unwrap()["explanation"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        tie.contains("a tie") && tie.contains("excludes it"),
        "{tie}"
    );
    let k2 = by_id(&v["competencies"], "K2");
    assert_eq!(k2["needed_at_entry_share"], 0.25);
    assert_eq!(k2["critical"], false);

    // The same data with stricter or looser thresholds from a parameters file.
    let params = write(
        &dir,
        "params.toml",
        "[task]
drop_when_not_performed_share = { more_than = 0.5 }
critical_when_mean_importance = { more_than = 3.0 }

[linkage]
retain_when_linking_share = { at_least = 0.5 }
",
    );
    let v = run(Some(&params));
    assert_eq!(by_id(&v["tasks"], "B1")["dropped"], false);
    assert_eq!(by_id(&v["tasks"], "B2")["critical"], false);
    assert_eq!(
        v["parameters"]["task"]["critical_when_mean_frequency"]["at_least"],
        3.0
    );
    assert_eq!(
        v["parameters"]["task"]["drop_when_not_performed_share"]["more_than"],
        0.5
    );
}

#[test]
fn a_malformed_rating_file_names_file_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("tasks.csv")).unwrap();
    // line 4 is SME-1,T03,4,3 → importance 7; line 6 frequency "often"
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    assert!(lines[3].starts_with("SME-1,T03,"));
    lines[3] = "SME-1,T03,7,3".into();
    lines[5] = "SME-1,T05,4,often".into();
    let broken = write(&dir, "tasks.csv", &(lines.join("\n") + "\n"));
    let out = dir.path().join("report.json");
    common::analyze(
        &broken,
        &fixture("competencies.csv"),
        &["--format", "json", "-o", out.to_str().unwrap()],
    )
    .assert()
    .code(2)
    .stderr(
        predicate::str::contains(format!(
            "{broken}: line 4 (data row 3), column \"importance\": \"7\" is not on the scale"
        ))
        .and(predicate::str::contains(format!(
            "{broken}: line 6 (data row 5), column \"frequency\": \"often\" is not on the scale"
        )))
        .and(predicate::str::contains("nothing was analysed")),
    );
    assert!(!out.exists(), "no report may be written from a bad file");
}

#[test]
fn bad_cells_in_every_rating_file_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    let comps = write(
        &dir,
        "comps.csv",
        "sme_id,competency_id,importance,needed_at_entry\nSME-1,data-analysis,0,yes\nSME-2,data-analysis,4,perhaps\n",
    );
    let links = write(
        &dir,
        "links.csv",
        "sme_id,task_id,competency_id,linked\nSME-1,T01,data-analysis,yes\nSME-1,T01,data-analysis,no\n",
    );
    common::analyze(&fixture("tasks.csv"), &comps, &["--linkage", &links])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!(
                "{comps}: line 2 (data row 1), column \"importance\""
            ))
            .and(predicate::str::contains(format!(
                "{comps}: line 3 (data row 2), column \"needed_at_entry\""
            )))
            .and(predicate::str::contains(format!(
                "{links}: line 3 (data row 2), column \"competency_id\""
            )))
            .and(predicate::str::contains("the first is on line 2")),
        );
}

#[test]
fn an_id_the_job_file_does_not_list_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(fixture("tasks.csv")).unwrap();
    text.push_str("SME-3,T99,4,4\n");
    let tasks = write(&dir, "tasks.csv", &text);
    common::analyze(&tasks, &fixture("competencies.csv"), &["--job",
            &fixture("job.toml")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{tasks}: line 32 (data row 31), column \"task_id\": \"T99\" is not a task of this job analysis"
        )));
}

#[test]
fn a_missing_column_or_a_broken_job_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = write(
        &dir,
        "t.csv",
        "sme,task_id,importance,frequency\nS1,T1,3,3\n",
    );
    common::analyze(&tasks, &fixture("competencies.csv"), &[])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{tasks}: line 1: the header has no column \"sme_id\""
        )));
    let job = write(
        &dir,
        "job.toml",
        "id = \"x\"\ntitle = \"X\"\ngrade = \"GS-16\"\n",
    );
    common::analyze(
        &fixture("tasks.csv"),
        &fixture("competencies.csv"),
        &["--job", &job],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains(format!("{job}:3:")).and(predicate::str::contains("GS-16")));
    let params = write(
        &dir,
        "p.toml",
        "[task]\ncritical_when_mean_importanc = { at_least = 3.5 }\n",
    );
    common::analyze(
        &fixture("tasks.csv"),
        &fixture("competencies.csv"),
        &["--parameters", &params],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains(format!("{params}:2:1")));
    let params = write(
        &dir,
        "p2.toml",
        "[task]\ndrop_when_not_performed_share = { at_least = 50 }\n",
    );
    common::analyze(
        &fixture("tasks.csv"),
        &fixture("competencies.csv"),
        &["--parameters", &params],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "task.drop_when_not_performed_share",
    ));
}

#[test]
fn an_empty_survey_and_a_single_sme_are_analysed_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = write(&dir, "t.csv", "sme_id,task_id,importance,frequency\n");
    let comps = write(
        &dir,
        "c.csv",
        "sme_id,competency_id,importance,needed_at_entry\n",
    );
    let out = common::analyze(
        &tasks,
        &comps,
        &["--job", &fixture("job.toml"), "--format", "json"],
    )
    .output()
    .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("no ratings yet")
    );
    assert_eq!(by_id(&v["tasks"], "T01")["status"], "unrated");
    assert_eq!(v["summary"]["tasks_critical"], 0);

    let one = write(
        &dir,
        "one.csv",
        "sme_id,task_id,importance,frequency\nSME-1,T01,4,4\n",
    );
    let one_c = write(
        &dir,
        "one_c.csv",
        "sme_id,competency_id,importance,needed_at_entry\nSME-1,data-analysis,4,yes\n",
    );
    let out = common::analyze(&one, &one_c, &["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = by_id(&v["tasks"], "T01");
    assert_eq!(t["critical"], true);
    assert_eq!(t["importance"]["sd"], Value::Null);
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("Only one SME"))
    );
}

#[test]
fn templates_are_valid_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let job = framewright()
        .args(["job-analysis", "template", "job"])
        .output()
        .unwrap();
    let job = write(&dir, "job.toml", &String::from_utf8(job.stdout).unwrap());
    let params = framewright()
        .args(["job-analysis", "template", "parameters"])
        .output()
        .unwrap();
    let params_text = String::from_utf8(params.stdout).unwrap();
    assert!(params_text.contains("drop_when_not_performed_share = { at_least = 0.5 }"));
    let params = write(&dir, "p.toml", &params_text);
    // the commented template reads back as exactly the defaults
    let defaults = common::analyze(
        &fixture("tasks.csv"),
        &fixture("competencies.csv"),
        &["--format", "json"],
    )
    .output()
    .unwrap();
    let with_template = common::analyze(
        &fixture("tasks.csv"),
        &fixture("competencies.csv"),
        &["--format", "json", "--parameters", &params],
    )
    .output()
    .unwrap();
    let a: Value = serde_json::from_slice(&defaults.stdout).unwrap();
    let b: Value = serde_json::from_slice(&with_template.stdout).unwrap();
    assert_eq!(a["parameters"], b["parameters"]);
    let mut csv = Vec::new();
    for which in ["tasks", "competencies", "linkage"] {
        let out = framewright()
            .args(["job-analysis", "template", which])
            .output()
            .unwrap();
        csv.push(write(
            &dir,
            &format!("{which}.csv"),
            &String::from_utf8(out.stdout).unwrap(),
        ));
    }
    // the rating templates use their own ids, so analyse them without the job file
    common::analyze(
        &csv[0],
        &csv[1],
        &["--linkage", &csv[2], "--parameters", &params],
    )
    .assert()
    .success();
    // the job template is the fixture's job file
    let v = analyze_json(&["--job", &job]);
    assert_eq!(v["job"]["grade"], "GS-14");
}

#[test]
fn help_speaks_to_an_hr_specialist() {
    framewright()
        .args(["job-analysis", "analyze", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("0 = Not performed")
                .and(predicate::str::contains("needed at entry"))
                .and(predicate::str::contains("--linkage")),
        );
    let _ = PathBuf::new();
}
