//! The store contract: one suite, run against SQLite always and against PostgreSQL when
//! `TEST_DATABASE_URL` is set. Every scenario also checks tenant isolation: what one
//! organisation stores, another cannot read or change.

use framewright_model::{
    CompetencyKind, Framework, FrameworkCompetency, LevelContent, ReviewDates, Status,
};
use framewright_store::testing::TestStore;
use framewright_store::*;
use uuid::Uuid;

use crate::common::*;

contract!(
    accounts_and_first_owner,
    members_and_last_owner,
    sessions_and_tokens,
    catalogues_and_search,
    frameworks_revisions_and_preconditions,
    publishing_records_releases_and_replacements,
    comments_and_audit,
    concurrent_saves_queue_and_never_lose_a_revision,
);

fn framework(slug: &str) -> Framework {
    let scale = framewright_catalog::opm_five_level().unwrap();
    let mut f = Framework::new(slug, format!("Framework {slug}"), scale);
    let mut c = FrameworkCompetency::new("data-analysis", "Data Analysis", CompetencyKind::General);
    c.definition = Some("Analyses data.".into());
    c.levels.push(LevelContent {
        level: 1,
        description: Some("Reads tables".into()),
        indicators: vec!["Reads a table".into()],
        draft: false,
    });
    f.competencies.push(c);
    f.competencies.push(FrameworkCompetency::new(
        "prompting",
        "Prompting",
        CompetencyKind::Technical,
    ));
    f
}

mod scenarios {
    use super::*;

