//! Tenant isolation and authentication on EVERY page of the web interface (the API's routes
//! are walked by `isolation.rs`). [`PAGES`] lists every page route with a request to send;
//! a test reads `src/web/*.rs` and fails naming any `.route("…")` missing from the list, so a
//! new page cannot be forgotten.
//!
//! Organisation `alpha` holds a framework and its own catalogue. Then every page is called:
//! - anonymously: a redirect to the sign-in page (never the page, never a change);
//! - as the owner of organisation `beta` (signed in, with beta's CSRF token): alpha's
//!   framework and catalogue pages are 404, and alpha's data appears on no page;
//! - as alpha's owner without the CSRF token: every POST is 403.
//!
//! Afterwards alpha's frameworks, catalogues and sessions are as before.

use crate::common::{TestServer, each_backend, framework, json};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::Value;

/// One page request: method, path (with `{framework}`, `{catalogue}`, `{competency}` filled
/// in with alpha's ids) and, for POSTs, the form fields besides `csrf_token` (`{draft}` is a
/// generated draft's JSON).
struct Page {
    method: Method,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    /// Whether the path names alpha's data (a stranger must get 404).
    names_alpha: bool,
}

const fn get(path: &'static str, names_alpha: bool) -> Page {
    Page {
        method: Method::GET,
        path,
        form: &[],
        names_alpha,
    }
}

const fn post(path: &'static str, form: &'static [(&'static str, &'static str)]) -> Page {
    Page {
        method: Method::POST,
        path,
        form,
        names_alpha: false,
    }
}

/// A POST whose path names alpha's data (a stranger must get 404).
const fn post_alpha(path: &'static str, form: &'static [(&'static str, &'static str)]) -> Page {
    Page {
        method: Method::POST,
        path,
        form,
        names_alpha: true,
    }
}

/// Every page route. Add yours.
const PAGES: &[Page] = &[
    get("/", false),
    get("/account", false),
    get("/catalogue", false),
    get("/catalogue?q=secret", false),
    get("/catalogue/{catalogue}/{competency}", true),
    get("/frameworks", false),
    get("/frameworks/new", false),
    get("/frameworks/{framework}", true),
    post(
        "/frameworks/new",
        &[("title", "Data Scientist"), ("grade", "GS-13")],
    ),
    post(
        "/frameworks/new/draft",
        &[("draft", "{draft}"), ("keep", "learning"), ("op", "save")],
    ),
    get("/job-analyses", false),
    get("/job-analyses/{analysis}", true),
    get("/job-analyses/{analysis}/results", true),
    get("/job-analyses/{analysis}/report", true),
    get("/job-analyses/{analysis}/hiring", true),
    post("/job-analyses", &[("title", "Beta probe position")]),
    post_alpha(
        "/job-analyses/{analysis}/inventory",
        &[("tasks", "Probe task")],
    ),
    post_alpha("/job-analyses/{analysis}/invite", &[("count", "1")]),
    post_alpha(
        "/job-analyses/{analysis}/import",
        &[
            (
                "tasks_csv",
                "sme_id,task_id,importance,frequency\nP,T1,3,3\n",
            ),
            (
                "competencies_csv",
                "sme_id,competency_id,importance,needed_at_entry\n",
            ),
        ],
    ),
    post_alpha("/job-analyses/{analysis}/close", &[]),
    post_alpha("/job-analyses/{analysis}/ai-work", &[("a1", "yes")]),
    post_alpha(
        "/job-analyses/{analysis}/blueprint",
        &[("method", "work_sample")],
    ),
    post_alpha(
        "/job-analyses/{analysis}/cut-score",
        &[
            ("assessment", "probe"),
            (
                "judgements",
                "judge_id,item_id,judgement\nJ1,Q1,0.5\nJ2,Q1,0.6\n",
            ),
        ],
    ),
    post_alpha(
        "/job-analyses/{analysis}/applicants",
        &[("csv", "applicant_id,ws\nP1,80\n")],
    ),
    post_alpha(
        "/job-analyses/{analysis}/categories",
        &[("categories", "A, 50\nB, 0"), ("weights", "ws=1")],
    ),
    post_alpha(
        "/job-analyses/{analysis}/impact",
        &[("flow", "applicant_id,group,step\nP1,a,pass\n")],
    ),
    get("/frameworks/{framework}/edit", true),
    get("/frameworks/{framework}/history", true),
    get("/frameworks/{framework}/history?from=1&to=1", true),
    get("/frameworks/{framework}/interview-guide", true),
    post_alpha(
        "/frameworks/{framework}/edit",
        &[("revision", "1"), ("/title", "Taken over")],
    ),
    post_alpha(
        "/frameworks/{framework}/revert",
        &[("revision", "1"), ("base", "1")],
    ),
    post_alpha(
        "/frameworks/{framework}/publish",
        &[("version", "9.0.0"), ("base", "1")],
    ),
    post_alpha(
        "/frameworks/{framework}/review",
        &[("kind", "annual"), ("base", "1")],
    ),
    post_alpha(
        "/frameworks/{framework}/comments",
        &[
            ("kind", "approval"),
            ("body", "Looks fine"),
            ("revision", "1"),
        ],
    ),
    post_alpha(
        "/frameworks/{framework}/delete",
        &[("base", "1"), ("confirm", "yes")],
    ),
    get("/account/tokens", false),
    post("/account/tokens", &[("name", "stranger's token")]),
    post_alpha("/account/tokens/{token}/revoke", &[]),
    get("/account/members", false),
    post(
        "/account/members",
        &[
            ("email", "someone@elsewhere.test"),
            ("password", "a long enough password"),
            ("role", "viewer"),
        ],
    ),
    post_alpha("/account/members/{member}/role", &[("role", "viewer")]),
    post_alpha("/account/members/{member}/remove", &[]),
    post("/logout", &[]),
];

