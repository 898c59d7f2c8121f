//! Property test: for any role — words from a pool, any grade or level, any target count,
//! includes and excludes — the generator with the real suggestion engine gives a framework
//! with zero lint errors, 6–12 competencies, and the same bytes on a second run; and its
//! provenance never contradicts itself: no competency it lists as left out has a higher final
//! score than a chosen one of its group, unless it was excluded or overlapped (and its reason
//! says so).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewright_generate::{
    ContentLibrary, Inputs, Options, SearchRanker, SelectionSettings, TargetMapping, Templates,
    generate,
};
use framewright_model::file::{FileFormat, write_framework};
use framewright_model::lint::{self, LintLimits};
use framewright_model::{Catalogue, Competency, CompetencyKind, Grade, Role};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "machine",
    "learning",
    "engineer",
    "data",
    "scientist",
    "analyst",
    "policy",
    "program",
    "manager",
    "software",
    "developer",
    "model",
    "models",
    "deploy",
    "train",
    "evaluate",
    "research",
    "ethics",
    "budget",
    "contract",
    "procurement",
    "team",
    "lead",
    "communicate",
    "results",
    "statistics",
    "visualisation",
    "cloud",
    "security",
    "test",
    "validate",
    "design",
    "systems",
    "monitor",
    "stakeholders",
    "legal",
    "HR",
    "recruit",
    "cook",
    "drive",
    "écrire",
    "AI",
    "LLM",
    "GS-13",
    "&",
    "—",
    "42",
];

const OPM_NAMES: &[&str] = &[
    "Teamwork",
    "Problem Solving",
    "Data Analysis",
    "Accountability",
    "Reading",
    "Software Engineering",
    "Oral Communication",
    "integrity-or-honesty",
    "Monitoring",
    "Values-Driven Design",
    "Written Communication",
    "Project Management",
];

fn sentence(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..=max).prop_map(|w| w.join(" "))
}

fn role() -> impl Strategy<Value = Role> {
    (
        sentence(4),
        prop::option::of(sentence(12)),
        prop::collection::vec(sentence(10), 0..6),
        prop_oneof![
            (1u8..=15).prop_map(|g| (Grade::new(g), None)),
            (1u8..=5).prop_map(|l| (None, Some(l))),
            Just((None, None)),
        ],
        prop::option::of(6usize..=12),
        prop::sample::subsequence(OPM_NAMES.to_vec(), 0..=4),
        any::<bool>(),
    )
        .prop_map(
            |(title, description, tasks, (grade, level), count, names, split)| {
                // Half of the chosen names are included, the rest excluded.
                let (include, exclude) = if split {
                    let half = names.len() / 2;
                    (names[..half].to_vec(), names[half..].to_vec())
                } else {
                    (Vec::new(), names)
                };
                Role {
                    title,
                    description,
                    tasks,
                    grade,
                    level,
                    target_count: count,
                    include: include.iter().map(ToString::to_string).collect(),
                    exclude: exclude.iter().map(ToString::to_string).collect(),
                    ..Role::default()
                }
            },
        )
}

fn skills() -> Catalogue {
    let mut catalogue = framewright_catalog::opm_ai_2024().unwrap().catalogue;
    catalogue.id = "skills".into();
    catalogue.name = "Skills".into();
    catalogue.notes.clear();
    catalogue.competencies = [
        (
            "py",
            "Python programming",
            "Writes and tests programs in Python.",
        ),
        (
            "sql",
            "SQL querying",
            "Retrieves data from relational databases.",
        ),
        (
            "mlops",
            "Machine learning operations",
            "Deploys and monitors models in production.",
        ),
        (
            "stats",
            "Statistical modelling",
            "Fits statistical models to data.",
        ),
        (
            "viz",
            "Data visualisation",
            "Presents data in charts for decision makers.",
        ),
    ]
    .iter()
    .map(|(id, name, definition)| {
        let mut c = Competency::new(*id, *name, CompetencyKind::Skill);
        c.definition = Some(definition.to_string());
        c
    })
    .collect();
    catalogue
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_role_gives_a_lint_clean_deterministic_framework(role in role(), with_skills in any::<bool>()) {
        let mut catalogues = vec![framewright_catalog::opm_ai_2024().unwrap().catalogue];
        if with_skills {
            catalogues.push(skills());
        }
        let libraries = vec![ContentLibrary::opm_builtin().unwrap()];
        let scale = framewright_catalog::opm_five_level().unwrap();
        let templates = Templates::builtin().unwrap();
        let mapping = TargetMapping::builtin().unwrap();
        let selection = SelectionSettings::builtin().unwrap();
        let vocabulary = framewright_catalog::builtin_vocabulary().unwrap();
        let ranker = SearchRanker::builtin().unwrap();
        let inputs = Inputs {
            catalogues: &catalogues,
            libraries: &libraries,
            reference_roles: &[],
            scale: &scale,
            templates: &templates,
            mapping: &mapping,
            selection: &selection,
            vocabulary: &vocabulary,
            ranker: &ranker,
            onet: None,
        };
        let first = generate(&role, &inputs, &Options::default());
        let first = match first {
            Ok(generated) => generated.framework,
            Err(error) => {
                // The only refusals a well-formed role can meet: an include overlapping
                // another (none in the pool) or an unknown name (none either).
                return Err(TestCaseError::fail(format!("{error}")));
            }
        };
        let findings = lint::lint(&first, &vocabulary, &LintLimits::default());
        let errors: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == lint::Severity::Error)
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect();
        prop_assert!(errors.is_empty(), "{errors:?}");
        let n = first.competencies.len();
        prop_assert!((6..=12).contains(&n), "{n} competencies");
        if let Some(count) = role.target_count {
            prop_assert_eq!(n, count);
        }
        for name in &role.include {
            prop_assert!(
                first.competencies.iter().any(|c| c.source.as_ref().is_some_and(|s| {
                    catalogues[0].find(name).is_some_and(|found| found.id == s.id)
                })),
                "{} not included", name
            );
        }
        for name in &role.exclude {
            let id = &catalogues[0].find(name).unwrap().id;
            prop_assert!(
                !first.competencies.iter().any(|c| c.source.as_ref().is_some_and(|s| &s.id == id && s.catalogue == "opm-ai-2024")),
                "{} not excluded", name
            );
        }
        let provenance = first.provenance.as_ref().unwrap();
        for c in &first.competencies {
            let evidence = c.evidence.as_ref().unwrap();
            // Picked ones carry the score they were compared by; included ones were not compared.
            prop_assert_eq!(evidence.final_score.is_some(), !evidence.included, "{}", c.name);
        }
        for left in &provenance.left_out {
            let Some(score) = left.final_score else {
                prop_assert!(
                    left.reason.contains("at your request") || left.reason.contains("overlap"),
                    "{:?}", left
                );
                continue;
            };
            let lowest = first
                .competencies
                .iter()
                .filter(|c| c.group.as_deref() == Some(left.group.as_str()))
                .filter_map(|c| c.evidence.as_ref().and_then(|e| e.final_score))
                .fold(f64::INFINITY, f64::min);
            prop_assert!(score <= lowest, "{:?} outscores the lowest chosen ({})", left, lowest);
        }
        let second = generate(&role, &inputs, &Options::default()).unwrap().framework;
        prop_assert_eq!(
            write_framework(&first, FileFormat::Toml).unwrap(),
            write_framework(&second, FileFormat::Toml).unwrap()
        );
    }
}
