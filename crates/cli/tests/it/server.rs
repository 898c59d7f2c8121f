//! `framewright serve` and `framewright admin` on the real binary: the first start prints a
//! working set-up link; `admin create-user` creates accounts for scripts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::{self, framewright};

/// A plain HTTP/1.1 GET: the status line and the body.
fn http_get(address: &str, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let status = text.lines().next().unwrap_or_default().to_string();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn admin_create_user_creates_an_account_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    framewright()
        .args([
            "admin",
            "create-user",
            "--email",
            "Ann@Example.org",
            "--org",
            "acme",
            "--role",
            "owner",
        ])
        .arg("--data-dir")
        .arg(&data)
        .env("FRAMEWRIGHT_PASSWORD", "a long enough password")
        .env_remove("FRAMEWRIGHT_DATABASE_URL")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ann@example.org is now owner of organisation `acme`",
        ));
    assert!(data.join("framewright.db").exists());
    framewright()
        .args([
            "admin",
            "create-user",
            "--email",
            "ann@example.org",
            "--org",
            "acme",
            "--role",
            "viewer",
        ])
        .arg("--data-dir")
        .arg(&data)
        .env("FRAMEWRIGHT_PASSWORD", "a long enough password")
        .env_remove("FRAMEWRIGHT_DATABASE_URL")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already a member"));
    // Without a password, one is made and shown once.
    framewright()
        .args([
            "admin",
            "create-user",
            "--email",
            "bob@example.org",
            "--org",
            "acme",
            "--role",
            "designer",
        ])
        .arg("--data-dir")
        .arg(&data)
        .env_remove("FRAMEWRIGHT_PASSWORD")
        .env_remove("FRAMEWRIGHT_DATABASE_URL")
        .assert()
        .success()
        .stdout(predicate::str::contains("Password (shown once"));
}

#[test]
fn admin_create_user_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    framewright()
        .args([
            "admin",
            "create-user",
            "--email",
            "a@b.org",
            "--org",
            "acme",
            "--role",
            "boss",
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("boss"));
    framewright()
        .args([
            "admin",
            "create-user",
            "--email",
            "a@b.org",
            "--org",
            "acme",
            "--role",
            "owner",
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .env("FRAMEWRIGHT_PASSWORD", "short")
        .env_remove("FRAMEWRIGHT_DATABASE_URL")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least 10 characters"));
    framewright()
        .args([
            "admin",
            "create-user",
            "--email",
            "a@b.org",
            "--org",
            "acme",
            "--role",
            "owner",
        ])
        .args(["--database-url", "mysql://x@y/z"])
        .env("FRAMEWRIGHT_PASSWORD", "a long enough password")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("PostgreSQL"));
}

#[test]
fn serve_prints_a_working_setup_link_on_first_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = common::framewright_process()
        .args(["serve", "--port", "0"])
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .env_remove("FRAMEWRIGHT_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let started = Instant::now();
    let mut address = None;
    let mut link = None;
    while started.elapsed() < Duration::from_secs(60) {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.strip_prefix("Framewright is running at http://") {
            address = rest.split('/').next().map(String::from);
        }
        if let Some(at) = line.find("/setup?token=") {
            link = Some(line[at..].trim().to_string());
            break;
        }
    }
    let address = address.expect("the address is printed");
    let link = link.expect("the set-up link is printed");
    let (status, body) = http_get(&address, &link);
    let (health, _) = http_get(&address, "/healthz");
    let (bad, _) = http_get(&address, "/setup?token=wrong");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("Create account"), "{body}");
    assert!(health.contains("200"));
    assert!(bad.contains("404"));
}
