//! O*NET, NICE and SFIA importers on fixtures in their official layouts, and their malformed
//! variants answered with file, line and column.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use std::path::{Path, PathBuf};

use framewright_interop::catalogue::nice::{self, NiceOptions};
use framewright_interop::catalogue::onet::{self, OnetOptions};
use framewright_interop::catalogue::sfia::{self, SfiaOptions};
use framewright_interop::catalogue::{ImportError, NoProgress};
use framewright_model::CompetencyKind;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
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
fn onet_occupations_become_roles_with_importance_weighted_competencies() {
    let options = OnetOptions {
        version: Some("30.1".into()),
        ..OnetOptions::default()
    };
    let imported = onet::import(&fixture("onet/release"), &options, &mut NoProgress).unwrap();
    let c = &imported.catalogue;
    assert!(
        c.attribution
            .as_deref()
            .unwrap()
            .contains("O*NET 30.1 Database")
    );
    assert!(
        c.attribution
            .as_deref()
            .unwrap()
            .contains("has not approved, endorsed, or tested")
    );
    assert!(c.licence.contains("CC BY 4.0"));
    assert_eq!(c.competencies.len(), 6);
    let programming = c.competencies.iter().find(|x| x.id == "2.B.3.e").unwrap();
    assert_eq!(programming.name, "Programming");
    assert_eq!(programming.kind, CompetencyKind::Skill);
    assert_eq!(
        programming.definition.as_deref(),
        Some("Writing computer programs for various purposes.")
    );
    assert_eq!(
        c.competencies
            .iter()
            .find(|x| x.id == "2.C.4.a")
            .unwrap()
            .kind,
        CompetencyKind::Knowledge
    );
    assert_eq!(
        c.competencies
            .iter()
            .find(|x| x.id == "1.A.1.c.1")
            .unwrap()
            .kind,
        CompetencyKind::Ability
    );

    let scientist = c
        .reference_roles
        .iter()
        .find(|r| r.id == "15-2051.00")
        .unwrap();
    assert_eq!(scientist.title, "Data Scientists");
    assert!(
        scientist
            .description
            .as_deref()
            .unwrap()
            .starts_with("Develop and implement a set of techniques")
    );
    // Core tasks first, then supplemental, then detailed work activities (once each).
    assert_eq!(
        scientist.tasks,
        [
            "Analyze, manipulate, or process large sets of data using statistical software.",
            "Apply feature selection algorithms to models predicting outcomes of interest.",
            "Write and maintain documentation of data sources and the \"data dictionary\" of the team.",
            "Analyze data to identify trends or relationships among variables.",
        ]
    );
    // Mathematics knowledge IM 4.45 → weight (4.45-1)/4 = 0.8625 → 0.863 (3 decimals), essential.
    let maths = scientist
        .competencies
        .iter()
        .find(|x| x.id == "2.C.4.a")
        .unwrap();
    assert_eq!(maths.weight, 0.863);
    assert!(maths.essential);
    // Programming IM 3.88: included (≥ 3), not essential (< 4).
    let prog = scientist
        .competencies
        .iter()
        .find(|x| x.id == "2.B.3.e")
        .unwrap();
    assert_eq!(prog.weight, 0.72);
    assert!(!prog.essential);
    // Sorted by weight, highest first.
    let weights: Vec<f64> = scientist.competencies.iter().map(|x| x.weight).collect();
    let mut sorted = weights.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(weights, sorted);
    let developers = c
        .reference_roles
        .iter()
        .find(|r| r.id == "15-1252.00")
        .unwrap();
    // Mathematics knowledge is suppressed there; mathematical reasoning not relevant.
    assert!(!developers.competencies.iter().any(|x| x.id == "2.C.4.a"));
    assert!(!developers.competencies.iter().any(|x| x.id == "1.A.1.c.1"));
    let statisticians = c
        .reference_roles
        .iter()
        .find(|r| r.id == "15-2041.00")
        .unwrap();
    // Programming IM 2.75 is below the threshold.
    assert!(!statisticians.competencies.iter().any(|x| x.id == "2.B.3.e"));
    assert!(statisticians.tasks.is_empty());
}

fn onet_with(replace: &str, with: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("onet/release")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    std::fs::copy(
        fixture(&format!("onet/malformed/{with}")),
        dir.path().join(replace),
    )
    .unwrap();
    dir
}

