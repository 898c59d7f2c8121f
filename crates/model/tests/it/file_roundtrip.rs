//! Framework files round-trip losslessly through TOML and JSON, validate against the published
//! JSON Schema, and report problems with their line and field.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use framewright_model::file::{self, FileFormat};
use framewright_model::framework::{CompetencySource, Date};
use framewright_model::*;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9 ,.;:()'-]{0,40}",
        "\\PC{1,30}",
        Just("Quotes \" and 'apostrophes', a backslash \\ and\na new line".to_string()),
    ]
    .prop_map(|s| {
        if s.trim().is_empty() {
            format!("blank{}", s.len())
        } else {
            s
        }
    })
}

fn date() -> impl Strategy<Value = Date> {
    (2000i32..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| {
        Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
    })
}

fn scale() -> impl Strategy<Value = ProficiencyScale> {
    (2u8..=7, text()).prop_map(|(n, name)| ProficiencyScale {
        id: "scale".into(),
        name,
        source: None,
        levels: (1..=n)
            .map(|level| ProficiencyLevel {
                level,
                name: format!("L{level}"),
                description: format!("Level {level}"),
            })
            .collect(),
    })
}

fn competency(i: usize, max_level: u8) -> impl Strategy<Value = FrameworkCompetency> {
    (
        text(),
        prop::option::of(text()),
        prop::collection::vec(text(), 0..3),
        prop::option::of(text()),
        prop::sample::select(vec![
            CompetencyKind::General,
            CompetencyKind::Technical,
            CompetencyKind::Knowledge,
        ]),
        prop::collection::btree_map(11u8..=15, prop::bool::ANY, 0..5),
        prop::option::of((prop::option::of(1u32..40), prop::option::of(1u32..40))),
        prop::collection::vec(
            prop::collection::vec(text(), 0..4),
            0..=usize::from(max_level),
        ),
        prop::option::of((text(), prop::option::of(text()))),
        prop::bool::ANY,
    )
        .prop_map(
            move |(
                name,
                definition,
                alt_labels,
                rationale,
                kind,
                grades,
                rank,
                levels,
                question,
                sourced,
            )| {
                let mut c = FrameworkCompetency::new(format!("c-{i}"), name, kind);
                c.definition = definition;
                c.alt_labels = alt_labels;
                c.rationale = rationale;
                c.group = Some(if kind.is_core() { "core" } else { "functional" }.into());
                c.grades = grades
                    .into_iter()
                    .map(|(g, x)| {
                        (
                            Grade::new(g).unwrap(),
                            if x {
                                GradeMark::Confirmed
                            } else {
                                GradeMark::NotRated
                            },
                        )
                    })
                    .collect();
                c.importance_rank =
                    rank.map(|(current, future)| ImportanceRank { current, future });
                c.levels = levels
                    .into_iter()
                    .enumerate()
                    .map(|(j, indicators)| LevelContent {
                        level: j as u8 + 1,
                        description: Some(format!("Level {} of {i}", j + 1)),
                        indicators,
                        draft: j % 2 == 1,
                    })
                    .collect();
                if let Some((q, follow_up)) = question {
                    c.interview.push(InterviewQuestion {
                        question: q,
                        follow_up,
                        anchors: BTreeMap::from([
                            (1, "weak".into()),
                            (3, "fair".into()),
                            (5, "strong".into()),
                        ]),
                    });
                }
                if sourced {
                    c.source = Some(CompetencySource {
                        catalogue: "opm-ai-2024".into(),
                        id: format!("x-{i}"),
                        uri: None,
                    });
                }
                c
            },
        )
}

