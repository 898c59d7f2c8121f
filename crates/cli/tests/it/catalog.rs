//! `framewright catalog`: list and show the built-in OPM catalogue in every format.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::framewright;

#[test]
fn list_shows_the_built_in_catalogue() {
    framewright()
        .args(["catalog", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("opm-ai-2024").and(predicate::str::contains("57")));
}

#[test]
fn show_json_has_the_documented_keys_for_every_competency() {
    let out = framewright()
        .args(["catalog", "show", "opm-ai-2024", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let competencies = v["competencies"].as_array().unwrap();
    assert_eq!(competencies.len(), 57);
    for c in competencies {
        for key in [
            "id",
            "name",
            "kind",
            "definition",
            "grades",
            "importance_rank",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
        assert!(c["kind"] == "general" || c["kind"] == "technical");
        assert!(
            c["importance_rank"].get("current").is_some()
                && c["importance_rank"].get("future").is_some()
        );
    }
    let by_id = |id: &str| competencies.iter().find(|c| c["id"] == id).unwrap();
    assert_eq!(by_id("accountability")["grades"]["GS-11"], "NR");
    assert_eq!(
        by_id("data-analysis")["grades"].as_object().unwrap().len(),
        3
    );
    assert!(by_id("data-analysis")["grades"].get("GS-11").is_none());
    assert_eq!(by_id("perceptual-speed")["definition"], Value::Null);
    assert_eq!(
        by_id("integrity-or-honesty")["importance_rank"]["current"],
        1
    );
    assert_eq!(
        by_id("data-visualization")["importance_rank"]["current"],
        Value::Null
    );
    assert_eq!(by_id("data-visualization")["importance_rank"]["future"], 24);
    assert!(v["notes"].as_array().unwrap().len() >= 5);
    assert!(
        by_id("reading")["notes"][0]
            .as_str()
            .unwrap()
            .contains("identical definitions")
    );
    assert_eq!(v["ai_work"]["criteria"].as_array().unwrap().len(), 4);
}

#[test]
fn show_filters_by_grade_and_kind() {
    let out = framewright()
        .args([
            "catalog",
            "show",
            "opm",
            "--format",
            "json",
            "--grade",
            "GS-15",
            "--kind",
            "technical",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["competencies"].as_array().unwrap().len(), 7);
    let out = framewright()
        .args([
            "catalog", "show", "opm", "--format", "json", "--grade", "GS-11",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The GS-11 column of the general table has 19 X cells.
    assert_eq!(v["competencies"].as_array().unwrap().len(), 19);
}

#[test]
fn show_text_csv_and_markdown_carry_the_source_notes() {
    framewright()
        .args(["catalog", "show", "opm-ai-2024"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Communication Results")
                .and(predicate::str::contains("no definition")),
        );
    let csv = framewright()
        .args(["catalog", "show", "opm-ai-2024", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert!(headers.iter().any(|h| h == "GS-15"));
    assert_eq!(reader.records().count(), 57);
    framewright()
        .args(["catalog", "show", "opm-ai-2024", "--format", "md"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("## Notes on the source")
                .and(predicate::str::contains("| Accountability |")),
        );
}

#[test]
fn unknown_catalogues_and_grades_are_bad_input() {
    framewright()
        .args(["catalog", "show", "nonesuch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no catalogue called `nonesuch`"));
    framewright()
        .args(["catalog", "show", "opm", "--grade", "GS-19"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("GS-19"));
}

#[test]
fn a_malformed_catalogue_csv_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.csv");
    std::fs::write(&path, "id,name\nx,One\nx,Two\n").unwrap();
    framewright()
        .args(["catalog", "show", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mine.csv, line 3, column `id`"));
}

#[test]
fn search_finds_competencies_by_words_and_synonyms() {
    let out = framewright()
        .args(["catalog", "search", "ML", "--format", "json", "--top", "3"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["id"], "artificial-intelligence-and-machine-learning");
    assert!(v[0]["why"].as_str().unwrap().contains("synonym of \"ML\""));
    framewright()
        .args(["catalog", "search", "visualisations of data"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Data Visualization"));
    framewright()
        .args(["catalog", "search", "zzyzx"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No competency"));
    framewright()
        .args(["catalog", "search", "  "])
        .assert()
        .code(2);
}
