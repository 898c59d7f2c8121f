//! Lint rules on purpose-made frameworks: each rule fires on its problem and a clean framework
//! has no warnings or errors.

use super::*;
use crate::catalogue::CompetencyKind;
use crate::framework::{
    Framework, FrameworkCompetency, LevelContent, Relation, RelationType, RoleProfile, Target,
};
use crate::grade::{Grade, GradeMark};
use crate::scale::{ProficiencyLevel, ProficiencyScale};

fn vocabulary() -> Vocabulary {
    Vocabulary::from_toml(
        include_str!("../../../../data/lint/verbs.toml"),
        include_str!("../../../../data/lint/vague-terms.toml"),
    )
    .unwrap()
}

fn scale() -> ProficiencyScale {
    ProficiencyScale {
        id: "five".into(),
        name: "Five levels".into(),
        source: None,
        levels: (1..=5)
            .map(|level| ProficiencyLevel {
                level,
                name: format!("Level {level}"),
                description: format!("Handles tasks of complexity {level} with guidance that decreases as the number rises."),
            })
            .collect(),
    }
}

const VERBS: [[&str; 2]; 5] = [
    ["Identifies", "Lists"],
    ["Explains", "Describes"],
    ["Applies", "Calculates"],
    ["Analyzes", "Compares"],
    ["Evaluates", "Designs"],
];

fn competency(id: &str, kind: CompetencyKind, topic: &str) -> FrameworkCompetency {
    let mut c = FrameworkCompetency::new(id, format!("{topic} work"), kind);
    c.definition = Some(format!(
        "Performs {topic} tasks that the organisation's mission depends on, distinct area number {id}."
    ));
    c.levels = (1..=5u8)
        .map(|level| LevelContent {
            level,
            description: Some(format!("Handles {topic} tasks of complexity {level}.")),
            indicators: VERBS[usize::from(level) - 1]
                .iter()
                .map(|verb| format!("{verb} the {topic} records for a project at stage {level}."))
                .collect(),
            draft: false,
        })
        .collect();
    c
}

fn clean() -> Framework {
    let mut f = Framework::new("test", "Test framework", scale());
    let topics = [
        "budget",
        "contract",
        "survey",
        "pipeline",
        "model",
        "dashboard",
    ];
    for (i, topic) in topics.iter().enumerate() {
        let kind = if i < 3 {
            CompetencyKind::General
        } else {
            CompetencyKind::Technical
        };
        f.competencies
            .push(competency(&format!("c{i}"), kind, topic));
    }
    f.role_profiles.push(RoleProfile {
        id: "analyst".into(),
        title: "Analyst".into(),
        job_family: None,
        grade: Grade::new(13),
        level: None,
        description: None,
        targets: vec![Target {
            details: None,
            competency: "c0".into(),
            level: 3,
            weight: Some(0.5),
            note: None,
        }],
    });
    f.relations.push(Relation {
        from: "c3".into(),
        to: "c4".into(),
        kind: RelationType::Prerequisite,
        external: false,
        note: None,
    });
    f
}

fn codes(f: &Framework) -> Vec<&'static str> {
    lint(f, &vocabulary(), &LintLimits::default())
        .into_iter()
        .map(|x| x.code)
        .collect()
}