fn framework() -> impl Strategy<Value = Framework> {
    (
        scale(),
        0usize..8,
        text(),
        prop::option::of(text()),
        prop::option::of(date()),
        (0u64..5, 0u64..20, 0u64..20),
    )
        .prop_flat_map(|(scale, n, title, description, reviewed, version)| {
            let max = scale.max_level();
            let competencies: Vec<_> = (0..n).map(|i| competency(i, max)).collect();
            let targets = prop::collection::vec(
                (0..n.max(1), 1..=max, prop::option::of(0.0f64..=1.0)),
                0..=n,
            );
            let edges = prop::collection::vec((0..n.max(1), 0..n.max(1), 0u8..4), 0..n * 2 + 1);
            (
                Just(scale),
                competencies,
                targets,
                edges,
                Just((title, description, reviewed, version)),
            )
        })
        .prop_map(
            |(scale, competencies, targets, edges, (title, description, reviewed, version))| {
                let mut f = Framework::new("fw", title, scale);
                f.version = semver::Version::new(version.0, version.1, version.2);
                f.description = description;
                if let Some(day) = reviewed {
                    f.review = ReviewDates::starting(day, 3);
                }
                f.groups = vec![
                    Group {
                        id: "core".into(),
                        name: "Core".into(),
                        description: None,
                        parent: None,
                    },
                    Group {
                        id: "functional".into(),
                        name: "Functional".into(),
                        description: Some("Role family".into()),
                        parent: None,
                    },
                ];
                let n = competencies.len();
                f.competencies = competencies;
                let mut profile_targets: Vec<Target> = Vec::new();
                for (c, level, weight) in targets {
                    let id = format!("c-{c}");
                    if c < n && !profile_targets.iter().any(|t| t.competency == id) {
                        profile_targets.push(Target {
                            details: None,
                            competency: id,
                            level,
                            weight,
                            note: None,
                        });
                    }
                }
                f.role_profiles.push(RoleProfile {
                    id: "role".into(),
                    title: "Role".into(),
                    job_family: Some("AI".into()),
                    grade: Grade::new(13),
                    level: None,
                    description: None,
                    targets: profile_targets,
                });
                for (a, b, kind) in edges {
                    if a >= n || b >= n {
                        continue;
                    }
                    // Acyclic types only from lower to higher index, so the graph stays acyclic.
                    let (kind, ok) = match kind {
                        0 => (RelationType::Prerequisite, a < b),
                        1 => (RelationType::Related, a != b),
                        2 => (RelationType::CloseMatch, true),
                        _ => (RelationType::Custom("ext:supports".into()), a != b),
                    };
                    if !ok {
                        continue;
                    }
                    let external = kind == RelationType::CloseMatch;
                    let to = if external {
                        format!("http://data.europa.eu/esco/skill/{b}")
                    } else {
                        format!("c-{b}")
                    };
                    f.relations.push(Relation {
                        from: format!("c-{a}"),
                        to,
                        kind,
                        external,
                        note: None,
                    });
                }
                f
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn frameworks_round_trip_through_toml_and_json(f in framework()) {
        prop_assert!(validate::validate(&f).is_ok(), "{:?}", validate::problems(&f));
        for format in [FileFormat::Toml, FileFormat::Json] {
            let text = file::write_framework(&f, format).unwrap();
            let back = file::read_framework(&text, format).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(&back, &f);
            // Writing again gives the same bytes.
            prop_assert_eq!(file::write_framework(&back, format).unwrap(), text);
        }
    }

    #[test]
    fn json_files_validate_against_the_published_schema(f in framework()) {
        let schema = file::framework_json_schema();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let value = serde_json::to_value(&f).unwrap();
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }
}

#[test]
fn the_published_schema_is_up_to_date() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schema/framework.schema.json"
    );
    let generated = serde_json::to_string_pretty(&file::framework_json_schema()).unwrap() + "\n";
    if std::env::var_os("FRAMEWRIGHT_UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/framework.schema.json is out of date; run FRAMEWRIGHT_UPDATE_SCHEMA=1 cargo test -p framewright-model --test it file_roundtrip"
    );
}

const VALID: &str = r#"format = "framewright/1"
id = "fw"
title = "Test"
version = "1.0.0"

[scale]
id = "s"
name = "Scale"

