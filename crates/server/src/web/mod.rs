//! The web interface: server-rendered HTML pages on the same state, store and session cookie
//! as the API, with a little hand-written JavaScript (`/static/app.js`) and no build step.
//!
//! # Writing a page
//!
//! - Put the page's handlers in a file of its own under `web/` with a `pub fn routes() ->
//!   Router<AppState>`, and add one `.merge(xyz::routes())` line to [`router`].
//! - Put its templates in `crates/server/templates/` and add one line to [`TEMPLATES`].
//!   Templates extend `base.html` (`{% extends "base.html" %}`, blocks `title` and `content`)
//!   and are auto-escaped.
//! - Take a [`Viewer`] in GET handlers: it is the signed-in browser session, and sends an
//!   anonymous visitor to `/login?next=<this page>` instead of answering 401.
//! - Take a [`Posted<T>`] in POST handlers: it is the [`Viewer`] and the form `T`, and it has
//!   already checked the form's `csrf_token` field against the session (403 page otherwise),
//!   so a POST handler cannot forget the check. Every form carries the token with
//!   `{{ csrf_field() }}` (a hidden `csrf_token` input; the template global reads the value
//!   the page context carries). Forms with repeated fields (checkbox lists) can use
//!   `Posted<Vec<(String, String)>>`.
//! - Answer with [`Viewer::page`] (renders a template with the viewer, CSRF token and flash
//!   notice in its context) or [`render`] (no viewer: sign-in and error pages); errors with
//!   [`error_page`] or [`problem_page`] (a [`Problem`] of the API code paths as an HTML page
//!   with its status). After a POST, redirect with [`see_other`], optionally carrying a
//!   one-time notice shown on the next page ([`with_notice`]).
//! - Reuse the API's code paths (store calls, generator, validation) rather than copying
//!   them; [`Viewer::caller`] gives the [`Caller`] they take.

pub mod account;
pub mod assets;
pub mod catalogue;
pub mod editor;
pub mod frameworks;
pub mod history;
pub mod home;
pub mod job_analysis;
pub mod members;
pub mod new_framework;

use std::sync::OnceLock;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Router, body::Bytes};
use framewright_store::Principal;
use minijinja::{Environment, Value, context};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{Caller, SessionCaller, Via, cookie};
use crate::problem::Problem;
use crate::state::AppState;

/// Every page of the web interface. Add one `.merge(…)` line per page module.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(account::routes())
        .merge(home::routes())
        .merge(catalogue::routes())
        .merge(new_framework::routes())
        .merge(frameworks::routes())
        .merge(editor::routes())
        .merge(history::routes())
        .merge(members::routes())
        .merge(job_analysis::routes())
}

/// Every template, embedded in the binary: `(name, source)`. Add one line per template.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "framework_list.html",
        include_str!("../../templates/framework_list.html"),
    ),
    (
        "framework_view.html",
        include_str!("../../templates/framework_view.html"),
    ),
    (
        "framework_edit.html",
        include_str!("../../templates/framework_edit.html"),
    ),
    (
        "framework_history.html",
        include_str!("../../templates/framework_history.html"),
    ),
    (
        "framework_guide.html",
        include_str!("../../templates/framework_guide.html"),
    ),
    ("account.html", include_str!("../../templates/account.html")),
    (
        "catalogue.html",
        include_str!("../../templates/catalogue.html"),
    ),
    (
        "competency.html",
        include_str!("../../templates/competency.html"),
    ),
    (
        "new_framework.html",
        include_str!("../../templates/new_framework.html"),
    ),
    ("draft.html", include_str!("../../templates/draft.html")),
    (
        "account_tokens.html",
        include_str!("../../templates/account_tokens.html"),
    ),
    (
        "account_members.html",
        include_str!("../../templates/account_members.html"),
    ),
    ("setup.html", include_str!("../../templates/setup.html")),
    ("survey.html", include_str!("../../templates/survey.html")),
    (
        "job_analysis_list.html",
        include_str!("../../templates/job_analysis_list.html"),
    ),
    (
        "job_analysis.html",
        include_str!("../../templates/job_analysis.html"),
    ),
    (
        "job_analysis_links.html",
        include_str!("../../templates/job_analysis_links.html"),
    ),
    (
        "job_analysis_results.html",
        include_str!("../../templates/job_analysis_results.html"),
    ),
    (
        "job_analysis_hiring.html",
        include_str!("../../templates/job_analysis_hiring.html"),
    ),
];

