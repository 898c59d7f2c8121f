//! The OpenAPI document: well-formed OpenAPI 3.1, every reference resolves, every path
//! parameter is declared, every documented route is served, and the whole document is
//! snapshotted (insta) so that any change to the API shows up in review.

use std::collections::BTreeSet;

use crate::common::{TestServer, json};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::Value;

fn document() -> Value {
    let (_, doc) = framewright_server::api(&Settings::default()).unwrap();
    doc
}

fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.insert(v.as_str().unwrap().to_string());
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[test]
fn the_document_is_well_formed_openapi_3_1() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Framewright API");
    assert!(doc["info"]["version"].is_string());
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert!(schemes.contains_key("token") && schemes.contains_key("session"));

    let mut operation_ids = BTreeSet::new();
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(
            path.starts_with("/api/v1/") || path.starts_with("/ims/case/v1p1/"),
            "{path}"
        );
        let templated: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(String::from)
            .collect();
        for (method, op) in item.as_object().unwrap() {
            assert!(methods.contains(&method.as_str()), "{method} {path}");
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: operationId"));
            assert!(
                operation_ids.insert(id.to_string()),
                "duplicate operationId {id}"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path}: tags"
            );
            assert!(
                op["description"].is_string() || op["summary"].is_string(),
                "{method} {path}: summary"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(!responses.is_empty(), "{method} {path}: responses");
            for (status, response) in responses {
                assert!(
                    status.len() == 3 && status.parse::<u16>().is_ok(),
                    "{method} {path}: {status}"
                );
                assert!(
                    response["description"].is_string(),
                    "{method} {path} {status}: description"
                );
            }
            let declared: BTreeSet<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| {
                    assert_eq!(
                        p["required"], true,
                        "{method} {path}: path parameters are required"
                    );
                    p["name"].as_str().unwrap().to_string()
                })
                .collect();
            assert_eq!(declared, templated, "{method} {path}: path parameters");
            for p in op["parameters"].as_array().into_iter().flatten() {
                assert!(["path", "query", "header", "cookie"].contains(&p["in"].as_str().unwrap()));
                assert!(
                    p["schema"].is_object(),
                    "{method} {path}: parameter {} schema",
                    p["name"]
                );
            }
            if let Some(body) = op.get("requestBody") {
                let content = body["content"].as_object().unwrap();
                assert!(
                    content.values().all(|c| c["schema"].is_object()),
                    "{method} {path}: body schema"
                );
            }
        }
    }
    // Every reference points at something in the document.
    let mut refs = BTreeSet::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.contains("#/components/schemas/Framework"));
    for r in &refs {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external reference {r}"));
        assert!(doc.pointer(pointer).is_some(), "dangling reference {r}");
    }
    // The model's schemas are the real ones, not the placeholders.
    let framework = &doc["components"]["schemas"]["Framework"];
    assert!(
        framework["properties"]["competencies"].is_object(),
        "{framework}"
    );
    assert!(
        framework["required"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "scale")
    );
    // Signing in needs no credentials; everything else does.
    assert_eq!(
        doc["paths"]["/api/v1/session"]["post"]["security"],
        serde_json::json!([])
    );
}

#[test]
fn the_document_matches_its_snapshot() {
    insta::assert_json_snapshot!("openapi", document());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_route_is_served_and_the_document_is_served_as_built() {
    crate::common::each_backend(Settings::default(), |s: TestServer| async move {
        let served = json(
            s.request(Method::GET, "/api/openapi.json")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(served, s.openapi);
        assert_eq!(served, document());
        let docs = s.request(Method::GET, "/api/docs/").send().await.unwrap();
        assert_eq!(docs.status(), 200);
        let page = docs.text().await.unwrap();
        assert!(
            !page.contains("https://"),
            "the docs page loads nothing from elsewhere"
        );
        // A route that exists answers 401 to a stranger (the fallback would say 404).
        for (path, item) in served["paths"].as_object().unwrap() {
            let concrete = path
                .replace("{id}", "01a201c6-0000-7000-8000-000000000000")
                .replace("{user_id}", "01a201c6-0000-7000-8000-000000000000")
                .replace("{token_id}", "01a201c6-0000-7000-8000-000000000000")
                .replace("{number}", "1")
                .replace("{catalogue}", "c")
                .replace("{competency}", "c")
                .replace("{format}", "md")
                .replace("{analysis_id}", "01a201c6-0000-7000-8000-000000000000")
                .replace("{token}", &"0".repeat(64));
            for method in item.as_object().unwrap().keys() {
                let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let response = s
                    .request(m, &concrete)
                    .header("content-type", "application/json")
                    .body("{}")
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                if path == "/api/v1/survey/{token}" {
                    assert_eq!(status, 404, "{method} {path}: an unknown survey link");
                } else if path == "/api/v1/session" && method == "post" {
                    assert!(status == 422 || status == 401, "{method} {path}: {status}");
                } else {
                    assert_eq!(status, 401, "{method} {path}");
                }
            }
        }
        s
    })
    .await;
}
