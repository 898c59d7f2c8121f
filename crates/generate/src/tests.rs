//! Tests of the whole generator with a small stand-in ranker (word overlap), the built-in OPM
//! catalogue and fixture content.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use framewright_model::{Competency, CompetencyKind, lint::Severity, text};

use super::*;
use framewright_model::Grade;

/// Scores a competency by the stems it shares with the role, plus the priors — a stand-in for
/// the real engine, good enough to exercise selection.
pub(crate) struct OverlapRanker;

impl Ranker for OverlapRanker {
    fn rank(&self, request: &RankRequest<'_>) -> Result<Vec<ScoredCandidate>, RankError> {
        let role = request.role;
        let mut sources: Vec<(String, String)> = vec![("title".into(), role.title.clone())];
        if let Some(d) = &role.description {
            sources.push(("description".into(), d.clone()));
        }
        for (i, t) in role.tasks.iter().enumerate() {
            sources.push((format!("task {}", i + 1), t.clone()));
        }
        let mut out: Vec<ScoredCandidate> = Vec::new();
        for c in &request.catalogue.competencies {
            let name: BTreeSet<String> = text::stems(&c.name).into_iter().collect();
            let definition: BTreeSet<String> = text::stems(c.definition.as_deref().unwrap_or(""))
                .into_iter()
                .collect();
            let mut matches: Vec<MatchedTerm> = Vec::new();
            let mut text_score = 0.0;
            for (label, source) in &sources {
                for stem in text::stems(source) {
                    let mut fields = Vec::new();
                    if name.contains(&stem) {
                        fields.push("name".to_string());
                        text_score += 1.0;
                    }
                    if definition.contains(&stem) {
                        fields.push("definition".to_string());
                        text_score += 0.3;
                    }
                    if fields.is_empty() {
                        continue;
                    }
                    match matches.iter_mut().find(|m| m.word == stem) {
                        Some(m) if !m.sources.contains(label) => m.sources.push(label.clone()),
                        Some(_) => {}
                        None => matches.push(MatchedTerm {
                            word: stem.clone(),
                            sources: vec![label.clone()],
                            fields,
                        }),
                    }
                }
            }
            let prior = request.priors.get(&c.id).cloned();
            let score = text_score / 5.0 + prior.as_ref().map_or(0.0, |p| p.value);
            if score > 0.0 {
                out.push(ScoredCandidate {
                    id: c.id.clone(),
                    score,
                    text_score: (text_score / 5.0).min(1.0),
                    matches,
                    prior,
                    ..ScoredCandidate::default()
                });
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        out.truncate(request.top);
        Ok(out)
    }
}

pub(crate) fn vocabulary() -> Vocabulary {
    framewright_catalog::vocabulary::builtin_vocabulary().unwrap()
}

pub(crate) struct Fixture {
    pub catalogues: Vec<Catalogue>,
    pub libraries: Vec<ContentLibrary>,
    pub scale: ProficiencyScale,
    pub templates: Templates,
    pub mapping: TargetMapping,
    pub selection: SelectionSettings,
    pub vocabulary: Vocabulary,
}

impl Fixture {
    pub fn opm() -> Fixture {
        Fixture {
            catalogues: vec![framewright_catalog::opm_ai_2024().unwrap().catalogue],
            libraries: Vec::new(),
            scale: framewright_catalog::opm_five_level().unwrap(),
            templates: Templates::builtin().unwrap(),
            mapping: TargetMapping::builtin().unwrap(),
            selection: SelectionSettings::builtin().unwrap(),
            vocabulary: vocabulary(),
        }
    }

    pub fn inputs<'a>(&'a self, ranker: &'a dyn Ranker) -> Inputs<'a> {
        Inputs {
            catalogues: &self.catalogues,
            libraries: &self.libraries,
            reference_roles: &[],
            scale: &self.scale,
            templates: &self.templates,
            mapping: &self.mapping,
            selection: &self.selection,
            vocabulary: &self.vocabulary,
            ranker,
            onet: None,
        }
    }
}

pub(crate) fn ml_engineer() -> Role {
    Role {
        title: "Machine Learning Engineer".into(),
        description: Some(
            "Builds, deploys and monitors machine learning models for agency programmes.".into(),
        ),
        tasks: vec![
            "Design and train machine learning models on agency data.".into(),
            "Analyze data sets to find patterns and test hypotheses.".into(),
            "Write production software to deploy models.".into(),
            "Communicate results to program managers.".into(),
            "Test and validate models for bias and accuracy.".into(),
        ],
        grade: Grade::new(13),
        ..Role::default()
    }
}

fn run(role: &Role, fixture: &Fixture) -> Generated {
    generate(role, &fixture.inputs(&OverlapRanker), &Options::default()).unwrap()
}

#[test]
fn a_role_gets_six_to_twelve_competencies_core_and_functional_with_everything_filled_in() {
    let fixture = Fixture::opm();
    let generated = run(&ml_engineer(), &fixture);
    let f = &generated.framework;
    assert!(
        (6..=12).contains(&f.competencies.len()),
        "{}",
        f.competencies.len()
    );
    assert!((3..=5).contains(&f.core_count()));
    assert!((3..=7).contains(&f.functional_count()));
    for c in &f.competencies {
        let rationale = c.rationale.as_deref().unwrap();
        assert!(plain(rationale), "{rationale}");
        assert!(c.evidence.as_ref().unwrap().score.is_some());
        assert_eq!(c.levels.len(), 5);
        assert!(
            c.levels
                .iter()
                .all(|l| (2..=4).contains(&l.indicators.len()))
        );
        assert!(c.interview.is_empty() || c.interview.len() == 2);
    }
    let interviewed = f.competencies.iter().filter(|c| !c.interview.is_empty());
    assert_eq!(
        interviewed.clone().count(),
        guide::count(f.competencies.len(), &fixture.selection.interview)
    );
    assert!(interviewed.clone().any(|c| c.kind.is_core()));
    let profile = &f.role_profiles[0];
    assert_eq!(profile.targets.len(), f.competencies.len());
    for t in &profile.targets {
        let c = f.competency(&t.competency).unwrap();
        let expected = if c.kind.is_core() { 3 } else { 4 };
        assert_eq!(t.level, expected);
        assert!((0.0..=1.0).contains(&t.weight.unwrap()));
        let note = t.note.as_deref().unwrap();
        assert!(plain(note), "{note}");
        assert!(t.details.as_deref().unwrap().contains("Weight"));
    }
    let names: Vec<&str> = f.competencies.iter().map(|c| c.name.as_str()).collect();
    assert!(
        names.contains(&"Artificial Intelligence and Machine Learning"),
        "{names:?}"
    );
    let findings = lint::lint(f, &fixture.vocabulary, &LintLimits::default());
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_competency_not_rated_at_the_grade_says_why_it_is_there() {
    let fixture = Fixture::opm();
    let f = run(&ml_engineer(), &fixture).framework;
    let ai = f
        .competency("artificial-intelligence-and-machine-learning")
        .unwrap();
    let rationale = ai.rationale.as_deref().unwrap();
    assert!(
        rationale.contains(
            "does not rate it at GS-13; it is here because the role's own words point to it"
        ),
        "{rationale}"
    );
    assert!(rationale.contains("“machin"), "{rationale}");
    assert!(plain(rationale), "{rationale}");
    let evidence = ai.evidence.as_ref().unwrap();
    assert_eq!(evidence.grade_mark, Some(GradeMark::NotRated));
    assert!(
        evidence
            .matches
            .iter()
            .any(|m| m.word.starts_with("machin"))
    );
}

/// No scores, decimals, file paths or ids in text people read.
fn plain(text: &str) -> bool {
    let decimal = text
        .as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit());
    !decimal
        && !text.contains("score")
        && !text.contains(".toml")
        && !text.contains(" id ")
        && !text.contains('=')
}

#[test]
fn no_left_out_competency_outscores_a_chosen_one_of_its_group() {
    let fixture = Fixture::opm();
    for role in [
        ml_engineer(),
        Role {
            grade: Grade::new(15),
            ..ml_engineer()
        },
    ] {
        let f = run(&role, &fixture).framework;
        let provenance = f.provenance.as_ref().unwrap();
        assert!(!provenance.left_out.is_empty());
        for left in &provenance.left_out {
            let Some(score) = left.final_score else {
                assert!(
                    left.reason.contains("request") || left.reason.contains("overlap"),
                    "{left:?}"
                );
                continue;
            };
            let lowest = f
                .competencies
                .iter()
                .filter(|c| c.group.as_deref() == Some(left.group.as_str()))
                .filter_map(|c| c.evidence.as_ref().and_then(|e| e.final_score))
                .fold(f64::INFINITY, f64::min);
            assert!(score <= lowest, "{left:?} above {lowest}");
            assert!(plain(&left.reason), "{}", left.reason);
        }
        let method = provenance.method.as_deref().unwrap();
        assert!(plain(method), "{method}");
    }
}

#[test]
fn confirmed_competencies_left_out_are_listed_with_the_reason() {
    let fixture = Fixture::opm();
    let f = run(&ml_engineer(), &fixture).framework;
    let method = f.provenance.unwrap().method.unwrap();
    assert!(
        method.contains("Left out although OPM confirms them at GS-13"),
        "{method}"
    );
}

#[test]
fn reading_and_reading_comprehension_are_never_both_chosen() {
    let fixture = Fixture::opm();
    let role = Role {
        title: "Reading specialist".into(),
        tasks: vec!["Reading comprehension of written text and reading of documents".into()],
        grade: Grade::new(12),
        ..Role::default()
    };
    let f = run(&role, &fixture).framework;
    let both = f.competency("reading").is_some() && f.competency("reading-comprehension").is_some();
    assert!(!both);
    let method = f.provenance.unwrap().method.unwrap();
    assert!(method.contains("the same definition"), "{method}");
}

#[test]
fn includes_and_excludes_are_honoured_and_checked() {
    let fixture = Fixture::opm();
    let mut role = ml_engineer();
    role.include = vec!["Teaching Others".into()];
    role.exclude = vec!["data-analysis".into()];
    let f = run(&role, &fixture).framework;
    assert!(f.competency("teaching-others").is_some());
    assert!(f.competency("data-analysis").is_none());
    let rationale = f
        .competency("teaching-others")
        .unwrap()
        .rationale
        .clone()
        .unwrap();
    assert!(rationale.starts_with("You asked for it."), "{rationale}");
    assert!(
        rationale.contains("does not rate it at GS-13; it is here because you asked for it"),
        "{rationale}"
    );
    let provenance = f.provenance.unwrap();
    let method = provenance.method.unwrap();
    assert!(
        method.contains("Left out: Data Analysis. Excluded at your request."),
        "{method}"
    );
    assert!(
        provenance
            .left_out
            .iter()
            .any(|l| l.source.id == "data-analysis" && l.final_score.is_none())
    );

    role.include = vec!["Teamwrok".into()];
    let error = generate(&role, &fixture.inputs(&OverlapRanker), &Options::default()).unwrap_err();
    assert!(
        error.to_string().contains("--include \"Teamwrok\""),
        "{error}"
    );

    role.include = vec!["Reading".into(), "Reading Comprehension".into()];
    let error = generate(&role, &fixture.inputs(&OverlapRanker), &Options::default()).unwrap_err();
    assert!(
        matches!(error, GenerateError::OverlappingIncludes { .. }),
        "{error}"
    );

    role.include = vec!["Teamwork".into()];
    role.exclude = vec!["teamwork".into()];
    let error = generate(&role, &fixture.inputs(&OverlapRanker), &Options::default()).unwrap_err();
    assert!(
        matches!(error, GenerateError::IncludedAndExcluded(_)),
        "{error}"
    );
}

#[test]
fn a_target_count_is_met_exactly() {
    let fixture = Fixture::opm();
    for count in 6..=12 {
        let role = Role {
            target_count: Some(count),
            ..ml_engineer()
        };
        let f = run(&role, &fixture).framework;
        assert_eq!(f.competencies.len(), count);
    }
}

#[test]
fn bad_roles_are_refused_with_a_reason() {
    let fixture = Fixture::opm();
    let inputs = fixture.inputs(&OverlapRanker);
    let cases = [
        (
            Role {
                title: "  ".into(),
                ..Role::default()
            },
            "needs a title",
        ),
        (
            Role {
                target_count: Some(13),
                ..ml_engineer()
            },
            "6 to 12",
        ),
        (
            Role {
                level: Some(6),
                grade: None,
                ..ml_engineer()
            },
            "1 to 5",
        ),
        (
            Role {
                level: Some(3),
                ..ml_engineer()
            },
            "not both",
        ),
    ];
    for (role, message) in cases {
        let error = generate(&role, &inputs, &Options::default()).unwrap_err();
        assert!(error.to_string().contains(message), "{error}");
    }
}

#[test]
fn output_is_deterministic_and_timestamps_only_when_asked() {
    let fixture = Fixture::opm();
    let a = run(&ml_engineer(), &fixture).framework;
    let b = run(&ml_engineer(), &fixture).framework;
    assert_eq!(a, b);
    let provenance = a.provenance.as_ref().unwrap();
    assert_eq!(provenance.generated_at, None);
    assert_eq!(provenance.role.as_ref().unwrap(), &ml_engineer());
    assert_eq!(provenance.generator, GENERATOR);
    assert_eq!(a.review, ReviewDates::default());
    let options = Options {
        generated_at: Some("2026-11-20T10:00:00Z".into()),
        review_from: Some(time::macros::date!(2026 - 11 - 20)),
    };
    let c = generate(&ml_engineer(), &fixture.inputs(&OverlapRanker), &options).unwrap();
    let provenance = c.framework.provenance.unwrap();
    assert_eq!(
        provenance.generated_at.as_deref(),
        Some("2026-11-20T10:00:00Z")
    );
    assert_eq!(
        c.framework.review.next_review,
        Some(time::macros::date!(2027 - 11 - 20))
    );
}

#[test]
fn curated_content_is_used_where_complete_and_templates_elsewhere() {
    let mut fixture = Fixture::opm();
    let mut library = ContentLibrary::empty("opm-ai-2024", "Framewright authors, Apache-2.0");
    let mut indicators = String::new();
    for level in 1..=5 {
        indicators.push_str(&format!(
            "[[competency.level]]\nlevel = {level}\ndescription = \"Level {level} of problem solving.\"\nindicators = [\"Identifies problem {level} in a routine case.\", \"Describes cause {level} to the team.\"]\n"
        ));
    }
    library
        .add_indicators(
            &format!("[[competency]]\nid = \"problem-solving\"\n{indicators}"),
            "fixture.toml",
        )
        .unwrap();
    fixture.libraries.push(library);
    let role = Role {
        include: vec!["problem-solving".into()],
        ..ml_engineer()
    };
    let f = run(&role, &fixture).framework;
    let ps = f.competency("problem-solving").unwrap();
    assert!(ps.levels.iter().all(|l| !l.draft));
    assert_eq!(
        ps.levels[0].indicators[0],
        "Identifies problem 1 in a routine case."
    );
    // No interview in the fixture library: templates, marked in the notes — when the guide
    // covers it at all.
    assert_eq!(
        ps.notes.iter().any(|n| n.contains("interview questions")),
        !ps.interview.is_empty()
    );
    let others: Vec<_> = f
        .competencies
        .iter()
        .filter(|c| c.id != "problem-solving")
        .collect();
    assert!(others.iter().all(|c| c.levels.iter().all(|l| l.draft)));
    let sources: Vec<&str> = f.sources.iter().map(|s| s.catalogue.as_str()).collect();
    assert_eq!(
        sources,
        [
            "opm-ai-2024",
            "framewright-content-opm-ai-2024",
            "framewright-templates"
        ]
    );
}

#[test]
fn a_catalogue_without_general_competencies_still_gives_a_clean_framework() {
    let mut fixture = Fixture::opm();
    let mut catalogue = fixture.catalogues[0].clone();
    catalogue.id = "skills".into();
    catalogue.name = "Skills".into();
    catalogue.competencies = (0..15)
        .map(|i| {
            let mut c = Competency::new(
                format!("s{i}"),
                format!("Skill number {i} in data work"),
                CompetencyKind::Skill,
            );
            c.definition = Some(format!("Uses tool {i} to prepare data."));
            c
        })
        .collect();
    catalogue.notes.clear();
    fixture.catalogues = vec![catalogue];
    let generated = run(&ml_engineer(), &fixture);
    let f = &generated.framework;
    assert_eq!(f.core_count(), 0);
    assert!(
        (6..=7).contains(&f.functional_count()),
        "{}",
        f.functional_count()
    );
    assert!(!generated.notices.is_empty());
    assert!(
        f.competencies
            .iter()
            .all(|c| c.levels.iter().all(|l| l.draft))
    );
    let findings = lint::lint(f, &fixture.vocabulary, &LintLimits::default());
    assert!(!lint::has_errors(&findings));
}

#[test]
fn same_names_in_two_catalogues_get_distinct_ids_or_are_skipped_as_overlaps() {
    let mut fixture = Fixture::opm();
    let mut other = fixture.catalogues[0].clone();
    other.id = "copy".into();
    other.name = "Copy".into();
    fixture.catalogues.push(other);
    let f = run(&ml_engineer(), &fixture).framework;
    let ids: BTreeSet<&str> = f.competencies.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), f.competencies.len());
    assert!(
        f.competencies
            .iter()
            .all(|c| c.source.as_ref().unwrap().catalogue == "opm-ai-2024")
    );
}

