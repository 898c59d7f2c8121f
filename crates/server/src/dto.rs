//! What the API sends and receives, as documented in the OpenAPI document. Framework,
//! catalogue, competency and diff documents are the model's own types; their schemas come
//! from the model's JSON Schema (see `openapi.rs`), referenced here through named
//! placeholders.

use std::borrow::Cow;

use framewright_store as store;
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema};
use utoipa::{PartialSchema, ToSchema};

/// Time as RFC 3339 text.
pub fn rfc3339(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Today's date (UTC).
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

macro_rules! model_schema {
    ($name:ident, $schema:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug)]
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                // Replaced by the model's JSON Schema when the document is built.
                ObjectBuilder::new().description(Some($doc)).into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($schema)
            }
        }
    };
}

model_schema!(
    FrameworkDoc,
    "Framework",
    "A whole competency framework (the framework file format)."
);
model_schema!(
    CatalogueDoc,
    "Catalogue",
    "A catalogue of competencies with its licence and attribution."
);
model_schema!(
    CompetencyDoc,
    "Competency",
    "One competency as a catalogue publishes it."
);
model_schema!(
    DiffDoc,
    "FrameworkDiff",
    "Everything that differs between two revisions."
);

model_schema!(
    RoleDoc,
    "Role",
    "A role: title, description, tasks, grade or level, job family."
);

/// The names the model's schemas use in `components/schemas`.
pub const MODEL_SCHEMAS: [&str; 5] = [
    "Framework",
    "Catalogue",
    "Competency",
    "FrameworkDiff",
    "Role",
];

/// A member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MemberRole {
    /// Everything, including members.
    Owner,
    /// Creates and edits frameworks and catalogues.
    Designer,
    /// Comments and approves.
    Reviewer,
    /// Reads.
    Viewer,
}

impl From<store::Role> for MemberRole {
    fn from(role: store::Role) -> Self {
        match role {
            store::Role::Owner => MemberRole::Owner,
            store::Role::Designer => MemberRole::Designer,
            store::Role::Reviewer => MemberRole::Reviewer,
            store::Role::Viewer => MemberRole::Viewer,
        }
    }
}

impl From<MemberRole> for store::Role {
    fn from(role: MemberRole) -> Self {
        match role {
            MemberRole::Owner => store::Role::Owner,
            MemberRole::Designer => store::Role::Designer,
            MemberRole::Reviewer => store::Role::Reviewer,
            MemberRole::Viewer => store::Role::Viewer,
        }
    }
}

/// A page of a list.
macro_rules! page {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            /// The items on this page.
            pub items: Vec<$item>,
            /// Page number (from 1).
            pub page: u32,
            /// Items per page.
            pub per_page: u32,
            /// Items in the whole list.
            pub total: i64,
        }

        impl $name {
            /// A page from the store's result.
            pub fn of<T>(
                paged: store::Paged<T>,
                query: &crate::extract::PageQuery,
                map: impl Fn(T) -> $item,
            ) -> Self {
                let request = query.request();
                $name {
                    items: paged.items.into_iter().map(map).collect(),
                    page: u32::try_from(request.offset / request.limit + 1).unwrap_or(1),
                    per_page: u32::try_from(request.limit).unwrap_or(50),
                    total: paged.total,
                }
            }
        }
    };
}

page!(FrameworkPage, FrameworkSummary, "A page of frameworks.");
page!(
    RevisionPage,
    RevisionInfo,
    "A page of revisions, newest first."
);
page!(CataloguePage, CatalogueSummary, "A page of catalogues.");
page!(
    CompetencyPage,
    CompetencyHit,
    "A page of competencies found."
);
page!(MemberPage, MemberInfo, "A page of members.");
page!(
    CommentPage,
    CommentInfo,
    "A page of comments, oldest first."
);
page!(
    AuditPage,
    AuditInfo,
    "A page of the audit log, newest first."
);

/// A framework as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkSummary {
    /// Identifier (use it in URLs).
    pub id: uuid::Uuid,
    /// The framework's own id (a slug), unique in the organisation.
    pub slug: String,
    /// Title.
    pub title: String,
    /// draft, in_review, published or retired.
    pub status: String,
    /// Version of the current revision.
    pub version: String,
    /// Current revision; also the ETag (`"<revision>"`).
    pub revision: i64,
    /// Version of the newest release.
    pub latest_release: Option<String>,
    /// When the next annual review is due (YYYY-MM-DD).
    pub next_review: Option<String>,
    /// When the next thorough update is due (YYYY-MM-DD).
    pub next_major_update: Option<String>,
    /// Reviews due today or overdue: `annual review`, `thorough update`.
    pub review_due: Vec<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
    /// Who last changed it.
    pub updated_by: Option<uuid::Uuid>,
}

