//! Statistics over HTTP: results equal the committed oracle fixtures of the stats crate
//! (pingouin, scipy, statsmodels), and bad data gives problem+json naming the JSON path.

use crate::common::{TestServer, each_backend};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::{Value, json};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../stats/tests/fixtures");

fn fixture(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()).unwrap()
}

fn close(got: &Value, want: &Value, tol: f64, what: &str) {
    let (g, w) = (got.as_f64().unwrap(), want.as_f64().unwrap());
    assert!((g - w).abs() <= tol, "{what}: got {g}, want {w}");
}

async fn post(s: &TestServer, token: &str, analysis: &str, body: Value) -> reqwest::Response {
    s.send_json(
        token,
        Method::POST,
        &format!("/api/v1/stats/{analysis}"),
        &body,
    )
    .await
}

async fn problem(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_match_the_oracles_and_name_bad_values() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha_org = s.org("alpha").await;
        let token = &alpha_org.viewer.token;

        // Cronbach's alpha, listwise and pairwise, on data with missing values (pingouin).
        let fx = fixture("alpha.json");
        for case in fx["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            for policy in ["listwise", "pairwise"] {
                let want = &case[policy];
                let got = post(&s, token, "alpha", json!({ "rows": case["data"], "missing": policy })).await;
                assert_eq!(got.status(), 200, "{name}");
                let got: Value = got.json().await.unwrap();
                close(&got["alpha"], &want["alpha"], 1e-8, &format!("{name} {policy} alpha"));
                close(&got["ci95"][0], &want["ci95"][0], 1e-8, &format!("{name} {policy} ci lo"));
                close(&got["ci95"][1], &want["ci95"][1], 1e-8, &format!("{name} {policy} ci hi"));
                assert_eq!(got["n_used"], want["n_used"], "{name} {policy}");
                if let Some(items) = want["items"].as_array() {
                    for (i, w) in items.iter().enumerate() {
                        let g = &got["items"][i];
                        close(&g["corrected_item_total"], &w["corrected_item_total"], 1e-8, name);
                        close(&g["alpha_if_deleted"], &w["alpha_if_deleted"], 1e-8, name);
                    }
                }
            }
        }

        // All six ICCs of Shrout & Fleiss (1979), with rater names.
        let fx = fixture("icc.json");
        let case = &fx["cases"][0];
        let got = post(
            &s,
            token,
            "icc",
            json!({ "columns": ["j1", "j2", "j3", "j4"], "rows": case["data"] }),
        )
        .await;
        assert_eq!(got.status(), 200);
        let got: Value = got.json().await.unwrap();
        for want in case["icc"].as_array().unwrap() {
            let g = got["icc"]
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["type"] == want["type"])
                .unwrap();
            for key in ["value", "f", "p"] {
                close(&g[key], &want[key], 1e-8, &format!("{} {key}", want["type"]));
            }
            close(&g["ci95"][0], &want["ci95"][0], 1e-6, "ci lo");
            close(&g["ci95"][1], &want["ci95"][1], 1e-6, "ci hi");
        }

        // Adverse impact from counts, and from one entry per applicant.
        let fx = fixture("adverse_impact.json");
        let case = &fx["cases"][0];
        let groups: Vec<Value> = case["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| json!({ "group": g["group"], "applicants": g["applicants"], "selected": g["selected"] }))
            .collect();
        let got: Value = post(&s, token, "adverse-impact", json!({ "groups": groups }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(got["four_fifths_violation"], true);
        let focal = &case["groups"][1];
        let g = got["groups"].as_array().unwrap().iter().find(|g| g["group"] == "focal").unwrap();
        close(&g["impact_ratio"], &focal["impact_ratio"], 1e-8, "impact ratio");
        close(&g["fisher_p"], &focal["fisher_p"], 1e-8, "fisher p");
        let mut applicants = Vec::new();
        for g in case["groups"].as_array().unwrap() {
            let (n, k) = (g["applicants"].as_u64().unwrap(), g["selected"].as_u64().unwrap());
            for i in 0..n {
                applicants.push(json!({ "group": g["group"], "selected": i < k }));
            }
        }
        let long: Value = post(&s, token, "adverse-impact", json!({ "applicants": applicants }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(long["groups"], got["groups"], "the long form gives the same result");

        // Cohen's kappa with word labels (unweighted) and numbers (quadratic).
        let fx = fixture("kappa.json");
        let case = &fx["cases"][0];
        let rows: Vec<Value> = case["rater1"]
            .as_array()
            .unwrap()
            .iter()
            .zip(case["rater2"].as_array().unwrap())
            .map(|(a, b)| json!([a, b]))
            .collect();
        let got: Value = post(&s, token, "kappa", json!({ "rows": rows, "weights": "quadratic" }))
            .await
            .json()
            .await
            .unwrap();
        close(&got["kappa"], &case["results"]["quadratic"]["kappa"], 1e-8, "quadratic kappa");
        let words: Vec<Value> = rows
            .iter()
            .map(|r| {
                let w = |v: &Value| ["low", "mid", "top"][v.as_u64().unwrap() as usize];
                json!([w(&r[0]), w(&r[1])])
            })
            .collect();
        let got: Value = post(&s, token, "kappa", json!({ "rows": words })).await.json().await.unwrap();
        close(&got["kappa"], &case["results"]["none"]["kappa"], 1e-8, "kappa");
        assert_eq!(got["categories"], json!(["low", "mid", "top"]));
        let refused = problem(post(&s, token, "kappa", json!({ "rows": words, "weights": "linear" })).await).await;
        assert_eq!(refused["errors"][0]["pointer"], "/rows/0/0", "{refused}");

        // Bad data: each problem names the JSON path of the wrong value.
        let ragged = problem(post(&s, token, "alpha", json!({ "rows": [[1, 2, 3], [2, 3, 4], [3, 4]] })).await).await;
        assert_eq!(ragged["errors"][0]["pointer"], "/rows/2", "{ragged}");
        let text = problem(post(&s, token, "alpha", json!({ "rows": [[1, 2], [2, "x"]] })).await).await;
        assert_eq!(text["errors"][0]["pointer"], "/rows/1/1", "{text}");
        let constant = problem(
            post(&s, token, "alpha", json!({ "columns": ["q1", "q2", "q3"], "rows": [[1, 5, 2], [2, 5, 3], [3, 5, 5], [4, 5, 4]] })).await,
        )
        .await;
        assert_eq!(constant["errors"][0]["pointer"], "/columns/1", "{constant}");
        assert!(constant["detail"].as_str().unwrap().contains("q2"), "{constant}");
        let missing = problem(post(&s, token, "rwg", json!({ "rows": [[1, 2], [2, 3]] })).await).await;
        assert_eq!(missing["errors"][0]["pointer"], "/options", "{missing}");
        let unknown = problem(post(&s, token, "icc", json!({ "rows": [[1, 2]], "confidance": 0.9 })).await).await;
        assert_eq!(unknown["errors"][0]["pointer"], "/confidance", "{unknown}");
        let too_few = problem(post(&s, token, "icc", json!({ "rows": [[1, 2]] })).await).await;
        assert!(too_few["detail"].as_str().is_some(), "{too_few}");
        let binary = problem(post(&s, token, "irt", json!({ "rows": [[1, 0], [0, 2], [1, 1]] })).await).await;
        assert_eq!(binary["errors"][0]["pointer"], "/rows/1/1", "{binary}");

        // Anonymous callers get nothing; an unknown analysis is 404.
        let anonymous = s
            .request(Method::POST, "/api/v1/stats/alpha")
            .json(&json!({ "rows": [[1, 2], [2, 3]] }))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401);
        assert_eq!(post(&s, token, "astrology", json!({})).await.status(), 404);
        s
    })
    .await;
}
