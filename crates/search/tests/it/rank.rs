#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Ranking behaviour on a small catalogue: relevance order, ties, synonyms, reference roles,
//! priors, explanations and settings.

use framewright_search::{
    Document, Index, Priors, Query, RankingConfig, ReferenceRole, ReferenceRoles, RoleCompetency,
    SearchError, SuggestOptions, Synonyms,
};

fn doc(id: &str, name: &str, def: &str) -> Document {
    Document {
        id: id.into(),
        name: name.into(),
        definition: def.into(),
        ..Default::default()
    }
}

fn catalogue() -> Index {
    Index::build(
        vec![
            doc(
                "tests",
                "execute software tests",
                "Perform tests on software.",
            ),
            doc("debug", "debug software", "Repair computer code."),
            doc("pasta", "cook pasta", "Prepare pasta dishes."),
            doc("ml", "machine learning", "Algorithms that learn from data."),
            doc(
                "req",
                "define technical requirements",
                "Specify technical properties.",
            ),
            doc("twin-b", "operate forklift", "Drive a forklift."),
            doc("twin-a", "operate forklift", "Drive a forklift."),
        ],
        Synonyms::builtin().unwrap(),
    )
    .unwrap()
}

fn top(index: &Index, query: &Query, options: SuggestOptions<'_>) -> Vec<String> {
    index
        .suggest(query, &options, &RankingConfig::default())
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect()
}

fn q(title: &str, description: &str) -> Query {
    Query {
        title: title.into(),
        description: description.into(),
        tasks: Vec::new(),
    }
}

#[test]
fn ranks_matching_items_first_and_leaves_out_unrelated_ones() {
    let index = catalogue();
    let ids = top(
        &index,
        &q("Software tester", "Tests and debugs software."),
        SuggestOptions {
            top: 10,
            ..Default::default()
        },
    );
    let mut best = ids[..2].to_vec();
    best.sort();
    assert_eq!(best, ["debug", "tests"]);
    assert!(!ids.contains(&"pasta".to_owned()));
}

#[test]
fn equal_scores_are_ordered_by_id() {
    let index = catalogue();
    let ids = top(
        &index,
        &q("Forklift driver", ""),
        SuggestOptions {
            top: 10,
            ..Default::default()
        },
    );
    assert_eq!(&ids[..2], ["twin-a", "twin-b"]);
}

#[test]
fn tasks_count_and_synonyms_expand_abbreviations() {
    let index = catalogue();
    let query = Query {
        title: "Engineer".into(),
        description: String::new(),
        tasks: vec!["Builds ML models".into()],
    };
    let results = index
        .suggest(
            &query,
            &SuggestOptions {
                top: 3,
                ..Default::default()
            },
            &RankingConfig::default(),
        )
        .unwrap();
    assert_eq!(results[0].id, "ml");
    let why = results[0].evidence.why();
    assert!(
        why.contains("synonym of \"ML\"") && why.contains("task 1"),
        "{why}"
    );
}

#[test]
fn top_limits_results_and_zero_gives_none() {
    let index = catalogue();
    let query = q("Software tester", "Tests and debugs software.");
    assert_eq!(
        top(
            &index,
            &query,
            SuggestOptions {
                top: 1,
                ..Default::default()
            }
        )
        .len(),
        1
    );
    assert!(
        top(
            &index,
            &query,
            SuggestOptions {
                top: 0,
                ..Default::default()
            }
        )
        .is_empty()
    );
}

