//! `framewright lint` on purpose-made fixtures (made by scripts/fixtures/make_lint_fixtures.py):
//! each problem is flagged with its code, line and field; the clean framework passes.

use predicates::prelude::*;
use serde_json::Value;

use crate::common;

fn fixture(name: &str) -> String {
    common::fixture_str("lint", name)
}

/// Runs `lint --format json` on a fixture: (exit status, report).
fn lint_json(name: &str) -> (i32, Value) {
    let out = common::framewright()
        .args(["lint", "--format", "json", &fixture(name)])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn finding<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .unwrap()
}

/// The 1-based line of the first line of a fixture containing `needle`.
fn line_of(name: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

#[test]
fn the_clean_framework_has_no_findings() {
    let (status, report) = lint_json("clean.toml");
    assert_eq!(status, 0);
    assert_eq!(report["findings"], Value::Array(vec![]), "{report:#}");
    assert_eq!(report["valid"], true);
}

#[test]
fn warnings_exit_zero_unless_strict() {
    let (status, report) = lint_json("count.toml");
    assert_eq!(status, 0);
    assert_eq!(codes(&report), ["competency-count", "functional-count"]);
    common::framewright()
        .args(["lint", "--strict", &fixture("count.toml")])
        .assert()
        .code(1);
}

#[test]
fn overlapping_competencies_are_an_error() {
    let (status, report) = lint_json("overlap.toml");
    assert_eq!(status, 1);
    let f = finding(&report, "overlap");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["path"], "competencies[2].definition");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("Reading Comprehension")
    );
}

#[test]
fn vague_indicators_are_flagged_at_their_line() {
    let (status, report) = lint_json("vague.toml");
    assert_eq!(status, 0);
    let vague: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "vague-term")
        .collect();
    let terms: Vec<&str> = vague
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        terms.iter().any(|m| m.contains("\"various\""))
            && terms.iter().any(|m| m.contains("\"good\""))
            && terms.iter().any(|m| m.contains("\"etc.\"")),
        "{terms:?}"
    );
    assert_eq!(
        vague[0]["line"],
        line_of("vague.toml", "Uses various good tools")
    );
    assert!(vague.iter().all(|f| f["suggestion"].is_string()));
}

#[test]
fn indicators_without_an_observable_verb_are_flagged() {
    let (_, report) = lint_json("unobservable.toml");
    assert!(codes(&report).contains(&"indicator-unobservable".to_string()));
    let (_, report) = lint_json("no-verb.toml");
    assert_eq!(codes(&report), ["indicator-verb"]);
    assert_eq!(
        finding(&report, "indicator-verb")["path"],
        "competencies[2].levels[0].indicators[0]"
    );
}

#[test]
fn compound_repeated_and_non_progressing_levels_are_flagged() {
    let (_, report) = lint_json("compound.toml");
    assert_eq!(codes(&report), ["indicator-compound"]);
    let (status, report) = lint_json("repeated.toml");
    assert_eq!(status, 1);
    assert_eq!(codes(&report), ["indicator-repeated"]);
    let (_, report) = lint_json("no-progress.toml");
    assert_eq!(codes(&report), ["level-no-progress"]);
}

#[test]
fn a_missing_definition_is_warned() {
    let (status, report) = lint_json("no-definition.toml");
    assert_eq!(status, 0);
    assert_eq!(codes(&report), ["definition-missing"]);
    assert!(finding(&report, "definition-missing")["line"].is_u64());
}

#[test]
fn structural_problems_exit_2_with_line_and_field() {
    for (name, code, field) in [
        (
            "target-outside-scale.toml",
            "target-outside-scale",
            "role_profiles[0].targets[0].level",
        ),
        ("cycle.toml", "relation-cycle", "relations[0]"),
        ("dangling.toml", "dangling-relation", "relations[1].to"),
    ] {
        let (status, report) = lint_json(name);
        assert_eq!(status, 2, "{name}");
        assert_eq!(report["valid"], false);
        let f = finding(&report, code);
        assert_eq!(f["path"], field, "{name}");
        assert!(f["line"].is_u64(), "{name}");
    }
}

#[test]
fn a_malformed_file_exits_2_naming_the_line() {
    let (status, report) = lint_json("malformed.toml");
    assert_eq!(status, 2);
    assert_eq!(report["readable"], false);
    assert_eq!(report["problems"][0]["line"], 4);
    common::framewright()
        .args(["lint", &fixture("malformed.toml")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("malformed.toml:4:"));
}

#[test]
fn text_output_names_file_line_code_and_suggestion() {
    common::framewright()
        .args(["lint", &fixture("vague.toml")])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(format!(
                "vague.toml:{}:",
                line_of("vague.toml", "Uses various good tools")
            ))
            .and(predicate::str::contains("warning [vague-term]"))
            .and(predicate::str::contains("suggestion:")),
        );
}

#[test]
fn several_files_take_the_worst_status_and_rules_are_listed() {
    common::framewright()
        .args(["lint", &fixture("clean.toml"), &fixture("repeated.toml")])
        .assert()
        .code(1);
    common::framewright()
        .args(["lint", "--rules"])
        .assert()
        .success()
        .stdout(predicate::str::contains("vague-term").and(predicate::str::contains("overlap")));
}
