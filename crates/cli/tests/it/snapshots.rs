//! Snapshots (insta) of the CLI's main JSON outputs, so that any change to what scripts read is
//! seen in review: the framework generated for the README's tour role, `stats alpha`, and
//! `suggest`. All three are deterministic (no timestamps or random ids in them).

use serde_json::Value;

use crate::common::{self, framewright};

/// Runs `framewright` with `args` and answers its standard output.
fn stdout(args: &[&str]) -> Vec<u8> {
    let out = framewright().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn generate_json_for_the_tour_role() {
    let tasks = common::fixture_str("generate", "ml-engineer-tasks.txt");
    let out = stdout(&[
        "generate",
        "--title",
        "Machine Learning Engineer",
        "--grade",
        "GS-13",
        "--tasks",
        &tasks,
        "--format",
        "json",
    ]);
    let framework: Value = serde_json::from_slice(&out).unwrap();
    insta::assert_json_snapshot!("generate_ml_engineer", framework);
}

#[test]
fn stats_alpha_json() {
    let file = common::fixture_str("stats", "alpha.csv");
    let out = stdout(&["stats", "alpha", &file, "--skip", "id", "--format", "json"]);
    let alpha: Value = serde_json::from_slice(&out).unwrap();
    insta::assert_json_snapshot!("stats_alpha", alpha);
}

#[test]
fn suggest_json_lines() {
    let catalogue = common::fixture_str("suggest", "catalogue.csv");
    let queries = common::fixture_str("suggest", "queries.jsonl");
    let out = stdout(&[
        "suggest",
        "--catalog",
        &catalogue,
        "--queries",
        &queries,
        "--top",
        "3",
    ]);
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    insta::assert_json_snapshot!("suggest_top3", lines);
}
