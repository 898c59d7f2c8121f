//! The framework pages over real HTTP, on every backend: the list and the framework page, the
//! editor (save, stale form, CSRF, fields it may not change), history with the diff, revert,
//! publish, the interview guide and export with the session cookie — and that another
//! organisation's framework pages are 404 and anonymous visitors are sent to sign in.

use crate::common::{Browser, TestServer, each_backend, framework, json};
use framewright_server::Settings;
use reqwest::{Method, Response};
use serde_json::Value;

async fn text(response: Response) -> String {
    response.text().await.unwrap()
}

async fn current(s: &TestServer, token: &str, id: &str) -> Value {
    let response = s
        .send_as(token, Method::GET, &format!("/api/v1/frameworks/{id}"))
        .await;
    assert_eq!(response.status(), 200);
    let revision = crate::common::etag(&response);
    let mut doc = json(response).await;
    doc["__revision"] = Value::from(revision);
    doc
}

fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

const INDICATOR: &str = "/competencies/0/levels/0/indicators";

#[tokio::test]
async fn framework_pages_edit_history_publish_and_isolation() {
    each_backend(Settings::default(), |s| async move {
        let alpha = s.org("alpha").await;
        let beta = s.org("beta").await;
        let token = alpha.designer.token.clone();
        let created = s
            .send_json(
                &token,
                Method::POST,
                "/api/v1/frameworks",
                &framework("analyst"),
            )
            .await;
        assert_eq!(created.status(), 201);
        let id = location(&created).rsplit('/').next().unwrap().to_string();
        let page = format!("/frameworks/{id}");
        let pages = [
            page.clone(),
            format!("{page}/edit"),
            format!("{page}/history"),
            format!("{page}/interview-guide"),
        ];

        // Anonymous visitors are sent to sign in, with the page to come back to.
        for path in pages.iter().chain([&"/frameworks".to_string()]) {
            let response = s.request(Method::GET, path).send().await.unwrap();
            assert_eq!(response.status(), 303, "{path}");
            assert!(location(&response).starts_with("/login"), "{path}");
        }

        let designer = Browser::sign_in_html(&s, &alpha.designer.user.email).await;
        let list = designer.get("/frameworks").await;
        assert_eq!(list.status(), 200);
        assert!(text(list).await.contains("Framework analyst"));
        let view = text(designer.get(&page).await).await;
        assert!(view.contains("Data Analysis"));
        assert!(view.contains("Reads a summary table correctly"));
        assert!(view.contains(&format!("/api/v1/frameworks/{id}/export/xlsx")));
        // Every export button on the page downloads with the session cookie.
        let prefix = format!("href=\"/api/v1/frameworks/{id}/export/");
        let formats: Vec<&str> = view
            .split(prefix.as_str())
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        for format in [
            "xlsx",
            "csv",
            "html",
            "md",
            "json",
            "toml",
            "docx",
            "case",
            "workbook-xlsx",
        ] {
            assert!(formats.contains(&format), "an export button for {format}");
        }
        for format in &formats {
            let download = designer
                .get(&format!("/api/v1/frameworks/{id}/export/{format}"))
                .await;
            assert_eq!(download.status(), 200, "export {format}");
            assert!(
                !download.bytes().await.unwrap().is_empty(),
                "export {format}"
            );
        }

        // The editor shows the revision it was loaded from and the lint findings.
        let editor = text(designer.get(&format!("{page}/edit")).await).await;
        assert!(editor.contains("name=\"revision\" value=\"1\""));
        assert!(
            editor.contains("data-code=\"indicator-count\""),
            "lint on load"
        );

        // Another organisation sees none of it: 404 pages, and its posts change nothing.
        let outsider = Browser::sign_in_html(&s, &beta.owner.user.email).await;
        for path in &pages {
            assert_eq!(outsider.get(path).await.status(), 404, "{path}");
        }
        let sneaky = outsider
            .post(
                &format!("{page}/edit"),
                &[("revision", "1"), ("/title", "Taken over")],
                true,
            )
            .await;
        assert_eq!(sneaky.status(), 404);
        for (action, fields) in [
            ("revert", vec![("revision", "1"), ("base", "1")]),
            ("publish", vec![("version", "9.0.0"), ("base", "1")]),
            ("review", vec![("kind", "annual"), ("base", "1")]),
        ] {
            let response = outsider
                .post(&format!("{page}/{action}"), &fields, true)
                .await;
            assert_eq!(response.status(), 404, "{action}");
        }
        assert_eq!(current(&s, &token, &id).await["__revision"], 1);

        // A save without the CSRF token is refused and changes nothing.
        let forged = designer
            .post(
                &format!("{page}/edit"),
                &[("revision", "1"), ("/title", "Forged")],
                false,
            )
            .await;
        assert_eq!(forged.status(), 403);
        // So is a field the editor does not offer, and publishing by the back door.
        for field in [("/version", "9.9.9"), ("/status", "published")] {
            let refused = designer
                .post(&format!("{page}/edit"), &[("revision", "1"), field], true)
                .await;
            assert_eq!(refused.status(), 422, "{field:?}");
        }
        let after = current(&s, &token, &id).await;
        assert_eq!(after["__revision"], 1);
        assert_eq!(after["title"], "Framework analyst");

        // A save applies the fields to the revision the form was loaded from.
        let saved = designer
            .post(
                &format!("{page}/edit"),
                &[
                    ("revision", "1"),
                    ("/title", "Data Analyst"),
                    (
                        INDICATOR,
                        "Reads a summary table correctly\nExplains a chart to a colleague\n\n",
                    ),
                    ("/role_profiles/0/targets/0/weight", "0.75"),
                    ("new_group_name", "Core skills"),
                    ("/status", "in_review"),
                    ("message", "Clearer indicators"),
                ],
                true,
            )
            .await;
        assert_eq!(saved.status(), 303);
        assert_eq!(location(&saved), page);
        let after = current(&s, &token, &id).await;
        assert_eq!(after["__revision"], 2);
        assert_eq!(after["title"], "Data Analyst");
        assert_eq!(
            after["competencies"][0]["levels"][0]["indicators"],
            serde_json::json!([
                "Reads a summary table correctly",
                "Explains a chart to a colleague"
            ])
        );
        assert_eq!(after["role_profiles"][0]["targets"][0]["weight"], 0.75);
        assert_eq!(after["groups"][0]["id"], "core-skills");
        assert_eq!(after["status"], "in_review");

        // A second form loaded from revision 1 is stale: refused, nothing overwritten.
        let stale = designer
            .post(
                &format!("{page}/edit"),
                &[("revision", "1"), ("/title", "Overwritten")],
                true,
            )
            .await;
        assert_eq!(stale.status(), 409);
        let body = text(stale).await;
        assert!(
            body.contains("Someone else saved a newer revision"),
            "{body}"
        );
        assert!(
            body.contains("Overwritten"),
            "the person's edits stay in the form"
        );
        let after = current(&s, &token, &id).await;
        assert_eq!(after["__revision"], 2);
        assert_eq!(after["title"], "Data Analyst");

        // Invalid input is refused naming the field, nothing saved.
        let bad = designer
            .post(
                &format!("{page}/edit"),
                &[
                    ("revision", "2"),
                    ("/role_profiles/0/targets/0/weight", "lots"),
                ],
                true,
            )
            .await;
        assert_eq!(bad.status(), 422);
        assert!(text(bad).await.contains("a weight is a number from 0 to 1"));
        assert_eq!(current(&s, &token, &id).await["__revision"], 2);

        // History: revisions with their authors and the diff of the last save.
        let owner = Browser::sign_in_html(&s, &alpha.owner.user.email).await;
        let history = text(owner.get(&format!("{page}/history")).await).await;
        assert!(history.contains("Clearer indicators"));
        assert!(history.contains("From revision 1 to revision 2"));
        assert!(
            history.contains("<ins>Explains a chart to a colleague</ins>"),
            "{history}"
        );
        assert!(history.contains("<td>designer</td>"), "the author's name");
        let clamped = text(owner.get(&format!("{page}/history?from=1&to=9")).await).await;
        assert!(
            clamped.contains("From revision 1 to revision 2"),
            "to the newest"
        );

        // Publish through the page, then the same version again is refused.
        let published = designer
            .post(
                &format!("{page}/publish"),
                &[("version", "1.0.0"), ("notes", "First"), ("base", "2")],
                true,
            )
            .await;
        assert_eq!(published.status(), 303);
        let releases = json(
            s.send_as(
                &token,
                Method::GET,
                &format!("/api/v1/frameworks/{id}/releases"),
            )
            .await,
        )
        .await;
        assert_eq!(releases[0]["version"], "1.0.0");
        let revision = current(&s, &token, &id).await["__revision"]
            .as_i64()
            .unwrap();
        let again = designer
            .post(
                &format!("{page}/publish"),
                &[("version", "1.0.0"), ("base", &revision.to_string())],
                true,
            )
            .await;
        assert_eq!(again.status(), 422);
        assert!(
            text(again)
                .await
                .contains("not higher than the latest release")
        );
        // A stale publish form changes nothing.
        let stale = designer
            .post(
                &format!("{page}/publish"),
                &[("version", "2.0.0"), ("base", "1")],
                true,
            )
            .await;
        assert_eq!(stale.status(), 412);

        // Revert to revision 1: a new revision with the old content.
        let reverted = designer
            .post(
                &format!("{page}/revert"),
                &[("revision", "1"), ("base", &revision.to_string())],
                true,
            )
            .await;
        assert_eq!(reverted.status(), 303);
        let after = current(&s, &token, &id).await;
        assert_eq!(after["__revision"], revision + 1);
        assert_eq!(after["title"], "Framework analyst");
        assert_eq!(after["status"], "draft");

        // The interview guide and an export with the session cookie.
        assert_eq!(
            designer
                .get(&format!("{page}/interview-guide"))
                .await
                .status(),
            200
        );
        let xlsx = designer
            .get(&format!("/api/v1/frameworks/{id}/export/xlsx"))
            .await;
        assert_eq!(xlsx.status(), 200);
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
        // Any revision can be downloaded from the history.
        let history = text(designer.get(&format!("{page}/history")).await).await;
        let link = format!("/api/v1/frameworks/{id}/export/json?revision=2");
        assert!(history.contains(&link));
        let old = json(designer.get(&link).await).await;
        assert_eq!(old["title"], "Data Analyst");

        // A viewer reads but cannot edit.
        let viewer = Browser::sign_in_html(&s, &alpha.viewer.user.email).await;
        assert_eq!(viewer.get(&page).await.status(), 200);
        assert_eq!(viewer.get(&format!("{page}/edit")).await.status(), 403);
        let refused = viewer
            .post(
                &format!("{page}/edit"),
                &[("revision", "4"), ("/title", "Viewer's title")],
                true,
            )
            .await;
        assert_eq!(refused.status(), 403);
        assert_eq!(current(&s, &token, &id).await["title"], "Framework analyst");

        // A malformed id is a 404 page too.
        assert_eq!(
            designer.get("/frameworks/not-a-uuid/edit").await.status(),
            404
        );
        s
    })
    .await;
}