#[test]
fn similar_reference_roles_vote_for_their_competencies() {
    let index = catalogue();
    let roles = vec![
        ReferenceRole {
            id: "dev".into(),
            title: "software developer".into(),
            description: "Writes and tests software.".into(),
            competencies: vec![
                RoleCompetency {
                    id: "req".into(),
                    weight: None,
                },
                RoleCompetency {
                    id: "not-in-catalogue".into(),
                    weight: None,
                },
            ],
        },
        ReferenceRole {
            id: "cook".into(),
            title: "cook".into(),
            description: "Cooks food.".into(),
            competencies: vec![RoleCompetency {
                id: "pasta".into(),
                weight: None,
            }],
        },
    ];
    let config = RankingConfig::default();
    let refs = ReferenceRoles::new(&index, &roles, &config);
    assert_eq!(refs.ignored().len(), 1);
    assert_eq!(refs.ignored()[0].competency, "not-in-catalogue");
    let query = q("Software tester", "Tests software.");
    let without = top(
        &index,
        &query,
        SuggestOptions {
            top: 10,
            ..Default::default()
        },
    );
    assert!(!without.contains(&"req".to_owned()));
    let options = SuggestOptions {
        top: 10,
        reference_roles: Some(&refs),
        priors: None,
    };
    let results = index.suggest(&query, &options, &config).unwrap();
    let req = results.iter().find(|s| s.id == "req").expect("voted in");
    assert_eq!(req.evidence.reference_roles[0].id, "dev");
    assert!(req.evidence.why().contains("software developer"));
    let position = |id: &str| results.iter().position(|s| s.id == id);
    assert!(position("req") < position("pasta").or(Some(usize::MAX)));
    assert!(
        results
            .iter()
            .filter(|s| s.id == "pasta")
            .all(|s| s.evidence.reference_roles.is_empty()),
        "the cook is not similar"
    );
}

#[test]
fn priors_add_to_the_score_with_their_reason() {
    let index = catalogue();
    let mut priors = Priors::new();
    assert!(priors.set(&index, "pasta", 1.0, "grade table: confirmed at GS-13"));
    assert!(!priors.set(&index, "unknown", 1.0, "x"));
    assert!(!priors.set(&index, "pasta", f64::NAN, "x"));
    let options = SuggestOptions {
        top: 10,
        reference_roles: None,
        priors: Some(&priors),
    };
    let results = index
        .suggest(
            &q("Forklift driver", ""),
            &options,
            &RankingConfig::default(),
        )
        .unwrap();
    let pasta = results.iter().find(|s| s.id == "pasta").unwrap();
    assert!(pasta.evidence.why().contains("GS-13"));
}

#[test]
fn invalid_settings_are_rejected() {
    let index = catalogue();
    let config = RankingConfig {
        k1: -1.0,
        ..Default::default()
    };
    let e = index
        .suggest(
            &q("x", ""),
            &SuggestOptions {
                top: 5,
                ..Default::default()
            },
            &config,
        )
        .unwrap_err();
    assert!(matches!(e, SearchError::Setting { name: "k1", .. }));
    let config = RankingConfig {
        field_b: [0.5, 2.0, 0.5],
        ..Default::default()
    };
    assert!(config.validate().is_err());
}

#[test]
fn empty_query_gives_no_suggestions() {
    let index = catalogue();
    assert!(
        top(
            &index,
            &q("", ""),
            SuggestOptions {
                top: 5,
                ..Default::default()
            }
        )
        .is_empty()
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any text gives sorted, unique, deterministic results without panicking.
        #[test]
        fn results_are_sorted_unique_and_repeatable(title in "\\PC{0,40}", description in "\\PC{0,120}") {
            let index = catalogue();
            let query = q(&title, &description);
            let options = SuggestOptions { top: 5, ..Default::default() };
            let a = index.suggest(&query, &options, &RankingConfig::default()).unwrap();
            let b = index.suggest(&query, &options, &RankingConfig::default()).unwrap();
            prop_assert_eq!(&a, &b);
            prop_assert!(a.windows(2).all(|w| w[0].score >= w[1].score));
            let mut ids: Vec<&str> = a.iter().map(|s| s.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), a.len());
        }
    }
}

