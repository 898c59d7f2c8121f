//! Role type and grade shape the result (issue 14): executives get leadership competencies and
//! direct rather than do technical work; targets progress from grade to grade.

use framewright_generate::{
    ContentLibrary, Generated, Inputs, Options, RoleType, SearchRanker, SelectionSettings,
    TargetMapping, Templates, generate,
};
use framewright_model::{Grade, Role};

fn run(role: &Role) -> Generated {
    let catalogues = vec![framewright_catalog::opm_ai_2024().unwrap().catalogue];
    let libraries: Vec<ContentLibrary> = Vec::new();
    let scale = framewright_catalog::opm_five_level().unwrap();
    let templates = Templates::builtin().unwrap();
    let mapping = TargetMapping::builtin().unwrap();
    let selection = SelectionSettings::builtin().unwrap();
    let vocabulary = framewright_catalog::vocabulary::builtin_vocabulary().unwrap();
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
    generate(role, &inputs, &Options::default()).unwrap()
}

fn role(title: &str, grade: u8, tasks: &[&str]) -> Role {
    Role {
        title: title.into(),
        grade: Grade::new(grade),
        tasks: tasks.iter().map(|t| t.to_string()).collect(),
        ..Role::default()
    }
}

fn targets(g: &Generated) -> Vec<(String, u8)> {
    let profile = &g.framework.role_profiles[0];
    profile
        .targets
        .iter()
        .map(|t| (t.competency.clone(), t.level))
        .collect()
}

#[test]
fn titles_say_whether_a_role_leads_an_organisation_a_team_or_does_the_work() {
    let types = SelectionSettings::builtin().unwrap().role_types;
    let of = |title: &str| types.classify(&role(title, 13, &[]));
    assert_eq!(of("Chief AI Officer"), RoleType::Executive);
    assert_eq!(of("Deputy Director, Data Office"), RoleType::Executive);
    assert_eq!(
        of("Supervisory Data Scientist, AI Branch Chief"),
        RoleType::Supervisor
    );
    assert_eq!(of("Machine Learning Engineer"), RoleType::Practitioner);
    assert_eq!(of("AI Program Manager"), RoleType::Practitioner);
    assert_eq!(of("Contracting Officer"), RoleType::Practitioner);
}

#[test]
fn the_leadership_competencies_point_to_the_built_in_catalogue() {
    let types = SelectionSettings::builtin().unwrap().role_types;
    let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
    for id in types
        .executive
        .leadership
        .iter()
        .chain(&types.supervisor.leadership)
    {
        assert!(opm.find(id).is_some(), "{id}");
    }
}

#[test]
fn an_executive_directs_technical_work_and_gets_more_leadership_competencies() {
    let g = run(&role(
        "Chief AI Officer",
        15,
        &[
            "Decide which AI investments the agency funds",
            "Oversee testing and validation of rights-impacting AI",
        ],
    ));
    let core = g
        .framework
        .competencies
        .iter()
        .filter(|c| c.group.as_deref() == Some("core"))
        .count();
    assert!(core >= 6, "{core} core competencies");
    let functional: Vec<String> = g
        .framework
        .competencies
        .iter()
        .filter(|c| c.group.as_deref() == Some("functional"))
        .map(|c| c.id.clone())
        .collect();
    for (id, level) in targets(&g) {
        if functional.contains(&id) {
            assert!(level <= 3, "{id} at level {level}");
        }
    }
    // Without the cap, GS-15 functional targets are Expert (5).
    let engineer = run(&role(
        "Machine Learning Engineer",
        15,
        &["Test and validate machine learning models"],
    ));
    assert!(targets(&engineer).iter().any(|(_, level)| *level == 5));
}

#[test]
fn gs_12_asks_more_of_the_roles_central_competencies_than_gs_11() {
    let tasks = [
        "Build statistical models",
        "Clean and analyze program data",
        "Explain results to non-technical staff",
    ];
    let gs11 = targets(&run(&role("Data Scientist", 11, &tasks)));
    let gs12 = targets(&run(&role("Data Scientist", 12, &tasks)));
    assert_ne!(gs11, gs12);
    let total = |t: &[(String, u8)]| t.iter().map(|(_, l)| u32::from(*l)).sum::<u32>();
    assert!(total(&gs12) > total(&gs11), "{gs11:?} {gs12:?}");
}
