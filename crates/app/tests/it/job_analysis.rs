//! `framewright_app::job_analysis` on every backend: the whole flow from creating an analysis
//! to adverse impact, role checks and organisation scope, rating files located by file, row
//! and column with nothing stored, the closed survey, and the pure file readers the CLI shares.

use framewright_app::job_analysis::{
    self as ja, CompetencySuggester, rating_files, rating_files::Completion,
};
use framewright_app::{Actor, AppError, AppResult};
use framewright_hiring::AnalysisParameters;
use framewright_hiring::applicants::{Category, CategoryScheme};
use framewright_hiring::cutscore::AngoffJudgement;
use framewright_hiring::impact::ImpactOptions;
use framewright_hiring::survey::JobAnalysis;
use framewright_model::Framework;
use framewright_model::role::Role as JobRole;
use framewright_store::testing::{self, TestStore};
use framewright_store::{NewAccount, Role, Store};

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

/// Runs `scenario` on every backend.
macro_rules! each_backend {
    ($name:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for backend in testing::all().await.expect("test store") {
                eprintln!("{} on {}", stringify!($name), backend.label);
                scenarios::$name(&backend).await;
                backend.cleanup().await;
            }
        }
    };
}

each_backend!(the_whole_flow_with_role_checks_and_organisation_scope);
each_backend!(rating_files_are_located_and_a_closed_survey_takes_nothing);
each_backend!(hiring_steps_from_cut_score_to_adverse_impact);
each_backend!(the_inventory_takes_suggestions_and_keeps_rated_items);

fn account(org: &str, email: &str) -> NewAccount {
    NewAccount {
        org_slug: org.into(),
        org_name: org.to_uppercase(),
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        password_hash: HASH.into(),
    }
}

/// A designer of organisation `alpha` and an owner of `beta`.
async fn actors(store: &dyn Store) -> (Actor, Actor) {
    let (a_org, a_user) = store
        .setup_first_owner(account("alpha", "ann@alpha.test"))
        .await
        .unwrap();
    let (b_org, b_user) = store
        .admin_create_user(account("beta", "bob@beta.test"), Role::Owner)
        .await
        .unwrap();
    let alpha = Actor {
        user_id: a_user.id,
        org_id: a_org.id,
        role: Role::Designer,
    };
    let beta = Actor {
        user_id: b_user.id,
        org_id: b_org.id,
        role: Role::Owner,
    };
    (alpha, beta)
}

fn viewer(actor: &Actor) -> Actor {
    Actor {
        role: Role::Viewer,
        ..actor.clone()
    }
}

fn task(statement: &str) -> ja::TaskInput {
    ja::TaskInput {
        id: None,
        statement: statement.into(),
    }
}

fn competency(id: &str, name: &str) -> ja::CompetencyInput {
    ja::CompetencyInput {
        id: id.into(),
        name: Some(name.into()),
        definition: None,
    }
}

fn new_analysis() -> ja::NewAnalysisInput {
    ja::NewAnalysisInput {
        title: "AI Research Scientist, GS-14".into(),
        grade: Some("GS-14".into()),
        series: Some("1550".into()),
        tasks: vec![
            task("Designs experiments to evaluate model robustness"),
            task("Publishes research findings"),
        ],
        competencies: vec![
            competency("ml", "Machine Learning"),
            competency("stats", "Statistics"),
        ],
        analyst: Some("Ann Analyst".into()),
        ..Default::default()
    }
}

fn answers(importance: u8, linked: bool) -> ja::SurveyAnswers {
    let task = |t: &str| ja::SurveyTaskAnswer {
        task: t.into(),
        importance: Some(importance),
        frequency: Some(importance),
    };
    let comp = |c: &str| ja::SurveyCompetencyAnswer {
        competency: c.into(),
        importance: Some(importance),
        needed_at_entry: Some(true),
        distinguishing_value: None,
    };
    let link = |t: &str, c: &str| ja::SurveyLink {
        task: t.into(),
        competency: c.into(),
        linked,
    };
    ja::SurveyAnswers {
        tasks: vec![task("T01"), task("T02")],
        competencies: vec![comp("ml"), comp("stats")],
        linkage: vec![link("T01", "ml"), link("T02", "stats")],
    }
}