/// Routes without a session by design (sign-in, set-up, assets), checked elsewhere.
const PUBLIC: &[&str] = &[
    "/login",
    "/static/app.css",
    "/static/app.js",
    "/static/frameworks.js",
    "/setup",
    "/healthz",
    // The SME survey: the private link is the key (tests/it/job_analysis*.rs).
    "/survey/{token}",
    "/static/survey.js",
];

struct Alpha {
    owner_token: String,
    framework: String,
    title: String,
    catalogue: &'static str,
    competency: &'static str,
    job_analysis: String,
    token: String,
    member: String,
}

async fn populate(s: &TestServer) -> Alpha {
    let org = s.org("alpha").await;
    let mut doc = framework("alpha-secret-framework");
    doc["title"] = "Alpha Secret Framework".into();
    let created = s
        .send_json(
            &org.designer.token,
            Method::POST,
            "/api/v1/frameworks",
            &doc,
        )
        .await;
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let imported = s
        .send_json(&org.designer.token, Method::POST, "/api/v1/catalogues", &serde_json::json!({
            "id": "alpha-own",
            "name": "Alpha's own",
            "licence": "proprietary",
            "competencies": [{ "id": "alpha-secret-skill", "name": "Alpha Secret Skill", "definition": "A secret." }]
        })).await;
    assert_eq!(imported.status(), 201);
    let analysis = s
        .send_json(
            &org.designer.token,
            Method::POST,
            "/api/v1/job-analyses",
            &serde_json::json!({
                "title": "Alpha Secret Position",
                "tasks": [{ "id": "T1", "statement": "Alpha secret task" }],
                "competencies": [{ "id": "alpha-secret-skill" }]
            }),
        )
        .await;
    assert_eq!(analysis.status(), 201);
    let job_analysis = json(analysis).await["id"].as_str().unwrap().to_string();
    Alpha {
        job_analysis,
        owner_token: org.owner.token.clone(),
        framework: location.rsplit('/').next().unwrap().to_string(),
        title: "Alpha Secret Framework".into(),
        catalogue: "alpha-own",
        competency: "alpha-secret-skill",
        token: org.owner.token_id.to_string(),
        member: org.designer.user.id.to_string(),
    }
}

fn fill(path: &str, a: &Alpha) -> String {
    path.replace("{framework}", &a.framework)
        .replace("{catalogue}", a.catalogue)
        .replace("{competency}", a.competency)
        .replace("{analysis}", &a.job_analysis)
        .replace("{token}", &a.token)
        .replace("{member}", &a.member)
}

