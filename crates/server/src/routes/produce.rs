//! Producing frameworks: generating a draft for a role (the generator kit of
//! [`framewright_app::generate`], the same as `framewright generate`), and exporting a stored
//! framework in every format the exporters support.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use framewright_app::export::{ExportError, Format};
use framewright_app::generate::Choices;
use framewright_generate::Options;
use framewright_interop::export::{self, ExportFormat};
use framewright_interop::framework::case::ExportOptions;
use framewright_model::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::dto::{FrameworkDoc, LintReport, RoleDoc};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::problem::responses as problems;
use crate::problem::{ApiResult, Problem};
use crate::routes::frameworks::lint_report;
use crate::state::AppState;

/// A generated draft (not stored: save it with `POST /api/v1/frameworks`).
#[derive(Debug, Serialize, ToSchema)]
pub struct GeneratedDraft {
    /// The draft framework, with a rationale for every competency.
    #[schema(value_type = FrameworkDoc)]
    pub framework: framewright_model::Framework,
    /// What the generator could not do as asked (counts not met, and the like).
    pub notices: Vec<String>,
    /// Lint findings on the draft (never errors).
    pub lint: LintReport,
}

/// Generate a draft framework for a role from the built-in OPM catalogue (nothing is stored).
#[utoipa::path(
    post,
    path = "/frameworks/generate",
    tag = "frameworks",
    request_body(content = RoleDoc, content_type = "application/json"),
    responses(
        (status = 200, description = "The draft", body = GeneratedDraft),
        problems::UnreadableJson,
        problems::UnusableRole,
    )
)]
pub async fn generate_framework(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(role): ApiJson<Role>,
) -> ApiResult<Json<GeneratedDraft>> {
    let org = caller.principal.org_id;
    Ok(Json(draft_for(&state, Some(org), role).await?))
}

/// Generates the draft for `role` on the heavy-work pool (for `org`, when known), with its lint
/// report: the one code path of `POST /api/v1/frameworks/generate` and the web interface's
/// "New from role".
pub(crate) async fn draft_for(
    state: &AppState,
    org: Option<Uuid>,
    role: Role,
) -> ApiResult<GeneratedDraft> {
    let kit = state.inner.generator.clone();
    #[cfg(feature = "semantic")]
    let semantic = state.inner.semantic.clone();
    let today = crate::dto::today();
    let generated = state
        .heavy()
        .run(org, "the draft", move || {
            let choices = Choices {
                options: Options {
                    generated_at: None,
                    review_from: Some(today),
                },
                ..Choices::default()
            };
            #[cfg(feature = "semantic")]
            if let Some(semantic) = &semantic {
                let ranker = semantic.ranker(kit.search(), kit.selection().embeddings.weight);
                let choices = Choices {
                    ranker: Some(&ranker),
                    ..choices
                };
                return kit.generate(&role, &choices);
            }
            kit.generate(&role, &choices)
        })
        .await??;
    let lint = lint_report(state, org, &generated.framework).await?;
    Ok(GeneratedDraft {
        framework: generated.framework,
        notices: generated.notices,
        lint,
    })
}

/// Which framework and format to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ExportPath {
    /// The framework's identifier.
    pub id: Uuid,
    /// md, html, csv, xlsx (reading layouts), workbook-xlsx, workbook-csv (the lossless
    /// framework workbook, imported back unchanged), case (CASE 1.1 package), docx, pdf (when
    /// the server was built with PDF), json or toml (the framework file).
    pub format: String,
}

/// Which revision to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The revision (default: the current one).
    pub revision: Option<i64>,
}

