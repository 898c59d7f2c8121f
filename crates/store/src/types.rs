//! The records the store reads and writes. Times are milliseconds since the Unix epoch (UTC).

use std::fmt;
use std::str::FromStr;

use framewright_model::Competency;
use uuid::Uuid;

/// What a member of an organisation may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Everything, including members.
    Owner,
    /// Creates and edits frameworks and catalogues.
    Designer,
    /// Comments and approves.
    Reviewer,
    /// Reads.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Designer, Role::Reviewer, Role::Viewer];

    /// The role's name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Designer => "designer",
            Role::Reviewer => "reviewer",
            Role::Viewer => "viewer",
        }
    }

    /// May create, edit, publish and delete frameworks and catalogues.
    pub fn can_edit(self) -> bool {
        matches!(self, Role::Owner | Role::Designer)
    }

    /// May comment and approve.
    pub fn can_review(self) -> bool {
        matches!(self, Role::Owner | Role::Designer | Role::Reviewer)
    }

    /// May manage members and read the audit log.
    pub fn can_manage(self) -> bool {
        matches!(self, Role::Owner)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a role could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a role; use owner, designer, reviewer or viewer")]
pub struct RoleError(pub String);

impl FromStr for Role {
    type Err = RoleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "owner" => Ok(Role::Owner),
            "designer" => Ok(Role::Designer),
            "reviewer" => Ok(Role::Reviewer),
            "viewer" => Ok(Role::Viewer),
            _ => Err(RoleError(s.to_string())),
        }
    }
}

/// An organisation: every framework, catalogue of its own, member and token belongs to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Identifier.
    pub id: Uuid,
    /// Short unique name (`acme`).
    pub slug: String,
    /// Name for people.
    pub name: String,
    /// When it was created.
    pub created_at: i64,
}

/// A person's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Identifier.
    pub id: Uuid,
    /// Email address (stored lowercased), the sign-in name.
    pub email: String,
    /// Name for people.
    pub name: String,
    /// When the account was created.
    pub created_at: i64,
}

/// A user with their password hash (argon2id PHC string).
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub user: User,
    /// The PHC string.
    pub password_hash: String,
}

/// A new account with its first organisation.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Organisation slug.
    pub org_slug: String,
    /// Organisation name.
    pub org_name: String,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// An organisation a user belongs to, and their role there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The organisation.
    pub organisation: Organisation,
    /// The role.
    pub role: Role,
}

/// A member of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The account.
    pub user: User,
    /// The role.
    pub role: Role,
    /// When they joined.
    pub since: i64,
}

/// A member to add: an existing account (found by email) or a new one.
#[derive(Debug, Clone)]
pub struct NewMember {
    /// Email.
    pub email: String,
    /// Name, for a new account.
    pub name: String,
    /// Password hash, for a new account (`None` adds only existing accounts).
    pub password_hash: Option<String>,
    /// Role.
    pub role: Role,
}

/// Who is acting: a user, in an organisation, with a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user.
    pub user_id: Uuid,
    /// Their email.
    pub email: String,
    /// Their name.
    pub name: String,
    /// The organisation they act in.
    pub org_id: Uuid,
    /// Their role there.
    pub role: Role,
}

/// A browser session to store.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 (hex) of the session id; the id itself is only in the cookie.
    pub id_hash: String,
    /// The user.
    pub user_id: Uuid,
    /// The organisation the session acts in.
    pub org_id: Uuid,
    /// The CSRF token forms and unsafe requests of this session must carry.
    pub csrf_token: String,
    /// Created.
    pub created_at: i64,
    /// Expires.
    pub expires_at: i64,
}

/// A live session and who it acts for.
#[derive(Debug, Clone)]
pub struct SessionPrincipal {
    /// Who.
    pub principal: Principal,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When it expires.
    pub expires_at: i64,
}

/// An API token to store.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    /// Identifier.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Owner of the token.
    pub user_id: Uuid,
    /// What the token is for.
    pub name: String,
    /// SHA-256 (hex) of the secret.
    pub token_hash: String,
    /// Created.
    pub created_at: i64,
    /// Expiry, if any.
    pub expires_at: Option<i64>,
}

/// An API token as listed (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Identifier.
    pub id: Uuid,
    /// What the token is for.
    pub name: String,
    /// Created.
    pub created_at: i64,
    /// Last used.
    pub last_used_at: Option<i64>,
    /// Expiry, if any.
    pub expires_at: Option<i64>,
    /// When it was revoked.
    pub revoked_at: Option<i64>,
}

/// A live token and who it acts for.
#[derive(Debug, Clone)]
pub struct TokenPrincipal {
    /// The token.
    pub token_id: Uuid,
    /// Who.
    pub principal: Principal,
    /// Last used.
    pub last_used_at: Option<i64>,
    /// Expiry, if any.
    pub expires_at: Option<i64>,
}

/// Which page of a list: `limit` items after skipping `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Items to skip.
    pub offset: i64,
    /// Items to return.
    pub limit: i64,
}

impl PageRequest {
    /// The first `limit` items.
    pub fn first(limit: i64) -> PageRequest {
        PageRequest { offset: 0, limit }
    }
}

