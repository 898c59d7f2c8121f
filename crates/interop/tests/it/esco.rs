//! ESCO CSV release and the generic catalogue CSV: real rows in the official layout, malformed
//! files answered with file, line and column, and nothing saved when an import fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use std::path::{Path, PathBuf};

use framewright_interop::catalogue::esco::{self, EscoOptions};
use framewright_interop::catalogue::spreadsheet::CatalogueOptions;
use framewright_interop::catalogue::{ImportError, NoProgress, Progress, generic};
use framewright_interop::library::Library;
use framewright_model::CompetencyKind;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/esco")
        .join(path)
}

const ANALYST: &str = "http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2";
const SCIENTIST: &str =
    "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30";
const CLEANSING: &str = "http://data.europa.eu/esco/skill/50b100ea-74fd-4706-99db-3e4ca55e51b8";
const BI: &str = "http://data.europa.eu/esco/skill/143769cb-b61e-47d8-a61e-eedfbec1016c";

#[derive(Default)]
struct Recorder {
    stages: Vec<(String, Option<u64>)>,
    last: u64,
    finished: bool,
}

impl Progress for Recorder {
    fn stage(&mut self, name: &str, total: Option<u64>) {
        self.stages.push((name.to_string(), total));
    }
    fn advance(&mut self, done: u64) {
        self.last = done;
    }
    fn finish(&mut self) {
        self.finished = true;
    }
}

#[test]
fn a_release_folder_becomes_a_catalogue_with_reference_roles() {
    let mut progress = Recorder::default();
    let imported =
        esco::import(&fixture("release"), &EscoOptions::default(), &mut progress).unwrap();
    let c = &imported.catalogue;
    assert_eq!(c.id, "esco");
    assert!(
        c.attribution
            .as_deref()
            .unwrap()
            .contains("European Commission")
    );
    assert!(c.licence.contains("2011/833/EU"));
    assert_eq!(c.competencies.len(), 7);
    let cleansing = c.competencies.iter().find(|s| s.id == CLEANSING).unwrap();
    assert_eq!(cleansing.name, "perform data cleansing");
    assert_eq!(cleansing.kind, CompetencyKind::Skill);
    assert_eq!(cleansing.uri.as_deref(), Some(CLEANSING));
    assert!(
        cleansing
            .alt_labels
            .contains(&"undertake data cleansing".to_string()),
        "{:?}",
        cleansing.alt_labels
    );
    assert!(
        cleansing
            .definition
            .as_deref()
            .unwrap()
            .starts_with("Detect and correct corrupt records")
    );
    let bi = c.competencies.iter().find(|s| s.id == BI).unwrap();
    assert_eq!(bi.kind, CompetencyKind::Knowledge);
    let synthesise = c
        .competencies
        .iter()
        .find(|s| s.name == "synthesise information")
        .unwrap();
    assert_eq!(
        synthesise.kind,
        CompetencyKind::General,
        "transversal skills are core"
    );
    let mining = c
        .competencies
        .iter()
        .find(|s| s.name == "perform data mining")
        .unwrap();
    assert_eq!(
        mining.broader,
        ["http://data.europa.eu/esco/skill/1b70a55d-b8a4-49fc-96c6-15ab4cff2522"]
    );

    assert_eq!(c.reference_roles.len(), 2);
    let analyst = c.reference_roles.iter().find(|r| r.id == ANALYST).unwrap();
    assert_eq!(analyst.title, "data analyst");
    assert!(
        analyst
            .description
            .as_deref()
            .unwrap()
            .starts_with("Data analysts import")
    );
    assert_eq!(analyst.competencies.len(), 6);
    assert!(
        analyst
            .competencies
            .iter()
            .all(|s| s.essential && s.weight == 1.0)
    );
    let scientist = c
        .reference_roles
        .iter()
        .find(|r| r.id == SCIENTIST)
        .unwrap();
    let optional = scientist.competencies.iter().find(|s| s.id == BI).unwrap();
    assert!(!optional.essential);
    assert_eq!(optional.weight, 0.5);
    // Every role competency is a competency of the catalogue.
    for role in &c.reference_roles {
        for s in &role.competencies {
            assert!(c.competencies.iter().any(|x| x.id == s.id));
        }
    }
    let names: Vec<&str> = progress.stages.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "skills",
            "broader relations",
            "occupations",
            "occupation skills"
        ]
    );
    assert!(progress.stages.iter().all(|(_, total)| total.is_some()));
    assert!(progress.finished);
    assert!(
        imported.warnings.iter().any(|w| w.contains("skill groups")),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn re_importing_gives_the_same_library_file() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::in_data_dir(dir.path());
    let first = esco::import(
        &fixture("release"),
        &EscoOptions::default(),
        &mut NoProgress,
    )
    .unwrap();
    let path = library.save("esco", &first.catalogue).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let second = esco::import(
        &fixture("release"),
        &EscoOptions::default(),
        &mut NoProgress,
    )
    .unwrap();
    library.save("esco", &second.catalogue).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(library.load("esco").unwrap(), first.catalogue);
}