/// The product's name, as pages show it.
pub const PRODUCT: &str = "Framewright";

/// Cookie carrying a one-time notice to the next page.
const NOTICE_COOKIE: &str = "fw_notice";

/// The template environment, built once: every template of [`TEMPLATES`], HTML auto-escaping
/// (by the `.html` names), undefined variables rendering empty but failing when used as
/// objects, and the globals `product` and `csrf_field()`.
pub fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                // A defect of the build; the page that uses it answers 500 and says why.
                tracing::error!(template = name, error = %e, "template does not compile");
            }
        }
        env.add_global("product", PRODUCT);
        env.add_global("version", env!("CARGO_PKG_VERSION"));
        env.add_function("csrf_field", csrf_field);
        env
    })
}

/// `{{ csrf_field() }}`: the hidden input carrying the page's CSRF token.
fn csrf_field(state: &minijinja::State) -> Value {
    let token = state
        .lookup("csrf_token")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let escaped = crate::routes::pages::escape(&token);
    Value::from_safe_string(format!(
        "<input type=\"hidden\" name=\"csrf_token\" value=\"{escaped}\">"
    ))
}

/// Renders template `name` with `context`: a 200 HTML page, or (when the template fails, a
/// defect) a logged 500 page.
pub fn render<S: Serialize>(name: &str, context: S) -> Response {
    render_status(StatusCode::OK, name, context)
}

/// [`render`] with another status.
pub fn render_status<S: Serialize>(status: StatusCode, name: &str, context: S) -> Response {
    let rendered = environment()
        .get_template(name)
        .and_then(|t| t.render(context));
    match rendered {
        Ok(html) => (status, html_headers(), Html(html)).into_response(),
        Err(e) => {
            tracing::error!(template = name, error = %format!("{e:#}"), "template failed");
            internal_error_page()
        }
    }
}

/// Headers of every HTML page: not cached (pages show private data), no sniffing, no
/// framing, scripts and styles only from this server (the templates have no inline ones),
/// and the Referer only within the site.
fn html_headers() -> [(header::HeaderName, HeaderValue); 5] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            ),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

/// Headers of a generated document shown in the browser (the job-analysis report, as a page
/// and as `?format=html`): those of every page, with a policy that allows the document's own
/// inline style sheet and nothing else — no scripts, no outside content, no forms, no framing.
pub(crate) fn document_headers() -> [(header::HeaderName, HeaderValue); 6] {
    [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                 base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

/// The last-resort 500 page (no template involved).
fn internal_error_page() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>Something went wrong · Framewright</title></head><body><main id=\"main\">\
             <h1>Something went wrong</h1><p>The page could not be shown. The problem has been \
             logged; try again, or go back to <a href=\"/\">the start page</a>.</p></main>\
             </body></html>",
        ),
    )
        .into_response()
}

