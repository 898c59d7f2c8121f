//! The refinement protocol against a small HTTP server on 127.0.0.1 started by each test:
//! a good answer, malformed JSON, a timeout, an answer that fails lint, an error status.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use framewright_llm::{LlmConfig, RefineError, refine};
use framewright_model::lint::{self, LintLimits, Vocabulary};
use framewright_model::{
    CompetencyKind, Framework, FrameworkCompetency, LevelContent, Provenance, Role,
};
use serde_json::{Value, json};

fn vocabulary() -> Vocabulary {
    framewright_catalog::vocabulary::builtin_vocabulary().unwrap()
}

const VERBS: [&str; 5] = ["Identifies", "Explains", "Applies", "Analyzes", "Evaluates"];

fn framework() -> Framework {
    let mut f = Framework::new(
        "ml",
        "ML Engineer competency framework",
        framewright_catalog::opm_five_level().unwrap(),
    );
    for (n, name) in ["Data Analysis", "Software Engineering"].iter().enumerate() {
        let mut c = FrameworkCompetency::new(format!("c{n}"), *name, CompetencyKind::Technical);
        c.definition = Some(format!("Works with {name}."));
        c.rationale = Some(format!("Cited evidence for {name}."));
        c.levels = (1..=5u8)
            .map(|level| LevelContent {
                level,
                description: Some(format!("Level {level} {name} work.")),
                indicators: vec![
                    format!(
                        "{} {name} task {level} in the team's work.",
                        VERBS[usize::from(level) - 1]
                    ),
                    format!(
                        "{} {name} result {level} for the team.",
                        VERBS[usize::from(level) - 1]
                    ),
                ],
                draft: false,
            })
            .collect();
        f.competencies.push(c);
    }
    f.provenance = Some(Provenance {
        details: Vec::new(),
        left_out: Vec::new(),
        generator: "framewright test".into(),
        method: Some("Offline.".into()),
        matching: None,
        role: Some(Role {
            title: "ML Engineer".into(),
            tasks: vec!["Train models.".into()],
            ..Role::default()
        }),
        generated_at: None,
    });
    f
}

/// A good answer: the same indicators reworded for the role.
fn reworded(body: &Value) -> String {
    let user: Value =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    let levels: Vec<Value> = user["competency"]["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let indicators: Vec<String> = l["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    i.as_str()
                        .unwrap()
                        .replace("for the team", "for the model owners")
                })
                .map(|i| i.replace("in the team's work", "in the machine learning pipeline"))
                .collect();
            json!({"level": l["level"], "indicators": indicators})
        })
        .collect();
    json!({"levels": levels}).to_string()
}

struct Server {
    url: String,
    requests: Arc<Mutex<Vec<(String, Value)>>>,
}

/// Serves each request with `answer(request body) -> (status, response body, delay)`.
fn serve(answer: impl Fn(&Value) -> (u16, String, Duration) + Send + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                head.push_str(&line);
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let body: Value = serde_json::from_slice(&body).unwrap();
            let (status, response, delay) = answer(&body);
            seen.lock().unwrap().push((head, body));
            thread::sleep(delay);
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{response}",
                response.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    Server { url, requests }
}

fn chat(content: &str) -> String {
    json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]})
        .to_string()
}

fn config(url: &str) -> LlmConfig {
    LlmConfig {
        url: url.to_string(),
        model: "test-model".into(),
        api_key: Some("sk-test".into()),
        timeout: Duration::from_millis(800),
    }
}