#[tokio::test]
async fn review_dates_show_what_is_due() {
    each_backend(Settings::default(), |s| async move {
        let alpha = s.org("alpha").await;
        let mut overdue = framework("overdue");
        overdue["review"] = serde_json::json!({
            "last_reviewed": "2019-01-01",
            "next_review": "2020-01-01",
            "next_major_update": "2099-01-01"
        });
        let mut fresh = framework("fresh");
        fresh["review"] = serde_json::json!({ "next_review": "2099-06-30" });
        let mut ids = Vec::new();
        for doc in [overdue, fresh] {
            let created = s
                .send_json(
                    &alpha.designer.token,
                    Method::POST,
                    "/api/v1/frameworks",
                    &doc,
                )
                .await;
            assert_eq!(created.status(), 201);
            ids.push(location(&created).rsplit('/').next().unwrap().to_string());
        }
        let viewer = Browser::sign_in_html(&s, &alpha.viewer.user.email).await;
        let list = text(viewer.get("/frameworks").await).await;
        assert_eq!(
            list.matches("annual review due</span>").count(),
            1,
            "{list}"
        );
        assert!(list.contains("annual review 2099-06-30"));
        let due_only = text(viewer.get("/frameworks?due=1").await).await;
        assert!(due_only.contains("Framework overdue"));
        assert!(!due_only.contains("Framework fresh"));
        let drafts = text(viewer.get("/frameworks?status=published").await).await;
        assert!(drafts.contains("No framework matches these filters"));

        let page = text(viewer.get(&format!("/frameworks/{}", ids[0])).await).await;
        assert!(page.contains("The annual review is overdue: it was due on 2020-01-01."));
        assert!(page.contains("The thorough update is due on 2099-01-01."));
        assert!(page.contains("Last reviewed on 2019-01-01."));
        assert!(
            !page.contains("Record review"),
            "a viewer cannot record a review"
        );

        // A designer records the annual review: a new revision, next review in a year.
        let designer = Browser::sign_in_html(&s, &alpha.designer.user.email).await;
        let recorded = designer
            .post(
                &format!("/frameworks/{}/review", ids[0]),
                &[("kind", "annual"), ("base", "1")],
                true,
            )
            .await;
        assert_eq!(recorded.status(), 303);
        let after = current(&s, &alpha.designer.token, &ids[0]).await;
        assert_eq!(after["__revision"], 2);
        assert_ne!(after["review"]["next_review"], "2020-01-01");
        assert_eq!(after["review"]["next_major_update"], "2099-01-01");
        s
    })
    .await;
}