fn located(error: &ImportError) -> (String, Option<u64>, Option<String>) {
    let at = error
        .location()
        .unwrap_or_else(|| panic!("not located: {error}"));
    (
        Path::new(&at.file)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned(),
        at.line,
        at.column.clone(),
    )
}

#[test]
fn malformed_files_are_answered_with_file_line_and_column_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::in_data_dir(dir.path());
    let cases: [(&str, Option<u64>, Option<&str>, &str); 4] = [
        (
            "missing-column.csv",
            Some(1),
            Some("preferredLabel"),
            "no `preferredLabel` column",
        ),
        ("broken-quote.csv", Some(15), None, "never closed"),
        ("latin1.csv", Some(9), Some("description"), "UTF-8"),
        (
            "duplicate-id.csv",
            Some(33),
            Some("conceptUri"),
            "first on line 6",
        ),
    ];
    for (file, line, column, words) in cases {
        let result = esco::import(
            &fixture(&format!("malformed/{file}")),
            &EscoOptions::default(),
            &mut NoProgress,
        );
        let error = match result {
            Ok(imported) => {
                // What a caller would do on success; it must not happen here.
                library.save("esco", &imported.catalogue).unwrap();
                panic!("{file} was accepted");
            }
            Err(e) => e,
        };
        let (name, l, c) = located(&error);
        assert_eq!(
            (name.as_str(), l, c.as_deref()),
            (file, line, column),
            "{error}"
        );
        assert!(error.to_string().contains(words), "{error}");
    }
    assert_eq!(library.names().unwrap(), Vec::<String>::new());
    assert!(!library.dir().exists());
}

#[test]
fn a_folder_without_a_skills_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let e = esco::import(dir.path(), &EscoOptions::default(), &mut NoProgress).unwrap_err();
    assert!(e.to_string().contains("no ESCO skills file"), "{e}");
}

#[test]
fn the_generic_catalogue_csv_streams_with_lines_right_for_windows_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.csv");
    std::fs::write(
        &path,
        "id,name,alt_labels,definition\r\na,Alpha,A1|A2,\"Multi\r\nline\"\r\nb,Beta,,\r\na,Again,,\r\n",
    )
    .unwrap();
    let e = generic::read(&path, &CatalogueOptions::for_file(&path), &mut NoProgress).unwrap_err();
    let (_, line, column) = located(&e);
    assert_eq!((line, column.as_deref()), (Some(5), Some("id")), "{e}");
    assert!(e.to_string().contains("first on line 2"), "{e}");
    std::fs::write(
        &path,
        "id,name,alt_labels,definition\r\na,Alpha,A1|A2,\"Multi\r\nline\"\r\nb,Beta,,\r\n",
    )
    .unwrap();
    let c = generic::read(&path, &CatalogueOptions::for_file(&path), &mut NoProgress).unwrap();
    assert_eq!(c.id, "team");
    assert_eq!(c.competencies[0].alt_labels, ["A1", "A2"]);
    assert_eq!(
        c.competencies[0].definition.as_deref(),
        Some("Multi\r\nline")
    );
    assert_eq!(c.competencies[1].name, "Beta");
}
