//! The job-analysis part of the store contract, on SQLite always and on PostgreSQL when
//! `TEST_DATABASE_URL` is set: analyses, the SME panel and its links, responses until the
//! survey closes, imports, cut scores and applicants — and that another organisation sees and
//! changes none of it.

use framewright_hiring::AnalysisParameters;
use framewright_hiring::survey::{
    CompetencyRating, JobAnalysis, JobCompetency, LinkageRating, Ratings, SmeResponse, Task,
    TaskRating,
};
use framewright_store::job_analysis::*;
use framewright_store::testing::TestStore;
use framewright_store::*;
use uuid::Uuid;

use crate::common::*;

contract!(
    analyses_panel_and_responses,
    imports_cut_scores_and_applicants,
    no_answer_lands_after_the_survey_closes,
);

fn job() -> JobAnalysis {
    let mut job = JobAnalysis::new("ai-research-scientist", "AI Research Scientist, GS-14");
    job.grade = Some("GS-14".parse().unwrap());
    job.tasks = ["T1", "T2"]
        .iter()
        .map(|id| Task {
            id: (*id).into(),
            statement: Some(format!("Task {id}")),
            source: None,
        })
        .collect();
    job.competencies = vec![JobCompetency {
        id: "ml".into(),
        name: Some("Machine Learning".into()),
        definition: None,
        source: None,
    }];
    job
}

fn response(sme: &str, importance: u8) -> SmeResponse {
    SmeResponse {
        sme: sme.into(),
        tasks: vec![
            TaskRating {
                sme: sme.into(),
                task: "T1".into(),
                importance: Some(importance),
                frequency: Some(3),
            },
            TaskRating {
                sme: sme.into(),
                task: "T2".into(),
                importance: Some(0),
                frequency: None,
            },
        ],
        competencies: vec![CompetencyRating {
            sme: sme.into(),
            competency: "ml".into(),
            importance: Some(4),
            needed_at_entry: Some(true),
            distinguishing_value: None,
        }],
        linkage: vec![LinkageRating {
            sme: sme.into(),
            task: "T1".into(),
            competency: "ml".into(),
            linked: true,
        }],
    }
}

fn sme(label: &str, hash: Option<&str>) -> NewSme {
    NewSme {
        label: label.into(),
        qualifications: Some("10 years of ML research".into()),
        token_hash: hash.map(str::to_string),
    }
}

mod scenarios {
    use super::*;