    pub async fn accounts_and_first_owner(t: &TestStore) {
        let store = &*t.store;
        assert_eq!(store.count_users().await.unwrap(), 0);
        let (org, user) = store
            .setup_first_owner(account("alpha", "Ann@Alpha.test"))
            .await
            .unwrap();
        assert_eq!(user.email, "ann@alpha.test");
        assert_eq!(org.slug, "alpha");
        assert!(matches!(
            store
                .setup_first_owner(account("other", "x@other.test"))
                .await,
            Err(StoreError::AlreadySetUp)
        ));
        assert_eq!(store.count_users().await.unwrap(), 1);

        let creds = store
            .find_credentials("  ANN@alpha.test ")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(creds.user.id, user.id);
        assert_eq!(creds.password_hash, HASH);
        assert!(store.find_credentials("nobody@x").await.unwrap().is_none());

        let member = store.memberships(user.id).await.unwrap();
        assert_eq!(member.len(), 1);
        assert_eq!(member[0].role, Role::Owner);
        assert_eq!(member[0].organisation, org);
        assert_eq!(store.organisation(org.id).await.unwrap(), Some(org.clone()));

        // The admin command adds the same person to a second organisation.
        let (beta, same) = store
            .admin_create_user(account("beta", "ann@alpha.test"), Role::Viewer)
            .await
            .unwrap();
        assert_eq!(same.id, user.id);
        assert_eq!(store.memberships(user.id).await.unwrap().len(), 2);
        assert!(matches!(
            store
                .admin_create_user(account("beta", "ann@alpha.test"), Role::Viewer)
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_ne!(beta.id, org.id);
    }

    pub async fn members_and_last_owner(t: &TestStore) {
        let store = &*t.store;
        let ((alpha, ann), (beta, bob)) = two_orgs(store).await;
        let added = store
            .add_member(
                alpha.id,
                ann.id,
                NewMember {
                    email: "dee@alpha.test".into(),
                    name: "Dee".into(),
                    password_hash: Some(HASH.into()),
                    role: Role::Designer,
                },
            )
            .await
            .unwrap();
        assert_eq!(added.role, Role::Designer);
        // Adding an unknown account without a password finds nobody.
        assert!(matches!(
            store
                .add_member(
                    alpha.id,
                    ann.id,
                    NewMember {
                        email: "ghost@alpha.test".into(),
                        name: "Ghost".into(),
                        password_hash: None,
                        role: Role::Viewer,
                    },
                )
                .await,
            Err(StoreError::NotFound)
        ));
        let members = store.list_members(alpha.id, ALL).await.unwrap();
        assert_eq!(members.total, 2);
        let page = store
            .list_members(
                alpha.id,
                PageRequest {
                    offset: 1,
                    limit: 1,
                },
            )
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.total, 2);

        // The last owner can be neither demoted nor removed.
        assert!(matches!(
            store
                .set_member_role(alpha.id, ann.id, ann.id, Role::Viewer)
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.remove_member(alpha.id, ann.id, ann.id).await,
            Err(StoreError::Conflict(_))
        ));
        let promoted = store
            .set_member_role(alpha.id, ann.id, added.user.id, Role::Owner)
            .await
            .unwrap();
        assert_eq!(promoted.role, Role::Owner);
        store
            .set_member_role(alpha.id, ann.id, ann.id, Role::Reviewer)
            .await
            .unwrap();

        // Another organisation's owner cannot touch alpha's members.
        assert!(matches!(
            store
                .set_member_role(beta.id, bob.id, added.user.id, Role::Viewer)
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.remove_member(beta.id, bob.id, ann.id).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(store.list_members(beta.id, ALL).await.unwrap().total, 1);

        // Removing a member ends their tokens there.
        let token = store
            .create_token(NewApiToken {
                id: Uuid::now_v7(),
                org_id: alpha.id,
                user_id: ann.id,
                name: "ci".into(),
                token_hash: "hash-ann".into(),
                created_at: 1,
                expires_at: None,
            })
            .await
            .unwrap();
        assert!(store.token("hash-ann", 2).await.unwrap().is_some());
        store
            .remove_member(alpha.id, added.user.id, ann.id)
            .await
            .unwrap();
        assert!(store.token("hash-ann", 2).await.unwrap().is_none());
        assert!(
            store
                .list_tokens(alpha.id, ann.id)
                .await
                .unwrap()
                .iter()
                .all(|t| t.id != token.id)
        );
    }

    pub async fn sessions_and_tokens(t: &TestStore) {
        let store = &*t.store;
        let ((alpha, ann), (beta, bob)) = two_orgs(store).await;
        store
            .create_session(NewSession {
                id_hash: "s1".into(),
                user_id: ann.id,
                org_id: alpha.id,
                csrf_token: "csrf".into(),
                created_at: 100,
                expires_at: 200,
            })
            .await
            .unwrap();
        let live = store.session("s1", 150).await.unwrap().unwrap();
        assert_eq!(live.principal.user_id, ann.id);
        assert_eq!(live.principal.org_id, alpha.id);
        assert_eq!(live.principal.role, Role::Owner);
        assert_eq!(live.csrf_token, "csrf");
        assert!(store.session("s1", 200).await.unwrap().is_none(), "expired");
        assert!(store.session("s2", 150).await.unwrap().is_none());
        store.delete_session("s1").await.unwrap();
        assert!(store.session("s1", 150).await.unwrap().is_none());
        for (id, expires_at) in [("old", 300), ("new", 900)] {
            store
                .create_session(NewSession {
                    id_hash: id.into(),
                    user_id: ann.id,
                    org_id: alpha.id,
                    csrf_token: "c".into(),
                    created_at: 100,
                    expires_at,
                })
                .await
                .unwrap();
        }
        assert_eq!(store.purge_expired_sessions(500).await.unwrap(), 1);
        assert!(store.session("new", 500).await.unwrap().is_some());
        assert!(store.session("old", 200).await.unwrap().is_none(), "purged");

        let id = Uuid::now_v7();
        store
            .create_token(NewApiToken {
                id,
                org_id: alpha.id,
                user_id: ann.id,
                name: "script".into(),
                token_hash: "th".into(),
                created_at: 100,
                expires_at: Some(1_000),
            })
            .await
            .unwrap();
        let found = store.token("th", 500).await.unwrap().unwrap();
        assert_eq!(found.token_id, id);
        assert_eq!(found.principal.email, "ann@alpha.test");
        assert!(store.token("th", 1_000).await.unwrap().is_none(), "expired");
        store.touch_token(id, 600).await.unwrap();
        let listed = store.list_tokens(alpha.id, ann.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].last_used_at, Some(600));
        // Bob (another organisation) neither sees nor revokes Ann's token.
        assert!(store.list_tokens(beta.id, bob.id).await.unwrap().is_empty());
        assert!(matches!(
            store.revoke_token(beta.id, bob.id, id, 700).await,
            Err(StoreError::NotFound)
        ));
        assert!(store.token("th", 700).await.unwrap().is_some());
        store.revoke_token(alpha.id, ann.id, id, 700).await.unwrap();
        assert!(store.token("th", 701).await.unwrap().is_none());
        assert!(matches!(
            store.revoke_token(alpha.id, ann.id, id, 702).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            store.list_tokens(alpha.id, ann.id).await.unwrap()[0].revoked_at,
            Some(700)
        );
    }

    pub async fn catalogues_and_search(t: &TestStore) {
        let store = &*t.store;
        let ((alpha, ann), (beta, _bob)) = two_orgs(store).await;
        let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
        assert!(store.upsert_builtin_catalogue(&opm).await.unwrap());
        assert!(
            !store.upsert_builtin_catalogue(&opm).await.unwrap(),
            "unchanged"
        );

        let list = store.list_catalogues(alpha.id, ALL).await.unwrap();
        assert_eq!(list.total, 1);
        assert!(list.items[0].builtin);
        assert_eq!(
            list.items[0].competency_count,
            opm.competencies.len() as i64
        );
        assert_eq!(
            store.catalogue(beta.id, &opm.id).await.unwrap(),
            Some(opm.clone())
        );

        let all = store
            .search_competencies(alpha.id, &CompetencyQuery::default(), ALL)
            .await
            .unwrap();
        assert_eq!(all.total, opm.competencies.len() as i64);
        let technical = store
            .search_competencies(
                alpha.id,
                &CompetencyQuery {
                    kind: Some("technical".into()),
                    ..Default::default()
                },
                ALL,
            )
            .await
            .unwrap();
        let expected = opm
            .competencies
            .iter()
            .filter(|c| c.kind == CompetencyKind::Technical)
            .count();
        assert_eq!(technical.total, expected as i64);
        let first = &opm.competencies[0];
        let word = first.name.split_whitespace().next().unwrap().to_uppercase();
        let hits = store
            .search_competencies(
                alpha.id,
                &CompetencyQuery {
                    text: Some(word.clone()),
                    ..Default::default()
                },
                ALL,
            )
            .await
            .unwrap();
        assert!(
            hits.items.iter().any(|h| h.competency.id == first.id),
            "{word}"
        );
        let grade = framewright_model::Grade::new(13).unwrap();
        let confirmed = opm
            .competencies
            .iter()
            .filter(|c| c.grade_mark(grade) == Some(framewright_model::GradeMark::Confirmed))
            .count();
        let at_grade = store
            .search_competencies(
                alpha.id,
                &CompetencyQuery {
                    grade: Some("GS-13".into()),
                    ..Default::default()
                },
                ALL,
            )
            .await
            .unwrap();
        assert_eq!(at_grade.total, confirmed as i64);
        let top10 = opm
            .competencies
            .iter()
            .filter(|c| {
                c.importance_rank
                    .and_then(|r| r.current)
                    .is_some_and(|r| r <= 10)
            })
            .count();
        assert!(top10 > 0);
        let ranked = store
            .search_competencies(
                alpha.id,
                &CompetencyQuery {
                    max_rank: Some(10),
                    ..Default::default()
                },
                ALL,
            )
            .await
            .unwrap();
        assert_eq!(ranked.total, top10 as i64);
        // LIKE wildcards in the query are literal.
        let none = store
            .search_competencies(
                alpha.id,
                &CompetencyQuery {
                    text: Some("%_%".into()),
                    ..Default::default()
                },
                ALL,
            )
            .await
            .unwrap();
        assert_eq!(none.total, 0);
        assert_eq!(
            store
                .competency(alpha.id, &opm.id, &first.id)
                .await
                .unwrap()
                .as_ref(),
            Some(first)
        );

        // An organisation's own catalogue is visible to it alone.
        let mut own = opm.clone();
        own.id = "alpha-own".into();
        own.name = "Alpha's own".into();
        own.competencies.truncate(3);
        let summary = store
            .import_catalogue(alpha.id, ann.id, &own)
            .await
            .unwrap();
        assert!(!summary.builtin);
        assert_eq!(store.list_catalogues(alpha.id, ALL).await.unwrap().total, 2);
        assert_eq!(store.list_catalogues(beta.id, ALL).await.unwrap().total, 1);
        assert!(
            store
                .catalogue(beta.id, "alpha-own")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .competency(beta.id, "alpha-own", &own.competencies[0].id)
                .await
                .unwrap()
                .is_none()
        );
        let in_beta = store
            .search_competencies(
                beta.id,
                &CompetencyQuery {
                    catalogue: Some("alpha-own".into()),
                    ..Default::default()
                },
                ALL,
            )
            .await
            .unwrap();
        assert_eq!(in_beta.total, 0);
        // Built-in ids are reserved; duplicates are refused and nothing is half-written.
        assert!(matches!(
            store.import_catalogue(alpha.id, ann.id, &opm).await,
            Err(StoreError::Conflict(_))
        ));
        let mut twice = own.clone();
        twice.id = "twice".into();
        twice.competencies.push(twice.competencies[0].clone());
        assert!(matches!(
            store.import_catalogue(alpha.id, ann.id, &twice).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(store.catalogue(alpha.id, "twice").await.unwrap().is_none());
        assert_eq!(
            store
                .search_competencies(
                    alpha.id,
                    &CompetencyQuery {
                        catalogue: Some("twice".into()),
                        ..Default::default()
                    },
                    ALL
                )
                .await
                .unwrap()
                .total,
            0
        );
        // Delete: not from another organisation, not a built-in.
        assert!(matches!(
            store.delete_catalogue(beta.id, ann.id, "alpha-own").await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.delete_catalogue(alpha.id, ann.id, &opm.id).await,
            Err(StoreError::NotFound)
        ));
        store
            .delete_catalogue(alpha.id, ann.id, "alpha-own")
            .await
            .unwrap();
        assert_eq!(store.list_catalogues(alpha.id, ALL).await.unwrap().total, 1);
    }

    pub async fn frameworks_revisions_and_preconditions(t: &TestStore) {
        let store = &*t.store;
        let ((alpha, ann), (beta, bob)) = two_orgs(store).await;
        let mut f = framework("ml-engineer");
        f.review = ReviewDates::starting(
            time::Date::from_calendar_date(2025, time::Month::March, 1).unwrap(),
            3,
        );
        let created = store
            .create_framework(alpha.id, ann.id, &f, "first draft")
            .await
            .unwrap();
        let id = created.summary.id;
        assert_eq!(created.summary.revision, 1);
        assert_eq!(created.summary.slug, "ml-engineer");
        assert_eq!(created.summary.next_review.as_deref(), Some("2026-03-01"));
        assert_eq!(created.framework().unwrap(), f);
        // The same slug in the same organisation is taken; in another it is free.
        assert!(matches!(
            store.create_framework(alpha.id, ann.id, &f, "again").await,
            Err(StoreError::Conflict(_))
        ));
        store
            .create_framework(beta.id, bob.id, &f, "beta's own")
            .await
            .unwrap();

        // Other organisations see nothing.
        assert!(store.framework(beta.id, id).await.unwrap().is_none());
        assert!(store.revision(beta.id, id, 1).await.unwrap().is_none());
        assert!(matches!(
            store.list_revisions(beta.id, id, ALL).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .save_revision(beta.id, bob.id, id, None, &f, "hijack")
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.delete_framework(beta.id, bob.id, id, None).await,
            Err(StoreError::NotFound)
        ));

        let mut g = f.clone();
        g.title = "Machine Learning Engineer".into();
        let saved = store
            .save_revision(alpha.id, ann.id, id, Some(1), &g, "retitle")
            .await
            .unwrap();
        assert_eq!(saved.summary.revision, 2);
        assert_eq!(saved.summary.title, "Machine Learning Engineer");
        assert_eq!(saved.summary.updated_by, Some(ann.id));

        // A save based on an old revision fails and changes nothing.
        let mut h = g.clone();
        h.title = "Stale".into();
        assert!(matches!(
            store
                .save_revision(alpha.id, ann.id, id, Some(1), &h, "stale")
                .await,
            Err(StoreError::PreconditionFailed { current: 2 })
        ));
        let now = store.framework(alpha.id, id).await.unwrap().unwrap();
        assert_eq!(now.summary.revision, 2);
        assert_eq!(now.framework().unwrap(), g);
        assert!(matches!(
            store.delete_framework(alpha.id, ann.id, id, Some(1)).await,
            Err(StoreError::PreconditionFailed { current: 2 })
        ));

        let revisions = store.list_revisions(alpha.id, id, ALL).await.unwrap();
        assert_eq!(revisions.total, 2);
        assert_eq!(revisions.items[0].number, 2);
        assert_eq!(revisions.items[0].message, "retitle");
        assert_eq!(revisions.items[1].message, "first draft");
        let first = store.revision(alpha.id, id, 1).await.unwrap().unwrap();
        assert_eq!(first.framework().unwrap(), f);
        assert!(store.revision(alpha.id, id, 3).await.unwrap().is_none());

        // Lists and filters.
        let listed = store
            .list_frameworks(alpha.id, &FrameworkFilter::default(), ALL)
            .await
            .unwrap();
        assert_eq!(listed.total, 1);
        let drafts = store
            .list_frameworks(
                alpha.id,
                &FrameworkFilter {
                    status: Some("published".into()),
                    ..Default::default()
                },
                ALL,
            )
            .await
            .unwrap();
        assert_eq!(drafts.total, 0);
        let due = |date: &str| FrameworkFilter {
            review_due_by: Some(date.into()),
            ..Default::default()
        };
        assert_eq!(
            store
                .list_frameworks(alpha.id, &due("2026-02-28"), ALL)
                .await
                .unwrap()
                .total,
            0
        );
        assert_eq!(
            store
                .list_frameworks(alpha.id, &due("2026-03-01"), ALL)
                .await
                .unwrap()
                .total,
            1
        );

        // Renaming onto a taken slug is refused.
        store
            .create_framework(alpha.id, ann.id, &framework("other"), "x")
            .await
            .unwrap();
        let mut clash = g.clone();
        clash.id = "other".into();
        assert!(matches!(
            store
                .save_revision(alpha.id, ann.id, id, Some(2), &clash, "clash")
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            store
                .framework(alpha.id, id)
                .await
                .unwrap()
                .unwrap()
                .summary
                .revision,
            2
        );

        store
            .delete_framework(alpha.id, ann.id, id, Some(2))
            .await
            .unwrap();
        assert!(store.framework(alpha.id, id).await.unwrap().is_none());
        assert!(store.revision(alpha.id, id, 1).await.unwrap().is_none());
        assert_eq!(
            store
                .list_frameworks(beta.id, &FrameworkFilter::default(), ALL)
                .await
                .unwrap()
                .total,
            1
        );
    }

    pub async fn publishing_records_releases_and_replacements(t: &TestStore) {
        let store = &*t.store;
        let ((alpha, ann), (beta, bob)) = two_orgs(store).await;
        let f = framework("analyst");
        let id = store
            .create_framework(alpha.id, ann.id, &f, "draft")
            .await
            .unwrap()
            .summary
            .id;
        let mut released = f.clone();
        released.version = semver::Version::new(1, 0, 0);
        released.status = Status::Published;
        let (record, release) = store
            .publish(
                alpha.id,
                ann.id,
                id,
                Some(1),
                &released,
                &NewRelease {
                    version: "1.0.0".into(),
                    notes: Some("First release".into()),
                    replacements: vec![],
                },
            )
            .await
            .unwrap();
        assert_eq!(record.summary.revision, 2);
        assert_eq!(record.summary.latest_release.as_deref(), Some("1.0.0"));
        assert_eq!(record.summary.status, "published");
        assert_eq!(release.revision, 2);

        let mut next = released.clone();
        next.competencies.retain(|c| c.id != "prompting");
        next.competencies.push(FrameworkCompetency::new(
            "prompt-engineering",
            "Prompt Engineering",
            CompetencyKind::Technical,
        ));
        next.version = semver::Version::new(2, 0, 0);
        let replacement = Replacement {
            from: "prompting".into(),
            from_name: "Prompting".into(),
            to: "prompt-engineering".into(),
        };
        // Based on a stale revision: refused, nothing recorded.
        assert!(matches!(
            store
                .publish(
                    alpha.id,
                    ann.id,
                    id,
                    Some(1),
                    &next,
                    &NewRelease {
                        version: "2.0.0".into(),
                        notes: None,
                        replacements: vec![replacement.clone()],
                    },
                )
                .await,
            Err(StoreError::PreconditionFailed { current: 2 })
        ));
        assert_eq!(store.list_releases(alpha.id, id).await.unwrap().len(), 1);
        // The same version twice: refused, and the revision is not written either.
        assert!(matches!(
            store
                .publish(
                    alpha.id,
                    ann.id,
                    id,
                    Some(2),
                    &next,
                    &NewRelease {
                        version: "1.0.0".into(),
                        notes: None,
                        replacements: vec![],
                    },
                )
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            store
                .framework(alpha.id, id)
                .await
                .unwrap()
                .unwrap()
                .summary
                .revision,
            2
        );
        let (_, second) = store
            .publish(
                alpha.id,
                ann.id,
                id,
                Some(2),
                &next,
                &NewRelease {
                    version: "2.0.0".into(),
                    notes: None,
                    replacements: vec![replacement.clone()],
                },
            )
            .await
            .unwrap();
        assert_eq!(second.replacements, vec![replacement.clone()]);
        let releases = store.list_releases(alpha.id, id).await.unwrap();
        assert_eq!(releases.len(), 2);
        assert_eq!(releases[0].version, "2.0.0");
        assert_eq!(releases[0].replacements, vec![replacement]);
        assert_eq!(releases[1].notes.as_deref(), Some("First release"));
        let revisions = store.list_revisions(alpha.id, id, ALL).await.unwrap();
        assert_eq!(revisions.items[0].release.as_deref(), Some("2.0.0"));
        assert_eq!(revisions.items[1].release.as_deref(), Some("1.0.0"));
        assert_eq!(revisions.items[2].release, None);

        // Another organisation can neither list nor publish.
        assert!(matches!(
            store.list_releases(beta.id, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .publish(
                    beta.id,
                    bob.id,
                    id,
                    None,
                    &next,
                    &NewRelease {
                        version: "9.0.0".into(),
                        notes: None,
                        replacements: vec![],
                    },
                )
                .await,
            Err(StoreError::NotFound)
        ));
    }

    pub async fn comments_and_audit(t: &TestStore) {
        let store = &*t.store;
        let ((alpha, ann), (beta, bob)) = two_orgs(store).await;
        let id = store
            .create_framework(alpha.id, ann.id, &framework("x"), "draft")
            .await
            .unwrap()
            .summary
            .id;
        let comment = store
            .add_comment(
                alpha.id,
                ann.id,
                id,
                &NewComment {
                    kind: "approval".into(),
                    body: "Looks right".into(),
                    revision: Some(1),
                },
            )
            .await
            .unwrap();
        assert_eq!(comment.author_name, "ann");
        assert!(matches!(
            store
                .add_comment(
                    alpha.id,
                    ann.id,
                    id,
                    &NewComment {
                        kind: "comment".into(),
                        body: "about the future".into(),
                        revision: Some(7),
                    },
                )
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store
                .add_comment(
                    beta.id,
                    bob.id,
                    id,
                    &NewComment {
                        kind: "comment".into(),
                        body: "intruder".into(),
                        revision: None,
                    },
                )
                .await,
            Err(StoreError::NotFound)
        ));
        let comments = store.list_comments(alpha.id, id, ALL).await.unwrap();
        assert_eq!(comments.total, 1);
        assert_eq!(comments.items[0], comment);
        assert!(matches!(
            store.list_comments(beta.id, id, ALL).await,
            Err(StoreError::NotFound)
        ));

        let log = store.list_audit(alpha.id, ALL).await.unwrap();
        let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["framework.comment", "framework.create", "setup.owner"]
        );
        assert_eq!(log.items[1].actor, Some(ann.id));
        assert_eq!(log.items[1].target, format!("framework:{id}"));
        let beta_log = store.list_audit(beta.id, ALL).await.unwrap();
        assert!(beta_log.items.iter().all(|e| e.action == "member.add"));
    }

    pub async fn concurrent_saves_queue_and_never_lose_a_revision(t: &TestStore) {
        let store = t.store.clone();
        let (alpha, ann) = store
            .setup_first_owner(account("alpha", "ann@alpha.test"))
            .await
            .unwrap();
        let f = framework("busy");
        let id = store
            .create_framework(alpha.id, ann.id, &f, "draft")
            .await
            .unwrap()
            .summary
            .id;
        let mut tasks = Vec::new();
        for n in 0..8 {
            let store = store.clone();
            let mut g = f.clone();
            g.title = format!("Edit {n}");
            tasks.push(tokio::spawn(async move {
                store
                    .save_revision(alpha.id, ann.id, id, None, &g, "edit")
                    .await
                    .map(|r| r.summary.revision)
            }));
        }
        let mut numbers = Vec::new();
        for task in tasks {
            numbers.push(task.await.unwrap().unwrap());
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (2..=9).collect::<Vec<i64>>());
        // Eight writers all based on revision 9: exactly one wins.
        let mut tasks = Vec::new();
        for n in 0..8 {
            let store = store.clone();
            let mut g = f.clone();
            g.title = format!("Race {n}");
            tasks.push(tokio::spawn(async move {
                store
                    .save_revision(alpha.id, ann.id, id, Some(9), &g, "race")
                    .await
            }));
        }
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(r) => {
                    won += 1;
                    assert_eq!(r.summary.revision, 10);
                }
                Err(StoreError::PreconditionFailed { current }) => assert_eq!(current, 10),
                Err(other) => panic!("{other}"),
            }
        }
        assert_eq!(won, 1);
    }
}