impl FrameworkSummary {
    /// From the store's summary, with review status on `today`.
    pub fn of(s: store::FrameworkSummary, today: time::Date) -> FrameworkSummary {
        let parse = |d: &Option<String>| {
            d.as_deref().and_then(|d| {
                time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok()
            })
        };
        let review = framewright_model::ReviewDates {
            last_reviewed: None,
            next_review: parse(&s.next_review),
            next_major_update: parse(&s.next_major_update),
        };
        FrameworkSummary {
            id: s.id,
            slug: s.slug,
            title: s.title,
            status: s.status,
            version: s.version,
            revision: s.revision,
            latest_release: s.latest_release,
            next_review: s.next_review,
            next_major_update: s.next_major_update,
            review_due: review.due(today).into_iter().map(String::from).collect(),
            created_at: rfc3339(s.created_at),
            updated_at: rfc3339(s.updated_at),
            updated_by: s.updated_by,
        }
    }
}

/// A revision as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionInfo {
    /// Number (1, 2, …).
    pub number: i64,
    /// What changed, in the author's words.
    pub message: String,
    /// Who saved it.
    pub author: Option<uuid::Uuid>,
    /// When (RFC 3339).
    pub created_at: String,
    /// The release tagged on this revision.
    pub release: Option<String>,
}

impl From<store::RevisionSummary> for RevisionInfo {
    fn from(r: store::RevisionSummary) -> Self {
        RevisionInfo {
            number: r.number,
            message: r.message,
            author: r.author,
            created_at: rfc3339(r.created_at),
            release: r.release,
        }
    }
}

/// A catalogue as listed.
#[derive(Debug, Serialize, ToSchema)]
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
    /// Shipped with Framewright (shared) or the organisation's own.
    pub builtin: bool,
    /// Number of competencies.
    pub competency_count: i64,
}

impl From<store::CatalogueSummary> for CatalogueSummary {
    fn from(c: store::CatalogueSummary) -> Self {
        CatalogueSummary {
            id: c.id,
            name: c.name,
            licence: c.licence,
            version: c.version,
            publisher: c.publisher,
            builtin: c.builtin,
            competency_count: c.competency_count,
        }
    }
}

/// A competency found, with its catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompetencyHit {
    /// The catalogue's id.
    pub catalogue: String,
    /// The competency.
    #[schema(value_type = CompetencyDoc)]
    pub competency: framewright_model::Competency,
}

/// A member of the organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberInfo {
    /// The user's id.
    pub user_id: uuid::Uuid,
    /// Email (sign-in name).
    pub email: String,
    /// Name.
    pub name: String,
    /// Role here.
    pub role: MemberRole,
    /// Member since (RFC 3339).
    pub since: String,
}

impl From<store::Member> for MemberInfo {
    fn from(m: store::Member) -> Self {
        MemberInfo {
            user_id: m.user.id,
            email: m.user.email,
            name: m.user.name,
            role: m.role.into(),
            since: rfc3339(m.since),
        }
    }
}

/// A member to add: an existing account (by email), or a new account when `password` is given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMemberBody {
    /// Email of the person.
    pub email: String,
    /// Their name (for a new account; defaults to the part of the email before `@`).
    #[serde(default)]
    pub name: Option<String>,
    /// First password, for a new account (at least 10 characters).
    #[serde(default)]
    pub password: Option<String>,
    /// Their role.
    pub role: MemberRole,
}

/// A new role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    /// The role.
    pub role: MemberRole,
}

/// An API token (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenInfo {
    /// Identifier (use it to revoke the token).
    pub id: uuid::Uuid,
    /// What it is for.
    pub name: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last used (RFC 3339; recorded at most once a minute).
    pub last_used_at: Option<String>,
    /// Expiry (RFC 3339).
    pub expires_at: Option<String>,
    /// When it was revoked (RFC 3339).
    pub revoked_at: Option<String>,
}

impl From<store::ApiToken> for TokenInfo {
    fn from(t: store::ApiToken) -> Self {
        TokenInfo {
            id: t.id,
            name: t.name,
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.map(rfc3339),
            expires_at: t.expires_at.map(rfc3339),
            revoked_at: t.revoked_at.map(rfc3339),
        }
    }
}

/// A token to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenBody {
    /// What it is for (`nightly export`).
    pub name: String,
    /// Days until it expires, from 1 to 3650 (none: until revoked).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<u32>,
}

/// A token just created: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    /// The token.
    pub token: TokenInfo,
    /// The secret to send as `Authorization: Bearer <secret>`. Keep it safe: it is not
    /// stored and cannot be shown again.
    pub secret: String,
}

/// One line of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditInfo {
    /// Identifier (time-ordered).
    pub id: uuid::Uuid,
    /// Who (absent for the system or the admin command).
    pub actor: Option<uuid::Uuid>,
    /// What was done (`framework.update`, `member.add`, …).
    pub action: String,
    /// What it was done to (`framework:<id>`, `user:<id>`, …).
    pub target: String,
    /// Details.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// When (RFC 3339).
    pub created_at: String,
}

impl From<store::AuditEntry> for AuditInfo {
    fn from(e: store::AuditEntry) -> Self {
        AuditInfo {
            id: e.id,
            actor: e.actor,
            action: e.action,
            target: e.target,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
            created_at: rfc3339(e.created_at),
        }
    }
}

