//! The CASE 1.1 provider (1EdTech *Competencies and Academic Standards Exchange*, REST binding
//! under `/ims/case/v1p1/`): the organisation's **published** frameworks, each as it stands in
//! its newest release, served as CASE documents, packages, items, associations, rubrics and
//! definitions.
//!
//! Every object is the one the CASE exporter of `framewright-interop` writes for that release,
//! so its identifiers are the same stable UUIDv5 values as in an exported package, and a
//! package served here is the exported package with `uri`s that point at this provider.
//!
//! Access is like every other route: an API token or a browser session, and only the caller's
//! own organisation's frameworks are visible (another organisation's identifiers answer 404, as
//! unknown ones do). Frameworks that were never published are not served; a framework edited
//! after its release is served as released, except that a framework retired since is marked
//! `adoptionStatus: Deprecated`. Errors are problem+json like the rest of the API.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use framewright_interop::framework::case::{self, ExportOptions, package::Package};
use framewright_store::{FrameworkFilter, PageRequest};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::Caller;
use crate::extract::{ApiPath, ApiQuery};
use crate::problem::responses as problems;
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// Where the provider is mounted.
pub const BASE_PATH: &str = "/ims/case/v1p1";

/// The provider's routes (mounted at [`BASE_PATH`]).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_all_documents))
        .routes(routes!(get_document))
        .routes(routes!(get_package))
        .routes(routes!(get_item))
        .routes(routes!(get_item_associations))
        .routes(routes!(get_association))
        .routes(routes!(get_rubric))
        .routes(routes!(get_item_type))
        .routes(routes!(get_license))
}

/// The identifier of a CASE object.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SourcedIdPath {
    /// The object's CASE identifier (a lowercase UUID, the same as in an exported package).
    #[serde(rename = "sourcedId")]
    #[param(rename = "sourcedId")]
    pub sourced_id: String,
}

/// Paging of the document list (CASE `limit` and `offset`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentsQuery {
    /// How many documents to return, 1 … 1000 (default 100).
    pub limit: Option<u32>,
    /// How many documents to skip (default 0).
    pub offset: Option<u32>,
}

/// One published framework as a CASE package.
struct Published {
    package: Package,
}

/// The provider's base URL (`https://host/ims/case/v1p1`): from the server's configured public
/// address (`framewright serve` always has one), never from what a client sends. A server
/// embedded without one (tests, programs that embed it) falls back to the request's `Host`
/// with the scheme the server knows it is reached by (`X-Forwarded-Proto` is not trusted), or
/// `None` when the request names no usable host (the package then uses `urn:uuid:` addresses).
fn base_uri(public_url: Option<&str>, headers: &HeaderMap, secure: bool) -> Option<String> {
    if let Some(url) = public_url.map(|u| u.trim().trim_end_matches('/'))
        && framewright_model::text::is_web_url(url)
    {
        return Some(format!("{url}{BASE_PATH}"));
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())?
        .trim();
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return None;
    }
    let scheme = if secure { "https" } else { "http" };
    Some(format!("{scheme}://{host}{BASE_PATH}"))
}

/// The request's base URL.
#[derive(Debug, Clone)]
pub struct ProviderBase(Option<String>);

impl axum::extract::FromRequestParts<AppState> for ProviderBase {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        Ok(ProviderBase(base_uri(
            state.inner.settings.public_url.as_deref(),
            &parts.headers,
            state.inner.settings.secure_cookies,
        )))
    }
}

