//! `framewright suggest` on small fixtures: output shape, ranking, reference roles and errors.

use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{self, framewright};

fn fixture(name: &str) -> PathBuf {
    common::fixtures("suggest").join(name)
}

fn lines(output: &[u8]) -> Vec<Value> {
    String::from_utf8(output.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn ids(line: &Value) -> Vec<String> {
    line["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn writes_one_ranked_line_per_role_with_scores_and_reasons() {
    let out = framewright()
        .args(["suggest", "--catalog"])
        .arg(fixture("catalogue.csv"))
        .arg("--queries")
        .arg(fixture("queries.jsonl"))
        .args(["--top", "3"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "q1");
    assert_eq!(lines[1]["id"], "q2");
    assert_eq!(lines[2]["id"], "q3");
    let q1 = ids(&lines[0]);
    assert_eq!(q1.len(), 3);
    assert_eq!(q1[0], "s1");
    assert!(q1.contains(&"s2".to_owned()));
    let q2 = ids(&lines[1]);
    assert!(q2[..2].contains(&"s4".to_owned()) && q2[..2].contains(&"s5".to_owned()));
    // "ML" is a synonym of "machine learning".
    assert_eq!(ids(&lines[2])[0], "s6");
    for line in &lines {
        let results = line["results"].as_array().unwrap();
        let scores: Vec<f64> = results
            .iter()
            .map(|r| r["score"].as_f64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "best first: {scores:?}"
        );
        for r in results {
            assert!(!r["why"].as_str().unwrap().is_empty());
        }
    }
    let why = lines[0]["results"][0]["why"].as_str().unwrap();
    assert!(why.contains("software") && why.contains("name"), "{why}");
}

#[test]
fn output_is_identical_across_runs_and_written_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let outputs = common::written_twice(&dir, ["a.jsonl", "b.jsonl"], || {
        let mut command = framewright();
        command
            .args(["suggest", "--catalog"])
            .arg(fixture("catalogue.csv"))
            .arg("--queries")
            .arg(fixture("queries.jsonl"))
            .arg("--reference-roles")
            .arg(fixture("roles.jsonl"));
        command
    });
    assert_eq!(outputs[0], outputs[1]);
    assert!(!outputs[0].is_empty());
}

#[test]
fn reference_roles_add_their_competencies_with_a_reason_and_unknown_ids_warn() {
    let assert = framewright()
        .args(["suggest", "--catalog"])
        .arg(fixture("catalogue.csv"))
        .arg("--queries")
        .arg(fixture("queries.jsonl"))
        .arg("--reference-roles")
        .arg(fixture("roles.jsonl"))
        .args(["--top", "7"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("unknown-id").and(predicate::str::contains("roles.jsonl")),
        );
    let lines = lines(&assert.get_output().stdout);
    let q1 = &lines[0]["results"];
    // "define technical requirements" shares no word with the tester's text; only the similar
    // reference role "software developer" brings it in.
    let s7 = q1
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "s7")
        .expect("s7 suggested");
    assert!(
        s7["why"].as_str().unwrap().contains("software developer"),
        "{s7}"
    );
}

fn expect_bad_input(queries: &str, roles: Option<&str>, message: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let q = dir.path().join("queries.jsonl");
    std::fs::write(&q, queries).unwrap();
    let mut cmd = framewright();
    cmd.args(["suggest", "--catalog"])
        .arg(fixture("catalogue.csv"))
        .arg("--queries")
        .arg(&q);
    if let Some(roles) = roles {
        let r = dir.path().join("roles.jsonl");
        std::fs::write(&r, roles).unwrap();
        cmd.arg("--reference-roles").arg(&r);
    }
    let mut check = predicate::str::contains(message[0]).boxed();
    for m in &message[1..] {
        check = check.and(predicate::str::contains(*m)).boxed();
    }
    cmd.assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(check);
}

#[test]
fn malformed_query_lines_name_file_line_and_field() {
    let ok = "{\"id\": \"a\", \"title\": \"t\"}\n";
    expect_bad_input(
        &format!("{ok}{{\"id\": \"b\", \"title\": 3}}\n"),
        None,
        &["queries.jsonl, line 2, field `title`", "must be a string"],
    );
    expect_bad_input(
        &format!("{ok}\n{{\"id\": \"b\"}}\n"),
        None,
        &["line 3, field `title`", "missing"],
    );
    expect_bad_input(
        &format!("{ok}{{\"id\": \"b\", \"title\": \"t\", \"task\": []}}\n"),
        None,
        &["line 2, field `task`", "unknown field"],
    );
    expect_bad_input(
        &format!("{ok}{{\"id\": \"b\", \"title\": \"t\", \"tasks\": [\"x\", 1]}}\n"),
        None,
        &["line 2, field `tasks[1]`"],
    );
    expect_bad_input(
        &format!("{ok}{{\"id\": \"b\", \"title\": \"t\"\n"),
        None,
        &["line 2", "not valid JSON"],
    );
    expect_bad_input(&format!("{ok}[1, 2]\n"), None, &["line 2", "JSON object"]);
    expect_bad_input(
        &format!("{ok}{ok}"),
        None,
        &["line 2, field `id`", "already used on line 1"],
    );
    expect_bad_input(
        "{\"id\": \"\", \"title\": \"t\"}\n",
        None,
        &["line 1, field `id`", "empty"],
    );
}

#[test]
fn malformed_reference_role_lines_name_file_line_and_field() {
    let q = "{\"id\": \"a\", \"title\": \"t\"}\n";
    expect_bad_input(
        q,
        Some("{\"id\": \"r\", \"title\": \"t\"}\n"),
        &["roles.jsonl, line 1, field `competencies`", "missing"],
    );
    expect_bad_input(
        q,
        Some("{\"id\": \"r\", \"title\": \"t\", \"competencies\": [\"s1\", 5]}\n"),
        &["line 1, field `competencies[1]`"],
    );
    expect_bad_input(
        q,
        Some(
            "{\"id\": \"r\", \"title\": \"t\", \"competencies\": [{\"id\": \"s1\", \"weight\": -1}]}\n",
        ),
        &["field `competencies[0].weight`", "above 0"],
    );
}

#[test]
fn missing_files_and_bad_options_are_bad_input() {
    framewright()
        .args(["suggest", "--queries", "/nonexistent/q.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "could not read /nonexistent/q.jsonl",
        ));
    framewright()
        .args(["suggest", "--catalog"])
        .arg(fixture("catalogue.csv"))
        .arg("--queries")
        .arg(fixture("queries.jsonl"))
        .args(["--top", "0"])
        .assert()
        .code(2);
}

#[test]
fn the_built_in_opm_catalogue_is_the_default() {
    let out = framewright()
        .args(["suggest", "--queries"])
        .arg(fixture("queries.jsonl"))
        .args(["--top", "5"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = lines(&out);
    assert_eq!(lines.len(), 3);
    assert!(
        !ids(&lines[2]).is_empty(),
        "an ML engineer matches some OPM competency"
    );
}
