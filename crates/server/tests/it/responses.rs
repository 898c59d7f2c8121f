//! Snapshots (insta) of the main API answers, so that any change to what a client reads shows
//! up in review: a generated framework, a framework as read back, a catalogue search, a
//! validation problem+json and a job analysis's result. Every scenario runs on each backend
//! against the same snapshot, so SQLite and PostgreSQL must answer alike.
//!
//! Deterministic by redaction: ids (UUIDs), timestamps and dates that depend on the day the
//! test runs are replaced by placeholders before comparing (see [`redacted`]). Insta's own
//! redactions need a selector parser the workspace does not otherwise depend on; this walk
//! does the same for our answers.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{TestServer, each_backend, framework, json};
use crate::job_analysis::{
    BOUNDARY_COMPETENCY_RATINGS, BOUNDARY_TASK_RATINGS, boundary_position, create_analysis,
};
use framewright_server::Settings;

/// Keys whose values are instants or calendar dates of the run, not of the data.
const TIME_KEYS: &[&str] = &["last_reviewed", "next_review", "next_major_update", "date"];

/// `value` with every UUID replaced by `[uuid]` and every value under a key of [`TIME_KEYS`]
/// (or ending in `_at`) by `[time]`.
fn redacted(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let is_time = TIME_KEYS.contains(&k.as_str()) || k.ends_with("_at");
                    let v = if is_time && !v.is_null() {
                        Value::from("[time]")
                    } else {
                        redacted(v)
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redacted).collect()),
        Value::String(s) if uuid::Uuid::parse_str(&s).is_ok() => Value::from("[uuid]"),
        other => other,
    }
}

#[test]
fn redaction_replaces_ids_and_times_only() {
    let value = json!({
        "id": "0192f0c2-6c1a-7d2e-8f00-0123456789ab",
        "slug": "data-analysis",
        "created_at": 1_733_000_000_000_i64,
        "next_review": "2027-12-07",
        "published_at": null,
        "items": [{ "updated_at": "2026-12-07T10:00:00Z", "level": 3 }]
    });
    assert_eq!(
        redacted(value),
        json!({
            "id": "[uuid]",
            "slug": "data-analysis",
            "created_at": "[time]",
            "next_review": "[time]",
            "published_at": null,
            "items": [{ "updated_at": "[time]", "level": 3 }]
        })
    );
}

/// Sends `request`, checks the status and returns the redacted JSON body.
async fn answer(request: reqwest::RequestBuilder, status: u16) -> Value {
    let response = request.send().await.unwrap();
    let got = response.status();
    let body = json(response).await;
    assert_eq!(got, status, "{body}");
    redacted(body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_framework() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let draft = answer(
            s.as_(
                &alpha.designer.token,
                Method::POST,
                "/api/v1/frameworks/generate",
            )
            .json(&crate::common::ml_engineer()),
            200,
        )
        .await;
        insta::assert_json_snapshot!("generated_framework", draft);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn framework_read_back() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let token = &alpha.designer.token;
        let location = s.create_framework(token, "snapshot").await;
        let response = s.send_as(token, Method::GET, &location).await;
        assert_eq!(response.status(), 200);
        let read = json!({
            "etag": response.headers()["etag"].to_str().unwrap(),
            "body": redacted(json(response).await),
        });
        insta::assert_json_snapshot!("framework_get", read);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogue_search() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let found = answer(
            s.as_(
                &alpha.viewer.token,
                Method::GET,
                "/api/v1/competencies?q=data%20analysis&per_page=5",
            ),
            200,
        )
        .await;
        insta::assert_json_snapshot!("catalogue_search", found);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_problem() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let mut invalid = framework("invalid");
        // A duplicate competency id and a level the scale does not have.
        invalid["competencies"][1]["id"] = json!("data-analysis");
        invalid["role_profiles"][0]["targets"][0]["level"] = json!(9);
        let problem = answer(
            s.as_(&alpha.designer.token, Method::POST, "/api/v1/frameworks")
                .json(&invalid),
            422,
        )
        .await;
        insta::assert_json_snapshot!("validation_problem", problem);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn job_analysis_result() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let id = create_analysis(&s, designer, boundary_position()).await;
        let (tasks, competencies) = (BOUNDARY_TASK_RATINGS, BOUNDARY_COMPETENCY_RATINGS);
        answer(
            s.as_(
                designer,
                Method::POST,
                &format!("/api/v1/job-analyses/{id}/ratings"),
            )
            .json(&json!({ "tasks_csv": tasks, "competencies_csv": competencies })),
            200,
        )
        .await;
        let result = answer(
            s.as_(
                designer,
                Method::GET,
                &format!("/api/v1/job-analyses/{id}/analysis"),
            ),
            200,
        )
        .await;
        insta::assert_json_snapshot!("job_analysis_result", result);
        s
    })
    .await;
}