#[test]
fn lone_words_of_a_name_phrase_can_be_discounted() {
    let index = Index::build(
        vec![
            doc(
                "aiml",
                "Artificial Intelligence and Machine Learning",
                "Designs neural networks.",
            ),
            doc(
                "learning",
                "Learning",
                "Acquires new knowledge through training.",
            ),
            doc("ei", "Emotional Intelligence", "Manages feelings."),
        ],
        Synonyms::builtin().unwrap(),
    )
    .unwrap();
    let score = |query: &Query, config: &RankingConfig, id: &str| {
        let options = SuggestOptions {
            top: 10,
            reference_roles: None,
            priors: None,
        };
        index
            .suggest(query, &options, config)
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .map_or(0.0, |s| s.evidence.text_score)
    };
    let default = RankingConfig::default();
    let discounted = RankingConfig {
        phrase_part_weight: 0.3,
        ..RankingConfig::default()
    };
    // The role's own words: "learning" of "machine learning".
    let role = q("Machine Learning Engineer", "");
    assert!(score(&role, &discounted, "learning") < score(&role, &default, "learning"));
    assert_eq!(score(&role, &discounted, "aiml"), 1.0);
    // Words a synonym adds: "intelligence" of "artificial intelligence" (from "AI").
    let role = q("AI Officer", "");
    assert!(score(&role, &discounted, "ei") < score(&role, &default, "ei"));
    assert_eq!(score(&role, &discounted, "aiml"), 1.0);
    // With the default weight nothing changes.
    assert!(RankingConfig::default().phrase_part_weight == 1.0);
}

/// The sense rules on: a role word used in another sense than a result's does not count.
fn sense_config() -> RankingConfig {
    RankingConfig {
        sense_weight: 0.0,
        ..RankingConfig::default()
    }
}

fn ranked_ids(docs: Vec<Document>, query: &Query, config: &RankingConfig) -> Vec<String> {
    let index = Index::build(docs, Synonyms::builtin().unwrap()).unwrap();
    let options = SuggestOptions {
        top: 10,
        ..Default::default()
    };
    index
        .suggest(query, &options, config)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[test]
fn a_compound_of_the_role_does_not_match_a_name_that_pairs_its_word_differently() {
    let docs = || {
        vec![Document {
            id: "im".into(),
            name: "Information Management".into(),
            definition: "Organizes and maintains information systems.".into(),
            ..Default::default()
        }]
    };
    let risk = Query {
        title: "Risk officer".into(),
        tasks: vec!["Oversee risk management of AI systems".into()],
        ..Default::default()
    };
    // "management" and "systems" match by words alone; with the rules only "systems" does,
    // and "management" is not cited as evidence.
    let index = Index::build(docs(), Synonyms::builtin().unwrap()).unwrap();
    let options = SuggestOptions {
        top: 10,
        ..Default::default()
    };
    let words = |config: &RankingConfig| -> Vec<String> {
        index.suggest(&risk, &options, config).unwrap()[0]
            .evidence
            .matches
            .iter()
            .map(|m| m.word.clone())
            .collect()
    };
    assert!(words(&RankingConfig::default()).contains(&"management".to_string()));
    assert!(!words(&sense_config()).contains(&"management".to_string()));
    // The same word in the name's own compound still counts.
    let info = Query {
        title: "Records officer".into(),
        tasks: vec!["Lead information management for the agency".into()],
        ..Default::default()
    };
    assert_eq!(ranked_ids(docs(), &info, &sense_config()), ["im"]);
}

#[test]
fn a_noun_of_the_role_does_not_match_the_verb_that_opens_a_definition() {
    let docs = || {
        vec![Document {
            id: "integrity".into(),
            name: "Integrity".into(),
            definition: "Behaves in an honest manner. Models high standards of ethics.".into(),
            ..Default::default()
        }]
    };
    let nouns = Query {
        title: "Engineer".into(),
        tasks: vec![
            "Deploy models as services".into(),
            "Train learning models".into(),
        ],
        ..Default::default()
    };
    assert_eq!(
        ranked_ids(docs(), &nouns, &RankingConfig::default()),
        ["integrity"]
    );
    assert!(ranked_ids(docs(), &nouns, &sense_config()).is_empty());
    // Used as a verb, it still matches.
    let verb = Query {
        title: "Team lead".into(),
        tasks: vec!["Models ethical conduct for the team".into()],
        ..Default::default()
    };
    assert_eq!(ranked_ids(docs(), &verb, &sense_config()), ["integrity"]);
}