#[tokio::test]
async fn reviewers_comment_and_approve_viewers_cannot() {
    each_backend(Settings::default(), |s| async move {
        let alpha = s.org("alpha").await;
        let created = s
            .send_json(
                &alpha.designer.token,
                Method::POST,
                "/api/v1/frameworks",
                &framework("analyst"),
            )
            .await;
        let id = location(&created).rsplit('/').next().unwrap().to_string();
        let path = format!("/frameworks/{id}/comments");

        let reviewer = Browser::sign_in_html(&s, &alpha.reviewer.user.email).await;
        let approved = reviewer
            .post(
                &path,
                &[
                    ("kind", "approval"),
                    ("body", "Clear and complete"),
                    ("revision", "1"),
                ],
                true,
            )
            .await;
        assert_eq!(approved.status(), 303);
        let empty = reviewer
            .post(
                &path,
                &[("kind", "comment"), ("body", "  "), ("revision", "1")],
                true,
            )
            .await;
        assert_eq!(empty.status(), 422);
        let unknown = reviewer
            .post(
                &path,
                &[("kind", "comment"), ("body", "x"), ("revision", "7")],
                true,
            )
            .await;
        assert_eq!(unknown.status(), 422, "no such revision");

        let viewer = Browser::sign_in_html(&s, &alpha.viewer.user.email).await;
        let refused = viewer
            .post(
                &path,
                &[("kind", "approval"), ("body", "Me too"), ("revision", "1")],
                true,
            )
            .await;
        assert_eq!(refused.status(), 403);

        let history = text(viewer.get(&format!("/frameworks/{id}/history")).await).await;
        assert!(history.contains("<strong>Approved</strong> by reviewer on revision 1"));
        assert!(history.contains("Clear and complete"));
        assert!(!history.contains("Me too"));
        assert!(
            !history.contains("id=\"comment-form\""),
            "no form for a viewer"
        );
        let comments = json(
            s.send_as(
                &alpha.owner.token,
                Method::GET,
                &format!("/api/v1/frameworks/{id}/comments"),
            )
            .await,
        )
        .await;
        assert_eq!(comments["total"], 1);
        s
    })
    .await;
}

