//! Persistence: the [`Store`] trait with SQLite and PostgreSQL implementations and their
//! migrations.
//!
//! One code path serves both databases: the SQL is written once in portable form
//! (`$1` placeholders, TEXT ids, BIGINT milliseconds) in plain
//! functions generic over the database, one module per area — `accounts` (users,
//! organisations, memberships, sessions), `tokens`, `catalogues`, `frameworks` (with
//! revisions and releases), `review`, `audit` and [`job_analysis`] — and [`SqlStore`]
//! implements [`Store`] by calling them. Only the schema migrations are kept per backend
//! (`migrations/sqlite`, `migrations/postgres`) and compiled into the binary. Every query on
//! organisation data names the organisation (`org_id`), so one organisation can never read or
//! change another's rows; every change writes an audit entry in the same transaction.

mod accounts;
mod audit;
mod backend;
mod catalogues;
mod convert;
mod db;
mod frameworks;
mod migrate;
mod review;
mod tokens;
mod types;

pub mod job_analysis;
pub mod postgres;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;

use async_trait::async_trait;
use framewright_model::{Catalogue, Competency, Framework};
use uuid::Uuid;

pub use backend::SqlStore;
pub use job_analysis::JobAnalysisStore;
pub use types::*;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist (in this organisation).
    #[error("not found")]
    NotFound,
    /// A unique name is already taken, or the change contradicts stored data.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The framework changed since the revision the caller based its change on.
    #[error("the framework is at revision {current}, not the one the change was based on")]
    PreconditionFailed {
        /// The current revision.
        current: i64,
    },
    /// The first owner account already exists.
    #[error("the server is already set up")]
    AlreadySetUp,
    /// Stored data could not be read back (a defect or a damaged database).
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// A migration applied earlier differs from the one in this program.
    #[error("migration {version} ({description}) differs from the one applied to this database")]
    MigrationChanged {
        /// Migration number.
        version: i64,
        /// What it does.
        description: String,
    },
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// Everything the server keeps. Implemented for SQLite ([`sqlite::SqliteStore`]) and
/// PostgreSQL ([`postgres::PgStore`]); the contract tests run the same suite against both.
///
/// Methods on organisation data take the organisation id first; rows of other organisations
/// are invisible to them (reads return `None`/`NotFound`, writes change nothing).
#[async_trait]
pub trait Store: JobAnalysisStore + Send + Sync + std::fmt::Debug {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    // ---- accounts and organisations ----

    /// How many user accounts exist (0 before set-up).
    async fn count_users(&self) -> StoreResult<i64>;
    /// Creates the first organisation and its owner, only while no user exists.
    async fn setup_first_owner(&self, setup: NewAccount) -> StoreResult<(Organisation, User)>;
    /// Creates a user (or finds the one with this email) and makes them a member of the
    /// organisation with slug `account.org_slug` (created when missing) with `role`.
    async fn admin_create_user(
        &self,
        account: NewAccount,
        role: Role,
    ) -> StoreResult<(Organisation, User)>;
    /// The user with this email (case-insensitive) and their password hash.
    async fn find_credentials(&self, email: &str) -> StoreResult<Option<Credentials>>;
    /// The organisations a user belongs to, with their role in each.
    async fn memberships(&self, user: Uuid) -> StoreResult<Vec<Membership>>;
    /// One organisation.
    async fn organisation(&self, org: Uuid) -> StoreResult<Option<Organisation>>;
    /// The members of an organisation.
    async fn list_members(&self, org: Uuid, page: PageRequest) -> StoreResult<Paged<Member>>;
    /// Adds a user to an organisation: an existing account found by email, or a new one
    /// with `password_hash`.
    async fn add_member(&self, org: Uuid, actor: Uuid, member: NewMember) -> StoreResult<Member>;
    /// Changes a member's role. Refuses to leave the organisation without an owner.
    async fn set_member_role(
        &self,
        org: Uuid,
        actor: Uuid,
        user: Uuid,
        role: Role,
    ) -> StoreResult<Member>;
    /// Removes a member (their sessions and tokens for this organisation go with them).
    /// Refuses to remove the last owner.
    async fn remove_member(&self, org: Uuid, actor: Uuid, user: Uuid) -> StoreResult<()>;

    // ---- sessions and API tokens ----

    /// Stores a browser session (only the hash of its id).
    async fn create_session(&self, session: NewSession) -> StoreResult<()>;
    /// The live session with this id hash.
    async fn session(&self, id_hash: &str, now: i64) -> StoreResult<Option<SessionPrincipal>>;
    /// Ends a session.
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    /// Deletes sessions that expired before `now`; returns how many.
    async fn purge_expired_sessions(&self, now: i64) -> StoreResult<u64>;
    /// Creates an API token (only its hash is kept).
    async fn create_token(&self, token: NewApiToken) -> StoreResult<ApiToken>;
    /// The caller's own tokens in an organisation.
    async fn list_tokens(&self, org: Uuid, user: Uuid) -> StoreResult<Vec<ApiToken>>;
    /// Revokes one of the caller's tokens.
    async fn revoke_token(&self, org: Uuid, user: Uuid, token: Uuid, now: i64) -> StoreResult<()>;
    /// The live, unrevoked token with this hash and who it acts for.
    async fn token(&self, token_hash: &str, now: i64) -> StoreResult<Option<TokenPrincipal>>;
    /// Records that a token was used.
    async fn touch_token(&self, token: Uuid, now: i64) -> StoreResult<()>;