/// The organisation's published frameworks as packages, in the order of the framework list.
/// With `document`, only the framework whose CASE document has that identifier.
async fn published(
    state: &AppState,
    org: Uuid,
    base: &ProviderBase,
    document: Option<&str>,
) -> ApiResult<Vec<Published>> {
    let store = state.store();
    let mut out = Vec::new();
    let filter = FrameworkFilter::default();
    let mut offset = 0;
    loop {
        let page = store
            .list_frameworks(org, &filter, PageRequest { offset, limit: 200 })
            .await?;
        let count = page.items.len() as i64;
        for summary in page.items {
            if summary.latest_release.is_none() {
                continue;
            }
            if let Some(wanted) = document
                && case::export::scoped_case_uuid(Some(&org.to_string()), &summary.slug, "document")
                    != wanted
            {
                continue;
            }
            let releases = store.list_releases(org, summary.id).await?;
            let Some(release) = releases.first() else {
                continue;
            };
            let Some(revision) = store.revision(org, summary.id, release.revision).await? else {
                continue;
            };
            let framework = revision.framework()?;
            let options = ExportOptions {
                base_uri: base.0.clone(),
                last_change: crate::routes::produce::time_of(release.published_at),
                language: None,
                scope: Some(org.to_string()),
            };
            match case::export_case(&framework, &options) {
                Ok(mut export) => {
                    // Retired since its release: still served, marked as CASE says.
                    if summary.status == "retired" {
                        export.package.document.adoption_status = Some("Deprecated".into());
                    }
                    out.push(Published {
                        package: export.package,
                    });
                }
                Err(e) => {
                    // A release that cannot be written as CASE is left out of the provider
                    // (and logged); the others are still served.
                    tracing::warn!(framework = %summary.id, error = %e, "release not served as CASE");
                }
            }
        }
        offset += count;
        if count == 0 || offset >= page.total {
            break;
        }
    }
    Ok(out)
}

fn not_found(what: &str) -> Problem {
    Problem::not_found(format!(
        "no {what} with this identifier in a published framework of your organisation"
    ))
}

fn to_object<T: serde::Serialize>(value: &T) -> ApiResult<Map<String, Value>> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Problem::internal()),
    }
}

/// The `LinkURI` of a package's document.
fn document_link(package: &Package) -> Value {
    let d = &package.document;
    json!({ "title": d.title, "identifier": d.identifier, "uri": d.uri })
}

/// `CFDocument` as served on its own: the package form plus `CFPackageURI`.
fn document_object(package: &Package) -> ApiResult<Value> {
    let mut map = to_object(&package.document)?;
    let d = &package.document;
    let uri = if d.uri.starts_with("urn:") {
        d.uri.clone()
    } else {
        d.uri.replacen("/CFDocuments/", "/CFPackages/", 1)
    };
    map.insert(
        "CFPackageURI".into(),
        json!({ "title": d.title, "identifier": d.identifier, "uri": uri }),
    );
    Ok(Value::Object(map))
}

/// An object of a package as served on its own: its package form plus `CFDocumentURI`.
fn with_document<T: serde::Serialize>(package: &Package, object: &T) -> ApiResult<Value> {
    let mut map = to_object(object)?;
    map.insert("CFDocumentURI".into(), document_link(package));
    Ok(Value::Object(map))
}

/// The package of the published framework whose CASE document is `path`'s identifier: the
/// shared lookup of the whole-document endpoints; `what` names the object in the 404.
async fn one_document(
    state: &AppState,
    caller: &Caller,
    base: &ProviderBase,
    path: &SourcedIdPath,
    what: &str,
) -> ApiResult<Package> {
    let id = path.sourced_id.to_ascii_lowercase();
    let found = published(state, caller.principal.org_id, base, Some(&id)).await?;
    found
        .into_iter()
        .next()
        .map(|p| p.package)
        .ok_or_else(|| not_found(what))
}

/// The first object `pick` finds, by the lowercased identifier, in the organisation's
/// published packages: the shared search of the single-object endpoints; `what` names the
/// object in the 404.
async fn find_object(
    state: &AppState,
    caller: &Caller,
    base: &ProviderBase,
    path: &SourcedIdPath,
    what: &str,
    pick: impl Fn(&Package, &str) -> Option<ApiResult<Value>>,
) -> ApiResult<Json<Value>> {
    let id = path.sourced_id.to_ascii_lowercase();
    for p in published(state, caller.principal.org_id, base, None).await? {
        if let Some(found) = pick(&p.package, &id) {
            return found.map(Json);
        }
    }
    Err(not_found(what))
}

