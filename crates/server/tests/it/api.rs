//! The REST API over real HTTP on a real database: frameworks with ETags and history,
//! publishing and review dates, malformed and oversized bodies, CSRF, the login rate limit,
//! the set-up link, members, tokens and catalogues. Runs on SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set.

use std::time::Duration;

use crate::common::{TestServer, each_backend, etag, framework, json};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::{Value, json};

fn problem_type(body: &Value) -> &str {
    body["type"].as_str().unwrap_or_default()
}

async fn assert_problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status, "status");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "problem media type"
    );
    let body = json(response).await;
    assert_eq!(body["status"], status);
    assert!(problem_type(&body).starts_with("urn:framewright:problem:"));
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frameworks_crud_etags_history_publish_and_review() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let created = s
            .send_json(designer, Method::POST, "/api/v1/frameworks?message=first%20draft", &framework("analyst")).await;
        assert_eq!(created.status(), 201);
        assert_eq!(etag(&created), 1);
        let location = created.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/api/v1/frameworks/"));
        let doc = json(created).await;
        assert_eq!(doc["id"], "analyst");

        // Read, conditional read.
        let got = s.send_as(designer, Method::GET, &location).await;
        assert_eq!(got.status(), 200);
        assert_eq!(etag(&got), 1);
        assert_eq!(json(got).await, doc);
        let unchanged = s
            .as_(designer, Method::GET, &location)
            .header("if-none-match", "\"1\"")
            .send()
            .await
            .unwrap();
        assert_eq!(unchanged.status(), 304);

        // Writes need If-Match; a stale one changes nothing.
        let mut edited = doc.clone();
        edited["title"] = json!("Data Analyst");
        let missing = s.send_json(designer, Method::PUT, &location, &edited).await;
        let body = assert_problem(missing, 428).await;
        assert_eq!(body["errors"][0]["pointer"], "If-Match");
        let saved = s
            .send_json_if(designer, Method::PUT, &format!("{location}?message=retitle"), "\"1\"", &edited).await;
        assert_eq!(saved.status(), 200);
        assert_eq!(etag(&saved), 2);
        let mut stale = doc.clone();
        stale["title"] = json!("Overwritten");
        let refused = s
            .send_json_if(designer, Method::PUT, &location, "\"1\"", &stale).await;
        let body = assert_problem(refused, 412).await;
        assert_eq!(body["current_revision"], 2);
        let now = s.send_as(designer, Method::GET, &location).await;
        assert_eq!(etag(&now), 2);
        assert_eq!(json(now).await["title"], "Data Analyst");
        let garbage = s
            .send_json_if(designer, Method::PUT, &location, "not-an-etag", &stale).await;
        assert_problem(garbage, 412).await;

        // Roles.
        let viewer = s
            .send_json_if(&alpha.viewer.token, Method::PUT, &location, "\"2\"", &stale).await;
        assert_problem(viewer, 403).await;
        let reviewer = s
            .send_json(&alpha.reviewer.token, Method::POST, "/api/v1/frameworks", &framework("other")).await;
        assert_problem(reviewer, 403).await;

        // Publishing is its own operation.
        let mut published = edited.clone();
        published["status"] = json!("published");
        let sneaky = s
            .send_json_if(designer, Method::PUT, &location, "\"2\"", &published).await;
        let body = assert_problem(sneaky, 422).await;
        assert_eq!(body["errors"][0]["pointer"], "/status");

        // History, diff, revert.
        let revisions = json(
            s.send_as(designer, Method::GET, &format!("{location}/revisions")).await,
        )
        .await;
        assert_eq!(revisions["total"], 2);
        assert_eq!(revisions["items"][0]["number"], 2);
        assert_eq!(revisions["items"][0]["message"], "retitle");
        assert_eq!(revisions["items"][1]["message"], "first draft");
        let first = s
            .send_as(designer, Method::GET, &format!("{location}/revisions/1")).await;
        assert_eq!(etag(&first), 1);
        assert_eq!(json(first).await, doc);
        let diff = json(
            s.send_as(designer, Method::GET, &format!("{location}/diff?from=1")).await,
        )
        .await;
        assert_eq!(diff["to"], 2);
        assert_eq!(diff["diff"]["fields"][0]["field"], "title");
        assert_eq!(diff["diff"]["fields"][0]["after"], "Data Analyst");
        let no_such = s
            .send_as(designer, Method::GET, &format!("{location}/diff?from=9")).await;
        assert_problem(no_such, 404).await;
        let reverted = s
            .send_json_if(designer, Method::POST, &format!("{location}/revert"), "\"2\"", &json!({ "revision": 1 })).await;
        assert_eq!(reverted.status(), 200);
        assert_eq!(etag(&reverted), 3);
        assert_eq!(json(reverted).await, doc);

        // Publish 1.0.0: status, release, review dates.
        let release = s
            .send_json_if(designer, Method::POST, &format!("{location}/publish"), "\"3\"", &json!({ "version": "1.0.0", "notes": "First release" })).await;
        assert_eq!(release.status(), 201);
        assert_eq!(etag(&release), 4);
        let release = json(release).await;
        assert_eq!(release["version"], "1.0.0");
        assert_eq!(release["revision"], 4);
        let summary = json(
            s.send_as(designer, Method::GET, &format!("{location}/summary")).await,
        )
        .await;
        assert_eq!(summary["status"], "published");
        assert_eq!(summary["latest_release"], "1.0.0");
        let today = time::OffsetDateTime::now_utc().date();
        let next_year = framewright_model::framework::add_years(today, 1).unwrap();
        assert_eq!(summary["next_review"], next_year.to_string());
        assert_eq!(summary["review_due"], json!([]));

        // Release 2.0.0 replaces a competency.
        let mut next: Value = json(s.send_as(designer, Method::GET, &location).await).await;
        next["status"] = json!("draft");
        let competencies = next["competencies"].as_array_mut().unwrap();
        competencies.retain(|c| c["id"] != "prompting");
        competencies.push(json!({ "id": "prompt-engineering", "name": "Prompt Engineering", "kind": "technical" }));
        let saved = s
            .send_json_if(designer, Method::PUT, &location, "\"4\"", &next).await;
        assert_eq!(etag(&saved), 5);
        let low = s
            .send_json_if(designer, Method::POST, &format!("{location}/publish"), "\"5\"", &json!({ "version": "0.9.0" })).await;
        let body = assert_problem(low, 422).await;
        assert_eq!(body["errors"][0]["pointer"], "/version");
        let wrong = s
            .send_json_if(designer, Method::POST, &format!("{location}/publish"), "\"5\"", &json!({ "version": "2.0.0", "replacements": [{ "from": "data-analysis", "to": "prompt-engineering" }, { "from": "prompting", "to": "nothing" }] })).await;
        let body = assert_problem(wrong, 422).await;
        assert_eq!(body["errors"][0]["pointer"], "/replacements/0/from");
        assert_eq!(body["errors"][1]["pointer"], "/replacements/1/to");
        let second = s
            .send_json_if(designer, Method::POST, &format!("{location}/publish"), "\"5\"", &json!({ "version": "2.0.0", "replacements": [{ "from": "prompting", "to": "prompt-engineering" }] })).await;
        assert_eq!(second.status(), 201);
        let releases = json(
            s.send_as(designer, Method::GET, &format!("{location}/releases")).await,
        )
        .await;
        assert_eq!(releases[0]["version"], "2.0.0");
        assert_eq!(
            releases[0]["replacements"],
            json!([{ "from": "prompting", "from_name": "Prompting", "to": "prompt-engineering" }])
        );
        assert_eq!(releases[1]["version"], "1.0.0");
        let diff = json(
            s.send_as(designer, Method::GET, &format!("{location}/diff?from=4&to=6")).await,
        )
        .await;
        assert_eq!(diff["diff"]["competencies_added"][0]["id"], "prompt-engineering");
        assert_eq!(diff["diff"]["competencies_removed"][0]["id"], "prompting");

        // Review done: new revision with new dates.
        let reviewed = s
            .send_json_if(designer, Method::POST, &format!("{location}/review"), "\"6\"", &json!({ "thorough": true })).await;
        assert_eq!(etag(&reviewed), 7);
        let reviewed = json(reviewed).await;
        assert_eq!(reviewed["review"]["last_reviewed"], today.to_string());
        let due = json(
            s.send_as(designer, Method::GET, "/api/v1/frameworks?review_due=true").await,
        )
        .await;
        assert_eq!(due["total"], 0);
        let all = json(s.send_as(designer, Method::GET, "/api/v1/frameworks?per_page=1").await).await;
        assert_eq!(all["total"], 1);
        assert_eq!(all["per_page"], 1);

        // Lint, stored and sent.
        let lint = json(
            s.send_as(designer, Method::GET, &format!("{location}/lint")).await,
        )
        .await;
        assert!(lint["findings"].as_array().unwrap().iter().any(|f| f["code"] == "competency-count"));
        let mut broken = framework("x");
        broken["competencies"][1]["id"] = json!("data-analysis");
        let lint = json(
            s.send_json(designer, Method::POST, "/api/v1/lint", &broken).await,
        )
        .await;
        assert!(lint["errors"].as_u64().unwrap() >= 1);
        assert!(lint["findings"].as_array().unwrap().iter().any(|f| f["code"] == "duplicate-id" && f["pointer"] == "/competencies/1/id"));

        // Review comments.
        let approval = s
            .send_json(&alpha.reviewer.token, Method::POST, &format!("{location}/comments"), &json!({ "kind": "approval", "body": "Ready", "revision": 7 })).await;
        assert_eq!(approval.status(), 201);
        let viewer_comment = s
            .send_json(&alpha.viewer.token, Method::POST, &format!("{location}/comments"), &json!({ "kind": "comment", "body": "Hi" })).await;
        assert_problem(viewer_comment, 403).await;
        let comments = json(
            s.send_as(&alpha.viewer.token, Method::GET, &format!("{location}/comments")).await,
        )
        .await;
        assert_eq!(comments["items"][0]["kind"], "approval");
        assert_eq!(comments["items"][0]["author_name"], "reviewer");

        // Delete needs the current ETag too.
        let stale = s
            .as_(designer, Method::DELETE, &location)
            .header("if-match", "\"6\"")
            .send()
            .await
            .unwrap();
        assert_problem(stale, 412).await;
        let gone = s
            .as_(designer, Method::DELETE, &location)
            .header("if-match", "\"7\"")
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 204);
        let missing = s.send_as(designer, Method::GET, &location).await;
        assert_problem(missing, 404).await;

        // The audit log, for owners.
        let audit = json(
            s.send_as(&alpha.owner.token, Method::GET, "/api/v1/audit?per_page=200").await,
        )
        .await;
        let actions: Vec<&str> = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        for expected in ["framework.create", "framework.update", "framework.publish", "framework.comment", "framework.delete"] {
            assert!(actions.contains(&expected), "{expected} in {actions:?}");
        }
        let refused = s.send_as(designer, Method::GET, "/api/v1/audit").await;
        assert_problem(refused, 403).await;
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_bodies_are_refused_and_change_nothing() {
    let settings = Settings {
        body_limit: 64 * 1024,
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let token = &alpha.designer.token;
        let created = s
            .send_json(token, Method::POST, "/api/v1/frameworks", &framework("analyst")).await;
        let location = created.headers()["location"].to_str().unwrap().to_string();
        let audit_before = json(
            s.send_as(&alpha.owner.token, Method::GET, "/api/v1/audit").await,
        )
        .await["total"]
            .clone();

        let put = |body: reqwest::Body, content_type: &'static str| {
            s.as_(token, Method::PUT, &location)
                .header("if-match", "\"1\"")
                .header("content-type", content_type)
                .body(body)
        };
        let syntax = put(
            "{\"format\": \"framewright/1\", ".into(),
            "application/json",
        )
        .send()
        .await
        .unwrap();
        let body = assert_problem(syntax, 400).await;
        assert!(body["detail"].as_str().unwrap().contains("line 1"));

        let mut wrong_type = framework("analyst");
        wrong_type["competencies"][0]["levels"][1]["level"] = json!("two");
        let typed = put(wrong_type.to_string().into(), "application/json")
            .send()
            .await
            .unwrap();
        let body = assert_problem(typed, 422).await;
        assert_eq!(
            body["errors"][0]["pointer"],
            "/competencies/0/levels/1/level"
        );

        let mut missing = framework("analyst");
        missing["competencies"][1]
            .as_object_mut()
            .unwrap()
            .remove("name");
        let body = assert_problem(
            put(missing.to_string().into(), "application/json")
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
        assert_eq!(body["errors"][0]["pointer"], "/competencies/1/name");

        let mut unknown = framework("analyst");
        unknown["competencies"][0]["colour"] = json!("red");
        let body = assert_problem(
            put(unknown.to_string().into(), "application/json")
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
        assert_eq!(body["errors"][0]["pointer"], "/competencies/0/colour");

        let mut invalid = framework("analyst");
        invalid["competencies"][1]["id"] = json!("data-analysis");
        invalid["role_profiles"][0]["targets"][0]["level"] = json!(9);
        let body = assert_problem(
            put(invalid.to_string().into(), "application/json")
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
        let pointers: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["pointer"].as_str().unwrap())
            .collect();
        assert!(pointers.contains(&"/competencies/1/id"), "{pointers:?}");
        assert!(
            pointers.contains(&"/role_profiles/0/targets/0/level"),
            "{pointers:?}"
        );

        let media = put(framework("analyst").to_string().into(), "text/plain")
            .send()
            .await
            .unwrap();
        assert_problem(media, 415).await;

        // Oversized: a valid framework padded past the limit.
        let mut big = framework("analyst");
        big["description"] = json!("x".repeat(100 * 1024));
        let too_big = put(big.to_string().into(), "application/json")
            .send()
            .await
            .unwrap();
        let body = assert_problem(too_big, 413).await;
        assert_eq!(
            problem_type(&body),
            "urn:framewright:problem:body-too-large"
        );
        let too_big_create = s
            .send_json(token, Method::POST, "/api/v1/frameworks", &{
                let mut b = big.clone();
                b["id"] = json!("big");
                b
            }).await;
        assert_problem(too_big_create, 413).await;

        // Nothing changed.
        let now = s.send_as(token, Method::GET, &location).await;
        assert_eq!(etag(&now), 1);
        assert_eq!(json(now).await, framework("analyst"));
        let list = json(
            s.send_as(token, Method::GET, "/api/v1/frameworks").await,
        )
        .await;
        assert_eq!(list["total"], 1);
        let audit_after = json(
            s.send_as(&alpha.owner.token, Method::GET, "/api/v1/audit").await,
        )
        .await["total"]
            .clone();
        assert_eq!(audit_before, audit_after);

        // Catalogue imports have their own, larger limit.
        let competencies: Vec<Value> = (0..400)
            .map(|i| json!({ "id": format!("c{i}"), "name": format!("Competency {i}"), "definition": "d".repeat(300) }))
            .collect();
        let catalogue = json!({ "id": "big", "name": "Big", "licence": "none", "competencies": competencies });
        assert!(catalogue.to_string().len() > 100 * 1024);
        let imported = s.send_json(token, Method::POST, "/api/v1/catalogues", &catalogue).await;
        assert_eq!(imported.status(), 201);

        // Query-string errors are problems too.
        let bad_page = s
            .send_as(token, Method::GET, "/api/v1/frameworks?page=first").await;
        let body = assert_problem(bad_page, 400).await;
        assert_eq!(body["errors"][0]["pointer"], "page");
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sessions_need_the_csrf_token_for_every_change() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let (cookie, csrf) = s.login("designer@alpha.test").await;
        let get = s.get_with_cookie(&cookie, "/api/v1/frameworks").await;
        assert_eq!(get.status(), 200);
        let without = s
            .request(Method::POST, "/api/v1/frameworks")
            .header("cookie", &cookie)
            .json(&framework("a"))
            .send()
            .await
            .unwrap();
        let body = assert_problem(without, 403).await;
        assert_eq!(problem_type(&body), "urn:framewright:problem:csrf");
        let wrong = s
            .request(Method::POST, "/api/v1/frameworks")
            .header("cookie", &cookie)
            .header("x-csrf-token", "0".repeat(64))
            .json(&framework("a"))
            .send()
            .await
            .unwrap();
        assert_problem(wrong, 403).await;
        let list = json(
            s.send_as(&alpha.designer.token, Method::GET, "/api/v1/frameworks")
                .await,
        )
        .await;
        assert_eq!(list["total"], 0, "nothing was created without the token");
        let with = s
            .request(Method::POST, "/api/v1/frameworks")
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&framework("a"))
            .send()
            .await
            .unwrap();
        assert_eq!(with.status(), 201);
        let me = json(s.get_with_cookie(&cookie, "/api/v1/session").await).await;
        assert_eq!(me["csrf_token"], csrf.as_str());
        assert_eq!(me["organisation"]["role"], "designer");
        let logout = s
            .request(Method::DELETE, "/api/v1/session")
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_problem(logout, 403).await;
        let logout = s
            .request(Method::DELETE, "/api/v1/session")
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap();
        assert_eq!(logout.status(), 204);
        assert!(
            logout.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        let after = s.get_with_cookie(&cookie, "/api/v1/session").await;
        assert_problem(after, 401).await;
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_cookie_is_http_only_same_site_and_secure_behind_tls() {
    let settings = Settings {
        secure_cookies: true,
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        s.org("alpha").await;
        let response = s
            .request(Method::POST, "/api/v1/session")
            .json(&json!({ "email": "viewer@alpha.test", "password": crate::common::PASSWORD }))
            .send()
            .await
            .unwrap();
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.starts_with("fw_session="));
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(cookie.contains(attribute), "{attribute} in {cookie}");
        }
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_is_rate_limited_per_address() {
    let settings = Settings {
        login_burst: 5,
        login_refill: Duration::from_secs(60),
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        s.org("alpha").await;
        let attempt = |password: &'static str| {
            s.request(Method::POST, "/api/v1/session")
                .json(&json!({ "email": "owner@alpha.test", "password": password }))
                .send()
        };
        for _ in 0..5 {
            assert_problem(attempt("wrong password!").await.unwrap(), 401).await;
        }
        let limited = attempt("wrong password!").await.unwrap();
        let retry: u64 = limited.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry));
        let body = assert_problem(limited, 429).await;
        assert_eq!(problem_type(&body), "urn:framewright:problem:rate-limited");
        // Even the right password waits.
        assert_problem(attempt(crate::common::PASSWORD).await.unwrap(), 429).await;
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setup_link_creates_the_owner_once() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let token = s
            .app_setup_token
            .clone()
            .expect("a set-up token on an empty store");
        let wrong = s
            .request(Method::GET, "/setup?token=nope")
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 404);
        let page = s
            .request(Method::GET, &format!("/setup?token={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("<label for=\"email\">"));
        let form = |password: &str| {
            vec![
                ("token", token.clone()),
                ("organisation", "Acme Analytics".to_string()),
                ("name", "Ann Owner".to_string()),
                ("email", "Ann@Acme.test".to_string()),
                ("password", password.to_string()),
                ("password_again", password.to_string()),
            ]
        };
        let short = s
            .request(Method::POST, "/setup")
            .form(&form("short"))
            .send()
            .await
            .unwrap();
        assert_eq!(short.status(), 422);
        assert!(
            short
                .text()
                .await
                .unwrap()
                .contains("at least 10 characters")
        );
        assert_eq!(s.store.count_users().await.unwrap(), 0);
        let done = s
            .request(Method::POST, "/setup")
            .form(&form("a long enough password"))
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 303);
        assert_eq!(done.headers()["location"], "/");
        let cookie = crate::common::session_cookie(&done);
        let me = json(s.get_with_cookie(&cookie, "/api/v1/session").await).await;
        assert_eq!(me["email"], "ann@acme.test");
        assert_eq!(me["organisation"]["slug"], "acme-analytics");
        assert_eq!(me["organisation"]["role"], "owner");
        // The link is spent.
        let again = s
            .request(Method::GET, &format!("/setup?token={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 404);
        let replay = s
            .request(Method::POST, "/setup")
            .form(&form("another long password"))
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), 404);
        assert_eq!(s.store.count_users().await.unwrap(), 1);
        // A restart with an account prints no link.
        let restarted = framewright_server::build(s.store.clone(), Settings::default())
            .await
            .unwrap();
        assert!(restarted.setup_token.is_none());
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_roles_and_tokens() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let owner = &alpha.owner.token;
        let added = s
            .send_json(owner, Method::POST, "/api/v1/members", &json!({ "email": "New@Alpha.test", "password": crate::common::PASSWORD, "role": "reviewer" })).await;
        assert_eq!(added.status(), 201);
        let added = json(added).await;
        assert_eq!(added["email"], "new@alpha.test");
        let user_id = added["user_id"].as_str().unwrap().to_string();
        let designer_try = s
            .send_json(&alpha.designer.token, Method::POST, "/api/v1/members", &json!({ "email": "x@alpha.test", "password": "a long enough password", "role": "owner" })).await;
        assert_problem(designer_try, 403).await;
        let weak = s
            .send_json(owner, Method::POST, "/api/v1/members", &json!({ "email": "y@alpha.test", "password": "short", "role": "viewer" })).await;
        assert_eq!(assert_problem(weak, 422).await["errors"][0]["pointer"], "/password");
        let bad_role = s
            .send_json(owner, Method::POST, "/api/v1/members", &json!({ "email": "y@alpha.test", "role": "boss" })).await;
        assert_eq!(assert_problem(bad_role, 422).await["errors"][0]["pointer"], "/role");
        let (cookie, _) = s.login("new@alpha.test").await;
        assert!(cookie.starts_with("fw_session="));
        let members = json(s.send_as(owner, Method::GET, "/api/v1/members").await).await;
        assert_eq!(members["total"], 5);
        let promoted = s
            .send_json(owner, Method::PUT, &format!("/api/v1/members/{user_id}"), &json!({ "role": "designer" })).await;
        assert_eq!(json(promoted).await["role"], "designer");
        let last_owner = s
            .send_json(owner, Method::PUT, &format!("/api/v1/members/{}", alpha.owner.user.id), &json!({ "role": "viewer" })).await;
        assert_problem(last_owner, 409).await;
        let removed = s
            .send_as(owner, Method::DELETE, &format!("/api/v1/members/{user_id}")).await;
        assert_eq!(removed.status(), 204);

        // Tokens: created, used, listed, revoked.
        let created = s
            .send_json(&alpha.viewer.token, Method::POST, "/api/v1/tokens", &json!({ "name": "nightly export", "expires_in_days": 30 })).await;
        assert_eq!(created.status(), 201);
        let created = json(created).await;
        let secret = created["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("fwt_"));
        let me = json(s.send_as(&secret, Method::GET, "/api/v1/session").await).await;
        assert_eq!(me["email"], "viewer@alpha.test");
        assert_eq!(me["via"], "token");
        let listed = json(s.send_as(&alpha.viewer.token, Method::GET, "/api/v1/tokens").await).await;
        assert_eq!(listed.as_array().unwrap().len(), 2);
        assert!(listed.to_string().find(&secret).is_none(), "secrets are never listed");
        let id = created["token"]["id"].as_str().unwrap();
        let other = s
            .send_as(&alpha.designer.token, Method::DELETE, &format!("/api/v1/tokens/{id}")).await;
        assert_problem(other, 404).await;
        let revoked = s
            .send_as(&alpha.viewer.token, Method::DELETE, &format!("/api/v1/tokens/{id}")).await;
        assert_eq!(revoked.status(), 204);
        assert_problem(s.send_as(&secret, Method::GET, "/api/v1/session").await, 401).await;
        let malformed = s
            .request(Method::GET, "/api/v1/session")
            .header("authorization", "Basic abc")
            .send()
            .await
            .unwrap();
        let response = assert_problem(malformed, 401).await;
        assert!(response["detail"].as_str().unwrap().contains("Bearer"));
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogues_import_and_search() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let viewer = &alpha.viewer.token;
        let list = json(s.send_as(viewer, Method::GET, "/api/v1/catalogues").await).await;
        assert_eq!(list["items"][0]["id"], "opm-ai-2024");
        assert_eq!(list["items"][0]["builtin"], true);
        let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
        let hits = json(
            s.send_as(viewer, Method::GET, "/api/v1/competencies?catalogue=opm-ai-2024&kind=technical&per_page=200").await,
        )
        .await;
        let technical = opm.competencies.iter().filter(|c| c.kind == framewright_model::CompetencyKind::Technical).count();
        assert_eq!(hits["total"], technical);
        let first = &opm.competencies[0];
        let one = json(
            s.send_as(viewer, Method::GET, &format!("/api/v1/catalogues/opm-ai-2024/competencies/{}", first.id)).await,
        )
        .await;
        assert_eq!(one["name"], first.name.as_str());
        let bad_grade = s.send_as(viewer, Method::GET, "/api/v1/competencies?grade=GS-99").await;
        assert_eq!(assert_problem(bad_grade, 400).await["errors"][0]["pointer"], "grade");

        let own = json!({
            "id": "alpha-skills",
            "name": "Alpha skills",
            "licence": "CC-BY-4.0",
            "competencies": [
                { "id": "stakeholder-mapping", "name": "Stakeholder Mapping", "kind": "skill", "definition": "Maps who is affected by an AI system." },
                { "id": "model-cards", "name": "Model Cards", "kind": "knowledge" }
            ]
        });
        let refused = s.send_json(viewer, Method::POST, "/api/v1/catalogues", &own).await;
        assert_problem(refused, 403).await;
        let mut dup = own.clone();
        dup["competencies"][1]["id"] = json!("stakeholder-mapping");
        let invalid = s.send_json(&alpha.designer.token, Method::POST, "/api/v1/catalogues", &dup).await;
        assert_eq!(assert_problem(invalid, 422).await["errors"][0]["pointer"], "/competencies/1/id");
        let imported = s.send_json(&alpha.designer.token, Method::POST, "/api/v1/catalogues", &own).await;
        assert_eq!(imported.status(), 201);
        let found = json(s.send_as(viewer, Method::GET, "/api/v1/competencies?q=AI%20affected").await).await;
        assert_eq!(found["total"], 1);
        assert_eq!(found["items"][0]["catalogue"], "alpha-skills");
        assert_eq!(found["items"][0]["competency"]["id"], "stakeholder-mapping");
        let whole = json(s.send_as(viewer, Method::GET, "/api/v1/catalogues/alpha-skills").await).await;
        assert_eq!(whole["competencies"].as_array().unwrap().len(), 2);
        let builtin = s.send_as(&alpha.designer.token, Method::DELETE, "/api/v1/catalogues/opm-ai-2024").await;
        assert_problem(builtin, 404).await;
        let deleted = s.send_as(&alpha.designer.token, Method::DELETE, "/api/v1/catalogues/alpha-skills").await;
        assert_eq!(deleted.status(), 204);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_and_methods_answer_problems() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        assert_problem(
            s.send_as(&alpha.owner.token, Method::GET, "/api/v1/nothing")
                .await,
            404,
        )
        .await;
        assert_problem(
            s.send_as(&alpha.owner.token, Method::PATCH, "/api/v1/frameworks")
                .await,
            405,
        )
        .await;
        assert_problem(
            s.send_as(
                &alpha.owner.token,
                Method::GET,
                "/api/v1/frameworks/not-a-uuid",
            )
            .await,
            404,
        )
        .await;
        let health = s.request(Method::GET, "/healthz").send().await.unwrap();
        assert_eq!(health.status(), 200);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_a_draft_save_it_and_export_it_in_every_format() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let token = &alpha.designer.token;
        let draft = s.generate_ml_engineer(token).await;
        let competencies = draft["framework"]["competencies"].as_array().unwrap();
        assert!(
            (6..=12).contains(&competencies.len()),
            "{}",
            competencies.len()
        );
        assert!(competencies.iter().all(|c| c["rationale"].is_string()));
        assert_eq!(draft["lint"]["errors"], 0);
        let bad = s
            .send_json(
                token,
                Method::POST,
                "/api/v1/frameworks/generate",
                &json!({ "title": "Analyst", "grade": "GS-13", "level": 3 }),
            )
            .await;
        assert_eq!(
            assert_problem(bad, 422).await["errors"][0]["pointer"],
            "/level"
        );
        let nothing = json(s.send_as(token, Method::GET, "/api/v1/frameworks").await).await;
        assert_eq!(nothing["total"], 0, "generating stores nothing");

        let location = s.save_framework(token, &draft["framework"]).await;
        for (format, media) in [
            ("md", "text/markdown; charset=utf-8"),
            ("html", "text/html; charset=utf-8"),
            ("csv", "text/csv; charset=utf-8"),
            (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("json", "application/json"),
            ("toml", "application/toml"),
        ] {
            let file = s
                .send_as(
                    &alpha.viewer.token,
                    Method::GET,
                    &format!("{location}/export/{format}"),
                )
                .await;
            assert_eq!(file.status(), 200, "{format}");
            assert_eq!(file.headers()["content-type"], media);
            let disposition = file.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .to_string();
            assert!(
                disposition.contains(&format!("-r1.{format}")),
                "{disposition}"
            );
            let bytes = file.bytes().await.unwrap();
            assert!(!bytes.is_empty());
            if format == "xlsx" {
                assert_eq!(&bytes[..2], b"PK", "a zip container");
            }
            if format == "json" {
                let back: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(back, draft["framework"]);
            }
        }
        let unknown = s
            .send_as(token, Method::GET, &format!("{location}/export/pdfx"))
            .await;
        assert_problem(unknown, 404).await;
        s
    })
    .await;
}
