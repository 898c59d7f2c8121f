//! A real server on 127.0.0.1 port 0 over a real database (SQLite always; PostgreSQL too when
//! `TEST_DATABASE_URL` is set), with two organisations and a member of every role in the
//! first, each with an API token.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use framewright_server::auth::sha256_hex;
use framewright_server::{App, Settings};
use framewright_store::testing::{self, TestStore};
use framewright_store::{NewAccount, NewApiToken, Organisation, Role, SharedStore, User};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use uuid::Uuid;

/// The password every test account has.
pub const PASSWORD: &str = "correct horse battery";

/// An argon2id hash of [`PASSWORD`], computed once.
pub async fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return h.clone();
    }
    let h = framewright_server::auth::hash_password(PASSWORD.to_string())
        .await
        .unwrap();
    HASH.get_or_init(|| h).clone()
}

/// A member with an API token.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: User,
    pub role: Role,
    pub token: String,
    pub token_id: Uuid,
}

/// An organisation with one member per role.
#[derive(Debug, Clone)]
pub struct Org {
    pub org: Organisation,
    pub owner: Account,
    pub designer: Account,
    pub reviewer: Account,
    pub viewer: Account,
}

/// A running server.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub store: SharedStore,
    pub backend: TestStore,
    pub app_setup_token: Option<String>,
    pub openapi: Value,
    /// The server's shared state (for the heavy-work pool's figures).
    pub state: framewright_server::AppState,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server on an empty store (no accounts: the set-up link is live).
    pub async fn empty(backend: TestStore, settings: Settings) -> TestServer {
        let store = backend.store.clone();
        let connections = settings.connections.clone();
        let App {
            router,
            openapi,
            setup_token,
            state,
        } = framewright_server::build(store.clone(), settings)
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        // The server's own accept loop, with its timeouts and connection cap.
        let task = tokio::spawn(framewright_server::serve::serve_until(
            listener,
            router,
            connections,
            std::future::pending(),
        ));
        TestServer {
            base: format!("http://{address}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            store,
            backend,
            app_setup_token: setup_token,
            openapi,
            state,
            task,
        }
    }

    /// Stops the server and removes its data.
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
        self.backend.cleanup().await;
    }

    /// A request to `path` (starting with `/`).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    /// A request with an API token.
    pub fn as_(&self, token: &str, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(token)
    }

    /// GETs `path` with a session cookie (`name=value`); the response.
    pub async fn get_with_cookie(&self, cookie: &str, path: &str) -> Response {
        self.request(Method::GET, path)
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
    }

    /// Sends a request with an API token and no body; the response.
    pub async fn send_as(&self, token: &str, method: Method, path: &str) -> Response {
        self.as_(token, method, path).send().await.unwrap()
    }

    /// Sends a JSON body with an API token; the response.
    pub async fn send_json<T: serde::Serialize + ?Sized>(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: &T,
    ) -> Response {
        self.as_(token, method, path)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Sends a JSON body with an API token and an `If-Match` header; the response.
    pub async fn send_json_if<T: serde::Serialize + ?Sized>(
        &self,
        token: &str,
        method: Method,
        path: &str,
        if_match: &str,
        body: &T,
    ) -> Response {
        self.as_(token, method, path)
            .header("if-match", if_match)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Creates [`framework`]`(slug)` with the token's organisation; its location.
    pub async fn create_framework(&self, token: &str, slug: &str) -> String {
        self.save_framework(token, &framework(slug)).await
    }

    /// Stores `document` as a new framework (answered 201); its location.
    pub async fn save_framework(&self, token: &str, document: &Value) -> String {
        let created = self
            .send_json(token, Method::POST, "/api/v1/frameworks", document)
            .await;
        assert_eq!(created.status(), 201);
        created.headers()["location"].to_str().unwrap().to_string()
    }

    /// Generates (answered 200) the Machine Learning Engineer draft at GS-13; the response body.
    pub async fn generate_ml_engineer(&self, token: &str) -> Value {
        let draft = self
            .send_json(
                token,
                Method::POST,
                "/api/v1/frameworks/generate",
                &ml_engineer(),
            )
            .await;
        assert_eq!(draft.status(), 200);
        json(draft).await
    }

    /// Creates an account with a token in organisation `org` (created when missing).
    pub async fn account(&self, org: &str, email: &str, role: Role) -> (Organisation, Account) {
        let (organisation, user) = self
            .store
            .admin_create_user(
                NewAccount {
                    org_slug: org.into(),
                    org_name: org.to_uppercase(),
                    email: email.into(),
                    name: email.split('@').next().unwrap().into(),
                    password_hash: password_hash().await,
                },
                role,
            )
            .await
            .unwrap();
        let token = format!("fwt_test_{}", Uuid::now_v7().simple());
        let token_id = Uuid::now_v7();
        self.store
            .create_token(NewApiToken {
                id: token_id,
                org_id: organisation.id,
                user_id: user.id,
                name: "test".into(),
                token_hash: sha256_hex(&token),
                created_at: framewright_server::auth::now_millis(),
                expires_at: None,
            })
            .await
            .unwrap();
        (
            organisation,
            Account {
                user,
                role,
                token,
                token_id,
            },
        )
    }

    /// An organisation with one member of each role.
    pub async fn org(&self, slug: &str) -> Org {
        let (org, owner) = self
            .account(slug, &format!("owner@{slug}.test"), Role::Owner)
            .await;
        let (_, designer) = self
            .account(slug, &format!("designer@{slug}.test"), Role::Designer)
            .await;
        let (_, reviewer) = self
            .account(slug, &format!("reviewer@{slug}.test"), Role::Reviewer)
            .await;
        let (_, viewer) = self
            .account(slug, &format!("viewer@{slug}.test"), Role::Viewer)
            .await;
        Org {
            org,
            owner,
            designer,
            reviewer,
            viewer,
        }
    }

    /// Signs in by password: the session cookie and the CSRF token.
    pub async fn login(&self, email: &str) -> (String, String) {
        let response = self
            .request(Method::POST, "/api/v1/session")
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "login");
        let cookie = session_cookie(&response);
        let body: Value = response.json().await.unwrap();
        (cookie, body["csrf_token"].as_str().unwrap().to_string())
    }
}