#[tokio::test]
async fn deleting_needs_the_box_the_newest_revision_and_a_designer() {
    each_backend(Settings::default(), |s| async move {
        let alpha = s.org("alpha").await;
        let token = alpha.designer.token.clone();
        let created = s
            .send_json(
                &token,
                Method::POST,
                "/api/v1/frameworks",
                &framework("analyst"),
            )
            .await;
        let id = location(&created).rsplit('/').next().unwrap().to_string();
        let path = format!("/frameworks/{id}/delete");
        let designer = Browser::sign_in_html(&s, &alpha.designer.user.email).await;

        let page = text(designer.get(&format!("/frameworks/{id}/history")).await).await;
        assert!(
            page.contains(
                "action=\"/frameworks/{id}/delete\""
                    .replace("{id}", &id)
                    .as_str()
            )
        );
        let unconfirmed = designer.post(&path, &[("base", "1")], true).await;
        assert_eq!(unconfirmed.status(), 422);
        let stale = designer
            .post(&path, &[("base", "0"), ("confirm", "yes")], true)
            .await;
        assert_eq!(stale.status(), 412);
        let viewer = Browser::sign_in_html(&s, &alpha.viewer.user.email).await;
        let refused = viewer
            .post(&path, &[("base", "1"), ("confirm", "yes")], true)
            .await;
        assert_eq!(refused.status(), 403);
        assert_eq!(current(&s, &token, &id).await["__revision"], 1);

        let deleted = designer
            .post(&path, &[("base", "1"), ("confirm", "yes")], true)
            .await;
        assert_eq!(deleted.status(), 303);
        assert_eq!(location(&deleted), "/frameworks");
        let gone = s
            .send_as(&token, Method::GET, &format!("/api/v1/frameworks/{id}"))
            .await;
        assert_eq!(gone.status(), 404);
        assert_eq!(
            designer.get(&format!("/frameworks/{id}")).await.status(),
            404
        );
        s
    })
    .await;
}