#[test]
fn a_good_answer_rewords_indicators_and_keeps_every_citation() {
    let server = serve(|body| (200, chat(&reworded(body)), Duration::ZERO));
    let offline = framework();
    let refined = refine(&offline, &config(&server.url), &vocabulary()).unwrap();
    assert_eq!(refined.changed_indicators, 20);
    let f = &refined.framework;
    assert!(f.competencies[0].levels[0].indicators[0].contains("machine learning pipeline"));
    assert!(
        f.competencies
            .iter()
            .all(|c| c.levels.iter().all(|l| l.draft))
    );
    for (a, b) in offline.competencies.iter().zip(&f.competencies) {
        assert_eq!(a.rationale, b.rationale);
        assert_eq!(a.source, b.source);
    }
    let method = f.provenance.as_ref().unwrap().method.clone().unwrap();
    assert!(method.contains("`test-model`"));
    assert!(!lint::has_errors(&lint::lint(
        f,
        &vocabulary(),
        &LintLimits::default()
    )));

    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    let (head, body) = &requests[0];
    assert!(head.starts_with("POST /v1/chat/completions HTTP/1.1"));
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: bearer sk-test")
    );
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["messages"][0]["role"], "system");
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("ML Engineer") && user.contains("Train models."));
}

#[test]
fn malformed_json_is_refused() {
    let server = serve(|_| (200, "{not json".to_string(), Duration::ZERO));
    let error = refine(&framework(), &config(&server.url), &vocabulary()).unwrap_err();
    assert!(matches!(error, RefineError::Answer { .. }), "{error}");
    assert!(error.to_string().contains("not JSON"), "{error}");

    let server = serve(|_| (200, chat("Here are your indicators!"), Duration::ZERO));
    let error = refine(&framework(), &config(&server.url), &vocabulary()).unwrap_err();
    assert!(error.to_string().contains("content is not JSON"), "{error}");

    let server = serve(|_| {
        (
            200,
            chat("{\"levels\": [{\"level\": 1, \"indicators\": [\"Explains x.\"]}]}"),
            Duration::ZERO,
        )
    });
    let error = refine(&framework(), &config(&server.url), &vocabulary()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("level 1 has 1 indicators instead of 2"),
        "{error}"
    );
}

#[test]
fn a_slow_server_times_out() {
    let server = serve(|body| (200, chat(&reworded(body)), Duration::from_secs(3)));
    let error = refine(&framework(), &config(&server.url), &vocabulary()).unwrap_err();
    assert!(matches!(error, RefineError::Request { .. }), "{error}");
    assert!(error.to_string().contains("time limit"), "{error}");
}

#[test]
fn an_answer_that_fails_lint_is_refused() {
    // The same indicator at every level: lint's indicator-repeated error.
    let server = serve(|_| {
        let levels: Vec<Value> = (1..=5)
            .map(|l| json!({"level": l, "indicators": ["Explains the model.", "Applies the model."]}))
            .collect();
        (
            200,
            chat(&json!({"levels": levels}).to_string()),
            Duration::ZERO,
        )
    });
    let error = refine(&framework(), &config(&server.url), &vocabulary()).unwrap_err();
    assert!(matches!(error, RefineError::Lint(_)), "{error}");

    // Vague words: no lint error, but more wording warnings than the offline text.
    let server = serve(|body| {
        let answer = reworded(body).replace(
            "for the model owners",
            "in an appropriate and effective way",
        );
        (200, chat(&answer), Duration::ZERO)
    });
    let error = refine(&framework(), &config(&server.url), &vocabulary()).unwrap_err();
    assert!(
        error.to_string().contains("more wording problems"),
        "{error}"
    );
}

#[test]
fn an_error_status_and_a_closed_port_are_reported() {
    let server = serve(|_| {
        (
            500,
            "{\"error\": \"model not loaded\"}".to_string(),
            Duration::ZERO,
        )
    });
    let error = refine(&framework(), &config(&server.url), &vocabulary()).unwrap_err();
    assert!(error.to_string().contains("500"), "{error}");
    assert!(error.to_string().contains("model not loaded"), "{error}");

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = refine(
        &framework(),
        &config(&format!("http://127.0.0.1:{port}")),
        &vocabulary(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("could not connect"), "{error}");
}