/// One page of a list and the length of the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// How many items the whole list has.
    pub total: i64,
}

/// A catalogue as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueSummary {
    /// Identifier (`opm-ai-2024`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Licence.
    pub licence: String,
    /// Release of the source.
    pub version: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Built in (shared by every organisation) or the organisation's own.
    pub builtin: bool,
    /// Number of competencies.
    pub competency_count: i64,
}

/// A competency search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompetencyQuery {
    /// Words that must all appear in the name, alternative labels or definition.
    pub text: Option<String>,
    /// Only this catalogue.
    pub catalogue: Option<String>,
    /// Only this kind (`general`, `technical`, …).
    pub kind: Option<String>,
    /// Only competencies confirmed (X) at this grade (`GS-13`).
    pub grade: Option<String>,
    /// Only competencies ranked this high or higher on current importance (1 = most
    /// important); unranked ones drop out.
    pub max_rank: Option<i64>,
}

/// A competency found by a search, with its catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetencyHit {
    /// The catalogue's id.
    pub catalogue: String,
    /// The competency.
    pub competency: Competency,
}

/// Which frameworks to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameworkFilter {
    /// Only this status (`draft`, `in_review`, `published`, `retired`).
    pub status: Option<String>,
    /// Only frameworks with a review due on or before this date (`YYYY-MM-DD`).
    pub review_due_by: Option<String>,
}

/// A framework as listed: what the framework table holds about its current revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkSummary {
    /// Identifier.
    pub id: Uuid,
    /// The framework's own id (a slug), unique in the organisation.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Status of the current revision.
    pub status: String,
    /// Version of the current revision.
    pub version: String,
    /// Current revision number (1, 2, …); the ETag.
    pub revision: i64,
    /// Version of the newest release.
    pub latest_release: Option<String>,
    /// When the next annual review is due.
    pub next_review: Option<String>,
    /// When the next thorough update is due.
    pub next_major_update: Option<String>,
    /// Created.
    pub created_at: i64,
    /// Last changed.
    pub updated_at: i64,
    /// Who last changed it.
    pub updated_by: Option<Uuid>,
}

/// A framework's current revision: summary and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkRecord {
    /// What the list shows.
    pub summary: FrameworkSummary,
    /// The framework as JSON text.
    pub content: String,
}

impl FrameworkRecord {
    /// The content as a framework.
    pub fn framework(&self) -> Result<framewright_model::Framework, crate::StoreError> {
        serde_json::from_str(&self.content).map_err(|e| crate::StoreError::Corrupt(e.to_string()))
    }
}

/// A revision as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionSummary {
    /// Number (1, 2, …).
    pub number: i64,
    /// What changed, in the author's words.
    pub message: String,
    /// Who saved it.
    pub author: Option<Uuid>,
    /// When.
    pub created_at: i64,
    /// The release tagged on this revision, if any.
    pub release: Option<String>,
}

/// One revision with its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// Metadata.
    pub summary: RevisionSummary,
    /// The framework as JSON text.
    pub content: String,
}

impl Revision {
    /// The content as a framework.
    pub fn framework(&self) -> Result<framewright_model::Framework, crate::StoreError> {
        serde_json::from_str(&self.content).map_err(|e| crate::StoreError::Corrupt(e.to_string()))
    }
}

/// A competency that a release replaces by another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// Id of the competency no longer in the framework.
    pub from: String,
    /// Its name.
    pub from_name: String,
    /// Id of the competency that replaces it.
    pub to: String,
}

/// A release to tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRelease {
    /// Semantic version.
    pub version: String,
    /// Release notes.
    pub notes: Option<String>,
    /// Competencies replaced since the previous release.
    pub replacements: Vec<Replacement>,
}

/// A published release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Semantic version.
    pub version: String,
    /// The revision it tags.
    pub revision: i64,
    /// Release notes.
    pub notes: Option<String>,
    /// When.
    pub published_at: i64,
    /// Who.
    pub published_by: Option<Uuid>,
    /// Competencies it replaces (`replaced_by` relations).
    pub replacements: Vec<Replacement>,
}

/// A comment, approval or change request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    /// `comment`, `approval` or `changes_requested`.
    pub kind: String,
    /// The text.
    pub body: String,
    /// The revision it is about.
    pub revision: Option<i64>,
}

/// A stored comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Identifier.
    pub id: Uuid,
    /// `comment`, `approval` or `changes_requested`.
    pub kind: String,
    /// The text.
    pub body: String,
    /// The revision it is about.
    pub revision: Option<i64>,
    /// Who wrote it.
    pub author: Uuid,
    /// Their name.
    pub author_name: String,
    /// When.
    pub created_at: i64,
}

/// One line of the audit log: who changed what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Identifier (time-ordered).
    pub id: Uuid,
    /// Who (absent for the system).
    pub actor: Option<Uuid>,
    /// What was done (`framework.update`, `member.add`, …).
    pub action: String,
    /// What it was done to (`framework:<id>`, `user:<id>`, …).
    pub target: String,
    /// Details as JSON text.
    pub detail: String,
    /// When.
    pub created_at: i64,
}
