//! `framewright gaps` and `framewright career-path` on the purpose-made fixtures in
//! `tests/fixtures/people/`: the boundary cases of the current-level policy (exactly at target,
//! not observed, self higher than manager, two manager ratings on different dates, a test and a
//! manager rating on the same date, expiry), located errors, the other formats, and a snapshot
//! of the JSON.

use serde_json::Value;

use crate::common::{self, framewright};

fn fixture(name: &str) -> String {
    common::fixture_str("people", name)
}

fn gaps_json(extra: &[&str]) -> Value {
    let framework = fixture("framework.toml");
    let people = fixture("people.csv");
    let ratings = fixture("ratings.csv");
    let mut args = vec![
        "gaps",
        framework.as_str(),
        "--people",
        people.as_str(),
        "--ratings",
        ratings.as_str(),
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = framewright().args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The gap entry of `person` on `competency`.
fn gap<'a>(report: &'a Value, person: &str, competency: &str) -> &'a Value {
    let p = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == person)
        .unwrap_or_else(|| panic!("no person {person}"));
    p["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["competency"] == competency)
        .unwrap_or_else(|| panic!("no gap {person}/{competency}"))
}

#[test]
fn the_boundary_cases_under_the_default_policy() {
    let r = gaps_json(&["--detail"]);
    assert_eq!(r["policy"]["name"], "latest-manager-or-test");
    // Exactly at target: meets, gap 0; above target: gap 0 too.
    let at = gap(&r, "p1", "data-analysis");
    assert_eq!(
        (&at["current"], &at["gap"], &at["status"]),
        (&3.into(), &0.into(), &"meets".into())
    );
    assert_eq!(gap(&r, "p1", "model-evaluation")["status"], "above");
    // Not observed: not assessed, current and gap null (never 0); the self rating is shown.
    let no = gap(&r, "p2", "data-analysis");
    assert_eq!(no["status"], "not_assessed");
    assert!(no["current"].is_null() && no["gap"].is_null(), "{no}");
    assert_eq!(no["beside"][0]["source"], "self");
    // Self higher than manager: the manager's 2 counts; the self 4 is shown beside.
    let sm = gap(&r, "p2", "model-evaluation");
    assert_eq!(
        (&sm["current"], &sm["status"]),
        (&2.into(), &"meets".into())
    );
    assert_eq!(sm["beside"][0]["level"], 4);
    // A peer rating alone never sets the level.
    assert_eq!(gap(&r, "p2", "communication")["status"], "not_assessed");
    // Two manager ratings on different dates: the newer one.
    let two = gap(&r, "p3", "data-analysis");
    assert_eq!(
        (&two["current"], &two["basis"][0]["date"]),
        (&3.into(), &"2026-03-01".into())
    );
    // A test and a manager rating on the same date: the test.
    let same = gap(&r, "p4", "data-analysis");
    assert_eq!(
        (&same["current"], &same["gap"], &same["status"]),
        (&2.into(), &1.into(), &"below".into())
    );
    assert_eq!(same["basis"][0]["source"], "test");
    // The gap names the level to reach; its sentences are in the report's table, once.
    assert_eq!(same["next_levels"], serde_json::json!([3]));
    let steps: Vec<&Value> = r["next_levels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["competency"] == "data-analysis" && s["level"] == 3)
        .collect();
    assert_eq!(steps.len(), 1);
    assert_eq!(
        steps[0]["indicators"][0],
        "To reach Intermediate, show that you design the analysis plan for a routine question."
    );
    assert_eq!(same["time_to_target"]["min_months"], 12);
    assert_eq!(same["time_to_target"]["max_months"], 24);
    // Coverage of data analysis among analysts and the lead: p2 is not assessed, so 5 assessed
    // of 6 targeted; p1, p3, p5 and m1 meet.
    let da = r["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "data-analysis")
        .unwrap();
    assert_eq!(
        (&da["targeted"], &da["assessed"], &da["meeting"]),
        (&6.into(), &5.into(), &4.into())
    );
    assert_eq!(da["coverage"], 0.8);
}

#[test]
fn the_ratings_behind_a_level_are_left_out_without_detail() {
    let r = gaps_json(&[]);
    let same = gap(&r, "p4", "data-analysis");
    assert_eq!(
        (&same["current"], &same["status"]),
        (&2.into(), &"below".into())
    );
    assert!(
        same.get("basis").is_none() && same.get("beside").is_none(),
        "{same}"
    );
    let detailed = gaps_json(&["--detail"]);
    assert_eq!(
        gap(&detailed, "p4", "data-analysis")["basis"][0]["source"],
        "test"
    );
}

#[test]
fn an_expiry_policy_drops_old_ratings_and_is_named() {
    let policy = fixture("policy-expiry.toml");
    let r = gaps_json(&["--policy", &policy]);
    assert_eq!(r["policy"]["name"], "latest-within-two-years");
    assert!(
        r["policy"]["description"]
            .as_str()
            .unwrap()
            .contains("older than 24 months"),
        "{}",
        r["policy"]
    );
    let old = gap(&r, "p5", "data-analysis");
    assert_eq!(old["status"], "not_assessed");
    // Without the policy the same rating counts.
    assert_eq!(
        gap(&gaps_json(&[]), "p5", "data-analysis")["status"],
        "meets"
    );
}

#[test]
fn a_role_limits_the_people() {
    let r = gaps_json(&["--role", "lead"]);
    let ids: Vec<&str> = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["m1"]);
    assert_eq!(gap(&r, "m1", "coaching")["gap"], 1);
}

#[test]
fn small_groups_are_hidden_when_asked() {
    let r = gaps_json(&["--hide-small-groups", "--min-group-size", "6"]);
    let da = &r["competencies"][0];
    assert_eq!(da["id"], "data-analysis");
    assert_eq!(da["suppressed"], true);
    assert!(da["coverage"].is_null());
    let shown = gaps_json(&["--hide-small-groups", "--min-group-size", "5"]);
    assert_eq!(shown["competencies"][0]["coverage"], 0.8);
}

#[test]
fn a_level_outside_the_scale_and_an_unknown_person_exit_2_with_their_place() {
    let bad = fixture("ratings-bad.csv");
    let out = framewright()
        .args([
            "gaps",
            &fixture("framework.toml"),
            "--people",
            &fixture("people.csv"),
            "--ratings",
            &bad,
            "--as-of",
            "2026-06-30",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "{bad}, line 3, column `level`: 7 is not a level of the scale; use 1 to 5"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{bad}, line 4, column `person`: `p9` is not in the list of people"
        )),
        "{err}"
    );
}