fn pointer(error: &AppError) -> &str {
    match error {
        AppError::Invalid { issues, .. } => &issues[0].pointer,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

/// A generator that always drafts the same two competencies.
struct FixedGenerator;

impl CompetencySuggester for FixedGenerator {
    async fn suggest(&self, role: JobRole) -> AppResult<Framework> {
        assert!(!role.tasks.is_empty());
        let mut framework: Framework = serde_json::from_value(serde_json::json!({
            "format": "framewright/1",
            "id": "draft",
            "title": "Draft",
            "version": "0.1.0",
            "status": "draft",
            "scale": { "id": "s", "name": "S", "levels": [
                { "level": 1, "name": "One", "description": "The first level." }
            ] },
            "competencies": [
                { "id": "ml", "name": "Machine Learning", "kind": "technical", "definition": "Builds models." },
                { "id": "writing", "name": "Writing", "kind": "general", "definition": "Writes clearly." }
            ]
        }))
        .unwrap();
        framework.title = role.title;
        Ok(framework)
    }
}

const TASKS_CSV: &str = "sme_id,task_id,importance,frequency\n\
    S1,T01,4,4\nS2,T01,5,4\nS3,T01,4,3\n\
    S1,T02,3,3\nS2,T02,4,3\nS3,T02,2,3\n";
const COMPETENCIES_CSV: &str = "sme_id,competency_id,importance,needed_at_entry\n\
    S1,ml,5,yes\nS2,ml,4,yes\nS3,ml,4,no\n\
    S1,stats,3,yes\nS2,stats,3,no\nS3,stats,2,no\n";
const LINKAGE_CSV: &str = "sme_id,task_id,competency_id,linked\n\
    S1,T01,ml,yes\nS2,T01,ml,yes\nS3,T01,ml,no\n";

mod scenarios {
    use super::*;

    pub async fn the_whole_flow_with_role_checks_and_organisation_scope(backend: &TestStore) {
        let store = &*backend.store;
        let (alpha, beta) = actors(store).await;

        // A viewer may read but not create; an empty title names its field.
        let refused = ja::create(store, &viewer(&alpha), new_analysis()).await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );
        let untitled = ja::NewAnalysisInput {
            title: " ".into(),
            ..new_analysis()
        };
        let error = ja::create(store, &alpha, untitled).await.unwrap_err();
        assert_eq!(pointer(&error), "/title");
        let twice = ja::NewAnalysisInput {
            tasks: vec![
                ja::TaskInput {
                    id: Some("T1".into()),
                    statement: "A".into(),
                },
                ja::TaskInput {
                    id: Some("T1".into()),
                    statement: String::new(),
                },
            ],
            ..new_analysis()
        };
        let error = ja::create(store, &alpha, twice).await.unwrap_err();
        let AppError::Invalid { detail, issues } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(issues.len(), 2);
        assert!(
            detail.contains("2 problem(s), first at /tasks/1/statement"),
            "{detail}"
        );

        let created = ja::create(store, &alpha, new_analysis()).await.unwrap();
        let id = created.record.id;
        assert_eq!(created.record.job.tasks[0].id, "T01");
        assert_eq!(created.record.job.analyst.as_deref(), Some("Ann Analyst"));

        // Another organisation sees nothing of it.
        let hidden = ja::get(store, &beta, id).await;
        assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");
        assert_eq!(
            ja::list(store, &beta, framewright_store::PageRequest::first(10))
                .await
                .unwrap()
                .total,
            0
        );
        let invite_elsewhere = ja::invite(store, &beta, id, vec![ja::InviteInput::default()]).await;
        assert!(matches!(invite_elsewhere, Err(AppError::NotFound(_))));

        // Three SMEs; each link opens its own survey, and an unknown one opens nothing.
        let invited = ja::invite(store, &alpha, id, vec![ja::InviteInput::default(); 3])
            .await
            .unwrap();
        assert_eq!(invited[0].label, "SME-1");
        assert_eq!(invited[0].link, format!("/survey/{}", invited[0].token));
        let unknown = ja::survey_access(store, &"0".repeat(64)).await;
        assert!(matches!(unknown, Err(AppError::NotFound(_))));
        let access = ja::survey_access(store, &invited[1].token).await.unwrap();
        let survey = ja::survey(store, &access).await.unwrap();
        assert_eq!(survey.sme, "SME-2");
        assert_eq!(survey.scales.task_importance.anchors.len(), 6);

        // An answer off the scale is named by its pointer; good answers are saved.
        let mut wrong = answers(4, true);
        wrong.tasks[0].importance = Some(9);
        let error = ja::save_survey(store, &invited[0].token, wrong)
            .await
            .unwrap_err();
        assert_eq!(pointer(&error), "/tasks/0/importance");
        for (i, sme) in invited.iter().enumerate() {
            let importance = if i == 2 { 3 } else { 4 };
            ja::save_survey(store, &sme.token, answers(importance, true))
                .await
                .unwrap();
        }
        let view = ja::get(store, &viewer(&alpha), id).await.unwrap();
        assert_eq!(view.responded(), 3);

        // Closing: not by a viewer; then links take no answers.
        let refused = ja::close_survey(store, &viewer(&alpha), id).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))));
        let closed = ja::close_survey(store, &alpha, id).await.unwrap();
        assert_eq!(closed.record.status.as_str(), "closed");
        let late = ja::save_survey(store, &invited[0].token, answers(4, true)).await;
        assert!(
            matches!(&late, Err(AppError::Conflict(d)) if d == ja::SURVEY_CLOSED),
            "{late:?}"
        );
        let again = ja::close_survey(store, &alpha, id).await;
        assert!(matches!(&again, Err(AppError::Conflict(d)) if d == ja::SURVEY_CLOSED));

        // The analysis and the report.
        let (_, analysis) = ja::analysis(store, &viewer(&alpha), id).await.unwrap();
        let t1 = analysis.tasks.iter().find(|t| t.id == "T01").unwrap();
        assert!(t1.critical);
        assert_eq!(analysis.participation.panel, 3);
        let today = time::macros::date!(2026 - 12 - 07);
        let report = ja::report(store, &viewer(&alpha), id, today).await.unwrap();
        assert_eq!(
            report.summary.tasks_critical,
            analysis.tasks.iter().filter(|t| t.critical).count()
        );

        // Deleting: not by a viewer, not from another organisation.
        assert!(matches!(
            ja::delete(store, &viewer(&alpha), id).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(ja::delete(store, &beta, id).await.is_err());
        ja::delete(store, &alpha, id).await.unwrap();
        assert!(matches!(
            ja::get(store, &alpha, id).await,
            Err(AppError::NotFound(_))
        ));
    }

    pub async fn rating_files_are_located_and_a_closed_survey_takes_nothing(backend: &TestStore) {
        let store = &*backend.store;
        let (alpha, _) = actors(store).await;
        let id = ja::create(store, &alpha, new_analysis())
            .await
            .unwrap()
            .record
            .id;
        let input = |tasks: &str| ja::RatingCsvInput {
            tasks_csv: tasks.into(),
            competencies_csv: COMPETENCIES_CSV.into(),
            linkage_csv: Some(LINKAGE_CSV.into()),
        };

        // Importance 7 on data row 2 (line 3): located, coded as a file problem, nothing stored.
        let bad = TASKS_CSV.replacen("S2,T01,5,4", "S2,T01,7,4", 1);
        let error = ja::import_ratings(store, &alpha, id, input(&bad))
            .await
            .unwrap_err();
        assert!(rating_files::is_file_error(&error), "{error:?}");
        assert_eq!(pointer(&error), "tasks_csv/row/2/importance");
        let AppError::Invalid { issues, .. } = &error else {
            unreachable!()
        };
        assert!(issues[0].detail.contains("line 3"), "{}", issues[0].detail);
        // An unknown task is located in its file too.
        let unknown = TASKS_CSV.replacen("S3,T02,2,3", "S3,T09,2,3", 1);
        let error = ja::import_ratings(store, &alpha, id, input(&unknown))
            .await
            .unwrap_err();
        assert_eq!(pointer(&error), "tasks_csv/row/6/task_id");
        assert!(
            ja::ratings(store, &alpha, id)
                .await
                .unwrap()
                .tasks
                .is_empty()
        );

        // A reviewer may not import; a designer may, and the SMEs join the panel.
        let reviewer = Actor {
            role: Role::Reviewer,
            ..alpha.clone()
        };
        assert!(matches!(
            ja::import_ratings(store, &reviewer, id, input(TASKS_CSV)).await,
            Err(AppError::Forbidden(_))
        ));
        let summary = ja::import_ratings(store, &alpha, id, input(TASKS_CSV))
            .await
            .unwrap();
        assert_eq!(
            summary,
            ja::ImportSummary {
                smes: 3,
                task_ratings: 6,
                competency_ratings: 6,
                links: 3
            }
        );
        let panel = ja::smes(store, &alpha, id).await.unwrap();
        assert_eq!(panel.len(), 3);
        assert!(panel.iter().all(|s| !s.has_link));

        // Closed: no import, no invitation, no inventory change.
        ja::close_survey(store, &alpha, id).await.unwrap();
        let closed = |r: &Result<_, AppError>| matches!(r, Err(AppError::Conflict(d)) if d == ja::SURVEY_CLOSED);
        assert!(closed(
            &ja::import_ratings(store, &alpha, id, input(TASKS_CSV))
                .await
                .map(|_| ())
        ));
        assert!(closed(
            &ja::invite(store, &alpha, id, vec![ja::InviteInput::default()])
                .await
                .map(|_| ())
        ));
        let change = ja::set_inventory(
            store,
            &alpha,
            id,
            ja::InventoryInput::default(),
            &FixedGenerator,
        )
        .await;
        assert!(closed(&change.map(|_| ())));
    }

    pub async fn hiring_steps_from_cut_score_to_adverse_impact(backend: &TestStore) {
        let store = &*backend.store;
        let (alpha, beta) = actors(store).await;
        let id = ja::create(store, &alpha, new_analysis())
            .await
            .unwrap()
            .record
            .id;
        let files = ja::RatingCsvInput {
            tasks_csv: TASKS_CSV.into(),
            competencies_csv: COMPETENCIES_CSV.into(),
            linkage_csv: Some(LINKAGE_CSV.into()),
        };
        ja::import_ratings(store, &alpha, id, files).await.unwrap();

        // A blueprint: an unknown method is named; a known one drafts and is checked.
        let unknown = ja::BlueprintInput {
            methods: vec!["palm-reading".into()],
            blueprint: None,
        };
        let error = ja::set_blueprint(store, &alpha, id, unknown)
            .await
            .unwrap_err();
        assert_eq!(pointer(&error), "/methods/0");
        assert!(matches!(
            ja::blueprint(store, &alpha, id).await,
            Err(AppError::NotFound(_))
        ));
        let drafted = ja::BlueprintInput {
            methods: vec!["work-sample".into()],
            blueprint: None,
        };
        let saved = ja::set_blueprint(store, &alpha, id, drafted).await.unwrap();
        let read = ja::blueprint(store, &viewer(&alpha), id).await.unwrap();
        assert_eq!(read.blueprint, saved.blueprint);

        // A cut score, recorded with who set it.
        let judgements: Vec<AngoffJudgement> = ["J1", "J2"]
            .iter()
            .flat_map(|j| {
                ["I1", "I2"].iter().map(move |i| AngoffJudgement {
                    judge: (*j).into(),
                    item: (*i).into(),
                    judgement: 0.7,
                })
            })
            .collect();
        let cut = ja::CutScoreInput {
            assessment: "work-sample".into(),
            judgements,
            set_by: "Ann Analyst".into(),
            ..Default::default()
        };
        let empty = ja::CutScoreInput {
            assessment: " ".into(),
            ..cut.clone()
        };
        assert_eq!(
            pointer(
                &ja::set_cut_score(store, &alpha, id, empty)
                    .await
                    .unwrap_err()
            ),
            "/assessment"
        );
        let stored = ja::set_cut_score(store, &alpha, id, cut).await.unwrap();
        assert_eq!(stored.record["setting"]["set_by"], "Ann Analyst");
        assert_eq!(ja::cut_scores(store, &alpha, id).await.unwrap().len(), 1);

        // Applicants from a CSV; a bad cell is located in it.
        let bad = ja::ApplicantsInput {
            applicants: Vec::new(),
            csv: Some("applicant_id,work-sample\nA1,lots\n".into()),
        };
        let error = ja::set_applicants(store, &alpha, id, bad)
            .await
            .unwrap_err();
        assert!(rating_files::is_file_error(&error), "{error:?}");
        assert!(pointer(&error).starts_with("csv/row/1"), "{error:?}");
        let csv = ja::ApplicantsInput {
            applicants: Vec::new(),
            csv: Some("applicant_id,work-sample\nA1,90\nA2,75\nA3,60\n".into()),
        };
        assert_eq!(
            ja::set_applicants(store, &alpha, id, csv)
                .await
                .unwrap()
                .len(),
            3
        );

        // Category rating stores each applicant's category.
        let rating = ja::CategoryInput {
            weights: [("work-sample".to_string(), 1.0)].into_iter().collect(),
            scheme: CategoryScheme {
                categories: vec![
                    Category {
                        name: "Best qualified".into(),
                        min_score: 85.0,
                        definition: None,
                    },
                    Category {
                        name: "Qualified".into(),
                        min_score: 70.0,
                        definition: None,
                    },
                ],
            },
            scientific_professional: true,
        };
        let rated = ja::rate(store, &alpha, id, rating.clone()).await.unwrap();
        assert_eq!(rated.categories.len(), 2);
        let applicants = ja::applicants(store, &alpha, id).await.unwrap();
        let a1 = applicants.iter().find(|a| a.id == "A1").unwrap();
        assert_eq!(a1.category.as_deref(), Some("Best qualified"));
        assert!(matches!(
            ja::rate(store, &beta, id, rating).await,
            Err(AppError::NotFound(_))
        ));

        // Adverse impact on a flow read from CSV (the same reader as the CLI's).
        let flow = ja::flow::read_selection_flow(
            "flow.csv",
            b"applicant_id,group,screen\nA1,x,pass\nA2,x,pass\nA3,y,fail\nA4,y,pass\n",
            "group",
            None,
        )
        .unwrap();
        assert_eq!(flow.applicants.len(), 4);
        let report = ja::adverse_impact(store, &alpha, id, &flow, &ImpactOptions::default())
            .await
            .unwrap();
        assert_eq!(report.steps.len(), 1);
    }

    pub async fn the_inventory_takes_suggestions_and_keeps_rated_items(backend: &TestStore) {
        let store = &*backend.store;
        let (alpha, _) = actors(store).await;
        let id = ja::create(store, &alpha, new_analysis())
            .await
            .unwrap()
            .record
            .id;

        // One way only.
        let both = ja::InventoryInput {
            competencies: Some(vec![competency("ml", "ML")]),
            competencies_from_tasks: true,
            ..Default::default()
        };
        let error = ja::set_inventory(store, &alpha, id, both, &FixedGenerator)
            .await
            .unwrap_err();
        assert_eq!(pointer(&error), "/competencies_from_tasks");
        // No framework to take them from.
        let from_framework = ja::InventoryInput {
            competencies_from_framework: true,
            ..Default::default()
        };
        let error = ja::set_inventory(store, &alpha, id, from_framework, &FixedGenerator)
            .await
            .unwrap_err();
        assert_eq!(pointer(&error), "/competencies_from_framework");

        // Suggested from the tasks, each naming where it came from.
        let suggested = ja::InventoryInput {
            competencies_from_tasks: true,
            ..Default::default()
        };
        let view = ja::set_inventory(store, &alpha, id, suggested, &FixedGenerator)
            .await
            .unwrap();
        let ids: Vec<&str> = view
            .record
            .job
            .competencies
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["ml", "writing"]);
        assert_eq!(
            view.record.job.competencies[0].source.as_deref(),
            Some("generator")
        );

        // Without task statements there is nothing to suggest from.
        let no_tasks = ja::InventoryInput {
            tasks: Some(Vec::new()),
            competencies_from_tasks: true,
            ..Default::default()
        };
        let error = ja::set_inventory(store, &alpha, id, no_tasks, &FixedGenerator)
            .await
            .unwrap_err();
        assert_eq!(pointer(&error), "/competencies_from_tasks");

        // Once an SME has rated a task, it stays in the inventory.
        let invited = ja::invite(store, &alpha, id, vec![ja::InviteInput::default()])
            .await
            .unwrap();
        let mut one = answers(4, false);
        one.competencies.retain(|c| c.competency == "ml");
        one.linkage.clear();
        ja::save_survey(store, &invited[0].token, one)
            .await
            .unwrap();
        let drop_t02 = ja::InventoryInput {
            tasks: Some(vec![ja::TaskInput {
                id: Some("T01".into()),
                statement: "Designs experiments".into(),
            }]),
            ..Default::default()
        };
        let error = ja::set_inventory(store, &alpha, id, drop_t02, &FixedGenerator)
            .await
            .unwrap_err();
        assert!(
            matches!(&error, AppError::Conflict(d) if d.contains("task \"T02\"")),
            "{error:?}"
        );

        // Parameters and AI-work answers are checked before they are stored.
        let mut parameters = AnalysisParameters::default();
        parameters.agreement.icc_confidence = 7.0;
        assert!(matches!(
            ja::set_parameters(store, &alpha, id, parameters).await,
            Err(AppError::Invalid { .. })
        ));
        let mut answers = framewright_hiring::ai_work::AiWorkAnswers::default();
        answers
            .answers
            .push(framewright_hiring::ai_work::AiWorkAnswer {
                criterion: 9,
                answer: framewright_hiring::ai_work::Answer::Yes,
                evidence: None,
            });
        let error = ja::set_ai_work(store, &alpha, id, answers)
            .await
            .unwrap_err();
        assert_eq!(pointer(&error), "/answers");
    }
}

