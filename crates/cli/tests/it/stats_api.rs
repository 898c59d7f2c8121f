//! Every statistics command through the CLI (`framewright stats … --format json` on a CSV file)
//! and through the API (`POST /api/v1/stats/…` with the same data as JSON, on a server started
//! in this process): the two answers must be the same JSON, field for field.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use framewright_store::{Location, NewAccount, NewApiToken, Role};
use serde_json::{Value, json};

use crate::common::{self, framewright};

/// A server on 127.0.0.1 (a port the system chose) over SQLite in a temporary folder, with
/// one account; answers its address and the account's API token.
fn start_server() -> (String, String) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let dir = tempfile::tempdir().unwrap();
            let store = framewright_store::open(&Location::DataDir(dir.path().join("data")))
                .await
                .unwrap();
            let (org, user) = store
                .admin_create_user(
                    NewAccount {
                        org_slug: "stats".into(),
                        org_name: "Stats".into(),
                        email: "analyst@example.org".into(),
                        name: "analyst".into(),
                        password_hash: "not used: the test signs in with a token".into(),
                    },
                    Role::Viewer,
                )
                .await
                .unwrap();
            let token = format!("fwt_test_{}", uuid::Uuid::now_v7().simple());
            store
                .create_token(NewApiToken {
                    id: uuid::Uuid::now_v7(),
                    org_id: org.id,
                    user_id: user.id,
                    name: "test".into(),
                    token_hash: framewright_server::auth::sha256_hex(&token),
                    created_at: framewright_server::auth::now_millis(),
                    expires_at: None,
                })
                .await
                .unwrap();
            let app = framewright_server::build(store, framewright_server::Settings::default())
                .await
                .unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap().to_string();
            tx.send((address, token)).unwrap();
            framewright_server::serve(listener, app.router, &Default::default())
                .await
                .unwrap();
            drop(dir);
        });
    });
    rx.recv_timeout(Duration::from_secs(60)).unwrap()
}

/// `POST /api/v1/stats/{analysis}`: the status code and the JSON answer.
fn post(address: &str, token: &str, analysis: &str, body: &Value) -> (u16, Value) {
    let body = body.to_string();
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "POST /api/v1/stats/{analysis} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap())
}

/// A fixture CSV (plain: no quotes) as its header and its rows of cells.
fn csv(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let path = common::fixtures("stats").join(name);
    let text = std::fs::read_to_string(Path::new(&path)).unwrap();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(|c| c.trim().to_string()).collect())
        .collect();
    (header, rows)
}

/// The numeric columns `keep` of a fixture, as `columns` and `rows`.
fn matrix(name: &str, keep: &[&str]) -> Value {
    let (header, rows) = csv(name);
    let at: Vec<usize> = keep
        .iter()
        .map(|k| header.iter().position(|h| h == k).unwrap())
        .collect();
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            at.iter()
                .map(|&i| match r[i].as_str() {
                    "" => Value::Null,
                    v => json!(v.parse::<f64>().unwrap()),
                })
                .collect()
        })
        .collect();
    json!({ "columns": keep, "rows": rows })
}

/// Every column of a fixture except `skip`.
fn columns_of(name: &str, skip: &[&str]) -> Vec<String> {
    csv(name)
        .0
        .into_iter()
        .filter(|c| !skip.contains(&c.as_str()))
        .collect()
}

