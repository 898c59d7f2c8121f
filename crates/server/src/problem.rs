//! RFC 9457 problem details: every error the server answers is `application/problem+json`
//! with a stable `type` (`urn:framewright:problem:<code>`), a title, the status, a detail for
//! people and, when a request body is at fault, the wrong fields as JSON pointers (RFC 6901).
//!
//! The OpenAPI side: a route documents its problem answers by naming them from [`responses`]
//! (`problems::NotSignedIn`, `problems::NoSuchFramework`, …), never by repeating a
//! `(status, description, body = Problem, content_type)` tuple; see that module to add one.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use framewright_app::AppError;
use framewright_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One wrong field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer to the field in the request body (`/competencies/2/levels/0/level`), or
    /// the name of the query parameter or header.
    pub pointer: String,
    /// What is wrong with it.
    pub detail: String,
    /// Stable code of the rule broken, when there is one (`duplicate-id`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Where in an uploaded file a problem is (catalogue imports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FileLocation {
    /// The file, as named in the upload (`skills_en.csv`, `Skills.txt`, the upload itself).
    pub file: String,
    /// The sheet of a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 1-based line (text files) or row (sheets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The column: its header name (or a letter or number when there is no header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

/// The limit a request went past (see "Limits" in docs/server.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ExceededLimit {
    /// The limit's setting (`max_workbook_bytes`, `max_items`, `max_name_chars`, …).
    pub name: String,
    /// Its value on this server (bytes, rows, items or characters).
    pub value: u64,
}

/// An error answer (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// URI naming the kind of problem: `urn:framewright:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong this time, for people.
    pub detail: String,
    /// The wrong fields, when the request was at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The current revision, when a precondition failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<i64>,
    /// Seconds to wait before trying again (rate limits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Where in an uploaded file the problem is (catalogue imports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<FileLocation>,
    /// The limit that was exceeded, when a limit refused the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<ExceededLimit>,
}

impl Problem {
    /// A problem of kind `code` with `status`, `title` and `detail`.
    pub fn new(status: StatusCode, code: &str, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("urn:framewright:problem:{code}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            current_revision: None,
            retry_after: None,
            location: None,
            limit: None,
        }
    }

    /// 413 (sizes and counts) or 422 (lengths of texts): a limit refused the request; nothing
    /// was stored. `what` says what was refused (`the file`, `the catalogue`).
    pub fn limits(what: &str, issues: &[framewright_model::LimitIssue]) -> Problem {
        let Some(first) = issues.first() else {
            return Problem::invalid(format!("{what} is larger than this server accepts"));
        };
        let text_length = matches!(first.exceeded.limit, "max_name_chars" | "max_text_chars");
        let status = if text_length {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::PAYLOAD_TOO_LARGE
        };
        let at = if first.pointer.is_empty() {
            String::new()
        } else {
            format!(" at {}", first.pointer)
        };
        let mut problem = Problem::new(
            status,
            "limit-exceeded",
            "Larger than this server accepts",
            format!(
                "{what} is larger than this server accepts{at}: {} (the `{}` limit). Nothing was stored.",
                first.exceeded.message.trim_end_matches('.'),
                first.exceeded.limit
            ),
        );
        problem.limit = Some(ExceededLimit {
            name: first.exceeded.limit.to_string(),
            value: first.exceeded.value,
        });
        problem.errors = issues
            .iter()
            .filter(|i| !i.pointer.is_empty())
            .map(|i| FieldError {
                pointer: i.pointer.clone(),
                detail: i.exceeded.message.clone(),
                code: Some(i.exceeded.limit.to_string()),
            })
            .collect();
        problem
    }

    /// Adds one wrong field.
    pub fn with_field(mut self, pointer: impl Into<String>, detail: impl Into<String>) -> Problem {
        self.errors.push(FieldError {
            pointer: pointer.into(),
            detail: detail.into(),
            code: None,
        });
        self
    }

    /// 400: the request could not be read.
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad request",
            detail,
        )
    }

    /// 401: no valid credentials.
    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Sign-in required",
            detail,
        )
    }

    /// 403: signed in, but the role does not allow it (or the CSRF token is missing).
    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    /// 404: nothing here (or nothing this organisation can see).
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    /// 409: the change contradicts stored data.
    pub fn conflict(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::CONFLICT, "conflict", "Conflict", detail)
    }

    /// 412: the resource changed since the revision in `If-Match`.
    pub fn precondition_failed(current: i64) -> Problem {
        let mut p = Problem::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition-failed",
            "The framework has changed",
            format!(
                "the framework is now at revision {current}; nothing was changed. Load revision {current}, apply your change again and send it with If-Match: \"{current}\""
            ),
        );
        p.current_revision = Some(current);
        p
    }

    /// 422: the body was read but is not valid.
    pub fn invalid(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-body",
            "Invalid request body",
            detail,
        )
    }

    /// 500: a fault on the server's side (logged; the detail stays generic).
    pub fn internal() -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the server could not complete the request; the error has been logged",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"framewright\""),
            );
        }
        if let Some(seconds) = retry
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            headers.insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<StoreError> for Problem {
    fn from(error: StoreError) -> Problem {
        match error {
            StoreError::NotFound => Problem::not_found("there is nothing here"),
            StoreError::Conflict(what) => Problem::conflict(what),
            StoreError::PreconditionFailed { current } => Problem::precondition_failed(current),
            StoreError::AlreadySetUp => {
                Problem::conflict("the server is already set up; sign in instead")
            }
            other => {
                tracing::error!(error = %other, "store error");
                Problem::internal()
            }
        }
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Problem {
        match error {
            AppError::Invalid { detail, issues } => {
                let mut problem = Problem::invalid(detail);
                problem.errors = issues
                    .into_iter()
                    .map(|i| FieldError {
                        pointer: i.pointer,
                        detail: i.detail,
                        code: i.code,
                    })
                    .collect();
                problem
            }
            AppError::InFile { location, detail } => {
                let mut problem = Problem::invalid(format!("{location}: {detail}"));
                problem.location = Some(FileLocation {
                    file: location.file,
                    sheet: location.sheet,
                    line: location.line,
                    column: location.column,
                });
                problem
            }
            AppError::NotFound(detail) => Problem::not_found(detail),
            AppError::Forbidden(detail) => Problem::forbidden(detail),
            AppError::Conflict(detail) => Problem::conflict(detail),
            AppError::Stale { current } => Problem::precondition_failed(current),
            AppError::Store(error) => error.into(),
        }
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, Problem>;

// The problem+json answers routes name in their OpenAPI annotations (one table, one macro).
pub mod responses;
