//! Snapshots (insta) of the CLI's main JSON outputs, so that any change to what scripts read is
//! seen in review: the framework generated for the README's tour role, `stats alpha`, and
//! `suggest`. All three are deterministic (no timestamps or random ids in them); numbers are
//! compared to ten significant digits, since the last bit of a floating-point sum may depend on
//! the order the work was split in.

use serde_json::Value;

use crate::common::{self, framewright};

/// `value` with every non-integer number rounded to ten significant digits.
fn rounded(value: Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or_default();
            let text = format!("{x:.9e}");
            let back: f64 = text.parse().unwrap_or(x);
            serde_json::Number::from_f64(back).map_or(Value::Null, Value::Number)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(rounded).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, rounded(v))).collect())
        }
        other => other,
    }
}

#[test]
fn rounding_keeps_ten_significant_digits() {
    let v = serde_json::json!({"a": [-0.09490333919156412, 1.5, 3], "b": "x"});
    let w = serde_json::json!({"a": [-0.09490333919156413, 1.5, 3], "b": "x"});
    assert_eq!(rounded(v.clone()), rounded(w));
    assert_eq!(rounded(v)["a"][0], serde_json::json!(-0.09490333919));
}

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
    insta::assert_json_snapshot!("generate_ml_engineer", rounded(framework));
}

#[test]
fn stats_alpha_json() {
    let file = common::fixture_str("stats", "alpha.csv");
    let out = stdout(&["stats", "alpha", &file, "--skip", "id", "--format", "json"]);
    let alpha: Value = serde_json::from_slice(&out).unwrap();
    insta::assert_json_snapshot!("stats_alpha", rounded(alpha));
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
    insta::assert_json_snapshot!("suggest_top3", rounded(Value::Array(lines)));
}