/// A signed-in browser: session cookie and CSRF token, and the media type its page requests
/// accept (none: the server's default).
pub struct Browser<'a> {
    pub s: &'a TestServer,
    pub cookie: String,
    pub csrf: String,
    accept: Option<&'static str>,
}

impl<'a> Browser<'a> {
    /// Signs `email` in; page requests send no `Accept` header.
    pub async fn sign_in(s: &'a TestServer, email: &str) -> Browser<'a> {
        let (cookie, csrf) = s.login(email).await;
        Browser {
            s,
            cookie,
            csrf,
            accept: None,
        }
    }

    /// Signs `email` in; page requests accept `text/html`, as a real browser's do.
    pub async fn sign_in_html(s: &'a TestServer, email: &str) -> Browser<'a> {
        Browser {
            accept: Some("text/html"),
            ..Browser::sign_in(s, email).await
        }
    }

    /// GETs `path` with the session cookie.
    pub async fn get(&self, path: &str) -> Response {
        let mut request = self
            .s
            .request(Method::GET, path)
            .header("cookie", &self.cookie);
        if let Some(accept) = self.accept {
            request = request.header("accept", accept);
        }
        request.send().await.unwrap()
    }

    /// POSTs a form with the session cookie, and the CSRF token when `with_csrf`.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)], with_csrf: bool) -> Response {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        if with_csrf {
            form.push(("csrf_token", &self.csrf));
        }
        self.s
            .request(Method::POST, path)
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .unwrap()
    }
}

/// A server with organisations `alpha` and `beta` on every backend, in turn.
pub async fn each_backend<F, Fut>(settings: Settings, scenario: F)
where
    F: Fn(TestServer) -> Fut,
    Fut: std::future::Future<Output = TestServer>,
{
    for backend in testing::all().await.unwrap() {
        eprintln!("backend: {}", backend.label);
        let server = TestServer::empty(backend, settings.clone()).await;
        let server = scenario(server).await;
        server.stop().await;
    }
}

/// A small valid framework document.
pub fn framework(slug: &str) -> Value {
    serde_json::json!({
        "format": "framewright/1",
        "id": slug,
        "title": format!("Framework {slug}"),
        "version": "0.1.0",
        "status": "draft",
        "scale": {
            "id": "opm-5",
            "name": "OPM proficiency levels",
            "levels": [
                { "level": 1, "name": "Awareness", "description": "Applies the competency in the simplest situations with close guidance." },
                { "level": 2, "name": "Basic", "description": "Applies it in routine situations with some guidance." },
                { "level": 3, "name": "Intermediate", "description": "Applies it in difficult situations with occasional guidance." },
                { "level": 4, "name": "Advanced", "description": "Applies it in considerably difficult situations; generally requires little or no guidance." },
                { "level": 5, "name": "Expert", "description": "Applies it in exceptionally difficult situations; serves as a key resource and advises others." }
            ]
        },
        "competencies": [
            {
                "id": "data-analysis",
                "name": "Data Analysis",
                "kind": "general",
                "definition": "Collects, organises and interprets data to answer questions.",
                "levels": [
                    { "level": 1, "description": "Reads simple tables.", "indicators": ["Reads a summary table correctly"] },
                    { "level": 2, "description": "Summarises data sets.", "indicators": ["Computes descriptive statistics for a data set"] }
                ]
            },
            {
                "id": "prompting",
                "name": "Prompting",
                "kind": "technical",
                "definition": "Writes instructions that make language models do useful work."
            }
        ],
        "role_profiles": [
            {
                "id": "analyst",
                "title": "Analyst",
                "targets": [ { "competency": "data-analysis", "level": 2 } ]
            }
        ]
    })
}

/// The generate request for a Machine Learning Engineer at GS-13 with two tasks.
pub fn ml_engineer() -> Value {
    serde_json::json!({
        "title": "Machine Learning Engineer",
        "grade": "GS-13",
        "tasks": ["Trains and evaluates machine learning models", "Deploys models to production"]
    })
}

/// The `name=value` part of a response's `set-cookie` header.
pub fn session_cookie(response: &Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// Reads a JSON body.
pub async fn json(response: Response) -> Value {
    response.json().await.unwrap()
}

/// The ETag of a response as a revision number.
pub fn etag(response: &Response) -> i64 {
    response
        .headers()
        .get("etag")
        .unwrap()
        .to_str()
        .unwrap()
        .trim_matches('"')
        .parse()
        .unwrap()
}