[[scale.levels]]
level = 1
name = "One"
description = "First"

[[scale.levels]]
level = 2
name = "Two"
description = "Second"

[[competencies]]
id = "a"
name = "A"

[[competencies.levels]]
level = 2
indicators = ["Explains A."]

[[competencies]]
id = "b"
name = "B"

[[role_profiles]]
id = "r"
title = "R"

[[role_profiles.targets]]
competency = "a"
level = 2
"#;

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn problems_name_line_and_field_in_toml() {
    assert!(file::read_framework(VALID, FileFormat::Toml).is_ok());

    let unknown = VALID.replace("competency = \"a\"", "competency = \"zzz\"");
    let e = file::read_framework(&unknown, FileFormat::Toml).unwrap_err();
    assert_eq!(e.problems.len(), 1);
    let p = &e.problems[0];
    assert_eq!(
        (p.code.as_str(), p.line, p.field.as_deref()),
        (
            "unknown-competency",
            Some(line_of(&unknown, "zzz")),
            Some("role_profiles[0].targets[0].competency")
        )
    );

    let duplicate = VALID.replace("id = \"b\"", "id = \"a\"");
    let p = &file::read_framework(&duplicate, FileFormat::Toml)
        .unwrap_err()
        .problems[0];
    assert_eq!(
        (p.code.as_str(), p.line, p.field.as_deref()),
        (
            "duplicate-id",
            Some(line_of(&duplicate, "name = \"B\"") - 1),
            Some("competencies[1].id")
        )
    );

    let outside = VALID.replace("level = 2\nindicators", "level = 9\nindicators");
    let p = &file::read_framework(&outside, FileFormat::Toml)
        .unwrap_err()
        .problems[0];
    assert_eq!(
        (p.code.as_str(), p.line),
        ("level-outside-scale", Some(line_of(&outside, "level = 9")))
    );

    let malformed = VALID.replace("title = \"Test\"", "title = \"Test");
    let p = &file::read_framework(&malformed, FileFormat::Toml)
        .unwrap_err()
        .problems[0];
    assert_eq!(
        (p.code.as_str(), p.line),
        ("syntax", Some(line_of(&malformed, "title =")))
    );

    let wrong_type = VALID.replace("level = 2\nindicators", "level = \"two\"\nindicators");
    let p = &file::read_framework(&wrong_type, FileFormat::Toml)
        .unwrap_err()
        .problems[0];
    assert_eq!(p.line, Some(line_of(&wrong_type, "\"two\"")));
    assert_eq!(p.field.as_deref(), Some("competencies[0].levels[0].level"));

    let typo = VALID.replace("name = \"B\"", "name = \"B\"\ndefinitoin = \"x\"");
    let p = &file::read_framework(&typo, FileFormat::Toml)
        .unwrap_err()
        .problems[0];
    assert!(p.message.contains("definitoin"), "{p}");
    assert_eq!(p.line, Some(line_of(&typo, "definitoin")));
}

#[test]
fn problems_name_line_and_field_in_json() {
    let f = file::read_framework(VALID, FileFormat::Toml).unwrap();
    let json = file::write_framework(&f, FileFormat::Json).unwrap();
    let broken = json.replace("\"competency\": \"a\"", "\"competency\": \"nope\"");
    let p = &file::read_framework(&broken, FileFormat::Json)
        .unwrap_err()
        .problems[0];
    let expected_line = broken.lines().position(|l| l.contains("\"nope\"")).unwrap() + 1;
    assert_eq!(
        (p.code.as_str(), p.line),
        ("unknown-competency", Some(expected_line))
    );
    let syntax = json.replacen("\"title\"", "\"title\" \"", 1);
    let p = &file::read_framework(&syntax, FileFormat::Json)
        .unwrap_err()
        .problems[0];
    assert_eq!(
        (p.code.as_str(), p.line),
        ("syntax", Some(line_of(&syntax, "\"title\" \"")))
    );
}
