//! Frameworks shared by the interop tests: a rich hand-made one that uses every field, and a
//! proptest strategy for valid frameworks of any shape.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use framewright_model::framework::{CompetencySource, ReviewDates, Status};
use framewright_model::{
    CompetencyKind, Framework, FrameworkCompetency, Grade, GradeMark, Group, ImportanceRank,
    InterviewQuestion, LevelContent, ProficiencyLevel, ProficiencyScale, Provenance, Relation,
    RelationType, Role, RoleProfile, SourceRef, Target,
};
use proptest::prelude::*;

pub fn opm_scale() -> ProficiencyScale {
    framewright_catalog::opm_five_level().unwrap()
}

/// A framework that uses every field the model has.
pub fn rich_framework() -> Framework {
    let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
    let mut f = Framework::new(
        "ml-engineer",
        "Machine Learning Engineer (GS-13)",
        opm_scale(),
    );
    f.version = semver::Version::parse("1.2.0-rc.1").unwrap();
    f.status = Status::InReview;
    f.description = Some("Competencies for machine learning engineers at GS-13.".into());
    f.owner = Some("Office of the Chief AI Officer".into());
    f.licence = Some("CC BY 4.0".into());
    f.review = ReviewDates {
        last_reviewed: Some(time::macros::date!(2026 - 01 - 15)),
        next_review: Some(time::macros::date!(2027 - 01 - 15)),
        next_major_update: None,
    };
    f.provenance = Some(Provenance {
        details: Vec::new(),
        left_out: Vec::new(),
        generator: "framewright 0.1.0".into(),
        method: Some("deterministic selection".into()),
        matching: None,
        role: Some(Role {
            title: "Machine Learning Engineer".into(),
            grade: Some("GS-13".parse().unwrap()),
            tasks: vec!["Trains models".into()],
            ..Role::default()
        }),
        generated_at: None,
    });
    f.sources = vec![SourceRef {
        catalogue: opm.id.clone(),
        name: opm.name.clone(),
        licence: Some(opm.licence.clone()),
        attribution: opm.attribution.clone(),
        url: opm.url.clone(),
    }];
    f.groups = vec![
        Group {
            id: "core".into(),
            name: "Core".into(),
            description: Some("For everyone in the role family.".into()),
            parent: None,
        },
        Group {
            id: "functional".into(),
            name: "Functional".into(),
            description: None,
            parent: None,
        },
        Group {
            id: "ml".into(),
            name: "Machine learning".into(),
            description: Some("Building and running models.".into()),
            parent: Some("functional".into()),
        },
    ];
    let pick = |id: &str, group: Option<&str>| {
        let c = opm.find(id).unwrap();
        let mut fc = FrameworkCompetency::new(c.id.clone(), c.name.clone(), c.kind);
        fc.group = group.map(str::to_string);
        fc.definition = c.definition.clone();
        fc.alt_labels = c.alt_labels.clone();
        fc.grades = c.grades.clone();
        fc.importance_rank = c.importance_rank;
        fc.source = Some(CompetencySource {
            catalogue: opm.id.clone(),
            id: c.id.clone(),
            uri: None,
        });
        fc
    };
    let mut accountability = pick("accountability", Some("core"));
    accountability.rationale = Some("Confirmed at GS-13 (OPM general table).".into());
    accountability.notes = vec!["Reviewed by the panel.".into()];
    accountability.levels = vec![
        LevelContent {
            level: 1,
            description: Some("Follows set procedures.".into()),
            indicators: vec!["Logs their own work".into(), "Reports errors".into()],
            draft: true,
        },
        LevelContent {
            level: 3,
            description: None,
            indicators: vec!["Owns the outcome of a whole project".into()],
            draft: false,
        },
        LevelContent {
            level: 5,
            description: Some(String::new()),
            indicators: Vec::new(),
            draft: false,
        },
    ];
    accountability.interview = vec![InterviewQuestion {
        question: "Tell me about a time you owned a mistake.".into(),
        follow_up: Some("What changed afterwards?".into()),
        anchors: BTreeMap::from([
            (1, "Blames others".into()),
            (3, "Owns it".into()),
            (5, "Owns it and fixes the process".into()),
        ]),
    }];
    let attention = pick("attention-to-detail", Some("core"));
    let mut ml = FrameworkCompetency::new("ml-ops", "MLOps", CompetencyKind::Technical);
    ml.group = Some("ml".into());
    ml.alt_labels = vec!["Machine learning operations".into()];
    ml.grades = BTreeMap::from([(Grade::new(13).unwrap(), GradeMark::NotRated)]);
    ml.importance_rank = Some(ImportanceRank {
        current: None,
        future: Some(4),
    });
    ml.levels = vec![LevelContent {
        level: 2,
        description: Some("Deploys a model with a checklist.".into()),
        indicators: vec!["Uses the team's pipeline".into()],
        draft: false,
    }];
    let mut py = FrameworkCompetency::new("python", "Python", CompetencyKind::Skill);
    py.definition = Some("Writes, tests and maintains Python code.".into());
    let comp = pick("computer-skills", Some("core"));
    let mut stats = FrameworkCompetency::new("statistics", "Statistics", CompetencyKind::Knowledge);
    stats.group = Some("ml".into());
    let reasoning = FrameworkCompetency::new("reasoning", "Reasoning", CompetencyKind::Ability);
    let mut other = FrameworkCompetency::new("ethics", "AI ethics", CompetencyKind::Unspecified);
    other.group = Some("functional".into());
    // Interleaved groups: core, ml, (none), core, ml, …
    f.competencies = vec![
        accountability,
        ml,
        py,
        attention,
        stats,
        comp,
        reasoning,
        other,
    ];
    f.role_profiles = vec![
        RoleProfile {
            id: "mle-13".into(),
            title: "ML Engineer".into(),
            job_family: Some("AI".into()),
            grade: Some(Grade::new(13).unwrap()),
            level: None,
            description: Some("Builds models.".into()),
            targets: vec![
                Target {
                    details: None,
                    competency: "accountability".into(),
                    level: 3,
                    weight: Some(0.8),
                    note: Some("critical".into()),
                },
                Target {
                    details: None,
                    competency: "ml-ops".into(),
                    level: 4,
                    weight: Some(0.1234567890123),
                    note: None,
                },
            ],
        },
        RoleProfile {
            id: "lead".into(),
            title: "Lead".into(),
            job_family: None,
            grade: None,
            level: Some(4),
            description: None,
            targets: Vec::new(),
        },
    ];
    f.relations = vec![
        Relation {
            from: "python".into(),
            to: "ml-ops".into(),
            kind: RelationType::Prerequisite,
            external: false,
            note: Some("deploying needs code".into()),
        },
        Relation {
            from: "statistics".into(),
            to: "ml-ops".into(),
            kind: RelationType::Broader,
            external: false,
            note: None,
        },
        Relation {
            from: "ml-ops".into(),
            to: "python".into(),
            kind: RelationType::Narrower,
            external: false,
            note: None,
        },
        Relation {
            from: "accountability".into(),
            to: "attention-to-detail".into(),
            kind: RelationType::Related,
            external: false,
            note: None,
        },
        Relation {
            from: "python".into(),
            to: "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d".into(),
            kind: RelationType::ExactMatch,
            external: true,
            note: None,
        },
        Relation {
            from: "ml-ops".into(),
            to: "NICE K1234".into(),
            kind: RelationType::CloseMatch,
            external: true,
            note: None,
        },
        Relation {
            from: "reasoning".into(),
            to: "ethics".into(),
            kind: RelationType::Custom("informs decisions".into()),
            external: false,
            note: None,
        },
        Relation {
            from: "ethics".into(),
            to: "reasoning".into(),
            kind: RelationType::ReplacedBy,
            external: false,
            note: None,
        },
    ];
    framewright_model::validate::validate(&f).unwrap();
    f
}