    pub async fn analyses_panel_and_responses(t: &TestStore) {
        let store = &*t.store;
        let ((a, ann), (b, bob)) = two_orgs(store).await;
        let created = store
            .create_job_analysis(
                a.id,
                ann.id,
                &NewJobAnalysis {
                    framework: None,
                    job: job(),
                    parameters: AnalysisParameters::default(),
                },
            )
            .await
            .unwrap();
        assert_eq!(created.status, SurveyStatus::Open);
        assert_eq!(created.job, job());
        assert_eq!(created.created_by, Some(ann.id));

        // A framework of another organisation cannot be named.
        let foreign = store
            .create_job_analysis(
                b.id,
                bob.id,
                &NewJobAnalysis {
                    framework: Some(Uuid::now_v7()),
                    job: job(),
                    parameters: AnalysisParameters::default(),
                },
            )
            .await;
        assert!(matches!(foreign, Err(StoreError::NotFound)));

        let list = store.list_job_analyses(a.id, ALL).await.unwrap();
        assert_eq!(list.total, 1);
        assert_eq!(list.items[0].title, "AI Research Scientist, GS-14");
        assert_eq!(list.items[0].grade.as_deref(), Some("GS-14"));
        assert_eq!(store.list_job_analyses(b.id, ALL).await.unwrap().total, 0);
        assert!(
            store
                .job_analysis(b.id, created.id)
                .await
                .unwrap()
                .is_none()
        );

        // Panel: three SMEs with links; labels are unique within the analysis.
        let smes = store
            .add_smes(
                a.id,
                ann.id,
                created.id,
                &[
                    sme("SME-1", Some("h1")),
                    sme("SME-2", Some("h2")),
                    sme("SME-3", Some("h3")),
                ],
            )
            .await
            .unwrap();
        assert_eq!(smes.len(), 3);
        assert!(smes.iter().all(|s| s.has_link && s.responded_at.is_none()));
        let dup = store
            .add_smes(
                a.id,
                ann.id,
                created.id,
                &[sme("SME-4", Some("h4")), sme("SME-1", None)],
            )
            .await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))));
        // Nothing of the refused batch is kept.
        assert_eq!(store.list_smes(a.id, created.id).await.unwrap().len(), 3);
        assert!(matches!(
            store
                .add_smes(b.id, bob.id, created.id, &[sme("X", None)])
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(store.list_smes(b.id, created.id).await.unwrap().is_empty());

        // The link opens the survey; an unknown hash opens nothing.
        let access = store.survey_by_token("h2").await.unwrap().unwrap();
        assert_eq!(access.org, a.id);
        assert_eq!(access.analysis.id, created.id);
        assert_eq!(access.sme.label, "SME-2");
        assert!(store.survey_by_token("nope").await.unwrap().is_none());

        // Responses: saved, replaced on edit, one per SME.
        store
            .save_response(a.id, created.id, &response("SME-1", 4))
            .await
            .unwrap();
        store
            .save_response(a.id, created.id, &response("SME-2", 2))
            .await
            .unwrap();
        store
            .save_response(a.id, created.id, &response("SME-2", 5))
            .await
            .unwrap();
        let ratings = store.ratings(a.id, created.id).await.unwrap();
        assert_eq!(ratings.tasks.len(), 4);
        assert_eq!(ratings.response("SME-2"), response("SME-2", 5));
        assert_eq!(ratings.response("SME-1"), response("SME-1", 4));
        assert!(store.ratings(b.id, created.id).await.unwrap().is_empty());
        // Another organisation cannot write into it.
        assert!(
            store
                .save_response(b.id, created.id, &response("SME-3", 1))
                .await
                .is_err()
        );
        let panel = store.list_smes(a.id, created.id).await.unwrap();
        assert_eq!(panel.iter().filter(|s| s.responded_at.is_some()).count(), 2);
        let list = store.list_job_analyses(a.id, ALL).await.unwrap();
        assert_eq!((list.items[0].smes, list.items[0].responded), (3, 2));

        // Update: inventory and parameters.
        let mut changed = job();
        changed.description = Some("Researches AI.".into());
        let mut parameters = AnalysisParameters::default();
        parameters.agreement.icc_confidence = 0.9;
        let updated = store
            .update_job_analysis(a.id, ann.id, created.id, &changed, &parameters)
            .await
            .unwrap();
        assert_eq!(updated.job, changed);
        assert_eq!(updated.parameters, parameters);
        assert!(matches!(
            store
                .update_job_analysis(b.id, bob.id, created.id, &changed, &parameters)
                .await,
            Err(StoreError::NotFound)
        ));

        // Closing: another organisation cannot; then no response is taken.
        assert!(matches!(
            store.close_survey(b.id, bob.id, created.id).await,
            Err(StoreError::NotFound)
        ));
        let closed = store.close_survey(a.id, ann.id, created.id).await.unwrap();
        assert_eq!(closed.status, SurveyStatus::Closed);
        assert_eq!(closed.closed_by, Some(ann.id));
        assert!(closed.closed_at.is_some());
        assert!(matches!(
            store
                .save_response(a.id, created.id, &response("SME-3", 3))
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.close_survey(a.id, ann.id, created.id).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store
                .add_smes(a.id, ann.id, created.id, &[sme("SME-9", None)])
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            store.ratings(a.id, created.id).await.unwrap().tasks.len(),
            4
        );

        // Delete: not by another organisation; then everything goes.
        assert!(matches!(
            store.delete_job_analysis(b.id, bob.id, created.id).await,
            Err(StoreError::NotFound)
        ));
        store
            .delete_job_analysis(a.id, ann.id, created.id)
            .await
            .unwrap();
        assert!(
            store
                .job_analysis(a.id, created.id)
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.survey_by_token("h1").await.unwrap().is_none());
        assert!(store.ratings(a.id, created.id).await.unwrap().is_empty());
    }

    pub async fn imports_cut_scores_and_applicants(t: &TestStore) {
        let store = &*t.store;
        let ((a, ann), (b, bob)) = two_orgs(store).await;
        let id = store
            .create_job_analysis(
                a.id,
                ann.id,
                &NewJobAnalysis {
                    framework: None,
                    job: job(),
                    parameters: AnalysisParameters::default(),
                },
            )
            .await
            .unwrap()
            .id;
        store
            .add_smes(a.id, ann.id, id, &[sme("SME-1", Some("k1"))])
            .await
            .unwrap();
        store
            .save_response(a.id, id, &response("SME-1", 1))
            .await
            .unwrap();
        // Import: SME-1's answers are replaced, SME-7 joins the panel without a link.
        let mut ratings = Ratings::default();
        for (sme, imp) in [("SME-1", 5), ("SME-7", 3)] {
            ratings.set_response(response(sme, imp)).unwrap();
        }
        assert!(
            store
                .import_ratings(b.id, bob.id, id, &ratings)
                .await
                .is_err()
        );
        store
            .import_ratings(a.id, ann.id, id, &ratings)
            .await
            .unwrap();
        let stored = store.ratings(a.id, id).await.unwrap();
        assert_eq!(stored.response("SME-1"), response("SME-1", 5));
        assert_eq!(stored.response("SME-7"), response("SME-7", 3));
        let panel = store.list_smes(a.id, id).await.unwrap();
        assert_eq!(panel.len(), 2);
        assert!(!panel[1].has_link);
        assert!(panel[1].responded_at.is_some());

        // A duplicate rating in an import is refused and nothing of it is stored.
        let mut bad = Ratings::default();
        bad.set_response(response("SME-8", 2)).unwrap();
        bad.tasks.push(bad.tasks[0].clone());
        assert!(matches!(
            store.import_ratings(a.id, ann.id, id, &bad).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.list_smes(a.id, id).await.unwrap().len(), 2);
        assert!(
            store
                .ratings(a.id, id)
                .await
                .unwrap()
                .response("SME-8")
                .tasks
                .is_empty()
        );

        // Blueprint.
        let blueprint = serde_json::json!({ "position": "AI Research Scientist" });
        store
            .set_blueprint(a.id, ann.id, id, &blueprint)
            .await
            .unwrap();
        assert!(matches!(
            store.set_blueprint(b.id, bob.id, id, &blueprint).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            store
                .job_analysis(a.id, id)
                .await
                .unwrap()
                .unwrap()
                .blueprint,
            Some(blueprint)
        );

        // Cut scores: who and when.
        let record = serde_json::json!({ "recommended_cut": 70.0 });
        let cut = store
            .add_cut_score(a.id, ann.id, id, "work-sample", &record)
            .await
            .unwrap();
        assert_eq!(cut.set_by, ann.id);
        assert!(
            store
                .add_cut_score(b.id, bob.id, id, "work-sample", &record)
                .await
                .is_err()
        );
        let cuts = store.list_cut_scores(a.id, id).await.unwrap();
        assert_eq!(cuts, vec![cut]);
        assert!(store.list_cut_scores(b.id, id).await.unwrap().is_empty());

        // Applicants and their categories.
        let applicants = vec![
            ApplicantRecord {
                id: "A1".into(),
                scores: serde_json::json!({ "id": "A1", "scores": { "ws": 90.0 } }),
                category: None,
            },
            ApplicantRecord {
                id: "A2".into(),
                scores: serde_json::json!({ "id": "A2", "scores": { "ws": 60.0 } }),
                category: None,
            },
        ];
        store
            .set_applicants(a.id, ann.id, id, &applicants)
            .await
            .unwrap();
        assert!(
            store
                .set_applicants(b.id, bob.id, id, &applicants)
                .await
                .is_err()
        );
        store
            .set_categories(
                a.id,
                ann.id,
                id,
                &[
                    ("A1".into(), Some("Best Qualified".into())),
                    ("A2".into(), None),
                ],
                &serde_json::json!({ "categories": [] }),
            )
            .await
            .unwrap();
        let stored = store.applicants(a.id, id).await.unwrap();
        assert_eq!(stored[0].category.as_deref(), Some("Best Qualified"));
        assert_eq!(stored[1].category, None);
        assert!(store.applicants(b.id, id).await.unwrap().is_empty());
        let dup = vec![applicants[0].clone(), applicants[0].clone()];
        assert!(matches!(
            store.set_applicants(a.id, ann.id, id, &dup).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.applicants(a.id, id).await.unwrap().len(), 2);
        assert!(
            store
                .job_analysis(a.id, id)
                .await
                .unwrap()
                .unwrap()
                .category_rating
                .is_some()
        );
    }

    pub async fn no_answer_lands_after_the_survey_closes(t: &TestStore) {
        let store = t.store.clone();
        let ((a, ann), _) = two_orgs(&*store).await;
        let id = store
            .create_job_analysis(
                a.id,
                ann.id,
                &NewJobAnalysis {
                    framework: None,
                    job: job(),
                    parameters: AnalysisParameters::default(),
                },
            )
            .await
            .unwrap()
            .id;
        let panel: Vec<NewSme> = (1..=12)
            .map(|i| sme(&format!("SME-{i}"), Some(&format!("race-{i}"))))
            .collect();
        store.add_smes(a.id, ann.id, id, &panel).await.unwrap();
        // Twelve SMEs save while the analyst closes: each save either lands before the close
        // or is refused; none lands after.
        let mut saves = Vec::new();
        for i in 1..=12 {
            let store = store.clone();
            saves.push(tokio::spawn(async move {
                store
                    .save_response(a.id, id, &response(&format!("SME-{i}"), 3))
                    .await
            }));
        }
        let closer = {
            let store = store.clone();
            tokio::spawn(async move { store.close_survey(a.id, ann.id, id).await })
        };
        let mut saved = 0;
        for save in saves {
            match save.await.unwrap() {
                Ok(()) => saved += 1,
                Err(StoreError::Conflict(_)) => {}
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        let closed = closer.await.unwrap().unwrap();
        let closed_at = closed.closed_at.unwrap();
        let panel = store.list_smes(a.id, id).await.unwrap();
        let answered: Vec<_> = panel.iter().filter_map(|s| s.responded_at).collect();
        assert_eq!(answered.len(), saved);
        assert!(answered.iter().all(|at| *at <= closed_at));
        let ratings = store.ratings(a.id, id).await.unwrap();
        assert_eq!(ratings.tasks.len(), saved * 2);
        // And after the close, nothing more.
        assert!(matches!(
            store.save_response(a.id, id, &response("SME-1", 5)).await,
            Err(StoreError::Conflict(_))
        ));
    }
}
