//! `framewright models` and the semantic path of the other commands with the real
//! all-MiniLM-L6-v2 (installed by `.ci/run` into FRAMEWRIGHT_MODEL_DIR; in CI a missing model
//! fails these tests instead of skipping them).

use serde_json::Value;

use crate::common::{framewright, model_dir};

#[test]
fn without_a_model_the_list_says_matching_is_by_words_only() {
    let out = framewright().args(["models", "list"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    if cfg!(feature = "semantic") {
        assert!(text.contains("No model is installed"), "{text}");
        assert!(text.contains("by words only"), "{text}");
    } else {
        assert!(text.contains("has no semantic matching"), "{text}");
        assert!(text.contains("semantic` feature"), "{text}");
    }
}

#[cfg(feature = "semantic")]
fn with_model(dir: &std::path::Path) -> assert_cmd::Command {
    let mut command = framewright();
    command.env("FRAMEWRIGHT_MODEL_DIR", dir);
    command
}

#[cfg(feature = "semantic")]
fn search(dir: &std::path::Path, query: &str) -> Vec<Value> {
    let out = with_model(dir)
        .args([
            "catalog", "search", query, "--format", "json", "--top", "10",
        ])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[cfg(feature = "semantic")]
#[test]
fn the_installed_model_is_listed_and_verifies() {
    let Some(dir) = model_dir() else { return };
    let out = with_model(&dir)
        .args(["models", "list", "--format", "json"])
        .assert()
        .success();
    let list: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let model = &list["models"][0];
    assert_eq!(model["name"], "all-minilm-l6-v2");
    assert_eq!(model["in_use"], true);
    assert_eq!(model["licence"], "Apache-2.0");
    let out = with_model(&dir)
        .args(["models", "verify"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("3 files unchanged"), "{text}");
}

#[cfg(feature = "semantic")]
#[test]
fn catalogue_search_finds_by_meaning() {
    let Some(dir) = model_dir() else { return };
    let names = |hits: &[Value]| -> Vec<String> {
        hits.iter()
            .map(|h| h["name"].as_str().unwrap().to_string())
            .collect()
    };
    let ethics = search(&dir, "ethics");
    assert!(
        names(&ethics).contains(&"Values-Driven Design".to_string()),
        "{ethics:#?}"
    );
    let responsible = search(&dir, "responsible AI");
    assert!(
        names(&responsible[..3]).contains(&"Values-Driven Design".to_string()),
        "{responsible:#?}"
    );
    // Matched by meaning alone: no word of the search is in the competency, and without the
    // model nothing is found.
    let coding = search(&dir, "coding");
    assert_eq!(coding[0]["name"], "Software Engineering", "{coding:#?}");
    assert_eq!(coding[0]["why"], "close in meaning to the search");
    let out = with_model(&dir)
        .args(["catalog", "search", "coding", "--no-semantic"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("No competency"), "{text}");
    for hit in ethics.iter().chain(&responsible) {
        assert!(hit["meaning"].is_number(), "{hit}");
    }
}

#[cfg(feature = "semantic")]
#[test]
fn generate_names_the_model_in_the_provenance_unless_turned_off() {
    let Some(dir) = model_dir() else { return };
    let run = |extra: &[&str]| -> Value {
        let out = with_model(&dir)
            .args([
                "generate",
                "--title",
                "Machine Learning Engineer",
                "--grade",
                "GS-13",
            ])
            .args([
                "--task",
                "Design, train and evaluate models",
                "--format",
                "json",
            ])
            .args(extra)
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let semantic = run(&[]);
    assert_eq!(
        semantic["provenance"]["matching"],
        "words and meaning (all-MiniLM-L6-v2)"
    );
    let words = run(&["--no-semantic"]);
    assert_eq!(words["provenance"]["matching"], "words only");
}