/// `matrix` with every column but `skip`, plus `options`.
fn body(name: &str, skip: &[&str], options: Value) -> Value {
    let columns = columns_of(name, skip);
    let keep: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut body = matrix(name, &keep);
    for (k, v) in options.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// One text column of a fixture.
fn text_column(name: &str, column: &str) -> Vec<String> {
    let (header, rows) = csv(name);
    let i = header.iter().position(|h| h == column).unwrap();
    rows.into_iter().map(|r| r[i].clone()).collect()
}

fn yes(s: &str) -> bool {
    matches!(s, "1" | "yes" | "true")
}

/// The cases: the analysis, the CLI's arguments after `stats` and the API's body.
fn cases() -> Vec<(&'static str, Vec<String>, Value)> {
    let f = |name: &str| common::fixture_str("stats", name);
    let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let applicants: Vec<Value> = text_column("applicants.csv", "group")
        .iter()
        .zip(text_column("applicants.csv", "selected"))
        .map(|(g, s)| json!({ "group": g, "selected": yes(&s) }))
        .collect();
    let people: Vec<Value> = text_column("contrasting.csv", "score")
        .iter()
        .zip(text_column("contrasting.csv", "competent"))
        .map(|(s, c)| json!({ "score": s.parse::<f64>().unwrap(), "competent": yes(&c) }))
        .collect();
    let mut dif = body("dif.csv", &["group"], json!({ "focal": "F" }));
    dif["groups"] = json!(text_column("dif.csv", "group"));
    vec![
        (
            "alpha",
            args(&["alpha", &f("alpha.csv"), "--skip", "id"]),
            body("alpha.csv", &["id"], json!({})),
        ),
        (
            "alpha",
            args(&[
                "alpha",
                &f("alpha_missing.csv"),
                "--missing",
                "pairwise",
                "--confidence",
                "0.9",
            ]),
            body(
                "alpha_missing.csv",
                &[],
                json!({ "missing": "pairwise", "confidence": 0.9 }),
            ),
        ),
        (
            "omega",
            args(&["omega", &f("efa.csv")]),
            body("efa.csv", &[], json!({})),
        ),
        (
            "icc",
            args(&["icc", &f("icc.csv"), "--skip", "target"]),
            body("icc.csv", &["target"], json!({})),
        ),
        (
            "kappa",
            args(&[
                "kappa",
                &f("kappa.csv"),
                "--raters",
                "rater_a,rater_b",
                "--weights",
                "quadratic",
            ]),
            {
                let mut b = matrix("kappa.csv", &["rater_a", "rater_b"]);
                b["weights"] = json!("quadratic");
                b
            },
        ),
        (
            "fleiss",
            args(&["fleiss", &f("fleiss.csv")]),
            body("fleiss.csv", &[], json!({})),
        ),
        (
            "krippendorff",
            args(&["krippendorff", &f("krippendorff.csv"), "--level", "ordinal"]),
            body("krippendorff.csv", &[], json!({ "level": "ordinal" })),
        ),
        (
            "rwg",
            args(&["rwg", &f("rwg.csv"), "--options", "5"]),
            body("rwg.csv", &[], json!({ "options": 5 })),
        ),
        (
            "efa",
            args(&["efa", &f("efa.csv"), "--rotation", "varimax"]),
            body("efa.csv", &[], json!({ "rotation": "varimax" })),
        ),
        (
            "irt",
            args(&["irt", &f("lsat7.csv"), "--persons"]),
            body("lsat7.csv", &[], json!({ "persons": true })),
        ),
        (
            "irt",
            args(&["irt", &f("lsat7.csv"), "--model", "rasch"]),
            body("lsat7.csv", &[], json!({ "model": "rasch" })),
        ),
        (
            "adverse-impact",
            args(&[
                "adverse-impact",
                &f("applicants.csv"),
                "--group",
                "group",
                "--selected",
                "selected",
            ]),
            json!({ "applicants": applicants }),
        ),
        (
            "dif",
            args(&["dif", &f("dif.csv"), "--group", "group", "--focal", "F"]),
            dif,
        ),
        (
            "angoff",
            args(&["angoff", &f("angoff.csv"), "--skip", "judge"]),
            body("angoff.csv", &["judge"], json!({})),
        ),
        (
            "contrasting-groups",
            args(&[
                "contrasting-groups",
                &f("contrasting.csv"),
                "--score",
                "score",
                "--competent",
                "competent",
            ]),
            json!({ "people": people }),
        ),
    ]
}

#[test]
fn every_statistic_answers_the_same_json_from_the_cli_and_the_api() {
    let (address, token) = start_server();
    let cases = cases();
    let mut analyses: Vec<&str> = cases.iter().map(|c| c.0).collect();
    analyses.dedup();
    assert_eq!(analyses.len(), 13, "every statistics command: {analyses:?}");
    for (analysis, args, body) in cases {
        let out = framewright()
            .arg("stats")
            .args(&args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
        let (status, api) = post(&address, &token, analysis, &body);
        assert_eq!(status, 200, "{analysis}: {api}");
        assert_eq!(cli, api, "{args:?}: the CLI and the API differ");
    }
}