#[tokio::test]
async fn removing_a_competency_keeps_the_form_in_step() {
    each_backend(Settings::default(), |s| async move {
        let alpha = s.org("alpha").await;
        let token = alpha.designer.token.clone();
        let created = s
            .send_json(
                &token,
                Method::POST,
                "/api/v1/frameworks",
                &framework("analyst"),
            )
            .await;
        let id = location(&created).rsplit('/').next().unwrap().to_string();
        let edit = format!("/frameworks/{id}/edit");
        let designer = Browser::sign_in_html(&s, &alpha.designer.user.email).await;

        // With an error elsewhere nothing is saved, and the form comes back on the structure
        // it was loaded with: the removal still ticked, the other competency at its place.
        let refused = designer
            .post(
                &edit,
                &[
                    ("revision", "1"),
                    ("remove_competency", "data-analysis"),
                    ("/competencies/1/definition", "Writes prompts that work."),
                    ("/title", ""),
                ],
                true,
            )
            .await;
        assert_eq!(refused.status(), 422);
        let page = text(refused).await;
        assert!(page.contains("name=\"remove_competency\" value=\"data-analysis\" checked"));
        assert!(page.contains("name=\"/competencies/1/definition\""));
        assert!(page.contains("Writes prompts that work."));
        assert_eq!(current(&s, &token, &id).await["__revision"], 1);

        let saved = designer
            .post(
                &edit,
                &[
                    ("revision", "1"),
                    ("remove_competency", "data-analysis"),
                    ("/competencies/1/definition", "Writes prompts that work."),
                ],
                true,
            )
            .await;
        assert_eq!(saved.status(), 303);
        let after = current(&s, &token, &id).await;
        assert_eq!(after["competencies"].as_array().unwrap().len(), 1);
        assert_eq!(after["competencies"][0]["id"], "prompting");
        assert_eq!(
            after["competencies"][0]["definition"],
            "Writes prompts that work."
        );
        assert_eq!(after["role_profiles"][0]["targets"], serde_json::json!([]));
        s
    })
    .await;
}

#[tokio::test]
async fn publishing_records_what_replaces_a_removed_competency() {
    each_backend(Settings::default(), |s| async move {
        let alpha = s.org("alpha").await;
        let token = alpha.designer.token.clone();
        let created = s
            .send_json(
                &token,
                Method::POST,
                "/api/v1/frameworks",
                &framework("analyst"),
            )
            .await;
        let id = location(&created).rsplit('/').next().unwrap().to_string();
        let designer = Browser::sign_in_html(&s, &alpha.designer.user.email).await;
        let history = format!("/frameworks/{id}/history");
        let publish = format!("/frameworks/{id}/publish");
        let first = designer
            .post(&publish, &[("version", "1.0.0"), ("base", "1")], true)
            .await;
        assert_eq!(first.status(), 303);
        let removed = designer
            .post(
                &format!("/frameworks/{id}/edit"),
                &[("revision", "2"), ("remove_competency", "data-analysis")],
                true,
            )
            .await;
        assert_eq!(removed.status(), 303);

        let page = text(designer.get(&history).await).await;
        assert!(page.contains("“Data Analysis” is replaced by"), "{page}");
        assert!(page.contains("name=\"replace:data-analysis\""));

        let wrong = designer
            .post(
                &publish,
                &[
                    ("version", "1.1.0"),
                    ("base", "3"),
                    ("replace:data-analysis", "ghost"),
                ],
                true,
            )
            .await;
        assert_eq!(wrong.status(), 422);
        assert!(text(wrong).await.contains("ghost"));

        let second = designer
            .post(
                &publish,
                &[
                    ("version", "1.1.0"),
                    ("base", "3"),
                    ("replace:data-analysis", "prompting"),
                ],
                true,
            )
            .await;
        assert_eq!(second.status(), 303);
        let releases = json(
            s.send_as(
                &token,
                Method::GET,
                &format!("/api/v1/frameworks/{id}/releases"),
            )
            .await,
        )
        .await;
        assert_eq!(releases[0]["version"], "1.1.0");
        assert_eq!(releases[0]["replacements"][0]["from"], "data-analysis");
        assert_eq!(releases[0]["replacements"][0]["to"], "prompting");
        let page = text(designer.get(&history).await).await;
        assert!(page.contains("“Data Analysis” replaced by Prompting"));
        s
    })
    .await;
}
