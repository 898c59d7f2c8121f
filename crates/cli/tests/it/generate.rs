//! `framewright generate`: every output format, round trips through the framework file reader
//! and lint, determinism, role files, other catalogues, reference roles, and bad input.

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{Reader, Xlsx};
use framewright_model::file::{FileFormat, read_framework};
use framewright_model::lint::{self, LintLimits};
use framewright_model::{Framework, GradeMark};
use predicates::prelude::*;

use crate::common::{self, framewright};

fn fixture(name: &str) -> PathBuf {
    common::fixtures("generate").join(name)
}

/// `framewright generate` for the Machine Learning Engineer at GS-13 with the fixture's tasks.
fn ml_engineer_command() -> assert_cmd::Command {
    let mut command = framewright();
    command
        .args([
            "generate",
            "--title",
            "Machine Learning Engineer",
            "--grade",
            "GS-13",
        ])
        .arg("--tasks")
        .arg(fixture("ml-engineer-tasks.txt"));
    command
}

fn ml_engineer(format: &str) -> Vec<u8> {
    let out = ml_engineer_command()
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn lint_clean(framework: &Framework) {
    let vocabulary = framewright_catalog::builtin_vocabulary().unwrap();
    let findings = lint::lint(framework, &vocabulary, &LintLimits::default());
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == lint::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn json_and_toml_round_trip_through_the_reader_and_pass_lint() {
    for (format, file_format) in [("json", FileFormat::Json), ("toml", FileFormat::Toml)] {
        let text = String::from_utf8(ml_engineer(format)).unwrap();
        let framework = read_framework(&text, file_format).unwrap();
        lint_clean(&framework);
        assert!((6..=12).contains(&framework.competencies.len()));
        assert!((3..=5).contains(&framework.core_count()));
        assert!((3..=7).contains(&framework.functional_count()));
        let profile = &framework.role_profiles[0];
        assert_eq!(profile.grade.unwrap().to_string(), "GS-13");
        assert_eq!(profile.targets.len(), framework.competencies.len());
        for c in &framework.competencies {
            assert!(
                c.rationale
                    .as_deref()
                    .unwrap()
                    .contains("Source: OPM AI Competency Model")
            );
            assert_eq!(c.levels.len(), 5);
            assert!(
                c.levels
                    .iter()
                    .all(|l| (2..=4).contains(&l.indicators.len()))
            );
            // Two questions for each competency the interview covers, none for the others.
            assert!(
                c.interview.is_empty() || c.interview.len() == 2,
                "{}",
                c.name
            );
            assert!(
                c.interview
                    .iter()
                    .all(|q| [1, 3, 5].iter().all(|r| q.anchors.contains_key(r)))
            );
            // Reasons in words; the numbers in the evidence.
            let rationale = c.rationale.as_deref().unwrap();
            assert!(!rationale.contains("score"), "{rationale}");
            assert!(c.evidence.as_ref().unwrap().score.is_some());
        }
        let interviewed = framework
            .competencies
            .iter()
            .filter(|c| !c.interview.is_empty())
            .count();
        assert!((6..=8).contains(&interviewed), "{interviewed}");
        // The central competency of the role is there, and its grade cell is explained.
        let ai = framework
            .competency("artificial-intelligence-and-machine-learning")
            .expect("AI and ML chosen");
        assert_eq!(
            ai.grade_mark("GS-13".parse().unwrap()),
            Some(GradeMark::NotRated)
        );
        assert!(
            ai.rationale
                .as_deref()
                .unwrap()
                .contains("does not rate it at GS-13; it is here because")
        );
        let provenance = framework.provenance.as_ref().unwrap();
        assert!(provenance.generator.starts_with("framewright "));
        assert_eq!(provenance.role.as_ref().unwrap().tasks.len(), 8);
        assert_eq!(provenance.generated_at, None);
        // The lint command agrees.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("ml.{format}"));
        std::fs::write(&path, &text).unwrap();
        framewright()
            .arg("lint")
            .arg(&path)
            .assert()
            .success()
            .stdout(predicate::str::contains("0 error(s)"));
    }
}

#[test]
fn the_same_input_gives_byte_identical_output_in_every_format() {
    for format in ["md", "json", "toml", "html", "csv"] {
        assert_eq!(ml_engineer(format), ml_engineer(format), "{format}");
    }
    let dir = tempfile::tempdir().unwrap();
    let outputs = common::written_twice(&dir, ["a.xlsx", "b.xlsx"], ml_engineer_command);
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn timestamps_and_review_dates_appear_only_when_asked() {
    let out = framewright()
        .args([
            "generate",
            "--title",
            "Analyst",
            "--grade",
            "GS-12",
            "--timestamp",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let framework =
        read_framework(&String::from_utf8(out.stdout).unwrap(), FileFormat::Json).unwrap();
    assert!(framework.provenance.unwrap().generated_at.is_some());
    assert!(framework.review.next_review.is_some());
}

#[test]
fn markdown_is_a_document_with_every_part() {
    let md = String::from_utf8(ml_engineer("md")).unwrap();
    for part in [
        "# Machine Learning Engineer (GS-13) competency framework",
        "## At a glance",
        "## Role profile: Machine Learning Engineer (GS-13)",
        "## Proficiency scale",
        "#### Proficiency levels",
        "#### Interview guide",
        "**Why it is here.**",
        "## How this framework was made",
        "## Sources and attribution",
        "US Office of Personnel Management",
    ] {
        assert!(md.contains(part), "{part}");
    }
}

#[test]
fn html_is_one_self_contained_page() {
    let html = String::from_utf8(ml_engineer("html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));
    for outside in ["<script", "<link", "<img", "@import"] {
        assert!(!html.contains(outside), "{outside}");
    }
    assert!(html.contains("Artificial Intelligence and Machine Learning"));
}

#[test]
fn csv_has_a_row_per_competency_and_level() {
    let text = String::from_utf8(ml_engineer("csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..3],
        ["framework_id", "competency_id", "competency"]
    );
    assert!(header.iter().any(|h| h.starts_with("required_level:")));
    let rows = reader.records().count();
    let json = read_framework(
        &String::from_utf8(ml_engineer("json")).unwrap(),
        FileFormat::Json,
    )
    .unwrap();
    assert_eq!(rows, json.competencies.len() * 5);
}

#[test]
fn xlsx_has_the_four_sheets_with_headers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ml.xlsx");
    ml_engineer_command()
        .arg("-o")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("written to"));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(&path).unwrap())).unwrap();
    let names = book.sheet_names();
    for sheet in ["Competencies", "Levels", "Role profile", "Interview guide"] {
        assert!(names.contains(&sheet.to_string()), "{sheet}");
    }
    let first_row = |book: &mut Xlsx<_>, sheet: &str| -> Vec<String> {
        let range = book.worksheet_range(sheet).unwrap();
        range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    assert!(first_row(&mut book, "Competencies").contains(&"Why it is here".to_string()));
    assert!(first_row(&mut book, "Levels").contains(&"Behavioural indicators".to_string()));
    assert!(first_row(&mut book, "Role profile").contains(&"Required level".to_string()));
    assert!(first_row(&mut book, "Interview guide").contains(&"Rating 5 anchor".to_string()));
    let levels = book.worksheet_range("Levels").unwrap();
    assert!(levels.height() > 30);
}

#[test]
fn a_role_file_with_overrides_includes_and_excludes() {
    let out = framewright()
        .arg("generate")
        .arg("--role")
        .arg(fixture("role.toml"))
        .args(["--format", "json", "--include", "Teamwork"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = read_framework(&String::from_utf8(out.stdout).unwrap(), FileFormat::Json).unwrap();
    lint_clean(&f);
    assert_eq!(f.competencies.len(), 8);
    assert!(f.competency("written-communication").is_some());
    assert!(f.competency("teamwork").is_some());
    assert!(f.competency("reading").is_none());
    let profile = &f.role_profiles[0];
    assert_eq!(profile.title, "Data Scientist");
    assert_eq!(profile.job_family.as_deref(), Some("Data Science"));
    assert!(
        f.description
            .as_deref()
            .unwrap()
            .contains("A federal statistical agency")
    );
    assert!(
        f.provenance
            .unwrap()
            .method
            .unwrap()
            .contains("Excluded at your request")
    );
}

#[test]
fn a_json_role_file_is_read_and_its_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let role = dir.path().join("role.json");
    std::fs::write(
        &role,
        r#"{"title": "Policy Analyst", "grade": "GS-14", "tasks": ["Advise leadership on AI policy"]}"#,
    )
    .unwrap();
    let out = framewright()
        .args(["generate", "--format", "json", "--role"])
        .arg(&role)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = read_framework(&String::from_utf8(out.stdout).unwrap(), FileFormat::Json).unwrap();
    assert_eq!(f.role_profiles[0].grade.unwrap().to_string(), "GS-14");
    std::fs::write(&role, "{\n  \"title\": \"X\",\n  \"tasks\": \"one\"\n}").unwrap();
    framewright()
        .args(["generate", "--role"])
        .arg(&role)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("role.json, line 3, field `tasks`"));
}

#[test]
fn another_catalogue_with_reference_roles_gives_cited_drafts() {
    let out = framewright()
        .args([
            "generate",
            "--title",
            "Machine Learning Engineer",
            "--level",
            "4",
        ])
        .args(["--task", "Deploy machine learning models to the cloud"])
        .arg("--catalog")
        .arg("opm")
        .arg("--catalog")
        .arg(fixture("skills.csv"))
        .arg("--reference-roles")
        .arg(fixture("reference-roles.jsonl"))
        .args(["--count", "12", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = read_framework(&String::from_utf8(out.stdout).unwrap(), FileFormat::Json).unwrap();
    lint_clean(&f);
    assert_eq!(f.competencies.len(), 12);
    let from_csv: Vec<_> = f
        .competencies
        .iter()
        .filter(|c| c.source.as_ref().unwrap().catalogue == "skills")
        .collect();
    assert!(!from_csv.is_empty());
    for c in &from_csv {
        assert!(c.levels.iter().all(|l| l.draft), "{}", c.name);
    }
    let mlops = f
        .competency("machine-learning-operations")
        .expect("MLOps chosen");
    assert!(
        mlops
            .rationale
            .as_deref()
            .unwrap()
            .contains("Roles like this one need it"),
        "{:?}",
        mlops.rationale
    );
    assert_eq!(f.role_profiles[0].level, Some(4));
    assert!(f.sources.iter().any(|s| s.catalogue == "skills"));
}

#[test]
fn bad_input_names_the_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--title".into(), "  ".into()],
            "the role needs a title",
        ),
        (
            vec![
                "--title".into(),
                "X".into(),
                "--grade".into(),
                "GS-16".into(),
            ],
            "GS-16",
        ),
        (
            vec![
                "--title".into(),
                "X".into(),
                "--tasks".into(),
                "no-such-file.txt".into(),
            ],
            "could not read the tasks file no-such-file.txt",
        ),
        (
            vec![
                "--title".into(),
                "X".into(),
                "--catalog".into(),
                "esco".into(),
            ],
            "there is no catalogue called `esco`",
        ),
        (
            vec!["--title".into(), "X".into(), "--count".into(), "20".into()],
            "--count",
        ),
        (
            vec![
                "--title".into(),
                "X".into(),
                "--include".into(),
                "Teamwrok".into(),
            ],
            "did you mean \"Teamwork\"",
        ),
    ];
    for (args, message) in cases {
        framewright()
            .arg("generate")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    let bad_csv = dir.path().join("bad.csv");
    std::fs::write(
        &bad_csv,
        "id,name,definition\na,Alpha,ok\n,Beta,missing id\n",
    )
    .unwrap();
    framewright()
        .args(["generate", "--title", "X", "--catalog"])
        .arg(&bad_csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.csv, line 3, column `id`"));
    let bad_role = dir.path().join("role.toml");
    std::fs::write(&bad_role, "title = \"X\"\ngrade = \"GS-99\"\n").unwrap();
    framewright()
        .args(["generate", "--role"])
        .arg(&bad_role)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("role.toml, line 2").and(predicate::str::contains("GS-99")),
        );
    let bad_refs = dir.path().join("refs.jsonl");
    std::fs::write(&bad_refs, "{\"id\": \"a\", \"title\": \"A\", \"competencies\": [\"x\"]}\n{\"id\": \"b\", \"competencies\": []}\n").unwrap();
    framewright()
        .args(["generate", "--title", "X", "--reference-roles"])
        .arg(&bad_refs)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "refs.jsonl, line 2, field `title`",
        ));
    let empty_tasks = dir.path().join("tasks.txt");
    std::fs::write(&empty_tasks, "\n# only a comment\n").unwrap();
    framewright()
        .args(["generate", "--title", "X", "--tasks"])
        .arg(&empty_tasks)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no task statements"));
    let bad_mapping = dir.path().join("targets.toml");
    std::fs::write(&bad_mapping, "default_level = 9\n").unwrap();
    framewright()
        .args(["generate", "--title", "X", "--mapping"])
        .arg(&bad_mapping)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("targets.toml"));
}

#[test]
fn a_failed_write_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("missing-folder").join("out.md");
    framewright()
        .args(["generate", "--title", "Analyst", "-o"])
        .arg(&target)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("could not write"));
    assert!(!target.exists());
}