/// Kinds of review comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommentKind {
    /// A remark.
    Comment,
    /// The reviewer approves the revision.
    Approval,
    /// The reviewer asks for changes.
    ChangesRequested,
}

impl CommentKind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentKind::Comment => "comment",
            CommentKind::Approval => "approval",
            CommentKind::ChangesRequested => "changes_requested",
        }
    }
}

/// A comment to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommentBody {
    /// comment, approval or changes_requested.
    pub kind: CommentKind,
    /// The text.
    pub body: String,
    /// The revision it is about, if any.
    #[serde(default)]
    pub revision: Option<i64>,
}

/// A review comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentInfo {
    /// Identifier.
    pub id: uuid::Uuid,
    /// comment, approval or changes_requested.
    pub kind: String,
    /// The text.
    pub body: String,
    /// The revision it is about.
    pub revision: Option<i64>,
    /// Who wrote it.
    pub author: uuid::Uuid,
    /// Their name.
    pub author_name: String,
    /// When (RFC 3339).
    pub created_at: String,
}

impl From<store::Comment> for CommentInfo {
    fn from(c: store::Comment) -> Self {
        CommentInfo {
            id: c.id,
            kind: c.kind,
            body: c.body,
            revision: c.revision,
            author: c.author,
            author_name: c.author_name,
            created_at: rfc3339(c.created_at),
        }
    }
}

/// A competency a release replaces by another.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplacementBody {
    /// Id of a competency of the previous release that this release no longer has.
    pub from: String,
    /// Id of the competency in this release that takes its place.
    pub to: String,
}

/// A release to publish.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    /// Semantic version, higher than every earlier release (`1.0.0`).
    pub version: String,
    /// Release notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Competencies this release replaces (recorded as `replaced_by` relations).
    #[serde(default)]
    pub replacements: Vec<ReplacementBody>,
}

/// A replacement as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplacementInfo {
    /// The competency replaced.
    pub from: String,
    /// Its name in the release that had it.
    pub from_name: String,
    /// The competency replacing it.
    pub to: String,
}

/// A published release.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseInfo {
    /// Semantic version.
    pub version: String,
    /// The revision it tags.
    pub revision: i64,
    /// Release notes.
    pub notes: Option<String>,
    /// When (RFC 3339).
    pub published_at: String,
    /// Who.
    pub published_by: Option<uuid::Uuid>,
    /// `replaced_by` relations this release records.
    pub replacements: Vec<ReplacementInfo>,
}

impl From<store::Release> for ReleaseInfo {
    fn from(r: store::Release) -> Self {
        ReleaseInfo {
            version: r.version,
            revision: r.revision,
            notes: r.notes,
            published_at: rfc3339(r.published_at),
            published_by: r.published_by,
            replacements: r
                .replacements
                .into_iter()
                .map(|x| ReplacementInfo {
                    from: x.from,
                    from_name: x.from_name,
                    to: x.to,
                })
                .collect(),
        }
    }
}

/// Which revision to go back to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevertBody {
    /// The revision whose content becomes the new revision.
    pub revision: i64,
    /// Why (default: `Revert to revision N`).
    #[serde(default)]
    pub message: Option<String>,
}

/// A review done.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// True for the thorough update (every two to three years), false for the annual review.
    #[serde(default)]
    pub thorough: bool,
}

/// A difference between two revisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffReport {
    /// The older revision.
    pub from: i64,
    /// The newer revision.
    pub to: i64,
    /// What differs.
    #[schema(value_type = DiffDoc)]
    pub diff: framewright_model::diff::FrameworkDiff,
}

/// One lint finding.
#[derive(Debug, Serialize, ToSchema)]
pub struct LintFinding {
    /// Stable code (`vague-term`, …).
    pub code: String,
    /// error, warning or info.
    pub severity: String,
    /// The field, as a JSON pointer into the framework.
    pub pointer: String,
    /// The field, as written in files (`competencies[2].levels[0]`).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub suggestion: Option<String>,
}

/// Lint findings on a framework.
#[derive(Debug, Serialize, ToSchema)]
pub struct LintReport {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// The findings, in document order.
    pub findings: Vec<LintFinding>,
}

/// Sign-in details.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Email.
    pub email: String,
    /// Password.
    pub password: String,
    /// Organisation slug to work in (default: the first one).
    #[serde(default)]
    pub organisation: Option<String>,
}

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationInfo {
    /// Identifier.
    pub id: uuid::Uuid,
    /// Short name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// The caller's role there.
    pub role: MemberRole,
}

/// Who is signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    /// The user.
    pub user_id: uuid::Uuid,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// The organisation this session or token acts in.
    pub organisation: OrganisationInfo,
    /// Every organisation the user belongs to.
    pub organisations: Vec<OrganisationInfo>,
    /// `session` or `token`.
    pub via: String,
    /// The CSRF token to send as `X-CSRF-Token` on unsafe requests (browser sessions only).
    pub csrf_token: Option<String>,
}
