//! The problem+json answers the OpenAPI document lists, declared once each: a name, the status
//! and the description, in the table below. A route's `#[utoipa::path]` names them in its
//! `responses(...)` next to its success tuples:
//!
//! ```ignore
//! use crate::problem::responses as problems;
//!
//! #[utoipa::path(get, path = "/api/v1/frameworks/{id}", responses(
//!     (status = 200, description = "The framework", body = FrameworkDoc),
//!     problems::NotSignedIn,
//!     problems::NoSuchFramework,
//! ))]
//! ```
//!
//! Each name is a one-field struct deriving `utoipa::IntoResponses`, so the document gets
//! exactly what a hand-written `(status = …, description = "…", body = Problem, content_type =
//! "application/problem+json")` tuple gave: the media type and the `Problem` schema are written
//! only in `problem_responses!`. Why named types rather than tuples: a route's error answers
//! then read as a list of names, a description is worded once for every route that shares it,
//! and a typo is a compile error instead of a silently different document. A new answer is one
//! line in the table; the OpenAPI snapshot test shows it.

use super::Problem;

/// Declares problem+json answers: `Name = status, "description";`, one per line. Each becomes
/// a public struct deriving `utoipa::IntoResponses` with the `Problem` schema under
/// `application/problem+json`.
macro_rules! problem_responses {
    ($($name:ident = $status:tt, $description:tt;)*) => {$(
        #[doc = $description]
        #[derive(utoipa::IntoResponses)]
        #[response(status = $status, description = $description, content_type = "application/problem+json")]
        pub struct $name(pub Problem);
    )*};
}

problem_responses! {
    BadQuery = 400, "Bad query parameter";
    UnreadableJson = 400, "Unreadable JSON";
    NotSignedIn = 401, "Not signed in";
    WrongCredentials = 401, "Wrong email or password";
    CsrfMissing = 403, "CSRF token missing";
    OnlyOwnersManageMembers = 403, "Only owners manage members";
    OnlyOwnersReadLog = 403, "Only owners read the log";
    RoleMayNotCreate = 403, "Role may not create";
    RoleMayNotDelete = 403, "Role may not delete";
    RoleMayNotImport = 403, "Role may not import";
    ViewersCannotComment = 403, "Viewers cannot comment";
    NoPublishedAssociation = 404, "No such association in a published framework of your organisation";
    NoPublishedFramework = 404, "No published framework with this identifier in your organisation";
    NoPublishedItem = 404, "No such item in a published framework of your organisation";
    NoPublishedItemType = 404, "No such item type in a published framework of your organisation";
    NoPublishedLicence = 404, "No such licence in a published framework of your organisation";
    NoPublishedRubric = 404, "No such rubric in a published framework of your organisation";
    NoSuchAccount = 404, "No account with this email and no password given";
    NoSuchCatalogue = 404, "No such catalogue for your organisation";
    NoSuchCompetency = 404, "No such competency";
    NoSuchFormat = 404, "No such format";
    NoSuchFramework = 404, "No such framework in your organisation";
    NoSuchOwnCatalogue = 404, "No such catalogue of your organisation's own";
    NoSuchRevision = 404, "No such framework or revision";
    NoSuchRevisionOrFormat = 404, "No such framework, revision or format";
    NoSuchToken = 404, "No such live token of yours";
    NotAMember = 404, "Not a member";
    AlreadyAMember = 409, "Already a member";
    CatalogueIdTaken = 409, "The id is taken (or is a built-in catalogue's)";
    CatalogueNameTaken = 409, "The name is taken (or is a built-in catalogue's)";
    FrameworkIdTaken = 409, "The framework id (slug) is taken";
    VersionExists = 409, "That version exists";
    WouldLeaveNoOwner = 409, "Would leave no owner";
    FrameworkChanged = 412, "The framework changed since If-Match; nothing changed";
    FrameworkChangedNotDeleted = 412, "The framework changed since If-Match; nothing deleted";
    FrameworkChangedNotPublished = 412, "The framework changed since If-Match; nothing published";
    FrameworkChangedNotSaved = 412, "The framework changed since If-Match; nothing saved";
    BodyTooLarge = 413, "Body too large";
    FileTooLarge = 413, "The file is larger, unpacks to more or holds more than this server accepts; `limit` names the limit";
    BadVersion = 422, "Bad version or replacements";
    FileNotImported = 422, "The file cannot be imported (`location` names file, line and column) or a parameter is wrong; nothing was stored";
    InvalidCatalogue = 422, "Invalid catalogue";
    InvalidComment = 422, "Invalid comment";
    InvalidFramework = 422, "Invalid framework";
    InvalidFrameworkFields = 422, "Invalid framework; `errors` names the fields";
    InvalidRequest = 422, "Invalid request";
    NotAFramework = 422, "Not a framework document";
    NotExportable = 422, "The stored framework cannot be written in this format (the problem names why)";
    UnusableRole = 422, "The role cannot be used (no title, grade and level both given, …)";
    IfMatchMissing = 428, "If-Match missing";
    TooManyAttempts = 429, "Too many attempts; see Retry-After";
    PdfNotBuilt = 501, "PDF was asked for but this server was built without PDF";
}

// Job analyses and the SME survey.
problem_responses! {
    RoleMayNotChangeIt = 403, "Role may not change it";
    RoleMayNotChangeThem = 403, "Role may not change them";
    RoleMayNotClose = 403, "Role may not close";
    RoleMayNotInvite = 403, "Role may not invite";
    RoleMayNotRate = 403, "Role may not rate";
    RoleMayNotSetIt = 403, "Role may not set it";
    NoSuchJobAnalysis = 404, "No such job analysis in your organisation";
    NoSuchJobAnalysisOrBlueprint = 404, "No such job analysis, or no blueprint yet";
    UnknownSurveyLink = 404, "Unknown link";
    AlreadyClosed = 409, "Already closed";
    SurveyClosed = 409, "The survey is closed";
    RatingFileProblems = 422, "A file has problems; `errors[].pointer` is `<file>/row/<n>/<column>`";
    AnswerOffTheScale = 422, "An answer is off the scale or names an unknown task or competency; `errors` names it";
    InvalidAnswers = 422, "Invalid answers";
    InvalidFlow = 422, "Invalid flow";
    InvalidJudgements = 422, "Invalid judgements";
    InvalidParameters = 422, "Invalid parameters";
    InvalidSchemeOrWeights = 422, "Invalid scheme or weights";
    InvalidFields = 422, "Invalid; `errors` names the fields";
    RatingsDoNotFit = 422, "Stored ratings do not fit the inventory";
    UnknownFormatOrRatings = 422, "Unknown format, or ratings that do not fit";
}