/// An HTML error page: `status`, a heading and a message for people. With a viewer the page
/// has the usual header and navigation.
pub fn error_page(
    viewer: Option<&Viewer>,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> Response {
    let ctx = context! {
        status => status.as_u16(),
        heading => heading,
        message => message,
        lines => message.lines().collect::<Vec<_>>(),
    };
    match viewer {
        Some(v) => v.page_status(status, "error.html", ctx),
        None => render_status(status, "error.html", ctx),
    }
}

/// A 404 page.
pub fn not_found(viewer: Option<&Viewer>, message: &str) -> Response {
    error_page(viewer, StatusCode::NOT_FOUND, "Not found", message)
}

/// A [`Problem`] from the API's code paths as an HTML page with the same status and detail.
pub fn problem_page(viewer: Option<&Viewer>, problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let heading = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::BAD_REQUEST => "The request could not be read",
        StatusCode::UNPROCESSABLE_ENTITY => "That cannot be done as asked",
        StatusCode::CONFLICT => "That conflicts with what is stored",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        s if s.is_server_error() => "Something went wrong",
        _ => problem.title.as_str(),
    };
    let mut message = problem.detail.clone();
    for field in &problem.errors {
        message.push_str(&format!("\n{}: {}", field.pointer, field.detail));
    }
    let mut response = error_page(viewer, status, heading, &message);
    if let Some(wait) = problem.retry_after
        && let Ok(value) = HeaderValue::from_str(&wait.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// What unknown paths answer: a problem+json 404 for the API and for clients that do not
/// ask for HTML, an HTML 404 page for browsers.
pub async fn fallback(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    if wants_html(&uri, &headers) {
        not_found(
            None,
            "There is no page at this address. Check the link, or start again from the start page.",
        )
    } else {
        Problem::not_found("no such page or API route").into_response()
    }
}

/// What a route answers to a method it does not accept: problem+json for the API and for
/// clients that do not ask for HTML, an HTML page for browsers.
pub async fn method_not_allowed(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    if wants_html(&uri, &headers) {
        error_page(
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            "This address is not a page",
            "This address only takes forms sent from the pages. Go back, or start again from the start page.",
        )
    } else {
        Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
            "this route does not accept that HTTP method; see /api/openapi.json",
        )
        .into_response()
    }
}

fn wants_html(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> bool {
    !uri.path().starts_with("/api/")
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
}

/// The status a form page answers with when the API refused what was posted: the problem's
/// own, else 422.
pub fn status_of(problem: &Problem) -> StatusCode {
    StatusCode::from_u16(problem.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
}

/// A 303 redirect to `to` (after a POST).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Adds a one-time notice to `response`, shown in the notice area of the next page rendered
/// with [`Viewer::page`].
pub fn with_notice(mut response: Response, notice: &str) -> Response {
    let value = format!(
        "{NOTICE_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60",
        hex_encode(notice)
    );
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The one-time notice the previous response left, if any (for pages without a [`Viewer`];
/// answer with [`clear_notice`] when it was shown).
pub fn notice(headers: &axum::http::HeaderMap) -> Option<String> {
    cookie(headers, NOTICE_COOKIE)
        .and_then(|v| hex_decode(&v))
        .filter(|n| !n.is_empty())
}

/// Clears the one-time notice (it has been shown).
pub fn clear_notice(mut response: Response) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!(
        "{NOTICE_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    )) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn hex_encode(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes().take(500) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn hex_decode(text: &str) -> Option<String> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect();
    bytes.and_then(|b| String::from_utf8(b).ok())
}

/// Where to go after signing in: `next` when it is a path of this site, else `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Percent-encodes `text` for a query string.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The signed-in person looking at a page: their browser session (cookie), its CSRF token,
/// and the one-time notice the previous request left, if any.
///
/// As an extractor it sends anonymous visitors (no session, or an ended one) to
/// `/login?next=<the page>` with a 303 instead of answering 401.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The session: who, its id hash and CSRF token.
    pub session: SessionCaller,
    /// The notice to show once, from the previous request.
    pub notice: Option<String>,
}

/// What templates see of the viewer (`viewer.name`, `viewer.role`, …).
#[derive(Debug, Serialize)]
struct ViewerInfo<'a> {
    name: &'a str,
    email: &'a str,
    role: String,
    can_edit: bool,
}

impl Viewer {
    /// Who.
    pub fn principal(&self) -> &Principal {
        &self.session.principal
    }

    /// The session as the API's [`Caller`], for the code paths the API handlers share.
    pub fn caller(&self) -> Caller {
        Caller {
            principal: self.session.principal.clone(),
            via: Via::Session,
            session: Some((
                self.session.id_hash.clone(),
                self.session.csrf_token.clone(),
            )),
        }
    }

    /// Whether this person's role lets them create and change frameworks.
    pub fn can_edit(&self) -> bool {
        self.session.principal.role.can_edit()
    }

    /// Checks a form's CSRF token: `Err` is the 403 page to answer.
    pub fn check_csrf(&self, sent: &str) -> Result<(), Box<Response>> {
        self.session.check_csrf(sent).map_err(|_| {
            Box::new(error_page(
                Some(self),
                StatusCode::FORBIDDEN,
                "The form has expired",
                "The form was sent without this session's security token, or with an old one, \
                 so nothing was changed. Go back, reload the page and try again.",
            ))
        })
    }

    /// Renders template `name` with `context` plus `viewer`, `csrf_token` and `notice`.
    pub fn page<S: Serialize>(&self, name: &str, context: S) -> Response {
        self.page_status(StatusCode::OK, name, context)
    }

    /// [`Viewer::page`] with another status.
    pub fn page_status<S: Serialize>(
        &self,
        status: StatusCode,
        name: &str,
        context: S,
    ) -> Response {
        let p = &self.session.principal;
        let info = ViewerInfo {
            name: &p.name,
            email: &p.email,
            role: p.role.to_string(),
            can_edit: p.role.can_edit(),
        };
        let ctx = context! {
            viewer => info,
            csrf_token => &self.session.csrf_token,
            notice => &self.notice,
            ..Value::from_serialize(&context)
        };
        let response = render_status(status, name, ctx);
        if self.notice.is_some() {
            clear_notice(response)
        } else {
            response
        }
    }
}

/// Where the sign-in page should send the visitor back to.
fn login_redirect(parts: &Parts) -> Response {
    let target = if parts.method == Method::GET {
        parts
            .uri
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_string()
    } else {
        // A form cannot be re-posted after signing in: go back to the page the form was on
        // (its Referer, when it is a page of this server), else to the start page.
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        parts
            .headers
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.parse::<axum::http::Uri>().ok())
            .filter(|r| r.authority().is_some_and(|a| a.as_str() == host) && !host.is_empty())
            .and_then(|r| r.path_and_query().map(|pq| pq.as_str().to_string()))
            .map_or_else(|| "/".to_string(), |path| safe_next(Some(&path)))
    };
    if target == "/" {
        see_other("/login")
    } else {
        see_other(&format!("/login?next={}", url_encode(&target)))
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let session = match SessionCaller::from_request_parts(parts, state).await {
            Ok(session) => session,
            Err(problem) if problem.status == StatusCode::UNAUTHORIZED.as_u16() => {
                return Err(login_redirect(parts));
            }
            Err(problem) => return Err(problem_page(None, &problem)),
        };
        Ok(Viewer {
            session,
            notice: notice(&parts.headers),
        })
    }
}

/// A form posted by a signed-in person, its CSRF token checked: the [`Viewer`] and the form.
///
/// Refuses (without calling the handler) with the sign-in redirect when there is no session,
/// a 403 page when the form's `csrf_token` field is missing or wrong, and a 400 page when the
/// form cannot be read as `T`.
#[derive(Debug)]
pub struct Posted<T> {
    /// Who posted.
    pub viewer: Viewer,
    /// The form's fields (`csrf_token` may or may not be one of `T`'s fields).
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let request = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            error_page(
                Some(&viewer),
                e.status(),
                "The form could not be read",
                "The form was too large or was cut off; nothing was changed.",
            )
        })?;
        let pairs: Vec<(String, String)> = parse_form(&bytes).await.unwrap_or_default();
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf_token")
            .map_or("", |(_, v)| v.as_str());
        viewer.check_csrf(sent).map_err(|r| *r)?;
        let form: T = parse_form(&bytes).await.map_err(|e| {
            error_page(
                Some(&viewer),
                StatusCode::BAD_REQUEST,
                "The form could not be read",
                &format!(
                    "Some of the form's fields are missing or wrong ({e}); nothing was changed."
                ),
            )
        })?;
        Ok(Posted { viewer, form })
    }
}