#[test]
fn an_unreachable_language_model_falls_back_to_the_offline_result() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let offline = framewright()
        .args([
            "generate", "--title", "Analyst", "--grade", "GS-12", "--format", "json",
        ])
        .env_remove("FRAMEWRIGHT_LLM_URL")
        .env_remove("FRAMEWRIGHT_LLM_MODEL")
        .output()
        .unwrap();
    let out = framewright()
        .args([
            "generate", "--title", "Analyst", "--grade", "GS-12", "--format", "json",
        ])
        .args([
            "--llm-url",
            &format!("http://127.0.0.1:{port}"),
            "--llm-model",
            "none",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, offline.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("keeping the offline wording"), "{stderr}");
}

#[test]
fn help_explains_the_options_for_people() {
    framewright()
        .args(["generate", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("--tasks")
                .and(predicate::str::contains("one per line"))
                .and(predicate::str::contains("--grade"))
                .and(predicate::str::contains("--llm-url"))
                .and(predicate::str::contains("Examples")),
        );
}

#[test]
fn machine_learning_engineers_get_the_ai_and_ml_competency() {
    let framework: Framework = serde_json::from_slice(&ml_engineer("json")).unwrap();
    let ids: Vec<&str> = framework
        .competencies
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert!(
        ids.contains(&"artificial-intelligence-and-machine-learning"),
        "{ids:?}"
    );
}

#[test]
fn every_distinct_task_is_backed_by_a_competency() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = dir.path().join("tasks.txt");
    std::fs::write(
        &tasks,
        "Build data pipelines that extract and transform agency data\n\
         Analyze data quality and report data issues\n\
         Test and validate AI systems before release\n",
    )
    .unwrap();
    let out = framewright()
        .args([
            "generate",
            "--title",
            "Data Engineer",
            "--grade",
            "GS-13",
            "--format",
            "json",
        ])
        .arg("--tasks")
        .arg(&tasks)
        .output()
        .unwrap();
    let framework: Framework = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = framework
        .competencies
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    for expected in [
        "data-extraction-and-transformation",
        "data-analysis",
        "testing-and-validation",
    ] {
        assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
    }
}