#[test]
fn malformed_onet_files_are_located() {
    let cases: [(&str, &str, Option<u64>, Option<&str>, &str); 4] = [
        (
            "Skills.txt",
            "Skills-missing-column.txt",
            Some(1),
            Some("Data Value"),
            "no `Data Value` column",
        ),
        (
            "Skills.txt",
            "Skills-not-a-number.txt",
            Some(4),
            Some("Data Value"),
            "`four` is not a number",
        ),
        (
            "Occupation Data.txt",
            "Occupation-duplicate.txt",
            Some(5),
            Some("O*NET-SOC Code"),
            "first on line 3",
        ),
        (
            "Occupation Data.txt",
            "Occupation-latin1.txt",
            Some(3),
            Some("Title"),
            "UTF-8",
        ),
    ];
    for (replace, with, line, column, words) in cases {
        let dir = onet_with(replace, with);
        let error = onet::import(dir.path(), &OnetOptions::default(), &mut NoProgress).unwrap_err();
        let (file, l, c) = located(&error);
        assert_eq!(
            (file.as_str(), l, c.as_deref()),
            (replace, line, column),
            "{error}"
        );
        assert!(error.to_string().contains(words), "{error}");
    }
    let empty = tempfile::tempdir().unwrap();
    let error = onet::import(empty.path(), &OnetOptions::default(), &mut NoProgress).unwrap_err();
    assert!(error.to_string().contains("Occupation Data.txt"), "{error}");
}

#[test]
fn nice_work_roles_become_roles_and_statements_competencies() {
    let imported = nice::import(
        &fixture("nice/nf_components.json"),
        &NiceOptions::default(),
        &mut NoProgress,
    )
    .unwrap();
    let c = &imported.catalogue;
    assert_eq!(c.version.as_deref(), Some("2.2.0"));
    assert!(
        c.attribution
            .as_deref()
            .unwrap()
            .contains("NICE Framework Components v2.2.0")
    );
    assert!(c.licence.contains("US Government"));
    let ids: Vec<&str> = c.competencies.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "NF-COM-002",
            "NF-COM-008",
            "K0803",
            "K0814",
            "K0826",
            "S0650",
            "S0670"
        ]
    );
    let area = &c.competencies[1];
    assert_eq!(
        (area.name.as_str(), area.kind),
        ("DevSecOps", CompetencyKind::Technical)
    );
    assert!(
        area.definition
            .as_deref()
            .unwrap()
            .starts_with("This Competency Area")
    );
    let k0814 = c.competencies.iter().find(|x| x.id == "K0814").unwrap();
    assert_eq!(
        k0814.name,
        "Knowledge of secure coding tools and techniques"
    );
    assert_eq!(k0814.kind, CompetencyKind::Knowledge);
    assert_eq!(k0814.broader, ["NF-COM-008"]);
    let role = c
        .reference_roles
        .iter()
        .find(|r| r.id == "DD-WRL-003")
        .unwrap();
    assert_eq!(role.title, "Secure Software Development");
    assert_eq!(role.alt_titles, ["OPM code 621"]);
    assert_eq!(
        role.tasks,
        [
            "Develop secure code and error handling",
            "Translate functional requirements into technical solutions"
        ]
    );
    let competencies: Vec<&str> = role.competencies.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(competencies, ["K0814", "K0826", "S0650", "S0670"]);
    assert_eq!(c.reference_roles.len(), 2);
}

#[test]
fn malformed_nice_files_are_located() {
    let e = nice::import(
        &fixture("nice/malformed/syntax-error.json"),
        &NiceOptions::default(),
        &mut NoProgress,
    )
    .unwrap_err();
    let (file, line, _) = located(&e);
    assert_eq!(
        (file.as_str(), line),
        ("syntax-error.json", Some(133)),
        "{e}"
    );
    let e = nice::import(
        &fixture("nice/malformed/no-relationships.json"),
        &NiceOptions::default(),
        &mut NoProgress,
    )
    .unwrap_err();
    assert!(e.to_string().contains("relationships"), "{e}");
    let e = nice::import(
        &fixture("nice/malformed/duplicate-id.json"),
        &NiceOptions::default(),
        &mut NoProgress,
    )
    .unwrap_err();
    let (_, line, _) = located(&e);
    assert!(e.to_string().contains("`S0650` is listed twice"), "{e}");
    let text = std::fs::read_to_string(fixture("nice/malformed/duplicate-id.json")).unwrap();
    let expected = text
        .lines()
        .position(|l| l.contains("\"S0650\"") && l.contains("element_identifier"))
        .unwrap();
    // The second listing, not the first.
    assert!(line.unwrap() as usize > expected + 1, "{e}");
}