/// All published frameworks (CASE `getAllCFDocuments`): `{"CFDocuments": […]}`.
#[utoipa::path(
    get,
    path = "/CFDocuments",
    tag = "case",
    operation_id = "getAllCFDocuments",
    params(DocumentsQuery),
    responses(
        (status = 200, description = "`{\"CFDocuments\": [CFDocument …]}`: the organisation's published frameworks", body = Object),
        problems::NotSignedIn,
    )
)]
pub async fn get_all_documents(
    State(state): State<AppState>,
    caller: Caller,
    base: ProviderBase,
    ApiQuery(query): ApiQuery<DocumentsQuery>,
) -> ApiResult<Json<Value>> {
    let all = published(&state, caller.principal.org_id, &base, None).await?;
    let limit = query.limit.unwrap_or(100).clamp(1, 1000) as usize;
    let offset = query.offset.unwrap_or(0) as usize;
    let documents = all
        .iter()
        .skip(offset)
        .take(limit)
        .map(|p| document_object(&p.package))
        .collect::<ApiResult<Vec<Value>>>()?;
    Ok(Json(json!({ "CFDocuments": documents })))
}

/// One published framework's document (CASE `getCFDocument`).
#[utoipa::path(
    get,
    path = "/CFDocuments/{sourcedId}",
    tag = "case",
    operation_id = "getCFDocument",
    params(SourcedIdPath),
    responses(
        (status = 200, description = "The CFDocument, with its CFPackageURI", body = Object),
        problems::NoPublishedFramework,
    )
)]
pub async fn get_document(
    State(state): State<AppState>,
    caller: Caller,
    base: ProviderBase,
    ApiPath(path): ApiPath<SourcedIdPath>,
) -> ApiResult<Json<Value>> {
    let package = one_document(&state, &caller, &base, &path, "CFDocument").await?;
    Ok(Json(document_object(&package)?))
}

/// One published framework whole (CASE `getCFPackage`): document, items, associations,
/// definitions and rubric; valid against the official CASE 1.1 CFPackage schema.
#[utoipa::path(
    get,
    path = "/CFPackages/{sourcedId}",
    tag = "case",
    operation_id = "getCFPackage",
    params(SourcedIdPath),
    responses(
        (status = 200, description = "The CFPackage (the identifier is the CFDocument's)", body = Object),
        problems::NoPublishedFramework,
    )
)]
pub async fn get_package(
    State(state): State<AppState>,
    caller: Caller,
    base: ProviderBase,
    ApiPath(path): ApiPath<SourcedIdPath>,
) -> ApiResult<Json<Value>> {
    let package = one_document(&state, &caller, &base, &path, "CFPackage").await?;
    serde_json::to_value(package)
        .map(Json)
        .map_err(|_| Problem::internal())
}

/// One competency or group (CASE `getCFItem`).
#[utoipa::path(
    get,
    path = "/CFItems/{sourcedId}",
    tag = "case",
    operation_id = "getCFItem",
    params(SourcedIdPath),
    responses(
        (status = 200, description = "The CFItem, with its CFDocumentURI", body = Object),
        problems::NoPublishedItem,
    )
)]
pub async fn get_item(
    State(state): State<AppState>,
    caller: Caller,
    base: ProviderBase,
    ApiPath(path): ApiPath<SourcedIdPath>,
) -> ApiResult<Json<Value>> {
    find_object(&state, &caller, &base, &path, "CFItem", |package, id| {
        let item = package.items.iter().find(|i| i.identifier == id)?;
        Some(with_document(package, item))
    })
    .await
}

/// An item with every association it takes part in, as origin or destination (CASE
/// `getCFItemAssociations`): `{"CFItem": …, "CFAssociations": […]}`.
#[utoipa::path(
    get,
    path = "/CFItemAssociations/{sourcedId}",
    tag = "case",
    operation_id = "getCFItemAssociations",
    params(SourcedIdPath),
    responses(
        (status = 200, description = "`{\"CFItem\": CFItem, \"CFAssociations\": [CFAssociation …]}`", body = Object),
        problems::NoPublishedItem,
    )
)]
pub async fn get_item_associations(
    State(state): State<AppState>,
    caller: Caller,
    base: ProviderBase,
    ApiPath(path): ApiPath<SourcedIdPath>,
) -> ApiResult<Json<Value>> {
    find_object(&state, &caller, &base, &path, "CFItem", |package, id| {
        let item = package.items.iter().find(|i| i.identifier == id)?;
        let associations = package
            .associations
            .iter()
            .filter(|a| a.origin.identifier == id || a.destination.identifier == id)
            .map(|a| with_document(package, a))
            .collect::<ApiResult<Vec<Value>>>();
        Some(associations.and_then(|associations| {
            Ok(json!({
                "CFItem": with_document(package, item)?,
                "CFAssociations": associations,
            }))
        }))
    })
    .await
}

