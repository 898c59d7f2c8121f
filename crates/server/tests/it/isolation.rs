//! Tenant isolation and authentication on EVERY route. The list of routes is taken from the
//! OpenAPI document the server serves, so a new route cannot be forgotten: every operation
//! needs an example body here (the test fails naming the route otherwise).
//!
//! Organisation `alpha` holds a framework with revisions, a release and a comment, its own
//! catalogue, members and tokens. Then every route is called, with alpha's ids in the path:
//! - as an anonymous caller: 401;
//! - as the owner of organisation `beta`: 403 or 404 where the path names alpha's data; on
//!   collection routes (the caller's own organisation) nothing of alpha's may appear;
//! - with a browser session of alpha's owner but no CSRF token: 403 on every unsafe method.
//!
//! Afterwards everything alpha has — documents, revisions, releases, comments, members,
//! tokens, catalogues, audit log — must be exactly as before.

use crate::common::{Org, TestServer, each_backend, etag, framework, json};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::{Value, json};

struct Alpha {
    org: Org,
    framework: String,
    catalogue: String,
    competency: String,
    job_analysis: String,
    /// CASE identifiers of alpha's published framework, by provider endpoint.
    case_ids: Vec<(&'static str, String)>,
}

async fn populate(s: &TestServer) -> Alpha {
    let org = s.org("alpha").await;
    let token = &org.designer.token;
    let location = s.create_framework(token, "analyst").await;
    let id = location.rsplit('/').next().unwrap().to_string();
    let mut edited = framework("analyst");
    edited["title"] = json!("Data Analyst");
    let saved = s
        .send_json_if(token, Method::PUT, &location, "\"1\"", &edited)
        .await;
    assert_eq!(saved.status(), 200);
    let published = s
        .send_json_if(
            token,
            Method::POST,
            &format!("{location}/publish"),
            "\"2\"",
            &json!({ "version": "1.0.0" }),
        )
        .await;
    assert_eq!(published.status(), 201);
    let commented = s
        .send_json(
            &org.reviewer.token,
            Method::POST,
            &format!("{location}/comments"),
            &json!({ "kind": "approval", "body": "fine" }),
        )
        .await;
    assert_eq!(commented.status(), 201);
    let imported = s
        .send_json(
            token,
            Method::POST,
            "/api/v1/catalogues",
            &json!({
                "id": "alpha-own",
                "name": "Alpha's own",
                "licence": "proprietary",
                "competencies": [{ "id": "alpha-secret-skill", "name": "Alpha Secret Skill" }]
            }),
        )
        .await;
    assert_eq!(imported.status(), 201);
    let job_analysis = populate_job_analysis(s, token).await;
    let document = framewright_interop::framework::case::export::scoped_case_uuid(
        Some(&org.org.id.to_string()),
        "analyst",
        "document",
    );
    let package = s
        .send_as(
            &org.viewer.token,
            Method::GET,
            &format!("/ims/case/v1p1/CFPackages/{document}"),
        )
        .await;
    assert_eq!(package.status(), 200);
    let package = json(package).await;
    let first = |pointer: &str| {
        package
            .pointer(pointer)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    };
    let case_ids = vec![
        ("/ims/case/v1p1/CFDocuments/", document.clone()),
        ("/ims/case/v1p1/CFPackages/", document.clone()),
        ("/ims/case/v1p1/CFItems/", first("/CFItems/0/identifier")),
        (
            "/ims/case/v1p1/CFItemAssociations/",
            first("/CFItems/0/identifier"),
        ),
        (
            "/ims/case/v1p1/CFAssociations/",
            first("/CFAssociations/0/identifier"),
        ),
        (
            "/ims/case/v1p1/CFRubrics/",
            first("/CFRubrics/0/identifier"),
        ),
        (
            "/ims/case/v1p1/CFItemTypes/",
            first("/CFDefinitions/CFItemTypes/0/identifier"),
        ),
        // The framework states no licence: any identifier will do.
        ("/ims/case/v1p1/CFLicenses/", document),
    ];
    Alpha {
        org,
        framework: id,
        catalogue: "alpha-own".into(),
        competency: "alpha-secret-skill".into(),
        job_analysis,
        case_ids,
    }
}

/// A job analysis with an SME who answered, applicants and a cut score.
async fn populate_job_analysis(s: &TestServer, token: &str) -> String {
    let created = s
        .send_json(
            token,
            Method::POST,
            "/api/v1/job-analyses",
            &json!({
                "title": "Alpha Secret Position",
                "tasks": [{ "id": "T1", "statement": "Alpha secret task" }],
                "competencies": [{ "id": "alpha-secret-skill" }]
            }),
        )
        .await;
    assert_eq!(created.status(), 201);
    let id = json(created).await["id"].as_str().unwrap().to_string();
    let invited = s
        .send_json(
            token,
            Method::POST,
            &format!("/api/v1/job-analyses/{id}/smes"),
            &json!({ "smes": [{ "qualifications": "Alpha insider" }] }),
        )
        .await;
    assert_eq!(invited.status(), 201);
    let link = json(invited).await[0]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let answered = s
        .request(Method::PUT, &format!("/api/v1/survey/{link}"))
        .json(&json!({ "tasks": [{ "task": "T1", "importance": 4, "frequency": 4 }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 204);
    let applicants = s
        .send_json(
            token,
            Method::PUT,
            &format!("/api/v1/job-analyses/{id}/applicants"),
            &json!({ "applicants": [{ "id": "alpha-applicant", "scores": { "ws": 80.0 } }] }),
        )
        .await;
    assert_eq!(applicants.status(), 200);
    let cut = s
        .send_json(
            token,
            Method::POST,
            &format!("/api/v1/job-analyses/{id}/cut-scores"),
            &json!({ "assessment": "ws", "judgements": [
            { "judge": "J1", "item": "Q1", "judgement": 0.7 },
            { "judge": "J1", "item": "Q2", "judgement": 0.6 },
            { "judge": "J2", "item": "Q1", "judgement": 0.8 },
            { "judge": "J2", "item": "Q2", "judgement": 0.7 }
        ] }),
        )
        .await;
    assert_eq!(cut.status(), 201);
    id
}

/// Everything alpha has, as its owner sees it.
async fn snapshot(s: &TestServer, a: &Alpha) -> Vec<(String, Value)> {
    let owner = &a.org.owner.token;
    let f = &a.framework;
    let mut out = Vec::new();
    for path in [
        format!("/api/v1/frameworks/{f}"),
        format!("/api/v1/frameworks/{f}/summary"),
        format!("/api/v1/frameworks/{f}/revisions"),
        format!("/api/v1/frameworks/{f}/revisions/1"),
        format!("/api/v1/frameworks/{f}/releases"),
        format!("/api/v1/frameworks/{f}/comments"),
        "/api/v1/frameworks".to_string(),
        "/api/v1/members?per_page=200".to_string(),
        "/api/v1/catalogues".to_string(),
        format!("/api/v1/catalogues/{}", a.catalogue),
        "/api/v1/audit?per_page=200".to_string(),
        format!("/api/v1/job-analyses/{}", a.job_analysis),
        format!("/api/v1/job-analyses/{}/ratings", a.job_analysis),
        format!("/api/v1/job-analyses/{}/smes", a.job_analysis),
        format!("/api/v1/job-analyses/{}/cut-scores", a.job_analysis),
        format!("/api/v1/job-analyses/{}/applicants", a.job_analysis),
        "/api/v1/job-analyses".to_string(),
        "/ims/case/v1p1/CFDocuments".to_string(),
    ] {
        let response = s.send_as(owner, Method::GET, &path).await;
        assert_eq!(response.status(), 200, "{path}");
        out.push((path, json(response).await));
    }
    for account in [
        &a.org.owner,
        &a.org.designer,
        &a.org.reviewer,
        &a.org.viewer,
    ] {
        let tokens = s
            .send_as(&account.token, Method::GET, "/api/v1/tokens")
            .await;
        // When a token was last used changes with every probe; what matters is the rest.
        let mut tokens = json(tokens).await;
        for token in tokens.as_array_mut().unwrap() {
            token.as_object_mut().unwrap().remove("last_used_at");
        }
        out.push((format!("tokens of {}", account.user.email), tokens));
    }
    out
}

/// Every operation of the document: (path template, method, operation).
fn operations(doc: &Value) -> Vec<(String, Method, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = match method.as_str() {
                "get" => Method::GET,
                "post" => Method::POST,
                "put" => Method::PUT,
                "delete" => Method::DELETE,
                "patch" => Method::PATCH,
                other => panic!("unexpected method {other} on {path}"),
            };
            out.push((path.clone(), method, op.clone()));
        }
    }
    out
}

/// A valid body for each operation that takes one, so that only the caller's identity can
/// make the request fail.
fn example_body(method: &Method, path: &str) -> Option<Value> {
    let body = match (method.as_str(), path) {
        ("POST", "/api/v1/catalogues") => json!({
            "id": "probe", "name": "Probe", "licence": "none",
            "competencies": [{ "id": "probe", "name": "Probe" }]
        }),
        ("POST", "/api/v1/frameworks") | ("POST", "/api/v1/lint") => framework("probe"),
        ("POST", "/api/v1/frameworks/generate") => {
            json!({ "title": "Data Scientist", "grade": "GS-13" })
        }
        ("PUT", "/api/v1/frameworks/{id}") => framework("analyst"),
        ("POST", "/api/v1/frameworks/{id}/revert") => json!({ "revision": 1 }),
        ("POST", "/api/v1/frameworks/{id}/publish") => json!({ "version": "9.0.0" }),
        ("POST", "/api/v1/frameworks/{id}/review") => json!({ "thorough": false }),
        ("POST", "/api/v1/frameworks/{id}/comments") => {
            json!({ "kind": "comment", "body": "probe" })
        }
        ("POST", "/api/v1/session") => {
            json!({ "email": "owner@alpha.test", "password": "not the password" })
        }
        ("POST", "/api/v1/tokens") => json!({ "name": "probe" }),
        // A NICE-like file; the format in the path is filled in as `md`, which is no format.
        ("POST", "/api/v1/catalogues/import/{format}") => json!({ "elements": [] }),
        ("POST", "/api/v1/members") => {
            json!({ "email": "probe@beta.test", "password": "a long enough password", "role": "viewer" })
        }
        ("PUT", "/api/v1/members/{user_id}") => json!({ "role": "viewer" }),
        ("POST", "/api/v1/job-analyses") => json!({ "title": "Probe" }),
        ("PUT", "/api/v1/job-analyses/{analysis_id}/inventory") => {
            json!({ "tasks": [{ "statement": "probe" }] })
        }
        ("PUT", "/api/v1/job-analyses/{analysis_id}/parameters")
        | ("PUT", "/api/v1/job-analyses/{analysis_id}/ai-work")
        | ("PUT", "/api/v1/survey/{token}") => json!({}),
        ("POST", "/api/v1/job-analyses/{analysis_id}/smes") => json!({ "smes": [{}] }),
        ("POST", "/api/v1/job-analyses/{analysis_id}/ratings") => json!({
            "tasks_csv": "sme_id,task_id,importance,frequency\n",
            "competencies_csv": "sme_id,competency_id,importance,needed_at_entry\n"
        }),
        ("PUT", "/api/v1/job-analyses/{analysis_id}/blueprint") => {
            json!({ "methods": ["work-sample"] })
        }
        ("POST", "/api/v1/job-analyses/{analysis_id}/cut-scores") => json!({
            "assessment": "probe",
            "judgements": [{ "judge": "J", "item": "Q", "judgement": 0.5 }]
        }),
        ("PUT", "/api/v1/job-analyses/{analysis_id}/applicants") => json!({ "applicants": [] }),
        ("POST", "/api/v1/job-analyses/{analysis_id}/category-rating") => json!({
            "weights": { "ws": 1.0 },
            "scheme": { "categories": [{ "name": "A", "min_score": 50 }, { "name": "B", "min_score": 0 }] }
        }),
        ("POST", "/api/v1/job-analyses/{analysis_id}/adverse-impact") => {
            json!({ "flow": { "grouping": "g", "steps": ["s"], "applicants": [] } })
        }
        // Statistics store nothing; any data will do (some analyses answer 422 to these).
        ("POST", p) if p.starts_with("/api/v1/stats/") => {
            json!({ "rows": [[1, 2], [2, 3], [3, 5]] })
        }
        _ => return None,
    };
    Some(body)
}

fn fill(path: &str, a: &Alpha) -> String {
    let sourced = a
        .case_ids
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, id)| id.as_str())
        .unwrap_or("00000000-0000-5000-8000-000000000000");
    path.replace("{sourcedId}", sourced)
        .replace("{id}", &a.framework)
        .replace("{number}", "1")
        .replace("{catalogue}", &a.catalogue)
        .replace("{competency}", &a.competency)
        .replace("{user_id}", &a.org.designer.user.id.to_string())
        .replace("{token_id}", &a.org.designer.token_id.to_string())
        .replace("{format}", "md")
        .replace("{analysis_id}", &a.job_analysis)
        // The survey's link is its own key: a made-up one opens nothing.
        .replace("{token}", &"0".repeat(64))
}