/// The ratings fixture of the interop crate (made-up values in O*NET's published layout).
fn onet_ratings_fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../interop/tests/fixtures/onet/ratings")
}

#[test]
fn installed_onet_ratings_are_cited_and_an_occupation_can_be_left_out() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap().to_string();
    let role = [
        "generate",
        "--title",
        "Computer and Information Research Scientist",
        "--task",
        "Conduct research into computer science and machine learning",
        "--format",
        "json",
        "--data-dir",
        &data_dir,
    ];
    let method = |out: &std::process::Output| -> (String, Vec<String>, serde_json::Value) {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let framework: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let method = framework["provenance"]["method"]
            .as_str()
            .unwrap()
            .to_string();
        let cited = framework["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["rationale"].as_str())
            .filter(|r| r.contains("O*NET rates"))
            .map(str::to_string)
            .collect();
        (method, cited, framework)
    };
    let (before, cited, _) = method(&framewright().args(role).output().unwrap());
    assert!(
        before.contains(
            "Closest O*NET occupation: Computer and Information Research Scientists (15-1221.00)"
        ),
        "{before}"
    );
    assert!(before.contains("not installed"));
    assert!(cited.is_empty());

    framewright()
        .args([
            "onet",
            "install",
            "--quiet",
            "--release",
            "fixture",
            "--data-dir",
            &data_dir,
        ])
        .arg(onet_ratings_fixture())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Installed 19 O*NET importance ratings of 2 occupations",
        ));
    let (after, cited, framework) = method(&framewright().args(role).output().unwrap());
    // The numbers behind the sentence are in the JSON evidence.
    let rated: Vec<&serde_json::Value> = framework["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["evidence"].get("onet"))
        .collect();
    assert_eq!(rated.len(), cited.len(), "{rated:#?}");
    assert!(
        rated.iter().any(|o| o["occupation"] == "15-1221.00"
            && (1.0..=5.0).contains(&o["importance"].as_f64().unwrap())
            && o["added"].as_f64().unwrap() > 0.0),
        "{rated:#?}"
    );
    assert!(
        after.contains("Their O*NET importance ratings (release fixture) add evidence"),
        "{after}"
    );
    assert!(
        cited.iter().any(|r| r
            .contains("for Computer and Information Research Scientists, the closest occupation.")),
        "{cited:#?}"
    );

    let (left_out, _, _) = method(
        &framewright()
            .args(role)
            .args(["--exclude-reference", "onet:15-1221.00"])
            .output()
            .unwrap(),
    );
    assert!(!left_out.contains("(15-1221.00)"), "{left_out}");

    framewright()
        .args(role)
        .args(["--exclude-reference", "onet:15-1221.0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `onet:15-1221.00`?"));
}