#[test]
fn a_clean_framework_has_no_findings() {
    let findings = lint(&clean(), &vocabulary(), &LintLimits::default());
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn counts_outside_the_ranges_are_warned() {
    let mut f = clean();
    f.competencies.truncate(4);
    let c = codes(&f);
    assert!(c.contains(&"competency-count"), "{c:?}");
    assert!(c.contains(&"functional-count"), "{c:?}");
    let mut f = clean();
    for c in &mut f.competencies {
        c.kind = CompetencyKind::General;
    }
    let c = codes(&f);
    assert!(
        c.contains(&"core-count") && c.contains(&"functional-count"),
        "{c:?}"
    );
    let mut f = clean();
    for i in 6..13 {
        f.competencies.push(competency(
            &format!("x{i}"),
            CompetencyKind::Technical,
            &format!("topic{i}"),
        ));
    }
    assert!(codes(&f).contains(&"competency-count"));
}

#[test]
fn identical_and_near_identical_definitions_overlap() {
    let mut f = clean();
    f.competencies[1].definition = f.competencies[0]
        .definition
        .clone()
        .map(|d| d.to_uppercase());
    assert!(codes(&f).contains(&"overlap"));
    let mut f = clean();
    f.competencies[0].definition = Some("Understands and interprets written material, including technical material, rules, regulations, instructions, reports, charts, graphs, or tables.".into());
    f.competencies[1].definition = Some("Understands and interprets written material, including technical material, rules, regulations, instructions, reports, charts or tables; applies it.".into());
    let c = codes(&f);
    assert!(
        c.contains(&"overlap-similar") && !c.contains(&"overlap"),
        "{c:?}"
    );
    let mut f = clean();
    f.competencies[1].name = f.competencies[0].name.to_lowercase();
    assert!(codes(&f).contains(&"duplicate-name"));
}

#[test]
fn vague_terms_are_warned_in_indicators_and_descriptions() {
    let mut f = clean();
    f.competencies[0].levels[0].indicators[0] =
        "Identifies good sources of budget data, etc.".into();
    f.competencies[2].levels[3].description = Some("Handles various survey tasks.".into());
    let findings = lint(&f, &vocabulary(), &LintLimits::default());
    let vague: Vec<&Finding> = findings.iter().filter(|x| x.code == "vague-term").collect();
    assert_eq!(vague.len(), 3, "{vague:#?}");
    assert_eq!(
        vague[0].path.to_string(),
        "competencies[0].levels[0].indicators[0]"
    );
    assert!(vague.iter().all(|v| v.suggestion.is_some()));
}

#[test]
fn a_level_may_be_named_basic_if_its_description_is_behavioural() {
    let mut f = clean();
    f.scale.levels[1].name = "Basic".into();
    f.scale.levels[3].name = "Advanced".into();
    assert!(codes(&f).is_empty());
}

#[test]
fn indicators_must_start_with_an_observable_verb() {
    let mut f = clean();
    f.competencies[0].levels[0].indicators[0] = "Understands the budget records.".into();
    f.competencies[0].levels[0].indicators[1] = "Budget records are listed on time.".into();
    f.competencies[1].levels[0].indicators[0] = "Is aware of contract records.".into();
    let c = codes(&f);
    assert_eq!(
        c.iter().filter(|x| **x == "indicator-unobservable").count(),
        2,
        "{c:?}"
    );
    assert!(c.contains(&"indicator-verb"));
}

#[test]
fn compound_indicators_are_warned() {
    let mut f = clean();
    f.competencies[0].levels[0].indicators[0] =
        "Identifies budget records; lists their owners.".into();
    f.competencies[0].levels[1].indicators[0] = "Explains the budget. Describes the owners.".into();
    assert_eq!(
        codes(&f)
            .iter()
            .filter(|x| **x == "indicator-compound")
            .count(),
        2
    );
    let mut f = clean();
    f.competencies[0].levels[0].indicators[0] =
        "Identifies budget records kept by the U.S. Treasury, e.g. ledgers.".into();
    assert!(codes(&f).is_empty());
}

#[test]
fn identical_indicators_on_two_levels_are_errors() {
    let mut f = clean();
    f.competencies[0].levels[2].indicators[0] = f.competencies[0].levels[1].indicators[0].clone();
    let findings = lint(&f, &vocabulary(), &LintLimits::default());
    let repeated: Vec<&Finding> = findings
        .iter()
        .filter(|x| x.code == "indicator-repeated")
        .collect();
    assert_eq!(repeated.len(), 1);
    assert_eq!(repeated[0].severity, Severity::Error);
    assert!(has_errors(&findings));
    let mut f = clean();
    f.competencies[1].levels[0].indicators[0] = f.competencies[0].levels[0].indicators[0].clone();
    assert!(codes(&f).contains(&"indicator-duplicate"));
}

#[test]
fn levels_that_do_not_progress_are_warned() {
    let mut f = clean();
    f.competencies[0].levels[3].description = f.competencies[0].levels[2].description.clone();
    assert!(codes(&f).contains(&"level-no-progress"));
    let mut f = clean();
    // Level 5 asks only to identify and list: lower-order than level 4's analysis.
    f.competencies[3].levels[4].indicators = vec![
        "Identifies the pipeline owner at stage five.".into(),
        "Lists the pipeline runs at stage five.".into(),
    ];
    assert!(codes(&f).contains(&"level-no-progress"));
    let mut f = clean();
    f.competencies[0].levels.remove(4);
    assert!(codes(&f).contains(&"level-missing"));
    let mut f = clean();
    f.competencies[0].levels[0].indicators.truncate(1);
    assert!(codes(&f).contains(&"indicator-count"));
}

#[test]
fn structural_problems_are_lint_errors_with_their_field() {
    let mut f = clean();
    f.role_profiles[0].targets[0].level = 7;
    f.relations.push(Relation {
        from: "c4".into(),
        to: "c3".into(),
        kind: RelationType::Prerequisite,
        external: false,
        note: None,
    });
    f.relations.push(Relation {
        from: "c4".into(),
        to: "nowhere".into(),
        kind: RelationType::Related,
        external: false,
        note: None,
    });
    let findings = lint(&f, &vocabulary(), &LintLimits::default());
    let find = |code: &str| findings.iter().find(|x| x.code == code).unwrap();
    assert_eq!(
        find("target-outside-scale").path.to_string(),
        "role_profiles[0].targets[0].level"
    );
    assert_eq!(find("relation-cycle").severity, Severity::Error);
    assert_eq!(
        find("dangling-relation").path.to_string(),
        "relations[2].to"
    );
}

#[test]
fn a_missing_definition_is_warned() {
    let mut f = clean();
    f.competencies[0].definition = None;
    assert_eq!(codes(&f), vec!["definition-missing"]);
}

#[test]
fn targets_against_the_grade_table_are_noted() {
    let mut f = clean();
    f.competencies[0]
        .grades
        .insert(Grade::new(13).unwrap(), GradeMark::NotRated);
    let findings = lint(&f, &vocabulary(), &LintLimits::default());
    assert_eq!(findings.len(), 1);
    assert_eq!(
        (findings[0].code, findings[0].severity),
        ("not-rated-at-grade", Severity::Info)
    );
}

#[test]
fn every_emitted_code_is_documented_in_rules() {
    let documented: Vec<&str> = RULES.iter().map(|r| r.0).collect();
    for code in [
        "competency-count",
        "overlap",
        "vague-term",
        "indicator-verb",
        "level-no-progress",
        "not-rated-at-grade",
    ] {
        assert!(documented.contains(&code), "{code}");
    }
}

/// The overlap rules as they were first written, comparing every pair: the reference the
/// indexed version must agree with.
fn overlaps_all_pairs(f: &Framework, limits: &LintLimits) -> Vec<Finding> {
    let mut out = Vec::new();
    let items = &f.competencies;
    for i in 0..items.len() {
        for j in (i + 1)..items.len() {
            let (a, b) = (&items[i], &items[j]);
            let path = FieldPath::root().item("competencies", j);
            if text::normalise(&a.name) == text::normalise(&b.name) {
                out.push((j, "duplicate-name", path.key("name"), None));
                continue;
            }
            let (Some(da), Some(db)) = (&a.definition, &b.definition) else {
                continue;
            };
            if text::normalise(da).is_empty() {
                continue;
            }
            if text::normalise(da) == text::normalise(db) {
                out.push((j, "overlap", path.key("definition"), None));
            } else {
                let similarity = text::similarity(da, db);
                if similarity >= limits.overlap_similarity {
                    out.push((
                        j,
                        "overlap-similar",
                        path.key("definition"),
                        Some(format!("{:.0} %", similarity * 100.0)),
                    ));
                }
            }
            let _ = i;
        }
    }
    out.into_iter()
        .map(|(_, code, path, note)| Finding {
            code,
            severity: Severity::Info,
            path,
            message: note.unwrap_or_default(),
            suggestion: None,
        })
        .collect()
}

/// A framework of `n` competencies whose names and definitions are drawn from a small word
/// list, so that many pairs share names, definitions or most of their words.
fn crowded(n: usize, seed: u64) -> Framework {
    const WORDS: [&str; 24] = [
        "budget",
        "plans",
        "planning",
        "contract",
        "contracts",
        "survey",
        "data",
        "analysis",
        "reports",
        "reporting",
        "model",
        "team",
        "teams",
        "policy",
        "risk",
        "the",
        "of",
        "and",
        "client",
        "service",
        "design",
        "systems",
        "safety",
        "quality",
    ];
    let mut state = seed | 1;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let mut f = Framework::new("crowded", "Crowded", scale());
    for i in 0..n {
        let name_words = 1 + next(2);
        let name: Vec<&str> = (0..name_words).map(|_| WORDS[next(8)]).collect();
        let mut c =
            FrameworkCompetency::new(format!("c{i}"), name.join(" "), CompetencyKind::Technical);
        c.definition = match next(12) {
            0 => None,
            1 => Some(String::new()),
            2 => Some("the of and".to_string()),
            3 if i > 0 => f.competencies[next(i)].definition.clone(),
            _ => {
                let length = 1 + next(7);
                let words: Vec<&str> = (0..length).map(|_| WORDS[next(WORDS.len())]).collect();
                Some(words.join(if next(2) == 0 { " " } else { ", " }))
            }
        };
        f.competencies.push(c);
    }
    f
}

#[test]
fn the_indexed_overlap_rules_find_what_comparing_every_pair_finds() {
    let vocabulary = vocabulary();
    for (threshold, seed) in [
        (0.85, 1),
        (0.85, 2026),
        (0.5, 7),
        (0.7, 3),
        (1.0, 5),
        (0.0, 9),
    ] {
        {
            let f = crowded(120, seed);
            let limits = LintLimits {
                overlap_similarity: threshold,
                ..LintLimits::default()
            };
            let expected = overlaps_all_pairs(&f, &limits);
            let found: Vec<Finding> = lint(&f, &vocabulary, &limits)
                .into_iter()
                .filter(|x| ["duplicate-name", "overlap", "overlap-similar"].contains(&x.code))
                .collect();
            assert_eq!(
                found.len(),
                expected.len(),
                "threshold {threshold}, seed {seed}"
            );
            assert!(!expected.is_empty());
            for (got, want) in found.iter().zip(&expected) {
                assert_eq!((got.code, &got.path), (want.code, &want.path));
                assert!(
                    got.message.contains(&want.message),
                    "{} / {}",
                    got.message,
                    want.message
                );
            }
        }
    }
}