fn required_query(op: &Value) -> String {
    let mut pairs = Vec::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        if p["in"] == "query" && p["required"] == true {
            let name = p["name"].as_str().unwrap();
            let value = match name {
                "from" => "1",
                "name" => "probe",
                other => panic!("no example value for required query parameter `{other}`"),
            };
            pairs.push(format!("{name}={value}"));
        }
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_refuses_strangers_and_changes_nothing() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = populate(&s).await;
        let beta = s.org("beta").await;
        let (alpha_cookie, _csrf) = s.login("owner@alpha.test").await;
        let before = snapshot(&s, &alpha).await;
        let current = {
            let r = s
                .send_as(
                    &alpha.org.owner.token,
                    Method::GET,
                    &format!("/api/v1/frameworks/{}", alpha.framework),
                )
                .await;
            etag(&r)
        };
        // What must never appear in answers to beta.
        let secrets = [
            alpha.framework.clone(),
            alpha.org.org.id.to_string(),
            alpha.catalogue.clone(),
            alpha.competency.clone(),
            "Data Analyst".to_string(),
            alpha.job_analysis.clone(),
            "Alpha Secret Position".to_string(),
            "alpha-applicant".to_string(),
            "designer@alpha.test".to_string(),
            alpha.org.designer.user.id.to_string(),
            alpha.case_ids[0].1.clone(),
        ];

        let operations = operations(&s.openapi);
        assert!(
            operations.len() >= 30,
            "only {} operations documented",
            operations.len()
        );
        for (template, method, op) in &operations {
            let url = format!("{}{}", fill(template, &alpha), required_query(op));
            let body = example_body(method, template);
            assert_eq!(
                body.is_some(),
                op.get("requestBody").is_some(),
                "{method} {template}: add an example body to the isolation test"
            );
            let send = |request: reqwest::RequestBuilder| {
                let request = request.header("if-match", format!("\"{current}\""));
                match &body {
                    Some(b) => request.json(b).send(),
                    None => request.send(),
                }
            };
            let anonymous_login = method == Method::POST && template == "/api/v1/session";
            // The SME survey needs no account; an unknown link is a 404 for everyone.
            let survey = template.starts_with("/api/v1/survey/");

            // Anonymous.
            let response = send(s.request(method.clone(), &url)).await.unwrap();
            let expected = if survey { 404 } else { 401 };
            assert_eq!(response.status(), expected, "anonymous {method} {template}");
            assert_eq!(
                response.headers()["content-type"],
                "application/problem+json"
            );

            // Another organisation's owner.
            let response = send(s.as_(&beta.owner.token, method.clone(), &url))
                .await
                .unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            if template.contains('{') {
                assert!(
                    status == 403 || status == 404,
                    "beta {method} {template} answered {status}: {text}"
                );
            } else {
                assert!(
                    status < 500,
                    "beta {method} {template} answered {status}: {text}"
                );
            }
            for secret in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "beta {method} {template} saw `{secret}`: {text}"
                );
            }

            // Alpha's own browser session without the CSRF token.
            if method != Method::GET && !anonymous_login && !survey {
                let response = send(
                    s.request(method.clone(), &url)
                        .header("cookie", &alpha_cookie),
                )
                .await
                .unwrap();
                assert_eq!(
                    response.status(),
                    403,
                    "session without CSRF {method} {template}"
                );
                let problem: Value = response.json().await.unwrap();
                assert_eq!(problem["type"], "urn:framewright:problem:csrf");
            }
        }
        let after = snapshot(&s, &alpha).await;
        for ((path, a), (_, b)) in before.iter().zip(&after) {
            assert_eq!(a, b, "alpha's {path} changed");
        }
        s
    })
    .await;
}