// ---------------------------------------------------------------------------------------------
// The pure readers the CLI and the server share.

fn files<'a>(tasks: &'a str, competencies: &'a str) -> rating_files::RatingFileSet<'a> {
    rating_files::RatingFileSet {
        tasks: rating_files::RatingFile {
            name: "tasks.csv",
            bytes: tasks.as_bytes(),
        },
        competencies: rating_files::RatingFile {
            name: "competencies.csv",
            bytes: competencies.as_bytes(),
        },
        linkage: None,
    }
}

#[test]
fn every_rating_file_is_read_before_any_is_judged() {
    let parameters = AnalysisParameters::default();
    let bad_tasks = TASKS_CSV.replacen("S1,T01,4,4", "S1,T01,x,4", 1);
    let bad_competencies = COMPETENCIES_CSV.replacen("S1,ml,5,yes", "S1,ml,5,perhaps", 1);
    let errors = rating_files::read(files(&bad_tasks, &bad_competencies), &parameters).unwrap_err();
    let named: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(named, ["tasks.csv", "competencies.csv"]);
    assert_eq!(errors[0].problems[0].line, 2);
    assert_eq!(errors[0].problems[0].column.as_deref(), Some("importance"));
}

#[test]
fn completion_fills_what_the_job_leaves_empty_or_only_the_panel() {
    let parameters = AnalysisParameters::default();
    let tables = rating_files::read(files(TASKS_CSV, COMPETENCIES_CSV), &parameters).unwrap();
    let ratings = tables.ratings();

    let mut empty = JobAnalysis::new("j", "Job");
    rating_files::complete(&mut empty, &ratings, Completion::EmptyLists);
    assert_eq!(empty.tasks.len(), 2);
    assert_eq!(empty.competencies.len(), 2);
    assert_eq!(empty.smes.len(), 3);
    assert!(tables.check(&empty, &ratings, &parameters).is_ok());

    // With its own inventory, the job keeps it: an unknown task is a located problem.
    let mut listed = JobAnalysis::new("j", "Job");
    listed.tasks.push(framewright_hiring::survey::Task {
        id: "T01".into(),
        statement: Some("Only this".into()),
        source: None,
    });
    rating_files::complete(&mut listed, &ratings, Completion::PanelOnly);
    assert_eq!(listed.tasks.len(), 1);
    assert!(listed.competencies.is_empty());
    assert_eq!(listed.smes.len(), 3);
    let located = tables.check(&listed, &ratings, &parameters).unwrap_err();
    assert_eq!(located[0].file, "tasks.csv");
    assert_eq!(located[0].problems[0].column.as_deref(), Some("task_id"));
}

#[test]
fn a_flow_file_with_no_step_is_refused_with_its_place() {
    let error =
        ja::flow::read_selection_flow("flow.csv", b"applicant_id,group\nA1,x\n", "group", None)
            .unwrap_err();
    assert_eq!(error.file, "flow.csv");
    assert_eq!(error.problems[0].line, 1);
}