#[test]
fn a_malformed_row_and_a_manager_cycle_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let people = common::write(
        &dir,
        "people.csv",
        "id,name,role,manager\na,A,analyst,b\nb,B,analyst,a\nc,C,nurse,\n",
    );
    let ratings = common::write(
        &dir,
        "ratings.csv",
        "person,competency,level,source,date\na,data-analysis,3,manager\n",
    );
    let out = framewright()
        .args([
            "gaps",
            &fixture("framework.toml"),
            "--people",
            &people,
            "--ratings",
            &ratings,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "{ratings}, line 2, column `date`: `date` is empty"
        )),
        "{err}"
    );
    // The ratings file is wrong, so the people are not checked yet; fix it and they are.
    let ratings = common::write(
        &dir,
        "ratings.csv",
        "person,competency,level,source,date\na,data-analysis,3,manager,2026-01-01\n",
    );
    let out = framewright()
        .args([
            "gaps",
            &fixture("framework.toml"),
            "--people",
            &people,
            "--ratings",
            &ratings,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{people}, line 2, column `manager`: the management line goes round in a circle (a → b → a)")), "{err}");
    assert!(
        err.contains(&format!(
            "{people}, line 4, column `role`: the framework has no role `nurse`"
        )),
        "{err}"
    );
}

#[test]
fn html_csv_and_xlsx_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "gaps".to_string(),
        fixture("framework.toml"),
        "--people".into(),
        fixture("people.csv"),
        "--ratings".into(),
        fixture("ratings.csv"),
        "--as-of".into(),
        "2026-06-30".into(),
    ];
    let html = framewright()
        .args(&base)
        .args(["--format", "html"])
        .output()
        .unwrap();
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(
        html.contains("<h1>Competency gaps — Analytics framework</h1>"),
        "{html}"
    );
    assert!(html.contains("To reach Intermediate, show that you design the analysis plan"));
    assert!(html.contains("not assessed"));
    let csv = framewright()
        .args(&base)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("person,name,unit,role,competency,target,current,gap,status\n"));
    assert!(
        csv.contains("p2,Ravi Shah,Data,analyst,data-analysis,3,,,not_assessed\n"),
        "{csv}"
    );
    let xlsx = dir.path().join("gaps.xlsx");
    framewright()
        .args(&base)
        .args(["--format", "xlsx", "-o", xlsx.to_str().unwrap()])
        .assert()
        .success();
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(bytes.starts_with(b"PK"));
    // Without -o a workbook is refused.
    framewright()
        .args(&base)
        .args(["--format", "xlsx"])
        .assert()
        .code(2);
}

#[test]
fn career_path_names_what_changes() {
    let out = framewright()
        .args([
            "career-path",
            &fixture("framework.toml"),
            "--from",
            "analyst",
            "--to",
            "lead",
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
    let c: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["added"][0]["competency"], "coaching");
    assert_eq!(c["removed"][0]["competency"], "data-cleaning");
    assert_eq!(c["changed"][0]["competency"], "data-analysis");
    assert_eq!(
        (&c["changed"][0]["from"], &c["changed"][0]["to"]),
        (&3.into(), &4.into())
    );
    assert_eq!(
        c["changed"][0]["levels"][0]["indicators"][0],
        "To reach Advanced, show that you choose methods for messy or incomplete data."
    );
    assert_eq!(c["unchanged"][0], "communication");
    let text = framewright()
        .args([
            "career-path",
            &fixture("framework.toml"),
            "--from",
            "analyst",
            "--to",
            "lead",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Data Analysis: raised from Intermediate (3) to Advanced (4)"),
        "{text}"
    );
    let bad = framewright()
        .args([
            "career-path",
            &fixture("framework.toml"),
            "--from",
            "analyst",
            "--to",
            "chief",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no role profile `chief`"));
}

#[test]
fn gaps_json_snapshot() {
    insta::assert_json_snapshot!("people_gaps", gaps_json(&[]));
}
