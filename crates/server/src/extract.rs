//! Request extractors that answer in problem+json: JSON bodies whose errors name the field
//! (a JSON pointer), query strings, path parameters, `If-Match`, and pagination.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use framewright_store::PageRequest;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

use crate::problem::Problem;

/// A JSON request body. Wrong media type → 415; too large → 413; unreadable JSON → 400;
/// wrong or missing fields → 422 naming the field. Nothing is changed in any of these cases
/// because the handler never runs.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        if !is_json(req.headers()) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body-too-large",
                    "Request body too large",
                    "the request body is larger than this server accepts; nothing was changed",
                )
            } else {
                Problem::bad_request(format!("the request body could not be read: {rejection}"))
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| {
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        })
}

/// Parses `bytes` as `T`, turning errors into problems that name the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    let value = value.map_err(|error| {
        let pointer = pointer_of(error.path());
        let inner = error.inner();
        let message = strip_position(&inner.to_string());
        match inner.classify() {
            serde_json::error::Category::Data => {
                let pointer = refine_pointer(pointer, &message);
                Problem::invalid(format!("{}: {message}", display(&pointer)))
                    .with_field(pointer, message)
            }
            _ => Problem::bad_request(format!(
                "the body is not valid JSON (line {}, column {}): {message}",
                inner.line(),
                inner.column()
            ))
            .with_field(pointer, message),
        }
    })?;
    deserializer.end().map_err(|e| {
        Problem::bad_request(format!(
            "the body has text after the JSON value (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    Ok(value)
}

fn display(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(body)"
    } else {
        pointer
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The JSON pointer of a serde path.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", escape(key))),
            Segment::Enum { variant } => out.push_str(&format!("/{}", escape(variant))),
            Segment::Unknown => {}
        }
    }
    out
}

/// Serde reports a missing field at the enclosing object; point at the field itself.
fn refine_pointer(pointer: String, message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(end) = rest.find('`')
    {
        return format!("{pointer}/{}", escape(&rest[..end]));
    }
    pointer
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A query string; errors become 400 problems naming the parameter.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|rejection| {
                let text = rejection.body_text();
                let detail = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text)
                    .to_string();
                let field = detail
                    .split(':')
                    .next()
                    .unwrap_or("query")
                    .trim()
                    .to_string();
                Problem::bad_request(format!("query string: {detail}")).with_field(field, detail)
            })
    }
}

/// Path parameters; a value that cannot be read (not a UUID, not a number) names nothing
/// that exists, so it is a 404.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|rejection| {
                Problem::not_found(format!("no such resource: {}", rejection.body_text()))
            })
    }
}

/// The revision a write is based on, from `If-Match: "<revision>"`. Required on every write to
/// an existing framework (428 without it), so that two people can never silently overwrite
/// each other's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Err(Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition-required",
                "If-Match required",
                "send the ETag of the revision your change is based on as `If-Match: \"<revision>\"` (GET the framework to learn it)",
            )
            .with_field("If-Match", "missing"));
        };
        // An ETag we never issued matches no revision: the store answers 412 with the current.
        Ok(IfMatch(
            value.to_str().ok().and_then(parse_etag).unwrap_or(-1),
        ))
    }
}

/// The revision in an ETag `"7"` (or weak `W/"7"`).
pub fn parse_etag(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text.strip_prefix("W/").unwrap_or(text);
    text.strip_prefix('"')?.strip_suffix('"')?.parse().ok()
}

/// The ETag of revision `n`.
pub fn etag(n: i64) -> String {
    format!("\"{n}\"")
}

/// Pagination parameters.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1 (default 1).
    pub page: Option<u32>,
    /// Items per page, 1 … 200 (default 50).
    pub per_page: Option<u32>,
}

impl PageQuery {
    /// The page as the store takes it.
    pub fn request(&self) -> PageRequest {
        let per_page = i64::from(self.per_page.unwrap_or(50).clamp(1, 200));
        let page = i64::from(self.page.unwrap_or(1).max(1));
        PageRequest {
            offset: (page - 1) * per_page,
            limit: per_page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        level: u8,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        items: Vec<Item>,
    }

    #[test]
    fn json_errors_name_the_field() {
        let p = parse_json::<Body>(br#"{"title": "x", "items": [{"level": 1}, {"level": "two"}]}"#)
            .unwrap_err();
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].pointer, "/items/1/level");
        let p = parse_json::<Body>(br#"{"items": []}"#).unwrap_err();
        assert_eq!(p.errors[0].pointer, "/title");
        let p = parse_json::<Body>(br#"{"title": "x", "items": [{"level": 1, "lvl": 2}]}"#)
            .unwrap_err();
        assert_eq!(p.errors[0].pointer, "/items/0/lvl");
        let p = parse_json::<Body>(br#"{"title": "x", "items": [}"#).unwrap_err();
        assert_eq!(p.status, 400);
        let p = parse_json::<Body>(br#"{"title": "x", "items": []} extra"#).unwrap_err();
        assert_eq!(p.status, 400);
    }

    #[test]
    fn etags_parse() {
        assert_eq!(parse_etag("\"7\""), Some(7));
        assert_eq!(parse_etag("W/\"12\""), Some(12));
        assert_eq!(parse_etag("7"), None);
        assert_eq!(etag(3), "\"3\"");
    }

    #[test]
    fn pages_are_clamped() {
        let q = PageQuery {
            page: Some(3),
            per_page: Some(1000),
        };
        assert_eq!(
            q.request(),
            PageRequest {
                offset: 400,
                limit: 200
            }
        );
        assert_eq!(PageQuery::default().request(), PageRequest::first(50));
    }
}
