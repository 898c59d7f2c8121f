//! Catalogue imports from files: the request body is the file (an ESCO or O*NET release as a
//! zip, a NICE JSON file, a catalogue CSV or XLSX, a CASE package, a licensee's SFIA file), read
//! by the same importers as `framewright import`, checked whole, and stored in one transaction
//! only when everything is in order. Errors name the file, line (or sheet and row) and column.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use framewright_interop::catalogue::ImportError;
use framewright_interop::catalogue::upload::{self, UploadError, UploadFormat, UploadOptions};
use framewright_model::LimitIssue;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::dto::CatalogueSummary;
use crate::extract::{ApiPath, ApiQuery};
use crate::problem::responses as problems;
use crate::problem::{ApiResult, FileLocation, Problem};
use crate::routes::catalogues::check_catalogue;
use crate::state::AppState;

/// The format of the uploaded file.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ImportPath {
    /// esco (a zip of the CSV release, or its skills CSV alone), onet (a zip of the text
    /// release), nice (the NICE Framework Components JSON), csv or xlsx (a list of
    /// competencies: id, name, alt_labels, definition), case (a CASE 1.0 or 1.1 package; its
    /// competencies become the catalogue), sfia (your licensed SFIA file; `licence` required).
    pub format: String,
}

/// What the file does not say.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The catalogue's id in your organisation: lowercase letters, digits, `-`, `.`, `_`
    /// (`esco`, `acme-skills`). It must not be taken yet.
    pub name: String,
    /// Name for people (default: the source's own name, or the id).
    pub title: Option<String>,
    /// Licence or terms of use (required for SFIA; ESCO, O*NET and NICE state their own).
    pub licence: Option<String>,
    /// Attribution text that exports must carry (spreadsheets and CASE).
    pub attribution: Option<String>,
    /// The release you downloaded (`v1.2.0`, `30.1`).
    pub release: Option<String>,
    /// ESCO: the language of the files when the zip holds several (`en`).
    pub language: Option<String>,
}

/// An import that happened.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueImportReport {
    /// The catalogue as stored.
    pub catalogue: CatalogueSummary,
    /// Reference roles (occupations, work roles) it brought.
    pub reference_roles: usize,
    /// Things left out or worth knowing, one sentence each.
    pub warnings: Vec<String>,
}

fn import_failed(error: &UploadError) -> Problem {
    let location = error.location();
    let place = location.as_ref().map(ToString::to_string);
    let detail = match &place {
        Some(place) => format!(
            "{place}: {}. Nothing was imported; correct the file and send it again.",
            error.message().trim_end_matches('.')
        ),
        None => format!(
            "{}. Nothing was imported.",
            error.to_string().trim_end_matches('.')
        ),
    };
    let mut problem = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "import-failed",
        "The file cannot be imported",
        detail,
    );
    problem.location = location.map(|at| FileLocation {
        file: at.file,
        sheet: at.sheet,
        line: at.line,
        column: at.column,
    });
    problem
}

/// Import a catalogue from a file: the request body is the file itself (any content type).
/// Everything is read and checked before anything is stored; a problem answers 422 naming the
/// file, line (or sheet and row) and column, and nothing is stored.
#[utoipa::path(
    post,
    path = "/catalogues/import/{format}",
    tag = "catalogues",
    params(ImportPath, ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The file: a zip for esco (or its skills CSV) and onet; JSON for nice and case; CSV or XLSX for csv, xlsx and sfia"),
    responses(
        (status = 201, description = "Imported", body = CatalogueImportReport,
            headers(("Location" = String, description = "URL of the catalogue"))),
        problems::RoleMayNotImport,
        problems::NoSuchFormat,
        problems::CatalogueNameTaken,
        problems::FileTooLarge,
        problems::FileNotImported,
    )
)]
pub async fn import_catalogue_file(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<ImportPath>,
    ApiQuery(query): ApiQuery<ImportQuery>,
    request: Request,
) -> ApiResult<Response> {
    caller.require_editor()?;
    let format: UploadFormat = path
        .format
        .parse()
        .map_err(|e: String| Problem::not_found(e.clone()).with_field("format", e))?;
    let id = query.name.trim().to_string();
    let id_ok = !id.is_empty()
        && id.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
        });
    if !id_ok {
        return Err(Problem::invalid(
            "the catalogue name must be lowercase letters, digits, `-`, `.` or `_` (for example `acme-skills`)",
        )
        .with_field("name", "lowercase letters, digits, `-`, `.` or `_`"));
    }
    let bytes = Bytes::from_request(request, &state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body-too-large",
                    "File too large",
                    "the file is larger than this server accepts for imports; nothing was imported",
                )
            } else {
                Problem::bad_request(format!("the file could not be read: {rejection}"))
            }
        })?;
    if bytes.is_empty() {
        return Err(
            Problem::invalid("the request body is empty; send the file as the body")
                .with_field("body", "empty"),
        );
    }
    let extension = match format {
        UploadFormat::Esco | UploadFormat::Csv | UploadFormat::Sfia => "csv",
        UploadFormat::Onet => "zip",
        UploadFormat::Nice | UploadFormat::Case => "json",
        UploadFormat::Xlsx => "xlsx",
    };
    let file_name = format!("{}.{extension}", path.format.trim().to_ascii_lowercase());
    let options = UploadOptions {
        id: id.clone(),
        title: query.title.filter(|t| !t.trim().is_empty()),
        licence: query.licence.filter(|t| !t.trim().is_empty()),
        attribution: query.attribution.filter(|t| !t.trim().is_empty()),
        release: query.release.filter(|t| !t.trim().is_empty()),
        language: query.language.filter(|t| !t.trim().is_empty()),
        limits: state.inner.settings.limits,
    };
    let imported = state
        .heavy()
        .run(Some(caller.principal.org_id), "the import", move || {
            upload::import_upload(format, &bytes, &file_name, &options)
        })
        .await?
        .map_err(|e| match e {
            UploadError::Server(text) => {
                tracing::error!(error = %text, "catalogue upload");
                Problem::internal()
            }
            UploadError::Import(ImportError::Limit { file, exceeded }) => Problem::limits(
                &format!("the file `{file}`"),
                &[LimitIssue {
                    pointer: String::new(),
                    exceeded,
                }],
            ),
            other => import_failed(&other),
        })?;
    check_catalogue(&state.inner.settings.limits, &imported.catalogue)?;
    let summary = state
        .store()
        .import_catalogue(
            caller.principal.org_id,
            caller.principal.user_id,
            &imported.catalogue,
        )
        .await?;
    let report = CatalogueImportReport {
        catalogue: CatalogueSummary::from(summary),
        reference_roles: imported.catalogue.reference_roles.len(),
        warnings: imported.warnings,
    };
    let mut response = (StatusCode::CREATED, Json(report)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/catalogues/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}