/// One association (CASE `getCFAssociation`).
#[utoipa::path(
    get,
    path = "/CFAssociations/{sourcedId}",
    tag = "case",
    operation_id = "getCFAssociation",
    params(SourcedIdPath),
    responses(
        (status = 200, description = "The CFAssociation, with its CFDocumentURI", body = Object),
        problems::NoPublishedAssociation,
    )
)]
pub async fn get_association(
    State(state): State<AppState>,
    caller: Caller,
    base: ProviderBase,
    ApiPath(path): ApiPath<SourcedIdPath>,
) -> ApiResult<Json<Value>> {
    find_object(
        &state,
        &caller,
        &base,
        &path,
        "CFAssociation",
        |package, id| {
            let association = package.associations.iter().find(|a| a.identifier == id)?;
            Some(with_document(package, association))
        },
    )
    .await
}

/// A framework's proficiency rubric (CASE `getCFRubric`): one criterion per competency, one
/// criterion level per proficiency level.
#[utoipa::path(
    get,
    path = "/CFRubrics/{sourcedId}",
    tag = "case",
    operation_id = "getCFRubric",
    params(SourcedIdPath),
    responses(
        (status = 200, description = "The CFRubric", body = Object),
        problems::NoPublishedRubric,
    )
)]
pub async fn get_rubric(
    State(state): State<AppState>,
    caller: Caller,
    base: ProviderBase,
    ApiPath(path): ApiPath<SourcedIdPath>,
) -> ApiResult<Json<Value>> {
    find_object(&state, &caller, &base, &path, "CFRubric", |package, id| {
        let rubric = package.rubrics.iter().find(|r| r.identifier == id)?;
        Some(serde_json::to_value(rubric).map_err(|_| Problem::internal()))
    })
    .await
}

/// An item type of the CASE definitions (CASE `getCFItemType`): `{"CFItemTypes": [CFItemType]}`.
#[utoipa::path(
    get,
    path = "/CFItemTypes/{sourcedId}",
    tag = "case",
    operation_id = "getCFItemType",
    params(SourcedIdPath),
    responses(
        (status = 200, description = "`{\"CFItemTypes\": [CFItemType]}`", body = Object),
        problems::NoPublishedItemType,
    )
)]
pub async fn get_item_type(
    State(state): State<AppState>,
    caller: Caller,
    base: ProviderBase,
    ApiPath(path): ApiPath<SourcedIdPath>,
) -> ApiResult<Json<Value>> {
    find_object(
        &state,
        &caller,
        &base,
        &path,
        "CFItemType",
        |package, id| {
            let types = &package.definitions.item_types;
            let item_type = types.iter().find(|t| t.identifier == id)?;
            Some(to_object(item_type).map(|t| json!({ "CFItemTypes": [t] })))
        },
    )
    .await
}

/// A licence of the CASE definitions (CASE `getCFLicense`).
#[utoipa::path(
    get,
    path = "/CFLicenses/{sourcedId}",
    tag = "case",
    operation_id = "getCFLicense",
    params(SourcedIdPath),
    responses(
        (status = 200, description = "The CFLicense", body = Object),
        problems::NoPublishedLicence,
    )
)]
pub async fn get_license(
    State(state): State<AppState>,
    caller: Caller,
    base: ProviderBase,
    ApiPath(path): ApiPath<SourcedIdPath>,
) -> ApiResult<Json<Value>> {
    find_object(&state, &caller, &base, &path, "CFLicense", |package, id| {
        let licenses = &package.definitions.licenses;
        let licence = licenses.iter().find(|l| l.identifier == id)?;
        Some(to_object(licence).map(Value::Object))
    })
    .await
}