    // ---- catalogues ----

    /// Loads or refreshes a built-in catalogue (visible to every organisation). Does nothing
    /// when the stored copy is identical.
    async fn upsert_builtin_catalogue(&self, catalogue: &Catalogue) -> StoreResult<bool>;
    /// Imports an organisation's own catalogue, in one transaction.
    async fn import_catalogue(
        &self,
        org: Uuid,
        actor: Uuid,
        catalogue: &Catalogue,
    ) -> StoreResult<CatalogueSummary>;
    /// Built-in catalogues and the organisation's own.
    async fn list_catalogues(
        &self,
        org: Uuid,
        page: PageRequest,
    ) -> StoreResult<Paged<CatalogueSummary>>;
    /// One catalogue, whole.
    async fn catalogue(&self, org: Uuid, id: &str) -> StoreResult<Option<Catalogue>>;
    /// Deletes one of the organisation's own catalogues (built-in ones cannot be deleted).
    async fn delete_catalogue(&self, org: Uuid, actor: Uuid, id: &str) -> StoreResult<()>;
    /// Competencies matching every word of the query, filtered by catalogue, kind and grade.
    async fn search_competencies(
        &self,
        org: Uuid,
        query: &CompetencyQuery,
        page: PageRequest,
    ) -> StoreResult<Paged<CompetencyHit>>;
    /// One competency of a catalogue.
    async fn competency(
        &self,
        org: Uuid,
        catalogue: &str,
        id: &str,
    ) -> StoreResult<Option<Competency>>;

    // ---- frameworks, revisions, releases ----

    /// Stores a new framework as revision 1. The slug (`framework.id`) must be unused in the
    /// organisation.
    async fn create_framework(
        &self,
        org: Uuid,
        actor: Uuid,
        framework: &Framework,
        message: &str,
    ) -> StoreResult<FrameworkRecord>;
    /// The organisation's frameworks.
    async fn list_frameworks(
        &self,
        org: Uuid,
        filter: &FrameworkFilter,
        page: PageRequest,
    ) -> StoreResult<Paged<FrameworkSummary>>;
    /// A framework's current revision.
    async fn framework(&self, org: Uuid, id: Uuid) -> StoreResult<Option<FrameworkRecord>>;
    /// Saves a new revision. With `expected`, fails with `PreconditionFailed` (changing
    /// nothing) unless the framework is still at that revision.
    async fn save_revision(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        expected: Option<i64>,
        framework: &Framework,
        message: &str,
    ) -> StoreResult<FrameworkRecord>;
    /// Deletes a framework with its revisions, releases and comments (the audit log keeps
    /// the record).
    async fn delete_framework(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        expected: Option<i64>,
    ) -> StoreResult<()>;
    /// A framework's revisions, newest first.
    async fn list_revisions(
        &self,
        org: Uuid,
        id: Uuid,
        page: PageRequest,
    ) -> StoreResult<Paged<RevisionSummary>>;
    /// One revision.
    async fn revision(&self, org: Uuid, id: Uuid, number: i64) -> StoreResult<Option<Revision>>;
    /// Saves `framework` (already carrying the release's version and status) as a new
    /// revision and tags it as release `release.version`, recording the replaced
    /// competencies — all in one transaction.
    async fn publish(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        expected: Option<i64>,
        framework: &Framework,
        release: &NewRelease,
    ) -> StoreResult<(FrameworkRecord, Release)>;
    /// A framework's releases, newest first.
    async fn list_releases(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<Release>>;

    // ---- review ----

    /// Adds a comment, approval or change request to a framework.
    async fn add_comment(
        &self,
        org: Uuid,
        actor: Uuid,
        framework: Uuid,
        comment: &NewComment,
    ) -> StoreResult<Comment>;
    /// A framework's comments, oldest first.
    async fn list_comments(
        &self,
        org: Uuid,
        framework: Uuid,
        page: PageRequest,
    ) -> StoreResult<Paged<Comment>>;

    // ---- audit ----

    /// The organisation's audit log, newest first.
    async fn list_audit(&self, org: Uuid, page: PageRequest) -> StoreResult<Paged<AuditEntry>>;
}

/// A store behind a shared pointer, as the server holds it.
pub type SharedStore = Arc<dyn Store>;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// SQLite in this directory (created when missing), file `framewright.db`.
    DataDir(std::path::PathBuf),
    /// A PostgreSQL database.
    Postgres(String),
}

/// Opens (creating and migrating as needed) the store at `location`.
pub async fn open(location: &Location) -> StoreResult<SharedStore> {
    Ok(match location {
        Location::DataDir(dir) => Arc::new(sqlite::SqliteStore::open_dir(dir).await?),
        Location::Postgres(url) => Arc::new(postgres::PgStore::connect(url).await?),
    })
}