/// A framework with only CASE-native relation types (for the verbatim schema).
pub fn plain_framework() -> Framework {
    let mut f = rich_framework();
    f.relations
        .retain(|r| !matches!(r.kind, RelationType::CloseMatch | RelationType::Custom(_)));
    f
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9 ,.'()-]{0,30}",
        "\\PC{1,20}",
        Just("Ünïcødé — “quoted” <b>&amp;</b>\nsecond line".to_string()),
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn kind() -> impl Strategy<Value = CompetencyKind> {
    prop_oneof![
        Just(CompetencyKind::General),
        Just(CompetencyKind::Technical),
        Just(CompetencyKind::Knowledge),
        Just(CompetencyKind::Skill),
        Just(CompetencyKind::Ability),
        Just(CompetencyKind::Unspecified),
    ]
}

/// Valid frameworks of any shape: nested groups, competencies in or out of groups, levels on
/// scales of 1–7 levels, role profiles, relations of every type (acyclic where required).
pub fn any_framework() -> impl Strategy<Value = Framework> {
    (
        1usize..=7,
        0usize..=4,
        1usize..=8,
        any::<u64>(),
        text(),
        opt_text(),
        opt_text(),
    )
        .prop_flat_map(|(levels, groups, comps, seed, title, description, owner)| {
            (
                Just((levels, groups, comps, seed, title, description, owner)),
                proptest::collection::vec(
                    (text(), opt_text(), proptest::option::of(0usize..8)),
                    groups,
                ),
                proptest::collection::vec(
                    (
                        text(),
                        kind(),
                        opt_text(),
                        proptest::collection::vec(text(), 0..3),
                        proptest::option::of(0usize..8),
                        proptest::collection::vec(
                            (
                                1u8..=7,
                                opt_text(),
                                proptest::collection::vec(text(), 0..3),
                                any::<bool>(),
                            ),
                            0..4,
                        ),
                        opt_text(),
                        any::<bool>(),
                    ),
                    comps,
                ),
                proptest::collection::vec(
                    (0usize..8, 0usize..8, 0u8..9, any::<bool>(), opt_text()),
                    0..8,
                ),
                proptest::collection::vec(
                    (
                        text(),
                        proptest::collection::vec(
                            (0usize..8, 1u8..=7, proptest::option::of(0.0f64..=1.0)),
                            0..4,
                        ),
                    ),
                    0..3,
                ),
            )
        })
        .prop_map(
            |(
                (levels, _, _, seed, title, description, owner),
                groups,
                comps,
                relations,
                profiles,
            )| {
                let scale = ProficiencyScale {
                    id: "scale".into(),
                    name: "Scale".into(),
                    source: None,
                    levels: (1..=levels as u8)
                        .map(|l| ProficiencyLevel {
                            level: l,
                            name: format!("Level {l}"),
                            description: format!("Description {l}"),
                        })
                        .collect(),
                };
                let mut f = Framework::new(format!("fw-{}", seed % 1000), title, scale);
                f.description = description;
                f.owner = owner;
                f.licence = (seed % 3 == 0).then(|| "Licence text\nwith two lines".to_string());
                f.status = match seed % 4 {
                    0 => Status::Draft,
                    1 => Status::InReview,
                    2 => Status::Published,
                    _ => Status::Retired,
                };
                for (i, (name, description, parent)) in groups.into_iter().enumerate() {
                    // Parents only among earlier groups: no cycles.
                    let parent = parent.filter(|p| *p < i).map(|p| format!("g{p}"));
                    f.groups.push(Group {
                        id: format!("g{i}"),
                        name,
                        description,
                        parent,
                    });
                }
                let group_count = f.groups.len();
                for (i, (name, kind, definition, alt, group, lv, rationale, grade)) in
                    comps.into_iter().enumerate()
                {
                    let mut c = FrameworkCompetency::new(format!("c{i}"), name, kind);
                    c.definition = definition;
                    c.alt_labels = alt;
                    c.group = group.filter(|g| *g < group_count).map(|g| format!("g{g}"));
                    c.rationale = rationale;
                    if grade {
                        c.grades
                            .insert(Grade::new(12).unwrap(), GradeMark::Confirmed);
                        c.importance_rank = Some(ImportanceRank {
                            current: Some(i as u32 + 1),
                            future: None,
                        });
                    }
                    for (level, description, indicators, draft) in lv {
                        if level as usize <= levels && c.level(level).is_none() {
                            c.levels.push(LevelContent {
                                level,
                                description,
                                indicators,
                                draft,
                            });
                        }
                    }
                    // CASE lists a criterion's levels by position: levels come back in scale order.
                    c.levels.sort_by_key(|l| l.level);
                    f.competencies.push(c);
                }
                let n = f.competencies.len();
                for (a, b, kind, external, note) in relations {
                    let (a, b) = (a % n, b % n);
                    let (low, high) = (a.min(b), a.max(b));
                    let (from, to, kind) = match kind {
                        0 if low != high => (low, high, RelationType::Prerequisite),
                        1 if low != high => (low, high, RelationType::Broader),
                        2 if low != high => (high, low, RelationType::Narrower),
                        3 => (a, b, RelationType::Related),
                        4 => (a, b, RelationType::ExactMatch),
                        5 => (a, b, RelationType::CloseMatch),
                        6 if low != high => (low, high, RelationType::ReplacedBy),
                        7 => (a, b, RelationType::Custom("builds on".into())),
                        _ => (a, b, RelationType::Related),
                    };
                    let external = external
                        && matches!(
                            kind,
                            RelationType::ExactMatch
                                | RelationType::CloseMatch
                                | RelationType::Related
                        );
                    f.relations.push(Relation {
                        from: format!("c{from}"),
                        to: if external {
                            format!("https://example.org/items/{to}")
                        } else {
                            format!("c{to}")
                        },
                        kind,
                        external,
                        note,
                    });
                }
                for (i, (title, targets)) in profiles.into_iter().enumerate() {
                    let mut profile = RoleProfile {
                        id: format!("p{i}"),
                        title,
                        job_family: None,
                        grade: None,
                        level: None,
                        description: None,
                        targets: Vec::new(),
                    };
                    for (c, level, weight) in targets {
                        let competency = format!("c{}", c % n);
                        if level as usize <= levels
                            && !profile.targets.iter().any(|t| t.competency == competency)
                        {
                            profile.targets.push(Target {
                                details: None,
                                competency,
                                level,
                                weight,
                                note: None,
                            });
                        }
                    }
                    f.role_profiles.push(profile);
                }
                f
            },
        )
        .prop_filter("valid frameworks only", |f| {
            framewright_model::validate::problems(f).is_empty()
        })
}
