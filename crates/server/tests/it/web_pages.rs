//! The web interface's skeleton over real HTTP: sign-in by form (same rate limit as the API),
//! anonymous visitors sent to the sign-in page, sign-out refused without the CSRF token, the
//! dashboard, the static assets and the HTML 404. Runs on SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set.

use std::time::Duration;

use crate::common::{PASSWORD, TestServer, each_backend, framework};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::Value;

/// The `name=value` part of the response's session cookie.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("fw_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// The value of the first hidden `csrf_token` input of a page.
pub fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf_token\" value=\"")
        .expect("page has a CSRF field");
    let rest = &html[at + "name=\"csrf_token\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A sign-in form's token and its cookie (`fw_login=…`), from `GET /login`.
async fn login_token(s: &TestServer) -> (String, String) {
    let page = s.request(Method::GET, "/login").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("fw_login="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("the sign-in form's cookie");
    let html = page.text().await.unwrap();
    let at = html
        .find("name=\"login_token\" value=\"")
        .expect("token field");
    let rest = &html[at + "name=\"login_token\" value=\"".len()..];
    (cookie, rest[..rest.find('"').unwrap()].to_string())
}

/// Posts the sign-in form as a browser would: the form's token and its cookie.
async fn post_login(s: &TestServer, fields: &[(&str, &str)]) -> reqwest::Response {
    let (cookie, token) = login_token(s).await;
    let mut fields: Vec<(&str, &str)> = fields.to_vec();
    fields.push(("login_token", &token));
    s.request(Method::POST, "/login")
        .header("cookie", cookie)
        .form(&fields)
        .send()
        .await
        .unwrap()
}

/// Signs in through the sign-in form: the session cookie.
async fn form_login(s: &TestServer, email: &str) -> String {
    let response = post_login(
        s,
        &[("email", email), ("password", PASSWORD), ("next", "/")],
    )
    .await;
    assert_eq!(response.status(), 303, "sign-in redirects");
    assert_eq!(response.headers()["location"], "/");
    session_cookie(&response).expect("session cookie")
}

async fn get_page(s: &TestServer, cookie: &str, path: &str) -> (u16, String) {
    let response = s.get_with_cookie(cookie, path).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_dashboard_and_sign_out() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        s.send_json(
            &alpha.designer.token,
            Method::POST,
            "/api/v1/frameworks",
            &framework("analyst"),
        )
        .await;

        // Anonymous: the dashboard and other pages go to the sign-in page, with the way back.
        let anonymous = s.request(Method::GET, "/").send().await.unwrap();
        assert_eq!(anonymous.status(), 303);
        assert_eq!(anonymous.headers()["location"], "/login");
        let deep = s
            .request(Method::GET, "/account?q=data%20science")
            .send()
            .await
            .unwrap();
        assert_eq!(deep.status(), 303);
        assert_eq!(
            deep.headers()["location"],
            "/login?next=/account%3Fq%3Ddata%2520science"
        );
        // A form posted after the session ended: back to the form's page after signing in,
        // never to another site's.
        let expired = s
            .request(Method::POST, "/frameworks/new")
            .header("referer", format!("{}/frameworks/new", s.base))
            .form(&[("title", "Analyst")])
            .send()
            .await
            .unwrap();
        assert_eq!(expired.status(), 303);
        assert_eq!(expired.headers()["location"], "/login?next=/frameworks/new");
        let elsewhere = s
            .request(Method::POST, "/frameworks/new")
            .header("referer", "http://evil.example/frameworks/new")
            .send()
            .await
            .unwrap();
        assert_eq!(elsewhere.headers()["location"], "/login");
        let login = s.request(Method::GET, "/login").send().await.unwrap();
        assert_eq!(login.status(), 200);
        assert!(
            login.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let csp = login.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(login.headers()["cache-control"], "no-store");
        let html = login.text().await.unwrap();
        assert!(
            !html.contains("<script>") && !html.contains("style="),
            "nothing inline"
        );
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<label for=\"email\">Email</label>"));
        assert!(html.contains("<label for=\"password\">Password</label>"));

        // A sign-in posted from elsewhere (no form token and cookie): refused, nothing set.
        let forged = s
            .request(Method::POST, "/login")
            .form(&[("email", "owner@alpha.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        assert!(session_cookie(&forged).is_none());
        assert!(
            forged
                .text()
                .await
                .unwrap()
                .contains("The sign-in form had expired")
        );

        // Wrong password: the form again, 401, nothing set.
        let wrong = post_login(
            &s,
            &[
                ("email", "owner@alpha.test"),
                ("password", "nope nope nope"),
            ],
        )
        .await;
        assert_eq!(wrong.status(), 401);
        assert!(session_cookie(&wrong).is_none());
        assert!(
            wrong
                .text()
                .await
                .unwrap()
                .contains("The email or the password is wrong.")
        );

        // An outside `next` is not followed.
        let outside = post_login(
            &s,
            &[
                ("email", "owner@alpha.test"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
        assert_eq!(outside.headers()["location"], "/");

        // Signed in: the dashboard lists the organisation's framework, with names escaped.
        let cookie = form_login(&s, "owner@alpha.test").await;
        let (status, html) = get_page(&s, &cookie, "/").await;
        assert_eq!(status, 200);
        assert!(html.contains("Welcome, owner"));
        assert!(html.contains("Framework analyst"));
        assert!(html.contains("<main id=\"main\""));
        assert!(html.contains("href=\"#main\""));
        let csrf = csrf_of(&html);
        assert_eq!(csrf.len(), 64);

        // Sign-out without the CSRF token is refused and the session lives on.
        let forged = s
            .request(Method::POST, "/logout")
            .header("cookie", &cookie)
            .form(&[("csrf_token", "0".repeat(64))])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        let missing = s
            .request(Method::POST, "/logout")
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 403);
        assert_eq!(get_page(&s, &cookie, "/").await.0, 200);

        // With it: signed out, the cookie cleared, the session gone.
        let out = s
            .request(Method::POST, "/logout")
            .header("cookie", &cookie)
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);
        assert_eq!(out.headers()["location"], "/login");
        let cleared = session_cookie(&out).unwrap();
        assert_eq!(cleared, "fw_session=");
        let after = s.get_with_cookie(&cookie, "/").await;
        assert_eq!(after.status(), 303);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_shares_the_api_rate_limit() {
    let settings = Settings {
        login_burst: 2,
        login_refill: Duration::from_secs(3600),
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        s.org("alpha").await;
        // One attempt through the API, one through the form: the third is refused either way.
        let api = s
            .request(Method::POST, "/api/v1/session")
            .json(&serde_json::json!({ "email": "owner@alpha.test", "password": "wrong wrong" }))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 401);
        let form = post_login(
            &s,
            &[("email", "owner@alpha.test"), ("password", "wrong wrong")],
        )
        .await;
        assert_eq!(form.status(), 401);
        let limited =
            post_login(&s, &[("email", "owner@alpha.test"), ("password", PASSWORD)]).await;
        assert_eq!(limited.status(), 429);
        assert!(limited.headers().contains_key("retry-after"));
        assert!(session_cookie(&limited).is_none());
        assert!(
            limited
                .text()
                .await
                .unwrap()
                .contains("Too many sign-in attempts")
        );
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_and_not_found_pages() {
    each_backend(Settings::default(), |s: TestServer| async move {
        for (path, media) in [
            ("/static/app.css", "text/css; charset=utf-8"),
            ("/static/app.js", "text/javascript; charset=utf-8"),
        ] {
            let response = s.request(Method::GET, path).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["content-type"], media);
            assert!(
                response.headers()["cache-control"]
                    .to_str()
                    .unwrap()
                    .contains("max-age")
            );
            assert!(!response.text().await.unwrap().is_empty());
        }
        // Browsers get an HTML 404; API clients problem+json.
        let page = s
            .request(Method::GET, "/no/such/page")
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404);
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("There is no page at this address")
        );
        let not_a_page = s
            .request(Method::GET, "/logout")
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .unwrap();
        assert_eq!(not_a_page.status(), 405);
        assert!(
            not_a_page
                .text()
                .await
                .unwrap()
                .contains("This address is not a page")
        );
        let api_405 = s
            .request(Method::PATCH, "/api/v1/session")
            .send()
            .await
            .unwrap();
        assert_eq!(api_405.status(), 405);
        assert_eq!(
            api_405.headers()["content-type"],
            "application/problem+json"
        );
        let api = s
            .request(Method::GET, "/api/v1/nothing")
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 404);
        assert_eq!(api.headers()["content-type"], "application/problem+json");
        // Not set up yet (this server has no account): the start page says how to begin.
        let start = s.request(Method::GET, "/").send().await.unwrap();
        assert_eq!(start.status(), 200);
        assert!(start.text().await.unwrap().contains("not set up yet"));
        s
    })
    .await;
}

/// The hidden `draft` field of a draft page, unescaped.
fn draft_of(html: &str) -> String {
    let at = html
        .find("name=\"draft\" value=\"")
        .expect("page has a draft field");
    let rest = &html[at + "name=\"draft\" value=\"".len()..];
    let raw = &rest[..rest.find('"').unwrap()];
    raw.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn framework_count(s: &TestServer, token: &str) -> i64 {
    let list = s.send_as(token, Method::GET, "/api/v1/frameworks").await;
    crate::common::json(list).await["total"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_framework_from_a_role() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let (cookie, csrf) = s.login("designer@alpha.test").await;
        let post = |path: &str, fields: Vec<(&str, String)>| {
            s.request(Method::POST, path)
                .header("cookie", &cookie)
                .form(&fields)
        };

        // The form, and a role the generator refuses: the form again with the reason.
        let (status, html) = get_page(&s, &cookie, "/frameworks/new").await;
        assert_eq!(status, 200);
        assert!(html.contains("<label for=\"title\">Role title</label>"));
        let both = post(
            "/frameworks/new",
            vec![
                ("csrf_token", csrf.clone()),
                ("title", "Analyst".into()),
                ("grade", "GS-13".into()),
                ("level", "3".into()),
            ],
        )
        .send()
        .await
        .unwrap();
        assert_eq!(both.status(), 422);
        let html = both.text().await.unwrap();
        assert!(html.contains("Choose a grade or a level, not both"));
        assert!(
            html.contains("value=\"Analyst\""),
            "the form keeps what was typed"
        );

        // Generate: every competency with its rationale and a keep box.
        let generated = post(
            "/frameworks/new",
            vec![
                ("csrf_token", csrf.clone()),
                ("title", "Machine Learning Engineer".into()),
                (
                    "tasks",
                    "Trains machine learning models\nBuilds data pipelines".into(),
                ),
                ("grade", "GS-13".into()),
            ],
        )
        .send()
        .await
        .unwrap();
        assert_eq!(generated.status(), 200);
        let html = generated.text().await.unwrap();
        let draft: Value = serde_json::from_str(&draft_of(&html)).unwrap();
        let ids: Vec<String> = draft["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        assert!((6..=12).contains(&ids.len()));
        assert_eq!(html.matches("class=\"rationale\"").count(), ids.len());
        for id in &ids {
            assert!(html.contains(&format!("name=\"keep\" value=\"{id}\"")));
        }

        // Add one from the catalogue: generated content, the removed box stays cleared.
        let kept: Vec<&String> = ids.iter().skip(1).collect();
        let mut fields = vec![
            ("csrf_token", csrf.clone()),
            ("draft", draft.to_string()),
            ("op", "add".into()),
            ("add", "values-driven-design".into()),
        ];
        fields.extend(kept.iter().map(|id| ("keep", (*id).clone())));
        let added = post("/frameworks/new/draft", fields).send().await.unwrap();
        assert_eq!(added.status(), 200);
        let html = added.text().await.unwrap();
        assert!(html.contains("Added “Values-Driven Design” to the draft."));
        assert!(!html.contains(&format!(
            "value=\"{}\" id=\"keep-{}\" data-keep-toggle checked",
            ids[0], ids[0]
        )));
        let draft: Value = serde_json::from_str(&draft_of(&html)).unwrap();
        let added_c = draft["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "values-driven-design")
            .expect("added");
        assert!(
            !added_c["levels"].as_array().unwrap().is_empty(),
            "levels generated"
        );
        assert!(added_c["rationale"].is_string());

        // Save without the CSRF token: refused, nothing stored.
        let before = framework_count(&s, &alpha.designer.token).await;
        let mut fields = vec![("draft", draft.to_string()), ("op", "save".into())];
        fields.extend(kept.iter().map(|id| ("keep", (*id).clone())));
        fields.push(("keep", "values-driven-design".into()));
        let forged = post("/frameworks/new/draft", fields.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        assert_eq!(framework_count(&s, &alpha.designer.token).await, before);

        // A viewer may generate but not save.
        let (viewer_cookie, viewer_csrf) = s.login("viewer@alpha.test").await;
        let mut viewer_fields = fields.clone();
        viewer_fields.push(("csrf_token", viewer_csrf.clone()));
        let refused = s
            .request(Method::POST, "/frameworks/new/draft")
            .header("cookie", &viewer_cookie)
            .form(&viewer_fields)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        assert!(refused.text().await.unwrap().contains("designer or owner"));
        assert_eq!(framework_count(&s, &alpha.designer.token).await, before);

        // Save: stored as revision 1 without the removed competency, then shown.
        fields.push(("csrf_token", csrf.clone()));
        let saved = post("/frameworks/new/draft", fields.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303);
        let location = saved.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/frameworks/"));
        let id = location.rsplit('/').next().unwrap();
        let stored = s
            .send_as(
                &alpha.designer.token,
                Method::GET,
                &format!("/api/v1/frameworks/{id}"),
            )
            .await;
        assert_eq!(stored.status(), 200);
        let stored = crate::common::json(stored).await;
        let stored_ids: Vec<&str> = stored["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert!(!stored_ids.contains(&ids[0].as_str()), "removed");
        assert!(stored_ids.contains(&"values-driven-design"), "added");
        assert_eq!(stored_ids.len(), ids.len());
        for profile in stored["role_profiles"].as_array().unwrap() {
            for target in profile["targets"].as_array().unwrap() {
                assert_ne!(
                    target["competency"],
                    ids[0].as_str(),
                    "no target for the removed"
                );
            }
        }
        let notice = saved
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("fw_notice="))
            .map(|v| v.split(';').next().unwrap().to_string())
            .expect("a notice for the next page");
        let (status, html) = get_page(&s, &format!("{cookie}; {notice}"), &location).await;
        assert_eq!(status, 200);
        assert!(html.contains("Values-Driven Design"));
        assert!(html.contains("as a draft with"), "the notice after saving");

        // The same draft saved again gets the next free id.
        let again = post("/frameworks/new/draft", fields).send().await.unwrap();
        assert_eq!(again.status(), 303);
        assert_eq!(framework_count(&s, &alpha.designer.token).await, before + 2);

        // A framework page that does not exist, or is not an id.
        for path in [
            "/frameworks/00000000-0000-7000-8000-000000000000",
            "/frameworks/nope",
        ] {
            let (status, html) = get_page(&s, &cookie, path).await;
            assert_eq!(status, 404, "{path}");
            assert!(html.contains("no framework at this address"));
        }
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogue_pages() {
    each_backend(Settings::default(), |s: TestServer| async move {
        s.org("alpha").await;
        let (cookie, _) = s.login("viewer@alpha.test").await;
        let (status, html) = get_page(&s, &cookie, "/catalogue").await;
        assert_eq!(status, 200);
        assert!(html.contains("57 competencies"), "the whole OPM catalogue");
        for label in [
            "for=\"q\"",
            "for=\"kind\"",
            "for=\"grade\"",
            "for=\"max_rank\"",
        ] {
            assert!(html.contains(label), "{label}");
        }

        // Filters: technical at GS-14, ranked in the top 30 of today's importance.
        let (_, html) = get_page(&s, &cookie, "/catalogue?q=data&kind=technical&grade=GS-14").await;
        assert!(html.contains("Data Analysis"));
        assert!(
            !html.contains(">Accountability<"),
            "a general competency is filtered out"
        );
        assert!(html.contains("<option value=\"technical\" selected>"));
        let (_, html) = get_page(&s, &cookie, "/catalogue?max_rank=3").await;
        assert!(html.contains("3 competencies"), "ranks 1, 2 and 3");
        let (status, _) = get_page(&s, &cookie, "/catalogue?grade=GS-99").await;
        assert_eq!(status, 400);

        // A competency's page: definition, grade table, ranks; and the honest gap.
        let (status, html) = get_page(&s, &cookie, "/catalogue/opm-ai-2024/accountability").await;
        assert_eq!(status, 200);
        assert!(html.contains("<h1>Accountability</h1>"));
        assert!(html.contains("<th scope=\"col\">GS-15</th>"));
        assert!(html.contains("Rank today</dt><dd>3</dd>"));
        let (status, html) = get_page(
            &s,
            &cookie,
            "/catalogue/opm-ai-2024/application-development",
        )
        .await;
        assert_eq!(status, 200);
        assert!(html.contains("No definition in the source."));
        let (status, _) = get_page(&s, &cookie, "/catalogue/opm-ai-2024/nothing-like-this").await;
        assert_eq!(status, 404);
        s
    })
    .await;
}