#[test]
fn sfia_needs_a_licence_statement_and_keeps_levels_as_notes() {
    let path = fixture("sfia/skills.csv");
    let mut options = SfiaOptions {
        id: "sfia".into(),
        licence: " ".into(),
        version: Some("9".into()),
        limits: framewright_model::Limits::default(),
    };
    let e = sfia::import(&path, &options, &mut NoProgress).unwrap_err();
    assert!(e.to_string().contains("--licence"), "{e}");
    options.licence = "SFIA Foundation corporate licence, Example Ltd".into();
    let imported = sfia::import(&path, &options, &mut NoProgress).unwrap();
    let c = &imported.catalogue;
    assert!(c.licence.contains("not free to redistribute"));
    assert!(c.licence.contains("Example Ltd"));
    assert!(
        c.attribution
            .as_deref()
            .unwrap()
            .contains("SFIA Foundation")
    );
    assert_eq!(c.competencies.len(), 2);
    let a = &c.competencies[0];
    assert_eq!(
        (a.id.as_str(), a.name.as_str()),
        ("EXMA", "Example skill A")
    );
    let note = c.notes_for(a).next().unwrap();
    assert!(
        note.text.contains("Level 2: Invented level 2 text."),
        "{}",
        note.text
    );
    assert!(
        note.text
            .contains("Category: Example category / Example subcategory."),
        "{}",
        note.text
    );
    assert!(!note.text.contains("Level 1:"));
    assert!(!imported.warnings.is_empty());
}

mod onet_ratings {
    //! `framewright onet install`: importance ratings from the O*NET text release (the fixture
    //! made by scripts/onet/make_ratings_fixture.py; its values are made up).
    use std::io::Write as _;

    use framewright_interop::catalogue::onet_ratings;

    use super::*;

    fn copy_of_fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(fixture("onet/ratings")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
        dir
    }

    #[test]
    fn importance_rows_are_kept_and_suppressed_ones_skipped() {
        let read = onet_ratings::read_release(
            &fixture("onet/ratings"),
            Some("29.2".into()),
            &mut NoProgress,
        )
        .unwrap();
        assert_eq!(read.files.len(), 4);
        assert!(read.warnings.is_empty());
        // 2 occupations × 10 elements, one importance row marked Recommend Suppress.
        assert_eq!((read.count(), read.suppressed), (19, 1));
        let scientists = &read.ratings.occupations["15-1221.00"];
        assert_eq!(scientists["2.A.2.a"], 4.10);
        assert_eq!(scientists["1.C.7.b"], 4.60);
        assert!(!read.ratings.occupations["15-2051.00"].contains_key("2.B.3.e"));
        // Stored and read back unchanged.
        let data = tempfile::tempdir().unwrap();
        onet_ratings::store(data.path(), &read.ratings).unwrap();
        let back = onet_ratings::installed(data.path()).unwrap().unwrap();
        assert_eq!(back, read.ratings);
    }

    #[test]
    fn the_published_zip_is_read_like_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let zip_path = dir.path().join("db_29_2_text.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        for entry in std::fs::read_dir(fixture("onet/ratings")).unwrap() {
            let entry = entry.unwrap();
            let name = format!("db_29_2_text/{}", entry.file_name().to_string_lossy());
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(&std::fs::read(entry.path()).unwrap())
                .unwrap();
        }
        zip.finish().unwrap();
        let from_zip = onet_ratings::read_release(&zip_path, None, &mut NoProgress).unwrap();
        let from_folder =
            onet_ratings::read_release(&fixture("onet/ratings"), None, &mut NoProgress).unwrap();
        assert_eq!(from_zip, from_folder);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let cases: [(&str, &str, &str, Option<u64>, &str, &str); 4] = [
            (
                "Skills.txt",
                "\t4.12\t",
                "\tfour\t",
                Some(2),
                "Data Value",
                "not a number",
            ),
            (
                "Knowledge.txt",
                "\t4.70\t",
                "\t6.70\t",
                Some(2),
                "Data Value",
                "runs from 1 to 5",
            ),
            (
                "Abilities.txt",
                "15-2051.00",
                "15-9999.00",
                Some(6),
                "O*NET-SOC Code",
                "not in `Occupation Data.txt`",
            ),
            (
                "Work Styles.txt",
                "\tN\t08/2024",
                "\tmaybe\t08/2024",
                Some(2),
                "Recommend Suppress",
                "neither Y nor N",
            ),
        ];
        for (file, from, to, line, column, message) in cases {
            let dir = copy_of_fixture();
            let path = dir.path().join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            let error = onet_ratings::read_release(dir.path(), None, &mut NoProgress).unwrap_err();
            let (name, at_line, at_column) = located(&error);
            assert_eq!(name, file, "{error}");
            assert_eq!(at_line, line, "{error}");
            assert_eq!(at_column.as_deref(), Some(column), "{error}");
            assert!(error.to_string().contains(message), "{error}");
        }
    }

    #[test]
    fn a_folder_without_rating_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let error = onet_ratings::read_release(dir.path(), None, &mut NoProgress).unwrap_err();
        assert!(error.to_string().contains("`Skills.txt`"), "{error}");
    }
}