/// Reads an `application/x-www-form-urlencoded` body as `T` with axum's form reader.
async fn parse_form<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, String> {
    let request = Request::builder()
        .method(Method::POST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(bytes.clone()))
        .map_err(|e| e.to_string())?;
    axum::extract::Form::<T>::from_request(request, &())
        .await
        .map(|axum::extract::Form(form)| form)
        .map_err(|e| e.body_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let env = environment();
        for (name, _) in TEMPLATES {
            env.get_template(name)
                .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        }
    }

    #[test]
    fn every_template_file_is_registered() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
            let name = entry
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .unwrap_or_default();
            assert!(
                TEMPLATES.iter().any(|(n, _)| *n == name),
                "templates/{name} is not in web::TEMPLATES"
            );
        }
    }

    #[test]
    fn pages_escape_what_they_show() {
        let html = environment()
            .get_template("error.html")
            .and_then(|t| {
                t.render(context! {
                    heading => "<script>x</script>",
                    lines => vec!["a & b"],
                })
            })
            .unwrap_or_else(|e| panic!("{e:#}"));
        assert!(html.contains("&lt;script&gt;x"));
        assert!(html.contains("a &amp; b"));
        assert!(!html.contains("<script>x"));
    }

    #[test]
    fn only_local_next_paths_are_followed() {
        assert_eq!(safe_next(Some("/catalogue?q=a")), "/catalogue?q=a");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn notices_survive_the_cookie() {
        assert_eq!(
            hex_decode(&hex_encode("Saved “Analyst”.")).as_deref(),
            Some("Saved “Analyst”.")
        );
        assert_eq!(hex_decode("zz"), None);
    }
}
