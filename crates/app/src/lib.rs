//! The application layer: one function per operation that more than one front door needs.
//!
//! The CLI, the REST handlers, the web pages (and later the MCP server) are front doors: they
//! parse what the user sent, call one operation here, and render the answer. An operation takes
//! typed input, returns typed output, and fails with an [`AppError`] that says what was wrong and
//! where (a JSON pointer into the request, or a file, sheet, line and column) — never an HTTP
//! status or a terminal message; each front door maps errors to its own form (problem+json, an
//! exit code and a sentence).
//!
//! Operations that touch stored data take an [`Actor`] (who acts, in which organisation, with
//! which role), so every operation is organisation-scoped by construction.

pub mod error;
pub mod export;
pub mod generate;
pub mod job_analysis;
pub mod people;
pub mod stats;

pub use error::{AppError, AppResult, FieldIssue};

use uuid::Uuid;

/// Who performs an operation: a signed-in user acting in one organisation with one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user.
    pub user_id: Uuid,
    /// The organisation every read and write is scoped to.
    pub org_id: Uuid,
    /// Their role there.
    pub role: framewright_store::Role,
}

impl From<&framewright_store::Principal> for Actor {
    fn from(p: &framewright_store::Principal) -> Actor {
        Actor {
            user_id: p.user_id,
            org_id: p.org_id,
            role: p.role,
        }
    }
}
