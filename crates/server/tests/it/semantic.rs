//! The server with the real all-MiniLM-L6-v2 (installed by `.ci/run` into
//! FRAMEWRIGHT_MODEL_DIR; in CI a missing model fails the test): loaded once at start-up, used
//! by the generate endpoint (named in the provenance) and by the competency search.
#![cfg(feature = "semantic")]

use crate::common::{TestServer, each_backend, json};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::json;

fn model_installed() -> bool {
    let installed = std::env::var_os("FRAMEWRIGHT_MODEL_DIR").is_some_and(|d| {
        std::path::Path::new(&d)
            .join("all-minilm-l6-v2/manifest.toml")
            .is_file()
    });
    if !installed {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must install all-MiniLM-L6-v2 into FRAMEWRIGHT_MODEL_DIR (see .ci/run)"
        );
        eprintln!("skipped: no all-MiniLM-L6-v2 in FRAMEWRIGHT_MODEL_DIR");
    }
    installed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generation_and_search_match_by_meaning_with_the_model() {
    if !model_installed() {
        return;
    }
    let settings = Settings {
        semantic: true,
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let token = &alpha.designer.token;
        let draft = json(
            s.send_json(
                token,
                Method::POST,
                "/api/v1/frameworks/generate",
                &json!({ "title": "Machine Learning Engineer", "grade": "GS-13" }),
            )
            .await,
        )
        .await;
        assert_eq!(
            draft["framework"]["provenance"]["matching"],
            "words and meaning (all-MiniLM-L6-v2)"
        );
        let found = json(
            s.send_as(token, Method::GET, "/api/v1/competencies?q=coding")
                .await,
        )
        .await;
        let ids: Vec<&str> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["competency"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.first(), Some(&"software-engineering"), "{found:#}");
        let ethics = json(
            s.send_as(token, Method::GET, "/api/v1/competencies?q=ethics")
                .await,
        )
        .await;
        assert!(ethics["total"].as_i64().unwrap() >= 1, "{ethics:#}");
        s
    })
    .await;
}
