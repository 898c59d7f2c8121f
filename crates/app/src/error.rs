//! What can go wrong in an operation, in terms every front door can render: which field (a JSON
//! pointer) or which place in a file (file, sheet, line, column) was at fault, and why.

use framewright_interop::Location;
use framewright_store::StoreError;

/// One wrong field of an operation's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// JSON pointer (RFC 6901) into the input (`/rows/1/1`, `/tasks/0/statement`).
    pub pointer: String,
    /// What is wrong with it, in plain words.
    pub detail: String,
    /// Stable code of the rule broken, when there is one (`duplicate-id`, …).
    pub code: Option<String>,
}

impl FieldIssue {
    /// A wrong field at `pointer`.
    pub fn new(pointer: impl Into<String>, detail: impl Into<String>) -> FieldIssue {
        FieldIssue {
            pointer: pointer.into(),
            detail: detail.into(),
            code: None,
        }
    }
}

/// Why an operation did not happen. Nothing is written when an operation fails.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong; `issues` names each wrong field.
    #[error("{detail}")]
    Invalid {
        /// A sentence for people.
        detail: String,
        /// The wrong fields.
        issues: Vec<FieldIssue>,
    },
    /// A file the user supplied is wrong at `location`.
    #[error("{location}: {detail}")]
    InFile {
        /// Where in the file.
        location: Location,
        /// What is wrong there.
        detail: String,
    },
    /// The thing asked for does not exist (in this organisation).
    #[error("{0}")]
    NotFound(String),
    /// The actor's role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The change contradicts stored data (a closed survey, a duplicate name, …).
    #[error("{0}")]
    Conflict(String),
    /// The thing changed since the revision the change was based on.
    #[error("the framework is at revision {current}, not the one the change was based on")]
    Stale {
        /// The current revision.
        current: i64,
    },
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

impl AppError {
    /// Invalid input with one wrong field.
    pub fn field(pointer: impl Into<String>, detail: impl Into<String>) -> AppError {
        let issue = FieldIssue::new(pointer, detail);
        AppError::Invalid {
            detail: issue.detail.clone(),
            issues: vec![issue],
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::NotFound => AppError::NotFound("not found".to_string()),
            StoreError::PreconditionFailed { current } => AppError::Stale { current },
            other => AppError::Store(other),
        }
    }
}

/// An operation's result.
pub type AppResult<T> = Result<T, AppError>;