async fn draft_json(s: &TestServer, token: &str) -> String {
    let response = s
        .send_json(
            token,
            Method::POST,
            "/api/v1/frameworks/generate",
            &serde_json::json!({ "title": "Data Scientist", "grade": "GS-13" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    json(response).await["framework"].to_string()
}

async fn snapshot(s: &TestServer, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/frameworks",
        "/api/v1/catalogues",
        "/api/v1/session",
        "/api/v1/job-analyses",
        "/api/v1/members",
    ] {
        let response = s.send_as(token, Method::GET, path).await;
        assert_eq!(response.status(), 200, "{path}");
        out.push(json(response).await);
    }
    out
}

fn request(
    s: &TestServer,
    page: &Page,
    a: &Alpha,
    draft: &str,
    cookie: Option<&str>,
    csrf: Option<&str>,
) -> reqwest::RequestBuilder {
    let mut builder = s.request(page.method.clone(), &fill(page.path, a));
    if let Some(cookie) = cookie {
        builder = builder.header("cookie", cookie);
    }
    if page.method == Method::POST {
        let mut fields: Vec<(String, String)> = page
            .form
            .iter()
            .map(|(k, v)| (k.to_string(), v.replace("{draft}", draft)))
            .collect();
        if let Some(csrf) = csrf {
            fields.push(("csrf_token".into(), csrf.into()));
        }
        builder = builder.form(&fields);
    }
    builder
}

#[test]
fn every_page_route_is_walked() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/web");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for piece in source.split(".route(\"").skip(1) {
            let route = &piece[..piece.find('"').unwrap()];
            // `{id}` in the router is `{framework}` etc. here: compare the static parts.
            let shape = |p: &str| {
                p.split('?')
                    .next()
                    .unwrap()
                    .split('/')
                    .map(|seg| if seg.starts_with('{') { "{}" } else { seg })
                    .collect::<Vec<_>>()
                    .join("/")
            };
            let walked =
                PAGES.iter().any(|p| shape(p.path) == shape(route)) || PUBLIC.contains(&route);
            if !walked {
                missing.push(format!("{route} ({})", path.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "page routes missing from PAGES in tests/it/web_isolation.rs: {missing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_refuses_strangers_and_changes_nothing() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = populate(&s).await;
        let beta = s.org("beta").await;
        let (alpha_cookie, _alpha_csrf) = s.login("owner@alpha.test").await;
        let draft = draft_json(&s, &beta.owner.token).await;
        let before = snapshot(&s, &alpha.owner_token).await;

        // Anonymous: every page goes to the sign-in page.
        for page in PAGES {
            let response = request(&s, page, &alpha, &draft, None, None)
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                303,
                "anonymous {} {}",
                page.method,
                page.path
            );
            let location = response.headers()["location"].to_str().unwrap();
            assert!(
                location.starts_with("/login"),
                "anonymous {} {} goes to {location}",
                page.method,
                page.path
            );
        }

        // Alpha's own session without the CSRF token: every POST is refused.
        for page in PAGES.iter().filter(|p| p.method == Method::POST) {
            let response = request(&s, page, &alpha, &draft, Some(&alpha_cookie), None)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "no CSRF: POST {}", page.path);
            let wrong = request(
                &s,
                page,
                &alpha,
                &draft,
                Some(&alpha_cookie),
                Some(&"0".repeat(64)),
            )
            .send()
            .await
            .unwrap();
            assert_eq!(wrong.status(), 403, "wrong CSRF: POST {}", page.path);
        }

        // Beta's owner, signed in with a valid CSRF token: alpha's pages are 404 and alpha's
        // data shows nowhere. (Logout goes last: it ends the session.)
        let (beta_cookie, beta_csrf) = s.login("owner@beta.test").await;
        for page in PAGES {
            let response = request(
                &s,
                page,
                &alpha,
                &draft,
                Some(&beta_cookie),
                Some(&beta_csrf),
            )
            .send()
            .await
            .unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            if page.names_alpha {
                assert_eq!(status, 404, "beta {} {}", page.method, page.path);
            } else {
                assert!(
                    [200, 303].contains(&status),
                    "beta {} {}: {status}",
                    page.method,
                    page.path
                );
            }
            for secret in [
                alpha.title.as_str(),
                "Alpha Secret Skill",
                &alpha.framework,
                "Alpha Secret Position",
                &alpha.job_analysis,
            ] {
                assert!(
                    !body.contains(secret),
                    "beta {} {} shows alpha's {secret}",
                    page.method,
                    page.path
                );
            }
        }

        // Alpha is as before, and alpha's session still works.
        assert_eq!(snapshot(&s, &alpha.owner_token).await, before);
        let home = s.get_with_cookie(&alpha_cookie, "/").await;
        assert_eq!(home.status(), 200);
        s
    })
    .await;
}