/// Export a framework: Markdown, HTML (one page), CSV or XLSX (reading layout), the framework
/// workbook (XLSX or CSV, imported back without loss), a CASE 1.1 package, a Word document, a
/// PDF (when this server was built with PDF), or the framework file itself as JSON or TOML.
#[utoipa::path(
    get,
    path = "/frameworks/{id}/export/{format}",
    tag = "frameworks",
    params(ExportPath, ExportQuery),
    responses(
        (status = 200, description = "The file, with a Content-Disposition naming it (a CASE package is `application/json`)",
            content(
                (String = "text/markdown"),
                (String = "text/html"),
                (String = "text/csv"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (FrameworkDoc = "application/json"),
                (String = "application/toml"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (Vec<u8> = "application/pdf"),
            )),
        problems::NoSuchRevisionOrFormat,
        problems::NotExportable,
        problems::PdfNotBuilt,
    )
)]
pub async fn export_framework(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<ExportPath>,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let org = caller.principal.org_id;
    let (framework, revision, changed_at) = match query.revision {
        Some(n) => {
            let r = state
                .store()
                .revision(org, path.id, n)
                .await?
                .ok_or_else(|| {
                    Problem::not_found("no such revision of a framework in your organisation")
                })?;
            (r.framework()?, n, r.summary.created_at)
        }
        None => {
            let r = state
                .store()
                .framework(org, path.id)
                .await?
                .ok_or_else(|| {
                    Problem::not_found("no framework with this id in your organisation")
                })?;
            let n = r.summary.revision;
            (r.framework()?, n, r.summary.updated_at)
        }
    };
    let format = path.format.trim().to_ascii_lowercase();
    let framework = std::sync::Arc::new(framework);
    let exported = framework.clone();
    let (bytes, media, extension) = state
        .heavy()
        .run(Some(org), "the export", move || {
            render_export(&exported, &format, changed_at, org)
        })
        .await??;
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    let name = format!("{}-r{revision}.{extension}", framework_slug(&framework.id));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    if let Ok(value) = HeaderValue::from_str(&crate::extract::etag(revision)) {
        headers.insert(header::ETAG, value);
    }
    Ok(response)
}

/// Writes `framework` in `format` (lowercase, as in the export path): the bytes, their media
/// type and the file extension. `changed_at` (milliseconds) is the CASE `lastChangeDateTime`,
/// so exporting the same revision twice gives the same package.
pub fn render_export(
    framework: &framewright_model::Framework,
    format: &str,
    changed_at: i64,
    org: uuid::Uuid,
) -> ApiResult<(Vec<u8>, &'static str, &'static str)> {
    let (chosen, extension) = match format {
        "json" => (Format::Json, "json"),
        "toml" => (Format::Toml, "toml"),
        "case" => (
            // The organisation is part of every identifier, as on the CASE provider: two
            // organisations' frameworks with the same id never share identifiers.
            Format::Case(ExportOptions {
                scope: Some(org.to_string()),
                ..ExportOptions::new(time_of(changed_at))
            }),
            "case.json",
        ),
        "workbook-xlsx" => (Format::WorkbookXlsx, "workbook.xlsx"),
        "workbook-csv" => (Format::WorkbookCsv, "workbook.csv"),
        "docx" => (Format::Docx, "docx"),
        "pdf" => (Format::Pdf, "pdf"),
        other => {
            let chosen: ExportFormat = other.parse().map_err(|e: export::UnknownFormat| {
                Problem::not_found(format!(
                    "{e}, workbook-xlsx, workbook-csv, case, docx, pdf, json or toml"
                ))
                .with_field("format", e.to_string())
            })?;
            (Format::Reading(chosen), chosen.extension())
        }
    };
    let written = framewright_app::export::write(framework, &chosen).map_err(|e| match e {
        ExportError::Case(_) => Problem::invalid(e.to_string()),
        ExportError::PdfNotBuilt(_) => Problem::new(
            StatusCode::NOT_IMPLEMENTED,
            "pdf-not-built",
            "PDF is not available on this server",
            "this server was built without PDF documents; export the Word document (docx) and print it to PDF, or ask your administrator for a build with the `pdf` feature",
        )
        .with_field("format", "pdf is not available in this build"),
        ExportError::Failed { what, source } => {
            tracing::error!(error = %source, "{what} failed");
            Problem::internal()
        }
    })?;
    Ok((written.bytes, chosen.media_type(), extension))
}

/// A time stamp in milliseconds as a date-time (the epoch when out of range).
pub fn time_of(millis: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// The framework id made safe for a file name.
fn framework_slug(id: &str) -> String {
    let slug = framewright_model::slug::slugify(id);
    if slug.is_empty() {
        "framework".into()
    } else {
        slug
    }
}