#[test]
fn composed_and_curated_content_draws_no_indicator_warnings_from_lint() {
    let mut fixture = Fixture::opm();
    fixture
        .libraries
        .push(ContentLibrary::opm_builtin().unwrap());
    for role in [
        ml_engineer(),
        Role {
            title: "HR Specialist".into(),
            grade: Grade::new(11),
            ..Role::default()
        },
    ] {
        let f = run(&role, &fixture).framework;
        let findings = lint::lint(&f, &fixture.vocabulary, &LintLimits::default());
        let about_indicators: Vec<_> = findings
            .iter()
            .filter(|x| x.path.to_string().starts_with("competencies"))
            .filter(|x| x.code != "definition-missing")
            .collect();
        assert!(about_indicators.is_empty(), "{about_indicators:#?}");
    }
}

#[test]
fn installed_onet_ratings_add_cited_evidence_and_the_closest_occupation_is_named() {
    let fixture = Fixture::opm();
    let role = Role {
        title: "Data Scientist".into(),
        description: Some("Builds statistical and machine learning models from data.".into()),
        grade: Some(Grade::new(13).unwrap()),
        ..Role::default()
    };
    let plain = generate(&role, &fixture.inputs(&OverlapRanker), &Options::default()).unwrap();
    for with_ratings in [false, true] {
        let reference = crate::onet::tests::reference(with_ratings);
        let mut inputs = fixture.inputs(&OverlapRanker);
        inputs.onet = Some(OnetInput {
            reference: &reference,
            exclude: &[],
        });
        let generated = generate(&role, &inputs, &Options::default()).unwrap();
        let method = generated
            .framework
            .provenance
            .as_ref()
            .unwrap()
            .method
            .clone()
            .unwrap();
        assert!(method.contains("Closest O*NET occupation: Data Scientists (15-2051.00)"));
        assert!(
            generated
                .framework
                .sources
                .iter()
                .any(|s| s.catalogue == "onet-29.2")
        );
        let onet = generated.onet.clone().unwrap();
        let cited: Vec<&str> = generated
            .framework
            .competencies
            .iter()
            .filter_map(|c| c.rationale.as_deref())
            .filter(|r| r.contains("O*NET rates"))
            .collect();
        if with_ratings {
            assert!(!onet.competencies.is_empty());
            assert!(!cited.is_empty(), "no rationale cites O*NET");
        } else {
            // Without ratings the occupations are named only: the same competencies.
            assert!(cited.is_empty());
            let names = |g: &Generated| -> Vec<String> {
                g.framework
                    .competencies
                    .iter()
                    .map(|c| c.name.clone())
                    .collect()
            };
            assert_eq!(names(&generated), names(&plain));
        }
    }
}
