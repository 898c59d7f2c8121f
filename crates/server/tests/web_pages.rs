//! The web interface's skeleton over real HTTP: sign-in by form (same rate limit as the API),
//! anonymous visitors sent to the sign-in page, sign-out refused without the CSRF token, the
//! dashboard, the static assets and the HTML 404. Runs on SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{PASSWORD, TestServer, each_backend, framework};
use framewright_server::Settings;
use reqwest::Method;

/// The `name=value` part of the response's session cookie.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("fw_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// The value of the first hidden `csrf_token` input of a page.
pub fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf_token\" value=\"")
        .expect("page has a CSRF field");
    let rest = &html[at + "name=\"csrf_token\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// Signs in through the sign-in form: the session cookie.
async fn form_login(s: &TestServer, email: &str) -> String {
    let response = s
        .request(Method::POST, "/login")
        .form(&[("email", email), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "sign-in redirects");
    assert_eq!(response.headers()["location"], "/");
    session_cookie(&response).expect("session cookie")
}

async fn get_page(s: &TestServer, cookie: &str, path: &str) -> (u16, String) {
    let response = s
        .request(Method::GET, path)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_dashboard_and_sign_out() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        s.as_(&alpha.designer.token, Method::POST, "/api/v1/frameworks")
            .json(&framework("analyst"))
            .send()
            .await
            .unwrap();

        // Anonymous: the dashboard and other pages go to the sign-in page, with the way back.
        let anonymous = s.request(Method::GET, "/").send().await.unwrap();
        assert_eq!(anonymous.status(), 303);
        assert_eq!(anonymous.headers()["location"], "/login");
        let deep = s
            .request(Method::GET, "/account?q=data%20science")
            .send()
            .await
            .unwrap();
        assert_eq!(deep.status(), 303);
        assert_eq!(
            deep.headers()["location"],
            "/login?next=/account%3Fq%3Ddata%2520science"
        );
        let login = s.request(Method::GET, "/login").send().await.unwrap();
        assert_eq!(login.status(), 200);
        assert!(
            login.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = login.text().await.unwrap();
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<label for=\"email\">Email</label>"));
        assert!(html.contains("<label for=\"password\">Password</label>"));

        // Wrong password: the form again, 401, nothing set.
        let wrong = s
            .request(Method::POST, "/login")
            .form(&[
                ("email", "owner@alpha.test"),
                ("password", "nope nope nope"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
        assert!(session_cookie(&wrong).is_none());
        assert!(
            wrong
                .text()
                .await
                .unwrap()
                .contains("The email or the password is wrong.")
        );

        // An outside `next` is not followed.
        let outside = s
            .request(Method::POST, "/login")
            .form(&[
                ("email", "owner@alpha.test"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(outside.headers()["location"], "/");

        // Signed in: the dashboard lists the organisation's framework, with names escaped.
        let cookie = form_login(&s, "owner@alpha.test").await;
        let (status, html) = get_page(&s, &cookie, "/").await;
        assert_eq!(status, 200);
        assert!(html.contains("Welcome, owner"));
        assert!(html.contains("Framework analyst"));
        assert!(html.contains("<main id=\"main\""));
        assert!(html.contains("href=\"#main\""));
        let csrf = csrf_of(&html);
        assert_eq!(csrf.len(), 64);

        // Sign-out without the CSRF token is refused and the session lives on.
        let forged = s
            .request(Method::POST, "/logout")
            .header("cookie", &cookie)
            .form(&[("csrf_token", "0".repeat(64))])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        let missing = s
            .request(Method::POST, "/logout")
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 403);
        assert_eq!(get_page(&s, &cookie, "/").await.0, 200);

        // With it: signed out, the cookie cleared, the session gone.
        let out = s
            .request(Method::POST, "/logout")
            .header("cookie", &cookie)
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);
        assert_eq!(out.headers()["location"], "/login");
        let cleared = session_cookie(&out).unwrap();
        assert_eq!(cleared, "fw_session=");
        let after = s
            .request(Method::GET, "/")
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(after.status(), 303);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_shares_the_api_rate_limit() {
    let settings = Settings {
        login_burst: 2,
        login_refill: Duration::from_secs(3600),
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        s.org("alpha").await;
        // One attempt through the API, one through the form: the third is refused either way.
        let api = s
            .request(Method::POST, "/api/v1/session")
            .json(&serde_json::json!({ "email": "owner@alpha.test", "password": "wrong wrong" }))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 401);
        let form = s
            .request(Method::POST, "/login")
            .form(&[("email", "owner@alpha.test"), ("password", "wrong wrong")])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 401);
        let limited = s
            .request(Method::POST, "/login")
            .form(&[("email", "owner@alpha.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(limited.status(), 429);
        assert!(limited.headers().contains_key("retry-after"));
        assert!(session_cookie(&limited).is_none());
        assert!(
            limited
                .text()
                .await
                .unwrap()
                .contains("Too many sign-in attempts")
        );
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_and_not_found_pages() {
    each_backend(Settings::default(), |s: TestServer| async move {
        for (path, media) in [
            ("/static/app.css", "text/css; charset=utf-8"),
            ("/static/app.js", "text/javascript; charset=utf-8"),
        ] {
            let response = s.request(Method::GET, path).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["content-type"], media);
            assert!(
                response.headers()["cache-control"]
                    .to_str()
                    .unwrap()
                    .contains("max-age")
            );
            assert!(!response.text().await.unwrap().is_empty());
        }
        // Browsers get an HTML 404; API clients problem+json.
        let page = s
            .request(Method::GET, "/no/such/page")
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404);
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("There is no page at this address")
        );
        let api = s
            .request(Method::GET, "/api/v1/nothing")
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 404);
        assert_eq!(api.headers()["content-type"], "application/problem+json");
        // Not set up yet (this server has no account): the start page says how to begin.
        let start = s.request(Method::GET, "/").send().await.unwrap();
        assert_eq!(start.status(), 200);
        assert!(start.text().await.unwrap().contains("not set up yet"));
        s
    })
    .await;
}
