//! `framewright validate` and the bad-input behaviour shared by every command that reads a
//! framework file: file, line and field in the message, exit status 2.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::common::{self, framewright, write};

fn fixture(name: &str) -> PathBuf {
    common::fixtures("").join(name)
}

/// Writes `text` to a file named `name` in a fresh directory.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_valid_file_is_accepted() {
    framewright()
        .args(["validate", fixture("minimal.toml").to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "valid framework \"Minimal framework\"",
        ));
}

#[test]
fn a_malformed_file_names_line_and_exits_2() {
    let base = std::fs::read_to_string(fixture("minimal.toml")).unwrap();
    let broken = base.replace(
        "title = \"Minimal framework\"",
        "title = \"Minimal framework",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "broken.toml", &broken);
    framewright()
        .args(["validate", &path])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "broken.toml:{}:",
            line_of(&broken, "title =")
        )));
}

#[test]
fn an_unknown_competency_names_line_and_field() {
    let base = std::fs::read_to_string(fixture("minimal.toml")).unwrap();
    let broken = base.replace(
        "competency = \"data-analysis\"",
        "competency = \"data-analytics\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "unknown.toml", &broken);
    let line = line_of(&broken, "data-analytics");
    framewright()
        .args(["validate", &path])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!("unknown.toml:{line}:"))
                .and(predicate::str::contains(
                    "role_profiles[0].targets[0].competency",
                ))
                .and(predicate::str::contains("`data-analytics`")),
        );
}

#[test]
fn a_duplicate_id_names_line_and_field() {
    let base = std::fs::read_to_string(fixture("minimal.toml")).unwrap();
    let duplicate = format!(
        "{base}\n[[competencies]]\nid = \"data-analysis\"\nname = \"Data Analysis again\"\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "dup.json.toml", &duplicate);
    let line = line_of(&duplicate, "Data Analysis again") - 1;
    framewright()
        .args(["validate", &path])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!("dup.json.toml:{line}:")).and(
                predicate::str::contains("[duplicate-id] in `competencies[1].id`"),
            ),
        );
}

#[test]
fn json_files_are_read_too() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"format": "framewright/1", "id": "j", "title": "J", "version": "0.1.0",
      "scale": {"id": "s", "name": "S", "levels": [{"level": 1, "name": "One", "description": "Does it."}]},
      "competencies": [{"id": "a", "name": "A", "levels": [{"level": 3, "indicators": []}]}]}"#;
    let path = write(&dir, "f.json", json);
    framewright()
        .args(["validate", &path])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("f.json:3:")
                .and(predicate::str::contains("[level-outside-scale]")),
        );
}

#[test]
fn a_missing_file_is_bad_input() {
    framewright()
        .args(["validate", "no-such-file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("could not read no-such-file.toml"));
}
