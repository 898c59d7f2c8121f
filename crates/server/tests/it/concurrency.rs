//! Heavy work off the request threads, and the connection timeouts and cap (issue 18): a busy
//! heavy-work pool does not hold up `/healthz`; a slow-loris client is cut off; idle sockets
//! are closed, and over the cap refused with a clear answer.

use std::time::{Duration, Instant};

use framewright_server::heavy::{HeavyLimits, HeavyPool};
use framewright_server::{ConnectionLimits, Settings};
use framewright_store::testing;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use uuid::Uuid;

use crate::common::TestServer;

/// A framework whose lint is slow on purpose: every definition shares three of its four
/// words with every other, so the overlap rule has to compare every pair (and finds none).
fn slow_to_lint(n: usize) -> Value {
    let competencies: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "id": format!("c{i}"),
                "name": format!("Competency {i}"),
                "kind": "technical",
                "definition": format!("Plans budgets reports area{i}"),
            })
        })
        .collect();
    let mut f = crate::common::framework("slow");
    f["competencies"] = Value::Array(competencies);
    f["role_profiles"] = json!([]);
    f
}

fn address(s: &TestServer) -> String {
    s.base.trim_start_matches("http://").to_string()
}

/// The time one `/healthz` request takes on a new connection.
async fn health_time(s: &TestServer) -> (u16, Duration) {
    let client = reqwest::Client::new();
    let start = Instant::now();
    let status = client
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .map_or(0, |r| r.status().as_u16());
    (status, start.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_while_the_heavy_pool_is_saturated() {
    let settings = Settings {
        heavy: HeavyLimits {
            workers: 2,
            per_organisation: 2,
            queue_wait: Duration::from_secs(120),
            time_budget: Duration::from_secs(120),
        },
        ..Settings::default()
    };
    let s = TestServer::empty(testing::sqlite().await.unwrap(), settings).await;
    let org = s.org("alpha").await;
    let body = slow_to_lint(1_500);
    // How long one lint takes here, alone.
    let start = Instant::now();
    let one = s
        .send_json(&org.viewer.token, Method::POST, "/api/v1/lint", &body)
        .await;
    assert_eq!(one.status(), 200);
    let alone = start.elapsed();
    // Four at once on a pool of two (and on two async threads, like the server's runtime).
    let mut running = Vec::new();
    for _ in 0..4 {
        let client = s.client.clone();
        let url = format!("{}/api/v1/lint", s.base);
        let token = org.viewer.token.clone();
        let body = body.clone();
        running.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    let mut slowest = Duration::ZERO;
    let mut probes = 0;
    let mut seen_full = 0;
    loop {
        let still_running = running.iter().filter(|t| !t.is_finished()).count();
        if still_running < 2 {
            break;
        }
        if s.state.heavy().busy() == 2 {
            seen_full += 1;
        }
        let (status, took) = health_time(&s).await;
        assert_eq!(status, 200);
        probes += 1;
        slowest = slowest.max(took);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for t in running {
        assert_eq!(t.await.unwrap().unwrap(), 200);
    }
    eprintln!(
        "one lint alone: {alone:?}; /healthz while at least two lints ran: {probes} probes (pool seen full {seen_full} times), slowest {slowest:?}"
    );
    // Without the pool, the lints ran on the async threads and /healthz waited for them
    // (seconds). A generous bound: the machine running the tests is shared.
    assert!(
        slowest < Duration::from_millis(500) && slowest < alone,
        "/healthz took {slowest:?} while the lints ran (one lint: {alone:?})"
    );
    assert!(probes >= 3, "only {probes} probes");
    assert!(seen_full >= 1, "the pool was never seen full");
    s.stop().await;
}

#[tokio::test]
async fn a_full_pool_answers_busy_and_a_job_past_its_budget_answers_too_long() {
    let pool = HeavyPool::new(HeavyLimits {
        workers: 1,
        per_organisation: 1,
        queue_wait: Duration::from_millis(50),
        time_budget: Duration::from_millis(200),
    });
    // A job past its budget: 504, and its worker stays taken until it ends.
    let slow = pool
        .run(None, "the test job", || {
            std::thread::sleep(Duration::from_millis(800))
        })
        .await;
    let problem = slow.unwrap_err();
    assert_eq!(problem.status, 504);
    assert!(problem.kind.ends_with(":time-budget"), "{}", problem.kind);
    assert_eq!(pool.busy(), 1);
    let refused = pool.run(None, "the next job", || 1).await.unwrap_err();
    assert_eq!(refused.status, 503);
    assert!(refused.kind.ends_with(":server-busy"), "{}", refused.kind);
    assert_eq!(refused.retry_after, Some(5));
    assert!(
        refused.detail.contains("the next job"),
        "{}",
        refused.detail
    );
    // Once it ends, the worker is free again.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(pool.busy(), 0);
    assert_eq!(pool.run(None, "a quick job", || 41 + 1).await.unwrap(), 42);
}

#[tokio::test]
async fn one_organisation_cannot_take_every_worker() {
    let pool = std::sync::Arc::new(HeavyPool::new(HeavyLimits {
        workers: 2,
        per_organisation: 1,
        queue_wait: Duration::from_millis(100),
        time_budget: Duration::from_secs(10),
    }));
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let first = {
        let pool = pool.clone();
        tokio::spawn(async move {
            pool.run(Some(a), "a's first job", || {
                std::thread::sleep(Duration::from_millis(600))
            })
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let second = pool.run(Some(a), "a's second job", || ()).await;
    assert_eq!(second.unwrap_err().status, 503);
    assert_eq!(pool.run(Some(b), "b's job", || 7).await.unwrap(), 7);
    first.await.unwrap().unwrap();
}

fn tight(max_connections: usize) -> Settings {
    Settings {
        connections: ConnectionLimits {
            max_connections,
            header_read_timeout: Duration::from_millis(600),
            body_timeout: Duration::from_millis(600),
            idle_timeout: Duration::from_millis(800),
            request_timeout: Duration::from_secs(30),
        },
        ..Settings::default()
    }
}

/// Reads until the server closes the connection or `limit` passes: what it sent, and whether
/// it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&received).into(), true),
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => return (String::from_utf8_lossy(&received).into(), false),
        }
    }
}

#[tokio::test]
async fn a_slow_loris_client_is_cut_off_after_the_header_timeout() {
    let s = TestServer::empty(testing::sqlite().await.unwrap(), tight(100)).await;
    let mut stream = TcpStream::connect(address(&s)).await.unwrap();
    let start = Instant::now();
    let request = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let mut cut_off = false;
    for byte in request {
        if stream.write_all(&[*byte]).await.is_err() {
            cut_off = true;
            break;
        }
        // Still open? (a read that returns at once means the server closed it.)
        let mut probe = [0u8; 256];
        match tokio::time::timeout(Duration::from_millis(100), stream.read(&mut probe)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                cut_off = true;
                break;
            }
            Ok(Ok(n)) => panic!(
                "the server answered a request it had not fully received: {}",
                String::from_utf8_lossy(&probe[..n])
            ),
            Err(_) => {}
        }
        if start.elapsed() > Duration::from_secs(5) {
            break;
        }
    }
    let took = start.elapsed();
    assert!(
        cut_off,
        "the slow client was still connected after {took:?}"
    );
    assert!(
        took < Duration::from_secs(3),
        "cut off only after {took:?} (header timeout 0.6 s)"
    );
    // A normal client is still served.
    assert_eq!(health_time(&s).await.0, 200);
    s.stop().await;
}

#[tokio::test]
async fn a_late_request_body_fails_the_request() {
    let s = TestServer::empty(testing::sqlite().await.unwrap(), tight(100)).await;
    let org = s.org("alpha").await;
    let mut stream = TcpStream::connect(address(&s)).await.unwrap();
    let head = format!(
        "POST /api/v1/lint HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"format\":",
        org.viewer.token
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let start = Instant::now();
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(
        answer.starts_with("HTTP/1.1 400"),
        "answer after {:?}: {answer}",
        start.elapsed()
    );
    assert!(answer.contains("did not arrive within"), "answer: {answer}");
    s.stop().await;
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let s = TestServer::empty(testing::sqlite().await.unwrap(), tight(100)).await;
    let mut stream = TcpStream::connect(address(&s)).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let start = Instant::now();
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed, "the idle connection stayed open");
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(700) && took < Duration::from_secs(3),
        "closed after {took:?} (idle timeout 0.8 s)"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_pile_of_idle_sockets_is_capped_refused_clearly_and_timed_out() {
    let s = TestServer::empty(testing::sqlite().await.unwrap(), tight(100)).await;
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(address(&s)).await.unwrap());
    }
    // The server accepted them in order: the first 100 are open, the rest were refused.
    let mut refused = 0;
    for stream in idle.iter_mut().skip(100) {
        let (answer, closed) = read_until_closed(stream, Duration::from_secs(2)).await;
        if answer.starts_with("HTTP/1.1 503") {
            assert!(answer.contains("too-many-connections"), "{answer}");
            assert!(closed);
            refused += 1;
        }
    }
    assert_eq!(refused, 200);
    // Once the idle ones time out (header timeout 0.6 s), a new client is served.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let (status, _) = health_time(&s).await;
    assert_eq!(status, 200);
    // The first 100 were closed by the server, not left hanging.
    for stream in idle.iter_mut().take(100) {
        let (answer, closed) = read_until_closed(stream, Duration::from_millis(500)).await;
        assert!(closed && answer.is_empty(), "{answer}");
    }
    s.stop().await;
}

#[tokio::test]
async fn a_new_request_over_the_cap_is_refused_with_a_problem() {
    let s = TestServer::empty(testing::sqlite().await.unwrap(), tight(3)).await;
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(TcpStream::connect(address(&s)).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let refused = reqwest::Client::new()
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(refused.headers()["retry-after"], "5");
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(
        problem["type"],
        "urn:framewright:problem:too-many-connections"
    );
    drop(idle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(health_time(&s).await.0, 200);
    s.stop().await;
}

#[tokio::test]
async fn a_request_past_the_total_time_is_answered_503() {
    let mut settings = tight(100);
    settings.connections.request_timeout = Duration::from_millis(100);
    let s = TestServer::empty(testing::sqlite().await.unwrap(), settings).await;
    let org = s.org("alpha").await;
    let answer = s
        .send_json(
            &org.viewer.token,
            Method::POST,
            "/api/v1/lint",
            &slow_to_lint(1_500),
        )
        .await;
    assert_eq!(answer.status(), 503);
    let problem: Value = answer.json().await.unwrap();
    assert_eq!(
        problem["type"],
        "urn:framewright:problem:request-time-limit"
    );
    s.stop().await;
}
